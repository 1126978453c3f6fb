#!/usr/bin/env python3
"""Reprices a table of order lines with a Polars lazy frame and b2b_oms.

``reprice`` adds a ``map_batches`` step to a ``LazyFrame``: Polars hands the
collected frame to ``PriceBook.price_arrow`` through the Arrow C stream
interface (no row becomes a Python object), and the priced lines (or the
per-order totals) come back as a frame with ``Decimal`` columns at the
book's scales. The step is not streamable, so the whole frame is one call
and an order's lines always meet; ``price_arrow`` spreads the orders over
the machine's cores with the GIL released. The book and the customer table
are compiled once, before the query, and reused by every query.

Run as a script for a small demo::

    python examples/polars/reprice.py [--lines 20000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional

import polars as pl
import pyarrow as pa

import b2b_oms


def output_schema(book: b2b_oms.PriceBook, quantity_scale: int, output: str = "lines") -> pl.Schema:
    """The Polars schema of ``reprice``'s output."""
    lines, orders = book.price_arrow_schema(quantity_scale)
    empty = pa.schema(lines if output == "lines" else orders).empty_table()
    frame = pl.from_arrow(empty)
    assert isinstance(frame, pl.DataFrame)
    return frame.schema


def reprice(lines: pl.LazyFrame, book: b2b_oms.PriceBook, customers: b2b_oms.CustomerTable, *,
            explain: str = "summary", output: str = "lines", threads: Optional[int] = None) -> pl.LazyFrame:
    """``lines`` (the columns of ``b2b_oms.ARROW_COLUMNS``; others are
    dropped) priced: one row per priced line ("lines") or one row of totals
    per order ("orders"). Quantities must be a Polars ``Decimal``."""
    have = lines.collect_schema()
    quantity = have["quantity"]
    scale = quantity.scale if isinstance(quantity, pl.Decimal) and quantity.scale is not None else 0

    def price(df: pl.DataFrame) -> pl.DataFrame:
        priced, totals = book.price_arrow(df, customers, explain=explain, threads=threads)
        frame = pl.from_arrow(priced if output == "lines" else totals)
        assert isinstance(frame, pl.DataFrame)
        return frame

    columns = [c for c in b2b_oms.ARROW_COLUMNS if c in have.names()]
    return lines.select(columns).map_batches(price, schema=output_schema(book, scale, output))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benches" / "scale"))
    import lines as gen  # the generated world and lines table of the tests

    w = gen.world()
    book = b2b_oms.PriceBook(b2b_oms.Catalog(w["catalog"]), w["price_book"])
    customers = b2b_oms.CustomerTable(w["customers"])
    frame: Any = pl.from_arrow(gen.lines_table(w, args.lines))
    priced = reprice(frame.lazy(), book, customers).collect()
    totals = reprice(frame.lazy(), book, customers, output="orders").collect()
    print(f"{priced.height} priced rows, {totals.height} orders")
    print(totals.sort("order_id").head(5))


if __name__ == "__main__":
    main()
