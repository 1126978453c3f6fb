//! The e-invoice request payload (GSTN/NIC schema INV-01 v1.1) and its
//! validator. Amounts are JSON numbers written from decimals (never floats):
//! at most 2 decimals, 3 for quantity and unit price.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::types::{DocumentKind, Invoice, Party};
use super::InvoiceError;
use crate::money::RoundingMode;
use crate::tax::{state, validate_gstin, RateKind, RateTable, StateKind, SupplyType};

/// Serde for a decimal as a JSON number (exact, via raw JSON text).
mod num {
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::value::RawValue;

    /// The schema of a decimal written as a JSON number: `{"type":
    /// "number", "format": "decimal"}`, so that bindings and type
    /// generators tell INV-01's exact amounts from binary floats.
    pub struct DecimalNumber;

    impl schemars::JsonSchema for DecimalNumber {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "DecimalNumber".into()
        }

        fn inline_schema() -> bool {
            true
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({
                "type": "number",
                "format": "decimal",
            })
        }
    }

    /// Powers of ten, each exactly representable as a double.
    const POW10: [f64; 4] = [1e0, 1e1, 1e2, 1e3];

    pub(super) fn text(d: &Decimal) -> String {
        if d.is_zero() {
            "0".to_owned()
        } else {
            d.normalize().to_string()
        }
    }

    pub(super) fn parse(raw: &str) -> Result<Decimal, String> {
        let t = raw.trim().trim_matches('"');
        t.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(t))
            .map_err(|e| format!("not a decimal number {t:?}: {e}"))
    }

    /// Writes the decimal's exact digits as a JSON number.
    ///
    /// Integers go out as integers. A decimal of at most 15 significant
    /// digits and 3 decimals goes through `f64` purely as a transport: the IEEE quotient
    /// `mantissa / 10^scale` of two exactly representable integers is the
    /// double nearest the decimal, no other decimal of ≤ 15 digits maps to
    /// that double, and serde_json prints the shortest digits that map back
    /// to it — so the text is exactly the decimal's digits (a property test
    /// checks it). Anything longer is written verbatim as raw JSON text.
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        const LIMIT: i64 = 1_000_000_000_000_000;
        let scale = d.scale();
        // Up to 3 decimals (amounts, quantities, prices) and below 10^15 in
        // mantissa: serde_json writes these in plain notation.
        if let (Some(pow), Ok(m)) = (
            usize::try_from(scale).ok().and_then(|i| POW10.get(i)),
            i64::try_from(d.mantissa()),
        ) {
            if m.unsigned_abs() < LIMIT.unsigned_abs() {
                let p = 10i64.pow(scale);
                if m % p == 0 {
                    return s.serialize_i64(m / p);
                }
                // Exact: |m| < 2^53 and 10^scale ≤ 10^3 are representable.
                #[allow(clippy::cast_precision_loss)]
                let f = m as f64 / pow;
                return s.serialize_f64(f);
            }
        }
        let n = d.normalize();
        if n.is_zero() {
            return s.serialize_u64(0);
        }
        if n.scale() == 0 {
            if let Ok(i) = i64::try_from(n.mantissa()) {
                return s.serialize_i64(i);
            }
        }
        let raw = RawValue::from_string(text(d)).map_err(S::Error::custom)?;
        raw.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(d)?;
        parse(raw.get()).map_err(D::Error::custom)
    }
}

