//! Input and output types of invoices, notes and their computation.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::tax::{
    Cess, RateKind, RecipientCategory, RegimeDecision, SupplierRegistration, TaxHeads, Warning,
    ZeroRatedMode,
};

/// A postal address. `state_code` is the GST state code (`96` abroad).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InvoiceAddress")]
pub struct Address {
    /// First address line.
    #[serde(default)]
    pub line1: String,
    /// Second address line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// City or locality.
    #[serde(default)]
    pub city: String,
    /// GST state code, e.g. `27`.
    #[serde(default)]
    pub state_code: String,
    /// PIN code (six digits in India).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
    /// ISO 3166 alpha-2 country code; India when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A seller, buyer, consignee or dispatch location.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InvoiceParty")]
pub struct Party {
    /// Legal name (as registered).
    pub legal_name: String,
    /// Trade name, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_name: Option<String>,
    /// GSTIN; absent for unregistered and overseas parties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gstin: Option<String>,
    /// Address.
    #[serde(default)]
    pub address: Address,
}

/// Invoice, credit note or debit note.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// Tax invoice, bill of supply or export invoice (decided by the regime).
    #[default]
    Invoice,
    /// Credit note against an original invoice (Rule 53).
    CreditNote,
    /// Debit note against an original invoice (Rule 53).
    DebitNote,
}

/// The document actually produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Tax invoice (Rule 46), including export and SEZ invoices.
    TaxInvoice,
    /// Bill of supply (Rule 49): composition supplier or no taxable line.
    BillOfSupply,
    /// Credit note (Rule 53).
    CreditNote,
    /// Debit note (Rule 53).
    DebitNote,
}

/// How an other charge (freight, packing, insurance, TCS) is billed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ChargeBilling {
    /// Part of the goods' taxable value, spread over goods lines in proportion
    /// to their taxable values (remainder to the last line).
    #[default]
    SpreadOverGoods,
    /// Its own service line (SAC, default 9965) at its own rate class.
    ServiceLine,
    /// After tax, not taxable value (e.g. TCS): goes to other charges.
    AfterTax,
}

/// An other charge on the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Charge {
    /// What it is, e.g. `Freight`.
    pub description: String,
    /// Amount in the invoice currency, before tax.
    pub amount: Decimal,
    /// How it is billed.
    #[serde(default)]
    pub billing: ChargeBilling,
    /// SAC for a service line (default `9965`, goods transport).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sac: Option<String>,
    /// Rate class for a service line (default `GST18`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_class: Option<String>,
}

/// Reference from an invoice line to the order line it bills, with the
/// quantities the host knows, so over-invoicing is rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineRef {
    /// Order id.
    pub order_id: String,
    /// Order line id.
    pub line_id: String,
    /// Shipment the quantity comes from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<String>,
    /// Quantity ordered.
    pub ordered: Decimal,
    /// Quantity shipped so far.
    pub shipped: Decimal,
    /// Quantity already invoiced on earlier invoices.
    #[serde(default)]
    pub already_invoiced: Decimal,
}

/// Batch details of a line (e-invoice `BchDtls`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// Batch name or number.
    pub name: String,
    /// Expiry date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
    /// Warranty date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty_date: Option<NaiveDate>,
}

/// One line to invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    /// Description.
    pub description: String,
    /// HSN (goods) or SAC (services, starting with 99).
    pub hsn: String,
    /// Quantity (0 allowed only with `amount` on notes).
    pub quantity: Decimal,
    /// GST unit quantity code; may be empty for services.
    #[serde(default)]
    pub uqc: String,
    /// Unit price in the invoice currency (tax-inclusive when the setting
    /// `prices_include_tax` is on).
    pub unit_price: Decimal,
    /// Line discount amount.
    #[serde(default)]
    pub discount: Decimal,
    /// Rate class (e.g. `GST18`); when absent the HSN is looked up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_class: Option<String>,
    /// Explicit GST rate in percent (checked against the notified slabs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gst_rate: Option<Decimal>,
    /// Explicit cess, used with `gst_rate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cess: Option<Cess>,
    /// Value-only notes: the amount instead of quantity × price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// Notes: index of the original invoice's line (its rates are used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_line: Option<usize>,
    /// The order line billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_ref: Option<OrderLineRef>,
    /// Batch details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Batch>,
    /// The host's own data (ids, flags of its ERP), carried as it is and
    /// never read by the library: the one place for fields the format does
    /// not have, since every other unknown field is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A line of the original invoice, as a note needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginalLine {
    /// HSN of the original line.
    pub hsn: String,
    /// Its GST rate in percent.
    pub gst_rate: Decimal,
    /// Its cess.
    #[serde(default)]
    pub cess: Cess,
    /// Taxable, nil, exempt or non-GST.
    #[serde(default)]
    pub kind: RateKind,
    /// Its taxable value in rupees.
    pub taxable_value: Decimal,
    /// Taxable value already credited by earlier credit notes.
    #[serde(default)]
    pub already_credited: Decimal,
}

