//! The invoice of dispatched shipments, built from the order itself: its
//! locked prices, its order discount, its payment terms and the shipped
//! batches, so that no host rebuilds that mapping by hand.
//!
//! Decisions:
//! - One invoice line per shipment line and batch: INV-01's `BchDtls` names
//!   one batch per item, so a line picked from several batches becomes one
//!   invoice line per batch, each naming its own. When every batch is whole
//!   ordered units, each part is in the ordered unit at the locked price
//!   (the split changes no amount). Otherwise (e.g. ordered in BOX, picked
//!   in NOS from two batches) every part is in the base unit, and the parts'
//!   values add up exactly to the line's value in the ordered unit
//!   (quantity × locked price, rounded to paise): each part is at the locked
//!   price per base unit to 6 decimals (the invoice's price scale) when
//!   those values already add up; else each part's value is its
//!   largest-remainder share of the line's value (by quantity) and its price
//!   that value ÷ its quantity to 6 decimals. Only where no 6-decimal price
//!   gives a part its exact share (possible only above 10,000 base units) do the
//!   parts keep the common price, and the line's value may then differ from
//!   the order's by the rounding of its parts (at most a paisa each).
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

/// One invoice line to be: the order line, the base quantity, its batch,
/// and, for a part of a line split by batch in the base unit, its price
/// per base unit.
struct Part<'a> {
    shipment: &'a Shipment,
    item: &'a OrderItem,
    base_quantity: Decimal,
    base_unit: String,
    batch: Option<Batch>,
    base_price: Option<Decimal>,
}

/// The order line's price for this invoice: an explicit override's, else
/// the locked one.
fn locked_price(input: &InvoiceFromOrderInput, item: &OrderItem) -> Decimal {
    input
        .price_overrides
        .iter()
        .find(|o| o.line_id == item.line_id)
        .map_or(item.unit_price, |o| o.unit_price)
}

