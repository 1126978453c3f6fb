//! E-way bill data and the assessment of whether a shipment needs one.

use super::*;

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

pub(super) fn default_threshold() -> Decimal {
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
pub(super) fn discount_shares(shipment: &Shipment) -> Result<Vec<Decimal>, FulfilmentError> {
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
pub(super) fn is_service_code(hsn: &str) -> bool {
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
        return Err(crate::fulfilment::bad_qty(
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
