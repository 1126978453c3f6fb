//! The compiled handles of the core as Python classes: built once from a
//! document (a Python value or JSON text), then reused by many calls, from
//! any thread. Each call converts its documents, releases the GIL for the
//! core's work, and converts the result back; the rules are the core's.

use std::sync::{Arc, Mutex};

use b2b_oms::approval;
use b2b_oms::catalog::{self, Product};
use b2b_oms::customer::{self, Channel, Customer, Inquiry};
use b2b_oms::host::shape::{self, ShapeRef};
use b2b_oms::host::{self, ops, HostError, LedgerState, Operation, OrderToPrice};
use b2b_oms::inventory::{self, ReservationRequest, StockSnapshot};
use b2b_oms::json::from_json;
use b2b_oms::pricing::{self, PriceBookDefinition, PriceRequest};
use chrono::{DateTime, FixedOffset};
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::convert;
use crate::errors::{guard, OrRaise};

/// The shape of a top-level document of the schema (`customer`, …).
fn doc(name: &str) -> Option<ShapeRef<'static>> {
    shape::document(name)
}

/// The shape of field `key` of an operation's input.
fn input_field(op: Operation, key: &str) -> Option<ShapeRef<'static>> {
    shape::input(op).and_then(|s| s.root().field(key))
}

/// Reads a document (Python value or JSON text) into `T`, the GIL released
/// while the core parses it.
pub fn read<T: DeserializeOwned + Send>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    shape: Option<ShapeRef<'static>>,
    field: Option<&str>,
) -> PyResult<T> {
    let text = convert::document_text(py, obj, shape)?;
    py.detach(|| {
        host::guarded(|| {
            from_json::<T>(&text).map_err(|e| {
                let e = HostError::from(e);
                match field {
                    Some(f) => e.under(f),
                    None => e,
                }
            })
        })
    })
    .or_raise(py)
}

/// A result of the core as a Python value along `shape`.
pub fn write<T: Serialize + Sync>(
    py: Python<'_>,
    value: &T,
    shape: Option<ShapeRef<'static>>,
) -> PyResult<Py<PyAny>> {
    let json = py
        .detach(|| {
            serde_json::to_value(value)
                .map_err(|e| HostError::internal(format!("cannot write the result: {e}")))
        })
        .or_raise(py)?;
    convert::output(py, &json, shape)
}

fn to_json_text<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| HostError::internal(format!("cannot write the document: {e}")))
        .or_raise(py)
}

/// A compiled catalog: the products, their units and constraints, checked
/// once (every problem reported at once as `INVALID_CATALOG`).
///
/// `Catalog(products)` takes the catalog document: a list of product dicts
/// (or its JSON text).
#[pyclass(module = "b2b_oms._native", frozen)]
pub struct Catalog {
    pub(crate) inner: Arc<catalog::Catalog>,
    products: Arc<Vec<Product>>,
}

#[pymethods]
impl Catalog {
    #[new]
    #[pyo3(signature = (products))]
    fn new(py: Python<'_>, products: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let list: Vec<Product> = read(py, products, doc("catalog"), None)?;
            let inner = py
                .detach(|| host::guarded(|| ops::compile_catalog(list.clone())))
                .or_raise(py)?;
            Ok(Catalog {
                inner,
                products: Arc::new(list),
            })
        })
    }

    /// The catalog compiled from its document (the same as `Catalog(products)`).
    #[staticmethod]
    fn from_dict(py: Python<'_>, products: &Bound<'_, PyAny>) -> PyResult<Self> {
        Catalog::new(py, products)
    }

    /// The catalog document: a list of product dicts.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || write(py, &*self.products, doc("catalog")))
    }

    /// The catalog document as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || to_json_text(py, &*self.products))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Catalog({} products)", self.inner.len())
    }
}

