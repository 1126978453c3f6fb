//! Units of measure: the GST unit quantity codes (UQC), whether a unit is
//! divisible, and exact conversion of alternative selling units to a
//! product's base unit (1 BOX = 12 NOS; 1 CTN = 10 BOX = 120 NOS).
//!
//! ```
//! use b2b_oms::units::{AltUnit, UnitTable};
//! use rust_decimal::Decimal;
//!
//! let table = UnitTable::new(
//!     "NOS",
//!     None,
//!     &[
//!         AltUnit { unit: "BOX".into(), factor: Decimal::from(12), of: None },
//!         AltUnit { unit: "CTN".into(), factor: Decimal::from(10), of: Some("BOX".into()) },
//!     ],
//!     "products[0]",
//! ).unwrap();
//! assert_eq!(table.to_base(Decimal::from(2), "CTN", "qty").unwrap(), Decimal::from(240));
//! ```

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use thiserror::Error;

use crate::error::{index, path, ErrorCode};

/// Errors of units and quantity conversion.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum UnitError {
    /// A unit code that is not a GST UQC.
    #[error("unknown unit {unit:?}: not a GST unit quantity code (UQC)")]
    UnknownUnit {
        /// Field path.
        field: String,
        /// The unit given.
        unit: String,
    },
    /// The product is not sold in this unit.
    #[error("unit {unit:?} is not a selling unit of this product (base {base}, alternatives {alternatives})")]
    UnitNotSold {
        /// Field path.
        field: String,
        /// The unit given.
        unit: String,
        /// The product's base unit.
        base: String,
        /// The alternative units, comma separated.
        alternatives: String,
    },
    /// A conversion factor that is zero or negative.
    #[error("conversion factor {factor} of {unit} must be greater than zero")]
    BadFactor {
        /// Field path.
        field: String,
        /// The unit.
        unit: String,
        /// The factor given.
        factor: Decimal,
    },
    /// Alternative units that refer to each other in a loop, or to nothing.
    #[error("unit {unit:?} cannot be converted to the base unit: {reason}")]
    BadConversion {
        /// Field path.
        field: String,
        /// The unit.
        unit: String,
        /// Why: a cycle or an unknown reference.
        reason: String,
    },
    /// A quantity that is not a whole multiple of the base unit's step.
    #[error("quantity {quantity} {unit} is {base_quantity} {base}, not a whole multiple of {step} {base}")]
    Indivisible {
        /// Field path.
        field: String,
        /// The ordered quantity.
        quantity: Decimal,
        /// The ordered unit.
        unit: String,
        /// The quantity in base units.
        base_quantity: Decimal,
        /// The base unit.
        base: String,
        /// The smallest step of the base unit.
        step: Decimal,
    },
    /// A zero or negative quantity.
    #[error("quantity {quantity} must be greater than zero")]
    NotPositive {
        /// Field path.
        field: String,
        /// The quantity given.
        quantity: Decimal,
    },
    /// The converted quantity does not fit in a decimal.
    #[error("quantity {quantity} {unit} overflows when converted to the base unit")]
    Overflow {
        /// Field path.
        field: String,
        /// The quantity.
        quantity: Decimal,
        /// The unit.
        unit: String,
    },
}

impl UnitError {
    /// The same error naming `at` as its field path.
    pub fn at(mut self, at: &str) -> Self {
        match &mut self {
            Self::UnknownUnit { field, .. }
            | Self::UnitNotSold { field, .. }
            | Self::BadFactor { field, .. }
            | Self::BadConversion { field, .. }
            | Self::Indivisible { field, .. }
            | Self::NotPositive { field, .. }
            | Self::Overflow { field, .. } => at.clone_into(field),
        }
        self
    }
}

