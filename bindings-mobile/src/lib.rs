//! b2b-oms for Android and iOS buyer apps, through UniFFI (Kotlin, Swift).
//!
//! The app receives a price-book snapshot (the catalog, the price book and
//! its customer record, as JSON texts of the library's format), compiles it
//! once into a [`Snapshot`], and prices carts, checks quantities as the buyer
//! types, lists the visible catalog with prices and builds quote requests
//! offline, with exactly the server's numbers: the same core does the work.
//! [`verify_quote_digest`] checks a sealed quote's content digest on the
//! device. Every other host operation is [`call`]: one JSON document in, one
//! out.
//!
//! Decimals are `java.math.BigDecimal` / `Foundation.Decimal`, never
//! rounded; instants are RFC 3339 strings with an offset. Errors are
//! `B2bOmsException` (Kotlin) / `B2bOmsError` (Swift), one case per family
//! of the host API's codes, each with `code`, `field`, `reason` and
//! `details`. A panic in the library becomes the `Internal` case.
//!
//! The binding holds no business rule: it converts types ([`convert`]),
//! maps errors ([`errors`]) and calls the core's host operations.

use std::sync::Arc;

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::Customer;
use b2b_oms::host::{self, ops, HostError, Operation};
use b2b_oms::pricing::{PriceBook, PriceBookDefinition};
use b2b_oms::quote::{self, BuildQuote, Quote, QuoteRequest, QuoteSettings, QuoteTerms};

pub mod convert;
pub mod errors;

pub use convert::*;
pub use errors::{B2bOmsError, Result};

uniffi::setup_scaffolding!();

/// Runs an export body with panics caught: a panic becomes the `Internal`
/// error (code `INTERNAL`), never a crash of the app.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match host::guarded(|| Ok(f())) {
        Ok(result) => result,
        Err(e) => Err(e.into()),
    }
}

/// A compiled price-book snapshot for one customer: build it once when the
/// snapshot arrives (it validates and indexes the catalog and the book),
/// then price as often as the buyer types. Safe to share between threads.
#[derive(uniffi::Object)]
pub struct Snapshot {
    catalog: Arc<Catalog>,
    book: PriceBook,
    customer: Customer,
}

/// What a quantity check found for one line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuantityCheck {
    /// Whether the quantity passes MOQ, order multiple and maximum.
    pub ok: bool,
    /// The constraint broken (`BELOW_MOQ`, `NOT_MULTIPLE`, `ABOVE_MAX`), or the
    /// book's adjustment (`ADJUSTED`, when the book applies suggestions itself).
    pub code: Option<String>,
    /// The message, in words.
    pub message: Option<String>,
    /// The requested quantity in base units.
    pub requested: Option<Decimal>,
    /// The limit broken, in base units.
    pub limit: Option<Decimal>,
    /// A quantity in base units that passes every constraint.
    pub suggested: Option<Decimal>,
    /// The product's base unit (the unit of `requested`, `limit`, `suggested`).
    pub base_unit: Option<String>,
    /// The product's ordering constraints for this customer.
    pub constraints: Option<OrderingConstraints>,
}

/// Options of a catalog listing.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CatalogOptions {
    /// Currency of the prices.
    pub currency: String,
    /// Channel.
    pub channel: Channel,
    /// The pricing instant, RFC 3339 with offset.
    pub at: String,
    /// Only this category and its descendants.
    #[uniffi(default)]
    pub category: Option<String>,
}

/// What a quote request needs beyond the cart.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteOptions {
    /// Quote id (the app's; the server may renumber).
    pub quote_id: String,
    /// Request id.
    pub request_id: String,
    /// The seller's published terms: a `QuoteTerms` JSON document (payment
    /// terms, delivery terms, lead time, conditions).
    pub terms_json: String,
    /// Seller's quote settings (`QuoteSettings` JSON: validity days, supplier
    /// state …); the defaults when absent.
    #[uniffi(default)]
    pub settings_json: Option<String>,
    /// Explicit validity, RFC 3339; the settings' default days when absent.
    #[uniffi(default)]
    pub valid_until: Option<String>,
    /// The buyer's notes.
    #[uniffi(default)]
    pub buyer_notes: Option<String>,
}

