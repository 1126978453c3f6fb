//! The event of an issued document: `invoice_issued`, `credit_note_issued`
//! or `debit_note_issued`, with what a buyer notification needs (lines,
//! totals, due dates, the original of a note), so a host writes to the
//! buyer without looking anything up.
//!
//! Decisions: a document is its own aggregate (kind `invoice`, id its
//! number, sequence 1), since it never changes once issued; the event's
//! instant is the input's `issued_at`, or the document date at 00:00 IST
//! when the host gives none (the core has no clock).

use chrono::{DateTime, FixedOffset, NaiveTime};

use super::types::{DocumentKind, Invoice};
use crate::events::{AggregateKind, DomainEvent, EventInvoiceLine, EventPayload};
use crate::money::Money;

/// India Standard Time, UTC+05:30.
const IST_SECONDS: i32 = 5 * 3600 + 30 * 60;

/// The instant of a document's event: `issued_at`, else its date at 00:00
/// IST.
pub(crate) fn issued_instant(
    inv: &Invoice,
    issued_at: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    if issued_at.is_some() {
        return issued_at;
    }
    let ist = FixedOffset::east_opt(IST_SECONDS)?;
    inv.date
        .and_time(NaiveTime::MIN)
        .and_local_timezone(ist)
        .single()
}

fn inr(amount: rust_decimal::Decimal) -> Money {
    Money {
        amount,
        currency: "INR".to_owned(),
    }
}

/// The event announcing `inv`, dated `at`.
pub fn issued_event(inv: &Invoice, at: DateTime<FixedOffset>) -> DomainEvent {
    let lines: Vec<EventInvoiceLine> = inv
        .lines
        .iter()
        .map(|l| EventInvoiceLine {
            sl_no: l.sl_no,
            description: l.description.clone(),
            hsn: l.hsn.clone(),
            quantity: l.quantity,
            uqc: l.uqc.clone(),
            taxable_value: l.taxable_value,
            total: l.total,
            order_line: l
                .order_ref
                .as_ref()
                .map(|r| format!("{}/{}", r.order_id, r.line_id)),
        })
        .collect();
    let buyer_name = inv.buyer.legal_name.clone();
    let buyer_gstin = inv.buyer.gstin.clone();
    let original_number = inv
        .original
        .as_ref()
        .map(|o| o.number.clone())
        .unwrap_or_default();
    let payload = match inv.kind {
        DocumentKind::TaxInvoice | DocumentKind::BillOfSupply => {
            let mut order_ids: Vec<String> = Vec::new();
            for r in inv.lines.iter().filter_map(|l| l.order_ref.as_ref()) {
                if !order_ids.contains(&r.order_id) {
                    order_ids.push(r.order_id.clone());
                }
            }
            EventPayload::InvoiceIssued {
                number: inv.number.clone(),
                title: inv.title.clone(),
                date: inv.date,
                buyer_name,
                buyer_gstin,
                order_ids,
                lines,
                grand_total: inr(inv.totals.grand_total),
                amount_payable: inr(inv.totals.amount_payable),
                due_dates: inv.due_dates.clone(),
            }
        }
        DocumentKind::CreditNote => EventPayload::CreditNoteIssued {
            number: inv.number.clone(),
            date: inv.date,
            original_number,
            buyer_name,
            buyer_gstin,
            lines,
            grand_total: inr(inv.totals.grand_total),
        },
        DocumentKind::DebitNote => EventPayload::DebitNoteIssued {
            number: inv.number.clone(),
            date: inv.date,
            original_number,
            buyer_name,
            buyer_gstin,
            lines,
            grand_total: inr(inv.totals.grand_total),
        },
    };
    DomainEvent {
        aggregate_kind: AggregateKind::Invoice,
        aggregate_id: inv.number.clone(),
        sequence: 1,
        at,
        payload,
    }
}
