//! `invoice_gst`: a 1,000-line invoice with mixed rates, its HSN summary and
//! its e-invoice JSON. Data from a small seeded xorshift generator.

use b2b_oms::invoice::{
    compute_invoice, einvoice_json, to_einvoice, Address, Charge, ChargeBilling, InvoiceInput,
    InvoiceSettings, LineInput, Party,
};
use b2b_oms::tax::{gstin_check_char, RateTable, RecipientCategory, SupplierRegistration};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;
use std::hint::black_box;

/// Tiny deterministic generator (xorshift64*).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn party(name: &str, gstin: String, state: &str) -> Party {
    Party {
        legal_name: name.into(),
        trade_name: None,
        gstin: Some(gstin),
        address: Address {
            line1: "Plot 12, Industrial Area".into(),
            line2: None,
            city: "Pune".into(),
            state_code: state.into(),
            pin: Some("411001".into()),
            country: None,
        },
    }
}

fn gstin(state: &str) -> String {
    let first = format!("{state}AAPFU0939F1Z");
    let check = gstin_check_char(&first).unwrap_or('0');
    format!("{first}{check}")
}

fn input(lines: usize, seed: u64) -> InvoiceInput {
    let mut rng = XorShift(seed);
    let classes = ["GST5", "GST18", "GST40", "GST3", "NIL", "GST0_25", "GST1_5"];
    let hsns = [
        "61149090", "84713010", "30049099", "39269099", "73181500", "85044090", "999900", "4819",
    ];
    let uqcs = ["NOS", "KGS", "BOX", "PCS", "MTR"];
    let lines = (0..lines)
        .map(|i| {
            let qty = Decimal::new(1 + rng.below(500) as i64, 0);
            let price = Decimal::new(100 + rng.below(1_000_000) as i64, 2);
            let disc = (qty * price * Decimal::from(rng.below(10)) / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
            LineInput {
                description: format!("Item {i}"),
                hsn: hsns[rng.below(hsns.len() as u64) as usize].into(),
                quantity: qty,
                uqc: uqcs[rng.below(uqcs.len() as u64) as usize].into(),
                unit_price: price,
                discount: disc,
                rate_class: Some(classes[rng.below(classes.len() as u64) as usize].into()),
                gst_rate: None,
                cess: None,
                amount: None,
                original_line: None,
                order_ref: None,
                batch: None,
            }
        })
        .collect();
    InvoiceInput {
        document_type: Default::default(),
        number: "INV/26-27/00042".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        time_of_supply: None,
        seller: party("Acme Industrial Supplies Pvt Ltd", gstin("27"), "27"),
        supplier_registration: SupplierRegistration::Regular,
        buyer: party(
            "Buyer Engineering Ltd",
            gstin("27").replace("1Z", "2Z"),
            "27",
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
        order_discount: Decimal::new(50_000, 2),
        charges: vec![Charge {
            description: "Freight".into(),
            amount: Decimal::new(250_000, 2),
            billing: ChargeBilling::SpreadOverGoods,
            sac: None,
            rate_class: None,
        }],
        original: None,
        payment_terms: vec![],
        order_terms: None,
        issued_numbers: vec![],
        eway_bill: None,
        settings: InvoiceSettings::default(),
    }
}

fn bench(c: &mut Criterion) {
    let rates = RateTable::india_default();
    let mut data = input(1000, 0x9e37_79b9_7f4a_7c15);
    // The buyer's GSTIN needs its own check character.
    if let Some(g) = data.buyer.gstin.as_mut() {
        let first: String = g.chars().take(14).collect();
        *g = format!("{first}{}", gstin_check_char(&first).unwrap_or('0'));
    }
    // Fail loudly (outside the timing) if the data is not a valid invoice:
    // timing an error path would report a meaningless figure.
    let inv = compute_invoice(&data, &rates)
        .unwrap_or_else(|e| panic!("invalid invoice_gst bench data: {e}"));
    let e =
        to_einvoice(&inv, &rates).unwrap_or_else(|e| panic!("invalid invoice_gst e-invoice: {e}"));
    assert_eq!(inv.lines.len(), 1000, "the bench invoices 1,000 lines");
    assert!(inv.hsn_summary.len() > 1, "mixed HSN and rates expected");
    let taxable = inv
        .lines
        .iter()
        .filter(|l| l.kind == b2b_oms::tax::RateKind::Taxable)
        .count();
    assert_eq!(e.item_list.len(), taxable, "nil lines stay out of ItemList");
    // GST_SPLIT=1 also times the parts (compute, e-invoice with validation,
    // validation alone, JSON text) to see where the time goes.
    if std::env::var("GST_SPLIT").is_ok() {
        let inv = compute_invoice(&data, &rates).ok();
        let e = inv.as_ref().and_then(|i| to_einvoice(i, &rates).ok());
        c.bench_function("split_compute", |b| {
            b.iter(|| compute_invoice(black_box(&data), &rates))
        });
        if let (Some(inv), Some(e)) = (inv, e) {
            c.bench_function("split_einvoice", |b| {
                b.iter(|| to_einvoice(black_box(&inv), &rates))
            });
            c.bench_function("split_validate", |b| {
                b.iter(|| b2b_oms::invoice::validate_einvoice(black_box(&e), &rates))
            });
            c.bench_function("split_json", |b| {
                b.iter(|| b2b_oms::invoice::einvoice_json(black_box(&e)))
            });
        }
    }
    c.bench_function("invoice_gst", |b| {
        b.iter(|| {
            let inv = compute_invoice(black_box(&data), &rates);
            let json = inv
                .and_then(|inv| to_einvoice(&inv, &rates).map(|e| (inv.hsn_summary.len(), e)))
                .map(|(rows, e)| (rows, einvoice_json(&e).map(|s| s.len())));
            black_box(json)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
