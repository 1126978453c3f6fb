//! The UniFFI generator for `b2b-oms-mobile`: `uniffi-bindgen generate --library <lib.so>
//! --language kotlin|swift --out-dir <dir>`. Build it in the dev profile (same output as release,
//! a third of the build time).

fn main() {
    uniffi::uniffi_bindgen_main()
}
