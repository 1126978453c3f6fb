//! Quotes: requests, building, revisions and negotiation, validity, sealing,
//! acceptance (whole or partial), decline, withdrawal, expiry.
//!
//! A [`Quote`] is a value holding immutable numbered [`QuoteRevision`]s
//! (each knows its parent). Every command takes `&self` and returns a new
//! quote plus its [`DomainEvent`]s, or an error that leaves the quote as it
//! was. "Now", ids and seal keys are inputs.
//!
//! States: `draft → (pending_approval) → issued → accepted | declined |
//! expired | withdrawn`, `accepted → converted`.
//!
//! Decisions where the spec is silent:
//! - any revision (seller override or buyer counter) returns the quote to
//!   `draft`: the seller answers by issuing it (a buyer counter records the
//!   buyer's target prices; only the seller changes prices);
//! - a quantity change keeps the line's unit price (no re-pricing; build a
//!   new quote to re-price) and must respect the line's MOQ;
//! - a discount override is off the list unit price; overridden prices are
//!   rounded half-up to 2 decimals;
//! - the order discount of the price book is kept as a rate of the subtotal
//!   and re-applied when lines change; shipping stays as priced;
//! - `valid_until` is inclusive: a quote is expired when now > valid_until;
//!   the default is the end (23:59:59) of the day `default_validity_days`
//!   after the issue instant, in the seller's UTC offset (the spec: "issue
//!   instant + the price book's default validity days"). The draft shows a
//!   provisional `valid_until` counted from the build instant; the quote
//!   keeps the rule in `default_validity` and issuing recomputes it from
//!   the issue instant, so a draft or pending quote with a default
//!   validity does not expire before it is issued. The validity then stays
//!   fixed: later revisions keep it unless the seller sets another;
//! - a quote cannot be revised once accepted; further acceptances of the
//!   remainder are allowed until it expires;
//! - free-goods lines follow their sale line: they cannot be overridden and
//!   are accepted in proportion to it.
//! - issuing needs an approved instance bound to the latest revision
//!   ([`Quote::request_approval`] computes the plan from the revision; an
//!   empty plan is approved at once); the binding's digest and the plan's
//!   facts are recomputed at issue, so a revision changed after approval, or
//!   an instance from raw facts, is refused with `APPROVAL_REQUIRED`;
//! - declining or withdrawing an expired quote fails with `QUOTE_EXPIRED`
//!   (use `expire`);
//! - verification recomputes the stored revision's digest, and with a seller
//!   key requires the client's HMAC; an acceptance is sealed too and checked
//!   again on conversion.
//!
//! [`DomainEvent`]: crate::events::DomainEvent

mod diff;
mod error;
mod gst;
mod model;
mod request;
mod seal;
mod totals;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::approval::{
    compute_facts, ApprovalInstance, ApprovalPlan, ApprovalPolicy, ApprovalStatus, ApprovalSubject,
    ApprovalTransition, BuyerApproval, BuyerSide, FactContext, HostFacts, PolicySide,
    StartApproval, SubjectBinding, SubjectLine,
};
use crate::catalog::{Catalog, Product};
use crate::customer::{Channel, Customer};
#[cfg(test)]
use crate::error::ErrorCode;
use crate::error::{index, path};
use crate::events::{DomainEvent, EventLine, EventPayload};
use crate::money::{self, Money, RoundingMode};
use crate::pricing::{
    LineKind, LineProblem, OrderLine, PriceBook, PriceBookDefinition, PriceRequest, PricedOrder,
};

pub use diff::{FieldChange, LineDiff, RevisionDiff};
pub use error::QuoteError;
pub use gst::{DatedRates, GstEstimate, GstEstimator, GstLineEstimate, PlaceholderGst};
pub use model::{
    AcceptLine, Acceptance, DeclineKind, DeclineReason, DefaultValidity, OverrideKind, Party,
    PriceOverride, Quote, QuoteLine, QuoteRevision, QuoteSettings, QuoteStatus, QuoteTerms,
    QuoteTotals, QuoteTransition, UnquotableMode,
};
pub use request::{QuoteRequest, QuoteRequestLine, QuoteSource};
pub use seal::{Seal, SealKey};

/// Hex SHA-256 (shared with the order's approval binding).
pub(crate) use seal::digest as sha256_hex;

use error::invalid;
use model::{default_valid_until, event_line, seller_offset};
use totals::{dec_round, recompute};

