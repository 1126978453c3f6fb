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
// The invoice, credit note and export invoice of the demo's journey.
const DEMO_DOCUMENTS = [
  { number: 'INV/26-27/00001', taxable: '₹1,43,075.69', cgst: '₹4,150.18', sgst: '₹4,150.18', igst: '₹0.00', roundOff: '-₹0.05', total: '₹1,51,376.00' },
  { number: 'INV/26-27/00002', taxable: '₹98,314.09', cgst: '₹0.00', sgst: '₹0.00', igst: '₹4,915.70', roundOff: '₹0.21', total: '₹1,03,230.00' },
  { number: 'CRN/26-27/00001', taxable: '₹228.73', cgst: '₹5.72', sgst: '₹5.72', igst: '₹0.00', roundOff: '-₹0.17', total: '₹240.00' },
  { number: 'EXP/26-27/00001', taxable: '₹10,16,754.90', cgst: '₹0.00', sgst: '₹0.00', igst: '₹0.00', roundOff: '₹0.00', total: '₹10,16,754.90' },
]

test('examples/node/journey.mjs runs and prints the Rust demo\'s totals', () => {
  const printed = run(join(repoDir, 'examples', 'node', 'journey.mjs'))
  const totals = [...printed.matchAll(/Total before tax (\S+)/g)].map((m) => m[1])
  assert.deepEqual(totals, DEMO_TOTALS)
  assert.match(printed, /Quote Q-2026-0187 rev 1 for Shree Ganesh Distributors: 6 line\(s\), ₹2,76,059\.14 before tax/)
  // examples/data/journey.json is in the repo: the journey runs to the end.
  // The order of the demo's step 4:
  assert.match(printed, /Order SO-2026-0412 from PO SGD\/PO\/2026\/0412: 6 line\(s\), ₹2,41,389\.78 before tax, advance due ₹76,381\.76/)
  // The documents of the demo's steps 7–10, to the paisa:
  const documents = [...printed.matchAll(/^\S.* ((?:INV|CRN|EXP)\/26-27\/\d{5}) \(\S+\): taxable (\S+), CGST (\S+) \+ SGST (\S+) \+ IGST (\S+), round-off (\S+), total (\S+)$/gm)]
    .map(([, number, taxable, cgst, sgst, igst, roundOff, total]) => ({ number, taxable, cgst, sgst, igst, roundOff, total }))
  assert.deepEqual(documents, DEMO_DOCUMENTS)
  assert.match(printed, /^Invoicing SHP-SO-2026-0412-1 again: refused, OVER_INVOICED$/m)
  assert.match(printed, /^Crediting the whole line again: refused, OVER_CREDITED$/m)
  const einvoices = [...printed.matchAll(/^((?:INV|CRN|EXP)\/26-27\/\d{5}): \d+ item\(s\), total value (\S+)$/gm)].map((m) => [m[1], m[2]])
  assert.deepEqual(einvoices, [
    ['INV/26-27/00001', '151376'],
    ['INV/26-27/00002', '103230'],
    ['CRN/26-27/00001', '240'],
    ['EXP/26-27/00001', '1016754.9'],
  ])
  const cli = join(repoDir, 'target', 'debug', 'b2b-oms')
  if (existsSync(cli)) {
    const demo = execFileSync(cli, ['demo'], { cwd: repoDir, encoding: 'utf8' })
    const demoTotals = [...demo.matchAll(/Total before tax\s+(\S+)/g)].map((m) => m[1])
    assert.deepEqual(totals, demoTotals)
    const demoDocuments = [...demo.matchAll(/^ {2}taxable (\S+) \|.*\| total (\S+)$/gm)].map((m) => [m[1], m[2]])
    assert.deepEqual(documents.map((d) => [d.taxable, d.total]), demoDocuments)
  }
})
