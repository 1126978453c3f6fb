//! Seeded generators of realistic benchmark data for b2b-oms.
//!
//! Everything is derived from a seed with a small xorshift generator, so a
//! benchmark needs no data files and every run sees the same data.

pub mod invoice_data;

use std::collections::BTreeMap;
use std::sync::Arc;

use b2b_oms::catalog::{Catalog, OrderingConstraints, Product, ProductStatus, Visibility};
use b2b_oms::customer::{Address, Channel, Customer};
use b2b_oms::money::Money;
use b2b_oms::pricing::{
    Explain, OrderAction, OrderConditions, OrderDiscountRule, OrderLine, PriceBook,
    PriceBookDefinition, PriceBookSettings, PriceEntry, PriceList, PriceRequest, PriceRule,
    RuleAction, RuleBasis, RuleConditions, ShippingRule, ShippingTariff, Tier, TierBasis, TierMode,
};
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

/// A deterministic xorshift64* generator.
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Sizes of a generated world.
#[derive(Clone, Copy)]
pub struct Scale {
    /// Number of skus.
    pub skus: usize,
    /// Number of customers.
    pub customers: usize,
    /// Number of line rules of the base book.
    pub rules: usize,
    /// Number of price lists (one default, segment lists, the rest contracts).
    pub price_lists: usize,
}

/// The scale of `quality.md`: 100,000 skus, 2,000 customers, 20,000 rules,
/// 500 price lists.
pub const QUALITY_SCALE: Scale = Scale {
    skus: 100_000,
    customers: 2_000,
    rules: 20_000,
    price_lists: 500,
};

/// Segments of the generated customers.
pub const SEGMENTS: [&str; 7] = [
    "d2c_brand",
    "exporter",
    "manufacturer",
    "wholesaler",
    "distributor",
    "retail_chain",
    "institutional",
];

const CATEGORIES_TOP: u64 = 20;
const CATEGORIES_SUB: u64 = 10;
const BRANDS: u64 = 500;
const TAGS: u64 = 100;
const CUSTOMER_TAGS: u64 = 50;

