//! Totals of a revision: order discount, GST estimate and grand total.

use rust_decimal::Decimal;

use super::{GstLineEstimate, QuoteError, QuoteRevision};
use crate::money::{self, allocate_proportionally, RoundingMode};

pub(super) fn dec_round(mode: RoundingMode, d: Decimal, dp: u32) -> Decimal {
    mode.round_to_scale(d, dp)
}

/// Recomputes order discount, GST estimate and totals of a revision.
pub(crate) fn recompute(
    rev: &mut QuoteRevision,
    dp: u32,
    mode: RoundingMode,
) -> Result<(), QuoteError> {
    let subtotal = dec_round(
        mode,
        money::sum(rev.lines.iter().map(|l| l.amount), "subtotal")?,
        dp,
    );
    let discount = dec_round(
        mode,
        money::mul(subtotal, rev.order_discount_rate, "order discount")?,
        dp,
    );
    let weights: Vec<Decimal> = rev.lines.iter().map(|l| l.amount).collect();
    let shares = allocate_proportionally(discount, &weights, dp, mode)?;
    let heads = rev.gst.tax_heads();
    let hundred = Decimal::ONE_HUNDRED;
    let mut est_lines = Vec::with_capacity(rev.lines.len() + 1);
    let tax_of =
        |line_id: String, rate: Decimal, taxable: Decimal| -> Result<GstLineEstimate, QuoteError> {
            // The heads not charged are zero at the currency's scale, like
            // the one charged ("0.00" beside "6063.31", never "0").
            let zero = Decimal::new(0, dp);
            let (mut cgst, mut sgst, mut igst, mut utgst) = (zero, zero, zero, zero);
            let half = || -> Result<Decimal, QuoteError> {
                let half = money::div(rate, Decimal::TWO, "gst")?;
                Ok(dec_round(
                    mode,
                    money::div(money::mul(taxable, half, "gst")?, hundred, "gst")?,
                    dp,
                ))
            };
            match heads {
                crate::tax::TaxHeads::CgstSgst => {
                    cgst = half()?;
                    sgst = cgst;
                }
                crate::tax::TaxHeads::CgstUtgst => {
                    cgst = half()?;
                    utgst = cgst;
                }
                crate::tax::TaxHeads::Igst => {
                    igst = dec_round(
                        mode,
                        money::div(money::mul(taxable, rate, "gst")?, hundred, "gst")?,
                        dp,
                    );
                }
                crate::tax::TaxHeads::None => {}
            }
            Ok(GstLineEstimate {
                line_id,
                rate,
                taxable,
                cgst,
                sgst,
                igst,
                utgst,
            })
        };
    let mut max_rate = Decimal::ZERO;
    for (l, share) in rev.lines.iter().zip(shares) {
        let taxable = dec_round(mode, money::sub(l.amount, share, "taxable")?, dp);
        max_rate = max_rate.max(l.gst_rate);
        est_lines.push(tax_of(l.line_id.clone(), l.gst_rate, taxable)?);
    }
    if !rev.totals.shipping.is_zero() {
        est_lines.push(tax_of("shipping".into(), max_rate, rev.totals.shipping)?);
    }
    let cgst = money::sum(est_lines.iter().map(|e| e.cgst), "cgst")?;
    let sgst = money::sum(est_lines.iter().map(|e| e.sgst), "sgst")?;
    let igst = money::sum(est_lines.iter().map(|e| e.igst), "igst")?;
    let utgst = money::sum(est_lines.iter().map(|e| e.utgst), "utgst")?;
    let gst = money::add(
        money::add(money::add(cgst, sgst, "gst")?, igst, "gst")?,
        utgst,
        "gst",
    )?;
    rev.gst.lines = est_lines;
    rev.gst.cgst = cgst;
    rev.gst.sgst = sgst;
    rev.gst.igst = igst;
    rev.gst.utgst = utgst;
    rev.gst.total = gst;
    // Under reverse charge the recipient pays the tax: shown, not collected.
    let gst = if rev.gst.reverse_charge {
        Decimal::ZERO
    } else {
        gst
    };
    let before = dec_round(
        mode,
        money::add(
            money::sub(subtotal, discount, "total")?,
            rev.totals.shipping,
            "total",
        )?,
        dp,
    );
    rev.totals.subtotal = subtotal;
    rev.totals.order_discount = discount;
    rev.totals.total_before_tax = before;
    rev.totals.gst = dec_round(mode, gst, dp);
    rev.totals.grand_total = dec_round(mode, money::add(before, gst, "grand total")?, dp);
    Ok(())
}
