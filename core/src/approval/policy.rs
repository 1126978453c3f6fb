//! Policy definitions (rules, requirements, sides) and their compilation
//! into a checked [`ApprovalPolicy`].

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::ApprovalError;
use super::expr::{self, CompareOp, Condition, Literal, MAX_DEPTH};
use super::facts::{Fact, Kind};
use crate::error::{index, path};

/// Most rules in one policy.
pub const MAX_RULES: usize = 10_000;

/// Which side's policy this is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum PolicySide {
    /// The seller's policy (discount, margin, credit).
    #[default]
    Seller,
    /// The buyer organisation's purchasing policy.
    Buyer,
}

/// What a rejection does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum OnReject {
    /// The instance ends rejected.
    #[default]
    Reject,
    /// The instance goes back to the requester for revision.
    ReturnForRevision,
}

/// A condition, as text or as a tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ConditionSource {
    /// Text form, e.g. `max_discount_pct > 15`.
    Text(String),
    /// Tree form.
    Tree(Condition),
}

/// What a rule requires: `count` distinct approvers with `role`, at `level`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Role.
    pub role: String,
    /// Quorum (distinct approvers).
    #[serde(default = "one")]
    pub count: u32,
    /// Level (1 first; levels run in sequence).
    #[serde(default = "one")]
    pub level: u32,
}

fn one() -> u32 {
    1
}

/// A policy rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    /// Rule id, unique in the policy.
    pub id: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// When it applies.
    pub when: ConditionSource,
    /// What it requires.
    pub require: Requirement,
}

/// An approval policy as the host stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicyDefinition {
    /// Policy id.
    pub id: String,
    /// Seller or buyer side.
    #[serde(default)]
    pub side: PolicySide,
    /// Currency of money literals (inferred from them when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Rules.
    pub rules: Vec<PolicyRule>,
    /// Roles whose holders may approve their own requests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub self_approval_roles: Vec<String>,
    /// What a rejection does.
    #[serde(default)]
    pub on_reject: OnReject,
    /// Hours a level stays open before `expire` may end the instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_deadline_hours: Option<u32>,
}

#[derive(Debug, Clone)]
pub(super) enum Lit {
    Num(Decimal),
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone)]
pub(super) enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Cmp {
        fact: Fact,
        op: CompareOp,
        lit: Lit,
        shown: String,
    },
    In {
        fact: Fact,
        lits: Vec<Lit>,
        shown: String,
    },
}

#[derive(Debug, Clone)]
pub(super) struct CompiledRule {
    pub(super) cond: Cond,
    pub(super) text: String,
    facts: Vec<Fact>,
}

/// A compiled policy: evaluate it on as many subjects as needed.
#[derive(Debug, Clone)]
pub struct ApprovalPolicy {
    pub(super) def: ApprovalPolicyDefinition,
    pub(super) rules: Vec<CompiledRule>,
    pub(super) currency: Option<String>,
}

struct Compiler<'a> {
    currency: &'a mut Option<String>,
    facts: Vec<Fact>,
    /// Positions of the comparisons in the text form, depth first.
    positions: &'a [usize],
    leaf: usize,
}

impl Compiler<'_> {
    fn compile(&mut self, c: &Condition, at: &str, depth: usize) -> Result<Cond, ApprovalError> {
        if depth > MAX_DEPTH {
            return Err(ApprovalError::ExpressionTooDeep {
                field: at.to_owned(),
                max: MAX_DEPTH,
            });
        }
        Ok(match c {
            Condition::All(items) | Condition::Any(items) => {
                if items.is_empty() {
                    return Err(ApprovalError::InvalidPolicy {
                        field: at.to_owned(),
                        rule: "a group needs at least one condition".into(),
                    });
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.compile(item, &index(at, i), depth + 1)?);
                }
                if matches!(c, Condition::All(_)) {
                    Cond::All(out)
                } else {
                    Cond::Any(out)
                }
            }
            Condition::Not(inner) => Cond::Not(Box::new(self.compile(inner, at, depth + 1)?)),
            Condition::Compare { .. } | Condition::In { .. } => {
                let pos = self.positions.get(self.leaf).copied();
                self.leaf += 1;
                self.leaf_cond(c, at).map_err(|e| e.with_position(pos))?
            }
        })
    }

    fn leaf_cond(&mut self, c: &Condition, at: &str) -> Result<Cond, ApprovalError> {
        Ok(match c {
            Condition::All(_) | Condition::Any(_) | Condition::Not(_) => {
                return Err(ApprovalError::InvalidPolicy {
                    field: at.to_owned(),
                    rule: "expected a comparison".into(),
                })
            }
            Condition::Compare { fact, op, value } => {
                let f = self.fact(fact, at)?;
                let kind = f.kind();
                if matches!(kind, Kind::Bool | Kind::Text | Kind::List)
                    && !matches!(op, CompareOp::Eq | CompareOp::Ne)
                {
                    return Err(ApprovalError::TypeMismatch {
                        field: at.to_owned(),
                        fact: fact.clone(),
                        rule: format!("supports only == and != (not {})", op.symbol()),
                        position: None,
                    });
                }
                let mut shown = String::new();
                Condition::Compare {
                    fact: String::new(),
                    op: *op,
                    value: value.clone(),
                }
                .print_tail(&mut shown);
                Cond::Cmp {
                    fact: f,
                    op: *op,
                    lit: self.literal(f, value, at)?,
                    shown,
                }
            }
            Condition::In { fact, values } => {
                let f = self.fact(fact, at)?;
                if f.kind() == Kind::Bool {
                    return Err(ApprovalError::TypeMismatch {
                        field: at.to_owned(),
                        fact: fact.clone(),
                        rule: "is true or false: use == instead of in".into(),
                        position: None,
                    });
                }
                if values.is_empty() {
                    return Err(ApprovalError::InvalidPolicy {
                        field: at.to_owned(),
                        rule: "`in` needs at least one value".into(),
                    });
                }
                let mut lits = Vec::with_capacity(values.len());
                for v in values {
                    lits.push(self.literal(f, v, at)?);
                }
                let mut shown = String::new();
                Condition::In {
                    fact: String::new(),
                    values: values.clone(),
                }
                .print_tail(&mut shown);
                Cond::In {
                    fact: f,
                    lits,
                    shown,
                }
            }
        })
    }

    fn fact(&mut self, name: &str, at: &str) -> Result<Fact, ApprovalError> {
        let f = Fact::from_name(name).ok_or_else(|| ApprovalError::UnknownFact {
            field: at.to_owned(),
            fact: name.to_owned(),
            position: None,
        })?;
        if !self.facts.contains(&f) {
            self.facts.push(f);
        }
        Ok(f)
    }

    fn literal(&mut self, f: Fact, l: &Literal, at: &str) -> Result<Lit, ApprovalError> {
        let mismatch = |rule: &str| ApprovalError::TypeMismatch {
            field: at.to_owned(),
            fact: f.name().to_owned(),
            rule: rule.to_owned(),
            position: None,
        };
        match (f.kind(), l) {
            (Kind::Money, Literal::Money(m)) => {
                match self.currency.as_ref() {
                    Some(c) if c != &m.currency => {
                        return Err(ApprovalError::CurrencyMismatch {
                            field: at.to_owned(),
                            expected: c.clone(),
                            found: m.currency.clone(),
                            position: None,
                        })
                    }
                    Some(_) => {}
                    None => *self.currency = Some(m.currency.clone()),
                }
                Ok(Lit::Num(m.amount))
            }
            (Kind::Money, _) => Err(mismatch(
                "is money: compare with an amount and currency, e.g. 500000 INR",
            )),
            (Kind::Number, Literal::Number(n)) => Ok(Lit::Num(*n)),
            (Kind::Number, _) => Err(mismatch("is a number")),
            (Kind::Bool, Literal::Bool(b)) => Ok(Lit::Bool(*b)),
            (Kind::Bool, _) => Err(mismatch("is true or false")),
            (Kind::Text | Kind::List, Literal::Text(t)) => Ok(Lit::Text(t.clone())),
            (Kind::Text | Kind::List, _) => Err(mismatch("is text: use a quoted string")),
        }
    }
}

