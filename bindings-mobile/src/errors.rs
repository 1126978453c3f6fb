//! The error of every export: one variant per family of the host API's
//! code list ([`b2b_oms::host::Family`]), mapped in one `match`.
//!
//! UniFFI turns `B2bOmsError` into the Kotlin `B2bOmsException` (a sealed
//! class: `B2bOmsException.Pricing`, …) and the Swift `B2bOmsError` enum.
//! Each variant carries the stable `code` (`BELOW_MOQ`), the `field` path
//! (`lines[3].quantity`), the readable `reason` and the `details` as a JSON
//! object text. The readable text is called `reason`, not `message`: the
//! generated Kotlin class already has a `message` property (the exception's
//! own), and a field of that name would not compile.

use b2b_oms::host::{Family, HostError};

/// An error of a b2b-oms call, by family; `code` says exactly what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum B2bOmsError {
    /// The document itself: malformed, a missing or unknown field, a value out
    /// of range, excess decimal precision, an unknown operation.
    #[error("{code}: {reason}")]
    Input {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message naming the value and the rule it broke.
        reason: String,
        /// The error's own values, as a JSON object text (`{}` when none).
        details: String,
    },
    /// Catalog, units, price books and pricing (MOQ, no price, …).
    #[error("{code}: {reason}")]
    Pricing {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// Quotes: expiry, revisions, seals, acceptance.
    #[error("{code}: {reason}")]
    Quote {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// Approval policies and instances.
    #[error("{code}: {reason}")]
    Approval {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// Payment terms and credit.
    #[error("{code}: {reason}")]
    Credit {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// Orders: PO rules, amendments, invariants.
    #[error("{code}: {reason}")]
    Order {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// Stock, reservations, allocation and shipments.
    #[error("{code}: {reason}")]
    Allocation {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// GSTIN, state codes, HSN, rate tables, tax regimes.
    #[error("{code}: {reason}")]
    Tax {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// Invoices, notes, document numbers, e-invoices.
    #[error("{code}: {reason}")]
    Invoice {
        /// Stable machine-readable code.
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
    /// A defect of the library (a caught panic): please report it.
    #[error("{code}: {reason}")]
    Internal {
        /// Stable machine-readable code (`INTERNAL`).
        code: String,
        /// Path of the offending field, when known.
        field: Option<String>,
        /// Readable message.
        reason: String,
        /// The error's own values, as a JSON object text.
        details: String,
    },
}

impl From<HostError> for B2bOmsError {
    fn from(e: HostError) -> Self {
        let details = serde_json::to_string(&e.details).unwrap_or_else(|_| "{}".to_owned());
        let (code, field, reason) = (e.code, e.field, e.message);
        match e.family {
            Family::Input => Self::Input {
                code,
                field,
                reason,
                details,
            },
            Family::Pricing => Self::Pricing {
                code,
                field,
                reason,
                details,
            },
            Family::Quote => Self::Quote {
                code,
                field,
                reason,
                details,
            },
            Family::Approval => Self::Approval {
                code,
                field,
                reason,
                details,
            },
            Family::Credit => Self::Credit {
                code,
                field,
                reason,
                details,
            },
            Family::Order => Self::Order {
                code,
                field,
                reason,
                details,
            },
            Family::Allocation => Self::Allocation {
                code,
                field,
                reason,
                details,
            },
            Family::Tax => Self::Tax {
                code,
                field,
                reason,
                details,
            },
            Family::Invoice => Self::Invoice {
                code,
                field,
                reason,
                details,
            },
            Family::Internal => Self::Internal {
                code,
                field,
                reason,
                details,
            },
        }
    }
}

impl B2bOmsError {
    fn parts(&self) -> (&str, Option<&str>) {
        match self {
            Self::Input { code, field, .. }
            | Self::Pricing { code, field, .. }
            | Self::Quote { code, field, .. }
            | Self::Approval { code, field, .. }
            | Self::Credit { code, field, .. }
            | Self::Order { code, field, .. }
            | Self::Allocation { code, field, .. }
            | Self::Tax { code, field, .. }
            | Self::Invoice { code, field, .. }
            | Self::Internal { code, field, .. } => (code, field.as_deref()),
        }
    }
}

#[uniffi::export]
impl B2bOmsError {
    /// The stable machine-readable code (`BELOW_MOQ`, `EXCESS_PRECISION`, …).
    pub fn error_code(&self) -> String {
        self.parts().0.to_owned()
    }

    /// The family's name as the host API writes it (`input`, `pricing`, …).
    pub fn family(&self) -> String {
        match self {
            Self::Input { .. } => Family::Input,
            Self::Pricing { .. } => Family::Pricing,
            Self::Quote { .. } => Family::Quote,
            Self::Approval { .. } => Family::Approval,
            Self::Credit { .. } => Family::Credit,
            Self::Order { .. } => Family::Order,
            Self::Allocation { .. } => Family::Allocation,
            Self::Tax { .. } => Family::Tax,
            Self::Invoice { .. } => Family::Invoice,
            Self::Internal { .. } => Family::Internal,
        }
        .as_str()
        .to_owned()
    }

    /// The field path, when known.
    pub fn field_path(&self) -> Option<String> {
        self.parts().1.map(str::to_owned)
    }
}

/// The result of every export.
pub type Result<T> = std::result::Result<T, B2bOmsError>;

/// An input-family error at `field` (codes the binding raises itself).
pub fn input(code: &str, field: &str, message: String) -> B2bOmsError {
    HostError::new(code, Some(field.to_owned()), message).into()
}
