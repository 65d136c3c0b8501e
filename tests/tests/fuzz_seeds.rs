//! The fuzz targets' bodies over their seed corpora (`fuzz/corpus/<target>/`) and over every input that broke one
//! of their invariants (`tests/fuzz-regressions/<target>/`, kept so that the bug stays fixed; each was checked
//! against the code before its fix). The C ABI target's seeds run in `bindings/c` (its body calls the C
//! functions). The regressions so far, all of the `document` body:
//! - `progress-beyond-the-floats.json`: start 0, target 5e-324, a check-in of −1: progress −∞, written as `null`;
//! - `achievement-beyond-the-floats.json`: an actual of 1e300 against a target of 1e-300: achievement `null`;
//! - `metric-sum-overflows.json`: 1e308 + 1e308 in one cell: a `null` value without a reason;
//! - `metric-chain-exponential.json`: 30 derived metrics each reading the one below twice (`m + m(offset 1)`):
//!   2^30 evaluations, a hang;
//! - `metric-versions-fibonacci.json`: 60 ratio metrics each reading the two below: the version hash recomputed
//!   Fibonacci-many times, a hang.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = [root.join("../fuzz/corpus"), root.join("fuzz-regressions")]
        .iter()
        .map(|dir| dir.join(target))
        .filter(|dir| dir.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
}

fn run(target: &str, min: usize, body: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= min,
        "{target}: {} inputs, expected at least {min}",
        files.len()
    );
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{target} broke on {}", f.display());
    }
}

#[test]
fn document_seeds() {
    run("document", 100, okpi_conformance::fuzz::document);
}

#[test]
fn expression_seeds() {
    run("expression", 10, okpi_conformance::fuzz::expression);
}

#[test]
fn alert_step_seeds() {
    run("alert_step", 40, okpi_conformance::fuzz::alert_step);
}