/// Building a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildQuote {
    /// Quote id (host-supplied).
    pub quote_id: String,
    /// The request.
    pub request: QuoteRequest,
    /// Terms.
    pub terms: QuoteTerms,
    /// Explicit validity; the default days when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Seller notes.
    #[serde(default)]
    pub notes: String,
    /// Who builds it.
    #[serde(default)]
    pub author_id: String,
    /// "Now": the pricing instant.
    pub now: DateTime<FixedOffset>,
    /// Settings.
    #[serde(default)]
    pub settings: QuoteSettings,
    /// Placeholder GST rates.
    #[serde(default)]
    pub gst_rates: PlaceholderGst,
}

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

/// Requesting approval of a quote revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestApproval {
    /// Approval instance id (host-supplied).
    pub instance_id: String,
    /// Who asks.
    pub requester: String,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// A quote sent for approval, its instance and the events of both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteApproval {
    /// The quote (`pending_approval`, or `draft` when approved at once).
    pub quote: Quote,
    /// The approval instance, bound to the revision.
    pub instance: ApprovalInstance,
    /// Events of the quote, then of the instance.
    pub events: Vec<DomainEvent>,
}

impl Quote {
    /// Builds a draft quote (revision 1) by pricing the request at `now`.
    /// Unquotable lines are reported on the revision (or fail the build,
    /// by setting); the GST estimate uses `gst` (see [`GstEstimator`]).
    pub fn build(
        input: &BuildQuote,
        book: &PriceBook,
        customer: &Customer,
        gst: &dyn GstEstimator,
    ) -> Result<Quote, QuoteError> {
        let req = &input.request;
        if req.lines.is_empty() {
            return Err(invalid(
                "request.lines",
                "a quote request needs at least one line",
            ));
        }
        if req.customer_id != customer.id {
            return Err(invalid(
                "request.customer_id",
                "does not match the customer given",
            ));
        }
        input.terms.payment_terms.validate()?;
        let offset = seller_offset(&input.settings)?;
        let valid_until = match input.valid_until {
            Some(v) if v <= input.now => {
                return Err(invalid("valid_until", "must be after now"));
            }
            Some(v) => v,
            None => default_valid_until(input.now, input.settings.default_validity_days, offset)?,
        };
        let ship_to = req
            .ship_to_state
            .clone()
            .unwrap_or_else(|| customer.default_ship_to().state_code.clone());
        let price_request = price_request_of(input, &ship_to);
        let priced = book.price_order(customer, &price_request)?;
        let unquoted: Vec<LineProblem> = priced
            .errors
            .iter()
            .map(|p| LineProblem {
                field: p.field.replacen("lines", "request.lines", 1),
                ..p.clone()
            })
            .collect();
        if let Some(first) = unquoted.first() {
            if input.settings.unquotable == UnquotableMode::Fail || priced.lines.is_empty() {
                return Err(QuoteError::UnquotableLines {
                    field: first.field.clone(),
                    problems: unquoted,
                });
            }
        }
        let lines = quote_lines(input, book, customer, gst, &priced, &price_request)?;
        let rate = if priced.subtotal.is_zero() {
            Decimal::ZERO
        } else {
            money::div(
                priced.order_discount_total,
                priced.subtotal,
                "order discount rate",
            )?
        };
        let currency = book
            .currencies()
            .get_at(&req.currency, "request.currency")?;
        let mode = book.definition().settings.rounding;
        let mut rev = QuoteRevision {
            number: 1,
            parent: None,
            created_at: input.now,
            author: Party::Seller,
            author_id: input.author_id.clone(),
            note: String::new(),
            lines,
            unquoted,
            order_discount_rate: rate,
            totals: QuoteTotals {
                subtotal: Decimal::ZERO,
                order_discount: Decimal::ZERO,
                shipping: priced.shipping.as_ref().map_or(Decimal::ZERO, |s| s.amount),
                total_before_tax: Decimal::ZERO,
                gst: Decimal::ZERO,
                grand_total: Decimal::ZERO,
            },
            gst: gst::estimate_regime(
                input.settings.regime.as_ref(),
                &input.settings.supplier_state,
                &ship_to,
            )?,
            terms: input.terms.clone(),
            valid_until,
            notes: input.notes.clone(),
            seal: None,
        };
        recompute(&mut rev, currency.minor_units, mode)?;
        Ok(Quote {
            id: input.quote_id.clone(),
            request_id: req.id.clone(),
            source: req.source.clone(),
            customer_id: customer.id.clone(),
            customer_name: customer.legal_name.clone(),
            segment: customer.segment.clone(),
            tags: customer.tags.clone(),
            channel: req.channel,
            currency: req.currency.clone(),
            ship_to_state: ship_to,
            requested_delivery_date: req.requested_delivery_date,
            buyer_notes: req.buyer_notes.clone(),
            status: QuoteStatus::Draft,
            revisions: vec![rev],
            acceptances: Vec::new(),
            decline: None,
            withdrawn_reason: None,
            rounding: mode,
            next_event_seq: 1,
            default_validity: match input.valid_until {
                Some(_) => None,
                None => Some(DefaultValidity {
                    days: input.settings.default_validity_days,
                    seller_utc_offset_minutes: input.settings.seller_utc_offset_minutes,
                }),
            },
        })
    }

