//! The collector of violations and the checks every section shares: the
//! field table's rules ([`Checker::fields`]), state codes, PIN codes
//! against their state, and the overflow bound.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::pin::{pin_in_state, ranges_text};
use super::rules::{Field, Get, Rule, FIRST_DATE, LAST_DATE};
use super::types::Violation;
use crate::invoice::InvoiceError;
use crate::tax::{state, StateKind};

/// Collects every violation of one payload, in document order.
pub(super) struct Checker {
    /// The violations so far.
    pub(super) out: Vec<Violation>,
}

impl Checker {
    /// Records a violation.
    pub(super) fn add(&mut self, code: &str, field: &str, message: String) {
        self.out.push(Violation {
            code: code.to_owned(),
            field: field.to_owned(),
            message,
        });
    }

    /// Applies a section's field table to `v`, each field's path being
    /// `{section}.{name}`. Absent optional fields are skipped.
    pub(super) fn fields<T>(&mut self, section: &str, v: &T, table: &[Field<T>]) {
        for f in table {
            let path = || {
                if section.is_empty() {
                    f.name.to_owned()
                } else {
                    format!("{section}.{}", f.name)
                }
            };
            match &f.get {
                Get::Text(get) => {
                    if let Some(s) = get(v) {
                        for r in f.rules {
                            self.text_rule(&path, s, r);
                        }
                    }
                }
                Get::Number(get) => {
                    if let Some(n) = get(v) {
                        for r in f.rules {
                            self.number_rule(&path, n, r);
                        }
                    }
                }
                Get::Int(get) => {
                    if let Some(n) = get(v) {
                        for r in f.rules {
                            if let Rule::Range(min, max, code) = r {
                                if !(*min..=*max).contains(&n) {
                                    self.add(code, &path(), format!("{n} is not {min}-{max}"));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One rule of a text field.
    fn text_rule(&mut self, path: &dyn Fn() -> String, s: &str, r: &Rule) {
        match r {
            Rule::Len(min, max) => {
                let n = s.chars().count();
                if n < *min || n > *max {
                    self.add(
                        "INVALID_LENGTH",
                        &path(),
                        format!("{s:?} has {n} characters, allowed {min}-{max}"),
                    );
                }
            }
            Rule::OneOf(values, code) if !values.contains(&s) => {
                self.add(
                    code,
                    &path(),
                    format!("{s:?} is not one of {}", values.join(", ")),
                );
            }
            Rule::Pattern(ok, text, code) if !ok(s) => {
                self.add(code, &path(), format!("{s:?} does not match {text}"));
            }
            Rule::Date => {
                self.date(&path(), s);
            }
            _ => {}
        }
    }

    /// One rule of a decimal field.
    fn number_rule(&mut self, path: &dyn Fn() -> String, v: Decimal, r: &Rule) {
        match r {
            Rule::Decimals(dp) if v.scale() > *dp && v.normalize().scale() > *dp => {
                self.add(
                    "TOO_MANY_DECIMALS",
                    &path(),
                    format!("{v} has more than {dp} decimals"),
                );
            }
            Rule::NonNegative if v.is_sign_negative() && !v.is_zero() => {
                self.add("NEGATIVE_AMOUNT", &path(), format!("{v} is negative"));
            }
            Rule::Max(max) if v > *max => {
                self.add(
                    "ABOVE_MAXIMUM",
                    &path(),
                    format!("{v} is above the maximum {max}"),
                );
            }
            Rule::Within(limit, code) if v.abs() > *limit => {
                self.add(code, &path(), format!("{v} is outside ±{limit}"));
            }
            _ => {}
        }
    }

    /// A state code, `96` (other countries) only where allowed.
    pub(super) fn state(&mut self, field: &str, code: &str, allow_96: bool) {
        match state(code) {
            Ok(s) if s.code == code && (allow_96 || s.kind != StateKind::OtherCountries) => {}
            _ => self.add(
                "INVALID_STATE_CODE",
                field,
                format!("{code:?} is not a state code here"),
            ),
        }
    }

    /// The PIN code lies in the state's PIN ranges (the IRP's check of
    /// every address); states without ranges are not checked.
    pub(super) fn pin_state(&mut self, field: &str, pin: u32, state: &str) {
        if pin_in_state(pin, state) == Some(false) {
            self.add(
                "PIN_STATE_MISMATCH",
                field,
                format!(
                    "PIN {pin} is not in state {state} (its PIN codes begin {})",
                    ranges_text(state)
                ),
            );
        }
    }

    /// A date `dd/mm/yyyy` within the accepted range; returns it when it
    /// parses, reporting `INVALID_DATE` or `DATE_RANGE` otherwise.
    pub(super) fn date(&mut self, field: &str, v: &str) -> Option<NaiveDate> {
        let Some(d) = parse_dmy(v) else {
            self.add("INVALID_DATE", field, format!("{v:?} is not dd/mm/yyyy"));
            return None;
        };
        let bound = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d);
        if let (Some(first), Some(last)) = (bound(FIRST_DATE), bound(LAST_DATE)) {
            if d < first || d > last {
                self.add(
                    "DATE_RANGE",
                    field,
                    format!(
                        "{v} is not between {} and {}",
                        first.format("%d/%m/%Y"),
                        last.format("%d/%m/%Y")
                    ),
                );
            }
        }
        Some(d)
    }
}

/// Parses a `dd/mm/yyyy` date without reporting.
pub(super) fn parse_dmy(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%d/%m/%Y")
        .ok()
        .filter(|_| v.len() == 10)
}

/// At most 10^18: with at most a few million items no sum can overflow.
pub(super) fn too_large(v: Decimal) -> bool {
    const LIMIT: i64 = 1_000_000_000_000_000_000;
    // |value| ≤ |mantissa|: the cheap test settles nearly every case.
    v.mantissa().unsigned_abs() > LIMIT.unsigned_abs() as u128 && v.abs() > Decimal::from(LIMIT)
}

/// The validator's result: every violation, or `Ok`.
pub(super) fn finish(c: Checker) -> Result<(), InvoiceError> {
    if c.out.is_empty() {
        Ok(())
    } else {
        Err(InvoiceError::EInvoiceInvalid {
            field: c.out.first().map(|v| v.field.clone()).unwrap_or_default(),
            violations: c.out,
        })
    }
}
