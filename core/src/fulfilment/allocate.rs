//! The allocation engine: eligibility, batches, strategies and the plan.
//!
//! Quantities are converted to integer micro-units (`i128`, scale 6) for the
//! search so that sums are exact and cheap; outputs are `Decimal` again.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

use super::model::*;
use super::routing::RuleAction;
use super::{check_id, check_qty, DomainEvent, EventPayload, FulfilmentError};
use crate::error::{index, path};
use crate::inventory::{quantity_rule, QualityStatus, ShippingRate, StockBatch, Warehouse};
use crate::money::RoundingMode;

const SCALE: u32 = 6;
const FRACTION_ONE: i128 = 1_000_000;
/// Most non-greedy columns the greedy refinement adds to its search pool.
const REFINE_EXTRA: usize = 4;

#[inline]
fn to_micro(q: Decimal, field: &str) -> Result<i128, FulfilmentError> {
    // Fast path: no trailing-zero stripping needed when the scale fits.
    const POW10: [i128; 7] = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    if let Some(&f) = POW10.get(q.scale() as usize) {
        // |mantissa| < 2^96 and f ≤ 10^6 < 2^20: the product fits in i128.
        return Ok(q.mantissa().saturating_mul(f));
    }
    to_micro_slow(q, field)
}

#[cold]
fn to_micro_slow(q: Decimal, field: &str) -> Result<i128, FulfilmentError> {
    let n = q.normalize();
    let s = n.scale();
    if s > SCALE {
        return Err(super::bad_qty(field, q, "at most 6 decimal places"));
    }
    n.mantissa()
        .checked_mul(10i128.pow(SCALE - s))
        .ok_or_else(|| FulfilmentError::Overflow {
            field: field.to_owned(),
        })
}

fn from_micro(v: i128) -> Result<Decimal, FulfilmentError> {
    // Fast path (quantities fitting 64 bits): strip trailing zeros in
    // integer arithmetic, which gives exactly the normalized decimal.
    if let Ok(mut x) = i64::try_from(v) {
        if x == 0 {
            return Ok(Decimal::ZERO);
        }
        let mut scale = SCALE;
        while scale > 0 && x % 10 == 0 {
            x /= 10;
            scale -= 1;
        }
        if let Ok(d) = Decimal::try_new(x, scale) {
            return Ok(d);
        }
    }
    // Strip trailing zeros first so values beyond 96 bits at scale 6 (huge
    // whole quantities) still fit a decimal.
    if let Ok(d) = Decimal::try_from_i128_with_scale(v, SCALE) {
        return Ok(d.normalize());
    }
    let (mut v, mut scale) = (v, SCALE);
    while scale > 0 && v % 10 == 0 && v != 0 {
        v /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(v, scale)
        .map(|d| d.normalize())
        .map_err(|_| FulfilmentError::Overflow {
            field: "plan".to_owned(),
        })
}

/// Effective priority: preferred first, then the configured number.
type EffPrio = (bool, u32);
/// (group, warehouse, quantity in micro-units).
type Assignment = Vec<(usize, usize, i128)>;
/// Ranking key of a single warehouse: cost, distance, priority.
type SingleKey = (Decimal, Option<u64>, EffPrio);
/// Demand-group key: sku, shelf life, weight, eligibility mask.
type GroupKey<'a> = (&'a str, Option<u32>, Decimal, &'a [bool]);

struct Wh<'a> {
    w: &'a Warehouse,
    preferred: bool,
    distance: Option<u64>,
    rate: Option<&'a ShippingRate>,
}

impl Wh<'_> {
    fn eff(&self) -> EffPrio {
        (!self.preferred, self.w.priority)
    }
}

struct BatchRef<'a> {
    item: usize,
    batch: usize,
    b: &'a StockBatch,
    avail: i128,
}

struct Group {
    sku_line: usize,
    lines: Vec<usize>,
    total: i128,
    /// Weight per unit in micro-kg.
    wpu: i128,
}

