//! Extreme but valid numbers give finite results, computed as the formulas say (never an infinity or a NaN,
//! which JSON would carry as `null`, and never a silently wrong number from an overflowed difference).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;
use serde_json::json;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

fn kpi_model() -> okpi::Model {
    let doc = json!({"schema_version": 1,
        "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": [{"id": "u"}],
        "measures": [{"id": "x"}, {"id": "y"}],
        "metrics": [{"id": "s", "kind": "simple", "measure": "x"}, {"id": "big", "kind": "simple", "measure": "y"},
                    {"id": "far", "kind": "derived", "expression": "s(offset 4000000000)", "grain": "day"}],
        "observations": [{"measure": "x", "date": "2026-01-15", "value": 1e300, "dims": {"unit": "u"}},
                         {"measure": "y", "date": "2026-01-15", "value": 1e307, "dims": {"unit": "u"}}],
        "targets": [
            {"id": "t1", "metric": "s", "scope": {"unit": "u"}, "cycle": "q", "target": 1e-300},
            {"id": "t2", "metric": "s", "scope": {"unit": "u"}, "cycle": "q", "threshold": -1e308, "target": 1e308,
             "curve": {"threshold_target_stretch": {}}},
            {"id": "t3", "metric": "big", "scope": {"unit": "u"}, "cycle": "q", "target": 1,
             "curve": {"linear": {"cap": 1e308}}, "decimals": 2}],
        "scorecards": [{"id": "card", "subject": {"unit": "u"}, "items": [{"target": "t3", "weight": 50},
                                                                          {"target": "t1", "weight": 50}]}]});
    okpi::Model::from_json(&doc.to_string()).unwrap()
}

#[test]
fn achievements_and_scores_stay_finite_and_right() {
    let model = kpi_model();
    let r = okpi::kpi::score(&model, day(3, 31)).unwrap();
    // t1: 1e300 / 1e-300 = 1e600 is beyond the floats: it saturates; the linear curve caps the score at 120.
    let t1 = r.target("t1").unwrap();
    assert_eq!((t1.achievement, t1.score), (Some(f64::MAX), Some(120.0)));
    // t2: 1e300 lies a share f = (1e300 + 1e308) / 2e308 = 0.5 + 5e-9 of the way from threshold to target:
    // 50 + 50 f = 75.00000025 (the plain formula's 2e308 overflows and would give 50).
    let t2 = r.target("t2").unwrap().score.unwrap();
    assert!(close(t2, 75.000_000_25, 1e-12), "{t2}");
    // t3: 100 · 1e307 = 1e309 overflows, the cap 1e308 holds; rounding to 2 decimals leaves it as it is.
    assert_eq!(r.target("t3").unwrap().score, Some(1e308));
    // The scorecard: 50 % of 1e308 + 50 % of 120 = 5e307 (+ 60, lost to rounding), grade S (≥ 120).
    let req = okpi::kpi::ScorecardRequest::new(day(3, 31));
    let cards = okpi::hybrid::scorecards(&model, &req).unwrap();
    assert_eq!(cards.scorecards[0].total, Some(5e307));
    assert_eq!(cards.scorecards[0].grade.as_deref(), Some("S"));
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<okpi::kpi::ScoreReport>(&json).unwrap(), r);
}

#[test]
fn an_offset_before_the_calendar_is_an_undefined_cell() {
    let q: okpi::kpi::Query =
        serde_json::from_value(json!({"metric": "far", "from": "2026-01-15", "to": "2026-01-15"})).unwrap();
    let r = okpi::kpi::query(&kpi_model(), &q).unwrap();
    assert_eq!(r.cells[0].value, None);
    assert!(
        r.cells[0]
            .undefined
            .as_deref()
            .unwrap()
            .contains("before the calendar"),
        "{:?}",
        r.cells[0]
    );
}

fn okr_model(krs: serde_json::Value, check_ins: serde_json::Value, rollup: Option<&str>) -> okpi::Model {
    let doc = json!({"schema_version": 1,
        "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
        "objectives": [{"id": "o", "cycle": "q", "rollup": rollup}],
        "key_results": krs, "check_ins": check_ins});
    okpi::Model::from_json(&doc.to_string()).unwrap()
}

