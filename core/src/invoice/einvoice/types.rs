//! The INV-01 v1.1 payload types, one struct per section.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{num, num_opt};

/// `TranDtls`: transaction details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct TranDtls {
    /// Always `GST`.
    pub tax_sch: String,
    /// `B2B`, `SEZWP`, `SEZWOP`, `EXPWP`, `EXPWOP`, `DEXP`.
    pub sup_typ: String,
    /// Reverse charge `Y`/`N`.
    pub reg_rev: String,
    /// E-commerce operator GSTIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecm_gstin: Option<String>,
    /// IGST on an intra-state supply `Y`/`N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub igst_on_intra: Option<String>,
}

/// `DocDtls`: document type, number and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct DocDtls {
    /// `INV`, `CRN` or `DBN`.
    pub typ: String,
    /// Document number.
    pub no: String,
    /// Date `dd/mm/yyyy`.
    pub dt: String,
}

/// `SellerDtls` and `ShipDtls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct PartyDtls {
    /// GSTIN, or `URP` for an unregistered person.
    pub gstin: String,
    /// Legal name.
    pub lgl_nm: String,
    /// Trade name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code.
    pub pin: u32,
    /// State code.
    pub stcd: String,
}

/// `BuyerDtls`: the buyer, with the place of supply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct BuyerDtls {
    /// GSTIN, or `URP` for exports.
    pub gstin: String,
    /// Legal name.
    pub lgl_nm: String,
    /// Trade name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trd_nm: Option<String>,
    /// Place of supply state code (`96` for exports).
    pub pos: String,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code (`999999` for exports).
    pub pin: u32,
    /// State code (`96` for exports).
    pub stcd: String,
}

/// `DispDtls`: dispatch-from location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct LocationDtls {
    /// Name.
    pub nm: String,
    /// Address line 1.
    pub addr1: String,
    /// Address line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addr2: Option<String>,
    /// Location.
    pub loc: String,
    /// PIN code.
    pub pin: u32,
    /// State code.
    pub stcd: String,
}

/// `BchDtls`: batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct BatchDtls {
    /// Batch name.
    pub nm: String,
    /// Expiry date `dd/mm/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_dt: Option<String>,
    /// Warranty date `dd/mm/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wr_dt: Option<String>,
}

/// One entry of `ItemList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct ItemDtls {
    /// Serial number.
    pub sl_no: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prd_desc: Option<String>,
    /// `Y` for services (HSN starting with 99).
    pub is_servc: String,
    /// HSN/SAC.
    pub hsn_cd: String,
    /// Quantity.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num_opt")]
    #[schemars(with = "Option<num::DecimalNumber>")]
    pub qty: Option<Decimal>,
    /// UQC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit price.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub unit_price: Decimal,
    /// Gross amount (plus spread charges).
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub tot_amt: Decimal,
    /// Discount.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub discount: Decimal,
    /// Assessable value = `TotAmt − Discount`.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub ass_amt: Decimal,
    /// GST rate in percent.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub gst_rt: Decimal,
    /// IGST.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub igst_amt: Decimal,
    /// CGST.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub cgst_amt: Decimal,
    /// SGST (or UTGST).
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub sgst_amt: Decimal,
    /// Cess rate.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub ces_rt: Decimal,
    /// Ad valorem cess.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub ces_amt: Decimal,
    /// Specific cess.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub ces_non_advl_amt: Decimal,
    /// State cess rate.
    #[serde(default, skip_serializing_if = "Decimal::is_zero", with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub state_ces_rt: Decimal,
    /// State cess.
    #[serde(default, skip_serializing_if = "Decimal::is_zero", with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub state_ces_amt: Decimal,
    /// Specific state cess.
    #[serde(default, skip_serializing_if = "Decimal::is_zero", with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub state_ces_non_advl_amt: Decimal,
    /// Other charges of the item (after tax).
    #[serde(default, skip_serializing_if = "Decimal::is_zero", with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub oth_chrg: Decimal,
    /// Item total.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub tot_item_val: Decimal,
    /// Order line reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ord_line_ref: Option<String>,
    /// Batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bch_dtls: Option<BatchDtls>,
}

