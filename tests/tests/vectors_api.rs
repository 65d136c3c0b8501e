//! Every shared vector again, through the call layer's JSON form (`okpi::api::call_json`): the same
//! expectations, the call built from the case.

#![allow(clippy::panic)] // a failing test panics

use okpi_conformance::api;
use okpi_conformance::check_area;

fn check(area: &str, min: usize, run: fn(&serde_json::Value) -> Vec<String>) {
    if let Err(e) = check_area(area, min, run) {
        panic!("{e}");
    }
}

#[test]
fn okr_vectors_through_the_call_layer() {
    check("okr", 25, api::run_okr_case);
}

#[test]
fn kpi_vectors_through_the_call_layer() {
    check("kpi", 30, api::run_kpi_case);
}

#[test]
fn alert_vectors_through_the_call_layer() {
    check("alerts", 25, api::run_alert_case);
}

#[test]
fn advisor_vectors_through_the_call_layer() {
    check("advisor", 15, api::run_advisor_case);
}

#[test]
fn diagnose_vectors_through_the_call_layer() {
    check("diagnose", 20, api::run_diagnose_case);
}

#[test]
fn hybrid_vectors_through_the_call_layer() {
    check("hybrid", 15, api::run_hybrid_case);
}

#[test]
fn access_vectors_through_the_call_layer() {
    check("access", 15, api::run_access_case);
}

#[test]
fn error_vectors_through_the_call_layer() {
    check("errors", 40, api::run_error_case);
}

/// The call-layer runner can fail: a changed expectation or an expected problem at another path is a mismatch.
#[test]
fn the_call_layer_runner_refuses_what_does_not_match() {
    use serde_json::json;
    let doc = json!({"schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "objectives": [{"id": "o1", "cycle": "q1"}],
        "key_results": [{"id": "k1", "objective": "o1", "kind": "increase", "start": 0, "target": 200}],
        "check_ins": [{"key_result": "k1", "date": "2026-02-01", "value": 50}]});
    let mut case = json!({"document": doc, "as_of": "2026-02-01",
        "expect": {"key_results": {"k1": {"progress": 0.25}}, "objectives": {"o1": {}}}});
    assert!(
        api::run_okr_case(&case).is_empty(),
        "{:?}",
        api::run_okr_case(&case)
    );
    case["expect"]["key_results"]["k1"]["progress"] = json!(0.3);
    assert_eq!(api::run_okr_case(&case).len(), 1);
    let bad = json!({"document": case["document"], "as_of": "2026-02-30",
        "expect_error": [{"code": "E_PARSE", "path": "$.as_of"}]});
    assert!(
        api::run_okr_case(&bad).is_empty(),
        "{:?}",
        api::run_okr_case(&bad)
    );
    let elsewhere = json!({"document": case["document"], "as_of": "2026-02-30",
        "expect_error": [{"code": "E_PARSE", "path": "$.settings"}]});
    assert_eq!(api::run_okr_case(&elsewhere).len(), 1);
}
