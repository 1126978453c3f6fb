//! Checkers of `ExpDtls` and `EwbDtls`: the field tables, and a transport
//! mode's document (the e-way bill part of the IRP refuses a mode without
//! it: road needs the vehicle number; rail, air and ship the transport
//! document number — a host that has only the transporter leaves the mode
//! out).

use super::checker::Checker;
use super::rules::{EWB, EXP};
use super::types::*;

/// Section `ExpDtls`: the field table ([`EXP`]: shipping bill number and
/// date, port code, refund flag, currency, ISO 3166 alpha-2 country).
pub(super) fn check_exp_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(x) = &e.exp_dtls {
        c.fields("ExpDtls", x, &EXP);
    }
}

/// Section `EwbDtls`: the field table ([`EWB`]: transporter id, name,
/// distance 0–4000 km, mode, document, vehicle) and the mode's document.
pub(super) fn check_ewb_dtls(c: &mut Checker, e: &EInvoice) {
    let Some(w) = &e.ewb_dtls else {
        return;
    };
    c.fields("EwbDtls", w, &EWB);
    match w.trans_mode.as_deref() {
        Some("1") if w.veh_no.is_none() => c.add(
            "MISSING_VEHICLE_NO",
            "EwbDtls.VehNo",
            "transport by road (mode 1) needs the vehicle number".to_owned(),
        ),
        Some(m @ ("2" | "3" | "4")) if w.trans_doc_no.is_none() => c.add(
            "MISSING_TRANSPORT_DOC",
            "EwbDtls.TransDocNo",
            format!(
                "transport by {} (mode {m}) needs the transport document number",
                match m {
                    "2" => "rail",
                    "3" => "air",
                    _ => "ship",
                }
            ),
        ),
        _ => {}
    }
}
