//! Phases 8 to 11 of allocation: lines into the chosen warehouses, batch
//! picking (FEFO/FIFO), shipments, and the plan with its explanation.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::super::model::*;
use super::super::FulfilmentError;
use super::eligibility::Eligibility;
use super::stock::{Demand, Usable};
use super::strategy::{Candidates, SearchOutcome};
use super::{from_micro, shipment_cost, to_micro, Assignment, Ctx};
use crate::events::{AggregateKind, DomainEvent, EventPayload};

/// (group, warehouse, line, micro-units): one line's share in one warehouse.
type LineShare = (usize, usize, usize, i128);
/// (warehouse, line, index into `brefs`, micro-units): one batch pick.
type Pick = (usize, usize, usize, i128);

/// Phase 8: assignment of lines to the chosen set. Each group's lines are
/// packed into the warehouses its assignment uses (in the assignment's
/// order), so a line ships whole from one warehouse when one can hold it;
/// the per-warehouse totals are the assignment's (see
/// [`super::strategy::pack_lines`]). Guarantees the shares are sorted by
/// (group, warehouse, line), which is the order batches are picked in.
pub(super) fn assign_lines(
    assignment: &Assignment,
    demand: &Demand,
    usable: &Usable<'_>,
) -> Vec<LineShare> {
    let ng = demand.groups.len();
    let mut line_asg: Vec<LineShare> = Vec::with_capacity(demand.line_qty.len());
    let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); ng];
    for &(g, c, _) in assignment {
        if let Some(v) = by_group.get_mut(g) {
            if !v.contains(&c) {
                v.push(c);
            }
        }
    }
    for (g, members) in by_group.iter().enumerate() {
        let Some(gr) = demand.groups.get(g) else {
            continue;
        };
        if members.is_empty() {
            continue;
        }
        // A shared sku's group packs into exactly what the search gave it.
        let shared = !demand.shared_with(g).is_empty();
        let cap = |c: usize| {
            if shared {
                assignment
                    .iter()
                    .filter(|x| x.0 == g && x.1 == c)
                    .map(|x| x.2)
                    .sum()
            } else {
                usable.av(g, c)
            }
        };
        for (c, l, q) in super::strategy::pack_lines(&gr.lines, &demand.line_qty, members, &cap) {
            line_asg.push((g, c, l, q));
        }
    }
    // Batches per warehouse in line order (FEFO across the lines of a
    // group); the groups of a shared sku pick strictest shelf life first
    // (their usable batches are nested, so every share is picked in full).
    let strict = |g: usize| std::cmp::Reverse(demand.groups.get(g).and_then(|x| x.shelf));
    line_asg.sort_by_key(|&(g, c, l, _)| (strict(g), g, c, l));
    line_asg
}

/// Phase 9: batch picking. Each share takes from its (group, warehouse)
/// batches in FEFO/FIFO order what earlier shares left. Guarantees no batch
/// gives more than it has available and the picks are grouped by
/// (warehouse, line), each line's picks in FEFO order.
pub(super) fn pick_batches(line_asg: &[LineShare], usable: &Usable<'_>) -> Vec<Pick> {
    let mut used: FxHashMap<(usize, usize), i128> = FxHashMap::default();
    let mut picks: Vec<Pick> = Vec::with_capacity(line_asg.len() * 2);
    for &(g, c, l, q) in line_asg {
        let (start, end) = usable.range(g, c);
        let mut rem = q;
        for bi in start..end {
            if rem == 0 {
                break;
            }
            let Some(br) = usable.brefs.get(bi) else {
                continue;
            };
            let u = used.entry((br.item, br.batch)).or_insert(0);
            let take = rem.min(br.avail - *u);
            if take <= 0 {
                continue;
            }
            *u += take;
            rem -= take;
            picks.push((c, l, bi, take));
        }
    }
    // A stable sort keeps each line's FEFO order.
    picks.sort_by_key(|p| (p.0, p.1));
    picks
}

/// The shipments and what they add up to.
pub(super) struct Shipments {
    pub(super) shipments: Vec<PlannedShipment>,
    /// Per line: micro-units allocated across all shipments.
    pub(super) allocated: Vec<i128>,
    /// Every shipment has a rate (so `total_cost` is the plan's cost).
    pub(super) all_costed: bool,
    pub(super) total_cost: Decimal,
}

