//! Building the payload from a computed invoice ([`to_einvoice`]), in
//! phases: applicability, the overflow bound, parties, items, totals and
//! the other sections; then the validator, which applies the INV-01 field
//! table to what was built.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::checker::too_large;
use super::types::*;
use super::validate_einvoice;
use crate::invoice::types::{DocumentKind, Invoice, Party};
use crate::invoice::InvoiceError;
use crate::money::RoundingMode;
use crate::tax::{RateKind, RateTable, SupplyType};

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn r(x: Decimal, dp: u32) -> Decimal {
    RoundingMode::HalfUp.round(x, dp)
}

fn pin_of(p: &Party, field: &str) -> Result<u32, InvoiceError> {
    p.address
        .pin
        .as_deref()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .ok_or_else(|| InvoiceError::MissingField {
            field: format!("{field}.address.pin"),
            reason: "the e-invoice needs a six-digit PIN".to_owned(),
        })
}

fn party_dtls(p: &Party, field: &str) -> Result<PartyDtls, InvoiceError> {
    let stcd = match &p.gstin {
        Some(g) if g.len() >= 2 => g.get(0..2).unwrap_or_default().to_owned(),
        _ => p.address.state_code.clone(),
    };
    Ok(PartyDtls {
        gstin: p.gstin.clone().unwrap_or_else(|| "URP".to_owned()),
        lgl_nm: p.legal_name.clone(),
        trd_nm: p.trade_name.clone(),
        addr1: p.address.line1.clone(),
        addr2: p.address.line2.clone(),
        loc: p.address.city.clone(),
        pin: pin_of(p, field)?,
        stcd,
    })
}

/// Builds the e-invoice request of a computed tax invoice or note, then
/// validates it ([`validate_einvoice`]) and returns it only when the IRP's
/// rules all hold. Nil-rated, exempt and non-GST lines are left out of
/// `ItemList`; their value goes to `ValDtls.OthChrg`.
pub fn to_einvoice(inv: &Invoice, rates: &RateTable) -> Result<EInvoice, InvoiceError> {
    check_applicable(inv)?;
    check_bounded(inv)?;
    let (seller_dtls, buyer_dtls) = (party_dtls(&inv.seller, "seller")?, buyer_dtls(inv)?);
    let ship_dtls = match &inv.ship_to {
        Some(p) => Some(party_dtls(p, "ship_to")?),
        None => None,
    };
    let disp_dtls = disp_dtls(inv)?;
    let (item_list, other) = item_list(inv);
    let val_dtls = val_dtls(inv, &item_list, other);
    let e = EInvoice {
        version: "1.1".to_owned(),
        tran_dtls: tran_dtls(inv),
        doc_dtls: DocDtls {
            typ: match inv.kind {
                DocumentKind::CreditNote => "CRN",
                DocumentKind::DebitNote => "DBN",
                _ => "INV",
            }
            .to_owned(),
            no: inv.number.clone(),
            dt: dmy(inv.date),
        },
        seller_dtls,
        buyer_dtls,
        disp_dtls,
        ship_dtls,
        item_list,
        val_dtls,
        pay_dtls: Some(pay_dtls(inv)),
        ref_dtls: inv.original.as_ref().map(|o| RefDtls {
            prec_doc_dtls: vec![PrecDocDtls {
                inv_no: o.number.clone(),
                inv_dt: dmy(o.date),
            }],
        }),
        exp_dtls: exp_dtls(inv),
        ewb_dtls: ewb_dtls(inv),
    };
    validate_einvoice(&e, rates)?;
    Ok(e)
}

/// Phase 1: the document has an e-invoice — not a bill of supply, not a
/// supply to an unregistered buyer (B2C).
fn check_applicable(inv: &Invoice) -> Result<(), InvoiceError> {
    let na = |field: &str, reason: &str| InvoiceError::EInvoiceNotApplicable {
        field: field.to_owned(),
        reason: reason.to_owned(),
    };
    if inv.kind == DocumentKind::BillOfSupply {
        return Err(na("kind", "a bill of supply is not e-invoiced"));
    }
    if inv.regime.supply_type == SupplyType::B2c {
        return Err(na(
            "buyer.gstin",
            "supplies to unregistered buyers (B2C) are not e-invoiced",
        ));
    }
    Ok(())
}

