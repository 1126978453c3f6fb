//! Order integration, line splitting, shortfalls, QC hold and distance.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::json;

use super::orders::{
    allocation_delivery, apply_dispatch, apply_plan, apply_returned, cancel_order, reserve_plan,
};
use super::tests::{at, batch, d, input, item, line, run, wh};
use super::*;
use crate::error::ErrorCode;
use crate::inventory::{GeoPoint, InventoryError, ReservationLedger, ReservationRequest};
use crate::order::{CancelLine, Lifecycle, Order};

/// A confirmed order: L1 = 4 cases of 10 base units of A, L2 = 3 units of B.
fn order() -> Order {
    let line = |id: &str, sku: &str, ordered: &str, factor: &str| {
        json!({"line_id": id, "sku": sku, "name": sku, "hsn": "3004", "gst_rate_class": "GST12",
               "gst_rate": "12", "free": false, "unit": "CASE", "unit_factor": factor,
               "list_price": "100", "unit_price": "100", "overridden": false, "amount": "100",
               "ordered": ordered, "allocated": "0", "shipped": "0", "invoiced": "0", "cancelled": "0"})
    };
    serde_json::from_value(json!({
        "id": "SO-1", "customer_id": "C-1", "segment": "distributor", "channel": "portal",
        "currency": "INR", "source": {"type": "cart", "cart_id": "CART-1"},
        "terms": {"payment_terms": {"id": "NET30", "instalments": [{"share": {"type": "percent", "percent": "100"}, "basis": "invoice_date", "days": 30}]}},
        "advance_due": "0", "delivery": {"ship_complete": false},
        "lines": [line("L1", "A", "4", "10"), line("L2", "B", "3", "1")],
        "totals": {"subtotal": "0", "order_discount": "0", "shipping": "0", "total_before_tax": "0", "gst": "0", "grand_total": "0"},
        "lifecycle": "confirmed", "created_at": "2026-03-01T09:00:00+05:30",
        "rounding": "half_up", "next_event_seq": 1
    }))
    .unwrap()
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-02T10:00:00+05:30").unwrap()
}

/// L1 needs 40 base units of A: W1 holds 20 (two batches), W2 30; L2's
/// sku B only W1 holds, so W1 ships 20 of L1 and W2 the other 20.
fn alloc_input() -> AllocationInput {
    input(
        vec![line("L1", "A", 40), line("L2", "B", 3)],
        vec![wh("W1", 1, Some(100)), wh("W2", 2, Some(100))],
        vec![
            item("W1", "A", vec![batch("a1", 10), batch("a2", 10)]),
            item("W1", "B", vec![batch("b1", 5)]),
            item("W2", "A", vec![batch("a9", 30)]),
        ],
    )
}

#[test]
fn plan_reservation_dispatch_and_cancel_update_the_order_and_ledger() {
    let o = order();
    let i = alloc_input();
    let plan = run(&i);
    assert_eq!(plan.shipments.len(), 2);
    let ledger = ReservationLedger::new(&i.stock).unwrap();
    let o = reserve_plan(&o, &plan, &ledger).unwrap();
    // 40 base units = 4 cases; 3 units of B.
    assert_eq!(o.lines[0].allocated, d(4));
    assert_eq!(o.lines[1].allocated, d(3));
    let reserved: Decimal = ledger
        .reservations("SO-1")
        .unwrap()
        .iter()
        .map(|r| r.quantity)
        .sum();
    assert_eq!(reserved, d(43));

    // Cancel 2 cases of L1: exactly 20 base units of A go back to stock.
    let before_a: Decimal = ["a1", "a2"]
        .iter()
        .map(|b| ledger.available("W1", "A", b).unwrap())
        .sum::<Decimal>()
        + ledger.available("W2", "A", "a9").unwrap();
    let t = cancel_order(
        &o,
        Some(&[CancelLine {
            line_id: "L1".into(),
            quantity: d(2),
        }]),
        "customer reduced the order",
        now(),
        &ledger,
    )
    .unwrap();
    assert_eq!(t.order.lines[0].allocated, d(2));
    let after_a: Decimal = ["a1", "a2"]
        .iter()
        .map(|b| ledger.available("W1", "A", b).unwrap())
        .sum::<Decimal>()
        + ledger.available("W2", "A", "a9").unwrap();
    assert_eq!(after_a - before_a, d(20));
    let held_l1: Decimal = ledger
        .reservations("SO-1")
        .unwrap()
        .iter()
        .filter(|r| r.line_id == "L1")
        .map(|r| r.quantity)
        .sum();
    assert_eq!(held_l1, d(20));

    // Cancel the rest: every reservation is released, stock is as it began.
    let t = cancel_order(&t.order, None, "customer cancelled", now(), &ledger).unwrap();
    assert_eq!(t.order.lifecycle, Lifecycle::Cancelled);
    assert!(t.order.lines.iter().all(|l| l.allocated.is_zero()));
    assert!(ledger.reservations("SO-1").unwrap().is_empty());
    for (w, k, b, q) in [
        ("W1", "A", "a1", 10),
        ("W1", "A", "a2", 10),
        ("W1", "B", "b1", 5),
        ("W2", "A", "a9", 30),
    ] {
        assert_eq!(ledger.available(w, k, b).unwrap(), d(q), "{w}/{k}/{b}");
    }
}

