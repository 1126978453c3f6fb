//! The host operations, typed: each takes its input document and returns
//! its output document or a [`HostError`]. The JSON layer
//! ([`super::call`]) and the CLI call these; a Rust host may too.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::customer::{Classifier, Customer};
use crate::fulfilment;
use crate::inventory::{ReservationLedger, ReservationRequest};
use crate::invoice::{self, DocumentType, InvoiceRequest};
use crate::order::{self, Order, OrderTransition};
use crate::pricing::{CatalogEntryView, PriceBook, PriceRequest, PricedOrder};
use crate::tax::RateTable;
use crate::{approval, credit, quote};

use super::docs::*;
use super::HostError;

/// Compiles a catalog document (every problem reported at once).
pub fn compile_catalog(products: Vec<crate::catalog::Product>) -> Result<Arc<Catalog>, HostError> {
    Ok(Arc::new(Catalog::new(products)?))
}

/// Compiles a price book against a compiled catalog.
pub fn compile_price_book(
    definition: crate::pricing::PriceBookDefinition,
    catalog: Arc<Catalog>,
) -> Result<PriceBook, HostError> {
    Ok(PriceBook::compile(definition, catalog)?)
}

/// Compiles the catalog and price book documents of an operation's input,
/// naming errors from the input's root (`catalog…`, `price_book…`).
fn compile_documents(
    products: &[crate::catalog::Product],
    definition: &crate::pricing::PriceBookDefinition,
) -> Result<PriceBook, HostError> {
    let catalog = compile_catalog(products.to_vec()).map_err(|e| e.under("catalog"))?;
    compile_price_book(definition.clone(), catalog).map_err(|e| e.under("price_book"))
}

/// Prices one order against a compiled book.
pub fn price_order_with(
    book: &PriceBook,
    customer: &Customer,
    request: &PriceRequest,
) -> Result<PricedOrder, HostError> {
    Ok(book.price_order(customer, request)?)
}

/// `price_order`: compile the catalog and book, price the request.
pub fn price_order(input: &PriceOrderInput) -> Result<PricedOrder, HostError> {
    let book = compile_documents(&input.catalog, &input.price_book)?;
    price_order_with(&book, &input.customer, &input.request)
}

/// The number of threads a batch of `jobs` uses: the caller's cap (at
/// least one), else the machine's cores, never more than the jobs.
fn thread_count(jobs: usize, cap: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cap.unwrap_or(cores).max(1).min(jobs.max(1))
}

