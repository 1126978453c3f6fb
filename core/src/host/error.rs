//! The one error type of the host operations: every module's error, with
//! its stable code, its family, the field path and structured details.
//!
//! [`CODES`] lists every code the library can return, once, with its
//! family; bindings map families to their exception classes from this list
//! (a test fails when a module returns a code missing here).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ErrorCode, ErrorInfo};

/// The family of an error: which step of the journey refused the input.
///
/// Bindings raise one exception class per family (`InputError`,
/// `PricingError`, …), each carrying the stable `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// The document itself: malformed JSON, a missing or unknown field, a
    /// value out of range, a command the value's state does not allow.
    Input,
    /// Catalog, units, price books and pricing (MOQ, no price, …).
    Pricing,
    /// Quotes: expiry, revisions, seals, acceptance.
    Quote,
    /// Approval policies and instances.
    Approval,
    /// Payment terms and credit.
    Credit,
    /// Orders: PO numbers, quantities, amendments.
    Order,
    /// Stock, reservations, warehouse allocation and shipments.
    Allocation,
    /// GSTIN, HSN, rates and the tax regime.
    Tax,
    /// Invoices, notes, numbering and e-invoices.
    Invoice,
    /// A defect of the library (a caught panic): never the caller's input.
    Internal,
}

impl Family {
    /// Every family, in a stable order.
    pub const ALL: [Family; 10] = [
        Family::Input,
        Family::Pricing,
        Family::Quote,
        Family::Approval,
        Family::Credit,
        Family::Order,
        Family::Allocation,
        Family::Tax,
        Family::Invoice,
        Family::Internal,
    ];

    /// The family's name as written in JSON (`"pricing"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Pricing => "pricing",
            Family::Quote => "quote",
            Family::Approval => "approval",
            Family::Credit => "credit",
            Family::Order => "order",
            Family::Allocation => "allocation",
            Family::Tax => "tax",
            Family::Invoice => "invoice",
            Family::Internal => "internal",
        }
    }
}

/// One row of the code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The stable code.
    pub code: &'static str,
    /// Its family.
    pub family: Family,
    /// What it means, in one line.
    pub summary: &'static str,
}

const fn c(code: &'static str, family: Family, summary: &'static str) -> CodeInfo {
    CodeInfo {
        code,
        family,
        summary,
    }
}

use Family::{Allocation, Approval, Credit, Input, Internal, Invoice, Order, Pricing, Quote, Tax};