/// Serde for an optional decimal as a JSON number.
mod num_opt {
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::value::RawValue;

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::num::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let raw: Option<Box<RawValue>> = Deserialize::deserialize(d)?;
        match raw {
            Some(r) if r.get() != "null" => super::num::parse(r.get())
                .map(Some)
                .map_err(D::Error::custom),
            _ => Ok(None),
        }
    }
}

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
    // An `Invoice` may come from JSON rather than from `compute_invoice`:
    // bound its amounts so the sums below cannot overflow.
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
    let export = matches!(
        inv.regime.supply_type,
        SupplyType::Expwp | SupplyType::Expwop
    );
    let typ = match inv.kind {
        DocumentKind::CreditNote => "CRN",
        DocumentKind::DebitNote => "DBN",
        _ => "INV",
    };
    let seller = party_dtls(&inv.seller, "seller")?;
    let b = &inv.buyer;
    let buyer = if export {
        BuyerDtls {
            gstin: "URP".to_owned(),
            lgl_nm: b.legal_name.clone(),
            trd_nm: b.trade_name.clone(),
            pos: "96".to_owned(),
            addr1: b.address.line1.clone(),
            addr2: b.address.line2.clone(),
            loc: b.address.city.clone(),
            pin: 999_999,
            stcd: "96".to_owned(),
        }
    } else {
        let p = party_dtls(b, "buyer")?;
        BuyerDtls {
            gstin: p.gstin,
            lgl_nm: p.lgl_nm,
            trd_nm: p.trd_nm,
            pos: inv.regime.place_of_supply.clone(),
            addr1: p.addr1,
            addr2: p.addr2,
            loc: p.loc,
            pin: p.pin,
            stcd: p.stcd,
        }
    };
    let ship_dtls = match &inv.ship_to {
        Some(p) => Some(party_dtls(p, "ship_to")?),
        None => None,
    };
    let disp_dtls = match &inv.dispatch_from {
        Some(p) => Some(LocationDtls {
            nm: p.legal_name.clone(),
            addr1: p.address.line1.clone(),
            addr2: p.address.line2.clone(),
            loc: p.address.city.clone(),
            pin: pin_of(p, "dispatch_from")?,
            stcd: p.address.state_code.clone(),
        }),
        None => None,
    };
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
    let sum = |f: fn(&ItemDtls) -> Decimal| items.iter().map(f).sum::<Decimal>();
    let val = ValDtls {
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
    };
    let e = EInvoice {
        version: "1.1".to_owned(),
        tran_dtls: TranDtls {
            tax_sch: "GST".to_owned(),
            sup_typ: inv.regime.supply_type.code().to_owned(),
            reg_rev: if inv.reverse_charge { "Y" } else { "N" }.to_owned(),
            ecm_gstin: inv.ecommerce_gstin.clone(),
            igst_on_intra: inv.regime.igst_on_intra.then(|| "Y".to_owned()),
        },
        doc_dtls: DocDtls {
            typ: typ.to_owned(),
            no: inv.number.clone(),
            dt: dmy(inv.date),
        },
        seller_dtls: seller,
        buyer_dtls: buyer,
        disp_dtls,
        ship_dtls,
        item_list: items,
        val_dtls: val,
        pay_dtls: Some(PayDtls {
            cr_day: inv
                .due_dates
                .iter()
                .map(|d| (d.date - inv.date).num_days())
                .max()
                .and_then(|d| u32::try_from(d).ok())
                .unwrap_or(0),
            paid_amt: Decimal::ZERO,
            paymt_due: inv.totals.amount_payable,
        }),
        ref_dtls: inv.original.as_ref().map(|o| RefDtls {
            prec_doc_dtls: vec![PrecDocDtls {
                inv_no: o.number.clone(),
                inv_dt: dmy(o.date),
            }],
        }),
        exp_dtls: inv.export.as_ref().map(|ex| ExpDtls {
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
        }),
        ewb_dtls: inv.eway_bill.as_ref().map(|w| EwbDtls {
            trans_id: w.transporter_id.clone(),
            trans_name: w.transporter_name.clone(),
            distance: w.distance_km,
            trans_mode: w.mode.clone(),
            veh_no: w.vehicle_no.clone(),
            veh_type: w.vehicle_type.clone(),
        }),
    };
    validate_einvoice(&e, rates)?;
    Ok(e)
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

struct Checker {
    out: Vec<Violation>,
}

impl Checker {
    fn add(&mut self, code: &str, field: &str, message: String) {
        self.out.push(Violation {
            code: code.to_owned(),
            field: field.to_owned(),
            message,
        });
    }

    fn amount(&mut self, field: &str, v: Decimal, dp: u32, signed: bool) {
        if amount_ok(v, dp, signed) {
            return;
        }
        if v.normalize().scale() > dp {
            self.add(
                "TOO_MANY_DECIMALS",
                field,
                format!("{v} has more than {dp} decimals"),
            );
        }
        if !signed && v.is_sign_negative() && !v.is_zero() {
            self.add("NEGATIVE_AMOUNT", field, format!("{v} is negative"));
        }
    }

    fn name(&mut self, field: &str, v: &str, min: usize, max: usize) {
        let n = v.chars().count();
        if n < min || n > max {
            self.add(
                "INVALID_LENGTH",
                field,
                format!("{v:?} has {n} characters, allowed {min}-{max}"),
            );
        }
    }

    fn pin(&mut self, field: &str, pin: u32) {
        if !(100_000..=999_999).contains(&pin) {
            self.add(
                "INVALID_PIN",
                field,
                format!("PIN {pin} is not 100000-999999"),
            );
        }
    }

    fn state(&mut self, field: &str, code: &str, allow_96: bool) {
        match state(code) {
            Ok(s) if s.code == code && (allow_96 || s.kind != StateKind::OtherCountries) => {}
            _ => self.add(
                "INVALID_STATE_CODE",
                field,
                format!("{code:?} is not a state code here"),
            ),
        }
    }

    fn date(&mut self, field: &str, v: &str) -> Option<NaiveDate> {
        let parsed = NaiveDate::parse_from_str(v, "%d/%m/%Y")
            .ok()
            .filter(|_| v.len() == 10);
        if parsed.is_none() {
            self.add("INVALID_DATE", field, format!("{v:?} is not dd/mm/yyyy"));
        }
        parsed
    }
}

