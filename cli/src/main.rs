//! `b2b-oms`: the command-line face of the b2b-oms library.
//!
//! Every subcommand reads JSON documents (files, or `-` for stdin) in the
//! library's one JSON format and writes JSON to stdout. Bad input exits
//! with status 2 and a message naming the error code and field path.

mod batch;
mod demo;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use b2b_oms::catalog::{Catalog, Product};
use b2b_oms::customer::{Channel, ClassificationPolicy, Classifier, Customer, Inquiry};
use b2b_oms::host::{self, ops, HostError, LedgerCommandInput, LedgerState};
use b2b_oms::invoice::{EInvoice, GstinRequest, ValidateEInvoiceRequest, WordsRequest};
use b2b_oms::json::{from_json, to_json_pretty};
use b2b_oms::pricing::{PriceBook, PriceBookDefinition, PriceRequest};
use b2b_oms::{ErrorCode, ErrorInfo};
use chrono::{DateTime, FixedOffset};
use clap::{Parser, Subcommand};
use serde::de::DeserializeOwned;

/// B2B order management from the command line: price orders, validate
/// catalogs, classify inquiries, allocate and ship orders, compute GST
/// invoices and e-invoices, and run the inquiry-to-invoice demo.
///
/// Input documents use the JSON format described by `b2b-oms schema`.
/// Exit status: 0 on success, 2 on invalid input (the message names the
/// error code and the field path), 1 when a file cannot be read.
#[derive(Parser)]
#[command(name = "b2b-oms", version, about, long_about)]
struct Cli {
    /// The largest input document read, in bytes, for every file and for
    /// stdin (at most this many bytes plus one are read; a larger document
    /// is refused with `DOCUMENT_TOO_LARGE`, exit status 2). Default 32 MiB,
    /// the host operations' limit.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = host::DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Price an order: catalog + price book + customer + order → priced order JSON.
    ///
    /// The order (a price request) is read from ORDER, or from stdin when
    /// ORDER is `-` or absent. Line problems (MOQ, unknown sku, no price) are
    /// reported inside the result; the exit status is 0 as long as the
    /// documents themselves are valid.
    Price {
        /// Catalog: a JSON array of products.
        #[arg(long)]
        catalog: PathBuf,
        /// Price book definition JSON.
        #[arg(long)]
        book: PathBuf,
        /// Customer JSON.
        #[arg(long)]
        customer: PathBuf,
        /// Price request JSON (`-` for stdin).
        #[arg(default_value = "-")]
        order: PathBuf,
    },
    /// Catalog commands.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Classify an inquiry (lead) into a segment with ordered rules.
    ///
    /// Prints the classification (segment, price list, matched rule, reason)
    /// and the quote-request lines made from the inquiry when `--catalog` is
    /// given.
    Classify {
        /// Classification policy JSON (rules + default segment).
        #[arg(long)]
        policy: PathBuf,
        /// Catalog, to turn the inquiry's lines into quote-request lines.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Inquiry JSON (`-` for stdin).
        #[arg(default_value = "-")]
        inquiry: PathBuf,
    },
    /// Validate a GSTIN: the GSTIN itself, or a JSON request `{"gstin", "as_of"}` (file or `-`).
    ///
    /// Prints the state, PAN, entity type and any warning (legacy state
    /// code); an invalid GSTIN names the part that is wrong.
    ///
    /// With `--batch`, INPUT is a file (or `-`) of many GSTINs: a JSON array
    /// of GSTINs or request objects, or one GSTIN per line. Prints one JSON
    /// array, each element `{"index", "input", "result"}` or `{"index",
    /// "input", "error"}`; the exit status is 2 when any was refused.
    Gstin {
        /// A GSTIN, or a JSON request file, or `-` for stdin.
        input: String,
        /// INPUT holds many values; answer each.
        #[arg(long)]
        batch: bool,
    },
    /// Compute a GST invoice, bill of supply, credit or debit note.
    ///
    /// Input: `{"invoice": …, "rates": …}` (rates default to the Indian
    /// table by date). Output: the computed document with tax lines, HSN
    /// summary, totals, round-off and amount in words.
    Invoice {
        /// Invoice request JSON (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
    },
    /// Produce the e-invoice (INV-01 v1.1) request JSON of an invoice, or
    /// validate a payload with `--validate`.
    Einvoice {
        /// Invoice request JSON; with `--validate` an INV-01 payload, the output of
        /// `einvoice` as it is, or `{"einvoice": …, "rates": …}` (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
        /// Validate a payload and list every violation instead.
        #[arg(long)]
        validate: bool,
    },
    /// An amount in words (Indian system: lakh, crore, paise) and Indian digit grouping.
    ///
    /// With `--batch`, INPUT is a file (or `-`) of many amounts: a JSON array
    /// of amounts (strings or numbers, read exactly) or request objects, or
    /// one amount per line. Prints one JSON array as `gstin --batch` does.
    Words {
        /// An amount such as 12345678.90, or a JSON request file `{"amount", "currency"}`, or `-`.
        input: String,
        /// Currency of a plain amount (INR when absent).
        #[arg(long)]
        currency: Option<String>,
        /// INPUT holds many values; answer each.
        #[arg(long)]
        batch: bool,
    },
    /// The next document number from a series template (`INV/{fy}/{seq:05}`).
    Number {
        /// Number request JSON (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
    },
    /// Allocate an order to warehouses: order, warehouses, stock, routing
    /// rules and strategy → shipments per warehouse, backorders, explanation.
    Allocate {
        /// Allocation input JSON (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
    },
    /// Turn an allocation plan into shipments with picking lists, documents
    /// and the e-way bill assessment.
    Ship {
        /// Ship input JSON (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
    },
    /// Shipment commands: move a shipment through its states, or print its documents.
    Shipment {
        #[command(subcommand)]
        command: ShipmentCommand,
    },
    /// Orders between the steps: submit, confirm, amend, cancel, close,
    /// record an allocation plan or a dispatch, and invoice from the order.
    Order {
        #[command(subcommand)]
        command: OrderCommand,
    },
    /// The reservation ledger: reserve, release, consume or quarantine stock
    /// for an order, all or nothing, over a ledger document.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Quotes: build from a request, revise (seller overrides, buyer counters),
    /// accept (all or part, seal checked), convert to an order.
    Quote {
        #[command(subcommand)]
        command: QuoteCommand,
    },
    /// Approvals: the plan a policy makes for a quote or order, starting an
    /// instance, and deciding (approve, reject, delegate, withdraw, expire).
    Approval {
        #[command(subcommand)]
        command: ApprovalCommand,
    },
    /// Payment terms: the instalment schedule of an amount (due dates,
    /// early-payment discount).
    Terms {
        #[command(subcommand)]
        command: TermsCommand,
    },
    /// Credit: exposure against the limit (within, over by, on hold).
    Credit {
        #[command(subcommand)]
        command: CreditCommand,
    },
    /// Run the demo on the embedded dataset of a fictional manufacturer.
    Demo {
        /// Print the demo's results as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Folder for the e-invoice JSON files (default: b2b-oms-demo in the system temp folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Instead of printing the demo, write the input document of each of
        /// its steps into DIR, one file per step named for the command that
        /// replays it (`03-quote-build.json`), with a README and replay.sh.
        #[arg(long, value_name = "DIR", conflicts_with = "json")]
        write_inputs: Option<PathBuf>,
    },
    /// Print the JSON Schema of every document the library reads or writes.
    Schema,
    /// Run any host operation by name on its input document; prints the
    /// output document (compact JSON, or pretty with `--pretty`).
    ///
    /// `b2b-oms operations` lists the names with their input and output
    /// documents.
    Call {
        /// The operation (`price_order`, `ledger_reserve`, …).
        operation: String,
        /// Input JSON (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
        /// Pretty-print the output.
        #[arg(long)]
        pretty: bool,
    },
    /// List every host operation: name, input and output documents, error families.
    Operations,
}

