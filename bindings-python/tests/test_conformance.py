"""Every case of ``conformance/*.json``, run through the binding; results
written back as canonical JSON in Python and compared byte for byte. Cases
marked ``known_defect`` must fail (the suite fails when one passes)."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from support import conformance_dir, load_cases, run_case

CASES = load_cases()


def test_found_cases() -> None:
    if not conformance_dir().is_dir():
        pytest.skip(f"{conformance_dir()} does not exist on this branch yet")
    assert CASES, f"no conformance case found in {conformance_dir()}"


@pytest.mark.parametrize("name,case", CASES, ids=[c[0] for c in CASES])
def test_case(name: str, case: Dict[str, Any]) -> None:
    problems = run_case(case)
    defect = case.get("known_defect")
    if defect:
        # An expected failure, as in the Rust suite: passing means the
        # defect was fixed and the mark must go.
        assert problems, f"{name}: marked known_defect ({defect}) but passes: drop the mark"
        pytest.xfail(f"known defect: {defect}")
    assert not problems, f"{name}: " + "; ".join(problems)
