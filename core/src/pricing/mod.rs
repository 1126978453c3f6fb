//! The price book: price lists with tiers and fallback, price rules with
//! priorities, stacking and exclusive groups, guards (floors, MOQ), order
//! discounts, shipping charges, and a full explanation of every price.
//!
//! A [`PriceBookDefinition`] (the JSON a host stores) is compiled once into a
//! [`PriceBook`]: compilation validates every reference and indexes rules by
//! (product scope, customer scope) so that pricing a line looks up a handful
//! of buckets instead of scanning every rule. Pricing an order is then a pure
//! function of the book, the customer and the request.
//!
//! How much of the explanation a result carries is the request's choice
//! ([`Explain`]): `full` (the default) has everything; `summary` keeps where
//! each base price came from and the waterfall of the rules that applied;
//! `none` keeps prices, amounts, totals and line errors only. What a level
//! leaves out is not computed, and prices are the same at every level.
//!
//! Where rounding happens is fixed: everything is evaluated per base unit at
//! full precision; the shown net unit price (per ordered unit) is rounded to
//! `unit_price_scale`; the line amount is that rounded price × quantity,
//! rounded to the currency's minor units — except for graduated-tier lines,
//! whose amount is the exact band sum carried through the rules (never
//! the rounded average × quantity), rounded once, so a graduated line
//! costs exactly its band sum. Order discounts compound on the exact
//! running subtotal; only their total is rounded, then spread over lines.
//!
//! Decisions where the specification is silent:
//! - the lines that count towards an order-wide sum (tier and rule
//!   quantities on an order basis, order-amount windows, order discounts)
//!   are the priced ones: a line reported with an error (`NO_PRICE`, …)
//!   counts nowhere, on every basis alike (see `evaluate`); a product
//!   without a group counts alone under `order_group`: its own lines summed;
//! - validity windows are half-open `[valid_from, valid_until)` instants
//!   (RFC 3339 with offset); quantity and amount windows of rules are closed
//!   `[min, max]`;
//! - a price-list entry may not overlap another entry of the same sku, unit
//!   and list in time (rejected at compile time), so exactly one entry prices;
//! - graduated entries also fall back to the next list below their lowest
//!   tier, like all-units entries;
//! - rules with money amounts (amount off, fixed price, order-amount window)
//!   apply only to orders in the rule's currency (the book's by default);
//!   percent rules apply in any currency;
//! - a line with several quantity-constraint violations reports the first
//!   (MOQ, then multiple, then maximum) with one suggestion that passes all;
//! - hints are "almost there" only: the extra quantity or amount they ask
//!   for is at most `hint_reach_pct` (100 by default) of what the line or
//!   order already has; and they promise only what the engine does: each
//!   is checked by pricing its line again at the quantity (or order amount)
//!   it asks for, and kept only when the hinted rule applies there (not
//!   behind a `stop`, not beaten in its exclusive group), the free line is
//!   added, or — for a tier or an earlier list — the net is lower than now,
//!   the hint then saying that net (`evaluate::hints::check_hints`);
//! - derived price lists (`based_on`) price skus they have no entry for from
//!   their parent, adjusted by a percentage; chains are limited to 8 links
//!   and cycles are rejected;
//! - a book is compiled against one catalog, so a rule naming a category,
//!   brand, tag or product group that no product of that catalog carries is
//!   a compile error (`UNKNOWN_CATEGORY`, `UNKNOWN_BRAND`, `UNKNOWN_TAG`,
//!   `UNKNOWN_PRODUCT_GROUP` at e.g. `rules[3].when.categories[1]`), like an
//!   unknown sku: such a rule could never apply and is almost always a typo.
//!   A rule prepared for products not yet listed is compiled once they are
//!   in the catalog (the book is recompiled whenever the catalog changes).
//!   Likewise a shipping or order rule naming a zone the book does not
//!   define is `UNKNOWN_ZONE`.
//!
//! What an ERPNext or Odoo user carries over (issue 21), decided where the
//! specification is silent:
//! - `ignore_rules` on a request (ERPNext's `ignore_pricing_rule`) prices
//!   every line from its lists alone: no line rule and no order discount
//!   runs (nor hints of them), while tiers, floors, quantity constraints
//!   and shipping charges apply as usual; the result says `rules_ignored`;
//! - markups `percent_up` and `amount_up` raise the running price in the
//!   rule order (see `markup`); a negative percent or amount off is refused
//!   with a message naming them;
//! - additive groups sum their members' percentages and apply them once
//!   (see `additive`);
//! - `cumulative` rules count the customer's earlier purchases, passed by
//!   the host in `purchase_history` (see `history`);
//! - a list in another currency prices a sku that no list prices in the
//!   order's currency when the request gives `exchange_rates`: the base
//!   price is converted once and rounded to the order currency's minor
//!   units, then rules run in the order's currency (see
//!   `evaluate::currency`).

