//! Host operations on orders: their `*Input` documents and functions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::convert::{convert_quote_sealed, ConvertQuote, Converted};
use super::error::OrderError;
use super::model::Order;
use crate::approval::{ApprovalPlan, ApprovalPolicy, HostFacts};
use crate::credit::{CreditCheck, CreditSnapshot};
use crate::quote::{Quote, QuoteError, SealKey};

/// Input of the order approval operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPlanInput {
    /// The order.
    pub order: Order,
    /// The policy (seller's, or the buyer organisation's).
    pub policy: crate::approval::ApprovalPolicyDefinition,
    /// Facts only the host knows (credit snapshot: the engine adds this
    /// order's total).
    #[serde(default)]
    pub host: HostFacts,
}

/// The approval plan of an order, facts computed from the order.
pub fn order_approval_plan(input: &OrderPlanInput) -> Result<ApprovalPlan, OrderError> {
    let policy = ApprovalPolicy::compile(input.policy.clone()).map_err(QuoteError::from)?;
    input.order.approval_plan(&policy, &input.host)
}

/// Input of the order credit check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderCreditInput {
    /// The order.
    pub order: Order,
    /// The customer's credit position without this order.
    pub snapshot: CreditSnapshot,
}

/// The credit check of an order: `this_order` is the order's own total.
pub fn order_credit_check(input: &OrderCreditInput) -> Result<CreditCheck, OrderError> {
    input.order.credit_check(&input.snapshot)
}

/// Input of the `quote convert` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertInput {
    /// The quote.
    pub quote: Quote,
    /// The conversion.
    pub convert: ConvertQuote,
    /// The seller key, to verify the seals of the revision and acceptance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<SealKey>,
}

/// The `quote convert` operation.
pub fn quote_convert(input: &ConvertInput) -> Result<Converted, OrderError> {
    convert_quote_sealed(&input.quote, &input.convert, input.seal_key.as_ref())
}
