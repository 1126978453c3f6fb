#!/usr/bin/env bash
# Installs what the mobile binding's tests need on a fresh Debian 12 machine; idempotent.
#   JNA, JUnit 5 (console launcher) and clang from Debian; the Kotlin compiler 2.4.20 from npm,
#   into bindings-mobile/tools/ (gitignored).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
need=()
for pkg in libjna-java junit5 clang; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y "${need[@]}"
fi
if [ ! -x "$here/tools/node_modules/kotlin-compiler/bin/kotlinc" ]; then
  mkdir -p "$here/tools"
  [ -f "$here/tools/package.json" ] || echo '{"private": true}' > "$here/tools/package.json"
  (cd "$here/tools" && npm install --no-audit --no-fund --save-exact kotlin-compiler@2.4.20)
fi
echo "bindings-mobile setup: ok"
