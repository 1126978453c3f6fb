//! Line errors: why one line could not be priced, and the problem as
//! the result reports it.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::CatalogError;
use crate::error::ErrorCode;
use crate::money::MoneyError;
use crate::units::UnitError;

/// Why one line could not be priced. The order's other lines are still priced.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum LineError {
    /// Unknown sku, or one the customer may not see; or not orderable.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Bad unit or quantity.
    #[error(transparent)]
    Unit(#[from] UnitError),
    /// No list in the customer's chain prices the sku.
    #[error("no price for {sku:?} in {currency}; lists tried: {}", tried.join(", "))]
    NoPrice {
        /// Field path.
        field: String,
        /// The sku.
        sku: String,
        /// The order currency.
        currency: String,
        /// Each list tried, with why it did not price.
        tried: Vec<String>,
    },
    /// Quantity below the minimum order quantity.
    #[error("quantity {requested} is below the MOQ of {limit}{}", suggestion(*suggested))]
    BelowMoq {
        /// Field path.
        field: String,
        /// Requested base quantity.
        requested: Decimal,
        /// The MOQ.
        limit: Decimal,
        /// A quantity that passes every constraint, if one exists.
        suggested: Option<Decimal>,
    },
    /// Quantity not a whole multiple of the order multiple (pack size).
    #[error("quantity {requested} is not a multiple of {limit}{}", suggestion(*suggested))]
    NotMultiple {
        /// Field path.
        field: String,
        /// Requested base quantity.
        requested: Decimal,
        /// The multiple.
        limit: Decimal,
        /// A quantity that passes every constraint, if one exists.
        suggested: Option<Decimal>,
    },
    /// Quantity above the maximum per order.
    #[error("quantity {requested} is above the maximum of {limit}{}", suggestion(*suggested))]
    AboveMax {
        /// Field path.
        field: String,
        /// Requested base quantity.
        requested: Decimal,
        /// The maximum.
        limit: Decimal,
        /// A quantity that passes every constraint, if one exists.
        suggested: Option<Decimal>,
    },
    /// More candidate rules than the book allows per line.
    #[error("{count} candidate rules exceed the limit of {limit} per line")]
    TooManyRules {
        /// Field path.
        field: String,
        /// Candidates found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Arithmetic overflow.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ErrorCode for LineError {
    fn code(&self) -> &'static str {
        match self {
            Self::Catalog(e) => e.code(),
            Self::Unit(e) => e.code(),
            Self::NoPrice { .. } => "NO_PRICE",
            Self::BelowMoq { .. } => "BELOW_MOQ",
            Self::NotMultiple { .. } => "NOT_MULTIPLE",
            Self::AboveMax { .. } => "ABOVE_MAX",
            Self::TooManyRules { .. } => "TOO_MANY_RULES",
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Catalog(e) => e.field(),
            Self::Unit(e) => e.field(),
            Self::Money(e) => e.field(),
            Self::NoPrice { field, .. }
            | Self::BelowMoq { field, .. }
            | Self::NotMultiple { field, .. }
            | Self::AboveMax { field, .. }
            | Self::TooManyRules { field, .. } => Some(field),
        }
    }
}

/// A line that could not be priced, as reported in the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineProblem {
    /// Index of the line in the request.
    pub line_index: usize,
    /// Host's line id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The sku asked for.
    pub sku: String,
    /// Stable error code (`BELOW_MOQ`, `NO_PRICE`, `UNKNOWN_SKU` …).
    pub code: String,
    /// Field path (`lines[3].quantity`).
    pub field: String,
    /// Readable message.
    pub message: String,
    /// Requested quantity in base units (quantity constraints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<Decimal>,
    /// The limit broken (quantity constraints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Decimal>,
    /// A base quantity that passes every constraint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<Decimal>,
}

impl LineProblem {
    pub(super) fn new(
        line_index: usize,
        line_id: Option<String>,
        sku: String,
        e: &LineError,
    ) -> Self {
        let (requested, limit, suggested) = match e {
            LineError::BelowMoq {
                requested,
                limit,
                suggested,
                ..
            }
            | LineError::NotMultiple {
                requested,
                limit,
                suggested,
                ..
            }
            | LineError::AboveMax {
                requested,
                limit,
                suggested,
                ..
            } => (Some(*requested), Some(*limit), *suggested),
            _ => (None, None, None),
        };
        Self {
            line_index,
            line_id,
            sku,
            code: e.code().to_owned(),
            field: e.field().unwrap_or_default().to_owned(),
            message: e.to_string(),
            requested,
            limit,
            suggested,
        }
    }
}

pub(super) fn suggestion(s: Option<Decimal>) -> String {
    match s {
        Some(q) => format!("; order {q} instead"),
        None => "; no quantity passes every constraint".to_owned(),
    }
}
