//! The compiled handles: built once from their documents, then reused by
//! every call (the expensive part is compiling; evaluating is cheap). Each
//! holds the core's handle in an `Arc`, so an async call shares it with the
//! libuv thread that runs it.

use std::sync::Arc;

use b2b_oms::approval::{self, FactContext};
use b2b_oms::catalog::{self, Product};
use b2b_oms::customer::{Channel, Classifier, Customer, Inquiry};
use b2b_oms::host::docs::{LedgerState, OrderToPrice, PricedOrders};
use b2b_oms::host::shape::{self, ShapeRef};
use b2b_oms::host::{guarded, ops, HostError, Operation};
use b2b_oms::inventory::{self, ReservationRequest};
use b2b_oms::pricing::{self, PriceRequest};
use chrono::{DateTime, FixedOffset};
use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use crate::convert::{document, to_text};
use crate::errors::throw;
use crate::tasks::{HostTask, Job};

/// The shape of `field` of operation `op`'s input document.
fn arg(op: Operation, field: &str) -> Option<ShapeRef<'static>> {
    shape::input(op).and_then(|s| s.root().field(field))
}

/// A compiled catalog (products, units, categories), validated once.
#[napi]
pub struct Catalog {
    pub(crate) inner: Arc<catalog::Catalog>,
}

#[napi]
impl Catalog {
    /// Compiles the catalog from the JSON text of its products (an array);
    /// every problem is reported at once (`INVALID_CATALOG`).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, products: String) -> napi::Result<Self> {
        throw(
            &env,
            guarded(|| {
                let products: Vec<Product> = document(&products, shape::document("catalog"))?;
                Ok(Catalog {
                    inner: ops::compile_catalog(products)?,
                })
            }),
        )
    }

    /// How many products the catalog holds.
    #[napi(catch_unwind)]
    pub fn size(&self, env: Env) -> napi::Result<u32> {
        throw(
            &env,
            guarded(|| Ok(u32::try_from(self.inner.len()).unwrap_or(u32::MAX))),
        )
    }
}

/// A compiled price book: price lists, tiers and rules against a catalog.
#[napi]
pub struct PriceBook {
    pub(crate) inner: Arc<pricing::PriceBook>,
}

#[napi]
impl PriceBook {
    /// Compiles the price book from the JSON text of its definition against
    /// a compiled catalog.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, definition: String, catalog: &Catalog) -> napi::Result<Self> {
        throw(
            &env,
            guarded(|| {
                let def = document(&definition, shape::document("price_book"))?;
                Ok(PriceBook {
                    inner: Arc::new(ops::compile_price_book(def, Arc::clone(&catalog.inner))?),
                })
            }),
        )
    }

    /// Prices one order, cart or quote request for a customer (JSON texts
    /// in, the priced order's JSON text out). Field paths of errors are
    /// relative to the argument (`lines[3].quantity`).
    #[napi(catch_unwind)]
    pub fn price_order(&self, env: Env, customer: String, request: String) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| price_one(&self.inner, &customer, &request)),
        )
    }

    /// `priceOrder` on the libuv thread pool.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn price_order_async(&self, customer: String, request: String) -> AsyncTask<HostTask> {
        let book = Arc::clone(&self.inner);
        HostTask::spawn(Job::new(move || price_one(&book, &customer, &request)))
    }

    /// Prices many orders (`[{customer, request}]` JSON text) over the
    /// machine's cores, or at most `threads`; one outcome per order, in
    /// input order (`{"results": [{"priced": …} | {"error": …}]}`).
    #[napi(catch_unwind)]
    pub fn price_orders(
        &self,
        env: Env,
        orders: String,
        threads: Option<u32>,
    ) -> napi::Result<String> {
        throw(&env, guarded(|| price_many(&self.inner, &orders, threads)))
    }

    /// `priceOrders` on the libuv thread pool.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn price_orders_async(&self, orders: String, threads: Option<u32>) -> AsyncTask<HostTask> {
        let book = Arc::clone(&self.inner);
        HostTask::spawn(Job::new(move || price_many(&book, &orders, threads)))
    }

    /// Benchmark hook: seconds per `price_order` of native Rust on the same
    /// compiled book, the documents parsed once beforehand, over
    /// `iterations` runs (the binding's overhead is measured against it).
    #[napi(js_name = "_timeNative", catch_unwind)]
    pub fn time_native(
        &self,
        env: Env,
        customer: String,
        request: String,
        iterations: u32,
    ) -> napi::Result<f64> {
        throw(
            &env,
            guarded(|| {
                let op = Operation::PriceOrder;
                let customer: Customer = document(&customer, arg(op, "customer"))?;
                let request: PriceRequest = document(&request, arg(op, "request"))?;
                let n = iterations.max(1);
                let started = std::time::Instant::now();
                for _ in 0..n {
                    std::hint::black_box(ops::price_order_with(
                        &self.inner,
                        std::hint::black_box(&customer),
                        std::hint::black_box(&request),
                    )?);
                }
                Ok(started.elapsed().as_secs_f64() / f64::from(n))
            }),
        )
    }

    /// The catalog as one customer sees it, with prices at each product's
    /// MOQ: `channel` and `at` as JSON text (`"portal"`, an RFC 3339
    /// instant), `category` to keep one category and its descendants.
    #[napi(catch_unwind)]
    pub fn catalog_view(
        &self,
        env: Env,
        customer: String,
        currency: String,
        channel: String,
        at: String,
        category: Option<String>,
    ) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| {
                let op = Operation::CatalogView;
                let customer: Customer = document(&customer, arg(op, "customer"))?;
                let channel: Channel = document(&channel, None).map_err(|e| e.under("channel"))?;
                let at: DateTime<FixedOffset> = document(&at, None).map_err(|e| e.under("at"))?;
                let view = self.inner.catalog_for(
                    &customer,
                    channel,
                    &currency,
                    at,
                    category.as_deref(),
                )?;
                to_text(&view)
            }),
        )
    }
}

