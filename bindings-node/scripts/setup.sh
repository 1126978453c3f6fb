#!/usr/bin/env bash
# Installs what the Node binding's tests need on a fresh machine (idempotent):
# the package's pinned dev dependencies from the committed lockfile, and the
# examples' link to the package. Needs Node >= 20 and npm (the registry).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
command -v node >/dev/null || { echo "setup: node is not installed (Node >= 20 needed)" >&2; exit 1; }
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
cd "$root/examples/node"
npm ci --no-audit --no-fund --loglevel=error
echo "setup: bindings-node ready ($(node --version), npm $(npm --version))"
