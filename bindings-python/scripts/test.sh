#!/usr/bin/env bash
# The Python binding's whole suite: builds the extension in the dev profile
# against the workspace target/ (maturin develop into the venv), then runs
# pytest (conformance, errors, conversions, hypothesis fuzz, threads, panic,
# generated-types drift), mypy's stubtest on the package, mypy --strict on
# the typed example, and the example itself. Exits non-zero on any failure.
# Run scripts/setup.sh first.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${B2B_OMS_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/maturin" ]; then
  echo "no venv with maturin at $VENV: run bindings-python/scripts/setup.sh" >&2
  exit 1
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
unset B2B_OMS_TEST_PANIC

step() { printf '\n== %s\n' "$*"; }

step "build (maturin develop, dev profile, target $CARGO_TARGET_DIR)"
(cd "$HERE" && maturin develop --quiet 2>&1 | grep -v '^$' | tail -3)

status=0
step "pytest"
(cd "$HERE" && python -m pytest -q -p no:cacheprovider tests) || status=1

step "stubtest"
(cd "$HERE" && python -m mypy.stubtest b2b_oms) || status=1

step "mypy --strict on the typed example"
(cd "$ROOT" && python -m mypy --strict --no-incremental --cache-dir=/dev/null examples/python/journey.py) || status=1

step "generated types drift check"
python "$HERE/scripts/gen_types.py" --check || status=1

step "example: examples/python/journey.py"
if (cd "$ROOT" && python examples/python/journey.py > /tmp/b2b-oms-journey.$$.txt); then
  grep -E "before tax, terms|confirmed|Invoice|Credit Note|refused" /tmp/b2b-oms-journey.$$.txt || true
else
  status=1
fi
rm -f /tmp/b2b-oms-journey.$$.txt

if [ "$status" -ne 0 ]; then
  echo "python binding: FAILED" >&2
fi
exit "$status"
