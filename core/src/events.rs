//! Domain events returned by every state transition.
//!
//! A transition never publishes anything itself: it returns its events with
//! the new value, and the host delivers them (email, webhook, push). Each
//! event names its aggregate (a quote, an approval instance, an order, a
//! customer's credit account), carries a per-aggregate sequence number so
//! the host can detect gaps or replays, the instant passed in as "now", and
//! a payload rich enough to write to the buyer without another lookup.
//!
//! Decisions where the spec is silent:
//! - sequence numbers start at 1 per aggregate and are stored on the
//!   aggregate value (`next_event_seq`), so a rejected command consumes none;
//! - credit-hold events use the order as aggregate (the credit account has
//!   no state of its own in the library).
//!
//! Fulfilment's events are events like the others: a shipment's
//! transitions (picked, QC recorded, packed, dispatched, carrier status,
//! delivered, returned, cancelled) belong to the aggregate kind `shipment`,
//! numbered by the shipment's `last_sequence`; the allocation plan's
//! `allocation_planned` belongs to its order, numbered by the host's
//! `event_sequence` (the order's next number). Fulfilment commands take UTC
//! instants, so their events' `at` is UTC (written `…Z`).
//! Dispatch, carrier status, delivery and return are for the buyer;
//! `shipment_dispatched` carries the customer and the lines (sku, base
//! quantity and unit, batches), so a host can tell the buyer without a
//! lookup.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::customer::{Inquiry, QuoteRequestDraft};
use crate::money::Money;

/// Which kind of aggregate an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum AggregateKind {
    /// A quote (all its revisions).
    Quote,
    /// An approval instance.
    Approval,
    /// An order.
    Order,
    /// An inquiry (lead).
    Inquiry,
    /// An invoice, credit note or debit note (each document its own
    /// aggregate: it never changes once issued).
    Invoice,
    /// A shipment (picked, packed, dispatched, delivered, returned or
    /// cancelled). The allocation plan's event belongs to its order.
    Shipment,
}

/// One domain event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainEvent {
    /// Kind of the aggregate.
    pub aggregate_kind: AggregateKind,
    /// Id of the aggregate (quote, approval instance or order id).
    pub aggregate_id: String,
    /// 1, 2, 3… per aggregate.
    pub sequence: u64,
    /// The "now" of the command that produced it.
    pub at: DateTime<FixedOffset>,
    /// What happened.
    pub payload: EventPayload,
}

/// A quoted line as shown in a buyer notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventLine {
    /// Line id.
    pub line_id: String,
    /// The sku.
    pub sku: String,
    /// Product name.
    pub name: String,
    /// Quantity in `unit`.
    pub quantity: Decimal,
    /// Unit.
    pub unit: String,
    /// Net unit price.
    pub unit_price: Decimal,
    /// Line amount before tax.
    pub amount: Decimal,
}

/// An invoiced line as shown in a buyer notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInvoiceLine {
    /// Serial number on the document.
    pub sl_no: usize,
    /// Description.
    pub description: String,
    /// HSN or SAC.
    pub hsn: String,
    /// Quantity in `uqc`.
    pub quantity: Decimal,
    /// Unit (GST UQC).
    pub uqc: String,
    /// Taxable value.
    pub taxable_value: Decimal,
    /// Line total with tax.
    pub total: Decimal,
    /// The order line it invoices, when it references one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_line: Option<String>,
}

/// A step someone must act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventStep {
    /// Step id.
    pub step_id: String,
    /// Role that must approve.
    pub role: String,
    /// Approvals needed.
    pub count: u32,
    /// Deadline, when the policy sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<FixedOffset>>,
}

