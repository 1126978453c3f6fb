//! The documents a host builds from earlier outputs: the glue between
//! steps. Each function follows the rule journey.json states in its step's
//! `derive`, so that a program in another language builds the same
//! documents.

use b2b_oms::catalog::Catalog;
use b2b_oms::customer::Customer;
use b2b_oms::fulfilment::{AllocationPlan, Shipment};
use b2b_oms::host::HostError;
use b2b_oms::invoice::Invoice;
use b2b_oms::json::from_value;
use b2b_oms::order::Order;
use b2b_oms::pricing::PricedOrder;
use b2b_oms::quote::QuoteRevision;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};

fn invalid(field: &str, message: String) -> HostError {
    HostError::new("INVALID_FIELD", Some(field.to_owned()), message)
}

/// The buyer's copy of a revision with one line's unit price altered, as
/// `tamper` (`{line_id, unit_price}`) says.
pub fn tampered(revision: &QuoteRevision, tamper: &Value) -> Result<Value, HostError> {
    let mut presented = serde_json::to_value(revision)
        .map_err(|e| HostError::internal(format!("cannot write the revision: {e}")))?;
    let lines = presented["lines"].as_array_mut();
    let line = lines
        .and_then(|ls| ls.iter_mut().find(|l| l["line_id"] == tamper["line_id"]))
        .ok_or_else(|| invalid("tamper.line_id", format!("no line {}", tamper["line_id"])))?;
    line["unit_price"] = tamper["unit_price"].clone();
    Ok(presented)
}

/// Fills the allocation request of the order: ids, destination, delivery,
/// value and one line per order line in base units with the product's
/// category path and weight.
pub fn allocation_request(
    request: &mut Value,
    order: &Order,
    customer: &Customer,
    catalog: &Catalog,
) -> Result<(), HostError> {
    let ship_to = customer.default_ship_to();
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|l| {
            let product = catalog.get(&l.sku).map(|p| &p.product);
            json!({
                "line_id": l.line_id,
                "sku": l.sku,
                "quantity": l.ordered * l.unit_factor,
                "category_path": product.map(|p| p.category.split('/').collect::<Vec<_>>()).unwrap_or_default(),
                "weight_per_unit_kg": product.and_then(|p| p.weight_kg).unwrap_or_default(),
            })
        })
        .collect();
    let Value::Object(map) = request else {
        return Err(invalid("allocate.request", "not an object".into()));
    };
    let fields = [
        ("order_id", json!(order.id)),
        ("customer_id", json!(customer.id)),
        ("segment", json!(customer.segment)),
        (
            "destination",
            json!({"state_code": ship_to.state_code, "pincode": ship_to.pincode}),
        ),
        (
            "delivery",
            json!({"ship_complete": order.delivery.ship_complete,
                   "allow_partial_shipments": !order.delivery.ship_complete}),
        ),
        ("lines", json!(lines)),
        ("order_value", json!(order.totals.total_before_tax)),
    ];
    for (k, v) in fields {
        map.insert(k.to_owned(), v);
    }
    Ok(())
}

/// The reservations a plan needs: one per batch of each shipment line.
pub fn reservation_requests(plan: &AllocationPlan) -> Value {
    let mut out = Vec::new();
    for s in &plan.shipments {
        for l in &s.lines {
            for b in &l.batches {
                out.push(
                    json!({"line_id": l.line_id, "warehouse_id": s.warehouse_id, "sku": l.sku,
                                "batch_id": b.batch_id, "quantity": b.quantity}),
                );
            }
        }
    }
    Value::Array(out)
}

/// The consignee of the shipments: the customer at its default ship-to.
pub fn ship_to(customer: &Customer) -> Value {
    let a = customer.default_ship_to();
    json!({"name": customer.legal_name,
           "address": {"lines": a.lines, "city": a.city, "state_code": a.state_code,
                       "pincode": a.pincode, "gstin": customer.gstin}})
}

/// The shipping data of the order's skus the order does not hold: the
/// base unit's UQC and the weight per base unit, one entry per sku. The
/// `ship` operation takes the rest of each line (description, HSN, GST
/// rate, value after the order discount) from the order itself.
pub fn ship_products(order: &Order, catalog: &Catalog) -> Value {
    let mut products: Vec<Value> = Vec::new();
    for l in &order.lines {
        if products.iter().any(|p| p["sku"] == l.sku.as_str()) {
            continue;
        }
        let product = catalog.get(&l.sku);
        products.push(json!({
            "sku": l.sku,
            "uqc": product.map(|p| p.units.base().to_owned()).unwrap_or_default(),
            "weight_per_unit_kg": product.and_then(|p| p.product.weight_kg).unwrap_or_default(),
        }));
    }
    Value::Array(products)
}

/// An address document (`{lines, city, state_code, pincode, country?}`:
/// a customer's, the seller's or a warehouse's) as an invoice party's
/// address.
fn invoice_address(a: &Value) -> Value {
    let mut v = json!({
        "line1": a["lines"].get(0).cloned().unwrap_or_else(|| json!("")),
        "city": a["city"], "state_code": a["state_code"], "pin": a["pincode"],
    });
    if let Some(l2) = a["lines"].get(1) {
        v["line2"] = l2.clone();
    }
    if let Some(country) = a["country"].as_str().filter(|c| *c != "IN") {
        v["country"] = json!(country);
    }
    v
}