/// Allocates an order: routing rules, then the strategy, then batches.
///
/// Fails only on invalid input (field paths into [`AllocationInput`]); a
/// shortage is not an error but backorders in the plan.
pub fn allocate(input: &AllocationInput) -> Result<AllocationOutcome, FulfilmentError> {
    validate(input)?;
    let req = &input.request;
    let nw = input.warehouses.len();
    let nl = req.lines.len();

    // ---- warehouses and order-level eligibility
    let preferred = input.rules.preferred_for(req);
    let whs: Vec<Wh<'_>> = input
        .warehouses
        .iter()
        .map(|w| Wh {
            w,
            preferred: preferred == Some(w.id.as_str()),
            distance: match (&req.destination.location, &w.location) {
                (Some(d), Some(l)) => Some(l.distance_m(d)),
                _ => None,
            },
            rate: w.rate_for(&req.destination.state_code, req.destination.zone.as_deref()),
        })
        .collect();
    let mut exclusions: Vec<Exclusion> = Vec::new();
    let mut order_ok = vec![true; nw];
    let exclude = |ok: &mut Vec<bool>,
                   ex: &mut Vec<Exclusion>,
                   wi: usize,
                   line: Option<&str>,
                   reason: ExclusionReason,
                   detail: String| {
        if let Some(slot) = ok.get_mut(wi) {
            if *slot {
                *slot = false;
                if let Some(w) = input.warehouses.get(wi) {
                    ex.push(Exclusion {
                        warehouse_id: w.id.clone(),
                        line_id: line.map(str::to_owned),
                        reason,
                        detail,
                    });
                }
            }
        }
    };
    for (wi, w) in input.warehouses.iter().enumerate() {
        if !w.active {
            exclude(
                &mut order_ok,
                &mut exclusions,
                wi,
                None,
                ExclusionReason::Inactive,
                "inactive".to_owned(),
            );
        } else if !w.has_all(&req.required_capabilities) {
            exclude(
                &mut order_ok,
                &mut exclusions,
                wi,
                None,
                ExclusionReason::MissingCapability,
                format!("order requires {:?}", req.required_capabilities),
            );
        }
    }
    let matching_rules: Vec<_> = input
        .rules
        .rules
        .iter()
        .filter(|r| r.when.order_matches(req))
        .collect();
    for r in matching_rules
        .iter()
        .filter(|r| r.when.categories.is_empty())
    {
        for (wi, w) in input.warehouses.iter().enumerate() {
            if let Some(reason) = rule_excludes(&r.action, w) {
                exclude(
                    &mut order_ok,
                    &mut exclusions,
                    wi,
                    None,
                    reason,
                    format!("rule {}", r.id),
                );
            }
        }
    }
    // ---- line-level eligibility
    let mut line_ok: Vec<Vec<bool>> = Vec::with_capacity(nl);
    for line in &req.lines {
        let mut ok = order_ok.clone();
        for (wi, w) in input.warehouses.iter().enumerate() {
            if !ok.get(wi).copied().unwrap_or(false) {
                continue;
            }
            if !w.has_all(&line.required_capabilities) {
                exclude(
                    &mut ok,
                    &mut exclusions,
                    wi,
                    Some(&line.line_id),
                    ExclusionReason::MissingCapability,
                    format!("line requires {:?}", line.required_capabilities),
                );
                continue;
            }
            for r in matching_rules
                .iter()
                .filter(|r| !r.when.categories.is_empty() && r.when.line_matches(line))
            {
                if let Some(reason) = rule_excludes(&r.action, w) {
                    exclude(
                        &mut ok,
                        &mut exclusions,
                        wi,
                        Some(&line.line_id),
                        reason,
                        format!("rule {}", r.id),
                    );
                    break;
                }
            }
        }
        line_ok.push(ok);
    }

    // ---- demand groups
    let shelf = |l: usize| -> Option<u32> {
        let a = req
            .lines
            .get(l)
            .and_then(|x| x.min_remaining_shelf_life_days);
        let b = req.min_remaining_shelf_life_days;
        match (a, b) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(nl);
    {
        let mut keys: FxHashMap<GroupKey<'_>, usize> = FxHashMap::default();
        for (l, line) in req.lines.iter().enumerate() {
            let mask = line_ok.get(l).map(Vec::as_slice).unwrap_or(&[]);
            let key = (line.sku.as_str(), shelf(l), line.weight_per_unit_kg, mask);
            let q = to_micro(line.quantity, "request.lines")?;
            let g = match keys.get(&key) {
                Some(&g) => g,
                None => {
                    keys.insert(key, groups.len());
                    groups.push(Group {
                        sku_line: l,
                        lines: Vec::new(),
                        total: 0,
                        wpu: to_micro(line.weight_per_unit_kg, "request.lines")?,
                    });
                    groups.len() - 1
                }
            };
            if let Some(gr) = groups.get_mut(g) {
                gr.lines.push(l);
                gr.total = gr.total.saturating_add(q);
            }
            group_of.push(g);
        }
    }
    let ng = groups.len();
    let line_qty: Vec<i128> = req
        .lines
        .iter()
        .map(|l| to_micro(l.quantity, "request.lines"))
        .collect::<Result<_, _>>()?;

    // ---- batches per (group, warehouse)
    // sku → (warehouse index, stock item index), built once.
    let wh_ix: FxHashMap<&str, usize> = input
        .warehouses
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.as_str(), i))
        .collect();
    // One slot per sku; the slots' (warehouse, item) pairs are stored
    // contiguously in item order (no per-sku vectors to grow).
    let ni = input.stock.items.len();
    let mut slot_of: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(ni, Default::default());
    let mut item_at: Vec<(usize, usize)> = Vec::with_capacity(ni);
    for (ii, it) in input.stock.items.iter().enumerate() {
        let Some(&wi) = wh_ix.get(it.warehouse_id.as_str()) else {
            return Err(FulfilmentError::UnknownWarehouse {
                field: path(&index("stock.items", ii), "warehouse_id"),
                id: it.warehouse_id.clone(),
            });
        };
        let next = slot_of.len();
        let slot = *slot_of.entry(it.sku.as_str()).or_insert(next);
        item_at.push((slot, wi));
    }
    let mut slot_start: Vec<usize> = vec![0; slot_of.len() + 1];
    for &(slot, _) in &item_at {
        if let Some(x) = slot_start.get_mut(slot + 1) {
            *x += 1;
        }
    }
    for k in 1..slot_start.len() {
        let prev = slot_start.get(k - 1).copied().unwrap_or(0);
        if let Some(x) = slot_start.get_mut(k) {
            *x += prev;
        }
    }
    let mut slot_fill = slot_start.clone();
    let mut slot_items: Vec<(usize, usize)> = vec![(0, 0); ni];
    for (ii, &(slot, wi)) in item_at.iter().enumerate() {
        if let Some(f) = slot_fill.get_mut(slot) {
            if let Some(x) = slot_items.get_mut(*f) {
                *x = (wi, ii);
            }
            *f += 1;
        }
    }
    let slot_list = |slot: usize| -> &[(usize, usize)] {
        match (slot_start.get(slot), slot_start.get(slot + 1)) {
            (Some(&a), Some(&b)) => slot_items.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    };
    // Each (warehouse, sku) at most once: stamp warehouses per sku.
    // The first duplicate in input order is reported (map order is not used).
    let mut stamp: Vec<usize> = vec![usize::MAX; nw];
    let mut first_dup: Option<usize> = None;
    for k in 0..slot_of.len() {
        for &(wi, ii) in slot_list(k) {
            match stamp.get_mut(wi) {
                Some(s) if *s == k => first_dup = Some(first_dup.map_or(ii, |f| f.min(ii))),
                Some(s) => *s = k,
                None => {}
            }
        }
    }
    if let Some(ii) = first_dup {
        let it = input.stock.items.get(ii);
        return Err(FulfilmentError::DuplicateId {
            field: path(&index("stock.items", ii), "sku"),
            id: it
                .map(|it| format!("{}/{}", it.warehouse_id, it.sku))
                .unwrap_or_default(),
        });
    }
    let no_stock: Vec<(usize, usize)> = Vec::new();
    let mut brefs: Vec<BatchRef<'_>> =
        Vec::with_capacity(input.stock.items.iter().map(|i| i.batches.len()).sum());
    let mut ranges: Vec<(usize, usize)> = vec![(0, 0); ng * nw];
    let mut avail: Vec<i128> = vec![0; ng * nw];
    let mut skipped: Vec<SkippedBatch> = Vec::new();
    let mut skipped_seen: FxHashSet<(usize, usize)> = FxHashSet::default();
    for (g, gr) in groups.iter().enumerate() {
        let Some(line) = req.lines.get(gr.sku_line) else {
            continue;
        };
        let min_days = shelf(gr.sku_line);
        let mask = line_ok.get(gr.sku_line);
        let list = slot_of
            .get(line.sku.as_str())
            .map_or(&no_stock[..], |&k| slot_list(k));
        for &(wi, ii) in list {
            if !mask.and_then(|m| m.get(wi)).copied().unwrap_or(false) {
                continue;
            }
            let (Some(w), Some(item)) = (input.warehouses.get(wi), input.stock.items.get(ii))
            else {
                continue;
            };
            let start = brefs.len();
            let mut sum: i128 = 0;
            for (bi, b) in item.batches.iter().enumerate() {
                let skip = batch_skip(b, input.today, min_days);
                if let Some(reason) = skip {
                    if skipped_seen.insert((ii, bi)) {
                        skipped.push(SkippedBatch {
                            warehouse_id: w.id.clone(),
                            sku: item.sku.clone(),
                            batch_id: b.batch_id.clone(),
                            reason,
                        });
                    }
                    continue;
                }
                // available = on hand − reserved (released: checked above)
                let on_hand = to_micro(b.on_hand, "stock")?;
                let a = if b.reserved.is_zero() {
                    on_hand
                } else {
                    on_hand
                        .saturating_sub(to_micro(b.reserved, "stock")?)
                        .max(0)
                };
                if a > 0 {
                    brefs.push(BatchRef {
                        item: ii,
                        batch: bi,
                        b,
                        avail: a,
                    });
                    sum = sum.saturating_add(a);
                }
            }
            if let Some(slice) = brefs.get_mut(start..) {
                slice.sort_by(|x, y| fefo(x.b, y.b));
            }
            if let Some(r) = ranges.get_mut(g * nw + wi) {
                *r = (start, brefs.len());
            }
            if let Some(a) = avail.get_mut(g * nw + wi) {
                *a = sum;
            }
        }
    }
    let av = |g: usize, w: usize| avail.get(g * nw + w).copied().unwrap_or(0);

    // ---- candidates
    let mut cands: Vec<usize> = Vec::new();
    for wi in 0..nw {
        if !order_ok.get(wi).copied().unwrap_or(false) {
            continue;
        }
        if (0..ng).any(|g| av(g, wi) > 0) {
            cands.push(wi);
        } else if let Some(w) = input.warehouses.get(wi) {
            exclusions.push(Exclusion {
                warehouse_id: w.id.clone(),
                line_id: None,
                reason: ExclusionReason::NoStock,
                detail: "no usable stock of the order's lines".to_owned(),
            });
        }
    }
    let wh = |wi: usize| whs.get(wi);
    let basis = if !cands.is_empty()
        && cands
            .iter()
            .all(|&c| wh(c).is_some_and(|x| x.rate.is_some()))
    {
        CostBasis::Cost
    } else if !cands.is_empty()
        && cands
            .iter()
            .all(|&c| wh(c).is_some_and(|x| x.distance.is_some()))
    {
        CostBasis::Distance
    } else {
        CostBasis::None
    };
    let id_of = |wi: usize| wh(wi).map(|x| x.w.id.as_str()).unwrap_or("");
    let eff = |wi: usize| wh(wi).map(Wh::eff).unwrap_or((true, u32::MAX));
    // In-set rank: which warehouse of a set a line prefers.
    let in_set_cmp = |a: &usize, b: &usize| -> Ordering {
        let (x, y) = (wh(*a), wh(*b));
        let key = |w: Option<&Wh<'_>>| match basis {
            CostBasis::Cost => (
                w.and_then(|w| w.rate).map(|r| r.per_kg),
                w.and_then(|w| w.rate).map(|r| r.fixed),
                0u64,
            ),
            CostBasis::Distance => (None, None, w.and_then(|w| w.distance).unwrap_or(u64::MAX)),
            CostBasis::None => (None, None, 0),
        };
        key(x)
            .cmp(&key(y))
            .then(eff(*a).cmp(&eff(*b)))
            .then(id_of(*a).cmp(id_of(*b)))
    };
    cands.sort_by(in_set_cmp);

    let totals: Vec<i128> = groups.iter().map(|g| g.total).collect();
    let cover: Vec<i128> = (0..ng)
        .map(|g| {
            let s = cands
                .iter()
                .fold(0i128, |acc, &c| acc.saturating_add(av(g, c)));
            s.min(totals.get(g).copied().unwrap_or(0))
        })
        .collect();

    let single_mode = req.delivery.ship_complete
        || !req.delivery.allow_partial_shipments
        || input.strategy == Strategy::SingleWarehouse;
    let costing = Costing {
        whs: &whs,
        groups: &groups,
        basis,
    };
    let mut reasons: Vec<String> = Vec::new();
    let mut tie_breaks: Vec<String> = Vec::new();
    let mut sets_evaluated: u64 = 0;
    let bound = input.settings.exact_max_candidates;

    let (method, optimality, assignment): (SearchMethod, Optimality, Assignment) = if cands
        .is_empty()
    {
        reasons.push("no candidate warehouse has usable stock for this order".to_owned());
        (SearchMethod::Single, Optimality::NotApplicable, Vec::new())
    } else if single_mode {
        let why = if req.delivery.ship_complete {
            "ship complete: one warehouse holding every line in full"
        } else if !req.delivery.allow_partial_shipments {
            "partial shipments not allowed: one warehouse"
        } else {
            "single_warehouse strategy: one warehouse"
        };
        reasons.push(why.to_owned());
        let full: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&c| (0..ng).all(|g| av(g, c) >= totals.get(g).copied().unwrap_or(0)))
            .collect();
        let key = |c: usize| -> Result<SingleKey, FulfilmentError> {
            let asg: Vec<(usize, usize, i128)> = (0..ng)
                .map(|g| (g, c, av(g, c).min(totals.get(g).copied().unwrap_or(0))))
                .filter(|x| x.2 > 0)
                .collect();
            let cost = costing.cost(&asg, &[c])?;
            let dist = wh(c).and_then(|w| w.distance);
            Ok(match input.strategy {
                Strategy::Priority => (Decimal::ZERO, None, eff(c)),
                Strategy::Nearest => (Decimal::ZERO, Some(dist.unwrap_or(u64::MAX)), eff(c)),
                _ => (cost, None, eff(c)),
            })
        };
        let mut best: Option<(usize, SingleKey)> = None;
        let pool: Vec<usize> = if full.is_empty() {
            if req.delivery.ship_complete {
                Vec::new()
            } else {
                // The most lines in full, then the most covered fraction.
                let score = |c: usize| -> (usize, i128) {
                    let full_lines = (0..ng)
                        .filter(|&g| av(g, c) >= totals.get(g).copied().unwrap_or(0))
                        .count();
                    let frac = (0..ng).fold(0i128, |acc, g| {
                        let t = totals.get(g).copied().unwrap_or(1).max(1);
                        let a = av(g, c);
                        if a <= 0 {
                            acc
                        } else if a >= t {
                            acc.saturating_add(FRACTION_ONE)
                        } else {
                            acc.saturating_add(a.saturating_mul(FRACTION_ONE) / t)
                        }
                    });
                    (full_lines, frac)
                };
                let scores: Vec<(usize, i128)> = cands.iter().map(|&c| score(c)).collect();
                let top = scores.iter().max().copied();
                cands
                    .iter()
                    .zip(&scores)
                    .filter(|(_, s)| Some(**s) == top)
                    .map(|(c, _)| *c)
                    .collect()
            }
        } else {
            full.clone()
        };
        for &c in &pool {
            sets_evaluated += 1;
            let k = key(c)?;
            let better = match &best {
                None => true,
                Some((b, bk)) => (&k, id_of(c)) < (bk, id_of(*b)),
            };
            if better {
                if let Some((b, bk)) = &best {
                    if bk.0 == k.0 && bk.1 == k.1 && bk.2 != k.2 {
                        tie_breaks.push(format!(
                            "{} and {} tie on cost/distance: priority decides",
                            id_of(c),
                            id_of(*b)
                        ));
                    }
                }
                best = Some((c, k));
            }
        }
        match best {
            Some((c, _)) => {
                if full.is_empty() {
                    reasons.push(format!(
                        "no warehouse holds every line in full; {} covers the most",
                        id_of(c)
                    ));
                } else {
                    reasons.push(format!(
                        "{} of {} candidate(s) hold every line in full; {} ranks first",
                        full.len(),
                        cands.len(),
                        id_of(c)
                    ));
                }
                let asg = (0..ng)
                    .map(|g| (g, c, av(g, c).min(totals.get(g).copied().unwrap_or(0))))
                    .filter(|x| x.2 > 0)
                    .collect();
                (SearchMethod::Single, Optimality::NotApplicable, asg)
            }
            None => {
                reasons.push(
                        "ship complete: no single warehouse holds every line in full; everything backordered"
                            .to_owned(),
                    );
                (SearchMethod::Single, Optimality::NotApplicable, Vec::new())
            }
        }
    } else if matches!(input.strategy, Strategy::Priority | Strategy::Nearest) {
        let mut order = cands.clone();
        if input.strategy == Strategy::Priority {
            order.sort_by(|a, b| eff(*a).cmp(&eff(*b)).then(id_of(*a).cmp(id_of(*b))));
        } else {
            order.sort_by(|a, b| {
                let k = |c: usize| {
                    (
                        wh(c).and_then(|w| w.distance).unwrap_or(u64::MAX),
                        wh(c).and_then(|w| w.rate).map(|r| r.fixed),
                    )
                };
                let (ka, kb) = (k(*a), k(*b));
                ka.0.cmp(&kb.0)
                    .then(match (ka.1, kb.1) {
                        (Some(x), Some(y)) => x.cmp(&y),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => Ordering::Equal,
                    })
                    .then(eff(*a).cmp(&eff(*b)))
                    .then(id_of(*a).cmp(id_of(*b)))
            });
        }
        let names: Vec<&str> = order.iter().map(|&c| id_of(c)).collect();
        reasons.push(format!(
            "filled in {} order: {}",
            if input.strategy == Strategy::Priority {
                "priority"
            } else {
                "distance"
            },
            names.join(", ")
        ));
        let mut asg = Vec::new();
        for (g, &total) in totals.iter().enumerate() {
            let mut rem = total;
            for &c in &order {
                if rem == 0 {
                    break;
                }
                let take = rem.min(av(g, c));
                if take > 0 {
                    asg.push((g, c, take));
                    rem -= take;
                }
            }
        }
        sets_evaluated = 1;
        (SearchMethod::Ordered, Optimality::NotApplicable, asg)
    } else {
        // fewest_shipments
        let full = (0..ng)
            .filter(|&g| cover.get(g) == totals.get(g))
            .flat_map(|g| groups.get(g).map(|x| x.lines.len()))
            .sum::<usize>();
        let none = (0..ng)
            .filter(|&g| cover.get(g).copied().unwrap_or(0) == 0)
            .flat_map(|g| groups.get(g).map(|x| x.lines.len()))
            .sum::<usize>();
        reasons.push(format!(
            "the candidates together can ship {full} of {nl} line(s) in full, {} in part, {none} not at all: the plan ships all of that",
            nl.saturating_sub(full + none)
        ));
        let active: Vec<usize> = (0..ng)
            .filter(|&g| cover.get(g).copied().unwrap_or(0) > 0)
            .collect();
        let n = cands.len();
        // Row-major per active group, sized once (a flat_map collect grows
        // and copies it repeatedly).
        let mut matrix: Vec<i128> = Vec::with_capacity(active.len() * n);
        for &g in &active {
            matrix.extend(cands.iter().map(|&c| av(g, c)));
        }
        let need: Vec<i128> = active
            .iter()
            .map(|&g| cover.get(g).copied().unwrap_or(0))
            .collect();
        let (sets, method) = if n <= bound {
            let (sets, nodes) = exact_sets(&matrix, &need, n);
            sets_evaluated += nodes;
            reasons.push(format!(
                    "exact search over {n} candidate(s) (bound {bound}): no fewer than {} warehouse(s) cover every coverable quantity; {} set(s) of that size do",
                    sets.first().map(Vec::len).unwrap_or(0),
                    sets.len()
                ));
            (sets, SearchMethod::Exact)
        } else {
            let (set, first_scores) = greedy_set(&matrix, &need, n);
            sets_evaluated += (n * set.len()) as u64;
            let (sets, nodes) = refine_greedy(&matrix, &need, n, &set, &first_scores, bound);
            sets_evaluated += nodes;
            let best = sets.first().map(Vec::len).unwrap_or(set.len());
            reasons.push(format!(
                    "{n} candidates exceed the exact bound {bound}: greedy set cover ({} warehouse(s)), refined by an exact search over the greedy set and the best-covering other candidates ({} warehouse(s), {} such set(s)); not proven optimal",
                    set.len(),
                    best,
                    sets.len()
                ));
            (sets, SearchMethod::GreedyNotProvenOptimal)
        };
        // Evaluate each set: cost, best priority, sorted ids.
        type Key<'k> = (Decimal, EffPrio, Vec<&'k str>);
        let mut scored: Vec<(Key<'_>, Assignment)> = Vec::new();
        for set in sets {
            let members: Vec<usize> = set.iter().filter_map(|&i| cands.get(i).copied()).collect();
            let asg = assign_in_set(&active, &groups, &line_qty, &members, &av);
            let cost = costing.cost(&asg, &members)?;
            let best_prio = members
                .iter()
                .map(|&c| eff(c))
                .min()
                .unwrap_or((true, u32::MAX));
            let mut ids: Vec<&str> = members.iter().map(|&c| id_of(c)).collect();
            ids.sort_unstable();
            scored.push(((cost, best_prio, ids), asg));
        }
        scored.sort_by(|a, b| a.0.cmp(&b.0));
        if let (Some(a), Some(b)) = (scored.first(), scored.get(1)) {
            let (ka, kb) = (&a.0, &b.0);
            let what = match basis {
                CostBasis::Cost => "cost",
                CostBasis::Distance => "distance",
                CostBasis::None => "cost (unknown)",
            };
            if ka.0 < kb.0 {
                reasons.push(format!(
                    "lowest {what}: {} beats the runner-up {} ({})",
                    ka.0,
                    kb.0,
                    kb.2.join("+")
                ));
            } else if ka.1 < kb.1 {
                tie_breaks.push(format!(
                    "{what} tie at {} with {}: broken by best priority",
                    ka.0,
                    kb.2.join("+")
                ));
            } else {
                tie_breaks.push(format!(
                    "{what} and priority tie with {}: broken by smallest sorted warehouse ids",
                    kb.2.join("+")
                ));
            }
        }
        let opt = if method == SearchMethod::Exact {
            Optimality::Optimal
        } else {
            Optimality::GreedyNotProvenOptimal
        };
        match scored.into_iter().next() {
            Some((_, asg)) => {
                tie_breaks.push(
                        "within the set a line ships whole from one warehouse when one holds it, preferring the cheaper, then the higher-priority one"
                            .to_owned(),
                    );
                (method, opt, asg)
            }
            None => (method, opt, Vec::new()),
        }
    };

    // ---- batches: materialize the assignment
    let mut used: FxHashMap<(usize, usize), i128> = FxHashMap::default();
    let mut line_rem: Vec<i128> = line_qty.clone();
    // Each group's lines are packed into the warehouses its assignment
    // uses (in the assignment's order), so a line ships whole from one
    // warehouse when one can hold it; the per-warehouse totals are the
    // assignment's (see `pack_lines`).
    let mut line_asg: Vec<(usize, usize, usize, i128)> = Vec::with_capacity(nl);
    {
        let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); ng];
        for &(g, c, _) in &assignment {
            if let Some(v) = by_group.get_mut(g) {
                if !v.contains(&c) {
                    v.push(c);
                }
            }
        }
        for (g, members) in by_group.iter().enumerate() {
            let Some(gr) = groups.get(g) else { continue };
            if members.is_empty() {
                continue;
            }
            for (c, l, q) in pack_lines(&gr.lines, &line_rem, members, &|c| av(g, c)) {
                line_asg.push((g, c, l, q));
            }
        }
    }
    // Batches per warehouse in line order (FEFO across the lines of a group).
    line_asg.sort_by_key(|&(g, c, l, _)| (g, c, l));
    // Picks (warehouse, line, bref index, qty), grouped by (warehouse, line)
    // below (a stable sort keeps each line's FEFO order).
    let mut picks: Vec<(usize, usize, usize, i128)> = Vec::with_capacity(line_asg.len() * 2);
    for &(g, c, l, q) in &line_asg {
        let (start, end) = ranges.get(g * nw + c).copied().unwrap_or((0, 0));
        let mut rem = q;
        for bi in start..end {
            if rem == 0 {
                break;
            }
            let Some(br) = brefs.get(bi) else { continue };
            let u = used.entry((br.item, br.batch)).or_insert(0);
            let take = rem.min(br.avail - *u);
            if take <= 0 {
                continue;
            }
            *u += take;
            rem -= take;
            if let Some(x) = line_rem.get_mut(l) {
                *x -= take;
            }
            picks.push((c, l, bi, take));
        }
    }
    picks.sort_by_key(|p| (p.0, p.1));

    // ---- shipments
    // Warehouse id → (line, range of `picks`), lines ascending.
    let mut by_wh: BTreeMap<&str, Vec<(usize, usize, usize)>> = BTreeMap::new();
    let mut wh_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut start = 0;
    while let Some(&(c, l, _, _)) = picks.get(start) {
        let len = picks
            .get(start..)
            .map_or(1, |r| r.iter().take_while(|p| p.0 == c && p.1 == l).count());
        by_wh
            .entry(id_of(c))
            .or_default()
            .push((l, start, start + len));
        wh_index.insert(id_of(c), c);
        start += len;
    }
    let mut merged: Vec<(usize, i128)> = Vec::new();
    let mut shipments = Vec::with_capacity(by_wh.len());
    let mut allocated: Vec<i128> = vec![0; nl];
    let mut all_costed = true;
    let mut total_cost = Decimal::ZERO;
    for (wid, lines) in by_wh {
        let c = wh_index.get(wid).copied().unwrap_or(0);
        let mut planned = Vec::with_capacity(lines.len());
        let mut weight = Decimal::ZERO;
        for (l, a, b) in lines {
            let Some(line) = req.lines.get(l) else {
                continue;
            };
            merged.clear();
            for &(_, _, bi, q) in picks.get(a..b).unwrap_or(&[]) {
                match merged.iter_mut().find(|m| m.0 == bi) {
                    Some(m) => m.1 += q,
                    None => merged.push((bi, q)),
                }
            }
            let qty: i128 = merged.iter().map(|m| m.1).sum();
            if let Some(a) = allocated.get_mut(l) {
                *a += qty;
            }
            let qd = from_micro(qty)?;
            weight = mul_add(weight, qd, line.weight_per_unit_kg)?;
            let mut batches = Vec::with_capacity(merged.len());
            for &(bi, q) in &merged {
                let Some(br) = brefs.get(bi) else { continue };
                batches.push(BatchPick {
                    batch_id: br.b.batch_id.clone(),
                    quantity: from_micro(q)?,
                    bin: br.b.bin.clone(),
                    expiry_date: br.b.expiry_date,
                    mfg_date: br.b.mfg_date,
                });
            }
            planned.push(PlannedLine {
                line_id: line.line_id.clone(),
                sku: line.sku.clone(),
                quantity: qd,
                batches,
            });
        }
        let w = wh(c);
        let cost = match w.and_then(|w| w.rate) {
            Some(r) => Some(shipment_cost(r, weight)?),
            None => None,
        };
        match cost {
            Some(x) => {
                total_cost = total_cost
                    .checked_add(x)
                    .ok_or_else(|| FulfilmentError::Overflow {
                        field: "plan.estimated_cost".to_owned(),
                    })?
            }
            None => all_costed = false,
        }
        shipments.push(PlannedShipment {
            warehouse_id: wid.to_owned(),
            lines: planned,
            weight_kg: weight.normalize(),
            estimated_cost: cost,
            distance_m: w.and_then(|w| w.distance),
            lead_time_days: w
                .map(|w| {
                    w.rate
                        .and_then(|r| r.lead_time_days)
                        .unwrap_or(w.w.lead_time_days)
                })
                .unwrap_or(0),
        });
    }

    // ---- per-line totals and backorders
    let mut lines_out = Vec::with_capacity(nl);
    let mut backorders = Vec::new();
    for (l, line) in req.lines.iter().enumerate() {
        let alloc = allocated.get(l).copied().unwrap_or(0);
        let ordered = to_micro(line.quantity, "request.lines")?;
        let back = ordered - alloc;
        let g = group_of.get(l).copied().unwrap_or(0);
        if back > 0 {
            let usable = cands.iter().fold(0i128, |a, &c| a.saturating_add(av(g, c)));
            let reason = if usable == 0 {
                "no usable stock in any eligible warehouse".to_owned()
            } else if single_mode && shipments.is_empty() && req.delivery.ship_complete {
                "ship complete: no single warehouse holds every line in full".to_owned()
            } else if single_mode {
                "the single shipping warehouse lacks it".to_owned()
            } else {
                format!(
                    "only {} usable across eligible warehouses",
                    from_micro(usable)?
                )
            };
            backorders.push(Backorder {
                line_id: line.line_id.clone(),
                sku: line.sku.clone(),
                quantity: from_micro(back)?,
                reason,
            });
        }
        lines_out.push(LineAllocation {
            line_id: line.line_id.clone(),
            sku: line.sku.clone(),
            ordered: line.quantity,
            allocated: from_micro(alloc)?,
            backordered: from_micro(back)?,
        });
    }

    let candidates = cands
        .iter()
        .filter_map(|&c| {
            let w = wh(c)?;
            Some(CandidateInfo {
                warehouse_id: w.w.id.clone(),
                priority: w.w.priority,
                preferred: w.preferred,
                distance_m: w.distance,
                fixed_cost: w.rate.map(|r| r.fixed),
                per_kg_cost: w.rate.map(|r| r.per_kg),
                lines_stocked: (0..nl)
                    .filter(|&l| av(group_of.get(l).copied().unwrap_or(0), c) > 0)
                    .count(),
                lines_complete: (0..nl)
                    .filter(|&l| {
                        let g = group_of.get(l).copied().unwrap_or(0);
                        av(g, c) >= totals.get(g).copied().unwrap_or(0)
                    })
                    .count(),
            })
        })
        .collect();
    let chosen: Vec<String> = shipments.iter().map(|s| s.warehouse_id.clone()).collect();
    let fully_allocated = backorders.is_empty();
    let plan = AllocationPlan {
        order_id: req.order_id.clone(),
        estimated_cost: if all_costed && !shipments.is_empty() {
            Some(total_cost)
        } else if shipments.is_empty() {
            Some(Decimal::ZERO)
        } else {
            None
        },
        shipments,
        lines: lines_out,
        fully_allocated,
        cost_currency: input.settings.cost_currency.clone(),
        optimality,
        explanation: AllocationExplanation {
            strategy: if single_mode {
                Strategy::SingleWarehouse
            } else {
                input.strategy
            },
            method,
            cost_basis: basis,
            exact_bound: bound,
            sets_evaluated,
            candidates,
            exclusions,
            skipped_batches: skipped,
            chosen: chosen.clone(),
            reasons,
            tie_breaks,
        },
        backorders,
    };
    let event = DomainEvent {
        aggregate_id: req.order_id.clone(),
        sequence: input.event_sequence,
        at: input.planned_at,
        payload: EventPayload::AllocationPlanned {
            order_id: req.order_id.clone(),
            warehouses: chosen,
            backordered_lines: plan.backorders.iter().map(|b| b.line_id.clone()).collect(),
            fully_allocated,
        },
    };
    Ok(AllocationOutcome {
        plan,
        events: vec![event],
    })
}

