//! Customers, segments and inquiries (leads).
//!
//! A [`Customer`] carries what pricing, credit and tax need: segment, tags,
//! assigned price lists in order, credit limit, payment terms, channels, and
//! addresses with state codes. An [`Inquiry`] is a lead before it is a
//! customer; a [`Classifier`] compiled from ordered [`ClassificationRule`]s
//! puts it into a segment (first match wins, a default applies) and says
//! which rule matched; its lines become quote-request lines.
//!
//! ```
//! use b2b_oms::customer::{ClassificationPolicy, ClassificationRule, Classifier, Inquiry, InquiryConditions};
//!
//! let policy = ClassificationPolicy {
//!     rules: vec![ClassificationRule {
//!         id: "export".into(),
//!         when: InquiryConditions { countries_not: vec!["IN".into()], ..Default::default() },
//!         segment: "exporter".into(),
//!         price_list: None,
//!     }],
//!     default_segment: "retail_chain".into(),
//!     default_price_list: None,
//! };
//! let classifier = Classifier::compile(policy).unwrap();
//! let inquiry: Inquiry = serde_json::from_str(r#"{"id":"L1","company":"Acme GmbH","country":"DE"}"#).unwrap();
//! let c = classifier.classify(&inquiry).unwrap();
//! assert_eq!(c.segment, "exporter");
//! assert_eq!(c.matched_rule.as_deref(), Some("export"));
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::Catalog;
use crate::error::{index, path, ErrorCode};
use crate::money::Money;
use crate::pricing::OrderLine;

/// Errors of customers, inquiries and classification.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[serde(untagged)]
pub enum CustomerError {
    /// A field that breaks its format rule.
    #[error("{field} = {value:?}: {rule}")]
    InvalidField {
        /// Field path.
        field: String,
        /// The value given.
        value: String,
        /// The rule it broke.
        rule: String,
    },
    /// A field needed for the next step is absent.
    #[error("{field} is missing: {rule}")]
    MissingField {
        /// Field path.
        field: String,
        /// Why it is needed.
        rule: String,
    },
    /// Two classification rules share an id.
    #[error("classification rule id {id:?} is used twice")]
    DuplicateRule {
        /// Field path.
        field: String,
        /// The id.
        id: String,
    },
}

impl ErrorCode for CustomerError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidField { .. } => "INVALID_FIELD",
            Self::MissingField { .. } => "MISSING_FIELD",
            Self::DuplicateRule { .. } => "DUPLICATE_ID",
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidField { field, .. }
            | Self::MissingField { field, .. }
            | Self::DuplicateRule { field, .. } => Some(field),
        }
    }
}

fn invalid(field: String, value: &str, rule: &str) -> CustomerError {
    CustomerError::InvalidField {
        field,
        value: value.to_owned(),
        rule: rule.to_owned(),
    }
}

/// How a customer orders. Rules can be limited to channels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The B2B web portal.
    Portal,
    /// The buyer mobile app.
    MobileApp,
    /// Entered by a sales representative.
    SalesRep,
    /// Electronic data interchange or API.
    Edi,
}

impl Channel {
    /// All channels, in a fixed order.
    pub const ALL: [Channel; 4] = [Self::Portal, Self::MobileApp, Self::SalesRep, Self::Edi];
}

/// A postal address with its Indian state code (or 96 abroad).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Optional id, to pick a ship-to address by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Street lines.
    #[serde(default)]
    pub lines: Vec<String>,
    /// City or town.
    #[serde(default)]
    pub city: String,
    /// GST state code, two digits (`27` Maharashtra; `96` other countries).
    pub state_code: String,
    /// Postal code (six digits in India).
    #[serde(default)]
    pub pincode: String,
    /// ISO 3166 alpha-2 country code.
    #[serde(default = "india")]
    pub country: String,
}

fn india() -> String {
    "IN".to_owned()
}