/// A subcommand that reads one JSON document (file, or `-` for stdin).
#[derive(clap::Args)]
struct JsonInput {
    /// Input JSON (`-` for stdin).
    #[arg(default_value = "-")]
    input: PathBuf,
}

#[derive(Subcommand)]
enum QuoteCommand {
    /// `{"catalog", "price_book", "customer", "build"}` → a draft quote with priced lines and GST estimate.
    Build(JsonInput),
    /// `{"quote", "revise"}` → the new revision and its events.
    Revise(JsonInput),
    /// `{"quote", "accept", "seal_key"?, "buyer"?}` → the accepted quote and its events (under a buyer policy, `buyer` carries it and the buyer's approved instance bound to the revision).
    Accept(JsonInput),
    /// `{"quote", "policy", "host"?, "request", "previous"?}` → the buyer organisation's approval instance bound to the issued revision (what `quote accept` needs under a buyer policy).
    BuyerSubmit(JsonInput),
    /// `{"quote", "convert", "seal_key"?}` → the order converted from the accepted quote (seals verified).
    Convert(JsonInput),
    /// `{"quote", "policy", "host"?, "request", "previous"?}` → the quote sent for approval, the approval instance bound to its latest revision (plan computed from the quote), and events.
    Submit(JsonInput),
    /// `{"quote", "approval", "seal_key"?, "now"}` → the issued, sealed quote and its events (needs an approved instance bound to the latest revision).
    Issue(JsonInput),
    /// `{"quote", "reason", "now"}` → the declined quote and its events.
    Decline(JsonInput),
    /// `{"quote", "reason", "now"}` → the withdrawn quote and its events.
    Withdraw(JsonInput),
    /// `{"quote", "now"}` → the expired quote and its events.
    Expire(JsonInput),
    /// `{"quote", "from", "to"}` → what changed between two revisions.
    Diff(JsonInput),
}

