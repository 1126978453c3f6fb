//! Phases 8 to 10 of invoice computation: the document kind, tax heads
//! per line (inclusive or exclusive prices) and a credit note's cap.

use super::*;

/// Phase 8: the document kind — a note as such; an invoice is a bill of
/// supply when the regime says so or no line is taxable, else a tax
/// invoice.
pub(super) fn document_kind(
    input: &InvoiceInput,
    regime: &RegimeDecision,
    lines: &[InvoiceLine],
) -> DocumentKind {
    let any_taxable = lines.iter().any(|p| p.kind == RateKind::Taxable);
    match input.document_type {
        DocumentType::CreditNote => DocumentKind::CreditNote,
        DocumentType::DebitNote => DocumentKind::DebitNote,
        DocumentType::Invoice if regime.bill_of_supply || !any_taxable => {
            DocumentKind::BillOfSupply
        }
        DocumentType::Invoice => DocumentKind::TaxInvoice,
    }
}

/// Phase 9: tax heads per line. A taxable line of a taxed, not zero-rated
/// document takes the regime's heads at its notified rate (and its cess);
/// every other line has no heads. Guarantees each line's total is its
/// taxable value plus its taxes, every amount in paise.
pub(super) fn tax_lines(
    input: &InvoiceInput,
    regime: &RegimeDecision,
    kind: DocumentKind,
    lines: &mut [InvoiceLine],
    cesses: &[Cess],
) -> Result<(), InvoiceError> {
    let no_tax = regime.bill_of_supply || kind == DocumentKind::BillOfSupply;
    let inclusive = input.settings.prices_include_tax;
    for (i, (p, pcess)) in lines.iter_mut().zip(cesses).enumerate() {
        let f = || {
            if i < input.lines.len() {
                index("lines", i)
            } else {
                index("charges", i - input.lines.len())
            }
        };
        let heads = if no_tax || p.kind != RateKind::Taxable || regime.zero_rated {
            TaxHeads::None
        } else {
            regime.heads
        };
        let charged = heads != TaxHeads::None;
        let g = if charged {
            p.notified_rate
        } else {
            Decimal::ZERO
        };
        let none = Cess::default();
        let cess = if charged { pcess } else { &none };
        let t = if inclusive && charged {
            inclusive_tax(p, heads, g, cess).map_err(|reason| InvoiceError::Unsupported {
                field: f(),
                reason: reason.to_owned(),
            })?
        } else {
            exclusive_tax(p, heads, g, cess, inclusive)
        };
        let total = t.taxable + t.cgst + t.sgst + t.igst + t.ces + t.ces_na + t.st + t.st_na;
        p.unit_price = t.unit_price;
        p.gross = t.gross;
        p.discount = t.discount;
        p.charges = t.charges;
        p.taxable_value = t.taxable;
        p.gst_rate = g;
        p.heads = heads;
        p.cgst = t.cgst;
        p.sgst = t.sgst;
        p.igst = t.igst;
        p.cess_rate = cess.ad_valorem;
        p.cess = t.ces;
        p.cess_non_advol = t.ces_na;
        p.state_cess_rate = cess.state_ad_valorem;
        p.state_cess = t.st;
        p.state_cess_non_advol = t.st_na;
        p.total = total;
        p.inclusive_amount = t.inclusive_amount;
    }
    Ok(())
}

/// One line's amounts after tax (phase 9).
pub(super) struct LineTax {
    pub(super) unit_price: Decimal,
    pub(super) gross: Decimal,
    pub(super) discount: Decimal,
    pub(super) charges: Decimal,
    pub(super) taxable: Decimal,
    pub(super) cgst: Decimal,
    pub(super) sgst: Decimal,
    pub(super) igst: Decimal,
    pub(super) ces: Decimal,
    pub(super) ces_na: Decimal,
    pub(super) st: Decimal,
    pub(super) st_na: Decimal,
    pub(super) inclusive_amount: Option<Decimal>,
}

