//! Orders: conversion from an accepted quote (price lock) or a direct cart
//! order, PO numbers, advance and payment terms, delivery preferences,
//! per-line quantities with their invariants, derived status, and the
//! commands confirm, amend, cancel and close.
//!
//! Quantities per line: `shipped ≤ allocated ≤ ordered − cancelled` and
//! `invoiced ≤ shipped` (or `≤ ordered − cancelled` when advance/proforma
//! invoicing is allowed by setting). The status is derived from them.
//!
//! Decisions where the spec is silent:
//! - an order starts `draft` and becomes `confirmed` with an approved
//!   approval instance bound to its current version and content
//!   ([`Order::request_approval`], with the quote's instance as `previous`
//!   so unchanged conversions need no new approval; an amendment makes a new
//!   version that needs a new instance, carrying over what did not get
//!   worse) and a credit check that does not block; a blocking check puts
//!   it on credit hold (status `credit_hold`, event `CreditHold`) instead
//!   of failing;
//! - cancelling the whole order (`cancel(None)`) cancels what is not
//!   shipped; an order with shipments stays (shipped or completed), only an
//!   order with nothing shipped becomes `cancelled`;
//! - PO numbers compare trimmed and case-insensitively against the taken ones;
//! - amending is allowed while nothing is allocated; it returns the order to
//!   `draft` (to be approved and confirmed again);
//! - cancelling releases the allocated but unshipped quantity beyond what
//!   stays ordered; shipped quantities cannot be cancelled;
//! - close ends an order short (remaining quantities are no longer due);
//! - the order keeps the quote's order-discount rate, GST rates and
//!   intra/inter-state split; shipping is the quote's, prorated by value
//!   for a partial acceptance, and does not change on amend or cancel;
//! - the advance due is the advance of the payment terms' schedule of the
//!   order's grand total (with estimated GST).

mod amend;
mod approve;
mod convert;
mod error;
mod fulfil;
mod lifecycle;
mod model;
mod ops;
mod place;

pub use amend::{Amend, AmendLine};
pub use convert::{convert_quote, convert_quote_sealed, ConvertQuote, Converted};
pub use error::OrderError;
pub use lifecycle::CancelLine;
pub use model::{
    DeliveryPreferences, Lifecycle, Order, OrderApproval, OrderItem, OrderSettings, OrderSource,
    OrderStatus, OrderTotals, OrderTransition,
};
pub use ops::{
    order_approval_plan, order_credit_check, quote_convert, ConvertInput, OrderCreditInput,
    OrderPlanInput,
};
pub use place::{place_order, place_order_with_catalog, PlaceOrder};

// What the tests reach through `use super::*`.
#[cfg(test)]
use crate::error::ErrorCode;
#[cfg(test)]
use convert::check_po;
#[cfg(test)]
use rust_decimal::Decimal;

#[cfg(test)]
mod tests;