    /// [`Quote::build`] with its `QuoteDrafted` event (sequence 1).
    pub fn create(
        input: &BuildQuote,
        book: &PriceBook,
        customer: &Customer,
        gst: &dyn GstEstimator,
    ) -> Result<QuoteTransition, QuoteError> {
        let q = Self::build(input, book, customer, gst)?;
        let r = q.latest()?;
        let mut em = q.emitter(input.now);
        em.emit(EventPayload::QuoteDrafted {
            quote_id: q.id.clone(),
            customer_id: q.customer_id.clone(),
            lines: r.lines.iter().map(event_line).collect(),
            unquoted: r.unquoted.iter().map(|p| p.field.clone()).collect(),
            grand_total: Money {
                amount: r.totals.grand_total,
                currency: q.currency.clone(),
            },
            valid_until: r.valid_until,
        });
        Ok(q.done(em))
    }

    /// The quote as the approval engine sees it (latest revision).
    pub fn approval_subject(&self) -> Result<ApprovalSubject, QuoteError> {
        let r = self.latest()?;
        Ok(ApprovalSubject {
            subject_id: self.id.clone(),
            currency: self.currency.clone(),
            segment: self.segment.clone(),
            tags: self.tags.clone(),
            channel: channel_name(self.channel),
            lines: r.lines.iter().map(subject_line).collect::<Result<_, _>>()?,
            total_before_tax: r.totals.total_before_tax,
            total_after_tax: r.totals.grand_total,
            terms: r.terms.payment_terms.clone(),
        })
    }

    /// Sends the draft for approval.
    pub fn submit_for_approval(
        &self,
        now: DateTime<FixedOffset>,
    ) -> Result<QuoteTransition, QuoteError> {
        if self.status != QuoteStatus::Draft {
            return Err(self.transition_error("submit"));
        }
        self.check_not_expired(now)?;
        let mut next = self.clone();
        next.status = QuoteStatus::PendingApproval;
        let mut em = self.emitter(now);
        em.emit(EventPayload::QuoteSubmitted {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            revision: self.latest()?.number,
            approval_instance_id: None,
        });
        Ok(next.done(em))
    }

    /// Digest of a revision's canonical content (what a seal and an
    /// approval binding cover).
    pub fn revision_digest(&self, rev: &QuoteRevision) -> String {
        seal::digest(&seal::canonical(
            &self.id,
            &self.customer_id,
            &self.currency,
            rev,
        ))
    }

    /// What an approval of the latest revision is bound to.
    pub fn approval_binding(&self) -> Result<SubjectBinding, QuoteError> {
        let r = self.latest()?;
        Ok(SubjectBinding {
            kind: "quote".into(),
            subject_id: self.id.clone(),
            revision: r.number,
            digest: self.revision_digest(r),
        })
    }

    /// The facts of the latest revision, computed by the engine: the
    /// quote's lines, totals and terms, the customer data recorded on the
    /// quote, and the host facts (the credit check is run here on the
    /// quote's grand total from the host's credit snapshot).
    pub fn facts(&self, host: &HostFacts) -> Result<crate::approval::Facts, QuoteError> {
        let r = self.latest()?;
        let this = Money {
            amount: r.totals.grand_total,
            currency: self.currency.clone(),
        };
        let ctx = host.context(&self.customer_id, &this)?;
        Ok(compute_facts(&self.approval_subject()?, &ctx)?)
    }

    /// The approval plan of the latest revision under `policy`.
    pub fn approval_plan(
        &self,
        policy: &ApprovalPolicy,
        host: &HostFacts,
    ) -> Result<ApprovalPlan, QuoteError> {
        Ok(policy.evaluate(&self.facts(host)?)?)
    }