/// Cheap check run before building a field path.
fn amount_ok(v: Decimal, dp: u32, signed: bool) -> bool {
    (v.scale() <= dp || v.normalize().scale() <= dp)
        && (signed || !v.is_sign_negative() || v.is_zero())
}

fn doc_no_ok(no: &str) -> bool {
    let mut chars = no.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || ('1'..='9').contains(&c));
    first_ok
        && no.chars().count() <= 16
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '/' || c == '-')
}

/// Checks an e-invoice against the IRP's rules and reports every violation
/// at once (as [`InvoiceError::EInvoiceInvalid`]): amounts and their
/// decimals, `AssAmt = TotAmt − Discount`, item totals, header sums, notified
/// rates, CGST = SGST, one kind of tax heads, lengths and patterns, PIN and
/// state codes, export buyer fields, at most 1,000 items, round-off ±99.99.
///
/// One checker per INV-01 section, in document order; each reads its
/// section's field table (lengths, decimals, sums) below.
pub fn validate_einvoice(e: &EInvoice, rates: &RateTable) -> Result<(), InvoiceError> {
    let mut c = Checker { out: Vec::new() };
    let tran = check_tran_dtls(&mut c, e);
    let doc_date = check_doc_dtls(&mut c, &e.doc_dtls);
    check_seller_dtls(&mut c, &e.seller_dtls);
    check_buyer_dtls(&mut c, e, tran.export);
    check_exp_dtls(&mut c, e);
    check_ship_dtls(&mut c, e);
    check_disp_dtls(&mut c, e);
    let prec_date = check_ref_dtls(&mut c, e);
    let dates = [doc_date, prec_date];
    let items_too_big = check_item_list(&mut c, e, rates, &tran, dates);
    let totals_too_big = check_val_dtls_amounts(&mut c, &e.val_dtls);
    if items_too_big || totals_too_big {
        return finish(c);
    }
    check_val_dtls_sums(&mut c, e);
    finish(c)
}

/// INV-01 supply types (`TranDtls.SupTyp`).
const SUPPLY_TYPES: [&str; 6] = ["B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP"];
/// INV-01 document types (`DocDtls.Typ`).
const DOCUMENT_TYPES: [&str; 3] = ["INV", "CRN", "DBN"];

/// A text field's length rule: (field path, value if present, min, max
/// characters).
type TextRule<T> = (&'static str, fn(&T) -> Option<&str>, usize, usize);

/// INV-01 lengths of the seller's text fields, in report order.
const SELLER_TEXT: [TextRule<PartyDtls>; 4] = [
    ("SellerDtls.LglNm", |p| Some(&p.lgl_nm), 3, 100),
    ("SellerDtls.TrdNm", |p| p.trd_nm.as_deref(), 3, 100),
    ("SellerDtls.Addr1", |p| Some(&p.addr1), 1, 100),
    ("SellerDtls.Loc", |p| Some(&p.loc), 3, 50),
];

/// INV-01 lengths of the buyer's text fields, in report order.
const BUYER_TEXT: [TextRule<BuyerDtls>; 4] = [
    ("BuyerDtls.LglNm", |b| Some(&b.lgl_nm), 3, 100),
    ("BuyerDtls.TrdNm", |b| b.trd_nm.as_deref(), 3, 100),
    ("BuyerDtls.Addr1", |b| Some(&b.addr1), 1, 100),
    ("BuyerDtls.Loc", |b| Some(&b.loc), 3, 50),
];

/// INV-01 lengths of the ship-to party's text fields.
const SHIP_TEXT: [TextRule<PartyDtls>; 1] = [("ShipDtls.LglNm", |p| Some(&p.lgl_nm), 3, 100)];

/// INV-01 lengths of the dispatch-from place's text fields.
const DISP_TEXT: [TextRule<LocationDtls>; 1] = [("DispDtls.Nm", |d| Some(&d.nm), 3, 100)];

/// Reads one amount of an INV-01 section.
type Amount<T> = fn(&T) -> Decimal;

/// INV-01 item amounts: 2 decimals, not negative, at most 10^18; in report
/// order.
const ITEM_AMOUNTS: [(&str, Amount<ItemDtls>); 12] = [
    ("TotAmt", |i| i.tot_amt),
    ("Discount", |i| i.discount),
    ("AssAmt", |i| i.ass_amt),
    ("IgstAmt", |i| i.igst_amt),
    ("CgstAmt", |i| i.cgst_amt),
    ("SgstAmt", |i| i.sgst_amt),
    ("CesAmt", |i| i.ces_amt),
    ("CesNonAdvlAmt", |i| i.ces_non_advl_amt),
    ("StateCesAmt", |i| i.state_ces_amt),
    ("StateCesNonAdvlAmt", |i| i.state_ces_non_advl_amt),
    ("OthChrg", |i| i.oth_chrg),
    ("TotItemVal", |i| i.tot_item_val),
];

/// INV-01 document totals: (field, value, may be negative); 2 decimals, at
/// most 10^18; in report order.
const VAL_AMOUNTS: [(&str, Amount<ValDtls>, bool); 10] = [
    ("ValDtls.AssVal", |v| v.ass_val, false),
    ("ValDtls.CgstVal", |v| v.cgst_val, false),
    ("ValDtls.SgstVal", |v| v.sgst_val, false),
    ("ValDtls.IgstVal", |v| v.igst_val, false),
    ("ValDtls.CesVal", |v| v.ces_val, false),
    ("ValDtls.StCesVal", |v| v.st_ces_val, false),
    ("ValDtls.Discount", |v| v.discount, false),
    ("ValDtls.OthChrg", |v| v.oth_chrg, false),
    ("ValDtls.RndOffAmt", |v| v.rnd_off_amt, true),
    ("ValDtls.TotInvVal", |v| v.tot_inv_val, false),
];

/// INV-01 document totals that are the sum of an item amount.
const VAL_SUMS: [(&str, Amount<ValDtls>, Amount<ItemDtls>); 6] = [
    ("ValDtls.AssVal", |v| v.ass_val, |i| i.ass_amt),
    ("ValDtls.CgstVal", |v| v.cgst_val, |i| i.cgst_amt),
    ("ValDtls.SgstVal", |v| v.sgst_val, |i| i.sgst_amt),
    ("ValDtls.IgstVal", |v| v.igst_val, |i| i.igst_amt),
    (
        "ValDtls.CesVal",
        |v| v.ces_val,
        |i| i.ces_amt + i.ces_non_advl_amt,
    ),
    (
        "ValDtls.StCesVal",
        |v| v.st_ces_val,
        |i| i.state_ces_amt + i.state_ces_non_advl_amt,
    ),
];

/// Largest `RndOffAmt` either way (±99.99).
const ROUND_OFF_LIMIT: Decimal = Decimal::from_parts(9999, 0, 0, false, 2);

/// What the transaction details tell the later checks.
struct Tran<'a> {
    sup: &'a str,
    /// An export (`EXP*`): the buyer is URP in state 96.
    export: bool,
    /// SEZ or export without payment: no tax on any item.
    without_payment: bool,
    igst_on_intra: bool,
}

