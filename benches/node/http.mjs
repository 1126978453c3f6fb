// Requests per second of priceOrder behind a small loopback HTTP server
// (Node's `http` module), sync and async, under a bounded load from a second
// process on 127.0.0.1: 100-line carts, a fixed number of requests in
// flight, reported with the p50 / p99 latency. A benchmark, not a test; build
// the addon in release first.
//
//   node benches/node/http.mjs [--concurrency 16] [--seconds 5] [--lines 100]
import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import http from 'node:http'
import { parseArgs } from 'node:util'
import { world, order } from './world.mjs'

const { values: opt } = parseArgs({
  options: {
    client: { type: 'boolean', default: false },
    port: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
    lines: { type: 'string', default: '100' },
  },
})

if (opt.client) {
  // ---- the load generator (second process) --------------------------------
  const lines = Number(opt.lines)
  const w = world()
  const carts = Array.from({ length: 64 }, (_, i) => {
    const o = order(w, { lines, seed: 100 + i, customer: (i * 7) % w.customers.length })
    return JSON.stringify({ customer_id: o.customer.id, cart: o.request })
  })
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(opt.concurrency) })
  const post = (path, body) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: Number(opt.port), path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume()
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(body)
    })
  process.on('message', async ({ mode }) => {
    const latencies = []
    const until = performance.now() + Number(opt.seconds) * 1000
    let next = 0
    const worker = async () => {
      while (performance.now() < until) {
        const body = carts[next++ % carts.length]
        const start = performance.now()
        await post(`/price?mode=${mode}`, body)
        latencies.push(performance.now() - start)
      }
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: Number(opt.concurrency) }, worker))
    const elapsed = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]
    process.send({ mode, requests: latencies.length, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99) })
  })
  process.send({ ready: true })
} else {
  // ---- the server (this process) -----------------------------------------
  const require = createRequire(import.meta.url)
  const oms = require('../../bindings-node')
  const w = world()
  const book = new oms.PriceBook(w.price_book, new oms.Catalog(w.catalog))
  const customers = new Map(w.customers.map((c) => [c.id, c]))

  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => {
      try {
        const { customer_id, cart } = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        const customer = customers.get(customer_id)
        const mode = req.url.slice(req.url.indexOf('mode=') + 5)
        let body
        if (mode === 'sync') body = JSON.stringify(book.priceOrder(customer, cart))
        else if (mode === 'async') body = JSON.stringify(await book.priceOrderAsync(customer, cart))
        else if (mode === 'json') body = book.priceOrderJson(customer, cart)
        else body = await book.priceOrderJsonAsync(customer, cart)
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(body)
      } catch (e) {
        res.writeHead(e instanceof oms.B2bOmsError ? 422 : 500)
        res.end(JSON.stringify({ code: e.code, message: e.message }))
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const client = fork(new URL(import.meta.url).pathname, ['--client', '--port', String(port), '--concurrency', opt.concurrency, '--seconds', opt.seconds, '--lines', opt.lines])
  const results = []
  await new Promise((resolve, reject) => {
    const modes = ['sync', 'async', 'json', 'json-async']
    client.on('message', (m) => {
      if (!m.ready) results.push(m)
      const mode = modes.shift()
      if (mode) client.send({ mode })
      else resolve()
    })
    client.on('error', reject)
  })
  client.kill()
  server.close()
  console.log(`loopback HTTP, ${opt.lines}-line carts, ${opt.concurrency} requests in flight from a second process, ${opt.seconds} s per mode:`)
  for (const r of results) {
    const name = { sync: 'priceOrder', async: 'priceOrderAsync', json: 'priceOrderJson', 'json-async': 'priceOrderJsonAsync' }[r.mode]
    console.log(`  ${name.padEnd(20)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   (${r.requests} requests)`)
  }
}