/// A generated world: catalog, customers and the price book definition.
pub struct World {
    /// The compiled catalog.
    pub catalog: Arc<Catalog>,
    /// Every customer.
    pub customers: Vec<Customer>,
    /// The price book definition (rules ×1).
    pub book: PriceBookDefinition,
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

fn instant(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_default()
}

/// The pricing instant used by every generated order.
pub fn pricing_instant() -> DateTime<FixedOffset> {
    instant("2026-11-26T10:00:00+05:30")
}

fn sku(i: usize) -> String {
    format!("SKU-{i:06}")
}

fn customer_id(i: usize) -> String {
    format!("CUST-{i:05}")
}

/// Products with realistic attributes: 200 leaf categories, 500 brands,
/// variants in groups of four, tags, costs, MOQs on a quarter of them.
pub fn products(n: usize, rng: &mut Rng) -> Vec<Product> {
    (0..n)
        .map(|i| {
            // The first products cover every category, brand and tag, so
            // rules naming any of them refer to something in the catalog
            // (unknown references are compile errors).
            let n = i as u64;
            let (top, sub) = match (rng.below(CATEGORIES_TOP), rng.below(CATEGORIES_SUB)) {
                _ if n < CATEGORIES_TOP * CATEGORIES_SUB => {
                    (n / CATEGORIES_SUB, n % CATEGORIES_SUB)
                }
                drawn => drawn,
            };
            let cost = 50 + rng.below(50_000) as i64;
            let has_moq = rng.chance(25);
            Product {
                sku: sku(i),
                name: format!("Product {i}"),
                hsn: format!("{:08}", 61_000_000 + (i % 900_000)),
                gst_rate_class: if rng.chance(50) { "GST18" } else { "GST5" }.to_owned(),
                base_unit: "NOS".to_owned(),
                quantity_step: None,
                alt_units: Vec::new(),
                category: format!("cat{top:02}/sub{sub:02}"),
                brand: Some(format!(
                    "brand{:03}",
                    match rng.below(BRANDS) {
                        _ if n < BRANDS => n,
                        drawn => drawn,
                    }
                )),
                tags: (0..rng.below(3))
                    .map(|_| rng.below(TAGS))
                    .chain((n < TAGS).then_some(n))
                    .map(|t| format!("tag{t:02}"))
                    .collect(),
                product_group: Some(format!("grp{:06}", i / 4)),
                cost: Some(Money {
                    amount: dec(cost, 2),
                    currency: "INR".to_owned(),
                }),
                floor_price: None,
                min_margin_pct: None,
                weight_kg: Some(dec(1 + rng.below(5000) as i64, 3)),
                status: ProductStatus::Active,
                constraints: OrderingConstraints {
                    moq: has_moq.then(|| Decimal::from(5)),
                    order_multiple: None,
                    max_quantity: None,
                },
                constraint_overrides: Vec::new(),
                visibility: Visibility::default(),
                ext: None,
            }
        })
        .collect()
}

/// Customers spread over the segments, each with tags and, for most, one
/// or two contract price lists.
pub fn customers(n: usize, contract_lists: usize, rng: &mut Rng) -> Vec<Customer> {
    (0..n)
        .map(|i| {
            let lists = if contract_lists == 0 {
                Vec::new()
            } else {
                (0..rng.below(3))
                    .map(|_| format!("contract-{:03}", rng.below(contract_lists as u64)))
                    .collect::<Vec<_>>()
            };
            let mut lists = lists;
            lists.dedup();
            Customer {
                id: customer_id(i),
                legal_name: format!("Customer {i}"),
                gstin: None,
                billing_address: Address {
                    state_code: format!("{:02}", 1 + rng.below(37)),
                    ..Address::default()
                },
                shipping_addresses: Vec::new(),
                segment: SEGMENTS[i % SEGMENTS.len()].to_owned(),
                tags: (0..1 + rng.below(2))
                    .map(|_| format!("ctag{:02}", rng.below(CUSTOMER_TAGS)))
                    .collect(),
                price_lists: lists,
                credit_limit: None,
                payment_terms: None,
                channels: Vec::new(),
                ext: None,
            }
        })
        .collect()
}

fn tiers(base: i64, rng: &mut Rng) -> Vec<Tier> {
    let t2 = 10 + rng.below(40) as i64;
    vec![
        Tier {
            min_qty: Decimal::ONE,
            price: dec(base, 2),
        },
        Tier {
            min_qty: Decimal::from(t2),
            price: dec(base * 95 / 100, 2),
        },
        Tier {
            min_qty: Decimal::from(t2 * 5),
            price: dec(base * 90 / 100, 2),
        },
    ]
}

fn entry(sku: String, tiers: Vec<Tier>, mode: TierMode) -> PriceEntry {
    PriceEntry {
        sku,
        unit: None,
        price: None,
        tiers,
        tier_mode: mode,
        quantity_basis: TierBasis::Line,
        valid_from: None,
        valid_until: None,
    }
}

/// One line rule with a mixed scope, as a catalog of that size would have:
/// sku rules, category and brand rules, group and tag rules, scoped to
/// everyone, a segment, a customer or a customer tag.
pub fn rule(id: String, scale: &Scale, rng: &mut Rng, only_customer: Option<usize>) -> PriceRule {
    let mut when = RuleConditions::default();
    let product_kind = rng.below(100);
    match product_kind {
        0..=49 => when.skus = vec![sku(rng.below(scale.skus as u64) as usize)],
        50..=69 => {
            when.categories = vec![format!(
                "cat{:02}/sub{:02}",
                rng.below(CATEGORIES_TOP),
                rng.below(CATEGORIES_SUB)
            )]
        }
        70..=74 => when.categories = vec![format!("cat{:02}", rng.below(CATEGORIES_TOP))],
        75..=86 => when.brands = vec![format!("brand{:03}", rng.below(BRANDS))],
        87..=94 => {
            when.product_groups = vec![format!("grp{:06}", rng.below(scale.skus as u64 / 4))]
        }
        _ => when.tags = vec![format!("tag{:02}", rng.below(TAGS))],
    }
    // Broad product scopes are mostly negotiated per segment or customer;
    // rules for everyone are mostly on single skus (promotions).
    let broad = product_kind >= 50;
    match only_customer {
        Some(c) => when.customers = vec![customer_id(c)],
        None => match (broad, rng.below(100)) {
            (false, 0..=19) | (true, 0..=1) => {}
            (false, 20..=49) | (true, 2..=41) => {
                when.segments = vec![SEGMENTS[rng.below(SEGMENTS.len() as u64) as usize].to_owned()]
            }
            (false, 50..=99) | (true, 42..=91) => {
                when.customers = vec![customer_id(rng.below(scale.customers as u64) as usize)]
            }
            _ => when.customer_tags = vec![format!("ctag{:02}", rng.below(CUSTOMER_TAGS))],
        },
    }
    if rng.chance(20) {
        when.min_qty = Some(Decimal::from(5 + rng.below(200)));
    }
    if rng.chance(10) {
        when.valid_from = Some(instant("2026-11-01T00:00:00+05:30"));
        when.valid_until = Some(instant(if rng.chance(50) {
            "2026-12-01T00:00:00+05:30"
        } else {
            "2026-11-15T00:00:00+05:30"
        }));
    }
    if rng.chance(3) {
        when.min_order_amount = Some(Decimal::from(10_000 + rng.below(1_000_000)));
    }
    let action = match rng.below(100) {
        0..=59 => RuleAction::PercentOff {
            percent: Decimal::from(1 + rng.below(15)),
        },
        60..=79 => RuleAction::AmountOff {
            amount: dec(100 + rng.below(2000) as i64, 2),
        },
        80..=89 => RuleAction::FixedPrice {
            price: dec(5000 + rng.below(50_000) as i64, 2),
        },
        90..=96 => RuleAction::CostPlus {
            margin_pct: Decimal::from(10 + rng.below(30)),
        },
        _ => RuleAction::FreeGoods {
            sku: None,
            free_qty: Decimal::ONE,
            per_qty: Decimal::from(10 + rng.below(20)),
        },
    };
    let free = matches!(action, RuleAction::FreeGoods { .. });
    PriceRule {
        id,
        priority: rng.below(20) as i32,
        stop: rng.chance(5),
        exclusive_group: (!free && rng.chance(10)).then(|| format!("grp{}", rng.below(50))),
        additive_group: None,
        cumulative: false,
        quantity_basis: if rng.chance(10) {
            RuleBasis::OrderSku
        } else {
            RuleBasis::Line
        },
        when,
        action,
    }
}

/// The world of `quality.md` (or a smaller one), from `seed`.
pub fn world(scale: Scale, seed: u64) -> World {
    let mut rng = Rng::new(seed);
    let products = products(scale.skus, &mut rng);
    let catalog =
        Arc::new(Catalog::new(products).unwrap_or_else(|e| unreachable_world(&e.to_string())));
    let segment_lists = SEGMENTS.len().min(scale.price_lists.saturating_sub(1));
    let contract_lists = scale.price_lists.saturating_sub(1 + segment_lists);
    let customers = customers(scale.customers, contract_lists, &mut rng);

    let mut price_lists = Vec::with_capacity(scale.price_lists);
    let base_price: Vec<i64> = (0..scale.skus)
        .map(|_| 10_000 + rng.below(500_000) as i64)
        .collect();
    price_lists.push(PriceList {
        id: "default".into(),
        name: "Default".into(),
        currency: "INR".into(),
        valid_from: None,
        valid_until: None,
        based_on: None,
        entries: base_price
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mode = if i % 10 == 0 {
                    TierMode::Graduated
                } else {
                    TierMode::AllUnits
                };
                entry(sku(i), tiers(*p, &mut rng), mode)
            })
            .collect(),
    });
    let mut segment_map = BTreeMap::new();
    for (s, segment) in SEGMENTS.iter().take(segment_lists).enumerate() {
        let id = format!("segment-{segment}");
        let entries = (0..scale.skus / 10)
            .map(|_| rng.below(scale.skus as u64) as usize)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|i| {
                entry(
                    sku(i),
                    tiers(
                        base_price.get(i).copied().unwrap_or(10_000) * (90 - s as i64) / 100,
                        &mut rng,
                    ),
                    TierMode::AllUnits,
                )
            })
            .collect();
        price_lists.push(PriceList {
            id: id.clone(),
            name: id.clone(),
            currency: "INR".into(),
            valid_from: None,
            valid_until: None,
            based_on: None,
            entries,
        });
        segment_map.insert((*segment).to_owned(), vec![id]);
    }
    for c in 0..contract_lists {
        let entries = (0..200)
            .map(|_| rng.below(scale.skus as u64) as usize)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|i| {
                entry(
                    sku(i),
                    tiers(
                        base_price.get(i).copied().unwrap_or(10_000) * 85 / 100,
                        &mut rng,
                    ),
                    TierMode::AllUnits,
                )
            })
            .collect();
        price_lists.push(PriceList {
            id: format!("contract-{c:03}"),
            name: format!("Contract {c}"),
            currency: "INR".into(),
            valid_from: None,
            valid_until: None,
            based_on: None,
            entries,
        });
    }
    let rules = (0..scale.rules)
        .map(|i| rule(format!("R{i:07}"), &scale, &mut rng, None))
        .collect();
    let book = PriceBookDefinition {
        id: "bench".into(),
        version: "1".into(),
        currency: "INR".into(),
        settings: PriceBookSettings::default(),
        currencies: Vec::new(),
        price_lists,
        default_price_lists: vec!["default".into()],
        segment_price_lists: segment_map,
        rules,
        order_rules: vec![OrderDiscountRule {
            id: "BIG-ORDER".into(),
            priority: 1,
            stop: false,
            when: OrderConditions {
                min_amount: Some(Decimal::from(1_000_000)),
                ..OrderConditions::default()
            },
            action: OrderAction::PercentOff {
                percent: Decimal::from(2),
            },
        }],
        shipping_rules: vec![ShippingRule {
            id: "FLAT".into(),
            priority: 0,
            when: OrderConditions::default(),
            charge: ShippingTariff::Flat {
                amount: dec(150_000, 2),
            },
        }],
        zones: BTreeMap::new(),
    };
    World {
        catalog,
        customers,
        book,
    }
}

