//! The explanation levels of a price request (`explain`): `summary` and
//! `none` give the same prices, amounts, totals and line errors as `full`,
//! and leave out exactly what they say they leave out. Orders are random,
//! over a small price book generated with random rules (stacking, stop,
//! exclusive groups, free goods, cost plus, quantity and amount windows,
//! rules not yet valid), order discounts, derived and unusable lists,
//! floors and both quantity modes.

mod common;

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::pricing::{Explain, PriceBook, PriceBookDefinition, PriceRequest, PricedOrder};
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

/// One generated line rule: (action kind, scope, priority, stop, group,
/// minimum quantity, minimum order amount, not yet valid, value).
type RuleSpec = (
    usize,
    usize,
    i32,
    bool,
    Option<usize>,
    Option<u32>,
    Option<u32>,
    bool,
    u32,
);

fn rule_json(i: usize, spec: &RuleSpec) -> Value {
    let (kind, scope, priority, stop, group, min_qty, min_amount, future, value) = *spec;
    let mut when = match scope {
        0 => json!({"skus": ["TSHIRT-M"]}),
        1 => json!({"categories": ["apparel"]}),
        2 => json!({"skus": ["BOLT"]}),
        3 => json!({}),
        4 => json!({"product_groups": ["TSHIRT"]}),
        _ => json!({"segments": ["distributor"]}),
    };
    if let Some(q) = min_qty {
        when["min_qty"] = json!(q.to_string());
    }
    if let Some(a) = min_amount {
        when["min_order_amount"] = json!((a * 100).to_string());
    }
    if future {
        when["valid_from"] = json!("2026-12-01T00:00:00+05:30");
    }
    let free = kind == 4;
    let action = match kind {
        0 | 5 => json!({"type": "percent_off", "percent": (1 + value % 30).to_string()}),
        1 => json!({"type": "amount_off", "amount": format!("{}.50", value % 300)}),
        2 => json!({"type": "fixed_price", "price": format!("{}.25", 50 + value % 200)}),
        3 => json!({"type": "cost_plus", "margin_pct": (value % 40).to_string()}),
        _ => {
            let sku = ["CAP", "SECRET", "TSHIRT-L"]
                .get(value as usize % 4)
                .copied();
            let mut a = json!({"type": "free_goods", "free_qty": (1 + value % 3).to_string(),
                               "per_qty": (5 + value % 200).to_string()});
            if let Some(s) = sku {
                a["sku"] = json!(s);
            }
            a
        }
    };
    let mut rule = json!({"id": format!("G{i:02}"), "priority": priority, "stop": stop,
                          "when": when, "action": action});
    if kind == 5 {
        rule["quantity_basis"] = json!("order_scope");
    }
    if let (Some(g), false) = (group, free) {
        rule["exclusive_group"] = json!(format!("grp{g}"));
    }
    rule
}

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        0usize..6,
        0usize..6,
        -2i32..12,
        proptest::bool::weighted(0.15),
        proptest::option::weighted(0.3, 0usize..2),
        proptest::option::weighted(0.3, 1u32..600),
        proptest::option::weighted(0.15, 1u32..2_000),
        proptest::bool::weighted(0.1),
        any::<u32>(),
    )
}

/// The worked example's catalog with a floor on CAP and a margin floor on
/// TSHIRT-M.
fn catalog_with_floors() -> Arc<Catalog> {
    let mut products = products();
    products[2]["floor_price"] = json!("100.00");
    products[0]["min_margin_pct"] = json!("30");
    let products: Vec<Product> = serde_json::from_value(products).unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

fn generated_book(
    rules: &[RuleSpec],
    order_rules: &[(bool, u32, u32)],
    clamp: bool,
    apply_suggestion: bool,
) -> PriceBook {
    let mut def = book_json();
    let lists = def["price_lists"].as_array_mut().unwrap();
    lists.push(json!({"id": "wholesale", "currency": "INR",
                      "based_on": {"list": "default", "percent": "-10"}, "entries": []}));
    lists.push(
        json!({"id": "usd", "currency": "USD", "entries": [{"sku": "CAP", "price": "2.00"}]}),
    );
    lists.push(
        json!({"id": "old", "currency": "INR", "valid_until": "2026-01-01T00:00:00+05:30",
                      "entries": [{"sku": "CAP", "price": "90.00"}]}),
    );
    def["segment_price_lists"]["wholesaler"] = json!(["usd", "old", "wholesale"]);
    def["segment_price_lists"]["retail_chain"] = json!(["old", "distributor"]);
    let extra: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| rule_json(i, r))
        .collect();
    def["rules"].as_array_mut().unwrap().extend(extra);
    def["order_rules"] = json!(order_rules
        .iter()
        .enumerate()
        .map(|(i, (percent, min, value))| {
            let action = if *percent {
                json!({"type": "percent_off", "percent": (1 + value % 10).to_string()})
            } else {
                json!({"type": "amount_off", "amount": format!("{}.00", value % 5_000)})
            };
            json!({"id": format!("OD{i}"), "priority": i, "when": {"min_amount": (min * 100).to_string()},
                   "action": action})
        })
        .collect::<Vec<_>>());
    def["shipping_rules"] = json!([
        {"id": "FREE", "priority": 2, "when": {"min_amount": "100000"}, "charge": {"type": "free"}},
        {"id": "FLAT", "priority": 1, "charge": {"type": "flat", "amount": "250"}}
    ]);
    def["settings"] = json!({
        "floor_mode": if clamp { "clamp" } else { "flag" },
        "quantity_mode": if apply_suggestion { "apply_suggestion" } else { "reject" },
    });
    let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
    PriceBook::compile(def, catalog_with_floors()).unwrap()
}

