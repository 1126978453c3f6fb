//! Phases 11 and 12a of invoice computation: totals and round-off, and
//! Rule 46's delivery address for large unregistered supplies.

use super::*;

/// Phase 11: totals and round-off — sums of the rounded lines per head,
/// after-tax charges, then the grand total (or, under reverse charge, the
/// amount payable) rounded to the rupee when the settings ask. Guarantees
/// every total is shown with at least 2 decimals.
pub(super) fn totals(
    input: &InvoiceInput,
    regime: &RegimeDecision,
    lines: &[InvoiceLine],
    after_tax: Decimal,
) -> Result<Totals, InvoiceError> {
    let mut t = Totals::default();
    let mut acc: [Acc; 10] = Default::default();
    for l in lines {
        let [gross, discount, charges, taxable, nil, cgst, sgst, igst, cess, state_cess] = &mut acc;
        gross.add(l.gross);
        discount.add(l.discount);
        charges.add(l.charges);
        if l.kind == RateKind::Taxable {
            taxable.add(l.taxable_value);
        } else {
            nil.add(l.taxable_value);
        }
        cgst.add(l.cgst);
        sgst.add(l.sgst);
        igst.add(l.igst);
        cess.add(l.cess);
        cess.add(l.cess_non_advol);
        state_cess.add(l.state_cess);
        state_cess.add(l.state_cess_non_advol);
    }
    let [gross, discount, charges, taxable, nil, cgst, sgst, igst, cess, state_cess] = &acc;
    t.gross = gross.get()?;
    t.discount = discount.get()?;
    t.charges_in_value = charges.get()?;
    t.taxable_value = taxable.get()?;
    t.nil_exempt_value = nil.get()?;
    t.cgst = cgst.get()?;
    t.sgst = sgst.get()?;
    t.igst = igst.get()?;
    t.cess = cess.get()?;
    t.state_cess = state_cess.get()?;
    t.total_tax = t.cgst + t.sgst + t.igst + t.cess + t.state_cess;
    t.charges_after_tax = after_tax;
    let round = |x: Decimal| {
        if input.settings.round_off {
            r2(RoundingMode::HalfUp.round(x, 0))
        } else {
            r2(x)
        }
    };
    if regime.reverse_charge {
        let base = t.taxable_value + t.nil_exempt_value + after_tax;
        t.amount_payable = round(base);
        t.round_off = t.amount_payable - base;
        t.tax_payable_by_recipient = t.total_tax;
        t.grand_total = t.amount_payable + t.total_tax;
    } else {
        let before = t.taxable_value + t.nil_exempt_value + t.total_tax + after_tax;
        t.grand_total = round(before);
        t.round_off = t.grand_total - before;
        t.amount_payable = t.grand_total;
    }
    t.round_off = r2(t.round_off);
    for v in [
        &mut t.charges_after_tax,
        &mut t.total_tax,
        &mut t.tax_payable_by_recipient,
        &mut t.amount_payable,
        &mut t.grand_total,
    ] {
        *v = paise_scale(*v);
    }
    Ok(t)
}

/// Phase 12a, Rule 46: an unregistered buyer (B2C, also an overseas one
/// whose goods stay in India) of ₹50,000 or more needs a delivery address
/// and state (of the ship-to party when there is one).
pub(super) fn check_rule_46(
    input: &InvoiceInput,
    regime: &RegimeDecision,
    t: &Totals,
) -> Result<(), InvoiceError> {
    if input.buyer.gstin.is_none()
        && regime.supply_type == SupplyType::B2c
        && t.grand_total >= Decimal::from(50_000)
    {
        let (p, base) = match &input.ship_to {
            Some(p) => (p, "ship_to"),
            None => (&input.buyer, "buyer"),
        };
        if p.address.line1.trim().is_empty() {
            return Err(missing(
                &format!("{base}.address.line1"),
                "an unregistered buyer's delivery address is required at ₹50,000 or more",
            ));
        }
        if p.address.state_code.trim().is_empty() {
            return Err(missing(
                &format!("{base}.address.state_code"),
                "an unregistered buyer's delivery state is required at ₹50,000 or more",
            ));
        }
    }
    Ok(())
}
