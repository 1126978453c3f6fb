//! Indian GST: GSTIN and state codes, HSN/SAC codes, which tax heads apply
//! to a supply (and why), and GST rates by date as data.
//!
//! ```
//! use b2b_oms::tax::validate_gstin;
//!
//! let info = validate_gstin(" 27aapfu0939f1zv ", None).unwrap();
//! assert_eq!(info.gstin, "27AAPFU0939F1ZV");
//! assert_eq!(info.state_name, "Maharashtra");
//! ```
//!
//! Decisions where the spec is silent:
//! - A GSTIN's state code must be a state or union territory of the table or
//!   97 (other territory); 96 is only a place of supply and is rejected in a
//!   GSTIN.
//! - Characters 3–12 must be a PAN (5 letters, 4 digits, 1 letter) for normal
//!   (`Z`) and TCS (`C`) registrations; a `Z` registration may instead carry
//!   a Government department's TAN-like id (4 letters, 5 digits, 1 letter,
//!   e.g. `07AAAA12345A1ZT`), as the GSTN issues to departments without a
//!   PAN; TDS (`D`) registrations may carry a PAN or a TAN; other 14th
//!   characters only need to be alphanumeric. The check character is
//!   verified for every form. `registration_type` reports the holder read
//!   from the form: `normal`, `government_department`, `tax_deductor` (`D`),
//!   `tax_collector` (`C`), `un_body` (a UIN: year, 3 letters, 5 digits,
//!   `U`/`O` then `N`, e.g. `0717UNO00157UNO`), `non_resident` (same id
//!   shape, `NR`), `oidar` (state 99, same id shape, `OS`, e.g.
//!   `9917SGP29001OST`), or `other` for a form not classified (such as an
//!   input service distributor's), accepted on its checksum as before.
//! - Legacy state 25 (Daman & Diu) is current until 25 Jan 2020 (merged into
//!   26 from 26 Jan 2020); legacy 28 (undivided Andhra Pradesh) until 1 Jun
//!   2014. After those dates they are accepted with a `LEGACY_STATE_CODE`
//!   warning, never rejected, so old documents stay readable.
//! - HSN codes are trimmed of surrounding spaces; inner spaces or dots are an
//!   error (the host should store the digits).
//! - A line that names a nil-rated, exempt or non-GST rate class and also
//!   an explicit GST rate above 0 (or a cess) contradicts itself: it is
//!   refused with `RATE_CONTRADICTS_CLASS` at the line's `gst_rate`, rather
//!   than one of the two being picked silently. A 0 rate agrees with such a
//!   class.
//! - A recipient GSTIN equal to the supplier's is refused
//!   (`INVALID_REGIME_INPUT` at the recipient's GSTIN, `buyer.gstin` on an
//!   invoice): a registration cannot supply itself, while another GSTIN of
//!   the same PAN is a distinct person (CGST Act s.25(4)) and can be
//!   supplied. An e-invoice built from an invoice inherits the refusal.
//! - Reverse charge with a recipient that has no GSTIN is refused
//!   (`INVALID_REGIME_INPUT` at `reverse_charge`): the tax under reverse
//!   charge is paid by a registered recipient (CGST Act s.9(3), s.24(iii)
//!   makes it register); an unregistered one cannot pay it.
//! - Goods for an overseas recipient whose ship-to is in India are not
//!   exported: the place of supply of goods is where their movement ends
//!   (IGST Act s.10(1)(a)) and an export takes goods out of India (s.2(5)),
//!   so the supply is domestic and taxed (B2C, the recipient having no
//!   GSTIN), with a `NOT_AN_EXPORT` warning saying why the zero rating and
//!   the export details are not used. When the export details name a port
//!   or a shipping bill (`leaves_india`), the goods are taken out of India
//!   and the Indian ship-to is only where they are handed over for export
//!   (a port or an inland container depot, as in India Compliance's own
//!   export case): that stays an export, place of supply 96. An explicit
//!   place of supply in India for an overseas recipient is likewise a
//!   domestic supply.

mod gstin;
mod hsn;
mod rates;
mod regime;

pub use gstin::{
    gstin_check_char, state, states, validate_gstin, GstinInfo, GstinPart, RegistrationType,
    StateInfo, StateKind, Warning,
};
pub use hsn::{validate_hsn, HsnInfo};
pub use rates::{
    Cess, RateEntry, RateKind, RateTable, ResolvedRate, SlabPeriod, SpecialSlabs, CESS_END,
    REFORM_2025,
};
pub use regime::{
    determine_regime, RecipientCategory, RegimeDecision, RegimeInput, SupplierRegistration,
    SupplyKind, SupplyType, TaxHeads, ZeroRatedMode,
};

use rust_decimal::Decimal;
use thiserror::Error;

