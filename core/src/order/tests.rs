use super::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn item(ordered: &str) -> OrderItem {
    OrderItem {
        line_id: "L1".into(),
        sku: "S".into(),
        name: "n".into(),
        hsn: "1234".into(),
        gst_rate_class: "GST18".into(),
        gst_rate: d("18"),
        free: false,
        unit: "NOS".into(),
        unit_factor: Decimal::ONE,
        moq: None,
        list_price: d("10"),
        unit_price: d("9"),
        cost: None,
        floor: None,
        overridden: false,
        amount: d("90"),
        ordered: d(ordered),
        allocated: Decimal::ZERO,
        shipped: Decimal::ZERO,
        invoiced: Decimal::ZERO,
        cancelled: Decimal::ZERO,
    }
}

#[test]
fn quantity_invariants() {
    let l = item("10");
    assert_eq!(
        l.record_allocation(d("-1")).unwrap_err().field(),
        Some("L1.allocated")
    );
    let l = l.record_allocation(d("10")).unwrap();
    assert_eq!(
        l.record_allocation(d("1")).unwrap_err().code(),
        "QUANTITY_INVARIANT"
    );
    assert_eq!(
        l.record_shipment(d("-1")).unwrap_err().code(),
        "QUANTITY_INVARIANT"
    );
    let l = l.record_shipment(d("4")).unwrap();
    assert_eq!(
        l.record_shipment(d("7")).unwrap_err().field(),
        Some("L1.shipped")
    );
    assert_eq!(
        l.record_invoice(d("5"), false).unwrap_err().field(),
        Some("L1.invoiced")
    );
    let l2 = l.record_invoice(d("10"), true).unwrap();
    assert_eq!(
        l2.record_invoice(d("1"), true).unwrap_err().code(),
        "QUANTITY_INVARIANT"
    );
    let l = l.record_invoice(d("4"), false).unwrap();
    // A credit note reduces the invoiced quantity, never below zero.
    assert!(l.record_invoice(d("-4"), false).is_ok());
    assert!(l.record_invoice(d("-5"), false).is_err());
    // Allocation can be released down to what is shipped.
    assert!(l.record_allocation(d("-6")).is_ok());
    assert!(l.record_allocation(d("-7")).is_err());
}

#[test]
fn po_checks() {
    let s = OrderSettings {
        require_po: true,
        allow_invoice_before_shipment: false,
    };
    assert_eq!(check_po(None, &[], &s).unwrap_err().code(), "PO_REQUIRED");
    assert_eq!(
        check_po(Some(&"  ".to_owned()), &[], &s)
            .unwrap_err()
            .code(),
        "PO_REQUIRED"
    );
    assert_eq!(
        check_po(Some(&"po-1".to_owned()), &["PO-1".into()], &s)
            .unwrap_err()
            .code(),
        "DUPLICATE_PO"
    );
    assert_eq!(
        check_po(Some(&" PO-2 ".to_owned()), &["PO-1".into()], &s).unwrap(),
        Some("PO-2".into())
    );
    assert_eq!(
        check_po(None, &[], &OrderSettings::default()).unwrap(),
        None
    );
}