/// A price book compiled against a catalog: price lists with fallback,
/// tiers, rules, order discounts and shipping. Build it once; pricing an
/// order is then cheap, and safe from many threads.
///
/// `PriceBook(catalog, definition)` takes a `Catalog` and the price book
/// document (a dict or its JSON text).
#[pyclass(module = "b2b_oms._native", frozen)]
pub struct PriceBook {
    inner: Arc<pricing::PriceBook>,
    definition: Arc<PriceBookDefinition>,
    catalog: Py<Catalog>,
}

#[derive(serde::Deserialize)]
struct ViewArgs {
    customer: Customer,
    currency: String,
    channel: Channel,
    at: DateTime<FixedOffset>,
    #[serde(default)]
    category: Option<String>,
}

#[pymethods]
impl PriceBook {
    #[new]
    #[pyo3(signature = (catalog, definition))]
    fn new(
        py: Python<'_>,
        catalog: &Bound<'_, Catalog>,
        definition: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let def: PriceBookDefinition = read(py, definition, doc("price_book"), None)?;
            let compiled = catalog.get().inner.clone();
            let book = py
                .detach(|| host::guarded(|| ops::compile_price_book(def.clone(), compiled)))
                .or_raise(py)?;
            Ok(PriceBook {
                inner: Arc::new(book),
                definition: Arc::new(def),
                catalog: catalog.clone().unbind(),
            })
        })
    }

    /// Prices a table of order lines given as Arrow (a `pyarrow.RecordBatch`
    /// or `Table`, a Polars `DataFrame`, anything with `__arrow_c_array__` /
    /// `__arrow_c_stream__`) for the customers of `customers` (a
    /// `CustomerTable`), over `threads` threads with the GIL released.
    /// Returns `(lines, orders)`, two `pyarrow.RecordBatch`es: the priced
    /// lines (money as `decimal128` at the book's scales) and the per-order
    /// totals. The input columns and the output schemas are documented in
    /// the package README ("Arrow batches"); `price_arrow_schema` gives the
    /// output schemas.
    #[pyo3(signature = (lines, customers, *, explain = "summary", threads = None))]
    fn price_arrow(
        &self,
        py: Python<'_>,
        lines: &Bound<'_, PyAny>,
        customers: &Bound<'_, crate::arrow::CustomerTable>,
        explain: &str,
        threads: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        crate::arrow::price_arrow(py, &self.inner, lines, customers.get(), explain, threads)
    }

    /// The `(lines, orders)` pyarrow schemas of `price_arrow`'s output for
    /// a quantity column of scale `quantity_scale` (for engines that
    /// declare a function's output schema ahead, such as Spark's
    /// `mapInArrow`).
    #[pyo3(signature = (quantity_scale = 0))]
    fn price_arrow_schema(&self, py: Python<'_>, quantity_scale: u32) -> PyResult<Py<PyAny>> {
        crate::arrow::price_arrow_schema(py, &self.inner, quantity_scale)
    }

    /// The catalog the book was compiled against.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> Py<Catalog> {
        self.catalog.clone_ref(py)
    }

    /// Prices one order, cart or quote request for `customer`: the priced
    /// lines with their waterfall, the lines refused (MOQ, no price, …) and
    /// the totals (the `PricedOrder` document).
    #[pyo3(signature = (customer, request))]
    fn price_order(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let customer: Customer = read(py, customer, doc("customer"), Some("customer"))?;
            let request: PriceRequest = read(py, request, doc("price_request"), Some("request"))?;
            let book = &self.inner;
            let json = py
                .detach(|| {
                    host::guarded(|| {
                        let priced = ops::price_order_with(book, &customer, &request)?;
                        serde_json::to_value(&priced).map_err(|e| {
                            HostError::internal(format!("cannot write the result: {e}"))
                        })
                    })
                })
                .or_raise(py)?;
            convert::output(py, &json, doc("priced_order"))
        })
    }

    /// `price_order` with the result as compact JSON text (the
    /// `PricedOrder` document), for a host that stores or forwards JSON:
    /// no Python objects are made for it.
    #[pyo3(signature = (customer, request))]
    fn price_order_json(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        guard(py, || {
            let customer: Customer = read(py, customer, doc("customer"), Some("customer"))?;
            let request: PriceRequest = read(py, request, doc("price_request"), Some("request"))?;
            let book = &self.inner;
            py.detach(|| {
                host::guarded(|| {
                    let priced = ops::price_order_with(book, &customer, &request)?;
                    serde_json::to_string(&priced)
                        .map_err(|e| HostError::internal(format!("cannot write the result: {e}")))
                })
            })
            .or_raise(py)
        })
    }

    /// Prices many orders (a list of `{"customer": …, "request": …}`) over
    /// `threads` threads (the machine's cores by default), with the GIL
    /// released: one `{"priced": PricedOrder}` or `{"error": HostError}`
    /// per order, in input order. The results do not depend on `threads`.
    #[pyo3(signature = (orders, threads = None))]
    fn price_orders(
        &self,
        py: Python<'_>,
        orders: &Bound<'_, PyAny>,
        threads: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let threads = match threads {
                None => None,
                Some(t) if t >= 1 => Some(usize::try_from(t).unwrap_or(usize::MAX)),
                Some(t) => {
                    return Err(HostError::new(
                        "INVALID_VALUE",
                        Some("threads".into()),
                        format!("threads must be at least 1, not {t}"),
                    ))
                    .or_raise(py)
                }
            };
            let orders: Vec<OrderToPrice> = read(
                py,
                orders,
                input_field(Operation::PriceOrders, "orders"),
                Some("orders"),
            )?;
            let book = &self.inner;
            let json = py
                .detach(|| {
                    host::guarded(|| {
                        let results = ops::price_orders_with(book, &orders, threads);
                        serde_json::to_value(&results).map_err(|e| {
                            HostError::internal(format!("cannot write the result: {e}"))
                        })
                    })
                })
                .or_raise(py)?;
            let shape =
                shape::output(Operation::PriceOrders).and_then(|s| s.root().field("results"));
            convert::output(py, &json, shape)
        })
    }

    /// The catalog as `customer` sees it on `channel`, each product priced
    /// at its MOQ in `currency` at the instant `at` (an aware `datetime`),
    /// optionally only `category` and its descendants.
    #[pyo3(signature = (customer, *, currency, channel, at, category = None))]
    fn catalog_view(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        currency: &Bound<'_, PyAny>,
        channel: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        category: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let args = pyo3::types::PyDict::new(py);
            args.set_item("customer", customer)?;
            args.set_item("currency", currency)?;
            args.set_item("channel", channel)?;
            args.set_item("at", at)?;
            if let Some(c) = category {
                args.set_item("category", c)?;
            }
            let args: ViewArgs = read(py, args.as_any(), doc("catalog_view_input"), None)?;
            let book = &self.inner;
            let json = py
                .detach(|| {
                    host::guarded(|| {
                        let view = ops::catalog_view_for(
                            book,
                            &args.customer,
                            args.channel,
                            &args.currency,
                            args.at,
                            args.category.as_deref(),
                        )?;
                        serde_json::to_value(&view).map_err(|e| {
                            HostError::internal(format!("cannot write the result: {e}"))
                        })
                    })
                })
                .or_raise(py)?;
            convert::output(py, &json, doc("catalog_view"))
        })
    }

    /// For benchmarks: prices `request` for `customer` `iterations` times
    /// in Rust alone (documents read once, no conversion), and returns the
    /// seconds per call, so that a script can compare the binding with
    /// native Rust on the same compiled book and data.
    #[pyo3(signature = (customer, request, iterations = 10))]
    fn _time_native(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        request: &Bound<'_, PyAny>,
        iterations: u32,
    ) -> PyResult<f64> {
        guard(py, || {
            let customer: Customer = read(py, customer, doc("customer"), Some("customer"))?;
            let request: PriceRequest = read(py, request, doc("price_request"), Some("request"))?;
            let book = &self.inner;
            let n = iterations.max(1);
            py.detach(|| {
                host::guarded(|| {
                    let start = std::time::Instant::now();
                    for _ in 0..n {
                        std::hint::black_box(ops::price_order_with(book, &customer, &request)?);
                    }
                    Ok(start.elapsed().as_secs_f64() / f64::from(n))
                })
            })
            .or_raise(py)
        })
    }

    /// The price book document.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || write(py, &*self.definition, doc("price_book")))
    }

    /// The price book document as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || to_json_text(py, &*self.definition))
    }

    fn __repr__(&self) -> String {
        format!(
            "PriceBook(id={:?}, version={:?}, {} price lists, {} rules)",
            self.definition.id,
            self.definition.version,
            self.definition.price_lists.len(),
            self.definition.rules.len()
        )
    }
}