/// The payload of an event, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventPayload {
    /// A quote revision was issued to the buyer.
    QuoteIssued {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Revision issued.
        revision: u32,
        /// Lines quoted.
        lines: Vec<EventLine>,
        /// Grand total including estimated GST.
        grand_total: Money,
        /// Valid until.
        valid_until: DateTime<FixedOffset>,
        /// Content digest (hex SHA-256).
        digest: String,
    },
    /// A new revision was created.
    QuoteRevised {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// New revision number.
        revision: u32,
        /// Parent revision.
        parent: u32,
        /// `seller` or `buyer`.
        author: String,
        /// Readable summary of what changed.
        summary: Vec<String>,
    },
    /// The buyer accepted (all or part of) the latest revision.
    QuoteAccepted {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Revision accepted.
        revision: u32,
        /// Acceptance number on this quote.
        acceptance: u32,
        /// Who accepted.
        accepted_by: String,
        /// Lines and quantities accepted.
        lines: Vec<EventLine>,
        /// Accepted value before tax: after the order discount, with the
        /// shipping share (what the order converted from it says).
        total_before_tax: Money,
        /// Whether quantities remain open on the quote.
        remainder_open: bool,
    },
    /// The buyer declined.
    QuoteDeclined {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Reason kind (`price`, `lead_time`, `competitor`, `other`).
        reason: String,
        /// Buyer's note.
        note: String,
    },
    /// The quote passed its validity.
    QuoteExpired {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Valid until.
        valid_until: DateTime<FixedOffset>,
    },
    /// The seller withdrew the quote.
    QuoteWithdrawn {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Why.
        reason: String,
    },
    /// An acceptance became an order.
    QuoteConverted {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Acceptance converted.
        acceptance: u32,
        /// The order.
        order_id: String,
        /// Lines and quantities converted.
        lines: Vec<EventLine>,
        /// Converted value before tax: the order's `total_before_tax`.
        total_before_tax: Money,
    },
    /// A lead (inquiry) was captured.
    InquiryCaptured {
        /// Inquiry id.
        inquiry_id: String,
        /// Company.
        company: String,
        /// Contact email, when given.
        email: Option<String>,
        /// Segment it was classified into, when classified.
        segment: Option<String>,
        /// Requested items matched to skus, e.g. `100 TSHIRT-M`.
        matched: Vec<String>,
        /// Requested items that need a person to match them (descriptions).
        unmatched: Vec<String>,
        /// When the goods are needed.
        needed_by: Option<NaiveDate>,
    },
    /// A draft quote was built (revision 1).
    QuoteDrafted {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Lines quoted.
        lines: Vec<EventLine>,
        /// Requested lines that could not be quoted (field paths).
        unquoted: Vec<String>,
        /// Grand total including estimated GST.
        grand_total: Money,
        /// Valid until.
        valid_until: DateTime<FixedOffset>,
    },
    /// A quote revision was sent for approval.
    QuoteSubmitted {
        /// Quote id.
        quote_id: String,
        /// Customer id.
        customer_id: String,
        /// Revision submitted.
        revision: u32,
        /// The approval instance, when one was started.
        approval_instance_id: Option<String>,
    },
    /// The requester withdrew an approval request.
    ApprovalWithdrawn {
        /// Approval instance id.
        instance_id: String,
        /// The quote or order.
        subject_id: String,
        /// Who withdrew (the requester).
        requester: String,
        /// Why.
        reason: String,
    },
    /// An approval instance expired (a step's deadline passed).
    ApprovalExpired {
        /// Approval instance id.
        instance_id: String,
        /// The quote or order.
        subject_id: String,
        /// The late step.
        step_id: String,
        /// Its deadline.
        deadline: Option<DateTime<FixedOffset>>,
    },
    /// An approver delegated a role for a window.
    ApprovalDelegated {
        /// Approval instance id.
        instance_id: String,
        /// The quote or order.
        subject_id: String,
        /// Who delegated.
        from: String,
        /// To whom.
        to: String,
        /// The role.
        role: String,
        /// From (inclusive).
        valid_from: DateTime<FixedOffset>,
        /// Until (exclusive).
        valid_until: DateTime<FixedOffset>,
    },
    /// Approval is needed: who must act.
    ApprovalRequested {
        /// Approval instance id.
        instance_id: String,
        /// The quote or order being approved.
        subject_id: String,
        /// Who asked.
        requester: String,
        /// The level now open.
        level: u32,
        /// Steps of that level still needing approvals.
        steps: Vec<EventStep>,
    },
    /// An approver approved; `instance_approved` when it was the last needed.
    ApprovalGranted {
        /// Approval instance id.
        instance_id: String,
        /// The quote or order.
        subject_id: String,
        /// Step approved.
        step_id: String,
        /// Who approved.
        approver: String,
        /// Whether the whole instance is now approved.
        instance_approved: bool,
    },
    /// An approver rejected.
    ApprovalRejected {
        /// Approval instance id.
        instance_id: String,
        /// The quote or order.
        subject_id: String,
        /// Step rejected.
        step_id: String,
        /// Who rejected.
        approver: String,
        /// Why.
        reason: String,
        /// Whether it went back to the requester for revision.
        returned_for_revision: bool,
    },
    /// An order was confirmed.
    OrderConfirmed {
        /// Order id.
        order_id: String,
        /// Customer id.
        customer_id: String,
        /// Buyer's PO number.
        po_number: Option<String>,
        /// Lines.
        lines: Vec<EventLine>,
        /// Total before tax.
        total_before_tax: Money,
        /// Advance the buyer must pay before dispatch.
        advance_due: Money,
        /// Requested delivery date.
        requested_date: Option<NaiveDate>,
    },
    /// An order was amended.
    OrderAmended {
        /// Order id.
        order_id: String,
        /// Customer id.
        customer_id: String,
        /// Readable changes.
        changes: Vec<String>,
        /// New total before tax.
        total_before_tax: Money,
    },
    /// Lines or the whole order were cancelled.
    OrderCancelled {
        /// Order id.
        order_id: String,
        /// Customer id.
        customer_id: String,
        /// Why.
        reason: String,
        /// Quantities cancelled per line id.
        lines: Vec<EventLine>,
        /// Allocated quantities released per line id (for reservations).
        released: Vec<EventLine>,
    },
    /// An order was closed short or after completion.
    OrderClosed {
        /// Order id.
        order_id: String,
        /// Customer id.
        customer_id: String,
    },
    /// An allocation plan was made for an order.
    AllocationPlanned {
        /// Order.
        order_id: String,
        /// Warehouses shipping, in plan order.
        warehouses: Vec<String>,
        /// Lines with a backordered quantity.
        backordered_lines: Vec<String>,
        /// Whether every line is allocated in full.
        fully_allocated: bool,
    },
    /// Picking finished.
    ShipmentPicked {
        /// Order.
        order_id: String,
    },
    /// QC results recorded; failed quantities go back to allocation.
    QcRecorded {
        /// Order.
        order_id: String,
        /// Quantities returned to allocation.
        returned: Vec<crate::fulfilment::ReturnedQuantity>,
    },
    /// Packing finished.
    ShipmentPacked {
        /// Order.
        order_id: String,
        /// Number of packages.
        packages: usize,
    },
    /// Handed to the carrier; reservations consumed. Carries the customer
    /// and the lines so a host can tell the buyer without a lookup.
    ShipmentDispatched {
        /// Order.
        order_id: String,
        /// The order's customer (empty for a shipment made before plans
        /// carried it).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        customer_id: String,
        /// The lines dispatched.
        #[serde(default)]
        lines: Vec<crate::fulfilment::DispatchedLine>,
        /// Carrier.
        carrier: String,
        /// Tracking / AWB number.
        tracking_number: String,
        /// Vehicle number, if any.
        vehicle_number: Option<String>,
    },
    /// The carrier reported a status.
    CarrierStatusUpdated {
        /// Order.
        order_id: String,
        /// Carrier's status text or code.
        status: String,
    },
    /// Delivered to the consignee.
    ShipmentDelivered {
        /// Order.
        order_id: String,
    },
    /// Came back (refused, undeliverable, returned).
    ShipmentReturned {
        /// Order.
        order_id: String,
        /// Why.
        reason: String,
    },
    /// Cancelled before dispatch; reservations released.
    ShipmentCancelled {
        /// Order.
        order_id: String,
        /// Why.
        reason: String,
    },
    /// A tax invoice or bill of supply was issued.
    InvoiceIssued {
        /// Invoice number.
        number: String,
        /// Its title ("Tax Invoice", "Bill of Supply", …).
        title: String,
        /// Invoice date.
        date: NaiveDate,
        /// Buyer's legal name.
        buyer_name: String,
        /// Buyer's GSTIN (unregistered buyers have none).
        buyer_gstin: Option<String>,
        /// The orders its lines invoice, in first-line order.
        order_ids: Vec<String>,
        /// Lines.
        lines: Vec<EventInvoiceLine>,
        /// Grand total (INR).
        grand_total: Money,
        /// What the buyer pays the seller (less tax under reverse charge).
        amount_payable: Money,
        /// When it is due (advances marked).
        due_dates: Vec<crate::invoice::DueDate>,
    },
    /// A credit note was issued against an invoice.
    CreditNoteIssued {
        /// Note number.
        number: String,
        /// Note date.
        date: NaiveDate,
        /// The invoice it credits.
        original_number: String,
        /// Buyer's legal name.
        buyer_name: String,
        /// Buyer's GSTIN.
        buyer_gstin: Option<String>,
        /// Lines credited.
        lines: Vec<EventInvoiceLine>,
        /// Amount credited with tax (INR).
        grand_total: Money,
    },
    /// A debit note was issued against an invoice.
    DebitNoteIssued {
        /// Note number.
        number: String,
        /// Note date.
        date: NaiveDate,
        /// The invoice it adds to.
        original_number: String,
        /// Buyer's legal name.
        buyer_name: String,
        /// Buyer's GSTIN.
        buyer_gstin: Option<String>,
        /// Lines debited.
        lines: Vec<EventInvoiceLine>,
        /// Amount debited with tax (INR).
        grand_total: Money,
    },
    /// The customer's credit blocks this order.
    CreditHold {
        /// Order id.
        order_id: String,
        /// Customer id.
        customer_id: String,
        /// Exposure after this order.
        exposure: Money,
        /// The limit (with tolerance).
        limit: Money,
        /// Amount over the limit (zero when on hold regardless).
        over_by: Money,
        /// Whether the customer is on hold regardless of amounts.
        on_hold: bool,
    },
}