#[derive(Subcommand)]
enum OrderCommand {
    /// `{"order", "policy", "host"?, "request", "previous"?}` → the order sent for approval and its bound instance.
    Submit(JsonInput),
    /// `{"order", "approval", "credit"?, "buyer"?, "now"}` → the confirmed order (or on credit hold) and its events (under a buyer policy, `buyer` carries it and the buyer's approved instance bound to the order).
    Confirm(JsonInput),
    /// `{"order", "amend", "now"}` → the amended order (quantities, delivery, PO) and its events.
    Amend(JsonInput),
    /// `{"order", "lines"?, "reason", "now"}` → the order with the quantities (or everything not shipped) cancelled.
    Cancel(JsonInput),
    /// `{"order", "now"}` → the closed order (fully shipped and invoiced).
    Close(JsonInput),
    /// `{"order", "plan"}` → the order with the plan's quantities recorded as allocated.
    ApplyPlan(JsonInput),
    /// `{"order", "shipment"}` → the order with a dispatched shipment recorded as shipped.
    ApplyDispatch(JsonInput),
    /// `{"order", "policy", "host"?}` → the seller's approval plan, facts computed from the order.
    ApprovalPlan(JsonInput),
    /// `{"order", "customer", …}` → the order's exposure against the customer's credit limit.
    CreditCheck(JsonInput),
    /// `{"order", "customer", "seller", "shipments", "number", "date", …}` → the invoice of
    /// the dispatched shipments, from the order's locked prices; several shipments make one
    /// consolidated invoice.
    Invoice(JsonInput),
}

