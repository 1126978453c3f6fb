//! The pricing side of the `b2b-oms` command: every subcommand's help, the
//! `price` command end to end with exact amounts, and documents with many
//! problems reported in full, naming the file.

mod common;
use common::{bin, dir, price, write};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    let subcommands: &[&[&str]] = &[
        &["price"],
        &["catalog"],
        &["catalog", "validate"],
        &["catalog", "view"],
        &["classify"],
        &["gstin"],
        &["invoice"],
        &["einvoice"],
        &["words"],
        &["number"],
        &["allocate"],
        &["ship"],
        &["shipment"],
        &["shipment", "transition"],
        &["shipment", "documents"],
        &["quote"],
        &["quote", "build"],
        &["quote", "revise"],
        &["quote", "accept"],
        &["quote", "convert"],
        &["approval"],
        &["approval", "plan"],
        &["approval", "start"],
        &["approval", "decide"],
        &["terms"],
        &["terms", "schedule"],
        &["credit"],
        &["credit", "check"],
        &["demo"],
        &["schema"],
    ];
    for sub in subcommands {
        let out = bin().args(*sub).arg("--help").output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{sub:?} --help: {}",
            stderr(&out)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let usage = format!("Usage: b2b-oms {}", sub.join(" "));
        assert!(
            text.contains(&usage),
            "{sub:?} --help lacks {usage:?}:\n{text}"
        );
    }
}

