//! Verification of issued revisions and acceptances against their seals.

use rust_decimal::Decimal;

use super::error::invalid;
use super::{diff, seal, Quote, QuoteError, QuoteRevision, Seal, SealKey};
use crate::error::{index, path};
use crate::money;

impl Quote {
    /// Digest of a revision's canonical content (what a seal and an
    /// approval binding cover).
    pub fn revision_digest(&self, rev: &QuoteRevision) -> String {
        seal::digest(&seal::canonical(
            &self.id,
            &self.customer_id,
            &self.currency,
            rev,
        ))
    }

    /// Verifies a revision presented by a client against the stored one:
    /// digest, seal (with `key`) and, when given, the full content.
    pub fn verify(
        &self,
        revision: u32,
        digest: &str,
        hmac: Option<&str>,
        presented: Option<&QuoteRevision>,
        key: Option<&SealKey>,
    ) -> Result<(), QuoteError> {
        let seal = self.verify_stored(revision, key)?;
        let stored = self.revision(revision)?;
        let tampered = |field: &str, detail: &str| QuoteError::Tampered {
            field: field.to_owned(),
            detail: detail.to_owned(),
        };
        if let Some(p) = presented {
            let d = seal::digest(&seal::canonical(
                &self.id,
                &self.customer_id,
                &self.currency,
                p,
            ));
            if d != seal.digest {
                let (field, detail) = diff::first_difference(stored, p);
                return Err(tampered(&format!("presented.{field}"), &detail));
            }
        }
        if digest != seal.digest {
            return Err(tampered(
                "digest",
                "the digest does not match the issued revision",
            ));
        }
        if let Some(k) = key {
            let Some(h) = hmac else {
                return Err(tampered("seal", "no seal presented"));
            };
            if !seal::verify(&seal.digest, h, k) {
                return Err(tampered(
                    "seal",
                    "the seal does not verify with the seller key",
                ));
            }
        } else if let (Some(h), Some(stored_h)) = (hmac, &seal.hmac) {
            if h != stored_h {
                return Err(tampered("seal", "the seal differs from the issued one"));
            }
        }
        Ok(())
    }

    /// Checks a stored revision against its own seal: the digest is
    /// recomputed from the content, and with `key` the stored HMAC must
    /// verify. Returns the seal.
    pub fn verify_stored(&self, revision: u32, key: Option<&SealKey>) -> Result<&Seal, QuoteError> {
        let pos = self
            .revisions
            .iter()
            .position(|r| r.number == revision)
            .ok_or_else(|| invalid("revision", "no such revision"))?;
        let stored = self.revision(revision)?;
        let Some(seal) = &stored.seal else {
            return Err(self.transition_error("verify an unissued revision of"));
        };
        let at = index("revisions", pos);
        if self.revision_digest(stored) != seal.digest {
            return Err(QuoteError::Tampered {
                field: path(&at, "seal.digest"),
                detail: "the stored revision does not match its digest".into(),
            });
        }
        if let Some(k) = key {
            let ok = seal
                .hmac
                .as_deref()
                .is_some_and(|h| seal::verify(&seal.digest, h, k));
            if !ok {
                return Err(QuoteError::Tampered {
                    field: path(&at, "seal.hmac"),
                    detail: "the stored seal does not verify with the seller key".into(),
                });
            }
        }
        Ok(seal)
    }

    /// Checks a stored acceptance against its digest (and with `key` its
    /// HMAC), that the revision it accepted is intact, and that the
    /// acceptances never exceed the quoted quantities.
    pub fn verify_acceptance(&self, number: u32, key: Option<&SealKey>) -> Result<(), QuoteError> {
        let pos = self
            .acceptances
            .iter()
            .position(|a| a.number == number)
            .ok_or_else(|| invalid("acceptance", "no such acceptance"))?;
        let a = self
            .acceptances
            .get(pos)
            .ok_or_else(|| invalid("acceptance", "no such acceptance"))?;
        let at = index("acceptances", pos);
        let rev_seal = self.verify_stored(a.revision, key)?;
        let tampered = |field: String, detail: &str| QuoteError::Tampered {
            field,
            detail: detail.to_owned(),
        };
        let Some(s) = &a.seal else {
            return Err(tampered(path(&at, "seal"), "the acceptance is not sealed"));
        };
        let d = seal::digest(&seal::canonical_acceptance(
            &self.id,
            a.revision,
            &rev_seal.digest,
            a.number,
            &a.accepted_by,
            a.at,
            a.po_number.as_deref(),
            &a.lines,
        ));
        if d != s.digest {
            return Err(tampered(
                path(&at, "seal.digest"),
                "the acceptance does not match its digest",
            ));
        }
        if let Some(k) = key {
            if !s.hmac.as_deref().is_some_and(|h| seal::verify(&d, h, k)) {
                return Err(tampered(
                    path(&at, "seal.hmac"),
                    "the acceptance seal does not verify with the seller key",
                ));
            }
        }
        let rev = self.revision(a.revision)?;
        for (i, al) in a.lines.iter().enumerate() {
            let Some(l) = rev
                .lines
                .iter()
                .find(|l| l.line_id == al.line_id && !l.free)
            else {
                return Err(tampered(
                    path(&index(&path(&at, "lines"), i), "line_id"),
                    "no such line on the accepted revision",
                ));
            };
            let mut total = Decimal::ZERO;
            for other in self.acceptances.iter().filter(|o| o.revision == a.revision) {
                for ol in other.lines.iter().filter(|ol| ol.line_id == al.line_id) {
                    total = money::add(total, ol.quantity, "accepted quantity")?;
                }
            }
            if al.quantity <= Decimal::ZERO || total > l.quantity {
                return Err(tampered(
                    path(&index(&path(&at, "lines"), i), "quantity"),
                    "accepted quantities exceed the quoted quantity",
                ));
            }
        }
        Ok(())
    }
}
