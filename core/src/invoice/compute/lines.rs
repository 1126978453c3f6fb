//! Phase 5 of invoice computation: goods lines in INR, each with its
//! rate, class and cess, before discounts, charges and tax.

use super::*;

/// A line before tax: amounts and rates filled, taxes zero.
pub(super) fn blank_line() -> InvoiceLine {
    InvoiceLine {
        sl_no: 0,
        description: String::new(),
        hsn: String::new(),
        is_service: false,
        quantity: Decimal::ZERO,
        uqc: String::new(),
        unit_price: Decimal::ZERO,
        gross: ZERO2,
        discount: ZERO2,
        charges: ZERO2,
        taxable_value: ZERO2,
        kind: RateKind::Taxable,
        gst_rate: Decimal::ZERO,
        notified_rate: Decimal::ZERO,
        heads: TaxHeads::None,
        cgst: ZERO2,
        sgst: ZERO2,
        igst: ZERO2,
        cess_rate: Decimal::ZERO,
        cess: ZERO2,
        cess_non_advol: ZERO2,
        state_cess_rate: Decimal::ZERO,
        state_cess: ZERO2,
        state_cess_non_advol: ZERO2,
        total: ZERO2,
        inclusive_amount: None,
        rate_source: String::new(),
        from_charge: false,
        order_ref: None,
        batch: None,
    }
}

/// The lines before tax (goods lines, then service lines from charges),
/// each line's cess alongside, and the charges not billed as lines.
pub(super) struct Draft {
    pub(super) lines: Vec<InvoiceLine>,
    pub(super) cesses: Vec<Cess>,
    /// Charges spread over the goods' taxable value, in INR.
    pub(super) spread_total: Decimal,
    /// Charges added after tax, in INR.
    pub(super) after_tax: Decimal,
}

/// Resolved rates per (rate class, HSN): one lookup per distinct pair.
pub(super) type RateMemo<'a> = FxHashMap<(Option<&'a str>, &'a str), crate::tax::ResolvedRate>;

/// Phase 5: the input lines in INR — description, HSN/SAC, unit, ranges,
/// gross and line discount rounded to paise, and each line's rate (from
/// the original line, an explicit rate, or the rate table). Guarantees
/// every line's discount ≤ gross and taxes still zero.
pub(super) fn goods_lines(
    input: &InvoiceInput,
    rates: &RateTable,
    fx: &Fx,
    original: Option<&OriginalInvoice>,
    rate_date: NaiveDate,
) -> Result<Draft, InvoiceError> {
    let mut memo: RateMemo<'_> = FxHashMap::default();
    let n = input.lines.len() + input.charges.len();
    let mut draft = Draft {
        lines: Vec::with_capacity(n),
        cesses: Vec::with_capacity(n),
        spread_total: Decimal::ZERO,
        after_tax: Decimal::ZERO,
    };
    for (i, line) in input.lines.iter().enumerate() {
        let (l, cess) = goods_line(input, rates, fx, original, rate_date, &mut memo, i, line)?;
        draft.cesses.push(cess);
        draft.lines.push(l);
    }
    Ok(draft)
}

/// One line of phase 5.
#[allow(clippy::too_many_arguments)]
pub(super) fn goods_line<'a>(
    input: &InvoiceInput,
    rates: &RateTable,
    fx: &Fx,
    original: Option<&OriginalInvoice>,
    rate_date: NaiveDate,
    memo: &mut RateMemo<'a>,
    i: usize,
    line: &'a LineInput,
) -> Result<(InvoiceLine, Cess), InvoiceError> {
    let is_note = input.document_type != DocumentType::Invoice;
    let amount_dp = fx.amount_dp;
    let f = index("lines", i);
    if line.description.trim().is_empty() {
        return Err(missing(
            &path(&f, "description"),
            "every line needs a description",
        ));
    }
    let hsn = validate_hsn(&line.hsn, input.settings.hsn_min_length, "")
        .map_err(|e| InvoiceError::Tax(e.at(&path(&f, "hsn"))))?;
    let uqc = line.uqc.trim();
    let uqc = if uqc.bytes().any(|b| b.is_ascii_lowercase()) {
        uqc.to_ascii_uppercase()
    } else {
        uqc.to_owned()
    };
    if !(uqc_ok(&uqc) || (hsn.is_service && uqc.is_empty())) {
        return Err(InvoiceError::InvalidUqc {
            field: path(&f, "uqc"),
            unit: line.uqc.clone(),
        });
    }
    check_range(line.quantity, || path(&f, "quantity"), QTY_MAX, 3)?;
    check_range(line.unit_price, || path(&f, "unit_price"), PRICE_MAX, 6)?;
    check_range(
        line.discount,
        || path(&f, "discount"),
        AMOUNT_MAX,
        amount_dp,
    )?;
    let gross_fc = match line.amount {
        Some(a) => {
            if !is_note {
                return Err(InvoiceError::Unsupported {
                    field: path(&f, "amount"),
                    reason: "a value-only amount is only for credit and debit notes".to_owned(),
                });
            }
            check_range(a, || path(&f, "amount"), AMOUNT_MAX, amount_dp)?;
            a
        }
        None => {
            if line.quantity.is_zero() {
                return Err(invalid(
                    &path(&f, "quantity"),
                    line.quantity,
                    "must be greater than zero",
                ));
            }
            line.quantity * line.unit_price
        }
    };
    let gross = r2(fx.to_inr(gross_fc));
    let discount = r2(fx.to_inr(line.discount));
    if discount > gross {
        return Err(invalid(
            &path(&f, "discount"),
            line.discount,
            "the discount exceeds the line's gross amount",
        ));
    }
    let (kind, rate, cess, source) =
        line_rate(rates, original, rate_date, memo, &f, line, &hsn.code)?;
    let (rate, cess) = if line.original_line.is_some() || line.gst_rate.is_some() {
        (rate.normalize(), normalized(cess))
    } else {
        // Resolved rates are normalized by the rate table.
        (rate, cess)
    };
    let out = InvoiceLine {
        sl_no: i + 1,
        description: line.description.trim().to_owned(),
        hsn: hsn.code,
        is_service: hsn.is_service,
        quantity: line.quantity,
        uqc,
        unit_price: fx.to_inr(line.unit_price),
        gross,
        discount,
        kind,
        notified_rate: rate,
        rate_source: source,
        order_ref: line.order_ref.clone(),
        batch: line.batch.clone(),
        ..blank_line()
    };
    Ok((out, cess))
}