/// Who an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Worth telling the buyer (a quote issued, an order confirmed, an
    /// invoice issued, …).
    Buyer,
    /// The seller's own workflow (drafts, approvals, credit holds).
    Seller,
}

impl EventPayload {
    /// Whether the buyer is to be told of this event or it stays inside the
    /// seller (approvals, drafts and credit holds are the seller's own).
    pub fn audience(&self) -> Audience {
        match self {
            Self::QuoteIssued { .. }
            | Self::QuoteAccepted { .. }
            | Self::QuoteDeclined { .. }
            | Self::QuoteExpired { .. }
            | Self::QuoteWithdrawn { .. }
            | Self::QuoteConverted { .. }
            | Self::OrderConfirmed { .. }
            | Self::OrderAmended { .. }
            | Self::OrderCancelled { .. }
            | Self::OrderClosed { .. }
            | Self::InvoiceIssued { .. }
            | Self::CreditNoteIssued { .. }
            | Self::DebitNoteIssued { .. }
            | Self::ShipmentDispatched { .. }
            | Self::CarrierStatusUpdated { .. }
            | Self::ShipmentDelivered { .. }
            | Self::ShipmentReturned { .. } => Audience::Buyer,
            Self::InquiryCaptured { .. }
            | Self::QuoteDrafted { .. }
            | Self::QuoteSubmitted { .. }
            | Self::QuoteRevised { .. }
            | Self::ApprovalRequested { .. }
            | Self::ApprovalGranted { .. }
            | Self::ApprovalRejected { .. }
            | Self::ApprovalDelegated { .. }
            | Self::ApprovalWithdrawn { .. }
            | Self::ApprovalExpired { .. }
            | Self::CreditHold { .. }
            | Self::AllocationPlanned { .. }
            | Self::ShipmentPicked { .. }
            | Self::QcRecorded { .. }
            | Self::ShipmentPacked { .. }
            | Self::ShipmentCancelled { .. } => Audience::Seller,
        }
    }
}