/// A compiled classification policy: segments an inquiry (a prospect's
/// request) and picks its price list.
///
/// `ClassificationPolicy(policy)` takes the policy document.
#[pyclass(module = "b2b_oms._native", frozen)]
pub struct ClassificationPolicy {
    inner: Arc<customer::Classifier>,
    policy: Arc<customer::ClassificationPolicy>,
}

#[pymethods]
impl ClassificationPolicy {
    #[new]
    #[pyo3(signature = (policy))]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let def: customer::ClassificationPolicy =
                read(py, policy, doc("classification_policy"), None)?;
            let inner = py
                .detach(|| {
                    host::guarded(|| {
                        customer::Classifier::compile(def.clone()).map_err(HostError::from)
                    })
                })
                .or_raise(py)?;
            Ok(ClassificationPolicy {
                inner: Arc::new(inner),
                policy: Arc::new(def),
            })
        })
    }

    /// Classifies `inquiry`: its segment, price list, matched rule and
    /// reason; with a `catalog`, also the quote request drafted from the
    /// inquiry's lines (the `ClassifyOutput` document).
    #[pyo3(signature = (inquiry, catalog = None))]
    fn classify(
        &self,
        py: Python<'_>,
        inquiry: &Bound<'_, PyAny>,
        catalog: Option<&Bound<'_, Catalog>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let inquiry: Inquiry = read(py, inquiry, doc("inquiry"), Some("inquiry"))?;
            let compiled = catalog.map(|c| c.get().inner.clone());
            let classifier = &self.inner;
            let json = py
                .detach(|| {
                    host::guarded(|| {
                        let out = ops::classify_with(classifier, &inquiry, compiled.as_deref())?;
                        serde_json::to_value(&out).map_err(|e| {
                            HostError::internal(format!("cannot write the result: {e}"))
                        })
                    })
                })
                .or_raise(py)?;
            convert::output(py, &json, doc("classify_output"))
        })
    }

    /// The policy document.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            write(py, &*self.policy, doc("classification_policy"))
        })
    }

    /// The policy document as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || to_json_text(py, &*self.policy))
    }

    fn __repr__(&self) -> String {
        format!("ClassificationPolicy({} rules)", self.policy.rules.len())
    }
}