impl ApprovalPolicy {
    /// Validates and compiles a policy.
    pub fn compile(def: ApprovalPolicyDefinition) -> Result<Self, ApprovalError> {
        if def.id.trim().is_empty() {
            return Err(ApprovalError::InvalidPolicy {
                field: "id".into(),
                rule: "must not be empty".into(),
            });
        }
        if def.rules.len() > MAX_RULES {
            return Err(ApprovalError::InvalidPolicy {
                field: "rules".into(),
                rule: format!("at most {MAX_RULES} rules"),
            });
        }
        let mut currency = def.currency.clone();
        let mut rules = Vec::with_capacity(def.rules.len());
        let mut seen = std::collections::HashSet::new();
        for (i, rule) in def.rules.iter().enumerate() {
            let at = index("rules", i);
            if rule.id.trim().is_empty() {
                return Err(ApprovalError::InvalidPolicy {
                    field: path(&at, "id"),
                    rule: "must not be empty".into(),
                });
            }
            if !seen.insert(rule.id.as_str()) {
                return Err(ApprovalError::DuplicateRule {
                    field: path(&at, "id"),
                    id: rule.id.clone(),
                });
            }
            if rule.require.role.trim().is_empty() {
                return Err(ApprovalError::InvalidPolicy {
                    field: path(&at, "require.role"),
                    rule: "must not be empty".into(),
                });
            }
            if rule.require.count == 0 {
                return Err(ApprovalError::InvalidPolicy {
                    field: path(&at, "require.count"),
                    rule: "a quorum is at least 1".into(),
                });
            }
            if rule.require.level == 0 {
                return Err(ApprovalError::InvalidPolicy {
                    field: path(&at, "require.level"),
                    rule: "levels start at 1".into(),
                });
            }
            let when_at = path(&at, "when");
            let (tree, positions) = match &rule.when {
                ConditionSource::Text(t) => expr::parse_with_positions(t, &when_at)?,
                ConditionSource::Tree(c) => (c.clone(), Vec::new()),
            };
            let mut compiler = Compiler {
                currency: &mut currency,
                facts: Vec::new(),
                positions: &positions,
                leaf: 0,
            };
            let cond = compiler.compile(&tree, &when_at, 0)?;
            let facts = compiler.facts;
            rules.push(CompiledRule {
                cond,
                text: tree.to_text(),
                facts,
            });
        }
        Ok(Self {
            def,
            rules,
            currency,
        })
    }

    /// The definition compiled.
    pub fn definition(&self) -> &ApprovalPolicyDefinition {
        &self.def
    }

    /// A rule's condition in text form.
    pub fn rule_text(&self, rule_id: &str) -> Option<&str> {
        self.def
            .rules
            .iter()
            .position(|r| r.id == rule_id)
            .and_then(|i| self.rules.get(i))
            .map(|r| r.text.as_str())
    }

    /// The facts a rule reads.
    pub fn rule_facts(&self, rule_id: &str) -> Vec<Fact> {
        self.def
            .rules
            .iter()
            .position(|r| r.id == rule_id)
            .and_then(|i| self.rules.get(i))
            .map(|r| r.facts.clone())
            .unwrap_or_default()
    }
}
