//! Quote requests (RFQs): where they come from and their lines.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::customer::{Channel, Customer, QuoteRequestDraft};
use crate::pricing::{OrderLine, PriceRequest};

/// Where a quote request came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuoteSource {
    /// An inquiry (lead).
    Inquiry {
        /// Inquiry id.
        inquiry_id: String,
    },
    /// A cart on the portal or app.
    Cart {
        /// Cart id.
        cart_id: String,
    },
    /// Entered by a sales representative.
    SalesRep {
        /// Rep id.
        rep_id: String,
    },
}

/// One requested line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequestLine {
    /// Line id; `L1`, `L2`… when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The sku.
    pub sku: String,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// Unit; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Buyer's target price per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_price: Option<Decimal>,
    /// Buyer's notes on the line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A quote request (RFQ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// Request id.
    pub id: String,
    /// Where it came from.
    pub source: QuoteSource,
    /// Customer id.
    pub customer_id: String,
    /// Channel.
    pub channel: Channel,
    /// Currency.
    pub currency: String,
    /// Lines.
    pub lines: Vec<QuoteRequestLine>,
    /// Requested delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_delivery_date: Option<NaiveDate>,
    /// Buyer's notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub buyer_notes: String,
    /// Ship-to state; the customer's default ship-to when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to_state: Option<String>,
}

impl QuoteRequest {
    /// A request from an inquiry's draft (unmatched inquiry lines stay in
    /// the draft for a sales rep).
    pub fn from_inquiry(
        id: &str,
        draft: &QuoteRequestDraft,
        customer: &Customer,
        channel: Channel,
        currency: &str,
        requested_delivery_date: Option<NaiveDate>,
    ) -> Self {
        Self {
            id: id.to_owned(),
            source: QuoteSource::Inquiry {
                inquiry_id: draft.inquiry_id.clone(),
            },
            customer_id: customer.id.clone(),
            channel,
            currency: currency.to_owned(),
            lines: draft.lines.iter().map(request_line).collect(),
            requested_delivery_date,
            buyer_notes: String::new(),
            ship_to_state: None,
        }
    }

    /// A request from a cart (a price request).
    pub fn from_cart(id: &str, cart_id: &str, customer_id: &str, cart: &PriceRequest) -> Self {
        Self {
            id: id.to_owned(),
            source: QuoteSource::Cart {
                cart_id: cart_id.to_owned(),
            },
            customer_id: customer_id.to_owned(),
            channel: cart.channel,
            currency: cart.currency.clone(),
            lines: cart.lines.iter().map(request_line).collect(),
            requested_delivery_date: None,
            buyer_notes: String::new(),
            ship_to_state: cart.ship_to_state.clone(),
        }
    }
}

fn request_line(l: &OrderLine) -> QuoteRequestLine {
    QuoteRequestLine {
        line_id: l.line_id.clone(),
        sku: l.sku.clone(),
        quantity: l.quantity,
        unit: l.unit.clone(),
        target_price: l.target_price,
        notes: String::new(),
    }
}
