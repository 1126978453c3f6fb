//! Fuzz harnesses of b2b-oms, shared by the cargo-fuzz targets in
//! `fuzz_targets/`.
//!
//! Each target reads one JSON document (the same documents the CLI reads)
//! and drives it through a whole pipeline of the public API. Most random
//! bytes are not JSON, so the targets also install [`mutate_json`] as
//! libFuzzer's custom mutator: it parses the current input, changes one
//! node of the JSON tree (swaps in another node of the same document, an
//! edge-case decimal or date, a byte-mutated string, a duplicated or
//! dropped array element or object key) and writes it back, so most
//! inputs stay valid JSON built from the seed corpus and reach the
//! pricing, tax, allocation and policy code rather than the JSON parser.
//!
//! No harness asserts on error values: a typed error is a correct answer
//! to bad input. What must never happen is a panic, an overflow, or an
//! answer that differs between two identical calls.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use b2b_oms::approval::{self, Condition, ConditionSource, PlanInput};
use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::fulfilment::{self, AllocationInput};
use b2b_oms::invoice::{self, InvoiceRequest, ValidateEInvoiceRequest};
use b2b_oms::json::{from_json, to_json_pretty};
use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PriceRequest};
use libfuzzer_sys::Corpus;
use serde::Deserialize;
use serde_json::Value;

