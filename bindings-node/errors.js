'use strict'
// The error classes of the package: one `B2bOmsError` subclass per family of
// the core's code list (host::CODES), each with `code`, `family`, `field`
// and `details`. The native addon throws plain error objects carrying those
// properties; `fromNative` turns them into these classes.

/** The root of every error the package throws. */
class B2bOmsError extends Error {
  /**
   * @param {string} message
   * @param {{code: string, family: string, field?: string | null, details?: object}} info
   */
  constructor(message, info) {
    super(message)
    this.name = new.target.name
    /** The stable machine-readable code (`BELOW_MOQ`). */
    this.code = info.code
    /** The code's family (`pricing`). */
    this.family = info.family
    /** Path of the offending input field (`lines[3].quantity`), or null. */
    this.field = info.field ?? null
    /** The error's own values (limits, quantities, suggestions). */
    this.details = info.details ?? {}
  }

  // `InputTypeError` extends the built-in TypeError (a JS number where a
  // decimal string is required, more precision than the core holds), so it
  // cannot also extend this class: `instanceof` is taught to count it as a
  // B2bOmsError and an InputError.
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    return (this === B2bOmsError || this === InputError) && value instanceof InputTypeError
  }
}

/** The document itself: malformed JSON, a missing or unknown field, a value out of range. */
class InputError extends B2bOmsError {}
/** Catalog, units, price books and pricing (MOQ, no price, …). */
class PricingError extends B2bOmsError {}
/** Quotes: expiry, revisions, seals, acceptance. */
class QuoteError extends B2bOmsError {}
/** Approval policies and instances. */
class ApprovalError extends B2bOmsError {}
/** Payment terms and credit. */
class CreditError extends B2bOmsError {}
/** Orders: PO numbers, quantities, amendments. */
class OrderError extends B2bOmsError {}
/** Stock, reservations, warehouse allocation and shipments. */
class AllocationError extends B2bOmsError {}
/** GSTIN, HSN, rates and the tax regime. */
class TaxError extends B2bOmsError {}
/** Invoices, notes, numbering and e-invoices. */
class InvoiceError extends B2bOmsError {}
/** A defect of the library (a caught panic): never the caller's input. */
class InternalError extends B2bOmsError {}

/**
 * A decimal given the wrong way (`NUMBER_FOR_DECIMAL`: a JS number where a
 * decimal string is required; `EXCESS_PRECISION`: more digits than the core
 * holds): a TypeError, and also `instanceof InputError` and `B2bOmsError`.
 */
class InputTypeError extends TypeError {
  constructor(message, info) {
    super(message)
    this.name = 'InputTypeError'
    this.code = info.code
    this.family = info.family
    this.field = info.field ?? null
    this.details = info.details ?? {}
  }
}

/** The class of each family. */
const FAMILY_CLASSES = Object.freeze({
  input: InputError,
  pricing: PricingError,
  quote: QuoteError,
  approval: ApprovalError,
  credit: CreditError,
  order: OrderError,
  allocation: AllocationError,
  tax: TaxError,
  invoice: InvoiceError,
  internal: InternalError,
})

/** The codes thrown as `InputTypeError`. */
const TYPE_ERROR_CODES = new Set(['NUMBER_FOR_DECIMAL', 'EXCESS_PRECISION'])

/** The error of `info` as its class. */
function makeError(message, info) {
  if (TYPE_ERROR_CODES.has(info.code)) return new InputTypeError(message, info)
  const Class = FAMILY_CLASSES[info.family] ?? InternalError
  return new Class(message, info)
}

/**
 * The package error of anything the native addon threw: a host error object
 * becomes its family's class; a napi argument error (a value of the wrong JS
 * type) an `InputError` with code `INVALID_FIELD`; anything else (a panic
 * napi caught itself) an `InternalError` with code `INTERNAL`.
 */
function fromNative(e) {
  if (e instanceof B2bOmsError || e instanceof InputTypeError) return e
  if (e && e.__b2bOms === true) {
    return makeError(e.message, { code: e.code, family: e.family, field: e.field, details: e.details })
  }
  const message = e && e.message ? e.message : String(e)
  const status = e && e.code
  if (typeof status === 'string' && /Expected$|^InvalidArg$/.test(status)) {
    return new InputError(message, { code: 'INVALID_FIELD', family: 'input', field: null, details: { status } })
  }
  return new InternalError(message, { code: 'INTERNAL', family: 'internal', field: null, details: { status: status ?? null } })
}

module.exports = {
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
  makeError,
  fromNative,
}
