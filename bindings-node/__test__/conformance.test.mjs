// Every case of every conformance/*.json file, run through the package's
// own functions (the generated camelCase function of the operation), the
// canonical JSON built from the JS result objects and compared byte for
// byte. B2B_OMS_CONFORMANCE_DIR points at another folder of cases.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { api, repoDir } from './helpers.mjs'
import { canonical, subsetMismatches } from './canonical.mjs'

const dir = process.env.B2B_OMS_CONFORMANCE_DIR || join(repoDir, 'conformance')
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

/** The mismatches of one case ([] when it passes). */
export async function runCase(c, { async = false } = {}) {
  const fn = api[camel(c.operation) + (async ? 'Async' : '')]
  const run = fn ?? ((doc) => (async ? api.callAsync : api.call)(c.operation, doc))
  let result
  try {
    result = await run(c.input)
  } catch (e) {
    if (!(e instanceof api.B2bOmsError)) return [`threw a non-B2bOmsError: ${e && e.stack}`]
    if (!c.error) return [`threw ${e.code} at ${e.field}: ${e.message}`]
    const out = []
    if (e.code !== c.error.code) out.push(`code ${e.code} != ${c.error.code} (${e.message})`)
    if ('field' in c.error && c.error.field !== undefined && e.field !== c.error.field) {
      out.push(`field ${e.field} != ${c.error.field}`)
    }
    if (!(e instanceof api.FAMILY_CLASSES[e.family])) out.push(`not an instance of its family's class (${e.family})`)
    return out
  }
  if (c.error) return [`returned a result, expected error ${c.error.code}: ${canonical(result).slice(0, 200)}`]
  if ('expected' in c) {
    const a = canonical(result)
    const e = canonical(c.expected)
    return a === e ? [] : [`canonical mismatch:\n  got      ${a.slice(0, 400)}\n  expected ${e.slice(0, 400)}`]
  }
  if ('expected_subset' in c) return subsetMismatches(c.expected_subset, result)
  return ['the case has no expected, expected_subset or error']
}

test('conformance: every case of every file', async () => {
  let count = 0
  let defects = 0
  const failures = []
  for (const file of files) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    for (const c of doc.cases ?? []) {
      count++
      const mism = await runCase(c)
      if (c.known_defect) {
        // an expected failure; passing means the defect is fixed and the mark must go
        defects++
        if (!mism.length) failures.push(`${file} ${c.name}: marked known_defect but passes (${c.known_defect})`)
      } else if (mism.length) failures.push(`${file} ${c.name} (${c.operation}):\n    ${mism.join('\n    ')}`)
    }
  }
  assert.ok(count > 0, `no conformance case found in ${dir}`)
  console.log(`# conformance: ${count} cases from ${files.length} files (${defects} known defects), ${failures.length} failed`)
  assert.deepEqual(failures, [], `${failures.length} of ${count} cases failed:\n${failures.join('\n')}`)
})

/** A comparable outcome of one run: the canonical result, or the error's code and field. */
async function outcome(c, async) {
  const fn = api[camel(c.operation) + (async ? 'Async' : '')]
  try {
    return 'ok ' + canonical(await fn(c.input))
  } catch (e) {
    return `error ${e.constructor.name} ${e.code} ${e.field}`
  }
}

test('conformance: async variants give the same results as sync, byte for byte', async () => {
  let count = 0
  const failures = []
  for (const file of files) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    for (const c of doc.cases ?? []) {
      if (!api[camel(c.operation) + 'Async']) continue
      count++
      const [sync, asynchronous] = [await outcome(c, false), await outcome(c, true)]
      if (sync !== asynchronous) failures.push(`${file} ${c.name}: sync ${sync.slice(0, 200)} / async ${asynchronous.slice(0, 200)}`)
    }
  }
  assert.ok(count > 0, 'no case of an operation with an async variant')
  assert.deepEqual(failures, [])
})
