//! Allocation (order routing to warehouses and batches), shipments,
//! dispatch documents and e-way bill data.
//!
//! [`allocate`] turns an [`AllocationInput`] (order lines, ship-to,
//! warehouses, stock, routing rules, strategy, "today") into an
//! [`AllocationPlan`]: shipments per warehouse with batches, backorders, an
//! estimated cost and an explanation. The plan's
//! [`AllocationPlan::reservation_requests`] feed
//! [`crate::inventory::ReservationLedger::reserve`]. [`create_shipments`]
//! turns a plan into [`Shipment`] values whose state machine
//! ([`Shipment::apply`]) runs planned → picked → packed → dispatched →
//! delivered / returned.
//!
//! ```
//! use b2b_oms::fulfilment::{allocate, AllocationInput, Strategy};
//! use b2b_oms::inventory::ReservationLedger;
//!
//! let input: AllocationInput = serde_json::from_str(r#"{
//!   "request": {"order_id": "SO-1", "customer_id": "C-1",
//!     "destination": {"state_code": "29", "pincode": "560001"},
//!     "lines": [{"line_id": "1", "sku": "A", "quantity": "8"},
//!               {"line_id": "2", "sku": "B", "quantity": "2"}]},
//!   "warehouses": [
//!     {"id": "BLR", "name": "Bengaluru", "address": {"state_code": "29", "pincode": "560100"},
//!      "priority": 2, "shipping_rates": [{"fixed": "150"}]},
//!     {"id": "MUM", "name": "Mumbai", "address": {"state_code": "27", "pincode": "400001"},
//!      "priority": 1, "shipping_rates": [{"fixed": "400"}]}],
//!   "stock": {"items": [
//!     {"warehouse_id": "BLR", "sku": "A", "batches": [{"batch_id": "a1", "on_hand": "10", "expiry_date": "2026-12-31"}]},
//!     {"warehouse_id": "BLR", "sku": "B", "batches": [{"batch_id": "b1", "on_hand": "5"}]},
//!     {"warehouse_id": "MUM", "sku": "A", "batches": [{"batch_id": "a9", "on_hand": "50"}]}]},
//!   "today": "2026-03-01", "planned_at": "2026-03-01T09:00:00Z"
//! }"#).unwrap();
//! assert_eq!(input.strategy, Strategy::FewestShipments);
//! let plan = allocate(&input).unwrap().plan;
//! // BLR holds both lines: one shipment, though MUM has the better priority.
//! assert_eq!(plan.shipments.len(), 1);
//! assert_eq!(plan.shipments[0].warehouse_id, "BLR");
//! assert_eq!(plan.estimated_cost.unwrap().to_string(), "150.00");
//!
//! let ledger = ReservationLedger::new(&input.stock).unwrap();
//! plan.reserve(&ledger).unwrap(); // all or nothing
//! assert_eq!(ledger.available("BLR", "A", "a1").unwrap().to_string(), "2");
//! ```
//!
//! # Decisions where the spec is silent
//!
//! - **Delivery preferences.** `ship_complete` = one shipment holding every
//!   line in full, else nothing is allocated and every line is backordered.
//!   `allow_partial_shipments = false` (without ship complete) = one
//!   warehouse: the one that covers the most, the rest backordered ("one
//!   warehouse or none"). Both override the strategy's splitting.
//! - **Routing rules.** A rule's order-level conditions (segment, destination
//!   state/zone, order value, line count) must all match; if it lists
//!   categories it applies only to lines whose category path contains one of
//!   them, else to every line. `exclude` removes warehouses, `restrict_to`
//!   keeps only the listed ones, `require_capability` keeps warehouses with
//!   the capability. Line and order `required_capabilities` act the same way.
//!   A preferred warehouse for the destination region ranks before every
//!   other on priority (it is a priority override, so for
//!   `fewest_shipments` it decides after shipment count and cost).
//! - **Cost basis.** If every candidate has a shipping rate for the
//!   destination the basis is `cost` (fixed + per kg × shipment weight,
//!   rounded to 2 dp half-up per shipment); else if the destination and every
//!   candidate have coordinates it is `distance` (sum of haversine metres);
//!   else `none` (ties go to priority). The plan states the basis.
//! - **Batches.** Expiry date is the last usable day: a batch is expired when
//!   today > expiry. The minimum remaining shelf life is the larger of the
//!   line's (product) and the request's (customer) value; a batch qualifies
//!   when expiry − today ≥ that many days. Batches without expiry never
//!   expire and are picked after dated ones (FEFO, then FIFO by
//!   manufacturing date with undated last, then batch id).
//! - **Demand groups.** Lines with the same sku, shelf-life requirement,
//!   weight and warehouse eligibility are pooled for the search and filled in
//!   line order. The search is exact over those groups; if the same sku
//!   appears under different constraints the groups share batches, the
//!   search treats them as independent, and any shortfall found while
//!   picking batches is backordered (never over-allocated).
//! - **Exact bound.** The subset search is exact up to
//!   [`AllocationSettings::exact_max_candidates`] candidates (default 12, at
//!   most 20); warehouses with no usable stock for the order are not
//!   candidates. The search deepens on the set size from a lower bound and
//!   prunes a branch when some line cannot be covered by the best remaining
//!   picks; lines that any warehouse holds either wholly or not at all become
//!   bitmasks. Beyond the bound a greedy set cover (most newly covered
//!   demand, measured as the sum of per-line covered fractions so units do
//!   not mix; ties to the better-ranked warehouse), followed by removal of
//!   redundant warehouses, is refined by the same exact search restricted to
//!   the greedy set plus the 4 best-covering other candidates (never more
//!   than the bound), and the plan says `greedy_not_proven_optimal`. The
//!   `allocation` bench prints how often that loses to the optimum.
//! - **Single-warehouse choice** (ship complete, no partial shipments, or the
//!   `single_warehouse` strategy): among warehouses covering every line in
//!   full, the strategy's order decides (cost, then priority, then id for
//!   `fewest_shipments` / `single_warehouse`); if none covers everything,
//!   the one covering the most lines in full, then the largest summed covered
//!   fraction.
//! - **Whole lines.** For every strategy, once it has chosen which
//!   warehouses ship a demand group, the group's lines are packed into
//!   them: a line ships whole from one warehouse when one can hold it
//!   (largest lines first, each to the first warehouse in the strategy's
//!   order with room), and only lines that fit nowhere whole are split.
//! - **Shipment order** in a plan is by warehouse id; lines keep the order's
//!   line order.
//! - **E-way bill value** is the taxable value plus GST of the shipment's
//!   lines; "above the threshold" is strictly greater.

