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
        // At 100 the earlier list dist prices the line, not base: the
        // hint of base's 50.00 would not be borne out.
        assert_eq!(messages.len(), 1, "{messages:?}");
    }
}

mod rules {
    use super::*;
    use b2b_oms::catalog::{Catalog, Product};
    use b2b_oms::customer::Customer;
    use b2b_oms::pricing::{FloorStatus, PriceRequest, PricedOrder};
    use b2b_oms::ErrorCode;
    use std::sync::Arc;

    /// The shared catalog with a tag on CAP and a margin floor on TSHIRT-M
    /// (cost 150, min margin 20 % → floor 180; floor_price 175 is lower).
    fn tagged_catalog() -> Arc<Catalog> {
        let mut p = products();
        p[2]["tags"] = json!(["summer"]);
        p[0]["min_margin_pct"] = json!("20");
        p[0]["floor_price"] = json!("175");
        let products: Vec<Product> = serde_json::from_value(p).unwrap();
        Arc::new(Catalog::new(products).unwrap())
    }

    /// A flat book: TSHIRT-M, TSHIRT-L 100.00, CAP 50.00, BOLT 10.00
    /// (INR), CAP 2.00 in a USD list; then `extra` merged in.
    fn flat(extra: Value) -> PriceBook {
        let mut def = json!({
            "id": "flat", "version": "1", "currency": "INR",
            "price_lists": [
                {"id": "default", "currency": "INR", "entries": [
                    {"sku": "TSHIRT-M", "price": "100.00"}, {"sku": "TSHIRT-L", "price": "100.00"},
                    {"sku": "CAP", "price": "50.00"}, {"sku": "BOLT", "price": "10.00"}]},
                {"id": "usd", "currency": "USD", "entries": [{"sku": "CAP", "price": "2.00"}]}
            ],
            "default_price_lists": ["default", "usd"]
        });
        for (k, v) in extra.as_object().unwrap() {
            def[k] = v.clone();
        }
        let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
        PriceBook::compile(def, tagged_catalog()).unwrap()
    }

    fn price(book: &PriceBook, c: &Customer, lines: Value) -> PricedOrder {
        book.price_order(c, &request(lines)).unwrap()
    }

    fn nets(o: &PricedOrder) -> Vec<String> {
        o.lines
            .iter()
            .map(|l| l.net_unit_price.to_string())
            .collect()
    }

    fn ids(o: &PricedOrder, line: usize) -> Vec<String> {
        o.lines[line]
            .adjustments
            .iter()
            .map(|a| a.rule_id.to_string())
            .collect()
    }

    #[test]
    fn order_scope_basis_sums_every_line_in_the_rule_scope() {
        let b = flat(json!({"rules": [
            {"id": "VOL", "quantity_basis": "order_scope", "when": {"categories": ["apparel/tshirts"], "min_qty": "100"},
             "action": {"type": "percent_off", "percent": "10"}},
            {"id": "LINE", "when": {"categories": ["apparel/tshirts"], "min_qty": "100"},
             "action": {"type": "percent_off", "percent": "50"}}
        ]}));
        let c = customer("retail_chain");
        // 60 + 50 t-shirts = 110 ≥ 100 across the category; CAP is out of scope.
        let o = price(
            &b,
            &c,
            json!([{"sku": "TSHIRT-M", "quantity": "60"}, {"sku": "TSHIRT-L", "quantity": "50"}, {"sku": "CAP", "quantity": "200"}]),
        );
        assert_eq!(nets(&o), ["90.00", "90.00", "50.00"]);
        assert_eq!(o.lines[0].amount.to_string(), "5400.00");
        assert_eq!(o.lines[1].amount.to_string(), "4500.00");
        assert_eq!(ids(&o, 0), ["VOL"]);
        // 60 + 30 = 90 < 100: nothing.
        let o = price(
            &b,
            &c,
            json!([{"sku": "TSHIRT-M", "quantity": "60"}, {"sku": "TSHIRT-L", "quantity": "30"}, {"sku": "CAP", "quantity": "200"}]),
        );
        assert_eq!(nets(&o), ["100.00", "100.00", "50.00"]);
    }