/// Input of the `price_order` target: what `b2b-oms price` reads from its
/// four files, as one document.
#[derive(Debug, Deserialize)]
pub struct PriceInput {
    /// Products of the catalog.
    pub catalog: Vec<Product>,
    /// The price book definition.
    pub price_book: PriceBookDefinition,
    /// The buyer.
    pub customer: Customer,
    /// The order to price.
    pub request: PriceRequest,
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// How far an input got: not a document of the target's type, a typed
/// error from the engine, or a result.
#[derive(Clone, Copy)]
enum Reached {
    NotParsed = 0,
    EngineError = 1,
    Result = 2,
}

static REACHED: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

/// With `B2B_OMS_FUZZ_STATS` set, prints to stderr every 8,192 inputs how
/// many stopped at JSON parsing, got a typed error from the engine, or a
/// result (the depth figures of README.md). Inputs that are not a
/// document of the target's type are kept out of the corpus, so that the
/// mutator always starts from a well-typed document (the parser's error
/// paths are still run by every such input).
fn record(reached: Reached) -> Corpus {
    static ON: OnceLock<bool> = OnceLock::new();
    let corpus = match reached {
        Reached::NotParsed => Corpus::Reject,
        _ => Corpus::Keep,
    };
    if !*ON.get_or_init(|| std::env::var_os("B2B_OMS_FUZZ_STATS").is_some()) {
        return corpus;
    }
    REACHED[reached as usize].fetch_add(1, Ordering::Relaxed);
    let [a, b, c] = REACHED.each_ref().map(|x| x.load(Ordering::Relaxed));
    if (a + b + c) % 8_192 == 0 {
        eprintln!("reached: not parsed {a}, engine error {b}, result {c}");
    }
    corpus
}

/// JSON → catalog → compiled price book → priced order (twice: the same
/// input must give the same output) → the customer's catalog view.
pub fn price_order(data: &[u8]) -> Corpus {
    let Some(text) = text(data) else {
        return record(Reached::NotParsed);
    };
    let Ok(input) = from_json::<PriceInput>(text) else {
        return record(Reached::NotParsed);
    };
    let Ok(catalog) = Catalog::new(input.catalog) else {
        return record(Reached::EngineError);
    };
    let Ok(book) = PriceBook::compile(input.price_book, Arc::new(catalog)) else {
        return record(Reached::EngineError);
    };
    let first = book.price_order(&input.customer, &input.request);
    let second = book.price_order(&input.customer, &input.request);
    assert_eq!(first, second, "price_order is not deterministic");
    match &first {
        Ok(priced) => {
            record(Reached::Result);
            let _ = to_json_pretty(priced);
        }
        Err(_) => {
            record(Reached::EngineError);
        }
    }
    let request = &input.request;
    let _ = book.catalog_for(
        &input.customer,
        request.channel,
        &request.currency,
        request.priced_at,
        None,
    );
    Corpus::Keep
}

/// JSON → invoice (tax lines, HSN summary, totals, words) → e-invoice
/// JSON → the e-invoice checked against the e-invoice rules.
pub fn einvoice(data: &[u8]) -> Corpus {
    let Some(text) = text(data) else {
        return record(Reached::NotParsed);
    };
    let Ok(request) = from_json::<InvoiceRequest>(text) else {
        return record(Reached::NotParsed);
    };
    if let Ok(computed) = invoice::op_invoice(&request) {
        let _ = to_json_pretty(&computed);
    }
    let Ok(report) = invoice::op_einvoice(&request) else {
        return record(Reached::EngineError);
    };
    record(Reached::Result);
    let _ = to_json_pretty(&report);
    let _ = invoice::op_validate_einvoice(&ValidateEInvoiceRequest {
        einvoice: report.einvoice,
        rates: request.rates,
    });
    Corpus::Keep
}

/// JSON → allocation plan (every strategy the input names) → its JSON.
pub fn allocate(data: &[u8]) -> Corpus {
    let Some(text) = text(data) else {
        return record(Reached::NotParsed);
    };
    let Ok(input) = from_json::<AllocationInput>(text) else {
        return record(Reached::NotParsed);
    };
    match fulfilment::ops::allocate(input) {
        Ok(outcome) => {
            record(Reached::Result);
            let _ = to_json_pretty(&outcome);
        }
        Err(_) => {
            record(Reached::EngineError);
        }
    }
    Corpus::Keep
}

/// Policy text → parse (and the printed form parses back to the same
/// tree) → compile the policy → facts of the subject → evaluate.
pub fn approval_policy(data: &[u8]) -> Corpus {
    let Some(text) = text(data) else {
        return record(Reached::NotParsed);
    };
    let Ok(input) = from_json::<PlanInput>(text) else {
        return record(Reached::NotParsed);
    };
    for rule in &input.policy.rules {
        let parsed = match &rule.when {
            ConditionSource::Text(t) => Condition::parse(t),
            ConditionSource::Tree(c) => Condition::parse(&c.to_text()),
        };
        if let Ok(condition) = parsed {
            let printed = condition.to_text();
            let Ok(again) = Condition::parse(&printed) else {
                panic!("the printed condition {printed:?} does not parse");
            };
            assert_eq!(
                again.to_text(),
                printed,
                "printing a parsed condition is not stable"
            );
        }
    }
    match approval::approval_plan(&input) {
        Ok(plan) => {
            record(Reached::Result);
            let _ = to_json_pretty(&plan);
        }
        Err(_) => {
            record(Reached::EngineError);
        }
    }
    Corpus::Keep
}

/// Small deterministic generator for the mutator (seeded by libFuzzer).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Edge-case strings: decimals at the ends of the decimal range and of
/// precision, zero and negatives, dates and instants at calendar edges,
/// codes the engine knows, and empty or odd text.
const STRINGS: &[&str] = &[
    "0",
    "-1",
    "1",
    "0.5",
    "0.005",
    "1.005",
    "-0.01",
    "100",
    "99.99",
    "1000000",
    "12.5",
    "0.0000000000000000000000000001",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "7922816251426433759354395033.5",
    "1e3",
    "NaN",
    "",
    " ",
    "2026-02-29",
    "2024-02-29",
    "2026-12-31",
    "9999-12-31",
    "0001-01-01",
    "2026-11-26T10:00:00+05:30",
    "2026-03-31T23:59:59Z",
    "+262143-12-31T23:59:59Z",
    "INR",
    "USD",
    "JPY",
    "KWD",
    "27",
    "29",
    "97",
    "00",
    "NOS",
    "BOX",
    "GST0",
    "GST5",
    "GST18",
    "GST28",
    "EXEMPT",
    "NIL",
    "₹€ü\u{0}",
    "(((((((((((((((((((((((((((((((((((((((((((((((((((1)))",
    "not not not not not not not not not not new_customer == true",
    "total_before_tax > 1 INR and max_discount_pct < 1e9",
];

const NUMBERS: &[i64] = &[
    0,
    1,
    -1,
    2,
    7,
    24,
    255,
    1000,
    65_536,
    i32::MAX as i64,
    u32::MAX as i64,
    i64::MAX,
    i64::MIN,
];

/// The number of nodes of a JSON tree.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// The `k`-th node in pre-order (0 is the root).
fn nth(v: &Value, k: usize) -> Option<&Value> {
    fn go<'a>(v: &'a Value, k: &mut usize) -> Option<&'a Value> {
        if *k == 0 {
            return Some(v);
        }
        *k -= 1;
        match v {
            Value::Array(a) => a.iter().find_map(|c| go(c, k)),
            Value::Object(o) => o.values().find_map(|c| go(c, k)),
            _ => None,
        }
    }
    let mut k = k;
    go(v, &mut k)
}

fn nth_mut(v: &mut Value, k: usize) -> Option<&mut Value> {
    fn go<'a>(v: &'a mut Value, k: &mut usize) -> Option<&'a mut Value> {
        if *k == 0 {
            return Some(v);
        }
        *k -= 1;
        match v {
            Value::Array(a) => a.iter_mut().find_map(|c| go(c, k)),
            Value::Object(o) => o.values_mut().find_map(|c| go(c, k)),
            _ => None,
        }
    }
    let mut k = k;
    go(v, &mut k)
}

