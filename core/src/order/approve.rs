//! The order's approval subject, content digest and binding, its facts,
//! approval plan and instance, and its credit check.

use rust_decimal::Decimal;
use serde::Serialize;

use super::error::OrderError;
use super::model::{DeliveryPreferences, Lifecycle, Order, OrderApproval, OrderItem, OrderTotals};
use crate::approval::{
    compute_facts, ApprovalInstance, ApprovalPlan, ApprovalPolicy, ApprovalSubject, BuyerSide,
    FactContext, Facts, HostFacts, PolicySide, StartApproval, SubjectBinding, SubjectLine,
};
use crate::credit::{CreditCheck, CreditSnapshot};
use crate::money;
use crate::quote::{channel_name, sha256_hex, QuoteError, QuoteTerms, RequestApproval};

impl OrderItem {
    fn subject(&self) -> Result<SubjectLine, OrderError> {
        let net = if self.unit_factor.is_zero() {
            self.unit_price
        } else {
            money::div(self.unit_price, self.unit_factor, "net price")?
        };
        Ok(SubjectLine {
            list_price: self.list_price,
            net_price: net,
            base_quantity: money::mul(self.open()?, self.unit_factor, "base quantity")?,
            cost: self.cost,
            floor: self.floor,
            overridden: self.overridden,
        })
    }
}

impl Order {
    /// The order as the approval engine sees it.
    pub fn approval_subject(&self) -> Result<ApprovalSubject, OrderError> {
        Ok(ApprovalSubject {
            subject_id: self.id.clone(),
            currency: self.currency.clone(),
            segment: self.segment.clone(),
            tags: self.tags.clone(),
            channel: channel_name(self.channel),
            lines: self
                .lines
                .iter()
                .filter(|l| !l.free)
                .map(OrderItem::subject)
                .collect::<Result<_, _>>()?,
            total_before_tax: self.totals.total_before_tax,
            total_after_tax: self.totals.grand_total,
            terms: self.terms.payment_terms.clone(),
        })
    }

