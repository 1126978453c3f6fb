#!/usr/bin/env bash
# Runs the cargo-fuzz targets of core/fuzz/ for a bounded time each and
# fails on the first crash (panic, overflow, timeout, out-of-memory).
#
#   scripts/fuzz.sh                 every target, FUZZ_SECONDS (default 20) each
#   scripts/fuzz.sh price_order 300 one target for 300 s (the longer hand runs)
#
# Works on the stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its
# -Z flags, and `--sanitizer none` needs no nightly-only sanitizer runtime
# (Rust's own overflow checks and debug assertions stay on). cargo-fuzz is
# installed from crates.io, at the pinned version, only when missing.
# New corpus entries go to a scratch folder; the committed seeds in
# core/fuzz/corpus/ are only read. A crash leaves its input in
# core/fuzz/artifacts/<target>/ and makes this script exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
TARGETS=(price_order einvoice allocate approval_policy)

if [[ $# -ge 1 ]]; then
    TARGETS=("$1")
fi
SECONDS_EACH=${2:-${FUZZ_SECONDS:-20}}

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

export RUSTC_BOOTSTRAP=1
cd core/fuzz
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cargo fuzz build --sanitizer none
for target in "${TARGETS[@]}"; do
    mkdir -p "$scratch/$target"
    echo "scripts/fuzz.sh: $target for ${SECONDS_EACH}s"
    log="$scratch/$target.log"
    if ! cargo fuzz run --sanitizer none "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "scripts/fuzz.sh: $target crashed; the input is in core/fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units' "$log" || true
done
echo "fuzz: ${#TARGETS[@]} passed, 0 failed"
