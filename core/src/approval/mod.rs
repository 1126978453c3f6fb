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

mod expr;
mod floor;
pub mod instance;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use expr::{CompareOp, Condition, Literal, MAX_DEPTH, MAX_TEXT_LEN};
pub(crate) use floor::line_floor;
pub use instance::{
    approval_decide, approval_start, Actor, ApprovalCommand, ApprovalInstance, ApprovalStatus,
    ApprovalTransition, AuditEntry, BindingMismatch, DecideInput, Delegation, RecordedApproval,
    StartApproval, StartInput, StepState, SubjectBinding,
};

use crate::credit::{CreditCheck, CreditError, CreditSnapshot, CreditStatus, PaymentTerms};
use crate::error::{index, path, ErrorCode};
use crate::fulfilment::AllocationPlan;
use crate::money::{self, MoneyError, RoundingMode};

/// Most rules in one policy.
pub const MAX_RULES: usize = 10_000;

/// Errors of approval policies and approval instances.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum ApprovalError {
    /// Condition text could not be parsed.
    #[error("cannot parse condition at {field}, position {position}: {message}")]
    Parse {
        /// Field path.
        field: String,
        /// Character position (0-based) in the text.
        position: usize,
        /// What was expected.
        message: String,
    },
    /// Condition text longer than [`MAX_TEXT_LEN`].
    #[error("condition text of {length} characters exceeds {max}")]
    ExpressionTooLong {
        /// Field path.
        field: String,
        /// Length given.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// Condition nested deeper than [`MAX_DEPTH`].
    #[error("condition nests deeper than {max}")]
    ExpressionTooDeep {
        /// Field path.
        field: String,
        /// The limit.
        max: usize,
    },
    /// A fact name the engine does not know.
    #[error("unknown fact {fact:?}{}", at_text(*position))]
    UnknownFact {
        /// Field path.
        field: String,
        /// The name.
        fact: String,
        /// Character position (0-based) in the text form, when written as text.
        position: Option<usize>,
    },
    /// A literal of the wrong type for the fact, or an operator it lacks.
    #[error("{fact} {rule}{}", at_text(*position))]
    TypeMismatch {
        /// Field path.
        field: String,
        /// The fact.
        fact: String,
        /// What was wrong.
        rule: String,
        /// Character position (0-based) in the text form, when written as text.
        position: Option<usize>,
    },
    /// Money in two currencies compared.
    #[error("currency {found} does not match the policy currency {expected}{}", at_text(*position))]
    CurrencyMismatch {
        /// Field path.
        field: String,
        /// The policy's currency.
        expected: String,
        /// The currency found.
        found: String,
        /// Character position (0-based) in the text form, when written as text.
        position: Option<usize>,
    },
    /// A bad policy field (empty id or role, zero quorum or level, empty group).
    #[error("{field}: {rule}")]
    InvalidPolicy {
        /// Field path.
        field: String,
        /// The rule broken.
        rule: String,
    },
    /// The allocation given for the stock-shortfall fact is not of this
    /// quote or order.
    #[error("{field}: {detail}")]
    AllocationMismatch {
        /// Field path.
        field: String,
        /// What differs.
        detail: String,
    },
    /// Two rules share an id.
    #[error("rule id {id:?} is used twice")]
    DuplicateRule {
        /// Field path.
        field: String,
        /// The id.
        id: String,
    },
    /// The instance is finished; no more decisions.
    #[error("the approval is already {status}")]
    InstanceClosed {
        /// Field path.
        field: String,
        /// Its status.
        status: String,
    },
    /// No such step.
    #[error("no step {step:?} in this approval")]
    UnknownStep {
        /// Field path.
        field: String,
        /// The step id.
        step: String,
    },
    /// The step's level is not open yet.
    #[error("step {step:?} is at level {level}; level {open} is open")]
    LevelNotOpen {
        /// Field path.
        field: String,
        /// The step.
        step: String,
        /// Its level.
        level: u32,
        /// The open level.
        open: u32,
    },
    /// The step already has its quorum.
    #[error("step {step:?} already has its approvals")]
    StepSatisfied {
        /// Field path.
        field: String,
        /// The step.
        step: String,
    },
    /// The actor lacks the role (and holds no valid delegation).
    #[error("{actor} may not act on {what}")]
    NotAuthorized {
        /// Field path.
        field: String,
        /// The actor.
        actor: String,
        /// What they tried.
        what: String,
    },
    /// The requester tried to approve their own request.
    #[error("{actor} requested this approval and may not approve it")]
    SelfApproval {
        /// Field path.
        field: String,
        /// The actor.
        actor: String,
    },
    /// One person approving twice in one instance.
    #[error("{actor} has already decided on this approval")]
    DuplicateApprover {
        /// Field path.
        field: String,
        /// The actor.
        actor: String,
    },
    /// A delegation window that is empty or inverted.
    #[error("delegation window is empty: valid_from must be before valid_until")]
    InvalidWindow {
        /// Field path.
        field: String,
    },
    /// `expire` before any open step's deadline.
    #[error("no open step is past its deadline")]
    NotExpired {
        /// Field path.
        field: String,
    },
    /// A rejection without a reason.
    #[error("a reason is required")]
    ReasonRequired {
        /// Field path.
        field: String,
    },
    /// Arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

fn at_text(position: Option<usize>) -> String {
    position.map_or_else(String::new, |p| {
        format!(" (at position {p} of the condition text)")
    })
}

impl ApprovalError {
    /// The position in the condition text, for parse and semantic errors
    /// of a condition written as text.
    pub fn position(&self) -> Option<usize> {
        match self {
            Self::Parse { position, .. } => Some(*position),
            Self::UnknownFact { position, .. }
            | Self::TypeMismatch { position, .. }
            | Self::CurrencyMismatch { position, .. } => *position,
            _ => None,
        }
    }

    fn with_position(mut self, at: Option<usize>) -> Self {
        if let Self::UnknownFact { position, .. }
        | Self::TypeMismatch { position, .. }
        | Self::CurrencyMismatch { position, .. } = &mut self
        {
            *position = at;
        }
        self
    }
}

impl ErrorCode for ApprovalError {
    fn code(&self) -> &'static str {
        match self {
            Self::Parse { .. } => "POLICY_PARSE_ERROR",
            Self::ExpressionTooLong { .. } => "EXPRESSION_TOO_LONG",
            Self::ExpressionTooDeep { .. } => "EXPRESSION_TOO_DEEP",
            Self::UnknownFact { .. } => "UNKNOWN_FACT",
            Self::TypeMismatch { .. } => "TYPE_MISMATCH",
            Self::CurrencyMismatch { .. } => "CURRENCY_MISMATCH",
            Self::InvalidPolicy { .. } => "INVALID_POLICY",
            Self::AllocationMismatch { .. } => "ALLOCATION_MISMATCH",
            Self::DuplicateRule { .. } => "DUPLICATE_ID",
            Self::InstanceClosed { .. } => "APPROVAL_CLOSED",
            Self::UnknownStep { .. } => "UNKNOWN_STEP",
            Self::LevelNotOpen { .. } => "LEVEL_NOT_OPEN",
            Self::StepSatisfied { .. } => "STEP_ALREADY_APPROVED",
            Self::NotAuthorized { .. } => "NOT_AUTHORIZED",
            Self::SelfApproval { .. } => "SELF_APPROVAL",
            Self::DuplicateApprover { .. } => "DUPLICATE_APPROVER",
            Self::InvalidWindow { .. } => "INVALID_WINDOW",
            Self::NotExpired { .. } => "NOT_EXPIRED",
            Self::ReasonRequired { .. } => "REASON_REQUIRED",
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Parse { field, .. }
            | Self::ExpressionTooLong { field, .. }
            | Self::ExpressionTooDeep { field, .. }
            | Self::UnknownFact { field, .. }
            | Self::TypeMismatch { field, .. }
            | Self::CurrencyMismatch { field, .. }
            | Self::InvalidPolicy { field, .. }
            | Self::AllocationMismatch { field, .. }
            | Self::DuplicateRule { field, .. }
            | Self::InstanceClosed { field, .. }
            | Self::UnknownStep { field, .. }
            | Self::LevelNotOpen { field, .. }
            | Self::StepSatisfied { field, .. }
            | Self::NotAuthorized { field, .. }
            | Self::SelfApproval { field, .. }
            | Self::DuplicateApprover { field, .. }
            | Self::InvalidWindow { field }
            | Self::NotExpired { field }
            | Self::ReasonRequired { field } => Some(field),
            Self::Money(e) => e.field(),
        }
    }
}

