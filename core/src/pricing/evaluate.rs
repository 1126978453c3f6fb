//! Pricing an order with a compiled [`PriceBook`]: base price, rules,
//! guards, rounding, order discounts, shipping, and the explanation.

// Line errors carry their field path and details by value; they are the
// cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

use std::cmp::Reverse;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use thiserror::Error;

use super::compile::{
    channel_bit, key, CompiledEntry, CompiledList, CompiledRule, CustomerIds, PriceBook,
    RuleBucket, MAX_LIST_CHAIN,
};
use super::{
    Explain, FloorMode, OrderAction, OrderConditions, PriceRequest, PricingError, QuantityMode,
    RuleAction, RuleBasis, ShippingTariff, TierBasis, TierMode,
};
use crate::catalog::{Catalog, CatalogError, CatalogProduct, OrderingConstraints};
use crate::customer::{Channel, Customer};
use crate::error::{index, path, ErrorCode};
use crate::money::{self, allocate_proportionally, Currency, MoneyError, RoundingMode};
use crate::units::UnitError;

/// Why one line could not be priced. The order's other lines are still priced.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum LineError {
    /// Unknown sku, or one the customer may not see; or not orderable.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Bad unit or quantity.
    #[error(transparent)]
    Unit(#[from] UnitError),
    /// No list in the customer's chain prices the sku.
    #[error("no price for {sku:?} in {currency}; lists tried: {}", tried.join(", "))]
    NoPrice {
        /// Field path.
        field: String,
        /// The sku.
        sku: String,
        /// The order currency.
        currency: String,
        /// Each list tried, with why it did not price.
        tried: Vec<String>,
    },
    /// Quantity below the minimum order quantity.
    #[error("quantity {requested} is below the MOQ of {limit}{}", suggestion(*suggested))]
    BelowMoq {
        /// Field path.
        field: String,
        /// Requested base quantity.
        requested: Decimal,
        /// The MOQ.
        limit: Decimal,
        /// A quantity that passes every constraint, if one exists.
        suggested: Option<Decimal>,
    },
    /// Quantity not a whole multiple of the order multiple (pack size).
    #[error("quantity {requested} is not a multiple of {limit}{}", suggestion(*suggested))]
    NotMultiple {
        /// Field path.
        field: String,
        /// Requested base quantity.
        requested: Decimal,
        /// The multiple.
        limit: Decimal,
        /// A quantity that passes every constraint, if one exists.
        suggested: Option<Decimal>,
    },
    /// Quantity above the maximum per order.
    #[error("quantity {requested} is above the maximum of {limit}{}", suggestion(*suggested))]
    AboveMax {
        /// Field path.
        field: String,
        /// Requested base quantity.
        requested: Decimal,
        /// The maximum.
        limit: Decimal,
        /// A quantity that passes every constraint, if one exists.
        suggested: Option<Decimal>,
    },
    /// More candidate rules than the book allows per line.
    #[error("{count} candidate rules exceed the limit of {limit} per line")]
    TooManyRules {
        /// Field path.
        field: String,
        /// Candidates found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Arithmetic overflow.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl ErrorCode for LineError {
    fn code(&self) -> &'static str {
        match self {
            Self::Catalog(e) => e.code(),
            Self::Unit(e) => e.code(),
            Self::NoPrice { .. } => "NO_PRICE",
            Self::BelowMoq { .. } => "BELOW_MOQ",
            Self::NotMultiple { .. } => "NOT_MULTIPLE",
            Self::AboveMax { .. } => "ABOVE_MAX",
            Self::TooManyRules { .. } => "TOO_MANY_RULES",
            Self::Money(e) => e.code(),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Catalog(e) => e.field(),
            Self::Unit(e) => e.field(),
            Self::Money(e) => e.field(),
            Self::NoPrice { field, .. }
            | Self::BelowMoq { field, .. }
            | Self::NotMultiple { field, .. }
            | Self::AboveMax { field, .. }
            | Self::TooManyRules { field, .. } => Some(field),
        }
    }
}

/// A line that could not be priced, as reported in the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineProblem {
    /// Index of the line in the request.
    pub line_index: usize,
    /// Host's line id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The sku asked for.
    pub sku: String,
    /// Stable error code (`BELOW_MOQ`, `NO_PRICE`, `UNKNOWN_SKU` …).
    pub code: String,
    /// Field path (`lines[3].quantity`).
    pub field: String,
    /// Readable message.
    pub message: String,
    /// Requested quantity in base units (quantity constraints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<Decimal>,
    /// The limit broken (quantity constraints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Decimal>,
    /// A base quantity that passes every constraint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<Decimal>,
}

impl LineProblem {
    fn new(line_index: usize, line_id: Option<String>, sku: String, e: &LineError) -> Self {
        let (requested, limit, suggested) = match e {
            LineError::BelowMoq {
                requested,
                limit,
                suggested,
                ..
            }
            | LineError::NotMultiple {
                requested,
                limit,
                suggested,
                ..
            }
            | LineError::AboveMax {
                requested,
                limit,
                suggested,
                ..
            } => (Some(*requested), Some(*limit), *suggested),
            _ => (None, None, None),
        };
        Self {
            line_index,
            line_id,
            sku,
            code: e.code().to_owned(),
            field: e.field().unwrap_or_default().to_owned(),
            message: e.to_string(),
            requested,
            limit,
            suggested,
        }
    }
}

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
}

fn no_skipped_lists(l: &Arc<[ListSkipped]>) -> bool {
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
        members: Vec<super::AdditiveMember>,
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
    pub cumulative: Vec<super::CumulativeCount>,
}

/// One order discount applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderAdjustment {
    /// The rule.
    pub rule_id: String,
    /// What it did.
    pub description: String,
    /// Running subtotal before.
    pub before: Decimal,
    /// Running subtotal after.
    pub after: Decimal,
    /// Discount amount.
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

struct Prepared<'a> {
    index: usize,
    sku_idx: u32,
    product: &'a CatalogProduct,
    quantity: Decimal,
    unit: SmolStr,
    factor: Decimal,
    base_qty: Decimal,
    /// `None` is [`QuantityStatus::Ok`]; boxed, as it is rare, to keep a
    /// line's record small: it is moved from pass to pass.
    adjusted: Option<Box<QuantityStatus>>,
}

/// A line's base price; the line itself stays in pass 1's vector.
struct Based {
    base: BaseRecord,
    base_line_amount: Decimal,
    hints: Vec<Hint>,
}

/// A line's base price as the result shows it, or, at [`Explain::None`],
/// only what pricing the line needs of it (no larger than the record, so
/// a line moves from pass to pass as cheaply as before).
enum BaseRecord {
    Shown(BasePrice),
    Bare {
        price_per_base_unit: Decimal,
        tier_mode: TierMode,
    },
}

impl BaseRecord {
    fn price_per_base_unit(&self) -> Decimal {
        match self {
            Self::Shown(b) => b.price_per_base_unit,
            Self::Bare {
                price_per_base_unit,
                ..
            } => *price_per_base_unit,
        }
    }

    fn tier_mode(&self) -> TierMode {
        match self {
            Self::Shown(b) => b.tier_mode,
            Self::Bare { tier_mode, .. } => *tier_mode,
        }
    }

    fn shown(self) -> Option<BasePrice> {
        match self {
            Self::Shown(b) => Some(b),
            Self::Bare { .. } => None,
        }
    }
}

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
    /// The order's channel as a bit of [`CompiledRule::channels`].
    channel_bit: u8,
    /// The order's currency among the rules' currencies.
    rule_currency: Option<u32>,
    sku_qty: FxHashMap<u32, Decimal>,
    group_qty: FxHashMap<u32, Decimal>,
    base_subtotal: Decimal,
    /// The request's purchase totals, for cumulative rules.
    history: super::history::History,
}

fn valid_at(
    from: Option<DateTime<FixedOffset>>,
    until: Option<DateTime<FixedOffset>>,
    at: DateTime<FixedOffset>,
) -> bool {
    from.is_none_or(|f| f <= at) && until.is_none_or(|u| at < u)
}

impl CompiledList {
    /// The list's own entry for a sku valid at `at`.
    // Inlined into the lookup loop: as a call it costs 1.5 % of an order.
    #[inline]
    fn entry_at(&self, sku: u32, at: DateTime<FixedOffset>) -> Option<&CompiledEntry> {
        self.entries
            .get(&sku)?
            .iter()
            .find(|e| valid_at(e.valid_from, e.valid_until, at))
    }
}

/// A decimal for people: no trailing zeros.
struct Plain(Decimal);

impl Plain {
    fn push_to(&self, out: &mut String) {
        push_decimal(out, self.0.normalize());
    }
}

impl std::fmt::Display for Plain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// A price for people: at least two decimals, no trailing zeros beyond.
struct Price(Decimal);

impl Price {
    fn push_to(&self, out: &mut String) {
        let mut n = self.0.normalize();
        if n.scale() < 2 {
            n.rescale(2);
        }
        push_decimal(out, n);
    }
}

