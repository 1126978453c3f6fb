"""The compiled handles: the same results as the operations, dict and JSON
round-trips, readable reprs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Dict

import b2b_oms


def test_catalog(dataset: Dict[str, Any]) -> None:
    catalog = b2b_oms.Catalog(dataset["catalog"])
    assert len(catalog) == 29 and repr(catalog) == "Catalog(29 products)"
    doc = catalog.to_dict()
    assert b2b_oms.Catalog.from_dict(doc).to_dict() == doc
    assert doc[0]["sku"] == dataset["catalog"][0]["sku"]
    assert b2b_oms.catalog_validate(catalog=doc) == {"products": 29}


def test_price_book_matches_the_operation(dataset: Dict[str, Any]) -> None:
    catalog = b2b_oms.Catalog(dataset["catalog"])
    book = b2b_oms.PriceBook(catalog, dataset["price_book"])
    assert book.catalog is catalog
    assert "deccan-2026" in repr(book)
    customers = {c["id"]: c for c in dataset["customers"]}
    orders = [{"customer": customers[o["customer_id"]], "request": o["request"]} for o in dataset["orders"]]
    one = [book.price_order(o["customer"], o["request"]) for o in orders]
    op = [b2b_oms.price_order(catalog=dataset["catalog"], price_book=dataset["price_book"], **o) for o in orders]
    assert one == op
    import json

    from support import canonical_json, canonical_native, read_json, scalar_at_for

    text = book.price_order_json(orders[0]["customer"], orders[0]["request"])
    assert canonical_json(read_json(text)) == canonical_native(one[0], scalar_at_for("price_order"))
    assert json.loads(text)["total_before_tax"] == "276059.14"
    for threads in (None, 1, 2):
        assert [r["priced"] for r in book.price_orders(orders, threads=threads)] == one
    assert b2b_oms.PriceBook(catalog, book.to_json()).to_dict() == book.to_dict()
    for bad in (0, -3):
        try:
            book.price_orders(orders, threads=bad)
            raise AssertionError("threads < 1 accepted")
        except b2b_oms.InputError as e:
            assert e.code == "INVALID_VALUE" and e.field == "threads"
    assert one[0]["total_before_tax"] == Decimal("276059.14")
    assert one[1]["total_before_tax"] == Decimal("120552.30")


def test_catalog_view(dataset: Dict[str, Any]) -> None:
    book = b2b_oms.PriceBook(b2b_oms.Catalog(dataset["catalog"]), dataset["price_book"])
    customer = dataset["customers"][0]
    at = dt.datetime(2026, 11, 26, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    view = book.catalog_view(customer, currency="INR", channel="portal", at=at)
    assert view and all(isinstance(v, dict) for v in view)
    same = b2b_oms.catalog_view(catalog=dataset["catalog"], price_book=dataset["price_book"], customer=customer,
                                currency="INR", channel="portal", at=at)
    assert view == same


def test_classification_policy(dataset: Dict[str, Any]) -> None:
    policy = b2b_oms.ClassificationPolicy(dataset["classification_policy"])
    catalog = b2b_oms.Catalog(dataset["catalog"])
    inquiry = dataset["inquiries"][0]
    out = policy.classify(inquiry, catalog)
    assert out["classification"]["segment"] == "distributor"
    assert out == b2b_oms.classify(policy=dataset["classification_policy"], catalog=dataset["catalog"], inquiry=inquiry)
    assert policy.classify(inquiry)["quote_request"] is None
    assert b2b_oms.ClassificationPolicy(policy.to_dict()).to_json() == policy.to_json()
    assert "rules" in repr(policy)


def test_approval_policy(dataset: Dict[str, Any], journey: Dict[str, Any]) -> None:
    policy = b2b_oms.ApprovalPolicy(dataset["approval_policy"])
    assert b2b_oms.ApprovalPolicy(policy.to_dict()).to_json() == policy.to_json()
    subject = {
        "subject_id": "Q-1", "currency": "INR", "segment": "distributor", "tags": [], "channel": "portal",
        "lines": [{"list_price": Decimal("100.00"), "net_price": Decimal("80.00"), "base_quantity": Decimal(10)}],
        "total_before_tax": Decimal("1200000.00"), "total_after_tax": Decimal("1416000.00"),
        "terms": {"id": "NET30", "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]},
    }
    plan = policy.plan(subject)
    assert plan == b2b_oms.approval_plan(policy=dataset["approval_policy"], subject=subject)
    roles = {step["role"] for step in plan["steps"]}
    assert roles == {"sales_manager", "director"}  # a 20 % discount and a deal above 10 lakh


def test_reservation_ledger(dataset: Dict[str, Any]) -> None:
    ledger = b2b_oms.ReservationLedger(dataset["stock"])
    req = [{"line_id": "1", "warehouse_id": "WH-BLR", "sku": "TEE-COT-M", "batch_id": "TM-2609", "quantity": Decimal(50)}]
    ledger.reserve("SO-1", req)
    held = ledger.reservations("SO-1")
    assert held[0]["quantity"] == Decimal(50)
    state = ledger.to_dict()
    again = b2b_oms.ReservationLedger.from_dict(state)
    assert again.to_dict() == state
    assert repr(again) == "ReservationLedger(1 orders with reservations)"
    snap = ledger.snapshot(["TEE-COT-M"])
    assert {i["sku"] for i in snap["items"]} == {"TEE-COT-M"}
    ledger.release("SO-1", [dict(req[0], quantity=Decimal(20))])
    assert ledger.reservations("SO-1")[0]["quantity"] == Decimal(30)
    ledger.consume("SO-1", [dict(req[0], quantity=Decimal(10))])
    assert ledger.release_order("SO-1")[0]["quantity"] == Decimal(20)
    assert ledger.reservations("SO-1") == []
    # The same command through the stateless operation.
    out = b2b_oms.ledger_reserve(ledger={"stock": dataset["stock"]}, order_id="SO-9", requests=req)
    assert out["reservations"][0]["order_id"] == "SO-9"


def test_every_operation_has_a_documented_function() -> None:
    ops = b2b_oms.operation_list()
    assert len(ops) >= 44
    for op in ops:
        fn = getattr(b2b_oms, op["name"])
        assert fn.__doc__ and op["summary"] in fn.__doc__
        assert op["name"] in b2b_oms.__all__


def test_every_public_name_has_a_docstring() -> None:
    import inspect

    missing = []
    for name in b2b_oms.__all__:
        obj = getattr(b2b_oms, name)
        if name == "__version__":
            continue
        if not (getattr(obj, "__doc__", None) or "").strip():
            missing.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if not (getattr(member, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{attr}")
    assert not missing, missing
