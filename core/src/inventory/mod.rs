//! Stock: warehouses, per-batch stock snapshots and the thread-safe
//! reservation ledger.
//!
//! The host owns the physical truth (receipts, counts, QC decisions) and
//! feeds it here as a [`StockSnapshot`] and later as [`StockUpdate`]s. The
//! [`ReservationLedger`] keeps, per warehouse × sku × batch, the quantity on
//! hand and the quantity reserved by orders, so that available = on hand −
//! reserved can never go negative, even with many threads reserving at once.
//!
//! Decisions where the spec is silent:
//! - Quantities are base-unit [`Decimal`]s with at most
//!   [`MAX_QUANTITY_SCALE`] decimal places; more is rejected as absurd
//!   precision (`INVALID_QUANTITY`).
//! - Only [`QualityStatus::Released`] stock can be reserved. Expiry is not
//!   checked by the ledger (it has no "today"); allocation filters expired
//!   and short-dated batches before it builds a plan.
//! - A stock update that makes existing reservations no longer fit (on hand
//!   dropped below reserved, or the batch left `released`) is still applied —
//!   the physical count is the truth — and the affected reservations are
//!   reported in [`StockUpdateReport::conflicts`] for the host to release and
//!   re-allocate. On hand itself may never become negative.
//! - A list of updates is applied all or nothing.
//! - The ledger uses one [`std::sync::Mutex`]: reserving a plan must check and
//!   book every line atomically, and a single lock keeps that trivially
//!   correct; the critical section is a few hash lookups per line. A poisoned
//!   lock is recovered (every mutation validates first and then writes
//!   without any fallible step, so the state is never half-written).

mod ledger;

pub use ledger::{
    hold_batch_id, Reservation, ReservationConflict, ReservationLedger, ReservationRequest,
    StockUpdate, StockUpdateReport,
};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::{index, path, ErrorCode};

/// Most decimal places a quantity may have (micro-units of the base unit).
pub const MAX_QUANTITY_SCALE: u32 = 6;

/// Quality status of a batch: only released stock is allocatable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum QualityStatus {
    /// Passed QC: can be allocated and reserved.
    #[default]
    Released,
    /// On hold or QC pending: counted but never allocated.
    OnHold,
    /// Rejected by QC: counted until written off, never allocated.
    Rejected,
}

/// One batch (lot) of a sku in a warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StockBatch {
    /// Batch or lot id, unique per warehouse and sku.
    pub batch_id: String,
    /// Quantity on hand in the sku's base unit.
    pub on_hand: Decimal,
    /// Quantity already reserved (filled by [`ReservationLedger::snapshot`];
    /// hosts that keep their own reservations put them here).
    #[serde(default)]
    pub reserved: Decimal,
    /// Manufacturing date, for FIFO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfg_date: Option<NaiveDate>,
    /// Last usable day, for FEFO; `None` for stock that does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
    /// Bin or location code, for the picking walk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    /// Quality status; only `released` allocates.
    #[serde(default)]
    pub quality: QualityStatus,
}

impl StockBatch {
    /// Available = on hand − reserved, never below zero; zero unless released.
    pub fn available(&self) -> Decimal {
        if self.quality != QualityStatus::Released {
            return Decimal::ZERO;
        }
        let avail = self
            .on_hand
            .checked_sub(self.reserved)
            .unwrap_or(Decimal::ZERO);
        avail.max(Decimal::ZERO)
    }
}

/// The batches of one sku in one warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StockItem {
    /// Warehouse id.
    pub warehouse_id: String,
    /// Sku.
    pub sku: String,
    /// Its batches.
    pub batches: Vec<StockBatch>,
}

/// Stock per warehouse, sku and batch, as the host knows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StockSnapshot {
    /// One entry per warehouse and sku.
    pub items: Vec<StockItem>,
}

/// A point on earth in decimal degrees (WGS84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

