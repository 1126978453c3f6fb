//! Allocation: strategies, batches (FEFO/FIFO), routing rules, costs and errors.

use super::*;

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
