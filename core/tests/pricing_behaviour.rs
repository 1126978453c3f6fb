//! Behaviour of the price book beyond the worked examples: fallback chain,
//! quantity bases, derived lists, stacking, guards, order discounts,
//! shipping, units and currencies, classification and the catalog view.

mod common;

use b2b_oms::customer::{Channel, ClassificationPolicy, Classifier, Inquiry};
use b2b_oms::pricing::{Effect, FloorStatus, HintKind, LineKind, QuantityStatus};
use common::*;
use serde_json::json;

fn one(
    def: serde_json::Value,
    segment: &str,
    lines: serde_json::Value,
) -> b2b_oms::pricing::PricedOrder {
    book_from(def)
        .price_order(&customer(segment), &request(lines))
        .unwrap()
}

#[test]
fn customer_contract_list_comes_first() {
    let mut def = book_json();
    def["price_lists"].as_array_mut().unwrap().push(json!({"id": "contract", "currency": "INR", "entries": [{"sku": "TSHIRT-M", "unit": "BOX", "price": "1200.00"}]}));
    def["rules"] = json!([]);
    let mut c = customer("distributor");
    c.price_lists = vec!["contract".into()];
    let o = book_from(def)
        .price_order(
            &c,
            &request(json!([{"sku": "TSHIRT-M", "quantity": "2", "unit": "BOX"}])),
        )
        .unwrap();
    let l = &o.lines[0];
    assert_eq!(&*l.base_price.as_ref().unwrap().list_id, "contract");
    assert_eq!(l.base_price.as_ref().unwrap().price_per_base_unit, d("100"));
    assert_eq!(l.net_unit_price.to_string(), "1200.00");
    assert_eq!(l.amount.to_string(), "2400.00");
    assert_eq!(l.base_quantity, d("24"));
}

#[test]
fn order_sku_and_order_group_bases() {
    let mut def = book_json();
    def["price_lists"][0]["entries"][0]["quantity_basis"] = json!("order_group");
    def["price_lists"][0]["entries"]
        .as_array_mut()
        .unwrap()
        .push(json!({"sku": "TSHIRT-L", "quantity_basis": "order_sku",
        "tiers": [{"min_qty": "1", "price": "300.00"}, {"min_qty": "100", "price": "280.00"}]}));
    def["rules"] = json!([]);
    let o = one(
        def,
        "retail_chain",
        json!([
            {"sku": "TSHIRT-M", "quantity": "60"}, {"sku": "TSHIRT-L", "quantity": "60"}, {"sku": "TSHIRT-L", "quantity": "50"}
        ]),
    );
    // TSHIRT group volume 170 reaches the 100 tier for TSHIRT-M.
    assert_eq!(o.lines[0].net_unit_price.to_string(), "230.00");
    assert_eq!(
        o.lines[0].base_price.as_ref().unwrap().tier_quantity,
        d("170")
    );
    // TSHIRT-L lines count together: 110 ≥ 100.
    assert_eq!(o.lines[1].net_unit_price.to_string(), "280.00");
    assert_eq!(o.lines[2].net_unit_price.to_string(), "280.00");
}

#[test]
fn derived_list_prices_from_its_parent() {
    let mut def = book_json();
    def["price_lists"].as_array_mut().unwrap().push(json!({"id": "wholesale", "currency": "INR",
        "based_on": {"list": "default", "percent": "-10"}, "entries": [{"sku": "CAP", "price": "99.00"}]}));
    def["segment_price_lists"]["wholesaler"] = json!(["wholesale"]);
    def["rules"] = json!([]);
    let o = one(
        def,
        "wholesaler",
        json!([{"sku": "TSHIRT-M", "quantity": "100"}, {"sku": "CAP", "quantity": "1"}]),
    );
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(&*base.list_id, "wholesale");
    assert_eq!(base.entry_list_id.as_deref(), Some("default"));
    assert_eq!(o.lines[0].net_unit_price.to_string(), "207.00");
    assert_eq!(o.lines[1].net_unit_price.to_string(), "99.00");
}