const SKUS: [&str; 6] = ["TSHIRT-M", "TSHIRT-L", "CAP", "BOLT", "SECRET", "NOPE"];
const SEGMENTS: [&str; 4] = ["distributor", "retail_chain", "wholesaler", "exporter"];

/// (sku, quantity, in boxes, half a unit more).
fn line_spec() -> impl Strategy<Value = (usize, u32, bool, bool)> {
    (
        0usize..6,
        1u32..1_500,
        proptest::bool::weighted(0.15),
        proptest::bool::weighted(0.05),
    )
}

fn request_for(lines: &[(usize, u32, bool, bool)], explain: Explain) -> PriceRequest {
    let lines: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (sku, q, boxes, half))| {
            let quantity = if *half {
                format!("{q}.5")
            } else {
                q.to_string()
            };
            let mut l =
                json!({"line_id": format!("L{i}"), "sku": SKUS[*sku], "quantity": quantity});
            if *boxes {
                l["unit"] = json!("BOX");
                l["quantity"] = json!((q % 40 + 1).to_string());
            }
            l
        })
        .collect();
    PriceRequest {
        explain,
        ..request(Value::Array(lines))
    }
}

/// `full` projected to what `summary` keeps: no hints, no lists passed
/// over, no losing group members.
fn as_summary(mut o: PricedOrder) -> PricedOrder {
    o.explain = Explain::Summary;
    o.hints.clear();
    for l in &mut o.lines {
        l.hints.clear();
        if let Some(b) = &mut l.base_price {
            b.lists_skipped = Arc::default();
        }
        for a in &mut l.adjustments {
            a.lost.clear();
        }
    }
    o
}

/// `full` projected to what `none` keeps: no base price record, waterfall,
/// order discount steps or hints.
fn as_none(mut o: PricedOrder) -> PricedOrder {
    o.explain = Explain::None;
    o.hints.clear();
    o.order_discounts.clear();
    for l in &mut o.lines {
        l.hints.clear();
        l.base_price = None;
        l.adjustments.clear();
    }
    o
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn summary_and_none_keep_the_prices_of_full(
        rules in proptest::collection::vec(rule_spec(), 0..10),
        order_rules in proptest::collection::vec((any::<bool>(), 0u32..3_000, any::<u32>()), 0..3),
        clamp in any::<bool>(),
        apply_suggestion in any::<bool>(),
        lines in proptest::collection::vec(line_spec(), 1..10),
        seg in 0usize..4,
    ) {
        let book = generated_book(&rules, &order_rules, clamp, apply_suggestion);
        let c = customer(SEGMENTS[seg]);
        let full = book.price_order(&c, &request_for(&lines, Explain::Full));
        let summary = book.price_order(&c, &request_for(&lines, Explain::Summary));
        let none = book.price_order(&c, &request_for(&lines, Explain::None));
        let full = match full {
            Ok(o) => o,
            Err(e) => {
                // A whole-order error is the same at every level.
                prop_assert_eq!(summary.unwrap_err(), e.clone());
                prop_assert_eq!(none.unwrap_err(), e);
                return Ok(());
            }
        };
        let (summary, none) = (summary.unwrap(), none.unwrap());

        // Line by line first, for a readable failure; then the whole result.
        prop_assert_eq!(summary.lines.len(), full.lines.len());
        prop_assert_eq!(none.lines.len(), full.lines.len());
        let expected_summary = as_summary(full.clone());
        let expected_none = as_none(full.clone());
        for ((s, n), (es, en)) in summary.lines.iter().zip(&none.lines)
            .zip(expected_summary.lines.iter().zip(&expected_none.lines))
        {
            prop_assert_eq!(s, es);
            prop_assert_eq!(n, en);
        }
        prop_assert_eq!(&summary.errors, &full.errors);
        prop_assert_eq!(&none.errors, &full.errors);
        prop_assert_eq!(
            (summary.subtotal, summary.order_discount_total, &summary.shipping, summary.total_before_tax),
            (full.subtotal, full.order_discount_total, &full.shipping, full.total_before_tax)
        );
        prop_assert_eq!(
            (none.subtotal, none.order_discount_total, &none.shipping, none.total_before_tax),
            (full.subtotal, full.order_discount_total, &full.shipping, full.total_before_tax)
        );
        prop_assert_eq!(&summary, &expected_summary);
        prop_assert_eq!(&none, &expected_none);

        // The parts left out are absent from the JSON, not null.
        let json = serde_json::to_string(&none).unwrap();
        for key in ["\"hints\"", "\"adjustments\"", "\"base_price\"", "\"lists_skipped\"", "\"order_discounts\"", "null"] {
            prop_assert!(!json.contains(key), "{} in {}", key, json);
        }
        prop_assert!(json.contains("\"explain\":\"none\""));
        let json = serde_json::to_string(&summary).unwrap();
        for key in ["\"hints\"", "\"lists_skipped\"", "\"lost\"", "null"] {
            prop_assert!(!json.contains(key), "{} in {}", key, json);
        }
        prop_assert!(!serde_json::to_string(&full).unwrap().contains("\"explain\""));
    }
}

