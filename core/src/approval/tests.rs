use super::*;
use chrono::DateTime;
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn now() -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-26T10:00:00+05:30").unwrap()
}

fn facts() -> Facts {
    Facts {
        currency: "INR".into(),
        total_before_tax: d("600000"),
        total_after_tax: d("708000"),
        max_discount_pct: d("18.4"),
        avg_discount_pct: d("9"),
        min_margin_pct: Some(d("12")),
        lines_below_floor: 0,
        credit_exposure: None,
        credit_limit: None,
        credit_over_by: Decimal::ZERO,
        credit_over_limit: false,
        credit_on_hold: false,
        payment_days: 45,
        standard_payment_days: Some(30),
        payment_days_over_standard: 15,
        advance_pct: Decimal::ZERO,
        advance_pct_below_standard: Decimal::ZERO,
        segment: "distributor".into(),
        tags: vec!["key_account".into()],
        new_customer: false,
        stock_shortfall_lines: 0,
        manual_override: true,
        channel: "sales_rep".into(),
        line_count: 3,
    }
}

fn rule(id: &str, when: &str, role: &str, count: u32, level: u32) -> PolicyRule {
    PolicyRule {
        id: id.into(),
        description: String::new(),
        when: ConditionSource::Text(when.into()),
        require: Requirement {
            role: role.into(),
            count,
            level,
        },
    }
}

fn policy(rules: Vec<PolicyRule>) -> ApprovalPolicyDefinition {
    ApprovalPolicyDefinition {
        id: "P".into(),
        side: PolicySide::Seller,
        currency: Some("INR".into()),
        rules,
        self_approval_roles: vec![],
        on_reject: OnReject::Reject,
        step_deadline_hours: None,
    }
}

#[test]
fn text_parses_to_the_tree_and_prints_back() {
    let text = r#"max_discount_pct > 15 and segment in ["distributor", "wholesaler"]"#;
    let c = Condition::parse(text).unwrap();
    assert_eq!(
        c,
        Condition::All(vec![
            Condition::Compare {
                fact: "max_discount_pct".into(),
                op: CompareOp::Gt,
                value: Literal::Number(d("15")),
            },
            Condition::In {
                fact: "segment".into(),
                values: vec![
                    Literal::Text("distributor".into()),
                    Literal::Text("wholesaler".into())
                ],
            },
        ])
    );
    assert_eq!(c.to_text(), text);
    for t in [
        "a > 1 or b < 2 and c == true",
        "not (a >= 1 or b <= 2)",
        "(a > 1 and b > 2) and c != \"x \\\" y\"",
        "total_before_tax > 500000 INR",
        "x == -3.5 or not y == false",
    ] {
        let c = Condition::parse(t).unwrap();
        assert_eq!(Condition::parse(&c.to_text()).unwrap(), c, "{t}");
    }
    // JSON form of the tree.
    let json = serde_json::to_string(&c_simple()).unwrap();
    assert_eq!(
        json,
        r#"{"compare":{"fact":"max_discount_pct","op":">","value":{"number":"15"}}}"#
    );
}

fn c_simple() -> Condition {
    Condition::Compare {
        fact: "max_discount_pct".into(),
        op: CompareOp::Gt,
        value: Literal::Number(d("15")),
    }
}

#[test]
fn parse_errors_give_the_position() {
    let e = Condition::parse("max_discount_pct > ").unwrap_err();
    assert_eq!(e.code(), "POLICY_PARSE_ERROR");
    assert!(
        matches!(e, ApprovalError::Parse { position: 19, .. }),
        "{e:?}"
    );
    let e = Condition::parse("a > 1 and and b > 2").unwrap_err();
    assert!(
        matches!(e, ApprovalError::Parse { position: 10, .. }),
        "{e:?}"
    );
    let e = Condition::parse("a = 1").unwrap_err();
    assert!(
        matches!(e, ApprovalError::Parse { position: 2, .. }),
        "{e:?}"
    );
    let e = Condition::parse("a in [1, 2").unwrap_err();
    assert!(matches!(e, ApprovalError::Parse { .. }));
    let e = Condition::parse("s == \"open").unwrap_err();
    assert!(
        matches!(e, ApprovalError::Parse { position: 5, .. }),
        "{e:?}"
    );
    let e = Condition::parse("(a > 1").unwrap_err();
    assert!(matches!(e, ApprovalError::Parse { .. }));
    let e = Condition::parse("a > 1 b").unwrap_err();
    assert!(
        matches!(e, ApprovalError::Parse { position: 6, .. }),
        "{e:?}"
    );
}

