//! Pass 2 of pricing an order: the base price of a line from the
//! customer's list chain (own entries, then `based_on` parents), its tier
//! (all-units or graduated bands), the lists passed over and the tier hints.

use super::{line_overflow, Problems};
use rustc_hash::FxHashSet;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use smol_str::SmolStr;

use super::errors::LineError;
use super::hints::PendingHint;
use super::prepare::Prepared;
use super::result::{BasePrice, GraduatedBand, Hint, ListSkipped, SkipReason};
use super::{overflow, valid_at, OrderCtx};
use crate::error::{index, path};
use crate::money::{self, MoneyError};
use crate::pricing::compile::{CompiledEntry, CompiledList, PriceBook, MAX_LIST_CHAIN};
use crate::pricing::{Explain, TierMode};

/// A line's base price; the line itself stays in pass 1's vector.
pub(super) struct Based {
    pub(super) base: BaseRecord,
    pub(super) base_line_amount: Decimal,
    /// A graduated line's exact band sum (at every explanation level): the
    /// waterfall carries it to the line amount, rounded once.
    pub(super) band_sum: Option<Decimal>,
    pub(super) hints: Vec<Hint>,
}

/// A line's base price as the result shows it, or, at [`Explain::None`],
/// only what pricing the line needs of it (no larger than the record, so
/// a line moves from pass to pass as cheaply as before).
pub(super) enum BaseRecord {
    Shown(BasePrice),
    Bare {
        price_per_base_unit: Decimal,
        tier_mode: TierMode,
    },
}

impl BaseRecord {
    pub(super) fn price_per_base_unit(&self) -> Decimal {
        match self {
            Self::Shown(b) => b.price_per_base_unit,
            Self::Bare {
                price_per_base_unit,
                ..
            } => *price_per_base_unit,
        }
    }

    pub(super) fn tier_mode(&self) -> TierMode {
        match self {
            Self::Shown(b) => b.tier_mode,
            Self::Bare { tier_mode, .. } => *tier_mode,
        }
    }

    pub(super) fn shown(self) -> Option<BasePrice> {
        match self {
            Self::Shown(b) => Some(b),
            Self::Bare { .. } => None,
        }
    }
}

impl CompiledList {
    /// The list's own entry for a sku valid at `at`.
    // Inlined into the lookup loop: as a call it costs 1.5 % of an order.
    #[inline]
    pub(super) fn entry_at(&self, sku: u32, at: DateTime<FixedOffset>) -> Option<&CompiledEntry> {
        self.entries
            .get(&sku)?
            .iter()
            .find(|e| valid_at(e.valid_from, e.valid_until, at))
    }
}

/// The lists-skipped explanations of one order, by which lists of the
/// chain were passed over, for the lines whose reasons the order decides.
#[derive(Default)]
pub(super) struct SharedSkips {
    pub(super) by_pattern: Vec<(u64, Arc<[ListSkipped]>)>,
    /// The line being priced: lists passed over so far.
    pub(super) scratch: Vec<ListSkipped>,
}

impl SharedSkips {
    /// The explanation of the lists in `scratch`, shared when `pattern`
    /// (the bit set of lists passed over) decides it.
    pub(super) fn get(&mut self, pattern: Option<u64>) -> Arc<[ListSkipped]> {
        let skipped = self.scratch.as_slice();
        let Some(pattern) = pattern else {
            return Arc::from(skipped);
        };
        if let Some((_, shared)) = self.by_pattern.iter().find(|(p, _)| *p == pattern) {
            return Arc::clone(shared);
        }
        let shared: Arc<[ListSkipped]> = Arc::from(skipped);
        self.by_pattern.push((pattern, Arc::clone(&shared)));
        shared
    }
}

