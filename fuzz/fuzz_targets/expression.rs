//! Fuzz target `expression`: see `okpi_conformance::fuzz::expression`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okpi_conformance::fuzz::expression(data));