/// A ledger command's documents.
#[derive(clap::Args)]
struct LedgerArgs {
    /// The ledger document (`{"stock", "reservations"}`); INPUT is then
    /// `{"order_id", "requests"}`. Without it INPUT is the whole
    /// `{"ledger", "order_id", "requests"}`.
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// Write the new ledger back to the `--ledger` file (only when the
    /// command succeeds; the file is replaced whole).
    #[arg(long, requires = "ledger")]
    write: bool,
    /// Input JSON (`-` for stdin).
    #[arg(default_value = "-")]
    input: PathBuf,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Reserve every request for the order, or nothing.
    Reserve(LedgerArgs),
    /// Release exactly the quantities given.
    Release(LedgerArgs),
    /// Consume reservations at dispatch (they leave on hand).
    Consume(LedgerArgs),
    /// Move reserved units that failed QC to their hold batch.
    Quarantine(LedgerArgs),
}

/// One of the ledger operations.
type LedgerOp = fn(&LedgerCommandInput) -> Result<LedgerState, HostError>;

/// `ledger … --ledger FILE`: what INPUT holds then.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct LedgerRequests {
    order_id: String,
    requests: Vec<b2b_oms::inventory::ReservationRequest>,
}

#[derive(Subcommand)]
enum ApprovalCommand {
    /// `{"policy", "subject", "context"}` → the approval plan with triggering rules and fact values.
    Plan(JsonInput),
    /// `{"start", "previous"?}` → a new approval instance (keeping still-valid approvals of `previous`) and its events.
    Start(JsonInput),
    /// `{"instance", "command", "now"}` → the instance after the decision and its events.
    Decide(JsonInput),
}

#[derive(Subcommand)]
enum TermsCommand {
    /// `{"terms", "amount", "dates"}` → instalments with due dates and amounts.
    Schedule(JsonInput),
}

#[derive(Subcommand)]
enum CreditCommand {
    /// `{"customer_id", "credit_limit", "outstanding", "open_orders", "this_order", …}` → within / over by / on hold.
    Check(JsonInput),
}

#[derive(Subcommand)]
enum ShipmentCommand {
    /// Apply a command (pick, pack, dispatch, deliver, return …) to a shipment.
    Transition {
        /// `{"shipment": …, "command": …}` (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
    },
    /// Packing slip, delivery challan, label, consignment note and e-way bill data.
    Documents {
        /// `{"shipment": …, "eway_bill": …}` (`-` for stdin).
        #[arg(default_value = "-")]
        input: PathBuf,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Validate a catalog and report every problem at once.
    Validate {
        /// Catalog JSON (`-` for stdin).
        #[arg(default_value = "-")]
        catalog: PathBuf,
    },
    /// The catalog as one customer sees it, with prices at each product's MOQ.
    View {
        /// Catalog JSON.
        #[arg(long)]
        catalog: PathBuf,
        /// Price book definition JSON.
        #[arg(long)]
        book: PathBuf,
        /// Customer JSON.
        #[arg(long)]
        customer: PathBuf,
        /// Currency of the prices.
        #[arg(long, default_value = "INR")]
        currency: String,
        /// Channel (portal, mobile_app, sales_rep, edi).
        #[arg(long, default_value = "portal")]
        channel: String,
        /// Pricing instant, RFC 3339 (e.g. 2026-11-26T10:00:00+05:30).
        #[arg(long)]
        at: String,
        /// Only this category and its descendants.
        #[arg(long)]
        category: Option<String>,
    },
}

/// A failure: the printed message and the exit status.
struct Failure {
    status: u8,
    message: String,
}

impl<E: ErrorCode> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure {
            status: 2,
            message: describe(&e.info()),
        }
    }
}

fn describe(info: &ErrorInfo) -> String {
    info.to_string()
}

/// The `--max-document-bytes` of this run (set once in `main`).
static MAX_DOCUMENT_BYTES: OnceLock<usize> = OnceLock::new();

fn max_document_bytes() -> usize {
    MAX_DOCUMENT_BYTES
        .get()
        .copied()
        .unwrap_or(host::DEFAULT_MAX_DOCUMENT_BYTES)
}

