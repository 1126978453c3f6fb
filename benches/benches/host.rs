//! Host-API benchmarks of the host-API issue: `price_orders` over 1,000
//! orders of 100 lines on 1 and 2 threads, and what a host operation costs
//! over the direct core call when documents go in and out as JSON text
//! (`price_order` on a compiled book; `invoice` through `host::call`).

use std::hint::black_box;

use b2b_oms::host::{self, ops, OrderToPrice};
use b2b_oms::invoice::{compute_invoice, InvoiceRequest};
use b2b_oms::json::from_json;
use b2b_oms::tax::RateTable;
use b2b_oms_benches::invoice_data::invoice_input;
use b2b_oms_benches::{buyer, compile, order, world, QUALITY_SCALE};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn price_orders(c: &mut Criterion) {
    let world = world(QUALITY_SCALE, 42);
    let (_, customer) = buyer(&world);
    let book = compile(&world, world.book.clone());
    let orders: Vec<OrderToPrice> = (0..1_000u64)
        .map(|i| OrderToPrice {
            customer: customer.clone(),
            request: order(&world, 100, 1_000 + i),
        })
        .collect();
    let failed = ops::price_orders_with(&book, &orders, Some(2))
        .iter()
        .filter(|r| !matches!(r, host::BatchResult::Priced(_)))
        .count();
    if failed > 0 {
        eprintln!("price_orders: {failed} of the benchmark orders failed");
        std::process::exit(1);
    }
    let mut group = c.benchmark_group("price_orders");
    group.sample_size(10);
    group.throughput(Throughput::Elements(orders.len() as u64));
    for threads in [1usize, 2] {
        group.bench_function(format!("1000x100_lines_{threads}_threads"), |b| {
            b.iter(|| ops::price_orders_with(&book, black_box(&orders), Some(threads)))
        });
    }
    group.finish();

    // One 1,000-line order: the direct call against documents in and out.
    let request = order(&world, 1_000, 7);
    let customer_text = serde_json::to_string(customer).unwrap_or_default();
    let request_text = serde_json::to_string(&request).unwrap_or_default();
    let mut group = c.benchmark_group("host_overhead");
    group.bench_function("price_order_1000_lines_direct", |b| {
        b.iter(|| book.price_order(black_box(customer), black_box(&request)))
    });
    group.bench_function("price_order_1000_lines_documents", |b| {
        b.iter(|| {
            let customer = from_json(black_box(&customer_text)).ok()?;
            let request = from_json(black_box(&request_text)).ok()?;
            let priced = ops::price_order_with(&book, &customer, &request).ok()?;
            serde_json::to_string(&priced).ok()
        })
    });
    group.finish();
}

fn invoice(c: &mut Criterion) {
    let rates = RateTable::india_default();
    let input = invoice_input(1000, 0x9e37_79b9_7f4a_7c15);
    let text = serde_json::to_string(&InvoiceRequest {
        invoice: input.clone(),
        rates: None,
    })
    .unwrap_or_default();
    if let Err(e) = host::call("invoice", &text) {
        eprintln!("host_overhead: the benchmark invoice fails: {e}");
        std::process::exit(1);
    }
    let mut group = c.benchmark_group("host_overhead");
    group.bench_function("invoice_1000_lines_direct", |b| {
        b.iter(|| compute_invoice(black_box(&input), &rates))
    });
    group.bench_function("invoice_1000_lines_documents", |b| {
        b.iter(|| host::call("invoice", black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, price_orders, invoice);
criterion_main!(benches);