/// Builds events for one aggregate with consecutive sequence numbers.
#[derive(Debug)]
pub(crate) struct Emitter {
    kind: AggregateKind,
    id: String,
    next: u64,
    at: DateTime<FixedOffset>,
    pub(crate) events: Vec<DomainEvent>,
}

impl Emitter {
    pub(crate) fn new(kind: AggregateKind, id: &str, next: u64, at: DateTime<FixedOffset>) -> Self {
        Self {
            kind,
            id: id.to_owned(),
            next,
            at,
            events: Vec::new(),
        }
    }

    pub(crate) fn emit(&mut self, payload: EventPayload) {
        self.events.push(DomainEvent {
            aggregate_kind: self.kind,
            aggregate_id: self.id.clone(),
            sequence: self.next,
            at: self.at,
            payload,
        });
        self.next = self.next.saturating_add(1);
    }

    /// The next sequence number to store on the aggregate.
    pub(crate) fn next_seq(&self) -> u64 {
        self.next
    }
}

/// The `InquiryCaptured` event of a lead (sequence 1 of the inquiry),
/// with its matched and unmatched items when the inquiry was turned into a
/// quote-request draft, and its segment when classified.
pub fn inquiry_captured(
    inquiry: &Inquiry,
    draft: Option<&QuoteRequestDraft>,
    segment: Option<&str>,
    now: DateTime<FixedOffset>,
) -> DomainEvent {
    let (matched, unmatched) = match draft {
        Some(d) => (
            d.lines
                .iter()
                .map(|l| match &l.unit {
                    Some(u) => format!("{} {} {}", l.quantity.normalize(), u, l.sku),
                    None => format!("{} {}", l.quantity.normalize(), l.sku),
                })
                .collect(),
            d.unmatched.iter().map(|u| u.description.clone()).collect(),
        ),
        None => (
            Vec::new(),
            inquiry
                .lines
                .iter()
                .map(|l| {
                    l.description
                        .clone()
                        .or_else(|| l.sku.clone())
                        .unwrap_or_default()
                })
                .collect(),
        ),
    };
    DomainEvent {
        aggregate_kind: AggregateKind::Inquiry,
        aggregate_id: inquiry.id.clone(),
        sequence: 1,
        at: now,
        payload: EventPayload::InquiryCaptured {
            inquiry_id: inquiry.id.clone(),
            company: inquiry.company.clone(),
            email: inquiry.email.clone(),
            segment: segment.map(str::to_owned),
            matched,
            unmatched,
            needed_by: inquiry.needed_by,
        },
    }
}
