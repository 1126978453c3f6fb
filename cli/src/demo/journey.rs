//! The demo's second half: the distributor's order is allocated to the two
//! warehouses, shipped in two parts, and invoiced per shipment under GST
//! (CGST+SGST from the warehouse in the buyer's state, IGST from the other),
//! with a credit note for a return, an export invoice under LUT, and the
//! e-invoice JSON of every document written to a folder.
//!
//! Everything here is glue a host would write: it turns the library's
//! priced order into allocation, shipment and invoice inputs.

use std::fmt::Write as _;
use std::path::Path;

use b2b_oms::catalog::Catalog;
use b2b_oms::customer::{Address, Customer};
use b2b_oms::fulfilment::{self, AllocationOutcome, Shipment, ShipmentCommand};
use b2b_oms::inventory::{ReservationLedger, StockSnapshot, Warehouse};
use b2b_oms::invoice::{
    self, einvoice_json, to_einvoice, Invoice, InvoiceFromOrderInput, InvoiceInput,
};
use b2b_oms::json::from_value;
use b2b_oms::order::{Order, OrderItem};
use b2b_oms::pricing::PricedOrder;
use b2b_oms::tax::RateTable;
use b2b_oms::ErrorCode;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{inr, section};

/// The seller: one GST registration per state it ships from.
#[derive(Deserialize)]
pub struct Seller {
    pub name: String,
    pub about: String,
    pub registrations: std::collections::BTreeMap<String, String>,
    pub address: Address,
    pub lut: String,
}

/// What the journey produced, for `--json`.
#[derive(serde::Serialize)]
pub struct JourneyResult {
    pub allocation: AllocationOutcome,
    pub order: Order,
    pub shipments: Vec<Shipment>,
    pub invoices: Vec<Invoice>,
}

fn err<E: ErrorCode>(e: E) -> String {
    e.info().to_string()
}

fn invoice_address(a: &Address) -> Value {
    json!({
        "line1": a.lines.first().cloned().unwrap_or_default(),
        "line2": a.lines.get(1),
        "city": a.city,
        "state_code": a.state_code,
        "pin": a.pincode,
        "country": (a.country != "IN").then_some(&a.country),
    })
}

fn buyer_party(c: &Customer) -> Value {
    json!({"legal_name": c.legal_name, "gstin": c.gstin, "address": invoice_address(&c.billing_address)})
}

