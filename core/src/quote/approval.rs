//! Approval of a quote: the subject and facts the approval engine sees,
//! the seller's approval before issue and the buyer's before acceptance.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::invalid;
use super::{Quote, QuoteError, QuoteLine, QuoteStatus, QuoteTransition};
use crate::approval::{
    compute_facts, ApprovalInstance, ApprovalPlan, ApprovalPolicy, ApprovalStatus, ApprovalSubject,
    ApprovalTransition, BuyerSide, FactContext, HostFacts, PolicySide, StartApproval,
    SubjectBinding, SubjectLine,
};
use crate::customer::Channel;
use crate::events::{DomainEvent, EventPayload};
use crate::money::{self, Money};

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
