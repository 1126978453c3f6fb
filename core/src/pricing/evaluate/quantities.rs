//! Order-wide quantities: what the order holds of a sku, a product group
//! or a rule's scope, which tiers and rules with an order basis read.

use super::errors::LineError;
use super::line_overflow;
use super::prepare::Prepared;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::OrderCtx;
use crate::catalog::CatalogProduct;
use crate::money::{self, MoneyError};
use crate::pricing::compile::CompiledRule;
use crate::pricing::{RuleBasis, TierBasis};

/// (sku index, product, base quantity) of every priced line, for
/// `order_scope` quantities.
pub(super) type Scoped<'a> = (u32, &'a CatalogProduct, Decimal);

impl<'a> OrderCtx<'a> {
    pub(super) fn scope_quantity(
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
}

impl<'a> OrderCtx<'a> {
    /// Adds a prepared line to the order's sku quantity and, when its
    /// product has a group, the group quantity — both or neither: a line
    /// that would overflow one of them is refused and counts nowhere.
    pub(super) fn count_in_order(&mut self, p: Prepared<'a>) -> Result<Prepared<'a>, LineError> {
        let i = p.index;
        let sku_slot = self.sku_qty.entry(p.sku_idx).or_insert(Decimal::ZERO);
        let Some(sku_total) = sku_slot.checked_add(p.base_qty) else {
            return Err(line_overflow(i, "order quantity"));
        };
        if let Some(g) = p.product.group_id {
            let group_slot = self.group_qty.entry(g).or_insert(Decimal::ZERO);
            let Some(group_total) = group_slot.checked_add(p.base_qty) else {
                return Err(line_overflow(i, "order group quantity"));
            };
            *group_slot = group_total;
        }
        *sku_slot = sku_total;
        Ok(p)
    }

    /// Takes a counted line back out of the order's sku and group
    /// quantities (it has no price: see the module doc), remembering it
    /// for the hints.
    pub(super) fn uncount(&mut self, p: &Prepared<'a>) {
        // Each was added to these sums in pass 1, so it comes off exactly.
        let take = |q: &mut Decimal| *q = q.checked_sub(p.base_qty).unwrap_or(*q);
        if let Some(q) = self.sku_qty.get_mut(&p.sku_idx) {
            take(q);
        }
        if let Some(q) = p.product.group_id.and_then(|g| self.group_qty.get_mut(&g)) {
            take(q);
        }
        self.unpriced.push((p.sku_idx, p.product, p.base_qty));
    }

    /// How much of a rule's basis quantity for `line` is on lines without
    /// a price (which do not count): for a hint that asks for more.
    pub(super) fn unpriced_quantity(&self, rule: &CompiledRule, line: &Prepared<'a>) -> Decimal {
        let matches = |(sku, product, _): &&Scoped<'a>| match rule.basis {
            RuleBasis::Line => false,
            RuleBasis::OrderSku => *sku == line.sku_idx,
            RuleBasis::OrderScope => rule.scope.matches(*sku, product),
        };
        money::sum(
            self.unpriced.iter().filter(matches).map(|(_, _, q)| *q),
            "unpriced quantity",
        )
        .unwrap_or(Decimal::ZERO)
    }

    /// The quantity that selects a line's tier: the line's own, or the
    /// order's of its sku or product group, by the entry's basis. A
    /// product without a group "counts alone" under `order_group`: its
    /// own lines summed, as under `order_sku`.
    pub(super) fn tier_quantity(&self, line: &Prepared<'a>, basis: TierBasis) -> Decimal {
        let group = match basis {
            TierBasis::Line => return line.base_qty,
            TierBasis::OrderSku => None,
            TierBasis::OrderGroup => line.product.group_id,
        };
        match group {
            Some(g) => self.group_qty.get(&g),
            None => self.sku_qty.get(&line.sku_idx),
        }
        .copied()
        .unwrap_or(line.base_qty)
    }
}
