// The inquiry-to-invoice journey of the demo (`cargo run -p b2b-oms-cli -- demo`)
// as a Node portal backend would write it on the b2b-oms package: compile the
// catalog, price book and policies once at start-up, then answer each step
// with one host operation on plain objects. It prints the same totals as the
// Rust demo.
//
// Reads examples/data/dataset.json; the host-side documents of the later
// steps (commands, ids, instants) come from examples/data/journey.json when
// it is there.
//
//   node examples/node/journey.mjs
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as oms from 'b2b-oms'

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data')
const dataset = JSON.parse(readFileSync(join(dataDir, 'dataset.json'), 'utf8'))
const journeyPath = process.env.B2B_OMS_JOURNEY ?? join(dataDir, 'journey.json')
const journey = existsSync(journeyPath) ? JSON.parse(readFileSync(journeyPath, 'utf8')) : null

// ---- start-up: compile once, reuse for every request ----------------------
const catalog = new oms.Catalog(dataset.catalog)
const book = new oms.PriceBook(dataset.price_book, catalog)
const classifier = new oms.ClassificationPolicy(dataset.classification_policy)
const customers = new Map(dataset.customers.map((c) => [c.id, c]))

/** ₹ with Indian digit grouping, from the engine's own formatter (`words`). */
const inr = (amount) => {
  const neg = amount.startsWith('-')
  const { formatted } = oms.words({ amount: neg ? amount.slice(1) : amount })
  return `${neg ? '-' : ''}₹${formatted}`
}
const heading = (title) => console.log(`\n${title}\n${'-'.repeat(title.length)}`)

/** Runs a call the journey makes to show a refusal; returns the error. */
function refused(fn, code) {
  try {
    fn()
  } catch (e) {
    if (e instanceof oms.B2bOmsError && e.code === code) return e
    throw e
  }
  throw new Error(`expected ${code}, the call succeeded`)
}

console.log(`b2b-oms journey (Node ${process.version}) — ${dataset.seller.name}`)
console.log(`Catalog: ${catalog.size} skus. Price book ${dataset.price_book.id} v${dataset.price_book.version}.`)

// ---- 1. inquiries are classified -------------------------------------------
heading('1. Inquiries are classified into segments')
for (const inquiry of dataset.inquiries) {
  const { classification, quote_request: draft } = classifier.classify(inquiry, catalog)
  const list = classification.price_list ? `, price list ${classification.price_list}` : ''
  console.log(`Inquiry ${inquiry.id} from ${inquiry.company}: segment ${classification.segment}${list} (rule ${classification.rule_id ?? classification.matched_rule ?? '-'})`)
  if (draft) console.log(`  quote request: ${draft.lines?.length ?? 0} line(s) ready to price`)
}

// ---- 2. carts and quote requests are priced (async: the event loop stays free)
heading('2. Quote-ready prices for two buyers')
const priced = await Promise.all(
  dataset.orders.map((o) => book.priceOrderAsync(customers.get(o.customer_id), o.request)),
)
for (const p of priced) {
  const c = customers.get(p.customer_id)
  console.log(`${p.order_id} — ${c.legal_name} (${p.segment}), via ${p.channel}`)
  for (const line of p.lines) {
    if (line.kind?.type === 'free') {
      console.log(`  + ${line.sku.padEnd(16)} ${line.quantity.padStart(5)} ${line.unit} free`)
    } else {
      console.log(`  ${String(line.line_id).padEnd(2)} ${line.sku.padEnd(16)} ${line.quantity.padStart(5)} ${line.unit.padEnd(3)} at ${inr(line.net_unit_price).padStart(12)} = ${inr(line.amount).padStart(14)}`)
    }
  }
  for (const e of p.errors) console.log(`  ! line ${e.line_id ?? e.line_index}: ${e.error?.code ?? e.code} at ${e.error?.field ?? e.field}`)
  console.log(`  Subtotal ${inr(p.subtotal)}; order discounts -${inr(p.order_discount_total)}; shipping ${inr(p.shipping?.amount ?? p.shipping ?? '0.00')}`)
  console.log(`  Total before tax ${inr(p.total_before_tax)}`)
}

