//! Due dates of an invoice from the order's payment terms (the credit
//! module's schedule), with the dates the instalments count from.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::types::DueDate;
use super::InvoiceError;
use crate::credit::{BasisDates, CreditError, DueBasis, PaymentTerms, Share};
use crate::error::ErrorCode;
use crate::money::{Money, RoundingMode};

/// The order's payment terms and the dates its instalments count from. The
/// invoice date is the invoice's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPaymentTerms {
    /// The terms agreed on the order (percent, fixed and balance shares,
    /// each counting from its basis date).
    pub terms: PaymentTerms,
    /// Order date (basis of advances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_date: Option<NaiveDate>,
    /// Dispatch date of the goods invoiced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_date: Option<NaiveDate>,
    /// Delivery date of the goods invoiced (actual or expected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<NaiveDate>,
}

fn basis_field(b: DueBasis) -> (&'static str, &'static str) {
    match b {
        DueBasis::OrderDate => ("order_date", "the order date"),
        DueBasis::InvoiceDate | DueBasis::EndOfInvoiceMonth => ("invoice_date", "the invoice date"),
        DueBasis::Dispatch => ("dispatch_date", "the dispatch date"),
        DueBasis::Delivery => ("delivery_date", "the delivery date"),
    }
}

/// Maps an error of the credit module to an invoicing error under `at`.
fn credit_error(e: CreditError, at: &str) -> InvoiceError {
    let field = match e.field() {
        Some(f) if !f.is_empty() => format!("{at}.{f}"),
        _ => at.to_owned(),
    };
    match e {
        CreditError::Money(m) => InvoiceError::Money(m),
        CreditError::NegativeAmount { value, .. } => InvoiceError::InvalidValue {
            field,
            value: value.to_string(),
            rule: "must not be negative".to_owned(),
        },
        other => InvoiceError::InvalidPaymentTerms {
            field,
            reason: other.to_string(),
        },
    }
}

