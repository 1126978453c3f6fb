//! Which tax heads apply to a supply, and why.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::gstin::{
    legacy_warning, state, validate_gstin_at, GstinInfo, StateInfo, StateKind, Warning,
};
use super::TaxError;

/// The supplier's GST registration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum SupplierRegistration {
    /// Regular taxpayer: charges GST on a tax invoice.
    #[default]
    Regular,
    /// Composition taxpayer: bill of supply, no tax collected.
    Composition,
    /// Not registered: no tax, bill of supply.
    Unregistered,
}

/// Who the recipient is, for the tax regime.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RecipientCategory {
    /// A regular (or unregistered) domestic recipient.
    #[default]
    Regular,
    /// An SEZ unit or developer.
    Sez,
    /// A recipient of deemed exports.
    DeemedExport,
    /// A recipient outside India (export).
    Overseas,
}

/// Goods or services, for the place-of-supply rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum SupplyKind {
    /// Goods: place of supply where delivery ends.
    #[default]
    Goods,
    /// Services: the registered recipient's location.
    Services,
}

/// How an export or SEZ supply is zero-rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ZeroRatedMode {
    /// With payment of IGST (refund claimed later).
    WithPayment,
    /// Under LUT or bond, without payment of tax.
    UnderLut,
}

/// The tax heads charged on every taxable line of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum TaxHeads {
    /// Intra-state: CGST + SGST, half the rate each.
    CgstSgst,
    /// Intra-UT without legislature: CGST + UTGST, half each.
    CgstUtgst,
    /// Inter-state (or SEZ/export with payment): IGST at the full rate.
    Igst,
    /// No tax: zero-rated under LUT, or a bill of supply.
    None,
}

/// The e-invoice supply type (`TranDtls.SupTyp`), plus B2C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupplyType {
    /// Business to registered business.
    B2b,
    /// Business to consumer / unregistered (no e-invoice).
    B2c,
    /// SEZ with payment.
    Sezwp,
    /// SEZ without payment.
    Sezwop,
    /// Export with payment.
    Expwp,
    /// Export without payment.
    Expwop,
    /// Deemed export.
    Dexp,
}

impl SupplyType {
    /// The code used in the e-invoice (`B2B`, `SEZWP`, …).
    pub fn code(self) -> &'static str {
        match self {
            Self::B2b => "B2B",
            Self::B2c => "B2C",
            Self::Sezwp => "SEZWP",
            Self::Sezwop => "SEZWOP",
            Self::Expwp => "EXPWP",
            Self::Expwop => "EXPWOP",
            Self::Dexp => "DEXP",
        }
    }
}

/// Inputs that decide the tax regime of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegimeInput {
    /// Date of supply (for legacy state codes).
    pub date: NaiveDate,
    /// Supplier's registration type.
    #[serde(default)]
    pub supplier_registration: SupplierRegistration,
    /// Supplier GSTIN (required when registered).
    #[serde(default)]
    pub supplier_gstin: Option<String>,
    /// Supplier state code (required when unregistered; must match the GSTIN).
    #[serde(default)]
    pub supplier_state: Option<String>,
    /// Recipient GSTIN; absent for unregistered and overseas recipients.
    #[serde(default)]
    pub recipient_gstin: Option<String>,
    /// Recipient (bill-to) state code, when there is no GSTIN.
    #[serde(default)]
    pub recipient_state: Option<String>,
    /// Regular, SEZ, deemed export or overseas.
    #[serde(default)]
    pub recipient_category: RecipientCategory,
    /// Goods or services.
    #[serde(default)]
    pub supply_kind: SupplyKind,
    /// State where delivery ends (ship-to).
    #[serde(default)]
    pub ship_to_state: Option<String>,
    /// Goods delivered to a third person on the bill-to party's direction:
    /// the place of supply is the bill-to party's state.
    #[serde(default)]
    pub bill_to_ship_to: bool,
    /// Explicit place of supply, overriding the rules above.
    #[serde(default)]
    pub place_of_supply: Option<String>,
    /// Export/SEZ: with IGST payment or under LUT/bond (required for them).
    #[serde(default)]
    pub zero_rated_mode: Option<ZeroRatedMode>,
    /// Tax payable by the recipient under reverse charge.
    #[serde(default)]
    pub reverse_charge: bool,
    /// Goods for an overseas recipient are taken out of India (the export
    /// details name a port or a shipping bill): an Indian ship-to is then
    /// only where they are handed over for export (a port, an ICD).
    #[serde(default)]
    pub leaves_india: bool,
}