#[test]
fn huge_weights_average_like_equal_ones() {
    let m = okr_model(
        json!([{"id": "a", "objective": "o", "kind": "increase", "start": 0, "target": 10, "weight": 1.7976931348623157e308},
               {"id": "b", "objective": "o", "kind": "increase", "start": 0, "target": 10, "weight": 1.7976931348623157e308}]),
        json!([{"key_result": "a", "date": "2026-02-01", "value": 5, "confidence": 4},
               {"key_result": "b", "date": "2026-02-01", "value": 10, "confidence": 8}]),
        None,
    );
    let ev = okpi::evaluate(&m, day(2, 1), &okpi::Settings::default()).unwrap();
    let o = ev.objective("o").unwrap();
    // Equal weights: (0.5 + 1) / 2 = 0.75, each normalised to 0.5; confidence (4 + 8) / 2 = 6.
    assert_eq!((o.progress, o.confidence.get()), (0.75, Some(6.0)));
    assert_eq!(
        o.sources.iter().map(|s| s.normalized_weight).collect::<Vec<_>>(),
        [0.5, 0.5]
    );
}

#[test]
fn a_progress_beyond_the_floats_saturates() {
    let m = okr_model(
        json!([{"id": "a", "objective": "o", "kind": "increase", "start": 0, "target": 5e-324}]),
        json!([{"key_result": "a", "date": "2026-02-01", "value": -1}]),
        None,
    );
    let settings = {
        let mut v = okpi::Settings::default();
        v.allow_negative = true;
        v
    };
    let ev = okpi::evaluate(&m, day(2, 1), &settings).unwrap();
    // (−1 − 0) / 5e-324 is −2e323, beyond the floats: the most negative float instead of −∞.
    assert_eq!(ev.key_result("a").unwrap().progress, -f64::MAX);
    assert_eq!(ev.objective("o").unwrap().progress, -f64::MAX);
    let json = ev.to_json();
    assert_eq!(serde_json::from_str::<okpi::Evaluation>(&json).unwrap(), ev);
}

#[test]
fn by_value_sums_that_overflow_are_scaled() {
    let m = okr_model(
        json!([{"id": "a", "objective": "o", "kind": "increase", "start": 0, "target": 1e308, "unit": "USD"},
               {"id": "b", "objective": "o", "kind": "increase", "start": 0, "target": 1e308, "unit": "USD"}]),
        json!([{"key_result": "a", "date": "2026-02-01", "value": 1e308},
               {"key_result": "b", "date": "2026-02-01", "value": 0}]),
        Some("by_value"),
    );
    let ev = okpi::evaluate(&m, day(2, 1), &okpi::Settings::default()).unwrap();
    let o = ev.objective("o").unwrap();
    // (1e308 + 0 − 0) / (2e308 − 0): Σ target overflows, the same ratio over eighths is 1.25e307 / 2.5e307 = 0.5.
    assert_eq!(
        (o.progress, o.rollup, o.flags.is_empty()),
        (0.5, okpi::model::Rollup::ByValue, true)
    );
}

#[test]
fn a_stored_nan_counts_as_missing_data() {
    use okpi::alert::{step, AlertObservation, AlertStatus, EventKind, Rule, State};
    let rule = Rule::from_json(
        r#"{"id": "r", "metric": "m", "scope": "s", "grain": "day", "condition": {"change_pct": {"offset": 1}},
            "critical": {"value": 10}}"#,
    )
    .unwrap();
    let state = State {
        history: vec![Some(f64::NAN)],
        ..State::default()
    };
    let (next, events) = step(
        &rule,
        state,
        &AlertObservation {
            date: day(1, 2),
            value: Some(5.0),
        },
    );
    // The base one evaluation back is NaN: missing, so under the default no_data policy the alert enters no_data.
    assert_eq!(next.status, AlertStatus::NoData);
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EventKind::NoData]
    );
    assert_eq!(next.history, [Some(5.0)]);
}
