//! GST rates by date, as data: rate classes (or HSN prefixes) mapped to a
//! rate and cess for a period, plus the slabs notified in each period.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::TaxError;
use crate::error::{index, path};

/// First day of the September 2025 rate reform (new slabs 5/18/40).
pub const REFORM_2025: (i32, u32, u32) = (2025, 9, 22);
/// First day without compensation cess (tobacco and pan masala at 40%).
pub const CESS_END: (i32, u32, u32) = (2026, 2, 1);

/// How a rate class is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// Taxed at `gst_rate` (possibly 0 for zero-rated supplies).
    #[default]
    Taxable,
    /// Nil-rated (0% notified).
    Nil,
    /// Exempt by notification.
    Exempt,
    /// Outside GST (e.g. petroleum crude, alcohol for human consumption).
    NonGst,
}

/// Cess on top of GST. All zero when none applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cess {
    /// Compensation cess, ad valorem, in percent of the taxable value.
    #[serde(default)]
    pub ad_valorem: Decimal,
    /// Compensation cess, specific, in rupees per unit of quantity.
    #[serde(default)]
    pub per_unit: Decimal,
    /// State cess, ad valorem, in percent.
    #[serde(default)]
    pub state_ad_valorem: Decimal,
    /// State cess, specific, in rupees per unit.
    #[serde(default)]
    pub state_per_unit: Decimal,
}

impl Cess {
    /// Whether any cess component is non-zero.
    pub fn is_levied(&self) -> bool {
        !(self.ad_valorem.is_zero()
            && self.per_unit.is_zero()
            && self.state_ad_valorem.is_zero()
            && self.state_per_unit.is_zero())
    }

    /// Whether any compensation cess (not state cess) is levied.
    pub fn has_compensation(&self) -> bool {
        !(self.ad_valorem.is_zero() && self.per_unit.is_zero())
    }
}

/// A rate for a key over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateEntry {
    /// A rate class (`GST18`) or, when all digits, an HSN prefix (`2402`).
    pub key: String,
    /// First day the rate applies.
    pub from: NaiveDate,
    /// Last day the rate applies (inclusive); open-ended when absent.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Taxable, nil, exempt or non-GST.
    #[serde(default)]
    pub kind: RateKind,
    /// GST rate in percent (IGST; CGST and SGST get half each).
    pub gst_rate: Decimal,
    /// Cess, if any.
    #[serde(default)]
    pub cess: Cess,
    /// Where the rate comes from (notification), shown in explanations.
    #[serde(default)]
    pub source: String,
}

impl RateEntry {
    fn active_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// The GST slabs notified over a period, and whether compensation cess is
/// levied in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlabPeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive); open-ended when absent.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Notified GST rates in percent.
    pub rates: Vec<Decimal>,
    /// Whether compensation cess may be levied on any supply.
    pub cess_levied: bool,
    /// Rates and cess notified in the period only for some goods (e.g. 28%
    /// and compensation cess for tobacco and pan masala from 22 Sep 2025 to
    /// 31 Jan 2026).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special: Vec<SpecialSlabs>,
}

/// Rates (and compensation cess) notified in a period only for the goods
/// named by rate class or HSN prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialSlabs {
    /// What the goods are (shown in explanations), e.g. `tobacco and pan masala`.
    pub goods: String,
    /// Rate classes (exact keys) of those goods.
    #[serde(default)]
    pub classes: Vec<String>,
    /// HSN prefixes of those goods (digits).
    #[serde(default)]
    pub hsn_prefixes: Vec<String>,
    /// Extra GST rates notified for them, in percent.
    #[serde(default)]
    pub rates: Vec<Decimal>,
    /// Whether compensation cess may be levied on them.
    #[serde(default)]
    pub cess_levied: bool,
}

impl SpecialSlabs {
    fn covers(&self, class: Option<&str>, hsn: Option<&str>) -> bool {
        class.is_some_and(|c| self.classes.iter().any(|k| k == c))
            || hsn.is_some_and(|h| {
                let h = h.trim();
                self.hsn_prefixes
                    .iter()
                    .any(|p| !p.is_empty() && h.starts_with(p.as_str()))
            })
    }
}

