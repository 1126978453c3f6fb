//! Phases 6 and 7 of invoice computation: charges (as lines, spread over
//! goods or after tax) and the order discount spread over the goods lines,
//! with the exact largest-remainder spreads they share.

use super::*;

/// An order discount spread over lines as an invoice spreads it (by
/// [`spread`], capped at each line's value), so a shipment's e-way bill
/// values agree with the invoice of that shipment.
pub(crate) fn spread_discount(total: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    spread(total, weights, true)
}

/// Splits `total` over `weights` in proportion, rounded to paise; the
/// remainder goes to the last line with weight, or to the largest line if
/// `cap` and the last cannot absorb it within its weight.
pub(super) fn spread(total: Decimal, weights: &[Decimal], cap: bool) -> Vec<Decimal> {
    let mut shares = vec![Decimal::ZERO; weights.len()];
    if total.is_zero() || weights.is_empty() {
        return shares;
    }
    let sum: Decimal = weights.iter().copied().sum();
    if sum.is_zero() {
        if let Some(last) = shares.last_mut() {
            *last = total;
        }
        return shares;
    }
    match spread_paise(total, weights) {
        Some(exact) => shares = exact,
        None => {
            for (s, w) in shares.iter_mut().zip(weights) {
                *s = match total.checked_mul(*w) {
                    Some(tw) => r2(tw / sum),
                    None => r2(total * (*w / sum)),
                };
            }
        }
    }
    let allocated: Decimal = shares.iter().copied().sum();
    let rem = total - allocated;
    if rem.is_zero() {
        return shares;
    }
    let last = weights.iter().rposition(|w| !w.is_zero()).unwrap_or(0);
    let fits = |i: usize| {
        let s = shares.get(i).copied().unwrap_or_default() + rem;
        let w = weights.get(i).copied().unwrap_or_default();
        !s.is_sign_negative() && (!cap || s <= w)
    };
    let target = if fits(last) {
        last
    } else {
        let mut best = 0;
        for (i, w) in weights.iter().enumerate() {
            if weights.get(best).is_some_and(|b| w > b) {
                best = i;
            }
        }
        best
    };
    if let Some(s) = shares.get_mut(target) {
        *s += rem;
    }
    shares
}

/// An amount in paise when it has at most 2 decimals.
pub(super) fn paise(d: Decimal) -> Option<i128> {
    if d.scale() == 2 {
        return Some(d.mantissa());
    }
    let r = r2(d);
    (r == d).then(|| r.mantissa())
}

/// Exact proportional shares in integer paise, rounded half-up:
/// `(2·total·w + sum) div (2·sum)`. `None` when a value has more than 2
/// decimals, is negative, or the products overflow (the caller falls back to
/// decimals).
pub(super) fn spread_paise(total: Decimal, weights: &[Decimal]) -> Option<Vec<Decimal>> {
    let t = paise(total).filter(|t| *t >= 0)?;
    let mut ws = Vec::with_capacity(weights.len());
    let mut sum: i128 = 0;
    for w in weights {
        let w = paise(*w).filter(|w| *w >= 0)?;
        sum = sum.checked_add(w)?;
        ws.push(w);
    }
    let den = sum.checked_mul(2).filter(|d| *d > 0)?;
    ws.into_iter()
        .map(|w| {
            let num = t.checked_mul(w)?.checked_mul(2)?.checked_add(sum)?;
            Decimal::try_from_i128_with_scale(num / den, 2).ok()
        })
        .collect()
}

