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
    /// This invoice's share of the advance the order asked for (rupees).
    /// When given, the advance instalments of the invoice come to exactly
    /// this amount and the rest of the invoice is spread over the other
    /// instalments, the last of which takes what is left; so the shares of
    /// an order's invoices add up to the order's advance. Without it each
    /// invoice applies the advance percent to its own amount, which can
    /// differ from the order's advance by paise. `invoice_from_order` sets
    /// it from the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance_share: Option<Decimal>,
}

impl OrderPaymentTerms {
    /// The due dates of an invoice of `amount` dated `invoice_date` under
    /// these terms: [`terms_due_dates`] with this invoice's share of the
    /// order's advance, when `advance_share` is given.
    pub fn due_dates(
        &self,
        amount: Decimal,
        invoice_date: NaiveDate,
    ) -> Result<Vec<DueDate>, InvoiceError> {
        let dates = BasisDates {
            order_date: self.order_date,
            invoice_date: Some(invoice_date),
            dispatch_date: self.dispatch_date,
            delivery_date: self.delivery_date,
        };
        match self.advance_share {
            None => terms_due_dates(&self.terms, amount, &dates),
            Some(share) => {
                let terms = with_advance_share(&self.terms, share, amount, &dates)?;
                terms_due_dates(&terms, amount, &dates)
            }
        }
    }
}

/// The terms with their advance instalments fixed at `share` in all (split
/// among several advance instalments as the terms would split `amount`) and
/// the last other instalment made the balance.
fn with_advance_share(
    terms: &PaymentTerms,
    share: Decimal,
    amount: Decimal,
    dates: &BasisDates,
) -> Result<PaymentTerms, InvoiceError> {
    let at = "order_terms.advance_share";
    if share < Decimal::ZERO || share > amount {
        return Err(InvoiceError::InvalidValue {
            field: at.to_owned(),
            value: share.to_string(),
            rule: format!("an advance share lies between 0 and the amount payable ({amount})"),
        });
    }
    if share.scale() > 2 && share.round_dp(2) != share {
        return Err(InvoiceError::InvalidValue {
            field: at.to_owned(),
            value: share.to_string(),
            rule: "rupees with at most 2 decimals".to_owned(),
        });
    }
    let advances: Vec<usize> = (0..terms.instalments.len())
        .filter(|&i| terms.instalments.get(i).is_some_and(|x| x.is_advance()))
        .collect();
    if advances.is_empty() {
        return Err(InvoiceError::InvalidValue {
            field: at.to_owned(),
            value: share.to_string(),
            rule: format!("terms {} ask for no advance", terms.id),
        });
    }
    // How the terms themselves would split the invoice among its advances.
    let natural = terms
        .schedule(
            &Money {
                amount,
                currency: "INR".to_owned(),
            },
            dates,
        )
        .map_err(|e| credit_error(e, "order_terms"))?;
    let weights: Vec<Decimal> = advances
        .iter()
        .map(|&i| {
            natural
                .instalments
                .get(i)
                .map_or(Decimal::ZERO, |s| s.amount.amount)
        })
        .collect();
    let split = crate::money::allocate_proportionally(share, &weights, 2, RoundingMode::HalfUp)
        .map_err(InvoiceError::Money)?;
    let mut out = terms.clone();
    for (&i, a) in advances.iter().zip(split) {
        if let Some(inst) = out.instalments.get_mut(i) {
            inst.share = Share::Fixed { amount: a };
        }
    }
    let has_balance = out
        .instalments
        .iter()
        .any(|i| !i.is_advance() && i.share == Share::Balance);
    if !has_balance {
        if let Some(last) = out.instalments.iter_mut().rev().find(|i| !i.is_advance()) {
            last.share = Share::Balance;
        }
    }
    Ok(out)
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
            advance: s.advance,
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

    fn order_terms(terms: PaymentTerms, share: Option<Decimal>) -> OrderPaymentTerms {
        OrderPaymentTerms {
            terms,
            order_date: Some(day(11, 10)),
            dispatch_date: None,
            delivery_date: None,
            advance_share: share,
        }
    }

    #[test]
    fn an_advance_share_fixes_the_advance_and_the_last_instalment_takes_the_rest() {
        // 30 % advance, 70 % at 30 days: this invoice's share of the
        // order's advance is 45,412.82, not 30 % of its own 1,51,376.00.
        let terms = PaymentTerms::advance_then_net("30-70", Decimal::from(30), 30);
        let t = order_terms(terms.clone(), Some(Decimal::new(4_541_282, 2)));
        let due = t.due_dates(Decimal::from(151_376), day(11, 27)).unwrap();
        let got: Vec<(NaiveDate, Decimal, bool)> =
            due.iter().map(|d| (d.date, d.amount, d.advance)).collect();
        assert_eq!(
            got,
            vec![
                (day(11, 10), Decimal::new(4_541_282, 2), true),
                (day(12, 27), Decimal::new(10_596_318, 2), false),
            ]
        );
        // Without a share each invoice takes 30 % of itself.
        let own = order_terms(terms.clone(), None)
            .due_dates(Decimal::from(151_376), day(11, 27))
            .unwrap();
        assert_eq!(own[0].amount, Decimal::new(4_541_280, 2));
        // A share above the amount, with more than 2 decimals, or for terms
        // without an advance is refused at its path.
        for (bad, terms) in [
            (Decimal::from(151_377), terms.clone()),
            (Decimal::new(45_412_821, 3), terms.clone()),
            (Decimal::from(10), PaymentTerms::net("NET30", 30)),
        ] {
            let e = order_terms(terms, Some(bad))
                .due_dates(Decimal::from(151_376), day(11, 27))
                .unwrap_err();
            assert_eq!(
                (e.code(), e.field()),
                ("INVALID_VALUE", Some("order_terms.advance_share")),
                "{bad}"
            );
        }
    }
}
