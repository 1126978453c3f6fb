//! Writing phase of the Arrow call: the host's `price_orders` results
//! become two record batches, the priced lines and the per-order totals,
//! with money as `decimal128(38, s)` at the book's scales. A value is only
//! ever rescaled exactly (more decimal places of zeros); one that would
//! need rounding to fit its column is an internal error, never rounded.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use b2b_oms::host::{BatchResult, HostError};
use b2b_oms::pricing::{
    LineKind, LineProblem, PriceRequest, PricedLine, PricedOrder, QuantityStatus,
};
use rust_decimal::Decimal;

use super::read::{Job, OrderPlan, Plan};

/// The decimal scales of the output columns.
#[derive(Clone, Copy)]
pub struct Scales {
    /// Net unit prices: the book's `unit_price_scale`.
    pub unit_price: u32,
    /// Amounts: the most minor units of the book's currencies.
    pub amount: u32,
    /// Quantities: the input quantity column's scale.
    pub quantity: u32,
}

fn decimal(name: &str, scale: u32) -> Field {
    let s = i8::try_from(scale).unwrap_or(i8::MAX);
    Field::new(name, DataType::Decimal128(38, s), true)
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

/// The schema of the priced lines (every column nullable, for engines that
/// declare the output schema ahead).
pub fn lines_schema(s: Scales) -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("input_row", DataType::Int64, true),
        text("order_id"),
        Field::new("line_index", DataType::Int64, true),
        text("line_id"),
        text("kind"),
        text("sku"),
        decimal("quantity", s.quantity),
        text("unit"),
        decimal("net_unit_price", s.unit_price),
        decimal("amount", s.amount),
        decimal("taxable_amount", s.amount),
        text("quantity_status"),
        Field::new(
            "applied_rules",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
        text("error_code"),
        text("error_field"),
        text("error_message"),
    ]))
}

/// The schema of the per-order totals.
pub fn orders_schema(s: Scales) -> SchemaRef {
    Arc::new(Schema::new(vec![
        text("order_id"),
        text("customer_id"),
        text("currency"),
        text("price_book_version"),
        Field::new("all_priced", DataType::Boolean, true),
        Field::new("lines_priced", DataType::Int64, true),
        Field::new("lines_refused", DataType::Int64, true),
        decimal("subtotal", s.amount),
        decimal("order_discount_total", s.amount),
        decimal("shipping", s.amount),
        decimal("total_before_tax", s.amount),
        text("error_code"),
        text("error_field"),
        text("error_message"),
    ]))
}

/// The mantissa of `d` at exactly `scale` decimal places, or an internal
/// error when that would lose digits.
fn mantissa(d: Decimal, scale: u32, column: &str) -> Result<i128, HostError> {
    let have = d.scale();
    let m = d.mantissa();
    let lost = || {
        HostError::internal(format!(
            "{column} {d} does not fit decimal128 with scale {scale} without rounding"
        ))
    };
    if have <= scale {
        10i128
            .checked_pow(scale - have)
            .and_then(|f| m.checked_mul(f))
            .ok_or_else(lost)
    } else {
        let f = 10i128.checked_pow(have - scale).ok_or_else(lost)?;
        if m % f == 0 {
            Ok(m / f)
        } else {
            Err(lost())
        }
    }
}

fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A decimal column being built at one scale.
struct Dec {
    b: Decimal128Builder,
    scale: u32,
    name: &'static str,
}

impl Dec {
    fn new(name: &'static str, scale: u32, n: usize) -> Self {
        Dec {
            b: Decimal128Builder::with_capacity(n),
            scale,
            name,
        }
    }

