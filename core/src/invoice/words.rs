//! Amounts in words (Indian system for rupees) and Indian digit grouping.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::InvoiceError;
use crate::money::{Currencies, RoundingMode};

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

/// (code, major unit, minor unit) in the currency's own names.
const NAMES: &[(&str, &str, &str)] = &[
    ("INR", "Rupees", "Paise"),
    ("USD", "US Dollars", "Cents"),
    ("EUR", "Euros", "Cents"),
    ("GBP", "Pounds Sterling", "Pence"),
    ("AED", "UAE Dirhams", "Fils"),
    ("AUD", "Australian Dollars", "Cents"),
    ("BDT", "Bangladeshi Taka", "Poisha"),
    ("BHD", "Bahraini Dinars", "Fils"),
    ("CAD", "Canadian Dollars", "Cents"),
    ("CHF", "Swiss Francs", "Centimes"),
    ("CNY", "Chinese Yuan", "Fen"),
    ("HKD", "Hong Kong Dollars", "Cents"),
    ("JPY", "Japanese Yen", "Sen"),
    ("KWD", "Kuwaiti Dinars", "Fils"),
    ("LKR", "Sri Lankan Rupees", "Cents"),
    ("MYR", "Malaysian Ringgit", "Sen"),
    ("NPR", "Nepalese Rupees", "Paisa"),
    ("NZD", "New Zealand Dollars", "Cents"),
    ("OMR", "Omani Rials", "Baisa"),
    ("QAR", "Qatari Riyals", "Dirhams"),
    ("SAR", "Saudi Riyals", "Halalas"),
    ("SGD", "Singapore Dollars", "Cents"),
    ("THB", "Thai Baht", "Satang"),
    ("ZAR", "South African Rand", "Cents"),
];

fn below_hundred(n: u128, out: &mut Vec<String>) {
    let n = usize::try_from(n).unwrap_or(0);
    if n < 20 {
        if let Some(w) = ONES.get(n) {
            out.push((*w).to_owned());
        }
    } else {
        if let Some(t) = TENS.get(n / 10) {
            out.push((*t).to_owned());
        }
        if n % 10 != 0 {
            if let Some(w) = ONES.get(n % 10) {
                out.push((*w).to_owned());
            }
        }
    }
}

fn below_thousand(n: u128, out: &mut Vec<String>) {
    if n >= 100 {
        below_hundred(n / 100, out);
        out.push("Hundred".to_owned());
    }
    if !n.is_multiple_of(100) {
        below_hundred(n % 100, out);
    }
}

fn indian(n: u128, out: &mut Vec<String>) {
    if n >= 10_000_000 {
        indian(n / 10_000_000, out);
        out.push("Crore".to_owned());
    }
    let n = n % 10_000_000;
    for (div, name) in [(100_000u128, "Lakh"), (1_000, "Thousand")] {
        let part = (n / div) % 100;
        if part != 0 {
            below_hundred(part, out);
            out.push(name.to_owned());
        }
    }
    below_thousand(n % 1000, out);
}

fn international(n: u128, out: &mut Vec<String>) {
    const SCALES: [&str; 10] = [
        "",
        "Thousand",
        "Million",
        "Billion",
        "Trillion",
        "Quadrillion",
        "Quintillion",
        "Sextillion",
        "Septillion",
        "Octillion",
    ];
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 1000);
        m /= 1000;
    }
    for (i, g) in groups.iter().enumerate().rev() {
        if *g != 0 {
            below_thousand(*g, out);
            if let Some(s) = SCALES.get(i) {
                if !s.is_empty() {
                    out.push((*s).to_owned());
                }
            }
        }
    }
}

fn number_words(n: u128, indian_system: bool) -> String {
    if n == 0 {
        return "Zero".to_owned();
    }
    let mut out = Vec::new();
    if indian_system {
        indian(n, &mut out);
    } else {
        international(n, &mut out);
    }
    out.join(" ")
}

/// An amount in words: rupees in the Indian system (lakh, crore, paise),
/// other currencies in their own names and the international system.
///
/// Words say an amount exactly or not at all: an amount with more
/// decimals than the currency's minor units (`1.005` rupees) is refused
/// with `INVALID_VALUE` at `amount` rather than rounded, since words on a
/// document must state the figure the document carries (round it first).
/// Every integer part a decimal holds (up to 28 digits) is said exactly —
/// the Indian system repeats "Crore" past a hundred crore; digits past
/// what a decimal holds are refused where the amount is read
/// ([`super::ops::WordsRequest`]), never rounded.
pub fn amount_in_words(amount: Decimal, currency: &str) -> Result<String, InvoiceError> {
    let cur = Currencies::iso().get_at(currency, "currency")?;
    if amount.scale() > cur.minor_units && amount.normalize().scale() > cur.minor_units {
        return Err(InvoiceError::InvalidValue {
            field: "amount".to_owned(),
            value: amount.to_string(),
            rule: format!(
                "{currency} has {} decimal place(s); an amount with more cannot be said exactly in words (round it first)",
                cur.minor_units
            ),
        });
    }
    let (major_name, minor_name) = NAMES
        .iter()
        .find(|(c, _, _)| *c == currency)
        .map(|(_, a, b)| ((*a).to_owned(), (*b).to_owned()))
        .unwrap_or_else(|| (currency.to_owned(), "Cents".to_owned()));
    let rounded = RoundingMode::HalfUp.round(amount, cur.minor_units);
    let abs = rounded.abs();
    let major = abs.trunc();
    let minor = (abs - major) * Decimal::from(10u64.pow(cur.minor_units));
    let (Some(major), Some(minor)) = (major.to_u128(), minor.trunc().to_u128()) else {
        return Err(InvoiceError::InvalidValue {
            field: "amount".to_owned(),
            value: amount.to_string(),
            rule: "amount too large to write in words".to_owned(),
        });
    };
    let indian_system = currency == "INR";
    let mut s = String::new();
    if rounded.is_sign_negative() && !rounded.is_zero() {
        s.push_str("Minus ");
    }
    s.push_str(&major_name);
    s.push(' ');
    s.push_str(&number_words(major, indian_system));
    if minor != 0 {
        s.push_str(" and ");
        s.push_str(&number_words(minor, indian_system));
        s.push(' ');
        s.push_str(&minor_name);
    }
    s.push_str(" Only");
    Ok(s)
}

