//! Approval benchmark of `quality.md`: `approval_eval`, a 200-rule policy on
//! a 1,000-line order (target ≤ 100 µs). Reported as the plan alone (facts
//! already computed) and facts + plan (computing the facts of 1,000 lines
//! first), plus compiling the policy from its text form.

use std::hint::black_box;

use b2b_oms::approval::{
    compute_facts, ApprovalPolicy, ApprovalPolicyDefinition, ApprovalSubject, ConditionSource,
    FactContext, OnReject, PolicyRule, PolicySide, Requirement, SubjectLine,
};
use b2b_oms::credit::PaymentTerms;
use b2b_oms_benches::{Rng, SEGMENTS};
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;

const ROLES: [&str; 6] = [
    "sales_manager",
    "regional_head",
    "finance",
    "cfo",
    "key_account_manager",
    "ops",
];

fn condition(rng: &mut Rng) -> String {
    let leaf = |rng: &mut Rng| -> String {
        match rng.below(9) {
            0 => format!("max_discount_pct > {}", 5 + rng.below(30)),
            1 => format!("avg_discount_pct >= {}", 3 + rng.below(20)),
            2 => format!("min_margin_pct < {}", 5 + rng.below(20)),
            3 => format!("total_before_tax > {} INR", 100_000 * (1 + rng.below(50))),
            4 => format!(
                "segment in [\"{}\", \"{}\"]",
                SEGMENTS[rng.below(7) as usize],
                SEGMENTS[rng.below(7) as usize]
            ),
            5 => format!("lines_below_floor > {}", rng.below(5)),
            6 => format!("payment_days_over_standard > {}", rng.below(30)),
            7 => format!("tags == \"ctag{}\"", rng.below(50)),
            _ => "new_customer == true".to_owned(),
        }
    };
    match rng.below(4) {
        0 => leaf(rng),
        1 => format!("{} and {}", leaf(rng), leaf(rng)),
        2 => format!("{} or ({} and {})", leaf(rng), leaf(rng), leaf(rng)),
        _ => format!("not {} and ({} or {})", leaf(rng), leaf(rng), leaf(rng)),
    }
}

fn policy(rules: usize, seed: u64) -> ApprovalPolicyDefinition {
    let mut rng = Rng::new(seed);
    ApprovalPolicyDefinition {
        id: "bench".into(),
        side: PolicySide::Seller,
        currency: Some("INR".into()),
        rules: (0..rules)
            .map(|i| PolicyRule {
                id: format!("R{i}"),
                description: String::new(),
                when: ConditionSource::Text(condition(&mut rng)),
                require: Requirement {
                    role: ROLES[rng.below(ROLES.len() as u64) as usize].into(),
                    count: 1 + rng.below(2) as u32,
                    level: 1 + rng.below(3) as u32,
                },
            })
            .collect(),
        self_approval_roles: vec![],
        on_reject: OnReject::Reject,
        step_deadline_hours: Some(48),
    }
}

fn subject(lines: usize, seed: u64) -> ApprovalSubject {
    let mut rng = Rng::new(seed);
    let lines: Vec<SubjectLine> = (0..lines)
        .map(|_| {
            let list = Decimal::new(1_000 + rng.below(100_000) as i64, 2);
            let off = Decimal::new(rng.below(25) as i64, 2);
            let net = (list * (Decimal::ONE - off)).round_dp(2);
            SubjectLine {
                list_price: list,
                net_price: net,
                base_quantity: Decimal::from(1 + rng.below(500)),
                cost: rng
                    .chance(80)
                    .then(|| (list * Decimal::new(6, 1)).round_dp(2)),
                floor: rng
                    .chance(30)
                    .then(|| (list * Decimal::new(8, 1)).round_dp(2)),
                overridden: rng.chance(2),
            }
        })
        .collect();
    let total: Decimal = lines.iter().map(|l| l.net_price * l.base_quantity).sum();
    ApprovalSubject {
        subject_id: "O-bench".into(),
        currency: "INR".into(),
        segment: "distributor".into(),
        tags: vec!["ctag3".into(), "ctag17".into()],
        channel: "portal".into(),
        lines,
        total_before_tax: total,
        total_after_tax: (total * Decimal::new(118, 2)).round_dp(2),
        terms: PaymentTerms::net("NET45", 45),
    }
}

fn approval(c: &mut Criterion) {
    let def = policy(200, 11);
    let policy = ApprovalPolicy::compile(def.clone()).unwrap_or_else(|e| panic!("{e}"));
    let subject = subject(1_000, 5);
    let ctx = FactContext {
        standard_terms: Some(PaymentTerms::net("NET30", 30)),
        ..FactContext::default()
    };
    let facts = compute_facts(&subject, &ctx).unwrap_or_else(|e| panic!("{e}"));
    let plan = policy.evaluate(&facts).unwrap_or_else(|e| panic!("{e}"));
    let triggered: usize = plan.steps.iter().map(|s| s.rules.len()).sum();
    eprintln!(
        "approval_eval: {} steps, {} of 200 rules triggered",
        plan.steps.len(),
        triggered
    );

    let mut group = c.benchmark_group("approval_eval");
    group.bench_function("plan_200_rules", |b| {
        b.iter(|| policy.evaluate(black_box(&facts)))
    });
    group.bench_function("facts_and_plan_200_rules_1000_lines", |b| {
        b.iter(|| {
            compute_facts(black_box(&subject), black_box(&ctx)).and_then(|f| policy.evaluate(&f))
        })
    });
    group.bench_function("compile_200_rules_from_text", |b| {
        b.iter(|| ApprovalPolicy::compile(black_box(def.clone())))
    });
    group.finish();
}

criterion_group!(benches, approval);
criterion_main!(benches);