/// The original invoice a note refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginalInvoice {
    /// Its number.
    pub number: String,
    /// Its date (rates are taken as of this date).
    pub date: NaiveDate,
    /// Its lines (required for credit notes, to cap the credit).
    #[serde(default)]
    pub lines: Vec<OriginalLine>,
}

/// Export details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportDetails {
    /// Invoice currency (ISO 4217), e.g. `USD`.
    pub currency: String,
    /// Rupees per unit of `currency` (input; the library never fetches it).
    pub exchange_rate: Decimal,
    /// Port code, e.g. `INNSA1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_code: Option<String>,
    /// Shipping bill number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_bill_no: Option<String>,
    /// Shipping bill date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_bill_date: Option<NaiveDate>,
    /// Destination country, ISO 3166 alpha-2.
    pub country_code: String,
}

/// One payment instalment: a percentage due some days after the invoice date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "InvoiceInstalment")]
pub struct Instalment {
    /// Percent of the amount payable (instalments sum to 100).
    pub percent: Decimal,
    /// Days after the invoice date.
    pub days: u32,
}

/// E-way bill details passed through to the e-invoice (`EwbDtls`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EwayBill {
    /// Transporter GSTIN or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_id: Option<String>,
    /// Transporter name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transporter_name: Option<String>,
    /// Distance in km (0 lets the IRP compute it).
    #[serde(default)]
    pub distance_km: u32,
    /// Mode: 1 road, 2 rail, 3 air, 4 ship. Road needs `vehicle_no`; rail,
    /// air and ship need `transport_doc_no`; leave it out when only the
    /// transporter is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Transport document number (railway receipt, airway bill, bill of
    /// lading) for rail, air or ship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_doc_no: Option<String>,
    /// Transport document date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_doc_date: Option<NaiveDate>,
    /// Vehicle number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_no: Option<String>,
    /// Vehicle type: R regular, O over-dimensional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<String>,
}

/// Settings of the computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceSettings {
    /// Round the grand total to the rupee (half-up); default on.
    #[serde(default = "yes")]
    pub round_off: bool,
    /// Unit prices, discounts and charges include tax (B2C style).
    #[serde(default)]
    pub prices_include_tax: bool,
    /// Minimum HSN length (4 up to ₹5 crore turnover, 6 above).
    #[serde(default = "four")]
    pub hsn_min_length: u8,
    /// Maximum lines accepted (default 10,000).
    #[serde(default = "max_lines")]
    pub max_lines: usize,
    /// Advance invoice: order lines are capped by ordered, not shipped.
    #[serde(default)]
    pub advance: bool,
}

fn yes() -> bool {
    true
}
fn four() -> u8 {
    4
}
fn max_lines() -> usize {
    10_000
}

impl Default for InvoiceSettings {
    fn default() -> Self {
        Self {
            round_off: true,
            prices_include_tax: false,
            hsn_min_length: 4,
            max_lines: 10_000,
            advance: false,
        }
    }
}

