use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::{
    any, prop_assert, prop_assert_eq, proptest, ProptestConfig, TestCaseError,
};
use proptest::strategy::Strategy as PropStrategy;

use super::Strategy;
use rust_decimal::Decimal;

use super::*;
use crate::error::ErrorCode;
use crate::events::{AggregateKind, Audience, EventPayload};
use crate::inventory::{
    Address, GeoPoint, QualityStatus, ReservationLedger, ShippingRate, StockBatch, StockItem,
    StockSnapshot, Warehouse,
};

pub(crate) fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, h, 0, 0).unwrap()
}

pub(crate) fn wh(id: &str, priority: u32, fixed: Option<i64>) -> Warehouse {
    Warehouse {
        id: id.into(),
        name: format!("Warehouse {id}"),
        address: Address {
            lines: vec![],
            city: None,
            state_code: "27".into(),
            pincode: "400001".into(),
            gstin: Some("27AAAAA0000A1Z5".into()),
        },
        location: None,
        active: true,
        priority,
        capabilities: vec![],
        shipping_rates: fixed
            .map(|f| {
                vec![ShippingRate {
                    state_code: None,
                    zone: None,
                    fixed: d(f),
                    per_kg: Decimal::ZERO,
                    lead_time_days: None,
                }]
            })
            .unwrap_or_default(),
        lead_time_days: 2,
    }
}

pub(crate) fn batch(id: &str, q: i64) -> StockBatch {
    StockBatch {
        batch_id: id.into(),
        on_hand: d(q),
        reserved: Decimal::ZERO,
        mfg_date: None,
        expiry_date: None,
        bin: None,
        quality: QualityStatus::Released,
    }
}

pub(crate) fn item(w: &str, sku: &str, batches: Vec<StockBatch>) -> StockItem {
    StockItem {
        warehouse_id: w.into(),
        sku: sku.into(),
        batches,
    }
}

pub(crate) fn line(id: &str, sku: &str, q: i64) -> AllocationLine {
    AllocationLine {
        line_id: id.into(),
        sku: sku.into(),
        quantity: d(q),
        category_path: vec![],
        weight_per_unit_kg: Decimal::ONE,
        required_capabilities: vec![],
        min_remaining_shelf_life_days: None,
    }
}

pub(crate) fn input(
    lines: Vec<AllocationLine>,
    whs: Vec<Warehouse>,
    items: Vec<StockItem>,
) -> AllocationInput {
    AllocationInput {
        request: AllocationRequest {
            order_id: "SO-1".into(),
            customer_id: "C-1".into(),
            segment: Some("distributor".into()),
            destination: Destination {
                state_code: "29".into(),
                pincode: "560001".into(),
                zone: Some("south".into()),
                location: None,
            },
            delivery: DeliveryPreferences::default(),
            lines,
            order_value: d(100_000),
            required_capabilities: vec![],
            min_remaining_shelf_life_days: None,
        },
        warehouses: whs,
        stock: StockSnapshot { items },
        rules: RoutingRules::default(),
        strategy: Strategy::FewestShipments,
        today: date("2026-03-01"),
        planned_at: at(9),
        event_sequence: 1,
        settings: AllocationSettings::default(),
    }
}

fn whs_of(plan: &AllocationPlan) -> Vec<&str> {
    plan.shipments
        .iter()
        .map(|s| s.warehouse_id.as_str())
        .collect()
}

pub(crate) fn run(i: &AllocationInput) -> AllocationPlan {
    allocate(i).unwrap().plan
}

/// Two lines; W1 and W2 each hold one, W3 holds both but is dearer and
/// lower priority: fewest shipments still picks W3 alone.
#[test]
fn fewest_shipments_prefers_one_warehouse() {
    let i = input(
        vec![line("L1", "A", 5), line("L2", "B", 5)],
        vec![
            wh("W1", 1, Some(10)),
            wh("W2", 1, Some(10)),
            wh("W3", 9, Some(50)),
        ],
        vec![
            item("W1", "A", vec![batch("a1", 10)]),
            item("W2", "B", vec![batch("b1", 10)]),
            item("W3", "A", vec![batch("a3", 5)]),
            item("W3", "B", vec![batch("b3", 5)]),
        ],
    );
    let out = allocate(&i).unwrap();
    let p = &out.plan;
    assert_eq!(whs_of(p), vec!["W3"]);
    assert!(p.fully_allocated);
    assert_eq!(p.optimality, Optimality::Optimal);
    assert_eq!(p.explanation.method, SearchMethod::Exact);
    assert_eq!(p.explanation.cost_basis, CostBasis::Cost);
    assert_eq!(p.estimated_cost, Some(Decimal::new(5000, 2)));
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].sequence, 1);
    assert_eq!(out.events[0].aggregate_id, "SO-1");
    assert!(matches!(
        out.events[0].payload,
        EventPayload::AllocationPlanned {
            fully_allocated: true,
            ..
        }
    ));
    // priority strategy splits instead
    let mut j = i.clone();
    j.strategy = Strategy::Priority;
    let p = run(&j);
    assert_eq!(whs_of(&p), vec!["W1", "W2"]);
    assert_eq!(p.optimality, Optimality::NotApplicable);
    assert_eq!(p.estimated_cost, Some(d(20)));
}

#[test]
fn equal_size_sets_compare_cost_then_priority_then_ids() {
    let mk = |c1: i64, c2: i64, p1: u32, p2: u32| {
        input(
            vec![line("L1", "A", 5)],
            vec![wh("W2", p2, Some(c2)), wh("W1", p1, Some(c1))],
            vec![
                item("W1", "A", vec![batch("x", 5)]),
                item("W2", "A", vec![batch("y", 5)]),
            ],
        )
    };
    let p = run(&mk(20, 10, 1, 2));
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert!(p
        .explanation
        .reasons
        .iter()
        .any(|r| r.contains("lowest cost")));
    let p = run(&mk(10, 10, 3, 2));
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert!(p.explanation.tie_breaks[0].contains("best priority"));
    let p = run(&mk(10, 10, 2, 2));
    assert_eq!(whs_of(&p), vec!["W1"]);
    assert!(p.explanation.tie_breaks[0].contains("warehouse ids"));
}

#[test]
fn split_when_no_single_warehouse_covers() {
    let i = input(
        vec![line("L1", "A", 10), line("L2", "B", 3)],
        vec![
            wh("W1", 1, Some(10)),
            wh("W2", 2, Some(10)),
            wh("W3", 3, Some(10)),
        ],
        vec![
            item("W1", "A", vec![batch("a1", 6)]),
            item("W2", "A", vec![batch("a2", 6)]),
            item("W2", "B", vec![batch("b2", 3)]),
            item("W3", "B", vec![batch("b3", 1)]),
        ],
    );
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W1", "W2"]);
    assert!(p.fully_allocated);
    // L2 ships whole from W2; L1 is split 6 (W1, cheaper rank first) + 4
    let w2 = &p.shipments[1];
    assert_eq!(
        w2.lines
            .iter()
            .find(|l| l.line_id == "L2")
            .unwrap()
            .quantity,
        d(3)
    );
    assert_eq!(p.lines[0].allocated, d(10));
    let l1: Vec<(&str, Decimal)> = p
        .shipments
        .iter()
        .flat_map(|s| {
            s.lines
                .iter()
                .filter(|l| l.line_id == "L1")
                .map(move |l| (s.warehouse_id.as_str(), l.quantity))
        })
        .collect();
    assert_eq!(l1, vec![("W1", d(6)), ("W2", d(4))]);
    assert_eq!(p.reservation_requests().len(), 3);
}

#[test]
fn backorders_what_nobody_has() {
    let i = input(
        vec![line("L1", "A", 10), line("L2", "Z", 2)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("a1", 4)])],
    );
    let p = run(&i);
    assert!(!p.fully_allocated);
    assert_eq!(p.backorders.len(), 2);
    assert_eq!(p.backorders[0].quantity, d(6));
    assert_eq!(p.backorders[1].quantity, d(2));
    assert!(p.backorders[1].reason.contains("no usable stock"));
    assert_eq!(
        p.lines[0].allocated + p.lines[0].backordered,
        p.lines[0].ordered
    );
    assert_eq!(p.explanation.cost_basis, CostBasis::None);
    assert_eq!(p.estimated_cost, None);
}

#[test]
fn fefo_skips_expired_on_hold_and_short_dated() {
    let mut b1 = batch("B1", 5);
    b1.expiry_date = Some(date("2026-02-28")); // expired yesterday
    let mut b2 = batch("B2", 5);
    b2.expiry_date = Some(date("2026-03-10")); // 9 days left
    let mut b3 = batch("B3", 5);
    b3.expiry_date = Some(date("2026-06-01"));
    b3.bin = Some("A-02".into());
    let mut b4 = batch("B4", 5);
    b4.expiry_date = Some(date("2026-04-01"));
    b4.quality = QualityStatus::OnHold;
    let mut b5 = batch("B5", 5);
    b5.expiry_date = Some(date("2026-05-01"));
    b5.bin = Some("A-01".into());
    let mk = |shelf: Option<u32>, cust: Option<u32>| {
        let mut l = line("L1", "A", 8);
        l.min_remaining_shelf_life_days = shelf;
        let mut i = input(
            vec![l],
            vec![wh("W1", 1, None)],
            vec![item(
                "W1",
                "A",
                vec![b1.clone(), b2.clone(), b3.clone(), b4.clone(), b5.clone()],
            )],
        );
        i.request.min_remaining_shelf_life_days = cust;
        i
    };
    // no shelf-life rule: B2 (earliest valid expiry) then B5
    let p = run(&mk(None, None));
    let picks: Vec<(&str, Decimal)> = p.shipments[0].lines[0]
        .batches
        .iter()
        .map(|b| (b.batch_id.as_str(), b.quantity))
        .collect();
    assert_eq!(picks, vec![("B2", d(5)), ("B5", d(3))]);
    let reasons: Vec<_> = p
        .explanation
        .skipped_batches
        .iter()
        .map(|s| (s.batch_id.as_str(), s.reason))
        .collect();
    assert!(reasons.contains(&("B1", BatchSkipReason::Expired)));
    assert!(reasons.contains(&("B4", BatchSkipReason::NotReleased)));
    // product needs 30 days: B2 is skipped
    let p = run(&mk(Some(30), None));
    let ids: Vec<&str> = p.shipments[0].lines[0]
        .batches
        .iter()
        .map(|b| b.batch_id.as_str())
        .collect();
    assert_eq!(ids, vec!["B5", "B3"]);
    // customer needs 70 days (stricter than the product's 30): only B3 (92 days)
    let p = run(&mk(Some(30), Some(70)));
    assert_eq!(p.shipments[0].lines[0].batches[0].batch_id, "B3");
    assert_eq!(p.lines[0].allocated, d(5));
    assert_eq!(p.lines[0].backordered, d(3));
    assert!(p
        .explanation
        .skipped_batches
        .iter()
        .any(|s| s.batch_id == "B5" && s.reason == BatchSkipReason::ShelfLife));
    // expiry day itself is still usable (expired only after it)
    let mut i = mk(None, None);
    i.today = date("2026-03-10");
    let p = run(&i);
    assert_eq!(p.shipments[0].lines[0].batches[0].batch_id, "B2");
}

