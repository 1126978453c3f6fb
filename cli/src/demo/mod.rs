//! The inquiry-to-invoice demo on an embedded dataset: a fictional Indian
//! manufacturer with warehouses in two states, four buyer segments, about
//! thirty skus with HSN codes, tiered and customer-specific prices and a
//! few rules. Each journey step is printed the way a person would read it.

use std::fmt::Write as _;
use std::sync::Arc;

use std::path::Path;

use b2b_oms::approval::ApprovalPolicyDefinition;
use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::{
    Classification, ClassificationPolicy, Classifier, Customer, Inquiry, QuoteRequestDraft,
};
use b2b_oms::inventory::{StockSnapshot, Warehouse};
use b2b_oms::json::{from_json, to_json_pretty};
use b2b_oms::pricing::{
    FloorStatus, LineKind, PriceBook, PriceBookDefinition, PriceRequest, PricedOrder,
    QuantityStatus,
};
use b2b_oms::ErrorCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod deal;
mod inputs;
mod journey;

const DATASET: &str = include_str!("../../../examples/data/dataset.json");

#[derive(Deserialize)]
struct DemoOrder {
    customer_id: String,
    request: PriceRequest,
}

#[derive(Deserialize)]
struct Dataset {
    seller: journey::Seller,
    warehouses: Vec<Warehouse>,
    stock: StockSnapshot,
    catalog: Vec<Product>,
    price_book: PriceBookDefinition,
    classification_policy: ClassificationPolicy,
    approval_policy: ApprovalPolicyDefinition,
    customers: Vec<Customer>,
    inquiries: Vec<Inquiry>,
    orders: Vec<DemoOrder>,
}

/// What the demo computed, for `--json`.
#[derive(Serialize)]
struct DemoResult {
    classifications: Vec<Classification>,
    quote_requests: Vec<QuoteRequestDraft>,
    priced_orders: Vec<PricedOrder>,
    deal: Option<deal::DealResult>,
    journey: Option<journey::JourneyResult>,
}

/// Writes the input document of every step of the demo's journey into
/// `dir` (see [`inputs`]) and lists the files.
pub fn write_inputs(dir: &Path) -> Result<(), String> {
    for file in inputs::write(DATASET, dir)? {
        println!("{}", file.display());
    }
    Ok(())
}

