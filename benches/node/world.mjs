// A seeded world for the pricing comparison, as JSON-format documents: the
// same world as benches/python/world.py (5,000 skus, 2,000 line rules,
// 1,000-line orders by default; a default list for every sku with all-units
// and graduated tiers, segment lists and customer contract lists whose tiers
// start higher so lines fall back along the chain, line rules scoped by sku,
// category (with descendants) or segment / customer, with quantity and
// validity windows, priorities, `stop` and exclusive groups (percent off,
// amount off, fixed price), MOQs, and order discount rules). The generator
// is the same; the random sequence is JavaScript's own (a seeded
// mulberry32), so the documents are alike, not byte-identical. Amounts are
// decimal strings, never numbers.

export const SEGMENTS = ['distributor', 'wholesaler', 'retail_chain', 'manufacturer', 'exporter', 'd2c_brand', 'institutional']
export const PRICED_AT = '2026-11-26T11:30:00+05:30'

/** A seeded random source with the few draws the generator needs. */
export function rng(seed) {
  let a = seed >>> 0
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const randint = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1))
  const randrange = (n) => Math.floor(random() * n)
  const choice = (xs) => xs[randrange(xs.length)]
  const sample = (xs, k) => {
    const pool = xs.slice()
    for (let i = 0; i < k; i++) {
      const j = i + randrange(pool.length - i)
      ;[pool[i], pool[j]] = [pool[j], pool[i]]
    }
    return pool.slice(0, k)
  }
  return { random, randint, randrange, choice, sample }
}

const cents = (c) => (c / 100).toFixed(2)
const pct = (priceCents, p) => Math.round((priceCents * p) / 100)

function tiers(r, baseCents, first) {
  const out = [{ min_qty: String(first), price: cents(baseCents) }]
  let qty = first
  let price = baseCents
  for (let n = r.randint(0, 3); n > 0; n--) {
    qty = qty * r.choice([2, 3, 5]) + r.randint(0, 20)
    price = pct(price, r.choice([90, 93, 95, 97]))
    out.push({ min_qty: String(qty), price: cents(price) })
  }
  return out
}

/** The catalog, price book and customers of the benchmark. */
export function world({ skus = 5000, rules = 2000, customers = 200, seed = 7 } = {}) {
  const r = rng(seed)
  const catalog = []
  for (let i = 0; i < skus; i++) {
    const p = {
      sku: `SKU${String(i).padStart(6, '0')}`,
      name: `Product ${i}`,
      hsn: '61091000',
      gst_rate_class: 'GST12',
      base_unit: 'NOS',
      category: `cat${String(r.randrange(20)).padStart(2, '0')}/sub${String(r.randrange(10)).padStart(2, '0')}`,
    }
    if (r.random() < 0.2) p.constraints = { moq: String(r.choice([5, 10, 24, 50])) }
    catalog.push(p)
  }
  const base = new Map(catalog.map((p) => [p.sku, r.randint(2000, 200000)]))
  const defaultEntries = catalog.map((p) => {
    const entry = { sku: p.sku, tiers: tiers(r, base.get(p.sku), 1) }
    if (r.random() < 0.3) entry.tier_mode = 'graduated'
    return entry
  })
  const priceLists = [{ id: 'default', currency: 'INR', entries: defaultEntries }]
  const segmentLists = {}
  for (const seg of SEGMENTS) {
    const entries = r.sample(catalog, Math.floor(skus / 5)).map((p) => ({
      sku: p.sku,
      tiers: tiers(r, pct(base.get(p.sku), r.choice([85, 88, 90, 92])), r.choice([10, 50, 100])),
    }))
    priceLists.push({ id: `seg-${seg}`, currency: 'INR', entries })
    segmentLists[seg] = [`seg-${seg}`]
  }
  const people = []
  for (let c = 0; c < customers; c++) {
    const cust = {
      id: `CUST${String(c).padStart(4, '0')}`,
      legal_name: `Customer ${c}`,
      billing_address: { lines: ['1 Road'], city: 'Pune', state_code: '27', pincode: '411001' },
      segment: r.choice(SEGMENTS),
      channels: ['portal', 'sales_rep'],
    }
    if (c % 10 === 0) {
      const entries = r.sample(catalog, 200).map((p) => ({
        sku: p.sku,
        tiers: tiers(r, pct(base.get(p.sku), r.choice([80, 84, 87])), r.choice([1, 20, 200])),
      }))
      priceLists.push({ id: `contract-${c}`, currency: 'INR', entries })
      cust.price_lists = [`contract-${c}`]
    }
    people.push(cust)
  }
  const used = [...new Set(catalog.map((p) => p.category))].sort()
  const tops = [...new Set(used.map((c) => c.split('/')[0]))].sort()
  const lineRules = []
  for (let i = 0; i < rules; i++) {
    const when = {}
    const kind = r.random()
    if (kind < 0.6) when.skus = [`SKU${String(r.randrange(skus)).padStart(6, '0')}`]
    else if (kind < 0.9) {
      when.categories = [r.choice(used)]
      when.segments = [r.choice(SEGMENTS)]
    } else {
      when.categories = [r.choice(tops)]
      when.customers = [`CUST${String(r.randrange(customers)).padStart(4, '0')}`]
    }
    if (r.random() < 0.2) when.min_qty = String(r.randint(5, 200))
    if (r.random() < 0.05) when.max_qty = String(r.randint(200, 500))
    if (r.random() < 0.1) {
      when.valid_from = '2026-11-01T00:00:00+05:30'
      when.valid_until = r.choice(['2026-12-01T00:00:00+05:30', '2026-11-15T00:00:00+05:30'])
    }
    const a = r.random()
    const action =
      a < 0.65
        ? { type: 'percent_off', percent: String(r.randint(1, 15)) }
        : a < 0.9
          ? { type: 'amount_off', amount: cents(r.randint(100, 2000)) }
          : { type: 'fixed_price', price: cents(r.randint(2000, 150000)) }
    const rule = { id: `R${String(i).padStart(5, '0')}`, priority: r.randrange(20), when, action }
    if (r.random() < 0.05) rule.stop = true
    if (r.random() < 0.1) rule.exclusive_group = `grp${r.randrange(30)}`
    lineRules.push(rule)
  }
  const orderRules = [
    { id: 'ORDER-5L-3PCT', priority: 10, when: { min_amount: '500000' }, action: { type: 'percent_off', percent: '3' }, stop: true },
    { id: 'ORDER-1L-1PCT', priority: 5, when: { min_amount: '100000' }, action: { type: 'percent_off', percent: '1' } },
  ]
  const book = {
    id: 'bench',
    version: '1',
    currency: 'INR',
    price_lists: priceLists,
    default_price_lists: ['default'],
    segment_price_lists: segmentLists,
    rules: lineRules,
    order_rules: orderRules,
  }
  return { catalog, price_book: book, customers: people }
}

/** One order of `lines` distinct skus for customer number `customer`. */
export function order(w, { lines = 1000, seed = 11, customer = 0 } = {}) {
  const r = rng(seed)
  const chosen = r.sample(w.catalog.map((p) => p.sku), lines)
  return {
    customer: w.customers[customer],
    request: {
      order_id: `BENCH-${seed}`,
      currency: 'INR',
      channel: 'portal',
      priced_at: PRICED_AT,
      lines: chosen.map((sku, i) => ({ line_id: String(i + 1), sku, quantity: String(r.choice([1, 3, 8, 12, 25, 60, 120, 250, 600])) })),
    },
  }
}
