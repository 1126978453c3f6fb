//! Property tests of pricing (quality.md): determinism, no panics on any
//! decimal, monotone all-units tiers, MOQ suggestions pass, a rule that
//! does not match changes nothing, amounts follow the rounding rules, and
//! every result round-trips through JSON.

mod common;

use b2b_oms::pricing::{PriceBookDefinition, PricedOrder, TierMode};
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

fn any_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), any::<u32>(), 0u32..=28).prop_map(|(lo, hi, scale)| {
        Decimal::from_parts(lo as u32, (lo >> 32) as u32, hi, lo < 0, scale)
    })
}

fn small_qty() -> impl Strategy<Value = Decimal> {
    (1i64..5_000).prop_map(Decimal::from)
}

fn order_json(lines: &[(&str, Decimal)]) -> serde_json::Value {
    json!(lines
        .iter()
        .map(|(sku, q)| json!({"sku": sku, "quantity": q.to_string()}))
        .collect::<Vec<_>>())
}

const SKUS: [&str; 4] = ["TSHIRT-M", "TSHIRT-L", "CAP", "BOLT"];
const SEGMENTS: [&str; 3] = ["distributor", "retail_chain", "wholesaler"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn same_input_same_output(lines in proptest::collection::vec((0usize..4, small_qty()), 1..12), seg in 0usize..3) {
        let b = book();
        let c = customer(SEGMENTS[seg]);
        let ls: Vec<(&str, Decimal)> = lines.iter().map(|(s, q)| (SKUS[*s], *q)).collect();
        let r = request(order_json(&ls));
        let a = b.price_order(&c, &r).unwrap();
        let again = book().price_order(&c, &r).unwrap();
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&again).unwrap());
        prop_assert_eq!(a, again);
    }

    #[test]
    fn no_panic_on_any_decimal(q in any_decimal(), price in any_decimal(), pct in any_decimal(), sku in 0usize..4) {
        let mut def = book_json();
        def["price_lists"][0]["entries"][1]["price"] = json!(price.to_string());
        def["rules"][0]["action"]["percent"] = json!(pct.to_string());
        let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
        if let Ok(b) = b2b_oms::pricing::PriceBook::compile(def, catalog()) {
            let _ = b.price_order(&customer("distributor"), &request(order_json(&[(SKUS[sku], q), ("CAP", q)])));
        }
        let _ = book().price_order(&customer("distributor"), &request(order_json(&[(SKUS[sku], q)])));
    }

    #[test]
    fn monotone_all_units_tiers_never_raise_the_unit_price(
        prices in proptest::collection::vec(1i64..100_000, 1..6),
        q1 in 1i64..2_000, dq in 0i64..2_000,
    ) {
        let mut sorted = prices.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        let tiers: Vec<_> = sorted.iter().enumerate()
            .map(|(i, p)| json!({"min_qty": (1 + i * 100).to_string(), "price": Decimal::new(*p, 2).to_string()}))
            .collect();
        let mut def = book_json();
        def["price_lists"][0]["entries"][1] = json!({"sku": "CAP", "tiers": tiers});
        let b = book_from(def);
        let c = customer("retail_chain");
        let unit = |q: i64| {
            let o = b.price_order(&c, &request(order_json(&[("CAP", Decimal::from(q))]))).unwrap();
            o.lines[0].net_unit_price
        };
        prop_assert!(unit(q1 + dq) <= unit(q1));
    }

    #[test]
    fn moq_suggestions_pass_every_constraint(moq in 1i64..500, multiple in 1i64..100, max_extra in 0i64..5_000, q in 1i64..6_000) {
        let mut products = products();
        // The maximum leaves room for at least one passing quantity (a
        // catalog where none passes is rejected at load).
        let smallest = (moq + multiple - 1) / multiple * multiple;
        products[2]["constraints"] = json!({"moq": moq.to_string(), "order_multiple": multiple.to_string(), "max_quantity": (smallest + max_extra).to_string()});
        let products: Vec<b2b_oms::catalog::Product> = serde_json::from_value(products).unwrap();
        let cat = std::sync::Arc::new(b2b_oms::catalog::Catalog::new(products).unwrap());
        let def: PriceBookDefinition = serde_json::from_value(book_json()).unwrap();
        let b = b2b_oms::pricing::PriceBook::compile(def, cat).unwrap();
        let c = customer("retail_chain");
        let o = b.price_order(&c, &request(order_json(&[("CAP", Decimal::from(q))]))).unwrap();
        if let Some(e) = o.errors.first() {
            prop_assert!(["BELOW_MOQ", "NOT_MULTIPLE", "ABOVE_MAX"].contains(&e.code.as_str()), "{}", e.code);
            if let Some(s) = e.suggested {
                let again = b.price_order(&c, &request(order_json(&[("CAP", s)]))).unwrap();
                prop_assert!(again.all_priced, "suggested {} still fails: {:?}", s, again.errors);
            }
        }
    }

    #[test]
    fn a_rule_that_does_not_match_changes_nothing(
        lines in proptest::collection::vec((0usize..4, small_qty()), 1..8), seg in 0usize..3, pct in 1i64..50, prio in -5i32..20,
        kind in 0usize..3,
    ) {
        let ls: Vec<(&str, Decimal)> = lines.iter().map(|(s, q)| (SKUS[*s], *q)).collect();
        let r = request(order_json(&ls));
        let c = customer(SEGMENTS[seg]);
        let before = book().price_order(&c, &r).unwrap();
        let mut def = book_json();
        let when = match kind {
            0 => json!({"customers": ["SOMEONE-ELSE"]}),
            1 => json!({"segments": ["exporter"], "skus": ["CAP"]}),
            _ => json!({"valid_until": "2020-01-01T00:00:00+05:30"}),
        };
        def["rules"].as_array_mut().unwrap().push(json!({"id": "R0-NEVER", "priority": prio, "stop": true,
            "when": when, "action": {"type": "percent_off", "percent": pct.to_string()}}));
        let after = book_from(def).price_order(&c, &r).unwrap();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn amounts_follow_the_rounding_rules(lines in proptest::collection::vec((0usize..4, small_qty()), 1..8), seg in 0usize..3) {
        let ls: Vec<(&str, Decimal)> = lines.iter().map(|(s, q)| (SKUS[*s], *q)).collect();
        let o = book().price_order(&customer(SEGMENTS[seg]), &request(order_json(&ls))).unwrap();
        for l in &o.lines {
            let base = l.base_price.as_ref().unwrap();
            let expected = match base.tier_mode {
                TierMode::Graduated => (l.net_price_per_base_unit * l.base_quantity).round_dp(2),
                TierMode::AllUnits => (l.net_unit_price * l.quantity).round_dp(2),
            };
            prop_assert_eq!(l.amount, expected);
            if base.tier_mode == TierMode::Graduated && l.adjustments.is_empty() {
                prop_assert_eq!(l.amount, base.band_sum.unwrap().round_dp(2));
            }
        }
        prop_assert_eq!(o.subtotal, o.lines.iter().map(|l| l.amount).sum::<Decimal>());
        prop_assert_eq!(o.order_discount_total, o.lines.iter().map(|l| l.order_discount_share).sum::<Decimal>());
    }

    #[test]
    fn results_round_trip_through_json(lines in proptest::collection::vec((0usize..4, small_qty()), 1..8), seg in 0usize..3) {
        let ls: Vec<(&str, Decimal)> = lines.iter().map(|(s, q)| (SKUS[*s], *q)).collect();
        let o = book().price_order(&customer(SEGMENTS[seg]), &request(order_json(&ls))).unwrap();
        let text = serde_json::to_string(&o).unwrap();
        let back: PricedOrder = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &o);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}