#[test]
fn dispatch_and_returned_quantities_move_shipped_and_allocated() {
    let o = order();
    let i = alloc_input();
    let plan = run(&i);
    let o = apply_plan(&o, &plan).unwrap();
    let mut shipments = create_shipments(&CreateShipments {
        plan: plan.clone(),
        warehouses: i.warehouses.clone(),
        ship_to: Party::default(),
        lines: vec![],
        purpose: ShipmentPurpose::Sale,
        shipment_ids: None,
        packaging_instructions: vec![],
        order_discount_rate: Decimal::ZERO,
    })
    .unwrap_err();
    // Line infos are required per plan line.
    assert_eq!(shipments.code(), "UNKNOWN_LINE");
    let info = |id: &str| ShipmentLineInfo {
        line_id: id.into(),
        description: id.into(),
        hsn: None,
        uqc: None,
        unit_value: d(1),
        gst_rate_percent: d(0),
        weight_per_unit_kg: d(0),
        packaging_instructions: vec![],
    };
    let list = create_shipments(&CreateShipments {
        plan,
        warehouses: i.warehouses.clone(),
        ship_to: Party::default(),
        lines: vec![info("L1"), info("L2")],
        purpose: ShipmentPurpose::Sale,
        shipment_ids: None,
        packaging_instructions: vec![],
        order_discount_rate: Decimal::ZERO,
    })
    .unwrap();
    // Not dispatched yet: refused, order unchanged.
    shipments = apply_dispatch(&o, &list[0]).unwrap_err();
    assert_eq!(
        (shipments.code(), shipments.field()),
        ("ILLEGAL_TRANSITION", Some("shipment.status"))
    );
    let w2 = list.iter().find(|s| s.warehouse_id == "W2").unwrap();
    assert_eq!(w2.lines[0].line_id, "L1");
    assert_eq!(w2.lines[0].quantity, d(20));
    let mut sent = w2.clone();
    sent.status = ShipmentStatus::Dispatched;
    let o2 = apply_dispatch(&o, &sent).unwrap();
    assert_eq!(o2.lines[0].shipped, d(2));
    // Shipping it three times would exceed allocated: nothing applied.
    let o3 = apply_dispatch(&o2, &sent).unwrap();
    let e = apply_dispatch(&o3, &sent).unwrap_err();
    assert_eq!(e.code(), "QUANTITY_INVARIANT");
    // QC failure of 10 base units of L1 returns 1 case to allocation.
    let o3 = apply_returned(
        &o,
        &[ReturnedQuantity {
            line_id: "L1".into(),
            sku: "A".into(),
            batch_id: "a9".into(),
            quantity: d(10),
        }],
    )
    .unwrap();
    assert_eq!(o3.lines[0].allocated, d(3));
    // 5 base units is half a case (exact, so recorded); an unknown line is
    // refused with the field path.
    let half = |line: &str| ReturnedQuantity {
        line_id: line.into(),
        sku: "A".into(),
        batch_id: "a9".into(),
        quantity: d(5),
    };
    assert_eq!(
        apply_returned(&o, &[half("L1")]).unwrap().lines[0].allocated,
        Decimal::new(35, 1)
    );
    let e = apply_returned(&o, &[half("L1"), half("L9")]).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("returned[1].quantity"))
    );
}

