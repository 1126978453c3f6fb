//! The UniFFI records, enums and the `Decimal` custom type, with their
//! conversions to and from the core's types. No rule lives here: every
//! field is copied; names and meanings are the JSON format's.

use std::str::FromStr;

use b2b_oms::customer;
use b2b_oms::pricing::{self, PricedOrder};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal as CoreDecimal;

use crate::errors::{input, B2bOmsError, Result};

/// An exact decimal: `java.math.BigDecimal` in Kotlin, `Foundation.Decimal`
/// in Swift (see `uniffi.toml`). It crosses the boundary as its plain text
/// (`"1234.50"`, scale kept both ways) and is parsed inside each function, so
/// that more digits than the core holds (28 fractional, 96 bits) is a typed
/// `EXCESS_PRECISION` error naming the field, never a rounding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal(pub String);

uniffi::custom_type!(Decimal, String, {
    lower: |d| d.0,
    try_lift: |s| Ok(Decimal(s)),
});

impl From<CoreDecimal> for Decimal {
    fn from(d: CoreDecimal) -> Self {
        Decimal(decimal_text(d))
    }
}

/// `d` exactly as its `Display` writes it (sign, digits, as many decimals
/// as its scale), without the formatting machinery: a priced cart writes a
/// thousand of these, and `to_string` was most of the binding's cost.
pub fn decimal_text(d: CoreDecimal) -> String {
    let scale = d.scale() as usize;
    let mut digits = [0u8; 40];
    let mut len = 0;
    let mut n = d.mantissa().unsigned_abs();
    // Least significant first; 64-bit division once the rest fits.
    for slot in digits.iter_mut() {
        let digit = if let Ok(small) = u64::try_from(n) {
            let digit = small % 10;
            n = u128::from(small / 10);
            digit
        } else {
            let digit = n % 10;
            n /= 10;
            u64::try_from(digit).unwrap_or(0)
        };
        *slot = b'0' + u8::try_from(digit).unwrap_or(0);
        len += 1;
        if n == 0 && len > scale {
            break;
        }
    }
    let mut out = String::with_capacity(len + 2);
    if d.is_sign_negative() && d.mantissa() != 0 {
        out.push('-');
    }
    for (i, b) in digits.iter().take(len).rev().enumerate() {
        if scale > 0 && i + scale == len {
            out.push('.');
        }
        out.push(char::from(*b));
    }
    out
}

/// Whether `s` is a plain decimal literal: `-`?, digits, optionally `.` digits.
fn is_decimal_literal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

impl Decimal {
    /// The core's decimal, exactly: `EXCESS_PRECISION` for more fractional
    /// digits than it holds, `OVERFLOW` past its range, `INVALID_VALUE` for
    /// text that is no decimal.
    pub fn parse(&self, field: &str) -> Result<CoreDecimal> {
        let s = self.0.as_str();
        if !is_decimal_literal(s) {
            return Err(input(
                "INVALID_VALUE",
                field,
                format!("{s:?} is not a decimal number"),
            ));
        }
        CoreDecimal::from_str_exact(s).map_err(|_| {
            let frac = s.split_once('.').map_or(0, |(_, f)| f.len());
            if frac > 28 {
                input(
                    "EXCESS_PRECISION",
                    field,
                    format!("{s} has {frac} fractional digits; the core holds 28 at most and never rounds"),
                )
            } else if CoreDecimal::from_str(s).is_ok() {
                input(
                    "EXCESS_PRECISION",
                    field,
                    format!("{s} has more significant digits than the core holds (96 bits) and would be rounded"),
                )
            } else {
                input("OVERFLOW", field, format!("{s} is beyond the decimal range"))
            }
        })
    }
}

fn opt_dec(d: &Option<Decimal>, field: &str) -> Result<Option<CoreDecimal>> {
    d.as_ref().map(|d| d.parse(field)).transpose()
}

/// An instant as ISO-8601 / RFC 3339 text with its offset
/// (`2026-11-26T11:30:00+05:30`); one without offset is `NAIVE_DATETIME`.
pub fn parse_instant(s: &str, field: &str) -> Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).map_err(|e| {
        if chrono::NaiveDateTime::from_str(s).is_ok() {
            input(
                "NAIVE_DATETIME",
                field,
                format!("{s:?} has no time-zone offset (write e.g. {s}+05:30 or {s}Z)"),
            )
        } else {
            input(
                "INVALID_VALUE",
                field,
                format!("{s:?} is not an RFC 3339 instant: {e}"),
            )
        }
    })
}