impl SlabPeriod {
    fn active_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }

    /// The special slabs that cover goods of `class` / `hsn`.
    fn specials<'a>(
        &'a self,
        class: Option<&'a str>,
        hsn: Option<&'a str>,
    ) -> impl Iterator<Item = &'a SpecialSlabs> + 'a {
        self.special.iter().filter(move |s| s.covers(class, hsn))
    }

    fn allows_rate(&self, rate: Decimal, class: Option<&str>, hsn: Option<&str>) -> bool {
        self.rates.contains(&rate) || self.specials(class, hsn).any(|s| s.rates.contains(&rate))
    }

    fn allows_cess(&self, class: Option<&str>, hsn: Option<&str>) -> bool {
        self.cess_levied || self.specials(class, hsn).any(|s| s.cess_levied)
    }
}

/// A rate resolved for one line and date, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolvedRate {
    /// The key that matched (rate class or HSN prefix), or `explicit`.
    pub key: String,
    /// Taxable, nil, exempt or non-GST.
    pub kind: RateKind,
    /// GST rate in percent (normalized: `18`, not `18.00`).
    pub gst_rate: Decimal,
    /// Cess (normalized).
    pub cess: Cess,
    /// The date the rate was taken for.
    pub date: NaiveDate,
    /// Explanation: key, period and source.
    pub source: String,
}

/// Rates by date. Hosts start from [`RateTable::india_default`] and extend
/// it, or supply their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateTable {
    /// Rate entries; a key's periods never overlap.
    pub entries: Vec<RateEntry>,
    /// Notified slabs by period.
    pub slabs: Vec<SlabPeriod>,
}

