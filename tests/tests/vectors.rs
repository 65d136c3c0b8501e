//! Every shared vector in `tests/vectors/<area>/`, one test per area, with the minimum count each issue asks for.

#![allow(clippy::panic)] // a failing test panics

use okpi_conformance::{
    check_area, run_access_case, run_advisor_case, run_alert_case, run_diagnose_case, run_error_case,
    run_hybrid_case, run_kpi_case, run_okr_case,
};

fn check(area: &str, min: usize, run: fn(&serde_json::Value) -> Vec<String>) {
    if let Err(e) = check_area(area, min, run) {
        panic!("{e}");
    }
}

#[test]
fn okr_vectors() {
    check("okr", 25, run_okr_case);
}

#[test]
fn kpi_vectors() {
    check("kpi", 30, run_kpi_case);
}

#[test]
fn alert_vectors() {
    check("alerts", 25, run_alert_case);
}

#[test]
fn advisor_vectors() {
    check("advisor", 15, run_advisor_case);
}

#[test]
fn diagnose_vectors() {
    check("diagnose", 20, run_diagnose_case);
}

#[test]
fn hybrid_vectors() {
    check("hybrid", 15, run_hybrid_case);
}

#[test]
fn access_vectors() {
    check("access", 15, run_access_case);
}

#[test]
fn error_vectors() {
    check("errors", 40, run_error_case);
}

/// The runner itself can fail: an unreadable `as_of` is an error (not 1970), an item the case does not list is
/// a mismatch, and so is a zero written as −0.
#[test]
fn the_runner_refuses_what_it_cannot_check() {
    use okpi_conformance::subset_mismatches;
    use serde_json::json;
    let case = json!({"document": {"schema_version": 1}, "as_of": "2026-02-30", "expect": {}});
    let found = run_okr_case(&case);
    assert!(found.iter().any(|m| m.contains("as_of")), "{found:?}");
    let actual = json!({"items": [{"id": "a", "v": 1}, {"id": "b", "v": 2}]});
    let found = subset_mismatches(&json!({"items": {"a": {"v": 1}}}), &actual, "$");
    assert_eq!(found, ["$.items: unexpected item with id \"b\""]);
    assert!(subset_mismatches(&json!({"items": {"a": {}, "b": {"v": 2}}}), &actual, "$").is_empty());
    let found = subset_mismatches(&json!({"v": 0}), &json!({"v": -0.0}), "$");
    assert_eq!(found, ["$.v: expected 0, got -0"]);
}
