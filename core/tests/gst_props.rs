//! Property tests of GST invoices: totals are sums of lines, CGST = SGST,
//! heads never mix, round-off within ±0.50, inclusive prices exact, zero-rated
//! lines untaxed, and the e-invoice validator accepts every generated invoice.

mod gst_common;

use b2b_oms::invoice::*;
use b2b_oms::tax::{Cess, RateTable, RecipientCategory, TaxHeads, ZeroRatedMode};
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
    x: Extra,
}

/// Regime and document extras: export currency, zero-rated mode, cess
/// kinds, ship-to, dispatch-from and e-way bill.
#[derive(Debug, Clone)]
struct Extra {
    /// 0 INR, 1 USD, 2 EUR (exports only).
    currency: u8,
    /// Rupees per unit, in 1/10,000.
    xr: i64,
    /// Zero-rated supplies (export, SEZ) with IGST payment.
    with_payment: bool,
    /// 0 none, 1 compensation per unit, 2 state ad valorem, 3 state per
    /// unit, 4 compensation ad valorem + state ad valorem.
    cess: u8,
    /// 0 none, 1 ship-to in the seller's state, 2 ship-to in Gujarat (24).
    ship_to: u8,
    /// Bill-to/ship-to: the bill-to party's state is the place of supply.
    bill_to_ship_to: bool,
    dispatch_from: bool,
    eway: bool,
}

