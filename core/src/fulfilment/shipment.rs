//! Shipments: picking, QC, packing, dispatch, delivery; documents and
//! e-way bill data. A [`Shipment`] is a plain value; [`Shipment::apply`]
//! returns the next value and its events, or an error leaving it valid.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rustc_hash::FxHashSet;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    check_id, check_qty, AllocationPlan, BatchPick, DomainEvent, EventPayload, FulfilmentError,
    ReturnedQuantity,
};
use crate::error::{index, path};
use crate::inventory::{Address, ReservationLedger, ReservationRequest, Warehouse};
use crate::money::RoundingMode;

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

impl ShipmentLineInfo {
    /// The commercial data of an order line: its name, HSN, locked GST
    /// rate and locked price per base unit (`unit_price / unit_factor`,
    /// not rounded, so a shipment of whole ordered units is worth exactly
    /// what the invoice bills). `uqc` and the weight come from the
    /// product master.
    pub fn from_order_item(
        item: &crate::order::OrderItem,
        uqc: Option<String>,
        weight_per_unit_kg: Decimal,
    ) -> Self {
        Self {
            line_id: item.line_id.clone(),
            description: item.name.clone(),
            hsn: Some(item.hsn.clone()),
            uqc,
            unit_value: item
                .unit_price
                .checked_div(item.base_factor())
                .unwrap_or(item.unit_price),
            gst_rate_percent: item.gst_rate,
            weight_per_unit_kg,
            packaging_instructions: Vec::new(),
        }
    }
}

/// Builds one planned shipment per warehouse of the plan.
pub fn create_shipments(input: &CreateShipments) -> Result<Vec<Shipment>, FulfilmentError> {
    let plan = &input.plan;
    if let Some(ids) = &input.shipment_ids {
        if ids.len() != plan.shipments.len() {
            return Err(FulfilmentError::InvalidSetting {
                field: "shipment_ids".to_owned(),
                rule: format!("one id per plan shipment ({})", plan.shipments.len()),
            });
        }
        let mut seen = FxHashSet::default();
        for (i, id) in ids.iter().enumerate() {
            check_id(id, &index("shipment_ids", i))?;
            if !seen.insert(id.as_str()) {
                return Err(FulfilmentError::DuplicateId {
                    field: index("shipment_ids", i),
                    id: id.clone(),
                });
            }
        }
    }
    if input.order_discount_rate < Decimal::ZERO || input.order_discount_rate > Decimal::ONE {
        return Err(super::bad_qty(
            "order_discount_rate",
            input.order_discount_rate,
            "between 0 and 1",
        ));
    }
    for (i, l) in input.lines.iter().enumerate() {
        let at = index("lines", i);
        check_id(&l.line_id, &path(&at, "line_id"))?;
        if l.unit_value < Decimal::ZERO {
            return Err(super::bad_qty(
                &path(&at, "unit_value"),
                l.unit_value,
                "must not be negative",
            ));
        }
        if l.gst_rate_percent < Decimal::ZERO || l.gst_rate_percent > Decimal::ONE_HUNDRED {
            return Err(super::bad_qty(
                &path(&at, "gst_rate_percent"),
                l.gst_rate_percent,
                "between 0 and 100",
            ));
        }
        check_qty(
            l.weight_per_unit_kg,
            false,
            &path(&at, "weight_per_unit_kg"),
        )?;
    }
    let mut out = Vec::with_capacity(plan.shipments.len());
    for (si, ps) in plan.shipments.iter().enumerate() {
        let at = index("plan.shipments", si);
        let w = input
            .warehouses
            .iter()
            .find(|w| w.id == ps.warehouse_id)
            .ok_or_else(|| FulfilmentError::UnknownWarehouse {
                field: path(&at, "warehouse_id"),
                id: ps.warehouse_id.clone(),
            })?;
        let mut lines = Vec::with_capacity(ps.lines.len());
        for (li, pl) in ps.lines.iter().enumerate() {
            let info = input
                .lines
                .iter()
                .find(|x| x.line_id == pl.line_id)
                .ok_or_else(|| FulfilmentError::UnknownLine {
                    field: path(&index(&path(&at, "lines"), li), "line_id"),
                    id: pl.line_id.clone(),
                })?;
            lines.push(ShipmentLine {
                line_id: pl.line_id.clone(),
                sku: pl.sku.clone(),
                quantity: pl.quantity,
                batches: pl.batches.clone(),
                info: info.clone(),
                qc: None,
            });
        }
        let id = match &input.shipment_ids {
            Some(ids) => ids.get(si).cloned().unwrap_or_default(),
            None => format!("{}-{}", plan.order_id, ps.warehouse_id),
        };
        out.push(Shipment {
            id,
            order_id: plan.order_id.clone(),
            warehouse_id: ps.warehouse_id.clone(),
            purpose: input.purpose,
            status: ShipmentStatus::Planned,
            from: Party {
                name: w.name.clone(),
                address: w.address.clone(),
            },
            to: input.ship_to.clone(),
            lines,
            packaging_instructions: input.packaging_instructions.clone(),
            packages: Vec::new(),
            dispatch: None,
            tracking: Vec::new(),
            history: Vec::new(),
            closing_reason: None,
            distance_km: ps.distance_m.map(|m| {
                u32::try_from(m.saturating_add(500) / 1000)
                    .unwrap_or(u32::MAX)
                    .max(1)
            }),
            last_sequence: 0,
            order_discount_rate: input.order_discount_rate,
        });
    }
    Ok(out)
}