/// Every fact a policy can test.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// Total before tax (money).
    TotalBeforeTax,
    /// Total after (estimated) tax (money).
    TotalAfterTax,
    /// Largest line discount % off list.
    MaxDiscountPct,
    /// Value-weighted average discount %.
    AvgDiscountPct,
    /// Smallest line margin % (when costs are known).
    MinMarginPct,
    /// Number of lines below their floor price.
    LinesBelowFloor,
    /// Credit exposure after this order (money).
    CreditExposure,
    /// Credit limit (money).
    CreditLimit,
    /// Amount over the credit limit (money; zero when within).
    CreditOverBy,
    /// Whether the credit check says over the limit.
    CreditOverLimit,
    /// Whether the customer is on credit hold.
    CreditOnHold,
    /// Payment days of the terms (largest credit offset).
    PaymentDays,
    /// The customer's standard payment days.
    StandardPaymentDays,
    /// Payment days beyond the standard (0 when within).
    PaymentDaysOverStandard,
    /// Advance percent of the terms.
    AdvancePct,
    /// Advance percent below the standard (0 when at or above).
    AdvancePctBelowStandard,
    /// Customer segment.
    Segment,
    /// Customer tags.
    Tags,
    /// The customer has no prior orders (host-supplied).
    NewCustomer,
    /// Lines that cannot be allocated (host-supplied, from allocation).
    StockShortfallLines,
    /// Some price was overridden manually.
    ManualOverride,
    /// Channel (`portal`, `mobile_app`, `sales_rep`, `edi`).
    Channel,
    /// Order currency.
    Currency,
    /// Number of lines.
    LineCount,
}

