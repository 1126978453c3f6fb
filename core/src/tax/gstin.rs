//! GSTIN validation and the GST state code table.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::TaxError;

/// Which part of a GSTIN is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum GstinPart {
    /// Not 15 characters after normalization.
    Length,
    /// A character other than A–Z or 0–9.
    Characters,
    /// The first two characters are not a known state code.
    StateCode,
    /// Characters 3–12 are not a PAN (or the TAN-like id of a Government
    /// department, or a TAN for TDS registrations).
    Pan,
    /// Character 13 (entity number) is not 1–9 or A–Z.
    EntityNumber,
    /// Character 15 does not match the computed check character.
    Checksum,
}

impl std::fmt::Display for GstinPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Length => "length",
            Self::Characters => "characters",
            Self::StateCode => "state code",
            Self::Pan => "PAN",
            Self::EntityNumber => "entity number",
            Self::Checksum => "checksum",
        })
    }
}

/// What kind of territory a state code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    /// A state (SGST applies).
    State,
    /// A union territory with legislature: Delhi, Puducherry, J&K (SGST).
    UnionTerritoryWithLegislature,
    /// A union territory without legislature (UTGST instead of SGST).
    UnionTerritoryWithoutLegislature,
    /// 96: place of supply for exports.
    OtherCountries,
    /// 97: other territory (UTGST).
    OtherTerritory,
}

/// One GST state code with its name and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateInfo {
    /// Two-digit code, e.g. `27`.
    pub code: String,
    /// Name, e.g. `Maharashtra`.
    pub name: String,
    /// State, UT with or without legislature, other countries/territory.
    pub kind: StateKind,
    /// Whether the second tax head is UTGST rather than SGST.
    pub uses_utgst: bool,
    /// Last date the code is current (legacy codes 25 and 28), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_until: Option<NaiveDate>,
}

/// A non-fatal finding, e.g. a legacy state code on a new document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// Stable code, e.g. `LEGACY_STATE_CODE`.
    pub code: String,
    /// Field path.
    pub field: String,
    /// Readable message.
    pub message: String,
}

use StateKind::{
    OtherCountries as OC, OtherTerritory as OT, State as S, UnionTerritoryWithLegislature as UL,
    UnionTerritoryWithoutLegislature as UN,
};

/// (code, name, kind, current until (y, m, d)).
type StateRow = (
    &'static str,
    &'static str,
    StateKind,
    Option<(i32, u32, u32)>,
);

const STATES: &[StateRow] = &[
    ("01", "Jammu & Kashmir", UL, None),
    ("02", "Himachal Pradesh", S, None),
    ("03", "Punjab", S, None),
    ("04", "Chandigarh", UN, None),
    ("05", "Uttarakhand", S, None),
    ("06", "Haryana", S, None),
    ("07", "Delhi", UL, None),
    ("08", "Rajasthan", S, None),
    ("09", "Uttar Pradesh", S, None),
    ("10", "Bihar", S, None),
    ("11", "Sikkim", S, None),
    ("12", "Arunachal Pradesh", S, None),
    ("13", "Nagaland", S, None),
    ("14", "Manipur", S, None),
    ("15", "Mizoram", S, None),
    ("16", "Tripura", S, None),
    ("17", "Meghalaya", S, None),
    ("18", "Assam", S, None),
    ("19", "West Bengal", S, None),
    ("20", "Jharkhand", S, None),
    ("21", "Odisha", S, None),
    ("22", "Chhattisgarh", S, None),
    ("23", "Madhya Pradesh", S, None),
    ("24", "Gujarat", S, None),
    ("25", "Daman & Diu", UN, Some((2020, 1, 25))),
    ("26", "Dadra & Nagar Haveli and Daman & Diu", UN, None),
    ("27", "Maharashtra", S, None),
    (
        "28",
        "Andhra Pradesh (before division)",
        S,
        Some((2014, 6, 1)),
    ),
    ("29", "Karnataka", S, None),
    ("30", "Goa", S, None),
    ("31", "Lakshadweep", UN, None),
    ("32", "Kerala", S, None),
    ("33", "Tamil Nadu", S, None),
    ("34", "Puducherry", UL, None),
    ("35", "Andaman & Nicobar Islands", UN, None),
    ("36", "Telangana", S, None),
    ("37", "Andhra Pradesh", S, None),
    ("38", "Ladakh", UN, None),
    ("96", "Other Countries", OC, None),
    ("97", "Other Territory", OT, None),
];