/// Checks each text rule of `rules` against `v`.
fn check_text<T>(c: &mut Checker, v: &T, rules: &[TextRule<T>]) {
    for (field, get, min, max) in rules {
        if let Some(s) = get(v) {
            c.name(field, s, *min, *max);
        }
    }
}

/// Section `Version` and `TranDtls`: version 1.1, tax scheme GST, a known
/// supply type, Y/N flags, the e-commerce GSTIN. Guarantees the item and
/// buyer checks the supply type's consequences.
fn check_tran_dtls<'a>(c: &mut Checker, e: &'a EInvoice) -> Tran<'a> {
    if e.version != "1.1" {
        c.add(
            "INVALID_VERSION",
            "Version",
            format!("{:?} is not 1.1", e.version),
        );
    }
    let t = &e.tran_dtls;
    if t.tax_sch != "GST" {
        c.add(
            "INVALID_TAX_SCHEME",
            "TranDtls.TaxSch",
            format!("{:?} is not GST", t.tax_sch),
        );
    }
    let sup = t.sup_typ.as_str();
    if !SUPPLY_TYPES.contains(&sup) {
        c.add(
            "INVALID_SUPPLY_TYPE",
            "TranDtls.SupTyp",
            format!("{sup:?} is not a supply type"),
        );
    }
    for (field, v) in [
        ("TranDtls.RegRev", Some(&t.reg_rev)),
        ("TranDtls.IgstOnIntra", t.igst_on_intra.as_ref()),
    ] {
        if let Some(v) = v {
            if v != "Y" && v != "N" {
                c.add("INVALID_FLAG", field, format!("{v:?} is not Y or N"));
            }
        }
    }
    if let Some(g) = &t.ecm_gstin {
        if let Err(err) = validate_gstin(g, None) {
            c.add("INVALID_GSTIN", "TranDtls.EcmGstin", err.to_string());
        }
    }
    Tran {
        sup,
        export: sup.starts_with("EXP"),
        without_payment: sup == "SEZWOP" || sup == "EXPWOP",
        igst_on_intra: t.igst_on_intra.as_deref() == Some("Y"),
    }
}

/// Section `DocDtls`: type, number pattern, date. Returns the document
/// date when it parses (the rate checks need it).
fn check_doc_dtls(c: &mut Checker, d: &DocDtls) -> Option<NaiveDate> {
    if !DOCUMENT_TYPES.contains(&d.typ.as_str()) {
        c.add(
            "INVALID_DOCUMENT_TYPE",
            "DocDtls.Typ",
            format!("{:?} is not INV, CRN or DBN", d.typ),
        );
    }
    if !doc_no_ok(&d.no) {
        c.add(
            "INVALID_DOCUMENT_NUMBER",
            "DocDtls.No",
            format!("{:?} does not match ^[A-Z1-9][A-Z0-9/-]{{0,15}}$", d.no),
        );
    }
    c.date("DocDtls.Dt", &d.dt)
}

