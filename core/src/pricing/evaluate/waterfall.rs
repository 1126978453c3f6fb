//! Pass 3 of pricing an order: a line's rules run as a waterfall
//! (single rules and exclusive groups in priority order), free goods, the
//! floor guard, rounding, and the order's running totals.

use super::Problems;
use std::cmp::Reverse;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use super::base::Based;
use super::errors::LineError;
use super::hints::skipped_hint;
use super::prepare::Prepared;
use super::quantities::Scoped;
use super::result::{
    Adjustment, Effect, FloorStatus, Hint, HintKind, LineKind, PricedLine, QuantityStatus, TierView,
};
use super::rules::{effect_of, Check, SharedKeys, Step};
use super::text::Plain;
use super::{overflow, round_price, OrderCtx, Totals};
use crate::catalog::CatalogProduct;
use crate::error::{index, path};
use crate::money::{self, MoneyError};
use crate::pricing::compile::{CompiledRule, PriceBook};
use crate::pricing::{Explain, FloorMode, PriceRequest, RuleAction, TierMode};

/// Buffers reused from line to line of one order.
#[derive(Default)]
pub(super) struct Scratch<'a> {
    pub(super) candidates: Vec<u32>,
    /// Positions of the candidates that apply, in evaluation order.
    pub(super) applicable: Vec<u32>,
    pub(super) steps: Vec<((Reverse<i32>, u32), Step)>,
    /// Exclusive-group members tried: (price, id rank, position, clamped at zero).
    pub(super) tried: Vec<(Decimal, u32, u32, bool)>,
    pub(super) scope_cache: FxHashMap<usize, Decimal>,
    /// Free-goods lines of the line, and their products and quantities.
    pub(super) free_lines: Vec<PricedLine>,
    pub(super) free_products: Vec<(&'a CatalogProduct, Decimal)>,
    pub(super) shared_keys: SharedKeys,
}

/// A line's price after its waterfall: at full precision and as shown,
/// with the adjustments that made it.
struct Run {
    running: Decimal,
    shown: Decimal,
    /// A graduated line's amount at full precision (its band sum after
    /// each step), so it is rounded once: `running` × base quantity
    /// would multiply back a rounded average.
    total: Option<Decimal>,
    adjustments: Vec<Adjustment>,
    /// What each cumulative rule that applied counted (at `summary` and
    /// `full`, when the request gives purchase history).
    cumulative: Vec<crate::pricing::CumulativeCount>,
}

/// The rule a step applies, the price it gives, whether an amount off was
/// clamped at zero, and the group members that lost.
type Winner<'a> = (u32, &'a CompiledRule, Decimal, bool, Vec<TierView>);

/// Overflow of a price names the line's sku.
fn at_sku(i: usize) -> impl Fn(MoneyError) -> LineError {
    move |e| LineError::from(e.at(&path(&index("lines", i), "sku")))
}

/// Overflow of an amount or quantity names the line's quantity.
fn at_qty(i: usize) -> impl Fn(MoneyError) -> LineError {
    move |e| LineError::from(e.at(&path(&index("lines", i), "quantity")))
}

