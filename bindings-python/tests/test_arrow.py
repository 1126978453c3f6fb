"""``PriceBook.price_arrow``: Arrow lines in, priced lines and per-order
totals out, checked row by row against ``price_orders`` on the same data;
bad batches refused whole with typed errors."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any, Dict, Tuple

import pytest

from support import REPO

pa = pytest.importorskip("pyarrow")

import b2b_oms  # noqa: E402

sys.path.insert(0, str(REPO / "benches" / "scale"))
import lines as gen  # noqa: E402


@pytest.fixture(scope="module")
def world() -> Dict[str, Any]:
    return gen.world(skus=600, rules=300, customers=60)


@pytest.fixture(scope="module")
def compiled(world: Dict[str, Any]) -> Tuple[b2b_oms.PriceBook, b2b_oms.CustomerTable]:
    return b2b_oms.PriceBook(b2b_oms.Catalog(world["catalog"]), world["price_book"]), b2b_oms.CustomerTable(world["customers"])


@pytest.fixture(scope="module")
def table(world: Dict[str, Any]) -> Any:
    return gen.lines_table(world, 6000)


def in_process(book: b2b_oms.PriceBook, world: Dict[str, Any], table: Any, explain: str = "summary") -> Any:
    _, orders = gen.orders_of(table, world["customers"], explain)
    return gen.expected_rows(table, world["customers"], book.price_orders(orders, threads=2), explain)


def test_rows_match_price_orders(compiled: Any, world: Dict[str, Any], table: Any) -> None:
    book, customers = compiled
    priced, totals = book.price_arrow(table, customers)
    assert isinstance(priced, pa.RecordBatch) and isinstance(totals, pa.RecordBatch)
    got = gen.arrow_rows(priced)
    assert gen.same_values(got, in_process(book, world, table)) is None
    # the table has every kind of row: priced, refused lines, refused orders
    codes = {r[12] for r in got}
    assert {None, "BELOW_MOQ", "UNKNOWN_SKU", "INVALID_FIELD"} <= codes, codes
    assert any(r[11] for r in got), "some lines have applied rules"
    # every input row is in the output once (free goods have no input row)
    rows = [r for r in priced.column("input_row").to_pylist() if r is not None]
    assert sorted(rows) == list(range(table.num_rows))


def test_totals_match_price_orders(compiled: Any, world: Dict[str, Any], table: Any) -> None:
    book, customers = compiled
    _, totals = book.price_arrow(table, customers)
    ids, orders = gen.orders_of(table, world["customers"])
    results = {o["request"]["order_id"]: r for o, r in zip(orders, book.price_orders(orders))}
    assert totals.column("order_id").to_pylist() == ids
    for t in totals.to_pylist():
        r = results.get(t["order_id"])
        if r is None:
            assert t["error_code"] == "INVALID_FIELD" and t["error_field"].endswith(".customer_id")
            assert t["total_before_tax"] is None
            continue
        if "error" in r:
            assert (t["error_code"], t["error_field"]) == (r["error"]["code"], r["error"].get("field"))
            continue
        p = r["priced"]
        assert t["total_before_tax"] == p["total_before_tax"]
        assert t["subtotal"] == p["subtotal"]
        assert t["order_discount_total"] == p["order_discount_total"]
        assert t["all_priced"] == p["all_priced"]
        assert t["lines_refused"] == len(p["errors"])
        assert t["price_book_version"] == p["price_book_version"]
    assert any(t["order_discount_total"] for t in totals.to_pylist()), "some orders reach an order discount"


def test_money_is_decimal128_at_the_book_scales(compiled: Any, table: Any) -> None:
    book, customers = compiled
    priced, totals = book.price_arrow(table.slice(0, 500), customers)
    assert priced.schema.field("net_unit_price").type == pa.decimal128(38, 2)  # unit_price_scale 2
    assert priced.schema.field("amount").type == pa.decimal128(38, 2)  # INR: 2 minor units
    assert priced.schema.field("quantity").type == pa.decimal128(38, 3)  # the input's scale
    assert totals.schema.field("total_before_tax").type == pa.decimal128(38, 2)
    lines_schema, orders_schema = book.price_arrow_schema(3)
    assert priced.schema == lines_schema and totals.schema == orders_schema
    assert all(isinstance(v, Decimal) for v in priced.column("amount").to_pylist() if v is not None)


def test_book_scales_follow_the_book(world: Dict[str, Any], table: Any) -> None:
    definition = dict(world["price_book"], settings={"unit_price_scale": 4})
    book = b2b_oms.PriceBook(b2b_oms.Catalog(world["catalog"]), definition)
    priced, _ = book.price_arrow(table.slice(0, 300), b2b_oms.CustomerTable(world["customers"]))
    assert priced.schema.field("net_unit_price").type == pa.decimal128(38, 4)


def test_independent_of_threads_batches_and_explain_level(compiled: Any, table: Any) -> None:
    book, customers = compiled
    one, t1 = book.price_arrow(table, customers, threads=1)
    two, t2 = book.price_arrow(pa.Table.from_batches(table.to_batches(max_chunksize=777)), customers, threads=2)
    assert one.equals(two) and t1.equals(t2)
    bare, _ = book.price_arrow(table, customers, explain="none")
    assert bare.column("net_unit_price").equals(one.column("net_unit_price"))
    assert all(r in (None, []) for r in bare.column("applied_rules").to_pylist())


def test_text_and_integer_columns_and_zones(compiled: Any, world: Dict[str, Any]) -> None:
    book, customers = compiled
    sku = world["catalog"][1]["sku"]
    customer = world["customers"][1]["id"]
    base = {"order_id": ["A", "A"], "customer_id": [customer] * 2, "sku": [sku] * 2,
            "currency": ["INR"] * 2, "channel": ["portal"] * 2}
    as_text = pa.table({**base, "quantity": pa.array([60, 120], pa.int64()),
                        "priced_at": pa.array(["2026-11-26T11:30:00+05:30"] * 2, pa.large_string())})
    stamp = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.timezone.utc)
    as_stamp = pa.table({**base, "quantity": pa.array([Decimal(60), Decimal(120)], pa.decimal128(10, 0)),
                         "priced_at": pa.array([stamp] * 2, pa.timestamp("ms", tz="Asia/Kolkata"))})
    as_offset = as_stamp.set_column(as_stamp.schema.get_field_index("priced_at"), "priced_at", pa.array([stamp] * 2, pa.timestamp("s", tz="+05:30")))
    a, _ = book.price_arrow(as_text, customers)
    b, _ = book.price_arrow(as_stamp, customers)
    c, _ = book.price_arrow(as_offset, customers)
    assert a.column("amount").equals(b.column("amount")) and a.column("amount").equals(c.column("amount"))
    assert a.column("amount").to_pylist()[0] is not None


def bad(compiled: Any, table: Any) -> b2b_oms.Error:
    book, customers = compiled
    with pytest.raises(b2b_oms.Error) as info:
        book.price_arrow(table, customers)
    return info.value


def test_float_quantity_refused(compiled: Any, table: Any) -> None:
    t = table.slice(0, 10)
    t = t.set_column(t.schema.get_field_index("quantity"), "quantity", pa.array([1.5] * 10, pa.float64()))
    e = bad(compiled, t)
    assert isinstance(e, b2b_oms.InputTypeError) and e.code == "NUMBER_FOR_DECIMAL" and e.field == "quantity"


def test_unknown_and_missing_columns_refused(compiled: Any, table: Any) -> None:
    t = table.slice(0, 10)
    e = bad(compiled, t.append_column("qty", pa.array([1] * 10)))
    assert e.code == "UNKNOWN_FIELD" and e.field == "qty" and e.details["value"] == "qty"
    e = bad(compiled, t.drop_columns(["sku"]))
    assert e.code == "MISSING_FIELD" and e.field == "sku"


def test_null_in_required_column_refused_with_its_row(compiled: Any, table: Any) -> None:
    t = table.slice(0, 10)
    skus = t.column("sku").to_pylist()
    skus[7] = None
    e = bad(compiled, t.set_column(t.schema.get_field_index("sku"), "sku", pa.array(skus, pa.string())))
    assert e.code == "MISSING_FIELD" and e.field == "rows[7].sku"


def test_naive_timestamp_and_wrong_type_refused(compiled: Any, table: Any) -> None:
    t = table.slice(0, 4)
    i = t.schema.get_field_index("priced_at")
    naive = pa.array([dt.datetime(2026, 11, 26, 11, 30)] * 4, pa.timestamp("us"))
    e = bad(compiled, t.set_column(i, "priced_at", naive))
    assert e.code == "NAIVE_DATETIME" and e.field == "priced_at"
    e = bad(compiled, t.set_column(t.schema.get_field_index("sku"), "sku", pa.array([1, 2, 3, 4])))
    assert e.code == "INVALID_FIELD" and e.field == "sku" and "rule" in e.details


def test_rows_of_one_order_must_agree(compiled: Any, table: Any) -> None:
    t = table.slice(0, 40)
    ids = t.column("order_id").to_pylist()
    row = next(i for i in range(1, 40) if ids[i] == ids[i - 1])
    channels = t.column("channel").to_pylist()
    channels[row] = "edi" if channels[row] != "edi" else "portal"
    e = bad(compiled, t.set_column(t.schema.get_field_index("channel"), "channel", pa.array(channels)))
    assert e.code == "INVALID_FIELD" and e.field == f"rows[{row}].channel"


def test_bad_arguments_refused(compiled: Any, table: Any) -> None:
    book, customers = compiled
    with pytest.raises(b2b_oms.InputError) as info:
        book.price_arrow(table, customers, explain="everything")
    assert info.value.code == "INVALID_VALUE" and info.value.field == "explain"
    with pytest.raises(b2b_oms.InputError) as info:
        book.price_arrow(table, customers, threads=0)
    assert info.value.code == "INVALID_VALUE"
    with pytest.raises(b2b_oms.InputError) as info:
        book.price_arrow([{"order_id": "x"}], customers)
    assert info.value.code == "INVALID_FIELD" and info.value.field == "lines"


def test_customer_table(world: Dict[str, Any]) -> None:
    t = b2b_oms.CustomerTable(world["customers"])
    assert len(t) == len(world["customers"]) and "CustomerTable(60 customers)" == repr(t)
    again = b2b_oms.CustomerTable(t.to_json())
    assert len(again) == len(t)
    with pytest.raises(b2b_oms.InputError) as info:
        b2b_oms.CustomerTable(world["customers"][:2] + world["customers"][:1])
    assert info.value.code == "DUPLICATE_ID" and info.value.field == "customers[2].id"
    assert b2b_oms.ARROW_COLUMNS[:2] == ["order_id", "customer_id"]
