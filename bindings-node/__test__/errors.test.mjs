// Error mapping: one real failing call per family, each thrown as its
// family's class with code, family, field and details; and every family of
// the core's code list has a class.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api, dataset, customer } from './helpers.mjs'

test('every family of the code list has its class; every code is listed once', () => {
  const codes = api.codes()
  assert.ok(codes.length > 50)
  assert.equal(new Set(codes.map((c) => c.code)).size, codes.length)
  for (const { code, family } of codes) {
    const Class = api.FAMILY_CLASSES[family]
    assert.ok(Class, `no class for family ${family} (code ${code})`)
    assert.ok(Class.prototype instanceof api.B2bOmsError, `${Class.name} is not a B2bOmsError`)
  }
  for (const f of ['input', 'pricing', 'quote', 'approval', 'credit', 'order', 'allocation', 'tax', 'invoice', 'internal']) {
    assert.ok(codes.some((c) => c.family === f), `family ${f} has no code`)
  }
})

function expectError(fn, Class, code, field) {
  let caught
  try {
    fn()
  } catch (e) {
    caught = e
  }
  assert.ok(caught, `expected ${code}, nothing was thrown`)
  assert.ok(caught instanceof Class, `${caught.name} ${caught.code}: ${caught.message} is not a ${Class.name}`)
  assert.ok(caught instanceof api.B2bOmsError)
  assert.ok(caught instanceof Error)
  assert.equal(caught.code, code, caught.message)
  if (field !== undefined) assert.equal(caught.field, field)
  assert.equal(typeof caught.family, 'string')
  assert.equal(typeof caught.details, 'object')
  assert.equal(typeof caught.message, 'string')
  return caught
}

const book = () => new api.PriceBook(dataset.price_book, new api.Catalog(dataset.catalog))

test('input: an unknown currency, an unknown operation', () => {
  expectError(() => api.words({ amount: '12.50', currency: 'XXX' }), api.InputError, 'UNKNOWN_CURRENCY')
  const e = expectError(() => api.call('no_such_thing', {}), api.InputError, 'UNKNOWN_OPERATION')
  assert.equal(e.details.operation, 'no_such_thing')
  expectError(() => api.call('words', '{"amount": '), api.InputError, 'INVALID_JSON')
})

test('pricing: a catalog with a duplicated sku reports it', () => {
  expectError(() => new api.Catalog([...dataset.catalog, dataset.catalog[0]]), api.PricingError, 'INVALID_CATALOG')
})

test('quote: unquotable lines with settings.unquotable = fail', () => {
  const c = customer('CUST-SGD')
  const order = dataset.orders[0]
  const doc = {
    catalog: dataset.catalog,
    price_book: dataset.price_book,
    customer: c,
    build: {
      quote_id: 'Q-T1',
      request: {
        id: 'RFQ-T1',
        source: { type: 'sales_rep', rep_id: 'rep' },
        customer_id: c.id,
        channel: 'sales_rep',
        currency: 'INR',
        lines: [{ line_id: 'L1', sku: 'TEE-COT-M', quantity: '0.5', unit: 'BOX' }],
      },
      terms: { payment_terms: { id: 'net30', instalments: [{ share: { type: 'balance' }, basis: 'invoice_date', days: 30 }] }, delivery_terms: 'door delivery' },
      author_id: 'rep',
      now: order.request.priced_at,
      settings: { unquotable: 'fail' },
    },
  }
  expectError(() => api.quoteBuild(doc), api.QuoteError, 'UNQUOTABLE_LINES')
})

test('approval: a policy without an id', () => {
  expectError(() => new api.ApprovalPolicy({ ...dataset.approval_policy, id: '' }), api.ApprovalError, 'INVALID_POLICY', 'id')
})

test('credit: instalment shares over 100%', () => {
  const doc = {
    amount: { amount: '100.00', currency: 'INR' },
    terms: {
      id: 'BAD',
      instalments: [
        { share: { type: 'percent', percent: '70' }, basis: 'order_date' },
        { share: { type: 'percent', percent: '40' }, basis: 'order_date' },
      ],
    },
  }
  expectError(() => api.termsSchedule(doc), api.CreditError, 'INVALID_TERMS', 'terms.instalments')
})

test('order: amending to a PO number already taken', () => {
  const line = (id, sku, qty, price) => ({
    line_id: id, sku, name: sku, hsn: '61091000', gst_rate_class: 'GST5', gst_rate: '5', free: false, unit: 'NOS',
    unit_factor: '1', list_price: price, unit_price: price, overridden: false, amount: (Number(qty) * Number(price)).toFixed(2),
    ordered: qty, allocated: '0', shipped: '0', invoiced: '0', cancelled: '0',
  })
  const order = {
    id: 'O1', customer_id: 'C1', segment: 'distributor', tags: [], channel: 'sales_rep', currency: 'INR',
    source: { type: 'quote', quote_id: 'Q1', revision: 1, acceptance: 1 }, po_number: 'PO-1',
    terms: { payment_terms: { id: 'net30', name: '', instalments: [{ share: { type: 'balance' }, basis: 'invoice_date', days: 30 }] }, delivery_terms: 'door delivery' },
    advance_due: '0.00', delivery: { ship_complete: false }, lines: [line('L1', 'TEE', '20', '250.00')],
    order_discount_rate: '0', shipping: '0', intra_state: false,
    totals: { subtotal: '5000.00', order_discount: '0.00', shipping: '0', total_before_tax: '5000.00', gst: '250.00', grand_total: '5250.00' },
    lifecycle: 'confirmed', created_at: '2026-11-27T10:00:00+05:30', amendments: 0,
    settings: { require_po: false, allow_invoice_before_shipment: false }, rounding: 'half_up', next_event_seq: 1,
  }
  const amend = { po_number: 'PO-9', taken_po_numbers: ['PO-9'] }
  expectError(() => api.orderAmend({ order, amend, now: '2026-11-27T10:00:00+05:30' }), api.OrderError, 'DUPLICATE_PO', 'po_number')
})

test('allocation: reserving more than on hand reserves nothing', () => {
  const ledger = new api.ReservationLedger({ stock: dataset.stock })
  const item = dataset.stock.items[0]
  const batch = item.batches[0]
  const req = (q) => [{ line_id: '1', warehouse_id: item.warehouse_id, sku: item.sku, batch_id: batch.batch_id, quantity: q }]
  expectError(() => ledger.reserve('SO-1', req('1000000')), api.AllocationError, 'INSUFFICIENT_STOCK')
  assert.deepEqual(ledger.reservations('SO-1'), [])
  ledger.reserve('SO-1', req('1'))
  assert.equal(ledger.reservations('SO-1').length, 1)
})

test('tax: a GSTIN with a bad checksum names the field', () => {
  const e = expectError(() => api.gstin({ gstin: '27AAPFU0939F1ZX' }), api.TaxError, 'INVALID_GSTIN')
  assert.ok(e.field)
})

test('invoice: a document number with a leading zero', () => {
  expectError(() => api.number({ template: '{seq:05}', date: '2026-11-26', seq: 1 }), api.InvoiceError, 'INVALID_DOCUMENT_NUMBER', 'number')
})

test('internal: a native error that is no host error maps to InternalError or InputError', () => {
  const priced = book()
  // napi refuses a number where the native method takes a string (JSON text)
  const e = (() => {
    try {
      priced._native.priceOrder(1, 2)
    } catch (err) {
      return err
    }
  })()
  assert.ok(e)
  assert.equal(e.__b2bOms, undefined)
})
