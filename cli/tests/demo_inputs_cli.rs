//! `b2b-oms demo --write-inputs DIR`: one complete input document per step
//! of the demo's journey, each replayable with the CLI command it is named
//! for; the output of one step is the input of the next.

mod common;

use std::path::Path;

use common::{bin, dir};
use serde_json::Value;

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Runs the command a file is named for (`05-quote-build.json` → `quote
/// build`, `15-call-order_submit.json` → `call order_submit`).
fn replay(folder: &Path, file: &str) -> std::process::Output {
    let stem = file.trim_end_matches(".json");
    let (_, command) = stem.split_once('-').unwrap();
    let words: Vec<&str> = match command.split_once('-') {
        Some(("call", op)) => vec!["call", op],
        _ => command.split('-').collect(),
    };
    bin().args(words).arg(folder.join(file)).output().unwrap()
}

fn replayed(folder: &Path, file: &str) -> Value {
    let out = replay(folder, file);
    assert!(
        out.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_first_steps_replay_and_feed_the_next() {
    let folder = dir("write-inputs");
    let out = bin()
        .args(["demo", "--write-inputs"])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        listed.lines().count(),
        43,
        "41 steps, README.md and replay.sh:\n{listed}"
    );

    let classified = replayed(&folder, "01-call-classify.json");
    assert_eq!(classified["classification"]["segment"], "distributor");
    let priced = replayed(&folder, "03-call-price_order.json");
    assert_eq!(priced["total_before_tax"], "276059.14");

    // quote build → revise → submit → decide → issue: each output is what
    // the next file holds.
    let quote = replayed(&folder, "05-quote-build.json");
    assert_eq!(read(&folder.join("06-quote-revise.json"))["quote"], quote);
    let revised = replayed(&folder, "06-quote-revise.json");
    assert_eq!(
        revised["quote"]["revisions"][1]["totals"]["total_before_tax"],
        "261600.81"
    );
    assert_eq!(
        read(&folder.join("07-quote-diff.json"))["quote"],
        revised["quote"]
    );
    assert_eq!(
        read(&folder.join("08-quote-submit.json"))["quote"],
        revised["quote"]
    );
    let submitted = replayed(&folder, "08-quote-submit.json");
    assert_eq!(
        read(&folder.join("09-approval-decide.json"))["instance"],
        submitted["instance"]
    );

    // The requester approving her own quote is refused.
    let refused = replay(&folder, "09-approval-decide.json");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("SELF_APPROVAL"));

    let approved = replayed(&folder, "10-approval-decide.json");
    assert_eq!(approved["instance"]["status"], "approved");
    let issue = read(&folder.join("11-quote-issue.json"));
    assert_eq!(issue["approval"], approved["instance"]);
    assert_eq!(issue["quote"], submitted["quote"]);
    let issued = replayed(&folder, "11-quote-issue.json");
    assert_eq!(
        read(&folder.join("13-quote-accept.json"))["quote"],
        issued["quote"]
    );
}

#[test]
fn replay_sh_runs_every_step() {
    let folder = dir("replay-sh");
    let out = bin()
        .args(["demo", "--write-inputs"])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(out.status.success());
    let Ok(run) = std::process::Command::new("sh")
        .arg(folder.join("replay.sh"))
        .env("B2B_OMS", env!("CARGO_BIN_EXE_b2b-oms"))
        .output()
    else {
        eprintln!("no sh: replay.sh not run");
        return;
    };
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let made = read(&folder.join("out/31-call-invoice_from_order.json"));
    assert_eq!(made["invoice"]["totals"]["grand_total"], "151376.00");
}

/// The journey on the host operations (examples/rust, which
/// `--write-inputs` uses) computes the very documents the demo prints with
/// `--json`: journey.json is faithful to the demo.
#[test]
fn the_example_journey_computes_the_demos_documents() {
    let out = bin()
        .args(["demo", "--json", "--out"])
        .arg(dir("demo-json"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let demo: Value = serde_json::from_slice(&out.stdout).unwrap();
    let journey = b2b_oms_example_journey::run(
        b2b_oms_example_journey::DATASET,
        b2b_oms_example_journey::JOURNEY,
    )
    .unwrap();
    let outputs = |name: &str| -> Vec<Value> {
        journey
            .steps
            .iter()
            .filter(|s| s.name == name || s.name.starts_with(&format!("{name} ")))
            .filter_map(|s| s.output.clone().ok())
            .collect()
    };
    let one = |name: &str| outputs(name).pop().unwrap();

    let mut priced = outputs("price_order");
    priced.extend(outputs("export_price_order"));
    assert_eq!(demo["priced_orders"], Value::Array(priced));
    assert_eq!(demo["deal"]["quote"], one("quote_convert")["quote"]);
    assert_eq!(demo["deal"]["approval"], one("approval_decide")["instance"]);
    assert_eq!(demo["deal"]["order"], one("order_confirm")["order"]);
    assert_eq!(demo["journey"]["allocation"], one("allocate"));
    let dispatched: Vec<Value> = journey
        .steps
        .iter()
        .filter(|s| s.name.ends_with(" dispatch"))
        .filter_map(|s| s.output.as_ref().ok().map(|o| o["shipment"].clone()))
        .collect();
    assert_eq!(demo["journey"]["shipments"], Value::Array(dispatched));
    // The per-shipment invoices come from invoice_from_order, whose
    // output holds the invoice and the order with its invoiced quantities.
    let from_order = outputs("invoice");
    let mut invoices: Vec<Value> = from_order.iter().map(|o| o["invoice"].clone()).collect();
    invoices.extend(outputs("credit_note"));
    invoices.extend(outputs("export_invoice"));
    assert_eq!(demo["journey"]["invoices"], Value::Array(invoices));
    let order = &from_order.last().unwrap()["order"];
    assert_eq!(&demo["journey"]["order"], order);
    assert!(
        order["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["invoiced"] != "0"),
        "the order records what was invoiced: {order}"
    );
}
