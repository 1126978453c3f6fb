#!/usr/bin/env python3
"""Reprices a table of order lines with PySpark (``mapInArrow``) and b2b_oms.

The price book travels as its JSON snapshot (catalog, price book and
customer documents as JSON text) in a broadcast variable. Each executor's
Python process compiles it once, on the first batch that needs it, and
keeps it in a module-level cache keyed by the snapshot's SHA-256 digest:
later batches, partitions and jobs in the same process reuse it, and a new
book (a new digest) is compiled once in its turn. For that cache to be one
per process, the function Spark ships is this module's own
``reprice_partition`` (pickled by reference, so the executor imports this
module), made available to executors with ``SparkContext.addPyFile``.

An order's lines must meet in one ``price_arrow`` call: ``reprice``
repartitions by ``order_id`` and sorts each partition by order id and line
order, and ``reprice_partition`` holds back the last order of each Arrow
batch (it may go on in the next) until its rows are complete. So results do
not depend on the number of partitions or the batch size.

Run as a script for a small demo on ``local[2]``::

    python examples/spark/reprice.py [--lines 20000] [--partitions 4]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pyarrow as pa
import pyarrow.compute as pc

import b2b_oms

#: Compiled books of this process, by snapshot digest.
_COMPILED: Dict[str, Tuple[b2b_oms.PriceBook, b2b_oms.CustomerTable]] = {}


class _Text(json.JSONEncoder):
    """JSON text of documents: decimals as decimal text, instants as RFC 3339."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return format(o, "f")
        if hasattr(o, "isoformat"):
            return o.isoformat()
        return super().default(o)


def snapshot(catalog: Any, price_book: Any, customers: Any) -> Tuple[str, str, str, str]:
    """The book's snapshot: ``(digest, catalog, price book, customers)``, the
    three documents as JSON text and the SHA-256 of the three."""
    texts = [json.dumps(d, cls=_Text, sort_keys=True, separators=(",", ":")) for d in (catalog, price_book, customers)]
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return (h.hexdigest(), texts[0], texts[1], texts[2])


def compiled(snap: Tuple[str, str, str, str], compiles: Any = None) -> Tuple[b2b_oms.PriceBook, b2b_oms.CustomerTable]:
    """The compiled book and customer table of ``snap``, compiled at most once
    per process; ``compiles`` (a Spark accumulator) counts the compilations."""
    digest, catalog, book, customers = snap
    hit = _COMPILED.get(digest)
    if hit is None:
        hit = (b2b_oms.PriceBook(b2b_oms.Catalog(catalog), book), b2b_oms.CustomerTable(customers))
        _COMPILED[digest] = hit
        if compiles is not None:
            compiles.add(1)
    return hit


def _price(book: b2b_oms.PriceBook, customers: b2b_oms.CustomerTable, parts: List[pa.RecordBatch],
           explain: str, output: str) -> Iterator[pa.RecordBatch]:
    if not parts or sum(p.num_rows for p in parts) == 0:
        return
    lines, orders = book.price_arrow(pa.Table.from_batches(parts), customers, explain=explain, threads=1)
    yield lines if output == "lines" else orders


def reprice_partition(bc: Any, explain: str, output: str, compiles: Any,
                      batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The ``mapInArrow`` function: the partition's batches (sorted by order
    id) priced order-complete; yields ``output`` ("lines" or "orders")."""
    book, customers = compiled(bc.value, compiles)
    pending: List[pa.RecordBatch] = []
    for batch in batches:
        if batch.num_rows == 0:
            continue
        ids = batch.column("order_id")
        cut = pc.index(ids, ids[batch.num_rows - 1]).as_py()  # first row of the last order
        if cut > 0:
            yield from _price(book, customers, pending + [batch.slice(0, cut)], explain, output)
            pending = []
        pending.append(batch.slice(cut))
    yield from _price(book, customers, pending, explain, output)


def reprice(spark: Any, lines: Any, snap: Tuple[str, str, str, str], *, partitions: int = 8,
            explain: str = "summary", output: str = "lines", line_order: str = "line_id",
            compiles: Any = None) -> Any:
    """A DataFrame of the priced ``lines`` ("lines": one row per line, free
    goods included; "orders": one row of totals per order). ``lines`` has the
    columns of ``b2b_oms.ARROW_COLUMNS`` (others are dropped) with quantities
    as a Spark decimal; ``line_order`` orders an order's lines."""
    from pyspark.sql.pandas.types import from_arrow_schema

    bc = spark.sparkContext.broadcast(snap)
    book, _ = compiled(snap)
    qscale = lines.schema["quantity"].dataType.scale if hasattr(lines.schema["quantity"].dataType, "scale") else 0
    lines_schema, orders_schema = book.price_arrow_schema(qscale)
    schema = from_arrow_schema(lines_schema if output == "lines" else orders_schema)
    columns = [c for c in b2b_oms.ARROW_COLUMNS if c in lines.columns]
    prepared = (lines.repartition(partitions, "order_id")
                .sortWithinPartitions("order_id", line_order)
                .select(*columns))
    fn = functools.partial(reprice_partition, bc, explain, output, compiles)
    return prepared.mapInArrow(fn, schema)


def session(cores: int = 2, batch_rows: Optional[int] = None) -> Any:
    """A ``local[cores]`` session whose executors import this module."""
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # local mode: loopback only
    builder = (SparkSession.builder.master(f"local[{cores}]").appName("b2b-oms-reprice")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(cores * 2))
               .config("spark.sql.session.timeZone", "Asia/Kolkata")
               .config("spark.driver.memory", "2g"))
    if batch_rows:
        builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_rows))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.addPyFile(str(Path(__file__).resolve()))
    return spark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benches" / "scale"))
    import lines as gen  # the generated world and lines table of the tests

    w = gen.world()
    table = gen.lines_table(w, args.lines)
    spark = session()
    snap = snapshot(w["catalog"], w["price_book"], w["customers"])
    df = spark.createDataFrame(table)
    priced = reprice(spark, df, snap, partitions=args.partitions)
    totals = reprice(spark, df, snap, partitions=args.partitions, output="orders")
    print(f"{priced.count()} priced rows; first orders:")
    totals.orderBy("order_id").show(5, truncate=False)
    spark.stop()


if __name__ == "__main__":
    main()