    /// Sends the latest revision for approval: computes the plan from the
    /// quote (never from client-supplied facts) and starts an instance bound
    /// to this revision. With `previous` (the instance of an earlier
    /// revision) approvals of steps that did not get worse carry over. The
    /// quote is `pending_approval` while the instance is pending; when the
    /// plan is empty or fully carried over, the instance is approved at once
    /// and the quote stays `draft`, ready to issue.
    pub fn request_approval(
        &self,
        req: &RequestApproval,
        policy: &ApprovalPolicy,
        host: &HostFacts,
        previous: Option<&ApprovalInstance>,
    ) -> Result<QuoteApproval, QuoteError> {
        if !matches!(
            self.status,
            QuoteStatus::Draft | QuoteStatus::PendingApproval
        ) {
            return Err(self.transition_error("submit"));
        }
        self.check_not_expired(req.now)?;
        let plan = self.approval_plan(policy, host)?;
        let binding = self.approval_binding()?;
        let revision = binding.revision;
        let (instance, approval_events) = ApprovalInstance::start_bound(
            &StartApproval {
                instance_id: req.instance_id.clone(),
                subject_id: self.id.clone(),
                requester: req.requester.clone(),
                plan,
                now: req.now,
            },
            Some(binding),
            previous,
        )?;
        let mut next = self.clone();
        next.status = if instance.status == ApprovalStatus::Pending {
            QuoteStatus::PendingApproval
        } else {
            QuoteStatus::Draft
        };
        let mut em = self.emitter(req.now);
        em.emit(EventPayload::QuoteSubmitted {
            quote_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            revision,
            approval_instance_id: Some(instance.id.clone()),
        });
        let t = next.done(em);
        let mut events = t.events;
        events.extend(approval_events);
        Ok(QuoteApproval {
            quote: t.quote,
            instance,
            events,
        })
    }

    /// Checks that `approval` is an approved instance bound to the latest
    /// revision, with the facts of that revision.
    pub fn check_approval(&self, approval: Option<&ApprovalInstance>) -> Result<(), QuoteError> {
        let r = self.latest()?;
        let need = |field: &str, detail: String| QuoteError::ApprovalRequired {
            field: field.to_owned(),
            detail,
        };
        let Some(a) = approval else {
            return Err(need(
                "approval",
                format!(
                    "issuing needs an approved instance for revision {} (request_approval)",
                    r.number
                ),
            ));
        };
        if a.plan.side != PolicySide::Seller {
            return Err(need(
                "approval.plan.side",
                "the instance is the buyer's: issuing needs the seller's".into(),
            ));
        }
        let computed = compute_facts(&self.approval_subject()?, &FactContext::default())?;
        a.check_binding(&self.approval_binding()?, &computed, "revision")
            .map_err(|m| need(&m.field, m.detail))?;
        Ok(())
    }

    /// The buyer organisation starts its approval of the issued revision it
    /// means to accept: the plan of its (buyer-side) policy computed from
    /// the revision, an instance bound to it (what
    /// [`Quote::accept_with_buyer`] needs). The quote itself does not change.
    pub fn request_buyer_approval(
        &self,
        req: &RequestApproval,
        policy: &ApprovalPolicy,
        host: &HostFacts,
        previous: Option<&ApprovalInstance>,
    ) -> Result<ApprovalTransition, QuoteError> {
        let open = self
            .open_quantities()?
            .iter()
            .any(|(_, q)| *q > Decimal::ZERO);
        let acceptable = self.status == QuoteStatus::Issued
            || (matches!(self.status, QuoteStatus::Accepted | QuoteStatus::Converted) && open);
        if !acceptable {
            return Err(self.transition_error("request buyer approval of"));
        }
        self.check_not_expired(req.now)?;
        if policy.definition().side != PolicySide::Buyer {
            return Err(invalid(
                "policy.side",
                "the buyer's policy is a buyer-side one (`side: buyer`)",
            ));
        }
        let plan = self.approval_plan(policy, host)?;
        let (instance, events) = ApprovalInstance::start_bound(
            &StartApproval {
                instance_id: req.instance_id.clone(),
                subject_id: self.id.clone(),
                requester: req.requester.clone(),
                plan,
                now: req.now,
            },
            Some(self.approval_binding()?),
            previous,
        )?;
        Ok(ApprovalTransition { instance, events })
    }

    /// Checks the buyer side of an acceptance of the latest revision (see
    /// [`BuyerSide`]): nothing without a buyer policy or with an empty plan.
    pub fn check_buyer_approval(&self, buyer: Option<&BuyerSide<'_>>) -> Result<(), QuoteError> {
        let Some(b) = buyer else { return Ok(()) };
        let facts = self.facts(b.host)?;
        let subject = compute_facts(&self.approval_subject()?, &FactContext::default())?;
        b.check(&facts, &subject, &self.approval_binding()?, "revision")?
            .map_err(|m| QuoteError::ApprovalRequired {
                field: m.field,
                detail: m.detail,
            })
    }

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