#[test]
fn fifo_by_mfg_date_then_batch_id() {
    let mut a = batch("Z", 3);
    a.mfg_date = Some(date("2025-01-01"));
    let mut b = batch("Y", 3);
    b.mfg_date = Some(date("2025-06-01"));
    let c = batch("A", 3);
    let e = batch("B", 3);
    let i = input(
        vec![line("L1", "A", 11)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![e, c, b, a])],
    );
    let p = run(&i);
    let ids: Vec<&str> = p.shipments[0].lines[0]
        .batches
        .iter()
        .map(|b| b.batch_id.as_str())
        .collect();
    assert_eq!(ids, vec!["Z", "Y", "A", "B"]);
    assert_eq!(p.shipments[0].lines[0].batches[3].quantity, d(2));
}

#[test]
fn routing_rules_exclude_restrict_and_require() {
    let base = || {
        let mut w1 = wh("W1", 1, Some(10));
        w1.capabilities = vec!["export".into()];
        let mut w3 = wh("W3", 3, Some(10));
        w3.capabilities = vec!["cold".into()];
        let mut w4 = wh("W4", 0, Some(1));
        w4.active = false;
        let mut chem = line("L2", "B", 1);
        chem.category_path = vec!["chemicals".into(), "solvents".into()];
        input(
            vec![line("L1", "A", 1), chem],
            vec![w1, wh("W2", 2, Some(10)), w3, w4],
            ["W1", "W2", "W3", "W4"]
                .iter()
                .flat_map(|w| {
                    vec![
                        item(w, "A", vec![batch("x", 10)]),
                        item(w, "B", vec![batch("y", 10)]),
                    ]
                })
                .collect(),
        )
    };
    // inactive W4 never a candidate
    let p = run(&base());
    assert!(p
        .explanation
        .exclusions
        .iter()
        .any(|e| e.warehouse_id == "W4" && e.reason == ExclusionReason::Inactive));
    assert_eq!(whs_of(&p), vec!["W1"]); // cost tie, best priority
                                        // exclude W1 for distributors shipping to state 29
    let mut i = base();
    i.rules.rules.push(RoutingRule {
        id: "no-w1".into(),
        when: RuleCondition {
            segments: vec!["distributor".into()],
            destination_states: vec!["29".into()],
            ..RuleCondition::default()
        },
        action: RuleAction::Exclude {
            warehouses: vec!["W1".into()],
        },
    });
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert!(p
        .explanation
        .exclusions
        .iter()
        .any(|e| e.warehouse_id == "W1"
            && e.reason == ExclusionReason::RoutingRule
            && e.detail == "rule no-w1"));
    // a rule whose conditions do not match changes nothing
    let mut j = base();
    j.rules.rules.push(RoutingRule {
        id: "big".into(),
        when: RuleCondition {
            min_order_value: Some(d(1_000_000)),
            ..RuleCondition::default()
        },
        action: RuleAction::Exclude {
            warehouses: vec!["W1".into()],
        },
    });
    assert_eq!(whs_of(&run(&j)), vec!["W1"]);
    // chemicals only from W3: the order splits W1 (L1) + W3 (L2)
    let mut k = base();
    k.rules.rules.push(RoutingRule {
        id: "chem".into(),
        when: RuleCondition {
            categories: vec!["chemicals".into()],
            ..RuleCondition::default()
        },
        action: RuleAction::RestrictTo {
            warehouses: vec!["W3".into()],
        },
    });
    let p = run(&k);
    assert_eq!(whs_of(&p), vec!["W3"]); // W3 holds both: one shipment
    assert!(p
        .explanation
        .exclusions
        .iter()
        .any(|e| e.line_id.as_deref() == Some("L2") && e.warehouse_id == "W1"));
    // export order: only export-capable warehouses
    let mut e = base();
    e.request.required_capabilities = vec!["export".into()];
    let p = run(&e);
    assert_eq!(whs_of(&p), vec!["W1"]);
    assert!(p
        .explanation
        .exclusions
        .iter()
        .any(|x| x.warehouse_id == "W2" && x.reason == ExclusionReason::MissingCapability));
    // a cold line needs W3; require_capability by rule for order size
    let mut c = base();
    c.request.lines[0].required_capabilities = vec!["cold".into()];
    assert_eq!(whs_of(&run(&c)), vec!["W3"]);
    let mut r = base();
    r.rules.rules.push(RoutingRule {
        id: "two-lines-cold".into(),
        when: RuleCondition {
            min_lines: Some(2),
            ..RuleCondition::default()
        },
        action: RuleAction::RequireCapability {
            capability: "cold".into(),
        },
    });
    assert_eq!(whs_of(&run(&r)), vec!["W3"]);
}

#[test]
fn preferred_warehouse_per_region() {
    let mut i = input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, None), wh("W2", 5, None)],
        vec![
            item("W1", "A", vec![batch("x", 5)]),
            item("W2", "A", vec![batch("y", 5)]),
        ],
    );
    assert_eq!(whs_of(&run(&i)), vec!["W1"]);
    i.rules.preferred.push(PreferredWarehouse {
        states: vec![],
        zones: vec!["south".into()],
        warehouse_id: "W2".into(),
    });
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert!(p
        .explanation
        .candidates
        .iter()
        .any(|c| c.warehouse_id == "W2" && c.preferred));
    i.strategy = Strategy::Priority;
    assert_eq!(whs_of(&run(&i)), vec!["W2"]);
}

#[test]
fn nearest_uses_haversine() {
    let mut far = wh("FAR", 0, None);
    far.location = Some(GeoPoint {
        lat: 28.61,
        lon: 77.21,
    }); // Delhi
    let mut near = wh("NEAR", 9, None);
    near.location = Some(GeoPoint {
        lat: 13.0,
        lon: 77.6,
    }); // near Bengaluru
    let mut i = input(
        vec![line("L1", "A", 8)],
        vec![far, near],
        vec![
            item("FAR", "A", vec![batch("x", 5)]),
            item("NEAR", "A", vec![batch("y", 5)]),
        ],
    );
    i.request.destination.location = Some(GeoPoint {
        lat: 12.97,
        lon: 77.59,
    });
    i.strategy = Strategy::Nearest;
    let p = run(&i);
    assert_eq!(p.explanation.cost_basis, CostBasis::Distance);
    assert!(p.explanation.reasons[0].contains("NEAR, FAR"));
    let near_ship = p
        .shipments
        .iter()
        .find(|s| s.warehouse_id == "NEAR")
        .unwrap();
    assert_eq!(near_ship.lines[0].quantity, d(5));
    assert!(near_ship.distance_m.unwrap() < 10_000);
}

#[test]
fn ship_complete_never_splits() {
    let mk = |w2_b: i64| {
        let mut i = input(
            vec![line("L1", "A", 5), line("L2", "B", 5)],
            vec![wh("W1", 1, Some(10)), wh("W2", 2, Some(10))],
            vec![
                item("W1", "A", vec![batch("a", 5)]),
                item("W1", "B", vec![batch("b", 2)]),
                item("W2", "A", vec![batch("a", 5)]),
                item("W2", "B", vec![batch("b", w2_b)]),
            ],
        );
        i.request.delivery.ship_complete = true;
        i
    };
    let p = run(&mk(5));
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert!(p.fully_allocated);
    let p = run(&mk(4));
    assert!(p.shipments.is_empty());
    assert_eq!(p.backorders.len(), 2);
    assert!(p.backorders[0].reason.contains("ship complete"));
    assert_eq!(p.explanation.strategy, Strategy::SingleWarehouse);
    // partial shipments not allowed: one warehouse, the one covering most
    let mut i = mk(4);
    i.request.delivery.ship_complete = false;
    i.request.delivery.allow_partial_shipments = false;
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert_eq!(p.lines[1].backordered, d(1));
    // single_warehouse strategy behaves the same
    let mut j = mk(4);
    j.request.delivery.ship_complete = false;
    j.strategy = Strategy::SingleWarehouse;
    assert_eq!(whs_of(&run(&j)), vec!["W2"]);
}

#[test]
fn same_sku_lines_are_pooled() {
    let i = input(
        vec![line("L1", "A", 4), line("L2", "A", 4)],
        vec![wh("W1", 1, None), wh("W2", 2, None)],
        vec![
            item("W1", "A", vec![batch("x", 5)]),
            item("W2", "A", vec![batch("y", 8)]),
        ],
    );
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W2"]);
    assert!(p.fully_allocated);
    // not enough anywhere alone: never over-allocates a batch
    let j = input(
        vec![line("L1", "A", 6), line("L2", "A", 6)],
        vec![wh("W1", 1, None), wh("W2", 2, None)],
        vec![
            item("W1", "A", vec![batch("x", 5)]),
            item("W2", "A", vec![batch("y", 5)]),
        ],
    );
    let p = run(&j);
    assert_eq!(p.lines[0].allocated, d(6));
    assert_eq!(p.lines[1].allocated, d(4));
    assert_eq!(p.backorders[0].line_id, "L2");
}

#[test]
fn per_kg_cost_and_weight() {
    let mut w = wh("W1", 1, Some(100));
    w.shipping_rates[0].per_kg = Decimal::new(1250, 2);
    w.shipping_rates[0].lead_time_days = Some(4);
    let mut l = line("L1", "A", 3);
    l.weight_per_unit_kg = Decimal::new(2333, 3);
    let p = run(&input(
        vec![l],
        vec![w],
        vec![item("W1", "A", vec![batch("x", 5)])],
    ));
    let s = &p.shipments[0];
    assert_eq!(s.weight_kg, Decimal::new(6999, 3));
    // 100 + 12.50 × 6.999 = 187.4875 → 187.49
    assert_eq!(s.estimated_cost, Some(Decimal::new(18749, 2)));
    assert_eq!(s.lead_time_days, 4);
    assert_eq!(p.estimated_cost, Some(Decimal::new(18749, 2)));
}

#[test]
fn greedy_fallback_says_not_proven_optimal() {
    let mut i = input(
        vec![line("L1", "A", 2), line("L2", "B", 2)],
        vec![
            wh("W1", 1, Some(1)),
            wh("W2", 1, Some(1)),
            wh("W3", 1, Some(1)),
        ],
        vec![
            item("W1", "A", vec![batch("x", 2)]),
            item("W2", "B", vec![batch("x", 2)]),
            item("W3", "A", vec![batch("x", 1)]),
        ],
    );
    i.settings.exact_max_candidates = 2;
    let p = run(&i);
    assert_eq!(p.optimality, Optimality::GreedyNotProvenOptimal);
    assert_eq!(p.explanation.method, SearchMethod::GreedyNotProvenOptimal);
    assert!(p
        .explanation
        .reasons
        .iter()
        .any(|r| r.contains("not proven optimal")));
    // with no exact bound at all, the greedy set is used unrefined
    i.settings.exact_max_candidates = 0;
    let p = run(&i);
    assert_eq!(p.optimality, Optimality::GreedyNotProvenOptimal);
    assert_eq!(whs_of(&p), vec!["W1", "W2"]);
    assert!(p.fully_allocated);
    // within the bound the same instance is exact and optimal
    i.settings.exact_max_candidates = 3;
    let p = run(&i);
    assert_eq!(p.optimality, Optimality::Optimal);
    assert_eq!(p.explanation.method, SearchMethod::Exact);
    assert_eq!(whs_of(&p), vec!["W1", "W2"]);
}

