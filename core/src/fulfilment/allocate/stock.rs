//! Phases 4 and 5 of allocation: demand groups (lines that can share stock)
//! and the usable stock per (group, warehouse), batch by batch.

use std::cmp::Ordering;

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::model::*;
use super::super::FulfilmentError;
use super::{to_micro, BatchRef, GroupKey};
use crate::error::{index, path};
use crate::inventory::{QualityStatus, StockBatch};

/// Lines with the same sku, shelf-life need, unit weight and eligibility
/// mask: they draw on the same stock, so they are searched as one demand.
pub(super) struct Group {
    /// The first line of the group (its sku, shelf life and mask).
    pub(super) sku_line: usize,
    /// The group's lines, in line order.
    pub(super) lines: Vec<usize>,
    /// Σ quantity of the lines, in micro-units.
    pub(super) total: i128,
    /// Weight per unit in micro-kg.
    pub(super) wpu: i128,
    /// Minimum remaining shelf life in days (the stricter of line's and
    /// order's).
    pub(super) shelf: Option<u32>,
}

/// The order's demand: groups, each line's group and each line's quantity.
pub(super) struct Demand {
    pub(super) groups: Vec<Group>,
    /// Per line: index into `groups`.
    pub(super) group_of: Vec<usize>,
    /// Per line: quantity in micro-units.
    pub(super) line_qty: Vec<i128>,
    /// Per sku (first-seen order): its groups; they share the sku's stock.
    pub(super) sku_groups: Vec<Vec<usize>>,
    /// Per group: index into `sku_groups`.
    pub(super) sku_of: Vec<usize>,
}

impl Demand {
    /// The groups sharing group `g`'s sku when there are several (empty
    /// when `g` has its sku to itself).
    pub(super) fn shared_with(&self, g: usize) -> &[usize] {
        match self.sku_of.get(g).and_then(|&s| self.sku_groups.get(s)) {
            Some(v) if v.len() > 1 => v,
            _ => &[],
        }
    }

    /// The skus whose stock several groups share, each with its groups.
    pub(super) fn shared_skus(&self) -> impl Iterator<Item = &[usize]> {
        self.sku_groups
            .iter()
            .filter(|v| v.len() > 1)
            .map(Vec::as_slice)
    }
}