/// The type of a fact's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Money,
    Number,
    Bool,
    Text,
    List,
}

/// Which way a fact gets worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Worse {
    Higher,
    Lower,
    Changed,
}

impl Fact {
    /// Every fact, in a fixed order.
    pub const ALL: [Fact; 24] = [
        Self::TotalBeforeTax,
        Self::TotalAfterTax,
        Self::MaxDiscountPct,
        Self::AvgDiscountPct,
        Self::MinMarginPct,
        Self::LinesBelowFloor,
        Self::CreditExposure,
        Self::CreditLimit,
        Self::CreditOverBy,
        Self::CreditOverLimit,
        Self::CreditOnHold,
        Self::PaymentDays,
        Self::StandardPaymentDays,
        Self::PaymentDaysOverStandard,
        Self::AdvancePct,
        Self::AdvancePctBelowStandard,
        Self::Segment,
        Self::Tags,
        Self::NewCustomer,
        Self::StockShortfallLines,
        Self::ManualOverride,
        Self::Channel,
        Self::Currency,
        Self::LineCount,
    ];

    /// The fact's name in conditions.
    pub fn name(self) -> &'static str {
        match self {
            Self::TotalBeforeTax => "total_before_tax",
            Self::TotalAfterTax => "total_after_tax",
            Self::MaxDiscountPct => "max_discount_pct",
            Self::AvgDiscountPct => "avg_discount_pct",
            Self::MinMarginPct => "min_margin_pct",
            Self::LinesBelowFloor => "lines_below_floor",
            Self::CreditExposure => "credit_exposure",
            Self::CreditLimit => "credit_limit",
            Self::CreditOverBy => "credit_over_by",
            Self::CreditOverLimit => "credit_over_limit",
            Self::CreditOnHold => "credit_on_hold",
            Self::PaymentDays => "payment_days",
            Self::StandardPaymentDays => "standard_payment_days",
            Self::PaymentDaysOverStandard => "payment_days_over_standard",
            Self::AdvancePct => "advance_pct",
            Self::AdvancePctBelowStandard => "advance_pct_below_standard",
            Self::Segment => "segment",
            Self::Tags => "tags",
            Self::NewCustomer => "new_customer",
            Self::StockShortfallLines => "stock_shortfall_lines",
            Self::ManualOverride => "manual_override",
            Self::Channel => "channel",
            Self::Currency => "currency",
            Self::LineCount => "line_count",
        }
    }

    /// Looks a fact up by name.
    pub fn from_name(name: &str) -> Option<Fact> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }

    fn kind(self) -> Kind {
        match self {
            Self::TotalBeforeTax
            | Self::TotalAfterTax
            | Self::CreditExposure
            | Self::CreditLimit
            | Self::CreditOverBy => Kind::Money,
            Self::CreditOverLimit
            | Self::CreditOnHold
            | Self::NewCustomer
            | Self::ManualOverride => Kind::Bool,
            Self::Segment | Self::Channel | Self::Currency => Kind::Text,
            Self::Tags => Kind::List,
            _ => Kind::Number,
        }
    }

    fn worse(self) -> Worse {
        match self.kind() {
            Kind::Text | Kind::List => Worse::Changed,
            Kind::Bool => Worse::Higher,
            _ => match self {
                Self::MinMarginPct | Self::AdvancePct | Self::CreditLimit => Worse::Lower,
                Self::StandardPaymentDays => Worse::Changed,
                _ => Worse::Higher,
            },
        }
    }
}

