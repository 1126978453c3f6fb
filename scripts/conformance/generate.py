#!/usr/bin/env python3
"""Regenerates conformance/*.json: builds every case's input, runs each
through `b2b-oms call <operation>` (target/debug/b2b-oms, built first with
`cargo build -p b2b-oms-cli`), fills the expectations of generated cases
from the output and checks hand cases against theirs (never rewriting them).

    cargo build -p b2b-oms-cli && python3 scripts/conformance/generate.py

Prints the counts per file and every hand case that disagrees with the code.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import lib  # noqa: E402
import fulfilment  # noqa: E402
import gst  # noqa: E402
import pricing  # noqa: E402
import quotes  # noqa: E402

def main():
    suite = lib.Suite()
    # The order of the calls is the order of the cases in each file.
    pricing.cases(suite)
    gst.cases(suite)
    order = quotes.cases(suite)  # the quote journey; returns the converted order
    quotes.credit_cases(suite)
    fulfilment.cases(suite, order)  # allocation, ledger, shipments, the order's plan and dispatch, classify
    pricing.currencies(suite)
    gst.more_notes(suite)
    fulfilment.more_ledger(suite)
    fulfilment.more_routing(suite)
    gst.more_charges(suite)
    pricing.views(suite)
    pricing.escapes(suite)
    fulfilment.ledger_figures(suite)
    quotes.figures(suite)
    pricing.more(suite)
    gst.more(suite)
    quotes.more(suite)
    fulfilment.more(suite)
    pricing.explain(suite)  # only once `explain` is in the schema
    pricing.parity(suite)  # issue 21, items 10-14
    suite.write(os.path.join(lib.ROOT, "conformance"))


if __name__ == "__main__":
    main()
