//! The INV-01 v1.1 limits the IRP enforces (issue 17 item 4, issue 21
//! items 3, 6 and 7): every case was accepted before its rule was added.

mod gst_common;

use b2b_oms::invoice::*;
use b2b_oms::tax::RateTable;
use gst_common::*;
use rust_decimal::Decimal;

fn rates() -> RateTable {
    RateTable::india_default()
}

/// The India Compliance goods case: 1000 NOS at 100.00, intra-state 27.
fn base_input() -> InvoiceInput {
    invoice(
        date(2022, 9, 16),
        "27",
        vec![line("61149090", "1000", "100", "GST18")],
    )
}

fn base() -> EInvoice {
    let inv = compute_invoice(&base_input(), &rates()).unwrap();
    to_einvoice(&inv, &rates()).unwrap()
}

fn violations(e: &EInvoice) -> Vec<(String, String)> {
    match validate_einvoice(e, &rates()) {
        Ok(()) => vec![],
        Err(InvoiceError::EInvoiceInvalid { violations, .. }) => {
            violations.into_iter().map(|v| (v.code, v.field)).collect()
        }
        Err(other) => panic!("{other}"),
    }
}

fn has(e: &EInvoice, code: &str, field: &str) -> bool {
    let v = violations(e);
    let found = v.iter().any(|(c, f)| c == code && f == field);
    assert!(found, "{code} at {field} not in {v:?}");
    found
}

fn road() -> EwbDtls {
    EwbDtls {
        trans_id: None,
        trans_name: None,
        distance: 120,
        trans_mode: Some("1".into()),
        trans_doc_no: None,
        trans_doc_dt: None,
        veh_no: Some("MH12AB1234".into()),
        veh_type: Some("R".into()),
    }
}

#[test]
fn the_base_payload_is_clean() {
    let mut e = base();
    e.ewb_dtls = Some(road());
    assert_eq!(violations(&e), vec![]);
}

#[test]
fn amount_maximums() {
    let mut e = base();
    let big = Decimal::new(1_000_000_000_000, 0);
    e.item_list[0].ass_amt = big;
    e.item_list[0].tot_amt = big;
    e.item_list[0].unit_price = big;
    e.val_dtls.tot_inv_val = Decimal::new(100_000_000_000_000, 0);
    assert!(has(&e, "ABOVE_MAXIMUM", "ItemList[0].AssAmt"));
    assert!(has(&e, "ABOVE_MAXIMUM", "ItemList[0].TotAmt"));
    assert!(has(&e, "ABOVE_MAXIMUM", "ItemList[0].UnitPrice"));
    assert!(has(&e, "ABOVE_MAXIMUM", "ValDtls.TotInvVal"));
    // The maximum itself is allowed.
    let mut ok = base();
    ok.item_list[0].unit_price = "999999999999.999".parse().unwrap();
    assert!(!violations(&ok).iter().any(|(c, _)| c == "ABOVE_MAXIMUM"));
}

#[test]
fn eway_bill_fields() {
    let mut e = base();
    e.ewb_dtls = Some(EwbDtls {
        trans_id: Some("ABC".into()),
        distance: 10_000,
        trans_mode: Some("5".into()),
        veh_no: Some("AB".into()),
        veh_type: Some("X".into()),
        ..road()
    });
    assert!(has(&e, "INVALID_TRANSPORTER_ID", "EwbDtls.TransId"));
    assert!(has(&e, "DISTANCE_RANGE", "EwbDtls.Distance"));
    assert!(has(&e, "INVALID_TRANSPORT_MODE", "EwbDtls.TransMode"));
    assert!(has(&e, "INVALID_VEHICLE_NO", "EwbDtls.VehNo"));
    assert!(has(&e, "INVALID_VEHICLE_TYPE", "EwbDtls.VehType"));
}

#[test]
fn minimum_lengths_of_texts() {
    let mut e = base();
    e.item_list[0].prd_desc = Some("AB".into());
    e.seller_dtls.trd_nm = Some("AB".into());
    e.buyer_dtls.addr2 = Some("A".into());
    let mut ship = e.seller_dtls.clone();
    ship.addr1 = "AB".into();
    e.ship_dtls = Some(ship);
    assert!(has(&e, "INVALID_LENGTH", "ItemList[0].PrdDesc"));
    assert!(has(&e, "INVALID_LENGTH", "SellerDtls.TrdNm"));
    assert!(has(&e, "INVALID_LENGTH", "BuyerDtls.Addr2"));
    assert!(has(&e, "INVALID_LENGTH", "ShipDtls.Addr1"));
}

#[test]
fn export_port_and_shipping_bill() {
    let mut e = base();
    e.exp_dtls = Some(ExpDtls {
        ship_b_no: Some("1234567890123456789012345".into()),
        ship_b_dt: Some("16/09/2022".into()),
        port: Some("IN-NSA1".into()),
        ref_clm: Some("N".into()),
        for_cur: Some("USD".into()),
        cnt_code: "US".into(),
    });
    assert!(has(&e, "INVALID_LENGTH", "ExpDtls.ShipBNo"));
    assert!(has(&e, "INVALID_PORT_CODE", "ExpDtls.Port"));
}

