//! Revisions: seller overrides and buyer counters, and the diff between
//! two revisions.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::invalid;
use super::totals::{dec_round, recompute};
use super::{
    diff, OverrideKind, Party, PriceOverride, Quote, QuoteError, QuoteLine, QuoteStatus,
    QuoteTerms, QuoteTransition, RevisionDiff,
};
use crate::error::{index, path};
use crate::events::EventPayload;
use crate::money;

/// A change to one line in a revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct LineChange {
    /// Line id.
    pub line_id: String,
    /// Seller: new unit price or discount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_override: Option<OverrideKind>,
    /// New quantity (in the line's unit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Buyer: target price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_price: Option<Decimal>,
    /// Remove the line (seller only).
    pub remove: bool,
    /// Reason (required for overrides).
    pub reason: String,
}

/// A revision command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revise {
    /// Seller or buyer.
    pub author: Party,
    /// Person id.
    pub author_id: String,
    /// Line changes.
    #[serde(default)]
    pub changes: Vec<LineChange>,
    /// New terms (seller only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<QuoteTerms>,
    /// New validity (seller only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Why.
    #[serde(default)]
    pub note: String,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

impl Quote {
    /// Creates a new revision from seller overrides or a buyer counter.
    pub fn revise(&self, cmd: &Revise) -> Result<QuoteTransition, QuoteError> {
        if !matches!(
            self.status,
            QuoteStatus::Draft | QuoteStatus::PendingApproval | QuoteStatus::Issued
        ) {
            return Err(self.transition_error("revise"));
        }
        self.check_not_expired(cmd.now)?;
        let buyer = cmd.author == Party::Buyer;
        if buyer && (cmd.terms.is_some() || cmd.valid_until.is_some()) {
            return Err(QuoteError::NotAuthorized {
                field: if cmd.terms.is_some() {
                    "terms"
                } else {
                    "valid_until"
                }
                .into(),
                who: "the buyer".into(),
                what: "change terms or validity (counter with target prices)".into(),
            });
        }
        let prev = self.latest()?;
        let mut rev = prev.clone();
        rev.number = prev.number.saturating_add(1);
        rev.parent = Some(prev.number);
        rev.created_at = cmd.now;
        rev.author = cmd.author;
        rev.author_id = cmd.author_id.clone();
        rev.note = cmd.note.clone();
        rev.seal = None;
        if let Some(t) = &cmd.terms {
            t.payment_terms.validate()?;
            rev.terms = t.clone();
        }
        if let Some(v) = cmd.valid_until {
            if v <= cmd.now {
                return Err(invalid("valid_until", "must be after now"));
            }
            rev.valid_until = v;
        }
        let mut removed = Vec::new();
        for (i, ch) in cmd.changes.iter().enumerate() {
            let at = index("changes", i);
            let pos = rev
                .lines
                .iter()
                .position(|l| l.line_id == ch.line_id)
                .ok_or_else(|| QuoteError::UnknownLine {
                    field: path(&at, "line_id"),
                    line_id: ch.line_id.clone(),
                })?;
            let Some(line) = rev.lines.get_mut(pos) else {
                continue;
            };
            if self.apply_line_change(line, ch, &at, cmd)? {
                removed.push(line.line_id.clone());
            }
        }
        if !removed.is_empty() {
            rev.lines.retain(|l| {
                !removed.contains(&l.line_id)
                    && !l.linked_to.as_ref().is_some_and(|p| removed.contains(p))
            });
            if rev.lines.is_empty() {
                return Err(invalid("changes", "a revision must keep at least one line"));
            }
        }
        let dp = self.minor_units()?;
        // Lines whose quantity or price changed get amount = price × qty.
        for (i, l) in rev.lines.iter_mut().enumerate() {
            if l.amount == Decimal::MIN {
                l.amount = dec_round(
                    self.rounding,
                    money::mul(l.unit_price, l.quantity, "line amount")
                        .map_err(|e| e.at(&index("lines", i)))?,
                    dp,
                );
            }
        }
        recompute(&mut rev, dp, self.rounding)?;
        let d = diff::diff(prev, &rev);
        let mut next = self.clone();
        next.status = QuoteStatus::Draft;
        if cmd.valid_until.is_some() {
            // An explicit validity replaces the default one.
            next.default_validity = None;
        }
        next.revisions.push(rev.clone());
        let mut em = self.emitter(cmd.now);
        em.emit(EventPayload::QuoteRevised {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            revision: rev.number,
            parent: prev.number,
            author: match cmd.author {
                Party::Seller => "seller".into(),
                Party::Buyer => "buyer".into(),
            },
            summary: d.summary(),
        });
        Ok(next.done(em))
    }

