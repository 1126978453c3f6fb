#!/usr/bin/env bash
# Installs what the Python binding's test command needs, idempotently: a
# virtual environment at the repo root (.venv) with pinned maturin, pytest,
# hypothesis and mypy from PyPI, and the batch engines of the "at scale"
# suite (pyarrow, polars, pyspark with the pandas its Arrow UDFs import;
# Spark runs on the machine's Java 17).
# Needs python3 (>= 3.9) with venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${B2B_OMS_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  "maturin==1.16.0" "pytest==9.2.0" "hypothesis==6.170.0" "mypy==2.4.1" \
  "pyarrow==26.0.1" "polars==2.1.0" "pyspark==4.3.0" "pandas==2.3.3"
echo "python binding: tools ready in $VENV ($("$VENV/bin/python" -V), maturin $("$VENV/bin/maturin" --version | cut -d' ' -f2))"
