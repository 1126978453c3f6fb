//! Prices in another currency (issue 21 item 13): a list in another
//! currency prices a sku no list prices in the order's currency, at the
//! request's exchange rate, converted once and rounded to the order
//! currency's minor units.

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::error::ErrorCode;
use b2b_oms::pricing::{PriceBook, PriceRequest, PricedOrder, PricingError};
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn catalog() -> Arc<Catalog> {
    let products: Vec<Product> = serde_json::from_value(json!([
        {"sku": "GLOVE", "name": "Nitrile glove", "hsn": "40151900", "gst_rate_class": "GST12",
         "base_unit": "NOS", "alt_units": [{"unit": "BOX", "factor": "12"}], "category": "safety/gloves"},
        {"sku": "MASK", "name": "Mask", "hsn": "63079090", "gst_rate_class": "GST5",
         "base_unit": "NOS", "category": "safety/masks"}
    ]))
    .unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

/// INR list prices MASK only; the USD list prices GLOVE (tiers) and MASK;
/// the EUR list GLOVE per BOX. A 5 % rule on GLOVE.
fn book(rules: Value) -> PriceBook {
    let def = json!({
        "id": "fx", "version": "1", "currency": "INR",
        "price_lists": [
            {"id": "inr", "currency": "INR", "entries": [{"sku": "MASK", "price": "10.00"}]},
            {"id": "usd", "currency": "USD", "entries": [
                {"sku": "GLOVE", "tiers": [{"min_qty": "1", "price": "1.20"}, {"min_qty": "100", "price": "1.00"}]},
                {"sku": "MASK", "price": "0.50"}
            ]},
            {"id": "eur", "currency": "EUR", "entries": [{"sku": "GLOVE", "unit": "BOX", "price": "13.00"}]}
        ],
        "default_price_lists": ["inr", "usd", "eur"],
        "rules": rules
    });
    PriceBook::compile(serde_json::from_value(def).unwrap(), catalog()).unwrap()
}

fn buyer() -> Customer {
    serde_json::from_value(json!({
        "id": "C1", "legal_name": "Buyer Pvt Ltd", "segment": "retail_chain",
        "billing_address": {"city": "Pune", "state_code": "27", "pincode": "411001"}
    }))
    .unwrap()
}

fn request(currency: &str, lines: Value, rates: Value) -> Result<PriceRequest, serde_json::Error> {
    serde_json::from_value(json!({
        "currency": currency, "channel": "portal", "priced_at": "2026-12-01T10:00:00+05:30",
        "lines": lines, "exchange_rates": rates
    }))
}

fn usd_inr() -> Value {
    json!([{"from": "USD", "to": "INR", "rate": "83.2150", "as_of": "2026-11-30"}])
}

fn price(
    book: &PriceBook,
    currency: &str,
    lines: Value,
    rates: Value,
) -> Result<PricedOrder, PricingError> {
    book.price_order(&buyer(), &request(currency, lines, rates).unwrap())
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// 1.20 USD × 83.2150 = 99.858 → ₹99.86 (INR, 2 decimals); the 5 % rule
/// then runs in rupees: 94.867 → 94.87. The explanation shows the rate
/// and its date. Before: `NO_PRICE` whatever the request said (and the
/// field `exchange_rates` was refused as unknown).
#[test]
fn a_usd_list_prices_an_inr_order_at_the_rate() {
    let b = book(
        json!([{"id": "R", "when": {"skus": ["GLOVE"]}, "action": {"type": "percent_off", "percent": "5"}}]),
    );
    let o = price(
        &b,
        "INR",
        json!([{"sku": "GLOVE", "quantity": "10"}]),
        usd_inr(),
    )
    .unwrap();
    assert!(o.all_priced, "{:?}", o.errors);
    let l = &o.lines[0];
    let base = l.base_price.as_ref().unwrap();
    assert_eq!(base.list_id, "usd");
    assert_eq!(base.price_per_base_unit, d("99.86"));
    let skipped: Vec<String> = base
        .lists_skipped
        .iter()
        .map(|s| format!("{} ({})", s.list_id, s.reason))
        .collect();
    assert_eq!(skipped, ["inr (no entry for the sku)"]);
    let c = base.conversion.as_ref().unwrap();
    assert_eq!(
        (c.from.as_str(), c.rate, c.as_of.to_string()),
        ("USD", d("83.2150"), "2026-11-30".to_owned())
    );
    assert_eq!((c.list_price, c.converted_price), (d("1.20"), d("99.86")));
    assert_eq!(l.net_unit_price, d("94.87"));
    assert_eq!(l.amount, d("948.70"));
    let v = serde_json::to_value(&o).unwrap();
    assert_eq!(v["lines"][0]["base_price"]["conversion"]["rate"], "83.2150");
    assert_eq!(
        v["lines"][0]["base_price"]["conversion"]["as_of"],
        "2026-11-30"
    );
}

/// The tier is chosen on the list's own tiers, then converted: 100 reach
/// 1.00 USD → 83.215 → 83.22 (half-up).
#[test]
fn tiers_are_chosen_then_converted() {
    let o = price(
        &book(json!([])),
        "INR",
        json!([{"sku": "GLOVE", "quantity": "100"}]),
        usd_inr(),
    )
    .unwrap();
    assert_eq!(o.lines[0].net_unit_price, d("83.22"));
    assert_eq!(o.lines[0].amount, d("8322.00"));
}

/// JPY has no minor units: 1.20 × 150.555 = 180.666 → ¥181.
#[test]
fn a_jpy_order_rounds_to_whole_yen() {
    let rates = json!([{"from": "USD", "to": "JPY", "rate": "150.555", "as_of": "2026-12-01"}]);
    let o = price(
        &book(json!([])),
        "JPY",
        json!([{"sku": "GLOVE", "quantity": "3"}]),
        rates,
    )
    .unwrap();
    let l = &o.lines[0];
    assert_eq!(l.base_price.as_ref().unwrap().price_per_base_unit, d("181"));
    assert_eq!(l.amount, d("543"));
    assert_eq!(o.total_before_tax, d("543"));
}

/// A list per BOX is converted per BOX (13.00 EUR × 90.1 = 1171.30 per
/// BOX, 97.608333… per NOS), in chain order after the INR list: with only
/// a EUR rate the EUR list prices GLOVE.
#[test]
fn the_chain_order_picks_the_list_among_currencies() {
    let rates = json!([{"from": "EUR", "to": "INR", "rate": "90.1", "as_of": "2026-11-30"}]);
    let o = price(
        &book(json!([])),
        "INR",
        json!([{"sku": "GLOVE", "quantity": "1", "unit": "BOX"}]),
        rates,
    )
    .unwrap();
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(base.list_id, "eur");
    assert_eq!(base.quoted_price, Some(d("1171.30")));
    assert_eq!(o.lines[0].net_unit_price, d("1171.30"));
    // With both rates the USD list comes first in the chain.
    let both = json!([{"from": "EUR", "to": "INR", "rate": "90.1", "as_of": "2026-11-30"},
                      {"from": "USD", "to": "INR", "rate": "83.2150", "as_of": "2026-11-30"}]);
    let o = price(
        &book(json!([])),
        "INR",
        json!([{"sku": "GLOVE", "quantity": "1", "unit": "BOX"}]),
        both,
    )
    .unwrap();
    assert_eq!(o.lines[0].base_price.as_ref().unwrap().list_id, "usd");
    assert_eq!(o.lines[0].net_unit_price, d("1198.32"));
}

/// A list in the order's currency wins over a converted one.
#[test]
fn the_order_currency_list_wins() {
    let o = price(
        &book(json!([])),
        "INR",
        json!([{"sku": "MASK", "quantity": "1"}]),
        usd_inr(),
    )
    .unwrap();
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(
        (base.list_id.as_str(), base.conversion.is_none()),
        ("inr", true)
    );
    assert_eq!(o.lines[0].net_unit_price, d("10.00"));
}

/// Without rates (or without one for the list's currency) the line has
/// no price, as before.
#[test]
fn without_rates_no_price_stands() {
    for rates in [
        json!([]),
        json!([{"from": "GBP", "to": "INR", "rate": "105", "as_of": "2026-11-30"}]),
    ] {
        let o = price(
            &book(json!([])),
            "INR",
            json!([{"sku": "GLOVE", "quantity": "10"}]),
            rates,
        )
        .unwrap();
        assert!(!o.all_priced);
        assert_eq!(o.errors[0].code, "NO_PRICE");
    }
}

/// Bad rates are refused before any line is priced, at their path.
#[test]
fn bad_rates_are_typed_errors_at_their_path() {
    let line = json!([{"sku": "GLOVE", "quantity": "1"}]);
    let cases = [
        (
            json!({"from": "USD", "to": "INR", "rate": "0", "as_of": "2026-11-30"}),
            "exchange_rates[0].rate",
        ),
        (
            json!({"from": "USD", "to": "INR", "rate": "-83.2", "as_of": "2026-11-30"}),
            "exchange_rates[0].rate",
        ),
        (
            json!({"from": "USD", "to": "INR", "rate": "83.21500000001", "as_of": "2026-11-30"}),
            "exchange_rates[0].rate",
        ),
        (
            json!({"from": "USD", "to": "INR", "rate": "1e2", "as_of": "2026-11-30"}),
            "exchange_rates[0].rate",
        ),
        (
            json!({"from": "USD", "to": "EUR", "rate": "0.9", "as_of": "2026-11-30"}),
            "exchange_rates[0].to",
        ),
        (
            json!({"from": "INR", "to": "INR", "rate": "1", "as_of": "2026-11-30"}),
            "exchange_rates[0].from",
        ),
        (
            json!({"from": "USD", "to": "INR", "rate": "83.2", "as_of": "2026-12-02"}),
            "exchange_rates[0].as_of",
        ),
    ];
    for (rate, field) in cases {
        let e = price(&book(json!([])), "INR", line.clone(), json!([rate])).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_EXCHANGE_RATE", Some(field)),
            "{rate}: {e}"
        );
    }
    let twice = json!([{"from": "USD", "to": "INR", "rate": "83.2", "as_of": "2026-11-30"},
                       {"from": "USD", "to": "INR", "rate": "83.3", "as_of": "2026-11-30"}]);
    let e = price(&book(json!([])), "INR", line.clone(), twice).unwrap_err();
    assert_eq!(e.field(), Some("exchange_rates[1].from"));
    let unknown = json!([{"from": "XYZ", "to": "INR", "rate": "1", "as_of": "2026-11-30"}]);
    let e = price(&book(json!([])), "INR", line.clone(), unknown).unwrap_err();
    assert_eq!(e.field(), Some("exchange_rates[0].from"), "{e}");
    // A float and an unknown field are refused when the request is read.
    assert!(request(
        "INR",
        line.clone(),
        json!([{"from": "USD", "to": "INR", "rate": 83.2, "as_of": "2026-11-30"}])
    )
    .is_err());
    let e = request("INR", line, json!([{"from": "USD", "to": "INR", "rate": "83.2", "as_of": "2026-11-30", "source": "RBI"}])).unwrap_err();
    assert!(e.to_string().contains("unknown field `source`"), "{e}");
}

/// A converted line's rule hints are checked like any line's: pricing 5
/// more converts again and applies the rule, so the hint stays.
#[test]
fn a_converted_line_keeps_its_true_rule_hints() {
    let b = book(
        json!([{"id": "VOL", "when": {"skus": ["GLOVE"], "min_qty": "15"}, "action": {"type": "percent_off", "percent": "5"}}]),
    );
    let o = price(
        &b,
        "INR",
        json!([{"sku": "GLOVE", "quantity": "10"}]),
        usd_inr(),
    )
    .unwrap();
    let messages: Vec<&str> = o.lines[0]
        .hints
        .iter()
        .map(|h| h.message.as_str())
        .collect();
    assert_eq!(messages, ["order 5 more to reach VOL"]);
}
