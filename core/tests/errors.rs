//! One test per error kind: its stable code and the field path it names.

mod common;

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::{ClassificationPolicy, Classifier, Inquiry};
use b2b_oms::json::from_json;
use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PricingError};
use b2b_oms::ErrorCode;
use common::*;
use serde_json::{json, Value};

fn catalog_issues(products: Value) -> Vec<(String, String)> {
    let products: Vec<Product> = serde_json::from_value(products).unwrap();
    let err = Catalog::new(products).unwrap_err();
    assert_eq!(err.code(), "INVALID_CATALOG");
    match err {
        b2b_oms::catalog::CatalogError::Invalid { issues } => issues
            .into_iter()
            .map(|i| (i.code, i.field.unwrap_or_default()))
            .collect(),
        other => panic!("unexpected {other:?}"),
    }
}

fn pair(code: &str, field: &str) -> (String, String) {
    (code.to_owned(), field.to_owned())
}

#[test]
fn catalog_reports_every_problem_at_once() {
    let issues = catalog_issues(json!([
        {"sku": "A", "name": "A", "hsn": "6109", "gst_rate_class": "GST5", "base_unit": "NOS"},
        {"sku": "A", "name": "", "hsn": "61X9", "gst_rate_class": "", "base_unit": "NOS", "category": "a//b"},
        {"sku": "", "name": "B", "hsn": "123", "gst_rate_class": "GST5", "base_unit": "NOS",
         "cost": {"amount": "-1", "currency": "INR"},
         "constraints": {"moq": "100", "max_quantity": "10", "order_multiple": "0"}},
        {"sku": "C", "name": "C", "hsn": "6109", "gst_rate_class": "GST5", "base_unit": "NOS",
         "constraint_overrides": [{"moq": "5"}, {"segment": "x", "customer": "y"}]},
        {"sku": "D", "name": "D", "hsn": "6109", "gst_rate_class": "GST5", "base_unit": "NOS",
         "constraint_overrides": [{"segment": "x", "moq": "5"}, {"segment": "x", "moq": "6"}]},
        {"sku": "E", "name": "E", "hsn": "6109", "gst_rate_class": "GST5", "base_unit": "XYZ"}
    ]));
    for expected in [
        pair("DUPLICATE_SKU", "products[1].sku"),
        pair("MISSING_NAME", "products[1].name"),
        pair("INVALID_HSN", "products[1].hsn"),
        pair("MISSING_RATE_CLASS", "products[1].gst_rate_class"),
        pair("INVALID_CATEGORY", "products[1].category"),
        pair("INVALID_SKU", "products[2].sku"),
        pair("INVALID_HSN", "products[2].hsn"),
        pair("NEGATIVE", "products[2].cost.amount"),
        pair("NOT_POSITIVE", "products[2].constraints.order_multiple"),
        pair("MOQ_ABOVE_MAX", "products[2].constraints.moq"),
        pair("INVALID_OVERRIDE", "products[3].constraint_overrides[0]"),
        pair("INVALID_OVERRIDE", "products[3].constraint_overrides[1]"),
        pair("DUPLICATE_OVERRIDE", "products[4].constraint_overrides[1]"),
        pair("UNKNOWN_UNIT", "products[5].base_unit"),
    ] {
        assert!(
            issues.contains(&expected),
            "missing {expected:?} in {issues:?}"
        );
    }
}

#[test]
fn unknown_and_invisible_skus_are_indistinguishable() {
    let b = book();
    let retail = customer("retail_chain");
    let o = b
        .price_order(
            &retail,
            &request(json!([{"sku": "SECRET", "quantity": "1"}, {"sku": "NOPE", "quantity": "1"}])),
        )
        .unwrap();
    assert!(!o.all_priced);
    assert_eq!(o.errors[0].code, "UNKNOWN_SKU");
    assert_eq!(o.errors[0].field, "lines[0].sku");
    assert_eq!(o.errors[1].code, "UNKNOWN_SKU");
    assert_eq!(o.errors[1].field, "lines[1].sku");
    assert_eq!(
        o.errors[0].message.replace("SECRET", "X"),
        o.errors[1].message.replace("NOPE", "X")
    );
    assert!(b
        .catalog_for(
            &retail,
            b2b_oms::customer::Channel::Portal,
            "INR",
            request(json!([])).priced_at,
            None
        )
        .unwrap()
        .iter()
        .all(|v| v.sku != "SECRET"));
}

