// The inquiry-to-invoice journey of the demo (`cargo run -p b2b-oms-cli -- demo`)
// as a Node portal backend would write it on the b2b-oms package: compile the
// catalog, price book and policies once at start-up, then answer each step
// with one host operation on plain objects. It prints the same totals as the
// Rust demo.
//
// The whole journey: inquiries classified, carts priced, a quote built,
// revised, approved, issued and accepted, converted into an order, allocated
// and reserved, shipped (pick, pack, dispatch), one GST invoice per
// dispatched shipment built from the order by the core (invoice_from_order),
// invoicing again refused, a credit note (and over-crediting refused), an
// export invoice under LUT and the INV-01 e-invoice of every document.
//
// Reads examples/data/dataset.json; the host-side documents of the later
// steps (commands, ids, instants) come from examples/data/journey.json when
// it is there. Mirrors examples/rust/src/lib.rs step by step: the only
// documents built here are those journey.json's `derive` notes leave to the
// host (allocation lines, shipment lines, the seller party, the credit
// note's lines and original, the export invoice's parties and lines).
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
/** A decimal string as [digits, scale]: "12.50" → [1250n, 2]. */
function parseDecimal(x) {
  const neg = x.startsWith('-')
  const [i, f = ''] = (neg ? x.slice(1) : x).split('.')
  const m = BigInt(i + f)
  return [neg ? -m : m, f.length]
}
/** Writes [digits, scale] back as a decimal string. */
function writeDecimal(m, scale) {
  const neg = m < 0n
  const digits = (neg ? -m : m).toString().padStart(scale + 1, '0')
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits
  return neg ? `-${text}` : text
}
/** a ÷ b to `places` decimal places, rounding half to even or half away from zero. */
function divide(a, b, places, mode) {
  const [ma, sa] = parseDecimal(a)
  const [mb, sb] = parseDecimal(b)
  // a/b × 10^places = (ma × 10^(sb + places)) / (mb × 10^sa)
  let num = ma * 10n ** BigInt(sb + places)
  let den = mb * 10n ** BigInt(sa)
  if (den < 0n) { num = -num; den = -den }
  const sign = num < 0n ? -1n : 1n
  const n = num < 0n ? -num : num
  let q = n / den
  const twice = 2n * (n % den)
  if (twice > den || (twice === den && (mode === 'away' || q % 2n === 1n))) q += 1n
  return writeDecimal(sign * q, places)
}
/** Drops trailing zeros of the fraction ("0.5000" → "0.5"). */
const normalize = (x) => (x.includes('.') ? x.replace(/0+$/, '').replace(/\.$/, '') : x)
/** The larger of two decimal strings. */
const maxDecimal = (a, b) => (compare(a, b) >= 0 ? a : b)
/** -1, 0 or 1 as a < b, a = b, a > b (decimal strings). */
function compare(a, b) {
  const [ma, sa] = parseDecimal(a)
  const [mb, sb] = parseDecimal(b)
  const x = ma * 10n ** BigInt(Math.max(sa, sb) - sa)
  const y = mb * 10n ** BigInt(Math.max(sa, sb) - sb)
  return x < y ? -1 : x > y ? 1 : 0
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


// ---- 7. shipments: picked, packed, dispatched ---------------------------------
heading('7. Shipments are picked, packed and dispatched')
const shipToAddress = {
  lines: shipTo.lines, city: shipTo.city, state_code: shipTo.state_code, pincode: shipTo.pincode, gstin: distributor.gstin ?? null,
}
const shipInput = structuredClone(step('ship'))
shipInput.plan = allocation.plan
shipInput.warehouses = dataset.warehouses
shipInput.ship_to = { name: distributor.legal_name, address: shipToAddress }
// The lines' values (after the order discount) come from the order itself;
// the host adds what the order does not hold: each sku's UQC and weight.
shipInput.from_order = {
  order: planned,
  products: [...new Set(planned.lines.map((l) => l.sku))].map((sku) => ({
    sku,
    uqc: products.get(sku).base_unit,
    weight_per_unit_kg: products.get(sku).weight_kg ?? '0',
  })),
}
const bundles = oms.ship(shipInput)
let current = planned
const shipments = []
for (const bundle of bundles.shipments) {
  let shipment = bundle.shipment
  const eway = bundle.documents.eway_bill
  console.log(`${shipment.id} from ${shipment.warehouse_id}: e-way bill ${eway.required ? 'required' : 'not required'} (value ${inr(eway.consignment_value)})`)
  const scripted = journey.steps.shipment_transition.shipments.find((s) => s.shipment_id === shipment.id)
  if (!scripted) throw new Error(`journey.json has no commands for shipment ${shipment.id}`)
  for (const command of scripted.commands) {
    const t = oms.shipmentTransition({ shipment, command })
    // A dispatch consumes the shipment's reservations in the live ledger.
    if (t.consume.length > 0) ledger.consume(order.id, t.consume)
    shipment = t.shipment
  }
  current = oms.orderApplyDispatch({ order: current, shipment })
  const events = scripted.commands.map((c) => c.type)
  const shipped = current.lines.filter((l) => compare(l.shipped, '0') > 0).map((l) => `${l.line_id} × ${l.shipped}`)
  console.log(`  ${events.join(', ')}: shipment ${shipment.status}; order ${current.id} records shipped ${shipped.join(', ')}`)
  shipments.push(shipment)
}
console.log(`Reservations left for ${order.id}: ${ledger.reservations(order.id).length}`)

// ---- 8. one GST invoice per dispatched shipment ---------------------------------
heading('8. One GST invoice per dispatched shipment')
/** An address document (a customer's, the seller's, a warehouse's) as an invoice address. */
const invoiceAddress = (a) => ({
  line1: a.lines?.[0] ?? '',
  ...(a.lines?.[1] !== undefined ? { line2: a.lines[1] } : {}),
  city: a.city,
  state_code: a.state_code,
  pin: a.pincode,
  ...(a.country && a.country !== 'IN' ? { country: a.country } : {}),
})
const warehouses = new Map(dataset.warehouses.map((w) => [w.id, w]))
/** The seller of a shipment's invoice: its registration in the state the goods leave from. */
function sellerParty(shipment) {
  const address = warehouses.get(shipment.warehouse_id)?.address
  if (!address) throw new Error(`no warehouse ${shipment.warehouse_id}`)
  const gstin = dataset.seller.registrations[address.state_code]
  if (!gstin) throw new Error(`the seller has no registration in state ${address.state_code}`)
  return { legal_name: dataset.seller.name, gstin, address: invoiceAddress(address) }
}
const findShipment = (id) => {
  const found = shipments.find((s) => s.id === id)
  if (!found) throw new Error(`no dispatched shipment ${id}`)
  return found
}
/** Documents issued so far: the invoice and the document that makes it (for the e-invoice). */
const issuedDocs = []
const fromOrder = (base, shipment) => ({
  ...base,
  order: current,
  customer: distributor,
  seller: sellerParty(shipment),
  shipments: [shipment],
  issued_numbers: issuedDocs.map((d) => d.invoice.number),
})
const sayDocument = (inv) => {
  const t = inv.totals
  console.log(`${inv.title} ${inv.number} (${inv.date}): taxable ${inr(t.taxable_value)}, CGST ${inr(t.cgst)} + SGST ${inr(t.sgst)} + IGST ${inr(t.igst)}, round-off ${inr(t.round_off)}, total ${inr(t.grand_total)}`)
}
for (const scripted of journey.steps.invoice.invoices) {
  const made = oms.invoiceFromOrder(fromOrder(scripted.input, findShipment(scripted.shipment_id)))
  // The returned order records the invoiced quantities: it is the next call's order.
  current = made.order
  sayDocument(made.invoice)
  issuedDocs.push({ invoice: made.invoice, input: { invoice: made.request } })
}
const again = journey.steps.invoice_again
const overInvoiced = refused(
  () => oms.invoiceFromOrder(fromOrder(again.input, findShipment(again.shipment_id))),
  again.expect_error,
)
console.log(`Invoicing ${again.shipment_id} again: refused, ${overInvoiced.code}`)

// ---- 9. a credit note for returned goods -------------------------------------------
heading('9. A credit note for returned goods')
/** The credit note of `returned` goods of `original`, `credited` already credited on that line. */
function creditNoteDoc(base, original, returned, credited) {
  const k = returned.original_line
  const l = original.lines[k]
  if (!l) throw new Error(`invoice ${original.number} has no line ${k}`)
  const zero = (q) => /^0*(\.0*)?$/.test(q)
  const per = (amount, q) => (zero(q) ? '0' : normalize(divide(amount, q, 20, 'even')))
  return {
    ...base,
    seller: original.seller,
    buyer: original.buyer,
    lines: [{
      description: `Return: ${l.description}`,
      hsn: l.hsn,
      quantity: returned.quantity,
      uqc: l.uqc,
      unit_price: zero(l.quantity) ? '0' : divide(l.taxable_value, l.quantity, 6, 'even'),
      amount: zero(l.quantity) ? '0' : divide(times(l.taxable_value, returned.quantity), l.quantity, 2, 'away'),
      original_line: k,
    }],
    original: {
      number: original.number,
      date: original.date,
      lines: original.lines.map((o, i) => ({
        hsn: o.hsn,
        gst_rate: o.notified_rate,
        kind: o.kind,
        taxable_value: o.taxable_value,
        cess: {
          ad_valorem: o.cess_rate,
          per_unit: per(o.cess_non_advol, o.quantity),
          state_ad_valorem: o.state_cess_rate,
          state_per_unit: per(o.state_cess_non_advol, o.quantity),
        },
        already_credited: i === k ? credited : '0',
      })),
    },
  }
}
const cn = journey.steps.credit_note
const original = issuedDocs.find((d) => d.invoice.number === cn.original)?.invoice
if (!original) throw new Error(`no invoice ${cn.original} to credit`)
const noteInput = { invoice: creditNoteDoc(cn.input.invoice, original, cn.returned, '0') }
const note = oms.creditNote(noteInput)
sayDocument(note)
const cnAgain = journey.steps.credit_note_again
const overCredited = refused(
  () => oms.creditNote({ invoice: creditNoteDoc(cnAgain.input.invoice, original, cnAgain.returned, note.totals.taxable_value) }),
  cnAgain.expect_error,
)
console.log(`Crediting the whole line again: refused, ${overCredited.code}`)
issuedDocs.push({ invoice: note, input: noteInput })

// ---- 10. an export invoice under LUT -----------------------------------------------
heading('10. An export invoice under LUT')
const exporter = customers.get(journey.customers.exporter)
const exportOrder = book.priceOrder(exporter, step('export_price_order').request)
console.log(`${exportOrder.order_id}: total before tax ${exportOrder.currency} ${exportOrder.total_before_tax}`)
const exp = journey.steps.export_invoice
const exportGstin = dataset.seller.registrations[exp.seller_state]
if (!exportGstin) throw new Error(`the seller has no registration in state ${exp.seller_state}`)
const exportInput = {
  invoice: {
    ...exp.input.invoice,
    seller: { legal_name: dataset.seller.name, gstin: exportGstin, address: invoiceAddress(dataset.seller.address) },
    buyer: { legal_name: exporter.legal_name, gstin: exporter.gstin ?? null, address: invoiceAddress(exporter.billing_address) },
    export: { ...exp.input.invoice.export, currency: exportOrder.currency, country_code: exporter.billing_address.country ?? 'IN' },
    lines: exportOrder.lines.map((l) => ({
      description: l.name, hsn: l.hsn, quantity: l.quantity, uqc: l.unit, unit_price: l.net_unit_price, rate_class: l.gst_rate_class,
    })),
  },
}
const exportInvoice = oms.invoice(exportInput)
sayDocument(exportInvoice)
if (exportInvoice.export) console.log(`  in ${exportInvoice.export.details.currency}: ${exportInvoice.export.total_foreign}`)
issuedDocs.push({ invoice: exportInvoice, input: exportInput })

// ---- 11. e-invoices (INV-01) of every document ---------------------------------------
heading('11. E-invoices')
for (const { invoice: inv, input } of issuedDocs) {
  const report = await oms.einvoiceAsync(input)
  console.log(`${inv.number}: ${report.einvoice.ItemList.length} item(s), total value ${report.einvoice.ValDtls.TotInvVal}`)
}
