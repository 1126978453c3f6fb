// Panic safety: the hidden test export panics inside Rust only when
// B2B_OMS_TEST_PANIC=1. The panic is caught (`guarded` and napi's
// `catch_unwind`; `catch_unwind` in the async task's compute) and thrown as
// an InternalError with code INTERNAL; the process lives on and later calls
// work, sync and async.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api } from './helpers.mjs'

test('without the variable the hook just answers', async () => {
  delete process.env.B2B_OMS_TEST_PANIC
  assert.equal(api.__testPanic(), 'ok')
  assert.equal(await api.__testPanicAsync(), 'ok')
})

test('a panic in a sync export throws INTERNAL and the process survives', () => {
  process.env.B2B_OMS_TEST_PANIC = '1'
  try {
    for (let i = 0; i < 3; i++) {
      assert.throws(
        () => api.__testPanic(),
        (e) => e instanceof api.InternalError && e.code === 'INTERNAL' && e.family === 'internal' && /test panic/.test(e.message),
      )
    }
  } finally {
    delete process.env.B2B_OMS_TEST_PANIC
  }
  assert.equal(api.__testPanic(), 'ok')
  assert.equal(api.gstin({ gstin: '27AAPFU0939F1ZV' }).state_code, '27')
})

test('a panic in an async task rejects with INTERNAL and the process survives', async () => {
  process.env.B2B_OMS_TEST_PANIC = '1'
  try {
    await assert.rejects(api.__testPanicAsync(), (e) => e instanceof api.InternalError && e.code === 'INTERNAL')
    await assert.rejects(api.__testPanicAsync(), (e) => e instanceof api.InternalError)
  } finally {
    delete process.env.B2B_OMS_TEST_PANIC
  }
  assert.equal(await api.__testPanicAsync(), 'ok')
  const words = await api.callAsync('words', { amount: '17.00' })
  assert.equal(words.words, 'Rupees Seventeen Only')
})
