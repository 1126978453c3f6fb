//! Prices the benchmark order repeatedly, for profilers (perf, callgrind)
//! and quick looks: `cargo run --release -p b2b-oms-benches --example profile_pricing -- 200`.
//!
//! Arguments: rounds (default 50), a divisor of the world's size (default 1,
//! for slow profilers), a rule multiplier as in `price_scaling` (default 1),
//! and the explanation level: `full` (default), `summary` or `none`.
//! `price_rounds` prices and drops the order `rounds` times (as the
//! criterion benchmark does); then each of as many rounds is timed alone.
//! With callgrind, count only the former with
//! `valgrind --tool=callgrind --toggle-collect='*price_rounds*' …`.

use std::time::Instant;

use b2b_oms::customer::Customer;
use b2b_oms::pricing::{Explain, PriceBook, PriceRequest};
use b2b_oms_benches::{buyer, compile, multiply_rules, order, world, Scale, QUALITY_SCALE};

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

#[inline(never)]
fn price_rounds(book: &PriceBook, customer: &Customer, request: &PriceRequest, rounds: usize) {
    for _ in 0..rounds {
        drop(std::hint::black_box(book.price_order(
            std::hint::black_box(customer),
            std::hint::black_box(request),
        )));
    }
}

fn main() {
    let rounds = arg(1, 50);
    let divide = arg(2, 1).max(1);
    let factor = arg(3, 1).max(1);
    let scale = Scale {
        skus: QUALITY_SCALE.skus / divide,
        customers: QUALITY_SCALE.customers / divide,
        rules: QUALITY_SCALE.rules / divide,
        price_lists: QUALITY_SCALE.price_lists / divide,
    };
    let world = world(scale, 42);
    let (buyer_index, customer) = buyer(&world);
    let explain = match std::env::args().nth(4).as_deref() {
        Some("summary") => Explain::Summary,
        Some("none") => Explain::None,
        _ => Explain::Full,
    };
    let request = PriceRequest {
        explain,
        ..order(&world, 1_000, 7)
    };
    let started = Instant::now();
    let def = if factor > 1 {
        multiply_rules(&world, factor, buyer_index, 99)
    } else {
        world.book.clone()
    };
    let book = compile(&world, def);
    println!(
        "compiled {} rules in {:?}",
        book.rule_count(),
        started.elapsed()
    );
    match book.price_order(customer, &request) {
        Ok(o) => {
            let adjustments: usize = o.lines.iter().map(|l| l.adjustments.len()).sum();
            let hints: usize = o.lines.iter().map(|l| l.hints.len()).sum();
            println!(
                "{} lines priced, {} errors, {adjustments} adjustments, {hints} hints",
                o.lines.len(),
                o.errors.len()
            );
        }
        Err(e) => {
            eprintln!("pricing the benchmark order failed: {e}");
            std::process::exit(1);
        }
    }
    price_rounds(&book, customer, &request, rounds);
    // Each round timed alone: on a shared machine the minimum and the
    // median say more than the mean.
    let mut times: Vec<_> = (0..rounds.max(1))
        .map(|_| {
            let started = Instant::now();
            drop(std::hint::black_box(book.price_order(
                std::hint::black_box(customer),
                std::hint::black_box(&request),
            )));
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: usize| {
        times
            .get(times.len() * q / 100)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "per 1,000-line order: min {:?}, median {:?}, p90 {:?}",
        at(0),
        at(50),
        at(90)
    );
}
