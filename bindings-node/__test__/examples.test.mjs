// The examples run and print what they promise: the TypeScript cart example
// (compiled by tsc into examples/node/build) and the journey.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pkgDir, repoDir } from './helpers.mjs'

const run = (file, args = []) => execFileSync(process.execPath, [file, ...args], { cwd: repoDir, encoding: 'utf8' })

test('examples/node/cart.ts compiles under --strict and runs', () => {
  const out = join(repoDir, 'examples', 'node', 'build')
  rmSync(out, { recursive: true, force: true })
  const tsc = join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc')
  execFileSync(process.execPath, [tsc, '-p', join(pkgDir, 'tsconfig.json'), '--noEmit', 'false', '--outDir', out], { encoding: 'utf8' })
  const printed = run(join(out, 'examples', 'node', 'cart.js'))
  assert.match(printed, /^cart Q-2026-0187: \d+ lines, total before tax \d+\.\d\d INR$/m)
  assert.match(printed, /a malformed quantity: 400/)
})

// The totals the Rust demo (`cargo run -p b2b-oms-cli -- demo`) prints for
// the same dataset; when the CLI is built, its output is compared too.
const DEMO_TOTALS = ['₹2,76,059.14', '₹1,20,552.30']

test('examples/node/journey.mjs runs and prints the Rust demo\'s totals', () => {
  const printed = run(join(repoDir, 'examples', 'node', 'journey.mjs'))
  const totals = [...printed.matchAll(/Total before tax (\S+)/g)].map((m) => m[1])
  assert.deepEqual(totals, DEMO_TOTALS)
  assert.match(printed, /Quote Q-2026-0187 rev 1 for Shree Ganesh Distributors: 6 line\(s\), ₹2,76,059\.14 before tax/)
  if (/Order SO-/.test(printed)) {
    // with examples/data/journey.json: the order of the demo's step 4
    assert.match(printed, /Order SO-2026-0412 from PO SGD\/PO\/2026\/0412: 6 line\(s\), ₹2,41,389\.78 before tax, advance due ₹76,381\.76/)
  }
  const cli = join(repoDir, 'target', 'debug', 'b2b-oms')
  if (existsSync(cli)) {
    const demo = execFileSync(cli, ['demo'], { cwd: repoDir, encoding: 'utf8' })
    const demoTotals = [...demo.matchAll(/Total before tax\s+(\S+)/g)].map((m) => m[1])
    assert.deepEqual(totals, demoTotals)
  }
})
