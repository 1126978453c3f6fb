'use strict'
// b2b-oms for Node.js: the compiled handles (Catalog, PriceBook,
// ClassificationPolicy, ApprovalPolicy, ReservationLedger), every host
// operation as a function (operations.js, generated), the generic `call`,
// and the error classes. Documents are plain objects mirroring the JSON
// format; decimals are strings in and out.

const { native, text, guard, guardAsync, call, callAsync } = require('./call.js')
const errors = require('./errors.js')
const { fromNative } = errors

const parse = (json) => JSON.parse(json)

/** An RFC 3339 instant: a string as given, a `Date` as its UTC instant. */
function instant(at, name) {
  if (at instanceof Date) return JSON.stringify(at)
  if (typeof at === 'string') return JSON.stringify(at)
  throw new errors.InputError(`${name}: expected an RFC 3339 string or a Date`, {
    code: 'INVALID_FIELD',
    family: 'input',
    field: name,
    details: {},
  })
}

/** A compiled catalog: the products, validated once (every problem reported at once). */
class Catalog {
  /** @param {object[] | string} products the catalog document (an array of products) or its JSON text */
  constructor(products) {
    const input = text(products, 'catalog')
    this._native = guard(() => new native.Catalog(input))
  }

  /** How many products the catalog holds. */
  get size() {
    return guard(() => this._native.size())
  }
}

function nativeCatalog(catalog, name) {
  if (!(catalog instanceof Catalog)) {
    throw new errors.InputError(`${name}: expected a Catalog`, { code: 'INVALID_FIELD', family: 'input', field: name, details: {} })
  }
  return catalog._native
}

/** A compiled price book (price lists, tiers, rules) against a catalog: build once, price many. */
class PriceBook {
  /**
   * @param {object | string} definition the price book document
   * @param {Catalog} catalog the compiled catalog it prices
   */
  constructor(definition, catalog) {
    const input = text(definition, 'price_book')
    const cat = nativeCatalog(catalog, 'catalog')
    this._native = guard(() => new native.PriceBook(input, cat))
  }

  /** Prices one order, cart or quote request for a customer. */
  priceOrder(customer, request) {
    const c = text(customer, 'customer')
    const r = text(request, 'request')
    return parse(guard(() => this._native.priceOrder(c, r)))
  }

  /** `priceOrder` on the libuv thread pool: the same result, as a promise. */
  async priceOrderAsync(customer, request) {
    const c = text(customer, 'customer')
    const r = text(request, 'request')
    return guardAsync(() => this._native.priceOrderAsync(c, r))
  }

  /**
   * `priceOrder` returning the priced order as JSON text, for a server that
   * sends it on as is: no JS objects are built for the result (with the
   * full waterfall of a large order, building them is most of the time).
   */
  priceOrderJson(customer, request) {
    const c = text(customer, 'customer')
    const r = text(request, 'request')
    return guard(() => this._native.priceOrder(c, r))
  }

  /** `priceOrderJson` on the libuv thread pool. */
  async priceOrderJsonAsync(customer, request) {
    const c = text(customer, 'customer')
    const r = text(request, 'request')
    try {
      return await this._native.priceOrderAsync(c, r)
    } catch (e) {
      throw fromNative(e)
    }
  }

  /**
   * Prices many orders (`[{customer, request}]`) over the machine's cores
   * (or at most `threads`): `{results: [{priced} | {error}]}` in input order.
   */
  priceOrders(orders, threads) {
    const o = text(orders, 'orders')
    return parse(guard(() => this._native.priceOrders(o, threads)))
  }

  /** `priceOrders` on the libuv thread pool: the same result, as a promise. */
  async priceOrdersAsync(orders, threads) {
    const o = text(orders, 'orders')
    return guardAsync(() => this._native.priceOrdersAsync(o, threads))
  }

  /**
   * The catalog as `customer` sees it, priced at each product's MOQ.
   * @param {object} customer
   * @param {{currency: string, channel: string, at: string | Date, category?: string}} options
   */
  catalogView(customer, options) {
    const c = text(customer, 'customer')
    const { currency, channel, at, category } = options ?? {}
    const ch = JSON.stringify(channel ?? null)
    const when = instant(at, 'at')
    return parse(guard(() => this._native.catalogView(c, currency, ch, when, category ?? null)))
  }
}

