//! The conformance vectors (`conformance/*.json` at the repository root,
//! format in `conformance/README.md`) run through the host API: every case
//! through `host::call`, compared by canonical bytes. The Python, Node and
//! Kotlin suites run the same files and must agree to the byte.
//!
//! Cases marked `known_defect` are expected failures: the suite fails if
//! one of them passes (the defect was fixed: drop the mark), and if any
//! other case fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use b2b_oms::host::{self, canonical::canonical_value, Operation};
use serde_json::{Map, Value};

/// At least this many cases in all, and this many written by hand.
const MIN_CASES: usize = 150;
const MIN_HAND: usize = 50;

/// One case, as read from its file.
struct Case {
    file: String,
    name: String,
    operation: String,
    source: String,
    known_defect: Option<String>,
    input: Value,
    expectation: Expectation,
}

enum Expectation {
    Exact(Value),
    Subset(Value),
    Error { code: String, field: Option<Value> },
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance")
}

/// Reads every `conformance/*.json`, checking that each file is well
/// formed: an area, cases with unique names, the known fields only, and
/// exactly one expectation kind. Returns the cases and the format problems.
fn load() -> (Vec<Case>, Vec<String>) {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder())
        .expect("conformance/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{file}: cannot read: {e}"));
                continue;
            }
        };
        let doc: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{file}: not JSON: {e}"));
                continue;
            }
        };
        if !doc.get("area").is_some_and(Value::is_string) {
            problems.push(format!("{file}: no \"area\" string"));
        }
        let Some(list) = doc.get("cases").and_then(Value::as_array) else {
            problems.push(format!("{file}: no \"cases\" array"));
            continue;
        };
        let mut names = BTreeSet::new();
        for (i, raw) in list.iter().enumerate() {
            match parse_case(&file, raw) {
                Ok(case) => {
                    if !names.insert(case.name.clone()) {
                        problems.push(format!("{file}: case name {:?} twice", case.name));
                    }
                    cases.push(case);
                }
                Err(e) => problems.push(format!("{file}: cases[{i}]: {e}")),
            }
        }
    }
    (cases, problems)
}

fn parse_case(file: &str, raw: &Value) -> Result<Case, String> {
    const KNOWN: &[&str] = &[
        "name",
        "operation",
        "source",
        "reference",
        "known_defect",
        "input",
        "expected",
        "expected_subset",
        "error",
    ];
    let obj = raw.as_object().ok_or("not an object")?;
    if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("unknown field {k:?}"));
    }
    let text = |key: &str| -> Result<String, String> {
        obj.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("no {key:?} string"))
    };
    let name = text("name")?;
    let operation = text("operation")?;
    let source = text("source")?;
    if source != "hand" && source != "generated" {
        return Err(format!(
            "{name}: source must be hand or generated, not {source:?}"
        ));
    }
    if source == "hand" && !obj.get("reference").is_some_and(Value::is_string) {
        return Err(format!("{name}: a hand case needs its reference"));
    }
    let known_defect = match obj.get("known_defect") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(format!("{name}: known_defect must be a string")),
    };
    let input = obj
        .get("input")
        .cloned()
        .ok_or_else(|| format!("{name}: no input"))?;
    let kinds: Vec<&str> = ["expected", "expected_subset", "error"]
        .into_iter()
        .filter(|k| obj.contains_key(*k))
        .collect();
    if kinds.len() != 1 {
        return Err(format!(
            "{name}: exactly one of expected, expected_subset, error; found {kinds:?}"
        ));
    }
    let expectation = match kinds[0] {
        "expected" => Expectation::Exact(obj["expected"].clone()),
        "expected_subset" => Expectation::Subset(obj["expected_subset"].clone()),
        _ => {
            let err = obj["error"]
                .as_object()
                .ok_or_else(|| format!("{name}: error must be an object"))?;
            if let Some(k) = err.keys().find(|k| *k != "code" && *k != "field") {
                return Err(format!("{name}: unknown error field {k:?}"));
            }
            let code = err
                .get("code")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{name}: error without a code"))?
                .to_owned();
            let field = err.get("field").cloned();
            if field
                .as_ref()
                .is_some_and(|f| !f.is_string() && !f.is_null())
            {
                return Err(format!("{name}: error field must be a string or null"));
            }
            Expectation::Error { code, field }
        }
    };
    Ok(Case {
        file: file.to_owned(),
        name,
        operation,
        source,
        known_defect,
        input,
        expectation,
    })
}

/// Where `actual` fails the subset `expected`: every key given must be
/// present and match, arrays have the same length and match element-wise,
/// leaves compare by canonical bytes.
fn subset_diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(x) => subset_diff(v, x, &p, out),
                    None => out.push(format!("{p}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}",
                    e.len(),
                    a.len()
                ));
            } else {
                for (i, (x, y)) in e.iter().zip(a).enumerate() {
                    subset_diff(x, y, &format!("{path}[{i}]"), out);
                }
            }
        }
        (Value::Object(_), _) | (Value::Array(_), _) => out.push(format!(
            "{path}: expected {}, got {}",
            short(&canonical_value(expected)),
            short(&canonical_value(actual))
        )),
        _ => {
            let (e, a) = (canonical_value(expected), canonical_value(actual));
            if e != a {
                out.push(format!("{path}: expected {}, got {}", short(&e), short(&a)));
            }
        }
    }
}

