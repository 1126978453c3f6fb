//! Stock shared by the demand groups of one sku.
//!
//! Lines of one sku that differ in unit weight, minimum shelf life or
//! eligible warehouses form separate demand groups, but they draw on the
//! same batches: no group may count stock another group takes. Decisions:
//!
//! - What a set of warehouses can ship of a shared sku is a maximum flow
//!   (groups → usable batches of the set → sink). [`lex_flow`] computes one
//!   that takes the most from the first warehouse of the set, then the most
//!   from the second, and so on (augmenting paths never lower what a
//!   warehouse already gives), so "fill in order" and "prefer the cheaper
//!   warehouse" keep their meaning.
//! - For the set-cover search, a set covers a shared sku when its flow
//!   equals the flow of all candidates `F`. By Hall's theorem for
//!   transportation that holds exactly when, for every non-empty subset `T`
//!   of the sku's groups, the set's stock usable by some group of `T` is at
//!   least `F − Σ demand outside T`: one additive row per subset
//!   ([`hall_rows`]). Up to [`HALL_MAX`] groups per sku every subset is a
//!   row (exact); beyond, only the single groups and the whole sku are
//!   (necessary, not sufficient), and the plan says it is not proven
//!   optimal when the chosen set falls short.
//! - Within one warehouse the groups' usable batches are nested by shelf
//!   life, so batches are picked for the strictest group first (see
//!   [`super::plan::pick_batches`]); any flow's per-warehouse quantities
//!   are then picked in full.

use rustc_hash::FxHashMap;

use super::stock::{Demand, Usable};

/// Most groups of one sku whose every subset becomes a Hall row.
pub(super) const HALL_MAX: usize = 8;

/// A tiny max-flow network (Edmonds–Karp on integer micro-units).
struct Net {
    /// Per edge: (to, residual capacity).
    edges: Vec<(usize, i128)>,
    /// Per node: indices into `edges` (edge `e ^ 1` is `e`'s reverse).
    adj: Vec<Vec<usize>>,
}

impl Net {
    fn new(n: usize) -> Self {
        Self {
            edges: Vec::new(),
            adj: vec![Vec::new(); n],
        }
    }

    fn add(&mut self, a: usize, b: usize, cap: i128) -> usize {
        let e = self.edges.len();
        self.edges.push((b, cap));
        self.edges.push((a, 0));
        if let Some(v) = self.adj.get_mut(a) {
            v.push(e);
        }
        if let Some(v) = self.adj.get_mut(b) {
            v.push(e + 1);
        }
        e
    }

    fn cap(&self, e: usize) -> i128 {
        self.edges.get(e).map_or(0, |x| x.1)
    }

    /// Augments along shortest paths from `s` to `t` until none is left.
    fn augment(&mut self, s: usize, t: usize) {
        let n = self.adj.len();
        loop {
            let mut prev: Vec<Option<usize>> = vec![None; n];
            let mut queue = std::collections::VecDeque::from([s]);
            let mut seen = vec![false; n];
            if let Some(x) = seen.get_mut(s) {
                *x = true;
            }
            while let Some(u) = queue.pop_front() {
                for &e in self.adj.get(u).map(Vec::as_slice).unwrap_or(&[]) {
                    let Some(&(v, c)) = self.edges.get(e) else {
                        continue;
                    };
                    if c > 0 && !seen.get(v).copied().unwrap_or(true) {
                        if let Some(x) = seen.get_mut(v) {
                            *x = true;
                        }
                        if let Some(p) = prev.get_mut(v) {
                            *p = Some(e);
                        }
                        queue.push_back(v);
                    }
                }
            }
            if !seen.get(t).copied().unwrap_or(false) {
                return;
            }
            // Bottleneck, then push it along the path.
            let mut path = Vec::new();
            let mut v = t;
            while let Some(e) = prev.get(v).copied().flatten() {
                path.push(e);
                v = self.edges.get(e ^ 1).map_or(s, |x| x.0);
            }
            let push = path.iter().map(|&e| self.cap(e)).min().unwrap_or(0);
            if push <= 0 {
                return;
            }
            for e in path {
                if let Some(x) = self.edges.get_mut(e) {
                    x.1 -= push;
                }
                if let Some(x) = self.edges.get_mut(e ^ 1) {
                    x.1 += push;
                }
            }
        }
    }
}

/// A distinct usable batch of a shared sku in one warehouse.
struct SharedBatch {
    wh: usize,
    avail: i128,
    /// Bit `i`: the sku's `i`-th group may use it.
    mask: u64,
}

