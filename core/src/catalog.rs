//! The catalog: products with their HSN code, GST rate class, units,
//! category, ordering constraints (MOQ, order multiple, maximum) and
//! visibility.
//!
//! A [`Catalog`] is compiled once from [`Product`] records: loading validates
//! every product and reports every problem at once, then indexes skus,
//! categories, brands, tags and groups so pricing never scans.
//!
//! A product that a customer may not see behaves exactly like an unknown
//! sku for that customer ([`Catalog::visible`] returns the same
//! [`CatalogError::UnknownSku`]), so nothing leaks.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use smol_str::SmolStr;
use thiserror::Error;

use crate::customer::Customer;
use crate::error::{index, path, ErrorCode, ErrorInfo};
use crate::money::{Currencies, Money};
use crate::units::{default_step, AltUnit, UnitError, UnitTable};

/// Errors of catalog loading and lookup.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum CatalogError {
    /// The sku does not exist, or the customer may not see it.
    #[error("unknown or not available sku {sku:?}")]
    UnknownSku {
        /// Field path.
        field: String,
        /// The sku asked for.
        sku: String,
    },
    /// The product exists and is visible but may not be ordered.
    #[error("sku {sku:?} is {status} and cannot be ordered")]
    NotOrderable {
        /// Field path.
        field: String,
        /// The sku.
        sku: String,
        /// Its status.
        status: String,
    },
    /// Loading found problems; every one is listed.
    #[error("the catalog has {} problem(s): {}", issues.len(), summary(issues))]
    Invalid {
        /// Every problem found, each with its code and field path.
        issues: Vec<ErrorInfo>,
    },
}

/// Every problem, `; `-separated (nothing is left out: a host logging the
/// error sees all of them).
pub(crate) fn summary(issues: &[ErrorInfo]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl CatalogError {
    /// The same error naming `at` as its field path (lookups only).
    pub fn at(mut self, at: &str) -> Self {
        if let Self::UnknownSku { field, .. } | Self::NotOrderable { field, .. } = &mut self {
            at.clone_into(field);
        }
        self
    }
}

impl ErrorCode for CatalogError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownSku { .. } => "UNKNOWN_SKU",
            Self::NotOrderable { .. } => "NOT_ORDERABLE",
            Self::Invalid { .. } => "INVALID_CATALOG",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::UnknownSku { field, .. } | Self::NotOrderable { field, .. } => Some(field),
            Self::Invalid { issues } => issues.first().and_then(|i| i.field.as_deref()),
        }
    }
}

/// Whether a product may be sold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// On sale.
    #[default]
    Active,
    /// No longer sold; kept for history and open documents.
    Discontinued,
    /// Temporarily blocked from sale (recall, compliance hold).
    Blocked,
}

impl ProductStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Discontinued => "discontinued",
            Self::Blocked => "blocked",
        }
    }
}

/// MOQ, order multiple (pack size) and maximum per order, in base units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderingConstraints {
    /// Minimum order quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moq: Option<Decimal>,
    /// The quantity must be a whole multiple of this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_multiple: Option<Decimal>,
    /// Largest quantity one order line may ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_quantity: Option<Decimal>,
}

/// Constraints that replace the product's own for a segment or a customer.
/// A customer override beats a segment override, which beats the product.
/// Fields left out keep the product's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConstraintOverride {
    /// The segment this applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// The customer this applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The constraints.
    #[serde(flatten)]
    pub constraints: OrderingConstraints,
}

/// Who may see and buy a product. Both lists empty: everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visibility {
    /// Segments allowed to see the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Customer ids allowed to see the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customers: Vec<String>,
}

impl Visibility {
    /// Whether `customer` may see the product.
    pub fn allows(&self, customer: &Customer) -> bool {
        (self.segments.is_empty() && self.customers.is_empty())
            || self.segments.contains(&customer.segment)
            || self.customers.contains(&customer.id)
    }
}