/// An instant written as the JSON format writes it.
pub fn instant_text(t: &DateTime<FixedOffset>) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| t.to_rfc3339())
}

/// The channel an order comes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Channel {
    /// The B2B web portal.
    Portal,
    /// The buyer mobile app.
    MobileApp,
    /// Entered by a sales representative.
    SalesRep,
    /// Electronic data interchange or API.
    Edi,
}

impl From<Channel> for customer::Channel {
    fn from(c: Channel) -> Self {
        match c {
            Channel::Portal => Self::Portal,
            Channel::MobileApp => Self::MobileApp,
            Channel::SalesRep => Self::SalesRep,
            Channel::Edi => Self::Edi,
        }
    }
}

impl From<customer::Channel> for Channel {
    fn from(c: customer::Channel) -> Self {
        match c {
            customer::Channel::Portal => Self::Portal,
            customer::Channel::MobileApp => Self::MobileApp,
            customer::Channel::SalesRep => Self::SalesRep,
            customer::Channel::Edi => Self::Edi,
        }
    }
}

/// How much of the price explanation to return (the core's `PriceRequest.explain`).
/// Line errors, quantities, prices, amounts and totals are the same at every level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Enum)]
pub enum ExplainLevel {
    /// Everything: base price with the lists passed over, the waterfall with
    /// the losers of exclusive groups, line and order hints.
    #[default]
    Full,
    /// Where each base price came from and the waterfall of the rules that
    /// applied, with the order discounts; no hints, no lists passed over, no
    /// losing group members.
    Summary,
    /// Prices only: quantities, net unit price, amount, quantity status, the
    /// line errors and the totals; no base price, waterfall, discount steps
    /// or hints. The per-keystroke level.
    None,
}

impl From<ExplainLevel> for pricing::Explain {
    fn from(e: ExplainLevel) -> Self {
        match e {
            ExplainLevel::Full => Self::Full,
            ExplainLevel::Summary => Self::Summary,
            ExplainLevel::None => Self::None,
        }
    }
}

impl From<pricing::Explain> for ExplainLevel {
    fn from(e: pricing::Explain) -> Self {
        match e {
            pricing::Explain::Full => Self::Full,
            pricing::Explain::Summary => Self::Summary,
            pricing::Explain::None => Self::None,
        }
    }
}

/// One line of a cart: sku, quantity in `unit` (the base unit when absent).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CartLine {
    /// The app's line id, echoed back.
    #[uniffi(default)]
    pub line_id: Option<String>,
    /// The sku.
    pub sku: String,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// Ordered unit; the product's base unit when absent.
    #[uniffi(default)]
    pub unit: Option<String>,
    /// Buyer's target price per ordered unit (quote requests).
    #[uniffi(default)]
    pub target_price: Option<Decimal>,
}

/// Options of a pricing call: the request's header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PriceOptions {
    /// The app's cart id, echoed back.
    #[uniffi(default)]
    pub order_id: Option<String>,
    /// Currency of the cart (`INR`).
    pub currency: String,
    /// Channel the cart comes through.
    pub channel: Channel,
    /// The pricing instant, RFC 3339 with offset (`2026-11-26T11:30:00+05:30`):
    /// the core never reads the clock, the app passes "now".
    pub priced_at: String,
    /// Destination state code; the customer's default ship-to when absent.
    #[uniffi(default)]
    pub ship_to_state: Option<String>,
    /// How much explanation to return.
    pub explain: ExplainLevel,
}

