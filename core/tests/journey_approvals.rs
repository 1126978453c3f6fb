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

// ---- item 10: the buyer organisation's approval ----

use b2b_oms::approval::{
    Actor, ApprovalCommand, ApprovalInstance, ApprovalStatus, BuyerApproval, BuyerSide,
};
use b2b_oms::order::{convert_quote, ConvertQuote, Order};
use b2b_oms::quote::{Accept, LineChange, Party, RequestApproval, Revise};

fn policy_of(v: serde_json::Value) -> ApprovalPolicy {
    ApprovalPolicy::compile(serde_json::from_value(v).unwrap()).unwrap()
}

fn seller_policy() -> ApprovalPolicy {
    policy_of(json!({"id": "seller", "rules": []}))
}

/// The buyer's purchase manager approves anything above `above` rupees.
fn buyer_def(above: &str) -> serde_json::Value {
    json!({"id": "buyer-org", "side": "buyer", "currency": "INR",
        "rules": [{"id": "big", "when": format!("total_before_tax > {above} INR"),
                   "require": {"role": "purchase_manager"}}]})
}

fn req(id: &str) -> RequestApproval {
    RequestApproval {
        instance_id: id.into(),
        requester: "buyer-clerk".into(),
        now: now(),
    }
}

fn purchase_manager() -> Actor {
    Actor {
        id: "pm".into(),
        roles: vec!["purchase_manager".into()],
    }
}

/// Issues the latest revision under an empty seller policy.
fn issue(q: &Quote) -> Quote {
    let t = q
        .request_approval(&req("S1"), &seller_policy(), &HostFacts::default(), None)
        .unwrap();
    assert_eq!(t.instance.status, ApprovalStatus::Approved);
    t.quote.issue(now(), Some(&t.instance), None).unwrap().quote
}

fn buyer_instance(q: &Quote, policy: &ApprovalPolicy, decide: Option<bool>) -> ApprovalInstance {
    let t = q
        .request_buyer_approval(&req("B1"), policy, &HostFacts::default(), None)
        .unwrap();
    assert_eq!(t.instance.plan.side, b2b_oms::approval::PolicySide::Buyer);
    let cmd = match decide {
        None => return t.instance,
        Some(true) => ApprovalCommand::Approve {
            actor: purchase_manager(),
            step_id: None,
            comment: "within budget".into(),
        },
        Some(false) => ApprovalCommand::Reject {
            actor: purchase_manager(),
            step_id: None,
            reason: "over budget".into(),
        },
    };
    t.instance.decide(&cmd, now()).unwrap().0
}

fn accept_cmd(q: &Quote) -> Accept {
    let r = q.latest().unwrap();
    Accept {
        revision: r.number,
        digest: r.seal.clone().unwrap().digest,
        seal: None,
        presented: None,
        lines: None,
        accepted_by: "buyer-clerk".into(),
        po_number: Some("PO-9".into()),
        now: now(),
    }
}

fn accept_with(
    q: &Quote,
    policy: &ApprovalPolicy,
    a: Option<&ApprovalInstance>,
) -> Result<Quote, (String, String)> {
    let host = HostFacts::default();
    let side = BuyerSide {
        policy,
        host: &host,
        approval: a,
    };
    q.accept_with_buyer(&accept_cmd(q), None, Some(&side))
        .map(|t| t.quote)
        .map_err(|e| {
            (
                e.code().to_owned(),
                e.field().unwrap_or_default().to_owned(),
            )
        })
}

fn required(field: &str) -> Result<Quote, (String, String)> {
    Err(("APPROVAL_REQUIRED".into(), field.into()))
}