/// Runs the demo and prints it (text, or JSON with `json`); e-invoice JSON
/// files go to `folder`.
pub fn run(json: bool, folder: &Path) -> Result<(), String> {
    let data: Dataset = from_json(DATASET).map_err(|e| e.to_string())?;
    let catalog = Arc::new(Catalog::new(data.catalog.clone()).map_err(|e| e.to_string())?);
    let book = PriceBook::compile(data.price_book.clone(), Arc::clone(&catalog))
        .map_err(|e| e.to_string())?;
    let classifier =
        Classifier::compile(data.classification_policy.clone()).map_err(|e| e.to_string())?;

    let mut out = String::new();
    let mut result = DemoResult {
        classifications: Vec::new(),
        quote_requests: Vec::new(),
        priced_orders: Vec::new(),
        deal: None,
        journey: None,
    };
    let registrations: Vec<String> = data
        .seller
        .registrations
        .iter()
        .map(|(state, gstin)| format!("{gstin} (state {state})"))
        .collect();
    heading(&mut out, &format!("b2b-oms demo — {}", data.seller.name));
    let _ = writeln!(
        out,
        "{}. GSTINs {}.",
        capitalise(&data.seller.about),
        registrations.join(", ")
    );
    let warehouses: Vec<String> = data
        .warehouses
        .iter()
        .map(|w| {
            format!(
                "{} ({}, state {})",
                w.id,
                w.address.city.as_deref().unwrap_or(""),
                w.address.state_code
            )
        })
        .collect();
    let _ = writeln!(out, "Warehouses: {}.", warehouses.join(", "));
    let _ = writeln!(
        out,
        "Catalog: {} skus. Price book {} v{}: {} price lists, {} line rules, {} order rules, {} shipping rules.",
        catalog.len(),
        data.price_book.id,
        data.price_book.version,
        data.price_book.price_lists.len(),
        book.rule_count(),
        data.price_book.order_rules.len(),
        data.price_book.shipping_rules.len()
    );

    section(&mut out, "1. Inquiries are classified into segments");
    for inquiry in &data.inquiries {
        let c = classifier.classify(inquiry).map_err(|e| e.to_string())?;
        let _ = writeln!(
            out,
            "Inquiry {} from {} ({}{}, source {}):",
            inquiry.id,
            inquiry.company,
            inquiry.country,
            inquiry
                .gstin
                .as_ref()
                .map(|g| format!(", GSTIN {g}"))
                .unwrap_or_default(),
            name_of(&inquiry.source)
        );
        let _ = writeln!(out, "  \"{}\"", inquiry.requirement);
        let _ = writeln!(
            out,
            "  → segment {}{} — {}",
            c.segment,
            c.price_list
                .as_ref()
                .map(|l| format!(", price list {l}"))
                .unwrap_or_default(),
            c.reason
        );
        let prospect = Customer::prospect(inquiry, &c).map_err(|e| e.to_string())?;
        let draft = inquiry.quote_request(&catalog, &prospect);
        let _ = writeln!(
            out,
            "  Quote request: {} line(s) ready to price",
            draft.lines.len()
        );
        for l in &draft.lines {
            let _ = writeln!(
                out,
                "    {} × {} {}{}",
                l.sku,
                l.quantity,
                l.unit.as_deref().unwrap_or("(base unit)"),
                l.target_price
                    .map(|t| format!(", buyer's target {t}"))
                    .unwrap_or_default()
            );
        }
        for u in &draft.unmatched {
            let _ = writeln!(
                out,
                "    for a sales rep: \"{}\" — {}",
                u.description, u.reason
            );
        }
        result.classifications.push(c);
        result.quote_requests.push(draft);
    }

    section(&mut out, "2. Quote-ready prices for two buyers");
    for order in &data.orders {
        let customer = data
            .customers
            .iter()
            .find(|c| c.id == order.customer_id)
            .ok_or_else(|| format!("the dataset has no customer {}", order.customer_id))?;
        let priced = book
            .price_order(customer, &order.request)
            .map_err(|e| e.info().to_string())?;
        print_order(&mut out, customer, &priced);
        result.priced_orders.push(priced);
    }

    let find = |id: &str| {
        data.customers
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| format!("the dataset has no customer {id}"))
    };
    let distributor = find("CUST-SGD")?;
    let exporter = find("CUST-NORDIC")?;
    let request = data
        .orders
        .iter()
        .find(|o| o.customer_id == distributor.id)
        .map(|o| &o.request)
        .ok_or("the dataset has no order of the distributor")?;
    let deal = deal::run(
        &mut out,
        &book,
        distributor,
        request,
        data.approval_policy.clone(),
    )?;
    let export_request: PriceRequest = from_json(
        r#"{"order_id": "EXP-2026-0031", "currency": "USD", "channel": "sales_rep", "priced_at": "2026-11-26T11:30:00+05:30",
            "lines": [{"line_id": "1", "sku": "TEE-EXPORT-ORG", "quantity": "300", "unit": "BOX"}]}"#,
    )
    .map_err(|e| e.to_string())?;
    let export_order = book
        .price_order(exporter, &export_request)
        .map_err(|e| e.info().to_string())?;
    let journey = journey::run(
        &mut out,
        &data.seller,
        &data.warehouses,
        &data.stock,
        &catalog,
        distributor,
        &deal.order,
        exporter,
        &export_order,
        folder,
    )?;
    result.priced_orders.push(export_order);
    result.deal = Some(deal);
    result.journey = Some(journey);

    if json {
        print!("{}", to_json_pretty(&result).map_err(|e| e.to_string())?);
    } else {
        print!("{out}");
    }
    Ok(())
}

/// A per-unit price for reading: four decimals at most, two at least.
fn price(d: Decimal) -> String {
    let mut n = d.round_dp(4).normalize();
    if n.scale() < 2 {
        n.rescale(2);
    }
    n.to_string()
}

fn name_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(crate) fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
}

pub(crate) fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}\n{}", "-".repeat(title.chars().count()));
}

/// Indian digit grouping: 1234567.8 → 12,34,567.80 (two decimals).
pub fn inr(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut groups = Vec::new();
    let (head, last3) = int.split_at(int.len().saturating_sub(3));
    let mut rest = head;
    while rest.len() > 2 {
        let (h, t) = rest.split_at(rest.len() - 2);
        groups.push(t);
        rest = h;
    }
    if !rest.is_empty() {
        groups.push(rest);
    }
    groups.reverse();
    groups.push(last3);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}₹{}.{frac}", groups.join(","))
}

