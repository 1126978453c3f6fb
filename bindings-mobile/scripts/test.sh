#!/usr/bin/env bash
# Builds the mobile binding in the dev profile (workspace target/), generates the Kotlin and
# Swift sources, compiles the Kotlin tests, the example and the bench with kotlinc, runs the JUnit
# suite on the JVM, syntax-checks the Swift C header with clang, and runs the Kotlin example.
# Prints a plain "N passed, N failed" line; exits non-zero on any failure.
# Needs scripts/setup.sh first. B2B_OMS_CONFORMANCE overrides the conformance folder.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
J=/usr/share/java
K="$here/tools/node_modules/kotlin-compiler/lib"
KOTLINC="$here/tools/node_modules/kotlin-compiler/bin/kotlinc"
B="$here/build"
[ -x "$KOTLINC" ] || { echo "kotlinc missing: run bindings-mobile/scripts/setup.sh" >&2; exit 2; }

echo "== cargo build (dev): uniffi-bindgen, b2b-oms-mobile"
cargo build -p uniffi-bindgen -p b2b-oms-mobile
LIB="$root/target/debug/libb2b_oms_mobile.so"

echo "== generate Kotlin and Swift"
rm -rf "$B/kotlin" "$B/swift"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language kotlin --out-dir "$B/kotlin"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language swift --out-dir "$B/swift"

echo "== Swift: C header syntax check (clang)"
echo '#include "B2bOmsFFI.h"' | clang -fsyntax-only -x c -std=c11 -Wall -Wextra -Werror -I "$B/swift" -
test -s "$B/swift/B2bOms.swift" && test -s "$B/swift/B2bOmsFFI.modulemap"
echo "header ok: $(ls "$B/swift" | tr '\n' ' ')"

CP="$J/jna.jar:$J/junit-jupiter-api.jar:$J/apiguardian-api.jar:$J/opentest4j.jar:$J/junit-platform-commons.jar:$K/kotlin-test.jar"
echo "== kotlinc: generated bindings + support + tests"
"$KOTLINC" -jvm-target 17 -nowarn -cp "$CP" \
  $(find "$B/kotlin" "$here/kotlin/support" "$here/kotlin/test" -name '*.kt') -d "$B/tests.jar"
echo "== kotlinc: example and bench"
"$KOTLINC" -jvm-target 17 -nowarn -cp "$CP:$B/tests.jar" \
  "$root/examples/kotlin/BuyerApp.kt" "$here/kotlin/bench/Bench.kt" -d "$B/apps.jar"

RUNCP="$J/jna.jar:$K/kotlin-stdlib.jar:$K/kotlin-test.jar"
conformance="${B2B_OMS_CONFORMANCE:-$root/conformance}"
echo "== JUnit (conformance: $conformance)"
set +e
B2B_OMS_TEST_PANIC=1 java -Djna.library.path="$root/target/debug" \
  -Db2b.conformance="$conformance" -Db2b.dataset="$root/examples/data/dataset.json" \
  -jar "$J/junit-platform-console-standalone.jar" \
  --class-path "$B/tests.jar:$RUNCP" --scan-class-path --fail-if-no-tests \
  --disable-banner --disable-ansi-colors --details=tree 2>&1 | tee "$B/junit.log"
junit=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo '[0-9]+ tests successful' "$B/junit.log" | grep -Eo '^[0-9]+' || echo 0)
failed=$(grep -Eo '[0-9]+ tests failed' "$B/junit.log" | grep -Eo '^[0-9]+' || echo 0)
echo "kotlin junit: $passed passed, $failed failed"

echo "== example: examples/kotlin/BuyerApp.kt"
java -Djna.library.path="$root/target/debug" -cp "$B/apps.jar:$B/tests.jar:$RUNCP" \
  app.b2boms.example.BuyerAppKt "$root/examples/data/dataset.json" | tee "$B/example.log"
echo "== example against the Rust demo (cargo run -p b2b-oms-cli -- demo)"
cargo run -q -p b2b-oms-cli -- demo > "$B/demo.log"
example_ok=1
for what in "Subtotal" "Total before tax"; do
  rust=$(grep -m1 "^  $what " "$B/demo.log" | grep -Eo '₹[0-9,]+\.[0-9]{2}' | tail -1)
  kotlin=$(grep -m1 "^  $what " "$B/example.log" | grep -Eo '₹[0-9,]+\.[0-9]{2}' | tail -1)
  if [ -n "$rust" ] && [ "$rust" = "$kotlin" ]; then echo "  $what: $kotlin (Kotlin) = $rust (Rust demo)"
  else echo "  $what differs: Kotlin '$kotlin', Rust demo '$rust'" >&2; example_ok=0; fi
done

if [ "$junit" -ne 0 ]; then echo "JUnit failed (exit $junit)" >&2; exit 1; fi
if [ "$example_ok" -ne 1 ]; then echo "the example's numbers differ from the Rust demo" >&2; exit 1; fi
echo "bindings-mobile: all ok"
