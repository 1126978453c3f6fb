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

mod markups {
    use super::*;

    fn def(rules: Value) -> Value {
        let mut def = book_json();
        def["rules"] = rules;
        def
    }

    #[test]
    fn percent_up_and_amount_up_raise_the_running_price() {
        let book = compile(
            def(json!([
                {"id": "UP5", "priority": 3, "when": {"skus": ["CAP"]}, "action": {"type": "percent_up", "percent": "5"}},
                {"id": "OFF10", "priority": 2, "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "10"}},
                {"id": "FREIGHT", "priority": 1, "when": {"skus": ["CAP"]}, "action": {"type": "amount_up", "amount": "2.50"}}
            ])),
            catalog(),
        )
        .unwrap();
        let out = price_with(
            &book,
            "retail",
            json!({"lines": [{"sku": "CAP", "quantity": "10"}]}),
        );
        let l = &out["lines"][0];
        // 120.00 × 1.05 = 126.00; × 0.90 = 113.40; + 2.50 = 115.90.
        assert_eq!(l["net_unit_price"], "115.90");
        assert_eq!(l["amount"], "1159.00");
        let steps = l["adjustments"].as_array().unwrap();
        assert_eq!(
            steps[0]["effect"],
            json!({"type": "percent_up", "percent": "5"})
        );
        assert_eq!(steps[0]["price_before"], "120.00");
        assert_eq!(steps[0]["price_after"], "126.0000");
        assert_eq!(
            steps[2]["effect"],
            json!({"type": "amount_up", "amount": "2.50"})
        );
        assert_eq!(d(steps[2]["price_before"].as_str().unwrap()), d("113.40"));
        assert_eq!(d(steps[2]["price_after"].as_str().unwrap()), d("115.90"));
    }

    #[test]
    fn an_amount_up_applies_only_in_the_rule_currency() {
        let mut d = def(json!([
            {"id": "FREIGHT", "when": {"skus": ["CAP"]}, "action": {"type": "amount_up", "amount": "2.50"}}
        ]));
        d["price_lists"].as_array_mut().unwrap().push(
            json!({"id": "usd", "currency": "USD", "entries": [{"sku": "CAP", "price": "1.50"}]}),
        );
        d["default_price_lists"] = json!(["default", "usd"]);
        let book = compile(d, catalog()).unwrap();
        let out = price_with(
            &book,
            "retail",
            json!({"currency": "USD", "lines": [{"sku": "CAP", "quantity": "10"}]}),
        );
        assert_eq!(out["lines"][0]["net_unit_price"], "1.50");
    }

    #[test]
    fn negative_discounts_point_to_the_markups() {
        let issues = compile_issues(def(json!([
            {"id": "A", "action": {"type": "percent_off", "percent": "-5"}},
            {"id": "B", "action": {"type": "amount_off", "amount": "-5"}},
            {"id": "C", "action": {"type": "percent_up", "percent": "-5"}},
            {"id": "D", "action": {"type": "amount_up", "amount": "-1"}}
        ])));
        let got: Vec<(&str, &str)> = issues
            .iter()
            .map(|(c, f, _)| (c.as_str(), f.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("OUT_OF_RANGE", "rules[0].action.percent"),
                ("NEGATIVE", "rules[1].action.amount"),
                ("OUT_OF_RANGE", "rules[2].action.percent"),
                ("NEGATIVE", "rules[3].action.amount"),
            ]
        );
        assert!(issues[0].2.contains("percent_up"), "{}", issues[0].2);
        assert!(issues[1].2.contains("amount_up"), "{}", issues[1].2);
        assert!(issues[2].2.contains("percent_off"), "{}", issues[2].2);
    }
}

mod additive {
    use super::*;

    fn def(rules: Value) -> Value {
        let mut def = book_json();
        def["rules"] = rules;
        def
    }

