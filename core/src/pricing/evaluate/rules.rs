//! The rules of a line: its candidates from the customer's index
//! buckets, whether each applies (or almost does), and what its action does
//! to the running price.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use super::prepare::Prepared;
use super::quantities::Scoped;
use super::result::{Effect, Hint};
use super::OrderCtx;
use crate::catalog::CatalogProduct;
use crate::money::{self, MoneyError};
use crate::pricing::compile::{key, CompiledRule};
use crate::pricing::{Explain, RuleAction, RuleBasis};

pub(super) enum Check {
    Applies,
    No,
    Near(Hint),
}

/// One place in a line's rule order: a rule (by position), or an
/// exclusive group (by its interned id).
pub(super) enum Step {
    Single(u32),
    Group(u32),
    /// An additive group (by its interned id): see `additive`.
    Additive(u32),
}

pub(super) enum Miss {
    NotYetValid(DateTime<FixedOffset>),
    /// The quantity still needed, and how much of the basis is on lines
    /// without a price (which do not count).
    Quantity(Decimal, Decimal),
    Amount(Decimal),
}

/// The customer's rules under product keys many lines share, gathered
/// from all of the customer's buckets the first time a line needs them.
#[derive(Default)]
pub(super) struct SharedKeys {
    /// By id of each kind: (start, length) in `slots`, once gathered.
    pub(super) any: Vec<Option<(usize, usize)>>,
    pub(super) brands: Vec<Option<(usize, usize)>>,
    pub(super) categories: Vec<Option<(usize, usize)>>,
    pub(super) tags: Vec<Option<(usize, usize)>>,
    pub(super) slots: Vec<u32>,
}

impl<'a> OrderCtx<'a> {
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
    pub(super) fn cumulative_count(
        &self,
        rule: &CompiledRule,
        pos: usize,
        line: &Prepared<'a>,
        all: &[Scoped<'a>],
        cache: &mut FxHashMap<usize, Decimal>,
    ) -> Result<crate::pricing::CumulativeCount, MoneyError> {
        let (history_quantity, history_amount) = self.history_of(rule, line);
        Ok(crate::pricing::CumulativeCount {
            rule_id: rule.id.clone(),
            history_quantity,
            order_quantity: self.basis_quantity(rule, pos, line, all, cache)?,
            history_amount,
            order_amount: self.base_subtotal,
        })
    }

    /// Whether a candidate rule applies to a line; a rule that fails on one
    /// "reachable" condition only (quantity, amount, not yet valid) is a near miss.
    pub(super) fn check_rule(
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
                            .then(|| Miss::Quantity(needed, self.unpriced_quantity(rule, line)));
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

    /// The price a rule's action gives (and whether an amount off was
    /// clamped at zero), or why it was skipped. The effect is written
    /// only for the rule that is applied ([`effect_of`]).
    pub(super) fn action_price(
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
                match crate::pricing::markup::apply(&rule.action, rule.action_factor, running) {
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
    pub(super) fn candidates(
        &self,
        line: &Prepared<'a>,
        out: &mut Vec<u32>,
        shared: &mut SharedKeys,
    ) {
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
}

/// Why a rule's action could not price a line.
#[derive(Clone, Copy)]
pub(super) enum ActionSkip {
    NoCost,
    CostCurrency,
}

/// What an applied rule did, as the waterfall shows it.
pub(super) fn effect_of(
    rule: &CompiledRule,
    product: &CatalogProduct,
    clamped_at_zero: bool,
) -> Effect {
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
