//! The `b2b-oms` command end to end: JSON in, JSON out, readable errors
//! with field paths and a non-zero exit status on bad input.

mod common;
use common::{bin, dir, price, write};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

fn fixtures(d: &Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let catalog = write(
        d,
        "catalog.json",
        &json!([
            {"sku": "CAP", "name": "Cap", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS", "category": "apparel/caps",
             "constraints": {"moq": "10"}}
        ]),
    );
    let book = write(
        d,
        "book.json",
        &json!({"id": "b", "currency": "INR",
        "price_lists": [{"id": "default", "currency": "INR", "entries": [{"sku": "CAP", "tiers": [{"min_qty": "1", "price": "120.00"}, {"min_qty": "50", "price": "110.00"}]}]}],
        "default_price_lists": ["default"]}),
    );
    let customer = write(
        d,
        "customer.json",
        &json!({"id": "C1", "legal_name": "Buyer", "segment": "retail_chain",
        "billing_address": {"state_code": "27"}}),
    );
    let order = write(
        d,
        "order.json",
        &json!({"currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30",
        "lines": [{"sku": "CAP", "quantity": "30"}, {"sku": "CAP", "quantity": "5"}]}),
    );
    (catalog, book, customer, order)
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn price_prints_the_priced_order() {
    let d = dir("price");
    let (catalog, book, customer, order) = fixtures(&d);
    let out = price(&catalog, &book, &customer, &order);
    let v = json_of(&out);
    assert_eq!(v["lines"][0]["amount"], "3600.00");
    assert_eq!(
        v["lines"][0]["hints"][0]["message"],
        "order 20 more to reach 110.00/NOS"
    );
    assert_eq!(v["errors"][0]["code"], "BELOW_MOQ");
    assert_eq!(v["errors"][0]["field"], "lines[1].quantity");
    assert_eq!(v["all_priced"], false);
    // Same input, same bytes.
    let again = price(&catalog, &book, &customer, &order);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn bad_input_names_the_field_and_fails() {
    let d = dir("bad");
    let (catalog, book, customer, _) = fixtures(&d);
    let order = write(
        &d,
        "bad-order.json",
        &json!({"currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30",
        "lines": [{"sku": "CAP", "quantity": {"oops": 1}}]}),
    );
    let out = price(&catalog, &book, &customer, &order);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("INVALID_JSON at lines[0].quantity"), "{err}");

    let bad_catalog = write(
        &d,
        "bad-catalog.json",
        &json!([{"sku": "X", "name": "X", "hsn": "12", "gst_rate_class": "GST5", "base_unit": "NOS"}]),
    );
    let out = bin()
        .args(["catalog", "validate"])
        .arg(&bad_catalog)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("INVALID_HSN at products[0].hsn"), "{err}");

    let out = bin()
        .args(["catalog", "validate"])
        .arg(d.join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn catalog_validate_view_and_classify() {
    let d = dir("misc");
    let (catalog, book, customer, _) = fixtures(&d);
    let out = bin()
        .args(["catalog", "validate"])
        .arg(&catalog)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "ok: 1 products"
    );
    let out = bin()
        .args(["catalog", "view", "--catalog"])
        .arg(&catalog)
        .arg("--book")
        .arg(&book)
        .arg("--customer")
        .arg(&customer)
        .args(["--at", "2026-11-26T10:00:00+05:30"])
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v[0]["net_unit_price"], "120.00");
    assert_eq!(v[0]["quantity"], "10");

    let policy = write(
        &d,
        "policy.json",
        &json!({"rules": [{"id": "abroad", "when": {"countries_not": ["IN"]}, "segment": "exporter"}], "default_segment": "retail_chain"}),
    );
    let inquiry = write(
        &d,
        "inquiry.json",
        &json!({"id": "L1", "company": "Nordic AB", "country": "SE", "lines": [{"sku": "CAP", "quantity": "100"}]}),
    );
    let out = bin()
        .args(["classify", "--policy"])
        .arg(&policy)
        .arg("--catalog")
        .arg(&catalog)
        .arg(&inquiry)
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v["classification"]["segment"], "exporter");
    assert_eq!(v["classification"]["matched_rule"], "abroad");
    assert_eq!(v["quote_request"]["lines"][0]["sku"], "CAP");
}

#[test]
fn help_documents_every_subcommand() {
    let out = bin().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in ["price", "catalog", "classify", "demo", "schema"] {
        assert!(text.contains(sub), "{sub} missing from --help");
    }
}

#[test]
fn demo_runs_and_schema_prints() {
    let out = bin().arg("demo").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("segment distributor"));
    assert!(text.contains("BELOW_MOQ"));
    assert!(text.contains("hint: order"));
    assert!(
        text.contains("CGST") && text.contains("IGST"),
        "one intra-state and one inter-state invoice"
    );
    assert!(text.contains("UNDER BOND OR LETTER OF UNDERTAKING"));
    assert!(text.contains("e-way bill REQUIRED"));
    assert!(
        text.contains("SELF_APPROVAL"),
        "the requester's own approval is refused"
    );
    assert!(
        text.contains("TAMPERED_QUOTE"),
        "an altered acceptance is rejected"
    );
    assert!(
        text.contains("is now Shipped"),
        "shipments update the order"
    );
    let out = bin().arg("schema").output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["$defs"]["PricedOrder"].is_object());
}

/// Issue 17 item 6: the buyer is told one figure before tax for the
/// accepted lines — after the order discount — at acceptance and at
/// confirmation (the acceptance said ₹2,46,316.10, before the discount,
/// and the order ₹2,41,389.78).
#[test]
fn the_acceptance_notice_and_the_order_say_one_figure_before_tax() {
    let out = bin().arg("demo").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let figure = |marker: &str| -> String {
        let line = text
            .lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("no line with {marker:?}"));
        let at = line.find(": ₹").unwrap() + ": ".len();
        line[at..].split(' ').next().unwrap().to_owned()
    };
    let accepted = figure("We received your acceptance");
    let confirmed = figure("is confirmed");
    assert_eq!(accepted, confirmed);
    assert_eq!(confirmed, "₹2,41,389.78");
}
