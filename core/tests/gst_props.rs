//! Property tests of GST invoices: totals are sums of lines, CGST = SGST,
//! heads never mix, round-off within ±0.50, inclusive prices exact, zero-rated
//! lines untaxed, and the e-invoice validator accepts every generated invoice.

mod gst_common;

use b2b_oms::invoice::*;
use b2b_oms::tax::{RateTable, RecipientCategory, TaxHeads, ZeroRatedMode};
use gst_common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
struct Gen {
    when: u8,
    scenario: u8,
    lines: Vec<(i64, u32, i64, u8, u8, bool)>,
    order_discount_pct: u8,
    freight: i64,
    service_charge: i64,
    after_tax: i64,
    round_off: bool,
    inclusive: bool,
    rcm: bool,
}

fn gen() -> impl Strategy<Value = Gen> {
    (
        0u8..3,
        0u8..6,
        prop::collection::vec(
            (
                1i64..100_000,
                0u32..3,
                1i64..10_000_000,
                0u8..50,
                any::<u8>(),
                any::<bool>(),
            ),
            1..20,
        ),
        0u8..10,
        0i64..1_000_000,
        0i64..100_000,
        0i64..10_000,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                when,
                scenario,
                lines,
                order_discount_pct,
                freight,
                service_charge,
                after_tax,
                round_off,
                inclusive,
                rcm,
            )| Gen {
                when,
                scenario,
                lines,
                order_discount_pct,
                freight,
                service_charge,
                after_tax,
                round_off,
                inclusive,
                rcm,
            },
        )
}

