#!/usr/bin/env bash
# Builds B2bOms.xcframework and a Swift package for iOS on macOS (Xcode and rustup needed).
# It cannot run on the project's Debian CI (no Swift toolchain, no Apple SDKs): CI only
# generates the Swift sources and checks the C header (scripts/test.sh).
#
#   bindings-mobile/scripts/build-xcframework.sh            # → bindings-mobile/build/apple/
#
# Steps: the static library for each Apple target (release), the Swift sources + header +
# modulemap from UniFFI's generator, one XCFramework (device + simulator), and a Swift package
# (Package.swift, Sources/B2bOms/B2bOms.swift) that wraps it as a binary target.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/build/apple"
cd "$root"
[ "$(uname)" = "Darwin" ] || { echo "build-xcframework.sh needs macOS with Xcode" >&2; exit 2; }

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
  cargo build --release -p b2b-oms-mobile --target "$t"
done
cargo build -p uniffi-bindgen
cargo build --release -p b2b-oms-mobile   # host dylib, for the generator to read the interface

rm -rf "$out" && mkdir -p "$out/headers" "$out/swift"
host_lib="target/release/libb2b_oms_mobile.dylib"
target/debug/uniffi-bindgen generate --no-format --library "$host_lib" --language swift --out-dir "$out/swift"
cp "$out/swift/B2bOmsFFI.h" "$out/headers/"
# Xcode expects the module map of a framework's headers to be called module.modulemap.
cp "$out/swift/B2bOmsFFI.modulemap" "$out/headers/module.modulemap"

mkdir -p "$out/sim"
lipo -create target/aarch64-apple-ios-sim/release/libb2b_oms_mobile.a \
  target/x86_64-apple-ios/release/libb2b_oms_mobile.a -output "$out/sim/libb2b_oms_mobile.a"
xcodebuild -create-xcframework \
  -library target/aarch64-apple-ios/release/libb2b_oms_mobile.a -headers "$out/headers" \
  -library "$out/sim/libb2b_oms_mobile.a" -headers "$out/headers" \
  -output "$out/B2bOmsFFI.xcframework"

pkg="$out/B2bOms"
mkdir -p "$pkg/Sources/B2bOms"
cp "$out/swift/B2bOms.swift" "$pkg/Sources/B2bOms/"
cp -R "$out/B2bOmsFFI.xcframework" "$pkg/"
cat > "$pkg/Package.swift" <<'SWIFT'
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "B2bOms",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "B2bOms", targets: ["B2bOms"])],
    targets: [
        .binaryTarget(name: "B2bOmsFFI", path: "B2bOmsFFI.xcframework"),
        .target(name: "B2bOms", dependencies: ["B2bOmsFFI"], path: "Sources/B2bOms"),
    ]
)
SWIFT
echo "built $pkg (Swift package) with $out/B2bOmsFFI.xcframework"
