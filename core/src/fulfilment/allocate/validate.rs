//! Phase 1 of allocation: input validation.

use rust_decimal::Decimal;
use rustc_hash::FxHashSet;

use super::super::model::*;
use super::super::{check_id, check_qty, FulfilmentError};
use crate::error::{index, path};
use crate::inventory::quantity_rule;

/// Phase 1: checks the settings, the request, the warehouses, the stock
/// snapshot and the routing rules. Guarantees to the later phases: ids are
/// present and unique, quantities are valid and the rules name only known
/// warehouses; (warehouse, sku) uniqueness and stock items naming unknown
/// warehouses are left to the stock index (phase 5a), which reports them.
pub(super) fn validate(input: &AllocationInput) -> Result<(), FulfilmentError> {
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
        return Err(crate::fulfilment::bad_qty(
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
                return Err(crate::fulfilment::bad_qty(
                    &path(&rat, "fixed"),
                    r.fixed,
                    "must not be negative",
                ));
            }
            if r.per_kg < Decimal::ZERO {
                return Err(crate::fulfilment::bad_qty(
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
