//! Creating shipments from an allocation plan: one per plan shipment,
//! with the order lines' commercial data.

use super::*;

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
        return Err(crate::fulfilment::bad_qty(
            "order_discount_rate",
            input.order_discount_rate,
            "between 0 and 1",
        ));
    }
    for (i, l) in input.lines.iter().enumerate() {
        let at = index("lines", i);
        check_id(&l.line_id, &path(&at, "line_id"))?;
        if l.unit_value < Decimal::ZERO {
            return Err(crate::fulfilment::bad_qty(
                &path(&at, "unit_value"),
                l.unit_value,
                "must not be negative",
            ));
        }
        if l.gst_rate_percent < Decimal::ZERO || l.gst_rate_percent > Decimal::ONE_HUNDRED {
            return Err(crate::fulfilment::bad_qty(
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
            customer_id: plan.customer_id.clone(),
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