/// The facts of a quote or order, computed by the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Currency of the money facts.
    pub currency: String,
    /// Total before tax.
    pub total_before_tax: Decimal,
    /// Total after estimated tax.
    pub total_after_tax: Decimal,
    /// Largest line discount % off list.
    pub max_discount_pct: Decimal,
    /// Value-weighted average discount %.
    pub avg_discount_pct: Decimal,
    /// Smallest line margin %, when some line has a cost.
    pub min_margin_pct: Option<Decimal>,
    /// Lines below floor.
    pub lines_below_floor: u32,
    /// Credit exposure after this order, when checked.
    pub credit_exposure: Option<Decimal>,
    /// Credit limit, when checked.
    pub credit_limit: Option<Decimal>,
    /// Over the limit by (zero when within or unchecked).
    pub credit_over_by: Decimal,
    /// Over the limit.
    pub credit_over_limit: bool,
    /// On credit hold.
    pub credit_on_hold: bool,
    /// Payment days of the terms.
    pub payment_days: u32,
    /// Standard payment days of the customer, when known.
    pub standard_payment_days: Option<u32>,
    /// Days beyond standard.
    pub payment_days_over_standard: u32,
    /// Advance %.
    pub advance_pct: Decimal,
    /// Advance % below standard.
    pub advance_pct_below_standard: Decimal,
    /// Segment.
    pub segment: String,
    /// Customer tags.
    pub tags: Vec<String>,
    /// New customer (host-supplied).
    pub new_customer: bool,
    /// Lines an allocation cannot fill in full (counted by the engine from
    /// the allocation plan given with the host facts; 0 without one).
    pub stock_shortfall_lines: u32,
    /// Manual price override present.
    pub manual_override: bool,
    /// Channel.
    pub channel: String,
    /// Number of lines.
    pub line_count: u32,
}

/// A borrowed fact value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val<'a> {
    Num(Option<Decimal>),
    Bool(bool),
    Text(&'a str),
    List(&'a [String]),
}

impl Facts {
    fn get(&self, f: Fact) -> Val<'_> {
        match f {
            Fact::TotalBeforeTax => Val::Num(Some(self.total_before_tax)),
            Fact::TotalAfterTax => Val::Num(Some(self.total_after_tax)),
            Fact::MaxDiscountPct => Val::Num(Some(self.max_discount_pct)),
            Fact::AvgDiscountPct => Val::Num(Some(self.avg_discount_pct)),
            Fact::MinMarginPct => Val::Num(self.min_margin_pct),
            Fact::LinesBelowFloor => Val::Num(Some(self.lines_below_floor.into())),
            Fact::CreditExposure => Val::Num(self.credit_exposure),
            Fact::CreditLimit => Val::Num(self.credit_limit),
            Fact::CreditOverBy => Val::Num(Some(self.credit_over_by)),
            Fact::CreditOverLimit => Val::Bool(self.credit_over_limit),
            Fact::CreditOnHold => Val::Bool(self.credit_on_hold),
            Fact::PaymentDays => Val::Num(Some(self.payment_days.into())),
            Fact::StandardPaymentDays => Val::Num(self.standard_payment_days.map(Decimal::from)),
            Fact::PaymentDaysOverStandard => Val::Num(Some(self.payment_days_over_standard.into())),
            Fact::AdvancePct => Val::Num(Some(self.advance_pct)),
            Fact::AdvancePctBelowStandard => Val::Num(Some(self.advance_pct_below_standard)),
            Fact::Segment => Val::Text(&self.segment),
            Fact::Tags => Val::List(&self.tags),
            Fact::NewCustomer => Val::Bool(self.new_customer),
            Fact::StockShortfallLines => Val::Num(Some(self.stock_shortfall_lines.into())),
            Fact::ManualOverride => Val::Bool(self.manual_override),
            Fact::Channel => Val::Text(&self.channel),
            Fact::Currency => Val::Text(&self.currency),
            Fact::LineCount => Val::Num(Some(self.line_count.into())),
        }
    }

    /// A fact's value as text (for explanations).
    pub fn value_text(&self, f: Fact) -> String {
        match self.get(f) {
            Val::Num(None) => "unknown".into(),
            Val::Num(Some(n)) if f.kind() == Kind::Money => {
                format!("{} {}", n.normalize(), self.currency)
            }
            Val::Num(Some(n)) => n.normalize().to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Text(t) => format!("{t:?}"),
            Val::List(l) => format!("{l:?}"),
        }
    }

    /// Whether fact `f` is worse in `self` than in `before`.
    pub fn is_worse(&self, before: &Facts, f: Fact) -> bool {
        let (now, was) = (self.get(f), before.get(f));
        match f.worse() {
            Worse::Changed => now != was,
            Worse::Higher => match (now, was) {
                (Val::Num(a), Val::Num(b)) => match (a, b) {
                    (Some(a), Some(b)) => a > b,
                    (a, b) => a != b,
                },
                (Val::Bool(a), Val::Bool(b)) => a && !b,
                (a, b) => a != b,
            },
            Worse::Lower => match (now, was) {
                (Val::Num(Some(a)), Val::Num(Some(b))) => a < b,
                (a, b) => a != b,
            },
        }
    }
}

