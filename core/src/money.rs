//! Money: exact decimal amounts with an ISO 4217 currency, checked arithmetic
//! and the two commercial rounding modes.
//!
//! Amounts are [`Decimal`]s, never floats. Every operation that could
//! overflow returns [`MoneyError::Overflow`]; mixing currencies returns
//! [`MoneyError::CurrencyMismatch`].
//!
//! ```
//! use b2b_oms::money::{Currencies, Money, RoundingMode};
//! use rust_decimal::Decimal;
//!
//! let inr = Currencies::iso().get("INR").unwrap();
//! let a = Money::new(Decimal::new(10005, 3), &inr); // 10.005
//! assert_eq!(a.round(RoundingMode::HalfUp).unwrap().amount, Decimal::new(1001, 2));
//! assert_eq!(a.round(RoundingMode::HalfEven).unwrap().amount, Decimal::new(1000, 2));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ErrorCode;

/// Errors of money arithmetic and currency lookup.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum MoneyError {
    /// The currency code is not ISO 4217 known here and was not registered.
    #[error("unknown currency {code:?}: register it with its minor units first")]
    UnknownCurrency {
        /// Field path of the code.
        field: String,
        /// The code given.
        code: String,
    },
    /// A currency code that is not three upper-case letters, or bad minor units.
    #[error("invalid currency {code:?}: {rule}")]
    InvalidCurrency {
        /// Field path.
        field: String,
        /// The code given.
        code: String,
        /// The rule it broke.
        rule: String,
    },
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// Field path.
        field: String,
        /// Currency of the left operand.
        left: String,
        /// Currency of the right operand.
        right: String,
    },
    /// The result does not fit in a decimal (about 7.9 × 10^28).
    #[error("arithmetic overflow computing {what}")]
    Overflow {
        /// Field path.
        field: String,
        /// What was being computed.
        what: String,
    },
}

impl ErrorCode for MoneyError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownCurrency { .. } => "UNKNOWN_CURRENCY",
            Self::InvalidCurrency { .. } => "INVALID_CURRENCY",
            Self::CurrencyMismatch { .. } => "CURRENCY_MISMATCH",
            Self::Overflow { .. } => "OVERFLOW",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::UnknownCurrency { field, .. }
            | Self::InvalidCurrency { field, .. }
            | Self::CurrencyMismatch { field, .. }
            | Self::Overflow { field, .. } => Some(field),
        }
    }
}

/// A currency and the number of digits of its minor unit (INR 2, JPY 0, KWD 3).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Currency {
    /// ISO 4217 code, three upper-case letters.
    pub code: String,
    /// Digits after the decimal point of the minor unit.
    pub minor_units: u32,
}

/// ISO 4217 currencies known without registration, with their minor units.
const ISO_CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AUD", 2),
    ("BDT", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EGP", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("LKR", 2),
    ("LYD", 3),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("QAR", 2),
    ("RUB", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("UGX", 0),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

/// The currencies a host works with: ISO 4217 ones plus any it registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Currencies {
    minor_units: BTreeMap<String, u32>,
}

impl Default for Currencies {
    fn default() -> Self {
        Self::iso()
    }
}

impl Currencies {
    /// The built-in ISO 4217 table.
    pub fn iso() -> Self {
        Self {
            minor_units: ISO_CURRENCIES
                .iter()
                .map(|(code, minor)| ((*code).to_owned(), *minor))
                .collect(),
        }
    }

    /// Registers (or redefines) a currency with its minor units (0–4).
    pub fn register(&mut self, code: &str, minor_units: u32) -> Result<(), MoneyError> {
        validate_code(code, "currency")?;
        if minor_units > 4 {
            return Err(MoneyError::InvalidCurrency {
                field: "minor_units".to_owned(),
                code: code.to_owned(),
                rule: format!("minor units must be 0 to 4, got {minor_units}"),
            });
        }
        self.minor_units.insert(code.to_owned(), minor_units);
        Ok(())
    }

    /// Looks a currency up by code.
    pub fn get(&self, code: &str) -> Result<Currency, MoneyError> {
        self.get_at(code, "currency")
    }

    /// Looks a currency up, naming `field` in the error.
    pub fn get_at(&self, code: &str, field: &str) -> Result<Currency, MoneyError> {
        match self.minor_units.get(code) {
            Some(minor) => Ok(Currency {
                code: code.to_owned(),
                minor_units: *minor,
            }),
            None => {
                validate_code(code, field)?;
                Err(MoneyError::UnknownCurrency {
                    field: field.to_owned(),
                    code: code.to_owned(),
                })
            }
        }
    }
}

fn validate_code(code: &str, field: &str) -> Result<(), MoneyError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(MoneyError::InvalidCurrency {
            field: field.to_owned(),
            code: code.to_owned(),
            rule: "a currency code is three upper-case letters (ISO 4217)".to_owned(),
        })
    }
}