fn rule_excludes(action: &RuleAction, w: &Warehouse) -> Option<ExclusionReason> {
    match action {
        RuleAction::Exclude { warehouses } if warehouses.contains(&w.id) => {
            Some(ExclusionReason::RoutingRule)
        }
        RuleAction::RestrictTo { warehouses } if !warehouses.contains(&w.id) => {
            Some(ExclusionReason::RoutingRule)
        }
        RuleAction::RequireCapability { capability }
            if !w.capabilities.iter().any(|c| c == capability) =>
        {
            Some(ExclusionReason::MissingCapability)
        }
        _ => None,
    }
}

/// Why a batch cannot be used today, if it cannot.
pub(crate) fn batch_skip(
    b: &StockBatch,
    today: chrono::NaiveDate,
    min_days: Option<u32>,
) -> Option<BatchSkipReason> {
    if b.quality != QualityStatus::Released {
        return Some(BatchSkipReason::NotReleased);
    }
    if let Some(exp) = b.expiry_date {
        if today > exp {
            return Some(BatchSkipReason::Expired);
        }
        if let Some(days) = min_days {
            if (exp - today).num_days() < i64::from(days) {
                return Some(BatchSkipReason::ShelfLife);
            }
        }
    }
    None
}

/// FEFO, then FIFO by manufacturing date, then batch id (undated last).
pub(crate) fn fefo(a: &StockBatch, b: &StockBatch) -> Ordering {
    let none_last = |x: Option<chrono::NaiveDate>, y: Option<chrono::NaiveDate>| match (x, y) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    none_last(a.expiry_date, b.expiry_date)
        .then(none_last(a.mfg_date, b.mfg_date))
        .then(a.batch_id.cmp(&b.batch_id))
}

