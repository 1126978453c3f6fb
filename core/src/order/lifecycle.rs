//! The lifecycle commands confirm, cancel and close, and the transition
//! helpers they share with amend.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::{invariant, OrderError};
use super::model::{Lifecycle, Order, OrderTransition};
use crate::approval::{ApprovalInstance, BuyerSide};
use crate::credit::CreditCheck;
use crate::error::{index, path};
use crate::events::{AggregateKind, Emitter, EventPayload};
use crate::money::{self, Money};

/// A line cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelLine {
    /// Line id.
    pub line_id: String,
    /// Quantity to cancel.
    pub quantity: Decimal,
}

impl Order {
    pub(super) fn transition_error(&self, command: &str) -> OrderError {
        OrderError::InvalidTransition {
            field: "status".into(),
            status: format!("{:?}", self.status()).to_lowercase(),
            command: command.into(),
        }
    }

    pub(super) fn emitter(&self, now: DateTime<FixedOffset>) -> Emitter {
        Emitter::new(AggregateKind::Order, &self.id, self.next_event_seq, now)
    }

    pub(super) fn done(mut self, em: Emitter) -> OrderTransition {
        self.next_event_seq = em.next_seq();
        OrderTransition {
            order: self,
            events: em.events,
        }
    }

    /// Confirms a draft (or held) order: needs an approved instance bound to
    /// the order as it is now (see [`Order::request_approval`]; an amendment
    /// needs a new one) and a credit check that does not block (a blocking
    /// one holds it; see [`Order::credit_check`]).
    pub fn confirm(
        &self,
        approval: &ApprovalInstance,
        credit: Option<&CreditCheck>,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        self.confirm_with_buyer(approval, None, credit, now)
    }

    /// [`Order::confirm`] for a buyer whose organisation has an approval
    /// policy: the buyer's approved instance bound to the order as it is now
    /// is needed too, unless the buyer's plan is empty.
    pub fn confirm_with_buyer(
        &self,
        approval: &ApprovalInstance,
        buyer: Option<&BuyerSide<'_>>,
        credit: Option<&CreditCheck>,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        if !matches!(self.lifecycle, Lifecycle::Draft | Lifecycle::CreditHold) {
            return Err(self.transition_error("confirm"));
        }
        self.check_approval(approval)?;
        self.check_buyer_approval(buyer)?;
        if let Some(c) = credit {
            if c.customer_id != self.customer_id || c.exposure.currency != self.currency {
                return Err(OrderError::InvalidField {
                    field: "credit.customer_id".into(),
                    rule: "the credit check is for another customer or currency".into(),
                });
            }
        }
        let mut next = self.clone();
        let mut em = self.emitter(now);
        if let Some(c) = credit.filter(|c| c.blocks()) {
            next.lifecycle = Lifecycle::CreditHold;
            em.emit(EventPayload::CreditHold {
                order_id: self.id.clone(),
                customer_id: self.customer_id.clone(),
                exposure: c.exposure.clone(),
                limit: c.limit_with_tolerance.clone(),
                over_by: c.over_by(),
                on_hold: c.status == crate::credit::CreditStatus::OnHold,
            });
            return Ok(next.done(em));
        }
        next.lifecycle = Lifecycle::Confirmed;
        em.emit(EventPayload::OrderConfirmed {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            po_number: self.po_number.clone(),
            lines: self.lines.iter().map(|l| l.event_line(l.ordered)).collect(),
            total_before_tax: Money {
                amount: self.totals.total_before_tax,
                currency: self.currency.clone(),
            },
            advance_due: Money {
                amount: self.advance_due,
                currency: self.currency.clone(),
            },
            requested_date: self.delivery.requested_date,
        });
        Ok(next.done(em))
    }

    /// Cancels quantities of lines, or (with `None`) everything not
    /// shipped. Allocated quantities beyond what stays open are released.
    pub fn cancel(
        &self,
        lines: Option<&[CancelLine]>,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        if matches!(self.lifecycle, Lifecycle::Cancelled | Lifecycle::Closed) {
            return Err(self.transition_error("cancel"));
        }
        if reason.trim().is_empty() {
            return Err(OrderError::InvalidField {
                field: "reason".into(),
                rule: "a reason is required".into(),
            });
        }
        let all: Vec<CancelLine>;
        let wanted: &[CancelLine] = match lines {
            Some(l) => l,
            None => {
                all = self
                    .lines
                    .iter()
                    .map(|l| CancelLine {
                        line_id: l.line_id.clone(),
                        quantity: l
                            .ordered
                            .saturating_sub(l.cancelled)
                            .saturating_sub(l.shipped),
                    })
                    .filter(|c| c.quantity > Decimal::ZERO)
                    .collect();
                &all
            }
        };
        if wanted.is_empty() {
            return Err(invariant(
                "lines".into(),
                "nothing left to cancel: every open quantity is shipped",
            ));
        }
        let mut next = self.clone();
        let mut cancelled = Vec::new();
        let mut released = Vec::new();
        for (i, c) in wanted.iter().enumerate() {
            let at = index("lines", i);
            let li = self.line_index(&c.line_id, &at)?;
            let Some(l) = next.lines.get_mut(li) else {
                continue;
            };
            if c.quantity <= Decimal::ZERO {
                return Err(OrderError::InvalidField {
                    field: path(&at, "quantity"),
                    rule: "must be positive".into(),
                });
            }
            let cancellable = money::sub(l.open()?, l.shipped, "cancellable")?;
            if c.quantity > cancellable {
                return Err(invariant(
                    path(&at, "quantity"),
                    "cannot cancel more than ordered − cancelled − shipped",
                ));
            }
            l.cancelled = money::add(l.cancelled, c.quantity, "cancelled")?;
            let open = l.open()?;
            if l.allocated > open {
                let rel = money::sub(l.allocated, open, "released")?;
                l.allocated = open;
                released.push(l.event_line(rel));
            }
            l.check(
                &index("lines", li),
                self.settings.allow_invoice_before_shipment,
            )?;
            cancelled.push(l.event_line(c.quantity));
        }
        next.recompute()?;
        // Shipped quantities stay: the order is cancelled only when nothing
        // of it remains; otherwise only the unshipped remainder is.
        if next.lines.iter().all(|l| l.ordered <= l.cancelled) {
            next.lifecycle = Lifecycle::Cancelled;
        }
        let mut em = self.emitter(now);
        em.emit(EventPayload::OrderCancelled {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            reason: reason.to_owned(),
            lines: cancelled,
            released,
        });
        Ok(next.done(em))
    }

    /// Closes a confirmed order (short or complete).
    pub fn close(&self, now: DateTime<FixedOffset>) -> Result<OrderTransition, OrderError> {
        if self.lifecycle != Lifecycle::Confirmed {
            return Err(self.transition_error("close"));
        }
        let mut next = self.clone();
        next.lifecycle = Lifecycle::Closed;
        let mut em = self.emitter(now);
        em.emit(EventPayload::OrderClosed {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
        });
        Ok(next.done(em))
    }
}
