//! Compiling a [`PriceBookDefinition`] into an indexed [`PriceBook`].

use std::cmp::Reverse;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use smol_str::SmolStr;

use super::{
    PriceBookDefinition, PriceBookSettings, PriceEntry, PricingError, RuleAction, RuleBasis,
    ShippingTariff, Slab, TierBasis, TierMode,
};
use crate::catalog::{Catalog, CatalogProduct, SymbolId};
use crate::customer::{is_state_code, Channel, Customer};
use crate::error::{index, path, ErrorCode, ErrorInfo};
use crate::money::{Currencies, Currency};
use crate::pricing::{OrderDiscountRule, ShippingRule};

/// Longest chain of derived (`based_on`) price lists.
pub(crate) const MAX_LIST_CHAIN: usize = 8;

/// A compiled, indexed price book. Immutable: share it between threads and
/// price as many orders as needed.
#[derive(Debug, Clone)]
pub struct PriceBook {
    pub(crate) def: PriceBookDefinition,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) currencies: Currencies,
    pub(crate) book_currency: Currency,
    pub(crate) lists: Vec<CompiledList>,
    pub(crate) list_ids: FxHashMap<String, u32>,
    pub(crate) default_lists: Vec<u32>,
    pub(crate) segment_lists: FxHashMap<String, Vec<u32>>,
    pub(crate) rules: Vec<CompiledRule>,
    /// Rules by customer key (everyone, a customer, a segment, a customer
    /// tag), then by product key. An order resolves its customer's few
    /// buckets once, so its lines never touch other customers' rules and
    /// pricing time does not grow with them.
    pub(crate) rule_buckets: FxHashMap<u64, RuleBucket>,
    pub(crate) rule_slots: Vec<u32>,
    /// Skus and product groups that any rule names, as bit sets by id:
    /// most lines' own sku and group have no rule, and skip their lookups.
    pub(crate) skus_with_rules: BitSet,
    pub(crate) groups_with_rules: BitSet,
    /// The currencies rules are limited to, interned.
    pub(crate) rule_currency_symbols: FxHashMap<String, u32>,
    pub(crate) customer_symbols: FxHashMap<String, u32>,
    pub(crate) segment_symbols: FxHashMap<String, u32>,
    pub(crate) customer_tag_symbols: FxHashMap<String, u32>,
    pub(crate) order_rules: Vec<OrderDiscountRule>,
    pub(crate) shipping_rules: Vec<ShippingRule>,
    pub(crate) zones_of_state: FxHashMap<String, Vec<String>>,
}

/// A set of small ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct BitSet(Vec<u64>);

impl BitSet {
    pub fn insert(&mut self, id: u32) {
        let word = id as usize / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(w) = self.0.get_mut(word) {
            *w |= 1 << (id % 64);
        }
    }

    pub fn contains(&self, id: u32) -> bool {
        self.0
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }
}

/// The rules of one customer key, by product key.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleBucket {
    /// Bit `1 << kind` is set when a product key of that kind has rules
    /// here, so a line skips the lookups of absent kinds.
    pub kinds: u8,
    /// Product key → (start, length) in [`PriceBook::rule_slots`]; each
    /// range lists rule positions ascending (evaluation order).
    pub ranges: FxHashMap<u64, (u32, u32)>,
}

impl RuleBucket {
    /// The rule positions of a product key, if any.
    pub fn get<'s>(&self, slots: &'s [u32], product_key: u64) -> &'s [u32] {
        if self.kinds & (1 << key::kind(product_key)) == 0 {
            return &[];
        }
        self.ranges
            .get(&product_key)
            .and_then(|(start, len)| slots.get(*start as usize..(*start as usize + *len as usize)))
            .unwrap_or(&[])
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledList {
    pub id: SmolStr,
    pub currency: String,
    pub valid_from: Option<DateTime<FixedOffset>>,
    pub valid_until: Option<DateTime<FixedOffset>>,
    pub based_on: Option<(u32, Decimal)>,
    pub entries: FxHashMap<u32, Vec<CompiledEntry>>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledEntry {
    /// (min_qty in base units, price per base unit, price as quoted)
    pub tiers: Vec<(Decimal, Decimal, Decimal)>,
    pub mode: TierMode,
    pub basis: TierBasis,
    pub unit: SmolStr,
    pub valid_from: Option<DateTime<FixedOffset>>,
    pub valid_until: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone)]
pub(crate) struct ProductScope {
    pub skus: Option<Vec<u32>>,
    pub groups: Option<Vec<SymbolId>>,
    pub categories: Option<Vec<SymbolId>>,
    pub brands: Option<Vec<SymbolId>>,
    pub tags: Option<Vec<SymbolId>>,
}

impl ProductScope {
    pub fn matches(&self, sku_idx: u32, p: &CatalogProduct) -> bool {
        fn any_of(set: &Option<Vec<u32>>, mut test: impl FnMut(&[u32]) -> bool) -> bool {
            match set {
                None => true,
                Some(ids) => test(ids),
            }
        }
        any_of(&self.skus, |ids| ids.contains(&sku_idx))
            && any_of(&self.groups, |ids| {
                p.group_id.is_some_and(|g| ids.contains(&g))
            })
            && any_of(&self.categories, |ids| {
                p.category_ids.iter().any(|c| ids.contains(c))
            })
            && any_of(&self.brands, |ids| {
                p.brand_id.is_some_and(|b| ids.contains(&b))
            })
            && any_of(&self.tags, |ids| p.tag_ids.iter().any(|t| ids.contains(t)))
    }
}

