"""Decimals, floats, dates and instants across the boundary."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any, Dict, Tuple

import pytest

import b2b_oms

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


@pytest.fixture(scope="module")
def book(dataset: Dict[str, Any]) -> b2b_oms.PriceBook:
    return b2b_oms.PriceBook(b2b_oms.Catalog(dataset["catalog"]), dataset["price_book"])


@pytest.fixture
def book_and_order(
    book: b2b_oms.PriceBook, dataset: Dict[str, Any]
) -> Tuple[b2b_oms.PriceBook, Dict[str, Any], Dict[str, Any]]:
    customers = {c["id"]: c for c in dataset["customers"]}
    order = dataset["orders"][0]
    return book, customers[order["customer_id"]], copy.deepcopy(order["request"])


def raises_type_error(code: str, field: str, fn: Any, *args: Any, **kwargs: Any) -> b2b_oms.Error:
    with pytest.raises(TypeError) as e:
        fn(*args, **kwargs)
    err = e.value
    assert isinstance(err, b2b_oms.InputTypeError) and isinstance(err, b2b_oms.InputError)
    assert err.code == code and err.field == field, repr(err)
    assert field in str(err)
    return err


def test_float_quantity_is_refused_with_its_path(book_and_order: Any) -> None:
    book, customer, request = book_and_order
    request["lines"][3]["quantity"] = 2.0
    raises_type_error("NUMBER_FOR_DECIMAL", "lines[3].quantity", book.price_order, customer, request)


def test_float_in_an_operation_names_the_document_path(dataset: Dict[str, Any], book_and_order: Any) -> None:
    _, customer, request = book_and_order
    request["lines"][3]["quantity"] = 0.1
    raises_type_error(
        "NUMBER_FOR_DECIMAL", "request.lines[3].quantity", b2b_oms.price_order,
        catalog=dataset["catalog"], price_book=dataset["price_book"], customer=customer, request=request,
    )


def test_float_money_is_refused() -> None:
    raises_type_error("NUMBER_FOR_DECIMAL", "amount", b2b_oms.words, amount=12.5, currency="INR")


def test_float_in_a_price_book_is_refused(dataset: Dict[str, Any]) -> None:
    book = copy.deepcopy(dataset["price_book"])
    book["price_lists"][0]["entries"][0]["price"] = 1.5
    catalog = b2b_oms.Catalog(dataset["catalog"])
    err = raises_type_error("NUMBER_FOR_DECIMAL", "price_lists[0].entries[0].price", b2b_oms.PriceBook, catalog, book)
    assert "1.5" in err.message


def test_excess_precision_is_refused() -> None:
    raises_type_error("EXCESS_PRECISION", "amount", b2b_oms.words, amount=Decimal("0." + "1" * 29), currency="INR")
    raises_type_error("EXCESS_PRECISION", "amount", b2b_oms.words, amount=Decimal("1E+40"), currency="INR")
    raises_type_error("EXCESS_PRECISION", "amount", b2b_oms.words, amount=10**40, currency="INR")


def test_28_fractional_digits_are_kept() -> None:
    out = b2b_oms.words(amount=Decimal("1.5000000000000000000000000000"), currency="INR")
    assert out["formatted"] == "1.50"


def test_not_a_number_is_refused() -> None:
    for bad in (Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")):
        with pytest.raises(b2b_oms.InputError) as e:
            b2b_oms.words(amount=bad, currency="INR")
        assert e.value.code == "INVALID_VALUE" and e.value.field == "amount"


def test_naive_datetime_is_refused(book_and_order: Any) -> None:
    book, customer, request = book_and_order
    request["priced_at"] = dt.datetime(2026, 11, 26, 11, 30)
    raises_type_error("NAIVE_DATETIME", "priced_at", book.price_order, customer, request)


def test_aware_datetime_and_decimal_come_back_native(book_and_order: Any) -> None:
    book, customer, request = book_and_order
    request["priced_at"] = dt.datetime(2026, 11, 26, 11, 30, tzinfo=IST)
    out = book.price_order(customer, request)
    assert out["priced_at"] == dt.datetime(2026, 11, 26, 11, 30, tzinfo=IST)
    assert out["priced_at"].utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert out["total_before_tax"] == Decimal("276059.14")
    line = out["lines"][0]
    assert isinstance(line["net_unit_price"], Decimal) and str(line["net_unit_price"]) == "2062.35"
    assert isinstance(line["line_index"], int) and not isinstance(line["line_index"], bool)
    # The scale is the core's: an amount keeps its paise.
    assert str(out["subtotal"]) == "281693.00"


def test_same_instant_in_utc_prices_the_same(book_and_order: Any) -> None:
    book, customer, request = book_and_order
    ist = book.price_order(customer, request)
    request["priced_at"] = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.timezone.utc)
    utc = book.price_order(customer, request)
    assert utc["total_before_tax"] == ist["total_before_tax"]
    assert utc["priced_at"].tzinfo == dt.timezone.utc


def test_decimal_text_int_and_decimal_agree(book_and_order: Any) -> None:
    book, customer, request = book_and_order
    as_text = book.price_order(customer, request)
    for line in request["lines"]:
        line["quantity"] = Decimal(line["quantity"])
    as_decimal = book.price_order(customer, request)
    for line in request["lines"]:
        line["quantity"] = int(line["quantity"])
    as_int = book.price_order(customer, request)
    assert as_text == as_decimal == as_int


def test_dates_come_back_as_dates(journey: Dict[str, Any]) -> None:
    quote = journey["draft_quote"]
    assert isinstance(quote["revisions"][0]["valid_until"], dt.datetime)
    out = b2b_oms.number(template="INV/{seq}", date=dt.date(2026, 11, 26), seq=7)
    assert out["number"].startswith("INV/")


def test_tuples_and_json_text_are_accepted(dataset: Dict[str, Any]) -> None:
    import json

    catalog = b2b_oms.Catalog(tuple(dataset["catalog"]))
    assert len(catalog) == len(dataset["catalog"])
    again = b2b_oms.Catalog(catalog.to_json())
    assert again.to_dict() == catalog.to_dict()
    assert json.loads(b2b_oms.call_json("gstin", '{"gstin": "27AAPFU0939F1ZV"}'))["state_code"] == "27"


def test_bool_is_not_an_integer(dataset: Dict[str, Any]) -> None:
    with pytest.raises(b2b_oms.InputError):
        b2b_oms.number(template="INV/{seq}", date=dt.date(2026, 11, 26), seq=True)  # type: ignore[arg-type]


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(b2b_oms.InputError) as e:
        b2b_oms.call("gstin", {"gstin": {1, 2}})
    assert e.value.field == "gstin"
    with pytest.raises(b2b_oms.InputError):
        b2b_oms.call("gstin", {1: "x"})


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    doc: Any = []
    for _ in range(10_000):
        doc = [doc]
    with pytest.raises(b2b_oms.InputError):
        b2b_oms.call("gstin", {"gstin": doc})
    cyclic: Any = []
    cyclic.append(cyclic)
    with pytest.raises(b2b_oms.InputError):
        b2b_oms.call("gstin", {"gstin": cyclic})


def test_einvoice_amounts_are_decimals(journey: Dict[str, Any]) -> None:
    # INV-01 writes amounts as JSON numbers: they come back as Decimal, never float.
    from b2b_oms import _native

    assert _native._scalar_at("einvoice", "output", ["einvoice", "ValDtls", "AssVal"]) == "decimal_number"
