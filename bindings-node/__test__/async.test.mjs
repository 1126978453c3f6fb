// Async variants run on the libuv pool: the same results as sync, and the
// event loop keeps answering (a timer fires) during a long priceOrders.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api, dataset, customer } from './helpers.mjs'

const catalog = new api.Catalog(dataset.catalog)
const book = new api.PriceBook(dataset.price_book, catalog)
const orders = dataset.orders.map((o) => ({ customer: customer(o.customer_id), request: o.request }))

test('priceOrderAsync and priceOrdersAsync equal their sync results', async () => {
  for (const o of orders) {
    assert.deepEqual(await book.priceOrderAsync(o.customer, o.request), book.priceOrder(o.customer, o.request))
  }
  assert.deepEqual(await book.priceOrdersAsync(orders), book.priceOrders(orders))
  assert.deepEqual(await book.priceOrdersAsync(orders, 1), book.priceOrders(orders, 2))
  const doc = { catalog: dataset.catalog, price_book: dataset.price_book, customer: orders[0].customer, request: orders[0].request }
  assert.deepEqual(await api.priceOrderAsync(doc), api.priceOrder(doc))
  assert.deepEqual(await api.callAsync('price_order', doc), api.call('price_order', doc))
})

test('async errors are the same classes as sync errors', async () => {
  const request = structuredClone(orders[0].request)
  request.lines[2].quantity = 50
  let sync
  try {
    book.priceOrder(orders[0].customer, request)
  } catch (e) {
    sync = e
  }
  await assert.rejects(book.priceOrderAsync(orders[0].customer, request), (e) => {
    assert.ok(e instanceof TypeError && e instanceof api.InputError)
    assert.equal(e.code, sync.code)
    assert.equal(e.field, sync.field)
    assert.equal(e.message, sync.message)
    return true
  })
  await assert.rejects(api.callAsync('nope', {}), (e) => e instanceof api.InputError && e.code === 'UNKNOWN_OPERATION')
  await assert.rejects(api.callAsync('words', undefined), (e) => e instanceof api.InputError && e.code === 'INVALID_JSON')
})

test('a timer fires while a long priceOrdersAsync runs', async () => {
  const big = Array.from({ length: 200 }, (_, i) => orders[i % orders.length])
  let ticks = 0
  const timer = setInterval(() => ticks++, 2)
  const started = performance.now()
  const result = await book.priceOrdersAsync(big, 1)
  const elapsed = performance.now() - started
  clearInterval(timer)
  assert.equal(result.results.length, big.length)
  assert.ok(elapsed > 20, `the batch took ${elapsed.toFixed(1)} ms: too short to tell`)
  assert.ok(ticks >= 3, `only ${ticks} timer ticks in ${elapsed.toFixed(1)} ms`)
  console.log(`# ${ticks} timer ticks during a ${elapsed.toFixed(0)} ms priceOrdersAsync of ${big.length} orders`)
})

test('priceOrderJson gives the JSON text of priceOrder, sync and async', async () => {
  for (const o of orders) {
    const objects = book.priceOrder(o.customer, o.request)
    assert.deepEqual(JSON.parse(book.priceOrderJson(o.customer, o.request)), objects)
    assert.deepEqual(JSON.parse(await book.priceOrderJsonAsync(o.customer, o.request)), objects)
  }
  const request = structuredClone(orders[0].request)
  request.lines[0].quantity = 1
  await assert.rejects(book.priceOrderJsonAsync(orders[0].customer, request), (e) => e instanceof TypeError && e.code === 'NUMBER_FOR_DECIMAL')
})
