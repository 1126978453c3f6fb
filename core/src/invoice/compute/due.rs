//! Phase 13 of invoice computation: due dates of the amount payable, and
//! the public `due_dates` helper it uses.

use super::*;

/// Phase 13: due dates of the amount payable, from the order's terms
/// (with its basis dates) or the invoice's own payment terms.
pub(super) fn due(input: &InvoiceInput, t: &Totals) -> Result<Vec<DueDate>, InvoiceError> {
    match &input.order_terms {
        Some(o) => o.due_dates(t.amount_payable, input.date),
        None => due_dates(input.date, t.amount_payable, &input.payment_terms),
    }
}

/// Turns payment terms into due dates: each instalment's percent of
/// `amount`, rounded to paise, the last taking the remainder so they sum
/// exactly; due `days` after `date`.
pub fn due_dates(
    date: NaiveDate,
    amount: Decimal,
    terms: &[Instalment],
) -> Result<Vec<DueDate>, InvoiceError> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let bad = |field: String, reason: &str| InvoiceError::InvalidPaymentTerms {
        field,
        reason: reason.to_owned(),
    };
    let mut total_pct = Decimal::ZERO;
    for (i, t) in terms.iter().enumerate() {
        let f = index("payment_terms", i);
        if t.percent <= Decimal::ZERO || t.percent > Decimal::ONE_HUNDRED {
            return Err(bad(
                path(&f, "percent"),
                "each instalment is above 0 and at most 100 %",
            ));
        }
        if t.days > 3650 {
            return Err(bad(path(&f, "days"), "at most 3650 days"));
        }
        total_pct += t.percent;
    }
    if total_pct != Decimal::ONE_HUNDRED {
        return Err(bad(
            "payment_terms".to_owned(),
            "instalment percentages must sum to 100",
        ));
    }
    check_range(amount.abs(), || "amount".to_owned(), AMOUNT_MAX * 100, 28)?;
    let mut out = Vec::with_capacity(terms.len());
    let mut allocated = Decimal::ZERO;
    for (i, t) in terms.iter().enumerate() {
        let share = if i + 1 == terms.len() {
            r2(amount) - allocated
        } else {
            r2(amount * t.percent / Decimal::ONE_HUNDRED)
        };
        allocated += share;
        let due = date
            .checked_add_days(Days::new(u64::from(t.days)))
            .ok_or_else(|| {
                bad(
                    path(&index("payment_terms", i), "days"),
                    "date out of range",
                )
            })?;
        out.push(DueDate {
            date: due,
            percent: t.percent,
            amount: share,
            advance: false,
        });
    }
    Ok(out)
}