    fn push(&mut self, d: Option<Decimal>) -> Result<(), HostError> {
        match d {
            Some(d) => self.b.append_value(mantissa(d, self.scale, self.name)?),
            None => self.b.append_null(),
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ArrayRef, HostError> {
        let s = i8::try_from(self.scale).unwrap_or(i8::MAX);
        let a = self
            .b
            .finish()
            .with_precision_and_scale(38, s)
            .map_err(|e| HostError::internal(format!("{}: {e}", self.name)))?;
        Ok(Arc::new(a))
    }
}

/// The priced-lines columns being built.
struct LineColumns {
    input_row: Int64Builder,
    order_id: StringBuilder,
    line_index: Int64Builder,
    line_id: StringBuilder,
    kind: StringBuilder,
    sku: StringBuilder,
    quantity: Dec,
    unit: StringBuilder,
    net_unit_price: Dec,
    amount: Dec,
    taxable_amount: Dec,
    quantity_status: StringBuilder,
    applied_rules: ListBuilder<StringBuilder>,
    error_code: StringBuilder,
    error_field: StringBuilder,
    error_message: StringBuilder,
}

/// Where a line's error comes from: its own problem, or its order's.
enum Refusal<'a> {
    Line(&'a LineProblem),
    Order(&'a HostError),
}

impl LineColumns {
    fn new(s: Scales, n: usize) -> Self {
        LineColumns {
            input_row: Int64Builder::with_capacity(n),
            order_id: StringBuilder::new(),
            line_index: Int64Builder::with_capacity(n),
            line_id: StringBuilder::new(),
            kind: StringBuilder::new(),
            sku: StringBuilder::new(),
            quantity: Dec::new("quantity", s.quantity, n),
            unit: StringBuilder::new(),
            net_unit_price: Dec::new("net_unit_price", s.unit_price, n),
            amount: Dec::new("amount", s.amount, n),
            taxable_amount: Dec::new("taxable_amount", s.amount, n),
            quantity_status: StringBuilder::new(),
            applied_rules: ListBuilder::new(StringBuilder::new()),
            error_code: StringBuilder::new(),
            error_field: StringBuilder::new(),
            error_message: StringBuilder::new(),
        }
    }

    /// One priced line (a sale line at `input_row`, or free goods).
    fn priced(
        &mut self,
        order_id: &str,
        input_row: Option<usize>,
        l: &PricedLine,
    ) -> Result<(), HostError> {
        self.input_row.append_option(input_row.map(int));
        self.order_id.append_value(order_id);
        self.line_index.append_value(int(l.line_index));
        self.line_id.append_option(l.line_id.as_deref());
        self.kind.append_value(match l.kind {
            LineKind::Sale => "sale",
            LineKind::Free { .. } => "free_goods",
        });
        self.sku.append_value(&l.sku);
        self.quantity.push(Some(l.quantity))?;
        self.unit.append_value(&l.unit);
        self.net_unit_price.push(Some(l.net_unit_price))?;
        self.amount.push(Some(l.amount))?;
        self.taxable_amount.push(Some(l.taxable_amount))?;
        self.quantity_status.append_value(match l.quantity_status {
            QuantityStatus::Ok => "ok",
            QuantityStatus::Adjusted { .. } => "adjusted",
        });
        for a in &l.adjustments {
            self.applied_rules.values().append_value(&a.rule_id);
        }
        self.applied_rules.append(true);
        self.error_code.append_null();
        self.error_field.append_null();
        self.error_message.append_null();
        Ok(())
    }

    /// One line that was not priced, with its own or its order's error.
    fn refused(
        &mut self,
        order_id: &str,
        input_row: usize,
        line_index: usize,
        line_id: Option<&str>,
        sku: &str,
        why: Refusal<'_>,
    ) -> Result<(), HostError> {
        self.input_row.append_value(int(input_row));
        self.order_id.append_value(order_id);
        self.line_index.append_value(int(line_index));
        self.line_id.append_option(line_id);
        self.kind.append_null();
        self.sku.append_value(sku);
        self.quantity.push(None)?;
        self.unit.append_null();
        self.net_unit_price.push(None)?;
        self.amount.push(None)?;
        self.taxable_amount.push(None)?;
        self.quantity_status.append_null();
        self.applied_rules.append_null();
        let (code, field, message) = match why {
            Refusal::Line(p) => (p.code.as_str(), Some(p.field.as_str()), p.message.as_str()),
            Refusal::Order(e) => (e.code.as_str(), e.field.as_deref(), e.message.as_str()),
        };
        self.error_code.append_value(code);
        self.error_field.append_option(field);
        self.error_message.append_value(message);
        Ok(())
    }

    fn finish(mut self, schema: SchemaRef) -> Result<RecordBatch, HostError> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.input_row.finish()),
            Arc::new(self.order_id.finish()),
            Arc::new(self.line_index.finish()),
            Arc::new(self.line_id.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.sku.finish()),
            self.quantity.finish()?,
            Arc::new(self.unit.finish()),
            self.net_unit_price.finish()?,
            self.amount.finish()?,
            self.taxable_amount.finish()?,
            Arc::new(self.quantity_status.finish()),
            Arc::new(self.applied_rules.finish()),
            Arc::new(self.error_code.finish()),
            Arc::new(self.error_field.finish()),
            Arc::new(self.error_message.finish()),
        ];
        RecordBatch::try_new(schema, columns)
            .map_err(|e| HostError::internal(format!("cannot build the lines batch: {e}")))
    }
}

