//! What a host does between the steps, from the command line: `order …`,
//! `ledger …` (over a ledger file), consolidated invoices, and the batch
//! modes of `gstin` and `words`. Each command is thin over the host
//! operation of the same name, so its output is the `call` output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{bin, dir, write};
use serde_json::{json, Value};

/// The demo's input documents, written once per test process.
fn demo() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = dir("between-steps-demo");
        let out = bin()
            .args(["demo", "--write-inputs"])
            .arg(&d)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        d
    })
}

fn doc(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(demo().join(file)).unwrap()).unwrap()
}

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn run(args: &[&str], input: &Path) -> Output {
    bin().args(args).arg(input).output().unwrap()
}

fn call(op: &str, input: &Path) -> Value {
    ok(&run(&["call", op], input))
}

#[test]
fn order_and_ledger_commands_answer_as_their_operations() {
    for (file, command, op) in [
        (
            "15-call-order_submit.json",
            vec!["order", "submit"],
            "order_submit",
        ),
        (
            "16-call-order_confirm.json",
            vec!["order", "confirm"],
            "order_confirm",
        ),
        (
            "19-call-order_apply_plan.json",
            vec!["order", "apply-plan"],
            "order_apply_plan",
        ),
        (
            "25-call-order_apply_dispatch.json",
            vec!["order", "apply-dispatch"],
            "order_apply_dispatch",
        ),
        (
            "31-call-invoice_from_order.json",
            vec!["order", "invoice"],
            "invoice_from_order",
        ),
        (
            "18-call-ledger_reserve.json",
            vec!["ledger", "reserve"],
            "ledger_reserve",
        ),
        (
            "24-call-ledger_consume.json",
            vec!["ledger", "consume"],
            "ledger_consume",
        ),
    ] {
        let path = demo().join(file);
        assert_eq!(ok(&run(&command, &path)), call(op, &path), "{command:?}");
    }
}

/// The confirmed order of the demo (before allocation).
fn confirmed() -> Value {
    let out = call("order_confirm", &demo().join("16-call-order_confirm.json"));
    out["order"].clone()
}

#[test]
fn order_amend_cancel_and_close() {
    let d = dir("order-amend");
    let order = confirmed();
    let line = order["lines"][0]["line_id"].as_str().unwrap().to_owned();
    let now = "2026-11-27T10:00:00+05:30";

    let amend = write(
        &d,
        "amend.json",
        &json!({"order": order, "now": now,
                "amend": {"lines": [{"line_id": line, "quantity": "72"}]}}),
    );
    let amended = ok(&run(&["order", "amend"], &amend));
    assert_eq!(amended["order"]["lines"][0]["ordered"], "72");
    assert_eq!(amended, call("order_amend", &amend));

    let cancel = write(
        &d,
        "cancel.json",
        &json!({"order": order, "now": now, "reason": "buyer withdrew",
                "lines": [{"line_id": line, "quantity": "12"}]}),
    );
    let cancelled = ok(&run(&["order", "cancel"], &cancel));
    assert_eq!(cancelled["order"]["lines"][0]["cancelled"], "12");
    assert_eq!(cancelled, call("order_cancel", &cancel));

    // A draft order cannot be closed: refused with its code.
    let draft = doc("16-call-order_confirm.json")["order"].clone();
    assert_eq!(draft["lifecycle"], "draft");
    let close = write(&d, "close.json", &json!({"order": draft, "now": now}));
    let refused = run(&["order", "close"], &close);
    assert_eq!(refused.status.code(), Some(2));

    // The demo's order after both invoices is shipped and invoiced in full: it closes.
    let last = call(
        "invoice_from_order",
        &demo().join("32-call-invoice_from_order.json"),
    );
    let close = write(
        &d,
        "close-done.json",
        &json!({"order": last["order"], "now": now}),
    );
    let closed = ok(&run(&["order", "close"], &close));
    assert_eq!(closed["order"]["lifecycle"], "closed");
    assert_eq!(closed, call("order_close", &close));
}

#[test]
fn a_consolidated_invoice_covers_several_shipments() {
    let d = dir("consolidated");
    // The demo's first dispatch from WH-BLR, as two shipments of one
    // warehouse: the first line in one, the other lines in the other.
    let single = doc("31-call-invoice_from_order.json");
    let shipment = &single["shipments"][0];
    let lines = shipment["lines"].as_array().unwrap();
    assert!(lines.len() > 1);
    let mut first = shipment.clone();
    first["lines"] = json!(lines[..1]);
    let mut second = shipment.clone();
    second["id"] = json!(format!("{}-B", shipment["id"].as_str().unwrap()));
    second["lines"] = json!(lines[1..]);
    let mut input = single.clone();
    input["shipments"] = json!([first, second]);
    let path = write(&d, "consolidated.json", &input);

    let one = ok(&run(&["order", "invoice"], &path));
    assert_eq!(one, call("invoice_from_order", &path));
    // The same invoice as the single shipment's: same lines, same total.
    let whole = call(
        "invoice_from_order",
        &demo().join("31-call-invoice_from_order.json"),
    );
    assert_eq!(
        one["invoice"]["lines"].as_array().unwrap().len(),
        whole["invoice"]["lines"].as_array().unwrap().len()
    );
    assert_eq!(one["invoice"]["totals"], whole["invoice"]["totals"]);
    assert_eq!(one["order"]["lines"], whole["order"]["lines"]);
}

