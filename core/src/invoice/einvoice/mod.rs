//! The e-invoice request payload (GSTN/NIC schema INV-01 v1.1) and its
//! validator. Amounts are JSON numbers written from decimals (never floats):
//! at most 2 decimals, 3 for quantity and unit price; an amount written as a
//! JSON string is refused (the IRP takes numbers).
//!
//! One module per concept: the payload's types (`types`), the numbers'
//! serde, the builder ([`to_einvoice`], in phases), the field table of
//! every length, pattern, enumeration and range (`rules`), the PIN ranges
//! of each state (`pin`), and one checker per INV-01 section (`header`,
//! `parties`, `items`, `totals`, `transport`). The builder validates what
//! it builds, so the table is read both when building and when validating.
//!
//! Decisions where the schema is silent or needs a clock: see `rules` (the
//! date range), `pin` (ranges shared by neighbouring states) and
//! `transport` (a mode needs its document). A buyer GSTIN equal to the
//! seller's is refused (`BUYER_IS_SELLER`): a registration cannot supply
//! itself. `BchDtls` names one batch per item; an invoice line carries at
//! most one batch, so a line shipped from several batches is invoiced as
//! one line per batch (see `invoice::from_order`).

mod build;
mod checker;
mod header;
mod items;
mod num;
mod num_opt;
mod parties;
mod pin;
mod rules;
mod totals;
mod transport;
mod types;

pub use build::{einvoice_json, to_einvoice};
pub use types::*;

use super::InvoiceError;
use crate::tax::RateTable;
use checker::{finish, Checker};

/// Checks an e-invoice against the IRP's rules and reports every violation
/// at once (as [`InvoiceError::EInvoiceInvalid`]): every field's length,
/// pattern, enumeration, decimals and range (the INV-01 field table),
/// `AssAmt = TotAmt − Discount`, item totals, header sums, notified rates,
/// CGST = SGST, one kind of tax heads, GSTINs (the buyer not the seller),
/// state codes and each address's PIN code in its state, export buyer
/// fields, a transport mode with its document, at most 1,000 items.
///
/// One checker per INV-01 section, in document order.
pub fn validate_einvoice(e: &EInvoice, rates: &RateTable) -> Result<(), InvoiceError> {
    let mut c = Checker { out: Vec::new() };
    let tran = header::check_tran_dtls(&mut c, e);
    let doc_date = header::check_doc_dtls(&mut c, &e.doc_dtls);
    parties::check_seller_dtls(&mut c, &e.seller_dtls);
    parties::check_buyer_dtls(&mut c, e, tran.export);
    transport::check_exp_dtls(&mut c, e);
    parties::check_ship_dtls(&mut c, e);
    parties::check_disp_dtls(&mut c, e);
    let prec_date = header::check_ref_dtls(&mut c, e, doc_date);
    let dates = [doc_date, prec_date];
    let items_too_big = items::check_item_list(&mut c, e, rates, &tran, dates);
    let totals_too_big = totals::check_val_dtls_amounts(&mut c, &e.val_dtls);
    totals::check_pay_dtls(&mut c, e);
    transport::check_ewb_dtls(&mut c, e);
    if items_too_big || totals_too_big {
        return finish(c);
    }
    totals::check_val_dtls_sums(&mut c, e);
    finish(c)
}

#[cfg(test)]
mod tests {
    use super::{num, num_opt};
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Serialize};

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
        let back: N = serde_json::from_str(r#"{"v": 1e2, "o": 7.5}"#).unwrap();
        assert_eq!(back.v, Decimal::from(100));
        assert_eq!(back.o, Some(Decimal::new(75, 1)));
        // INV-01 amounts are JSON numbers: a string is refused.
        assert!(serde_json::from_str::<N>(r#"{"v": "7.5"}"#).is_err());
        assert!(serde_json::from_str::<N>(r#"{"v": 1, "o": "7.5"}"#).is_err());
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