#[test]
fn limits_on_depth_and_length() {
    let deep = format!("{}a > 1{}", "(".repeat(40), ")".repeat(40));
    assert_eq!(
        Condition::parse(&deep).unwrap_err().code(),
        "EXPRESSION_TOO_DEEP"
    );
    let nots = format!("{}a > 1", "not ".repeat(40));
    assert_eq!(
        Condition::parse(&nots).unwrap_err().code(),
        "EXPRESSION_TOO_DEEP"
    );
    let long = vec!["a > 1"; 1000].join(" and ");
    assert_eq!(
        Condition::parse(&long).unwrap_err().code(),
        "EXPRESSION_TOO_LONG"
    );
    // A deep tree given as JSON is rejected at compile time too.
    let mut c = c_simple();
    for _ in 0..40 {
        c = Condition::Not(Box::new(c));
    }
    let mut p = policy(vec![]);
    p.rules.push(PolicyRule {
        when: ConditionSource::Tree(c),
        ..rule("deep", "a > 1", "x", 1, 1)
    });
    let e = ApprovalPolicy::compile(p).unwrap_err();
    assert_eq!(e.code(), "EXPRESSION_TOO_DEEP");
}

#[test]
fn compile_errors_name_the_rule() {
    let e = ApprovalPolicy::compile(policy(vec![rule("r", "nope > 1", "x", 1, 1)])).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_FACT");
    assert_eq!(e.field(), Some("rules[0].when"));
    let e = ApprovalPolicy::compile(policy(vec![rule("r", "total_before_tax > 5", "x", 1, 1)]))
        .unwrap_err();
    assert_eq!(e.code(), "TYPE_MISMATCH");
    let e = ApprovalPolicy::compile(policy(vec![rule(
        "r",
        "total_before_tax > 5000 USD",
        "x",
        1,
        1,
    )]))
    .unwrap_err();
    assert_eq!(e.code(), "CURRENCY_MISMATCH");
    let mut no_cur = policy(vec![
        rule("a", "total_before_tax > 5000 USD", "x", 1, 1),
        rule("b", "total_after_tax > 5000 INR", "x", 1, 1),
    ]);
    no_cur.currency = None;
    let e = ApprovalPolicy::compile(no_cur).unwrap_err();
    assert_eq!(e.code(), "CURRENCY_MISMATCH");
    assert_eq!(e.field(), Some("rules[1].when"));
    let e =
        ApprovalPolicy::compile(policy(vec![rule("r", "segment > \"a\"", "x", 1, 1)])).unwrap_err();
    assert_eq!(e.code(), "TYPE_MISMATCH");
    let e = ApprovalPolicy::compile(policy(vec![rule("r", "new_customer in [true]", "x", 1, 1)]))
        .unwrap_err();
    assert_eq!(e.code(), "TYPE_MISMATCH");
    let e = ApprovalPolicy::compile(policy(vec![
        rule("r", "line_count > 1", "x", 1, 1),
        rule("r", "line_count > 1", "x", 1, 1),
    ]))
    .unwrap_err();
    assert_eq!(e.code(), "DUPLICATE_ID");
    assert_eq!(e.field(), Some("rules[1].id"));
    let e =
        ApprovalPolicy::compile(policy(vec![rule("r", "line_count > 1", "x", 0, 1)])).unwrap_err();
    assert_eq!(e.field(), Some("rules[0].require.count"));
    let e =
        ApprovalPolicy::compile(policy(vec![rule("r", "line_count > 1", "x", 1, 0)])).unwrap_err();
    assert_eq!(e.field(), Some("rules[0].require.level"));
    let e = ApprovalPolicy::compile(policy(vec![rule("r", "line_count > 1 and", "x", 1, 1)]))
        .unwrap_err();
    assert_eq!(e.field(), Some("rules[0].when"));
}

#[test]
fn plan_merges_steps_and_explains() {
    let p = ApprovalPolicy::compile(policy(vec![
        rule("deep", "max_discount_pct > 15", "sales_manager", 1, 1),
        rule(
            "big",
            "total_before_tax > 500000 INR",
            "sales_manager",
            2,
            1,
        ),
        rule("terms", "payment_days_over_standard > 0", "finance", 1, 2),
        rule("never", "credit_on_hold == true", "cfo", 1, 3),
        rule("tag", "tags == \"key_account\"", "kam", 1, 1),
        rule("margin", "min_margin_pct < 10", "cfo", 1, 3),
    ]))
    .unwrap();
    let plan = p.evaluate(&facts()).unwrap();
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.step_id.as_str()).collect();
    assert_eq!(ids, vec!["L1:kam", "L1:sales_manager", "L2:finance"]);
    let sm = &plan.steps[1];
    assert_eq!(sm.count, 2);
    assert_eq!(sm.rules.len(), 2);
    assert_eq!(sm.rules[0].readings[0].test, "max_discount_pct = 18.4 > 15");
    assert_eq!(
        sm.rules[1].readings[0].test,
        "total_before_tax = 600000 INR > 500000 INR"
    );
    assert_eq!(plan.levels(), vec![1, 2]);
    let mut f = facts();
    f.currency = "USD".into();
    let e = p.evaluate(&f).unwrap_err();
    assert_eq!(e.code(), "CURRENCY_MISMATCH");
    assert_eq!(e.field(), Some("facts.currency"));
    let mut quiet = facts();
    quiet.max_discount_pct = d("5");
    quiet.total_before_tax = d("1000");
    quiet.payment_days_over_standard = 0;
    quiet.tags.clear();
    assert!(p.evaluate(&quiet).unwrap().is_empty());
}