/// Twelve active candidates (the default bound): exact and optimal. Each
/// of 12 lines is stocked by two neighbouring warehouses (W(i), W(i+1)), so
/// a cover needs 6 warehouses; W0, W2, …, W10 is the cheapest such set.
#[test]
fn twelve_candidates_are_searched_exactly() {
    let whs: Vec<Warehouse> = (0..12)
        .map(|w| {
            wh(
                &format!("W{w:02}"),
                1,
                Some(if w % 2 == 0 { 10 } else { 11 }),
            )
        })
        .collect();
    let lines: Vec<AllocationLine> = (0..12)
        .map(|l| line(&format!("L{l:02}"), &format!("S{l:02}"), 1))
        .collect();
    let mut items = Vec::new();
    for l in 0..12usize {
        for w in [l, (l + 1) % 12] {
            items.push(item(
                &format!("W{w:02}"),
                &format!("S{l:02}"),
                vec![batch("b", 1)],
            ));
        }
    }
    let i = input(lines, whs, items);
    assert_eq!(i.settings.exact_max_candidates, 12);
    let p = run(&i);
    assert_eq!(p.explanation.candidates.len(), 12);
    assert_eq!(p.explanation.method, SearchMethod::Exact);
    assert_eq!(p.optimality, Optimality::Optimal);
    assert_eq!(whs_of(&p), vec!["W00", "W02", "W04", "W06", "W08", "W10"]);
    assert_eq!(p.estimated_cost, Some(d(60)));
    assert!(p.fully_allocated);
    // one more candidate exceeds the bound: the greedy fallback says so
    let mut j = i.clone();
    j.warehouses.push(wh("W12", 1, Some(10)));
    j.stock.items.push(item("W12", "S00", vec![batch("b", 1)]));
    let p = run(&j);
    assert_eq!(p.explanation.candidates.len(), 13);
    assert_eq!(p.optimality, Optimality::GreedyNotProvenOptimal);
}

#[test]
fn allocation_errors_name_fields() {
    let ok = || {
        input(
            vec![line("L1", "A", 1), line("L2", "B", 1)],
            vec![wh("W1", 1, None)],
            vec![item("W1", "A", vec![batch("x", 2)])],
        )
    };
    let check = |i: AllocationInput, code: &str, field: &str| {
        let e = allocate(&i).unwrap_err();
        assert_eq!((e.code(), e.field()), (code, Some(field)), "{e}");
    };
    let mut i = ok();
    i.request.lines.clear();
    check(i, "EMPTY_ORDER", "request.lines");
    let mut i = ok();
    i.settings.max_lines = 1;
    check(i, "TOO_MANY_LINES", "request.lines");
    let mut i = ok();
    i.request.lines[1].quantity = d(0);
    check(i, "INVALID_QUANTITY", "request.lines[1].quantity");
    let mut i = ok();
    i.request.lines[0].quantity = Decimal::new(1, 9);
    check(i, "INVALID_QUANTITY", "request.lines[0].quantity");
    let mut i = ok();
    i.request.lines[1].line_id = "L1".into();
    check(i, "DUPLICATE_ID", "request.lines[1].line_id");
    let mut i = ok();
    i.request.lines[1].sku = String::new();
    check(i, "EMPTY_ID", "request.lines[1].sku");
    let mut i = ok();
    i.request.order_id = String::new();
    check(i, "EMPTY_ID", "request.order_id");
    let mut i = ok();
    i.warehouses.push(wh("W1", 2, None));
    check(i, "DUPLICATE_ID", "warehouses[1].id");
    let mut i = ok();
    i.stock.items[0].warehouse_id = "W9".into();
    check(i, "UNKNOWN_WAREHOUSE", "stock.items[0].warehouse_id");
    let mut i = ok();
    i.stock.items[0].batches[0].on_hand = d(-1);
    check(i, "INVALID_QUANTITY", "stock.items[0].batches[0].on_hand");
    let mut i = ok();
    i.rules.rules.push(RoutingRule {
        id: "r".into(),
        when: RuleCondition::default(),
        action: RuleAction::Exclude {
            warehouses: vec!["W1".into(), "NOPE".into()],
        },
    });
    check(
        i,
        "UNKNOWN_WAREHOUSE",
        "rules.rules[0].action.warehouses[1]",
    );
    let mut i = ok();
    i.rules.preferred.push(PreferredWarehouse {
        states: vec![],
        zones: vec![],
        warehouse_id: "NOPE".into(),
    });
    check(i, "UNKNOWN_WAREHOUSE", "rules.preferred[0].warehouse_id");
    let mut i = ok();
    i.settings.exact_max_candidates = 21;
    check(i, "INVALID_SETTING", "settings.exact_max_candidates");
    let mut i = ok();
    i.request.destination.location = Some(GeoPoint {
        lat: 0.0,
        lon: 200.0,
    });
    check(i, "INVALID_COORDINATES", "request.destination.location");
    let mut i = ok();
    i.warehouses[0].location = Some(GeoPoint {
        lat: f64::NAN,
        lon: 0.0,
    });
    check(i, "INVALID_COORDINATES", "warehouses[0].location");
    let mut i = ok();
    i.warehouses[0].shipping_rates.push(ShippingRate {
        state_code: None,
        zone: None,
        fixed: d(-1),
        per_kg: Decimal::ZERO,
        lead_time_days: None,
    });
    check(
        i,
        "INVALID_QUANTITY",
        "warehouses[0].shipping_rates[0].fixed",
    );
    let mut i = ok();
    i.request.order_value = d(-5);
    check(i, "INVALID_QUANTITY", "request.order_value");
}

#[test]
fn ops_allocate_round_trips_json() {
    let i = input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, Some(5))],
        vec![item("W1", "A", vec![batch("x", 2)])],
    );
    let json = serde_json::to_string(&i).unwrap();
    let back: AllocationInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back, i);
    let out = ops::allocate(back).unwrap();
    let out_json = serde_json::to_string(&out).unwrap();
    assert!(out_json.contains("\"fewest_shipments\""));
    assert!(out_json.contains("\"allocation_planned\""));
    let again: AllocationOutcome = serde_json::from_str(&out_json).unwrap();
    assert_eq!(again, out);
    // deterministic
    assert_eq!(
        serde_json::to_string(&ops::allocate(i).unwrap()).unwrap(),
        out_json
    );
    // minimal JSON with defaults
    let minimal = r#"{
      "request": {"order_id": "O", "customer_id": "C",
        "destination": {"state_code": "27", "pincode": "400001"},
        "lines": [{"line_id": "1", "sku": "A", "quantity": "2"}]},
      "warehouses": [{"id": "W", "name": "W", "address": {"state_code": "27", "pincode": "400002"}}],
      "stock": {"items": [{"warehouse_id": "W", "sku": "A", "batches": [{"batch_id": "b", "on_hand": "5"}]}]},
      "today": "2026-03-01", "planned_at": "2026-03-01T10:00:00Z"
    }"#;
    let i: AllocationInput = serde_json::from_str(minimal).unwrap();
    let p = ops::allocate(i).unwrap().plan;
    assert!(p.fully_allocated);
}

// ---------------------------------------------------------------- shipments

pub(crate) fn line_info(id: &str, value: i64, rate: i64) -> ShipmentLineInfo {
    ShipmentLineInfo {
        line_id: id.into(),
        description: format!("Item {id}"),
        hsn: Some("3004".into()),
        uqc: Some("NOS".into()),
        unit_value: d(value),
        gst_rate_percent: d(rate),
        weight_per_unit_kg: Decimal::new(5, 1),
        packaging_instructions: vec!["keep dry".into()],
    }
}

fn planned_shipment() -> (Shipment, ReservationLedger) {
    let mut b1 = batch("B1", 3);
    b1.bin = Some("R2-05".into());
    b1.expiry_date = Some(date("2026-09-01"));
    let mut b2 = batch("B2", 10);
    b2.bin = Some("R1-01".into());
    b2.expiry_date = Some(date("2026-12-01"));
    let i = input(
        vec![line("L1", "A", 5), line("L2", "B", 2)],
        vec![wh("W1", 1, Some(10))],
        vec![
            item("W1", "A", vec![b1, b2]),
            item("W1", "B", vec![batch("C1", 2)]),
        ],
    );
    let plan = run(&i);
    let ledger = ReservationLedger::new(&i.stock).unwrap();
    ledger
        .reserve(&plan.order_id, &plan.reservation_requests())
        .unwrap();
    let ship_to = Party {
        name: "Buyer".into(),
        address: Address {
            state_code: "29".into(),
            pincode: "560001".into(),
            ..Address::default()
        },
    };
    let shipments = create_shipments(&CreateShipments {
        plan,
        warehouses: i.warehouses.clone(),
        ship_to,
        lines: vec![line_info("L1", 10_000, 12), line_info("L2", 1_000, 18)],
        purpose: ShipmentPurpose::Sale,
        shipment_ids: Some(vec!["SH-1".into()]),
        packaging_instructions: vec!["fragile".into()],
        order_discount_rate: Decimal::ZERO,
    })
    .unwrap();
    (shipments.into_iter().next().unwrap(), ledger)
}

fn pack_cmd(q1: i64, q2: i64) -> ShipmentCommand {
    ShipmentCommand::Pack {
        at: at(11),
        packages: vec![
            PackageSpec {
                package_id: "P1".into(),
                weight_kg: None,
                dimensions: Some(Dimensions {
                    length_cm: d(40),
                    width_cm: d(30),
                    height_cm: d(20),
                }),
                contents: vec![PackageContent {
                    line_id: "L1".into(),
                    quantity: d(q1),
                }],
            },
            PackageSpec {
                package_id: "P2".into(),
                weight_kg: Some(d(2)),
                dimensions: None,
                contents: vec![PackageContent {
                    line_id: "L2".into(),
                    quantity: d(q2),
                }],
            },
        ],
    }
}

fn dispatch_cmd() -> ShipmentCommand {
    ShipmentCommand::Dispatch {
        at: at(12),
        carrier: "BlueLine".into(),
        tracking_number: "AWB123".into(),
        vehicle_number: Some("MH01AB1234".into()),
        transporter_id: None,
        transport_mode: TransportMode::Road,
        distance_km: Some(980),
    }
}