/// A compiled rule, in declaration order (`repr(C)`): what checking and
/// applying every candidate reads comes first (about three cache lines),
/// then the windows few rules have, then names and scopes.
#[derive(Debug, Clone)]
#[repr(C)]
pub(crate) struct CompiledRule {
    pub priority: i32,
    pub id_rank: u32,
    /// The exclusive group, interned.
    pub group: Option<u32>,
    /// Currency the rule is limited to (money rules default to the
    /// book's), interned in [`PriceBook::rule_currency_symbols`].
    pub currency: Option<u32>,
    /// Bit `1 << channel` of each channel the rule is limited to; 0 = any.
    pub channels: u8,
    pub stop: bool,
    /// The windows also count the request's purchase history.
    pub cumulative: bool,
    /// The index already proves the scope: the rule limits products and
    /// customers by one kind each at most, and is filed under each value,
    /// so finding it in a line's bucket means the line and customer match.
    pub scope_by_index: bool,
    pub basis: RuleBasis,
    /// The rule has a validity, quantity or order-amount window: only
    /// then are the windows (further on) read.
    pub windowed: bool,
    /// The constant factor of the action, computed once: 1 − p/100 of
    /// `percent_off`, 1 + m/100 of `cost_plus` (none for other actions, or
    /// when it overflows, which evaluation then reports).
    pub action_factor: Option<Decimal>,
    pub action: RuleAction,
    pub id: SmolStr,
    pub group_name: Option<SmolStr>,
    /// The additive group, interned (with the exclusive groups' names).
    pub additive: Option<u32>,
    pub additive_name: Option<SmolStr>,
    pub valid_from: Option<DateTime<FixedOffset>>,
    pub valid_until: Option<DateTime<FixedOffset>>,
    pub min_qty: Option<Decimal>,
    pub max_qty: Option<Decimal>,
    pub min_order_amount: Option<Decimal>,
    pub max_order_amount: Option<Decimal>,
    pub scope: ProductScope,
    /// Customer scope as interned ids (empty = any).
    pub customers: Vec<u32>,
    /// Segment scope as interned ids (empty = any).
    pub segments: Vec<u32>,
    /// Customer-tag scope as interned ids (empty = any).
    pub customer_tags: Vec<u32>,
}

/// Bit of a channel in [`CompiledRule::channels`].
pub(crate) fn channel_bit(c: Channel) -> u8 {
    match c {
        Channel::Portal => 1,
        Channel::MobileApp => 2,
        Channel::SalesRep => 4,
        Channel::Edi => 8,
    }
}

/// A customer's interned ids, resolved once per order.
pub(crate) struct CustomerIds {
    pub customer: Option<u32>,
    pub segment: Option<u32>,
    pub tags: Vec<u32>,
}

impl CompiledRule {
    /// Whether the rule's customer scope admits the customer.
    pub fn admits(&self, ids: &CustomerIds) -> bool {
        (self.customers.is_empty() || ids.customer.is_some_and(|c| self.customers.contains(&c)))
            && (self.segments.is_empty() || ids.segment.is_some_and(|s| self.segments.contains(&s)))
            && (self.customer_tags.is_empty()
                || ids.tags.iter().any(|t| self.customer_tags.contains(t)))
    }
}

/// Index key kinds. A product key packs (product kind, product id) and a
/// customer key (customer kind, customer id) into 3 + 29 bits each.
pub(crate) mod key {
    pub const P_ANY: u64 = 0;
    pub const P_SKU: u64 = 1;
    pub const P_GROUP: u64 = 2;
    pub const P_CATEGORY: u64 = 3;
    pub const P_BRAND: u64 = 4;
    pub const P_TAG: u64 = 5;
    pub const C_ANY: u64 = 0;
    pub const C_CUSTOMER: u64 = 1;
    pub const C_SEGMENT: u64 = 2;
    pub const C_TAG: u64 = 3;
    pub const MAX_ID: u32 = (1 << 29) - 1;

    pub fn product(kind: u64, id: u32) -> u64 {
        (kind << 29) | u64::from(id & MAX_ID)
    }

    pub fn customer(kind: u64, id: u32) -> u64 {
        (kind << 29) | u64::from(id & MAX_ID)
    }

    /// The kind a key was packed with.
    pub fn kind(key: u64) -> u64 {
        key >> 29
    }

    /// The id a key was packed with.
    pub fn id(key: u64) -> u32 {
        (key & u64::from(MAX_ID)) as u32
    }
}

struct Issues(Vec<ErrorInfo>);

impl Issues {
    fn push(&mut self, code: &str, field: String, message: String) {
        self.0.push(ErrorInfo {
            code: code.to_owned(),
            field: Some(field),
            message,
        });
    }
}

/// A field path computed only when an issue is reported: compiling a
/// large book must not format a path per entry.
type At<'x> = &'x dyn Fn() -> String;

fn window_ok(
    from: Option<DateTime<FixedOffset>>,
    until: Option<DateTime<FixedOffset>>,
    at: At<'_>,
    issues: &mut Issues,
) {
    if let (Some(f), Some(u)) = (from, until) {
        if f >= u {
            issues.push(
                "EMPTY_VALIDITY",
                path(&at(), "valid_until"),
                format!("valid_until {u} is not after valid_from {f}"),
            );
        }
    }
}

fn windows_overlap(
    a: (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>),
    b: (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>),
) -> bool {
    let starts_before_end = |start: Option<DateTime<FixedOffset>>,
                             end: Option<DateTime<FixedOffset>>| match (
        start, end,
    ) {
        (Some(s), Some(e)) => s < e,
        _ => true,
    };
    starts_before_end(a.0, b.1) && starts_before_end(b.0, a.1)
}

fn intern(map: &mut FxHashMap<String, u32>, name: &str) -> u32 {
    let next = u32::try_from(map.len()).unwrap_or(key::MAX_ID);
    *map.entry(name.to_owned()).or_insert(next)
}

/// Compilation phase 1: the currencies (ISO plus the book's registrations)
/// and the book's own currency, `None` when unknown (reported).
fn compile_currencies(
    def: &PriceBookDefinition,
    issues: &mut Issues,
) -> (Currencies, Option<Currency>) {
    let mut currencies = Currencies::iso();
    for (i, c) in def.currencies.iter().enumerate() {
        if let Err(e) = currencies.register(&c.code, c.minor_units) {
            let e = e.at(&index("currencies", i));
            issues.push(e.code(), index("currencies", i), e.to_string());
        }
    }
    let book_currency = match currencies.get_at(&def.currency, "currency") {
        Ok(c) => Some(c),
        Err(e) => {
            issues.push(e.code(), "currency".into(), e.to_string());
            None
        }
    };
    (currencies, book_currency)
}

