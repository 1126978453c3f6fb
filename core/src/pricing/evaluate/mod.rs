//! Pricing an order with a compiled [`PriceBook`]: base price, rules,
//! guards, rounding, order discounts, shipping, and the explanation.
//!
//! Which lines count towards the order's sums — one rule for all of them:
//! **a line counts when it is priced**, i.e. it has a base price (its sku
//! is known and visible, its unit and quantity are valid, and a list of
//! the chain prices it). That rule holds for every order-wide figure: the
//! `order_sku` and `order_group` quantities that select tiers, the
//! `order_sku` and `order_scope` quantities of rule windows, the base
//! subtotal of order-amount windows and the subtotal that order discounts
//! run on. A line reported with an error (`NO_PRICE`, `BELOW_MOQ`, an
//! unknown sku, …) is left out of the totals (the spec), so its quantity
//! earns no volume price for the other lines either: what is not priced
//! will not be bought on this order. As a line's price may itself depend
//! on those quantities (a group tier the unpriced line helped reach),
//! pass 2 takes each line it cannot price out of the sums and prices again
//! the lines of the same sku or group, until no more lines fall out (each
//! line falls out at most once). A hint asking for more quantity says how
//! much of it is on lines without a price, which do not count. (A line
//! that fails later, in its own waterfall — too many rules, an overflow —
//! has counted by then, as the other lines' prices were already decided.)

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
    /// The order's quantity of each sku and product group over the lines
    /// that count (see the module doc): filled by pass 1, and lines pass 2
    /// cannot price are taken out again.
    sku_qty: FxHashMap<u32, Decimal>,
    group_qty: FxHashMap<u32, Decimal>,
    /// The lines taken out of the sums because they have no price, for
    /// the hints that ask for more quantity.
    unpriced: Vec<quantities::Scoped<'a>>,
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