#[test]
fn missing_facts_never_match_comparisons() {
    let p = ApprovalPolicy::compile(policy(vec![
        rule("m", "min_margin_pct < 10", "cfo", 1, 1),
        rule("n", "min_margin_pct != 10", "ops", 1, 1),
    ]))
    .unwrap();
    let mut f = facts();
    f.min_margin_pct = None;
    let plan = p.evaluate(&f).unwrap();
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].role, "ops");
}

fn actor(id: &str, roles: &[&str]) -> Actor {
    Actor {
        id: id.into(),
        roles: roles.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn two_level_plan(self_roles: Vec<String>, on_reject: OnReject) -> ApprovalPlan {
    let mut def = policy(vec![
        rule("deep", "max_discount_pct > 15", "sales_manager", 2, 1),
        rule("tag", "tags == \"key_account\"", "kam", 1, 1),
        rule("terms", "payment_days_over_standard > 0", "finance", 1, 2),
    ]);
    def.self_approval_roles = self_roles;
    def.on_reject = on_reject;
    def.step_deadline_hours = Some(48);
    ApprovalPolicy::compile(def)
        .unwrap()
        .evaluate(&facts())
        .unwrap()
}

fn start(plan: ApprovalPlan) -> ApprovalInstance {
    let (inst, events) = ApprovalInstance::start(
        &StartApproval {
            instance_id: "A1".into(),
            subject_id: "Q1".into(),
            requester: "rep".into(),
            plan,
            now: now(),
        },
        None,
    )
    .unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(
        &events[0].payload,
        crate::events::EventPayload::ApprovalRequested { level: 1, steps, .. } if steps.len() == 2
    ));
    inst
}

fn approve(
    i: &ApprovalInstance,
    a: Actor,
    step: Option<&str>,
) -> Result<ApprovalInstance, ApprovalError> {
    i.decide(
        &ApprovalCommand::Approve {
            actor: a,
            step_id: step.map(str::to_owned),
            comment: String::new(),
        },
        now(),
    )
    .map(|(i, _)| i)
}

#[test]
fn levels_run_in_sequence_with_quorum() {
    let i = start(two_level_plan(vec![], OnReject::Reject));
    assert_eq!(i.open_level(), Some(1));
    let e = approve(&i, actor("fin", &["finance"]), Some("L2:finance")).unwrap_err();
    assert_eq!(e.code(), "LEVEL_NOT_OPEN");
    assert_eq!(e.field(), Some("step_id"));
    let e = approve(&i, actor("fin", &["finance"]), None).unwrap_err();
    assert_eq!(e.code(), "NOT_AUTHORIZED");
    let i = approve(&i, actor("m1", &["sales_manager"]), None).unwrap();
    let e = approve(&i, actor("m1", &["sales_manager"]), None).unwrap_err();
    assert_eq!(e.code(), "DUPLICATE_APPROVER");
    // m1 also holds kam, but counts once per instance.
    let e = approve(&i, actor("m1", &["kam"]), Some("L1:kam")).unwrap_err();
    assert_eq!(e.code(), "DUPLICATE_APPROVER");
    let e = approve(&i, actor("rep", &["sales_manager"]), None).unwrap_err();
    assert_eq!(e.code(), "SELF_APPROVAL");
    assert_eq!(e.field(), Some("actor.id"));
    let i = approve(&i, actor("m2", &["sales_manager"]), None).unwrap();
    let e = approve(
        &i,
        actor("m3", &["sales_manager"]),
        Some("L1:sales_manager"),
    )
    .unwrap_err();
    assert_eq!(e.code(), "STEP_ALREADY_APPROVED");
    let e = approve(&i, actor("m3", &["x"]), Some("L9:x")).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_STEP");
    let (i, events) = i
        .decide(
            &ApprovalCommand::Approve {
                actor: actor("k", &["kam"]),
                step_id: None,
                comment: "ok".into(),
            },
            now(),
        )
        .unwrap();
    // Granted, then level 2 requested.
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].sequence + 1, events[1].sequence);
    assert!(matches!(
        events[1].payload,
        crate::events::EventPayload::ApprovalRequested { level: 2, .. }
    ));
    assert_eq!(i.open_level(), Some(2));
    assert_eq!(i.status, ApprovalStatus::Pending);
    let (i, events) = i
        .decide(
            &ApprovalCommand::Approve {
                actor: actor("fin", &["finance"]),
                step_id: Some("L2:finance".into()),
                comment: String::new(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(i.status, ApprovalStatus::Approved);
    assert!(matches!(
        events[0].payload,
        crate::events::EventPayload::ApprovalGranted {
            instance_approved: true,
            ..
        }
    ));
    let e = approve(&i, actor("z", &["finance"]), None).unwrap_err();
    assert_eq!(e.code(), "APPROVAL_CLOSED");
    assert!(i.audit.iter().filter(|a| a.action == "approve").count() == 4);
}

#[test]
fn self_approval_allowed_by_role_flag() {
    let i = start(two_level_plan(vec!["kam".into()], OnReject::Reject));
    let i = approve(&i, actor("rep", &["kam"]), None).unwrap();
    assert_eq!(i.steps[0].approvals[0].approver, "rep");
    let e = approve(&i, actor("rep", &["sales_manager"]), None).unwrap_err();
    assert_eq!(e.code(), "SELF_APPROVAL");
}

#[test]
fn reject_ends_or_returns() {
    let i = start(two_level_plan(vec![], OnReject::Reject));
    let cmd = |reason: &str| ApprovalCommand::Reject {
        actor: actor("m1", &["sales_manager"]),
        step_id: None,
        reason: reason.into(),
    };
    assert_eq!(
        i.decide(&cmd(" "), now()).unwrap_err().code(),
        "REASON_REQUIRED"
    );
    let (r, ev) = i.decide(&cmd("too deep"), now()).unwrap();
    assert_eq!(r.status, ApprovalStatus::Rejected);
    assert!(matches!(
        ev[0].payload,
        crate::events::EventPayload::ApprovalRejected {
            returned_for_revision: false,
            ..
        }
    ));
    let i = start(two_level_plan(vec![], OnReject::ReturnForRevision));
    let (r, _) = i.decide(&cmd("fix terms"), now()).unwrap();
    assert_eq!(r.status, ApprovalStatus::ReturnedForRevision);
    let e = i
        .decide(
            &ApprovalCommand::Reject {
                actor: actor("x", &["finance"]),
                step_id: None,
                reason: "no".into(),
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "NOT_AUTHORIZED");
}

#[test]
fn delegation_window_withdraw_and_expire() {
    let i = start(two_level_plan(vec![], OnReject::Reject));
    let later = |h: i64| now() + chrono::Duration::hours(h);
    let del = |a: Actor, to: &str, from: i64, until: i64| ApprovalCommand::Delegate {
        actor: a,
        to: to.into(),
        role: "sales_manager".into(),
        valid_from: later(from),
        valid_until: later(until),
    };
    assert_eq!(
        i.decide(&del(actor("x", &["kam"]), "d", 0, 5), now())
            .unwrap_err()
            .code(),
        "NOT_AUTHORIZED"
    );
    assert_eq!(
        i.decide(&del(actor("m1", &["sales_manager"]), "d", 5, 5), now())
            .unwrap_err()
            .code(),
        "INVALID_WINDOW"
    );
    let (i, _) = i
        .decide(&del(actor("m1", &["sales_manager"]), "d", 1, 5), now())
        .unwrap();
    // Not yet valid.
    assert_eq!(
        approve(&i, actor("d", &[]), None).unwrap_err().code(),
        "NOT_AUTHORIZED"
    );
    let (i2, _) = i
        .decide(
            &ApprovalCommand::Approve {
                actor: actor("d", &[]),
                step_id: None,
                comment: String::new(),
            },
            later(2),
        )
        .unwrap();
    assert_eq!(i2.steps[1].approvals[0].delegated_by.as_deref(), Some("m1"));
    // Expired delegation.
    let e = i
        .decide(
            &ApprovalCommand::Approve {
                actor: actor("d", &[]),
                step_id: None,
                comment: String::new(),
            },
            later(6),
        )
        .unwrap_err();
    assert_eq!(e.code(), "NOT_AUTHORIZED");
    // Withdraw only by the requester.
    let w = |who: &str| ApprovalCommand::Withdraw {
        actor: actor(who, &[]),
        reason: String::new(),
    };
    assert_eq!(
        i.decide(&w("m1"), now()).unwrap_err().code(),
        "NOT_AUTHORIZED"
    );
    assert_eq!(
        i.decide(&w("rep"), now()).unwrap().0.status,
        ApprovalStatus::Withdrawn
    );
    // Expire after the 48 h deadline only.
    assert_eq!(
        i.decide(&ApprovalCommand::Expire, later(47))
            .unwrap_err()
            .code(),
        "NOT_EXPIRED"
    );
    assert_eq!(
        i.decide(&ApprovalCommand::Expire, later(48))
            .unwrap()
            .0
            .status,
        ApprovalStatus::Expired
    );
}

#[test]
fn empty_plan_is_approved_at_once() {
    let mut f = facts();
    f.max_discount_pct = d("1");
    f.tags.clear();
    f.payment_days_over_standard = 0;
    let plan = ApprovalPolicy::compile(policy(vec![rule(
        "deep",
        "max_discount_pct > 15",
        "m",
        1,
        1,
    )]))
    .unwrap()
    .evaluate(&f)
    .unwrap();
    let (i, events) = ApprovalInstance::start(
        &StartApproval {
            instance_id: "A".into(),
            subject_id: "Q".into(),
            requester: "r".into(),
            plan,
            now: now(),
        },
        None,
    )
    .unwrap();
    assert_eq!(i.status, ApprovalStatus::Approved);
    assert!(events.is_empty());
}

#[test]
fn reapproval_keeps_steps_that_did_not_get_worse() {
    let def = policy(vec![
        rule("deep", "max_discount_pct > 15", "sales_manager", 1, 1),
        rule("terms", "payment_days_over_standard > 0", "finance", 1, 1),
    ]);
    let p = ApprovalPolicy::compile(def).unwrap();
    let plan = p.evaluate(&facts()).unwrap();
    let i = start_plain(plan);
    let i = approve(&i, actor("m", &["sales_manager"]), None).unwrap();
    let i = approve(&i, actor("f", &["finance"]), None).unwrap();
    assert_eq!(i.status, ApprovalStatus::Approved);
    // Same facts: nothing asked again.
    let (same, ev) =
        ApprovalInstance::start(&start_cmd(p.evaluate(&facts()).unwrap()), Some(&i)).unwrap();
    assert_eq!(same.status, ApprovalStatus::Approved);
    assert!(ev.is_empty());
    assert!(same.steps.iter().all(|s| s.approvals[0].carried_over));
    // Discount lower, terms longer: only finance again.
    let mut f = facts();
    f.max_discount_pct = d("16");
    f.payment_days_over_standard = 30;
    let (again, _) =
        ApprovalInstance::start(&start_cmd(p.evaluate(&f).unwrap()), Some(&i)).unwrap();
    assert_eq!(again.status, ApprovalStatus::Pending);
    let open: Vec<&str> = again
        .steps
        .iter()
        .filter(|s| !s.satisfied())
        .map(|s| s.role.as_str())
        .collect();
    assert_eq!(open, vec!["finance"]);
    // A pending prior instance carries what it has (the manager's step).
    let partial = start_plain(p.evaluate(&facts()).unwrap());
    let partial = approve(&partial, actor("m", &["sales_manager"]), None).unwrap();
    let (re, _) =
        ApprovalInstance::start(&start_cmd(p.evaluate(&facts()).unwrap()), Some(&partial)).unwrap();
    assert_eq!(re.steps.iter().filter(|s| s.satisfied()).count(), 1);
    // A rejected, withdrawn or expired prior instance carries nothing.
    let rejected = partial
        .decide(
            &ApprovalCommand::Reject {
                actor: actor("f", &["finance"]),
                step_id: None,
                reason: "no".into(),
            },
            now(),
        )
        .unwrap()
        .0;
    assert_eq!(rejected.status, ApprovalStatus::Rejected);
    let withdrawn = partial
        .decide(
            &ApprovalCommand::Withdraw {
                actor: actor("rep", &[]),
                reason: "changed".into(),
            },
            now(),
        )
        .unwrap();
    assert!(matches!(
        withdrawn.1[0].payload,
        crate::events::EventPayload::ApprovalWithdrawn { .. }
    ));
    let mut expired = partial.clone();
    expired.status = ApprovalStatus::Expired;
    for prev in [&rejected, &withdrawn.0, &expired] {
        let (re, _) =
            ApprovalInstance::start(&start_cmd(p.evaluate(&facts()).unwrap()), Some(prev)).unwrap();
        assert_eq!(re.status, ApprovalStatus::Pending);
        assert!(re.steps.iter().all(|s| s.approvals.is_empty()));
        assert!(!re.audit.iter().any(|a| a.action == "carry_over"));
    }
    // Segregation of duties on carry-over: the manager's approval does not
    // carry into an instance the manager requests.
    let mut cmd = start_cmd(p.evaluate(&facts()).unwrap());
    cmd.requester = "m".into();
    let (re, _) = ApprovalInstance::start(&cmd, Some(&i)).unwrap();
    let mgr = re.steps.iter().find(|s| s.role == "sales_manager").unwrap();
    assert!(mgr.approvals.is_empty());
    let fin = re.steps.iter().find(|s| s.role == "finance").unwrap();
    assert_eq!(fin.approvals.len(), 1);
}

#[test]
fn reapproval_examples_total_down_and_margin_up() {
    let def = policy(vec![
        rule("big", "total_before_tax > 100000 INR", "finance", 1, 1),
        rule("thin", "min_margin_pct < 10", "sales_manager", 1, 1),
    ]);
    let p = ApprovalPolicy::compile(def).unwrap();
    let mut f = facts();
    f.total_before_tax = d("500000");
    f.min_margin_pct = Some(d("5"));
    let i = start_plain(p.evaluate(&f).unwrap());
    let i = approve(&i, actor("fin", &["finance"]), None).unwrap();
    let i = approve(&i, actor("m", &["sales_manager"]), None).unwrap();
    assert_eq!(i.status, ApprovalStatus::Approved);
    // The total went down and the margin went up: both carry over.
    let mut better = f.clone();
    better.total_before_tax = d("400000");
    better.min_margin_pct = Some(d("8"));
    let (re, _) =
        ApprovalInstance::start(&start_cmd(p.evaluate(&better).unwrap()), Some(&i)).unwrap();
    assert_eq!(re.status, ApprovalStatus::Approved);
    // The total went up: finance again; the margin went down: manager again.
    let mut worse = f.clone();
    worse.total_before_tax = d("600000");
    let (re, _) =
        ApprovalInstance::start(&start_cmd(p.evaluate(&worse).unwrap()), Some(&i)).unwrap();
    let open: Vec<&str> = re
        .steps
        .iter()
        .filter(|s| !s.satisfied())
        .map(|s| s.role.as_str())
        .collect();
    assert_eq!(open, vec!["finance"]);
    let mut worse = f;
    worse.min_margin_pct = Some(d("4"));
    let (re, _) =
        ApprovalInstance::start(&start_cmd(p.evaluate(&worse).unwrap()), Some(&i)).unwrap();
    let open: Vec<&str> = re
        .steps
        .iter()
        .filter(|s| !s.satisfied())
        .map(|s| s.role.as_str())
        .collect();
    assert_eq!(open, vec!["sales_manager"]);
}

fn start_cmd(plan: ApprovalPlan) -> StartApproval {
    StartApproval {
        instance_id: "A2".into(),
        subject_id: "Q1".into(),
        requester: "rep".into(),
        plan,
        now: now(),
    }
}

fn start_plain(plan: ApprovalPlan) -> ApprovalInstance {
    ApprovalInstance::start(&start_cmd(plan), None).unwrap().0
}

#[test]
fn facts_from_a_subject() {
    let subject = ApprovalSubject {
        subject_id: "Q".into(),
        currency: "INR".into(),
        segment: "distributor".into(),
        tags: vec![],
        channel: "portal".into(),
        lines: vec![
            SubjectLine {
                list_price: d("100"),
                net_price: d("81.6"),
                base_quantity: d("10"),
                cost: Some(d("70")),
                floor: Some(d("85")),
                overridden: true,
            },
            SubjectLine {
                list_price: d("50"),
                net_price: d("50"),
                base_quantity: d("20"),
                cost: Some(d("40")),
                floor: None,
                overridden: false,
            },
            SubjectLine {
                list_price: Decimal::ZERO,
                net_price: Decimal::ZERO,
                base_quantity: d("1"),
                cost: None,
                floor: None,
                overridden: false,
            },
        ],
        total_before_tax: d("1816"),
        total_after_tax: d("2000"),
        terms: crate::credit::PaymentTerms::net("N45", 45),
    };
    let ctx = FactContext {
        new_customer: true,
        allocation: None,
        credit: None,
        standard_terms: Some(crate::credit::PaymentTerms::net("N30", 30)),
    };
    let f = compute_facts(&subject, &ctx).unwrap();
    assert_eq!(f.max_discount_pct, d("18.4"));
    assert_eq!(f.avg_discount_pct, d("9.2"));
    assert_eq!(f.min_margin_pct, Some(d("14.22")));
    assert_eq!(f.lines_below_floor, 1);
    assert!(f.manual_override);
    assert_eq!(f.payment_days_over_standard, 15);
    assert_eq!(f.line_count, 3);
    assert!(f.new_customer);
    let json = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<Facts>(&json).unwrap(), f);
}

#[test]
fn json_round_trips() {
    let plan = two_level_plan(vec![], OnReject::Reject);
    let i = start(plan.clone());
    let back: ApprovalInstance = serde_json::from_str(&serde_json::to_string(&i).unwrap()).unwrap();
    assert_eq!(back, i);
    let def: ApprovalPolicyDefinition = serde_json::from_str(
        r#"{"id":"b","side":"buyer","rules":[{"id":"po","when":{"compare":{"fact":"total_after_tax","op":">","value":{"money":{"amount":"500000","currency":"INR"}}}},"require":{"role":"purchase_manager"}}]}"#,
    )
    .unwrap();
    let p = ApprovalPolicy::compile(def.clone()).unwrap();
    assert_eq!(p.rule_text("po"), Some("total_after_tax > 500000 INR"));
    let back: ApprovalPolicyDefinition =
        serde_json::from_str(&serde_json::to_string(&def).unwrap()).unwrap();
    assert_eq!(back, def);
}

// Property: no command sequence reaches `approved` without every step's
// quorum of distinct, authorised, non-requesting approvers.
const PEOPLE: [(&str, &[&str]); 6] = [
    ("rep", &["sales_manager", "kam"]),
    ("m1", &["sales_manager"]),
    ("m2", &["sales_manager", "finance"]),
    ("k", &["kam"]),
    ("f", &["finance"]),
    ("x", &[]),
];

fn arb_command() -> impl Strategy<Value = (u8, usize, usize, Option<usize>, i64, i64)> {
    (
        0u8..7,
        0usize..6,
        0usize..6,
        proptest::option::of(0usize..4),
        0i64..80,
        -2i64..4,
    )
}

/// One of several plans, with or without self-approval for a role.
fn arb_plan(kind: u8, self_role: Option<usize>) -> ApprovalPlan {
    let roles = ["sales_manager", "kam", "finance"];
    let self_roles: Vec<String> = self_role.map(|r| roles[r].to_owned()).into_iter().collect();
    match kind {
        0 => two_level_plan(self_roles, OnReject::Reject),
        1 => two_level_plan(self_roles, OnReject::ReturnForRevision),
        _ => {
            let mut def = policy(vec![
                rule("deep", "max_discount_pct > 15", "sales_manager", 1, 1),
                rule("deeper", "max_discount_pct > 17", "sales_manager", 2, 1),
                rule("terms", "payment_days_over_standard > 0", "finance", 1, 3),
            ]);
            def.self_approval_roles = self_roles;
            def.step_deadline_hours = if kind == 2 { Some(24) } else { None };
            ApprovalPolicy::compile(def)
                .unwrap()
                .evaluate(&facts())
                .unwrap()
        }
    }
}

/// Whether person `who` may act in `role` at `at` in `inst`: holds it, or a
/// delegation valid then from someone who holds it.
fn may_act(
    inst: &ApprovalInstance,
    who: &str,
    role: &str,
    at: chrono::DateTime<chrono::FixedOffset>,
) -> bool {
    let holds = |p: &str| PEOPLE.iter().any(|(n, r)| *n == p && r.contains(&role));
    holds(who)
        || inst.delegations.iter().any(|d| {
            d.to == who
                && d.role == role
                && d.valid_from <= at
                && at < d.valid_until
                && holds(&d.from)
        })
}

proptest! {
    #[test]
    fn approved_only_with_full_distinct_authorised_quorum(
        plan_kind in 0u8..4,
        self_role in proptest::option::of(0usize..3),
        requester in 0usize..3,
        restart_at in proptest::option::of(0usize..30),
        cmds in proptest::collection::vec(arb_command(), 0..30),
    ) {
        let plan = arb_plan(plan_kind, self_role);
        let requester = ["rep", "m1", "k"][requester];
        let mut cmd0 = start_cmd(plan.clone());
        cmd0.requester = requester.into();
        let mut inst = ApprovalInstance::start(&cmd0, None).unwrap().0;
        let mut previous: Option<ApprovalInstance> = None;
        let steps = ["L1:kam", "L1:sales_manager", "L2:finance", "L9:none"];
        for (n, (kind, who, to, step, hours, window)) in cmds.into_iter().enumerate() {
            // Sometimes start over from the instance so far (re-approval).
            if restart_at == Some(n) {
                let (next, _) = ApprovalInstance::start(&cmd0, Some(&inst)).unwrap();
                previous = Some(inst);
                inst = next;
            }
            let at = now() + chrono::Duration::hours(hours);
            let (id, roles) = PEOPLE[who];
            let a = actor(id, roles);
            let step_id = step.map(|s| steps[s].to_owned());
            let cmd = match kind {
                0 | 1 => ApprovalCommand::Approve { actor: a, step_id, comment: String::new() },
                2 => ApprovalCommand::Delegate {
                    actor: a,
                    to: PEOPLE[to].0.into(),
                    // Sometimes a role the delegator does not hold.
                    role: if window < 0 { "finance".into() } else { roles.first().copied().unwrap_or("kam").into() },
                    valid_from: at + chrono::Duration::hours(window),
                    valid_until: at + chrono::Duration::hours(window + 2),
                },
                3 => ApprovalCommand::Reject { actor: a, step_id, reason: "r".into() },
                4 => ApprovalCommand::Withdraw { actor: a, reason: "w".into() },
                _ => ApprovalCommand::Expire,
            };
            let before = inst.clone();
            match inst.decide(&cmd, at) {
                Ok((next, _)) => {
                    if matches!(cmd, ApprovalCommand::Withdraw { .. }) {
                        prop_assert_eq!(id, requester);
                        prop_assert_eq!(next.status, ApprovalStatus::Withdrawn);
                    }
                    if matches!(cmd, ApprovalCommand::Expire) {
                        prop_assert!(before.steps.iter().any(|s| s.deadline.is_some_and(|d| d <= at)));
                        prop_assert_eq!(next.status, ApprovalStatus::Expired);
                    }
                    inst = next;
                }
                Err(_) => prop_assert_eq!(&inst, &before),
            }
        }
        if inst.status == ApprovalStatus::Approved {
            let mut all = Vec::new();
            for s in &inst.steps {
                prop_assert!(s.approvals.len() >= s.count as usize);
                for a in &s.approvals {
                    let self_ok = plan.settings.self_approval_roles.contains(&s.role);
                    prop_assert!(a.approver != requester || self_ok);
                    // Authorised when it was given, in this instance or the
                    // one it was carried from.
                    let source = if a.carried_over { previous.as_ref().unwrap() } else { &inst };
                    prop_assert!(may_act(source, &a.approver, &s.role, a.at));
                    all.push(a.approver.clone());
                    if let Some(from) = &a.delegated_by {
                        all.push(from.clone());
                    }
                }
            }
            let n = all.len();
            all.sort();
            all.dedup();
            prop_assert_eq!(all.len(), n);
        }
    }

    #[test]
    fn printed_text_parses_to_the_same_tree(
        leaves in proptest::collection::vec((0usize..8, 0u8..6, -1000i64..1000, "[a-z_]{1,8}", proptest::collection::vec("[a-z]{1,6}", 1..4)), 1..6),
        shape in 0u8..5,
    ) {
        let names = ["max_discount_pct", "line_count", "payment_days", "advance_pct"];
        let ops = [CompareOp::Gt, CompareOp::Ge, CompareOp::Lt, CompareOp::Le, CompareOp::Eq, CompareOp::Ne];
        let eq_ops = [CompareOp::Eq, CompareOp::Ne];
        let items: Vec<Condition> = leaves.iter().map(|(f, o, v, t, list)| match f {
            0..=3 => Condition::Compare {
                fact: names[*f].into(), op: ops[*o as usize], value: Literal::Number(Decimal::new(*v, 1)),
            },
            4 => Condition::Compare {
                fact: "total_before_tax".into(), op: ops[*o as usize],
                value: Literal::Money(crate::money::Money { amount: Decimal::new(*v, 2), currency: "INR".into() }),
            },
            5 => Condition::Compare {
                fact: "segment".into(), op: eq_ops[(*o % 2) as usize], value: Literal::Text(t.clone()),
            },
            6 => Condition::Compare {
                fact: "new_customer".into(), op: eq_ops[(*o % 2) as usize], value: Literal::Bool(*v > 0),
            },
            _ => Condition::In {
                fact: "tags".into(), values: list.iter().map(|x| Literal::Text(x.clone())).collect(),
            },
        }).collect();
        let tree = match shape {
            0 if items.len() > 1 => Condition::All(items),
            1 if items.len() > 1 => Condition::Any(items),
            2 if items.len() > 2 => {
                let mut it = items;
                let tail = it.split_off(1);
                Condition::Any(vec![Condition::Not(Box::new(it.remove(0))), Condition::All(tail)])
            }
            // Nested not, around a group.
            3 if items.len() > 1 => Condition::Not(Box::new(Condition::Not(Box::new(Condition::Any(items))))),
            _ => Condition::Not(Box::new(items[0].clone())),
        };
        let text = tree.to_text();
        prop_assert_eq!(Condition::parse(&text).unwrap(), tree.clone());
        // The policy compiles it from text and prints the same text back.
        let mut def = policy(vec![]);
        def.rules.push(PolicyRule { when: ConditionSource::Text(text.clone()), ..rule("r", "line_count > 0", "x", 1, 1) });
        let p = ApprovalPolicy::compile(def).unwrap();
        prop_assert_eq!(p.rule_text("r"), Some(text.as_str()));
    }

    #[test]
    fn parser_never_panics(s in "[a-z_ ()<>=!\\[\\],\"0-9.A-Z-]{0,80}") {
        let _ = Condition::parse(&s);
    }
}

proptest! {
    #[test]
    fn parse_compile_evaluate_never_panics(s in "(not |\\(|\\)| and | or |max_discount_pct|segment|tags|total_before_tax|new_customer| > | == | in |\\[|\\]|, |15|-2.5|500000 INR|\"distributor\"|true){1,14}") {
        if let Ok(c) = Condition::parse(&s) {
            let mut def = policy(vec![]);
            def.rules.push(PolicyRule { when: ConditionSource::Tree(c), ..rule("r", "line_count > 0", "x", 1, 1) });
            if let Ok(p) = ApprovalPolicy::compile(def) {
                let _ = p.evaluate(&facts());
            }
        }
    }
}

/// A buyer-side instance's approvals never carry into a seller-side plan
/// (nor the other way), even where the roles and rules have the same names.
#[test]
fn approvals_do_not_carry_over_across_sides() {
    let def = policy(vec![rule(
        "deep",
        "max_discount_pct > 15",
        "sales_manager",
        1,
        1,
    )]);
    let p = ApprovalPolicy::compile(def).unwrap();
    let mut buyer_plan = p.evaluate(&facts()).unwrap();
    buyer_plan.side = PolicySide::Buyer;
    let i = start_plain(buyer_plan);
    let i = approve(&i, actor("m", &["sales_manager"]), None).unwrap();
    assert_eq!(i.status, ApprovalStatus::Approved);
    let seller_plan = p.evaluate(&facts()).unwrap();
    assert_eq!(seller_plan.side, PolicySide::Seller);
    let (seller, _) = ApprovalInstance::start(&start_cmd(seller_plan), Some(&i)).unwrap();
    assert_eq!(seller.status, ApprovalStatus::Pending);
    assert!(seller.steps.iter().all(|s| s.approvals.is_empty()));
}
