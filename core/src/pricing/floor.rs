//! The floor of a product: one definition, read by pricing's floor guard
//! and by the approval facts.

use rust_decimal::Decimal;

use crate::catalog::Product;
use crate::money::{self, MoneyError};

/// The floor per base unit of `p` in `currency`: the higher of its
/// `floor_price` (when the book's currency `book_currency` is `currency`)
/// and its min-margin floor, cost × (1 + min margin / 100) (when the cost
/// is in `currency`); `None` without either.
pub(crate) fn product_floor(
    p: &Product,
    currency: &str,
    book_currency: &str,
) -> Result<Option<Decimal>, MoneyError> {
    let by_price = p.floor_price.filter(|_| book_currency == currency);
    let by_margin = match (&p.cost, p.min_margin_pct) {
        (Some(cost), Some(m)) if cost.currency == currency => {
            let f = money::add(
                Decimal::ONE,
                money::div(m, Decimal::ONE_HUNDRED, "margin")?,
                "margin",
            )?;
            Some(money::mul(cost.amount, f, "margin floor")?)
        }
        _ => None,
    };
    Ok(match (by_price, by_margin) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    })
}