/// One quoted line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteLine {
    /// Line id.
    pub line_id: String,
    /// The sku.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Free goods.
    pub free: bool,
    /// The line it is free with.
    pub linked_to: Option<String>,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// The unit.
    pub unit: String,
    /// MOQ (base units).
    pub moq: Option<Decimal>,
    /// List price per unit.
    pub list_price: Decimal,
    /// Quoted price per unit.
    pub unit_price: Decimal,
    /// Line amount.
    pub amount: Decimal,
    /// GST rate (percent) of the estimate.
    pub gst_rate: Decimal,
}

/// Totals of a quote revision.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteTotals {
    /// Sum of line amounts.
    pub subtotal: Decimal,
    /// Order discount.
    pub order_discount: Decimal,
    /// Shipping.
    pub shipping: Decimal,
    /// Total before tax.
    pub total_before_tax: Decimal,
    /// GST estimate.
    pub gst: Decimal,
    /// Total with the GST estimate.
    pub grand_total: Decimal,
}

/// One line of the GST estimate.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

/// The GST estimate by ship-to state: CGST + SGST within the supplier's
/// state, IGST across states.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    /// What the estimate is based on.
    pub basis: String,
}

/// A draft quote built offline: revision 1 of the quote request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteDraft {
    /// Quote id.
    pub quote_id: String,
    /// Request id.
    pub request_id: String,
    /// Customer id.
    pub customer_id: String,
    /// Currency.
    pub currency: String,
    /// Ship-to state code.
    pub ship_to_state: String,
    /// The revision number (1).
    pub revision: u32,
    /// Valid until (RFC 3339).
    pub valid_until: String,
    /// Quoted lines.
    pub lines: Vec<QuoteLine>,
    /// Lines that could not be quoted (below MOQ, unknown …).
    pub unquoted: Vec<LineProblem>,
    /// Totals.
    pub totals: QuoteTotals,
    /// The GST estimate by ship-to state.
    pub gst: GstEstimate,
    /// SHA-256 content digest of the revision (what a seal will cover).
    pub digest: String,
    /// The whole `Quote` document, to send to the server.
    pub quote_json: String,
}

fn draft_of(q: &Quote) -> Result<QuoteDraft> {
    let rev = q.latest().map_err(HostError::from)?;
    let d = |x| Decimal::from(x);
    Ok(QuoteDraft {
        quote_id: q.id.clone(),
        request_id: q.request_id.clone(),
        customer_id: q.customer_id.clone(),
        currency: q.currency.clone(),
        ship_to_state: q.ship_to_state.clone(),
        revision: rev.number,
        valid_until: instant_text(&rev.valid_until),
        lines: rev
            .lines
            .iter()
            .map(|l| QuoteLine {
                line_id: l.line_id.clone(),
                sku: l.sku.clone(),
                name: l.name.clone(),
                free: l.free,
                linked_to: l.linked_to.clone(),
                quantity: d(l.quantity),
                unit: l.unit.clone(),
                moq: l.moq.map(d),
                list_price: d(l.list_price),
                unit_price: d(l.unit_price),
                amount: d(l.amount),
                gst_rate: d(l.gst_rate),
            })
            .collect(),
        unquoted: rev.unquoted.iter().map(Into::into).collect(),
        totals: QuoteTotals {
            subtotal: d(rev.totals.subtotal),
            order_discount: d(rev.totals.order_discount),
            shipping: d(rev.totals.shipping),
            total_before_tax: d(rev.totals.total_before_tax),
            gst: d(rev.totals.gst),
            grand_total: d(rev.totals.grand_total),
        },
        gst: GstEstimate {
            supplier_state: rev.gst.supplier_state.clone(),
            ship_to_state: rev.gst.ship_to_state.clone(),
            intra_state: rev.gst.intra_state,
            lines: rev
                .gst
                .lines
                .iter()
                .map(|g| GstLineEstimate {
                    line_id: g.line_id.clone(),
                    rate: d(g.rate),
                    taxable: d(g.taxable),
                    cgst: d(g.cgst),
                    sgst: d(g.sgst),
                    igst: d(g.igst),
                })
                .collect(),
            cgst: d(rev.gst.cgst),
            sgst: d(rev.gst.sgst),
            igst: d(rev.gst.igst),
            total: d(rev.gst.total),
            basis: rev.gst.basis.clone(),
        },
        digest: q.revision_digest(rev),
        quote_json: serde_json::to_string(q)
            .map_err(|e| HostError::internal(format!("cannot write the quote: {e}")))?,
    })
}

