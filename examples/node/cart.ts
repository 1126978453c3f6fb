// A storefront's cart endpoint in TypeScript: compile the catalog and price
// book once at start-up, price each cart as it comes, and turn the engine's
// typed errors into HTTP answers by switching on `err.code`.
// Checked by `tsc --strict` (bindings-node/tsconfig.json); run it compiled:
//   npx tsc -p bindings-node/tsconfig.json --noEmit false --outDir examples/node/build && node examples/node/build/examples/node/cart.js
import { readFileSync } from 'node:fs'
import { B2bOmsError, Catalog, PriceBook, InputTypeError, type Customer, type PriceRequest, type PricedOrder } from 'b2b-oms'

interface Dataset {
  catalog: ConstructorParameters<typeof Catalog>[0]
  price_book: ConstructorParameters<typeof PriceBook>[0]
  customers: Customer[]
  orders: { customer_id: string; request: PriceRequest }[]
}

// Run from the repository root, or give the dataset's path.
const dataset: Dataset = JSON.parse(readFileSync(process.argv[2] ?? 'examples/data/dataset.json', 'utf8'))

const book = new PriceBook(dataset.price_book, new Catalog(dataset.catalog))

/** What the cart endpoint answers: 200 with the priced cart, or an error status. */
type Answer = { status: 200; body: PricedOrder } | { status: 400 | 422 | 500; body: { code: string; field: string | null; message: string } }

function priceCart(customer: Customer, cart: PriceRequest): Answer {
  try {
    return { status: 200, body: book.priceOrder(customer, cart) }
  } catch (err) {
    if (err instanceof InputTypeError) return { status: 400, body: { code: err.code, field: err.field, message: err.message } }
    if (!(err instanceof B2bOmsError)) throw err
    switch (err.code) {
      case 'BELOW_MOQ':
      case 'NOT_MULTIPLE':
      case 'NO_PRICE':
        return { status: 422, body: { code: err.code, field: err.field, message: err.message } }
      case 'INTERNAL':
        return { status: 500, body: { code: err.code, field: null, message: 'please retry' } }
      default:
        return { status: 400, body: { code: err.code, field: err.field, message: err.message } }
    }
  }
}

const order = dataset.orders[0]
const customer = dataset.customers.find((c) => c.id === order.customer_id)
if (!customer) throw new Error('no customer')
const answer = priceCart(customer, order.request)
if (answer.status === 200) {
  const cart: PricedOrder = answer.body
  const total: string = cart.total_before_tax
  console.log(`cart ${cart.order_id}: ${cart.lines.length} lines, total before tax ${total} ${cart.currency}`)
}
const bad = priceCart(customer, { ...order.request, lines: [{ sku: 'TEE-COT-M', quantity: 'x1' }] })
console.log(`a malformed quantity: ${bad.status} ${'code' in bad.body ? bad.body.code : ''}`)