fn build(g: &Gen) -> InvoiceInput {
    let on = match g.when {
        0 => date(2023, 5, 10),
        1 => date(2025, 10, 15),
        _ => date(2026, 3, 1),
    };
    let mut classes = vec![
        "GST5", "GST18", "GST3", "GST0_25", "GST1_5", "NIL", "EXEMPT",
    ];
    if g.when == 0 {
        classes.extend(["GST12", "GST28", "GST28_CESS12"]);
    } else {
        classes.push("GST40");
    }
    let hsns = ["61149090", "6109", "999900", "84713010", "300490"];
    let lines: Vec<LineInput> = g
        .lines
        .iter()
        .map(|(q, s, p, disc, pick, uqc)| {
            let qty = Decimal::new(*q, *s);
            let price = Decimal::new(*p, 2);
            let mut l = line(
                hsns[*pick as usize % hsns.len()],
                "1",
                "1",
                classes[(*pick as usize / 7) % classes.len()],
            );
            l.quantity = qty;
            l.unit_price = price;
            l.uqc = if *uqc { "NOS" } else { "KGS" }.into();
            l.discount = (qty * price * Decimal::from(*disc) / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
            l
        })
        .collect();
    let buyer_state = match g.scenario {
        1 | 4 => "29",
        2 => "04",
        _ => "27",
    };
    let mut input = invoice(on, buyer_state, lines);
    input.number = format!("INV/{}/{:05}", g.when, g.lines.len());
    if g.scenario == 2 {
        input.seller = party("Chandigarh Seller", Some(gstin("04", '1')), "04", "160001");
    }
    match g.scenario {
        3 => {
            input.recipient_category = RecipientCategory::Sez;
            input.zero_rated_mode = Some(ZeroRatedMode::WithPayment);
        }
        4 => input.recipient_category = RecipientCategory::DeemedExport,
        5 => {
            input.buyer = party("Foreign Buyer", None, "96", "999999");
            input.recipient_category = RecipientCategory::Overseas;
            input.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
            input.export = Some(ExportDetails {
                currency: "INR".into(),
                exchange_rate: Decimal::ONE,
                port_code: Some("INNSA1".into()),
                shipping_bill_no: None,
                shipping_bill_date: None,
                country_code: "AE".into(),
            });
        }
        _ => input.reverse_charge = g.rcm,
    }
    let net: Decimal = input
        .lines
        .iter()
        .map(|l| (l.quantity * l.unit_price).round_dp(2) - l.discount)
        .sum();
    input.order_discount = (net * Decimal::from(g.order_discount_pct) / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    let charge = |desc: &str, amount: i64, billing| Charge {
        description: desc.into(),
        amount: Decimal::new(amount, 2),
        billing,
        sac: None,
        rate_class: None,
    };
    input.charges = vec![
        charge("Freight", g.freight, ChargeBilling::SpreadOverGoods),
        charge(
            "Packing service",
            g.service_charge,
            ChargeBilling::ServiceLine,
        ),
        charge("TCS", g.after_tax, ChargeBilling::AfterTax),
    ];
    input.settings.round_off = g.round_off;
    input.settings.prices_include_tax = g.inclusive;
    input
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn invoice_invariants(g in gen()) {
        let rates = RateTable::india_default();
        let input = build(&g);
        let inv = compute_invoice(&input, &rates).unwrap();
        let t = &inv.totals;
        let sum = |f: fn(&InvoiceLine) -> Decimal| inv.lines.iter().map(f).sum::<Decimal>();
        // Totals are the sums of the rounded lines.
        prop_assert_eq!(t.taxable_value + t.nil_exempt_value, sum(|l| l.taxable_value));
        prop_assert_eq!(t.cgst, sum(|l| l.cgst));
        prop_assert_eq!(t.sgst, sum(|l| l.sgst));
        prop_assert_eq!(t.igst, sum(|l| l.igst));
        prop_assert_eq!(t.cess, sum(|l| l.cess + l.cess_non_advol));
        prop_assert_eq!(t.total_tax, t.cgst + t.sgst + t.igst + t.cess + t.state_cess);
        let before = t.taxable_value + t.nil_exempt_value + t.charges_after_tax;
        if inv.reverse_charge {
            prop_assert_eq!(t.amount_payable, before + t.round_off);
            prop_assert_eq!(t.grand_total, t.amount_payable + t.total_tax);
        } else {
            prop_assert_eq!(t.grand_total, before + t.total_tax + t.round_off);
            prop_assert_eq!(t.amount_payable, t.grand_total);
        }
        // Round-off within ±0.50, none when off.
        prop_assert!(t.round_off.abs() <= Decimal::new(50, 2));
        if !g.round_off {
            prop_assert!(t.round_off.is_zero());
        }
        let mut heads = std::collections::BTreeSet::new();
        for l in &inv.lines {
            // CGST = SGST on every line; a line is its parts.
            prop_assert_eq!(l.cgst, l.sgst);
            prop_assert_eq!(l.total, l.taxable_value + l.cgst + l.sgst + l.igst + l.cess + l.cess_non_advol + l.state_cess + l.state_cess_non_advol);
            prop_assert_eq!(l.taxable_value, l.gross - l.discount + l.charges);
            prop_assert!(!l.discount.is_sign_negative() && l.discount <= l.gross + l.charges);
            if l.heads != TaxHeads::None {
                heads.insert(format!("{:?}", l.heads));
            } else {
                // Zero-rated, exempt, nil lines carry no tax.
                prop_assert!((l.total - l.taxable_value).is_zero());
            }
            prop_assert!(l.igst.is_zero() || (l.cgst.is_zero() && l.sgst.is_zero()));
            // Inclusive prices reproduce the inclusive amount exactly.
            if let Some(incl) = l.inclusive_amount {
                prop_assert_eq!(l.total, incl);
            }
        }
        // Heads never mix on one invoice.
        prop_assert!(heads.len() <= 1);
        prop_assert!(t.igst.is_zero() || (t.cgst.is_zero() && t.sgst.is_zero()));
        // The validator accepts everything the generator produces.
        if inv.kind != DocumentKind::BillOfSupply {
            let e = to_einvoice(&inv, &rates);
            prop_assert!(e.is_ok(), "{:?}", e.err());
            let e = e.unwrap();
            let text = serde_json::to_string(&e).unwrap();
            let back: EInvoice = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(&back, &e);
        }
        // JSON round trip of the invoice.
        let text = serde_json::to_string(&inv).unwrap();
        let back: Invoice = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, inv.clone());
        // Same input, same output.
        prop_assert_eq!(compute_invoice(&input, &rates).unwrap(), inv);
    }

    #[test]
    fn credit_notes_never_exceed_what_remains(
        originals in prop::collection::vec((1i64..1_000_000, 0u8..=100), 1..6),
        credits in prop::collection::vec((0usize..6, 1i64..1_000_000), 1..8),
    ) {
        let rates = RateTable::india_default();
        let original = OriginalInvoice {
            number: "INV/24-25/00001".into(),
            date: date(2024, 6, 1),
            lines: originals
                .iter()
                .map(|(taxable, pct)| OriginalLine {
                    hsn: "61149090".into(),
                    gst_rate: Decimal::from(12),
                    cess: Default::default(),
                    kind: b2b_oms::tax::RateKind::Taxable,
                    taxable_value: Decimal::new(*taxable, 2),
                    already_credited: (Decimal::new(*taxable, 2) * Decimal::from(*pct) / Decimal::ONE_HUNDRED).round_dp(2),
                })
                .collect(),
        };
        let lines: Vec<LineInput> = credits
            .iter()
            .map(|(k, amount)| {
                let mut l = line("61149090", "0", "0", "GST12");
                l.rate_class = None;
                l.amount = Some(Decimal::new(*amount, 2));
                l.original_line = Some(k % originals.len());
                l
            })
            .collect();
        let mut input = invoice(date(2026, 3, 1), "27", lines);
        input.document_type = DocumentType::CreditNote;
        input.number = "CN/25-26/00001".into();
        input.original = Some(original.clone());
        let mut per_line = vec![Decimal::ZERO; original.lines.len()];
        for l in &input.lines {
            per_line[l.original_line.unwrap()] += l.amount.unwrap();
        }
        let fits = per_line
            .iter()
            .zip(&original.lines)
            .all(|(c, o)| *c <= o.taxable_value - o.already_credited);
        match compute_invoice(&input, &rates) {
            Ok(note) => {
                prop_assert!(fits);
                // The original's 12 % applies although not notified in 2026.
                prop_assert!(note.lines.iter().all(|l| l.gst_rate == Decimal::from(12)));
                prop_assert_eq!(note.totals.taxable_value, per_line.iter().copied().sum::<Decimal>());
                let e = to_einvoice(&note, &rates);
                prop_assert!(e.is_ok(), "{:?}", e.err());
            }
            Err(e) => {
                prop_assert!(!fits);
                prop_assert_eq!(b2b_oms::ErrorCode::code(&e), "OVER_CREDITED");
            }
        }
    }

    #[test]
    fn never_panics_on_any_numbers(q in any::<i64>(), qs in 0u32..28, p in any::<i64>(), ps in 0u32..28, disc in any::<i64>(), od in any::<i64>()) {
        let rates = RateTable::india_default();
        let mut l = line("61149090", "1", "1", "GST18");
        l.quantity = Decimal::new(q, qs);
        l.unit_price = Decimal::new(p, ps);
        l.discount = Decimal::new(disc, 2);
        let mut input = invoice(date(2025, 10, 1), "27", vec![l.clone(), l]);
        input.order_discount = Decimal::new(od, 2);
        let _ = compute_invoice(&input, &rates);
        input.settings.prices_include_tax = true;
        let _ = compute_invoice(&input, &rates);
    }

    #[test]
    fn validator_never_panics_on_any_amounts(vals in prop::collection::vec((any::<i64>(), any::<u32>(), 0u32..28), 12)) {
        let rates = RateTable::india_default();
        let inv = compute_invoice(&invoice(date(2025, 10, 1), "27", vec![line("61149090", "1", "100", "GST18")]), &rates).unwrap();
        let mut e = to_einvoice(&inv, &rates).unwrap();
        let dec: Vec<Decimal> = vals
            .iter()
            .map(|(lo, hi, scale)| Decimal::from_parts(*lo as u32, (*lo >> 32) as u32, *hi, *lo < 0, *scale))
            .collect();
        let it = &mut e.item_list[0];
        it.tot_amt = dec[0];
        it.discount = dec[1];
        it.ass_amt = dec[2];
        it.igst_amt = dec[3];
        it.cgst_amt = dec[4];
        it.sgst_amt = dec[5];
        it.tot_item_val = dec[6];
        e.item_list.push(e.item_list[0].clone());
        e.val_dtls.ass_val = dec[7];
        e.val_dtls.tot_inv_val = dec[8];
        e.val_dtls.oth_chrg = dec[9];
        e.val_dtls.rnd_off_amt = dec[10];
        e.val_dtls.discount = dec[11];
        let _ = validate_einvoice(&e, &rates);
        let text = serde_json::to_string(&e).unwrap();
        let back: EInvoice = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, e);
    }

    #[test]
    fn words_and_grouping_never_panic(a in any::<i64>(), s in 0u32..28) {
        let x = Decimal::new(a, s);
        let _ = amount_in_words(x, "INR");
        let _ = amount_in_words(x, "USD");
        let g = format_indian(x, 2).unwrap();
        prop_assert_eq!(g.replace(',', "").parse::<Decimal>().unwrap(), x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
    }
}
