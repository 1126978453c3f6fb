//! Computing an invoice or a note: taxable values, tax heads per line,
//! totals, HSN summary, words and due dates.
//!
//! [`compute_invoice`] reads as its phase list; each phase lives in the
//! module of its concern, in the order they run: `validate` (the document,
//! a note's original, the order lines), `regime` (GST regime, currency),
//! `lines` (goods lines in INR), `discounts` (charges, the order discount
//! and the exact spreads), `tax` (document kind, heads per line, a credit
//! note's cap), `totals` (totals, round-off, Rule 46), `hsn` (the HSN
//! summary), `due` (due dates), `assemble` (endorsements, export summary,
//! the document). `consolidate` builds one invoice's lines from several
//! shipments.

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

mod assemble;
mod consolidate;
mod discounts;
mod due;
mod hsn;
mod lines;
mod regime;
mod tax;
mod totals;
mod validate;

use assemble::*;
pub use consolidate::*;
pub(crate) use discounts::spread_discount;
use discounts::*;
pub use due::due_dates;
use due::*;
use hsn::*;
use lines::*;
use regime::*;
use tax::*;
use totals::*;
use validate::*;

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