/// Phase 2: an `Invoice` may come from JSON rather than from
/// `compute_invoice`: every amount is at most 10^18, so that the sums of
/// the later phases cannot overflow (the field table's maximums are
/// checked by the validator at the end).
fn check_bounded(inv: &Invoice) -> Result<(), InvoiceError> {
    for (i, l) in inv.lines.iter().enumerate() {
        let values = [
            l.quantity,
            l.unit_price,
            l.gross,
            l.discount,
            l.charges,
            l.taxable_value,
            l.cgst,
            l.sgst,
            l.igst,
            l.cess,
            l.cess_non_advol,
            l.state_cess,
            l.state_cess_non_advol,
            l.total,
        ];
        if let Some(v) = values.iter().find(|v| too_large(**v)) {
            return Err(InvoiceError::InvalidValue {
                field: format!("lines[{i}]"),
                value: v.to_string(),
                rule: "amounts of an e-invoice are at most 10^18".to_owned(),
            });
        }
    }
    let t = &inv.totals;
    if let Some(v) = [
        t.charges_after_tax,
        t.round_off,
        t.grand_total,
        t.amount_payable,
    ]
    .iter()
    .find(|v| too_large(**v))
    {
        return Err(InvoiceError::InvalidValue {
            field: "totals".to_owned(),
            value: v.to_string(),
            rule: "amounts of an e-invoice are at most 10^18".to_owned(),
        });
    }
    Ok(())
}

/// Phase 3a: `TranDtls` from the regime.
fn tran_dtls(inv: &Invoice) -> TranDtls {
    TranDtls {
        tax_sch: "GST".to_owned(),
        sup_typ: inv.regime.supply_type.code().to_owned(),
        reg_rev: if inv.reverse_charge { "Y" } else { "N" }.to_owned(),
        ecm_gstin: inv.ecommerce_gstin.clone(),
        igst_on_intra: inv.regime.igst_on_intra.then(|| "Y".to_owned()),
    }
}

/// Phase 3b: `BuyerDtls` — an export buyer is URP in state 96 with PIN
/// 999999; any other buyer carries its GSTIN and the place of supply.
fn buyer_dtls(inv: &Invoice) -> Result<BuyerDtls, InvoiceError> {
    let b = &inv.buyer;
    let export = matches!(
        inv.regime.supply_type,
        SupplyType::Expwp | SupplyType::Expwop
    );
    if export {
        return Ok(BuyerDtls {
            gstin: "URP".to_owned(),
            lgl_nm: b.legal_name.clone(),
            trd_nm: b.trade_name.clone(),
            pos: "96".to_owned(),
            addr1: b.address.line1.clone(),
            addr2: b.address.line2.clone(),
            loc: b.address.city.clone(),
            pin: 999_999,
            stcd: "96".to_owned(),
        });
    }
    let p = party_dtls(b, "buyer")?;
    Ok(BuyerDtls {
        gstin: p.gstin,
        lgl_nm: p.lgl_nm,
        trd_nm: p.trd_nm,
        pos: inv.regime.place_of_supply.clone(),
        addr1: p.addr1,
        addr2: p.addr2,
        loc: p.loc,
        pin: p.pin,
        stcd: p.stcd,
    })
}

/// Phase 3c: `DispDtls` from the dispatch-from party.
fn disp_dtls(inv: &Invoice) -> Result<Option<LocationDtls>, InvoiceError> {
    let Some(p) = &inv.dispatch_from else {
        return Ok(None);
    };
    Ok(Some(LocationDtls {
        nm: p.legal_name.clone(),
        addr1: p.address.line1.clone(),
        addr2: p.address.line2.clone(),
        loc: p.address.city.clone(),
        pin: pin_of(p, "dispatch_from")?,
        stcd: p.address.state_code.clone(),
    }))
}

