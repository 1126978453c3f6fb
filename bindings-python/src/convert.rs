//! Native Python values to the JSON documents of the host operations, and
//! back.
//!
//! Both directions walk the value together with its [`ShapeRef`] (read
//! from the JSON Schema by the core), so the binding knows where the
//! decimals, dates and instants are without a rule of its own:
//!
//! - in: `decimal.Decimal` becomes a decimal string (`format(d, "f")`,
//!   checked with `Decimal::from_str_exact`: more digits than the core holds
//!   is `EXCESS_PRECISION`), or a JSON number with the same digits where the
//!   format writes decimals as numbers; `int` (not `bool`) an integer;
//!   `float` only where the format has a binary float (coordinates), else
//!   `NUMBER_FOR_DECIMAL`; a timezone-aware `datetime` RFC 3339 text (a
//!   naive one is `NAIVE_DATETIME`); `date` ISO text; `str`, `bool`,
//!   `None`, `dict` with `str` keys, `list` and `tuple` as themselves. Each
//!   error names the field path (`request.lines[3].quantity`);
//! - out: the JSON text of the result, parsed here, becomes `dict`, `list`,
//!   `str`, `int`, `bool`, `None`, with `Decimal` at decimal places (and for
//!   any non-integral number), `date` / aware `datetime` at date and instant
//!   places, and `float` only at float places.

use std::fmt::Write as _;

use b2b_oms::host::shape::{Scalar, ShapeRef};
use b2b_oms::host::HostError;
use chrono::{Datelike, NaiveDate, Timelike};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::errors;

/// The deepest nesting of lists and dicts converted (a cycle or a hostile
/// document stops here with an error, not with a stack overflow).
pub const MAX_DEPTH: usize = 128;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEZONES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

/// One step of a field path.
enum Step {
    Key(String),
    Index(usize),
}

/// Writes a Python value as JSON text.
struct Writer<'py> {
    py: Python<'py>,
    out: String,
    path: Vec<Step>,
    decimal: Bound<'py, PyType>,
    datetime: Bound<'py, PyType>,
    date: Bound<'py, PyType>,
}

/// The field path of the steps, as the core writes it (`lines[3].quantity`;
/// `.` for the document itself), under `root` when given.
fn render_path(root: Option<&str>, path: &[Step]) -> String {
    let mut s = root.unwrap_or_default().to_owned();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    if s.is_empty() {
        s.push('.');
    }
    s
}

impl<'py> Writer<'py> {
    fn fail(&self, code: &str, message: String) -> PyErr {
        let field = render_path(None, &self.path);
        let message = format!("{message} (at {field})");
        errors::to_py(self.py, &HostError::new(code, Some(field), message))
    }

