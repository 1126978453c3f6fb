//! The worked examples of quotes-approvals-credit.md, through the serde
//! operations a CLI or binding calls.

use b2b_oms::approval::{
    approval_decide, approval_plan, approval_start, ApprovalStatus, DecideInput, PlanInput,
    StartInput,
};
use b2b_oms::credit::{
    credit_check, terms_schedule, CreditCheckInput, CreditStatus, ScheduleInput,
};
use b2b_oms::json::from_json;
use b2b_oms::ErrorCode;
use serde_json::json;

fn subject(total: &str, discount_list: &str, discount_net: &str) -> serde_json::Value {
    json!({
        "subject_id": "O-1", "currency": "INR", "segment": "distributor", "tags": [],
        "channel": "portal",
        "lines": [{"list_price": discount_list, "net_price": discount_net, "base_quantity": "10"}],
        "total_before_tax": total, "total_after_tax": total,
        "terms": {"id": "NET30", "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]}
    })
}

#[test]
fn seller_discount_rule_explains_with_fact_values() {
    let input: PlanInput = serde_json::from_value(json!({
        "policy": {"id": "seller", "rules": [
            {"id": "deep", "description": "deep discount for trade",
             "when": "max_discount_pct > 15 and segment in [\"distributor\", \"wholesaler\"]",
             "require": {"role": "sales_manager"}},
            {"id": "huge", "when": "max_discount_pct > 15", "require": {"role": "finance", "count": 2, "level": 2}}
        ]},
        "subject": subject("81600", "100", "81.6")
    }))
    .unwrap();
    let plan = approval_plan(&input).unwrap();
    assert_eq!(plan.steps.len(), 2);
    let step = &plan.steps[0];
    assert_eq!(step.role, "sales_manager");
    assert_eq!(
        step.rules[0].condition,
        "max_discount_pct > 15 and segment in [\"distributor\", \"wholesaler\"]"
    );
    assert_eq!(
        step.rules[0].readings[0].test,
        "max_discount_pct = 18.4 > 15"
    );
    assert_eq!(
        step.rules[0].readings[1].test,
        "segment = \"distributor\" in [\"distributor\", \"wholesaler\"]"
    );
    assert_eq!((plan.steps[1].level, plan.steps[1].count), (2, 2));
}

#[test]
fn buyer_organisation_requires_purchase_manager_above_five_lakh() {
    let policy = json!({"id": "buyer-acme", "side": "buyer", "rules": [
        {"id": "big-po", "when": "total_after_tax > 500000 INR", "require": {"role": "purchase_manager"}}
    ]});
    let small: PlanInput = serde_json::from_value(
        json!({"policy": policy, "subject": subject("499999.99", "10", "10")}),
    )
    .unwrap();
    assert!(approval_plan(&small).unwrap().is_empty());
    let big: PlanInput = serde_json::from_value(
        json!({"policy": policy, "subject": subject("500000.01", "10", "10")}),
    )
    .unwrap();
    let plan = approval_plan(&big).unwrap();
    assert_eq!(plan.steps[0].role, "purchase_manager");
    // Run it: the buyer who placed the order cannot approve it; the manager can.
    let started = approval_start(
        &serde_json::from_value::<StartInput>(json!({
            "start": {"instance_id": "BA-1", "subject_id": "O-1", "requester": "asha",
                      "plan": plan, "now": "2026-11-26T10:00:00+05:30"}
        }))
        .unwrap(),
    )
    .unwrap();
    let decide = |who: &str| -> DecideInput {
        serde_json::from_value(json!({
            "instance": started.instance,
            "command": {"command": "approve", "actor": {"id": who, "roles": ["purchase_manager"]}},
            "now": "2026-11-26T11:00:00+05:30"
        }))
        .unwrap()
    };
    assert_eq!(
        approval_decide(&decide("asha")).unwrap_err().code(),
        "SELF_APPROVAL"
    );
    let done = approval_decide(&decide("ravi")).unwrap();
    assert_eq!(done.instance.status, ApprovalStatus::Approved);
    assert_eq!(done.events[0].sequence, 2);
    // A policy comparing money in another currency does not compile.
    let usd: PlanInput = serde_json::from_value(json!({
        "policy": {"id": "x", "currency": "INR", "rules": [
            {"id": "r", "when": "total_after_tax > 6000 USD", "require": {"role": "m"}}]},
        "subject": subject("1", "1", "1")
    }))
    .unwrap();
    let e = approval_plan(&usd).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("CURRENCY_MISMATCH", Some("rules[0].when"))
    );
}

#[test]
fn terms_and_credit_operations() {
    let input: ScheduleInput = from_json(
        r#"{"terms": {"id": "30-70", "instalments": [
              {"share": {"type": "percent", "percent": "30"}, "basis": "order_date"},
              {"share": {"type": "balance"}, "basis": "invoice_date", "days": 45}]},
            "amount": {"amount": "118000.05", "currency": "INR"},
            "dates": {"order_date": "2026-11-26", "invoice_date": "2026-12-01"}}"#,
    )
    .unwrap();
    let s = terms_schedule(&input).unwrap();
    assert_eq!(s.instalments[0].amount.amount.to_string(), "35400.02");
    assert_eq!(s.instalments[1].amount.amount.to_string(), "82600.03");
    assert_eq!(s.instalments[1].due_date.unwrap().to_string(), "2027-01-15");
    assert_eq!(s.advance.amount.to_string(), "35400.02");
    let c: CreditCheckInput = from_json(
        r#"{"customer_id": "C1", "credit_limit": {"amount": "500000", "currency": "INR"},
            "outstanding": {"amount": "320000", "currency": "INR"},
            "open_orders": {"amount": "80000", "currency": "INR"},
            "this_order": {"amount": "150000", "currency": "INR"},
            "advance_received": {"amount": "20000", "currency": "INR"},
            "tolerance_pct": "5"}"#,
    )
    .unwrap();
    let r = credit_check(&c).unwrap();
    assert_eq!(r.exposure.amount.to_string(), "530000");
    assert_eq!(r.limit_with_tolerance.amount.to_string(), "525000.00");
    assert!(
        matches!(r.status, CreditStatus::OverLimit { ref over_by, blocks: false } if over_by.amount.to_string() == "5000.00")
    );
}
