//! The quote-to-order journey: build, revise, approve, issue and seal,
//! accept (partly), convert with price lock, confirm, fulfil quantities.

mod common;

use b2b_oms::approval::{compute_facts, Actor, HostFacts};
use b2b_oms::approval::{
    ApprovalCommand, ApprovalInstance, ApprovalPolicy, ApprovalPolicyDefinition, ApprovalStatus,
    FactContext, StartApproval,
};
use b2b_oms::credit::{CreditSnapshot, OverLimitAction, PaymentTerms};
use b2b_oms::events::EventPayload;
use b2b_oms::order::{
    convert_quote, Amend, AmendLine, CancelLine, ConvertQuote, DeliveryPreferences, Order,
    OrderSettings, OrderStatus,
};
use b2b_oms::quote::RequestApproval;
use b2b_oms::quote::{
    Accept, AcceptLine, BuildQuote, DeclineKind, DeclineReason, LineChange, OverrideKind, Party,
    PlaceholderGst, Quote, QuoteRequest, QuoteRequestLine, QuoteSettings, QuoteSource, QuoteStatus,
    QuoteTerms, Revise, SealKey, UnquotableMode,
};
use b2b_oms::ErrorCode;
use chrono::{DateTime, Duration};
use common::{book, customer, d, line, now};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn key() -> SealKey {
    SealKey {
        key_id: "k1".into(),
        secret: "seller-secret".into(),
    }
}

fn build_input(lines: Vec<QuoteRequestLine>) -> BuildQuote {
    BuildQuote {
        quote_id: "Q1".into(),
        request: QuoteRequest {
            id: "RFQ1".into(),
            source: QuoteSource::SalesRep {
                rep_id: "rep".into(),
            },
            customer_id: "C-wholesaler".into(),
            channel: b2b_oms::customer::Channel::SalesRep,
            currency: "INR".into(),
            lines,
            requested_delivery_date: None,
            buyer_notes: "urgent".into(),
            ship_to_state: None,
        },
        terms: QuoteTerms {
            payment_terms: PaymentTerms::advance_then_net("30-70", d("30"), 45),
            delivery_terms: "door delivery".into(),
            lead_time_days: Some(10),
            conditions: vec![],
        },
        valid_until: None,
        notes: String::new(),
        author_id: "rep".into(),
        now: now(),
        settings: QuoteSettings::default(),
        gst_rates: PlaceholderGst::default(),
    }
}

fn standard_lines() -> Vec<QuoteRequestLine> {
    vec![
        line("A", "TSHIRT-M", "100"),
        line("B", "BOLT", "200"),
        line("C", "CAP", "10"),
        line("D", "SECRET", "5"),
    ]
}

fn build() -> Quote {
    let input = build_input(standard_lines());
    Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap()
}

#[test]
fn build_reports_unquotable_lines_and_sets_validity() {
    let q = build();
    let r = q.latest().unwrap();
    assert_eq!(q.status, QuoteStatus::Draft);
    assert_eq!(r.number, 1);
    assert_eq!(r.lines.len(), 3);
    assert_eq!(r.unquoted.len(), 1);
    assert_eq!(r.unquoted[0].code, "UNKNOWN_SKU");
    assert_eq!(r.unquoted[0].field, "request.lines[3].sku");
    assert_eq!(
        r.valid_until,
        DateTime::parse_from_rfc3339("2026-12-11T23:59:59+05:30").unwrap()
    );
    // Intra-state (27 → 27): CGST + SGST, T-shirts at 5%, bolts at 18%.
    assert!(r.gst.intra_state);
    assert_eq!(r.gst.cgst, r.gst.sgst);
    assert_eq!(r.gst.igst, Decimal::ZERO);
    let bolt = r.gst.lines.iter().find(|l| l.line_id == "B").unwrap();
    assert_eq!(bolt.rate, d("18"));
    assert_eq!(
        r.totals.grand_total,
        r.totals.total_before_tax + r.totals.gst
    );
    // Graduated bolt line keeps its exact band sum: 49×10 + 50×9 + 101×8.
    assert_eq!(r.lines[1].amount, d("1748.00"));
    assert_eq!(r.lines[1].moq, Some(d("100")));
    // Failing instead of quoting the rest.
    let mut input = build_input(standard_lines());
    input.settings.unquotable = UnquotableMode::Fail;
    let e = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap_err();
    assert_eq!(e.code(), "UNQUOTABLE_LINES");
    assert_eq!(e.field(), Some("request.lines[3].sku"));
    // Explicit validity in the past.
    let mut input = build_input(standard_lines());
    input.valid_until = Some(now() - Duration::hours(1));
    let e = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("valid_until"))
    );
    // Inter-state: IGST.
    let mut input = build_input(standard_lines());
    input.request.ship_to_state = Some("29".into());
    let q = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap();
    assert!(!q.latest().unwrap().gst.intra_state);
    assert_eq!(q.latest().unwrap().gst.cgst, Decimal::ZERO);
    // Empty request.
    let input = build_input(vec![]);
    let e = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap_err();
    assert_eq!(e.field(), Some("request.lines"));
}

fn seller_override(q: &Quote) -> Quote {
    q.revise(&Revise {
        author: Party::Seller,
        author_id: "rep".into(),
        changes: vec![LineChange {
            line_id: "A".into(),
            price_override: Some(OverrideKind::DiscountPct { percent: d("20") }),
            reason: "match competitor".into(),
            ..Default::default()
        }],
        terms: None,
        valid_until: None,
        note: "discount".into(),
        now: now(),
    })
    .unwrap()
    .quote
}

#[test]
fn revisions_overrides_counters_and_diff() {
    let q = build();
    let e = q
        .revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "A".into(),
                price_override: Some(OverrideKind::UnitPrice { price: d("200") }),
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        })
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("REASON_REQUIRED", Some("changes[0].reason"))
    );
    let q2 = seller_override(&q);
    let r2 = q2.latest().unwrap();
    assert_eq!((r2.number, r2.parent), (2, Some(1)));
    assert_eq!(r2.lines[0].unit_price, d("184.00")); // 20% off the tier list price 230
    assert_eq!(r2.lines[0].amount, d("18400.00"));
    assert_eq!(q2.revisions[0], q.revisions[0], "revision 1 is immutable");
    let diff = q2.diff(1, 2).unwrap();
    assert_eq!(diff.changed[0].line_id, "A");
    assert!(diff.changed[0]
        .changes
        .iter()
        .any(|c| c.field == "unit_price"));
    assert!(diff.totals.iter().any(|c| c.field == "grand_total"));
    assert!(q2.diff(2, 2).unwrap().is_empty());
    // Buyer counters with a target price; may not change prices.
    let counter = |changes| Revise {
        author: Party::Buyer,
        author_id: "buyer".into(),
        changes,
        terms: None,
        valid_until: None,
        note: "counter".into(),
        now: now(),
    };
    let e = q2
        .revise(&counter(vec![LineChange {
            line_id: "A".into(),
            price_override: Some(OverrideKind::UnitPrice { price: d("1") }),
            reason: "cheaper".into(),
            ..Default::default()
        }]))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("NOT_AUTHORIZED", Some("changes[0].price_override"))
    );
    let t = q2
        .revise(&counter(vec![LineChange {
            line_id: "A".into(),
            target_price: Some(d("190")),
            ..Default::default()
        }]))
        .unwrap();
    assert_eq!(
        t.quote.latest().unwrap().lines[0].target_price,
        Some(d("190"))
    );
    assert!(
        matches!(&t.events[0].payload, EventPayload::QuoteRevised { revision: 3, parent: 2, author, .. } if author == "buyer")
    );
    // Quantity below MOQ, unknown line.
    let e = q
        .revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![
                LineChange {
                    line_id: "C".into(),
                    quantity: Some(d("20")),
                    ..Default::default()
                },
                LineChange {
                    line_id: "B".into(),
                    quantity: Some(d("50")),
                    ..Default::default()
                },
            ],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        })
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("BELOW_MOQ", Some("changes[1].quantity"))
    );
    let e = q
        .revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "Z".into(),
                remove: true,
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        })
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("changes[0].line_id"))
    );
}