/// The core's price request from a cart and its options.
pub fn price_request(lines: &[CartLine], o: &PriceOptions) -> Result<pricing::PriceRequest> {
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(pricing::OrderLine {
                line_id: l.line_id.clone(),
                sku: l.sku.clone(),
                quantity: l.quantity.parse(&format!("lines[{i}].quantity"))?,
                unit: l.unit.clone(),
                target_price: opt_dec(&l.target_price, &format!("lines[{i}].target_price"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(pricing::PriceRequest {
        order_id: o.order_id.clone(),
        currency: o.currency.clone(),
        channel: o.channel.into(),
        priced_at: parse_instant(&o.priced_at, "priced_at")?,
        ship_to_state: o.ship_to_state.clone(),
        lines,
        explain: o.explain.into(),
        ignore_rules: false,
        purchase_history: Vec::new(),
        exchange_rates: Vec::new(),
    })
}

/// Tier mode of a price-list entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum TierMode {
    /// The tier the quantity reaches prices every unit.
    AllUnits,
    /// Each unit priced by the tier its position falls in.
    Graduated,
}

/// One band of a graduated price.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

/// Why a list of the chain did not price a line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SkipReason {
    /// The list is in another currency.
    OtherCurrency {
        /// The list's currency.
        currency: String,
    },
    /// The list is not valid at the pricing instant.
    NotValid,
    /// No entry for the sku valid at the instant.
    NoEntry,
    /// Below the entry's lowest tier.
    BelowLowestTier {
        /// The lowest tier's `min_qty`.
        min_qty: Decimal,
    },
}

/// A list passed over while looking for the base price.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ListSkipped {
    /// The list.
    pub list_id: String,
    /// Why it did not price the line.
    pub reason: SkipReason,
}

/// Where the base price came from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BasePrice {
    /// The list that priced the line.
    pub list_id: String,
    /// For a derived list: the list whose entry was used.
    pub entry_list_id: Option<String>,
    /// Tier mode.
    pub tier_mode: TierMode,
    /// The tier reached (all-units tiers).
    pub tier_min_qty: Option<Decimal>,
    /// The quantity that selected the tier.
    pub tier_quantity: Decimal,
    /// The price as the list quotes it (per `quoted_unit`).
    pub quoted_price: Option<Decimal>,
    /// The unit the list quotes in.
    pub quoted_unit: String,
    /// Price per base unit, full precision.
    pub price_per_base_unit: Decimal,
    /// Bands of a graduated price.
    pub bands: Vec<GraduatedBand>,
    /// Exact band sum of a graduated price.
    pub band_sum: Option<Decimal>,
    /// Lists tried before this one.
    pub lists_skipped: Vec<ListSkipped>,
}

/// A (label, price) pair: a losing group member, or a catalog tier.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TierView {
    /// Rule id, or the tier's `min_qty` in words.
    pub label: String,
    /// The price.
    pub price: Decimal,
}

/// One member of an additive group.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AdditiveMember {
    /// The member rule.
    pub rule_id: String,
    /// Its percentage off.
    pub percent: Decimal,
}

/// What a waterfall step did to the price per base unit.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
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
        /// Clamped at zero.
        clamped_at_zero: bool,
    },
    /// A markup in percent (the price went up).
    PercentUp {
        /// Percent.
        percent: Decimal,
    },
    /// The summed percentage of an additive group, applied once.
    AdditivePercentOff {
        /// The sum (at most 100).
        percent: Decimal,
        /// The sum was above 100 and was capped.
        capped_at_100: bool,
        /// The members that applied.
        members: Vec<AdditiveMember>,
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
        /// Cost per base unit.
        cost: Decimal,
        /// Margin in percent.
        margin_pct: Decimal,
    },
    /// Free goods added as a separate line.
    FreeGoods {
        /// The free sku.
        sku: String,
        /// Units free per block.
        free_qty: Decimal,
        /// Units bought per block.
        per_qty: Decimal,
    },
    /// Raised to the product's floor.
    FloorClamp {
        /// The floor.
        floor: Decimal,
    },
}

/// One step of the waterfall.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WaterfallStep {
    /// The rule (or `floor` for a clamp).
    pub rule_id: String,
    /// What it did.
    pub effect: Effect,
    /// The effect in words, as the core writes it (`5% off`).
    pub description: String,
    /// Price per base unit before.
    pub price_before: Decimal,
    /// Price per base unit after.
    pub price_after: Decimal,
    /// The exclusive group the rule won.
    pub exclusive_group: Option<String>,
    /// Group members that lost, with the price each would have given.
    pub lost: Vec<TierView>,
    /// Whether the rule ended the chain.
    pub stopped: bool,
}