impl ErrorCode for UnitError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownUnit { .. } => "UNKNOWN_UNIT",
            Self::UnitNotSold { .. } => "UNIT_NOT_SOLD",
            Self::BadFactor { .. } => "BAD_UNIT_FACTOR",
            Self::BadConversion { .. } => "BAD_UNIT_CONVERSION",
            Self::Indivisible { .. } => "INDIVISIBLE_QUANTITY",
            Self::NotPositive { .. } => "QUANTITY_NOT_POSITIVE",
            Self::Overflow { .. } => "OVERFLOW",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::UnknownUnit { field, .. }
            | Self::UnitNotSold { field, .. }
            | Self::BadFactor { field, .. }
            | Self::BadConversion { field, .. }
            | Self::Indivisible { field, .. }
            | Self::NotPositive { field, .. }
            | Self::Overflow { field, .. } => Some(field),
        }
    }
}

/// GST unit quantity codes and whether each is divisible (weights, lengths,
/// volumes, areas) or counted in whole units.
pub const UQC: &[(&str, &str, bool)] = &[
    ("BAG", "BAGS", false),
    ("BAL", "BALE", false),
    ("BDL", "BUNDLES", false),
    ("BKL", "BUCKLES", false),
    ("BOU", "BILLION OF UNITS", false),
    ("BOX", "BOX", false),
    ("BTL", "BOTTLES", false),
    ("BUN", "BUNCHES", false),
    ("CAN", "CANS", false),
    ("CBM", "CUBIC METERS", true),
    ("CCM", "CUBIC CENTIMETERS", true),
    ("CMS", "CENTIMETERS", true),
    ("CTN", "CARTONS", false),
    ("DOZ", "DOZENS", false),
    ("DRM", "DRUMS", false),
    ("GGK", "GREAT GROSS", false),
    ("GMS", "GRAMMES", true),
    ("GRS", "GROSS", false),
    ("GYD", "GROSS YARDS", true),
    ("KGS", "KILOGRAMS", true),
    ("KLR", "KILOLITRE", true),
    ("KME", "KILOMETRE", true),
    ("LTR", "LITRES", true),
    ("MLT", "MILILITRE", true),
    ("MTR", "METERS", true),
    ("MTS", "METRIC TON", true),
    ("NOS", "NUMBERS", false),
    ("OTH", "OTHERS", true),
    ("PAC", "PACKS", false),
    ("PCS", "PIECES", false),
    ("PRS", "PAIRS", false),
    ("QTL", "QUINTAL", true),
    ("ROL", "ROLLS", false),
    ("SET", "SETS", false),
    ("SQF", "SQUARE FEET", true),
    ("SQM", "SQUARE METERS", true),
    ("SQY", "SQUARE YARDS", true),
    ("TBS", "TABLETS", false),
    ("TGM", "TEN GROSS", false),
    ("THD", "THOUSANDS", false),
    ("TON", "TONNES", true),
    ("TUB", "TUBES", false),
    ("UGS", "US GALLONS", true),
    ("UNT", "UNITS", false),
    ("YDS", "YARDS", true),
];

/// Whether `code` is a GST UQC.
pub fn is_uqc(code: &str) -> bool {
    UQC.iter().any(|(c, _, _)| *c == code)
}

/// The default smallest step of a base unit: 1 for counted units, 0.001 for
/// divisible ones.
pub fn default_step(code: &str) -> Option<Decimal> {
    UQC.iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, divisible)| {
            if *divisible {
                Decimal::new(1, 3)
            } else {
                Decimal::ONE
            }
        })
}

/// An alternative selling unit: `1 unit = factor × of` (`of` defaults to the
/// base unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AltUnit {
    /// The alternative unit (a UQC).
    pub unit: String,
    /// How many `of` units one `unit` holds.
    pub factor: Decimal,
    /// The unit the factor is expressed in; the base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
}

/// A product's units resolved to factors of its base unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTable {
    /// Inline for short codes: every line compares its unit with it.
    base: SmolStr,
    step: Decimal,
    /// (unit, factor to base); the base unit itself is not listed.
    alternatives: Vec<(String, Decimal)>,
}

