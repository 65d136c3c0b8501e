//! Fuzz target `readers`: see `okpi_cli::fuzz::readers` (the CLI's readers: JSON, YAML, CSV references).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| okpi_cli::fuzz::readers(data));
