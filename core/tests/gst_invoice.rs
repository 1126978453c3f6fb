//! The spec's worked cases and the India Compliance e-invoice cases, as
//! facts, plus documents, regimes, rates and errors.

mod gst_common;

use b2b_oms::invoice::*;
use b2b_oms::tax::{
    Cess, RateKind, RateTable, RecipientCategory, SupplierRegistration, TaxHeads, ZeroRatedMode,
};
use b2b_oms::ErrorCode;
use gst_common::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn rates() -> RateTable {
    RateTable::india_default()
}

fn payload(inv: &Invoice) -> Value {
    let e = to_einvoice(inv, &rates()).unwrap();
    let text = serde_json::to_string(&e).unwrap();
    assert_eq!(einvoice_json(&e).unwrap(), text);
    // The payload parses back to the same value (numbers are exact).
    let back: EInvoice = serde_json::from_str(&text).unwrap();
    assert_eq!(back, e);
    serde_json::from_str(&text).unwrap()
}

#[test]
fn goods_intra_state_1000_nos_at_18() {
    let input = invoice(
        date(2022, 9, 16),
        "27",
        vec![line("61149090", "1000", "100.00", "GST18")],
    );
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.kind, DocumentKind::TaxInvoice);
    assert_eq!(inv.regime.heads, TaxHeads::CgstSgst);
    let l = &inv.lines[0];
    assert_eq!(l.taxable_value, d("100000.00"));
    assert_eq!(
        (l.cgst, l.sgst, l.igst),
        (d("9000.00"), d("9000.00"), d("0"))
    );
    assert_eq!(l.total, d("118000.00"));
    assert_eq!(inv.totals.grand_total, d("118000.00"));
    assert_eq!(inv.totals.round_off, d("0"));
    assert_eq!(inv.grand_total_display, "1,18,000.00");
    assert_eq!(
        inv.amount_in_words,
        "Rupees One Lakh Eighteen Thousand Only"
    );
    assert_eq!(inv.place_of_supply, "Maharashtra (27)");
    let j = payload(&inv);
    assert_eq!(j["Version"], "1.1");
    assert_eq!(
        j["TranDtls"],
        json!({"TaxSch": "GST", "SupTyp": "B2B", "RegRev": "N"})
    );
    assert_eq!(
        j["DocDtls"],
        json!({"Typ": "INV", "No": "INV/22-23/00001", "Dt": "16/09/2022"})
    );
    let item = &j["ItemList"][0];
    assert_eq!(item["HsnCd"], "61149090");
    assert_eq!(item["IsServc"], "N");
    assert_eq!(item["Unit"], "NOS");
    assert_eq!(item["Qty"], json!(1000));
    assert_eq!(item["UnitPrice"], json!(100));
    assert_eq!(item["TotAmt"], json!(100000));
    assert_eq!(item["AssAmt"], json!(100000));
    assert_eq!(item["GstRt"], json!(18));
    assert_eq!(item["CgstAmt"], json!(9000));
    assert_eq!(item["SgstAmt"], json!(9000));
    assert_eq!(item["IgstAmt"], json!(0));
    assert_eq!(item["TotItemVal"], json!(118000));
    assert_eq!(j["ValDtls"]["AssVal"], json!(100000));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(118000));
    assert_eq!(j["BuyerDtls"]["Pos"], "27");
    assert_eq!(j["PayDtls"]["PaymtDue"], json!(118000));
    // HSN summary.
    assert_eq!(inv.hsn_summary.len(), 1);
    assert_eq!(inv.hsn_summary[0].quantity, d("1000"));
    assert_eq!(inv.hsn_summary[0].cgst, d("9000.00"));
}

#[test]
fn service_item() {
    let mut l = line("999900", "1", "100", "GST18");
    l.description = "Test Service Item".into();
    let inv = compute_invoice(&invoice(date(2022, 9, 17), "27", vec![l]), &rates()).unwrap();
    let j = payload(&inv);
    let item = &j["ItemList"][0];
    assert_eq!(item["IsServc"], "Y");
    assert_eq!(item["CgstAmt"], json!(9));
    assert_eq!(item["TotItemVal"], json!(118));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(118));
    assert_eq!(inv.regime.supply_type, b2b_oms::tax::SupplyType::B2b);
}

#[test]
fn nil_exempt_lines_go_to_other_charges() {
    let mut nil = line("61149090", "1", "100", "NIL");
    nil.description = "Test Nil Rated Item".into();
    let taxed = line("61149090", "1", "10", "GST12");
    let inv = compute_invoice(
        &invoice(date(2023, 12, 18), "27", vec![nil, taxed]),
        &rates(),
    )
    .unwrap();
    assert_eq!(inv.kind, DocumentKind::TaxInvoice);
    assert_eq!(inv.totals.nil_exempt_value, d("100.00"));
    assert_eq!(inv.totals.round_off, d("-0.20"));
    assert_eq!(inv.totals.grand_total, d("111.00"));
    let j = payload(&inv);
    let items = j["ItemList"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["SlNo"], "2");
    assert_eq!(items[0]["CgstAmt"], json!(0.6));
    assert_eq!(items[0]["SgstAmt"], json!(0.6));
    assert_eq!(items[0]["TotItemVal"], json!(11.2));
    assert_eq!(j["ValDtls"]["AssVal"], json!(10));
    assert_eq!(j["ValDtls"]["OthChrg"], json!(100));
    assert_eq!(j["ValDtls"]["RndOffAmt"], json!(-0.2));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(111));
    // HSN summary keeps nil and 12 % apart.
    assert_eq!(inv.hsn_summary.len(), 2);
}

fn original_2022() -> OriginalInvoice {
    OriginalInvoice {
        number: "SINV-CFY-00092".into(),
        date: date(2022, 9, 17),
        lines: vec![OriginalLine {
            hsn: "61149090".into(),
            gst_rate: d("12"),
            cess: Cess::default(),
            kind: RateKind::Taxable,
            taxable_value: d("15.20"),
            already_credited: Decimal::ZERO,
        }],
    }
}

#[test]
fn credit_note_15_20_at_12_percent() {
    let mut l = line("61149090", "2", "7.60", "GST18");
    l.rate_class = None;
    l.original_line = Some(0);
    // Dated 2026: the 2022 original's 12 % is used although not notified now.
    let mut input = invoice(date(2026, 1, 10), "27", vec![l]);
    input.document_type = DocumentType::CreditNote;
    input.number = "CN/25-26/00001".into();
    input.original = Some(original_2022());
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.kind, DocumentKind::CreditNote);
    assert_eq!(inv.totals.taxable_value, d("15.20"));
    assert_eq!((inv.totals.cgst, inv.totals.sgst), (d("0.91"), d("0.91")));
    assert_eq!(inv.totals.round_off, d("-0.02"));
    assert_eq!(inv.totals.grand_total, d("17.00"));
    let j = payload(&inv);
    assert_eq!(j["DocDtls"]["Typ"], "CRN");
    assert_eq!(j["ValDtls"]["CgstVal"], json!(0.91));
    assert_eq!(j["ValDtls"]["RndOffAmt"], json!(-0.02));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(17));
    assert_eq!(
        j["RefDtls"]["PrecDocDtls"][0],
        json!({"InvNo": "SINV-CFY-00092", "InvDt": "17/09/2022"})
    );
}

#[test]
fn credit_note_never_exceeds_what_remains() {
    let mut l = line("61149090", "2", "7.60", "GST12");
    l.original_line = Some(0);
    let mut input = invoice(date(2022, 10, 1), "27", vec![l]);
    input.document_type = DocumentType::CreditNote;
    input.number = "CN/22-23/00002".into();
    let mut original = original_2022();
    original.lines[0].already_credited = d("10.00");
    input.original = Some(original);
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(e.code(), "OVER_CREDITED");
    assert_eq!(e.field(), Some("lines[0].original_line"));
    // Without a line reference the total cap still applies.
    input.lines[0].original_line = None;
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("OVER_CREDITED", Some("lines")));
    // A credit note needs its original.
    input.original = None;
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("MISSING_FIELD", Some("original")));
}

#[test]
fn debit_note_value_only() {
    let mut l = line("61149090", "0", "100", "GST18");
    l.amount = Some(d("100"));
    let mut input = invoice(date(2022, 9, 17), "27", vec![l]);
    input.document_type = DocumentType::DebitNote;
    input.number = "DN/22-23/00001".into();
    input.original = Some(OriginalInvoice {
        number: "SINV-CFY-00092".into(),
        date: date(2022, 9, 17),
        lines: vec![],
    });
    let inv = compute_invoice(&input, &rates()).unwrap();
    let j = payload(&inv);
    assert_eq!(j["DocDtls"]["Typ"], "DBN");
    let item = &j["ItemList"][0];
    assert_eq!(item["Qty"], json!(0));
    assert_eq!(item["TotAmt"], json!(100));
    assert_eq!(item["CgstAmt"], json!(9));
    assert_eq!(item["TotItemVal"], json!(118));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(118));
}