/// How a midpoint is rounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Midpoints away from zero: the Indian commercial convention (default).
    #[default]
    HalfUp,
    /// Midpoints to the even neighbour (banker's rounding).
    HalfEven,
}

/// 10⁰ … 10³⁸: every power of ten a `u128` holds.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of range fails the build"
)]
const POWERS_OF_TEN: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut k = 1;
    while k < table.len() {
        table[k] = table[k - 1] * 10;
        k += 1;
    }
    table
};

impl RoundingMode {
    /// Rounds `value` to `dp` decimal places. Never panics.
    pub fn round(self, value: Decimal, dp: u32) -> Decimal {
        if let Some(r) = self.round_small(value, dp) {
            return r;
        }
        let strategy = match self {
            Self::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        value.round_dp_with_strategy(dp, strategy)
    }

    /// [`Self::round`] then [`Decimal::normalize`] (no trailing zeros),
    /// with the zeros stripped from the rounded integer directly.
    pub(crate) fn round_normalized(self, value: Decimal, dp: u32) -> Decimal {
        match self.rounded(value, dp, true) {
            Some(r) => r,
            None => self.round(value, dp).normalize(),
        }
    }

    /// [`Self::round`] in integers on the 96-bit mantissa (scales are at
    /// most 28, so the divisor fits a `u128`); a zero result is left to the
    /// decimal library (`None`), which keeps its sign, and gives the same
    /// value otherwise.
    fn round_small(self, value: Decimal, dp: u32) -> Option<Decimal> {
        self.rounded(value, dp, false)
    }

    /// [`Self::round_small`], also without trailing zeros when `strip`.
    #[inline]
    fn rounded(self, value: Decimal, dp: u32, strip: bool) -> Option<Decimal> {
        let scale = value.scale();
        if scale <= dp {
            return (!strip).then_some(value);
        }
        let m = value.mantissa().unsigned_abs();
        let d = *POWERS_OF_TEN.get(usize::try_from(scale - dp).ok()?)?;
        // One division, in 64 bits when both fit (far cheaper than 128).
        let q = match (u64::try_from(m), u64::try_from(d)) {
            (Ok(m), Ok(d)) => u128::from(m / d),
            _ => m / d,
        };
        let r = m - q * d;
        let rest = d - r;
        let up = match self {
            Self::HalfUp => r >= rest,
            Self::HalfEven => r > rest || (r == rest && q % 2 == 1),
        };
        let mut q = if up { q.checked_add(1)? } else { q };
        if q == 0 {
            // Keeps the sign of a zero result exactly as the library does.
            return None;
        }
        let mut scale = dp;
        if strip {
            // In 64 bits; a wider result is left to `Decimal::normalize`.
            let mut small = u64::try_from(q).ok()?;
            while scale > 0 && small % 10 == 0 {
                small /= 10;
                scale -= 1;
            }
            q = u128::from(small);
        }
        // q ≤ m < 2⁹⁶: it fits the decimal's mantissa.
        let hi = u32::try_from(q >> 64).ok()?;
        Some(Decimal::from_parts(
            q as u32,
            (q >> 32) as u32,
            hi,
            value.is_sign_negative(),
            scale,
        ))
    }

    /// Rounds and pads to exactly `dp` places, so `215` prints as `215.00`.
    pub fn round_to_scale(self, value: Decimal, dp: u32) -> Decimal {
        let mut rounded = self.round(value, dp);
        if rounded.scale() < dp {
            // rescale only adds trailing zeros here; it cannot lose digits.
            rounded.rescale(dp);
        }
        rounded
    }
}

/// An amount in a currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The exact amount.
    pub amount: Decimal,
    /// ISO 4217 code.
    pub currency: String,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl Money {
    /// An amount in `currency`, kept at full precision.
    pub fn new(amount: Decimal, currency: &Currency) -> Self {
        Self {
            amount,
            currency: currency.code.clone(),
        }
    }

    /// Zero in `currency`, at its minor-unit scale.
    pub fn zero(currency: &Currency) -> Self {
        Self {
            amount: Decimal::new(0, currency.minor_units),
            currency: currency.code.clone(),
        }
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money {
            amount: add(self.amount, other.amount, "money addition")?,
            currency: self.currency.clone(),
        })
    }