/// Runs the journey for `order` (the distributor's priced order) and the
/// exporter's order, printing each step into `out`.
#[allow(clippy::too_many_arguments)]
pub fn run(
    out: &mut String,
    seller: &Seller,
    warehouses: &[Warehouse],
    stock: &StockSnapshot,
    catalog: &Catalog,
    customer: &Customer,
    order: &Order,
    exporter: &Customer,
    export_order: &PricedOrder,
    folder: &Path,
) -> Result<JourneyResult, String> {
    let mut order = order.clone();
    let order_id = order.id.clone();
    let base_qty = |l: &OrderItem| l.ordered * l.unit_factor;
    let ship_to = customer.default_ship_to();

    // 5. Allocation.
    section(out, "5. The order is allocated to the warehouses");
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|l| {
            let product = catalog.get(&l.sku);
            json!({
                "line_id": l.line_id,
                "sku": l.sku,
                "quantity": base_qty(l),
                "category_path": product.map(|p| p.product.category.split('/').map(str::to_owned).collect::<Vec<_>>()).unwrap_or_default(),
                "weight_per_unit_kg": product.and_then(|p| p.product.weight_kg).unwrap_or_default(),
            })
        })
        .collect();
    let input = json!({
        "request": {
            "order_id": order_id, "customer_id": customer.id, "segment": customer.segment,
            "destination": {"state_code": ship_to.state_code, "pincode": ship_to.pincode},
            "delivery": fulfilment::orders::allocation_delivery(&order),
            "lines": lines, "order_value": order.totals.total_before_tax,
            "min_remaining_shelf_life_days": 120
        },
        "warehouses": warehouses, "stock": stock, "strategy": "fewest_shipments",
        "today": "2026-11-27", "planned_at": "2026-11-27T09:30:00Z"
    });
    let allocation = fulfilment::ops::allocate(from_value(input).map_err(err)?).map_err(err)?;
    let plan = &allocation.plan;
    // Reserve the plan in the ledger and record it on the order: both or neither.
    let ledger = ReservationLedger::new(stock).map_err(err)?;
    order = fulfilment::orders::reserve_plan(&order, plan, &ledger).map_err(err)?;
    for s in &plan.shipments {
        let _ = writeln!(
            out,
            "Shipment from {} ({} kg):",
            s.warehouse_id,
            s.weight_kg.round_dp(1)
        );
        for l in &s.lines {
            let batches: Vec<String> = l
                .batches
                .iter()
                .map(|b| {
                    let expiry = b
                        .expiry_date
                        .map(|d| format!(", expires {d}"))
                        .unwrap_or_default();
                    format!("{} × {}{expiry}", b.batch_id, b.quantity)
                })
                .collect();
            let _ = writeln!(
                out,
                "  line {:<8} {:<12} {:>6}   batches {}",
                l.line_id,
                l.sku,
                l.quantity,
                batches.join("; ")
            );
        }
    }
    for b in &plan.backorders {
        let _ = writeln!(
            out,
            "Backordered: line {} {} × {} ({})",
            b.line_id, b.sku, b.quantity, b.reason
        );
    }
    for r in plan
        .explanation
        .reasons
        .iter()
        .chain(&plan.explanation.tie_breaks)
    {
        let _ = writeln!(out, "  why: {r}");
    }
    for s in &plan.explanation.skipped_batches {
        let _ = writeln!(
            out,
            "  batch passed over: {}",
            serde_json::to_string(s).unwrap_or_default()
        );
    }

    // 6. Shipments: picking, packing, dispatch (two parts, two days).
    section(out, "6. Part shipments are picked, packed and dispatched");
    // The lines' values come from the order's locked prices (after its
    // discount), so the e-way bill values are what the invoices bill.
    let products = b2b_oms_example_journey::documents::ship_products(&order, catalog);
    let ids: Vec<String> = (1..=plan.shipments.len())
        .map(|i| format!("SHP-{order_id}-{i}"))
        .collect();
    let ship_input = json!({
        "plan": plan, "warehouses": warehouses,
        "ship_to": {"name": customer.legal_name, "address": {"lines": ship_to.lines, "city": ship_to.city, "state_code": ship_to.state_code, "pincode": ship_to.pincode, "gstin": customer.gstin}},
        "from_order": {"order": order, "products": products}, "purpose": "sale", "shipment_ids": ids
    });
    let bundles = fulfilment::ops::ship(from_value(ship_input).map_err(err)?).map_err(err)?;
    let mut shipments = Vec::new();
    for (n, bundle) in bundles.shipments.iter().enumerate() {
        let s = &bundle.shipment;
        let _ = writeln!(
            out,
            "{} from {}: picking list (by bin)",
            s.id, s.warehouse_id
        );
        for p in &bundle.picking_list {
            let _ = writeln!(
                out,
                "  bin {:<7} {:<12} batch {:<8} × {}",
                p.bin.as_deref().unwrap_or("-"),
                p.sku,
                p.batch_id,
                p.quantity
            );
        }
        let e = &bundle.documents.eway_bill;
        let _ = writeln!(
            out,
            "  e-way bill {}: consignment value {} against threshold {} ({})",
            if e.required {
                "REQUIRED"
            } else {
                "not required"
            },
            inr(e.consignment_value),
            inr(e.threshold),
            e.reason
        );
        let day = if n == 0 { "27" } else { "28" };
        let contents: Vec<Value> = s
            .lines
            .iter()
            .map(|l| json!({"line_id": l.line_id, "quantity": l.quantity}))
            .collect();
        let commands = [
            json!({"type": "confirm_picked", "at": format!("2026-11-{day}T10:00:00Z")}),
            json!({"type": "pack", "at": format!("2026-11-{day}T11:30:00Z"), "packages": [{"package_id": format!("{}-P1", s.id), "contents": contents}]}),
            json!({"type": "dispatch", "at": format!("2026-11-{day}T13:00:00Z"), "carrier": "Safexpress", "tracking_number": format!("SX{day}118{n}"),
                   "vehicle_number": if n == 0 { "KA52AB1234" } else { "MH14GH5678" }, "transport_mode": "road", "distance_km": if n == 0 { 38 } else { 842 }}),
        ];
        let mut current = s.clone();
        for c in commands {
            let command: ShipmentCommand = from_value(c).map_err(err)?;
            // Dispatch consumes the shipment's reservations.
            let t = current.apply_with_ledger(&command, &ledger).map_err(err)?;
            for ev in &t.events {
                let kind = serde_json::to_value(&ev.payload)
                    .ok()
                    .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  event #{} {kind} at {}",
                    ev.sequence,
                    ev.at.format("%-d %b %H:%M UTC")
                );
            }
            current = t.shipment;
        }
        order = fulfilment::orders::apply_dispatch(&order, &current).map_err(err)?;
        let _ = writeln!(out, "  order {} is now {:?}", order.id, order.status());
        shipments.push(current);
    }

    // 7. One invoice per shipment.
    section(out, "7. One GST invoice per shipment");
    let rates = RateTable::india_default();
    let mut invoices = Vec::new();
    for (n, s) in shipments.iter().enumerate() {
        let wh = warehouses
            .iter()
            .find(|w| w.id == s.warehouse_id)
            .ok_or("unknown warehouse")?;
        let gstin = seller
            .registrations
            .get(&wh.address.state_code)
            .ok_or("no registration in the warehouse's state")?;
        let input = json!({
            "order": order, "customer": customer, "shipments": [s],
            "number": format!("INV/26-27/{:05}", n + 1), "date": if n == 0 { "2026-11-27" } else { "2026-11-28" },
            "seller": {"legal_name": seller.name, "gstin": gstin, "address": {"line1": wh.address.lines.first(), "city": wh.address.city, "state_code": wh.address.state_code, "pin": wh.address.pincode}},
            "issued_numbers": invoices.iter().map(|i: &Invoice| i.number.clone()).collect::<Vec<_>>(),
            "settings": {"round_off": true}
        });
        let input: InvoiceFromOrderInput = from_value(input).map_err(err)?;
        let made = invoice::invoice_from_order(&input).map_err(err)?;
        order = made.order;
        let inv = made.invoice;
        print_invoice(out, &inv, &s.id);
        invoices.push(inv);
    }
    // Invoicing a shipment twice is refused: the order records its lines
    // invoiced.
    if let (Some(s), Some(first)) = (shipments.first(), invoices.first()) {
        let input = json!({
            "order": order, "customer": customer, "shipments": [s],
            "number": "INV/26-27/00099", "date": "2026-11-30", "seller": first.seller,
            "issued_numbers": invoices.iter().map(|i| i.number.clone()).collect::<Vec<_>>(),
            "settings": {"round_off": true}
        });
        let input: InvoiceFromOrderInput = from_value(input).map_err(err)?;
        match invoice::invoice_from_order(&input) {
            Ok(_) => return Err(format!("shipment {} could be invoiced twice", s.id)),
            Err(e) => {
                let _ = writeln!(out, "Invoicing {} again is refused: {}", s.id, e.info());
            }
        }
    }

    // 8. A credit note for a return.
    section(out, "8. A credit note for returned goods");
    if let Some(first) = invoices.first() {
        let returned = first
            .lines
            .iter()
            .position(|l| l.description.contains("glove"))
            .unwrap_or(0);
        let l = first.lines.get(returned).ok_or("empty invoice")?;
        let back = Decimal::from(5).min(l.quantity);
        // The return is credited at the original line's taxable value per
        // unit (after its line and order discounts), with its rates and cess.
        let per_unit = if l.quantity.is_zero() {
            Decimal::ZERO
        } else {
            (l.taxable_value / l.quantity).round_dp(6)
        };
        let credit = |number: &str, qty: Decimal, credited: Decimal| -> Result<Invoice, String> {
            let original_lines: Vec<Value> = first
                .lines
                .iter()
                .enumerate()
                .map(|(k, o)| {
                    let per = |amount: Decimal| if o.quantity.is_zero() { Decimal::ZERO } else { (amount / o.quantity).normalize() };
                    json!({"hsn": o.hsn, "gst_rate": o.notified_rate, "kind": o.kind, "taxable_value": o.taxable_value,
                           "cess": {"ad_valorem": o.cess_rate, "per_unit": per(o.cess_non_advol),
                                    "state_ad_valorem": o.state_cess_rate, "state_per_unit": per(o.state_cess_non_advol)},
                           "already_credited": if k == returned { credited } else { Decimal::ZERO }})
                })
                .collect();
            let input = json!({
                "document_type": "credit_note", "number": number, "date": "2026-12-02",
                "seller": first.seller, "buyer": first.buyer, "settings": {"round_off": true},
                "lines": [{"description": format!("Return: {}", l.description), "hsn": l.hsn, "quantity": qty, "uqc": l.uqc,
                           "unit_price": per_unit, "amount": (l.taxable_value * qty / l.quantity).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero), "original_line": returned}],
                "original": {"number": first.number, "date": first.date, "lines": original_lines}
            });
            let input: InvoiceInput = from_value(input).map_err(err)?;
            invoice::compute_invoice(&input, &rates).map_err(err)
        };
        let note = credit("CRN/26-27/00001", back, Decimal::ZERO)?;
        let _ = writeln!(
            out,
            "{} returned {} {} of \"{}\" from {} at its invoiced taxable value {} per {}:",
            note.number,
            back,
            l.uqc,
            l.description,
            first.number,
            per_unit.normalize(),
            l.uqc
        );
        print_totals(out, &note);
        // Crediting the whole line again is refused: part of it is credited.
        let credited = note.totals.taxable_value;
        match credit("CRN/26-27/00002", l.quantity, credited) {
            Ok(_) => return Err("a credit note could credit more than was invoiced".into()),
            Err(e) => {
                let _ = writeln!(
                    out,
                    "  a second note for all {} {} is refused: {e}",
                    l.quantity, l.uqc
                );
            }
        }
        invoices.push(note);
    }

    // 9. An export invoice under LUT.
    section(out, "9. An export invoice under LUT (zero-rated)");
    let export_lines: Vec<Value> = export_order
        .lines
        .iter()
        .map(|l| json!({"description": l.name, "hsn": l.hsn, "quantity": l.quantity, "uqc": l.unit, "unit_price": l.net_unit_price, "rate_class": l.gst_rate_class}))
        .collect();
    let pune = seller
        .registrations
        .get("27")
        .ok_or("no registration in 27")?;
    let input = json!({
        "number": "EXP/26-27/00001", "date": "2026-11-30",
        "seller": {"legal_name": seller.name, "gstin": pune, "address": invoice_address(&seller.address)},
        "buyer": buyer_party(exporter), "recipient_category": "overseas", "zero_rated_mode": "under_lut",
        "export": {"currency": export_order.currency, "exchange_rate": "84.35", "port_code": "INNSA1", "shipping_bill_no": "7788123", "shipping_bill_date": "2026-11-29", "country_code": exporter.billing_address.country},
        "lines": export_lines, "settings": {"round_off": false}
    });
    let input: InvoiceInput = from_value(input).map_err(err)?;
    let export = invoice::compute_invoice(&input, &rates).map_err(err)?;
    print_invoice(out, &export, "export");
    if let Some(fc) = &export.export {
        let d = &fc.details;
        let _ = writeln!(
            out,
            "  in {}: {} {} at ₹{} per {} | port {}, shipping bill {} of {}, to {}",
            d.currency,
            d.currency,
            invoice::format_indian(fc.total_foreign, 2).map_err(err)?,
            d.exchange_rate,
            d.currency,
            d.port_code.as_deref().unwrap_or("-"),
            d.shipping_bill_no.as_deref().unwrap_or("-"),
            d.shipping_bill_date
                .map(|x| x.to_string())
                .unwrap_or_default(),
            d.country_code
        );
        let _ = writeln!(out, "  in words: {}", fc.total_foreign_in_words);
    }
    let _ = writeln!(out, "  LUT {} on file", seller.lut);
    invoices.push(export);

    // 10. E-invoice JSON files.
    section(out, "10. E-invoice (INV-01 v1.1) request JSON");
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    for inv in &invoices {
        let payload = to_einvoice(inv, &rates).map_err(err)?;
        let text = einvoice_json(&payload).map_err(err)?;
        let file = folder.join(format!("{}.json", inv.number.replace('/', "-")));
        std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        let _ = writeln!(
            out,
            "  {} ({}, {}) → {}",
            inv.number,
            inv.title,
            inv.regime.supply_type.code(),
            file.display()
        );
    }
    Ok(JourneyResult {
        allocation,
        order: order.clone(),
        shipments,
        invoices,
    })
}

