//! Runs every case in `tests/vectors/diagnose/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[test]
fn diagnose_vectors() {
    let cases = okpi_conformance::cases("diagnose").unwrap();
    assert!(
        cases.len() >= 20,
        "expected at least 20 diagnose vectors, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let problems = okpi_conformance::run_diagnose_case(case);
        if !problems.is_empty() {
            failures.push(format!("{file}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
