//! The floor of a line, as approvals see it.
//!
//! Pricing computes one floor per line: the product's `floor_price` (when
//! the book is in the order's currency) or its min-margin floor
//! (cost × (1 + min margin / 100), when the cost is in the order's
//! currency), the higher of the two. A line priced below it is flagged
//! `below_floor` (or clamped to it). The quote's and order's approval facts
//! read that floor from the priced line, so a min-margin floor counts in
//! `lines_below_floor` exactly as pricing flagged it.
//!
//! A line pricing found at or above its floor carries no floor in its
//! status; a seller override may still take it below. For such a line the
//! same floor is taken from the catalog by the same definition, so that an
//! override is measured against the floor pricing would have applied.

use rust_decimal::Decimal;

use crate::catalog::Product;
use crate::money::MoneyError;
use crate::pricing::FloorStatus;

/// The floor per base unit of a priced line of `product`, in `currency`
/// (`book_currency` is the price book's: a `floor_price` is in it): the one
/// pricing reported when the line is below or clamped to it, otherwise the
/// catalog's floor by pricing's definition; `None` without any floor.
pub(crate) fn line_floor(
    status: &FloorStatus,
    product: Option<&Product>,
    currency: &str,
    book_currency: &str,
) -> Result<Option<Decimal>, MoneyError> {
    match status {
        FloorStatus::BelowFloor { floor, .. } | FloorStatus::Clamped { floor, .. } => {
            Ok(Some(*floor))
        }
        FloorStatus::Ok => match product {
            Some(p) => crate::pricing::product_floor(p, currency, book_currency),
            None => Ok(None),
        },
    }
}
