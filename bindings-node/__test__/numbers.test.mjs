// Decimals are strings: a JS number at a decimal place is a TypeError naming
// the field path (NUMBER_FOR_DECIMAL); so is a decimal string with more
// digits than the core holds (EXCESS_PRECISION). Integers (counts, seq) and
// INV-01's amounts stay numbers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api, dataset, customer } from './helpers.mjs'

const catalog = new api.Catalog(dataset.catalog)
const book = new api.PriceBook(dataset.price_book, catalog)
const order = dataset.orders[0]
const sgd = customer(order.customer_id)

function thrown(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('nothing was thrown')
}

function withQuantity(i, q) {
  const request = structuredClone(order.request)
  request.lines[i].quantity = q
  return request
}

test('a JS number for a quantity is a TypeError naming the path', () => {
  const e = thrown(() => book.priceOrder(sgd, withQuantity(3, 2)))
  assert.ok(e instanceof TypeError)
  assert.ok(e instanceof api.InputTypeError)
  assert.ok(e instanceof api.InputError)
  assert.ok(e instanceof api.B2bOmsError)
  assert.ok(!(e instanceof api.PricingError))
  assert.equal(e.code, 'NUMBER_FOR_DECIMAL')
  assert.equal(e.family, 'input')
  assert.equal(e.field, 'lines[3].quantity')
  assert.equal(e.details.value, 2)
})

test('a number for money in a nested document, through call and a generated function', () => {
  const doc = { catalog: dataset.catalog, price_book: dataset.price_book, customer: sgd, request: withQuantity(0, 60.5) }
  for (const run of [() => api.call('price_order', doc), () => api.priceOrder(doc)]) {
    const e = thrown(run)
    assert.equal(e.code, 'NUMBER_FOR_DECIMAL')
    assert.equal(e.field, 'request.lines[0].quantity')
    assert.ok(e instanceof TypeError)
  }
  const e = thrown(() => api.words({ amount: 12.5 }))
  assert.equal(e.code, 'NUMBER_FOR_DECIMAL')
  assert.equal(e.field, 'amount')
})

test('a number for money in a catalog is refused at its path', () => {
  const products = structuredClone(dataset.catalog)
  const i = products.findIndex((p) => p.cost)
  products[i].cost.amount = 100
  const e = thrown(() => new api.Catalog(products))
  assert.equal(e.code, 'NUMBER_FOR_DECIMAL')
  assert.equal(e.field, `[${i}].cost.amount`)
})

test('more fractional digits than the core holds is EXCESS_PRECISION, never rounded', () => {
  const e = thrown(() => book.priceOrder(sgd, withQuantity(1, '1.00000000000000000000000000001')))
  assert.equal(e.code, 'EXCESS_PRECISION')
  assert.equal(e.field, 'lines[1].quantity')
  assert.ok(e instanceof TypeError)
  assert.ok(e instanceof api.InputError)
  const big = thrown(() => api.words({ amount: '123456789012345678901234567890123' }))
  assert.equal(big.code, 'OVERFLOW')
  assert.ok(big instanceof api.InputError)
})

test('28 fractional digits pass the check; integers and INV-01 numbers stay numbers', () => {
  const r = api.words({ amount: '0.1000000000000000000000000000' })
  assert.equal(typeof r.words, 'string')
  const n = api.number({ template: 'INV/{fy}/{seq:05}', date: '2026-11-26', seq: 42 })
  assert.equal(n.number, 'INV/26-27/00042')
  const priced = book.priceOrder(sgd, order.request)
  for (const line of priced.lines) {
    if (line.net_unit_price !== undefined) assert.equal(typeof line.net_unit_price, 'string')
  }
  assert.equal(typeof priced.total_before_tax, 'string')
})

test('a Date is accepted for an instant and written as RFC 3339 UTC', () => {
  const at = new Date(order.request.priced_at)
  const a = book.priceOrder(sgd, { ...order.request, priced_at: at })
  const b = book.priceOrder(sgd, { ...order.request, priced_at: at.toISOString() })
  assert.deepEqual(a, b)
  const view = book.catalogView(sgd, { currency: 'INR', channel: 'portal', at })
  assert.ok(Array.isArray(view) && view.length > 0)
})
