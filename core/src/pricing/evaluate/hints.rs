//! Hints: what almost applied (a tier, an earlier list, a rule's
//! quantity, amount or validity), in words.

use rust_decimal::Decimal;
use smol_str::SmolStr;

use super::result::{Hint, HintKind};
use super::rules::{ActionSkip, Miss};
use super::text::{Plain, Price};
use super::OrderCtx;
use crate::catalog::CatalogProduct;
use crate::money::{self};

/// A base-price hint whose words are written only if it is kept.
pub(super) enum PendingHint<'a> {
    EarlierList {
        needed: Decimal,
        list: &'a SmolStr,
        quoted: Decimal,
        unit: &'a SmolStr,
    },
    NextTier {
        needed: Decimal,
        price: Decimal,
        unit: &'a SmolStr,
    },
}

impl PendingHint<'_> {
    pub(super) fn into_hint(self) -> Hint {
        let (kind, needed, message) = match self {
            Self::EarlierList {
                needed,
                list,
                quoted,
                unit,
            } => {
                let mut m = String::with_capacity(64);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to be priced from list ");
                m.push_str(list);
                m.push_str(" at ");
                Price(quoted).push_to(&mut m);
                m.push('/');
                m.push_str(unit);
                (HintKind::EarlierList, needed, m)
            }
            Self::NextTier {
                needed,
                price,
                unit,
            } => {
                let mut m = String::with_capacity(40);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to reach ");
                Price(price).push_to(&mut m);
                m.push('/');
                m.push_str(unit);
                (HintKind::NextTier, needed, m)
            }
        };
        Hint {
            kind,
            rule_id: None,
            quantity_needed: Some(needed),
            amount_needed: None,
            message,
        }
    }
}

impl<'a> OrderCtx<'a> {
    /// Whether `needed` more is "almost there": at most the book's
    /// `hint_reach_pct` of what the order already has.
    pub(super) fn within_reach(&self, needed: Decimal, have: Decimal) -> bool {
        let pct = self.book.def.settings.hint_reach_pct;
        if pct == Decimal::ONE_HUNDRED {
            return money::cmp(needed, have).is_le();
        }
        have.checked_mul(pct)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .is_some_and(|limit| needed <= limit)
    }

    pub(super) fn near_miss_hint(&self, rule_id: &SmolStr, miss: Miss) -> Hint {
        let (kind, quantity_needed, amount_needed, message) = match miss {
            Miss::NotYetValid(from) => (
                HintKind::RuleNotYetValid,
                None,
                None,
                format!(
                    "rule {rule_id} skipped: valid from {}",
                    from.format("%-d %b %Y %H:%M %:z")
                ),
            ),
            Miss::Quantity(needed, unpriced) => {
                let mut m = String::with_capacity(40);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to reach ");
                m.push_str(rule_id);
                if !unpriced.is_zero() {
                    m.push_str(" (");
                    Plain(unpriced).push_to(&mut m);
                    m.push_str(" on lines without a price do not count)");
                }
                (HintKind::RuleQuantity, Some(needed), None, m)
            }
            Miss::Amount(needed) => (
                HintKind::RuleAmount,
                None,
                Some(needed),
                format!(
                    "add {needed} {} to the order to reach {rule_id}",
                    self.currency.code
                ),
            ),
        };
        Hint {
            kind,
            rule_id: Some(rule_id.clone()),
            quantity_needed,
            amount_needed,
            message,
        }
    }
}

impl ActionSkip {
    pub(super) fn hint(self, rule_id: &SmolStr, product: &CatalogProduct) -> Hint {
        match (self, &product.product.cost) {
            (Self::CostCurrency, Some(cost)) => skipped_hint(
                rule_id,
                &format!("the product's cost is in {}", cost.currency),
            ),
            _ => skipped_hint(rule_id, "the product has no cost"),
        }
    }
}

pub(super) fn skipped_hint(rule_id: &SmolStr, reason: &str) -> Hint {
    Hint {
        kind: HintKind::RuleSkipped,
        rule_id: Some(rule_id.clone()),
        quantity_needed: None,
        amount_needed: None,
        message: format!("rule {rule_id} skipped: {reason}"),
    }
}
