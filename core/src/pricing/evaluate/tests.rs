//! Unit tests of the evaluator's helpers: exact decimal writing, integer
//! discount shares and checked multiplication.

use rust_decimal::Decimal;

use super::discounts::integer_shares;
use super::text::{push_decimal, Plain};
use crate::money::{self, allocate_proportionally, RoundingMode};
use proptest::prelude::*;

proptest! {
    #[test]
    fn mul_checked_is_checked_mul(m in any::<i64>(), scale in 0u32..=28, b_is_one in any::<bool>()) {
        let a = Decimal::new(m, scale);
        let b = if b_is_one { Decimal::ONE } else { Decimal::new(12, 1) };
        let ours = money::checked_mul(a, b);
        let theirs = a.checked_mul(b);
        prop_assert_eq!(ours.map(|d| d.serialize()), theirs.map(|d| d.serialize()));
    }

    #[test]
    fn integer_shares_are_allocate_proportionally(
        total in 0i64..100_000_000_000,
        weights in proptest::collection::vec(0i64..10_000_000_000, 1..40),
        dp in 0u32..=4,
        half_even in any::<bool>(),
    ) {
        let mode = if half_even { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
        let total = Decimal::new(total, dp);
        let weights: Vec<Decimal> = weights.iter().map(|w| Decimal::new(*w, dp)).collect();
        let expected = allocate_proportionally(total, &weights, dp, mode).unwrap();
        match integer_shares(total, &weights, dp, mode) {
            Some(ours) => {
                let ours: Vec<_> = ours.iter().map(|d| d.serialize()).collect();
                let expected: Vec<_> = expected.iter().map(|d| d.serialize()).collect();
                prop_assert_eq!(ours, expected);
            }
            // Only an all-zero weight list or one beyond the integer limits falls back.
            None => prop_assert!(weights.iter().all(|w| w.is_zero())
                || weights.iter().map(|w| w.mantissa()).sum::<i128>() >= 1_000_000_000_000),
        }
    }
}

#[test]
fn decimals_are_written_exactly_as_display_writes_them() {
    let mut cases = vec![
        Decimal::ZERO,
        Decimal::new(0, 5),
        -Decimal::new(0, 3),
        Decimal::new(5, 3),
        Decimal::new(-5, 3),
        Decimal::new(123_456, 2),
        Decimal::new(-100, 0),
        Decimal::MAX,
        Decimal::MIN,
        Decimal::from_i128_with_scale(1, 28),
        Decimal::from_i128_with_scale(-79_228_162_514_264_337_593_543_950_335, 28),
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mantissa = i128::from(x as i64) * i128::from((x >> 40) as u16);
        let scale = (x % 29) as u32;
        cases.push(Decimal::from_i128_with_scale(mantissa, scale));
    }
    for d in cases {
        let mut s = String::new();
        push_decimal(&mut s, d);
        assert_eq!(s, d.to_string(), "{d:?}");
        let mut p = String::new();
        Plain(d).push_to(&mut p);
        assert_eq!(p, d.normalize().to_string());
    }
}

#[test]
fn integer_shares_round_midpoints_like_the_decimal_division() {
    // 0.05 over two equal lines is 0.025 each: half-up gives 0.03 + 0.03
    // and the −0.01 remainder goes to the first line; half-even gives
    // 0.02 + 0.02 and +0.01 to the first; 0.07 half-even gives 0.04 each
    // and −0.01 to the first.
    let w = [Decimal::new(100, 2), Decimal::new(100, 2)];
    for (total, mode, expected) in [
        (Decimal::new(5, 2), RoundingMode::HalfUp, ["0.02", "0.03"]),
        (Decimal::new(5, 2), RoundingMode::HalfEven, ["0.03", "0.02"]),
        (Decimal::new(7, 2), RoundingMode::HalfEven, ["0.03", "0.04"]),
    ] {
        let ours = integer_shares(total, &w, 2, mode).unwrap();
        let theirs = allocate_proportionally(total, &w, 2, mode).unwrap();
        assert_eq!(ours, theirs);
        let shown: Vec<String> = ours.iter().map(ToString::to_string).collect();
        assert_eq!(shown, expected);
    }
}
