//! Builders shared by the GST integration tests.
#![allow(dead_code)]

use b2b_oms::invoice::{Address, InvoiceInput, InvoiceSettings, LineInput, Party};
use b2b_oms::tax::{gstin_check_char, RecipientCategory, SupplierRegistration};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A PIN code in `state` (the e-invoice checks PIN codes against their
/// state, as the IRP does).
pub fn pin_in(state: &str) -> &'static str {
    match state {
        "04" => "160002",
        "07" => "110002",
        "24" => "380015",
        "27" => "400002",
        "29" => "560058",
        "32" => "682001",
        "33" => "600001",
        "34" => "605001",
        "96" => "999999",
        _ => "500055",
    }
}

/// A valid GSTIN in `state` (PAN AAPFU0939F, entity `n`).
pub fn gstin(state: &str, n: char) -> String {
    let first = format!("{state}AAPFU0939F{n}Z");
    format!("{first}{}", gstin_check_char(&first).unwrap())
}

pub fn party(name: &str, gstin: Option<String>, state: &str, pin: &str) -> Party {
    Party {
        legal_name: name.into(),
        trade_name: None,
        gstin,
        address: Address {
            line1: "Test Address - 1".into(),
            line2: None,
            city: "Test City".into(),
            state_code: state.into(),
            pin: Some(pin.into()),
            country: None,
        },
    }
}

pub fn line(hsn: &str, qty: &str, price: &str, class: &str) -> LineInput {
    LineInput {
        description: "Test Trading Goods 1".into(),
        hsn: hsn.into(),
        quantity: d(qty),
        uqc: "NOS".into(),
        unit_price: d(price),
        discount: Decimal::ZERO,
        rate_class: Some(class.into()),
        gst_rate: None,
        cess: None,
        amount: None,
        original_line: None,
        order_ref: None,
        batch: None,
        ext: None,
    }
}

/// Seller in Maharashtra (27), registered buyer in `buyer_state`.
pub fn invoice(on: NaiveDate, buyer_state: &str, lines: Vec<LineInput>) -> InvoiceInput {
    InvoiceInput {
        document_type: Default::default(),
        number: "INV/22-23/00001".into(),
        date: on,
        time_of_supply: None,
        issued_at: None,
        seller: party(
            "Test Indian Registered Company",
            Some("27AAPFU0939F1ZV".into()),
            "27",
            "400001",
        ),
        supplier_registration: SupplierRegistration::Regular,
        buyer: party(
            "Test Registered Customer",
            Some(gstin(buyer_state, '2')),
            buyer_state,
            pin_in(buyer_state),
        ),
        recipient_category: RecipientCategory::Regular,
        ship_to: None,
        dispatch_from: None,
        bill_to_ship_to: false,
        place_of_supply: None,
        zero_rated_mode: None,
        reverse_charge: false,
        ecommerce_gstin: None,
        export: None,
        lines,
        order_discount: Decimal::ZERO,
        charges: vec![],
        original: None,
        payment_terms: vec![],
        order_terms: None,
        issued_numbers: vec![],
        eway_bill: None,
        settings: InvoiceSettings::default(),
        ext: None,
    }
}