/// The due dates of an invoice of `amount` rupees (the amount payable to the
/// seller) under the order's `terms`: the credit module's schedule — shares
/// rounded to paise summing exactly to `amount`, fixed shares kept, each due
/// `days` after its own basis date (order, invoice, dispatch, delivery, end
/// of the invoice month).
///
/// A basis date an instalment needs but `dates` lacks is `MISSING_FIELD`
/// (`order_terms.delivery_date`, …). Each due date's `percent` is the
/// share's own percent, or for fixed and balance shares its amount's percent
/// of `amount` rounded to 2 decimals.
///
/// ```
/// use b2b_oms::credit::{BasisDates, PaymentTerms};
/// use b2b_oms::invoice::terms_due_dates;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
///
/// let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
/// let terms = PaymentTerms::advance_then_net("30-70", Decimal::from(30), 30);
/// let dates = BasisDates {
///     order_date: Some(day(20)),
///     invoice_date: Some(day(26)),
///     ..BasisDates::default()
/// };
/// let due = terms_due_dates(&terms, Decimal::new(100001, 2), &dates).unwrap();
/// assert_eq!((due[0].date, due[0].amount), (day(20), Decimal::new(30000, 2)));
/// assert_eq!(due[1].date, NaiveDate::from_ymd_opt(2026, 12, 26).unwrap());
/// assert_eq!(due[1].amount, Decimal::new(70001, 2));
/// ```
pub fn terms_due_dates(
    terms: &PaymentTerms,
    amount: Decimal,
    dates: &BasisDates,
) -> Result<Vec<DueDate>, InvoiceError> {
    let at = "order_terms";
    let money = Money {
        amount,
        currency: "INR".to_owned(),
    };
    let schedule = terms
        .schedule(&money, dates)
        .map_err(|e| credit_error(e, at))?;
    let total = schedule.total.amount;
    let mut out = Vec::with_capacity(schedule.instalments.len());
    for (inst, s) in terms.instalments.iter().zip(&schedule.instalments) {
        let Some(date) = s.due_date else {
            let (field, what) = basis_field(s.basis);
            return Err(InvoiceError::MissingField {
                field: format!("{at}.{field}"),
                reason: format!(
                    "instalment {} of terms {} counts from {what}",
                    s.index, terms.id
                ),
            });
        };
        let percent = match &inst.share {
            Share::Percent { percent } => percent.normalize(),
            Share::Fixed { .. } | Share::Balance => {
                if total.is_zero() {
                    Decimal::ZERO
                } else {
                    RoundingMode::HalfUp
                        .round_to_scale(s.amount.amount * Decimal::ONE_HUNDRED / total, 2)
                        .normalize()
                }
            }
        };
        out.push(DueDate {
            date,
            percent,
            amount: s.amount.amount,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::Instalment;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn dates() -> BasisDates {
        BasisDates {
            order_date: Some(day(11, 10)),
            invoice_date: Some(day(11, 26)),
            dispatch_date: Some(day(11, 25)),
            delivery_date: Some(day(11, 29)),
        }
    }

    fn inst(share: Share, basis: DueBasis, days: u32) -> Instalment {
        Instalment { share, basis, days }
    }

    #[test]
    fn every_basis_counts_from_its_own_date_and_fixed_shares_are_kept() {
        let terms = PaymentTerms {
            id: "MIX".into(),
            name: String::new(),
            instalments: vec![
                inst(
                    Share::Fixed {
                        amount: Decimal::from(1000),
                    },
                    DueBasis::OrderDate,
                    0,
                ),
                inst(
                    Share::Percent {
                        percent: Decimal::from(20),
                    },
                    DueBasis::Dispatch,
                    7,
                ),
                inst(
                    Share::Percent {
                        percent: Decimal::from(30),
                    },
                    DueBasis::Delivery,
                    15,
                ),
                inst(
                    Share::Percent {
                        percent: Decimal::from(10),
                    },
                    DueBasis::EndOfInvoiceMonth,
                    30,
                ),
                inst(Share::Balance, DueBasis::InvoiceDate, 45),
            ],
            early_payment: None,
        };
        let due = terms_due_dates(&terms, Decimal::new(1_000_001, 2), &dates()).unwrap();
        let got: Vec<(NaiveDate, Decimal)> = due.iter().map(|d| (d.date, d.amount)).collect();
        assert_eq!(
            got,
            vec![
                (day(11, 10), Decimal::new(100_000, 2)),
                (day(12, 2), Decimal::new(200_000, 2)),
                (day(12, 14), Decimal::new(300_000, 2)),
                (day(12, 30), Decimal::new(100_000, 2)),
                (
                    NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
                    Decimal::new(300_001, 2)
                ),
            ]
        );
        assert_eq!(
            due.iter().map(|d| d.amount).sum::<Decimal>(),
            Decimal::new(1_000_001, 2)
        );
        assert_eq!(due[0].percent, Decimal::new(1000, 2).normalize());
        assert_eq!(due[1].percent, Decimal::from(20));
        assert_eq!(due[4].percent, Decimal::from(30));
    }

    #[test]
    fn a_missing_basis_date_and_bad_terms_are_errors() {
        let terms = PaymentTerms {
            id: "DEL15".into(),
            name: String::new(),
            instalments: vec![inst(Share::Balance, DueBasis::Delivery, 15)],
            early_payment: None,
        };
        let no_delivery = BasisDates {
            delivery_date: None,
            ..dates()
        };
        let e = terms_due_dates(&terms, Decimal::from(100), &no_delivery).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("MISSING_FIELD", Some("order_terms.delivery_date"))
        );
        let over = PaymentTerms {
            id: "BIG".into(),
            name: String::new(),
            instalments: vec![
                inst(
                    Share::Fixed {
                        amount: Decimal::from(500),
                    },
                    DueBasis::OrderDate,
                    0,
                ),
                inst(Share::Balance, DueBasis::InvoiceDate, 30),
            ],
            early_payment: None,
        };
        let e = terms_due_dates(&over, Decimal::from(100), &dates()).unwrap_err();
        assert_eq!(e.code(), "INVALID_PAYMENT_TERMS");
        assert_eq!(e.field(), Some("order_terms.terms.instalments"));
        let e = terms_due_dates(&over, Decimal::from(-1), &dates()).unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("INVALID_VALUE", Some("order_terms.amount"))
        );
    }
}