impl<'a> OrderCtx<'a> {
    /// Pass 3 for one line: its rules as a waterfall, the floor guard,
    /// rounding, and the order's running totals; pushes the priced line,
    /// then its free lines, to `out`. A line that fails leaves `out` and
    /// `totals` as they were.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply_rules(
        &self,
        line: &Prepared<'a>,
        b: Based,
        request: &PriceRequest,
        all: &[Scoped<'a>],
        scratch: &mut Scratch<'a>,
        out: &mut Vec<PricedLine>,
        totals: &mut Totals,
    ) -> Result<(), LineError> {
        let p = line.product;
        let mut hints = b.hints;
        self.rule_steps(line, request, all, scratch, &mut hints)?;
        let start = (b.base.price_per_base_unit(), b.band_sum);
        let mut run = self.run_steps(line, start, request, all, scratch, &mut hints)?;
        let floor = self.floor_guard(line, &mut run)?;
        let (net_unit_price, amount) = self.round_line(line, b.base.tier_mode(), &run)?;
        self.commit_totals(line, amount, scratch, totals)?;
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
            adjustments: run.adjustments,
            net_price_per_base_unit: run.shown,
            net_unit_price,
            amount,
            order_discount_share: Decimal::ZERO,
            taxable_amount: amount,
            floor,
            quantity_status: line
                .adjusted
                .as_deref()
                .cloned()
                .unwrap_or(QuantityStatus::Ok),
            target_price: request_line.and_then(|l| l.target_price),
            hints,
            cumulative: run.cumulative,
        });
        out.append(&mut scratch.free_lines);
        Ok(())
    }

    /// Phase 1 of a line's rules: its candidates (at most the book's
    /// `max_rules_per_line`), each checked against the line and the order;
    /// near misses become hints. Leaves the rules that apply in
    /// `scratch.applicable` (evaluation order) and the waterfall's places
    /// in `scratch.steps`, sorted by priority then id (an exclusive group
    /// at its best member's place).
    fn rule_steps(
        &self,
        line: &Prepared<'a>,
        request: &PriceRequest,
        all: &[Scoped<'a>],
        scratch: &mut Scratch<'a>,
        hints: &mut Vec<Hint>,
    ) -> Result<(), LineError> {
        let Scratch {
            candidates,
            applicable,
            steps,
            scope_cache: cache,
            shared_keys,
            ..
        } = scratch;
        let book = self.book;
        let limit = book.def.settings.max_rules_per_line;
        self.candidates(line, candidates, shared_keys);
        if request.ignore_rules {
            // Lists alone: no rule is a candidate, so none applies or hints.
            candidates.clear();
        }
        if candidates.len() > limit {
            return Err(LineError::TooManyRules {
                field: path(&index("lines", line.index), "sku"),
                count: candidates.len(),
                limit,
            });
        }
        applicable.clear();
        steps.clear();
        for &pos in candidates.iter() {
            let Some(rule) = book.rules.get(pos as usize) else {
                continue;
            };
            match self
                .check_rule(rule, pos as usize, line, all, cache)
                .map_err(at_qty(line.index))?
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
        Ok(())
    }

    /// Phase 2: the waterfall. Each step's rule (a group's cheapest member)
    /// acts on the running price, starting from the base price; free-goods
    /// rules add their lines to `scratch.free_lines` (and products to
    /// `scratch.free_products`); a `stop` rule ends the chain. Guarantees
    /// the floor guard the price after the last step, at full precision and
    /// as shown, with the adjustments (at `summary` and `full`), and a
    /// graduated line's exact amount (`start` is the base price and the
    /// band sum).
    #[allow(clippy::too_many_arguments)]
    fn run_steps(
        &self,
        line: &Prepared<'a>,
        start: (Decimal, Option<Decimal>),
        request: &PriceRequest,
        all: &[Scoped<'a>],
        scratch: &mut Scratch<'a>,
        hints: &mut Vec<Hint>,
    ) -> Result<Run, LineError> {
        let mode = self.book.def.settings.rounding;
        let waterfall = self.explain != Explain::None;
        let p = line.product;
        let (mut running, mut total) = start;
        let qty = line.base_qty;
        // `running` as explanations show it; one step's "after" is the
        // next one's "before".
        let mut shown = round_price(mode, running);
        let mut adjustments = if waterfall {
            Vec::with_capacity(scratch.steps.len())
        } else {
            Vec::new()
        };
        scratch.free_lines.clear();
        scratch.free_products.clear();
        let mut cumulative = Vec::new();
        for (_, step) in scratch.steps.iter() {
            if let Step::Additive(group) = *step {
                let Some(a) = crate::pricing::additive::step(
                    &self.book.rules,
                    group,
                    &scratch.applicable,
                    running,
                )
                .map_err(at_sku(line.index))?
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
                if let Some(t) = total {
                    let factor = money::sub(
                        Decimal::ONE,
                        money::div(a.percent, Decimal::ONE_HUNDRED, "additive percent")
                            .map_err(at_sku(line.index))?,
                        "additive percent",
                    )
                    .map_err(at_sku(line.index))?;
                    total = Some(money::mul(t, factor, "line amount").map_err(at_qty(line.index))?);
                }
                running = a.price;
                shown = price_after;
                if a.stop {
                    break;
                }
                continue;
            }
            let Some((winner_pos, winner, price, clamped_at_zero, lost)) = self.step_winner(
                step,
                running,
                line,
                &scratch.applicable,
                &mut scratch.tried,
                hints,
            )?
            else {
                continue;
            };
            if matches!(winner.action, RuleAction::FreeGoods { .. })
                && !self.free_goods(
                    line,
                    winner,
                    request,
                    &mut scratch.free_lines,
                    &mut scratch.free_products,
                    hints,
                )?
            {
                continue;
            }
            let price_after = round_price(mode, price);
            if waterfall && winner.cumulative && !self.history.is_empty() {
                cumulative.push(
                    self.cumulative_count(
                        winner,
                        winner_pos as usize,
                        line,
                        all,
                        &mut scratch.scope_cache,
                    )
                    .map_err(at_qty(line.index))?,
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
            if let Some(t) = total {
                total = Some(step_total(t, winner, price, qty).map_err(at_qty(line.index))?);
            }
            running = price;
            shown = price_after;
            if winner.stop {
                break;
            }
        }
        Ok(Run {
            running,
            shown,
            total,
            adjustments,
            cumulative,
        })
    }

    /// The rule one step of the waterfall applies, the price it gives and
    /// whether an amount off was clamped at zero: the step's single rule,
    /// or the member of its exclusive group giving the lowest price (ties
    /// by id), with the members that lost (at `full`). `None` when no rule
    /// of the step can act on the line (the skipped ones are hinted at
    /// `full`).
    fn step_winner(
        &self,
        step: &Step,
        running: Decimal,
        line: &Prepared<'a>,
        applicable: &[u32],
        tried: &mut Vec<(Decimal, u32, u32, bool)>,
        hints: &mut Vec<Hint>,
    ) -> Result<Option<Winner<'a>>, LineError> {
        let book: &'a PriceBook = self.book;
        let mode = book.def.settings.rounding;
        let full = self.explain == Explain::Full;
        let p = line.product;
        let at_sku = at_sku(line.index);
        Ok(match *step {
            // Summed and applied by `run_steps` before it asks for a winner.
            Step::Additive(_) => None,
            Step::Single(pos) => {
                let Some(rule) = book.rules.get(pos as usize) else {
                    return Ok(None);
                };
                match self.action_price(rule, running, p).map_err(at_sku)? {
                    Ok((price, clamped)) => Some((pos, rule, price, clamped, Vec::new())),
                    Err(skip) => {
                        if full {
                            hints.push(skip.hint(&rule.id, p));
                        }
                        None
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
                    match self.action_price(rule, running, p).map_err(&at_sku)? {
                        Ok((price, clamped)) => tried.push((price, rule.id_rank, pos, clamped)),
                        Err(skip) if full => hints.push(skip.hint(&rule.id, p)),
                        Err(_) => {}
                    }
                }
                tried.sort_by_key(|a| (a.0, a.1));
                let mut it = tried.drain(..);
                let Some((price, _, winner, clamped)) = it.next() else {
                    return Ok(None);
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
                book.rules
                    .get(winner as usize)
                    .map(|rule| (winner, rule, price, clamped, lost))
            }
        })
    }

    /// A free-goods rule that won its step: the free line for every full
    /// block bought, pushed to `free_lines` (its product and quantity to
    /// `free_products`). Returns whether the rule applies; when it does
    /// not (no full block yet, or its free item is not visible to the
    /// customer), a hint says why at `full`.
    fn free_goods(
        &self,
        line: &Prepared<'a>,
        winner: &CompiledRule,
        request: &PriceRequest,
        free_lines: &mut Vec<PricedLine>,
        free_products: &mut Vec<(&'a CatalogProduct, Decimal)>,
        hints: &mut Vec<Hint>,
    ) -> Result<bool, LineError> {
        let RuleAction::FreeGoods {
            sku,
            free_qty,
            per_qty,
        } = &winner.action
        else {
            return Ok(true);
        };
        let book: &'a PriceBook = self.book;
        let full = self.explain == Explain::Full;
        let p = line.product;
        let free_sku = sku.as_deref().unwrap_or(&p.names.sku);
        let blocks = line
            .base_qty
            .checked_div(*per_qty)
            .map(|x| x.floor())
            .unwrap_or_default();
        if blocks.is_zero() {
            if !full {
                return Ok(false);
            }
            let needed = (*per_qty - line.base_qty).normalize();
            if !self.within_reach(needed, line.base_qty) {
                return Ok(false);
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
            return Ok(false);
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
                    .map_err(at_qty(line.index))?
                    .normalize();
                free_lines.push(self.free_line(line, request, fp, qty, &winner.id));
                free_products.push((fp, qty));
                Ok(true)
            }
            Err(_) => {
                if full {
                    hints.push(skipped_hint(
                        &winner.id,
                        "its free item is not available to this customer",
                    ));
                }
                Ok(false)
            }
        }
    }

    /// Phase 3: the floor guard. Below the product's floor, the line is
    /// flagged (book setting `flag`) or raised to the floor (`clamp`, with
    /// its adjustment). Guarantees rounding the final price per base unit.
    fn floor_guard(&self, line: &Prepared<'a>, run: &mut Run) -> Result<FloorStatus, LineError> {
        let settings = &self.book.def.settings;
        let at_sku = at_sku(line.index);
        let Some(floor) = self.floor(line.product).map_err(&at_sku)? else {
            return Ok(FloorStatus::Ok);
        };
        if run.running >= floor {
            return Ok(FloorStatus::Ok);
        }
        Ok(match settings.floor_mode {
            FloorMode::Flag => FloorStatus::BelowFloor {
                floor,
                gap: money::sub(floor, run.running, "floor gap").map_err(at_sku)?,
            },
            FloorMode::Clamp => {
                if self.explain != Explain::None {
                    run.adjustments.push(Adjustment {
                        rule_id: "floor".into(),
                        effect: Effect::FloorClamp { floor },
                        price_before: run.shown,
                        price_after: floor,
                        exclusive_group: None,
                        lost: Vec::new(),
                        stopped: false,
                    });
                }
                let status = FloorStatus::Clamped {
                    floor,
                    from: run.shown,
                };
                run.running = floor;
                run.shown = round_price(settings.rounding, floor);
                if run.total.is_some() {
                    run.total = Some(
                        money::mul(floor, line.base_qty, "line amount")
                            .map_err(at_qty(line.index))?,
                    );
                }
                status
            }
        })
    }

    /// Phase 4: rounding. The shown unit price per ordered unit is rounded
    /// to `unit_price_scale`; the amount is that price × quantity (an
    /// all-units line) or the exact band sum after the waterfall (a
    /// graduated line), rounded once to the currency's minor units.
    fn round_line(
        &self,
        line: &Prepared<'a>,
        tier_mode: TierMode,
        run: &Run,
    ) -> Result<(Decimal, Decimal), LineError> {
        let running = run.running;
        let settings = &self.book.def.settings;
        let mode = settings.rounding;
        let net_unit_price = mode.round_to_scale(
            money::checked_mul(running, line.factor)
                .ok_or_else(|| at_sku(line.index)(overflow("net unit price")))?,
            settings.unit_price_scale,
        );
        let amount = match (tier_mode, run.total) {
            (TierMode::Graduated, Some(total)) => Ok(total),
            (TierMode::Graduated, None) => money::mul(running, line.base_qty, "line amount"),
            (TierMode::AllUnits, _) => money::mul(net_unit_price, line.quantity, "line amount"),
        }
        .map_err(at_qty(line.index))?;
        Ok((
            net_unit_price,
            mode.round_to_scale(amount, self.currency.minor_units),
        ))
    }

    /// Phase 5: the order's running totals take the line's amount, then
    /// its free lines' (zero), in the order of the result's lines; weights
    /// likewise. Committed only when every sum fits.
    fn commit_totals(
        &self,
        line: &Prepared<'a>,
        amount: Decimal,
        scratch: &Scratch<'a>,
        totals: &mut Totals,
    ) -> Result<(), LineError> {
        let at_qty = at_qty(line.index);
        let mut subtotal = money::add(totals.subtotal, amount, "subtotal").map_err(&at_qty)?;
        for free in scratch.free_lines.iter() {
            subtotal = money::add(subtotal, free.amount, "subtotal").map_err(&at_qty)?;
        }
        let mut weight = totals.weight;
        let mut add_weight = |product: &CatalogProduct, qty: Decimal| -> Result<(), LineError> {
            if let Some(w) = product.product.weight_kg {
                weight = money::mul(w, qty, "weight")
                    .and_then(|x| money::add(weight, x, "weight"))
                    .map_err(&at_qty)?;
            }
            Ok(())
        };
        add_weight(line.product, line.base_qty)?;
        for (fp, qty) in scratch.free_products.iter().copied() {
            add_weight(fp, qty)?;
        }
        *totals = Totals { subtotal, weight };
        Ok(())
    }

    /// The floor of a line's product in the order's currency.
    pub(super) fn floor(&self, p: &CatalogProduct) -> Result<Option<Decimal>, MoneyError> {
        crate::pricing::product_floor(
            &p.product,
            &self.currency.code,
            &self.book.book_currency.code,
        )
    }

    pub(super) fn free_line(
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
}

impl<'a> OrderCtx<'a> {
    /// Pass 3: each based line's rules, guards and rounding, in request
    /// order; free goods follow their triggering line. Guarantees the
    /// order's totals phase the priced lines and the running totals
    /// (subtotal, weight) over exactly those lines.
    pub(super) fn price_lines(
        &self,
        request: &PriceRequest,
        based: Vec<(&Prepared<'a>, Based)>,
        problems: &mut Problems,
    ) -> (Vec<PricedLine>, Totals) {
        // Free goods add lines: room for some is made up front.
        let mut lines = Vec::with_capacity(based.len() + based.len() / 4);
        let mut scratch = Scratch::default();
        let mut totals = Totals::default();
        let scoped: Vec<Scoped<'_>> = based
            .iter()
            .map(|(p, _)| (p.sku_idx, p.product, p.base_qty))
            .collect();
        for (p, b) in based {
            let i = p.index;
            if let Err(e) = self.apply_rules(
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
        (lines, totals)
    }
}

/// A graduated line's exact amount after `rule` took its running price to
/// `price`: the amount before the step (`total`, for `qty` base units)
/// transformed as the price was — scaled by a percentage, moved by an
/// amount per unit, or replaced by a price — never through the average.
fn step_total(
    total: Decimal,
    rule: &CompiledRule,
    price: Decimal,
    qty: Decimal,
) -> Result<Decimal, MoneyError> {
    let per_unit = |amount: Decimal| money::mul(amount, qty, "line amount");
    match &rule.action {
        RuleAction::PercentOff { percent } => {
            let factor = match rule.action_factor {
                Some(f) => f,
                None => money::sub(
                    Decimal::ONE,
                    money::div(*percent, Decimal::ONE_HUNDRED, "percent")?,
                    "percent",
                )?,
            };
            money::mul(total, factor, "line amount")
        }
        RuleAction::PercentUp { .. } => {
            crate::pricing::markup::apply(&rule.action, rule.action_factor, total)
                .unwrap_or(Ok(total))
        }
        RuleAction::AmountOff { amount } => {
            if price.is_zero() {
                return Ok(Decimal::ZERO);
            }
            let t = money::sub(total, per_unit(*amount)?, "line amount")?;
            Ok(t.max(Decimal::ZERO))
        }
        RuleAction::AmountUp { amount } => money::add(total, per_unit(*amount)?, "line amount"),
        RuleAction::FixedPrice { .. } | RuleAction::CostPlus { .. } => per_unit(price),
        RuleAction::FreeGoods { .. } => Ok(total),
    }
}
