//! A shipment's documents: packing slip, delivery challan, shipping label
//! and consignment note.

use super::*;

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
