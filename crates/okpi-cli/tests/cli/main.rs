#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Tests of the `okpi` command: exit codes, JSON equal to the library's (the demo and the shared vectors), YAML and
//! CSV input, the HTML report (well-formed, every section, both languages, a Chromium screenshot), and colour.

mod common;
mod exit_codes;
mod fuzz_seeds;
mod inputs;
mod json_output;
mod report;
mod terminal;
mod untrusted;
mod untrusted_report;
mod viewer;
