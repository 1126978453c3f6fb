//! Hints promise only what the engine does (issue 21 item 9, issue 17
//! item 6): each hint's quantity, priced again, applies the hinted rule or
//! gives the lower net the hint quotes.

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::pricing::{HintKind, LineKind, PriceBook, PriceRequest, PricedOrder};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn catalog() -> Arc<Catalog> {
    let products: Vec<Product> = serde_json::from_value(json!([
        {"sku": "GLOVE", "name": "Nitrile glove", "hsn": "40151900", "gst_rate_class": "GST12",
         "base_unit": "NOS", "category": "safety/gloves", "product_group": "HAND"},
        {"sku": "MITT", "name": "Cotton mitt", "hsn": "61169990", "gst_rate_class": "GST5",
         "base_unit": "NOS", "category": "safety/gloves", "product_group": "HAND"}
    ]))
    .unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

fn book(entries: Value, rules: Value) -> PriceBook {
    let def = json!({
        "id": "b", "version": "1", "currency": "INR",
        "price_lists": [{"id": "list", "currency": "INR", "entries": entries}],
        "default_price_lists": ["list"],
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

fn order(lines: &[(&str, Decimal)]) -> PriceRequest {
    serde_json::from_value(json!({
        "currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30",
        "lines": lines.iter().map(|(s, q)| json!({"sku": s, "quantity": q.to_string()})).collect::<Vec<_>>()
    }))
    .unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn glove_at_100() -> Value {
    json!([{"sku": "GLOVE", "price": "100.00"}])
}

fn messages(o: &PricedOrder) -> Vec<String> {
    o.lines[0].hints.iter().map(|h| h.message.clone()).collect()
}

/// Issue 21 item 9: R1 (priority 10, stop, 2 % off) applies at any
/// quantity, so R2 (5 % off from 5) never runs: no hint may promise it.
/// Before the fix the order of 4 hinted "order 1 more to reach R2".
#[test]
fn a_rule_behind_a_stop_is_not_hinted() {
    let b = book(
        glove_at_100(),
        json!([
            {"id": "R1", "priority": 10, "stop": true, "when": {"skus": ["GLOVE"]}, "action": {"type": "percent_off", "percent": "2"}},
            {"id": "R2", "priority": 5, "when": {"skus": ["GLOVE"], "min_qty": "5"}, "action": {"type": "percent_off", "percent": "5"}}
        ]),
    );
    let o = b
        .price_order(&buyer(), &order(&[("GLOVE", d("4"))]))
        .unwrap();
    assert_eq!(o.lines[0].net_unit_price, d("98.00"));
    assert_eq!(messages(&o), Vec::<String>::new());
    // At 5 the engine indeed stays at 98.00.
    let at5 = b
        .price_order(&buyer(), &order(&[("GLOVE", d("5"))]))
        .unwrap();
    assert_eq!(at5.lines[0].net_unit_price, d("98.00"));
}

/// Without the stop the same hint is true, and kept.
#[test]
fn a_rule_that_would_apply_is_still_hinted() {
    let b = book(
        glove_at_100(),
        json!([
            {"id": "R1", "priority": 10, "when": {"skus": ["GLOVE"]}, "action": {"type": "percent_off", "percent": "2"}},
            {"id": "R2", "priority": 5, "when": {"skus": ["GLOVE"], "min_qty": "5"}, "action": {"type": "percent_off", "percent": "5"}}
        ]),
    );
    let o = b
        .price_order(&buyer(), &order(&[("GLOVE", d("4"))]))
        .unwrap();
    assert_eq!(messages(&o), vec!["order 1 more to reach R2".to_owned()]);
}

/// A group member that would lose to another member at the suggested
/// quantity is not hinted (before the fix: "order 1 more to reach G5").
#[test]
fn a_group_member_that_would_lose_is_not_hinted() {
    let b = book(
        glove_at_100(),
        json!([
            {"id": "G10", "priority": 5, "exclusive_group": "g", "when": {"skus": ["GLOVE"]}, "action": {"type": "percent_off", "percent": "10"}},
            {"id": "G5", "priority": 5, "exclusive_group": "g", "when": {"skus": ["GLOVE"], "min_qty": "5"}, "action": {"type": "percent_off", "percent": "5"}}
        ]),
    );
    let o = b
        .price_order(&buyer(), &order(&[("GLOVE", d("4"))]))
        .unwrap();
    assert_eq!(o.lines[0].net_unit_price, d("90.00"));
    assert_eq!(messages(&o), Vec::<String>::new());
}

/// Issue 17 item 6: the next tier's base price (176.08) is above the
/// line's net after a 5 % rule (171.86); the hint says the net the buyer
/// would pay there, 176.08 × 0.95 = 167.28. Before the fix it said
/// "order 10 more to reach 176.08/NOS".
#[test]
fn a_tier_hint_quotes_the_net_at_its_quantity() {
    let b = book(
        json!([{"sku": "GLOVE", "tiers": [{"min_qty": "1", "price": "180.90"}, {"min_qty": "60", "price": "176.08"}]}]),
        json!([{"id": "R", "when": {"skus": ["GLOVE"]}, "action": {"type": "percent_off", "percent": "5"}}]),
    );
    let o = b
        .price_order(&buyer(), &order(&[("GLOVE", d("50"))]))
        .unwrap();
    assert_eq!(o.lines[0].net_unit_price, d("171.86"));
    assert_eq!(
        messages(&o),
        vec!["order 10 more to pay 167.28/NOS net (tier 176.08/NOS)".to_owned()]
    );
    let at60 = b
        .price_order(&buyer(), &order(&[("GLOVE", d("60"))]))
        .unwrap();
    assert_eq!(at60.lines[0].net_unit_price, d("167.28"));
}

/// A tier that is not cheaper than the line's net once rules run there
/// is not hinted: the 5 % rule stops at 59, so at 60 the buyer would pay
/// 176.08, more than today's 171.86.
#[test]
fn a_tier_dearer_than_the_net_is_not_hinted() {
    let b = book(
        json!([{"sku": "GLOVE", "tiers": [{"min_qty": "1", "price": "180.90"}, {"min_qty": "60", "price": "176.08"}]}]),
        json!([{"id": "R", "when": {"skus": ["GLOVE"], "max_qty": "59"}, "action": {"type": "percent_off", "percent": "5"}}]),
    );
    let o = b
        .price_order(&buyer(), &order(&[("GLOVE", d("50"))]))
        .unwrap();
    assert_eq!(o.lines[0].net_unit_price, d("171.86"));
    assert_eq!(messages(&o), Vec::<String>::new());
}

/// Without rules the tier hint keeps its words.
#[test]
fn a_plain_tier_hint_keeps_its_words() {
    let b = book(
        json!([{"sku": "GLOVE", "tiers": [{"min_qty": "1", "price": "180.90"}, {"min_qty": "60", "price": "176.08"}]}]),
        json!([]),
    );
    let o = b
        .price_order(&buyer(), &order(&[("GLOVE", d("50"))]))
        .unwrap();
    assert_eq!(
        messages(&o),
        vec!["order 10 more to reach 176.08/NOS".to_owned()]
    );
}

// ---- the property: every hint is borne out by pricing its quantity ----

/// A random book: GLOVE and MITT (one product group) with one- to
/// three-tier entries on random bases, and up to five rules with random
/// priorities, quantity windows on random bases, `stop`, exclusive groups
/// and free goods; sometimes a segment list with a GLOVE tier from a
/// random quantity (so earlier-list hints occur).
fn any_book() -> impl Strategy<Value = PriceBook> {
    let tiers = proptest::collection::vec((1u32..40, 50u32..200), 1..4);
    let basis = prop_oneof![Just("line"), Just("order_sku"), Just("order_group")];
    let entry = (tiers, basis);
    let rule = (
        0i32..4,
        0usize..2,
        proptest::option::of(1u32..30),
        any::<bool>(),
        proptest::option::of(0usize..2),
        0usize..3,
        1u32..20,
        prop_oneof![Just("line"), Just("order_sku"), Just("order_scope")],
    );
    (
        entry.clone(),
        entry,
        proptest::collection::vec(rule, 0..6),
        proptest::option::of((2u32..40, 100u32..150)),
    )
        .prop_map(|(g, m, rules, contract)| {
            let entry = |sku: &str, (tiers, basis): (Vec<(u32, u32)>, &str)| {
                let mut t: Vec<(u32, u32)> = tiers;
                t.sort();
                t.dedup_by_key(|x| x.0);
                // Dearer first: later tiers are cheaper, as books are.
                let n = t.len() as u32;
                let tiers: Vec<Value> = t
                    .iter()
                    .enumerate()
                    .map(|(k, (min, p))| json!({"min_qty": min.to_string(), "price": format!("{}.{:02}", p + 10 * (n - k as u32), min % 100)}))
                    .collect();
                json!({"sku": sku, "tiers": tiers, "quantity_basis": basis})
            };
            let rules: Vec<Value> = rules
                .iter()
                .enumerate()
                .map(|(k, (priority, sku, min, stop, group, action, x, basis))| {
                    let sku = ["GLOVE", "MITT"][*sku];
                    let mut when = json!({"skus": [sku]});
                    if let Some(min) = min {
                        when["min_qty"] = json!(min.to_string());
                    }
                    let action = match action {
                        0 => json!({"type": "percent_off", "percent": x.to_string()}),
                        1 => json!({"type": "amount_off", "amount": format!("{x}.50")}),
                        _ => json!({"type": "free_goods", "free_qty": "1", "per_qty": (x + 1).to_string()}),
                    };
                    let mut r = json!({"id": format!("R{k}"), "priority": priority, "stop": stop,
                                       "quantity_basis": basis, "when": when, "action": action});
                    // Free-goods rules cannot be in an exclusive group.
                    if let (Some(g), false) = (group, r["action"]["type"] == "free_goods") {
                        r["exclusive_group"] = json!(format!("g{g}"));
                    }
                    r
                })
                .collect();
            let def = json!({
                "id": "b", "version": "1", "currency": "INR",
                "price_lists": [
                    {"id": "list", "currency": "INR", "entries": [entry("GLOVE", g), entry("MITT", m)]},
                    {"id": "seg", "currency": "INR", "entries": contract.map_or(json!([]), |(min, p)| json!([
                        {"sku": "GLOVE", "tiers": [{"min_qty": min.to_string(), "price": format!("{p}.25")}]}]))}
                ],
                "default_price_lists": ["list"],
                "segment_price_lists": {"retail_chain": ["seg"]},
                "settings": {"hint_reach_pct": "100"},
                "rules": rules
            });
            PriceBook::compile(serde_json::from_value(def).unwrap(), catalog()).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_hint_is_borne_out_at_its_quantity(
        b in any_book(),
        lines in proptest::collection::vec((0usize..2, 1u32..40), 1..4),
    ) {
        let lines: Vec<(&str, Decimal)> = lines.iter().map(|(s, q)| (["GLOVE", "MITT"][*s], Decimal::from(*q))).collect();
        let o = b.price_order(&buyer(), &order(&lines)).unwrap();
        for priced in o.lines.iter().filter(|l| l.kind == LineKind::Sale) {
            for h in &priced.hints {
                let Some(needed) = h.quantity_needed else { continue };
                let mut more = lines.clone();
                more[priced.line_index].1 += needed;
                let then = b.price_order(&buyer(), &order(&more)).unwrap();
                let sale = then.lines.iter().find(|l| l.kind == LineKind::Sale && l.line_index == priced.line_index).unwrap();
                let rule = h.rule_id.as_deref();
                match h.kind {
                    HintKind::RuleQuantity => prop_assert!(
                        sale.adjustments.iter().any(|a| Some(a.rule_id.as_str()) == rule),
                        "{:?} not applied at +{}: {:?}", h, needed, sale.adjustments
                    ),
                    HintKind::FreeGoods => prop_assert!(
                        then.lines.iter().any(|l| matches!(&l.kind, LineKind::Free { rule_id, linked_to } if Some(rule_id.as_str()) == rule && *linked_to == priced.line_index)),
                        "{:?} gives no free line at +{}", h, needed
                    ),
                    HintKind::NextTier | HintKind::EarlierList => {
                        prop_assert!(sale.net_price_per_base_unit < priced.net_price_per_base_unit, "{:?}: {} then, {} now", h, sale.net_unit_price, priced.net_unit_price);
                        let quoted = format!("{}/", sale.net_unit_price);
                        prop_assert!(h.message.contains(&quoted), "{:?} does not say {}", h, quoted);
                    }
                    _ => {}
                }
            }
        }
    }
}
