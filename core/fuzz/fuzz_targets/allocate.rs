//! Fuzz target `allocate`: see [`b2b_oms_fuzz::allocate`] and core/fuzz/README.md.
#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus { b2b_oms_fuzz::allocate(data) });

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    b2b_oms_fuzz::mutate_json(data, size, max_size, seed)
});
