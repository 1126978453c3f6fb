//! Computing an invoice or a note: taxable values, tax heads per line,
//! totals, HSN summary, words and due dates.

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::numbering::{financial_year, validate_number_at};
use super::types::*;
use super::words::{amount_in_words, format_indian};
use super::InvoiceError;
use crate::error::{index, path, ErrorCode};
use crate::money::{Currencies, RoundingMode};
use crate::tax::{
    determine_regime, validate_hsn, Cess, RateKind, RateTable, RecipientCategory, RegimeDecision,
    RegimeInput, SupplierRegistration, SupplyKind, SupplyType, TaxError, TaxHeads,
};
use crate::units::UQC;

const QTY_MAX: i64 = 1_000_000_000;
const PRICE_MAX: i64 = 1_000_000_000;
const AMOUNT_MAX: i64 = 1_000_000_000_000_000;
const XR_MAX: i64 = 100_000;
const HARD_MAX_LINES: usize = 100_000;
/// Zero rupees, printed `0.00`.
const ZERO2: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

fn r2(x: Decimal) -> Decimal {
    RoundingMode::HalfUp.round_to_scale(x, 2)
}

fn invalid(field: &str, value: impl ToString, rule: impl Into<String>) -> InvoiceError {
    InvoiceError::InvalidValue {
        field: field.to_owned(),
        value: value.to_string(),
        rule: rule.into(),
    }
}

fn missing(field: &str, reason: &str) -> InvoiceError {
    InvoiceError::MissingField {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Explicit rates are bounded like a rate table's: GST 0–100 %, cess
/// components 0–1,000,000 with at most 4 decimals.
fn check_rates(gst: Decimal, cess: &Cess, field: impl Fn() -> String) -> Result<(), InvoiceError> {
    check_range(gst, &field, 100, 4)?;
    for v in [
        cess.ad_valorem,
        cess.per_unit,
        cess.state_ad_valorem,
        cess.state_per_unit,
    ] {
        check_range(v, &field, 1_000_000, 4)?;
    }
    Ok(())
}

/// The cess with its rates normalized (`12.00` → `12`).
fn normalized(c: Cess) -> Cess {
    Cess {
        ad_valorem: c.ad_valorem.normalize(),
        per_unit: c.per_unit.normalize(),
        state_ad_valorem: c.state_ad_valorem.normalize(),
        state_per_unit: c.state_per_unit.normalize(),
    }
}

/// Whether `code` is a GST UQC: binary search of the sorted UQC table.
pub(crate) fn uqc_ok(code: &str) -> bool {
    // Codes are three ASCII letters: compare them as integers.
    fn key(s: &str) -> Option<u32> {
        match s.as_bytes() {
            [a, b, c] => Some(u32::from(*a) << 16 | u32::from(*b) << 8 | u32::from(*c)),
            _ => None,
        }
    }
    let Some(k) = key(code) else { return false };
    UQC.binary_search_by(|(c, _, _)| key(c).unwrap_or(0).cmp(&k))
        .is_ok()
}

/// Checks `0 ≤ v ≤ max` and at most `scale` decimals. The field path is
/// built only on error (this runs for every line).
fn check_range(
    v: Decimal,
    field: impl FnOnce() -> String,
    max: i64,
    scale: u32,
) -> Result<(), InvoiceError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(invalid(&field(), v, "must not be negative"));
    }
    if v > Decimal::from(max) {
        return Err(invalid(&field(), v, format!("must be at most {max}")));
    }
    if v.scale() > scale && v.normalize().scale() > scale {
        return Err(invalid(
            &field(),
            v,
            format!("at most {scale} decimal places"),
        ));
    }
    Ok(())
}

/// An order discount spread over lines as an invoice spreads it (by
/// [`spread`], capped at each line's value), so a shipment's e-way bill
/// values agree with the invoice of that shipment.
pub(crate) fn spread_discount(total: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    spread(total, weights, true)
}

