//! The result types of pricing: priced lines with their base price,
//! waterfall, floor and quantity status and hints; order adjustments,
//! shipping, the priced order and the catalog view.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use super::errors::LineProblem;
use super::text::{Plain, Price};
use crate::catalog::OrderingConstraints;
use crate::customer::Channel;
use crate::pricing::{Explain, TierMode};

/// A list passed over while looking for the base price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSkipped {
    /// The list.
    pub list_id: SmolStr,
    /// Why it did not price the line.
    pub reason: SkipReason,
}

/// Why a list of the chain did not price a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SkipReason {
    /// The list is in another currency.
    OtherCurrency {
        /// The list's currency.
        currency: String,
    },
    /// The list is not valid at the pricing instant.
    NotValid,
    /// The list (and its parents) has no entry for the sku valid at the instant.
    NoEntry,
    /// The quantity is below the entry's lowest tier.
    BelowLowestTier {
        /// The lowest tier's `min_qty`.
        min_qty: Decimal,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::OtherCurrency { currency } => write!(f, "list is in {currency}"),
            Self::NotValid => f.write_str("list not valid at the pricing instant"),
            Self::NoEntry => f.write_str("no entry for the sku"),
            Self::BelowLowestTier { min_qty } => {
                write!(f, "below the lowest tier ({})", Plain(*min_qty))
            }
        }
    }
}

/// One band of a graduated price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraduatedBand {
    /// The tier's `min_qty`.
    pub min_qty: Decimal,
    /// Base units priced in this band.
    pub quantity: Decimal,
    /// Price per base unit of the band.
    pub price: Decimal,
    /// quantity × price, unrounded.
    pub amount: Decimal,
}

/// Where the base price came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BasePrice {
    /// The list that priced the line.
    pub list_id: SmolStr,
    /// When that list derives the price from a parent: the list whose entry was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_list_id: Option<SmolStr>,
    /// Tier mode.
    pub tier_mode: TierMode,
    /// The tier reached (`min_qty`), for all-units tiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_min_qty: Option<Decimal>,
    /// The quantity that selected the tier.
    pub tier_quantity: Decimal,
    /// The price as the list quotes it (per `quoted_unit`), for all-units tiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_price: Option<Decimal>,
    /// The unit the list quotes in.
    pub quoted_unit: SmolStr,
    /// Price per base unit at full precision (graduated: band sum ÷ quantity).
    pub price_per_base_unit: Decimal,
    /// Bands of a graduated price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<GraduatedBand>,
    /// Exact band sum of a graduated price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_sum: Option<Decimal>,
    /// Lists tried before this one, with why they did not price (only at
    /// `explain: full`).
    // Shared between the lines of an order passed over the same lists.
    #[serde(default, skip_serializing_if = "no_skipped_lists")]
    pub lists_skipped: Arc<[ListSkipped]>,
    /// How the price was converted, when it came from a list in another
    /// currency at the request's exchange rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // Boxed: rare, and a base price moves from pass to pass.
    pub conversion: Option<Box<super::CurrencyConversion>>,
}

pub(super) fn no_skipped_lists(l: &Arc<[ListSkipped]>) -> bool {
    l.is_empty()
}

/// One step of the waterfall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// The rule (`floor` for a clamp, the group's name for an additive
    /// group, whose members are in the effect).
    pub rule_id: SmolStr,
    /// What it did.
    pub effect: Effect,
    /// Price per base unit before.
    pub price_before: Decimal,
    /// Price per base unit after.
    pub price_after: Decimal,
    /// The exclusive group the rule won.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_group: Option<SmolStr>,
    /// Group members that lost, with the price each would have given
    /// (only at `explain: full`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost: Vec<TierView>,
    /// Whether the rule ended the chain.
    #[serde(default)]
    pub stopped: bool,
}

