//! The demo's inquiry-to-invoice journey, the way an embedding program runs
//! it: documents in, documents out, through the host operations of
//! `b2b_oms::host`.
//!
//! [`run`] reads two documents, `examples/data/dataset.json` (the seller,
//! catalog, price book, customers, stock, approval policy …) and
//! `examples/data/journey.json` (the host's own commands and choices for each
//! step: ids, instants, the 18 % revision, the approval decisions, the
//! partial acceptance, shipment commands, invoice numbers …), and calls one
//! host operation per step, feeding each step's output into the next step's
//! input. It returns every step's input and output document ([`Step`]), a
//! short report for a person and the key totals ([`Totals`]).
//!
//! Most steps use the typed operations of `b2b_oms::host::ops` (their
//! outputs are Rust values with named fields); the e-invoice steps use
//! `b2b_oms::host::call`, the JSON-text form every binding is built on. The
//! few documents a host builds from earlier outputs (the allocation request,
//! the shipment lines, the seller of a shipment's invoice, the credit note,
//! the export invoice) are built in [`documents`], each described in
//! journey.json's `derive`. The invoice of a shipment is built from the
//! order by the core (`invoice_from_order`), not by the host.

use std::fmt::Write as _;
use std::sync::Arc;

use b2b_oms::approval::ApprovalTransition;
use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::events::EventPayload;
use b2b_oms::fulfilment::{AllocationOutcome, Shipment, ShipmentTransition};
use b2b_oms::host::ops;
use b2b_oms::host::{self, BatchResult, HostError, LedgerState, OrderToPrice};
use b2b_oms::invoice::{Invoice, InvoiceFromOrder};
use b2b_oms::json::from_value;
use b2b_oms::order::{Converted, Order, OrderApproval, OrderTransition};
use b2b_oms::pricing::PricedOrder;
use b2b_oms::quote::{Quote, QuoteApproval, QuoteTransition, RevisionDiff};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

pub mod documents;

/// The demo's dataset, as committed.
pub const DATASET: &str = include_str!("../../data/dataset.json");
/// The host's step documents, as committed.
pub const JOURNEY: &str = include_str!("../../data/journey.json");

/// One host operation call of the journey.
#[derive(Debug, Clone)]
pub struct Step {
    /// The step's key in journey.json (`quote_build`, `invoice` …), with a
    /// suffix for repeated steps (`invoice INV/26-27/00001`).
    pub name: String,
    /// The host operation called.
    pub operation: &'static str,
    /// The complete input document.
    pub input: Value,
    /// The output document, or the error (expected where journey.json
    /// gives `expect_error`).
    pub output: Result<Value, HostError>,
}

/// Totals of one invoice, credit note or export invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentTotals {
    /// Its number.
    pub number: String,
    /// Taxable value.
    pub taxable: Decimal,
    /// CGST + SGST + IGST.
    pub tax: Decimal,
    /// Round-off.
    pub round_off: Decimal,
    /// Grand total.
    pub grand_total: Decimal,
}

/// The figures the demo prints, as this journey computed them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    /// Total before tax of each priced order: the dataset's two orders,
    /// then the export order (in its currency).
    pub priced_orders: Vec<(String, Decimal)>,
    /// The quote's revision 1: total before tax.
    pub quote_rev1_before_tax: Decimal,
    /// Revision 2 (18 % off line 1): total before tax.
    pub quote_rev2_before_tax: Decimal,
    /// Revision 2: grand total with the GST estimate.
    pub quote_rev2_grand_total: Decimal,
    /// The partial acceptance: total before tax.
    pub accepted_before_tax: Decimal,
    /// The confirmed order: total before tax.
    pub order_before_tax: Decimal,
    /// The confirmed order: advance due.
    pub order_advance_due: Decimal,
    /// The invoices per shipment, the credit note and the export invoice.
    pub documents: Vec<DocumentTotals>,
}

/// What [`run`] returns.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    /// Every call, in order.
    pub steps: Vec<Step>,
    /// A short report of each step for a person.
    pub report: String,
    /// The key totals.
    pub totals: Totals,
}

/// journey.json, read: the host's part of each step.
struct Script(Value);

