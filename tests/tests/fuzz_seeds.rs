//! The fuzz targets' bodies over their seed corpora (`fuzz/corpus/<target>/`) and over every input a fuzzer
//! found a bug with (`tests/fuzz-regressions/<target>/`, kept so that the bug stays fixed). The C ABI target's
//! seeds run in `bindings/c` (its body calls the C functions).

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
