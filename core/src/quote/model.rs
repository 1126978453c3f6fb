//! The quote and its parts: terms, settings, lines, totals, revisions,
//! status, declines, acceptances and the validity rule.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::invalid;
use super::{GstEstimate, QuoteError, QuoteSource, Seal};
use crate::credit::PaymentTerms;
use crate::customer::Channel;
use crate::events::{AggregateKind, DomainEvent, Emitter, EventLine};
use crate::money::{Currencies, RoundingMode};
use crate::pricing::LineProblem;

/// Commercial terms of a quote (locked into the order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteTerms {
    /// Payment terms.
    pub payment_terms: PaymentTerms,
    /// Delivery terms (Incoterms or "door delivery").
    #[serde(default)]
    pub delivery_terms: String,
    /// Lead time in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_days: Option<u32>,
    /// Other conditions, one per entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

/// What to do with lines that cannot be quoted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum UnquotableMode {
    /// Quote the rest and report them.
    #[default]
    QuoteRest,
    /// Fail the build.
    Fail,
}

/// Seller settings for quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct QuoteSettings {
    /// Days of validity when none is given.
    pub default_validity_days: u32,
    /// Seller's UTC offset in minutes (IST = 330).
    pub seller_utc_offset_minutes: i32,
    /// Seller's GST state code (for the estimate's regime when no `regime`
    /// is given).
    pub supplier_state: String,
    /// The tax regime input of the supply (supplier GSTIN and registration,
    /// recipient category, zero-rated mode, reverse charge), decided by the
    /// tax module; absent: a regular domestic supply of goods from
    /// `supplier_state` to the ship-to state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<crate::tax::RegimeInput>,
    /// Unquotable lines.
    pub unquotable: UnquotableMode,
}

impl Default for QuoteSettings {
    fn default() -> Self {
        Self {
            default_validity_days: 15,
            seller_utc_offset_minutes: 330,
            supplier_state: "27".into(),
            regime: None,
            unquotable: UnquotableMode::QuoteRest,
        }
    }
}

/// A seller price override on a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OverrideKind {
    /// Set the unit price.
    UnitPrice {
        /// Price per ordered unit.
        price: Decimal,
    },
    /// Percent off the list unit price.
    DiscountPct {
        /// Percent.
        percent: Decimal,
    },
}

/// A recorded override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// What.
    pub kind: OverrideKind,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// Unit price before the override.
    pub previous_unit_price: Decimal,
}

/// A quoted line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLine {
    /// Line id.
    pub line_id: String,
    /// The sku.
    pub sku: String,
    /// Product name.
    pub name: String,
    /// HSN.
    pub hsn: String,
    /// GST rate class.
    pub gst_rate_class: String,
    /// Free goods (linked to the sale line).
    #[serde(default)]
    pub free: bool,
    /// For free goods: the sale line's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_to: Option<String>,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// Unit.
    pub unit: String,
    /// Base units per `unit`.
    pub unit_factor: Decimal,
    /// MOQ in base units for this customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moq: Option<Decimal>,
    /// List (base) price per base unit; zero for free goods.
    pub list_price: Decimal,
    /// Net unit price from the price book.
    pub priced_unit_price: Decimal,
    /// Net unit price quoted (after any override).
    pub unit_price: Decimal,
    /// Amount before order discounts.
    pub amount: Decimal,
    /// GST rate locked for the order (percent).
    pub gst_rate: Decimal,
    /// Cost per base unit in the quote currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Decimal>,
    /// Floor per base unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Decimal>,
    /// Buyer's target price per unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_price: Option<Decimal>,
    /// Seller override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_override: Option<PriceOverride>,
    /// Notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Totals of a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteTotals {
    /// Σ line amounts.
    pub subtotal: Decimal,
    /// Order discount.
    pub order_discount: Decimal,
    /// Shipping charge.
    pub shipping: Decimal,
    /// subtotal − discount + shipping.
    pub total_before_tax: Decimal,
    /// Estimated GST.
    pub gst: Decimal,
    /// total before tax + GST.
    pub grand_total: Decimal,
}

/// Who made a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The seller.
    Seller,
    /// The buyer.
    Buyer,
}

