//! Allocation and reservation benchmarks, with a seeded xorshift generator.
//!
//! - `allocate/*`: 200 lines, 50 warehouses with batches, each strategy
//!   (fewest_shipments beyond the exact bound runs the greedy fallback), and
//!   the exact search on 12 candidates.
//! - `reserve/*`: single-request reservations on the shared ledger, 1 and 2
//!   threads, and whole plans (every request of a 200-line plan, all or
//!   nothing, as `AllocationPlan::reserve` does).
//! - Every call's result is checked: a benchmark that errors panics.
//! - Before the runs, the greedy fallback's shipment count is printed
//!   against the exact optimum on random orders.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use b2b_oms::fulfilment::{
    allocate, AllocationInput, AllocationLine, AllocationOutcome, AllocationRequest,
    AllocationSettings, DeliveryPreferences, Destination, Optimality, RoutingRules, SearchMethod,
    Strategy,
};
use b2b_oms::inventory::{
    Address, GeoPoint, QualityStatus, ReservationLedger, ReservationRequest, ShippingRate,
    StockBatch, StockItem, StockSnapshot, Warehouse,
};
use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;

/// xorshift64: tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.checked_add_signed(chrono::Duration::days(offset)))
        .unwrap_or_default()
}

/// An order of `lines` lines over `whs` warehouses; each warehouse stocks a
/// sku with probability `density`%, in 1–3 batches.
fn scenario(seed: u64, lines: usize, whs: usize, density: u64) -> AllocationInput {
    let mut r = Rng(seed);
    let warehouses: Vec<Warehouse> = (0..whs)
        .map(|w| Warehouse {
            id: format!("W{w:02}"),
            name: format!("Warehouse {w}"),
            address: Address {
                state_code: format!("{:02}", 1 + r.below(36)),
                pincode: format!("{}", 110_000 + r.below(800_000)),
                ..Address::default()
            },
            location: Some(GeoPoint {
                lat: 8.0 + (r.below(2800) as f64) / 100.0,
                lon: 68.0 + (r.below(2900) as f64) / 100.0,
            }),
            active: !r.chance(4),
            priority: r.below(10) as u32,
            capabilities: if r.chance(30) {
                vec!["cold".into()]
            } else {
                vec![]
            },
            shipping_rates: vec![ShippingRate {
                state_code: None,
                zone: None,
                fixed: Decimal::from(200 + r.below(800)),
                per_kg: Decimal::new(r.below(3000) as i64, 2),
                lead_time_days: None,
            }],
            lead_time_days: 1 + r.below(5) as u32,
        })
        .collect();
    let order_lines: Vec<AllocationLine> = (0..lines)
        .map(|l| AllocationLine {
            line_id: format!("L{l:03}"),
            sku: format!("SKU{l:05}"),
            quantity: Decimal::from(1 + r.below(40)),
            category_path: vec!["general".into()],
            weight_per_unit_kg: Decimal::new(1 + r.below(5000) as i64, 3),
            required_capabilities: vec![],
            min_remaining_shelf_life_days: if r.chance(20) { Some(30) } else { None },
        })
        .collect();
    let mut items = Vec::new();
    for w in &warehouses {
        for l in &order_lines {
            if !r.chance(density) {
                continue;
            }
            let n = 1 + r.below(3);
            let batches = (0..n)
                .map(|b| StockBatch {
                    batch_id: format!("B{b}"),
                    on_hand: Decimal::from(r.below(60)),
                    reserved: Decimal::from(r.below(3)),
                    mfg_date: Some(day(-(r.below(300) as i64))),
                    expiry_date: if r.chance(50) {
                        Some(day(r.below(400) as i64 - 20))
                    } else {
                        None
                    },
                    bin: Some(format!("R{}-{:02}", r.below(20), r.below(50))),
                    quality: if r.chance(5) {
                        QualityStatus::OnHold
                    } else {
                        QualityStatus::Released
                    },
                })
                .map(|mut b| {
                    b.reserved = b.reserved.min(b.on_hand);
                    b
                })
                .collect();
            items.push(StockItem {
                warehouse_id: w.id.clone(),
                sku: l.sku.clone(),
                batches,
            });
        }
    }
    AllocationInput {
        request: AllocationRequest {
            order_id: format!("SO-{seed}"),
            customer_id: "C-1".into(),
            segment: Some("distributor".into()),
            destination: Destination {
                state_code: "29".into(),
                pincode: "560001".into(),
                zone: Some("south".into()),
                location: Some(GeoPoint {
                    lat: 12.97,
                    lon: 77.59,
                }),
            },
            delivery: DeliveryPreferences::default(),
            lines: order_lines,
            order_value: Decimal::from(1_000_000),
            required_capabilities: vec![],
            min_remaining_shelf_life_days: None,
        },
        warehouses,
        stock: StockSnapshot { items },
        rules: RoutingRules::default(),
        strategy: Strategy::FewestShipments,
        today: day(0),
        planned_at: Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .unwrap_or_default(),
        event_sequence: 1,
        settings: AllocationSettings::default(),
    }
}

