//! The quote journey through the `b2b-oms` command alone: build → revise →
//! submit (approval computed from the quote) → approve → issue (sealed) →
//! accept → convert, and the refusals on the way (issue without approval,
//! a tampered acceptance, declining an expired quote).

mod common;
use common::{bin, write};

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

fn dir() -> PathBuf {
    common::dir("quote")
}

/// Runs `b2b-oms quote|approval <sub>` on `input`.
fn run(d: &Path, group: &str, sub: &str, input: &Value) -> Output {
    let p = write(d, &format!("{group}-{sub}.json"), input);
    bin().args([group, sub]).arg(&p).output().unwrap()
}

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(out: &Output, code: &str) -> String {
    assert_eq!(out.status.code(), Some(2), "expected exit 2");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains(code), "{code} missing from: {err}");
    err
}

const NOW: &str = "2026-11-26T10:00:00+05:30";
const LATER: &str = "2026-11-27T10:00:00+05:30";
const KEY: &str = r#"{"key_id": "k1", "secret": "seller-secret"}"#;

fn key() -> Value {
    serde_json::from_str(KEY).unwrap()
}

fn build_input() -> Value {
    json!({
        "catalog": [
            {"sku": "CAP", "name": "Cap", "hsn": "6505", "gst_rate_class": "GST5", "base_unit": "NOS",
             "category": "apparel/caps", "constraints": {"moq": "10"}}
        ],
        "price_book": {"id": "b", "currency": "INR",
            "price_lists": [{"id": "default", "currency": "INR",
                "entries": [{"sku": "CAP", "tiers": [{"min_qty": "1", "price": "120.00"}]}]}],
            "default_price_lists": ["default"]},
        "customer": {"id": "C1", "legal_name": "Buyer", "segment": "distributor",
            "billing_address": {"state_code": "27"}},
        "build": {
            "quote_id": "Q1",
            "request": {"id": "RFQ1", "source": {"type": "sales_rep", "rep_id": "rep"},
                "customer_id": "C1", "channel": "sales_rep", "currency": "INR",
                "lines": [{"line_id": "L1", "sku": "CAP", "quantity": "100"}]},
            "terms": {"payment_terms": {"id": "net30",
                "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]},
                "delivery_terms": "door delivery"},
            "author_id": "rep",
            "now": NOW
        }
    })
}

fn policy() -> Value {
    json!({"id": "seller", "currency": "INR", "rules": [
        {"id": "deep", "when": "max_discount_pct > 15 and segment == \"distributor\"",
         "require": {"role": "sales_manager"}}
    ]})
}

/// build → revise (20 % off) → submit → approve → issue; returns the
/// issued quote.
fn issued(d: &Path) -> Value {
    let draft = ok(&run(d, "quote", "build", &build_input()));
    assert_eq!(draft["status"], "draft");
    let revised = ok(&run(
        d,
        "quote",
        "revise",
        &json!({"quote": draft, "revise": {"author": "seller", "author_id": "rep", "now": NOW,
            "changes": [{"line_id": "L1", "price_override": {"type": "discount_pct", "percent": "20"},
                         "reason": "competitor"}]}}),
    ));
    let quote = revised["quote"].clone();
    assert_eq!(revised["events"][0]["payload"]["type"], "quote_revised");
    // Without an approval the quote cannot be issued.
    refused(
        &run(
            d,
            "quote",
            "issue",
            &json!({"quote": quote, "seal_key": key(), "now": NOW}),
        ),
        "APPROVAL_REQUIRED",
    );
    let diff = ok(&run(
        d,
        "quote",
        "diff",
        &json!({"quote": quote, "from": 1, "to": 2}),
    ));
    assert_eq!(diff["changed"][0]["line_id"], "L1");
    let submitted = ok(&run(
        d,
        "quote",
        "submit",
        &json!({"quote": quote, "policy": policy(),
                "request": {"instance_id": "A1", "requester": "rep", "now": NOW}}),
    ));
    assert_eq!(submitted["quote"]["status"], "pending_approval");
    let instance = submitted["instance"].clone();
    assert_eq!(instance["status"], "pending");
    assert_eq!(instance["binding"]["revision"], 2);
    assert_eq!(instance["plan"]["facts"]["max_discount_pct"], "20");
    let kinds: Vec<&str> = submitted["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["payload"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["quote_submitted", "approval_requested"]);
    // The requester cannot approve; the manager can.
    let approve = |who: &str| {
        json!({"instance": instance, "now": NOW, "command": {"command": "approve",
            "actor": {"id": who, "roles": ["sales_manager"]}}})
    };
    refused(
        &run(d, "approval", "decide", &approve("rep")),
        "SELF_APPROVAL",
    );
    let decided = ok(&run(d, "approval", "decide", &approve("mgr")));
    assert_eq!(decided["instance"]["status"], "approved");
    let issued = ok(&run(
        d,
        "quote",
        "issue",
        &json!({"quote": submitted["quote"], "approval": decided["instance"],
                "seal_key": key(), "now": NOW}),
    ));
    assert_eq!(issued["quote"]["status"], "issued");
    assert_eq!(issued["events"][0]["payload"]["type"], "quote_issued");
    issued["quote"].clone()
}

fn accept_of(quote: &Value) -> Value {
    let rev = quote["revisions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    json!({"revision": rev["number"], "digest": rev["seal"]["digest"], "seal": rev["seal"]["hmac"],
           "presented": rev, "accepted_by": "buyer", "po_number": "PO-1", "now": LATER})
}

#[test]
fn build_submit_approve_issue_accept_convert() {
    let d = dir();
    let quote = issued(&d);
    let accepted = ok(&run(
        &d,
        "quote",
        "accept",
        &json!({"quote": quote, "accept": accept_of(&quote), "seal_key": key()}),
    ));
    assert_eq!(accepted["quote"]["status"], "accepted");
    let converted = ok(&run(
        &d,
        "quote",
        "convert",
        &json!({"quote": accepted["quote"], "seal_key": key(),
                "convert": {"order_id": "O1", "acceptance": 1, "now": LATER}}),
    ));
    let order = &converted["order"];
    assert_eq!(order["po_number"], "PO-1");
    // Price lock: 20 % off 120.
    assert_eq!(order["lines"][0]["unit_price"], "96.00");
    assert_eq!(order["lines"][0]["ordered"], "100");
    assert_eq!(converted["quote"]["status"], "converted");
    let ev = &converted["events"][0]["payload"];
    assert_eq!(ev["type"], "quote_converted");
    assert_eq!(ev["customer_id"], "C1");
    assert_eq!(ev["lines"][0]["sku"], "CAP");
    // An accepted quote altered before conversion is refused.
    let mut altered = accepted["quote"].clone();
    altered["acceptances"][0]["lines"][0]["quantity"] = json!("90");
    refused(
        &run(
            &d,
            "quote",
            "convert",
            &json!({"quote": altered, "seal_key": key(),
                    "convert": {"order_id": "O2", "acceptance": 1, "now": LATER}}),
        ),
        "TAMPERED_QUOTE",
    );
}

#[test]
fn tampered_acceptance_exits_2_with_tampered_quote() {
    let d = dir().join("tamper");
    std::fs::create_dir_all(&d).unwrap();
    let quote = issued(&d);
    let mut bad = accept_of(&quote);
    bad["presented"]["lines"][0]["unit_price"] = json!("1.00");
    let err = refused(
        &run(
            &d,
            "quote",
            "accept",
            &json!({"quote": quote, "accept": bad, "seal_key": key()}),
        ),
        "TAMPERED_QUOTE",
    );
    assert!(err.contains("presented.lines[0].unit_price"), "{err}");
    // No seal sent while the seller has a key.
    let mut bad = accept_of(&quote);
    bad["seal"] = Value::Null;
    refused(
        &run(
            &d,
            "quote",
            "accept",
            &json!({"quote": quote, "accept": bad, "seal_key": key()}),
        ),
        "TAMPERED_QUOTE",
    );
}

#[test]
fn decline_withdraw_and_expire_check_now() {
    let d = dir().join("states");
    std::fs::create_dir_all(&d).unwrap();
    let quote = issued(&d);
    let expired_at = "2027-01-30T10:00:00+05:30";
    refused(
        &run(
            &d,
            "quote",
            "decline",
            &json!({"quote": quote, "reason": {"kind": "price"}, "now": expired_at}),
        ),
        "QUOTE_EXPIRED",
    );
    let declined = ok(&run(
        &d,
        "quote",
        "decline",
        &json!({"quote": quote, "reason": {"kind": "price"}, "now": LATER}),
    ));
    assert_eq!(declined["quote"]["status"], "declined");
    refused(
        &run(
            &d,
            "quote",
            "accept",
            &json!({"quote": declined["quote"], "accept": accept_of(&quote), "seal_key": key()}),
        ),
        "INVALID_TRANSITION",
    );
    let withdrawn = ok(&run(
        &d,
        "quote",
        "withdraw",
        &json!({"quote": quote, "reason": "stock gone", "now": LATER}),
    ));
    assert_eq!(withdrawn["quote"]["status"], "withdrawn");
    let expired = ok(&run(
        &d,
        "quote",
        "expire",
        &json!({"quote": quote, "now": expired_at}),
    ));
    assert_eq!(expired["quote"]["status"], "expired");
    assert_eq!(expired["events"][0]["payload"]["type"], "quote_expired");
}