/// One sellable SKU. Variants are separate SKUs sharing a `product_group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Stock keeping unit, unique in the catalog.
    pub sku: String,
    /// Display name.
    pub name: String,
    /// HSN (goods) or SAC (services) code: 4, 6 or 8 digits.
    pub hsn: String,
    /// GST rate class, resolved to a rate by date when invoicing (e.g. `GST18`).
    pub gst_rate_class: String,
    /// Base unit: a GST UQC such as NOS, KGS, MTR.
    pub base_unit: String,
    /// Smallest step of the base unit; 1 for counted units, 0.001 otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity_step: Option<Decimal>,
    /// Alternative selling units with exact factors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_units: Vec<AltUnit>,
    /// Category path such as `apparel/tshirts/cotton`.
    #[serde(default)]
    pub category: String,
    /// Brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Free tags for rules and filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Variants of one product share a group ("mixed" tier volume).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_group: Option<String>,
    /// Cost per base unit, for margin rules and floors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
    /// Lowest acceptable net price per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_price: Option<Decimal>,
    /// Lowest acceptable margin over cost, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_margin_pct: Option<Decimal>,
    /// Weight of one base unit in kilograms (shipping slabs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<Decimal>,
    /// Sale status.
    #[serde(default)]
    pub status: ProductStatus,
    /// MOQ, multiple and maximum in base units.
    #[serde(default)]
    pub constraints: OrderingConstraints,
    /// Per-segment or per-customer replacements of `constraints`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraint_overrides: Vec<ConstraintOverride>,
    /// Who may see and buy it.
    #[serde(default)]
    pub visibility: Visibility,
    /// The host's own data (ids, flags of its ERP), carried as it is and
    /// never read by the library: the one place for fields the format does
    /// not have, since every other unknown field is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Interned id of a category, brand, tag or product group.
pub type SymbolId = u32;

/// A product's category path or tags as interned ids: up to four are kept
/// inline, so reading them for a priced line follows no pointer.
pub type SymbolIds = SmallVec<[SymbolId; 4]>;

/// A product with its resolved units and interned attributes.
#[derive(Debug, Clone)]
pub struct CatalogProduct {
    /// The product as loaded.
    pub product: Product,
    /// Its units resolved to base-unit factors.
    pub units: UnitTable,
    /// Interned ids of its category and every ancestor category.
    pub category_ids: SymbolIds,
    /// Interned brand.
    pub brand_id: Option<SymbolId>,
    /// Interned tags.
    pub tag_ids: SymbolIds,
    /// Interned product group.
    pub group_id: Option<SymbolId>,
    /// The strings every priced line repeats, as small strings.
    pub names: ProductNames,
}

/// The strings every priced line repeats, as small strings: short ones
/// (skus, HSN codes, units) are copied inline, so a priced line neither
/// allocates nor touches a reference count for them; longer ones (most
/// product names) are shared.
#[derive(Debug, Clone)]
pub struct ProductNames {
    /// Sku.
    pub sku: SmolStr,
    /// Name.
    pub name: SmolStr,
    /// HSN/SAC.
    pub hsn: SmolStr,
    /// GST rate class.
    pub gst_rate_class: SmolStr,
    /// Base unit.
    pub base_unit: SmolStr,
}

/// Interns names to dense ids.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    ids: FxHashMap<String, SymbolId>,
}

impl Symbols {
    fn intern(&mut self, name: &str) -> SymbolId {
        let next = SymbolId::try_from(self.ids.len()).unwrap_or(SymbolId::MAX);
        *self.ids.entry(name.to_owned()).or_insert(next)
    }

    /// The id of `name`, if any product uses it.
    pub fn get(&self, name: &str) -> Option<SymbolId> {
        self.ids.get(name).copied()
    }
}

/// A validated, indexed catalog. Build once, share (it is immutable).
#[derive(Debug, Clone)]
pub struct Catalog {
    products: Vec<CatalogProduct>,
    /// Keys inline (skus are short): a lookup compares in the table itself.
    by_sku: FxHashMap<SmolStr, u32>,
    /// Interned category paths (each ancestor is its own entry).
    pub categories: Symbols,
    /// Interned brands.
    pub brands: Symbols,
    /// Interned tags.
    pub tags: Symbols,
    /// Interned product groups.
    pub groups: Symbols,
}

/// `apparel/tshirts/cotton` → `apparel`, `apparel/tshirts`, `apparel/tshirts/cotton`.
pub fn category_ancestors(category: &str) -> impl Iterator<Item = &str> {
    category
        .match_indices('/')
        .map(|(i, _)| category.get(..i).unwrap_or(category))
        .chain(std::iter::once(category))
        .filter(|c| !c.is_empty())
}

/// Whether `hsn` is 4, 6 or 8 digits.
pub fn is_valid_hsn(hsn: &str) -> bool {
    matches!(hsn.len(), 4 | 6 | 8) && hsn.bytes().all(|b| b.is_ascii_digit())
}

