//! Inputs and outputs of allocation.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::routing::RoutingRules;
use crate::events::DomainEvent;
use crate::inventory::{
    GeoPoint, InventoryError, ReservationLedger, ReservationRequest, StockSnapshot, Warehouse,
};

/// Where the order ships to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// State code (GST state code, e.g. `27`).
    pub state_code: String,
    /// PIN code.
    pub pincode: String,
    /// Delivery zone in the host's shipping tables, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Coordinates, for the `nearest` strategy and distance costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
}

/// How the customer accepts shipments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ShippingPreferences")]
pub struct DeliveryPreferences {
    /// Ship only when complete: one warehouse holding every line in full,
    /// else nothing is allocated (everything backordered).
    #[serde(default)]
    pub ship_complete: bool,
    /// Several shipments (from several warehouses) allowed. When false the
    /// order gets one warehouse; what it lacks is backordered.
    #[serde(default = "yes")]
    pub allow_partial_shipments: bool,
}

fn yes() -> bool {
    true
}

impl Default for DeliveryPreferences {
    fn default() -> Self {
        Self {
            ship_complete: false,
            allow_partial_shipments: true,
        }
    }
}

/// An open order line to allocate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationLine {
    /// Order line id, unique in the order.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Open quantity in base units, greater than zero.
    pub quantity: Decimal,
    /// Category path from root, e.g. `["chemicals", "solvents"]`.
    #[serde(default)]
    pub category_path: Vec<String>,
    /// Weight of one base unit in kg, for shipment weights and per-kg costs.
    #[serde(default)]
    pub weight_per_unit_kg: Decimal,
    /// Capabilities a warehouse needs to ship this line (e.g. `cold`).
    #[serde(default)]
    pub required_capabilities: Vec<String>,
    /// Minimum remaining shelf life in days required by the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_remaining_shelf_life_days: Option<u32>,
}

/// What an order module hands to allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    /// Order id.
    pub order_id: String,
    /// Customer id.
    pub customer_id: String,
    /// Customer segment, for routing rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Ship-to.
    pub destination: Destination,
    /// Delivery preferences.
    #[serde(default)]
    pub delivery: DeliveryPreferences,
    /// Open lines.
    pub lines: Vec<AllocationLine>,
    /// Order value, for routing rules by order size.
    #[serde(default)]
    pub order_value: Decimal,
    /// Capabilities every shipping warehouse needs (e.g. `export`).
    #[serde(default)]
    pub required_capabilities: Vec<String>,
    /// Minimum remaining shelf life in days required by the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_remaining_shelf_life_days: Option<u32>,
}

/// How warehouses are chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Fill from warehouses in priority order (lower number first).
    Priority,
    /// Fill in order of distance (or cost) from the ship-to.
    Nearest,
    /// Fewest warehouses, then lowest cost, then best priority, then ids.
    #[default]
    FewestShipments,
    /// One warehouse; the rest backordered (or nothing if ship complete).
    SingleWarehouse,
}

/// Tunables of allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationSettings {
    /// Up to this many candidate warehouses the fewest-shipments search is
    /// exact; beyond, greedy. Default 12, at most 20; 0 forces greedy.
    #[serde(default = "default_exact")]
    pub exact_max_candidates: usize,
    /// Most lines per order (default 10,000).
    #[serde(default = "default_max_lines")]
    pub max_lines: usize,
    /// Currency of the shipping rates (default `INR`).
    #[serde(default = "default_currency")]
    pub cost_currency: String,
}

/// Hard ceiling of [`AllocationSettings::exact_max_candidates`].
pub const EXACT_CANDIDATES_CEILING: usize = 20;

fn default_exact() -> usize {
    12
}
fn default_max_lines() -> usize {
    10_000
}
fn default_currency() -> String {
    "INR".to_owned()
}

impl Default for AllocationSettings {
    fn default() -> Self {
        Self {
            exact_max_candidates: default_exact(),
            max_lines: default_max_lines(),
            cost_currency: default_currency(),
        }
    }
}