mod additive;
mod compile;
mod evaluate;
mod floor;
mod history;
mod markup;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use additive::AdditiveMember;
pub use compile::PriceBook;
pub use evaluate::{
    Adjustment, BasePrice, CatalogEntryView, CurrencyConversion, Effect, ExchangeRate, FloorStatus,
    GraduatedBand, Hint, HintKind, LineError, LineKind, LineProblem, ListSkipped, OrderAdjustment,
    PricedLine, PricedOrder, QuantityStatus, ShippingCharge, SkipReason, TierView,
};
pub(crate) use floor::product_floor;
pub use history::{CumulativeCount, HistoryScope, PurchaseTotal};

use crate::customer::{Channel, CustomerError};
use crate::error::{ErrorCode, ErrorInfo};
use crate::money::{Currency, MoneyError, RoundingMode};

/// Errors of compiling a price book or pricing an order as a whole. Problems
/// of single lines are not errors of the order: they are reported in
/// [`PricedOrder::errors`] and the other lines are still priced.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum PricingError {
    /// Compilation found problems; every one is listed.
    #[error("the price book has {} problem(s): {}", issues.len(), crate::catalog::summary(issues))]
    InvalidPriceBook {
        /// Every problem, with its code and field path.
        issues: Vec<ErrorInfo>,
    },
    /// The order has no lines.
    #[error("the order has no lines")]
    EmptyOrder {
        /// Field path (`lines`).
        field: String,
    },
    /// The order has more lines than the book allows.
    #[error("the order has {count} lines; at most {max} are allowed")]
    TooManyLines {
        /// Field path (`lines`).
        field: String,
        /// Lines given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The customer is assigned a price list the book does not have.
    #[error("price list {list:?} is not in price book {book:?}")]
    UnknownPriceList {
        /// Field path.
        field: String,
        /// The list id.
        list: String,
        /// The book id.
        book: String,
    },
    /// The customer may not order through this channel.
    #[error("customer {customer:?} does not order through {channel:?}")]
    ChannelNotAllowed {
        /// Field path (`channel`).
        field: String,
        /// The customer.
        customer: String,
        /// The channel given.
        channel: String,
    },
    /// A purchase total of the request is refused.
    #[error("purchase history {field}: {value} {rule}")]
    InvalidPurchaseHistory {
        /// Field path (`purchase_history[2].quantity`).
        field: String,
        /// The value refused.
        value: String,
        /// The rule it breaks.
        rule: String,
    },
    /// An exchange rate of the request is refused.
    #[error("exchange rate {field}: {value} {rule}")]
    InvalidExchangeRate {
        /// Field path (`exchange_rates[0].rate`).
        field: String,
        /// The value refused.
        value: String,
        /// The rule it breaks.
        rule: String,
    },
    /// A bad customer record.
    #[error(transparent)]
    Customer(#[from] CustomerError),
    /// A bad currency or an arithmetic overflow.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ErrorCode for PricingError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidPriceBook { .. } => "INVALID_PRICE_BOOK",
            Self::EmptyOrder { .. } => "EMPTY_ORDER",
            Self::TooManyLines { .. } => "TOO_MANY_LINES",
            Self::UnknownPriceList { .. } => "UNKNOWN_PRICE_LIST",
            Self::ChannelNotAllowed { .. } => "CHANNEL_NOT_ALLOWED",
            Self::InvalidPurchaseHistory { .. } => "INVALID_PURCHASE_HISTORY",
            Self::InvalidExchangeRate { .. } => "INVALID_EXCHANGE_RATE",
            Self::Customer(e) => e.code(),
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidPriceBook { issues } => issues.first().and_then(|i| i.field.as_deref()),
            Self::EmptyOrder { field }
            | Self::TooManyLines { field, .. }
            | Self::UnknownPriceList { field, .. }
            | Self::ChannelNotAllowed { field, .. }
            | Self::InvalidPurchaseHistory { field, .. }
            | Self::InvalidExchangeRate { field, .. } => Some(field),
            Self::Customer(e) => e.field(),
            Self::Money(e) => e.field(),
        }
    }
}