/// Prices many orders against one book, spread over threads (the
/// machine's cores, or at most `threads`); results in input order, each
/// order's own error in its place. The results do not depend on the number
/// of threads.
pub fn price_orders_with(
    book: &PriceBook,
    orders: &[OrderToPrice],
    threads: Option<usize>,
) -> Vec<BatchResult> {
    let one = |o: &OrderToPrice| match book.price_order(&o.customer, &o.request) {
        Ok(p) => BatchResult::Priced(Box::new(p)),
        Err(e) => BatchResult::Error(HostError::from(e)),
    };
    let n = thread_count(orders.len(), threads);
    if n <= 1 {
        return orders.iter().map(one).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(o) = orders.get(i) else { break };
            done.push((i, one(o)));
        }
        done
    };
    let mut parts: Vec<(usize, BatchResult)> = Vec::with_capacity(orders.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..n)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, worker).ok())
            .collect();
        parts.extend(worker());
        for h in handles {
            match h.join() {
                Ok(done) => parts.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    parts.sort_by_key(|(i, _)| *i);
    parts.into_iter().map(|(_, r)| r).collect()
}

/// `price_orders`: compile once, price every order.
pub fn price_orders(input: &PriceOrdersInput) -> Result<PricedOrders, HostError> {
    let book = compile_documents(&input.catalog, &input.price_book)?;
    let threads = input
        .threads
        .map(|t| usize::try_from(t).unwrap_or(usize::MAX));
    Ok(PricedOrders {
        results: price_orders_with(&book, &input.orders, threads),
    })
}

/// `catalog_validate`.
pub fn catalog_validate(input: &CatalogValidateInput) -> Result<CatalogSummary, HostError> {
    let catalog = Catalog::new(input.catalog.clone())?;
    Ok(CatalogSummary {
        products: catalog.len(),
    })
}

/// The catalog one customer sees, from a compiled book (the
/// `catalog_view` input's documents other than the catalog and book).
pub fn catalog_view_with(
    book: &PriceBook,
    input: &CatalogViewInput,
) -> Result<Vec<CatalogEntryView>, HostError> {
    catalog_view_for(
        book,
        &input.customer,
        input.channel,
        &input.currency,
        input.at,
        input.category.as_deref(),
    )
}

/// The catalog one customer sees through a channel at an instant, with
/// prices in `currency`, optionally one category and its descendants.
pub fn catalog_view_for(
    book: &PriceBook,
    customer: &Customer,
    channel: crate::customer::Channel,
    currency: &str,
    at: chrono::DateTime<chrono::FixedOffset>,
    category: Option<&str>,
) -> Result<Vec<CatalogEntryView>, HostError> {
    Ok(book.catalog_for(customer, channel, currency, at, category)?)
}

/// `catalog_view`.
pub fn catalog_view(input: &CatalogViewInput) -> Result<Vec<CatalogEntryView>, HostError> {
    let book = compile_documents(&input.catalog, &input.price_book)?;
    catalog_view_with(&book, input)
}

/// Classifies an inquiry with a compiled policy; with a catalog, also
/// drafts the quote request.
pub fn classify_with(
    classifier: &Classifier,
    inquiry: &crate::customer::Inquiry,
    catalog: Option<&Catalog>,
) -> Result<ClassifyOutput, HostError> {
    let classification = classifier.classify(inquiry)?;
    let quote_request = match catalog {
        Some(catalog) => {
            let prospect = Customer::prospect(inquiry, &classification)?;
            Some(inquiry.quote_request(catalog, &prospect))
        }
        None => None,
    };
    Ok(ClassifyOutput {
        classification,
        quote_request,
    })
}

/// `classify`.
pub fn classify(input: &ClassifyInput) -> Result<ClassifyOutput, HostError> {
    let classifier = Classifier::compile(input.policy.clone()).map_err(|e| {
        let e = HostError::from(e);
        e.under("policy")
    })?;
    let catalog = match &input.catalog {
        Some(products) => Some(compile_catalog(products.clone()).map_err(|e| e.under("catalog"))?),
        None => None,
    };
    classify_with(&classifier, &input.inquiry, catalog.as_deref())
}

macro_rules! forward {
    ($($(#[$doc:meta])* $name:ident($input:ty) -> $output:ty = $body:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(input: &$input) -> Result<$output, HostError> {
                #[allow(clippy::redundant_closure_call)]
                Ok(($body)(input)?)
            }
        )*
    };
}

forward! {
    /// `quote_build`: a draft quote with priced lines and GST estimate.
    quote_build(quote::QuoteBuildInput) -> quote::Quote = quote::quote_build;
    /// `quote_revise`: a new revision (seller overrides, buyer counters).
    quote_revise(quote::QuoteReviseInput) -> quote::QuoteTransition = quote::quote_revise;
    /// `quote_submit`: the quote sent for approval with its instance.
    quote_submit(quote::QuoteSubmitInput) -> quote::QuoteApproval = quote::quote_submit;
    /// `quote_issue`: the issued, sealed quote.
    quote_issue(quote::QuoteIssueInput) -> quote::QuoteTransition = quote::quote_issue;
    /// `quote_accept`: all or some lines, seal checked (and the buyer's approval under a buyer policy).
    quote_accept(quote::QuoteAcceptInput) -> quote::QuoteTransition = quote::quote_accept;
    /// `quote_buyer_submit`: the buyer organisation's instance bound to the issued revision.
    quote_buyer_submit(quote::QuoteBuyerSubmitInput) -> approval::ApprovalTransition = quote::quote_buyer_submit;
    /// `quote_decline`.
    quote_decline(quote::QuoteDeclineInput) -> quote::QuoteTransition = quote::quote_decline;
    /// `quote_withdraw`.
    quote_withdraw(quote::QuoteWithdrawInput) -> quote::QuoteTransition = quote::quote_withdraw;
    /// `quote_expire`.
    quote_expire(quote::QuoteExpireInput) -> quote::QuoteTransition = quote::quote_expire;
    /// `quote_diff`: what changed between two revisions.
    quote_diff(quote::QuoteDiffInput) -> quote::RevisionDiff = quote::quote_diff;
    /// `quote_convert`: the accepted quote as an order (price lock, PO, terms).
    quote_convert(order::ConvertInput) -> order::Converted = order::quote_convert;
    /// `approval_plan`: the plan a policy makes, with triggering rules and fact values.
    approval_plan(approval::PlanInput) -> approval::ApprovalPlan = approval::approval_plan;
    /// `approval_start`: a new instance (keeping still-valid approvals of `previous`).
    approval_start(approval::StartInput) -> approval::ApprovalTransition = approval::approval_start;
    /// `approval_decide`: approve, reject, delegate, withdraw, expire.
    approval_decide(approval::DecideInput) -> approval::ApprovalTransition = approval::approval_decide;
    /// `terms_schedule`: instalments with due dates and amounts.
    terms_schedule(credit::ScheduleInput) -> credit::Schedule = credit::terms_schedule;
    /// `credit_check`: exposure against the limit.
    credit_check(credit::CreditCheckInput) -> credit::CreditCheck = credit::credit_check;
    /// `order_approval_plan`: the seller's plan for an order (facts computed from it).
    order_approval_plan(order::OrderPlanInput) -> approval::ApprovalPlan = order::order_approval_plan;
    /// `order_credit_check`: the order's exposure against the customer's limit.
    order_credit_check(order::OrderCreditInput) -> credit::CreditCheck = order::order_credit_check;
    /// `allocate`: shipments per warehouse, backorders, explanation.
    allocate(fulfilment::AllocationInput) -> fulfilment::AllocationOutcome =
        |i: &fulfilment::AllocationInput| fulfilment::ops::allocate(i.clone());
    /// `ship`: shipments with picking lists, documents and the e-way bill assessment.
    ship(fulfilment::ops::ShipInput) -> fulfilment::ops::ShipOutput =
        |i: &fulfilment::ops::ShipInput| fulfilment::ops::ship(i.clone());
    /// `shipment_transition`: pick, pack, dispatch, deliver, return ….
    shipment_transition(fulfilment::ops::TransitionInput) -> fulfilment::ShipmentTransition =
        |i: &fulfilment::ops::TransitionInput| fulfilment::ops::transition(i.clone());
    /// `shipment_documents`: packing slip, challan, label, consignment note, e-way bill data.
    shipment_documents(fulfilment::ops::DocumentsInput) -> fulfilment::ShipmentDocuments =
        |i: &fulfilment::ops::DocumentsInput| fulfilment::ops::documents(i.clone());
    /// `invoice_from_order`: the invoice of dispatched shipments from the order itself.
    invoice_from_order(invoice::InvoiceFromOrderInput) -> invoice::InvoiceFromOrder =
        invoice::invoice_from_order;
    /// `gstin`: state, PAN, entity type, warnings; the wrong part named.
    gstin(invoice::GstinRequest) -> crate::tax::GstinInfo = invoice::op_gstin;
    /// `words`: an amount in words (lakh, crore) and Indian digit grouping.
    words(invoice::WordsRequest) -> invoice::WordsResponse = invoice::op_words;
    /// `number`: the next document number of a series.
    number(invoice::NumberRequest) -> invoice::NumberResponse = invoice::op_number;
    /// `order_amend`: new quantities, delivery or PO before allocation (back to draft).
    order_amend(OrderAmendInput) -> OrderTransition =
        |i: &OrderAmendInput| i.order.amend(&i.amend, i.now);
    /// `order_cancel`: some quantities, or everything not shipped.
    order_cancel(OrderCancelInput) -> OrderTransition =
        |i: &OrderCancelInput| i.order.cancel(i.lines.as_deref(), &i.reason, i.now);
    /// `order_close`.
    order_close(OrderCloseInput) -> OrderTransition = |i: &OrderCloseInput| i.order.close(i.now);
    /// `order_apply_plan`: the plan's quantities recorded as allocated.
    order_apply_plan(OrderApplyPlanInput) -> Order =
        |i: &OrderApplyPlanInput| fulfilment::orders::apply_plan(&i.order, &i.plan);
    /// `order_apply_dispatch`: a dispatched shipment recorded as shipped.
    order_apply_dispatch(OrderApplyDispatchInput) -> Order =
        |i: &OrderApplyDispatchInput| fulfilment::orders::apply_dispatch(&i.order, &i.shipment);
}

/// Phase one of the invoice operations: the request's rate table, checked
/// (its errors rooted at `rates`), or the Indian table by date. What
/// follows may take the table as consistent.
fn rates_of(rates: Option<&RateTable>) -> Result<RateTable, HostError> {
    match rates {
        Some(table) => {
            table
                .validate()
                .map_err(|e| HostError::from(e).under("rates"))?;
            Ok(table.clone())
        }
        None => Ok(RateTable::india_default()),
    }
}

/// Phase two: the computed invoice, its errors rooted at `invoice` like
/// the parse errors of the same document (`invoice.lines[0].uqc`).
fn computed(
    input: &invoice::InvoiceInput,
    rates: &RateTable,
) -> Result<invoice::Invoice, HostError> {
    invoice::compute_invoice(input, rates).map_err(|e| HostError::from(e).under("invoice"))
}

/// `invoice`: a computed tax invoice, bill of supply, credit or debit note.
pub fn invoice(input: &InvoiceRequest) -> Result<invoice::Invoice, HostError> {
    let rates = rates_of(input.rates.as_ref())?;
    computed(&input.invoice, &rates)
}

/// `einvoice`: the computed invoice and its INV-01 payload (validated); a
/// field the payload cannot take is named in the invoice (`invoice.…`),
/// a violation of the payload's rules by the payload's field (`DocDtls.No`).
pub fn einvoice(input: &InvoiceRequest) -> Result<invoice::EInvoiceReport, HostError> {
    let rates = rates_of(input.rates.as_ref())?;
    let computed = computed(&input.invoice, &rates)?;
    let einvoice = invoice::to_einvoice(&computed, &rates).map_err(|e| match e {
        // The payload's own violations name its fields (`DocDtls.No`), as the IRP does.
        invoice::InvoiceError::EInvoiceInvalid { .. } => HostError::from(e),
        other => HostError::from(other).under("invoice"),
    })?;
    Ok(invoice::EInvoiceReport {
        invoice: computed,
        einvoice,
    })
}

/// `einvoice_validate`: every violation of the IRP's rules (empty when
/// valid); the violations name the payload's fields, as the IRP does.
pub fn einvoice_validate(
    input: &invoice::ValidateEInvoiceRequest,
) -> Result<Vec<invoice::Violation>, HostError> {
    let rates = rates_of(input.rates.as_ref())?;
    match invoice::validate_einvoice(&input.einvoice, &rates) {
        Ok(()) => Ok(Vec::new()),
        Err(invoice::InvoiceError::EInvoiceInvalid { violations, .. }) => Ok(violations),
        Err(other) => Err(HostError::from(other).under("einvoice")),
    }
}

/// `order_confirm`: needs the approved instance bound to the order as it
/// is now; a blocking credit check holds the order instead.
/// With a buyer policy, the buyer's approved instance bound to the order
/// is needed too (unless the buyer's plan is empty).
pub fn order_confirm(input: &OrderConfirmInput) -> Result<OrderTransition, HostError> {
    let Some(b) = &input.buyer else {
        return Ok(input
            .order
            .confirm(&input.approval, input.credit.as_ref(), input.now)?);
    };
    let policy = b.compile().map_err(HostError::from)?;
    let side = crate::approval::BuyerSide {
        policy: &policy,
        host: &b.host,
        approval: b.approval.as_ref(),
    };
    Ok(input.order.confirm_with_buyer(
        &input.approval,
        Some(&side),
        input.credit.as_ref(),
        input.now,
    )?)
}

/// `order_submit`: the plan computed from the order and an approval
/// instance bound to its current version (what `order_confirm` needs).
pub fn order_submit(input: &OrderSubmitInput) -> Result<order::OrderApproval, HostError> {
    let policy = crate::approval::ApprovalPolicy::compile(input.policy.clone())
        .map_err(|e| HostError::from(e).under("policy"))?;
    Ok(input.order.request_approval(
        &input.request,
        &policy,
        &input.host,
        input.previous.as_ref(),
    )?)
}

fn note_of_kind(input: &InvoiceRequest, kind: DocumentType) -> Result<invoice::Invoice, HostError> {
    if input.invoice.document_type != kind {
        let want = match kind {
            DocumentType::CreditNote => "credit_note",
            DocumentType::DebitNote => "debit_note",
            DocumentType::Invoice => "invoice",
        };
        return Err(HostError::new(
            "INVALID_FIELD",
            Some("invoice.document_type".into()),
            format!(
                "this operation issues a {want}: set `document_type` to \"{want}\" and give the original"
            ),
        ));
    }
    invoice(input)
}

/// `credit_note`: a credit note against its original (the `invoice`
/// operation with `kind: credit_note` enforced).
pub fn credit_note(input: &InvoiceRequest) -> Result<invoice::Invoice, HostError> {
    note_of_kind(input, DocumentType::CreditNote)
}

/// `debit_note`: a debit note against its original (the `invoice`
/// operation with `kind: debit_note` enforced).
pub fn debit_note(input: &InvoiceRequest) -> Result<invoice::Invoice, HostError> {
    note_of_kind(input, DocumentType::DebitNote)
}

/// Rebuilds a ledger from its document: the stock, then every order's
/// reservations (a reservation that no longer fits is an error at
/// `ledger.reservations`).
pub fn ledger_from_state(state: &LedgerState) -> Result<ReservationLedger, HostError> {
    let ledger = ReservationLedger::new(&state.stock).map_err(|e| {
        let mut e = HostError::from(e);
        e.field = e.field.map(|f| match f.strip_prefix("snapshot") {
            Some(rest) => format!("ledger.stock{rest}"),
            None => f,
        });
        e
    })?;
    for (order_id, indices) in orders_of(state) {
        let requests: Vec<ReservationRequest> = indices
            .iter()
            .filter_map(|&i| state.reservations.get(i))
            .map(|r| ReservationRequest {
                line_id: r.line_id.clone(),
                warehouse_id: r.warehouse_id.clone(),
                sku: r.sku.clone(),
                batch_id: r.batch_id.clone(),
                quantity: r.quantity,
            })
            .collect();
        ledger.reserve(&order_id, &requests).map_err(|e| {
            let first = indices.first().copied().unwrap_or(0);
            HostError::from(e).under(&format!("ledger.reservations[{first}]"))
        })?;
    }
    Ok(ledger)
}

/// Order ids of the state's reservations, first seen first, with the
/// indices of their reservations.
fn orders_of(state: &LedgerState) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in state.reservations.iter().enumerate() {
        match out.iter_mut().find(|(id, _)| *id == r.order_id) {
            Some((_, v)) => v.push(i),
            None => out.push((r.order_id.clone(), vec![i])),
        }
    }
    out
}