fn print_totals(out: &mut String, inv: &Invoice) {
    let t = &inv.totals;
    let mut heads = Vec::new();
    if !t.cgst.is_zero() || !t.sgst.is_zero() {
        heads.push(format!("CGST {} + SGST {}", inr(t.cgst), inr(t.sgst)));
    }
    if !t.igst.is_zero() {
        heads.push(format!("IGST {}", inr(t.igst)));
    }
    if heads.is_empty() {
        heads.push("no tax".into());
    }
    let _ = writeln!(
        out,
        "  taxable {} | {} | round-off {} | total {}",
        inr(t.taxable_value),
        heads.join(" | "),
        t.round_off,
        inr(t.grand_total)
    );
    let _ = writeln!(out, "  in words: {}", inv.amount_in_words);
}

/// A price with at least two decimals (`0.00`, `1816.46`, `3389.1830`).
fn price(p: Decimal) -> String {
    if p.scale() < 2 {
        let mut p = p;
        p.rescale(2);
        p.to_string()
    } else {
        p.to_string()
    }
}

fn print_invoice(out: &mut String, inv: &Invoice, shipment: &str) {
    let _ = writeln!(
        out,
        "{} {} dated {} for {} — {} → {}, place of supply {}",
        inv.title,
        inv.number,
        inv.date,
        shipment,
        inv.seller.gstin.as_deref().unwrap_or("-"),
        inv.buyer.gstin.as_deref().unwrap_or("unregistered"),
        inv.place_of_supply,
    );
    let _ = writeln!(out, "  tax: {}", inv.regime.reasons.join("; "));
    for l in &inv.lines {
        // Gross, then what the order discount (and any charge) makes of it.
        let mut amounts = inr(l.gross);
        if !l.discount.is_zero() {
            let _ = write!(amounts, " − {} discount", inr(l.discount));
        }
        if !l.charges.is_zero() {
            let _ = write!(amounts, " + {} charges", inr(l.charges));
        }
        if !l.discount.is_zero() || !l.charges.is_zero() {
            let _ = write!(amounts, " = {} taxable", inr(l.taxable_value));
        }
        let _ = writeln!(
            out,
            "  {:>2}. {:<38} {:>8} {:>7} {:<3} × {:>9} = {}  @{}%",
            l.sl_no,
            l.description.chars().take(38).collect::<String>(),
            l.hsn,
            l.quantity,
            l.uqc,
            price(l.unit_price),
            amounts,
            l.gst_rate.normalize()
        );
    }
    let _ = writeln!(out, "  HSN summary:");
    for h in &inv.hsn_summary {
        let _ = writeln!(
            out,
            "    {:<8} {:>4}% {:<3} qty {:>7}  taxable {:>13}  tax {:>11}",
            h.hsn,
            h.gst_rate.normalize(),
            h.uqc,
            h.quantity,
            inr(h.taxable_value),
            inr(h.cgst + h.sgst + h.igst)
        );
    }
    for e in &inv.endorsements {
        let _ = writeln!(out, "  endorsement: {e}");
    }
    for d in &inv.due_dates {
        let what = if d.advance {
            "advance, due on ordering"
        } else {
            "due"
        };
        let _ = writeln!(
            out,
            "  {what} {}: {} ({}%)",
            d.date,
            inr(d.amount),
            d.percent.normalize()
        );
    }
    print_totals(out, inv);
}