#[test]
fn acceptance_under_a_buyer_policy_needs_the_buyers_approved_instance_for_the_revision() {
    let q = issue(&quote());
    let policy = policy_of(buyer_def("1"));
    // Missing, pending, rejected: refused, naming the field.
    assert_eq!(accept_with(&q, &policy, None), required("buyer.approval"));
    let pending = buyer_instance(&q, &policy, None);
    assert_eq!(pending.status, ApprovalStatus::Pending);
    assert_eq!(
        accept_with(&q, &policy, Some(&pending)),
        required("buyer.approval.status")
    );
    let rejected = buyer_instance(&q, &policy, Some(false));
    assert_eq!(
        accept_with(&q, &policy, Some(&rejected)),
        required("buyer.approval.status")
    );
    // The seller's instance is not the buyer's.
    let seller = quote()
        .request_approval(&req("S1"), &seller_policy(), &HostFacts::default(), None)
        .unwrap()
        .instance;
    assert_eq!(
        accept_with(&q, &policy, Some(&seller)),
        required("buyer.approval.plan.side")
    );
    // Approved for this revision: accepted.
    let approved = buyer_instance(&q, &policy, Some(true));
    let accepted = accept_with(&q, &policy, Some(&approved)).unwrap();
    assert_eq!(accepted.acceptances.len(), 1);
    // Another revision: the approval of revision 1 does not accept revision 2.
    let revised = q
        .revise(&Revise {
            author: Party::Seller,
            author_id: "rep".into(),
            changes: vec![LineChange {
                line_id: "A".into(),
                quantity: Some("120".parse().unwrap()),
                ..LineChange::default()
            }],
            terms: None,
            valid_until: None,
            note: "more shirts".into(),
            now: now(),
        })
        .unwrap()
        .quote;
    let q2 = issue(&revised);
    assert_eq!(q2.latest().unwrap().number, 2);
    assert_eq!(
        accept_with(&q2, &policy, Some(&approved)),
        required("buyer.approval.binding.revision")
    );
    // Without a buyer policy nothing is asked.
    assert!(q.accept(&accept_cmd(&q), None).is_ok());
}

#[test]
fn an_empty_buyer_plan_needs_no_instance() {
    let q = issue(&quote());
    let policy = policy_of(buyer_def("100000000"));
    assert!(accept_with(&q, &policy, None).is_ok());
}

#[test]
fn a_seller_policy_is_not_a_buyer_policy_and_a_buyer_instance_does_not_issue() {
    let q = issue(&quote());
    let e = q
        .request_buyer_approval(&req("B1"), &seller_policy(), &HostFacts::default(), None)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("INVALID_FIELD", Some("policy.side"))
    );
    // A buyer-side instance bound to the draft revision cannot stand in for
    // the seller's at issue (it did before: only the binding was checked).
    let draft = quote();
    let buyer = draft
        .request_approval(
            &req("B0"),
            &policy_of(buyer_def("100000000")),
            &HostFacts::default(),
            None,
        )
        .unwrap()
        .instance;
    assert_eq!(buyer.status, ApprovalStatus::Approved);
    let e = draft.issue(now(), Some(&buyer), None).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("APPROVAL_REQUIRED", Some("approval.plan.side"))
    );
}

fn converted(policy: &ApprovalPolicy) -> (Order, ApprovalInstance, ApprovalInstance) {
    let q = issue(&quote());
    let quote_buyer = buyer_instance(&q, policy, Some(true));
    let accepted = accept_with(&q, policy, Some(&quote_buyer)).unwrap();
    let c = convert_quote(
        &accepted,
        &ConvertQuote {
            order_id: "SO-1".into(),
            acceptance: 1,
            po_number: None,
            taken_po_numbers: vec![],
            delivery: Default::default(),
            settings: Default::default(),
            now: now(),
        },
    )
    .unwrap();
    let seller = c
        .order
        .request_approval(&req("SO-S"), &seller_policy(), &HostFacts::default(), None)
        .unwrap()
        .instance;
    (c.order, seller, quote_buyer)
}