/// Section `SellerDtls`: GSTIN, text lengths ([`SELLER_TEXT`]), PIN, state.
fn check_seller_dtls(c: &mut Checker, s: &PartyDtls) {
    if let Err(err) = validate_gstin(&s.gstin, None) {
        c.add("INVALID_GSTIN", "SellerDtls.Gstin", err.to_string());
    }
    check_text(c, s, &SELLER_TEXT);
    c.pin("SellerDtls.Pin", s.pin);
    c.state("SellerDtls.Stcd", &s.stcd, false);
}

/// Section `BuyerDtls`: an export buyer is URP, place of supply and state
/// 96, PIN 999999, with `ExpDtls`; any other buyer has a valid GSTIN, PIN,
/// state and place of supply. Then text lengths ([`BUYER_TEXT`]).
fn check_buyer_dtls(c: &mut Checker, e: &EInvoice, export: bool) {
    let b = &e.buyer_dtls;
    if export {
        if b.gstin != "URP" {
            c.add(
                "EXPORT_BUYER",
                "BuyerDtls.Gstin",
                format!("{:?}: an export buyer is URP", b.gstin),
            );
        }
        if b.pos != "96" {
            c.add(
                "EXPORT_BUYER",
                "BuyerDtls.Pos",
                format!("{:?}: exports have place of supply 96", b.pos),
            );
        }
        if b.stcd != "96" {
            c.add(
                "EXPORT_BUYER",
                "BuyerDtls.Stcd",
                format!("{:?}: an export buyer's state is 96", b.stcd),
            );
        }
        if b.pin != 999_999 {
            c.add(
                "EXPORT_BUYER",
                "BuyerDtls.Pin",
                format!("{}: an export buyer's PIN is 999999", b.pin),
            );
        }
        if e.exp_dtls.is_none() {
            c.add(
                "MISSING_EXPORT_DETAILS",
                "ExpDtls",
                "exports need ExpDtls".to_owned(),
            );
        }
    } else {
        if let Err(err) = validate_gstin(&b.gstin, None) {
            c.add("INVALID_GSTIN", "BuyerDtls.Gstin", err.to_string());
        }
        c.pin("BuyerDtls.Pin", b.pin);
        c.state("BuyerDtls.Stcd", &b.stcd, false);
        c.state("BuyerDtls.Pos", &b.pos, false);
    }
    check_text(c, b, &BUYER_TEXT);
}

/// Section `ExpDtls`: an ISO 3166 alpha-2 country, the shipping bill date.
fn check_exp_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(x) = &e.exp_dtls {
        if x.cnt_code.len() != 2 || !x.cnt_code.bytes().all(|b| b.is_ascii_uppercase()) {
            c.add(
                "INVALID_COUNTRY",
                "ExpDtls.CntCode",
                format!("{:?} is not ISO 3166 alpha-2", x.cnt_code),
            );
        }
        if let Some(dt) = &x.ship_b_dt {
            c.date("ExpDtls.ShipBDt", dt);
        }
    }
}

/// Section `ShipDtls`: name length ([`SHIP_TEXT`]), PIN, state, GSTIN
/// unless URP.
fn check_ship_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(sh) = &e.ship_dtls {
        check_text(c, sh, &SHIP_TEXT);
        c.pin("ShipDtls.Pin", sh.pin);
        c.state("ShipDtls.Stcd", &sh.stcd, false);
        if sh.gstin != "URP" {
            if let Err(err) = validate_gstin(&sh.gstin, None) {
                c.add("INVALID_GSTIN", "ShipDtls.Gstin", err.to_string());
            }
        }
    }
}

/// Section `DispDtls`: name length ([`DISP_TEXT`]), PIN, state.
fn check_disp_dtls(c: &mut Checker, e: &EInvoice) {
    if let Some(ds) = &e.disp_dtls {
        check_text(c, ds, &DISP_TEXT);
        c.pin("DispDtls.Pin", ds.pin);
        c.state("DispDtls.Stcd", &ds.stcd, false);
    }
}