fn to_info(row: &StateRow) -> StateInfo {
    let (code, name, kind, until) = *row;
    StateInfo {
        code: code.to_owned(),
        name: name.to_owned(),
        kind,
        uses_utgst: matches!(kind, UN | OT),
        current_until: until.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
    }
}

/// Every GST state code, including legacy 25 and 28, 96 and 97.
pub fn states() -> Result<Vec<StateInfo>, TaxError> {
    Ok(STATES.iter().map(to_info).collect())
}

/// Looks a state code up (`"7"` and `"07"` both find Delhi).
pub fn state(code: &str) -> Result<StateInfo, TaxError> {
    let code = code.trim();
    let padded;
    let code = if code.len() == 1 {
        padded = format!("0{code}");
        padded.as_str()
    } else {
        code
    };
    STATES
        .iter()
        .find(|row| row.0 == code)
        .map(to_info)
        .ok_or_else(|| TaxError::UnknownStateCode {
            field: "state_code".to_owned(),
            code: code.to_owned(),
        })
}

/// Warning for a legacy state code used on a document dated after it ended.
pub(crate) fn legacy_warning(info: &StateInfo, date: NaiveDate, field: &str) -> Option<Warning> {
    match info.current_until {
        Some(until) if date > until => Some(Warning {
            code: "LEGACY_STATE_CODE".to_owned(),
            field: field.to_owned(),
            message: format!(
                "state code {} ({}) is legacy since {}; accepted for old registrations",
                info.code, info.name, until
            ),
        }),
        _ => None,
    }
}

/// Who holds a GSTIN, read from its form (the 13th and 14th characters
/// and the shape of characters 3–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationType {
    /// A normal taxpayer: a PAN, 14th character `Z`.
    Normal,
    /// A Government department registered on its TAN-like id (4 letters,
    /// 5 digits, 1 letter), 14th character `Z`.
    GovernmentDepartment,
    /// A tax deductor at source (s.51): a PAN or TAN, 14th character `D`.
    TaxDeductor,
    /// A tax collector at source, an e-commerce operator (s.52): a PAN,
    /// 14th character `C`.
    TaxCollector,
    /// A UN body, embassy or other notified person with a UIN (s.25(9)):
    /// year, 3 letters, 5 digits, then `U`/`O` and `N`.
    UnBody,
    /// A non-resident taxable person: year, 3 letters, 5 digits, `NR`.
    NonResident,
    /// A non-resident online (OIDAR) service provider, state 99: year, 3
    /// letters, 5 digits, `OS`.
    Oidar,
    /// Another form the GSTN issues (e.g. an input service distributor):
    /// accepted on its checksum, not classified further.
    Other,
}

/// A validated GSTIN, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GstinInfo {
    /// The normalized GSTIN (upper case, no spaces).
    pub gstin: String,
    /// State code (first two characters).
    pub state_code: String,
    /// State name.
    pub state_name: String,
    /// Characters 3–12: the holder's PAN (or TAN; for a UIN, non-resident
    /// or OIDAR id, its year, country and serial).
    pub pan: String,
    /// Character 13: entity number for the same PAN in the state.
    pub entity_number: String,
    /// Character 14: `Z` normal, `C` TCS, `D` TDS, others special.
    pub registration_kind: String,
    /// Who holds it, from its form: normal, Government department, TDS,
    /// TCS, UN body (UIN), non-resident, OIDAR or other.
    pub registration_type: RegistrationType,
    /// Warnings (legacy state code on a recent date).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