/// Every error code of the library, once, with its family.
pub const CODES: &[CodeInfo] = &[
    // input: the document itself
    c(
        "INVALID_JSON",
        Input,
        "not JSON, or not the shape the document needs",
    ),
    c(
        "LOSSY_NUMBER",
        Input,
        "a JSON number that floating point cannot carry exactly",
    ),
    c(
        "UNKNOWN_FIELD",
        Input,
        "a field the document does not have (the closest known one is named)",
    ),
    c(
        "NUMBER_FOR_DECIMAL",
        Input,
        "a binary number (JSON number, float) where a decimal is required",
    ),
    c(
        "EXCESS_PRECISION",
        Input,
        "a decimal with more digits than the core holds (28 fractional, 96 bits)",
    ),
    c(
        "NAIVE_DATETIME",
        Input,
        "an instant without a time-zone offset",
    ),
    c(
        "DOCUMENT_TOO_LARGE",
        Input,
        "a document past the configured maximum size",
    ),
    c("UNKNOWN_OPERATION", Input, "no host operation of that name"),
    c(
        "OVERFLOW",
        Input,
        "an amount or quantity beyond the decimal range",
    ),
    c("DUPLICATE_ID", Input, "an id given twice"),
    c("EMPTY_ID", Input, "an empty id"),
    c(
        "MISSING_FIELD",
        Input,
        "a field the operation needs is absent",
    ),
    c(
        "INVALID_FIELD",
        Input,
        "a value that breaks a rule of its field",
    ),
    c("INVALID_VALUE", Input, "a value out of range"),
    c(
        "INVALID_QUANTITY",
        Input,
        "a zero, negative or malformed quantity",
    ),
    c(
        "QUANTITY_NOT_POSITIVE",
        Input,
        "a quantity that is not above zero",
    ),
    c(
        "TOO_MANY_LINES",
        Input,
        "more lines than the configured maximum",
    ),
    c("EMPTY_ORDER", Input, "an order or cart without lines"),
    c(
        "UNKNOWN_LINE",
        Input,
        "a line id that the document does not have",
    ),
    c(
        "INVALID_TRANSITION",
        Input,
        "a command the value's current status does not allow",
    ),
    c(
        "REASON_REQUIRED",
        Input,
        "a decision or override without a reason",
    ),
    c(
        "UNKNOWN_CURRENCY",
        Input,
        "a currency code that is not registered",
    ),
    c(
        "INVALID_CURRENCY",
        Input,
        "a malformed currency registration",
    ),
    c(
        "CURRENCY_MISMATCH",
        Input,
        "amounts of different currencies mixed",
    ),
    c(
        "NEGATIVE_AMOUNT",
        Input,
        "a negative amount where none is allowed",
    ),
    c(
        "DATE_OUT_OF_RANGE",
        Input,
        "a date beyond the supported calendar",
    ),
    c(
        "INVALID_WINDOW",
        Input,
        "a validity window that ends before it starts",
    ),
    // pricing: catalog, units, price books
    c(
        "INVALID_CATALOG",
        Pricing,
        "a catalog with problems (all listed)",
    ),
    c(
        "UNKNOWN_SKU",
        Pricing,
        "a sku the customer cannot see or that does not exist",
    ),
    c(
        "NOT_ORDERABLE",
        Pricing,
        "a product that cannot be ordered now",
    ),
    c("UNKNOWN_UNIT", Pricing, "a unit the product is not sold in"),
    c(
        "UNIT_NOT_SOLD",
        Pricing,
        "a unit the product is not sold in",
    ),
    c(
        "BAD_UNIT_FACTOR",
        Pricing,
        "a unit conversion factor that is not positive",
    ),
    c(
        "BAD_UNIT_CONVERSION",
        Pricing,
        "a unit conversion that is not exact",
    ),
    c(
        "INDIVISIBLE_QUANTITY",
        Pricing,
        "a fractional quantity of an indivisible unit",
    ),
    c(
        "INVALID_PRICE_BOOK",
        Pricing,
        "a price book with problems (all listed)",
    ),
    c(
        "UNKNOWN_PRICE_LIST",
        Pricing,
        "a price list id the book lacks",
    ),
    c(
        "CHANNEL_NOT_ALLOWED",
        Pricing,
        "a channel the customer may not use",
    ),
    c(
        "INVALID_PURCHASE_HISTORY",
        Pricing,
        "a purchase total of the request that is negative, in the future or given twice",
    ),
    c(
        "INVALID_EXCHANGE_RATE",
        Pricing,
        "an exchange rate of the request that is not a positive decimal string, not into the order's currency, dated after the pricing instant or given twice",
    ),
    c(
        "NO_PRICE",
        Pricing,
        "no list in the fallback chain prices the sku",
    ),
    c(
        "BELOW_MOQ",
        Pricing,
        "a quantity below the minimum order quantity",
    ),
    c(
        "NOT_MULTIPLE",
        Pricing,
        "a quantity that is not a multiple of the pack",
    ),
    c(
        "ABOVE_MAX",
        Pricing,
        "a quantity above the maximum per order",
    ),
    c(
        "TOO_MANY_RULES",
        Pricing,
        "more candidate rules for a line than the limit",
    ),
    // quote
    c("QUOTE_EXPIRED", Quote, "the quote is past its validity"),
    c(
        "NOT_LATEST_REVISION",
        Quote,
        "a revision that is not the latest",
    ),
    c(
        "TAMPERED_QUOTE",
        Quote,
        "the quote or acceptance came back altered",
    ),
    c(
        "QUANTITY_EXCEEDS_OPEN",
        Quote,
        "more than is quoted or still open",
    ),
    c(
        "UNQUOTABLE_LINES",
        Quote,
        "lines that cannot be quoted (all listed)",
    ),
    c(
        "UNKNOWN_GST_CLASS",
        Quote,
        "a GST rate class without an estimate rate",
    ),
    // approval
    c(
        "POLICY_PARSE_ERROR",
        Approval,
        "a policy condition that does not parse",
    ),
    c(
        "EXPRESSION_TOO_LONG",
        Approval,
        "a policy condition past the length limit",
    ),
    c(
        "EXPRESSION_TOO_DEEP",
        Approval,
        "a policy condition past the depth limit",
    ),
    c(
        "UNKNOWN_FACT",
        Approval,
        "a condition on a fact the engine does not know",
    ),
    c(
        "TYPE_MISMATCH",
        Approval,
        "a condition comparing a fact with the wrong type",
    ),
    c(
        "INVALID_POLICY",
        Approval,
        "a malformed approval or classification policy",
    ),
    c(
        "ALLOCATION_MISMATCH",
        Approval,
        "an allocation plan given for the stock-shortfall fact that is of another quote or order",
    ),
    c(
        "APPROVAL_CLOSED",
        Approval,
        "a decision on a closed approval",
    ),
    c(
        "UNKNOWN_STEP",
        Approval,
        "a step the approval does not have",
    ),
    c(
        "LEVEL_NOT_OPEN",
        Approval,
        "a decision on a level that is not open yet",
    ),
    c(
        "STEP_ALREADY_APPROVED",
        Approval,
        "a decision on a step already approved",
    ),
    c(
        "NOT_AUTHORIZED",
        Approval,
        "an actor without the role the step needs",
    ),
    c(
        "SELF_APPROVAL",
        Approval,
        "the requester approving their own request",
    ),
    c(
        "DUPLICATE_APPROVER",
        Approval,
        "the same approver counted twice",
    ),
    c("NOT_EXPIRED", Approval, "an expiry before the deadline"),
    c(
        "APPROVAL_REQUIRED",
        Approval,
        "a step that needs an approved instance bound to this revision",
    ),
    // credit
    c("INVALID_TERMS", Credit, "payment terms that do not add up"),
    // order
    c("PO_REQUIRED", Order, "the customer requires a PO number"),
    c(
        "DUPLICATE_PO",
        Order,
        "a PO number already used by the customer",
    ),
    c(
        "QUANTITY_INVARIANT",
        Order,
        "line quantities that would break their invariants",
    ),
    c(
        "AMEND_AFTER_ALLOCATION",
        Order,
        "an amendment after stock was allocated",
    ),
    // allocation: stock, reservations, shipments
    c(
        "UNKNOWN_WAREHOUSE",
        Allocation,
        "a warehouse id the input lacks",
    ),
    c(
        "INVALID_SETTING",
        Allocation,
        "an allocation setting out of range",
    ),
    c(
        "ILLEGAL_TRANSITION",
        Allocation,
        "a shipment command its status does not allow",
    ),
    c(
        "PACKING_MISMATCH",
        Allocation,
        "packages that do not hold the picked quantities",
    ),
    c(
        "UNKNOWN_STOCK",
        Allocation,
        "a warehouse, sku and batch the ledger lacks",
    ),
    c(
        "NEGATIVE_STOCK",
        Allocation,
        "a stock update that goes below zero",
    ),
    c(
        "INSUFFICIENT_STOCK",
        Allocation,
        "not enough available stock to reserve",
    ),
    c(
        "NOT_RESERVED",
        Allocation,
        "more released or consumed than is reserved",
    ),
    c(
        "INVALID_COORDINATES",
        Allocation,
        "a latitude or longitude out of range",
    ),
    // tax
    c(
        "INVALID_GSTIN",
        Tax,
        "a GSTIN that fails (the part that is wrong is named)",
    ),
    c(
        "UNKNOWN_STATE_CODE",
        Tax,
        "a state code that is not a GST state or UT",
    ),
    c("INVALID_HSN", Tax, "a malformed HSN or SAC code"),
    c(
        "UNKNOWN_RATE_CLASS",
        Tax,
        "a GST rate class the table does not know",
    ),
    c(
        "RATE_NOT_NOTIFIED",
        Tax,
        "no rate notified for the class on the date",
    ),
    c("CESS_NOT_LEVIED", Tax, "cess on a class that carries none"),
    c("INVALID_RATE_TABLE", Tax, "a malformed rate table"),
    c(
        "RATE_CONTRADICTS_CLASS",
        Tax,
        "a GST rate on a nil-rated, exempt or non-GST line",
    ),
    c(
        "INVALID_REGIME_INPUT",
        Tax,
        "facts that give no lawful tax regime",
    ),
    // invoice
    c("EMPTY_INVOICE", Invoice, "an invoice without lines"),
    c("INVALID_UQC", Invoice, "a unit that is not a GST UQC"),
    c(
        "OVER_INVOICED",
        Invoice,
        "more invoiced than shipped or ordered",
    ),
    c(
        "OVER_CREDITED",
        Invoice,
        "a note for more than the original",
    ),
    c(
        "INCONSISTENT_SHIPMENTS",
        Invoice,
        "shipments of a consolidated invoice that do not agree",
    ),
    c(
        "INVALID_DOCUMENT_NUMBER",
        Invoice,
        "a document number the GST rules refuse",
    ),
    c(
        "DUPLICATE_DOCUMENT_NUMBER",
        Invoice,
        "a document number already issued",
    ),
    c(
        "INVALID_NUMBER_TEMPLATE",
        Invoice,
        "a malformed number series template",
    ),
    c(
        "INVALID_PAYMENT_TERMS",
        Invoice,
        "payment terms the invoice cannot use",
    ),
    c(
        "UNSUPPORTED",
        Invoice,
        "a case the library does not handle (named)",
    ),
    c(
        "EINVOICE_NOT_APPLICABLE",
        Invoice,
        "a document that has no e-invoice (B2C, bill of supply …)",
    ),
    c(
        "EINVOICE_INVALID",
        Invoice,
        "an e-invoice that breaks the IRP's rules (all listed)",
    ),
    // internal
    c(
        "INTERNAL",
        Internal,
        "a defect of the library; please report it",
    ),
];