/// Phase 4: `ItemList` from the taxable lines, each with its one batch;
/// returns the items and the other charges (charges after tax plus the
/// value of the nil-rated, exempt and non-GST lines left out).
fn item_list(inv: &Invoice) -> (Vec<ItemDtls>, Decimal) {
    let mut items = Vec::with_capacity(inv.lines.len());
    let mut other = inv.totals.charges_after_tax;
    for l in &inv.lines {
        if l.kind != RateKind::Taxable {
            other += l.taxable_value;
            continue;
        }
        items.push(ItemDtls {
            sl_no: l.sl_no.to_string(),
            prd_desc: Some(l.description.clone()),
            is_servc: if l.is_service { "Y" } else { "N" }.to_owned(),
            hsn_cd: l.hsn.clone(),
            qty: Some(r(l.quantity, 3)),
            unit: (!l.uqc.is_empty()).then(|| l.uqc.clone()),
            unit_price: r(l.unit_price, 3),
            tot_amt: l.gross + l.charges,
            discount: l.discount,
            ass_amt: l.taxable_value,
            gst_rt: l.gst_rate,
            igst_amt: l.igst,
            cgst_amt: l.cgst,
            sgst_amt: l.sgst,
            ces_rt: l.cess_rate,
            ces_amt: l.cess,
            ces_non_advl_amt: l.cess_non_advol,
            state_ces_rt: l.state_cess_rate,
            state_ces_amt: l.state_cess,
            state_ces_non_advl_amt: l.state_cess_non_advol,
            oth_chrg: Decimal::ZERO,
            tot_item_val: l.total,
            ord_line_ref: l.order_ref.as_ref().map(|o| {
                format!("{}/{}", o.order_id, o.line_id)
                    .chars()
                    .take(50)
                    .collect()
            }),
            bch_dtls: l.batch.as_ref().map(|b| BatchDtls {
                nm: b.name.clone(),
                exp_dt: b.expiry_date.map(dmy),
                wr_dt: b.warranty_date.map(dmy),
            }),
        });
    }
    (items, other)
}

/// Phase 5: `ValDtls` — the sums of the items, the other charges, the
/// invoice's round-off and total, the foreign-currency total of an export.
fn val_dtls(inv: &Invoice, items: &[ItemDtls], other: Decimal) -> ValDtls {
    let sum = |f: fn(&ItemDtls) -> Decimal| items.iter().map(f).sum::<Decimal>();
    ValDtls {
        ass_val: sum(|i| i.ass_amt),
        cgst_val: sum(|i| i.cgst_amt),
        sgst_val: sum(|i| i.sgst_amt),
        igst_val: sum(|i| i.igst_amt),
        ces_val: sum(|i| i.ces_amt + i.ces_non_advl_amt),
        st_ces_val: sum(|i| i.state_ces_amt + i.state_ces_non_advl_amt),
        discount: Decimal::ZERO,
        oth_chrg: other,
        rnd_off_amt: inv.totals.round_off,
        tot_inv_val: inv.totals.grand_total,
        tot_inv_val_fc: inv
            .export
            .as_ref()
            .filter(|e| e.details.currency != "INR")
            .map(|e| e.total_foreign),
    }
}

/// Phase 6a: `PayDtls` — credit days to the last due date, the amount
/// payable.
fn pay_dtls(inv: &Invoice) -> PayDtls {
    PayDtls {
        cr_day: inv
            .due_dates
            .iter()
            .map(|d| (d.date - inv.date).num_days())
            .max()
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(0),
        paid_amt: Decimal::ZERO,
        paymt_due: inv.totals.amount_payable,
    }
}

/// Phase 6b: `ExpDtls` of an export.
fn exp_dtls(inv: &Invoice) -> Option<ExpDtls> {
    inv.export.as_ref().map(|ex| ExpDtls {
        ship_b_no: ex.details.shipping_bill_no.clone(),
        ship_b_dt: ex.details.shipping_bill_date.map(dmy),
        port: ex.details.port_code.clone(),
        ref_clm: Some(
            if inv.regime.supply_type == SupplyType::Expwp {
                "Y"
            } else {
                "N"
            }
            .to_owned(),
        ),
        for_cur: Some(ex.details.currency.clone()),
        cnt_code: ex.details.country_code.clone(),
    })
}

/// Phase 6c: `EwbDtls` from the e-way bill details, as given.
fn ewb_dtls(inv: &Invoice) -> Option<EwbDtls> {
    inv.eway_bill.as_ref().map(|w| EwbDtls {
        trans_id: w.transporter_id.clone(),
        trans_name: w.transporter_name.clone(),
        distance: w.distance_km,
        trans_mode: w.mode.clone(),
        trans_doc_no: w.transport_doc_no.clone(),
        trans_doc_dt: w.transport_doc_date.map(dmy),
        veh_no: w.vehicle_no.clone(),
        veh_type: w.vehicle_type.clone(),
    })
}

/// The e-invoice as compact JSON text, written in one pre-sized buffer.
pub fn einvoice_json(e: &EInvoice) -> Result<String, InvoiceError> {
    let mut buf = Vec::with_capacity(1024 + 384 * e.item_list.len());
    serde_json::to_writer(&mut buf, e).map_err(|err| InvoiceError::Unsupported {
        field: "einvoice".to_owned(),
        reason: format!("cannot serialize: {err}"),
    })?;
    String::from_utf8(buf).map_err(|err| InvoiceError::Unsupported {
        field: "einvoice".to_owned(),
        reason: format!("not UTF-8: {err}"),
    })
}
