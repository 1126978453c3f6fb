//! The HSN summary of an invoice: its lines grouped by HSN, rate and UQC.

use super::*;

/// Rows grouped by (HSN, rate, UQC), sorted by that key. Rates are
/// normalized, so equal rates have equal representations.
pub(super) fn hsn_summary(lines: &[InvoiceLine]) -> Result<Vec<HsnSummaryRow>, InvoiceError> {
    let mut at: FxHashMap<(&str, i128, u32, &str), usize> = FxHashMap::default();
    let mut groups: Vec<(&InvoiceLine, Acc, [Acc; 7])> = Vec::new();
    for l in lines {
        let key = (
            l.hsn.as_str(),
            l.gst_rate.mantissa(),
            l.gst_rate.scale(),
            l.uqc.as_str(),
        );
        let i = *at.entry(key).or_insert_with(|| {
            groups.push((l, Acc::default(), Default::default()));
            groups.len() - 1
        });
        let Some((_, qty, acc)) = groups.get_mut(i) else {
            continue;
        };
        qty.rest += l.quantity;
        let [taxable, igst, cgst, sgst, cess, state_cess, total] = acc;
        taxable.add(l.taxable_value);
        igst.add(l.igst);
        cgst.add(l.cgst);
        sgst.add(l.sgst);
        cess.add(l.cess);
        cess.add(l.cess_non_advol);
        state_cess.add(l.state_cess);
        state_cess.add(l.state_cess_non_advol);
        total.add(l.total);
    }
    let mut rows = Vec::with_capacity(groups.len());
    for (l, qty, [taxable, igst, cgst, sgst, cess, state_cess, total]) in groups {
        rows.push(HsnSummaryRow {
            hsn: l.hsn.clone(),
            gst_rate: l.gst_rate,
            uqc: l.uqc.clone(),
            quantity: qty.rest,
            taxable_value: taxable.get()?,
            igst: igst.get()?,
            cgst: cgst.get()?,
            sgst: sgst.get()?,
            cess: cess.get()?,
            state_cess: state_cess.get()?,
            total: total.get()?,
        });
    }
    rows.sort_by(|a, b| {
        (a.hsn.as_str(), a.gst_rate, a.uqc.as_str()).cmp(&(
            b.hsn.as_str(),
            b.gst_rate,
            b.uqc.as_str(),
        ))
    });
    Ok(rows)
}
