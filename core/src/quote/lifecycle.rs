//! Issuing, declining, withdrawing and expiring a quote.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use super::error::invalid;
use super::model::event_line;
use super::{
    seal, DeclineKind, DeclineReason, Quote, QuoteError, QuoteStatus, QuoteTransition, Seal,
    SealKey,
};
use crate::approval::ApprovalInstance;
use crate::events::EventPayload;
use crate::money::Money;

impl Quote {
    /// Issues the latest revision: computes its digest and (with a key) its
    /// seal. It needs an approved instance bound to this revision (see
    /// [`Quote::request_approval`]; an empty plan is approved at once), so a
    /// revision changed after approval cannot be issued on the old approval.
    pub fn issue(
        &self,
        now: DateTime<FixedOffset>,
        approval: Option<&ApprovalInstance>,
        key: Option<&SealKey>,
    ) -> Result<QuoteTransition, QuoteError> {
        if !matches!(
            self.status,
            QuoteStatus::Draft | QuoteStatus::PendingApproval
        ) {
            return Err(self.transition_error("issue"));
        }
        self.check_not_expired(now)?;
        self.check_approval(approval)?;
        let mut next = self.clone();
        next.status = QuoteStatus::Issued;
        let default_validity = next.default_validity.take();
        let r = next
            .revisions
            .last_mut()
            .ok_or_else(|| invalid("revisions", "a quote has at least one revision"))?;
        if let Some(v) = default_validity {
            r.valid_until = v.valid_until(now)?;
        }
        r.seal = None;
        let digest = seal::digest(&seal::canonical(
            &self.id,
            &self.customer_id,
            &self.currency,
            r,
        ));
        let hmac = match key {
            Some(k) => Some(
                seal::sign(&digest, k).ok_or_else(|| invalid("seal_key.secret", "unusable key"))?,
            ),
            None => None,
        };
        r.seal = Some(Seal {
            digest: digest.clone(),
            hmac,
            key_id: key.map(|k| k.key_id.clone()),
        });
        let r = r.clone();
        let mut em = self.emitter(now);
        em.emit(EventPayload::QuoteIssued {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            revision: r.number,
            lines: r.lines.iter().map(event_line).collect(),
            grand_total: Money {
                amount: r.totals.grand_total,
                currency: self.currency.clone(),
            },
            valid_until: r.valid_until,
            digest,
        });
        Ok(next.done(em))
    }

    /// The buyer declines an issued quote.
    pub fn decline(
        &self,
        reason: &DeclineReason,
        now: DateTime<FixedOffset>,
    ) -> Result<QuoteTransition, QuoteError> {
        if self.status != QuoteStatus::Issued {
            return Err(self.transition_error("decline"));
        }
        self.check_not_expired(now)?;
        if reason.kind == DeclineKind::Other && reason.note.trim().is_empty() {
            return Err(QuoteError::ReasonRequired {
                field: "reason.note".into(),
            });
        }
        let mut next = self.clone();
        next.status = QuoteStatus::Declined;
        next.decline = Some(reason.clone());
        let mut em = self.emitter(now);
        em.emit(EventPayload::QuoteDeclined {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            reason: match reason.kind {
                DeclineKind::Price => "price",
                DeclineKind::LeadTime => "lead_time",
                DeclineKind::Competitor => "competitor",
                DeclineKind::Other => "other",
            }
            .into(),
            note: reason.note.clone(),
        });
        Ok(next.done(em))
    }

    /// The seller withdraws an open quote.
    pub fn withdraw(
        &self,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<QuoteTransition, QuoteError> {
        if !matches!(
            self.status,
            QuoteStatus::Draft | QuoteStatus::PendingApproval | QuoteStatus::Issued
        ) {
            return Err(self.transition_error("withdraw"));
        }
        self.check_not_expired(now)?;
        if reason.trim().is_empty() {
            return Err(QuoteError::ReasonRequired {
                field: "reason".into(),
            });
        }
        let mut next = self.clone();
        next.status = QuoteStatus::Withdrawn;
        next.withdrawn_reason = Some(reason.to_owned());
        let mut em = self.emitter(now);
        em.emit(EventPayload::QuoteWithdrawn {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            reason: reason.to_owned(),
        });
        Ok(next.done(em))
    }

    /// Marks an open quote expired once `now` is past its validity.
    pub fn expire(&self, now: DateTime<FixedOffset>) -> Result<QuoteTransition, QuoteError> {
        let open_remainder = self.status == QuoteStatus::Converted
            && self
                .open_quantities()?
                .iter()
                .any(|(_, q)| *q > Decimal::ZERO);
        let open = open_remainder
            || matches!(
                self.status,
                QuoteStatus::Draft
                    | QuoteStatus::PendingApproval
                    | QuoteStatus::Issued
                    | QuoteStatus::Accepted
            );
        if !open {
            return Err(self.transition_error("expire"));
        }
        let r = self.latest()?;
        if now <= r.valid_until {
            return Err(invalid("now", "the quote is still valid"));
        }
        let mut next = self.clone();
        next.status = QuoteStatus::Expired;
        let mut em = self.emitter(now);
        em.emit(EventPayload::QuoteExpired {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            valid_until: r.valid_until,
        });
        Ok(next.done(em))
    }
}