    /// Verifies a revision presented by a client against the stored one:
    /// digest, seal (with `key`) and, when given, the full content.
    pub fn verify(
        &self,
        revision: u32,
        digest: &str,
        hmac: Option<&str>,
        presented: Option<&QuoteRevision>,
        key: Option<&SealKey>,
    ) -> Result<(), QuoteError> {
        let seal = self.verify_stored(revision, key)?;
        let stored = self.revision(revision)?;
        let tampered = |field: &str, detail: &str| QuoteError::Tampered {
            field: field.to_owned(),
            detail: detail.to_owned(),
        };
        if let Some(p) = presented {
            let d = seal::digest(&seal::canonical(
                &self.id,
                &self.customer_id,
                &self.currency,
                p,
            ));
            if d != seal.digest {
                let (field, detail) = diff::first_difference(stored, p);
                return Err(tampered(&format!("presented.{field}"), &detail));
            }
        }
        if digest != seal.digest {
            return Err(tampered(
                "digest",
                "the digest does not match the issued revision",
            ));
        }
        if let Some(k) = key {
            let Some(h) = hmac else {
                return Err(tampered("seal", "no seal presented"));
            };
            if !seal::verify(&seal.digest, h, k) {
                return Err(tampered(
                    "seal",
                    "the seal does not verify with the seller key",
                ));
            }
        } else if let (Some(h), Some(stored_h)) = (hmac, &seal.hmac) {
            if h != stored_h {
                return Err(tampered("seal", "the seal differs from the issued one"));
            }
        }
        Ok(())
    }

    /// Checks a stored revision against its own seal: the digest is
    /// recomputed from the content, and with `key` the stored HMAC must
    /// verify. Returns the seal.
    pub fn verify_stored(&self, revision: u32, key: Option<&SealKey>) -> Result<&Seal, QuoteError> {
        let pos = self
            .revisions
            .iter()
            .position(|r| r.number == revision)
            .ok_or_else(|| invalid("revision", "no such revision"))?;
        let stored = self.revision(revision)?;
        let Some(seal) = &stored.seal else {
            return Err(self.transition_error("verify an unissued revision of"));
        };
        let at = index("revisions", pos);
        if self.revision_digest(stored) != seal.digest {
            return Err(QuoteError::Tampered {
                field: path(&at, "seal.digest"),
                detail: "the stored revision does not match its digest".into(),
            });
        }
        if let Some(k) = key {
            let ok = seal
                .hmac
                .as_deref()
                .is_some_and(|h| seal::verify(&seal.digest, h, k));
            if !ok {
                return Err(QuoteError::Tampered {
                    field: path(&at, "seal.hmac"),
                    detail: "the stored seal does not verify with the seller key".into(),
                });
            }
        }
        Ok(seal)
    }

    /// Checks a stored acceptance against its digest (and with `key` its
    /// HMAC), that the revision it accepted is intact, and that the
    /// acceptances never exceed the quoted quantities.
    pub fn verify_acceptance(&self, number: u32, key: Option<&SealKey>) -> Result<(), QuoteError> {
        let pos = self
            .acceptances
            .iter()
            .position(|a| a.number == number)
            .ok_or_else(|| invalid("acceptance", "no such acceptance"))?;
        let a = self
            .acceptances
            .get(pos)
            .ok_or_else(|| invalid("acceptance", "no such acceptance"))?;
        let at = index("acceptances", pos);
        let rev_seal = self.verify_stored(a.revision, key)?;
        let tampered = |field: String, detail: &str| QuoteError::Tampered {
            field,
            detail: detail.to_owned(),
        };
        let Some(s) = &a.seal else {
            return Err(tampered(path(&at, "seal"), "the acceptance is not sealed"));
        };
        let d = seal::digest(&seal::canonical_acceptance(
            &self.id,
            a.revision,
            &rev_seal.digest,
            a.number,
            &a.accepted_by,
            a.at,
            a.po_number.as_deref(),
            &a.lines,
        ));
        if d != s.digest {
            return Err(tampered(
                path(&at, "seal.digest"),
                "the acceptance does not match its digest",
            ));
        }
        if let Some(k) = key {
            if !s.hmac.as_deref().is_some_and(|h| seal::verify(&d, h, k)) {
                return Err(tampered(
                    path(&at, "seal.hmac"),
                    "the acceptance seal does not verify with the seller key",
                ));
            }
        }
        let rev = self.revision(a.revision)?;
        for (i, al) in a.lines.iter().enumerate() {
            let Some(l) = rev
                .lines
                .iter()
                .find(|l| l.line_id == al.line_id && !l.free)
            else {
                return Err(tampered(
                    path(&index(&path(&at, "lines"), i), "line_id"),
                    "no such line on the accepted revision",
                ));
            };
            let mut total = Decimal::ZERO;
            for other in self.acceptances.iter().filter(|o| o.revision == a.revision) {
                for ol in other.lines.iter().filter(|ol| ol.line_id == al.line_id) {
                    total = money::add(total, ol.quantity, "accepted quantity")?;
                }
            }
            if al.quantity <= Decimal::ZERO || total > l.quantity {
                return Err(tampered(
                    path(&index(&path(&at, "lines"), i), "quantity"),
                    "accepted quantities exceed the quoted quantity",
                ));
            }
        }
        Ok(())
    }

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

