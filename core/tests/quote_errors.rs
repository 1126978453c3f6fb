//! Typed errors of quotes, approval policies and orders: each names its
//! stable code and the field path (and, for policy text, the position).

mod common;

use b2b_oms::approval::{
    ApprovalInstance, ApprovalPolicy, ApprovalPolicyDefinition, Condition, HostFacts,
};
use b2b_oms::credit::PaymentTerms;
use b2b_oms::order::{convert_quote, CancelLine, ConvertQuote, Order, OrderStatus};
use b2b_oms::quote::{
    Accept, BuildQuote, DeclineKind, DeclineReason, GstEstimator, PlaceholderGst, Quote,
    QuoteRequest, QuoteRequestLine, QuoteSettings, QuoteSource, QuoteStatus, QuoteTerms,
    RequestApproval, SealKey,
};
use b2b_oms::ErrorCode;
use chrono::{DateTime, Duration, FixedOffset};
use common::{book, customer, d, line, now};

fn key() -> SealKey {
    SealKey {
        key_id: "k".into(),
        secret: "s".into(),
    }
}

fn input(lines: Vec<QuoteRequestLine>) -> BuildQuote {
    BuildQuote {
        quote_id: "Q9".into(),
        request: QuoteRequest {
            id: "R9".into(),
            source: QuoteSource::SalesRep {
                rep_id: "rep".into(),
            },
            customer_id: "C-wholesaler".into(),
            channel: b2b_oms::customer::Channel::SalesRep,
            currency: "INR".into(),
            lines,
            requested_delivery_date: None,
            buyer_notes: String::new(),
            ship_to_state: None,
        },
        terms: QuoteTerms {
            payment_terms: PaymentTerms::net("N30", 30),
            delivery_terms: String::new(),
            lead_time_days: None,
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

fn empty_policy() -> ApprovalPolicy {
    ApprovalPolicy::compile(ApprovalPolicyDefinition {
        id: "none".into(),
        side: Default::default(),
        currency: None,
        rules: vec![],
        self_approval_roles: vec![],
        on_reject: Default::default(),
        step_deadline_hours: None,
    })
    .unwrap()
}

/// An issued quote for 20 caps (no approval needed: empty plan).
fn issued() -> Quote {
    let i = input(vec![line("A", "CAP", "20")]);
    let q = Quote::build(&i, &book(), &customer("wholesaler"), &i.gst_rates).unwrap();
    let t = q
        .request_approval(
            &RequestApproval {
                instance_id: "A".into(),
                requester: "rep".into(),
                now: now(),
            },
            &empty_policy(),
            &HostFacts::default(),
            None,
        )
        .unwrap();
    t.quote
        .issue(now(), Some(&t.instance), Some(&key()))
        .unwrap()
        .quote
}

fn accept(q: &Quote, at: DateTime<FixedOffset>) -> Accept {
    let r = q.latest().unwrap();
    let s = r.seal.clone().unwrap();
    Accept {
        revision: r.number,
        digest: s.digest,
        seal: s.hmac,
        presented: None,
        lines: None,
        accepted_by: "buyer".into(),
        po_number: None,
        now: at,
    }
}

fn convert(at: DateTime<FixedOffset>) -> ConvertQuote {
    ConvertQuote {
        order_id: "O9".into(),
        acceptance: 1,
        po_number: None,
        taken_po_numbers: vec![],
        delivery: Default::default(),
        settings: Default::default(),
        now: at,
    }
}

/// A confirmed order for the 20 caps, and its approval.
fn confirmed() -> (Order, ApprovalInstance) {
    let q = issued();
    let acc = q.accept(&accept(&q, now()), Some(&key())).unwrap().quote;
    let o = convert_quote(&acc, &convert(now())).unwrap().order;
    let a = o
        .request_approval(
            &RequestApproval {
                instance_id: "AO".into(),
                requester: "rep".into(),
                now: now(),
            },
            &empty_policy(),
            &HostFacts::default(),
            None,
        )
        .unwrap()
        .instance;
    (o.confirm(&a, None, now()).unwrap().order, a)
}

#[test]
fn build_reports_moq_and_missing_price_lines() {
    // BOLT has an MOQ of 100; TSHIRT-L has no price.
    let i = input(vec![
        line("A", "BOLT", "10"),
        line("B", "TSHIRT-L", "5"),
        line("C", "CAP", "10"),
    ]);
    let q = Quote::build(&i, &book(), &customer("wholesaler"), &i.gst_rates).unwrap();
    let r = q.latest().unwrap();
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.lines[0].sku, "CAP");
    let fields: Vec<&str> = r.unquoted.iter().map(|p| p.field.as_str()).collect();
    assert!(fields[0].starts_with("request.lines[0]"), "{fields:?}");
    assert!(fields[1].starts_with("request.lines[1]"), "{fields:?}");
    assert_eq!(r.unquoted[0].code, "BELOW_MOQ");
    assert_eq!(r.unquoted[1].code, "NO_PRICE");
    // Nothing quotable at all fails.
    let i = input(vec![line("A", "BOLT", "10")]);
    let e = Quote::build(&i, &book(), &customer("wholesaler"), &i.gst_rates).unwrap_err();
    assert_eq!(e.code(), "UNQUOTABLE_LINES");
    assert!(e.field().unwrap().starts_with("request.lines[0]"));
}

struct NoRates;

impl GstEstimator for NoRates {
    fn rate(&self, _class: &str) -> Option<rust_decimal::Decimal> {
        None
    }
}

#[test]
fn unknown_gst_class() {
    let i = input(vec![line("A", "CAP", "10")]);
    let e = Quote::build(&i, &book(), &customer("wholesaler"), &NoRates).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_GST_CLASS", Some("lines[0].gst_rate_class"))
    );
}

#[test]
fn policy_rule_limit_and_text_positions() {
    let rule = serde_json::json!({"id": "r", "when": "line_count > 0", "require": {"role": "x"}});
    let rules: Vec<serde_json::Value> = (0..10_001)
        .map(|i| {
            let mut r = rule.clone();
            r["id"] = format!("r{i}").into();
            r
        })
        .collect();
    let def: ApprovalPolicyDefinition =
        serde_json::from_value(serde_json::json!({"id": "p", "rules": rules})).unwrap();
    let e = ApprovalPolicy::compile(def).unwrap_err();
    assert_eq!((e.code(), e.field()), ("INVALID_POLICY", Some("rules")));
    let compile = |when: &str| {
        let def: ApprovalPolicyDefinition = serde_json::from_value(serde_json::json!({
            "id": "p", "currency": "INR",
            "rules": [{"id": "r", "when": when, "require": {"role": "x"}}]
        }))
        .unwrap();
        ApprovalPolicy::compile(def).unwrap_err()
    };
    //                   0         1         2         3
    //                   0123456789012345678901234567890123456
    let e = compile("max_discount_pct > 15 and segmnt == \"distributor\"");
    assert_eq!(e.code(), "UNKNOWN_FACT");
    assert_eq!(e.field(), Some("rules[0].when[1]"));
    assert_eq!(e.position(), Some(26));
    assert!(e.to_string().contains("position 26"), "{e}");
    let e = compile("not (line_count > 1 or segment > \"a\")");
    assert_eq!((e.code(), e.position()), ("TYPE_MISMATCH", Some(23)));
    let e = compile("total_before_tax > 5 USD");
    assert_eq!((e.code(), e.position()), ("CURRENCY_MISMATCH", Some(0)));
    // Parse errors have had positions all along.
    let e = Condition::parse("line_count >").unwrap_err();
    assert_eq!((e.code(), e.position()), ("POLICY_PARSE_ERROR", Some(12)));
}

#[test]
fn spec_text_example_parses_and_prints_back() {
    let text = "max_discount_pct > 15 and segment == \"distributor\"";
    let c = Condition::parse(text).unwrap();
    assert_eq!(c.to_text(), text);
    assert!(matches!(&c, Condition::All(items) if items.len() == 2));
    let def: ApprovalPolicyDefinition = serde_json::from_value(serde_json::json!({
        "id": "p", "rules": [{"id": "deep", "when": text, "require": {"role": "sales_manager"}}]
    }))
    .unwrap();
    assert_eq!(
        ApprovalPolicy::compile(def).unwrap().rule_text("deep"),
        Some(text)
    );
}

#[test]
fn declined_or_withdrawn_quotes_cannot_be_accepted_and_now_is_checked() {
    let q = issued();
    let late = now() + Duration::days(30);
    let price = DeclineReason {
        kind: DeclineKind::Price,
        note: String::new(),
        competitor: None,
    };
    // Declining or withdrawing an expired quote fails.
    let e = q.decline(&price, late).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("QUOTE_EXPIRED", Some("valid_until"))
    );
    assert_eq!(
        q.withdraw("stop", late).unwrap_err().code(),
        "QUOTE_EXPIRED"
    );
    let declined = q.decline(&price, now()).unwrap().quote;
    assert_eq!(declined.status, QuoteStatus::Declined);
    let withdrawn = q.withdraw("stop", now()).unwrap().quote;
    for dead in [&declined, &withdrawn] {
        let e = dead.accept(&accept(&q, now()), Some(&key())).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_TRANSITION", Some("status"))
        );
    }
}