impl UnitTable {
    /// Resolves the alternative units of a product. Reports cycles, unknown
    /// references, non-UQC codes and non-positive factors.
    pub fn new(
        base: &str,
        step: Option<Decimal>,
        alternatives: &[AltUnit],
        at: &str,
    ) -> Result<Self, Vec<UnitError>> {
        let mut errors = Vec::new();
        let default = default_step(base);
        if default.is_none() {
            errors.push(UnitError::UnknownUnit {
                field: path(at, "base_unit"),
                unit: base.to_owned(),
            });
        }
        let step = step.or(default).unwrap_or(Decimal::ONE);
        if step <= Decimal::ZERO {
            errors.push(UnitError::BadFactor {
                field: path(at, "quantity_step"),
                unit: base.to_owned(),
                factor: step,
            });
        }
        for (i, alt) in alternatives.iter().enumerate() {
            let field = index(&path(at, "alt_units"), i);
            if !is_uqc(&alt.unit) {
                errors.push(UnitError::UnknownUnit {
                    field: path(&field, "unit"),
                    unit: alt.unit.clone(),
                });
            }
            if alt.factor <= Decimal::ZERO {
                errors.push(UnitError::BadFactor {
                    field: path(&field, "factor"),
                    unit: alt.unit.clone(),
                    factor: alt.factor,
                });
            }
            if alt.unit == base
                || alternatives
                    .iter()
                    .take(i)
                    .any(|earlier| earlier.unit == alt.unit)
            {
                errors.push(UnitError::BadConversion {
                    field: path(&field, "unit"),
                    unit: alt.unit.clone(),
                    reason: "defined twice".to_owned(),
                });
            }
        }
        // Conversion chains are checked even when other units are broken,
        // so a cycle or a dangling `of` is reported with everything else.
        let mut resolved = Vec::with_capacity(alternatives.len());
        for (i, alt) in alternatives.iter().enumerate() {
            let field = index(&path(at, "alt_units"), i);
            match resolve_factor(base, alternatives, alt, &field) {
                Ok(f) => resolved.push((alt.unit.clone(), f)),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(Self {
                base: SmolStr::new(base),
                step,
                alternatives: resolved,
            })
        } else {
            Err(errors)
        }
    }

    /// The base unit.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The smallest step of the base unit.
    pub fn step(&self) -> Decimal {
        self.step
    }

    /// Factor of `unit` to the base unit (1 for the base itself).
    pub fn factor(&self, unit: &str, field: &str) -> Result<Decimal, UnitError> {
        if unit == self.base {
            return Ok(Decimal::ONE);
        }
        self.alternatives
            .iter()
            .find(|(u, _)| u == unit)
            .map(|(_, f)| *f)
            .ok_or_else(|| UnitError::UnitNotSold {
                field: field.to_owned(),
                unit: unit.to_owned(),
                base: self.base.to_string(),
                alternatives: self
                    .alternatives
                    .iter()
                    .map(|(u, _)| u.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Converts a positive quantity in `unit` to base units, checking that
    /// it is a whole multiple of the base unit's step.
    pub fn to_base(
        &self,
        quantity: Decimal,
        unit: &str,
        field: &str,
    ) -> Result<Decimal, UnitError> {
        positive(quantity, field)?;
        let factor = self.factor(unit, field)?;
        self.scaled_to_base(quantity, factor, unit, field)
    }

    /// [`UnitTable::to_base`] with `unit`'s factor already looked up.
    #[inline]
    pub(crate) fn to_base_by(
        &self,
        quantity: Decimal,
        factor: Decimal,
        unit: &str,
        field: &str,
    ) -> Result<Decimal, UnitError> {
        positive(quantity, field)?;
        self.scaled_to_base(quantity, factor, unit, field)
    }

    /// A positive quantity times its unit's factor, checked against the
    /// base unit's step. The error is worked out again, off the hot path,
    /// only when the check fails: the usual result stays a bare decimal.
    #[inline]
    fn scaled_to_base(
        &self,
        quantity: Decimal,
        factor: Decimal,
        unit: &str,
        field: &str,
    ) -> Result<Decimal, UnitError> {
        let whole = crate::money::checked_mul(quantity, factor)
            .map(|q| q.normalize())
            // A normalized whole number has no decimals: most units step by one.
            .filter(|q| {
                if crate::money::is_one(self.step) {
                    q.scale() == 0
                } else {
                    q.checked_rem(self.step).is_some_and(|r| r.is_zero())
                }
            });
        whole.ok_or_else(|| self.scaled_error(quantity, factor, unit, field))
    }

    /// Why [`UnitTable::scaled_to_base`] failed: overflow, or not a whole
    /// multiple of the step.
    #[cold]
    #[inline(never)]
    fn scaled_error(
        &self,
        quantity: Decimal,
        factor: Decimal,
        unit: &str,
        field: &str,
    ) -> UnitError {
        match crate::money::checked_mul(quantity, factor) {
            None => UnitError::Overflow {
                field: field.to_owned(),
                quantity,
                unit: unit.to_owned(),
            },
            Some(base_quantity) => UnitError::Indivisible {
                field: field.to_owned(),
                quantity,
                unit: unit.to_owned(),
                base_quantity: base_quantity.normalize(),
                base: self.base.to_string(),
                step: self.step,
            },
        }
    }
}

fn resolve_factor(
    base: &str,
    all: &[AltUnit],
    start: &AltUnit,
    field: &str,
) -> Result<Decimal, UnitError> {
    let mut factor = Decimal::ONE;
    let mut current = start;
    let mut seen: Vec<&str> = Vec::new();
    loop {
        if seen.contains(&current.unit.as_str()) {
            return Err(UnitError::BadConversion {
                field: field.to_owned(),
                unit: start.unit.clone(),
                reason: format!("conversion cycle through {}", seen.join(" → ")),
            });
        }
        seen.push(&current.unit);
        factor = factor
            .checked_mul(current.factor)
            .ok_or_else(|| UnitError::BadConversion {
                field: field.to_owned(),
                unit: start.unit.clone(),
                reason: "factor overflows".to_owned(),
            })?;
        let of = current.of.as_deref().unwrap_or(base);
        if of == base {
            return Ok(factor);
        }
        current = all
            .iter()
            .find(|a| a.unit == of)
            .ok_or_else(|| UnitError::BadConversion {
                field: path(field, "of"),
                unit: start.unit.clone(),
                reason: format!("{of:?} is neither the base unit nor another alternative unit"),
            })?;
    }
}

/// Quantities must be above zero.
fn positive(quantity: Decimal, field: &str) -> Result<(), UnitError> {
    if quantity.is_sign_negative() || quantity.is_zero() {
        return Err(UnitError::NotPositive {
            field: field.to_owned(),
            quantity,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn alt(unit: &str, factor: &str, of: Option<&str>) -> AltUnit {
        AltUnit {
            unit: unit.into(),
            factor: d(factor),
            of: of.map(Into::into),
        }
    }

    #[test]
    fn box_and_carton_convert_exactly() {
        let t = UnitTable::new(
            "NOS",
            None,
            &[alt("BOX", "12", None), alt("CTN", "10", Some("BOX"))],
            "p",
        )
        .unwrap();
        assert_eq!(t.factor("CTN", "q").unwrap(), d("120"));
        assert_eq!(t.to_base(d("3"), "BOX", "q").unwrap(), d("36"));
        assert_eq!(t.to_base(d("0.5"), "BOX", "q").unwrap(), d("6"));
    }

    #[test]
    fn half_a_number_is_indivisible() {
        let t = UnitTable::new("NOS", None, &[], "p").unwrap();
        let e = t.to_base(d("0.5"), "NOS", "lines[0].quantity").unwrap_err();
        assert_eq!(e.code(), "INDIVISIBLE_QUANTITY");
        assert_eq!(e.field(), Some("lines[0].quantity"));
        let kg = UnitTable::new("KGS", None, &[], "p").unwrap();
        assert_eq!(kg.to_base(d("0.25"), "KGS", "q").unwrap(), d("0.25"));
    }

    #[test]
    fn zero_and_negative_quantities_fail() {
        let t = UnitTable::new("NOS", None, &[], "p").unwrap();
        assert_eq!(
            t.to_base(d("0"), "NOS", "q").unwrap_err().code(),
            "QUANTITY_NOT_POSITIVE"
        );
        assert_eq!(
            t.to_base(d("-3"), "NOS", "q").unwrap_err().code(),
            "QUANTITY_NOT_POSITIVE"
        );
    }

    #[test]
    fn conversion_overflow_is_an_error() {
        let t = UnitTable::new("NOS", None, &[alt("BOX", "1000000000000", None)], "p").unwrap();
        let e = t
            .to_base(Decimal::MAX, "BOX", "lines[0].quantity")
            .unwrap_err();
        assert_eq!(e.code(), "OVERFLOW");
        assert_eq!(e.at("x").field(), Some("x"));
    }

    #[test]
    fn unit_not_sold() {
        let t = UnitTable::new("NOS", None, &[alt("BOX", "12", None)], "p").unwrap();
        let e = t.to_base(d("1"), "CTN", "lines[2].unit").unwrap_err();
        assert_eq!(e.code(), "UNIT_NOT_SOLD");
        assert_eq!(e.field(), Some("lines[2].unit"));
    }

    #[test]
    fn conversion_errors_are_all_reported() {
        let errs = UnitTable::new(
            "XYZ",
            None,
            &[alt("BOX", "0", None), alt("QQQ", "2", None)],
            "products[4]",
        )
        .unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| e.code()).collect();
        assert_eq!(
            codes,
            vec!["UNKNOWN_UNIT", "BAD_UNIT_FACTOR", "UNKNOWN_UNIT"]
        );
        assert_eq!(errs[0].field(), Some("products[4].base_unit"));
        assert_eq!(errs[1].field(), Some("products[4].alt_units[0].factor"));
    }

    #[test]
    fn cycles_are_reported_alongside_other_unit_errors() {
        let errs = UnitTable::new(
            "NOS",
            Some(d("0")),
            &[
                alt("BOX", "-1", None),
                alt("PAC", "12", Some("CTN")),
                alt("CTN", "10", Some("PAC")),
                alt("BDL", "2", Some("ROL")),
            ],
            "products[2]",
        )
        .unwrap_err();
        let got: Vec<_> = errs
            .iter()
            .map(|e| (e.code(), e.field().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            vec![
                ("BAD_UNIT_FACTOR", "products[2].quantity_step"),
                ("BAD_UNIT_FACTOR", "products[2].alt_units[0].factor"),
                ("BAD_UNIT_CONVERSION", "products[2].alt_units[1]"),
                ("BAD_UNIT_CONVERSION", "products[2].alt_units[2]"),
                ("BAD_UNIT_CONVERSION", "products[2].alt_units[3].of"),
            ]
        );
        assert!(errs[2].to_string().contains("cycle"), "{}", errs[2]);
    }

    #[test]
    fn cycles_and_dangling_references() {
        let errs = UnitTable::new(
            "NOS",
            None,
            &[alt("BOX", "12", Some("CTN")), alt("CTN", "10", Some("BOX"))],
            "p",
        )
        .unwrap_err();
        assert!(errs.iter().all(|e| e.code() == "BAD_UNIT_CONVERSION"));
        assert!(errs[0].to_string().contains("cycle"));
        let errs = UnitTable::new("NOS", None, &[alt("BOX", "12", Some("PAC"))], "p").unwrap_err();
        assert_eq!(errs[0].field(), Some("p.alt_units[0].of"));
        let errs = UnitTable::new("NOS", None, &[alt("NOS", "1", None)], "p").unwrap_err();
        assert!(errs[0].to_string().contains("defined twice"));
    }
}