fn unreachable_world(message: &str) -> ! {
    // The generator only makes valid data; a failure here is a bug in it.
    eprintln!("generated data is invalid: {message}");
    std::process::exit(70)
}

/// The book's rules multiplied by `factor`: the extra rules are contract
/// rules of customers other than `except` (the benchmark's buyer), of the
/// same mixed product scopes. They must not slow that buyer's pricing.
pub fn multiply_rules(
    world: &World,
    factor: usize,
    except: usize,
    seed: u64,
) -> PriceBookDefinition {
    let mut rng = Rng::new(seed);
    let scale = Scale {
        skus: world.catalog.len(),
        customers: world.customers.len(),
        rules: world.book.rules.len(),
        price_lists: world.book.price_lists.len(),
    };
    let mut def = world.book.clone();
    let extra = world.book.rules.len() * factor.saturating_sub(1);
    def.rules.reserve(extra);
    for i in 0..extra {
        let mut customer = rng.below(scale.customers as u64) as usize;
        if customer == except {
            customer = (customer + 1) % scale.customers.max(1);
        }
        def.rules
            .push(rule(format!("X{i:08}"), &scale, &mut rng, Some(customer)));
    }
    def
}

/// Compiles a definition against the world's catalog.
pub fn compile(world: &World, def: PriceBookDefinition) -> PriceBook {
    PriceBook::compile(def, Arc::clone(&world.catalog))
        .unwrap_or_else(|e| unreachable_world(&e.to_string()))
}