impl GeoPoint {
    /// Great-circle distance in whole metres (haversine, mean earth radius
    /// 6,371,008.8 m), rounded so results are stable across platforms.
    pub fn distance_m(&self, other: &GeoPoint) -> u64 {
        const R: f64 = 6_371_008.8;
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = la2 - la1;
        let dlon = (other.lon - self.lon).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        let d = 2.0 * R * h.sqrt().min(1.0).asin();
        if d.is_finite() && d >= 0.0 {
            // Bounded by half the earth's circumference: the cast cannot overflow.
            d.round() as u64
        } else {
            0
        }
    }

    /// Checks the ranges; `field` names the point in errors.
    pub fn validate(&self, field: &str) -> Result<(), InventoryError> {
        let ok = self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon);
        if ok {
            Ok(())
        } else {
            Err(InventoryError::InvalidCoordinates {
                field: field.to_owned(),
                lat: self.lat,
                lon: self.lon,
            })
        }
    }
}

/// A postal address with what routing and e-way bills need.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ShipmentAddress")]
pub struct Address {
    /// Street lines, free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// GST state code (two digits, e.g. `27` for Maharashtra) or the host's code.
    pub state_code: String,
    /// PIN code.
    pub pincode: String,
    /// GSTIN registered at this address, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
}

/// Shipping cost from a warehouse to a destination state or zone.
///
/// The most specific rate wins: a `state_code` match, then a `zone` match,
/// then a rate with neither (the default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingRate {
    /// Destination state code this rate applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_code: Option<String>,
    /// Destination zone this rate applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Fixed cost per shipment.
    pub fixed: Decimal,
    /// Cost per kg of the shipment's weight.
    #[serde(default)]
    pub per_kg: Decimal,
    /// Lead time in days for this destination, overriding the warehouse's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_days: Option<u32>,
}

/// A warehouse (stock location) that can ship orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warehouse {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Address, with state code and pincode.
    pub address: Address,
    /// Location for distance-based routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// Inactive warehouses are never candidates.
    #[serde(default = "default_true")]
    pub active: bool,
    /// Lower number = preferred.
    #[serde(default)]
    pub priority: u32,
    /// Capabilities or tags, e.g. `export`, `cold`.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Shipping costs per destination state or zone.
    #[serde(default)]
    pub shipping_rates: Vec<ShippingRate>,
    /// Default lead time in days.
    #[serde(default)]
    pub lead_time_days: u32,
}

fn default_true() -> bool {
    true
}

impl Warehouse {
    /// The rate for a destination: state match, then zone match, then default.
    pub fn rate_for(&self, state_code: &str, zone: Option<&str>) -> Option<&ShippingRate> {
        let by_state = self
            .shipping_rates
            .iter()
            .find(|r| r.state_code.as_deref() == Some(state_code));
        let by_zone = || {
            zone.and_then(|z| {
                self.shipping_rates
                    .iter()
                    .find(|r| r.state_code.is_none() && r.zone.as_deref() == Some(z))
            })
        };
        let default = || {
            self.shipping_rates
                .iter()
                .find(|r| r.state_code.is_none() && r.zone.is_none())
        };
        by_state.or_else(by_zone).or_else(default)
    }

    /// Whether the warehouse has every capability listed.
    pub fn has_all(&self, caps: &[String]) -> bool {
        caps.iter()
            .all(|c| self.capabilities.iter().any(|h| h == c))
    }
}

/// A line of a plan that no longer fits the stock when reserving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shortfall {
    /// Index of the request in the list given.
    pub index: usize,
    /// Order line.
    pub line_id: String,
    /// Warehouse.
    pub warehouse_id: String,
    /// Sku.
    pub sku: String,
    /// Batch.
    pub batch_id: String,
    /// Quantity requested on the batch (summed over every request for the
    /// same batch; each of those requests gets its own shortfall).
    pub requested: Decimal,
    /// Quantity available now.
    pub available: Decimal,
}

