#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust workspace
# (unit, integration, property and doc tests, the committed JSON Schema,
# the conformance vectors), the demo and the Rust journey example end to
# end, then the Python, Node and Kotlin suites of the bindings (each
# binding's setup script installs what it needs first; all builds are in
# the dev profile and share this workspace's target/). The README's test
# command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --lib --bins --tests --examples
cargo test --workspace --doc
RUSTDOCFLAGS="-D warnings" cargo doc --quiet -p b2b-oms --no-deps
cargo run --quiet -p b2b-oms-cli -- demo > /dev/null
cargo run --quiet -p b2b-oms-example-journey --bin journey > /dev/null

# Python (pytest, stubtest, mypy --strict), Node (node --test, tsc) and
# Kotlin (JUnit on the JVM; Swift sources and header checked).
bash bindings-python/scripts/setup.sh
bash bindings-python/scripts/test.sh
bash bindings-node/scripts/setup.sh
bash bindings-node/scripts/test.sh
bash bindings-mobile/scripts/setup.sh
bash bindings-mobile/scripts/test.sh
echo "scripts/test-all.sh: every suite passed"
