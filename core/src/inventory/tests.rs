use std::sync::Arc;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::error::ErrorCode;

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn batch(id: &str, on_hand: i64) -> StockBatch {
    StockBatch {
        batch_id: id.to_owned(),
        on_hand: d(on_hand),
        reserved: Decimal::ZERO,
        mfg_date: None,
        expiry_date: None,
        bin: None,
        quality: QualityStatus::Released,
    }
}

fn snapshot() -> StockSnapshot {
    StockSnapshot {
        items: vec![
            StockItem {
                warehouse_id: "W1".into(),
                sku: "A".into(),
                batches: vec![batch("B1", 10), batch("B2", 5)],
            },
            StockItem {
                warehouse_id: "W2".into(),
                sku: "A".into(),
                batches: vec![batch("B1", 7)],
            },
        ],
    }
}

fn req(line: &str, wh: &str, b: &str, q: i64) -> ReservationRequest {
    ReservationRequest {
        line_id: line.into(),
        warehouse_id: wh.into(),
        sku: "A".into(),
        batch_id: b.into(),
        quantity: d(q),
    }
}

#[test]
fn ledger_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<ReservationLedger>();
}

#[test]
fn reserve_all_or_nothing() {
    let l = ReservationLedger::new(&snapshot()).unwrap();
    let err = l
        .reserve(
            "O1",
            &[
                req("L1", "W1", "B1", 8),
                req("L2", "W1", "B2", 6),
                req("L3", "W2", "B1", 8),
            ],
        )
        .unwrap_err();
    assert_eq!(err.code(), "INSUFFICIENT_STOCK");
    assert_eq!(err.field(), Some("requests[1].quantity"));
    match &err {
        InventoryError::InsufficientStock { shortfalls, .. } => {
            assert_eq!(shortfalls.len(), 2);
            assert_eq!(shortfalls[0].line_id, "L2");
            assert_eq!(shortfalls[0].available, d(5));
            assert_eq!(shortfalls[1].index, 2);
        }
        other => panic!("{other:?}"),
    }
    // nothing was reserved
    assert_eq!(l.available("W1", "A", "B1").unwrap(), d(10));
    assert!(l.reservations("O1").unwrap().is_empty());
    // two requests on one batch are summed
    let err = l
        .reserve("O1", &[req("L1", "W1", "B1", 6), req("L2", "W1", "B1", 5)])
        .unwrap_err();
    assert_eq!(err.code(), "INSUFFICIENT_STOCK");
    l.reserve("O1", &[req("L1", "W1", "B1", 6), req("L2", "W1", "B1", 4)])
        .unwrap();
    assert_eq!(l.available("W1", "A", "B1").unwrap(), d(0));
}

#[test]
fn release_and_consume_are_exact() {
    let l = ReservationLedger::new(&snapshot()).unwrap();
    l.reserve("O1", &[req("L1", "W1", "B1", 4), req("L1", "W2", "B1", 3)])
        .unwrap();
    l.reserve("O2", &[req("L1", "W1", "B1", 2)]).unwrap();
    assert_eq!(l.available("W1", "A", "B1").unwrap(), d(4));
    l.release("O1", &[req("L1", "W1", "B1", 1)]).unwrap();
    assert_eq!(l.available("W1", "A", "B1").unwrap(), d(5));
    let err = l.release("O1", &[req("L1", "W1", "B1", 4)]).unwrap_err();
    assert_eq!(err.code(), "NOT_RESERVED");
    assert_eq!(err.field(), Some("requests[0].quantity"));
    // consume: leaves on hand and reserved
    l.consume("O1", &[req("L1", "W1", "B1", 3)]).unwrap();
    let snap = l.snapshot(None).unwrap();
    let b1 = &snap.items[0].batches[0];
    assert_eq!((b1.on_hand, b1.reserved), (d(7), d(2)));
    let released = l.release_order("O1").unwrap();
    assert_eq!(released.len(), 1);
    assert_eq!(released[0].warehouse_id, "W2");
    assert_eq!(l.available("W2", "A", "B1").unwrap(), d(7));
    assert!(l.release_order("O1").unwrap().is_empty());
}

