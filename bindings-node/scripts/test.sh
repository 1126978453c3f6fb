#!/usr/bin/env bash
# Builds the Node addon in the dev profile against the workspace target/,
# checks that every generated file is current (napi's native.js/native.d.ts,
# operations.js/.d.ts and codes.d.ts from the host operations, types.d.ts
# from the JSON Schema), runs the node:test suite (conformance, errors,
# numbers, panic safety, async, examples) and type-checks the TypeScript
# example and the package's types with tsc --strict. Exits non-zero on any
# failure; prints node:test's own summary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"
[ -d node_modules ] || { echo "test.sh: run bindings-node/scripts/setup.sh first" >&2; exit 1; }
[ -d "$root/examples/node/node_modules" ] || { echo "test.sh: run bindings-node/scripts/setup.sh first" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }

step "build the addon (dev profile, workspace target/)"
npx napi build --platform --js native.js --dts native.d.ts

step "regenerate operations.js, operations.d.ts, codes.d.ts and types.d.ts"
node scripts/gen-types.mjs
node scripts/gen-api.mjs

step "generated files are committed as generated (drift check)"
generated=(native.js native.d.ts operations.js operations.d.ts codes.d.ts types.d.ts)
if ! git diff --exit-code --stat -- "${generated[@]}"; then
  echo "test.sh: generated files differ from the committed ones: commit the regenerated files" >&2
  exit 1
fi
untracked="$(git ls-files --others --exclude-standard -- "${generated[@]}")"
if [ -n "$untracked" ]; then
  echo "test.sh: generated files not committed: $untracked" >&2
  exit 1
fi

step "tsc --strict: the package's types and the TypeScript example"
npx tsc -p tsconfig.json --noEmit

step "node --test"
node --test --test-reporter=spec __test__/ 2>&1 | tee "${TMPDIR:-/tmp}/b2b-oms-node-test.log"
status=${PIPESTATUS[0]}
summary="$(grep -E '^ℹ (tests|pass|fail) ' "${TMPDIR:-/tmp}/b2b-oms-node-test.log" | tr -d 'ℹ' | xargs)"
echo "node: $summary"
exit "$status"