/// A compiled approval policy: which approvals a quote or an order needs.
///
/// `ApprovalPolicy(definition)` takes the policy document.
#[pyclass(module = "b2b_oms._native", frozen)]
pub struct ApprovalPolicy {
    inner: Arc<approval::ApprovalPolicy>,
    definition: Arc<approval::ApprovalPolicyDefinition>,
}

#[pymethods]
impl ApprovalPolicy {
    #[new]
    #[pyo3(signature = (definition))]
    fn new(py: Python<'_>, definition: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let def: approval::ApprovalPolicyDefinition =
                read(py, definition, doc("approval_policy"), None)?;
            let inner = py
                .detach(|| {
                    host::guarded(|| {
                        approval::ApprovalPolicy::compile(def.clone()).map_err(HostError::from)
                    })
                })
                .or_raise(py)?;
            Ok(ApprovalPolicy {
                inner: Arc::new(inner),
                definition: Arc::new(def),
            })
        })
    }

    /// The plan the policy makes for `subject` (a quote or order summary)
    /// with the host's facts `context`: the steps, the rules that triggered
    /// them and the fact values (the `ApprovalPlan` document).
    #[pyo3(signature = (subject, context = None))]
    fn plan(
        &self,
        py: Python<'_>,
        subject: &Bound<'_, PyAny>,
        context: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let subject: approval::ApprovalSubject = read(
                py,
                subject,
                input_field(Operation::ApprovalPlan, "subject"),
                Some("subject"),
            )?;
            let context: approval::FactContext = match context {
                Some(c) if !c.is_none() => read(
                    py,
                    c,
                    input_field(Operation::ApprovalPlan, "context"),
                    Some("context"),
                )?,
                _ => approval::FactContext::default(),
            };
            let policy = &self.inner;
            let json = py
                .detach(|| {
                    host::guarded(|| {
                        let facts = approval::compute_facts(&subject, &context)?;
                        let plan = policy.evaluate(&facts)?;
                        serde_json::to_value(&plan).map_err(|e| {
                            HostError::internal(format!("cannot write the result: {e}"))
                        })
                    })
                })
                .or_raise(py)?;
            convert::output(py, &json, doc("approval_plan"))
        })
    }

    /// The policy document.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || write(py, &*self.definition, doc("approval_policy")))
    }

    /// The policy document as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || to_json_text(py, &*self.definition))
    }

    fn __repr__(&self) -> String {
        format!(
            "ApprovalPolicy(id={:?}, {} rules)",
            self.definition.id,
            self.definition.rules.len()
        )
    }
}

