//! The INV-01 v1.1 field table: every length, pattern, enumeration and
//! range of the payload's fields, as data, one table per section. The
//! validator applies them ([`super::checker::Checker::fields`]) and, since
//! [`super::to_einvoice`] validates what it builds, so does the builder.
//!
//! The figures are INV-01 v1.1's (the GSTN/NIC e-invoice schema): item
//! amounts at most 999999999999.99 (unit price 999999999999.999, quantity
//! 9999999999.999, rates 999.999), document totals and payment amounts at
//! most 99999999999999.99, round-off within ±99.99, e-way bill distance
//! 0–4000 km. Dates are `dd/mm/yyyy` between 01/07/2017 (GST began) and
//! 31/12/2099: the IRP also refuses a date in the future, which a core
//! without a clock cannot judge (the host does, against its own clock);
//! the range catches the typing errors (`2100-01-01`) a clock would.

use rust_decimal::Decimal;

use super::types::*;

/// What a rule reads from its section: a text, a decimal or an integer
/// (`None` when the optional field is absent; absent fields are not
/// checked here — serde requires the mandatory ones).
pub(super) enum Get<T> {
    /// A text field.
    Text(fn(&T) -> Option<&str>),
    /// A decimal field.
    Number(fn(&T) -> Option<Decimal>),
    /// An integer field.
    Int(fn(&T) -> Option<u32>),
}