/// Section `RefDtls`: a note names its preceding invoice (number pattern,
/// date). Returns that invoice's date when it parses (a note's rates may
/// be the original's).
fn check_ref_dtls(c: &mut Checker, e: &EInvoice) -> Option<NaiveDate> {
    let d = &e.doc_dtls;
    if d.typ != "CRN" && d.typ != "DBN" {
        return None;
    }
    match e.ref_dtls.as_ref().and_then(|r| r.prec_doc_dtls.first()) {
        Some(p) => {
            if super::numbering::validate_number_at(&p.inv_no, &[], "").is_err() {
                c.add(
                    "INVALID_DOCUMENT_NUMBER",
                    "RefDtls.PrecDocDtls[0].InvNo",
                    format!(
                        "{:?} is not 1-16 characters of A-Z a-z 0-9 / - not starting with 0, / or -",
                        p.inv_no
                    ),
                );
            }
            c.date("RefDtls.PrecDocDtls[0].InvDt", &p.inv_dt)
        }
        None => {
            c.add(
                "MISSING_PRECEDING_DOCUMENT",
                "RefDtls.PrecDocDtls",
                "a credit or debit note refers to its original invoice".to_owned(),
            );
            None
        }
    }
}

/// Section `ItemList`: 1 to 1,000 items; each item's fields
/// ([`check_item_fields`]), amounts ([`check_item_amounts`]) and, when no
/// amount is too large, its arithmetic, rate and tax heads; then one kind
/// of heads on the document. Returns whether some item amount exceeds
/// 10^18 (the header sums are then skipped).
fn check_item_list(
    c: &mut Checker,
    e: &EInvoice,
    rates: &RateTable,
    tran: &Tran<'_>,
    dates: [Option<NaiveDate>; 2],
) -> bool {
    let n = e.item_list.len();
    if n == 0 || n > 1000 {
        c.add(
            "ITEM_COUNT",
            "ItemList",
            format!("{n} items; 1 to 1000 are allowed"),
        );
    }
    let intra = e.buyer_dtls.pos == e.seller_dtls.stcd;
    let mut too_big = false;
    let (mut any_igst, mut any_split) = (false, false);
    let mut serials: rustc_hash::FxHashSet<&str> = Default::default();
    for (i, it) in e.item_list.iter().enumerate() {
        let f = |name: &str| format!("ItemList[{i}].{name}");
        if it.sl_no.is_empty() || it.sl_no.len() > 6 || !serials.insert(it.sl_no.as_str()) {
            c.add(
                "INVALID_SERIAL",
                &f("SlNo"),
                format!("{:?} is empty, too long or repeated", it.sl_no),
            );
        }
        check_item_fields(c, &f, it);
        if check_item_amounts(c, &f, it) {
            // Arithmetic on such values could overflow: skip the item.
            too_big = true;
            continue;
        }
        check_item_arithmetic(c, &f, it);
        let notified = dates
            .iter()
            .flatten()
            .any(|dt| rates.is_notified_for(it.gst_rt, *dt, Some(&it.hsn_cd)));
        if !notified && dates[0].is_some() {
            c.add(
                "RATE_NOT_NOTIFIED",
                &f("GstRt"),
                format!(
                    "{}% is not notified on the document (or original) date",
                    it.gst_rt
                ),
            );
        }
        let (has_igst, has_split) = check_item_heads(c, &f, it, tran, intra);
        any_igst |= has_igst;
        any_split |= has_split;
    }
    if any_igst && any_split {
        c.add(
            "HEADS_MIXED",
            "ItemList",
            "IGST and CGST/SGST on one document".to_owned(),
        );
    }
    too_big
}

/// An item's descriptive fields: description and batch name lengths, HSN
/// of 4, 6 or 8 digits, the service flag matching a SAC, the unit.
fn check_item_fields(c: &mut Checker, f: &dyn Fn(&str) -> String, it: &ItemDtls) {
    if let Some(desc) = &it.prd_desc {
        if desc.is_empty() || desc.chars().count() > 300 {
            c.add(
                "INVALID_LENGTH",
                &f("PrdDesc"),
                format!("{} characters, allowed 1-300", desc.chars().count()),
            );
        }
    }
    if let Some(b) = &it.bch_dtls {
        let n = b.nm.chars().count();
        if !(3..=20).contains(&n) {
            c.add(
                "INVALID_LENGTH",
                &f("BchDtls.Nm"),
                format!("{:?} has {n} characters, allowed 3-20", b.nm),
            );
        }
    }
    let hsn_ok =
        matches!(it.hsn_cd.len(), 4 | 6 | 8) && it.hsn_cd.bytes().all(|b| b.is_ascii_digit());
    if !hsn_ok {
        c.add(
            "INVALID_HSN",
            &f("HsnCd"),
            format!("{:?} is not 4, 6 or 8 digits", it.hsn_cd),
        );
    }
    let service = it.hsn_cd.starts_with("99");
    if it.is_servc != if service { "Y" } else { "N" } {
        c.add(
            "SERVICE_FLAG",
            &f("IsServc"),
            format!(
                "{:?} but HSN {} {} a SAC",
                it.is_servc,
                it.hsn_cd,
                if service { "is" } else { "is not" }
            ),
        );
    }
    match &it.unit {
        Some(u) if !crate::invoice::compute::uqc_ok(u) => {
            c.add("INVALID_UQC", &f("Unit"), format!("{u:?} is not a UQC"))
        }
        None if !service => c.add("INVALID_UQC", &f("Unit"), "goods need a UQC".to_owned()),
        _ => {}
    }
}