fn price_one(
    book: &pricing::PriceBook,
    customer: &str,
    request: &str,
) -> Result<String, HostError> {
    let op = Operation::PriceOrder;
    let customer: Customer = document(customer, arg(op, "customer"))?;
    let request: PriceRequest = document(request, arg(op, "request"))?;
    to_text(&ops::price_order_with(book, &customer, &request)?)
}

fn price_many(
    book: &pricing::PriceBook,
    orders: &str,
    threads: Option<u32>,
) -> Result<String, HostError> {
    let orders: Vec<OrderToPrice> = document(orders, arg(Operation::PriceOrders, "orders"))?;
    let threads = threads.map(|t| usize::try_from(t).unwrap_or(usize::MAX));
    to_text(&PricedOrders {
        results: ops::price_orders_with(book, &orders, threads),
    })
}

/// A compiled classification policy: segments, price lists and the rules
/// that put an inquiry in one.
#[napi]
pub struct ClassificationPolicy {
    inner: Arc<Classifier>,
}

#[napi]
impl ClassificationPolicy {
    /// Compiles the policy from its JSON text.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, policy: String) -> napi::Result<Self> {
        throw(
            &env,
            guarded(|| {
                let policy = document(&policy, shape::document("classification_policy"))?;
                Ok(ClassificationPolicy {
                    inner: Arc::new(Classifier::compile(policy).map_err(HostError::from)?),
                })
            }),
        )
    }

    /// Classifies an inquiry (JSON text); with a catalog, also drafts the
    /// quote request (`{classification, quote_request}`).
    #[napi(catch_unwind)]
    pub fn classify(
        &self,
        env: Env,
        inquiry: String,
        catalog: Option<&Catalog>,
    ) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| {
                let inquiry: Inquiry = document(&inquiry, arg(Operation::Classify, "inquiry"))?;
                let catalog = catalog.map(|c| c.inner.as_ref());
                to_text(&ops::classify_with(&self.inner, &inquiry, catalog)?)
            }),
        )
    }
}

/// A compiled approval policy: rules over the facts of a quote or order.
#[napi]
pub struct ApprovalPolicy {
    inner: Arc<approval::ApprovalPolicy>,
}