/// Whether the net price respects the product's floor.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FloorStatus {
    /// No floor, or at or above it.
    Ok,
    /// Below the floor (approvals can act on it).
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HintKind {
    /// Order more to reach a better tier.
    NextTier,
    /// Order more to be priced from an earlier list.
    EarlierList,
    /// Order more to reach a rule's quantity window.
    RuleQuantity,
    /// Raise the order amount to reach a rule.
    RuleAmount,
    /// A rule not valid yet.
    RuleNotYetValid,
    /// A rule that was skipped.
    RuleSkipped,
    /// Order more to get free goods.
    FreeGoods,
}

/// A rule or tier that almost applied, and what it would take.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Hint {
    /// Kind.
    pub kind: HintKind,
    /// The rule concerned.
    pub rule_id: Option<String>,
    /// Base units more to order.
    pub quantity_needed: Option<Decimal>,
    /// Amount more to order.
    pub amount_needed: Option<Decimal>,
    /// The hint in words.
    pub message: String,
}

/// A sale line, or free goods added by a rule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LineKind {
    /// A line the buyer asked for.
    Sale,
    /// Free goods.
    Free {
        /// Index of the triggering line in the request.
        linked_to: u64,
        /// The free-goods rule.
        rule_id: String,
    },
}

/// A priced line with its waterfall.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PricedLine {
    /// Index of the line in the cart (of the triggering line for free goods).
    pub line_index: u64,
    /// The app's line id.
    pub line_id: Option<String>,
    /// Sale or free goods.
    pub kind: LineKind,
    /// The sku.
    pub sku: String,
    /// Product name.
    pub name: String,
    /// HSN/SAC.
    pub hsn: String,
    /// GST rate class.
    pub gst_rate_class: String,
    /// Quantity in the ordered unit.
    pub quantity: Decimal,
    /// The ordered unit.
    pub unit: String,
    /// Quantity in base units.
    pub base_quantity: Decimal,
    /// The base unit.
    pub base_unit: String,
    /// Where the base price came from (absent for free goods).
    pub base_price: Option<BasePrice>,
    /// The waterfall: every adjustment in order.
    pub adjustments: Vec<WaterfallStep>,
    /// Net price per base unit, full precision.
    pub net_price_per_base_unit: Decimal,
    /// Net price per ordered unit, rounded to the unit price scale.
    pub net_unit_price: Decimal,
    /// Line amount, rounded to minor units.
    pub amount: Decimal,
    /// Share of order discounts.
    pub order_discount_share: Decimal,
    /// amount − order discount share.
    pub taxable_amount: Decimal,
    /// Floor status.
    pub floor: FloorStatus,
    /// Quantity-constraint status.
    pub quantity_status: QuantityStatus,
    /// Buyer's target price, echoed.
    pub target_price: Option<Decimal>,
    /// Hints.
    pub hints: Vec<Hint>,
}

/// A line that could not be priced; quantity problems carry the suggestion.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LineProblem {
    /// Index of the line in the cart.
    pub line_index: u64,
    /// The app's line id.
    pub line_id: Option<String>,
    /// The sku asked for.
    pub sku: String,
    /// Stable code (`BELOW_MOQ`, `NOT_MULTIPLE`, `ABOVE_MAX`, `NO_PRICE`, `UNKNOWN_SKU` …).
    pub code: String,
    /// Field path (`lines[3].quantity`).
    pub field: String,
    /// Readable message.
    pub message: String,
    /// Requested quantity in base units (quantity constraints).
    pub requested: Option<Decimal>,
    /// The limit broken (quantity constraints).
    pub limit: Option<Decimal>,
    /// A base quantity that passes every constraint.
    pub suggested: Option<Decimal>,
}

/// One order discount applied.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderDiscount {
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

/// The shipping charge.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ShippingCharge {
    /// The rule that set it.
    pub rule_id: String,
    /// The charge, before tax.
    pub amount: Decimal,
    /// SAC of the charge line.
    pub sac: String,
    /// Destination state code.
    pub destination_state: String,
    /// Total weight in kg.
    pub weight_kg: Decimal,
    /// How it was computed.
    pub description: String,
}