/// Errors of stock and reservations.
#[derive(Debug, Clone, PartialEq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum InventoryError {
    /// A quantity is not positive, negative where it must not be, or too precise.
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
    /// The same id appears twice where it must be unique.
    #[error("duplicate id {id:?}")]
    DuplicateId {
        /// Field path of the second occurrence.
        field: String,
        /// The id.
        id: String,
    },
    /// A warehouse / sku / batch the ledger does not know.
    #[error("unknown stock {stock}")]
    UnknownStock {
        /// Field path.
        field: String,
        /// `warehouse/sku/batch`.
        stock: String,
    },
    /// An update would make on hand negative.
    #[error("on hand of {stock} would become {result}")]
    NegativeStock {
        /// Field path.
        field: String,
        /// `warehouse/sku/batch`.
        stock: String,
        /// The resulting quantity.
        result: Decimal,
    },
    /// Stock moved since the plan: these requests no longer fit. Nothing was reserved.
    #[error("insufficient stock for {} reservation(s)", shortfalls.len())]
    InsufficientStock {
        /// Field path of the first request that does not fit.
        field: String,
        /// Every request that does not fit.
        shortfalls: Vec<Shortfall>,
    },
    /// Release or consume of more than is reserved for that order line and batch.
    #[error("line {line_id} holds {held} of {stock}, not {requested}")]
    NotReserved {
        /// Field path.
        field: String,
        /// Line.
        line_id: String,
        /// `warehouse/sku/batch`.
        stock: String,
        /// Quantity held.
        held: Decimal,
        /// Quantity asked for.
        requested: Decimal,
    },
    /// Latitude or longitude out of range or not finite.
    #[error("invalid coordinates ({lat}, {lon})")]
    InvalidCoordinates {
        /// Field path.
        field: String,
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// A quantity sum left the decimal range.
    #[error("arithmetic overflow")]
    Overflow {
        /// Field path.
        field: String,
    },
}

impl ErrorCode for InventoryError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidQuantity { .. } => "INVALID_QUANTITY",
            Self::EmptyId { .. } => "EMPTY_ID",
            Self::DuplicateId { .. } => "DUPLICATE_ID",
            Self::UnknownStock { .. } => "UNKNOWN_STOCK",
            Self::NegativeStock { .. } => "NEGATIVE_STOCK",
            Self::InsufficientStock { .. } => "INSUFFICIENT_STOCK",
            Self::NotReserved { .. } => "NOT_RESERVED",
            Self::InvalidCoordinates { .. } => "INVALID_COORDINATES",
            Self::Overflow { .. } => "OVERFLOW",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidQuantity { field, .. }
            | Self::EmptyId { field }
            | Self::DuplicateId { field, .. }
            | Self::UnknownStock { field, .. }
            | Self::NegativeStock { field, .. }
            | Self::InsufficientStock { field, .. }
            | Self::NotReserved { field, .. }
            | Self::InvalidCoordinates { field, .. }
            | Self::Overflow { field } => Some(field),
        }
    }
}

impl InventoryError {
    /// The same error with `prefix` put in front of its field path.
    pub fn under(mut self, prefix: &str) -> Self {
        let f = match &mut self {
            Self::InvalidQuantity { field, .. }
            | Self::EmptyId { field }
            | Self::DuplicateId { field, .. }
            | Self::UnknownStock { field, .. }
            | Self::NegativeStock { field, .. }
            | Self::InsufficientStock { field, .. }
            | Self::NotReserved { field, .. }
            | Self::InvalidCoordinates { field, .. }
            | Self::Overflow { field } => field,
        };
        *f = path(prefix, f);
        self
    }
}

/// `warehouse/sku/batch`, the key quoted in errors.
pub fn stock_key(warehouse_id: &str, sku: &str, batch_id: &str) -> String {
    format!("{warehouse_id}/{sku}/{batch_id}")
}

