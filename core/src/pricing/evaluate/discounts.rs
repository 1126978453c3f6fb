//! Order discounts: the order rules that apply to the subtotal, run in
//! priority order, and their total spread over the lines.

use super::result::PricedLine;
use rust_decimal::Decimal;
use smol_str::SmolStr;

use super::result::{Hint, HintKind, OrderAdjustment};
use super::text::{Plain, Price};
use super::{round_price, valid_at, OrderCtx};
use crate::money::{self, allocate_proportionally, MoneyError, RoundingMode};
use crate::pricing::{Explain, OrderAction, OrderConditions};

/// The order discount's shares of the lines, exactly as
/// [`allocate_proportionally`] gives them. When every amount is a whole,
/// non-negative number of minor units below 10^12, the shares are computed
/// in integers: each is `total × weight ÷ sum` rounded once, and the
/// decimal division could not have landed on the other side of a rounding
/// midpoint (its error, below 10^-15 minor units, is smaller than the
/// distance 1/(2 × sum) of any inexact quotient from a midpoint). Anything
/// else goes through `allocate_proportionally` itself.
pub(super) fn discount_shares(
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

pub(super) fn integer_shares(
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

impl<'a> OrderCtx<'a> {
    pub(super) fn order_conditions_hold(&self, w: &OrderConditions) -> bool {
        let c = self.customer;
        let currency = w.currency.as_ref().unwrap_or(&self.book.def.currency);
        (w.customers.is_empty() || w.customers.contains(&c.id))
            && (w.segments.is_empty() || w.segments.contains(&c.segment))
            && (w.customer_tags.is_empty() || w.customer_tags.iter().any(|t| c.tags.contains(t)))
            && (w.channels.is_empty() || w.channels.contains(&self.channel))
            && *currency == self.currency.code
            && valid_at(w.valid_from, w.valid_until, self.at)
    }

    /// The order discounts that apply to `subtotal`, each on the running
    /// subtotal after the ones before it, at full precision (the spec:
    /// nothing is rounded during pricing but the shares spread over
    /// lines); their amounts as the explanation shows them keep up to 10
    /// places.
    pub(super) fn order_discounts(&self, subtotal: Decimal) -> Result<OrderDiscounts, MoneyError> {
        let mode = self.book.def.settings.rounding;
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
            // Unrounded: the discounts compound on the exact running
            // subtotal, and only their total is rounded (then spread).
            let discount = match &r.action {
                OrderAction::PercentOff { percent } => money::div(
                    money::mul(running, *percent, "order discount")?,
                    Decimal::ONE_HUNDRED,
                    "order discount",
                )?,
                OrderAction::AmountOff { amount } => (*amount).min(running),
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
                    before: round_price(mode, running),
                    after: round_price(mode, after),
                    amount: round_price(mode, discount),
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
}

/// The order discounts that apply to an order.
#[derive(Default)]
pub(super) struct OrderDiscounts {
    /// Each discount's amount, in the order they ran.
    pub(super) amounts: Vec<Decimal>,
    /// The steps as the result lists them (not at [`Explain::None`]).
    pub(super) applied: Vec<OrderAdjustment>,
    /// Discounts almost reached (at [`Explain::Full`] only).
    pub(super) hints: Vec<Hint>,
}

impl OrderCtx<'_> {
    /// Runs the order discounts on the rounded `subtotal` and spreads their
    /// rounded total over `lines` in proportion to their amounts, setting
    /// each line's share and taxable amount. Returns the discounts applied
    /// and their total.
    pub(super) fn spread_order_discounts(
        &self,
        subtotal: Decimal,
        lines: &mut [PricedLine],
    ) -> Result<(OrderDiscounts, Decimal), MoneyError> {
        let minor = self.currency.minor_units;
        let mode = self.book.def.settings.rounding;
        let discounts = if self.ignore_rules {
            OrderDiscounts::default()
        } else {
            self.order_discounts(subtotal)
                .map_err(|e| e.at("order_discounts"))?
        };
        let total = mode.round_to_scale(
            money::sum(discounts.amounts.iter().copied(), "order discounts")
                .map_err(|e| e.at("order_discount_total"))?,
            minor,
        );
        let weights: Vec<Decimal> = lines.iter().map(|l| l.amount).collect();
        let shares = discount_shares(total, &weights, minor, mode)
            .map_err(|e| e.at("order_discount_total"))?;
        for (line, share) in lines.iter_mut().zip(shares) {
            line.order_discount_share = share;
            line.taxable_amount = mode.round_to_scale(
                money::sub(line.amount, share, "taxable amount")
                    .map_err(|e| e.at("order_discount_total"))?,
                minor,
            );
        }
        Ok((discounts, total))
    }
}
