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

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;

use crate::error::ErrorCode;

/// A document that is not valid JSON or does not fit the expected type.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("invalid JSON at {field}: {message}")]
pub struct JsonError {
    /// Path of the offending field (`.` for the document itself).
    pub field: String,
    /// What was wrong.
    pub message: String,
    /// Which kind of problem (decides the code).
    #[serde(skip)]
    pub kind: JsonErrorKind,
}

/// The kinds of [`JsonError`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Not JSON, or not the expected shape (`INVALID_JSON`).
    #[default]
    Invalid,
    /// A number written as a JSON number that binary floating point cannot
    /// carry exactly (`LOSSY_NUMBER`): write it as a string.
    LossyNumber,
    /// A field the document does not have (`UNKNOWN_FIELD`): a typo is
    /// never ignored. The message names the closest known field and lists
    /// the known ones.
    UnknownField,
}

impl ErrorCode for JsonError {
    fn code(&self) -> &'static str {
        match self.kind {
            JsonErrorKind::Invalid => "INVALID_JSON",
            JsonErrorKind::LossyNumber => "LOSSY_NUMBER",
            JsonErrorKind::UnknownField => "UNKNOWN_FIELD",
        }
    }

    fn field(&self) -> Option<&str> {
        Some(&self.field)
    }
}

/// Parses `text` into `T`, naming the field path on failure.
///
/// Decimal amounts and quantities are best written as JSON strings
/// (`"quantity": "12.5"`). Plain JSON numbers are accepted when they are
/// read exactly: integers up to 64 bits, and other numbers whose value
/// survives the trip through binary floating point that JSON parsers make
/// (about 15 significant digits always do). A number that would silently
/// lose digits (`0.12345678901234567891`, `123456789012345678901234`) is a
/// [`JsonErrorKind::LossyNumber`] error (`LOSSY_NUMBER`) naming its field.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| classify(e.path().to_string(), e.inner().to_string()))?;
    de.end().map_err(|e| JsonError {
        field: ".".into(),
        message: e.to_string(),
        kind: JsonErrorKind::Invalid,
    })?;
    check_numbers(text)?;
    Ok(value)
}

/// Converts an already parsed JSON value into `T`, naming the field path.
/// A [`serde_json::Value`] has already passed its numbers through floating
/// point, so lossy numbers cannot be detected here: parse text with
/// [`from_json`].
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, JsonError> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| classify(e.path().to_string(), e.inner().to_string()))
}

/// Fields that documents no longer take, with where their data goes now.
const RETIRED: &[(&str, &str)] = &[(
    "stock_shortfall_lines",
    "the engine counts stock shortfall itself: give the allocation plan (or dry run) \
     of the quote or order as `allocation`",
)];

/// Every document refuses fields it does not have; serde says so as
/// "unknown field `unts`, expected one of `sku`, `quantity`, …". That
/// becomes `UNKNOWN_FIELD` with the closest known name and the list.
fn classify(field: String, message: String) -> JsonError {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return JsonError {
            field,
            message,
            kind: JsonErrorKind::Invalid,
        };
    };
    let name = rest.split('`').next().unwrap_or_default().to_owned();
    let known: Vec<&str> = rest
        .split_once(", expected")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let closest = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&name, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k);
    let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    let mut text = format!("unknown field `{name}`");
    if let Some(c) = closest {
        text.push_str(&format!(" (did you mean `{c}`?)"));
    }
    if let Some((_, hint)) = RETIRED.iter().find(|(f, _)| *f == name) {
        text.push_str("; ");
        text.push_str(hint);
    }
    if listed.is_empty() {
        text.push_str("; this object has no fields");
    } else {
        text.push_str(&format!(
            "; the known fields here are {}",
            listed.join(", ")
        ));
    }
    text.push_str("; put data of your own under the document's `ext` object where it has one");
    JsonError {
        field,
        message: text,
        kind: JsonErrorKind::UnknownField,
    }
}