/// What an adjustment did to the price per base unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// A percentage off.
    PercentOff {
        /// Percent.
        percent: Decimal,
    },
    /// An amount off per base unit.
    AmountOff {
        /// Amount.
        amount: Decimal,
        /// The result would have been negative and was clamped at zero.
        clamped_at_zero: bool,
    },
    /// A markup in percent (the price went up).
    PercentUp {
        /// Percent.
        percent: Decimal,
    },
    /// A surcharge per base unit (the price went up).
    AmountUp {
        /// Amount.
        amount: Decimal,
    },
    /// The price was set.
    FixedPrice {
        /// The price.
        price: Decimal,
    },
    /// Cost plus a margin.
    CostPlus {
        /// The product's cost per base unit.
        cost: Decimal,
        /// The margin in percent.
        margin_pct: Decimal,
    },
    /// Free goods added as a separate line; the price is unchanged.
    FreeGoods {
        /// The free sku.
        sku: SmolStr,
        /// Units free per block.
        free_qty: Decimal,
        /// Units bought per block.
        per_qty: Decimal,
    },
    /// The summed percentage of an additive group, applied once.
    AdditivePercentOff {
        /// The sum of the members' percentages (at most 100).
        percent: Decimal,
        /// The sum was above 100 and was capped at 100.
        capped_at_100: bool,
        /// The members that applied, in rule order.
        members: Vec<crate::pricing::AdditiveMember>,
    },
    /// Raised to the product's floor (book setting `clamp`).
    FloorClamp {
        /// The floor.
        floor: Decimal,
    },
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PercentOff { percent } => write!(f, "{}% off", Plain(*percent)),
            Self::AmountOff {
                amount,
                clamped_at_zero: false,
            } => write!(f, "{} off", Price(*amount)),
            Self::AmountOff {
                amount,
                clamped_at_zero: true,
            } => {
                write!(f, "{} off, clamped at zero", Price(*amount))
            }
            Self::PercentUp { percent } => write!(f, "{}% up", Plain(*percent)),
            Self::AmountUp { amount } => write!(f, "{} up", Price(*amount)),
            Self::FixedPrice { price } => write!(f, "fixed price {}", Price(*price)),
            Self::CostPlus { cost, margin_pct } => {
                write!(f, "cost {} plus {}%", Price(*cost), Plain(*margin_pct))
            }
            Self::FreeGoods {
                sku,
                free_qty,
                per_qty,
            } => {
                write!(
                    f,
                    "{} {sku} free for every {} bought",
                    Plain(*free_qty),
                    Plain(*per_qty)
                )
            }
            Self::AdditivePercentOff {
                percent,
                capped_at_100,
                members,
            } => {
                write!(f, "{}% off (", Plain(*percent))?;
                for (i, m) in members.iter().enumerate() {
                    let sep = if i == 0 { "" } else { " + " };
                    write!(f, "{sep}{} {}%", m.rule_id, Plain(m.percent))?;
                }
                f.write_str(if *capped_at_100 {
                    ", capped at 100%)"
                } else {
                    ")"
                })
            }
            Self::FloorClamp { floor } => write!(f, "raised to the floor {}", Price(*floor)),
        }
    }
}

/// A (label, price) pair: a losing group member, or a catalog tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierView {
    /// Rule id, or the tier's `min_qty` in words.
    pub label: String,
    /// The price.
    pub price: Decimal,
}

/// Whether the net price respects the product's floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FloorStatus {
    /// No floor, or at or above it.
    Ok,
    /// Below the floor (per base unit); approvals can act on it.
    BelowFloor {
        /// The floor.
        floor: Decimal,
        /// floor − net price.
        gap: Decimal,
    },
    /// Raised to the floor by the book's clamp setting.
    Clamped {
        /// The floor.
        floor: Decimal,
        /// The price before the clamp.
        from: Decimal,
    },
}

/// Whether the ordered quantity passed MOQ, multiple and maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum QuantityStatus {
    /// Passed.
    Ok,
    /// Replaced by the suggestion (book setting `apply_suggestion`).
    Adjusted {
        /// Requested base quantity.
        from: Decimal,
        /// Priced base quantity.
        to: Decimal,
        /// Which constraint.
        reason: String,
    },
}

/// Kind of hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// Order more to reach a better tier.
    NextTier,
    /// Order more to be priced from an earlier list of the chain.
    EarlierList,
    /// Order more to reach a rule's quantity window.
    RuleQuantity,
    /// Raise the order amount to reach a rule.
    RuleAmount,
    /// A rule that is not valid yet.
    RuleNotYetValid,
    /// A rule that was skipped (no cost, invisible free item).
    RuleSkipped,
    /// Order more to get free goods.
    FreeGoods,
}

/// A rule or tier that almost applied, and what it would take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    /// Kind.
    pub kind: HintKind,
    /// The rule concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<SmolStr>,
    /// Base units more to order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_needed: Option<Decimal>,
    /// Amount more to order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_needed: Option<Decimal>,
    /// The hint in words ("order 150 more to reach R2").
    pub message: String,
}

/// A sale line, or free goods added by a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LineKind {
    /// A line the buyer asked for.
    Sale,
    /// Free goods.
    Free {
        /// Index of the triggering line in the request.
        linked_to: usize,
        /// The free-goods rule.
        rule_id: SmolStr,
    },
}

