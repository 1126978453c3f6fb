"""Shared fixtures: the demo dataset (amounts as Decimal) and the documents
of the journey example (a quote accepted and converted to an order)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from decimal import Decimal
from typing import Any, Dict

import pytest

from support import REPO


def load_dataset() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(
        (REPO / "examples" / "data" / "dataset.json").read_text(encoding="utf-8"), parse_float=Decimal
    )
    return data


@pytest.fixture(scope="session")
def dataset() -> Dict[str, Any]:
    return load_dataset()


@pytest.fixture(scope="session")
def journey() -> Dict[str, Any]:
    path = REPO / "examples" / "python" / "journey.py"
    spec = importlib.util.spec_from_file_location("journey_example", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with contextlib.redirect_stdout(io.StringIO()):
        documents: Dict[str, Any] = module.run()
    return documents