#[test]
fn errors_have_codes_and_paths() {
    let l = ReservationLedger::new(&snapshot()).unwrap();
    let e = l.reserve("O1", &[req("L1", "W9", "B1", 1)]).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_STOCK", Some("requests[0].batch_id"))
    );
    let e = l.reserve("O1", &[req("L1", "W1", "B1", 0)]).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_QUANTITY", Some("requests[0].quantity"))
    );
    let mut r = req("L1", "W1", "B1", 1);
    r.quantity = Decimal::new(1, 7);
    let e = l.reserve("O1", &[r]).unwrap_err();
    assert_eq!(e.code(), "INVALID_QUANTITY");
    let e = l.reserve("", &[req("L1", "W1", "B1", 1)]).unwrap_err();
    assert_eq!((e.code(), e.field()), ("EMPTY_ID", Some("order_id")));
    let e = l.reserve("O", &[req("", "W1", "B1", 1)]).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("EMPTY_ID", Some("requests[0].line_id"))
    );
    let mut s = snapshot();
    s.items[0].batches.push(batch("B1", 1));
    let e = ReservationLedger::new(&s).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (
            "DUPLICATE_ID",
            Some("snapshot.items[0].batches[2].batch_id")
        )
    );
    let mut s = snapshot();
    s.items[1].batches[0].on_hand = d(-1);
    let e = ReservationLedger::new(&s).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (
            "INVALID_QUANTITY",
            Some("snapshot.items[1].batches[0].on_hand")
        )
    );
    let mut s = snapshot();
    s.items[1].sku = "A".into();
    s.items[1].warehouse_id = "W1".into();
    let e = ReservationLedger::new(&s).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("DUPLICATE_ID", Some("snapshot.items[1].sku"))
    );
    let e = l
        .apply_updates(&[StockUpdate::Adjust {
            warehouse_id: "W1".into(),
            sku: "A".into(),
            batch_id: "B1".into(),
            delta: d(-11),
        }])
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("NEGATIVE_STOCK", Some("updates[0].delta"))
    );
    let e = l
        .apply_updates(&[StockUpdate::Adjust {
            warehouse_id: "W1".into(),
            sku: "A".into(),
            batch_id: "ZZ".into(),
            delta: d(1),
        }])
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_STOCK", Some("updates[0].batch_id"))
    );
    let e = GeoPoint {
        lat: 91.0,
        lon: 0.0,
    }
    .validate("p")
    .unwrap_err();
    assert_eq!((e.code(), e.field()), ("INVALID_COORDINATES", Some("p")));
    let e = InventoryError::Overflow { field: "x".into() };
    assert_eq!(e.code(), "OVERFLOW");
}

#[test]
fn not_released_stock_cannot_be_reserved() {
    let mut s = snapshot();
    s.items[0].batches[1].quality = QualityStatus::OnHold;
    let l = ReservationLedger::new(&s).unwrap();
    let e = l.reserve("O", &[req("L", "W1", "B2", 1)]).unwrap_err();
    assert_eq!(e.code(), "INSUFFICIENT_STOCK");
    assert_eq!(l.available("W1", "A", "B2").unwrap(), d(0));
}