fn mul_add(acc: Decimal, q: Decimal, w: Decimal) -> Result<Decimal, FulfilmentError> {
    q.checked_mul(w)
        .and_then(|x| acc.checked_add(x))
        .ok_or_else(|| FulfilmentError::Overflow {
            field: "plan.weight_kg".to_owned(),
        })
}

fn shipment_cost(r: &ShippingRate, weight: Decimal) -> Result<Decimal, FulfilmentError> {
    let c = r
        .per_kg
        .checked_mul(weight)
        .and_then(|x| x.checked_add(r.fixed))
        .ok_or_else(|| FulfilmentError::Overflow {
            field: "plan.estimated_cost".to_owned(),
        })?;
    Ok(RoundingMode::HalfUp.round_to_scale(c, 2))
}

struct Costing<'a, 'b> {
    whs: &'a [Wh<'b>],
    groups: &'a [Group],
    basis: CostBasis,
}

impl Costing<'_, '_> {
    /// Comparable cost of an assignment over `members`.
    fn cost(
        &self,
        asg: &[(usize, usize, i128)],
        members: &[usize],
    ) -> Result<Decimal, FulfilmentError> {
        // One pass over the assignment: used flag and weight per member.
        let mut used = vec![false; members.len()];
        let mut weights = vec![0i128; members.len()];
        for a in asg {
            if let Some(p) = members.iter().position(|&c| c == a.1) {
                if let (Some(u), Some(w)) = (used.get_mut(p), weights.get_mut(p)) {
                    *u = true;
                    // micro-units × micro-kg = 1e-12 kg
                    let wpu = self.groups.get(a.0).map(|g| g.wpu).unwrap_or(0);
                    *w = w.saturating_add(a.2.saturating_mul(wpu));
                }
            }
        }
        match self.basis {
            CostBasis::None => Ok(Decimal::ZERO),
            CostBasis::Distance => Ok(Decimal::from(
                members
                    .iter()
                    .zip(&used)
                    .filter(|(_, u)| **u)
                    .filter_map(|(&c, _)| self.whs.get(c).and_then(|w| w.distance))
                    .fold(0u64, u64::saturating_add),
            )),
            CostBasis::Cost => {
                let mut total = Decimal::ZERO;
                for ((&c, &u), &w) in members.iter().zip(&used).zip(&weights) {
                    if !u {
                        continue;
                    }
                    let Some(rate) = self.whs.get(c).and_then(|w| w.rate) else {
                        continue;
                    };
                    let weight = if rate.per_kg.is_zero() {
                        Decimal::ZERO
                    } else {
                        Decimal::try_from_i128_with_scale(w, 12).map_err(|_| {
                            FulfilmentError::Overflow {
                                field: "plan.weight_kg".to_owned(),
                            }
                        })?
                    };
                    let x = shipment_cost(rate, weight)?;
                    total = total
                        .checked_add(x)
                        .ok_or_else(|| FulfilmentError::Overflow {
                            field: "plan.estimated_cost".to_owned(),
                        })?;
                }
                Ok(total)
            }
        }
    }
}

