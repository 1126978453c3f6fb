//! Issue 17 item 7: the pricing defects found by differential testing
//! against the specification, each as its minimal reproduction.

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PriceRequest, PricedOrder};
use serde_json::{json, Value};

/// Product A (no product group, base unit NOS, 1 BOX = 3 NOS).
fn catalog() -> Arc<Catalog> {
    let products: Vec<Product> = serde_json::from_value(json!([
        {"sku": "A", "name": "Item A", "hsn": "61091000", "gst_rate_class": "GST5",
         "base_unit": "NOS", "alt_units": [{"unit": "BOX", "factor": "3"}],
         "category": "misc"}
    ]))
    .unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

/// A book in `currency` with one list holding `entry` for A, plus `extra`
/// (rules, order rules, settings) merged in.
fn book(currency: &str, entry: Value, extra: Value) -> PriceBook {
    let mut def = json!({
        "id": "b", "version": "1", "currency": currency,
        "price_lists": [{"id": "default", "currency": currency, "entries": [entry]}],
        "default_price_lists": ["default"],
    });
    if let (Some(d), Some(e)) = (def.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            d.insert(k.clone(), v.clone());
        }
    }
    let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
    PriceBook::compile(def, catalog()).unwrap()
}

fn retail_chain() -> Customer {
    serde_json::from_value(json!({
        "id": "C1", "legal_name": "Buyer Pvt Ltd", "segment": "retail_chain",
        "billing_address": {"city": "Pune", "state_code": "27", "pincode": "411001"}
    }))
    .unwrap()
}

fn price(b: &PriceBook, currency: &str, lines: Value) -> PricedOrder {
    let r: PriceRequest = serde_json::from_value(json!({
        "currency": currency, "channel": "portal",
        "priced_at": "2026-11-26T10:00:00+05:30", "lines": lines
    }))
    .unwrap();
    b.price_order(&retail_chain(), &r).unwrap()
}

fn amounts(o: &PricedOrder) -> Vec<String> {
    o.lines.iter().map(|l| l.amount.to_string()).collect()
}

/// "A product without a group counts alone": its own lines summed, as
/// `order_sku` does — two lines of 60 reach the 100 tier.
#[test]
fn order_group_basis_without_a_group_sums_the_products_own_lines() {
    let b = book(
        "INR",
        json!({"sku": "A", "quantity_basis": "order_group",
               "tiers": [{"min_qty": "1", "price": "10.00"}, {"min_qty": "100", "price": "8.00"}]}),
        json!({}),
    );
    let o = price(
        &b,
        "INR",
        json!([{"sku": "A", "quantity": "60"}, {"sku": "A", "quantity": "60"}]),
    );
    assert_eq!(amounts(&o), ["480.00", "480.00"]);
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(base.tier_quantity.to_string(), "120");
}

/// Nothing is rounded during pricing but the shares spread over lines:
/// 10.03 × 0.97 × 0.98 = 9.533514 → 9.53 (rounding each step gave 9.54).
#[test]
fn stacked_order_discounts_are_rounded_once() {
    let b = book(
        "INR",
        json!({"sku": "A", "price": "10.03"}),
        json!({"order_rules": [
            {"id": "O1", "priority": 2, "action": {"type": "percent_off", "percent": "3"}},
            {"id": "O2", "priority": 1, "action": {"type": "percent_off", "percent": "2"}}
        ]}),
    );
    let o = price(&b, "INR", json!([{"sku": "A", "quantity": "1"}]));
    assert_eq!(o.subtotal.to_string(), "10.03");
    assert_eq!(o.order_discount_total.to_string(), "0.50");
    assert_eq!(o.total_before_tax.to_string(), "9.53");
    assert_eq!(o.lines[0].order_discount_share.to_string(), "0.50");
    assert_eq!(o.lines[0].taxable_amount.to_string(), "9.53");
    // The steps show the exact figures they compound.
    let steps: Vec<(String, String)> = o
        .order_discounts
        .iter()
        .map(|s| (s.amount.to_string(), s.after.to_string()))
        .collect();
    assert_eq!(
        steps,
        [
            ("0.3009".to_owned(), "9.7291".to_owned()),
            ("0.194582".to_owned(), "9.534518".to_owned())
        ]
    );
}