/// Compilation phase 2: list ids (non-empty, unique, reported), mapped to
/// their position in `def.price_lists` (the first list of an id wins).
/// Guarantees the lists phase that a position is the compiled list's index.
fn list_ids(def: &PriceBookDefinition, issues: &mut Issues) -> FxHashMap<String, u32> {
    let mut list_ids: FxHashMap<String, u32> = FxHashMap::default();
    for (i, l) in def.price_lists.iter().enumerate() {
        let at = index("price_lists", i);
        if l.id.trim().is_empty() {
            issues.push("INVALID_ID", path(&at, "id"), "list id is empty".into());
        }
        let next = u32::try_from(list_ids.len()).unwrap_or(u32::MAX);
        if list_ids.insert(l.id.clone(), next).is_some() {
            issues.push(
                "DUPLICATE_ID",
                path(&at, "id"),
                format!("price list id {:?} is used twice", l.id),
            );
        }
    }
    // Ids must map to their position for the compiled vector.
    def.price_lists
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
        .rev()
        .collect()
}

/// Compilation phase 3: price lists, one compiled list per definition in
/// order — currency, window, parent ([`list_parent`]) and entries
/// ([`list_entries`]).
fn compile_lists(
    def: &PriceBookDefinition,
    catalog: &Catalog,
    currencies: &Currencies,
    list_ids: &FxHashMap<String, u32>,
    issues: &mut Issues,
) -> Vec<CompiledList> {
    let mut lists = Vec::with_capacity(def.price_lists.len());
    for (i, l) in def.price_lists.iter().enumerate() {
        let at = index("price_lists", i);
        if let Err(e) = currencies.get_at(&l.currency, &path(&at, "currency")) {
            issues.push(e.code(), path(&at, "currency"), e.to_string());
        }
        window_ok(l.valid_from, l.valid_until, &|| at.clone(), issues);
        let based_on = list_parent(def, l, list_ids, &at, issues);
        let entries = list_entries(catalog, l, &at, issues);
        lists.push(CompiledList {
            id: SmolStr::new(&l.id),
            currency: l.currency.clone(),
            valid_from: l.valid_from,
            valid_until: l.valid_until,
            based_on,
            entries,
        });
    }
    lists
}

/// A derived list's parent and price factor (1 + percent / 100): the
/// parent exists, is in the same currency, and the percent is above -100.
fn list_parent(
    def: &PriceBookDefinition,
    l: &super::PriceList,
    list_ids: &FxHashMap<String, u32>,
    at: &str,
    issues: &mut Issues,
) -> Option<(u32, Decimal)> {
    let b = l.based_on.as_ref()?;
    match list_ids.get(&b.list) {
        Some(parent) => {
            if def
                .price_lists
                .get(*parent as usize)
                .is_some_and(|p| p.currency != l.currency)
            {
                issues.push(
                    "CURRENCY_MISMATCH",
                    path(at, "based_on.list"),
                    format!(
                        "list {:?} is in {} but its parent {:?} is not",
                        l.id, l.currency, b.list
                    ),
                );
            }
            if b.percent <= -Decimal::ONE_HUNDRED {
                issues.push(
                    "OUT_OF_RANGE",
                    path(at, "based_on.percent"),
                    format!("percent {} must be above -100", b.percent),
                );
            }
            let factor = Decimal::ONE
                .checked_add(
                    b.percent
                        .checked_div(Decimal::ONE_HUNDRED)
                        .unwrap_or_default(),
                )
                .unwrap_or(Decimal::ONE);
            Some((*parent, factor))
        }
        None => {
            issues.push(
                "UNKNOWN_PRICE_LIST",
                path(at, "based_on.list"),
                format!("parent list {:?} does not exist", b.list),
            );
            None
        }
    }
}

/// A list's entries by catalog index: known skus only, each entry compiled
/// ([`compile_entry`]), no two entries of a sku valid at the same time.
fn list_entries(
    catalog: &Catalog,
    l: &super::PriceList,
    at: &str,
    issues: &mut Issues,
) -> FxHashMap<u32, Vec<CompiledEntry>> {
    let mut entries: FxHashMap<u32, Vec<CompiledEntry>> = FxHashMap::default();
    for (j, e) in l.entries.iter().enumerate() {
        let eat = || index(&path(at, "entries"), j);
        let Some(sku_idx) = catalog.index_of(&e.sku) else {
            issues.push(
                "UNKNOWN_SKU",
                path(&eat(), "sku"),
                format!("sku {:?} is not in the catalog", e.sku),
            );
            continue;
        };
        let Some(product) = catalog.at(sku_idx) else {
            continue;
        };
        if let Some(entry) = compile_entry(e, product, &eat, issues) {
            let slot = entries.entry(sku_idx).or_default();
            if slot.iter().any(|o| {
                windows_overlap(
                    (o.valid_from, o.valid_until),
                    (entry.valid_from, entry.valid_until),
                )
            }) {
                issues.push(
                    "OVERLAPPING_ENTRIES",
                    path(&eat(), "valid_from"),
                    format!(
                        "sku {:?} already has an entry in list {:?} valid at the same time",
                        e.sku, l.id
                    ),
                );
            }
            slot.push(entry);
        }
    }
    entries
}

/// Compilation phase 4: derived lists — no list derives from itself and no
/// chain is longer than [`MAX_LIST_CHAIN`]. Guarantees evaluation that
/// following `based_on` terminates.
fn check_list_chains(lists: &[CompiledList], issues: &mut Issues) {
    for (i, l) in lists.iter().enumerate() {
        let mut seen = vec![i];
        let mut current = l.based_on.map(|(p, _)| p as usize);
        while let Some(p) = current {
            if seen.contains(&p) {
                issues.push(
                    "LIST_CYCLE",
                    path(&index("price_lists", i), "based_on.list"),
                    format!("list {:?} derives from itself through based_on", l.id),
                );
                break;
            }
            seen.push(p);
            if seen.len() > MAX_LIST_CHAIN {
                issues.push(
                    "LIST_CHAIN_TOO_LONG",
                    path(&index("price_lists", i), "based_on.list"),
                    format!(
                        "list {:?} derives through more than {MAX_LIST_CHAIN} lists",
                        l.id
                    ),
                );
                break;
            }
            current = lists
                .get(p)
                .and_then(|pl| pl.based_on.map(|(q, _)| q as usize));
        }
    }
}