/// A buyer organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Host's id of the customer.
    pub id: String,
    /// Legal name as registered.
    pub legal_name: String,
    /// GSTIN; absent for unregistered buyers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// Billing address.
    pub billing_address: Address,
    /// Shipping addresses; the first is the default ship-to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipping_addresses: Vec<Address>,
    /// Segment name (distributor, wholesaler, exporter, retail_chain, …).
    pub segment: String,
    /// Free tags for rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The customer's own (contract) price lists, in order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub price_lists: Vec<String>,
    /// Credit limit; absent means no credit (advance payment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<Money>,
    /// Id of the customer's standard payment terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<String>,
    /// Channels the customer orders through; empty means any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// The host's own data (ids, flags of its ERP), carried as it is and
    /// never read by the library: the one place for fields the format does
    /// not have, since every other unknown field is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Whether `code` looks like a GST state code (two digits).
pub fn is_state_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit())
}

impl Customer {
    /// Checks the fields pricing and tax rely on.
    pub fn validate(&self) -> Result<(), CustomerError> {
        if self.id.trim().is_empty() {
            return Err(invalid("customer.id".into(), &self.id, "must not be empty"));
        }
        if self.segment.trim().is_empty() {
            return Err(invalid(
                "customer.segment".into(),
                &self.segment,
                "must not be empty",
            ));
        }
        if let Some(g) = &self.gstin {
            let ok = g.len() == 15 && g.is_ascii() && g.get(..2).is_some_and(is_state_code);
            if !ok {
                return Err(invalid(
                    "customer.gstin".into(),
                    g,
                    "a GSTIN is 15 characters starting with a two-digit state code",
                ));
            }
        }
        let addresses =
            std::iter::once(("customer.billing_address".to_owned(), &self.billing_address)).chain(
                self.shipping_addresses
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (index("customer.shipping_addresses", i), a)),
            );
        for (at, a) in addresses {
            if !is_state_code(&a.state_code) {
                return Err(invalid(
                    path(&at, "state_code"),
                    &a.state_code,
                    "a state code is two digits (27 Maharashtra, 96 other countries)",
                ));
            }
        }
        Ok(())
    }

    /// The default ship-to address: the first shipping address, else billing.
    pub fn default_ship_to(&self) -> &Address {
        self.shipping_addresses
            .first()
            .unwrap_or(&self.billing_address)
    }

    /// A prospective customer made from a classified inquiry, so a lead can
    /// be priced and quoted before the host creates the customer record.
    ///
    /// Its state is the inquiry's `state_code`, else the GSTIN's first two
    /// digits, else `96` (other countries) for a buyer abroad. An Indian
    /// inquiry with neither a state code nor a GSTIN cannot be priced (the
    /// place of supply decides shipping zones and the GST heads), so it is
    /// a [`CustomerError::MissingField`] at `inquiry.state_code` rather than
    /// a prospect that every later step would reject. A state code or GSTIN
    /// of the wrong shape is [`CustomerError::InvalidField`].
    pub fn prospect(
        inquiry: &Inquiry,
        classification: &Classification,
    ) -> Result<Customer, CustomerError> {
        if let Some(s) = &inquiry.state_code {
            if !is_state_code(s) {
                return Err(invalid(
                    "inquiry.state_code".into(),
                    s,
                    "a state code is two digits (27 Maharashtra, 96 other countries)",
                ));
            }
        }
        if let Some(g) = &inquiry.gstin {
            let ok = g.len() == 15 && g.is_ascii() && g.get(..2).is_some_and(is_state_code);
            if !ok {
                return Err(invalid(
                    "inquiry.gstin".into(),
                    g,
                    "a GSTIN is 15 characters starting with a two-digit state code",
                ));
            }
        }
        let state_code = match inquiry.state_code.clone().or_else(|| {
            inquiry
                .gstin
                .as_ref()
                .and_then(|g| g.get(..2))
                .map(str::to_owned)
        }) {
            Some(s) => s,
            None if inquiry.country != "IN" => "96".into(),
            None => {
                return Err(CustomerError::MissingField {
                    field: "inquiry.state_code".into(),
                    rule: "an Indian inquiry without a GSTIN needs the buyer's state code \
                           before it can be priced or quoted"
                        .into(),
                })
            }
        };
        Ok(Customer {
            id: format!("prospect:{}", inquiry.id),
            legal_name: inquiry.company.clone(),
            gstin: inquiry.gstin.clone(),
            billing_address: Address {
                state_code,
                country: inquiry.country.clone(),
                ..Address::default()
            },
            shipping_addresses: Vec::new(),
            segment: classification.segment.clone(),
            tags: vec!["prospect".into()],
            price_lists: classification.price_list.iter().cloned().collect(),
            credit_limit: None,
            payment_terms: None,
            channels: Vec::new(),
            ext: inquiry.ext.clone(),
        })
    }
}