impl Shipment {
    /// The picking list: one entry per line and batch, sorted by bin (then
    /// sku, batch, line) for one walk through the warehouse.
    pub fn picking_list(&self) -> Vec<PickEntry> {
        let mut out: Vec<PickEntry> = self
            .lines
            .iter()
            .flat_map(|l| {
                l.batches.iter().map(move |b| PickEntry {
                    bin: b.bin.clone(),
                    sku: l.sku.clone(),
                    batch_id: b.batch_id.clone(),
                    line_id: l.line_id.clone(),
                    quantity: b.quantity,
                })
            })
            .filter(|e| e.quantity > Decimal::ZERO)
            .collect();
        out.sort_by(|a, b| {
            let bin = match (&a.bin, &b.bin) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            bin.then_with(|| a.sku.cmp(&b.sku))
                .then_with(|| a.batch_id.cmp(&b.batch_id))
                .then_with(|| a.line_id.cmp(&b.line_id))
        });
        out
    }

    /// Reservations this shipment holds (what dispatch consumes).
    pub fn reservation_requests(&self) -> Vec<ReservationRequest> {
        self.lines
            .iter()
            .flat_map(|l| {
                l.batches
                    .iter()
                    .filter(|b| b.quantity > Decimal::ZERO)
                    .map(move |b| ReservationRequest {
                        line_id: l.line_id.clone(),
                        warehouse_id: self.warehouse_id.clone(),
                        sku: l.sku.clone(),
                        batch_id: b.batch_id.clone(),
                        quantity: b.quantity,
                    })
            })
            .collect()
    }

    /// Total gross weight of the packages (or of the lines before packing).
    pub fn weight_kg(&self) -> Decimal {
        if self.packages.is_empty() {
            self.lines
                .iter()
                .filter_map(|l| l.quantity.checked_mul(l.info.weight_per_unit_kg))
                .fold(Decimal::ZERO, |a, x| a.checked_add(x).unwrap_or(a))
        } else {
            self.packages.iter().fold(Decimal::ZERO, |a, p| {
                a.checked_add(p.weight_kg).unwrap_or(a)
            })
        }
    }