#[test]
fn updates_apply_all_or_nothing_and_report_conflicts() {
    let l = ReservationLedger::new(&snapshot()).unwrap();
    l.reserve("O1", &[req("L1", "W1", "B1", 8)]).unwrap();
    l.reserve("O2", &[req("L9", "W1", "B2", 2)]).unwrap();
    // second update fails: the first is not applied either
    let e = l
        .apply_updates(&[
            StockUpdate::Adjust {
                warehouse_id: "W1".into(),
                sku: "A".into(),
                batch_id: "B1".into(),
                delta: d(5),
            },
            StockUpdate::Adjust {
                warehouse_id: "W1".into(),
                sku: "A".into(),
                batch_id: "B2".into(),
                delta: d(-6),
            },
        ])
        .unwrap_err();
    assert_eq!(e.field(), Some("updates[1].delta"));
    assert_eq!(l.available("W1", "A", "B1").unwrap(), d(2));
    // a count that drops B1 to 5 and puts B2 on hold: both conflict
    let mut on_hold = batch("B2", 5);
    on_hold.quality = QualityStatus::OnHold;
    let report = l
        .apply_updates(&[
            StockUpdate::Adjust {
                warehouse_id: "W1".into(),
                sku: "A".into(),
                batch_id: "B1".into(),
                delta: d(-5),
            },
            StockUpdate::SetBatch {
                warehouse_id: "W1".into(),
                sku: "A".into(),
                batch: on_hold,
            },
            StockUpdate::Receive {
                warehouse_id: "W3".into(),
                sku: "A".into(),
                batch: batch("N1", 4),
            },
        ])
        .unwrap();
    assert_eq!(report.batches_changed, 3);
    assert_eq!(report.conflicts.len(), 2);
    assert_eq!(report.conflicts[0].batch_id, "B1");
    assert_eq!(report.conflicts[0].allocatable, d(5));
    assert_eq!(report.conflicts[0].reserved, d(8));
    assert_eq!(report.conflicts[0].reservations[0].order_id, "O1");
    assert_eq!(report.conflicts[1].reservations[0].line_id, "L9");
    assert_eq!(l.available("W3", "A", "N1").unwrap(), d(4));
    // receipt adds to an existing batch
    l.apply_updates(&[StockUpdate::Receive {
        warehouse_id: "W3".into(),
        sku: "A".into(),
        batch: batch("N1", 1),
    }])
    .unwrap();
    assert_eq!(l.available("W3", "A", "N1").unwrap(), d(5));
    // a full replacement zeroes what it omits
    let report = l
        .apply_updates(&[StockUpdate::ReplaceWarehouses {
            snapshot: StockSnapshot {
                items: vec![StockItem {
                    warehouse_id: "W2".into(),
                    sku: "A".into(),
                    batches: vec![batch("B7", 3)],
                }],
            },
        }])
        .unwrap();
    assert!(report.conflicts.is_empty());
    assert_eq!(l.available("W2", "A", "B1").unwrap(), d(0));
    assert_eq!(l.available("W2", "A", "B7").unwrap(), d(3));
    assert_eq!(l.available("W3", "A", "N1").unwrap(), d(5));
    l.apply_updates(&[StockUpdate::ReplaceAll {
        snapshot: StockSnapshot::default(),
    }])
    .unwrap();
    assert_eq!(l.available("W3", "A", "N1").unwrap(), d(0));
}

#[test]
fn snapshot_carries_reservations_and_filters() {
    let l = ReservationLedger::new(&snapshot()).unwrap();
    l.reserve("O1", &[req("L1", "W2", "B1", 2)]).unwrap();
    let s = l.snapshot(Some(&["A".to_owned()])).unwrap();
    assert_eq!(s.items.len(), 2);
    assert_eq!(s.items[1].batches[0].reserved, d(2));
    assert_eq!(s.items[1].batches[0].available(), d(5));
    assert!(l
        .snapshot(Some(&["X".to_owned()]))
        .unwrap()
        .items
        .is_empty());
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<StockSnapshot>(&json).unwrap(), s);
}

#[test]
fn haversine_is_whole_metres() {
    let mumbai = GeoPoint {
        lat: 19.076,
        lon: 72.8777,
    };
    let pune = GeoPoint {
        lat: 18.5204,
        lon: 73.8567,
    };
    let m = mumbai.distance_m(&pune);
    assert!((118_000..122_000).contains(&m), "{m}");
    assert_eq!(m, pune.distance_m(&mumbai));
    assert_eq!(mumbai.distance_m(&mumbai), 0);
}

#[test]
fn warehouse_rate_most_specific_wins() {
    let mut w = Warehouse {
        id: "W".into(),
        name: "W".into(),
        address: Address::default(),
        location: None,
        active: true,
        priority: 0,
        capabilities: vec![],
        shipping_rates: vec![],
        lead_time_days: 1,
    };
    let rate = |s: Option<&str>, z: Option<&str>, f: i64| ShippingRate {
        state_code: s.map(Into::into),
        zone: z.map(Into::into),
        fixed: d(f),
        per_kg: Decimal::ZERO,
        lead_time_days: None,
    };
    w.shipping_rates = vec![
        rate(None, None, 1),
        rate(None, Some("west"), 2),
        rate(Some("27"), None, 3),
    ];
    assert_eq!(w.rate_for("27", Some("west")).unwrap().fixed, d(3));
    assert_eq!(w.rate_for("24", Some("west")).unwrap().fixed, d(2));
    assert_eq!(w.rate_for("24", None).unwrap().fixed, d(1));
    // a state rate for another state and a zone rate for another zone never apply
    assert_eq!(w.rate_for("29", Some("south")).unwrap().fixed, d(1));
    // the order of the list does not matter
    w.shipping_rates.reverse();
    assert_eq!(w.rate_for("27", Some("west")).unwrap().fixed, d(3));
    assert_eq!(w.rate_for("24", Some("west")).unwrap().fixed, d(2));
    // without a default, an unmatched destination has no rate
    w.shipping_rates
        .retain(|r| r.state_code.is_some() || r.zone.is_some());
    assert!(w.rate_for("24", None).is_none());
    assert_eq!(w.rate_for("24", Some("west")).unwrap().fixed, d(2));
}