    /// Digest of the order's approvable content: lines (quantities,
    /// prices, tax rates), totals, terms, PO and delivery preferences.
    pub fn content_digest(&self) -> String {
        #[derive(Serialize)]
        struct L<'a> {
            line_id: &'a str,
            sku: &'a str,
            unit: &'a str,
            unit_factor: String,
            ordered: String,
            cancelled: String,
            unit_price: String,
            amount: String,
            gst_rate: String,
            free: bool,
        }
        #[derive(Serialize)]
        struct C<'a> {
            order_id: &'a str,
            customer_id: &'a str,
            currency: &'a str,
            version: u32,
            po_number: Option<&'a str>,
            terms: &'a QuoteTerms,
            delivery: &'a DeliveryPreferences,
            lines: Vec<L<'a>>,
            totals: &'a OrderTotals,
            advance_due: String,
        }
        let n = |d: Decimal| d.normalize().to_string();
        let mut totals = self.totals.clone();
        for t in [
            &mut totals.subtotal,
            &mut totals.order_discount,
            &mut totals.shipping,
            &mut totals.total_before_tax,
            &mut totals.gst,
            &mut totals.grand_total,
        ] {
            *t = t.normalize();
        }
        let c = C {
            order_id: &self.id,
            customer_id: &self.customer_id,
            currency: &self.currency,
            version: self.version(),
            po_number: self.po_number.as_deref(),
            terms: &self.terms,
            delivery: &self.delivery,
            lines: self
                .lines
                .iter()
                .map(|l| L {
                    line_id: &l.line_id,
                    sku: &l.sku,
                    unit: &l.unit,
                    unit_factor: n(l.unit_factor),
                    ordered: n(l.ordered),
                    cancelled: n(l.cancelled),
                    unit_price: n(l.unit_price),
                    amount: n(l.amount),
                    gst_rate: n(l.gst_rate),
                    free: l.free,
                })
                .collect(),
            totals: &totals,
            advance_due: n(self.advance_due),
        };
        sha256_hex(&serde_json::to_vec(&c).unwrap_or_default())
    }

    /// What an approval of the order as it is now is bound to.
    pub fn approval_binding(&self) -> SubjectBinding {
        SubjectBinding {
            kind: "order".into(),
            subject_id: self.id.clone(),
            revision: self.version(),
            digest: self.content_digest(),
        }
    }

    /// The credit check of this order: the host's snapshot plus this
    /// order's grand total (never a host-supplied figure).
    pub fn credit_check(&self, snapshot: &CreditSnapshot) -> Result<CreditCheck, OrderError> {
        Ok(snapshot.check(&self.customer_id, &self.total())?)
    }

    /// The facts of the order, computed by the engine (see [`HostFacts`]).
    pub fn facts(&self, host: &HostFacts) -> Result<Facts, OrderError> {
        let ctx = host.context(&self.customer_id, &self.total())?;
        compute_facts(&self.approval_subject()?, &ctx).map_err(|e| QuoteError::from(e).into())
    }

    /// The approval plan of the order under `policy` (seller or buyer side).
    pub fn approval_plan(
        &self,
        policy: &ApprovalPolicy,
        host: &HostFacts,
    ) -> Result<ApprovalPlan, OrderError> {
        policy
            .evaluate(&self.facts(host)?)
            .map_err(|e| QuoteError::from(e).into())
    }

    /// Starts an approval of the order as it is now, with the plan computed
    /// from the order. With `previous` (the quote's instance on conversion,
    /// or the order's before an amendment) approvals of steps whose facts
    /// did not get worse carry over, so an unchanged conversion is approved
    /// at once.
    pub fn request_approval(
        &self,
        req: &RequestApproval,
        policy: &ApprovalPolicy,
        host: &HostFacts,
        previous: Option<&ApprovalInstance>,
    ) -> Result<OrderApproval, OrderError> {
        if !matches!(self.lifecycle, Lifecycle::Draft | Lifecycle::CreditHold) {
            return Err(self.transition_error("request approval of"));
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
            Some(self.approval_binding()),
            previous,
        )
        .map_err(QuoteError::from)?;
        Ok(OrderApproval { instance, events })
    }

    /// Checks that `approval` is approved and bound to the order as it is
    /// now (same version and content, same facts).
    pub fn check_approval(&self, approval: &ApprovalInstance) -> Result<(), OrderError> {
        let need = |field: &str, detail: String| OrderError::ApprovalRequired {
            field: field.to_owned(),
            detail,
        };
        if approval.plan.side != PolicySide::Seller {
            return Err(need(
                "approval.plan.side",
                "the instance is the buyer's: confirming needs the seller's".into(),
            ));
        }
        let computed = compute_facts(&self.approval_subject()?, &FactContext::default())
            .map_err(QuoteError::from)?;
        approval
            .check_binding(&self.approval_binding(), &computed, "version")
            .map_err(|m| need(&m.field, m.detail))?;
        Ok(())
    }

    /// Checks the buyer side of the order as it is now (see [`BuyerSide`]):
    /// nothing without a buyer policy or with an empty plan; otherwise the
    /// buyer's approved instance bound to this version and content (from
    /// [`Order::request_approval`] with the buyer's policy).
    pub fn check_buyer_approval(&self, buyer: Option<&BuyerSide<'_>>) -> Result<(), OrderError> {
        let Some(b) = buyer else { return Ok(()) };
        let facts = self.facts(b.host)?;
        let subject = compute_facts(&self.approval_subject()?, &FactContext::default())
            .map_err(QuoteError::from)?;
        b.check(&facts, &subject, &self.approval_binding(), "version")
            .map_err(QuoteError::from)?
            .map_err(|m| OrderError::ApprovalRequired {
                field: m.field,
                detail: m.detail,
            })
    }
}