/// Within a chosen set (`members` in in-set rank order), each active
/// group's lines are packed into the members' usable stock
/// ([`pack_lines`]); returns (group, warehouse, quantity) pieces.
fn assign_in_set(
    active: &[usize],
    groups: &[Group],
    line_qty: &[i128],
    members: &[usize],
    av: &dyn Fn(usize, usize) -> i128,
) -> Vec<(usize, usize, i128)> {
    let mut out = Vec::new();
    for &g in active {
        let Some(gr) = groups.get(g) else { continue };
        for (c, _, q) in pack_lines(&gr.lines, line_qty, members, &|c| av(g, c)) {
            out.push((g, c, q));
        }
    }
    out
}

/// Packs lines (of one demand group) into warehouses (`members`, in rank
/// order) with `cap` usable units each: a line ships whole from one
/// warehouse when one can hold it — largest lines first (ties in line
/// order), each to the first member with room — and the lines that fit
/// nowhere whole then fill the remaining room in line order, members in
/// rank order. Places min(Σ lines, Σ caps). Returns (warehouse, line,
/// quantity).
pub(crate) fn pack_lines(
    lines: &[usize],
    line_qty: &[i128],
    members: &[usize],
    cap: &dyn Fn(usize) -> i128,
) -> Vec<(usize, usize, i128)> {
    let qty = |l: usize| line_qty.get(l).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(lines.len());
    if let [l] = lines {
        // One line: whole from the first member holding it, else in order.
        let n = qty(*l);
        if let Some(&c) = members.iter().find(|&&c| cap(c) >= n) {
            out.push((c, *l, n));
            return out;
        }
        let mut rem = n;
        for &c in members {
            if rem == 0 {
                break;
            }
            let take = rem.min(cap(c));
            if take > 0 {
                out.push((c, *l, take));
                rem -= take;
            }
        }
        return out;
    }
    let mut room: Vec<(usize, i128)> = members.iter().map(|&c| (c, cap(c).max(0))).collect();
    let mut order: Vec<usize> = lines.to_vec();
    order.sort_by_key(|&l| std::cmp::Reverse(qty(l)));
    let mut rest: Vec<usize> = Vec::new();
    for l in order {
        let need = qty(l);
        match room.iter_mut().find(|(_, r)| *r >= need) {
            Some((c, r)) if need > 0 => {
                *r -= need;
                out.push((*c, l, need));
            }
            _ => rest.push(l),
        }
    }
    rest.sort_unstable();
    for l in rest {
        let mut need = qty(l);
        for (c, r) in room.iter_mut() {
            if need == 0 {
                break;
            }
            let take = need.min(*r);
            if take > 0 {
                *r -= take;
                need -= take;
                out.push((*c, l, take));
            }
        }
    }
    out
}