/// Reads a document (a file, or stdin for `-`): at most the limit plus one
/// byte, so that a larger document is refused without being read whole.
fn read(path: &Path) -> Result<String, Failure> {
    let max = max_document_bytes();
    let cannot = |e: std::io::Error| Failure {
        status: 1,
        message: format!("cannot read {}: {e}", path.display()),
    };
    let mut bytes = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(cannot)?;
    }
    if bytes.len() > max {
        let e = HostError::new(
            "DOCUMENT_TOO_LARGE",
            Some(".".into()),
            format!("the document has more than {max} bytes (the limit; see --max-document-bytes)"),
        )
        .with_detail("limit", max.into());
        return Err(Failure {
            status: 2,
            message: format!("{}: {}", path.display(), describe(&e.info())),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        cannot(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e.utf8_error(),
        ))
    })
}

fn load<T: DeserializeOwned + schemars::JsonSchema>(path: &Path) -> Result<T, Failure> {
    let text = read(path)?;
    host::precision::check_document::<T>(&text).map_err(|e| Failure {
        status: 2,
        message: format!("{}: {}", path.display(), describe(&e.info())),
    })?;
    from_json(&text).map_err(|e| Failure {
        status: 2,
        message: format!("{}: {}", path.display(), describe(&e.info())),
    })
}

/// The payload `einvoice --validate` checks, in any of the three shapes a
/// user has at hand: a bare INV-01 payload (what the demo writes and the
/// IRP receives), the `einvoice` command's own output (`{"invoice": …,
/// "einvoice": …}`, taken as it is), or the request `{"einvoice": …,
/// "rates": …}`.
fn load_einvoice_to_validate(path: &Path) -> Result<ValidateEInvoiceRequest, Failure> {
    /// The `einvoice` command's output; the invoice beside it is not read.
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EInvoiceOutput {
        einvoice: EInvoice,
        #[allow(dead_code)]
        invoice: serde::de::IgnoredAny,
    }
    let text = read(path)?;
    let keys: std::collections::BTreeMap<String, serde::de::IgnoredAny> =
        serde_json::from_str(&text).unwrap_or_default();
    let failed = |e: b2b_oms::json::JsonError| Failure {
        status: 2,
        message: format!("{}: {}", path.display(), describe(&e.info())),
    };
    if keys.contains_key("Version") {
        let einvoice: EInvoice = from_json(&text).map_err(failed)?;
        return Ok(ValidateEInvoiceRequest {
            einvoice,
            rates: None,
        });
    }
    if keys.contains_key("invoice") && keys.contains_key("einvoice") {
        let out: EInvoiceOutput = from_json(&text).map_err(failed)?;
        return Ok(ValidateEInvoiceRequest {
            einvoice: out.einvoice,
            rates: None,
        });
    }
    from_json(&text).map_err(failed)
}

/// A document with problems: the file, how many, then every problem on its
/// own line with its code and field path.
fn invalid(path: &Path, what: &str, issues: &[ErrorInfo]) -> Failure {
    let mut message = format!(
        "{}: the {what} has {} problem(s):",
        path.display(),
        issues.len()
    );
    for issue in issues {
        message.push_str("\n  ");
        message.push_str(&describe(issue));
    }
    Failure { status: 2, message }
}

/// The problems an `INVALID_CATALOG` / `INVALID_PRICE_BOOK` error lists in
/// its details.
fn issues_of(e: &HostError) -> Option<Vec<ErrorInfo>> {
    let issues = e.details.get("issues")?;
    serde_json::from_value(issues.clone()).ok()
}

fn compile_failure(path: &Path, what: &str, e: &HostError) -> Failure {
    match issues_of(e) {
        Some(issues) => invalid(path, what, &issues),
        None => Failure {
            status: 2,
            message: format!("{}: {}", path.display(), describe(&e.info())),
        },
    }
}

fn load_catalog(path: &Path) -> Result<Arc<Catalog>, Failure> {
    let products: Vec<Product> = load(path)?;
    ops::compile_catalog(products).map_err(|e| compile_failure(path, "catalog", &e))
}