// ---- 3. the distributor's quote --------------------------------------------
heading('3. A quote for the distributor')
const distributor = customers.get(journey?.customers?.distributor ?? dataset.orders[0].customer_id)
const order0 = dataset.orders.find((o) => o.customer_id === distributor.id)
const buildInput = journey?.steps?.quote_build?.input ?? {
  // Without journey.json: the portal's own quote settings.
  build: {
    quote_id: order0.request.order_id,
    request: {
      id: `RFQ-${order0.request.order_id}`,
      source: { type: 'sales_rep', rep_id: 'rep.anita' },
      customer_id: distributor.id,
      channel: order0.request.channel,
      currency: order0.request.currency,
      lines: order0.request.lines,
    },
    terms: {
      payment_terms: {
        id: '30-70',
        name: '30% advance, balance 30 days after invoice',
        instalments: [
          { share: { type: 'percent', percent: '30' }, basis: 'order_date', days: 0 },
          { share: { type: 'balance' }, basis: 'invoice_date', days: 30 },
        ],
      },
      delivery_terms: 'door delivery, freight included',
    },
    author_id: 'rep.anita',
    now: order0.request.priced_at,
  },
}
const quote = await oms.quoteBuildAsync({ catalog: dataset.catalog, price_book: dataset.price_book, customer: distributor, ...buildInput })
const rev1 = quote.revisions[quote.revisions.length - 1]
console.log(`Quote ${quote.id} rev ${rev1.number} for ${distributor.legal_name}: ${rev1.lines.length} line(s), ${inr(rev1.totals.total_before_tax)} before tax, valid until ${rev1.valid_until.slice(0, 10)}`)
for (const u of rev1.unquoted ?? []) console.log(`  not quoted: ${u.sku} ${u.code ?? u.error?.code}`)

if (!journey) {
  console.log('\n(examples/data/journey.json is not there: the approval, order, allocation and invoice steps need its documents.)')
  process.exit(0)
}

// ---- 4. revision, approval, issue ------------------------------------------
heading('4. A revision with an 18 % discount goes through approval')
const step = (name) => journey.steps[name]?.input ?? {}
const last = (q) => q.revisions[q.revisions.length - 1]
const revised = oms.quoteRevise({ quote, ...step('quote_revise') })
const diff = oms.quoteDiff({ quote: revised.quote, ...step('quote_diff') })
const rev2 = last(revised.quote)
console.log(`Revision ${rev2.number}: ${inr(rev2.totals.total_before_tax)} before tax, grand total ${inr(rev2.totals.grand_total)} (against revision ${diff.from}: ${diff.changed.length} line(s) changed, ${diff.totals.length} total(s))`)
const submitted = oms.quoteSubmit({ quote: revised.quote, policy: dataset.approval_policy, ...step('quote_submit') })
for (const s of submitted.instance?.steps ?? []) console.log(`  approval step: ${s.quorum ?? 1} × ${s.role} (level ${s.level})`)
const self = refused(() => oms.approvalDecide({ instance: submitted.instance, ...step('approval_decide_self') }), 'SELF_APPROVAL')
console.log(`  ${step('approval_decide_self').command.actor.id} tries to approve her own quote: refused, ${self.code}`)
const decided = oms.approvalDecide({ instance: submitted.instance, ...step('approval_decide') })
console.log(`  ${step('approval_decide').command.actor.id} approves: instance ${decided.instance.status}`)
const issued = oms.quoteIssue({ quote: submitted.quote, approval: decided.instance, ...step('quote_issue') })
const seal = last(issued.quote).seal
console.log(`Issued and sealed: digest ${seal.digest.slice(0, 16)}…, HMAC by key ${seal.key_id}`)

