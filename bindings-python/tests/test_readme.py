"""The README's usage example runs as written."""

from __future__ import annotations

import contextlib
import io
import os
import re

from support import REPO


def test_readme_example_runs() -> None:
    text = (REPO / "bindings-python" / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block
    here = os.getcwd()
    os.chdir(REPO)
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block.group(1), "README.md", "exec"), {})
    finally:
        os.chdir(here)
    assert out.getvalue().strip() == "NUMBER_FOR_DECIMAL lines[0].quantity"
