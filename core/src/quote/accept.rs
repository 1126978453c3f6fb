//! Acceptance (whole or partial) of an issued revision, and its
//! conversion to an order.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::invalid;
use super::model::event_line;
use super::totals::dec_round;
use super::{
    seal, AcceptLine, Acceptance, Quote, QuoteError, QuoteLine, QuoteRevision, QuoteStatus,
    QuoteTransition, Seal, SealKey,
};
use crate::approval::BuyerSide;
use crate::error::{index, path};
use crate::events::{EventLine, EventPayload};
use crate::money::{self, Money, RoundingMode};

/// An acceptance command (from a possibly untrusted client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    /// Revision the buyer accepts.
    pub revision: u32,
    /// The digest the buyer received.
    pub digest: String,
    /// The seal the buyer received, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
    /// The revision as the client presents it, verified when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presented: Option<QuoteRevision>,
    /// Lines and quantities; everything open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<AcceptLine>>,
    /// Who accepts.
    pub accepted_by: String,
    /// Buyer's PO number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

impl Quote {
    /// Open quantity per line of the latest revision (quoted − accepted).
    pub fn open_quantities(&self) -> Result<Vec<(String, Decimal)>, QuoteError> {
        let r = self.latest()?;
        let mut out = Vec::with_capacity(r.lines.len());
        for l in r.lines.iter().filter(|l| !l.free) {
            let mut open = l.quantity;
            for a in self.acceptances.iter().filter(|a| a.revision == r.number) {
                for al in a.lines.iter().filter(|al| al.line_id == l.line_id) {
                    open = money::sub(open, al.quantity, "open quantity")?;
                }
            }
            out.push((l.line_id.clone(), open));
        }
        Ok(out)
    }

    /// The buyer accepts all or part of the latest issued revision. The
    /// acceptance is verified against the seal first. For a buyer whose
    /// organisation has an approval policy use [`Quote::accept_with_buyer`].
    pub fn accept(
        &self,
        cmd: &Accept,
        key: Option<&SealKey>,
    ) -> Result<QuoteTransition, QuoteError> {
        self.accept_with_buyer(cmd, key, None)
    }

