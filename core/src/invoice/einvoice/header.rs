//! Checkers of the header sections: `Version`, `TranDtls`, `DocDtls` and
//! `RefDtls`.

use chrono::NaiveDate;

use super::checker::{parse_dmy, Checker};
use super::rules::{DOC, PREC_DOC, ROOT, TRAN};
use super::types::*;
use crate::tax::validate_gstin;

/// What the transaction details tell the later checks.
pub(super) struct Tran<'a> {
    /// The supply type as written.
    pub(super) sup: &'a str,
    /// An export (`EXP*`): the buyer is URP in state 96.
    pub(super) export: bool,
    /// SEZ or export without payment: no tax on any item.
    pub(super) without_payment: bool,
    /// `IgstOnIntra` is `Y`.
    pub(super) igst_on_intra: bool,
}

/// Sections `Version` and `TranDtls`: the field table ([`ROOT`], [`TRAN`]:
/// version 1.1, scheme GST, a known supply type, Y/N flags) and the
/// e-commerce GSTIN. Guarantees the item and buyer checks the supply
/// type's consequences.
pub(super) fn check_tran_dtls<'a>(c: &mut Checker, e: &'a EInvoice) -> Tran<'a> {
    c.fields("", e, &ROOT);
    let t = &e.tran_dtls;
    c.fields("TranDtls", t, &TRAN);
    if let Some(g) = &t.ecm_gstin {
        if let Err(err) = validate_gstin(g, None) {
            c.add("INVALID_GSTIN", "TranDtls.EcmGstin", err.to_string());
        }
    }
    let sup = t.sup_typ.as_str();
    Tran {
        sup,
        export: sup.starts_with("EXP"),
        without_payment: sup == "SEZWOP" || sup == "EXPWOP",
        igst_on_intra: t.igst_on_intra.as_deref() == Some("Y"),
    }
}

/// Section `DocDtls` ([`DOC`]: type, number pattern, date and its range).
/// Returns the document date when it parses (the rate checks need it).
pub(super) fn check_doc_dtls(c: &mut Checker, d: &DocDtls) -> Option<NaiveDate> {
    c.fields("DocDtls", d, &DOC);
    parse_dmy(&d.dt)
}

/// Section `RefDtls`: a note names its preceding invoice ([`PREC_DOC`],
/// and the numbering rules of its number), dated no later than the note.
/// Returns that invoice's date when it parses (a note's rates may be the
/// original's).
pub(super) fn check_ref_dtls(
    c: &mut Checker,
    e: &EInvoice,
    doc_date: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let d = &e.doc_dtls;
    if d.typ != "CRN" && d.typ != "DBN" {
        return None;
    }
    let Some(p) = e.ref_dtls.as_ref().and_then(|r| r.prec_doc_dtls.first()) else {
        c.add(
            "MISSING_PRECEDING_DOCUMENT",
            "RefDtls.PrecDocDtls",
            "a credit or debit note refers to its original invoice".to_owned(),
        );
        return None;
    };
    c.fields("RefDtls.PrecDocDtls[0]", p, &PREC_DOC);
    if crate::invoice::numbering::validate_number_at(&p.inv_no, &[], "").is_err() {
        c.add(
            "INVALID_DOCUMENT_NUMBER",
            "RefDtls.PrecDocDtls[0].InvNo",
            format!(
                "{:?} is not 1-16 characters of A-Z a-z 0-9 / - not starting with 0, / or -",
                p.inv_no
            ),
        );
    }
    let prec = parse_dmy(&p.inv_dt);
    if let (Some(prec), Some(doc)) = (prec, doc_date) {
        if prec > doc {
            c.add(
                "PRECEDING_DATE_AFTER_DOCUMENT",
                "RefDtls.PrecDocDtls[0].InvDt",
                format!("{} is after the note's date {}", p.inv_dt, d.dt),
            );
        }
    }
    prec
}
