//! `b2b_oms._native`: the Python extension module of b2b-oms.
//!
//! It holds no business rule. It registers the compiled handles
//! ([`handles`]), one generic entry point over the core's table of host
//! operations ([`call`]: the Python package wraps each operation of
//! `host::Operation::ALL` with keyword arguments, so a new operation needs
//! no Rust code here), the code list, and the error mapping ([`errors`]).
//! Values cross as the JSON format, converted at the edge ([`convert`]).

mod arrow;
mod convert;
mod errors;
mod handles;

use b2b_oms::host::{self, shape, HostError, Operation, CODES};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use errors::{guard, OrRaise};

fn operation(name: &str) -> Result<Operation, HostError> {
    Operation::from_name(name).ok_or_else(|| {
        HostError::new(
            "UNKNOWN_OPERATION",
            None,
            format!("there is no operation {name:?}"),
        )
        .with_detail("operation", name.into())
    })
}

/// Runs the host operation `operation` on its input `document` (a dict
/// mirroring the JSON format, with `Decimal` amounts and aware `datetime`
/// instants, or the JSON text) and returns its output document as Python
/// values (`Decimal` amounts, `date` / `datetime`). The GIL is released
/// while the core works. Raises a `b2b_oms.Error` subclass.
#[pyfunction]
#[pyo3(signature = (operation, document))]
fn call(py: Python<'_>, operation: &str, document: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let op = self::operation(operation).or_raise(py)?;
        let text = convert::document_text(py, document, shape::input(op).map(|s| s.root()))?;
        let json = py
            .detach(|| {
                let out = host::call(op.name(), &text)?;
                convert::parse(&out)
            })
            .or_raise(py)?;
        convert::output(py, &json, shape::output(op).map(|s| s.root()))
    })
}

/// Runs the host operation `operation` on the JSON text of its input
/// document and returns the compact JSON text of its output (no
/// conversion to Python values; the GIL is released while the core works).
#[pyfunction]
#[pyo3(signature = (operation, text))]
fn call_json(py: Python<'_>, operation: &str, text: &str) -> PyResult<String> {
    guard(py, || {
        let op = self::operation(operation).or_raise(py)?;
        let text = text.to_owned();
        py.detach(|| host::call(op.name(), &text)).or_raise(py)
    })
}

fn title(schema: &schemars::Schema) -> Option<String> {
    schema
        .as_value()
        .get("title")
        .and_then(|t| t.as_str())
        .map(str::to_owned)
}

/// Every host operation: a list of dicts with `name`, `summary`,
/// `families` (the error families it can raise), and `input` / `output`
/// (the type names of its documents in the JSON Schema).
#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let list = PyList::empty(py);
        for op in Operation::ALL {
            let d = PyDict::new(py);
            d.set_item("name", op.name())?;
            d.set_item("summary", op.summary())?;
            let families: Vec<&str> = op.families().iter().map(|f| f.as_str()).collect();
            d.set_item("families", families)?;
            d.set_item("input", title(&op.input_schema()))?;
            d.set_item("output", title(&op.output_schema()))?;
            list.append(d)?;
        }
        Ok(list.into_any().unbind())
    })
}

/// Every error code of the library: a list of dicts with `code`, `family`
/// and `summary`.
#[pyfunction]
fn codes(py: Python<'_>) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let list = PyList::empty(py);
        for c in CODES {
            let d = PyDict::new(py);
            d.set_item("code", c.code)?;
            d.set_item("family", c.family.as_str())?;
            d.set_item("summary", c.summary)?;
            list.append(d)?;
        }
        Ok(list.into_any().unbind())
    })
}

/// Every error family, in a stable order (`input`, `pricing`, …).
#[pyfunction]
fn families() -> Vec<&'static str> {
    host::Family::ALL.iter().map(|f| f.as_str()).collect()
}

/// The exception class raised for `code` (its family from the code list;
/// `InternalError` for a code the list does not have).
#[pyfunction]
#[pyo3(signature = (code))]
fn error_class(py: Python<'_>, code: &str) -> PyResult<Py<PyAny>> {
    guard(py, || {
        Ok(errors::class_of(py, host::family_of(code), code)?.unbind())
    })
}

/// The kind of scalar at `path` (a list of keys and indexes) of an
/// operation's `side` (`"input"` or `"output"`) document, or of a named
/// document of the schema when `operation` is not an operation name:
/// `"plain"`, `"integer"`, `"float"`, `"decimal"`, `"decimal_number"`,
/// `"date"`, `"date_time"`, or `None` where the shape has no such place.
/// For test suites that write results back as canonical JSON.
#[pyfunction]
#[pyo3(signature = (operation, side, path))]
fn _scalar_at(
    py: Python<'_>,
    operation: &str,
    side: &str,
    path: &Bound<'_, PyList>,
) -> PyResult<Option<&'static str>> {
    guard(py, || {
        let root = match Operation::from_name(operation) {
            Some(op) if side == "input" => shape::input(op).map(|s| s.root()),
            Some(op) => shape::output(op).map(|s| s.root()),
            None => shape::document(operation),
        };
        let mut here = root;
        for step in path.iter() {
            here = match here {
                None => None,
                Some(s) => {
                    if let Ok(key) = step.extract::<String>() {
                        s.field(&key)
                    } else {
                        s.items()
                    }
                }
            };
        }
        Ok(here.map(|s| match s.scalar() {
            shape::Scalar::Plain | shape::Scalar::Conflict => "plain",
            shape::Scalar::Integer => "integer",
            shape::Scalar::Float => "float",
            shape::Scalar::Decimal => "decimal",
            shape::Scalar::DecimalNumber => "decimal_number",
            shape::Scalar::Date => "date",
            shape::Scalar::DateTime => "date_time",
        }))
    })
}

/// For the test suite: panics inside the guard when the environment
/// variable `B2B_OMS_TEST_PANIC` is `1` (to prove a panic surfaces as
/// `InternalError`), else raises `InputError` (`INVALID_VALUE`).
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    guard(py, || {
        if std::env::var("B2B_OMS_TEST_PANIC").as_deref() == Ok("1") {
            py.detach(|| panic!("a deliberate panic for the test suite"))
        } else {
            Err(HostError::new(
                "INVALID_VALUE",
                None,
                "set B2B_OMS_TEST_PANIC=1 to panic on purpose",
            ))
            .or_raise(py)
        }
    })
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(call_json, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(codes, m)?)?;
    m.add_function(wrap_pyfunction!(families, m)?)?;
    m.add_function(wrap_pyfunction!(error_class, m)?)?;
    m.add_function(wrap_pyfunction!(_scalar_at, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_class::<handles::Catalog>()?;
    m.add_class::<handles::PriceBook>()?;
    m.add_class::<handles::ClassificationPolicy>()?;
    m.add_class::<handles::ApprovalPolicy>()?;
    m.add_class::<handles::ReservationLedger>()?;
    m.add_class::<arrow::CustomerTable>()?;
    m.add("ARROW_COLUMNS", arrow::column_names())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