impl Script {
    fn step(&self, key: &str) -> Result<&Value, HostError> {
        self.0
            .get("steps")
            .and_then(|s| s.get(key))
            .ok_or_else(|| missing(&format!("steps.{key}")))
    }

    /// The host's fields of a step's input document.
    fn input(&self, key: &str) -> Result<Value, HostError> {
        Ok(self.step(key)?.get("input").cloned().unwrap_or(json!({})))
    }

    /// Any other field of a step (`expect_error`, `shipments`, …).
    fn field(&self, key: &str, field: &str) -> Result<&Value, HostError> {
        self.step(key)?
            .get(field)
            .ok_or_else(|| missing(&format!("steps.{key}.{field}")))
    }

    fn text(&self, key: &str, field: &str) -> Result<String, HostError> {
        text(self.field(key, field)?, &format!("steps.{key}.{field}"))
    }
}

fn missing(path: &str) -> HostError {
    HostError::new(
        "MISSING_FIELD",
        Some(path.to_owned()),
        format!("journey.json has no {path}"),
    )
}

fn text(v: &Value, path: &str) -> Result<String, HostError> {
    v.as_str().map(str::to_owned).ok_or_else(|| missing(path))
}

/// `base` with `fields` set (replacing what `base` had there).
fn with(mut base: Value, fields: Vec<(&str, Value)>) -> Value {
    if let Value::Object(map) = &mut base {
        for (k, v) in fields {
            map.insert(k.to_owned(), v);
        }
    }
    base
}

fn to_value<T: Serialize>(v: &T) -> Result<Value, HostError> {
    serde_json::to_value(v)
        .map_err(|e| HostError::internal(format!("cannot write a document: {e}")))
}

impl Journey {
    /// Runs a typed host operation on `input`, recording both documents.
    fn call<I, O>(
        &mut self,
        name: &str,
        operation: &'static str,
        op: fn(&I) -> Result<O, HostError>,
        input: Value,
    ) -> Result<O, HostError>
    where
        I: DeserializeOwned,
        O: Serialize,
    {
        let result = from_value::<I>(input.clone())
            .map_err(HostError::from)
            .and_then(|typed| host::guarded(|| op(&typed)));
        let output = match &result {
            Ok(out) => to_value(out),
            Err(e) => Err(e.clone()),
        };
        self.steps.push(Step {
            name: name.to_owned(),
            operation,
            input,
            output,
        });
        result
    }

    /// Runs a step that journey.json says must fail with `expect_error`;
    /// returns that error.
    fn refused<I, O>(
        &mut self,
        name: &str,
        operation: &'static str,
        op: fn(&I) -> Result<O, HostError>,
        input: Value,
        expect: &str,
    ) -> Result<HostError, HostError>
    where
        I: DeserializeOwned,
        O: Serialize,
    {
        match self.call(name, operation, op, input) {
            Err(e) if e.code == expect => Ok(e),
            Err(e) => Err(e),
            Ok(_) => Err(HostError::new(
                "INVALID_VALUE",
                None,
                format!("step {name} was accepted; it must fail with {expect}"),
            )),
        }
    }

    /// Runs an operation by name on JSON text, as a binding does.
    fn call_json(
        &mut self,
        name: &str,
        operation: &'static str,
        input: Value,
    ) -> Result<Value, HostError> {
        let text = input.to_string();
        let result = host::call(operation, &text).and_then(|out| {
            serde_json::from_str::<Value>(&out)
                .map_err(|e| HostError::internal(format!("cannot read the result: {e}")))
        });
        self.steps.push(Step {
            name: name.to_owned(),
            operation,
            input,
            output: result.clone(),
        });
        result
    }

    fn say(&mut self, line: impl AsRef<str>) {
        let _ = writeln!(self.report, "{}", line.as_ref());
    }

    fn heading(&mut self, title: &str) {
        let _ = writeln!(self.report, "\n{title}");
    }
}

