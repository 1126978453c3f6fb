//! The JSON format, documented as a JSON Schema generated from the types.
//!
//! The schema is committed at `schema/b2b-oms.schema.json`; a test fails
//! when it differs from what the types generate, so the document never
//! drifts. Regenerate it with `b2b-oms schema > schema/b2b-oms.schema.json`.
//!
//! The descriptions come from the doc comments, written for rustdoc; the
//! schema is read by hosts in other languages, so its descriptions carry
//! no Rust doc links: ``[`Foo`]`` becomes `` `Foo` ``, a link's target is
//! dropped, and module paths (`crate::order::`, `super::`) are cut down to
//! the item (`Order::credit_check`). Every type has its own name: types of
//! one Rust name in different modules are renamed for the schema
//! (`#[schemars(rename = …)]`: `InvoiceAddress`, `RoutingRuleAction`, …),
//! never left to schemars' numeric suffixes (`Address2`), since these
//! names become the Python and TypeScript types.

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
    EInvoiceReport, GstinRequest, Invoice, InvoiceFromOrder, InvoiceFromOrderInput, InvoiceRequest,
    NumberRequest, NumberResponse, ValidateEInvoiceRequest, WordsRequest, WordsResponse,
};
use crate::order::{ConvertInput, Converted};
use crate::order::{Order, OrderApproval, OrderCreditInput, OrderPlanInput, OrderTransition};
use crate::pricing::{CatalogEntryView, PriceBookDefinition, PriceRequest, PricedOrder};
use crate::quote::{
    Quote, QuoteAcceptInput, QuoteApproval, QuoteBuildInput, QuoteBuyerSubmitInput,
    QuoteDeclineInput, QuoteDiffInput, QuoteExpireInput, QuoteIssueInput, QuoteReviseInput,
    QuoteSubmitInput, QuoteTransition, QuoteWithdrawInput, RevisionDiff,
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
    quote_buyer_submit_input: QuoteBuyerSubmitInput,
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
    invoice_from_order_input: InvoiceFromOrderInput,
    invoice_from_order: InvoiceFromOrder,
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
    let mut schema = schemars::schema_for!(B2bOmsDocuments);
    if let Some(object) = schema.as_object_mut() {
        for value in object.values_mut() {
            plain_descriptions(value);
        }
    }
    schema
}

/// Rewrites every `description` under `value` without Rust doc links.
fn plain_descriptions(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    serde_json::Value::String(text) if key == "description" => {
                        *text = without_doc_links(text);
                    }
                    _ => plain_descriptions(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(plain_descriptions),
        _ => {}
    }
}

/// A description with its Rust doc links written as plain code:
/// ``[`crate::order::Order::credit_check`]`` → `` `Order::credit_check` ``,
/// ``[`Catalog`](crate::catalog::Catalog)`` → `` `Catalog` ``.
fn without_doc_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let inner = from.get(2..).unwrap_or("");
        let Some(end) = inner.find("`]") else {
            out.push_str(from);
            rest = "";
            break;
        };
        let code = inner.get(..end).unwrap_or("");
        out.push('`');
        out.push_str(&short_path(code));
        out.push('`');
        let mut after = inner.get(end + 2..).unwrap_or("");
        if after.starts_with('(') {
            if let Some(close) = after.find(')') {
                after = after.get(close + 1..).unwrap_or("");
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A Rust path without its module part: the segments from the first that
/// starts with an upper-case letter (a type), else the last segment.
fn short_path(path: &str) -> String {
    let segments: Vec<&str> = path.split("::").collect();
    let from = segments
        .iter()
        .position(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
        .unwrap_or(segments.len().saturating_sub(1));
    segments.get(from..).unwrap_or(&[]).join("::")
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
    use serde_json::Value;

    fn generated() -> Value {
        serde_json::from_str(&super::json_schema()).unwrap()
    }

    fn descriptions(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    match x {
                        Value::String(s) if k == "description" => out.push(s.clone()),
                        _ => descriptions(x, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|x| descriptions(x, out)),
            _ => {}
        }
    }

    #[test]
    fn type_names_carry_no_numeric_suffix() {
        let schema = generated();
        let defs = schema["$defs"].as_object().unwrap();
        let suffixed: Vec<&String> = defs
            .keys()
            .filter(|k| k.ends_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(
            suffixed.is_empty(),
            "two types share a name; give each its own with #[schemars(rename)]: {suffixed:?}"
        );
    }

    #[test]
    fn descriptions_carry_no_rust_doc_links() {
        let mut all = Vec::new();
        descriptions(&generated(), &mut all);
        assert!(all.len() > 100);
        let linked: Vec<&String> = all
            .iter()
            .filter(|d| {
                d.contains("[`")
                    || d.contains("`]")
                    || d.contains("crate::")
                    || d.contains("super::")
                    || d.contains("self::")
            })
            .collect();
        assert!(linked.is_empty(), "{linked:#?}");
    }

    #[test]
    fn doc_links_become_plain_code() {
        use super::without_doc_links as plain;
        assert_eq!(
            plain("What a [`DomainEvent`] says."),
            "What a `DomainEvent` says."
        );
        assert_eq!(
            plain("See [`crate::order::Order::credit_check`]."),
            "See `Order::credit_check`."
        );
        assert_eq!(plain("[`super::allocate`]"), "`allocate`");
        assert_eq!(
            plain("the [`Catalog`](crate::catalog::Catalog) handle"),
            "the `Catalog` handle"
        );
        assert_eq!(plain("`fact in [values]`"), "`fact in [values]`");
        assert_eq!(plain("unclosed [`x"), "unclosed [`x");
    }

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