/// Compilation phase 5: list ids (defaults, per segment) to list indices;
/// unknown ids are reported and dropped.
fn resolve_lists(
    list_ids: &FxHashMap<String, u32>,
    ids: &[String],
    at: &str,
    issues: &mut Issues,
) -> Vec<u32> {
    ids.iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let found = list_ids.get(id).copied();
            if found.is_none() {
                issues.push(
                    "UNKNOWN_PRICE_LIST",
                    index(at, i),
                    format!("price list {id:?} does not exist"),
                );
            }
            found
        })
        .collect()
}

/// The symbol tables rules are compiled against.
#[derive(Default)]
struct RuleSymbols {
    customer: FxHashMap<String, u32>,
    segment: FxHashMap<String, u32>,
    customer_tag: FxHashMap<String, u32>,
    currency: FxHashMap<String, u32>,
    group: FxHashMap<String, u32>,
}

/// The compiled rules, their symbols and their (customer key, product key,
/// rule position) index entries, unsorted.
struct CompiledRules {
    rules: Vec<CompiledRule>,
    symbols: RuleSymbols,
    keyed: Vec<(u64, u64, u32)>,
}

/// Compilation phase 6: rules, in evaluation order (priority descending,
/// then id), each validated ([`compile_rule`]) and compiled
/// ([`compile_one_rule`]); duplicate ids and too many customers or skus are
/// reported. Guarantees a rule's position is its evaluation rank.
fn compile_rules(
    def: &PriceBookDefinition,
    catalog: &Catalog,
    currencies: &Currencies,
    issues: &mut Issues,
) -> CompiledRules {
    let mut order: Vec<usize> = (0..def.rules.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (def.rules.get(*a), def.rules.get(*b));
        ra.map(|r| (Reverse(r.priority), &r.id))
            .cmp(&rb.map(|r| (Reverse(r.priority), &r.id)))
    });
    let mut by_id: Vec<usize> = (0..def.rules.len()).collect();
    by_id.sort_by(|a, b| {
        def.rules
            .get(*a)
            .map(|r| &r.id)
            .cmp(&def.rules.get(*b).map(|r| &r.id))
    });
    let mut id_rank = vec![0u32; def.rules.len()];
    for (rank, i) in by_id.iter().enumerate() {
        if let Some(slot) = id_rank.get_mut(*i) {
            *slot = u32::try_from(rank).unwrap_or(u32::MAX);
        }
    }
    let mut seen_ids = FxHashSet::default();
    for (i, r) in def.rules.iter().enumerate() {
        if !seen_ids.insert(r.id.as_str()) {
            issues.push(
                "DUPLICATE_ID",
                path(&index("rules", i), "id"),
                format!("rule id {:?} is used twice", r.id),
            );
        }
    }
    let mut out = CompiledRules {
        rules: Vec::with_capacity(def.rules.len()),
        symbols: RuleSymbols::default(),
        keyed: Vec::with_capacity(def.rules.len()),
    };
    for def_index in order {
        let Some(r) = def.rules.get(def_index) else {
            continue;
        };
        let at = || index("rules", def_index);
        let Some(scope) = compile_rule(r, catalog, currencies, &at, issues) else {
            continue;
        };
        let rank = id_rank.get(def_index).copied().unwrap_or(u32::MAX);
        compile_one_rule(def, r, scope, rank, &mut out);
    }
    if out.symbols.customer.len() > key::MAX_ID as usize || catalog.len() > key::MAX_ID as usize {
        issues.push(
            "TOO_LARGE",
            "rules".into(),
            "more than 2^29 distinct customers or skus".into(),
        );
    }
    out
}

/// One valid rule of phase 6: its currency (the book's for money rules),
/// symbols, index keys (one product kind × one customer kind, or "any"),
/// action factor and windows.
fn compile_one_rule(
    def: &PriceBookDefinition,
    r: &super::PriceRule,
    scope: ProductScope,
    id_rank: u32,
    out: &mut CompiledRules,
) {
    let sym = &mut out.symbols;
    let currency = r
        .when
        .currency
        .as_ref()
        .or_else(|| {
            let money_rule = matches!(
                r.action,
                RuleAction::AmountOff { .. }
                    | RuleAction::FixedPrice { .. }
                    | RuleAction::AmountUp { .. }
            ) || r.when.min_order_amount.is_some()
                || r.when.max_order_amount.is_some();
            money_rule.then_some(&def.currency)
        })
        .map(|c| intern(&mut sym.currency, c));
    let product_kinds = [
        scope.skus.is_some(),
        scope.groups.is_some(),
        scope.categories.is_some(),
        scope.brands.is_some(),
        scope.tags.is_some(),
    ];
    let customer_kinds = [
        !r.when.customers.is_empty(),
        !r.when.segments.is_empty(),
        !r.when.customer_tags.is_empty(),
    ];
    let scope_by_index = product_kinds.iter().filter(|k| **k).count() <= 1
        && customer_kinds.iter().filter(|k| **k).count() <= 1;
    let pos = u32::try_from(out.rules.len()).unwrap_or(u32::MAX);
    let product_keys = product_keys(&scope);
    let customers: Vec<u32> = r
        .when
        .customers
        .iter()
        .map(|c| intern(&mut sym.customer, c))
        .collect();
    let segments: Vec<u32> = r
        .when
        .segments
        .iter()
        .map(|c| intern(&mut sym.segment, c))
        .collect();
    let customer_tags: Vec<u32> = r
        .when
        .customer_tags
        .iter()
        .map(|c| intern(&mut sym.customer_tag, c))
        .collect();
    let customer_keys = customer_keys(r, sym);
    for pk in &product_keys {
        for ck in &customer_keys {
            out.keyed.push((*ck, *pk, pos));
        }
    }
    let action_factor = match &r.action {
        RuleAction::PercentOff { percent } => percent
            .checked_div(Decimal::ONE_HUNDRED)
            .and_then(|p| Decimal::ONE.checked_sub(p)),
        RuleAction::CostPlus { margin_pct } => margin_pct
            .checked_div(Decimal::ONE_HUNDRED)
            .and_then(|m| Decimal::ONE.checked_add(m)),
        _ => super::markup::factor(&r.action),
    };
    let w = &r.when;
    out.rules.push(CompiledRule {
        priority: r.priority,
        id_rank,
        group: r
            .exclusive_group
            .as_ref()
            .map(|g| intern(&mut sym.group, g)),
        currency,
        channels: w.channels.iter().fold(0, |m, c| m | channel_bit(*c)),
        stop: r.stop,
        cumulative: r.cumulative,
        scope_by_index,
        basis: r.quantity_basis,
        windowed: w.valid_from.is_some()
            || w.valid_until.is_some()
            || w.min_qty.is_some()
            || w.max_qty.is_some()
            || w.min_order_amount.is_some()
            || w.max_order_amount.is_some(),
        valid_from: w.valid_from,
        valid_until: w.valid_until,
        min_qty: w.min_qty,
        max_qty: w.max_qty,
        min_order_amount: w.min_order_amount,
        max_order_amount: w.max_order_amount,
        action_factor,
        action: r.action.clone(),
        id: SmolStr::new(&r.id),
        group_name: r.exclusive_group.as_deref().map(SmolStr::new),
        additive: r.additive_group.as_ref().map(|g| intern(&mut sym.group, g)),
        additive_name: r.additive_group.as_deref().map(SmolStr::new),
        scope,
        customers,
        segments,
        customer_tags,
    });
}

