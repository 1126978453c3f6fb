//! Batch modes of `gstin` and `words`: many values in, one JSON array out,
//! for validating a customer master or a column of amounts in one run.
//!
//! The input is a JSON array, or (any text that does not start with `[`)
//! one value per line, blank lines skipped. An element is a plain value (a
//! GSTIN, an amount written as a string or as a JSON number, read exactly)
//! or the operation's request object. Every element is answered, in its
//! place: `{"index", "input", "result"}` or `{"index", "input", "error"}`,
//! the error's field rooted at the element (`[3]`, `[3].gstin`). A batch
//! has at most [`MAX_VALUES`] elements (`TOO_MANY_LINES`), the same bound
//! as an invoice's lines.

use b2b_oms::host::HostError;
use b2b_oms::json::from_json;
use b2b_oms::ErrorInfo;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// The most values one batch holds.
pub const MAX_VALUES: usize = 100_000;

/// One element of a batch as written: its JSON text (a line of a text batch
/// is turned into a JSON string).
struct Element {
    text: String,
    is_object: bool,
}

/// The elements of a batch document.
fn elements(text: &str) -> Result<Vec<Element>, HostError> {
    let trimmed = text.trim_start();
    let elements: Vec<Element> = if trimmed.starts_with('[') {
        let raw: Vec<Box<RawValue>> = from_json(text)?;
        raw.into_iter()
            .map(|r| Element {
                is_object: r.get().trim_start().starts_with('{'),
                text: r.get().to_owned(),
            })
            .collect()
    } else {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| Element {
                text: Value::String(l.to_owned()).to_string(),
                is_object: false,
            })
            .collect()
    };
    if elements.len() > MAX_VALUES {
        return Err(HostError::new(
            "TOO_MANY_LINES",
            Some(".".into()),
            format!(
                "the batch has {} values; the limit is {MAX_VALUES}",
                elements.len()
            ),
        ));
    }
    Ok(elements)
}

/// Answers every element of `text`: a request object is read as `R`, a
/// plain value is turned into one by `plain` (its JSON text in, the request
/// or the error out). Returns the array and how many elements were refused.
pub fn run<R, O>(
    text: &str,
    plain: impl Fn(&str) -> Result<R, HostError>,
    op: impl Fn(&R) -> Result<O, HostError>,
) -> Result<(Value, usize), HostError>
where
    R: DeserializeOwned,
    O: Serialize,
{
    let mut out = Vec::new();
    let mut refused = 0;
    for (index, element) in elements(text)?.into_iter().enumerate() {
        let input: Value = serde_json::from_str(&element.text)
            .map_err(|e| HostError::internal(format!("cannot reread a batch value: {e}")))?;
        let request = if element.is_object {
            from_json::<R>(&element.text).map_err(HostError::from)
        } else {
            plain(&element.text)
        };
        let answer = request.and_then(|r| op(&r)).and_then(|o| {
            serde_json::to_value(o)
                .map_err(|e| HostError::internal(format!("cannot write a result: {e}")))
        });
        match answer {
            Ok(result) => out.push(json!({"index": index, "input": input, "result": result})),
            Err(e) => {
                refused += 1;
                let mut info: ErrorInfo = e.info();
                info.field = Some(rooted(index, element.is_object, info.field.as_deref()));
                out.push(json!({"index": index, "input": input, "error": info}));
            }
        }
    }
    Ok((Value::Array(out), refused))
}

/// The error's field from the batch's root: the element (`[3]`) for a plain
/// value, the element's field (`[3].gstin`) for a request object.
fn rooted(index: usize, is_object: bool, field: Option<&str>) -> String {
    match field {
        Some(f) if is_object && f != "." && !f.is_empty() => format!("[{index}].{f}"),
        _ => format!("[{index}]"),
    }
}

/// A plain JSON string element's text.
pub fn plain_string(text: &str) -> Result<String, HostError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::String(s)) => Ok(s),
        Ok(Value::Number(_)) => Ok(text.trim().to_owned()),
        _ => Err(HostError::new(
            "INVALID_JSON",
            None,
            format!("expected a string or a request object, found {text}"),
        )),
    }
}
