//! Orders: conversion from an accepted quote (price lock) or a direct cart
//! order, PO numbers, advance and payment terms, delivery preferences,
//! per-line quantities with their invariants, derived status, and the
//! commands confirm, amend, cancel and close.
//!
//! Quantities per line: `shipped ≤ allocated ≤ ordered − cancelled` and
//! `invoiced ≤ shipped` (or `≤ ordered − cancelled` when advance/proforma
//! invoicing is allowed by setting). The status is derived from them.
//!
//! Decisions where the spec is silent:
//! - an order starts `draft` and becomes `confirmed` with an approved
//!   approval instance bound to its current version and content
//!   ([`Order::request_approval`], with the quote's instance as `previous`
//!   so unchanged conversions need no new approval; an amendment makes a new
//!   version that needs a new instance, carrying over what did not get
//!   worse) and a credit check that does not block; a blocking check puts
//!   it on credit hold (status `credit_hold`, event `CreditHold`) instead
//!   of failing;
//! - cancelling the whole order (`cancel(None)`) cancels what is not
//!   shipped; an order with shipments stays (shipped or completed), only an
//!   order with nothing shipped becomes `cancelled`;
//! - PO numbers compare trimmed and case-insensitively against the taken ones;
//! - amending is allowed while nothing is allocated; it returns the order to
//!   `draft` (to be approved and confirmed again);
//! - cancelling releases the allocated but unshipped quantity beyond what
//!   stays ordered; shipped quantities cannot be cancelled;
//! - close ends an order short (remaining quantities are no longer due);
//! - the order keeps the quote's order-discount rate, GST rates and
//!   intra/inter-state split; shipping is the quote's, prorated by value
//!   for a partial acceptance, and does not change on amend or cancel;
//! - the advance due is the advance of the payment terms' schedule of the
//!   order's grand total (with estimated GST).

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::approval::{
    compute_facts, ApprovalInstance, ApprovalPlan, ApprovalPolicy, ApprovalSubject, BuyerSide,
    FactContext, Facts, HostFacts, PolicySide, StartApproval, SubjectBinding, SubjectLine,
};
use crate::catalog::Catalog;
use crate::credit::{BasisDates, CreditCheck, CreditError, CreditSnapshot};
use crate::customer::{Address, Channel, Customer};
use crate::error::{index, path, ErrorCode};
use crate::events::{AggregateKind, DomainEvent, Emitter, EventLine, EventPayload};
use crate::money::{self, Currencies, Money, MoneyError, RoundingMode};
use crate::pricing::{LineKind, PricedOrder};
use crate::quote::{
    accepted_amount, channel_name, sha256_hex, GstEstimator, PlaceholderGst, Quote, QuoteError,
    QuoteTerms, RequestApproval, SealKey,
};

