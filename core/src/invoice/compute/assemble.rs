//! Phases 14 and 15 of invoice computation: endorsements, an export's
//! summary, and the assembled document with its issue event.

use super::*;

/// Phase 14a: the endorsements to print — the regime's, reverse charge,
/// and a regular supplier's bill of supply.
pub(super) fn endorsements(
    input: &InvoiceInput,
    regime: &RegimeDecision,
    kind: DocumentKind,
) -> Vec<String> {
    let mut endorsements = Vec::new();
    if let Some(e) = &regime.endorsement {
        endorsements.push(e.clone());
    }
    if regime.reverse_charge {
        endorsements.push("Tax is payable on reverse charge basis: Yes".to_owned());
    }
    if kind == DocumentKind::BillOfSupply
        && input.supplier_registration == SupplierRegistration::Regular
    {
        endorsements.push("Bill of supply: exempt, nil-rated or non-GST supply".to_owned());
    }
    endorsements
}

/// Phase 14b: an export's total in its currency, with words (none when
/// the regime decided no export, though export details were given).
pub(super) fn export_summary(
    input: &InvoiceInput,
    regime: &RegimeDecision,
    fx: &Fx,
    t: &Totals,
) -> Result<Option<ExportSummary>, InvoiceError> {
    match &input.export {
        Some(ex) if is_export(regime) => {
            let cur = fx.currencies.get_at(&ex.currency, "export.currency")?;
            let total_foreign =
                RoundingMode::HalfUp.round_to_scale(t.grand_total / fx.xr, cur.minor_units);
            Ok(Some(ExportSummary {
                details: ex.clone(),
                total_foreign,
                total_foreign_in_words: amount_in_words(total_foreign, &cur.code)?,
            }))
        }
        _ => Ok(None),
    }
}

/// What the phases computed, for the assembly.
pub(super) struct Parts<'a> {
    pub(super) kind: DocumentKind,
    pub(super) rate_date: NaiveDate,
    pub(super) regime: RegimeDecision,
    pub(super) lines: Vec<InvoiceLine>,
    pub(super) hsn_summary: Vec<HsnSummaryRow>,
    pub(super) totals: Totals,
    pub(super) endorsements: Vec<String>,
    pub(super) original: Option<&'a OriginalInvoice>,
    pub(super) export: Option<ExportSummary>,
    pub(super) due: Vec<DueDate>,
}

/// Phase 15: the document — title, financial year, place of supply, words
/// and the Indian-format grand total; regime warnings with invoice field
/// names.
pub(super) fn assemble(input: &InvoiceInput, p: Parts<'_>) -> Result<Invoice, InvoiceError> {
    let mut warnings = p.regime.warnings.clone();
    for w in &mut warnings {
        w.field = regime_field(&w.field);
    }
    if input.export.is_some() && p.export.is_none() {
        warnings.push(crate::tax::Warning {
            code: "EXPORT_DETAILS_NOT_USED".to_owned(),
            field: "export".to_owned(),
            message: format!(
                "not an export (place of supply {}): the export details are not used, except that amounts in {} are converted to INR at the rate given",
                p.regime.place_of_supply,
                input.export.as_ref().map_or("INR", |e| e.currency.as_str())
            ),
        });
    }
    let kind = p.kind;
    let t = p.totals;
    let regime = p.regime;
    let title = match kind {
        DocumentKind::TaxInvoice if is_export(&regime) => "Tax Invoice (Export)",
        DocumentKind::TaxInvoice => "Tax Invoice",
        DocumentKind::BillOfSupply => "Bill of Supply",
        DocumentKind::CreditNote => "Credit Note",
        DocumentKind::DebitNote => "Debit Note",
    };
    let mut invoice = Invoice {
        kind,
        title: title.to_owned(),
        number: input.number.clone(),
        date: input.date,
        financial_year: financial_year(input.date)?.short,
        rate_date: p.rate_date,
        seller: input.seller.clone(),
        buyer: input.buyer.clone(),
        ship_to: input.ship_to.clone(),
        dispatch_from: input.dispatch_from.clone(),
        place_of_supply: format!(
            "{} ({})",
            regime.place_of_supply_name, regime.place_of_supply
        ),
        reverse_charge: regime.reverse_charge,
        regime,
        ecommerce_gstin: input.ecommerce_gstin.clone(),
        lines: p.lines,
        hsn_summary: p.hsn_summary,
        amount_in_words: amount_in_words(t.grand_total, "INR")?,
        grand_total_display: format_indian(t.grand_total, 2)?,
        totals: t,
        endorsements: p.endorsements,
        original: p.original.map(|o| DocumentRef {
            number: o.number.clone(),
            date: o.date,
        }),
        export: p.export,
        due_dates: p.due,
        eway_bill: input.eway_bill.clone(),
        warnings,
        events: Vec::new(),
    };
    if let Some(at) = crate::invoice::events::issued_instant(&invoice, input.issued_at) {
        invoice.events = vec![crate::invoice::events::issued_event(&invoice, at)];
    }
    Ok(invoice)
}