#[test]
fn nothing_is_half_applied() {
    let o = order();
    let i = alloc_input();
    let plan = run(&i);
    let ledger = ReservationLedger::new(&i.stock).unwrap();
    // Already allocated in full: a second plan would exceed the open quantity.
    let o = reserve_plan(&o, &plan, &ledger).unwrap();
    let e = reserve_plan(&o, &plan, &ledger).unwrap_err();
    assert_eq!(e.code(), "QUANTITY_INVARIANT");
    let held: Decimal = ledger
        .reservations("SO-1")
        .unwrap()
        .iter()
        .map(|r| r.quantity)
        .sum();
    assert_eq!(held, d(43), "the ledger is untouched");
    // A plan for another order is refused.
    let mut other = plan.clone();
    other.order_id = "SO-2".into();
    let e = apply_plan(&order(), &other).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_SETTING", Some("plan.order_id"))
    );
    // Stock moved: the ledger refuses, the order value is not produced.
    let ledger2 = ReservationLedger::new(&i.stock).unwrap();
    ledger2
        .reserve(
            "SO-9",
            &[ReservationRequest {
                line_id: "X".into(),
                warehouse_id: "W1".into(),
                sku: "B".into(),
                batch_id: "b1".into(),
                quantity: d(4),
            }],
        )
        .unwrap();
    let e = reserve_plan(&order(), &plan, &ledger2).unwrap_err();
    assert_eq!(e.code(), "INSUFFICIENT_STOCK");
    assert!(ledger2.reservations("SO-1").unwrap().is_empty());
}

#[test]
fn delivery_preferences_come_from_the_order() {
    let mut o = order();
    assert_eq!(allocation_delivery(&o), DeliveryPreferences::default());
    o.delivery.ship_complete = true;
    let p = allocation_delivery(&o);
    assert!(p.ship_complete && !p.allow_partial_shipments);
}

/// L1 = 5 and L2 = 5 of sku A; W1 and W2 hold 6 each: each line ships
/// whole from one warehouse (not 5 + 1 from W1 and 4 from W2).
#[test]
fn a_line_ships_whole_when_one_warehouse_can_hold_it() {
    for strategy in [
        Strategy::FewestShipments,
        Strategy::Priority,
        Strategy::Nearest,
    ] {
        let mut i = input(
            vec![line("L1", "A", 5), line("L2", "A", 5)],
            vec![wh("W1", 1, Some(100)), wh("W2", 2, Some(100))],
            vec![
                item("W1", "A", vec![batch("x1", 6)]),
                item("W2", "A", vec![batch("y1", 6)]),
            ],
        );
        i.strategy = strategy;
        let p = run(&i);
        let mut got: Vec<(String, String, Decimal)> = p
            .shipments
            .iter()
            .flat_map(|s| {
                s.lines
                    .iter()
                    .map(|l| (s.warehouse_id.clone(), l.line_id.clone(), l.quantity))
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("W1".to_owned(), "L1".to_owned(), d(5)),
                ("W2".to_owned(), "L2".to_owned(), d(5)),
            ],
            "{strategy:?}"
        );
    }
    // Largest first: L1 = 2, L2 = 6, L3 = 4 with W1 = 7, W2 = 5: L2 → W1,
    // L3 → W2, L1 does not fit whole anywhere (1 + 1 left) and splits.
    let i = input(
        vec![line("L1", "A", 2), line("L2", "A", 6), line("L3", "A", 4)],
        vec![wh("W1", 1, Some(100)), wh("W2", 2, Some(100))],
        vec![
            item("W1", "A", vec![batch("x1", 7)]),
            item("W2", "A", vec![batch("y1", 5)]),
        ],
    );
    let p = run(&i);
    let q = |w: &str, l: &str| {
        p.shipments
            .iter()
            .filter(|s| s.warehouse_id == w)
            .flat_map(|s| &s.lines)
            .filter(|x| x.line_id == l)
            .map(|x| x.quantity)
            .sum::<Decimal>()
    };
    assert_eq!(
        [q("W1", "L1"), q("W2", "L1"), q("W1", "L2"), q("W2", "L3")],
        [d(1), d(1), d(6), d(4)]
    );
}

#[test]
fn shortfall_names_every_line_on_a_short_batch() {
    let i = input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("a1", 5), batch("a2", 5)])],
    );
    let ledger = ReservationLedger::new(&i.stock).unwrap();
    let req = |l: &str, b: &str, q: i64| ReservationRequest {
        line_id: l.into(),
        warehouse_id: "W1".into(),
        sku: "A".into(),
        batch_id: b.into(),
        quantity: d(q),
    };
    let e = ledger
        .reserve(
            "SO-1",
            &[
                req("L1", "a1", 3),
                req("L2", "a2", 1),
                req("L3", "a1", 3),
                req("L4", "a1", 1),
            ],
        )
        .unwrap_err();
    let InventoryError::InsufficientStock { field, shortfalls } = e else {
        panic!("expected INSUFFICIENT_STOCK");
    };
    assert_eq!(field, "requests[0].quantity");
    let got: Vec<(usize, &str, Decimal, Decimal)> = shortfalls
        .iter()
        .map(|s| (s.index, s.line_id.as_str(), s.requested, s.available))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, "L1", d(7), d(5)),
            (2, "L3", d(7), d(5)),
            (3, "L4", d(7), d(5))
        ]
    );
    assert_eq!(ledger.available("W1", "A", "a2").unwrap(), d(5));
}