fn export_input(mode: ZeroRatedMode, currency: &str, xr: &str, price: &str) -> InvoiceInput {
    let mut input = invoice(
        date(2022, 9, 16),
        "27",
        vec![line("61149090", "1000", price, "GST18")],
    );
    input.buyer = party("Test Foreign Customer", None, "96", "999999");
    input.recipient_category = RecipientCategory::Overseas;
    input.zero_rated_mode = Some(mode);
    input.export = Some(ExportDetails {
        currency: currency.into(),
        exchange_rate: d(xr),
        port_code: Some("INABG1".into()),
        shipping_bill_no: Some("1234".into()),
        shipping_bill_date: Some(date(2023, 6, 10)),
        country_code: "US".into(),
    });
    input
}

#[test]
fn export_without_payment() {
    let inv = compute_invoice(
        &export_input(ZeroRatedMode::UnderLut, "INR", "1", "100"),
        &rates(),
    )
    .unwrap();
    assert!(inv.regime.zero_rated);
    assert_eq!(inv.totals.total_tax, d("0"));
    assert_eq!(inv.lines[0].notified_rate, d("18"));
    assert!(inv.endorsements[0].contains("LETTER OF UNDERTAKING"));
    let j = payload(&inv);
    assert_eq!(j["TranDtls"]["SupTyp"], "EXPWOP");
    assert_eq!(j["BuyerDtls"]["Gstin"], "URP");
    assert_eq!(j["BuyerDtls"]["Pos"], "96");
    assert_eq!(j["BuyerDtls"]["Stcd"], "96");
    assert_eq!(j["BuyerDtls"]["Pin"], json!(999999));
    assert_eq!(j["ItemList"][0]["GstRt"], json!(0));
    assert_eq!(j["ItemList"][0]["TotItemVal"], json!(100000));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(100000));
    assert_eq!(j["ExpDtls"]["CntCode"], "US");
    assert_eq!(j["ExpDtls"]["Port"], "INABG1");
    assert_eq!(j["ExpDtls"]["ShipBNo"], "1234");
    assert_eq!(j["ExpDtls"]["ShipBDt"], "10/06/2023");
}

#[test]
fn export_with_payment_in_dollars() {
    let inv = compute_invoice(
        &export_input(ZeroRatedMode::WithPayment, "USD", "83.25", "10"),
        &rates(),
    )
    .unwrap();
    assert_eq!(inv.regime.heads, TaxHeads::Igst);
    assert_eq!(inv.totals.taxable_value, d("832500.00"));
    assert_eq!(inv.totals.igst, d("149850.00"));
    assert_eq!(inv.totals.grand_total, d("982350.00"));
    let ex = inv.export.as_ref().unwrap();
    assert_eq!(ex.total_foreign, d("11800.00"));
    assert_eq!(
        ex.total_foreign_in_words,
        "US Dollars Eleven Thousand Eight Hundred Only"
    );
    assert!(inv.endorsements[0].contains("ON PAYMENT OF INTEGRATED TAX"));
    let j = payload(&inv);
    assert_eq!(j["TranDtls"]["SupTyp"], "EXPWP");
    assert_eq!(j["ValDtls"]["TotInvValFc"], json!(11800));
    assert_eq!(j["ExpDtls"]["ForCur"], "USD");
    assert_eq!(j["ExpDtls"]["RefClm"], "Y");
}

#[test]
fn sez_in_the_same_state_is_igst_on_intra() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "10", "100", "GST18")],
    );
    input.recipient_category = RecipientCategory::Sez;
    input.zero_rated_mode = Some(ZeroRatedMode::WithPayment);
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.igst, d("180.00"));
    assert_eq!(inv.totals.cgst, d("0"));
    let j = payload(&inv);
    assert_eq!(j["TranDtls"]["SupTyp"], "SEZWP");
    assert_eq!(j["TranDtls"]["IgstOnIntra"], "Y");
    input.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.total_tax, d("0"));
    assert_eq!(payload(&inv)["TranDtls"]["SupTyp"], "SEZWOP");
}

#[test]
fn deemed_export_and_inter_state() {
    let mut input = invoice(
        date(2025, 10, 1),
        "29",
        vec![line("61149090", "3", "33.33", "GST5")],
    );
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.heads, TaxHeads::Igst);
    assert_eq!(inv.totals.igst, d("5.00"));
    input.recipient_category = RecipientCategory::DeemedExport;
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(payload(&inv)["TranDtls"]["SupTyp"], "DEXP");
}

#[test]
fn union_territory_uses_utgst_in_sgst_fields() {
    let mut input = invoice(
        date(2025, 10, 1),
        "04",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.seller = party("Chandigarh Seller", Some(gstin("04", '1')), "04", "160001");
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.heads, TaxHeads::CgstUtgst);
    assert_eq!((inv.totals.cgst, inv.totals.sgst), (d("9.00"), d("9.00")));
    assert_eq!(payload(&inv)["ItemList"][0]["SgstAmt"], json!(9));
}

#[test]
fn rates_by_date() {
    let on = |y, m, day, class: &str| {
        compute_invoice(
            &invoice(
                date(y, m, day),
                "27",
                vec![line("61149090", "1", "100", class)],
            ),
            &rates(),
        )
    };
    assert_eq!(on(2025, 9, 21, "GST12").unwrap().totals.cgst, d("6.00"));
    let e = on(2025, 9, 22, "GST12").unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_RATE_CLASS", Some("lines[0].rate_class"))
    );
    assert!(e.to_string().contains("2025-09-22"));
    assert_eq!(on(2025, 9, 22, "GST40").unwrap().totals.cgst, d("20.00"));
    assert!(on(2025, 9, 21, "GST40").is_err());
    // The general 28 % class ends with the reform; only tobacco keeps 28 %.
    assert_eq!(on(2025, 9, 21, "GST28").unwrap().totals.cgst, d("14.00"));
    assert_eq!(
        on(2025, 9, 22, "GST28").unwrap_err().code(),
        "UNKNOWN_RATE_CLASS"
    );
    // Pan masala: 28 % + 60 % cess until 31 Jan 2026, then 40 % and no cess.
    for (y, m, day) in [(2025, 9, 21), (2025, 9, 22), (2026, 1, 31)] {
        let pm = on(y, m, day, "GST28_CESS60").unwrap();
        assert_eq!(pm.totals.cess, d("60.00"));
        assert_eq!(pm.totals.grand_total, d("188.00"));
    }
    let pm = on(2026, 2, 1, "GST28_CESS60").unwrap();
    assert_eq!(pm.lines[0].gst_rate, d("40"));
    assert_eq!((pm.totals.cgst, pm.totals.sgst), (d("20.00"), d("20.00")));
    assert_eq!(pm.totals.cess, d("0.00"));
    assert_eq!(pm.totals.grand_total, d("140.00"));
    let cig = on(2026, 2, 1, "GST28_CIGARETTE").unwrap();
    assert_eq!(
        (cig.totals.cess, cig.totals.grand_total),
        (d("0.00"), d("140.00"))
    );
    assert_eq!(
        on(2026, 2, 1, "GST40").unwrap().totals.grand_total,
        d("140.00")
    );
    // Explicit 28 %: any goods before the reform, tobacco only after it,
    // nobody from 1 Feb 2026.
    let explicit = |y, m, day, hsn: &str, cess: Option<Cess>| {
        let mut l = line(hsn, "1", "100", "GST18");
        l.rate_class = None;
        l.gst_rate = Some(d("28"));
        l.cess = cess;
        compute_invoice(&invoice(date(y, m, day), "27", vec![l]), &rates())
            .map(|i| i.totals.grand_total)
            .map_err(|e| e.code())
    };
    assert_eq!(explicit(2025, 9, 21, "61149090", None), Ok(d("128.00")));
    assert_eq!(
        explicit(2025, 9, 22, "61149090", None),
        Err("RATE_NOT_NOTIFIED")
    );
    assert_eq!(explicit(2025, 9, 22, "24022090", None), Ok(d("128.00")));
    assert_eq!(explicit(2026, 1, 31, "24039990", None), Ok(d("128.00")));
    assert_eq!(
        explicit(2026, 2, 1, "24022090", None),
        Err("RATE_NOT_NOTIFIED")
    );
    // Compensation cess: any goods before the reform, tobacco/pan masala
    // only until 31 Jan 2026.
    let cess12 = || {
        Some(Cess {
            ad_valorem: d("12"),
            ..Cess::default()
        })
    };
    assert_eq!(explicit(2025, 9, 21, "22021010", cess12()), Ok(d("140.00")));
    assert_eq!(
        explicit(2025, 9, 22, "22021010", cess12()),
        Err("RATE_NOT_NOTIFIED")
    );
    assert_eq!(explicit(2026, 1, 31, "21069020", cess12()), Ok(d("140.00")));
    // An explicit rate must be notified on the date.
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.lines[0].rate_class = None;
    input.lines[0].gst_rate = Some(d("12"));
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("RATE_NOT_NOTIFIED", Some("lines[0].gst_rate"))
    );
    // Explicit cess after cess ended.
    input.lines[0].gst_rate = Some(d("40"));
    input.lines[0].cess = Some(Cess {
        ad_valorem: d("60"),
        ..Cess::default()
    });
    input.date = date(2026, 2, 1);
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("CESS_NOT_LEVIED", Some("lines[0].gst_rate"))
    );
    // Time of supply decides, not the invoice date.
    let mut input = invoice(
        date(2025, 9, 25),
        "27",
        vec![line("61149090", "1", "100", "GST12")],
    );
    input.time_of_supply = Some(date(2025, 9, 20));
    assert!(compute_invoice(&input, &rates()).is_ok());
}