    #[test]
    fn order_sku_basis_sums_the_same_sku() {
        let b = flat(json!({"rules": [
            {"id": "SKU", "quantity_basis": "order_sku", "when": {"skus": ["TSHIRT-M"], "min_qty": "100"},
             "action": {"type": "amount_off", "amount": "5.00"}}
        ]}));
        let c = customer("retail_chain");
        let o = price(
            &b,
            &c,
            json!([{"sku": "TSHIRT-M", "quantity": "60"}, {"sku": "TSHIRT-M", "quantity": "40"}, {"sku": "TSHIRT-L", "quantity": "100"}]),
        );
        assert_eq!(nets(&o), ["95.00", "95.00", "100.00"]);
        assert_eq!(o.subtotal.to_string(), "19500.00");
        let o = price(
            &b,
            &c,
            json!([{"sku": "TSHIRT-M", "quantity": "60"}, {"sku": "TSHIRT-M", "quantity": "39"}]),
        );
        assert_eq!(nets(&o), ["100.00", "100.00"]);
    }

    #[test]
    fn brand_tag_and_product_group_conditions() {
        let b = flat(json!({"rules": [
            {"id": "R-brand", "priority": 1, "when": {"brands": ["Kora"]}, "action": {"type": "percent_off", "percent": "10"}},
            {"id": "R-tag", "priority": 2, "when": {"tags": ["summer"]}, "action": {"type": "percent_off", "percent": "20"}},
            {"id": "R-group", "priority": 3, "when": {"product_groups": ["TSHIRT"]}, "action": {"type": "fixed_price", "price": "80"}}
        ]}));
        let o = price(
            &b,
            &customer("retail_chain"),
            json!([
            {"sku": "TSHIRT-L", "quantity": "1"}, {"sku": "CAP", "quantity": "1"}, {"sku": "BOLT", "quantity": "100"}]),
        );
        // TSHIRT-L: fixed 80 → 10 % → 72; CAP: 20 % → 40 → 10 % → 36; BOLT: no brand, tag or group.
        assert_eq!(nets(&o), ["72.00", "36.00", "10.00"]);
        assert_eq!(ids(&o, 0), ["R-group", "R-brand"]);
        assert_eq!(ids(&o, 1), ["R-tag", "R-brand"]);
        assert!(ids(&o, 2).is_empty());
    }

    #[test]
    fn customer_id_and_customer_tag_conditions() {
        let b = flat(json!({"rules": [
            {"id": "R-cust", "priority": 2, "when": {"customers": ["C-wholesaler"]}, "action": {"type": "percent_off", "percent": "10"}},
            {"id": "R-vip", "priority": 1, "when": {"customer_tags": ["vip"]}, "action": {"type": "percent_off", "percent": "5"}}
        ]}));
        let cap = json!([{"sku": "CAP", "quantity": "1"}]);
        let mut vip = customer("wholesaler");
        vip.tags = vec!["vip".into()];
        // 50 → 45 → 42.75.
        assert_eq!(nets(&price(&b, &vip, cap.clone())), ["42.75"]);
        assert_eq!(
            nets(&price(&b, &customer("wholesaler"), cap.clone())),
            ["45.00"]
        );
        let mut other_vip = customer("retail_chain");
        other_vip.tags = vec!["vip".into()];
        assert_eq!(nets(&price(&b, &other_vip, cap.clone())), ["47.50"]);
        assert_eq!(nets(&price(&b, &customer("retail_chain"), cap)), ["50.00"]);
    }

