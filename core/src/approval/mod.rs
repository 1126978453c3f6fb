//! Approval policies: facts, conditions, requirements, the approval plan,
//! and running approvals (see [`instance`]).
//!
//! A policy ([`ApprovalPolicyDefinition`]) is a list of rules, each a
//! condition over [`Facts`] and a requirement (role, quorum, level). It is
//! compiled once ([`ApprovalPolicy::compile`]): fact names and literal types
//! are checked, money literals must share one currency, text conditions are
//! parsed. Evaluating it on facts gives an [`ApprovalPlan`]: levels and
//! steps with the rules and fact values that triggered them. The same engine
//! serves seller policies and buyer-organisation policies.
//!
//! ```
//! use b2b_oms::approval::{ApprovalPolicy, ApprovalPolicyDefinition};
//!
//! let def: ApprovalPolicyDefinition = serde_json::from_str(r#"{
//!   "id": "seller", "currency": "INR",
//!   "rules": [{"id": "deep", "when": "max_discount_pct > 15 and segment in [\"distributor\", \"wholesaler\"]",
//!              "require": {"role": "sales_manager"}}]
//! }"#).unwrap();
//! let policy = ApprovalPolicy::compile(def).unwrap();
//! assert_eq!(policy.rule_text("deep").unwrap(),
//!            "max_discount_pct > 15 and segment in [\"distributor\", \"wholesaler\"]");
//! ```
//!
//! Decisions where the spec is silent:
//! - discount percents are off the list (base) price per base unit, rounded
//!   half-up to 2 places; the average is value-weighted (Σ list − Σ net over
//!   Σ list); margins are (net − cost) / net, over lines with a cost in the
//!   order currency and a positive net price; free-goods lines are left out;
//! - a missing fact (no margin because no costs, no credit check) makes every
//!   comparison on it false (and `!=` true);
//! - for `tags`, `==` means "has the tag", `!=` "lacks it", `in` "has any";
//! - money facts need money literals; all money literals of a policy share
//!   one currency (the policy's `currency` when given), and evaluating facts
//!   in another currency is a `CURRENCY_MISMATCH` error, never a comparison;
//! - "worse" for re-approval: higher is worse for totals, discounts, lines
//!   below floor, exposure, over-limit amounts, payment days, advance
//!   shortfall, stock shortfall and line count; lower is worse for margin,
//!   advance percent and credit limit; booleans get worse going to `true`;
//!   any change of a text fact (segment, tags, channel, currency) is worse.

mod buyer;
mod error;
mod expr;
mod facts;
mod floor;
pub mod instance;
mod ops;
mod plan;
mod policy;

pub use expr::{CompareOp, Condition, Literal, MAX_DEPTH, MAX_TEXT_LEN};
pub(crate) use floor::line_floor;
pub use instance::{
    approval_decide, approval_start, Actor, ApprovalCommand, ApprovalInstance, ApprovalStatus,
    ApprovalTransition, AuditEntry, BindingMismatch, DecideInput, Delegation, RecordedApproval,
    StartApproval, StartInput, StepState, SubjectBinding,
};

pub use buyer::{BuyerApproval, BuyerSide};
pub use error::ApprovalError;
pub use facts::{
    compute_facts, stock_shortfall, subject_fact_mismatch, ApprovalSubject, Fact, FactContext,
    Facts, HostFacts, SubjectLine,
};
pub use ops::{approval_plan, PlanInput};
pub use plan::{ApprovalPlan, FactReading, PlanSettings, PlanStep, TriggeredRule};
pub use policy::{
    ApprovalPolicy, ApprovalPolicyDefinition, ConditionSource, OnReject, PolicyRule, PolicySide,
    Requirement, MAX_RULES,
};

// What the tests reach through `use super::*`.
#[cfg(test)]
use crate::error::ErrorCode;
#[cfg(test)]
use rust_decimal::Decimal;

#[cfg(test)]
mod tests;
