//! Markups (issue 21, item 10): Odoo's price surcharge and ERPNext's margin
//! on the list rate, as the rule actions `percent_up` and `amount_up`.
//!
//! Both act on the running price like the discounts do, so a markup after
//! a discount raises the discounted price (compounding, in the rule
//! order); the waterfall shows them as steps whose price after is above
//! the price before. A negative `percent_off` or `amount_off` stays a
//! compile error, whose message names the markup action to use instead.
//! `amount_up` is a money amount: like `amount_off` it applies only to
//! orders in the rule's currency (the book's by default).

use rust_decimal::Decimal;

use super::RuleAction;
use crate::money::{self, MoneyError};

/// The factor 1 + percent/100 of a `percent_up`, computed once at compile
/// time (none for other actions, or when it overflows).
pub(crate) fn factor(action: &RuleAction) -> Option<Decimal> {
    match action {
        RuleAction::PercentUp { percent } => percent
            .checked_div(Decimal::ONE_HUNDRED)
            .and_then(|p| Decimal::ONE.checked_add(p)),
        _ => None,
    }
}

/// The running price after a markup action, or `None` when `action` is
/// not a markup. `factor` is the compiled [`factor`], if it fitted.
pub(crate) fn apply(
    action: &RuleAction,
    factor: Option<Decimal>,
    running: Decimal,
) -> Option<Result<Decimal, MoneyError>> {
    match action {
        RuleAction::PercentUp { percent } => Some((|| {
            let f = match factor {
                Some(f) => f,
                None => money::add(
                    Decimal::ONE,
                    money::div(*percent, Decimal::ONE_HUNDRED, "markup")?,
                    "markup",
                )?,
            };
            money::mul(running, f, "percent up")
        })()),
        RuleAction::AmountUp { amount } => Some(money::add(running, *amount, "amount up")),
        _ => None,
    }
}

/// The compile-time problem of a markup action: (field under `action`,
/// message), when its figure is negative.
pub(crate) fn check(action: &RuleAction) -> Option<(&'static str, String)> {
    match action {
        RuleAction::PercentUp { percent } if *percent < Decimal::ZERO => Some((
            "percent",
            format!("percent {percent} is negative; for a discount use percent_off"),
        )),
        RuleAction::AmountUp { amount } if *amount < Decimal::ZERO => Some((
            "amount",
            format!("amount {amount} is negative; for a discount use amount_off"),
        )),
        _ => None,
    }
}