    /// Diff between two revisions of this quote.
    pub fn diff(&self, from: u32, to: u32) -> Result<RevisionDiff, QuoteError> {
        Ok(diff::diff(self.revision(from)?, self.revision(to)?))
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

pub(crate) fn channel_name(c: Channel) -> String {
    match c {
        Channel::Portal => "portal",
        Channel::MobileApp => "mobile_app",
        Channel::SalesRep => "sales_rep",
        Channel::Edi => "edi",
    }
    .to_owned()
}

pub(crate) fn subject_line(l: &QuoteLine) -> Result<SubjectLine, QuoteError> {
    let net = if l.unit_factor.is_zero() {
        l.unit_price
    } else {
        money::div(l.unit_price, l.unit_factor, "net per base unit")?
    };
    Ok(SubjectLine {
        list_price: l.list_price,
        net_price: net,
        base_quantity: money::mul(l.quantity, l.unit_factor, "base quantity")?,
        cost: l.cost,
        floor: l.floor,
        overridden: l.price_override.is_some(),
    })
}

/// Build phase: the pricing request of a quote request, priced at the
/// quote instant for its ship-to state, with the whole explanation (a
/// quote keeps it). Lines without an id get `L1`, `L2`…
fn price_request_of(input: &BuildQuote, ship_to: &str) -> PriceRequest {
    let req = &input.request;
    PriceRequest {
        order_id: Some(input.quote_id.clone()),
        currency: req.currency.clone(),
        channel: req.channel,
        priced_at: input.now,
        ship_to_state: Some(ship_to.to_owned()),
        lines: req
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| OrderLine {
                line_id: Some(l.line_id.clone().unwrap_or_else(|| format!("L{}", i + 1))),
                sku: l.sku.clone(),
                quantity: l.quantity,
                unit: l.unit.clone(),
                target_price: l.target_price,
            })
            .collect(),
        // A quote keeps the whole explanation.
        explain: crate::pricing::Explain::Full,
        ignore_rules: false,
        purchase_history: Vec::new(),
        exchange_rates: Vec::new(),
    }
}

/// Build phase: the quote's lines from the priced lines (free goods named
/// after their sale line), with the unit factor, MOQ, list price, GST rate
/// of `gst`, cost in the quote currency and the approval floor (none for
/// free goods).
fn quote_lines(
    input: &BuildQuote,
    book: &PriceBook,
    customer: &Customer,
    gst: &dyn GstEstimator,
    priced: &PricedOrder,
    price_request: &PriceRequest,
) -> Result<Vec<QuoteLine>, QuoteError> {
    let req = &input.request;
    let catalog: &Catalog = book.catalog();
    let mut lines = Vec::with_capacity(priced.lines.len());
    let mut free_counter = 0u32;
    for (i, pl) in priced.lines.iter().enumerate() {
        let at = index("lines", i);
        let product: Option<&Product> = catalog.get(&pl.sku).map(|p| &p.product);
        let factor = if pl.quantity.is_zero() {
            Decimal::ONE
        } else {
            money::div(pl.base_quantity, pl.quantity, "unit factor").map_err(|e| e.at(&at))?
        };
        let rate = gst
            .rate(&pl.gst_rate_class)
            .ok_or_else(|| QuoteError::UnknownGstClass {
                field: path(&at, "gst_rate_class"),
                class: pl.gst_rate_class.to_string(),
            })?;
        let (free, linked_to, line_id) = match &pl.kind {
            LineKind::Sale => (
                false,
                None,
                pl.line_id
                    .as_ref()
                    .map_or_else(|| format!("L{}", pl.line_index + 1), |id| id.to_string()),
            ),
            LineKind::Free { linked_to, .. } => {
                free_counter += 1;
                let parent = price_request
                    .lines
                    .get(*linked_to)
                    .and_then(|l| l.line_id.clone())
                    .unwrap_or_default();
                (
                    true,
                    Some(parent.clone()),
                    format!("{parent}-FREE{free_counter}"),
                )
            }
        };
        let notes = req
            .lines
            .get(pl.line_index)
            .filter(|_| !free)
            .map(|l| l.notes.clone())
            .unwrap_or_default();
        lines.push(QuoteLine {
            line_id,
            sku: pl.sku.to_string(),
            name: pl.name.to_string(),
            hsn: pl.hsn.to_string(),
            gst_rate_class: pl.gst_rate_class.to_string(),
            free,
            linked_to,
            quantity: pl.quantity,
            unit: pl.unit.to_string(),
            unit_factor: factor,
            moq: product.and_then(|p| Catalog::constraints_for(p, customer).moq),
            list_price: pl
                .base_price
                .as_ref()
                .map_or(Decimal::ZERO, |b| b.price_per_base_unit),
            priced_unit_price: pl.net_unit_price,
            unit_price: pl.net_unit_price,
            amount: pl.amount,
            gst_rate: rate,
            cost: product
                .and_then(|p| p.cost.as_ref())
                .filter(|c| c.currency == req.currency)
                .map(|c| c.amount),
            // Free goods are left out of the approval facts.
            floor: if free {
                None
            } else {
                crate::approval::line_floor(
                    &pl.floor,
                    product,
                    &req.currency,
                    &book.definition().currency,
                )
                .map_err(|e| e.at(&at))?
            },
            target_price: pl.target_price,
            price_override: None,
            notes,
        });
    }
    Ok(lines)
}

/// Input of the `quote build` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBuildInput {
    /// The catalog.
    pub catalog: Vec<Product>,
    /// The price book.
    pub price_book: PriceBookDefinition,
    /// The customer.
    pub customer: Customer,
    /// What to build.
    pub build: BuildQuote,
}