/// A priced cart: the core's `PricedOrder`, field for field (at `summary`
/// and `none` an empty hint list means "not computed").
///
/// It has no GST: pricing stops at the total before tax; the GST estimate by
/// ship-to state comes with a quote ([`crate::QuoteDraft::gst`]).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PricedCart {
    /// The app's cart id, echoed.
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
    /// The pricing instant (RFC 3339).
    pub priced_at: String,
    /// How much explanation the result carries, as requested.
    pub explain: ExplainLevel,
    /// Whether every requested line priced.
    pub all_priced: bool,
    /// Priced lines (free goods follow their triggering line).
    pub lines: Vec<PricedLine>,
    /// Lines that could not be priced (below MOQ … with the suggestion).
    pub errors: Vec<LineProblem>,
    /// Sum of line amounts.
    pub subtotal: Decimal,
    /// Order discounts applied.
    pub order_discounts: Vec<OrderDiscount>,
    /// Sum of order discounts.
    pub order_discount_total: Decimal,
    /// Shipping charge, when a rule set one.
    pub shipping: Option<ShippingCharge>,
    /// subtotal − order discounts + shipping.
    pub total_before_tax: Decimal,
    /// Order-level hints.
    pub hints: Vec<Hint>,
}

fn d(x: CoreDecimal) -> Decimal {
    x.into()
}

fn od(x: Option<CoreDecimal>) -> Option<Decimal> {
    x.map(d)
}

fn index(i: usize) -> u64 {
    u64::try_from(i).unwrap_or(u64::MAX)
}

impl From<&pricing::Hint> for Hint {
    fn from(h: &pricing::Hint) -> Self {
        Hint {
            kind: match h.kind {
                pricing::HintKind::NextTier => HintKind::NextTier,
                pricing::HintKind::EarlierList => HintKind::EarlierList,
                pricing::HintKind::RuleQuantity => HintKind::RuleQuantity,
                pricing::HintKind::RuleAmount => HintKind::RuleAmount,
                pricing::HintKind::RuleNotYetValid => HintKind::RuleNotYetValid,
                pricing::HintKind::RuleSkipped => HintKind::RuleSkipped,
                pricing::HintKind::FreeGoods => HintKind::FreeGoods,
            },
            rule_id: h.rule_id.as_ref().map(ToString::to_string),
            quantity_needed: od(h.quantity_needed),
            amount_needed: od(h.amount_needed),
            message: h.message.clone(),
        }
    }
}

impl From<&pricing::TierView> for TierView {
    fn from(t: &pricing::TierView) -> Self {
        TierView {
            label: t.label.clone(),
            price: d(t.price),
        }
    }
}

impl From<&pricing::Effect> for Effect {
    fn from(e: &pricing::Effect) -> Self {
        use pricing::Effect as E;
        match e {
            E::PercentOff { percent } => Effect::PercentOff {
                percent: d(*percent),
            },
            E::AmountOff {
                amount,
                clamped_at_zero,
            } => Effect::AmountOff {
                amount: d(*amount),
                clamped_at_zero: *clamped_at_zero,
            },
            E::PercentUp { percent } => Effect::PercentUp {
                percent: d(*percent),
            },
            E::AmountUp { amount } => Effect::AmountUp { amount: d(*amount) },
            E::AdditivePercentOff {
                percent,
                capped_at_100,
                members,
            } => Effect::AdditivePercentOff {
                percent: d(*percent),
                capped_at_100: *capped_at_100,
                members: members
                    .iter()
                    .map(|m| AdditiveMember {
                        rule_id: m.rule_id.to_string(),
                        percent: d(m.percent),
                    })
                    .collect(),
            },
            E::FixedPrice { price } => Effect::FixedPrice { price: d(*price) },
            E::CostPlus { cost, margin_pct } => Effect::CostPlus {
                cost: d(*cost),
                margin_pct: d(*margin_pct),
            },
            E::FreeGoods {
                sku,
                free_qty,
                per_qty,
            } => Effect::FreeGoods {
                sku: sku.to_string(),
                free_qty: d(*free_qty),
                per_qty: d(*per_qty),
            },
            E::FloorClamp { floor } => Effect::FloorClamp { floor: d(*floor) },
        }
    }
}

impl From<&pricing::Adjustment> for WaterfallStep {
    fn from(a: &pricing::Adjustment) -> Self {
        WaterfallStep {
            rule_id: a.rule_id.to_string(),
            effect: (&a.effect).into(),
            description: a.effect.to_string(),
            price_before: d(a.price_before),
            price_after: d(a.price_after),
            exclusive_group: a.exclusive_group.as_ref().map(ToString::to_string),
            lost: a.lost.iter().map(Into::into).collect(),
            stopped: a.stopped,
        }
    }
}

