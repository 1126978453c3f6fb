//! Errors of approvals, with the position of the rule or condition they
//! come from.

#[cfg(doc)]
use super::expr::{MAX_DEPTH, MAX_TEXT_LEN};
use thiserror::Error;

use crate::error::{path, ErrorCode};
use crate::money::MoneyError;

/// Errors of approval policies and approval instances.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum ApprovalError {
    /// Condition text could not be parsed.
    #[error("cannot parse condition at {field}, position {position}: {message}")]
    Parse {
        /// Field path.
        field: String,
        /// Character position (0-based) in the text.
        position: usize,
        /// What was expected.
        message: String,
    },
    /// Condition text longer than [`MAX_TEXT_LEN`].
    #[error("condition text of {length} characters exceeds {max}")]
    ExpressionTooLong {
        /// Field path.
        field: String,
        /// Length given.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// Condition nested deeper than [`MAX_DEPTH`].
    #[error("condition nests deeper than {max}")]
    ExpressionTooDeep {
        /// Field path.
        field: String,
        /// The limit.
        max: usize,
    },
    /// A fact name the engine does not know.
    #[error("unknown fact {fact:?}{}", at_text(*position))]
    UnknownFact {
        /// Field path.
        field: String,
        /// The name.
        fact: String,
        /// Character position (0-based) in the text form, when written as text.
        position: Option<usize>,
    },
    /// A literal of the wrong type for the fact, or an operator it lacks.
    #[error("{fact} {rule}{}", at_text(*position))]
    TypeMismatch {
        /// Field path.
        field: String,
        /// The fact.
        fact: String,
        /// What was wrong.
        rule: String,
        /// Character position (0-based) in the text form, when written as text.
        position: Option<usize>,
    },
    /// Money in two currencies compared.
    #[error("currency {found} does not match the policy currency {expected}{}", at_text(*position))]
    CurrencyMismatch {
        /// Field path.
        field: String,
        /// The policy's currency.
        expected: String,
        /// The currency found.
        found: String,
        /// Character position (0-based) in the text form, when written as text.
        position: Option<usize>,
    },
    /// A bad policy field (empty id or role, zero quorum or level, empty group).
    #[error("{field}: {rule}")]
    InvalidPolicy {
        /// Field path.
        field: String,
        /// The rule broken.
        rule: String,
    },
    /// The allocation given for the stock-shortfall fact is not of this
    /// quote or order.
    #[error("{field}: {detail}")]
    AllocationMismatch {
        /// Field path.
        field: String,
        /// What differs.
        detail: String,
    },
    /// Two rules share an id.
    #[error("rule id {id:?} is used twice")]
    DuplicateRule {
        /// Field path.
        field: String,
        /// The id.
        id: String,
    },
    /// The instance is finished; no more decisions.
    #[error("the approval is already {status}")]
    InstanceClosed {
        /// Field path.
        field: String,
        /// Its status.
        status: String,
    },
    /// No such step.
    #[error("no step {step:?} in this approval")]
    UnknownStep {
        /// Field path.
        field: String,
        /// The step id.
        step: String,
    },
    /// The step's level is not open yet.
    #[error("step {step:?} is at level {level}; level {open} is open")]
    LevelNotOpen {
        /// Field path.
        field: String,
        /// The step.
        step: String,
        /// Its level.
        level: u32,
        /// The open level.
        open: u32,
    },
    /// The step already has its quorum.
    #[error("step {step:?} already has its approvals")]
    StepSatisfied {
        /// Field path.
        field: String,
        /// The step.
        step: String,
    },
    /// The actor lacks the role (and holds no valid delegation).
    #[error("{actor} may not act on {what}")]
    NotAuthorized {
        /// Field path.
        field: String,
        /// The actor.
        actor: String,
        /// What they tried.
        what: String,
    },
    /// The requester tried to approve their own request.
    #[error("{actor} requested this approval and may not approve it")]
    SelfApproval {
        /// Field path.
        field: String,
        /// The actor.
        actor: String,
    },
    /// One person approving twice in one instance.
    #[error("{actor} has already decided on this approval")]
    DuplicateApprover {
        /// Field path.
        field: String,
        /// The actor.
        actor: String,
    },
    /// A delegation window that is empty or inverted.
    #[error("delegation window is empty: valid_from must be before valid_until")]
    InvalidWindow {
        /// Field path.
        field: String,
    },
    /// `expire` before any open step's deadline.
    #[error("no open step is past its deadline")]
    NotExpired {
        /// Field path.
        field: String,
    },
    /// A rejection without a reason.
    #[error("a reason is required")]
    ReasonRequired {
        /// Field path.
        field: String,
    },
    /// Arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// `prefix` + `rules[0].when` → `prefix.rules[0].when`; an empty path is
/// the prefix itself, an index joins without a dot.
fn rooted(prefix: &str, field: &str) -> String {
    if field.is_empty() || field == "." {
        prefix.to_owned()
    } else if field.starts_with('[') {
        format!("{prefix}{field}")
    } else {
        path(prefix, field)
    }
}

fn at_text(position: Option<usize>) -> String {
    position.map_or_else(String::new, |p| {
        format!(" (at position {p} of the condition text)")
    })
}

impl ApprovalError {
    /// The position in the condition text, for parse and semantic errors
    /// of a condition written as text.
    pub fn position(&self) -> Option<usize> {
        match self {
            Self::Parse { position, .. } => Some(*position),
            Self::UnknownFact { position, .. }
            | Self::TypeMismatch { position, .. }
            | Self::CurrencyMismatch { position, .. } => *position,
            _ => None,
        }
    }

    /// The same error with `prefix` put in front of its field path, for a
    /// policy read inside another document (the buyer's, at
    /// `buyer.policy`).
    pub fn under(mut self, prefix: &str) -> Self {
        match &mut self {
            Self::Parse { field, .. }
            | Self::ExpressionTooLong { field, .. }
            | Self::ExpressionTooDeep { field, .. }
            | Self::UnknownFact { field, .. }
            | Self::TypeMismatch { field, .. }
            | Self::CurrencyMismatch { field, .. }
            | Self::InvalidPolicy { field, .. }
            | Self::AllocationMismatch { field, .. }
            | Self::DuplicateRule { field, .. }
            | Self::InstanceClosed { field, .. }
            | Self::UnknownStep { field, .. }
            | Self::LevelNotOpen { field, .. }
            | Self::StepSatisfied { field, .. }
            | Self::NotAuthorized { field, .. }
            | Self::SelfApproval { field, .. }
            | Self::DuplicateApprover { field, .. }
            | Self::InvalidWindow { field }
            | Self::NotExpired { field }
            | Self::ReasonRequired { field } => *field = rooted(prefix, field),
            Self::Money(e) => {
                let at = rooted(prefix, e.field().unwrap_or_default());
                return Self::Money(e.clone().at(&at));
            }
        }
        self
    }

    pub(super) fn with_position(mut self, at: Option<usize>) -> Self {
        if let Self::UnknownFact { position, .. }
        | Self::TypeMismatch { position, .. }
        | Self::CurrencyMismatch { position, .. } = &mut self
        {
            *position = at;
        }
        self
    }
}

impl ErrorCode for ApprovalError {
    fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "POLICY_PARSE_ERROR",
            Self::ExpressionTooLong { .. } => "EXPRESSION_TOO_LONG",
            Self::ExpressionTooDeep { .. } => "EXPRESSION_TOO_DEEP",
            Self::UnknownFact { .. } => "UNKNOWN_FACT",
            Self::TypeMismatch { .. } => "TYPE_MISMATCH",
            Self::CurrencyMismatch { .. } => "CURRENCY_MISMATCH",
            Self::InvalidPolicy { .. } => "INVALID_POLICY",
            Self::AllocationMismatch { .. } => "ALLOCATION_MISMATCH",
            Self::DuplicateRule { .. } => "DUPLICATE_ID",
            Self::InstanceClosed { .. } => "APPROVAL_CLOSED",
            Self::UnknownStep { .. } => "UNKNOWN_STEP",
            Self::LevelNotOpen { .. } => "LEVEL_NOT_OPEN",
            Self::StepSatisfied { .. } => "STEP_ALREADY_APPROVED",
            Self::NotAuthorized { .. } => "NOT_AUTHORIZED",
            Self::SelfApproval { .. } => "SELF_APPROVAL",
            Self::DuplicateApprover { .. } => "DUPLICATE_APPROVER",
            Self::InvalidWindow { .. } => "INVALID_WINDOW",
            Self::NotExpired { .. } => "NOT_EXPIRED",
            Self::ReasonRequired { .. } => "REASON_REQUIRED",
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Parse { field, .. }
            | Self::ExpressionTooLong { field, .. }
            | Self::ExpressionTooDeep { field, .. }
            | Self::UnknownFact { field, .. }
            | Self::TypeMismatch { field, .. }
            | Self::CurrencyMismatch { field, .. }
            | Self::InvalidPolicy { field, .. }
            | Self::AllocationMismatch { field, .. }
            | Self::DuplicateRule { field, .. }
            | Self::InstanceClosed { field, .. }
            | Self::UnknownStep { field, .. }
            | Self::LevelNotOpen { field, .. }
            | Self::StepSatisfied { field, .. }
            | Self::NotAuthorized { field, .. }
            | Self::SelfApproval { field, .. }
            | Self::DuplicateApprover { field, .. }
            | Self::InvalidWindow { field }
            | Self::NotExpired { field }
            | Self::ReasonRequired { field } => Some(field),
            Self::Money(e) => e.field(),
        }
    }
}