/// One line as the fact computation sees it (per base unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectLine {
    /// List (base) price per base unit; zero for free goods.
    pub list_price: Decimal,
    /// Net price per base unit.
    pub net_price: Decimal,
    /// Quantity in base units.
    pub base_quantity: Decimal,
    /// Cost per base unit in the order currency, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Decimal>,
    /// Floor price per base unit, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Decimal>,
    /// Whether the price was overridden manually.
    #[serde(default)]
    pub overridden: bool,
}

/// What a quote or order exposes to the fact computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSubject {
    /// Quote or order id.
    pub subject_id: String,
    /// Currency.
    pub currency: String,
    /// Customer segment.
    pub segment: String,
    /// Customer tags.
    pub tags: Vec<String>,
    /// Channel name.
    pub channel: String,
    /// Lines.
    pub lines: Vec<SubjectLine>,
    /// Total before tax.
    pub total_before_tax: Decimal,
    /// Total after estimated tax.
    pub total_after_tax: Decimal,
    /// Payment terms.
    pub terms: PaymentTerms,
}

/// Facts the host supplies (the engine cannot know them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct FactContext {
    /// The customer has no prior orders.
    pub new_customer: bool,
    /// The allocation plan (or dry run) of the subject: the engine counts
    /// `stock_shortfall_lines` from it (lines not allocated in full). The
    /// host never states that number itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation: Option<AllocationPlan>,
    /// The credit check of this order, when run.
    pub credit: Option<CreditCheck>,
    /// The customer's standard payment terms.
    pub standard_terms: Option<PaymentTerms>,
}

/// Facts only the host knows, for the engine operations that compute a
/// plan from a quote or order. Unlike [`FactContext`], the credit check is
/// not taken as given: the host supplies its credit snapshot (receivables,
/// open orders, advance, limit, hold) and the engine adds this quote's or
/// order's own total.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct HostFacts {
    /// The customer has no prior orders.
    pub new_customer: bool,
    /// The allocation plan (or dry run) of this quote or order: the engine
    /// counts `stock_shortfall_lines` from it (lines not allocated in
    /// full). The host never states that number itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation: Option<AllocationPlan>,
    /// The customer's credit position, when a credit check is wanted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<CreditSnapshot>,
    /// The customer's standard payment terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard_terms: Option<PaymentTerms>,
}

impl HostFacts {
    /// The fact context for a subject of customer `customer_id` whose own
    /// total is `this_order` (the credit check is run here).
    pub fn context(
        &self,
        customer_id: &str,
        this_order: &crate::money::Money,
    ) -> Result<FactContext, CreditError> {
        let credit = match &self.credit {
            Some(c) => Some(c.check(customer_id, this_order)?),
            None => None,
        };
        Ok(FactContext {
            new_customer: self.new_customer,
            allocation: self.allocation.clone(),
            credit,
            standard_terms: self.standard_terms.clone(),
        })
    }
}

/// The first fact derived from the subject itself (lines, totals, terms,
/// customer data) that differs between `claimed` and `computed`; host facts
/// (credit, new customer, stock shortfall, standard terms) are not compared.
pub fn subject_fact_mismatch(claimed: &Facts, computed: &Facts) -> Option<Fact> {
    [
        Fact::Currency,
        Fact::TotalBeforeTax,
        Fact::TotalAfterTax,
        Fact::MaxDiscountPct,
        Fact::AvgDiscountPct,
        Fact::MinMarginPct,
        Fact::LinesBelowFloor,
        Fact::PaymentDays,
        Fact::AdvancePct,
        Fact::Segment,
        Fact::Tags,
        Fact::ManualOverride,
        Fact::Channel,
        Fact::LineCount,
    ]
    .into_iter()
    .find(|f| claimed.get(*f) != computed.get(*f))
}

