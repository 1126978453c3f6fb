//! Phases 2 and 3 of invoice computation: the GST regime and the
//! document's currency (exchange rate to INR, decimals).

use super::*;

/// Phase 2: the GST regime (heads, place of supply, zero rating, reverse
/// charge, bill of supply), with regime errors' fields mapped onto the
/// invoice input; then the e-commerce operator's GSTIN. Guarantees a
/// decided regime whose warnings still carry the regime's field names
/// (mapped at assembly).
pub(super) fn regime(input: &InvoiceInput) -> Result<RegimeDecision, InvoiceError> {
    let all_services = input.lines.iter().all(|l| l.hsn.trim().starts_with("99"));
    let regime_input = RegimeInput {
        date: input.date,
        supplier_registration: input.supplier_registration,
        supplier_gstin: input.seller.gstin.clone(),
        supplier_state: non_empty(&input.seller.address.state_code),
        recipient_gstin: input.buyer.gstin.clone(),
        recipient_state: non_empty(&input.buyer.address.state_code),
        recipient_category: input.recipient_category,
        supply_kind: if all_services {
            SupplyKind::Services
        } else {
            SupplyKind::Goods
        },
        ship_to_state: input
            .ship_to
            .as_ref()
            .and_then(|p| non_empty(&p.address.state_code)),
        bill_to_ship_to: input.bill_to_ship_to,
        place_of_supply: input.place_of_supply.clone(),
        zero_rated_mode: input.zero_rated_mode,
        reverse_charge: input.reverse_charge,
        leaves_india: input
            .export
            .as_ref()
            .is_some_and(|e| e.port_code.is_some() || e.shipping_bill_no.is_some()),
    };
    let regime = determine_regime(&regime_input).map_err(|e| {
        let f = e.field().map(regime_field).unwrap_or_default();
        InvoiceError::Tax(e.at(&f))
    })?;
    if let Some(g) = &input.ecommerce_gstin {
        crate::tax::validate_gstin(g, Some(input.date))
            .map_err(|e| InvoiceError::Tax(e.at("ecommerce_gstin")))?;
    }
    Ok(regime)
}

/// The document's currency: the exchange rate to INR and how many decimals
/// an amount in it may have.
pub(super) struct Fx {
    pub(super) currencies: Currencies,
    /// INR per unit of the document's currency (1 for INR).
    pub(super) xr: Decimal,
    /// Decimals allowed in an amount of the document's currency.
    pub(super) amount_dp: u32,
}

impl Fx {
    /// An amount of the document's currency in INR (unrounded).
    pub(super) fn to_inr(&self, v: Decimal) -> Decimal {
        if self.xr == Decimal::ONE {
            v
        } else {
            v * self.xr
        }
    }
}

/// Whether the regime decided an export (EXPWP or EXPWOP): an overseas
/// buyer whose goods stay in India is not one.
pub(super) fn is_export(regime: &RegimeDecision) -> bool {
    matches!(regime.supply_type, SupplyType::Expwp | SupplyType::Expwop)
}

/// Phase 3: currency. An export needs export details (a known currency, a
/// positive exchange rate within range, 1 for INR, an ISO country); an
/// overseas buyer whose goods are delivered in India may give them (they
/// are checked, and convert the amounts to INR, but the document is no
/// export); anyone else must not give them. Guarantees the lines phase an
/// exchange rate and the decimals its amounts may carry.
pub(super) fn currency(input: &InvoiceInput, regime: &RegimeDecision) -> Result<Fx, InvoiceError> {
    let currencies = Currencies::iso();
    let overseas = input.recipient_category == RecipientCategory::Overseas;
    let (xr, amount_dp) = match (&input.export, overseas) {
        (Some(ex), true) => {
            let cur = currencies.get_at(&ex.currency, "export.currency")?;
            if ex.exchange_rate <= Decimal::ZERO {
                return Err(invalid(
                    "export.exchange_rate",
                    ex.exchange_rate,
                    "must be greater than zero",
                ));
            }
            check_range(
                ex.exchange_rate,
                || "export.exchange_rate".to_owned(),
                XR_MAX,
                6,
            )?;
            if cur.code == "INR" && ex.exchange_rate != Decimal::ONE {
                return Err(invalid(
                    "export.exchange_rate",
                    ex.exchange_rate,
                    "must be 1 for an invoice in INR",
                ));
            }
            if ex.country_code.len() != 2
                || !ex.country_code.bytes().all(|b| b.is_ascii_uppercase())
            {
                return Err(invalid(
                    "export.country_code",
                    &ex.country_code,
                    "ISO 3166 alpha-2, two upper-case letters",
                ));
            }
            (ex.exchange_rate, cur.minor_units.max(2))
        }
        (None, true) if is_export(regime) => {
            return Err(missing(
                "export",
                "an export invoice needs currency, exchange rate and destination country",
            ))
        }
        (Some(_), false) => {
            return Err(InvoiceError::Unsupported {
                field: "export".to_owned(),
                reason: "export details are only for an overseas buyer".to_owned(),
            })
        }
        (None, _) => (Decimal::ONE, 2),
    };
    Ok(Fx {
        currencies,
        xr,
        amount_dp,
    })
}
