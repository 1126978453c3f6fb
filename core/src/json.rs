//! Reading the JSON format with errors that name the field path.
//!
//! Hosts and bindings hand the library JSON documents; a malformed one gets
//! an [`JsonError`] naming where it went wrong (`lines[3].quantity`), never
//! a bare "invalid type at line 1 column 812".
//!
//! ```
//! use b2b_oms::json::from_json;
//! use b2b_oms::pricing::PriceRequest;
//! use b2b_oms::ErrorCode;
//!
//! let err = from_json::<PriceRequest>(
//!     r#"{"currency":"INR","channel":"portal","priced_at":"2026-11-26T10:00:00+05:30",
//!         "lines":[{"sku":"A","quantity":"x"}]}"#,
//! ).unwrap_err();
//! assert_eq!(err.code(), "INVALID_JSON");
//! assert_eq!(err.field(), Some("lines[0].quantity"));
//! ```

use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;

use crate::error::ErrorCode;

/// A document that is not valid JSON or does not fit the expected type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid JSON at {field}: {message}")]
pub struct JsonError {
    /// Path of the offending field (`.` for the document itself).
    pub field: String,
    /// What was wrong.
    pub message: String,
}

impl ErrorCode for JsonError {
    fn code(&self) -> &'static str {
        "INVALID_JSON"
    }

    fn field(&self) -> Option<&str> {
        Some(&self.field)
    }
}

/// Parses `text` into `T`, naming the field path on failure.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| JsonError {
        field: e.path().to_string(),
        message: e.inner().to_string(),
    })?;
    de.end().map_err(|e| JsonError {
        field: ".".into(),
        message: e.to_string(),
    })?;
    Ok(value)
}

/// Converts an already parsed JSON value into `T`, naming the field path.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(value).map_err(|e| JsonError {
        field: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// Serializes `value` as pretty JSON with a trailing newline. The output is
/// byte-identical for equal values (struct fields in declaration order,
/// maps sorted).
pub fn to_json_pretty<T: Serialize>(value: &T) -> Result<String, JsonError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| JsonError {
        field: ".".into(),
        message: e.to_string(),
    })?;
    text.push('\n');
    Ok(text)
}