    #[test]
    fn an_additive_group_sums_its_percentages_and_applies_once() {
        let book = compile(
            def(json!([
                {"id": "A10", "priority": 5, "additive_group": "erp", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "10"}},
                {"id": "B5", "priority": 3, "additive_group": "erp", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "5"}},
                {"id": "LATE", "priority": 1, "when": {"skus": ["CAP"]}, "action": {"type": "amount_off", "amount": "2.00"}}
            ])),
            catalog(),
        )
        .unwrap();
        let out = price_with(
            &book,
            "retail",
            json!({"lines": [{"sku": "CAP", "quantity": "10"}]}),
        );
        let l = &out["lines"][0];
        // 120.00 × (1 − 15/100) = 102.00 (compounding would give 102.60);
        // then 2.00 off → 100.00.
        assert_eq!(l["net_unit_price"], "100.00");
        let steps = l["adjustments"].as_array().unwrap();
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert_eq!(steps[0]["rule_id"], "erp");
        assert_eq!(
            steps[0]["effect"],
            json!({"type": "additive_percent_off", "percent": "15", "capped_at_100": false,
                   "members": [{"rule_id": "A10", "percent": "10"}, {"rule_id": "B5", "percent": "5"}]})
        );
        assert_eq!(d(steps[0]["price_after"].as_str().unwrap()), d("102.00"));
        assert_eq!(steps[1]["rule_id"], "LATE");
    }

    #[test]
    fn the_group_takes_the_place_of_its_highest_member_and_stops() {
        let book = compile(
            def(json!([
                {"id": "EARLY", "priority": 9, "when": {"skus": ["CAP"]}, "action": {"type": "amount_off", "amount": "20.00"}},
                {"id": "A10", "priority": 1, "additive_group": "erp", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "60"}},
                {"id": "B5", "priority": 7, "stop": true, "additive_group": "erp", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "50"}},
                {"id": "MID", "priority": 5, "when": {"skus": ["CAP"]}, "action": {"type": "amount_off", "amount": "1.00"}}
            ])),
            catalog(),
        )
        .unwrap();
        let out = price_with(
            &book,
            "retail",
            json!({"lines": [{"sku": "CAP", "quantity": "1"}]}),
        );
        let steps = out["lines"][0]["adjustments"].as_array().unwrap();
        // EARLY (9) → 100.00; the group at priority 7: 60 + 50 = 110,
        // capped at 100 → 0.00; B5 stops the chain before MID.
        let ids: Vec<&str> = steps
            .iter()
            .map(|s| s["rule_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["EARLY", "erp"]);
        assert_eq!(steps[1]["effect"]["percent"], "100");
        assert_eq!(steps[1]["effect"]["capped_at_100"], true);
        assert_eq!(steps[1]["stopped"], true);
        assert_eq!(out["lines"][0]["net_unit_price"], "0.00");
    }

    #[test]
    fn members_must_be_percent_off_and_not_exclusive() {
        let issues = compile_issues(def(json!([
            {"id": "A", "additive_group": "g", "action": {"type": "amount_off", "amount": "5"}},
            {"id": "B", "additive_group": "g", "exclusive_group": "x", "action": {"type": "percent_off", "percent": "5"}}
        ])));
        let got: Vec<(&str, &str)> = issues
            .iter()
            .map(|(c, f, _)| (c.as_str(), f.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ADDITIVE_NOT_PERCENT", "rules[0].action"),
                ("ADDITIVE_AND_EXCLUSIVE", "rules[1].additive_group"),
            ]
        );
    }
}

mod cumulative {
    use super::*;

    fn book_with(rules: Value) -> PriceBook {
        let mut def = book_json();
        def["rules"] = rules;
        compile(def, catalog()).unwrap()
    }

    fn vol(cumulative: bool) -> Value {
        json!([{"id": "VOL", "cumulative": cumulative, "when": {"skus": ["CAP"], "min_qty": "100",
                "valid_from": "2026-11-01T00:00:00+05:30"},
                "action": {"type": "percent_off", "percent": "10"}}])
    }

    fn cap_40(history: Value) -> Value {
        json!({"lines": [{"sku": "CAP", "quantity": "40"}], "purchase_history": history})
    }