/// Formats an amount with Indian digit grouping and `dp` decimals
/// (rounded half-up): `12345678.9` → `1,23,45,678.90`.
pub fn format_indian(amount: Decimal, dp: u32) -> Result<String, InvoiceError> {
    if dp > 10 {
        return Err(InvoiceError::InvalidValue {
            field: "dp".to_owned(),
            value: dp.to_string(),
            rule: "at most 10 decimals".to_owned(),
        });
    }
    let rounded = RoundingMode::HalfUp.round_to_scale(amount, dp);
    let text = rounded.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (text.clone(), None),
    };
    let digits: Vec<char> = int.chars().collect();
    let n = digits.len();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        let left = n - i;
        if i > 0 && (left == 3 || (left > 3 && (left - 3).is_multiple_of(2))) {
            out.push(',');
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.insert(0, '-');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn words_refuse_what_they_cannot_say_exactly() {
        let e = amount_in_words(d("1.005"), "INR").unwrap_err();
        assert!(matches!(&e, InvoiceError::InvalidValue { field, .. } if field == "amount"));
        assert!(amount_in_words(d("12.5"), "JPY").is_err());
        // Trailing zeros are not more decimals.
        assert_eq!(
            amount_in_words(d("1.500"), "INR").unwrap(),
            "Rupees One and Fifty Paise Only"
        );
        // The largest decimal is said digit for digit.
        let max = amount_in_words(Decimal::MAX, "INR").unwrap();
        assert!(
            max.starts_with("Rupees Seven Crore Ninety Two Lakh Twenty Eight Thousand One Hundred Sixty Two Crore Fifty One Lakh"),
            "{max}"
        );
    }

    #[test]
    fn spec_example() {
        assert_eq!(
            amount_in_words(d("12345678.90"), "INR").unwrap(),
            "Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight and Ninety Paise Only"
        );
        assert_eq!(format_indian(d("12345678.9"), 2).unwrap(), "1,23,45,678.90");
    }

    #[test]
    fn words_edge_cases() {
        assert_eq!(amount_in_words(d("0"), "INR").unwrap(), "Rupees Zero Only");
        assert_eq!(
            amount_in_words(d("17"), "INR").unwrap(),
            "Rupees Seventeen Only"
        );
        assert_eq!(
            amount_in_words(d("118000"), "INR").unwrap(),
            "Rupees One Lakh Eighteen Thousand Only"
        );
        assert_eq!(
            amount_in_words(d("0.5"), "INR").unwrap(),
            "Rupees Zero and Fifty Paise Only"
        );
        // Issue 17 item 5: 101.005 is no longer rounded to 101.01.
        assert!(amount_in_words(d("-101.005"), "INR").is_err());
        assert_eq!(
            amount_in_words(d("-101.01"), "INR").unwrap(),
            "Minus Rupees One Hundred One and One Paise Only"
        );
        assert_eq!(
            amount_in_words(d("1000000000000"), "INR").unwrap(),
            "Rupees One Lakh Crore Only"
        );
        assert_eq!(
            amount_in_words(d("1234567.5"), "USD").unwrap(),
            "US Dollars One Million Two Hundred Thirty Four Thousand Five Hundred Sixty Seven and Fifty Cents Only"
        );
        assert_eq!(
            amount_in_words(d("2.5"), "KWD").unwrap(),
            "Kuwaiti Dinars Two and Five Hundred Fils Only"
        );
        assert!(amount_in_words(d("1"), "XXX").is_err());
    }

    #[test]
    fn indian_grouping() {
        assert_eq!(format_indian(d("0"), 2).unwrap(), "0.00");
        assert_eq!(format_indian(d("999"), 2).unwrap(), "999.00");
        assert_eq!(format_indian(d("1000"), 0).unwrap(), "1,000");
        assert_eq!(format_indian(d("100000"), 2).unwrap(), "1,00,000.00");
        assert_eq!(format_indian(d("-118000"), 2).unwrap(), "-1,18,000.00");
        assert_eq!(
            format_indian(d("1234567890123"), 2).unwrap(),
            "12,34,56,78,90,123.00"
        );
    }
}