#[test]
fn ledger_over_a_ledger_file_writes_back_only_on_success() {
    let d = dir("ledger-file");
    let reserve = doc("18-call-ledger_reserve.json");
    let ledger = write(&d, "ledger.json", &reserve["ledger"]);
    let requests = write(
        &d,
        "requests.json",
        &json!({"order_id": reserve["order_id"], "requests": reserve["requests"]}),
    );
    let expected = call(
        "ledger_reserve",
        &demo().join("18-call-ledger_reserve.json"),
    );

    // Without --write the file is left alone.
    let before = std::fs::read_to_string(&ledger).unwrap();
    let out = bin()
        .args(["ledger", "reserve", "--ledger"])
        .arg(&ledger)
        .arg(&requests)
        .output()
        .unwrap();
    assert_eq!(ok(&out), expected);
    assert_eq!(std::fs::read_to_string(&ledger).unwrap(), before);

    // With --write the new state replaces the file.
    let out = bin()
        .args(["ledger", "reserve", "--write", "--ledger"])
        .arg(&ledger)
        .arg(&requests)
        .output()
        .unwrap();
    assert_eq!(ok(&out), expected);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&ledger).unwrap()).unwrap();
    assert_eq!(written, expected);

    // Releasing more than reserved is refused and the file is unchanged.
    let mut too_much = reserve["requests"][0].clone();
    too_much["quantity"] = json!("100000");
    let release = write(
        &d,
        "release.json",
        &json!({"order_id": reserve["order_id"], "requests": [too_much]}),
    );
    let kept = std::fs::read_to_string(&ledger).unwrap();
    let out = bin()
        .args(["ledger", "release", "--write", "--ledger"])
        .arg(&ledger)
        .arg(&release)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&ledger).unwrap(), kept);

    // Release and quarantine run over the written file too.
    let mut part = reserve["requests"][0].clone();
    part["quantity"] = json!("10");
    let one = write(
        &d,
        "one.json",
        &json!({"order_id": reserve["order_id"], "requests": [part]}),
    );
    for command in ["release", "quarantine"] {
        let out = bin()
            .args(["ledger", command, "--ledger"])
            .arg(&ledger)
            .arg(&one)
            .output()
            .unwrap();
        ok(&out);
    }
    // An unknown field in the requests document is refused.
    let typo = write(
        &d,
        "typo.json",
        &json!({"order_id": "X", "requests": [], "reqests": []}),
    );
    let out = bin()
        .args(["ledger", "reserve", "--ledger"])
        .arg(&ledger)
        .arg(&typo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn gstin_batch_answers_every_value_in_its_place() {
    let d = dir("gstin-batch");
    let path = write(
        &d,
        "gstins.json",
        &json!(["27AAPFU0939F1ZV", "27AAPFU0939F1Z", {"gstin": "29AAGCB7383J1Z4", "as_of": "2026-11-26"}, {"gstn": "x"}]),
    );
    let out = bin()
        .args(["gstin", "--batch"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "two of four are refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 of 4"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["result"]["state_code"], "27");
    assert_eq!(items[1]["error"]["code"], "INVALID_GSTIN");
    assert_eq!(items[1]["error"]["field"], "[1]");
    assert_eq!(items[1]["input"], "27AAPFU0939F1Z");
    assert_eq!(items[2]["result"]["state_code"], "29");
    assert_eq!(items[3]["error"]["code"], "UNKNOWN_FIELD");
    assert!(items[3]["error"]["field"]
        .as_str()
        .unwrap()
        .starts_with("[3]"));

    // One per line, all valid: exit 0.
    let lines = d.join("gstins.txt");
    std::fs::write(&lines, "27AAPFU0939F1ZV\n\n29AAGCB7383J1Z4\n").unwrap();
    let v = ok(&bin()
        .args(["gstin", "--batch"])
        .arg(&lines)
        .output()
        .unwrap());
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["index"], 1);
}

#[test]
fn words_batch_reads_amounts_exactly() {
    let d = dir("words-batch");
    let path = d.join("amounts.json");
    std::fs::write(
        &path,
        r#"["12345678.90", 100000.50, {"amount": "5", "currency": "USD"}, "abc"]"#,
    )
    .unwrap();
    let out = bin()
        .args(["words", "--batch"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let single = ok(&bin().args(["words", "12345678.90"]).output().unwrap());
    assert_eq!(v[0]["result"], single);
    let number = ok(&bin().args(["words", "100000.50"]).output().unwrap());
    assert_eq!(v[1]["result"], number);
    assert!(v[2]["result"]["words"].as_str().unwrap().contains("Five"));
    assert_eq!(v[3]["error"]["field"], "[3]");
    assert_eq!(v.as_array().unwrap().len(), 4);
}
