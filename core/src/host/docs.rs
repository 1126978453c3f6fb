//! The input and output documents of the host operations that the modules
//! do not already define: each bundles what one call needs, so that an
//! operation reads exactly one document.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::approval::{ApprovalInstance, ApprovalPolicyDefinition, BuyerApproval, HostFacts};
use crate::catalog::Product;
use crate::credit::CreditCheck;
use crate::customer::QuoteRequestDraft;
use crate::customer::{Channel, Classification, ClassificationPolicy, Customer, Inquiry};
use crate::fulfilment::{AllocationPlan, Shipment};
use crate::inventory::{Reservation, ReservationRequest, StockSnapshot};
use crate::order::{Amend, CancelLine, Order};
use crate::pricing::{PriceBookDefinition, PriceRequest, PricedOrder};
use crate::quote::RequestApproval;

use super::HostError;

/// `price_order`: a catalog and price book (compiled for the call), the
/// customer and the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceOrderInput {
    /// The catalog.
    pub catalog: Vec<Product>,
    /// The price book.
    pub price_book: PriceBookDefinition,
    /// The customer.
    pub customer: Customer,
    /// The order, cart or quote request to price.
    pub request: PriceRequest,
}

/// One order of a batch: whose it is and what to price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderToPrice {
    /// The customer.
    pub customer: Customer,
    /// The request.
    pub request: PriceRequest,
}

/// `price_orders`: many orders against one book, spread over threads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceOrdersInput {
    /// The catalog.
    pub catalog: Vec<Product>,
    /// The price book.
    pub price_book: PriceBookDefinition,
    /// The orders, priced independently.
    pub orders: Vec<OrderToPrice>,
    /// The most threads to use; the machine's cores when absent. The
    /// results do not depend on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
}

/// One order's outcome in a batch: its priced order, or its own error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum BatchResult {
    /// The order priced (line problems are inside, as for `price_order`).
    Priced(Box<PricedOrder>),
    /// The order was refused as a whole.
    Error(HostError),
}

/// `price_orders` result: one outcome per order, in input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PricedOrders {
    /// The outcomes, in the order of the input.
    pub results: Vec<BatchResult>,
}

/// `catalog_validate`: a catalog to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogValidateInput {
    /// The products.
    pub catalog: Vec<Product>,
}

/// `catalog_validate` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogSummary {
    /// How many products the valid catalog holds.
    pub products: usize,
}

/// `catalog_view`: the catalog as one customer sees it, with prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogViewInput {
    /// The catalog.
    pub catalog: Vec<Product>,
    /// The price book.
    pub price_book: PriceBookDefinition,
    /// The customer.
    pub customer: Customer,
    /// Currency of the prices.
    pub currency: String,
    /// The channel.
    pub channel: Channel,
    /// The pricing instant.
    pub at: DateTime<FixedOffset>,
    /// Only this category and its descendants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// `classify`: an inquiry, the policy, and optionally the catalog to turn
/// the inquiry's lines into quote-request lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyInput {
    /// The classification policy.
    pub policy: ClassificationPolicy,
    /// The catalog (for the quote-request draft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<Vec<Product>>,
    /// The inquiry.
    pub inquiry: Inquiry,
}

/// `classify` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyOutput {
    /// Segment, price list, matched rule and reason.
    pub classification: Classification,
    /// The quote-request lines made from the inquiry (when a catalog was given).
    pub quote_request: Option<QuoteRequestDraft>,
}

/// `order_confirm`: the order, its approved instance and the credit check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderConfirmInput {
    /// The order.
    pub order: Order,
    /// The approved instance bound to the order as it is now.
    pub approval: ApprovalInstance,
    /// The credit check of the order (a blocking one holds the order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<CreditCheck>,
    /// The buyer organisation's policy and approval, when it has one: its
    /// approved instance bound to the order as it is now is needed too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<BuyerApproval>,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// `order_submit`: the order sent for the seller's approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderSubmitInput {
    /// The order (draft or on credit hold).
    pub order: Order,
    /// The seller's approval policy.
    pub policy: ApprovalPolicyDefinition,
    /// Facts only the host knows (credit snapshot, new customer …).
    #[serde(default)]
    pub host: HostFacts,
    /// Instance id, requester and "now".
    pub request: RequestApproval,
    /// The instance of an earlier version of the order, for carry-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<ApprovalInstance>,
}

/// `order_amend`: quantities, delivery or PO before allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderAmendInput {
    /// The order.
    pub order: Order,
    /// The amendment.
    pub amend: Amend,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// `order_cancel`: some lines' quantities, or everything not shipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderCancelInput {
    /// The order.
    pub order: Order,
    /// The quantities to cancel; everything not shipped when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<CancelLine>>,
    /// Why.
    pub reason: String,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// `order_close`: a fully shipped and invoiced order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderCloseInput {
    /// The order.
    pub order: Order,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// `order_apply_plan`: record an allocation plan's quantities on the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderApplyPlanInput {
    /// The order.
    pub order: Order,
    /// The plan (from `allocate`).
    pub plan: AllocationPlan,
}

/// `order_apply_dispatch`: record a dispatched shipment on the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderApplyDispatchInput {
    /// The order.
    pub order: Order,
    /// The dispatched shipment.
    pub shipment: Shipment,
}

/// The reservation ledger as a document: stock (its `reserved` fields are
/// ignored on the way in and filled on the way out) and every reservation
/// held, so that a host that keeps the ledger in its own storage can run
/// each command as one call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerState {
    /// Stock per warehouse, sku and batch.
    pub stock: StockSnapshot,
    /// Reservations held, per order line and batch.
    #[serde(default)]
    pub reservations: Vec<Reservation>,
}

/// `ledger_reserve` / `ledger_release` / `ledger_consume` /
/// `ledger_quarantine`: one command on the ledger, all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerCommandInput {
    /// The ledger before.
    pub ledger: LedgerState,
    /// The order.
    pub order_id: String,
    /// The quantities, per line and batch.
    pub requests: Vec<ReservationRequest>,
}