#[test]
fn an_expired_accepted_quote_cannot_be_converted() {
    let q = issued();
    let acc = q.accept(&accept(&q, now()), Some(&key())).unwrap().quote;
    let e = convert_quote(&acc, &convert(now() + Duration::days(30))).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("QUOTE_EXPIRED", Some("valid_until"))
    );
}

#[test]
fn order_command_refusals() {
    let (o, a) = confirmed();
    assert_eq!(o.status(), OrderStatus::Confirmed);
    // Confirm twice.
    let e = o.confirm(&a, None, now()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_TRANSITION", Some("status"))
    );
    // Unknown line.
    let e = o
        .cancel(
            Some(&[CancelLine {
                line_id: "ZZ".into(),
                quantity: d("1"),
            }]),
            "r",
            now(),
        )
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("lines[0].line_id"))
    );
    // Close from the wrong state (a draft).
    let q = issued();
    let acc = q.accept(&accept(&q, now()), Some(&key())).unwrap().quote;
    let draft = convert_quote(&acc, &convert(now())).unwrap().order;
    let e = draft.close(now()).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_TRANSITION", Some("status"))
    );
    // update_line refusals: on a draft, a changed ordered quantity, a broken invariant.
    let item = o.lines[0].clone();
    assert_eq!(
        draft.update_line(item.clone()).unwrap_err().code(),
        "INVALID_TRANSITION"
    );
    let mut more = item.clone();
    more.ordered += d("1");
    let e = o.update_line(more).unwrap_err();
    assert_eq!((e.code(), e.field()), ("INVALID_FIELD", Some("lines[0]")));
    let mut over = item.clone();
    over.shipped = d("5");
    let e = o.update_line(over).unwrap_err();
    assert_eq!(e.code(), "QUANTITY_INVARIANT");
    assert!(
        e.field().unwrap().starts_with("lines[0]"),
        "{:?}",
        e.field()
    );
    let mut unknown = item;
    unknown.line_id = "ZZ".into();
    let e = o.update_line(unknown).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("UNKNOWN_LINE", Some("line.line_id"))
    );
}

#[test]
fn cancelling_a_partly_shipped_order_cancels_only_the_remainder() {
    let (o, _) = confirmed();
    let l = o.lines[0].record_allocation(d("20")).unwrap();
    let l = l.record_shipment(d("8")).unwrap();
    let shipped = o.update_line(l).unwrap();
    assert_eq!(shipped.status(), OrderStatus::PartiallyShipped);
    let t = shipped.cancel(None, "buyer stops", now()).unwrap();
    let line = &t.order.lines[0];
    assert_eq!(line.cancelled, d("12"));
    assert_eq!(line.allocated, d("8"));
    // What was shipped stays: the order is shipped, not cancelled.
    assert_eq!(t.order.status(), OrderStatus::Shipped);
    // Nothing left to cancel now.
    let e = t.order.cancel(None, "again", now()).unwrap_err();
    assert_eq!((e.code(), e.field()), ("QUANTITY_INVARIANT", Some("lines")));
    // An unshipped order cancels whole.
    let (o, _) = confirmed();
    let t = o.cancel(None, "buyer stops", now()).unwrap();
    assert_eq!(t.order.status(), OrderStatus::Cancelled);
}