/// The ledger as a document, with the reservations of `orders` (in that order).
pub fn ledger_to_state(
    ledger: &ReservationLedger,
    orders: &[String],
) -> Result<LedgerState, HostError> {
    let mut reservations = Vec::new();
    for id in orders {
        reservations.extend(ledger.reservations(id)?);
    }
    Ok(LedgerState {
        stock: ledger.snapshot(None)?,
        reservations,
    })
}

#[derive(Clone, Copy)]
enum LedgerCommand {
    Reserve,
    Release,
    Consume,
    Quarantine,
}

fn ledger_command(
    input: &LedgerCommandInput,
    cmd: LedgerCommand,
) -> Result<LedgerState, HostError> {
    let ledger = ledger_from_state(&input.ledger)?;
    let result = match cmd {
        LedgerCommand::Reserve => ledger.reserve(&input.order_id, &input.requests),
        LedgerCommand::Release => ledger.release(&input.order_id, &input.requests),
        LedgerCommand::Consume => ledger.consume(&input.order_id, &input.requests),
        LedgerCommand::Quarantine => ledger.quarantine(&input.order_id, &input.requests),
    };
    result?;
    let mut orders: Vec<String> = orders_of(&input.ledger)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if !orders.contains(&input.order_id) {
        orders.push(input.order_id.clone());
    }
    ledger_to_state(&ledger, &orders)
}

/// `ledger_reserve`: reserve every request for the order, or nothing.
pub fn ledger_reserve(input: &LedgerCommandInput) -> Result<LedgerState, HostError> {
    ledger_command(input, LedgerCommand::Reserve)
}

/// `ledger_release`: release exactly the quantities given.
pub fn ledger_release(input: &LedgerCommandInput) -> Result<LedgerState, HostError> {
    ledger_command(input, LedgerCommand::Release)
}

/// `ledger_consume`: consume reservations at dispatch (they leave on hand).
pub fn ledger_consume(input: &LedgerCommandInput) -> Result<LedgerState, HostError> {
    ledger_command(input, LedgerCommand::Consume)
}

/// `ledger_quarantine`: move reserved units that failed QC to their hold batch.
pub fn ledger_quarantine(input: &LedgerCommandInput) -> Result<LedgerState, HostError> {
    ledger_command(input, LedgerCommand::Quarantine)
}