/// Errors of orders.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum OrderError {
    /// Not allowed in the order's status.
    #[error("cannot {command} an order that is {status}")]
    InvalidTransition {
        /// Field path.
        field: String,
        /// Status.
        status: String,
        /// Command.
        command: String,
    },
    /// A PO number is required.
    #[error("a purchase order number is required")]
    PoRequired {
        /// Field path.
        field: String,
    },
    /// The PO number is already used by this customer.
    #[error("PO number {po:?} is already used")]
    DuplicatePo {
        /// Field path.
        field: String,
        /// The PO.
        po: String,
    },
    /// A quantity invariant would break.
    #[error("{field}: {rule}")]
    QuantityInvariant {
        /// Field path.
        field: String,
        /// The invariant.
        rule: String,
    },
    /// Unknown line.
    #[error("no line {line_id:?} on the order")]
    UnknownLine {
        /// Field path.
        field: String,
        /// The id.
        line_id: String,
    },
    /// Below the MOQ.
    #[error("quantity {quantity} is below the MOQ of {moq}")]
    BelowMoq {
        /// Field path.
        field: String,
        /// Quantity in base units.
        quantity: Decimal,
        /// MOQ.
        moq: Decimal,
    },
    /// Amending after allocation.
    #[error("the order has allocations; it can no longer be amended")]
    AmendAfterAllocation {
        /// Field path.
        field: String,
    },
    /// Confirmation needs an approved instance for this order.
    #[error("approval required: {detail}")]
    ApprovalRequired {
        /// Field path.
        field: String,
        /// Why.
        detail: String,
    },
    /// A bad field.
    #[error("{field}: {rule}")]
    InvalidField {
        /// Field path.
        field: String,
        /// Rule.
        rule: String,
    },
    /// Quote problem during conversion.
    #[error(transparent)]
    Quote(#[from] QuoteError),
    /// Terms problem.
    #[error(transparent)]
    Credit(#[from] CreditError),
    /// Arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ErrorCode for OrderError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidTransition { .. } => "INVALID_TRANSITION",
            Self::PoRequired { .. } => "PO_REQUIRED",
            Self::DuplicatePo { .. } => "DUPLICATE_PO",
            Self::QuantityInvariant { .. } => "QUANTITY_INVARIANT",
            Self::UnknownLine { .. } => "UNKNOWN_LINE",
            Self::BelowMoq { .. } => "BELOW_MOQ",
            Self::AmendAfterAllocation { .. } => "AMEND_AFTER_ALLOCATION",
            Self::ApprovalRequired { .. } => "APPROVAL_REQUIRED",
            Self::InvalidField { .. } => "INVALID_FIELD",
            Self::Quote(e) => e.code(),
            Self::Credit(e) => e.code(),
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidTransition { field, .. }
            | Self::PoRequired { field }
            | Self::DuplicatePo { field, .. }
            | Self::QuantityInvariant { field, .. }
            | Self::UnknownLine { field, .. }
            | Self::BelowMoq { field, .. }
            | Self::AmendAfterAllocation { field }
            | Self::ApprovalRequired { field, .. }
            | Self::InvalidField { field, .. } => Some(field),
            Self::Quote(e) => e.field(),
            Self::Credit(e) => e.field(),
            Self::Money(e) => e.field(),
        }
    }
}

fn invariant(field: String, rule: &str) -> OrderError {
    OrderError::QuantityInvariant {
        field,
        rule: rule.to_owned(),
    }
}

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

impl OrderItem {
    /// Base units per ordered unit (one when the line has no factor).
    pub fn base_factor(&self) -> Decimal {
        if self.unit_factor.is_zero() {
            Decimal::ONE
        } else {
            self.unit_factor
        }
    }

    /// ordered − cancelled.
    pub fn open(&self) -> Result<Decimal, OrderError> {
        Ok(money::sub(self.ordered, self.cancelled, "open quantity")?)
    }

    fn check(&self, at: &str, invoice_before_ship: bool) -> Result<(), OrderError> {
        let open = self.open()?;
        for (name, v) in [
            ("allocated", self.allocated),
            ("shipped", self.shipped),
            ("invoiced", self.invoiced),
            ("cancelled", self.cancelled),
        ] {
            if v < Decimal::ZERO {
                return Err(invariant(path(at, name), "must not be negative"));
            }
        }
        if open < Decimal::ZERO {
            return Err(invariant(path(at, "cancelled"), "cancelled ≤ ordered"));
        }
        if self.allocated > open {
            return Err(invariant(
                path(at, "allocated"),
                "allocated ≤ ordered − cancelled",
            ));
        }
        if self.shipped > self.allocated {
            return Err(invariant(path(at, "shipped"), "shipped ≤ allocated"));
        }
        let cap = if invoice_before_ship {
            open.max(self.shipped)
        } else {
            self.shipped
        };
        if self.invoiced > cap {
            return Err(invariant(
                path(at, "invoiced"),
                if invoice_before_ship {
                    "invoiced ≤ ordered − cancelled"
                } else {
                    "invoiced ≤ shipped"
                },
            ));
        }
        Ok(())
    }

    fn with(
        &self,
        at: &str,
        f: impl FnOnce(&mut Self) -> Result<(), MoneyError>,
        allow: bool,
    ) -> Result<Self, OrderError> {
        let mut next = self.clone();
        f(&mut next).map_err(|e| e.at(at))?;
        next.check(at, allow)?;
        Ok(next)
    }

    /// Records `qty` more allocated (negative releases). Checked.
    pub fn record_allocation(&self, qty: Decimal) -> Result<Self, OrderError> {
        self.with(
            &self.line_id,
            |l| {
                l.allocated = money::add(l.allocated, qty, "allocated")?;
                Ok(())
            },
            false,
        )
    }

