//! Pricing an order with a compiled [`PriceBook`]: base price, rules,
//! guards, rounding, order discounts, shipping, and the explanation.

// Line errors carry their field path and details by value; they are the
// cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

mod base;
mod catalog;
mod currency;
mod discounts;
mod errors;
mod hints;
mod order;
mod prepare;
mod quantities;
mod result;
mod rules;
mod shipping;
#[cfg(test)]
mod tests;
mod text;
mod waterfall;

pub use currency::{CurrencyConversion, ExchangeRate};
pub use errors::{LineError, LineProblem};
pub use result::{
    Adjustment, BasePrice, CatalogEntryView, Effect, FloorStatus, GraduatedBand, Hint, HintKind,
    LineKind, ListSkipped, OrderAdjustment, PricedLine, PricedOrder, QuantityStatus,
    ShippingCharge, SkipReason, TierView,
};

use crate::error::{index, path};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::customer::{Channel, Customer};
use crate::money::{Currency, MoneyError, RoundingMode};
use crate::pricing::compile::{CustomerIds, PriceBook, RuleBucket};
use crate::pricing::Explain;

struct OrderCtx<'a> {
    book: &'a PriceBook,
    /// How much explanation the result carries: what it leaves out is not
    /// computed.
    explain: Explain,
    customer: &'a Customer,
    currency: Currency,
    at: DateTime<FixedOffset>,
    channel: Channel,
    /// The customer's list chain, each with why it cannot price this order
    /// at all (other currency, not valid now), decided once per order.
    chain: Vec<(u32, Option<SkipReason>)>,
    /// The rule buckets of the customer's keys, resolved once per order.
    buckets: Vec<&'a RuleBucket>,
    ids: CustomerIds,
    /// The order's channel as a bit of [`CompiledRule::channels`](crate::pricing::compile::CompiledRule::channels).
    channel_bit: u8,
    /// The order's currency among the rules' currencies.
    rule_currency: Option<u32>,
    sku_qty: FxHashMap<u32, Decimal>,
    group_qty: FxHashMap<u32, Decimal>,
    base_subtotal: Decimal,
    /// The request's purchase totals, for cumulative rules.
    history: crate::pricing::history::History,
    /// The request prices from the lists alone: no order discount runs
    /// (line rules are cleared in the waterfall).
    ignore_rules: bool,
    /// The request's exchange rates, checked: see `currency`.
    rates: Vec<currency::Rate>,
}

fn valid_at(
    from: Option<DateTime<FixedOffset>>,
    until: Option<DateTime<FixedOffset>>,
    at: DateTime<FixedOffset>,
) -> bool {
    from.is_none_or(|f| f <= at) && until.is_none_or(|u| at < u)
}

fn round_price(mode: RoundingMode, d: Decimal) -> Decimal {
    // Prices in explanations keep up to 10 places: exact enough to read.
    if d.scale() > 10 {
        mode.round_normalized(d, 10)
    } else {
        d
    }
}

/// Running order totals, committed line by line only when a whole line
/// fits, so a line that overflows them is left out like any failed line.
#[derive(Default)]
struct Totals {
    /// Sum of the line amounts so far.
    subtotal: Decimal,
    /// Total weight in kg so far.
    weight: Decimal,
}

fn overflow(what: &str) -> MoneyError {
    MoneyError::Overflow {
        field: String::new(),
        what: what.to_owned(),
    }
}

/// The lines that could not be priced, by the index of their request line,
/// in the order the passes found them.
pub(super) type Problems = Vec<(usize, LineError)>;

/// An overflow of one of the order's running quantities or totals, named
/// at the line's quantity.
pub(super) fn line_overflow(i: usize, what: &str) -> LineError {
    LineError::from(overflow(what).at(&path(&index("lines", i), "quantity")))
}