/// An item's numbers: quantity and unit price (3 decimals), the amounts of
/// [`ITEM_AMOUNTS`] (2 decimals), the rate (3 decimals), none negative.
/// Returns true (and reports it) when an amount exceeds 10^18.
fn check_item_amounts(c: &mut Checker, f: &dyn Fn(&str) -> String, it: &ItemDtls) -> bool {
    if let Some(q) = it.qty.filter(|q| !amount_ok(*q, 3, false)) {
        c.amount(&f("Qty"), q, 3, false);
    }
    if !amount_ok(it.unit_price, 3, false) {
        c.amount(&f("UnitPrice"), it.unit_price, 3, false);
    }
    for (name, get) in &ITEM_AMOUNTS {
        let v = get(it);
        if !amount_ok(v, 2, false) {
            c.amount(&f(name), v, 2, false);
        }
    }
    if !amount_ok(it.gst_rt, 3, false) {
        c.amount(&f("GstRt"), it.gst_rt, 3, false);
    }
    if ITEM_AMOUNTS.iter().any(|(_, get)| too_large(get(it))) {
        c.add(
            "AMOUNT_TOO_LARGE",
            &f("TotItemVal"),
            "an amount of this item exceeds 10^18".to_owned(),
        );
        return true;
    }
    false
}

/// An item's arithmetic: `AssAmt = TotAmt − Discount` and `TotItemVal =
/// AssAmt + taxes + OthChrg`.
fn check_item_arithmetic(c: &mut Checker, f: &dyn Fn(&str) -> String, it: &ItemDtls) {
    if it.ass_amt != it.tot_amt - it.discount {
        c.add(
            "ASSESSABLE_MISMATCH",
            &f("AssAmt"),
            format!(
                "{} ≠ TotAmt {} − Discount {}",
                it.ass_amt, it.tot_amt, it.discount
            ),
        );
    }
    let taxes = it.igst_amt
        + it.cgst_amt
        + it.sgst_amt
        + it.ces_amt
        + it.ces_non_advl_amt
        + it.state_ces_amt
        + it.state_ces_non_advl_amt;
    if it.tot_item_val != it.ass_amt + taxes + it.oth_chrg {
        c.add(
            "ITEM_TOTAL_MISMATCH",
            &f("TotItemVal"),
            format!(
                "{} ≠ AssAmt {} + taxes {} + OthChrg {}",
                it.tot_item_val, it.ass_amt, taxes, it.oth_chrg
            ),
        );
    }
}

/// An item's tax heads: CGST = SGST; no tax on supplies without payment;
/// CGST/SGST only intra-state on B2B or DEXP; IGST intra-state only with
/// `IgstOnIntra`. Returns (has IGST, has CGST/SGST).
fn check_item_heads(
    c: &mut Checker,
    f: &dyn Fn(&str) -> String,
    it: &ItemDtls,
    tran: &Tran<'_>,
    intra: bool,
) -> (bool, bool) {
    let (sup, igst_on_intra) = (tran.sup, tran.igst_on_intra);
    if it.cgst_amt != it.sgst_amt {
        c.add(
            "CGST_SGST_UNEQUAL",
            &f("SgstAmt"),
            format!("CGST {} ≠ SGST {}", it.cgst_amt, it.sgst_amt),
        );
    }
    let has_igst = !it.igst_amt.is_zero();
    let has_split = !(it.cgst_amt.is_zero() && it.sgst_amt.is_zero());
    if tran.without_payment && (has_igst || has_split || !it.ces_amt.is_zero()) {
        c.add(
            "ZERO_RATED_TAX",
            &f("IgstAmt"),
            format!("{sup} supplies carry no tax"),
        );
    } else if has_split && (!intra || igst_on_intra || (sup != "B2B" && sup != "DEXP")) {
        c.add(
            "WRONG_TAX_HEADS",
            &f("CgstAmt"),
            "CGST/SGST only on intra-state B2B or DEXP supplies".to_owned(),
        );
    } else if has_igst && intra && !igst_on_intra {
        c.add(
            "WRONG_TAX_HEADS",
            &f("IgstAmt"),
            "IGST on an intra-state supply needs IgstOnIntra Y".to_owned(),
        );
    }
    (has_igst, has_split)
}

/// Section `ValDtls`, amounts: decimals and signs of [`VAL_AMOUNTS`] and
/// the foreign-currency total. Returns true (and reports it) when a total
/// exceeds 10^18.
fn check_val_dtls_amounts(c: &mut Checker, v: &ValDtls) -> bool {
    for (field, get, signed) in &VAL_AMOUNTS {
        c.amount(field, get(v), 2, *signed);
    }
    if let Some(fc) = v.tot_inv_val_fc {
        c.amount("ValDtls.TotInvValFc", fc, 2, false);
    }
    if VAL_AMOUNTS.iter().any(|(_, get, _)| too_large(get(v))) {
        c.add(
            "AMOUNT_TOO_LARGE",
            "ValDtls",
            "an amount of the totals exceeds 10^18".to_owned(),
        );
        return true;
    }
    false
}

