//! Runs every case in `tests/vectors/alerts/`.

#[test]
fn alert_vectors() {
    let cases = okpi_conformance::cases("alerts").unwrap();
    assert!(
        cases.len() >= 25,
        "expected at least 25 alert vectors, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let problems = okpi_conformance::run_alert_case(case);
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
