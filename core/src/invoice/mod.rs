//! GST invoices: computation of taxable values and tax heads, tax invoices,
//! bills of supply, credit/debit notes, export invoices, part and
//! consolidated invoices, numbering, amounts in words, and the e-invoice
//! (INV-01 v1.1) request JSON with its validator.
//!
//! ```
//! use b2b_oms::invoice::amount_in_words;
//! use rust_decimal::Decimal;
//!
//! let words = amount_in_words(Decimal::new(1234567890, 2), "INR").unwrap();
//! assert_eq!(words, "Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight and Ninety Paise Only");
//! ```
//!
//! # Decisions where the spec is silent
//!
//! - **Bounds.** Quantities 0–10⁹ with at most 3 decimals, unit prices
//!   0–10⁹ with at most 6, amounts (discounts, charges) 0–10¹⁵ with at most 2
//!   (3 for foreign currencies), exchange rates above 0 up to 10⁵ with at
//!   most 6: anything else is `INVALID_VALUE`. Within them no sum of up to
//!   10,000 lines can overflow a decimal.
//! - **Foreign currency.** Prices, discounts and charges are in the export
//!   currency; each line's gross, discount and charge is converted to rupees
//!   and rounded to paise, and all tax is computed in rupees. The foreign
//!   total is the rupee grand total ÷ exchange rate, rounded to the currency.
//!   Foreign amounts in words use the international system (million), rupees
//!   the Indian one (lakh, crore).
//! - **Order discount** is spread over all lines by taxable value after line
//!   discounts; **spread charges** over goods lines (all lines when there are
//!   none) by taxable value. Rounding remainders go to the last line, or to
//!   the largest line if the last one cannot absorb them.
//! - **Spread charges in the e-invoice** are added to the item's `TotAmt`
//!   (so `AssAmt = TotAmt − Discount` holds); item `OthChrg` stays 0.
//! - **Tax-inclusive prices.** Per line the inclusive amount L is split as
//!   taxable = L ÷ (1 + rate) rounded half-up to paise, tax = L − taxable,
//!   so the line reproduces L exactly. Under CGST/SGST an odd paisa of tax
//!   cannot be halved equally: then taxable is rounded to the other paisa
//!   next to the exact quotient (down when half-up rounded up, up when it
//!   rounded down), so taxable always stays within 0.01 of L ÷ (1 + rate),
//!   the halves are equal and L is still reproduced. Cess ad valorem takes what remains after GST. Specific cess
//!   with inclusive prices is `UNSUPPORTED`. Gross and discount are reported
//!   before tax.
//! - **Reverse charge.** Tax is computed and shown; the amount payable to the
//!   supplier is taxable value plus after-tax charges, rounded off; grand
//!   total (invoice value) = amount payable + tax.
//! - **Zero-rated under LUT** lines carry `GstRt` 0 (as the IRP examples do)
//!   and keep the notified rate in `notified_rate`.
//! - **Bill of supply** when the supplier is composition or unregistered, or
//!   when no line is taxable (all nil, exempt or non-GST). It has no e-invoice.
//! - **Notes.** A credit note needs the original invoice with its lines; a
//!   note line with `original_line` uses that line's rate, cess and kind; other
//!   note lines take their rates as of the original's date. The credited
//!   taxable value is capped per referenced line and in total by what remains
//!   creditable. Debit notes are not capped.
//! - **Order lines.** Lines referencing the same order line are summed; the
//!   sum plus `already_invoiced` may not exceed `shipped` (or `ordered` for
//!   advance invoices). Notes are not capped by order quantities.
//! - **Numbering.** Duplicates are compared case-insensitively (the IRP treats
//!   `inv/1` and `INV/1` as one number). E-invoices further require upper
//!   case (pattern of the schema).
//! - **Unregistered buyers** of ₹50,000 or more need a delivery address line
//!   and state (Rule 46); registered buyers always need an address and PIN for
//!   the e-invoice.
//! - **Payment terms.** Either simple instalments (`payment_terms`: percent
//!   and days after the invoice date; percentages sum to 100, amounts rounded
//!   to paise, the last takes the remainder) or the order's terms
//!   (`order_terms`, see [`terms_due_dates`]): the credit module's schedule
//!   of the amount payable, fixed shares kept, each instalment counting from
//!   its own basis date (order, invoice, dispatch, delivery, end of the
//!   invoice month) as given by the host. `PayDtls.CrDay` is the largest
//!   number of days from the invoice date to a due date.
//! - **Credit notes of several lines** are rounded per line and head like
//!   any document. India Compliance's vector of a note with two items of
//!   7.60 at 12 % shows CGST 0.46 and 0.45 (the invoice-level 0.91 spread
//!   over the items); we give 0.46 and 0.46 (CgstVal 0.92, round-off −0.04,
//!   total 17.00), because the spec rounds each line's head from its own
//!   taxable value. A note of one line of 2 × 7.60 gives the vector's 0.91.
//! - **Issued numbers.** The host passes the numbers already issued in the
//!   series (`issued_numbers`); the document's number must not be one of
//!   them. `PrecDocDtls.InvNo` follows the same numbering rule (any case).
//! - **HSN summary** rows are sorted by (HSN, rate, UQC); nil and exempt lines
//!   have their own rows at rate 0.
//! - **E-invoice numbers.** Amounts are JSON numbers written from decimals:
//!   integers as integers, values with up to 3 decimals through an exact
//!   double (see `num::serialize`: the text is always the decimal's own
//!   digits, checked by a property test), anything else as raw JSON text.
//!   Zero state cess and item other charges are omitted, as in the IRP's own
//!   examples. `ItemList[].SlNo` keeps the invoice line number (so it may skip
//!   nil/exempt lines). Buyer and ship-to `Stcd` come from the GSTIN when
//!   there is one.
//! - **E-invoice validation** accepts `GstRt` notified on the document date or,
//!   for notes, on the preceding invoice's date (special slabs such as 28 %
//!   for tobacco by the item's HSN); CGST/SGST only on intra-state B2B/DEXP
//!   supplies, and IGST on an intra-state supply of any type (SEZ in the
//!   seller's state included) only with `IgstOnIntra` Y.

