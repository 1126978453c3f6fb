//! Prices the benchmark order repeatedly, for profilers (perf, callgrind)
//! and quick looks: `cargo run --release -p b2b-oms-benches --example profile_pricing -- 200`.

use std::time::Instant;

use b2b_oms_benches::{buyer, compile, order, world, Scale, QUALITY_SCALE};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    // A second argument divides the world (for slow profilers such as callgrind).
    let divide: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1)
        .max(1);
    let scale = Scale {
        skus: QUALITY_SCALE.skus / divide,
        customers: QUALITY_SCALE.customers / divide,
        rules: QUALITY_SCALE.rules / divide,
        price_lists: QUALITY_SCALE.price_lists / divide,
    };
    let world = world(scale, 42);
    let (_, customer) = buyer(&world);
    let request = order(&world, 1_000, 7);
    let started = Instant::now();
    let book = compile(&world, world.book.clone());
    println!(
        "compiled {} rules in {:?}",
        book.rule_count(),
        started.elapsed()
    );
    let priced = book.price_order(customer, &request).map(|o| {
        let adjustments: usize = o.lines.iter().map(|l| l.adjustments.len()).sum();
        let candidates_hint: usize = o.lines.iter().map(|l| l.hints.len()).sum();
        println!(
            "{} lines priced, {} errors, {adjustments} adjustments, {candidates_hint} hints",
            o.lines.len(),
            o.errors.len()
        );
    });
    if let Err(e) = priced {
        eprintln!("{e}");
    }
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(book.price_order(customer, &request).ok());
    }
    println!(
        "{:?} per 1,000-line order",
        started.elapsed() / rounds.max(1) as u32
    );
}
