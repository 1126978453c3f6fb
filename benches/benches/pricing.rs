//! Pricing benchmarks of `quality.md`: `price_order`, `price_scaling` and
//! `compile_price_book` on 100,000 skus, 2,000 customers, 20,000 rules of
//! mixed scopes and 500 price lists, with a 1,000-line order.
//! `price_order` prices that order at each explanation level: `1000_lines`
//! (`full`, the default), `1000_lines_summary` and `1000_lines_none`.

use std::hint::black_box;
use std::time::Duration;

use b2b_oms::customer::Customer;
use b2b_oms::pricing::{Explain, PriceBook, PriceRequest};
use b2b_oms_benches::{buyer, compile, multiply_rules, order, world, QUALITY_SCALE};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// Prices the order once outside the timing and stops the benchmark unless
/// every line priced with rules applied: a benchmark must never time an
/// error path or an order no rule touches.
fn check_realistic(book: &PriceBook, customer: &Customer, request: &PriceRequest, what: &str) {
    match book.price_order(customer, request) {
        Ok(o) if o.all_priced && o.lines.iter().any(|l| !l.adjustments.is_empty()) => {}
        Ok(o) => {
            eprintln!(
                "{what}: the benchmark order is not realistic: {} problems, {} adjustments",
                o.errors.len(),
                o.lines.iter().map(|l| l.adjustments.len()).sum::<usize>()
            );
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("{what}: pricing the benchmark order failed: {e}");
            std::process::exit(1);
        }
    }
}

/// Stops the benchmark unless the order priced at `request.explain` has
/// the prices and totals of the same order priced in full: a cheaper level
/// must not be timed on a different computation.
fn check_same_prices(book: &PriceBook, customer: &Customer, request: &PriceRequest, what: &str) {
    let full = PriceRequest {
        explain: Explain::Full,
        ..request.clone()
    };
    let same = match (
        book.price_order(customer, &full),
        book.price_order(customer, request),
    ) {
        (Ok(a), Ok(b)) => {
            a.lines.len() == b.lines.len()
                && a.lines.iter().zip(&b.lines).all(|(x, y)| {
                    (x.sku.as_str(), x.base_quantity, x.net_unit_price, x.amount)
                        == (y.sku.as_str(), y.base_quantity, y.net_unit_price, y.amount)
                })
                && (a.subtotal, a.order_discount_total, a.total_before_tax)
                    == (b.subtotal, b.order_discount_total, b.total_before_tax)
        }
        _ => false,
    };
    if !same {
        eprintln!("{what}: the order's prices differ from the full explanation's");
        std::process::exit(1);
    }
}

fn pricing(c: &mut Criterion) {
    let world = world(QUALITY_SCALE, 42);
    let (buyer_index, customer) = buyer(&world);
    let request = order(&world, 1_000, 7);

    let book = compile(&world, world.book.clone());
    check_realistic(&book, customer, &request, "price_order");
    let mut group = c.benchmark_group("price_order");
    group.throughput(Throughput::Elements(request.lines.len() as u64));
    for (name, explain) in [
        ("1000_lines", Explain::Full),
        ("1000_lines_summary", Explain::Summary),
        ("1000_lines_none", Explain::None),
    ] {
        let request = PriceRequest {
            explain,
            ..request.clone()
        };
        check_same_prices(&book, customer, &request, name);
        group.bench_function(name, |b| {
            b.iter(|| book.price_order(black_box(customer), black_box(&request)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("price_scaling");
    group.sample_size(20);
    group.throughput(Throughput::Elements(request.lines.len() as u64));
    for factor in [1usize, 10, 100] {
        let def = multiply_rules(&world, factor, buyer_index, 99);
        let book = compile(&world, def);
        check_realistic(&book, customer, &request, "price_scaling");
        group.bench_function(format!("rules_x{factor}"), |b| {
            b.iter(|| book.price_order(black_box(customer), black_box(&request)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compile_price_book");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("100k_skus_20k_rules_500_lists", |b| {
        b.iter_batched(
            || world.book.clone(),
            |def| compile(&world, def),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, pricing);
criterion_main!(benches);
