// An idiomatic plain-JavaScript implementation of the same pricing rules, as
// a Node developer would write it: Maps for the indexes, decimal.js for
// every amount, one function per step (a port of benches/python/pure.py).
//
// Covers what the benchmark's world uses: the price-list chain (customer's
// contract lists, then its segment's, then the default list; a list whose
// lowest tier the quantity does not reach falls back to the next), all-units
// and graduated tiers, line rules (scope by sku / category with descendants /
// segment / customer, quantity and validity windows; priority, `stop`,
// exclusive groups that keep the member giving the lowest price), MOQ
// errors, rounding half-up (unit price to 2 places, then the amount), and
// order discount rules. Every line records its waterfall (the rules applied
// with the price before and after), as the core's full explanation does.
import { createRequire } from 'node:module'

const require = createRequire(new URL('../../bindings-node/package.json', import.meta.url))
const DecimalJs = require('decimal.js')

/** Decimals with room to spare: 50 significant digits, half-up rounding. */
export const Decimal = DecimalJs.clone({ precision: 50, rounding: DecimalJs.ROUND_HALF_UP })
const ZERO = new Decimal(0)
const ONE = new Decimal(1)
const HUNDRED = new Decimal(100)
const round2 = (x) => x.toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
const instant = (text) => (text ? Date.parse(text) : null)

