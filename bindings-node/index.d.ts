// b2b-oms for Node.js: the compiled handles, every host operation as a
// function (operations.d.ts, generated), the generic `call`, the error
// classes (errors.d.ts) and the document types (types.d.ts, generated from
// the JSON Schema). Decimals are strings in and out.
import type * as T from './types'
import type { OperationName } from './operations'
import type { ErrorCode, ErrorFamily } from './codes'

export * from './operations'
export * from './errors'
export type * from './types'
export type { ErrorCode, ErrorFamily, CodesByFamily } from './codes'

/** A document as a plain object, or its JSON text. */
export type Doc<D> = D | string

/** A compiled catalog: the products, validated once (every problem reported at once). */
export declare class Catalog {
  constructor(products: Doc<T.Product[]>)
  /** How many products the catalog holds. */
  readonly size: number
}

/** One order of a batch. */
export interface OrderToPrice {
  customer: T.Customer
  request: T.PriceRequest
}

/** Options of `catalogView`. */
export interface CatalogViewOptions {
  currency: string
  channel: T.Channel
  /** The pricing instant: an RFC 3339 string, or a Date (sent as its UTC instant). */
  at: string | Date
  /** Only this category and its descendants. */
  category?: string
}

/** A compiled price book (price lists, tiers, rules) against a catalog: build once, price many. */
export declare class PriceBook {
  constructor(definition: Doc<T.PriceBookDefinition>, catalog: Catalog)
  /** Prices one order, cart or quote request; error paths are relative to the argument. */
  priceOrder(customer: Doc<T.Customer>, request: Doc<T.PriceRequest>): T.PricedOrder
  /** `priceOrder` on the libuv thread pool: the same result, as a promise. */
  priceOrderAsync(customer: Doc<T.Customer>, request: Doc<T.PriceRequest>): Promise<T.PricedOrder>
  /**
   * `priceOrder` returning the priced order as JSON text, for a server that
   * sends it on as is (no JS objects built for the result).
   */
  priceOrderJson(customer: Doc<T.Customer>, request: Doc<T.PriceRequest>): string
  /** `priceOrderJson` on the libuv thread pool. */
  priceOrderJsonAsync(customer: Doc<T.Customer>, request: Doc<T.PriceRequest>): Promise<string>
  /** Prices many orders over the machine's cores (or at most `threads`), results in input order. */
  priceOrders(orders: Doc<OrderToPrice[]>, threads?: number): T.PricedOrders
  /** `priceOrders` on the libuv thread pool: the same result, as a promise. */
  priceOrdersAsync(orders: Doc<OrderToPrice[]>, threads?: number): Promise<T.PricedOrders>
  /** The catalog as `customer` sees it, priced at each product's MOQ. */
  catalogView(customer: Doc<T.Customer>, options: CatalogViewOptions): T.CatalogEntryView[]
}

/** A compiled classification policy: which segment and price list an inquiry gets. */
export declare class ClassificationPolicy {
  constructor(policy: Doc<T.ClassificationPolicy>)
  /** Classifies an inquiry; with a catalog, also drafts the quote request. */
  classify(inquiry: Doc<T.Inquiry>, catalog?: Catalog | null): T.ClassifyOutput
}

/** A compiled approval policy: rules over the facts of a quote or order. */
export declare class ApprovalPolicy {
  constructor(definition: Doc<T.ApprovalPolicyDefinition>)
  /** The plan for a subject (quote or order summary) and host-supplied facts. */
  plan(subject: Doc<T.ApprovalSubject>, context?: Doc<T.FactContext> | null): T.ApprovalPlan
}

/** A live reservation ledger over stock: never oversells; every command all or nothing. */
export declare class ReservationLedger {
  constructor(state: Doc<T.LedgerState>)
  /** Reserves every request for the order, or nothing. */
  reserve(orderId: string, requests: Doc<T.ReservationRequest[]>): void
  /** Releases exactly the quantities given. */
  release(orderId: string, requests: Doc<T.ReservationRequest[]>): void
  /** Consumes reservations at dispatch (they leave on hand). */
  consume(orderId: string, requests: Doc<T.ReservationRequest[]>): void
  /** Moves reserved units that failed QC to their hold batch. */
  quarantine(orderId: string, requests: Doc<T.ReservationRequest[]>): void
  /** The stock now, with reserved quantities (of `skus`, or all). */
  snapshot(skus?: string[] | null): T.StockSnapshot
  /** The reservations an order holds. */
  reservations(orderId: string): T.Reservation[]
  /** The ledger as a `LedgerState` document with the reservations of `orderIds`. */
  state(orderIds: string[]): T.LedgerState
}

/** Runs host operation `operation` on its input document; returns its output document. */
export declare function call(operation: OperationName | (string & {}), doc: object | string): unknown
/** `call` on the libuv thread pool: the same result, as a promise. */
export declare function callAsync(operation: OperationName | (string & {}), doc: object | string): Promise<unknown>

/** One row of the core's code list. */
export interface CodeInfo {
  code: ErrorCode
  family: ErrorFamily
  summary: string
}
/** Every error code of the core. */
export declare function codes(): CodeInfo[]

/** Test hook: throws INTERNAL (a caught panic) when B2B_OMS_TEST_PANIC=1, else returns "ok". */
export declare function __testPanic(): string
/** Test hook: the same, panicking inside an async task. */
export declare function __testPanicAsync(): Promise<string>