    /// Applies `command`: the new value and its events, or an error (the
    /// current value stays valid).
    pub fn apply(&self, command: &ShipmentCommand) -> Result<ShipmentTransition, FulfilmentError> {
        use ShipmentStatus as S;
        let illegal = || FulfilmentError::IllegalTransition {
            field: "command".to_owned(),
            from: self.status,
            command: command.name().to_owned(),
        };
        let mut next = self.clone();
        let mut consume = Vec::new();
        let mut release = Vec::new();
        let mut quarantine = Vec::new();
        let mut returned = Vec::new();
        let (at, payload, new_status) = match command {
            ShipmentCommand::ConfirmPicked { at } => {
                if self.status != S::Planned {
                    return Err(illegal());
                }
                (
                    *at,
                    EventPayload::ShipmentPicked {
                        order_id: self.order_id.clone(),
                    },
                    Some(S::Picked),
                )
            }
            ShipmentCommand::RecordQc { at, results } => {
                if self.status != S::Picked {
                    return Err(illegal());
                }
                for (i, r) in results.iter().enumerate() {
                    let rat = index("command.results", i);
                    check_qty(r.failed_quantity, false, &path(&rat, "failed_quantity"))?;
                    let li = next
                        .lines
                        .iter()
                        .position(|l| l.line_id == r.line_id)
                        .ok_or_else(|| FulfilmentError::UnknownLine {
                            field: path(&rat, "line_id"),
                            id: r.line_id.clone(),
                        })?;
                    let Some(line) = next.lines.get_mut(li) else {
                        continue;
                    };
                    let bi = match &r.batch_id {
                        Some(b) => line
                            .batches
                            .iter()
                            .position(|x| &x.batch_id == b)
                            .ok_or_else(|| FulfilmentError::UnknownLine {
                                field: path(&rat, "batch_id"),
                                id: b.clone(),
                            })?,
                        None if line.batches.len() == 1 => 0,
                        None if r.failed_quantity.is_zero() => 0,
                        None => {
                            return Err(FulfilmentError::MissingField {
                                field: path(&rat, "batch_id"),
                                rule: "the line has several batches".to_owned(),
                            })
                        }
                    };
                    let qc = line.qc.get_or_insert(QcOutcome {
                        passed: Decimal::ZERO,
                        failed: Decimal::ZERO,
                        notes: Vec::new(),
                    });
                    if let Some(n) = &r.note {
                        qc.notes.push(n.clone());
                    }
                    if r.failed_quantity.is_zero() {
                        qc.passed = line.quantity;
                        continue;
                    }
                    let Some(batch) = line.batches.get_mut(bi) else {
                        continue;
                    };
                    if r.failed_quantity > batch.quantity {
                        return Err(super::bad_qty(
                            &path(&rat, "failed_quantity"),
                            r.failed_quantity,
                            &format!("more than the {} picked from the batch", batch.quantity),
                        ));
                    }
                    batch.quantity -= r.failed_quantity;
                    let batch_id = batch.batch_id.clone();
                    line.quantity -= r.failed_quantity;
                    qc.failed += r.failed_quantity;
                    qc.passed = line.quantity;
                    quarantine.push(ReservationRequest {
                        line_id: line.line_id.clone(),
                        warehouse_id: self.warehouse_id.clone(),
                        sku: line.sku.clone(),
                        batch_id: batch_id.clone(),
                        quantity: r.failed_quantity,
                    });
                    returned.push(ReturnedQuantity {
                        line_id: line.line_id.clone(),
                        sku: line.sku.clone(),
                        batch_id,
                        quantity: r.failed_quantity,
                    });
                }
                for l in &mut next.lines {
                    l.batches.retain(|b| b.quantity > Decimal::ZERO);
                }
                (
                    *at,
                    EventPayload::QcRecorded {
                        order_id: self.order_id.clone(),
                        returned: returned.clone(),
                    },
                    None,
                )
            }
            ShipmentCommand::Pack { at, packages } => {
                if self.status != S::Picked {
                    return Err(illegal());
                }
                next.packages = self.pack(packages)?;
                (
                    *at,
                    EventPayload::ShipmentPacked {
                        order_id: self.order_id.clone(),
                        packages: packages.len(),
                    },
                    Some(S::Packed),
                )
            }
            ShipmentCommand::Dispatch {
                at,
                carrier,
                tracking_number,
                vehicle_number,
                transporter_id,
                transport_mode,
                distance_km,
            } => {
                if self.status != S::Packed {
                    return Err(illegal());
                }
                check_id(carrier, "command.carrier")?;
                check_id(tracking_number, "command.tracking_number")?;
                next.dispatch = Some(DispatchInfo {
                    carrier: carrier.clone(),
                    tracking_number: tracking_number.clone(),
                    vehicle_number: vehicle_number.clone(),
                    transporter_id: transporter_id.clone(),
                    transport_mode: *transport_mode,
                    distance_km: distance_km.or(self.distance_km),
                    dispatched_at: *at,
                });
                consume = self.reservation_requests();
                (
                    *at,
                    EventPayload::ShipmentDispatched {
                        order_id: self.order_id.clone(),
                        carrier: carrier.clone(),
                        tracking_number: tracking_number.clone(),
                        vehicle_number: vehicle_number.clone(),
                    },
                    Some(S::Dispatched),
                )
            }
            ShipmentCommand::CarrierStatus { update } => {
                if !matches!(self.status, S::Dispatched | S::Delivered | S::Returned) {
                    return Err(illegal());
                }
                check_id(&update.status, "command.update.status")?;
                next.tracking.push(update.clone());
                (
                    update.at,
                    EventPayload::CarrierStatusUpdated {
                        order_id: self.order_id.clone(),
                        status: update.status.clone(),
                    },
                    None,
                )
            }
            ShipmentCommand::Deliver { at } => {
                if self.status != S::Dispatched {
                    return Err(illegal());
                }
                (
                    *at,
                    EventPayload::ShipmentDelivered {
                        order_id: self.order_id.clone(),
                    },
                    Some(S::Delivered),
                )
            }
            ShipmentCommand::Return { at, reason } => {
                if !matches!(self.status, S::Dispatched | S::Delivered) {
                    return Err(illegal());
                }
                next.closing_reason = Some(reason.clone());
                (
                    *at,
                    EventPayload::ShipmentReturned {
                        order_id: self.order_id.clone(),
                        reason: reason.clone(),
                    },
                    Some(S::Returned),
                )
            }
            ShipmentCommand::Cancel { at, reason } => {
                if !matches!(self.status, S::Planned | S::Picked | S::Packed) {
                    return Err(illegal());
                }
                next.closing_reason = Some(reason.clone());
                release = self.reservation_requests();
                returned = release
                    .iter()
                    .map(|r| ReturnedQuantity {
                        line_id: r.line_id.clone(),
                        sku: r.sku.clone(),
                        batch_id: r.batch_id.clone(),
                        quantity: r.quantity,
                    })
                    .collect();
                (
                    *at,
                    EventPayload::ShipmentCancelled {
                        order_id: self.order_id.clone(),
                        reason: reason.clone(),
                    },
                    Some(S::Cancelled),
                )
            }
        };
        if let Some(s) = new_status {
            next.status = s;
            next.history.push(StatusChange { status: s, at });
        }
        next.last_sequence = self.last_sequence.saturating_add(1);
        let event = DomainEvent {
            aggregate_id: self.id.clone(),
            sequence: next.last_sequence,
            at,
            payload,
        };
        Ok(ShipmentTransition {
            shipment: next,
            events: vec![event],
            consume,
            release,
            quarantine,
            returned_to_allocation: returned,
        })
    }