    /// Records `qty` more shipped. Checked.
    pub fn record_shipment(&self, qty: Decimal) -> Result<Self, OrderError> {
        if qty < Decimal::ZERO {
            return Err(invariant(
                path(&self.line_id, "shipped"),
                "a shipment is positive",
            ));
        }
        self.with(
            &self.line_id,
            |l| {
                l.shipped = money::add(l.shipped, qty, "shipped")?;
                Ok(())
            },
            false,
        )
    }

    /// Records `qty` more invoiced (negative for a credit note). Checked;
    /// `before_shipment` allows advance/proforma invoicing up to the open quantity.
    pub fn record_invoice(&self, qty: Decimal, before_shipment: bool) -> Result<Self, OrderError> {
        self.with(
            &self.line_id,
            |l| {
                l.invoiced = money::add(l.invoiced, qty, "invoiced")?;
                Ok(())
            },
            before_shipment,
        )
    }

    fn subject(&self) -> Result<SubjectLine, OrderError> {
        let net = if self.unit_factor.is_zero() {
            self.unit_price
        } else {
            money::div(self.unit_price, self.unit_factor, "net price")?
        };
        Ok(SubjectLine {
            list_price: self.list_price,
            net_price: net,
            base_quantity: money::mul(self.open()?, self.unit_factor, "base quantity")?,
            cost: self.cost,
            floor: self.floor,
            overridden: self.overridden,
        })
    }

    fn event_line(&self, quantity: Decimal) -> EventLine {
        EventLine {
            line_id: self.line_id.clone(),
            sku: self.sku.clone(),
            name: self.name.clone(),
            quantity,
            unit: self.unit.clone(),
            unit_price: self.unit_price,
            amount: self.amount,
        }
    }
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

fn check_po(
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

fn minor(currency: &str) -> Result<u32, OrderError> {
    Ok(Currencies::iso().get_at(currency, "currency")?.minor_units)
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

/// A quantity change of an amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendLine {
    /// Line id.
    pub line_id: String,
    /// New ordered quantity.
    pub quantity: Decimal,
}

/// An amendment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Amend {
    /// Quantity changes.
    pub lines: Vec<AmendLine>,
    /// New delivery preferences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<DeliveryPreferences>,
    /// New PO number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Taken PO numbers.
    pub taken_po_numbers: Vec<String>,
}

/// A line cancellation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelLine {
    /// Line id.
    pub line_id: String,
    /// Quantity to cancel.
    pub quantity: Decimal,
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