use crate::error::ErrorCode;

/// Errors of the tax module.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum TaxError {
    /// A GSTIN that is malformed; `part` says which part is wrong.
    #[error("invalid GSTIN {value:?}: the {part} is wrong: {reason}")]
    InvalidGstin {
        /// Field path.
        field: String,
        /// The normalized value.
        value: String,
        /// The part that is wrong.
        part: GstinPart,
        /// What is wrong, in words.
        reason: String,
    },
    /// A state code not in the GST state table.
    #[error("unknown GST state code {code:?}")]
    UnknownStateCode {
        /// Field path.
        field: String,
        /// The code given.
        code: String,
    },
    /// An HSN/SAC code that is not 4, 6 or 8 digits, or shorter than required.
    #[error("invalid HSN/SAC {value:?}: {reason}")]
    InvalidHsn {
        /// Field path.
        field: String,
        /// The code given.
        value: String,
        /// The rule it broke.
        reason: String,
    },
    /// A rate class (or HSN) that has no rate notified for the date.
    #[error("no GST rate is notified for {class:?} on {date}")]
    UnknownRateClass {
        /// Field path (the line).
        field: String,
        /// The rate class or HSN.
        class: String,
        /// The date of supply.
        date: chrono::NaiveDate,
    },
    /// A rate that is not one of the slabs notified for the date.
    #[error("GST rate {rate}% is not notified on {date}")]
    RateNotNotified {
        /// Field path (the line).
        field: String,
        /// The rate, in percent.
        rate: Decimal,
        /// The date of supply.
        date: chrono::NaiveDate,
    },
    /// Compensation cess on a supply dated after cess ended.
    #[error("compensation cess is not levied on {date} (it ended on 31 Jan 2026)")]
    CessNotLevied {
        /// Field path (the line).
        field: String,
        /// The date of supply.
        date: chrono::NaiveDate,
    },
    /// A rate table that is inconsistent (overlaps, bad rates).
    #[error("invalid rate table: {reason}")]
    InvalidRateTable {
        /// Field path into the table.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// An explicit GST rate on a line whose rate class is nil-rated, exempt
    /// or non-GST: such a line carries no tax.
    #[error("rate class {class:?} ({kind:?}: nil-rated, exempt or non-GST) carries no tax, but the line gives GST rate {rate}%")]
    RateContradictsClass {
        /// Field path (the line's `gst_rate`).
        field: String,
        /// The rate class.
        class: String,
        /// The class's kind (nil, exempt or non-GST).
        kind: RateKind,
        /// The explicit rate, in percent.
        rate: Decimal,
    },
    /// Inputs for the tax regime that contradict each other or are missing.
    #[error("cannot determine the tax regime: {reason}")]
    InvalidRegimeInput {
        /// Field path.
        field: String,
        /// What is missing or contradictory.
        reason: String,
    },
}

impl ErrorCode for TaxError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidGstin { .. } => "INVALID_GSTIN",
            Self::UnknownStateCode { .. } => "UNKNOWN_STATE_CODE",
            Self::InvalidHsn { .. } => "INVALID_HSN",
            Self::UnknownRateClass { .. } => "UNKNOWN_RATE_CLASS",
            Self::RateNotNotified { .. } => "RATE_NOT_NOTIFIED",
            Self::CessNotLevied { .. } => "CESS_NOT_LEVIED",
            Self::InvalidRateTable { .. } => "INVALID_RATE_TABLE",
            Self::RateContradictsClass { .. } => "RATE_CONTRADICTS_CLASS",
            Self::InvalidRegimeInput { .. } => "INVALID_REGIME_INPUT",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidGstin { field, .. }
            | Self::UnknownStateCode { field, .. }
            | Self::InvalidHsn { field, .. }
            | Self::UnknownRateClass { field, .. }
            | Self::RateNotNotified { field, .. }
            | Self::CessNotLevied { field, .. }
            | Self::InvalidRateTable { field, .. }
            | Self::RateContradictsClass { field, .. }
            | Self::InvalidRegimeInput { field, .. } => Some(field),
        }
    }
}

impl TaxError {
    /// The same error with its field path set to `at`.
    pub fn at(mut self, at: &str) -> Self {
        match &mut self {
            Self::InvalidGstin { field, .. }
            | Self::UnknownStateCode { field, .. }
            | Self::InvalidHsn { field, .. }
            | Self::UnknownRateClass { field, .. }
            | Self::RateNotNotified { field, .. }
            | Self::CessNotLevied { field, .. }
            | Self::InvalidRateTable { field, .. }
            | Self::RateContradictsClass { field, .. }
            | Self::InvalidRegimeInput { field, .. } => *field = at.to_owned(),
        }
        self
    }
}
