#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust workspace
# (unit, integration, property and doc tests, the committed JSON Schema),
# and the demo end to end. The README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --lib --bins --tests --examples
cargo test --workspace --doc
cargo run --quiet -p b2b-oms-cli -- demo > /dev/null
echo "scripts/test-all.sh: every suite passed"
