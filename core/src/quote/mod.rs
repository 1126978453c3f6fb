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

mod accept;
mod build;
mod diff;
mod error;
mod gst;
mod model;
mod request;
mod revise;
mod seal;
mod totals;
mod verify;

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
use crate::events::{DomainEvent, EventPayload};
use crate::money::{self, Money};
use crate::pricing::{PriceBook, PriceBookDefinition};

pub use accept::Accept;
pub use build::BuildQuote;
pub use diff::{FieldChange, LineDiff, RevisionDiff};
pub use error::QuoteError;
pub use gst::{DatedRates, GstEstimate, GstEstimator, GstLineEstimate, PlaceholderGst};
pub use model::{
    AcceptLine, Acceptance, DeclineKind, DeclineReason, DefaultValidity, OverrideKind, Party,
    PriceOverride, Quote, QuoteLine, QuoteRevision, QuoteSettings, QuoteStatus, QuoteTerms,
    QuoteTotals, QuoteTransition, UnquotableMode,
};
pub use request::{QuoteRequest, QuoteRequestLine, QuoteSource};
pub use revise::{LineChange, Revise};
pub use seal::{Seal, SealKey};

pub(crate) use accept::{accepted_amount, accepted_before_tax};
/// Hex SHA-256 (shared with the order's approval binding).
pub(crate) use seal::digest as sha256_hex;

use error::invalid;
use model::event_line;
#[cfg(test)]
use model::{default_valid_until, seller_offset};

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
