//! HSN (goods) and SAC (services) codes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::TaxError;

/// A validated HSN/SAC code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HsnInfo {
    /// The code (digits only).
    pub code: String,
    /// Whether it is a SAC (services): it starts with `99`.
    pub is_service: bool,
}

/// Validates an HSN/SAC: digits only, 4, 6 or 8 long, and at least
/// `min_length` digits (the seller's setting: 4 up to ₹5 crore aggregate
/// turnover, 6 above). `field` names the input in errors.
pub fn validate_hsn(code: &str, min_length: u8, field: &str) -> Result<HsnInfo, TaxError> {
    let code = code.trim();
    let err = |reason: String| TaxError::InvalidHsn {
        field: field.to_owned(),
        value: code.to_owned(),
        reason,
    };
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("an HSN/SAC code has digits only".to_owned()));
    }
    if !matches!(code.len(), 4 | 6 | 8) {
        return Err(err(format!(
            "an HSN/SAC code has 4, 6 or 8 digits, this one has {}",
            code.len()
        )));
    }
    if code.len() < usize::from(min_length) {
        return Err(err(format!(
            "at least {min_length} digits are required by the seller's setting"
        )));
    }
    Ok(HsnInfo {
        code: code.to_owned(),
        is_service: code.starts_with("99"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn hsn_rules() {
        assert!(!validate_hsn("61149090", 4, "h").unwrap().is_service);
        assert!(validate_hsn("999900", 6, "h").unwrap().is_service);
        assert!(validate_hsn(" 9965 ", 4, "h").unwrap().is_service);
        for bad in ["", "12345", "6114A090", "611490901", "61 14"] {
            let e = validate_hsn(bad, 4, "lines[3].hsn").unwrap_err();
            assert_eq!(e.code(), "INVALID_HSN");
            assert_eq!(e.field(), Some("lines[3].hsn"));
        }
        assert_eq!(
            validate_hsn("6114", 6, "h").unwrap_err().code(),
            "INVALID_HSN"
        );
    }
}