fn print_order(out: &mut String, customer: &Customer, o: &PricedOrder) {
    let _ = writeln!(
        out,
        "\n{} — {} ({}, state {}), via {}, priced {}",
        o.order_id.as_deref().unwrap_or("order"),
        customer.legal_name,
        o.segment,
        customer.default_ship_to().state_code,
        name_of(&o.channel),
        o.priced_at.format("%-d %b %Y %H:%M %:z")
    );
    for line in &o.lines {
        match &line.kind {
            LineKind::Free { rule_id, .. } => {
                let _ = writeln!(
                    out,
                    "  + {:<15} {:>6} {:<4} free ({rule_id})",
                    line.sku, line.quantity, line.unit
                );
                continue;
            }
            LineKind::Sale => {}
        }
        let _ = writeln!(
            out,
            "  {:<3}{:<15} {:>6} {:<4} at {:>10}/{:<4} = {:>14}",
            line.line_id.as_deref().unwrap_or(""),
            line.sku,
            line.quantity,
            line.unit,
            inr(line.net_unit_price),
            line.unit,
            inr(line.amount)
        );
        if let Some(b) = &line.base_price {
            let source = match (b.tier_min_qty, b.quoted_price) {
                (Some(min), Some(q)) => format!(
                    "tier from {} {}: {}/{}",
                    min, line.base_unit, q, b.quoted_unit
                ),
                (None, Some(q)) => format!("{}/{}", q, b.quoted_unit),
                _ => format!(
                    "graduated bands summing to {}",
                    b.band_sum
                        .map(|s| s.round_dp(2).to_string())
                        .unwrap_or_default()
                ),
            };
            let derived = b
                .entry_list_id
                .as_ref()
                .map(|e| format!(", derived from {e}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "       base {} per {} from list {}{} ({source})",
                price(b.price_per_base_unit),
                line.base_unit,
                b.list_id,
                derived
            );
            for s in b.lists_skipped.iter() {
                let _ = writeln!(out, "         list {} passed over: {}", s.list_id, s.reason);
            }
        }
        for a in &line.adjustments {
            let lost = if a.lost.is_empty() {
                String::new()
            } else if let Some(group) = &a.exclusive_group {
                let l: Vec<String> = a
                    .lost
                    .iter()
                    .map(|t| format!("{} would give {}", t.label, price(t.price)))
                    .collect();
                format!("; best in group {group}: {}", l.join(", "))
            } else {
                let l: Vec<String> = a
                    .lost
                    .iter()
                    .map(|t| format!("{} would give {}", t.label, price(t.price)))
                    .collect();
                format!("; {}", l.join(", "))
            };
            let _ = writeln!(
                out,
                "       {:<18} {:<40} {} → {}{lost}",
                a.rule_id,
                a.effect.to_string(),
                price(a.price_before),
                price(a.price_after)
            );
        }
        if let QuantityStatus::Adjusted { from, to, .. } = &line.quantity_status {
            let _ = writeln!(
                out,
                "       quantity raised from {from} to {to} {} (MOQ/multiple)",
                line.base_unit
            );
        }
        match &line.floor {
            FloorStatus::BelowFloor { floor, gap } => {
                let _ = writeln!(out, "       BELOW FLOOR {floor} by {gap}: needs approval");
            }
            FloorStatus::Clamped { floor, .. } => {
                let _ = writeln!(out, "       raised to floor {floor}");
            }
            FloorStatus::Ok => {}
        }
        for h in &line.hints {
            let _ = writeln!(out, "       hint: {}", h.message);
        }
    }
    for e in &o.errors {
        let _ = writeln!(
            out,
            "  ! line {} {}: {} at {}: {}",
            e.line_id.as_deref().unwrap_or("?"),
            e.sku,
            e.code,
            e.field,
            e.message
        );
    }
    let _ = writeln!(out, "  {:<44} {:>14}", "Subtotal", inr(o.subtotal));
    for d in &o.order_discounts {
        let _ = writeln!(
            out,
            "  {:<44} {:>14}",
            format!("{} ({})", d.rule_id, d.description),
            inr(-d.amount)
        );
    }
    if let Some(s) = &o.shipping {
        let _ = writeln!(
            out,
            "  {:<44} {:>14}",
            format!(
                "Shipping {} to state {} ({})",
                s.rule_id, s.destination_state, s.description
            ),
            inr(s.amount)
        );
    }
    let _ = writeln!(
        out,
        "  {:<44} {:>14}",
        "Total before tax",
        inr(o.total_before_tax)
    );
    for h in &o.hints {
        let _ = writeln!(out, "  hint: {}", h.message);
    }
    let _ = writeln!(
        out,
        "  {}",
        if o.all_priced {
            "Every line priced: ready to quote.".to_owned()
        } else {
            format!("{} line(s) need attention before quoting.", o.errors.len())
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_grouping() {
        assert_eq!(inr("12345678.9".parse().unwrap()), "₹1,23,45,678.90");
        assert_eq!(inr("115302".parse().unwrap()), "₹1,15,302.00");
        assert_eq!(inr("999".parse().unwrap()), "₹999.00");
        assert_eq!(inr("-1000".parse().unwrap()), "-₹1,000.00");
    }

    #[test]
    fn demo_dataset_loads_and_runs() {
        let folder = std::env::temp_dir().join(format!("b2b-oms-demo-test-{}", std::process::id()));
        run(true, &folder).unwrap();
        assert!(folder.join("INV-26-27-00001.json").is_file());
    }
}