#[test]
fn list_and_entry_validity() {
    let mut def = book_json();
    def["price_lists"][1]["valid_until"] = json!("2026-11-01T00:00:00+05:30");
    def["price_lists"][0]["entries"][1] =
        json!({"sku": "CAP", "price": "120.00", "valid_until": "2026-12-01T00:00:00+05:30"});
    def["price_lists"][0]["entries"]
        .as_array_mut()
        .unwrap()
        .push(json!({"sku": "CAP", "price": "130.00", "valid_from": "2026-12-01T00:00:00+05:30"}));
    let b = book_from(def);
    let o = b
        .price_order(
            &customer("distributor"),
            &request(json!([{"sku": "TSHIRT-M", "quantity": "600"}])),
        )
        .unwrap();
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(&*base.list_id, "default");
    assert_eq!(
        base.lists_skipped[0].reason.to_string(),
        "list not valid at the pricing instant"
    );
    let mut r = request(json!([{"sku": "CAP", "quantity": "1"}]));
    assert_eq!(
        b.price_order(&customer("retail_chain"), &r).unwrap().lines[0]
            .net_unit_price
            .to_string(),
        "120.00"
    );
    r.priced_at = "2026-12-05T10:00:00+05:30".parse().unwrap();
    assert_eq!(
        b.price_order(&customer("retail_chain"), &r).unwrap().lines[0]
            .net_unit_price
            .to_string(),
        "130.00"
    );
}

#[test]
fn stop_ends_the_chain_and_not_yet_valid_rules_hint() {
    let mut def = book_json();
    def["rules"][0]["stop"] = json!(true);
    def["rules"].as_array_mut().unwrap().push(json!({"id": "R7", "priority": 1, "when": {"skus": ["CAP"], "valid_from": "2026-12-01T00:00:00+05:30"},
        "action": {"type": "percent_off", "percent": "10"}}));
    let o = one(
        def,
        "distributor",
        json!([{"sku": "TSHIRT-M", "quantity": "600"}, {"sku": "CAP", "quantity": "1"}]),
    );
    let ids: Vec<_> = o.lines[0]
        .adjustments
        .iter()
        .map(|a| a.rule_id.to_string())
        .collect();
    assert_eq!(ids, vec!["R1"]);
    assert!(o.lines[0].adjustments[0].stopped);
    let hint = o.lines[1]
        .hints
        .iter()
        .find(|h| h.kind == HintKind::RuleNotYetValid)
        .unwrap();
    assert_eq!(
        hint.message,
        "rule R7 skipped: valid from 1 Dec 2026 00:00 +05:30"
    );
}

#[test]
fn fixed_price_amount_off_clamp_and_cost_plus() {
    let mut def = book_json();
    def["rules"] = json!([
        {"id": "A", "priority": 9, "when": {"skus": ["CAP"]}, "action": {"type": "amount_off", "amount": "500"}},
        {"id": "B", "priority": 8, "when": {"skus": ["CAP"]}, "action": {"type": "fixed_price", "price": "90"}},
        {"id": "C", "priority": 7, "when": {"skus": ["TSHIRT-M", "CAP"]}, "action": {"type": "cost_plus", "margin_pct": "20"}}
    ]);
    let o = one(
        def,
        "retail_chain",
        json!([{"sku": "CAP", "quantity": "1"}, {"sku": "TSHIRT-M", "quantity": "1"}]),
    );
    let cap = &o.lines[0];
    assert_eq!(
        cap.adjustments[0].effect,
        Effect::AmountOff {
            amount: d("500"),
            clamped_at_zero: true
        }
    );
    assert_eq!(cap.adjustments[0].price_after, d("0"));
    assert_eq!(cap.adjustments[1].price_after, d("90"));
    assert_eq!(
        cap.adjustments.len(),
        2,
        "cost plus is skipped without a cost"
    );
    assert!(cap
        .hints
        .iter()
        .any(|h| h.message == "rule C skipped: the product has no cost"));
    // TSHIRT-M costs 150.00: 180.00.
    assert_eq!(o.lines[1].net_unit_price.to_string(), "180.00");
}

#[test]
fn free_goods_are_a_linked_zero_line() {
    let mut def = book_json();
    def["rules"] = json!([
        {"id": "F1", "priority": 1, "when": {"skus": ["TSHIRT-M"]}, "action": {"type": "free_goods", "sku": "CAP", "free_qty": "1", "per_qty": "10"}},
        {"id": "F2", "priority": 1, "when": {"skus": ["TSHIRT-L"]}, "action": {"type": "free_goods", "sku": "SECRET", "free_qty": "1", "per_qty": "10"}}
    ]);
    def["price_lists"][0]["entries"]
        .as_array_mut()
        .unwrap()
        .push(json!({"sku": "TSHIRT-L", "price": "100"}));
    let o = one(
        def,
        "retail_chain",
        json!([{"sku": "TSHIRT-M", "quantity": "25"}, {"sku": "TSHIRT-L", "quantity": "10"}, {"sku": "TSHIRT-M", "quantity": "5"}]),
    );
    assert_eq!(o.lines.len(), 4);
    let free = &o.lines[1];
    assert_eq!(
        free.kind,
        LineKind::Free {
            linked_to: 0,
            rule_id: "F1".into()
        }
    );
    assert_eq!(
        (&*free.sku, free.quantity, free.amount.to_string()),
        ("CAP", d("2"), "0.00".to_owned())
    );
    assert!(o.lines[2]
        .hints
        .iter()
        .any(|h| h.message == "rule F2 skipped: its free item is not available to this customer"));
    assert!(o.lines[3]
        .hints
        .iter()
        .any(|h| h.kind == HintKind::FreeGoods && h.quantity_needed == Some(d("5"))));
}

