"""Test support: the canonical JSON of the conformance suites, written in
Python from the binding's own result objects (never by asking the core to
serialise), and the reading of conformance case files.

Canonical form (see the core's ``host::canonical``): no whitespace; keys
sorted by code point; strings minimally escaped; integral numbers as
integer digits; non-integral numbers as a JSON string of their shortest
digits; decimal strings exactly as the document has them (their scale is
kept). Python values map back as the core writes them: ``Decimal`` at a
decimal place as the string ``format(d, "f")``, at a place the format
writes as a number (INV-01 amounts) as a number; ``date`` as ISO text;
``datetime`` as chrono writes RFC 3339 (``+05:30``, ``+00:00``, fractional
seconds only when non-zero, in groups of 3 or 6 digits).
"""

from __future__ import annotations

import datetime
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

import b2b_oms
from b2b_oms import _native

REPO = Path(__file__).resolve().parents[2]

Path_ = List[Union[str, int]]
ScalarAt = Callable[[Path_], Optional[str]]


def _string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _shortest(f: float) -> str:
    """Shortest round-trip digits of a float, without an exponent."""
    return format(Decimal(repr(f)), "f")


def _number(f: float) -> str:
    if f == int(f) and abs(f) < 9.007199254740992e15:
        return str(int(f))
    return _string(_shortest(f))


def _instant(t: datetime.datetime) -> str:
    """An aware datetime as chrono writes a ``DateTime<FixedOffset>``."""
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        frac = "%06d" % t.microsecond
        text += "." + (frac[:3] if frac.endswith("000") else frac)
    if t.tzinfo is datetime.timezone.utc:
        return text + "Z"  # a UTC instant (chrono's `DateTime<Utc>`)
    offset = t.utcoffset()
    assert offset is not None, "a naive datetime in a result"
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    text += "%s%02d:%02d" % (sign, seconds // 3600, (seconds % 3600) // 60)
    if seconds % 60:
        text += ":%02d" % (seconds % 60)
    return text


def canonical_native(value: Any, scalar_at: ScalarAt, path: Optional[Path_] = None) -> str:
    """The canonical JSON of a result made of Python values."""
    path = [] if path is None else path
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, Decimal):
        if scalar_at(path) == "decimal_number":
            if value == value.to_integral_value():
                return str(int(value))
            return _string(format(value, "f"))
        return _string(format(value, "f"))
    if isinstance(value, datetime.datetime):
        return _string(_instant(value))
    if isinstance(value, datetime.date):
        return _string(value.isoformat())
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_native(v, scalar_at, path + [i]) for i, v in enumerate(value)) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(
            _string(k) + ":" + canonical_native(value[k], scalar_at, path + [k]) for k in sorted(value)
        ) + "}"
    raise TypeError(f"unexpected {type(value).__name__} in a result at {path}")


class _Num:
    """A JSON number token as read from a case file."""

    def __init__(self, text: str) -> None:
        self.text = text


def read_json(text: str) -> Any:
    """JSON with number tokens kept as written (canonical_json reads them)."""
    return json.loads(text, parse_float=_Num, parse_int=_Num)


def canonical_json(value: Any) -> str:
    """The canonical form of a value read by :func:`read_json`."""
    if isinstance(value, _Num):
        f = float(value.text)
        if all(c.isdigit() or c == "-" for c in value.text):
            return str(int(value.text))
        return _number(f)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(_string(k) + ":" + canonical_json(value[k]) for k in sorted(value)) + "}"
    raise TypeError(type(value).__name__)


def to_native(value: Any) -> Any:
    """A case input as the Python values an ERP would pass: JSON numbers as
    ``int`` (integral tokens) or ``Decimal`` (exact digits), never ``float``."""
    if isinstance(value, _Num):
        if all(c.isdigit() or c == "-" for c in value.text):
            return int(value.text)
        return Decimal(value.text)
    if isinstance(value, list):
        return [to_native(v) for v in value]
    if isinstance(value, dict):
        return {k: to_native(v) for k, v in value.items()}
    return value


def subset_mismatches(expected: Any, actual: Any, scalar_at: ScalarAt, path: Path_) -> Iterator[str]:
    """Where `actual` fails to contain `expected` (keys given must match
    recursively, arrays element-wise with the same length, leaves by
    canonical bytes)."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path) or "."
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield f"{where}: expected an object, got {type(actual).__name__}"
            return
        for k, v in expected.items():
            if k not in actual:
                yield f"{where}.{k}: missing"
            else:
                yield from subset_mismatches(v, actual[k], scalar_at, path + [k])
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            n = len(actual) if isinstance(actual, list) else type(actual).__name__
            yield f"{where}: expected {len(expected)} items, got {n}"
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            yield from subset_mismatches(e, a, scalar_at, path + [i])
    else:
        want = canonical_json(expected)
        got = canonical_native(actual, scalar_at, path)
        if want != got:
            yield f"{where}: expected {want}, got {got}"


def conformance_dir() -> Path:
    return Path(os.environ.get("B2B_OMS_CONFORMANCE", REPO / "conformance"))


Case = Tuple[str, Dict[str, Any]]


def load_cases() -> List[Case]:
    folder = conformance_dir()
    cases: List[Case] = []
    if not folder.is_dir():
        return cases
    for path in sorted(folder.glob("*.json")):
        doc = read_json(path.read_text(encoding="utf-8"))
        for i, case in enumerate(doc.get("cases", [])):
            cases.append((f"{path.stem}[{i}] {case.get('name', '')}", case))
    return cases


def scalar_at_for(operation: str) -> ScalarAt:
    cache: Dict[Tuple[Union[str, int], ...], Optional[str]] = {}

    def at(path: Path_) -> Optional[str]:
        key = tuple("#" if isinstance(p, int) else p for p in path)
        if key not in cache:
            cache[key] = _native._scalar_at(operation, "output", [0 if p == "#" else p for p in key])
        return cache[key]

    return at


def run_case(case: Dict[str, Any]) -> List[str]:
    """The mismatches of one conformance case (empty when it passes)."""
    op = case["operation"]
    doc = to_native(case["input"])
    scalar_at = scalar_at_for(op)
    try:
        result = b2b_oms.call(op, doc)
    except b2b_oms.Error as e:
        if "error" not in case:
            return [f"raised {e!r}"]
        want = case["error"]
        problems = []
        if e.code != want["code"]:
            problems.append(f"code {e.code}, expected {want['code']} ({e.message})")
        if "field" in want and e.field != want["field"]:
            problems.append(f"field {e.field!r}, expected {want['field']!r}")
        return problems
    if "error" in case:
        return [f"expected error {case['error']['code']}, got a result"]
    if "expected" in case:
        want = canonical_json(case["expected"])
        got = canonical_native(result, scalar_at)
        if want != got:
            at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
            return [f"canonical bytes differ at {at}: expected …{want[max(0, at - 60):at + 60]}…, got …{got[max(0, at - 60):at + 60]}…"]
        return []
    if "expected_subset" in case:
        return list(subset_mismatches(case["expected_subset"], result, scalar_at, []))
    return ["the case has no expected, expected_subset or error"]