/// Everything allocation needs, as one serde value (the CLI's `allocate` input).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    /// The order.
    pub request: AllocationRequest,
    /// Warehouses.
    pub warehouses: Vec<Warehouse>,
    /// Stock of the order's skus (available = on hand − reserved).
    pub stock: StockSnapshot,
    /// Routing rules.
    #[serde(default)]
    pub rules: RoutingRules,
    /// Strategy (default `fewest_shipments`).
    #[serde(default)]
    pub strategy: Strategy,
    /// Today, for expiry and shelf life.
    pub today: NaiveDate,
    /// Instant of the planning, for the event.
    pub planned_at: DateTime<Utc>,
    /// Sequence number to give the `allocation_planned` event (the order
    /// aggregate's next number; default 1).
    #[serde(default = "one")]
    pub event_sequence: u64,
    /// Tunables.
    #[serde(default)]
    pub settings: AllocationSettings,
}

fn one() -> u64 {
    1
}

/// A quantity from one batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchPick {
    /// Batch id.
    pub batch_id: String,
    /// Quantity.
    pub quantity: Decimal,
    /// Bin code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// Expiry date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
    /// Manufacturing date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfg_date: Option<NaiveDate>,
}

/// A line's share of a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedLine {
    /// Order line.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Quantity from this warehouse.
    pub quantity: Decimal,
    /// Batches, in picking (FEFO/FIFO) order.
    pub batches: Vec<BatchPick>,
}

/// One warehouse's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedShipment {
    /// Warehouse.
    pub warehouse_id: String,
    /// Lines.
    pub lines: Vec<PlannedLine>,
    /// Total weight in kg.
    pub weight_kg: Decimal,
    /// Estimated shipping cost (when the warehouse has a rate for the destination).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cost: Option<Decimal>,
    /// Distance to the ship-to in metres (when both have coordinates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u64>,
    /// Lead time in days.
    pub lead_time_days: u32,
}

/// A quantity that cannot be allocated now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backorder {
    /// Order line.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Quantity backordered.
    pub quantity: Decimal,
    /// Why.
    pub reason: String,
}

/// Per-line totals: allocated + backordered = ordered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineAllocation {
    /// Order line.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Quantity ordered (open).
    pub ordered: Decimal,
    /// Quantity allocated over all shipments.
    pub allocated: Decimal,
    /// Quantity backordered.
    pub backordered: Decimal,
}

/// What costs were compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// Shipping rates of every candidate.
    Cost,
    /// Haversine distance (not every candidate has a rate).
    Distance,
    /// Neither known for every candidate: priority decides ties.
    None,
}

/// How the warehouse set was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum SearchMethod {
    /// Bounded exhaustive search: proven optimal.
    Exact,
    /// Greedy set cover beyond the exact bound: not proven optimal.
    GreedyNotProvenOptimal,
    /// Filled in the strategy's fixed order (priority or nearest).
    Ordered,
    /// One warehouse chosen (ship complete, no partial shipments, or the
    /// single-warehouse strategy).
    Single,
}

/// Why a warehouse (or a warehouse for one line) was not a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// The warehouse is inactive.
    Inactive,
    /// A routing rule excluded it.
    RoutingRule,
    /// It lacks a required capability.
    MissingCapability,
    /// It has no usable stock of the order's lines.
    NoStock,
}

/// A warehouse not considered, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// Warehouse.
    pub warehouse_id: String,
    /// The line it is excluded for; `None` = the whole order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// Reason code.
    pub reason: ExclusionReason,
    /// Readable detail (rule id, capability …).
    pub detail: String,
}

/// Why a batch was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum BatchSkipReason {
    /// Past its expiry date.
    Expired,
    /// Expires before the minimum remaining shelf life.
    ShelfLife,
    /// On hold or rejected.
    NotReleased,
}

/// A batch of a candidate warehouse left out of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkippedBatch {
    /// Warehouse.
    pub warehouse_id: String,
    /// Sku.
    pub sku: String,
    /// Batch.
    pub batch_id: String,
    /// Why.
    pub reason: BatchSkipReason,
}