/// The family of a code; [`Family::Internal`] for a code not in [`CODES`].
pub fn family_of(code: &str) -> Family {
    CODES
        .iter()
        .find(|c| c.code == code)
        .map_or(Family::Internal, |c| c.family)
}

/// The error of every host operation: the code, its family, the field path,
/// a readable message and the structured details of the error (the MOQ and
/// the quantity of a `BELOW_MOQ`, the problems of an `INVALID_CATALOG`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[serde(deny_unknown_fields)]
#[error("{}", self.info())]
pub struct HostError {
    /// Stable machine-readable code (see [`CODES`]).
    pub code: String,
    /// The code's family.
    pub family: Family,
    /// Path of the offending input field, when known (`lines[3].quantity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Readable message naming the value and the rule it broke.
    pub message: String,
    /// The error's own values (limits, quantities, suggestions, listed
    /// problems), keyed by name; empty when the code says it all.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub details: Map<String, Value>,
}

impl HostError {
    /// An error of `code` (its family looked up) at `field`.
    pub fn new(code: &str, field: Option<String>, message: impl Into<String>) -> Self {
        HostError {
            code: code.to_owned(),
            family: family_of(code),
            field,
            message: message.into(),
            details: Map::new(),
        }
    }

    /// A defect of the library: a caught panic, with its message.
    pub fn internal(message: impl Into<String>) -> Self {
        HostError::new("INTERNAL", None, message)
    }