    /// [`Quote::accept`] for a buyer whose organisation has an approval
    /// policy: the acceptance needs the buyer's approved instance bound to
    /// the revision (see [`Quote::request_buyer_approval`]) unless the
    /// buyer's plan is empty.
    pub fn accept_with_buyer(
        &self,
        cmd: &Accept,
        key: Option<&SealKey>,
        buyer: Option<&BuyerSide<'_>>,
    ) -> Result<QuoteTransition, QuoteError> {
        let open_now = self.open_quantities()?;
        let has_open = open_now.iter().any(|(_, q)| *q > Decimal::ZERO);
        let allowed = self.status == QuoteStatus::Issued
            || (matches!(self.status, QuoteStatus::Accepted | QuoteStatus::Converted) && has_open);
        if !allowed {
            return Err(self.transition_error("accept"));
        }
        self.check_not_expired(cmd.now)?;
        let r = self.latest()?;
        if cmd.revision != r.number {
            return Err(QuoteError::NotLatestRevision {
                field: "revision".into(),
                given: cmd.revision,
                latest: r.number,
            });
        }
        self.verify(
            cmd.revision,
            &cmd.digest,
            cmd.seal.as_deref(),
            cmd.presented.as_ref(),
            key,
        )?;
        self.check_buyer_approval(buyer)?;
        let wanted = self.accepted_lines(r, cmd, &open_now)?;
        let number = u32::try_from(self.acceptances.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let seal = self.seal_acceptance(r, cmd, number, &wanted, key)?;
        let mut next = self.clone();
        next.acceptances.push(Acceptance {
            number,
            revision: r.number,
            accepted_by: cmd.accepted_by.clone(),
            at: cmd.now,
            lines: wanted.clone(),
            po_number: cmd.po_number.clone(),
            order_id: None,
            seal: Some(seal),
        });
        next.status = QuoteStatus::Accepted;
        let remainder_open = next
            .open_quantities()?
            .iter()
            .any(|(_, q)| *q > Decimal::ZERO);
        let (lines, total) = self.accepted_event_lines(r, &wanted)?;
        let mut em = self.emitter(cmd.now);
        em.emit(EventPayload::QuoteAccepted {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            revision: r.number,
            acceptance: number,
            accepted_by: cmd.accepted_by.clone(),
            lines,
            total_before_tax: Money {
                amount: total,
                currency: self.currency.clone(),
            },
            remainder_open,
        });
        Ok(next.done(em))
    }

    /// Acceptance phase 2: the lines accepted (everything open when the
    /// command names none), each checked against the revision (known, once,
    /// the quoted price, positive, within the open quantity, at least the
    /// MOQ). What it returns is what the acceptance records.
    fn accepted_lines(
        &self,
        r: &QuoteRevision,
        cmd: &Accept,
        open_now: &[(String, Decimal)],
    ) -> Result<Vec<AcceptLine>, QuoteError> {
        let wanted: Vec<AcceptLine> = match &cmd.lines {
            Some(ls) => ls.clone(),
            None => open_now
                .iter()
                .filter(|(_, q)| *q > Decimal::ZERO)
                .map(|(id, q)| AcceptLine {
                    line_id: id.clone(),
                    quantity: *q,
                    unit_price: None,
                })
                .collect(),
        };
        if wanted.is_empty() {
            return Err(invalid("lines", "accept at least one line"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, al) in wanted.iter().enumerate() {
            let at = index("lines", i);
            let line = r
                .lines
                .iter()
                .find(|l| l.line_id == al.line_id && !l.free)
                .ok_or_else(|| QuoteError::UnknownLine {
                    field: path(&at, "line_id"),
                    line_id: al.line_id.clone(),
                })?;
            if seen.contains(&al.line_id.as_str()) {
                return Err(invalid(path(&at, "line_id"), "each line at most once"));
            }
            seen.push(&al.line_id);
            if let Some(p) = al.unit_price {
                if p != line.unit_price {
                    return Err(QuoteError::Tampered {
                        field: path(&at, "unit_price"),
                        detail: format!(
                            "unit price {p} differs from the quoted {}",
                            line.unit_price
                        ),
                    });
                }
            }
            if al.quantity <= Decimal::ZERO {
                return Err(invalid(path(&at, "quantity"), "must be positive"));
            }
            let open = open_now
                .iter()
                .find(|(id, _)| id == &al.line_id)
                .map_or(Decimal::ZERO, |(_, q)| *q);
            if al.quantity > open {
                return Err(QuoteError::ExceedsOpen {
                    field: path(&at, "quantity"),
                    quantity: al.quantity,
                    open,
                });
            }
            let base = money::mul(al.quantity, line.unit_factor, "base quantity")?;
            if let Some(moq) = line.moq {
                if base < moq {
                    return Err(QuoteError::BelowMoq {
                        field: path(&at, "quantity"),
                        quantity: base,
                        moq,
                    });
                }
            }
        }
        Ok(wanted)
    }

    /// Acceptance phase 3: the digest (and, with a key, the HMAC) of what
    /// is accepted, bound to the revision's digest.
    fn seal_acceptance(
        &self,
        r: &QuoteRevision,
        cmd: &Accept,
        number: u32,
        wanted: &[AcceptLine],
        key: Option<&SealKey>,
    ) -> Result<Seal, QuoteError> {
        let rev_digest = r
            .seal
            .as_ref()
            .map(|s| s.digest.clone())
            .unwrap_or_default();
        let acc_digest = seal::digest(&seal::canonical_acceptance(
            &self.id,
            r.number,
            &rev_digest,
            number,
            &cmd.accepted_by,
            cmd.now,
            cmd.po_number.as_deref(),
            wanted,
        ));
        let acc_hmac = match key {
            Some(k) => Some(
                seal::sign(&acc_digest, k)
                    .ok_or_else(|| invalid("seal_key.secret", "unusable key"))?,
            ),
            None => None,
        };
        Ok(Seal {
            digest: acc_digest,
            hmac: acc_hmac,
            key_id: key.map(|k| k.key_id.clone()),
        })
    }

    /// Acceptance phase 4: the accepted lines as the event shows them, with
    /// their amounts, and the acceptance's total before tax (after the
    /// order discount, with its shipping share: what the order will say).
    fn accepted_event_lines(
        &self,
        r: &QuoteRevision,
        wanted: &[AcceptLine],
    ) -> Result<(Vec<EventLine>, Decimal), QuoteError> {
        let dp = self.minor_units()?;
        let mut lines = Vec::new();
        let mut total = Decimal::ZERO;
        for al in wanted {
            if let Some(l) = r.lines.iter().find(|l| l.line_id == al.line_id) {
                let mut ev = event_line(l);
                ev.quantity = al.quantity;
                ev.amount = accepted_amount(l, al.quantity, dp, self.rounding)?;
                total = money::add(total, ev.amount, "accepted total")?;
                lines.push(ev);
            }
        }
        let (_, before_tax) = accepted_before_tax(r, total, dp, self.rounding)?;
        Ok((lines, before_tax))
    }

    /// Records that acceptance `number` became order `order_id`.
    pub(crate) fn mark_converted(
        &self,
        number: u32,
        order_id: &str,
        lines: Vec<EventLine>,
        total_before_tax: Decimal,
        now: DateTime<FixedOffset>,
    ) -> Result<QuoteTransition, QuoteError> {
        if !matches!(self.status, QuoteStatus::Accepted | QuoteStatus::Converted) {
            return Err(self.transition_error("convert"));
        }
        self.check_not_expired(now)?;
        let mut next = self.clone();
        let a = next
            .acceptances
            .iter_mut()
            .find(|a| a.number == number)
            .ok_or_else(|| invalid("acceptance", "no such acceptance"))?;
        if let Some(o) = &a.order_id {
            return Err(QuoteError::InvalidTransition {
                field: "acceptance".into(),
                status: format!("already converted to {o}"),
                command: "convert".into(),
            });
        }
        a.order_id = Some(order_id.to_owned());
        if next.acceptances.iter().all(|a| a.order_id.is_some()) {
            next.status = QuoteStatus::Converted;
        }
        let mut em = self.emitter(now);
        em.emit(EventPayload::QuoteConverted {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            acceptance: number,
            order_id: order_id.to_owned(),
            lines,
            total_before_tax: Money {
                amount: total_before_tax,
                currency: self.currency.clone(),
            },
        });
        Ok(next.done(em))
    }
}

/// What an acceptance of `accepted` (the sum of its lines' amounts) is
/// worth before tax, and its share of the revision's shipping: the
/// subtotal less the order discount at the revision's rate, plus the
/// shipping prorated by value, rounded as the order converted from it
/// rounds them — so the acceptance's event, the conversion's event and the
/// order say one figure.
pub(crate) fn accepted_before_tax(
    rev: &QuoteRevision,
    accepted: Decimal,
    dp: u32,
    mode: RoundingMode,
) -> Result<(Decimal, Decimal), QuoteError> {
    let subtotal = dec_round(mode, accepted, dp);
    let discount = dec_round(
        mode,
        money::mul(subtotal, rev.order_discount_rate, "order discount")?,
        dp,
    );
    let shipping = if rev.totals.subtotal.is_zero() || accepted == rev.totals.subtotal {
        rev.totals.shipping
    } else {
        dec_round(
            mode,
            money::div(
                money::mul(rev.totals.shipping, accepted, "shipping share")?,
                rev.totals.subtotal,
                "shipping share",
            )?,
            dp,
        )
    };
    let total = money::add(
        money::sub(subtotal, discount, "accepted total")?,
        shipping,
        "accepted total",
    )?;
    Ok((shipping, total))
}

/// Amount of `quantity` of a quoted line: the quoted amount for the full
/// quantity (keeps graduated amounts exact), else unit price × quantity.
pub(crate) fn accepted_amount(
    l: &QuoteLine,
    quantity: Decimal,
    dp: u32,
    mode: RoundingMode,
) -> Result<Decimal, QuoteError> {
    if quantity == l.quantity {
        return Ok(l.amount);
    }
    Ok(dec_round(
        mode,
        money::mul(l.unit_price, quantity, "line amount")?,
        dp,
    ))
}
