//! One function per CLI operation, JSON-friendly in and out, so the CLI's
//! `gstin`, `invoice`, `einvoice`, `words` (and `number`) subcommands are a
//! `serde_json::from_str` → call → `serde_json::to_string` away.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::einvoice::{to_einvoice, validate_einvoice, EInvoice, Violation};
use super::numbering::{financial_year, format_document_number};
use super::types::{Invoice, InvoiceInput};
use super::words::{amount_in_words, format_indian};
use super::{compute_invoice, InvoiceError};
use crate::tax::{validate_gstin, GstinInfo, RateTable};

/// `gstin`: a GSTIN and optionally the date it is used on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GstinRequest {
    /// The GSTIN (case and spaces are normalized).
    pub gstin: String,
    /// Date of use, to flag legacy state codes.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
}

/// `invoice` / `einvoice`: an invoice input and optionally a rate table
/// (the default Indian table when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRequest {
    /// The invoice.
    pub invoice: InvoiceInput,
    /// Rates; [`RateTable::india_default`] when absent.
    #[serde(default)]
    pub rates: Option<RateTable>,
}

/// `einvoice` result: the computed invoice and its e-invoice payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EInvoiceReport {
    /// The computed invoice.
    pub invoice: Invoice,
    /// The validated e-invoice request payload.
    pub einvoice: EInvoice,
}

/// `einvoice --validate`: a payload to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateEInvoiceRequest {
    /// The payload.
    pub einvoice: EInvoice,
    /// Rates; the default table when absent.
    #[serde(default)]
    pub rates: Option<RateTable>,
}

/// `words`: an amount and its currency (INR when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WordsRequest {
    /// The amount: a JSON string or number read exactly; more digits than
    /// a decimal holds (28) or than the currency's minor units are refused,
    /// never rounded.
    #[serde(deserialize_with = "exact_decimal")]
    pub amount: Decimal,
    /// ISO 4217 currency; INR when absent.
    #[serde(default)]
    pub currency: Option<String>,
}

/// Reads a decimal exactly: a string with more digits than a decimal
/// holds is refused (rust_decimal's own parsing would round it, and
/// `999999999999999999999999999.99` would become `1000000000000000000000000000.0`).
/// Numbers that lose digits through floating point are refused by
/// [`crate::json::from_json`] (`LOSSY_NUMBER`).
fn exact_decimal<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    struct Exact;
    impl serde::de::Visitor<'_> for Exact {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a decimal number or a string holding one")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            let t = v.trim();
            Decimal::from_str_exact(t)
                .or_else(|_| Decimal::from_scientific(t))
                .map_err(|e| {
                    E::custom(format!(
                        "{t:?} is not a decimal a document can hold exactly: {e}"
                    ))
                })
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
            // The shortest text of the float, as the other amounts read it.
            self.visit_str(&v.to_string())
        }
    }
    d.deserialize_any(Exact)
}

/// `words` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WordsResponse {
    /// Amount in words.
    pub words: String,
    /// Amount in Indian digit grouping with 2 decimals.
    pub formatted: String,
}

/// `number`: template, date, next sequence and numbers already issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberRequest {
    /// Template such as `INV/{fy}/{seq:05}`.
    pub template: String,
    /// Document date.
    pub date: NaiveDate,
    /// Next sequence number (from the host's storage).
    pub seq: u64,
    /// Numbers already issued (duplicates are rejected).
    #[serde(default)]
    pub issued: Vec<String>,
}

/// `number` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberResponse {
    /// The document number.
    pub number: String,
    /// Its financial year, e.g. `26-27`.
    pub financial_year: String,
}

/// Validates a GSTIN.
pub fn op_gstin(req: &GstinRequest) -> Result<GstinInfo, InvoiceError> {
    Ok(validate_gstin(&req.gstin, req.as_of)?)
}

/// Computes an invoice or note.
pub fn op_invoice(req: &InvoiceRequest) -> Result<Invoice, InvoiceError> {
    match &req.rates {
        Some(r) => {
            r.validate()?;
            compute_invoice(&req.invoice, r)
        }
        None => compute_invoice(&req.invoice, &RateTable::india_default()),
    }
}

/// Computes an invoice and its validated e-invoice payload.
pub fn op_einvoice(req: &InvoiceRequest) -> Result<EInvoiceReport, InvoiceError> {
    let default;
    let rates = match &req.rates {
        Some(r) => {
            r.validate()?;
            r
        }
        None => {
            default = RateTable::india_default();
            &default
        }
    };
    let invoice = compute_invoice(&req.invoice, rates)?;
    let einvoice = to_einvoice(&invoice, rates)?;
    Ok(EInvoiceReport { invoice, einvoice })
}

/// Validates an e-invoice payload, returning every violation (empty when
/// valid) rather than an error, so a UI can show them all.
pub fn op_validate_einvoice(req: &ValidateEInvoiceRequest) -> Result<Vec<Violation>, InvoiceError> {
    let default;
    let rates = match &req.rates {
        Some(r) => {
            r.validate()?;
            r
        }
        None => {
            default = RateTable::india_default();
            &default
        }
    };
    match validate_einvoice(&req.einvoice, rates) {
        Ok(()) => Ok(Vec::new()),
        Err(InvoiceError::EInvoiceInvalid { violations, .. }) => Ok(violations),
        Err(other) => Err(other),
    }
}

/// Writes an amount in words and in Indian digit grouping.
pub fn op_words(req: &WordsRequest) -> Result<WordsResponse, InvoiceError> {
    let currency = req.currency.as_deref().unwrap_or("INR");
    Ok(WordsResponse {
        words: amount_in_words(req.amount, currency)?,
        formatted: format_indian(req.amount, 2)?,
    })
}

/// Formats and validates the next document number.
pub fn op_number(req: &NumberRequest) -> Result<NumberResponse, InvoiceError> {
    Ok(NumberResponse {
        number: format_document_number(&req.template, req.date, req.seq, &req.issued)?,
        financial_year: financial_year(req.date)?.short,
    })
}