#[test]
fn plan_distance_is_the_eway_bill_default() {
    let mut i = input(
        vec![line("L1", "A", 1)],
        vec![wh("W1", 1, None)],
        vec![item("W1", "A", vec![batch("a1", 5)])],
    );
    // Mumbai → Bengaluru, about 840 km.
    i.warehouses[0].location = Some(GeoPoint {
        lat: 19.076,
        lon: 72.8777,
    });
    i.request.destination.location = Some(GeoPoint {
        lat: 12.9716,
        lon: 77.5946,
    });
    let plan = run(&i);
    let m = plan.shipments[0].distance_m.unwrap();
    let km = u32::try_from((m + 500) / 1000).unwrap();
    assert!((830..=850).contains(&km), "{km}");
    let mut info = super::tests::line_info("L1", 60_000, 18);
    info.weight_per_unit_kg = d(1);
    let s = create_shipments(&CreateShipments {
        plan,
        warehouses: i.warehouses.clone(),
        ship_to: Party::default(),
        lines: vec![info],
        purpose: ShipmentPurpose::Sale,
        shipment_ids: None,
        packaging_instructions: vec![],
        order_discount_rate: Decimal::ZERO,
    })
    .unwrap()
    .remove(0);
    assert_eq!(s.distance_km, Some(km));
    let e = eway_bill(&s, &EwayBillSettings::default()).unwrap();
    assert!(e.required);
    assert_eq!(e.data.distance_km, Some(km));
    assert!(!e.missing.iter().any(|m| m == "distance_km"));
    // Dispatch without a distance keeps the plan's; with one, it wins.
    let packed = {
        let s = s
            .apply(&ShipmentCommand::ConfirmPicked { at: at(10) })
            .unwrap()
            .shipment;
        s.apply(&ShipmentCommand::Pack {
            at: at(11),
            packages: vec![PackageSpec {
                package_id: "P1".into(),
                weight_kg: None,
                dimensions: None,
                contents: vec![PackageContent {
                    line_id: "L1".into(),
                    quantity: d(1),
                }],
            }],
        })
        .unwrap()
        .shipment
    };
    let dispatch = |km: Option<u32>| ShipmentCommand::Dispatch {
        at: at(12),
        carrier: "C".into(),
        tracking_number: "T".into(),
        vehicle_number: Some("MH01AB1234".into()),
        transporter_id: None,
        transport_mode: TransportMode::Road,
        distance_km: km,
    };
    let sent = packed.apply(&dispatch(None)).unwrap().shipment;
    assert_eq!(sent.dispatch.unwrap().distance_km, Some(km));
    let sent = packed.apply(&dispatch(Some(901))).unwrap().shipment;
    assert_eq!(
        eway_bill(&sent, &EwayBillSettings::default())
            .unwrap()
            .data
            .distance_km,
        Some(901)
    );
}

fn ids(p: &AllocationPlan) -> Vec<&str> {
    p.shipments
        .iter()
        .map(|s| s.warehouse_id.as_str())
        .collect()
}

/// No coordinates anywhere: `nearest` ranks by the cost table.
#[test]
fn nearest_falls_back_to_the_cost_table() {
    let mut i = input(
        vec![line("L1", "A", 4), line("L2", "B", 1)],
        vec![
            wh("W1", 1, Some(300)),
            wh("W2", 3, Some(100)),
            wh("W3", 2, Some(200)),
        ],
        vec![
            item("W1", "A", vec![batch("a1", 10)]),
            item("W2", "A", vec![batch("a2", 10)]),
            item("W3", "B", vec![batch("b3", 1)]),
        ],
    );
    i.strategy = Strategy::Nearest;
    let p = run(&i);
    assert_eq!(p.explanation.cost_basis, CostBasis::Cost);
    assert_eq!(ids(&p), vec!["W2", "W3"]);
    assert!(p
        .explanation
        .reasons
        .iter()
        .any(|r| r == "filled in distance order: W2, W3, W1"));
    assert_eq!(p.estimated_cost, Some(d(300)));
    // priority ignores the cost: W1 (priority 1) ships A
    i.strategy = Strategy::Priority;
    let p = run(&i);
    assert_eq!(ids(&p), vec!["W1", "W3"]);
    assert_eq!(p.estimated_cost, Some(d(500)));
}

