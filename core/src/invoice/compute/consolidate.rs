//! Consolidating shipments into one invoice input's lines.

use super::*;

/// The lines of one shipment to invoice (all its lines reference their
/// order lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentLines {
    /// Shipment id.
    pub shipment_id: String,
    /// The customer (must be the same for all shipments consolidated).
    pub customer_id: String,
    /// Place of supply state code of the shipment.
    pub place_of_supply: String,
    /// Lines, each with its `order_ref`.
    pub lines: Vec<LineInput>,
}

/// Builds the input of a part invoice (one shipment) or a consolidated
/// invoice (several shipments, of one or more orders, of one customer with
/// one place of supply). `header`'s own lines are replaced by the
/// shipments' lines, each tagged with its shipment id.
pub fn consolidate_shipments(
    header: &InvoiceInput,
    shipments: &[ShipmentLines],
) -> Result<InvoiceInput, InvoiceError> {
    let first = shipments
        .first()
        .ok_or_else(|| missing("shipments", "at least one shipment"))?;
    let mut ids: Vec<&str> = Vec::with_capacity(shipments.len());
    let mut lines = Vec::new();
    for (i, s) in shipments.iter().enumerate() {
        let f = index("shipments", i);
        let bad =
            |field: String, reason: String| InvoiceError::InconsistentShipments { field, reason };
        if s.customer_id != first.customer_id {
            return Err(bad(
                path(&f, "customer_id"),
                format!(
                    "customer {} differs from {}",
                    s.customer_id, first.customer_id
                ),
            ));
        }
        if s.place_of_supply != first.place_of_supply {
            return Err(bad(
                path(&f, "place_of_supply"),
                format!(
                    "place of supply {} differs from {} (a different tax regime)",
                    s.place_of_supply, first.place_of_supply
                ),
            ));
        }
        if ids.contains(&s.shipment_id.as_str()) {
            return Err(bad(
                path(&f, "shipment_id"),
                format!("shipment {} appears twice", s.shipment_id),
            ));
        }
        ids.push(&s.shipment_id);
        for (j, l) in s.lines.iter().enumerate() {
            let mut l = l.clone();
            let r = l.order_ref.as_mut().ok_or_else(|| {
                missing(
                    &path(&index(&path(&f, "lines"), j), "order_ref"),
                    "shipment lines reference their order line",
                )
            })?;
            r.shipment_id = Some(s.shipment_id.clone());
            lines.push(l);
        }
    }
    if let Some(pos) = &header.place_of_supply {
        if *pos != first.place_of_supply {
            return Err(InvoiceError::InconsistentShipments {
                field: "place_of_supply".to_owned(),
                reason: format!(
                    "the header's place of supply {pos} differs from the shipments' {}",
                    first.place_of_supply
                ),
            });
        }
    }
    let mut out = header.clone();
    out.place_of_supply = Some(first.place_of_supply.clone());
    out.lines = lines;
    Ok(out)
}