impl From<&pricing::BasePrice> for BasePrice {
    fn from(b: &pricing::BasePrice) -> Self {
        BasePrice {
            list_id: b.list_id.to_string(),
            entry_list_id: b.entry_list_id.as_ref().map(ToString::to_string),
            tier_mode: match b.tier_mode {
                pricing::TierMode::AllUnits => TierMode::AllUnits,
                pricing::TierMode::Graduated => TierMode::Graduated,
            },
            tier_min_qty: od(b.tier_min_qty),
            tier_quantity: d(b.tier_quantity),
            quoted_price: od(b.quoted_price),
            quoted_unit: b.quoted_unit.to_string(),
            price_per_base_unit: d(b.price_per_base_unit),
            bands: b
                .bands
                .iter()
                .map(|g| GraduatedBand {
                    min_qty: d(g.min_qty),
                    quantity: d(g.quantity),
                    price: d(g.price),
                    amount: d(g.amount),
                })
                .collect(),
            band_sum: od(b.band_sum),
            lists_skipped: b
                .lists_skipped
                .iter()
                .map(|s| ListSkipped {
                    list_id: s.list_id.to_string(),
                    reason: match &s.reason {
                        pricing::SkipReason::OtherCurrency { currency } => {
                            SkipReason::OtherCurrency {
                                currency: currency.clone(),
                            }
                        }
                        pricing::SkipReason::NotValid => SkipReason::NotValid,
                        pricing::SkipReason::NoEntry => SkipReason::NoEntry,
                        pricing::SkipReason::BelowLowestTier { min_qty } => {
                            SkipReason::BelowLowestTier {
                                min_qty: d(*min_qty),
                            }
                        }
                    },
                })
                .collect(),
        }
    }
}

impl From<&pricing::LineProblem> for LineProblem {
    fn from(p: &pricing::LineProblem) -> Self {
        LineProblem {
            line_index: index(p.line_index),
            line_id: p.line_id.clone(),
            sku: p.sku.clone(),
            code: p.code.clone(),
            field: p.field.clone(),
            message: p.message.clone(),
            requested: od(p.requested),
            limit: od(p.limit),
            suggested: od(p.suggested),
        }
    }
}

impl From<&pricing::QuantityStatus> for QuantityStatus {
    fn from(q: &pricing::QuantityStatus) -> Self {
        match q {
            pricing::QuantityStatus::Ok => QuantityStatus::Ok,
            pricing::QuantityStatus::Adjusted { from, to, reason } => QuantityStatus::Adjusted {
                from: d(*from),
                to: d(*to),
                reason: reason.clone(),
            },
        }
    }
}

impl From<&pricing::PricedLine> for PricedLine {
    fn from(l: &pricing::PricedLine) -> Self {
        PricedLine {
            line_index: index(l.line_index),
            line_id: l.line_id.as_ref().map(ToString::to_string),
            kind: match &l.kind {
                pricing::LineKind::Sale => LineKind::Sale,
                pricing::LineKind::Free { linked_to, rule_id } => LineKind::Free {
                    linked_to: index(*linked_to),
                    rule_id: rule_id.to_string(),
                },
            },
            sku: l.sku.to_string(),
            name: l.name.to_string(),
            hsn: l.hsn.to_string(),
            gst_rate_class: l.gst_rate_class.to_string(),
            quantity: d(l.quantity),
            unit: l.unit.to_string(),
            base_quantity: d(l.base_quantity),
            base_unit: l.base_unit.to_string(),
            base_price: l.base_price.as_ref().map(Into::into),
            adjustments: l.adjustments.iter().map(Into::into).collect(),
            net_price_per_base_unit: d(l.net_price_per_base_unit),
            net_unit_price: d(l.net_unit_price),
            amount: d(l.amount),
            order_discount_share: d(l.order_discount_share),
            taxable_amount: d(l.taxable_amount),
            floor: match &l.floor {
                pricing::FloorStatus::Ok => FloorStatus::Ok,
                pricing::FloorStatus::BelowFloor { floor, gap } => FloorStatus::BelowFloor {
                    floor: d(*floor),
                    gap: d(*gap),
                },
                pricing::FloorStatus::Clamped { floor, from } => FloorStatus::Clamped {
                    floor: d(*floor),
                    from: d(*from),
                },
            },
            quantity_status: (&l.quantity_status).into(),
            target_price: od(l.target_price),
            hints: l.hints.iter().map(Into::into).collect(),
        }
    }
}

