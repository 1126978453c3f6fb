//! The core's errors as Python exceptions: one match from the error's
//! [`Family`] to its class.
//!
//! The classes live in `b2b_oms/errors.py` (so that they carry Python
//! docstrings and `InputTypeError` can derive from both `InputError` and
//! the built-in `TypeError`); every instance has `.code`, `.field`,
//! `.details` (a dict, decimal values as `Decimal`), `.family` and
//! `.message`. A family the match does not name does not compile, and the
//! Python suite checks that every code of `host::CODES` raises its class.

use std::panic::{catch_unwind, AssertUnwindSafe};

use b2b_oms::host::{Family, HostError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule, PyString};
use rust_decimal::Decimal;
use serde_json::Value;

/// Input codes that say the Python value has the wrong type (a `float`
/// for a decimal, a naive `datetime`, more digits than a decimal holds):
/// raised as `InputTypeError`, which is also a `TypeError`.
pub const TYPE_ERROR_CODES: [&str; 3] =
    ["NUMBER_FOR_DECIMAL", "EXCESS_PRECISION", "NAIVE_DATETIME"];

/// The name of the exception class in `b2b_oms.errors` for an error of
/// `family` with `code`.
pub fn class_name(family: Family, code: &str) -> &'static str {
    match family {
        Family::Input if TYPE_ERROR_CODES.contains(&code) => "InputTypeError",
        Family::Input => "InputError",
        Family::Pricing => "PricingError",
        Family::Quote => "QuoteError",
        Family::Approval => "ApprovalError",
        Family::Credit => "CreditError",
        Family::Order => "OrderError",
        Family::Allocation => "AllocationError",
        Family::Tax => "TaxError",
        Family::Invoice => "InvoiceError",
        Family::Internal => "InternalError",
    }
}

static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The `b2b_oms.errors` module.
pub fn module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    MODULE
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import("b2b_oms.errors")?.unbind()))
        .map(|m| m.bind(py))
}

/// The exception class of `code` (its family looked up in `CODES`).
pub fn class_of<'py>(py: Python<'py>, family: Family, code: &str) -> PyResult<Bound<'py, PyAny>> {
    module(py)?.getattr(class_name(family, code))
}

/// Whether a detail named `key` holds an identifier or a code (kept as
/// text even when it reads as a number: `line_id: "1"`).
fn is_identifier(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "id", "sku", "code", "gstin", "hsn", "sac", "number", "pincode", "series", "unit",
        "currency", "name", "path", "field", "state",
    ]
    .iter()
    .any(|s| key.ends_with(s))
        || key.ends_with("ids")
}

/// A detail value as Python: numbers as `int` / `Decimal`, decimal text
/// (`"24"`, `"1234.50"`) as `Decimal` except under identifier keys.
fn detail<'py>(py: Python<'py>, key: &str, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    let decimal = || py.import("decimal")?.getattr("Decimal");
    Ok(match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => match n.as_u64() {
                Some(u) => u.into_pyobject(py)?.into_any(),
                None => decimal()?.call1((format!("{}", n.as_f64().unwrap_or(0.0)),))?,
            },
        },
        Value::String(s)
            if !is_identifier(key)
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
                && Decimal::from_str_exact(s).is_ok() =>
        {
            decimal()?.call1((s.as_str(),))?
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(detail(py, key, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => details(py, map)?.into_any(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Null => py.None().into_bound(py),
    })
}

fn details<'py>(
    py: Python<'py>,
    map: &serde_json::Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, detail(py, k, v)?)?;
    }
    Ok(dict)
}

fn build(py: Python<'_>, e: &HostError) -> PyResult<PyErr> {
    let class = class_of(py, e.family, &e.code)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", &e.code)?;
    kwargs.set_item("field", e.field.as_deref())?;
    kwargs.set_item("details", details(py, &e.details)?)?;
    kwargs.set_item("family", e.family.as_str())?;
    let instance = class.call((e.message.as_str(),), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// The Python exception of a host error.
pub fn to_py(py: Python<'_>, e: &HostError) -> PyErr {
    match build(py, e) {
        Ok(err) => err,
        Err(cause) => {
            let err = PyRuntimeError::new_err(format!(
                "{}: {} (and the exception class could not be made)",
                e.code, e.message
            ));
            err.set_cause(py, Some(cause));
            err
        }
    }
}

/// The text of a caught panic.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Runs the body of an exported function: a panic anywhere in it (in the
/// conversion or in the core) becomes `b2b_oms.InternalError` (code
/// `INTERNAL`), never `pyo3_runtime.PanicException`.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => Err(to_py(
            py,
            &HostError::internal(format!("internal error: {}", panic_text(&*panic))),
        )),
    }
}

/// Turns a host error into the Python exception.
pub trait OrRaise<T> {
    /// The value, or the Python exception of the error.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, HostError> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, &e))
    }
}
