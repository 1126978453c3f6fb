//! Payment terms (instalment schedules with due dates and early-payment
//! discounts) and the credit check.
//!
//! ```
//! use b2b_oms::credit::{PaymentTerms, BasisDates};
//! use b2b_oms::money::Money;
//! use rust_decimal::Decimal;
//!
//! let terms = PaymentTerms::advance_then_net("30-70", Decimal::new(30, 0), 45);
//! let amount = Money { amount: Decimal::new(100001, 2), currency: "INR".into() };
//! let s = terms.schedule(&amount, &BasisDates::default()).unwrap();
//! assert_eq!(s.instalments[0].amount.amount, Decimal::new(30000, 2));
//! assert_eq!(s.instalments[1].amount.amount, Decimal::new(70001, 2));
//! ```
//!
//! Decisions where the spec is silent:
//! - percent shares are rounded half-up to the currency's minor units; a
//!   `balance` instalment takes what the others leave, and without one the
//!   last instalment takes the rounding remainder, so the sum is exact;
//! - an instalment is an **advance** when its basis is the order date and its
//!   offset is zero days or less; the terms' `net_days` is the largest offset
//!   of the other instalments (0 for all-advance terms);
//! - "end of invoice month" means the last day of the invoice date's month
//!   plus the offset;
//! - the early-payment discount applies to the non-advance part, and its
//!   pay-by date counts from the first non-advance instalment's basis date;
//! - a customer without a credit limit has a limit of zero (advance only);
//! - the tolerance raises the limit by that percent: exposure strictly above
//!   `limit × (1 + tolerance/100)` is over the limit.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::{index, path, ErrorCode};
use crate::money::{self, Currencies, Money, MoneyError, RoundingMode};

/// Errors of payment terms and the credit check.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum CreditError {
    /// The terms are inconsistent (shares above 100%, two balances, none).
    #[error("invalid payment terms at {field}: {rule}")]
    InvalidTerms {
        /// Field path.
        field: String,
        /// The rule broken.
        rule: String,
    },
    /// A negative amount where only zero or more makes sense.
    #[error("{field} must not be negative, got {value}")]
    NegativeAmount {
        /// Field path.
        field: String,
        /// The value.
        value: Decimal,
    },
    /// A due date beyond the calendar.
    #[error("due date out of range at {field}")]
    DateOutOfRange {
        /// Field path.
        field: String,
    },
    /// Currency or arithmetic problem.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ErrorCode for CreditError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidTerms { .. } => "INVALID_TERMS",
            Self::NegativeAmount { .. } => "NEGATIVE_AMOUNT",
            Self::DateOutOfRange { .. } => "DATE_OUT_OF_RANGE",
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidTerms { field, .. }
            | Self::NegativeAmount { field, .. }
            | Self::DateOutOfRange { field } => Some(field),
            Self::Money(e) => e.field(),
        }
    }
}

fn invalid(field: String, rule: &str) -> CreditError {
    CreditError::InvalidTerms {
        field,
        rule: rule.to_owned(),
    }
}

/// The share of the total an instalment takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Share {
    /// A percent of the total.
    Percent {
        /// Percent (0–100).
        percent: Decimal,
    },
    /// A fixed amount in the order currency.
    Fixed {
        /// Amount.
        amount: Decimal,
    },
    /// Whatever the other instalments leave.
    Balance,
}

/// The date an instalment's offset counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DueBasis {
    /// The order date.
    OrderDate,
    /// The invoice date.
    InvoiceDate,
    /// The dispatch date.
    Dispatch,
    /// The delivery date.
    Delivery,
    /// The last day of the invoice date's month.
    EndOfInvoiceMonth,
}

/// One instalment of the terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instalment {
    /// Its share.
    pub share: Share,
    /// Basis date.
    pub basis: DueBasis,
    /// Days after the basis date.
    #[serde(default)]
    pub days: u32,
}

/// An early-payment discount ("2/10 net 30": 2% if paid within 10 days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EarlyPaymentDiscount {
    /// Discount percent.
    pub percent: Decimal,
    /// Days from the basis date within which it applies.
    pub within_days: u32,
}