/// A rule's product index keys: the first product kind it names (skus,
/// groups, categories, brands, tags), else "any product".
fn product_keys(scope: &ProductScope) -> Vec<u64> {
    if let Some(ids) = &scope.skus {
        ids.iter().map(|i| key::product(key::P_SKU, *i)).collect()
    } else if let Some(ids) = &scope.groups {
        ids.iter().map(|i| key::product(key::P_GROUP, *i)).collect()
    } else if let Some(ids) = &scope.categories {
        ids.iter()
            .map(|i| key::product(key::P_CATEGORY, *i))
            .collect()
    } else if let Some(ids) = &scope.brands {
        ids.iter().map(|i| key::product(key::P_BRAND, *i)).collect()
    } else if let Some(ids) = &scope.tags {
        ids.iter().map(|i| key::product(key::P_TAG, *i)).collect()
    } else {
        vec![key::product(key::P_ANY, 0)]
    }
}

/// A rule's customer index keys: the first customer kind it names
/// (customers, segments, customer tags), else "any customer".
fn customer_keys(r: &super::PriceRule, sym: &mut RuleSymbols) -> Vec<u64> {
    if !r.when.customers.is_empty() {
        r.when
            .customers
            .iter()
            .map(|c| key::customer(key::C_CUSTOMER, intern(&mut sym.customer, c)))
            .collect()
    } else if !r.when.segments.is_empty() {
        r.when
            .segments
            .iter()
            .map(|s| key::customer(key::C_SEGMENT, intern(&mut sym.segment, s)))
            .collect()
    } else if !r.when.customer_tags.is_empty() {
        r.when
            .customer_tags
            .iter()
            .map(|t| key::customer(key::C_TAG, intern(&mut sym.customer_tag, t)))
            .collect()
    } else {
        vec![key::customer(key::C_ANY, 0)]
    }
}

/// The rules index: buckets by customer key, each with ranges of rule
/// slots by product key, and which skus and groups have rules at all.
struct RuleIndex {
    buckets: FxHashMap<u64, RuleBucket>,
    slots: Vec<u32>,
    skus: BitSet,
    groups: BitSet,
}

/// Compilation phase 7: the rules index from the (customer key, product
/// key, position) entries, sorted and deduplicated. Guarantees each
/// bucket's product range lists its rule positions ascending (evaluation
/// order).
fn rule_index(mut keyed: Vec<(u64, u64, u32)>) -> RuleIndex {
    keyed.sort_unstable();
    keyed.dedup();
    let mut index = RuleIndex {
        buckets: FxHashMap::default(),
        slots: Vec::with_capacity(keyed.len()),
        skus: BitSet::default(),
        groups: BitSet::default(),
    };
    for (ck, pk, pos) in keyed {
        match key::kind(pk) {
            key::P_SKU => index.skus.insert(key::id(pk)),
            key::P_GROUP => index.groups.insert(key::id(pk)),
            _ => {}
        }
        let slot = u32::try_from(index.slots.len()).unwrap_or(u32::MAX);
        index.slots.push(pos);
        let bucket = index.buckets.entry(ck).or_default();
        bucket.kinds |= 1 << key::kind(pk);
        bucket
            .ranges
            .entry(pk)
            .and_modify(|(_, len)| *len += 1)
            .or_insert((slot, 1));
    }
    index
}

/// Compilation phase 9 (after order and shipping rules): the zones each
/// state belongs to; state codes are checked.
fn zones_of_state(
    def: &PriceBookDefinition,
    issues: &mut Issues,
) -> FxHashMap<String, Vec<String>> {
    let mut zones_of_state: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for (zone, states) in &def.zones {
        for (i, s) in states.iter().enumerate() {
            if !is_state_code(s) {
                issues.push(
                    "INVALID_STATE_CODE",
                    index(&format!("zones.{zone}"), i),
                    format!("{s:?} is not a two-digit state code"),
                );
            }
            zones_of_state
                .entry(s.clone())
                .or_default()
                .push(zone.clone());
        }
    }
    zones_of_state
}

