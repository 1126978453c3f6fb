//! The host API: one list of operations that every embedding calls — the
//! CLI, the Python, Node and mobile bindings, and Rust hosts.
//!
//! Each operation takes one input document of the JSON format and returns
//! one output document, or a [`HostError`] with a stable code, its
//! [`Family`], the field path and structured details. [`call`] runs an
//! operation by name on JSON text (compact JSON out); [`ops`] has the same
//! operations typed, and the compiled handles ([`Catalog`](crate::catalog::Catalog),
//! [`PriceBook`](crate::pricing::PriceBook), [`Classifier`](crate::customer::Classifier),
//! [`ApprovalPolicy`](crate::approval::ApprovalPolicy),
//! [`ReservationLedger`](crate::inventory::ReservationLedger)) are built
//! once and shared between threads (all are `Send + Sync`).
//!
//! Bindings keep no rule of their own: they convert native values to these
//! documents and back ([`shape`] says where the decimals, dates and
//! instants are), map the [`Family`] of an error to an exception class
//! ([`CODES`] lists every code once), and call these operations.
//!
//! ## The operations
//!
//! Every operation, its input and output document (type names of the JSON
//! Schema) and the families of the errors it returns (the codes of each
//! family are listed in [`CODES`]). A test keeps this table equal to
//! [`Operation::ALL`].
//!
//! | operation | input | output | error families |
//! |---|---|---|---|
//! | `price_order` | `PriceOrderInput` | `PricedOrder` | input, pricing |
//! | `price_orders` | `PriceOrdersInput` | `PricedOrders` | input, pricing |
//! | `catalog_validate` | `CatalogValidateInput` | `CatalogSummary` | input, pricing |
//! | `catalog_view` | `CatalogViewInput` | `Array_of_CatalogEntryView` | input, pricing |
//! | `classify` | `ClassifyInput` | `ClassifyOutput` | input, pricing, approval |
//! | `quote_build` | `QuoteBuildInput` | `Quote` | input, pricing, quote, tax |
//! | `quote_revise` | `QuoteReviseInput` | `QuoteTransition` | input, pricing, quote |
//! | `quote_submit` | `QuoteSubmitInput` | `QuoteApproval` | input, quote, approval |
//! | `quote_issue` | `QuoteIssueInput` | `QuoteTransition` | input, quote, approval |
//! | `quote_accept` | `QuoteAcceptInput` | `QuoteTransition` | input, pricing, quote, approval |
//! | `quote_buyer_submit` | `QuoteBuyerSubmitInput` | `ApprovalTransition` | input, quote, approval |
//! | `quote_decline` | `QuoteDeclineInput` | `QuoteTransition` | input, quote |
//! | `quote_withdraw` | `QuoteWithdrawInput` | `QuoteTransition` | input, quote |
//! | `quote_expire` | `QuoteExpireInput` | `QuoteTransition` | input, quote |
//! | `quote_diff` | `QuoteDiffInput` | `RevisionDiff` | input, quote |
//! | `quote_convert` | `ConvertInput` | `Converted` | input, quote, order, credit |
//! | `approval_plan` | `PlanInput` | `ApprovalPlan` | input, approval |
//! | `approval_start` | `StartInput` | `ApprovalTransition` | input, approval |
//! | `approval_decide` | `DecideInput` | `ApprovalTransition` | input, approval |
//! | `order_approval_plan` | `OrderPlanInput` | `ApprovalPlan` | input, order, approval |
//! | `order_credit_check` | `OrderCreditInput` | `CreditCheck` | input, order, credit |
//! | `order_submit` | `OrderSubmitInput` | `OrderApproval` | input, order, approval |
//! | `order_confirm` | `OrderConfirmInput` | `OrderTransition` | input, order, approval, credit |
//! | `order_amend` | `OrderAmendInput` | `OrderTransition` | input, pricing, order |
//! | `order_cancel` | `OrderCancelInput` | `OrderTransition` | input, order |
//! | `order_close` | `OrderCloseInput` | `OrderTransition` | input, order |
//! | `order_apply_plan` | `OrderApplyPlanInput` | `Order` | input, order, allocation |
//! | `order_apply_dispatch` | `OrderApplyDispatchInput` | `Order` | input, order, allocation |
//! | `terms_schedule` | `ScheduleInput` | `Schedule` | input, credit |
//! | `credit_check` | `CreditCheckInput` | `CreditCheck` | input, credit |
//! | `allocate` | `AllocationInput` | `AllocationOutcome` | input, allocation |
//! | `ship` | `ShipInput` | `ShipOutput` | input, allocation, tax |
//! | `shipment_transition` | `TransitionInput` | `ShipmentTransition` | input, allocation |
//! | `shipment_documents` | `DocumentsInput` | `ShipmentDocuments` | input, allocation, tax |
//! | `ledger_reserve` | `LedgerCommandInput` | `LedgerState` | input, allocation |
//! | `ledger_release` | `LedgerCommandInput` | `LedgerState` | input, allocation |
//! | `ledger_consume` | `LedgerCommandInput` | `LedgerState` | input, allocation |
//! | `ledger_quarantine` | `LedgerCommandInput` | `LedgerState` | input, allocation |
//! | `invoice` | `InvoiceRequest` | `Invoice` | input, tax, invoice |
//! | `invoice_from_order` | `InvoiceFromOrderInput` | `InvoiceFromOrder` | input, tax, invoice |
//! | `credit_note` | `InvoiceRequest` | `Invoice` | input, tax, invoice |
//! | `debit_note` | `InvoiceRequest` | `Invoice` | input, tax, invoice |
//! | `einvoice` | `InvoiceRequest` | `EInvoiceReport` | input, tax, invoice |
//! | `einvoice_validate` | `ValidateEInvoiceRequest` | `Array_of_Violation` | input, tax, invoice |
//! | `gstin` | `GstinRequest` | `GstinInfo` | input, tax |
//! | `words` | `WordsRequest` | `WordsResponse` | input, invoice |
//! | `number` | `NumberRequest` | `NumberResponse` | input, invoice |
//!
//! ```
//! use b2b_oms::host;
//!
//! let out = host::call("gstin", r#"{"gstin": "27AAPFU0939F1ZV"}"#).unwrap();
//! assert!(out.contains(r#""state_code":"27""#));
//!
//! let err = host::call("words", r#"{"amount": 12.5, "currency": "XXX"}"#).unwrap_err();
//! assert_eq!(err.code, "UNKNOWN_CURRENCY");
//! assert_eq!(err.family, host::Family::Input);
//! ```

