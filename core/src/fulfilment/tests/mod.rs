use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use proptest::prelude::{
    any, prop_assert, prop_assert_eq, proptest, ProptestConfig, TestCaseError,
};
use proptest::strategy::Strategy as PropStrategy;

use super::Strategy;
use rust_decimal::Decimal;

use super::*;
use crate::error::ErrorCode;
use crate::events::{AggregateKind, Audience, EventPayload};
use crate::inventory::{
    Address, GeoPoint, QualityStatus, ReservationLedger, ShippingRate, StockBatch, StockItem,
    StockSnapshot, Warehouse,
};

pub(crate) fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, h, 0, 0).unwrap()
}

pub(crate) fn wh(id: &str, priority: u32, fixed: Option<i64>) -> Warehouse {
    Warehouse {
        id: id.into(),
        name: format!("Warehouse {id}"),
        address: Address {
            lines: vec![],
            city: None,
            state_code: "27".into(),
            pincode: "400001".into(),
            gstin: Some("27AAAAA0000A1Z5".into()),
        },
        location: None,
        active: true,
        priority,
        capabilities: vec![],
        shipping_rates: fixed
            .map(|f| {
                vec![ShippingRate {
                    state_code: None,
                    zone: None,
                    fixed: d(f),
                    per_kg: Decimal::ZERO,
                    lead_time_days: None,
                }]
            })
            .unwrap_or_default(),
        lead_time_days: 2,
    }
}

pub(crate) fn batch(id: &str, q: i64) -> StockBatch {
    StockBatch {
        batch_id: id.into(),
        on_hand: d(q),
        reserved: Decimal::ZERO,
        mfg_date: None,
        expiry_date: None,
        bin: None,
        quality: QualityStatus::Released,
    }
}

pub(crate) fn item(w: &str, sku: &str, batches: Vec<StockBatch>) -> StockItem {
    StockItem {
        warehouse_id: w.into(),
        sku: sku.into(),
        batches,
    }
}

pub(crate) fn line(id: &str, sku: &str, q: i64) -> AllocationLine {
    AllocationLine {
        line_id: id.into(),
        sku: sku.into(),
        quantity: d(q),
        category_path: vec![],
        weight_per_unit_kg: Decimal::ONE,
        required_capabilities: vec![],
        min_remaining_shelf_life_days: None,
    }
}

pub(crate) fn input(
    lines: Vec<AllocationLine>,
    whs: Vec<Warehouse>,
    items: Vec<StockItem>,
) -> AllocationInput {
    AllocationInput {
        request: AllocationRequest {
            order_id: "SO-1".into(),
            customer_id: "C-1".into(),
            segment: Some("distributor".into()),
            destination: Destination {
                state_code: "29".into(),
                pincode: "560001".into(),
                zone: Some("south".into()),
                location: None,
            },
            delivery: DeliveryPreferences::default(),
            lines,
            order_value: d(100_000),
            required_capabilities: vec![],
            min_remaining_shelf_life_days: None,
        },
        warehouses: whs,
        stock: StockSnapshot { items },
        rules: RoutingRules::default(),
        strategy: Strategy::FewestShipments,
        today: date("2026-03-01"),
        planned_at: at(9),
        event_sequence: 1,
        settings: AllocationSettings::default(),
    }
}

fn whs_of(plan: &AllocationPlan) -> Vec<&str> {
    plan.shipments
        .iter()
        .map(|s| s.warehouse_id.as_str())
        .collect()
}

pub(crate) fn run(i: &AllocationInput) -> AllocationPlan {
    allocate(i).unwrap().plan
}

pub(crate) fn line_info(id: &str, value: i64, rate: i64) -> ShipmentLineInfo {
    ShipmentLineInfo {
        line_id: id.into(),
        description: format!("Item {id}"),
        hsn: Some("3004".into()),
        uqc: Some("NOS".into()),
        unit_value: d(value),
        gst_rate_percent: d(rate),
        weight_per_unit_kg: Decimal::new(5, 1),
        packaging_instructions: vec!["keep dry".into()],
    }
}

mod allocate;
mod properties;
mod shared_stock;
mod shipments;
