"""Panic-free fuzzing of every entry point: random values and JSON text, and
real documents with one leaf replaced, give results or `b2b_oms.Error`
subclasses / `TypeError` — never another exception, never PanicException."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any, Callable, Dict, List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import b2b_oms
from b2b_oms import _native

from conftest import load_dataset

DATA = load_dataset()
OPERATIONS = [op["name"] for op in _native.operations()]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

aware = st.datetimes(timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30))]))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**100), max_value=2**100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(places=2, min_value=-(10**9), max_value=10**9),
    st.text(max_size=12),
    st.sampled_from(["INR", "portal", "27AAPFU0939F1ZV", "1234.50", "2026-11-26", "2026-11-26T10:00:00+05:30", ""]),
    st.dates(),
    st.datetimes(),
    aware,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)
json_text = st.one_of(
    st.text(max_size=40),
    values.map(lambda v: json.dumps(v, default=str)),
)


def allowed(fn: Callable[[], Any]) -> None:
    try:
        fn()
    except (b2b_oms.Error, TypeError):
        pass
    except BaseException as e:  # noqa: BLE001 - the point of the test
        if type(e).__name__ == "PanicException":
            pytest.fail(f"a panic reached Python: {e!r}")
        raise


@FUZZ
@given(op=st.sampled_from(OPERATIONS), doc=values)
def test_call_with_random_values(op: str, doc: Any) -> None:
    allowed(lambda: b2b_oms.call(op, doc))


@FUZZ
@given(op=st.sampled_from(OPERATIONS), text=json_text)
def test_call_with_random_json(op: str, text: str) -> None:
    allowed(lambda: b2b_oms.call_json(op, text))
    allowed(lambda: b2b_oms.call(op, text))


def leaves(doc: Any, path: List[Any]) -> List[List[Any]]:
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += leaves(v, path + [k])
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:3]):
            out += leaves(v, path + [i])
    return out


def replaced(doc: Any, path: List[Any], value: Any) -> Any:
    if not path:
        return value
    doc = copy.copy(doc)
    doc[path[0]] = replaced(doc[path[0]], path[1:], value)
    return doc


CUSTOMER = DATA["customers"][0]
REQUEST = DATA["orders"][0]["request"]
PRICE_INPUT = {"catalog": DATA["catalog"], "price_book": DATA["price_book"], "customer": CUSTOMER, "request": REQUEST}
PRICE_PATHS = [p for p in leaves(PRICE_INPUT, []) if p and not (p[0] in ("catalog", "price_book") and len(p) > 4)]
CATALOG = b2b_oms.Catalog(DATA["catalog"])
BOOK = b2b_oms.PriceBook(CATALOG, DATA["price_book"])
POLICY = b2b_oms.ClassificationPolicy(DATA["classification_policy"])
APPROVAL = b2b_oms.ApprovalPolicy(DATA["approval_policy"])


@FUZZ
@given(index=st.integers(min_value=0), value=values)
def test_price_order_with_one_leaf_replaced(index: int, value: Any) -> None:
    path = PRICE_PATHS[index % len(PRICE_PATHS)]
    doc = replaced(PRICE_INPUT, path, value)
    allowed(lambda: b2b_oms.call("price_order", doc))
    allowed(lambda: BOOK.price_order(doc.get("customer"), doc.get("request")))


@FUZZ
@given(value=values, text=json_text)
def test_handles_with_random_input(value: Any, text: str) -> None:
    for arg in (value, text):
        allowed(lambda: b2b_oms.Catalog(arg))
        allowed(lambda: b2b_oms.PriceBook(CATALOG, arg))
        allowed(lambda: b2b_oms.ClassificationPolicy(arg))
        allowed(lambda: b2b_oms.ApprovalPolicy(arg))
        allowed(lambda: b2b_oms.ReservationLedger(arg))
        allowed(lambda: b2b_oms.ReservationLedger.from_dict(arg))
        allowed(lambda: BOOK.price_order(arg, REQUEST))
        allowed(lambda: BOOK.price_order(CUSTOMER, arg))
        allowed(lambda: BOOK.price_orders(arg))
        allowed(lambda: BOOK.price_orders([{"customer": CUSTOMER, "request": arg}], threads=2))
        allowed(lambda: BOOK.catalog_view(arg, currency="INR", channel="portal", at=arg))
        allowed(lambda: POLICY.classify(arg))
        allowed(lambda: APPROVAL.plan(arg, arg))
        ledger = b2b_oms.ReservationLedger(DATA["stock"])
        allowed(lambda: ledger.reserve("SO-1", arg))
        allowed(lambda: ledger.release("SO-1", arg))
        allowed(lambda: ledger.consume("SO-1", arg))
        allowed(lambda: ledger.quarantine("SO-1", arg))
        allowed(lambda: ledger.snapshot(arg))


@FUZZ
@given(order=st.text(max_size=10), requests=st.lists(
    st.fixed_dictionaries({
        "line_id": st.sampled_from(["1", "2", ""]),
        "warehouse_id": st.sampled_from(["WH-BLR", "WH-PUNE", "X"]),
        "sku": st.sampled_from(["TEE-COT-M", "GLOVE-NIT", "NOPE"]),
        "batch_id": st.sampled_from(["TM-2609", "TM-2610", "X"]),
        "quantity": st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=3), st.integers(-5, 10**6)),
    }), max_size=4))
def test_ledger_commands_never_panic(order: str, requests: List[Dict[str, Any]]) -> None:
    ledger = b2b_oms.ReservationLedger(DATA["stock"])
    for command in (ledger.reserve, ledger.release, ledger.consume, ledger.quarantine):
        allowed(lambda: command(order, requests))
    allowed(lambda: ledger.release_order(order))
    allowed(lambda: ledger.reservations(order))
    state = ledger.to_dict()
    assert b2b_oms.ReservationLedger.from_dict(state).to_dict() == state


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 44
    assert Decimal("1") and OPERATIONS == [op["name"] for op in b2b_oms.operation_list()]
