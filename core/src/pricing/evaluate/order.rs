//! Pricing an order: the whole-order checks, the order context, the
//! three passes over the lines, and the order's totals.

use super::result::{PricedLine, ShippingCharge};
use super::Problems;
use crate::money::{Currency, MoneyError};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::discounts::OrderDiscounts;
use super::errors::LineProblem;
use super::result::{PricedOrder, SkipReason};
use super::{valid_at, OrderCtx, Totals};
use crate::customer::Customer;
use crate::money::{self};
use crate::pricing::compile::{channel_bit, key, CustomerIds, PriceBook};
use crate::pricing::{PriceRequest, PricingError};

impl PriceBook {
    /// Prices an order for a customer. Line problems (unknown sku, no
    /// price, MOQ) are reported in the result, not as an error; the error
    /// cases are whole-order problems (no lines, too many lines, unknown
    /// currency, bad customer record).
    pub fn price_order(
        &self,
        customer: &Customer,
        request: &PriceRequest,
    ) -> Result<PricedOrder, PricingError> {
        let currency = self.check_order(customer, request)?;
        let mut ctx = self.order_ctx(customer, request, currency)?;
        let mut problems = Problems::new();
        let prepared = ctx.prepare_lines(request, &mut problems);
        let based = ctx.base_prices(&prepared, &mut problems);
        // The lines that count towards the order-wide sums, for checking
        // the hints (at `full` only).
        let counted: Vec<usize> = match request.explain {
            crate::pricing::Explain::Full => based.iter().map(|(p, _)| p.index).collect(),
            _ => Vec::new(),
        };
        let (mut lines, totals) = ctx.price_lines(request, based, &mut problems);
        ctx.check_hints(request, &prepared, &counted, &mut lines);
        let errors = line_problems(request, problems);
        let order = ctx.order_totals(request, &mut lines, &totals)?;
        Ok(PricedOrder {
            order_id: request.order_id.clone(),
            price_book_id: self.def.id.clone(),
            price_book_version: self.def.version.clone(),
            customer_id: customer.id.clone(),
            segment: customer.segment.clone(),
            currency: ctx.currency.code.clone(),
            channel: request.channel,
            priced_at: request.priced_at,
            explain: request.explain,
            all_priced: errors.is_empty(),
            lines,
            errors,
            subtotal: order.subtotal,
            order_discounts: order.discounts.applied,
            order_discount_total: order.discount_total,
            shipping: order.shipping,
            total_before_tax: order.total_before_tax,
            hints: order.discounts.hints,
            rules_ignored: request.ignore_rules,
        })
    }

    /// Phase 0: the whole-order checks (customer record, currency, line
    /// count, channel). Guarantees the next phases an order of 1 to
    /// `max_lines` lines in a known currency and a channel the customer may
    /// use; returns that currency.
    fn check_order(
        &self,
        customer: &Customer,
        request: &PriceRequest,
    ) -> Result<Currency, PricingError> {
        customer.validate()?;
        let currency = self.currencies.get_at(&request.currency, "currency")?;
        if request.lines.is_empty() {
            return Err(PricingError::EmptyOrder {
                field: "lines".into(),
            });
        }
        let max = self.def.settings.max_lines;
        if request.lines.len() > max {
            return Err(PricingError::TooManyLines {
                field: "lines".into(),
                count: request.lines.len(),
                max,
            });
        }
        if !customer.channels.is_empty() && !customer.channels.contains(&request.channel) {
            return Err(PricingError::ChannelNotAllowed {
                field: "channel".into(),
                customer: customer.id.clone(),
                channel: format!("{:?}", request.channel),
            });
        }
        Ok(currency)
    }