fn policy() -> ApprovalPolicy {
    let def: ApprovalPolicyDefinition = serde_json::from_value(serde_json::json!({
        "id": "seller", "currency": "INR",
        "rules": [
            {"id": "deep", "when": "max_discount_pct > 15", "require": {"role": "sales_manager"}},
            {"id": "override", "when": "manual_override == true", "require": {"role": "sales_manager"}},
            {"id": "credit", "when": "credit_over_limit == true", "require": {"role": "finance"}}
        ]
    }))
    .unwrap();
    ApprovalPolicy::compile(def).unwrap()
}

fn request(q: &Quote, id: &str, previous: Option<&ApprovalInstance>) -> (Quote, ApprovalInstance) {
    let t = q
        .request_approval(
            &RequestApproval {
                instance_id: id.into(),
                requester: "rep".into(),
                now: now(),
            },
            &policy(),
            &HostFacts::default(),
            previous,
        )
        .unwrap();
    (t.quote, t.instance)
}

fn manager() -> Actor {
    Actor {
        id: "mgr".into(),
        roles: vec!["sales_manager".into()],
    }
}

fn approve_quote(q: &Quote) -> ApprovalInstance {
    let facts = compute_facts(&q.approval_subject().unwrap(), &FactContext::default()).unwrap();
    assert_eq!(facts.max_discount_pct, d("20"));
    let t = q
        .request_approval(
            &RequestApproval {
                instance_id: "AQ1".into(),
                requester: "rep".into(),
                now: now(),
            },
            &policy(),
            &HostFacts::default(),
            None,
        )
        .unwrap();
    let inst = t.instance;
    assert_eq!(inst.plan.steps.len(), 1);
    assert_eq!(inst.plan.steps[0].rules.len(), 2);
    assert!(matches!(
        t.events[0].payload,
        EventPayload::QuoteSubmitted { revision: 2, .. }
    ));
    assert!(matches!(
        t.events[1].payload,
        EventPayload::ApprovalRequested { .. }
    ));
    assert_eq!(t.quote.status, QuoteStatus::PendingApproval);
    inst.decide(
        &ApprovalCommand::Approve {
            actor: Actor {
                id: "mgr".into(),
                roles: vec!["sales_manager".into()],
            },
            step_id: None,
            comment: "ok".into(),
        },
        now(),
    )
    .unwrap()
    .0
}

fn issued() -> (Quote, ApprovalInstance) {
    let q = seller_override(&build());
    let pending = q.submit_for_approval(now()).unwrap().quote;
    assert_eq!(pending.status, QuoteStatus::PendingApproval);
    let e = pending.issue(now(), None, Some(&key())).unwrap_err();
    assert_eq!(e.code(), "APPROVAL_REQUIRED");
    let inst = approve_quote(&pending);
    assert_eq!(inst.status, ApprovalStatus::Approved);
    let t = pending.issue(now(), Some(&inst), Some(&key())).unwrap();
    assert_eq!(t.quote.status, QuoteStatus::Issued);
    assert!(matches!(
        &t.events[0].payload,
        EventPayload::QuoteIssued { revision: 2, .. }
    ));
    (t.quote, inst)
}

fn accept_cmd(q: &Quote, lines: Option<Vec<AcceptLine>>) -> Accept {
    let r = q.latest().unwrap();
    let seal = r.seal.clone().unwrap();
    Accept {
        revision: r.number,
        digest: seal.digest,
        seal: seal.hmac,
        presented: Some(r.clone()),
        lines,
        accepted_by: "buyer".into(),
        po_number: Some("PO-77".into()),
        now: now() + Duration::days(1),
    }
}

fn al(id: &str, q: &str) -> AcceptLine {
    AcceptLine {
        line_id: id.into(),
        quantity: d(q),
        unit_price: None,
    }
}

#[test]
fn sealing_detects_tampering() {
    let (q, _) = issued();
    let ok = accept_cmd(&q, None);
    assert!(q.accept(&ok, Some(&key())).is_ok());
    let mut bad = ok.clone();
    bad.presented.as_mut().unwrap().lines[0].unit_price = d("1.00");
    let e = q.accept(&bad, Some(&key())).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("TAMPERED_QUOTE", Some("presented.lines[0].unit_price"))
    );
    let mut bad = ok.clone();
    bad.presented.as_mut().unwrap().valid_until = ok.now + Duration::days(90);
    assert_eq!(
        q.accept(&bad, Some(&key())).unwrap_err().field(),
        Some("presented.valid_until")
    );
    let mut bad = ok.clone();
    bad.presented.as_mut().unwrap().terms.lead_time_days = Some(1);
    assert_eq!(
        q.accept(&bad, Some(&key())).unwrap_err().field(),
        Some("presented.terms.lead_time_days")
    );
    let mut bad = ok.clone();
    bad.digest = "00".into();
    assert_eq!(
        q.accept(&bad, Some(&key())).unwrap_err().field(),
        Some("digest")
    );
    let mut bad = ok.clone();
    bad.seal = Some("ab".repeat(32));
    assert_eq!(
        q.accept(&bad, Some(&key())).unwrap_err().field(),
        Some("seal")
    );
    // A key is configured: the client must send the seal (the stored one
    // is not used in its place).
    let mut bad = ok.clone();
    bad.seal = None;
    assert_eq!(
        q.accept(&bad, Some(&key())).unwrap_err().field(),
        Some("seal")
    );
    let wrong_key = SealKey {
        key_id: "k1".into(),
        secret: "other".into(),
    };
    assert_eq!(
        q.accept(&ok, Some(&wrong_key)).unwrap_err().code(),
        "TAMPERED_QUOTE"
    );
    let bad = accept_cmd(
        &q,
        Some(vec![AcceptLine {
            line_id: "A".into(),
            quantity: d("100"),
            unit_price: Some(d("150")),
        }]),
    );
    let e = q.accept(&bad, Some(&key())).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("TAMPERED_QUOTE", Some("lines[0].unit_price"))
    );
}

#[test]
fn only_the_latest_revision_and_not_after_expiry() {
    let (q, _) = issued();
    let mut cmd = accept_cmd(&q, None);
    cmd.revision = 1;
    let e = q.accept(&cmd, Some(&key())).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("NOT_LATEST_REVISION", Some("revision"))
    );
    let mut cmd = accept_cmd(&q, None);
    cmd.now = now() + Duration::days(16);
    let e = q.accept(&cmd, Some(&key())).unwrap_err();
    assert_eq!(e.code(), "QUOTE_EXPIRED");
    assert_eq!(q.status_at(cmd.now), QuoteStatus::Expired);
    let t = q.expire(cmd.now).unwrap();
    assert_eq!(t.quote.status, QuoteStatus::Expired);
    assert!(matches!(
        t.events[0].payload,
        EventPayload::QuoteExpired { .. }
    ));
    assert_eq!(q.expire(now()).unwrap_err().code(), "INVALID_FIELD");
    assert_eq!(
        t.quote
            .accept(&accept_cmd(&q, None), Some(&key()))
            .unwrap_err()
            .code(),
        "INVALID_TRANSITION"
    );
}