    /// Subtracts an amount of the same currency.
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(Money {
            amount: sub(self.amount, other.amount, "money subtraction")?,
            currency: self.currency.clone(),
        })
    }

    /// Multiplies by a quantity or factor.
    pub fn checked_mul(&self, factor: Decimal) -> Result<Money, MoneyError> {
        Ok(Money {
            amount: mul(self.amount, factor, "money multiplication")?,
            currency: self.currency.clone(),
        })
    }

    /// Rounds to the currency's minor units as the ISO 4217 table gives
    /// them. A code not in the table is [`MoneyError::UnknownCurrency`]
    /// (never a guessed 2 places): round a caller-registered currency with
    /// [`Money::round_with`] or [`Money::round_in`].
    pub fn round(&self, mode: RoundingMode) -> Result<Money, MoneyError> {
        let dp = ISO_CURRENCIES
            .iter()
            .find(|(code, _)| *code == self.currency)
            .map(|(_, minor)| *minor);
        match dp {
            Some(dp) => Ok(Money {
                amount: mode.round_to_scale(self.amount, dp),
                currency: self.currency.clone(),
            }),
            None => {
                validate_code(&self.currency, "currency")?;
                Err(MoneyError::UnknownCurrency {
                    field: "currency".to_owned(),
                    code: self.currency.clone(),
                })
            }
        }
    }

    /// Rounds to the minor units `currencies` knows for this amount's
    /// currency (ISO or registered); unknown codes are an error.
    pub fn round_with(
        &self,
        currencies: &Currencies,
        mode: RoundingMode,
    ) -> Result<Money, MoneyError> {
        let currency = currencies.get_at(&self.currency, "currency")?;
        Ok(self.round_in(&currency, mode))
    }

    /// Rounds to `currency`'s minor units (use for registered currencies).
    pub fn round_in(&self, currency: &Currency, mode: RoundingMode) -> Money {
        Money {
            amount: mode.round_to_scale(self.amount, currency.minor_units),
            currency: self.currency.clone(),
        }
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                field: String::new(),
                left: self.currency.clone(),
                right: other.currency.clone(),
            })
        }
    }
}

/// Whether `d` is exactly 1 with no decimals (a base unit's factor, a
/// whole-unit step): cheaper than comparing with [`Decimal::ONE`].
pub(crate) fn is_one(d: Decimal) -> bool {
    d.scale() == 0 && d.mantissa() == 1
}

/// `a × b` exactly as [`Decimal::checked_mul`] gives it, without the
/// multiplication when `b` [`is_one`]: a zero product is plain `0`,
/// anything else is `a`.
pub(crate) fn checked_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    if is_one(b) {
        Some(if a.is_zero() { Decimal::ZERO } else { a })
    } else {
        exact_mul(a, b).or_else(|| a.checked_mul(b))
    }
}

/// `a × b` when both mantissas fit 64 bits and the exact product fits a
/// decimal at the summed scale: then [`Decimal::checked_mul`] gives exactly
/// that product (zero as plain `0`), which this computes with one widening
/// multiply. Prices after a few percentages land here. Otherwise `None`.
fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale() + b.scale();
    let (ua, ub) = (a.unpack(), b.unpack());
    if ua.hi != 0 || ub.hi != 0 || scale > Decimal::MAX_SCALE {
        return None;
    }
    let x = u64::from(ua.lo) | (u64::from(ua.mid) << 32);
    let y = u64::from(ub.lo) | (u64::from(ub.mid) << 32);
    let product = u128::from(x) * u128::from(y);
    if product == 0 {
        return Some(Decimal::ZERO);
    }
    let hi = u32::try_from(product >> 64).ok()?;
    Some(Decimal::from_parts(
        product as u32,
        (product >> 32) as u32,
        hi,
        ua.negative != ub.negative,
        scale,
    ))
}

/// `a.cmp(&b)`, comparing the mantissas directly when the scales agree
/// (tier quantities, order totals and rule windows mostly do): cheaper
/// than the library's comparison, which first brings both to one scale.
pub(crate) fn cmp(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    if a.scale() == b.scale() {
        a.mantissa().cmp(&b.mantissa())
    } else {
        a.cmp(&b)
    }
}