/// Fails before the fix: `shipment_dispatched` named only the order, so a
/// host had to look up the customer and the lines to tell the buyer.
#[test]
fn dispatch_event_carries_the_customer_and_the_lines() {
    let (mut s, _) = planned_shipment();
    s.status = ShipmentStatus::Packed;
    let t = s.apply(&dispatch_cmd()).unwrap();
    let EventPayload::ShipmentDispatched {
        customer_id, lines, ..
    } = &t.events[0].payload
    else {
        panic!("not a dispatch event: {:?}", t.events[0].payload);
    };
    assert_eq!(customer_id, "C-1");
    type Shown<'a> = (&'a str, &'a str, Decimal, Vec<(&'a str, Decimal)>);
    let got: Vec<Shown<'_>> = lines
        .iter()
        .map(|l| {
            let b = l.batches.iter().map(|b| (b.batch_id.as_str(), b.quantity));
            (l.line_id.as_str(), l.sku.as_str(), l.quantity, b.collect())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("L1", "A", d(5), vec![("B1", d(3)), ("B2", d(2))]),
            ("L2", "B", d(2), vec![("C1", d(2))]),
        ]
    );
    assert_eq!(lines[0].batches[0].expiry_date, Some(date("2026-09-01")));
}

/// Fails before the change: fulfilment had its own event type without an
/// aggregate kind or an audience, so a host could not route shipment events
/// with the rest of the journey's.
#[test]
fn shipment_and_plan_events_are_domain_events_with_kind_and_audience() {
    let (s, _) = planned_shipment();
    let picked = s
        .apply(&ShipmentCommand::ConfirmPicked { at: at(10) })
        .unwrap();
    let e = &picked.events[0];
    assert_eq!(e.aggregate_kind, AggregateKind::Shipment);
    assert_eq!(e.aggregate_id, s.id);
    assert_eq!(e.payload.audience(), Audience::Seller);
    let mut packed = s.clone();
    packed.status = ShipmentStatus::Packed;
    let dispatched = packed.apply(&dispatch_cmd()).unwrap();
    let e = &dispatched.events[0];
    assert_eq!(e.aggregate_kind, AggregateKind::Shipment);
    assert_eq!(e.payload.audience(), Audience::Buyer);
    let json = serde_json::to_value(e).unwrap();
    assert_eq!(json["aggregate_kind"], "shipment");
    assert_eq!(json["payload"]["type"], "shipment_dispatched");
    let at_text = json["at"].as_str().unwrap();
    assert_eq!(at_text, "2026-03-01T12:00:00Z");
    assert_eq!(
        DateTime::parse_from_rfc3339(at_text).unwrap(),
        at(12).fixed_offset()
    );
    // The plan's event belongs to the order.
    let plan = allocate(&input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("a1", 5)])],
    ))
    .unwrap();
    assert_eq!(plan.events[0].aggregate_kind, AggregateKind::Order);
    assert_eq!(plan.events[0].payload.audience(), Audience::Seller);
}

#[test]
fn shipment_happy_path_with_qc_and_ledger() {
    let (s, ledger) = planned_shipment();
    assert_eq!(s.status, ShipmentStatus::Planned);
    let pick = s.picking_list();
    let bins: Vec<Option<&str>> = pick.iter().map(|p| p.bin.as_deref()).collect();
    assert_eq!(bins, vec![Some("R1-01"), Some("R2-05"), None]);
    assert_eq!(pick[1].quantity, d(3)); // FEFO: B1 first (3), then B2 (2)
    let t = s
        .apply_with_ledger(&ShipmentCommand::ConfirmPicked { at: at(10) }, &ledger)
        .unwrap();
    assert_eq!(t.events[0].sequence, 1);
    let s = t.shipment;
    // QC: one unit of B2 fails and goes back to allocation
    let t = s
        .apply_with_ledger(
            &ShipmentCommand::RecordQc {
                at: at(10),
                results: vec![
                    QcResult {
                        line_id: "L1".into(),
                        batch_id: Some("B2".into()),
                        failed_quantity: d(1),
                        note: Some("dented".into()),
                    },
                    QcResult {
                        line_id: "L2".into(),
                        batch_id: None,
                        failed_quantity: d(0),
                        note: None,
                    },
                ],
            },
            &ledger,
        )
        .unwrap();
    assert_eq!(t.returned_to_allocation.len(), 1);
    assert_eq!(t.returned_to_allocation[0].quantity, d(1));
    // The failed unit goes on hold, out of released stock: B2 had 10 on
    // hand with 2 reserved (8 available); now 9 on hand, 1 reserved, still
    // 8 available, and the hold batch has the failed unit.
    assert_eq!(t.quarantine.len(), 1);
    assert!(t.release.is_empty());
    assert_eq!(ledger.available("W1", "A", "B2").unwrap(), d(8));
    assert_eq!(ledger.available("W1", "A", "B2~qc-hold").unwrap(), d(0));
    let s = t.shipment;
    assert_eq!(s.status, ShipmentStatus::Picked);
    assert_eq!(s.lines[0].quantity, d(4));
    assert_eq!(s.lines[0].qc.as_ref().unwrap().failed, d(1));
    // packing must match what ships
    let e = s.apply(&pack_cmd(5, 2)).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("PACKING_MISMATCH", Some("command.packages"))
    );
    let t = s.apply(&pack_cmd(4, 2)).unwrap();
    let s = t.shipment;
    assert_eq!(s.packages[0].weight_kg, d(2)); // 4 × 0.5 computed
    assert_eq!(s.packages[0].instructions, vec!["fragile", "keep dry"]);
    assert_eq!(s.weight_kg(), d(4));
    let docs = documents(&s, &EwayBillSettings::default()).unwrap();
    assert!(docs.consignment_note.is_none());
    assert_eq!(docs.shipping_label.package_count, 2);
    assert!(docs.shipping_label.awb.is_none());
    // dispatch consumes the reservations
    let t = s.apply_with_ledger(&dispatch_cmd(), &ledger).unwrap();
    assert_eq!(t.consume.len(), 3);
    assert!(matches!(
        t.events[0].payload,
        EventPayload::ShipmentDispatched { .. }
    ));
    assert_eq!(t.events[0].sequence, 4);
    let snap = ledger.snapshot(None).unwrap();
    let a = &snap.items[0].batches;
    assert_eq!((a[0].on_hand, a[0].reserved), (d(0), d(0))); // B1: 3 shipped
    assert_eq!((a[1].on_hand, a[1].reserved), (d(8), d(0))); // B2: 1 shipped, 1 failed QC
    assert_eq!(a[2].batch_id, "B2~qc-hold");
    assert_eq!((a[2].on_hand, a[2].reserved), (d(1), d(0)));
    assert_eq!(a[2].quality, QualityStatus::OnHold);
    assert_eq!(a[2].expiry_date, Some(date("2026-12-01")));
    assert!(ledger.reservations("SO-1").unwrap().is_empty());
    let s = t.shipment;
    let docs = documents(&s, &EwayBillSettings::default()).unwrap();
    let cn = docs.consignment_note.unwrap();
    assert_eq!(cn.consignment_number, "AWB123");
    assert_eq!(docs.shipping_label.awb.as_deref(), Some("AWB123"));
    assert!(docs.delivery_challan.is_none());
    // 4 × 10,000 @ 12% + 2 × 1,000 @ 18% = 44,800 + 2,360
    assert_eq!(docs.eway_bill.consignment_value, Decimal::new(4_716_000, 2));
    assert!(!docs.eway_bill.required);
    // tracking
    let t = s
        .apply(&ShipmentCommand::CarrierStatus {
            update: CarrierUpdate {
                at: at(15),
                status: "in_transit".into(),
                location: Some("Pune hub".into()),
                note: None,
            },
        })
        .unwrap();
    let s = t.shipment;
    assert_eq!(s.status, ShipmentStatus::Dispatched);
    assert_eq!(s.tracking.len(), 1);
    let t = s.apply(&ShipmentCommand::Deliver { at: at(20) }).unwrap();
    assert_eq!(t.events[0].sequence, 6);
    let s = t.shipment;
    assert_eq!(s.status, ShipmentStatus::Delivered);
    let statuses: Vec<ShipmentStatus> = s.history.iter().map(|h| h.status).collect();
    assert_eq!(
        statuses,
        vec![
            ShipmentStatus::Picked,
            ShipmentStatus::Packed,
            ShipmentStatus::Dispatched,
            ShipmentStatus::Delivered
        ]
    );
    let t = s
        .apply(&ShipmentCommand::Return {
            at: at(22),
            reason: "refused".into(),
        })
        .unwrap();
    assert_eq!(t.shipment.status, ShipmentStatus::Returned);
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(
        serde_json::from_str::<ShipmentTransition>(&json).unwrap(),
        t
    );
}

#[test]
fn every_illegal_transition_is_rejected() {
    use ShipmentStatus as S;
    let cmds = vec![
        ShipmentCommand::ConfirmPicked { at: at(1) },
        ShipmentCommand::RecordQc {
            at: at(1),
            results: vec![],
        },
        pack_cmd(5, 2),
        dispatch_cmd(),
        ShipmentCommand::CarrierStatus {
            update: CarrierUpdate {
                at: at(1),
                status: "x".into(),
                location: None,
                note: None,
            },
        },
        ShipmentCommand::Deliver { at: at(1) },
        ShipmentCommand::Return {
            at: at(1),
            reason: "r".into(),
        },
        ShipmentCommand::Cancel {
            at: at(1),
            reason: "r".into(),
        },
    ];
    let allowed = |s: S, c: &ShipmentCommand| -> bool {
        match c {
            ShipmentCommand::ConfirmPicked { .. } => s == S::Planned,
            ShipmentCommand::RecordQc { .. } | ShipmentCommand::Pack { .. } => s == S::Picked,
            ShipmentCommand::Dispatch { .. } => s == S::Packed,
            ShipmentCommand::CarrierStatus { .. } => {
                matches!(s, S::Dispatched | S::Delivered | S::Returned)
            }
            ShipmentCommand::Deliver { .. } => s == S::Dispatched,
            ShipmentCommand::Return { .. } => matches!(s, S::Dispatched | S::Delivered),
            ShipmentCommand::Cancel { .. } => matches!(s, S::Planned | S::Picked | S::Packed),
        }
    };
    let (base, _) = planned_shipment();
    for status in [
        S::Planned,
        S::Picked,
        S::Packed,
        S::Dispatched,
        S::Delivered,
        S::Returned,
        S::Cancelled,
    ] {
        let mut s = base.clone();
        s.status = status;
        for c in &cmds {
            let r = s.apply(c);
            if allowed(status, c) {
                let t = r.unwrap_or_else(|e| panic!("{status:?} {c:?}: {e:?}"));
                let expected = match c {
                    ShipmentCommand::ConfirmPicked { .. } => S::Picked,
                    ShipmentCommand::Pack { .. } => S::Packed,
                    ShipmentCommand::Dispatch { .. } => S::Dispatched,
                    ShipmentCommand::Deliver { .. } => S::Delivered,
                    ShipmentCommand::Return { .. } => S::Returned,
                    ShipmentCommand::Cancel { .. } => S::Cancelled,
                    ShipmentCommand::RecordQc { .. } | ShipmentCommand::CarrierStatus { .. } => {
                        status
                    }
                };
                assert_eq!(t.shipment.status, expected, "{status:?} {c:?}");
                assert_eq!(t.events.len(), 1);
                assert_eq!(t.shipment.last_sequence, s.last_sequence + 1);
                if expected != status {
                    assert_eq!(t.shipment.history.last().map(|h| h.status), Some(expected));
                }
            } else {
                let e = r.unwrap_err();
                assert_eq!(
                    (e.code(), e.field()),
                    ("ILLEGAL_TRANSITION", Some("command"))
                );
                assert_eq!(s.status, status);
            }
        }
    }
}