const QUANTITY_CODES: [&str; 3] = ["BELOW_MOQ", "NOT_MULTIPLE", "ABOVE_MAX"];

#[uniffi::export]
impl Snapshot {
    /// Compiles a snapshot from the JSON texts the app received: the catalog
    /// (an array of `Product`), the price book (`PriceBookDefinition`) and
    /// the customer (`Customer`). Every problem of the catalog or book is
    /// reported at once (`INVALID_CATALOG`, `INVALID_PRICE_BOOK`).
    #[uniffi::constructor]
    pub fn new(
        catalog_json: String,
        price_book_json: String,
        customer_json: String,
    ) -> Result<Arc<Self>> {
        guarded(|| {
            let products: Vec<Product> = document(&catalog_json, "catalog")?;
            let definition: PriceBookDefinition = document(&price_book_json, "price_book")?;
            let customer: Customer = document(&customer_json, "customer")?;
            let catalog = ops::compile_catalog(products).map_err(|e| e.under("catalog"))?;
            let book = ops::compile_price_book(definition, Arc::clone(&catalog))
                .map_err(|e| e.under("price_book"))?;
            Ok(Arc::new(Snapshot {
                catalog,
                book,
                customer,
            }))
        })
    }

    /// The customer the snapshot prices for.
    pub fn customer_id(&self) -> String {
        self.customer.id.clone()
    }

    /// The number of products in the catalog.
    pub fn sku_count(&self) -> u64 {
        u64::try_from(self.catalog.len()).unwrap_or(u64::MAX)
    }

    /// Prices a cart: every line with its net unit price, amount, quantity
    /// status and the waterfall at `options.explain`; lines that cannot be priced (below MOQ, …) in
    /// `errors` with the suggested quantity; order discounts, shipping and
    /// the total before tax. The same result as the server's `price_order`.
    pub fn price_cart(&self, lines: Vec<CartLine>, options: PriceOptions) -> Result<PricedCart> {
        guarded(|| {
            let request = price_request(&lines, &options)?;
            let priced = ops::price_order_with(&self.book, &self.customer, &request)?;
            Ok(PricedCart::from(&priced))
        })
    }

    /// Checks one line's quantity as the buyer types: MOQ, order multiple and
    /// maximum for this customer, with a quantity that passes all of them.
    /// `options` give the currency, channel and instant the line is priced
    /// at (the core checks a line as it prices it). An unknown sku or unit is
    /// an error (`UNKNOWN_SKU`, `UNKNOWN_UNIT` …); a line without a price is
    /// still checked (`ok` says only whether the quantity passes).
    pub fn check_quantity(
        &self,
        sku: String,
        quantity: Decimal,
        unit: Option<String>,
        options: PriceOptions,
    ) -> Result<QuantityCheck> {
        guarded(|| {
            let line = CartLine {
                line_id: None,
                sku: sku.clone(),
                quantity,
                unit,
                target_price: None,
            };
            // Prices only: the check needs no waterfall.
            let options = PriceOptions {
                explain: ExplainLevel::None,
                ..options
            };
            let request = price_request(&[line], &options)?;
            let priced = ops::price_order_with(&self.book, &self.customer, &request)?;
            let product = self.catalog.get(&sku);
            let base_unit = product.map(|p| p.product.base_unit.to_string());
            let constraints = product.map(|p| {
                let c = Catalog::constraints_for(&p.product, &self.customer);
                OrderingConstraints {
                    moq: c.moq.map(Decimal::from),
                    order_multiple: c.order_multiple.map(Decimal::from),
                    max_quantity: c.max_quantity.map(Decimal::from),
                }
            });
            if let Some(p) = priced.errors.first() {
                if QUANTITY_CODES.contains(&p.code.as_str()) {
                    return Ok(QuantityCheck {
                        ok: false,
                        code: Some(p.code.clone()),
                        message: Some(p.message.clone()),
                        requested: p.requested.map(Decimal::from),
                        limit: p.limit.map(Decimal::from),
                        suggested: p.suggested.map(Decimal::from),
                        base_unit,
                        constraints,
                    });
                }
                if p.code != "NO_PRICE" {
                    return Err(
                        HostError::new(&p.code, Some(p.field.clone()), p.message.clone()).into(),
                    );
                }
            }
            let adjusted = priced.lines.first().and_then(|l| match &l.quantity_status {
                b2b_oms::pricing::QuantityStatus::Adjusted { from, to, reason } => {
                    Some((*from, *to, reason.clone()))
                }
                b2b_oms::pricing::QuantityStatus::Ok => None,
            });
            Ok(match adjusted {
                Some((from, to, reason)) => QuantityCheck {
                    ok: false,
                    code: Some("ADJUSTED".into()),
                    message: Some(reason),
                    requested: Some(from.into()),
                    limit: None,
                    suggested: Some(to.into()),
                    base_unit,
                    constraints,
                },
                None => QuantityCheck {
                    ok: true,
                    code: None,
                    message: None,
                    requested: priced.lines.first().map(|l| l.base_quantity.into()),
                    limit: None,
                    suggested: None,
                    base_unit,
                    constraints,
                },
            })
        })
    }

