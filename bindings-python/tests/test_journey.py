"""The journey example runs inquiry to invoice and prints the Rust demo's
totals (`cargo run -p b2b-oms-cli -- demo`): the per-shipment invoices, the
credit note and the export invoice."""

from __future__ import annotations

import contextlib
import importlib.util
import io
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import pytest

from support import REPO

# number -> (taxable, CGST, SGST, IGST, round-off, grand total), as the demo prints them.
DEMO: Dict[str, Tuple[str, str, str, str, str, str]] = {
    "INV/26-27/00001": ("143075.69", "4150.18", "4150.18", "0", "-0.05", "151376.00"),
    "INV/26-27/00002": ("98314.09", "0", "0", "4915.70", "0.21", "103230.00"),
    "CRN/26-27/00001": ("228.73", "5.72", "5.72", "0", "-0.17", "240.00"),
    "EXP/26-27/00001": ("1016754.90", "0", "0", "0", "0", "1016754.90"),
}


@pytest.fixture(scope="module")
def example() -> Tuple[Dict[str, Any], str]:
    """The example's documents and what it printed (run once for this module)."""
    path = REPO / "examples" / "python" / "journey.py"
    spec = importlib.util.spec_from_file_location("journey_printed", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        documents: Dict[str, Any] = module.run()
    return documents, out.getvalue()


def test_journey_documents_have_the_demo_totals(example: Tuple[Dict[str, Any], str]) -> None:
    documents, _ = example
    invoices: List[Dict[str, Any]] = documents["invoices"]
    assert [inv["number"] for inv in invoices] == list(DEMO)
    for inv in invoices:
        t = inv["totals"]
        got = (t["taxable_value"], t["cgst"], t["sgst"], t["igst"], t["round_off"], t["grand_total"])
        want = tuple(Decimal(x) for x in DEMO[inv["number"]])
        assert got == want, inv["number"]


def test_journey_prints_the_demo_totals(example: Tuple[Dict[str, Any], str]) -> None:
    _, printed = example
    for line in (
        "INV/26-27/00001 (2026-11-27): taxable ₹1,43,075.69, CGST ₹4,150.18 + SGST ₹4,150.18",
        "round-off -0.05, total ₹1,51,376.00",
        "INV/26-27/00002 (2026-11-28): taxable",
        "IGST ₹4,915.70, round-off 0.21, total ₹1,03,230.00",
        "CRN/26-27/00001 (2026-12-02)",
        "total ₹240.00",
        "EXP/26-27/00001 (2026-11-30)",
        "total ₹10,16,754.90",
        "Invoicing SHP-SO-2026-0412-1 again: refused, OVER_INVOICED",
        "Crediting the whole line again: refused, OVER_CREDITED",
    ):
        assert line in printed, line
    for number in DEMO:
        assert f"{number}: " in printed and "item(s), total value" in printed, number