    fn recompute(&mut self) -> Result<(), OrderError> {
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

    /// The order as the approval engine sees it.
    pub fn approval_subject(&self) -> Result<ApprovalSubject, OrderError> {
        Ok(ApprovalSubject {
            subject_id: self.id.clone(),
            currency: self.currency.clone(),
            segment: self.segment.clone(),
            tags: self.tags.clone(),
            channel: channel_name(self.channel),
            lines: self
                .lines
                .iter()
                .filter(|l| !l.free)
                .map(OrderItem::subject)
                .collect::<Result<_, _>>()?,
            total_before_tax: self.totals.total_before_tax,
            total_after_tax: self.totals.grand_total,
            terms: self.terms.payment_terms.clone(),
        })
    }

    /// Digest of the order's approvable content: lines (quantities,
    /// prices, tax rates), totals, terms, PO and delivery preferences.
    pub fn content_digest(&self) -> String {
        #[derive(Serialize)]
        struct L<'a> {
            line_id: &'a str,
            sku: &'a str,
            unit: &'a str,
            unit_factor: String,
            ordered: String,
            cancelled: String,
            unit_price: String,
            amount: String,
            gst_rate: String,
            free: bool,
        }
        #[derive(Serialize)]
        struct C<'a> {
            order_id: &'a str,
            customer_id: &'a str,
            currency: &'a str,
            version: u32,
            po_number: Option<&'a str>,
            terms: &'a QuoteTerms,
            delivery: &'a DeliveryPreferences,
            lines: Vec<L<'a>>,
            totals: &'a OrderTotals,
            advance_due: String,
        }
        let n = |d: Decimal| d.normalize().to_string();
        let mut totals = self.totals.clone();
        for t in [
            &mut totals.subtotal,
            &mut totals.order_discount,
            &mut totals.shipping,
            &mut totals.total_before_tax,
            &mut totals.gst,
            &mut totals.grand_total,
        ] {
            *t = t.normalize();
        }
        let c = C {
            order_id: &self.id,
            customer_id: &self.customer_id,
            currency: &self.currency,
            version: self.version(),
            po_number: self.po_number.as_deref(),
            terms: &self.terms,
            delivery: &self.delivery,
            lines: self
                .lines
                .iter()
                .map(|l| L {
                    line_id: &l.line_id,
                    sku: &l.sku,
                    unit: &l.unit,
                    unit_factor: n(l.unit_factor),
                    ordered: n(l.ordered),
                    cancelled: n(l.cancelled),
                    unit_price: n(l.unit_price),
                    amount: n(l.amount),
                    gst_rate: n(l.gst_rate),
                    free: l.free,
                })
                .collect(),
            totals: &totals,
            advance_due: n(self.advance_due),
        };
        sha256_hex(&serde_json::to_vec(&c).unwrap_or_default())
    }

    /// The order's version: 1, plus one per amendment.
    pub fn version(&self) -> u32 {
        self.amendments.saturating_add(1)
    }

    /// What an approval of the order as it is now is bound to.
    pub fn approval_binding(&self) -> SubjectBinding {
        SubjectBinding {
            kind: "order".into(),
            subject_id: self.id.clone(),
            revision: self.version(),
            digest: self.content_digest(),
        }
    }

    /// The credit check of this order: the host's snapshot plus this
    /// order's grand total (never a host-supplied figure).
    pub fn credit_check(&self, snapshot: &CreditSnapshot) -> Result<CreditCheck, OrderError> {
        Ok(snapshot.check(&self.customer_id, &self.total())?)
    }

    /// The facts of the order, computed by the engine (see [`HostFacts`]).
    pub fn facts(&self, host: &HostFacts) -> Result<Facts, OrderError> {
        let ctx = host.context(&self.customer_id, &self.total())?;
        compute_facts(&self.approval_subject()?, &ctx).map_err(|e| QuoteError::from(e).into())
    }

    /// The approval plan of the order under `policy` (seller or buyer side).
    pub fn approval_plan(
        &self,
        policy: &ApprovalPolicy,
        host: &HostFacts,
    ) -> Result<ApprovalPlan, OrderError> {
        policy
            .evaluate(&self.facts(host)?)
            .map_err(|e| QuoteError::from(e).into())
    }

    /// Starts an approval of the order as it is now, with the plan computed
    /// from the order. With `previous` (the quote's instance on conversion,
    /// or the order's before an amendment) approvals of steps whose facts
    /// did not get worse carry over, so an unchanged conversion is approved
    /// at once.
    pub fn request_approval(
        &self,
        req: &RequestApproval,
        policy: &ApprovalPolicy,
        host: &HostFacts,
        previous: Option<&ApprovalInstance>,
    ) -> Result<OrderApproval, OrderError> {
        if !matches!(self.lifecycle, Lifecycle::Draft | Lifecycle::CreditHold) {
            return Err(self.transition_error("request approval of"));
        }
        let plan = self.approval_plan(policy, host)?;
        let (instance, events) = ApprovalInstance::start_bound(
            &StartApproval {
                instance_id: req.instance_id.clone(),
                subject_id: self.id.clone(),
                requester: req.requester.clone(),
                plan,
                now: req.now,
            },
            Some(self.approval_binding()),
            previous,
        )
        .map_err(QuoteError::from)?;
        Ok(OrderApproval { instance, events })
    }

    /// Checks that `approval` is approved and bound to the order as it is
    /// now (same version and content, same facts).
    pub fn check_approval(&self, approval: &ApprovalInstance) -> Result<(), OrderError> {
        let need = |field: &str, detail: String| OrderError::ApprovalRequired {
            field: field.to_owned(),
            detail,
        };
        if approval.plan.side != PolicySide::Seller {
            return Err(need(
                "approval.plan.side",
                "the instance is the buyer's: confirming needs the seller's".into(),
            ));
        }
        let computed = compute_facts(&self.approval_subject()?, &FactContext::default())
            .map_err(QuoteError::from)?;
        approval
            .check_binding(&self.approval_binding(), &computed, "version")
            .map_err(|m| need(&m.field, m.detail))?;
        Ok(())
    }

    /// Checks the buyer side of the order as it is now (see [`BuyerSide`]):
    /// nothing without a buyer policy or with an empty plan; otherwise the
    /// buyer's approved instance bound to this version and content (from
    /// [`Order::request_approval`] with the buyer's policy).
    pub fn check_buyer_approval(&self, buyer: Option<&BuyerSide<'_>>) -> Result<(), OrderError> {
        let Some(b) = buyer else { return Ok(()) };
        let facts = self.facts(b.host)?;
        let subject = compute_facts(&self.approval_subject()?, &FactContext::default())
            .map_err(QuoteError::from)?;
        b.check(&facts, &subject, &self.approval_binding(), "version")
            .map_err(QuoteError::from)?
            .map_err(|m| OrderError::ApprovalRequired {
                field: m.field,
                detail: m.detail,
            })
    }

    /// The order's total as money (for the credit check's `this_order`).
    pub fn total(&self) -> Money {
        Money {
            amount: self.totals.grand_total,
            currency: self.currency.clone(),
        }
    }

    fn transition_error(&self, command: &str) -> OrderError {
        OrderError::InvalidTransition {
            field: "status".into(),
            status: format!("{:?}", self.status()).to_lowercase(),
            command: command.into(),
        }
    }

    fn emitter(&self, now: DateTime<FixedOffset>) -> Emitter {
        Emitter::new(AggregateKind::Order, &self.id, self.next_event_seq, now)
    }

    fn done(mut self, em: Emitter) -> OrderTransition {
        self.next_event_seq = em.next_seq();
        OrderTransition {
            order: self,
            events: em.events,
        }
    }

    fn line_index(&self, id: &str, at: &str) -> Result<usize, OrderError> {
        self.lines
            .iter()
            .position(|l| l.line_id == id)
            .ok_or_else(|| OrderError::UnknownLine {
                field: path(at, "line_id"),
                line_id: id.to_owned(),
            })
    }

    /// Confirms a draft (or held) order: needs an approved instance bound to
    /// the order as it is now (see [`Order::request_approval`]; an amendment
    /// needs a new one) and a credit check that does not block (a blocking
    /// one holds it; see [`Order::credit_check`]).
    pub fn confirm(
        &self,
        approval: &ApprovalInstance,
        credit: Option<&CreditCheck>,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        self.confirm_with_buyer(approval, None, credit, now)
    }

    /// [`Order::confirm`] for a buyer whose organisation has an approval
    /// policy: the buyer's approved instance bound to the order as it is now
    /// is needed too, unless the buyer's plan is empty.
    pub fn confirm_with_buyer(
        &self,
        approval: &ApprovalInstance,
        buyer: Option<&BuyerSide<'_>>,
        credit: Option<&CreditCheck>,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        if !matches!(self.lifecycle, Lifecycle::Draft | Lifecycle::CreditHold) {
            return Err(self.transition_error("confirm"));
        }
        self.check_approval(approval)?;
        self.check_buyer_approval(buyer)?;
        if let Some(c) = credit {
            if c.customer_id != self.customer_id || c.exposure.currency != self.currency {
                return Err(OrderError::InvalidField {
                    field: "credit.customer_id".into(),
                    rule: "the credit check is for another customer or currency".into(),
                });
            }
        }
        let mut next = self.clone();
        let mut em = self.emitter(now);
        if let Some(c) = credit.filter(|c| c.blocks()) {
            next.lifecycle = Lifecycle::CreditHold;
            em.emit(EventPayload::CreditHold {
                order_id: self.id.clone(),
                customer_id: self.customer_id.clone(),
                exposure: c.exposure.clone(),
                limit: c.limit_with_tolerance.clone(),
                over_by: c.over_by(),
                on_hold: c.status == crate::credit::CreditStatus::OnHold,
            });
            return Ok(next.done(em));
        }
        next.lifecycle = Lifecycle::Confirmed;
        em.emit(EventPayload::OrderConfirmed {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            po_number: self.po_number.clone(),
            lines: self.lines.iter().map(|l| l.event_line(l.ordered)).collect(),
            total_before_tax: Money {
                amount: self.totals.total_before_tax,
                currency: self.currency.clone(),
            },
            advance_due: Money {
                amount: self.advance_due,
                currency: self.currency.clone(),
            },
            requested_date: self.delivery.requested_date,
        });
        Ok(next.done(em))
    }

    /// Amends quantities, delivery or PO before anything is allocated; the
    /// order returns to draft for re-approval.
    pub fn amend(
        &self,
        cmd: &Amend,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        if !matches!(
            self.lifecycle,
            Lifecycle::Draft | Lifecycle::CreditHold | Lifecycle::Confirmed
        ) {
            return Err(self.transition_error("amend"));
        }
        if self
            .lines
            .iter()
            .any(|l| l.allocated > Decimal::ZERO || l.shipped > Decimal::ZERO)
        {
            return Err(OrderError::AmendAfterAllocation {
                field: "lines".into(),
            });
        }
        let mut next = self.clone();
        let mut changes = Vec::new();
        for (i, a) in cmd.lines.iter().enumerate() {
            let at = index("lines", i);
            let li = self.line_index(&a.line_id, &at)?;
            let Some(l) = next.lines.get_mut(li) else {
                continue;
            };
            if l.free {
                return Err(OrderError::InvalidField {
                    field: path(&at, "line_id"),
                    rule: "free goods cannot be amended".into(),
                });
            }
            if a.quantity <= Decimal::ZERO {
                return Err(OrderError::InvalidField {
                    field: path(&at, "quantity"),
                    rule: "must be positive (cancel the line instead)".into(),
                });
            }
            let base = money::mul(a.quantity, l.unit_factor, "base quantity")?;
            if let Some(moq) = l.moq {
                if base < moq {
                    return Err(OrderError::BelowMoq {
                        field: path(&at, "quantity"),
                        quantity: base,
                        moq,
                    });
                }
            }
            if a.quantity < l.cancelled || a.quantity < l.invoiced {
                return Err(invariant(
                    path(&at, "quantity"),
                    "below cancelled or invoiced quantity",
                ));
            }
            changes.push(format!(
                "line {} quantity {} → {}",
                l.line_id,
                l.ordered.normalize(),
                a.quantity.normalize()
            ));
            l.ordered = a.quantity;
            l.amount = self.rounding.round_to_scale(
                money::mul(l.unit_price, a.quantity, "amount").map_err(|e| e.at(&at))?,
                minor(&self.currency)?,
            );
        }
        if let Some(d) = &cmd.delivery {
            changes.push("delivery preferences changed".into());
            next.delivery = d.clone();
        }
        if let Some(po) = &cmd.po_number {
            next.po_number = check_po(Some(po), &cmd.taken_po_numbers, &self.settings)?;
            changes.push(format!("PO number {po}"));
        }
        if changes.is_empty() {
            return Err(OrderError::InvalidField {
                field: "lines".into(),
                rule: "an amendment changes something".into(),
            });
        }
        next.recompute()?;
        next.lifecycle = Lifecycle::Draft;
        next.amendments = next.amendments.saturating_add(1);
        let mut em = self.emitter(now);
        em.emit(EventPayload::OrderAmended {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            changes,
            total_before_tax: Money {
                amount: next.totals.total_before_tax,
                currency: self.currency.clone(),
            },
        });
        Ok(next.done(em))
    }

    /// Cancels quantities of lines, or (with `None`) everything not
    /// shipped. Allocated quantities beyond what stays open are released.
    pub fn cancel(
        &self,
        lines: Option<&[CancelLine]>,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<OrderTransition, OrderError> {
        if matches!(self.lifecycle, Lifecycle::Cancelled | Lifecycle::Closed) {
            return Err(self.transition_error("cancel"));
        }
        if reason.trim().is_empty() {
            return Err(OrderError::InvalidField {
                field: "reason".into(),
                rule: "a reason is required".into(),
            });
        }
        let all: Vec<CancelLine>;
        let wanted: &[CancelLine] = match lines {
            Some(l) => l,
            None => {
                all = self
                    .lines
                    .iter()
                    .map(|l| CancelLine {
                        line_id: l.line_id.clone(),
                        quantity: l
                            .ordered
                            .saturating_sub(l.cancelled)
                            .saturating_sub(l.shipped),
                    })
                    .filter(|c| c.quantity > Decimal::ZERO)
                    .collect();
                &all
            }
        };
        if wanted.is_empty() {
            return Err(invariant(
                "lines".into(),
                "nothing left to cancel: every open quantity is shipped",
            ));
        }
        let mut next = self.clone();
        let mut cancelled = Vec::new();
        let mut released = Vec::new();
        for (i, c) in wanted.iter().enumerate() {
            let at = index("lines", i);
            let li = self.line_index(&c.line_id, &at)?;
            let Some(l) = next.lines.get_mut(li) else {
                continue;
            };
            if c.quantity <= Decimal::ZERO {
                return Err(OrderError::InvalidField {
                    field: path(&at, "quantity"),
                    rule: "must be positive".into(),
                });
            }
            let cancellable = money::sub(l.open()?, l.shipped, "cancellable")?;
            if c.quantity > cancellable {
                return Err(invariant(
                    path(&at, "quantity"),
                    "cannot cancel more than ordered − cancelled − shipped",
                ));
            }
            l.cancelled = money::add(l.cancelled, c.quantity, "cancelled")?;
            let open = l.open()?;
            if l.allocated > open {
                let rel = money::sub(l.allocated, open, "released")?;
                l.allocated = open;
                released.push(l.event_line(rel));
            }
            l.check(
                &index("lines", li),
                self.settings.allow_invoice_before_shipment,
            )?;
            cancelled.push(l.event_line(c.quantity));
        }
        next.recompute()?;
        // Shipped quantities stay: the order is cancelled only when nothing
        // of it remains; otherwise only the unshipped remainder is.
        if next.lines.iter().all(|l| l.ordered <= l.cancelled) {
            next.lifecycle = Lifecycle::Cancelled;
        }
        let mut em = self.emitter(now);
        em.emit(EventPayload::OrderCancelled {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
            reason: reason.to_owned(),
            lines: cancelled,
            released,
        });
        Ok(next.done(em))
    }

    /// Closes a confirmed order (short or complete).
    pub fn close(&self, now: DateTime<FixedOffset>) -> Result<OrderTransition, OrderError> {
        if self.lifecycle != Lifecycle::Confirmed {
            return Err(self.transition_error("close"));
        }
        let mut next = self.clone();
        next.lifecycle = Lifecycle::Closed;
        let mut em = self.emitter(now);
        em.emit(EventPayload::OrderClosed {
            order_id: self.id.clone(),
            customer_id: self.customer_id.clone(),
        });
        Ok(next.done(em))
    }

    /// Applies a line update (allocation, shipment, invoice) made with the
    /// [`OrderItem`] methods, after checking the order accepts it.
    pub fn update_line(&self, item: OrderItem) -> Result<Order, OrderError> {
        if self.lifecycle != Lifecycle::Confirmed {
            return Err(self.transition_error("update lines of"));
        }
        let li = self.line_index(&item.line_id, "line")?;
        let at = index("lines", li);
        let Some(cur) = self.lines.get(li) else {
            return Err(self.transition_error("update"));
        };
        if cur.ordered != item.ordered
            || cur.cancelled != item.cancelled
            || cur.unit_price != item.unit_price
        {
            return Err(OrderError::InvalidField {
                field: at,
                rule: "only allocated, shipped and invoiced quantities may change this way".into(),
            });
        }
        item.check(&at, self.settings.allow_invoice_before_shipment)?;
        let mut next = self.clone();
        if let Some(l) = next.lines.get_mut(li) {
            *l = item;
        }
        Ok(next)
    }
}