/// A priced line with its waterfall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PricedLine {
    /// Index of the line in the request (of the triggering line for free goods).
    pub line_index: usize,
    /// Host's line id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<SmolStr>,
    /// Sale or free goods.
    pub kind: LineKind,
    /// The sku.
    pub sku: SmolStr,
    /// Product name.
    pub name: SmolStr,
    /// HSN/SAC code.
    pub hsn: SmolStr,
    /// GST rate class.
    pub gst_rate_class: SmolStr,
    /// Quantity in the ordered unit.
    pub quantity: Decimal,
    /// The ordered unit.
    pub unit: SmolStr,
    /// Quantity in base units.
    pub base_quantity: Decimal,
    /// The base unit.
    pub base_unit: SmolStr,
    /// Where the base price came from (absent for free goods, and for
    /// every line at `explain: none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_price: Option<BasePrice>,
    /// Every adjustment in order (none at `explain: none`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjustment>,
    /// Net price per base unit, full precision.
    pub net_price_per_base_unit: Decimal,
    /// Net price per ordered unit, rounded to the unit price scale.
    pub net_unit_price: Decimal,
    /// Line amount, rounded to minor units.
    pub amount: Decimal,
    /// Share of order discounts.
    pub order_discount_share: Decimal,
    /// amount − order discount share: the line's taxable value before charges.
    pub taxable_amount: Decimal,
    /// Floor status.
    pub floor: FloorStatus,
    /// Quantity-constraint status.
    pub quantity_status: QuantityStatus,
    /// Buyer's target price per ordered unit, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_price: Option<Decimal>,
    /// Hints (only at `explain: full`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
    /// For each cumulative rule that applied, what came from the purchase
    /// history and what from this order (not at `explain: none`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cumulative: Vec<crate::pricing::CumulativeCount>,
}

/// One order discount applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderAdjustment {
    /// The rule.
    pub rule_id: String,
    /// What it did.
    pub description: String,
    /// Running subtotal before, unrounded (up to 10 places).
    pub before: Decimal,
    /// Running subtotal after, unrounded (up to 10 places).
    pub after: Decimal,
    /// Discount amount, unrounded (up to 10 places): the discounts
    /// compound exactly and only their total (`order_discount_total`) is
    /// rounded to minor units.
    pub amount: Decimal,
}

/// The shipping charge line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingCharge {
    /// The rule that set it.
    pub rule_id: String,
    /// The charge, rounded to minor units (before tax).
    pub amount: Decimal,
    /// SAC of the charge line (its own tax treatment when invoiced).
    pub sac: String,
    /// Destination state code.
    pub destination_state: String,
    /// Total weight in kg.
    pub weight_kg: Decimal,
    /// How it was computed.
    pub description: String,
}

/// The result of pricing an order: lines with waterfalls, problems, totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PricedOrder {
    /// Host's order id, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Price book id.
    pub price_book_id: String,
    /// Price book version.
    pub price_book_version: String,
    /// The customer.
    pub customer_id: String,
    /// The segment that priced.
    pub segment: String,
    /// Currency.
    pub currency: String,
    /// Channel.
    pub channel: Channel,
    /// The pricing instant.
    pub priced_at: DateTime<FixedOffset>,
    /// How much explanation the result carries, as requested; absent when
    /// `full`. At `summary` and `none` an empty hint list means "not
    /// computed", not "nothing almost applied".
    #[serde(default, skip_serializing_if = "Explain::is_full")]
    pub explain: Explain,
    /// Whether every requested line priced.
    pub all_priced: bool,
    /// Priced lines (free goods follow their triggering line).
    pub lines: Vec<PricedLine>,
    /// Lines that could not be priced.
    pub errors: Vec<LineProblem>,
    /// Sum of line amounts.
    pub subtotal: Decimal,
    /// Order discounts applied (none listed at `explain: none`; their
    /// total is still in `order_discount_total`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order_discounts: Vec<OrderAdjustment>,
    /// Sum of order discounts.
    pub order_discount_total: Decimal,
    /// Shipping charge, when a rule set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<ShippingCharge>,
    /// subtotal − order discounts + shipping.
    pub total_before_tax: Decimal,
    /// Order-level hints (order discounts almost reached; only at
    /// `explain: full`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
    /// The request asked to price from the lists alone (`ignore_rules`):
    /// no line rule or order discount ran.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rules_ignored: bool,
}

/// A product as a customer sees it in the catalog, with prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntryView {
    /// The sku.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Category path.
    pub category: String,
    /// HSN/SAC.
    pub hsn: String,
    /// Base unit.
    pub base_unit: String,
    /// Ordering constraints for this customer.
    pub constraints: OrderingConstraints,
    /// Quantity the price is for: the smallest passing the MOQ, multiple
    /// and maximum (else one step), in base units.
    pub quantity: Decimal,
    /// Net price per base unit at that quantity, rounded; absent if unpriced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_unit_price: Option<Decimal>,
    /// Tier ladder of the entry that priced it (valid at the pricing instant,
    /// scaled for derived lists), each price per base unit, unrounded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierView>,
    /// Why it has no price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}