/// Ship complete / no partial shipments override `priority` and `nearest`:
/// one warehouse, chosen by the strategy's own order.
#[test]
fn priority_and_nearest_respect_single_warehouse_preferences() {
    let mut i = input(
        vec![line("L1", "A", 4), line("L2", "B", 2)],
        vec![
            wh("W1", 1, Some(100)),
            wh("W2", 2, Some(100)),
            wh("W3", 0, Some(100)),
        ],
        vec![
            item("W1", "A", vec![batch("a1", 4)]),
            item("W1", "B", vec![batch("b1", 2)]),
            item("W2", "A", vec![batch("a2", 4)]),
            item("W2", "B", vec![batch("b2", 2)]),
            // W3 has the best priority but only line L1
            item("W3", "A", vec![batch("a3", 4)]),
        ],
    );
    i.request.destination.location = Some(GeoPoint {
        lat: 12.97,
        lon: 77.59,
    });
    i.warehouses[0].location = Some(GeoPoint {
        lat: 19.07,
        lon: 72.87,
    }); // far
    i.warehouses[1].location = Some(GeoPoint {
        lat: 13.0,
        lon: 77.6,
    }); // near
    i.warehouses[2].location = Some(GeoPoint {
        lat: 12.98,
        lon: 77.59,
    }); // nearest
    for (strategy, complete, want) in [
        (Strategy::Priority, true, "W1"),
        (Strategy::Priority, false, "W1"),
        (Strategy::Nearest, true, "W2"),
        (Strategy::Nearest, false, "W2"),
    ] {
        i.strategy = strategy;
        i.request.delivery = DeliveryPreferences {
            ship_complete: complete,
            allow_partial_shipments: false,
        };
        let p = run(&i);
        assert_eq!(ids(&p), vec![want], "{strategy:?} complete={complete}");
        assert_eq!(p.explanation.strategy, Strategy::SingleWarehouse);
        assert!(p.fully_allocated);
    }
    // Without those preferences nearest splits: W3 (nearest) ships A.
    i.request.delivery = DeliveryPreferences::default();
    i.strategy = Strategy::Nearest;
    assert_eq!(ids(&run(&i)), vec!["W2", "W3"]);
    // Ship complete when nobody holds everything: nothing allocated.
    i.request.delivery.ship_complete = true;
    i.request.lines[1].quantity = d(3);
    let p = run(&i);
    assert!(p.shipments.is_empty());
    assert_eq!(p.backorders.len(), 2);
}

#[test]
fn routing_by_destination_zone_and_max_order_value() {
    let base = input(
        vec![line("L1", "A", 2)],
        vec![wh("W1", 1, Some(100)), wh("W2", 2, Some(200))],
        vec![
            item("W1", "A", vec![batch("a1", 5)]),
            item("W2", "A", vec![batch("a2", 5)]),
        ],
    );
    assert_eq!(ids(&run(&base)), vec!["W1"]);
    let rule = |when: RuleCondition, action: RuleAction| RoutingRules {
        rules: vec![RoutingRule {
            id: "R1".into(),
            when,
            action,
        }],
        preferred: vec![],
    };
    // Zone: the destination is in "south"; a rule for "south" excludes W1.
    let mut i = base.clone();
    i.rules = rule(
        RuleCondition {
            destination_zones: vec!["south".into()],
            ..RuleCondition::default()
        },
        RuleAction::Exclude {
            warehouses: vec!["W1".into()],
        },
    );
    let p = run(&i);
    assert_eq!(ids(&p), vec!["W2"]);
    let ex = &p.explanation.exclusions[0];
    assert_eq!(
        (ex.warehouse_id.as_str(), ex.reason, ex.detail.as_str()),
        ("W1", ExclusionReason::RoutingRule, "rule R1")
    );
    i.request.destination.zone = Some("north".into());
    assert_eq!(ids(&run(&i)), vec!["W1"]);
    // Order value at most 50,000: only W2 may ship small orders.
    let mut i = base.clone();
    i.rules = rule(
        RuleCondition {
            max_order_value: Some(d(50_000)),
            ..RuleCondition::default()
        },
        RuleAction::RestrictTo {
            warehouses: vec!["W2".into()],
        },
    );
    assert_eq!(ids(&run(&i)), vec!["W1"], "100,000 is above the maximum");
    i.request.order_value = d(50_000);
    assert_eq!(ids(&run(&i)), vec!["W2"], "at the maximum the rule applies");
}

