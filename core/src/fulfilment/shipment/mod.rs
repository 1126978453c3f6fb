//! Shipments: picking, QC, packing, dispatch, delivery; documents and
//! e-way bill data. A [`Shipment`] is a plain value; [`Shipment::apply`]
//! returns the next value and its events, or an error leaving it valid.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    check_id, check_qty, AllocationPlan, BatchPick, DispatchedBatch, DispatchedLine,
    FulfilmentError, ReturnedQuantity,
};
use crate::error::{index, path};
use crate::events::DomainEvent;
use crate::inventory::{Address, ReservationLedger, ReservationRequest, Warehouse};
use crate::money::RoundingMode;

mod apply;
mod create;
mod documents;
mod eway;

pub use create::*;
pub use documents::*;
pub use eway::*;

/// Where a shipment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    /// Created from a plan; stock reserved.
    Planned,
    /// Picked from the bins.
    Picked,
    /// Packed into packages.
    Packed,
    /// Handed to the carrier; reservations consumed.
    Dispatched,
    /// Delivered (final).
    Delivered,
    /// Came back (final).
    Returned,
    /// Cancelled before dispatch (final); reservations released.
    Cancelled,
}

/// Why goods move: decides whether a delivery challan is issued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentPurpose {
    /// A sale (tax invoice travels with it).
    #[default]
    Sale,
    /// Transfer between own locations (delivery challan).
    StockTransfer,
    /// Sent for job work (delivery challan).
    JobWork,
    /// Other non-sale movement, e.g. on approval (delivery challan).
    OtherNonSale,
}

/// Transport mode, as the e-way bill names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum TransportMode {
    /// Road.
    #[default]
    Road,
    /// Rail.
    Rail,
    /// Air.
    Air,
    /// Ship.
    Ship,
}

/// A named party with an address (consignor, consignee).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ShipmentParty")]
pub struct Party {
    /// Legal or trade name.
    pub name: String,
    /// Address (with GSTIN when registered).
    pub address: Address,
}

/// Commercial data of an order line that shipments and documents need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentLineInfo {
    /// Order line id.
    pub line_id: String,
    /// Description for documents.
    pub description: String,
    /// HSN code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hsn: Option<String>,
    /// Unit quantity code (e.g. `NOS`, `KGS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uqc: Option<String>,
    /// Taxable value per base unit.
    #[serde(default)]
    pub unit_value: Decimal,
    /// GST rate in percent (IGST, or CGST + SGST together).
    #[serde(default)]
    pub gst_rate_percent: Decimal,
    /// Weight per base unit in kg.
    #[serde(default)]
    pub weight_per_unit_kg: Decimal,
    /// Packaging instructions of the product.
    #[serde(default)]
    pub packaging_instructions: Vec<String>,
}

/// QC outcome of a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QcOutcome {
    /// Quantity that passed.
    pub passed: Decimal,
    /// Quantity that failed (taken off the shipment).
    pub failed: Decimal,
    /// Notes of failures.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A line of a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentLine {
    /// Order line id.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Quantity to ship (after QC).
    pub quantity: Decimal,
    /// Batches.
    pub batches: Vec<BatchPick>,
    /// Commercial data.
    pub info: ShipmentLineInfo,
    /// QC outcome, once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qc: Option<QcOutcome>,
}

/// One stop of the picking walk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PickEntry {
    /// Bin code (`None` last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// Sku.
    pub sku: String,
    /// Batch.
    pub batch_id: String,
    /// Order line.
    pub line_id: String,
    /// Quantity to pick.
    pub quantity: Decimal,
}

/// Package dimensions in cm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    /// Length.
    pub length_cm: Decimal,
    /// Width.
    pub width_cm: Decimal,
    /// Height.
    pub height_cm: Decimal,
}

/// A quantity of a line in a package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageContent {
    /// Order line.
    pub line_id: String,
    /// Quantity.
    pub quantity: Decimal,
}

/// A package as the packer reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    /// Package id (host-given, e.g. the SSCC).
    pub package_id: String,
    /// Weighed gross weight; computed from contents when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<Decimal>,
    /// Dimensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    /// Contents.
    pub contents: Vec<PackageContent>,
}

/// A packed package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Package id.
    pub package_id: String,
    /// Gross weight in kg.
    pub weight_kg: Decimal,
    /// Dimensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    /// Contents.
    pub contents: Vec<PackageContent>,
    /// Packaging instructions that apply (customer's, then products').
    pub instructions: Vec<String>,
}

/// Dispatch details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchInfo {
    /// Carrier name.
    pub carrier: String,
    /// Tracking / AWB / waybill number given by the carrier.
    pub tracking_number: String,
    /// Vehicle number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_number: Option<String>,
    /// Transporter id (GSTIN or TRANSIN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_id: Option<String>,
    /// Transport mode.
    #[serde(default)]
    pub transport_mode: TransportMode,
    /// Approximate distance in km, for the e-way bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<u32>,
    /// When it left.
    pub dispatched_at: DateTime<Utc>,
}

/// A status the carrier reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierUpdate {
    /// When.
    pub at: DateTime<Utc>,
    /// Carrier's status text or code.
    pub status: String,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A status change, for the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// New status.
    pub status: ShipmentStatus,
    /// When.
    pub at: DateTime<Utc>,
}

