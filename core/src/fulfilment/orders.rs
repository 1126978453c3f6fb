//! The order side of fulfilment: plans, reservations, dispatches, QC
//! failures and cancellations applied to an [`Order`]'s allocated and
//! shipped quantities.
//!
//! Allocation and shipments count in base units; order lines count in their
//! sales unit (`unit_factor` base units each, 1 when unset). Every function
//! here is all or nothing: it works on a copy of the order, checks each
//! line's invariants (allocated ≤ ordered − cancelled, shipped ≤ allocated)
//! through [`OrderItem`]'s methods and [`Order::update_line`], and returns
//! the new order only if every line passed, after the one ledger call (which
//! is atomic itself) succeeded.
//!
//! A host's loop: [`allocation_delivery`] → allocate → [`reserve_plan`] →
//! shipments (`apply_with_ledger`) → [`apply_dispatch`] per dispatched
//! shipment, [`apply_returned`] for QC failures and cancelled shipments, and
//! [`cancel_order`] to cancel lines and release their reservations.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use super::{
    AllocationPlan, DeliveryPreferences, FulfilmentError, ReturnedQuantity, Shipment,
    ShipmentStatus,
};
use crate::error::{index, path};
use crate::inventory::{ReservationLedger, ReservationRequest};
use crate::order::{CancelLine, Order, OrderItem, OrderTransition};

/// The allocation's delivery preferences from the order's: a ship-complete
/// order never splits; otherwise partial shipments are allowed.
pub fn allocation_delivery(order: &Order) -> DeliveryPreferences {
    DeliveryPreferences {
        ship_complete: order.delivery.ship_complete,
        allow_partial_shipments: !order.delivery.ship_complete,
    }
}

/// `base` base units in the line's unit, exactly (else an error).
fn to_order_units(
    item: &OrderItem,
    base: Decimal,
    field: &str,
) -> Result<Decimal, FulfilmentError> {
    let f = item.base_factor();
    let q = base
        .checked_div(f)
        .ok_or_else(|| FulfilmentError::Overflow {
            field: field.to_owned(),
        })?
        .normalize();
    if q.checked_mul(f) != Some(base) {
        return Err(super::bad_qty(
            field,
            base,
            &format!("not a whole multiple of the line's unit factor {f}"),
        ));
    }
    Ok(q)
}

fn check_order(order: &Order, order_id: &str, field: &str) -> Result<(), FulfilmentError> {
    if order.id == order_id {
        Ok(())
    } else {
        Err(FulfilmentError::InvalidSetting {
            field: field.to_owned(),
            rule: format!("is for order {order_id:?}, not {:?}", order.id),
        })
    }
}

/// Applies per-line base-unit changes with `f` (line, quantity in the
/// line's unit) on a copy of the order.
fn apply_lines(
    order: &Order,
    changes: impl IntoIterator<Item = (String, Decimal, String)>,
    f: impl Fn(&OrderItem, Decimal) -> Result<OrderItem, crate::order::OrderError>,
) -> Result<Order, FulfilmentError> {
    let mut next = order.clone();
    for (line_id, base, field) in changes {
        let Some(item) = next.lines.iter().find(|l| l.line_id == line_id) else {
            return Err(FulfilmentError::UnknownLine { field, id: line_id });
        };
        let q = to_order_units(item, base, &field)?;
        let updated = f(item, q)?;
        next = next.update_line(updated)?;
    }
    Ok(next)
}

/// Records a plan's allocated quantities on the order's lines (adding to
/// what they already hold). Fails, changing nothing, if the plan is for
/// another order, names an unknown line, or would allocate more than a
/// line's open quantity.
pub fn apply_plan(order: &Order, plan: &AllocationPlan) -> Result<Order, FulfilmentError> {
    check_order(order, &plan.order_id, "plan.order_id")?;
    let changes = plan
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.allocated.is_zero())
        .map(|(i, l)| {
            (
                l.line_id.clone(),
                l.allocated,
                path(&index("plan.lines", i), "allocated"),
            )
        });
    apply_lines(order, changes, |item, q| item.record_allocation(q))
}

/// Reserves a plan in the ledger and records it on the order: both or
/// neither (the order is checked first; the ledger reserves all or nothing).
pub fn reserve_plan(
    order: &Order,
    plan: &AllocationPlan,
    ledger: &ReservationLedger,
) -> Result<Order, FulfilmentError> {
    let next = apply_plan(order, plan)?;
    plan.reserve(ledger)?;
    Ok(next)
}

/// Records a dispatched shipment's quantities as shipped on the order.
/// The shipment must be dispatched (or later delivered) and for this order.
pub fn apply_dispatch(order: &Order, shipment: &Shipment) -> Result<Order, FulfilmentError> {
    check_order(order, &shipment.order_id, "shipment.order_id")?;
    if !matches!(
        shipment.status,
        ShipmentStatus::Dispatched | ShipmentStatus::Delivered
    ) {
        return Err(FulfilmentError::IllegalTransition {
            field: "shipment.status".to_owned(),
            from: shipment.status,
            command: "record as shipped".to_owned(),
        });
    }
    let changes = shipment
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.quantity.is_zero())
        .map(|(i, l)| {
            (
                l.line_id.clone(),
                l.quantity,
                path(&index("shipment.lines", i), "quantity"),
            )
        });
    apply_lines(order, changes, |item, q| item.record_shipment(q))
}

/// Returns quantities taken off a shipment (QC failures, a cancelled
/// shipment: [`super::ShipmentTransition::returned_to_allocation`]) to
/// allocation: the lines' allocated quantities drop by them, so the host
/// can allocate them again.
pub fn apply_returned(
    order: &Order,
    returned: &[ReturnedQuantity],
) -> Result<Order, FulfilmentError> {
    let changes = returned.iter().enumerate().map(|(i, r)| {
        (
            r.line_id.clone(),
            r.quantity,
            path(&index("returned", i), "quantity"),
        )
    });
    apply_lines(order, changes, |item, q| item.record_allocation(-q))
}

/// Cancels order lines ([`Order::cancel`]) and releases, in the ledger,
/// exactly the reservations of the allocation the cancel takes back (per
/// line, the drop of `allocated` in base units, from the line's
/// reservations in batch order). Both or neither.
pub fn cancel_order(
    order: &Order,
    lines: Option<&[CancelLine]>,
    reason: &str,
    now: DateTime<FixedOffset>,
    ledger: &ReservationLedger,
) -> Result<OrderTransition, FulfilmentError> {
    let t = order.cancel(lines, reason, now)?;
    let held = ledger.reservations(&order.id)?;
    let mut release: Vec<ReservationRequest> = Vec::new();
    for (before, after) in order.lines.iter().zip(&t.order.lines) {
        let dropped = before.allocated.saturating_sub(after.allocated);
        if dropped <= Decimal::ZERO {
            continue;
        }
        let mut left =
            dropped
                .checked_mul(before.base_factor())
                .ok_or_else(|| FulfilmentError::Overflow {
                    field: "lines".to_owned(),
                })?;
        for r in held.iter().filter(|r| r.line_id == before.line_id) {
            if left <= Decimal::ZERO {
                break;
            }
            let q = left.min(r.quantity);
            left -= q;
            release.push(ReservationRequest {
                line_id: r.line_id.clone(),
                warehouse_id: r.warehouse_id.clone(),
                sku: r.sku.clone(),
                batch_id: r.batch_id.clone(),
                quantity: q,
            });
        }
    }
    if !release.is_empty() {
        ledger.release(&order.id, &release)?;
    }
    Ok(t)
}
