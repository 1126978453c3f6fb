//! The host operation `approval plan`: its input and function.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::ApprovalError;
use super::facts::{compute_facts, ApprovalSubject, FactContext};
use super::plan::ApprovalPlan;
use super::policy::{ApprovalPolicy, ApprovalPolicyDefinition};

/// Input of the `approval plan` operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The policy.
    pub policy: ApprovalPolicyDefinition,
    /// The quote or order summary.
    pub subject: ApprovalSubject,
    /// Host-supplied facts.
    #[serde(default)]
    pub context: FactContext,
}

/// The `approval plan` operation on raw facts: compile, compute facts from
/// the subject and context as given, evaluate.
///
/// The subject and context are taken as the caller states them, so this
/// entry point is for explanations and for buyer-organisation policies run
/// by the buyer's own host; a plan made here never issues a quote or
/// confirms an order. The seller's flow uses
/// [`crate::quote::Quote::request_approval`] /
/// [`crate::order::Order::request_approval`] (operations `quote submit`,
/// [`crate::quote::quote_approval_plan`], [`crate::order::order_approval_plan`]),
/// which compute the facts from the quote or order.
pub fn approval_plan(input: &PlanInput) -> Result<ApprovalPlan, ApprovalError> {
    let policy = ApprovalPolicy::compile(input.policy.clone())?;
    let facts = compute_facts(&input.subject, &input.context)?;
    policy.evaluate(&facts)
}