/// What to do with a net price below the product's floor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum FloorMode {
    /// Keep the price and flag the line `below_floor` (approvals can use it).
    #[default]
    Flag,
    /// Raise the price to the floor and show the clamp in the explanation.
    Clamp,
}

/// What to do with a line that breaks MOQ, multiple or maximum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum QuantityMode {
    /// Report the line as an error with a suggested quantity.
    #[default]
    Reject,
    /// Price the suggested quantity instead, recorded in the explanation.
    ApplySuggestion,
}

/// Settings of a price book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct PriceBookSettings {
    /// Rounding of unit prices and amounts.
    pub rounding: RoundingMode,
    /// Decimal places of the shown net unit price (0–4).
    pub unit_price_scale: u32,
    /// Below-floor handling.
    pub floor_mode: FloorMode,
    /// Quantity-constraint handling.
    pub quantity_mode: QuantityMode,
    /// Most lines one order may have.
    pub max_lines: usize,
    /// Most candidate rules one line may have (bounded work).
    pub max_rules_per_line: usize,
    /// SAC code of shipping charge lines.
    pub shipping_sac: String,
    /// Hints ("order 150 more to reach R2") are shown only when the extra
    /// quantity or amount is at most this percent of what the order has.
    pub hint_reach_pct: Decimal,
}

impl Default for PriceBookSettings {
    fn default() -> Self {
        Self {
            rounding: RoundingMode::HalfUp,
            unit_price_scale: 2,
            floor_mode: FloorMode::Flag,
            quantity_mode: QuantityMode::Reject,
            max_lines: 10_000,
            max_rules_per_line: 1_000,
            shipping_sac: "996511".to_owned(),
            hint_reach_pct: Decimal::ONE_HUNDRED,
        }
    }
}

/// Tier mode of a price-list entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// The tier the total quantity reaches prices every unit (volume).
    #[default]
    AllUnits,
    /// Each unit is priced by the tier its position falls in (incremental).
    Graduated,
}

/// Which quantity counts for a price-list entry's tiers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum TierBasis {
    /// The line's own quantity.
    #[default]
    Line,
    /// The same sku summed over the order.
    OrderSku,
    /// Summed over the order's lines of the same product group.
    OrderGroup,
}

/// Which quantity counts for a rule's quantity window and free goods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RuleBasis {
    /// The line's own quantity.
    #[default]
    Line,
    /// The same sku summed over the order.
    OrderSku,
    /// Summed over every order line the rule's product scope matches.
    OrderScope,
}

/// One quantity tier: from `min_qty` (base units) on, `price` per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Smallest quantity this tier covers, in base units.
    pub min_qty: Decimal,
    /// Price per the entry's unit.
    pub price: Decimal,
}

/// A price of one sku in a list: a single price or quantity tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    /// The sku priced.
    pub sku: String,
    /// Unit the price is per; the base unit when absent (₹2,400 per BOX).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// One price for every quantity (use either this or `tiers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// Quantity tiers, ascending `min_qty`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Tier>,
    /// How tiers price a quantity.
    #[serde(default)]
    pub tier_mode: TierMode,
    /// Which quantity selects the tier.
    #[serde(default)]
    pub quantity_basis: TierBasis,
    /// Entry valid from (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<FixedOffset>>,
    /// Entry valid until (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
}

/// A list derived from another: skus it has no entry for are priced from
/// `list`, adjusted by `percent` (−10 = ten percent below).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasedOn {
    /// The parent list.
    pub list: String,
    /// Percentage adjustment of the parent's prices.
    pub percent: Decimal,
}

/// A price list: a currency, an optional validity window and entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceList {
    /// List id, unique in the book.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Currency of every price in the list.
    pub currency: String,
    /// List valid from (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<FixedOffset>>,
    /// List valid until (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Derive unlisted skus from another list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<BasedOn>,
    /// Prices.
    #[serde(default)]
    pub entries: Vec<PriceEntry>,
}

