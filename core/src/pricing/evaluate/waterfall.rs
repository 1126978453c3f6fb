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

impl<'a> OrderCtx<'a> {
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
                    let Some(a) =
                        crate::pricing::additive::step(&book.rules, group, applicable, running)
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

    pub(super) fn floor(&self, p: &CatalogProduct) -> Result<Option<Decimal>, MoneyError> {
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
