//! Phases 6 and 7 of allocation: the candidate warehouses and the search
//! for the set that ships the order (single warehouse, ordered fill, or the
//! fewest shipments by exact or greedy set cover).

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::super::model::*;
use super::super::FulfilmentError;
use super::cover::{exact_sets, greedy_set, refine_greedy};
use super::share::{hall_rows, lex_flow};
use super::stock::{Demand, Group, Usable};
use super::{shipment_cost, Assignment, Ctx, EffPrio, SingleKey, Wh, FRACTION_ONE};

/// The candidate warehouses, ranked, and what the search shares about them.
pub(super) struct Candidates {
    /// Order-eligible warehouses with usable stock of some line, in in-set
    /// rank order (cost or distance, then priority, then id).
    pub(super) cands: Vec<usize>,
    pub(super) basis: CostBasis,
    /// Per group: its total demand in micro-units.
    pub(super) totals: Vec<i128>,
    /// Per group: what the candidates together can cover (≤ total).
    pub(super) cover: Vec<i128>,
}

/// Phase 6: candidates. Keeps the order-eligible warehouses holding usable
/// stock of some group (the others are excluded as `NoStock`), picks the
/// cost basis every candidate supports (rates, else distances, else none)
/// and ranks them. Guarantees `cands` is sorted by the in-set rank and
/// `cover[g] ≤ totals[g]`.
pub(super) fn candidates(
    ctx: &Ctx<'_>,
    order_ok: &[bool],
    demand: &Demand,
    usable: &Usable<'_>,
    exclusions: &mut Vec<Exclusion>,
) -> Candidates {
    let ng = demand.groups.len();
    let mut cands: Vec<usize> = Vec::new();
    for wi in 0..ctx.input.warehouses.len() {
        if !order_ok.get(wi).copied().unwrap_or(false) {
            continue;
        }
        if (0..ng).any(|g| usable.av(g, wi) > 0) {
            cands.push(wi);
        } else if let Some(w) = ctx.input.warehouses.get(wi) {
            exclusions.push(Exclusion {
                warehouse_id: w.id.clone(),
                line_id: None,
                reason: ExclusionReason::NoStock,
                detail: "no usable stock of the order's lines".to_owned(),
            });
        }
    }
    let basis = if !cands.is_empty()
        && cands
            .iter()
            .all(|&c| ctx.wh(c).is_some_and(|x| x.rate.is_some()))
    {
        CostBasis::Cost
    } else if !cands.is_empty()
        && cands
            .iter()
            .all(|&c| ctx.wh(c).is_some_and(|x| x.distance.is_some()))
    {
        CostBasis::Distance
    } else {
        CostBasis::None
    };
    // In-set rank: which warehouse of a set a line prefers.
    let in_set_cmp = |a: &usize, b: &usize| -> Ordering {
        let (x, y) = (ctx.wh(*a), ctx.wh(*b));
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
            .then(ctx.eff(*a).cmp(&ctx.eff(*b)))
            .then(ctx.id_of(*a).cmp(ctx.id_of(*b)))
    };
    cands.sort_by(in_set_cmp);
    let totals: Vec<i128> = demand.groups.iter().map(|g| g.total).collect();
    let mut cover: Vec<i128> = (0..ng)
        .map(|g| {
            let s = cands
                .iter()
                .fold(0i128, |acc, &c| acc.saturating_add(usable.av(g, c)));
            s.min(totals.get(g).copied().unwrap_or(0))
        })
        .collect();
    // Groups of one sku share its stock: what they can cover together is
    // a maximum flow, not each group's own sum.
    for groups in demand.shared_skus() {
        for &g in groups {
            if let Some(x) = cover.get_mut(g) {
                *x = 0;
            }
        }
        for (g, _, q) in lex_flow(demand, usable, groups, &cands) {
            if let Some(x) = cover.get_mut(g) {
                *x += q;
            }
        }
    }
    Candidates {
        cands,
        basis,
        totals,
        cover,
    }
}

/// What the search decided and why.
pub(super) struct SearchOutcome {
    pub(super) method: SearchMethod,
    pub(super) optimality: Optimality,
    /// (group, warehouse, micro-units) pieces of the chosen set.
    pub(super) assignment: Assignment,
    pub(super) reasons: Vec<String>,
    pub(super) tie_breaks: Vec<String>,
    pub(super) sets_evaluated: u64,
}