/// A shipment from one warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    /// Shipment id.
    pub id: String,
    /// Order id.
    pub order_id: String,
    /// The order's customer (from the plan), for buyer-facing events.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub customer_id: String,
    /// Warehouse shipping.
    pub warehouse_id: String,
    /// Why goods move.
    pub purpose: ShipmentPurpose,
    /// Current status.
    pub status: ShipmentStatus,
    /// Consignor (the warehouse).
    pub from: Party,
    /// Consignee.
    pub to: Party,
    /// Lines.
    pub lines: Vec<ShipmentLine>,
    /// Customer packaging instructions.
    #[serde(default)]
    pub packaging_instructions: Vec<String>,
    /// Packages, once packed.
    #[serde(default)]
    pub packages: Vec<Package>,
    /// Dispatch details, once dispatched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch: Option<DispatchInfo>,
    /// Carrier status history.
    #[serde(default)]
    pub tracking: Vec<CarrierUpdate>,
    /// Status changes.
    #[serde(default)]
    pub history: Vec<StatusChange>,
    /// Reason given when returned or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_reason: Option<String>,
    /// Distance from the warehouse to the ship-to in km, from the plan
    /// (haversine, rounded, at least 1); the e-way bill's default when
    /// dispatch gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<u32>,
    /// Sequence number of the last event of this shipment (0 = none yet).
    #[serde(default)]
    pub last_sequence: u64,
    /// The order's discount as a rate of its lines' value (locked on the
    /// order): the e-way bill's values are after this share, as the
    /// invoice's are.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub order_discount_rate: Decimal,
}

/// A QC result for a line (and batch, required when the line has several).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QcResult {
    /// Order line.
    pub line_id: String,
    /// Batch the failed quantity comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<String>,
    /// Quantity that failed (0 = passed).
    #[serde(default)]
    pub failed_quantity: Decimal,
    /// Note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A command to a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ShipmentCommand {
    /// planned → picked.
    ConfirmPicked {
        /// When.
        at: DateTime<Utc>,
    },
    /// Record QC (while picked); failed quantities go back to allocation.
    RecordQc {
        /// When.
        at: DateTime<Utc>,
        /// Results per line.
        results: Vec<QcResult>,
    },
    /// picked → packed.
    Pack {
        /// When.
        at: DateTime<Utc>,
        /// Packages.
        packages: Vec<PackageSpec>,
    },
    /// packed → dispatched; consumes reservations.
    Dispatch {
        /// When.
        at: DateTime<Utc>,
        /// Carrier.
        carrier: String,
        /// Tracking / AWB number.
        tracking_number: String,
        /// Vehicle number.
        #[serde(default)]
        vehicle_number: Option<String>,
        /// Transporter id.
        #[serde(default)]
        transporter_id: Option<String>,
        /// Mode.
        #[serde(default)]
        transport_mode: TransportMode,
        /// Distance in km.
        #[serde(default)]
        distance_km: Option<u32>,
    },
    /// A carrier status update (dispatched, delivered or returned).
    CarrierStatus {
        /// The update.
        update: CarrierUpdate,
    },
    /// dispatched → delivered.
    Deliver {
        /// When.
        at: DateTime<Utc>,
    },
    /// dispatched or delivered → returned.
    Return {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
    /// planned, picked or packed → cancelled; releases reservations.
    Cancel {
        /// When.
        at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
}

impl ShipmentCommand {
    fn name(&self) -> &'static str {
        match self {
            Self::ConfirmPicked { .. } => "confirm_picked",
            Self::RecordQc { .. } => "record_qc",
            Self::Pack { .. } => "pack",
            Self::Dispatch { .. } => "dispatch",
            Self::CarrierStatus { .. } => "carrier_status",
            Self::Deliver { .. } => "deliver",
            Self::Return { .. } => "return",
            Self::Cancel { .. } => "cancel",
        }
    }
}

/// The result of a transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentTransition {
    /// The shipment after the command.
    pub shipment: Shipment,
    /// Events, numbered after the shipment's last.
    pub events: Vec<DomainEvent>,
    /// Reservations to consume in the ledger (dispatch).
    pub consume: Vec<ReservationRequest>,
    /// Reservations to release in the ledger (cancellation).
    pub release: Vec<ReservationRequest>,
    /// Reserved quantities that failed QC: the ledger moves them out of
    /// released stock to the batch's hold batch
    /// ([`ReservationLedger::quarantine`]) so they are not allocated again.
    #[serde(default)]
    pub quarantine: Vec<ReservationRequest>,
    /// Quantities that go back to allocation.
    pub returned_to_allocation: Vec<ReturnedQuantity>,
}

/// Input of [`create_shipments`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShipments {
    /// The plan (already reserved).
    pub plan: AllocationPlan,
    /// Warehouses (for the consignor address).
    pub warehouses: Vec<Warehouse>,
    /// Consignee.
    pub ship_to: Party,
    /// Commercial data per order line (the `ship` operation builds them
    /// from the order when given `from_order`).
    #[serde(default)]
    pub lines: Vec<ShipmentLineInfo>,
    /// Why goods move.
    #[serde(default)]
    pub purpose: ShipmentPurpose,
    /// Shipment ids, one per plan shipment in order; default `{order}-{warehouse}`.
    #[serde(default)]
    pub shipment_ids: Option<Vec<String>>,
    /// Customer packaging instructions.
    #[serde(default)]
    pub packaging_instructions: Vec<String>,
    /// The order's discount rate (`Order::order_discount_rate`, 0 to 1):
    /// the e-way bill's taxable values are after the order discount's
    /// share, computed as the invoice of the shipment computes it.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub order_discount_rate: Decimal,
}
