//! Cumulative quantities (issue 21, item 12; ERPNext's `is_cumulative`): a
//! rule marked `cumulative` counts the customer's earlier purchases in its
//! quantity and order-amount windows.
//!
//! The core keeps no history: the host passes the customer's totals in the
//! request (`purchase_history`), each for one scope — a sku, a product
//! group, or one rule (the host summed what that rule's scope covers) —
//! with the period it covers. Decisions where the specification is silent:
//! - the period of a cumulative rule is its validity window (as in
//!   ERPNext): a total counts only when its period lies inside it (starts
//!   at or after the rule's `valid_from`, when the rule has one);
//! - a rule takes the total of its own id first; else, for the `line` and
//!   `order_sku` bases, the total of the line's sku, then of the line's
//!   product group; an `order_scope` rule only its own total;
//! - the quantity window compares history + this order's quantity (on the
//!   rule's basis), the amount window history + this order's subtotal at
//!   base prices; hints ask for what is still missing;
//! - a total with a negative quantity or amount, a period that is empty or
//!   ends after the pricing instant, or a scope given twice is refused
//!   (`INVALID_PURCHASE_HISTORY` at `purchase_history[i]…`);
//! - each priced line lists, for every cumulative rule that applied, what
//!   came from history and what from this order (`cumulative`).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use super::PricingError;
use crate::error::{index, path};

/// What a purchase total counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HistoryScope {
    /// One sku (`id` is the sku).
    Sku,
    /// One product group (`id` is the group).
    ProductGroup,
    /// What one rule's scope covers (`id` is the rule id).
    Rule,
}

/// The customer's earlier purchases in one scope over a period, as the host
/// summed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseTotal {
    /// What the total counts.
    pub scope: HistoryScope,
    /// The sku, product group or rule id.
    pub id: String,
    /// Quantity bought, in base units.
    #[serde(default)]
    pub quantity: Decimal,
    /// Amount bought at base prices, in the order's currency.
    #[serde(default)]
    pub amount: Decimal,
    /// Start of the period (inclusive).
    pub from: DateTime<FixedOffset>,
    /// End of the period (exclusive); the pricing instant when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<FixedOffset>>,
}

/// For one cumulative rule that applied: what came from history and what
/// from this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CumulativeCount {
    /// The rule.
    pub rule_id: SmolStr,
    /// Quantity from earlier purchases (base units).
    pub history_quantity: Decimal,
    /// Quantity of this order on the rule's basis.
    pub order_quantity: Decimal,
    /// Amount from earlier purchases.
    pub history_amount: Decimal,
    /// This order's subtotal at base prices.
    pub order_amount: Decimal,
}

/// The request's purchase totals, validated and indexed by scope.
#[derive(Debug, Default)]
pub(crate) struct History {
    by_scope: BTreeMap<(HistoryScope, String), (Decimal, Decimal, DateTime<FixedOffset>)>,
}

fn refused(i: usize, field: &str, value: String, rule: &str) -> PricingError {
    PricingError::InvalidPurchaseHistory {
        field: path(&index("purchase_history", i), field),
        value,
        rule: rule.to_owned(),
    }
}

impl History {
    /// Validates and indexes the request's totals; the first bad one is
    /// refused with its field path, value and rule.
    pub(crate) fn new(
        totals: &[PurchaseTotal],
        at: DateTime<FixedOffset>,
    ) -> Result<Self, PricingError> {
        let mut by_scope = BTreeMap::new();
        for (i, t) in totals.iter().enumerate() {
            if t.quantity < Decimal::ZERO {
                return Err(refused(
                    i,
                    "quantity",
                    t.quantity.to_string(),
                    "must not be negative",
                ));
            }
            if t.amount < Decimal::ZERO {
                return Err(refused(
                    i,
                    "amount",
                    t.amount.to_string(),
                    "must not be negative",
                ));
            }
            let until = t.until.unwrap_or(at);
            if until > at {
                return Err(refused(
                    i,
                    "until",
                    until.to_rfc3339(),
                    "must not be after priced_at",
                ));
            }
            if t.from >= until {
                return Err(refused(
                    i,
                    "from",
                    t.from.to_rfc3339(),
                    "must be before the period's end",
                ));
            }
            let key = (t.scope, t.id.clone());
            if by_scope
                .insert(key, (t.quantity, t.amount, t.from))
                .is_some()
            {
                return Err(refused(i, "id", t.id.clone(), "one total per scope and id"));
            }
        }
        Ok(Self { by_scope })
    }

    /// Whether the request gave no totals.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_scope.is_empty()
    }

    /// The (quantity, amount) from history a cumulative rule counts for a
    /// line (see the module doc for which total it takes).
    pub(crate) fn totals(
        &self,
        rule_id: &str,
        rule_from: Option<DateTime<FixedOffset>>,
        per_sku: bool,
        sku: &str,
        group: Option<&str>,
    ) -> (Decimal, Decimal) {
        let get = |scope: HistoryScope, id: &str| {
            self.by_scope
                .get(&(scope, id.to_owned()))
                .filter(|(_, _, from)| rule_from.is_none_or(|r| *from >= r))
                .map(|(q, a, _)| (*q, *a))
        };
        get(HistoryScope::Rule, rule_id)
            .or_else(|| per_sku.then(|| get(HistoryScope::Sku, sku)).flatten())
            .or_else(|| {
                per_sku
                    .then(|| group.and_then(|g| get(HistoryScope::ProductGroup, g)))
                    .flatten()
            })
            .unwrap_or_default()
    }
}
