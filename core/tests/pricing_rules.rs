//! Price-book references, rule conditions and bases, exclusive groups,
//! order and shipping rules, guards and limits, each with exact numbers.

mod common;

use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PricingError};
use common::*;
use serde_json::{json, Value};

fn compile_err(def: Value) -> Vec<(String, String, String)> {
    let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
    match PriceBook::compile(def, catalog()) {
        Err(PricingError::InvalidPriceBook { issues }) => issues
            .into_iter()
            .map(|i| (i.code, i.field.unwrap_or_default(), i.message))
            .collect(),
        other => panic!("expected InvalidPriceBook, got {other:?}"),
    }
}

#[test]
fn unknown_product_scope_references_are_compile_errors() {
    let mut def = book_json();
    def["rules"] = json!([
        {"id": "OK", "when": {"categories": ["apparel"]}, "action": {"type": "percent_off", "percent": "1"}},
        {"id": "A", "when": {"categories": ["apparel", "aparel/tshirts"]}, "action": {"type": "percent_off", "percent": "1"}},
        {"id": "B", "when": {"brands": ["Kora", "Korra"]}, "action": {"type": "percent_off", "percent": "1"}},
        {"id": "C", "when": {"tags": ["sale"]}, "action": {"type": "percent_off", "percent": "1"}},
        {"id": "D", "when": {"product_groups": ["TSHIRT", "TSHRT"]}, "action": {"type": "percent_off", "percent": "1"}}
    ]);
    let issues = compile_err(def);
    let got: Vec<(&str, &str)> = issues
        .iter()
        .map(|(c, f, _)| (c.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("UNKNOWN_CATEGORY", "rules[1].when.categories[1]"),
            ("UNKNOWN_BRAND", "rules[2].when.brands[1]"),
            ("UNKNOWN_TAG", "rules[3].when.tags[0]"),
            ("UNKNOWN_PRODUCT_GROUP", "rules[4].when.product_groups[1]"),
        ]
    );
    assert!(
        issues[0].2.contains("\"aparel/tshirts\""),
        "{}",
        issues[0].2
    );
    assert!(issues[1].2.contains("\"Korra\""), "{}", issues[1].2);
}

#[test]
fn unknown_zone_in_shipping_and_order_rules_is_a_compile_error() {
    let mut def = book_json();
    def["zones"] = json!({"west": ["27", "24"]});
    def["shipping_rules"] = json!([
        {"id": "S1", "when": {"zones": ["west"]}, "charge": {"type": "flat", "amount": "100"}},
        {"id": "S2", "when": {"zones": ["west", "north"]}, "charge": {"type": "flat", "amount": "200"}}
    ]);
    def["order_rules"] = json!([
        {"id": "O1", "when": {"zones": ["east"]}, "action": {"type": "percent_off", "percent": "1"}}
    ]);
    let issues = compile_err(def);
    let got: Vec<(&str, &str)> = issues
        .iter()
        .map(|(c, f, _)| (c.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("UNKNOWN_ZONE", "order_rules[0].when.zones[0]"),
            ("UNKNOWN_ZONE", "shipping_rules[1].when.zones[1]"),
        ]
    );
    assert!(issues[1].2.contains("\"north\""));
}

mod prospects {
    use super::*;
    use b2b_oms::customer::{ClassificationPolicy, Classifier, Customer, Inquiry};
    use b2b_oms::ErrorCode;

    fn classifier() -> Classifier {
        let policy: ClassificationPolicy = serde_json::from_value(json!({
            "rules": [{"id": "abroad", "when": {"countries_not": ["IN"]}, "segment": "exporter"}],
            "default_segment": "retail_chain"
        }))
        .unwrap();
        Classifier::compile(policy).unwrap()
    }

    fn inquiry(extra: Value) -> Inquiry {
        let mut v = json!({"id": "L9", "company": "Walk-in Traders", "lines": [{"sku": "CAP", "quantity": "10"}]});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_indian_lead_without_state_or_gstin_is_a_typed_error() {
        let i = inquiry(json!({}));
        let c = classifier().classify(&i).unwrap();
        let e = Customer::prospect(&i, &c).unwrap_err();
        assert_eq!(e.code(), "MISSING_FIELD");
        assert_eq!(e.field(), Some("inquiry.state_code"));
        let e = Customer::prospect(&inquiry(json!({"state_code": "7"})), &c).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_FIELD", Some("inquiry.state_code"))
        );
        let e = Customer::prospect(&inquiry(json!({"gstin": "27ABC"})), &c).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_FIELD", Some("inquiry.gstin"))
        );
    }

    #[test]
    fn inquiry_to_quote_request_to_price() {
        for (extra, state, segment) in [
            (json!({"state_code": "27"}), "27", "retail_chain"),
            (json!({"gstin": "29AAGCB7383J1Z4"}), "29", "retail_chain"),
            (json!({"country": "SE"}), "96", "exporter"),
        ] {
            let i = inquiry(extra);
            let c = classifier().classify(&i).unwrap();
            let prospect = Customer::prospect(&i, &c).unwrap();
            assert_eq!(prospect.billing_address.state_code, state);
            assert_eq!(prospect.segment, segment);
            let draft = i.quote_request(&catalog(), &prospect);
            assert_eq!(draft.lines.len(), 1);
            let o = book()
                .price_order(
                    &prospect,
                    &request(serde_json::to_value(&draft.lines).unwrap()),
                )
                .unwrap();
            // CAP 120.00 × 10 = 1200.00 from the default list.
            assert_eq!(o.lines[0].amount.to_string(), "1200.00");
            assert_eq!(o.customer_id, "prospect:L9");
        }
    }
}

