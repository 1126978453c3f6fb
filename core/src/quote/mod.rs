//! Quotes: requests, building, revisions and negotiation, validity, sealing,
//! acceptance (whole or partial), decline, withdrawal, expiry.
//!
//! A [`Quote`] is a value holding immutable numbered [`QuoteRevision`]s
//! (each knows its parent). Every command takes `&self` and returns a new
//! quote plus its [`DomainEvent`]s, or an error that leaves the quote as it
//! was. "Now", ids and seal keys are inputs.
//!
//! States: `draft → (pending_approval) → issued → accepted | declined |
//! expired | withdrawn`, `accepted → converted`.
//!
//! Decisions where the spec is silent:
//! - any revision (seller override or buyer counter) returns the quote to
//!   `draft`: the seller answers by issuing it (a buyer counter records the
//!   buyer's target prices; only the seller changes prices);
//! - a quantity change keeps the line's unit price (no re-pricing; build a
//!   new quote to re-price) and must respect the line's MOQ;
//! - a discount override is off the list unit price; overridden prices are
//!   rounded half-up to 2 decimals;
//! - the order discount of the price book is kept as a rate of the subtotal
//!   and re-applied when lines change; shipping stays as priced;
//! - `valid_until` is inclusive: a quote is expired when now > valid_until;
//!   the default is the end (23:59:59) of the day `default_validity_days`
//!   after the issue instant, in the seller's UTC offset (the spec: "issue
//!   instant + the price book's default validity days"). The draft shows a
//!   provisional `valid_until` counted from the build instant; the quote
//!   keeps the rule in `default_validity` and issuing recomputes it from
//!   the issue instant, so a draft or pending quote with a default
//!   validity does not expire before it is issued. The validity then stays
//!   fixed: later revisions keep it unless the seller sets another;
//! - a quote cannot be revised once accepted; further acceptances of the
//!   remainder are allowed until it expires;
//! - free-goods lines follow their sale line: they cannot be overridden and
//!   are accepted in proportion to it.
//! - issuing needs an approved instance bound to the latest revision
//!   ([`Quote::request_approval`] computes the plan from the revision; an
//!   empty plan is approved at once); the binding's digest and the plan's
//!   facts are recomputed at issue, so a revision changed after approval, or
//!   an instance from raw facts, is refused with `APPROVAL_REQUIRED`;
//! - declining or withdrawing an expired quote fails with `QUOTE_EXPIRED`
//!   (use `expire`);
//! - verification recomputes the stored revision's digest, and with a seller
//!   key requires the client's HMAC; an acceptance is sealed too and checked
//!   again on conversion.
//!
//! [`DomainEvent`]: crate::events::DomainEvent

mod accept;
mod approval;
mod build;
mod diff;
mod error;
mod gst;
mod lifecycle;
mod model;
mod ops;
mod request;
mod revise;
mod seal;
mod totals;
mod verify;

pub use accept::Accept;
pub use approval::{QuoteApproval, RequestApproval};
pub use build::BuildQuote;
pub use diff::{FieldChange, LineDiff, RevisionDiff};
pub use error::QuoteError;
pub use gst::{DatedRates, GstEstimate, GstEstimator, GstLineEstimate, PlaceholderGst};
pub use model::{
    AcceptLine, Acceptance, DeclineKind, DeclineReason, DefaultValidity, OverrideKind, Party,
    PriceOverride, Quote, QuoteLine, QuoteRevision, QuoteSettings, QuoteStatus, QuoteTerms,
    QuoteTotals, QuoteTransition, UnquotableMode,
};
pub use ops::{
    quote_accept, quote_approval_plan, quote_build, quote_build_with, quote_buyer_submit,
    quote_decline, quote_diff, quote_expire, quote_issue, quote_revise, quote_submit,
    quote_withdraw, QuoteAcceptInput, QuoteBuildInput, QuoteBuyerSubmitInput, QuoteDeclineInput,
    QuoteDiffInput, QuoteExpireInput, QuoteIssueInput, QuotePlanInput, QuoteReviseInput,
    QuoteSubmitInput, QuoteWithdrawInput,
};
pub use request::{QuoteRequest, QuoteRequestLine, QuoteSource};
pub use revise::{LineChange, Revise};
pub use seal::{Seal, SealKey};

pub(crate) use accept::{accepted_amount, accepted_before_tax};
pub(crate) use approval::channel_name;
/// Hex SHA-256 (shared with the order's approval binding).
pub(crate) use seal::digest as sha256_hex;

// What the unit tests reach through `use super::*`.
#[cfg(test)]
use crate::error::ErrorCode;
#[cfg(test)]
use chrono::{DateTime, FixedOffset};
#[cfg(test)]
use model::{default_valid_until, seller_offset};
#[cfg(test)]
use rust_decimal::Decimal;

#[cfg(test)]
mod tests;