/// Phase 10: shipments, one per warehouse with picks, by warehouse id; the
/// lines in line order, each line's picks of one batch merged. Guarantees
/// `allocated[l]` is the sum of line `l`'s quantities over the shipments.
pub(super) fn shipments(
    ctx: &Ctx<'_>,
    picks: &[Pick],
    usable: &Usable<'_>,
) -> Result<Shipments, FulfilmentError> {
    // Warehouse id → (line, range of `picks`), lines ascending.
    let mut by_wh: BTreeMap<&str, Vec<(usize, usize, usize)>> = BTreeMap::new();
    let mut wh_index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut start = 0;
    while let Some(&(c, l, _, _)) = picks.get(start) {
        let len = picks
            .get(start..)
            .map_or(1, |r| r.iter().take_while(|p| p.0 == c && p.1 == l).count());
        by_wh
            .entry(ctx.id_of(c))
            .or_default()
            .push((l, start, start + len));
        wh_index.insert(ctx.id_of(c), c);
        start += len;
    }
    let mut out = Shipments {
        shipments: Vec::with_capacity(by_wh.len()),
        allocated: vec![0; ctx.input.request.lines.len()],
        all_costed: true,
        total_cost: Decimal::ZERO,
    };
    let mut merged: Vec<(usize, i128)> = Vec::new();
    for (wid, lines) in by_wh {
        let c = wh_index.get(wid).copied().unwrap_or(0);
        let mut planned = Vec::with_capacity(lines.len());
        let mut weight = Decimal::ZERO;
        for (l, a, b) in lines {
            let Some(line) = ctx.input.request.lines.get(l) else {
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
            if let Some(a) = out.allocated.get_mut(l) {
                *a += qty;
            }
            let qd = from_micro(qty)?;
            weight = mul_add(weight, qd, line.weight_per_unit_kg)?;
            let mut batches = Vec::with_capacity(merged.len());
            for &(bi, q) in &merged {
                let Some(br) = usable.brefs.get(bi) else {
                    continue;
                };
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
        let shipment = planned_shipment(ctx, c, wid, planned, weight)?;
        match shipment.estimated_cost {
            Some(x) => {
                out.total_cost =
                    out.total_cost
                        .checked_add(x)
                        .ok_or_else(|| FulfilmentError::Overflow {
                            field: "plan.estimated_cost".to_owned(),
                        })?
            }
            None => out.all_costed = false,
        }
        out.shipments.push(shipment);
    }
    Ok(out)
}

/// One warehouse's shipment: its lines, weight, cost (when it has a rate),
/// distance and lead time.
fn planned_shipment(
    ctx: &Ctx<'_>,
    c: usize,
    wid: &str,
    lines: Vec<PlannedLine>,
    weight: Decimal,
) -> Result<PlannedShipment, FulfilmentError> {
    let w = ctx.wh(c);
    let cost = match w.and_then(|w| w.rate) {
        Some(r) => Some(shipment_cost(r, weight)?),
        None => None,
    };
    Ok(PlannedShipment {
        warehouse_id: wid.to_owned(),
        lines,
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
    })
}

/// Phase 11a: per-line totals and backorders, each backorder with the
/// reason it could not ship. Guarantees one [`LineAllocation`] per line in
/// line order, with ordered = allocated + backordered.
pub(super) fn line_totals(
    ctx: &Ctx<'_>,
    demand: &Demand,
    usable: &Usable<'_>,
    cands: &[usize],
    single_mode: bool,
    sh: &Shipments,
) -> Result<(Vec<LineAllocation>, Vec<Backorder>), FulfilmentError> {
    let req = &ctx.input.request;
    let mut lines_out = Vec::with_capacity(req.lines.len());
    let mut backorders = Vec::new();
    for (l, line) in req.lines.iter().enumerate() {
        let alloc = sh.allocated.get(l).copied().unwrap_or(0);
        let ordered = to_micro(line.quantity, "request.lines")?;
        let back = ordered - alloc;
        let g = demand.group_of.get(l).copied().unwrap_or(0);
        if back > 0 {
            let usable = cands
                .iter()
                .fold(0i128, |a, &c| a.saturating_add(usable.av(g, c)));
            let shared = if demand.shared_with(g).is_empty() {
                ""
            } else {
                ", shared with the sku's other lines"
            };
            let reason = if usable == 0 {
                "no usable stock in any eligible warehouse".to_owned()
            } else if single_mode && sh.shipments.is_empty() && req.delivery.ship_complete {
                "ship complete: no single warehouse holds every line in full".to_owned()
            } else if single_mode {
                "the single shipping warehouse lacks it".to_owned()
            } else {
                format!(
                    "only {} usable across eligible warehouses{shared}",
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
    Ok((lines_out, backorders))
}

/// Phase 11b: what each candidate offered (for the explanation).
fn candidate_info(
    ctx: &Ctx<'_>,
    demand: &Demand,
    usable: &Usable<'_>,
    c: &Candidates,
) -> Vec<CandidateInfo> {
    let nl = ctx.input.request.lines.len();
    let group = |l: usize| demand.group_of.get(l).copied().unwrap_or(0);
    c.cands
        .iter()
        .filter_map(|&wi| {
            let w = ctx.wh(wi)?;
            Some(CandidateInfo {
                warehouse_id: w.w.id.clone(),
                priority: w.w.priority,
                preferred: w.preferred,
                distance_m: w.distance,
                fixed_cost: w.rate.map(|r| r.fixed),
                per_kg_cost: w.rate.map(|r| r.per_kg),
                lines_stocked: (0..nl).filter(|&l| usable.av(group(l), wi) > 0).count(),
                lines_complete: (0..nl)
                    .filter(|&l| {
                        let g = group(l);
                        usable.av(g, wi) >= c.totals.get(g).copied().unwrap_or(0)
                    })
                    .count(),
            })
        })
        .collect()
}

/// Everything the earlier phases produced, for the final assembly.
pub(super) struct Phases<'p, 'a> {
    pub(super) demand: &'p Demand,
    pub(super) usable: Usable<'a>,
    pub(super) eligibility: Eligibility,
    pub(super) candidates: &'p Candidates,
    pub(super) search: SearchOutcome,
    pub(super) shipments: Shipments,
    pub(super) lines: Vec<LineAllocation>,
    pub(super) backorders: Vec<Backorder>,
    pub(super) single_mode: bool,
}

/// Phase 11c: the plan, its explanation and the `AllocationPlanned` event.
/// The plan's cost is the sum of the shipments' costs when all are costed,
/// zero when nothing ships, else unknown.
pub(super) fn plan_and_explanation(ctx: &Ctx<'_>, p: Phases<'_, '_>) -> AllocationOutcome {
    let input = ctx.input;
    let req = &input.request;
    let candidates = candidate_info(ctx, p.demand, &p.usable, p.candidates);
    let sh = p.shipments;
    let chosen: Vec<String> = sh
        .shipments
        .iter()
        .map(|s| s.warehouse_id.clone())
        .collect();
    let fully_allocated = p.backorders.is_empty();
    let plan = AllocationPlan {
        order_id: req.order_id.clone(),
        customer_id: req.customer_id.clone(),
        estimated_cost: if sh.all_costed && !sh.shipments.is_empty() {
            Some(sh.total_cost)
        } else if sh.shipments.is_empty() {
            Some(Decimal::ZERO)
        } else {
            None
        },
        shipments: sh.shipments,
        lines: p.lines,
        fully_allocated,
        cost_currency: input.settings.cost_currency.clone(),
        optimality: p.search.optimality,
        explanation: AllocationExplanation {
            strategy: if p.single_mode {
                Strategy::SingleWarehouse
            } else {
                input.strategy
            },
            method: p.search.method,
            cost_basis: p.candidates.basis,
            exact_bound: input.settings.exact_max_candidates,
            sets_evaluated: p.search.sets_evaluated,
            candidates,
            exclusions: p.eligibility.exclusions,
            skipped_batches: p.usable.skipped,
            chosen: chosen.clone(),
            reasons: p.search.reasons,
            tie_breaks: p.search.tie_breaks,
        },
        backorders: p.backorders,
    };
    let event = DomainEvent {
        aggregate_kind: AggregateKind::Order,
        aggregate_id: req.order_id.clone(),
        sequence: input.event_sequence,
        at: input.planned_at.fixed_offset(),
        payload: EventPayload::AllocationPlanned {
            order_id: req.order_id.clone(),
            warehouses: chosen,
            backordered_lines: plan.backorders.iter().map(|b| b.line_id.clone()).collect(),
            fully_allocated,
        },
    };
    AllocationOutcome {
        plan,
        events: vec![event],
    }
}

fn mul_add(acc: Decimal, q: Decimal, w: Decimal) -> Result<Decimal, FulfilmentError> {
    q.checked_mul(w)
        .and_then(|x| acc.checked_add(x))
        .ok_or_else(|| FulfilmentError::Overflow {
            field: "plan.weight_kg".to_owned(),
        })
}