/// One rule of a field, with the stable violation code it reports.
pub(super) enum Rule {
    /// Length in characters, inclusive (`INVALID_LENGTH`).
    Len(usize, usize),
    /// One of these values (the code names the field's kind).
    OneOf(&'static [&'static str], &'static str),
    /// A pattern: the predicate, its regular-expression text for the
    /// message, and the code.
    Pattern(fn(&str) -> bool, &'static str, &'static str),
    /// At most this many decimals (`TOO_MANY_DECIMALS`).
    Decimals(u32),
    /// Zero or more (`NEGATIVE_AMOUNT`).
    NonNegative,
    /// At most this value (`ABOVE_MAXIMUM`).
    Max(Decimal),
    /// Within ± this value, with its code.
    Within(Decimal, &'static str),
    /// An integer range, inclusive, with its code.
    Range(u32, u32, &'static str),
    /// A date `dd/mm/yyyy` (`INVALID_DATE`) within [`FIRST_DATE`] and
    /// [`LAST_DATE`] (`DATE_RANGE`).
    Date,
}

/// One field of a section: its name (appended to the section's path), how
/// to read it, its rules in report order.
pub(super) struct Field<T: 'static> {
    /// Field name, e.g. `LglNm`.
    pub(super) name: &'static str,
    /// Reads the value.
    pub(super) get: Get<T>,
    /// The rules, in report order.
    pub(super) rules: &'static [Rule],
}

use Get::{Int, Number, Text};
use Rule::*;

/// The first date the IRP can see on a document: GST began on 1 July 2017.
pub(super) const FIRST_DATE: (i32, u32, u32) = (2017, 7, 1);
/// The last date accepted (see the module doc).
pub(super) const LAST_DATE: (i32, u32, u32) = (2099, 12, 31);

/// `Y` or `N`.
const YN: &[&str] = &["Y", "N"];
/// INV-01 supply types (`TranDtls.SupTyp`).
pub(super) const SUPPLY_TYPES: &[&str] = &["B2B", "SEZWP", "SEZWOP", "EXPWP", "EXPWOP", "DEXP"];
/// INV-01 document types (`DocDtls.Typ`).
const DOCUMENT_TYPES: &[&str] = &["INV", "CRN", "DBN"];
/// E-way bill transport modes: 1 road, 2 rail, 3 air, 4 ship.
pub(super) const TRANSPORT_MODES: &[&str] = &["1", "2", "3", "4"];

/// Item amounts: at most 999999999999.99.
pub(super) const ITEM_MAX: Decimal = Decimal::from_parts(276_447_231, 23_283, 0, false, 2);
/// Unit price: at most 999999999999.999.
const PRICE_MAX: Decimal = Decimal::from_parts(2_764_472_319, 232_830, 0, false, 3);
/// Quantity: at most 9999999999.999.
const QTY_MAX: Decimal = Decimal::from_parts(1_316_134_911, 2_328, 0, false, 3);
/// Rates in percent: at most 999.999.
const RATE_MAX: Decimal = Decimal::from_parts(999_999, 0, 0, false, 3);
/// Document totals and payment amounts: at most 99999999999999.99.
pub(super) const TOTAL_MAX: Decimal = Decimal::from_parts(1_874_919_423, 2_328_306, 0, false, 2);
/// Largest `RndOffAmt` either way (±99.99).
const ROUND_OFF_LIMIT: Decimal = Decimal::from_parts(9999, 0, 0, false, 2);

/// An item amount: 2 decimals, not negative, at most [`ITEM_MAX`].
const ITEM_AMOUNT: &[Rule] = &[Decimals(2), NonNegative, Max(ITEM_MAX)];
/// A total: 2 decimals, not negative, at most [`TOTAL_MAX`].
const TOTAL_AMOUNT: &[Rule] = &[Decimals(2), NonNegative, Max(TOTAL_MAX)];
/// A rate: 3 decimals, not negative, at most [`RATE_MAX`].
const RATE: &[Rule] = &[Decimals(3), NonNegative, Max(RATE_MAX)];

/// The payload's own fields.
pub(super) const ROOT: [Field<EInvoice>; 1] = [Field {
    name: "Version",
    get: Text(|e| Some(&e.version)),
    rules: &[OneOf(&["1.1"], "INVALID_VERSION")],
}];

/// `TranDtls`.
pub(super) const TRAN: [Field<TranDtls>; 4] = [
    Field {
        name: "TaxSch",
        get: Text(|t| Some(&t.tax_sch)),
        rules: &[OneOf(&["GST"], "INVALID_TAX_SCHEME")],
    },
    Field {
        name: "SupTyp",
        get: Text(|t| Some(&t.sup_typ)),
        rules: &[OneOf(SUPPLY_TYPES, "INVALID_SUPPLY_TYPE")],
    },
    Field {
        name: "RegRev",
        get: Text(|t| Some(&t.reg_rev)),
        rules: &[OneOf(YN, "INVALID_FLAG")],
    },
    Field {
        name: "IgstOnIntra",
        get: Text(|t| t.igst_on_intra.as_deref()),
        rules: &[OneOf(YN, "INVALID_FLAG")],
    },
];

/// `DocDtls`.
pub(super) const DOC: [Field<DocDtls>; 3] = [
    Field {
        name: "Typ",
        get: Text(|d| Some(&d.typ)),
        rules: &[OneOf(DOCUMENT_TYPES, "INVALID_DOCUMENT_TYPE")],
    },
    Field {
        name: "No",
        get: Text(|d| Some(&d.no)),
        rules: &[Pattern(
            doc_no_ok,
            "^[A-Z1-9][A-Z0-9/-]{0,15}$",
            "INVALID_DOCUMENT_NUMBER",
        )],
    },
    Field {
        name: "Dt",
        get: Text(|d| Some(&d.dt)),
        rules: &[Date],
    },
];

/// `SellerDtls` (the GSTIN's checksum and the state are checked in code).
pub(super) const SELLER: [Field<PartyDtls>; 6] = [
    Field {
        name: "LglNm",
        get: Text(|p| Some(&p.lgl_nm)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "TrdNm",
        get: Text(|p| p.trd_nm.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Addr1",
        get: Text(|p| Some(&p.addr1)),
        rules: &[Len(1, 100)],
    },
    Field {
        name: "Addr2",
        get: Text(|p| p.addr2.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Loc",
        get: Text(|p| Some(&p.loc)),
        rules: &[Len(3, 50)],
    },
    Field {
        name: "Pin",
        get: Int(|p| Some(p.pin)),
        rules: &[Range(100_000, 999_999, "INVALID_PIN")],
    },
];

/// `BuyerDtls` (GSTIN, state and place of supply are checked in code).
pub(super) const BUYER: [Field<BuyerDtls>; 6] = [
    Field {
        name: "LglNm",
        get: Text(|b| Some(&b.lgl_nm)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "TrdNm",
        get: Text(|b| b.trd_nm.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Addr1",
        get: Text(|b| Some(&b.addr1)),
        rules: &[Len(1, 100)],
    },
    Field {
        name: "Addr2",
        get: Text(|b| b.addr2.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Loc",
        get: Text(|b| Some(&b.loc)),
        rules: &[Len(3, 50)],
    },
    Field {
        name: "Pin",
        get: Int(|b| Some(b.pin)),
        rules: &[Range(100_000, 999_999, "INVALID_PIN")],
    },
];

/// `ShipDtls`.
pub(super) const SHIP: [Field<PartyDtls>; 6] = [
    Field {
        name: "LglNm",
        get: Text(|p| Some(&p.lgl_nm)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "TrdNm",
        get: Text(|p| p.trd_nm.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Addr1",
        get: Text(|p| Some(&p.addr1)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Addr2",
        get: Text(|p| p.addr2.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Loc",
        get: Text(|p| Some(&p.loc)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Pin",
        get: Int(|p| Some(p.pin)),
        rules: &[Range(100_000, 999_999, "INVALID_PIN")],
    },
];

/// `DispDtls`.
pub(super) const DISP: [Field<LocationDtls>; 5] = [
    Field {
        name: "Nm",
        get: Text(|d| Some(&d.nm)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Addr1",
        get: Text(|d| Some(&d.addr1)),
        rules: &[Len(1, 100)],
    },
    Field {
        name: "Addr2",
        get: Text(|d| d.addr2.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Loc",
        get: Text(|d| Some(&d.loc)),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Pin",
        get: Int(|d| Some(d.pin)),
        rules: &[Range(100_000, 999_999, "INVALID_PIN")],
    },
];

/// One `ItemList` entry (the UQC list, the service flag and the arithmetic
/// are checked in code).
pub(super) const ITEM: [Field<ItemDtls>; 22] = [
    Field {
        name: "SlNo",
        get: Text(|i| Some(&i.sl_no)),
        rules: &[Len(1, 6)],
    },
    Field {
        name: "PrdDesc",
        get: Text(|i| i.prd_desc.as_deref()),
        rules: &[Len(3, 300)],
    },
    Field {
        name: "IsServc",
        get: Text(|i| Some(&i.is_servc)),
        rules: &[OneOf(YN, "INVALID_FLAG")],
    },
    Field {
        name: "HsnCd",
        get: Text(|i| Some(&i.hsn_cd)),
        rules: &[Pattern(
            hsn_ok,
            "^([0-9]{4}|[0-9]{6}|[0-9]{8})$",
            "INVALID_HSN",
        )],
    },
    Field {
        name: "Qty",
        get: Number(|i| i.qty),
        rules: &[Decimals(3), NonNegative, Max(QTY_MAX)],
    },
    Field {
        name: "UnitPrice",
        get: Number(|i| Some(i.unit_price)),
        rules: &[Decimals(3), NonNegative, Max(PRICE_MAX)],
    },
    Field {
        name: "TotAmt",
        get: Number(|i| Some(i.tot_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "Discount",
        get: Number(|i| Some(i.discount)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "AssAmt",
        get: Number(|i| Some(i.ass_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "GstRt",
        get: Number(|i| Some(i.gst_rt)),
        rules: RATE,
    },
    Field {
        name: "IgstAmt",
        get: Number(|i| Some(i.igst_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "CgstAmt",
        get: Number(|i| Some(i.cgst_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "SgstAmt",
        get: Number(|i| Some(i.sgst_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "CesRt",
        get: Number(|i| Some(i.ces_rt)),
        rules: RATE,
    },
    Field {
        name: "CesAmt",
        get: Number(|i| Some(i.ces_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "CesNonAdvlAmt",
        get: Number(|i| Some(i.ces_non_advl_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "StateCesRt",
        get: Number(|i| Some(i.state_ces_rt)),
        rules: RATE,
    },
    Field {
        name: "StateCesAmt",
        get: Number(|i| Some(i.state_ces_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "StateCesNonAdvlAmt",
        get: Number(|i| Some(i.state_ces_non_advl_amt)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "OthChrg",
        get: Number(|i| Some(i.oth_chrg)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "TotItemVal",
        get: Number(|i| Some(i.tot_item_val)),
        rules: ITEM_AMOUNT,
    },
    Field {
        name: "OrdLineRef",
        get: Text(|i| i.ord_line_ref.as_deref()),
        rules: &[Len(1, 50)],
    },
];

/// An item's `BchDtls`.
pub(super) const BATCH: [Field<BatchDtls>; 3] = [
    Field {
        name: "Nm",
        get: Text(|b| Some(&b.nm)),
        rules: &[Len(3, 20)],
    },
    Field {
        name: "ExpDt",
        get: Text(|b| b.exp_dt.as_deref()),
        rules: &[Date],
    },
    Field {
        name: "WrDt",
        get: Text(|b| b.wr_dt.as_deref()),
        rules: &[Date],
    },
];

/// `ValDtls`.
pub(super) const VAL: [Field<ValDtls>; 11] = [
    Field {
        name: "AssVal",
        get: Number(|v| Some(v.ass_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "CgstVal",
        get: Number(|v| Some(v.cgst_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "SgstVal",
        get: Number(|v| Some(v.sgst_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "IgstVal",
        get: Number(|v| Some(v.igst_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "CesVal",
        get: Number(|v| Some(v.ces_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "StCesVal",
        get: Number(|v| Some(v.st_ces_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "Discount",
        get: Number(|v| Some(v.discount)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "OthChrg",
        get: Number(|v| Some(v.oth_chrg)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "RndOffAmt",
        get: Number(|v| Some(v.rnd_off_amt)),
        rules: &[Decimals(2), Within(ROUND_OFF_LIMIT, "ROUND_OFF_RANGE")],
    },
    Field {
        name: "TotInvVal",
        get: Number(|v| Some(v.tot_inv_val)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "TotInvValFc",
        get: Number(|v| v.tot_inv_val_fc),
        rules: TOTAL_AMOUNT,
    },
];

/// `PayDtls`.
pub(super) const PAY: [Field<PayDtls>; 3] = [
    Field {
        name: "CrDay",
        get: Int(|p| Some(p.cr_day)),
        rules: &[Range(0, 9999, "OUT_OF_RANGE")],
    },
    Field {
        name: "PaidAmt",
        get: Number(|p| Some(p.paid_amt)),
        rules: TOTAL_AMOUNT,
    },
    Field {
        name: "PaymtDue",
        get: Number(|p| Some(p.paymt_due)),
        rules: TOTAL_AMOUNT,
    },
];

/// One `RefDtls.PrecDocDtls` entry. The number's length and pattern are
/// the numbering rules' (1–16 characters), checked in code with the
/// numbering module, so that one rule reports them.
pub(super) const PREC_DOC: [Field<PrecDocDtls>; 1] = [Field {
    name: "InvDt",
    get: Text(|p| Some(&p.inv_dt)),
    rules: &[Date],
}];

/// `ExpDtls`.
pub(super) const EXP: [Field<ExpDtls>; 6] = [
    Field {
        name: "ShipBNo",
        get: Text(|x| x.ship_b_no.as_deref()),
        rules: &[Len(1, 20)],
    },
    Field {
        name: "ShipBDt",
        get: Text(|x| x.ship_b_dt.as_deref()),
        rules: &[Date],
    },
    Field {
        name: "Port",
        get: Text(|x| x.port.as_deref()),
        rules: &[
            Len(2, 10),
            Pattern(alnum, "^[A-Za-z0-9]{2,10}$", "INVALID_PORT_CODE"),
        ],
    },
    Field {
        name: "RefClm",
        get: Text(|x| x.ref_clm.as_deref()),
        rules: &[OneOf(YN, "INVALID_FLAG")],
    },
    Field {
        name: "ForCur",
        get: Text(|x| x.for_cur.as_deref()),
        rules: &[Len(3, 16)],
    },
    Field {
        name: "CntCode",
        get: Text(|x| Some(&x.cnt_code)),
        rules: &[Pattern(country_ok, "^[A-Z]{2}$", "INVALID_COUNTRY")],
    },
];

/// `EwbDtls`.
pub(super) const EWB: [Field<EwbDtls>; 8] = [
    Field {
        name: "TransId",
        get: Text(|w| w.trans_id.as_deref()),
        rules: &[Pattern(
            transporter_id_ok,
            "^[0-9]{2}[0-9A-Z]{13}$",
            "INVALID_TRANSPORTER_ID",
        )],
    },
    Field {
        name: "TransName",
        get: Text(|w| w.trans_name.as_deref()),
        rules: &[Len(3, 100)],
    },
    Field {
        name: "Distance",
        get: Int(|w| Some(w.distance)),
        rules: &[Range(0, 4000, "DISTANCE_RANGE")],
    },
    Field {
        name: "TransMode",
        get: Text(|w| w.trans_mode.as_deref()),
        rules: &[OneOf(TRANSPORT_MODES, "INVALID_TRANSPORT_MODE")],
    },
    Field {
        name: "TransDocNo",
        get: Text(|w| w.trans_doc_no.as_deref()),
        rules: &[Pattern(
            transport_doc_ok,
            "^[A-Za-z0-9/-]{1,15}$",
            "INVALID_TRANSPORT_DOC_NO",
        )],
    },
    Field {
        name: "TransDocDt",
        get: Text(|w| w.trans_doc_dt.as_deref()),
        rules: &[Date],
    },
    Field {
        name: "VehNo",
        get: Text(|w| w.veh_no.as_deref()),
        rules: &[Pattern(
            vehicle_no_ok,
            "^[A-Z0-9]{4,20}$",
            "INVALID_VEHICLE_NO",
        )],
    },
    Field {
        name: "VehType",
        get: Text(|w| w.veh_type.as_deref()),
        rules: &[OneOf(&["R", "O"], "INVALID_VEHICLE_TYPE")],
    },
];

/// Item amounts bounded against overflow before any arithmetic (see
/// [`super::checker::too_large`]).
pub(super) const ITEM_AMOUNTS: [fn(&ItemDtls) -> Decimal; 12] = [
    |i| i.tot_amt,
    |i| i.discount,
    |i| i.ass_amt,
    |i| i.igst_amt,
    |i| i.cgst_amt,
    |i| i.sgst_amt,
    |i| i.ces_amt,
    |i| i.ces_non_advl_amt,
    |i| i.state_ces_amt,
    |i| i.state_ces_non_advl_amt,
    |i| i.oth_chrg,
    |i| i.tot_item_val,
];

/// Totals bounded against overflow before the sums.
pub(super) const VAL_AMOUNTS: [fn(&ValDtls) -> Decimal; 10] = [
    |v| v.ass_val,
    |v| v.cgst_val,
    |v| v.sgst_val,
    |v| v.igst_val,
    |v| v.ces_val,
    |v| v.st_ces_val,
    |v| v.discount,
    |v| v.oth_chrg,
    |v| v.rnd_off_amt,
    |v| v.tot_inv_val,
];

/// Reads one amount of an INV-01 section.
pub(super) type Amount<T> = fn(&T) -> Decimal;

/// INV-01 document totals that are the sum of an item amount.
pub(super) const VAL_SUMS: [(&str, Amount<ValDtls>, Amount<ItemDtls>); 6] = [
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

/// `^[A-Z1-9][A-Z0-9/-]{0,15}$`.
fn doc_no_ok(no: &str) -> bool {
    let mut chars = no.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || ('1'..='9').contains(&c));
    first_ok
        && no.chars().count() <= 16
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '/' || c == '-')
}

/// 4, 6 or 8 digits.
fn hsn_ok(h: &str) -> bool {
    matches!(h.len(), 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_digit())
}

/// ASCII letters and digits only.
fn alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// ISO 3166 alpha-2: two capital letters.
fn country_ok(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// A GSTIN or the 15-character TRANSIN of an unregistered transporter:
/// two digits (a state code), then 13 capitals or digits.
fn transporter_id_ok(s: &str) -> bool {
    s.len() == 15
        && s.bytes().take(2).all(|b| b.is_ascii_digit())
        && s.bytes()
            .skip(2)
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A railway receipt, airway bill or bill of lading number: 1–15 of
/// letters, digits, `/` and `-`.
fn transport_doc_ok(s: &str) -> bool {
    (1..=15).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-')
}

/// A vehicle registration number as the IRP takes it: 4–20 capitals and
/// digits, without spaces or dashes (`KA01AB1234`, `TR123456`).
fn vehicle_no_ok(s: &str) -> bool {
    (4..=20).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maximums_are_the_schema_figures() {
        for (max, text) in [
            (ITEM_MAX, "999999999999.99"),
            (PRICE_MAX, "999999999999.999"),
            (QTY_MAX, "9999999999.999"),
            (RATE_MAX, "999.999"),
            (TOTAL_MAX, "99999999999999.99"),
            (ROUND_OFF_LIMIT, "99.99"),
        ] {
            assert_eq!(max.to_string(), text);
        }
    }
}