/// The rows of one priced order: for each request line in order, its
/// priced line (then the free goods it triggered) or its problem.
fn priced_rows(out: &mut LineColumns, plan: &OrderPlan, p: &PricedOrder) -> Result<(), HostError> {
    let n = plan.rows.len();
    let mut lines: Vec<Vec<&PricedLine>> = vec![Vec::new(); n];
    let mut problems: Vec<Option<&LineProblem>> = vec![None; n];
    for l in &p.lines {
        match lines.get_mut(l.line_index) {
            Some(v) => v.push(l),
            None => {
                return Err(HostError::internal(
                    "a priced line without its request line",
                ))
            }
        }
    }
    for e in &p.errors {
        if let Some(slot) = problems.get_mut(e.line_index) {
            *slot = Some(e);
        }
    }
    for (i, &row) in plan.rows.iter().enumerate() {
        let own = lines.get(i).map(Vec::as_slice).unwrap_or_default();
        for l in own {
            let input_row = matches!(l.kind, LineKind::Sale).then_some(row);
            out.priced(&plan.order_id, input_row, l)?;
        }
        if let Some(Some(e)) = problems.get(i) {
            out.refused(
                &plan.order_id,
                row,
                i,
                e.line_id.as_deref(),
                &e.sku,
                Refusal::Line(e),
            )?;
        }
    }
    Ok(())
}

/// The per-order totals columns being built.
struct OrderColumns {
    order_id: StringBuilder,
    customer_id: StringBuilder,
    currency: StringBuilder,
    version: StringBuilder,
    all_priced: BooleanBuilder,
    lines_priced: Int64Builder,
    lines_refused: Int64Builder,
    subtotal: Dec,
    discounts: Dec,
    shipping: Dec,
    total: Dec,
    error_code: StringBuilder,
    error_field: StringBuilder,
    error_message: StringBuilder,
}

impl OrderColumns {
    fn new(s: Scales, n: usize) -> Self {
        OrderColumns {
            order_id: StringBuilder::new(),
            customer_id: StringBuilder::new(),
            currency: StringBuilder::new(),
            version: StringBuilder::new(),
            all_priced: BooleanBuilder::with_capacity(n),
            lines_priced: Int64Builder::with_capacity(n),
            lines_refused: Int64Builder::with_capacity(n),
            subtotal: Dec::new("subtotal", s.amount, n),
            discounts: Dec::new("order_discount_total", s.amount, n),
            shipping: Dec::new("shipping", s.amount, n),
            total: Dec::new("total_before_tax", s.amount, n),
            error_code: StringBuilder::new(),
            error_field: StringBuilder::new(),
            error_message: StringBuilder::new(),
        }
    }

    fn start(&mut self, plan: &OrderPlan) {
        self.order_id.append_value(&plan.order_id);
        self.customer_id.append_value(&plan.customer_id);
        self.currency.append_value(&plan.currency);
    }