fn char_value(c: char) -> Option<u32> {
    c.to_digit(36)
}

fn value_char(v: u32) -> Option<char> {
    std::char::from_digit(v, 36).map(|c| c.to_ascii_uppercase())
}

/// The check character (15th) of the first 14 characters of a GSTIN.
pub fn gstin_check_char(first14: &str) -> Result<char, TaxError> {
    let bad = |reason: &str| TaxError::InvalidGstin {
        field: "gstin".to_owned(),
        value: first14.to_owned(),
        part: GstinPart::Characters,
        reason: reason.to_owned(),
    };
    if first14.chars().count() != 14 {
        return Err(TaxError::InvalidGstin {
            field: "gstin".to_owned(),
            value: first14.to_owned(),
            part: GstinPart::Length,
            reason: "the check character is computed over 14 characters".to_owned(),
        });
    }
    let mut total = 0u32;
    for (i, c) in first14.chars().enumerate() {
        let v = char_value(c).ok_or_else(|| bad("only A-Z and 0-9 are allowed"))?;
        let p = v * if i % 2 == 0 { 1 } else { 2 };
        total += p / 36 + p % 36;
    }
    value_char((36 - total % 36) % 36).ok_or_else(|| bad("check character out of range"))
}

fn is_pan(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().take(5).all(u8::is_ascii_uppercase)
        && b.iter().skip(5).take(4).all(u8::is_ascii_digit)
        && b.get(9).is_some_and(u8::is_ascii_uppercase)
}

fn is_tan(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().take(4).all(u8::is_ascii_uppercase)
        && b.iter().skip(4).take(5).all(u8::is_ascii_digit)
        && b.get(9).is_some_and(u8::is_ascii_uppercase)
}

/// Characters 3–12 of a UIN, non-resident or OIDAR GSTIN: a two-digit
/// year, three letters (a country or body code) and a five-digit serial.
fn is_foreign_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().take(2).all(u8::is_ascii_digit)
        && b.iter().skip(2).take(3).all(u8::is_ascii_uppercase)
        && b.iter().skip(5).take(5).all(u8::is_ascii_digit)
}

/// Registration phase of GSTIN validation: the holder's id (characters
/// 3–12) must fit the form the 14th character announces — a PAN for `Z`
/// (or a Government department's TAN-like id) and `C`, a PAN or TAN for
/// `D`; other forms are classified by their shape and otherwise only need
/// to be alphanumeric. `None` when the id does not fit.
fn registration_type(code: &str, pan: &str, entity: &str, kind: &str) -> Option<RegistrationType> {
    use RegistrationType as R;
    let foreign = is_foreign_id(pan);
    Some(match kind {
        "Z" if is_pan(pan) => R::Normal,
        "Z" if is_tan(pan) => R::GovernmentDepartment,
        "Z" => return None,
        "C" if is_pan(pan) => R::TaxCollector,
        "C" => return None,
        "D" if is_pan(pan) || is_tan(pan) => R::TaxDeductor,
        "D" => return None,
        "N" if foreign && matches!(entity, "U" | "O") => R::UnBody,
        "R" if foreign && entity == "N" => R::NonResident,
        "S" if foreign && entity == "O" && code == "99" => R::Oidar,
        _ => R::Other,
    })
}

/// Validates a GSTIN: strips spaces, upper-cases, then checks length,
/// characters, state code, PAN, entity number and checksum, in that order,
/// reporting the first wrong part. With `as_of`, a legacy state code on a
/// later date gives a warning (never an error).
pub fn validate_gstin(input: &str, as_of: Option<NaiveDate>) -> Result<GstinInfo, TaxError> {
    validate_gstin_at(input, as_of, "gstin")
}

