//! The invoice of dispatched shipments, built from the order itself: its
//! locked prices, its order discount, its payment terms and the shipped
//! batches, so that no host rebuilds that mapping by hand.
//!
//! Decisions:
//! - One invoice line per shipment line; a line picked from several
//!   batches is split into one invoice line per batch (INV-01's `BchDtls`
//!   names one batch) when every batch is whole ordered units, so the split
//!   changes no amount; otherwise its first batch is named.
//! - A part is invoiced in the ordered unit when it is whole ordered units
//!   (the invoice repeats the quoted price), else in the base unit at the
//!   locked price per base unit, rounded to paise for show.
//! - The cap "never invoiced beyond shipped" reads the order's own
//!   quantities: each line's reference carries the order line's ordered,
//!   shipped and already invoiced quantities, and the invoice sums its
//!   lines per order line against them, so a shipment invoiced twice is
//!   refused.
//! - A unit price other than the order's locked one is refused unless the
//!   request gives it as an explicit override with a reason; overrides are
//!   echoed in the result so the host records them.
//! - The order discount is the order's locked rate of the lines' gross.
//! - Several shipments make a consolidated invoice; they must come from the
//!   same warehouse (one seller registration) and all be dispatched.
//! - The order's advance is apportioned over its invoices: each invoice's
//!   advance instalment is the advance times the share of the order's value
//!   invoiced once it is issued, less the same before it, each rounded to
//!   paise, so the invoices of an order add up to exactly its advance. A
//!   line's value is its amount with its GST (the advance is a share of the
//!   grand total); its part invoiced is invoiced ÷ open quantity.
//! - An invoice of the order is not dated before the order.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::terms::OrderPaymentTerms;
use super::{
    compute_invoice, Address, Batch, Invoice, InvoiceError, InvoiceInput, InvoiceSettings,
    LineInput, OrderLineRef, Party,
};
use crate::customer::Customer;
use crate::error::{index, path};
use crate::fulfilment::Shipment;
use crate::money;
use crate::order::{Order, OrderItem};
use crate::tax::{RateTable, RecipientCategory, SupplierRegistration};

/// A unit price other than the order's locked one, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InvoicePriceOverride")]
pub struct PriceOverride {
    /// The order line.
    pub line_id: String,
    /// The price per ordered unit to invoice instead.
    pub unit_price: Decimal,
    /// Why (recorded with the invoice).
    pub reason: String,
}

/// `invoice_from_order`: what the invoice of dispatched shipments needs
/// beyond the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceFromOrderInput {
    /// The order, with its shipped and invoiced quantities as they are now.
    pub order: Order,
    /// The buyer (legal name, GSTIN, billing address).
    pub customer: Customer,
    /// The seller's registration that dispatched the goods.
    pub seller: Party,
    /// The dispatched shipment, or several for a consolidated invoice.
    pub shipments: Vec<Shipment>,
    /// The invoice number.
    pub number: String,
    /// The invoice date.
    pub date: NaiveDate,
    /// The instant it is issued: its `invoice_issued` event's `at` (the
    /// invoice date at 00:00 IST when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Numbers already issued in the series (duplicates are refused).
    #[serde(default)]
    pub issued_numbers: Vec<String>,
    /// Rounding and numbering settings.
    #[serde(default)]
    pub settings: InvoiceSettings,
    /// Prices other than the order's, each with a reason.
    #[serde(default)]
    pub price_overrides: Vec<PriceOverride>,
    /// Rates; the Indian table by date when absent.
    #[serde(default)]
    pub rates: Option<RateTable>,
}

/// `invoice_from_order` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceFromOrder {
    /// The computed invoice.
    pub invoice: Invoice,
    /// The invoice input it was computed from (what an `invoice` call takes).
    pub request: InvoiceInput,
    /// The order with the invoiced quantities recorded.
    pub order: Order,
    /// The price overrides applied, to record with the invoice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub price_overrides: Vec<PriceOverride>,
}

