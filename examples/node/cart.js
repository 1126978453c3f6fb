"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A storefront's cart endpoint in TypeScript: compile the catalog and price
// book once at start-up, price each cart as it comes, and turn the engine's
// typed errors into HTTP answers by switching on `err.code`.
// Checked by `tsc --strict` (bindings-node/tsconfig.json); run it compiled:
//   npx tsc -p bindings-node/tsconfig.json --outDir /tmp/ex && node /tmp/ex/examples/node/cart.js
const node_fs_1 = require("node:fs");
const index_js_1 = require("../../bindings-node/index.js");
// Run from the repository root, or give the dataset's path.
const dataset = JSON.parse((0, node_fs_1.readFileSync)(process.argv[2] ?? 'examples/data/dataset.json', 'utf8'));
const book = new index_js_1.PriceBook(dataset.price_book, new index_js_1.Catalog(dataset.catalog));
function priceCart(customer, cart) {
    try {
        return { status: 200, body: book.priceOrder(customer, cart) };
    }
    catch (err) {
        if (err instanceof index_js_1.InputTypeError)
            return { status: 400, body: { code: err.code, field: err.field, message: err.message } };
        if (!(err instanceof index_js_1.B2bOmsError))
            throw err;
        switch (err.code) {
            case 'BELOW_MOQ':
            case 'NOT_MULTIPLE':
            case 'NO_PRICE':
                return { status: 422, body: { code: err.code, field: err.field, message: err.message } };
            case 'INTERNAL':
                return { status: 500, body: { code: err.code, field: null, message: 'please retry' } };
            default:
                return { status: 400, body: { code: err.code, field: err.field, message: err.message } };
        }
    }
}
const order = dataset.orders[0];
const customer = dataset.customers.find((c) => c.id === order.customer_id);
if (!customer)
    throw new Error('no customer');
const answer = priceCart(customer, order.request);
if (answer.status === 200) {
    const cart = answer.body;
    const total = cart.total_before_tax;
    console.log(`cart ${cart.order_id}: ${cart.lines.length} lines, total before tax ${total} ${cart.currency}`);
}
const bad = priceCart(customer, { ...order.request, lines: [{ sku: 'TEE-COT-M', quantity: 'x1' }] });
console.log(`a malformed quantity: ${bad.status} ${'code' in bad.body ? bad.body.code : ''}`);