export class PurePriceBook {
  constructor(catalog, book) {
    this.products = new Map(catalog.map((p) => [p.sku, p]))
    this.lists = new Map()
    for (const pl of book.price_lists) {
      this.lists.set(
        pl.id,
        new Map(
          (pl.entries ?? []).map((e) => {
            const tiers = (e.tiers ?? [{ min_qty: '0', price: e.price }]).map((t) => ({ minQty: new Decimal(t.min_qty), price: new Decimal(t.price) }))
            return [e.sku, { tiers, mode: e.tier_mode ?? 'all_units' }]
          }),
        ),
      )
    }
    this.defaultLists = book.default_price_lists ?? []
    this.segmentLists = book.segment_price_lists ?? {}
    // Rules indexed by what they are scoped to; a line looks up only its own.
    this.rulesBySku = new Map()
    this.rulesByCategory = new Map()
    this.rulesAny = []
    const push = (map, key, rule) => {
      if (!map.has(key)) map.set(key, [])
      map.get(key).push(rule)
    }
    for (const r of book.rules ?? []) {
      const when = r.when ?? {}
      const rule = {
        ...r,
        priority: r.priority ?? 0,
        from: instant(when.valid_from),
        until: instant(when.valid_until),
        minQty: when.min_qty != null ? new Decimal(when.min_qty) : null,
        maxQty: when.max_qty != null ? new Decimal(when.max_qty) : null,
      }
      if (when.skus?.length) for (const s of when.skus) push(this.rulesBySku, s, rule)
      else if (when.categories?.length) for (const c of when.categories) push(this.rulesByCategory, c, rule)
      else this.rulesAny.push(rule)
    }
    this.orderRules = [...(book.order_rules ?? [])].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  chain(customer) {
    return [...(customer.price_lists ?? []), ...(this.segmentLists[customer.segment] ?? []), ...this.defaultLists]
  }

  /** {price per unit, list id, tier mode, band sum} from the first list that prices qty. */
  basePrice(chain, sku, qty) {
    for (const listId of chain) {
      const entry = this.lists.get(listId)?.get(sku)
      if (!entry) continue
      const { tiers, mode } = entry
      if (qty.lt(tiers[0].minQty)) continue // below the lowest tier: the next list in the chain
      if (mode === 'all_units') {
        let price = tiers[0].price
        for (const t of tiers) if (qty.gte(t.minQty)) price = t.price
        return { price, listId, mode, bandSum: null }
      }
      let bandSum = ZERO
      for (let k = 0; k < tiers.length; k++) {
        const start = k === 0 ? ZERO : Decimal.max(tiers[k].minQty.minus(1), ZERO)
        const end = k + 1 < tiers.length ? Decimal.max(tiers[k + 1].minQty.minus(1), ZERO) : null
        const upper = end === null ? qty : Decimal.min(end, qty)
        const band = Decimal.max(upper.minus(start), ZERO)
        if (!band.isZero()) bandSum = bandSum.plus(tiers[k].price.times(band))
      }
      return { price: bandSum.div(qty), listId, mode, bandSum }
    }
    return null
  }

  applicable(rule, customer, qty, at, channel) {
    const when = rule.when ?? {}
    if (when.segments?.length && !when.segments.includes(customer.segment)) return false
    if (when.customers?.length && !when.customers.includes(customer.id)) return false
    if (when.channels?.length && !when.channels.includes(channel)) return false
    if (rule.minQty && qty.lt(rule.minQty)) return false
    if (rule.maxQty && qty.gt(rule.maxQty)) return false
    if (rule.from !== null && at < rule.from) return false
    if (rule.until !== null && at >= rule.until) return false
    return true
  }

  candidates(product) {
    const found = [...(this.rulesBySku.get(product.sku) ?? [])]
    const parts = (product.category ?? '').split('/')
    for (let i = 1; i <= parts.length; i++) found.push(...(this.rulesByCategory.get(parts.slice(0, i).join('/')) ?? []))
    return found.concat(this.rulesAny)
  }

  static apply(action, price) {
    switch (action.type) {
      case 'percent_off':
        return price.times(ONE.minus(new Decimal(action.percent).div(HUNDRED)))
      case 'amount_off':
        return Decimal.max(price.minus(action.amount), ZERO)
      case 'fixed_price':
        return new Decimal(action.price)
      default:
        throw new Error(`unsupported action ${action.type}`)
    }
  }

  /**
   * Prices an order. `request.explain` as the core's: `full` (default) and
   * `summary` record each line's waterfall (rules applied, price before and
   * after, losers of exclusive groups); `none` only the prices.
   */
  priceOrder(customer, request) {
    const explain = request.explain ?? 'full'
    const record = explain !== 'none'
    const at = instant(request.priced_at)
    const channel = request.channel
    const chain = this.chain(customer)
    const lines = []
    const errors = []
    request.lines.forEach((line, index) => {
      const sku = line.sku
      const qty = new Decimal(line.quantity)
      const product = this.products.get(sku)
      if (!product) return errors.push({ line_index: index, sku, code: 'UNKNOWN_SKU' })
      const moq = product.constraints?.moq
      if (moq != null && qty.lt(moq)) return errors.push({ line_index: index, sku, code: 'BELOW_MOQ', suggested: new Decimal(moq) })
      const based = this.basePrice(chain, sku, qty)
      if (!based) return errors.push({ line_index: index, sku, code: 'NO_PRICE' })
      let { price } = based
      // Order the applicable rules; an exclusive group takes one place.
      const steps = []
      const groups = new Map()
      for (const rule of this.candidates(product)) {
        if (!this.applicable(rule, customer, qty, at, channel)) continue
        const group = rule.exclusive_group
        if (group) {
          if (!groups.has(group)) groups.set(group, [])
          groups.get(group).push(rule)
        } else steps.push({ priority: rule.priority, id: rule.id, rule })
      }
      for (const members of groups.values()) {
        const top = Math.max(...members.map((m) => m.priority))
        const first = members.map((m) => m.id).sort()[0]
        steps.push({ priority: top, id: first, members })
      }
      steps.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const waterfall = []
      for (const step of steps) {
        if (step.members) {
          let best = null
          let bestAfter = null
          for (const m of step.members) {
            const after = PurePriceBook.apply(m.action, price)
            if (best === null || after.lt(bestAfter) || (after.eq(bestAfter) && m.id < best.id)) {
              best = m
              bestAfter = after
            }
          }
          if (record) waterfall.push({ rule_id: best.id, before: price, after: bestAfter, lost: step.members.filter((m) => m !== best).map((m) => m.id) })
          price = bestAfter
          if (best.stop) break
        } else {
          const after = PurePriceBook.apply(step.rule.action, price)
          if (record) waterfall.push({ rule_id: step.rule.id, before: price, after })
          price = after
          if (step.rule.stop) break
        }
      }
      const netUnit = round2(price)
      const amount = based.mode === 'graduated' ? round2(price.times(qty)) : round2(netUnit.times(qty))
      lines.push({
        line_index: index,
        line_id: line.line_id,
        sku,
        quantity: qty,
        price_list: based.listId,
        tier_mode: based.mode,
        band_sum: based.bandSum,
        adjustments: waterfall,
        net_unit_price: netUnit,
        amount,
      })
    })
    const subtotal = lines.reduce((s, l) => s.plus(l.amount), ZERO)
    let running = subtotal
    const discounts = []
    for (const r of this.orderRules) {
      const when = r.when ?? {}
      if (when.min_amount != null && subtotal.lt(when.min_amount)) continue
      if (when.max_amount != null && subtotal.gt(when.max_amount)) continue
      const discount =
        r.action.type === 'percent_off'
          ? round2(running.times(r.action.percent).div(HUNDRED))
          : round2(Decimal.min(new Decimal(r.action.amount), running))
      discounts.push({ rule_id: r.id, amount: discount })
      running = running.minus(discount)
      if (r.stop) break
    }
    const discountTotal = discounts.reduce((s, d) => s.plus(d.amount), ZERO)
    return { lines, errors, subtotal, order_discounts: discounts, order_discount_total: discountTotal, total_before_tax: subtotal.minus(discountTotal) }
  }
}
