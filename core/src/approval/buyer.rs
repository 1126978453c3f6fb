//! The buyer side: the buyer's approval of a subject and its check against
//! the buyer's policy.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::ApprovalError;
use super::facts::{Facts, HostFacts};
use super::instance::{ApprovalInstance, BindingMismatch, SubjectBinding};
use super::policy::{ApprovalPolicy, ApprovalPolicyDefinition, PolicySide};

/// A buyer organisation's approval as a host document gives it with the
/// buyer's commitment (quote acceptance, order confirmation): the buyer's
/// policy, the facts only the host knows, and the buyer's instance. An
/// empty plan needs no instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerApproval {
    /// The buyer organisation's policy (`side: buyer`).
    pub policy: ApprovalPolicyDefinition,
    /// Facts only the host knows, for the buyer's plan.
    #[serde(default)]
    pub host: HostFacts,
    /// The buyer's approved instance, bound to the quote revision or order
    /// version being committed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalInstance>,
}

/// The buyer side of a commitment, compiled: what
/// [`crate::quote::Quote::accept_with_buyer`] and
/// [`crate::order::Order::confirm_with_buyer`] check.
#[derive(Debug, Clone, Copy)]
pub struct BuyerSide<'a> {
    /// The buyer organisation's compiled policy (`side: buyer`).
    pub policy: &'a ApprovalPolicy,
    /// Facts only the host knows.
    pub host: &'a HostFacts,
    /// The buyer's instance, if any.
    pub approval: Option<&'a ApprovalInstance>,
}

impl BuyerApproval {
    /// Compiles the buyer's policy, which must be a buyer-side one.
    pub fn compile(&self) -> Result<ApprovalPolicy, ApprovalError> {
        if self.policy.side != PolicySide::Buyer {
            return Err(ApprovalError::InvalidPolicy {
                field: "buyer.policy.side".into(),
                rule: "the buyer's policy is a buyer-side one (`side: buyer`)".into(),
            });
        }
        ApprovalPolicy::compile(self.policy.clone()).map_err(|e| e.under("buyer.policy"))
    }
}

impl BuyerSide<'_> {
    /// Checks the buyer side of a subject: `facts` are the subject's facts
    /// with the host's, `subject_facts` those of the subject alone (as
    /// [`ApprovalInstance::check_binding`] compares them) and `binding` what
    /// an approval of the subject as it is now is bound to. An empty plan
    /// needs nothing; otherwise the instance must be the buyer's, of this
    /// policy, approved, bound to `binding`, with the plan's steps. The
    /// outer error is a policy problem, the inner one names the field of
    /// `buyer` that is missing or differs.
    pub(crate) fn check(
        &self,
        facts: &Facts,
        subject_facts: &Facts,
        binding: &SubjectBinding,
        noun: &str,
    ) -> Result<Result<(), BindingMismatch>, ApprovalError> {
        let miss = |field: &str, detail: String| {
            Ok(Err(BindingMismatch {
                field: field.to_owned(),
                detail,
            }))
        };
        if self.policy.definition().side != PolicySide::Buyer {
            return Err(ApprovalError::InvalidPolicy {
                field: "buyer.policy.side".into(),
                rule: "the buyer's policy is a buyer-side one (`side: buyer`)".into(),
            });
        }
        let plan = self.policy.evaluate(facts)?;
        if plan.is_empty() {
            return Ok(Ok(()));
        }
        let Some(a) = self.approval else {
            let steps: Vec<&str> = plan.steps.iter().map(|s| s.step_id.as_str()).collect();
            return miss(
                "buyer.approval",
                format!(
                    "the buyer's policy {} needs an approved instance for {} {} ({})",
                    plan.policy_id,
                    noun,
                    binding.revision,
                    steps.join(", ")
                ),
            );
        };
        if a.plan.side != PolicySide::Buyer {
            return miss(
                "buyer.approval.plan.side",
                "the instance is the seller's, not the buyer's".into(),
            );
        }
        if a.plan.policy_id != plan.policy_id {
            return miss(
                "buyer.approval.plan.policy_id",
                format!(
                    "the instance is of policy {}, not {}",
                    a.plan.policy_id, plan.policy_id
                ),
            );
        }
        if let Err(m) = a.check_binding(binding, subject_facts, noun) {
            return miss(&format!("buyer.{}", m.field), m.detail);
        }
        if let Some(s) = plan
            .steps
            .iter()
            .find(|s| !a.plan.steps.iter().any(|x| x.step_id == s.step_id))
        {
            return miss(
                "buyer.approval.plan.steps",
                format!(
                    "the instance's plan lacks step {} the policy asks for",
                    s.step_id
                ),
            );
        }
        Ok(Ok(()))
    }
}
