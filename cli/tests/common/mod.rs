//! Helpers shared by the CLI end-to-end tests: the binary, a scratch folder
//! per test process, and JSON fixtures written to it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `b2b-oms` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_b2b-oms"))
}

/// A scratch folder, unique to this test process and `name`.
pub fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("b2b-oms-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes `value` as pretty JSON to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(value).unwrap()).unwrap();
    p
}

/// Runs `b2b-oms price` on the four documents.
pub fn price(catalog: &Path, book: &Path, customer: &Path, order: &Path) -> Output {
    bin()
        .args(["price", "--catalog"])
        .arg(catalog)
        .arg("--book")
        .arg(book)
        .arg("--customer")
        .arg(customer)
        .arg(order)
        .output()
        .unwrap()
}