fn extra() -> impl Strategy<Value = Extra> {
    (
        0u8..3,
        700_000i64..900_000,
        any::<bool>(),
        0u8..5,
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(currency, xr, with_payment, cess, ship_to, bill_to_ship_to, dispatch_from, eway)| {
                Extra {
                    currency,
                    xr,
                    with_payment,
                    cess,
                    ship_to,
                    bill_to_ship_to,
                    dispatch_from,
                    eway,
                }
            },
        )
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
        extra(),
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
                x,
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
                x,
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
    // Explicit 18 % with cess on every third line: compensation cess only in
    // 2023 (levied on any goods then), state cess any time; no per-unit cess
    // with inclusive prices (unsupported).
    let mut lines = lines;
    let x = &g.x;
    for l in lines.iter_mut().step_by(3) {
        let per_unit = matches!(x.cess, 1 | 3);
        let compensation = matches!(x.cess, 1 | 4);
        if x.cess == 0 || (per_unit && g.inclusive) || (compensation && g.when != 0) {
            continue;
        }
        l.rate_class = None;
        l.gst_rate = Some(Decimal::from(18));
        l.cess = Some(Cess {
            per_unit: if x.cess == 1 {
                Decimal::new(2076, 3)
            } else {
                Decimal::ZERO
            },
            ad_valorem: if x.cess == 4 {
                Decimal::from(12)
            } else {
                Decimal::ZERO
            },
            state_ad_valorem: if matches!(x.cess, 2 | 4) {
                Decimal::ONE
            } else {
                Decimal::ZERO
            },
            state_per_unit: if x.cess == 3 {
                Decimal::new(5, 1)
            } else {
                Decimal::ZERO
            },
        });
    }
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
            input.zero_rated_mode = Some(zero_mode(x));
        }
        4 => input.recipient_category = RecipientCategory::DeemedExport,
        5 => {
            input.buyer = party("Foreign Buyer", None, "96", "999999");
            input.recipient_category = RecipientCategory::Overseas;
            input.zero_rated_mode = Some(zero_mode(x));
            let (currency, xr) = match x.currency {
                0 => ("INR", Decimal::ONE),
                1 => ("USD", Decimal::new(x.xr, 4)),
                _ => ("EUR", Decimal::new(x.xr + 50_000, 4)),
            };
            input.export = Some(ExportDetails {
                currency: currency.into(),
                exchange_rate: xr,
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
    let seller_state = input.seller.address.state_code.clone();
    input.ship_to = match x.ship_to {
        1 => Some(party(
            "Consignee",
            None,
            &seller_state,
            pin_in(&seller_state),
        )),
        2 => Some(party(
            "Consignee GJ",
            Some(gstin("24", '7')),
            "24",
            "380015",
        )),
        _ => None,
    };
    input.bill_to_ship_to = x.bill_to_ship_to && input.ship_to.is_some();
    if x.dispatch_from {
        input.dispatch_from = Some(party(
            "Warehouse",
            None,
            &seller_state,
            pin_in(&seller_state),
        ));
    }
    if x.eway {
        input.eway_bill = Some(EwayBill {
            transporter_id: None,
            transporter_name: Some("Road Carriers".into()),
            distance_km: 120,
            mode: Some("1".into()),
            vehicle_no: Some("GJ07DL9009".into()),
            vehicle_type: Some("R".into()),
            ..Default::default()
        });
    }
    input
}

fn zero_mode(x: &Extra) -> ZeroRatedMode {
    if x.with_payment {
        ZeroRatedMode::WithPayment
    } else {
        ZeroRatedMode::UnderLut
    }
}

/// The heads and supply type the regime inputs call for, decided here
/// independently of the library: place of supply 96 for exports, the
/// recipient's state for services only, the
/// bill-to state for bill-to/ship-to, else the ship-to state, else the
/// buyer's; zero-rated under LUT → no tax; exports and SEZ with payment →
/// IGST; same state → CGST + SGST (UTGST in Chandigarh); else IGST.
fn expected(input: &InvoiceInput) -> (TaxHeads, &'static str) {
    let seller = input.seller.address.state_code.as_str();
    // Services only (SAC 99…): the recipient's location, whatever the ship-to.
    let services = input.lines.iter().all(|l| l.hsn.starts_with("99"));
    let pos = match (&input.ship_to, input.bill_to_ship_to) {
        _ if input.recipient_category == RecipientCategory::Overseas => "96",
        _ if services => input.buyer.address.state_code.as_str(),
        (Some(_), true) | (None, _) => input.buyer.address.state_code.as_str(),
        (Some(s), false) => s.address.state_code.as_str(),
    };
    let lut = input.zero_rated_mode == Some(ZeroRatedMode::UnderLut);
    match input.recipient_category {
        RecipientCategory::Overseas if lut => (TaxHeads::None, "EXPWOP"),
        RecipientCategory::Overseas => (TaxHeads::Igst, "EXPWP"),
        RecipientCategory::Sez if lut => (TaxHeads::None, "SEZWOP"),
        RecipientCategory::Sez => (TaxHeads::Igst, "SEZWP"),
        category => {
            let sup = if category == RecipientCategory::DeemedExport {
                "DEXP"
            } else {
                "B2B"
            };
            let heads = match (pos == seller, seller) {
                (true, "04") => TaxHeads::CgstUtgst,
                (true, _) => TaxHeads::CgstSgst,
                (false, _) => TaxHeads::Igst,
            };
            (heads, sup)
        }
    }
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
        prop_assert_eq!(t.state_cess, sum(|l| l.state_cess + l.state_cess_non_advol));
        // Heads follow the regime the inputs call for, on every taxed line.
        let (want, sup) = expected(&input);
        prop_assert_eq!(inv.regime.heads, want);
        prop_assert_eq!(inv.regime.supply_type.code(), sup);
        for l in &inv.lines {
            let taxed = l.kind == b2b_oms::tax::RateKind::Taxable && inv.kind != DocumentKind::BillOfSupply;
            prop_assert_eq!(l.heads, if taxed { want } else { TaxHeads::None });
            match l.heads {
                TaxHeads::Igst => prop_assert!(l.cgst.is_zero() && l.sgst.is_zero()),
                TaxHeads::CgstSgst | TaxHeads::CgstUtgst => prop_assert!(l.igst.is_zero()),
                TaxHeads::None => prop_assert!(l.igst.is_zero() && l.cgst.is_zero() && l.cess.is_zero() && l.state_cess.is_zero()),
            }
        }
        // Exports in a foreign currency: the foreign total is the rupee
        // total at the given rate.
        if let (Some(ex), Some(sum)) = (&input.export, &inv.export) {
            let fc = (t.grand_total / ex.exchange_rate).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            prop_assert_eq!(sum.total_foreign, fc);
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
            prop_assert_eq!(e.tran_dtls.sup_typ.as_str(), sup);
            prop_assert_eq!(e.ship_dtls.is_some(), input.ship_to.is_some());
            prop_assert_eq!(e.disp_dtls.is_some(), input.dispatch_from.is_some());
            prop_assert_eq!(e.ewb_dtls.is_some(), input.eway_bill.is_some());
            prop_assert_eq!(e.val_dtls.st_ces_val, t.state_cess);
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
