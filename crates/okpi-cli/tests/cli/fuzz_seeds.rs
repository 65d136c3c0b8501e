//! The `readers` fuzz target's body over its seeds (`fuzz/corpus/readers/`) and over every input that broke one
//! of its invariants (`tests/fuzz-regressions/readers/`).

use std::path::Path;

#[test]
fn the_readers_body_holds_on_its_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<_> = ["fuzz/corpus/readers", "tests/fuzz-regressions/readers"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "{} seeds", files.len());
    for f in files {
        okpi_cli::fuzz::readers(&std::fs::read(&f).unwrap());
    }
}