    /// Applies `command` and its ledger effects (consume at dispatch,
    /// quarantine on QC failure, release on cancel). If the ledger refuses,
    /// nothing changes (each command has at most one ledger effect).
    pub fn apply_with_ledger(
        &self,
        command: &ShipmentCommand,
        ledger: &ReservationLedger,
    ) -> Result<ShipmentTransition, FulfilmentError> {
        let t = self.apply(command)?;
        if !t.consume.is_empty() {
            ledger.consume(&self.order_id, &t.consume)?;
        }
        if !t.release.is_empty() {
            ledger.release(&self.order_id, &t.release)?;
        }
        if !t.quarantine.is_empty() {
            ledger.quarantine(&self.order_id, &t.quarantine)?;
        }
        Ok(t)
    }

    fn pack(&self, specs: &[PackageSpec]) -> Result<Vec<Package>, FulfilmentError> {
        if specs.is_empty() {
            return Err(FulfilmentError::MissingField {
                field: "command.packages".to_owned(),
                rule: "at least one package".to_owned(),
            });
        }
        let mut ids = FxHashSet::default();
        let mut packed: Vec<Decimal> = vec![Decimal::ZERO; self.lines.len()];
        let mut out = Vec::with_capacity(specs.len());
        for (i, p) in specs.iter().enumerate() {
            let at = index("command.packages", i);
            check_id(&p.package_id, &path(&at, "package_id"))?;
            if !ids.insert(p.package_id.as_str()) {
                return Err(FulfilmentError::DuplicateId {
                    field: path(&at, "package_id"),
                    id: p.package_id.clone(),
                });
            }
            if let Some(w) = p.weight_kg {
                check_qty(w, true, &path(&at, "weight_kg"))?;
            }
            if let Some(d) = &p.dimensions {
                check_qty(d.length_cm, true, &path(&at, "dimensions.length_cm"))?;
                check_qty(d.width_cm, true, &path(&at, "dimensions.width_cm"))?;
                check_qty(d.height_cm, true, &path(&at, "dimensions.height_cm"))?;
            }
            let mut weight = Decimal::ZERO;
            let mut instructions: Vec<String> = self.packaging_instructions.clone();
            for (j, c) in p.contents.iter().enumerate() {
                let cat = index(&path(&at, "contents"), j);
                check_qty(c.quantity, true, &path(&cat, "quantity"))?;
                let li = self
                    .lines
                    .iter()
                    .position(|l| l.line_id == c.line_id)
                    .ok_or_else(|| FulfilmentError::UnknownLine {
                        field: path(&cat, "line_id"),
                        id: c.line_id.clone(),
                    })?;
                let overflow = || FulfilmentError::Overflow {
                    field: path(&cat, "quantity"),
                };
                if let (Some(x), Some(line)) = (packed.get_mut(li), self.lines.get(li)) {
                    *x = x.checked_add(c.quantity).ok_or_else(overflow)?;
                    weight = c
                        .quantity
                        .checked_mul(line.info.weight_per_unit_kg)
                        .and_then(|w| weight.checked_add(w))
                        .ok_or_else(overflow)?;
                    for ins in &line.info.packaging_instructions {
                        if !instructions.contains(ins) {
                            instructions.push(ins.clone());
                        }
                    }
                }
            }
            out.push(Package {
                package_id: p.package_id.clone(),
                weight_kg: p.weight_kg.unwrap_or(weight.normalize()),
                dimensions: p.dimensions.clone(),
                contents: p.contents.clone(),
                instructions,
            });
        }
        for (li, l) in self.lines.iter().enumerate() {
            let got = packed.get(li).copied().unwrap_or(Decimal::ZERO);
            if got != l.quantity {
                return Err(FulfilmentError::PackingMismatch {
                    field: "command.packages".to_owned(),
                    line_id: l.line_id.clone(),
                    packed: got,
                    expected: l.quantity,
                });
            }
        }
        Ok(out)
    }
}