mod compute;
mod einvoice;
mod events;
mod from_order;
mod numbering;
mod ops;
mod terms;
mod types;
mod words;

pub(crate) use compute::spread_discount;
pub use compute::{compute_invoice, consolidate_shipments, due_dates, ShipmentLines};
pub use einvoice::{
    einvoice_json, to_einvoice, validate_einvoice, BatchDtls, BuyerDtls, DocDtls, EInvoice,
    EwbDtls, ExpDtls, ItemDtls, LocationDtls, PartyDtls, PayDtls, PrecDocDtls, RefDtls, TranDtls,
    ValDtls, Violation,
};
pub use events::issued_event;
pub use from_order::{invoice_from_order, InvoiceFromOrder, InvoiceFromOrderInput, PriceOverride};
pub use numbering::{
    financial_year, format_document_number, validate_document_number, FinancialYear,
};
pub use ops::{
    op_einvoice, op_gstin, op_invoice, op_number, op_validate_einvoice, op_words, EInvoiceReport,
    GstinRequest, InvoiceRequest, NumberRequest, NumberResponse, ValidateEInvoiceRequest,
    WordsRequest, WordsResponse,
};
pub use terms::{terms_due_dates, OrderPaymentTerms};
pub use types::*;
pub use words::{amount_in_words, format_indian};

use rust_decimal::Decimal;
use thiserror::Error;

use crate::error::ErrorCode;
use crate::money::MoneyError;
use crate::tax::TaxError;