proptest! {
    #[test]
    fn release_restores_exactly(ops in proptest::collection::vec((0usize..3, 1i64..6, any::<bool>()), 1..40)) {
        let l = ReservationLedger::new(&snapshot()).unwrap();
        let keys = [("W1", "B1"), ("W1", "B2"), ("W2", "B1")];
        let before: Vec<Decimal> = keys.iter().map(|(w, b)| l.available(w, "A", b).unwrap()).collect();
        for (i, (k, q, partial)) in ops.iter().enumerate() {
            let (w, b) = keys[*k];
            let order = format!("O{}", i % 4);
            let _ = l.reserve(&order, &[req("L", w, b, *q)]);
            if *partial {
                let _ = l.release(&order, &[req("L", w, b, 1)]);
            }
            for (j, (w, b)) in keys.iter().enumerate() {
                let s = l.snapshot(None).unwrap();
                let bt = s.items.iter().find(|it| it.warehouse_id == *w).unwrap()
                    .batches.iter().find(|x| x.batch_id == *b).unwrap();
                prop_assert!(bt.reserved <= bt.on_hand, "oversold {j}");
            }
        }
        for i in 0..4 {
            l.release_order(&format!("O{i}")).unwrap();
        }
        let after: Vec<Decimal> = keys.iter().map(|(w, b)| l.available(w, "A", b).unwrap()).collect();
        prop_assert_eq!(before, after);
    }
}

#[test]
fn concurrent_reservations_never_oversell() {
    let mut items = Vec::new();
    for s in 0..3 {
        items.push(StockItem {
            warehouse_id: "W1".into(),
            sku: format!("S{s}"),
            batches: vec![batch("B1", 300), batch("B2", 200)],
        });
    }
    let ledger = Arc::new(ReservationLedger::new(&StockSnapshot { items }).unwrap());
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            let ledger = Arc::clone(&ledger);
            std::thread::spawn(move || {
                let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ (t + 1);
                let mut ok: Vec<(usize, usize, i64)> = Vec::new();
                for i in 0..3000 {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let sku = (x % 3) as usize;
                    let b = ((x >> 8) % 2) as usize;
                    let q = 1 + ((x >> 16) % 4) as i64;
                    let r = ReservationRequest {
                        line_id: "L".into(),
                        warehouse_id: "W1".into(),
                        sku: format!("S{sku}"),
                        batch_id: format!("B{}", b + 1),
                        quantity: Decimal::from(q),
                    };
                    if ledger.reserve(&format!("T{t}-{i}"), &[r]).is_ok() {
                        ok.push((sku, b, q));
                    }
                }
                ok
            })
        })
        .collect();
    let mut sums = [[0i64; 2]; 3];
    for t in threads {
        for (s, b, q) in t.join().unwrap() {
            sums[s][b] += q;
        }
    }
    let snap = ledger.snapshot(None).unwrap();
    for (s, item) in snap.items.iter().enumerate() {
        for (b, bt) in item.batches.iter().enumerate() {
            assert!(bt.reserved <= bt.on_hand);
            assert_eq!(bt.reserved, Decimal::from(sums[s][b]));
            // demand far exceeds stock: every batch ends (nearly) sold out
            assert!(bt.on_hand - bt.reserved < Decimal::from(4));
        }
    }
}