/// Whether a JSON number token reaches a `Decimal` unchanged: serde_json
/// hands integers that fit 64 bits over exactly and everything else as an
/// `f64`, which rust_decimal reads back from its shortest decimal form.
fn number_is_exact(token: &str) -> bool {
    let integer = !token.contains(['.', 'e', 'E']);
    if integer && (token.parse::<u64>().is_ok() || token.parse::<i64>().is_ok()) {
        return true;
    }
    let Ok(float) = token.parse::<f64>() else {
        return false;
    };
    let Ok(via_float) = Decimal::from_str(&float.to_string()) else {
        return false;
    };
    Decimal::from_str_exact(token)
        .or_else(|_| Decimal::from_scientific(token))
        .is_ok_and(|exact| exact == via_float)
}

enum Frame {
    Object { key: String, want_key: bool },
    Array { index: usize },
}

fn path_of(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key, .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Array { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Scans well-formed JSON text for numbers that would lose digits.
fn check_numbers(text: &str) -> Result<(), JsonError> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' => stack.push(Frame::Object {
                key: String::new(),
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i = start;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                if let Some(Frame::Object {
                    key,
                    want_key: true,
                }) = stack.last_mut()
                {
                    let raw = text.get(start..i).unwrap_or_default();
                    *key = serde_json::from_str::<String>(&format!("\"{raw}\""))
                        .unwrap_or_else(|_| raw.to_owned());
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                {
                    i += 1;
                }
                let token = text.get(start..i).unwrap_or_default();
                if !number_is_exact(token) {
                    return Err(JsonError {
                        field: path_of(&stack),
                        message: format!(
                            "the number {token} cannot be read exactly (JSON numbers pass through \
                             binary floating point, which keeps about 15 significant digits); \
                             write it as a string: \"{token}\""
                        ),
                        kind: JsonErrorKind::LossyNumber,
                    });
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Serializes `value` as pretty JSON with a trailing newline. The output is
/// byte-identical for equal values (struct fields in declaration order,
/// maps sorted).
pub fn to_json_pretty<T: Serialize>(value: &T) -> Result<String, JsonError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| JsonError {
        field: ".".into(),
        message: e.to_string(),
        kind: JsonErrorKind::Invalid,
    })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::PriceRequest;

    fn request(quantity: &str) -> Result<PriceRequest, JsonError> {
        from_json(&format!(
            r#"{{"currency":"INR","channel":"portal","priced_at":"2026-11-26T10:00:00+05:30",
               "lines":[{{"sku":"A","quantity":"1"}},{{"sku":"B \"x\"","quantity":{quantity}}}]}}"#
        ))
    }

    #[test]
    fn exact_numbers_are_read_as_written() {
        for (n, want) in [
            ("12", "12"),
            ("12.5", "12.5"),
            ("0.1", "0.1"),
            ("192.165", "192.165"),
            ("123456789012.345", "123456789012.345"),
            ("1e2", "100"),
            ("18446744073709551615", "18446744073709551615"),
            ("\"0.12345678901234567891\"", "0.12345678901234567891"),
        ] {
            let r = request(n).unwrap();
            assert_eq!(r.lines[1].quantity, Decimal::from_str(want).unwrap(), "{n}");
        }
    }

    #[test]
    fn lossy_numbers_are_rejected_with_their_path() {
        for n in [
            "0.12345678901234567891",
            "123456789012345678901234",
            "1234567890.1234567891",
        ] {
            let e = request(n).unwrap_err();
            assert_eq!(e.code(), "LOSSY_NUMBER", "{n}");
            assert_eq!(e.field(), Some("lines[1].quantity"), "{n}");
            assert!(e.message.contains(n), "{}", e.message);
        }
        let e = from_json::<Vec<Decimal>>("[1, 2.5, 3.00000000000000000001]").unwrap_err();
        assert_eq!((e.code(), e.field()), ("LOSSY_NUMBER", Some("[2]")));
        let e = from_json::<Decimal>("99999999999999999999.5").unwrap_err();
        assert_eq!((e.code(), e.field()), ("LOSSY_NUMBER", Some(".")));
    }
}
