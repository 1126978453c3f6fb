//! Evaluation of a compiled policy against facts: the conditions, the fact
//! readings, and the resulting [`ApprovalPlan`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::ApprovalError;
use super::expr::CompareOp;
use super::facts::{Fact, Facts, Val};
use super::policy::{ApprovalPolicy, Cond, Lit, OnReject, PolicySide};

fn eval(c: &Cond, facts: &Facts) -> bool {
    match c {
        Cond::All(items) => items.iter().all(|c| eval(c, facts)),
        Cond::Any(items) => items.iter().any(|c| eval(c, facts)),
        Cond::Not(c) => !eval(c, facts),
        Cond::Cmp { fact, op, lit, .. } => cmp(facts.get(*fact), *op, lit),
        Cond::In { fact, lits, .. } => match facts.get(*fact) {
            Val::List(tags) => lits
                .iter()
                .any(|l| matches!(l, Lit::Text(t) if tags.iter().any(|x| x == t))),
            v => lits.iter().any(|l| cmp(v, CompareOp::Eq, l)),
        },
    }
}

fn cmp(v: Val<'_>, op: CompareOp, lit: &Lit) -> bool {
    match (v, lit) {
        (Val::Num(Some(a)), Lit::Num(b)) => op.holds(a.cmp(b)),
        (Val::Num(None), _) => op == CompareOp::Ne,
        (Val::Bool(a), Lit::Bool(b)) => op.holds(a.cmp(b)),
        (Val::Text(a), Lit::Text(b)) => op.holds(a.cmp(b.as_str())),
        (Val::List(tags), Lit::Text(t)) => {
            let has = tags.iter().any(|x| x == t);
            if op == CompareOp::Eq {
                has
            } else {
                !has
            }
        }
        _ => false,
    }
}

/// Fact values as text, computed at most once per evaluation.
struct ValueCache(Vec<Option<String>>);

impl ValueCache {
    fn new() -> Self {
        Self(vec![None; Fact::ALL.len()])
    }

    fn get(&mut self, f: Fact, facts: &Facts) -> String {
        let i = Fact::ALL.iter().position(|x| *x == f).unwrap_or(0);
        match self.0.get_mut(i) {
            Some(Some(v)) => v.clone(),
            Some(slot) => {
                let v = facts.value_text(f);
                *slot = Some(v.clone());
                v
            }
            None => facts.value_text(f),
        }
    }
}

fn readings(c: &Cond, facts: &Facts, cache: &mut ValueCache, out: &mut Vec<FactReading>) {
    match c {
        Cond::All(items) | Cond::Any(items) => {
            items.iter().for_each(|c| readings(c, facts, cache, out))
        }
        Cond::Not(c) => readings(c, facts, cache, out),
        Cond::Cmp { fact, shown, .. } | Cond::In { fact, shown, .. } => {
            let value = cache.get(*fact, facts);
            let name = fact.name();
            let mut test = String::with_capacity(name.len() + value.len() + shown.len() + 3);
            test.push_str(name);
            test.push_str(" = ");
            test.push_str(&value);
            test.push_str(shown);
            out.push(FactReading {
                fact: *fact,
                value,
                test,
                holds: eval(c, facts),
            });
        }
    }
}

/// A fact value read while explaining a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactReading {
    /// The fact.
    pub fact: Fact,
    /// Its value as text.
    pub value: String,
    /// The test, e.g. `max_discount_pct = 18.4 > 15`.
    pub test: String,
    /// Whether the comparison held.
    pub holds: bool,
}

/// A rule that triggered a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggeredRule {
    /// Rule id.
    pub rule_id: String,
    /// Rule description.
    pub description: String,
    /// The condition in text form.
    pub condition: String,
    /// The facts the condition read, with their values.
    pub readings: Vec<FactReading>,
}

/// One step of a plan: `count` distinct approvers holding `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    /// Step id, `L{level}:{role}`.
    pub step_id: String,
    /// Level.
    pub level: u32,
    /// Role.
    pub role: String,
    /// Quorum (the highest of the merged rules).
    pub count: u32,
    /// Every rule that asked for this step.
    pub rules: Vec<TriggeredRule>,
}

/// Settings of the policy an instance needs to run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSettings {
    /// Roles allowed to approve their own requests.
    #[serde(default)]
    pub self_approval_roles: Vec<String>,
    /// What a rejection does.
    #[serde(default)]
    pub on_reject: OnReject,
    /// Deadline hours of an open level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_deadline_hours: Option<u32>,
}

/// The approval plan: steps by level, with why. Empty: no approval needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPlan {
    /// Policy id.
    pub policy_id: String,
    /// Seller or buyer.
    pub side: PolicySide,
    /// Steps, ordered by level then role.
    pub steps: Vec<PlanStep>,
    /// The facts evaluated.
    pub facts: Facts,
    /// Policy settings for running it.
    pub settings: PlanSettings,
}

impl ApprovalPlan {
    /// Whether no approval is needed.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The distinct levels, ascending.
    pub fn levels(&self) -> Vec<u32> {
        let mut l: Vec<u32> = self.steps.iter().map(|s| s.level).collect();
        l.dedup();
        l
    }
}

impl ApprovalPolicy {
    /// Evaluates the policy: the plan of steps with triggering rules.
    pub fn evaluate(&self, facts: &Facts) -> Result<ApprovalPlan, ApprovalError> {
        if let Some(c) = &self.currency {
            if c != &facts.currency {
                return Err(ApprovalError::CurrencyMismatch {
                    field: "facts.currency".into(),
                    expected: c.clone(),
                    found: facts.currency.clone(),
                    position: None,
                });
            }
        }
        let mut steps: BTreeMap<(u32, &str), PlanStep> = BTreeMap::new();
        let mut cache = ValueCache::new();
        for (rule, def) in self.rules.iter().zip(&self.def.rules) {
            if !eval(&rule.cond, facts) {
                continue;
            }
            let mut readings_out = Vec::new();
            readings(&rule.cond, facts, &mut cache, &mut readings_out);
            let triggered = TriggeredRule {
                rule_id: def.id.clone(),
                description: def.description.clone(),
                condition: rule.text.clone(),
                readings: readings_out,
            };
            let req = &def.require;
            let step = steps
                .entry((req.level, req.role.as_str()))
                .or_insert_with(|| PlanStep {
                    step_id: format!("L{}:{}", req.level, req.role),
                    level: req.level,
                    role: req.role.clone(),
                    count: 0,
                    rules: Vec::new(),
                });
            step.count = step.count.max(req.count);
            step.rules.push(triggered);
        }
        Ok(ApprovalPlan {
            policy_id: self.def.id.clone(),
            side: self.def.side,
            steps: steps.into_values().collect(),
            facts: facts.clone(),
            settings: PlanSettings {
                self_approval_roles: self.def.self_approval_roles.clone(),
                on_reject: self.def.on_reject,
                step_deadline_hours: self.def.step_deadline_hours,
            },
        })
    }
}