/// Whether `a / b > c / d` for positive `b`, `d`, without dividing: exact
/// i128 cross-multiplication when the scales line up (the common case of
/// prices with the same decimals), checked decimal products otherwise.
fn ratio_gt(a: Decimal, b: Decimal, c: Decimal, d: Decimal) -> Result<bool, MoneyError> {
    if a.scale() + d.scale() == c.scale() + b.scale() {
        let small = |x: Decimal| i64::try_from(x.mantissa()).ok().map(i128::from);
        if let (Some(a), Some(b), Some(c), Some(d)) = (small(a), small(b), small(c), small(d)) {
            return Ok(a * d > c * b);
        }
    }
    Ok(money::mul(a, d, "ratio")? > money::mul(c, b, "ratio")?)
}

/// Sums products exactly: i128 mantissa products while the scales agree
/// (the common case), checked decimals otherwise.
struct ProductSum {
    fast: i128,
    scale: Option<u32>,
    slow: Decimal,
}

impl ProductSum {
    fn new() -> Self {
        Self {
            fast: 0,
            scale: None,
            slow: Decimal::ZERO,
        }
    }

    fn add(&mut self, a: Decimal, b: Decimal) -> Result<(), MoneyError> {
        let scale = a.scale() + b.scale();
        if self.scale.is_none_or(|s| s == scale) {
            let small = |x: Decimal| i64::try_from(x.mantissa()).ok().map(i128::from);
            if let (Some(x), Some(y)) = (small(a), small(b)) {
                if let Some(sum) = self.fast.checked_add(x * y) {
                    self.fast = sum;
                    self.scale = Some(scale);
                    return Ok(());
                }
            }
        }
        self.slow = money::add(self.slow, money::mul(a, b, "product")?, "sum")?;
        Ok(())
    }

    fn total(&self) -> Result<Decimal, MoneyError> {
        let fast = Decimal::try_from_i128_with_scale(self.fast, self.scale.unwrap_or(0)).map_err(
            |_| MoneyError::Overflow {
                field: String::new(),
                what: "sum".into(),
            },
        )?;
        money::add(fast, self.slow, "sum")
    }
}

fn pct(num: Decimal, den: Decimal) -> Result<Decimal, MoneyError> {
    let p = money::div(
        money::mul(num, Decimal::ONE_HUNDRED, "percent")?,
        den,
        "percent",
    )?;
    Ok(RoundingMode::HalfUp.round(p, 2).normalize())
}

/// Lines of `plan` not allocated in full (the `stock_shortfall_lines`
/// fact); 0 without a plan. The plan must be of the subject (its
/// `order_id` is the quote's or order's id).
pub fn stock_shortfall(
    subject: &ApprovalSubject,
    plan: Option<&AllocationPlan>,
) -> Result<u32, ApprovalError> {
    let Some(plan) = plan else { return Ok(0) };
    if plan.order_id != subject.subject_id {
        return Err(ApprovalError::AllocationMismatch {
            field: "context.allocation.order_id".into(),
            detail: format!(
                "the allocation is of {}, not of {}",
                plan.order_id, subject.subject_id
            ),
        });
    }
    let short = plan
        .lines
        .iter()
        .filter(|l| l.backordered > Decimal::ZERO || l.allocated < l.ordered)
        .count();
    Ok(u32::try_from(short).unwrap_or(u32::MAX))
}

