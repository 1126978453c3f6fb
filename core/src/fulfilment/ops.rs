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

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    create_shipments, documents as shipment_documents, AllocationInput, AllocationOutcome,
    CreateShipments, EwayBillSettings, FulfilmentError, PickEntry, Shipment, ShipmentCommand,
    ShipmentDocuments, ShipmentTransition,
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
    let shipments = create_shipments(&input.shipments)?;
    let mut out = Vec::with_capacity(shipments.len());
    for s in shipments {
        let documents = shipment_documents(&s, &input.eway_bill)?;
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