/// A preferred warehouse ranks first on priority, after count and cost.
#[test]
fn preferred_warehouse_loses_to_a_cheaper_one_and_wins_ties() {
    let mut i = input(
        vec![line("L1", "A", 2)],
        vec![wh("W1", 1, Some(100)), wh("W2", 1, Some(150))],
        vec![
            item("W1", "A", vec![batch("a1", 5)]),
            item("W2", "A", vec![batch("a2", 5)]),
        ],
    );
    i.rules.preferred = vec![PreferredWarehouse {
        states: vec!["29".into()],
        zones: vec![],
        warehouse_id: "W2".into(),
    }];
    let p = run(&i);
    assert_eq!(ids(&p), vec!["W1"]);
    assert_eq!(p.estimated_cost, Some(d(100)));
    assert!(p
        .explanation
        .candidates
        .iter()
        .any(|c| c.warehouse_id == "W2" && c.preferred));
    // Same cost: the preference decides (W2, though W1 has the lower id).
    i.warehouses[1].shipping_rates[0].fixed = d(100);
    let p = run(&i);
    assert_eq!(ids(&p), vec!["W2"]);
    assert!(p
        .explanation
        .tie_breaks
        .iter()
        .any(|t| t.contains("best priority")));
}

/// Issue 17 item 6: `ship` with `from_order` takes each line's commercial
/// data and the order discount rate from the order, so the e-way bill is
/// worth what the shipment's invoice bills; mixing it with host lines, a
/// plan of another order or a sku the order lacks is refused.
#[test]
fn ship_from_order_takes_the_lines_and_discount_from_the_order() {
    let mut o = order();
    o.order_discount_rate = Decimal::new(2, 2);
    o.lines[0].unit_price = Decimal::new(181_646, 2); // 1816.46 per case of 10
    let plan = run(&alloc_input());
    let base = json!({
        "plan": plan, "warehouses": alloc_input().warehouses,
        "ship_to": {"name": "Buyer", "address": {"state_code": "29", "pincode": "560001"}},
        "from_order": {"order": o, "products": [{"sku": "A", "uqc": "NOS", "weight_per_unit_kg": "0.5"}]},
    });
    let ship = |v: serde_json::Value| ops::ship(serde_json::from_value(v).unwrap());
    let out = ship(base.clone()).unwrap();
    let s = &out.shipments[0].shipment;
    assert_eq!(s.order_discount_rate, Decimal::new(2, 2));
    let l1 = s.lines.iter().find(|l| l.line_id == "L1").unwrap();
    // Unrounded: 1816.46 / 10 = 181.646 per base unit.
    assert_eq!(l1.info.unit_value, Decimal::new(181_646, 3));
    assert_eq!(l1.info.uqc.as_deref(), Some("NOS"));
    assert_eq!(l1.info.weight_per_unit_kg, Decimal::new(5, 1));
    // W1 ships 20 base units of L1 and 3 of L2 (unit price 100 per unit):
    // Each line after its discount share, rounded as the invoice rounds
    // it: 20 × 181.646 × 0.98 = 3,560.2616 → 3,560.26; 300 × 0.98 = 294.00.
    let eway = &out.shipments[0].documents.eway_bill;
    assert_eq!(eway.data.taxable_value, Decimal::new(385_426, 2));

    let mut both = base.clone();
    both["lines"] = json!([{"line_id": "L1", "description": "A"}]);
    assert_eq!(error_field(ship(both)), "lines");
    let mut rate = base.clone();
    rate["order_discount_rate"] = json!("0.02");
    assert_eq!(error_field(ship(rate)), "order_discount_rate");
    let mut other = base.clone();
    other["from_order"]["order"]["id"] = json!("SO-2");
    assert_eq!(error_field(ship(other)), "from_order.order.id");
    let mut sku = base;
    sku["from_order"]["products"][0]["sku"] = json!("Z");
    assert_eq!(error_field(ship(sku)), "from_order.products[0].sku");
}

fn error_field(r: Result<ops::ShipOutput, FulfilmentError>) -> String {
    r.unwrap_err().field().unwrap_or_default().to_owned()
}
