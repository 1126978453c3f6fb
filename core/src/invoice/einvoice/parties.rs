//! Checkers of the party sections: `SellerDtls`, `BuyerDtls`, `ShipDtls`
//! and `DispDtls` — the field tables, GSTINs, state codes, and each
//! address's PIN code against its state.

use super::checker::Checker;
use super::rules::{BUYER, DISP, SELLER, SHIP};
use super::types::*;
use crate::tax::validate_gstin;

/// Section `SellerDtls`: GSTIN, the field table ([`SELLER`]), state, PIN
/// in the state.
pub(super) fn check_seller_dtls(c: &mut Checker, s: &PartyDtls) {
    if let Err(err) = validate_gstin(&s.gstin, None) {
        c.add("INVALID_GSTIN", "SellerDtls.Gstin", err.to_string());
    }
    c.fields("SellerDtls", s, &SELLER);
    c.state("SellerDtls.Stcd", &s.stcd, false);
    c.pin_state("SellerDtls.Pin", s.pin, &s.stcd);
}

/// Section `BuyerDtls`: an export buyer is URP, place of supply and state
/// 96, PIN 999999, with `ExpDtls`; any other buyer has a valid GSTIN that
/// is not the seller's own (a registration cannot supply itself), a state
/// and place of supply, a PIN in its state. Then the field table
/// ([`BUYER`]).
pub(super) fn check_buyer_dtls(c: &mut Checker, e: &EInvoice, export: bool) {
    let b = &e.buyer_dtls;
    if export {
        check_export_buyer(c, e);
    } else {
        if let Err(err) = validate_gstin(&b.gstin, None) {
            c.add("INVALID_GSTIN", "BuyerDtls.Gstin", err.to_string());
        }
        if b.gstin.eq_ignore_ascii_case(&e.seller_dtls.gstin) {
            c.add(
                "BUYER_IS_SELLER",
                "BuyerDtls.Gstin",
                format!(
                    "{}: the buyer's GSTIN is the seller's; a registration cannot supply itself",
                    b.gstin
                ),
            );
        }
        c.state("BuyerDtls.Stcd", &b.stcd, false);
        c.state("BuyerDtls.Pos", &b.pos, false);
        c.pin_state("BuyerDtls.Pin", b.pin, &b.stcd);
    }
    c.fields("BuyerDtls", b, &BUYER);
}

/// An export buyer: URP, place of supply and state 96, PIN 999999, and
/// the export details present.
fn check_export_buyer(c: &mut Checker, e: &EInvoice) {
    let b = &e.buyer_dtls;
    let expected: [(&str, bool, String); 4] = [
        (
            "BuyerDtls.Gstin",
            b.gstin == "URP",
            format!("{:?}: an export buyer is URP", b.gstin),
        ),
        (
            "BuyerDtls.Pos",
            b.pos == "96",
            format!("{:?}: exports have place of supply 96", b.pos),
        ),
        (
            "BuyerDtls.Stcd",
            b.stcd == "96",
            format!("{:?}: an export buyer's state is 96", b.stcd),
        ),
        (
            "BuyerDtls.Pin",
            b.pin == 999_999,
            format!("{}: an export buyer's PIN is 999999", b.pin),
        ),
    ];
    for (field, ok, message) in expected {
        if !ok {
            c.add("EXPORT_BUYER", field, message);
        }
    }
    if e.exp_dtls.is_none() {
        c.add(
            "MISSING_EXPORT_DETAILS",
            "ExpDtls",
            "exports need ExpDtls".to_owned(),
        );
    }
}

/// Section `ShipDtls`: the field table ([`SHIP`]), state, PIN in the
/// state, GSTIN unless URP.
pub(super) fn check_ship_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(sh) = &e.ship_dtls {
        c.fields("ShipDtls", sh, &SHIP);
        c.state("ShipDtls.Stcd", &sh.stcd, false);
        c.pin_state("ShipDtls.Pin", sh.pin, &sh.stcd);
        if sh.gstin != "URP" {
            if let Err(err) = validate_gstin(&sh.gstin, None) {
                c.add("INVALID_GSTIN", "ShipDtls.Gstin", err.to_string());
            }
        }
    }
}

/// Section `DispDtls`: the field table ([`DISP`]), state, PIN in the
/// state.
pub(super) fn check_disp_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(ds) = &e.disp_dtls {
        c.fields("DispDtls", ds, &DISP);
        c.state("DispDtls.Stcd", &ds.stcd, false);
        c.pin_state("DispDtls.Pin", ds.pin, &ds.stcd);
    }
}
