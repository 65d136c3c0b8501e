//! Fuzz target `document`: see `okpi_conformance::fuzz::document`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okpi_conformance::fuzz::document(data));