#[test]
fn floor_is_flagged_or_clamped() {
    let mut products = products();
    products[2]["floor_price"] = json!("110.00");
    let products: Vec<b2b_oms::catalog::Product> = serde_json::from_value(products).unwrap();
    let cat = std::sync::Arc::new(b2b_oms::catalog::Catalog::new(products).unwrap());
    let mut def = book_json();
    def["rules"] = json!([{"id": "DEEP", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "20"}}]);
    let flag = b2b_oms::pricing::PriceBook::compile(
        serde_json::from_value(def.clone()).unwrap(),
        cat.clone(),
    )
    .unwrap();
    let o = flag
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "CAP", "quantity": "1"}])),
        )
        .unwrap();
    assert_eq!(
        o.lines[0].floor,
        FloorStatus::BelowFloor {
            floor: d("110.00"),
            gap: d("14.00")
        }
    );
    def["settings"] = json!({"floor_mode": "clamp"});
    let clamp =
        b2b_oms::pricing::PriceBook::compile(serde_json::from_value(def).unwrap(), cat).unwrap();
    let o = clamp
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "CAP", "quantity": "1"}])),
        )
        .unwrap();
    assert_eq!(o.lines[0].net_unit_price.to_string(), "110.00");
    assert_eq!(
        o.lines[0].adjustments.last().unwrap().effect,
        Effect::FloorClamp { floor: d("110.00") }
    );
}

#[test]
fn apply_suggestion_setting_prices_the_suggested_quantity() {
    let mut def = book_json();
    def["settings"] = json!({"quantity_mode": "apply_suggestion"});
    let o = one(
        def,
        "retail_chain",
        json!([{"sku": "BOLT", "quantity": "120"}]),
    );
    assert!(o.all_priced);
    assert_eq!(o.lines[0].quantity, d("150"));
    assert!(matches!(
        o.lines[0].quantity_status,
        QuantityStatus::Adjusted { .. }
    ));
    // 150 graduated: 49×10 + 50×9 + 51×8 = 1348.
    assert_eq!(o.lines[0].amount.to_string(), "1348.00");
}

#[test]
fn order_discount_is_spread_with_the_remainder_on_the_largest_line() {
    let mut def = book_json();
    def["rules"] = json!([]);
    def["settings"] = json!({"hint_reach_pct": "100000"});
    def["order_rules"] = json!([
        {"id": "BIG", "priority": 1, "when": {"min_amount": "300"}, "action": {"type": "amount_off", "amount": "100"}},
        {"id": "HUGE", "priority": 2, "when": {"min_amount": "100000"}, "action": {"type": "percent_off", "percent": "5"}}
    ]);
    let o = one(
        def,
        "retail_chain",
        json!([{"sku": "CAP", "quantity": "1"}, {"sku": "CAP", "quantity": "1"}, {"sku": "CAP", "quantity": "1"}]),
    );
    assert_eq!(o.subtotal.to_string(), "360.00");
    assert_eq!(o.order_discount_total.to_string(), "100.00");
    let shares: Vec<String> = o
        .lines
        .iter()
        .map(|l| l.order_discount_share.to_string())
        .collect();
    assert_eq!(shares, vec!["33.34", "33.33", "33.33"]);
    assert_eq!(o.lines[0].taxable_amount.to_string(), "86.66");
    assert_eq!(o.total_before_tax.to_string(), "260.00");
    assert!(o
        .hints
        .iter()
        .any(|h| h.rule_id.as_deref() == Some("HUGE") && h.amount_needed == Some(d("99640.00"))));
}