/// Computes the facts of a subject. Linear in the lines, one division per
/// fact (ratios are compared by cross-multiplication).
pub fn compute_facts(subject: &ApprovalSubject, ctx: &FactContext) -> Result<Facts, ApprovalError> {
    // best discount ratio as (list - net) / list
    let mut best_disc: Option<(Decimal, Decimal)> = None;
    let mut worst_margin: Option<(Decimal, Decimal)> = None;
    let mut list_total = ProductSum::new();
    let mut net_total = ProductSum::new();
    let mut below = 0u32;
    let mut overridden = false;
    for (i, l) in subject.lines.iter().enumerate() {
        let at = || index("lines", i);
        overridden |= l.overridden;
        if let Some(f) = l.floor {
            if l.net_price < f {
                below = below.saturating_add(1);
            }
        }
        if l.list_price > Decimal::ZERO {
            let off = money::sub(l.list_price, l.net_price, "discount").map_err(|e| e.at(&at()))?;
            let better = match best_disc {
                None => true,
                Some((n, d)) => ratio_gt(off, l.list_price, n, d).map_err(|e| e.at(&at()))?,
            };
            if better {
                best_disc = Some((off, l.list_price));
            }
            list_total
                .add(l.list_price, l.base_quantity)
                .map_err(|e| e.at(&at()))?;
            net_total
                .add(l.net_price, l.base_quantity)
                .map_err(|e| e.at(&at()))?;
        }
        if let Some(cost) = l.cost {
            if l.net_price > Decimal::ZERO {
                let m = money::sub(l.net_price, cost, "margin").map_err(|e| e.at(&at()))?;
                let worse = match worst_margin {
                    None => true,
                    Some((n, d)) => ratio_gt(n, d, m, l.net_price).map_err(|e| e.at(&at()))?,
                };
                if worse {
                    worst_margin = Some((m, l.net_price));
                }
            }
        }
    }
    let max_discount_pct = match best_disc {
        Some((n, d)) => pct(n, d)?,
        None => Decimal::ZERO,
    };
    let list_total = list_total.total()?;
    let net_total = net_total.total()?;
    let avg_discount_pct = if list_total > Decimal::ZERO {
        pct(money::sub(list_total, net_total, "discount")?, list_total)?
    } else {
        Decimal::ZERO
    };
    let min_margin_pct = match worst_margin {
        Some((n, d)) => Some(pct(n, d)?),
        None => None,
    };
    let payment_days = subject.terms.net_days();
    let advance_pct = subject.terms.advance_pct();
    let (standard_payment_days, over_std, adv_below) = match &ctx.standard_terms {
        Some(std) => (
            Some(std.net_days()),
            payment_days.saturating_sub(std.net_days()),
            std.advance_pct()
                .saturating_sub(advance_pct)
                .max(Decimal::ZERO),
        ),
        None => (None, 0, Decimal::ZERO),
    };
    let (credit_exposure, credit_limit, credit_over_by, credit_over_limit, credit_on_hold) =
        match &ctx.credit {
            Some(c) => {
                if c.exposure.currency != subject.currency {
                    return Err(ApprovalError::CurrencyMismatch {
                        field: "context.credit.exposure".into(),
                        expected: subject.currency.clone(),
                        found: c.exposure.currency.clone(),
                        position: None,
                    });
                }
                (
                    Some(c.exposure.amount),
                    Some(c.limit.amount),
                    c.over_by().amount,
                    matches!(c.status, CreditStatus::OverLimit { .. }),
                    c.status == CreditStatus::OnHold,
                )
            }
            None => (None, None, Decimal::ZERO, false, false),
        };
    Ok(Facts {
        currency: subject.currency.clone(),
        total_before_tax: subject.total_before_tax,
        total_after_tax: subject.total_after_tax,
        max_discount_pct,
        avg_discount_pct,
        min_margin_pct,
        lines_below_floor: below,
        credit_exposure,
        credit_limit,
        credit_over_by,
        credit_over_limit,
        credit_on_hold,
        payment_days,
        standard_payment_days,
        payment_days_over_standard: over_std,
        advance_pct,
        advance_pct_below_standard: adv_below,
        segment: subject.segment.clone(),
        tags: subject.tags.clone(),
        new_customer: ctx.new_customer,
        stock_shortfall_lines: stock_shortfall(subject, ctx.allocation.as_ref())?,
        manual_override: overridden,
        channel: subject.channel.clone(),
        line_count: u32::try_from(subject.lines.len()).unwrap_or(u32::MAX),
    })
}

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
enum Lit {
    Num(Decimal),
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone)]
enum Cond {
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
struct CompiledRule {
    cond: Cond,
    text: String,
    facts: Vec<Fact>,
}

/// A compiled policy: evaluate it on as many subjects as needed.
#[derive(Debug, Clone)]
pub struct ApprovalPolicy {
    def: ApprovalPolicyDefinition,
    rules: Vec<CompiledRule>,
    currency: Option<String>,
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

/// A buyer organisation's approval as a host document gives it with the
/// buyer's commitment (quote acceptance, order confirmation): the buyer's
/// policy, the facts only the host knows, and the buyer's instance. An
/// empty plan needs no instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerApproval {
    /// The buyer organisation's policy (`side: buyer`).
    pub policy: ApprovalPolicyDefinition,
    /// Facts only the host knows, for the buyer's plan.
    #[serde(default)]
    pub host: HostFacts,
    /// The buyer's approved instance, bound to the quote revision or order
    /// version being committed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalInstance>,
}

/// The buyer side of a commitment, compiled: what
/// [`crate::quote::Quote::accept_with_buyer`] and
/// [`crate::order::Order::confirm_with_buyer`] check.
#[derive(Debug, Clone, Copy)]
pub struct BuyerSide<'a> {
    /// The buyer organisation's compiled policy (`side: buyer`).
    pub policy: &'a ApprovalPolicy,
    /// Facts only the host knows.
    pub host: &'a HostFacts,
    /// The buyer's instance, if any.
    pub approval: Option<&'a ApprovalInstance>,
}