/// A line's rate: kind, GST rate, cess and where it came from.
pub(super) type LineRate = (RateKind, Decimal, Cess, String);

/// Phase 5, the rate of one line: a note's line takes its original line's
/// rate (checked against the table at the original's date); otherwise an
/// explicit rate (checked) or the table's rate for the class or HSN.
pub(super) fn line_rate<'a>(
    rates: &RateTable,
    original: Option<&OriginalInvoice>,
    rate_date: NaiveDate,
    memo: &mut RateMemo<'a>,
    f: &str,
    line: &'a LineInput,
    hsn_code: &str,
) -> Result<LineRate, InvoiceError> {
    match (line.original_line, original) {
        (Some(k), Some(o)) => {
            let ol = o.lines.get(k).ok_or_else(|| {
                invalid(
                    &path(f, "original_line"),
                    k,
                    format!("the original invoice has {} lines", o.lines.len()),
                )
            })?;
            check_rates(ol.gst_rate, &ol.cess, || {
                path(&index("original.lines", k), "gst_rate")
            })?;
            if ol.kind == RateKind::Taxable {
                rates.check_for(
                    ol.gst_rate,
                    &ol.cess,
                    o.date,
                    None,
                    Some(&ol.hsn),
                    &path(f, "original_line"),
                )?;
            }
            Ok((
                ol.kind,
                ol.gst_rate,
                ol.cess.clone(),
                format!(
                    "original invoice {} of {}, line {}: {}%",
                    o.number,
                    o.date,
                    k,
                    ol.gst_rate.normalize()
                ),
            ))
        }
        (Some(k), None) => Err(invalid(
            &path(f, "original_line"),
            k,
            "only notes refer to an original line",
        )),
        (None, _) => {
            if let Some(r) = line.gst_rate {
                let cess = line.cess.clone().unwrap_or_default();
                check_rates(r, &cess, || path(f, "gst_rate"))?;
                check_class_agrees(rates, rate_date, f, line, r, &cess, hsn_code)?;
                rates
                    .check_for(r, &cess, rate_date, None, Some(hsn_code), "")
                    .map_err(|e| InvoiceError::Tax(e.at(&path(f, "gst_rate"))))?;
                let kind = if r.is_zero() && !cess.is_levied() {
                    RateKind::Nil
                } else {
                    RateKind::Taxable
                };
                Ok((
                    kind,
                    r,
                    cess,
                    format!("explicit rate {}% on {rate_date}", r.normalize()),
                ))
            } else {
                let class = line.rate_class.as_deref();
                let key = (class, line.hsn.trim());
                let resolved = match memo.entry(key) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(v) => {
                        let field = if class.is_some() {
                            path(f, "rate_class")
                        } else {
                            path(f, "hsn")
                        };
                        v.insert(rates.resolve(class, Some(hsn_code), rate_date, &field)?)
                    }
                };
                Ok((
                    resolved.kind,
                    resolved.gst_rate,
                    resolved.cess.clone(),
                    resolved.source.clone(),
                ))
            }
        }
    }
}

/// Phase 5, an explicit rate against the line's rate class: a class that
/// resolves to nil-rated, exempt or non-GST carries no tax, so a rate above
/// 0 (or a cess) contradicts it (`RATE_CONTRADICTS_CLASS` at `gst_rate`).
/// A class that does not resolve is left to the explicit rate, as before.
pub(super) fn check_class_agrees(
    rates: &RateTable,
    rate_date: NaiveDate,
    f: &str,
    line: &LineInput,
    rate: Decimal,
    cess: &Cess,
    hsn_code: &str,
) -> Result<(), InvoiceError> {
    let Some(class) = line.rate_class.as_deref() else {
        return Ok(());
    };
    if rate.is_zero() && !cess.is_levied() {
        return Ok(());
    }
    match rates.resolve(Some(class), Some(hsn_code), rate_date, "") {
        Ok(resolved) if resolved.kind != RateKind::Taxable => {
            Err(InvoiceError::Tax(TaxError::RateContradictsClass {
                field: path(f, "gst_rate"),
                class: class.to_owned(),
                kind: resolved.kind,
                rate: rate.normalize(),
            }))
        }
        _ => Ok(()),
    }
}