    /// Phase 0 (continued): what the order decides once for all its lines —
    /// the customer's list chain with the lists this order cannot use, the
    /// customer's rule buckets and ids, the channel bit and rule currency.
    /// The order-wide quantities and the base subtotal start empty; the
    /// passes fill them.
    fn order_ctx<'a>(
        &'a self,
        customer: &'a Customer,
        request: &PriceRequest,
        currency: Currency,
    ) -> Result<OrderCtx<'a>, PricingError> {
        Ok(OrderCtx {
            book: self,
            explain: request.explain,
            customer,
            currency,
            at: request.priced_at,
            channel: request.channel,
            chain: self
                .chain_for(customer)?
                .into_iter()
                .map(|l| {
                    (
                        l,
                        self.list_unusable(l, &request.currency, request.priced_at),
                    )
                })
                .collect(),
            buckets: self
                .customer_keys(customer)
                .iter()
                .filter_map(|k| self.rule_buckets.get(k))
                .collect(),
            ids: self.customer_ids(customer),
            channel_bit: channel_bit(request.channel),
            rule_currency: self.rule_currency_symbols.get(&request.currency).copied(),
            sku_qty: FxHashMap::with_capacity_and_hasher(request.lines.len(), Default::default()),
            group_qty: FxHashMap::with_capacity_and_hasher(request.lines.len(), Default::default()),
            unpriced: Vec::new(),
            base_subtotal: Decimal::ZERO,
            history: crate::pricing::history::History::new(
                &request.purchase_history,
                request.priced_at,
            )?,
            ignore_rules: request.ignore_rules,
            rates: super::currency::rates(request, &self.currencies)?,
        })
    }

    pub(super) fn list_unusable(
        &self,
        list: u32,
        currency: &str,
        at: DateTime<FixedOffset>,
    ) -> Option<SkipReason> {
        let l = self.lists.get(list as usize)?;
        if l.currency != currency {
            Some(SkipReason::OtherCurrency {
                currency: l.currency.clone(),
            })
        } else if !valid_at(l.valid_from, l.valid_until, at) {
            Some(SkipReason::NotValid)
        } else {
            None
        }
    }

    pub(super) fn customer_ids(&self, customer: &Customer) -> CustomerIds {
        CustomerIds {
            customer: self.customer_symbols.get(&customer.id).copied(),
            segment: self.segment_symbols.get(&customer.segment).copied(),
            tags: customer
                .tags
                .iter()
                .filter_map(|t| self.customer_tag_symbols.get(t).copied())
                .collect(),
        }
    }

    pub(super) fn customer_keys(&self, customer: &Customer) -> Vec<u64> {
        let mut keys = vec![key::customer(key::C_ANY, 0)];
        if let Some(id) = self.customer_symbols.get(&customer.id) {
            keys.push(key::customer(key::C_CUSTOMER, *id));
        }
        if let Some(id) = self.segment_symbols.get(&customer.segment) {
            keys.push(key::customer(key::C_SEGMENT, *id));
        }
        for t in &customer.tags {
            if let Some(id) = self.customer_tag_symbols.get(t) {
                keys.push(key::customer(key::C_TAG, *id));
            }
        }
        keys
    }
}

/// The order's totals after its lines: subtotal, order discounts, shipping
/// and the total before tax.
pub(super) struct OrderTotals {
    /// Sum of the line amounts, rounded.
    pub(super) subtotal: Decimal,
    /// The order discounts that applied.
    pub(super) discounts: OrderDiscounts,
    /// Sum of the order discounts, rounded.
    pub(super) discount_total: Decimal,
    /// The shipping charge, if a rule set one.
    pub(super) shipping: Option<ShippingCharge>,
    /// subtotal − order discounts + shipping, rounded.
    pub(super) total_before_tax: Decimal,
}

/// Phase 4: the line problems as the result reports them, sorted by line
/// (stable: a line's problems keep the order the passes found them in).
fn line_problems(request: &PriceRequest, mut problems: Problems) -> Vec<LineProblem> {
    problems.sort_by_key(|(i, _)| *i);
    problems
        .iter()
        .map(|(i, e)| {
            let line = request.lines.get(*i);
            LineProblem::new(
                *i,
                line.and_then(|l| l.line_id.clone()),
                line.map(|l| l.sku.clone()).unwrap_or_default(),
                e,
            )
        })
        .collect()
}

impl OrderCtx<'_> {
    /// Phase 5: the order's totals. Order discounts run on the rounded
    /// subtotal and are spread over the lines (each line's share and
    /// taxable amount set); shipping is charged on the value after them.
    /// Overflow here is the order's, named by the total it broke.
    fn order_totals(
        &self,
        request: &PriceRequest,
        lines: &mut [PricedLine],
        totals: &Totals,
    ) -> Result<OrderTotals, MoneyError> {
        let minor = self.currency.minor_units;
        let mode = self.book.def.settings.rounding;
        let subtotal = mode.round_to_scale(totals.subtotal, minor);
        let (discounts, discount_total) = self.spread_order_discounts(subtotal, lines)?;
        let after_discount = money::sub(subtotal, discount_total, "order total")
            .map_err(|e| e.at("total_before_tax"))?;
        let shipping = self
            .shipping(request, totals.weight, after_discount)
            .map_err(|e| e.at("shipping"))?;
        let total_before_tax = mode.round_to_scale(
            money::add(
                after_discount,
                shipping.as_ref().map_or(Decimal::ZERO, |s| s.amount),
                "order total",
            )
            .map_err(|e| e.at("total_before_tax"))?,
            minor,
        );
        Ok(OrderTotals {
            subtotal,
            discounts,
            discount_total,
            shipping,
            total_before_tax,
        })
    }
}