/// Changes one node of `doc`. Returns false when nothing changed.
fn mutate_tree(doc: &mut Value, rng: &mut Rng) -> bool {
    let n = count(doc);
    let donor = nth(doc, rng.below(n)).cloned();
    let string_donor = {
        // Another string of the document: ids and codes that cross-reference.
        let k = rng.below(n);
        (0..n).map(|i| (k + i) % n).find_map(|i| match nth(doc, i) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        })
    };
    let Some(node) = nth_mut(doc, rng.below(n)) else {
        return false;
    };
    let choice = rng.below(16);
    match (choice, node) {
        (0, node) => match donor {
            Some(d) => *node = d,
            None => return false,
        },
        (2..=7, Value::String(s)) => match rng.below(5) {
            0 => *s = STRINGS[rng.below(STRINGS.len())].to_owned(),
            1 => match string_donor {
                Some(d) => *s = d,
                None => return false,
            },
            2 => {
                // libFuzzer's byte mutations on the string alone.
                let mut bytes = s.clone().into_bytes();
                let len = bytes.len();
                bytes.resize(len + 16, 0);
                let new_len = libfuzzer_sys::fuzzer_mutate(&mut bytes, len, len + 16);
                bytes.truncate(new_len);
                match String::from_utf8(bytes) {
                    Ok(t) => *s = t,
                    Err(_) => return false,
                }
            }
            3 => {
                // Scale a number written as a string.
                if s.is_empty() {
                    return false;
                }
                match rng.below(4) {
                    0 => s.push('0'),
                    1 => s.insert(0, '-'),
                    2 => s.push_str("0000000000000"),
                    _ => s.push_str(".000000001"),
                }
            }
            _ => *s = Value::from(NUMBERS[rng.below(NUMBERS.len())]).to_string(),
        },
        (2..=7, Value::Number(x)) => {
            *x = match rng.below(3) {
                0 => NUMBERS[rng.below(NUMBERS.len())].into(),
                1 => x
                    .as_i64()
                    .map(|i| i.wrapping_add(rng.below(3) as i64 - 1))
                    .unwrap_or(0)
                    .into(),
                _ => {
                    match serde_json::Number::from_f64([0.5, -0.0, 1e300, 1.005, 0.1][rng.below(5)])
                    {
                        Some(f) => f,
                        None => return false,
                    }
                }
            }
        }
        (2..=7, Value::Bool(b)) => *b = !*b,
        (8..=12, Value::Array(a)) => {
            if a.is_empty() {
                match donor {
                    Some(d) => a.push(d),
                    None => return false,
                }
            } else {
                let i = rng.below(a.len());
                match rng.below(4) {
                    0 => {
                        a.remove(i);
                    }
                    1 => {
                        let e = a[i].clone();
                        a.insert(i, e);
                    }
                    2 => {
                        let e = a[i].clone();
                        for _ in 0..rng.below(20) {
                            a.push(e.clone());
                        }
                    }
                    _ => {
                        let j = rng.below(a.len());
                        a.swap(i, j);
                    }
                }
            }
        }
        (8..=12, Value::Object(o)) => {
            if o.is_empty() {
                return false;
            }
            let key = match o.keys().nth(rng.below(o.len())) {
                Some(k) => k.clone(),
                None => return false,
            };
            match rng.below(3) {
                0 => {
                    o.remove(&key);
                }
                1 => match o.get(&key).cloned() {
                    // The same value under another key of the object.
                    Some(v) => {
                        let other = o.keys().nth(rng.below(o.len())).cloned();
                        if let Some(other) = other {
                            o.insert(other, v);
                        }
                    }
                    None => return false,
                },
                _ => {
                    o.insert(key, Value::Null);
                }
            }
        }
        (1, node) => *node = Value::Null,
        (_, node) => match donor {
            Some(d) if std::mem::discriminant(&d) == std::mem::discriminant(node) => *node = d,
            _ => return false,
        },
    }
    true
}

/// libFuzzer custom mutator: a structural mutation of the JSON tree of the
/// input (one to three nodes changed), falling back to libFuzzer's own
/// byte mutations one time in sixteen or when the input is not JSON.
pub fn mutate_json(data: &mut [u8], size: usize, max_size: usize, seed: u32) -> usize {
    let mut rng = Rng(u64::from(seed));
    let fallback = |data: &mut [u8]| libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    if rng.below(16) == 0 {
        return fallback(data);
    }
    let Some(current) = data.get(..size) else {
        return fallback(data);
    };
    let Ok(mut doc) = serde_json::from_slice::<Value>(current) else {
        return fallback(data);
    };
    let mut changed = false;
    for _ in 0..1 + rng.below(3) {
        changed |= mutate_tree(&mut doc, &mut rng);
    }
    if !changed {
        return fallback(data);
    }
    let Ok(out) = serde_json::to_vec(&doc) else {
        return fallback(data);
    };
    match data.get_mut(..out.len()) {
        Some(dest) if out.len() <= max_size => {
            dest.copy_from_slice(&out);
            out.len()
        }
        _ => fallback(data),
    }
}