/// Payment terms: a schedule of instalments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentTerms {
    /// Terms id (`NET30`, `ADV100`).
    pub id: String,
    /// Readable name.
    #[serde(default)]
    pub name: String,
    /// Instalments, in order.
    pub instalments: Vec<Instalment>,
    /// Early-payment discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_payment: Option<EarlyPaymentDiscount>,
}

/// The dates instalments may count from, when known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct BasisDates {
    /// Order date.
    pub order_date: Option<NaiveDate>,
    /// Invoice date.
    pub invoice_date: Option<NaiveDate>,
    /// Dispatch date.
    pub dispatch_date: Option<NaiveDate>,
    /// Delivery date.
    pub delivery_date: Option<NaiveDate>,
}

/// One computed instalment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledInstalment {
    /// Position in the terms.
    pub index: usize,
    /// Amount, in minor units.
    pub amount: Money,
    /// Basis.
    pub basis: DueBasis,
    /// Days after the basis.
    pub days: u32,
    /// Due date, when the basis date is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// Whether it is an advance (due on ordering).
    pub advance: bool,
}

/// The early-payment offer computed for an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EarlyPaymentOffer {
    /// Discount if paid in time.
    pub discount: Money,
    /// What to pay instead of the credit part.
    pub pay_instead: Money,
    /// Pay by this date, when the basis date is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_by: Option<NaiveDate>,
}

/// A computed schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Terms id.
    pub terms_id: String,
    /// The amount scheduled (rounded).
    pub total: Money,
    /// Instalments; their amounts sum exactly to `total`.
    pub instalments: Vec<ScheduledInstalment>,
    /// Sum of advance instalments.
    pub advance: Money,
    /// Early-payment offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_payment: Option<EarlyPaymentOffer>,
}

impl Instalment {
    /// Whether this instalment is due on ordering.
    pub fn is_advance(&self) -> bool {
        self.basis == DueBasis::OrderDate && self.days == 0
    }
}

impl PaymentTerms {
    /// "Net N": everything N days after the invoice.
    pub fn net(id: &str, days: u32) -> Self {
        Self {
            id: id.to_owned(),
            name: format!("Net {days}"),
            instalments: vec![Instalment {
                share: Share::Balance,
                basis: DueBasis::InvoiceDate,
                days,
            }],
            early_payment: None,
        }
    }