    fn value(
        &mut self,
        obj: &Bound<'py, PyAny>,
        shape: Option<ShapeRef<'static>>,
        depth: usize,
    ) -> PyResult<()> {
        if depth > MAX_DEPTH {
            return Err(self.fail(
                "INVALID_JSON",
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        let scalar = shape.map_or(Scalar::Plain, |s| s.scalar());
        if let Ok(s) = obj.cast::<PyString>() {
            let text = s.to_cow().map_err(|_| {
                self.fail(
                    "INVALID_VALUE",
                    "text that is not valid Unicode (a lone surrogate)".into(),
                )
            })?;
            write_string(&mut self.out, &text);
        } else if let Ok(d) = obj.cast::<PyDict>() {
            self.object(d.iter().map(Ok), shape, depth)?;
        } else if let Ok(l) = obj.cast::<PyList>() {
            let items = shape.and_then(|s| s.items());
            self.out.push('[');
            // Index-based: a list that changes size under us is read as it is now.
            let mut i = 0;
            while let Ok(item) = l.get_item(i) {
                if i > 0 {
                    self.out.push(',');
                }
                self.path.push(Step::Index(i));
                self.value(&item, items, depth + 1)?;
                self.path.pop();
                i += 1;
            }
            self.out.push(']');
        } else if obj.is_instance_of::<PyBool>() {
            self.out
                .push_str(if obj.is_truthy()? { "true" } else { "false" });
        } else if obj.is_instance_of::<PyInt>() {
            let digits = obj.str()?.to_cow()?.into_owned();
            match scalar {
                Scalar::Decimal => {
                    if Decimal::from_str_exact(&digits).is_err() {
                        return Err(self.fail(
                            "EXCESS_PRECISION",
                            format!("the integer {digits} is beyond the decimal range (96 bits)"),
                        ));
                    }
                    write_string(&mut self.out, &digits);
                }
                _ => self.out.push_str(&digits),
            }
        } else if obj.is_none() {
            self.out.push_str("null");
        } else if obj.is_instance(&self.decimal)? {
            self.decimal(obj, scalar)?;
        } else if obj.is_instance_of::<PyFloat>() {
            let f: f64 = obj.extract()?;
            if scalar != Scalar::Float {
                return Err(self.fail(
                    "NUMBER_FOR_DECIMAL",
                    format!(
                        "a float ({f:?}) where a decimal is required: pass decimal.Decimal(\"…\") or a string"
                    ),
                ));
            }
            if !f.is_finite() {
                return Err(self.fail("INVALID_VALUE", format!("a float that is not finite ({f})")));
            }
            let _ = write!(self.out, "{f}");
        } else if let Ok(t) = obj.cast::<PyTuple>() {
            let items = shape.and_then(|s| s.items());
            self.out.push('[');
            for (i, item) in t.iter().enumerate() {
                if i > 0 {
                    self.out.push(',');
                }
                self.path.push(Step::Index(i));
                self.value(&item, items, depth + 1)?;
                self.path.pop();
            }
            self.out.push(']');
        } else if obj.is_instance(&self.datetime)? {
            if obj.call_method0("utcoffset")?.is_none() {
                return Err(self.fail(
                    "NAIVE_DATETIME",
                    "a datetime without a time zone: give it a tzinfo (datetime.timezone.utc, ZoneInfo(\"Asia/Kolkata\"), …)".into(),
                ));
            }
            let text: String = obj.call_method0("isoformat")?.extract()?;
            write_string(&mut self.out, &text);
        } else if obj.is_instance(&self.date)? {
            let text: String = obj.call_method0("isoformat")?.extract()?;
            write_string(&mut self.out, &text);
        } else if let Ok(m) = obj.cast::<PyMapping>() {
            let items = m.items()?;
            self.object(
                items
                    .iter()
                    .map(|pair| pair.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>()),
                shape,
                depth,
            )?;
        } else {
            let name = obj
                .get_type()
                .name()
                .map_or_else(|_| "object".to_owned(), |n| n.to_string());
            return Err(self.fail(
                "INVALID_JSON",
                format!(
                    "a value of type {name} cannot be sent: use dict, list, tuple, str, int, decimal.Decimal, bool, None, date or an aware datetime"
                ),
            ));
        }
        Ok(())
    }

    fn decimal(&mut self, obj: &Bound<'py, PyAny>, scalar: Scalar) -> PyResult<()> {
        let text: String = obj.call_method1("__format__", ("f",))?.extract()?;
        if text.contains(['N', 'n', 'I', 'i']) {
            return Err(self.fail(
                "INVALID_VALUE",
                format!("a decimal that is not a finite number ({text})"),
            ));
        }
        if let Err(e) = Decimal::from_str_exact(&text) {
            return Err(self.fail(
                "EXCESS_PRECISION",
                format!(
                    "the decimal {text} has more digits than the core holds (28 fractional digits, 96 bits): {e}"
                ),
            ));
        }
        if matches!(scalar, Scalar::DecimalNumber | Scalar::Float) {
            self.out.push_str(&text);
        } else {
            write_string(&mut self.out, &text);
        }
        Ok(())
    }

    fn object(
        &mut self,
        pairs: impl Iterator<Item = PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)>>,
        shape: Option<ShapeRef<'static>>,
        depth: usize,
    ) -> PyResult<()> {
        self.out.push('{');
        for (i, pair) in pairs.enumerate() {
            let (key, value) = pair?;
            let Ok(key) = key.cast_into::<PyString>() else {
                return Err(self.fail(
                    "INVALID_JSON",
                    "a dict key that is not a str: document keys are text".into(),
                ));
            };
            let key = key.to_cow().map_err(|_| {
                self.fail(
                    "INVALID_VALUE",
                    "a key that is not valid Unicode (a lone surrogate)".into(),
                )
            })?;
            if i > 0 {
                self.out.push(',');
            }
            write_string(&mut self.out, &key);
            self.out.push(':');
            let sub = shape.and_then(|s| s.field(&key));
            self.path.push(Step::Key(key.clone().into_owned()));
            self.value(&value, sub, depth + 1)?;
            self.path.pop();
        }
        self.out.push('}');
        Ok(())
    }
}

/// Writes `s` as a JSON string.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The JSON text of a document given as a Python value (or as JSON text
/// already: a `str` is taken as it is), converted along `shape`.
pub fn document_text(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    shape: Option<ShapeRef<'static>>,
) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s
            .to_cow()
            .map_err(|_| {
                errors::to_py(
                    py,
                    &HostError::new(
                        "INVALID_JSON",
                        Some(".".into()),
                        "JSON text that is not valid Unicode",
                    ),
                )
            })?
            .into_owned());
    }
    value_text(py, obj, shape)
}