/// Everything needed to compute an invoice or a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceInput {
    /// Invoice, credit note or debit note.
    #[serde(default)]
    pub document_type: DocumentType,
    /// Document number (see [`crate::invoice::format_document_number`]).
    pub number: String,
    /// Document date.
    pub date: NaiveDate,
    /// Time of supply, when not the document date (rates are taken then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_of_supply: Option<NaiveDate>,
    /// The instant the document is issued: its event's `at` (the document
    /// date at 00:00 IST when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Seller.
    pub seller: Party,
    /// Seller's registration type.
    #[serde(default)]
    pub supplier_registration: SupplierRegistration,
    /// Buyer (bill-to).
    pub buyer: Party,
    /// Buyer category: regular, SEZ, deemed export, overseas.
    #[serde(default)]
    pub recipient_category: RecipientCategory,
    /// Consignee (ship-to), when different from the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Party>,
    /// Dispatch-from location, when different from the seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_from: Option<Party>,
    /// Goods go to the ship-to on the bill-to party's direction.
    #[serde(default)]
    pub bill_to_ship_to: bool,
    /// Explicit place of supply (state code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_supply: Option<String>,
    /// Export/SEZ: with IGST payment or under LUT/bond.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero_rated_mode: Option<ZeroRatedMode>,
    /// Reverse charge applies.
    #[serde(default)]
    pub reverse_charge: bool,
    /// E-commerce operator GSTIN (`EcmGstin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecommerce_gstin: Option<String>,
    /// Export details (required for overseas buyers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<ExportDetails>,
    /// Lines.
    pub lines: Vec<LineInput>,
    /// Order-level discount spread over lines by taxable value.
    #[serde(default)]
    pub order_discount: Decimal,
    /// Other charges.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// The original invoice (notes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<OriginalInvoice>,
    /// Payment terms as instalments (percent, days after the invoice date).
    #[serde(default)]
    pub payment_terms: Vec<Instalment>,
    /// The order's payment terms with their basis dates (instead of
    /// `payment_terms`): due dates from the credit module's schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_terms: Option<super::terms::OrderPaymentTerms>,
    /// Document numbers already issued in the series (told by the host);
    /// `number` must not be one of them (compared case-insensitively).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issued_numbers: Vec<String>,
    /// E-way bill details for the e-invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eway_bill: Option<EwayBill>,
    /// Settings.
    #[serde(default)]
    pub settings: InvoiceSettings,
    /// The host's own data (ids, flags of its ERP), carried as it is and
    /// never read by the library: the one place for fields the format does
    /// not have, since every other unknown field is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A computed line. All amounts are rupees rounded to paise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLine {
    /// Serial number, from 1.
    pub sl_no: usize,
    /// Description.
    pub description: String,
    /// HSN/SAC.
    pub hsn: String,
    /// A service (SAC starting with 99).
    pub is_service: bool,
    /// Quantity.
    pub quantity: Decimal,
    /// UQC.
    pub uqc: String,
    /// Unit price in rupees, before tax.
    pub unit_price: Decimal,
    /// Gross = quantity × unit price (before tax).
    pub gross: Decimal,
    /// Line discount plus its share of the order discount (before tax).
    pub discount: Decimal,
    /// Share of other charges spread over this line (before tax).
    pub charges: Decimal,
    /// Taxable value = gross − discount + charges.
    pub taxable_value: Decimal,
    /// Taxable, nil, exempt or non-GST.
    pub kind: RateKind,
    /// GST rate charged, in percent (0 when zero-rated or no tax).
    pub gst_rate: Decimal,
    /// Rate notified for the line (even when not charged).
    pub notified_rate: Decimal,
    /// Tax heads of the line (the invoice's heads, or none).
    pub heads: TaxHeads,
    /// CGST amount.
    pub cgst: Decimal,
    /// SGST or UTGST amount.
    pub sgst: Decimal,
    /// IGST amount.
    pub igst: Decimal,
    /// Cess rate charged (ad valorem, percent).
    pub cess_rate: Decimal,
    /// Ad valorem compensation cess.
    pub cess: Decimal,
    /// Specific (per unit) compensation cess.
    pub cess_non_advol: Decimal,
    /// State cess rate (percent).
    pub state_cess_rate: Decimal,
    /// Ad valorem state cess.
    pub state_cess: Decimal,
    /// Specific state cess.
    pub state_cess_non_advol: Decimal,
    /// Line total = taxable value + all taxes and cess.
    pub total: Decimal,
    /// Tax-inclusive amount of the line, when prices include tax.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusive_amount: Option<Decimal>,
    /// Where the rate came from.
    pub rate_source: String,
    /// The line comes from a charge billed as a service line.
    #[serde(default)]
    pub from_charge: bool,
    /// Order line billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_ref: Option<OrderLineRef>,
    /// Batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Batch>,
}