    #[test]
    fn a_rule_limited_by_several_kinds_needs_every_kind() {
        // The index files a rule under one kind of each side; the others
        // must still be checked on the line and the customer.
        let b = flat(json!({"rules": [
            {"id": "SKU-TAG", "priority": 3, "when": {"skus": ["TSHIRT-M", "CAP"], "tags": ["summer"]},
             "action": {"type": "percent_off", "percent": "10"}},
            {"id": "SEG-VIP", "priority": 2, "when": {"segments": ["wholesaler"], "customer_tags": ["vip"]},
             "action": {"type": "amount_off", "amount": "1.00"}},
            {"id": "APP", "priority": 1, "when": {"channels": ["mobile_app", "edi"]},
             "action": {"type": "amount_off", "amount": "2.00"}}
        ]}));
        let lines = json!([{"sku": "TSHIRT-M", "quantity": "1"}, {"sku": "CAP", "quantity": "1"}]);
        let mut vip = customer("wholesaler");
        vip.tags = vec!["vip".into()];
        let mut retail_vip = customer("retail_chain");
        retail_vip.tags = vec!["vip".into()];
        // TSHIRT-M is named but not tagged; CAP is both: 50 → 45.
        assert_eq!(
            nets(&price(&b, &customer("wholesaler"), lines.clone())),
            ["100.00", "45.00"]
        );
        assert_eq!(nets(&price(&b, &vip, lines.clone())), ["99.00", "44.00"]);
        assert_eq!(
            nets(&price(&b, &retail_vip, lines.clone())),
            ["100.00", "45.00"]
        );
        let mut by_app = request(lines.clone());
        by_app.channel = b2b_oms::customer::Channel::MobileApp;
        let o = b.price_order(&vip, &by_app).unwrap();
        assert_eq!(nets(&o), ["97.00", "42.00"]);
        assert_eq!(ids(&o, 1), ["SKU-TAG", "SEG-VIP", "APP"]);
        let mut by_rep = request(lines);
        by_rep.channel = b2b_oms::customer::Channel::SalesRep;
        assert_eq!(
            nets(&b.price_order(&vip, &by_rep).unwrap()),
            ["99.00", "44.00"]
        );
    }

    #[test]
    fn line_rule_min_order_amount_uses_the_base_subtotal() {
        let b = flat(json!({"rules": [
            {"id": "BIG", "when": {"skus": ["CAP"], "min_order_amount": "1000"}, "action": {"type": "percent_off", "percent": "10"}}
        ]}));
        let c = customer("retail_chain");
        // 10 × 50 + 5 × 100 = 1000 at base prices.
        let o = price(
            &b,
            &c,
            json!([{"sku": "CAP", "quantity": "10"}, {"sku": "TSHIRT-M", "quantity": "5"}]),
        );
        assert_eq!(nets(&o), ["45.00", "100.00"]);
        assert_eq!(o.subtotal.to_string(), "950.00");
        let o = price(
            &b,
            &c,
            json!([{"sku": "CAP", "quantity": "10"}, {"sku": "TSHIRT-M", "quantity": "4"}]),
        );
        assert_eq!(nets(&o), ["50.00", "100.00"]);
    }

    #[test]
    fn rule_currency_limit() {
        let b = flat(json!({"rules": [
            {"id": "INR-ONLY", "priority": 2, "when": {"currency": "INR"}, "action": {"type": "percent_off", "percent": "10"}},
            {"id": "ANY", "priority": 1, "action": {"type": "percent_off", "percent": "50"}}
        ]}));
        let c = customer("retail_chain");
        let inr = price(&b, &c, json!([{"sku": "CAP", "quantity": "1"}]));
        assert_eq!(nets(&inr), ["22.50"]);
        let mut usd: PriceRequest = request(json!([{"sku": "CAP", "quantity": "3"}]));
        usd.currency = "USD".into();
        let o = b.price_order(&c, &usd).unwrap();
        assert_eq!(nets(&o), ["1.00"]);
        assert_eq!(ids(&o, 0), ["ANY"]);
        assert_eq!(o.lines[0].amount.to_string(), "3.00");
    }

    #[test]
    fn exclusive_group_tie_goes_to_the_lowest_id() {
        let b = flat(json!({"rules": [
            {"id": "G-b", "priority": 3, "exclusive_group": "g", "action": {"type": "percent_off", "percent": "10"}},
            {"id": "G-a", "priority": 1, "exclusive_group": "g", "action": {"type": "amount_off", "amount": "5.00"}}
        ]}));
        let o = price(
            &b,
            &customer("retail_chain"),
            json!([{"sku": "CAP", "quantity": "1"}]),
        );
        // Both give 45.00: the lower id wins.
        assert_eq!(nets(&o), ["45.00"]);
        assert_eq!(ids(&o, 0), ["G-a"]);
        let lost: Vec<&str> = o.lines[0].adjustments[0]
            .lost
            .iter()
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(lost, ["G-b"]);
    }