impl From<&PricedOrder> for PricedCart {
    fn from(o: &PricedOrder) -> Self {
        PricedCart {
            order_id: o.order_id.clone(),
            price_book_id: o.price_book_id.clone(),
            price_book_version: o.price_book_version.clone(),
            customer_id: o.customer_id.clone(),
            segment: o.segment.clone(),
            currency: o.currency.clone(),
            channel: o.channel.into(),
            priced_at: instant_text(&o.priced_at),
            explain: o.explain.into(),
            all_priced: o.all_priced,
            lines: o.lines.iter().map(Into::into).collect(),
            errors: o.errors.iter().map(Into::into).collect(),
            subtotal: d(o.subtotal),
            order_discounts: o
                .order_discounts
                .iter()
                .map(|a| OrderDiscount {
                    rule_id: a.rule_id.clone(),
                    description: a.description.clone(),
                    before: d(a.before),
                    after: d(a.after),
                    amount: d(a.amount),
                })
                .collect(),
            order_discount_total: d(o.order_discount_total),
            shipping: o.shipping.as_ref().map(|s| ShippingCharge {
                rule_id: s.rule_id.clone(),
                amount: d(s.amount),
                sac: s.sac.clone(),
                destination_state: s.destination_state.clone(),
                weight_kg: d(s.weight_kg),
                description: s.description.clone(),
            }),
            total_before_tax: d(o.total_before_tax),
            hints: o.hints.iter().map(Into::into).collect(),
        }
    }
}

/// Ordering constraints for this customer, in base units.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OrderingConstraints {
    /// Minimum order quantity.
    pub moq: Option<Decimal>,
    /// The quantity must be a whole multiple of this.
    pub order_multiple: Option<Decimal>,
    /// Largest quantity per order line.
    pub max_quantity: Option<Decimal>,
}

/// A product as the customer sees it, with its price at the MOQ.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CatalogEntry {
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
    /// The quantity the price is for (base units).
    pub quantity: Decimal,
    /// Net price per base unit at that quantity; absent if unpriced.
    pub net_unit_price: Option<Decimal>,
    /// The tier ladder (price per base unit, unrounded).
    pub tiers: Vec<TierView>,
    /// Why it has no price.
    pub problem: Option<String>,
}

impl From<&pricing::CatalogEntryView> for CatalogEntry {
    fn from(v: &pricing::CatalogEntryView) -> Self {
        CatalogEntry {
            sku: v.sku.clone(),
            name: v.name.clone(),
            category: v.category.clone(),
            hsn: v.hsn.clone(),
            base_unit: v.base_unit.clone(),
            constraints: OrderingConstraints {
                moq: od(v.constraints.moq),
                order_multiple: od(v.constraints.order_multiple),
                max_quantity: od(v.constraints.max_quantity),
            },
            quantity: d(v.quantity),
            net_unit_price: od(v.net_unit_price),
            tiers: v.tiers.iter().map(Into::into).collect(),
            problem: v.problem.clone(),
        }
    }
}

/// Turns a JSON text into a document, naming `what` on failure.
pub fn document<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    b2b_oms::json::from_json::<T>(text)
        .map_err(|e| B2bOmsError::from(b2b_oms::host::HostError::from(e).under(what)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_text_is_display() {
        for s in [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "1",
            "-1",
            "1234.50",
            "0.001",
            "-0.0001",
            "10",
            "100.0",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
            "18446744073709551615",
            "18446744073709551616",
            "184467440737095516.16",
        ] {
            let d = CoreDecimal::from_str_exact(s).unwrap();
            assert_eq!(decimal_text(d), d.to_string(), "{s}");
        }
        let z = CoreDecimal::ZERO * CoreDecimal::NEGATIVE_ONE;
        assert_eq!(decimal_text(z), z.to_string());
    }
}
