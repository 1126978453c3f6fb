//! The shipping charge: the first shipping rule whose conditions hold.

use rust_decimal::Decimal;

use super::result::ShippingCharge;
use super::text::{Plain, Price};
use super::OrderCtx;
use crate::money::MoneyError;
use crate::pricing::{PriceRequest, ShippingTariff};

impl<'a> OrderCtx<'a> {
    pub(super) fn shipping(
        &self,
        request: &PriceRequest,
        weight: Decimal,
        value: Decimal,
    ) -> Result<Option<ShippingCharge>, MoneyError> {
        let state = request
            .ship_to_state
            .clone()
            .unwrap_or_else(|| self.customer.default_ship_to().state_code.clone());
        let zones = self.book.zones_of_state.get(&state);
        let mode = self.book.def.settings.rounding;
        let minor = self.currency.minor_units;
        for r in &self.book.shipping_rules {
            let w = &r.when;
            let ok = self.order_conditions_hold(w)
                && (w.states.is_empty() || w.states.contains(&state))
                && (w.zones.is_empty()
                    || zones.is_some_and(|zs| zs.iter().any(|z| w.zones.contains(z))))
                && w.min_amount.is_none_or(|m| value >= m)
                && w.max_amount.is_none_or(|m| value <= m)
                && w.min_weight_kg.is_none_or(|m| weight >= m)
                && w.max_weight_kg.is_none_or(|m| weight <= m);
            if !ok {
                continue;
            }
            let slab = |slabs: &[crate::pricing::Slab], x: Decimal| {
                slabs.iter().rev().find(|s| s.min <= x).map(|s| s.charge)
            };
            let (amount, description) = match &r.charge {
                ShippingTariff::Flat { amount } => {
                    (Some(*amount), format!("flat {}", Price(*amount)))
                }
                ShippingTariff::WeightSlabs { slabs } => (
                    slab(slabs, weight),
                    format!("weight slab for {} kg", Plain(weight)),
                ),
                ShippingTariff::ValueSlabs { slabs } => {
                    (slab(slabs, value), format!("order value slab for {value}"))
                }
                ShippingTariff::Free => (Some(Decimal::ZERO), "free shipping".into()),
            };
            let Some(amount) = amount else { continue };
            return Ok(Some(ShippingCharge {
                rule_id: r.id.clone(),
                amount: mode.round_to_scale(amount, minor),
                sac: self.book.def.settings.shipping_sac.clone(),
                destination_state: state,
                weight_kg: weight.normalize(),
                description,
            }));
        }
        Ok(None)
    }
}
