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
         "category": "misc"},
        {"sku": "G1", "name": "Variant 1", "hsn": "61091000", "gst_rate_class": "GST5",
         "base_unit": "NOS", "category": "misc", "product_group": "G"},
        {"sku": "G2", "name": "Variant 2", "hsn": "61091000", "gst_rate_class": "GST5",
         "base_unit": "NOS", "category": "misc", "product_group": "G"}
    ]))
    .unwrap();
    Arc::new(Catalog::new(products).unwrap())
}

/// A book in `currency` with one list holding `entry` (one entry or an
/// array of them), plus `extra` (rules, order rules, settings) merged in.
fn book(currency: &str, entry: Value, extra: Value) -> PriceBook {
    let entries = if entry.is_array() {
        entry
    } else {
        json!([entry])
    };
    let mut def = json!({
        "id": "b", "version": "1", "currency": currency,
        "price_lists": [{"id": "default", "currency": currency, "entries": entries}],
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

/// A graduated line costs exactly its band sum, rounded once: ¥12.5 + ¥10
/// + ¥10 = ¥32.5 → ¥33 half-up (the rounded average × 3 gave ¥32).
#[test]
fn graduated_line_costs_its_band_sum_in_jpy() {
    let b = book(
        "JPY",
        json!({"sku": "A", "tier_mode": "graduated",
               "tiers": [{"min_qty": "1", "price": "12.5"}, {"min_qty": "2", "price": "10"}]}),
        json!({}),
    );
    let o = price(&b, "JPY", json!([{"sku": "A", "quantity": "3"}]));
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(base.band_sum.unwrap().to_string(), "32.5");
    assert_eq!(amounts(&o), ["33"]);
    assert_eq!(o.subtotal.to_string(), "33");
}

/// In another unit: 1 BOX = 3 NOS at 10.005 + 10.01 + 10.01 = 30.025 →
/// 30.03 (today 30.02).
#[test]
fn graduated_line_in_an_alternative_unit_costs_its_band_sum() {
    let b = book(
        "INR",
        json!({"sku": "A", "tier_mode": "graduated",
               "tiers": [{"min_qty": "1", "price": "10.005"}, {"min_qty": "2", "price": "10.01"}]}),
        json!({}),
    );
    let o = price(
        &b,
        "INR",
        json!([{"sku": "A", "quantity": "1", "unit": "BOX"}]),
    );
    assert_eq!(amounts(&o), ["30.03"]);
}

/// After a rule the band sum is still exact: 20788.6 less 12.5 % is
/// 18190.025 → 18190.03 (today 18190.02).
#[test]
fn graduated_band_sum_stays_exact_through_the_waterfall() {
    let b = book(
        "INR",
        json!({"sku": "A", "tier_mode": "graduated",
               "tiers": [{"min_qty": "1", "price": "2310.6"}, {"min_qty": "2", "price": "2309.75"}]}),
        json!({"rules": [{"id": "R", "priority": 1, "when": {"skus": ["A"]},
                          "action": {"type": "percent_off", "percent": "12.5"}}]}),
    );
    let o = price(&b, "INR", json!([{"sku": "A", "quantity": "9"}]));
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(base.band_sum.unwrap().to_string(), "20788.60");
    assert_eq!(amounts(&o), ["18190.03"]);
}

/// Every kind of step keeps the band sum exact: amount off, fixed price
/// and a markup, then the floor clamp.
#[test]
fn graduated_band_sum_stays_exact_through_every_action() {
    let tiers = json!({"sku": "A", "tier_mode": "graduated",
        "tiers": [{"min_qty": "1", "price": "2310.6"}, {"min_qty": "2", "price": "2309.75"}]});
    for (action, expected) in [
        // 20788.6 − 9 × 0.005 = 20788.555 → 20788.56
        (json!({"type": "amount_off", "amount": "0.005"}), "20788.56"),
        // 20788.6 + 9 × 0.005 = 20788.645 → 20788.65
        (json!({"type": "amount_up", "amount": "0.005"}), "20788.65"),
        // 20788.6 × 1.125 = 23387.175 → 23387.18
        (json!({"type": "percent_up", "percent": "12.5"}), "23387.18"),
        // 9 × 0.335 = 3.015 → 3.02
        (json!({"type": "fixed_price", "price": "0.335"}), "3.02"),
        // clamped at zero
        (json!({"type": "amount_off", "amount": "7000"}), "0.00"),
    ] {
        let b = book(
            "INR",
            tiers.clone(),
            json!({"rules": [{"id": "R", "priority": 1, "when": {"skus": ["A"]}, "action": action}]}),
        );
        let o = price(&b, "INR", json!([{"sku": "A", "quantity": "9"}]));
        assert_eq!(amounts(&o), [expected], "{action}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

    /// A graduated line's amount is its band sum (unit n at the tier with
    /// the largest `min_qty` ≤ n) times every percent off, rounded once.
    #[test]
    fn graduated_amount_is_the_rounded_discounted_band_sum(
        prices in proptest::collection::vec(1i64..200_000, 1..4),
        steps in proptest::collection::vec(1u32..40, 1..4),
        percents in proptest::collection::vec(0i64..500, 0..3),
        qty in 1i64..200,
    ) {
        use rust_decimal::Decimal;
        let mut mins = vec![1i64];
        for s in steps.iter().take(prices.len() - 1) {
            mins.push(mins.last().copied().unwrap_or(1) + i64::from(*s));
        }
        // Half-paisa prices: band sums often end on a rounding midpoint.
        let price_of = |p: i64| Decimal::new(p * 5, 3);
        let tiers: Vec<Value> = mins.iter().zip(&prices)
            .map(|(m, p)| json!({"min_qty": m.to_string(), "price": price_of(*p).to_string()}))
            .collect();
        let rules: Vec<Value> = percents.iter().enumerate()
            .map(|(i, p)| json!({"id": format!("R{i}"), "priority": i, "when": {"skus": ["A"]},
                "action": {"type": "percent_off", "percent": Decimal::new(*p, 1).to_string()}}))
            .collect();
        let b = book("INR", json!({"sku": "A", "tier_mode": "graduated", "tiers": tiers}),
            json!({"rules": rules}));
        let o = price(&b, "INR", json!([{"sku": "A", "quantity": qty.to_string()}]));
        let mut expected = Decimal::ZERO;
        for n in 1..=qty {
            let k = mins.iter().rposition(|m| *m <= n).unwrap_or(0);
            expected += price_of(prices[k]);
        }
        for p in &percents {
            expected *= Decimal::ONE - Decimal::new(*p, 1) / Decimal::ONE_HUNDRED;
        }
        let expected = expected.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        proptest::prop_assert_eq!(o.lines[0].amount, expected);
    }
}

/// One rule decides which lines count towards an order-wide quantity:
/// the lines that have a price. A 60 + A 30 where the 30 line has no
/// price (its only tier starts at 50) holds 60 priced A, so neither R1
/// (`order_sku`) nor R2 (`order_scope`) reaches 90 — before, R1 counted
/// the unpriced line and R2 did not; the hints say why 30 more are needed.
#[test]
fn order_wide_quantities_count_the_priced_lines_on_every_basis() {
    let b = book(
        "INR",
        json!({"sku": "A", "tiers": [{"min_qty": "50", "price": "10.00"}]}),
        json!({"rules": [
            {"id": "R1", "priority": 2, "quantity_basis": "order_sku",
             "when": {"skus": ["A"], "min_qty": "90"}, "action": {"type": "percent_off", "percent": "10"}},
            {"id": "R2", "priority": 1, "quantity_basis": "order_scope",
             "when": {"skus": ["A"], "min_qty": "90"}, "action": {"type": "percent_off", "percent": "5"}}
        ]}),
    );
    let o = price(
        &b,
        "INR",
        json!([{"sku": "A", "quantity": "60"}, {"sku": "A", "quantity": "30"}]),
    );
    assert_eq!(o.errors.len(), 1);
    assert_eq!(o.errors[0].line_index, 1);
    assert_eq!(o.errors[0].code, "NO_PRICE");
    let l = &o.lines[0];
    assert!(l.adjustments.is_empty(), "{:?}", l.adjustments);
    assert_eq!(l.amount.to_string(), "600.00");
    let hints: Vec<&str> = l.hints.iter().map(|h| h.message.as_str()).collect();
    assert_eq!(
        hints,
        [
            "order 30 more to reach R1 (30 on lines without a price do not count)",
            "order 30 more to reach R2 (30 on lines without a price do not count)"
        ]
    );
}

/// A tier on the group's volume counts only the group's priced lines: G2
/// × 40 has no price (its tier starts at 50), so G1 × 60 holds 60 of the
/// group, below G1's 100 tier, and falls back to its 1 tier.
#[test]
fn group_tiers_count_only_the_priced_lines_of_the_group() {
    let b = book(
        "INR",
        json!([
            {"sku": "G1", "quantity_basis": "order_group",
             "tiers": [{"min_qty": "1", "price": "10.00"}, {"min_qty": "100", "price": "8.00"}]},
            {"sku": "G2", "tiers": [{"min_qty": "50", "price": "9.00"}]}
        ]),
        json!({}),
    );
    let o = price(
        &b,
        "INR",
        json!([{"sku": "G1", "quantity": "60"}, {"sku": "G2", "quantity": "40"}]),
    );
    assert_eq!(o.errors.len(), 1);
    assert_eq!(o.errors[0].code, "NO_PRICE");
    assert_eq!(amounts(&o), ["600.00"]);
    let base = o.lines[0].base_price.as_ref().unwrap();
    assert_eq!(base.tier_quantity.to_string(), "60");
    // Both priced: the group holds 110 and G1 reaches 8.00.
    let o = price(
        &b,
        "INR",
        json!([{"sku": "G1", "quantity": "60"}, {"sku": "G2", "quantity": "50"}]),
    );
    assert_eq!(amounts(&o), ["480.00", "450.00"]);
}