#[test]
fn specific_and_ad_valorem_cess() {
    let mut l = line("24022090", "1000", "10", "GST28_CIGARETTE");
    l.uqc = "NOS".into();
    let inv = compute_invoice(&invoice(date(2025, 6, 1), "27", vec![l]), &rates()).unwrap();
    let l = &inv.lines[0];
    assert_eq!(l.cess, d("500.00"));
    assert_eq!(l.cess_non_advol, d("2076.00"));
    assert_eq!(inv.totals.cess, d("2576.00"));
    assert_eq!(inv.totals.grand_total, d("15376.00"));
    let j = payload(&inv);
    assert_eq!(j["ItemList"][0]["CesNonAdvlAmt"], json!(2076));
    assert_eq!(j["ValDtls"]["CesVal"], json!(2576));
}

#[test]
fn tax_inclusive_prices_reproduce_the_amount() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![
            line("61149090", "1", "100", "GST18"),
            line("61149090", "3", "99.99", "GST5"),
        ],
    );
    input.settings.prices_include_tax = true;
    let inv = compute_invoice(&input, &rates()).unwrap();
    let l = &inv.lines[0];
    assert_eq!(l.total, d("100.00"));
    assert_eq!(l.cgst, l.sgst);
    assert_eq!(l.taxable_value + l.cgst + l.sgst, d("100.00"));
    assert_eq!(inv.lines[1].total, d("299.97"));
    assert_eq!(inv.totals.grand_total, d("400.00"));
    payload(&inv);
}

#[test]
fn discounts_and_charges() {
    let mut a = line("61149090", "10", "100", "GST18");
    a.discount = d("100");
    let b = line("61099090", "30", "100", "GST5");
    let mut input = invoice(date(2025, 10, 1), "29", vec![a, b]);
    input.order_discount = d("400");
    input.charges = vec![
        Charge {
            description: "Freight".into(),
            amount: d("100"),
            billing: ChargeBilling::SpreadOverGoods,
            sac: None,
            rate_class: None,
        },
        Charge {
            description: "Courier".into(),
            amount: d("50"),
            billing: ChargeBilling::ServiceLine,
            sac: Some("9968".into()),
            rate_class: None,
        },
        Charge {
            description: "TCS".into(),
            amount: d("3.15"),
            billing: ChargeBilling::AfterTax,
            sac: None,
            rate_class: None,
        },
    ];
    let inv = compute_invoice(&input, &rates()).unwrap();
    // Net 900 and 3000; order discount 400 → 92.31 and 307.69.
    assert_eq!(inv.lines[0].discount, d("192.31"));
    assert_eq!(inv.lines[1].discount, d("307.69"));
    // Freight 100 over 807.69 and 2692.31 → 23.08 and 76.92.
    assert_eq!(inv.lines[0].charges, d("23.08"));
    assert_eq!(inv.lines[1].charges, d("76.92"));
    assert_eq!(inv.lines[0].taxable_value, d("830.77"));
    assert_eq!(inv.lines[0].igst, d("149.54"));
    assert_eq!(inv.lines[1].taxable_value, d("2769.23"));
    assert_eq!(inv.lines[1].igst, d("138.46"));
    let svc = &inv.lines[2];
    assert!(svc.from_charge && svc.is_service);
    assert_eq!((svc.hsn.as_str(), svc.igst), ("9968", d("9.00")));
    assert_eq!(inv.totals.charges_after_tax, d("3.15"));
    // 830.77 + 2769.23 + 50 + 149.54 + 138.46 + 9 + 3.15 = 3950.15
    assert_eq!(inv.totals.grand_total, d("3950.00"));
    assert_eq!(inv.totals.round_off, d("-0.15"));
    let j = payload(&inv);
    assert_eq!(j["ItemList"][0]["TotAmt"], json!(1023.08));
    assert_eq!(j["ItemList"][0]["Discount"], json!(192.31));
    assert_eq!(j["ValDtls"]["OthChrg"], json!(3.15));
}

#[test]
fn reverse_charge_is_shown_not_collected() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("998311", "1", "1000.40", "GST18")],
    );
    input.reverse_charge = true;
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.total_tax, d("180.08"));
    assert_eq!(inv.totals.tax_payable_by_recipient, d("180.08"));
    assert_eq!(inv.totals.amount_payable, d("1000.00"));
    assert_eq!(inv.totals.grand_total, d("1180.08"));
    assert!(inv
        .endorsements
        .iter()
        .any(|e| e.contains("reverse charge")));
    assert_eq!(payload(&inv)["TranDtls"]["RegRev"], "Y");
}

#[test]
fn bill_of_supply() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.supplier_registration = SupplierRegistration::Composition;
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.kind, DocumentKind::BillOfSupply);
    assert_eq!(inv.title, "Bill of Supply");
    assert_eq!(inv.totals.total_tax, d("0"));
    assert!(inv.endorsements[0].contains("composition taxable person"));
    let e = to_einvoice(&inv, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("EINVOICE_NOT_APPLICABLE", Some("kind"))
    );
    // All lines exempt → bill of supply too.
    let inv = compute_invoice(
        &invoice(
            date(2025, 10, 1),
            "27",
            vec![line("61149090", "1", "100", "EXEMPT")],
        ),
        &rates(),
    )
    .unwrap();
    assert_eq!(inv.kind, DocumentKind::BillOfSupply);
}

fn order_ref(line: &str, ordered: &str, shipped: &str, already: &str) -> OrderLineRef {
    OrderLineRef {
        order_id: "SO-1".into(),
        line_id: line.into(),
        shipment_id: None,
        ordered: d(ordered),
        shipped: d(shipped),
        already_invoiced: d(already),
    }
}

#[test]
fn never_invoiced_beyond_shipped() {
    let mut l = line("61149090", "5", "100", "GST18");
    l.order_ref = Some(order_ref("1", "20", "10", "6"));
    let mut input = invoice(date(2025, 10, 1), "27", vec![l]);
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("OVER_INVOICED", Some("lines[0].quantity"))
    );
    input.settings.advance = true;
    assert!(compute_invoice(&input, &rates()).is_ok());
    // Two lines for one order line are summed.
    let mut a = line("61149090", "3", "100", "GST18");
    a.order_ref = Some(order_ref("1", "20", "10", "6"));
    let b = a.clone();
    let e = compute_invoice(&invoice(date(2025, 10, 1), "27", vec![a, b]), &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("OVER_INVOICED", Some("lines[1].quantity"))
    );
}

#[test]
fn part_and_consolidated_invoices() {
    let mut a = line("61149090", "4", "100", "GST18");
    a.order_ref = Some(order_ref("1", "10", "4", "0"));
    let mut b = line("61149090", "6", "100", "GST18");
    b.order_ref = Some(OrderLineRef {
        order_id: "SO-2".into(),
        ..order_ref("1", "6", "6", "0")
    });
    let s1 = ShipmentLines {
        shipment_id: "SH-1".into(),
        customer_id: "C1".into(),
        place_of_supply: "27".into(),
        lines: vec![a],
    };
    let s2 = ShipmentLines {
        shipment_id: "SH-2".into(),
        customer_id: "C1".into(),
        place_of_supply: "27".into(),
        lines: vec![b],
    };
    let header = invoice(date(2025, 10, 1), "27", vec![]);
    let part = consolidate_shipments(&header, std::slice::from_ref(&s1)).unwrap();
    assert_eq!(
        compute_invoice(&part, &rates())
            .unwrap()
            .totals
            .taxable_value,
        d("400.00")
    );
    let all = consolidate_shipments(&header, &[s1.clone(), s2.clone()]).unwrap();
    let inv = compute_invoice(&all, &rates()).unwrap();
    assert_eq!(inv.lines.len(), 2);
    assert_eq!(
        inv.lines[1]
            .order_ref
            .as_ref()
            .unwrap()
            .shipment_id
            .as_deref(),
        Some("SH-2")
    );
    assert_eq!(inv.totals.grand_total, d("1180.00"));
    let mut other = s2.clone();
    other.place_of_supply = "29".into();
    let e = consolidate_shipments(&header, &[s1.clone(), other]).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (
            "INCONSISTENT_SHIPMENTS",
            Some("shipments[1].place_of_supply")
        )
    );
    let mut other = s2;
    other.customer_id = "C2".into();
    let e = consolidate_shipments(&header, &[s1, other]).unwrap_err();
    assert_eq!(e.field(), Some("shipments[1].customer_id"));
}

