//! Reading phase of the Arrow call: the lines batch becomes the host's
//! typed `price_orders` input (one [`OrderToPrice`] per order id), with the
//! input row of every request line kept for the writing phase. Nothing is
//! priced here; every check that refuses the whole batch happens here, so
//! pricing starts only on a batch that is wholly readable.

use arrow_array::{ArrayRef, RecordBatch};
use b2b_oms::customer::{Channel, Customer};
use b2b_oms::host::{HostError, OrderToPrice};
use b2b_oms::pricing::{Explain, OrderLine, PriceRequest};
use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;
use serde_json::Value;

use super::columns::{cell, null_cell, Decimals, Instants, Text};
use super::CustomerTable;

/// The input columns: name and whether it is required.
pub const COLUMNS: [(&str, bool); 11] = [
    ("order_id", true),
    ("customer_id", true),
    ("line_id", false),
    ("sku", true),
    ("quantity", true),
    ("unit", false),
    ("target_price", false),
    ("currency", true),
    ("channel", true),
    ("priced_at", true),
    ("ship_to_state", false),
];

/// One order of the batch: its id, whose it is, its input rows in request
/// line order, and its job in the `price_orders` input (or why it has none).
pub struct OrderPlan {
    /// The order id.
    pub order_id: String,
    /// The customer id.
    pub customer_id: String,
    /// The currency.
    pub currency: String,
    /// Input rows, in request line order (line `i` is row `rows[i]`).
    pub rows: Vec<usize>,
    /// Its job in the `price_orders` input, or its own error.
    pub job: Job,
}

/// An order's place in the `price_orders` input.
pub enum Job {
    /// Index into [`Plan::jobs`].
    Priced(usize),
    /// Not priced: its customer is not in the customer table (the error,
    /// and the request, for the lines' ids and skus).
    Refused(Box<(HostError, PriceRequest)>),
}

/// The batch read: its orders in order of first appearance, and the typed
/// `price_orders` input.
pub struct Plan {
    /// The orders.
    pub orders: Vec<OrderPlan>,
    /// The host's typed input, one entry per order with a known customer.
    pub jobs: Vec<OrderToPrice>,
    /// The scale of the quantity column (0 for integers).
    pub quantity_scale: u32,
}

/// The columns of the batch, typed.
struct Columns<'a> {
    order_id: Text<'a>,
    customer_id: Text<'a>,
    line_id: Option<Text<'a>>,
    sku: Text<'a>,
    quantity: Decimals<'a>,
    unit: Option<Text<'a>>,
    target_price: Option<Decimals<'a>>,
    currency: Text<'a>,
    channel: Text<'a>,
    priced_at: Instants<'a>,
    ship_to_state: Option<Text<'a>>,
}

/// Refuses a column that is not one of [`COLUMNS`] (`UNKNOWN_FIELD`) and a
/// required column that is absent (`MISSING_FIELD`).
fn check_names(batch: &RecordBatch) -> Result<(), HostError> {
    let known: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
    for f in batch.schema().fields() {
        if !known.contains(&f.name().as_str()) {
            return Err(HostError::new(
                "UNKNOWN_FIELD",
                Some(f.name().clone()),
                format!(
                    "the lines have a column {:?} this call does not read (columns: {})",
                    f.name(),
                    known.join(", ")
                ),
            )
            .with_detail("value", Value::String(f.name().clone()))
            .with_detail(
                "rule",
                Value::String(format!("columns: {}", known.join(", "))),
            ));
        }
    }
    for (name, required) in COLUMNS {
        if required && batch.column_by_name(name).is_none() {
            return Err(HostError::new(
                "MISSING_FIELD",
                Some(name.to_owned()),
                format!("the lines have no column {name:?}"),
            )
            .with_detail("rule", Value::String("required column".into())));
        }
    }
    Ok(())
}