/// One row of the HSN summary, grouped by (HSN, rate, UQC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HsnSummaryRow {
    /// HSN/SAC.
    pub hsn: String,
    /// GST rate in percent.
    pub gst_rate: Decimal,
    /// UQC.
    pub uqc: String,
    /// Total quantity.
    pub quantity: Decimal,
    /// Taxable value.
    pub taxable_value: Decimal,
    /// IGST.
    pub igst: Decimal,
    /// CGST.
    pub cgst: Decimal,
    /// SGST/UTGST.
    pub sgst: Decimal,
    /// Compensation cess (ad valorem + specific).
    pub cess: Decimal,
    /// State cess (ad valorem + specific).
    pub state_cess: Decimal,
    /// Total value (taxable + taxes).
    pub total: Decimal,
}

/// Totals: the sums of the rounded line values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Sum of gross.
    pub gross: Decimal,
    /// Sum of discounts.
    pub discount: Decimal,
    /// Sum of charges spread over lines.
    pub charges_in_value: Decimal,
    /// Taxable value of taxable and zero-rated lines.
    pub taxable_value: Decimal,
    /// Value of nil-rated, exempt and non-GST lines.
    pub nil_exempt_value: Decimal,
    /// CGST.
    pub cgst: Decimal,
    /// SGST/UTGST.
    pub sgst: Decimal,
    /// IGST.
    pub igst: Decimal,
    /// Compensation cess (ad valorem + specific).
    pub cess: Decimal,
    /// State cess (ad valorem + specific).
    pub state_cess: Decimal,
    /// All taxes and cess.
    pub total_tax: Decimal,
    /// Charges after tax (e.g. TCS), not taxable value.
    pub charges_after_tax: Decimal,
    /// Round-off (within ±0.50).
    pub round_off: Decimal,
    /// Grand total (invoice value).
    pub grand_total: Decimal,
    /// Tax payable by the recipient under reverse charge.
    pub tax_payable_by_recipient: Decimal,
    /// Amount the buyer pays the seller.
    pub amount_payable: Decimal,
}

/// A due date and amount from the payment terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DueDate {
    /// Due date.
    pub date: NaiveDate,
    /// Percent of the amount payable.
    pub percent: Decimal,
    /// Amount due (instalments sum exactly to the amount payable).
    pub amount: Decimal,
    /// An advance: due on ordering, so it can fall before the invoice date
    /// (the invoice shows what it accounts for, not a new demand).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advance: bool,
}

/// A reference to the original invoice of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    /// Number.
    pub number: String,
    /// Date.
    pub date: NaiveDate,
}

/// Export figures of the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportSummary {
    /// The export details given.
    pub details: ExportDetails,
    /// Grand total in the foreign currency.
    pub total_foreign: Decimal,
    /// It in words, in the currency's own names.
    pub total_foreign_in_words: String,
}

/// A computed invoice, bill of supply or note with every Rule 46 field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// Tax invoice, bill of supply, credit note, debit note.
    pub kind: DocumentKind,
    /// Title to print.
    pub title: String,
    /// Number.
    pub number: String,
    /// Date.
    pub date: NaiveDate,
    /// Financial year, e.g. `26-27`.
    pub financial_year: String,
    /// Date the rates were taken for.
    pub rate_date: NaiveDate,
    /// Seller.
    pub seller: Party,
    /// Buyer.
    pub buyer: Party,
    /// Ship-to, when different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<Party>,
    /// Dispatch-from, when different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_from: Option<Party>,
    /// The tax regime and its reasons (place of supply inside).
    pub regime: RegimeDecision,
    /// Place of supply as printed: `Karnataka (29)`.
    pub place_of_supply: String,
    /// Reverse charge: yes/no.
    pub reverse_charge: bool,
    /// E-commerce operator GSTIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecommerce_gstin: Option<String>,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// HSN summary.
    pub hsn_summary: Vec<HsnSummaryRow>,
    /// Totals.
    pub totals: Totals,
    /// Grand total in words (rupees).
    pub amount_in_words: String,
    /// Grand total in Indian digit grouping.
    pub grand_total_display: String,
    /// Endorsements to print.
    pub endorsements: Vec<String>,
    /// Original invoice (notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<DocumentRef>,
    /// Export figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<ExportSummary>,
    /// Due dates.
    pub due_dates: Vec<DueDate>,
    /// E-way bill details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eway_bill: Option<EwayBill>,
    /// Warnings.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// The document's event (`invoice_issued`, `credit_note_issued` or
    /// `debit_note_issued`) for the host to deliver to the buyer.
    pub events: Vec<crate::events::DomainEvent>,
}