/// E-way bill settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EwayBillSettings {
    /// Consignment value above which an e-way bill is required (₹50,000).
    #[serde(default = "default_threshold")]
    pub threshold: Decimal,
    /// Different thresholds some states set for moves within the state.
    #[serde(default)]
    pub intra_state_thresholds: Vec<StateThreshold>,
}

fn default_threshold() -> Decimal {
    Decimal::new(50_000, 0)
}

impl Default for EwayBillSettings {
    fn default() -> Self {
        Self {
            threshold: default_threshold(),
            intra_state_thresholds: Vec::new(),
        }
    }
}

/// An intra-state threshold override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateThreshold {
    /// State code.
    pub state_code: String,
    /// Threshold for moves within that state.
    pub threshold: Decimal,
}

/// A goods line of the e-way bill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EwayBillItem {
    /// HSN code.
    pub hsn: Option<String>,
    /// Description.
    pub description: String,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit quantity code.
    pub uqc: Option<String>,
    /// Taxable value (2 dp).
    pub taxable_value: Decimal,
    /// GST rate in percent.
    pub gst_rate_percent: Decimal,
    /// GST amount (2 dp).
    pub tax_amount: Decimal,
}

/// What the e-way bill needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EwayBillData {
    /// Document (shipment) id.
    pub document_id: String,
    /// Consignor GSTIN.
    pub from_gstin: Option<String>,
    /// Consignee GSTIN (`None` = unregistered).
    pub to_gstin: Option<String>,
    /// Consignor pincode.
    pub from_pincode: String,
    /// Consignee pincode.
    pub to_pincode: String,
    /// Consignor state code.
    pub from_state_code: String,
    /// Consignee state code.
    pub to_state_code: String,
    /// Why goods move.
    pub purpose: ShipmentPurpose,
    /// Goods.
    pub items: Vec<EwayBillItem>,
    /// Sum of taxable values.
    pub taxable_value: Decimal,
    /// Sum of GST.
    pub tax_amount: Decimal,
    /// Consignment value (taxable + GST).
    pub total_value: Decimal,
    /// Transport mode.
    pub transport_mode: Option<TransportMode>,
    /// Distance in km.
    pub distance_km: Option<u32>,
    /// Vehicle number.
    pub vehicle_number: Option<String>,
    /// Transporter id.
    pub transporter_id: Option<String>,
}