/// Where a lead came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum InquirySource {
    /// The website's inquiry form.
    #[default]
    WebForm,
    /// A phone call.
    Call,
    /// An email.
    Email,
    /// Referred by a distributor.
    DistributorReferral,
    /// A trade fair or exhibition.
    TradeFair,
}

/// How soon the buyer needs the goods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// No particular hurry.
    #[default]
    Normal,
    /// Needed soon.
    High,
    /// Needed at once.
    Critical,
}

/// One requested item of an inquiry: a sku or a free description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryLine {
    /// The sku, when the buyer knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// What the buyer wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantity wanted.
    pub quantity: Decimal,
    /// Unit of the quantity; the product's base unit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The price per unit the buyer hopes for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_price: Option<Decimal>,
}

/// A lead: who asked, for what, how urgently, from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inquiry {
    /// Host's id of the inquiry.
    pub id: String,
    /// Company name.
    pub company: String,
    /// Contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    /// Contact email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Contact phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Declared business category (manufacturer, distributor, d2c_brand …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_category: Option<String>,
    /// GSTIN, if the buyer gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// ISO 3166 alpha-2 country.
    #[serde(default = "india")]
    pub country: String,
    /// State code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_code: Option<String>,
    /// Declared annual purchase volume in INR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_volume: Option<Decimal>,
    /// Free-text summary of the requirement.
    #[serde(default)]
    pub requirement: String,
    /// Requested items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<InquiryLine>,
    /// How urgent.
    #[serde(default)]
    pub urgency: Urgency,
    /// When the goods are needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needed_by: Option<NaiveDate>,
    /// Where the lead came from.
    #[serde(default)]
    pub source: InquirySource,
    /// The host's own data (ids, flags of its ERP), carried as it is and
    /// never read by the library: the one place for fields the format does
    /// not have, since every other unknown field is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Conditions on an inquiry; all present ones must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryConditions {
    /// Declared business category is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub business_categories: Vec<String>,
    /// A GSTIN was given (true) or not (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_gstin: Option<bool>,
    /// The GSTIN's state code is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gstin_states: Vec<String>,
    /// Declared annual volume at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_annual_volume: Option<Decimal>,
    /// Declared annual volume below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_annual_volume: Option<Decimal>,
    /// Country is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Country is none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries_not: Vec<String>,
    /// Source is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<InquirySource>,
}