/// The explanation the search builds up as it goes.
#[derive(Default)]
struct Notes {
    reasons: Vec<String>,
    tie_breaks: Vec<String>,
    sets_evaluated: u64,
}

type Decision = (SearchMethod, Optimality, Assignment);

/// What every strategy reads.
struct Searcher<'s, 'a> {
    ctx: &'s Ctx<'a>,
    demand: &'s Demand,
    usable: &'s Usable<'a>,
    c: &'s Candidates,
    costing: Costing<'s, 'a>,
}

/// Phase 7: candidate search. No candidates: nothing ships. Ship complete,
/// no partial shipments or the single-warehouse strategy: one warehouse.
/// Priority or nearest: fill in that order. Otherwise the fewest shipments
/// (exact set cover up to the bound, greedy beyond), cheapest set first.
/// Guarantees the assignment never exceeds a group's total nor a
/// warehouse's usable stock of the group.
pub(super) fn search(
    ctx: &Ctx<'_>,
    demand: &Demand,
    usable: &Usable<'_>,
    c: &Candidates,
    single_mode: bool,
) -> Result<SearchOutcome, FulfilmentError> {
    let s = Searcher {
        ctx,
        demand,
        usable,
        c,
        costing: Costing {
            whs: &ctx.whs,
            groups: &demand.groups,
            basis: c.basis,
        },
    };
    let mut notes = Notes::default();
    let (method, optimality, assignment) = if c.cands.is_empty() {
        notes
            .reasons
            .push("no candidate warehouse has usable stock for this order".to_owned());
        (SearchMethod::Single, Optimality::NotApplicable, Vec::new())
    } else if single_mode {
        s.single_warehouse(&mut notes)?
    } else if matches!(ctx.input.strategy, Strategy::Priority | Strategy::Nearest) {
        s.ordered_fill(&mut notes)
    } else {
        s.fewest_shipments(&mut notes)?
    };
    Ok(SearchOutcome {
        method,
        optimality,
        assignment,
        reasons: notes.reasons,
        tie_breaks: notes.tie_breaks,
        sets_evaluated: notes.sets_evaluated,
    })
}

impl Searcher<'_, '_> {
    fn ng(&self) -> usize {
        self.demand.groups.len()
    }

    fn total(&self, g: usize) -> i128 {
        self.c.totals.get(g).copied().unwrap_or(0)
    }

    /// Everything warehouse `c` can ship of each group, up to the total
    /// (groups of one sku sharing its stock).
    fn take_all(&self, c: usize) -> Assignment {
        let mut asg: Assignment = (0..self.ng())
            .filter(|&g| self.demand.shared_with(g).is_empty())
            .map(|g| (g, c, self.usable.av(g, c).min(self.total(g))))
            .filter(|x| x.2 > 0)
            .collect();
        for groups in self.demand.shared_skus() {
            asg.extend(lex_flow(self.demand, self.usable, groups, &[c]));
        }
        asg.sort_by_key(|x| x.0);
        asg
    }

    /// Per group: what `asg` gives it.
    fn per_group(&self, asg: &[(usize, usize, i128)]) -> Vec<i128> {
        let mut v = vec![0i128; self.ng()];
        for &(g, _, q) in asg {
            if let Some(x) = v.get_mut(g) {
                *x += q;
            }
        }
        v
    }

    /// Ranking key of warehouse `c` shipping alone, per the strategy.
    fn single_key(&self, c: usize) -> Result<SingleKey, FulfilmentError> {
        let asg = self.take_all(c);
        let cost = self.costing.cost(&asg, &[c])?;
        let dist = self.ctx.wh(c).and_then(|w| w.distance);
        let eff = self.ctx.eff(c);
        Ok(match self.ctx.input.strategy {
            Strategy::Priority => (Decimal::ZERO, None, eff),
            Strategy::Nearest => (Decimal::ZERO, Some(dist.unwrap_or(u64::MAX)), eff),
            _ => (cost, None, eff),
        })
    }