/// Whether an e-way bill is required, and its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EwayBillAssessment {
    /// Required (value strictly above the threshold).
    pub required: bool,
    /// The consignment value compared.
    pub consignment_value: Decimal,
    /// The threshold applied.
    pub threshold: Decimal,
    /// Readable reason.
    pub reason: String,
    /// Fields still missing to file it (e.g. `vehicle_number`).
    pub missing: Vec<String>,
    /// The data.
    pub data: EwayBillData,
}

/// Per shipment line: its share of the order discount, in rupees. As the
/// invoice of the shipment computes it: the discount is the order's rate
/// of the goods lines' value (each line's quantity × unit value, to
/// paise), rounded to paise half to even, spread over those lines in
/// proportion to their value. Zero for service lines and without a rate.
fn discount_shares(shipment: &Shipment) -> Result<Vec<Decimal>, FulfilmentError> {
    let n = shipment.lines.len();
    let rate = shipment.order_discount_rate;
    if rate.is_zero() {
        return Ok(vec![Decimal::ZERO; n]);
    }
    let mut gross = Vec::with_capacity(n);
    for (i, l) in shipment.lines.iter().enumerate() {
        let service = l.info.hsn.as_deref().is_some_and(is_service_code);
        let g = if service || l.quantity.is_zero() {
            Decimal::ZERO
        } else {
            RoundingMode::HalfUp.round_to_scale(
                l.quantity.checked_mul(l.info.unit_value).ok_or_else(|| {
                    FulfilmentError::Overflow {
                        field: path(&index("lines", i), "info.unit_value"),
                    }
                })?,
                2,
            )
        };
        gross.push(g);
    }
    let total = gross
        .iter()
        .try_fold(Decimal::ZERO, |a, g| a.checked_add(*g))
        .and_then(|t| t.checked_mul(rate))
        .ok_or_else(|| FulfilmentError::Overflow {
            field: "order_discount_rate".to_owned(),
        })?
        .round_dp(2);
    Ok(crate::invoice::spread_discount(total, &gross))
}

/// An HSN of chapter 99 is a services accounting code (SAC), not goods.
fn is_service_code(hsn: &str) -> bool {
    hsn.trim().starts_with("99")
}

