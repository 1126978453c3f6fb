//! Serde of a decimal as an exact JSON number (INV-01 amounts).

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// The schema of a decimal written as a JSON number: `{"type":
/// "number", "format": "decimal"}`, so that bindings and type
/// generators tell INV-01's exact amounts from binary floats.
pub struct DecimalNumber;

impl schemars::JsonSchema for DecimalNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DecimalNumber".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "format": "decimal",
        })
    }
}

/// Powers of ten, each exactly representable as a double.
const POW10: [f64; 4] = [1e0, 1e1, 1e2, 1e3];

pub(super) fn text(d: &Decimal) -> String {
    if d.is_zero() {
        "0".to_owned()
    } else {
        d.normalize().to_string()
    }
}

/// Reads a JSON number token exactly; a JSON string is refused (INV-01
/// amounts are numbers, and the IRP refuses `"AssAmt": "100.00"`).
pub(super) fn parse_number(raw: &str) -> Result<Decimal, String> {
    let t = raw.trim();
    if t.starts_with('"') {
        return Err(format!(
            "the amount {t} is a JSON string; INV-01 amounts are JSON numbers"
        ));
    }
    Decimal::from_str_exact(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|e| format!("not a decimal number {t:?}: {e}"))
}

/// Writes the decimal's exact digits as a JSON number.
///
/// Integers go out as integers. A decimal of at most 15 significant
/// digits and 3 decimals goes through `f64` purely as a transport: the IEEE quotient
/// `mantissa / 10^scale` of two exactly representable integers is the
/// double nearest the decimal, no other decimal of ≤ 15 digits maps to
/// that double, and serde_json prints the shortest digits that map back
/// to it — so the text is exactly the decimal's digits (a property test
/// checks it). Anything longer is written verbatim as raw JSON text.
pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    const LIMIT: i64 = 1_000_000_000_000_000;
    let scale = d.scale();
    // Up to 3 decimals (amounts, quantities, prices) and below 10^15 in
    // mantissa: serde_json writes these in plain notation.
    if let (Some(pow), Ok(m)) = (
        usize::try_from(scale).ok().and_then(|i| POW10.get(i)),
        i64::try_from(d.mantissa()),
    ) {
        if m.unsigned_abs() < LIMIT.unsigned_abs() {
            let p = 10i64.pow(scale);
            if m % p == 0 {
                return s.serialize_i64(m / p);
            }
            // Exact: |m| < 2^53 and 10^scale ≤ 10^3 are representable.
            #[allow(clippy::cast_precision_loss)]
            let f = m as f64 / pow;
            return s.serialize_f64(f);
        }
    }
    let n = d.normalize();
    if n.is_zero() {
        return s.serialize_u64(0);
    }
    if n.scale() == 0 {
        if let Ok(i) = i64::try_from(n.mantissa()) {
            return s.serialize_i64(i);
        }
    }
    let raw = RawValue::from_string(text(d)).map_err(S::Error::custom)?;
    raw.serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let raw: Box<RawValue> = Deserialize::deserialize(d)?;
    parse_number(raw.get()).map_err(D::Error::custom)
}
