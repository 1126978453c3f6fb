#!/usr/bin/env python3
"""Lines per second through each batch path, on the Python benchmark's
generated world (5,000 skus, 2,000 rules, 200 customers) and a generated
table of order lines (default 1,000,000):

a. ``PriceBook.price_orders`` (dicts in, dicts out) on 1 and 2 threads;
b. ``PriceBook.price_arrow`` (Arrow in, Arrow out) on 1 and 2 threads;
c. Polars: ``examples/polars/reprice.py`` (lazy ``map_batches``);
d. PySpark ``local[2]``: ``examples/spark/reprice.py`` (``mapInArrow``),
   written to Spark's ``noop`` sink, and the same job with an identity
   ``mapInArrow`` to show Spark's own cost.

Also the snapshot's size and the memory one compiled book takes (RSS before
and after compiling), for sizing a cluster. A benchmark, not a test: run it
on a release build of the extension (``maturin develop --release``)::

    python benches/scale/bench.py [--lines 1000000] [--explain summary] [--skip-spark]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "examples" / "spark"))

import b2b_oms  # noqa: E402
import lines as gen  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(label: str, lines: int, fn: Callable[[], Any], results: Dict[str, float]) -> Any:
    start = time.perf_counter()
    out = fn()
    s = time.perf_counter() - start
    results[label] = lines / s
    print(f"{label:<46} {s:8.2f} s  {lines / s:>12,.0f} lines/s", flush=True)
    return out


def identity(batches: Iterator[Any]) -> Iterator[Any]:
    yield from batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--explain", default="summary")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-dicts", action="store_true")
    args = parser.parse_args()
    n = args.lines
    results: Dict[str, float] = {}

    w = gen.world(skus=5000, rules=2000, customers=200)
    table = gen.lines_table(w, n)
    before = rss_mib()
    book = b2b_oms.PriceBook(b2b_oms.Catalog(w["catalog"]), w["price_book"])
    customers = b2b_oms.CustomerTable(w["customers"])
    after = rss_mib()
    spark_mod = importlib.import_module("reprice")
    snap = spark_mod.snapshot(w["catalog"], w["price_book"], w["customers"])
    print(f"world: 5,000 skus, 2,000 rules, 200 customers; {n:,} lines, "
          f"{len(set(table.column('order_id').to_pylist())):,} orders; explain {args.explain}")
    print(f"snapshot: {sum(len(t) for t in snap[1:]) / 1e6:.1f} MB of JSON; compiled book + customers: "
          f"{after - before:.0f} MiB RSS")

    if not args.skip_dicts:
        _, orders = gen.orders_of(table, w["customers"], args.explain)
        for threads in (1, 2):
            timed(f"price_orders, dicts, {threads} thread(s)", n,
                  lambda: book.price_orders(orders, threads=threads), results)
        del orders
    for threads in (1, 2):
        timed(f"price_arrow, {threads} thread(s)", n,
              lambda: book.price_arrow(table, customers, explain=args.explain, threads=threads), results)

    import polars as pl

    spec = importlib.util.spec_from_file_location("polars_reprice", REPO / "examples" / "polars" / "reprice.py")
    assert spec and spec.loader
    polars_mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(polars_mod)
    frame = pl.from_arrow(table)
    timed("polars lazy map_batches (2 threads)", n,
          lambda: polars_mod.reprice(frame.lazy(), book, customers, explain=args.explain).collect(), results)

    if not args.skip_spark:
        spark = spark_mod.session(cores=2)
        df = spark.createDataFrame(table).cache()
        df.count()
        timed("spark local[2], identity mapInArrow (Spark alone)", n,
              lambda: df.repartition(8, "order_id").sortWithinPartitions("order_id", "line_id")
              .mapInArrow(identity, df.schema).write.format("noop").mode("overwrite").save(), results)
        timed("spark local[2], reprice (mapInArrow)", n,
              lambda: spark_mod.reprice(spark, df, snap, partitions=8, explain=args.explain)
              .write.format("noop").mode("overwrite").save(), results)
        spark.stop()

    print()
    if "price_orders, dicts, 1 thread(s)" in results:
        print(f"price_arrow / price_orders, 1 thread: "
              f"{results['price_arrow, 1 thread(s)'] / results['price_orders, dicts, 1 thread(s)']:.1f}x")
    if "spark local[2], reprice (mapInArrow)" in results:
        per_line_arrow = 1e6 / results["price_arrow, 2 thread(s)"]
        per_line_spark = 1e6 / results["spark local[2], reprice (mapInArrow)"]
        print(f"spark per-line overhead over price_arrow (2 threads): {per_line_spark - per_line_arrow:.2f} µs "
              f"({per_line_spark:.2f} against {per_line_arrow:.2f} µs per line)")


if __name__ == "__main__":
    main()
