//! Money of one kind at one scale in every output: an INR amount is
//! written with two decimals, zero included ("0.00", never "0").

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{bin, dir};
use serde_json::Value;

/// The demo's input documents, written once per test process.
fn demo() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = dir("scale-demo");
        let out = bin()
            .args(["demo", "--write-inputs"])
            .arg(&d)
            .output()
            .unwrap();
        assert!(out.status.success());
        d
    })
}

fn replayed(args: &[&str], file: &str) -> Value {
    let out = bin().args(args).arg(demo().join(file)).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every value of `keys` in the objects under `v`, with its path.
fn amounts(v: &Value, keys: &[&str], path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let p = format!("{path}.{k}");
                match x {
                    Value::String(s) if keys.contains(&k.as_str()) => out.push((p, s.clone())),
                    _ => amounts(x, keys, &p, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                amounts(x, keys, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn assert_two_decimals(what: &str, found: &[(String, String)]) {
    assert!(!found.is_empty(), "{what}: no amounts found");
    let off: Vec<&(String, String)> = found
        .iter()
        .filter(|(_, s)| s.split_once('.').map(|(_, f)| f.len()) != Some(2))
        .collect();
    assert!(
        off.is_empty(),
        "{what}: INR amounts not at 2 decimals: {off:?}"
    );
}

#[test]
fn the_quote_gst_estimate_writes_every_head_at_the_currency_scale() {
    let quote = replayed(&["quote", "build"], "05-quote-build.json");
    let mut found = Vec::new();
    amounts(
        &quote["revisions"][0]["gst"],
        &["cgst", "sgst", "igst", "taxable", "total"],
        "gst",
        &mut found,
    );
    assert_two_decimals("quote GST estimate", &found);
}

#[test]
fn free_lines_of_a_converted_order_cost_0_00() {
    let converted = replayed(&["quote", "convert"], "14-quote-convert.json");
    let lines = converted["order"]["lines"].as_array().unwrap();
    assert!(
        lines.iter().any(|l| l["free"] == true),
        "the demo's order has a free line"
    );
    let mut found = Vec::new();
    amounts(
        &converted["order"]["lines"],
        &["unit_price", "amount", "list_price"],
        "lines",
        &mut found,
    );
    amounts(
        &converted["events"],
        &["unit_price", "amount"],
        "events",
        &mut found,
    );
    assert_two_decimals("order lines", &found);
}