#[test]
fn not_orderable_product() {
    let mut products = products();
    products[2]["status"] = json!("discontinued");
    let products: Vec<Product> = serde_json::from_value(products).unwrap();
    let def: PriceBookDefinition = serde_json::from_value(book_json()).unwrap();
    let b = PriceBook::compile(def, Arc::new(Catalog::new(products).unwrap())).unwrap();
    let o = b
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "CAP", "quantity": "1"}])),
        )
        .unwrap();
    assert_eq!(o.errors[0].code, "NOT_ORDERABLE");
    assert_eq!(o.errors[0].field, "lines[0].sku");
}

#[test]
fn quantity_and_unit_errors_name_the_line() {
    let o = book()
        .price_order(
            &customer("retail_chain"),
            &request(json!([
                {"sku": "CAP", "quantity": "0"},
                {"sku": "CAP", "quantity": "0.5"},
                {"sku": "CAP", "quantity": "1", "unit": "BOX"},
                {"sku": "BOLT", "quantity": "60"},
                {"sku": "BOLT", "quantity": "120"},
                {"sku": "BOLT", "quantity": "20000"},
                {"sku": "TSHIRT-L", "quantity": "5"},
                {"sku": "CAP", "quantity": "-2"},
                {"sku": "BOLT", "quantity": "1", "unit": "XYZ"}
            ])),
        )
        .unwrap();
    let got: Vec<(&str, &str, Option<String>)> = o
        .errors
        .iter()
        .map(|e| {
            (
                e.code.as_str(),
                e.field.as_str(),
                e.suggested.map(|s| s.to_string()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("QUANTITY_NOT_POSITIVE", "lines[0].quantity", None),
            ("INDIVISIBLE_QUANTITY", "lines[1].quantity", None),
            ("UNIT_NOT_SOLD", "lines[2].unit", None),
            ("BELOW_MOQ", "lines[3].quantity", Some("100".into())),
            ("NOT_MULTIPLE", "lines[4].quantity", Some("150".into())),
            ("ABOVE_MAX", "lines[5].quantity", Some("10000".into())),
            ("NO_PRICE", "lines[6].sku", None),
            ("QUANTITY_NOT_POSITIVE", "lines[7].quantity", None),
            ("UNIT_NOT_SOLD", "lines[8].unit", None),
        ]
    );
    assert_eq!(o.errors[3].limit, Some(d("100")));
    assert_eq!(o.errors[3].requested, Some(d("60")));
    assert!(
        o.errors[6]
            .message
            .contains("default (no entry for the sku)"),
        "{}",
        o.errors[6].message
    );
    assert!(o.lines.is_empty());
    assert_eq!(o.subtotal.to_string(), "0.00");
}

#[test]
fn segment_override_raises_the_moq() {
    let o = book()
        .price_order(
            &customer("distributor"),
            &request(json!([{"sku": "BOLT", "quantity": "150"}])),
        )
        .unwrap();
    assert_eq!(o.errors[0].code, "BELOW_MOQ");
    assert_eq!(o.errors[0].limit, Some(d("500")));
    assert_eq!(o.errors[0].suggested, Some(d("500")));
}

#[test]
fn whole_order_errors() {
    let b = book();
    let c = customer("retail_chain");
    let e = b.price_order(&c, &request(json!([]))).unwrap_err();
    assert_eq!((e.code(), e.field()), ("EMPTY_ORDER", Some("lines")));

    let mut def = book_json();
    def["settings"] = json!({"max_lines": 2});
    let e = book_from(def)
        .price_order(&c, &request(json!([{"sku": "CAP", "quantity": "1"}, {"sku": "CAP", "quantity": "1"}, {"sku": "CAP", "quantity": "1"}])))
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("TOO_MANY_LINES", Some("lines")));

    let mut r = request(json!([{"sku": "CAP", "quantity": "1"}]));
    r.currency = "rupee".into();
    let e = b.price_order(&c, &r).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_CURRENCY", Some("currency"))
    );
    r.currency = "XTS".into();
    let e = b.price_order(&c, &r).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_CURRENCY", Some("currency"))
    );

    let mut c2 = c.clone();
    c2.price_lists = vec!["default".into(), "gone".into()];
    let e = b
        .price_order(&c2, &request(json!([{"sku": "CAP", "quantity": "1"}])))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_PRICE_LIST", Some("customer.price_lists[1]"))
    );

    let mut c3 = c.clone();
    c3.channels = vec![b2b_oms::customer::Channel::SalesRep];
    let e = b
        .price_order(&c3, &request(json!([{"sku": "CAP", "quantity": "1"}])))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("CHANNEL_NOT_ALLOWED", Some("channel"))
    );

    let mut c4 = c.clone();
    c4.billing_address.state_code = "Maharashtra".into();
    let e = b
        .price_order(&c4, &request(json!([{"sku": "CAP", "quantity": "1"}])))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("customer.billing_address.state_code"))
    );
    let mut c5 = c;
    c5.gstin = Some("27ABC".into());
    let e = b
        .price_order(&c5, &request(json!([{"sku": "CAP", "quantity": "1"}])))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("customer.gstin"))
    );
}

