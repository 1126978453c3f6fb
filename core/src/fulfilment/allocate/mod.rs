//! The allocation engine: eligibility, batches, strategies and the plan.
//!
//! Quantities are converted to integer micro-units (`i128`, scale 6) for the
//! search so that sums are exact and cheap; outputs are `Decimal` again.
//!
//! [`allocate`] runs the phases in order, one module per concept:
//! [`validate`], [`eligibility`] (warehouses, routing and exclusions),
//! [`stock`] (demand groups, usable batches), [`share`] (stock shared by
//! the groups of one sku), [`strategy`] (candidates and
//! the search, with the set cover in [`cover`]) and [`plan`] (lines into
//! the chosen set, batch picking, shipments, backorders, explanation).

use rust_decimal::Decimal;

use super::model::*;
use super::FulfilmentError;
use crate::inventory::{ShippingRate, StockBatch, Warehouse};
use crate::money::RoundingMode;

mod cover;
mod eligibility;
mod plan;
mod share;
mod stock;
mod strategy;
mod validate;

#[cfg(test)]
pub(crate) use cover::exact_sets;

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

/// A warehouse as the order sees it (built once by
/// [`eligibility::warehouse_views`]).
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

/// A usable batch: its stock item and batch indices and what is available.
struct BatchRef<'a> {
    item: usize,
    batch: usize,
    b: &'a StockBatch,
    avail: i128,
}

/// What every phase reads: the input and the warehouses' view of the order.
struct Ctx<'a> {
    input: &'a AllocationInput,
    whs: Vec<Wh<'a>>,
}

impl Ctx<'_> {
    fn wh(&self, wi: usize) -> Option<&Wh<'_>> {
        self.whs.get(wi)
    }

    fn id_of(&self, wi: usize) -> &str {
        self.wh(wi).map(|x| x.w.id.as_str()).unwrap_or("")
    }

    fn eff(&self, wi: usize) -> EffPrio {
        self.wh(wi).map(Wh::eff).unwrap_or((true, u32::MAX))
    }
}

/// Allocates an order: routing rules, then the strategy, then batches.
///
/// Fails only on invalid input (field paths into [`AllocationInput`]); a
/// shortage is not an error but backorders in the plan.
pub fn allocate(input: &AllocationInput) -> Result<AllocationOutcome, FulfilmentError> {
    validate::validate(input)?;
    let req = &input.request;
    let ctx = Ctx {
        input,
        whs: eligibility::warehouse_views(input),
    };
    let mut eligibility = eligibility::eligibility(input);
    let demand = stock::demand_groups(req, &eligibility.line_ok)?;
    let usable = stock::usable_stock(input, &demand, &eligibility.line_ok)?;
    let candidates = strategy::candidates(
        &ctx,
        &eligibility.order_ok,
        &demand,
        &usable,
        &mut eligibility.exclusions,
    );
    let single_mode = req.delivery.ship_complete
        || !req.delivery.allow_partial_shipments
        || input.strategy == Strategy::SingleWarehouse;
    let search = strategy::search(&ctx, &demand, &usable, &candidates, single_mode)?;
    let shares = plan::assign_lines(&search.assignment, &demand, &usable);
    let picks = plan::pick_batches(&shares, &usable);
    let shipments = plan::shipments(&ctx, &picks, &usable)?;
    let (lines, backorders) = plan::line_totals(
        &ctx,
        &demand,
        &usable,
        &candidates.cands,
        single_mode,
        &shipments,
    )?;
    Ok(plan::plan_and_explanation(
        &ctx,
        plan::Phases {
            demand: &demand,
            usable,
            eligibility,
            candidates: &candidates,
            search,
            shipments,
            lines,
            backorders,
            single_mode,
        },
    ))
}

/// A shipment's cost at `rate` for `weight` kg, rounded half-up to paise.
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