/// Errors of invoicing.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum InvoiceError {
    /// A tax error (GSTIN, state, HSN, rate) at a field of the invoice.
    #[error(transparent)]
    Tax(#[from] TaxError),
    /// An arithmetic or currency error.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// No lines.
    #[error("the document has no lines")]
    EmptyInvoice {
        /// Field path.
        field: String,
    },
    /// More lines than allowed.
    #[error("{count} lines exceed the maximum of {max}")]
    TooManyLines {
        /// Field path.
        field: String,
        /// Lines given.
        count: usize,
        /// Maximum.
        max: usize,
    },
    /// A value out of range, negative, or with absurd precision.
    #[error("invalid value {value}: {rule}")]
    InvalidValue {
        /// Field path.
        field: String,
        /// The value given.
        value: String,
        /// The rule it broke.
        rule: String,
    },
    /// A required field is missing or empty.
    #[error("missing {field}: {reason}")]
    MissingField {
        /// Field path.
        field: String,
        /// Why it is needed.
        reason: String,
    },
    /// A unit that is not a GST UQC.
    #[error("unit {unit:?} is not a GST unit quantity code (UQC)")]
    InvalidUqc {
        /// Field path.
        field: String,
        /// The unit given.
        unit: String,
    },
    /// An order line invoiced beyond its shipped (or ordered) quantity.
    #[error(
        "order line {order_line} would be invoiced {requested}, more than the {limit} allowed"
    )]
    OverInvoiced {
        /// Field path.
        field: String,
        /// `order_id/line_id`.
        order_line: String,
        /// Allowed quantity (shipped or ordered).
        limit: Decimal,
        /// Already invoiced plus this invoice.
        requested: Decimal,
    },
    /// A credit note crediting more than remains creditable.
    #[error("credit of {requested} exceeds the {remaining} that remains creditable")]
    OverCredited {
        /// Field path.
        field: String,
        /// What remains creditable.
        remaining: Decimal,
        /// What this note credits.
        requested: Decimal,
    },
    /// Shipments that cannot be invoiced together.
    #[error("shipments cannot be consolidated: {reason}")]
    InconsistentShipments {
        /// Field path.
        field: String,
        /// Why.
        reason: String,
    },
    /// A document number that breaks the GST rules.
    #[error("invalid document number {value:?}: {rule}")]
    InvalidDocumentNumber {
        /// Field path.
        field: String,
        /// The number.
        value: String,
        /// The rule it broke.
        rule: String,
    },
    /// A document number already issued.
    #[error("document number {value:?} was already issued")]
    DuplicateDocumentNumber {
        /// Field path.
        field: String,
        /// The number.
        value: String,
    },
    /// A numbering template that cannot be expanded.
    #[error("invalid numbering template {template:?}: {reason}")]
    InvalidTemplate {
        /// Field path.
        field: String,
        /// The template.
        template: String,
        /// Why.
        reason: String,
    },
    /// Payment terms that do not sum to 100 % or are malformed.
    #[error("invalid payment terms: {reason}")]
    InvalidPaymentTerms {
        /// Field path.
        field: String,
        /// Why.
        reason: String,
    },
    /// A combination the library does not support.
    #[error("unsupported: {reason}")]
    Unsupported {
        /// Field path.
        field: String,
        /// What and why.
        reason: String,
    },
    /// The document cannot be e-invoiced (bill of supply, B2C).
    #[error("no e-invoice for this document: {reason}")]
    EInvoiceNotApplicable {
        /// Field path.
        field: String,
        /// Why.
        reason: String,
    },
    /// The e-invoice breaks the IRP's rules; every violation is listed.
    #[error("e-invoice has {} violation(s): {}", violations.len(), violations.iter().map(|v| format!("{} at {}", v.code, v.field)).collect::<Vec<_>>().join("; "))]
    EInvoiceInvalid {
        /// Path of the first violation.
        field: String,
        /// Every violation.
        violations: Vec<Violation>,
    },
}

impl ErrorCode for InvoiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Tax(e) => e.code(),
            Self::Money(e) => e.code(),
            Self::EmptyInvoice { .. } => "EMPTY_INVOICE",
            Self::TooManyLines { .. } => "TOO_MANY_LINES",
            Self::InvalidValue { .. } => "INVALID_VALUE",
            Self::MissingField { .. } => "MISSING_FIELD",
            Self::InvalidUqc { .. } => "INVALID_UQC",
            Self::OverInvoiced { .. } => "OVER_INVOICED",
            Self::OverCredited { .. } => "OVER_CREDITED",
            Self::InconsistentShipments { .. } => "INCONSISTENT_SHIPMENTS",
            Self::InvalidDocumentNumber { .. } => "INVALID_DOCUMENT_NUMBER",
            Self::DuplicateDocumentNumber { .. } => "DUPLICATE_DOCUMENT_NUMBER",
            Self::InvalidTemplate { .. } => "INVALID_NUMBER_TEMPLATE",
            Self::InvalidPaymentTerms { .. } => "INVALID_PAYMENT_TERMS",
            Self::Unsupported { .. } => "UNSUPPORTED",
            Self::EInvoiceNotApplicable { .. } => "EINVOICE_NOT_APPLICABLE",
            Self::EInvoiceInvalid { .. } => "EINVOICE_INVALID",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Tax(e) => e.field(),
            Self::Money(e) => e.field(),
            Self::EmptyInvoice { field }
            | Self::TooManyLines { field, .. }
            | Self::InvalidValue { field, .. }
            | Self::MissingField { field, .. }
            | Self::InvalidUqc { field, .. }
            | Self::OverInvoiced { field, .. }
            | Self::OverCredited { field, .. }
            | Self::InconsistentShipments { field, .. }
            | Self::InvalidDocumentNumber { field, .. }
            | Self::DuplicateDocumentNumber { field, .. }
            | Self::InvalidTemplate { field, .. }
            | Self::InvalidPaymentTerms { field, .. }
            | Self::Unsupported { field, .. }
            | Self::EInvoiceNotApplicable { field, .. }
            | Self::EInvoiceInvalid { field, .. } => Some(field),
        }
    }
}