    /// "100% advance".
    pub fn full_advance(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: "100% advance".into(),
            instalments: vec![Instalment {
                share: Share::Balance,
                basis: DueBasis::OrderDate,
                days: 0,
            }],
            early_payment: None,
        }
    }

    /// "X% advance, the rest N days after invoice".
    pub fn advance_then_net(id: &str, advance_pct: Decimal, days: u32) -> Self {
        Self {
            id: id.to_owned(),
            name: format!("{advance_pct}% advance, balance {days} days after invoice"),
            instalments: vec![
                Instalment {
                    share: Share::Percent {
                        percent: advance_pct,
                    },
                    basis: DueBasis::OrderDate,
                    days: 0,
                },
                Instalment {
                    share: Share::Balance,
                    basis: DueBasis::InvoiceDate,
                    days,
                },
            ],
            early_payment: None,
        }
    }

    /// Checks shares: percents 0–100 summing to at most 100, at most one
    /// balance, fixed amounts not negative, and 100% when there is no
    /// balance and no fixed amount.
    pub fn validate(&self) -> Result<(), CreditError> {
        if self.instalments.is_empty() {
            return Err(invalid(
                "terms.instalments".into(),
                "at least one instalment",
            ));
        }
        let mut pct = Decimal::ZERO;
        let mut balances = 0;
        let mut fixed = false;
        for (i, inst) in self.instalments.iter().enumerate() {
            let at = path(&index("terms.instalments", i), "share");
            match &inst.share {
                Share::Percent { percent } => {
                    if *percent < Decimal::ZERO || *percent > Decimal::ONE_HUNDRED {
                        return Err(invalid(at, "a percent share is 0 to 100"));
                    }
                    pct = money::add(pct, *percent, "percent shares")?;
                }
                Share::Fixed { amount } => {
                    if *amount < Decimal::ZERO {
                        return Err(invalid(at, "a fixed share is not negative"));
                    }
                    fixed = true;
                }
                Share::Balance => balances += 1,
            }
        }
        if balances > 1 {
            return Err(invalid(
                "terms.instalments".into(),
                "at most one balance instalment",
            ));
        }
        if pct > Decimal::ONE_HUNDRED {
            return Err(invalid(
                "terms.instalments".into(),
                "percent shares sum to more than 100",
            ));
        }
        if balances == 0 && !fixed && pct != Decimal::ONE_HUNDRED {
            return Err(invalid(
                "terms.instalments".into(),
                "percent shares must sum to 100 when there is no balance instalment",
            ));
        }
        if let Some(e) = &self.early_payment {
            if e.percent < Decimal::ZERO || e.percent > Decimal::ONE_HUNDRED {
                return Err(invalid(
                    "terms.early_payment.percent".into(),
                    "a percent is 0 to 100",
                ));
            }
        }
        Ok(())
    }

    /// Largest day offset of the credit (non-advance) instalments.
    pub fn net_days(&self) -> u32 {
        self.instalments
            .iter()
            .filter(|i| !i.is_advance())
            .map(|i| i.days)
            .max()
            .unwrap_or(0)
    }

    /// Percent of the total due in advance. Fixed shares count as 0 (their
    /// percent depends on the amount); a balance instalment that is an
    /// advance counts for what the others leave.
    pub fn advance_pct(&self) -> Decimal {
        let mut adv = Decimal::ZERO;
        let mut others = Decimal::ZERO;
        let mut balance_is_advance = false;
        for i in &self.instalments {
            match &i.share {
                Share::Percent { percent } => {
                    if i.is_advance() {
                        adv = adv.saturating_add(*percent);
                    } else {
                        others = others.saturating_add(*percent);
                    }
                }
                Share::Fixed { .. } => {}
                Share::Balance => balance_is_advance = i.is_advance(),
            }
        }
        if balance_is_advance {
            Decimal::ONE_HUNDRED.saturating_sub(others)
        } else {
            adv
        }
    }

    /// Computes the schedule of `amount`: instalment amounts in minor units
    /// summing exactly to the rounded amount, and due dates where known.
    pub fn schedule(&self, amount: &Money, dates: &BasisDates) -> Result<Schedule, CreditError> {
        self.validate()?;
        if amount.amount < Decimal::ZERO {
            return Err(CreditError::NegativeAmount {
                field: "amount".into(),
                value: amount.amount,
            });
        }
        let currency = Currencies::iso().get_at(&amount.currency, "amount.currency")?;
        let dp = currency.minor_units;
        let mode = RoundingMode::HalfUp;
        let total = mode.round_to_scale(amount.amount, dp);
        let mut amounts: Vec<Decimal> = Vec::with_capacity(self.instalments.len());
        for inst in &self.instalments {
            let a = match &inst.share {
                Share::Percent { percent } => mode.round_to_scale(
                    money::div(
                        money::mul(total, *percent, "instalment")?,
                        Decimal::ONE_HUNDRED,
                        "instalment",
                    )?,
                    dp,
                ),
                Share::Fixed { amount } => mode.round_to_scale(*amount, dp),
                Share::Balance => Decimal::ZERO,
            };
            amounts.push(a);
        }
        let assigned = money::sum(amounts.iter().copied(), "instalments")?;
        let remainder = money::sub(total, assigned, "instalments")?;
        if remainder < Decimal::ZERO {
            return Err(invalid(
                "terms.instalments".into(),
                "fixed and percent shares exceed the amount",
            ));
        }
        let taker = self
            .instalments
            .iter()
            .position(|i| i.share == Share::Balance)
            .unwrap_or(self.instalments.len().saturating_sub(1));
        if let Some(a) = amounts.get_mut(taker) {
            *a = mode.round_to_scale(money::add(*a, remainder, "instalments")?, dp);
        }
        let mut instalments = Vec::with_capacity(amounts.len());
        let mut advance = Decimal::ZERO;
        for (i, (inst, a)) in self.instalments.iter().zip(amounts).enumerate() {
            let due_date = due_date(inst.basis, inst.days, dates).map_err(|()| {
                CreditError::DateOutOfRange {
                    field: index("terms.instalments", i),
                }
            })?;
            if inst.is_advance() {
                advance = money::add(advance, a, "advance")?;
            }
            instalments.push(ScheduledInstalment {
                index: i,
                amount: Money::new(a, &currency),
                basis: inst.basis,
                days: inst.days,
                due_date,
                advance: inst.is_advance(),
            });
        }
        let early_payment = match &self.early_payment {
            None => None,
            Some(e) => {
                let credit_part = money::sub(total, advance, "credit part")?;
                let discount = mode.round_to_scale(
                    money::div(
                        money::mul(credit_part, e.percent, "early-payment discount")?,
                        Decimal::ONE_HUNDRED,
                        "early-payment discount",
                    )?,
                    dp,
                );
                let basis = self
                    .instalments
                    .iter()
                    .find(|i| !i.is_advance())
                    .map_or(DueBasis::InvoiceDate, |i| i.basis);
                let pay_by = due_date(basis, e.within_days, dates).map_err(|()| {
                    CreditError::DateOutOfRange {
                        field: "terms.early_payment".into(),
                    }
                })?;
                Some(EarlyPaymentOffer {
                    discount: Money::new(discount, &currency),
                    pay_instead: Money::new(
                        money::sub(credit_part, discount, "early payment")?,
                        &currency,
                    ),
                    pay_by,
                })
            }
        };
        Ok(Schedule {
            terms_id: self.id.clone(),
            total: Money::new(total, &currency),
            instalments,
            advance: Money::new(mode.round_to_scale(advance, dp), &currency),
            early_payment,
        })
    }
}