/// Every set of the minimum size covering `need` (indices into the
/// candidate columns of `matrix`, row-major per active group), and the
/// number of search nodes visited.
///
/// Iterative deepening on the set size from a lower bound, depth-first over
/// columns in order, pruning a branch as soon as some row cannot be covered
/// by the best remaining picks. Rows where every column holds either nothing
/// or the whole need ("binary" rows, the common case) become column bitmasks:
/// duplicates and supersets of another mask are dropped (covering the smaller
/// one covers them), and checking them is one AND.
pub(crate) fn exact_sets(matrix: &[i128], need: &[i128], n: usize) -> (Vec<Vec<usize>>, u64) {
    let rows = need.len();
    if rows == 0 || n == 0 {
        return (Vec::new(), 0);
    }
    let at = |r: usize, c: usize| matrix.get(r * n + c).copied().unwrap_or(0);
    let use_masks = n <= 32;
    let mut masks: Vec<u32> = Vec::new();
    let mut qrows: Vec<usize> = Vec::new();
    for (r, &nr) in need.iter().enumerate() {
        if nr <= 0 {
            continue;
        }
        let binary = use_masks
            && (0..n).all(|c| {
                let a = at(r, c);
                a <= 0 || a >= nr
            });
        if binary {
            let m = (0..n)
                .filter(|&c| at(r, c) > 0)
                .fold(0u32, |m, c| m | (1u32 << c));
            masks.push(m);
        } else {
            qrows.push(r);
        }
    }
    if masks.contains(&0) || (masks.is_empty() && qrows.is_empty()) {
        return (Vec::new(), 0);
    }
    masks.sort_unstable_by_key(|m| (m.count_ones(), *m));
    masks.dedup();
    let mut minimal: Vec<u32> = Vec::with_capacity(masks.len());
    for m in masks {
        if !minimal.iter().any(|&k| k & !m == 0) {
            minimal.push(m);
        }
    }
    // Quantity rows run in 64 bits when no sum of up to n + 1 of their
    // values can overflow (the common case; same results, sums never
    // saturate there), else in 128 bits with saturation.
    let lim = i128::from(i64::MAX) / (n as i128 + 2);
    let in_range = |v: i128| (0..=lim).contains(&v);
    let narrow = qrows
        .iter()
        .all(|&r| need.get(r).is_some_and(|&v| in_range(v)) && (0..n).all(|c| in_range(at(r, c))));
    if narrow {
        search::<i64>(&minimal, &qrows, need, &at, n)
    } else {
        search::<i128>(&minimal, &qrows, need, &at, n)
    }
}

