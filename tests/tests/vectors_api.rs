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
