//! The host operations on quotes: one `*Input` document and one function
//! per command.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Accept, BuildQuote, DatedRates, DeclineReason, Quote, QuoteApproval, QuoteError,
    QuoteTransition, RequestApproval, Revise, RevisionDiff, SealKey,
};
use crate::approval::{
    ApprovalInstance, ApprovalPlan, ApprovalPolicy, ApprovalTransition, BuyerApproval, BuyerSide,
    HostFacts,
};
use crate::catalog::{Catalog, Product};
use crate::customer::Customer;
use crate::pricing::{PriceBook, PriceBookDefinition};

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