/// The prices per base unit of a line's parts split by batch in the base
/// unit (see the module doc): the parts' values, each rounded to paise, add
/// up to the line's value (`quantities`' sum ÷ `factor` × `locked`, rounded
/// to paise) wherever a 6-decimal price allows it.
fn batch_prices(locked: Decimal, factor: Decimal, quantities: &[Decimal]) -> Vec<Decimal> {
    let per_base = (locked / factor).round_dp(6);
    let common = vec![per_base; quantities.len()];
    let total: Decimal = quantities.iter().sum();
    let value = (total / factor * locked).round_dp(2);
    let parts_value: Decimal = quantities.iter().map(|q| (q * per_base).round_dp(2)).sum();
    if parts_value == value {
        return common;
    }
    let weights: Vec<Decimal> = quantities.iter().map(|q| q / factor * locked).collect();
    let shares = super::spread_discount(value, &weights);
    let exact: Option<Vec<Decimal>> = quantities
        .iter()
        .zip(&shares)
        .map(|(q, g)| {
            let p = g.checked_div(*q)?.round_dp(6);
            ((q * p).round_dp(2) == *g).then_some(p)
        })
        .collect();
    exact.unwrap_or(common)
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
            if sl.batches.len() > 1 {
                let quantities: Vec<Decimal> = sl.batches.iter().map(|b| b.quantity).collect();
                let prices = if quantities.iter().all(|q| whole(*q)) {
                    Vec::new()
                } else {
                    batch_prices(locked_price(input, item), factor, &quantities)
                };
                for (k, b) in sl.batches.iter().enumerate() {
                    out.push(Part {
                        shipment: s,
                        item,
                        base_quantity: b.quantity,
                        base_unit: base_unit.clone(),
                        batch: Some(batch_of(b)),
                        base_price: prices.get(k).copied(),
                    });
                }
            } else {
                out.push(Part {
                    shipment: s,
                    item,
                    base_quantity: sl.quantity,
                    base_unit,
                    batch: sl.batches.first().map(batch_of),
                    base_price: None,
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
    // Per order line: what this invoice has taken so far, in base units,
    // with the line's factor.
    let mut taken: Vec<(String, Decimal, Decimal)> = Vec::new();
    for part in parts(input)? {
        let item = part.item;
        let factor = item.base_factor();
        let locked = locked_price(input, item);
        let in_unit = part.base_quantity / factor;
        let (quantity, uqc, unit_price, unit_factor) = if let Some(p) = part.base_price {
            (part.base_quantity, part.base_unit.clone(), p, Decimal::ONE)
        } else if in_unit.fract().is_zero() {
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
        match taken.iter_mut().find(|(id, _, _)| *id == item.line_id) {
            Some((_, q, _)) => *q += part.base_quantity,
            None => taken.push((item.line_id.clone(), part.base_quantity, factor)),
        }
    }
    // In the order's unit, divided once (parts of a line split by batch in
    // the base unit add up to whole ordered units exactly).
    let taken: Vec<(String, Decimal)> = taken
        .into_iter()
        .map(|(id, base, factor)| (id, (base / factor).normalize()))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// 60 BOX of 12 (720 NOS) of one line at 1816.46 per BOX, dispatched
    /// from `batches`.
    fn input(batches: Value) -> InvoiceFromOrderInput {
        let addr = |gstin: &str, line: &str, pin: &str| json!({"city": "Bengaluru", "gstin": gstin, "lines": [line], "pincode": pin, "state_code": "29"});
        serde_json::from_value(json!({
            "order": {"id": "SO-1", "customer_id": "C-1", "segment": "distributor", "channel": "portal",
                "currency": "INR", "source": {"type": "cart", "cart_id": "CART-1"},
                "terms": {"payment_terms": {"id": "NET30", "instalments": [{"share": {"type": "percent", "percent": "100"}, "basis": "invoice_date", "days": 30}]}},
                "advance_due": "0", "delivery": {"ship_complete": false},
                "lines": [{"line_id": "1", "sku": "TEE", "name": "T-shirt", "hsn": "61091000", "gst_rate_class": "GST5",
                    "gst_rate": "5", "free": false, "unit": "BOX", "unit_factor": "12", "list_price": "1816.46",
                    "unit_price": "1816.46", "overridden": false, "amount": "108987.60", "ordered": "60",
                    "allocated": "60", "shipped": "60", "invoiced": "0", "cancelled": "0"}],
                "totals": {"subtotal": "0", "order_discount": "0", "shipping": "0", "total_before_tax": "0", "gst": "0", "grand_total": "0"},
                "lifecycle": "confirmed", "created_at": "2026-11-27T09:00:00+05:30",
                "rounding": "half_up", "next_event_seq": 2},
            "customer": {"id": "C-1", "legal_name": "Shree Ganesh Distributors", "gstin": "29AAGCB7383J1Z4",
                "segment": "distributor", "billing_address": {"city": "Bengaluru", "country": "IN",
                "lines": ["Plot 14, Peenya Industrial Area"], "pincode": "560058", "state_code": "29"}},
            "seller": {"legal_name": "Deccan Workwear & Tools Pvt Ltd", "gstin": "29AADCD4321K1ZN",
                "address": {"city": "Bengaluru", "line1": "Plot 7, Nelamangala Industrial Area", "pin": "562123", "state_code": "29"}},
            "shipments": [{"id": "SHP-1", "order_id": "SO-1", "warehouse_id": "WH-BLR", "purpose": "sale",
                "status": "dispatched",
                "from": {"name": "DC", "address": addr("29AADCD4321K1ZN", "Plot 7, Nelamangala Industrial Area", "562123")},
                "to": {"name": "Shree Ganesh Distributors", "address": addr("29AAGCB7383J1Z4", "Plot 14, Peenya Industrial Area", "560058")},
                "lines": [{"line_id": "1", "sku": "TEE", "quantity": "720", "batches": batches,
                    "info": {"line_id": "1", "description": "T-shirt", "hsn": "61091000", "uqc": "NOS",
                        "unit_value": "151.37", "gst_rate_percent": "5", "weight_per_unit_kg": "0.18"}}],
                "dispatch": {"carrier": "Safexpress", "tracking_number": "SX1", "transport_mode": "road",
                    "dispatched_at": "2026-11-27T13:00:00Z"}}],
            "number": "INV/26-27/00001",
            "date": "2026-11-27"
        }))
        .unwrap()
    }

    fn names(inv: &Invoice) -> Vec<(String, Decimal, String)> {
        inv.lines
            .iter()
            .map(|l| {
                let b = l.batch.as_ref().map(|b| b.name.clone()).unwrap_or_default();
                (b, l.quantity, l.uqc.clone())
            })
            .collect()
    }

    /// Fails before the fix: the line stayed one line of 60 BOX naming
    /// only TM-2609, so the e-invoice's `BchDtls` hid TM-2610.
    #[test]
    fn a_line_from_batches_not_whole_units_names_each_batch_and_keeps_its_value() {
        let out = invoice_from_order(&input(json!([
            {"batch_id": "TM-2609", "quantity": "400"},
            {"batch_id": "TM-2610", "quantity": "320"}
        ])))
        .unwrap();
        assert_eq!(
            names(&out.invoice),
            vec![
                ("TM-2609".to_owned(), d("400"), "NOS".to_owned()),
                ("TM-2610".to_owned(), d("320"), "NOS".to_owned()),
            ]
        );
        // 60 × 1816.46, exactly, across the two parts.
        let gross: Decimal = out.invoice.lines.iter().map(|l| l.gross).sum();
        assert_eq!(gross, d("108987.60"));
        // The order line is invoiced in full (60 BOX), not more.
        assert_eq!(out.order.lines[0].invoiced.to_string(), "60");
        // Each part is its own e-invoice item, naming its batch.
        let rates = crate::tax::RateTable::india_default();
        let e = crate::invoice::einvoice::to_einvoice(&out.invoice, &rates).unwrap();
        let batches: Vec<String> = e
            .item_list
            .iter()
            .filter_map(|i| i.bch_dtls.as_ref().map(|b| b.nm.clone()))
            .collect();
        assert_eq!(batches, ["TM-2609", "TM-2610"]);
    }

    /// Whole ordered units per batch: parts in BOX at the locked price, as
    /// before the fix.
    #[test]
    fn a_line_from_batches_of_whole_units_is_split_in_the_ordered_unit() {
        let out = invoice_from_order(&input(json!([
            {"batch_id": "A", "quantity": "480"},
            {"batch_id": "B", "quantity": "240"}
        ])))
        .unwrap();
        assert_eq!(
            names(&out.invoice),
            vec![
                ("A".to_owned(), d("40"), "BOX".to_owned()),
                ("B".to_owned(), d("20"), "BOX".to_owned()),
            ]
        );
    }

    #[test]
    fn batch_prices_add_up_to_the_line_value() {
        // The common price per base unit already adds up.
        assert_eq!(
            batch_prices(d("1816.46"), d("12"), &[d("400"), d("320")]),
            vec![d("151.371667"); 2]
        );
        // 10.01 per 3: 3.336667 × 1 + 3.336667 × 2 = 3.34 + 6.67 = 10.01,
        // the line's value: common price.
        let q = [d("1"), d("2")];
        let p = batch_prices(d("10.01"), d("3"), &q);
        let sum: Decimal = q.iter().zip(&p).map(|(q, p)| (q * p).round_dp(2)).sum();
        assert_eq!(sum, d("10.01"));
        // 1 per 3 over 1 + 1 + 1: 0.333333 each gives 0.99, not 1.00; the
        // shares 0.33, 0.33, 0.34 are priced exactly.
        let q = [d("1"), d("1"), d("1")];
        let p = batch_prices(d("1"), d("3"), &q);
        let sum: Decimal = q.iter().zip(&p).map(|(q, p)| (q * p).round_dp(2)).sum();
        assert_eq!(sum, d("1.00"));
    }
}