#[test]
fn decline_and_withdraw() {
    let (q, _) = issued();
    let e = q
        .decline(
            &DeclineReason {
                kind: DeclineKind::Other,
                note: String::new(),
                competitor: None,
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("REASON_REQUIRED", Some("reason.note"))
    );
    let t = q
        .decline(
            &DeclineReason {
                kind: DeclineKind::Competitor,
                note: "cheaper elsewhere".into(),
                competitor: Some("Acme".into()),
            },
            now(),
        )
        .unwrap();
    assert_eq!(t.quote.status, QuoteStatus::Declined);
    assert!(
        matches!(&t.events[0].payload, EventPayload::QuoteDeclined { reason, .. } if reason == "competitor")
    );
    assert_eq!(
        t.quote.withdraw("x", now()).unwrap_err().code(),
        "INVALID_TRANSITION"
    );
    let w = build().withdraw("customer went quiet", now()).unwrap();
    assert_eq!(w.quote.status, QuoteStatus::Withdrawn);
    assert_eq!(
        build().withdraw(" ", now()).unwrap_err().code(),
        "REASON_REQUIRED"
    );
    assert_eq!(
        build()
            .decline(
                &DeclineReason {
                    kind: DeclineKind::Price,
                    note: String::new(),
                    competitor: None
                },
                now()
            )
            .unwrap_err()
            .code(),
        "INVALID_TRANSITION"
    );
}

#[test]
fn partial_acceptance_convert_with_price_lock_and_no_new_approval() {
    let (q, quote_approval) = issued();
    // Below MOQ and above the open quantity.
    let e = q
        .accept(&accept_cmd(&q, Some(vec![al("B", "50")])), Some(&key()))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("BELOW_MOQ", Some("lines[0].quantity"))
    );
    let e = q
        .accept(&accept_cmd(&q, Some(vec![al("A", "101")])), Some(&key()))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("QUANTITY_EXCEEDS_OPEN", Some("lines[0].quantity"))
    );
    let e = q
        .accept(&accept_cmd(&q, Some(vec![al("Q", "1")])), Some(&key()))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("lines[0].line_id"))
    );
    // Accept all of A and half of B; C stays open.
    let t = q
        .accept(
            &accept_cmd(&q, Some(vec![al("A", "100"), al("B", "100")])),
            Some(&key()),
        )
        .unwrap();
    let accepted = t.quote;
    assert_eq!(accepted.status, QuoteStatus::Accepted);
    assert!(matches!(
        &t.events[0].payload,
        EventPayload::QuoteAccepted {
            remainder_open: true,
            acceptance: 1,
            ..
        }
    ));
    assert_eq!(t.events[0].sequence, q.next_event_seq);
    let open = accepted.open_quantities().unwrap();
    assert_eq!(
        open,
        vec![
            ("A".into(), d("0")),
            ("B".into(), d("100")),
            ("C".into(), d("10"))
        ]
    );
    // PO required / duplicate.
    let conv = |po: Option<&str>, taken: Vec<String>| ConvertQuote {
        order_id: "O1".into(),
        acceptance: 1,
        po_number: po.map(str::to_owned),
        taken_po_numbers: taken,
        delivery: DeliveryPreferences {
            ship_complete: true,
            carrier: Some("BlueDart".into()),
            ..Default::default()
        },
        settings: OrderSettings {
            require_po: true,
            allow_invoice_before_shipment: false,
        },
        now: now() + Duration::days(2),
    };
    // Removing the PO from the stored acceptance is tampering.
    let mut no_po = accepted.clone();
    no_po.acceptances[0].po_number = None;
    let e = convert_quote(&no_po, &conv(None, vec![])).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("TAMPERED_QUOTE", Some("acceptances[0].seal.digest"))
    );
    let mut cmd = accept_cmd(&q, Some(vec![al("A", "100")]));
    cmd.po_number = None;
    let no_po = q.accept(&cmd, Some(&key())).unwrap().quote;
    let e = convert_quote(&no_po, &conv(None, vec![])).unwrap_err();
    assert_eq!((e.code(), e.field()), ("PO_REQUIRED", Some("po_number")));
    let e = convert_quote(&accepted, &conv(None, vec!["po-77 ".into()])).unwrap_err();
    assert_eq!(e.code(), "DUPLICATE_PO");
    let c = convert_quote(&accepted, &conv(None, vec![])).unwrap();
    let order = c.order;
    assert_eq!(order.po_number.as_deref(), Some("PO-77"));
    assert_eq!(c.quote.status, QuoteStatus::Converted);
    assert!(
        matches!(&c.events[0].payload, EventPayload::QuoteConverted { order_id, .. } if order_id == "O1")
    );
    let e = convert_quote(&c.quote, &conv(None, vec![])).unwrap_err();
    assert_eq!(e.code(), "INVALID_TRANSITION");
    // Price lock: the quote's override price, whatever the book says.
    assert_eq!(order.lines[0].unit_price, d("184.00"));
    assert_eq!(order.lines[0].gst_rate, d("5"));
    assert_eq!(
        order.lines[1].unit_price,
        q.latest().unwrap().lines[1].unit_price
    );
    assert_eq!(order.lines[1].ordered, d("100"));
    assert_eq!(order.terms, q.latest().unwrap().terms);
    // 30% advance of the grand total.
    assert_eq!(
        order.advance_due,
        (order.totals.grand_total * d("0.3")).round_dp(2)
    );
    // Re-approval on conversion: facts no worse → carried over, approved at once.
    let oa = order
        .request_approval(
            &RequestApproval {
                instance_id: "AO1".into(),
                requester: "rep".into(),
                now: now(),
            },
            &policy(),
            &HostFacts::default(),
            Some(&quote_approval),
        )
        .unwrap();
    let order_approval = oa.instance;
    assert_eq!(order_approval.status, ApprovalStatus::Approved);
    assert!(oa.events.is_empty());
    // Credit: over the limit with block → credit hold, then confirmed later.
    // The engine adds this order's total to the host's snapshot.
    let credit = |limit: &str| {
        let snap = CreditSnapshot {
            credit_limit: Some(b2b_oms::money::Money {
                amount: d(limit),
                currency: "INR".into(),
            }),
            outstanding: b2b_oms::money::Money {
                amount: d("10000"),
                currency: "INR".into(),
            },
            open_orders: b2b_oms::money::Money {
                amount: d("0"),
                currency: "INR".into(),
            },
            advance_received: b2b_oms::money::Money {
                amount: d("0"),
                currency: "INR".into(),
            },
            on_hold: false,
            tolerance_pct: d("0"),
            over_limit_action: OverLimitAction::Block,
        };
        let c = order.credit_check(&snap).unwrap();
        assert_eq!(c.exposure.amount, d("10000") + order.totals.grand_total);
        c
    };
    let held = order
        .confirm(&order_approval, Some(&credit("1000")), now())
        .unwrap();
    assert_eq!(held.order.status(), OrderStatus::CreditHold);
    assert!(matches!(
        held.events[0].payload,
        EventPayload::CreditHold { .. }
    ));
    let confirmed = held
        .order
        .confirm(&order_approval, Some(&credit("10000000")), now())
        .unwrap();
    assert_eq!(confirmed.order.status(), OrderStatus::Confirmed);
    assert!(
        matches!(&confirmed.events[0].payload, EventPayload::OrderConfirmed { po_number: Some(p), .. } if p == "PO-77")
    );
    assert_eq!(confirmed.events[0].sequence, 2);
    assert_eq!(
        order
            .confirm(&quote_approval, None, now())
            .unwrap_err()
            .code(),
        "APPROVAL_REQUIRED"
    );
    fulfil(&confirmed.order);
    // The remainder of the quote can still be accepted.
    let again = c
        .quote
        .accept(
            &accept_cmd(&c.quote, Some(vec![al("C", "10")])),
            Some(&key()),
        )
        .unwrap();
    assert_eq!(again.quote.acceptances.len(), 2);
    assert_eq!(again.quote.status, QuoteStatus::Accepted);
}