#[test]
fn cancel_releases_reservations() {
    let (s, ledger) = planned_shipment();
    assert_eq!(ledger.available("W1", "A", "B1").unwrap(), d(0));
    let t = s
        .apply_with_ledger(
            &ShipmentCommand::Cancel {
                at: at(9),
                reason: "customer".into(),
            },
            &ledger,
        )
        .unwrap();
    assert_eq!(t.shipment.status, ShipmentStatus::Cancelled);
    assert_eq!(t.returned_to_allocation.len(), 3);
    assert_eq!(ledger.available("W1", "A", "B1").unwrap(), d(3));
    assert!(ledger.reservations("SO-1").unwrap().is_empty());
}

#[test]
fn shipment_errors_name_fields() {
    let (s, _) = planned_shipment();
    let s = s
        .apply(&ShipmentCommand::ConfirmPicked { at: at(1) })
        .unwrap()
        .shipment;
    let qc = |line: &str, batch: Option<&str>, q: i64| ShipmentCommand::RecordQc {
        at: at(2),
        results: vec![QcResult {
            line_id: line.into(),
            batch_id: batch.map(Into::into),
            failed_quantity: d(q),
            note: None,
        }],
    };
    let e = s.apply(&qc("L1", None, 1)).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("MISSING_FIELD", Some("command.results[0].batch_id"))
    );
    let e = s.apply(&qc("L9", None, 1)).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("command.results[0].line_id"))
    );
    let e = s.apply(&qc("L1", Some("B1"), 4)).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (
            "INVALID_QUANTITY",
            Some("command.results[0].failed_quantity")
        )
    );
    let e = s.apply(&qc("L1", Some("B1"), -1)).unwrap_err();
    assert_eq!(e.code(), "INVALID_QUANTITY");
    let e = s
        .apply(&ShipmentCommand::Pack {
            at: at(3),
            packages: vec![],
        })
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("MISSING_FIELD", Some("command.packages"))
    );
    let mut dup = pack_cmd(5, 2);
    if let ShipmentCommand::Pack { packages, .. } = &mut dup {
        packages[1].package_id = "P1".into();
    }
    let e = s.apply(&dup).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("DUPLICATE_ID", Some("command.packages[1].package_id"))
    );
    let mut bad = pack_cmd(5, 2);
    if let ShipmentCommand::Pack { packages, .. } = &mut bad {
        packages[0].contents[0].line_id = "L7".into();
    }
    let e = s.apply(&bad).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (
            "UNKNOWN_LINE",
            Some("command.packages[0].contents[0].line_id")
        )
    );
    let s = s.apply(&pack_cmd(5, 2)).unwrap().shipment;
    let e = s
        .apply(&ShipmentCommand::Dispatch {
            at: at(4),
            carrier: String::new(),
            tracking_number: "T".into(),
            vehicle_number: None,
            transporter_id: None,
            transport_mode: TransportMode::Road,
            distance_km: None,
        })
        .unwrap_err();
    assert_eq!((e.code(), e.field()), ("EMPTY_ID", Some("command.carrier")));
    // ledger refusal leaves the shipment as it was
    let empty = ReservationLedger::new(&StockSnapshot::default()).unwrap();
    let e = s.apply_with_ledger(&dispatch_cmd(), &empty).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_STOCK");
    assert_eq!(s.status, ShipmentStatus::Packed);
    // create_shipments errors
    let (base, _) = planned_shipment();
    let plan_like = AllocationPlan {
        order_id: "O".into(),
        customer_id: String::new(),
        shipments: vec![PlannedShipment {
            warehouse_id: "W1".into(),
            lines: vec![PlannedLine {
                line_id: "L1".into(),
                sku: "A".into(),
                quantity: d(1),
                batches: vec![],
            }],
            weight_kg: d(0),
            estimated_cost: None,
            distance_m: None,
            lead_time_days: 0,
        }],
        backorders: vec![],
        lines: vec![],
        fully_allocated: true,
        estimated_cost: None,
        cost_currency: "INR".into(),
        optimality: Optimality::Optimal,
        explanation: AllocationExplanation {
            strategy: Strategy::FewestShipments,
            method: SearchMethod::Exact,
            cost_basis: CostBasis::None,
            exact_bound: 12,
            sets_evaluated: 0,
            candidates: vec![],
            exclusions: vec![],
            skipped_batches: vec![],
            chosen: vec![],
            reasons: vec![],
            tie_breaks: vec![],
        },
    };
    let mk = |lines: Vec<ShipmentLineInfo>, whs: Vec<Warehouse>, ids: Option<Vec<String>>| {
        create_shipments(&CreateShipments {
            plan: plan_like.clone(),
            warehouses: whs,
            ship_to: base.to.clone(),
            lines,
            purpose: ShipmentPurpose::Sale,
            shipment_ids: ids,
            packaging_instructions: vec![],
            order_discount_rate: Decimal::ZERO,
        })
    };
    let e = mk(vec![line_info("L1", 1, 5)], vec![], None).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_WAREHOUSE", Some("plan.shipments[0].warehouse_id"))
    );
    let e = mk(vec![], vec![wh("W1", 1, None)], None).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("plan.shipments[0].lines[0].line_id"))
    );
    let e = mk(
        vec![line_info("L1", 1, 5)],
        vec![wh("W1", 1, None)],
        Some(vec![]),
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_SETTING", Some("shipment_ids"))
    );
    let e = mk(vec![line_info("L1", 1, 101)], vec![wh("W1", 1, None)], None).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_QUANTITY", Some("lines[0].gst_rate_percent"))
    );
    let e = mk(vec![line_info("L1", -1, 5)], vec![wh("W1", 1, None)], None).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_QUANTITY", Some("lines[0].unit_value"))
    );
    let s = mk(vec![line_info("L1", 1, 5)], vec![wh("W1", 1, None)], None).unwrap();
    assert_eq!(s[0].id, "O-W1");
    let e = eway_bill(
        &s[0],
        &EwayBillSettings {
            threshold: d(-1),
            intra_state_thresholds: vec![],
        },
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_QUANTITY", Some("settings.threshold"))
    );
    let e = FulfilmentError::Overflow { field: "x".into() };
    assert_eq!(e.code(), "OVERFLOW");
}

#[test]
fn eway_bill_threshold_and_data() {
    let (mut s, _) = planned_shipment();
    // exactly 50,000 including tax: not required
    s.lines[0].info.unit_value = d(10_000);
    s.lines[0].info.gst_rate_percent = d(0);
    s.lines[1].info.unit_value = d(0);
    let a = eway_bill(&s, &EwayBillSettings::default()).unwrap();
    assert_eq!(a.consignment_value, Decimal::new(5_000_000, 2));
    assert!(!a.required);
    s.lines[1].info.unit_value = Decimal::new(1, 2);
    s.lines[1].quantity = d(1);
    let a = eway_bill(&s, &EwayBillSettings::default()).unwrap();
    assert!(a.required, "{}", a.reason);
    assert!(a.missing.iter().any(|m| m.contains("dispatch")));
    assert_eq!(a.data.from_pincode, "400001");
    assert_eq!(a.data.to_pincode, "560001");
    assert_eq!(a.data.from_gstin.as_deref(), Some("27AAAAA0000A1Z5"));
    assert_eq!(a.data.items[0].hsn.as_deref(), Some("3004"));
    // an intra-state move uses the state's own threshold
    s.to.address.state_code = "27".into();
    let settings = EwayBillSettings {
        threshold: d(50_000),
        intra_state_thresholds: vec![StateThreshold {
            state_code: "27".into(),
            threshold: d(100_000),
        }],
    };
    let a = eway_bill(&s, &settings).unwrap();
    assert!(!a.required);
    assert_eq!(a.threshold, d(100_000));
    assert!(a.reason.contains("intra-state"));
}

#[test]
fn eway_bill_leaves_services_out() {
    // Issue 21 item 4: a consignment of services (SAC 999900) worth
    // ₹1,18,000 needs no e-way bill.
    let (mut s, _) = planned_shipment();
    s.lines.truncate(1);
    s.lines[0].quantity = d(1);
    s.lines[0].info.hsn = Some("999900".into());
    s.lines[0].info.unit_value = d(100_000);
    s.lines[0].info.gst_rate_percent = d(18);
    let a = eway_bill(&s, &EwayBillSettings::default()).unwrap();
    assert!(!a.required, "{}", a.reason);
    assert_eq!(a.consignment_value, d(0));
    assert!(a.data.items.is_empty());
    assert!(a.reason.contains("services only"), "{}", a.reason);
    // Goods next to the service: only the goods count.
    let (mut g, _) = planned_shipment();
    g.lines[0].info.hsn = Some("999900".into());
    g.lines[0].info.unit_value = d(100_000);
    g.lines[1].info.unit_value = d(10);
    g.lines[1].info.gst_rate_percent = d(0);
    let a = eway_bill(&g, &EwayBillSettings::default()).unwrap();
    assert!(!a.required, "{}", a.reason);
    assert_eq!(a.consignment_value, Decimal::new(2000, 2));
    assert_eq!(a.data.items.len(), 1);
    assert!(a.reason.contains("1 service line(s)"), "{}", a.reason);
}

#[test]
fn challan_for_stock_transfer() {
    let (mut s, _) = planned_shipment();
    s.purpose = ShipmentPurpose::StockTransfer;
    let docs = documents(&s, &EwayBillSettings::default()).unwrap();
    let c = docs.delivery_challan.unwrap();
    assert_eq!(c.purpose, ShipmentPurpose::StockTransfer);
    assert_eq!(c.lines.len(), 2);
    assert_eq!(c.total_value, d(52_000));
    assert_eq!(docs.packing_slip.lines[0].value, d(50_000));
}

