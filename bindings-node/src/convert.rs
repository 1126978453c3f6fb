//! Documents in and out: the package's JS layer passes each document as
//! JSON text (`JSON.stringify`, which also writes a `Date` as its RFC 3339
//! UTC instant) and parses the JSON text that comes back.
//!
//! Before the core reads a document, [`checked`] walks it with the
//! document's shape (`b2b_oms::host::shape`): a JS number where the core
//! wants a decimal string is `NUMBER_FOR_DECIMAL`, and a decimal string with
//! more digits than `rust_decimal` holds is `EXCESS_PRECISION` (or
//! `OVERFLOW` past its range), each naming the field path. Numbers at
//! integer and float places, and INV-01's amounts (JSON numbers in the
//! IRP's format, read exactly by the core or refused as `LOSSY_NUMBER`),
//! pass.

use b2b_oms::host::shape::{Scalar, ShapeRef};
use b2b_oms::host::HostError;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses JSON text and checks it against `shape`.
pub fn checked(text: &str, shape: Option<ShapeRef<'_>>) -> Result<Value, HostError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| HostError::new("INVALID_JSON", Some(".".into()), e.to_string()))?;
    if let Some(shape) = shape {
        let mut path = String::new();
        walk(&value, shape, &mut path)?;
    }
    Ok(value)
}

/// Parses JSON text into a typed document after the shape check, naming
/// the field path of any error.
pub fn document<T: DeserializeOwned>(
    text: &str,
    shape: Option<ShapeRef<'_>>,
) -> Result<T, HostError> {
    let value = checked(text, shape)?;
    Ok(b2b_oms::json::from_value(value)?)
}

/// Serialises an output document as JSON text.
pub fn to_text<T: serde::Serialize>(value: &T) -> Result<String, HostError> {
    serde_json::to_string(value)
        .map_err(|e| HostError::internal(format!("cannot write the result: {e}")))
}

fn field_path(path: &str) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.to_owned()
    }
}

fn walk(value: &Value, shape: ShapeRef<'_>, path: &mut String) -> Result<(), HostError> {
    match value {
        Value::Number(n) => {
            if shape.scalar() == Scalar::Decimal {
                return Err(HostError::new(
                    "NUMBER_FOR_DECIMAL",
                    Some(field_path(path)),
                    format!(
                        "`{}` is a JS number ({n}); decimals are strings in this binding (\"{n}\")",
                        field_path(path)
                    ),
                )
                .with_detail("value", Value::Number(n.clone())));
            }
        }
        Value::String(s) => {
            if matches!(shape.scalar(), Scalar::Decimal | Scalar::DecimalNumber) {
                check_decimal(s, path)?;
            }
        }
        Value::Array(items) => {
            if let Some(item_shape) = shape.items() {
                let len = path.len();
                for (i, item) in items.iter().enumerate() {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                    walk(item, item_shape, path)?;
                    path.truncate(len);
                }
            }
        }
        Value::Object(map) => {
            let len = path.len();
            for (key, item) in map {
                if let Some(sub) = shape.field(key) {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    walk(item, sub, path)?;
                    path.truncate(len);
                }
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
    Ok(())
}

/// Whether `s` is written as a plain decimal (`-12.50`): only those are
/// checked here; anything else is left to the core's own error.
fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => !int.is_empty() && all_digits(int),
        Some(f) => (!int.is_empty() || !f.is_empty()) && all_digits(int) && all_digits(f),
    }
}

fn check_decimal(s: &str, path: &str) -> Result<(), HostError> {
    if !is_plain_decimal(s) {
        return Ok(());
    }
    match Decimal::from_str_exact(s) {
        Ok(_) => Ok(()),
        Err(e) => {
            let too_big = matches!(
                e,
                rust_decimal::Error::ExceedsMaximumPossibleValue
                    | rust_decimal::Error::LessThanMinimumPossibleValue
            ) || s
                .trim_start_matches(['-', '+'])
                .split('.')
                .next()
                .is_some_and(|int| int.trim_start_matches('0').len() > 28);
            let (code, what) = if too_big {
                ("OVERFLOW", "is beyond the decimal range")
            } else {
                (
                    "EXCESS_PRECISION",
                    "has more digits than the core holds (28 fractional, 96 bits); round it first",
                )
            };
            Err(HostError::new(
                code,
                Some(field_path(path)),
                format!("`{}` = \"{s}\" {what}", field_path(path)),
            )
            .with_detail("value", Value::String(s.to_owned())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_plain_decimal;

    #[test]
    fn plain_decimals() {
        for ok in ["1", "-1.50", "0.1", ".5", "5."] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for no in ["", "-", ".", "1e5", "abc", "1.2.3", "NaN"] {
            assert!(!is_plain_decimal(no), "{no}");
        }
    }
}