/// E-way bill requirement and data of a shipment. Lines whose HSN is a
/// service code (chapter 99, SAC) are left out of the items, the value and
/// the requirement: e-way bills cover the movement of goods (CGST Rules,
/// r. 138), so a services-only shipment needs none and its reason says so.
pub fn eway_bill(
    shipment: &Shipment,
    settings: &EwayBillSettings,
) -> Result<EwayBillAssessment, FulfilmentError> {
    if settings.threshold < Decimal::ZERO {
        return Err(super::bad_qty(
            "settings.threshold",
            settings.threshold,
            "must not be negative",
        ));
    }
    let r2 = |d: Decimal| RoundingMode::HalfUp.round_to_scale(d, 2);
    let overflow = |i: usize| FulfilmentError::Overflow {
        field: path(&index("lines", i), "info.unit_value"),
    };
    let mut items = Vec::with_capacity(shipment.lines.len());
    let (mut taxable, mut tax) = (Decimal::ZERO, Decimal::ZERO);
    let mut services = 0usize;
    let shares = discount_shares(shipment)?;
    let same_state = shipment.from.address.state_code == shipment.to.address.state_code;
    for (i, l) in shipment.lines.iter().enumerate() {
        if l.quantity.is_zero() {
            continue;
        }
        if l.info.hsn.as_deref().is_some_and(is_service_code) {
            // E-way bills cover the movement of goods: a service (SAC,
            // chapter 99) is neither an item nor part of the value.
            services += 1;
            continue;
        }
        let share = shares.get(i).copied().unwrap_or(Decimal::ZERO);
        let tv = r2(l
            .quantity
            .checked_mul(l.info.unit_value)
            .ok_or_else(|| overflow(i))?)
            - share;
        // Within a state CGST and SGST are each half the rate, each
        // rounded to paise (as the invoice computes them).
        let ta = if same_state {
            let half = r2(tv
                .checked_mul(l.info.gst_rate_percent)
                .and_then(|x| x.checked_div(Decimal::from(200)))
                .ok_or_else(|| overflow(i))?);
            half.checked_add(half).ok_or_else(|| overflow(i))?
        } else {
            r2(tv
                .checked_mul(l.info.gst_rate_percent)
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                .ok_or_else(|| overflow(i))?)
        };
        taxable = taxable.checked_add(tv).ok_or_else(|| overflow(i))?;
        tax = tax.checked_add(ta).ok_or_else(|| overflow(i))?;
        items.push(EwayBillItem {
            hsn: l.info.hsn.clone(),
            description: l.info.description.clone(),
            quantity: l.quantity,
            uqc: l.info.uqc.clone(),
            taxable_value: tv,
            gst_rate_percent: l.info.gst_rate_percent,
            tax_amount: ta,
        });
    }
    let total = taxable.checked_add(tax).ok_or_else(|| overflow(0))?;
    let (fa, ta) = (&shipment.from.address, &shipment.to.address);
    let intra = fa.state_code == ta.state_code;
    let threshold = if intra {
        settings
            .intra_state_thresholds
            .iter()
            .find(|t| t.state_code == fa.state_code)
            .map(|t| t.threshold)
            .unwrap_or(settings.threshold)
    } else {
        settings.threshold
    };
    let required = total > threshold;
    let d = shipment.dispatch.as_ref();
    let mut missing = Vec::new();
    if required {
        if fa.gstin.is_none() {
            missing.push("from_gstin".to_owned());
        }
        if d.is_none() {
            missing.push("transport (dispatch details)".to_owned());
        } else if d.is_some_and(|d| {
            d.transport_mode == TransportMode::Road
                && d.vehicle_number.is_none()
                && d.transporter_id.is_none()
        }) {
            missing.push("vehicle_number or transporter_id".to_owned());
        }
        if d.and_then(|d| d.distance_km)
            .or(shipment.distance_km)
            .is_none()
        {
            missing.push("distance_km".to_owned());
        }
        for (i, it) in items.iter().enumerate() {
            if it.hsn.is_none() {
                missing.push(format!("items[{i}].hsn"));
            }
        }
    }
    let reason = if services > 0 && items.is_empty() {
        format!(
            "services only ({services} line(s) with a SAC, chapter 99): an e-way bill covers the movement of goods, none is needed"
        )
    } else {
        let mut r = format!(
            "consignment value {} is {} the {} threshold {}",
            total,
            if required { "above" } else { "not above" },
            if intra { "intra-state" } else { "inter-state" },
            threshold
        );
        if services > 0 {
            r.push_str(&format!(
                "; {services} service line(s) (SAC, chapter 99) not counted: e-way bills cover goods"
            ));
        }
        r
    };
    Ok(EwayBillAssessment {
        required,
        consignment_value: total,
        threshold,
        reason,
        missing,
        data: EwayBillData {
            document_id: shipment.id.clone(),
            from_gstin: fa.gstin.clone(),
            to_gstin: ta.gstin.clone(),
            from_pincode: fa.pincode.clone(),
            to_pincode: ta.pincode.clone(),
            from_state_code: fa.state_code.clone(),
            to_state_code: ta.state_code.clone(),
            purpose: shipment.purpose,
            items,
            taxable_value: taxable,
            tax_amount: tax,
            total_value: total,
            transport_mode: d.map(|d| d.transport_mode),
            distance_km: d.and_then(|d| d.distance_km).or(shipment.distance_km),
            vehicle_number: d.and_then(|d| d.vehicle_number.clone()),
            transporter_id: d.and_then(|d| d.transporter_id.clone()),
        },
    })
}

/// A line on the packing slip or challan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentLine {
    /// Order line.
    pub line_id: String,
    /// Sku.
    pub sku: String,
    /// Description.
    pub description: String,
    /// HSN.
    pub hsn: Option<String>,
    /// Quantity.
    pub quantity: Decimal,
    /// Batches.
    pub batches: Vec<BatchPick>,
    /// Taxable value (2 dp).
    pub value: Decimal,
}

/// Packing slip data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackingSlip {
    /// Shipment id.
    pub shipment_id: String,
    /// Order id.
    pub order_id: String,
    /// Consignor.
    pub from: Party,
    /// Consignee.
    pub to: Party,
    /// Lines.
    pub lines: Vec<DocumentLine>,
    /// Packages and their contents.
    pub packages: Vec<Package>,
}