impl PriceBook {
    /// Validates and indexes a price book against a catalog. Every problem
    /// found is reported at once in [`PricingError::InvalidPriceBook`].
    pub fn compile(def: PriceBookDefinition, catalog: Arc<Catalog>) -> Result<Self, PricingError> {
        let mut issues = Issues(Vec::new());
        let (currencies, book_currency) = compile_currencies(&def, &mut issues);
        check_settings(&def.settings, &mut issues);
        let list_ids = list_ids(&def, &mut issues);
        let lists = compile_lists(&def, &catalog, &currencies, &list_ids, &mut issues);
        check_list_chains(&lists, &mut issues);
        let resolve = |ids: &[String], at: &str, issues: &mut Issues| {
            resolve_lists(&list_ids, ids, at, issues)
        };
        let default_lists = resolve(&def.default_price_lists, "default_price_lists", &mut issues);
        let mut segment_lists = FxHashMap::default();
        for (segment, ids) in &def.segment_price_lists {
            let at = format!("segment_price_lists.{segment}");
            segment_lists.insert(segment.clone(), resolve(ids, &at, &mut issues));
        }
        let r = compile_rules(&def, &catalog, &currencies, &mut issues);
        let rix = rule_index(r.keyed);
        let order_rules =
            compile_order_rules(&def.order_rules, &currencies, &def.zones, &mut issues);
        let shipping_rules =
            compile_shipping_rules(&def.shipping_rules, &currencies, &def.zones, &mut issues);
        let zones_of_state = zones_of_state(&def, &mut issues);
        match (issues.0.is_empty(), book_currency) {
            (true, Some(book_currency)) => Ok(PriceBook {
                def,
                catalog,
                currencies,
                book_currency,
                lists,
                list_ids,
                default_lists,
                segment_lists,
                rules: r.rules,
                rule_buckets: rix.buckets,
                rule_slots: rix.slots,
                skus_with_rules: rix.skus,
                groups_with_rules: rix.groups,
                rule_currency_symbols: r.symbols.currency,
                customer_symbols: r.symbols.customer,
                segment_symbols: r.symbols.segment,
                customer_tag_symbols: r.symbols.customer_tag,
                order_rules,
                shipping_rules,
                zones_of_state,
            }),
            _ => Err(PricingError::InvalidPriceBook { issues: issues.0 }),
        }
    }

    /// The definition the book was compiled from.
    pub fn definition(&self) -> &PriceBookDefinition {
        &self.def
    }

    /// The catalog the book prices.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The currencies known to the book (ISO plus registered).
    pub fn currencies(&self) -> &Currencies {
        &self.currencies
    }

    /// Number of line rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The lists that price a customer's lines, in order: its own lists,
    /// its segment's, then the defaults. Unknown own lists are an error.
    pub(crate) fn chain_for(&self, customer: &Customer) -> Result<Vec<u32>, PricingError> {
        let mut chain = Vec::new();
        for (i, id) in customer.price_lists.iter().enumerate() {
            match self.list_ids.get(id) {
                Some(l) => chain.push(*l),
                None => {
                    return Err(PricingError::UnknownPriceList {
                        field: index("customer.price_lists", i),
                        list: id.clone(),
                        book: self.def.id.clone(),
                    })
                }
            }
        }
        if let Some(seg) = self.segment_lists.get(&customer.segment) {
            chain.extend(seg.iter().copied());
        }
        chain.extend(self.default_lists.iter().copied());
        let mut seen = FxHashSet::default();
        chain.retain(|l| seen.insert(*l));
        Ok(chain)
    }
}

fn check_settings(s: &PriceBookSettings, issues: &mut Issues) {
    if s.hint_reach_pct < Decimal::ZERO {
        issues.push(
            "NEGATIVE",
            "settings.hint_reach_pct".into(),
            format!("hint_reach_pct {} must not be negative", s.hint_reach_pct),
        );
    }
    if s.unit_price_scale > 4 {
        issues.push(
            "OUT_OF_RANGE",
            "settings.unit_price_scale".into(),
            format!("unit_price_scale {} must be 0 to 4", s.unit_price_scale),
        );
    }
    if s.max_lines == 0 {
        issues.push(
            "OUT_OF_RANGE",
            "settings.max_lines".into(),
            "max_lines must be at least 1".into(),
        );
    }
    if s.max_rules_per_line == 0 {
        issues.push(
            "OUT_OF_RANGE",
            "settings.max_rules_per_line".into(),
            "max_rules_per_line must be at least 1".into(),
        );
    }
}

