//! Hints: what almost applied (a tier, an earlier list, a rule's
//! quantity, amount or validity), in words.

use rust_decimal::Decimal;
use smol_str::SmolStr;

use super::base::SharedSkips;
use super::prepare::{check_constraints, Prepared};
use super::quantities::Scoped;
use super::result::{Adjustment, Effect, Hint, HintKind, LineKind, PricedLine};
use super::rules::{ActionSkip, Miss};
use super::text::{Plain, Price};
use super::waterfall::Scratch;
use super::{OrderCtx, Totals};
use crate::catalog::{Catalog, CatalogProduct};
use crate::money::{self};
use crate::pricing::{Explain, PriceRequest};
use rustc_hash::FxHashMap;

/// A base-price hint whose words are written only if it is kept.
pub(super) enum PendingHint<'a> {
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
    pub(super) fn into_hint(self) -> Hint {
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

impl<'a> OrderCtx<'a> {
    /// Whether `needed` more is "almost there": at most the book's
    /// `hint_reach_pct` of what the order already has.
    pub(super) fn within_reach(&self, needed: Decimal, have: Decimal) -> bool {
        let pct = self.book.def.settings.hint_reach_pct;
        if pct == Decimal::ONE_HUNDRED {
            return money::cmp(needed, have).is_le();
        }
        have.checked_mul(pct)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .is_some_and(|limit| needed <= limit)
    }

    pub(super) fn near_miss_hint(&self, rule_id: &SmolStr, miss: Miss) -> Hint {
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
            Miss::Quantity(needed, unpriced) => {
                let mut m = String::with_capacity(40);
                m.push_str("order ");
                Plain(needed).push_to(&mut m);
                m.push_str(" more to reach ");
                m.push_str(rule_id);
                if !unpriced.is_zero() {
                    m.push_str(" (");
                    Plain(unpriced).push_to(&mut m);
                    m.push_str(" on lines without a price do not count)");
                }
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
}

impl ActionSkip {
    pub(super) fn hint(self, rule_id: &SmolStr, product: &CatalogProduct) -> Hint {
        match (self, &product.product.cost) {
            (Self::CostCurrency, Some(cost)) => skipped_hint(
                rule_id,
                &format!("the product's cost is in {}", cost.currency),
            ),
            _ => skipped_hint(rule_id, "the product has no cost"),
        }
    }
}

pub(super) fn skipped_hint(rule_id: &SmolStr, reason: &str) -> Hint {
    Hint {
        kind: HintKind::RuleSkipped,
        rule_id: Some(rule_id.clone()),
        quantity_needed: None,
        amount_needed: None,
        message: format!("rule {rule_id} skipped: {reason}"),
    }
}

/// What a hint asks the buyer to add: base units to its line, or an
/// amount to the order.
#[derive(Clone, Copy)]
enum Ask {
    Quantity(Decimal),
    Amount(Decimal),
}

/// The line being checked, as it was priced: its place among the counted
/// lines and its net per base unit.
struct Checked<'p, 'a> {
    line: &'p Prepared<'a>,
    /// Its position in the order-scope vector.
    at: usize,
    net_per_base: Decimal,
    /// The other counted lines whose base price reads the line's sku or
    /// group quantity (its group's lines, or its sku's when it has none).
    siblings: Vec<&'p Prepared<'a>>,
}

/// Whose base price moves with a line's quantity: a product's group when
/// it has one (a sku's lines are all in its group), else the sku itself.
fn kin(p: &Prepared<'_>) -> (bool, u32) {
    match p.product.group_id {
        Some(g) => (true, g),
        None => (false, p.sku_idx),
    }
}

impl<'a> OrderCtx<'a> {
    /// Pass 3b, at `full`: a hint may only promise what the engine does.
    /// Every hint that asks for more (a tier, an earlier list, a rule's
    /// quantity or amount, free goods) is checked by pricing its line again
    /// as the hint suggests, with the order otherwise as it is (the sku,
    /// group and scope quantities, and the base subtotal, as they would be
    /// then). A rule hint is kept only when the rule applies there (a
    /// `stop` before it, or a group member that beats it, drops it); a
    /// free-goods hint only when the free line is added; a tier or list
    /// hint only when the line's net there is lower than now, its words
    /// then saying that net (not the tier's price before rules). A hint
    /// whose quantity breaks the line's constraints is dropped, and one
    /// that says what another already says (two lists' hints at one
    /// quantity that the earlier list prices) is said once.
    /// `counted` holds the indices of the lines that count towards the
    /// order-wide sums (those with a base price), in request order.
    pub(super) fn check_hints(
        &mut self,
        request: &PriceRequest,
        prepared: &[Prepared<'a>],
        counted: &[usize],
        lines: &mut [PricedLine],
    ) {
        if self.explain != Explain::Full || !lines.iter().any(|l| l.hints.iter().any(asks)) {
            return;
        }
        let find = |i: usize| {
            prepared
                .binary_search_by_key(&i, |p| p.index)
                .ok()
                .and_then(|k| prepared.get(k))
        };
        let counted_lines: Vec<&Prepared<'a>> = counted.iter().filter_map(|i| find(*i)).collect();
        let mut all: Vec<Scoped<'a>> = counted_lines
            .iter()
            .map(|p| (p.sku_idx, p.product, p.base_qty))
            .collect();
        // Indexed once: looking the kin up per hint made the check
        // quadratic in the order's lines.
        let mut kin_lines: FxHashMap<(bool, u32), Vec<&Prepared<'a>>> = FxHashMap::default();
        for p in &counted_lines {
            kin_lines.entry(kin(p)).or_default().push(p);
        }
        let position: FxHashMap<usize, usize> =
            counted.iter().enumerate().map(|(at, i)| (*i, at)).collect();
        self.explain = Explain::Summary;
        for priced in lines.iter_mut() {
            if priced.kind != LineKind::Sale || !priced.hints.iter().any(asks) {
                continue;
            }
            let (Some(line), Some(&at)) =
                (find(priced.line_index), position.get(&priced.line_index))
            else {
                continue;
            };
            let siblings = kin_lines
                .get(&kin(line))
                .map(|k| {
                    k.iter()
                        .copied()
                        .filter(|p| p.index != line.index)
                        .collect()
                })
                .unwrap_or_default();
            let checked = Checked {
                line,
                at,
                net_per_base: priced.net_price_per_base_unit,
                siblings,
            };
            let hints = std::mem::take(&mut priced.hints);
            for h in hints {
                let Some(h) = self.checked_hint(request, prepared, counted, &mut all, &checked, h)
                else {
                    continue;
                };
                // Two lists' hints that the engine bears out as one (the
                // earlier list prices both quantities) are said once.
                if !priced.hints.iter().any(|k| k.message == h.message) {
                    priced.hints.push(h);
                }
            }
        }
        self.explain = Explain::Full;
    }

    /// A hint as the engine bears it out: kept, reworded or dropped.
    fn checked_hint(
        &mut self,
        request: &PriceRequest,
        prepared: &[Prepared<'a>],
        counted: &[usize],
        all: &mut [Scoped<'a>],
        checked: &Checked<'_, 'a>,
        hint: Hint,
    ) -> Option<Hint> {
        let ask = match (hint.kind, hint.quantity_needed, hint.amount_needed) {
            (HintKind::RuleAmount, _, Some(a)) => Ask::Amount(a),
            (
                HintKind::NextTier
                | HintKind::EarlierList
                | HintKind::RuleQuantity
                | HintKind::FreeGoods,
                Some(q),
                _,
            ) => Ask::Quantity(q),
            _ => return Some(hint),
        };
        let then = self.price_as_asked(request, prepared, counted, all, checked, ask)?;
        let sale = then.first()?;
        let rule = hint.rule_id.as_deref();
        let kept = match hint.kind {
            HintKind::FreeGoods => then.iter().any(|l| {
                matches!(&l.kind, LineKind::Free { rule_id, .. } if Some(rule_id.as_str()) == rule)
            }),
            HintKind::RuleQuantity | HintKind::RuleAmount => {
                sale.adjustments.iter().any(|a| applied(a, rule))
            }
            _ => money::cmp(sale.net_price_per_base_unit, checked.net_per_base).is_lt(),
        };
        if !kept {
            return None;
        }
        Some(match hint.kind {
            HintKind::NextTier | HintKind::EarlierList => Hint {
                message: self.tier_words(&hint, checked.line, sale),
                ..hint
            },
            _ => hint,
        })
    }

    /// The line (then its free lines) priced as `ask` suggests, at
    /// `summary`; `None` when the engine would refuse it there.
    /// The hinted line (and its free lines) from pricing the whole
    /// request again with the line at `base_qty`, at `summary` (so no
    /// hint is checked inside). Used when some line of the order has no
    /// price, which the local probe cannot follow.
    fn price_whole_order(
        &self,
        request: &PriceRequest,
        line: &Prepared<'a>,
        base_qty: Decimal,
    ) -> Option<Vec<PricedLine>> {
        let mut asked = request.clone();
        asked.explain = Explain::Summary;
        let requested = asked.lines.get_mut(line.index)?;
        requested.quantity = base_qty.checked_div(line.factor)?;
        let then = self.book.price_order(self.customer, &asked).ok()?;
        let mut out: Vec<PricedLine> = Vec::new();
        for l in then.lines {
            let free_of_line =
                matches!(&l.kind, LineKind::Free { linked_to, .. } if *linked_to == line.index);
            if l.kind == LineKind::Sale && l.line_index == line.index {
                out.insert(0, l);
            } else if free_of_line {
                out.push(l);
            }
        }
        out.first().filter(|l| l.kind == LineKind::Sale)?;
        Some(out)
    }

    fn price_as_asked(
        &mut self,
        request: &PriceRequest,
        prepared: &[Prepared<'a>],
        counted: &[usize],
        all: &mut [Scoped<'a>],
        checked: &Checked<'_, 'a>,
        ask: Ask,
    ) -> Option<Vec<PricedLine>> {
        let line = checked.line;
        let saved_subtotal = self.base_subtotal;
        let extra = match ask {
            Ask::Amount(a) => {
                self.base_subtotal = saved_subtotal.checked_add(a)?;
                let out = self.price_probe(request, line, all);
                self.base_subtotal = saved_subtotal;
                return out;
            }
            Ask::Quantity(q) => q,
        };
        let base_qty = line.base_qty.checked_add(extra)?;
        let constraints = Catalog::constraints_for(&line.product.product, self.customer);
        check_constraints(base_qty, &constraints, |_| String::new()).ok()?;
        if counted.len() < prepared.len() {
            // A line without a price could gain one at the asked quantity
            // and then count in the sums: only the engine itself says what
            // the order would then cost.
            return self.price_whole_order(request, line, base_qty);
        }
        let probe = Prepared {
            index: line.index,
            sku_idx: line.sku_idx,
            product: line.product,
            quantity: base_qty.checked_div(line.factor).unwrap_or(base_qty),
            unit: line.unit.clone(),
            factor: line.factor,
            base_qty,
            adjusted: None,
        };
        // The lines whose base price reads the bumped sku or group
        // quantity, priced before and after, move the base subtotal.
        let group = line.product.group_id;
        let siblings = &checked.siblings;
        let before = self.base_amounts(siblings.iter().copied().chain([line]))?;
        let saved_sku = self.sku_qty.get(&line.sku_idx).copied();
        let saved_group = group.and_then(|g| self.group_qty.get(&g).copied().map(|q| (g, q)));
        if let Some(q) = saved_sku {
            self.sku_qty.insert(line.sku_idx, q.checked_add(extra)?);
        }
        if let Some((g, q)) = saved_group {
            self.group_qty.insert(g, q.checked_add(extra)?);
        }
        let saved_scope = all.get(checked.at).map(|s| s.2);
        if let Some(s) = all.get_mut(checked.at) {
            s.2 = base_qty;
        }
        let out = self
            .base_amounts(siblings.iter().copied().chain([&probe]))
            .and_then(|after| {
                self.base_subtotal = saved_subtotal.checked_sub(before)?.checked_add(after)?;
                self.price_probe(request, &probe, all)
            });
        self.base_subtotal = saved_subtotal;
        if let Some(q) = saved_sku {
            self.sku_qty.insert(line.sku_idx, q);
        }
        if let Some((g, q)) = saved_group {
            self.group_qty.insert(g, q);
        }
        if let (Some(s), Some(q)) = (all.get_mut(checked.at), saved_scope) {
            s.2 = q;
        }
        out
    }

    /// The sum of the lines' base amounts as the order stands.
    fn base_amounts<'p>(&self, lines: impl Iterator<Item = &'p Prepared<'a>>) -> Option<Decimal>
    where
        'a: 'p,
    {
        let mut sum = Decimal::ZERO;
        for p in lines {
            let own = self.own_entries(std::slice::from_ref(p));
            let b = self
                .line_base(p, &own, &mut SharedSkips::default(), Explain::Summary)
                .ok()?;
            sum = sum.checked_add(b.base_line_amount)?;
        }
        Some(sum)
    }

    /// One line priced through passes 2 and 3 with the order as it stands.
    fn price_probe(
        &self,
        request: &PriceRequest,
        line: &Prepared<'a>,
        all: &[Scoped<'a>],
    ) -> Option<Vec<PricedLine>> {
        let own = self.own_entries(std::slice::from_ref(line));
        let based = self
            .line_base(line, &own, &mut SharedSkips::default(), Explain::Summary)
            .ok()?;
        let mut out = Vec::new();
        self.apply_rules(
            line,
            based,
            request,
            all,
            &mut Scratch::default(),
            &mut out,
            &mut Totals::default(),
        )
        .ok()?;
        Some(out)
    }
}

/// Whether a hint asks for more (and so is checked by pricing again).
fn asks(h: &Hint) -> bool {
    matches!(
        h.kind,
        HintKind::NextTier
            | HintKind::EarlierList
            | HintKind::RuleQuantity
            | HintKind::RuleAmount
            | HintKind::FreeGoods
    )
}

/// Whether an adjustment applied `rule`, alone or in an additive group.
fn applied(a: &Adjustment, rule: Option<&str>) -> bool {
    let Some(rule) = rule else {
        return false;
    };
    match &a.effect {
        Effect::AdditivePercentOff { members, .. } => members.iter().any(|m| m.rule_id == rule),
        _ => a.rule_id == rule,
    }
}

impl OrderCtx<'_> {
    /// A tier or list hint's words from what the engine computes at its
    /// quantity: the base price reached and, when rules (or a floor)
    /// change it, the net the buyer would pay, in the tier's unit (so the
    /// two compare), rounded to the book's unit price scale.
    fn tier_words(&self, hint: &Hint, line: &Prepared<'_>, then: &PricedLine) -> String {
        let mut m = String::with_capacity(64);
        m.push_str("order ");
        Plain(hint.quantity_needed.unwrap_or_default()).push_to(&mut m);
        let (quoted, quoted_unit) = match then.base_price.as_ref() {
            Some(b) => match b.quoted_price {
                Some(q) => (q, &b.quoted_unit),
                None => (b.price_per_base_unit, &then.base_unit),
            },
            None => (then.net_unit_price, &then.unit),
        };
        let settings = &self.book.def.settings;
        let net = if *quoted_unit == then.base_unit {
            Some(then.net_price_per_base_unit)
        } else {
            line.product
                .units
                .factor(quoted_unit, "")
                .ok()
                .and_then(|f| then.net_price_per_base_unit.checked_mul(f))
        }
        .map(|n| {
            settings
                .rounding
                .round_to_scale(n, settings.unit_price_scale)
        });
        let (net, net_unit) = match net {
            Some(n) => (n, quoted_unit),
            None => (then.net_unit_price, &then.unit),
        };
        let net_is_quoted = then.adjustments.is_empty();
        if !net_is_quoted {
            m.push_str(" more to pay ");
            Price(net).push_to(&mut m);
            m.push('/');
            m.push_str(net_unit);
            m.push_str(" net (");
        }
        match (hint.kind, then.base_price.as_ref()) {
            (HintKind::EarlierList, Some(b)) => {
                m.push_str(if net_is_quoted {
                    " more to be priced from list "
                } else {
                    "list "
                });
                m.push_str(&b.list_id);
                m.push_str(" at ");
            }
            _ if net_is_quoted => m.push_str(" more to reach "),
            _ => m.push_str("tier "),
        }
        Price(quoted).push_to(&mut m);
        m.push('/');
        m.push_str(quoted_unit);
        if !net_is_quoted {
            m.push(')');
        }
        m
    }
}