/// The regime decided for a document, with the reasons in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegimeDecision {
    /// Tax heads charged on taxable lines.
    pub heads: TaxHeads,
    /// E-invoice supply type.
    pub supply_type: SupplyType,
    /// Supplier state code.
    pub supplier_state: String,
    /// Place of supply state code (`96` for exports).
    pub place_of_supply: String,
    /// Place of supply state name.
    pub place_of_supply_name: String,
    /// IGST charged although supplier and place of supply are in one state.
    pub igst_on_intra: bool,
    /// Tax payable by the recipient (shown, not collected).
    pub reverse_charge: bool,
    /// Zero-rated supply without payment of tax (export/SEZ under LUT).
    pub zero_rated: bool,
    /// Document is a bill of supply (composition or unregistered supplier).
    pub bill_of_supply: bool,
    /// Endorsement to print on the document, if any.
    #[serde(default)]
    pub endorsement: Option<String>,
    /// Why, step by step.
    pub reasons: Vec<String>,
    /// Non-fatal findings (legacy state codes).
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// Endorsement for composition suppliers (Rule 46/49).
pub(crate) const COMPOSITION_WORDING: &str =
    "composition taxable person, not eligible to collect tax on supplies";

fn state_at(code: &str, field: &str) -> Result<StateInfo, TaxError> {
    state(code).map_err(|e| e.at(field))
}