fn fulfil(order: &Order) {
    let a = &order.lines[0];
    let e = a.record_allocation(d("101")).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("QUANTITY_INVARIANT", Some("A.allocated"))
    );
    let e = a.record_shipment(d("1")).unwrap_err();
    assert_eq!(e.code(), "QUANTITY_INVARIANT");
    let a = a.record_allocation(d("100")).unwrap();
    let a = a.record_shipment(d("60")).unwrap();
    assert_eq!(
        a.record_invoice(d("61"), false).unwrap_err().code(),
        "QUANTITY_INVARIANT"
    );
    assert!(a.record_invoice(d("100"), true).is_ok());
    let o = order.update_line(a.clone()).unwrap();
    assert_eq!(o.status(), OrderStatus::PartiallyShipped);
    // Amend after allocation is refused.
    let e = o
        .amend(
            &Amend {
                lines: vec![AmendLine {
                    line_id: "B".into(),
                    quantity: d("150"),
                }],
                ..Default::default()
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "AMEND_AFTER_ALLOCATION");
    // Cancelling more than unshipped fails; cancelling the rest releases.
    let e = o
        .cancel(
            Some(&[CancelLine {
                line_id: "A".into(),
                quantity: d("41"),
            }]),
            "short",
            now(),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("QUANTITY_INVARIANT", Some("lines[0].quantity"))
    );
    let t = o
        .cancel(
            Some(&[CancelLine {
                line_id: "A".into(),
                quantity: d("40"),
            }]),
            "short",
            now(),
        )
        .unwrap();
    assert!(
        matches!(&t.events[0].payload, EventPayload::OrderCancelled { released, .. } if released[0].quantity == d("40"))
    );
    assert_eq!(t.order.lines[0].allocated, d("60"));
    // Ship and invoice everything → completed; then close.
    let mut o = t.order;
    for i in 0..o.lines.len() {
        let l = o.lines[i].clone();
        let open = l.open().unwrap();
        let l = l.record_allocation(open - l.allocated).unwrap();
        let l = l.record_shipment(open - l.shipped).unwrap();
        o = o.update_line(l).unwrap();
        if i == 0 {
            assert_eq!(o.status(), OrderStatus::PartiallyShipped);
        }
    }
    assert_eq!(o.status(), OrderStatus::Shipped);
    let l = o.lines[0].record_invoice(d("10"), false).unwrap();
    o = o.update_line(l).unwrap();
    assert_eq!(o.status(), OrderStatus::PartiallyInvoiced);
    for i in 0..o.lines.len() {
        let l = o.lines[i].clone();
        let l = l
            .record_invoice(l.open().unwrap() - l.invoiced, false)
            .unwrap();
        o = o.update_line(l).unwrap();
    }
    assert_eq!(o.status(), OrderStatus::Completed);
    let closed = o.close(now()).unwrap();
    assert_eq!(closed.order.status(), OrderStatus::Closed);
    assert_eq!(
        closed.order.close(now()).unwrap_err().code(),
        "INVALID_TRANSITION"
    );
    let json = serde_json::to_string(&closed.order).unwrap();
    assert_eq!(serde_json::from_str::<Order>(&json).unwrap(), closed.order);
}

#[test]
fn amend_reruns_approval_and_cancel_whole_order() {
    let (q, _) = issued();
    let acc = q.accept(&accept_cmd(&q, None), Some(&key())).unwrap().quote;
    let c = convert_quote(
        &acc,
        &ConvertQuote {
            order_id: "O2".into(),
            acceptance: 1,
            po_number: None,
            taken_po_numbers: vec![],
            delivery: DeliveryPreferences::default(),
            settings: OrderSettings::default(),
            now: now(),
        },
    )
    .unwrap();
    let o = c.order;
    assert_eq!(o.lines.len(), 3);
    // Price lock: a fully accepted quote gives the same totals.
    let qt = &q.latest().unwrap().totals;
    assert_eq!(o.totals.total_before_tax, qt.total_before_tax);
    assert_eq!(o.totals.gst, qt.gst);
    assert_eq!(o.totals.grand_total, qt.grand_total);
    let e = o
        .amend(
            &Amend {
                lines: vec![AmendLine {
                    line_id: "B".into(),
                    quantity: d("60"),
                }],
                ..Default::default()
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("BELOW_MOQ", Some("lines[0].quantity"))
    );
    let t = o
        .amend(
            &Amend {
                lines: vec![AmendLine {
                    line_id: "B".into(),
                    quantity: d("300"),
                }],
                ..Default::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(t.order.status(), OrderStatus::Draft);
    assert_eq!(t.order.amendments, 1);
    assert!(t.order.totals.subtotal > o.totals.subtotal);
    assert!(
        matches!(&t.events[0].payload, EventPayload::OrderAmended { changes, .. } if changes[0].contains("200 → 300"))
    );
    let cancelled = t.order.cancel(None, "buyer cancelled", now()).unwrap();
    assert_eq!(cancelled.order.status(), OrderStatus::Cancelled);
    assert_eq!(
        cancelled
            .order
            .cancel(None, "again", now())
            .unwrap_err()
            .code(),
        "INVALID_TRANSITION"
    );
}

#[test]
fn quote_json_round_trips_and_serde_operations() {
    let (q, _) = issued();
    let json = serde_json::to_string(&q).unwrap();
    assert_eq!(serde_json::from_str::<Quote>(&json).unwrap(), q);
    let input = b2b_oms::quote::QuoteBuildInput {
        catalog: serde_json::from_value(common::products()).unwrap(),
        price_book: serde_json::from_value(common::book_json()).unwrap(),
        customer: customer("wholesaler"),
        build: build_input(standard_lines()),
    };
    let text = serde_json::to_string(&input).unwrap();
    let back: b2b_oms::quote::QuoteBuildInput = serde_json::from_str(&text).unwrap();
    assert_eq!(b2b_oms::quote::quote_build(&back).unwrap(), build());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any change to a sealed field — in the revision the client presents,
    /// in the stored quote, or in the stored acceptance before conversion —
    /// fails with TAMPERED_QUOTE.
    #[test]
    fn sealing_detects_any_single_field_change(field in 0usize..N_SEALED, line in 0usize..3, delta in 1i64..1000, place in 0usize..3) {
        let (q, _) = issued_cached();
        let ok = accept_cmd(&q, None);
        let delta = Decimal::new(delta, 2);
        match place {
            // The revision presented by the client.
            0 => {
                let mut bad = ok.clone();
                mutate(bad.presented.as_mut().unwrap(), field, line, delta);
                let e = q.accept(&bad, Some(&key())).unwrap_err();
                prop_assert_eq!(e.code(), "TAMPERED_QUOTE");
                prop_assert!(e.field().unwrap().starts_with("presented."));
            }
            // The stored quote, with or without a key.
            1 => {
                let mut stored = q.clone();
                mutate(stored.revisions.last_mut().unwrap(), field, line, delta);
                let mut plain = ok.clone();
                plain.presented = None;
                for k in [Some(key()), None] {
                    let e = stored.accept(&plain, k.as_ref()).unwrap_err();
                    prop_assert_eq!(e.code(), "TAMPERED_QUOTE");
                    prop_assert_eq!(e.field(), Some("revisions[1].seal.digest"));
                }
            }
            // The conversion path: an accepted quote altered before convert.
            _ => {
                let acc = q.accept(&ok, Some(&key())).unwrap().quote;
                let mut stored = acc.clone();
                mutate(stored.revisions.last_mut().unwrap(), field, line, delta);
                let e = convert_quote(&stored, &convert_cmd()).unwrap_err();
                prop_assert_eq!(e.code(), "TAMPERED_QUOTE");
                let mut stored = acc.clone();
                let al = &mut stored.acceptances[0].lines[line];
                al.quantity -= delta.min(Decimal::ONE);
                let e = convert_quote(&stored, &convert_cmd()).unwrap_err();
                prop_assert_eq!((e.code(), e.field()), ("TAMPERED_QUOTE", Some("acceptances[0].seal.digest")));
                // With the key, a re-digested acceptance still fails on its HMAC.
                let e = b2b_oms::order::convert_quote_sealed(&stored, &convert_cmd(), Some(&key())).unwrap_err();
                prop_assert_eq!(e.code(), "TAMPERED_QUOTE");
                prop_assert!(convert_quote(&acc, &convert_cmd()).is_ok());
            }
        }
    }

    #[test]
    fn a_diff_of_a_revision_with_itself_is_empty(pct in 0u32..100) {
        let (q, _) = issued_cached();
        let t = q.revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "C".into(),
                price_override: Some(OverrideKind::DiscountPct { percent: Decimal::from(pct) }),
                reason: "r".into(),
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        }).unwrap();
        // A revision that changes nothing: distinct revisions, equal content.
        let same = t.quote.revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        }).unwrap().quote;
        let (a, b) = (same.revisions.len() as u32 - 1, same.revisions.len() as u32);
        prop_assert_ne!(same.revision(a).unwrap().number, same.revision(b).unwrap().number);
        prop_assert!(same.diff(a, b).unwrap().is_empty());
        let (x, y) = (same.diff(a - 1, a).unwrap(), same.diff(a - 1, b).unwrap());
        prop_assert_eq!((&x.changed, &x.terms, &x.totals), (&y.changed, &y.terms, &y.totals));
        // And the override itself shows.
        prop_assert!(!x.is_empty());
    }
}

