//! `invoice_gst`: a 1,000-line invoice with mixed rates, its HSN summary and
//! its e-invoice JSON. Data from a small seeded xorshift generator.

use b2b_oms::invoice::{compute_invoice, einvoice_json, to_einvoice};
use b2b_oms::tax::RateTable;
use b2b_oms_benches::invoice_data::invoice_input;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let rates = RateTable::india_default();
    let data = invoice_input(1000, 0x9e37_79b9_7f4a_7c15);
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