#[test]
fn payment_terms_to_due_dates() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.payment_terms = vec![
        Instalment {
            percent: d("30"),
            days: 0,
        },
        Instalment {
            percent: d("70"),
            days: 45,
        },
    ];
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.due_dates[0].amount, d("35.40"));
    assert_eq!(inv.due_dates[1].amount, d("82.60"));
    assert_eq!(inv.due_dates[1].date, date(2025, 11, 15));
    assert_eq!(payload(&inv)["PayDtls"]["CrDay"], json!(45));
}

#[test]
fn unregistered_buyer_of_50000_needs_delivery_address() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "500", "100", "GST18")],
    );
    input.buyer.gstin = None;
    input.buyer.address.line1 = String::new();
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("MISSING_FIELD", Some("buyer.address.line1"))
    );
    input.lines[0].quantity = d("10");
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.supply_type, b2b_oms::tax::SupplyType::B2c);
    assert_eq!(
        to_einvoice(&inv, &rates()).unwrap_err().code(),
        "EINVOICE_NOT_APPLICABLE"
    );
}

#[test]
fn every_error_kind_has_code_and_path() {
    let ok = || {
        invoice(
            date(2025, 10, 1),
            "27",
            vec![
                line("61149090", "1", "100", "GST18"),
                line("61149090", "1", "100", "GST18"),
            ],
        )
    };
    type Mutation = Box<dyn Fn(&mut InvoiceInput)>;
    let cases: Vec<(Mutation, &str, &str)> = vec![
        (Box::new(|i| i.lines.clear()), "EMPTY_INVOICE", "lines"),
        (
            Box::new(|i| i.settings.max_lines = 1),
            "TOO_MANY_LINES",
            "lines",
        ),
        (
            Box::new(|i| i.lines[1].quantity = d("-1")),
            "INVALID_VALUE",
            "lines[1].quantity",
        ),
        (
            Box::new(|i| i.lines[1].quantity = d("1.0001")),
            "INVALID_VALUE",
            "lines[1].quantity",
        ),
        (
            Box::new(|i| i.lines[0].discount = d("101")),
            "INVALID_VALUE",
            "lines[0].discount",
        ),
        (
            Box::new(|i| i.lines[1].unit_price = d("1e12")),
            "INVALID_VALUE",
            "lines[1].unit_price",
        ),
        (
            Box::new(|i| i.order_discount = d("1000")),
            "INVALID_VALUE",
            "order_discount",
        ),
        (
            Box::new(|i| i.buyer.legal_name.clear()),
            "MISSING_FIELD",
            "buyer.legal_name",
        ),
        (
            Box::new(|i| i.lines[1].description.clear()),
            "MISSING_FIELD",
            "lines[1].description",
        ),
        (
            Box::new(|i| i.lines[1].uqc = "PIECES".into()),
            "INVALID_UQC",
            "lines[1].uqc",
        ),
        (
            Box::new(|i| i.lines[1].hsn = "611".into()),
            "INVALID_HSN",
            "lines[1].hsn",
        ),
        (Box::new(|i| i.settings.hsn_min_length = 8), "OK", ""),
        (
            Box::new(|i| {
                i.settings.hsn_min_length = 6;
                i.lines[1].hsn = "6114".into()
            }),
            "INVALID_HSN",
            "lines[1].hsn",
        ),
        (
            Box::new(|i| i.lines[1].rate_class = Some("GST99".into())),
            "UNKNOWN_RATE_CLASS",
            "lines[1].rate_class",
        ),
        (
            Box::new(|i| i.buyer.gstin = Some("27AAPFU0939F1Z0".into())),
            "INVALID_GSTIN",
            "buyer.gstin",
        ),
        (
            Box::new(|i| i.seller.gstin = None),
            "INVALID_REGIME_INPUT",
            "seller.gstin",
        ),
        (
            Box::new(|i| i.place_of_supply = Some("55".into())),
            "UNKNOWN_STATE_CODE",
            "place_of_supply",
        ),
        (
            Box::new(|i| i.number = "0INV".into()),
            "INVALID_DOCUMENT_NUMBER",
            "number",
        ),
        (
            Box::new(|i| {
                i.payment_terms = vec![Instalment {
                    percent: d("0"),
                    days: 1,
                }]
            }),
            "INVALID_PAYMENT_TERMS",
            "payment_terms[0].percent",
        ),
        (
            Box::new(|i| {
                i.lines[1].rate_class = None;
                i.lines[1].gst_rate = Some(d("18"));
                i.lines[1].cess = Some(Cess {
                    per_unit: d("1e20"),
                    ..Cess::default()
                });
            }),
            "INVALID_VALUE",
            "lines[1].gst_rate",
        ),
        (
            Box::new(|i| i.lines[1].amount = Some(d("5"))),
            "UNSUPPORTED",
            "lines[1].amount",
        ),
        (
            Box::new(|i| i.lines[1].original_line = Some(0)),
            "INVALID_VALUE",
            "lines[1].original_line",
        ),
        (
            Box::new(|i| {
                i.export = Some(ExportDetails {
                    currency: "USD".into(),
                    exchange_rate: d("80"),
                    port_code: None,
                    shipping_bill_no: None,
                    shipping_bill_date: None,
                    country_code: "US".into(),
                })
            }),
            "UNSUPPORTED",
            "export",
        ),
        (
            Box::new(|i| {
                i.recipient_category = RecipientCategory::Overseas;
                i.buyer.gstin = None;
                i.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
            }),
            "MISSING_FIELD",
            "export",
        ),
        (
            Box::new(|i| {
                i.recipient_category = RecipientCategory::Overseas;
                i.buyer.gstin = None;
                i.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
                i.export = Some(ExportDetails {
                    currency: "XYZ".into(),
                    exchange_rate: d("80"),
                    port_code: None,
                    shipping_bill_no: None,
                    shipping_bill_date: None,
                    country_code: "US".into(),
                });
            }),
            "UNKNOWN_CURRENCY",
            "export.currency",
        ),
        (
            Box::new(|i| {
                i.lines[0].order_ref = Some(order_ref("1", "1", "1", "0"));
                i.lines[1].order_ref = Some(order_ref("1", "2", "2", "0"));
            }),
            "INCONSISTENT_SHIPMENTS",
            "lines[1].order_ref",
        ),
    ];
    for (mutate, code, field) in cases {
        let mut input = ok();
        mutate(&mut input);
        let before = input.clone();
        match compute_invoice(&input, &rates()) {
            Ok(_) => assert_eq!(code, "OK"),
            Err(e) => {
                assert_eq!((e.code(), e.field()), (code, Some(field)), "{e}");
                assert!(!e.to_string().is_empty());
                assert_eq!(e.info().code, code);
            }
        }
        // Nothing is half-applied: the input is untouched.
        assert_eq!(input, before);
    }
}

