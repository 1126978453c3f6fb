//! The JSON format, documented as a JSON Schema generated from the types.
//!
//! The schema is committed at `schema/b2b-oms.schema.json`; a test fails
//! when it differs from what the types generate, so the document never
//! drifts. Regenerate it with `b2b-oms schema > schema/b2b-oms.schema.json`.

use schemars::JsonSchema;

use crate::approval::{ApprovalInstance, ApprovalPolicyDefinition};
use crate::approval::{ApprovalPlan, ApprovalTransition, DecideInput, PlanInput, StartInput};
use crate::catalog::Product;
use crate::credit::{CreditCheck, CreditCheckInput, Schedule, ScheduleInput};
use crate::customer::{Classification, ClassificationPolicy, Customer, Inquiry, QuoteRequestDraft};
use crate::error::ErrorInfo;
use crate::fulfilment::ops::{DocumentsInput, ShipInput, ShipOutput, TransitionInput};
use crate::fulfilment::{
    AllocationInput, AllocationOutcome, ShipmentDocuments, ShipmentTransition,
};
use crate::host::{
    CatalogSummary, CatalogValidateInput, CatalogViewInput, ClassifyInput, ClassifyOutput,
    HostError, LedgerCommandInput, LedgerState, OrderAmendInput, OrderApplyDispatchInput,
    OrderApplyPlanInput, OrderCancelInput, OrderCloseInput, OrderConfirmInput, OrderSubmitInput,
    PriceOrderInput, PriceOrdersInput, PricedOrders,
};
use crate::inventory::{Reservation, ReservationRequest, StockSnapshot};
use crate::invoice::Violation;
use crate::invoice::{
    EInvoiceReport, GstinRequest, Invoice, InvoiceRequest, NumberRequest, NumberResponse,
    ValidateEInvoiceRequest, WordsRequest, WordsResponse,
};
use crate::order::{ConvertInput, Converted};
use crate::order::{Order, OrderApproval, OrderCreditInput, OrderPlanInput, OrderTransition};
use crate::pricing::{CatalogEntryView, PriceBookDefinition, PriceRequest, PricedOrder};
use crate::quote::{
    Quote, QuoteAcceptInput, QuoteApproval, QuoteBuildInput, QuoteDeclineInput, QuoteDiffInput,
    QuoteExpireInput, QuoteIssueInput, QuoteReviseInput, QuoteSubmitInput, QuoteTransition,
    QuoteWithdrawInput, RevisionDiff,
};
use crate::tax::GstinInfo;

/// Every top-level document of the JSON format, one property each.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct B2bOmsDocuments {
    catalog: Vec<Product>,
    customer: Customer,
    inquiry: Inquiry,
    classification_policy: ClassificationPolicy,
    classification: Classification,
    quote_request_draft: QuoteRequestDraft,
    price_book: PriceBookDefinition,
    price_request: PriceRequest,
    priced_order: PricedOrder,
    catalog_view: Vec<CatalogEntryView>,
    quote_build_input: QuoteBuildInput,
    quote: Quote,
    quote_revise_input: QuoteReviseInput,
    quote_accept_input: QuoteAcceptInput,
    quote_transition: QuoteTransition,
    quote_submit_input: QuoteSubmitInput,
    quote_approval: QuoteApproval,
    quote_issue_input: QuoteIssueInput,
    quote_decline_input: QuoteDeclineInput,
    quote_withdraw_input: QuoteWithdrawInput,
    quote_expire_input: QuoteExpireInput,
    quote_diff_input: QuoteDiffInput,
    revision_diff: RevisionDiff,
    quote_convert_input: ConvertInput,
    converted_order: Converted,
    approval_plan_input: PlanInput,
    approval_plan: ApprovalPlan,
    approval_start_input: StartInput,
    approval_decide_input: DecideInput,
    approval_transition: ApprovalTransition,
    terms_schedule_input: ScheduleInput,
    terms_schedule: Schedule,
    credit_check_input: CreditCheckInput,
    credit_check: CreditCheck,
    allocation_input: AllocationInput,
    allocation_outcome: AllocationOutcome,
    ship_input: ShipInput,
    ship_output: ShipOutput,
    shipment_transition_input: TransitionInput,
    shipment_transition: ShipmentTransition,
    shipment_documents_input: DocumentsInput,
    shipment_documents: ShipmentDocuments,
    invoice_request: InvoiceRequest,
    invoice: Invoice,
    einvoice_report: EInvoiceReport,
    einvoice_validate_input: ValidateEInvoiceRequest,
    gstin_request: GstinRequest,
    gstin_info: GstinInfo,
    words_request: WordsRequest,
    words_response: WordsResponse,
    number_request: NumberRequest,
    number_response: NumberResponse,
    error: ErrorInfo,
    host_error: HostError,
    price_order_input: PriceOrderInput,
    price_orders_input: PriceOrdersInput,
    priced_orders: PricedOrders,
    catalog_validate_input: CatalogValidateInput,
    catalog_summary: CatalogSummary,
    catalog_view_input: CatalogViewInput,
    classify_input: ClassifyInput,
    classify_output: ClassifyOutput,
    order: Order,
    order_transition: OrderTransition,
    order_submit_input: OrderSubmitInput,
    order_approval: OrderApproval,
    order_confirm_input: OrderConfirmInput,
    order_amend_input: OrderAmendInput,
    order_cancel_input: OrderCancelInput,
    order_close_input: OrderCloseInput,
    order_apply_plan_input: OrderApplyPlanInput,
    order_apply_dispatch_input: OrderApplyDispatchInput,
    order_approval_plan_input: OrderPlanInput,
    order_credit_check_input: OrderCreditInput,
    approval_policy: ApprovalPolicyDefinition,
    approval_instance: ApprovalInstance,
    stock_snapshot: StockSnapshot,
    reservation_requests: Vec<ReservationRequest>,
    reservations: Vec<Reservation>,
    ledger_state: LedgerState,
    ledger_command_input: LedgerCommandInput,
    einvoice_violations: Vec<Violation>,
}

/// The JSON Schema of every document the library reads or writes: an
/// object with one property per document.
pub fn documents_schema() -> schemars::Schema {
    schemars::schema_for!(B2bOmsDocuments)
}

/// The JSON Schema of every document the library reads or writes,
/// pretty-printed with a trailing newline.
pub fn json_schema() -> String {
    let schema = documents_schema();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_schema_matches_the_types() {
        let committed = include_str!("../../schema/b2b-oms.schema.json");
        let generated = super::json_schema();
        assert!(
            committed == generated,
            "schema/b2b-oms.schema.json is stale: run `cargo run -p b2b-oms-cli -- schema > schema/b2b-oms.schema.json`"
        );
    }
}