    /// Revision phase: one line change applied to the new revision's line
    /// (buyer counters only set target prices; quantities keep the MOQ;
    /// overrides need a reason and are rounded to 2 decimals). Changed
    /// amounts are left as `Decimal::MIN` for the caller to recompute.
    /// Returns whether the change removes the line.
    fn apply_line_change(
        &self,
        line: &mut QuoteLine,
        ch: &LineChange,
        at: &str,
        cmd: &Revise,
    ) -> Result<bool, QuoteError> {
        let buyer = cmd.author == Party::Buyer;
        if buyer && (ch.price_override.is_some() || ch.remove || ch.quantity.is_some()) {
            return Err(QuoteError::NotAuthorized {
                field: path(
                    at,
                    if ch.price_override.is_some() {
                        "price_override"
                    } else if ch.remove {
                        "remove"
                    } else {
                        "quantity"
                    },
                ),
                who: "the buyer".into(),
                what: "change prices, quantities or lines (counter with target prices)".into(),
            });
        }
        if ch.remove {
            return Ok(true);
        }
        if let Some(t) = ch.target_price {
            if t < Decimal::ZERO {
                return Err(invalid(path(at, "target_price"), "must not be negative"));
            }
            line.target_price = Some(t);
        }
        if let Some(q) = ch.quantity {
            if q <= Decimal::ZERO {
                return Err(invalid(path(at, "quantity"), "must be positive"));
            }
            if line.free {
                return Err(invalid(
                    path(at, "quantity"),
                    "free goods follow their sale line",
                ));
            }
            let base = money::mul(q, line.unit_factor, "base quantity").map_err(|e| e.at(at))?;
            if let Some(moq) = line.moq {
                if base < moq {
                    return Err(QuoteError::BelowMoq {
                        field: path(at, "quantity"),
                        quantity: base,
                        moq,
                    });
                }
            }
            line.quantity = q;
            line.amount = Decimal::MIN; // recomputed below
        }
        if let Some(o) = &ch.price_override {
            if line.free {
                return Err(invalid(
                    path(at, "price_override"),
                    "free goods have no price",
                ));
            }
            if ch.reason.trim().is_empty() {
                return Err(QuoteError::ReasonRequired {
                    field: path(at, "reason"),
                });
            }
            let price = match o {
                OverrideKind::UnitPrice { price } => *price,
                OverrideKind::DiscountPct { percent } => {
                    if *percent < Decimal::ZERO || *percent > Decimal::ONE_HUNDRED {
                        return Err(invalid(
                            path(at, "price_override.percent"),
                            "a percent is 0 to 100",
                        ));
                    }
                    let list_unit = money::mul(line.list_price, line.unit_factor, "list price")
                        .map_err(|e| e.at(at))?;
                    let keep = money::sub(Decimal::ONE_HUNDRED, *percent, "discount")?;
                    money::div(
                        money::mul(list_unit, keep, "discount")?,
                        Decimal::ONE_HUNDRED,
                        "discount",
                    )?
                }
            };
            if price < Decimal::ZERO {
                return Err(invalid(
                    path(at, "price_override.price"),
                    "must not be negative",
                ));
            }
            line.price_override = Some(PriceOverride {
                kind: o.clone(),
                reason: ch.reason.clone(),
                by: cmd.author_id.clone(),
                previous_unit_price: line.unit_price,
            });
            line.unit_price = dec_round(self.rounding, price, 2);
            line.amount = Decimal::MIN;
        }
        Ok(false)
    }

    /// Diff between two revisions of this quote.
    pub fn diff(&self, from: u32, to: u32) -> Result<RevisionDiff, QuoteError> {
        Ok(diff::diff(self.revision(from)?, self.revision(to)?))
    }
}
