//! Errors of quotes: [`QuoteError`], its stable codes and field paths.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use thiserror::Error;

use crate::approval::ApprovalError;
use crate::catalog::CatalogError;
use crate::credit::CreditError;
use crate::error::ErrorCode;
use crate::money::MoneyError;
use crate::pricing::{LineProblem, PricingError};

/// Errors of quotes.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum QuoteError {
    /// The command is not allowed in the quote's status.
    #[error("cannot {command} a quote that is {status}")]
    InvalidTransition {
        /// Field path (`status`).
        field: String,
        /// Current status.
        status: String,
        /// The command.
        command: String,
    },
    /// The quote is past its validity.
    #[error("the quote expired at {valid_until}")]
    Expired {
        /// Field path.
        field: String,
        /// Its validity.
        valid_until: DateTime<FixedOffset>,
    },
    /// Acceptance of a revision that is not the latest.
    #[error("revision {given} is not the latest ({latest})")]
    NotLatestRevision {
        /// Field path.
        field: String,
        /// Revision given.
        given: u32,
        /// Latest revision.
        latest: u32,
    },
    /// The quote or acceptance came back altered.
    #[error("the quote was altered: {detail}")]
    Tampered {
        /// Field path of the first difference found (or `digest`/`seal`).
        field: String,
        /// What differs.
        detail: String,
    },
    /// A quantity below the line's MOQ.
    #[error("quantity {quantity} is below the MOQ of {moq}")]
    BelowMoq {
        /// Field path.
        field: String,
        /// Quantity (base units).
        quantity: Decimal,
        /// MOQ (base units).
        moq: Decimal,
    },
    /// More than is quoted or still open.
    #[error("quantity {quantity} exceeds the open quantity {open}")]
    ExceedsOpen {
        /// Field path.
        field: String,
        /// Asked.
        quantity: Decimal,
        /// Open.
        open: Decimal,
    },
    /// A line id that is not on the revision.
    #[error("no line {line_id:?} on the quote")]
    UnknownLine {
        /// Field path.
        field: String,
        /// The id.
        line_id: String,
    },
    /// A value out of range (zero quantity, negative price, bad window).
    #[error("{field}: {rule}")]
    InvalidField {
        /// Field path.
        field: String,
        /// The rule broken.
        rule: String,
    },
    /// An override or decline without a reason.
    #[error("a reason is required")]
    ReasonRequired {
        /// Field path.
        field: String,
    },
    /// The buyer tried a seller-only change.
    #[error("{who} may not {what}")]
    NotAuthorized {
        /// Field path.
        field: String,
        /// Who.
        who: String,
        /// What.
        what: String,
    },
    /// Issuing needs an approved approval instance for this quote.
    #[error("approval required: {detail}")]
    ApprovalRequired {
        /// Field path.
        field: String,
        /// Why.
        detail: String,
    },
    /// Some lines cannot be quoted and the caller chose to fail.
    #[error("{} line(s) cannot be quoted", problems.len())]
    UnquotableLines {
        /// Field path of the first.
        field: String,
        /// Each line's problem.
        problems: Vec<LineProblem>,
    },
    /// A rate class the GST placeholder does not know.
    #[error("unknown GST rate class {class:?}")]
    UnknownGstClass {
        /// Field path.
        field: String,
        /// The class.
        class: String,
    },
    /// Pricing failed as a whole.
    #[error(transparent)]
    Pricing(#[from] PricingError),
    /// Bad catalog.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Bad terms.
    #[error(transparent)]
    Credit(#[from] CreditError),
    /// Arithmetic or currency.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// Policy or approval instance problem.
    #[error(transparent)]
    Approval(#[from] ApprovalError),
    /// The tax regime of the GST estimate (state codes, regime input).
    #[error(transparent)]
    Tax(#[from] crate::tax::TaxError),
}

impl ErrorCode for QuoteError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "INVALID_TRANSITION",
            Self::Expired { .. } => "QUOTE_EXPIRED",
            Self::NotLatestRevision { .. } => "NOT_LATEST_REVISION",
            Self::Tampered { .. } => "TAMPERED_QUOTE",
            Self::BelowMoq { .. } => "BELOW_MOQ",
            Self::ExceedsOpen { .. } => "QUANTITY_EXCEEDS_OPEN",
            Self::UnknownLine { .. } => "UNKNOWN_LINE",
            Self::InvalidField { .. } => "INVALID_FIELD",
            Self::ReasonRequired { .. } => "REASON_REQUIRED",
            Self::NotAuthorized { .. } => "NOT_AUTHORIZED",
            Self::ApprovalRequired { .. } => "APPROVAL_REQUIRED",
            Self::UnquotableLines { .. } => "UNQUOTABLE_LINES",
            Self::UnknownGstClass { .. } => "UNKNOWN_GST_CLASS",
            Self::Pricing(e) => e.code(),
            Self::Catalog(e) => e.code(),
            Self::Credit(e) => e.code(),
            Self::Money(e) => e.code(),
            Self::Approval(e) => e.code(),
            Self::Tax(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidTransition { field, .. }
            | Self::Expired { field, .. }
            | Self::NotLatestRevision { field, .. }
            | Self::Tampered { field, .. }
            | Self::BelowMoq { field, .. }
            | Self::ExceedsOpen { field, .. }
            | Self::UnknownLine { field, .. }
            | Self::InvalidField { field, .. }
            | Self::ReasonRequired { field }
            | Self::NotAuthorized { field, .. }
            | Self::ApprovalRequired { field, .. }
            | Self::UnquotableLines { field, .. }
            | Self::UnknownGstClass { field, .. } => Some(field),
            Self::Pricing(e) => e.field(),
            Self::Catalog(e) => e.field(),
            Self::Credit(e) => e.field(),
            Self::Money(e) => e.field(),
            Self::Approval(e) => e.field(),
            Self::Tax(e) => e.field(),
        }
    }
}

pub(super) fn invalid(field: impl Into<String>, rule: &str) -> QuoteError {
    QuoteError::InvalidField {
        field: field.into(),
        rule: rule.to_owned(),
    }
}
