//! Phases 1, 4 and 12b of invoice computation: the document as a whole
//! (limits, number, terms, parties), a note's original invoice, and the
//! order lines an invoice bills. Each guarantees the later phases an input
//! they need not check again.

use super::*;

/// Phase 1: the document as a whole — line counts within the limits, the
/// number valid and not yet issued, one kind of payment terms, seller and
/// buyer named. Guarantees the later phases a non-empty set of lines.
pub(super) fn validate_header(input: &InvoiceInput) -> Result<(), InvoiceError> {
    if input.issued_numbers.len() > HARD_MAX_LINES {
        return Err(InvoiceError::TooManyLines {
            field: "issued_numbers".to_owned(),
            count: input.issued_numbers.len(),
            max: HARD_MAX_LINES,
        });
    }
    validate_number_at(&input.number, &input.issued_numbers, "number")?;
    if input.order_terms.is_some() && !input.payment_terms.is_empty() {
        return Err(InvoiceError::InvalidPaymentTerms {
            field: "order_terms".to_owned(),
            reason: "give either payment_terms or order_terms, not both".to_owned(),
        });
    }
    let max = input.settings.max_lines.min(HARD_MAX_LINES);
    if input.lines.is_empty() {
        return Err(InvoiceError::EmptyInvoice {
            field: "lines".to_owned(),
        });
    }
    if input.lines.len() > max {
        return Err(InvoiceError::TooManyLines {
            field: "lines".to_owned(),
            count: input.lines.len(),
            max,
        });
    }
    if input.seller.legal_name.trim().is_empty() {
        return Err(missing(
            "seller.legal_name",
            "the seller's name is required",
        ));
    }
    if input.buyer.legal_name.trim().is_empty() {
        return Err(missing("buyer.legal_name", "the buyer's name is required"));
    }
    Ok(())
}

/// Phase 4: a note's original invoice — present, numbered, not dated after
/// the note, with lines for a credit note, its amounts in range. Guarantees
/// `Some` exactly for notes; the original's date is the rate date.
pub(super) fn original_document(
    input: &InvoiceInput,
) -> Result<Option<&OriginalInvoice>, InvoiceError> {
    if input.document_type == DocumentType::Invoice {
        return Ok(None);
    }
    let o = input
        .original
        .as_ref()
        .ok_or_else(|| missing("original", "a note refers to its original invoice"))?;
    if o.number.trim().is_empty() {
        return Err(missing("original.number", "the original invoice's number"));
    }
    if o.date > input.date {
        return Err(invalid(
            "original.date",
            o.date,
            format!(
                "the original invoice is dated after the note ({})",
                input.date
            ),
        ));
    }
    if input.document_type == DocumentType::CreditNote && o.lines.is_empty() {
        return Err(missing(
            "original.lines",
            "a credit note needs the original lines to cap the credit",
        ));
    }
    for (k, ol) in o.lines.iter().enumerate() {
        let f = index("original.lines", k);
        check_range(
            ol.taxable_value,
            || path(&f, "taxable_value"),
            AMOUNT_MAX,
            2,
        )?;
        check_range(
            ol.already_credited,
            || path(&f, "already_credited"),
            AMOUNT_MAX,
            2,
        )?;
    }
    Ok(Some(o))
}

pub(super) fn check_order_lines(lines: &[LineInput], advance: bool) -> Result<(), InvoiceError> {
    struct Seen<'a> {
        first: usize,
        r: &'a OrderLineRef,
        sum: Decimal,
    }
    let mut seen: BTreeMap<(&str, &str), Seen> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(r) = &line.order_ref else { continue };
        let f = path(&index("lines", i), "order_ref");
        check_range(r.ordered, || path(&f, "ordered"), QTY_MAX, 3)?;
        check_range(r.shipped, || path(&f, "shipped"), QTY_MAX, 3)?;
        check_range(
            r.already_invoiced,
            || path(&f, "already_invoiced"),
            QTY_MAX,
            3,
        )?;
        let entry = seen
            .entry((r.order_id.as_str(), r.line_id.as_str()))
            .or_insert(Seen {
                first: i,
                r,
                sum: Decimal::ZERO,
            });
        if entry.r.ordered != r.ordered
            || entry.r.shipped != r.shipped
            || entry.r.already_invoiced != r.already_invoiced
        {
            return Err(InvoiceError::InconsistentShipments {
                field: f,
                reason: format!(
                    "order line {}/{} has other quantities than on lines[{}]",
                    r.order_id, r.line_id, entry.first
                ),
            });
        }
        entry.sum += line.quantity;
        let limit = if advance { r.ordered } else { r.shipped };
        let requested = entry.sum + r.already_invoiced;
        if requested > limit {
            return Err(InvoiceError::OverInvoiced {
                field: path(&index("lines", i), "quantity"),
                order_line: format!("{}/{}", r.order_id, r.line_id),
                limit,
                requested,
            });
        }
    }
    Ok(())
}
