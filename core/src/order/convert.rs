//! Conversion of an accepted quote into a draft order at its locked prices
//! (price lock), with the PO number checks shared with direct orders.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::OrderError;
use super::model::{
    minor, DeliveryPreferences, Lifecycle, Order, OrderItem, OrderSettings, OrderSource,
    OrderTotals,
};
use crate::events::DomainEvent;
use crate::money::{self, RoundingMode};
use crate::quote::{accepted_amount, Quote, SealKey};

/// Conversion of an accepted quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertQuote {
    /// New order id.
    pub order_id: String,
    /// Acceptance to convert.
    pub acceptance: u32,
    /// PO number (else the acceptance's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// PO numbers this customer already used (host-supplied).
    #[serde(default)]
    pub taken_po_numbers: Vec<String>,
    /// Delivery preferences.
    #[serde(default)]
    pub delivery: DeliveryPreferences,
    /// Settings.
    #[serde(default)]
    pub settings: OrderSettings,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// Conversion result: the order and the quote (marked converted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Converted {
    /// The order (draft).
    pub order: Order,
    /// The quote.
    pub quote: Quote,
    /// Events of both.
    pub events: Vec<DomainEvent>,
}

pub(super) fn check_po(
    po: Option<&String>,
    taken: &[String],
    settings: &OrderSettings,
) -> Result<Option<String>, OrderError> {
    let po = po.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
    match &po {
        None if settings.require_po => Err(OrderError::PoRequired {
            field: "po_number".into(),
        }),
        Some(p) if taken.iter().any(|t| t.trim().eq_ignore_ascii_case(p)) => {
            Err(OrderError::DuplicatePo {
                field: "po_number".into(),
                po: p.clone(),
            })
        }
        _ => Ok(po),
    }
}

/// Converts an acceptance of a quote into a draft order at the quote's
/// prices, tax rates and terms (price lock).
///
/// The stored revision and acceptance are verified against their digests
/// first (a changed price, quantity, term or validity fails with
/// `TAMPERED_QUOTE`); use [`convert_quote_sealed`] to check the HMAC seals
/// with the seller key too.
pub fn convert_quote(quote: &Quote, cmd: &ConvertQuote) -> Result<Converted, OrderError> {
    convert_quote_sealed(quote, cmd, None)
}

/// [`convert_quote`], verifying the seals with the seller `key` when given.
pub fn convert_quote_sealed(
    quote: &Quote,
    cmd: &ConvertQuote,
    key: Option<&SealKey>,
) -> Result<Converted, OrderError> {
    let acceptance = quote
        .acceptances
        .iter()
        .find(|a| a.number == cmd.acceptance)
        .ok_or_else(|| OrderError::InvalidField {
            field: "acceptance".into(),
            rule: "no such acceptance on the quote".into(),
        })?;
    quote.verify_acceptance(cmd.acceptance, key)?;
    let po = check_po(
        cmd.po_number.as_ref().or(acceptance.po_number.as_ref()),
        &cmd.taken_po_numbers,
        &cmd.settings,
    )?;
    let rev = quote.revision(acceptance.revision)?;
    let dp = minor(&quote.currency)?;
    let lines = locked_lines(rev, acceptance, dp, quote.rounding)?;
    let accepted = money::sum(lines.iter().map(|l| l.amount), "accepted subtotal")?;
    let event_lines = lines
        .iter()
        .map(|l| {
            let mut e = l.event_line(l.ordered);
            e.amount = l.amount;
            e
        })
        .collect();
    let (shipping, before_tax) =
        crate::quote::accepted_before_tax(rev, accepted, dp, quote.rounding)?;
    let marked = quote.mark_converted(
        cmd.acceptance,
        &cmd.order_id,
        event_lines,
        before_tax,
        cmd.now,
    )?;
    let mut order = Order {
        order_discount_rate: rev.order_discount_rate,
        shipping,
        intra_state: rev.gst.intra_state,
        id: cmd.order_id.clone(),
        customer_id: quote.customer_id.clone(),
        segment: quote.segment.clone(),
        tags: quote.tags.clone(),
        channel: quote.channel,
        currency: quote.currency.clone(),
        source: OrderSource::Quote {
            quote_id: quote.id.clone(),
            revision: acceptance.revision,
            acceptance: acceptance.number,
        },
        po_number: po,
        terms: rev.terms.clone(),
        advance_due: Decimal::ZERO,
        delivery: DeliveryPreferences {
            requested_date: cmd
                .delivery
                .requested_date
                .or(quote.requested_delivery_date),
            ..cmd.delivery.clone()
        },
        lines,
        totals: OrderTotals::default(),
        lifecycle: Lifecycle::Draft,
        created_at: cmd.now,
        amendments: 0,
        settings: cmd.settings.clone(),
        rounding: quote.rounding,
        next_event_seq: 1,
    };
    order.recompute()?;
    Ok(Converted {
        order,
        quote: marked.quote,
        events: marked.events,
    })
}