#[test]
fn validator_reports_every_violation() {
    let inv = compute_invoice(
        &invoice(
            date(2022, 9, 16),
            "27",
            vec![line("61149090", "1000", "100", "GST18")],
        ),
        &rates(),
    )
    .unwrap();
    let mut e = to_einvoice(&inv, &rates()).unwrap();
    e.doc_dtls.no = "inv/1".into();
    e.doc_dtls.dt = "2022-09-16".into();
    e.seller_dtls.pin = 12;
    e.seller_dtls.lgl_nm = "AB".into();
    e.item_list[0].ass_amt = d("99999");
    e.item_list[0].sgst_amt = d("9000.5");
    e.item_list[0].igst_amt = d("1");
    e.item_list[0].gst_rt = d("17");
    e.item_list[0].unit = Some("PIECES".into());
    e.val_dtls.rnd_off_amt = d("100");
    e.val_dtls.cgst_val = d("1.234");
    let err = validate_einvoice(&e, &rates()).unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("EINVOICE_INVALID", Some("DocDtls.No"))
    );
    let InvoiceError::EInvoiceInvalid { violations, .. } = err else {
        panic!()
    };
    let has = |code: &str, field: &str| {
        violations
            .iter()
            .any(|v| v.code == code && v.field == field)
    };
    assert!(has("INVALID_DOCUMENT_NUMBER", "DocDtls.No"));
    assert!(has("INVALID_DATE", "DocDtls.Dt"));
    assert!(has("INVALID_PIN", "SellerDtls.Pin"));
    assert!(has("INVALID_LENGTH", "SellerDtls.LglNm"));
    assert!(has("ASSESSABLE_MISMATCH", "ItemList[0].AssAmt"));
    assert!(has("ITEM_TOTAL_MISMATCH", "ItemList[0].TotItemVal"));
    assert!(has("CGST_SGST_UNEQUAL", "ItemList[0].SgstAmt"));
    assert!(has("INVALID_UQC", "ItemList[0].Unit"));
    assert!(has("HEADS_MIXED", "ItemList"));
    assert!(has("TOTAL_MISMATCH", "ValDtls.AssVal"));
    assert!(has("TOTAL_MISMATCH", "ValDtls.TotInvVal"));
    assert!(has("TOO_MANY_DECIMALS", "ValDtls.CgstVal"));
    assert!(has("ROUND_OFF_RANGE", "ValDtls.RndOffAmt"));
    // GstRt is checked only when the date parses.
    e.doc_dtls.dt = "16/09/2022".into();
    let InvoiceError::EInvoiceInvalid { violations, .. } =
        validate_einvoice(&e, &rates()).unwrap_err()
    else {
        panic!()
    };
    assert!(violations.iter().any(|v| v.code == "RATE_NOT_NOTIFIED"));
    // The CLI operation lists them instead of failing.
    let listed = op_validate_einvoice(&ValidateEInvoiceRequest {
        einvoice: e,
        rates: None,
    })
    .unwrap();
    assert!(listed.len() >= 12);
}

#[test]
fn export_buyer_rules_and_item_limit() {
    let inv = compute_invoice(
        &export_input(ZeroRatedMode::UnderLut, "INR", "1", "100"),
        &rates(),
    )
    .unwrap();
    let mut e = to_einvoice(&inv, &rates()).unwrap();
    e.buyer_dtls.gstin = "27AAPFU0939F1ZV".into();
    e.buyer_dtls.pin = 400001;
    e.exp_dtls = None;
    e.item_list[0].igst_amt = d("18000");
    let item = e.item_list[0].clone();
    e.item_list = (0..1001)
        .map(|i| ItemDtls {
            sl_no: (i + 1).to_string(),
            ..item.clone()
        })
        .collect();
    let InvoiceError::EInvoiceInvalid { violations, .. } =
        validate_einvoice(&e, &rates()).unwrap_err()
    else {
        panic!()
    };
    let codes: Vec<&str> = violations.iter().map(|v| v.code.as_str()).collect();
    for c in [
        "EXPORT_BUYER",
        "MISSING_EXPORT_DETAILS",
        "ZERO_RATED_TAX",
        "ITEM_COUNT",
    ] {
        assert!(codes.contains(&c), "{c}");
    }
}

#[test]
fn cli_operations_round_trip_json() {
    let req: GstinRequest = serde_json::from_str(r#"{"gstin": "27aapfu0939f1zv"}"#).unwrap();
    assert_eq!(op_gstin(&req).unwrap().state_code, "27");
    let e = op_gstin(&GstinRequest {
        gstin: "27AAPFU0939F1Z0".into(),
        as_of: None,
    })
    .unwrap_err();
    assert_eq!(e.code(), "INVALID_GSTIN");
    let w = op_words(&serde_json::from_str(r#"{"amount": "12345678.90"}"#).unwrap()).unwrap();
    assert_eq!(w.formatted, "1,23,45,678.90");
    assert!(w.words.starts_with("Rupees One Crore"));
    let n = op_number(&NumberRequest {
        template: "INV/{fy}/{seq:05}".into(),
        date: date(2026, 11, 26),
        seq: 42,
        issued: vec![],
    })
    .unwrap();
    assert_eq!(n.number, "INV/26-27/00042");
    let input = invoice(
        date(2022, 9, 16),
        "27",
        vec![line("61149090", "1000", "100", "GST18")],
    );
    let req = InvoiceRequest {
        invoice: input,
        rates: None,
    };
    let text = serde_json::to_string(&req).unwrap();
    let back: InvoiceRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(back, req);
    let inv = op_invoice(&back).unwrap();
    let inv_text = serde_json::to_string(&inv).unwrap();
    assert!(inv_text.contains("\"grand_total\":\"118000.00\""));
    let inv_back: Invoice = serde_json::from_str(&inv_text).unwrap();
    assert_eq!(inv_back, inv);
    let report = op_einvoice(&back).unwrap();
    assert_eq!(report.einvoice.val_dtls.tot_inv_val, d("118000.00"));
    // Schemas exist for the request and result types.
    let schema = schemars::schema_for!(InvoiceRequest);
    assert!(serde_json::to_string(&schema)
        .unwrap()
        .contains("unit_price"));
    let schema = schemars::schema_for!(EInvoice);
    assert!(serde_json::to_string(&schema)
        .unwrap()
        .contains("TotInvVal"));
}

#[test]
fn inclusive_prices_with_specific_cess_are_unsupported() {
    let mut input = invoice(
        date(2025, 6, 1),
        "27",
        vec![
            line("61149090", "1", "100", "GST18"),
            line("24022090", "10", "10", "GST28_CIGARETTE"),
        ],
    );
    input.settings.prices_include_tax = true;
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("UNSUPPORTED", Some("lines[1]")));
}

#[test]
fn legacy_state_code_is_a_warning_on_the_invoice() {
    let mut input = invoice(
        date(2025, 10, 1),
        "26",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.buyer.gstin = Some(gstin("25", '2'));
    input.buyer.address.state_code = "25".into();
    let inv = compute_invoice(&input, &rates()).unwrap();
    // Flagged on the buyer's GSTIN and on the place of supply derived from it.
    let fields: Vec<&str> = inv.warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["buyer.gstin", "place_of_supply"]);
    assert!(inv.warnings.iter().all(|w| w.code == "LEGACY_STATE_CODE"));
    input.date = date(2019, 10, 1);
    assert!(compute_invoice(&input, &rates())
        .unwrap()
        .warnings
        .is_empty());
}

#[test]
fn rate_tables_are_validated() {
    let mut t = rates();
    t.slabs[0].rates.push(d("1000"));
    let e = op_invoice(&InvoiceRequest {
        invoice: invoice(
            date(2025, 10, 1),
            "27",
            vec![line("61149090", "1", "100", "GST18")],
        ),
        rates: Some(t),
    })
    .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_RATE_TABLE", Some("slabs[0].rates"))
    );
}

#[test]
fn validator_flags_absurd_amounts_without_overflowing() {
    let inv = compute_invoice(
        &invoice(
            date(2025, 10, 1),
            "27",
            vec![line("61149090", "1", "100", "GST18")],
        ),
        &rates(),
    )
    .unwrap();
    let mut e = to_einvoice(&inv, &rates()).unwrap();
    e.item_list[0].tot_amt = Decimal::MAX;
    e.item_list[0].discount = Decimal::MIN;
    e.val_dtls.tot_inv_val = Decimal::MAX;
    let InvoiceError::EInvoiceInvalid { violations, .. } =
        validate_einvoice(&e, &rates()).unwrap_err()
    else {
        panic!()
    };
    assert!(violations
        .iter()
        .any(|v| v.code == "AMOUNT_TOO_LARGE" && v.field == "ItemList[0].TotItemVal"));
    assert!(violations
        .iter()
        .any(|v| v.code == "AMOUNT_TOO_LARGE" && v.field == "ValDtls"));
}

fn violations(e: &EInvoice) -> Vec<(String, String)> {
    match validate_einvoice(e, &rates()) {
        Ok(()) => vec![],
        Err(InvoiceError::EInvoiceInvalid { violations, .. }) => {
            violations.into_iter().map(|v| (v.code, v.field)).collect()
        }
        Err(other) => panic!("unexpected {other}"),
    }
}

fn pair(code: &str, field: &str) -> (String, String) {
    (code.to_owned(), field.to_owned())
}

#[test]
fn igst_on_a_same_state_sez_supply_needs_igst_on_intra() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "10", "100", "GST18")],
    );
    input.recipient_category = RecipientCategory::Sez;
    input.zero_rated_mode = Some(ZeroRatedMode::WithPayment);
    let inv = compute_invoice(&input, &rates()).unwrap();
    let mut e = to_einvoice(&inv, &rates()).unwrap();
    assert_eq!(violations(&e), vec![]);
    e.tran_dtls.igst_on_intra = None;
    assert_eq!(
        violations(&e),
        vec![pair("WRONG_TAX_HEADS", "ItemList[0].IgstAmt")]
    );
    e.tran_dtls.igst_on_intra = Some("N".into());
    assert_eq!(
        violations(&e),
        vec![pair("WRONG_TAX_HEADS", "ItemList[0].IgstAmt")]
    );
    // An inter-state SEZ supply needs no flag.
    let mut input = input.clone();
    input.buyer = party("SEZ Unit", Some(gstin("29", '3')), "29", "560001");
    let mut e = to_einvoice(&compute_invoice(&input, &rates()).unwrap(), &rates()).unwrap();
    assert_eq!(e.tran_dtls.igst_on_intra, None);
    e.tran_dtls.igst_on_intra = None;
    assert_eq!(violations(&e), vec![]);
}

