//! Building a draft quote from a request: pricing it and making its lines.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::invalid;
use super::model::{default_valid_until, event_line, seller_offset};
use super::totals::recompute;
use super::{
    gst, DefaultValidity, GstEstimator, Party, PlaceholderGst, Quote, QuoteError, QuoteLine,
    QuoteRequest, QuoteRevision, QuoteSettings, QuoteStatus, QuoteTerms, QuoteTotals,
    QuoteTransition, UnquotableMode,
};
use crate::catalog::{Catalog, Product};
use crate::customer::Customer;
use crate::error::{index, path};
use crate::events::EventPayload;
use crate::money::{self, Money};
use crate::pricing::{LineKind, LineProblem, OrderLine, PriceBook, PriceRequest, PricedOrder};

/// Building a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildQuote {
    /// Quote id (host-supplied).
    pub quote_id: String,
    /// The request.
    pub request: QuoteRequest,
    /// Terms.
    pub terms: QuoteTerms,
    /// Explicit validity; the default days when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Seller notes.
    #[serde(default)]
    pub notes: String,
    /// Who builds it.
    #[serde(default)]
    pub author_id: String,
    /// "Now": the pricing instant.
    pub now: DateTime<FixedOffset>,
    /// Settings.
    #[serde(default)]
    pub settings: QuoteSettings,
    /// Placeholder GST rates.
    #[serde(default)]
    pub gst_rates: PlaceholderGst,
}

impl Quote {
    /// Builds a draft quote (revision 1) by pricing the request at `now`.
    /// Unquotable lines are reported on the revision (or fail the build,
    /// by setting); the GST estimate uses `gst` (see [`GstEstimator`]).
    pub fn build(
        input: &BuildQuote,
        book: &PriceBook,
        customer: &Customer,
        gst: &dyn GstEstimator,
    ) -> Result<Quote, QuoteError> {
        let req = &input.request;
        if req.lines.is_empty() {
            return Err(invalid(
                "request.lines",
                "a quote request needs at least one line",
            ));
        }
        if req.customer_id != customer.id {
            return Err(invalid(
                "request.customer_id",
                "does not match the customer given",
            ));
        }
        input.terms.payment_terms.validate()?;
        let offset = seller_offset(&input.settings)?;
        let valid_until = match input.valid_until {
            Some(v) if v <= input.now => {
                return Err(invalid("valid_until", "must be after now"));
            }
            Some(v) => v,
            None => default_valid_until(input.now, input.settings.default_validity_days, offset)?,
        };
        let ship_to = req
            .ship_to_state
            .clone()
            .unwrap_or_else(|| customer.default_ship_to().state_code.clone());
        let price_request = price_request_of(input, &ship_to);
        let priced = book.price_order(customer, &price_request)?;
        let unquoted: Vec<LineProblem> = priced
            .errors
            .iter()
            .map(|p| LineProblem {
                field: p.field.replacen("lines", "request.lines", 1),
                ..p.clone()
            })
            .collect();
        if let Some(first) = unquoted.first() {
            if input.settings.unquotable == UnquotableMode::Fail || priced.lines.is_empty() {
                return Err(QuoteError::UnquotableLines {
                    field: first.field.clone(),
                    problems: unquoted,
                });
            }
        }
        let lines = quote_lines(input, book, customer, gst, &priced, &price_request)?;
        let rate = if priced.subtotal.is_zero() {
            Decimal::ZERO
        } else {
            money::div(
                priced.order_discount_total,
                priced.subtotal,
                "order discount rate",
            )?
        };
        let currency = book
            .currencies()
            .get_at(&req.currency, "request.currency")?;
        let mode = book.definition().settings.rounding;
        let mut rev = QuoteRevision {
            number: 1,
            parent: None,
            created_at: input.now,
            author: Party::Seller,
            author_id: input.author_id.clone(),
            note: String::new(),
            lines,
            unquoted,
            order_discount_rate: rate,
            totals: QuoteTotals {
                subtotal: Decimal::ZERO,
                order_discount: Decimal::ZERO,
                shipping: priced.shipping.as_ref().map_or(Decimal::ZERO, |s| s.amount),
                total_before_tax: Decimal::ZERO,
                gst: Decimal::ZERO,
                grand_total: Decimal::ZERO,
            },
            gst: gst::estimate_regime(
                input.settings.regime.as_ref(),
                &input.settings.supplier_state,
                &ship_to,
            )?,
            terms: input.terms.clone(),
            valid_until,
            notes: input.notes.clone(),
            seal: None,
        };
        recompute(&mut rev, currency.minor_units, mode)?;
        Ok(Quote {
            id: input.quote_id.clone(),
            request_id: req.id.clone(),
            source: req.source.clone(),
            customer_id: customer.id.clone(),
            customer_name: customer.legal_name.clone(),
            segment: customer.segment.clone(),
            tags: customer.tags.clone(),
            channel: req.channel,
            currency: req.currency.clone(),
            ship_to_state: ship_to,
            requested_delivery_date: req.requested_delivery_date,
            buyer_notes: req.buyer_notes.clone(),
            status: QuoteStatus::Draft,
            revisions: vec![rev],
            acceptances: Vec::new(),
            decline: None,
            withdrawn_reason: None,
            rounding: mode,
            next_event_seq: 1,
            default_validity: match input.valid_until {
                Some(_) => None,
                None => Some(DefaultValidity {
                    days: input.settings.default_validity_days,
                    seller_utc_offset_minutes: input.settings.seller_utc_offset_minutes,
                }),
            },
        })
    }