#[test]
fn shipping_by_zone_weight_and_threshold() {
    let mut def = book_json();
    def["rules"] = json!([]);
    def["zones"] = json!({"west": ["27", "24"]});
    def["shipping_rules"] = json!([
        {"id": "FREE", "priority": 9, "when": {"min_amount": "100000"}, "charge": {"type": "free"}},
        {"id": "WEST", "priority": 5, "when": {"zones": ["west"]}, "charge": {"type": "weight_slabs", "slabs": [{"min": "0", "charge": "100"}, {"min": "10", "charge": "250"}]}},
        {"id": "ELSE", "charge": {"type": "flat", "amount": "999"}}
    ]);
    let b = book_from(def);
    let c = customer("retail_chain");
    let o = b
        .price_order(&c, &request(json!([{"sku": "TSHIRT-M", "quantity": "60"}])))
        .unwrap();
    let s = o.shipping.as_ref().unwrap();
    assert_eq!(
        (s.rule_id.as_str(), s.amount.to_string(), s.weight_kg),
        ("WEST", "250.00".to_owned(), d("12"))
    );
    assert_eq!(o.total_before_tax, o.subtotal + s.amount);
    let mut r = request(json!([{"sku": "TSHIRT-M", "quantity": "10"}]));
    r.ship_to_state = Some("29".into());
    let s = b.price_order(&c, &r).unwrap().shipping.unwrap();
    assert_eq!(s.rule_id, "ELSE");
    let o = b
        .price_order(
            &c,
            &request(json!([{"sku": "TSHIRT-M", "quantity": "500"}])),
        )
        .unwrap();
    assert_eq!(o.shipping.unwrap().rule_id, "FREE");
}

#[test]
fn rounding_mode_and_unit_price_scale() {
    let mut def = book_json();
    def["rules"] = json!([{"id": "P", "when": {"skus": ["CAP"]}, "action": {"type": "percent_off", "percent": "50"}}]);
    def["price_lists"][0]["entries"][1]["price"] = json!("10.01");
    // 10.01 × 0.5 = 5.005: a midpoint at 2 places, where the modes differ.
    for (mode, scale, qty, net, amount) in [
        ("half_up", 2, "3", "5.01", "15.03"),
        ("half_even", 2, "3", "5.00", "15.00"),
        // At scale 4 the unit price keeps 5.0050 and the amount rounds.
        ("half_up", 4, "1", "5.0050", "5.01"),
        ("half_even", 4, "1", "5.0050", "5.00"),
    ] {
        def["settings"] = json!({"unit_price_scale": scale, "rounding": mode});
        let o = one(
            def.clone(),
            "retail_chain",
            json!([{"sku": "CAP", "quantity": qty}]),
        );
        let l = &o.lines[0];
        assert_eq!(l.net_price_per_base_unit, d("5.005"), "{mode} {scale}");
        assert_eq!(l.net_unit_price.to_string(), net, "{mode} {scale}");
        assert_eq!(l.amount.to_string(), amount, "{mode} {scale}");
    }
}

#[test]
fn other_currency_lists_and_channel_conditions() {
    let mut def = book_json();
    def["price_lists"].as_array_mut().unwrap().push(
        json!({"id": "usd", "currency": "USD", "entries": [{"sku": "CAP", "price": "1.50"}]}),
    );
    def["default_price_lists"] = json!(["default", "usd"]);
    def["rules"] = json!([{"id": "APP", "when": {"channels": ["mobile_app"]}, "action": {"type": "percent_off", "percent": "10"}}]);
    let b = book_from(def);
    let mut r = request(json!([{"sku": "CAP", "quantity": "2"}]));
    r.currency = "USD".into();
    let o = b.price_order(&customer("retail_chain"), &r).unwrap();
    assert_eq!(&*o.lines[0].base_price.as_ref().unwrap().list_id, "usd");
    assert_eq!(o.lines[0].amount.to_string(), "3.00");
    r.channel = Channel::MobileApp;
    let o = b.price_order(&customer("retail_chain"), &r).unwrap();
    assert_eq!(o.lines[0].net_unit_price.to_string(), "1.35");
}