fn due_date(basis: DueBasis, days: u32, dates: &BasisDates) -> Result<Option<NaiveDate>, ()> {
    let base = match basis {
        DueBasis::OrderDate => dates.order_date,
        DueBasis::InvoiceDate => dates.invoice_date,
        DueBasis::Dispatch => dates.dispatch_date,
        DueBasis::Delivery => dates.delivery_date,
        DueBasis::EndOfInvoiceMonth => match dates.invoice_date {
            None => None,
            Some(d) => Some(end_of_month(d).ok_or(())?),
        },
    };
    match base {
        None => Ok(None),
        Some(b) => b
            .checked_add_days(Days::new(u64::from(days)))
            .map(Some)
            .ok_or(()),
    }
}

fn end_of_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year().checked_add(1)?, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// What happens to an order over the credit limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum OverLimitAction {
    /// The order is blocked (credit hold) until credit is freed.
    Block,
    /// The order needs approval (the policy names the step, using the
    /// `credit_over_limit` / `credit_over_by` facts).
    #[default]
    RequireApproval,
}

/// Inputs of a raw credit check; all but `this_order` come from the host.
/// `this_order` is taken as given here: for an order, use
/// [`crate::order::Order::credit_check`] (or [`CreditSnapshot::check`]),
/// which takes it from the order itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditCheckInput {
    /// The customer.
    pub customer_id: String,
    /// Credit limit; absent means none (zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<Money>,
    /// Outstanding receivables.
    pub outstanding: Money,
    /// Open (unbilled) orders.
    pub open_orders: Money,
    /// This order's total (computed by the engine from the order).
    pub this_order: Money,
    /// Advance received against this order.
    pub advance_received: Money,
    /// Whether the customer is on credit hold regardless of amounts.
    #[serde(default)]
    pub on_hold: bool,
    /// Tolerance percent above the limit.
    #[serde(default)]
    pub tolerance_pct: Decimal,
    /// What an over-limit result does.
    #[serde(default)]
    pub over_limit_action: OverLimitAction,
}