/// An immutable revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRevision {
    /// 1, 2, 3…
    pub number: u32,
    /// Parent revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<u32>,
    /// When made.
    pub created_at: DateTime<FixedOffset>,
    /// By whom.
    pub author: Party,
    /// Person id of the author.
    #[serde(default)]
    pub author_id: String,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Lines.
    pub lines: Vec<QuoteLine>,
    /// Lines that could not be quoted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unquoted: Vec<LineProblem>,
    /// Order discount as a rate of the subtotal (from the price book).
    pub order_discount_rate: Decimal,
    /// Totals.
    pub totals: QuoteTotals,
    /// GST estimate (placeholder).
    pub gst: GstEstimate,
    /// Terms.
    pub terms: QuoteTerms,
    /// Valid until (inclusive).
    pub valid_until: DateTime<FixedOffset>,
    /// Seller's notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Digest and seal, once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
}

/// Status of a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Being prepared.
    Draft,
    /// Waiting for approval.
    PendingApproval,
    /// Sent to the buyer.
    Issued,
    /// Accepted (wholly or partly).
    Accepted,
    /// Declined by the buyer.
    Declined,
    /// Past its validity.
    Expired,
    /// Withdrawn by the seller.
    Withdrawn,
    /// Every acceptance converted to an order.
    Converted,
}

impl QuoteStatus {
    fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::PendingApproval => "pending_approval",
            Self::Issued => "issued",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
            Self::Converted => "converted",
        }
    }
}

/// Why the buyer declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DeclineKind {
    /// Too expensive.
    Price,
    /// Too slow.
    LeadTime,
    /// Went to a competitor.
    Competitor,
    /// Anything else.
    Other,
}

/// A structured decline reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineReason {
    /// Kind.
    pub kind: DeclineKind,
    /// Buyer's note (required for `other`).
    #[serde(default)]
    pub note: String,
    /// Competitor name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competitor: Option<String>,
}

/// A line of an acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptLine {
    /// Line id.
    pub line_id: String,
    /// Quantity accepted (in the line's unit).
    pub quantity: Decimal,
    /// The unit price the buyer saw (checked when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
}

/// A recorded acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// 1, 2… per quote.
    pub number: u32,
    /// Revision accepted.
    pub revision: u32,
    /// Who.
    pub accepted_by: String,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Lines and quantities.
    pub lines: Vec<AcceptLine>,
    /// Buyer's PO number, if given at acceptance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// Order it became.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Digest (and, with a seller key, HMAC) of what was accepted, bound
    /// to the revision's digest; checked again on conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
}

/// A quote with its revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Quote id.
    pub id: String,
    /// Request id.
    pub request_id: String,
    /// Source.
    pub source: QuoteSource,
    /// Customer id.
    pub customer_id: String,
    /// Customer legal name.
    pub customer_name: String,
    /// Segment.
    pub segment: String,
    /// Customer tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Channel.
    pub channel: Channel,
    /// Currency.
    pub currency: String,
    /// Ship-to state code.
    pub ship_to_state: String,
    /// Requested delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_delivery_date: Option<NaiveDate>,
    /// Buyer notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub buyer_notes: String,
    /// Status.
    pub status: QuoteStatus,
    /// Revisions, oldest first.
    pub revisions: Vec<QuoteRevision>,
    /// Acceptances.
    #[serde(default)]
    pub acceptances: Vec<Acceptance>,
    /// Decline reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline: Option<DeclineReason>,
    /// Withdrawal reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
    /// Rounding used.
    pub rounding: RoundingMode,
    /// Next event sequence number.
    pub next_event_seq: u64,
    /// The default validity still to be counted from the issue instant:
    /// set when the quote was built without an explicit `valid_until`,
    /// cleared when it is issued or given an explicit validity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_validity: Option<DefaultValidity>,
}

/// A default validity that counts from the issue instant: `days` after it,
/// to the end of that day in the seller's UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultValidity {
    /// Days of validity after the issue instant.
    pub days: u32,
    /// The seller's UTC offset, in minutes.
    pub seller_utc_offset_minutes: i32,
}

impl DefaultValidity {
    /// `valid_until` for a quote issued at `now`.
    pub(super) fn valid_until(
        &self,
        now: DateTime<FixedOffset>,
    ) -> Result<DateTime<FixedOffset>, QuoteError> {
        let offset = self
            .seller_utc_offset_minutes
            .checked_mul(60)
            .and_then(FixedOffset::east_opt)
            .ok_or_else(|| {
                invalid(
                    "quote.default_validity.seller_utc_offset_minutes",
                    "an offset within ±24 h",
                )
            })?;
        default_valid_until(now, self.days, offset)
    }
}