fn load_book(book: &Path, catalog: &Path) -> Result<PriceBook, Failure> {
    let catalog = load_catalog(catalog)?;
    let def: PriceBookDefinition = load(book)?;
    ops::compile_price_book(def, catalog).map_err(|e| compile_failure(book, "price book", &e))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    print!("{}", to_json_pretty(value)?);
    Ok(())
}

/// Prints a batch's answers; any refused value makes the exit status 2.
fn batch_done(out: &serde_json::Value, refused: usize) -> Result<(), Failure> {
    print_json(out)?;
    if refused == 0 {
        return Ok(());
    }
    let total = out.as_array().map_or(0, Vec::len);
    Err(Failure {
        status: 2,
        message: format!("{refused} of {total} value(s) refused (each error is in the output)"),
    })
}

/// A ledger command: the ledger from `--ledger` (or INPUT), the command,
/// the new ledger printed (and, with `--write`, written back whole).
fn ledger(args: &LedgerArgs, op: LedgerOp) -> Result<(), Failure> {
    let input = match &args.ledger {
        Some(path) => {
            let ledger: LedgerState = load(path)?;
            let r: LedgerRequests = load(&args.input)?;
            LedgerCommandInput {
                ledger,
                order_id: r.order_id,
                requests: r.requests,
            }
        }
        None => load(&args.input)?,
    };
    let state = op(&input)?;
    let text = to_json_pretty(&state)?;
    if let (true, Some(path)) = (args.write, &args.ledger) {
        write_whole(path, &text)?;
    }
    print!("{text}");
    Ok(())
}