#[test]
fn preceding_document_number_follows_the_numbering_rule() {
    let mut l = line("61149090", "2", "7.60", "GST12");
    l.original_line = Some(0);
    let mut input = invoice(date(2026, 1, 10), "27", vec![l]);
    input.document_type = DocumentType::CreditNote;
    input.number = "CN/25-26/00001".into();
    input.original = Some(original_2022());
    let inv = compute_invoice(&input, &rates()).unwrap();
    let mut e = to_einvoice(&inv, &rates()).unwrap();
    for good in ["SINV-CFY-00092", "sinv/22-23/9", "1"] {
        e.ref_dtls.as_mut().unwrap().prec_doc_dtls[0].inv_no = good.into();
        assert_eq!(violations(&e), vec![], "{good}");
    }
    for bad in [
        "0INV/1",
        "/INV1",
        "-1",
        "INV 1",
        "INV_1",
        "",
        "INV/2022-23/000001",
    ] {
        e.ref_dtls.as_mut().unwrap().prec_doc_dtls[0].inv_no = bad.into();
        assert_eq!(
            violations(&e),
            vec![pair(
                "INVALID_DOCUMENT_NUMBER",
                "RefDtls.PrecDocDtls[0].InvNo"
            )],
            "{bad:?}"
        );
    }
}

#[test]
fn issued_numbers_are_rejected_as_duplicates() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.issued_numbers = vec!["INV/22-23/00002".into(), "inv/22-23/00001".into()];
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("DUPLICATE_DOCUMENT_NUMBER", Some("number"))
    );
    input.issued_numbers = vec!["INV/22-23/00002".into()];
    assert_eq!(
        compute_invoice(&input, &rates()).unwrap().number,
        "INV/22-23/00001"
    );
    // Through JSON, the way a host sends it.
    let mut v = serde_json::to_value(&input).unwrap();
    v["issued_numbers"] = json!(["INV/22-23/00001"]);
    let back: InvoiceInput = serde_json::from_value(v).unwrap();
    assert_eq!(
        compute_invoice(&back, &rates()).unwrap_err().code(),
        "DUPLICATE_DOCUMENT_NUMBER"
    );
}

#[test]
fn order_terms_give_due_dates_from_each_basis() {
    use b2b_oms::credit::{DueBasis, Instalment as Part, PaymentTerms, Share};
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    let part = |share, basis, days| Part { share, basis, days };
    input.order_terms = Some(OrderPaymentTerms {
        terms: PaymentTerms {
            id: "MIX".into(),
            name: String::new(),
            instalments: vec![
                part(Share::Fixed { amount: d("18") }, DueBasis::OrderDate, 0),
                part(Share::Percent { percent: d("50") }, DueBasis::Dispatch, 10),
                part(Share::Balance, DueBasis::Delivery, 30),
            ],
            early_payment: None,
        },
        order_date: Some(date(2025, 9, 1)),
        dispatch_date: Some(date(2025, 9, 30)),
        delivery_date: Some(date(2025, 10, 3)),
        advance_share: None,
    });
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.amount_payable, d("118.00"));
    let due: Vec<_> = inv
        .due_dates
        .iter()
        .map(|x| (x.date, x.amount, x.percent))
        .collect();
    assert_eq!(
        due,
        vec![
            (date(2025, 9, 1), d("18.00"), d("15.25")),
            (date(2025, 10, 10), d("59.00"), d("50")),
            (date(2025, 11, 2), d("41.00"), d("34.75")),
        ]
    );
    assert_eq!(payload(&inv)["PayDtls"]["CrDay"], json!(32));
    // End of the invoice month + 15 days.
    let mut eom = input.clone();
    if let Some(o) = eom.order_terms.as_mut() {
        o.terms.instalments = vec![part(Share::Balance, DueBasis::EndOfInvoiceMonth, 15)];
    }
    let inv = compute_invoice(&eom, &rates()).unwrap();
    assert_eq!(inv.due_dates[0].date, date(2025, 11, 15));
    assert_eq!(inv.due_dates[0].amount, d("118.00"));
    // A basis date the terms need but the host did not give.
    let mut no_delivery = input.clone();
    if let Some(o) = no_delivery.order_terms.as_mut() {
        o.delivery_date = None;
    }
    let e = compute_invoice(&no_delivery, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("MISSING_FIELD", Some("order_terms.delivery_date"))
    );
    // Both kinds of terms at once is ambiguous.
    let mut both = input.clone();
    both.payment_terms = vec![Instalment {
        percent: d("100"),
        days: 30,
    }];
    let e = compute_invoice(&both, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_PAYMENT_TERMS", Some("order_terms"))
    );
}

#[test]
fn credit_is_capped_by_value_not_only_quantity() {
    // Two units were invoiced for 15.20; crediting both at 8.00 a unit
    // stays within the quantity but not within the value.
    let mut l = line("61149090", "2", "8.00", "GST12");
    l.rate_class = None;
    l.original_line = Some(0);
    let mut input = invoice(date(2026, 1, 10), "27", vec![l]);
    input.document_type = DocumentType::CreditNote;
    input.number = "CN/25-26/00002".into();
    input.original = Some(original_2022());
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("OVER_CREDITED", Some("lines[0].original_line"))
    );
    let InvoiceError::OverCredited {
        remaining,
        requested,
        ..
    } = e
    else {
        panic!()
    };
    assert_eq!((remaining, requested), (d("15.20"), d("16.00")));
    // After 7.60 was credited, 7.60 remains: exactly that is accepted.
    let mut o = original_2022();
    o.lines[0].already_credited = d("7.60");
    input.original = Some(o);
    input.lines[0].quantity = d("1");
    input.lines[0].unit_price = d("7.60");
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.totals.taxable_value, d("7.60"));
    input.lines[0].unit_price = d("7.61");
    assert_eq!(
        compute_invoice(&input, &rates()).unwrap_err().code(),
        "OVER_CREDITED"
    );
}

#[test]
fn credit_note_of_two_lines_rounds_per_line() {
    // The vector's note has two items of 7.60 at 12 % with CGST 0.46 and
    // 0.45 (the tax of 15.20 spread over the items). We round per line and
    // head, as the spec requires: 7.60 × 6 % = 0.456 → 0.46 on each item.
    let mut a = line("61149090", "1", "7.60", "GST12");
    a.rate_class = None;
    a.original_line = Some(0);
    let b = a.clone();
    let mut input = invoice(date(2026, 1, 10), "27", vec![a, b]);
    input.document_type = DocumentType::CreditNote;
    input.number = "CN/25-26/00003".into();
    input.original = Some(original_2022());
    let inv = compute_invoice(&input, &rates()).unwrap();
    let j = payload(&inv);
    for k in 0..2 {
        let it = &j["ItemList"][k];
        assert_eq!(it["AssAmt"], json!(7.6));
        assert_eq!(it["CgstAmt"], json!(0.46));
        assert_eq!(it["SgstAmt"], json!(0.46));
        assert_eq!(it["TotItemVal"], json!(8.52));
    }
    assert_eq!(j["ValDtls"]["AssVal"], json!(15.2));
    assert_eq!(j["ValDtls"]["CgstVal"], json!(0.92));
    assert_eq!(j["ValDtls"]["RndOffAmt"], json!(-0.04));
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(17));
}

#[test]
fn service_line_charges_follow_the_hsn_minimum_length() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.settings.hsn_min_length = 6;
    input.charges = vec![Charge {
        description: "Freight".into(),
        amount: d("50"),
        billing: ChargeBilling::ServiceLine,
        sac: None,
        rate_class: None,
    }];
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_HSN", Some("charges[0].sac"))
    );
    input.charges[0].sac = Some("9965".into());
    assert_eq!(
        compute_invoice(&input, &rates()).unwrap_err().field(),
        Some("charges[0].sac")
    );
    input.charges[0].sac = Some("996511".into());
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.lines[1].hsn, "996511");
    assert_eq!(inv.lines[1].cgst, d("4.50"));
}