const N_SEALED: usize = 20;

/// Changes one sealed field of a revision.
fn mutate(r: &mut b2b_oms::quote::QuoteRevision, field: usize, line: usize, delta: Decimal) {
    use b2b_oms::credit::{EarlyPaymentDiscount, Share};
    let l = &mut r.lines[line];
    match field {
        0 => l.quantity += delta,
        1 => l.unit_price += delta,
        2 => l.amount += delta,
        3 => l.gst_rate += delta,
        4 => l.sku.push('X'),
        5 => l.unit = "box".into(),
        6 => l.free = !l.free,
        7 => l.unit_factor += delta,
        8 => l.moq = Some(l.moq.unwrap_or_default() + delta),
        9 => r.totals.order_discount += delta,
        10 => r.totals.shipping += delta,
        11 => r.totals.gst += delta,
        12 => r.totals.grand_total -= delta,
        13 => r.totals.total_before_tax += delta,
        14 => r.terms.delivery_terms.push_str(" EXW"),
        15 => r.terms.conditions.push("no returns".into()),
        16 => {
            r.terms.payment_terms.early_payment = Some(EarlyPaymentDiscount {
                percent: delta,
                within_days: 10,
            })
        }
        17 => {
            r.terms.payment_terms.instalments[0].share = Share::Percent {
                percent: Decimal::from(31),
            }
        }
        18 => r.valid_until += Duration::seconds(1),
        _ => {
            r.terms.lead_time_days = Some(11);
            r.terms.payment_terms.instalments[0].days += 1;
        }
    }
}

fn convert_cmd() -> ConvertQuote {
    ConvertQuote {
        order_id: "O-P".into(),
        acceptance: 1,
        po_number: None,
        taken_po_numbers: vec![],
        delivery: DeliveryPreferences::default(),
        settings: OrderSettings::default(),
        now: now() + Duration::days(2),
    }
}

fn issued_cached() -> (Quote, ApprovalInstance) {
    use std::sync::OnceLock;
    static CELL: OnceLock<(Quote, ApprovalInstance)> = OnceLock::new();
    CELL.get_or_init(issued).clone()
}

#[test]
fn quote_requests_from_an_inquiry_and_a_cart() {
    let inquiry: b2b_oms::customer::Inquiry = serde_json::from_value(serde_json::json!({
        "id": "LEAD-9", "company": "Buyer Pvt Ltd",
        "lines": [{"sku": "CAP", "quantity": "24"}, {"description": "blue hoodies", "quantity": "10"}]
    }))
    .unwrap();
    let c = customer("wholesaler");
    let draft = inquiry.quote_request(&common::catalog(), &c);
    let req = QuoteRequest::from_inquiry(
        "RFQ9",
        &draft,
        &c,
        b2b_oms::customer::Channel::Portal,
        "INR",
        None,
    );
    assert!(matches!(&req.source, QuoteSource::Inquiry { inquiry_id } if inquiry_id == "LEAD-9"));
    assert_eq!(req.lines.len(), 1);
    assert_eq!(
        draft.unmatched.len(),
        1,
        "the free-text line waits for a sales rep"
    );
    let mut input = build_input(vec![]);
    input.request = req;
    let q = Quote::build(&input, &book(), &c, &input.gst_rates).unwrap();
    assert_eq!(q.latest().unwrap().lines[0].line_id, "LEAD-9-1");
    let cart = common::request(serde_json::json!([{"sku": "CAP", "quantity": "5"}]));
    let req = QuoteRequest::from_cart("RFQ10", "CART-1", &c.id, &cart);
    assert!(matches!(req.source, QuoteSource::Cart { .. }));
    assert_eq!(req.lines[0].quantity, d("5"));
}