impl Default for RateTable {
    fn default() -> Self {
        Self::india_default()
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn pct(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

impl RateTable {
    /// Validates and builds a table: rates 0–100 %, non-negative cess,
    /// `from` ≤ `until`, and no overlapping periods for the same key.
    pub fn new(entries: Vec<RateEntry>, slabs: Vec<SlabPeriod>) -> Result<Self, TaxError> {
        let table = Self { entries, slabs };
        table.validate()?;
        Ok(table)
    }

    /// Checks the table's consistency (see [`RateTable::new`]).
    pub fn validate(&self) -> Result<(), TaxError> {
        let bad = |field: String, reason: String| TaxError::InvalidRateTable { field, reason };
        let hundred = Decimal::ONE_HUNDRED;
        for (i, e) in self.entries.iter().enumerate() {
            let f = index("entries", i);
            if e.key.trim().is_empty() {
                return Err(bad(path(&f, "key"), "empty key".to_owned()));
            }
            if e.gst_rate < Decimal::ZERO || e.gst_rate > hundred {
                return Err(bad(
                    path(&f, "gst_rate"),
                    format!("rate {} is not 0-100 %", e.gst_rate),
                ));
            }
            let c = &e.cess;
            let big = Decimal::from(1_000_000);
            if [
                c.ad_valorem,
                c.per_unit,
                c.state_ad_valorem,
                c.state_per_unit,
            ]
            .iter()
            .any(|v| *v < Decimal::ZERO || *v > big)
            {
                return Err(bad(
                    path(&f, "cess"),
                    "cess must be 0 to 1,000,000".to_owned(),
                ));
            }
            if e.until.is_some_and(|u| u < e.from) {
                return Err(bad(path(&f, "until"), "until is before from".to_owned()));
            }
            for (j, o) in self.entries.iter().enumerate().take(i) {
                let overlap = o.key == e.key
                    && e.until.is_none_or(|u| o.from <= u)
                    && o.until.is_none_or(|u| e.from <= u);
                if overlap {
                    return Err(bad(
                        f.clone(),
                        format!("key {:?} overlaps entries[{j}]", e.key),
                    ));
                }
            }
        }
        for (i, s) in self.slabs.iter().enumerate() {
            if let Some(r) = s
                .rates
                .iter()
                .find(|r| **r < Decimal::ZERO || **r > hundred)
            {
                return Err(bad(
                    path(&index("slabs", i), "rates"),
                    format!("rate {r} is not 0-100 %"),
                ));
            }
            if s.until.is_some_and(|u| u < s.from) {
                return Err(bad(
                    path(&index("slabs", i), "until"),
                    "until is before from".to_owned(),
                ));
            }
            for (j, sp) in s.special.iter().enumerate() {
                let f = index(&path(&index("slabs", i), "special"), j);
                if let Some(r) = sp
                    .rates
                    .iter()
                    .find(|r| **r < Decimal::ZERO || **r > hundred)
                {
                    return Err(bad(path(&f, "rates"), format!("rate {r} is not 0-100 %")));
                }
                if let Some(p) = sp
                    .hsn_prefixes
                    .iter()
                    .find(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
                {
                    return Err(bad(
                        path(&f, "hsn_prefixes"),
                        format!("{p:?} is not an HSN prefix (digits)"),
                    ));
                }
            }
            for (j, o) in self.slabs.iter().enumerate().take(i) {
                let overlap =
                    s.until.is_none_or(|u| o.from <= u) && o.until.is_none_or(|u| s.from <= u);
                if overlap {
                    return Err(bad(
                        index("slabs", i),
                        format!("the period overlaps slabs[{j}]"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Adds entries (validated; overlapping an existing key's period is an
    /// error). Returns the extended table; `self` is left as it was on error.
    pub fn extend(&self, entries: Vec<RateEntry>) -> Result<Self, TaxError> {
        let mut all = self.entries.clone();
        all.extend(entries);
        Self::new(all, self.slabs.clone())
    }

    /// The default Indian table.
    ///
    /// Slabs: 1 Jul 2017 – 21 Sep 2025 0, 0.1, 0.25, 1, 1.5, 3, 5, 6, 7.5,
    /// 12, 18, 28 with compensation cess on any supply; 22 Sep 2025 –
    /// 31 Jan 2026 0, 0.25, 1.5, 3, 5, 18, 40, plus 28 and compensation cess
    /// only for tobacco and pan masala (classes `GST28_CESS60`,
    /// `GST28_CIGARETTE`, HSN chapter 24 and 2106 90 20); from 1 Feb 2026
    /// the same slabs without 28 and without compensation cess.
    ///
    /// Classes: `GST0_1`, `GST1`, `GST6`, `GST7_5`, `GST12` and the general
    /// `GST28` until 21 Sep 2025; `GST0_25`, `GST1_5`, `GST3`, `GST5`,
    /// `GST18` throughout; `GST40` from 22 Sep 2025; `NIL`/`GST0`, `EXEMPT`,
    /// `NON_GST`; aerated drinks `GST28_CESS12` until 21 Sep 2025; pan
    /// masala `GST28_CESS60` (28% + 60% cess) and cigarettes
    /// `GST28_CIGARETTE` (28% + 5% + ₹2.076 per unit) until 31 Jan 2026,
    /// both at 40% without cess from 1 Feb 2026.
    pub fn india_default() -> Self {
        let gst_start = ymd(2017, 7, 1);
        let pre_end = ymd(2025, 9, 21);
        let reform = ymd(REFORM_2025.0, REFORM_2025.1, REFORM_2025.2);
        let cess_last = ymd(2026, 1, 31);
        let cess_end = ymd(CESS_END.0, CESS_END.1, CESS_END.2);
        let entry =
            |key: &str, rate: &str, from, until, kind, cess: Cess, source: &str| RateEntry {
                key: key.to_owned(),
                from,
                until,
                kind,
                gst_rate: pct(rate),
                cess,
                source: source.to_owned(),
            };
        let t = RateKind::Taxable;
        let no = Cess::default;
        let pre = "GST rate schedule from 1 Jul 2017 (Notification 1/2017-CT(Rate))";
        let both = "GST rate schedule (unchanged by the 22 Sep 2025 reform)";
        let post = "GST rate schedule from 22 Sep 2025 (Notification 9/2025-CT(Rate))";
        let tob = "28% + compensation cess on tobacco and pan masala until 31 Jan 2026";
        let mut entries = vec![
            entry(
                "NIL",
                "0",
                gst_start,
                None,
                RateKind::Nil,
                no(),
                "nil-rated supply",
            ),
            entry(
                "GST0",
                "0",
                gst_start,
                None,
                RateKind::Nil,
                no(),
                "nil-rated supply",
            ),
            entry(
                "EXEMPT",
                "0",
                gst_start,
                None,
                RateKind::Exempt,
                no(),
                "exempt supply",
            ),
            entry(
                "NON_GST",
                "0",
                gst_start,
                None,
                RateKind::NonGst,
                no(),
                "outside GST",
            ),
        ];
        for (key, rate) in [
            ("GST0_1", "0.1"),
            ("GST1", "1"),
            ("GST6", "6"),
            ("GST7_5", "7.5"),
            ("GST12", "12"),
        ] {
            entries.push(entry(key, rate, gst_start, Some(pre_end), t, no(), pre));
        }
        for (key, rate) in [
            ("GST0_25", "0.25"),
            ("GST1_5", "1.5"),
            ("GST3", "3"),
            ("GST5", "5"),
            ("GST18", "18"),
        ] {
            entries.push(entry(key, rate, gst_start, None, t, no(), both));
        }
        entries.push(entry("GST28", "28", gst_start, Some(pre_end), t, no(), pre));
        entries.push(entry("GST40", "40", reform, None, t, no(), post));
        let cess = |adv: &str, unit: &str| Cess {
            ad_valorem: pct(adv),
            per_unit: pct(unit),
            ..Cess::default()
        };
        entries.push(entry(
            "GST28_CESS12",
            "28",
            gst_start,
            Some(pre_end),
            t,
            cess("12", "0"),
            "aerated waters: 28% + 12% compensation cess",
        ));
        entries.push(entry(
            "GST28_CESS60",
            "28",
            gst_start,
            Some(cess_last),
            t,
            cess("60", "0"),
            tob,
        ));
        entries.push(entry(
            "GST28_CIGARETTE",
            "28",
            gst_start,
            Some(cess_last),
            t,
            cess("5", "2.076"),
            tob,
        ));
        let forty = "tobacco and pan masala at 40% without compensation cess from 1 Feb 2026";
        for key in ["GST28_CESS60", "GST28_CIGARETTE"] {
            entries.push(entry(key, "40", cess_end, None, t, no(), forty));
        }
        let r = |list: &[&str]| list.iter().map(|s| pct(s)).collect::<Vec<_>>();
        let slabs = vec![
            SlabPeriod {
                from: gst_start,
                until: Some(pre_end),
                rates: r(&[
                    "0", "0.1", "0.25", "1", "1.5", "3", "5", "6", "7.5", "12", "18", "28",
                ]),
                cess_levied: true,
                special: vec![],
            },
            SlabPeriod {
                from: reform,
                until: Some(cess_last),
                rates: r(&["0", "0.25", "1.5", "3", "5", "18", "40"]),
                cess_levied: false,
                special: vec![SpecialSlabs {
                    goods: "tobacco and pan masala".to_owned(),
                    classes: vec!["GST28_CESS60".to_owned(), "GST28_CIGARETTE".to_owned()],
                    hsn_prefixes: vec!["24".to_owned(), "21069020".to_owned()],
                    rates: r(&["28"]),
                    cess_levied: true,
                }],
            },
            SlabPeriod {
                from: cess_end,
                until: None,
                rates: r(&["0", "0.25", "1.5", "3", "5", "18", "40"]),
                cess_levied: false,
                special: vec![],
            },
        ];
        Self { entries, slabs }
    }

    /// Resolves the rate of a line: by rate class when given (exact key),
    /// else by the longest HSN prefix key; then checks it against the slabs
    /// notified on `date`. `field` names the line in errors.
    pub fn resolve(
        &self,
        class: Option<&str>,
        hsn: Option<&str>,
        date: NaiveDate,
        field: &str,
    ) -> Result<ResolvedRate, TaxError> {
        let found = match (class, hsn) {
            (Some(class), _) => self
                .entries
                .iter()
                .find(|e| e.key == class && e.active_on(date)),
            (None, Some(hsn)) => self
                .entries
                .iter()
                .filter(|e| {
                    e.key.bytes().all(|b| b.is_ascii_digit())
                        && hsn.starts_with(e.key.as_str())
                        && e.active_on(date)
                })
                .max_by_key(|e| e.key.len()),
            (None, None) => None,
        };
        let Some(entry) = found else {
            return Err(TaxError::UnknownRateClass {
                field: field.to_owned(),
                class: class.or(hsn).unwrap_or_default().to_owned(),
                date,
            });
        };
        self.check_for(
            entry.gst_rate,
            &entry.cess,
            date,
            Some(&entry.key),
            hsn,
            field,
        )?;
        let c = &entry.cess;
        Ok(ResolvedRate {
            key: entry.key.clone(),
            kind: entry.kind,
            gst_rate: entry.gst_rate.normalize(),
            cess: Cess {
                ad_valorem: c.ad_valorem.normalize(),
                per_unit: c.per_unit.normalize(),
                state_ad_valorem: c.state_ad_valorem.normalize(),
                state_per_unit: c.state_per_unit.normalize(),
            },
            date,
            source: format!(
                "{} {}% from {}{}: {}",
                entry.key,
                entry.gst_rate.normalize(),
                entry.from,
                entry
                    .until
                    .map(|u| format!(" until {u}"))
                    .unwrap_or_default(),
                entry.source
            ),
        })
    }

    /// Checks that `rate` is a slab notified on `date` for any goods and
    /// that compensation cess, if any, is levied on any goods that date
    /// (see [`RateTable::check_for`] for goods with special slabs).
    pub fn check(
        &self,
        rate: Decimal,
        cess: &Cess,
        date: NaiveDate,
        field: &str,
    ) -> Result<(), TaxError> {
        self.check_for(rate, cess, date, None, None, field)
    }

    /// Checks `rate` and compensation cess against the slabs notified on
    /// `date` for the goods of rate class `class` or HSN `hsn` (special
    /// slabs such as 28% for tobacco apply only to the goods they name).
    /// State cess is not restricted by date.
    pub fn check_for(
        &self,
        rate: Decimal,
        cess: &Cess,
        date: NaiveDate,
        class: Option<&str>,
        hsn: Option<&str>,
        field: &str,
    ) -> Result<(), TaxError> {
        let period = self.slabs.iter().find(|s| s.active_on(date));
        if !period.is_some_and(|p| p.allows_rate(rate, class, hsn)) {
            return Err(TaxError::RateNotNotified {
                field: field.to_owned(),
                rate: rate.normalize(),
                date,
            });
        }
        if cess.has_compensation() && !period.is_some_and(|p| p.allows_cess(class, hsn)) {
            return Err(TaxError::CessNotLevied {
                field: field.to_owned(),
                date,
            });
        }
        Ok(())
    }

    /// Whether `rate` is notified on `date` for any goods.
    pub fn is_notified(&self, rate: Decimal, date: NaiveDate) -> bool {
        self.is_notified_for(rate, date, None)
    }

    /// Whether `rate` is notified on `date` for goods of HSN `hsn` (used by
    /// the e-invoice validator, which knows only the HSN).
    pub fn is_notified_for(&self, rate: Decimal, date: NaiveDate, hsn: Option<&str>) -> bool {
        self.slabs
            .iter()
            .any(|s| s.active_on(date) && s.allows_rate(rate, None, hsn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn default_table_is_valid() {
        RateTable::india_default().validate().unwrap();
    }

    #[test]
    fn rates_before_and_after_the_reform() {
        let t = RateTable::india_default();
        let r = t
            .resolve(Some("GST12"), None, d(2025, 9, 21), "lines[0]")
            .unwrap();
        assert_eq!(r.gst_rate, pct("12"));
        let e = t
            .resolve(Some("GST12"), None, d(2025, 9, 22), "lines[2]")
            .unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_RATE_CLASS");
        assert_eq!(e.field(), Some("lines[2]"));
        assert!(t.resolve(Some("GST40"), None, d(2025, 9, 21), "l").is_err());
        assert_eq!(
            t.resolve(Some("GST40"), None, d(2025, 9, 22), "l")
                .unwrap()
                .gst_rate,
            pct("40")
        );
        assert_eq!(
            t.resolve(Some("GST18"), None, d(2022, 9, 16), "l")
                .unwrap()
                .gst_rate,
            pct("18")
        );
        // The general 28% class ends with the reform.
        assert!(t.resolve(Some("GST28"), None, d(2025, 9, 21), "l").is_ok());
        let e = t
            .resolve(Some("GST28"), None, d(2025, 9, 22), "l")
            .unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_RATE_CLASS");
        // Pan masala: 28% + 60% cess until 31 Jan 2026, then 40% and no cess.
        for day in [d(2025, 9, 21), d(2025, 9, 22), d(2026, 1, 31)] {
            let pm = t.resolve(Some("GST28_CESS60"), None, day, "l").unwrap();
            assert_eq!((pm.gst_rate, pm.cess.ad_valorem), (pct("28"), pct("60")));
        }
        let pm = t
            .resolve(Some("GST28_CESS60"), None, d(2026, 2, 1), "l")
            .unwrap();
        assert_eq!(pm.gst_rate, pct("40"));
        assert!(!pm.cess.is_levied());
        // Cigarettes: 28% + 5% + ₹2.076 per unit, then 40% and no cess.
        let c = t
            .resolve(Some("GST28_CIGARETTE"), None, d(2026, 1, 31), "l")
            .unwrap();
        assert_eq!(
            (c.gst_rate, c.cess.ad_valorem, c.cess.per_unit),
            (pct("28"), pct("5"), pct("2.076"))
        );
        let c = t
            .resolve(Some("GST28_CIGARETTE"), None, d(2026, 2, 1), "l")
            .unwrap();
        assert_eq!((c.gst_rate, c.cess), (pct("40"), Cess::default()));
        assert!(c.source.contains("from 2026-02-01"));
        // Aerated drinks with 12% cess end with the reform.
        assert!(t
            .resolve(Some("GST28_CESS12"), None, d(2025, 9, 21), "l")
            .is_ok());
        assert!(t
            .resolve(Some("GST28_CESS12"), None, d(2025, 9, 22), "l")
            .is_err());
    }

    #[test]
    fn slabs_on_both_sides_of_each_boundary() {
        let t = RateTable::india_default();
        let none = Cess::default();
        let cess = Cess {
            ad_valorem: pct("12"),
            ..Cess::default()
        };
        let code = |r: Result<(), TaxError>| r.err().map(|e| e.code());
        let general = |rate: &str, c: &Cess, day| code(t.check(pct(rate), c, day, "l"));
        let tobacco = |rate: &str, c: &Cess, day| {
            code(t.check_for(pct(rate), c, day, None, Some("24022090"), "l"))
        };
        let pan_masala = |rate: &str, c: &Cess, day| {
            code(t.check_for(pct(rate), c, day, Some("GST28_CESS60"), None, "l"))
        };
        // Start of GST.
        assert_eq!(
            general("18", &none, d(2017, 6, 30)),
            Some("RATE_NOT_NOTIFIED")
        );
        assert_eq!(general("18", &none, d(2017, 7, 1)), None);
        // 21 / 22 Sep 2025.
        let (before, after) = (d(2025, 9, 21), d(2025, 9, 22));
        for rate in ["0.1", "1", "6", "7.5", "12", "28"] {
            assert_eq!(general(rate, &none, before), None, "{rate}");
            assert_eq!(general(rate, &none, after), Some("RATE_NOT_NOTIFIED"));
        }
        for rate in ["0", "0.25", "1.5", "3", "5", "18"] {
            assert_eq!(general(rate, &none, before), None, "{rate}");
            assert_eq!(general(rate, &none, after), None, "{rate}");
        }
        assert_eq!(general("40", &none, before), Some("RATE_NOT_NOTIFIED"));
        assert_eq!(general("40", &none, after), None);
        // Cess on any goods before the reform, only on tobacco/pan masala after.
        assert_eq!(general("28", &cess, before), None);
        assert_eq!(general("18", &cess, before), None);
        assert_eq!(general("18", &cess, after), Some("CESS_NOT_LEVIED"));
        assert_eq!(general("40", &cess, after), Some("CESS_NOT_LEVIED"));
        assert_eq!(tobacco("28", &cess, after), None);
        assert_eq!(pan_masala("28", &cess, after), None);
        assert_eq!(tobacco("40", &none, after), None);
        // 28% only for tobacco after the reform.
        assert_eq!(tobacco("28", &none, after), None);
        assert_eq!(
            code(t.check_for(pct("28"), &none, after, None, Some("61149090"), "l")),
            Some("RATE_NOT_NOTIFIED")
        );
        assert!(!t.is_notified(pct("28"), after));
        assert!(t.is_notified_for(pct("28"), after, Some("21069020")));
        assert!(!t.is_notified_for(pct("28"), after, Some("2106")));
        // 31 Jan / 1 Feb 2026: no 28%, no compensation cess for anyone.
        let (last, end) = (d(2026, 1, 31), d(2026, 2, 1));
        assert_eq!(tobacco("28", &cess, last), None);
        assert_eq!(tobacco("28", &none, end), Some("RATE_NOT_NOTIFIED"));
        assert_eq!(tobacco("40", &cess, end), Some("CESS_NOT_LEVIED"));
        assert_eq!(pan_masala("40", &cess, end), Some("CESS_NOT_LEVIED"));
        assert_eq!(tobacco("40", &none, end), None);
        assert_eq!(general("40", &none, end), None);
        assert_eq!(general("18", &cess, last), Some("CESS_NOT_LEVIED"));
        // State cess is not compensation cess.
        let state = Cess {
            state_ad_valorem: pct("1"),
            ..Cess::default()
        };
        assert_eq!(general("18", &state, end), None);
    }

    #[test]
    fn special_slabs_and_periods_are_validated() {
        let mut t = RateTable::india_default();
        t.slabs[1].special[0].hsn_prefixes.push("24x".into());
        assert_eq!(
            t.validate().unwrap_err().field(),
            Some("slabs[1].special[0].hsn_prefixes")
        );
        let mut t = RateTable::india_default();
        t.slabs[2].from = d(2026, 1, 1);
        let e = t.validate().unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_RATE_TABLE", Some("slabs[2]"))
        );
    }

    #[test]
    fn explicit_rates_checked_against_slabs() {
        let t = RateTable::india_default();
        let none = Cess::default();
        assert!(t.check(pct("12"), &none, d(2022, 9, 17), "l").is_ok());
        let e = t
            .check(pct("12"), &none, d(2025, 10, 1), "lines[1]")
            .unwrap_err();
        assert_eq!(e.code(), "RATE_NOT_NOTIFIED");
        assert_eq!(e.field(), Some("lines[1]"));
        assert!(t.check(pct("28"), &none, d(2026, 2, 1), "l").is_err());
        assert!(t.check(pct("40"), &none, d(2026, 2, 1), "l").is_ok());
        let cess = Cess {
            ad_valorem: pct("60"),
            ..Cess::default()
        };
        assert!(t.check(pct("28"), &cess, d(2025, 6, 1), "l").is_ok());
        let e = t.check(pct("18"), &cess, d(2025, 10, 1), "l").unwrap_err();
        assert_eq!(e.code(), "CESS_NOT_LEVIED");
        let e = t.check(pct("40"), &cess, d(2026, 2, 1), "l").unwrap_err();
        assert_eq!(e.code(), "CESS_NOT_LEVIED");
        // Before GST nothing is notified.
        assert!(t.check(pct("18"), &none, d(2017, 6, 30), "l").is_err());
    }

    #[test]
    fn hsn_prefix_and_extension() {
        let t = RateTable::india_default()
            .extend(vec![
                RateEntry {
                    key: "61".into(),
                    from: d(2017, 7, 1),
                    until: None,
                    kind: RateKind::Taxable,
                    gst_rate: pct("5"),
                    cess: Cess::default(),
                    source: "host".into(),
                },
                RateEntry {
                    key: "6114".into(),
                    from: d(2017, 7, 1),
                    until: None,
                    kind: RateKind::Taxable,
                    gst_rate: pct("18"),
                    cess: Cess::default(),
                    source: "host".into(),
                },
            ])
            .unwrap();
        let r = t
            .resolve(None, Some("61149090"), d(2024, 1, 1), "l")
            .unwrap();
        assert_eq!(r.gst_rate, pct("18"));
        assert_eq!(r.key, "6114");
        let r = t
            .resolve(None, Some("61099090"), d(2024, 1, 1), "l")
            .unwrap();
        assert_eq!(r.gst_rate, pct("5"));
        let e = t
            .resolve(None, Some("72101100"), d(2024, 1, 1), "lines[4]")
            .unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_RATE_CLASS");
        let dup = t.extend(vec![t.entries[0].clone()]).unwrap_err();
        assert_eq!(dup.code(), "INVALID_RATE_TABLE");
    }
}