/// A quantity type for the exact search.
trait Qty: Copy + Ord + Default {
    fn from_wide(v: i128) -> Self;
    fn plus(self, o: Self) -> Self;
    fn minus(self, o: Self) -> Self;
}

impl Qty for i64 {
    fn from_wide(v: i128) -> Self {
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }
    // Only used when sums cannot overflow (see `exact_sets`).
    #[inline]
    fn plus(self, o: Self) -> Self {
        self.wrapping_add(o)
    }
    #[inline]
    fn minus(self, o: Self) -> Self {
        self.wrapping_sub(o)
    }
}

impl Qty for i128 {
    fn from_wide(v: i128) -> Self {
        v
    }
    #[inline]
    fn plus(self, o: Self) -> Self {
        self.saturating_add(o)
    }
    #[inline]
    fn minus(self, o: Self) -> Self {
        self.saturating_sub(o)
    }
}

/// The search proper over the minimal masks and the quantity rows `qrows`
/// of `at`. Column-major layouts keep the per-node loops contiguous.
fn search<T: Qty>(
    minimal: &[u32],
    qrows: &[usize],
    need: &[i128],
    at: &dyn Fn(usize, usize) -> i128,
    n: usize,
) -> (Vec<Vec<usize>>, u64) {
    let qr = qrows.len();
    let qneed: Vec<T> = qrows
        .iter()
        .map(|&r| T::from_wide(need.get(r).copied().unwrap_or(0)))
        .collect();
    // cols[c * qr + r]: column c of quantity row r.
    let mut cols: Vec<T> = Vec::with_capacity(n * qr);
    for c in 0..n {
        cols.extend(qrows.iter().map(|&r| T::from_wide(at(r, c))));
    }
    let col = |r: usize, c: usize| cols.get(c * qr + r).copied().unwrap_or_default();
    // best[(i * w + j) * qr + r] = sum of the j largest values of quantity
    // row r among columns i.. : the most j more picks from column i on can
    // add to it.
    let w = n + 1;
    let mut best = vec![T::default(); w * w * qr];
    let mut sorted: Vec<T> = Vec::with_capacity(n);
    for r in 0..qr {
        sorted.clear();
        for i in (0..n).rev() {
            let v = col(r, i);
            let pos = sorted.partition_point(|&x| x >= v);
            sorted.insert(pos, v);
            let mut acc = T::default();
            for (j, x) in sorted.iter().enumerate() {
                acc = acc.plus(*x);
                if let Some(b) = best.get_mut((i * w + j + 1) * qr + r) {
                    *b = acc;
                }
            }
        }
    }
    // Lower bound: the most columns any single quantity row needs (1 if any).
    let mut lower = 1;
    for (r, &nr) in qneed.iter().enumerate() {
        let k = (1..=n)
            .find(|&j| best.get(j * qr + r).copied().unwrap_or_default() >= nr)
            .unwrap_or(n + 1);
        lower = lower.max(k);
    }
    // Pairwise-disjoint masks each need their own column: a lower bound.
    let mut union = 0u32;
    let mut disjoint = 0usize;
    for &m in minimal {
        if m & union == 0 {
            union |= m;
            disjoint += 1;
        }
    }
    lower = lower.max(disjoint);
    let d = Dfs {
        masks: minimal,
        cols: &cols,
        need: &qneed,
        best: &best,
        n,
        qr,
        k: 0,
    };
    let mut nodes = 0u64;
    let mut sums = vec![T::default(); qr];
    for k in lower..=n {
        let mut found = Vec::new();
        let mut chosen = Vec::with_capacity(k);
        sums.iter_mut().for_each(|s| *s = T::default());
        dfs(
            &Dfs { k, ..d },
            0,
            0,
            &mut chosen,
            &mut sums,
            &mut found,
            &mut nodes,
        );
        if !found.is_empty() {
            return (found, nodes);
        }
    }
    (Vec::new(), nodes)
}

struct Dfs<'a, T> {
    masks: &'a [u32],
    cols: &'a [T],
    need: &'a [T],
    best: &'a [T],
    n: usize,
    qr: usize,
    k: usize,
}

impl<T> Clone for Dfs<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Dfs<'_, T> {}

fn dfs<T: Qty>(
    d: &Dfs<'_, T>,
    start: usize,
    mask: u32,
    chosen: &mut Vec<usize>,
    sums: &mut [T],
    found: &mut Vec<Vec<usize>>,
    nodes: &mut u64,
) {
    *nodes += 1;
    if chosen.len() == d.k {
        if d.masks.iter().all(|&m| m & mask != 0) && sums.iter().zip(d.need).all(|(s, n)| s >= n) {
            found.push(chosen.clone());
        }
        return;
    }
    let left = d.k - chosen.len();
    if d.n < left {
        return;
    }
    let (w, qr) = (d.n + 1, d.qr);
    for i in start..=(d.n - left) {
        // Prune: a binary row with no chosen column and none from i on, or a
        // quantity row the `left` best columns from i on cannot fill (later
        // starts can only do worse, so stop).
        let tail = if i >= 32 { 0 } else { u32::MAX << i };
        let reach = mask | tail;
        let at = (i * w + left) * qr;
        let best = d.best.get(at..at + qr).unwrap_or(&[]);
        let hopeless = d.masks.iter().any(|&m| m & reach == 0)
            || sums
                .iter()
                .zip(d.need)
                .zip(best)
                .any(|((s, n), b)| s < n && s.plus(*b) < *n);
        if hopeless {
            break;
        }
        let col = d.cols.get(i * qr..(i + 1) * qr).unwrap_or(&[]);
        for (s, &a) in sums.iter_mut().zip(col) {
            *s = s.plus(a);
        }
        chosen.push(i);
        let bit = if i < 32 { 1u32 << i } else { 0 };
        dfs(d, i + 1, mask | bit, chosen, sums, found, nodes);
        chosen.pop();
        for (s, &a) in sums.iter_mut().zip(col) {
            *s = s.minus(a);
        }
    }
}

/// ⌊a × [`FRACTION_ONE`] / b⌋ for 0 < a < b, in 64 bits when it fits (the
/// common case; 128-bit division is several times slower), same result.
fn fraction(a: i128, b: i128) -> i128 {
    const LIM: i128 = (i64::MAX as i128) / FRACTION_ONE;
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(x), Ok(y)) if a <= LIM && y > 0 => {
            // x < LIM, so x × 10^6 fits in i64.
            i128::from(x.saturating_mul(1_000_000) / y)
        }
        _ => a.saturating_mul(FRACTION_ONE) / b.max(1),
    }
}

