//! The order document: delivery preferences, settings, lines, source,
//! lifecycle and derived status, totals, and the transition results; the
//! derived status and the recomputation of line amounts and totals.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::OrderError;
use crate::approval::ApprovalInstance;
use crate::credit::BasisDates;
use crate::customer::{Address, Channel};
use crate::error::{index, path};
use crate::events::DomainEvent;
use crate::money::{self, Currencies, Money, MoneyError, RoundingMode};
use crate::quote::QuoteTerms;

/// Delivery preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct DeliveryPreferences {
    /// Requested delivery date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_date: Option<NaiveDate>,
    /// Ship only complete (no part shipments).
    pub ship_complete: bool,
    /// Ship-to address; the customer's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Address>,
    /// Preferred carrier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
}

/// Order settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct OrderSettings {
    /// A buyer PO number is required.
    pub require_po: bool,
    /// Invoicing before shipment (advance/proforma) is allowed.
    pub allow_invoice_before_shipment: bool,
}

/// A locked order line with its quantities (all in the line's unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderItem {
    /// Line id.
    pub line_id: String,
    /// The sku.
    pub sku: String,
    /// Name.
    pub name: String,
    /// HSN.
    pub hsn: String,
    /// GST rate class.
    pub gst_rate_class: String,
    /// Locked GST rate (percent).
    pub gst_rate: Decimal,
    /// Free goods.
    #[serde(default)]
    pub free: bool,
    /// Unit.
    pub unit: String,
    /// Base units per unit.
    pub unit_factor: Decimal,
    /// MOQ in base units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moq: Option<Decimal>,
    /// List price per base unit.
    pub list_price: Decimal,
    /// Locked unit price.
    pub unit_price: Decimal,
    /// Cost per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Decimal>,
    /// Floor per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Decimal>,
    /// Manually overridden price.
    #[serde(default)]
    pub overridden: bool,
    /// Amount of the ordered quantity.
    pub amount: Decimal,
    /// Ordered.
    pub ordered: Decimal,
    /// Allocated.
    #[serde(default)]
    pub allocated: Decimal,
    /// Shipped.
    #[serde(default)]
    pub shipped: Decimal,
    /// Invoiced.
    #[serde(default)]
    pub invoiced: Decimal,
    /// Cancelled.
    #[serde(default)]
    pub cancelled: Decimal,
}

/// Where the order came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderSource {
    /// An accepted quote.
    Quote {
        /// Quote id.
        quote_id: String,
        /// Revision.
        revision: u32,
        /// Acceptance number.
        acceptance: u32,
    },
    /// A cart, priced now.
    Cart {
        /// Cart id.
        cart_id: String,
    },
}

/// The lifecycle state stored on the order (the detailed status is derived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// Not yet confirmed.
    Draft,
    /// Held for credit.
    CreditHold,
    /// Confirmed.
    Confirmed,
    /// Cancelled.
    Cancelled,
    /// Closed.
    Closed,
}

/// Derived order status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Awaiting approval and confirmation.
    Draft,
    /// On credit hold.
    CreditHold,
    /// Confirmed, nothing shipped.
    Confirmed,
    /// Some shipped.
    PartiallyShipped,
    /// All shipped, none invoiced.
    Shipped,
    /// Some invoiced.
    PartiallyInvoiced,
    /// All shipped and invoiced.
    Completed,
    /// Cancelled.
    Cancelled,
    /// Closed short.
    Closed,
}

/// Order totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderTotals {
    /// Σ line amounts of open quantities.
    pub subtotal: Decimal,
    /// Order discount (the locked rate × subtotal).
    pub order_discount: Decimal,
    /// Shipping charge.
    pub shipping: Decimal,
    /// subtotal − discount + shipping.
    pub total_before_tax: Decimal,
    /// Estimated GST (locked rates).
    pub gst: Decimal,
    /// total before tax + GST.
    pub grand_total: Decimal,
}

pub(super) fn minor(currency: &str) -> Result<u32, OrderError> {
    Ok(Currencies::iso().get_at(currency, "currency")?.minor_units)
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Order id.
    pub id: String,
    /// Customer id.
    pub customer_id: String,
    /// Segment.
    pub segment: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Channel.
    pub channel: Channel,
    /// Currency.
    pub currency: String,
    /// Where it came from.
    pub source: OrderSource,
    /// Buyer PO number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Locked terms.
    pub terms: QuoteTerms,
    /// Advance due before dispatch.
    pub advance_due: Decimal,
    /// Delivery preferences.
    pub delivery: DeliveryPreferences,
    /// Lines.
    pub lines: Vec<OrderItem>,
    /// Order discount as a rate of the subtotal (locked from the quote or cart).
    #[serde(default)]
    pub order_discount_rate: Decimal,
    /// Shipping charge (locked).
    #[serde(default)]
    pub shipping: Decimal,
    /// Supplier and ship-to in the same state (CGST + SGST, else IGST).
    #[serde(default)]
    pub intra_state: bool,
    /// Totals.
    pub totals: OrderTotals,
    /// Lifecycle.
    pub lifecycle: Lifecycle,
    /// Created at.
    pub created_at: DateTime<FixedOffset>,
    /// Times amended.
    #[serde(default)]
    pub amendments: u32,
    /// Settings.
    #[serde(default)]
    pub settings: OrderSettings,
    /// Rounding.
    pub rounding: RoundingMode,
    /// Next event sequence number.
    pub next_event_seq: u64,
}

