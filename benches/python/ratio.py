#!/usr/bin/env python3
"""Prices the same orders three ways in one run and prints the ratios.

1. an idiomatic pure-Python implementation of the same rules (``pure.py``)
   against the binding (``b2b_oms.PriceBook.price_order``): target ≥ 50×;
2. the binding against native Rust on the same compiled book and data (an
   in-process timer in the extension, ``PriceBook._time_native``): the
   binding's overhead, target ≤ 2×;
3. ``price_orders`` from Python on 1 and 2 threads.

Before timing, the two implementations must agree on every line's net unit
price and amount and on the order totals. A benchmark, not a test: run it
on a release build of the extension (``pip install ./bindings-python`` or
``maturin develop --release``). Usage::

    python benches/python/ratio.py [--skus 5000] [--rules 2000] [--lines 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

import b2b_oms  # noqa: E402
import pure  # noqa: E402
import world as world_mod  # noqa: E402


class DecimalText(json.JSONEncoder):
    """JSON text of documents with Decimal amounts (as decimal strings)."""

    def default(self, o: Any) -> Any:
        return format(o, "f") if isinstance(o, Decimal) else super().default(o)


def best_of(fn: Callable[[], Any], repeat: int, number: int) -> float:
    """Seconds per call: the best of `repeat` runs of `number` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def check_agreement(native: Dict[str, Any], python: Dict[str, Any]) -> int:
    """Raises on the first disagreement; returns the number of lines compared."""
    by_index = {l["line_index"]: l for l in python["lines"]}
    assert len(native["lines"]) == len(python["lines"]), (len(native["lines"]), len(python["lines"]))
    for line in native["lines"]:
        mine = by_index[line["line_index"]]
        for key in ("net_unit_price", "amount"):
            if line[key] != mine[key]:
                raise SystemExit(
                    f"disagreement on line {line['line_index']} {line['sku']} {key}: "
                    f"core {line[key]}, pure Python {mine[key]} "
                    f"(core adjustments {[a.get('rule_id') for a in line['adjustments']]}, "
                    f"python {[a['rule_id'] for a in mine['adjustments']]})"
                )
    assert sorted(e["line_index"] for e in native["errors"]) == sorted(e["line_index"] for e in python["errors"])
    for key in ("subtotal", "order_discount_total", "total_before_tax"):
        assert native[key] == python[key], (key, native[key], python[key])
    return len(native["lines"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", type=int, default=5000)
    ap.add_argument("--rules", type=int, default=2000)
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--orders", type=int, default=5, help="distinct orders (customers) compared and timed")
    args = ap.parse_args()

    t = time.perf_counter()
    w = world_mod.world(skus=args.skus, rules=args.rules)
    orders = [world_mod.order(w, args.lines, seed=11 + i, customer=i * 7) for i in range(args.orders)]
    print(f"world: {args.skus} skus, {args.rules} rules, {len(w['price_book']['price_lists'])} price lists, "
          f"{args.orders} orders of {args.lines} lines ({time.perf_counter() - t:.1f} s to generate)")

    t = time.perf_counter()
    catalog = b2b_oms.Catalog(w["catalog"])
    book = b2b_oms.PriceBook(catalog, w["price_book"])
    compile_native = time.perf_counter() - t
    t = time.perf_counter()
    py_book = pure.PurePriceBook(w["catalog"], w["price_book"])
    compile_python = time.perf_counter() - t
    print(f"compile: binding {compile_native * 1000:.1f} ms, pure Python {compile_python * 1000:.1f} ms")

    compared = 0
    for o in orders:
        compared += check_agreement(book.price_order(o["customer"], o["request"]),
                                    py_book.price_order(o["customer"], o["request"]))
    print(f"agreement: {compared} priced lines, the same net unit price and amount; the same totals")

    def each(fn: Callable[[Dict[str, Any]], Any]) -> Callable[[], None]:
        def run() -> None:
            for o in orders:
                fn(o)
        return run

    n = len(orders)
    pure_s = best_of(each(lambda o: py_book.price_order(o["customer"], o["request"])), 3, 1) / n
    hints = getattr(b2b_oms.types.PriceRequest, "__annotations__", {})
    levels = ["none", "summary", "full"] if "explain" in hints else [None]
    print()
    scan_book = pure.PurePriceBook(w["catalog"], w["price_book"], indexed=False)
    for o in orders[:1]:
        check_agreement(book.price_order(o["customer"], o["request"]), scan_book.price_order(o["customer"], o["request"]))
    scan_s = best_of(lambda: scan_book.price_order(orders[0]["customer"], orders[0]["request"]), 1, 1)
    print(f"one {args.lines}-line order, pure Python (decimal), rules indexed by sku and category: {pure_s * 1000:.2f} ms "
          f"({pure_s / args.lines * 1e6:.1f} us per line)")
    print(f"one {args.lines}-line order, pure Python (decimal), every rule checked on every line: {scan_s * 1000:.2f} ms")
    for level in levels:
        runs = [
            (o["customer"], dict(o["request"], explain=level) if level else o["request"]) for o in orders
        ]
        binding_s = best_of(lambda: [book.price_order(c, r) for c, r in runs], 5, 3) / n
        native_s = sum(book._time_native(c, r, 20) for c, r in runs) / n
        as_json = [(json.dumps(c, cls=DecimalText), json.dumps(r, cls=DecimalText)) for c, r in runs]
        json_s = best_of(lambda: [book.price_order(c, r) for c, r in as_json], 5, 3) / n
        json_out_s = best_of(lambda: [book.price_order_json(c, r) for c, r in runs], 5, 3) / n
        name = f"explain: {level}" if level else "explain: full waterfall (the only level the core has yet)"
        print(f"  {name}")
        print(f"    b2b_oms (dicts, Decimal)  {binding_s * 1000:8.2f} ms  {pure_s / binding_s:6.1f}x faster than indexed pure Python, "
              f"{scan_s / binding_s:.1f}x than the scanning one (target >= 50x)")
        print(f"    b2b_oms (JSON text in)    {json_s * 1000:8.2f} ms")
        print(f"    b2b_oms (JSON text out)   {json_out_s * 1000:8.2f} ms  {pure_s / json_out_s:6.1f}x faster than indexed pure Python, "
              f"{scan_s / json_out_s:.1f}x than the scanning one; overhead {json_out_s / native_s:.2f}x")
        print(f"    native Rust (in-process)  {native_s * 1000:8.2f} ms  binding overhead {binding_s / native_s:.2f}x (target <= 2x)")

    batch = [{"customer": o["customer"], "request": o["request"]} for o in orders] * 4
    one = best_of(lambda: book.price_orders(batch, threads=1), 3, 1)
    two = best_of(lambda: book.price_orders(batch, threads=2), 3, 1)
    cores = os.cpu_count() or 1
    print()
    print(f"price_orders, {len(batch)} orders of {args.lines} lines from Python ({cores} cores):")
    print(f"  1 thread   {one * 1000:9.1f} ms   {len(batch) / one:7.1f} orders/s")
    print(f"  2 threads  {two * 1000:9.1f} ms   {len(batch) / two:7.1f} orders/s   speed-up {one / two:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