    /// Adds one detail.
    pub fn with_detail(mut self, key: &str, value: Value) -> Self {
        self.details.insert(key.to_owned(), value);
        self
    }

    /// The code, field and message, as every module's error summarises itself.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code.clone(),
            field: self.field.clone(),
            message: self.message.clone(),
        }
    }

    /// Prefixes the field path with `prefix` (`request` + `lines[2]` →
    /// `request.lines[2]`), for an operation that reads a document nested
    /// in its input.
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field.take() {
            None => prefix.to_owned(),
            Some(f) if f == "." || f.is_empty() => prefix.to_owned(),
            Some(f) if f.starts_with('[') => format!("{prefix}{f}"),
            Some(f) => format!("{prefix}.{f}"),
        });
        self
    }

    /// Wraps any module's error: its code, field and message, and its own
    /// fields (other than the path) as details.
    pub fn from_error<E: ErrorCode + Serialize>(e: &E) -> Self {
        let mut details = match serde_json::to_value(e) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        details.remove("field");
        let code = e.code();
        HostError {
            code: code.to_owned(),
            family: family_of(code),
            field: e.field().map(str::to_owned),
            message: e.to_string(),
            details,
        }
    }
}

impl ErrorCode for HostError {
    fn code(&self) -> &'static str {
        CODES
            .iter()
            .find(|c| c.code == self.code)
            .map_or("INTERNAL", |c| c.code)
    }

    fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    fn info(&self) -> ErrorInfo {
        HostError::info(self)
    }
}

macro_rules! from_module_errors {
    ($($t:ty),* $(,)?) => {
        $(impl From<$t> for HostError {
            fn from(e: $t) -> Self {
                HostError::from_error(&e)
            }
        })*
    };
}

from_module_errors!(
    crate::json::JsonError,
    crate::money::MoneyError,
    crate::units::UnitError,
    crate::catalog::CatalogError,
    crate::customer::CustomerError,
    crate::pricing::PricingError,
    crate::pricing::LineError,
    crate::quote::QuoteError,
    crate::approval::ApprovalError,
    crate::credit::CreditError,
    crate::order::OrderError,
    crate::inventory::InventoryError,
    crate::fulfilment::FulfilmentError,
    crate::tax::TaxError,
    crate::invoice::InvoiceError,
);