/// Checked decimal addition naming what was computed on overflow.
pub fn add(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, MoneyError> {
    a.checked_add(b).ok_or_else(|| overflow(what))
}

/// Checked decimal subtraction.
pub fn sub(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, MoneyError> {
    a.checked_sub(b).ok_or_else(|| overflow(what))
}

/// Checked decimal multiplication.
pub fn mul(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, MoneyError> {
    checked_mul(a, b).ok_or_else(|| overflow(what))
}

/// Checked decimal division; dividing by zero is reported as overflow.
pub fn div(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, MoneyError> {
    a.checked_div(b).ok_or_else(|| overflow(what))
}

/// Sums decimals, failing on overflow.
pub fn sum<I: IntoIterator<Item = Decimal>>(items: I, what: &str) -> Result<Decimal, MoneyError> {
    items
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, x| add(acc, x, what))
}

fn overflow(what: &str) -> MoneyError {
    MoneyError::Overflow {
        field: String::new(),
        what: what.to_owned(),
    }
}

impl MoneyError {
    /// The same error naming `field` as its path.
    pub fn at(mut self, at: &str) -> Self {
        match &mut self {
            Self::UnknownCurrency { field, .. }
            | Self::InvalidCurrency { field, .. }
            | Self::CurrencyMismatch { field, .. }
            | Self::Overflow { field, .. } => *field = at.to_owned(),
        }
        self
    }
}

/// Splits `total` over `weights` in proportion, each share rounded to `dp`
/// places, the rounding remainder going to the largest weight (the first
/// such on ties). Shares always sum exactly to `total` rounded to `dp`.
///
/// Used to spread an order discount over lines and charges over goods.
///
/// ```
/// use b2b_oms::money::{allocate_proportionally, RoundingMode};
/// use rust_decimal::Decimal;
///
/// let shares = allocate_proportionally(
///     Decimal::new(100, 0),
///     &[Decimal::new(1, 0), Decimal::new(1, 0), Decimal::new(1, 0)],
///     2,
///     RoundingMode::HalfUp,
/// ).unwrap();
/// assert_eq!(shares, vec![Decimal::new(3334, 2), Decimal::new(3333, 2), Decimal::new(3333, 2)]);
/// ```
pub fn allocate_proportionally(
    total: Decimal,
    weights: &[Decimal],
    dp: u32,
    mode: RoundingMode,
) -> Result<Vec<Decimal>, MoneyError> {
    let total = mode.round_to_scale(total, dp);
    let weight_sum = sum(weights.iter().copied(), "proportional allocation")?;
    if weights.is_empty() {
        return Ok(Vec::new());
    }
    let mut shares = Vec::with_capacity(weights.len());
    if weight_sum.is_zero() {
        shares.resize(weights.len(), Decimal::new(0, dp));
    } else {
        for w in weights {
            let share = div(
                mul(total, *w, "allocation share")?,
                weight_sum,
                "allocation share",
            )?;
            shares.push(mode.round_to_scale(share, dp));
        }
    }
    let allocated = sum(shares.iter().copied(), "proportional allocation")?;
    let remainder = sub(total, allocated, "proportional allocation")?;
    if !remainder.is_zero() {
        let mut largest = 0usize;
        let mut largest_weight: Option<Decimal> = None;
        for (i, w) in weights.iter().enumerate() {
            if largest_weight.is_none_or(|best| *w > best) {
                largest = i;
                largest_weight = Some(*w);
            }
        }
        if let Some(share) = shares.get_mut(largest) {
            *share = add(*share, remainder, "proportional allocation")?;
        }
    }
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn integer_rounding_matches_the_decimal_library(
            m in any::<i64>(),
            wide in any::<i128>(),
            use_wide in any::<bool>(),
            scale in 0u32..=28,
            dp in 0u32..=12,
        ) {
            let mantissa = if use_wide { wide % 79_228_162_514_264_337_593_543_950_335 } else { i128::from(m) };
            let value = Decimal::from_i128_with_scale(mantissa, scale);
            for (mode, strategy) in [
                (RoundingMode::HalfUp, RoundingStrategy::MidpointAwayFromZero),
                (RoundingMode::HalfEven, RoundingStrategy::MidpointNearestEven),
            ] {
                let ours = mode.round(value, dp);
                let theirs = value.round_dp_with_strategy(dp, strategy);
                prop_assert_eq!(ours, theirs);
                prop_assert_eq!(ours.to_string(), theirs.to_string());
                prop_assert_eq!(ours.scale(), theirs.scale());
                let normalized = mode.round_normalized(value, dp);
                prop_assert_eq!(normalized.to_string(), theirs.normalize().to_string());
                prop_assert_eq!(normalized.scale(), theirs.normalize().scale());
            }
        }
    }

    #[test]
    fn integer_rounding_midpoints_and_signs() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let up = RoundingMode::HalfUp;
        let even = RoundingMode::HalfEven;
        assert_eq!(up.round(d("2.345"), 2).to_string(), "2.35");
        assert_eq!(even.round(d("2.345"), 2).to_string(), "2.34");
        assert_eq!(even.round(d("2.355"), 2).to_string(), "2.36");
        assert_eq!(up.round(d("-2.345"), 2).to_string(), "-2.35");
        assert_eq!(
            up.round(d("-0.001"), 2).to_string(),
            (d("-0.001").round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
                .to_string()
        );
        assert_eq!(up.round(d("1.20"), 4).to_string(), "1.20");
        assert_eq!(up.round_normalized(d("1.2000049"), 5).to_string(), "1.2");
        assert_eq!(up.round_normalized(d("-0.0000001"), 2).to_string(), "0");
        assert_eq!(even.round_normalized(d("19.99999"), 3).to_string(), "20");
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn minor_units_of_known_currencies() {
        let c = Currencies::iso();
        assert_eq!(c.get("INR").unwrap().minor_units, 2);
        assert_eq!(c.get("JPY").unwrap().minor_units, 0);
        assert_eq!(c.get("KWD").unwrap().minor_units, 3);
    }

    #[test]
    fn unknown_currency_until_registered() {
        let mut c = Currencies::iso();
        let err = c.get("XTS").unwrap_err();
        assert_eq!(err.code(), "UNKNOWN_CURRENCY");
        c.register("XTS", 3).unwrap();
        assert_eq!(c.get("XTS").unwrap().minor_units, 3);
    }

    #[test]
    fn invalid_currency_code_and_minor_units() {
        let mut c = Currencies::iso();
        let err = c.get_at("inr", "order.currency").unwrap_err();
        assert_eq!(err.code(), "INVALID_CURRENCY");
        assert_eq!(err.field(), Some("order.currency"));
        assert_eq!(c.register("ABC", 9).unwrap_err().code(), "INVALID_CURRENCY");
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let c = Currencies::iso();
        let a = Money::new(d("1"), &c.get("INR").unwrap());
        let b = Money::new(d("1"), &c.get("USD").unwrap());
        let err = a.checked_add(&b).unwrap_err();
        assert_eq!(err.code(), "CURRENCY_MISMATCH");
        assert_eq!(err.clone().at("total").field(), Some("total"));
    }

    #[test]
    fn overflow_is_an_error() {
        let c = Currencies::iso();
        let a = Money::new(Decimal::MAX, &c.get("INR").unwrap());
        assert_eq!(a.checked_add(&a).unwrap_err().code(), "OVERFLOW");
        assert_eq!(a.checked_mul(d("2")).unwrap_err().code(), "OVERFLOW");
        assert_eq!(
            div(d("1"), Decimal::ZERO, "x").unwrap_err().code(),
            "OVERFLOW"
        );
    }

    #[test]
    fn rounding_modes() {
        assert_eq!(RoundingMode::HalfUp.round(d("192.165"), 2), d("192.17"));
        assert_eq!(RoundingMode::HalfEven.round(d("192.165"), 2), d("192.16"));
        assert_eq!(RoundingMode::HalfUp.round(d("-0.125"), 2), d("-0.13"));
        assert_eq!(
            RoundingMode::HalfUp.round_to_scale(d("215"), 2).to_string(),
            "215.00"
        );
        let jpy = Currencies::iso().get("JPY").unwrap();
        assert_eq!(
            Money::new(d("1234.5"), &jpy)
                .round(RoundingMode::HalfUp)
                .unwrap()
                .amount,
            d("1235")
        );
    }

    #[test]
    fn registered_and_unknown_currencies_round_to_their_own_minor_units() {
        let mut c = Currencies::iso();
        c.register("XTS", 3).unwrap();
        let m = Money {
            amount: d("1.23456"),
            currency: "XTS".into(),
        };
        assert_eq!(
            m.round_with(&c, RoundingMode::HalfUp)
                .unwrap()
                .amount
                .to_string(),
            "1.235"
        );
        assert_eq!(
            m.round(RoundingMode::HalfUp).unwrap_err().code(),
            "UNKNOWN_CURRENCY"
        );
        let kwd = Money {
            amount: d("2.0005"),
            currency: "KWD".into(),
        };
        assert_eq!(
            kwd.round(RoundingMode::HalfUp).unwrap().amount.to_string(),
            "2.001"
        );
        assert_eq!(
            kwd.round(RoundingMode::HalfEven)
                .unwrap()
                .amount
                .to_string(),
            "2.000"
        );
        let lower = Money {
            amount: d("1"),
            currency: "inr".into(),
        };
        assert_eq!(
            lower.round(RoundingMode::HalfUp).unwrap_err().code(),
            "INVALID_CURRENCY"
        );
        assert_eq!(
            Money {
                amount: d("5"),
                currency: "QQQ".into()
            }
            .round_with(&c, RoundingMode::HalfUp)
            .unwrap_err()
            .code(),
            "UNKNOWN_CURRENCY"
        );
    }

    #[test]
    fn proportional_allocation_remainder_to_largest() {
        let shares =
            allocate_proportionally(d("10"), &[d("1"), d("2"), d("0")], 2, RoundingMode::HalfUp)
                .unwrap();
        assert_eq!(shares, vec![d("3.33"), d("6.67"), d("0.00")]);
        let empty = allocate_proportionally(d("10"), &[], 2, RoundingMode::HalfUp).unwrap();
        assert!(empty.is_empty());
    }

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), any::<u32>(), 0u32..=28).prop_map(|(lo, hi, scale)| {
            Decimal::from_parts(lo as u32, (lo >> 32) as u32, hi, lo < 0, scale)
        })
    }

    proptest! {
        #[test]
        fn mul_is_the_decimal_product(a in any_decimal(), b in any_decimal(), small in any::<bool>()) {
            // Small operands take the one-multiply path; any others fall back.
            let (a, b) = if small {
                (
                    Decimal::from_i128_with_scale(a.mantissa() % (1i128 << 64), a.scale()),
                    Decimal::from_i128_with_scale(b.mantissa() % (1i128 << 40), b.scale() % 12),
                )
            } else {
                (a, b)
            };
            let theirs = a.checked_mul(b).map(|d| d.serialize());
            prop_assert_eq!(checked_mul(a, b).map(|d| d.serialize()), theirs);
            prop_assert_eq!(mul(a, b, "p").ok().map(|d| d.serialize()), theirs);
        }

        #[test]
        fn cmp_is_the_decimal_order(a in any_decimal(), b in any_decimal(), same_scale in any::<bool>()) {
            let b = if same_scale {
                Decimal::from_i128_with_scale(b.mantissa(), a.scale())
            } else {
                b
            };
            prop_assert_eq!(cmp(a, b), a.cmp(&b));
            prop_assert_eq!(cmp(b, a), b.cmp(&a));
            prop_assert_eq!(cmp(a, -a), a.cmp(&-a));
        }

        #[test]
        fn no_operation_panics(a in any_decimal(), b in any_decimal(), dp in 0u32..30) {
            let inr = Currencies::iso().get("INR").unwrap();
            let x = Money::new(a, &inr);
            let y = Money::new(b, &inr);
            let _ = x.checked_add(&y);
            let _ = x.checked_sub(&y);
            let _ = x.checked_mul(b);
            let _ = div(a, b, "p");
            let _ = RoundingMode::HalfUp.round_to_scale(a, dp);
            let _ = RoundingMode::HalfEven.round_to_scale(a, dp);
            let _ = allocate_proportionally(a, &[a, b], dp.min(4), RoundingMode::HalfUp);
        }

        #[test]
        fn allocation_sums_exactly(total in 0i64..10_000_000, ws in proptest::collection::vec(0i64..1_000_000, 1..20)) {
            let total = Decimal::new(total, 2);
            let weights: Vec<Decimal> = ws.iter().map(|w| Decimal::new(*w, 2)).collect();
            let shares = allocate_proportionally(total, &weights, 2, RoundingMode::HalfUp).unwrap();
            prop_assert_eq!(shares.iter().copied().sum::<Decimal>(), total);
        }

        #[test]
        fn money_json_round_trips(a in any_decimal()) {
            let m = Money { amount: a, currency: "INR".into() };
            let json = serde_json::to_string(&m).unwrap();
            let back: Money = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, m);
        }
    }
}