/// An amount shown with at least 2 decimals (`0` → `0.00`).
pub(super) fn paise_scale(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// Phase 6: charges. Each is described and in range, converted to INR;
/// spread-over-goods and after-tax charges are summed, service-line charges
/// become lines (SAC default 9965, class default GST18). Guarantees the
/// draft's lines are the goods lines followed by the charge lines.
pub(super) fn charges(
    input: &InvoiceInput,
    rates: &RateTable,
    fx: &Fx,
    rate_date: NaiveDate,
    draft: &mut Draft,
) -> Result<(), InvoiceError> {
    let min_len = input.settings.hsn_min_length;
    for (j, c) in input.charges.iter().enumerate() {
        let f = index("charges", j);
        if c.description.trim().is_empty() {
            return Err(missing(
                &path(&f, "description"),
                "every charge needs a description",
            ));
        }
        check_range(c.amount, || path(&f, "amount"), AMOUNT_MAX, fx.amount_dp)?;
        let amount = r2(fx.to_inr(c.amount));
        match c.billing {
            ChargeBilling::SpreadOverGoods => draft.spread_total += amount,
            ChargeBilling::AfterTax => draft.after_tax += amount,
            ChargeBilling::ServiceLine => {
                let sac = c.sac.as_deref().unwrap_or("9965");
                let info = validate_hsn(sac, min_len, &path(&f, "sac"))?;
                if !info.is_service {
                    return Err(InvoiceError::Tax(TaxError::InvalidHsn {
                        field: path(&f, "sac"),
                        value: sac.to_owned(),
                        reason: "a SAC (service code) starts with 99".to_owned(),
                    }));
                }
                let class = c.rate_class.as_deref().unwrap_or("GST18");
                let r = rates.resolve(Some(class), None, rate_date, &path(&f, "rate_class"))?;
                draft.cesses.push(r.cess);
                draft.lines.push(InvoiceLine {
                    sl_no: draft.lines.len() + 1,
                    description: c.description.trim().to_owned(),
                    hsn: info.code,
                    is_service: true,
                    quantity: Decimal::ONE,
                    uqc: "OTH".to_owned(),
                    unit_price: amount,
                    gross: amount,
                    kind: r.kind,
                    notified_rate: r.gst_rate,
                    rate_source: r.source,
                    from_charge: true,
                    ..blank_line()
                });
            }
        }
    }
    Ok(())
}

/// Phase 7a: the order discount, in range and not above the lines' value,
/// spread over the non-charge lines by value after line discounts (capped
/// at each line's value). Guarantees every line's discount ≤ its gross.
pub(super) fn spread_order_discount(
    input: &InvoiceInput,
    fx: &Fx,
    lines: &mut [InvoiceLine],
) -> Result<(), InvoiceError> {
    check_range(
        input.order_discount,
        || "order_discount".to_owned(),
        AMOUNT_MAX,
        fx.amount_dp,
    )?;
    let order_discount = r2(fx.to_inr(input.order_discount));
    if !order_discount.is_zero() {
        let weights: Vec<Decimal> = lines
            .iter()
            .map(|p| {
                if p.from_charge {
                    Decimal::ZERO
                } else {
                    p.gross - p.discount
                }
            })
            .collect();
        let available: Decimal = weights.iter().copied().sum();
        if order_discount > available {
            return Err(invalid(
                "order_discount",
                input.order_discount,
                "exceeds the value of the lines",
            ));
        }
        for (p, s) in lines.iter_mut().zip(spread(order_discount, &weights, true)) {
            p.discount += s;
        }
    }
    Ok(())
}

/// Phase 7b: charges spread over goods, by value after discounts (over the
/// goods lines when there are any, else every non-charge line; evenly when
/// there is no value to weigh by). Guarantees the spread adds up to the
/// charges' total exactly.
pub(super) fn spread_charges(spread_total: Decimal, lines: &mut [InvoiceLine]) {
    if spread_total.is_zero() {
        return;
    }
    let goods = lines.iter().any(|p| !p.is_service && !p.from_charge);
    let weights: Vec<Decimal> = lines
        .iter()
        .map(|p| {
            if p.from_charge || (goods && p.is_service) {
                Decimal::ZERO
            } else {
                p.gross - p.discount
            }
        })
        .collect();
    let mut eligible = weights.clone();
    if eligible.iter().all(|w| w.is_zero()) {
        // No value to weigh by: spread evenly over the lines.
        eligible = lines
            .iter()
            .map(|p| Decimal::from(!p.from_charge as u8))
            .collect();
    }
    for (p, s) in lines.iter_mut().zip(spread(spread_total, &eligible, false)) {
        p.charges += s;
    }
}