/// Section `ValDtls`, sums: each total of [`VAL_SUMS`] is the sum of its
/// item amount, `TotInvVal` is the items plus charges less discount plus
/// round-off, and the round-off is within ±99.99. Runs only when no amount
/// is too large (so no sum overflows).
fn check_val_dtls_sums(c: &mut Checker, e: &EInvoice) {
    let v = &e.val_dtls;
    let items = &e.item_list;
    let sum = |g: fn(&ItemDtls) -> Decimal| items.iter().map(g).sum::<Decimal>();
    for (field, header, item) in &VAL_SUMS {
        let (header, items_sum) = (header(v), sum(*item));
        if header != items_sum {
            c.add(
                "TOTAL_MISMATCH",
                field,
                format!("{header} ≠ sum of items {items_sum}"),
            );
        }
    }
    let expected = sum(|i| i.tot_item_val) + v.oth_chrg - v.discount + v.rnd_off_amt;
    if v.tot_inv_val != expected {
        c.add(
            "TOTAL_MISMATCH",
            "ValDtls.TotInvVal",
            format!(
                "{} ≠ items {} + OthChrg {} − Discount {} + RndOffAmt {}",
                v.tot_inv_val,
                sum(|i| i.tot_item_val),
                v.oth_chrg,
                v.discount,
                v.rnd_off_amt
            ),
        );
    }
    if v.rnd_off_amt.abs() > ROUND_OFF_LIMIT {
        c.add(
            "ROUND_OFF_RANGE",
            "ValDtls.RndOffAmt",
            format!("{} is outside ±99.99", v.rnd_off_amt),
        );
    }
}

/// At most 10^18: with at most a few million items no sum can overflow.
fn too_large(v: Decimal) -> bool {
    const LIMIT: i64 = 1_000_000_000_000_000_000;
    // |value| ≤ |mantissa|: the cheap test settles nearly every case.
    v.mantissa().unsigned_abs() > LIMIT.unsigned_abs() as u128 && v.abs() > Decimal::from(LIMIT)
}

fn finish(c: Checker) -> Result<(), InvoiceError> {
    if c.out.is_empty() {
        Ok(())
    } else {
        Err(InvoiceError::EInvoiceInvalid {
            field: c.out.first().map(|v| v.field.clone()).unwrap_or_default(),
            violations: c.out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct N {
        #[serde(with = "num")]
        v: Decimal,
        #[serde(default, with = "num_opt")]
        o: Option<Decimal>,
    }

    fn text_of(v: Decimal) -> String {
        let json = serde_json::to_string(&N { v, o: None }).unwrap();
        json.trim_start_matches("{\"v\":")
            .trim_end_matches(",\"o\":null}")
            .to_owned()
    }

    #[test]
    fn numbers_are_exact_json_numbers() {
        for (v, t) in [
            ("0.91", "0.91"),
            ("118000.00", "118000"),
            ("-0.02", "-0.02"),
            ("0.000", "0"),
            ("0.000001", "0.000001"),
            ("0.1", "0.1"),
            ("1.005", "1.005"),
            ("12345678901234.5", "12345678901234.5"),
            ("123456789012345.67", "123456789012345.67"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
        ] {
            assert_eq!(text_of(v.parse().unwrap()), t, "{v}");
        }
        let back: N = serde_json::from_str(r#"{"v": 1e2, "o": "7.5"}"#).unwrap();
        assert_eq!(back.v, Decimal::from(100));
        assert_eq!(back.o, Some(Decimal::new(75, 1)));
        assert!(serde_json::from_str::<N>(r#"{"v": true}"#).is_err());
    }

    proptest! {
        #[test]
        fn numbers_round_trip_exactly(m in any::<i64>(), small in -10_000i64..10_000, pick in any::<bool>(), scale in 0u32..28) {
            let v = Decimal::new(if pick { m } else { small }, scale);
            let json = serde_json::to_string(&N { v, o: Some(v) }).unwrap();
            let back: N = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back.v, v);
            prop_assert_eq!(back.o, Some(v));
            // The text is the decimal's own digits (no float noise).
            let t = text_of(v);
            prop_assert_eq!(t.parse::<Decimal>().unwrap(), v);
            prop_assert!(t.len() <= v.normalize().to_string().len() + 2, "{} vs {}", t, v);
        }

        #[test]
        fn fast_path_prints_the_digits(m in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..4) {
            let v = Decimal::new(m, scale);
            let expected = if v.is_zero() { "0".to_owned() } else { v.normalize().to_string() };
            prop_assert_eq!(text_of(v), expected);
        }
    }
}
