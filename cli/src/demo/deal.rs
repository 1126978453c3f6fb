//! The demo's deal: the distributor's quote with an 18 % discount needs a
//! sales manager's approval; the requester may not approve it herself; a
//! manager approves; the sealed quote is issued; the buyer accepts part of
//! it with a PO number; it converts to an order with the quote's prices and
//! terms; the events become the notifications a buyer would receive.

use std::fmt::Write as _;

use b2b_oms::approval::{
    Actor, ApprovalCommand, ApprovalInstance, ApprovalPolicy, ApprovalPolicyDefinition, HostFacts,
};
use b2b_oms::credit::PaymentTerms;
use b2b_oms::customer::{Channel, Customer};
use b2b_oms::events::{Audience, DomainEvent, EventPayload};
use b2b_oms::order::{convert_quote, ConvertQuote, DeliveryPreferences, Order, OrderSettings};
use b2b_oms::pricing::{PriceBook, PriceRequest};
use b2b_oms::quote::{
    Accept, AcceptLine, BuildQuote, DatedRates, LineChange, OverrideKind, Party, PlaceholderGst,
    Quote, QuoteRequest, QuoteRequestLine, QuoteSettings, QuoteSource, QuoteTerms, RequestApproval,
    Revise, SealKey,
};
use b2b_oms::tax::RateTable;
use b2b_oms::ErrorCode;
use chrono::{DateTime, Duration, FixedOffset};
use rust_decimal::Decimal;

use super::{inr, section};

fn err<E: ErrorCode>(e: E) -> String {
    e.info().to_string()
}

/// What the deal produced, for `--json`.
#[derive(serde::Serialize)]
pub struct DealResult {
    pub quote: Quote,
    pub approval: ApprovalInstance,
    pub order: Order,
    pub events: Vec<DomainEvent>,
}

/// The text of a buyer notification, where the demo words one.
fn notification(e: &DomainEvent) -> Option<String> {
    Some(match &e.payload {
        EventPayload::QuoteIssued {
            quote_id,
            revision,
            grand_total,
            valid_until,
            ..
        } => format!(
            "Your quote {quote_id} (revision {revision}) is ready: {} incl. GST, valid until {}.",
            inr(grand_total.amount),
            valid_until.format("%-d %b %Y")
        ),
        EventPayload::QuoteAccepted {
            quote_id,
            total_before_tax,
            remainder_open,
            ..
        } => format!(
            "We received your acceptance of {quote_id}: {} before tax{}.",
            inr(total_before_tax.amount),
            if *remainder_open {
                "; the rest of the quote stays open until it expires"
            } else {
                ""
            }
        ),
        EventPayload::QuoteConverted {
            quote_id, order_id, ..
        } => format!("Quote {quote_id} is now order {order_id}."),
        EventPayload::OrderConfirmed {
            order_id,
            po_number,
            total_before_tax,
            advance_due,
            ..
        } => format!(
            "Order {order_id} (your PO {}) is confirmed: {} before tax; advance due {}.",
            po_number.as_deref().unwrap_or("-"),
            inr(total_before_tax.amount),
            inr(advance_due.amount)
        ),
        _ => return None,
    })
}