/// The rule a quantity breaks, if any: `positive` requires > 0, else ≥ 0;
/// at most [`MAX_QUANTITY_SCALE`] decimal places. Allocation-free.
pub fn quantity_rule(q: Decimal, positive: bool) -> Option<&'static str> {
    // Sign checks without a full decimal comparison (this is on hot paths).
    let negative = q.is_sign_negative() && !q.is_zero();
    if positive && (negative || q.is_zero()) {
        Some("must be greater than zero")
    } else if !positive && negative {
        Some("must not be negative")
    } else if q.scale() > MAX_QUANTITY_SCALE && q.normalize().scale() > MAX_QUANTITY_SCALE {
        Some("at most 6 decimal places")
    } else {
        None
    }
}

/// Checks a quantity (see [`quantity_rule`]); `field` names it in errors.
pub fn check_quantity(q: Decimal, positive: bool, field: &str) -> Result<(), InventoryError> {
    match quantity_rule(q, positive) {
        None => Ok(()),
        Some(rule) => Err(InventoryError::InvalidQuantity {
            field: field.to_owned(),
            value: q.to_string(),
            rule: rule.to_owned(),
        }),
    }
}

/// Checks an id is not empty.
pub fn check_id(id: &str, field: &str) -> Result<(), InventoryError> {
    if id.is_empty() {
        Err(InventoryError::EmptyId {
            field: field.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Validates a snapshot: ids present, no duplicate (warehouse, sku) or batch,
/// quantities non-negative and not absurdly precise. Field paths are only
/// built on failure (this runs on every allocation).
pub fn validate_snapshot(snapshot: &StockSnapshot, field: &str) -> Result<(), InventoryError> {
    validate_snapshot_with(snapshot, field, true)
}

/// [`validate_snapshot`], optionally leaving the (warehouse, sku) uniqueness
/// check to a caller that indexes the items anyway.
pub(crate) fn validate_snapshot_with(
    snapshot: &StockSnapshot,
    field: &str,
    unique_items: bool,
) -> Result<(), InventoryError> {
    let item_at = |i: usize| index(&path(field, "items"), i);
    let batch_at = |i: usize, j: usize| index(&path(&item_at(i), "batches"), j);
    let mut seen = rustc_hash::FxHashSet::default();
    for (i, item) in snapshot.items.iter().enumerate() {
        if item.warehouse_id.is_empty() {
            return Err(InventoryError::EmptyId {
                field: path(&item_at(i), "warehouse_id"),
            });
        }
        if item.sku.is_empty() {
            return Err(InventoryError::EmptyId {
                field: path(&item_at(i), "sku"),
            });
        }
        if unique_items && !seen.insert((item.warehouse_id.as_str(), item.sku.as_str())) {
            return Err(InventoryError::DuplicateId {
                field: path(&item_at(i), "sku"),
                id: format!("{}/{}", item.warehouse_id, item.sku),
            });
        }
        let mut batch_ids = rustc_hash::FxHashSet::default();
        for (j, b) in item.batches.iter().enumerate() {
            if b.batch_id.is_empty() {
                return Err(InventoryError::EmptyId {
                    field: path(&batch_at(i, j), "batch_id"),
                });
            }
            let dup = if item.batches.len() <= 16 {
                item.batches
                    .get(..j)
                    .is_some_and(|prev| prev.iter().any(|p| p.batch_id == b.batch_id))
            } else {
                !batch_ids.insert(b.batch_id.as_str())
            };
            if dup {
                return Err(InventoryError::DuplicateId {
                    field: path(&batch_at(i, j), "batch_id"),
                    id: b.batch_id.clone(),
                });
            }
            if quantity_rule(b.on_hand, false).is_some() {
                check_quantity(b.on_hand, false, &path(&batch_at(i, j), "on_hand"))?;
            }
            if quantity_rule(b.reserved, false).is_some() {
                check_quantity(b.reserved, false, &path(&batch_at(i, j), "reserved"))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
