//! Issue 21: results where the peers (ERPNext with India Compliance, Odoo)
//! or the law refuse or decide otherwise — each a minimal reproduction.

mod gst_common;

use b2b_oms::invoice::*;
use b2b_oms::tax::{RateTable, RecipientCategory, SupplyType, TaxHeads, ZeroRatedMode};
use b2b_oms::ErrorCode;
use gst_common::*;
use rust_decimal::Decimal;

fn rates() -> RateTable {
    RateTable::india_default()
}

/// Seller 24AAQCA8719H1ZC in Gujarat; one line HSN 61149090, 1 NOS at
/// 100.00, 18 %; buyer registered in `buyer_state`.
fn gujarat(buyer_state: &str) -> InvoiceInput {
    let mut input = invoice(
        date(2026, 11, 26),
        buyer_state,
        vec![line("61149090", "1", "100.00", "GST18")],
    );
    input.number = "INV/26-27/00001".into();
    input.seller = party(
        "Gujarat Seller",
        Some("24AAQCA8719H1ZC".into()),
        "24",
        "380001",
    );
    input
}

/// An overseas buyer (US, state 96) whose goods are delivered in Ahmedabad.
fn overseas_delivered_in_ahmedabad() -> InvoiceInput {
    let mut input = gujarat("24");
    input.buyer = party("Overseas Buyer Inc", None, "96", "999999");
    input.recipient_category = RecipientCategory::Overseas;
    input.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
    input.ship_to = Some(party("Ahmedabad Consignee", None, "24", "380015"));
    input.export = Some(ExportDetails {
        currency: "INR".into(),
        exchange_rate: Decimal::ONE,
        port_code: None,
        shipping_bill_no: None,
        shipping_bill_date: None,
        country_code: "US".into(),
    });
    input
}

#[test]
fn goods_delivered_in_india_to_an_overseas_buyer_are_not_an_export() {
    let inv = compute_invoice(&overseas_delivered_in_ahmedabad(), &rates()).unwrap();
    assert_eq!(inv.regime.place_of_supply, "24");
    assert_eq!(inv.regime.heads, TaxHeads::CgstSgst);
    assert_eq!(inv.regime.supply_type, SupplyType::B2c);
    assert!(!inv.regime.zero_rated);
    assert_eq!((inv.totals.cgst, inv.totals.sgst), (d("9.00"), d("9.00")));
    assert_eq!(inv.totals.grand_total, d("118.00"));
    assert_eq!(inv.title, "Tax Invoice");
    assert_eq!(inv.kind, DocumentKind::TaxInvoice);
    assert!(inv.export.is_none());
    assert!(inv.endorsements.is_empty());
    let codes: Vec<(&str, &str)> = inv
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.field.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("NOT_AN_EXPORT", "ship_to.address.state_code"),
            ("EXPORT_DETAILS_NOT_USED", "export")
        ]
    );
    assert!(inv.regime.reasons.iter().any(|r| r.contains("s.10(1)(a)")));
    // B2C: no e-invoice.
    let e = to_einvoice(&inv, &rates()).unwrap_err();
    assert_eq!(e.code(), "EINVOICE_NOT_APPLICABLE");
    // Without export details it is the same domestic supply.
    let mut input = overseas_delivered_in_ahmedabad();
    input.export = None;
    input.zero_rated_mode = None;
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.grand_total, d("118.00"));
    assert_eq!(inv.warnings.len(), 1);
}

#[test]
fn goods_handed_over_at_an_indian_port_for_export_stay_an_export() {
    let mut input = overseas_delivered_in_ahmedabad();
    if let Some(ex) = input.export.as_mut() {
        ex.port_code = Some("INSBI6".into());
    }
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.place_of_supply, "96");
    assert_eq!(inv.regime.supply_type, SupplyType::Expwop);
    assert_eq!(inv.totals.total_tax, d("0"));
    assert!(inv.export.is_some());
}

#[test]
fn a_nil_exempt_or_non_gst_line_with_a_gst_rate_is_refused() {
    for (class, rate) in [("NIL", "28"), ("EXEMPT", "5"), ("NON_GST", "18")] {
        let mut input = gujarat("24");
        let mut l = line("61149090", "1", "100.00", class);
        l.gst_rate = Some(d(rate));
        input.lines = vec![line("61149090", "1", "100.00", "GST18"), l];
        let e = compute_invoice(&input, &rates()).unwrap_err();
        assert_eq!(e.code(), "RATE_CONTRADICTS_CLASS", "{class}");
        assert_eq!(e.field(), Some("lines[1].gst_rate"), "{class}");
        assert!(e.to_string().contains(class), "{e}");
    }
    // A 0 rate agrees with a nil-rated class; a taxable class keeps its
    // explicit rate.
    let mut input = gujarat("24");
    input.lines[0].rate_class = Some("NIL".into());
    input.lines[0].gst_rate = Some(Decimal::ZERO);
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.total_tax, d("0"));
    let mut input = gujarat("24");
    input.lines[0].gst_rate = Some(d("5"));
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.cgst, d("2.50"));
}

#[test]
fn a_buyer_with_the_sellers_own_gstin_is_refused() {
    let mut input = gujarat("24");
    input.buyer.gstin = Some("24aaqca8719h1zc".into());
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(e.code(), "INVALID_REGIME_INPUT");
    assert_eq!(e.field(), Some("buyer.gstin"));
    // Another registration of the same PAN (entity 2) is a distinct person.
    let first = "24AAQCA8719H2Z";
    let other = format!("{first}{}", b2b_oms::tax::gstin_check_char(first).unwrap());
    input.buyer.gstin = Some(other);
    assert!(compute_invoice(&input, &rates()).is_ok());
}

#[test]
fn reverse_charge_on_a_sale_to_an_unregistered_buyer_is_refused() {
    let mut input = gujarat("24");
    input.buyer.gstin = None;
    input.reverse_charge = true;
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(e.code(), "INVALID_REGIME_INPUT");
    assert_eq!(e.field(), Some("reverse_charge"));
    input.reverse_charge = false;
    assert!(compute_invoice(&input, &rates()).is_ok());
}

#[test]
fn a_government_department_buyer_is_accepted() {
    let info = b2b_oms::tax::validate_gstin("07AAAA12345A1ZT", None).unwrap();
    assert_eq!(
        info.registration_type,
        b2b_oms::tax::RegistrationType::GovernmentDepartment
    );
    assert_eq!(
        (info.state_code.as_str(), info.pan.as_str()),
        ("07", "AAAA12345A")
    );
    let e = b2b_oms::tax::validate_gstin("07AAAA12345A1ZU", None).unwrap_err();
    assert_eq!(e.code(), "INVALID_GSTIN");
    let mut input = gujarat("07");
    input.buyer = party(
        "Department of Education",
        Some("07AAAA12345A1ZT".into()),
        "07",
        "110001",
    );
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.supply_type, SupplyType::B2b);
    assert_eq!(
        (inv.regime.heads, inv.totals.igst),
        (TaxHeads::Igst, d("18.00"))
    );
}