/// The `quote build` operation: compile catalog and book, build the draft.
/// GST is estimated with the notified rates of the quote's date unless the
/// request gives explicit `gst_rates`.
pub fn quote_build(input: &QuoteBuildInput) -> Result<Quote, QuoteError> {
    let catalog = std::sync::Arc::new(Catalog::new(input.catalog.clone())?);
    let book = PriceBook::compile(input.price_book.clone(), catalog)?;
    quote_build_with(&input.build, &book, &input.customer)
}

/// The `quote build` operation on an already compiled book (a host that
/// keeps the book, such as the mobile binding's snapshot): the same GST
/// estimator choice as [`quote_build`].
pub fn quote_build_with(
    build: &BuildQuote,
    book: &PriceBook,
    customer: &Customer,
) -> Result<Quote, QuoteError> {
    if build.gst_rates.rates.is_empty() {
        // No explicit rates: the tax module's notified rates on the quote's date.
        let table = crate::tax::RateTable::india_default();
        let dated = DatedRates {
            table: &table,
            date: build.now.date_naive(),
        };
        Quote::build(build, book, customer, &dated)
    } else {
        Quote::build(build, book, customer, &build.gst_rates)
    }
}

/// Input of the `quote revise` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteReviseInput {
    /// The quote.
    pub quote: Quote,
    /// The revision.
    pub revise: Revise,
}

/// The `quote revise` operation.
pub fn quote_revise(input: &QuoteReviseInput) -> Result<QuoteTransition, QuoteError> {
    input.quote.revise(&input.revise)
}

/// Input of the `quote accept` operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteAcceptInput {
    /// The quote (server copy).
    pub quote: Quote,
    /// The acceptance (from the client).
    pub accept: Accept,
    /// The seller key, to verify the seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<SealKey>,
    /// The buyer organisation's policy and approval, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<BuyerApproval>,
}

/// The `quote accept` operation: with a buyer policy, its approved
/// instance bound to the revision is required (unless its plan is empty).
pub fn quote_accept(input: &QuoteAcceptInput) -> Result<QuoteTransition, QuoteError> {
    let Some(b) = &input.buyer else {
        return input.quote.accept(&input.accept, input.seal_key.as_ref());
    };
    let policy = b.compile()?;
    let side = BuyerSide {
        policy: &policy,
        host: &b.host,
        approval: b.approval.as_ref(),
    };
    input
        .quote
        .accept_with_buyer(&input.accept, input.seal_key.as_ref(), Some(&side))
}