/// Runs the journey on the text of dataset.json and journey.json.
pub fn run(dataset: &str, journey: &str) -> Result<Journey, HostError> {
    let data: Value = b2b_oms::json::from_json(dataset)?;
    let script = Script(b2b_oms::json::from_json(journey)?);
    let mut j = Journey::default();

    // The compiled handles a host builds once and reuses: the catalog and
    // the price book.
    let products: Vec<Product> = from_value(data["catalog"].clone())
        .map_err(|e| HostError::from(e).under("dataset.catalog"))?;
    let catalog: Arc<Catalog> = ops::compile_catalog(products)?;
    let book = ops::compile_price_book(
        from_value(data["price_book"].clone())
            .map_err(|e| HostError::from(e).under("dataset.price_book"))?,
        Arc::clone(&catalog),
    )?;
    let customers: Vec<Customer> = from_value(data["customers"].clone())?;
    let customer = |id: &str| -> Result<&Customer, HostError> {
        customers.iter().find(|c| c.id == id).ok_or_else(|| {
            HostError::new(
                "UNKNOWN_CUSTOMER",
                Some("dataset.customers".into()),
                format!("the dataset has no customer {id}"),
            )
        })
    };
    let distributor = customer(&text(
        &script.0["customers"]["distributor"],
        "customers.distributor",
    )?)?;
    let exporter = customer(&text(
        &script.0["customers"]["exporter"],
        "customers.exporter",
    )?)?;

    // 1. Inquiries are classified into segments.
    j.heading("1. Inquiries classified");
    let inquiries = data["inquiries"].as_array().cloned().unwrap_or_default();
    for inquiry in inquiries {
        let input = with(
            script.input("classify")?,
            vec![
                ("policy", data["classification_policy"].clone()),
                ("catalog", data["catalog"].clone()),
                ("inquiry", inquiry.clone()),
            ],
        );
        let out = j.call("classify", "classify", ops::classify, input)?;
        let lines = out.quote_request.as_ref().map_or(0, |d| d.lines.len());
        j.say(format!(
            "{}: segment {}, {} line(s) ready to price",
            inquiry["id"].as_str().unwrap_or("?"),
            out.classification.segment,
            lines
        ));
    }

    // 2. Quote-ready prices: the dataset's orders against the compiled book,
    // in one parallel batch (`price_orders_with`); each is recorded as the
    // `price_order` document that replays it.
    j.heading("2. Orders priced");
    let mut batch = Vec::new();
    for order in data["orders"].as_array().cloned().unwrap_or_default() {
        let who = customer(&text(
            &order["customer_id"],
            "dataset.orders[].customer_id",
        )?)?;
        batch.push(OrderToPrice {
            customer: who.clone(),
            request: from_value(order["request"].clone())?,
        });
    }
    for (o, result) in batch
        .iter()
        .zip(ops::price_orders_with(&book, &batch, None))
    {
        let input = json!({"catalog": data["catalog"], "price_book": data["price_book"],
                           "customer": o.customer, "request": o.request});
        let priced: PricedOrder = match result {
            BatchResult::Priced(p) => *p,
            BatchResult::Error(e) => return Err(e),
        };
        j.steps.push(Step {
            name: "price_order".into(),
            operation: "price_order",
            input,
            output: to_value(&priced),
        });
        j.say(format!(
            "{} for {}: {} line(s) priced, {} need attention, total before tax {}",
            priced.order_id.as_deref().unwrap_or("?"),
            o.customer.legal_name,
            priced.lines.len(),
            priced.errors.len(),
            priced.total_before_tax
        ));
        j.totals.priced_orders.push((
            priced.order_id.clone().unwrap_or_default(),
            priced.total_before_tax,
        ));
    }

    // 3. The distributor's quote, revised with 18 % off line 1, approved.
    j.heading("3. Quote, revision, approval");
    let catalog_doc = data["catalog"].clone();
    let book_doc = data["price_book"].clone();
    let input = with(
        script.input("quote_build")?,
        vec![
            ("catalog", catalog_doc.clone()),
            ("price_book", book_doc.clone()),
            ("customer", to_value(distributor)?),
        ],
    );
    let quote: Quote = j.call("quote_build", "quote_build", ops::quote_build, input)?;
    let r1 = quote.latest()?.totals.clone();
    j.totals.quote_rev1_before_tax = r1.total_before_tax;
    j.say(format!(
        "{} rev 1: {} before tax, {} unquoted line(s)",
        quote.id,
        r1.total_before_tax,
        quote.latest()?.unquoted.len()
    ));

    let input = with(
        script.input("quote_revise")?,
        vec![("quote", to_value(&quote)?)],
    );
    let revised: QuoteTransition =
        j.call("quote_revise", "quote_revise", ops::quote_revise, input)?;
    let quote = revised.quote;
    let r2 = quote.latest()?.totals.clone();
    j.totals.quote_rev2_before_tax = r2.total_before_tax;
    j.totals.quote_rev2_grand_total = r2.grand_total;
    j.say(format!(
        "rev 2: {} before tax, GST {}, grand total {}",
        r2.total_before_tax, r2.gst, r2.grand_total
    ));
    let input = with(
        script.input("quote_diff")?,
        vec![("quote", to_value(&quote)?)],
    );
    let diff: RevisionDiff = j.call("quote_diff", "quote_diff", ops::quote_diff, input)?;
    j.say(format!("diff 1 → 2: {} change(s)", diff.summary().len()));

    let policy = data["approval_policy"].clone();
    let input = with(
        script.input("quote_submit")?,
        vec![("quote", to_value(&quote)?), ("policy", policy.clone())],
    );
    let submitted: QuoteApproval =
        j.call("quote_submit", "quote_submit", ops::quote_submit, input)?;
    let steps: Vec<String> = submitted
        .instance
        .plan
        .steps
        .iter()
        .map(|s| format!("{} × {}", s.count, s.role))
        .collect();
    j.say(format!("approval needed: {}", steps.join(", ")));

    let instance = to_value(&submitted.instance)?;
    let input = with(
        script.input("approval_decide_self")?,
        vec![("instance", instance.clone())],
    );
    let expect = script.text("approval_decide_self", "expect_error")?;
    let refused = j.refused(
        "approval_decide_self",
        "approval_decide",
        ops::approval_decide,
        input,
        &expect,
    )?;
    j.say(format!(
        "the requester approving her own quote: refused, {}",
        refused.code
    ));
    let input = with(
        script.input("approval_decide")?,
        vec![("instance", instance)],
    );
    let approved: ApprovalTransition = j.call(
        "approval_decide",
        "approval_decide",
        ops::approval_decide,
        input,
    )?;
    j.say(format!(
        "the sales manager approves: {:?}",
        approved.instance.status
    ));

    let input = with(
        script.input("quote_issue")?,
        vec![
            ("quote", to_value(&submitted.quote)?),
            ("approval", to_value(&approved.instance)?),
        ],
    );
    let issued: QuoteTransition = j.call("quote_issue", "quote_issue", ops::quote_issue, input)?;
    let quote = issued.quote;
    j.say(format!(
        "issued and sealed, revision {}",
        quote.latest()?.number
    ));

    // 4. The buyer accepts part of the quote; it becomes an order.
    j.heading("4. Acceptance, order");
    let latest = quote.latest()?.clone();
    let seal = latest
        .seal
        .clone()
        .ok_or_else(|| missing("quote.revisions[last].seal"))?;
    let acceptance = |key: &str, presented: Value| -> Result<Value, HostError> {
        let mut input = with(script.input(key)?, vec![("quote", to_value(&quote)?)]);
        input["accept"]["digest"] = json!(seal.digest);
        input["accept"]["seal"] = json!(seal.hmac);
        input["accept"]["presented"] = presented;
        Ok(input)
    };
    let tamper = script.field("quote_accept_tampered", "tamper")?;
    let presented = documents::tampered(&latest, tamper)?;
    let expect = script.text("quote_accept_tampered", "expect_error")?;
    let refused = j.refused(
        "quote_accept_tampered",
        "quote_accept",
        ops::quote_accept,
        acceptance("quote_accept_tampered", presented)?,
        &expect,
    )?;
    j.say(format!(
        "an acceptance with a price changed by ₹1: refused, {}",
        refused.code
    ));
    let accepted: QuoteTransition = j.call(
        "quote_accept",
        "quote_accept",
        ops::quote_accept,
        acceptance("quote_accept", to_value(&latest)?)?,
    )?;
    let quote = accepted.quote;
    for e in &accepted.events {
        if let EventPayload::QuoteAccepted {
            total_before_tax,
            remainder_open,
            ..
        } = &e.payload
        {
            j.totals.accepted_before_tax = total_before_tax.amount;
            j.say(format!(
                "accepted: {} before tax{}",
                total_before_tax.amount,
                if *remainder_open {
                    "; the rest stays open"
                } else {
                    ""
                }
            ));
        }
    }

    let input = with(
        script.input("quote_convert")?,
        vec![("quote", to_value(&quote)?)],
    );
    let converted: Converted =
        j.call("quote_convert", "quote_convert", ops::quote_convert, input)?;
    let input = with(
        script.input("order_submit")?,
        vec![
            ("order", to_value(&converted.order)?),
            ("policy", policy),
            ("previous", to_value(&approved.instance)?),
        ],
    );
    let order_approval: OrderApproval =
        j.call("order_submit", "order_submit", ops::order_submit, input)?;
    let input = with(
        script.input("order_confirm")?,
        vec![
            ("order", to_value(&converted.order)?),
            ("approval", to_value(&order_approval.instance)?),
        ],
    );
    let confirmed: OrderTransition =
        j.call("order_confirm", "order_confirm", ops::order_confirm, input)?;
    let mut order: Order = confirmed.order;
    j.totals.order_before_tax = order.totals.total_before_tax;
    j.totals.order_advance_due = order.advance_due;
    j.say(format!(
        "order {} (PO {}): {} line(s), {} before tax, advance due {}, approval {:?}",
        order.id,
        order.po_number.as_deref().unwrap_or("-"),
        order.lines.len(),
        order.totals.total_before_tax,
        order.advance_due,
        order_approval.instance.status
    ));

    // 5. Allocation, reserved in the ledger and recorded on the order.
    j.heading("5. Allocation");
    let mut input = with(
        script.input("allocate")?,
        vec![
            ("warehouses", data["warehouses"].clone()),
            ("stock", data["stock"].clone()),
        ],
    );
    documents::allocation_request(&mut input["request"], &order, distributor, &catalog)?;
    let allocation: AllocationOutcome = j.call("allocate", "allocate", ops::allocate, input)?;
    let plan = allocation.plan;
    for s in &plan.shipments {
        j.say(format!(
            "from {}: {} line(s), {} kg",
            s.warehouse_id,
            s.lines.len(),
            s.weight_kg.round_dp(1)
        ));
    }
    j.say(format!("backordered: {} line(s)", plan.backorders.len()));
    let input = json!({
        "ledger": {"stock": data["stock"], "reservations": []},
        "order_id": order.id,
        "requests": documents::reservation_requests(&plan),
    });
    let mut ledger: LedgerState = j.call(
        "ledger_reserve",
        "ledger_reserve",
        ops::ledger_reserve,
        input,
    )?;
    let input = json!({"order": order, "plan": plan});
    order = j.call(
        "order_apply_plan",
        "order_apply_plan",
        ops::order_apply_plan,
        input,
    )?;
    j.say(format!("{} reservation(s) held", ledger.reservations.len()));

    // 6. Shipments: picked, packed, dispatched; each dispatch consumes its
    // reservations and is recorded on the order.
    j.heading("6. Shipments");
    let mut input = with(
        script.input("ship")?,
        vec![
            ("plan", to_value(&plan)?),
            ("warehouses", data["warehouses"].clone()),
        ],
    );
    input["ship_to"] = documents::ship_to(distributor);
    input["from_order"] =
        json!({"order": to_value(&order)?, "products": documents::ship_products(&order, &catalog)});
    let bundles: b2b_oms::fulfilment::ops::ShipOutput = j.call("ship", "ship", ops::ship, input)?;
    let scripted = script
        .field("shipment_transition", "shipments")?
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut shipments: Vec<Shipment> = Vec::new();
    for bundle in &bundles.shipments {
        let mut shipment = bundle.shipment.clone();
        let eway = &bundle.documents.eway_bill;
        j.say(format!(
            "{} from {}: e-way bill {} (value {})",
            shipment.id,
            shipment.warehouse_id,
            if eway.required {
                "required"
            } else {
                "not required"
            },
            eway.consignment_value
        ));
        let commands = scripted
            .iter()
            .find(|s| s["shipment_id"] == json!(shipment.id))
            .and_then(|s| s["commands"].as_array().cloned())
            .ok_or_else(|| {
                missing(&format!(
                    "steps.shipment_transition.shipments[{}]",
                    shipment.id
                ))
            })?;
        for command in commands {
            let input = json!({"shipment": shipment, "command": command});
            let name = format!(
                "shipment_transition {} {}",
                shipment.id,
                command["type"].as_str().unwrap_or("?")
            );
            let t: ShipmentTransition = j.call(
                &name,
                "shipment_transition",
                ops::shipment_transition,
                input,
            )?;
            if !t.consume.is_empty() {
                let input = json!({"ledger": ledger, "order_id": order.id, "requests": t.consume});
                ledger = j.call(
                    "ledger_consume",
                    "ledger_consume",
                    ops::ledger_consume,
                    input,
                )?;
            }
            shipment = t.shipment;
        }
        let input = json!({"order": order, "shipment": shipment});
        order = j.call(
            "order_apply_dispatch",
            "order_apply_dispatch",
            ops::order_apply_dispatch,
            input,
        )?;
        j.say(format!(
            "  dispatched; order {} is {:?}",
            order.id,
            order.status()
        ));
        shipments.push(shipment);
    }

    // 7. One GST invoice per shipment, built from the order by the core
    // (locked prices, order discount, terms, batches); each result's order
    // has the invoiced quantities recorded and is the next call's order.
    j.heading("7. Invoices");
    let seller = &data["seller"];
    let warehouses = &data["warehouses"];
    let mut documents_issued: Vec<(Invoice, Value)> = Vec::new();
    let from_order = |base: Value,
                      order: &Order,
                      shipment: &Shipment,
                      issued: &[(Invoice, Value)]|
     -> Result<Value, HostError> {
        let numbers: Vec<&str> = issued.iter().map(|(i, _)| i.number.as_str()).collect();
        Ok(with(
            base,
            vec![
                ("order", to_value(order)?),
                ("customer", to_value(distributor)?),
                (
                    "seller",
                    documents::seller_party(seller, warehouses, shipment)?,
                ),
                ("shipments", json!([shipment])),
                ("issued_numbers", json!(numbers)),
            ],
        ))
    };
    for scripted in script
        .field("invoice", "invoices")?
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let shipment = find_shipment(&shipments, &scripted["shipment_id"])?;
        let input = from_order(
            scripted["input"].clone(),
            &order,
            shipment,
            &documents_issued,
        )?;
        let name = format!("invoice {}", input["number"].as_str().unwrap_or("?"));
        let made: InvoiceFromOrder =
            j.call(&name, "invoice_from_order", ops::invoice_from_order, input)?;
        order = made.order;
        say_document(&mut j, &made.invoice);
        documents_issued.push((made.invoice, json!({"invoice": made.request})));
    }
    // Invoicing a shipment again is refused: the order records it invoiced.
    let shipment = find_shipment(&shipments, script.field("invoice_again", "shipment_id")?)?;
    let input = from_order(
        script.input("invoice_again")?,
        &order,
        shipment,
        &documents_issued,
    )?;
    let expect = script.text("invoice_again", "expect_error")?;
    let refused = j.refused(
        "invoice_again",
        "invoice_from_order",
        ops::invoice_from_order,
        input,
        &expect,
    )?;
    j.say(format!(
        "invoicing {} again: refused, {}",
        shipment.id, refused.code
    ));

    // 8. A credit note for returned goods.
    j.heading("8. Credit note");
    let original_number = script.text("credit_note", "original")?;
    let original = documents_issued
        .iter()
        .map(|(i, _)| i)
        .find(|i| i.number == original_number)
        .cloned()
        .ok_or_else(|| missing("steps.credit_note.original"))?;
    let returned = script.field("credit_note", "returned")?;
    let doc = documents::credit_note(
        script.input("credit_note")?["invoice"].clone(),
        &original,
        returned,
        Decimal::ZERO,
    )?;
    let input = json!({"invoice": doc});
    let note: Invoice = j.call(
        "credit_note",
        "credit_note",
        ops::credit_note,
        input.clone(),
    )?;
    say_document(&mut j, &note);
    let returned = script.field("credit_note_again", "returned")?;
    let doc = documents::credit_note(
        script.input("credit_note_again")?["invoice"].clone(),
        &original,
        returned,
        note.totals.taxable_value,
    )?;
    let expect = script.text("credit_note_again", "expect_error")?;
    let refused = j.refused(
        "credit_note_again",
        "credit_note",
        ops::credit_note,
        json!({"invoice": doc}),
        &expect,
    )?;
    j.say(format!(
        "crediting the whole line again: refused, {}",
        refused.code
    ));
    documents_issued.push((note, input));

    // 9. An export invoice under LUT.
    j.heading("9. Export invoice");
    let input = with(
        script.input("export_price_order")?,
        vec![
            ("catalog", catalog_doc),
            ("price_book", book_doc),
            ("customer", to_value(exporter)?),
        ],
    );
    // The book is compiled already: price with it, and record the document
    // that replays the step.
    let request = from_value(input["request"].clone())?;
    let export_order = ops::price_order_with(&book, exporter, &request)?;
    j.steps.push(Step {
        name: "export_price_order".into(),
        operation: "price_order",
        input,
        output: to_value(&export_order),
    });
    j.totals.priced_orders.push((
        export_order.order_id.clone().unwrap_or_default(),
        export_order.total_before_tax,
    ));
    j.say(format!(
        "{}: total before tax {} {}",
        export_order.order_id.as_deref().unwrap_or("?"),
        export_order.currency,
        export_order.total_before_tax
    ));
    let seller_state = script.text("export_invoice", "seller_state")?;
    let doc = documents::export_invoice(
        script.input("export_invoice")?["invoice"].clone(),
        seller,
        &seller_state,
        exporter,
        &export_order,
    )?;
    let input = json!({"invoice": doc});
    let export: Invoice = j.call("export_invoice", "invoice", ops::invoice, input.clone())?;
    say_document(&mut j, &export);
    if let Some(fc) = &export.export {
        j.say(format!(
            "  in {}: {}",
            fc.details.currency, fc.total_foreign
        ));
    }
    documents_issued.push((export, input));

    // 10. E-invoices: the same invoice documents through `host::call`, the
    // JSON-text entry point every binding uses.
    j.heading("10. E-invoices");
    for (inv, input) in &documents_issued {
        let report = j.call_json(
            &format!("einvoice {}", inv.number),
            "einvoice",
            input.clone(),
        )?;
        j.say(format!(
            "{}: {} item(s), total value {}",
            inv.number,
            report["einvoice"]["ItemList"]
                .as_array()
                .map_or(0, Vec::len),
            report["einvoice"]["ValDtls"]["TotInvVal"]
        ));
    }
    j.totals.documents = documents_issued
        .iter()
        .map(|(inv, _)| DocumentTotals {
            number: inv.number.clone(),
            taxable: inv.totals.taxable_value,
            tax: inv.totals.cgst + inv.totals.sgst + inv.totals.igst,
            round_off: inv.totals.round_off,
            grand_total: inv.totals.grand_total,
        })
        .collect();
    Ok(j)
}

fn find_shipment<'a>(shipments: &'a [Shipment], id: &Value) -> Result<&'a Shipment, HostError> {
    shipments
        .iter()
        .find(|s| json!(s.id) == *id)
        .ok_or_else(|| missing(&format!("a shipment {id}")))
}

fn say_document(j: &mut Journey, inv: &Invoice) {
    let t = &inv.totals;
    j.say(format!(
        "{} {} ({}): taxable {}, CGST {} + SGST {} + IGST {}, round-off {}, total {}",
        inv.title,
        inv.number,
        inv.date,
        t.taxable_value,
        t.cgst,
        t.sgst,
        t.igst,
        t.round_off,
        t.grand_total
    ));
}