/// Quote plus the events of the transition that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteTransition {
    /// The new quote.
    pub quote: Quote,
    /// Its events.
    pub events: Vec<DomainEvent>,
}

pub(super) fn seller_offset(settings: &QuoteSettings) -> Result<FixedOffset, QuoteError> {
    settings
        .seller_utc_offset_minutes
        .checked_mul(60)
        .and_then(FixedOffset::east_opt)
        .ok_or_else(|| {
            invalid(
                "settings.seller_utc_offset_minutes",
                "an offset within ±24 h",
            )
        })
}

/// End of the day `days` after `now`, in `offset`.
pub(super) fn default_valid_until(
    now: DateTime<FixedOffset>,
    days: u32,
    offset: FixedOffset,
) -> Result<DateTime<FixedOffset>, QuoteError> {
    let local = now.with_timezone(&offset).date_naive();
    let day = local
        .checked_add_days(Days::new(u64::from(days)))
        .ok_or_else(|| invalid("settings.default_validity_days", "date out of range"))?;
    let end = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
    end.and_local_timezone(offset)
        .single()
        .ok_or_else(|| invalid("settings.default_validity_days", "date out of range"))
}

impl Quote {
    /// The latest revision.
    pub fn latest(&self) -> Result<&QuoteRevision, QuoteError> {
        self.revisions
            .last()
            .ok_or_else(|| invalid("revisions", "a quote has at least one revision"))
    }

    /// A revision by number.
    pub fn revision(&self, number: u32) -> Result<&QuoteRevision, QuoteError> {
        self.revisions
            .iter()
            .find(|r| r.number == number)
            .ok_or_else(|| invalid("revision", "no such revision"))
    }

    /// The status as of `now`: open quotes past their validity read as expired.
    pub fn status_at(&self, now: DateTime<FixedOffset>) -> QuoteStatus {
        let open = matches!(
            self.status,
            QuoteStatus::Draft
                | QuoteStatus::PendingApproval
                | QuoteStatus::Issued
                | QuoteStatus::Accepted
        );
        match self.latest() {
            Ok(r) if open && !self.validity_pending() && now > r.valid_until => {
                QuoteStatus::Expired
            }
            _ => self.status,
        }
    }

    /// Whether the validity is still to be counted from the issue instant
    /// (a draft or pending quote built with the default validity): such a
    /// quote does not expire before it is issued.
    fn validity_pending(&self) -> bool {
        self.default_validity.is_some()
            && matches!(
                self.status,
                QuoteStatus::Draft | QuoteStatus::PendingApproval
            )
    }

    pub(super) fn minor_units(&self) -> Result<u32, QuoteError> {
        Ok(Currencies::iso()
            .get_at(&self.currency, "currency")?
            .minor_units)
    }

    pub(super) fn transition_error(&self, command: &str) -> QuoteError {
        QuoteError::InvalidTransition {
            field: "status".into(),
            status: self.status.name().into(),
            command: command.into(),
        }
    }

    pub(super) fn check_not_expired(&self, now: DateTime<FixedOffset>) -> Result<(), QuoteError> {
        if self.validity_pending() {
            return Ok(());
        }
        let r = self.latest()?;
        if now > r.valid_until {
            return Err(QuoteError::Expired {
                field: "valid_until".into(),
                valid_until: r.valid_until,
            });
        }
        Ok(())
    }

    pub(super) fn emitter(&self, now: DateTime<FixedOffset>) -> Emitter {
        Emitter::new(AggregateKind::Quote, &self.id, self.next_event_seq, now)
    }

    pub(super) fn done(mut self, em: Emitter) -> QuoteTransition {
        self.next_event_seq = em.next_seq();
        QuoteTransition {
            quote: self,
            events: em.events,
        }
    }
}

pub(crate) fn event_line(l: &QuoteLine) -> EventLine {
    EventLine {
        line_id: l.line_id.clone(),
        sku: l.sku.clone(),
        name: l.name.clone(),
        quantity: l.quantity,
        unit: l.unit.clone(),
        unit_price: l.unit_price,
        amount: l.amount,
    }
}