impl BuyerApproval {
    /// Compiles the buyer's policy, which must be a buyer-side one.
    pub fn compile(&self) -> Result<ApprovalPolicy, ApprovalError> {
        if self.policy.side != PolicySide::Buyer {
            return Err(ApprovalError::InvalidPolicy {
                field: "buyer.policy.side".into(),
                rule: "the buyer's policy is a buyer-side one (`side: buyer`)".into(),
            });
        }
        ApprovalPolicy::compile(self.policy.clone())
    }
}

impl BuyerSide<'_> {
    /// Checks the buyer side of a subject: `facts` are the subject's facts
    /// with the host's, `subject_facts` those of the subject alone (as
    /// [`ApprovalInstance::check_binding`] compares them) and `binding` what
    /// an approval of the subject as it is now is bound to. An empty plan
    /// needs nothing; otherwise the instance must be the buyer's, of this
    /// policy, approved, bound to `binding`, with the plan's steps. The
    /// outer error is a policy problem, the inner one names the field of
    /// `buyer` that is missing or differs.
    pub(crate) fn check(
        &self,
        facts: &Facts,
        subject_facts: &Facts,
        binding: &SubjectBinding,
        noun: &str,
    ) -> Result<Result<(), BindingMismatch>, ApprovalError> {
        let miss = |field: &str, detail: String| {
            Ok(Err(BindingMismatch {
                field: field.to_owned(),
                detail,
            }))
        };
        if self.policy.definition().side != PolicySide::Buyer {
            return Err(ApprovalError::InvalidPolicy {
                field: "buyer.policy.side".into(),
                rule: "the buyer's policy is a buyer-side one (`side: buyer`)".into(),
            });
        }
        let plan = self.policy.evaluate(facts)?;
        if plan.is_empty() {
            return Ok(Ok(()));
        }
        let Some(a) = self.approval else {
            let steps: Vec<&str> = plan.steps.iter().map(|s| s.step_id.as_str()).collect();
            return miss(
                "buyer.approval",
                format!(
                    "the buyer's policy {} needs an approved instance for {} {} ({})",
                    plan.policy_id,
                    noun,
                    binding.revision,
                    steps.join(", ")
                ),
            );
        };
        if a.plan.side != PolicySide::Buyer {
            return miss(
                "buyer.approval.plan.side",
                "the instance is the seller's, not the buyer's".into(),
            );
        }
        if a.plan.policy_id != plan.policy_id {
            return miss(
                "buyer.approval.plan.policy_id",
                format!(
                    "the instance is of policy {}, not {}",
                    a.plan.policy_id, plan.policy_id
                ),
            );
        }
        if let Err(m) = a.check_binding(binding, subject_facts, noun) {
            return miss(&format!("buyer.{}", m.field), m.detail);
        }
        if let Some(s) = plan
            .steps
            .iter()
            .find(|s| !a.plan.steps.iter().any(|x| x.step_id == s.step_id))
        {
            return miss(
                "buyer.approval.plan.steps",
                format!(
                    "the instance's plan lacks step {} the policy asks for",
                    s.step_id
                ),
            );
        }
        Ok(Ok(()))
    }
}

/// Input of the `approval plan` operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The policy.
    pub policy: ApprovalPolicyDefinition,
    /// The quote or order summary.
    pub subject: ApprovalSubject,
    /// Host-supplied facts.
    #[serde(default)]
    pub context: FactContext,
}

/// The `approval plan` operation on raw facts: compile, compute facts from
/// the subject and context as given, evaluate.
///
/// The subject and context are taken as the caller states them, so this
/// entry point is for explanations and for buyer-organisation policies run
/// by the buyer's own host; a plan made here never issues a quote or
/// confirms an order. The seller's flow uses
/// [`crate::quote::Quote::request_approval`] /
/// [`crate::order::Order::request_approval`] (operations `quote submit`,
/// [`crate::quote::quote_approval_plan`], [`crate::order::order_approval_plan`]),
/// which compute the facts from the quote or order.
pub fn approval_plan(input: &PlanInput) -> Result<ApprovalPlan, ApprovalError> {
    let policy = ApprovalPolicy::compile(input.policy.clone())?;
    let facts = compute_facts(&input.subject, &input.context)?;
    policy.evaluate(&facts)
}

#[cfg(test)]
mod tests;