/// An order of `lines` random skus for a customer, quantities 1 to 300.
pub fn order(world: &World, lines: usize, seed: u64) -> PriceRequest {
    let mut rng = Rng::new(seed);
    PriceRequest {
        order_id: Some("BENCH".into()),
        currency: "INR".into(),
        channel: Channel::Portal,
        priced_at: pricing_instant(),
        ship_to_state: None,
        lines: (0..lines)
            .map(|i| OrderLine {
                line_id: Some(i.to_string()),
                sku: sku(rng.below(world.catalog.len() as u64) as usize),
                quantity: Decimal::from(5 + rng.below(296)),
                unit: None,
                target_price: None,
            })
            .collect(),
        explain: Explain::Full,
        ignore_rules: false,
        purchase_history: Vec::new(),
        exchange_rates: Vec::new(),
    }
}

/// The benchmark's buyer: a customer with a contract list and tags.
pub fn buyer(world: &World) -> (usize, &Customer) {
    world
        .customers
        .iter()
        .enumerate()
        .find(|(_, c)| !c.price_lists.is_empty() && !c.tags.is_empty())
        .or_else(|| world.customers.iter().enumerate().next())
        .unwrap_or_else(|| unreachable_world("no customers"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_world_prices_most_lines_with_a_few_rules_each() {
        let scale = Scale {
            skus: 2_000,
            customers: 50,
            rules: 400,
            price_lists: 20,
        };
        let w = world(scale, 1);
        let (_, customer) = buyer(&w);
        let book = compile(&w, w.book.clone());
        let o = book.price_order(customer, &order(&w, 200, 3)).unwrap();
        assert!(o.errors.is_empty(), "{:?}", o.errors.first());
        let adjustments: usize = o.lines.iter().map(|l| l.adjustments.len()).sum();
        assert!(adjustments > 0);
        let same = book.price_order(customer, &order(&w, 200, 3)).unwrap();
        assert_eq!(o, same);
    }
}
