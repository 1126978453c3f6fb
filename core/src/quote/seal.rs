//! Sealing a revision: SHA-256 over a canonical serialization and an
//! optional HMAC-SHA256 with a seller key.
//!
//! The canonical form is the compact JSON of [`SealContent`]: fixed field
//! order, decimals normalized (`30.0` and `30` seal alike), instants in
//! RFC 3339 UTC. It covers everything a buyer agrees to: ids, every line's
//! sku, quantity, unit, unit factor, MOQ, price, amount and tax rate, free
//! goods links, discounts, shipping, totals, terms (payment schedule with
//! instalment shares, early-payment discount, delivery terms, lead time,
//! conditions) and validity. An acceptance has its own digest (and seal)
//! over what was accepted, bound to the revision's digest.

use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{AcceptLine, QuoteRevision, QuoteTerms};

/// A seller key for HMAC seals (host-supplied; never generated here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SealKey {
    /// Key id, recorded with the seal so keys can rotate.
    pub key_id: String,
    /// The secret (its UTF-8 bytes are the key).
    pub secret: String,
}

/// The digest and optional seal of an issued revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// Hex SHA-256 of the canonical content.
    pub digest: String,
    /// Hex HMAC-SHA256 of the digest with the seller key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac: Option<String>,
    /// Which key sealed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

#[derive(Serialize)]
struct SealLine<'a> {
    line_id: &'a str,
    sku: &'a str,
    quantity: String,
    unit: &'a str,
    unit_price: String,
    amount: String,
    gst_rate: String,
    free: bool,
    unit_factor: String,
    moq: Option<String>,
    linked_to: Option<&'a str>,
    list_price: String,
}

/// What the digest covers (serialized compactly, in this field order).
#[derive(Serialize)]
struct SealContent<'a> {
    quote_id: &'a str,
    customer_id: &'a str,
    currency: &'a str,
    revision: u32,
    valid_until: String,
    lines: Vec<SealLine<'a>>,
    subtotal: String,
    order_discount_rate: String,
    order_discount: String,
    shipping: String,
    total_before_tax: String,
    gst: String,
    grand_total: String,
    terms: &'a QuoteTerms,
}

fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The canonical bytes of a revision.
pub(crate) fn canonical(
    quote_id: &str,
    customer_id: &str,
    currency: &str,
    rev: &QuoteRevision,
) -> Vec<u8> {
    let content = SealContent {
        quote_id,
        customer_id,
        currency,
        revision: rev.number,
        valid_until: rev
            .valid_until
            .naive_utc()
            .format("%Y-%m-%dT%H:%M:%S%.fZ")
            .to_string(),
        lines: rev
            .lines
            .iter()
            .map(|l| SealLine {
                line_id: &l.line_id,
                sku: &l.sku,
                quantity: n(l.quantity),
                unit: &l.unit,
                unit_price: n(l.unit_price),
                amount: n(l.amount),
                gst_rate: n(l.gst_rate),
                free: l.free,
                unit_factor: n(l.unit_factor),
                moq: l.moq.map(n),
                linked_to: l.linked_to.as_deref(),
                list_price: n(l.list_price),
            })
            .collect(),
        subtotal: n(rev.totals.subtotal),
        order_discount_rate: n(rev.order_discount_rate),
        order_discount: n(rev.totals.order_discount),
        shipping: n(rev.totals.shipping),
        total_before_tax: n(rev.totals.total_before_tax),
        gst: n(rev.totals.gst),
        grand_total: n(rev.totals.grand_total),
        terms: &rev.terms,
    };
    serde_json::to_vec(&content).unwrap_or_default()
}

#[derive(Serialize)]
struct AcceptedLine<'a> {
    line_id: &'a str,
    quantity: String,
    unit_price: Option<String>,
}

#[derive(Serialize)]
struct AcceptanceContent<'a> {
    quote_id: &'a str,
    revision: u32,
    revision_digest: &'a str,
    number: u32,
    accepted_by: &'a str,
    at: String,
    po_number: Option<&'a str>,
    lines: Vec<AcceptedLine<'a>>,
}

/// The canonical bytes of an acceptance.
#[allow(clippy::too_many_arguments)]
pub(crate) fn canonical_acceptance(
    quote_id: &str,
    revision: u32,
    revision_digest: &str,
    number: u32,
    accepted_by: &str,
    at: chrono::DateTime<chrono::FixedOffset>,
    po_number: Option<&str>,
    lines: &[AcceptLine],
) -> Vec<u8> {
    let content = AcceptanceContent {
        quote_id,
        revision,
        revision_digest,
        number,
        accepted_by,
        at: at.naive_utc().format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
        po_number,
        lines: lines
            .iter()
            .map(|l| AcceptedLine {
                line_id: &l.line_id,
                quantity: n(l.quantity),
                unit_price: l.unit_price.map(n),
            })
            .collect(),
    };
    serde_json::to_vec(&content).unwrap_or_default()
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(
            DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        ));
        s.push(char::from(
            DIGITS.get(usize::from(b & 15)).copied().unwrap_or(b'0'),
        ));
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let val = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| match p {
            [a, b] => Some(val(*a)? << 4 | val(*b)?),
            _ => None,
        })
        .collect()
}

/// Hex SHA-256 of bytes.
pub(crate) fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn mac(key: &SealKey) -> Option<Hmac<Sha256>> {
    <Hmac<Sha256> as Mac>::new_from_slice(key.secret.as_bytes()).ok()
}

/// Hex HMAC-SHA256 of a digest.
pub(crate) fn sign(digest: &str, key: &SealKey) -> Option<String> {
    let mut m = mac(key)?;
    m.update(digest.as_bytes());
    Some(hex(&m.finalize().into_bytes()))
}

/// Verifies an HMAC in constant time.
pub(crate) fn verify(digest: &str, hmac_hex: &str, key: &SealKey) -> bool {
    let (Some(mut m), Some(tag)) = (mac(key), unhex(hmac_hex)) else {
        return false;
    };
    m.update(digest.as_bytes());
    m.verify_slice(&tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_and_hmac_known_answers() {
        assert_eq!(
            digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let key = SealKey {
            key_id: "k".into(),
            secret: "key".into(),
        };
        let mut m = mac(&key).unwrap();
        m.update(b"The quick brown fox jumps over the lazy dog");
        assert_eq!(
            hex(&m.finalize().into_bytes()),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
        let s = sign("d", &key).unwrap();
        assert!(verify("d", &s, &key));
        assert!(!verify("e", &s, &key));
        assert!(!verify("d", "zz", &key));
        assert_eq!(unhex("0aFf"), Some(vec![10, 255]));
    }
}
