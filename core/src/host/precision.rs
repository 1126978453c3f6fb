//! Decimal strings with more digits than a decimal holds are refused, not
//! rounded. rust_decimal's own parsing rounds a string past 28 significant
//! digits (`"1.00000000000000000000000000001"` would be read as `1`), so
//! every host call checks the decimal places of its document (read from
//! the document's shape) before the typed read: `EXCESS_PRECISION` for too
//! many digits, `OVERFLOW` past the range, each naming the field path. The
//! bindings call the same check, so every language refuses the same input
//! with the same code.

use rust_decimal::Decimal;
use serde_json::Value;

use super::shape::{Scalar, ShapeRef};
use super::{HostError, Operation};

/// The fewest digits a string needs before rounding can happen: a decimal
/// holds every number of up to 28 digits exactly.
const SAFE_DIGITS: usize = 28;

/// Refuses `s` at `path` when it is a plain decimal (`-12.50`) that a
/// decimal cannot hold exactly; anything else is left to the typed read.
pub fn check_decimal_text(s: &str, path: &str) -> Result<(), HostError> {
    if !is_plain_decimal(s) {
        return Ok(());
    }
    let Err(e) = Decimal::from_str_exact(s) else {
        return Ok(());
    };
    let too_big = matches!(
        e,
        rust_decimal::Error::ExceedsMaximumPossibleValue
            | rust_decimal::Error::LessThanMinimumPossibleValue
    ) || s
        .trim_start_matches(['-', '+'])
        .split('.')
        .next()
        .is_some_and(|int| int.trim_start_matches('0').len() > SAFE_DIGITS);
    let (code, what) = if too_big {
        ("OVERFLOW", "is beyond the decimal range")
    } else {
        (
            "EXCESS_PRECISION",
            "has more digits than the core holds (28 fractional, 96 bits); round it first",
        )
    };
    let field = field_path(path);
    Err(HostError::new(
        code,
        Some(field.clone()),
        format!("`{field}` = \"{s}\" {what}"),
    )
    .with_detail("value", Value::String(s.to_owned())))
}

/// Walks `value` with `shape`, checking every string at a decimal place
/// with [`check_decimal_text`]; `path` is the place of `value` (empty at
/// the root) and is restored on return.
pub fn check_decimal_strings(
    value: &Value,
    shape: ShapeRef<'_>,
    path: &mut String,
) -> Result<(), HostError> {
    walk_scalars(value, shape, path, &mut |v, scalar, at| match v {
        Value::String(s) if matches!(scalar, Scalar::Decimal | Scalar::DecimalNumber) => {
            check_decimal_text(s, at)
        }
        _ => Ok(()),
    })
}

/// Walks `value` with `shape` and calls `check` on every string and
/// number with the kind its place has and its path (a binding adds its
/// own checks of native numbers this way, on the same walk).
pub fn walk_scalars(
    value: &Value,
    shape: ShapeRef<'_>,
    path: &mut String,
    check: &mut dyn FnMut(&Value, Scalar, &str) -> Result<(), HostError>,
) -> Result<(), HostError> {
    match value {
        Value::String(_) | Value::Number(_) => check(value, shape.scalar(), path)?,
        Value::Array(items) => {
            if let Some(item_shape) = shape.items() {
                let len = path.len();
                for (i, item) in items.iter().enumerate() {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                    walk_scalars(item, item_shape, path, check)?;
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
                    walk_scalars(item, sub, path, check)?;
                    path.truncate(len);
                }
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
    Ok(())
}

/// The check of one host call's input text. Most documents hold no
/// string of more than 28 digits, and a scan of the text shows it without
/// parsing; only a document that has one is walked with its shape.
pub(crate) fn check_input(op: Operation, text: &str) -> Result<(), HostError> {
    if !has_long_digit_string(text) {
        return Ok(());
    }
    let (Some(shape), Ok(value)) = (super::shape::input(op), serde_json::from_str::<Value>(text))
    else {
        // Not JSON: the typed read names the error.
        return Ok(());
    };
    check_decimal_strings(&value, shape.root(), &mut String::new())
}

/// The same check for a document of type `T` read outside a host call
/// (the CLI's files): its shape comes from `T`'s JSON Schema, built only
/// when the text has a long digit string.
pub fn check_document<T: schemars::JsonSchema>(text: &str) -> Result<(), HostError> {
    if !has_long_digit_string(text) {
        return Ok(());
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Ok(());
    };
    let shape = super::shape::Shape::from_schema(&schemars::schema_for!(T));
    check_decimal_strings(&value, shape.root(), &mut String::new())
}

/// Whether some JSON string token of `text` holds more than
/// [`SAFE_DIGITS`] ASCII digits.
fn has_long_digit_string(text: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut digits = 0usize;
    for b in text.bytes() {
        if !in_string {
            if b == b'"' {
                in_string = true;
                digits = 0;
            }
            continue;
        }
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            in_string = false;
            if digits > SAFE_DIGITS {
                return true;
            }
        } else if b.is_ascii_digit() {
            digits += 1;
        }
    }
    false
}

/// Whether `s` is written as a plain decimal (`-12.50`).
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

fn field_path(path: &str) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn plain_decimals() {
        for ok in ["1", "-1.50", "0.1", ".5", "5."] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for no in ["", "-", ".", "1e5", "abc", "1.2.3", "NaN"] {
            assert!(!is_plain_decimal(no), "{no}");
        }
    }

    /// rust_decimal alone rounds these; every host call refuses them at
    /// their path, as the bindings do.
    #[test]
    fn a_host_call_refuses_a_decimal_string_it_would_round() {
        let words = |amount: &str| {
            super::super::call("words", &format!(r#"{{"amount": "{amount}"}}"#)).unwrap_err()
        };
        let e = words("999999999999999999999999999.991");
        assert_eq!((e.code(), e.field()), ("EXCESS_PRECISION", Some("amount")));
        let e = words("79228162514264337593543950336");
        assert_eq!((e.code(), e.field()), ("OVERFLOW", Some("amount")));
        // A quantity in a pricing request would have been rounded to 1.
        let request = r#"{"catalog": [], "price_book": {}, "customer": {}, "request": {"lines":
            [{"sku": "A", "quantity": "1.00000000000000000000000000001"}]}}"#;
        let e = super::super::call("price_order", request).unwrap_err();
        assert_eq!(e.code(), "EXCESS_PRECISION");
        assert_eq!(e.field(), Some("request.lines[0].quantity"));
        // A long digit string that is not at a decimal place is the typed
        // read's (here: the customer's id is text, so no EXCESS_PRECISION).
        let e = super::super::call(
            "price_order",
            r#"{"catalog": [], "customer": {"id": "1234567890123456789012345678901"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "INVALID_JSON");
    }

    #[test]
    fn the_scan_counts_digits_inside_strings_only() {
        assert!(!has_long_digit_string(
            r#"{"a": 123456789012345678901234567890}"#
        ));
        assert!(has_long_digit_string(
            r#"{"a": "1.23456789012345678901234567890"}"#
        ));
        assert!(!has_long_digit_string(r#"{"a": "1.5", "b": "\"2\""}"#));
    }
}