#[test]
fn ops_ship_and_transition_json() {
    let (s, _) = planned_shipment();
    let out = ops::transition(ops::TransitionInput {
        shipment: s.clone(),
        command: ShipmentCommand::ConfirmPicked { at: at(1) },
    })
    .unwrap();
    assert_eq!(out.shipment.status, ShipmentStatus::Picked);
    let json = r#"{"type": "deliver", "at": "2026-03-01T10:00:00Z"}"#;
    let cmd: ShipmentCommand = serde_json::from_str(json).unwrap();
    let e = ops::transition(ops::TransitionInput {
        shipment: s.clone(),
        command: cmd,
    })
    .unwrap_err();
    assert_eq!(e.code(), "ILLEGAL_TRANSITION");
    let docs = ops::documents(ops::DocumentsInput {
        shipment: s.clone(),
        eway_bill: EwayBillSettings::default(),
    })
    .unwrap();
    assert!(docs.eway_bill.required);
    // ship: plan → bundles
    let i = input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("x", 2)])],
    );
    let plan = run(&i);
    let ship_json = serde_json::json!({
        "plan": plan,
        "warehouses": i.warehouses,
        "ship_to": {"name": "B", "address": {"state_code": "29", "pincode": "560001"}},
        "lines": [{"line_id": "L1", "description": "Thing", "unit_value": "10"}],
    });
    let input: ops::ShipInput = serde_json::from_value(ship_json).unwrap();
    let out = ops::ship(input).unwrap();
    assert_eq!(out.shipments.len(), 1);
    assert_eq!(out.shipments[0].picking_list.len(), 1);
    assert_eq!(
        out.shipments[0].documents.eway_bill.consignment_value,
        Decimal::new(1000, 2)
    );
}

// ---------------------------------------------------------------- properties

/// A random small instance: unique skus per line, fixed costs only.
fn arb_instance() -> impl PropStrategy<Value = AllocationInput> {
    let nw = 1usize..7;
    let nl = 1usize..5;
    (nw, nl).prop_flat_map(|(nw, nl)| {
        (
            proptest::collection::vec(1i64..20, nl),
            proptest::collection::vec((0u32..4, 1i64..30), nw),
            proptest::collection::vec(proptest::collection::vec(0i64..12, 0..3), nw * nl),
            proptest::collection::vec(0u8..4, nw * nl),
        )
            .prop_map(move |(qty, whp, stock, quality)| {
                let lines = (0..nl)
                    .map(|l| line(&format!("L{l}"), &format!("S{l}"), qty[l]))
                    .collect();
                let whs = (0..nw)
                    .map(|w| wh(&format!("W{w}"), whp[w].0, Some(whp[w].1)))
                    .collect();
                let mut items = Vec::new();
                for w in 0..nw {
                    for l in 0..nl {
                        let bs = &stock[w * nl + l];
                        if bs.is_empty() {
                            continue;
                        }
                        let batches = bs
                            .iter()
                            .enumerate()
                            .map(|(k, q)| {
                                let mut b = batch(&format!("B{k}"), *q);
                                if quality[w * nl + l] == 0 && k == 0 {
                                    b.quality = QualityStatus::OnHold;
                                }
                                if k == 1 {
                                    b.reserved = d(1).min(b.on_hand);
                                }
                                b
                            })
                            .collect();
                        items.push(item(&format!("W{w}"), &format!("S{l}"), batches));
                    }
                }
                input(lines, whs, items)
            })
    })
}

/// Brute force: usable per (line, warehouse), then every subset.
fn brute_force(i: &AllocationInput) -> (Decimal, usize, Decimal) {
    let nw = i.warehouses.len();
    let avail = |l: &AllocationLine, w: &Warehouse| -> Decimal {
        i.stock
            .items
            .iter()
            .filter(|it| it.warehouse_id == w.id && it.sku == l.sku)
            .flat_map(|it| it.batches.iter())
            .map(|b| b.available())
            .sum()
    };
    let coverable: Vec<Decimal> = i
        .request
        .lines
        .iter()
        .map(|l| {
            let s: Decimal = i.warehouses.iter().map(|w| avail(l, w)).sum();
            s.min(l.quantity)
        })
        .collect();
    let total_cover: Decimal = coverable.iter().copied().sum();
    let mut best: Option<(usize, Decimal)> = None;
    for mask in 0u32..(1 << nw) {
        let members: Vec<&Warehouse> = (0..nw)
            .filter(|w| mask & (1 << w) != 0)
            .map(|w| &i.warehouses[w])
            .collect();
        let covers = i
            .request
            .lines
            .iter()
            .zip(&coverable)
            .all(|(l, c)| members.iter().map(|w| avail(l, w)).sum::<Decimal>() >= *c);
        if !covers {
            continue;
        }
        let k = members.len();
        let cost: Decimal = members.iter().map(|w| w.shipping_rates[0].fixed).sum();
        let better = match best {
            None => true,
            Some((bk, bc)) => (k, cost) < (bk, bc),
        };
        if better {
            best = Some((k, cost));
        }
    }
    let (k, c) = best.unwrap_or((0, Decimal::ZERO));
    (total_cover, k, c)
}

fn check_invariants(i: &AllocationInput, p: &AllocationPlan) -> Result<(), TestCaseError> {
    // never more than available per batch
    for s in &p.shipments {
        for l in &s.lines {
            let sum: Decimal = l.batches.iter().map(|b| b.quantity).sum();
            prop_assert_eq!(sum, l.quantity);
        }
    }
    for it in &i.stock.items {
        for b in &it.batches {
            let taken: Decimal = p
                .shipments
                .iter()
                .filter(|s| s.warehouse_id == it.warehouse_id)
                .flat_map(|s| s.lines.iter().filter(|l| l.sku == it.sku))
                .flat_map(|l| l.batches.iter().filter(|x| x.batch_id == b.batch_id))
                .map(|x| x.quantity)
                .sum();
            prop_assert!(
                taken <= b.available(),
                "batch {} over-allocated",
                b.batch_id
            );
        }
    }
    // allocated + backordered = ordered, never more than ordered
    for (la, l) in p.lines.iter().zip(&i.request.lines) {
        prop_assert_eq!(la.ordered, l.quantity);
        prop_assert_eq!(la.allocated + la.backordered, la.ordered);
        prop_assert!(la.allocated <= la.ordered);
        prop_assert!(la.backordered >= Decimal::ZERO);
        let shipped: Decimal = p
            .shipments
            .iter()
            .flat_map(|s| s.lines.iter().filter(|x| x.line_id == l.line_id))
            .map(|x| x.quantity)
            .sum();
        prop_assert_eq!(shipped, la.allocated);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn exact_equals_brute_force(i in arb_instance()) {
        let p = allocate(&i).unwrap().plan;
        check_invariants(&i, &p)?;
        let (cover, k, cost) = brute_force(&i);
        let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
        prop_assert_eq!(allocated, cover);
        prop_assert_eq!(p.shipments.len(), k);
        if k > 0 {
            prop_assert_eq!(p.optimality, Optimality::Optimal);
            prop_assert_eq!(p.estimated_cost, Some(cost));
        }
    }

    #[test]
    fn every_strategy_keeps_invariants(i in arb_instance(), s in 0u8..4, complete in any::<bool>(), partial in any::<bool>()) {
        let mut i = i;
        i.strategy = match s { 0 => Strategy::Priority, 1 => Strategy::Nearest, 2 => Strategy::SingleWarehouse, _ => Strategy::FewestShipments };
        i.request.delivery.ship_complete = complete;
        i.request.delivery.allow_partial_shipments = partial;
        let p = allocate(&i).unwrap().plan;
        check_invariants(&i, &p)?;
        if complete || !partial || i.strategy == Strategy::SingleWarehouse {
            prop_assert!(p.shipments.len() <= 1);
        }
        if complete && !p.shipments.is_empty() {
            prop_assert!(p.fully_allocated);
        }
    }

    #[test]
    fn greedy_covers_the_same_and_never_beats_exact(i in arb_instance(), bound in 0usize..4) {
        let exact = allocate(&i).unwrap().plan;
        let mut g = i.clone();
        g.settings.exact_max_candidates = bound; // 0: pure greedy; else greedy + refinement
        let greedy = allocate(&g).unwrap().plan;
        check_invariants(&g, &greedy)?;
        let a: Decimal = exact.lines.iter().map(|l| l.allocated).sum();
        let b: Decimal = greedy.lines.iter().map(|l| l.allocated).sum();
        prop_assert_eq!(a, b);
        prop_assert!(greedy.shipments.len() >= exact.shipments.len());
    }

}

#[test]
fn json_schemas_generate() {
    let names = [
        serde_json::to_string(&schemars::schema_for!(AllocationInput)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(AllocationOutcome)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(ops::ShipInput)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(ops::ShipOutput)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(ops::TransitionInput)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(ShipmentTransition)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(ShipmentDocuments)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(crate::inventory::StockUpdate)).unwrap(),
        serde_json::to_string(&schemars::schema_for!(crate::inventory::StockUpdateReport)).unwrap(),
    ];
    assert!(names[0].contains("exact_max_candidates"));
    assert!(names[5].contains("returned_to_allocation"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The search returns exactly the minimum-size covers a brute force finds,
    /// on matrices mixing binary rows (all-or-nothing) and quantity rows.
    #[test]
    fn exact_search_finds_every_minimum_cover(
        n in 1usize..10,
        rows in proptest::collection::vec((proptest::collection::vec(0i128..4, 10), 1i128..6), 1..7),
    ) {
        let need: Vec<i128> = rows
            .iter()
            .map(|(vals, nr)| (*nr).min(vals.iter().take(n).sum::<i128>()).max(0))
            .collect();
        let matrix: Vec<i128> = rows.iter().flat_map(|(vals, _)| vals.iter().take(n).copied()).collect();
        let (found, _) = super::allocate::exact_sets(&matrix, &need, n);
        let covers = |m: u32| {
            need.iter().enumerate().all(|(r, nr)| {
                (0..n).filter(|c| m & (1 << c) != 0).map(|c| matrix[r * n + c]).sum::<i128>() >= *nr
            })
        };
        let active = need.iter().any(|&x| x > 0);
        let mut brute: Vec<Vec<usize>> = Vec::new();
        if active {
            for k in 1..=n {
                for m in 0u32..(1 << n) {
                    if m.count_ones() as usize == k && covers(m) {
                        brute.push((0..n).filter(|c| m & (1 << c) != 0).collect());
                    }
                }
                if !brute.is_empty() {
                    break;
                }
            }
        }
        let mut got = found.clone();
        got.sort();
        brute.sort();
        prop_assert_eq!(got, brute);
    }
}

#[test]
fn duplicate_stock_item_is_rejected() {
    let mut i = input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("x", 2)])],
    );
    i.stock.items.push(item("W1", "A", vec![batch("y", 2)]));
    let e = allocate(&i).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("DUPLICATE_ID", Some("stock.items[1].sku"))
    );
}