#[test]
fn inclusive_odd_paisa_rounds_to_the_neighbour_of_the_exact_quotient() {
    let on = |price: &str| {
        let mut input = invoice(
            date(2025, 10, 1),
            "27",
            vec![line("61149090", "1", price, "GST18")],
        );
        input.settings.prices_include_tax = true;
        let inv = compute_invoice(&input, &rates()).unwrap();
        let l = inv.lines[0].clone();
        (l.taxable_value, l.cgst, l.sgst, l.total)
    };
    // 100.08 ÷ 1.18 = 84.8136 → half-up 84.81 leaves an odd 15.27 of tax;
    // the other neighbour 84.82 leaves 15.26 = 7.63 + 7.63.
    assert_eq!(
        on("100.08"),
        (d("84.82"), d("7.63"), d("7.63"), d("100.08"))
    );
    // 100 ÷ 1.18 = 84.7458 → half-up 84.75 leaves 15.25; 84.74 leaves 15.26.
    assert_eq!(on("100"), (d("84.74"), d("7.63"), d("7.63"), d("100.00")));
    // Even tax: plain half-up rounding (118 ÷ 1.18 = 100).
    assert_eq!(on("118"), (d("100.00"), d("9.00"), d("9.00"), d("118.00")));
}

#[test]
fn gstin_forms_tds_un_body_non_resident() {
    use b2b_oms::tax::{state, validate_gstin, GstinPart};
    // TDS deductor registered with a TAN (4 letters, 5 digits, 1 letter).
    let g = validate_gstin("07ABCD12345E1DK", None).unwrap();
    assert_eq!(
        (g.registration_kind.as_str(), g.pan.as_str()),
        ("D", "ABCD12345E")
    );
    assert_eq!(g.state_name, "Delhi");
    // TDS with a PAN too.
    assert_eq!(
        validate_gstin("07AAGCB7383J1DJ", None)
            .unwrap()
            .registration_kind,
        "D"
    );
    // A `Z` registration on a TAN-like id is a Government department's
    // (issue 21.8: the GSTN issues them; this used to be refused).
    let first = "07ABCD12345E1Z";
    let tan_as_normal = format!("{first}{}", b2b_oms::tax::gstin_check_char(first).unwrap());
    assert_eq!(
        validate_gstin(&tan_as_normal, None)
            .unwrap()
            .registration_type,
        b2b_oms::tax::RegistrationType::GovernmentDepartment
    );
    // Neither a PAN nor a department's id.
    let first = "07ABC112345E1Z";
    let neither = format!("{first}{}", b2b_oms::tax::gstin_check_char(first).unwrap());
    match validate_gstin(&neither, None).unwrap_err() {
        b2b_oms::tax::TaxError::InvalidGstin { part, .. } => assert_eq!(part, GstinPart::Pan),
        other => panic!("{other}"),
    }
    // UN body (UIN).
    let un = validate_gstin("0717UNO00157UNO", None).unwrap();
    assert_eq!(
        (un.state_code.as_str(), un.registration_kind.as_str()),
        ("07", "N")
    );
    // Non-resident OIDAR provider: state code 99 (centre jurisdiction).
    let nr = validate_gstin("9917SGP29001OST", None).unwrap();
    assert_eq!(nr.state_code, "99");
    assert_eq!(nr.registration_kind, "S");
    assert!(validate_gstin("9917SGP29001OSU", None).is_err());
    // 99 is no state for normal registrations nor a place of supply.
    let first = "99AAPFU0939F1Z";
    let normal99 = format!("{first}{}", b2b_oms::tax::gstin_check_char(first).unwrap());
    assert_eq!(
        validate_gstin(&normal99, None).unwrap_err().code(),
        "INVALID_GSTIN"
    );
    assert_eq!(state("99").unwrap_err().code(), "UNKNOWN_STATE_CODE");
}

#[test]
fn state_cess_ad_valorem_and_per_unit() {
    let mut l = line("22021010", "100", "10", "GST18");
    l.rate_class = None;
    l.gst_rate = Some(d("18"));
    l.cess = Some(Cess {
        state_ad_valorem: d("1"),
        state_per_unit: d("0.5"),
        ..Cess::default()
    });
    let inv = compute_invoice(&invoice(date(2025, 6, 1), "27", vec![l]), &rates()).unwrap();
    let line = &inv.lines[0];
    assert_eq!(
        (line.state_cess_rate, line.state_cess),
        (d("1"), d("10.00"))
    );
    assert_eq!(line.state_cess_non_advol, d("50.00"));
    assert_eq!(inv.totals.state_cess, d("60.00"));
    assert_eq!(inv.totals.grand_total, d("1240.00"));
    assert_eq!(inv.hsn_summary[0].state_cess, d("60.00"));
    let j = payload(&inv);
    let it = &j["ItemList"][0];
    assert_eq!(it["StateCesRt"], json!(1));
    assert_eq!(it["StateCesAmt"], json!(10));
    assert_eq!(it["StateCesNonAdvlAmt"], json!(50));
    assert_eq!(it["TotItemVal"], json!(1240));
    assert_eq!(j["ValDtls"]["StCesVal"], json!(60));
    assert_eq!(j["ValDtls"]["CesVal"], json!(0));
}

#[test]
fn credit_note_in_2026_uses_the_2025_invoices_cess() {
    // Pan masala invoiced on 1 Jun 2025 at 28 % + 60 % cess; a 2026 note
    // (when cess has ended and the class is at 40 %) keeps those rates.
    let original = OriginalInvoice {
        number: "INV/25-26/00010".into(),
        date: date(2025, 6, 1),
        lines: vec![OriginalLine {
            hsn: "21069020".into(),
            gst_rate: d("28"),
            cess: Cess {
                ad_valorem: d("60"),
                ..Cess::default()
            },
            kind: RateKind::Taxable,
            taxable_value: d("1000.00"),
            already_credited: Decimal::ZERO,
        }],
    };
    let mut l = line("21069020", "1", "100", "GST28_CESS60");
    l.rate_class = None;
    l.original_line = Some(0);
    let mut input = invoice(date(2026, 3, 1), "27", vec![l]);
    input.document_type = DocumentType::CreditNote;
    input.number = "CN/25-26/00009".into();
    input.original = Some(original);
    let note = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(note.rate_date, date(2025, 6, 1));
    let nl = &note.lines[0];
    assert_eq!((nl.gst_rate, nl.cess_rate), (d("28"), d("60")));
    assert_eq!(
        (nl.cgst, nl.sgst, nl.cess),
        (d("14.00"), d("14.00"), d("60.00"))
    );
    assert_eq!(note.totals.grand_total, d("188.00"));
    let j = payload(&note);
    assert_eq!(j["ItemList"][0]["GstRt"], json!(28));
    assert_eq!(j["ItemList"][0]["CesRt"], json!(60));
    assert_eq!(j["ValDtls"]["CesVal"], json!(60));
    // The same line on a 2026 invoice: 40 % and no cess.
    let inv = compute_invoice(
        &invoice(
            date(2026, 3, 1),
            "27",
            vec![line("21069020", "1", "100", "GST28_CESS60")],
        ),
        &rates(),
    )
    .unwrap();
    assert_eq!(
        (inv.totals.cess, inv.totals.grand_total),
        (d("0.00"), d("140.00"))
    );
}

#[test]
fn ship_to_dispatch_from_and_eway_bill_in_the_einvoice() {
    let mut input = invoice(
        date(2022, 9, 16),
        "27",
        vec![line("61149090", "1000", "100", "GST18")],
    );
    let mut ship = party("Test Consignee Ltd", Some(gstin("27", '5')), "27", "411001");
    ship.trade_name = Some("Consignee".into());
    input.ship_to = Some(ship);
    input.dispatch_from = Some(party("Warehouse Bhiwandi", None, "27", "421302"));
    input.eway_bill = Some(EwayBill {
        transporter_id: None,
        transporter_name: None,
        distance_km: 0,
        mode: Some("1".into()),
        vehicle_no: Some("GJ07DL9009".into()),
        vehicle_type: Some("R".into()),
        ..Default::default()
    });
    let inv = compute_invoice(&input, &rates()).unwrap();
    let j = payload(&inv);
    assert_eq!(
        j["EwbDtls"],
        json!({"Distance": 0, "TransMode": "1", "VehNo": "GJ07DL9009", "VehType": "R"})
    );
    assert_eq!(j["ShipDtls"]["Gstin"], json!(gstin("27", '5')));
    assert_eq!(j["ShipDtls"]["LglNm"], "Test Consignee Ltd");
    assert_eq!(j["ShipDtls"]["TrdNm"], "Consignee");
    assert_eq!(j["ShipDtls"]["Pin"], json!(411001));
    assert_eq!(j["ShipDtls"]["Stcd"], "27");
    assert_eq!(
        j["DispDtls"],
        json!({"Nm": "Warehouse Bhiwandi", "Addr1": "Test Address - 1", "Loc": "Test City", "Pin": 421302, "Stcd": "27"})
    );
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(118000));
}