fn event_name(e: &DomainEvent) -> String {
    serde_json::to_value(&e.payload)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// Runs the deal for the distributor's request and returns the order.
pub fn run(
    out: &mut String,
    book: &PriceBook,
    customer: &Customer,
    request: &PriceRequest,
    policy: ApprovalPolicyDefinition,
) -> Result<DealResult, String> {
    let t0: DateTime<FixedOffset> = request.priced_at;
    let key = SealKey {
        key_id: "deccan-2026".into(),
        secret: "demo-only-seal-secret".into(),
    };
    let rep = "rep.anita";
    let quote_id = request.order_id.clone().unwrap_or_else(|| "QUOTE".into());
    let mut events: Vec<DomainEvent> = Vec::new();

    section(
        out,
        "3. A quote with an 18 % discount goes through approval",
    );
    let build = BuildQuote {
        quote_id: quote_id.clone(),
        request: QuoteRequest {
            id: format!("RFQ-{quote_id}"),
            source: QuoteSource::SalesRep { rep_id: rep.into() },
            customer_id: customer.id.clone(),
            channel: Channel::SalesRep,
            currency: request.currency.clone(),
            lines: request
                .lines
                .iter()
                .map(|l| QuoteRequestLine {
                    line_id: l.line_id.clone(),
                    sku: l.sku.clone(),
                    quantity: l.quantity,
                    unit: l.unit.clone(),
                    target_price: l.target_price,
                    notes: String::new(),
                })
                .collect(),
            requested_delivery_date: None,
            buyer_notes: "Quarterly stock for our Karnataka dealers".into(),
            ship_to_state: None,
        },
        terms: QuoteTerms {
            payment_terms: PaymentTerms::advance_then_net("30-70", Decimal::from(30), 30),
            delivery_terms: "door delivery, freight included".into(),
            lead_time_days: Some(7),
            conditions: vec!["prices in INR, GST extra".into()],
        },
        valid_until: None,
        notes: String::new(),
        author_id: rep.into(),
        now: t0,
        settings: QuoteSettings::default(),
        gst_rates: PlaceholderGst::default(),
    };
    let rates = RateTable::india_default();
    let dated = DatedRates {
        table: &rates,
        date: t0.date_naive(),
    };
    let quote = Quote::build(&build, book, customer, &dated).map_err(err)?;
    let r1 = quote.latest().map_err(err)?;
    let _ = writeln!(
        out,
        "Quote {} rev {} for {}: {} line(s), {} before tax, valid until {}",
        quote.id,
        r1.number,
        quote.customer_name,
        r1.lines.len(),
        inr(r1.totals.total_before_tax),
        r1.valid_until.format("%-d %b %Y")
    );
    for p in &r1.unquoted {
        let _ = writeln!(out, "  not quoted: {} {} — {}", p.sku, p.code, p.message);
    }
    let revised = quote
        .revise(&Revise {
            author: Party::Seller,
            author_id: rep.into(),
            changes: vec![LineChange {
                line_id: "1".into(),
                price_override: Some(OverrideKind::DiscountPct {
                    percent: Decimal::from(18),
                }),
                reason: "volume deal for the Karnataka launch".into(),
                ..Default::default()
            }],
            terms: None,
            valid_until: None,
            note: "18 % off the navy T-shirts".into(),
            now: t0 + Duration::minutes(20),
        })
        .map_err(err)?;
    events.extend(revised.events);
    let quote = revised.quote;
    let diff = quote.diff(1, 2).map_err(err)?;
    let changes: Vec<String> = diff
        .summary()
        .into_iter()
        .filter(|c| !c.contains('{'))
        .collect();
    let _ = writeln!(
        out,
        "Revision 2 by the sales rep (diff against 1): {}",
        changes.join("; ")
    );
    let policy = ApprovalPolicy::compile(policy).map_err(err)?;
    // The engine computes the plan from the revision and binds the
    // instance to it.
    let pending = quote
        .request_approval(
            &RequestApproval {
                instance_id: format!("APR-{quote_id}"),
                requester: rep.into(),
                now: t0 + Duration::minutes(25),
            },
            &policy,
            &HostFacts::default(),
            None,
        )
        .map_err(err)?;
    events.extend(pending.events);
    let quote = pending.quote;
    let instance = pending.instance;
    for step in &instance.plan.steps {
        let _ = writeln!(
            out,
            "Approval needed: {} × {} (level {})",
            step.count, step.role, step.level
        );
        for rule in &step.rules {
            let readings: Vec<String> = rule.readings.iter().map(|r| r.test.clone()).collect();
            let _ = writeln!(
                out,
                "  rule {} ({}) because {}",
                rule.rule_id,
                rule.condition,
                readings.join(", ")
            );
        }
    }
    let approve = |who: &str, roles: &[&str]| ApprovalCommand::Approve {
        actor: Actor {
            id: who.into(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        },
        step_id: None,
        comment: "margin still above cost".into(),
    };
    match instance.decide(
        &approve(rep, &["sales_rep", "sales_manager"]),
        t0 + Duration::minutes(30),
    ) {
        Err(e) => {
            let _ = writeln!(
                out,
                "{rep} tries to approve her own quote: refused, {} — {}",
                e.code(),
                e
            );
        }
        Ok(_) => return Err("self-approval was not refused".into()),
    }
    let (instance, granted) = instance
        .decide(
            &approve("mgr.vikram", &["sales_manager"]),
            t0 + Duration::minutes(50),
        )
        .map_err(err)?;
    events.extend(granted);
    let _ = writeln!(
        out,
        "mgr.vikram (sales manager) approves: instance {:?}",
        instance.status
    );

    let issued = quote
        .issue(t0 + Duration::minutes(55), Some(&instance), Some(&key))
        .map_err(err)?;
    events.extend(issued.events);
    let quote = issued.quote;
    let latest = quote.latest().map_err(err)?;
    let seal = latest.seal.clone().ok_or("the issued quote has no seal")?;
    let _ = writeln!(
        out,
        "Issued and sealed: digest {}…, HMAC by key {}",
        seal.digest.chars().take(16).collect::<String>(),
        seal.key_id.as_deref().unwrap_or("-")
    );

    section(
        out,
        "4. The buyer accepts part of the quote; it becomes an order",
    );
    let mut tampered = latest.clone();
    if let Some(l) = tampered.lines.first_mut() {
        l.unit_price -= Decimal::ONE;
    }
    let accept = |presented, lines: Vec<AcceptLine>| Accept {
        revision: latest.number,
        digest: seal.digest.clone(),
        seal: seal.hmac.clone(),
        presented: Some(presented),
        lines: Some(lines),
        accepted_by: "ravi.kulkarni@sgd".into(),
        po_number: Some("SGD/PO/2026/0412".into()),
        now: t0 + Duration::days(1),
    };
    let wanted: Vec<AcceptLine> = latest
        .lines
        .iter()
        .filter(|l| !l.free)
        .map(|l| AcceptLine {
            line_id: l.line_id.clone(),
            // The buyer takes 30 of the 40 boxes of size L for now.
            quantity: if l.sku == "TEE-COT-L" {
                Decimal::from(30)
            } else {
                l.quantity
            },
            unit_price: None,
        })
        .collect();
    if let Err(e) = quote.accept(&accept(tampered, wanted.clone()), Some(&key)) {
        let _ = writeln!(
            out,
            "An acceptance with a price changed by ₹1 is rejected: {} — {}",
            e.code(),
            e
        );
    }
    let accepted = quote
        .accept(&accept(latest.clone(), wanted), Some(&key))
        .map_err(err)?;
    events.extend(accepted.events);
    let quote = accepted.quote;
    for (line, open) in quote.open_quantities().map_err(err)? {
        if !open.is_zero() {
            let _ = writeln!(out, "  still open on the quote: line {line} × {open}");
        }
    }
    let converted = convert_quote(
        &quote,
        &ConvertQuote {
            order_id: "SO-2026-0412".into(),
            acceptance: 1,
            po_number: None,
            taken_po_numbers: vec!["SGD/PO/2026/0399".into()],
            delivery: DeliveryPreferences {
                ship_complete: false,
                carrier: Some("Safexpress".into()),
                ..Default::default()
            },
            settings: OrderSettings {
                require_po: true,
                allow_invoice_before_shipment: false,
            },
            now: t0 + Duration::days(1) + Duration::hours(2),
        },
    )
    .map_err(err)?;
    events.extend(converted.events);
    let order = converted.order;
    let quote = converted.quote;
    // Re-approval on conversion: prices unchanged, so the quote's approval carries over.
    let order_approval = order
        .request_approval(
            &RequestApproval {
                instance_id: format!("APR-{}", order.id),
                requester: rep.into(),
                now: t0 + Duration::days(1) + Duration::hours(2),
            },
            &policy,
            &HostFacts::default(),
            Some(&instance),
        )
        .map_err(err)?;
    events.extend(order_approval.events);
    let order_approval = order_approval.instance;
    let confirmed = order
        .confirm(
            &order_approval,
            None,
            t0 + Duration::days(1) + Duration::hours(3),
        )
        .map_err(err)?;
    events.extend(confirmed.events);
    let order = confirmed.order;
    let _ = writeln!(
        out,
        "Order {} from PO {}: {} line(s), {} before tax, terms {}, advance due {} ({:?}); the order needed no new approval ({:?})",
        order.id,
        order.po_number.as_deref().unwrap_or("-"),
        order.lines.len(),
        inr(order.totals.total_before_tax),
        order.terms.payment_terms.id,
        inr(order.advance_due),
        order.status(),
        order_approval.status
    );
    for l in &order.lines {
        let _ = writeln!(
            out,
            "  line {:<8} {:<12} {:>5} {:<4} at {:>10}{}",
            l.line_id,
            l.sku,
            l.ordered,
            l.unit,
            inr(l.unit_price),
            if l.free { " free" } else { "" }
        );
    }
    let _ = writeln!(out, "\nWhat the buyer is told:");
    let mut internal = Vec::new();
    for e in &events {
        if e.payload.audience() == Audience::Seller {
            internal.push(format!(
                "{} #{} {}",
                e.aggregate_id,
                e.sequence,
                event_name(e)
            ));
            continue;
        }
        let text = notification(e).unwrap_or_else(|| event_name(e));
        let _ = writeln!(out, "  [{} #{}] {text}", e.aggregate_id, e.sequence);
    }
    if !internal.is_empty() {
        let _ = writeln!(out, "  (kept inside the seller: {})", internal.join(", "));
    }
    Ok(DealResult {
        quote,
        approval: instance,
        order,
        events,
    })
}