/// Conditions of a price rule; every present condition must hold. Within one
/// kind (say `skus`) any value matches; across kinds all must.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct RuleConditions {
    /// Product scope: these skus.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skus: Vec<String>,
    /// Product scope: these product groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub product_groups: Vec<String>,
    /// Product scope: these categories and their descendants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Product scope: these brands.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub brands: Vec<String>,
    /// Product scope: products with any of these tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Customer scope: these customer ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customers: Vec<String>,
    /// Customer scope: these segments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Customer scope: customers with any of these tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customer_tags: Vec<String>,
    /// Orders through these channels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// Quantity at least this (on the rule's basis, base units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_qty: Option<Decimal>,
    /// Quantity at most this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_qty: Option<Decimal>,
    /// Order subtotal at base prices at least this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_order_amount: Option<Decimal>,
    /// Order subtotal at base prices at most this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_order_amount: Option<Decimal>,
    /// Valid from (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<FixedOffset>>,
    /// Valid until (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Orders in this currency; money amounts of the rule are in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// What a price rule does to the running net price (per base unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleAction {
    /// price × (1 − percent/100).
    PercentOff {
        /// Percent off.
        percent: Decimal,
    },
    /// price − amount, clamped at zero.
    AmountOff {
        /// Amount off per base unit.
        amount: Decimal,
    },
    /// The net price becomes `price`.
    FixedPrice {
        /// Price per base unit.
        price: Decimal,
    },
    /// A markup on the running price: price × (1 + percent/100) (Odoo's
    /// surcharge, ERPNext's margin on the list rate).
    PercentUp {
        /// Percent up (not negative).
        percent: Decimal,
    },
    /// A surcharge per base unit on the running price: price + amount.
    AmountUp {
        /// Amount up per base unit (not negative).
        amount: Decimal,
    },
    /// cost × (1 + margin_pct/100); skipped for products without a cost.
    CostPlus {
        /// Margin over cost in percent.
        margin_pct: Decimal,
    },
    /// For every full `per_qty` bought, `free_qty` of `sku` free.
    FreeGoods {
        /// The free sku; the line's own sku when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sku: Option<String>,
        /// Units given free per block (base units of the free sku).
        free_qty: Decimal,
        /// Units bought per block (base units).
        per_qty: Decimal,
    },
}

/// A price rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRule {
    /// Rule id, unique in the book.
    pub id: String,
    /// Higher runs first; ties by id (plain string order).
    #[serde(default)]
    pub priority: i32,
    /// End the chain after this rule applies.
    #[serde(default)]
    pub stop: bool,
    /// Exclusive group: only the member best for the buyer applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_group: Option<String>,
    /// Additive group (ERPNext's default): the percentages of its
    /// applicable `percent_off` members are summed and applied once, at the
    /// group's place (10 % + 5 % → 15 % off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additive_group: Option<String>,
    /// Which quantity the quantity window and free goods use.
    #[serde(default)]
    pub quantity_basis: RuleBasis,
    /// The quantity and amount windows also count the customer's earlier
    /// purchases in the rule's period (ERPNext's `is_cumulative`), as the
    /// request's `purchase_history` gives them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cumulative: bool,
    /// Conditions.
    #[serde(default)]
    pub when: RuleConditions,
    /// Action.
    pub action: RuleAction,
}

/// Conditions of an order discount or shipping rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct OrderConditions {
    /// Customer scope: these customer ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customers: Vec<String>,
    /// Customer scope: these segments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Customer scope: customers with any of these tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customer_tags: Vec<String>,
    /// Orders through these channels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// Order value at least this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<Decimal>,
    /// Order value at most this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Decimal>,
    /// Destination state codes (shipping rules).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<String>,
    /// Destination zones (shipping rules; see the book's `zones`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// Total weight at least this many kg (shipping rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_weight_kg: Option<Decimal>,
    /// Total weight at most this many kg (shipping rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_weight_kg: Option<Decimal>,
    /// Valid from (inclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<FixedOffset>>,
    /// Valid until (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    /// Orders in this currency (the book's by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// What an order discount does to the running subtotal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderAction {
    /// Percent off the running subtotal.
    PercentOff {
        /// Percent.
        percent: Decimal,
    },
    /// A fixed amount off (never below zero).
    AmountOff {
        /// Amount.
        amount: Decimal,
    },
}

/// An order-level discount, spread over the lines by amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderDiscountRule {
    /// Rule id, unique among order rules.
    pub id: String,
    /// Higher runs first.
    #[serde(default)]
    pub priority: i32,
    /// End order discounts after this one.
    #[serde(default)]
    pub stop: bool,
    /// Conditions (`min_amount`/`max_amount` are on the line-amount subtotal).
    #[serde(default)]
    pub when: OrderConditions,
    /// Action.
    pub action: OrderAction,
}

/// A slab: from `min` on, `charge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Slab {
    /// Lower bound (kg or order value), inclusive.
    pub min: Decimal,
    /// Charge from that bound on.
    pub charge: Decimal,
}

