//! Shipments: the state machine, its events and ledger effects, errors, e-way bill and challan data.

use super::*;

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