#[napi]
impl ApprovalPolicy {
    /// Compiles the policy from its JSON text.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, definition: String) -> napi::Result<Self> {
        throw(
            &env,
            guarded(|| {
                let def = document(&definition, shape::document("approval_policy"))?;
                Ok(ApprovalPolicy {
                    inner: Arc::new(approval::ApprovalPolicy::compile(def)?),
                })
            }),
        )
    }

    /// The plan the policy makes for a subject (a quote or order summary)
    /// and host-supplied facts (`context`, optional): steps, triggering
    /// rules and fact values, as the `approval_plan` operation.
    #[napi(catch_unwind)]
    pub fn plan(&self, env: Env, subject: String, context: Option<String>) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| {
                let op = Operation::ApprovalPlan;
                let subject = document(&subject, arg(op, "subject"))?;
                let context: FactContext = match context {
                    Some(c) => document(&c, arg(op, "context"))?,
                    None => FactContext::default(),
                };
                let facts = approval::compute_facts(&subject, &context)?;
                to_text(&self.inner.evaluate(&facts)?)
            }),
        )
    }
}

/// A live reservation ledger over a stock snapshot: reservations never
/// oversell, even from many threads; every command is all or nothing.
#[napi]
pub struct ReservationLedger {
    inner: Arc<inventory::ReservationLedger>,
}

#[napi]
impl ReservationLedger {
    /// Builds the ledger from a `LedgerState` document's JSON text (stock
    /// and the reservations held).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, state: String) -> napi::Result<Self> {
        throw(
            &env,
            guarded(|| {
                let state: LedgerState = document(&state, shape::document("ledger_state"))?;
                Ok(ReservationLedger {
                    inner: Arc::new(ops::ledger_from_state(&state)?),
                })
            }),
        )
    }

    /// Reserves every request (JSON text) for the order, or nothing.
    #[napi(catch_unwind)]
    pub fn reserve(&self, env: Env, order_id: String, requests: String) -> napi::Result<()> {
        throw(
            &env,
            guarded(|| Ok(self.inner.reserve(&order_id, &requests_of(&requests)?)?)),
        )
    }

    /// Releases exactly the quantities given.
    #[napi(catch_unwind)]
    pub fn release(&self, env: Env, order_id: String, requests: String) -> napi::Result<()> {
        throw(
            &env,
            guarded(|| Ok(self.inner.release(&order_id, &requests_of(&requests)?)?)),
        )
    }

    /// Consumes reservations at dispatch (they leave on hand).
    #[napi(catch_unwind)]
    pub fn consume(&self, env: Env, order_id: String, requests: String) -> napi::Result<()> {
        throw(
            &env,
            guarded(|| Ok(self.inner.consume(&order_id, &requests_of(&requests)?)?)),
        )
    }

    /// Moves reserved units that failed QC to their hold batch.
    #[napi(catch_unwind)]
    pub fn quarantine(&self, env: Env, order_id: String, requests: String) -> napi::Result<()> {
        throw(
            &env,
            guarded(|| Ok(self.inner.quarantine(&order_id, &requests_of(&requests)?)?)),
        )
    }

    /// The stock now (reserved quantities filled in), of the skus given
    /// (JSON array text) or of all.
    #[napi(catch_unwind)]
    pub fn snapshot(&self, env: Env, skus: Option<String>) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| {
                let skus: Option<Vec<String>> = match skus {
                    Some(s) => Some(document(&s, None).map_err(|e| e.under("skus"))?),
                    None => None,
                };
                to_text(&self.inner.snapshot(skus.as_deref())?)
            }),
        )
    }

    /// The reservations an order holds.
    #[napi(catch_unwind)]
    pub fn reservations(&self, env: Env, order_id: String) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| to_text(&self.inner.reservations(&order_id)?)),
        )
    }

    /// The ledger as a `LedgerState` document, with the reservations of the
    /// orders given (JSON array text of order ids).
    #[napi(catch_unwind)]
    pub fn state(&self, env: Env, orders: String) -> napi::Result<String> {
        throw(
            &env,
            guarded(|| {
                let orders: Vec<String> = document(&orders, None)?;
                to_text(&ops::ledger_to_state(&self.inner, &orders)?)
            }),
        )
    }
}

fn requests_of(text: &str) -> Result<Vec<ReservationRequest>, HostError> {
    document(text, shape::document("reservation_requests"))
}
