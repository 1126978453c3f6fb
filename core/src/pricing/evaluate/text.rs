//! Decimals written for people (hints, effects, skip reasons), without
//! the formatting machinery.

use rust_decimal::Decimal;

/// A decimal for people: no trailing zeros.
pub(super) struct Plain(pub(super) Decimal);

impl Plain {
    pub(super) fn push_to(&self, out: &mut String) {
        push_decimal(out, self.0.normalize());
    }
}

impl std::fmt::Display for Plain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// A price for people: at least two decimals, no trailing zeros beyond.
pub(super) struct Price(pub(super) Decimal);

impl Price {
    pub(super) fn push_to(&self, out: &mut String) {
        let mut n = self.0.normalize();
        if n.scale() < 2 {
            n.rescale(2);
        }
        push_decimal(out, n);
    }
}

impl std::fmt::Display for Price {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// Appends `d` exactly as its `Display` writes it (sign, digits, and as
/// many decimals as its scale), without the formatting machinery: hints
/// write a few of these per line.
pub(super) fn push_decimal(out: &mut String, d: Decimal) {
    if d.is_sign_negative() {
        out.push('-');
    }
    let scale = d.scale() as usize;
    let mut digits = [0u8; 40];
    let mut len = 0;
    // In 64-bit pieces of 19 digits: 64-bit division is far cheaper.
    const PIECE: u128 = 10_000_000_000_000_000_000;
    let mantissa = d.mantissa().unsigned_abs();
    let (high, low) = ((mantissa / PIECE) as u64, (mantissa % PIECE) as u64);
    let mut put = |mut rest: u64, at_least: usize| {
        for slot in digits.iter_mut().skip(len) {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
            len += 1;
            if rest == 0 && len >= at_least {
                break;
            }
        }
    };
    if high == 0 {
        put(low, 1);
    } else {
        put(low, 19);
        put(high, 20);
    }
    // `digits` holds the mantissa's digits, least significant first.
    let written = |from: usize, to: usize, out: &mut String| {
        for k in (from..to).rev() {
            out.push(char::from(digits.get(k).copied().unwrap_or(b'0')));
        }
    };
    if len <= scale {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - len));
        written(0, len, out);
    } else {
        written(scale, len, out);
        if scale > 0 {
            out.push('.');
            written(0, scale, out);
        }
    }
}