#[test]
fn classification_and_quote_request() {
    let policy: ClassificationPolicy = serde_json::from_value(json!({
        "rules": [
            {"id": "abroad", "when": {"countries_not": ["IN"]}, "segment": "exporter"},
            {"id": "big", "when": {"business_categories": ["distributor"], "has_gstin": true, "min_annual_volume": "1000000", "gstin_states": ["29"]}, "segment": "distributor", "price_list": "distributor"},
            {"id": "referral", "when": {"sources": ["distributor_referral"]}, "segment": "wholesaler"}
        ],
        "default_segment": "retail_chain"
    })).unwrap();
    let classifier = Classifier::compile(policy).unwrap();
    let inquiry: Inquiry = serde_json::from_value(json!({
        "id": "L1", "company": "Shree", "business_category": "distributor", "gstin": "29AAGCB7383J1Z4", "annual_volume": "5000000",
        "lines": [{"sku": "TSHIRT-M", "quantity": "2", "unit": "CTN"}, {"sku": "SECRET", "quantity": "1"}, {"description": "blue caps", "quantity": "50"}]
    })).unwrap();
    let c = classifier.classify(&inquiry).unwrap();
    assert_eq!(
        (c.segment.as_str(), c.matched_rule.as_deref()),
        ("distributor", Some("big"))
    );
    assert!(
        c.reason.contains("abroad failed on excluded country"),
        "{}",
        c.reason
    );
    let prospect = b2b_oms::customer::Customer::prospect(&inquiry, &c).unwrap();
    assert_eq!(prospect.billing_address.state_code, "29");
    let draft = inquiry.quote_request(&catalog(), &prospect);
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(draft.unmatched.len(), 2);
    assert_eq!(draft.unmatched[0].field, "inquiry.lines[1]");
    let o = book()
        .price_order(
            &prospect,
            &request(serde_json::to_value(&draft.lines).unwrap()),
        )
        .unwrap();
    assert_eq!(o.lines[0].base_quantity, d("240"));
    let plain: Inquiry =
        serde_json::from_value(json!({"id": "L2", "company": "Walk-in", "source": "call"}))
            .unwrap();
    let c = classifier.classify(&plain).unwrap();
    assert_eq!(
        (c.segment.as_str(), c.matched_rule.as_deref()),
        ("retail_chain", None)
    );
}

#[test]
fn catalog_view_prices_at_the_moq() {
    let b = book();
    let view = b
        .catalog_for(
            &customer("distributor"),
            Channel::Portal,
            "INR",
            request(json!([])).priced_at,
            Some("hardware"),
        )
        .unwrap();
    assert_eq!(view.len(), 1);
    assert_eq!(view[0].sku, "BOLT");
    assert_eq!(view[0].quantity, d("500"));
    assert_eq!(view[0].tiers.len(), 3);
    let all = b
        .catalog_for(
            &customer("exporter"),
            Channel::Portal,
            "INR",
            request(json!([])).priced_at,
            None,
        )
        .unwrap();
    assert!(all.iter().any(|v| v.sku == "SECRET" && v.problem.is_some()));
}

#[test]
fn compiled_objects_are_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<b2b_oms::pricing::PriceBook>();
    shareable::<b2b_oms::catalog::Catalog>();
    shareable::<b2b_oms::customer::Classifier>();
    let b = std::sync::Arc::new(book());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let b = std::sync::Arc::clone(&b);
            std::thread::spawn(move || {
                b.price_order(
                    &customer("distributor"),
                    &request(json!([{"sku": "TSHIRT-M", "quantity": "600"}])),
                )
                .unwrap()
                .lines[0]
                    .amount
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().to_string(), "115302.00");
    }
}

#[test]
fn each_line_explains_the_lists_it_passed_over() {
    // A distributor's chain is distributor → default. CAP has no
    // distributor entry (twice: those lines share an explanation), 150 ×
    // TSHIRT-M is below the distributor list's lowest tier, 600 is not.
    let o = book()
        .price_order(
            &customer("distributor"),
            &request(json!([
                {"sku": "CAP", "quantity": "1"},
                {"sku": "TSHIRT-M", "quantity": "150"},
                {"sku": "CAP", "quantity": "3"},
                {"sku": "TSHIRT-M", "quantity": "600"}
            ])),
        )
        .unwrap();
    let skipped: Vec<Vec<(String, String)>> = o
        .lines
        .iter()
        .map(|l| {
            l.base_price
                .as_ref()
                .unwrap()
                .lists_skipped
                .iter()
                .map(|s| (s.list_id.to_string(), s.reason.to_string()))
                .collect()
        })
        .collect();
    let no_entry = vec![("distributor".to_owned(), "no entry for the sku".to_owned())];
    assert_eq!(
        skipped,
        vec![
            no_entry.clone(),
            vec![(
                "distributor".to_owned(),
                "below the lowest tier (200)".to_owned()
            )],
            no_entry,
            vec![],
        ]
    );
    let json = serde_json::to_value(&o.lines[3]).unwrap();
    assert!(json["base_price"].get("lists_skipped").is_none());
    assert_eq!(
        serde_json::to_value(&o.lines[0]).unwrap()["base_price"]["lists_skipped"],
        json!([{"list_id": "distributor", "reason": {"type": "no_entry"}}])
    );
}