impl Catalog {
    /// Validates and indexes `products`, reporting every problem at once.
    /// Cost currencies must be ISO 4217 codes; see
    /// [`Catalog::with_currencies`] for caller-registered ones.
    pub fn new(products: Vec<Product>) -> Result<Self, CatalogError> {
        Self::with_currencies(products, &Currencies::iso())
    }

    /// Like [`Catalog::new`], with cost currencies looked up in `currencies`
    /// (ISO plus the caller's registered codes).
    pub fn with_currencies(
        products: Vec<Product>,
        currencies: &Currencies,
    ) -> Result<Self, CatalogError> {
        let mut issues = Vec::new();
        let mut catalog = Catalog {
            products: Vec::with_capacity(products.len()),
            by_sku: FxHashMap::default(),
            categories: Symbols::default(),
            brands: Symbols::default(),
            tags: Symbols::default(),
            groups: Symbols::default(),
        };
        let mut first_at: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, p) in products.iter().enumerate() {
            let at = index("products", i);
            if let Some(first) = first_at.insert(&p.sku, i) {
                issues.push(issue(
                    "DUPLICATE_SKU",
                    path(&at, "sku"),
                    format!("sku {:?} is already defined at products[{first}]", p.sku),
                ));
            }
            validate_product(p, &at, currencies, &mut issues);
        }
        for (i, p) in products.into_iter().enumerate() {
            let at = index("products", i);
            let units = match UnitTable::new(&p.base_unit, p.quantity_step, &p.alt_units, &at) {
                Ok(units) => units,
                Err(errors) => {
                    issues.extend(errors.iter().map(UnitError::info));
                    continue;
                }
            };
            if !issues.is_empty() {
                continue;
            }
            let category_ids = category_ancestors(&p.category)
                .map(|c| catalog.categories.intern(c))
                .collect();
            let brand_id = p.brand.as_deref().map(|b| catalog.brands.intern(b));
            let tag_ids = p.tags.iter().map(|t| catalog.tags.intern(t)).collect();
            let group_id = p.product_group.as_deref().map(|g| catalog.groups.intern(g));
            let idx = u32::try_from(catalog.products.len()).unwrap_or(u32::MAX);
            catalog.by_sku.insert(SmolStr::new(&p.sku), idx);
            let names = ProductNames {
                sku: SmolStr::new(&p.sku),
                name: SmolStr::new(&p.name),
                hsn: SmolStr::new(&p.hsn),
                gst_rate_class: SmolStr::new(&p.gst_rate_class),
                base_unit: SmolStr::new(&p.base_unit),
            };
            catalog.products.push(CatalogProduct {
                names,
                product: p,
                units,
                category_ids,
                brand_id,
                tag_ids,
                group_id,
            });
        }
        if issues.is_empty() {
            Ok(catalog)
        } else {
            Err(CatalogError::Invalid { issues })
        }
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Every product, in load order.
    pub fn products(&self) -> impl Iterator<Item = &CatalogProduct> {
        self.products.iter()
    }

    /// The internal index of a sku (for price-book indexes).
    pub fn index_of(&self, sku: &str) -> Option<u32> {
        self.by_sku.get(sku).copied()
    }

    /// The product at an internal index.
    pub fn at(&self, idx: u32) -> Option<&CatalogProduct> {
        self.products.get(idx as usize)
    }

    /// Looks a sku up regardless of visibility (back-office use).
    pub fn get(&self, sku: &str) -> Option<&CatalogProduct> {
        self.index_of(sku).and_then(|i| self.at(i))
    }

    /// Looks a sku up as `customer` sees it: an invisible product gives the
    /// same `UNKNOWN_SKU` error as a missing one.
    pub fn visible(
        &self,
        sku: &str,
        customer: &Customer,
        field: &str,
    ) -> Result<(u32, &CatalogProduct), CatalogError> {
        self.index_of(sku)
            .and_then(|i| self.at(i).map(|p| (i, p)))
            .filter(|(_, p)| p.product.visibility.allows(customer))
            .ok_or_else(|| CatalogError::UnknownSku {
                field: field.to_owned(),
                sku: sku.to_owned(),
            })
    }

    /// Like [`Catalog::visible`], and also requires an active product.
    pub fn orderable(
        &self,
        sku: &str,
        customer: &Customer,
        field: &str,
    ) -> Result<(u32, &CatalogProduct), CatalogError> {
        let (i, p) = self.visible(sku, customer, field)?;
        match p.product.status {
            ProductStatus::Active => Ok((i, p)),
            status => Err(CatalogError::NotOrderable {
                field: field.to_owned(),
                sku: sku.to_owned(),
                status: status.as_str().to_owned(),
            }),
        }
    }