    #[test]
    fn exclusive_group_winner_with_stop_ends_the_chain() {
        let group = |stop_on: &str| {
            json!({"rules": [
                {"id": "W1", "priority": 5, "exclusive_group": "g", "stop": stop_on == "W1", "action": {"type": "percent_off", "percent": "20"}},
                {"id": "W2", "priority": 5, "exclusive_group": "g", "stop": stop_on == "W2", "action": {"type": "percent_off", "percent": "10"}},
                {"id": "LATER", "priority": 1, "action": {"type": "percent_off", "percent": "50"}}
            ]})
        };
        let c = customer("retail_chain");
        let cap = json!([{"sku": "CAP", "quantity": "1"}]);
        // W1 wins (40.00) and stops: LATER does not run.
        let o = price(&flat(group("W1")), &c, cap.clone());
        assert_eq!(nets(&o), ["40.00"]);
        assert_eq!(ids(&o, 0), ["W1"]);
        assert!(o.lines[0].adjustments[0].stopped);
        // The loser's stop does not count: 40 → 20.
        let o = price(&flat(group("W2")), &c, cap);
        assert_eq!(nets(&o), ["20.00"]);
        assert_eq!(ids(&o, 0), ["W1", "LATER"]);
    }

    #[test]
    fn exclusive_group_key_takes_priority_and_id_from_different_members() {
        // Group key = (highest member priority 10 from Z1, lowest member id
        // "A9") sorts before the standalone B (10, "B").
        let b = flat(json!({"rules": [
            {"id": "Z1", "priority": 10, "exclusive_group": "g", "action": {"type": "amount_off", "amount": "10.00"}},
            {"id": "A9", "priority": 1, "exclusive_group": "g", "action": {"type": "percent_off", "percent": "10"}},
            {"id": "B", "priority": 10, "action": {"type": "percent_off", "percent": "50"}}
        ]}));
        let o = price(
            &b,
            &customer("retail_chain"),
            json!([{"sku": "CAP", "quantity": "1"}]),
        );
        // Group first: Z1 40 (A9 would give 45) → B 50 % → 20.00. Had B run
        // first it would be 25 → 15.00.
        assert_eq!(nets(&o), ["20.00"]);
        assert_eq!(ids(&o, 0), ["Z1", "B"]);
    }

    #[test]
    fn order_discounts_percent_then_stop() {
        let b = flat(json!({"order_rules": [
            {"id": "O1", "priority": 10, "action": {"type": "percent_off", "percent": "10"}},
            {"id": "O2", "priority": 5, "stop": true, "action": {"type": "amount_off", "amount": "100.00"}},
            {"id": "O3", "priority": 1, "action": {"type": "percent_off", "percent": "50"}}
        ]}));
        let o = price(
            &b,
            &customer("retail_chain"),
            json!([{"sku": "CAP", "quantity": "20"}, {"sku": "TSHIRT-M", "quantity": "10"}]),
        );
        assert_eq!(o.subtotal.to_string(), "2000.00");
        let applied: Vec<(&str, String)> = o
            .order_discounts
            .iter()
            .map(|a| (a.rule_id.as_str(), a.amount.to_string()))
            .collect();
        assert_eq!(
            applied,
            [("O1", "200.00".to_string()), ("O2", "100.00".to_string())]
        );
        assert_eq!(o.order_discount_total.to_string(), "300.00");
        assert_eq!(o.total_before_tax.to_string(), "1700.00");
        // Spread in proportion: 1000 and 1000 → 150 each.
        assert_eq!(o.lines[0].order_discount_share.to_string(), "150.00");
        assert_eq!(o.lines[1].taxable_amount.to_string(), "850.00");
    }