/// The reservation ledger: stock per warehouse, sku and batch, and the
/// reservations held per order. Every command is all or nothing; the
/// ledger is safe to share between threads (it never oversells).
///
/// `ReservationLedger(stock)` starts from a stock snapshot document;
/// `ReservationLedger.from_dict(state)` from a `LedgerState` (stock and
/// reservations), as `to_dict()` writes it.
#[pyclass(module = "b2b_oms._native", frozen)]
pub struct ReservationLedger {
    inner: Arc<inventory::ReservationLedger>,
    /// Order ids that reserved, first seen first (for `to_dict`).
    orders: Mutex<Vec<String>>,
}

impl ReservationLedger {
    fn remember(&self, order_id: &str) {
        if let Ok(mut orders) = self.orders.lock() {
            if !orders.iter().any(|o| o == order_id) {
                orders.push(order_id.to_owned());
            }
        }
    }

    fn command(
        &self,
        py: Python<'_>,
        order_id: &str,
        requests: &Bound<'_, PyAny>,
        run: fn(
            &inventory::ReservationLedger,
            &str,
            &[ReservationRequest],
        ) -> Result<(), inventory::InventoryError>,
    ) -> PyResult<()> {
        guard(py, || {
            let requests: Vec<ReservationRequest> =
                read(py, requests, doc("reservation_requests"), Some("requests"))?;
            let ledger = &self.inner;
            py.detach(|| {
                host::guarded(|| run(ledger, order_id, &requests).map_err(HostError::from))
            })
            .or_raise(py)?;
            self.remember(order_id);
            Ok(())
        })
    }
}