    /// The products `customer` may see, optionally under a category.
    pub fn visible_to<'a>(
        &'a self,
        customer: &'a Customer,
        category: Option<&'a str>,
    ) -> impl Iterator<Item = &'a CatalogProduct> + 'a {
        let wanted = category.map(|c| self.categories.get(c));
        self.products.iter().filter(move |p| {
            p.product.visibility.allows(customer)
                && match wanted {
                    None => true,
                    Some(None) => false,
                    Some(Some(id)) => p.category_ids.contains(&id),
                }
        })
    }

    /// The ordering constraints that apply to `customer` for a product.
    pub fn constraints_for(product: &Product, customer: &Customer) -> OrderingConstraints {
        let mut out = product.constraints.clone();
        let by_segment = product
            .constraint_overrides
            .iter()
            .find(|o| o.customer.is_none() && o.segment.as_deref() == Some(&customer.segment));
        let by_customer = product
            .constraint_overrides
            .iter()
            .find(|o| o.customer.as_deref() == Some(&customer.id));
        for o in [by_segment, by_customer].into_iter().flatten() {
            let c = &o.constraints;
            if c.moq.is_some() {
                out.moq = c.moq;
            }
            if c.order_multiple.is_some() {
                out.order_multiple = c.order_multiple;
            }
            if c.max_quantity.is_some() {
                out.max_quantity = c.max_quantity;
            }
        }
        out
    }
}

fn issue(code: &str, field: String, message: String) -> ErrorInfo {
    ErrorInfo {
        code: code.to_owned(),
        field: Some(field),
        message,
    }
}

fn validate_product(p: &Product, at: &str, currencies: &Currencies, issues: &mut Vec<ErrorInfo>) {
    if let Some(cost) = &p.cost {
        let field = path(at, "cost.currency");
        if let Err(e) = currencies.get_at(&cost.currency, &field) {
            issues.push(issue(e.code(), field, e.to_string()));
        }
    }
    if p.sku.trim().is_empty() || p.sku.len() > 64 {
        issues.push(issue(
            "INVALID_SKU",
            path(at, "sku"),
            format!("sku {:?} must be 1 to 64 characters", p.sku),
        ));
    }
    if p.name.trim().is_empty() {
        issues.push(issue(
            "MISSING_NAME",
            path(at, "name"),
            "name is empty".into(),
        ));
    }
    if !is_valid_hsn(&p.hsn) {
        issues.push(issue(
            "INVALID_HSN",
            path(at, "hsn"),
            format!("HSN/SAC {:?} must be 4, 6 or 8 digits", p.hsn),
        ));
    }
    if p.gst_rate_class.trim().is_empty() {
        issues.push(issue(
            "MISSING_RATE_CLASS",
            path(at, "gst_rate_class"),
            "GST rate class is empty".into(),
        ));
    }
    if p.category.starts_with('/') || p.category.ends_with('/') || p.category.contains("//") {
        issues.push(issue(
            "INVALID_CATEGORY",
            path(at, "category"),
            format!("category path {:?} has an empty segment", p.category),
        ));
    }
    let non_negative = |v: Option<Decimal>, name: &str, issues: &mut Vec<ErrorInfo>| {
        if let Some(v) = v {
            if v < Decimal::ZERO {
                issues.push(issue(
                    "NEGATIVE",
                    path(at, name),
                    format!("{name} {v} must not be negative"),
                ));
            }
        }
    };
    non_negative(p.cost.as_ref().map(|c| c.amount), "cost.amount", issues);
    non_negative(p.floor_price, "floor_price", issues);
    non_negative(p.min_margin_pct, "min_margin_pct", issues);
    non_negative(p.weight_kg, "weight_kg", issues);
    // The step the unit table will use (its own errors are reported there).
    let step = p
        .quantity_step
        .or_else(|| default_step(&p.base_unit))
        .filter(|s| *s > Decimal::ZERO);
    check_constraints(&p.constraints, at, "constraints", issues);
    check_orderable(
        &p.constraints,
        step,
        &p.base_unit,
        &path(at, "constraints"),
        issues,
    );
    let mut seen = BTreeSet::new();
    for (i, o) in p.constraint_overrides.iter().enumerate() {
        let oat = index("constraint_overrides", i);
        if o.segment.is_none() == o.customer.is_none() {
            issues.push(issue(
                "INVALID_OVERRIDE",
                path(at, &oat),
                "an override names exactly one of segment or customer".into(),
            ));
        }
        if !seen.insert((o.segment.clone(), o.customer.clone())) {
            issues.push(issue(
                "DUPLICATE_OVERRIDE",
                path(at, &oat),
                "the same segment or customer is overridden twice".into(),
            ));
        }
        check_constraints(&o.constraints, at, &oat, issues);
        // What the override leaves out keeps the product's value.
        let c = &o.constraints;
        let merged = OrderingConstraints {
            moq: c.moq.or(p.constraints.moq),
            order_multiple: c.order_multiple.or(p.constraints.order_multiple),
            max_quantity: c.max_quantity.or(p.constraints.max_quantity),
        };
        let own = OrderingConstraints {
            moq: c.moq,
            order_multiple: c.order_multiple,
            max_quantity: c.max_quantity,
        };
        check_step_multiples(&own, step, &p.base_unit, &path(at, &oat), issues);
        check_room(&merged, &own, step, &path(at, &oat), issues);
    }
}

