//! What an ERPNext or Odoo user needs to carry their rules over (issue 21,
//! items 10–14): ignoring rules, markups, additive discounts, cumulative
//! quantities and prices from a list in another currency, each with
//! exact figures.

mod common;

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PriceRequest, PricingError};
use common::*;
use serde_json::{json, Value};

/// The catalog of the common fixtures, `CAP` with a floor of 110.00.
fn floored_catalog() -> Arc<Catalog> {
    let mut p = products();
    p[2]["floor_price"] = json!("110.00");
    let products: Vec<Product> = serde_json::from_value(p).unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

fn compile(def: Value, catalog: Arc<Catalog>) -> Result<PriceBook, PricingError> {
    let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
    PriceBook::compile(def, catalog)
}

fn compile_issues(def: Value) -> Vec<(String, String, String)> {
    match compile(def, catalog()) {
        Err(PricingError::InvalidPriceBook { issues }) => issues
            .into_iter()
            .map(|i| (i.code, i.field.unwrap_or_default(), i.message))
            .collect(),
        other => panic!("expected InvalidPriceBook, got {:?}", other.map(|_| ())),
    }
}

/// Prices `req` (a request document without currency, channel or instant,
/// which default to INR, portal and 26 Nov 2026 10:00 IST) and returns the
/// result as JSON.
fn price_with(book: &PriceBook, segment: &str, mut req: Value) -> Value {
    let defaults =
        json!({"currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30"});
    for (k, v) in defaults.as_object().unwrap() {
        if req.get(k).is_none() {
            req[k] = v.clone();
        }
    }
    let req: PriceRequest = serde_json::from_value(req).unwrap();
    let out = book.price_order(&customer(segment), &req).unwrap();
    serde_json::to_value(out).unwrap()
}

fn request_json_refused(req: Value) -> String {
    match serde_json::from_value::<PriceRequest>(req) {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    }
}

mod ignore_rules {
    use super::*;

    fn def() -> Value {
        let mut def = book_json();
        def["rules"] = json!([
            {"id": "CAP10", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "10"}}
        ]);
        def["order_rules"] = json!([
            {"id": "O5", "action": {"type": "percent_off", "percent": "5"}}
        ]);
        def
    }

    #[test]
    fn rules_apply_without_the_flag() {
        let book = compile(def(), floored_catalog()).unwrap();
        let out = price_with(
            &book,
            "retail",
            json!({"lines": [{"sku": "CAP", "quantity": "10"}]}),
        );
        assert_eq!(out["lines"][0]["net_unit_price"], "108.00");
        assert_eq!(out["lines"][0]["floor"]["status"], "below_floor");
        assert_eq!(out["order_discount_total"], "54.00");
        assert!(out.get("rules_ignored").is_none());
    }

    #[test]
    fn the_flag_prices_from_the_lists_alone_and_keeps_the_guards() {
        let book = compile(def(), floored_catalog()).unwrap();
        let out = price_with(
            &book,
            "retail",
            json!({"ignore_rules": true, "lines": [
                {"sku": "CAP", "quantity": "10"}, {"sku": "BOLT", "quantity": "10"}
            ]}),
        );
        let cap = &out["lines"][0];
        assert_eq!(cap["net_unit_price"], "120.00");
        assert_eq!(cap["amount"], "1200.00");
        assert!(cap.get("adjustments").is_none(), "{cap}");
        assert!(cap.get("hints").is_none(), "{cap}");
        // 120.00 is above the floor of 110.00: the floor was checked on
        // the list price.
        assert_eq!(cap["floor"]["status"], "ok");
        assert_eq!(out["order_discount_total"], "0.00");
        assert_eq!(out["total_before_tax"], "1200.00");
        assert_eq!(out["rules_ignored"], true);
        // Quantity constraints still apply: BOLT's MOQ is 100.
        assert_eq!(out["errors"][0]["code"], "BELOW_MOQ");
        assert_eq!(out["all_priced"], false);
    }
}
