//! PIN codes against states: the first three digits of a PIN code (its
//! postal sorting district) lie in ranges that belong to each state, and
//! the IRP refuses an address whose PIN code is not in its state. The
//! ranges below are India Post's public allocation, widened where a
//! district's PIN codes straddle two states (Daman, Diu and Dadra share
//! Gujarat's 362 and 396; Puducherry's enclaves use Andhra Pradesh's 533,
//! Tamil Nadu's 605/607/609 and Kerala's 673; Mohali uses 160 with
//! Chandigarh; Goa is 403 inside Maharashtra's 400–445). A state missing
//! here (96 other countries, 97 other territory) is not checked.

/// (GST state code, ranges of the PIN code's first three digits).
const STATE_PINS: [(&str, &[(u32, u32)]); 38] = [
    ("01", &[(180, 194)]),
    ("02", &[(171, 177)]),
    ("03", &[(140, 160)]),
    ("04", &[(160, 160)]),
    ("05", &[(244, 249), (262, 263)]),
    ("06", &[(121, 136)]),
    ("07", &[(110, 110)]),
    ("08", &[(301, 345)]),
    ("09", &[(201, 285)]),
    ("10", &[(800, 855)]),
    ("11", &[(737, 737)]),
    ("12", &[(790, 792)]),
    ("13", &[(797, 798)]),
    ("14", &[(795, 795)]),
    ("15", &[(796, 796)]),
    ("16", &[(799, 799)]),
    ("17", &[(793, 794)]),
    ("18", &[(781, 788)]),
    ("19", &[(700, 743)]),
    ("20", &[(813, 835)]),
    ("21", &[(751, 770)]),
    ("22", &[(490, 497)]),
    ("23", &[(450, 488)]),
    ("24", &[(360, 396)]),
    ("25", &[(362, 362), (396, 396)]),
    ("26", &[(362, 362), (396, 396)]),
    ("27", &[(400, 445)]),
    ("28", &[(500, 535)]),
    ("29", &[(560, 591)]),
    ("30", &[(403, 403)]),
    ("31", &[(682, 682)]),
    ("32", &[(670, 695)]),
    ("33", &[(600, 643)]),
    (
        "34",
        &[(533, 533), (605, 605), (607, 607), (609, 609), (673, 673)],
    ),
    ("35", &[(744, 744)]),
    ("36", &[(500, 509)]),
    ("37", &[(507, 507), (515, 535)]),
    ("38", &[(194, 194)]),
];

/// The PIN ranges of a state, as text for a message (`360–396`).
pub(super) fn ranges_text(state: &str) -> String {
    let Some((_, ranges)) = STATE_PINS.iter().find(|(s, _)| *s == state) else {
        return String::new();
    };
    ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                format!("{a}")
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a six-digit PIN code can be in the state: `None` when the state
/// has no ranges here (other countries, other territory, unknown codes).
pub(super) fn pin_in_state(pin: u32, state: &str) -> Option<bool> {
    let (_, ranges) = STATE_PINS.iter().find(|(s, _)| *s == state)?;
    let district = pin / 1000;
    Some(ranges.iter().any(|(a, b)| (*a..=*b).contains(&district)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_of_the_issue() {
        assert_eq!(pin_in_state(380_015, "24"), Some(true));
        assert_eq!(pin_in_state(560_001, "24"), Some(false));
        assert_eq!(pin_in_state(560_001, "29"), Some(true));
        assert_eq!(pin_in_state(400_001, "27"), Some(true));
        assert_eq!(pin_in_state(110_001, "07"), Some(true));
        assert_eq!(pin_in_state(999_999, "96"), None);
        assert_eq!(ranges_text("24"), "360–396");
    }
}