mod catalog_validation {
    use super::*;
    use b2b_oms::catalog::{Catalog, CatalogError, Product};
    use b2b_oms::money::Currencies;

    fn product(sku: &str, extra: Value) -> Value {
        let mut v = json!({"sku": sku, "name": "X", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    }

    fn problems(products: Vec<Value>) -> Vec<(String, String)> {
        let products: Vec<Product> = serde_json::from_value(Value::Array(products)).unwrap();
        match Catalog::new(products) {
            Err(CatalogError::Invalid { issues }) => issues
                .into_iter()
                .map(|i| (i.code, i.field.unwrap_or_default()))
                .collect(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn cost_currency_is_checked() {
        let got = problems(vec![
            product("A", json!({"cost": {"amount": "10", "currency": "inr"}})),
            product("B", json!({"cost": {"amount": "10", "currency": "XTS"}})),
            product("C", json!({"cost": {"amount": "10", "currency": "INR"}})),
        ]);
        assert_eq!(
            got,
            pairs(&[
                ("INVALID_CURRENCY", "products[0].cost.currency"),
                ("UNKNOWN_CURRENCY", "products[1].cost.currency"),
            ])
        );
        // Registered by the caller, XTS loads.
        let mut currencies = Currencies::iso();
        currencies.register("XTS", 3).unwrap();
        let products: Vec<Product> = serde_json::from_value(json!([product(
            "B",
            json!({"cost": {"amount": "10", "currency": "XTS"}})
        )]))
        .unwrap();
        assert_eq!(
            Catalog::with_currencies(products, &currencies)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn constraints_must_fit_the_quantity_step() {
        let got = problems(vec![
            product("A", json!({"constraints": {"moq": "0.5"}})),
            product(
                "B",
                json!({"constraints": {"order_multiple": "2.5", "max_quantity": "10.5"}}),
            ),
            product(
                "K",
                json!({"base_unit": "KGS", "quantity_step": "0.25", "constraints": {"moq": "0.3", "order_multiple": "0.5"}}),
            ),
            product(
                "D",
                json!({"constraints": {"moq": "100", "order_multiple": "60", "max_quantity": "110"}}),
            ),
            product(
                "E",
                json!({"constraints": {"moq": "10", "max_quantity": "100"},
                "constraint_overrides": [{"segment": "distributor", "moq": "500"}, {"customer": "C1", "moq": "1.5"}]}),
            ),
            product(
                "OK",
                json!({"base_unit": "KGS", "constraints": {"moq": "0.5", "order_multiple": "0.25", "max_quantity": "10"}}),
            ),
        ]);
        assert_eq!(
            got,
            pairs(&[
                ("NOT_STEP_MULTIPLE", "products[0].constraints.moq"),
                (
                    "NOT_STEP_MULTIPLE",
                    "products[1].constraints.order_multiple"
                ),
                ("NOT_STEP_MULTIPLE", "products[1].constraints.max_quantity"),
                ("NOT_STEP_MULTIPLE", "products[2].constraints.moq"),
                // MOQ 100 rounded up to a multiple of 60 is 120 > 110.
                (
                    "NO_ORDERABLE_QUANTITY",
                    "products[3].constraints.max_quantity"
                ),
                // The distributor's MOQ 500 is above the product's maximum 100.
                (
                    "NO_ORDERABLE_QUANTITY",
                    "products[4].constraint_overrides[0].max_quantity"
                ),
                (
                    "NOT_STEP_MULTIPLE",
                    "products[4].constraint_overrides[1].moq"
                ),
            ])
        );
    }

    #[test]
    fn every_unit_problem_is_reported_with_the_others() {
        let got = problems(vec![
            product(
                "A",
                json!({"hsn": "1", "alt_units": [
                {"unit": "BOX", "factor": "0"},
                {"unit": "PAC", "factor": "2", "of": "CTN"},
                {"unit": "CTN", "factor": "2", "of": "PAC"}]}),
            ),
            product(
                "B",
                json!({"constraints": {"moq": "0.5"}, "alt_units": [{"unit": "BOX", "factor": "12", "of": "BOX"}]}),
            ),
        ]);
        assert_eq!(
            got,
            pairs(&[
                ("INVALID_HSN", "products[0].hsn"),
                ("NOT_STEP_MULTIPLE", "products[1].constraints.moq"),
                ("BAD_UNIT_FACTOR", "products[0].alt_units[0].factor"),
                ("BAD_UNIT_CONVERSION", "products[0].alt_units[1]"),
                ("BAD_UNIT_CONVERSION", "products[0].alt_units[2]"),
                ("BAD_UNIT_CONVERSION", "products[1].alt_units[0]"),
            ])
        );
    }
}

mod catalog_view {
    use super::*;
    use b2b_oms::catalog::{Catalog, Product};
    use b2b_oms::customer::Channel;
    use std::sync::Arc;

    fn own_catalog() -> Arc<Catalog> {
        let products: Vec<Product> = serde_json::from_value(json!([
            {"sku": "PACK", "name": "Pack", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS",
             "alt_units": [{"unit": "BOX", "factor": "12"}], "category": "packs",
             "constraints": {"moq": "100", "order_multiple": "60"}},
            {"sku": "X", "name": "X", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS", "category": "misc"}
        ]))
        .unwrap();
        Arc::new(Catalog::new(products).unwrap())
    }

    fn own_book() -> PriceBook {
        let def: PriceBookDefinition = serde_json::from_value(json!({
            "id": "v", "currency": "INR",
            "price_lists": [
                {"id": "base", "currency": "INR", "entries": [
                    {"sku": "PACK", "unit": "BOX", "valid_until": "2026-01-01T00:00:00+05:30",
                     "tiers": [{"min_qty": "1", "price": "1200.00"}]},
                    {"sku": "PACK", "unit": "BOX", "valid_from": "2026-01-01T00:00:00+05:30",
                     "tiers": [{"min_qty": "1", "price": "2400.00"}, {"min_qty": "240", "price": "2160.00"}]},
                    {"sku": "X", "tiers": [{"min_qty": "100", "price": "50.00"}]}
                ]},
                {"id": "dist", "currency": "INR", "based_on": {"list": "base", "percent": "-10"}},
                {"id": "fallback", "currency": "INR", "entries": [{"sku": "X", "price": "60.00"}]}
            ],
            "default_price_lists": ["base", "fallback"],
            "segment_price_lists": {"wholesaler": ["dist"]}
        }))
        .unwrap();
        PriceBook::compile(def, own_catalog()).unwrap()
    }

    #[test]
    fn view_prices_a_passing_quantity_with_the_valid_scaled_ladder() {
        let b = own_book();
        let view = b
            .catalog_for(
                &customer("wholesaler"),
                Channel::Portal,
                "INR",
                request(json!([])).priced_at,
                Some("packs"),
            )
            .unwrap();
        assert_eq!(view.len(), 1);
        let v = &view[0];
        // MOQ 100 in packs of 60 → 120 NOS, which prices (no NOT_MULTIPLE).
        assert_eq!(v.quantity, d("120"));
        assert_eq!(v.problem, None);
        // 2400 per BOX of 12 = 200 per NOS, −10 % in the derived list = 180.
        assert_eq!(v.net_unit_price, Some(d("180.00")));
        let tiers: Vec<(&str, _)> = v
            .tiers
            .iter()
            .map(|t| (t.label.as_str(), t.price))
            .collect();
        // The current entry (not the expired one at 1200 per BOX), per NOS,
        // scaled: 2160 / 12 × 0.9 = 162.
        assert_eq!(
            tiers,
            vec![("from 1 NOS", d("180")), ("from 240 NOS", d("162"))]
        );
        // A retail buyer sees the base list unscaled.
        let retail = b
            .catalog_for(
                &customer("retail_chain"),
                Channel::Portal,
                "INR",
                request(json!([])).priced_at,
                Some("packs"),
            )
            .unwrap();
        assert_eq!(retail[0].net_unit_price, Some(d("200.00")));
        assert_eq!(retail[0].tiers[1].price, d("180"));
    }

    #[test]
    fn earlier_list_hint_shows_the_derived_price() {
        let o = own_book()
            .price_order(
                &customer("wholesaler"),
                &request(json!([{"sku": "X", "quantity": "80"}])),
            )
            .unwrap();
        let l = &o.lines[0];
        assert_eq!(l.net_unit_price.to_string(), "60.00");
        assert_eq!(l.amount.to_string(), "4800.00");
        let messages: Vec<&str> = l.hints.iter().map(|h| h.message.as_str()).collect();
        assert!(
            messages.contains(&"order 20 more to be priced from list dist at 45.00/NOS"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"order 20 more to be priced from list base at 50.00/NOS"),
            "{messages:?}"
        );
    }
}