/// Binds every column to its typed view (after [`check_names`]).
fn bind(batch: &RecordBatch) -> Result<Columns<'_>, HostError> {
    let col = |name: &str| -> Result<&ArrayRef, HostError> {
        batch.column_by_name(name).ok_or_else(|| {
            HostError::new(
                "MISSING_FIELD",
                Some(name.to_owned()),
                format!("no column {name:?}"),
            )
        })
    };
    let opt_text = |name: &str| {
        batch
            .column_by_name(name)
            .map(|a| Text::of(a, name))
            .transpose()
    };
    Ok(Columns {
        order_id: Text::of(col("order_id")?, "order_id")?,
        customer_id: Text::of(col("customer_id")?, "customer_id")?,
        line_id: opt_text("line_id")?,
        sku: Text::of(col("sku")?, "sku")?,
        quantity: Decimals::of(col("quantity")?, "quantity")?,
        unit: opt_text("unit")?,
        target_price: batch
            .column_by_name("target_price")
            .map(|a| Decimals::of(a, "target_price"))
            .transpose()?,
        currency: Text::of(col("currency")?, "currency")?,
        channel: Text::of(col("channel")?, "channel")?,
        priced_at: Instants::of(col("priced_at")?, "priced_at")?,
        ship_to_state: opt_text("ship_to_state")?,
    })
}

fn required<'a>(t: &Text<'a>, row: usize, name: &str) -> Result<&'a str, HostError> {
    t.get(row).ok_or_else(|| null_cell(row, name))
}

fn optional<'a>(t: &Option<Text<'a>>, row: usize) -> Option<&'a str> {
    t.as_ref().and_then(|t| t.get(row))
}

/// What every line of one order must agree on.
#[derive(Clone, Copy, PartialEq)]
struct Head<'a> {
    customer_id: &'a str,
    currency: &'a str,
    channel: &'a str,
    priced_at: DateTime<FixedOffset>,
    offset: FixedOffset,
    ship_to_state: Option<&'a str>,
}

fn head<'a>(c: &Columns<'a>, row: usize) -> Result<Head<'a>, HostError> {
    let priced_at = c
        .priced_at
        .get(row, "priced_at")?
        .ok_or_else(|| null_cell(row, "priced_at"))?;
    Ok(Head {
        customer_id: required(&c.customer_id, row, "customer_id")?,
        currency: required(&c.currency, row, "currency")?,
        channel: required(&c.channel, row, "channel")?,
        offset: *priced_at.offset(),
        priced_at,
        ship_to_state: optional(&c.ship_to_state, row),
    })
}

/// `INVALID_FIELD` for a row that disagrees with its order's first row on
/// an order-level column.
fn disagree(row: usize, first: usize, order_id: &str, a: &Head<'_>, b: &Head<'_>) -> HostError {
    let column = if a.customer_id != b.customer_id {
        "customer_id"
    } else if a.currency != b.currency {
        "currency"
    } else if a.channel != b.channel {
        "channel"
    } else if a.ship_to_state != b.ship_to_state {
        "ship_to_state"
    } else {
        "priced_at"
    };
    HostError::new(
        "INVALID_FIELD",
        Some(cell(row, column)),
        format!(
            "row {row} of order {order_id:?} has another {column} than its row {first}: \
             the lines of one order share customer, currency, channel, instant and ship-to"
        ),
    )
    .with_detail("value", Value::String(order_id.to_owned()))
    .with_detail("rule", Value::String("one value per order".into()))
}

fn line(c: &Columns<'_>, row: usize) -> Result<OrderLine, HostError> {
    let quantity = c
        .quantity
        .get(row, "quantity")?
        .ok_or_else(|| null_cell(row, "quantity"))?;
    let target_price = match &c.target_price {
        Some(t) => t.get(row, "target_price")?,
        None => None,
    };
    Ok(OrderLine {
        line_id: optional(&c.line_id, row).map(str::to_owned),
        sku: required(&c.sku, row, "sku")?.to_owned(),
        quantity,
        unit: optional(&c.unit, row).map(str::to_owned),
        target_price,
    })
}

