//! Fixtures shared by the integration tests: the worked example of the
//! pricing specification, written as JSON the way a host would store it.
#![allow(dead_code)]

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PriceRequest};
use rust_decimal::Decimal;
use serde_json::{json, Value};

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn products() -> Value {
    json!([
        {"sku": "TSHIRT-M", "name": "Cotton T-shirt M", "hsn": "61091000", "gst_rate_class": "GST5",
         "base_unit": "NOS", "alt_units": [{"unit": "BOX", "factor": "12"}, {"unit": "CTN", "factor": "10", "of": "BOX"}],
         "category": "apparel/tshirts/cotton", "brand": "Kora", "product_group": "TSHIRT",
         "cost": {"amount": "150.00", "currency": "INR"}, "weight_kg": "0.2"},
        {"sku": "TSHIRT-L", "name": "Cotton T-shirt L", "hsn": "61091000", "gst_rate_class": "GST5",
         "base_unit": "NOS", "category": "apparel/tshirts/cotton", "brand": "Kora", "product_group": "TSHIRT"},
        {"sku": "CAP", "name": "Cap", "hsn": "65050090", "gst_rate_class": "GST5", "base_unit": "NOS",
         "category": "apparel/caps", "brand": "Kora"},
        {"sku": "BOLT", "name": "Hex bolt", "hsn": "73181500", "gst_rate_class": "GST18", "base_unit": "NOS",
         "category": "hardware/fasteners", "constraints": {"moq": "100", "order_multiple": "50", "max_quantity": "10000"},
         "constraint_overrides": [{"segment": "distributor", "moq": "500"}]},
        {"sku": "SECRET", "name": "Export-only item", "hsn": "7318", "gst_rate_class": "GST18", "base_unit": "NOS",
         "category": "hardware", "visibility": {"segments": ["exporter"]}}
    ])
}

pub fn catalog() -> Arc<Catalog> {
    let products: Vec<Product> = serde_json::from_value(products()).unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

/// The price book of the worked example in pricing.md, plus a graduated
/// entry and a few extras the other tests use.
pub fn book_json() -> Value {
    json!({
        "id": "main", "version": "2026-11", "currency": "INR",
        "price_lists": [
            {"id": "default", "currency": "INR", "entries": [
                {"sku": "TSHIRT-M", "tiers": [{"min_qty": "1", "price": "250.00"}, {"min_qty": "100", "price": "230.00"}, {"min_qty": "500", "price": "210.00"}]},
                {"sku": "CAP", "price": "120.00"},
                {"sku": "BOLT", "tier_mode": "graduated", "tiers": [{"min_qty": "1", "price": "10.00"}, {"min_qty": "50", "price": "9.00"}, {"min_qty": "100", "price": "8.00"}]}
            ]},
            {"id": "distributor", "currency": "INR", "entries": [
                {"sku": "TSHIRT-M", "tiers": [{"min_qty": "200", "price": "215.00"}, {"min_qty": "1000", "price": "195.00"}]}
            ]}
        ],
        "default_price_lists": ["default"],
        "segment_price_lists": {"distributor": ["distributor"]},
        "rules": [
            {"id": "R1", "priority": 10, "when": {"segments": ["distributor"], "categories": ["apparel"]}, "action": {"type": "percent_off", "percent": "5"}},
            {"id": "R2", "priority": 5, "when": {"skus": ["TSHIRT-M"], "min_qty": "300"}, "action": {"type": "percent_off", "percent": "2"}},
            {"id": "R3", "priority": 5, "exclusive_group": "festive", "when": {"skus": ["TSHIRT-M"]}, "action": {"type": "percent_off", "percent": "3"}},
            {"id": "R4", "priority": 4, "exclusive_group": "festive", "when": {"skus": ["TSHIRT-M"]}, "action": {"type": "amount_off", "amount": "8.00"}}
        ]
    })
}

pub fn book_from(def: Value) -> PriceBook {
    let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
    PriceBook::compile(def, catalog()).unwrap()
}

pub fn book() -> PriceBook {
    book_from(book_json())
}

pub fn customer(segment: &str) -> Customer {
    serde_json::from_value(json!({
        "id": format!("C-{segment}"), "legal_name": "Buyer Pvt Ltd", "segment": segment,
        "billing_address": {"city": "Pune", "state_code": "27", "pincode": "411001"}
    }))
    .unwrap()
}

pub fn request(lines: Value) -> PriceRequest {
    serde_json::from_value(json!({
        "currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30", "lines": lines
    }))
    .unwrap()
}

/// "Now" of the quote journey tests: 26 Nov 2026, 10:00 IST.
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00+05:30").unwrap()
}

/// A quote request line with an explicit line id, in the product's base unit.
pub fn line(id: &str, sku: &str, qty: &str) -> b2b_oms::quote::QuoteRequestLine {
    b2b_oms::quote::QuoteRequestLine {
        line_id: Some(id.into()),
        sku: sku.into(),
        quantity: d(qty),
        unit: None,
        target_price: None,
        notes: String::new(),
    }
}