impl std::fmt::Display for Price {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// Appends `d` exactly as its `Display` writes it (sign, digits, and as
/// many decimals as its scale), without the formatting machinery: hints
/// write a few of these per line.
fn push_decimal(out: &mut String, d: Decimal) {
    if d.is_sign_negative() {
        out.push('-');
    }
    let scale = d.scale() as usize;
    let mut digits = [0u8; 40];
    let mut len = 0;
    // In 64-bit pieces of 19 digits: 64-bit division is far cheaper.
    const PIECE: u128 = 10_000_000_000_000_000_000;
    let mantissa = d.mantissa().unsigned_abs();
    let (high, low) = ((mantissa / PIECE) as u64, (mantissa % PIECE) as u64);
    let mut put = |mut rest: u64, at_least: usize| {
        for slot in digits.iter_mut().skip(len) {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
            len += 1;
            if rest == 0 && len >= at_least {
                break;
            }
        }
    };
    if high == 0 {
        put(low, 1);
    } else {
        put(low, 19);
        put(high, 20);
    }
    // `digits` holds the mantissa's digits, least significant first.
    let written = |from: usize, to: usize, out: &mut String| {
        for k in (from..to).rev() {
            out.push(char::from(digits.get(k).copied().unwrap_or(b'0')));
        }
    };
    if len <= scale {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - len));
        written(0, len, out);
    } else {
        written(scale, len, out);
        if scale > 0 {
            out.push('.');
            written(0, scale, out);
        }
    }
}

/// A base-price hint whose words are written only if it is kept.
enum PendingHint<'a> {
    EarlierList {
        needed: Decimal,
        list: &'a SmolStr,
        quoted: Decimal,
        unit: &'a SmolStr,
    },
    NextTier {
        needed: Decimal,
        price: Decimal,
        unit: &'a SmolStr,
    },
}

impl PendingHint<'_> {
    fn into_hint(self) -> Hint {
        let (kind, needed, message) = match self {
            Self::EarlierList {
                needed,
                list,
                quoted,
                unit,
            } => {
                let mut m = String::with_capacity(64);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to be priced from list ");
                m.push_str(list);
                m.push_str(" at ");
                Price(quoted).push_to(&mut m);
                m.push('/');
                m.push_str(unit);
                (HintKind::EarlierList, needed, m)
            }
            Self::NextTier {
                needed,
                price,
                unit,
            } => {
                let mut m = String::with_capacity(40);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to reach ");
                Price(price).push_to(&mut m);
                m.push('/');
                m.push_str(unit);
                (HintKind::NextTier, needed, m)
            }
        };
        Hint {
            kind,
            rule_id: None,
            quantity_needed: Some(needed),
            amount_needed: None,
            message,
        }
    }
}

fn suggestion(s: Option<Decimal>) -> String {
    match s {
        Some(q) => format!("; order {q} instead"),
        None => "; no quantity passes every constraint".to_owned(),
    }
}