/// Allocates or panics: a benchmark must not time an error path.
fn must(input: &AllocationInput) -> AllocationOutcome {
    allocate(input).unwrap_or_else(|e| panic!("allocation failed: {e} ({e:?})"))
}

fn bench_allocate(c: &mut Criterion) {
    let mut g = c.benchmark_group("allocate");
    let base = scenario(42, 200, 50, 35);
    for (name, strategy) in [
        ("priority", Strategy::Priority),
        ("nearest", Strategy::Nearest),
        ("single_warehouse", Strategy::SingleWarehouse),
        ("fewest_shipments_greedy_50wh", Strategy::FewestShipments),
    ] {
        let mut input = base.clone();
        input.strategy = strategy;
        let out = must(&input);
        let e = &out.plan.explanation;
        println!(
            "{name}: {} shipment(s) from {} candidate(s), method {:?}, {} set(s)/node(s) evaluated, cost {:?}",
            out.plan.shipments.len(),
            e.candidates.len(),
            e.method,
            e.sets_evaluated,
            out.plan.estimated_cost,
        );
        if strategy == Strategy::FewestShipments {
            assert_eq!(
                e.method,
                SearchMethod::GreedyNotProvenOptimal,
                "50 candidates must take the greedy fallback"
            );
        }
        g.bench_with_input(BenchmarkId::new(name, "200x50"), &input, |b, i| {
            b.iter(|| must(black_box(i)))
        });
    }
    // Twelve active warehouses (the generator makes about 4% inactive, so
    // force them active): the exact search at its default bound.
    let mut exact = scenario(7, 200, 12, 35);
    for w in &mut exact.warehouses {
        w.active = true;
    }
    let out = must(&exact);
    let e = &out.plan.explanation;
    println!(
        "fewest_shipments_exact_12wh: {} shipment(s) from {} candidate(s), method {:?}, {:?}, {} node(s) evaluated",
        out.plan.shipments.len(),
        e.candidates.len(),
        e.method,
        out.plan.optimality,
        e.sets_evaluated,
    );
    assert_eq!(
        e.candidates.len(),
        12,
        "the exact bench needs 12 candidates"
    );
    assert_eq!(e.method, SearchMethod::Exact);
    assert_eq!(out.plan.optimality, Optimality::Optimal);
    g.bench_with_input(
        BenchmarkId::new("fewest_shipments_exact_12wh", "200x12"),
        &exact,
        |b, i| b.iter(|| must(black_box(i))),
    );
    g.finish();
}

fn ledger_fixture() -> (Arc<ReservationLedger>, Vec<ReservationRequest>, Vec<String>) {
    let mut r = Rng(99);
    let mut items = Vec::new();
    for w in 0..5 {
        for s in 0..1000 {
            items.push(StockItem {
                warehouse_id: format!("W{w}"),
                sku: format!("SKU{s:05}"),
                batches: (0..3)
                    .map(|b| StockBatch {
                        batch_id: format!("B{b}"),
                        on_hand: Decimal::from(1_000_000_000_000u64),
                        reserved: Decimal::ZERO,
                        mfg_date: None,
                        expiry_date: None,
                        bin: None,
                        quality: QualityStatus::Released,
                    })
                    .collect(),
            });
        }
    }
    let ledger = ReservationLedger::new(&StockSnapshot { items })
        .unwrap_or_else(|e| panic!("ledger fixture: {e}"));
    let requests = (0..4096)
        .map(|i| ReservationRequest {
            line_id: format!("L{}", i % 8),
            warehouse_id: format!("W{}", r.below(5)),
            sku: format!("SKU{:05}", r.below(1000)),
            batch_id: format!("B{}", r.below(3)),
            quantity: Decimal::from(1 + r.below(5)),
        })
        .collect();
    let orders = (0..1024).map(|i| format!("SO-{i}")).collect();
    (Arc::new(ledger), requests, orders)
}

fn run_reservations(
    ledger: &ReservationLedger,
    requests: &[ReservationRequest],
    orders: &[String],
    offset: usize,
    iters: u64,
) {
    for i in 0..iters as usize {
        let k = i.wrapping_add(offset);
        let req = &requests[k % requests.len()..][..1];
        if let Err(e) = black_box(ledger.reserve(&orders[k % orders.len()], req)) {
            panic!("reservation failed: {e}");
        }
    }
}

