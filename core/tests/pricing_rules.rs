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