/// How a shipping rule computes the charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ShippingTariff {
    /// One fixed charge.
    Flat {
        /// Charge.
        amount: Decimal,
    },
    /// By total weight slab.
    WeightSlabs {
        /// Ascending slabs.
        slabs: Vec<Slab>,
    },
    /// By order value slab (after order discounts).
    ValueSlabs {
        /// Ascending slabs.
        slabs: Vec<Slab>,
    },
    /// No charge (e.g. free above a threshold set by `min_amount`).
    Free,
}

/// A shipping charge rule; the first match in (priority desc, id) sets the charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingRule {
    /// Rule id, unique among shipping rules.
    pub id: String,
    /// Higher is tried first.
    #[serde(default)]
    pub priority: i32,
    /// Conditions (`min_amount`/`max_amount` on the value after order discounts).
    #[serde(default)]
    pub when: OrderConditions,
    /// The charge.
    pub charge: ShippingTariff,
}

/// Everything a price book is made of, as a host stores it (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceBookDefinition {
    /// Book id.
    pub id: String,
    /// Version label, echoed in every result.
    #[serde(default)]
    pub version: String,
    /// Main currency: money amounts of rules are in it unless they say otherwise.
    pub currency: String,
    /// Settings.
    #[serde(default)]
    pub settings: PriceBookSettings,
    /// Extra (non-ISO) currencies with their minor units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<Currency>,
    /// Price lists.
    pub price_lists: Vec<PriceList>,
    /// Lists every customer falls back to, in order.
    #[serde(default)]
    pub default_price_lists: Vec<String>,
    /// Lists per segment, in order.
    #[serde(default)]
    pub segment_price_lists: BTreeMap<String, Vec<String>>,
    /// Line price rules.
    #[serde(default)]
    pub rules: Vec<PriceRule>,
    /// Order discount rules.
    #[serde(default)]
    pub order_rules: Vec<OrderDiscountRule>,
    /// Shipping charge rules.
    #[serde(default)]
    pub shipping_rules: Vec<ShippingRule>,
    /// Zones: name → state codes.
    #[serde(default)]
    pub zones: BTreeMap<String, Vec<String>>,
}

/// One requested line of an order, cart or quote request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// Host's line id, echoed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The sku.
    pub sku: String,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// Ordered unit; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Buyer's target price per ordered unit (quote requests), echoed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_price: Option<Decimal>,
}

/// How much of the explanation a priced order carries.
///
/// The explanation (hints, lists passed over, losing group members, the
/// waterfall) is most of what pricing builds and allocates; a cart that
/// shows prices and totals needs none of it. At `summary` and `none` the
/// engine does not compute what it leaves out. Prices, amounts, totals and
/// line errors are the same at every level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Explain {
    /// Everything: base price with the lists passed over, the waterfall
    /// with the losers of exclusive groups, line and order hints.
    #[default]
    Full,
    /// Where each base price came from (list, tier, bands) and the
    /// waterfall of the rules that applied, with the order discounts; no
    /// hints, no lists passed over, no losing group members.
    Summary,
    /// Prices only: each line's quantities, net unit price, amount and
    /// quantity status, the line errors and the order's totals; no base
    /// price record, waterfall, order discount steps or hints.
    None,
}

impl Explain {
    /// Whether this is the default, [`Explain::Full`] (serde skips it, so a
    /// request or result without the option keeps its JSON).
    pub fn is_full(&self) -> bool {
        *self == Self::Full
    }
}

/// A request to price an order for one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceRequest {
    /// Host's order, cart or quote id, echoed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Currency of the order.
    pub currency: String,
    /// Channel the order comes through.
    pub channel: Channel,
    /// The pricing instant ("now", supplied by the host).
    pub priced_at: DateTime<FixedOffset>,
    /// Destination state code; the customer's default ship-to when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to_state: Option<String>,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// How much explanation the result carries (`full` by default).
    #[serde(default, skip_serializing_if = "Explain::is_full")]
    pub explain: Explain,
    /// Price from the lists alone (ERPNext's `ignore_pricing_rule`): no line
    /// rule and no order discount runs; floors, quantity constraints and
    /// shipping charges still apply. The result records it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_rules: bool,
    /// The customer's earlier purchases, for `cumulative` rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purchase_history: Vec<PurchaseTotal>,
    /// Exchange rates into the order's currency, for a sku that no list
    /// prices in it: a list in another currency then prices it, converted
    /// once (see `pricing::evaluate::currency`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchange_rates: Vec<ExchangeRate>,
}