#[test]
fn absurd_weights_overflow_as_an_error() {
    let mut l = line("L1", "A", 1);
    l.quantity = Decimal::MAX;
    l.weight_per_unit_kg = Decimal::MAX;
    let mut i = input(
        vec![l],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("x", 1)])],
    );
    i.stock.items[0].batches[0].on_hand = Decimal::MAX;
    let e = allocate(&i).unwrap_err();
    assert_eq!((e.code(), e.field()), ("OVERFLOW", Some("plan.weight_kg")));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any decimals (huge, tiny, negative, precise) give a plan or a typed
    /// error, never a panic; a plan keeps the invariants.
    #[test]
    fn no_panic_on_extreme_decimals(
        q in proptest::collection::vec((any::<i64>(), 0u32..12, any::<i64>(), 0u32..12), 1..4),
        stock in proptest::collection::vec((any::<i64>(), 0u32..10), 1..4),
        fixed in any::<i64>(),
        per_kg in any::<i64>(),
        s in 0u8..4,
    ) {
        let lines = q
            .iter()
            .enumerate()
            .map(|(k, (m, sc, w, wsc))| {
                let mut l = line(&format!("L{k}"), &format!("S{}", k % 2), 1);
                l.quantity = Decimal::new(*m, *sc).checked_mul(Decimal::from(1_000_000_000_000i64)).unwrap_or(Decimal::MAX);
                l.weight_per_unit_kg = Decimal::new(*w, *wsc).abs();
                l
            })
            .collect();
        let mut w = wh("W1", 1, Some(0));
        w.shipping_rates[0].fixed = Decimal::from(fixed);
        w.shipping_rates[0].per_kg = Decimal::new(per_kg, 2);
        let items = vec![
            item("W1", "S0", stock.iter().enumerate().map(|(k, (m, sc))| {
                let mut b = batch(&format!("B{k}"), 0);
                b.on_hand = Decimal::new(*m, *sc).checked_mul(Decimal::from(1_000_000_000_000i64)).unwrap_or(Decimal::MAX);
                b
            }).collect()),
            item("W2", "S1", vec![batch("B", 7)]),
        ];
        let mut i = input(lines, vec![w, wh("W2", 2, Some(3))], items);
        i.strategy = match s { 0 => Strategy::Priority, 1 => Strategy::Nearest, 2 => Strategy::SingleWarehouse, _ => Strategy::FewestShipments };
        if let Ok(out) = allocate(&i) {
            check_invariants(&i, &out.plan)?;
        }
    }
}

/// Two orders planned on the same snapshot: the second apply fails whole
/// with the lines that no longer fit; re-planning on a fresh snapshot works.
#[test]
fn stale_plan_fails_whole_and_replanning_backorders() {
    let stock = vec![
        item("W1", "A", vec![batch("a1", 10)]),
        item("W1", "B", vec![batch("b1", 10)]),
    ];
    let ledger = ReservationLedger::new(&StockSnapshot { items: stock }).unwrap();
    let skus = vec!["A".to_owned(), "B".to_owned()];
    let mk = |order: &str, qa: i64, qb: i64| {
        let mut i = input(
            vec![line("L1", "A", qa), line("L2", "B", qb)],
            vec![wh("W1", 1, None)],
            vec![],
        );
        i.request.order_id = order.into();
        i.stock = ledger.snapshot(Some(&skus)).unwrap();
        i
    };
    let p1 = run(&mk("O1", 6, 2));
    let p2 = run(&mk("O2", 6, 2));
    p1.reserve(&ledger).unwrap();
    let e = p2.reserve(&ledger).unwrap_err();
    assert_eq!(e.code(), "INSUFFICIENT_STOCK");
    match e {
        crate::inventory::InventoryError::InsufficientStock { shortfalls, .. } => {
            assert_eq!(shortfalls.len(), 1);
            assert_eq!(shortfalls[0].line_id, "L1");
            assert_eq!(shortfalls[0].available, d(4));
        }
        other => panic!("{other:?}"),
    }
    // nothing of O2 was reserved, B still has 8
    assert_eq!(ledger.available("W1", "B", "b1").unwrap(), d(8));
    let p2 = run(&mk("O2", 6, 2));
    assert_eq!(p2.lines[0].allocated, d(4));
    assert_eq!(p2.lines[0].backordered, d(2));
    p2.reserve(&ledger).unwrap();
    assert_eq!(ledger.available("W1", "A", "a1").unwrap(), d(0));
}

/// Wider instances: lines sharing skus, expiry and a customer shelf life,
/// an exclusion rule, a per-kg rate (the same for every warehouse, so a
/// set's cost does not depend on who ships what) or the distance basis.
fn arb_wide() -> impl PropStrategy<Value = AllocationInput> {
    (1usize..7, 1usize..5).prop_flat_map(|(nw, nl)| {
        (
            proptest::collection::vec((0usize..3, 1i64..15), nl),
            proptest::collection::vec(
                (0u32..3, 1i64..6, -50i32..50, -50i32..50, any::<bool>()),
                nw,
            ),
            proptest::collection::vec(proptest::collection::vec((0i64..10, 0u8..5), 0..3), nw * 3),
            (0u8..3, 0i64..300, any::<bool>()),
        )
            .prop_map(
                move |(lines, whp, stock, (shelf, per_kg_cents, distance))| {
                    let lines = lines
                        .iter()
                        .enumerate()
                        .map(|(l, (sku, q))| line(&format!("L{l}"), &format!("S{sku}"), *q))
                        .collect();
                    let per_kg = Decimal::new(per_kg_cents, 2);
                    let whs: Vec<Warehouse> = (0..nw)
                        .map(|w| {
                            let (prio, fixed, lat, lon, _) = whp[w];
                            let mut x = wh(&format!("W{w}"), prio, Some(fixed * 10));
                            if distance {
                                x.shipping_rates.clear();
                                x.location = Some(GeoPoint {
                                    lat: 12.0 + f64::from(lat) / 10.0,
                                    lon: 77.0 + f64::from(lon) / 10.0,
                                });
                            } else {
                                x.shipping_rates[0].per_kg = per_kg;
                            }
                            x
                        })
                        .collect();
                    let excluded: Vec<String> = (0..nw)
                        .filter(|&w| whp[w].4 && w % 3 == 0)
                        .map(|w| format!("W{w}"))
                        .collect();
                    let mut items = Vec::new();
                    for w in 0..nw {
                        for s in 0..3 {
                            let bs = &stock[w * 3 + s];
                            if bs.is_empty() {
                                continue;
                            }
                            let batches = bs
                                .iter()
                                .enumerate()
                                .map(|(k, (q, kind))| {
                                    let mut b = batch(&format!("B{k}"), *q);
                                    match kind {
                                        0 => b.expiry_date = Some(date("2026-02-20")), // expired
                                        1 => b.expiry_date = Some(date("2026-03-15")), // 14 days left
                                        2 => b.expiry_date = Some(date("2026-06-01")),
                                        3 => b.quality = QualityStatus::OnHold,
                                        _ => {}
                                    }
                                    b
                                })
                                .collect();
                            items.push(item(&format!("W{w}"), &format!("S{s}"), batches));
                        }
                    }
                    let mut i = input(lines, whs, items);
                    if distance {
                        i.request.destination.location = Some(GeoPoint {
                            lat: 12.97,
                            lon: 77.59,
                        });
                    }
                    i.request.min_remaining_shelf_life_days =
                        [None, Some(10), Some(30)][shelf as usize];
                    if !excluded.is_empty() {
                        i.rules.rules.push(RoutingRule {
                            id: "X".into(),
                            when: RuleCondition::default(),
                            action: RuleAction::Exclude {
                                warehouses: excluded,
                            },
                        });
                    }
                    i
                },
            )
    })
}

