//! Documents in and out: the package's JS layer passes each document as
//! JSON text (`JSON.stringify`, which also writes a `Date` as its RFC 3339
//! UTC instant) and parses the JSON text that comes back.
//!
//! Before the core reads a document, [`checked`] walks it with the
//! document's shape (`b2b_oms::host::shape`): a JS number where the core
//! wants a decimal string is `NUMBER_FOR_DECIMAL`, and a decimal string with
//! more digits than `rust_decimal` holds is `EXCESS_PRECISION` (or
//! `OVERFLOW` past its range; the core's `host::precision` check, the one
//! every host call makes), each naming the field path. Numbers at
//! integer and float places, and INV-01's amounts (JSON numbers in the
//! IRP's format, read exactly by the core or refused as `LOSSY_NUMBER`),
//! pass.

use b2b_oms::host::shape::{Scalar, ShapeRef};
use b2b_oms::host::HostError;
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
    b2b_oms::host::precision::walk_scalars(value, shape, path, &mut |v, scalar, at| match v {
        Value::Number(n) if scalar == Scalar::Decimal => Err(HostError::new(
            "NUMBER_FOR_DECIMAL",
            Some(field_path(at)),
            format!(
                "`{}` is a JS number ({n}); decimals are strings in this binding (\"{n}\")",
                field_path(at)
            ),
        )
        .with_detail("value", Value::Number(n.clone()))),
        Value::String(s) if matches!(scalar, Scalar::Decimal | Scalar::DecimalNumber) => {
            b2b_oms::host::precision::check_decimal_text(s, at)
        }
        _ => Ok(()),
    })
}