    #[test]
    fn earlier_purchases_count_towards_the_window() {
        let book = book_with(vol(true));
        let history = json!([{"scope": "sku", "id": "CAP", "quantity": "70", "amount": "8400.00",
                              "from": "2026-11-01T00:00:00+05:30"}]);
        let out = price_with(&book, "retail", cap_40(history.clone()));
        let l = &out["lines"][0];
        // 70 earlier + 40 now = 110 ≥ 100: 120.00 − 10 % = 108.00.
        assert_eq!(l["net_unit_price"], "108.00");
        assert_eq!(
            l["cumulative"],
            json!([{"rule_id": "VOL", "history_quantity": "70", "order_quantity": "40",
                    "history_amount": "8400.00", "order_amount": "4800.00"}])
        );
        // Without the history, or for a rule that is not cumulative, 40 is
        // below the window.
        let alone = price_with(&book, "retail", cap_40(json!([])));
        assert_eq!(alone["lines"][0]["net_unit_price"], "120.00");
        let plain = price_with(&book_with(vol(false)), "retail", cap_40(history));
        assert_eq!(plain["lines"][0]["net_unit_price"], "120.00");
        assert!(plain["lines"][0].get("cumulative").is_none());
    }

    #[test]
    fn the_rule_total_comes_first_and_the_period_must_lie_in_the_rule_window() {
        let book = book_with(vol(true));
        // The rule's own total (50: 90 < 100) is taken before the sku's (70).
        let out = price_with(
            &book,
            "retail",
            cap_40(json!([
                {"scope": "rule", "id": "VOL", "quantity": "50", "from": "2026-11-01T00:00:00+05:30"},
                {"scope": "sku", "id": "CAP", "quantity": "70", "from": "2026-11-01T00:00:00+05:30"}
            ])),
        );
        assert_eq!(out["lines"][0]["net_unit_price"], "120.00");
        // A total whose period starts before the rule's valid_from is not counted.
        let early = price_with(
            &book,
            "retail",
            cap_40(
                json!([{"scope": "sku", "id": "CAP", "quantity": "70", "from": "2026-10-01T00:00:00+05:30"}]),
            ),
        );
        assert_eq!(early["lines"][0]["net_unit_price"], "120.00");
    }

    #[test]
    fn the_amount_window_counts_earlier_amounts() {
        let book = book_with(json!([{"id": "BIG", "cumulative": true,
            "when": {"skus": ["CAP"], "min_order_amount": "10000"},
            "action": {"type": "percent_off", "percent": "5"}}]));
        let out = price_with(
            &book,
            "retail",
            cap_40(
                json!([{"scope": "rule", "id": "BIG", "amount": "6000", "from": "2026-11-01T00:00:00+05:30"}]),
            ),
        );
        // 6000 earlier + 4800 now = 10800 ≥ 10000: 120.00 − 5 % = 114.00.
        assert_eq!(out["lines"][0]["net_unit_price"], "114.00");
    }

    #[test]
    fn bad_totals_are_refused_with_their_path() {
        let book = book_with(vol(true));
        let cases = [
            (
                json!([{"scope": "sku", "id": "CAP", "quantity": "-1", "from": "2026-11-01T00:00:00+05:30"}]),
                "purchase_history[0].quantity",
            ),
            (
                json!([{"scope": "sku", "id": "CAP", "quantity": "1", "from": "2026-11-01T00:00:00+05:30",
                     "until": "2026-12-01T00:00:00+05:30"}]),
                "purchase_history[0].until",
            ),
            (
                json!([{"scope": "sku", "id": "CAP", "quantity": "1", "from": "2026-11-01T00:00:00+05:30"},
                    {"scope": "sku", "id": "CAP", "quantity": "2", "from": "2026-11-02T00:00:00+05:30"}]),
                "purchase_history[1].id",
            ),
        ];
        for (history, field) in cases {
            let mut req = cap_40(history);
            for (k, v) in json!({"currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30"})
                .as_object()
                .unwrap()
            {
                req[k] = v.clone();
            }
            let req: PriceRequest = serde_json::from_value(req).unwrap();
            let e = book.price_order(&customer("retail"), &req).unwrap_err();
            assert_eq!(
                b2b_oms::error::ErrorCode::code(&e),
                "INVALID_PURCHASE_HISTORY"
            );
            assert_eq!(b2b_oms::error::ErrorCode::field(&e), Some(field));
        }
        assert!(request_json_refused(json!({"currency": "INR", "channel": "portal",
            "priced_at": "2026-11-26T10:00:00+05:30", "lines": [],
            "purchase_history": [{"scope": "sku", "id": "CAP", "from": "2026-11-01T00:00:00+05:30", "qty": "1"}]}))
            .contains("unknown field"));
    }
}
