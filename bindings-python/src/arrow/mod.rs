//! Arrow batches in, Arrow batches out: `PriceBook.price_arrow(lines,
//! customers)` prices a table of order lines (a `pyarrow.RecordBatch` or
//! `Table`, a Polars `DataFrame`, anything with `__arrow_c_array__` or
//! `__arrow_c_stream__`) against a compiled book and a [`CustomerTable`],
//! and returns two `pyarrow.RecordBatch`es: the priced lines and the
//! per-order totals. The columns cross through the Arrow C data interface
//! (pyo3-arrow); no row becomes a Python object.
//!
//! No business rule lives here. The call has three phases, each its own
//! function: [`read::plan`] turns the columns into the host's typed
//! `price_orders` input (one `OrderToPrice` per order id), the host's
//! `price_orders_with` prices them over threads with the GIL released, and
//! [`write::batches`] turns the results back into columns.
//!
//! Input columns (unknown columns are refused, `UNKNOWN_FIELD`):
//!
//! | column | type | |
//! |---|---|---|
//! | `order_id` | text | required; the rows of one id are one order, in row order |
//! | `customer_id` | text | required; looked up in the customer table |
//! | `line_id` | text | optional, echoed |
//! | `sku` | text | required |
//! | `quantity` | `decimal128(p, s)` (s ≤ 28), int64, int32 | required, in `unit`; float refused (`NUMBER_FOR_DECIMAL`) |
//! | `unit` | text | optional; the base unit when null |
//! | `target_price` | `decimal128`, int64, int32 | optional |
//! | `currency` | text | required |
//! | `channel` | text | required: `portal`, `mobile_app`, `sales_rep`, `edi` |
//! | `priced_at` | timestamp with a time zone, or RFC 3339 text | required; no zone: `NAIVE_DATETIME` |
//! | `ship_to_state` | text | optional; the customer's ship-to when null |
//!
//! Text is `utf8`, `large_utf8` or `utf8_view`. Every row of one order must
//! agree on `customer_id`, `currency`, `channel`, `priced_at` and
//! `ship_to_state` (else `INVALID_FIELD` at the row that disagrees).
//!
//! Decisions where the spec is silent:
//! - a bad batch (a missing or unknown column, a wrong type, a null in a
//!   required column, rows of one order that disagree) raises for the
//!   whole batch, naming `rows[i].column`: nothing is priced;
//! - an order whose customer is not in the table is that order's own error
//!   (`INVALID_FIELD` at `rows[i].customer_id`, on each of its lines and its
//!   totals row), as `price_orders` reports an order refused as a whole; the
//!   other orders are priced;
//! - money columns are `decimal128(38, s)` with the book's scales: net unit
//!   prices at `settings.unit_price_scale`, amounts at the most minor units
//!   of the book's currency and its price lists' currencies; quantities at
//!   the input quantity column's scale. Values are never rounded to fit;
//! - an order's lines must be in one call: an engine that splits a table
//!   into batches must keep an order's rows together (the examples sort by
//!   order id and carry an order cut by a batch boundary into the next);
//! - only pricing has an Arrow call: the host API has no batch invoice
//!   operation (`invoice` takes one invoice request).

mod columns;
mod read;
mod write;

use std::sync::Arc;

use arrow_array::RecordBatch;
use b2b_oms::customer::Customer;
use b2b_oms::host::shape;
use b2b_oms::host::{ops, HostError};
use b2b_oms::json::from_json;
use b2b_oms::pricing::{Explain, PriceBook};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyRecordBatch, PySchema};
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::errors::{guard, OrRaise};
use crate::handles::read as read_document;

pub use write::Scales;

/// The input column names, in their documented order.
pub fn column_names() -> Vec<&'static str> {
    read::COLUMNS.iter().map(|(n, _)| *n).collect()
}

/// A customer table for the Arrow call: customer documents by id, checked
/// once (ids must be unique).
///
/// `CustomerTable(customers)` takes a list of customer dicts or its JSON
/// text.
#[pyclass(module = "b2b_oms._native", frozen)]
pub struct CustomerTable {
    by_id: FxHashMap<String, usize>,
    customers: Arc<Vec<Customer>>,
}

impl CustomerTable {
    /// The customer of `id`.
    pub fn get(&self, id: &str) -> Option<&Customer> {
        self.by_id.get(id).and_then(|&i| self.customers.get(i))
    }
}

fn read_customers(py: Python<'_>, customers: &Bound<'_, PyAny>) -> PyResult<Vec<Customer>> {
    if let Ok(text) = customers.cast::<PyString>() {
        let text = text.to_cow()?.into_owned();
        return py
            .detach(|| from_json::<Vec<Customer>>(&text).map_err(HostError::from))
            .or_raise(py);
    }
    let mut out = Vec::new();
    for (i, c) in customers.try_iter()?.enumerate() {
        let field = format!("customers[{i}]");
        out.push(read_document(
            py,
            &c?,
            shape::document("customer"),
            Some(&field),
        )?);
    }
    Ok(out)
}

