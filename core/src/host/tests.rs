//! Tests of the host table itself: the doc table, the code list, shapes.

use super::*;

#[test]
fn the_module_doc_table_lists_every_operation() {
    let doc = include_str!("mod.rs");
    for op in Operation::ALL {
        let title = |s: schemars::Schema| {
            s.as_value()
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or("?")
                .to_owned()
        };
        let families: Vec<&str> = op.families().iter().map(|f| f.as_str()).collect();
        let row = format!(
            "//! | `{}` | `{}` | `{}` | {} |",
            op.name(),
            title(op.input_schema()),
            title(op.output_schema()),
            families.join(", ")
        );
        assert!(doc.contains(&row), "the module doc lacks the row\n{row}");
    }
    let rows = doc.lines().filter(|l| l.starts_with("//! | `")).count();
    assert_eq!(
        rows,
        Operation::ALL.len(),
        "the table has rows for no operation"
    );
}

#[test]
fn every_code_a_module_returns_is_listed_once_with_its_family() {
    let mut seen = std::collections::BTreeSet::new();
    for c in CODES {
        assert!(seen.insert(c.code), "{} is listed twice", c.code);
    }
    // Read the codes out of every `impl ErrorCode` of the sources.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![root];
    let mut missing = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for block in text.split("impl ErrorCode for ").skip(1) {
                let body = block.split("fn field").next().unwrap();
                for piece in body.split("=> \"").skip(1) {
                    let code = piece.split('"').next().unwrap();
                    if !seen.contains(code) {
                        missing.push(format!("{code} ({})", path.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "codes missing from CODES: {missing:?}");
}

#[test]
fn errors_carry_their_family_and_details() {
    let err = call("words", r#"{"amount": "1", "currency": "XXX"}"#).unwrap_err();
    assert_eq!(err.code, "UNKNOWN_CURRENCY");
    assert_eq!(err.family, Family::Input);
    let err = call("nope", "{}").unwrap_err();
    assert_eq!(err.code, "UNKNOWN_OPERATION");
    assert_eq!(err.details.get("operation").unwrap(), "nope");
    let err = call_with(
        "gstin",
        "{\"gstin\": \"x\"}",
        &CallOptions {
            max_document_bytes: 4,
        },
    )
    .unwrap_err();
    assert_eq!(err.code, "DOCUMENT_TOO_LARGE");
    assert_eq!(err.details.get("limit").unwrap(), 4);
    let err = call("gstin", r#"{"gstin": "27AAPFU0939F1ZX"}"#).unwrap_err();
    assert_eq!(err.code, "INVALID_GSTIN");
    assert_eq!(err.family, Family::Tax);
    assert!(!err.details.is_empty(), "{err:?}");
}

#[test]
fn a_panic_becomes_an_internal_error() {
    let err = guarded::<()>(|| panic!("boom")).unwrap_err();
    assert_eq!(err.code, "INTERNAL");
    assert_eq!(err.family, Family::Internal);
    assert!(err.message.contains("boom"));
}

#[test]
fn compiled_handles_are_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<crate::catalog::Catalog>();
    both::<crate::pricing::PriceBook>();
    both::<crate::customer::Classifier>();
    both::<crate::approval::ApprovalPolicy>();
    both::<crate::inventory::ReservationLedger>();
}

#[test]
fn shapes_find_decimals_dates_and_instants_without_conflicts() {
    for op in Operation::ALL {
        for (what, shape) in [("input", shape::input(*op)), ("output", shape::output(*op))] {
            let shape = shape.unwrap();
            assert!(
                !shape.has_conflict(),
                "{} {what} has a conflicting place",
                op.name()
            );
        }
    }
    let req = shape::input(Operation::PriceOrder).unwrap().root();
    let request = req.field("request").unwrap();
    let line = request.field("lines").unwrap().items().unwrap();
    assert_eq!(
        line.field("quantity").unwrap().scalar(),
        shape::Scalar::Decimal
    );
    assert_eq!(line.field("sku").unwrap().scalar(), shape::Scalar::Plain);
    assert_eq!(
        request.field("priced_at").unwrap().scalar(),
        shape::Scalar::DateTime
    );
    let out = shape::output(Operation::EInvoice).unwrap().root();
    let item = out
        .field("einvoice")
        .unwrap()
        .field("ItemList")
        .unwrap()
        .items()
        .unwrap();
    assert_eq!(
        item.field("AssAmt").unwrap().scalar(),
        shape::Scalar::DecimalNumber
    );
    assert_eq!(item.field("SlNo").unwrap().scalar(), shape::Scalar::Plain);
    let customer = shape::document("customer").unwrap();
    assert!(customer.field("id").is_some());
}

#[test]
fn an_unknown_field_is_refused_at_its_path_with_the_closest_name() {
    // `units` for `unit` was priced as the base unit before.
    let request = r#"{"request": {"currency": "INR", "channel": "portal",
        "priced_at": "2026-11-26T10:00:00+05:30",
        "lines": [{"sku": "A", "quantity": "1", "units": "BOX"}]},
        "catalog": [], "price_book": {}, "customer": {}}"#;
    let err = call("price_order", request).unwrap_err();
    assert_eq!(err.code, "UNKNOWN_FIELD");
    assert_eq!(err.family, Family::Input);
    assert_eq!(err.field.as_deref(), Some("request.lines[0].units"));
    assert!(
        err.message.contains("did you mean `unit`"),
        "{}",
        err.message
    );
    let err = call("words", r#"{"amount": "1", "currancy": "INR"}"#).unwrap_err();
    assert_eq!(err.code, "UNKNOWN_FIELD");
    assert_eq!(err.field.as_deref(), Some("currancy"));
    assert!(
        err.message.contains("did you mean `currency`"),
        "{}",
        err.message
    );
    // The host's own data has one place.
    assert!(call("gstin", r#"{"gstin": "27AAPFU0939F1ZV", "ext": {}}"#).is_err());
}