    /// The catalog as this customer sees it, each product priced at its MOQ,
    /// with its constraints and tier ladder (the `catalog_view` operation).
    pub fn catalog_view(&self, options: CatalogOptions) -> Result<Vec<CatalogEntry>> {
        guarded(|| {
            let at = parse_instant(&options.at, "at")?;
            let view = self
                .book
                .catalog_for(
                    &self.customer,
                    options.channel.into(),
                    &options.currency,
                    at,
                    options.category.as_deref(),
                )
                .map_err(HostError::from)?;
            Ok(view.iter().map(Into::into).collect())
        })
    }

    /// Builds a draft quote from a cart (the `quote_build` operation on the
    /// snapshot): priced lines, unquotable lines, totals, the GST estimate
    /// by ship-to state, validity, the content digest, and the `Quote`
    /// document to send to the server. `options.priced_at` is "now".
    pub fn build_quote(
        &self,
        lines: Vec<CartLine>,
        options: PriceOptions,
        quote: QuoteOptions,
    ) -> Result<QuoteDraft> {
        guarded(|| {
            let request = price_request(&lines, &options)?;
            let terms: QuoteTerms = document(&quote.terms_json, "terms")?;
            let settings: QuoteSettings = match &quote.settings_json {
                Some(text) => document(text, "settings")?,
                None => QuoteSettings::default(),
            };
            let valid_until = quote
                .valid_until
                .as_deref()
                .map(|v| parse_instant(v, "valid_until"))
                .transpose()?;
            let cart_id = options.order_id.clone().unwrap_or_default();
            let mut req =
                QuoteRequest::from_cart(&quote.request_id, &cart_id, &self.customer.id, &request);
            req.buyer_notes = quote.buyer_notes.clone().unwrap_or_default();
            let build = BuildQuote {
                quote_id: quote.quote_id.clone(),
                request: req,
                terms,
                valid_until,
                notes: String::new(),
                author_id: self.customer.id.clone(),
                now: request.priced_at,
                settings,
                gst_rates: Default::default(),
            };
            let q = quote::quote_build_with(&build, &self.book, &self.customer)
                .map_err(HostError::from)?;
            draft_of(&q)
        })
    }
}

/// What the device could check of a sealed quote.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DigestCheck {
    /// The revision checked.
    pub revision: u32,
    /// Whether the revision's content still hashes to its stored digest.
    pub intact: bool,
    /// The digest stored in the seal.
    pub stored_digest: String,
    /// The SHA-256 digest recomputed from the content on the device.
    pub recomputed_digest: String,
    /// With a presented digest: whether it equals the stored one.
    pub presented_matches: Option<bool>,
    /// Whether the seal carries an HMAC (made with the seller's key).
    pub has_hmac: bool,
    /// Always `false`: the HMAC needs the seller's secret key, which an app
    /// never holds; only the server can verify it.
    pub hmac_verified: bool,
    /// What does not match, when not intact.
    pub problem: Option<String>,
}