/// Greedy set cover: repeatedly add the column covering the largest summed
/// fraction of the remaining need (ties: the lower column, i.e. the better
/// in-set rank), then drop columns the others make redundant.
/// Also returns the first round's column scores (coverage of the full need).
pub(crate) fn greedy_set(matrix: &[i128], need: &[i128], n: usize) -> (Vec<usize>, Vec<i128>) {
    let rows = need.len();
    let at = |r: usize, c: usize| matrix.get(r * n + c).copied().unwrap_or(0);
    let mut rem: Vec<i128> = need.to_vec();
    let mut open: Vec<usize> = (0..rows)
        .filter(|&r| rem.get(r).is_some_and(|&x| x > 0))
        .collect();
    let mut set: Vec<usize> = Vec::new();
    let mut scores = vec![0i128; n];
    let mut first: Vec<i128> = vec![0; n];
    while !open.is_empty() {
        // Scores of every column at once, walking the open rows row-major.
        scores.iter_mut().for_each(|x| *x = 0);
        for &r in &open {
            let need_r = rem.get(r).copied().unwrap_or(0);
            let Some(row) = matrix.get(r * n..(r + 1) * n) else {
                continue;
            };
            for (sc, &a) in scores.iter_mut().zip(row) {
                if a <= 0 {
                    continue;
                }
                *sc = sc.saturating_add(if a >= need_r {
                    FRACTION_ONE
                } else {
                    fraction(a, need_r)
                });
            }
        }
        if set.is_empty() {
            first.clone_from(&scores);
        }
        let mut best: Option<(i128, usize)> = None;
        for (c, &score) in scores.iter().enumerate() {
            if score > 0 && !set.contains(&c) && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        let Some((_, c)) = best else { break };
        set.push(c);
        for &r in &open {
            if let Some(x) = rem.get_mut(r) {
                *x = (*x - at(r, c)).max(0);
            }
        }
        open.retain(|&r| rem.get(r).is_some_and(|&x| x > 0));
    }
    // Remove redundant columns, last added first.
    let covers = |s: &[usize]| {
        (0..rows).all(|r| {
            s.iter().fold(0i128, |a, &c| a.saturating_add(at(r, c)))
                >= need.get(r).copied().unwrap_or(0)
        })
    };
    let mut i = set.len();
    while i > 0 {
        i -= 1;
        let mut trial = set.clone();
        trial.remove(i);
        if covers(&trial) {
            set = trial;
        }
    }
    set.sort_unstable();
    (set, first)
}

/// Improves a greedy cover: an exact search over the greedy set plus the
/// other columns covering the largest summed fraction of the need, `bound`
/// columns in all. Returns every minimum-size cover found (the greedy set
/// among them when it is as small), as column indices, and the nodes visited.
/// Skipped (greedy set alone) when the greedy set already fills the bound.
pub(crate) fn refine_greedy(
    matrix: &[i128],
    need: &[i128],
    n: usize,
    greedy: &[usize],
    first_scores: &[i128],
    bound: usize,
) -> (Vec<Vec<usize>>, u64) {
    if greedy.is_empty() || greedy.len() >= bound {
        return (vec![greedy.to_vec()], 0);
    }
    let at = |r: usize, c: usize| matrix.get(r * n + c).copied().unwrap_or(0);
    let mut others: Vec<(i128, usize)> = (0..n)
        .filter(|c| !greedy.contains(c))
        .map(|c| (first_scores.get(c).copied().unwrap_or(0), c))
        .collect();
    others.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut pool: Vec<usize> = greedy.to_vec();
    pool.extend(
        others
            .iter()
            .map(|o| o.1)
            .take((bound - greedy.len()).min(REFINE_EXTRA)),
    );
    pool.sort_unstable();
    let m = pool.len();
    let mut sub: Vec<i128> = Vec::with_capacity(need.len() * m);
    for r in 0..need.len() {
        sub.extend(pool.iter().map(|&c| at(r, c)));
    }
    let (found, nodes) = exact_sets(&sub, need, m);
    let mapped: Vec<Vec<usize>> = found
        .into_iter()
        .map(|s| s.iter().filter_map(|&i| pool.get(i).copied()).collect())
        .collect();
    match mapped.first() {
        Some(f) if f.len() <= greedy.len() => (mapped, nodes),
        _ => (vec![greedy.to_vec()], nodes),
    }
}

fn validate(input: &AllocationInput) -> Result<(), FulfilmentError> {
    let req = &input.request;
    let s = &input.settings;
    if s.exact_max_candidates > EXACT_CANDIDATES_CEILING {
        return Err(FulfilmentError::InvalidSetting {
            field: "settings.exact_max_candidates".to_owned(),
            rule: format!("at most {EXACT_CANDIDATES_CEILING}"),
        });
    }
    if s.max_lines == 0 {
        return Err(FulfilmentError::InvalidSetting {
            field: "settings.max_lines".to_owned(),
            rule: "at least 1".to_owned(),
        });
    }
    check_id(&req.order_id, "request.order_id")?;
    check_id(&req.customer_id, "request.customer_id")?;
    if req.lines.is_empty() {
        return Err(FulfilmentError::EmptyOrder {
            field: "request.lines".to_owned(),
        });
    }
    if req.lines.len() > s.max_lines {
        return Err(FulfilmentError::TooManyLines {
            field: "request.lines".to_owned(),
            count: req.lines.len(),
            max: s.max_lines,
        });
    }
    if req.order_value < Decimal::ZERO {
        return Err(super::bad_qty(
            "request.order_value",
            req.order_value,
            "must not be negative",
        ));
    }
    if let Some(p) = &req.destination.location {
        p.validate("request.destination.location")?;
    }
    let mut ids = FxHashSet::default();
    // Paths are built only on failure: this runs on every allocation.
    for (i, l) in req.lines.iter().enumerate() {
        let f = |k: &str| path(&index("request.lines", i), k);
        if l.line_id.is_empty() {
            check_id(&l.line_id, &f("line_id"))?;
        }
        if !ids.insert(l.line_id.as_str()) {
            return Err(FulfilmentError::DuplicateId {
                field: f("line_id"),
                id: l.line_id.clone(),
            });
        }
        if l.sku.is_empty() {
            check_id(&l.sku, &f("sku"))?;
        }
        if quantity_rule(l.quantity, true).is_some() {
            check_qty(l.quantity, true, &f("quantity"))?;
        }
        if quantity_rule(l.weight_per_unit_kg, false).is_some() {
            check_qty(l.weight_per_unit_kg, false, &f("weight_per_unit_kg"))?;
        }
    }
    let mut whs = FxHashSet::default();
    for (i, w) in input.warehouses.iter().enumerate() {
        // Field paths are built only on failure (this runs on every call).
        let at = || index("warehouses", i);
        if w.id.is_empty() {
            return Err(FulfilmentError::EmptyId {
                field: path(&at(), "id"),
            });
        }
        if !whs.insert(w.id.as_str()) {
            return Err(FulfilmentError::DuplicateId {
                field: path(&at(), "id"),
                id: w.id.clone(),
            });
        }
        if let Some(p) = &w.location {
            if p.validate("").is_err() {
                p.validate(&path(&at(), "location"))?;
            }
        }
        for (j, r) in w.shipping_rates.iter().enumerate() {
            if r.fixed >= Decimal::ZERO && r.per_kg >= Decimal::ZERO {
                continue;
            }
            let rat = index(&path(&at(), "shipping_rates"), j);
            if r.fixed < Decimal::ZERO {
                return Err(super::bad_qty(
                    &path(&rat, "fixed"),
                    r.fixed,
                    "must not be negative",
                ));
            }
            if r.per_kg < Decimal::ZERO {
                return Err(super::bad_qty(
                    &path(&rat, "per_kg"),
                    r.per_kg,
                    "must not be negative",
                ));
            }
        }
    }
    // (warehouse, sku) uniqueness is checked while indexing the stock.
    crate::inventory::validate_snapshot_with(&input.stock, "stock", false)?;
    // Unknown warehouses in the stock are reported while indexing it.
    input
        .rules
        .validate("rules", &|id: &str| whs.contains(id))?;
    Ok(())
}
