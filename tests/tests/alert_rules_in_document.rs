//! Alert rules inside a document: validation with paths, and evaluation over the KPI catalog.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use okpi::alert::{evaluate_rules, EventKind, State};
use std::collections::BTreeMap;

fn day(m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// First-contact resolution = resolved / contacts, monthly, for the service unit (a child of `co`).
fn doc(rules: &str) -> String {
    format!(
        r#"{{"schema_version": 1,
        "org_units": [{{"id": "co"}}, {{"id": "service", "parent": "co"}}],
        "people": [{{"id": "li", "unit": "service"}}],
        "measures": [{{"id": "resolved"}}, {{"id": "contacts"}}],
        "metrics": [{{"id": "res", "kind": "simple", "measure": "resolved"}},
                    {{"id": "con", "kind": "simple", "measure": "contacts"}},
                    {{"id": "fcr", "kind": "ratio", "numerator": "res", "denominator": "con"}}],
        "observations": [
          {{"measure": "resolved", "date": "2026-01-10", "value": 90, "dims": {{"unit": "service", "person": "li"}}}},
          {{"measure": "contacts", "date": "2026-01-10", "value": 100, "dims": {{"unit": "service", "person": "li"}}}},
          {{"measure": "resolved", "date": "2026-02-10", "value": 60, "dims": {{"unit": "service", "person": "li"}}}},
          {{"measure": "contacts", "date": "2026-02-10", "value": 100, "dims": {{"unit": "service", "person": "li"}}}},
          {{"measure": "resolved", "date": "2026-04-10", "value": 85, "dims": {{"unit": "service"}}}},
          {{"measure": "contacts", "date": "2026-04-10", "value": 100, "dims": {{"unit": "service"}}}}],
        "alert_rules": {rules}}}"#
    )
}

const FCR_LOW: &str = r#"[{"id": "fcr_low", "metric": "fcr", "scope": "co", "grain": "month", "condition": "below",
    "warning": {"value": 0.8}, "critical": {"value": 0.7}}]"#;

#[test]
fn rules_run_over_the_unit_subtree_month_by_month() {
    let model = okpi::Model::from_json(&doc(FCR_LOW)).unwrap();
    let report = evaluate_rules(&model, day(1, 1), day(4, 30), &BTreeMap::new()).unwrap();
    let a = &report.alerts[0];
    // January 0.9 fine; February 0.6 < 0.7 critical; March has no contacts: 0 / 0 is undefined, so no data
    // (the firing alert resolves first); April 0.85 starts again from normal, no event.
    let values: Vec<Option<f64>> = a.series.iter().map(|o| o.value).collect();
    assert_eq!(values, [Some(0.9), Some(0.6), None, Some(0.85)]);
    let kinds: Vec<EventKind> = a.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Firing, EventKind::Resolved, EventKind::NoData]);
    assert_eq!(a.events[0].date, day(2, 1));
    assert_eq!(
        a.metric_version,
        okpi::kpi::metric_version(&model, "fcr").unwrap()
    );
}

#[test]
fn resuming_from_stored_states_equals_one_run() {
    let model = okpi::Model::from_json(&doc(FCR_LOW)).unwrap();
    let whole = evaluate_rules(&model, day(1, 1), day(4, 30), &BTreeMap::new()).unwrap();
    let first = evaluate_rules(&model, day(1, 1), day(2, 28), &BTreeMap::new()).unwrap();
    let stored: BTreeMap<String, State> = first
        .alerts
        .iter()
        .map(|a| {
            (
                a.rule.clone(),
                serde_json::from_str(&serde_json::to_string(&a.state).unwrap()).unwrap(),
            )
        })
        .collect();
    let rest = evaluate_rules(&model, day(3, 1), day(4, 30), &stored).unwrap();
    let mut events = first.alerts[0].events.clone();
    events.extend(rest.alerts[0].events.clone());
    assert_eq!(events, whole.alerts[0].events);
    assert_eq!(rest.alerts[0].state, whole.alerts[0].state);
}

#[test]
fn a_person_scope_reads_the_person_dim() {
    let rules = r#"[{"id": "li_fcr", "metric": "fcr", "scope": "li", "grain": "month", "condition": "below",
        "critical": {"value": 0.7}}]"#;
    let model = okpi::Model::from_json(&doc(rules)).unwrap();
    let report = evaluate_rules(&model, day(1, 1), day(4, 30), &BTreeMap::new()).unwrap();
    let values: Vec<Option<f64>> = report.alerts[0].series.iter().map(|o| o.value).collect();
    assert_eq!(values, [Some(0.9), Some(0.6), None, None]); // April's observation has no person dim
}

#[test]
fn bad_rules_in_a_document_name_their_paths() {
    let rules = r#"[{"id": "a", "metric": "nope", "scope": "co", "grain": "day", "condition": "above",
                     "critical": {"value": 10, "recovery": 12}},
                    {"id": "a", "metric": "fcr", "scope": "mars", "grain": "day", "condition": "above",
                     "critical": {"value": 1}, "for": -1}]"#;
    let err = okpi::Model::from_json(&doc(rules)).unwrap_err();
    let mut got: Vec<(&str, &str)> = err
        .problems()
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("E_ALERT_RULE", "$.alert_rules[0].critical.recovery"),
            ("E_ALERT_RULE", "$.alert_rules[1].for"),
            ("E_DUPLICATE_ID", "$.alert_rules[1].id"),
            ("E_UNKNOWN_ID", "$.alert_rules[0].metric"),
            ("E_UNKNOWN_ID", "$.alert_rules[1].scope"),
        ]
    );
}