/// Order plus the events of the transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderTransition {
    /// The order.
    pub order: Order,
    /// Events.
    pub events: Vec<DomainEvent>,
}

/// An order's approval instance and its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderApproval {
    /// The instance, bound to the order's version.
    pub instance: ApprovalInstance,
    /// Its events.
    pub events: Vec<DomainEvent>,
}

impl Order {
    /// The derived status.
    pub fn status(&self) -> OrderStatus {
        match self.lifecycle {
            Lifecycle::Draft => return OrderStatus::Draft,
            Lifecycle::CreditHold => return OrderStatus::CreditHold,
            Lifecycle::Cancelled => return OrderStatus::Cancelled,
            Lifecycle::Closed => return OrderStatus::Closed,
            Lifecycle::Confirmed => {}
        }
        let open: Vec<(Decimal, &OrderItem)> = self
            .lines
            .iter()
            .map(|l| (l.ordered.saturating_sub(l.cancelled), l))
            .collect();
        if open.iter().all(|(o, _)| o.is_zero()) {
            return OrderStatus::Cancelled;
        }
        let all_shipped = open.iter().all(|(o, l)| l.shipped >= *o);
        let all_invoiced = open.iter().all(|(o, l)| l.invoiced >= *o);
        let any_shipped = open.iter().any(|(_, l)| l.shipped > Decimal::ZERO);
        let any_invoiced = open.iter().any(|(_, l)| l.invoiced > Decimal::ZERO);
        if all_shipped && all_invoiced {
            OrderStatus::Completed
        } else if all_shipped {
            if any_invoiced {
                OrderStatus::PartiallyInvoiced
            } else {
                OrderStatus::Shipped
            }
        } else if any_shipped {
            OrderStatus::PartiallyShipped
        } else if any_invoiced {
            OrderStatus::PartiallyInvoiced
        } else {
            OrderStatus::Confirmed
        }
    }

    pub(super) fn recompute(&mut self) -> Result<(), OrderError> {
        let dp = minor(&self.currency)?;
        let mode = self.rounding;
        for (i, l) in self.lines.iter_mut().enumerate() {
            let open = l.open()?;
            if open != l.ordered {
                l.amount = mode.round_to_scale(
                    money::mul(l.unit_price, open, "amount")
                        .map_err(|e| e.at(&index("lines", i)))?,
                    dp,
                );
            }
        }
        let subtotal = mode.round_to_scale(
            money::sum(self.lines.iter().map(|l| l.amount), "subtotal")?,
            dp,
        );
        let discount = mode.round_to_scale(
            money::mul(subtotal, self.order_discount_rate, "order discount")?,
            dp,
        );
        let weights: Vec<Decimal> = self.lines.iter().map(|l| l.amount).collect();
        let shares = money::allocate_proportionally(discount, &weights, dp, mode)?;
        let intra = self.intra_state;
        let tax = |taxable: Decimal, rate: Decimal| -> Result<Decimal, MoneyError> {
            let hundred = Decimal::ONE_HUNDRED;
            if intra {
                let half = money::div(rate, Decimal::TWO, "gst")?;
                let one = mode.round_to_scale(
                    money::div(money::mul(taxable, half, "gst")?, hundred, "gst")?,
                    dp,
                );
                money::add(one, one, "gst")
            } else {
                Ok(mode.round_to_scale(
                    money::div(money::mul(taxable, rate, "gst")?, hundred, "gst")?,
                    dp,
                ))
            }
        };
        let mut gst = Decimal::ZERO;
        let mut max_rate = Decimal::ZERO;
        for (l, share) in self.lines.iter().zip(shares) {
            let taxable = mode.round_to_scale(money::sub(l.amount, share, "taxable")?, dp);
            gst = money::add(gst, tax(taxable, l.gst_rate)?, "gst")?;
            max_rate = max_rate.max(l.gst_rate);
        }
        if !self.shipping.is_zero() {
            gst = money::add(gst, tax(self.shipping, max_rate)?, "gst")?;
        }
        let before = mode.round_to_scale(
            money::add(
                money::sub(subtotal, discount, "total")?,
                self.shipping,
                "total",
            )?,
            dp,
        );
        self.totals = OrderTotals {
            subtotal,
            order_discount: discount,
            shipping: self.shipping,
            total_before_tax: before,
            gst: mode.round_to_scale(gst, dp),
            grand_total: mode.round_to_scale(money::add(before, gst, "total")?, dp),
        };
        let schedule = self.terms.payment_terms.schedule(
            &Money {
                amount: self.totals.grand_total,
                currency: self.currency.clone(),
            },
            &BasisDates::default(),
        )?;
        self.advance_due = schedule.advance.amount;
        Ok(())
    }

    /// The order's version: 1, plus one per amendment.
    pub fn version(&self) -> u32 {
        self.amendments.saturating_add(1)
    }

    /// The order's total as money (for the credit check's `this_order`).
    pub fn total(&self) -> Money {
        Money {
            amount: self.totals.grand_total,
            currency: self.currency.clone(),
        }
    }

    pub(super) fn line_index(&self, id: &str, at: &str) -> Result<usize, OrderError> {
        self.lines
            .iter()
            .position(|l| l.line_id == id)
            .ok_or_else(|| OrderError::UnknownLine {
                field: path(at, "line_id"),
                line_id: id.to_owned(),
            })
    }
}