pub mod canonical;
pub mod docs;
mod error;
pub mod ops;
pub mod precision;
pub mod shape;

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use docs::*;
pub use error::{family_of, CodeInfo, Family, HostError, CODES};

use crate::json::from_json;
use crate::{approval, credit, fulfilment, invoice, order, quote};

/// The default maximum size of one input document: 32 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;

/// Limits of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallOptions {
    /// The largest input document accepted, in bytes (`DOCUMENT_TOO_LARGE`
    /// past it); [`DEFAULT_MAX_DOCUMENT_BYTES`] by default.
    pub max_document_bytes: usize,
}

impl Default for CallOptions {
    fn default() -> Self {
        CallOptions {
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// Refuses a document past `max` bytes, before reading it.
pub fn check_size(text: &str, max: usize) -> Result<(), HostError> {
    if text.len() > max {
        return Err(HostError::new(
            "DOCUMENT_TOO_LARGE",
            Some(".".into()),
            format!("the document has {} bytes; the limit is {max}", text.len()),
        )
        .with_detail("size", text.len().into())
        .with_detail("limit", max.into()));
    }
    Ok(())
}

fn run_typed<I, O>(text: &str, f: fn(&I) -> Result<O, HostError>) -> Result<String, HostError>
where
    I: DeserializeOwned,
    O: Serialize,
{
    let input: I = from_json(text)?;
    let output = f(&input)?;
    serde_json::to_string(&output)
        .map_err(|e| HostError::internal(format!("cannot write the result: {e}")))
}

macro_rules! operations {
    ($($variant:ident $name:literal ($input:ty => $output:ty) $func:path, [$($family:ident),*], $summary:literal;)*) => {
        /// Every host operation (see the table in the module doc).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $(#[doc = $summary] $variant,)*
        }

        impl Operation {
            /// Every operation, in the order of the table.
            pub const ALL: &'static [Operation] = &[$(Operation::$variant),*];

            /// The operation's name (`price_order`).
            pub fn name(self) -> &'static str {
                match self { $(Operation::$variant => $name,)* }
            }

            /// What it does, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Operation::$variant => $summary,)* }
            }

            /// The families of the errors it can return.
            pub fn families(self) -> &'static [Family] {
                match self { $(Operation::$variant => &[$(Family::$family),*],)* }
            }

            /// The JSON Schema of its input document.
            pub fn input_schema(self) -> schemars::Schema {
                match self { $(Operation::$variant => schemars::schema_for!($input),)* }
            }

            /// The JSON Schema of its output document.
            pub fn output_schema(self) -> schemars::Schema {
                match self { $(Operation::$variant => schemars::schema_for!($output),)* }
            }

            fn run(self, text: &str) -> Result<String, HostError> {
                match self { $(Operation::$variant => run_typed::<$input, $output>(text, $func),)* }
            }
        }
    };
}