/// Conversion phase: the order lines of an acceptance at the revision's
/// locked prices, tax rates, costs and floors, each sale line followed by
/// its free goods in proportion to the accepted quantity (rounded down;
/// none when that is zero).
fn locked_lines(
    rev: &crate::quote::QuoteRevision,
    acceptance: &crate::quote::Acceptance,
    dp: u32,
    rounding: RoundingMode,
) -> Result<Vec<OrderItem>, OrderError> {
    let mut lines = Vec::new();
    for al in &acceptance.lines {
        let Some(l) = rev.lines.iter().find(|l| l.line_id == al.line_id) else {
            continue;
        };
        let amount = accepted_amount(l, al.quantity, dp, rounding)?;
        lines.push(OrderItem {
            line_id: l.line_id.clone(),
            sku: l.sku.clone(),
            name: l.name.clone(),
            hsn: l.hsn.clone(),
            gst_rate_class: l.gst_rate_class.clone(),
            gst_rate: l.gst_rate,
            free: false,
            unit: l.unit.clone(),
            unit_factor: l.unit_factor,
            moq: l.moq,
            list_price: l.list_price,
            unit_price: l.unit_price,
            cost: l.cost,
            floor: l.floor,
            overridden: l.price_override.is_some(),
            amount,
            ordered: al.quantity,
            allocated: Decimal::ZERO,
            shipped: Decimal::ZERO,
            invoiced: Decimal::ZERO,
            cancelled: Decimal::ZERO,
        });
        // Free goods follow their sale line in proportion.
        for f in rev
            .lines
            .iter()
            .filter(|f| f.free && f.linked_to.as_deref() == Some(&l.line_id))
        {
            let qty = if l.quantity.is_zero() {
                Decimal::ZERO
            } else {
                money::div(
                    money::mul(f.quantity, al.quantity, "free goods")?,
                    l.quantity,
                    "free goods",
                )?
                .floor()
            };
            if qty > Decimal::ZERO {
                lines.push(OrderItem {
                    line_id: f.line_id.clone(),
                    sku: f.sku.clone(),
                    name: f.name.clone(),
                    hsn: f.hsn.clone(),
                    gst_rate_class: f.gst_rate_class.clone(),
                    gst_rate: f.gst_rate,
                    free: true,
                    unit: f.unit.clone(),
                    unit_factor: f.unit_factor,
                    moq: None,
                    // Free goods cost nothing, written at the currency's scale.
                    list_price: Decimal::new(0, dp),
                    unit_price: Decimal::new(0, dp),
                    cost: f.cost,
                    floor: None,
                    overridden: false,
                    amount: Decimal::new(0, dp),
                    ordered: qty,
                    allocated: Decimal::ZERO,
                    shipped: Decimal::ZERO,
                    invoiced: Decimal::ZERO,
                    cancelled: Decimal::ZERO,
                });
            }
        }
    }
    Ok(lines)
}