/// Input of the order approval operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPlanInput {
    /// The order.
    pub order: Order,
    /// The policy (seller's, or the buyer organisation's).
    pub policy: crate::approval::ApprovalPolicyDefinition,
    /// Facts only the host knows (credit snapshot: the engine adds this
    /// order's total).
    #[serde(default)]
    pub host: HostFacts,
}

/// The approval plan of an order, facts computed from the order.
pub fn order_approval_plan(input: &OrderPlanInput) -> Result<ApprovalPlan, OrderError> {
    let policy = ApprovalPolicy::compile(input.policy.clone()).map_err(QuoteError::from)?;
    input.order.approval_plan(&policy, &input.host)
}

/// Input of the order credit check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderCreditInput {
    /// The order.
    pub order: Order,
    /// The customer's credit position without this order.
    pub snapshot: CreditSnapshot,
}

/// The credit check of an order: `this_order` is the order's own total.
pub fn order_credit_check(input: &OrderCreditInput) -> Result<CreditCheck, OrderError> {
    input.order.credit_check(&input.snapshot)
}

/// Input of the `quote convert` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertInput {
    /// The quote.
    pub quote: Quote,
    /// The conversion.
    pub convert: ConvertQuote,
    /// The seller key, to verify the seals of the revision and acceptance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<SealKey>,
}

/// The `quote convert` operation.
pub fn quote_convert(input: &ConvertInput) -> Result<Converted, OrderError> {
    convert_quote_sealed(&input.quote, &input.convert, input.seal_key.as_ref())
}

#[cfg(test)]
mod tests;
