//! Facts: their names, kinds and direction of "worse", the fact values of
//! a subject, the subject and context they are computed from, and the
//! computation itself (with the stock shortfall).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::ApprovalError;
use crate::credit::{CreditCheck, CreditError, CreditSnapshot, CreditStatus, PaymentTerms};
use crate::error::index;
use crate::fulfilment::AllocationPlan;
use crate::money::{self, MoneyError, RoundingMode};

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
pub(super) enum Kind {
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

    pub(super) fn kind(self) -> Kind {
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
pub(super) enum Val<'a> {
    Num(Option<Decimal>),
    Bool(bool),
    Text(&'a str),
    List(&'a [String]),
}

impl Facts {
    pub(super) fn get(&self, f: Fact) -> Val<'_> {
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
