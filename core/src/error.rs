//! What every error of the library has in common: a stable code, the path of
//! the offending field, and a serializable summary for hosts and bindings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Implemented by every module's error enum.
///
/// `code` is stable across releases (bindings expose it as the exception's
/// `code`); `field` is a path into the input such as `lines[17].quantity`.
pub trait ErrorCode: std::error::Error {
    /// Stable machine-readable code, e.g. `BELOW_MOQ`.
    fn code(&self) -> &'static str;

    /// Path of the input field the error is about, when there is one.
    fn field(&self) -> Option<&str>;

    /// Serializable summary: code, field path and readable message.
    fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code().to_owned(),
            field: self.field().map(str::to_owned),
            message: self.to_string(),
        }
    }
}

/// Serializable form of any error: what hosts log and bindings raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorInfo {
    /// Stable machine-readable code.
    pub code: String,
    /// Path of the offending input field, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Readable message naming the value and the rule it broke.
    pub message: String,
}

impl std::fmt::Display for ErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} at {}: {}", self.code, field, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

/// Joins a parent path and a child key: `path("lines[3]", "quantity")`.
pub(crate) fn path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

/// Joins a parent path and an index: `index("lines", 3)` → `lines[3]`.
pub(crate) fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}