#[test]
fn direct_cart_order() {
    use b2b_oms::order::{place_order, PlaceOrder};
    let c = customer("wholesaler");
    let cart = common::request(serde_json::json!([
        {"line_id": "1", "sku": "CAP", "quantity": "10"},
        {"line_id": "2", "sku": "BOLT", "quantity": "100"}
    ]));
    let priced = book().price_order(&c, &cart).unwrap();
    let cmd = PlaceOrder {
        order_id: "O9".into(),
        cart_id: "CART-9".into(),
        terms: build_input(vec![]).terms,
        po_number: Some("PO-9".into()),
        taken_po_numbers: vec!["PO-8".into()],
        delivery: DeliveryPreferences::default(),
        settings: OrderSettings::default(),
        gst_rates: PlaceholderGst::default(),
        supplier_state: "27".into(),
        now: now(),
    };
    let o = place_order(&priced, &c, &cmd).unwrap();
    assert_eq!(o.status(), OrderStatus::Draft);
    assert!(o.intra_state);
    assert_eq!(o.totals.subtotal, priced.subtotal);
    assert_eq!(o.lines[1].unit_price, priced.lines[1].net_unit_price);
    // 10 caps at 120 (5%) + bolts 49×10 + 50×9 + 1×8 (18%), CGST + SGST.
    assert_eq!(o.totals.subtotal, d("2148.00"));
    assert_eq!(o.totals.gst, d("60.00") + d("170.64"));
    let mut dup = cmd.clone();
    dup.po_number = Some("po-8".into());
    assert_eq!(
        place_order(&priced, &c, &dup).unwrap_err().code(),
        "DUPLICATE_PO"
    );
    let bad_cart = common::request(serde_json::json!([{"sku": "BOLT", "quantity": "10"}]));
    let priced = book().price_order(&c, &bad_cart).unwrap();
    let e = place_order(&priced, &c, &cmd).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("lines[0].quantity"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Any sequence of commands keeps the quote coherent: revisions numbered
    /// 1..n with parent links, open quantities within 0..=quoted, event
    /// sequence numbers consecutive, and a failed command changes nothing.
    #[test]
    fn command_sequences_keep_the_quote_coherent(cmds in proptest::collection::vec((0u8..7, 0usize..3, 1u32..250, 0i64..20), 1..14)) {
        let (mut q, mut approval) = issued_cached();
        let mut seq = q.next_event_seq;
        let ids = ["A", "B", "C"];
        for (kind, line, qty, days) in cmds {
            let at = now() + Duration::days(days);
            let before = q.clone();
            let result = match kind {
                0 => q.revise(&Revise {
                    author: Party::Seller,
                    author_id: "rep".into(),
                    changes: vec![LineChange {
                        line_id: ids[line].into(),
                        price_override: Some(OverrideKind::DiscountPct { percent: Decimal::from(qty % 40) }),
                        reason: "negotiation".into(),
                        ..Default::default()
                    }],
                    terms: None, valid_until: None, note: String::new(), now: at,
                }),
                1 => {
                    // Approval for the current revision (carrying over what
                    // did not get worse), approved by the manager if needed.
                    let mut fresh = match q.request_approval(
                        &RequestApproval { instance_id: format!("AQ-{seq}"), requester: "rep".into(), now: at },
                        &policy(), &HostFacts::default(), Some(&approval),
                    ) {
                        Ok(t) => Some(t.instance),
                        Err(_) => None,
                    };
                    if let Some(inst) = fresh.clone().filter(|i| i.status == ApprovalStatus::Pending) {
                        fresh = inst
                            .decide(&ApprovalCommand::Approve { actor: manager(), step_id: None, comment: String::new() }, at)
                            .ok()
                            .map(|x| x.0);
                    }
                    // The old instance never issues a changed revision.
                    if approval.binding.as_ref().map(|b| b.revision) != Some(q.latest().unwrap().number) {
                        prop_assert!(q.issue(at, Some(&approval), Some(&key())).is_err());
                    }
                    if let Some(f) = fresh {
                        approval = f;
                    }
                    q.issue(at, Some(&approval), Some(&key()))
                }
                2 | 3 => match q.latest().unwrap().seal.clone() {
                    Some(_) => {
                        let mut cmd = accept_cmd(&q, Some(vec![al(ids[line], &qty.to_string())]));
                        cmd.now = at;
                        q.accept(&cmd, Some(&key()))
                    }
                    None => q.expire(at),
                },
                4 => q.expire(at),
                5 => q.decline(&DeclineReason { kind: DeclineKind::Price, note: String::new(), competitor: None }, at),
                _ => q.withdraw("stop", at),
            };
            match result {
                Ok(t) => {
                    if kind == 1 {
                        let b = approval.binding.clone().unwrap();
                        prop_assert_eq!(b.revision, t.quote.latest().unwrap().number);
                        prop_assert_eq!(approval.status, ApprovalStatus::Approved);
                    }
                    for e in &t.events {
                        prop_assert_eq!(e.sequence, seq);
                        seq += 1;
                    }
                    q = t.quote;
                }
                Err(_) => prop_assert_eq!(&q, &before),
            }
            for (i, r) in q.revisions.iter().enumerate() {
                prop_assert_eq!(r.number as usize, i + 1);
                prop_assert_eq!(r.parent, if i == 0 { None } else { Some(i as u32) });
            }
            let quoted = &q.latest().unwrap().lines;
            for (id, open) in q.open_quantities().unwrap() {
                let total = quoted.iter().find(|l| l.line_id == id).unwrap().quantity;
                prop_assert!(open >= Decimal::ZERO && open <= total);
            }
        }
    }
}

#[test]
fn revision_keeps_approvals_unless_facts_get_worse() {
    let (q, approval) = issued();
    let revise_to = |pct: &str| {
        q.revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "A".into(),
                price_override: Some(OverrideKind::DiscountPct { percent: d(pct) }),
                reason: "renegotiated".into(),
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        })
        .unwrap()
        .quote
    };
    let reapprove = |q: &Quote| {
        let facts = compute_facts(&q.approval_subject().unwrap(), &FactContext::default()).unwrap();
        let plan = policy().evaluate(&facts).unwrap();
        ApprovalInstance::start(
            &StartApproval {
                instance_id: "AQ2".into(),
                subject_id: q.id.clone(),
                requester: "rep".into(),
                plan,
                now: now(),
            },
            Some(&approval),
        )
        .unwrap()
    };
    // A smaller discount: the sales manager's approval carries over.
    let (kept, events) = reapprove(&revise_to("18"));
    assert_eq!(kept.status, ApprovalStatus::Approved);
    assert!(events.is_empty());
    assert!(kept.audit.iter().any(|a| a.action == "carry_over"));
    // A deeper discount: asked again.
    let (again, events) = reapprove(&revise_to("25"));
    assert_eq!(again.status, ApprovalStatus::Pending);
    assert!(matches!(
        events[0].payload,
        EventPayload::ApprovalRequested { .. }
    ));
}

#[test]
fn approvals_are_bound_to_the_revision_they_approved() {
    // An 18% override cannot be issued without an approval.
    let q = build();
    let q18 = q
        .revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "A".into(),
                price_override: Some(OverrideKind::DiscountPct { percent: d("18") }),
                reason: "deal".into(),
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        })
        .unwrap()
        .quote;
    let e = q18.issue(now(), None, Some(&key())).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("APPROVAL_REQUIRED", Some("approval"))
    );
    // Submit, then revise back to draft: the pending approval is not skipped.
    let (pending, inst) = request(&q18, "AQ18", None);
    assert_eq!(pending.status, QuoteStatus::PendingApproval);
    assert_eq!(inst.binding.as_ref().unwrap().revision, 2);
    let approved = inst
        .decide(
            &ApprovalCommand::Approve {
                actor: manager(),
                step_id: None,
                comment: String::new(),
            },
            now(),
        )
        .unwrap()
        .0;
    let deeper = |q: &Quote, pct: &str| {
        q.revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "A".into(),
                price_override: Some(OverrideKind::DiscountPct { percent: d(pct) }),
                reason: "deal".into(),
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: String::new(),
            now: now(),
        })
        .unwrap()
        .quote
    };
    let q40 = deeper(&pending, "40");
    assert_eq!(q40.status, QuoteStatus::Draft);
    for a in [None, Some(&inst), Some(&approved)] {
        assert_eq!(
            q40.issue(now(), a, Some(&key())).unwrap_err().code(),
            "APPROVAL_REQUIRED"
        );
    }
    let e = q40.issue(now(), Some(&approved), Some(&key())).unwrap_err();
    assert_eq!(e.field(), Some("approval.binding.revision"));
    // Re-approval: the deeper discount asks again; carried approvals do not
    // satisfy it.
    let (_, again) = request(&q40, "AQ40", Some(&approved));
    assert_eq!(again.status, ApprovalStatus::Pending);
    // A smaller discount keeps the manager's approval and can be issued.
    let q10 = deeper(&pending, "10");
    let (ready, kept) = request(&q10, "AQ10", Some(&approved));
    assert_eq!(kept.status, ApprovalStatus::Approved);
    assert_eq!(ready.status, QuoteStatus::Draft);
    assert!(ready.issue(now(), Some(&kept), Some(&key())).is_ok());
    // Forged instances: edited facts, edited digest, raw facts.
    let mut forged = approved.clone();
    forged.plan.facts.max_discount_pct = d("5");
    let e = pending
        .issue(now(), Some(&forged), Some(&key()))
        .unwrap_err();
    assert_eq!(e.field(), Some("approval.plan.facts.max_discount_pct"));
    let mut forged = approved.clone();
    forged.binding.as_mut().unwrap().digest = "00".into();
    let e = pending
        .issue(now(), Some(&forged), Some(&key()))
        .unwrap_err();
    assert_eq!(e.field(), Some("approval.binding.digest"));
    let mut raw = approved.clone();
    raw.binding = None;
    let e = pending.issue(now(), Some(&raw), Some(&key())).unwrap_err();
    assert_eq!(e.field(), Some("approval.binding"));
    assert!(pending.issue(now(), Some(&approved), Some(&key())).is_ok());
    // An empty plan is approved at once, bound to the revision.
    let (plain, none_needed) = request(&q, "AQ0", None);
    assert_eq!(none_needed.status, ApprovalStatus::Approved);
    assert!(none_needed.plan.is_empty());
    assert!(plain.issue(now(), Some(&none_needed), None).is_ok());
}

