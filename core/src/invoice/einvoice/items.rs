//! Checker of `ItemList`: each item's field table, the UQC, the service
//! flag, the batch, the arithmetic, the notified rate and the tax heads.

use chrono::NaiveDate;

use super::checker::{too_large, Checker};
use super::header::Tran;
use super::rules::{BATCH, ITEM, ITEM_AMOUNTS};
use super::types::*;
use crate::tax::RateTable;

/// Section `ItemList`: 1 to 1,000 items with distinct serial numbers;
/// each item's fields ([`check_item_fields`]) and, when no amount is past
/// the overflow bound, its arithmetic, rate and tax heads; then one kind
/// of heads on the document. Returns whether some item amount exceeds
/// 10^18 (the header sums are then skipped).
pub(super) fn check_item_list(
    c: &mut Checker,
    e: &EInvoice,
    rates: &RateTable,
    tran: &Tran<'_>,
    dates: [Option<NaiveDate>; 2],
) -> bool {
    let n = e.item_list.len();
    if n == 0 || n > 1000 {
        c.add(
            "ITEM_COUNT",
            "ItemList",
            format!("{n} items; 1 to 1000 are allowed"),
        );
    }
    let intra = e.buyer_dtls.pos == e.seller_dtls.stcd;
    let mut too_big = false;
    let (mut any_igst, mut any_split) = (false, false);
    let mut serials: rustc_hash::FxHashSet<&str> = Default::default();
    for (i, it) in e.item_list.iter().enumerate() {
        let at = format!("ItemList[{i}]");
        if !serials.insert(it.sl_no.as_str()) {
            c.add(
                "INVALID_SERIAL",
                &format!("{at}.SlNo"),
                format!("{:?} is repeated", it.sl_no),
            );
        }
        check_item_fields(c, &at, it);
        if ITEM_AMOUNTS.iter().any(|get| too_large(get(it))) {
            c.add(
                "AMOUNT_TOO_LARGE",
                &format!("{at}.TotItemVal"),
                "an amount of this item exceeds 10^18".to_owned(),
            );
            // Arithmetic on such values could overflow: skip the item.
            too_big = true;
            continue;
        }
        check_item_arithmetic(c, &at, it);
        check_item_rate(c, &at, it, rates, dates);
        let (has_igst, has_split) = check_item_heads(c, &at, it, tran, intra);
        any_igst |= has_igst;
        any_split |= has_split;
    }
    if any_igst && any_split {
        c.add(
            "HEADS_MIXED",
            "ItemList",
            "IGST and CGST/SGST on one document".to_owned(),
        );
    }
    too_big
}

/// An item's fields: the field table ([`ITEM`]: lengths, HSN pattern,
/// amounts' decimals, signs and maximums), the batch ([`BATCH`]), the
/// service flag matching a SAC, the unit.
fn check_item_fields(c: &mut Checker, at: &str, it: &ItemDtls) {
    c.fields(at, it, &ITEM);
    if let Some(b) = &it.bch_dtls {
        c.fields(&format!("{at}.BchDtls"), b, &BATCH);
    }
    let service = it.hsn_cd.starts_with("99");
    if it.is_servc != if service { "Y" } else { "N" } {
        c.add(
            "SERVICE_FLAG",
            &format!("{at}.IsServc"),
            format!(
                "{:?} but HSN {} {} a SAC",
                it.is_servc,
                it.hsn_cd,
                if service { "is" } else { "is not" }
            ),
        );
    }
    match &it.unit {
        Some(u) if !crate::invoice::compute::uqc_ok(u) => c.add(
            "INVALID_UQC",
            &format!("{at}.Unit"),
            format!("{u:?} is not a UQC"),
        ),
        None if !service => c.add(
            "INVALID_UQC",
            &format!("{at}.Unit"),
            "goods need a UQC".to_owned(),
        ),
        _ => {}
    }
}

/// An item's arithmetic: `AssAmt = TotAmt − Discount` and `TotItemVal =
/// AssAmt + taxes + OthChrg`.
fn check_item_arithmetic(c: &mut Checker, at: &str, it: &ItemDtls) {
    if it.ass_amt != it.tot_amt - it.discount {
        c.add(
            "ASSESSABLE_MISMATCH",
            &format!("{at}.AssAmt"),
            format!(
                "{} ≠ TotAmt {} − Discount {}",
                it.ass_amt, it.tot_amt, it.discount
            ),
        );
    }
    let taxes = it.igst_amt
        + it.cgst_amt
        + it.sgst_amt
        + it.ces_amt
        + it.ces_non_advl_amt
        + it.state_ces_amt
        + it.state_ces_non_advl_amt;
    if it.tot_item_val != it.ass_amt + taxes + it.oth_chrg {
        c.add(
            "ITEM_TOTAL_MISMATCH",
            &format!("{at}.TotItemVal"),
            format!(
                "{} ≠ AssAmt {} + taxes {} + OthChrg {}",
                it.tot_item_val, it.ass_amt, taxes, it.oth_chrg
            ),
        );
    }
}

/// An item's rate is notified on the document date (or, for a note, on
/// its original invoice's date).
fn check_item_rate(
    c: &mut Checker,
    at: &str,
    it: &ItemDtls,
    rates: &RateTable,
    dates: [Option<NaiveDate>; 2],
) {
    let notified = dates
        .iter()
        .flatten()
        .any(|dt| rates.is_notified_for(it.gst_rt, *dt, Some(&it.hsn_cd)));
    if !notified && dates[0].is_some() {
        c.add(
            "RATE_NOT_NOTIFIED",
            &format!("{at}.GstRt"),
            format!(
                "{}% is not notified on the document (or original) date",
                it.gst_rt
            ),
        );
    }
}

/// An item's tax heads: CGST = SGST; no tax on supplies without payment;
/// CGST/SGST only intra-state on B2B or DEXP; IGST intra-state only with
/// `IgstOnIntra`. Returns (has IGST, has CGST/SGST).
fn check_item_heads(
    c: &mut Checker,
    at: &str,
    it: &ItemDtls,
    tran: &Tran<'_>,
    intra: bool,
) -> (bool, bool) {
    let (sup, igst_on_intra) = (tran.sup, tran.igst_on_intra);
    if it.cgst_amt != it.sgst_amt {
        c.add(
            "CGST_SGST_UNEQUAL",
            &format!("{at}.SgstAmt"),
            format!("CGST {} ≠ SGST {}", it.cgst_amt, it.sgst_amt),
        );
    }
    let has_igst = !it.igst_amt.is_zero();
    let has_split = !(it.cgst_amt.is_zero() && it.sgst_amt.is_zero());
    if tran.without_payment && (has_igst || has_split || !it.ces_amt.is_zero()) {
        c.add(
            "ZERO_RATED_TAX",
            &format!("{at}.IgstAmt"),
            format!("{sup} supplies carry no tax"),
        );
    } else if has_split && (!intra || igst_on_intra || (sup != "B2B" && sup != "DEXP")) {
        c.add(
            "WRONG_TAX_HEADS",
            &format!("{at}.CgstAmt"),
            "CGST/SGST only on intra-state B2B or DEXP supplies".to_owned(),
        );
    } else if has_igst && intra && !igst_on_intra {
        c.add(
            "WRONG_TAX_HEADS",
            &format!("{at}.IgstAmt"),
            "IGST on an intra-state supply needs IgstOnIntra Y".to_owned(),
        );
    }
    (has_igst, has_split)
}
