//! The GST commands end to end: `gstin`, `invoice`, `einvoice`, `words`,
//! `number`, their help, and the demo's invoices, credit note and e-invoice
//! files.

mod common;
use common::{bin, dir, write};
use std::process::Output;

use serde_json::{json, Value};

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn failed(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "invalid input exits with 2");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn party(name: &str, gstin: &str, state: &str, pin: &str) -> Value {
    json!({"legal_name": name, "gstin": gstin,
           "address": {"line1": "Test Address - 1", "city": "Test City", "state_code": state, "pin": pin}})
}

/// The India Compliance goods case: 1000 NOS at 100.00, HSN 61149090, 18 %,
/// seller and buyer in Maharashtra.
fn goods_invoice() -> Value {
    json!({"invoice": {
        "number": "INV/22-23/00001", "date": "2022-09-16",
        "seller": party("Test Indian Registered Company", "27AAPFU0939F1ZV", "27", "400001"),
        "buyer": party("Test Registered Customer", "27AAPFU0939F2ZU", "27", "400002"),
        "lines": [{"description": "Test Trading Goods 1", "hsn": "61149090", "quantity": "1000",
                   "uqc": "NOS", "unit_price": "100.00", "rate_class": "GST18"}],
        "eway_bill": {"distance_km": 0, "mode": "1", "vehicle_no": "GJ07DL9009", "vehicle_type": "R"}
    }})
}

#[test]
fn gstin_reports_parts_and_the_wrong_part() {
    let v = ok_json(&run(&["gstin", "27aapfu0939f1zv"]));
    assert_eq!(
        v,
        json!({"gstin": "27AAPFU0939F1ZV", "state_code": "27", "state_name": "Maharashtra",
               "pan": "AAPFU0939F", "entity_number": "1", "registration_kind": "Z",
               "registration_type": "normal"})
    );
    let v = ok_json(&run(&["gstin", "29AABCF8078M1C8"]));
    assert_eq!(v["registration_kind"], "C");
    assert_eq!(v["state_name"], "Karnataka");
    // A legacy state code on a recent date is a warning, through a request file.
    let d = dir("gstin");
    let req = write(
        &d,
        "req.json",
        &json!({"gstin": "27AAPFU0939F1ZV", "as_of": "2026-11-26"}),
    );
    assert_eq!(
        ok_json(&run(&["gstin", req.to_str().unwrap()]))["state_code"],
        "27"
    );
    let err = failed(&run(&["gstin", "27AAPFU0939F1Z0"]));
    assert!(err.contains("INVALID_GSTIN at gstin"), "{err}");
    assert!(err.contains("checksum"), "{err}");
    assert!(err.contains("expected 'V'"), "{err}");
    let err = failed(&run(&["gstin", "27AAPFU0939F1Z"]));
    assert!(err.contains("15 characters"), "{err}");
}

#[test]
fn invoice_computes_the_worked_case() {
    let d = dir("invoice");
    let f = write(&d, "inv.json", &goods_invoice());
    let v = ok_json(&run(&["invoice", f.to_str().unwrap()]));
    assert_eq!(v["kind"], "tax_invoice");
    assert_eq!(v["regime"]["heads"], "cgst_sgst");
    let t = &v["totals"];
    assert_eq!(t["taxable_value"], "100000.00");
    assert_eq!(t["cgst"], "9000.00");
    assert_eq!(t["sgst"], "9000.00");
    assert_eq!(t["igst"], "0.00");
    assert_eq!(t["grand_total"], "118000.00");
    assert_eq!(
        v["amount_in_words"],
        "Rupees One Lakh Eighteen Thousand Only"
    );
    assert_eq!(v["grand_total_display"], "1,18,000.00");
    assert_eq!(v["hsn_summary"][0]["hsn"], "61149090");
    assert_eq!(v["hsn_summary"][0]["cgst"], "9000.00");
    assert_eq!(v["place_of_supply"], "Maharashtra (27)");
    // Inter-state: buyer in Karnataka → IGST.
    let mut inter = goods_invoice();
    inter["invoice"]["buyer"] = party("Buyer KA", "29AAGCB7383J1Z4", "29", "560001");
    let f = write(&d, "inter.json", &inter);
    let v = ok_json(&run(&["invoice", f.to_str().unwrap()]));
    assert_eq!(v["regime"]["heads"], "igst");
    assert_eq!(v["totals"]["igst"], "18000.00");
    assert_eq!(v["totals"]["cgst"], "0.00");
    // Bad input names the field.
    let mut bad = goods_invoice();
    bad["invoice"]["lines"][0]["uqc"] = json!("PIECES");
    let f = write(&d, "bad.json", &bad);
    let err = failed(&run(&["invoice", f.to_str().unwrap()]));
    assert!(err.contains("INVALID_UQC at invoice.lines[0].uqc"), "{err}");
}

