// Prices the same orders in one run and prints the ratios:
// 1. an idiomatic plain-JavaScript implementation of the same rules with
//    decimal.js (pure.mjs) against the binding (PriceBook.priceOrder, and
//    priceOrderJson, which leaves the result as JSON text), at each explain
//    level (full, summary, none): target >= 20x at full;
// 2. the binding against native Rust on the same compiled book and data (an
//    in-process timer in the addon, PriceBook._timeNative): the binding's
//    overhead, target <= 2x;
// 3. priceOrders on 1 and 2 threads, and priceOrderAsync.
// Before timing, both implementations must agree on every line's net unit
// price and amount and on the order totals. A benchmark, not a test: build
// the addon in release first (cd bindings-node && npx napi build --platform
// --release --js native.js --dts native.d.ts).
//
//   node benches/node/ratio.mjs [--skus 5000] [--rules 2000] [--lines 1000] [--orders 5]
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import { availableParallelism } from 'node:os'
import { world, order } from './world.mjs'
import { PurePriceBook, Decimal } from './pure.mjs'

const require = createRequire(import.meta.url)
const oms = require('../../bindings-node')

const { values: opt } = parseArgs({
  options: {
    skus: { type: 'string', default: '5000' },
    rules: { type: 'string', default: '2000' },
    lines: { type: 'string', default: '1000' },
    orders: { type: 'string', default: '5' },
  },
})
const skus = Number(opt.skus)
const rules = Number(opt.rules)
const lines = Number(opt.lines)
const nOrders = Number(opt.orders)

/** Seconds per call: the best of `repeat` runs of `number` calls. */
function bestOf(fn, repeat, number) {
  let best = Infinity
  for (let r = 0; r < repeat; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < number; i++) fn()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9 / number)
  }
  return best
}
async function bestOfAsync(fn, repeat, number) {
  let best = Infinity
  for (let r = 0; r < repeat; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < number; i++) await fn()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9 / number)
  }
  return best
}

/** Throws on the first disagreement; returns the number of lines compared. */
function checkAgreement(core, js) {
  const byIndex = new Map(js.lines.map((l) => [l.line_index, l]))
  if (core.lines.length !== js.lines.length) throw new Error(`lines: core ${core.lines.length}, js ${js.lines.length}`)
  for (const line of core.lines) {
    const mine = byIndex.get(line.line_index)
    if (!mine) throw new Error(`line ${line.line_index} priced by the core only`)
    for (const key of ['net_unit_price', 'amount']) {
      if (!new Decimal(line[key]).eq(mine[key])) {
        throw new Error(
          `disagreement on line ${line.line_index} ${line.sku} ${key}: core ${line[key]}, plain JS ${mine[key]} ` +
            `(core adjustments ${line.adjustments.map((a) => a.rule_id)}, js ${mine.adjustments.map((a) => a.rule_id)})`,
        )
      }
    }
  }
  const a = core.errors.map((e) => e.line_index).sort((x, y) => x - y)
  const b = js.errors.map((e) => e.line_index).sort((x, y) => x - y)
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`errors differ: core ${a}, js ${b}`)
  for (const key of ['subtotal', 'order_discount_total', 'total_before_tax']) {
    if (!new Decimal(core[key]).eq(js[key])) throw new Error(`${key}: core ${core[key]}, js ${js[key]}`)
  }
  return core.lines.length
}

let t = performance.now()
const w = world({ skus, rules })
const orders = Array.from({ length: nOrders }, (_, i) => order(w, { lines, seed: 11 + i, customer: i * 7 }))
console.log(
  `world: ${skus} skus, ${rules} rules, ${w.price_book.price_lists.length} price lists, ${nOrders} orders of ${lines} lines ` +
    `(${((performance.now() - t) / 1000).toFixed(1)} s to generate); Node ${process.version}, ${availableParallelism()} cores`,
)