impl InquiryConditions {
    /// Whether every present condition holds; on failure, the first that failed.
    fn check(&self, inquiry: &Inquiry) -> Result<(), String> {
        if !self.business_categories.is_empty()
            && !inquiry
                .business_category
                .as_ref()
                .is_some_and(|c| self.business_categories.contains(c))
        {
            return Err("business category".into());
        }
        if let Some(want) = self.has_gstin {
            if inquiry.gstin.is_some() != want {
                return Err("GSTIN presence".into());
            }
        }
        if !self.gstin_states.is_empty()
            && !inquiry
                .gstin
                .as_ref()
                .and_then(|g| g.get(..2))
                .is_some_and(|s| self.gstin_states.iter().any(|w| w == s))
        {
            return Err("GSTIN state".into());
        }
        if let Some(min) = self.min_annual_volume {
            if inquiry.annual_volume.is_none_or(|v| v < min) {
                return Err("annual volume below minimum".into());
            }
        }
        if let Some(max) = self.max_annual_volume {
            if inquiry.annual_volume.is_none_or(|v| v >= max) {
                return Err("annual volume not below maximum".into());
            }
        }
        if !self.countries.is_empty() && !self.countries.contains(&inquiry.country) {
            return Err("country".into());
        }
        if self.countries_not.contains(&inquiry.country) {
            return Err("excluded country".into());
        }
        if !self.sources.is_empty() && !self.sources.contains(&inquiry.source) {
            return Err("source".into());
        }
        Ok(())
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.business_categories.is_empty() {
            parts.push(format!(
                "business category in [{}]",
                self.business_categories.join(", ")
            ));
        }
        if let Some(g) = self.has_gstin {
            parts.push(if g {
                "has a GSTIN".into()
            } else {
                "has no GSTIN".into()
            });
        }
        if !self.gstin_states.is_empty() {
            parts.push(format!("GSTIN state in [{}]", self.gstin_states.join(", ")));
        }
        if let Some(v) = self.min_annual_volume {
            parts.push(format!("annual volume ≥ {v}"));
        }
        if let Some(v) = self.max_annual_volume {
            parts.push(format!("annual volume < {v}"));
        }
        if !self.countries.is_empty() {
            parts.push(format!("country in [{}]", self.countries.join(", ")));
        }
        if !self.countries_not.is_empty() {
            parts.push(format!(
                "country not in [{}]",
                self.countries_not.join(", ")
            ));
        }
        if !self.sources.is_empty() {
            let s: Vec<String> = self
                .sources
                .iter()
                .map(|s| {
                    serde_json::to_value(s)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                })
                .collect();
            parts.push(format!("source in [{}]", s.join(", ")));
        }
        if parts.is_empty() {
            "always".into()
        } else {
            parts.join(" and ")
        }
    }
}

/// One ordered classification rule: when the conditions hold, the inquiry
/// belongs to `segment` (and is offered `price_list`, if given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRule {
    /// Rule id, unique in the policy.
    pub id: String,
    /// Conditions; all must hold.
    #[serde(default)]
    pub when: InquiryConditions,
    /// Segment assigned.
    pub segment: String,
    /// Price list (tier) offered to the new customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_list: Option<String>,
}

/// Ordered rules plus the default segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationPolicy {
    /// Rules in order; the first that matches wins.
    pub rules: Vec<ClassificationRule>,
    /// Segment when no rule matches.
    pub default_segment: String,
    /// Price list when no rule matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_price_list: Option<String>,
}

/// Outcome of classifying an inquiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The inquiry classified.
    pub inquiry_id: String,
    /// Segment assigned.
    pub segment: String,
    /// Price list offered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_list: Option<String>,
    /// The rule that matched; `None` when the default applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_rule: Option<String>,
    /// Readable reason, including why earlier rules did not match.
    pub reason: String,
}

/// A validated classification policy.
#[derive(Debug, Clone)]
pub struct Classifier {
    policy: ClassificationPolicy,
}

impl Classifier {
    /// Validates the policy: unique rule ids, non-empty segments, sane windows.
    pub fn compile(policy: ClassificationPolicy) -> Result<Self, CustomerError> {
        if policy.default_segment.trim().is_empty() {
            return Err(invalid(
                "default_segment".into(),
                &policy.default_segment,
                "must not be empty",
            ));
        }
        for (i, rule) in policy.rules.iter().enumerate() {
            let at = index("rules", i);
            if policy.rules.iter().take(i).any(|r| r.id == rule.id) {
                return Err(CustomerError::DuplicateRule {
                    field: path(&at, "id"),
                    id: rule.id.clone(),
                });
            }
            if rule.segment.trim().is_empty() {
                return Err(invalid(
                    path(&at, "segment"),
                    &rule.segment,
                    "must not be empty",
                ));
            }
            if let (Some(min), Some(max)) =
                (rule.when.min_annual_volume, rule.when.max_annual_volume)
            {
                if min >= max {
                    return Err(invalid(
                        path(&at, "when.min_annual_volume"),
                        &min.to_string(),
                        "must be below max_annual_volume",
                    ));
                }
            }
        }
        Ok(Self { policy })
    }