/// The host's view of a customer's credit, without the order being
/// checked: the engine adds that order's total itself
/// ([`CreditSnapshot::check`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditSnapshot {
    /// Credit limit; absent means none (zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<Money>,
    /// Outstanding receivables.
    pub outstanding: Money,
    /// Open (unbilled) orders, not counting the one being checked.
    pub open_orders: Money,
    /// Advance received against the order being checked.
    pub advance_received: Money,
    /// Whether the customer is on credit hold regardless of amounts.
    #[serde(default)]
    pub on_hold: bool,
    /// Tolerance percent above the limit.
    #[serde(default)]
    pub tolerance_pct: Decimal,
    /// What an over-limit result does.
    #[serde(default)]
    pub over_limit_action: OverLimitAction,
}

impl CreditSnapshot {
    /// Runs the credit check with `this_order` computed by the engine from
    /// the quote or order.
    pub fn check(&self, customer_id: &str, this_order: &Money) -> Result<CreditCheck, CreditError> {
        credit_check(&CreditCheckInput {
            customer_id: customer_id.to_owned(),
            credit_limit: self.credit_limit.clone(),
            outstanding: self.outstanding.clone(),
            open_orders: self.open_orders.clone(),
            this_order: this_order.clone(),
            advance_received: self.advance_received.clone(),
            on_hold: self.on_hold,
            tolerance_pct: self.tolerance_pct,
            over_limit_action: self.over_limit_action,
        })
    }
}

/// The outcome of a credit check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CreditStatus {
    /// Within the limit (with tolerance).
    WithinLimit,
    /// Over the limit by `over_by`.
    OverLimit {
        /// Exposure − limit with tolerance.
        over_by: Money,
        /// Whether it blocks (else it needs approval).
        blocks: bool,
    },
    /// The customer is on credit hold.
    OnHold,
}

/// Result of a credit check: a fact for approval policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditCheck {
    /// The customer.
    pub customer_id: String,
    /// outstanding + open orders + this order − advance received.
    pub exposure: Money,
    /// The credit limit (zero when none).
    pub limit: Money,
    /// The limit raised by the tolerance.
    pub limit_with_tolerance: Money,
    /// The verdict.
    pub status: CreditStatus,
}

impl CreditCheck {
    /// Whether the order must not proceed (hold, or over the limit with `block`).
    pub fn blocks(&self) -> bool {
        matches!(
            self.status,
            CreditStatus::OnHold | CreditStatus::OverLimit { blocks: true, .. }
        )
    }

    /// Amount over the limit (zero when within).
    pub fn over_by(&self) -> Money {
        match &self.status {
            CreditStatus::OverLimit { over_by, .. } => over_by.clone(),
            _ => Money {
                amount: Decimal::ZERO,
                currency: self.exposure.currency.clone(),
            },
        }
    }
}

/// Runs the credit check. Every amount must be in the same currency.
pub fn credit_check(input: &CreditCheckInput) -> Result<CreditCheck, CreditError> {
    let cur = &input.this_order.currency;
    for (name, m) in [
        ("outstanding", &input.outstanding),
        ("open_orders", &input.open_orders),
        ("this_order", &input.this_order),
        ("advance_received", &input.advance_received),
    ] {
        if m.amount < Decimal::ZERO {
            return Err(CreditError::NegativeAmount {
                field: name.into(),
                value: m.amount,
            });
        }
        if &m.currency != cur {
            return Err(MoneyError::CurrencyMismatch {
                field: name.into(),
                left: cur.clone(),
                right: m.currency.clone(),
            }
            .into());
        }
    }
    if input.tolerance_pct < Decimal::ZERO {
        return Err(CreditError::NegativeAmount {
            field: "tolerance_pct".into(),
            value: input.tolerance_pct,
        });
    }
    let limit = match &input.credit_limit {
        Some(l) if &l.currency != cur => {
            return Err(MoneyError::CurrencyMismatch {
                field: "credit_limit".into(),
                left: cur.clone(),
                right: l.currency.clone(),
            }
            .into())
        }
        Some(l) => l.clone(),
        None => Money {
            amount: Decimal::ZERO,
            currency: cur.clone(),
        },
    };
    let exposure = input
        .outstanding
        .checked_add(&input.open_orders)?
        .checked_add(&input.this_order)?
        .checked_sub(&input.advance_received)?;
    let factor = money::add(
        Decimal::ONE,
        money::div(input.tolerance_pct, Decimal::ONE_HUNDRED, "tolerance")?,
        "tolerance",
    )?;
    let with_tol = limit.checked_mul(factor)?.round(RoundingMode::HalfUp)?;
    let status = if input.on_hold {
        CreditStatus::OnHold
    } else if exposure.amount > with_tol.amount {
        CreditStatus::OverLimit {
            over_by: exposure.checked_sub(&with_tol)?,
            blocks: input.over_limit_action == OverLimitAction::Block,
        }
    } else {
        CreditStatus::WithinLimit
    };
    Ok(CreditCheck {
        customer_id: input.customer_id.clone(),
        exposure,
        limit,
        limit_with_tolerance: with_tol,
        status,
    })
}