#[test]
fn explain_defaults_to_full_and_is_omitted_when_full() {
    let r = request(json!([{"sku": "CAP", "quantity": "3"}]));
    assert_eq!(r.explain, Explain::Full);
    assert!(!serde_json::to_string(&r).unwrap().contains("explain"));
    let mut v = serde_json::to_value(&r).unwrap();
    v["explain"] = json!("summary");
    let r: PriceRequest = serde_json::from_value(v).unwrap();
    assert_eq!(r.explain, Explain::Summary);
    assert!(serde_json::to_string(&r)
        .unwrap()
        .contains("\"explain\":\"summary\""));
}

#[test]
fn the_worked_example_at_each_level() {
    // Distributor orders 150 TSHIRT-M (pricing.md): base 230.00 from the
    // default list's tier 100 after the distributor list's lowest tier,
    // R1, then group festive where R4 beats R3; hint for R2.
    let b = book();
    let c = customer("distributor");
    let at = |explain| {
        b.price_order(
            &c,
            &PriceRequest {
                explain,
                ..request(json!([{"sku": "TSHIRT-M", "quantity": "150"}]))
            },
        )
        .unwrap()
    };
    let full = at(Explain::Full);
    let l = &full.lines[0];
    assert!(!l.hints.is_empty());
    assert!(!l.base_price.as_ref().unwrap().lists_skipped.is_empty());
    assert!(l.adjustments.iter().any(|a| !a.lost.is_empty()));

    let summary = at(Explain::Summary);
    let l = &summary.lines[0];
    let base = l.base_price.as_ref().unwrap();
    assert_eq!(base.list_id, "default");
    assert_eq!(base.tier_min_qty, Some(d("100")));
    assert!(base.lists_skipped.is_empty() && l.hints.is_empty());
    let steps: Vec<&str> = l.adjustments.iter().map(|a| a.rule_id.as_str()).collect();
    assert_eq!(steps, ["R1", "R4"]);
    assert_eq!(l.adjustments[1].exclusive_group.as_deref(), Some("festive"));
    assert!(l.adjustments.iter().all(|a| a.lost.is_empty()));

    let none = at(Explain::None);
    let l = &none.lines[0];
    assert!(l.base_price.is_none() && l.adjustments.is_empty() && l.hints.is_empty());
    assert_eq!((l.net_unit_price, l.amount), (d("210.50"), d("31575.00")));
    assert_eq!(none.total_before_tax, full.total_before_tax);
}

#[test]
fn a_line_without_a_price_names_every_list_tried_at_every_level() {
    let mut def = book_json();
    def["segment_price_lists"]["retail_chain"] = json!(["distributor"]);
    def["price_lists"][0]["entries"] = json!([]);
    let b = book_from(def);
    let c = customer("retail_chain");
    let errors: Vec<_> = [Explain::Full, Explain::Summary, Explain::None]
        .into_iter()
        .map(|explain| {
            b.price_order(
                &c,
                &PriceRequest {
                    explain,
                    ..request(json!([{"sku": "TSHIRT-M", "quantity": "150"}]))
                },
            )
            .unwrap()
            .errors
        })
        .collect();
    assert_eq!(errors[0][0].code, "NO_PRICE");
    assert!(errors[0][0].message.contains("below the lowest tier"));
    assert_eq!(errors[0], errors[1]);
    assert_eq!(errors[0], errors[2]);
}