/// The shelf life line `l` needs: the stricter of the line's and the order's.
pub(super) fn shelf_days(req: &AllocationRequest, l: usize) -> Option<u32> {
    let a = req
        .lines
        .get(l)
        .and_then(|x| x.min_remaining_shelf_life_days);
    let b = req.min_remaining_shelf_life_days;
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Phase 4: groups the lines by (sku, shelf life, unit weight, eligibility
/// mask) in first-seen order. Guarantees every line is in exactly one group,
/// a group's total is the sum of its lines and quantities are exact
/// micro-units.
pub(super) fn demand_groups(
    req: &AllocationRequest,
    line_ok: &[Vec<bool>],
) -> Result<Demand, FulfilmentError> {
    let nl = req.lines.len();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(nl);
    let mut keys: FxHashMap<GroupKey<'_>, usize> = FxHashMap::default();
    let mut skus: FxHashMap<&str, usize> = FxHashMap::default();
    let mut sku_groups: Vec<Vec<usize>> = Vec::new();
    let mut sku_of: Vec<usize> = Vec::new();
    for (l, line) in req.lines.iter().enumerate() {
        let mask = line_ok.get(l).map(Vec::as_slice).unwrap_or(&[]);
        let key = (
            line.sku.as_str(),
            shelf_days(req, l),
            line.weight_per_unit_kg,
            mask,
        );
        let q = to_micro(line.quantity, "request.lines")?;
        let g = match keys.get(&key) {
            Some(&g) => g,
            None => {
                keys.insert(key, groups.len());
                let next = sku_groups.len();
                let sk = *skus.entry(line.sku.as_str()).or_insert(next);
                if sk == next {
                    sku_groups.push(Vec::new());
                }
                if let Some(v) = sku_groups.get_mut(sk) {
                    v.push(groups.len());
                }
                sku_of.push(sk);
                groups.push(Group {
                    sku_line: l,
                    lines: Vec::new(),
                    total: 0,
                    wpu: to_micro(line.weight_per_unit_kg, "request.lines")?,
                    shelf: key.1,
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
    let line_qty: Vec<i128> = req
        .lines
        .iter()
        .map(|l| to_micro(l.quantity, "request.lines"))
        .collect::<Result<_, _>>()?;
    Ok(Demand {
        groups,
        group_of,
        line_qty,
        sku_groups,
        sku_of,
    })
}

/// The stock items per sku: one slot per sku, the slots' (warehouse, item)
/// pairs stored contiguously in item order (no per-sku vectors to grow).
struct StockIndex<'a> {
    slot_of: FxHashMap<&'a str, usize>,
    slot_start: Vec<usize>,
    slot_items: Vec<(usize, usize)>,
}

impl StockIndex<'_> {
    /// The (warehouse index, item index) pairs of one slot.
    fn list(&self, slot: usize) -> &[(usize, usize)] {
        match (self.slot_start.get(slot), self.slot_start.get(slot + 1)) {
            (Some(&a), Some(&b)) => self.slot_items.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The (warehouse index, item index) pairs holding `sku`.
    fn for_sku(&self, sku: &str) -> &[(usize, usize)] {
        self.slot_of.get(sku).map_or(&[], |&k| self.list(k))
    }
}

/// Phase 5a: indexes the stock items by sku. Guarantees every item names a
/// known warehouse and each (warehouse, sku) appears at most once (the
/// first duplicate in input order is reported).
fn stock_index(input: &AllocationInput) -> Result<StockIndex<'_>, FulfilmentError> {
    let nw = input.warehouses.len();
    let wh_ix: FxHashMap<&str, usize> = input
        .warehouses
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.as_str(), i))
        .collect();
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
    let ix = StockIndex {
        slot_of,
        slot_start,
        slot_items,
    };
    // Each (warehouse, sku) at most once: stamp warehouses per sku.
    // The first duplicate in input order is reported (map order is not used).
    let mut stamp: Vec<usize> = vec![usize::MAX; nw];
    let mut first_dup: Option<usize> = None;
    for k in 0..ix.slot_of.len() {
        for &(wi, ii) in ix.list(k) {
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
    Ok(ix)
}

/// The usable batches of each (group, warehouse), FEFO-sorted, and what
/// they add up to.
pub(super) struct Usable<'a> {
    pub(super) brefs: Vec<BatchRef<'a>>,
    /// Per (group, warehouse), row-major by group: range of `brefs`.
    ranges: Vec<(usize, usize)>,
    /// Per (group, warehouse), row-major by group: Σ available micro-units.
    avail: Vec<i128>,
    pub(super) skipped: Vec<SkippedBatch>,
    nw: usize,
}

impl Usable<'_> {
    /// Usable micro-units of group `g` in warehouse `w` (0 when none).
    #[inline]
    pub(super) fn av(&self, g: usize, w: usize) -> i128 {
        self.avail.get(g * self.nw + w).copied().unwrap_or(0)
    }

    /// The range of `brefs` holding group `g`'s batches in warehouse `w`.
    pub(super) fn range(&self, g: usize, w: usize) -> (usize, usize) {
        self.ranges.get(g * self.nw + w).copied().unwrap_or((0, 0))
    }
}

/// Phase 5: usable stock per (group, warehouse). Indexes the stock (5a),
/// then for every group and eligible warehouse keeps the released,
/// unexpired batches with enough shelf life and stock left after
/// reservations, sorted FEFO; each skipped batch is reported once.
/// Guarantees `av(g, w)` is 0 for an ineligible warehouse and each range of
/// `brefs` is in picking order.
pub(super) fn usable_stock<'a>(
    input: &'a AllocationInput,
    demand: &Demand,
    line_ok: &[Vec<bool>],
) -> Result<Usable<'a>, FulfilmentError> {
    let req = &input.request;
    let nw = input.warehouses.len();
    let ng = demand.groups.len();
    let ix = stock_index(input)?;
    let mut out = Usable {
        brefs: Vec::with_capacity(input.stock.items.iter().map(|i| i.batches.len()).sum()),
        ranges: vec![(0, 0); ng * nw],
        avail: vec![0; ng * nw],
        skipped: Vec::new(),
        nw,
    };
    let mut skipped_seen: FxHashSet<(usize, usize)> = FxHashSet::default();
    for (g, gr) in demand.groups.iter().enumerate() {
        let Some(line) = req.lines.get(gr.sku_line) else {
            continue;
        };
        let min_days = shelf_days(req, gr.sku_line);
        let mask = line_ok.get(gr.sku_line);
        for &(wi, ii) in ix.for_sku(line.sku.as_str()) {
            if !mask.and_then(|m| m.get(wi)).copied().unwrap_or(false) {
                continue;
            }
            let (Some(w), Some(item)) = (input.warehouses.get(wi), input.stock.items.get(ii))
            else {
                continue;
            };
            let start = out.brefs.len();
            let mut sum: i128 = 0;
            for (bi, b) in item.batches.iter().enumerate() {
                let skip = batch_skip(b, input.today, min_days);
                if let Some(reason) = skip {
                    if skipped_seen.insert((ii, bi)) {
                        out.skipped.push(SkippedBatch {
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
                    out.brefs.push(BatchRef {
                        item: ii,
                        batch: bi,
                        b,
                        avail: a,
                    });
                    sum = sum.saturating_add(a);
                }
            }
            if let Some(slice) = out.brefs.get_mut(start..) {
                slice.sort_by(|x, y| fefo(x.b, y.b));
            }
            if let Some(r) = out.ranges.get_mut(g * nw + wi) {
                *r = (start, out.brefs.len());
            }
            if let Some(a) = out.avail.get_mut(g * nw + wi) {
                *a = sum;
            }
        }
    }
    Ok(out)
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