#[test]
fn too_many_rules_per_line() {
    let mut def = book_json();
    def["settings"] = json!({"max_rules_per_line": 2});
    let o = book_from(def)
        .price_order(
            &customer("distributor"),
            &request(json!([{"sku": "TSHIRT-M", "quantity": "600"}])),
        )
        .unwrap();
    assert_eq!(o.errors[0].code, "TOO_MANY_RULES");
    assert_eq!(o.errors[0].field, "lines[0].sku");
}

fn book_issues(def: Value) -> Vec<(String, String)> {
    let def: PriceBookDefinition = serde_json::from_value(def).unwrap();
    match PriceBook::compile(def, catalog()).unwrap_err() {
        PricingError::InvalidPriceBook { issues } => issues
            .into_iter()
            .map(|i| (i.code, i.field.unwrap_or_default()))
            .collect(),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn price_book_compile_reports_every_problem() {
    let issues = book_issues(json!({
        "id": "bad", "currency": "XTS",
        "settings": {"unit_price_scale": 6, "max_lines": 0, "max_rules_per_line": 0},
        "currencies": [{"code": "bad", "minor_units": 2}],
        "price_lists": [
            {"id": "a", "currency": "INR", "based_on": {"list": "b", "percent": "-5"}, "entries": [
                {"sku": "NOPE", "price": "1"},
                {"sku": "CAP", "price": "1", "tiers": [{"min_qty": "1", "price": "1"}]},
                {"sku": "TSHIRT-M", "tiers": [{"min_qty": "10", "price": "1"}, {"min_qty": "5", "price": "-1"}]},
                {"sku": "TSHIRT-L", "unit": "CTN", "price": "1"},
                {"sku": "BOLT", "tier_mode": "graduated", "quantity_basis": "order_sku", "tiers": [{"min_qty": "1", "price": "1"}]},
                {"sku": "TSHIRT-M", "unit": "BOX", "price": "100", "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2025-01-01T00:00:00Z"}
            ]},
            {"id": "b", "currency": "USD", "based_on": {"list": "a", "percent": "-100"}, "entries": []},
            {"id": "a", "currency": "INR", "based_on": {"list": "zzz", "percent": "1"}, "entries": []},
            {"id": "c", "currency": "INR", "entries": [
                {"sku": "CAP", "price": "1"},
                {"sku": "CAP", "price": "2", "valid_from": "2026-01-01T00:00:00Z"}
            ]}
        ],
        "default_price_lists": ["nope"],
        "segment_price_lists": {"distributor": ["missing"]},
        "rules": [
            {"id": "R1", "when": {"skus": ["GHOST"], "min_qty": "10", "max_qty": "5", "currency": "XX"}, "action": {"type": "percent_off", "percent": "150"}},
            {"id": "R1", "action": {"type": "amount_off", "amount": "-1"}},
            {"id": "R3", "action": {"type": "fixed_price", "price": "-1"}},
            {"id": "R4", "exclusive_group": "g", "action": {"type": "free_goods", "sku": "GHOST", "free_qty": "0", "per_qty": "0"}},
            {"id": "R5", "action": {"type": "cost_plus", "margin_pct": "-100"}},
            {"id": "", "when": {"min_order_amount": "10", "max_order_amount": "1"}, "action": {"type": "percent_off", "percent": "1"}}
        ],
        "order_rules": [
            {"id": "O1", "when": {"min_amount": "5", "max_amount": "1", "states": ["MH"]}, "action": {"type": "percent_off", "percent": "101"}},
            {"id": "O1", "action": {"type": "amount_off", "amount": "-5"}}
        ],
        "shipping_rules": [
            {"id": "S1", "when": {"min_weight_kg": "5", "max_weight_kg": "1"}, "charge": {"type": "weight_slabs", "slabs": [{"min": "10", "charge": "1"}, {"min": "5", "charge": "-1"}]}},
            {"id": "S2", "charge": {"type": "value_slabs", "slabs": []}},
            {"id": "S3", "charge": {"type": "flat", "amount": "-3"}}
        ],
        "zones": {"west": ["27", "Goa"]}
    }));
    for expected in [
        pair("INVALID_CURRENCY", "currencies[0]"),
        pair("UNKNOWN_CURRENCY", "currency"),
        pair("OUT_OF_RANGE", "settings.unit_price_scale"),
        pair("OUT_OF_RANGE", "settings.max_lines"),
        pair("OUT_OF_RANGE", "settings.max_rules_per_line"),
        pair("DUPLICATE_ID", "price_lists[2].id"),
        pair("UNKNOWN_SKU", "price_lists[0].entries[0].sku"),
        pair("PRICE_OR_TIERS", "price_lists[0].entries[1].price"),
        pair(
            "TIERS_NOT_ASCENDING",
            "price_lists[0].entries[2].tiers[1].min_qty",
        ),
        pair("NEGATIVE", "price_lists[0].entries[2].tiers[1].price"),
        pair("UNIT_NOT_SOLD", "price_lists[0].entries[3].unit"),
        pair(
            "GRADUATED_BASIS",
            "price_lists[0].entries[4].quantity_basis",
        ),
        pair("EMPTY_VALIDITY", "price_lists[0].entries[5].valid_until"),
        pair("CURRENCY_MISMATCH", "price_lists[1].based_on.list"),
        pair("OUT_OF_RANGE", "price_lists[1].based_on.percent"),
        pair("UNKNOWN_PRICE_LIST", "price_lists[2].based_on.list"),
        pair(
            "OVERLAPPING_ENTRIES",
            "price_lists[3].entries[1].valid_from",
        ),
        pair("LIST_CYCLE", "price_lists[0].based_on.list"),
        pair("UNKNOWN_PRICE_LIST", "default_price_lists[0]"),
        pair("UNKNOWN_PRICE_LIST", "segment_price_lists.distributor[0]"),
        pair("UNKNOWN_SKU", "rules[0].when.skus[0]"),
        pair("EMPTY_WINDOW", "rules[0].when.max_qty"),
        pair("INVALID_CURRENCY", "rules[0].when.currency"),
        pair("OUT_OF_RANGE", "rules[0].action.percent"),
        pair("DUPLICATE_ID", "rules[1].id"),
        pair("NEGATIVE", "rules[1].action.amount"),
        pair("NEGATIVE", "rules[2].action.price"),
        pair("UNKNOWN_SKU", "rules[3].action.sku"),
        pair("NOT_POSITIVE", "rules[3].action.free_qty"),
        pair("NOT_POSITIVE", "rules[3].action.per_qty"),
        pair("FREE_GOODS_IN_GROUP", "rules[3].exclusive_group"),
        pair("OUT_OF_RANGE", "rules[4].action.margin_pct"),
        pair("INVALID_ID", "rules[5].id"),
        pair("EMPTY_WINDOW", "rules[5].when.max_order_amount"),
        pair("EMPTY_WINDOW", "order_rules[0].when.max_amount"),
        pair("INVALID_STATE_CODE", "order_rules[0].when.states[0]"),
        pair("OUT_OF_RANGE", "order_rules[0].action.percent"),
        pair("DUPLICATE_ID", "order_rules[1].id"),
        pair("NEGATIVE", "order_rules[1].action.amount"),
        pair("EMPTY_WINDOW", "shipping_rules[0].when.max_weight_kg"),
        pair(
            "TIERS_NOT_ASCENDING",
            "shipping_rules[0].charge.slabs[1].min",
        ),
        pair("NEGATIVE", "shipping_rules[0].charge.slabs[1]"),
        pair("EMPTY_SLABS", "shipping_rules[1].charge.slabs"),
        pair("NEGATIVE", "shipping_rules[2].charge.amount"),
        pair("INVALID_STATE_CODE", "zones.west[1]"),
    ] {
        assert!(
            issues.contains(&expected),
            "missing {expected:?} in {issues:#?}"
        );
    }
}

#[test]
fn list_chains_longer_than_eight_are_rejected() {
    let lists: Vec<Value> = (0..10)
        .map(|i| {
            let mut l = json!({"id": format!("L{i}"), "currency": "INR", "entries": []});
            if i > 0 {
                l["based_on"] = json!({"list": format!("L{}", i - 1), "percent": "1"});
            }
            l
        })
        .collect();
    let issues = book_issues(json!({"id": "b", "currency": "INR", "price_lists": lists}));
    assert!(
        issues.contains(&pair("LIST_CHAIN_TOO_LONG", "price_lists[9].based_on.list")),
        "{issues:?}"
    );
}

#[test]
fn malformed_json_names_the_field() {
    let e = from_json::<Vec<Product>>(r#"[{"sku": "A", "name": "A", "hsn": "6109", "gst_rate_class": "GST5", "base_unit": "NOS", "constraints": {"moq": true}}]"#)
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_JSON");
    assert_eq!(e.field(), Some("[0].constraints.moq"));
    let e = from_json::<Vec<Product>>("[1, 2").unwrap_err();
    assert_eq!(e.code(), "INVALID_JSON");
    let e = from_json::<Vec<Product>>("[] trailing").unwrap_err();
    assert_eq!(e.field(), Some("."));
}

#[test]
fn classification_errors() {
    let policy: ClassificationPolicy = serde_json::from_value(json!({
        "rules": [{"id": "a", "segment": "x"}, {"id": "a", "segment": "y"}], "default_segment": "z"
    }))
    .unwrap();
    let e = Classifier::compile(policy).unwrap_err();
    assert_eq!((e.code(), e.field()), ("DUPLICATE_ID", Some("rules[1].id")));
    let policy: ClassificationPolicy = serde_json::from_value(json!({
        "rules": [{"id": "a", "segment": " "}], "default_segment": "z"
    }))
    .unwrap();
    let e = Classifier::compile(policy).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("rules[0].segment"))
    );
    let policy: ClassificationPolicy = serde_json::from_value(json!({
        "rules": [{"id": "a", "segment": "s", "when": {"min_annual_volume": "10", "max_annual_volume": "10"}}], "default_segment": "z"
    }))
    .unwrap();
    let e = Classifier::compile(policy).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("rules[0].when.min_annual_volume"))
    );
    let policy: ClassificationPolicy =
        serde_json::from_value(json!({"rules": [], "default_segment": ""})).unwrap();
    assert_eq!(
        Classifier::compile(policy).unwrap_err().field(),
        Some("default_segment")
    );
    let ok = Classifier::compile(
        serde_json::from_value(json!({"rules": [], "default_segment": "z"})).unwrap(),
    )
    .unwrap();
    let inquiry: Inquiry = serde_json::from_value(json!({"id": "", "company": "X"})).unwrap();
    assert_eq!(
        ok.classify(&inquiry).unwrap_err().field(),
        Some("inquiry.id")
    );
}