fn compile_entry(
    e: &PriceEntry,
    product: &CatalogProduct,
    at: At<'_>,
    issues: &mut Issues,
) -> Option<CompiledEntry> {
    let unit = match &e.unit {
        Some(u) if **u != *product.names.base_unit => SmolStr::new(u),
        _ => product.names.base_unit.clone(),
    };
    let factor = match product.units.factor(&unit, "") {
        Ok(f) => f,
        Err(err) => {
            issues.push(err.code(), path(&at(), "unit"), err.to_string());
            return None;
        }
    };
    window_ok(e.valid_from, e.valid_until, at, issues);
    let quoted: Vec<(Decimal, Decimal)> = match (&e.price, e.tiers.is_empty()) {
        (Some(p), true) => vec![(Decimal::ZERO, *p)],
        (None, false) => e.tiers.iter().map(|t| (t.min_qty, t.price)).collect(),
        _ => {
            issues.push(
                "PRICE_OR_TIERS",
                path(&at(), "price"),
                "an entry has exactly one of `price` or `tiers`".into(),
            );
            return None;
        }
    };
    let mut ok = true;
    for (i, (min, price)) in quoted.iter().enumerate() {
        let tat = || index(&path(&at(), "tiers"), i);
        if *price < Decimal::ZERO {
            issues.push(
                "NEGATIVE",
                path(&tat(), "price"),
                format!("price {price} is negative"),
            );
            ok = false;
        }
        if *min < Decimal::ZERO {
            issues.push(
                "NEGATIVE",
                path(&tat(), "min_qty"),
                format!("min_qty {min} is negative"),
            );
            ok = false;
        }
        if i > 0 && quoted.get(i - 1).is_some_and(|(prev, _)| prev >= min) {
            issues.push(
                "TIERS_NOT_ASCENDING",
                path(&tat(), "min_qty"),
                format!("min_qty {min} is not above the previous tier's"),
            );
            ok = false;
        }
    }
    if e.tier_mode == TierMode::Graduated && e.quantity_basis != TierBasis::Line {
        issues.push(
            "GRADUATED_BASIS",
            path(&at(), "quantity_basis"),
            "graduated tiers always use the line quantity".into(),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let tiers = quoted
        .into_iter()
        .map(|(min, price)| (min, price.checked_div(factor).unwrap_or(price), price))
        .collect();
    Some(CompiledEntry {
        tiers,
        mode: e.tier_mode,
        basis: e.quantity_basis,
        unit,
        valid_from: e.valid_from,
        valid_until: e.valid_until,
    })
}

/// Compiles one rule: its id, its product scope (skus, groups,
/// categories, brands, tags resolved against the catalog), its quantity,
/// amount and validity windows and currency, then its action
/// ([`check_rule_action`]). Returns the scope when the rule has no issue.
fn compile_rule(
    r: &super::PriceRule,
    catalog: &Catalog,
    currencies: &Currencies,
    at: At<'_>,
    issues: &mut Issues,
) -> Option<ProductScope> {
    let before = issues.0.len();
    if r.id.trim().is_empty() {
        issues.push("INVALID_ID", path(&at(), "id"), "rule id is empty".into());
    }
    let w = &r.when;
    let mut skus = Vec::new();
    for (i, sku) in w.skus.iter().enumerate() {
        match catalog.index_of(sku) {
            Some(s) => skus.push(s),
            None => issues.push(
                "UNKNOWN_SKU",
                index(&path(&at(), "when.skus"), i),
                format!("sku {sku:?} is not in the catalog"),
            ),
        }
    }
    let mut symbols = |names: &[String],
                       table: &crate::catalog::Symbols,
                       (field, code, what): (&str, &str, &str)|
     -> Option<Vec<u32>> {
        if names.is_empty() {
            return None;
        }
        let mut ids = Vec::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            match table.get(n) {
                Some(id) => ids.push(id),
                None => issues.push(
                    code,
                    index(&path(&at(), field), i),
                    format!("{what} {n:?} is not used by any product of the catalog"),
                ),
            }
        }
        Some(ids)
    };
    let scope = ProductScope {
        skus: (!w.skus.is_empty()).then_some(skus),
        groups: symbols(
            &w.product_groups,
            &catalog.groups,
            (
                "when.product_groups",
                "UNKNOWN_PRODUCT_GROUP",
                "product group",
            ),
        ),
        categories: symbols(
            &w.categories,
            &catalog.categories,
            ("when.categories", "UNKNOWN_CATEGORY", "category"),
        ),
        brands: symbols(
            &w.brands,
            &catalog.brands,
            ("when.brands", "UNKNOWN_BRAND", "brand"),
        ),
        tags: symbols(&w.tags, &catalog.tags, ("when.tags", "UNKNOWN_TAG", "tag")),
    };
    if let (Some(a), Some(b)) = (w.min_qty, w.max_qty) {
        if a > b {
            issues.push(
                "EMPTY_WINDOW",
                path(&at(), "when.max_qty"),
                format!("max_qty {b} is below min_qty {a}"),
            );
        }
    }
    if let (Some(a), Some(b)) = (w.min_order_amount, w.max_order_amount) {
        if a > b {
            issues.push(
                "EMPTY_WINDOW",
                path(&at(), "when.max_order_amount"),
                format!("max_order_amount {b} is below min_order_amount {a}"),
            );
        }
    }
    window_ok(w.valid_from, w.valid_until, &|| path(&at(), "when"), issues);
    if let Some(c) = &w.currency {
        if let Err(e) = currencies.get_at(c, &path(&at(), "when.currency")) {
            issues.push(e.code(), path(&at(), "when.currency"), e.to_string());
        }
    }
    for (code, field, message) in super::additive::check(r) {
        issues.push(code, path(&at(), field), message);
    }
    check_rule_action(r, catalog, &at, issues);
    (issues.0.len() == before).then_some(scope)
}

/// The last phase of compiling a rule: its action's figures (percent 0 to
/// 100, amounts and prices not negative, a margin above -100 %, free goods
/// of a known sku in positive blocks and outside exclusive groups). Adds an
/// issue per fault; the rule's scope was resolved before.
fn check_rule_action(
    r: &super::PriceRule,
    catalog: &Catalog,
    at: &dyn Fn() -> String,
    issues: &mut Issues,
) {
    let aat = || path(&at(), "action");
    match &r.action {
        RuleAction::PercentOff { percent } => {
            if *percent < Decimal::ZERO || *percent > Decimal::ONE_HUNDRED {
                issues.push(
                    "OUT_OF_RANGE",
                    path(&aat(), "percent"),
                    if *percent < Decimal::ZERO {
                        format!("percent {percent} must be 0 to 100; for a markup use percent_up")
                    } else {
                        format!("percent {percent} must be 0 to 100")
                    },
                );
            }
        }
        RuleAction::AmountOff { amount } => {
            if *amount < Decimal::ZERO {
                issues.push(
                    "NEGATIVE",
                    path(&aat(), "amount"),
                    format!("amount {amount} is negative; for a surcharge use amount_up"),
                );
            }
        }
        RuleAction::PercentUp { .. } | RuleAction::AmountUp { .. } => {
            if let Some((field, message)) = super::markup::check(&r.action) {
                let code = if field == "percent" {
                    "OUT_OF_RANGE"
                } else {
                    "NEGATIVE"
                };
                issues.push(code, path(&aat(), field), message);
            }
        }
        RuleAction::FixedPrice { price } => {
            if *price < Decimal::ZERO {
                issues.push(
                    "NEGATIVE",
                    path(&aat(), "price"),
                    format!("price {price} is negative"),
                );
            }
        }
        RuleAction::CostPlus { margin_pct } => {
            if *margin_pct <= -Decimal::ONE_HUNDRED {
                issues.push(
                    "OUT_OF_RANGE",
                    path(&aat(), "margin_pct"),
                    format!("margin {margin_pct}% must be above -100"),
                );
            }
        }
        RuleAction::FreeGoods {
            sku,
            free_qty,
            per_qty,
        } => {
            if let Some(s) = sku {
                if catalog.index_of(s).is_none() {
                    issues.push(
                        "UNKNOWN_SKU",
                        path(&aat(), "sku"),
                        format!("free sku {s:?} is not in the catalog"),
                    );
                }
            }
            if *free_qty <= Decimal::ZERO {
                issues.push(
                    "NOT_POSITIVE",
                    path(&aat(), "free_qty"),
                    format!("free_qty {free_qty} must be above zero"),
                );
            }
            if *per_qty <= Decimal::ZERO {
                issues.push(
                    "NOT_POSITIVE",
                    path(&aat(), "per_qty"),
                    format!("per_qty {per_qty} must be above zero"),
                );
            }
            if r.exclusive_group.is_some() {
                issues.push(
                    "FREE_GOODS_IN_GROUP",
                    path(&at(), "exclusive_group"),
                    "free-goods rules cannot be in an exclusive group".into(),
                );
            }
        }
    }
}

fn check_order_conditions(
    w: &super::OrderConditions,
    currencies: &Currencies,
    zones: &std::collections::BTreeMap<String, Vec<String>>,
    at: &str,
    issues: &mut Issues,
) {
    for (i, z) in w.zones.iter().enumerate() {
        if !zones.contains_key(z) {
            issues.push(
                "UNKNOWN_ZONE",
                index(&path(at, "when.zones"), i),
                format!("zone {z:?} is not defined in the book's zones"),
            );
        }
    }
    if let (Some(a), Some(b)) = (w.min_amount, w.max_amount) {
        if a > b {
            issues.push(
                "EMPTY_WINDOW",
                path(at, "when.max_amount"),
                format!("max_amount {b} is below min_amount {a}"),
            );
        }
    }
    if let (Some(a), Some(b)) = (w.min_weight_kg, w.max_weight_kg) {
        if a > b {
            issues.push(
                "EMPTY_WINDOW",
                path(at, "when.max_weight_kg"),
                format!("max_weight_kg {b} is below min_weight_kg {a}"),
            );
        }
    }
    for (i, s) in w.states.iter().enumerate() {
        if !is_state_code(s) {
            issues.push(
                "INVALID_STATE_CODE",
                index(&path(at, "when.states"), i),
                format!("{s:?} is not a two-digit state code"),
            );
        }
    }
    window_ok(w.valid_from, w.valid_until, &|| path(at, "when"), issues);
    if let Some(c) = &w.currency {
        if let Err(e) = currencies.get_at(c, &path(at, "when.currency")) {
            issues.push(e.code(), path(at, "when.currency"), e.to_string());
        }
    }
}

fn unique_ids<'a>(ids: impl Iterator<Item = &'a str>, at: &str, issues: &mut Issues) {
    let mut seen = FxHashSet::default();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            issues.push(
                "INVALID_ID",
                path(&index(at, i), "id"),
                "id is empty".into(),
            );
        }
        if !seen.insert(id) {
            issues.push(
                "DUPLICATE_ID",
                path(&index(at, i), "id"),
                format!("id {id:?} is used twice"),
            );
        }
    }
}