#[test]
fn amending_an_order_needs_a_new_approval() {
    let (q, quote_approval) = issued();
    let acc = q.accept(&accept_cmd(&q, None), Some(&key())).unwrap().quote;
    let o = convert_quote(
        &acc,
        &ConvertQuote {
            order_id: "O5".into(),
            acceptance: 1,
            po_number: None,
            taken_po_numbers: vec![],
            delivery: DeliveryPreferences::default(),
            settings: OrderSettings::default(),
            now: now(),
        },
    )
    .unwrap()
    .order;
    let req = |id: &str| RequestApproval {
        instance_id: id.into(),
        requester: "rep".into(),
        now: now(),
    };
    let first = o
        .request_approval(
            &req("AO5"),
            &policy(),
            &HostFacts::default(),
            Some(&quote_approval),
        )
        .unwrap()
        .instance;
    assert_eq!(first.status, ApprovalStatus::Approved);
    let amended = o
        .amend(
            &Amend {
                lines: vec![AmendLine {
                    line_id: "B".into(),
                    quantity: d("300"),
                }],
                ..Default::default()
            },
            now(),
        )
        .unwrap()
        .order;
    let e = amended.confirm(&first, None, now()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("APPROVAL_REQUIRED", Some("approval.binding.revision"))
    );
    // Re-run: the discount and override facts did not get worse.
    let second = amended
        .request_approval(&req("AO5b"), &policy(), &HostFacts::default(), Some(&first))
        .unwrap()
        .instance;
    assert_eq!(second.status, ApprovalStatus::Approved);
    assert_eq!(second.binding.as_ref().unwrap().revision, 2);
    assert!(amended.confirm(&second, None, now()).is_ok());
    // A raw-facts instance never confirms an order.
    let facts = compute_facts(
        &amended.approval_subject().unwrap(),
        &FactContext::default(),
    )
    .unwrap();
    let (raw, _) = ApprovalInstance::start(
        &StartApproval {
            instance_id: "RAW".into(),
            subject_id: amended.id.clone(),
            requester: "rep".into(),
            plan: policy().evaluate(&facts).unwrap(),
            now: now(),
        },
        Some(&first),
    )
    .unwrap();
    assert_eq!(raw.status, ApprovalStatus::Approved);
    assert_eq!(
        amended.confirm(&raw, None, now()).unwrap_err().field(),
        Some("approval.binding")
    );
}