mod allocate;
mod model;
pub mod ops;
pub mod orders;
#[cfg(test)]
mod orders_tests;
mod routing;
mod shipment;

pub use allocate::allocate;
pub use model::*;
pub use routing::{PreferredWarehouse, RoutingRule, RoutingRules, RuleAction, RuleCondition};
pub use shipment::*;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ErrorCode;
use crate::inventory::InventoryError;

/// Errors of allocation and shipments.
#[derive(Debug, Clone, PartialEq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum FulfilmentError {
    /// The order has no lines.
    #[error("the order has no lines")]
    EmptyOrder {
        /// Field path.
        field: String,
    },
    /// More lines than the configured maximum.
    #[error("{count} lines exceed the maximum of {max}")]
    TooManyLines {
        /// Field path.
        field: String,
        /// Lines given.
        count: usize,
        /// Maximum allowed.
        max: usize,
    },
    /// A quantity or amount is not positive, negative, or too precise.
    #[error("invalid quantity {value}: {rule}")]
    InvalidQuantity {
        /// Field path.
        field: String,
        /// The value given.
        value: String,
        /// The rule it broke.
        rule: String,
    },
    /// An id is empty.
    #[error("empty id")]
    EmptyId {
        /// Field path.
        field: String,
    },
    /// The same id appears twice.
    #[error("duplicate id {id:?}")]
    DuplicateId {
        /// Field path of the second occurrence.
        field: String,
        /// The id.
        id: String,
    },
    /// A reference to a warehouse that is not in the input.
    #[error("unknown warehouse {id:?}")]
    UnknownWarehouse {
        /// Field path.
        field: String,
        /// The id.
        id: String,
    },
    /// A reference to an order line or shipment line that does not exist.
    #[error("unknown line {id:?}")]
    UnknownLine {
        /// Field path.
        field: String,
        /// The id.
        id: String,
    },
    /// A setting outside its allowed range.
    #[error("invalid setting: {rule}")]
    InvalidSetting {
        /// Field path.
        field: String,
        /// The rule it broke.
        rule: String,
    },
    /// The command is not allowed in the shipment's current status.
    #[error("cannot {command} a shipment that is {from:?}")]
    IllegalTransition {
        /// Field path (`command`).
        field: String,
        /// Current status.
        from: ShipmentStatus,
        /// The command's name.
        command: String,
    },
    /// Packed contents do not match the quantities to ship.
    #[error("line {line_id}: packed {packed}, to ship {expected}")]
    PackingMismatch {
        /// Field path.
        field: String,
        /// Line.
        line_id: String,
        /// Quantity packed.
        packed: Decimal,
        /// Quantity to ship.
        expected: Decimal,
    },
    /// A field required in this situation is missing.
    #[error("missing {field}: {rule}")]
    MissingField {
        /// Field path.
        field: String,
        /// Why it is needed.
        rule: String,
    },
    /// Arithmetic left the decimal range.
    #[error("arithmetic overflow")]
    Overflow {
        /// Field path.
        field: String,
    },
    /// A stock or reservation error.
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    /// The order refused the change (see [`orders`]).
    #[error(transparent)]
    Order(#[from] crate::order::OrderError),
}