/// A customer as the invoice's buyer (its billing address).
fn buyer_party(c: &Customer) -> Value {
    let address = serde_json::to_value(&c.billing_address).unwrap_or_default();
    json!({"legal_name": c.legal_name, "gstin": c.gstin, "address": invoice_address(&address)})
}

/// The seller of a shipment's invoice: dataset.seller's name, its
/// registration in the state of the warehouse the shipment leaves from, and
/// that warehouse's address as an invoice address.
pub fn seller_party(
    seller: &Value,
    warehouses: &Value,
    shipment: &Shipment,
) -> Result<Value, HostError> {
    let warehouse = warehouses
        .as_array()
        .and_then(|ws| ws.iter().find(|w| w["id"] == json!(shipment.warehouse_id)))
        .ok_or_else(|| {
            invalid(
                "shipment.warehouse_id",
                format!("no warehouse {}", shipment.warehouse_id),
            )
        })?;
    let address = &warehouse["address"];
    let state = address["state_code"].as_str().unwrap_or_default();
    let gstin = &seller["registrations"][state];
    if !gstin.is_string() {
        return Err(invalid(
            "seller.registrations",
            format!("no registration in state {state}"),
        ));
    }
    Ok(json!({"legal_name": seller["name"], "gstin": gstin, "address": invoice_address(address)}))
}

/// A credit note for goods returned from `original`: `returned` says which
/// line (`original_line`, its index) and how many (`quantity`); the return
/// is credited at the line's invoiced taxable value per unit, with its
/// rates and cess. `credited` is what earlier notes credited on that line.
pub fn credit_note(
    mut base: Value,
    original: &Invoice,
    returned: &Value,
    credited: Decimal,
) -> Result<Value, HostError> {
    let index = returned["original_line"].as_u64().unwrap_or(u64::MAX);
    let k = usize::try_from(index).unwrap_or(usize::MAX);
    let l = original.lines.get(k).ok_or_else(|| {
        invalid(
            "returned.original_line",
            format!("the invoice has no line {index}"),
        )
    })?;
    let quantity: Decimal = from_value(returned["quantity"].clone())?;
    let per = |amount: Decimal, q: Decimal| {
        if q.is_zero() {
            Decimal::ZERO
        } else {
            (amount / q).normalize()
        }
    };
    let per_unit = if l.quantity.is_zero() {
        Decimal::ZERO
    } else {
        (l.taxable_value / l.quantity).round_dp(6)
    };
    let original_lines: Vec<Value> = original
        .lines
        .iter()
        .enumerate()
        .map(|(i, o)| {
            json!({"hsn": o.hsn, "gst_rate": o.notified_rate, "kind": o.kind, "taxable_value": o.taxable_value,
                   "cess": {"ad_valorem": o.cess_rate, "per_unit": per(o.cess_non_advol, o.quantity),
                            "state_ad_valorem": o.state_cess_rate, "state_per_unit": per(o.state_cess_non_advol, o.quantity)},
                   "already_credited": if i == k { credited } else { Decimal::ZERO }})
        })
        .collect();
    let amount = if l.quantity.is_zero() {
        Decimal::ZERO
    } else {
        (l.taxable_value * quantity / l.quantity)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    };
    base["seller"] = json!(original.seller);
    base["buyer"] = json!(original.buyer);
    base["lines"] = json!([{"description": format!("Return: {}", l.description), "hsn": l.hsn,
                            "quantity": quantity, "uqc": l.uqc, "unit_price": per_unit,
                            "amount": amount, "original_line": k}]);
    base["original"] =
        json!({"number": original.number, "date": original.date, "lines": original_lines});
    Ok(base)
}

/// The export invoice of a priced export order: `base` (number, date,
/// zero-rating, export details, settings) with the seller's registration
/// in `state`, the overseas buyer and the priced lines.
pub fn export_invoice(
    mut base: Value,
    seller: &Value,
    state: &str,
    buyer: &Customer,
    order: &PricedOrder,
) -> Result<Value, HostError> {
    let gstin = &seller["registrations"][state];
    if !gstin.is_string() {
        return Err(invalid(
            "seller.registrations",
            format!("no registration in state {state}"),
        ));
    }
    let lines: Vec<Value> = order
        .lines
        .iter()
        .map(|l| {
            json!({"description": l.name, "hsn": l.hsn, "quantity": l.quantity, "uqc": l.unit,
                        "unit_price": l.net_unit_price, "rate_class": l.gst_rate_class})
        })
        .collect();
    base["seller"] = json!({"legal_name": seller["name"], "gstin": gstin, "address": invoice_address(&seller["address"])});
    base["buyer"] = buyer_party(buyer);
    base["export"]["currency"] = json!(order.currency);
    base["export"]["country_code"] = json!(buyer.billing_address.country);
    base["lines"] = json!(lines);
    Ok(base)
}