    /// The policy as compiled.
    pub fn policy(&self) -> &ClassificationPolicy {
        &self.policy
    }

    /// Puts an inquiry into a segment. First matching rule wins.
    pub fn classify(&self, inquiry: &Inquiry) -> Result<Classification, CustomerError> {
        if inquiry.id.trim().is_empty() {
            return Err(invalid(
                "inquiry.id".into(),
                &inquiry.id,
                "must not be empty",
            ));
        }
        let mut skipped = Vec::new();
        for rule in &self.policy.rules {
            match rule.when.check(inquiry) {
                Ok(()) => {
                    let mut reason = format!("rule {} matched ({})", rule.id, rule.when.describe());
                    if !skipped.is_empty() {
                        reason.push_str(&format!("; before it: {}", skipped.join("; ")));
                    }
                    return Ok(Classification {
                        inquiry_id: inquiry.id.clone(),
                        segment: rule.segment.clone(),
                        price_list: rule.price_list.clone(),
                        matched_rule: Some(rule.id.clone()),
                        reason,
                    });
                }
                Err(failed) => skipped.push(format!("{} failed on {failed}", rule.id)),
            }
        }
        let mut reason = "no rule matched; default segment".to_owned();
        if !skipped.is_empty() {
            reason.push_str(&format!(" ({})", skipped.join("; ")));
        }
        Ok(Classification {
            inquiry_id: inquiry.id.clone(),
            segment: self.policy.default_segment.clone(),
            price_list: self.policy.default_price_list.clone(),
            matched_rule: None,
            reason,
        })
    }
}

/// An inquiry line that could not become a quote-request line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnmatchedInquiryLine {
    /// Field path of the inquiry line.
    pub field: String,
    /// What the buyer wrote.
    pub description: String,
    /// Why it was not matched (needs a sales rep to pick a sku).
    pub reason: String,
}

/// Quote-request (RFQ) lines made from an inquiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequestDraft {
    /// The inquiry the request comes from.
    pub inquiry_id: String,
    /// Lines ready to price.
    pub lines: Vec<OrderLine>,
    /// Lines a person must match to a sku.
    pub unmatched: Vec<UnmatchedInquiryLine>,
}

impl Inquiry {
    /// Turns the inquiry's lines into quote-request lines for `customer`
    /// (possibly a [`Customer::prospect`]). Lines without a known, visible
    /// sku are kept as unmatched, never dropped.
    pub fn quote_request(&self, catalog: &Catalog, customer: &Customer) -> QuoteRequestDraft {
        let mut lines = Vec::new();
        let mut unmatched = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let at = index("inquiry.lines", i);
            let description = line
                .description
                .clone()
                .or_else(|| line.sku.clone())
                .unwrap_or_default();
            match &line.sku {
                Some(sku) => match catalog.visible(sku, customer, &path(&at, "sku")) {
                    Ok(_) => lines.push(OrderLine {
                        line_id: Some(format!("{}-{}", self.id, i + 1)),
                        sku: sku.clone(),
                        quantity: line.quantity,
                        unit: line.unit.clone(),
                        target_price: line.target_price,
                    }),
                    Err(e) => unmatched.push(UnmatchedInquiryLine {
                        field: at,
                        description,
                        reason: e.to_string(),
                    }),
                },
                None => unmatched.push(UnmatchedInquiryLine {
                    field: at,
                    description,
                    reason: "no sku given: a sales rep must pick one".into(),
                }),
            }
        }
        QuoteRequestDraft {
            inquiry_id: self.id.clone(),
            lines,
            unmatched,
        }
    }
}