    /// Phase 7, single warehouse: among the warehouses holding every line
    /// in full (or, when partial shipping is allowed and none does, those
    /// covering the most), the first by [`Self::single_key`] then id.
    fn single_warehouse(&self, notes: &mut Notes) -> Result<Decision, FulfilmentError> {
        let req = &self.ctx.input.request;
        let why = if req.delivery.ship_complete {
            "ship complete: one warehouse holding every line in full"
        } else if !req.delivery.allow_partial_shipments {
            "partial shipments not allowed: one warehouse"
        } else {
            "single_warehouse strategy: one warehouse"
        };
        notes.reasons.push(why.to_owned());
        let full: Vec<usize> = self
            .c
            .cands
            .iter()
            .copied()
            .filter(|&c| {
                let alone = self.per_group(&self.take_all(c));
                (0..self.ng()).all(|g| alone.get(g).copied().unwrap_or(0) >= self.total(g))
            })
            .collect();
        let pool: Vec<usize> = if full.is_empty() {
            if req.delivery.ship_complete {
                Vec::new()
            } else {
                self.best_covering()
            }
        } else {
            full.clone()
        };
        let mut best: Option<(usize, SingleKey)> = None;
        let id_of = |c: usize| self.ctx.id_of(c);
        for &c in &pool {
            notes.sets_evaluated += 1;
            let k = self.single_key(c)?;
            let better = match &best {
                None => true,
                Some((b, bk)) => (&k, id_of(c)) < (bk, id_of(*b)),
            };
            if better {
                if let Some((b, bk)) = &best {
                    if bk.0 == k.0 && bk.1 == k.1 && bk.2 != k.2 {
                        notes.tie_breaks.push(format!(
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
                    notes.reasons.push(format!(
                        "no warehouse holds every line in full; {} covers the most",
                        id_of(c)
                    ));
                } else {
                    notes.reasons.push(format!(
                        "{} of {} candidate(s) hold every line in full; {} ranks first",
                        full.len(),
                        self.c.cands.len(),
                        id_of(c)
                    ));
                }
                let asg = self.take_all(c);
                Ok((SearchMethod::Single, Optimality::NotApplicable, asg))
            }
            None => {
                notes.reasons.push(
                        "ship complete: no single warehouse holds every line in full; everything backordered"
                            .to_owned(),
                    );
                Ok((SearchMethod::Single, Optimality::NotApplicable, Vec::new()))
            }
        }
    }

    /// The candidates with the most lines in full, then the most covered
    /// fraction (all of them on a tie), in candidate order.
    fn best_covering(&self) -> Vec<usize> {
        let score = |c: usize| -> (usize, i128) {
            let alone = self.per_group(&self.take_all(c));
            let av = |g: usize| alone.get(g).copied().unwrap_or(0);
            let full_lines = (0..self.ng()).filter(|&g| av(g) >= self.total(g)).count();
            let frac = (0..self.ng()).fold(0i128, |acc, g| {
                let t = self.c.totals.get(g).copied().unwrap_or(1).max(1);
                let a = av(g);
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
        let scores: Vec<(usize, i128)> = self.c.cands.iter().map(|&c| score(c)).collect();
        let top = scores.iter().max().copied();
        self.c
            .cands
            .iter()
            .zip(&scores)
            .filter(|(_, s)| Some(**s) == top)
            .map(|(c, _)| *c)
            .collect()
    }

    /// Phase 7, priority / nearest: fills each group from the candidates
    /// in priority (or distance, then fixed cost) order.
    fn ordered_fill(&self, notes: &mut Notes) -> Decision {
        let ctx = self.ctx;
        let strategy = ctx.input.strategy;
        let mut order = self.c.cands.clone();
        if strategy == Strategy::Priority {
            order.sort_by(|a, b| {
                ctx.eff(*a)
                    .cmp(&ctx.eff(*b))
                    .then(ctx.id_of(*a).cmp(ctx.id_of(*b)))
            });
        } else {
            order.sort_by(|a, b| {
                let k = |c: usize| {
                    (
                        ctx.wh(c).and_then(|w| w.distance).unwrap_or(u64::MAX),
                        ctx.wh(c).and_then(|w| w.rate).map(|r| r.fixed),
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
                    .then(ctx.eff(*a).cmp(&ctx.eff(*b)))
                    .then(ctx.id_of(*a).cmp(ctx.id_of(*b)))
            });
        }
        let names: Vec<&str> = order.iter().map(|&c| ctx.id_of(c)).collect();
        notes.reasons.push(format!(
            "filled in {} order: {}",
            if strategy == Strategy::Priority {
                "priority"
            } else {
                "distance"
            },
            names.join(", ")
        ));
        let mut asg = Vec::new();
        for (g, &total) in self.c.totals.iter().enumerate() {
            if !self.demand.shared_with(g).is_empty() {
                continue;
            }
            let mut rem = total;
            for &c in &order {
                if rem == 0 {
                    break;
                }
                let take = rem.min(self.usable.av(g, c));
                if take > 0 {
                    asg.push((g, c, take));
                    rem -= take;
                }
            }
        }
        // A shared sku fills in the same order, its groups sharing stock.
        for groups in self.demand.shared_skus() {
            asg.extend(lex_flow(self.demand, self.usable, groups, &order));
        }
        asg.sort_by_key(|x| x.0);
        notes.sets_evaluated = 1;
        (SearchMethod::Ordered, Optimality::NotApplicable, asg)
    }

    /// Phase 7, fewest shipments: the minimum-size covering sets
    /// ([`Self::cover_sets`]), then the cheapest of them ([`Self::best_set`]).
    fn fewest_shipments(&self, notes: &mut Notes) -> Result<Decision, FulfilmentError> {
        let ng = self.ng();
        let nl = self.ctx.input.request.lines.len();
        let cover = &self.c.cover;
        let lines_where = |pred: &dyn Fn(usize) -> bool| {
            (0..ng)
                .filter(|&g| pred(g))
                .flat_map(|g| self.demand.groups.get(g).map(|x| x.lines.len()))
                .sum::<usize>()
        };
        // A group of a shared sku ships in full for sure only when the
        // whole sku does.
        let sku_full = |g: usize| {
            self.demand
                .shared_with(g)
                .iter()
                .all(|&h| cover.get(h) == self.c.totals.get(h))
        };
        let full = lines_where(&|g| cover.get(g) == self.c.totals.get(g) && sku_full(g));
        let none = lines_where(&|g| cover.get(g).copied().unwrap_or(0) == 0);
        notes.reasons.push(format!(
            "the candidates together can ship {full} of {nl} line(s) in full, {} in part, {none} not at all: the plan ships all of that",
            nl.saturating_sub(full + none)
        ));
        let active: Vec<usize> = (0..ng)
            .filter(|&g| cover.get(g).copied().unwrap_or(0) > 0)
            .collect();
        let (sets, method) = self.cover_sets(&active, notes);
        let (method, mut opt, asg) = self.best_set(sets, &active, method, notes)?;
        let got = self.per_group(&asg);
        let sum = |v: &[i128]| -> i128 { v.iter().sum() };
        if sum(&got) < sum(cover) && opt == Optimality::Optimal {
            // The covering rows of a sku with many groups are necessary,
            // not sufficient: do not claim what the set does not do.
            opt = Optimality::GreedyNotProvenOptimal;
            notes.reasons.push(format!(
                "the chosen set ships {} of the {} coverable unit(s) of the skus several lines share: not proven optimal",
                super::from_micro(sum(&got))?,
                super::from_micro(sum(cover))?
            ));
        }
        Ok((method, opt, asg))
    }

    /// The minimum-size sets (candidate positions) covering every active
    /// group's coverable quantity: exact up to the bound, else greedy with
    /// a bounded exact refinement.
    fn cover_sets(&self, active: &[usize], notes: &mut Notes) -> (Vec<Vec<usize>>, SearchMethod) {
        let cands = &self.c.cands;
        let n = cands.len();
        let bound = self.ctx.input.settings.exact_max_candidates;
        // Row-major per active group, sized once (a flat_map collect grows
        // and copies it repeatedly).
        let mut matrix: Vec<i128> = Vec::with_capacity(active.len() * n);
        let mut need: Vec<i128> = Vec::with_capacity(active.len());
        for &g in active {
            if self.demand.shared_with(g).is_empty() {
                matrix.extend(cands.iter().map(|&c| self.usable.av(g, c)));
                need.push(self.c.cover.get(g).copied().unwrap_or(0));
            }
        }
        // A shared sku: one row per subset of its groups (Hall).
        for groups in self.demand.shared_skus() {
            let flow: i128 = groups
                .iter()
                .map(|&g| self.c.cover.get(g).copied().unwrap_or(0))
                .sum();
            for (nd, av) in hall_rows(self.demand, self.usable, groups, cands, flow) {
                matrix.extend(av);
                need.push(nd);
            }
        }
        if n <= bound {
            let (sets, nodes) = exact_sets(&matrix, &need, n);
            notes.sets_evaluated += nodes;
            notes.reasons.push(format!(
                    "exact search over {n} candidate(s) (bound {bound}): no fewer than {} warehouse(s) cover every coverable quantity; {} set(s) of that size do",
                    sets.first().map(Vec::len).unwrap_or(0),
                    sets.len()
                ));
            (sets, SearchMethod::Exact)
        } else {
            let (set, first_scores) = greedy_set(&matrix, &need, n);
            notes.sets_evaluated += (n * set.len()) as u64;
            let (sets, nodes) = refine_greedy(&matrix, &need, n, &set, &first_scores, bound);
            notes.sets_evaluated += nodes;
            let best = sets.first().map(Vec::len).unwrap_or(set.len());
            notes.reasons.push(format!(
                    "{n} candidates exceed the exact bound {bound}: greedy set cover ({} warehouse(s)), refined by an exact search over the greedy set and the best-covering other candidates ({} warehouse(s), {} such set(s)); not proven optimal",
                    set.len(),
                    best,
                    sets.len()
                ));
            (sets, SearchMethod::GreedyNotProvenOptimal)
        }
    }

    /// Scores each covering set (cost, best priority, sorted ids), explains
    /// the winner against the runner-up and returns the winner's
    /// assignment.
    fn best_set(
        &self,
        sets: Vec<Vec<usize>>,
        active: &[usize],
        method: SearchMethod,
        notes: &mut Notes,
    ) -> Result<Decision, FulfilmentError> {
        let ctx = self.ctx;
        type Key<'k> = (Decimal, EffPrio, Vec<&'k str>);
        let av = |g: usize, c: usize| self.usable.av(g, c);
        let mut scored: Vec<(Key<'_>, Assignment)> = Vec::new();
        for set in sets {
            let members: Vec<usize> = set
                .iter()
                .filter_map(|&i| self.c.cands.get(i).copied())
                .collect();
            let asg = assign_in_set(active, self.demand, self.usable, &members, &av);
            let cost = self.costing.cost(&asg, &members)?;
            let best_prio = members
                .iter()
                .map(|&c| ctx.eff(c))
                .min()
                .unwrap_or((true, u32::MAX));
            let mut ids: Vec<&str> = members.iter().map(|&c| ctx.id_of(c)).collect();
            ids.sort_unstable();
            scored.push(((cost, best_prio, ids), asg));
        }
        scored.sort_by(|a, b| a.0.cmp(&b.0));
        if let (Some(a), Some(b)) = (scored.first(), scored.get(1)) {
            let (ka, kb) = (&a.0, &b.0);
            let what = match self.c.basis {
                CostBasis::Cost => "cost",
                CostBasis::Distance => "distance",
                CostBasis::None => "cost (unknown)",
            };
            if ka.0 < kb.0 {
                notes.reasons.push(format!(
                    "lowest {what}: {} beats the runner-up {} ({})",
                    ka.0,
                    kb.0,
                    kb.2.join("+")
                ));
            } else if ka.1 < kb.1 {
                notes.tie_breaks.push(format!(
                    "{what} tie at {} with {}: broken by best priority",
                    ka.0,
                    kb.2.join("+")
                ));
            } else {
                notes.tie_breaks.push(format!(
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
                notes.tie_breaks.push(
                        "within the set a line ships whole from one warehouse when one holds it, preferring the cheaper, then the higher-priority one"
                            .to_owned(),
                    );
                Ok((method, opt, asg))
            }
            None => Ok((method, opt, Vec::new())),
        }
    }
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
/// ([`pack_lines`]); the groups of a shared sku first share its stock by
/// [`lex_flow`] and pack into their shares. Returns (group, warehouse,
/// quantity) pieces.
fn assign_in_set(
    active: &[usize],
    demand: &Demand,
    usable: &Usable<'_>,
    members: &[usize],
    av: &dyn Fn(usize, usize) -> i128,
) -> Vec<(usize, usize, i128)> {
    let mut out = Vec::new();
    let mut shares: Vec<(usize, usize, i128)> = Vec::new();
    for groups in demand.shared_skus() {
        if groups.iter().any(|g| active.contains(g)) {
            shares.extend(lex_flow(demand, usable, groups, members));
        }
    }
    for &g in active {
        let Some(gr) = demand.groups.get(g) else {
            continue;
        };
        let cap = |c: usize| {
            if demand.shared_with(g).is_empty() {
                av(g, c)
            } else {
                shares
                    .iter()
                    .filter(|x| x.0 == g && x.1 == c)
                    .map(|x| x.2)
                    .sum()
            }
        };
        for (c, _, q) in pack_lines(&gr.lines, &demand.line_qty, members, &cap) {
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