/// Brute force over every subset of eligible warehouses, with usable stock
/// computed independently (released, not expired, enough shelf life, minus
/// reserved): the most coverable quantity, then the fewest warehouses, the
/// lowest cost (Σ fixed + per kg × weight, or Σ distance), the best
/// priority, the smallest sorted ids. Returns (cover, chosen ids, cost).
fn brute_force_wide(i: &AllocationInput) -> (Decimal, Vec<String>, Decimal) {
    let excluded: Vec<&String> = i
        .rules
        .rules
        .iter()
        .flat_map(|r| match &r.action {
            RuleAction::Exclude { warehouses } => warehouses.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    let whs: Vec<&Warehouse> = i
        .warehouses
        .iter()
        .filter(|w| !excluded.contains(&&w.id))
        .collect();
    let shelf = i64::from(i.request.min_remaining_shelf_life_days.unwrap_or(0));
    let usable = |sku: &str, w: &Warehouse| -> Decimal {
        i.stock
            .items
            .iter()
            .filter(|it| it.warehouse_id == w.id && it.sku == sku)
            .flat_map(|it| it.batches.iter())
            .filter(|b| b.quality == QualityStatus::Released)
            .filter(|b| {
                b.expiry_date
                    .is_none_or(|e| (e - i.today).num_days() >= shelf.max(0) && e >= i.today)
            })
            .map(|b| (b.on_hand - b.reserved).max(Decimal::ZERO))
            .sum()
    };
    let mut skus: Vec<&str> = i.request.lines.iter().map(|l| l.sku.as_str()).collect();
    skus.sort_unstable();
    skus.dedup();
    let demand = |s: &str| -> Decimal {
        i.request
            .lines
            .iter()
            .filter(|l| l.sku == s)
            .map(|l| l.quantity)
            .sum()
    };
    let cover: Vec<Decimal> = skus
        .iter()
        .map(|s| {
            whs.iter()
                .map(|w| usable(s, w))
                .sum::<Decimal>()
                .min(demand(s))
        })
        .collect();
    let total: Decimal = cover.iter().copied().sum();
    let weight = total; // 1 kg a unit
    type Key = (usize, Decimal, u32, Vec<String>);
    let mut best: Option<Key> = None;
    for mask in 0u32..(1 << whs.len()) {
        let members: Vec<&Warehouse> = (0..whs.len())
            .filter(|w| mask & (1 << w) != 0)
            .map(|w| whs[w])
            .collect();
        if members.is_empty() && total > Decimal::ZERO {
            continue;
        }
        let covers = skus
            .iter()
            .zip(&cover)
            .all(|(s, c)| members.iter().map(|w| usable(s, w)).sum::<Decimal>() >= *c);
        if !covers {
            continue;
        }
        let cost: Decimal = if let Some(dest) = i.request.destination.location {
            members
                .iter()
                .map(|w| Decimal::from(w.location.unwrap().distance_m(&dest)))
                .sum()
        } else {
            let fixed: Decimal = members.iter().map(|w| w.shipping_rates[0].fixed).sum();
            let per_kg = members
                .first()
                .map(|w| w.shipping_rates[0].per_kg)
                .unwrap_or_default();
            fixed + per_kg * weight
        };
        let prio = members.iter().map(|w| w.priority).min().unwrap_or(u32::MAX);
        let mut ids: Vec<String> = members.iter().map(|w| w.id.clone()).collect();
        ids.sort();
        let key = (members.len(), cost, prio, ids);
        if best.as_ref().is_none_or(|b| key < *b) {
            best = Some(key);
        }
    }
    let (_, cost, _, ids) = best.unwrap_or((0, Decimal::ZERO, 0, Vec::new()));
    (total, ids, cost)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn exact_equals_brute_force_on_wide_instances(i in arb_wide()) {
        let p = allocate(&i).unwrap().plan;
        check_invariants(&i, &p)?;
        let (cover, ids, cost) = brute_force_wide(&i);
        let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
        prop_assert_eq!(allocated, cover);
        let mut got: Vec<String> = p.shipments.iter().map(|s| s.warehouse_id.clone()).collect();
        got.sort();
        // Same set: count, cost, then priority and ids as tie-breaks.
        prop_assert_eq!(got, ids);
        if !p.shipments.is_empty() {
            prop_assert_eq!(p.optimality, Optimality::Optimal);
            if i.request.destination.location.is_none() {
                prop_assert_eq!(p.estimated_cost, Some(cost));
            }
        }
    }
}

// ------------------------------------------- same-sku lines share stock

/// Issue 17 item 2: two lines of one sku that differ in weight are two
/// demand groups but draw on the same stock.
#[test]
fn same_sku_groups_share_stock_in_every_strategy() {
    let mut l2 = line("L2", "A", 8);
    l2.weight_per_unit_kg = Decimal::ONE;
    let mut l1 = line("L1", "A", 8);
    l1.weight_per_unit_kg = Decimal::ZERO;
    let mut i = input(
        vec![l1, l2],
        vec![wh("W1", 1, Some(100)), wh("W2", 2, Some(100))],
        vec![
            item("W1", "A", vec![batch("x", 10)]),
            item("W2", "A", vec![batch("y", 6)]),
        ],
    );
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W1", "W2"]);
    assert!(p.fully_allocated, "{:?}", p.backorders);
    assert_eq!(p.estimated_cost, Some(d(200)));
    let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
    assert_eq!(allocated, d(16));
    assert_eq!(p.optimality, Optimality::Optimal);
    for s in [Strategy::Priority, Strategy::Nearest] {
        i.strategy = s;
        let p = run(&i);
        assert!(p.fully_allocated, "{s:?}: {:?}", p.backorders);
        assert_eq!(whs_of(&p), vec!["W1", "W2"], "{s:?}");
    }
    // One warehouse: W1 gives its 10 to both lines, never 10 to each.
    i.strategy = Strategy::SingleWarehouse;
    let p = run(&i);
    let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
    assert_eq!(allocated, d(10));
    assert_eq!(whs_of(&p), vec!["W1"]);
}

/// A line that only one warehouse may serve keeps that warehouse's stock
/// when the other line of the sku can go elsewhere.
#[test]
fn same_sku_eligibility_is_respected_when_sharing() {
    let mut l1 = line("L1", "A", 8);
    l1.required_capabilities = vec!["cold".into()];
    let l2 = line("L2", "A", 8);
    let mut w1 = wh("W1", 1, Some(100));
    w1.capabilities = vec!["cold".into()];
    let i = input(
        vec![l2, l1],
        vec![w1, wh("W2", 2, Some(100))],
        vec![
            item("W1", "A", vec![batch("x", 10)]),
            item("W2", "A", vec![batch("y", 6)]),
        ],
    );
    let p = run(&i);
    assert!(p.fully_allocated, "{:?}", p.backorders);
    let w2: Decimal = p
        .shipments
        .iter()
        .filter(|s| s.warehouse_id == "W2")
        .flat_map(|s| s.lines.iter())
        .inspect(|l| assert_eq!(l.line_id, "L2"))
        .map(|l| l.quantity)
        .sum();
    assert_eq!(w2, d(6));
}

/// Random instances whose lines repeat skus with different weights,
/// shelf lives and eligible warehouses.
fn arb_shared() -> impl PropStrategy<Value = AllocationInput> {
    let nw = 1usize..5;
    let nl = 2usize..6;
    (nw, nl).prop_flat_map(|(nw, nl)| {
        (
            proptest::collection::vec((0usize..2, 1i64..12, 0u8..2, 0u8..3, 0u8..3), nl),
            proptest::collection::vec((0u32..3, 1i64..30, any::<bool>()), nw),
            proptest::collection::vec(proptest::collection::vec((0i64..10, 0u8..4), 0..3), nw * 2),
        )
            .prop_map(move |(ls, whp, stock)| {
                let lines = ls
                    .iter()
                    .enumerate()
                    .map(|(k, &(sku, q, w, shelf, cap))| {
                        let mut l = line(&format!("L{k}"), &format!("S{sku}"), q);
                        l.weight_per_unit_kg = d(i64::from(w));
                        l.min_remaining_shelf_life_days =
                            [None, Some(30), Some(90)][shelf as usize];
                        if cap == 0 {
                            l.required_capabilities = vec!["cold".into()];
                        }
                        l
                    })
                    .collect();
                let whs = whp
                    .iter()
                    .enumerate()
                    .map(|(k, &(prio, fixed, cold))| {
                        let mut w = wh(&format!("W{k}"), prio, Some(fixed));
                        if cold {
                            w.capabilities = vec!["cold".into()];
                        }
                        w
                    })
                    .collect();
                let mut items = Vec::new();
                for w in 0..nw {
                    for sku in 0..2 {
                        let bs = &stock[w * 2 + sku];
                        if bs.is_empty() {
                            continue;
                        }
                        let batches = bs
                            .iter()
                            .enumerate()
                            .map(|(k, &(q, exp))| {
                                let mut b = batch(&format!("B{k}"), q);
                                b.expiry_date = [
                                    None,
                                    Some("2026-03-20"),
                                    Some("2026-05-01"),
                                    Some("2026-09-01"),
                                ][exp as usize]
                                    .map(date);
                                b
                            })
                            .collect();
                        items.push(item(&format!("W{w}"), &format!("S{sku}"), batches));
                    }
                }
                input(lines, whs, items)
            })
    })
}

/// Brute force by Hall's theorem: what a set of warehouses can ship of a
/// sku is Σ demand − max over subsets T of its lines of (demand of T −
/// the set's stock some line of T may use); then the fewest warehouses
/// shipping the most, the cheapest of those.
fn brute_force_shared(i: &AllocationInput) -> (Decimal, usize, Decimal) {
    let nw = i.warehouses.len();
    let lines = &i.request.lines;
    let may_use = |l: &AllocationLine, w: &Warehouse, b: &StockBatch| -> bool {
        let caps_ok = l
            .required_capabilities
            .iter()
            .all(|c| w.capabilities.contains(c));
        let exp_ok = match (b.expiry_date, l.min_remaining_shelf_life_days) {
            (None, _) => true,
            (Some(e), days) => {
                e >= i.today && (e - i.today).num_days() >= i64::from(days.unwrap_or(0))
            }
        };
        caps_ok && exp_ok && b.quality == QualityStatus::Released
    };
    let flow = |mask: u32| -> Decimal {
        let mut total = Decimal::ZERO;
        for sku in ["S0", "S1"] {
            let ls: Vec<&AllocationLine> = lines.iter().filter(|l| l.sku == sku).collect();
            let demand: Decimal = ls.iter().map(|l| l.quantity).sum();
            let mut worst = Decimal::ZERO;
            for t in 1u32..(1 << ls.len()) {
                let d_t: Decimal = (0..ls.len())
                    .filter(|k| t & (1 << k) != 0)
                    .map(|k| ls[k].quantity)
                    .sum();
                let mut supply = Decimal::ZERO;
                for (wi, w) in i.warehouses.iter().enumerate() {
                    if mask & (1 << wi) == 0 {
                        continue;
                    }
                    for it in i
                        .stock
                        .items
                        .iter()
                        .filter(|it| it.warehouse_id == w.id && it.sku == sku)
                    {
                        for b in &it.batches {
                            if (0..ls.len()).any(|k| t & (1 << k) != 0 && may_use(ls[k], w, b)) {
                                supply += b.available();
                            }
                        }
                    }
                }
                worst = worst.max(d_t - supply);
            }
            total += demand - worst;
        }
        total
    };
    let all = flow((1 << nw) - 1);
    let mut best: Option<(usize, Decimal)> = None;
    for mask in 0u32..(1 << nw) {
        if flow(mask) != all {
            continue;
        }
        let k = mask.count_ones() as usize;
        let cost: Decimal = (0..nw)
            .filter(|w| mask & (1 << w) != 0)
            .map(|w| i.warehouses[w].shipping_rates[0].fixed)
            .sum();
        if best.is_none_or(|(bk, bc)| (k, cost) < (bk, bc)) {
            best = Some((k, cost));
        }
    }
    let (k, c) = best.unwrap_or((0, Decimal::ZERO));
    (
        all,
        if all.is_zero() { 0 } else { k },
        if all.is_zero() { Decimal::ZERO } else { c },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shared_skus_equal_brute_force(i in arb_shared(), s in 0u8..3) {
        let mut i = i;
        i.strategy = [Strategy::FewestShipments, Strategy::Priority, Strategy::Nearest][s as usize];
        let p = allocate(&i).unwrap().plan;
        check_invariants(&i, &p)?;
        let (most, k, cost) = brute_force_shared(&i);
        let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
        prop_assert_eq!(allocated, most);
        let nl = i.request.lines.len();
        if !p.backorders.is_empty() {
            let claim = format!("can ship {nl} of {nl} line(s) in full");
            prop_assert!(!p.explanation.reasons.iter().any(|r| r.contains(&claim)));
        }
        if i.strategy == Strategy::FewestShipments {
            prop_assert_eq!(p.shipments.len(), k);
            if k > 0 {
                prop_assert_eq!(p.optimality, Optimality::Optimal);
                prop_assert_eq!(p.estimated_cost, Some(cost));
            }
        }
    }
}

/// Issue 17 item 6: the e-way bill's values are after the order
/// discount's share, as the invoice of the shipment computes them.
#[test]
fn eway_bill_values_are_after_the_order_discount() {
    let (mut s, _) = planned_shipment();
    // L1 5 × 10,000 at 12 %, L2 2 × 1,000 at 18 %: gross 52,000.00.
    s.order_discount_rate = Decimal::new(2, 2); // 2 % → 1,040.00 off
    let a = eway_bill(&s, &EwayBillSettings::default()).unwrap();
    assert_eq!(a.data.items[0].taxable_value, d(49_000));
    assert_eq!(a.data.items[1].taxable_value, d(1_960));
    assert_eq!(a.data.taxable_value, d(50_960));
    // 49,000 × 12 % + 1,960 × 18 % = 5,880.00 + 352.80
    assert_eq!(a.data.tax_amount, Decimal::new(623_280, 2));
    assert_eq!(a.consignment_value, Decimal::new(5_719_280, 2));
    // The line data from an order line: the locked price per base unit,
    // unrounded (1816.46 per box of 10 → 181.646).
    let item: crate::order::OrderItem = serde_json::from_value(serde_json::json!({
        "line_id": "1", "sku": "G", "name": "Gloves", "hsn": "40151900",
        "gst_rate_class": "GST12", "gst_rate": "12", "unit": "BOX",
        "unit_factor": "10", "list_price": "200", "unit_price": "1816.46",
        "amount": "108987.60", "ordered": "60"
    }))
    .unwrap();
    let info = ShipmentLineInfo::from_order_item(&item, Some("NOS".into()), d(0));
    assert_eq!(info.unit_value, Decimal::new(181_646, 3));
    assert_eq!(info.hsn.as_deref(), Some("40151900"));
}