#[test]
fn einvoice_writes_and_validates_the_payload() {
    let d = dir("einvoice");
    let f = write(&d, "inv.json", &goods_invoice());
    let v = ok_json(&run(&["einvoice", f.to_str().unwrap()]));
    let e = if v.get("einvoice").is_some() {
        &v["einvoice"]
    } else {
        &v
    };
    assert_eq!(e["Version"], "1.1");
    assert_eq!(e["TranDtls"]["SupTyp"], "B2B");
    assert_eq!(
        e["DocDtls"],
        json!({"Typ": "INV", "No": "INV/22-23/00001", "Dt": "16/09/2022"})
    );
    let item = &e["ItemList"][0];
    assert_eq!(item["AssAmt"], json!(100000));
    assert_eq!(item["CgstAmt"], json!(9000));
    assert_eq!(item["SgstAmt"], json!(9000));
    assert_eq!(item["TotItemVal"], json!(118000));
    assert_eq!(e["ValDtls"]["TotInvVal"], json!(118000));
    assert_eq!(
        e["EwbDtls"],
        json!({"Distance": 0, "TransMode": "1", "VehNo": "GJ07DL9009", "VehType": "R"})
    );
    // Validate a tampered payload: every violation is listed.
    let mut payload = e.clone();
    payload["ItemList"][0]["SgstAmt"] = json!(9000.5);
    payload["DocDtls"]["No"] = json!("inv/1");
    let f = write(&d, "payload.json", &json!({"einvoice": payload}));
    let out = run(&["einvoice", "--validate", f.to_str().unwrap()]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("CGST_SGST_UNEQUAL"), "{text}");
    assert!(text.contains("DocDtls.No"), "{text}");
    // The untouched payload validates.
    let f = write(&d, "good.json", &json!({"einvoice": e}));
    assert!(run(&["einvoice", "--validate", f.to_str().unwrap()])
        .status
        .success());
}

#[test]
fn words_and_number() {
    let v = ok_json(&run(&["words", "12345678.90"]));
    assert_eq!(
        v,
        json!({"words": "Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight and Ninety Paise Only",
               "formatted": "1,23,45,678.90"})
    );
    let v = ok_json(&run(&["words", "1500.5", "--currency", "USD"]));
    assert_eq!(
        v["words"],
        "US Dollars One Thousand Five Hundred and Fifty Cents Only"
    );
    assert!(failed(&run(&["words", "twelve"])).contains("error"));
    let d = dir("number");
    let f = write(
        &d,
        "n.json",
        &json!({"template": "INV/{fy}/{seq:05}", "date": "2026-11-26", "seq": 42}),
    );
    let v = ok_json(&run(&["number", f.to_str().unwrap()]));
    assert_eq!(v["number"], "INV/26-27/00042");
    assert_eq!(v["financial_year"], "26-27");
    let f = write(
        &d,
        "dup.json",
        &json!({"template": "INV/{fy}/{seq:05}", "date": "2026-03-31", "seq": 7, "issued": ["inv/25-26/00007"]}),
    );
    let err = failed(&run(&["number", f.to_str().unwrap()]));
    assert!(err.contains("DUPLICATE_DOCUMENT_NUMBER"), "{err}");
}

#[test]
fn gst_commands_have_help() {
    for (sub, words) in [
        ("gstin", "Validate a GSTIN"),
        ("invoice", "Compute a GST invoice"),
        ("einvoice", "--validate"),
        ("words", "lakh, crore"),
        ("number", "INV/{fy}/{seq:05}"),
    ] {
        let out = run(&[sub, "--help"]);
        assert!(out.status.success(), "{sub} --help");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(words), "{sub} --help lacks {words:?}: {text}");
        assert!(text.contains("Usage: b2b-oms"), "{sub}");
    }
}

