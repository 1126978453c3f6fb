"""Helpers of the conformance generator (see generate.py and conformance/README.md).

`call` runs one host operation through the CLI (`b2b-oms-cli call`); `Suite`
collects cases per area: generated ones get their expectation from the call,
hand ones keep the expectation written here and are only checked against it
(a disagreement is printed, never written over).
"""

import json
import os
import re
import subprocess
import sys
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("B2B_OMS_CLI", os.path.join(ROOT, "target", "debug", "b2b-oms"))

ERROR_LINE = re.compile(r"^error: ([A-Z][A-Z0-9_]*)(?: at (.+?))?: ", re.S)


class CallError(Exception):
    def __init__(self, code, field, message):
        super().__init__(f"{code} at {field}: {message}")
        self.code = code
        self.field = field
        self.message = message


def call(op, doc):
    """Runs `op` on `doc`; returns the output document or raises CallError."""
    text = json.dumps(doc, ensure_ascii=False)
    out = subprocess.run(
        [CLI, "call", op, "-"], input=text.encode(), capture_output=True
    )
    if out.returncode == 0:
        return json.loads(out.stdout)
    err = out.stderr.decode()
    m = ERROR_LINE.match(err)
    if not m:
        raise RuntimeError(f"{op}: unexpected failure: {err}")
    return_field = m.group(2)
    raise CallError(m.group(1), return_field, err)


def run(op, doc):
    """Runs `op`, which must succeed (a step of a chain)."""
    try:
        return call(op, doc)
    except CallError as e:
        sys.exit(f"chain step {op} failed: {e}")


def canonical(v):
    """The canonical JSON of conformance/README.md."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (float, Decimal)):
        d = Decimal(str(v))
        if d == d.to_integral_value():
            return str(int(d))
        return json.dumps(format(d.normalize(), "f"))
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        return (
            "{"
            + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in sorted(v))
            + "}"
        )
    raise TypeError(type(v))


def subset_mismatches(expected, actual, path="$"):
    """Where `actual` does not match the subset `expected` (README rules)."""
    out = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {canonical(actual)[:80]}"]
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: missing")
            else:
                out += subset_mismatches(v, actual[k], f"{path}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, got {canonical(actual)[:80]}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} items, got {len(actual)}"]
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += subset_mismatches(e, a, f"{path}[{i}]")
        return out
    if canonical(expected) != canonical(actual):
        return [f"{path}: expected {canonical(expected)}, got {canonical(actual)[:200]}"]
    return out


class Suite:
    def __init__(self):
        self.areas = {}
        self.disagreements = []

    def _add(self, area, case):
        cases = self.areas.setdefault(area, [])
        if any(c["name"] == case["name"] for c in cases):
            sys.exit(f"duplicate case name {case['name']} in {area}")
        cases.append(case)

    def gen(self, area, name, op, doc, *, keys=None, note=None):
        """A generated case: the expectation is what the call returns now
        (the whole output, or only `keys` of it as a subset; an error as
        an error expectation)."""
        case = {"name": name, "operation": op, "source": "generated"}
        if note:
            case["reference"] = note
        case["input"] = doc
        try:
            out = call(op, doc)
        except CallError as e:
            case["error"] = {"code": e.code, "field": e.field}
            print(f"note: {area}/{name} fails: {e.message.strip()[:300]}", file=sys.stderr)
            self._add(area, case)
            return None
        if keys is None:
            case["expected"] = out
        else:
            case["expected_subset"] = {k: out[k] for k in keys}
        self._add(area, case)
        return out

    def gen_error(self, area, name, op, doc, note=None):
        """A generated case that must fail."""
        try:
            out = call(op, doc)
        except CallError as e:
            case = {"name": name, "operation": op, "source": "generated"}
            if note:
                case["reference"] = note
            case["input"] = doc
            case["error"] = {"code": e.code, "field": e.field}
            self._add(area, case)
            return e
        sys.exit(f"{area}/{name}: expected an error, got {canonical(out)[:300]}")

    def hand(self, area, name, op, doc, subset, reference, known_defect=None):
        """A hand case: `subset` written from the reference, checked only."""
        case = {"name": name, "operation": op, "source": "hand", "reference": reference}
        if known_defect:
            case["known_defect"] = known_defect
        case["input"] = doc
        case["expected_subset"] = subset
        try:
            out = call(op, doc)
            problems = subset_mismatches(subset, out)
        except CallError as e:
            out = None
            problems = [f"failed: {e.code} at {e.field}: {e.message.strip()[:300]}"]
        self._report(area, name, problems, known_defect)
        self._add(area, case)
        return out

    def hand_error(self, area, name, op, doc, code, field, reference, known_defect=None):
        """A hand case that must fail with `code` (and `field` unless None)."""
        case = {"name": name, "operation": op, "source": "hand", "reference": reference}
        if known_defect:
            case["known_defect"] = known_defect
        case["input"] = doc
        err = {"code": code}
        if field is not None:
            err["field"] = field
        case["error"] = err
        try:
            out = call(op, doc)
            problems = [f"expected {code}, got success {canonical(out)[:200]}"]
        except CallError as e:
            problems = []
            if e.code != code:
                problems.append(f"expected {code}, got {e.code}: {e.message.strip()[:300]}")
            elif field is not None and e.field != field:
                problems.append(f"expected field {field}, got {e.field}")
        self._report(area, name, problems, known_defect)
        self._add(area, case)

    def _report(self, area, name, problems, known_defect):
        if problems and not known_defect:
            self.disagreements.append((area, name, problems))
            print(f"DISAGREE {area}/{name}:", *problems, sep="\n  ", file=sys.stderr)
        if not problems and known_defect:
            print(f"KNOWN DEFECT PASSES {area}/{name}", file=sys.stderr)
            self.disagreements.append((area, name, ["known defect passes"]))

    def write(self, folder):
        os.makedirs(folder, exist_ok=True)
        for area, cases in self.areas.items():
            with open(os.path.join(folder, f"{area}.json"), "w", encoding="utf-8") as f:
                json.dump({"area": area, "cases": cases}, f, ensure_ascii=False, indent=1)
                f.write("\n")
        total = sum(len(c) for c in self.areas.values())
        hand = sum(1 for c in self.areas.values() for x in c if x["source"] == "hand")
        for area, cases in self.areas.items():
            h = sum(1 for x in cases if x["source"] == "hand")
            print(f"{area:12} {len(cases):4} cases, {h:3} hand")
        print(f"total {total} cases, {hand} hand, {len(self.disagreements)} disagreements")