#[test]
fn order_confirmation_under_a_buyer_policy_needs_the_buyers_instance_for_the_order() {
    let policy = policy_of(buyer_def("1"));
    let (order, seller, quote_buyer) = converted(&policy);
    let host = HostFacts::default();
    let confirm = |a: Option<&ApprovalInstance>| {
        let side = BuyerSide {
            policy: &policy,
            host: &host,
            approval: a,
        };
        order
            .confirm_with_buyer(&seller, Some(&side), None, now())
            .map_err(|e| e.field().unwrap_or_default().to_owned())
    };
    assert_eq!(confirm(None).unwrap_err(), "buyer.approval");
    // The quote's approval is bound to the quote, not to the order.
    assert_eq!(
        confirm(Some(&quote_buyer)).unwrap_err(),
        "buyer.approval.subject_id"
    );
    // The order's own buyer instance: the quote's approval carries over
    // (same prices, nothing worse), so it is approved at once.
    let order_buyer = order
        .request_approval(&req("SO-B"), &policy, &host, Some(&quote_buyer))
        .unwrap()
        .instance;
    assert_eq!(order_buyer.status, ApprovalStatus::Approved);
    assert!(confirm(Some(&order_buyer)).is_ok());
    // Nor does the buyer's instance stand in for the seller's.
    let e = order.confirm(&order_buyer, None, now()).unwrap_err();
    assert_eq!(e.field(), Some("approval.plan.side"));
}

#[test]
fn the_host_operations_enforce_the_buyer_policy() {
    let q = issue(&quote());
    let submit = json!({"quote": q, "policy": buyer_def("1"), "request": req("B1")});
    let t: serde_json::Value = serde_json::from_str(
        &b2b_oms::host::call("quote_buyer_submit", &submit.to_string()).unwrap(),
    )
    .unwrap();
    assert_eq!(t["instance"]["status"], "pending");
    let accept = |approval: Option<ApprovalInstance>| {
        let input = json!({"quote": q, "accept": accept_cmd(&q),
        "buyer": BuyerApproval {
            policy: serde_json::from_value(buyer_def("1")).unwrap(),
            host: HostFacts::default(),
            approval,
        }});
        b2b_oms::host::call("quote_accept", &input.to_string())
    };
    let e = accept(None).unwrap_err();
    assert_eq!(e.code, "APPROVAL_REQUIRED");
    assert_eq!(e.field.as_deref(), Some("buyer.approval"));
    let pending: ApprovalInstance = serde_json::from_value(t["instance"].clone()).unwrap();
    let e = accept(Some(pending)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("buyer.approval.status"));
    let policy = policy_of(buyer_def("1"));
    assert!(accept(Some(buyer_instance(&q, &policy, Some(true)))).is_ok());
    // order_confirm likewise.
    let (order, seller, _) = converted(&policy);
    let input = json!({"order": order, "approval": seller, "now": now(),
        "buyer": {"policy": buyer_def("1")}});
    let e = b2b_oms::host::call("order_confirm", &input.to_string()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("APPROVAL_REQUIRED", Some("buyer.approval"))
    );
    // A seller-side policy given as the buyer's is refused.
    let input = json!({"order": order, "approval": seller, "now": now(),
        "buyer": {"policy": {"id": "x", "rules": []}}});
    let e = b2b_oms::host::call("order_confirm", &input.to_string()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("buyer.policy.side"));
}

/// Fails before the fix: an error in a rule of the buyer's policy named the
/// rule's field as if the policy were the whole input (`rules[0].when`), so
/// the host could not tell it from the seller's policy.
#[test]
fn an_error_in_the_buyers_policy_is_rooted_under_buyer_policy() {
    let q = issue(&quote());
    let mut bad = buyer_def("1");
    bad["rules"][0]["when"] = json!("total_before_tax > ");
    let input = json!({"quote": q, "accept": accept_cmd(&q), "buyer": {"policy": bad}});
    let e = b2b_oms::host::call("quote_accept", &input.to_string()).unwrap_err();
    let field = e.field.clone().unwrap_or_default();
    assert!(
        field.starts_with("buyer.policy.rules[0]"),
        "{} at {field}: {}",
        e.code,
        e.message
    );
    let mut unknown = buyer_def("1");
    unknown["rules"][0]["when"] = json!("no_such_fact > 1");
    let (order, seller, _) = converted(&policy_of(buyer_def("1")));
    let input = json!({"order": order, "approval": seller, "now": now(),
        "buyer": {"policy": unknown}});
    let e = b2b_oms::host::call("order_confirm", &input.to_string()).unwrap_err();
    assert_eq!(e.code, "UNKNOWN_FACT");
    assert!(
        e.field
            .as_deref()
            .unwrap_or_default()
            .starts_with("buyer.policy.rules[0]"),
        "{:?}",
        e.field
    );
}
