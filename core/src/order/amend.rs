//! Amendments: quantity changes while nothing is allocated, back to draft.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::convert::check_po;
use super::error::{invariant, OrderError};
use super::model::{minor, DeliveryPreferences, Lifecycle, Order, OrderTransition};
use crate::error::{index, path};
use crate::events::EventPayload;
use crate::money::{self, Money};

/// A quantity change of an amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendLine {
    /// Line id.
    pub line_id: String,
    /// New ordered quantity.
    pub quantity: Decimal,
}

/// An amendment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Amend {
    /// Quantity changes.
    pub lines: Vec<AmendLine>,
    /// New delivery preferences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryPreferences>,
    /// New PO number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Taken PO numbers.
    pub taken_po_numbers: Vec<String>,
}

impl Order {
    /// Amends quantities, delivery or PO before anything is allocated; the
    /// order returns to draft for re-approval.
    pub fn amend(
        &self,
        cmd: &Amend,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        if !matches!(
            self.lifecycle,
            Lifecycle::Draft | Lifecycle::CreditHold | Lifecycle::Confirmed
        ) {
            return Err(self.transition_error("amend"));
        }
        if self
            .lines
            .iter()
            .any(|l| l.allocated > Decimal::ZERO || l.shipped > Decimal::ZERO)
        {
            return Err(OrderError::AmendAfterAllocation {
                field: "lines".into(),
            });
        }
        let mut next = self.clone();
        let mut changes = Vec::new();
        for (i, a) in cmd.lines.iter().enumerate() {
            let at = index("lines", i);
            let li = self.line_index(&a.line_id, &at)?;
            let Some(l) = next.lines.get_mut(li) else {
                continue;
            };
            if l.free {
                return Err(OrderError::InvalidField {
                    field: path(&at, "line_id"),
                    rule: "free goods cannot be amended".into(),
                });
            }
            if a.quantity <= Decimal::ZERO {
                return Err(OrderError::InvalidField {
                    field: path(&at, "quantity"),
                    rule: "must be positive (cancel the line instead)".into(),
                });
            }
            let base = money::mul(a.quantity, l.unit_factor, "base quantity")?;
            if let Some(moq) = l.moq {
                if base < moq {
                    return Err(OrderError::BelowMoq {
                        field: path(&at, "quantity"),
                        quantity: base,
                        moq,
                    });
                }
            }
            if a.quantity < l.cancelled || a.quantity < l.invoiced {
                return Err(invariant(
                    path(&at, "quantity"),
                    "below cancelled or invoiced quantity",
                ));
            }
            changes.push(format!(
                "line {} quantity {} → {}",
                l.line_id,
                l.ordered.normalize(),
                a.quantity.normalize()
            ));
            l.ordered = a.quantity;
            l.amount = self.rounding.round_to_scale(
                money::mul(l.unit_price, a.quantity, "amount").map_err(|e| e.at(&at))?,
                minor(&self.currency)?,
            );
        }
        if let Some(d) = &cmd.delivery {
            changes.push("delivery preferences changed".into());
            next.delivery = d.clone();
        }
        if let Some(po) = &cmd.po_number {
            next.po_number = check_po(Some(po), &cmd.taken_po_numbers, &self.settings)?;
            changes.push(format!("PO number {po}"));
        }
        if changes.is_empty() {
            return Err(OrderError::InvalidField {
                field: "lines".into(),
                rule: "an amendment changes something".into(),
            });
        }
        next.recompute()?;
        next.lifecycle = Lifecycle::Draft;
        next.amendments = next.amendments.saturating_add(1);
        let mut em = self.emitter(now);
        em.emit(EventPayload::OrderAmended {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            changes,
            total_before_tax: Money {
                amount: next.totals.total_before_tax,
                currency: self.currency.clone(),
            },
        });
        Ok(next.done(em))
    }
}