#[test]
fn document_date_range() {
    let mut e = base();
    e.doc_dtls.dt = "01/01/2100".into();
    assert!(has(&e, "DATE_RANGE", "DocDtls.Dt"));
    e.doc_dtls.dt = "30/06/2017".into();
    assert!(has(&e, "DATE_RANGE", "DocDtls.Dt"));
}

#[test]
fn amounts_written_as_strings_are_refused() {
    let text = serde_json::to_string(&base()).unwrap();
    assert!(serde_json::from_str::<EInvoice>(&text).is_ok());
    let stringly = text.replace("\"AssAmt\":100000", "\"AssAmt\":\"100000\"");
    assert_ne!(stringly, text);
    let err = serde_json::from_str::<EInvoice>(&stringly).unwrap_err();
    assert!(err.to_string().contains("JSON string"), "{err}");
}

#[test]
fn the_builder_reads_the_same_table() {
    let mut input = base_input();
    input.eway_bill = Some(EwayBill {
        distance_km: 10_000,
        mode: Some("1".into()),
        vehicle_no: Some("MH12AB1234".into()),
        ..Default::default()
    });
    let inv = compute_invoice(&input, &rates()).unwrap();
    let Err(InvoiceError::EInvoiceInvalid { violations, .. }) = to_einvoice(&inv, &rates()) else {
        panic!("a 10000 km e-way bill was built");
    };
    assert!(violations
        .iter()
        .any(|v| v.code == "DISTANCE_RANGE" && v.field == "EwbDtls.Distance"));
}

#[test]
fn pin_codes_lie_in_their_state() {
    // Issue 21 item 6: a buyer in Gujarat (24) with a Bangalore PIN.
    let mut e = base();
    e.buyer_dtls.stcd = "24".into();
    e.buyer_dtls.pos = "24".into();
    e.buyer_dtls.gstin = gstin("24", '2');
    e.buyer_dtls.pin = 560_001;
    assert!(has(&e, "PIN_STATE_MISMATCH", "BuyerDtls.Pin"));
    let mut e = base();
    e.seller_dtls.pin = 560_001;
    assert!(has(&e, "PIN_STATE_MISMATCH", "SellerDtls.Pin"));
    let mut e = base();
    let mut ship = e.seller_dtls.clone();
    ship.pin = 380_015;
    e.ship_dtls = Some(ship);
    assert!(has(&e, "PIN_STATE_MISMATCH", "ShipDtls.Pin"));
    let mut e = base();
    e.disp_dtls = Some(LocationDtls {
        nm: "Warehouse".into(),
        addr1: "Plot 4".into(),
        addr2: None,
        loc: "Bhiwandi".into(),
        pin: 110_001,
        stcd: "27".into(),
    });
    assert!(has(&e, "PIN_STATE_MISMATCH", "DispDtls.Pin"));
    // Gujarat's own PIN passes.
    let mut e = base();
    e.disp_dtls = Some(LocationDtls {
        nm: "Warehouse".into(),
        addr1: "Plot 4".into(),
        addr2: None,
        loc: "Ahmedabad".into(),
        pin: 380_015,
        stcd: "24".into(),
    });
    assert_eq!(violations(&e), vec![]);
}

#[test]
fn distance_and_the_modes_document() {
    // Issue 21 item 7: {"distance_km": 5000, "mode": "1"} with no vehicle.
    let mut e = base();
    e.ewb_dtls = Some(EwbDtls {
        distance: 5000,
        veh_no: None,
        veh_type: None,
        ..road()
    });
    assert!(has(&e, "DISTANCE_RANGE", "EwbDtls.Distance"));
    assert!(has(&e, "MISSING_VEHICLE_NO", "EwbDtls.VehNo"));
    for mode in ["2", "3", "4"] {
        let mut e = base();
        e.ewb_dtls = Some(EwbDtls {
            trans_mode: Some(mode.into()),
            veh_no: None,
            veh_type: None,
            ..road()
        });
        assert!(has(&e, "MISSING_TRANSPORT_DOC", "EwbDtls.TransDocNo"));
        e.ewb_dtls = Some(EwbDtls {
            trans_mode: Some(mode.into()),
            trans_doc_no: Some("RR/1234".into()),
            trans_doc_dt: Some("16/09/2022".into()),
            veh_no: None,
            veh_type: None,
            ..road()
        });
        assert_eq!(violations(&e), vec![]);
    }
    // Only the transporter, no mode: accepted.
    let mut e = base();
    e.ewb_dtls = Some(EwbDtls {
        trans_id: Some(gstin("27", '7')),
        trans_mode: None,
        veh_no: None,
        veh_type: None,
        ..road()
    });
    assert_eq!(violations(&e), vec![]);
}

#[test]
fn buyer_gstin_equal_to_the_sellers_is_refused() {
    // Issue 21 item 3, validator side.
    let mut e = base();
    e.buyer_dtls.gstin = e.seller_dtls.gstin.clone();
    assert!(has(&e, "BUYER_IS_SELLER", "BuyerDtls.Gstin"));
}
