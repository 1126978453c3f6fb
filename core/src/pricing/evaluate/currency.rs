//! Prices in another currency (issue 21 item 13, Odoo's pricelist currency
//! conversion): when no list of the chain prices a sku in the order's
//! currency, the request may give exchange rates, and a list in another
//! currency then prices the line, converted once.
//!
//! Decisions where the specification is silent:
//! - a list in the order's currency always wins: conversion is tried only
//!   for a line that no list of the chain prices in that currency (the
//!   line that would otherwise fail with `NO_PRICE`);
//! - then the chain is walked again in its order (the customer's own
//!   lists, the segment's, the default): the first list in a currency the
//!   request gives a rate for, valid at the pricing instant, with an entry
//!   for the sku whose lowest tier the quantity reaches, prices the line;
//!   the currency of the list does not rank it;
//! - the tier is chosen on the list's own tiers (quantities do not
//!   depend on currency); each tier's price as the list quotes it (per its
//!   unit, after a `based_on` factor) is multiplied by the rate and rounded
//!   to the order currency's minor units with the book's rounding mode —
//!   the only conversion and the only rounding it adds; the price per base
//!   unit follows from it by the unit's factor. Rules, floors, rounding of
//!   the line and order discounts then run in the order's currency, as for
//!   any line;
//! - a converted line carries no tier or list hints (they would quote a
//!   conversion the line does not have);
//! - a rate converts into the order's currency (`to` is the order's
//!   currency), from a currency the book knows, other than the order's; it
//!   is a decimal string with up to 12 digits before the point and 10
//!   after, greater than zero; it is dated (`as_of`) on or before the
//!   pricing instant's date; a currency gives at most one rate. Anything
//!   else is refused with `INVALID_EXCHANGE_RATE` at
//!   `exchange_rates[i].<field>`, before any line is priced;
//! - without rates nothing changes: the line fails with `NO_PRICE` naming
//!   the lists tried. The Arrow batch path of the Python binding takes no
//!   rates.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use super::base::{graduated_bands, BaseRecord, Based, SharedSkips};
use super::errors::LineError;
use super::prepare::Prepared;
use super::result::{BasePrice, ListSkipped, SkipReason};
use super::{overflow, OrderCtx};
use crate::error::{index, path};
use crate::money::{self, Currencies, Currency, MoneyError};
use crate::pricing::compile::CompiledEntry;
use crate::pricing::{Explain, PriceRequest, PricingError, TierMode};

/// One exchange rate the host supplies for pricing from a list in another
/// currency: 1 `from` = `rate` `to`, as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRate {
    /// The list's currency (ISO 4217).
    pub from: String,
    /// The order's currency.
    pub to: String,
    /// Units of `to` for one `from`, as a decimal string ("83.2150").
    pub rate: String,
    /// The date the rate is for.
    pub as_of: NaiveDate,
}

/// How a base price from a list in another currency was converted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrencyConversion {
    /// The list's currency.
    pub from: SmolStr,
    /// The rate used (units of the order's currency per unit of `from`).
    pub rate: Decimal,
    /// The rate's date.
    pub as_of: NaiveDate,
    /// The tier's price as the list quotes it, in `from`.
    pub list_price: Decimal,
    /// That price converted and rounded to the order currency's minor units.
    pub converted_price: Decimal,
}

/// A checked rate of the request.
pub(super) struct Rate {
    from: SmolStr,
    rate: Decimal,
    as_of: NaiveDate,
}

/// The request's exchange rates, checked (see the module doc).
pub(super) fn rates(
    request: &PriceRequest,
    currencies: &Currencies,
) -> Result<Vec<Rate>, PricingError> {
    let mut out: Vec<Rate> = Vec::with_capacity(request.exchange_rates.len());
    let day = request.priced_at.date_naive();
    for (i, r) in request.exchange_rates.iter().enumerate() {
        let at = |field: &str| path(&index("exchange_rates", i), field);
        let refuse = |field: &str, value: &str, rule: &str| PricingError::InvalidExchangeRate {
            field: at(field),
            value: value.to_owned(),
            rule: rule.to_owned(),
        };
        if r.to != request.currency {
            return Err(refuse(
                "to",
                &r.to,
                &format!("must be the order's currency {}", request.currency),
            ));
        }
        if r.from == request.currency {
            return Err(refuse(
                "from",
                &r.from,
                "must differ from the order's currency",
            ));
        }
        currencies.get_at(&r.from, &at("from"))?;
        if out.iter().any(|o| o.from == r.from) {
            return Err(refuse("from", &r.from, "has a rate already"));
        }
        let rate = parse_rate(&r.rate).map_err(|rule| refuse("rate", &r.rate, rule))?;
        if r.as_of > day {
            return Err(refuse(
                "as_of",
                &r.as_of.to_string(),
                &format!("must not be after the pricing date {day}"),
            ));
        }
        out.push(Rate {
            from: SmolStr::new(&r.from),
            rate,
            as_of: r.as_of,
        });
    }
    Ok(out)
}