fn channel(text: &str, row: usize) -> Result<Channel, HostError> {
    serde_json::from_value(Value::String(text.to_owned())).map_err(|_| {
        HostError::new(
            "INVALID_FIELD",
            Some(cell(row, "channel")),
            format!("row {row}: channel {text:?} is not portal, mobile_app, sales_rep or edi"),
        )
        .with_detail("value", Value::String(text.to_owned()))
        .with_detail(
            "rule",
            Value::String("portal, mobile_app, sales_rep or edi".into()),
        )
    })
}

/// An order being gathered: its plan, its request and its first row's head.
struct Gathering<'a> {
    plan: OrderPlan,
    request: PriceRequest,
    head: Head<'a>,
    first: usize,
}

/// Groups the rows into orders (in order of first appearance; an order's
/// lines in row order), each order's head checked on every row.
fn gather<'a>(
    c: &Columns<'a>,
    rows: usize,
    explain: Explain,
) -> Result<Vec<Gathering<'a>>, HostError> {
    let mut index: FxHashMap<&'a str, usize> = FxHashMap::default();
    let mut orders: Vec<Gathering<'a>> = Vec::new();
    for row in 0..rows {
        let order_id = required(&c.order_id, row, "order_id")?;
        let h = head(c, row)?;
        let l = line(c, row)?;
        let at = match index.get(order_id) {
            Some(&at) => at,
            None => {
                index.insert(order_id, orders.len());
                orders.push(Gathering {
                    plan: OrderPlan {
                        order_id: order_id.to_owned(),
                        customer_id: h.customer_id.to_owned(),
                        currency: h.currency.to_owned(),
                        rows: Vec::new(),
                        job: Job::Priced(0),
                    },
                    request: PriceRequest {
                        order_id: Some(order_id.to_owned()),
                        currency: h.currency.to_owned(),
                        channel: channel(h.channel, row)?,
                        priced_at: h.priced_at,
                        ship_to_state: h.ship_to_state.map(str::to_owned),
                        lines: Vec::new(),
                        explain,
                        // No columns for these yet: the book's rules apply
                        // and no earlier purchases count.
                        ignore_rules: false,
                        purchase_history: Vec::new(),
                        exchange_rates: Vec::new(),
                    },
                    head: h,
                    first: row,
                });
                orders.len() - 1
            }
        };
        let Some(g) = orders.get_mut(at) else {
            return Err(HostError::internal("an order index out of range"));
        };
        if g.first != row && g.head != h {
            return Err(disagree(row, g.first, order_id, &h, &g.head));
        }
        g.plan.rows.push(row);
        g.request.lines.push(l);
    }
    Ok(orders)
}

/// The reading phase: checks the columns, groups the rows into orders and
/// looks each order's customer up. On success every order either has its
/// job in `jobs` or its own `INVALID_FIELD` error (unknown customer);
/// pricing has not started.
pub fn plan(
    batch: &RecordBatch,
    customers: &CustomerTable,
    explain: Explain,
) -> Result<Plan, HostError> {
    check_names(batch)?;
    let c = bind(batch)?;
    let gathered = gather(&c, batch.num_rows(), explain)?;
    let mut orders = Vec::with_capacity(gathered.len());
    let mut jobs = Vec::with_capacity(gathered.len());
    for g in gathered {
        let mut plan = g.plan;
        match customers.get(&plan.customer_id) {
            Some(customer) => {
                plan.job = Job::Priced(jobs.len());
                jobs.push(OrderToPrice {
                    customer: Customer::clone(customer),
                    request: g.request,
                });
            }
            None => {
                let e = HostError::new(
                    "INVALID_FIELD",
                    Some(cell(g.first, "customer_id")),
                    format!("no customer {:?} in the customer table", plan.customer_id),
                )
                .with_detail("value", Value::String(plan.customer_id.clone()))
                .with_detail(
                    "rule",
                    Value::String("a customer of the customer table".into()),
                );
                plan.job = Job::Refused(Box::new((e, g.request)));
            }
        }
        orders.push(plan);
    }
    Ok(Plan {
        orders,
        jobs,
        quantity_scale: c.quantity.scale(),
    })
}