#[test]
fn direct_cart_order_carries_cost_and_moq_from_the_catalog() {
    use b2b_oms::order::{place_order, place_order_with_catalog, PlaceOrder};
    let c = customer("wholesaler");
    let cart = common::request(serde_json::json!([
        {"line_id": "1", "sku": "TSHIRT-M", "quantity": "10"},
        {"line_id": "2", "sku": "BOLT", "quantity": "100"}
    ]));
    let b = book();
    let priced = b.price_order(&c, &cart).unwrap();
    let cmd = PlaceOrder {
        order_id: "O10".into(),
        cart_id: "CART-10".into(),
        terms: build_input(vec![]).terms,
        po_number: None,
        taken_po_numbers: vec![],
        delivery: DeliveryPreferences::default(),
        settings: OrderSettings::default(),
        gst_rates: PlaceholderGst::default(),
        supplier_state: "27".into(),
        now: now(),
    };
    let margin: ApprovalPolicyDefinition = serde_json::from_value(serde_json::json!({
        "id": "m", "rules": [{"id": "thin", "when": "min_margin_pct < 50", "require": {"role": "finance"}}]
    }))
    .unwrap();
    let margin = ApprovalPolicy::compile(margin).unwrap();
    // Without the catalog the margin is unknown and the rule cannot fire.
    let bare = place_order(&priced, &c, &cmd).unwrap();
    assert!(bare
        .approval_plan(&margin, &HostFacts::default())
        .unwrap()
        .is_empty());
    let o = place_order_with_catalog(&priced, b.catalog(), &c, &cmd).unwrap();
    assert_eq!(o.lines[0].cost, Some(d("150.00")));
    assert_eq!(o.lines[1].moq, Some(d("100")));
    let plan = o.approval_plan(&margin, &HostFacts::default()).unwrap();
    // (net − cost) / net with the cost of 150.00 from the catalog.
    assert_eq!(plan.facts.min_margin_pct, Some(d("38.02")));
    assert_eq!(plan.steps[0].role, "finance");
    // Amending below the MOQ is refused.
    let e = o
        .amend(
            &Amend {
                lines: vec![AmendLine {
                    line_id: "2".into(),
                    quantity: d("60"),
                }],
                ..Default::default()
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("BELOW_MOQ", Some("lines[0].quantity"))
    );
}

#[test]
fn every_transition_returns_its_events() {
    use b2b_oms::customer::{Inquiry, QuoteRequestDraft};
    // Inquiry capture.
    let inquiry: Inquiry = serde_json::from_value(serde_json::json!({
        "id": "LEAD-1", "company": "Acme", "email": "a@acme.in",
        "lines": [{"sku": "CAP", "quantity": "20"}, {"description": "blue hoodies", "quantity": "5"}]
    }))
    .unwrap();
    let draft: QuoteRequestDraft =
        inquiry.quote_request(&common::catalog(), &customer("wholesaler"));
    let ev = b2b_oms::events::inquiry_captured(&inquiry, Some(&draft), Some("wholesaler"), now());
    assert_eq!((ev.aggregate_id.as_str(), ev.sequence), ("LEAD-1", 1));
    match &ev.payload {
        EventPayload::InquiryCaptured {
            matched,
            unmatched,
            segment,
            ..
        } => {
            assert_eq!(matched, &vec!["20 CAP".to_owned()]);
            assert_eq!(unmatched, &vec!["blue hoodies".to_owned()]);
            assert_eq!(segment.as_deref(), Some("wholesaler"));
        }
        other => panic!("{other:?}"),
    }
    // Building a quote.
    let input = build_input(standard_lines());
    let t = Quote::create(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap();
    assert_eq!(t.events.len(), 1);
    assert!(
        matches!(&t.events[0].payload, EventPayload::QuoteDrafted { lines, unquoted, .. } if lines.len() == 3 && unquoted.len() == 1)
    );
    assert_eq!(t.quote.next_event_seq, 2);
    // Submitting for approval (legacy form).
    let s = t.quote.submit_for_approval(now()).unwrap();
    assert!(matches!(
        &s.events[0].payload,
        EventPayload::QuoteSubmitted {
            revision: 1,
            approval_instance_id: None,
            ..
        }
    ));
    assert_eq!(s.events[0].sequence, 2);
    // Delegation and expiry of an approval.
    let q = seller_override(&build());
    let (_, inst) = request(&q, "AQ-E", None);
    let (inst, ev) = inst
        .decide(
            &ApprovalCommand::Delegate {
                actor: manager(),
                to: "deputy".into(),
                role: "sales_manager".into(),
                valid_from: now(),
                valid_until: now() + Duration::hours(4),
            },
            now(),
        )
        .unwrap();
    assert!(matches!(&ev[0].payload, EventPayload::ApprovalDelegated { to, .. } if to == "deputy"));
    // The deputy may act inside the window only.
    let deputy = Actor {
        id: "deputy".into(),
        roles: vec![],
    };
    let approve = ApprovalCommand::Approve {
        actor: deputy,
        step_id: None,
        comment: String::new(),
    };
    assert_eq!(
        inst.decide(&approve, now() + Duration::hours(5))
            .unwrap_err()
            .code(),
        "NOT_AUTHORIZED"
    );
    let (ok, _) = inst.decide(&approve, now() + Duration::hours(1)).unwrap();
    assert_eq!(ok.status, ApprovalStatus::Approved);
    // No deadline in this policy: expire is refused.
    assert_eq!(
        inst.decide(&ApprovalCommand::Expire, now() + Duration::days(9))
            .unwrap_err()
            .code(),
        "NOT_EXPIRED"
    );
}

/// A book on one product of cost 100.00 with a 20 % minimum margin, listed
/// at 110.00: its min-margin floor is 120.00 and it has no `floor_price`.
fn margin_floor_book() -> b2b_oms::pricing::PriceBook {
    use b2b_oms::catalog::{Catalog, Product};
    let products: Vec<Product> = serde_json::from_value(serde_json::json!([
        {"sku": "THIN", "name": "Thin margin", "hsn": "73181500", "gst_rate_class": "GST18",
         "base_unit": "NOS", "category": "hardware", "cost": {"amount": "100.00", "currency": "INR"},
         "min_margin_pct": "20"}
    ]))
    .unwrap();
    let def: b2b_oms::pricing::PriceBookDefinition = serde_json::from_value(serde_json::json!({
        "id": "thin", "version": "1", "currency": "INR",
        "price_lists": [{"id": "default", "currency": "INR", "entries": [{"sku": "THIN", "price": "110.00"}]}],
        "default_price_lists": ["default"]
    }))
    .unwrap();
    b2b_oms::pricing::PriceBook::compile(def, std::sync::Arc::new(Catalog::new(products).unwrap()))
        .unwrap()
}

#[test]
fn the_min_margin_floor_reaches_quote_and_order_approval_facts() {
    use b2b_oms::order::{place_order_with_catalog, PlaceOrder};
    let b = margin_floor_book();
    let c = customer("wholesaler");
    let input = build_input(vec![line("A", "THIN", "10")]);
    let q = Quote::build(&input, &b, &c, &input.gst_rates).unwrap();
    let r = q.latest().unwrap();
    assert_eq!(r.lines[0].floor, Some(d("120.00")));
    let facts = q.facts(&HostFacts::default()).unwrap();
    assert_eq!(facts.lines_below_floor, 1);

    let priced = b
        .price_order(
            &c,
            &common::request(
                serde_json::json!([{"line_id": "1", "sku": "THIN", "quantity": "10"}]),
            ),
        )
        .unwrap();
    let cmd = PlaceOrder {
        order_id: "O11".into(),
        cart_id: "CART-11".into(),
        terms: build_input(vec![]).terms,
        po_number: None,
        taken_po_numbers: vec![],
        delivery: DeliveryPreferences::default(),
        settings: OrderSettings::default(),
        gst_rates: PlaceholderGst::default(),
        supplier_state: "27".into(),
        now: now(),
    };
    let o = place_order_with_catalog(&priced, b.catalog(), &c, &cmd).unwrap();
    assert_eq!(o.lines[0].floor, Some(d("120.00")));
    assert_eq!(o.facts(&HostFacts::default()).unwrap().lines_below_floor, 1);
}

#[test]
fn default_validity_counts_from_the_issue_instant() {
    // Built 26 Nov 10:00 IST with the default 15 days: provisional 11 Dec.
    let q = build();
    assert_eq!(
        q.latest().unwrap().valid_until,
        DateTime::parse_from_rfc3339("2026-12-11T23:59:59+05:30").unwrap()
    );
    // Issued 20 days later (past the provisional validity): the quote is
    // not expired before it is issued, and its validity counts from the
    // issue instant: 15 Dec + 15 days = 30 Dec, end of day IST.
    let later = DateTime::parse_from_rfc3339("2026-12-15T10:00:00+05:30").unwrap();
    assert_eq!(q.status_at(later), QuoteStatus::Draft);
    let t = q
        .request_approval(
            &RequestApproval {
                instance_id: "AV1".into(),
                requester: "rep".into(),
                now: later,
            },
            &policy(),
            &HostFacts::default(),
            None,
        )
        .unwrap();
    let issued = t
        .quote
        .issue(later, Some(&t.instance), Some(&key()))
        .unwrap()
        .quote;
    assert_eq!(
        issued.latest().unwrap().valid_until,
        DateTime::parse_from_rfc3339("2026-12-30T23:59:59+05:30").unwrap()
    );
    assert_eq!(issued.default_validity, None);
    // An explicit validity is kept as given.
    let mut input = build_input(standard_lines());
    let explicit = DateTime::parse_from_rfc3339("2026-12-01T18:00:00+05:30").unwrap();
    input.valid_until = Some(explicit);
    let q = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap();
    let t = q
        .request_approval(
            &RequestApproval {
                instance_id: "AV2".into(),
                requester: "rep".into(),
                now: now(),
            },
            &policy(),
            &HostFacts::default(),
            None,
        )
        .unwrap();
    let issued = t.quote.issue(now(), Some(&t.instance), None).unwrap().quote;
    assert_eq!(issued.latest().unwrap().valid_until, explicit);
}

#[test]
fn the_gst_estimate_follows_the_tax_regime() {
    // Chandigarh (04) is a union territory without legislature: intra-UT
    // supply is CGST + UTGST, not CGST + SGST.
    let mut input = build_input(vec![line("A", "CAP", "10")]);
    input.settings.supplier_state = "04".into();
    input.request.ship_to_state = Some("04".into());
    let q = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap();
    let g = &q.latest().unwrap().gst;
    assert_eq!(g.tax_heads(), b2b_oms::tax::TaxHeads::CgstUtgst);
    assert_eq!((g.sgst, g.igst), (d("0"), d("0")));
    assert!(g.utgst > Decimal::ZERO);
    assert_eq!(g.utgst, g.cgst);
    assert_eq!(g.total, g.cgst + g.utgst);
    assert!(g.basis.contains("CGST + UTGST"), "{}", g.basis);

    // An export under LUT (the regime input from the host): no tax.
    let base = "27AAPFU0939F1Z";
    let gstin = format!("{base}{}", b2b_oms::tax::gstin_check_char(base).unwrap());
    let regime: b2b_oms::tax::RegimeInput = serde_json::from_value(serde_json::json!({
        "date": "2026-11-26", "supplier_gstin": gstin, "recipient_category": "overseas",
        "zero_rated_mode": "under_lut", "place_of_supply": "96"
    }))
    .unwrap();
    let mut input = build_input(vec![line("A", "CAP", "10")]);
    input.settings.regime = Some(regime.clone());
    let q = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap();
    let r = q.latest().unwrap();
    assert_eq!(r.gst.tax_heads(), b2b_oms::tax::TaxHeads::None);
    assert_eq!(r.gst.total, d("0"));
    assert_eq!(r.totals.grand_total, r.totals.total_before_tax);

    // Reverse charge: the tax is shown but not collected.
    let mut rcm = regime;
    rcm.recipient_category = b2b_oms::tax::RecipientCategory::Regular;
    rcm.zero_rated_mode = None;
    rcm.place_of_supply = None;
    rcm.recipient_state = Some("27".into());
    // Reverse charge needs a registered recipient (another registration
    // than the supplier's).
    let rbase = "27AAACR5055K1Z";
    rcm.recipient_gstin = Some(format!(
        "{rbase}{}",
        b2b_oms::tax::gstin_check_char(rbase).unwrap()
    ));
    rcm.reverse_charge = true;
    let mut input = build_input(vec![line("A", "CAP", "10")]);
    input.settings.regime = Some(rcm);
    let q = Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap();
    let r = q.latest().unwrap();
    assert!(r.gst.reverse_charge);
    assert!(r.gst.total > Decimal::ZERO);
    assert_eq!(r.totals.gst, d("0"));
    assert!(r.gst.basis.contains("reverse charge"), "{}", r.gst.basis);
}
