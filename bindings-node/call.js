'use strict'
// The bridge to the native addon: documents go in as JSON text and come back
// parsed; errors are rethrown as the package's classes. Shared by index.js
// and the generated operations.js.

const native = require('./native.js')
const { fromNative, InputError } = require('./errors.js')

/**
 * The JSON text of a document: a plain object or array is written with
 * JSON.stringify (a `Date` becomes its RFC 3339 UTC instant); a string is
 * taken as JSON text already.
 */
function text(doc, name = 'document') {
  if (typeof doc === 'string') return doc
  if (doc === null || typeof doc !== 'object') {
    throw new InputError(`${name}: expected a plain object (or JSON text), got ${doc === null ? 'null' : typeof doc}`, {
      code: 'INVALID_JSON',
      family: 'input',
      field: '.',
      details: { argument: name },
    })
  }
  return JSON.stringify(doc)
}

/** Runs `fn`, rethrowing a native error as the package's class. */
function guard(fn) {
  try {
    return fn()
  } catch (e) {
    throw fromNative(e)
  }
}

/** Awaits a native promise, rejecting with the package's class. */
async function guardAsync(fn) {
  let promise
  try {
    promise = fn()
  } catch (e) {
    throw fromNative(e)
  }
  try {
    return JSON.parse(await promise)
  } catch (e) {
    throw fromNative(e)
  }
}

/** Runs host operation `operation` (`"quote_build"`) on its input document. */
function call(operation, doc) {
  const input = text(doc)
  return JSON.parse(guard(() => native.call(operation, input)))
}

/** `call` on the libuv thread pool: the same result, as a promise. */
function callAsync(operation, doc) {
  let input
  try {
    input = text(doc)
  } catch (e) {
    return Promise.reject(e)
  }
  return guardAsync(() => native.callAsync(operation, input))
}

module.exports = { native, text, guard, guardAsync, call, callAsync }