/// Where two canonical texts first differ, with some context.
fn exact_diff(expected: &Value, actual: &Value) -> Option<String> {
    let mut out = Vec::new();
    exact_walk(expected, actual, "$", &mut out);
    if out.is_empty() {
        let (e, a) = (canonical_value(expected), canonical_value(actual));
        if e == a {
            return None;
        }
        out.push(format!("$: expected {}, got {}", short(&e), short(&a)));
    }
    out.truncate(5);
    Some(out.join("; "))
}

fn exact_walk(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let keys: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (e.get(k), a.get(k)) {
                    (Some(x), Some(y)) => exact_walk(x, y, &p, out),
                    (Some(_), None) => out.push(format!("{p}: missing")),
                    (None, Some(y)) => {
                        out.push(format!("{p}: unexpected {}", short(&canonical_value(y))))
                    }
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                exact_walk(x, y, &format!("{path}[{i}]"), out);
            }
        }
        _ => {
            let (e, a) = (canonical_value(expected), canonical_value(actual));
            if e != a {
                out.push(format!("{path}: expected {}, got {}", short(&e), short(&a)));
            }
        }
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 160 {
        let head: String = s.chars().take(160).collect();
        format!("{head}…")
    } else {
        s.to_owned()
    }
}

/// Runs one case: `None` when it passes, else what went wrong.
fn run(case: &Case) -> Option<String> {
    let input = serde_json::to_string(&case.input).expect("a JSON value serializes");
    let result = host::call(&case.operation, &input);
    match (&case.expectation, result) {
        (Expectation::Error { code, field }, Err(e)) => {
            let mut diffs = Vec::new();
            if &e.code != code {
                diffs.push(format!(
                    "expected error {code}, got {} ({})",
                    e.code, e.message
                ));
            }
            if let Some(f) = field {
                let actual = e.field.clone().map(Value::String).unwrap_or(Value::Null);
                if &actual != f {
                    diffs.push(format!("expected field {f}, got {actual}"));
                }
            }
            (!diffs.is_empty()).then(|| diffs.join("; "))
        }
        (Expectation::Error { code, .. }, Ok(out)) => Some(format!(
            "expected error {code}, got success {}",
            short(&out)
        )),
        (_, Err(e)) => Some(format!(
            "failed: {} at {:?}: {}",
            e.code, e.field, e.message
        )),
        (Expectation::Exact(expected), Ok(out)) => match serde_json::from_str::<Value>(&out) {
            Ok(actual) => exact_diff(expected, &actual),
            Err(e) => Some(format!("output is not JSON: {e}")),
        },
        (Expectation::Subset(expected), Ok(out)) => match serde_json::from_str::<Value>(&out) {
            Ok(actual) => {
                let mut diffs = Vec::new();
                subset_diff(expected, &actual, "$", &mut diffs);
                diffs.truncate(5);
                (!diffs.is_empty()).then(|| diffs.join("; "))
            }
            Err(e) => Some(format!("output is not JSON: {e}")),
        },
    }
}

#[test]
fn every_conformance_case_passes() {
    let (cases, mut failures) = load();
    let mut passed = 0;
    let mut defects = 0;
    for case in &cases {
        let outcome = run(case);
        match (&case.known_defect, outcome) {
            (None, None) => passed += 1,
            (None, Some(diff)) => failures.push(format!("{}/{}: {diff}", case.file, case.name)),
            (Some(_), Some(_)) => defects += 1,
            (Some(why), None) => failures.push(format!(
                "{}/{}: marked known_defect ({why}) but passes: drop the mark",
                case.file, case.name
            )),
        }
    }
    let hand = cases.iter().filter(|c| c.source == "hand").count();
    println!(
        "conformance: {} cases ({hand} hand), {passed} passed, {defects} known defects, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} conformance failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= MIN_CASES,
        "only {} cases (at least {MIN_CASES})",
        cases.len()
    );
    assert!(
        hand >= MIN_HAND,
        "only {hand} hand cases (at least {MIN_HAND})"
    );
}

#[test]
fn every_operation_has_a_case() {
    let (cases, _) = load();
    assert!(!cases.is_empty(), "no conformance case found");
    let used: BTreeSet<&str> = cases.iter().map(|c| c.operation.as_str()).collect();
    let missing: Vec<&str> = Operation::ALL
        .iter()
        .map(|o| o.name())
        .filter(|n| !used.contains(n))
        .collect();
    assert!(missing.is_empty(), "operations without a case: {missing:?}");
    let unknown: Vec<&str> = used
        .iter()
        .copied()
        .filter(|n| Operation::from_name(n).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "cases name unknown operations: {unknown:?}"
    );
}

#[test]
fn files_are_well_formed() {
    let (cases, problems) = load();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(!cases.is_empty(), "no conformance case found");
    // Every operation reads one input document: a JSON object.
    for case in &cases {
        let _: &Map<String, Value> = case
            .input
            .as_object()
            .unwrap_or_else(|| panic!("{}/{}: input is not an object", case.file, case.name));
    }
}