/** A compiled classification policy: which segment and price list an inquiry gets. */
class ClassificationPolicy {
  /** @param {object | string} policy the classification policy document */
  constructor(policy) {
    const input = text(policy, 'classification_policy')
    this._native = guard(() => new native.ClassificationPolicy(input))
  }

  /**
   * Classifies an inquiry; with a catalog, also drafts the quote request.
   * @returns {{classification: object, quote_request: object | null}}
   */
  classify(inquiry, catalog) {
    const i = text(inquiry, 'inquiry')
    const cat = catalog === undefined || catalog === null ? null : nativeCatalog(catalog, 'catalog')
    return parse(guard(() => this._native.classify(i, cat)))
  }
}

/** A compiled approval policy: rules over the facts of a quote or order. */
class ApprovalPolicy {
  /** @param {object | string} definition the approval policy document */
  constructor(definition) {
    const input = text(definition, 'approval_policy')
    this._native = guard(() => new native.ApprovalPolicy(input))
  }

  /** The plan for a subject (quote or order summary) and host facts (`context`). */
  plan(subject, context) {
    const s = text(subject, 'subject')
    const c = context === undefined || context === null ? null : text(context, 'context')
    return parse(guard(() => this._native.plan(s, c)))
  }
}

/** A live reservation ledger over stock: never oversells; every command all or nothing. */
class ReservationLedger {
  /** @param {object | string} state a `LedgerState` document: `{stock, reservations?}` */
  constructor(state) {
    const input = text(state, 'ledger_state')
    this._native = guard(() => new native.ReservationLedger(input))
  }

  /** Reserves every request for the order, or nothing. */
  reserve(orderId, requests) {
    const r = text(requests, 'requests')
    guard(() => this._native.reserve(orderId, r))
  }

  /** Releases exactly the quantities given. */
  release(orderId, requests) {
    const r = text(requests, 'requests')
    guard(() => this._native.release(orderId, r))
  }

  /** Consumes reservations at dispatch (they leave on hand). */
  consume(orderId, requests) {
    const r = text(requests, 'requests')
    guard(() => this._native.consume(orderId, r))
  }

  /** Moves reserved units that failed QC to their hold batch. */
  quarantine(orderId, requests) {
    const r = text(requests, 'requests')
    guard(() => this._native.quarantine(orderId, r))
  }

  /** The stock now, with reserved quantities (of `skus`, or all). */
  snapshot(skus) {
    const s = skus === undefined || skus === null ? null : JSON.stringify(skus)
    return parse(guard(() => this._native.snapshot(s)))
  }

  /** The reservations an order holds. */
  reservations(orderId) {
    return parse(guard(() => this._native.reservations(orderId)))
  }

  /** The ledger as a `LedgerState` document with the reservations of `orderIds`. */
  state(orderIds) {
    const o = JSON.stringify(orderIds ?? [])
    return parse(guard(() => this._native.state(o)))
  }
}

/** Every error code of the core: `[{code, family, summary}]`. */
function codes() {
  return parse(guard(() => native.codes()))
}

const {
  B2bOmsError,
  InputError,
  InputTypeError,
  PricingError,
  QuoteError,
  ApprovalError,
  CreditError,
  OrderError,
  AllocationError,
  TaxError,
  InvoiceError,
  InternalError,
  FAMILY_CLASSES,
} = errors

/** Test hook (see the README): throws INTERNAL when B2B_OMS_TEST_PANIC=1, else returns "ok". */
function __testPanic() {
  return guard(() => native.__testPanic())
}

/** Test hook: the same, panicking inside an async task's compute. */
function __testPanicAsync() {
  return guardAsync(() => native.__testPanicAsync().then((s) => JSON.stringify(s)))
}

// Shorthand properties only: Node's ESM loader finds these names statically
// (`import { PriceBook } from 'b2b-oms'`).
module.exports = {
  ...require('./operations.js'),
  Catalog,
  PriceBook,
  ClassificationPolicy,
  ApprovalPolicy,
  ReservationLedger,
  call,
  callAsync,
  codes,
  B2bOmsError,
  InputError,
  InputTypeError,
  PricingError,
  QuoteError,
  ApprovalError,
  CreditError,
  OrderError,
  AllocationError,
  TaxError,
  InvoiceError,
  InternalError,
  FAMILY_CLASSES,
  __testPanic,
  __testPanicAsync,
}