/// Delivery challan data (stock transfer, job work, other non-sale moves).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryChallan {
    /// Challan (shipment) id.
    pub challan_id: String,
    /// Why goods move.
    pub purpose: ShipmentPurpose,
    /// Consignor.
    pub from: Party,
    /// Consignee.
    pub to: Party,
    /// Lines with values.
    pub lines: Vec<DocumentLine>,
    /// Total taxable value.
    pub total_value: Decimal,
}

/// Shipping label data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingLabel {
    /// Consignor.
    pub from: Party,
    /// Consignee.
    pub to: Party,
    /// Gross weight in kg.
    pub weight_kg: Decimal,
    /// Number of packages.
    pub package_count: usize,
    /// AWB / waybill number (after dispatch).
    pub awb: Option<String>,
    /// Carrier (after dispatch).
    pub carrier: Option<String>,
}

/// Consignment note (lorry receipt) data, after dispatch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsignmentNote {
    /// Carrier.
    pub carrier: String,
    /// Tracking / consignment number.
    pub consignment_number: String,
    /// Consignor.
    pub consignor: Party,
    /// Consignee.
    pub consignee: Party,
    /// Vehicle.
    pub vehicle_number: Option<String>,
    /// Packages.
    pub package_count: usize,
    /// Gross weight in kg.
    pub weight_kg: Decimal,
    /// Declared value (taxable + GST).
    pub declared_value: Decimal,
    /// When it left.
    pub dispatched_at: DateTime<Utc>,
}

/// Every document's data for a shipment (those that apply at its status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentDocuments {
    /// Packing slip.
    pub packing_slip: PackingSlip,
    /// Delivery challan, for non-sale moves.
    pub delivery_challan: Option<DeliveryChallan>,
    /// Shipping label.
    pub shipping_label: ShippingLabel,
    /// Consignment note, once dispatched.
    pub consignment_note: Option<ConsignmentNote>,
    /// E-way bill requirement and data.
    pub eway_bill: EwayBillAssessment,
}

/// The documents' data for a shipment.
pub fn documents(
    shipment: &Shipment,
    settings: &EwayBillSettings,
) -> Result<ShipmentDocuments, FulfilmentError> {
    let eway = eway_bill(shipment, settings)?;
    let lines: Vec<DocumentLine> = shipment
        .lines
        .iter()
        .map(|l| DocumentLine {
            line_id: l.line_id.clone(),
            sku: l.sku.clone(),
            description: l.info.description.clone(),
            hsn: l.info.hsn.clone(),
            quantity: l.quantity,
            batches: l.batches.clone(),
            value: RoundingMode::HalfUp.round_to_scale(
                l.quantity
                    .checked_mul(l.info.unit_value)
                    .unwrap_or(Decimal::ZERO),
                2,
            ),
        })
        .collect();
    let challan = match shipment.purpose {
        ShipmentPurpose::Sale => None,
        p => Some(DeliveryChallan {
            challan_id: shipment.id.clone(),
            purpose: p,
            from: shipment.from.clone(),
            to: shipment.to.clone(),
            lines: lines.clone(),
            total_value: eway.data.taxable_value,
        }),
    };
    let weight = shipment.weight_kg().normalize();
    let d = shipment.dispatch.as_ref();
    Ok(ShipmentDocuments {
        packing_slip: PackingSlip {
            shipment_id: shipment.id.clone(),
            order_id: shipment.order_id.clone(),
            from: shipment.from.clone(),
            to: shipment.to.clone(),
            lines,
            packages: shipment.packages.clone(),
        },
        delivery_challan: challan,
        shipping_label: ShippingLabel {
            from: shipment.from.clone(),
            to: shipment.to.clone(),
            weight_kg: weight,
            package_count: shipment.packages.len(),
            awb: d.map(|d| d.tracking_number.clone()),
            carrier: d.map(|d| d.carrier.clone()),
        },
        consignment_note: d.map(|d| ConsignmentNote {
            carrier: d.carrier.clone(),
            consignment_number: d.tracking_number.clone(),
            consignor: shipment.from.clone(),
            consignee: shipment.to.clone(),
            vehicle_number: d.vehicle_number.clone(),
            package_count: shipment.packages.len(),
            weight_kg: weight,
            declared_value: eway.consignment_value,
            dispatched_at: d.dispatched_at,
        }),
        eway_bill: eway,
    })
}