fn bad(field: &str, reason: impl Into<String>) -> TaxError {
    TaxError::InvalidRegimeInput {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

/// Decides the tax heads, supply type, place of supply and endorsement of a
/// document from the parties and the supply, explaining each step.
pub fn determine_regime(input: &RegimeInput) -> Result<RegimeDecision, TaxError> {
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    let supplier_state = supplier_state(input, &mut warnings)?;
    let recipient = recipient(input, &mut warnings)?;
    not_self_supply(input, recipient.as_ref())?;
    if input.reverse_charge && recipient.is_none() {
        return Err(bad(
            "reverse_charge",
            "reverse charge needs a registered recipient: an unregistered recipient (no GSTIN) cannot pay the tax",
        ));
    }
    let bill_to_state = match (&recipient, input.recipient_state.as_deref()) {
        (Some(info), _) => Some(info.state_code.clone()),
        (None, Some(code)) => Some(state_at(code, "recipient_state")?.code),
        (None, None) => None,
    };
    let pos = place_of_supply(
        input,
        &supplier_state,
        bill_to_state.as_deref(),
        &mut reasons,
    )?;
    if let Some(w) = legacy_warning(&pos, input.date, "place_of_supply") {
        warnings.push(w);
    }
    check_zero_rated_mode(input)?;
    let mut decision = RegimeDecision {
        heads: TaxHeads::None,
        supply_type: if recipient.is_some() {
            SupplyType::B2b
        } else {
            SupplyType::B2c
        },
        supplier_state: supplier_state.code.clone(),
        place_of_supply: pos.code.clone(),
        place_of_supply_name: pos.name.clone(),
        igst_on_intra: false,
        reverse_charge: input.reverse_charge,
        zero_rated: false,
        bill_of_supply: false,
        endorsement: None,
        reasons,
        warnings,
    };
    if input.supplier_registration != SupplierRegistration::Regular {
        bill_of_supply(input, &mut decision)?;
        return Ok(decision);
    }
    let same_state = supplier_state.code == pos.code;
    match input.recipient_category {
        RecipientCategory::Overseas if pos.kind != StateKind::OtherCountries => {
            not_exported(input, &pos, &mut decision);
            domestic(input, &supplier_state, &pos, &mut decision)
        }
        RecipientCategory::Overseas | RecipientCategory::Sez => {
            zero_rated(input, same_state, &mut decision)?
        }
        RecipientCategory::Regular | RecipientCategory::DeemedExport => {
            domestic(input, &supplier_state, &pos, &mut decision)
        }
    }
    if input.reverse_charge {
        decision.reasons.push(
            "reverse charge: tax shown on the document, payable by the recipient, not collected by the supplier"
                .to_owned(),
        );
    }
    Ok(decision)
}

/// Regime phase 1: the supplier's state — from its GSTIN (a given state
/// must agree) or, for an unregistered supplier, as given. GSTIN warnings
/// are collected.
fn supplier_state(input: &RegimeInput, warnings: &mut Vec<Warning>) -> Result<StateInfo, TaxError> {
    match (input.supplier_registration, &input.supplier_gstin) {
        (SupplierRegistration::Unregistered, Some(_)) => Err(bad(
            "supplier_gstin",
            "an unregistered supplier has no GSTIN",
        )),
        (SupplierRegistration::Unregistered, None) => {
            let code = input
                .supplier_state
                .as_deref()
                .ok_or_else(|| bad("supplier_state", "required for an unregistered supplier"))?;
            state_at(code, "supplier_state")
        }
        (_, None) => Err(bad("supplier_gstin", "required for a registered supplier")),
        (_, Some(g)) => {
            let info = validate_gstin_at(g, Some(input.date), "supplier_gstin")?;
            warnings.extend(info.warnings);
            if let Some(given) = input.supplier_state.as_deref() {
                if state_at(given, "supplier_state")?.code != info.state_code {
                    return Err(bad(
                        "supplier_state",
                        format!(
                            "state {given} contradicts the GSTIN's state {}",
                            info.state_code
                        ),
                    ));
                }
            }
            state_at(&info.state_code, "supplier_gstin")
        }
    }
}

/// Regime phase 2: the recipient's GSTIN, when it has one (none for an
/// overseas recipient; required for SEZ and deemed exports).
fn recipient(
    input: &RegimeInput,
    warnings: &mut Vec<Warning>,
) -> Result<Option<GstinInfo>, TaxError> {
    let category = input.recipient_category;
    let recipient = match &input.recipient_gstin {
        Some(g) if category == RecipientCategory::Overseas => {
            return Err(bad(
                "recipient_gstin",
                format!("an overseas recipient has no GSTIN (got {g:?})"),
            ))
        }
        Some(g) => {
            let info = validate_gstin_at(g, Some(input.date), "recipient_gstin")?;
            warnings.extend(info.warnings.clone());
            Some(info)
        }
        None => None,
    };
    if recipient.is_none()
        && matches!(
            category,
            RecipientCategory::Sez | RecipientCategory::DeemedExport
        )
    {
        return Err(bad(
            "recipient_gstin",
            "an SEZ or deemed-export recipient is registered: GSTIN required",
        ));
    }
    Ok(recipient)
}

/// Regime phase 2b: a registration cannot supply itself. A supply between
/// two GSTINs of one PAN (distinct persons, CGST Act s.25(4)) is a supply;
/// the same GSTIN on both sides is not, and is refused at the recipient.
fn not_self_supply(input: &RegimeInput, recipient: Option<&GstinInfo>) -> Result<(), TaxError> {
    let (Some(r), Some(s)) = (recipient, input.supplier_gstin.as_deref()) else {
        return Ok(());
    };
    let supplier: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if r.gstin == supplier {
        return Err(bad(
            "recipient_gstin",
            format!(
                "the recipient's GSTIN {} is the supplier's own: a registration cannot supply itself (another GSTIN of the same PAN can be supplied)",
                r.gstin
            ),
        ));
    }
    Ok(())
}

/// Regime phase 3: the place of supply — explicit, 96 for exports, the
/// recipient's state for services, the bill-to state on bill-to/ship-to,
/// else where delivery ends. Guarantees 96 only for an overseas recipient.
fn place_of_supply(
    input: &RegimeInput,
    supplier_state: &StateInfo,
    bill_to_state: Option<&str>,
    reasons: &mut Vec<String>,
) -> Result<StateInfo, TaxError> {
    let category = input.recipient_category;
    let pos = if let Some(code) = input.place_of_supply.as_deref() {
        reasons.push(format!("place of supply {code} given explicitly"));
        state_at(code, "place_of_supply")?
    } else if let Some(code) = delivered_in_india(input) {
        reasons.push(format!(
            "goods for an overseas recipient delivered in India: place of supply is where their movement ends, ship-to state {code} (IGST Act s.10(1)(a))"
        ));
        state_at(code, "ship_to_state")?
    } else if category == RecipientCategory::Overseas {
        reasons.push("export: place of supply is 96 (other countries)".to_owned());
        state_at("96", "place_of_supply")?
    } else if input.supply_kind == SupplyKind::Services {
        match bill_to_state {
            Some(code) => {
                reasons.push(format!(
                    "services: place of supply is the recipient's state {code}"
                ));
                state_at(code, "recipient_state")?
            }
            None => {
                reasons.push(
                    "services to a recipient without known address: place of supply is the supplier's state"
                        .to_owned(),
                );
                supplier_state.clone()
            }
        }
    } else if input.bill_to_ship_to {
        let code = bill_to_state.ok_or_else(|| {
            bad(
                "recipient_state",
                "bill-to/ship-to needs the bill-to party's state",
            )
        })?;
        reasons.push(format!(
            "goods shipped to a third party on the bill-to party's direction: place of supply is the bill-to state {code}"
        ));
        state_at(code, "recipient_state")?
    } else if let Some(code) = input.ship_to_state.as_deref() {
        reasons.push(format!(
            "goods: place of supply is where delivery ends, ship-to state {code}"
        ));
        state_at(code, "ship_to_state")?
    } else if let Some(code) = bill_to_state {
        reasons.push(format!(
            "goods delivered to the recipient: place of supply is its state {code}"
        ));
        state_at(code, "recipient_state")?
    } else {
        return Err(bad(
            "ship_to_state",
            "goods need a ship-to state, a recipient state or an explicit place of supply",
        ));
    };
    if pos.kind == StateKind::OtherCountries && category != RecipientCategory::Overseas {
        return Err(bad(
            "place_of_supply",
            "place of supply 96 is only for an overseas recipient",
        ));
    }
    Ok(pos)
}

/// Goods for an overseas recipient whose movement ends in India: the
/// ship-to state, when it is an Indian one (not 96) and nothing says the
/// goods leave India. Such goods are not exported.
fn delivered_in_india(input: &RegimeInput) -> Option<&str> {
    if input.recipient_category != RecipientCategory::Overseas
        || input.supply_kind != SupplyKind::Goods
        || input.leaves_india
    {
        return None;
    }
    input
        .ship_to_state
        .as_deref()
        .filter(|code| state(code).is_ok_and(|s| s.kind != StateKind::OtherCountries))
}

/// Regime phase 4: a zero-rated mode is given only for exports and SEZ.
fn check_zero_rated_mode(input: &RegimeInput) -> Result<(), TaxError> {
    let needs_mode = matches!(
        input.recipient_category,
        RecipientCategory::Sez | RecipientCategory::Overseas
    );
    if input.zero_rated_mode.is_some() && !needs_mode {
        return Err(bad(
            "zero_rated_mode",
            "only exports and SEZ supplies are zero-rated",
        ));
    }
    Ok(())
}

/// Regime phase 5a: a composition or unregistered supplier issues a bill of
/// supply and collects no tax (and cannot be under reverse charge).
fn bill_of_supply(input: &RegimeInput, decision: &mut RegimeDecision) -> Result<(), TaxError> {
    if input.reverse_charge {
        return Err(bad(
            "reverse_charge",
            "reverse charge is charged on supplies to a registered recipient, not by a composition or unregistered supplier on its bill of supply",
        ));
    }
    decision.bill_of_supply = true;
    if input.supplier_registration == SupplierRegistration::Composition {
        decision.endorsement = Some(COMPOSITION_WORDING.to_owned());
        decision
            .reasons
            .push("composition supplier: bill of supply, no tax collected".to_owned());
    } else {
        decision
            .reasons
            .push("unregistered supplier: bill of supply, no tax collected".to_owned());
    }
    Ok(())
}

/// Regime phase 5b': an overseas recipient whose place of supply is in
/// India (goods delivered here, or an explicit place of supply) receives a
/// domestic supply, not an export: it is taxed like any other (B2C, the
/// recipient having no GSTIN), and a `NOT_AN_EXPORT` warning says why the
/// zero rating (and the export details) are not used.
fn not_exported(input: &RegimeInput, pos: &StateInfo, decision: &mut RegimeDecision) {
    let field = if input.place_of_supply.is_some() {
        "place_of_supply"
    } else {
        "ship_to_state"
    };
    let mode = if input.zero_rated_mode.is_some() {
        "; the zero_rated_mode given is not used"
    } else {
        ""
    };
    let message = format!(
        "the recipient is overseas but the place of supply is {} ({}) in India: goods that do not leave India are not exported (IGST Act s.10(1)(a)), so this is a domestic supply, taxed, with no export treatment{mode}",
        pos.name, pos.code
    );
    decision.reasons.push(message.clone());
    decision.warnings.push(Warning {
        code: "NOT_AN_EXPORT".to_owned(),
        field: field.to_owned(),
        message,
    });
}

/// GST heads of a zero-rated supply: (SEZ, mode) → heads, supply type,
/// zero-rated (no tax charged).
const ZERO_RATED_HEADS: [(bool, ZeroRatedMode, TaxHeads, SupplyType, bool); 4] = [
    (
        false,
        ZeroRatedMode::WithPayment,
        TaxHeads::Igst,
        SupplyType::Expwp,
        false,
    ),
    (
        true,
        ZeroRatedMode::WithPayment,
        TaxHeads::Igst,
        SupplyType::Sezwp,
        false,
    ),
    (
        false,
        ZeroRatedMode::UnderLut,
        TaxHeads::None,
        SupplyType::Expwop,
        true,
    ),
    (
        true,
        ZeroRatedMode::UnderLut,
        TaxHeads::None,
        SupplyType::Sezwop,
        true,
    ),
];

/// GST heads of a domestic supply: (supplier and place of supply in one
/// state, that state a union territory without legislature) → heads.
const DOMESTIC_HEADS: [(bool, bool, TaxHeads); 4] = [
    (true, true, TaxHeads::CgstUtgst),
    (true, false, TaxHeads::CgstSgst),
    (false, true, TaxHeads::Igst),
    (false, false, TaxHeads::Igst),
];

/// Regime phase 5b: an export or SEZ supply, with payment (IGST; an SEZ in
/// the supplier's state is IGST on intra) or under LUT/bond (zero-rated, no
/// tax), heads from [`ZERO_RATED_HEADS`]; never under reverse charge.
fn zero_rated(
    input: &RegimeInput,
    same_state: bool,
    decision: &mut RegimeDecision,
) -> Result<(), TaxError> {
    let sez = input.recipient_category == RecipientCategory::Sez;
    let mode = input.zero_rated_mode.ok_or_else(|| {
        bad(
            "zero_rated_mode",
            "exports and SEZ supplies need with_payment or under_lut",
        )
    })?;
    if input.reverse_charge {
        return Err(bad(
            "reverse_charge",
            "zero-rated supplies are not under reverse charge",
        ));
    }
    if let Some((_, _, heads, supply_type, zero)) = ZERO_RATED_HEADS
        .iter()
        .find(|(s, m, ..)| *s == sez && *m == mode)
    {
        decision.heads = *heads;
        decision.supply_type = *supply_type;
        decision.zero_rated = *zero;
    }
    let what = if sez {
        "SEZ UNIT OR SEZ DEVELOPER FOR AUTHORISED OPERATIONS"
    } else {
        "EXPORT"
    };
    let kind = if sez { "SEZ supply" } else { "export" };
    match mode {
        ZeroRatedMode::WithPayment => {
            decision.igst_on_intra = sez && same_state;
            decision.endorsement = Some(format!(
                "SUPPLY MEANT FOR {what} ON PAYMENT OF INTEGRATED TAX"
            ));
            decision.reasons.push(format!(
                "{kind} with payment of tax: IGST at the full rate{}",
                if sez && same_state {
                    " although supplier and SEZ are in one state (inter-state by law; IgstOnIntra Y)"
                } else {
                    ""
                }
            ));
        }
        ZeroRatedMode::UnderLut => {
            decision.endorsement = Some(format!(
                "SUPPLY MEANT FOR {what} UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX"
            ));
            decision
                .reasons
                .push(format!("{kind} under LUT/bond: zero-rated, no tax charged"));
        }
    }
    Ok(())
}

/// Regime phase 5c: a domestic (or deemed-export) supply — CGST + SGST or
/// CGST + UTGST within one state, IGST across states, from
/// [`DOMESTIC_HEADS`].
fn domestic(
    input: &RegimeInput,
    supplier_state: &StateInfo,
    pos: &StateInfo,
    decision: &mut RegimeDecision,
) {
    if input.recipient_category == RecipientCategory::DeemedExport {
        decision.supply_type = SupplyType::Dexp;
        decision
            .reasons
            .push("deemed export: taxed like a domestic supply".to_owned());
    }
    let same_state = supplier_state.code == pos.code;
    if let Some((_, _, heads)) = DOMESTIC_HEADS
        .iter()
        .find(|(s, u, _)| *s == same_state && *u == pos.uses_utgst)
    {
        decision.heads = *heads;
    }
    let reason = match decision.heads {
        TaxHeads::CgstUtgst => format!(
            "supplier and place of supply both in {} (union territory without legislature): CGST + UTGST, half the rate each",
            pos.code
        ),
        TaxHeads::CgstSgst => format!(
            "supplier and place of supply both in {}: CGST + SGST, half the rate each",
            pos.code
        ),
        _ => format!(
            "supplier in {} and place of supply in {}: inter-state, IGST at the full rate",
            supplier_state.code, pos.code
        ),
    };
    decision.reasons.push(reason);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::tax::gstin_check_char;

    fn gstin(state: &str) -> String {
        let first = format!("{state}AAPFU0939F1Z");
        format!("{first}{}", gstin_check_char(&first).unwrap())
    }

    /// A recipient's GSTIN in `state`: another registration (entity 2), so
    /// never the supplier's own.
    fn buyer_gstin(state: &str) -> String {
        let first = format!("{state}AAGCB7383J2Z");
        format!("{first}{}", gstin_check_char(&first).unwrap())
    }

    fn base() -> RegimeInput {
        RegimeInput {
            date: NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
            supplier_registration: SupplierRegistration::Regular,
            supplier_gstin: Some("27AAPFU0939F1ZV".into()),
            supplier_state: None,
            recipient_gstin: Some("29AAGCB7383J1Z4".into()),
            recipient_state: None,
            recipient_category: RecipientCategory::Regular,
            supply_kind: SupplyKind::Goods,
            ship_to_state: None,
            bill_to_ship_to: false,
            place_of_supply: None,
            zero_rated_mode: None,
            reverse_charge: false,
            leaves_india: false,
        }
    }

    #[test]
    fn intra_and_inter_state() {
        let d = determine_regime(&base()).unwrap();
        assert_eq!(d.heads, TaxHeads::Igst);
        assert_eq!(d.supply_type, SupplyType::B2b);
        assert!(!d.reasons.is_empty());
        let mut i = base();
        i.recipient_gstin = Some(buyer_gstin("27"));
        assert_eq!(determine_regime(&i).unwrap().heads, TaxHeads::CgstSgst);
        // Ship-to in another state makes it inter-state.
        i.ship_to_state = Some("24".into());
        assert_eq!(determine_regime(&i).unwrap().heads, TaxHeads::Igst);
        // Bill-to/ship-to: the bill-to party's state decides.
        i.bill_to_ship_to = true;
        let d = determine_regime(&i).unwrap();
        assert_eq!(d.heads, TaxHeads::CgstSgst);
        assert_eq!(d.place_of_supply, "27");
    }

    #[test]
    fn every_union_territory() {
        for code in ["04", "26", "31", "35", "38", "97"] {
            let mut i = base();
            i.supplier_gstin = Some(gstin(code));
            i.recipient_gstin = Some(buyer_gstin(code));
            let d = determine_regime(&i).unwrap();
            assert_eq!(d.heads, TaxHeads::CgstUtgst, "{code}");
        }
        for code in ["01", "07", "34"] {
            let mut i = base();
            i.supplier_gstin = Some(gstin(code));
            i.recipient_gstin = None;
            i.recipient_state = Some(code.into());
            let d = determine_regime(&i).unwrap();
            assert_eq!(d.heads, TaxHeads::CgstSgst, "{code}");
            assert_eq!(d.supply_type, SupplyType::B2c);
        }
    }

    #[test]
    fn sez_same_state_is_igst_on_intra() {
        let mut i = base();
        i.recipient_gstin = Some(buyer_gstin("27"));
        i.recipient_category = RecipientCategory::Sez;
        i.zero_rated_mode = Some(ZeroRatedMode::WithPayment);
        let d = determine_regime(&i).unwrap();
        assert_eq!(d.heads, TaxHeads::Igst);
        assert!(d.igst_on_intra);
        assert_eq!(d.supply_type, SupplyType::Sezwp);
        i.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
        let d = determine_regime(&i).unwrap();
        assert_eq!(d.heads, TaxHeads::None);
        assert!(d.zero_rated);
        assert_eq!(d.supply_type, SupplyType::Sezwop);
        assert!(d.endorsement.unwrap().contains("LETTER OF UNDERTAKING"));
        i.zero_rated_mode = None;
        let e = determine_regime(&i).unwrap_err();
        assert_eq!(e.code(), "INVALID_REGIME_INPUT");
        assert_eq!(e.field(), Some("zero_rated_mode"));
    }

    #[test]
    fn exports_deemed_exports_composition() {
        let mut i = base();
        i.recipient_gstin = None;
        i.recipient_category = RecipientCategory::Overseas;
        i.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
        let d = determine_regime(&i).unwrap();
        assert_eq!(d.place_of_supply, "96");
        assert_eq!(d.supply_type, SupplyType::Expwop);
        i.zero_rated_mode = Some(ZeroRatedMode::WithPayment);
        let d = determine_regime(&i).unwrap();
        assert_eq!(
            (d.heads, d.supply_type),
            (TaxHeads::Igst, SupplyType::Expwp)
        );

        let mut i = base();
        i.recipient_category = RecipientCategory::DeemedExport;
        let d = determine_regime(&i).unwrap();
        assert_eq!((d.heads, d.supply_type), (TaxHeads::Igst, SupplyType::Dexp));

        let mut i = base();
        i.supplier_registration = SupplierRegistration::Composition;
        let d = determine_regime(&i).unwrap();
        assert!(d.bill_of_supply);
        assert_eq!(d.heads, TaxHeads::None);
        assert_eq!(d.endorsement.as_deref(), Some(COMPOSITION_WORDING));
    }

    #[test]
    fn goods_delivered_in_india_to_an_overseas_buyer_are_not_exported() {
        let mut i = base();
        i.supplier_gstin = Some("24AAQCA8719H1ZC".into());
        i.recipient_gstin = None;
        i.recipient_state = Some("96".into());
        i.recipient_category = RecipientCategory::Overseas;
        i.ship_to_state = Some("24".into());
        i.zero_rated_mode = Some(ZeroRatedMode::UnderLut);
        let d = determine_regime(&i).unwrap();
        assert_eq!(d.place_of_supply, "24");
        assert_eq!(
            (d.heads, d.supply_type),
            (TaxHeads::CgstSgst, SupplyType::B2c)
        );
        assert!(!d.zero_rated && d.endorsement.is_none());
        assert_eq!(d.warnings.len(), 1);
        assert_eq!(
            (d.warnings[0].code.as_str(), d.warnings[0].field.as_str()),
            ("NOT_AN_EXPORT", "ship_to_state")
        );
        assert!(d.warnings[0].message.contains("zero_rated_mode"));
        // Handed over at an Indian port for export: still an export.
        i.leaves_india = true;
        let d = determine_regime(&i).unwrap();
        assert_eq!(
            (d.place_of_supply.as_str(), d.supply_type),
            ("96", SupplyType::Expwop)
        );
        // Ship-to abroad: an export.
        i.leaves_india = false;
        i.ship_to_state = Some("96".into());
        assert_eq!(
            determine_regime(&i).unwrap().supply_type,
            SupplyType::Expwop
        );
    }

    #[test]
    fn no_reverse_charge_on_an_unregistered_recipient() {
        let mut i = base();
        i.recipient_gstin = None;
        i.recipient_state = Some("29".into());
        i.reverse_charge = true;
        let e = determine_regime(&i).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_REGIME_INPUT", Some("reverse_charge"))
        );
        i.recipient_gstin = Some("29AAGCB7383J1Z4".into());
        assert!(determine_regime(&i).unwrap().reverse_charge);
    }

    #[test]
    fn a_registration_cannot_supply_itself() {
        let mut i = base();
        i.recipient_gstin = Some(" 27aapfu0939f1zv".into());
        let e = determine_regime(&i).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_REGIME_INPUT", Some("recipient_gstin"))
        );
        // Another GSTIN of the same PAN is a distinct person.
        i.recipient_gstin = Some(gstin("29"));
        assert!(determine_regime(&i).is_ok());
    }

    #[test]
    fn errors_name_the_field() {
        let mut i = base();
        i.supplier_gstin = Some("27AAPFU0939F1Z0".into());
        let e = determine_regime(&i).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_GSTIN", Some("supplier_gstin"))
        );
        let mut i = base();
        i.recipient_gstin = None;
        let e = determine_regime(&i).unwrap_err();
        assert_eq!(e.field(), Some("ship_to_state"));
        let mut i = base();
        i.ship_to_state = Some("55".into());
        let e = determine_regime(&i).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("UNKNOWN_STATE_CODE", Some("ship_to_state"))
        );
        let mut i = base();
        i.reverse_charge = true;
        assert!(determine_regime(&i).unwrap().reverse_charge);
    }
}