/// Verifies a sealed quote's content digest on the device.
///
/// What it can verify: the revision's content (lines, prices, quantities,
/// totals, terms, validity) is recomputed into its canonical form and hashed
/// (SHA-256); `intact` says whether that equals the digest stored in the
/// seal, and a `presented_digest` (e.g. from the quote e-mail or a QR code)
/// is compared with it. What it cannot verify: the HMAC-SHA256 seal, which
/// proves the seller issued the quote, needs the seller's secret key; the app
/// has none, so `hmac_verified` is always `false` and the server checks the
/// seal when the quote is accepted. `revision` defaults to the latest.
#[uniffi::export]
pub fn verify_quote_digest(
    quote_json: String,
    revision: Option<u32>,
    presented_digest: Option<String>,
) -> Result<DigestCheck> {
    guarded(|| {
        let q: Quote = document(&quote_json, "quote")?;
        let number = match revision {
            Some(n) => n,
            None => q.latest().map_err(HostError::from)?.number,
        };
        let rev = q.revision(number).map_err(HostError::from)?;
        let recomputed = q.revision_digest(rev);
        let (stored, has_hmac) = match &rev.seal {
            Some(s) => (s.digest.clone(), s.hmac.is_some()),
            None => {
                // The core's own error for an unissued revision.
                q.verify_stored(number, None).map_err(HostError::from)?;
                (String::new(), false)
            }
        };
        let tampered = |e: quote::QuoteError| {
            let e = HostError::from(e);
            if e.code == "TAMPERED_QUOTE" {
                Ok(Some(e.message))
            } else {
                Err(B2bOmsError::from(e))
            }
        };
        let problem = match q.verify_stored(number, None) {
            Ok(_) => None,
            Err(e) => tampered(e)?,
        };
        let presented_matches = match presented_digest.as_deref() {
            Some(p) => Some(match q.verify(number, p, None, None, None) {
                Ok(()) => true,
                Err(e) => tampered(e)?.is_none(),
            }),
            None => None,
        };
        Ok(DigestCheck {
            revision: number,
            intact: problem.is_none(),
            stored_digest: stored,
            recomputed_digest: recomputed,
            presented_matches,
            has_hmac,
            hmac_verified: false,
            problem,
        })
    })
}

/// Runs any host operation on the JSON text of its input document and
/// returns the compact JSON text of its output document (decimals as
/// strings, as the format writes them). `UNKNOWN_OPERATION` for a name the
/// library does not have; see [`operations`].
#[uniffi::export]
pub fn call(operation: String, input_json: String) -> Result<String> {
    guarded(|| Ok(host::call(&operation, &input_json)?))
}

/// One host operation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OperationInfo {
    /// Its name (`price_order`).
    pub name: String,
    /// What it does.
    pub summary: String,
    /// The families of the errors it can return.
    pub families: Vec<String>,
}

/// Every host operation [`call`] runs.
#[uniffi::export]
pub fn operations() -> Vec<OperationInfo> {
    Operation::ALL
        .iter()
        .map(|o| OperationInfo {
            name: o.name().to_owned(),
            summary: o.summary().to_owned(),
            families: o.families().iter().map(|f| f.as_str().to_owned()).collect(),
        })
        .collect()
}

/// One error code of the library.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CodeInfo {
    /// The code.
    pub code: String,
    /// Its family (the `B2bOmsException` case it comes as).
    pub family: String,
    /// What it means.
    pub summary: String,
}

/// Every error code of the library, with its family.
#[uniffi::export]
pub fn error_codes() -> Vec<CodeInfo> {
    host::CODES
        .iter()
        .map(|c| CodeInfo {
            code: c.code.to_owned(),
            family: c.family.as_str().to_owned(),
            summary: c.summary.to_owned(),
        })
        .collect()
}

/// The library's version.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Test hook: panics inside the library when the environment variable
/// `B2B_OMS_TEST_PANIC` is `1` (else returns `"no panic"`), so a test can
/// prove that a panic surfaces as the `Internal` error. Not for apps.
#[doc(hidden)]
#[uniffi::export]
pub fn debug_panic_probe() -> Result<String> {
    guarded(|| {
        if std::env::var("B2B_OMS_TEST_PANIC").as_deref() == Ok("1") {
            #[allow(clippy::panic)]
            {
                panic!("deliberate test panic (B2B_OMS_TEST_PANIC=1)");
            }
        }
        Ok("no panic".to_owned())
    })
}
