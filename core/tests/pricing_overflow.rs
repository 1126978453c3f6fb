//! Arithmetic overflow while pricing: a line whose amounts or quantities do
//! not fit in a decimal (about 7.9 × 10^28) is reported as that line's
//! problem with the field path, and the other lines are still priced; an
//! overflow of the order's own totals is an error naming the total.

mod common;

use b2b_oms::error::ErrorCode;
use common::*;
use serde_json::json;

/// The worked-example book with CAP and TSHIRT-L at 1.00 and no rules.
fn plain_book() -> serde_json::Value {
    let mut def = book_json();
    def["price_lists"][0]["entries"][1]["price"] = json!("1.00");
    def["price_lists"][0]["entries"]
        .as_array_mut()
        .unwrap()
        .push(json!({"sku": "TSHIRT-L", "price": "1.00"}));
    def["rules"] = json!([]);
    def
}

fn problem_of(o: &b2b_oms::pricing::PricedOrder, line: usize) -> (&str, &str, &str) {
    let p = o
        .errors
        .iter()
        .find(|p| p.line_index == line)
        .unwrap_or_else(|| panic!("line {line} has no problem: {:?}", o.errors));
    (p.code.as_str(), p.field.as_str(), p.message.as_str())
}

#[test]
fn a_line_amount_beyond_the_decimal_range_is_that_lines_problem() {
    let o = book_from(book_json())
        .price_order(
            &customer("retail_chain"),
            &request(json!([
                {"sku": "CAP", "quantity": "2"},
                {"sku": "CAP", "quantity": "7000000000000000000000000000"}
            ])),
        )
        .unwrap();
    let (code, field, message) = problem_of(&o, 1);
    assert_eq!(code, "OVERFLOW");
    assert_eq!(field, "lines[1].quantity");
    assert!(message.contains("overflow"), "{message}");
    assert!(!o.all_priced);
    assert_eq!(o.lines.len(), 1);
    assert_eq!(o.lines[0].line_index, 0);
    assert_eq!(o.subtotal, d("240.00"));
}

#[test]
fn an_order_sku_quantity_beyond_the_decimal_range_leaves_the_line_out() {
    let mut def = plain_book();
    def["price_lists"][0]["entries"][1]["price"] = json!("0.0000000001");
    let o = book_from(def)
        .price_order(
            &customer("retail_chain"),
            &request(json!([
                {"sku": "CAP", "quantity": "50000000000000000000000000000"},
                {"sku": "CAP", "quantity": "50000000000000000000000000000"},
                {"sku": "TSHIRT-L", "quantity": "10"}
            ])),
        )
        .unwrap();
    let (code, field, _) = problem_of(&o, 1);
    assert_eq!((code, field), ("OVERFLOW", "lines[1].quantity"));
    assert_eq!(o.errors.len(), 1);
    let priced: Vec<usize> = o.lines.iter().map(|l| l.line_index).collect();
    assert_eq!(priced, [0, 2]);
    assert_eq!(o.subtotal, d("10.00"));
}

#[test]
fn a_base_subtotal_beyond_the_decimal_range_leaves_the_line_out() {
    let o = book_from(plain_book())
        .price_order(
            &customer("retail_chain"),
            &request(json!([
                {"sku": "CAP", "quantity": "50000000000000000000000000000"},
                {"sku": "TSHIRT-L", "quantity": "50000000000000000000000000000"}
            ])),
        )
        .unwrap();
    let (code, field, _) = problem_of(&o, 1);
    assert_eq!((code, field), ("OVERFLOW", "lines[1].quantity"));
    assert_eq!(o.lines.len(), 1);
    assert_eq!(o.subtotal, d("50000000000000000000000000000.00"));
}

#[test]
fn a_subtotal_beyond_the_decimal_range_leaves_the_line_out() {
    // Base amounts 3.5e28 each fit together (7e28); raised to 1.20 by a
    // rule they are 4.2e28 each, and the second no longer fits.
    let mut def = plain_book();
    def["rules"] = json!([{"id": "UP", "when": {"skus": ["CAP", "TSHIRT-L"]},
        "action": {"type": "fixed_price", "price": "1.20"}}]);
    let o = book_from(def)
        .price_order(
            &customer("retail_chain"),
            &request(json!([
                {"sku": "CAP", "quantity": "35000000000000000000000000000"},
                {"sku": "TSHIRT-L", "quantity": "35000000000000000000000000000"}
            ])),
        )
        .unwrap();
    let (code, field, message) = problem_of(&o, 1);
    assert_eq!((code, field), ("OVERFLOW", "lines[1].quantity"));
    assert!(message.contains("subtotal"), "{message}");
    assert_eq!(o.lines.len(), 1);
    assert_eq!(o.lines[0].amount, d("42000000000000000000000000000.00"));
    assert_eq!(o.subtotal, o.lines[0].amount);
    assert_eq!(o.total_before_tax, o.lines[0].amount);
}

#[test]
fn a_rule_price_beyond_the_decimal_range_names_the_lines_sku() {
    let mut def = book_json();
    def["rules"] = json!([{"id": "HUGE", "when": {"skus": ["TSHIRT-M"]},
        "action": {"type": "cost_plus", "margin_pct": "79000000000000000000000000000"}}]);
    let o = book_from(def)
        .price_order(
            &customer("retail_chain"),
            &request(json!([
                {"sku": "CAP", "quantity": "1"},
                {"sku": "TSHIRT-M", "quantity": "10"}
            ])),
        )
        .unwrap();
    let (code, field, _) = problem_of(&o, 1);
    assert_eq!((code, field), ("OVERFLOW", "lines[1].sku"));
    assert_eq!(o.lines.len(), 1);
    assert_eq!(&*o.lines[0].sku, "CAP");
}

#[test]
fn an_order_discount_beyond_the_decimal_range_is_an_order_error_with_a_path() {
    let mut def = plain_book();
    def["order_rules"] =
        json!([{"id": "HALF", "action": {"type": "percent_off", "percent": "50"}}]);
    let e = book_from(def)
        .price_order(
            &customer("retail_chain"),
            &request(json!([{"sku": "CAP", "quantity": "70000000000000000000000000000"}])),
        )
        .unwrap_err();
    assert_eq!(e.code(), "OVERFLOW");
    assert_eq!(e.field(), Some("order_discounts"));
}