#[test]
fn export_ships_to_an_unregistered_consignee_in_gujarat() {
    // The vector's export: ShipDtls URP, Test Indian Unregistered Company,
    // Test Address - 2, Test City, 380015, state 24; buyer URP / 96 / 999999.
    let mut input = invoice(
        date(2023, 6, 10),
        "27",
        vec![line("61149090", "1000", "100", "GST18")],
    );
    input.buyer = party("Test Foreign Customer", None, "96", "999999");
    input.recipient_category = RecipientCategory::Overseas;
    input.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
    input.export = Some(ExportDetails {
        currency: "INR".into(),
        exchange_rate: Decimal::ONE,
        port_code: Some("INABG1".into()),
        shipping_bill_no: Some("1234".into()),
        shipping_bill_date: Some(date(2023, 6, 10)),
        country_code: "US".into(),
    });
    let mut port = party("Test Indian Unregistered Company", None, "24", "380015");
    port.trade_name = Some("Test Indian Unregistered Company".into());
    port.address.line1 = "Test Address - 2".into();
    input.ship_to = Some(port);
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.place_of_supply, "96");
    assert_eq!(inv.totals.total_tax, d("0"));
    let j = payload(&inv);
    assert_eq!(j["TranDtls"]["SupTyp"], "EXPWOP");
    assert_eq!(
        j["ShipDtls"],
        json!({"Gstin": "URP", "LglNm": "Test Indian Unregistered Company",
               "TrdNm": "Test Indian Unregistered Company", "Addr1": "Test Address - 2",
               "Loc": "Test City", "Pin": 380015, "Stcd": "24"})
    );
    assert_eq!(
        (
            &j["BuyerDtls"]["Gstin"],
            &j["BuyerDtls"]["Pos"],
            &j["BuyerDtls"]["Stcd"],
            &j["BuyerDtls"]["Pin"]
        ),
        (&json!("URP"), &json!("96"), &json!("96"), &json!(999999))
    );
    assert_eq!(j["ExpDtls"]["Port"], "INABG1");
    assert_eq!(j["ExpDtls"]["CntCode"], "US");
    assert_eq!(j["ValDtls"]["TotInvVal"], json!(100000));
}

#[test]
fn bill_to_ship_to_place_of_supply() {
    // Seller in 27, bill-to buyer in 29, goods shipped to a consignee in 27.
    let base = || {
        let mut input = invoice(
            date(2025, 10, 1),
            "29",
            vec![line("61149090", "1", "100", "GST18")],
        );
        input.ship_to = Some(party(
            "Consignee MH",
            Some(gstin("27", '6')),
            "27",
            "411001",
        ));
        input
    };
    // Delivery ends in 27: the ship-to state → CGST + SGST.
    let inv = compute_invoice(&base(), &rates()).unwrap();
    assert_eq!(inv.regime.place_of_supply, "27");
    assert_eq!(inv.regime.heads, TaxHeads::CgstSgst);
    assert_eq!((inv.totals.cgst, inv.totals.igst), (d("9.00"), d("0")));
    // Bill-to/ship-to on the bill-to party's direction: its state 29 → IGST.
    let mut input = base();
    input.bill_to_ship_to = true;
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.regime.place_of_supply, "29");
    assert_eq!(inv.regime.heads, TaxHeads::Igst);
    assert_eq!((inv.totals.cgst, inv.totals.igst), (d("0"), d("18.00")));
    assert_eq!(inv.place_of_supply, "Karnataka (29)");
    let j = payload(&inv);
    assert_eq!(j["BuyerDtls"]["Pos"], "29");
    assert_eq!(j["ShipDtls"]["Stcd"], "27");
}

#[test]
fn ecommerce_operator_gstin() {
    let mut input = invoice(
        date(2025, 10, 1),
        "27",
        vec![line("61149090", "1", "100", "GST18")],
    );
    input.ecommerce_gstin = Some("29AABCF8078M1C8".into());
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(payload(&inv)["TranDtls"]["EcmGstin"], "29AABCF8078M1C8");
    input.ecommerce_gstin = Some("29AABCF8078M1C9".into());
    let e = compute_invoice(&input, &rates()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_GSTIN", Some("ecommerce_gstin"))
    );
}

#[test]
fn bill_of_supply_from_unregistered_and_composition_suppliers() {
    for (reg, gstin_of_seller) in [
        (SupplierRegistration::Unregistered, None),
        (
            SupplierRegistration::Composition,
            Some("27AAPFU0939F1ZV".to_owned()),
        ),
    ] {
        let mut input = invoice(
            date(2025, 10, 1),
            "29",
            vec![line("61149090", "10", "100", "GST18")],
        );
        input.supplier_registration = reg;
        input.seller.gstin = gstin_of_seller;
        let inv = compute_invoice(&input, &rates()).unwrap();
        assert_eq!(inv.kind, DocumentKind::BillOfSupply, "{reg:?}");
        assert_eq!(inv.title, "Bill of Supply");
        assert_eq!(inv.totals.total_tax, d("0"));
        assert_eq!(inv.totals.grand_total, d("1000.00"));
        assert!(inv
            .lines
            .iter()
            .all(|l| l.heads == TaxHeads::None && l.gst_rate.is_zero()));
        assert_eq!(
            to_einvoice(&inv, &rates()).unwrap_err().code(),
            "EINVOICE_NOT_APPLICABLE"
        );
    }
}

#[test]
fn hsn_summary_groups_by_hsn_rate_and_uqc() {
    let mut kgs = line("61149090", "1", "10", "GST18");
    kgs.uqc = "KGS".into();
    let lines = vec![
        line("61149090", "2", "100", "GST18"),
        line("61149090", "3", "50", "GST18"),
        kgs,
        line("61149090", "1", "100", "GST5"),
        line("61099090", "4", "25.25", "GST18"),
    ];
    let inv = compute_invoice(&invoice(date(2025, 10, 1), "27", lines), &rates()).unwrap();
    let rows: Vec<_> = inv
        .hsn_summary
        .iter()
        .map(|r| {
            (
                r.hsn.as_str(),
                r.gst_rate,
                r.uqc.as_str(),
                r.quantity,
                r.taxable_value,
                r.cgst,
                r.sgst,
                r.igst,
                r.total,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "61099090",
                d("18"),
                "NOS",
                d("4"),
                d("101.00"),
                d("9.09"),
                d("9.09"),
                d("0"),
                d("119.18")
            ),
            (
                "61149090",
                d("5"),
                "NOS",
                d("1"),
                d("100.00"),
                d("2.50"),
                d("2.50"),
                d("0"),
                d("105.00")
            ),
            (
                "61149090",
                d("18"),
                "KGS",
                d("1"),
                d("10.00"),
                d("0.90"),
                d("0.90"),
                d("0"),
                d("11.80")
            ),
            // 200 + 150 merged: CGST 18.00 + 13.50.
            (
                "61149090",
                d("18"),
                "NOS",
                d("5"),
                d("350.00"),
                d("31.50"),
                d("31.50"),
                d("0"),
                d("413.00")
            ),
        ]
    );
    let sum = |f: fn(&HsnSummaryRow) -> Decimal| inv.hsn_summary.iter().map(f).sum::<Decimal>();
    assert_eq!(sum(|r| r.taxable_value), inv.totals.taxable_value);
    assert_eq!(sum(|r| r.cgst), inv.totals.cgst);
    assert_eq!(
        sum(|r| r.total),
        inv.totals.grand_total - inv.totals.round_off
    );
}

#[test]
fn an_issued_invoice_carries_its_event_for_the_buyer() {
    use b2b_oms::events::{AggregateKind, Audience, EventPayload};
    let mut input = invoice(
        date(2026, 11, 27),
        "27",
        vec![line("61149090", "2", "100", "GST18")],
    );
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.events.len(), 1);
    let e = &inv.events[0];
    assert_eq!(
        (e.aggregate_kind, e.aggregate_id.as_str(), e.sequence),
        (AggregateKind::Invoice, inv.number.as_str(), 1)
    );
    // No issue instant given: the invoice date at 00:00 IST.
    assert_eq!(e.at.to_rfc3339(), "2026-11-27T00:00:00+05:30");
    assert_eq!(e.payload.audience(), Audience::Buyer);
    match &e.payload {
        EventPayload::InvoiceIssued {
            number,
            lines,
            grand_total,
            buyer_name,
            ..
        } => {
            assert_eq!(number, &inv.number);
            assert_eq!(buyer_name, &inv.buyer.legal_name);
            assert_eq!(lines.len(), 1);
            assert_eq!(lines[0].taxable_value, d("200.00"));
            assert_eq!(grand_total.amount, inv.totals.grand_total);
            assert_eq!(grand_total.amount, d("236.00"));
        }
        other => panic!("not an invoice_issued event: {other:?}"),
    }
    input.issued_at = Some("2026-11-27T15:10:00+05:30".parse().unwrap());
    let inv = compute_invoice(&input, &rates()).unwrap();
    assert_eq!(inv.events[0].at.to_rfc3339(), "2026-11-27T15:10:00+05:30");
}