/// Splits `total` over `weights` in proportion, rounded to paise; the
/// remainder goes to the last line with weight, or to the largest line if
/// `cap` and the last cannot absorb it within its weight.
fn spread(total: Decimal, weights: &[Decimal], cap: bool) -> Vec<Decimal> {
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
fn paise(d: Decimal) -> Option<i128> {
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
fn spread_paise(total: Decimal, weights: &[Decimal]) -> Option<Vec<Decimal>> {
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
fn paise_scale(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// Sums amounts in integer paise (exact and fast), falling back to
/// decimals for values with more decimals.
#[derive(Default)]
struct Acc {
    paise: i128,
    rest: Decimal,
}

impl Acc {
    fn add(&mut self, d: Decimal) {
        if d.scale() == 2 {
            self.paise += d.mantissa();
        } else {
            self.rest += d;
        }
    }

    fn get(&self) -> Result<Decimal, InvoiceError> {
        Decimal::try_from_i128_with_scale(self.paise, 2)
            .ok()
            .and_then(|p| {
                if self.rest.is_zero() {
                    Some(p)
                } else {
                    p.checked_add(self.rest).map(paise_scale)
                }
            })
            .ok_or_else(|| {
                InvoiceError::Money(crate::money::MoneyError::Overflow {
                    field: "totals".to_owned(),
                    what: "invoice totals".to_owned(),
                })
            })
    }
}

/// A line before tax: amounts and rates filled, taxes zero.
fn blank_line() -> InvoiceLine {
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

fn regime_field(field: &str) -> String {
    match field {
        "supplier_gstin" => "seller.gstin".to_owned(),
        "supplier_state" => "seller.address.state_code".to_owned(),
        "recipient_gstin" => "buyer.gstin".to_owned(),
        "recipient_state" => "buyer.address.state_code".to_owned(),
        "ship_to_state" => "ship_to.address.state_code".to_owned(),
        other => other.to_owned(),
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Computes a tax invoice, bill of supply, credit note or debit note from
/// its input and a rate table. Every amount is exact: per line and per head
/// rounded half-up to paise, totals the sums of the rounded lines.
pub fn compute_invoice(input: &InvoiceInput, rates: &RateTable) -> Result<Invoice, InvoiceError> {
    validate_header(input)?;
    let regime = regime(input)?;
    let fx = currency(input, &regime)?;
    let original = original_document(input)?;
    let rate_date = match original {
        Some(o) => o.date,
        None => input.time_of_supply.unwrap_or(input.date),
    };
    let mut draft = goods_lines(input, rates, &fx, original, rate_date)?;
    charges(input, rates, &fx, rate_date, &mut draft)?;
    spread_order_discount(input, &fx, &mut draft.lines)?;
    spread_charges(draft.spread_total, &mut draft.lines);
    let kind = document_kind(input, &regime, &draft.lines);
    tax_lines(input, &regime, kind, &mut draft.lines, &draft.cesses)?;
    check_credit_cap(input, original, &draft.lines)?;
    if input.document_type == DocumentType::Invoice {
        check_order_lines(&input.lines, input.settings.advance)?;
    }
    let totals = totals(input, &regime, &draft.lines, draft.after_tax)?;
    check_rule_46(input, &regime, &totals)?;
    let hsn_summary = hsn_summary(&draft.lines)?;
    let due = due(input, &totals)?;
    let endorsements = endorsements(input, &regime, kind);
    let export = export_summary(input, &regime, &fx, &totals)?;
    assemble(
        input,
        Parts {
            kind,
            rate_date,
            regime,
            lines: draft.lines,
            hsn_summary,
            totals,
            endorsements,
            original,
            export,
            due,
        },
    )
}

/// Phase 1: the document as a whole — line counts within the limits, the
/// number valid and not yet issued, one kind of payment terms, seller and
/// buyer named. Guarantees the later phases a non-empty set of lines.
fn validate_header(input: &InvoiceInput) -> Result<(), InvoiceError> {
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

/// Phase 2: the GST regime (heads, place of supply, zero rating, reverse
/// charge, bill of supply), with regime errors' fields mapped onto the
/// invoice input; then the e-commerce operator's GSTIN. Guarantees a
/// decided regime whose warnings still carry the regime's field names
/// (mapped at assembly).
fn regime(input: &InvoiceInput) -> Result<RegimeDecision, InvoiceError> {
    let all_services = input.lines.iter().all(|l| l.hsn.trim().starts_with("99"));
    let regime_input = RegimeInput {
        date: input.date,
        supplier_registration: input.supplier_registration,
        supplier_gstin: input.seller.gstin.clone(),
        supplier_state: non_empty(&input.seller.address.state_code),
        recipient_gstin: input.buyer.gstin.clone(),
        recipient_state: non_empty(&input.buyer.address.state_code),
        recipient_category: input.recipient_category,
        supply_kind: if all_services {
            SupplyKind::Services
        } else {
            SupplyKind::Goods
        },
        ship_to_state: input
            .ship_to
            .as_ref()
            .and_then(|p| non_empty(&p.address.state_code)),
        bill_to_ship_to: input.bill_to_ship_to,
        place_of_supply: input.place_of_supply.clone(),
        zero_rated_mode: input.zero_rated_mode,
        reverse_charge: input.reverse_charge,
        leaves_india: input
            .export
            .as_ref()
            .is_some_and(|e| e.port_code.is_some() || e.shipping_bill_no.is_some()),
    };
    let regime = determine_regime(&regime_input).map_err(|e| {
        let f = e.field().map(regime_field).unwrap_or_default();
        InvoiceError::Tax(e.at(&f))
    })?;
    if let Some(g) = &input.ecommerce_gstin {
        crate::tax::validate_gstin(g, Some(input.date))
            .map_err(|e| InvoiceError::Tax(e.at("ecommerce_gstin")))?;
    }
    Ok(regime)
}

/// The document's currency: the exchange rate to INR and how many decimals
/// an amount in it may have.
struct Fx {
    currencies: Currencies,
    /// INR per unit of the document's currency (1 for INR).
    xr: Decimal,
    /// Decimals allowed in an amount of the document's currency.
    amount_dp: u32,
}

impl Fx {
    /// An amount of the document's currency in INR (unrounded).
    fn to_inr(&self, v: Decimal) -> Decimal {
        if self.xr == Decimal::ONE {
            v
        } else {
            v * self.xr
        }
    }
}

/// Whether the regime decided an export (EXPWP or EXPWOP): an overseas
/// buyer whose goods stay in India is not one.
fn is_export(regime: &RegimeDecision) -> bool {
    matches!(regime.supply_type, SupplyType::Expwp | SupplyType::Expwop)
}

/// Phase 3: currency. An export needs export details (a known currency, a
/// positive exchange rate within range, 1 for INR, an ISO country); an
/// overseas buyer whose goods are delivered in India may give them (they
/// are checked, and convert the amounts to INR, but the document is no
/// export); anyone else must not give them. Guarantees the lines phase an
/// exchange rate and the decimals its amounts may carry.
fn currency(input: &InvoiceInput, regime: &RegimeDecision) -> Result<Fx, InvoiceError> {
    let currencies = Currencies::iso();
    let overseas = input.recipient_category == RecipientCategory::Overseas;
    let (xr, amount_dp) = match (&input.export, overseas) {
        (Some(ex), true) => {
            let cur = currencies.get_at(&ex.currency, "export.currency")?;
            if ex.exchange_rate <= Decimal::ZERO {
                return Err(invalid(
                    "export.exchange_rate",
                    ex.exchange_rate,
                    "must be greater than zero",
                ));
            }
            check_range(
                ex.exchange_rate,
                || "export.exchange_rate".to_owned(),
                XR_MAX,
                6,
            )?;
            if cur.code == "INR" && ex.exchange_rate != Decimal::ONE {
                return Err(invalid(
                    "export.exchange_rate",
                    ex.exchange_rate,
                    "must be 1 for an invoice in INR",
                ));
            }
            if ex.country_code.len() != 2
                || !ex.country_code.bytes().all(|b| b.is_ascii_uppercase())
            {
                return Err(invalid(
                    "export.country_code",
                    &ex.country_code,
                    "ISO 3166 alpha-2, two upper-case letters",
                ));
            }
            (ex.exchange_rate, cur.minor_units.max(2))
        }
        (None, true) if is_export(regime) => {
            return Err(missing(
                "export",
                "an export invoice needs currency, exchange rate and destination country",
            ))
        }
        (Some(_), false) => {
            return Err(InvoiceError::Unsupported {
                field: "export".to_owned(),
                reason: "export details are only for an overseas buyer".to_owned(),
            })
        }
        (None, _) => (Decimal::ONE, 2),
    };
    Ok(Fx {
        currencies,
        xr,
        amount_dp,
    })
}

/// Phase 4: a note's original invoice — present, numbered, not dated after
/// the note, with lines for a credit note, its amounts in range. Guarantees
/// `Some` exactly for notes; the original's date is the rate date.
fn original_document(input: &InvoiceInput) -> Result<Option<&OriginalInvoice>, InvoiceError> {
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

/// The lines before tax (goods lines, then service lines from charges),
/// each line's cess alongside, and the charges not billed as lines.
struct Draft {
    lines: Vec<InvoiceLine>,
    cesses: Vec<Cess>,
    /// Charges spread over the goods' taxable value, in INR.
    spread_total: Decimal,
    /// Charges added after tax, in INR.
    after_tax: Decimal,
}

/// Resolved rates per (rate class, HSN): one lookup per distinct pair.
type RateMemo<'a> = FxHashMap<(Option<&'a str>, &'a str), crate::tax::ResolvedRate>;

/// Phase 5: the input lines in INR — description, HSN/SAC, unit, ranges,
/// gross and line discount rounded to paise, and each line's rate (from
/// the original line, an explicit rate, or the rate table). Guarantees
/// every line's discount ≤ gross and taxes still zero.
fn goods_lines(
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
fn goods_line<'a>(
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
type LineRate = (RateKind, Decimal, Cess, String);

/// Phase 5, the rate of one line: a note's line takes its original line's
/// rate (checked against the table at the original's date); otherwise an
/// explicit rate (checked) or the table's rate for the class or HSN.
fn line_rate<'a>(
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
fn check_class_agrees(
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

/// Phase 6: charges. Each is described and in range, converted to INR;
/// spread-over-goods and after-tax charges are summed, service-line charges
/// become lines (SAC default 9965, class default GST18). Guarantees the
/// draft's lines are the goods lines followed by the charge lines.
fn charges(
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
fn spread_order_discount(
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
fn spread_charges(spread_total: Decimal, lines: &mut [InvoiceLine]) {
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

/// Phase 8: the document kind — a note as such; an invoice is a bill of
/// supply when the regime says so or no line is taxable, else a tax
/// invoice.
fn document_kind(
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
fn tax_lines(
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
struct LineTax {
    unit_price: Decimal,
    gross: Decimal,
    discount: Decimal,
    charges: Decimal,
    taxable: Decimal,
    cgst: Decimal,
    sgst: Decimal,
    igst: Decimal,
    ces: Decimal,
    ces_na: Decimal,
    st: Decimal,
    st_na: Decimal,
    inclusive_amount: Option<Decimal>,
}

/// Phase 9, a tax-inclusive price: the taxable value is the base divided by
/// (1 + rates), the tax the rest, split so that the halves of CGST/SGST are
/// equal (an odd paisa moves to the taxable value) and cess takes what GST
/// leaves; gross, discount, charges and unit price are restated net of tax.
/// Fails (with the reason) on a specific per-unit cess.
fn inclusive_tax(
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
fn exclusive_tax(
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
fn check_credit_cap(
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

/// Phase 11: totals and round-off — sums of the rounded lines per head,
/// after-tax charges, then the grand total (or, under reverse charge, the
/// amount payable) rounded to the rupee when the settings ask. Guarantees
/// every total is shown with at least 2 decimals.
fn totals(
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
fn check_rule_46(
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

/// Phase 13: due dates of the amount payable, from the order's terms
/// (with its basis dates) or the invoice's own payment terms.
fn due(input: &InvoiceInput, t: &Totals) -> Result<Vec<DueDate>, InvoiceError> {
    match &input.order_terms {
        Some(o) => o.due_dates(t.amount_payable, input.date),
        None => due_dates(input.date, t.amount_payable, &input.payment_terms),
    }
}

/// Phase 14a: the endorsements to print — the regime's, reverse charge,
/// and a regular supplier's bill of supply.
fn endorsements(input: &InvoiceInput, regime: &RegimeDecision, kind: DocumentKind) -> Vec<String> {
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
fn export_summary(
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
struct Parts<'a> {
    kind: DocumentKind,
    rate_date: NaiveDate,
    regime: RegimeDecision,
    lines: Vec<InvoiceLine>,
    hsn_summary: Vec<HsnSummaryRow>,
    totals: Totals,
    endorsements: Vec<String>,
    original: Option<&'a OriginalInvoice>,
    export: Option<ExportSummary>,
    due: Vec<DueDate>,
}

/// Phase 15: the document — title, financial year, place of supply, words
/// and the Indian-format grand total; regime warnings with invoice field
/// names.
fn assemble(input: &InvoiceInput, p: Parts<'_>) -> Result<Invoice, InvoiceError> {
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
    if let Some(at) = super::events::issued_instant(&invoice, input.issued_at) {
        invoice.events = vec![super::events::issued_event(&invoice, at)];
    }
    Ok(invoice)
}

fn check_order_lines(lines: &[LineInput], advance: bool) -> Result<(), InvoiceError> {
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

/// Rows grouped by (HSN, rate, UQC), sorted by that key. Rates are
/// normalized, so equal rates have equal representations.
fn hsn_summary(lines: &[InvoiceLine]) -> Result<Vec<HsnSummaryRow>, InvoiceError> {
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

/// Turns payment terms into due dates: each instalment's percent of
/// `amount`, rounded to paise, the last taking the remainder so they sum
/// exactly; due `days` after `date`.
pub fn due_dates(
    date: NaiveDate,
    amount: Decimal,
    terms: &[Instalment],
) -> Result<Vec<DueDate>, InvoiceError> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let bad = |field: String, reason: &str| InvoiceError::InvalidPaymentTerms {
        field,
        reason: reason.to_owned(),
    };
    let mut total_pct = Decimal::ZERO;
    for (i, t) in terms.iter().enumerate() {
        let f = index("payment_terms", i);
        if t.percent <= Decimal::ZERO || t.percent > Decimal::ONE_HUNDRED {
            return Err(bad(
                path(&f, "percent"),
                "each instalment is above 0 and at most 100 %",
            ));
        }
        if t.days > 3650 {
            return Err(bad(path(&f, "days"), "at most 3650 days"));
        }
        total_pct += t.percent;
    }
    if total_pct != Decimal::ONE_HUNDRED {
        return Err(bad(
            "payment_terms".to_owned(),
            "instalment percentages must sum to 100",
        ));
    }
    check_range(amount.abs(), || "amount".to_owned(), AMOUNT_MAX * 100, 28)?;
    let mut out = Vec::with_capacity(terms.len());
    let mut allocated = Decimal::ZERO;
    for (i, t) in terms.iter().enumerate() {
        let share = if i + 1 == terms.len() {
            r2(amount) - allocated
        } else {
            r2(amount * t.percent / Decimal::ONE_HUNDRED)
        };
        allocated += share;
        let due = date
            .checked_add_days(Days::new(u64::from(t.days)))
            .ok_or_else(|| {
                bad(
                    path(&index("payment_terms", i), "days"),
                    "date out of range",
                )
            })?;
        out.push(DueDate {
            date: due,
            percent: t.percent,
            amount: share,
            advance: false,
        });
    }
    Ok(out)
}

/// The lines of one shipment to invoice (all its lines reference their
/// order lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentLines {
    /// Shipment id.
    pub shipment_id: String,
    /// The customer (must be the same for all shipments consolidated).
    pub customer_id: String,
    /// Place of supply state code of the shipment.
    pub place_of_supply: String,
    /// Lines, each with its `order_ref`.
    pub lines: Vec<LineInput>,
}

/// Builds the input of a part invoice (one shipment) or a consolidated
/// invoice (several shipments, of one or more orders, of one customer with
/// one place of supply). `header`'s own lines are replaced by the
/// shipments' lines, each tagged with its shipment id.
pub fn consolidate_shipments(
    header: &InvoiceInput,
    shipments: &[ShipmentLines],
) -> Result<InvoiceInput, InvoiceError> {
    let first = shipments
        .first()
        .ok_or_else(|| missing("shipments", "at least one shipment"))?;
    let mut ids: Vec<&str> = Vec::with_capacity(shipments.len());
    let mut lines = Vec::new();
    for (i, s) in shipments.iter().enumerate() {
        let f = index("shipments", i);
        let bad =
            |field: String, reason: String| InvoiceError::InconsistentShipments { field, reason };
        if s.customer_id != first.customer_id {
            return Err(bad(
                path(&f, "customer_id"),
                format!(
                    "customer {} differs from {}",
                    s.customer_id, first.customer_id
                ),
            ));
        }
        if s.place_of_supply != first.place_of_supply {
            return Err(bad(
                path(&f, "place_of_supply"),
                format!(
                    "place of supply {} differs from {} (a different tax regime)",
                    s.place_of_supply, first.place_of_supply
                ),
            ));
        }
        if ids.contains(&s.shipment_id.as_str()) {
            return Err(bad(
                path(&f, "shipment_id"),
                format!("shipment {} appears twice", s.shipment_id),
            ));
        }
        ids.push(&s.shipment_id);
        for (j, l) in s.lines.iter().enumerate() {
            let mut l = l.clone();
            let r = l.order_ref.as_mut().ok_or_else(|| {
                missing(
                    &path(&index(&path(&f, "lines"), j), "order_ref"),
                    "shipment lines reference their order line",
                )
            })?;
            r.shipment_id = Some(s.shipment_id.clone());
            lines.push(l);
        }
    }
    if let Some(pos) = &header.place_of_supply {
        if *pos != first.place_of_supply {
            return Err(InvoiceError::InconsistentShipments {
                field: "place_of_supply".to_owned(),
                reason: format!(
                    "the header's place of supply {pos} differs from the shipments' {}",
                    first.place_of_supply
                ),
            });
        }
    }
    let mut out = header.clone();
    out.place_of_supply = Some(first.place_of_supply.clone());
    out.lines = lines;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn uqc_table_is_sorted_for_binary_search() {
        assert!(UQC.windows(2).all(|w| w[0].0 < w[1].0));
        for (c, _, _) in UQC {
            assert!(uqc_ok(c));
        }
        assert!(!uqc_ok("PIECES") && !uqc_ok("nos") && !uqc_ok(""));
    }

    #[test]
    fn spread_remainder_to_last() {
        let s = spread(d("100"), &[d("1"), d("1"), d("1")], false);
        assert_eq!(s, vec![d("33.33"), d("33.33"), d("33.34")]);
        // Exact midpoints round half-up; weights with more decimals too.
        let s = spread(d("0.01"), &[d("1"), d("1")], false);
        assert_eq!(s, vec![d("0.01"), d("0.00")]);
        let s = spread(d("10"), &[d("1.005"), d("2.0001")], false);
        assert_eq!(s.iter().copied().sum::<Decimal>(), d("10"));
        let s = spread(d("0.02"), &[d("10"), d("0.01"), d("0.01")], true);
        assert_eq!(s.iter().copied().sum::<Decimal>(), d("0.02"));
        assert!(s
            .iter()
            .zip([d("10"), d("0.01"), d("0.01")])
            .all(|(s, w)| *s <= w));
    }

    #[test]
    fn due_dates_sum_exactly() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let terms = vec![
            Instalment {
                percent: d("33.33"),
                days: 0,
            },
            Instalment {
                percent: d("33.33"),
                days: 30,
            },
            Instalment {
                percent: d("33.34"),
                days: 60,
            },
        ];
        let due = due_dates(date, d("1000.01"), &terms).unwrap();
        assert_eq!(due.iter().map(|x| x.amount).sum::<Decimal>(), d("1000.01"));
        assert_eq!(due[1].date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        let bad = vec![Instalment {
            percent: d("50"),
            days: 0,
        }];
        let e = due_dates(date, d("1"), &bad).unwrap_err();
        assert_eq!(crate::error::ErrorCode::code(&e), "INVALID_PAYMENT_TERMS");
    }
}