    fn priced(&mut self, plan: &OrderPlan, p: &PricedOrder) -> Result<(), HostError> {
        self.start(plan);
        self.version.append_value(&p.price_book_version);
        self.all_priced.append_value(p.all_priced);
        let sales = p
            .lines
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Sale))
            .count();
        self.lines_priced.append_value(int(sales));
        self.lines_refused.append_value(int(p.errors.len()));
        self.subtotal.push(Some(p.subtotal))?;
        self.discounts.push(Some(p.order_discount_total))?;
        self.shipping.push(p.shipping.as_ref().map(|s| s.amount))?;
        self.total.push(Some(p.total_before_tax))?;
        self.error_code.append_null();
        self.error_field.append_null();
        self.error_message.append_null();
        Ok(())
    }

    fn refused(&mut self, plan: &OrderPlan, e: &HostError) -> Result<(), HostError> {
        self.start(plan);
        self.version.append_null();
        self.all_priced.append_value(false);
        self.lines_priced.append_value(0);
        self.lines_refused.append_value(int(plan.rows.len()));
        for d in [
            &mut self.subtotal,
            &mut self.discounts,
            &mut self.shipping,
            &mut self.total,
        ] {
            d.push(None)?;
        }
        self.error_code.append_value(&e.code);
        self.error_field.append_option(e.field.as_deref());
        self.error_message.append_value(&e.message);
        Ok(())
    }

    fn finish(mut self, schema: SchemaRef) -> Result<RecordBatch, HostError> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.order_id.finish()),
            Arc::new(self.customer_id.finish()),
            Arc::new(self.currency.finish()),
            Arc::new(self.version.finish()),
            Arc::new(self.all_priced.finish()),
            Arc::new(self.lines_priced.finish()),
            Arc::new(self.lines_refused.finish()),
            self.subtotal.finish()?,
            self.discounts.finish()?,
            self.shipping.finish()?,
            self.total.finish()?,
            Arc::new(self.error_code.finish()),
            Arc::new(self.error_field.finish()),
            Arc::new(self.error_message.finish()),
        ];
        RecordBatch::try_new(schema, columns)
            .map_err(|e| HostError::internal(format!("cannot build the orders batch: {e}")))
    }
}

/// The writing phase: the priced lines and the per-order totals of every
/// order of `plan`, in the plan's order, from the `price_orders` results
/// (one per job). An order refused as a whole gives one error row per line.
pub fn batches(
    plan: &Plan,
    results: &[BatchResult],
    scales: Scales,
) -> Result<(RecordBatch, RecordBatch), HostError> {
    let rows: usize = plan.orders.iter().map(|o| o.rows.len()).sum();
    let mut lines = LineColumns::new(scales, rows);
    let mut orders = OrderColumns::new(scales, plan.orders.len());
    for o in &plan.orders {
        let (e, request) = match &o.job {
            Job::Priced(j) => {
                let job = plan.jobs.get(*j);
                match (results.get(*j), job) {
                    (Some(BatchResult::Priced(p)), _) => {
                        priced_rows(&mut lines, o, p)?;
                        orders.priced(o, p)?;
                        continue;
                    }
                    (Some(BatchResult::Error(e)), Some(job)) => (e, &job.request),
                    _ => return Err(HostError::internal("a result missing from the batch")),
                }
            }
            Job::Refused(refused) => (&refused.0, &refused.1),
        };
        refuse_order(&mut lines, request, o, e)?;
        orders.refused(o, e)?;
    }
    Ok((
        lines.finish(lines_schema(scales))?,
        orders.finish(orders_schema(scales))?,
    ))
}

/// One error row per line of an order refused as a whole (its line ids
/// and skus from the request).
fn refuse_order(
    out: &mut LineColumns,
    request: &PriceRequest,
    o: &OrderPlan,
    e: &HostError,
) -> Result<(), HostError> {
    for (i, &row) in o.rows.iter().enumerate() {
        let line = request.lines.get(i);
        let line_id = line.and_then(|l| l.line_id.as_deref());
        let sku = line.map(|l| l.sku.as_str()).unwrap_or_default();
        out.refused(&o.order_id, row, i, line_id, sku, Refusal::Order(e))?;
    }
    Ok(())
}