/// The JSON text of a Python value (a `str` is a JSON string here).
pub fn value_text(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    shape: Option<ShapeRef<'static>>,
) -> PyResult<String> {
    let mut w = Writer {
        py,
        out: String::with_capacity(256),
        path: Vec::new(),
        decimal: decimal_type(py)?.clone(),
        datetime: datetime_type(py)?.clone(),
        date: date_type(py)?.clone(),
    };
    w.value(obj, shape, 0)?;
    Ok(w.out)
}

/// Parses JSON text written by the core.
pub fn parse(text: &str) -> Result<Value, HostError> {
    serde_json::from_str(text)
        .map_err(|e| HostError::internal(format!("the core wrote JSON it cannot read back: {e}")))
}

/// Builds Python values from parsed JSON.
pub struct Reader<'py> {
    py: Python<'py>,
    decimal: Bound<'py, PyType>,
    keys: FxHashMap<String, Py<PyString>>,
    /// Decimals, dates and instants already made in this result, by their
    /// text: they are immutable, so equal values share one object
    /// (`"0.00"`, quantities, the pricing instant).
    decimals: FxHashMap<Box<str>, Bound<'py, PyAny>>,
}

impl<'py> Reader<'py> {
    /// A reader (imports `decimal` and `datetime` on first use).
    pub fn new(py: Python<'py>) -> PyResult<Self> {
        Ok(Reader {
            py,
            decimal: decimal_type(py)?.clone(),
            keys: FxHashMap::default(),
            decimals: FxHashMap::default(),
        })
    }

    fn decimal_of(&mut self, text: &str) -> PyResult<Bound<'py, PyAny>> {
        if let Some(d) = self.decimals.get(text) {
            return Ok(d.clone());
        }
        let d = self.decimal.call1((text,))?;
        if self.decimals.len() < 16_384 {
            self.decimals.insert(text.into(), d.clone());
        }
        Ok(d)
    }

    fn key(&mut self, k: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.keys.get(k) {
            return s.bind(self.py).clone();
        }
        let s = PyString::new(self.py, k);
        if self.keys.len() < 4096 {
            self.keys.insert(k.to_owned(), s.clone().unbind());
        }
        s
    }

    /// The Python value of `value`, read along `shape`.
    pub fn value(
        &mut self,
        value: &Value,
        shape: Option<ShapeRef<'static>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let scalar = shape.map_or(Scalar::Plain, |s| s.scalar());
        Ok(match value {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    match scalar {
                        Scalar::Decimal | Scalar::DecimalNumber => {
                            self.decimal_of(&i.to_string())?
                        }
                        Scalar::Float => PyFloat::new(py, i as f64).into_any(),
                        _ => i.into_pyobject(py)?.into_any(),
                    }
                } else if let Some(u) = n.as_u64() {
                    match scalar {
                        Scalar::Decimal | Scalar::DecimalNumber => {
                            self.decimal_of(&u.to_string())?
                        }
                        _ => u.into_pyobject(py)?.into_any(),
                    }
                } else {
                    let f = n.as_f64().unwrap_or(f64::NAN);
                    if scalar == Scalar::Float {
                        PyFloat::new(py, f).into_any()
                    } else {
                        // Rust writes the shortest digits that read back
                        // as the same number, never with an exponent.
                        self.decimal_of(&format!("{f}"))?
                    }
                }
            }
            Value::String(s) => match scalar {
                Scalar::Decimal | Scalar::DecimalNumber => match self.decimals.get(s.as_str()) {
                    Some(d) => d.clone(),
                    None if Decimal::from_str_exact(s).is_ok() => self.decimal_of(s)?,
                    None => PyString::new(py, s).into_any(),
                },
                Scalar::Date | Scalar::DateTime => {
                    if let Some(d) = self.decimals.get(s.as_str()) {
                        return Ok(d.clone());
                    }
                    let made = if scalar == Scalar::Date {
                        date_of(py, s)?
                    } else {
                        datetime_of(py, s)?
                    };
                    match made {
                        Some(d) => {
                            if self.decimals.len() < 16_384 {
                                self.decimals.insert(s.as_str().into(), d.clone());
                            }
                            d
                        }
                        None => PyString::new(py, s).into_any(),
                    }
                }
                _ => PyString::new(py, s).into_any(),
            },
            Value::Array(items) => {
                let sub = shape.and_then(|s| s.items());
                let list = PyList::empty(py);
                for item in items {
                    list.append(self.value(item, sub)?)?;
                }
                list.into_any()
            }
            Value::Object(map) => {
                let dict = PyDict::new(py);
                for (k, v) in map {
                    let sub = shape.and_then(|s| s.field(k));
                    let key = self.key(k);
                    dict.set_item(key, self.value(v, sub)?)?;
                }
                dict.into_any()
            }
        })
    }
}

