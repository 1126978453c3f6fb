//! Document numbering per financial year (April–March).

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::InvoiceError;

/// An Indian financial year (1 April to 31 March).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancialYear {
    /// Calendar year in which it starts.
    pub start_year: i32,
    /// Short label, e.g. `26-27`.
    pub short: String,
    /// Long label, e.g. `2026-27`.
    pub long: String,
    /// First day.
    pub first_day: NaiveDate,
    /// Last day.
    pub last_day: NaiveDate,
}

/// The financial year of a date.
pub fn financial_year(date: NaiveDate) -> Result<FinancialYear, InvoiceError> {
    let start = if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    };
    let first_day = NaiveDate::from_ymd_opt(start, 4, 1);
    let last_day = NaiveDate::from_ymd_opt(start + 1, 3, 31);
    let (Some(first_day), Some(last_day)) = (first_day, last_day) else {
        return Err(InvoiceError::InvalidValue {
            field: "date".to_owned(),
            value: date.to_string(),
            rule: "date out of range".to_owned(),
        });
    };
    let end2 = (start + 1).rem_euclid(100);
    Ok(FinancialYear {
        start_year: start,
        short: format!("{:02}-{:02}", start.rem_euclid(100), end2),
        long: format!("{start}-{end2:02}"),
        first_day,
        last_day,
    })
}

/// Checks a document number: 1–16 characters of `A–Z a–z 0–9 / -`, not
/// starting with `0`, `/` or `-`; and not among `issued` (case-insensitive).
pub fn validate_document_number(number: &str, issued: &[String]) -> Result<(), InvoiceError> {
    validate_number_at(number, issued, "number")
}

pub(crate) fn validate_number_at(
    number: &str,
    issued: &[String],
    field: &str,
) -> Result<(), InvoiceError> {
    let bad = |rule: &str| InvoiceError::InvalidDocumentNumber {
        field: field.to_owned(),
        value: number.to_owned(),
        rule: rule.to_owned(),
    };
    if number.is_empty() {
        return Err(bad("a document number is required"));
    }
    if number.chars().count() > 16 {
        return Err(bad("at most 16 characters"));
    }
    if !number
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '-')
    {
        return Err(bad("only A-Z, a-z, 0-9, / and - are allowed"));
    }
    if number.starts_with(['0', '/', '-']) {
        return Err(bad("must not start with 0, / or -"));
    }
    if issued.iter().any(|i| i.eq_ignore_ascii_case(number)) {
        return Err(InvoiceError::DuplicateDocumentNumber {
            field: field.to_owned(),
            value: number.to_owned(),
        });
    }
    Ok(())
}

/// Expands a numbering template for a date and the host's next sequence
/// number, then validates the result against the rules and `issued`.
/// Placeholders: `{fy}` (`26-27`), `{fy_long}` (`2026-27`), `{seq}` and
/// `{seq:0N}` (zero-padded to N digits).
///
/// ```
/// use b2b_oms::invoice::format_document_number;
/// use chrono::NaiveDate;
///
/// let date = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
/// let n = format_document_number("INV/{fy}/{seq:05}", date, 42, &[]).unwrap();
/// assert_eq!(n, "INV/26-27/00042");
/// ```
pub fn format_document_number(
    template: &str,
    date: NaiveDate,
    seq: u64,
    issued: &[String],
) -> Result<String, InvoiceError> {
    let bad = |reason: String| InvoiceError::InvalidTemplate {
        field: "template".to_owned(),
        template: template.to_owned(),
        reason,
    };
    if seq == 0 {
        return Err(InvoiceError::InvalidValue {
            field: "seq".to_owned(),
            value: "0".to_owned(),
            rule: "sequence numbers start at 1".to_owned(),
        });
    }
    let fy = financial_year(date)?;
    let mut out = String::new();
    let mut rest = template;
    let mut has_seq = false;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let close = after
            .find('}')
            .ok_or_else(|| bad("unclosed {".to_owned()))?;
        let name = after.get(..close).unwrap_or_default();
        match name {
            "fy" => out.push_str(&fy.short),
            "fy_long" => out.push_str(&fy.long),
            "seq" => {
                has_seq = true;
                out.push_str(&seq.to_string());
            }
            _ => {
                let width = name
                    .strip_prefix("seq:0")
                    .and_then(|w| w.parse::<usize>().ok())
                    .filter(|w| (1..=16).contains(w))
                    .ok_or_else(|| bad(format!("unknown placeholder {{{name}}}")))?;
                has_seq = true;
                out.push_str(&format!("{seq:0width$}"));
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    if out.contains('}') {
        return Err(bad("unmatched }".to_owned()));
    }
    if !has_seq {
        return Err(bad("the template needs {seq}".to_owned()));
    }
    validate_number_at(&out, issued, "number")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn financial_years() {
        assert_eq!(financial_year(d(2026, 4, 1)).unwrap().short, "26-27");
        assert_eq!(financial_year(d(2027, 3, 31)).unwrap().short, "26-27");
        assert_eq!(financial_year(d(2026, 3, 31)).unwrap().long, "2025-26");
        assert_eq!(financial_year(d(1999, 12, 1)).unwrap().short, "99-00");
    }

    #[test]
    fn templates() {
        let date = d(2026, 11, 26);
        assert_eq!(
            format_document_number("INV/{fy}/{seq:05}", date, 42, &[]).unwrap(),
            "INV/26-27/00042"
        );
        assert_eq!(
            format_document_number("CN-{fy_long}-{seq}", date, 7, &[]).unwrap(),
            "CN-2026-27-7"
        );
        for (t, code) in [
            ("INV/{fy}", "INVALID_NUMBER_TEMPLATE"),
            ("INV/{year}/{seq}", "INVALID_NUMBER_TEMPLATE"),
            ("INV/{seq", "INVALID_NUMBER_TEMPLATE"),
            ("INVOICE/{fy}/{seq:05}", "INVALID_DOCUMENT_NUMBER"),
            ("{seq:03}", "INVALID_DOCUMENT_NUMBER"),
        ] {
            assert_eq!(
                format_document_number(t, date, 42, &[]).unwrap_err().code(),
                code,
                "{t}"
            );
        }
        assert_eq!(
            format_document_number("INV/{seq}", date, 0, &[])
                .unwrap_err()
                .code(),
            "INVALID_VALUE"
        );
        let e = format_document_number("INV/{fy}/{seq:05}", date, 42, &["inv/26-27/00042".into()])
            .unwrap_err();
        assert_eq!(e.code(), "DUPLICATE_DOCUMENT_NUMBER");
        assert_eq!(e.field(), Some("number"));
    }

    #[test]
    fn number_rules() {
        assert!(validate_document_number("INV/26-27/00042", &[]).is_ok());
        assert!(validate_document_number("a1", &[]).is_ok());
        for bad in [
            "",
            "0INV1",
            "/INV",
            "-INV",
            "INV 1",
            "INV_1",
            "ABCDEFGHIJKLMNOPQ",
        ] {
            let e = validate_document_number(bad, &[]).unwrap_err();
            assert_eq!(e.code(), "INVALID_DOCUMENT_NUMBER", "{bad}");
        }
        assert!(validate_document_number("ABCDEFGHIJKLMNOP", &[]).is_ok());
    }
}
