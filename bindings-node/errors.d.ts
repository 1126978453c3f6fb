// The error classes of b2b-oms: one B2bOmsError subclass per family of the
// core's code list, each with `code`, `family`, `field` and `details`.
import type { ErrorCode, ErrorFamily } from './codes'

export interface B2bOmsErrorInfo {
  code: ErrorCode
  family: ErrorFamily
  field?: string | null
  details?: Record<string, unknown>
}

/** The root of every error the package throws. */
export declare class B2bOmsError extends Error {
  constructor(message: string, info: B2bOmsErrorInfo)
  /** The stable machine-readable code (`BELOW_MOQ`): switch on it. */
  readonly code: ErrorCode
  /** The code's family (`pricing`). */
  readonly family: ErrorFamily
  /** Path of the offending input field (`lines[3].quantity`), or null. */
  readonly field: string | null
  /** The error's own values (limits, quantities, suggestions, listed problems). */
  readonly details: Record<string, unknown>
}
/** The document itself: malformed JSON, a missing or unknown field, a value out of range. */
export declare class InputError extends B2bOmsError {}
/** Catalog, units, price books and pricing (MOQ, no price, …). */
export declare class PricingError extends B2bOmsError {}
/** Quotes: expiry, revisions, seals, acceptance. */
export declare class QuoteError extends B2bOmsError {}
/** Approval policies and instances. */
export declare class ApprovalError extends B2bOmsError {}
/** Payment terms and credit. */
export declare class CreditError extends B2bOmsError {}
/** Orders: PO numbers, quantities, amendments. */
export declare class OrderError extends B2bOmsError {}
/** Stock, reservations, warehouse allocation and shipments. */
export declare class AllocationError extends B2bOmsError {}
/** GSTIN, HSN, rates and the tax regime. */
export declare class TaxError extends B2bOmsError {}
/** Invoices, notes, numbering and e-invoices. */
export declare class InvoiceError extends B2bOmsError {}
/** A defect of the library (a caught panic): never the caller's input. */
export declare class InternalError extends B2bOmsError {}
/**
 * A decimal given the wrong way: `NUMBER_FOR_DECIMAL` (a JS number where a
 * decimal string is required) or `EXCESS_PRECISION` (more digits than the
 * core holds). A built-in TypeError; `instanceof InputError` and
 * `instanceof B2bOmsError` are also true.
 */
export declare class InputTypeError extends TypeError {
  constructor(message: string, info: B2bOmsErrorInfo)
  readonly code: 'NUMBER_FOR_DECIMAL' | 'EXCESS_PRECISION'
  readonly family: 'input'
  readonly field: string | null
  readonly details: Record<string, unknown>
}
/** The class of each family. */
export declare const FAMILY_CLASSES: Readonly<Record<ErrorFamily, typeof B2bOmsError>>