fn invalid(field: String, value: &str, rule: &str) -> InvoiceError {
    InvoiceError::InvalidValue {
        field,
        value: value.to_owned(),
        rule: rule.to_owned(),
    }
}

/// The customer's billing address as an invoice address.
fn invoice_address(a: &crate::customer::Address) -> Address {
    Address {
        line1: a.lines.first().cloned().unwrap_or_default(),
        line2: a.lines.get(1).cloned(),
        city: a.city.clone(),
        state_code: a.state_code.clone(),
        pin: (!a.pincode.is_empty()).then(|| a.pincode.clone()),
        country: (a.country != "IN" && !a.country.is_empty()).then(|| a.country.clone()),
    }
}

/// Checks the shipments: at least one, all of this order, all dispatched,
/// all from one warehouse.
fn check_shipments(input: &InvoiceFromOrderInput) -> Result<(), InvoiceError> {
    let Some(first) = input.shipments.first() else {
        return Err(InvoiceError::MissingField {
            field: "shipments".into(),
            reason: "an invoice from the order needs at least one dispatched shipment".into(),
        });
    };
    for (i, s) in input.shipments.iter().enumerate() {
        let at = index("shipments", i);
        if s.order_id != input.order.id {
            return Err(InvoiceError::InconsistentShipments {
                field: path(&at, "order_id"),
                reason: format!(
                    "shipment {} is of order {}, not {}",
                    s.id, s.order_id, input.order.id
                ),
            });
        }
        if s.warehouse_id != first.warehouse_id {
            return Err(InvoiceError::InconsistentShipments {
                field: path(&at, "warehouse_id"),
                reason: format!(
                    "a consolidated invoice covers one warehouse's shipments: {} is from {}, {} from {}",
                    first.id, first.warehouse_id, s.id, s.warehouse_id
                ),
            });
        }
        if s.dispatch.is_none() {
            return Err(invalid(
                path(&at, "dispatch"),
                &s.id,
                "goods are invoiced once dispatched: this shipment has no dispatch",
            ));
        }
    }
    Ok(())
}

fn check_overrides(input: &InvoiceFromOrderInput) -> Result<(), InvoiceError> {
    for (i, o) in input.price_overrides.iter().enumerate() {
        let at = index("price_overrides", i);
        if !input.order.lines.iter().any(|l| l.line_id == o.line_id) {
            return Err(invalid(
                path(&at, "line_id"),
                &o.line_id,
                "no such line on the order",
            ));
        }
        if o.reason.trim().is_empty() {
            return Err(invalid(
                path(&at, "reason"),
                &o.reason,
                "a price other than the order's needs a reason",
            ));
        }
        if o.unit_price <= Decimal::ZERO {
            return Err(invalid(
                path(&at, "unit_price"),
                &o.unit_price.to_string(),
                "must be above zero",
            ));
        }
    }
    Ok(())
}

/// One invoice line to be: the order line, the base quantity, its batch.
struct Part<'a> {
    shipment: &'a Shipment,
    item: &'a OrderItem,
    base_quantity: Decimal,
    base_unit: String,
    batch: Option<Batch>,
}

fn parts<'a>(input: &'a InvoiceFromOrderInput) -> Result<Vec<Part<'a>>, InvoiceError> {
    let mut out = Vec::new();
    for (i, s) in input.shipments.iter().enumerate() {
        for (j, sl) in s.lines.iter().enumerate() {
            let at = index(&path(&index("shipments", i), "lines"), j);
            let item = input
                .order
                .lines
                .iter()
                .find(|l| l.line_id == sl.line_id)
                .ok_or_else(|| {
                    invalid(
                        path(&at, "line_id"),
                        &sl.line_id,
                        "no such line on the order",
                    )
                })?;
            let base_unit = sl.info.uqc.clone().unwrap_or_else(|| item.unit.clone());
            let factor = item.base_factor();
            let batch_of = |b: &crate::fulfilment::BatchPick| Batch {
                name: b.batch_id.clone(),
                expiry_date: b.expiry_date,
                warranty_date: None,
            };
            let whole = |q: Decimal| (q / factor).fract().is_zero();
            if sl.batches.len() > 1 && sl.batches.iter().all(|b| whole(b.quantity)) {
                for b in &sl.batches {
                    out.push(Part {
                        shipment: s,
                        item,
                        base_quantity: b.quantity,
                        base_unit: base_unit.clone(),
                        batch: Some(batch_of(b)),
                    });
                }
            } else {
                out.push(Part {
                    shipment: s,
                    item,
                    base_quantity: sl.quantity,
                    base_unit,
                    batch: sl.batches.first().map(batch_of),
                });
            }
        }
    }
    Ok(out)
}

