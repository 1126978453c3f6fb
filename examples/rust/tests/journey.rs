//! The journey on the host operations gives the figures the demo prints
//! (`cargo run -p b2b-oms-cli -- demo`), and every document it sends is
//! made of fields its operation knows.

use b2b_oms::host::{shape, Operation};
use b2b_oms_example_journey::{run, DocumentTotals, Journey, DATASET, JOURNEY};
use rust_decimal::Decimal;
use serde_json::Value;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn journey() -> Journey {
    run(DATASET, JOURNEY).unwrap_or_else(|e| panic!("the journey failed: {e}"))
}

#[test]
fn the_totals_are_the_demos() {
    let t = journey().totals;
    // Section 2 of the demo, and the export order of section 9 (USD).
    let priced: Vec<(&str, Decimal)> = t
        .priced_orders
        .iter()
        .map(|(id, v)| (id.as_str(), *v))
        .collect();
    assert_eq!(
        priced,
        [
            ("Q-2026-0187", d("276059.14")),
            ("CART-88121", d("120552.30")),
            ("EXP-2026-0031", d("12054.00"))
        ]
    );
    // Section 3: revision 1, and revision 2 with 18 % off line 1.
    assert_eq!(t.quote_rev1_before_tax, d("276059.14"));
    assert_eq!(t.quote_rev2_before_tax, d("261600.81"));
    assert_eq!(t.quote_rev2_grand_total, d("275827.45"));
    // Section 4: the partial acceptance and the confirmed order.
    // The accepted lines after the order discount: what the order says.
    assert_eq!(t.accepted_before_tax, d("241389.78"));
    assert_eq!(t.order_before_tax, d("241389.78"));
    assert_eq!(t.order_advance_due, d("76381.76"));
    // Sections 7–9: taxable, tax, round-off, total of each document.
    let doc =
        |number: &str, taxable: &str, tax: &str, round_off: &str, total: &str| DocumentTotals {
            number: number.into(),
            taxable: d(taxable),
            tax: d(tax),
            round_off: d(round_off),
            grand_total: d(total),
        };
    assert_eq!(
        t.documents,
        [
            doc(
                "INV/26-27/00001",
                "143075.69",
                "8300.36",
                "-0.05",
                "151376.00"
            ),
            doc(
                "INV/26-27/00002",
                "98314.09",
                "4915.70",
                "0.21",
                "103230.00"
            ),
            doc("CRN/26-27/00001", "228.73", "11.44", "-0.17", "240.00"),
            doc("EXP/26-27/00001", "1016754.90", "0", "0.00", "1016754.90"),
        ]
    );
}

#[test]
fn the_refusals_are_the_demos() {
    let j = journey();
    let refused: Vec<(&str, &str)> = j
        .steps
        .iter()
        .filter_map(|s| {
            s.output
                .as_ref()
                .err()
                .map(|e| (s.name.as_str(), e.code.as_str()))
        })
        .collect();
    assert_eq!(
        refused,
        [
            ("approval_decide_self", "SELF_APPROVAL"),
            ("quote_accept_tampered", "TAMPERED_QUOTE"),
            ("invoice_again", "OVER_INVOICED"),
            ("credit_note_again", "OVER_CREDITED"),
        ]
    );
}

/// Every object key of `value` is a field the shape knows (a typo would
/// otherwise be dropped without a word).
fn unknown_fields(value: &Value, at: shape::ShapeRef<'_>, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match at.field(k) {
                    Some(inner) => unknown_fields(v, inner, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(inner) = at.items() {
                for (i, v) in items.iter().enumerate() {
                    unknown_fields(v, inner, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn every_document_sent_has_only_known_fields() {
    let j = journey();
    let mut unknown = Vec::new();
    for s in &j.steps {
        let op = Operation::from_name(s.operation).unwrap();
        let shape = shape::input(op).unwrap();
        unknown_fields(&s.input, shape.root(), &s.name, &mut unknown);
    }
    assert!(unknown.is_empty(), "fields no operation reads: {unknown:?}");
}

#[test]
fn every_step_of_journey_json_is_run() {
    let j = journey();
    let script: Value = serde_json::from_str(JOURNEY).unwrap();
    for (key, step) in script["steps"].as_object().unwrap() {
        let op = step["operation"].as_str().unwrap();
        assert!(
            j.steps
                .iter()
                .any(|s| s.operation == op && s.name.split(' ').next() == Some(key.as_str())),
            "journey.json's step {key} ({op}) is not run"
        );
    }
}

/// The invoices of the order are `invoice_from_order` steps that succeeded.
fn order_invoices(j: &Journey) -> Vec<(&Value, &Value)> {
    j.steps
        .iter()
        .filter(|s| s.operation == "invoice_from_order")
        .filter_map(|s| s.output.as_ref().ok().map(|o| (&s.input, o)))
        .collect()
}

#[test]
fn the_invoices_advances_add_up_to_the_orders_advance() {
    let j = journey();
    let invoices = order_invoices(&j);
    assert_eq!(invoices.len(), 2);
    let mut advances = Decimal::ZERO;
    for (_, out) in &invoices {
        let due = out["invoice"]["due_dates"].as_array().unwrap();
        let advance: Vec<&Value> = due.iter().filter(|d| d["advance"] == true).collect();
        assert_eq!(advance.len(), 1, "one advance instalment per invoice");
        advances += d(advance[0]["amount"].as_str().unwrap());
        let all: Decimal = due.iter().map(|x| d(x["amount"].as_str().unwrap())).sum();
        assert_eq!(
            all,
            d(out["invoice"]["totals"]["amount_payable"].as_str().unwrap())
        );
    }
    // Each invoice applying 30 % to its own total would give 76,381.80.
    assert_eq!(advances, j.totals.order_advance_due);
    assert_eq!(advances, d("76381.76"));
}

#[test]
fn an_invoice_of_the_order_dated_before_the_order_is_refused() {
    let j = journey();
    let (input, _) = order_invoices(&j)[0];
    let mut early = input.clone();
    early["date"] = Value::from("2026-11-26");
    let e = b2b_oms::host::call("invoice_from_order", &early.to_string()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("INVALID_VALUE", Some("date"))
    );
    assert!(e.message.contains("before the order"), "{}", e.message);
}

#[test]
fn every_document_issued_carries_its_event() {
    let j = journey();
    let mut kinds = Vec::new();
    for s in &j.steps {
        let Ok(out) = &s.output else { continue };
        let doc = match s.operation {
            "invoice_from_order" => &out["invoice"],
            "invoice" | "credit_note" | "debit_note" => out,
            _ => continue,
        };
        let events = doc["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{}", s.name);
        let e = &events[0];
        assert_eq!(e["aggregate_kind"], "invoice");
        assert_eq!(e["aggregate_id"], doc["number"]);
        assert_eq!(
            e["payload"]["grand_total"]["amount"],
            doc["totals"]["grand_total"]
        );
        kinds.push((
            doc["number"].as_str().unwrap().to_owned(),
            e["payload"]["type"].as_str().unwrap().to_owned(),
            e["payload"]["original_number"].as_str().map(str::to_owned),
        ));
    }
    let k = |n: &str, t: &str, o: Option<&str>| (n.to_owned(), t.to_owned(), o.map(str::to_owned));
    assert_eq!(
        kinds,
        [
            k("INV/26-27/00001", "invoice_issued", None),
            k("INV/26-27/00002", "invoice_issued", None),
            k(
                "CRN/26-27/00001",
                "credit_note_issued",
                Some("INV/26-27/00001")
            ),
            k("EXP/26-27/00001", "invoice_issued", None),
        ]
    );
}