// ---- 5. acceptance and order -------------------------------------------------
heading('5. The buyer accepts part of the quote; it becomes an order')
const presented = last(issued.quote)
const acceptWith = (name, copy) => {
  const input = structuredClone(step(name))
  input.accept = { ...input.accept, digest: seal.digest, seal: seal.hmac, presented: copy }
  return { quote: issued.quote, ...input }
}
const tamper = journey.steps.quote_accept_tampered?.tamper
const altered = structuredClone(presented)
if (tamper) altered.lines.find((l) => l.line_id === tamper.line_id).unit_price = tamper.unit_price
const tampered = refused(() => oms.quoteAccept(acceptWith('quote_accept_tampered', altered)), 'TAMPERED_QUOTE')
console.log(`An acceptance with a price changed by ₹1 is rejected: ${tampered.code}`)
const accepted = oms.quoteAccept(acceptWith('quote_accept', presented))
const converted = oms.quoteConvert({ quote: accepted.quote, ...step('quote_convert') })
const so = converted.order
console.log(`Order ${so.id} from PO ${so.po_number}: ${so.lines.length} line(s), ${inr(so.totals.total_before_tax)} before tax, advance due ${inr(so.advance_due)}`)
const submittedOrder = oms.orderSubmit({ order: so, policy: dataset.approval_policy, previous: decided.instance, ...step('order_submit') })
const confirmed = oms.orderConfirm({ order: submittedOrder.order ?? so, approval: submittedOrder.instance, ...step('order_confirm') })
console.log(`  approval of the order: ${submittedOrder.instance.status} (carried over from the quote); order ${confirmed.order.id} is ${confirmed.order.lifecycle}`)
for (const line of confirmed.order.lines) {
  console.log(`  line ${line.line_id.padEnd(8)} ${line.sku.padEnd(12)} ${line.ordered.padStart(5)} ${line.unit.padEnd(3)} at ${inr(line.unit_price).padStart(11)}${line.free ? ' free' : ''}`)
}

// ---- 6. allocation to the warehouses -----------------------------------------
heading('6. The order is allocated to the warehouses')
/** Exact product of two decimal strings (quantities × unit factors). */
function times(a, b) {
  const split = (x) => {
    const [i, f = ''] = x.split('.')
    return [BigInt(i + f), f.length]
  }
  const [ma, sa] = split(a)
  const [mb, sb] = split(b)
  const digits = (ma * mb).toString().padStart(sa + sb + 1, '0')
  const scale = sa + sb
  return scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits
}
const order = confirmed.order
const products = new Map(dataset.catalog.map((p) => [p.sku, p]))
const shipTo = distributor.shipping_addresses?.[0] ?? distributor.billing_address
const allocInput = structuredClone(step('allocate'))
allocInput.warehouses = dataset.warehouses
allocInput.stock = dataset.stock
allocInput.request = {
  ...allocInput.request,
  order_id: order.id,
  customer_id: distributor.id,
  segment: distributor.segment,
  destination: { state_code: shipTo.state_code, pincode: shipTo.pincode },
  delivery: { ship_complete: order.delivery.ship_complete, allow_partial_shipments: !order.delivery.ship_complete },
  order_value: order.totals.total_before_tax,
  lines: order.lines.map((l) => ({
    line_id: l.line_id,
    sku: l.sku,
    quantity: times(l.ordered, l.unit_factor),
    category_path: (products.get(l.sku).category ?? '').split('/'),
    weight_per_unit_kg: products.get(l.sku).weight_kg ?? '0',
  })),
}
const allocation = await oms.allocateAsync(allocInput)
for (const shipment of allocation.plan.shipments) {
  console.log(`Shipment from ${shipment.warehouse_id} (${shipment.weight_kg ?? shipment.total_weight_kg} kg):`)
  for (const line of shipment.lines) {
    console.log(`  line ${line.line_id.padEnd(8)} ${line.sku.padEnd(12)} ${line.quantity.padStart(5)}   batches ${line.batches.map((b) => `${b.batch_id} × ${b.quantity}`).join('; ')}`)
  }
}

// The portal keeps one live ledger: the plan's batches are reserved, all or nothing.
const ledger = new oms.ReservationLedger({ stock: dataset.stock, reservations: [] })
const requests = allocation.plan.shipments.flatMap((sh) =>
  sh.lines.flatMap((l) => l.batches.map((b) => ({ line_id: l.line_id, warehouse_id: sh.warehouse_id, sku: l.sku, batch_id: b.batch_id, quantity: b.quantity }))),
)
ledger.reserve(order.id, requests)
const planned = oms.orderApplyPlan({ order, plan: allocation.plan })
console.log(`Reserved ${ledger.reservations(order.id).length} batch quantities for ${order.id}; the order is ${planned.lifecycle}`)

console.log('\n(Shipments, invoices, the credit note, the export invoice and the e-invoices are not in this example yet: they take the further derivations of examples/data/journey.json.)')