/// Phase 9, a tax-inclusive price: the taxable value is the base divided by
/// (1 + rates), the tax the rest, split so that the halves of CGST/SGST are
/// equal (an odd paisa moves to the taxable value) and cess takes what GST
/// leaves; gross, discount, charges and unit price are restated net of tax.
/// Fails (with the reason) on a specific per-unit cess.
pub(super) fn inclusive_tax(
    p: &InvoiceLine,
    heads: TaxHeads,
    g: Decimal,
    cess: &Cess,
) -> Result<LineTax, &'static str> {
    let hundred = Decimal::ONE_HUNDRED;
    if !(cess.per_unit.is_zero() && cess.state_per_unit.is_zero()) {
        return Err("tax-inclusive prices with a specific (per unit) cess");
    }
    let base = p.gross - p.discount + p.charges;
    let (mut cgst, mut sgst, mut igst) = (ZERO2, ZERO2, ZERO2);
    let mut st = ZERO2;
    let factor = Decimal::ONE + (g + cess.ad_valorem + cess.state_ad_valorem) / hundred;
    let exact = base / factor;
    let mut t = r2(exact);
    let mut tax = base - t;
    let has_cess = !(cess.ad_valorem.is_zero() && cess.state_ad_valorem.is_zero());
    let split = matches!(heads, TaxHeads::CgstSgst | TaxHeads::CgstUtgst);
    let gst_total = if !has_cess {
        if split && (tax * hundred) % Decimal::TWO != Decimal::ZERO {
            // An odd paisa cannot be halved: take the other paisa
            // next to the exact quotient (still within 0.01 of it).
            let paisa = Decimal::new(1, 2);
            if t >= exact {
                t -= paisa;
                tax += paisa;
            } else {
                t += paisa;
                tax -= paisa;
            }
        }
        tax
    } else if split {
        Decimal::TWO * r2(t * g / (Decimal::TWO * hundred))
    } else {
        r2(t * g / hundred)
    };
    if split {
        cgst = r2(gst_total / Decimal::TWO);
        sgst = cgst;
    } else {
        igst = gst_total;
    }
    let rest = tax - gst_total;
    let ces = if cess.state_ad_valorem.is_zero() {
        rest
    } else {
        let c = r2(t * cess.ad_valorem / hundred);
        st = rest - c;
        c
    };
    let taxable = t;
    let discount = r2(p.discount / factor);
    let mut charges = r2(p.charges / factor);
    let mut gross = taxable + discount - charges;
    if gross.is_sign_negative() {
        charges += gross;
        gross = Decimal::ZERO;
    }
    Ok(LineTax {
        unit_price: RoundingMode::HalfUp.round(p.unit_price / factor, 6),
        gross,
        discount,
        charges,
        taxable,
        cgst,
        sgst,
        igst,
        ces,
        ces_na: ZERO2,
        st,
        st_na: ZERO2,
        inclusive_amount: Some(base),
    })
}

/// Phase 9, a tax-exclusive price (or an untaxed line): the taxable value
/// is the base, each head its rate on it rounded to paise, per-unit cess on
/// the quantity. Gross, discount, charges and unit price are kept.
pub(super) fn exclusive_tax(
    p: &InvoiceLine,
    heads: TaxHeads,
    g: Decimal,
    cess: &Cess,
    inclusive: bool,
) -> LineTax {
    let base = p.gross - p.discount + p.charges;
    let (mut cgst, mut sgst, mut igst) = (ZERO2, ZERO2, ZERO2);
    let taxable = base;
    // Rates are percentages: × 0.01 (IGST) or × 0.005 (each half)
    // is exact and cheaper than dividing.
    match heads {
        TaxHeads::Igst => igst = r2(taxable * (g * Decimal::new(1, 2))),
        TaxHeads::CgstSgst | TaxHeads::CgstUtgst => {
            cgst = r2(taxable * (g * Decimal::new(5, 3)));
            sgst = cgst;
        }
        TaxHeads::None => {}
    }
    let pct = |rate: Decimal| {
        if rate.is_zero() {
            ZERO2
        } else {
            r2(taxable * (rate * Decimal::new(1, 2)))
        }
    };
    let per_unit = |amount: Decimal| {
        if amount.is_zero() {
            ZERO2
        } else {
            r2(p.quantity * amount)
        }
    };
    LineTax {
        unit_price: p.unit_price,
        gross: p.gross,
        discount: p.discount,
        charges: p.charges,
        taxable,
        cgst,
        sgst,
        igst,
        ces: pct(cess.ad_valorem),
        ces_na: per_unit(cess.per_unit),
        st: pct(cess.state_ad_valorem),
        st_na: per_unit(cess.state_per_unit),
        inclusive_amount: inclusive.then_some(base),
    }
}

/// Phase 10a: a credit note may not credit more than remains of the
/// original, per original line and in total.
pub(super) fn check_credit_cap(
    input: &InvoiceInput,
    original: Option<&OriginalInvoice>,
    lines: &[InvoiceLine],
) -> Result<(), InvoiceError> {
    let (DocumentType::CreditNote, Some(o)) = (input.document_type, original) else {
        return Ok(());
    };
    let mut per_line: BTreeMap<usize, Decimal> = BTreeMap::new();
    for (i, (line, li)) in lines.iter().zip(&input.lines).enumerate() {
        if let Some(k) = li.original_line {
            let sum = per_line.entry(k).or_default();
            *sum += line.taxable_value;
            let ol = o.lines.get(k);
            let remaining = ol
                .map(|ol| ol.taxable_value - ol.already_credited)
                .unwrap_or_default();
            if *sum > remaining {
                return Err(InvoiceError::OverCredited {
                    field: path(&index("lines", i), "original_line"),
                    remaining,
                    requested: *sum,
                });
            }
        }
    }
    let remaining: Decimal = o
        .lines
        .iter()
        .map(|ol| ol.taxable_value - ol.already_credited)
        .sum();
    let requested: Decimal = lines.iter().map(|l| l.taxable_value).sum();
    if requested > remaining {
        return Err(InvoiceError::OverCredited {
            field: "lines".to_owned(),
            remaining,
            requested,
        });
    }
    Ok(())
}