/// Input of the `quote buyer submit` operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBuyerSubmitInput {
    /// The issued quote.
    pub quote: Quote,
    /// The buyer organisation's policy (`side: buyer`).
    pub policy: crate::approval::ApprovalPolicyDefinition,
    /// Facts only the host knows.
    #[serde(default)]
    pub host: HostFacts,
    /// Instance id, requester and "now".
    pub request: RequestApproval,
    /// An earlier buyer instance, for carry-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<ApprovalInstance>,
}

/// The `quote buyer submit` operation: the buyer's instance bound to the
/// issued revision (what `quote accept` needs under a buyer policy).
pub fn quote_buyer_submit(input: &QuoteBuyerSubmitInput) -> Result<ApprovalTransition, QuoteError> {
    let policy = ApprovalPolicy::compile(input.policy.clone())?;
    input.quote.request_buyer_approval(
        &input.request,
        &policy,
        &input.host,
        input.previous.as_ref(),
    )
}

/// Input of the `quote submit` operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteSubmitInput {
    /// The quote.
    pub quote: Quote,
    /// The seller's approval policy.
    pub policy: crate::approval::ApprovalPolicyDefinition,
    /// Facts only the host knows (credit snapshot, new customer…).
    #[serde(default)]
    pub host: HostFacts,
    /// Instance id, requester and "now".
    pub request: RequestApproval,
    /// The instance of an earlier revision, for carry-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<ApprovalInstance>,
}

/// The `quote submit` operation: compile the policy, compute the plan from
/// the latest revision and start an approval bound to it.
pub fn quote_submit(input: &QuoteSubmitInput) -> Result<QuoteApproval, QuoteError> {
    let policy = ApprovalPolicy::compile(input.policy.clone())?;
    input.quote.request_approval(
        &input.request,
        &policy,
        &input.host,
        input.previous.as_ref(),
    )
}

/// Input of the `quote plan` operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotePlanInput {
    /// The quote.
    pub quote: Quote,
    /// The policy.
    pub policy: crate::approval::ApprovalPolicyDefinition,
    /// Facts only the host knows.
    #[serde(default)]
    pub host: HostFacts,
}

/// The approval plan of a quote's latest revision, facts computed from
/// the quote.
pub fn quote_approval_plan(input: &QuotePlanInput) -> Result<ApprovalPlan, QuoteError> {
    let policy = ApprovalPolicy::compile(input.policy.clone())?;
    input.quote.approval_plan(&policy, &input.host)
}

/// Input of the `quote issue` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteIssueInput {
    /// The quote.
    pub quote: Quote,
    /// The approved instance bound to the latest revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalInstance>,
    /// The seller key for the HMAC seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<SealKey>,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// The `quote issue` operation.
pub fn quote_issue(input: &QuoteIssueInput) -> Result<QuoteTransition, QuoteError> {
    input
        .quote
        .issue(input.now, input.approval.as_ref(), input.seal_key.as_ref())
}

/// Input of the `quote decline` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteDeclineInput {
    /// The quote.
    pub quote: Quote,
    /// Why.
    pub reason: DeclineReason,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// The `quote decline` operation.
pub fn quote_decline(input: &QuoteDeclineInput) -> Result<QuoteTransition, QuoteError> {
    input.quote.decline(&input.reason, input.now)
}

/// Input of the `quote withdraw` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteWithdrawInput {
    /// The quote.
    pub quote: Quote,
    /// Why.
    pub reason: String,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// The `quote withdraw` operation.
pub fn quote_withdraw(input: &QuoteWithdrawInput) -> Result<QuoteTransition, QuoteError> {
    input.quote.withdraw(&input.reason, input.now)
}

/// Input of the `quote expire` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteExpireInput {
    /// The quote.
    pub quote: Quote,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// The `quote expire` operation.
pub fn quote_expire(input: &QuoteExpireInput) -> Result<QuoteTransition, QuoteError> {
    input.quote.expire(input.now)
}

/// Input of the `quote diff` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteDiffInput {
    /// The quote.
    pub quote: Quote,
    /// From revision.
    pub from: u32,
    /// To revision.
    pub to: u32,
}

/// The `quote diff` operation.
pub fn quote_diff(input: &QuoteDiffInput) -> Result<RevisionDiff, QuoteError> {
    input.quote.diff(input.from, input.to)
}

#[cfg(test)]
mod tests;
