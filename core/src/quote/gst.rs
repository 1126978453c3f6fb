//! The GST estimate of a quote.
//!
//! [`GstEstimator`] is the seam between quotes and tax rates. [`DatedRates`]
//! implements it with the tax module's [`RateTable`] as of the quote's date
//! (the rates notified for that day, so a quote for next month uses next
//! month's slabs); [`PlaceholderGst`] maps a `gst_rate_class` to a rate
//! without dates (`GST5` → 5%, `GST18` → 18%, any `GST<n>` → n%,
//! overridable per class) for hosts that only want a rough figure.
//!
//! The heads follow the tax module's regime ([`crate::tax::determine_regime`]):
//! when the quote settings carry a `regime` input (supplier GSTIN and
//! registration, recipient category, zero-rated mode, reverse charge) the
//! estimate uses its decision — CGST + SGST, CGST + UTGST, IGST, or no tax
//! (zero-rated under LUT, bill of supply); without one the supply is taken
//! as a regular domestic supply of goods from the supplier's state to the
//! ship-to state, with the tax module's state table deciding CGST + SGST,
//! CGST + UTGST (a union territory without legislature) or IGST. Under
//! reverse charge the tax is shown but payable by the recipient, so the
//! quote's collected GST and grand total leave it out (as the invoice's
//! amount payable does). Shipping is taxed at the highest line rate. The
//! `basis` label says which regime and that the figure is an estimate; the
//! invoice computes the tax that is charged.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::tax::{determine_regime, state, RateTable, RegimeInput, TaxError, TaxHeads};

/// Gives the GST rate (percent) of a rate class; `None` when unknown.
pub trait GstEstimator {
    /// The rate of `gst_rate_class`, in percent.
    fn rate(&self, gst_rate_class: &str) -> Option<Decimal>;
}

/// Rates from the tax module's dated table, as of one date.
#[derive(Debug, Clone)]
pub struct DatedRates<'a> {
    /// The rate table (usually [`RateTable::india_default`]).
    pub table: &'a RateTable,
    /// The date the rates are taken at (the quote's date).
    pub date: NaiveDate,
}

impl GstEstimator for DatedRates<'_> {
    fn rate(&self, class: &str) -> Option<Decimal> {
        self.table
            .resolve(Some(class), None, self.date, "gst_rate_class")
            .ok()
            .map(|r| r.gst_rate)
    }
}

/// The undated estimator: `GST<n>` → n%, plus explicit overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
    /// UTGST.
    #[serde(default)]
    pub utgst: Decimal,
}

/// The quote's GST estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GstEstimate {
    /// Supplier's state code.
    pub supplier_state: String,
    /// Ship-to state code.
    pub ship_to_state: String,
    /// Supplier and place of supply in one state or UT (CGST + SGST or
    /// CGST + UTGST).
    pub intra_state: bool,
    /// The heads of the regime; absent in quotes built before the regime
    /// was applied (read as CGST + SGST when `intra_state`, else IGST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heads: Option<TaxHeads>,
    /// Tax payable by the recipient under reverse charge: shown, not
    /// collected (the quote's GST and grand total leave it out).
    #[serde(default)]
    pub reverse_charge: bool,
    /// Why these heads, from the tax module's regime.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Per line.
    pub lines: Vec<GstLineEstimate>,
    /// Total CGST.
    pub cgst: Decimal,
    /// Total SGST.
    pub sgst: Decimal,
    /// Total IGST.
    pub igst: Decimal,
    /// Total UTGST.
    #[serde(default)]
    pub utgst: Decimal,
    /// Total tax.
    pub total: Decimal,
    /// Says what the figure is: an estimate, under which regime.
    pub basis: String,
}

impl GstEstimate {
    /// The heads the estimate charges.
    pub fn tax_heads(&self) -> TaxHeads {
        match self.heads {
            Some(h) => h,
            None if self.intra_state => TaxHeads::CgstSgst,
            None => TaxHeads::Igst,
        }
    }
}

/// The regime of a quote's estimate, from the tax module: `input` when the
/// host gave one (its missing ship-to state filled with the quote's), else a
/// regular domestic supply from `supplier_state` to `ship_to_state`.
/// Errors name the field under `settings.regime` (or the state fields).
pub(crate) fn estimate_regime(
    input: Option<&RegimeInput>,
    supplier_state: &str,
    ship_to_state: &str,
) -> Result<GstEstimate, TaxError> {
    let (supplier, heads, reverse_charge, reasons) = match input {
        Some(r) => {
            let mut r = r.clone();
            if r.ship_to_state.is_none() {
                r.ship_to_state = Some(ship_to_state.to_owned());
            }
            let d = determine_regime(&r).map_err(|e| {
                let field = format!("settings.regime.{}", e.field().unwrap_or_default());
                e.at(&field)
            })?;
            (d.supplier_state, d.heads, d.reverse_charge, d.reasons)
        }
        None => {
            let from = state(supplier_state).map_err(|e| e.at("settings.supplier_state"))?;
            let to = state(ship_to_state).map_err(|e| e.at("request.ship_to_state"))?;
            let (heads, reason) = if from.code != to.code {
                (
                    TaxHeads::Igst,
                    format!(
                        "supplier in {} and ship-to in {}: inter-state, IGST at the full rate",
                        from.code, to.code
                    ),
                )
            } else if to.uses_utgst {
                (
                    TaxHeads::CgstUtgst,
                    format!(
                        "supplier and ship-to both in {} (union territory without legislature): CGST + UTGST, half the rate each",
                        to.code
                    ),
                )
            } else {
                (
                    TaxHeads::CgstSgst,
                    format!(
                        "supplier and ship-to both in {}: CGST + SGST, half the rate each",
                        to.code
                    ),
                )
            };
            (from.code, heads, false, vec![reason])
        }
    };
    let label = match heads {
        TaxHeads::CgstSgst => "CGST + SGST",
        TaxHeads::CgstUtgst => "CGST + UTGST",
        TaxHeads::Igst => "IGST",
        TaxHeads::None => "no tax (zero-rated under LUT or bill of supply)",
    };
    let basis = format!(
        "estimate: {label}{} (regime by the tax module; the invoice computes the tax charged)",
        if reverse_charge {
            ", payable by the recipient on reverse charge"
        } else {
            ""
        }
    );
    Ok(GstEstimate {
        supplier_state: supplier,
        ship_to_state: ship_to_state.to_owned(),
        intra_state: matches!(heads, TaxHeads::CgstSgst | TaxHeads::CgstUtgst),
        heads: Some(heads),
        reverse_charge,
        reasons,
        lines: Vec::new(),
        cgst: Decimal::ZERO,
        sgst: Decimal::ZERO,
        igst: Decimal::ZERO,
        utgst: Decimal::ZERO,
        total: Decimal::ZERO,
        basis,
    })
}

#[cfg(test)]
mod dated_tests {
    use super::*;

    #[test]
    fn dated_rates_follow_the_notified_slabs() {
        let table = RateTable::india_default();
        let before = DatedRates {
            table: &table,
            date: NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
        };
        let after = DatedRates {
            table: &table,
            date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        };
        assert_eq!(before.rate("GST18"), Some(Decimal::from(18)));
        assert_eq!(after.rate("GST5"), Some(Decimal::from(5)));
        assert_eq!(before.rate("GST12"), Some(Decimal::from(12)));
        assert_eq!(
            after.rate("GST12"),
            None,
            "12 % is not notified after 22 Sep 2025"
        );
        assert_eq!(after.rate("NO-SUCH-CLASS"), None);
    }
}
