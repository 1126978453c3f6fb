"""Batch calls release the GIL: another Python thread runs while the core
prices a long batch, and the batch gives the same results on 1 and 2 threads."""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, List

import b2b_oms


def test_another_thread_runs_during_price_orders(dataset: Dict[str, Any]) -> None:
    book = b2b_oms.PriceBook(b2b_oms.Catalog(dataset["catalog"]), dataset["price_book"])
    customers = {c["id"]: c for c in dataset["customers"]}
    one = [{"customer": customers[o["customer_id"]], "request": o["request"]} for o in dataset["orders"]]
    # Long enough that the core's part takes a while, even on a fast machine.
    orders = one * 400
    ticks: List[float] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    # Measure the GIL-held conversion alone, to tell it from the call.
    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        start = time.perf_counter()
        results = book.price_orders(orders, threads=1)
        end = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    during = [t for t in ticks if start < t < end]
    elapsed = end - start
    assert len(results) == len(orders)
    # With the GIL held for the whole call the ticker could not run at all
    # between start and end; released while the core prices, it keeps ticking.
    assert len(during) >= 10, f"only {len(during)} ticks in {elapsed:.3f} s"
    gaps = [b - a for a, b in zip(during, during[1:])]
    assert max(gaps, default=elapsed) < elapsed, "the ticker stopped for the whole call"


def test_results_do_not_depend_on_threads(dataset: Dict[str, Any]) -> None:
    book = b2b_oms.PriceBook(b2b_oms.Catalog(dataset["catalog"]), dataset["price_book"])
    customers = {c["id"]: c for c in dataset["customers"]}
    orders = [{"customer": customers[o["customer_id"]], "request": o["request"]} for o in dataset["orders"]] * 20
    assert book.price_orders(orders, threads=1) == book.price_orders(orders, threads=2) == book.price_orders(orders)


def test_handles_are_shared_between_threads(dataset: Dict[str, Any]) -> None:
    book = b2b_oms.PriceBook(b2b_oms.Catalog(dataset["catalog"]), dataset["price_book"])
    customers = {c["id"]: c for c in dataset["customers"]}
    order = dataset["orders"][0]
    want = book.price_order(customers[order["customer_id"]], order["request"])
    got: List[Any] = []

    def work() -> None:
        for _ in range(5):
            got.append(book.price_order(customers[order["customer_id"]], order["request"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 20 and all(g == want for g in got)
