//! Checkers of `ValDtls` and `PayDtls`: the field tables, then the sums.

use rust_decimal::Decimal;

use super::checker::{too_large, Checker};
use super::rules::{PAY, VAL, VAL_AMOUNTS, VAL_SUMS};
use super::types::*;

/// Section `ValDtls`, amounts: the field table ([`VAL`]: decimals, signs,
/// maximums, the round-off's ±99.99). Returns true (and reports it) when
/// a total exceeds 10^18, so that [`check_val_dtls_sums`] is skipped.
pub(super) fn check_val_dtls_amounts(c: &mut Checker, v: &ValDtls) -> bool {
    c.fields("ValDtls", v, &VAL);
    if VAL_AMOUNTS.iter().any(|get| too_large(get(v))) {
        c.add(
            "AMOUNT_TOO_LARGE",
            "ValDtls",
            "an amount of the totals exceeds 10^18".to_owned(),
        );
        return true;
    }
    false
}

/// Section `ValDtls`, sums: each total of [`VAL_SUMS`] is the sum of its
/// item amount, and `TotInvVal` is the items plus charges less discount
/// plus round-off. Runs only when no amount is too large (so no sum
/// overflows).
pub(super) fn check_val_dtls_sums(c: &mut Checker, e: &EInvoice) {
    let v = &e.val_dtls;
    let items = &e.item_list;
    let sum = |g: fn(&ItemDtls) -> Decimal| items.iter().map(g).sum::<Decimal>();
    for (field, header, item) in &VAL_SUMS {
        let (header, items_sum) = (header(v), sum(*item));
        if header != items_sum {
            c.add(
                "TOTAL_MISMATCH",
                field,
                format!("{header} ≠ sum of items {items_sum}"),
            );
        }
    }
    let expected = sum(|i| i.tot_item_val) + v.oth_chrg - v.discount + v.rnd_off_amt;
    if v.tot_inv_val != expected {
        c.add(
            "TOTAL_MISMATCH",
            "ValDtls.TotInvVal",
            format!(
                "{} ≠ items {} + OthChrg {} − Discount {} + RndOffAmt {}",
                v.tot_inv_val,
                sum(|i| i.tot_item_val),
                v.oth_chrg,
                v.discount,
                v.rnd_off_amt
            ),
        );
    }
}

/// Section `PayDtls`: the field table ([`PAY`]: credit days, amounts).
pub(super) fn check_pay_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(p) = &e.pay_dtls {
        c.fields("PayDtls", p, &PAY);
    }
}