impl<'a> OrderCtx<'a> {
    /// The entries of every line in every usable list of the chain (a row
    /// of `chain.len()` per line), looked up in one loop: the lookups are
    /// independent, so their cache misses overlap.
    pub(super) fn own_entries(&self, lines: &[Prepared<'a>]) -> Vec<Option<&'a CompiledEntry>> {
        let book: &'a PriceBook = self.book;
        let lists: Vec<Option<&'a CompiledList>> = self
            .chain
            .iter()
            .map(|(l, unusable)| book.lists.get(*l as usize).filter(|_| unusable.is_none()))
            .collect();
        let mut out = Vec::with_capacity(lines.len() * lists.len());
        for p in lines {
            for l in &lists {
                out.push(l.and_then(|l| l.entry_at(p.sku_idx, self.at)));
            }
        }
        out
    }

    /// The entry for a sku in a list (`own`, looked up ahead), else in its
    /// `based_on` parents, with the parents' factor and the list it came from.
    pub(super) fn find_entry(
        &self,
        list: u32,
        sku: u32,
        own: Option<&'a CompiledEntry>,
    ) -> Option<(&'a CompiledEntry, Decimal, Option<&'a SmolStr>)> {
        if let Some(e) = own {
            return Some((e, Decimal::ONE, None));
        }
        let book: &'a PriceBook = self.book;
        let mut l = book.lists.get(list as usize)?;
        let mut factor = Decimal::ONE;
        for _ in 0..MAX_LIST_CHAIN {
            let (parent, f) = l.based_on?;
            factor = factor.checked_mul(f)?;
            l = book.lists.get(parent as usize)?;
            if let Some(e) = l.entry_at(sku, self.at) {
                return Some((e, factor, Some(&l.id)));
            }
        }
        None
    }

    /// A line's base price: phase 1, the list lookup — the first list of
    /// the customer's chain (own entries, then `based_on` parents) whose
    /// entry's lowest tier the tier quantity reaches, with hints for the
    /// earlier lists almost reached — then the entry's tier price (phase 2,
    /// [`Self::tier_price`]) and its record (phase 3, [`Self::based`]).
    /// No list prices it: `NO_PRICE`, naming every list tried.
    pub(super) fn base_price(
        &self,
        line: &Prepared<'a>,
        own: &[Option<&'a CompiledEntry>],
        shared: &mut SharedSkips,
        explain: Explain,
    ) -> Result<Based, (usize, LineError)> {
        // Hints and the lists passed over are written at `full` only; the
        // base price record at `full` and `summary`.
        let full = explain == Explain::Full;
        let record = explain != Explain::None;
        let skipped = &mut shared.scratch;
        skipped.clear();
        // Hints with the price per base unit they would give; their words
        // are written only for the hints kept.
        let mut pending: Vec<(Decimal, PendingHint<'a>)> = Vec::new();
        // Which lists were passed over, while every reason is one the
        // order decides (not valid, other currency) or "no entry": lines
        // passed over the same lists share one explanation.
        let mut pattern: Option<u64> = Some(0);
        for (position, (list_idx, unusable)) in self.chain.iter().enumerate() {
            let Some(list) = self.book.lists.get(*list_idx as usize) else {
                continue;
            };
            // Called at `full` only.
            let mut skip = |reason: SkipReason| {
                let same_for_all = !matches!(reason, SkipReason::BelowLowestTier { .. });
                pattern = pattern
                    .zip(1u64.checked_shl(position as u32))
                    .filter(|_| same_for_all)
                    .map(|(p, bit)| p | bit);
                skipped.push(ListSkipped {
                    list_id: list.id.clone(),
                    reason,
                });
            };
            if let Some(reason) = unusable {
                if full {
                    skip(reason.clone());
                }
                continue;
            }
            let own = own.get(position).copied().flatten();
            let Some((entry, factor, entry_list)) = self.find_entry(*list_idx, line.sku_idx, own)
            else {
                if full {
                    skip(SkipReason::NoEntry);
                }
                continue;
            };
            let tier_qty = self.tier_quantity(line, entry.basis);
            let Some((lowest, lowest_per_base, lowest_quoted)) = entry.tiers.first() else {
                continue;
            };
            if money::cmp(tier_qty, *lowest).is_lt() {
                if !full {
                    continue;
                }
                skip(SkipReason::BelowLowestTier { min_qty: *lowest });
                let needed = (*lowest - tier_qty).normalize();
                if !self.within_reach(needed, tier_qty) {
                    continue;
                }
                pending.push((
                    money::checked_mul(*lowest_per_base, factor).unwrap_or(*lowest_per_base),
                    PendingHint::EarlierList {
                        needed,
                        list: &list.id,
                        quoted: money::checked_mul(*lowest_quoted, factor)
                            .unwrap_or(*lowest_quoted),
                        unit: &entry.unit,
                    },
                ));
                continue;
            }
            let Some(tier) = self.tier_price(line, entry, factor, tier_qty, record)? else {
                continue;
            };
            let found = Found {
                list: &list.id,
                entry,
                entry_list,
                tier_qty,
            };
            return Ok(self.based(found, tier, pending, shared, pattern, explain));
        }
        if !full {
            // The error names every list tried: the cold path works them
            // out again, in full.
            return self.base_price(line, own, shared, Explain::Full);
        }
        Err(no_price(line, skipped, &self.currency.code))
    }
}

/// The entry that prices a line: its list, the list it came from (a
/// `based_on` parent) and the tier quantity it was read at.
struct Found<'a> {
    list: &'a SmolStr,
    entry: &'a CompiledEntry,
    entry_list: Option<&'a SmolStr>,
    tier_qty: Decimal,
}

/// The price an entry gives a line: its tier (all-units) or bands
/// (graduated), the base amount, and the next tier's hint.
struct TierPrice<'a> {
    tier_min_qty: Option<Decimal>,
    quoted_price: Option<Decimal>,
    price_per_base_unit: Decimal,
    bands: Vec<GraduatedBand>,
    band_sum: Option<Decimal>,
    base_line_amount: Decimal,
    next_tier: Option<(Decimal, PendingHint<'a>)>,
}

impl<'a> OrderCtx<'a> {
    /// Phase 2 of a line's base price: the price of the entry that phase 1
    /// (the list lookup in [`Self::base_price`]) found and whose lowest
    /// tier the tier quantity reaches. All-units: the tier reached prices
    /// every unit; graduated: the exact band sum and its average.
    /// Guarantees phase 3 a price per base unit and the base line amount
    /// rounded to minor units; `None` when no tier is reached (the list is
    /// passed over).
    fn tier_price(
        &self,
        line: &Prepared<'a>,
        entry: &'a CompiledEntry,
        factor: Decimal,
        tier_qty: Decimal,
        record: bool,
    ) -> Result<Option<TierPrice<'a>>, (usize, LineError)> {
        let i = line.index;
        let mode = self.book.def.settings.rounding;
        let minor = self.currency.minor_units;
        // Field paths are built only when something fails.
        let at_sku = |e: MoneyError| (i, LineError::from(e.at(&path(&index("lines", i), "sku"))));
        let at_qty = |e: MoneyError| {
            (
                i,
                LineError::from(e.at(&path(&index("lines", i), "quantity"))),
            )
        };
        let scale = |p: Decimal| {
            money::checked_mul(p, factor).ok_or_else(|| at_sku(overflow("derived price")))
        };
        Ok(Some(match entry.mode {
            TierMode::AllUnits => {
                let reached = entry
                    .tiers
                    .iter()
                    .rev()
                    .find(|(min, _, _)| money::cmp(*min, tier_qty).is_le());
                let Some((min, per_base, quoted)) = reached else {
                    return Ok(None);
                };
                // Scaled at every level: a derived price that overflows
                // fails the line whatever the explanation.
                let quoted_price = Some(scale(*quoted)?);
                let price_per_base_unit = scale(*per_base)?;
                let next_tier = self.next_tier_hint(entry, factor, tier_qty, line.index)?;
                let line_amount = money::mul(price_per_base_unit, line.base_qty, "base amount")
                    .map_err(at_qty)?;
                TierPrice {
                    tier_min_qty: (entry.tiers.len() > 1 || !min.is_zero()).then_some(*min),
                    quoted_price,
                    price_per_base_unit,
                    bands: Vec::new(),
                    band_sum: None,
                    base_line_amount: mode.round_to_scale(line_amount, minor),
                    next_tier,
                }
            }
            TierMode::Graduated => {
                let (sum, bands) = graduated_bands(entry, factor, line, record)?;
                TierPrice {
                    tier_min_qty: None,
                    quoted_price: None,
                    price_per_base_unit: money::div(sum, line.base_qty, "graduated average")
                        .map_err(at_qty)?,
                    bands,
                    band_sum: Some(sum),
                    base_line_amount: mode.round_to_scale(sum, minor),
                    next_tier: None,
                }
            }
        }))
    }

    /// Phase 3 of a line's base price: the record the result shows (at
    /// `summary` and `full`; the bare price at `none`), with the hints
    /// that would lower the base price and the lists passed over (at
    /// `full`). Guarantees pass 3 everything it needs of the base price.
    fn based(
        &self,
        found: Found<'a>,
        tier: TierPrice<'a>,
        pending: Vec<(Decimal, PendingHint<'a>)>,
        shared: &mut SharedSkips,
        pattern: Option<u64>,
        explain: Explain,
    ) -> Based {
        let full = explain == Explain::Full;
        let Found {
            list,
            entry,
            entry_list,
            tier_qty,
        } = found;
        // Only hints that would lower the base price are worth showing.
        let hints = if full {
            kept_hints(pending, tier.next_tier, tier.price_per_base_unit)
        } else {
            Vec::new()
        };
        let base = if explain != Explain::None {
            BaseRecord::Shown(BasePrice {
                list_id: list.clone(),
                entry_list_id: entry_list.cloned(),
                tier_mode: entry.mode,
                tier_min_qty: tier.tier_min_qty,
                tier_quantity: tier_qty,
                quoted_price: tier.quoted_price,
                quoted_unit: entry.unit.clone(),
                price_per_base_unit: tier.price_per_base_unit,
                bands: tier.bands,
                band_sum: tier.band_sum,
                lists_skipped: if full {
                    shared.get(pattern)
                } else {
                    Arc::default()
                },
                conversion: None,
            })
        } else {
            BaseRecord::Bare {
                price_per_base_unit: tier.price_per_base_unit,
                tier_mode: entry.mode,
            }
        };
        Based {
            base,
            base_line_amount: tier.base_line_amount,
            band_sum: tier.band_sum,
            hints,
        }
    }
}

impl<'a> OrderCtx<'a> {
    /// Pass 2: every prepared line's base price, and the order's subtotal
    /// at base prices (a line whose amount would overflow it is refused).
    /// A line that cannot be priced is taken out of the order's sku and
    /// group quantities, and the lines of its sku and group are priced
    /// again on what is left, until no more lines fall out (see the module
    /// doc). Guarantees pass 3 the lines that have a base price, in request
    /// order, and order-wide quantities and a base subtotal over exactly
    /// those lines.
    pub(super) fn base_prices<'p>(
        &mut self,
        prepared: &'p [Prepared<'a>],
        problems: &mut Problems,
    ) -> Vec<(&'p Prepared<'a>, Based)> {
        let mut shared_skips = SharedSkips::default();
        let own_entries = self.own_entries(prepared);
        let row = self.chain.len().max(1);
        // Each line's outcome, and whether it still counts in the sums.
        let mut outcomes: Vec<(
            &'p Prepared<'a>,
            &[Option<&'a CompiledEntry>],
            BaseOutcome,
            bool,
        )> = prepared
            .iter()
            .zip(own_entries.chunks(row))
            .map(|(p, own)| {
                let outcome = self.line_base(p, own, &mut shared_skips, self.explain);
                (p, own, outcome, true)
            })
            .collect();
        loop {
            self.refuse_subtotal_overflow(&mut outcomes);
            let mut skus = FxHashSet::default();
            let mut groups = FxHashSet::default();
            for (p, _, outcome, counted) in outcomes.iter_mut() {
                if outcome.is_err() && *counted {
                    *counted = false;
                    self.uncount(p);
                    skus.insert(p.sku_idx);
                    groups.extend(p.product.group_id);
                }
            }
            if skus.is_empty() {
                break;
            }
            for (p, own, outcome, _) in outcomes.iter_mut() {
                let touched = skus.contains(&p.sku_idx)
                    || p.product.group_id.is_some_and(|g| groups.contains(&g));
                if outcome.is_ok() && touched {
                    *outcome = self.line_base(p, own, &mut shared_skips, self.explain);
                }
            }
        }
        let mut based = Vec::with_capacity(prepared.len());
        for (p, _, outcome, _) in outcomes {
            match outcome {
                Ok(b) => based.push((p, b)),
                Err((i, e)) => problems.push((i, e)),
            }
        }
        based
    }

    /// The base subtotal over the lines that have a base price, in request
    /// order; a line whose amount would overflow it is refused instead.
    fn refuse_subtotal_overflow(
        &mut self,
        outcomes: &mut [(
            &Prepared<'a>,
            &[Option<&'a CompiledEntry>],
            BaseOutcome,
            bool,
        )],
    ) {
        let mut subtotal = Decimal::ZERO;
        for (p, _, outcome, _) in outcomes.iter_mut() {
            if let Ok(b) = outcome {
                match subtotal.checked_add(b.base_line_amount) {
                    Some(total) => subtotal = total,
                    None => *outcome = Err((p.index, line_overflow(p.index, "base subtotal"))),
                }
            }
        }
        self.base_subtotal = subtotal;
    }
}

/// A line's base price, or why it has none (with its line index).
type BaseOutcome = Result<Based, (usize, LineError)>;

/// The bands of a graduated entry for the line's base quantity: each tier
/// prices the units from its `min_qty` up to the next tier's, at its price
/// (scaled for a derived list). Returns the exact band sum and, when the
/// record is kept, the bands.
pub(super) fn graduated_bands(
    entry: &CompiledEntry,
    factor: Decimal,
    line: &Prepared<'_>,
    record: bool,
) -> Result<(Decimal, Vec<GraduatedBand>), (usize, LineError)> {
    let i = line.index;
    let at_qty = |e: MoneyError| {
        (
            i,
            LineError::from(e.at(&path(&index("lines", i), "quantity"))),
        )
    };
    let scale = |p: Decimal| {
        money::checked_mul(p, factor).ok_or_else(|| {
            (
                i,
                LineError::from(overflow("derived price").at(&path(&index("lines", i), "sku"))),
            )
        })
    };
    let q = line.base_qty;
    let mut sum = Decimal::ZERO;
    let mut bands = Vec::new();
    for (k, (min, per_base, _)) in entry.tiers.iter().enumerate() {
        let start = if k == 0 {
            Decimal::ZERO
        } else {
            (*min - Decimal::ONE).max(Decimal::ZERO)
        };
        let end = entry
            .tiers
            .get(k + 1)
            .map(|(next, _, _)| (*next - Decimal::ONE).max(Decimal::ZERO));
        let upper = end.map_or(q, |e| e.min(q));
        let band_qty = (upper - start).max(Decimal::ZERO);
        if band_qty.is_zero() {
            continue;
        }
        let price = scale(*per_base)?;
        let amount = money::mul(price, band_qty, "graduated band").map_err(at_qty)?;
        sum = money::add(sum, amount, "graduated band sum").map_err(at_qty)?;
        if record {
            bands.push(GraduatedBand {
                min_qty: *min,
                quantity: band_qty,
                price,
                amount,
            });
        }
    }
    Ok((sum, bands))
}

/// The tier hints worth showing: those that would lower the base price,
/// earlier lists' first, then the next tier of the list that priced.
fn kept_hints(
    pending: Vec<(Decimal, PendingHint<'_>)>,
    next_tier: Option<(Decimal, PendingHint<'_>)>,
    price_per_base_unit: Decimal,
) -> Vec<Hint> {
    pending
        .into_iter()
        .chain(next_tier)
        .filter(|(per_base, _)| money::cmp(*per_base, price_per_base_unit).is_lt())
        .map(|(_, h)| h.into_hint())
        .collect()
}

/// No list of the chain prices the line: the error names every list
/// tried, with why it did not price.
fn no_price(line: &Prepared<'_>, skipped: &[ListSkipped], currency: &str) -> (usize, LineError) {
    let i = line.index;
    (
        i,
        LineError::NoPrice {
            field: path(&index("lines", i), "sku"),
            sku: line.product.product.sku.clone(),
            currency: currency.to_owned(),
            tried: skipped
                .iter()
                .map(|s| format!("{} ({})", s.list_id, s.reason))
                .collect(),
        },
    )
}

impl<'a> OrderCtx<'a> {
    /// The next tier's hint of an all-units entry, at `full` and within
    /// reach (a dearer tier is filtered out later). Its prices are scaled
    /// at every level when the list is derived (only then can they
    /// overflow), so a line fails alike whatever the explanation.
    fn next_tier_hint(
        &self,
        entry: &'a CompiledEntry,
        factor: Decimal,
        tier_qty: Decimal,
        i: usize,
    ) -> Result<Option<(Decimal, PendingHint<'a>)>, (usize, LineError)> {
        let full = self.explain == Explain::Full;
        let scale = |p: Decimal| {
            money::checked_mul(p, factor).ok_or_else(|| {
                (
                    i,
                    LineError::from(overflow("derived price").at(&path(&index("lines", i), "sku"))),
                )
            })
        };
        let next = (full || factor != Decimal::ONE)
            .then(|| {
                entry
                    .tiers
                    .iter()
                    .find(|(min, _, _)| money::cmp(*min, tier_qty).is_gt())
            })
            .flatten();
        let Some((next_min, next_per_base, next_quoted)) = next else {
            return Ok(None);
        };
        let needed = (*next_min - tier_qty).normalize();
        let price = scale(*next_quoted)?;
        if !self.within_reach(needed, tier_qty) {
            return Ok(None);
        }
        let per_base = scale(*next_per_base)?;
        Ok(full.then_some((
            per_base,
            PendingHint::NextTier {
                needed,
                price,
                unit: &entry.unit,
            },
        )))
    }
}
