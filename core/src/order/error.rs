//! Errors of orders and the quantity-invariant helper.

use rust_decimal::Decimal;
use thiserror::Error;

use crate::credit::CreditError;
use crate::error::ErrorCode;
use crate::money::MoneyError;
use crate::quote::QuoteError;

/// Errors of orders.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum OrderError {
    /// Not allowed in the order's status.
    #[error("cannot {command} an order that is {status}")]
    InvalidTransition {
        /// Field path.
        field: String,
        /// Status.
        status: String,
        /// Command.
        command: String,
    },
    /// A PO number is required.
    #[error("a purchase order number is required")]
    PoRequired {
        /// Field path.
        field: String,
    },
    /// The PO number is already used by this customer.
    #[error("PO number {po:?} is already used")]
    DuplicatePo {
        /// Field path.
        field: String,
        /// The PO.
        po: String,
    },
    /// A quantity invariant would break.
    #[error("{field}: {rule}")]
    QuantityInvariant {
        /// Field path.
        field: String,
        /// The invariant.
        rule: String,
    },
    /// Unknown line.
    #[error("no line {line_id:?} on the order")]
    UnknownLine {
        /// Field path.
        field: String,
        /// The id.
        line_id: String,
    },
    /// Below the MOQ.
    #[error("quantity {quantity} is below the MOQ of {moq}")]
    BelowMoq {
        /// Field path.
        field: String,
        /// Quantity in base units.
        quantity: Decimal,
        /// MOQ.
        moq: Decimal,
    },
    /// Amending after allocation.
    #[error("the order has allocations; it can no longer be amended")]
    AmendAfterAllocation {
        /// Field path.
        field: String,
    },
    /// Confirmation needs an approved instance for this order.
    #[error("approval required: {detail}")]
    ApprovalRequired {
        /// Field path.
        field: String,
        /// Why.
        detail: String,
    },
    /// A bad field.
    #[error("{field}: {rule}")]
    InvalidField {
        /// Field path.
        field: String,
        /// Rule.
        rule: String,
    },
    /// Quote problem during conversion.
    #[error(transparent)]
    Quote(#[from] QuoteError),
    /// Terms problem.
    #[error(transparent)]
    Credit(#[from] CreditError),
    /// Arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ErrorCode for OrderError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "INVALID_TRANSITION",
            Self::PoRequired { .. } => "PO_REQUIRED",
            Self::DuplicatePo { .. } => "DUPLICATE_PO",
            Self::QuantityInvariant { .. } => "QUANTITY_INVARIANT",
            Self::UnknownLine { .. } => "UNKNOWN_LINE",
            Self::BelowMoq { .. } => "BELOW_MOQ",
            Self::AmendAfterAllocation { .. } => "AMEND_AFTER_ALLOCATION",
            Self::ApprovalRequired { .. } => "APPROVAL_REQUIRED",
            Self::InvalidField { .. } => "INVALID_FIELD",
            Self::Quote(e) => e.code(),
            Self::Credit(e) => e.code(),
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidTransition { field, .. }
            | Self::PoRequired { field }
            | Self::DuplicatePo { field, .. }
            | Self::QuantityInvariant { field, .. }
            | Self::UnknownLine { field, .. }
            | Self::BelowMoq { field, .. }
            | Self::AmendAfterAllocation { field }
            | Self::ApprovalRequired { field, .. }
            | Self::InvalidField { field, .. } => Some(field),
            Self::Quote(e) => e.field(),
            Self::Credit(e) => e.field(),
            Self::Money(e) => e.field(),
        }
    }
}

pub(super) fn invariant(field: String, rule: &str) -> OrderError {
    OrderError::QuantityInvariant {
        field,
        rule: rule.to_owned(),
    }
}