/// The order's value invoiced, as a fraction of its value, with `extra`
/// (order-unit quantities per line) added to what each line has invoiced.
fn invoiced_fraction(order: &Order, extra: &[(String, Decimal)]) -> Result<Decimal, InvoiceError> {
    let what = "advance share";
    let mut total = Decimal::ZERO;
    let mut invoiced = Decimal::ZERO;
    for l in &order.lines {
        let open = l
            .open()
            .map_err(|e| invalid("order.lines".into(), &l.line_id, &e.to_string()))?;
        let rate = money::add(Decimal::ONE_HUNDRED, l.gst_rate, what)?;
        let value = money::div(
            money::mul(l.amount, rate, what)?,
            Decimal::ONE_HUNDRED,
            what,
        )?;
        total = money::add(total, value, what)?;
        if open <= Decimal::ZERO {
            continue;
        }
        let more = extra
            .iter()
            .filter(|(id, _)| *id == l.line_id)
            .map(|(_, q)| *q)
            .sum::<Decimal>();
        let part = money::div(money::add(l.invoiced, more, what)?, open, what)?.min(Decimal::ONE);
        invoiced = money::add(invoiced, money::mul(value, part, what)?, what)?;
    }
    if total.is_zero() {
        return Ok(Decimal::ZERO);
    }
    Ok(money::div(invoiced, total, what)?)
}

/// This invoice's share of the order's advance (see the module doc), or
/// `None` when the order asks for no advance.
fn advance_share(
    order: &Order,
    taken: &[(String, Decimal)],
) -> Result<Option<Decimal>, InvoiceError> {
    let asks = order
        .terms
        .payment_terms
        .instalments
        .iter()
        .any(|i| i.is_advance());
    if !asks || order.advance_due <= Decimal::ZERO {
        return Ok(None);
    }
    let what = "advance share";
    let share_at = |fraction: Decimal| -> Result<Decimal, InvoiceError> {
        Ok(money::RoundingMode::HalfUp
            .round_to_scale(money::mul(order.advance_due, fraction, what)?, 2))
    };
    let before = share_at(invoiced_fraction(order, &[])?)?;
    let after = share_at(invoiced_fraction(order, taken)?)?;
    Ok(Some(money::sub(after, before, what)?.max(Decimal::ZERO)))
}

