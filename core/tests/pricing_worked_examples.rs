//! The worked examples of the pricing specification, to the paisa.

mod common;

use b2b_oms::pricing::{HintKind, TierMode};
use common::*;
use serde_json::json;

#[test]
fn distributor_600_tshirts() {
    let order = book()
        .price_order(
            &customer("distributor"),
            &request(json!([{"sku": "TSHIRT-M", "quantity": "600"}])),
        )
        .unwrap();
    assert!(order.all_priced);
    let line = &order.lines[0];
    let base = line.base_price.as_ref().unwrap();
    assert_eq!(&*base.list_id, "distributor");
    assert_eq!(base.tier_min_qty, Some(d("200")));
    assert_eq!(base.price_per_base_unit, d("215.00"));
    let steps: Vec<_> = line
        .adjustments
        .iter()
        .map(|a| (&*a.rule_id, a.price_after))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("R1", d("204.25")),
            ("R2", d("200.165")),
            ("R4", d("192.165"))
        ]
    );
    let group = &line.adjustments[2];
    assert_eq!(group.exclusive_group.as_deref(), Some("festive"));
    assert_eq!(group.lost[0].label, "R3");
    assert_eq!(group.lost[0].price, d("194.16005"));
    assert_eq!(line.net_unit_price.to_string(), "192.17");
    assert_eq!(line.amount.to_string(), "115302.00");
    assert_eq!(order.subtotal.to_string(), "115302.00");
    assert_eq!(order.total_before_tax.to_string(), "115302.00");
}

#[test]
fn distributor_150_tshirts_falls_back_with_r2_hint() {
    let order = book()
        .price_order(
            &customer("distributor"),
            &request(json!([{"sku": "TSHIRT-M", "quantity": "150"}])),
        )
        .unwrap();
    let line = &order.lines[0];
    let base = line.base_price.as_ref().unwrap();
    assert_eq!(&*base.list_id, "default");
    assert_eq!(base.tier_min_qty, Some(d("100")));
    assert_eq!(base.price_per_base_unit, d("230.00"));
    assert_eq!(&*base.lists_skipped[0].list_id, "distributor");
    let steps: Vec<_> = line
        .adjustments
        .iter()
        .map(|a| (&*a.rule_id, a.price_after))
        .collect();
    assert_eq!(steps, vec![("R1", d("218.50")), ("R4", d("210.50"))]);
    assert_eq!(line.adjustments[1].lost[0].price, d("211.945"));
    assert_eq!(line.net_unit_price.to_string(), "210.50");
    assert_eq!(line.amount.to_string(), "31575.00");
    let r2 = line
        .hints
        .iter()
        .find(|h| h.rule_id.as_deref() == Some("R2"))
        .unwrap();
    assert_eq!(r2.kind, HintKind::RuleQuantity);
    assert_eq!(r2.message, "order 150 more to reach R2");
    assert_eq!(r2.quantity_needed, Some(d("150")));
}

#[test]
fn graduated_tiers_120_units() {
    let order = book()
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "BOLT", "quantity": "150"}])),
        )
        .unwrap();
    // 150 = 49×10 + 50×9 + 51×8 = 490 + 450 + 408 = 1348
    assert_eq!(order.lines[0].amount.to_string(), "1348.00");

    let mut def = book_json();
    def["price_lists"][0]["entries"][2] = json!({"sku": "CAP", "tier_mode": "graduated",
        "tiers": [{"min_qty": "1", "price": "10.00"}, {"min_qty": "50", "price": "9.00"}, {"min_qty": "100", "price": "8.00"}]});
    def["price_lists"][0]["entries"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    def["rules"] = json!([]);
    let order = book_from(def)
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "CAP", "quantity": "120"}])),
        )
        .unwrap();
    let line = &order.lines[0];
    let base = line.base_price.as_ref().unwrap();
    assert_eq!(base.tier_mode, TierMode::Graduated);
    assert_eq!(base.band_sum, Some(d("1108.00")));
    let bands: Vec<_> = base.bands.iter().map(|b| (b.quantity, b.amount)).collect();
    assert_eq!(
        bands,
        vec![
            (d("49"), d("490.00")),
            (d("50"), d("450.00")),
            (d("21"), d("168.00"))
        ]
    );
    assert_eq!(line.net_unit_price.to_string(), "9.23");
    assert_eq!(line.amount.to_string(), "1108.00");
}

#[test]
fn all_units_tiers_examples() {
    let mut def = book_json();
    def["price_lists"][0]["entries"][1] = json!({"sku": "CAP",
        "tiers": [{"min_qty": "1", "price": "10.00"}, {"min_qty": "50", "price": "9.00"}, {"min_qty": "100", "price": "8.00"}]});
    let b = book_from(def);
    let price = |q: &str| {
        let o = b
            .price_order(
                &customer("retail_chain"),
                &request(json!([{"sku": "CAP", "quantity": q}])),
            )
            .unwrap();
        o.lines[0].amount.to_string()
    };
    assert_eq!(price("50"), "450.00");
    assert_eq!(price("120"), "960.00");
    assert_eq!(price("49"), "490.00");
}

#[test]
fn compounding_rules() {
    let mut def = book_json();
    def["rules"] = json!([
        {"id": "A", "priority": 2, "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "10"}},
        {"id": "B", "priority": 1, "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "5"}}
    ]);
    def["price_lists"][0]["entries"][1]["price"] = json!("100.00");
    let o = book_from(def)
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "CAP", "quantity": "1"}])),
        )
        .unwrap();
    assert_eq!(o.lines[0].net_price_per_base_unit, d("85.50"));
}
