"""The generated TypedDicts and operation wrappers match the committed
schema and the core's operation table (regenerate and diff)."""

from __future__ import annotations

import subprocess
import sys

from support import REPO


def test_generated_files_match_the_schema() -> None:
    script = REPO / "bindings-python" / "scripts" / "gen_types.py"
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_types_module_imports() -> None:
    from b2b_oms import types

    assert "PricedOrder" in dir(types) and "Customer" in dir(types)
