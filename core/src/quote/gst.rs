//! The GST estimate of a quote.
//!
//! [`GstEstimator`] is the seam between quotes and tax rates. [`DatedRates`]
//! implements it with the tax module's [`RateTable`] as of the quote's date
//! (the rates notified for that day, so a quote for next month uses next
//! month's slabs); [`PlaceholderGst`] maps a `gst_rate_class` to a rate
//! without dates (`GST5` → 5%, `GST18` → 18%, any `GST<n>` → n%,
//! overridable per class) for hosts that only want a rough figure. Either
//! way the estimate splits into CGST + SGST (half the rate each, per line)
//! when the supplier's and the ship-to states are equal, else IGST, and
//! taxes shipping at the highest line rate. The invoice computes the tax
//! that is charged; the quote only estimates it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::tax::RateTable;

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
}

/// The quote's GST estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
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