/// `ValDtls`: document totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct ValDtls {
    /// Sum of `AssAmt`.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub ass_val: Decimal,
    /// Sum of `CgstAmt`.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub cgst_val: Decimal,
    /// Sum of `SgstAmt`.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub sgst_val: Decimal,
    /// Sum of `IgstAmt`.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub igst_val: Decimal,
    /// Sum of cess.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub ces_val: Decimal,
    /// Sum of state cess.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub st_ces_val: Decimal,
    /// Invoice-level discount.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub discount: Decimal,
    /// Other charges (nil/exempt values, charges after tax).
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub oth_chrg: Decimal,
    /// Round-off.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub rnd_off_amt: Decimal,
    /// Invoice total.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub tot_inv_val: Decimal,
    /// Invoice total in foreign currency.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "num_opt")]
    #[schemars(with = "Option<num::DecimalNumber>")]
    pub tot_inv_val_fc: Option<Decimal>,
}

/// `PayDtls`: payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct PayDtls {
    /// Credit days.
    pub cr_day: u32,
    /// Paid amount.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub paid_amt: Decimal,
    /// Amount due.
    #[serde(with = "num")]
    #[schemars(with = "num::DecimalNumber")]
    pub paymt_due: Decimal,
}

/// A preceding document of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct PrecDocDtls {
    /// Original invoice number.
    pub inv_no: String,
    /// Original invoice date `dd/mm/yyyy`.
    pub inv_dt: String,
}

/// `RefDtls`: references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct RefDtls {
    /// Preceding documents.
    pub prec_doc_dtls: Vec<PrecDocDtls>,
}

/// `ExpDtls`: export details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct ExpDtls {
    /// Shipping bill number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_b_no: Option<String>,
    /// Shipping bill date `dd/mm/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_b_dt: Option<String>,
    /// Port code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    /// Refund claimed `Y`/`N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_clm: Option<String>,
    /// Foreign currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_cur: Option<String>,
    /// Destination country.
    pub cnt_code: String,
}

/// `EwbDtls`: e-way bill details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct EwbDtls {
    /// Transporter id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_id: Option<String>,
    /// Transporter name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_name: Option<String>,
    /// Distance in km.
    pub distance: u32,
    /// Mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_mode: Option<String>,
    /// Transport document number (railway receipt, airway bill, bill of
    /// lading) for rail, air or ship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_doc_no: Option<String>,
    /// Transport document date `dd/mm/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trans_doc_dt: Option<String>,
    /// Vehicle number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veh_no: Option<String>,
    /// Vehicle type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veh_type: Option<String>,
}

/// The e-invoice request payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "PascalCase")]
pub struct EInvoice {
    /// `1.1`.
    pub version: String,
    /// Transaction details.
    pub tran_dtls: TranDtls,
    /// Document details.
    pub doc_dtls: DocDtls,
    /// Seller.
    pub seller_dtls: PartyDtls,
    /// Buyer.
    pub buyer_dtls: BuyerDtls,
    /// Dispatch from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disp_dtls: Option<LocationDtls>,
    /// Ship to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_dtls: Option<PartyDtls>,
    /// Items.
    pub item_list: Vec<ItemDtls>,
    /// Totals.
    pub val_dtls: ValDtls,
    /// Payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_dtls: Option<PayDtls>,
    /// References.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_dtls: Option<RefDtls>,
    /// Export details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp_dtls: Option<ExpDtls>,
    /// E-way bill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ewb_dtls: Option<EwbDtls>,
}

/// One rule the e-invoice breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Violation {
    /// Stable code, e.g. `ITEM_TOTAL_MISMATCH`.
    pub code: String,
    /// Path in the payload, e.g. `ItemList[3].AssAmt`.
    pub field: String,
    /// Readable message with the values.
    pub message: String,
}