#[pymethods]
impl ReservationLedger {
    #[new]
    #[pyo3(signature = (stock))]
    fn new(py: Python<'_>, stock: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let snapshot: StockSnapshot = read(py, stock, doc("stock_snapshot"), None)?;
            let inner = py
                .detach(|| {
                    host::guarded(|| {
                        inventory::ReservationLedger::new(&snapshot).map_err(HostError::from)
                    })
                })
                .or_raise(py)?;
            Ok(ReservationLedger {
                inner: Arc::new(inner),
                orders: Mutex::new(Vec::new()),
            })
        })
    }

    /// The ledger rebuilt from a `LedgerState` document (stock and every
    /// reservation held).
    #[staticmethod]
    fn from_dict(py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let state: LedgerState = read(py, state, doc("ledger_state"), None)?;
            let inner = py
                .detach(|| host::guarded(|| ops::ledger_from_state(&state)))
                .or_raise(py)?;
            let mut orders: Vec<String> = Vec::new();
            for r in &state.reservations {
                if !orders.contains(&r.order_id) {
                    orders.push(r.order_id.clone());
                }
            }
            Ok(ReservationLedger {
                inner: Arc::new(inner),
                orders: Mutex::new(orders),
            })
        })
    }

    /// The ledger as a `LedgerState` document: the stock (with what is
    /// reserved) and every reservation held.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let orders = self.orders.lock().map(|o| o.clone()).unwrap_or_default();
            let ledger = &self.inner;
            let state = py
                .detach(|| host::guarded(|| ops::ledger_to_state(ledger, &orders)))
                .or_raise(py)?;
            write(py, &state, doc("ledger_state"))
        })
    }

    /// Reserves every request (`{"line_id", "warehouse_id", "sku",
    /// "batch_id", "quantity"}`) for `order_id`, or nothing
    /// (`INSUFFICIENT_STOCK` lists what does not fit).
    #[pyo3(signature = (order_id, requests))]
    fn reserve(&self, py: Python<'_>, order_id: &str, requests: &Bound<'_, PyAny>) -> PyResult<()> {
        self.command(py, order_id, requests, |l, o, r| l.reserve(o, r))
    }

    /// Releases exactly the quantities given (`NOT_RESERVED` past what is held).
    #[pyo3(signature = (order_id, requests))]
    fn release(&self, py: Python<'_>, order_id: &str, requests: &Bound<'_, PyAny>) -> PyResult<()> {
        self.command(py, order_id, requests, |l, o, r| l.release(o, r))
    }

    /// Consumes reservations at dispatch: the units leave the stock on hand.
    #[pyo3(signature = (order_id, requests))]
    fn consume(&self, py: Python<'_>, order_id: &str, requests: &Bound<'_, PyAny>) -> PyResult<()> {
        self.command(py, order_id, requests, |l, o, r| l.consume(o, r))
    }

    /// Moves reserved units that failed QC to their hold batch.
    #[pyo3(signature = (order_id, requests))]
    fn quarantine(
        &self,
        py: Python<'_>,
        order_id: &str,
        requests: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        self.command(py, order_id, requests, |l, o, r| l.quarantine(o, r))
    }

    /// Releases everything `order_id` holds; returns what was released.
    #[pyo3(signature = (order_id))]
    fn release_order(&self, py: Python<'_>, order_id: &str) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let ledger = &self.inner;
            let released = py
                .detach(|| {
                    host::guarded(|| ledger.release_order(order_id).map_err(HostError::from))
                })
                .or_raise(py)?;
            write(py, &released, doc("reservations"))
        })
    }

    /// The reservations `order_id` holds.
    #[pyo3(signature = (order_id))]
    fn reservations(&self, py: Python<'_>, order_id: &str) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let ledger = &self.inner;
            let held = py
                .detach(|| host::guarded(|| ledger.reservations(order_id).map_err(HostError::from)))
                .or_raise(py)?;
            write(py, &held, doc("reservations"))
        })
    }

    /// The stock (on hand, reserved, available per batch), of `skus` only
    /// when given.
    #[pyo3(signature = (skus = None))]
    fn snapshot(&self, py: Python<'_>, skus: Option<Vec<String>>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let ledger = &self.inner;
            let snap = py
                .detach(|| {
                    host::guarded(|| ledger.snapshot(skus.as_deref()).map_err(HostError::from))
                })
                .or_raise(py)?;
            write(py, &snap, doc("stock_snapshot"))
        })
    }

    fn __repr__(&self) -> String {
        let n = self.orders.lock().map(|o| o.len()).unwrap_or(0);
        format!("ReservationLedger({n} orders with reservations)")
    }
}
