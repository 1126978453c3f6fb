//! Direct orders placed from a priced cart.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::convert::check_po;
use super::error::OrderError;
use super::model::{
    DeliveryPreferences, Lifecycle, Order, OrderItem, OrderSettings, OrderSource, OrderTotals,
};
use crate::catalog::Catalog;
use crate::customer::Customer;
use crate::error::{index, path};
use crate::money::{self, RoundingMode};
use crate::pricing::{LineKind, PricedOrder};
use crate::quote::{GstEstimator, PlaceholderGst, QuoteError, QuoteTerms};

/// A direct order from a priced cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceOrder {
    /// Order id.
    pub order_id: String,
    /// Cart id.
    pub cart_id: String,
    /// Payment terms.
    pub terms: QuoteTerms,
    /// PO number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Taken PO numbers.
    #[serde(default)]
    pub taken_po_numbers: Vec<String>,
    /// Delivery preferences.
    #[serde(default)]
    pub delivery: DeliveryPreferences,
    /// Settings.
    #[serde(default)]
    pub settings: OrderSettings,
    /// Placeholder GST rates.
    #[serde(default)]
    pub gst_rates: PlaceholderGst,
    /// Seller's GST state code (CGST + SGST when the ship-to state equals it).
    pub supplier_state: String,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// Places a draft order from a priced cart; every line must have priced.
/// The lines carry no cost, floor or MOQ (the priced cart has none): use
/// [`place_order_with_catalog`] to have them.
pub fn place_order(
    priced: &PricedOrder,
    customer: &Customer,
    cmd: &PlaceOrder,
) -> Result<Order, OrderError> {
    if let Some(p) = priced.errors.first() {
        return Err(OrderError::InvalidField {
            field: p.field.clone(),
            rule: format!("line cannot be ordered: {}", p.message),
        });
    }
    if priced.lines.is_empty() {
        return Err(OrderError::InvalidField {
            field: "lines".into(),
            rule: "an order needs at least one line".into(),
        });
    }
    cmd.terms.payment_terms.validate()?;
    let po = check_po(cmd.po_number.as_ref(), &cmd.taken_po_numbers, &cmd.settings)?;
    let mut lines = Vec::with_capacity(priced.lines.len());
    for (i, pl) in priced.lines.iter().enumerate() {
        let at = index("lines", i);
        let rate = cmd.gst_rates.rate(&pl.gst_rate_class).ok_or_else(|| {
            OrderError::Quote(QuoteError::UnknownGstClass {
                field: path(&at, "gst_rate_class"),
                class: pl.gst_rate_class.to_string(),
            })
        })?;
        let free = matches!(pl.kind, LineKind::Free { .. });
        lines.push(OrderItem {
            line_id: pl
                .line_id
                .as_ref()
                .map_or_else(|| format!("L{}", i + 1), |id| id.to_string()),
            sku: pl.sku.to_string(),
            name: pl.name.to_string(),
            hsn: pl.hsn.to_string(),
            gst_rate_class: pl.gst_rate_class.to_string(),
            gst_rate: rate,
            free,
            unit: pl.unit.to_string(),
            unit_factor: if pl.quantity.is_zero() {
                Decimal::ONE
            } else {
                money::div(pl.base_quantity, pl.quantity, "unit factor")?
            },
            moq: None,
            list_price: pl
                .base_price
                .as_ref()
                .map_or(Decimal::ZERO, |b| b.price_per_base_unit),
            unit_price: pl.net_unit_price,
            cost: None,
            floor: None,
            overridden: false,
            amount: pl.amount,
            ordered: pl.quantity,
            allocated: Decimal::ZERO,
            shipped: Decimal::ZERO,
            invoiced: Decimal::ZERO,
            cancelled: Decimal::ZERO,
        });
    }
    let ship_to = priced
        .shipping
        .as_ref()
        .map(|s| s.destination_state.clone())
        .or_else(|| cmd.delivery.ship_to.as_ref().map(|a| a.state_code.clone()))
        .unwrap_or_else(|| customer.default_ship_to().state_code.clone());
    let mut order = Order {
        order_discount_rate: if priced.subtotal.is_zero() {
            Decimal::ZERO
        } else {
            money::div(
                priced.order_discount_total,
                priced.subtotal,
                "order discount rate",
            )?
        },
        shipping: priced.shipping.as_ref().map_or(Decimal::ZERO, |s| s.amount),
        intra_state: ship_to == cmd.supplier_state,
        id: cmd.order_id.clone(),
        customer_id: customer.id.clone(),
        segment: customer.segment.clone(),
        tags: customer.tags.clone(),
        channel: priced.channel,
        currency: priced.currency.clone(),
        source: OrderSource::Cart {
            cart_id: cmd.cart_id.clone(),
        },
        po_number: po,
        terms: cmd.terms.clone(),
        advance_due: Decimal::ZERO,
        delivery: cmd.delivery.clone(),
        lines,
        totals: OrderTotals::default(),
        lifecycle: Lifecycle::Draft,
        created_at: cmd.now,
        amendments: 0,
        settings: cmd.settings.clone(),
        rounding: RoundingMode::HalfUp,
        next_event_seq: 1,
    };
    order.recompute()?;
    Ok(order)
}

/// [`place_order`] with the catalog the cart was priced from, so the
/// order's lines carry cost, floor and MOQ: margin and floor facts can fire
/// on approval, and amendments respect the MOQ.
pub fn place_order_with_catalog(
    priced: &PricedOrder,
    catalog: &Catalog,
    customer: &Customer,
    cmd: &PlaceOrder,
) -> Result<Order, OrderError> {
    let mut order = place_order(priced, customer, cmd)?;
    // `place_order` keeps the priced lines' order: line i is priced line i.
    for (i, (l, pl)) in order.lines.iter_mut().zip(&priced.lines).enumerate() {
        let Some(p) = catalog.get(&l.sku).map(|p| &p.product) else {
            continue;
        };
        l.cost = p
            .cost
            .as_ref()
            .filter(|c| c.currency == order.currency)
            .map(|c| c.amount);
        if !l.free {
            // The floor pricing applied (price floor or min-margin floor);
            // a line at or above it keeps the catalog's floor, the price
            // floor read in the order's currency as before.
            l.floor =
                crate::approval::line_floor(&pl.floor, Some(p), &order.currency, &order.currency)
                    .map_err(|e| e.at(&index("lines", i)))?;
            l.moq = Catalog::constraints_for(p, customer).moq;
        }
    }
    Ok(order)
}