/// MOQ, multiple and maximum must each be whole multiples of the base
/// unit's step (MOQ 0.5 on an indivisible NOS is an error), and together
/// admit at least one quantity.
fn check_orderable(
    c: &OrderingConstraints,
    step: Option<Decimal>,
    base: &str,
    at: &str,
    issues: &mut Vec<ErrorInfo>,
) {
    check_step_multiples(c, step, base, at, issues);
    check_room(c, c, step, at, issues);
}

fn check_step_multiples(
    c: &OrderingConstraints,
    step: Option<Decimal>,
    base: &str,
    at: &str,
    issues: &mut Vec<ErrorInfo>,
) {
    let Some(step) = step else { return };
    for (name, v) in [
        ("moq", c.moq),
        ("order_multiple", c.order_multiple),
        ("max_quantity", c.max_quantity),
    ] {
        let Some(v) = v.filter(|v| *v > Decimal::ZERO) else {
            continue;
        };
        if !v.checked_rem(step).is_some_and(|r| r.is_zero()) {
            issues.push(issue(
                "NOT_STEP_MULTIPLE",
                path(at, name),
                format!(
                    "{name} {v} {base} is not a whole multiple of the quantity step {step} {base}"
                ),
            ));
        }
    }
}

/// The smallest quantity passing MOQ, multiple and step must not exceed
/// the maximum.
fn check_room(
    c: &OrderingConstraints,
    own: &OrderingConstraints,
    step: Option<Decimal>,
    at: &str,
    issues: &mut Vec<ErrorInfo>,
) {
    if let (Some(moq), Some(max)) = (own.moq, own.max_quantity) {
        if moq > max {
            return; // already MOQ_ABOVE_MAX
        }
    }
    let positive = |v: Option<Decimal>| v.filter(|v| *v > Decimal::ZERO);
    let Some(max) = positive(c.max_quantity) else {
        return;
    };
    let floor = positive(c.moq)
        .unwrap_or(Decimal::ZERO)
        .max(step.unwrap_or(Decimal::ZERO));
    let smallest = match positive(c.order_multiple) {
        Some(m) => floor
            .checked_div(m)
            .map(|q| q.ceil().max(Decimal::ONE))
            .and_then(|q| q.checked_mul(m)),
        None => Some(floor),
    };
    if let Some(smallest) = smallest {
        if smallest > max {
            issues.push(issue(
                "NO_ORDERABLE_QUANTITY",
                path(at, "max_quantity"),
                format!(
                    "no quantity passes: the smallest meeting the MOQ and multiple is {smallest}, above the maximum {max}"
                ),
            ));
        }
    }
}

fn check_constraints(
    c: &OrderingConstraints,
    product_at: &str,
    sub: &str,
    issues: &mut Vec<ErrorInfo>,
) {
    let at = || path(product_at, sub);
    for (name, v) in [
        ("moq", c.moq),
        ("order_multiple", c.order_multiple),
        ("max_quantity", c.max_quantity),
    ] {
        if let Some(v) = v {
            if v <= Decimal::ZERO {
                issues.push(issue(
                    "NOT_POSITIVE",
                    path(&at(), name),
                    format!("{name} {v} must be greater than zero"),
                ));
            }
        }
    }
    if let (Some(moq), Some(max)) = (c.moq, c.max_quantity) {
        if moq > max {
            issues.push(issue(
                "MOQ_ABOVE_MAX",
                path(&at(), "moq"),
                format!("MOQ {moq} is above the maximum {max}"),
            ));
        }
    }
}
