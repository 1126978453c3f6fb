//! Bounded input: `--max-document-bytes` caps every document the CLI
//! reads, from a file or from stdin, with `DOCUMENT_TOO_LARGE`.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{bin, dir, write};
use serde_json::json;

fn gstin_request() -> serde_json::Value {
    json!({"gstin": "27AAPFU0939F1ZV"})
}

#[test]
fn a_file_over_the_limit_is_refused_for_every_kind_of_command() {
    let d = dir("limits-file");
    let path = write(&d, "gstin.json", &gstin_request());
    let size = std::fs::metadata(&path).unwrap().len();

    // At the limit: read and answered.
    let out = bin()
        .arg("--max-document-bytes")
        .arg(size.to_string())
        .arg("gstin")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // One byte under the document: refused, for a typed command and `call`.
    let limit = (size - 1).to_string();
    for args in [
        vec!["gstin"],
        vec!["invoice"],
        vec!["quote", "build"],
        vec!["call", "gstin"],
    ] {
        let out = bin()
            .args(["--max-document-bytes", &limit])
            .args(&args)
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("DOCUMENT_TOO_LARGE"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing printed");
    }
}

#[test]
fn stdin_over_the_limit_is_refused_after_limit_plus_one_bytes() {
    let mut child = bin()
        .args(["--max-document-bytes", "64", "invoice", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // 1 MiB of padding: the command stops reading after 65 bytes, so the
    // write may fail with a broken pipe; either way the answer is the same.
    let big = format!("{{\"invoice\": \"{}\"}}", "x".repeat(1 << 20));
    let _ = stdin.write_all(big.as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("DOCUMENT_TOO_LARGE"), "{err}");
    assert!(err.contains("64"), "the limit is named: {err}");
}

#[test]
fn the_option_is_documented() {
    let out = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--max-document-bytes"), "{help}");
}

/// A decimal string with more digits than a decimal holds is refused at
/// its path, by the typed commands and by `call` alike; before, the
/// quantity below was read as 60.000000000000000000000000000.
#[test]
fn a_decimal_beyond_the_precision_is_refused_not_rounded() {
    let d = dir("limits-precision");
    let out = bin()
        .args(["demo", "--write-inputs"])
        .arg(&d)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(d.join("05-quote-build.json")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["build"]["request"]["lines"][0]["quantity"] = json!("60.00000000000000000000000000001");
    let path = write(&d, "long.json", &doc);
    let out = bin().args(["quote", "build"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("EXCESS_PRECISION at build.request.lines[0].quantity"),
        "{err}"
    );
    let path = write(
        &d,
        "words.json",
        &json!({"amount": "1.00000000000000000000000000001"}),
    );
    let out = bin().args(["call", "words"]).arg(&path).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("EXCESS_PRECISION at amount"), "{err}");
}