impl ErrorCode for FulfilmentError {
    fn code(&self) -> &'static str {
        match self {
            Self::EmptyOrder { .. } => "EMPTY_ORDER",
            Self::TooManyLines { .. } => "TOO_MANY_LINES",
            Self::InvalidQuantity { .. } => "INVALID_QUANTITY",
            Self::EmptyId { .. } => "EMPTY_ID",
            Self::DuplicateId { .. } => "DUPLICATE_ID",
            Self::UnknownWarehouse { .. } => "UNKNOWN_WAREHOUSE",
            Self::UnknownLine { .. } => "UNKNOWN_LINE",
            Self::InvalidSetting { .. } => "INVALID_SETTING",
            Self::IllegalTransition { .. } => "ILLEGAL_TRANSITION",
            Self::PackingMismatch { .. } => "PACKING_MISMATCH",
            Self::MissingField { .. } => "MISSING_FIELD",
            Self::Overflow { .. } => "OVERFLOW",
            Self::Inventory(e) => e.code(),
            Self::Order(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::EmptyOrder { field }
            | Self::TooManyLines { field, .. }
            | Self::InvalidQuantity { field, .. }
            | Self::EmptyId { field }
            | Self::DuplicateId { field, .. }
            | Self::UnknownWarehouse { field, .. }
            | Self::UnknownLine { field, .. }
            | Self::InvalidSetting { field, .. }
            | Self::IllegalTransition { field, .. }
            | Self::PackingMismatch { field, .. }
            | Self::MissingField { field, .. }
            | Self::Overflow { field } => Some(field),
            Self::Inventory(e) => e.field(),
            Self::Order(e) => e.field(),
        }
    }
}

/// A dispatched line as shown in a buyer notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchedLine {
    /// Order line.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Description (as on the documents).
    pub description: String,
    /// Quantity in base units.
    pub quantity: Decimal,
    /// The base unit's UQC, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Batches and their quantities, when picked by batch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<DispatchedBatch>,
}

/// A batch of a dispatched line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchedBatch {
    /// Batch id.
    pub batch_id: String,
    /// Quantity in base units.
    pub quantity: Decimal,
    /// Expiry date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<chrono::NaiveDate>,
}

/// A quantity taken off a shipment (QC failure, cancellation) that goes
/// back to allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnedQuantity {
    /// Order line.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Batch it was taken from.
    pub batch_id: String,
    /// Quantity.
    pub quantity: Decimal,
}

pub(crate) fn bad_qty(field: &str, value: Decimal, rule: &str) -> FulfilmentError {
    FulfilmentError::InvalidQuantity {
        field: field.to_owned(),
        value: value.to_string(),
        rule: rule.to_owned(),
    }
}

pub(crate) fn check_qty(q: Decimal, positive: bool, field: &str) -> Result<(), FulfilmentError> {
    crate::inventory::check_quantity(q, positive, field).map_err(|e| match e {
        InventoryError::InvalidQuantity { field, value, rule } => {
            FulfilmentError::InvalidQuantity { field, value, rule }
        }
        other => FulfilmentError::Inventory(other),
    })
}

pub(crate) fn check_id(id: &str, field: &str) -> Result<(), FulfilmentError> {
    if id.is_empty() {
        Err(FulfilmentError::EmptyId {
            field: field.to_owned(),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