fn compile_order_rules(
    rules: &[OrderDiscountRule],
    currencies: &Currencies,
    zones: &std::collections::BTreeMap<String, Vec<String>>,
    issues: &mut Issues,
) -> Vec<OrderDiscountRule> {
    unique_ids(rules.iter().map(|r| r.id.as_str()), "order_rules", issues);
    for (i, r) in rules.iter().enumerate() {
        let at = index("order_rules", i);
        check_order_conditions(&r.when, currencies, zones, &at, issues);
        match &r.action {
            super::OrderAction::PercentOff { percent }
                if *percent < Decimal::ZERO || *percent > Decimal::ONE_HUNDRED =>
            {
                issues.push(
                    "OUT_OF_RANGE",
                    path(&at, "action.percent"),
                    format!("percent {percent} must be 0 to 100"),
                );
            }
            super::OrderAction::AmountOff { amount } if *amount < Decimal::ZERO => {
                issues.push(
                    "NEGATIVE",
                    path(&at, "action.amount"),
                    format!("amount {amount} is negative"),
                );
            }
            _ => {}
        }
    }
    let mut sorted = rules.to_vec();
    sorted.sort_by(|a, b| (Reverse(a.priority), &a.id).cmp(&(Reverse(b.priority), &b.id)));
    sorted
}

fn check_slabs(slabs: &[Slab], at: &str, issues: &mut Issues) {
    if slabs.is_empty() {
        issues.push(
            "EMPTY_SLABS",
            at.to_owned(),
            "at least one slab is needed".into(),
        );
    }
    for (i, s) in slabs.iter().enumerate() {
        let sat = index(at, i);
        if s.charge < Decimal::ZERO || s.min < Decimal::ZERO {
            issues.push(
                "NEGATIVE",
                sat.clone(),
                "slab bounds and charges must not be negative".into(),
            );
        }
        if i > 0 && slabs.get(i - 1).is_some_and(|p| p.min >= s.min) {
            issues.push(
                "TIERS_NOT_ASCENDING",
                path(&sat, "min"),
                format!("slab min {} is not above the previous slab's", s.min),
            );
        }
    }
}

fn compile_shipping_rules(
    rules: &[ShippingRule],
    currencies: &Currencies,
    zones: &std::collections::BTreeMap<String, Vec<String>>,
    issues: &mut Issues,
) -> Vec<ShippingRule> {
    unique_ids(
        rules.iter().map(|r| r.id.as_str()),
        "shipping_rules",
        issues,
    );
    for (i, r) in rules.iter().enumerate() {
        let at = index("shipping_rules", i);
        check_order_conditions(&r.when, currencies, zones, &at, issues);
        match &r.charge {
            ShippingTariff::Flat { amount } if *amount < Decimal::ZERO => {
                issues.push(
                    "NEGATIVE",
                    path(&at, "charge.amount"),
                    format!("amount {amount} is negative"),
                );
            }
            ShippingTariff::WeightSlabs { slabs } | ShippingTariff::ValueSlabs { slabs } => {
                check_slabs(slabs, &path(&at, "charge.slabs"), issues);
            }
            _ => {}
        }
    }
    let mut sorted = rules.to_vec();
    sorted.sort_by(|a, b| (Reverse(a.priority), &a.id).cmp(&(Reverse(b.priority), &b.id)));
    sorted
}
