"""Errors: every code maps to its family's class; each family is raised by
a call that really triggers it, with code, field, details and family."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from decimal import Decimal
from typing import Any, Dict

import pytest

import b2b_oms
from b2b_oms import _native
from b2b_oms.errors import FAMILIES

TYPE_CODES = {"NUMBER_FOR_DECIMAL", "EXCESS_PRECISION", "NAIVE_DATETIME"}


def test_every_family_has_a_class() -> None:
    assert set(_native.families()) == set(FAMILIES)
    for family, cls in FAMILIES.items():
        assert issubclass(cls, b2b_oms.Error), family
        assert getattr(b2b_oms, cls.__name__) is cls


def test_every_code_raises_its_familys_class() -> None:
    codes = _native.codes()
    assert len(codes) > 50
    for c in codes:
        cls = _native.error_class(c["code"])
        assert issubclass(cls, FAMILIES[c["family"]]), c
        if c["code"] in TYPE_CODES:
            assert cls is b2b_oms.InputTypeError and issubclass(cls, TypeError)
        else:
            assert cls is FAMILIES[c["family"]], c


def test_an_unknown_code_is_internal() -> None:
    assert _native.error_class("NO_SUCH_CODE") is b2b_oms.InternalError


def check(err: b2b_oms.Error, cls: type, code: str, family: str, field: Any = ...) -> None:
    assert type(err) is cls, repr(err)
    assert err.code == code
    assert err.family == family
    assert isinstance(err.details, dict)
    assert err.message and code in str(err)
    if field is not ...:
        assert err.field == field
    copy_ = pickle.loads(pickle.dumps(err))
    assert type(copy_) is cls and copy_.code == err.code and copy_.field == err.field


def test_input_family() -> None:
    with pytest.raises(b2b_oms.InputError) as e:
        b2b_oms.words(amount=Decimal("12.50"), currency="XXX")
    check(e.value, b2b_oms.InputError, "UNKNOWN_CURRENCY", "input")


def test_unknown_operation() -> None:
    with pytest.raises(b2b_oms.InputError) as e:
        b2b_oms.call("no_such_operation", {})
    check(e.value, b2b_oms.InputError, "UNKNOWN_OPERATION", "input")
    assert e.value.details == {"operation": "no_such_operation"}


def test_malformed_json_text_names_the_field() -> None:
    with pytest.raises(b2b_oms.InputError) as e:
        b2b_oms.call("gstin", '{"gstin": 5}')
    check(e.value, b2b_oms.InputError, "INVALID_JSON", "input", "gstin")


def test_pricing_family(dataset: Dict[str, Any]) -> None:
    with pytest.raises(b2b_oms.PricingError) as e:
        b2b_oms.Catalog(dataset["catalog"] + dataset["catalog"][:1])
    check(e.value, b2b_oms.PricingError, "INVALID_CATALOG", "pricing")
    issues = e.value.details["issues"]
    assert issues[0]["code"] == "DUPLICATE_SKU"


def test_quote_family(journey: Dict[str, Any]) -> None:
    # A draft counts its default validity from the issue instant, so give
    # it an explicit one first; past it, a revision is refused.
    t0: dt.datetime = journey["t0"]
    dated = b2b_oms.quote_revise(
        quote=journey["draft_quote"],
        revise={"author": "seller", "author_id": "rep.anita", "now": t0 + dt.timedelta(minutes=5),
                "valid_until": t0 + dt.timedelta(days=1)},
    )["quote"]
    with pytest.raises(b2b_oms.QuoteError) as e:
        b2b_oms.quote_revise(
            quote=dated, revise={"author": "seller", "author_id": "rep.anita", "now": t0 + dt.timedelta(days=30)}
        )
    check(e.value, b2b_oms.QuoteError, "QUOTE_EXPIRED", "quote", "valid_until")


def test_approval_family(dataset: Dict[str, Any]) -> None:
    policy = copy.deepcopy(dataset["approval_policy"])
    policy["rules"][0]["when"] = "max_discount_pct >"
    with pytest.raises(b2b_oms.ApprovalError) as e:
        b2b_oms.ApprovalPolicy(policy)
    check(e.value, b2b_oms.ApprovalError, "POLICY_PARSE_ERROR", "approval", "rules[0].when")
    assert e.value.details["position"] == 18


def test_credit_family() -> None:
    with pytest.raises(b2b_oms.CreditError) as e:
        b2b_oms.terms_schedule(
            terms={"id": "X", "instalments": [
                {"share": {"type": "percent", "percent": Decimal(60)}, "basis": "invoice_date", "days": 30}
            ]},
            amount={"amount": Decimal("100.00"), "currency": "INR"},
        )
    check(e.value, b2b_oms.CreditError, "INVALID_TERMS", "credit", "terms.instalments")


def test_order_family(journey: Dict[str, Any]) -> None:
    t0: dt.datetime = journey["t0"]
    with pytest.raises(b2b_oms.OrderError) as e:
        b2b_oms.quote_convert(
            quote=journey["accepted_quote"],
            convert={
                "order_id": "SO-2", "acceptance": 1, "taken_po_numbers": ["SGD/PO/2026/0412"],
                "settings": {"require_po": True}, "now": t0 + dt.timedelta(days=2),
            },
        )
    check(e.value, b2b_oms.OrderError, "DUPLICATE_PO", "order")


def test_allocation_family(dataset: Dict[str, Any]) -> None:
    ledger = b2b_oms.ReservationLedger(dataset["stock"])
    with pytest.raises(b2b_oms.AllocationError) as e:
        ledger.reserve("SO-1", [{"line_id": "1", "warehouse_id": "WH-BLR", "sku": "TEE-COT-M",
                                 "batch_id": "TM-2609", "quantity": Decimal(500)}])
    check(e.value, b2b_oms.AllocationError, "INSUFFICIENT_STOCK", "allocation", "requests[0].quantity")
    shortfall = e.value.details["shortfalls"][0]
    assert shortfall["requested"] == Decimal(500) and isinstance(shortfall["requested"], Decimal)
    assert shortfall["line_id"] == "1"  # identifiers stay text


def test_tax_family() -> None:
    with pytest.raises(b2b_oms.TaxError) as e:
        b2b_oms.gstin(gstin="27AAPFU0939F1ZX")
    check(e.value, b2b_oms.TaxError, "INVALID_GSTIN", "tax", "gstin")
    assert e.value.details["part"] == "checksum"


def test_invoice_family() -> None:
    with pytest.raises(b2b_oms.InvoiceError) as e:
        b2b_oms.number(template="INV/{seq", date=dt.date(2026, 11, 26), seq=1)
    check(e.value, b2b_oms.InvoiceError, "INVALID_NUMBER_TEMPLATE", "invoice", "template")


def test_internal_family_from_a_panic(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(b2b_oms.InputError):
        _native._panic_for_test()  # guarded: no panic without the variable
    monkeypatch.setenv("B2B_OMS_TEST_PANIC", "1")
    with pytest.raises(b2b_oms.InternalError) as e:
        _native._panic_for_test()
    check(e.value, b2b_oms.InternalError, "INTERNAL", "internal")
    assert "deliberate panic" in e.value.message
    assert isinstance(e.value, Exception)  # not PanicException, a BaseException
    # The module keeps working after a caught panic.
    assert b2b_oms.gstin(gstin="27AAPFU0939F1ZV")["state_code"] == "27"


def test_errors_in_a_batch_stay_in_their_place(dataset: Dict[str, Any]) -> None:
    book = b2b_oms.PriceBook(b2b_oms.Catalog(dataset["catalog"]), dataset["price_book"])
    customers = {c["id"]: c for c in dataset["customers"]}
    good = dataset["orders"][0]
    bad = copy.deepcopy(good)
    bad["request"]["currency"] = "XXX"
    orders = [{"customer": customers[o["customer_id"]], "request": o["request"]} for o in (good, bad, good)]
    results = book.price_orders(orders)
    assert [next(iter(r)) for r in results] == ["priced", "error", "priced"]
    assert results[1]["error"]["code"] in {"UNKNOWN_CURRENCY", "CURRENCY_MISMATCH", "NO_PRICE"}