    /// [`Quote::build`] with its `QuoteDrafted` event (sequence 1).
    pub fn create(
        input: &BuildQuote,
        book: &PriceBook,
        customer: &Customer,
        gst: &dyn GstEstimator,
    ) -> Result<QuoteTransition, QuoteError> {
        let q = Self::build(input, book, customer, gst)?;
        let r = q.latest()?;
        let mut em = q.emitter(input.now);
        em.emit(EventPayload::QuoteDrafted {
            quote_id: q.id.clone(),
            customer_id: q.customer_id.clone(),
            lines: r.lines.iter().map(event_line).collect(),
            unquoted: r.unquoted.iter().map(|p| p.field.clone()).collect(),
            grand_total: Money {
                amount: r.totals.grand_total,
                currency: q.currency.clone(),
            },
            valid_until: r.valid_until,
        });
        Ok(q.done(em))
    }
}

/// Build phase: the pricing request of a quote request, priced at the
/// quote instant for its ship-to state, with the whole explanation (a
/// quote keeps it). Lines without an id get `L1`, `L2`…
fn price_request_of(input: &BuildQuote, ship_to: &str) -> PriceRequest {
    let req = &input.request;
    PriceRequest {
        order_id: Some(input.quote_id.clone()),
        currency: req.currency.clone(),
        channel: req.channel,
        priced_at: input.now,
        ship_to_state: Some(ship_to.to_owned()),
        lines: req
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| OrderLine {
                line_id: Some(l.line_id.clone().unwrap_or_else(|| format!("L{}", i + 1))),
                sku: l.sku.clone(),
                quantity: l.quantity,
                unit: l.unit.clone(),
                target_price: l.target_price,
            })
            .collect(),
        // A quote keeps the whole explanation.
        explain: crate::pricing::Explain::Full,
        ignore_rules: false,
        purchase_history: Vec::new(),
        exchange_rates: Vec::new(),
    }
}

/// Build phase: the quote's lines from the priced lines (free goods named
/// after their sale line), with the unit factor, MOQ, list price, GST rate
/// of `gst`, cost in the quote currency and the approval floor (none for
/// free goods).
fn quote_lines(
    input: &BuildQuote,
    book: &PriceBook,
    customer: &Customer,
    gst: &dyn GstEstimator,
    priced: &PricedOrder,
    price_request: &PriceRequest,
) -> Result<Vec<QuoteLine>, QuoteError> {
    let req = &input.request;
    let catalog: &Catalog = book.catalog();
    let mut lines = Vec::with_capacity(priced.lines.len());
    let mut free_counter = 0u32;
    for (i, pl) in priced.lines.iter().enumerate() {
        let at = index("lines", i);
        let product: Option<&Product> = catalog.get(&pl.sku).map(|p| &p.product);
        let factor = if pl.quantity.is_zero() {
            Decimal::ONE
        } else {
            money::div(pl.base_quantity, pl.quantity, "unit factor").map_err(|e| e.at(&at))?
        };
        let rate = gst
            .rate(&pl.gst_rate_class)
            .ok_or_else(|| QuoteError::UnknownGstClass {
                field: path(&at, "gst_rate_class"),
                class: pl.gst_rate_class.to_string(),
            })?;
        let (free, linked_to, line_id) = match &pl.kind {
            LineKind::Sale => (
                false,
                None,
                pl.line_id
                    .as_ref()
                    .map_or_else(|| format!("L{}", pl.line_index + 1), |id| id.to_string()),
            ),
            LineKind::Free { linked_to, .. } => {
                free_counter += 1;
                let parent = price_request
                    .lines
                    .get(*linked_to)
                    .and_then(|l| l.line_id.clone())
                    .unwrap_or_default();
                (
                    true,
                    Some(parent.clone()),
                    format!("{parent}-FREE{free_counter}"),
                )
            }
        };
        let notes = req
            .lines
            .get(pl.line_index)
            .filter(|_| !free)
            .map(|l| l.notes.clone())
            .unwrap_or_default();
        lines.push(QuoteLine {
            line_id,
            sku: pl.sku.to_string(),
            name: pl.name.to_string(),
            hsn: pl.hsn.to_string(),
            gst_rate_class: pl.gst_rate_class.to_string(),
            free,
            linked_to,
            quantity: pl.quantity,
            unit: pl.unit.to_string(),
            unit_factor: factor,
            moq: product.and_then(|p| Catalog::constraints_for(p, customer).moq),
            list_price: pl
                .base_price
                .as_ref()
                .map_or(Decimal::ZERO, |b| b.price_per_base_unit),
            priced_unit_price: pl.net_unit_price,
            unit_price: pl.net_unit_price,
            amount: pl.amount,
            gst_rate: rate,
            cost: product
                .and_then(|p| p.cost.as_ref())
                .filter(|c| c.currency == req.currency)
                .map(|c| c.amount),
            // Free goods are left out of the approval facts.
            floor: if free {
                None
            } else {
                crate::approval::line_floor(
                    &pl.floor,
                    product,
                    &req.currency,
                    &book.definition().currency,
                )
                .map_err(|e| e.at(&at))?
            },
            target_price: pl.target_price,
            price_override: None,
            notes,
        });
    }
    Ok(lines)
}