t = performance.now()
const book = new oms.PriceBook(w.price_book, new oms.Catalog(w.catalog))
const compileNative = performance.now() - t
t = performance.now()
const jsBook = new PurePriceBook(w.catalog, w.price_book)
const compileJs = performance.now() - t
console.log(`compile: binding ${compileNative.toFixed(1)} ms, plain JS ${compileJs.toFixed(1)} ms`)

let compared = 0
for (const o of orders) compared += checkAgreement(book.priceOrder(o.customer, o.request), jsBook.priceOrder(o.customer, o.request))
console.log(`agreement: ${compared} priced lines, the same net unit price and amount; the same totals`)

const each = (fn) => () => {
  for (const o of orders) fn(o)
}
const n = orders.length
const ms = (s) => (s * 1000).toFixed(2).padStart(9)
const summary = {}
for (const explain of ['full', 'summary', 'none']) {
  const level = orders.map((o) => ({ customer: o.customer, request: { ...o.request, explain } }))
  for (const o of level) checkAgreement(book.priceOrder(o.customer, o.request), jsBook.priceOrder(o.customer, o.request))
  const eachL = (fn) => () => level.forEach(fn)
  const pureS = bestOf(eachL((o) => jsBook.priceOrder(o.customer, o.request)), 3, 1) / n
  const bindingS = bestOf(eachL((o) => book.priceOrder(o.customer, o.request)), 5, 3) / n
  const texts = level.map((o) => [JSON.stringify(o.customer), JSON.stringify(o.request)])
  const textOutS = bestOf(() => texts.forEach(([c, r]) => book._native.priceOrder(c, r)), 5, 3) / n
  const outBytes = book._native.priceOrder(...texts[0]).length
  const asyncS = (await bestOfAsync(async () => { for (const o of level) await book.priceOrderAsync(o.customer, o.request) }, 5, 3)) / n
  const nativeS = texts.reduce((s, [c, r]) => s + book._native._timeNative(c, r, 20), 0) / n
  console.log()
  console.log(`one ${lines}-line order, explain: ${explain} (result ${(outBytes / 1024).toFixed(0)} KiB of JSON):`)
  console.log(`  plain JS (decimal.js)         ${ms(pureS)} ms`)
  console.log(`  b2b-oms priceOrder (objects)  ${ms(bindingS)} ms   ${(pureS / bindingS).toFixed(1).padStart(6)}x faster than plain JS (target >= 20x)`)
  console.log(`  b2b-oms priceOrderJson (text) ${ms(textOutS)} ms   ${(pureS / textOutS).toFixed(1).padStart(6)}x faster than plain JS`)
  console.log(`  b2b-oms priceOrderAsync       ${ms(asyncS)} ms   (awaited one at a time)`)
  console.log(`  native Rust (in-process)      ${ms(nativeS)} ms   binding overhead ${(bindingS / nativeS).toFixed(2)}x objects, ${(textOutS / nativeS).toFixed(2)}x JSON text (target <= 2x)`)
  summary[explain] = { pureS, bindingS, textOutS, nativeS }
}
console.log(`\nagreement also checked at every explain level; per line at full: plain JS ${((summary.full.pureS / lines) * 1e6).toFixed(1)} us, binding ${((summary.full.bindingS / lines) * 1e6).toFixed(2)} us, native ${((summary.full.nativeS / lines) * 1e6).toFixed(2)} us`)

const batch = Array.from({ length: 4 }, () => orders.map((o) => ({ customer: o.customer, request: o.request }))).flat()
const one = bestOf(() => book.priceOrders(batch, 1), 3, 1)
const two = bestOf(() => book.priceOrders(batch, 2), 3, 1)
console.log()
console.log(`priceOrders, ${batch.length} orders of ${lines} lines from Node:`)
console.log(`  1 thread   ${(one * 1000).toFixed(1).padStart(9)} ms   ${(batch.length / one).toFixed(1).padStart(7)} orders/s`)
console.log(`  2 threads  ${(two * 1000).toFixed(1).padStart(9)} ms   ${(batch.length / two).toFixed(1).padStart(7)} orders/s   speed-up ${(one / two).toFixed(2)}x`)
