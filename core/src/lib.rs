//! # b2b-oms
//!
//! The business logic of B2B order management as a pure, deterministic
//! library: money and units, the catalog, customers and inquiries, and a
//! compiled price book (tiers, rules, MOQ, explanations). Hosts (ERPs,
//! storefront backends, buyer apps) keep their own storage and pass every
//! input — including "now" — explicitly.
//!
//! The journey:
//!
//! ```text
//! Inquiry ─▶ Customer & segment ─▶ Catalog & price ─▶ Quote ─▶ Approvals & credit
//!    ─▶ Order ─▶ Allocation ─▶ Shipments ─▶ GST invoices
//! ```
//!
//! Every fallible public function returns a typed error whose [`ErrorCode`]
//! gives a stable machine-readable code and the field path of the bad input.
//!
//! ```
//! use b2b_oms::money::{Currencies, Money};
//! use rust_decimal::Decimal;
//!
//! let currencies = Currencies::iso();
//! let inr = currencies.get("INR").unwrap();
//! let price = Money::new(Decimal::new(19217, 2), &inr);
//! assert_eq!(price.to_string(), "192.17 INR");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod approval;
pub mod catalog;
pub mod credit;
pub mod customer;
pub mod error;
pub mod events;
pub mod fulfilment;
pub mod host;
pub mod inventory;
pub mod invoice;
pub mod json;
pub mod money;
pub mod order;
pub mod pricing;
pub mod quote;
pub mod schema;
pub mod tax;
pub mod units;

pub use error::{ErrorCode, ErrorInfo};
