//! The journey's approval links (issue 17 items 10 and 11): the
//! stock-shortfall fact is counted by the engine from an allocation, and a
//! buyer organisation's policy is enforced at acceptance and confirmation.

mod common;

use b2b_oms::approval::{ApprovalPolicy, ApprovalPolicyDefinition, HostFacts};
use b2b_oms::fulfilment::{AllocationInput, AllocationPlan};
use b2b_oms::quote::{BuildQuote, PlaceholderGst, Quote, QuoteRequest, QuoteSettings, QuoteTerms};
use b2b_oms::ErrorCode;
use common::{book, customer, line, now};
use serde_json::json;

fn build_input() -> BuildQuote {
    BuildQuote {
        quote_id: "Q1".into(),
        request: QuoteRequest {
            id: "RFQ1".into(),
            source: b2b_oms::quote::QuoteSource::SalesRep {
                rep_id: "rep".into(),
            },
            customer_id: "C-wholesaler".into(),
            channel: b2b_oms::customer::Channel::SalesRep,
            currency: "INR".into(),
            lines: vec![line("A", "TSHIRT-M", "100"), line("B", "BOLT", "200")],
            requested_delivery_date: None,
            buyer_notes: String::new(),
            ship_to_state: None,
        },
        terms: QuoteTerms {
            payment_terms: b2b_oms::credit::PaymentTerms::net("N30", 30),
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

fn quote() -> Quote {
    let input = build_input();
    Quote::build(&input, &book(), &customer("wholesaler"), &input.gst_rates).unwrap()
}

/// A dry allocation of `order_id`'s lines A × 100 and B × 200 against a
/// warehouse holding 100 T-shirts and 50 bolts: B is backordered.
fn dry_run(order_id: &str) -> AllocationPlan {
    let input: AllocationInput = serde_json::from_value(json!({
        "request": {"order_id": order_id, "customer_id": "C-wholesaler",
            "destination": {"state_code": "27", "pincode": "400001"},
            "lines": [{"line_id": "A", "sku": "TSHIRT-M", "quantity": "100"},
                      {"line_id": "B", "sku": "BOLT", "quantity": "200"}]},
        "warehouses": [{"id": "W1", "name": "Bhiwandi",
            "address": {"state_code": "27", "pincode": "421302"}, "priority": 1}],
        "stock": {"items": [
            {"warehouse_id": "W1", "sku": "TSHIRT-M", "batches": [{"batch_id": "t1", "on_hand": "100"}]},
            {"warehouse_id": "W1", "sku": "BOLT", "batches": [{"batch_id": "b1", "on_hand": "50"}]}]},
        "today": "2026-11-26", "planned_at": "2026-11-26T04:30:00Z"
    }))
    .unwrap();
    b2b_oms::fulfilment::allocate(&input).unwrap().plan
}

fn stock_policy() -> ApprovalPolicy {
    let def: ApprovalPolicyDefinition = serde_json::from_value(json!({
        "id": "seller", "currency": "INR",
        "rules": [{"id": "short", "when": "stock_shortfall_lines > 0",
                   "require": {"role": "ops_manager"}}]
    }))
    .unwrap();
    ApprovalPolicy::compile(def).unwrap()
}

#[test]
fn a_backordered_line_is_one_line_of_stock_shortfall_and_its_rule_fires() {
    let q = quote();
    let plan = dry_run("Q1");
    assert_eq!(plan.backorders.len(), 1);
    let host = HostFacts {
        allocation: Some(plan),
        ..HostFacts::default()
    };
    assert_eq!(q.facts(&host).unwrap().stock_shortfall_lines, 1);
    let approval = q.approval_plan(&stock_policy(), &host).unwrap();
    assert_eq!(approval.steps.len(), 1);
    assert_eq!(approval.steps[0].role, "ops_manager");
    assert_eq!(
        approval.steps[0].rules[0].readings[0].test,
        "stock_shortfall_lines = 1 > 0"
    );
    // Without an allocation nothing is short and nothing is asked.
    let none = q.approval_plan(&stock_policy(), &HostFacts::default());
    assert!(none.unwrap().is_empty());
}

#[test]
fn an_allocation_of_another_subject_is_refused() {
    let host = HostFacts {
        allocation: Some(dry_run("Q-other")),
        ..HostFacts::default()
    };
    let e = quote().facts(&host).unwrap_err();
    assert_eq!(e.code(), "ALLOCATION_MISMATCH");
    assert_eq!(e.field(), Some("context.allocation.order_id"));
}

#[test]
fn a_host_supplied_shortfall_number_is_an_unknown_field() {
    let e = b2b_oms::json::from_json::<HostFacts>(r#"{"stock_shortfall_lines": 0}"#).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_FIELD");
    assert!(e.message.contains("`allocation`"), "{}", e.message);
    // Through the host: the raw plan's context refuses it too.
    let input = json!({
        "policy": {"id": "p", "rules": []},
        "subject": {"subject_id": "Q1", "currency": "INR", "segment": "s", "tags": [],
            "channel": "portal", "lines": [], "total_before_tax": "0", "total_after_tax": "0",
            "terms": b2b_oms::credit::PaymentTerms::net("N30", 30)},
        "context": {"stock_shortfall_lines": 3}
    });
    let e = b2b_oms::host::call("approval_plan", &input.to_string()).unwrap_err();
    assert_eq!(e.code, "UNKNOWN_FIELD");
    assert_eq!(e.field.as_deref(), Some("context.stock_shortfall_lines"));
    assert!(e.message.contains("allocation plan"), "{}", e.message);
}