fn round_price(mode: RoundingMode, d: Decimal) -> Decimal {
    // Prices in explanations keep up to 10 places: exact enough to read.
    if d.scale() > 10 {
        mode.round_normalized(d, 10)
    } else {
        d
    }
}

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
        let mut ctx = OrderCtx {
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
            base_subtotal: Decimal::ZERO,
            history: super::history::History::new(&request.purchase_history, request.priced_at)?,
        };
        let mut problems: Vec<(usize, LineError)> = Vec::new();
        let line_overflow = |i: usize, what: &str| {
            LineError::from(overflow(what).at(&path(&index("lines", i), "quantity")))
        };

        // Pass 1: products, units, quantity constraints; the order's sku and
        // group quantities take a line only when both totals fit.
        // Every line's product first, in a loop of lookups alone: they are
        // independent, so their cache misses overlap.
        let found: Vec<_> = request
            .lines
            .iter()
            .map(|line| self.catalog.orderable(&line.sku, customer, ""))
            .collect();
        let mut prepared = Vec::with_capacity(request.lines.len());
        for ((i, line), found) in request.lines.iter().enumerate().zip(found) {
            let p = match ctx.prepare(i, line, found) {
                Ok(p) => p,
                Err(e) => {
                    problems.push((i, e));
                    continue;
                }
            };
            let sku_slot = ctx.sku_qty.entry(p.sku_idx).or_insert(Decimal::ZERO);
            let Some(sku_total) = sku_slot.checked_add(p.base_qty) else {
                problems.push((i, line_overflow(i, "order quantity")));
                continue;
            };
            if let Some(g) = p.product.group_id {
                let group_slot = ctx.group_qty.entry(g).or_insert(Decimal::ZERO);
                let Some(group_total) = group_slot.checked_add(p.base_qty) else {
                    problems.push((i, line_overflow(i, "order group quantity")));
                    continue;
                };
                *group_slot = group_total;
            }
            *sku_slot = sku_total;
            prepared.push(p);
        }
        // Pass 2: base prices and the subtotal at base prices.
        let mut based = Vec::with_capacity(prepared.len());
        let mut shared_skips = SharedSkips::default();
        let own_entries = ctx.own_entries(&prepared);
        let row = ctx.chain.len().max(1);
        for (p, own) in prepared.iter().zip(own_entries.chunks(row)) {
            match ctx.base_price(p, own, &mut shared_skips, ctx.explain) {
                Ok(b) => match ctx.base_subtotal.checked_add(b.base_line_amount) {
                    Some(total) => {
                        ctx.base_subtotal = total;
                        based.push((p, b));
                    }
                    None => problems.push((p.index, line_overflow(p.index, "base subtotal"))),
                },
                Err((i, e)) => problems.push((i, e)),
            }
        }
        // Pass 3: rules, guards, rounding, and the order's totals. Free
        // goods add lines: room for some is made up front.
        let mut lines = Vec::with_capacity(based.len() + based.len() / 4);
        let mut scratch = Scratch::default();
        let mut totals = Totals::default();
        let scoped: Vec<Scoped<'_>> = based
            .iter()
            .map(|(p, _)| (p.sku_idx, p.product, p.base_qty))
            .collect();
        for (p, b) in based {
            let i = p.index;
            if let Err(e) = ctx.apply_rules(
                p,
                b,
                request,
                &scoped,
                &mut scratch,
                &mut lines,
                &mut totals,
            ) {
                problems.push((i, e));
            }
        }
        problems.sort_by_key(|(i, _)| *i);
        let errors: Vec<LineProblem> = problems
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
            .collect();

        // Order discounts, spread over lines. Overflow here is the order's,
        // named by the total it broke.
        let minor = ctx.currency.minor_units;
        let mode = self.def.settings.rounding;
        let subtotal = mode.round_to_scale(totals.subtotal, minor);
        let OrderDiscounts {
            amounts: discount_amounts,
            applied: order_discounts,
            hints: order_hints,
        } = if request.ignore_rules {
            OrderDiscounts::default()
        } else {
            ctx.order_discounts(subtotal)
                .map_err(|e| e.at("order_discounts"))?
        };
        let order_discount_total = mode.round_to_scale(
            money::sum(discount_amounts, "order discounts")
                .map_err(|e| e.at("order_discount_total"))?,
            minor,
        );
        let weights: Vec<Decimal> = lines.iter().map(|l| l.amount).collect();
        let shares = discount_shares(order_discount_total, &weights, minor, mode)
            .map_err(|e| e.at("order_discount_total"))?;
        for (line, share) in lines.iter_mut().zip(shares) {
            line.order_discount_share = share;
            line.taxable_amount = mode.round_to_scale(
                money::sub(line.amount, share, "taxable amount")
                    .map_err(|e| e.at("order_discount_total"))?,
                minor,
            );
        }
        let after_discount = money::sub(subtotal, order_discount_total, "order total")
            .map_err(|e| e.at("total_before_tax"))?;
        let shipping = ctx
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
            subtotal,
            order_discounts,
            order_discount_total,
            shipping,
            total_before_tax,
            hints: order_hints,
            rules_ignored: request.ignore_rules,
        })
    }

    /// The catalog as `customer` sees it, each product priced at its MOQ
    /// (or one step), with the tier ladder of the list that priced it.
    /// Products the customer may not see are absent.
    pub fn catalog_for(
        &self,
        customer: &Customer,
        channel: Channel,
        currency: &str,
        at: DateTime<FixedOffset>,
        category: Option<&str>,
    ) -> Result<Vec<CatalogEntryView>, PricingError> {
        customer.validate()?;
        let mut out = Vec::new();
        for p in self.catalog.visible_to(customer, category) {
            let constraints = Catalog::constraints_for(&p.product, customer);
            let step = p.units.step();
            // The smallest quantity that passes MOQ, multiple and maximum
            // (MOQ 100 with packs of 60 → 120), else one step.
            let first = constraints.moq.unwrap_or(step).max(step);
            let quantity = suggest(first, &constraints).unwrap_or(first);
            let request = PriceRequest {
                order_id: None,
                currency: currency.to_owned(),
                channel,
                priced_at: at,
                ship_to_state: None,
                lines: vec![super::OrderLine {
                    line_id: None,
                    sku: p.product.sku.clone(),
                    quantity,
                    unit: None,
                    target_price: None,
                }],
                // The view shows the list, the price and the problem only.
                explain: Explain::Summary,
                ignore_rules: false,
                purchase_history: Vec::new(),
            };
            let priced = self.price_order(customer, &request)?;
            let line = priced.lines.first();
            let tiers = line
                .and_then(|l| l.base_price.as_ref())
                .map(|b| self.tier_ladder(b, p, at))
                .unwrap_or_default();
            out.push(CatalogEntryView {
                sku: p.product.sku.clone(),
                name: p.product.name.clone(),
                category: p.product.category.clone(),
                hsn: p.product.hsn.clone(),
                base_unit: p.units.base().to_owned(),
                constraints,
                quantity,
                net_unit_price: line.map(|l| l.net_unit_price),
                tiers,
                problem: priced.errors.first().map(|e| e.message.clone()),
            });
        }
        Ok(out)
    }

    /// The tiers of the entry that priced a catalog line: the entry valid
    /// at `at`, found from the list that priced it through its `based_on`
    /// parents, with prices per base unit scaled by the derived lists'
    /// factors.
    fn tier_ladder(
        &self,
        base: &BasePrice,
        p: &CatalogProduct,
        at: DateTime<FixedOffset>,
    ) -> Vec<TierView> {
        let Some(sku_idx) = self.catalog.index_of(&p.product.sku) else {
            return Vec::new();
        };
        let Some(mut current) = self.list_ids.get(&*base.list_id).copied() else {
            return Vec::new();
        };
        let mut factor = Decimal::ONE;
        for _ in 0..=MAX_LIST_CHAIN {
            let Some(list) = self.lists.get(current as usize) else {
                break;
            };
            if let Some(e) = list.entry_at(sku_idx, at) {
                return e
                    .tiers
                    .iter()
                    .map(|(min, per_base, _)| TierView {
                        label: format!("from {} {}", Plain(*min), p.units.base()),
                        price: per_base.checked_mul(factor).unwrap_or(*per_base),
                    })
                    .collect();
            }
            let Some((parent, f)) = list.based_on else {
                break;
            };
            let Some(next) = factor.checked_mul(f) else {
                break;
            };
            factor = next;
            current = parent;
        }
        Vec::new()
    }

    fn list_unusable(
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

    fn customer_ids(&self, customer: &Customer) -> CustomerIds {
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

    fn customer_keys(&self, customer: &Customer) -> Vec<u64> {
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

/// The order discount's shares of the lines, exactly as
/// [`allocate_proportionally`] gives them. When every amount is a whole,
/// non-negative number of minor units below 10^12, the shares are computed
/// in integers: each is `total × weight ÷ sum` rounded once, and the
/// decimal division could not have landed on the other side of a rounding
/// midpoint (its error, below 10^-15 minor units, is smaller than the
/// distance 1/(2 × sum) of any inexact quotient from a midpoint). Anything
/// else goes through `allocate_proportionally` itself.
fn discount_shares(
    total: Decimal,
    weights: &[Decimal],
    dp: u32,
    mode: RoundingMode,
) -> Result<Vec<Decimal>, MoneyError> {
    match integer_shares(total, weights, dp, mode) {
        Some(shares) => Ok(shares),
        None => allocate_proportionally(total, weights, dp, mode),
    }
}

fn integer_shares(
    total: Decimal,
    weights: &[Decimal],
    dp: u32,
    mode: RoundingMode,
) -> Option<Vec<Decimal>> {
    const LIMIT: i128 = 1_000_000_000_000;
    let minor_units = |d: Decimal| {
        (d.scale() == dp && !d.is_sign_negative() && d.mantissa() < LIMIT).then(|| d.mantissa())
    };
    if dp > 4 {
        return None;
    }
    let t = minor_units(mode.round_to_scale(total, dp))?;
    let mut sum: i128 = 0;
    let mut largest: Option<(usize, i128)> = None;
    for (i, w) in weights.iter().enumerate() {
        let w = minor_units(*w)?;
        sum = sum.checked_add(w).filter(|s| *s < LIMIT)?;
        if largest.is_none_or(|(_, best)| w > best) {
            largest = Some((i, w));
        }
    }
    if sum == 0 {
        return None;
    }
    let mut allocated: i128 = 0;
    let mut shares: Vec<i128> = weights
        .iter()
        .map(|w| {
            let n = t * w.mantissa();
            // Both fit 64 bits for any everyday order: a cheaper division.
            let (q, r) = match (u64::try_from(n), u64::try_from(sum)) {
                (Ok(n), Ok(d)) => (i128::from(n / d), i128::from(n % d)),
                _ => (n / sum, n % sum),
            };
            let up = match mode {
                RoundingMode::HalfUp => 2 * r >= sum,
                RoundingMode::HalfEven => 2 * r > sum || (2 * r == sum && q % 2 == 1),
            };
            let share = q + i128::from(up);
            allocated += share;
            share
        })
        .collect();
    if let Some(share) = largest.and_then(|(i, _)| shares.get_mut(i)) {
        *share += t - allocated;
    }
    shares
        .into_iter()
        .map(|s| Decimal::try_from_i128_with_scale(s, dp).ok())
        .collect()
}

/// The smallest quantity ≥ `q` that passes every constraint, if any.
pub(crate) fn suggest(q: Decimal, c: &OrderingConstraints) -> Option<Decimal> {
    let mut s = q.max(c.moq.unwrap_or(Decimal::ZERO));
    if let Some(m) = c.order_multiple {
        s = s.checked_div(m)?.ceil().checked_mul(m)?;
    }
    if let Some(max) = c.max_quantity {
        if s > max {
            s = match c.order_multiple {
                Some(m) => max.checked_div(m)?.floor().checked_mul(m)?,
                None => max,
            };
        }
    }
    let passes = c.moq.is_none_or(|moq| s >= moq) && s > Decimal::ZERO;
    passes.then(|| s.normalize())
}

fn check_constraints(
    q: Decimal,
    c: &OrderingConstraints,
    field: impl Fn(&str) -> String,
) -> Result<(), LineError> {
    if let Some(moq) = c.moq {
        if q < moq {
            return Err(LineError::BelowMoq {
                field: field("quantity"),
                requested: q,
                limit: moq,
                suggested: suggest(q, c),
            });
        }
    }
    if let Some(m) = c.order_multiple {
        if !q.checked_rem(m).is_some_and(|r| r.is_zero()) {
            return Err(LineError::NotMultiple {
                field: field("quantity"),
                requested: q,
                limit: m,
                suggested: suggest(q, c),
            });
        }
    }
    if let Some(max) = c.max_quantity {
        if q > max {
            let suggested = suggest(max, c).filter(|s| *s <= max);
            return Err(LineError::AboveMax {
                field: field("quantity"),
                requested: q,
                limit: max,
                suggested,
            });
        }
    }
    Ok(())
}

enum Check {
    Applies,
    No,
    Near(Hint),
}

/// One place in a line's rule order: a rule (by position), or an
/// exclusive group (by its interned id).
enum Step {
    Single(u32),
    Group(u32),
    /// An additive group (by its interned id): see `additive`.
    Additive(u32),
}

enum Miss {
    NotYetValid(DateTime<FixedOffset>),
    Quantity(Decimal),
    Amount(Decimal),
}

/// Buffers reused from line to line of one order.
#[derive(Default)]
struct Scratch<'a> {
    candidates: Vec<u32>,
    /// Positions of the candidates that apply, in evaluation order.
    applicable: Vec<u32>,
    steps: Vec<((Reverse<i32>, u32), Step)>,
    /// Exclusive-group members tried: (price, id rank, position, clamped at zero).
    tried: Vec<(Decimal, u32, u32, bool)>,
    scope_cache: FxHashMap<usize, Decimal>,
    /// Free-goods lines of the line, and their products and quantities.
    free_lines: Vec<PricedLine>,
    free_products: Vec<(&'a CatalogProduct, Decimal)>,
    shared_keys: SharedKeys,
}

/// The lists-skipped explanations of one order, by which lists of the
/// chain were passed over, for the lines whose reasons the order decides.
#[derive(Default)]
struct SharedSkips {
    by_pattern: Vec<(u64, Arc<[ListSkipped]>)>,
    /// The line being priced: lists passed over so far.
    scratch: Vec<ListSkipped>,
}

impl SharedSkips {
    /// The explanation of the lists in `scratch`, shared when `pattern`
    /// (the bit set of lists passed over) decides it.
    fn get(&mut self, pattern: Option<u64>) -> Arc<[ListSkipped]> {
        let skipped = self.scratch.as_slice();
        let Some(pattern) = pattern else {
            return Arc::from(skipped);
        };
        if let Some((_, shared)) = self.by_pattern.iter().find(|(p, _)| *p == pattern) {
            return Arc::clone(shared);
        }
        let shared: Arc<[ListSkipped]> = Arc::from(skipped);
        self.by_pattern.push((pattern, Arc::clone(&shared)));
        shared
    }
}

/// The customer's rules under product keys many lines share, gathered
/// from all of the customer's buckets the first time a line needs them.
#[derive(Default)]
struct SharedKeys {
    /// By id of each kind: (start, length) in `slots`, once gathered.
    any: Vec<Option<(usize, usize)>>,
    brands: Vec<Option<(usize, usize)>>,
    categories: Vec<Option<(usize, usize)>>,
    tags: Vec<Option<(usize, usize)>>,
    slots: Vec<u32>,
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

/// (sku index, product, base quantity) of every priced line, for
/// `order_scope` quantities.
type Scoped<'a> = (u32, &'a CatalogProduct, Decimal);

impl<'a> OrderCtx<'a> {
    fn prepare(
        &self,
        i: usize,
        line: &super::OrderLine,
        found: Result<(u32, &'a CatalogProduct), CatalogError>,
    ) -> Result<Prepared<'a>, LineError> {
        // Field paths are built only when something fails.
        let field = |name: &str| path(&index("lines", i), name);
        let (sku_idx, product) = found.map_err(|e| e.at(&field("sku")))?;
        let (unit, factor) = match &line.unit {
            Some(u) if **u != *product.names.base_unit => {
                let factor = product
                    .units
                    .factor(u, "")
                    .map_err(|e| e.at(&field("unit")))?;
                (SmolStr::new(u), factor)
            }
            _ => (product.names.base_unit.clone(), Decimal::ONE),
        };
        let base_qty = product
            .units
            .to_base_by(line.quantity, factor, &unit, "")
            .map_err(|e| e.at(&field("quantity")))?;
        let constraints = Catalog::constraints_for(&product.product, self.customer);
        let mut prepared = Prepared {
            index: i,
            sku_idx,
            product,
            quantity: line.quantity,
            unit,
            factor,
            base_qty,
            adjusted: None,
        };
        if let Err(e) = check_constraints(base_qty, &constraints, field) {
            let suggested = match (&e, self.book.def.settings.quantity_mode) {
                (
                    LineError::BelowMoq {
                        suggested: Some(s), ..
                    }
                    | LineError::NotMultiple {
                        suggested: Some(s), ..
                    }
                    | LineError::AboveMax {
                        suggested: Some(s), ..
                    },
                    QuantityMode::ApplySuggestion,
                ) => *s,
                _ => return Err(e),
            };
            let in_unit = suggested.checked_div(factor).unwrap_or(suggested);
            if !in_unit.fract().is_zero() {
                prepared.unit = product.names.base_unit.clone();
                prepared.factor = Decimal::ONE;
                prepared.quantity = suggested;
            } else {
                prepared.quantity = in_unit.normalize();
            }
            prepared.base_qty = suggested;
            prepared.adjusted = Some(Box::new(QuantityStatus::Adjusted {
                from: base_qty,
                to: suggested,
                reason: e.to_string(),
            }));
        }
        Ok(prepared)
    }

    /// The entries of every line in every usable list of the chain (a row
    /// of `chain.len()` per line), looked up in one loop: the lookups are
    /// independent, so their cache misses overlap.
    fn own_entries(&self, lines: &[Prepared<'a>]) -> Vec<Option<&'a CompiledEntry>> {
        let book: &'a PriceBook = self.book;
        let lists: Vec<Option<&'a CompiledList>> = self
            .chain
            .iter()
            .map(|(l, unusable)| book.lists.get(*l as usize).filter(|_| unusable.is_none()))
            .collect();
        let mut out = Vec::with_capacity(lines.len() * lists.len());
        for p in lines {
            for l in &lists {
                out.push(l.and_then(|l| l.entry_at(p.sku_idx, self.at)));
            }
        }
        out
    }

    /// The entry for a sku in a list (`own`, looked up ahead), else in its
    /// `based_on` parents, with the parents' factor and the list it came from.
    fn find_entry(
        &self,
        list: u32,
        sku: u32,
        own: Option<&'a CompiledEntry>,
    ) -> Option<(&'a CompiledEntry, Decimal, Option<&'a SmolStr>)> {
        if let Some(e) = own {
            return Some((e, Decimal::ONE, None));
        }
        let book: &'a PriceBook = self.book;
        let mut l = book.lists.get(list as usize)?;
        let mut factor = Decimal::ONE;
        for _ in 0..MAX_LIST_CHAIN {
            let (parent, f) = l.based_on?;
            factor = factor.checked_mul(f)?;
            l = book.lists.get(parent as usize)?;
            if let Some(e) = l.entry_at(sku, self.at) {
                return Some((e, factor, Some(&l.id)));
            }
        }
        None
    }

    fn base_price(
        &self,
        line: &Prepared<'a>,
        own: &[Option<&'a CompiledEntry>],
        shared: &mut SharedSkips,
        explain: Explain,
    ) -> Result<Based, (usize, LineError)> {
        let i = line.index;
        let mode = self.book.def.settings.rounding;
        let minor = self.currency.minor_units;
        // Hints and the lists passed over are written at `full` only; the
        // base price record at `full` and `summary`.
        let full = explain == Explain::Full;
        let record = explain != Explain::None;
        // Field paths are built only when something fails.
        let at_sku = |e: MoneyError| (i, LineError::from(e.at(&path(&index("lines", i), "sku"))));
        let at_qty = |e: MoneyError| {
            (
                i,
                LineError::from(e.at(&path(&index("lines", i), "quantity"))),
            )
        };
        let skipped = &mut shared.scratch;
        skipped.clear();
        // Hints with the price per base unit they would give; their words
        // are written only for the hints kept.
        let mut pending: Vec<(Decimal, PendingHint<'a>)> = Vec::new();
        // The next tier of the list that prices comes after every earlier
        // list's hint; kept apart, most lines need no vector at all.
        let mut next_tier: Option<(Decimal, PendingHint<'a>)> = None;
        // Which lists were passed over, while every reason is one the
        // order decides (not valid, other currency) or "no entry": lines
        // passed over the same lists share one explanation.
        let mut pattern: Option<u64> = Some(0);
        for (position, (list_idx, unusable)) in self.chain.iter().enumerate() {
            let Some(list) = self.book.lists.get(*list_idx as usize) else {
                continue;
            };
            // Called at `full` only.
            let mut skip = |reason: SkipReason| {
                let same_for_all = !matches!(reason, SkipReason::BelowLowestTier { .. });
                pattern = pattern
                    .zip(1u64.checked_shl(position as u32))
                    .filter(|_| same_for_all)
                    .map(|(p, bit)| p | bit);
                skipped.push(ListSkipped {
                    list_id: list.id.clone(),
                    reason,
                });
            };
            if let Some(reason) = unusable {
                if full {
                    skip(reason.clone());
                }
                continue;
            }
            let own = own.get(position).copied().flatten();
            let Some((entry, factor, entry_list)) = self.find_entry(*list_idx, line.sku_idx, own)
            else {
                if full {
                    skip(SkipReason::NoEntry);
                }
                continue;
            };
            let tier_qty = match entry.basis {
                TierBasis::Line => line.base_qty,
                TierBasis::OrderSku => self
                    .sku_qty
                    .get(&line.sku_idx)
                    .copied()
                    .unwrap_or(line.base_qty),
                TierBasis::OrderGroup => line
                    .product
                    .group_id
                    .and_then(|g| self.group_qty.get(&g).copied())
                    .unwrap_or(line.base_qty),
            };
            let Some((lowest, lowest_per_base, lowest_quoted)) = entry.tiers.first() else {
                continue;
            };
            if money::cmp(tier_qty, *lowest).is_lt() {
                if !full {
                    continue;
                }
                skip(SkipReason::BelowLowestTier { min_qty: *lowest });
                let needed = (*lowest - tier_qty).normalize();
                if !self.within_reach(needed, tier_qty) {
                    continue;
                }
                pending.push((
                    money::checked_mul(*lowest_per_base, factor).unwrap_or(*lowest_per_base),
                    PendingHint::EarlierList {
                        needed,
                        list: &list.id,
                        quoted: money::checked_mul(*lowest_quoted, factor)
                            .unwrap_or(*lowest_quoted),
                        unit: &entry.unit,
                    },
                ));
                continue;
            }
            let scale = |p: Decimal| {
                money::checked_mul(p, factor).ok_or_else(|| at_sku(overflow("derived price")))
            };
            let mut tier_min_qty = None;
            let mut quoted_price = None;
            let price_per_base_unit;
            let mut bands = Vec::new();
            let mut band_sum = None;
            let base_line_amount;
            match entry.mode {
                TierMode::AllUnits => {
                    let reached = entry
                        .tiers
                        .iter()
                        .rev()
                        .find(|(min, _, _)| money::cmp(*min, tier_qty).is_le());
                    let Some((min, per_base, quoted)) = reached else {
                        continue;
                    };
                    tier_min_qty = (entry.tiers.len() > 1 || !min.is_zero()).then_some(*min);
                    // Scaled at every level: a derived price that overflows
                    // fails the line whatever the explanation.
                    quoted_price = Some(scale(*quoted)?);
                    price_per_base_unit = scale(*per_base)?;
                    // The next tier's hint. Its prices are scaled at every
                    // level when the list is derived (only then can they
                    // overflow), so a line fails alike whatever the
                    // explanation.
                    let next = (full || factor != Decimal::ONE)
                        .then(|| {
                            entry
                                .tiers
                                .iter()
                                .find(|(min, _, _)| money::cmp(*min, tier_qty).is_gt())
                        })
                        .flatten();
                    if let Some((next_min, next_per_base, next_quoted)) = next {
                        let needed = (*next_min - tier_qty).normalize();
                        let price = scale(*next_quoted)?;
                        // Out of reach, it would be filtered out below like
                        // a dearer tier.
                        if self.within_reach(needed, tier_qty) {
                            let per_base = scale(*next_per_base)?;
                            if full {
                                next_tier = Some((
                                    per_base,
                                    PendingHint::NextTier {
                                        needed,
                                        price,
                                        unit: &entry.unit,
                                    },
                                ));
                            }
                        }
                    }
                    let line_amount = money::mul(price_per_base_unit, line.base_qty, "base amount")
                        .map_err(at_qty)?;
                    base_line_amount = mode.round_to_scale(line_amount, minor);
                }
                TierMode::Graduated => {
                    let q = line.base_qty;
                    let mut sum = Decimal::ZERO;
                    for (k, (min, per_base, _)) in entry.tiers.iter().enumerate() {
                        let start = if k == 0 {
                            Decimal::ZERO
                        } else {
                            (*min - Decimal::ONE).max(Decimal::ZERO)
                        };
                        let end = entry
                            .tiers
                            .get(k + 1)
                            .map(|(next, _, _)| (*next - Decimal::ONE).max(Decimal::ZERO));
                        let upper = end.map_or(q, |e| e.min(q));
                        let band_qty = (upper - start).max(Decimal::ZERO);
                        if band_qty.is_zero() {
                            continue;
                        }
                        let price = scale(*per_base)?;
                        let amount =
                            money::mul(price, band_qty, "graduated band").map_err(at_qty)?;
                        sum = money::add(sum, amount, "graduated band sum").map_err(at_qty)?;
                        if record {
                            bands.push(GraduatedBand {
                                min_qty: *min,
                                quantity: band_qty,
                                price,
                                amount,
                            });
                        }
                    }
                    band_sum = Some(sum);
                    price_per_base_unit =
                        money::div(sum, q, "graduated average").map_err(at_qty)?;
                    base_line_amount = mode.round_to_scale(sum, minor);
                }
            }
            // Only hints that would lower the base price are worth showing.
            let hints = if full {
                pending
                    .into_iter()
                    .chain(next_tier)
                    .filter(|(per_base, _)| money::cmp(*per_base, price_per_base_unit).is_lt())
                    .map(|(_, h)| h.into_hint())
                    .collect()
            } else {
                Vec::new()
            };
            let base = if record {
                BaseRecord::Shown(BasePrice {
                    list_id: list.id.clone(),
                    entry_list_id: entry_list.cloned(),
                    tier_mode: entry.mode,
                    tier_min_qty,
                    tier_quantity: tier_qty,
                    quoted_price,
                    quoted_unit: entry.unit.clone(),
                    price_per_base_unit,
                    bands,
                    band_sum,
                    lists_skipped: if full {
                        shared.get(pattern)
                    } else {
                        Arc::default()
                    },
                })
            } else {
                BaseRecord::Bare {
                    price_per_base_unit,
                    tier_mode: entry.mode,
                }
            };
            return Ok(Based {
                base,
                base_line_amount,
                hints,
            });
        }
        if !full {
            // The error names every list tried: the cold path works them
            // out again, in full.
            return self.base_price(line, own, shared, Explain::Full);
        }
        Err((
            i,
            LineError::NoPrice {
                field: path(&index("lines", i), "sku"),
                sku: line.product.product.sku.clone(),
                currency: self.currency.code.clone(),
                tried: skipped
                    .iter()
                    .map(|s| format!("{} ({})", s.list_id, s.reason))
                    .collect(),
            },
        ))
    }

    fn scope_quantity(
        &self,
        rule: &CompiledRule,
        pos: usize,
        all: &[Scoped<'a>],
        cache: &mut FxHashMap<usize, Decimal>,
    ) -> Result<Decimal, MoneyError> {
        if let Some(q) = cache.get(&pos) {
            return Ok(*q);
        }
        let q = money::sum(
            all.iter()
                .filter(|(sku, product, _)| rule.scope.matches(*sku, product))
                .map(|(_, _, q)| *q),
            "order scope quantity",
        )?;
        cache.insert(pos, q);
        Ok(q)
    }

    /// The quantity a rule's window reads for a line on the rule's basis,
    /// from this order alone.
    fn basis_quantity(
        &self,
        rule: &CompiledRule,
        pos: usize,
        line: &Prepared<'a>,
        all: &[Scoped<'a>],
        cache: &mut FxHashMap<usize, Decimal>,
    ) -> Result<Decimal, MoneyError> {
        Ok(match rule.basis {
            RuleBasis::Line => line.base_qty,
            RuleBasis::OrderSku => self
                .sku_qty
                .get(&line.sku_idx)
                .copied()
                .unwrap_or(line.base_qty),
            RuleBasis::OrderScope => self.scope_quantity(rule, pos, all, cache)?,
        })
    }

    /// The (quantity, amount) a cumulative rule counts from the request's
    /// purchase history for a line; zero for other rules.
    fn history_of(&self, rule: &CompiledRule, line: &Prepared<'a>) -> (Decimal, Decimal) {
        if !rule.cumulative || self.history.is_empty() {
            return (Decimal::ZERO, Decimal::ZERO);
        }
        self.history.totals(
            &rule.id,
            rule.valid_from,
            rule.basis != RuleBasis::OrderScope,
            &line.product.product.sku,
            line.product.product.product_group.as_deref(),
        )
    }

    /// What a cumulative rule that applied counted: history and this order.
    fn cumulative_count(
        &self,
        rule: &CompiledRule,
        pos: usize,
        line: &Prepared<'a>,
        all: &[Scoped<'a>],
        cache: &mut FxHashMap<usize, Decimal>,
    ) -> Result<super::CumulativeCount, MoneyError> {
        let (history_quantity, history_amount) = self.history_of(rule, line);
        Ok(super::CumulativeCount {
            rule_id: rule.id.clone(),
            history_quantity,
            order_quantity: self.basis_quantity(rule, pos, line, all, cache)?,
            history_amount,
            order_amount: self.base_subtotal,
        })
    }

    /// Whether a candidate rule applies to a line; a rule that fails on one
    /// "reachable" condition only (quantity, amount, not yet valid) is a near miss.
    fn check_rule(
        &self,
        rule: &CompiledRule,
        pos: usize,
        line: &Prepared<'a>,
        all: &[Scoped<'a>],
        cache: &mut FxHashMap<usize, Decimal>,
    ) -> Result<Check, MoneyError> {
        let scope_ok = (rule.channels == 0 || rule.channels & self.channel_bit != 0)
            && rule.currency.is_none_or(|c| Some(c) == self.rule_currency)
            && (rule.scope_by_index
                || (rule.admits(&self.ids) && rule.scope.matches(line.sku_idx, line.product)));
        if !scope_ok {
            return Ok(Check::No);
        }
        if !rule.windowed {
            return Ok(Check::Applies);
        }
        if rule.valid_until.is_some_and(|u| self.at >= u) {
            return Ok(Check::No);
        }
        // What a near miss would take is worked out for hints only.
        let full = self.explain == Explain::Full;
        let mut misses = 0;
        let mut miss = None;
        if let Some(from) = rule.valid_from {
            if self.at < from {
                misses += 1;
                miss = full.then_some(Miss::NotYetValid(from));
            }
        }
        let (history_qty, history_amount) = self.history_of(rule, line);
        if rule.min_qty.is_some() || rule.max_qty.is_some() {
            let q = money::add(
                self.basis_quantity(rule, pos, line, all, cache)?,
                history_qty,
                "cumulative quantity",
            )?;
            if rule.max_qty.is_some_and(|m| money::cmp(q, m).is_gt()) {
                return Ok(Check::No);
            }
            if let Some(min) = rule.min_qty {
                if money::cmp(q, min).is_lt() {
                    misses += 1;
                    miss = None;
                    if full {
                        let needed = (min - q).normalize();
                        miss = self
                            .within_reach(needed, q)
                            .then_some(Miss::Quantity(needed));
                    }
                }
            }
        }
        let amount = money::add(self.base_subtotal, history_amount, "cumulative amount")?;
        if rule
            .max_order_amount
            .is_some_and(|m| money::cmp(amount, m).is_gt())
        {
            return Ok(Check::No);
        }
        if let Some(min) = rule.min_order_amount {
            if money::cmp(amount, min).is_lt() {
                misses += 1;
                miss = None;
                if full {
                    let needed = min - amount;
                    miss = self
                        .within_reach(needed, amount)
                        .then_some(Miss::Amount(needed));
                }
            }
        }
        Ok(match (misses, miss) {
            (0, _) => Check::Applies,
            (1, Some(m)) => Check::Near(self.near_miss_hint(&rule.id, m)),
            _ => Check::No,
        })
    }

    /// Whether `needed` more is "almost there": at most the book's
    /// `hint_reach_pct` of what the order already has.
    fn within_reach(&self, needed: Decimal, have: Decimal) -> bool {
        let pct = self.book.def.settings.hint_reach_pct;
        if pct == Decimal::ONE_HUNDRED {
            return money::cmp(needed, have).is_le();
        }
        have.checked_mul(pct)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .is_some_and(|limit| needed <= limit)
    }

    fn near_miss_hint(&self, rule_id: &SmolStr, miss: Miss) -> Hint {
        let (kind, quantity_needed, amount_needed, message) = match miss {
            Miss::NotYetValid(from) => (
                HintKind::RuleNotYetValid,
                None,
                None,
                format!(
                    "rule {rule_id} skipped: valid from {}",
                    from.format("%-d %b %Y %H:%M %:z")
                ),
            ),
            Miss::Quantity(needed) => {
                let mut m = String::with_capacity(40);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to reach ");
                m.push_str(rule_id);
                (HintKind::RuleQuantity, Some(needed), None, m)
            }
            Miss::Amount(needed) => (
                HintKind::RuleAmount,
                None,
                Some(needed),
                format!(
                    "add {needed} {} to the order to reach {rule_id}",
                    self.currency.code
                ),
            ),
        };
        Hint {
            kind,
            rule_id: Some(rule_id.clone()),
            quantity_needed,
            amount_needed,
            message,
        }
    }

    /// The price a rule's action gives (and whether an amount off was
    /// clamped at zero), or why it was skipped. The effect is written
    /// only for the rule that is applied ([`effect_of`]).
    fn action_price(
        &self,
        rule: &CompiledRule,
        running: Decimal,
        product: &CatalogProduct,
    ) -> Result<Result<(Decimal, bool), ActionSkip>, MoneyError> {
        Ok(Ok(match &rule.action {
            RuleAction::PercentOff { percent } => {
                let factor = match rule.action_factor {
                    Some(f) => f,
                    None => money::sub(
                        Decimal::ONE,
                        money::div(*percent, Decimal::ONE_HUNDRED, "percent")?,
                        "percent",
                    )?,
                };
                (money::mul(running, factor, "percent off")?, false)
            }
            RuleAction::AmountOff { amount } => {
                let p = money::sub(running, *amount, "amount off")?;
                // As `p < 0` and `p.max(0)`, without two decimal comparisons.
                let clamped_at_zero = p.is_sign_negative() && !p.is_zero();
                (
                    if p.is_sign_negative() || p.is_zero() {
                        Decimal::ZERO
                    } else {
                        p
                    },
                    clamped_at_zero,
                )
            }
            RuleAction::FixedPrice { price } => (*price, false),
            RuleAction::PercentUp { .. } | RuleAction::AmountUp { .. } => {
                match super::markup::apply(&rule.action, rule.action_factor, running) {
                    Some(p) => (p?, false),
                    None => (running, false),
                }
            }
            RuleAction::CostPlus { margin_pct } => match &product.product.cost {
                Some(cost) if cost.currency == self.currency.code => {
                    let f = match rule.action_factor {
                        Some(f) => f,
                        None => money::add(
                            Decimal::ONE,
                            money::div(*margin_pct, Decimal::ONE_HUNDRED, "margin")?,
                            "margin",
                        )?,
                    };
                    (money::mul(cost.amount, f, "cost plus")?, false)
                }
                Some(_) => return Ok(Err(ActionSkip::CostCurrency)),
                None => return Ok(Err(ActionSkip::NoCost)),
            },
            RuleAction::FreeGoods { .. } => (running, false),
        }))
    }

    /// Collects the candidate rules of a line from the customer's index
    /// buckets, by each product key of the line, in evaluation order,
    /// without repeats. Keys many lines share (everything, a category,
    /// brand or tag) are looked up in the customer's buckets once per
    /// order; sku and group keys, mostly one line's own, directly.
    fn candidates(&self, line: &Prepared<'a>, out: &mut Vec<u32>, shared: &mut SharedKeys) {
        let book = self.book;
        let slots = book.rule_slots.as_slice();
        let p = line.product;
        out.clear();
        let own = |pk: u64, out: &mut Vec<u32>| {
            for bucket in &self.buckets {
                out.extend_from_slice(bucket.get(slots, pk));
            }
        };
        if book.skus_with_rules.contains(line.sku_idx) {
            own(key::product(key::P_SKU, line.sku_idx), out);
        }
        if let Some(g) = p.group_id.filter(|g| book.groups_with_rules.contains(*g)) {
            own(key::product(key::P_GROUP, g), out);
        }
        let mut common = |kind: u64, id: u32, out: &mut Vec<u32>| {
            let memo = match kind {
                key::P_BRAND => &mut shared.brands,
                key::P_CATEGORY => &mut shared.categories,
                key::P_TAG => &mut shared.tags,
                _ => &mut shared.any,
            };
            let at = id as usize;
            if memo.len() <= at {
                memo.resize(at + 1, None);
            }
            let range = match memo.get(at).copied().flatten() {
                Some(range) => range,
                None => {
                    let pk = key::product(kind, id);
                    let start = shared.slots.len();
                    for bucket in &self.buckets {
                        shared.slots.extend_from_slice(bucket.get(slots, pk));
                    }
                    let range = (start, shared.slots.len() - start);
                    if let Some(slot) = memo.get_mut(at) {
                        *slot = Some(range);
                    }
                    range
                }
            };
            out.extend_from_slice(shared.slots.get(range.0..range.0 + range.1).unwrap_or(&[]));
        };
        if let Some(b) = p.brand_id {
            common(key::P_BRAND, b, out);
        }
        common(key::P_ANY, 0, out);
        for c in &p.category_ids {
            common(key::P_CATEGORY, *c, out);
        }
        for t in &p.tag_ids {
            common(key::P_TAG, *t, out);
        }
        out.sort_unstable();
        out.dedup();
    }

    #[allow(clippy::too_many_arguments)]
    fn apply_rules(
        &self,
        line: &Prepared<'a>,
        b: Based,
        request: &PriceRequest,
        all: &[Scoped<'a>],
        scratch: &mut Scratch<'a>,
        out: &mut Vec<PricedLine>,
        totals: &mut Totals,
    ) -> Result<(), LineError> {
        let Scratch {
            candidates,
            applicable,
            steps,
            tried,
            scope_cache: cache,
            free_lines,
            free_products,
            shared_keys,
        } = scratch;
        let book = self.book;
        let settings = &book.def.settings;
        let mode = settings.rounding;
        let p = line.product;
        // Field paths are built only when something fails: overflow of a
        // price names the line's sku, of an amount or quantity its quantity.
        let at_sku =
            |e: MoneyError| LineError::from(e.at(&path(&index("lines", line.index), "sku")));
        let at_qty =
            |e: MoneyError| LineError::from(e.at(&path(&index("lines", line.index), "quantity")));

        self.candidates(line, candidates, shared_keys);
        if request.ignore_rules {
            // Lists alone: no rule is a candidate, so none applies or hints.
            candidates.clear();
        }
        if candidates.len() > settings.max_rules_per_line {
            return Err(LineError::TooManyRules {
                field: path(&index("lines", line.index), "sku"),
                count: candidates.len(),
                limit: settings.max_rules_per_line,
            });
        }

        // Hints and losing group members are written at `full` only, the
        // waterfall at `full` and `summary`.
        let full = self.explain == Explain::Full;
        let waterfall = self.explain != Explain::None;
        let mut hints = b.hints;
        applicable.clear();
        steps.clear();
        for &pos in candidates.iter() {
            let Some(rule) = book.rules.get(pos as usize) else {
                continue;
            };
            match self
                .check_rule(rule, pos as usize, line, all, cache)
                .map_err(at_qty)?
            {
                Check::No => {}
                Check::Near(h) => hints.push(h),
                Check::Applies => {
                    applicable.push(pos);
                    let key = (Reverse(rule.priority), rule.id_rank);
                    let (group, additive) = match (rule.group, rule.additive) {
                        (Some(g), _) => (g, false),
                        (None, Some(a)) => (a, true),
                        (None, None) => {
                            steps.push((key, Step::Single(pos)));
                            continue;
                        }
                    };
                    match steps.iter_mut().find(|(_, s)| match s {
                        Step::Group(g) => !additive && *g == group,
                        Step::Additive(a) => additive && *a == group,
                        Step::Single(_) => false,
                    }) {
                        Some((k, _)) => {
                            k.0 = k.0.min(key.0);
                            k.1 = k.1.min(key.1);
                        }
                        None if additive => steps.push((key, Step::Additive(group))),
                        None => steps.push((key, Step::Group(group))),
                    }
                }
            }
        }
        steps.sort_by_key(|(k, _)| *k);

        let mut running = b.base.price_per_base_unit();
        // `running` as explanations show it; one step's "after" is the
        // next one's "before".
        let mut shown = round_price(mode, running);
        let mut adjustments = if waterfall {
            Vec::with_capacity(steps.len())
        } else {
            Vec::new()
        };
        free_lines.clear();
        free_products.clear();
        let mut cumulative = Vec::new();
        for (_, step) in steps.iter() {
            let (winner_pos, winner, price, clamped_at_zero, lost) = match *step {
                Step::Additive(group) => {
                    let Some(a) = super::additive::step(&book.rules, group, applicable, running)
                        .map_err(at_sku)?
                    else {
                        continue;
                    };
                    let price_after = round_price(mode, a.price);
                    if waterfall {
                        adjustments.push(Adjustment {
                            rule_id: a.name,
                            effect: Effect::AdditivePercentOff {
                                percent: a.percent,
                                capped_at_100: a.capped,
                                members: a.members,
                            },
                            price_before: shown,
                            price_after,
                            exclusive_group: None,
                            lost: Vec::new(),
                            stopped: a.stop,
                        });
                    }
                    running = a.price;
                    shown = price_after;
                    if a.stop {
                        break;
                    }
                    continue;
                }
                Step::Single(pos) => {
                    let Some(rule) = book.rules.get(pos as usize) else {
                        continue;
                    };
                    match self.action_price(rule, running, p).map_err(at_sku)? {
                        Ok((price, clamped)) => (pos, rule, price, clamped, Vec::new()),
                        Err(skip) => {
                            if full {
                                hints.push(skip.hint(&rule.id, p));
                            }
                            continue;
                        }
                    }
                }
                Step::Group(group) => {
                    tried.clear();
                    for &pos in applicable.iter() {
                        let Some(rule) = book.rules.get(pos as usize) else {
                            continue;
                        };
                        if rule.group != Some(group) {
                            continue;
                        }
                        match self.action_price(rule, running, p).map_err(at_sku)? {
                            Ok((price, clamped)) => tried.push((price, rule.id_rank, pos, clamped)),
                            Err(skip) if full => hints.push(skip.hint(&rule.id, p)),
                            Err(_) => {}
                        }
                    }
                    tried.sort_by_key(|a| (a.0, a.1));
                    let mut it = tried.drain(..);
                    let Some((price, _, winner, clamped)) = it.next() else {
                        continue;
                    };
                    let lost = if full {
                        it.filter_map(|(price, _, pos, _)| {
                            book.rules.get(pos as usize).map(|r| TierView {
                                label: r.id.to_string(),
                                price: round_price(mode, price),
                            })
                        })
                        .collect()
                    } else {
                        Vec::new()
                    };
                    let winner_pos = winner;
                    let Some(winner_rule) = book.rules.get(winner as usize) else {
                        continue;
                    };
                    (winner_pos, winner_rule, price, clamped, lost)
                }
            };
            if let RuleAction::FreeGoods {
                sku,
                free_qty,
                per_qty,
            } = &winner.action
            {
                let free_sku = sku.as_deref().unwrap_or(&p.names.sku);
                let blocks = line
                    .base_qty
                    .checked_div(*per_qty)
                    .map(|x| x.floor())
                    .unwrap_or_default();
                if blocks.is_zero() {
                    if !full {
                        continue;
                    }
                    let needed = (*per_qty - line.base_qty).normalize();
                    if !self.within_reach(needed, line.base_qty) {
                        continue;
                    }
                    hints.push(Hint {
                        kind: HintKind::FreeGoods,
                        rule_id: Some(winner.id.clone()),
                        quantity_needed: Some(needed),
                        amount_needed: None,
                        message: format!(
                            "order {} more to get {} {free_sku} free ({})",
                            Plain(needed),
                            Plain(*free_qty),
                            winner.id
                        ),
                    });
                    continue;
                }
                // The line's own product is visible: it was just priced.
                let free_product = match sku {
                    None => Ok(p),
                    Some(other) => book
                        .catalog
                        .visible(other, self.customer, "")
                        .map(|(_, fp)| fp),
                };
                match free_product {
                    Ok(fp) => {
                        let qty = money::mul(blocks, *free_qty, "free quantity")
                            .map_err(at_qty)?
                            .normalize();
                        free_lines.push(self.free_line(line, request, fp, qty, &winner.id));
                        free_products.push((fp, qty));
                    }
                    Err(_) => {
                        if full {
                            hints.push(skipped_hint(
                                &winner.id,
                                "its free item is not available to this customer",
                            ));
                        }
                        continue;
                    }
                }
            }
            let price_after = round_price(mode, price);
            if waterfall && winner.cumulative && !self.history.is_empty() {
                cumulative.push(
                    self.cumulative_count(winner, winner_pos as usize, line, all, cache)
                        .map_err(at_qty)?,
                );
            }
            if waterfall {
                adjustments.push(Adjustment {
                    rule_id: winner.id.clone(),
                    effect: effect_of(winner, p, clamped_at_zero),
                    price_before: shown,
                    price_after,
                    exclusive_group: winner.group_name.clone(),
                    lost,
                    stopped: winner.stop,
                });
            }
            running = price;
            shown = price_after;
            if winner.stop {
                break;
            }
        }

        // Floor guard.
        let mut floor_status = FloorStatus::Ok;
        if let Some(floor) = self.floor(p).map_err(at_sku)? {
            if running < floor {
                match settings.floor_mode {
                    FloorMode::Flag => {
                        floor_status = FloorStatus::BelowFloor {
                            floor,
                            gap: money::sub(floor, running, "floor gap").map_err(at_sku)?,
                        }
                    }
                    FloorMode::Clamp => {
                        if waterfall {
                            adjustments.push(Adjustment {
                                rule_id: "floor".into(),
                                effect: Effect::FloorClamp { floor },
                                price_before: shown,
                                price_after: floor,
                                exclusive_group: None,
                                lost: Vec::new(),
                                stopped: false,
                            });
                        }
                        floor_status = FloorStatus::Clamped { floor, from: shown };
                        running = floor;
                        shown = round_price(mode, floor);
                    }
                }
            }
        }

        // Rounding: the shown unit price per ordered unit, then the amount.
        let minor = self.currency.minor_units;
        let net_unit_price = mode.round_to_scale(
            money::checked_mul(running, line.factor)
                .ok_or_else(|| at_sku(overflow("net unit price")))?,
            settings.unit_price_scale,
        );
        let amount = match b.base.tier_mode() {
            TierMode::Graduated => money::mul(running, line.base_qty, "line amount"),
            TierMode::AllUnits => money::mul(net_unit_price, line.quantity, "line amount"),
        }
        .map_err(at_qty)?;
        let amount = mode.round_to_scale(amount, minor);

        // Order totals: the line's amount then its free lines' (zero), in
        // the order of the result's lines; weights likewise.
        let mut subtotal = money::add(totals.subtotal, amount, "subtotal").map_err(at_qty)?;
        for free in free_lines.iter() {
            subtotal = money::add(subtotal, free.amount, "subtotal").map_err(at_qty)?;
        }
        let mut weight = totals.weight;
        let mut add_weight = |product: &CatalogProduct, qty: Decimal| -> Result<(), LineError> {
            if let Some(w) = product.product.weight_kg {
                weight = money::mul(w, qty, "weight")
                    .and_then(|x| money::add(weight, x, "weight"))
                    .map_err(at_qty)?;
            }
            Ok(())
        };
        add_weight(p, line.base_qty)?;
        for (fp, qty) in free_products.iter().copied() {
            add_weight(fp, qty)?;
        }
        *totals = Totals { subtotal, weight };

        let request_line = request.lines.get(line.index);
        out.push(PricedLine {
            line_index: line.index,
            line_id: request_line.and_then(|l| l.line_id.as_deref().map(SmolStr::new)),
            kind: LineKind::Sale,
            sku: p.names.sku.clone(),
            name: p.names.name.clone(),
            hsn: p.names.hsn.clone(),
            gst_rate_class: p.names.gst_rate_class.clone(),
            quantity: line.quantity,
            unit: line.unit.clone(),
            base_quantity: line.base_qty,
            base_unit: p.names.base_unit.clone(),
            base_price: b.base.shown(),
            adjustments,
            net_price_per_base_unit: shown,
            net_unit_price,
            amount,
            order_discount_share: Decimal::ZERO,
            taxable_amount: amount,
            floor: floor_status,
            quantity_status: line
                .adjusted
                .as_deref()
                .cloned()
                .unwrap_or(QuantityStatus::Ok),
            target_price: request_line.and_then(|l| l.target_price),
            hints,
            cumulative,
        });
        out.append(free_lines);
        Ok(())
    }

    fn floor(&self, p: &CatalogProduct) -> Result<Option<Decimal>, MoneyError> {
        let by_price = p
            .product
            .floor_price
            .filter(|_| self.book.book_currency.code == self.currency.code);
        let by_margin = match (&p.product.cost, p.product.min_margin_pct) {
            (Some(cost), Some(m)) if cost.currency == self.currency.code => {
                let f = money::add(
                    Decimal::ONE,
                    money::div(m, Decimal::ONE_HUNDRED, "margin")?,
                    "margin",
                )?;
                Some(money::mul(cost.amount, f, "margin floor")?)
            }
            _ => None,
        };
        Ok(match (by_price, by_margin) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        })
    }

    fn free_line(
        &self,
        trigger: &Prepared<'a>,
        request: &PriceRequest,
        fp: &CatalogProduct,
        qty: Decimal,
        rule_id: &SmolStr,
    ) -> PricedLine {
        let zero_price = Decimal::new(0, self.book.def.settings.unit_price_scale);
        let zero_amount = Decimal::new(0, self.currency.minor_units);
        PricedLine {
            line_index: trigger.index,
            line_id: request
                .lines
                .get(trigger.index)
                .and_then(|l| l.line_id.as_deref().map(SmolStr::new)),
            kind: LineKind::Free {
                linked_to: trigger.index,
                rule_id: rule_id.clone(),
            },
            sku: fp.names.sku.clone(),
            name: fp.names.name.clone(),
            hsn: fp.names.hsn.clone(),
            gst_rate_class: fp.names.gst_rate_class.clone(),
            quantity: qty,
            unit: fp.names.base_unit.clone(),
            base_quantity: qty,
            base_unit: fp.names.base_unit.clone(),
            base_price: None,
            adjustments: Vec::new(),
            net_price_per_base_unit: Decimal::ZERO,
            net_unit_price: zero_price,
            amount: zero_amount,
            order_discount_share: zero_amount,
            taxable_amount: zero_amount,
            floor: FloorStatus::Ok,
            quantity_status: QuantityStatus::Ok,
            target_price: None,
            hints: Vec::new(),
            cumulative: Vec::new(),
        }
    }

    fn order_conditions_hold(&self, w: &OrderConditions) -> bool {
        let c = self.customer;
        let currency = w.currency.as_ref().unwrap_or(&self.book.def.currency);
        (w.customers.is_empty() || w.customers.contains(&c.id))
            && (w.segments.is_empty() || w.segments.contains(&c.segment))
            && (w.customer_tags.is_empty() || w.customer_tags.iter().any(|t| c.tags.contains(t)))
            && (w.channels.is_empty() || w.channels.contains(&self.channel))
            && *currency == self.currency.code
            && valid_at(w.valid_from, w.valid_until, self.at)
    }

    /// The order discounts that apply to `subtotal`.
    fn order_discounts(&self, subtotal: Decimal) -> Result<OrderDiscounts, MoneyError> {
        let mode = self.book.def.settings.rounding;
        let minor = self.currency.minor_units;
        let full = self.explain == Explain::Full;
        let steps = self.explain != Explain::None;
        let mut running = subtotal;
        let mut amounts = Vec::new();
        let mut applied = Vec::new();
        let mut hints = Vec::new();
        for r in &self.book.order_rules {
            if !self.order_conditions_hold(&r.when)
                || r.when.max_amount.is_some_and(|m| subtotal > m)
            {
                continue;
            }
            if let Some(min) = r.when.min_amount {
                if subtotal < min {
                    let needed = min - subtotal;
                    if !full || !self.within_reach(needed, subtotal) {
                        continue;
                    }
                    hints.push(Hint {
                        kind: HintKind::RuleAmount,
                        rule_id: Some(SmolStr::new(&r.id)),
                        quantity_needed: None,
                        amount_needed: Some(needed),
                        message: format!(
                            "add {} {} to the order to reach {}",
                            needed, self.currency.code, r.id
                        ),
                    });
                    continue;
                }
            }
            let discount = match &r.action {
                OrderAction::PercentOff { percent } => mode.round_to_scale(
                    money::div(
                        money::mul(running, *percent, "order discount")?,
                        Decimal::ONE_HUNDRED,
                        "order discount",
                    )?,
                    minor,
                ),
                OrderAction::AmountOff { amount } => {
                    mode.round_to_scale((*amount).min(running), minor)
                }
            };
            let after = money::sub(running, discount, "order discount")?;
            amounts.push(discount);
            if steps {
                let description = match &r.action {
                    OrderAction::PercentOff { percent } => {
                        format!("{}% off the order", Plain(*percent))
                    }
                    OrderAction::AmountOff { amount } => {
                        format!("{} off the order", Price(*amount))
                    }
                };
                applied.push(OrderAdjustment {
                    rule_id: r.id.clone(),
                    description,
                    before: running,
                    after,
                    amount: discount,
                });
            }
            running = after;
            if r.stop {
                break;
            }
        }
        Ok(OrderDiscounts {
            amounts,
            applied,
            hints,
        })
    }

    fn shipping(
        &self,
        request: &PriceRequest,
        weight: Decimal,
        value: Decimal,
    ) -> Result<Option<ShippingCharge>, MoneyError> {
        let state = request
            .ship_to_state
            .clone()
            .unwrap_or_else(|| self.customer.default_ship_to().state_code.clone());
        let zones = self.book.zones_of_state.get(&state);
        let mode = self.book.def.settings.rounding;
        let minor = self.currency.minor_units;
        for r in &self.book.shipping_rules {
            let w = &r.when;
            let ok = self.order_conditions_hold(w)
                && (w.states.is_empty() || w.states.contains(&state))
                && (w.zones.is_empty()
                    || zones.is_some_and(|zs| zs.iter().any(|z| w.zones.contains(z))))
                && w.min_amount.is_none_or(|m| value >= m)
                && w.max_amount.is_none_or(|m| value <= m)
                && w.min_weight_kg.is_none_or(|m| weight >= m)
                && w.max_weight_kg.is_none_or(|m| weight <= m);
            if !ok {
                continue;
            }
            let slab = |slabs: &[super::Slab], x: Decimal| {
                slabs.iter().rev().find(|s| s.min <= x).map(|s| s.charge)
            };
            let (amount, description) = match &r.charge {
                ShippingTariff::Flat { amount } => {
                    (Some(*amount), format!("flat {}", Price(*amount)))
                }
                ShippingTariff::WeightSlabs { slabs } => (
                    slab(slabs, weight),
                    format!("weight slab for {} kg", Plain(weight)),
                ),
                ShippingTariff::ValueSlabs { slabs } => {
                    (slab(slabs, value), format!("order value slab for {value}"))
                }
                ShippingTariff::Free => (Some(Decimal::ZERO), "free shipping".into()),
            };
            let Some(amount) = amount else { continue };
            return Ok(Some(ShippingCharge {
                rule_id: r.id.clone(),
                amount: mode.round_to_scale(amount, minor),
                sac: self.book.def.settings.shipping_sac.clone(),
                destination_state: state,
                weight_kg: weight.normalize(),
                description,
            }));
        }
        Ok(None)
    }
}

/// The order discounts that apply to an order.
#[derive(Default)]
struct OrderDiscounts {
    /// Each discount's amount, in the order they ran.
    amounts: Vec<Decimal>,
    /// The steps as the result lists them (not at [`Explain::None`]).
    applied: Vec<OrderAdjustment>,
    /// Discounts almost reached (at [`Explain::Full`] only).
    hints: Vec<Hint>,
}

/// Why a rule's action could not price a line.
#[derive(Clone, Copy)]
enum ActionSkip {
    NoCost,
    CostCurrency,
}

impl ActionSkip {
    fn hint(self, rule_id: &SmolStr, product: &CatalogProduct) -> Hint {
        match (self, &product.product.cost) {
            (Self::CostCurrency, Some(cost)) => skipped_hint(
                rule_id,
                &format!("the product's cost is in {}", cost.currency),
            ),
            _ => skipped_hint(rule_id, "the product has no cost"),
        }
    }
}

/// What an applied rule did, as the waterfall shows it.
fn effect_of(rule: &CompiledRule, product: &CatalogProduct, clamped_at_zero: bool) -> Effect {
    match &rule.action {
        RuleAction::PercentOff { percent } => Effect::PercentOff { percent: *percent },
        RuleAction::AmountOff { amount } => Effect::AmountOff {
            amount: *amount,
            clamped_at_zero,
        },
        RuleAction::FixedPrice { price } => Effect::FixedPrice { price: *price },
        RuleAction::PercentUp { percent } => Effect::PercentUp { percent: *percent },
        RuleAction::AmountUp { amount } => Effect::AmountUp { amount: *amount },
        // A cost-plus rule applies only to a product with a cost in the
        // order's currency, so the cost is there.
        RuleAction::CostPlus { margin_pct } => Effect::CostPlus {
            cost: product
                .product
                .cost
                .as_ref()
                .map_or(Decimal::ZERO, |c| c.amount),
            margin_pct: *margin_pct,
        },
        RuleAction::FreeGoods {
            sku,
            free_qty,
            per_qty,
        } => Effect::FreeGoods {
            sku: sku
                .as_deref()
                .map_or_else(|| product.names.sku.clone(), SmolStr::new),
            free_qty: *free_qty,
            per_qty: *per_qty,
        },
    }
}

fn skipped_hint(rule_id: &SmolStr, reason: &str) -> Hint {
    Hint {
        kind: HintKind::RuleSkipped,
        rule_id: Some(rule_id.clone()),
        quantity_needed: None,
        amount_needed: None,
        message: format!("rule {rule_id} skipped: {reason}"),
    }
}

fn overflow(what: &str) -> MoneyError {
    MoneyError::Overflow {
        field: String::new(),
        what: what.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn mul_checked_is_checked_mul(m in any::<i64>(), scale in 0u32..=28, b_is_one in any::<bool>()) {
            let a = Decimal::new(m, scale);
            let b = if b_is_one { Decimal::ONE } else { Decimal::new(12, 1) };
            let ours = money::checked_mul(a, b);
            let theirs = a.checked_mul(b);
            prop_assert_eq!(ours.map(|d| d.serialize()), theirs.map(|d| d.serialize()));
        }

        #[test]
        fn integer_shares_are_allocate_proportionally(
            total in 0i64..100_000_000_000,
            weights in proptest::collection::vec(0i64..10_000_000_000, 1..40),
            dp in 0u32..=4,
            half_even in any::<bool>(),
        ) {
            let mode = if half_even { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
            let total = Decimal::new(total, dp);
            let weights: Vec<Decimal> = weights.iter().map(|w| Decimal::new(*w, dp)).collect();
            let expected = allocate_proportionally(total, &weights, dp, mode).unwrap();
            match integer_shares(total, &weights, dp, mode) {
                Some(ours) => {
                    let ours: Vec<_> = ours.iter().map(|d| d.serialize()).collect();
                    let expected: Vec<_> = expected.iter().map(|d| d.serialize()).collect();
                    prop_assert_eq!(ours, expected);
                }
                // Only an all-zero weight list or one beyond the integer limits falls back.
                None => prop_assert!(weights.iter().all(|w| w.is_zero())
                    || weights.iter().map(|w| w.mantissa()).sum::<i128>() >= 1_000_000_000_000),
            }
        }
    }

    #[test]
    fn decimals_are_written_exactly_as_display_writes_them() {
        let mut cases = vec![
            Decimal::ZERO,
            Decimal::new(0, 5),
            -Decimal::new(0, 3),
            Decimal::new(5, 3),
            Decimal::new(-5, 3),
            Decimal::new(123_456, 2),
            Decimal::new(-100, 0),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_i128_with_scale(1, 28),
            Decimal::from_i128_with_scale(-79_228_162_514_264_337_593_543_950_335, 28),
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mantissa = i128::from(x as i64) * i128::from((x >> 40) as u16);
            let scale = (x % 29) as u32;
            cases.push(Decimal::from_i128_with_scale(mantissa, scale));
        }
        for d in cases {
            let mut s = String::new();
            push_decimal(&mut s, d);
            assert_eq!(s, d.to_string(), "{d:?}");
            let mut p = String::new();
            Plain(d).push_to(&mut p);
            assert_eq!(p, d.normalize().to_string());
        }
    }

    #[test]
    fn integer_shares_round_midpoints_like_the_decimal_division() {
        // 0.05 over two equal lines is 0.025 each: half-up gives 0.03 + 0.03
        // and the −0.01 remainder goes to the first line; half-even gives
        // 0.02 + 0.02 and +0.01 to the first; 0.07 half-even gives 0.04 each
        // and −0.01 to the first.
        let w = [Decimal::new(100, 2), Decimal::new(100, 2)];
        for (total, mode, expected) in [
            (Decimal::new(5, 2), RoundingMode::HalfUp, ["0.02", "0.03"]),
            (Decimal::new(5, 2), RoundingMode::HalfEven, ["0.03", "0.02"]),
            (Decimal::new(7, 2), RoundingMode::HalfEven, ["0.03", "0.04"]),
        ] {
            let ours = integer_shares(total, &w, 2, mode).unwrap();
            let theirs = allocate_proportionally(total, &w, 2, mode).unwrap();
            assert_eq!(ours, theirs);
            let shown: Vec<String> = ours.iter().map(ToString::to_string).collect();
            assert_eq!(shown, expected);
        }
    }
}