#[test]
fn demo_invoices_credit_note_and_einvoice_files() {
    let d = dir("demo");
    let out = run(&["demo", "--json", "--out", d.to_str().unwrap()]);
    let v = ok_json(&out);
    let invoices = v["journey"]["invoices"].as_array().unwrap();
    let by = |number: &str| {
        invoices
            .iter()
            .find(|i| i["number"] == number)
            .unwrap_or_else(|| panic!("{number} missing"))
    };
    // The warehouse in the buyer's state: CGST + SGST only.
    let intra = by("INV/26-27/00001");
    assert_eq!(intra["regime"]["heads"], "cgst_sgst");
    assert_eq!(intra["totals"]["cgst"], intra["totals"]["sgst"]);
    assert_ne!(intra["totals"]["cgst"], "0.00");
    assert_eq!(intra["totals"]["igst"], "0.00");
    assert!(intra["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["igst"] == "0.00" && l["cgst"] == l["sgst"]));
    // The other warehouse: IGST only.
    let inter = by("INV/26-27/00002");
    assert_eq!(inter["regime"]["heads"], "igst");
    assert_ne!(inter["totals"]["igst"], "0.00");
    assert_eq!(inter["totals"]["cgst"], "0.00");
    assert_eq!(inter["totals"]["sgst"], "0.00");
    // HSN summary: rows sum to the invoice's taxable value.
    for inv in [intra, inter] {
        let rows = inv["hsn_summary"].as_array().unwrap();
        assert!(!rows.is_empty());
        let cents = |s: &Value| -> i64 { s.as_str().unwrap().replace('.', "").parse().unwrap() };
        let sum: i64 = rows.iter().map(|r| cents(&r["taxable_value"])).sum();
        assert_eq!(sum, cents(&inv["totals"]["taxable_value"]));
        assert!(inv["amount_in_words"]
            .as_str()
            .unwrap()
            .starts_with("Rupees "));
        assert_eq!(inv["due_dates"].as_array().unwrap().len(), 2);
    }
    assert_eq!(
        intra["amount_in_words"],
        "Rupees One Lakh Fifty One Thousand Three Hundred Seventy Six Only"
    );
    // The credit note references the first invoice and credits at its
    // taxable value per unit (5 of the 200 PRS of batch GN-2604, taxable
    // 9,149.28 → 228.73).
    let note = by("CRN/26-27/00001");
    assert_eq!(note["kind"], "credit_note");
    assert_eq!(
        note["original"],
        json!({"number": "INV/26-27/00001", "date": "2026-11-27"})
    );
    assert_eq!(note["totals"]["taxable_value"], "228.73");
    assert_eq!(note["totals"]["cgst"], "5.72");
    assert_eq!(note["totals"]["grand_total"], "240.00");
    // The export invoice is zero-rated under LUT.
    let export = by("EXP/26-27/00001");
    assert_eq!(export["regime"]["supply_type"], "EXPWOP");
    assert_eq!(export["totals"]["total_tax"], "0.00");
    assert_eq!(export["export"]["details"]["currency"], "USD");
    assert_eq!(export["export"]["total_foreign"], "12054.00");
    assert_eq!(
        export["export"]["total_foreign_in_words"],
        "US Dollars Twelve Thousand Fifty Four Only"
    );
    // One e-invoice file per document, each a valid INV-01 request.
    for (file, typ, sup) in [
        ("INV-26-27-00001.json", "INV", "B2B"),
        ("INV-26-27-00002.json", "INV", "B2B"),
        ("CRN-26-27-00001.json", "CRN", "B2B"),
        ("EXP-26-27-00001.json", "INV", "EXPWOP"),
    ] {
        let text = std::fs::read_to_string(d.join(file)).unwrap();
        let e: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(e["Version"], "1.1", "{file}");
        assert_eq!(e["DocDtls"]["Typ"], typ, "{file}");
        assert_eq!(e["TranDtls"]["SupTyp"], sup, "{file}");
    }
    let crn: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("CRN-26-27-00001.json")).unwrap())
            .unwrap();
    assert_eq!(crn["RefDtls"]["PrecDocDtls"][0]["InvNo"], "INV/26-27/00001");
    let intra_e: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("INV-26-27-00001.json")).unwrap())
            .unwrap();
    assert_eq!(intra_e["ValDtls"]["IgstVal"], json!(0));
    // The text demo tells of the refused re-invoicing and over-credit.
    let out = run(&["demo", "--out", d.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("again is refused: OVER_INVOICED"), "{text}");
    assert!(text.contains("is refused: OVER_CREDITED"), "{text}");
    assert!(text.contains("CGST ₹4,150.18 + SGST ₹4,150.18"));
    assert!(text.contains("IGST ₹4,915.70"));
    assert!(
        text.contains("in USD: USD 12,054.00 at ₹84.35 per USD"),
        "{text}"
    );
}

/// Issue 17 item 15: `einvoice`'s output is accepted by `einvoice
/// --validate` as it is, and so are the bare payloads the demo writes.
#[test]
fn einvoice_output_validates_as_it_is() {
    let d = dir("einvoice-roundtrip");
    let f = write(&d, "inv.json", &goods_invoice());
    let out = run(&["einvoice", f.to_str().unwrap()]);
    assert!(out.status.success());
    let produced = d.join("produced.json");
    std::fs::write(&produced, &out.stdout).unwrap();
    let check = run(&["einvoice", "--validate", produced.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(ok_json(&check), json!([]));
    // The demo's e-invoice files, each a bare INV-01 payload.
    let demo = d.join("demo");
    ok_json(&run(&["demo", "--json", "--out", demo.to_str().unwrap()]));
    let mut seen = 0;
    for entry in std::fs::read_dir(&demo).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let check = run(&["einvoice", "--validate", p.to_str().unwrap()]);
            assert!(
                check.status.success(),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&check.stderr)
            );
            seen += 1;
        }
    }
    assert!(seen >= 3, "{seen} demo e-invoice files");
}

/// Issue 17 item 5: words never round silently.
#[test]
fn words_refuse_what_they_cannot_say_exactly() {
    let err = failed(&run(&["words", "1.005"]));
    assert!(
        err.contains("INVALID_VALUE") && err.contains("amount"),
        "{err}"
    );
    let err = failed(&run(&["words", "999999999999999999999999999.99"]));
    assert!(err.contains("999999999999999999999999999.99"), "{err}");
    let d = dir("words-exact");
    let f = write(
        &d,
        "w.json",
        &json!({"amount": "999999999999999999999999999.99"}),
    );
    failed(&run(&["words", f.to_str().unwrap()]));
    let v = ok_json(&run(&["words", "1.01"]));
    assert_eq!(v["words"], "Rupees One and One Paise Only");
}