/// Input of the `terms schedule` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    /// The terms.
    pub terms: PaymentTerms,
    /// The amount.
    pub amount: Money,
    /// Known basis dates.
    #[serde(default)]
    pub dates: BasisDates,
}

/// The `terms schedule` operation.
pub fn terms_schedule(input: &ScheduleInput) -> Result<Schedule, CreditError> {
    input.terms.schedule(&input.amount, &input.dates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    fn inr(s: &str) -> Money {
        Money {
            amount: d(s),
            currency: "INR".into(),
        }
    }
    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn net_30_due_date_from_invoice() {
        let s = PaymentTerms::net("NET30", 30)
            .schedule(
                &inr("1000"),
                &BasisDates {
                    invoice_date: Some(date("2026-11-26")),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(s.instalments.len(), 1);
        assert_eq!(s.instalments[0].due_date, Some(date("2026-12-26")));
        assert_eq!(s.advance.amount, d("0.00"));
    }

    #[test]
    fn full_advance_is_all_advance() {
        let t = PaymentTerms::full_advance("ADV");
        assert_eq!(t.advance_pct(), d("100"));
        assert_eq!(t.net_days(), 0);
        let s = t.schedule(&inr("999.999"), &BasisDates::default()).unwrap();
        assert_eq!(s.advance.amount, d("1000.00"));
    }

    #[test]
    fn thirty_seventy_with_remainder_on_balance() {
        let t = PaymentTerms::advance_then_net("30-70", d("30"), 45);
        assert_eq!(t.advance_pct(), d("30"));
        assert_eq!(t.net_days(), 45);
        let s = t
            .schedule(
                &inr("333.33"),
                &BasisDates {
                    order_date: Some(date("2026-11-01")),
                    invoice_date: Some(date("2026-11-10")),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(s.instalments[0].amount.amount, d("100.00"));
        assert_eq!(s.instalments[1].amount.amount, d("233.33"));
        assert_eq!(s.instalments[0].due_date, Some(date("2026-11-01")));
        assert_eq!(s.instalments[1].due_date, Some(date("2026-12-25")));
    }

    #[test]
    fn two_ten_net_thirty() {
        let mut t = PaymentTerms::net("2/10N30", 30);
        t.early_payment = Some(EarlyPaymentDiscount {
            percent: d("2"),
            within_days: 10,
        });
        let s = t
            .schedule(
                &inr("10000"),
                &BasisDates {
                    invoice_date: Some(date("2026-11-26")),
                    ..Default::default()
                },
            )
            .unwrap();
        let e = s.early_payment.unwrap();
        assert_eq!(e.discount.amount, d("200.00"));
        assert_eq!(e.pay_instead.amount, d("9800.00"));
        assert_eq!(e.pay_by, Some(date("2026-12-06")));
    }

    #[test]
    fn end_of_invoice_month() {
        let t = PaymentTerms {
            id: "EOM15".into(),
            name: String::new(),
            instalments: vec![Instalment {
                share: Share::Balance,
                basis: DueBasis::EndOfInvoiceMonth,
                days: 15,
            }],
            early_payment: None,
        };
        let s = t
            .schedule(
                &inr("10"),
                &BasisDates {
                    invoice_date: Some(date("2026-12-05")),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(s.instalments[0].due_date, Some(date("2027-01-15")));
    }

    #[test]
    fn percent_thirds_remainder_on_last() {
        let third = Share::Percent {
            percent: d("33.3333333333333333333333333"),
        };
        let t = PaymentTerms {
            id: "T".into(),
            name: String::new(),
            instalments: vec![
                Instalment {
                    share: Share::Percent {
                        percent: d("33.34"),
                    },
                    basis: DueBasis::InvoiceDate,
                    days: 0,
                },
                Instalment {
                    share: Share::Percent {
                        percent: d("33.33"),
                    },
                    basis: DueBasis::InvoiceDate,
                    days: 30,
                },
                Instalment {
                    share: Share::Percent {
                        percent: d("33.33"),
                    },
                    basis: DueBasis::InvoiceDate,
                    days: 60,
                },
            ],
            early_payment: None,
        };
        let s = t.schedule(&inr("100.01"), &BasisDates::default()).unwrap();
        let sum: Decimal = s.instalments.iter().map(|i| i.amount.amount).sum();
        assert_eq!(sum, d("100.01"));
        // 33.34 % and 33.33 % round to 33.34 and 33.33; the last takes the
        // remainder (33.34, not its own 33.33).
        let amounts: Vec<Decimal> = s.instalments.iter().map(|i| i.amount.amount).collect();
        assert_eq!(amounts, vec![d("33.34"), d("33.33"), d("33.34")]);
        let _ = third;
    }

    #[test]
    fn fixed_amount_and_dispatch_delivery_due_dates() {
        let t = PaymentTerms {
            id: "F".into(),
            name: String::new(),
            instalments: vec![
                Instalment {
                    share: Share::Fixed { amount: d("250") },
                    basis: DueBasis::Dispatch,
                    days: 0,
                },
                Instalment {
                    share: Share::Balance,
                    basis: DueBasis::Delivery,
                    days: 15,
                },
            ],
            early_payment: None,
        };
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let s = t
            .schedule(
                &inr("1000.00"),
                &BasisDates {
                    dispatch_date: Some(date("2026-12-02")),
                    delivery_date: Some(date("2026-12-05")),
                    ..Default::default()
                },
            )
            .unwrap();
        let amounts: Vec<Decimal> = s.instalments.iter().map(|i| i.amount.amount).collect();
        assert_eq!(amounts, vec![d("250"), d("750.00")]);
        assert_eq!(s.instalments[0].due_date, Some(date("2026-12-02")));
        assert_eq!(s.instalments[1].due_date, Some(date("2026-12-20")));
        // Unknown basis dates leave the due date open.
        let s = t.schedule(&inr("1000.00"), &BasisDates::default()).unwrap();
        assert_eq!(s.instalments[1].due_date, None);
        // A due date beyond the calendar is an error naming the instalment.
        let e = t
            .schedule(
                &inr("1000.00"),
                &BasisDates {
                    delivery_date: Some(NaiveDate::MAX),
                    ..Default::default()
                },
            )
            .unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("DATE_OUT_OF_RANGE", Some("terms.instalments[1]"))
        );
    }

    #[test]
    fn invalid_terms_errors() {
        let mut t = PaymentTerms::advance_then_net("X", d("120"), 30);
        let e = t.validate().unwrap_err();
        assert_eq!(e.code(), "INVALID_TERMS");
        assert_eq!(e.field(), Some("terms.instalments[0].share"));
        t.instalments.push(Instalment {
            share: Share::Balance,
            basis: DueBasis::Delivery,
            days: 0,
        });
        if let Some(first) = t.instalments.get_mut(0) {
            first.share = Share::Percent { percent: d("10") };
        }
        assert_eq!(t.validate().unwrap_err().field(), Some("terms.instalments"));
        let none = PaymentTerms {
            id: "N".into(),
            name: String::new(),
            instalments: vec![],
            early_payment: None,
        };
        assert_eq!(none.validate().unwrap_err().code(), "INVALID_TERMS");
        let fixed_too_big = PaymentTerms {
            id: "F".into(),
            name: String::new(),
            instalments: vec![
                Instalment {
                    share: Share::Fixed { amount: d("500") },
                    basis: DueBasis::OrderDate,
                    days: 0,
                },
                Instalment {
                    share: Share::Balance,
                    basis: DueBasis::InvoiceDate,
                    days: 30,
                },
            ],
            early_payment: None,
        };
        let e = fixed_too_big
            .schedule(&inr("100"), &BasisDates::default())
            .unwrap_err();
        assert_eq!(e.code(), "INVALID_TERMS");
        let e = PaymentTerms::net("N", 1)
            .schedule(&inr("-1"), &BasisDates::default())
            .unwrap_err();
        assert_eq!(e.code(), "NEGATIVE_AMOUNT");
    }

    fn input(limit: Option<&str>) -> CreditCheckInput {
        CreditCheckInput {
            customer_id: "C1".into(),
            credit_limit: limit.map(inr),
            outstanding: inr("300000"),
            open_orders: inr("100000"),
            this_order: inr("150000"),
            advance_received: inr("50000"),
            on_hold: false,
            tolerance_pct: Decimal::ZERO,
            over_limit_action: OverLimitAction::RequireApproval,
        }
    }

    #[test]
    fn credit_within_over_hold_tolerance() {
        let c = credit_check(&input(Some("500000"))).unwrap();
        assert_eq!(c.exposure.amount, d("500000"));
        assert_eq!(c.status, CreditStatus::WithinLimit);
        let c = credit_check(&input(Some("450000"))).unwrap();
        assert_eq!(
            c.status,
            CreditStatus::OverLimit {
                over_by: inr("50000.00"),
                blocks: false
            }
        );
        assert!(!c.blocks());
        let mut i = input(Some("450000"));
        i.tolerance_pct = d("20");
        assert_eq!(credit_check(&i).unwrap().status, CreditStatus::WithinLimit);
        i.on_hold = true;
        assert!(credit_check(&i).unwrap().blocks());
        let mut i = input(None);
        i.over_limit_action = OverLimitAction::Block;
        assert!(credit_check(&i).unwrap().blocks());
        let mut i = input(Some("1"));
        i.outstanding = inr("-1");
        assert_eq!(credit_check(&i).unwrap_err().field(), Some("outstanding"));
        let mut i = input(Some("1"));
        i.open_orders.currency = "USD".into();
        let e = credit_check(&i).unwrap_err();
        assert_eq!(e.code(), "CURRENCY_MISMATCH");
        assert_eq!(e.field(), Some("open_orders"));
    }

    proptest! {
        #[test]
        fn instalments_sum_exactly(
            cents in 0i64..10_000_000_000,
            pcts in proptest::collection::vec(0u32..=3000, 0..5),
            fixed in proptest::collection::vec(0i64..100_000, 0..3),
            with_balance in any::<bool>(),
        ) {
            let total = Decimal::new(cents, 2);
            let mut instalments = Vec::new();
            let mut sum_pct = 0u32;
            for (i, p) in pcts.iter().enumerate() {
                let p = (*p).min(10_000 - sum_pct.min(10_000));
                sum_pct += p;
                instalments.push(Instalment {
                    share: Share::Percent { percent: Decimal::new(i64::from(p), 2) },
                    basis: DueBasis::InvoiceDate,
                    days: u32::try_from(i).unwrap() * 30,
                });
            }
            for f in &fixed {
                instalments.push(Instalment {
                    share: Share::Fixed { amount: Decimal::new(*f, 2) },
                    basis: DueBasis::OrderDate,
                    days: 0,
                });
            }
            if with_balance || instalments.is_empty() {
                instalments.push(Instalment { share: Share::Balance, basis: DueBasis::Delivery, days: 10 });
            }
            let terms = PaymentTerms { id: "P".into(), name: String::new(), instalments, early_payment: None };
            match terms.schedule(&inr(&total.to_string()), &BasisDates::default()) {
                Ok(s) => {
                    let sum: Decimal = s.instalments.iter().map(|i| i.amount.amount).sum();
                    prop_assert_eq!(sum, total);
                }
                Err(e) => prop_assert_eq!(e.code(), "INVALID_TERMS"),
            }
        }
    }
}