#[test]
fn definitions_round_trip_through_json() {
    let def: PriceBookDefinition = serde_json::from_value(book_json()).unwrap();
    let back: PriceBookDefinition =
        serde_json::from_str(&serde_json::to_string(&def).unwrap()).unwrap();
    assert_eq!(back, def);
    let products: Vec<b2b_oms::catalog::Product> = serde_json::from_value(products()).unwrap();
    let back: Vec<b2b_oms::catalog::Product> =
        serde_json::from_str(&serde_json::to_string(&products).unwrap()).unwrap();
    assert_eq!(back, products);
    let c = customer("distributor");
    let back: b2b_oms::customer::Customer =
        serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
}

/// Serializes, reads back with the library's own reader, and checks the
/// value and the bytes are unchanged.
fn round_trips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).unwrap();
    let back: T = b2b_oms::json::from_json(&text).unwrap();
    prop_assert_eq!(&back, value);
    prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    Ok(())
}

fn policy() -> b2b_oms::customer::ClassificationPolicy {
    serde_json::from_value(json!({
        "rules": [
            {"id": "abroad", "when": {"countries_not": ["IN"]}, "segment": "exporter"},
            {"id": "big", "when": {"business_categories": ["distributor"], "has_gstin": true, "min_annual_volume": "1000000", "gstin_states": ["29"]}, "segment": "distributor", "price_list": "distributor"},
            {"id": "referral", "when": {"sources": ["distributor_referral", "trade_fair"]}, "segment": "wholesaler"}
        ],
        "default_segment": "retail_chain"
    }))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Every document of the inquiry → quote request → price → catalog
    /// journey round-trips through JSON unchanged.
    #[test]
    fn journey_documents_round_trip_through_json(
        foreign in any::<bool>(),
        gstin in any::<bool>(),
        category in 0usize..3,
        source in 0usize..5,
        volume in proptest::option::of(0i64..10_000_000),
        lines in proptest::collection::vec((0usize..5, small_qty(), 0usize..3, proptest::option::of(1i64..100_000)), 0..6),
        seg in 0usize..3,
    ) {
        let units = [None, Some("BOX"), Some("CTN")];
        let inquiry_lines: Vec<serde_json::Value> = lines
            .iter()
            .map(|(s, q, u, t)| {
                let mut l = json!({"quantity": q.to_string()});
                match ["TSHIRT-M", "TSHIRT-L", "CAP", "SECRET", ""][*s] {
                    "" => l["description"] = json!("blue caps, embroidered"),
                    sku => l["sku"] = json!(sku),
                }
                if let (Some(u), 0) = (units[*u], *s) {
                    l["unit"] = json!(u);
                }
                if let Some(t) = t {
                    l["target_price"] = json!(Decimal::new(*t, 2).to_string());
                }
                l
            })
            .collect();
        let country = if foreign { "SE" } else { "IN" };
        let business_category = ["distributor", "manufacturer", "d2c_brand"][category];
        let source = ["web_form", "call", "email", "distributor_referral", "trade_fair"][source];
        let mut inquiry = json!({
            "id": "L1", "company": "Shree Traders \"Pune\"", "country": country,
            "business_category": business_category,
            "source": source,
            "requirement": "caps\nand tees", "lines": inquiry_lines, "state_code": "27"
        });
        if gstin {
            inquiry["gstin"] = json!("29AAGCB7383J1Z4");
        }
        if let Some(v) = volume {
            inquiry["annual_volume"] = json!(v.to_string());
        }
        let inquiry: b2b_oms::customer::Inquiry = serde_json::from_value(inquiry).unwrap();
        round_trips(&inquiry)?;
        let policy = policy();
        round_trips(&policy)?;
        let classification = b2b_oms::customer::Classifier::compile(policy.clone()).unwrap().classify(&inquiry).unwrap();
        round_trips(&classification)?;
        let prospect = b2b_oms::customer::Customer::prospect(&inquiry, &classification).unwrap();
        round_trips(&prospect)?;
        let draft = inquiry.quote_request(&catalog(), &prospect);
        round_trips(&draft)?;
        let request = request(serde_json::to_value(&draft.lines).unwrap());
        round_trips(&request)?;
        let c = customer(SEGMENTS[seg]);
        round_trips(&c)?;
        let view = book().catalog_for(&c, request.channel, "INR", request.priced_at, None).unwrap();
        for v in &view {
            round_trips(v)?;
        }
        let def: PriceBookDefinition = serde_json::from_value(book_json()).unwrap();
        round_trips(&def)?;
        let products: Vec<b2b_oms::catalog::Product> = serde_json::from_value(products()).unwrap();
        round_trips(&products)?;
    }
}
