//! Runs every case in `tests/vectors/kpi/`.

#[test]
fn kpi_vectors() {
    let cases = okpi_conformance::cases("kpi").unwrap();
    assert!(
        cases.len() >= 30,
        "expected at least 30 KPI vectors, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let problems = okpi_conformance::run_kpi_case(case);
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
