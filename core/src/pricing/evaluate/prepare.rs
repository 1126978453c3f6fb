//! Pass 1 of pricing an order: each line's product, unit and base
//! quantity, checked against the ordering constraints (MOQ, multiple,
//! maximum), with the suggestion that passes them all.

use super::Problems;
use crate::customer::Customer;
use crate::pricing::compile::PriceBook;
use crate::pricing::PriceRequest;
use rust_decimal::Decimal;
use smol_str::SmolStr;

use super::errors::LineError;
use super::result::QuantityStatus;
use super::OrderCtx;
use crate::catalog::{Catalog, CatalogError, CatalogProduct, OrderingConstraints};
use crate::error::{index, path};
use crate::pricing::QuantityMode;

pub(super) struct Prepared<'a> {
    pub(super) index: usize,
    pub(super) sku_idx: u32,
    pub(super) product: &'a CatalogProduct,
    pub(super) quantity: Decimal,
    pub(super) unit: SmolStr,
    pub(super) factor: Decimal,
    pub(super) base_qty: Decimal,
    /// `None` is [`QuantityStatus::Ok`]; boxed, as it is rare, to keep a
    /// line's record small: it is moved from pass to pass.
    pub(super) adjusted: Option<Box<QuantityStatus>>,
}

/// The smallest quantity ≥ `q` that passes every constraint, if any.
pub(crate) fn suggest(q: Decimal, c: &OrderingConstraints) -> Option<Decimal> {
    let mut s = q.max(c.moq.unwrap_or(Decimal::ZERO));
    if let Some(m) = c.order_multiple {
        s = s.checked_div(m)?.ceil().checked_mul(m)?;
    }
    if let Some(max) = c.max_quantity {
        if s > max {
            s = match c.order_multiple {
                Some(m) => max.checked_div(m)?.floor().checked_mul(m)?,
                None => max,
            };
        }
    }
    let passes = c.moq.is_none_or(|moq| s >= moq) && s > Decimal::ZERO;
    passes.then(|| s.normalize())
}

pub(super) fn check_constraints(
    q: Decimal,
    c: &OrderingConstraints,
    field: impl Fn(&str) -> String,
) -> Result<(), LineError> {
    if let Some(moq) = c.moq {
        if q < moq {
            return Err(LineError::BelowMoq {
                field: field("quantity"),
                requested: q,
                limit: moq,
                suggested: suggest(q, c),
            });
        }
    }
    if let Some(m) = c.order_multiple {
        if !q.checked_rem(m).is_some_and(|r| r.is_zero()) {
            return Err(LineError::NotMultiple {
                field: field("quantity"),
                requested: q,
                limit: m,
                suggested: suggest(q, c),
            });
        }
    }
    if let Some(max) = c.max_quantity {
        if q > max {
            let suggested = suggest(max, c).filter(|s| *s <= max);
            return Err(LineError::AboveMax {
                field: field("quantity"),
                requested: q,
                limit: max,
                suggested,
            });
        }
    }
    Ok(())
}

impl<'a> OrderCtx<'a> {
    pub(super) fn prepare(
        &self,
        i: usize,
        line: &crate::pricing::OrderLine,
        found: Result<(u32, &'a CatalogProduct), CatalogError>,
    ) -> Result<Prepared<'a>, LineError> {
        // Field paths are built only when something fails.
        let field = |name: &str| path(&index("lines", i), name);
        let (sku_idx, product) = found.map_err(|e| e.at(&field("sku")))?;
        let (unit, factor) = match &line.unit {
            Some(u) if **u != *product.names.base_unit => {
                let factor = product
                    .units
                    .factor(u, "")
                    .map_err(|e| e.at(&field("unit")))?;
                (SmolStr::new(u), factor)
            }
            _ => (product.names.base_unit.clone(), Decimal::ONE),
        };
        let base_qty = product
            .units
            .to_base_by(line.quantity, factor, &unit, "")
            .map_err(|e| e.at(&field("quantity")))?;
        let constraints = Catalog::constraints_for(&product.product, self.customer);
        let mut prepared = Prepared {
            index: i,
            sku_idx,
            product,
            quantity: line.quantity,
            unit,
            factor,
            base_qty,
            adjusted: None,
        };
        if let Err(e) = check_constraints(base_qty, &constraints, field) {
            let suggested = match (&e, self.book.def.settings.quantity_mode) {
                (
                    LineError::BelowMoq {
                        suggested: Some(s), ..
                    }
                    | LineError::NotMultiple {
                        suggested: Some(s), ..
                    }
                    | LineError::AboveMax {
                        suggested: Some(s), ..
                    },
                    QuantityMode::ApplySuggestion,
                ) => *s,
                _ => return Err(e),
            };
            let in_unit = suggested.checked_div(factor).unwrap_or(suggested);
            if !in_unit.fract().is_zero() {
                prepared.unit = product.names.base_unit.clone();
                prepared.factor = Decimal::ONE;
                prepared.quantity = suggested;
            } else {
                prepared.quantity = in_unit.normalize();
            }
            prepared.base_qty = suggested;
            prepared.adjusted = Some(Box::new(QuantityStatus::Adjusted {
                from: base_qty,
                to: suggested,
                reason: e.to_string(),
            }));
        }
        Ok(prepared)
    }
}

impl<'a> OrderCtx<'a> {
    /// Pass 1: every line's product, unit, base quantity and constraints;
    /// a line that passes is counted in the order-wide quantities (only
    /// when every total it adds to fits). Guarantees pass 2 the lines that
    /// may be priced, in request order, and the order's sku and group
    /// quantities over exactly those lines (pass 2 takes out those it
    /// cannot price).
    pub(super) fn prepare_lines(
        &mut self,
        request: &PriceRequest,
        problems: &mut Problems,
    ) -> Vec<Prepared<'a>> {
        // Every line's product first, in a loop of lookups alone: they are
        // independent, so their cache misses overlap.
        let book: &'a PriceBook = self.book;
        let customer: &'a Customer = self.customer;
        let found: Vec<_> = request
            .lines
            .iter()
            .map(|line| book.catalog.orderable(&line.sku, customer, ""))
            .collect();
        let mut prepared = Vec::with_capacity(request.lines.len());
        for ((i, line), found) in request.lines.iter().enumerate().zip(found) {
            let counted = self
                .prepare(i, line, found)
                .and_then(|p| self.count_in_order(p));
            match counted {
                Ok(p) => prepared.push(p),
                Err(e) => problems.push((i, e)),
            }
        }
        prepared
    }
}