fn fixtures(d: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let catalog = write(
        d,
        "catalog.json",
        &json!([
            {"sku": "TEE", "name": "Tee", "hsn": "61091000", "gst_rate_class": "GST5", "base_unit": "NOS",
             "alt_units": [{"unit": "BOX", "factor": "12"}], "category": "apparel/tshirts",
             "constraints": {"moq": "12", "order_multiple": "6"}},
            {"sku": "CAP", "name": "Cap", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS", "category": "apparel/caps"}
        ]),
    );
    let book = write(
        d,
        "book.json",
        &json!({"id": "b", "version": "v7", "currency": "INR",
        "price_lists": [{"id": "default", "currency": "INR", "entries": [
            {"sku": "TEE", "unit": "BOX", "tiers": [{"min_qty": "1", "price": "2400.00"}, {"min_qty": "120", "price": "2280.00"}]},
            {"sku": "CAP", "price": "99.99"}]}],
        "default_price_lists": ["default"],
        "rules": [{"id": "R1", "priority": 1, "when": {"categories": ["apparel/tshirts"]}, "action": {"type": "percent_off", "percent": "5"}}],
        "order_rules": [{"id": "O1", "when": {"min_amount": "20000"}, "action": {"type": "amount_off", "amount": "100.00"}}]}),
    );
    let customer = write(
        d,
        "customer.json",
        &json!({"id": "C1", "legal_name": "Buyer", "segment": "retail_chain",
        "billing_address": {"state_code": "27"}}),
    );
    (catalog, book, customer)
}

#[test]
fn price_end_to_end_exact_amounts() {
    let d = dir("price");
    let (catalog, book, customer) = fixtures(&d);
    let order = write(
        &d,
        "order.json",
        &json!({"order_id": "SO-1", "currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30",
        "lines": [{"sku": "TEE", "quantity": "10", "unit": "BOX"}, {"sku": "CAP", "quantity": "3"}]}),
    );
    let out = price(&catalog, &book, &customer, &order);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 10 BOX = 120 NOS reaches the 120 tier: 2280 per BOX = 190 per NOS;
    // 5 % off → 180.50 per NOS = 2166.00 per BOX; 10 BOX = 21660.00.
    let tee = &v["lines"][0];
    assert_eq!(tee["base_quantity"], "120");
    assert_eq!(tee["net_unit_price"], "2166.00");
    assert_eq!(tee["amount"], "21660.00");
    // CAP: 3 × 99.99 = 299.97.
    assert_eq!(v["lines"][1]["amount"], "299.97");
    assert_eq!(v["subtotal"], "21959.97");
    assert_eq!(v["order_discount_total"], "100.00");
    assert_eq!(v["total_before_tax"], "21859.97");
    assert_eq!(v["price_book_version"], "v7");
    assert_eq!(v["order_id"], "SO-1");
    assert_eq!(v["all_priced"], true);
}

#[test]
fn catalog_validate_lists_every_problem_and_names_the_file() {
    let d = dir("bad-catalog");
    let good = |sku: &str| json!({"sku": sku, "name": "X", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS"});
    let mut products = vec![good("A"), good("A")];
    for (i, (field, value)) in [
        ("hsn", json!("12")),
        ("name", json!(" ")),
        ("gst_rate_class", json!("")),
        ("base_unit", json!("XYZ")),
        ("category", json!("/apparel")),
        ("floor_price", json!("-1")),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = good(&format!("P{i}"));
        p[field] = value;
        products.push(p);
    }
    let path = write(&d, "bad-catalog.json", &Value::Array(products));
    let out = bin()
        .args(["catalog", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        format!("error: {}: the catalog has 7 problem(s):", path.display())
    );
    let codes: Vec<&str> = lines[1..].iter().map(|l| l.trim()).collect();
    assert_eq!(codes.len(), 7, "{err}");
    let expected = [
        "DUPLICATE_SKU at products[1].sku",
        "INVALID_HSN at products[2].hsn",
        "MISSING_NAME at products[3].name",
        "MISSING_RATE_CLASS at products[4].gst_rate_class",
        "INVALID_CATEGORY at products[6].category",
        "NEGATIVE at products[7].floor_price",
        "UNKNOWN_UNIT at products[5].base_unit",
    ];
    for (line, want) in codes.iter().zip(expected) {
        assert!(
            line.starts_with(want),
            "{line:?} should start with {want:?}"
        );
    }
}

#[test]
fn a_bad_price_book_lists_every_problem_and_names_the_file() {
    let d = dir("bad-book");
    let (catalog, _, customer) = fixtures(&d);
    let rules: Vec<Value> = (0..7)
        .map(|i| json!({"id": format!("R{i}"), "when": {"brands": [format!("nobrand{i}")]}, "action": {"type": "percent_off", "percent": "1"}}))
        .collect();
    let book = write(
        &d,
        "bad-book.json",
        &json!({"id": "b", "currency": "INR", "price_lists": [], "rules": rules}),
    );
    let order = write(
        &d,
        "order.json",
        &json!({"currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30",
        "lines": [{"sku": "CAP", "quantity": "1"}]}),
    );
    let out = price(&catalog, &book, &customer, &order);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "error: {}: the price book has 7 problem(s):",
            book.display()
        )
    );
    for i in 0..7 {
        let want = format!("UNKNOWN_BRAND at rules[{i}].when.brands[0]");
        assert!(
            lines.iter().any(|l| l.trim().starts_with(&want)),
            "{want} missing:\n{err}"
        );
    }
}

#[test]
fn classify_names_a_missing_state_and_lossy_numbers() {
    let d = dir("classify");
    let (catalog, _, _) = fixtures(&d);
    let policy = write(
        &d,
        "policy.json",
        &json!({"rules": [], "default_segment": "retail_chain"}),
    );
    let inquiry = write(
        &d,
        "inquiry.json",
        &json!({"id": "L1", "company": "Walk-in", "lines": [{"sku": "CAP", "quantity": "5"}]}),
    );
    let out = bin()
        .args(["classify", "--policy"])
        .arg(&policy)
        .arg("--catalog")
        .arg(&catalog)
        .arg(&inquiry)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("MISSING_FIELD at inquiry.state_code"), "{err}");
    // A quantity written as a number with more digits than f64 keeps.
    let lossy = d.join("lossy.json");
    std::fs::write(
        &lossy,
        r#"{"id": "L2", "company": "X", "state_code": "27", "lines": [{"sku": "CAP", "quantity": 5.00000000000000000001}]}"#,
    )
    .unwrap();
    let out = bin()
        .args(["classify", "--policy"])
        .arg(&policy)
        .arg(&lossy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("LOSSY_NUMBER at lines[0].quantity"), "{err}");
}