    #[test]
    fn shipping_by_state_then_value_slabs() {
        let b = flat(json!({"shipping_rules": [
            {"id": "KA", "priority": 10, "when": {"states": ["29"]}, "charge": {"type": "flat", "amount": "500.00"}},
            {"id": "VALUE", "priority": 1, "charge": {"type": "value_slabs", "slabs": [
                {"min": "0", "charge": "200.00"}, {"min": "1000", "charge": "100.00"}, {"min": "5000", "charge": "0"}]}}
        ]}));
        let c = customer("retail_chain"); // ships to 27
        let ship = |lines: Value, state: Option<&str>| {
            let mut r = request(lines);
            r.ship_to_state = state.map(Into::into);
            let o = b.price_order(&c, &r).unwrap();
            let s = o.shipping.unwrap();
            (
                s.rule_id,
                s.amount.to_string(),
                o.total_before_tax.to_string(),
            )
        };
        let two_thousand = json!([{"sku": "CAP", "quantity": "40"}]);
        assert_eq!(
            ship(two_thousand.clone(), None),
            ("VALUE".into(), "100.00".into(), "2100.00".into())
        );
        assert_eq!(
            ship(json!([{"sku": "CAP", "quantity": "10"}]), None),
            ("VALUE".into(), "200.00".into(), "700.00".into())
        );
        assert_eq!(
            ship(json!([{"sku": "CAP", "quantity": "100"}]), None),
            ("VALUE".into(), "0.00".into(), "5000.00".into())
        );
        assert_eq!(
            ship(two_thousand, Some("29")),
            ("KA".into(), "500.00".into(), "2500.00".into())
        );
    }

    #[test]
    fn floor_from_min_margin_is_the_higher_floor() {
        let b = flat(json!({"rules": [
            {"id": "DEEP", "when": {"skus": ["TSHIRT-M"]}, "action": {"type": "percent_off", "percent": "22"}}
        ]}));
        let o = price(
            &b,
            &customer("retail_chain"),
            json!([{"sku": "TSHIRT-M", "quantity": "1"}]),
        );
        // 100 − 22 % = 78; cost 150 × 1.20 = 180 beats floor_price 175.
        assert_eq!(nets(&o), ["78.00"]);
        assert_eq!(
            o.lines[0].floor,
            FloorStatus::BelowFloor {
                floor: d("180"),
                gap: d("102")
            }
        );
    }

    #[test]
    fn default_max_lines_is_ten_thousand() {
        let b = flat(json!({}));
        let c = customer("retail_chain");
        let lines: Vec<Value> = (0..10_001)
            .map(|_| json!({"sku": "CAP", "quantity": "1"}))
            .collect();
        let e = b
            .price_order(&c, &request(Value::Array(lines.clone())))
            .unwrap_err();
        assert_eq!(e.code(), "TOO_MANY_LINES");
        assert_eq!(e.field(), Some("lines"));
        assert!(matches!(
            e,
            PricingError::TooManyLines {
                count: 10_001,
                max: 10_000,
                ..
            }
        ));
        assert!(e.to_string().contains("10000"), "{e}");
        let o = b
            .price_order(&c, &request(Value::Array(lines[..10_000].to_vec())))
            .unwrap();
        assert_eq!(o.subtotal.to_string(), "500000.00");
    }

    #[test]
    fn spec_example_2400_per_box_is_200_per_nos() {
        let def: PriceBookDefinition = serde_json::from_value(json!({
            "id": "box", "currency": "INR",
            "price_lists": [{"id": "default", "currency": "INR", "entries": [
                {"sku": "TSHIRT-M", "unit": "BOX", "price": "2400.00"}]}],
            "default_price_lists": ["default"]
        }))
        .unwrap();
        let b = PriceBook::compile(def, catalog()).unwrap();
        let o = price(
            &b,
            &customer("retail_chain"),
            json!([
            {"sku": "TSHIRT-M", "quantity": "3", "unit": "BOX"},
            {"sku": "TSHIRT-M", "quantity": "30"},
            {"sku": "TSHIRT-M", "quantity": "1", "unit": "CTN"}]),
        );
        let base = o.lines[0].base_price.as_ref().unwrap();
        assert_eq!(base.price_per_base_unit, d("200"));
        assert_eq!(o.lines[0].net_price_per_base_unit, d("200"));
        assert_eq!(nets(&o), ["2400.00", "200.00", "24000.00"]);
        let amounts: Vec<String> = o.lines.iter().map(|l| l.amount.to_string()).collect();
        assert_eq!(amounts, ["7200.00", "6000.00", "24000.00"]);
        assert_eq!(o.lines[0].base_quantity, d("36"));
        assert_eq!(o.lines[2].base_quantity, d("120"));
    }
}