/// A rate as written: digits with at most one point, 1 to 12 digits
/// before it and at most 10 after, greater than zero.
fn parse_rate(s: &str) -> Result<Decimal, &'static str> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || s.ends_with('.') {
        return Err("must be a decimal string of digits with an optional point");
    }
    if whole.len() > 12 || fraction.len() > 10 {
        return Err("must have at most 12 digits before the point and 10 after");
    }
    let rate: Decimal = s
        .parse()
        .map_err(|_| "must be a decimal string of digits with an optional point")?;
    if rate.is_zero() {
        return Err("must be greater than zero");
    }
    Ok(rate)
}

impl<'a> OrderCtx<'a> {
    /// A line's base price: from the chain in the order's currency, else
    /// (only then) converted from a list in another currency.
    pub(super) fn line_base(
        &self,
        line: &Prepared<'a>,
        own: &[Option<&'a CompiledEntry>],
        shared: &mut SharedSkips,
        explain: Explain,
    ) -> Result<Based, (usize, LineError)> {
        match self.base_price(line, own, shared, explain) {
            Err((i, e @ LineError::NoPrice { .. })) => {
                // `base_price` leaves the lists it passed over (in full)
                // in the scratch.
                match self.converted_base(line, &shared.scratch, explain)? {
                    Some(b) => Ok(b),
                    None => Err((i, e)),
                }
            }
            other => other,
        }
    }

    /// The base price of a line that no list prices in the order's
    /// currency, from the first list of the chain in a currency the
    /// request gives a rate for (see the module doc); `None` when no such
    /// list prices it.
    pub(super) fn converted_base(
        &self,
        line: &Prepared<'a>,
        skipped: &[ListSkipped],
        explain: Explain,
    ) -> Result<Option<Based>, (usize, LineError)> {
        if self.rates.is_empty() {
            return Ok(None);
        }
        let i = line.index;
        let at_sku = |e: MoneyError| (i, LineError::from(e.at(&path(&index("lines", i), "sku"))));
        for (list_idx, unusable) in &self.chain {
            let Some(SkipReason::OtherCurrency { currency }) = unusable else {
                continue;
            };
            let Some(rate) = self.rates.iter().find(|r| r.from == currency.as_str()) else {
                continue;
            };
            let Some(list) = self.book.lists.get(*list_idx as usize) else {
                continue;
            };
            if !super::valid_at(list.valid_from, list.valid_until, self.at) {
                continue;
            }
            let own = list.entry_at(line.sku_idx, self.at);
            let Some((entry, factor, entry_list)) = self.find_entry(*list_idx, line.sku_idx, own)
            else {
                continue;
            };
            let tier_qty = self.tier_quantity(line, entry.basis);
            if entry
                .tiers
                .first()
                .is_none_or(|(lowest, _, _)| money::cmp(tier_qty, *lowest).is_lt())
            {
                continue;
            }
            let converted = self
                .convert_entry(entry, factor, rate, line)
                .map_err(at_sku)?;
            let record = explain != Explain::None;
            return self
                .converted_record(line, &converted, tier_qty, record)
                .map(|(mut base, amount, band_sum)| {
                    if let BaseRecord::Shown(b) = &mut base {
                        b.list_id = list.id.clone();
                        b.entry_list_id = entry_list.cloned();
                        b.conversion = converted.conversion(entry, tier_qty, factor, rate);
                        // The lists before this one in the chain (known
                        // at `full`): each was passed over.
                        b.lists_skipped = skipped
                            .iter()
                            .take_while(|s| s.list_id != list.id)
                            .cloned()
                            .collect();
                    }
                    Some(Based {
                        base,
                        base_line_amount: amount,
                        band_sum,
                        hints: Vec::new(),
                    })
                });
        }
        Ok(None)
    }

    /// The entry with every tier's quoted price (scaled by `factor`)
    /// converted at `rate` and rounded to the order currency's minor
    /// units, and its price per base unit from that.
    fn convert_entry(
        &self,
        entry: &CompiledEntry,
        factor: Decimal,
        rate: &Rate,
        line: &Prepared<'a>,
    ) -> Result<Converted, MoneyError> {
        let mode = self.book.def.settings.rounding;
        let unit_factor = line
            .product
            .units
            .factor(&entry.unit, "")
            .unwrap_or(Decimal::ONE);
        let mut tiers = Vec::with_capacity(entry.tiers.len());
        for (min, _, quoted) in &entry.tiers {
            let scaled =
                money::checked_mul(*quoted, factor).ok_or_else(|| overflow("derived price"))?;
            let converted = mode.round_to_scale(
                money::mul(scaled, rate.rate, "converted price")?,
                self.currency.minor_units,
            );
            let per_base = money::div(converted, unit_factor, "converted price")?;
            tiers.push((*min, per_base, converted));
        }
        Ok(Converted(CompiledEntry {
            tiers,
            ..entry.clone()
        }))
    }

    /// The base record and base amount of a converted entry at the line's
    /// tier quantity, priced as any entry in the order's currency.
    fn converted_record(
        &self,
        line: &Prepared<'a>,
        converted: &Converted,
        tier_qty: Decimal,
        record: bool,
    ) -> Result<(BaseRecord, Decimal, Option<Decimal>), (usize, LineError)> {
        let i = line.index;
        let at_qty = |e: MoneyError| {
            (
                i,
                LineError::from(e.at(&path(&index("lines", i), "quantity"))),
            )
        };
        let mode = self.book.def.settings.rounding;
        let minor = self.currency.minor_units;
        let entry = &converted.0;
        let (price_per_base_unit, amount, tier_min_qty, quoted_price, bands, band_sum) = match entry
            .mode
        {
            TierMode::AllUnits => {
                let reached = entry
                    .tiers
                    .iter()
                    .rev()
                    .find(|(min, _, _)| money::cmp(*min, tier_qty).is_le());
                let Some((min, per_base, quoted)) = reached else {
                    return Err(no_tier(line, &self.currency));
                };
                let amount = money::mul(*per_base, line.base_qty, "base amount").map_err(at_qty)?;
                (
                    *per_base,
                    mode.round_to_scale(amount, minor),
                    (entry.tiers.len() > 1 || !min.is_zero()).then_some(*min),
                    Some(*quoted),
                    Vec::new(),
                    None,
                )
            }
            TierMode::Graduated => {
                let (sum, bands) = graduated_bands(entry, Decimal::ONE, line, record)?;
                let per_base =
                    money::div(sum, line.base_qty, "graduated average").map_err(at_qty)?;
                (
                    per_base,
                    mode.round_to_scale(sum, minor),
                    None,
                    None,
                    bands,
                    Some(sum),
                )
            }
        };
        let exact_band_sum = band_sum;
        let base = if record {
            BaseRecord::Shown(BasePrice {
                list_id: SmolStr::default(),
                entry_list_id: None,
                tier_mode: entry.mode,
                tier_min_qty,
                tier_quantity: tier_qty,
                quoted_price,
                quoted_unit: entry.unit.clone(),
                price_per_base_unit,
                bands,
                band_sum,
                lists_skipped: Default::default(),
                conversion: None,
            })
        } else {
            BaseRecord::Bare {
                price_per_base_unit,
                tier_mode: entry.mode,
            }
        };
        Ok((base, amount, exact_band_sum))
    }
}

/// An entry with its prices converted into the order's currency.
struct Converted(CompiledEntry);

impl Converted {
    /// The conversion as the explanation shows it: the rate, its date and
    /// the (highest reached) tier's price before and after.
    fn conversion(
        &self,
        original: &CompiledEntry,
        tier_qty: Decimal,
        factor: Decimal,
        rate: &Rate,
    ) -> Option<Box<CurrencyConversion>> {
        let k = original
            .tiers
            .iter()
            .rposition(|(min, _, _)| money::cmp(*min, tier_qty).is_le())
            .filter(|_| original.mode == TierMode::AllUnits)
            .unwrap_or(0);
        let (_, _, quoted) = original.tiers.get(k)?;
        let (_, _, converted) = self.0.tiers.get(k)?;
        Some(Box::new(CurrencyConversion {
            from: rate.from.clone(),
            rate: rate.rate,
            as_of: rate.as_of,
            list_price: money::checked_mul(*quoted, factor).unwrap_or(*quoted),
            converted_price: *converted,
        }))
    }
}

/// Unreachable in practice (the lowest tier was checked): the line has no
/// price.
fn no_tier(line: &Prepared<'_>, currency: &Currency) -> (usize, LineError) {
    let i = line.index;
    (
        i,
        LineError::NoPrice {
            field: path(&index("lines", i), "sku"),
            sku: line.product.product.sku.clone(),
            currency: currency.code.clone(),
            tried: Vec::new(),
        },
    )
}
