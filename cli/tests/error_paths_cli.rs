//! Error paths rooted the same way in every command: at the command's
//! input document, for parse errors and for the checks that follow alike.

mod common;

use std::path::Path;

use common::{bin, dir, write};
use serde_json::Value;

fn conformance_input(file: &str, name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance")
        .join(file);
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = all["cases"].as_array().or(all.as_array()).unwrap();
    let case = cases.iter().find(|c| c["name"] == name).unwrap();
    case["input"].clone()
}

#[test]
fn invoice_errors_name_the_field_from_the_input_document() {
    let d = dir("rooted");
    let input = conformance_input("gst.json", "error_field_rooted_at_input_document");
    let path = write(&d, "bad-uqc.json", &input);
    for command in [
        &["invoice"][..],
        &["einvoice"],
        &["call", "invoice"],
        &["call", "einvoice"],
    ] {
        let out = bin().args(command).arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {err}");
        assert!(
            err.contains("INVALID_UQC at invoice.lines[0].uqc"),
            "{command:?}: {err}"
        );
    }
    // A parse error of the same document is rooted the same way.
    let mut typo = input.clone();
    typo["invoice"]["lines"][0]["quantity"] = Value::from("many");
    let path = write(&d, "bad-quantity.json", &typo);
    let out = bin().arg("invoice").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("at invoice.lines[0].quantity"));
}