/// Replaces a file whole: the text goes to a sibling file first, renamed
/// over the original, so a failure leaves the old file as it was.
fn write_whole(path: &Path, text: &str) -> Result<(), Failure> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| Failure {
            status: 1,
            message: format!("cannot write {}: {e}", path.display()),
        })
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Price {
            catalog,
            book,
            customer,
            order,
        } => {
            let book = load_book(&book, &catalog)?;
            let customer: Customer = load(&customer)?;
            let request: PriceRequest = load(&order)?;
            print_json(&ops::price_order_with(&book, &customer, &request)?)
        }
        Command::Catalog {
            command: CatalogCommand::Validate { catalog },
        } => {
            let catalog = load_catalog(&catalog)?;
            println!("ok: {} products", catalog.len());
            Ok(())
        }
        Command::Catalog {
            command:
                CatalogCommand::View {
                    catalog,
                    book,
                    customer,
                    currency,
                    channel,
                    at,
                    category,
                },
        } => {
            let compiled = load_book(&book, &catalog)?;
            let channel: Channel = from_json(&format!("{channel:?}")).map_err(|e| Failure {
                status: 2,
                message: format!("--channel: {e}"),
            })?;
            let at = DateTime::<FixedOffset>::parse_from_rfc3339(&at).map_err(|e| Failure {
                status: 2,
                message: format!("--at {at:?}: not an RFC 3339 instant ({e})"),
            })?;
            let customer: Customer = load(&customer)?;
            print_json(&ops::catalog_view_for(
                &compiled,
                &customer,
                channel,
                &currency,
                at,
                category.as_deref(),
            )?)
        }
        Command::Classify {
            policy,
            catalog,
            inquiry,
        } => {
            let policy: ClassificationPolicy = load(&policy)?;
            let classifier = Classifier::compile(policy)?;
            let inquiry: Inquiry = load(&inquiry)?;
            let catalog = match catalog {
                Some(path) => Some(load_catalog(&path)?),
                None => None,
            };
            print_json(&ops::classify_with(
                &classifier,
                &inquiry,
                catalog.as_deref(),
            )?)
        }
        Command::Gstin { input, batch: true } => {
            let text = read(Path::new(&input))?;
            let (out, refused) = batch::run(
                &text,
                |t| batch::plain_string(t).map(|gstin| GstinRequest { gstin, as_of: None }),
                ops::gstin,
            )?;
            batch_done(&out, refused)
        }
        Command::Words {
            input,
            currency,
            batch: true,
        } => {
            let text = read(Path::new(&input))?;
            let (out, refused) = batch::run(
                &text,
                |t| {
                    let amount = batch::plain_string(t)?;
                    let amount = amount.parse().map_err(|e| {
                        HostError::new(
                            "INVALID_JSON",
                            None,
                            format!("amount {amount:?} is not a decimal number ({e})"),
                        )
                    })?;
                    Ok(WordsRequest {
                        amount,
                        currency: currency.clone(),
                    })
                },
                ops::words,
            )?;
            batch_done(&out, refused)
        }
        Command::Gstin {
            input,
            batch: false,
        } => {
            let request: GstinRequest = if input == "-" || Path::new(&input).is_file() {
                load(Path::new(&input))?
            } else {
                GstinRequest {
                    gstin: input,
                    as_of: None,
                }
            };
            print_json(&ops::gstin(&request)?)
        }
        Command::Invoice { input } => print_json(&ops::invoice(&load(&input)?)?),
        Command::Einvoice {
            input,
            validate: false,
        } => print_json(&ops::einvoice(&load(&input)?)?),
        Command::Einvoice {
            input,
            validate: true,
        } => {
            let violations = ops::einvoice_validate(&load_einvoice_to_validate(&input)?)?;
            print_json(&violations)?;
            if violations.is_empty() {
                Ok(())
            } else {
                Err(Failure {
                    status: 2,
                    message: format!("{} violation(s) of the e-invoice rules", violations.len()),
                })
            }
        }
        Command::Words {
            input,
            currency,
            batch: false,
        } => {
            let request: WordsRequest = if input == "-" || Path::new(&input).is_file() {
                load(Path::new(&input))?
            } else {
                // Exactly: more digits than a decimal holds are refused, not rounded.
                let amount =
                    rust_decimal::Decimal::from_str_exact(&input).map_err(|e| Failure {
                        status: 2,
                        message: format!("amount {input:?} is not a decimal number ({e})"),
                    })?;
                WordsRequest { amount, currency }
            };
            print_json(&ops::words(&request)?)
        }
        Command::Number { input } => print_json(&ops::number(&load(&input)?)?),
        Command::Allocate { input } => print_json(&ops::allocate(&load(&input)?)?),
        Command::Ship { input } => print_json(&ops::ship(&load(&input)?)?),
        Command::Shipment {
            command: ShipmentCommand::Transition { input },
        } => print_json(&ops::shipment_transition(&load(&input)?)?),
        Command::Shipment {
            command: ShipmentCommand::Documents { input },
        } => print_json(&ops::shipment_documents(&load(&input)?)?),
        Command::Quote { command } => match command {
            QuoteCommand::Build(i) => print_json(&ops::quote_build(&load(&i.input)?)?),
            QuoteCommand::Revise(i) => print_json(&ops::quote_revise(&load(&i.input)?)?),
            QuoteCommand::Accept(i) => print_json(&ops::quote_accept(&load(&i.input)?)?),
            QuoteCommand::BuyerSubmit(i) => print_json(&ops::quote_buyer_submit(&load(&i.input)?)?),
            QuoteCommand::Convert(i) => print_json(&ops::quote_convert(&load(&i.input)?)?),
            QuoteCommand::Submit(i) => print_json(&ops::quote_submit(&load(&i.input)?)?),
            QuoteCommand::Issue(i) => print_json(&ops::quote_issue(&load(&i.input)?)?),
            QuoteCommand::Decline(i) => print_json(&ops::quote_decline(&load(&i.input)?)?),
            QuoteCommand::Withdraw(i) => print_json(&ops::quote_withdraw(&load(&i.input)?)?),
            QuoteCommand::Expire(i) => print_json(&ops::quote_expire(&load(&i.input)?)?),
            QuoteCommand::Diff(i) => print_json(&ops::quote_diff(&load(&i.input)?)?),
        },
        Command::Order { command } => match command {
            OrderCommand::Submit(i) => print_json(&ops::order_submit(&load(&i.input)?)?),
            OrderCommand::Confirm(i) => print_json(&ops::order_confirm(&load(&i.input)?)?),
            OrderCommand::Amend(i) => print_json(&ops::order_amend(&load(&i.input)?)?),
            OrderCommand::Cancel(i) => print_json(&ops::order_cancel(&load(&i.input)?)?),
            OrderCommand::Close(i) => print_json(&ops::order_close(&load(&i.input)?)?),
            OrderCommand::ApplyPlan(i) => print_json(&ops::order_apply_plan(&load(&i.input)?)?),
            OrderCommand::ApplyDispatch(i) => {
                print_json(&ops::order_apply_dispatch(&load(&i.input)?)?)
            }
            OrderCommand::ApprovalPlan(i) => {
                print_json(&ops::order_approval_plan(&load(&i.input)?)?)
            }
            OrderCommand::CreditCheck(i) => print_json(&ops::order_credit_check(&load(&i.input)?)?),
            OrderCommand::Invoice(i) => print_json(&ops::invoice_from_order(&load(&i.input)?)?),
        },
        Command::Ledger { command } => {
            let (args, op): (_, LedgerOp) = match command {
                LedgerCommand::Reserve(a) => (a, ops::ledger_reserve),
                LedgerCommand::Release(a) => (a, ops::ledger_release),
                LedgerCommand::Consume(a) => (a, ops::ledger_consume),
                LedgerCommand::Quarantine(a) => (a, ops::ledger_quarantine),
            };
            ledger(&args, op)
        }
        Command::Approval { command } => match command {
            ApprovalCommand::Plan(i) => print_json(&ops::approval_plan(&load(&i.input)?)?),
            ApprovalCommand::Start(i) => print_json(&ops::approval_start(&load(&i.input)?)?),
            ApprovalCommand::Decide(i) => print_json(&ops::approval_decide(&load(&i.input)?)?),
        },
        Command::Terms {
            command: TermsCommand::Schedule(i),
        } => print_json(&ops::terms_schedule(&load(&i.input)?)?),
        Command::Credit {
            command: CreditCommand::Check(i),
        } => print_json(&ops::credit_check(&load(&i.input)?)?),
        Command::Demo {
            write_inputs: Some(dir),
            ..
        } => demo::write_inputs(&dir).map_err(|e| Failure {
            status: 1,
            message: format!("the demo failed: {e}"),
        }),
        Command::Demo {
            json,
            out,
            write_inputs: None,
        } => {
            let folder = out.unwrap_or_else(|| std::env::temp_dir().join("b2b-oms-demo"));
            demo::run(json, &folder).map_err(|e| Failure {
                status: 1,
                message: format!("the demo failed: {e}"),
            })
        }
        Command::Call {
            operation,
            input,
            pretty,
        } => {
            let text = read(&input)?;
            let options = host::CallOptions {
                max_document_bytes: max_document_bytes(),
            };
            let out = host::call_with(&operation, &text, &options)?;
            if pretty {
                let value: serde_json::Value = from_json(&out)?;
                print_json(&value)
            } else {
                println!("{out}");
                Ok(())
            }
        }
        Command::Operations => {
            for op in host::Operation::ALL {
                let families: Vec<&str> = op.families().iter().map(|f| f.as_str()).collect();
                println!(
                    "{:<22} {} [{}]",
                    op.name(),
                    op.summary(),
                    families.join(", ")
                );
            }
            Ok(())
        }
        Command::Schema => {
            print!("{}", b2b_oms::schema::json_schema());
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = MAX_DOCUMENT_BYTES.set(cli.max_document_bytes);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.status)
        }
    }
}