/// The distinct batches of `groups` (one sku) in `whs`, in `whs` order.
fn shared_batches(usable: &Usable<'_>, groups: &[usize], whs: &[usize]) -> Vec<SharedBatch> {
    let mut out: Vec<SharedBatch> = Vec::new();
    let mut at: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for &c in whs {
        for (i, &g) in groups.iter().enumerate() {
            let bit = if i < 64 { 1u64 << i } else { 0 };
            let (a, b) = usable.range(g, c);
            for br in usable.brefs.get(a..b).unwrap_or(&[]) {
                let k = *at.entry((br.item, br.batch)).or_insert_with(|| {
                    out.push(SharedBatch {
                        wh: c,
                        avail: br.avail,
                        mask: 0,
                    });
                    out.len() - 1
                });
                if let Some(x) = out.get_mut(k) {
                    x.mask |= bit;
                }
            }
        }
    }
    out
}

/// A maximum flow of `groups` (the demand groups of one sku) over the
/// warehouses `members`, taking the most from each member in turn.
/// Returns (group, warehouse, micro-units) pieces, by group then member.
pub(super) fn lex_flow(
    demand: &Demand,
    usable: &Usable<'_>,
    groups: &[usize],
    members: &[usize],
) -> Vec<(usize, usize, i128)> {
    let batches = shared_batches(usable, groups, members);
    let k = groups.len();
    let (s, t) = (0, k + batches.len() + 1);
    let mut net = Net::new(t + 1);
    for (i, &g) in groups.iter().enumerate() {
        let d = demand.groups.get(g).map_or(0, |x| x.total);
        net.add(s, 1 + i, d);
    }
    // (group index, batch index, edge) of every group → batch edge.
    let mut uses: Vec<(usize, usize, usize)> = Vec::new();
    let mut sinks: Vec<usize> = Vec::with_capacity(batches.len());
    for (j, b) in batches.iter().enumerate() {
        for i in 0..k.min(64) {
            if b.mask & (1u64 << i) != 0 {
                let e = net.add(1 + i, 1 + k + j, b.avail);
                uses.push((i, j, e));
            }
        }
        sinks.push(net.add(1 + k + j, t, 0));
    }
    for &c in members {
        for (j, b) in batches.iter().enumerate() {
            if b.wh == c {
                if let Some(x) = sinks.get(j).copied().and_then(|e| net.edges.get_mut(e)) {
                    x.1 = b.avail;
                }
            }
        }
        net.augment(s, t);
    }
    let mut out: Vec<(usize, usize, i128)> = Vec::new();
    for (i, &g) in groups.iter().enumerate() {
        for &c in members {
            let q: i128 = uses
                .iter()
                .filter(|(gi, j, _)| *gi == i && batches.get(*j).is_some_and(|b| b.wh == c))
                .map(|&(_, j, e)| batches.get(j).map_or(0, |b| b.avail) - net.cap(e))
                .sum();
            if q > 0 {
                out.push((g, c, q));
            }
        }
    }
    out
}

/// The additive covering rows of one shared sku over the candidate columns
/// `cands`, each (need, usable per candidate), given `flow`, what all the
/// candidates can ship of it. Every subset of groups up to [`HALL_MAX`]
/// groups (exact), else the single groups and the whole sku.
pub(super) fn hall_rows(
    demand: &Demand,
    usable: &Usable<'_>,
    groups: &[usize],
    cands: &[usize],
    flow: i128,
) -> Vec<(i128, Vec<i128>)> {
    let k = groups.len();
    let batches = shared_batches(usable, groups, cands);
    let totals: Vec<i128> = groups
        .iter()
        .map(|&g| demand.groups.get(g).map_or(0, |x| x.total))
        .collect();
    let all: i128 = totals.iter().sum();
    let subsets: Vec<u64> = if k <= HALL_MAX {
        (1..(1u64 << k)).collect()
    } else {
        let mut v: Vec<u64> = (0..k.min(64)).map(|i| 1u64 << i).collect();
        v.push(u64::MAX);
        v
    };
    let mut rows = Vec::with_capacity(subsets.len());
    for t in subsets {
        let inside: i128 = totals
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && t & (1u64 << i) != 0)
            .map(|(_, d)| *d)
            .sum();
        let need = flow - (all - inside);
        if need <= 0 {
            continue;
        }
        let av: Vec<i128> = cands
            .iter()
            .map(|&c| {
                batches
                    .iter()
                    .filter(|b| b.wh == c && b.mask & t != 0)
                    .map(|b| b.avail)
                    .sum()
            })
            .collect();
        rows.push((need, av));
    }
    rows
}
