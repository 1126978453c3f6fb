//! The catalog as a customer sees it, each product priced at its first
//! orderable quantity, with the tier ladder that priced it.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use super::prepare::suggest;
use super::result::{BasePrice, CatalogEntryView, TierView};
use super::text::Plain;
use crate::catalog::{Catalog, CatalogProduct};
use crate::customer::{Channel, Customer};
use crate::pricing::compile::{PriceBook, MAX_LIST_CHAIN};
use crate::pricing::{Explain, PriceRequest, PricingError};

impl PriceBook {
    /// The catalog as `customer` sees it, each product priced at its MOQ
    /// (or one step), with the tier ladder of the list that priced it.
    /// Products the customer may not see are absent.
    pub fn catalog_for(
        &self,
        customer: &Customer,
        channel: Channel,
        currency: &str,
        at: DateTime<FixedOffset>,
        category: Option<&str>,
    ) -> Result<Vec<CatalogEntryView>, PricingError> {
        customer.validate()?;
        let mut out = Vec::new();
        for p in self.catalog.visible_to(customer, category) {
            let constraints = Catalog::constraints_for(&p.product, customer);
            let step = p.units.step();
            // The smallest quantity that passes MOQ, multiple and maximum
            // (MOQ 100 with packs of 60 → 120), else one step.
            let first = constraints.moq.unwrap_or(step).max(step);
            let quantity = suggest(first, &constraints).unwrap_or(first);
            let request = PriceRequest {
                order_id: None,
                currency: currency.to_owned(),
                channel,
                priced_at: at,
                ship_to_state: None,
                lines: vec![crate::pricing::OrderLine {
                    line_id: None,
                    sku: p.product.sku.clone(),
                    quantity,
                    unit: None,
                    target_price: None,
                }],
                // The view shows the list, the price and the problem only.
                explain: Explain::Summary,
                ignore_rules: false,
                purchase_history: Vec::new(),
                exchange_rates: Vec::new(),
            };
            let priced = self.price_order(customer, &request)?;
            let line = priced.lines.first();
            let tiers = line
                .and_then(|l| l.base_price.as_ref())
                .map(|b| self.tier_ladder(b, p, at))
                .unwrap_or_default();
            out.push(CatalogEntryView {
                sku: p.product.sku.clone(),
                name: p.product.name.clone(),
                category: p.product.category.clone(),
                hsn: p.product.hsn.clone(),
                base_unit: p.units.base().to_owned(),
                constraints,
                quantity,
                net_unit_price: line.map(|l| l.net_unit_price),
                tiers,
                problem: priced.errors.first().map(|e| e.message.clone()),
            });
        }
        Ok(out)
    }

    /// The tiers of the entry that priced a catalog line: the entry valid
    /// at `at`, found from the list that priced it through its `based_on`
    /// parents, with prices per base unit scaled by the derived lists'
    /// factors.
    pub(super) fn tier_ladder(
        &self,
        base: &BasePrice,
        p: &CatalogProduct,
        at: DateTime<FixedOffset>,
    ) -> Vec<TierView> {
        let Some(sku_idx) = self.catalog.index_of(&p.product.sku) else {
            return Vec::new();
        };
        let Some(mut current) = self.list_ids.get(&*base.list_id).copied() else {
            return Vec::new();
        };
        let mut factor = Decimal::ONE;
        for _ in 0..=MAX_LIST_CHAIN {
            let Some(list) = self.lists.get(current as usize) else {
                break;
            };
            if let Some(e) = list.entry_at(sku_idx, at) {
                return e
                    .tiers
                    .iter()
                    .map(|(min, per_base, _)| TierView {
                        label: format!("from {} {}", Plain(*min), p.units.base()),
                        price: per_base.checked_mul(factor).unwrap_or(*per_base),
                    })
                    .collect();
            }
            let Some((parent, f)) = list.based_on else {
                break;
            };
            let Some(next) = factor.checked_mul(f) else {
                break;
            };
            factor = next;
            current = parent;
        }
        Vec::new()
    }
}