fn bench_reserve(c: &mut Criterion) {
    let (ledger, requests, orders) = ledger_fixture();
    let mut g = c.benchmark_group("reserve");
    g.throughput(Throughput::Elements(1));
    g.bench_function("1_thread", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            run_reservations(&ledger, &requests, &orders, 0, iters);
            let e = t.elapsed();
            release_all(&ledger, &orders);
            e
        })
    });
    g.throughput(Throughput::Elements(2));
    g.bench_function("2_threads", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            std::thread::scope(|s| {
                for th in 0..2 {
                    let (ledger, requests, orders) = (&ledger, &requests, &orders);
                    s.spawn(move || run_reservations(ledger, requests, orders, th * 7919, iters));
                }
            });
            let e = t.elapsed();
            release_all(&ledger, &orders);
            e
        })
    });
    // Whole plans: a 200-line plan's requests reserved in one call.
    let mut input = scenario(42, 200, 50, 35);
    let plan = must(&input).plan;
    let requests = plan.reservation_requests();
    assert!(requests.len() >= 200, "{} requests", requests.len());
    for it in &mut input.stock.items {
        for b in &mut it.batches {
            b.on_hand = Decimal::from(1_000_000_000_000u64);
            b.reserved = Decimal::ZERO;
        }
    }
    let plan_ledger =
        ReservationLedger::new(&input.stock).unwrap_or_else(|e| panic!("plan ledger fixture: {e}"));
    g.throughput(Throughput::Elements(requests.len() as u64));
    g.bench_function(format!("plan_{}_requests", requests.len()), |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for i in 0..iters as usize {
                let order = &orders[i % orders.len()];
                if let Err(e) = black_box(plan_ledger.reserve(order, &requests)) {
                    panic!("plan reservation failed: {e}");
                }
            }
            let e = t.elapsed();
            release_all(&plan_ledger, &orders);
            e
        })
    });
    g.finish();
}

fn release_all(ledger: &ReservationLedger, orders: &[String]) {
    for o in orders {
        if let Err(e) = ledger.release_order(o) {
            panic!("release failed: {e}");
        }
    }
}

/// Prints the fallback's shipment count against the exact optimum: the
/// shipped fallback (greedy + refinement over 12 columns, as used beyond the
/// default bound of 12) and pure greedy (bound 0).
fn greedy_vs_optimum(_: &mut Criterion) {
    let orders: u32 = 100;
    let (mut opt, mut fallback, mut greedy) = (0usize, 0usize, 0usize);
    let (mut fb_worse, mut g_worse, mut worst) = (0, 0, 0usize);
    let (mut t_opt, mut t_fb, mut t_g) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for seed in 0..u64::from(orders) {
        let mut exact = scenario(1000 + seed, 30, 16, 25);
        exact.settings.exact_max_candidates = 16;
        let mut fb = exact.clone();
        fb.settings.exact_max_candidates = 12;
        let mut gr = exact.clone();
        gr.settings.exact_max_candidates = 0;
        let t = Instant::now();
        let e = must(&exact);
        t_opt += t.elapsed();
        assert_eq!(e.plan.explanation.method, SearchMethod::Exact);
        let t = Instant::now();
        let f = must(&fb);
        t_fb += t.elapsed();
        let t = Instant::now();
        let g = must(&gr);
        t_g += t.elapsed();
        let (a, b, c) = (
            e.plan.shipments.len(),
            f.plan.shipments.len(),
            g.plan.shipments.len(),
        );
        opt += a;
        fallback += b;
        greedy += c;
        fb_worse += usize::from(b > a);
        g_worse += usize::from(c > a);
        worst = worst.max(c.saturating_sub(a));
    }
    let per = |x: usize| x as f64 / f64::from(orders);
    println!(
        "fallback vs optimum on {orders} random orders (30 lines, 16 candidate warehouses):\n  \
         exact optimum      {:.2} shipments/order  ({:?}/order)\n  \
         greedy + refine    {:.2} shipments/order  ({:?}/order), worse than optimum on {fb_worse} orders\n  \
         pure greedy        {:.2} shipments/order  ({:?}/order), worse on {g_worse} orders (worst +{worst})",
        per(opt),
        t_opt / orders,
        per(fallback),
        t_fb / orders,
        per(greedy),
        t_g / orders,
    );
}

criterion_group!(benches, greedy_vs_optimum, bench_allocate, bench_reserve);
criterion_main!(benches);
