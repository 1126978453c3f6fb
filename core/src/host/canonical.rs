//! Canonical JSON: the byte form in which every language's suite compares
//! a result with a conformance case's expectation.
//!
//! - no whitespace; object keys sorted by Unicode code point;
//! - strings as JSON writes them minimally: `"` and `\` escaped, control
//!   characters as `\b \f \n \r \t` or `\u00xx` (lowercase hex), everything
//!   else as UTF-8;
//! - numbers with an integral value as plain integer digits; any other
//!   number (only INV-01's amounts are written as non-integral JSON
//!   numbers) as a JSON *string* holding its shortest decimal digits
//!   (`1234.5`), so that a language that reads such numbers into decimals
//!   or doubles writes them back the same way;
//! - decimal strings (`"1234.50"`) exactly as the document has them: their
//!   scale is part of the result.

use serde_json::Value;

use super::HostError;

/// The canonical form of JSON text.
pub fn canonical(text: &str) -> Result<String, HostError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| HostError::new("INVALID_JSON", Some(".".into()), e.to_string()))?;
    Ok(canonical_value(&value))
}

/// The canonical form of a parsed JSON value.
pub fn canonical_value(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                out.push_str(&n.to_string());
            } else if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
                    out.push_str(&format!("{f:.0}"));
                } else {
                    write_string(&format!("{f}"), out);
                }
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                if let Some(v) = map.get(key) {
                    write(v, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn sorts_keys_drops_whitespace_and_writes_fractional_numbers_as_strings() {
        let text = r#"{ "b": [1, 2.50, "3.10"], "a": {"z": null, "é": "x\ny\u0001"}, "c": 7.0 }"#;
        assert_eq!(
            canonical(text).unwrap(),
            r#"{"a":{"z":null,"é":"x\ny\u0001"},"b":[1,"2.5","3.10"],"c":7}"#
        );
    }
}