fn date_of<'py>(py: Python<'py>, s: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") else {
        return Ok(None);
    };
    if d.year() < 1 {
        return Ok(None);
    }
    Ok(Some(date_type(py)?.call1((
        d.year(),
        d.month(),
        d.day(),
    ))?))
}

/// The `tzinfo` of an instant: `datetime.timezone.utc` for one the core
/// wrote with `Z` (a UTC instant), else a fixed offset (zero written
/// `+00:00` is a `timezone` named `"+00:00"`, so that the two spellings of a
/// result can be written back as the core wrote them).
fn timezone<'py>(py: Python<'py>, seconds: i32, zulu: bool) -> PyResult<Bound<'py, PyAny>> {
    let cache = TIMEZONES
        .get_or_init(py, || PyDict::new(py).unbind())
        .bind(py);
    let key = if zulu { i64::MAX } else { i64::from(seconds) };
    if let Some(tz) = cache.get_item(key)? {
        return Ok(tz);
    }
    let datetime = py.import("datetime")?;
    let tz = if zulu {
        datetime.getattr("timezone")?.getattr("utc")?
    } else {
        let delta = datetime.getattr("timedelta")?.call1((0, seconds))?;
        if seconds == 0 {
            datetime.getattr("timezone")?.call1((delta, "+00:00"))?
        } else {
            datetime.getattr("timezone")?.call1((delta,))?
        }
    };
    if cache.len() < 256 {
        cache.set_item(key, &tz)?;
    }
    Ok(tz)
}

fn datetime_of<'py>(py: Python<'py>, s: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) else {
        return Ok(None);
    };
    let local = t.naive_local();
    if local.year() < 1 {
        return Ok(None);
    }
    let micros = (local.nanosecond() / 1000).min(999_999);
    let zulu = s.ends_with(['Z', 'z']);
    let tz = timezone(py, t.offset().local_minus_utc(), zulu)?;
    Ok(Some(datetime_type(py)?.call1((
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        micros,
        tz,
    ))?))
}

/// The Python value of the core's JSON output `text`, read along `shape`.
pub fn output(
    py: Python<'_>,
    value: &Value,
    shape: Option<ShapeRef<'static>>,
) -> PyResult<Py<PyAny>> {
    let mut reader = Reader::new(py)?;
    // The result is a tree without cycles, made under the GIL: the cyclic
    // garbage collector, which would otherwise run many times over the
    // tens of thousands of new containers of a large result, is paused
    // while it is built (and resumed if it was running).
    let gc = py.import("gc")?;
    let was_enabled = gc.call_method0("isenabled")?.is_truthy()?;
    if was_enabled {
        gc.call_method0("disable")?;
    }
    let built = reader.value(value, shape);
    if was_enabled {
        gc.call_method0("enable")?;
    }
    Ok(built?.unbind())
}