pub(crate) fn validate_gstin_at(
    input: &str,
    as_of: Option<NaiveDate>,
    field: &str,
) -> Result<GstinInfo, TaxError> {
    let value: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let err = |part: GstinPart, reason: String| TaxError::InvalidGstin {
        field: field.to_owned(),
        value: value.clone(),
        part,
        reason,
    };
    if value.chars().count() != 15 {
        return Err(err(
            GstinPart::Length,
            format!(
                "a GSTIN has 15 characters, this one has {}",
                value.chars().count()
            ),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(err(
            GstinPart::Characters,
            "only A-Z and 0-9 are allowed".to_owned(),
        ));
    }
    // All ASCII from here: byte slicing by `get` is safe.
    let code = value.get(0..2).unwrap_or_default();
    let pan = value.get(2..12).unwrap_or_default();
    let entity = value.get(12..13).unwrap_or_default();
    let kind = value.get(13..14).unwrap_or_default();
    let info = match state(code) {
        Ok(info) if info.kind != StateKind::OtherCountries => info,
        // 99: centre jurisdiction, only for non-resident registrations
        // (OIDAR service providers, e.g. `9917SGP29001OST`), never a place
        // of supply.
        _ if code == "99" && !matches!(kind, "Z" | "C" | "D") => StateInfo {
            code: "99".to_owned(),
            name: "Centre Jurisdiction (non-resident)".to_owned(),
            kind: StateKind::OtherTerritory,
            uses_utgst: false,
            current_until: None,
        },
        _ => {
            return Err(err(
                GstinPart::StateCode,
                format!("{code:?} is not a GST state code"),
            ))
        }
    };
    let Some(registration_type) = registration_type(code, pan, entity, kind) else {
        return Err(err(
            GstinPart::Pan,
            format!(
                "{pan:?} is not a PAN (5 letters, 4 digits, 1 letter){}",
                match kind {
                    "Z" => " nor a Government department's id (4 letters, 5 digits, 1 letter)",
                    "D" => " nor a TAN (4 letters, 5 digits, 1 letter)",
                    _ => "",
                }
            ),
        ));
    };
    if entity == "0" {
        return Err(err(
            GstinPart::EntityNumber,
            "the entity number is 1-9 or A-Z, never 0".to_owned(),
        ));
    }
    let expected = gstin_check_char(value.get(0..14).unwrap_or_default())?;
    let actual = value.get(14..15).unwrap_or_default();
    if !actual.starts_with(expected) {
        return Err(err(
            GstinPart::Checksum,
            format!("check character is {actual:?}, expected {expected:?}"),
        ));
    }
    let warnings = as_of
        .and_then(|d| legacy_warning(&info, d, field))
        .into_iter()
        .collect();
    Ok(GstinInfo {
        state_code: info.code.clone(),
        state_name: info.name.clone(),
        pan: pan.to_owned(),
        entity_number: entity.to_owned(),
        registration_kind: kind.to_owned(),
        registration_type,
        gstin: value,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn part(input: &str) -> GstinPart {
        match validate_gstin(input, None).unwrap_err() {
            TaxError::InvalidGstin { part, .. } => part,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn spec_examples_are_valid() {
        for g in [
            "27AAPFU0939F1ZV",
            "29AAGCB7383J1Z4",
            "10AABCU9355J1Z9",
            "24AAQCA8719H1ZC",
            "33AAAAR6720M1ZG",
            "29AABCF8078M1C8",
        ] {
            let info = validate_gstin(g, None).unwrap();
            assert_eq!(info.gstin, g);
        }
        assert_eq!(
            validate_gstin("29AABCF8078M1C8", None)
                .unwrap()
                .registration_kind,
            "C"
        );
    }

    #[test]
    fn special_forms_report_their_registration_type() {
        use RegistrationType as R;
        let with_check = |first14: &str| format!("{first14}{}", gstin_check_char(first14).unwrap());
        for (g, t) in [
            ("27AAPFU0939F1ZV".to_owned(), R::Normal),
            ("07AAAA12345A1ZT".to_owned(), R::GovernmentDepartment),
            (with_check("07DELA12345A1D"), R::TaxDeductor),
            (with_check("07AAPFU0939F1D"), R::TaxDeductor),
            ("29AABCF8078M1C8".to_owned(), R::TaxCollector),
            (with_check("0717UNO00157UN"), R::UnBody),
            (with_check("0717USA12345NR"), R::NonResident),
            ("9917SGP29001OST".to_owned(), R::Oidar),
            (with_check("27AAPFU0939F1A"), R::Other),
        ] {
            let info = validate_gstin(&g, None).unwrap();
            assert_eq!(info.registration_type, t, "{g}");
        }
        // The department's check character is still verified.
        assert_eq!(part("07AAAA12345A1Z1"), GstinPart::Checksum);
        // A TAN-like id is not a TCS collector's PAN.
        assert_eq!(part(&with_check("07AAAA12345A1C")), GstinPart::Pan);
    }

    #[test]
    fn normalizes_case_and_spaces() {
        let info = validate_gstin(" 27 aapfu 0939f1zv\t", None).unwrap();
        assert_eq!(info.gstin, "27AAPFU0939F1ZV");
        assert_eq!(info.pan, "AAPFU0939F");
        assert_eq!(info.state_name, "Maharashtra");
    }

    #[test]
    fn reports_the_wrong_part() {
        assert_eq!(part("27AAPFU0939F1Z0"), GstinPart::Checksum);
        assert_eq!(part("27AAPFU0939F1Z"), GstinPart::Length);
        assert_eq!(part("27AAPFU0939F1Z-V"), GstinPart::Length);
        assert_eq!(part("27AAPFU0939F1Z#"), GstinPart::Characters);
        assert_eq!(part("99AAPFU0939F1ZV"), GstinPart::StateCode);
        assert_eq!(part("96AAPFU0939F1ZV"), GstinPart::StateCode);
        assert_eq!(part("271APFU0939F1ZV"), GstinPart::Pan);
        assert_eq!(part("27AAPFU0939F0ZV"), GstinPart::EntityNumber);
        let err = validate_gstin("27AAPFU0939F1Z0", None).unwrap_err();
        assert_eq!(err.code(), "INVALID_GSTIN");
        assert_eq!(err.field(), Some("gstin"));
        assert_eq!(
            err.to_string(),
            "invalid GSTIN \"27AAPFU0939F1Z0\": the checksum is wrong: check character is \"0\", expected 'V'"
        );
        // The India Compliance sandbox GSTINs fail the checksum on purpose.
        assert!(validate_gstin("02AMBPG7773M002", None).is_err());
    }

    #[test]
    fn legacy_state_codes_flagged_for_new_dates() {
        let first14 = "25AAPFU0939F1Z";
        let g = format!("{first14}{}", gstin_check_char(first14).unwrap());
        let old = validate_gstin(&g, NaiveDate::from_ymd_opt(2019, 5, 1)).unwrap();
        assert!(old.warnings.is_empty());
        let new = validate_gstin(&g, NaiveDate::from_ymd_opt(2024, 5, 1)).unwrap();
        assert_eq!(new.warnings.len(), 1);
        assert_eq!(new.warnings[0].code, "LEGACY_STATE_CODE");
        let first14 = "28AAPFU0939F1Z";
        let g = format!("{first14}{}", gstin_check_char(first14).unwrap());
        assert_eq!(
            validate_gstin(&g, NaiveDate::from_ymd_opt(2024, 5, 1))
                .unwrap()
                .warnings
                .len(),
            1
        );
    }

    #[test]
    fn union_territories() {
        for code in ["04", "26", "31", "35", "38", "97"] {
            assert!(state(code).unwrap().uses_utgst, "{code}");
        }
        for code in ["01", "07", "34", "27", "29"] {
            assert!(!state(code).unwrap().uses_utgst, "{code}");
        }
        assert_eq!(state("7").unwrap().name, "Delhi");
        assert_eq!(state("99").unwrap_err().code(), "UNKNOWN_STATE_CODE");
        assert_eq!(states().unwrap().len(), 40);
    }
}