/// Builds the invoice input of the shipments from the order, computes it,
/// and records the invoiced quantities on the order.
pub fn invoice_from_order(input: &InvoiceFromOrderInput) -> Result<InvoiceFromOrder, InvoiceError> {
    check_shipments(input)?;
    check_overrides(input)?;
    let order = &input.order;
    let ordered_on = order.created_at.date_naive();
    if input.date < ordered_on {
        return Err(invalid(
            "date".into(),
            &input.date.to_string(),
            &format!(
                "an invoice of order {} is not dated before the order ({ordered_on})",
                order.id
            ),
        ));
    }
    let mut lines = Vec::new();
    let mut gross = Decimal::ZERO;
    // Per order line: what this invoice has taken so far, in the order's unit.
    let mut taken: Vec<(String, Decimal)> = Vec::new();
    for part in parts(input)? {
        let item = part.item;
        let factor = item.base_factor();
        let locked = input
            .price_overrides
            .iter()
            .find(|o| o.line_id == item.line_id)
            .map_or(item.unit_price, |o| o.unit_price);
        let in_unit = part.base_quantity / factor;
        let (quantity, uqc, unit_price, unit_factor) = if in_unit.fract().is_zero() {
            (in_unit.normalize(), item.unit.clone(), locked, factor)
        } else {
            (
                part.base_quantity,
                part.base_unit.clone(),
                (locked / factor).round_dp(2),
                Decimal::ONE,
            )
        };
        // The order's quantities in this line's unit (factor of the ordered
        // unit over the invoiced one).
        let scale = factor / unit_factor;
        lines.push(LineInput {
            description: item.name.clone(),
            hsn: item.hsn.clone(),
            quantity,
            uqc,
            unit_price,
            discount: Decimal::ZERO,
            rate_class: Some(item.gst_rate_class.clone()),
            gst_rate: None,
            cess: None,
            amount: None,
            original_line: None,
            order_ref: Some(OrderLineRef {
                order_id: order.id.clone(),
                line_id: item.line_id.clone(),
                shipment_id: Some(part.shipment.id.clone()),
                ordered: item.ordered * scale,
                shipped: item.shipped * scale,
                already_invoiced: item.invoiced * scale,
            }),
            batch: part.batch,
            ext: None,
        });
        gross += (quantity * unit_price).round_dp(2);
        match taken.iter_mut().find(|(id, _)| *id == item.line_id) {
            Some((_, q)) => *q += in_unit,
            None => taken.push((item.line_id.clone(), in_unit)),
        }
    }
    let dispatched = input
        .shipments
        .iter()
        .filter_map(|s| s.dispatch.as_ref().map(|d| d.dispatched_at.date_naive()))
        .max();
    let request = InvoiceInput {
        document_type: Default::default(),
        number: input.number.clone(),
        date: input.date,
        time_of_supply: None,
        issued_at: input.issued_at,
        seller: input.seller.clone(),
        supplier_registration: SupplierRegistration::Regular,
        buyer: Party {
            legal_name: input.customer.legal_name.clone(),
            trade_name: None,
            gstin: input.customer.gstin.clone(),
            address: invoice_address(&input.customer.billing_address),
        },
        recipient_category: RecipientCategory::Regular,
        ship_to: None,
        dispatch_from: None,
        bill_to_ship_to: false,
        place_of_supply: None,
        zero_rated_mode: None,
        reverse_charge: false,
        ecommerce_gstin: None,
        export: None,
        lines,
        order_discount: (gross * order.order_discount_rate).round_dp(2),
        charges: Vec::new(),
        original: None,
        payment_terms: Vec::new(),
        order_terms: Some(OrderPaymentTerms {
            terms: order.terms.payment_terms.clone(),
            order_date: Some(order.created_at.date_naive()),
            dispatch_date: dispatched,
            delivery_date: None,
            advance_share: advance_share(order, &taken)?,
        }),
        issued_numbers: input.issued_numbers.clone(),
        eway_bill: None,
        settings: input.settings.clone(),
        ext: None,
    };
    let default;
    let rates = match &input.rates {
        Some(r) => r,
        None => {
            default = RateTable::india_default();
            &default
        }
    };
    let invoice = compute_invoice(&request, rates)?;
    let mut updated = order.clone();
    for (line_id, qty) in taken {
        if let Some(item) = updated.lines.iter().find(|l| l.line_id == line_id) {
            let next = item
                .record_invoice(qty, false)
                .map_err(|e| invalid("order.lines".into(), &line_id, &e.to_string()))?;
            updated = updated
                .update_line(next)
                .map_err(|e| invalid("order.lines".into(), &line_id, &e.to_string()))?;
        }
    }
    Ok(InvoiceFromOrder {
        invoice,
        request,
        order: updated,
        price_overrides: input.price_overrides.clone(),
    })
}