operations! {
    PriceOrder "price_order" (PriceOrderInput => crate::pricing::PricedOrder) ops::price_order,
        [Input, Pricing], "Prices one order, cart or quote request: lines, waterfall, MOQ problems, totals.";
    PriceOrders "price_orders" (PriceOrdersInput => PricedOrders) ops::price_orders,
        [Input, Pricing], "Prices many orders against one book over the machine's cores, each result in its place.";
    CatalogValidate "catalog_validate" (CatalogValidateInput => CatalogSummary) ops::catalog_validate,
        [Input, Pricing], "Validates a catalog, reporting every problem at once.";
    CatalogView "catalog_view" (CatalogViewInput => Vec<crate::pricing::CatalogEntryView>) ops::catalog_view,
        [Input, Pricing], "The catalog as one customer sees it, with prices at each product's MOQ.";
    Classify "classify" (ClassifyInput => ClassifyOutput) ops::classify,
        [Input, Pricing, Approval], "Classifies an inquiry into a segment; drafts the quote request.";
    QuoteBuild "quote_build" (quote::QuoteBuildInput => quote::Quote) ops::quote_build,
        [Input, Pricing, Quote, Tax], "Builds a draft quote: priced lines, GST estimate, validity, terms.";
    QuoteRevise "quote_revise" (quote::QuoteReviseInput => quote::QuoteTransition) ops::quote_revise,
        [Input, Pricing, Quote], "A new revision: seller overrides, buyer counters.";
    QuoteSubmit "quote_submit" (quote::QuoteSubmitInput => quote::QuoteApproval) ops::quote_submit,
        [Input, Quote, Approval], "Sends a quote for approval: the plan from the quote, the instance.";
    QuoteIssue "quote_issue" (quote::QuoteIssueInput => quote::QuoteTransition) ops::quote_issue,
        [Input, Quote, Approval], "Issues the approved quote, sealed.";
    QuoteAccept "quote_accept" (quote::QuoteAcceptInput => quote::QuoteTransition) ops::quote_accept,
        [Input, Pricing, Quote, Approval], "Accepts all or some lines; the seal is checked, and the buyer's approval under a buyer policy.";
    QuoteBuyerSubmit "quote_buyer_submit" (quote::QuoteBuyerSubmitInput => approval::ApprovalTransition) ops::quote_buyer_submit,
        [Input, Quote, Approval], "Starts the buyer organisation's approval of an issued revision.";
    QuoteDecline "quote_decline" (quote::QuoteDeclineInput => quote::QuoteTransition) ops::quote_decline,
        [Input, Quote], "Declines a quote with a reason.";
    QuoteWithdraw "quote_withdraw" (quote::QuoteWithdrawInput => quote::QuoteTransition) ops::quote_withdraw,
        [Input, Quote], "Withdraws a quote with a reason.";
    QuoteExpire "quote_expire" (quote::QuoteExpireInput => quote::QuoteTransition) ops::quote_expire,
        [Input, Quote], "Expires a quote past its validity.";
    QuoteDiff "quote_diff" (quote::QuoteDiffInput => quote::RevisionDiff) ops::quote_diff,
        [Input, Quote], "What changed between two revisions.";
    QuoteConvert "quote_convert" (order::ConvertInput => order::Converted) ops::quote_convert,
        [Input, Quote, Order, Credit], "Converts an accepted quote to an order: price lock, PO, terms.";
    ApprovalPlan "approval_plan" (approval::PlanInput => approval::ApprovalPlan) ops::approval_plan,
        [Input, Approval], "The plan a policy makes, with triggering rules and fact values.";
    ApprovalStart "approval_start" (approval::StartInput => approval::ApprovalTransition) ops::approval_start,
        [Input, Approval], "Starts an approval instance (carrying over unchanged steps).";
    ApprovalDecide "approval_decide" (approval::DecideInput => approval::ApprovalTransition) ops::approval_decide,
        [Input, Approval], "Approve, reject, delegate, withdraw or expire.";
    OrderApprovalPlan "order_approval_plan" (order::OrderPlanInput => approval::ApprovalPlan) ops::order_approval_plan,
        [Input, Order, Approval], "The seller's approval plan for an order, facts computed from it.";
    OrderCreditCheck "order_credit_check" (order::OrderCreditInput => credit::CreditCheck) ops::order_credit_check,
        [Input, Order, Credit], "The order's exposure against the customer's credit limit.";
    OrderSubmit "order_submit" (OrderSubmitInput => order::OrderApproval) ops::order_submit,
        [Input, Order, Approval], "Sends an order for approval: the plan from the order, the bound instance.";
    OrderConfirm "order_confirm" (OrderConfirmInput => order::OrderTransition) ops::order_confirm,
        [Input, Order, Approval, Credit], "Confirms an order with its approved instance and credit check.";
    OrderAmend "order_amend" (OrderAmendInput => order::OrderTransition) ops::order_amend,
        [Input, Pricing, Order], "Amends quantities, delivery or PO before allocation.";
    OrderCancel "order_cancel" (OrderCancelInput => order::OrderTransition) ops::order_cancel,
        [Input, Order], "Cancels quantities, or everything not shipped.";
    OrderClose "order_close" (OrderCloseInput => order::OrderTransition) ops::order_close,
        [Input, Order], "Closes a fully shipped and invoiced order.";
    OrderApplyPlan "order_apply_plan" (OrderApplyPlanInput => order::Order) ops::order_apply_plan,
        [Input, Order, Allocation], "Records an allocation plan's quantities on the order.";
    OrderApplyDispatch "order_apply_dispatch" (OrderApplyDispatchInput => order::Order) ops::order_apply_dispatch,
        [Input, Order, Allocation], "Records a dispatched shipment on the order.";
    TermsSchedule "terms_schedule" (credit::ScheduleInput => credit::Schedule) ops::terms_schedule,
        [Input, Credit], "The instalment schedule of an amount under payment terms.";
    CreditCheck "credit_check" (credit::CreditCheckInput => credit::CreditCheck) ops::credit_check,
        [Input, Credit], "Exposure against the credit limit: within, over by, on hold.";
    Allocate "allocate" (fulfilment::AllocationInput => fulfilment::AllocationOutcome) ops::allocate,
        [Input, Allocation], "Allocates an order to warehouses: shipments, backorders, explanation.";
    Ship "ship" (fulfilment::ops::ShipInput => fulfilment::ops::ShipOutput) ops::ship,
        [Input, Allocation, Tax], "Turns a plan into shipments with picking lists and documents.";
    ShipmentTransition "shipment_transition" (fulfilment::ops::TransitionInput => fulfilment::ShipmentTransition) ops::shipment_transition,
        [Input, Allocation], "Moves a shipment: pick, QC, pack, dispatch, deliver, return.";
    ShipmentDocuments "shipment_documents" (fulfilment::ops::DocumentsInput => fulfilment::ShipmentDocuments) ops::shipment_documents,
        [Input, Allocation, Tax], "Packing slip, challan, label, consignment note, e-way bill data.";
    LedgerReserve "ledger_reserve" (LedgerCommandInput => LedgerState) ops::ledger_reserve,
        [Input, Allocation], "Reserves every request for an order on the ledger, or nothing.";
    LedgerRelease "ledger_release" (LedgerCommandInput => LedgerState) ops::ledger_release,
        [Input, Allocation], "Releases exactly the quantities given.";
    LedgerConsume "ledger_consume" (LedgerCommandInput => LedgerState) ops::ledger_consume,
        [Input, Allocation], "Consumes reservations at dispatch.";
    LedgerQuarantine "ledger_quarantine" (LedgerCommandInput => LedgerState) ops::ledger_quarantine,
        [Input, Allocation], "Moves reserved units that failed QC to their hold batch.";
    Invoice "invoice" (invoice::InvoiceRequest => invoice::Invoice) ops::invoice,
        [Input, Tax, Invoice], "Computes a GST invoice, bill of supply, credit or debit note.";
    InvoiceFromOrder "invoice_from_order" (invoice::InvoiceFromOrderInput => invoice::InvoiceFromOrder) ops::invoice_from_order,
        [Input, Tax, Invoice], "The invoice of dispatched shipments from the order: locked prices, discount, terms, batches.";
    CreditNote "credit_note" (invoice::InvoiceRequest => invoice::Invoice) ops::credit_note,
        [Input, Tax, Invoice], "Computes a credit note against its original.";
    DebitNote "debit_note" (invoice::InvoiceRequest => invoice::Invoice) ops::debit_note,
        [Input, Tax, Invoice], "Computes a debit note against its original.";
    EInvoice "einvoice" (invoice::InvoiceRequest => invoice::EInvoiceReport) ops::einvoice,
        [Input, Tax, Invoice], "The invoice and its e-invoice INV-01 v1.1 JSON, validated.";
    EInvoiceValidate "einvoice_validate" (invoice::ValidateEInvoiceRequest => Vec<invoice::Violation>) ops::einvoice_validate,
        [Input, Tax, Invoice], "Every violation of the IRP's rules in an e-invoice payload.";
    Gstin "gstin" (invoice::GstinRequest => crate::tax::GstinInfo) ops::gstin,
        [Input, Tax], "Validates a GSTIN: state, PAN, entity type; the wrong part named.";
    Words "words" (invoice::WordsRequest => invoice::WordsResponse) ops::words,
        [Input, Invoice], "An amount in words (lakh, crore) with Indian digit grouping.";
    Number "number" (invoice::NumberRequest => invoice::NumberResponse) ops::number,
        [Input, Invoice], "The next document number of a series.";
}

impl Operation {
    /// The operation of that name.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.iter().copied().find(|o| o.name() == name)
    }
}

/// Runs operation `name` on the JSON text of its input document and
/// returns the compact JSON text of its output document, with the default
/// [`CallOptions`].
pub fn call(name: &str, input: &str) -> Result<String, HostError> {
    call_with(name, input, &CallOptions::default())
}

/// [`call`] with explicit limits.
pub fn call_with(name: &str, input: &str, options: &CallOptions) -> Result<String, HostError> {
    let op = Operation::from_name(name).ok_or_else(|| {
        HostError::new(
            "UNKNOWN_OPERATION",
            None,
            format!("there is no operation {name:?}"),
        )
        .with_detail("operation", name.into())
    })?;
    check_size(input, options.max_document_bytes)?;
    guarded(|| {
        precision::check_input(op, input)?;
        op.run(input)
    })
}

/// Runs `f`, turning a panic (a defect of the library, never the input's
/// fault) into an `INTERNAL` error, so that no host process goes down.
/// Every binding export goes through it.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, HostError>) -> Result<T, HostError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let text = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(HostError::internal(format!("internal error: {text}")))
        }
    }
}

#[cfg(test)]
mod tests;