/// Several threads reserve whole multi-request plans (what
/// `AllocationPlan::reserve` sends, sometimes two requests on one batch)
/// while releasing and consuming parts of what they hold, and a fifth
/// thread checks snapshots as they run: no batch is ever oversold, and at
/// the end reserved and on hand equal exactly what the threads say they
/// reserved, released and consumed.
#[test]
fn concurrent_plans_with_release_and_consume_never_oversell() {
    const SKUS: usize = 3;
    const BATCHES: usize = 2;
    let initial = [[120i64, 80]; SKUS];
    let mut items = Vec::new();
    for (s, on_hand) in initial.iter().enumerate() {
        items.push(StockItem {
            warehouse_id: "W1".into(),
            sku: format!("S{s}"),
            batches: vec![batch("B1", on_hand[0]), batch("B2", on_hand[1])],
        });
    }
    let ledger = Arc::new(ReservationLedger::new(&StockSnapshot { items }).unwrap());
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let checker = {
        let (ledger, done) = (Arc::clone(&ledger), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut checks = 0u32;
            while !done.load(std::sync::atomic::Ordering::Relaxed) || checks == 0 {
                for it in ledger.snapshot(None).unwrap().items {
                    for b in it.batches {
                        assert!(
                            b.reserved <= b.on_hand,
                            "{}/{} oversold",
                            it.sku,
                            b.batch_id
                        );
                    }
                }
                checks += 1;
            }
            checks
        })
    };
    type Tally = [[i64; BATCHES]; SKUS];
    let workers: Vec<_> = (0..4u64)
        .map(|t| {
            let ledger = Arc::clone(&ledger);
            std::thread::spawn(move || -> (Tally, Tally, usize) {
                let mut x = 0x2545_F491_4F6C_DD1Du64 ^ (t + 1).wrapping_mul(0x9E37);
                let mut rnd = |n: u64| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % n) as usize
                };
                let mut held: Tally = [[0; BATCHES]; SKUS];
                let mut consumed: Tally = [[0; BATCHES]; SKUS];
                let mut refused = 0;
                for i in 0..1500 {
                    let order = format!("T{t}-{}", i % 16);
                    let n = 2 + rnd(3);
                    let mut reqs = Vec::new();
                    let mut keys = Vec::new();
                    for k in 0..n {
                        let (s, b, q) = (rnd(SKUS as u64), rnd(BATCHES as u64), 1 + rnd(4));
                        keys.push((s, b, q as i64));
                        reqs.push(ReservationRequest {
                            line_id: format!("L{k}"),
                            warehouse_id: "W1".into(),
                            sku: format!("S{s}"),
                            batch_id: format!("B{}", b + 1),
                            quantity: Decimal::from(q),
                        });
                    }
                    match ledger.reserve(&order, &reqs) {
                        Ok(()) => {
                            for &(s, b, q) in &keys {
                                held[s][b] += q;
                            }
                        }
                        Err(e) => {
                            assert_eq!(e.code(), "INSUFFICIENT_STOCK");
                            refused += 1;
                        }
                    }
                    // Give some back: release or consume the order's first
                    // reservation exactly, or release the whole order.
                    let mine = ledger.reservations(&order).unwrap();
                    let Some(first) = mine.first() else { continue };
                    let s: usize = first.sku[1..].parse().unwrap();
                    let b: usize = first.batch_id[1..].parse::<usize>().unwrap() - 1;
                    let q = i64::try_from(first.quantity.mantissa()).unwrap();
                    let one = [ReservationRequest {
                        line_id: first.line_id.clone(),
                        warehouse_id: first.warehouse_id.clone(),
                        sku: first.sku.clone(),
                        batch_id: first.batch_id.clone(),
                        quantity: first.quantity,
                    }];
                    match rnd(4) {
                        0 => {
                            ledger.release(&order, &one).unwrap();
                            held[s][b] -= q;
                        }
                        1 => {
                            ledger.consume(&order, &one).unwrap();
                            held[s][b] -= q;
                            consumed[s][b] += q;
                        }
                        2 => {
                            for r in ledger.release_order(&order).unwrap() {
                                let s: usize = r.sku[1..].parse().unwrap();
                                let b: usize = r.batch_id[1..].parse::<usize>().unwrap() - 1;
                                held[s][b] -= i64::try_from(r.quantity.mantissa()).unwrap();
                            }
                        }
                        _ => {}
                    }
                }
                (held, consumed, refused)
            })
        })
        .collect();
    let mut held: Tally = [[0; BATCHES]; SKUS];
    let mut consumed: Tally = [[0; BATCHES]; SKUS];
    let mut refused = 0;
    for w in workers {
        let (h, c, r) = w.join().unwrap();
        refused += r;
        for s in 0..SKUS {
            for b in 0..BATCHES {
                held[s][b] += h[s][b];
                consumed[s][b] += c[s][b];
            }
        }
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(checker.join().unwrap() > 0);
    // Demand exceeds stock: some plans were refused whole.
    assert!(refused > 0);
    let snap = ledger.snapshot(None).unwrap();
    for (s, item) in snap.items.iter().enumerate() {
        for (b, bt) in item.batches.iter().enumerate() {
            assert_eq!(bt.reserved, Decimal::from(held[s][b]), "S{s}/B{}", b + 1);
            assert_eq!(
                bt.on_hand,
                Decimal::from(initial[s][b] - consumed[s][b]),
                "S{s}/B{}",
                b + 1
            );
            assert!(bt.reserved <= bt.on_hand);
        }
    }
}
