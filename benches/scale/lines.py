"""A generated lines table for the "at scale" tests and benchmark, and the
row-by-row check of ``PriceBook.price_arrow`` against ``price_orders``.

The world is the Python benchmark's (``benches/python/world.py``: tiered
lists along a fallback chain, line rules, MOQs, order discounts); the table
adds what a warehouse has: orders of 1 to 40 lines, a few lines below
their MOQ or of unknown skus, and a few orders of a customer the customer
table does not have. Quantities are ``decimal128(18, 3)``, never float;
``priced_at`` is a timestamp with a time zone.

``expected_rows`` builds, from ``price_orders`` results (dicts), the rows
``price_arrow`` must give, in its documented order; ``arrow_rows`` reads
its output the same way, so the two lists compare with ``==``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))

import world as world_mod  # noqa: E402

UNKNOWN_CUSTOMER = "CUST-NOT-IN-TABLE"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
PRICED_AT = dt.datetime(2026, 11, 26, 11, 30, tzinfo=IST)

#: The columns a priced row is compared on.
ROW_KEYS = (
    "order_id", "line_index", "line_id", "kind", "sku", "quantity", "unit", "net_unit_price",
    "amount", "taxable_amount", "quantity_status", "applied_rules", "error_code", "error_field",
)


def world(skus: int = 2000, rules: int = 800, customers: int = 200) -> Dict[str, Any]:
    """The seeded world (catalog, price book, customers) as documents."""
    return world_mod.world(skus=skus, rules=rules, customers=customers)


def lines_columns(w: Dict[str, Any], lines: int, seed: int = 3) -> Dict[str, List[Any]]:
    """The lines table as Python column lists (`lines` rows), in order."""
    rng = random.Random(seed)
    skus = [p["sku"] for p in w["catalog"]]
    customers = [c["id"] for c in w["customers"]]
    cols: Dict[str, List[Any]] = {k: [] for k in (
        "order_id", "customer_id", "line_id", "sku", "quantity", "unit", "currency", "channel",
        "priced_at")}
    n = 0
    order = 0
    while n < lines:
        size = min(rng.choice([1, 3, 8, 12, 20, 25, 40]), lines - n)
        customer = UNKNOWN_CUSTOMER if order % 997 == 5 else rng.choice(customers)
        channel = rng.choice(["portal"] * 6 + ["sales_rep"] * 3 + ["edi"])
        for i in range(size):
            cols["order_id"].append(f"SO{order:07d}")
            cols["customer_id"].append(customer)
            cols["line_id"].append(f"{i + 1:03d}")
            cols["sku"].append("SKU-UNKNOWN" if rng.random() < 0.002 else rng.choice(skus))
            cols["quantity"].append(Decimal(rng.choice([1, 2, 3, 8, 12, 25, 60, 120, 250, 600])))
            cols["unit"].append(None)
            cols["currency"].append("INR")
            cols["channel"].append(channel)
            cols["priced_at"].append(PRICED_AT)
        n += size
        order += 1
    return cols


def lines_table(w: Dict[str, Any], lines: int, seed: int = 3) -> Any:
    """The lines table as a ``pyarrow.Table``."""
    import pyarrow as pa

    cols = lines_columns(w, lines, seed)
    schema = pa.schema([
        ("order_id", pa.string()), ("customer_id", pa.string()), ("line_id", pa.string()),
        ("sku", pa.string()), ("quantity", pa.decimal128(18, 3)), ("unit", pa.string()),
        ("currency", pa.string()), ("channel", pa.string()),
        ("priced_at", pa.timestamp("us", tz="Asia/Kolkata")),
    ])
    return pa.table({k: cols[k] for k in schema.names}, schema=schema)


def orders_of(table: Any, customers: List[Dict[str, Any]], explain: str = "summary") -> Tuple[List[str], List[Dict[str, Any]]]:
    """The table's orders as ``price_orders`` input (``{"customer", "request"}``
    dicts), in order of first appearance, with their ids; an order of an
    unknown customer is left out of the input (its id is still listed)."""
    by_id = {c["id"]: c for c in customers}
    rows = table.to_pylist()
    ids: List[str] = []
    requests: Dict[str, Dict[str, Any]] = {}
    owner: Dict[str, str] = {}
    for r in rows:
        oid = r["order_id"]
        if oid not in requests:
            ids.append(oid)
            owner[oid] = r["customer_id"]
            requests[oid] = {
                "order_id": oid, "currency": r["currency"], "channel": r["channel"],
                "priced_at": r["priced_at"], "lines": [], "explain": explain,
            }
        line: Dict[str, Any] = {"sku": r["sku"], "quantity": r["quantity"]}
        if r.get("line_id") is not None:
            line["line_id"] = r["line_id"]
        if r.get("unit") is not None:
            line["unit"] = r["unit"]
        requests[oid]["lines"].append(line)
    orders = [{"customer": by_id[owner[o]], "request": requests[o]} for o in ids if owner[o] in by_id]
    return ids, orders


def expected_rows(table: Any, customers: List[Dict[str, Any]], results: List[Dict[str, Any]], explain: str = "summary") -> List[Tuple[Any, ...]]:
    """The rows ``price_arrow`` must give for ``table``, built from the
    ``price_orders`` results of ``orders_of(table, customers)``: per order,
    per request line, its priced line then its free goods, or its error."""
    ids, orders = orders_of(table, customers, explain)
    by_order = {o["request"]["order_id"]: r for o, r in zip(orders, results)}
    request_of = {o["request"]["order_id"]: o["request"] for o in orders}
    rows_of: Dict[str, List[Dict[str, Any]]] = {}
    for r in table.to_pylist():
        rows_of.setdefault(r["order_id"], []).append(r)
    out: List[Tuple[Any, ...]] = []
    for oid in ids:
        result = by_order.get(oid)
        if result is None or "error" in result:
            code = "INVALID_FIELD" if result is None else result["error"]["code"]
            for i, r in enumerate(rows_of[oid]):
                field = None if result is None else result["error"].get("field")
                out.append((oid, i, r["line_id"], None, r["sku"], None, None, None, None, None, None,
                            None, code, field if result is not None else "__customer__"))
            continue
        priced = result["priced"]
        n = len(request_of[oid]["lines"])
        lines: List[List[Dict[str, Any]]] = [[] for _ in range(n)]
        for l in priced["lines"]:
            lines[l["line_index"]].append(l)
        problems = {e["line_index"]: e for e in priced["errors"]}
        for i in range(n):
            for l in lines[i]:
                kind = "sale" if l["kind"]["type"] == "sale" else "free_goods"
                status = l["quantity_status"]["status"]
                out.append((oid, l["line_index"], l.get("line_id"), kind, l["sku"], l["quantity"], l["unit"],
                            l["net_unit_price"], l["amount"], l["taxable_amount"], status,
                            [a["rule_id"] for a in l.get("adjustments", [])], None, None))
            if i in problems:
                e = problems[i]
                out.append((oid, i, e.get("line_id"), None, e["sku"], None, None, None, None, None, None,
                            None, e["code"], e["field"]))
    return out


def arrow_rows(priced: Any) -> List[Tuple[Any, ...]]:
    """The rows of a ``price_arrow`` lines batch (or table), compared on
    ``ROW_KEYS``; an unknown customer's error field reads ``__customer__``."""
    out: List[Tuple[Any, ...]] = []
    for r in priced.to_pylist():
        row = tuple(r[k] for k in ROW_KEYS)
        if r["error_code"] == "INVALID_FIELD" and (r["error_field"] or "").endswith(".customer_id"):
            row = row[:-1] + ("__customer__",)
        out.append(row)
    return out


def same_values(a: List[Tuple[Any, ...]], b: List[Tuple[Any, ...]]) -> Optional[str]:
    """``None`` when the rows are equal value for value (decimals compared as
    numbers, scales aside), else the first difference."""
    if len(a) != len(b):
        return f"{len(a)} rows against {len(b)}"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"row {i}: {x} != {y}"
    return None
