//! A **placeholder** GST estimate for quotes, to be replaced by the tax
//! module (gst-invoicing.md) when it lands.
//!
//! [`GstEstimator`] is the seam: the tax module will implement it with
//! dated rates and place-of-supply rules. Until then [`PlaceholderGst`]
//! maps a `gst_rate_class` to a rate (`GST5` → 5%, `GST18` → 18%, any
//! `GST<n>` → n%, overridable per class), splits into CGST + SGST (half
//! the rate each, per line) when the supplier's and the ship-to states are
//! equal, else IGST, and taxes shipping at the highest line rate.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Gives the GST rate (percent) of a rate class; `None` when unknown.
pub trait GstEstimator {
    /// The rate of `gst_rate_class`, in percent.
    fn rate(&self, gst_rate_class: &str) -> Option<Decimal>;
}

/// The placeholder estimator: `GST<n>` → n%, plus explicit overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlaceholderGst {
    /// Explicit rates per class (win over the `GST<n>` reading).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rates: BTreeMap<String, Decimal>,
}

impl GstEstimator for PlaceholderGst {
    fn rate(&self, class: &str) -> Option<Decimal> {
        if let Some(r) = self.rates.get(class) {
            return Some(*r);
        }
        match class {
            "EXEMPT" | "NIL" => Some(Decimal::ZERO),
            _ => class
                .strip_prefix("GST")
                .and_then(|n| n.parse::<Decimal>().ok())
                .filter(|r| *r >= Decimal::ZERO && *r <= Decimal::ONE_HUNDRED),
        }
    }
}

/// The GST estimate of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GstLineEstimate {
    /// Line id (`shipping` for the shipping charge).
    pub line_id: String,
    /// Rate in percent.
    pub rate: Decimal,
    /// Taxable value.
    pub taxable: Decimal,
    /// CGST.
    pub cgst: Decimal,
    /// SGST.
    pub sgst: Decimal,
    /// IGST.
    pub igst: Decimal,
}

/// The quote's GST estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GstEstimate {
    /// Supplier's state code.
    pub supplier_state: String,
    /// Ship-to state code.
    pub ship_to_state: String,
    /// Same state: CGST + SGST; else IGST.
    pub intra_state: bool,
    /// Per line.
    pub lines: Vec<GstLineEstimate>,
    /// Total CGST.
    pub cgst: Decimal,
    /// Total SGST.
    pub sgst: Decimal,
    /// Total IGST.
    pub igst: Decimal,
    /// Total tax.
    pub total: Decimal,
    /// Says this is an estimate by the placeholder.
    pub basis: String,
}
