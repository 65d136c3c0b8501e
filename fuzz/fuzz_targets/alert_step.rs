//! Fuzz target `alert_step`: see `okpi_conformance::fuzz::alert_step`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okpi_conformance::fuzz::alert_step(data));