/// A candidate warehouse and the facts used to rank it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateInfo {
    /// Warehouse.
    pub warehouse_id: String,
    /// Configured priority.
    pub priority: u32,
    /// Preferred for the destination region.
    pub preferred: bool,
    /// Distance in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u64>,
    /// Fixed cost per shipment to the destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_cost: Option<Decimal>,
    /// Cost per kg to the destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_kg_cost: Option<Decimal>,
    /// Number of order lines it can ship at least partly.
    pub lines_stocked: usize,
    /// Number of order lines it can ship in full.
    pub lines_complete: usize,
}

/// Why the plan looks the way it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationExplanation {
    /// Strategy applied (after delivery preferences).
    pub strategy: Strategy,
    /// How the set was found.
    pub method: SearchMethod,
    /// What costs were compared.
    pub cost_basis: CostBasis,
    /// The exact search bound in force.
    pub exact_bound: usize,
    /// Candidate sets (or search nodes) examined.
    pub sets_evaluated: u64,
    /// Candidates, in ranking order.
    pub candidates: Vec<CandidateInfo>,
    /// Warehouses not considered, with reasons.
    pub exclusions: Vec<Exclusion>,
    /// Batches left out, with reasons.
    pub skipped_batches: Vec<SkippedBatch>,
    /// Warehouses chosen.
    pub chosen: Vec<String>,
    /// Why the chosen set won.
    pub reasons: Vec<String>,
    /// How ties were broken.
    pub tie_breaks: Vec<String>,
}

/// How good the plan is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Optimality {
    /// Proven optimal for the fewest-shipments objective.
    Optimal,
    /// Greedy fallback: not proven optimal.
    GreedyNotProvenOptimal,
    /// The strategy fills in a fixed order; optimality does not apply.
    NotApplicable,
}

/// The result of allocation: what ships from where, what waits, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationPlan {
    /// Order.
    pub order_id: String,
    /// The order's customer (from the request), carried to the shipments
    /// and their buyer-facing events.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub customer_id: String,
    /// Shipments, one per warehouse, by warehouse id.
    pub shipments: Vec<PlannedShipment>,
    /// Backordered quantities, in line order.
    pub backorders: Vec<Backorder>,
    /// Per-line totals, in line order.
    pub lines: Vec<LineAllocation>,
    /// Whether every line is allocated in full.
    pub fully_allocated: bool,
    /// Sum of shipment costs, when every shipment has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cost: Option<Decimal>,
    /// Currency of the costs.
    pub cost_currency: String,
    /// Optimality of the warehouse set.
    pub optimality: Optimality,
    /// Explanation.
    pub explanation: AllocationExplanation,
}

impl AllocationPlan {
    /// The reservations this plan needs, for
    /// [`crate::inventory::ReservationLedger::reserve`].
    pub fn reservation_requests(&self) -> Vec<ReservationRequest> {
        let mut out = Vec::new();
        for s in &self.shipments {
            for l in &s.lines {
                for b in &l.batches {
                    out.push(ReservationRequest {
                        line_id: l.line_id.clone(),
                        warehouse_id: s.warehouse_id.clone(),
                        sku: l.sku.clone(),
                        batch_id: b.batch_id.clone(),
                        quantity: b.quantity,
                    });
                }
            }
        }
        out
    }

    /// Reserves the whole plan in `ledger`, or nothing: if stock moved since
    /// the plan, fails with `INSUFFICIENT_STOCK` listing what no longer fits.
    pub fn reserve(&self, ledger: &ReservationLedger) -> Result<(), InventoryError> {
        let requests = self.reservation_requests();
        if requests.is_empty() {
            return Ok(());
        }
        ledger.reserve(&self.order_id, &requests)
    }
}

/// The result of [`super::allocate`]: the plan and its event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationOutcome {
    /// The plan.
    pub plan: AllocationPlan,
    /// `allocation_planned`.
    pub events: Vec<DomainEvent>,
}
