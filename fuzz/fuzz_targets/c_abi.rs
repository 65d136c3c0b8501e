//! Fuzz target `c_abi`: see `bindings/c/src/fuzz.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okpi_c_abi::fuzz::c_abi(data));
