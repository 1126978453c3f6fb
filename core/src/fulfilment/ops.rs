//! One function per CLI operation, serde in and out, so a CLI (or a
//! binding) wires `allocate`, `ship`, `shipment-transition` and
//! `shipment-documents` with JSON in a few lines:
//!
//! ```
//! # fn run(json: &str) -> Result<String, Box<dyn std::error::Error>> {
//! let input: b2b_oms::fulfilment::AllocationInput = serde_json::from_str(json)?;
//! let out = b2b_oms::fulfilment::ops::allocate(input)?;
//! Ok(serde_json::to_string_pretty(&out)?)
//! # }
//! ```

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::order::Order;

use super::{
    create_shipments, documents as shipment_documents, AllocationInput, AllocationOutcome,
    CreateShipments, EwayBillSettings, FulfilmentError, PickEntry, Shipment, ShipmentCommand,
    ShipmentDocuments, ShipmentLineInfo, ShipmentTransition,
};

/// `allocate`: an order, warehouses, stock, rules, strategy → plan + event.
pub fn allocate(input: AllocationInput) -> Result<AllocationOutcome, FulfilmentError> {
    super::allocate(&input)
}

/// Input of [`ship`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShipInput {
    /// Plan, consignee, commercial data and ids.
    #[serde(flatten)]
    pub shipments: CreateShipments,
    /// E-way bill settings.
    #[serde(default)]
    pub eway_bill: EwayBillSettings,
    /// The order the plan ships. When given, the commercial data of each
    /// line (`lines`) and the order discount rate are taken from the
    /// order's locked lines, so the e-way bill's values are what the
    /// invoice of the shipment bills; `lines` and `order_discount_rate`
    /// are then left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_order: Option<ShipFromOrder>,
}

/// The order a shipment is built from, with the product master's data the
/// order does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipFromOrder {
    /// The order as stored.
    pub order: Order,
    /// The unit quantity code and weight of the order's skus; a sku not
    /// listed has no UQC and no weight on the documents.
    #[serde(default)]
    pub products: Vec<ShipProduct>,
}

/// A product's shipping data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipProduct {
    /// The sku.
    pub sku: String,
    /// Unit quantity code of its base unit (e.g. `NOS`, `KGS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uqc: Option<String>,
    /// Weight per base unit in kg.
    #[serde(default)]
    pub weight_per_unit_kg: Decimal,
}

impl ShipInput {
    /// The shipments' input with the lines and the order discount rate
    /// taken from `from_order` when it is given.
    fn resolved(self) -> Result<CreateShipments, FulfilmentError> {
        let Some(from) = self.from_order else {
            return Ok(self.shipments);
        };
        let mut input = self.shipments;
        if !input.lines.is_empty() {
            return Err(FulfilmentError::InvalidSetting {
                field: "lines".to_owned(),
                rule: "give the lines or from_order, not both".to_owned(),
            });
        }
        if !input.order_discount_rate.is_zero() {
            return Err(FulfilmentError::InvalidSetting {
                field: "order_discount_rate".to_owned(),
                rule: "taken from from_order.order; leave it out".to_owned(),
            });
        }
        if input.plan.order_id != from.order.id {
            return Err(FulfilmentError::InvalidSetting {
                field: "from_order.order.id".to_owned(),
                rule: format!(
                    "the plan is of order {}, not {}",
                    input.plan.order_id, from.order.id
                ),
            });
        }
        for (i, p) in from.products.iter().enumerate() {
            let field = format!("from_order.products[{i}].sku");
            if !from.order.lines.iter().any(|l| l.sku == p.sku) {
                return Err(FulfilmentError::InvalidSetting {
                    field,
                    rule: format!("{} is not a sku of the order", p.sku),
                });
            }
            if from.products.iter().take(i).any(|q| q.sku == p.sku) {
                return Err(FulfilmentError::DuplicateId {
                    field,
                    id: p.sku.clone(),
                });
            }
        }
        input.lines = from
            .order
            .lines
            .iter()
            .map(|item| {
                let product = from.products.iter().find(|p| p.sku == item.sku);
                ShipmentLineInfo::from_order_item(
                    item,
                    product.and_then(|p| p.uqc.clone()),
                    product.map(|p| p.weight_per_unit_kg).unwrap_or_default(),
                )
            })
            .collect();
        input.order_discount_rate = from.order.order_discount_rate;
        Ok(input)
    }
}

/// A shipment with its picking list and documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentBundle {
    /// The planned shipment.
    pub shipment: Shipment,
    /// Its picking list, sorted by bin.
    pub picking_list: Vec<PickEntry>,
    /// Documents' data at this stage (with the e-way bill assessment).
    pub documents: ShipmentDocuments,
}

/// Output of [`ship`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipOutput {
    /// One bundle per plan shipment.
    pub shipments: Vec<ShipmentBundle>,
}

/// `ship`: a plan → planned shipments with picking lists and documents.
pub fn ship(input: ShipInput) -> Result<ShipOutput, FulfilmentError> {
    let eway_bill = input.eway_bill.clone();
    let shipments = create_shipments(&input.resolved()?)?;
    let mut out = Vec::with_capacity(shipments.len());
    for s in shipments {
        let documents = shipment_documents(&s, &eway_bill)?;
        out.push(ShipmentBundle {
            picking_list: s.picking_list(),
            shipment: s,
            documents,
        });
    }
    Ok(ShipOutput { shipments: out })
}

/// Input of [`transition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// The shipment as stored.
    pub shipment: Shipment,
    /// The command.
    pub command: ShipmentCommand,
}

/// `shipment-transition`: a shipment + command → new shipment, events and
/// the ledger effects for the host to apply.
pub fn transition(input: TransitionInput) -> Result<ShipmentTransition, FulfilmentError> {
    input.shipment.apply(&input.command)
}

/// Input of [`documents`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentsInput {
    /// The shipment.
    pub shipment: Shipment,
    /// E-way bill settings.
    #[serde(default)]
    pub eway_bill: EwayBillSettings,
}

/// `shipment-documents`: packing slip, challan, label, consignment note and
/// e-way bill data of a shipment.
pub fn documents(input: DocumentsInput) -> Result<ShipmentDocuments, FulfilmentError> {
    shipment_documents(&input.shipment, &input.eway_bill)
}