#[pymethods]
impl CustomerTable {
    #[new]
    #[pyo3(signature = (customers))]
    fn new(py: Python<'_>, customers: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let list = read_customers(py, customers)?;
            let mut by_id = FxHashMap::default();
            for (i, c) in list.iter().enumerate() {
                if by_id.insert(c.id.clone(), i).is_some() {
                    return Err(HostError::new(
                        "DUPLICATE_ID",
                        Some(format!("customers[{i}].id")),
                        format!("customer id {:?} is given twice", c.id),
                    )
                    .with_detail("value", Value::String(c.id.clone())))
                    .or_raise(py);
                }
            }
            Ok(CustomerTable {
                by_id,
                customers: Arc::new(list),
            })
        })
    }

    /// The customer documents as JSON text (a list).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            serde_json::to_string(&*self.customers)
                .map_err(|e| HostError::internal(format!("cannot write the customers: {e}")))
                .or_raise(py)
        })
    }

    fn __len__(&self) -> usize {
        self.customers.len()
    }

    fn __repr__(&self) -> String {
        format!("CustomerTable({} customers)", self.customers.len())
    }
}

/// The output scales of `book` for a quantity column of `quantity` scale.
pub fn scales(book: &PriceBook, quantity: u32) -> Scales {
    let def = book.definition();
    let minor = |code: &str| book.currencies().get(code).map_or(0, |c| c.minor_units);
    let amount = def
        .price_lists
        .iter()
        .map(|l| minor(&l.currency))
        .chain(std::iter::once(minor(&def.currency)))
        .max()
        .unwrap_or(2);
    Scales {
        unit_price: def.settings.unit_price_scale,
        amount,
        quantity,
    }
}

/// The explanation level named `explain`.
fn explain_level(explain: &str) -> Result<Explain, HostError> {
    serde_json::from_value(Value::String(explain.to_owned())).map_err(|_| {
        HostError::new(
            "INVALID_VALUE",
            Some("explain".into()),
            format!("explain must be full, summary or none, not {explain:?}"),
        )
        .with_detail("value", Value::String(explain.to_owned()))
        .with_detail("rule", Value::String("full, summary or none".into()))
    })
}

/// The thread cap of a call (`None`: the machine's cores).
pub fn thread_cap(threads: Option<i64>) -> Result<Option<usize>, HostError> {
    match threads {
        None => Ok(None),
        Some(t) if t >= 1 => Ok(Some(usize::try_from(t).unwrap_or(usize::MAX))),
        Some(t) => Err(HostError::new(
            "INVALID_VALUE",
            Some("threads".into()),
            format!("threads must be at least 1, not {t}"),
        )
        .with_detail("value", Value::from(t))
        .with_detail("rule", Value::String("at least 1".into()))),
    }
}

/// The lines as one record batch (the batches of a stream or table
/// concatenated, so an order may span them).
fn one_batch(py: Python<'_>, lines: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
    let not_arrow = |why: String| {
        HostError::new(
            "INVALID_FIELD",
            Some("lines".into()),
            format!("lines must be an Arrow record batch or table: {why}"),
        )
        .with_detail(
            "rule",
            Value::String("__arrow_c_array__ or __arrow_c_stream__".into()),
        )
    };
    let any: AnyRecordBatch = lines
        .extract()
        .map_err(|e: PyErr| not_arrow(e.to_string()))
        .or_raise(py)?;
    let reader = any
        .into_reader()
        .map_err(|e| not_arrow(e.to_string()))
        .or_raise(py)?;
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader
        .collect::<Result<_, arrow_schema::ArrowError>>()
        .map_err(|e| not_arrow(e.to_string()))
        .or_raise(py)?;
    match batches.len() {
        1 => Ok(batches
            .into_iter()
            .next()
            .unwrap_or_else(|| RecordBatch::new_empty(schema))),
        _ => arrow_select::concat::concat_batches(&schema, &batches)
            .map_err(|e| not_arrow(e.to_string()))
            .or_raise(py),
    }
}

/// `PriceBook.price_arrow`: read, price (GIL released), write; returns the
/// `(lines, orders)` pyarrow record batches.
pub fn price_arrow(
    py: Python<'_>,
    book: &PriceBook,
    lines: &Bound<'_, PyAny>,
    customers: &CustomerTable,
    explain: &str,
    threads: Option<i64>,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let explain = explain_level(explain).or_raise(py)?;
        let threads = thread_cap(threads).or_raise(py)?;
        let batch = one_batch(py, lines)?;
        let (priced, totals) = py
            .detach(|| {
                b2b_oms::host::guarded(|| {
                    let plan = read::plan(&batch, customers, explain)?;
                    let results = ops::price_orders_with(book, &plan.jobs, threads);
                    write::batches(&plan, &results, scales(book, plan.quantity_scale))
                })
            })
            .or_raise(py)?;
        let priced = PyRecordBatch::new(priced).into_pyarrow(py)?;
        let totals = PyRecordBatch::new(totals).into_pyarrow(py)?;
        Ok(PyTuple::new(py, [priced, totals])?.into_any().unbind())
    })
}

/// `PriceBook.price_arrow_schema`: the `(lines, orders)` pyarrow schemas
/// of the call's output for a quantity column of scale `quantity_scale`.
pub fn price_arrow_schema(
    py: Python<'_>,
    book: &PriceBook,
    quantity_scale: u32,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        if quantity_scale > 28 {
            return Err(HostError::new(
                "INVALID_VALUE",
                Some("quantity_scale".into()),
                format!("quantity_scale must be 0 to 28, not {quantity_scale}"),
            ))
            .or_raise(py);
        }
        let s = scales(book, quantity_scale);
        let lines = PySchema::new(write::lines_schema(s)).into_pyarrow(py)?;
        let orders = PySchema::new(write::orders_schema(s)).into_pyarrow(py)?;
        Ok(PyTuple::new(py, [lines, orders])?.into_any().unbind())
    })
}
