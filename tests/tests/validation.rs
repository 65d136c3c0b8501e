//! Validation and error paths that the vectors do not reach: parsing, settings, incremental check-ins, cycles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use okpi::model::CheckIn;
use okpi::{Code, Document, Error, Model, Settings};

fn codes(e: &Error) -> Vec<(&'static str, String)> {
    e.problems()
        .iter()
        .map(|p| (p.code.as_str(), p.path.clone()))
        .collect()
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const BASE: &str = r#"{"schema_version": 1,
  "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
  "objectives": [{"id": "a", "cycle": "q1"}, {"id": "b", "cycle": "q1"}, {"id": "c", "cycle": "q1"}],
  "key_results": [
    {"id": "k1", "objective": "a", "kind": "increase", "start": 0, "target": 10},
    {"id": "k2", "objective": "b", "kind": "linked", "linked_objective": "c"}]}"#;

#[test]
fn a_type_error_names_its_json_path() {
    let e = Document::from_json(r#"{"schema_version": 1, "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": "ten"}]}"#)
        .unwrap_err();
    assert_eq!(codes(&e), [("E_PARSE", "$.key_results[0].start".to_owned())]);
    let e = Document::from_json(
        r#"{"schema_version": 1, "objectives": [{"id": "o", "cycle": "q", "colour": 1}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), Code::E_PARSE);
    assert!(e.to_string().contains("colour"), "{e}");
    let e = Document::from_json(
        r#"{"schema_version": 1, "key_results": [{"id": "k", "objective": "o", "kind": "grow"}]}"#,
    )
    .unwrap_err();
    assert_eq!(codes(&e), [("E_PARSE", "$.key_results[0].kind".to_owned())]);
    let e = Document::from_json(
        r#"{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-02-30", "end": "2026-03-01"}]}"#,
    )
    .unwrap_err();
    assert_eq!(codes(&e), [("E_PARSE", "$.cycles[0].start".to_owned())]);
    let e = Document::from_json(r#"{"cycles": []}"#).unwrap_err();
    assert!(e.to_string().contains("schema_version"), "{e}");
}

#[test]
fn an_unknown_schema_version_is_refused() {
    let e = Model::from_json(r#"{"schema_version": 99}"#).unwrap_err();
    assert_eq!(codes(&e), [("E_SCHEMA_VERSION", "$.schema_version".to_owned())]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = Model::from_json(
        r#"{"schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}, {"id": "q1", "start": "2026-04-01", "end": "2026-03-01"}],
        "objectives": [{"id": "a", "cycle": "q9"}],
        "key_results": [{"id": "k", "objective": "a", "kind": "stay_above", "start": 1, "weight": -1}],
        "check_ins": [{"key_result": "k", "date": "2026-01-05", "value": 1, "confidence": 10.5}]}"#,
    )
    .unwrap_err();
    let mut got = codes(&e);
    got.sort();
    let mut want = vec![
        ("E_DUPLICATE_ID", "$.cycles[1].id".to_owned()),
        ("E_CYCLE_DATES", "$.cycles[1].end".to_owned()),
        ("E_UNKNOWN_ID", "$.objectives[0].cycle".to_owned()),
        ("E_FIELD_NOT_ALLOWED", "$.key_results[0].start".to_owned()),
        ("E_MISSING_FIELD", "$.key_results[0].bound".to_owned()),
        ("E_NEGATIVE_WEIGHT", "$.key_results[0].weight".to_owned()),
        ("E_CONFIDENCE_RANGE", "$.check_ins[0].confidence".to_owned()),
    ];
    want.sort();
    assert_eq!(got, want);
    for p in e.problems() {
        assert!(p.id.is_some(), "every problem here concerns an item: {p}");
    }
}

#[test]
fn a_cycle_is_named_by_its_path() {
    let e = Model::from_json(
        r#"{"schema_version": 1, "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "objectives": [{"id": "x", "cycle": "q1"}, {"id": "y", "cycle": "q1"}, {"id": "z", "cycle": "q1"}],
        "alignments": [{"child": "z", "parent": "x"}, {"child": "x", "parent": "y"}, {"child": "y", "parent": "z"}]}"#,
    )
    .unwrap_err();
    assert_eq!(codes(&e), [("E_CYCLE", "$.alignments[1]".to_owned())]);
    assert!(
        e.problems()[0].message.ends_with("x → y → z → x"),
        "{}",
        e.problems()[0].message
    );
}

#[test]
fn linked_key_results_that_loop_through_each_other_are_a_cycle() {
    let e = Model::from_json(
        r#"{"schema_version": 1, "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "objectives": [{"id": "a", "cycle": "q1"}, {"id": "b", "cycle": "q1"}],
        "key_results": [{"id": "ka", "objective": "a", "kind": "linked", "linked_objective": "b"},
                        {"id": "kb", "objective": "b", "kind": "linked", "linked_objective": "a"}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), Code::E_CYCLE);
    assert!(
        e.problems()[0].message.contains("a → b → a"),
        "{}",
        e.problems()[0].message
    );
}

#[test]
fn settings_out_of_range_are_refused_with_their_paths() {
    let e = Settings::from_json(
        r#"{"overshoot": {"cap": 0.5}, "at_risk_tolerance": 0.05, "confidence_high": 11}"#,
    )
    .unwrap_err();
    let mut got = codes(&e);
    got.sort();
    assert_eq!(
        got,
        [
            ("E_SETTINGS", "$.settings.at_risk_tolerance".to_owned()),
            ("E_SETTINGS", "$.settings.confidence_high".to_owned()),
            ("E_SETTINGS", "$.settings.overshoot.cap".to_owned())
        ]
    );
    let e = Settings::from_json(r#"{"overshot": "clamp"}"#).unwrap_err();
    assert_eq!(e.code(), Code::E_PARSE);
    let model = Model::from_json(BASE).unwrap();
    let bad = {
        let mut v = Settings::default();
        v.on_track_tolerance = f64::NAN;
        v
    };
    assert_eq!(
        okpi::evaluate(&model, day("2026-02-01"), &bad)
            .unwrap_err()
            .code(),
        Code::E_SETTINGS
    );
}

#[test]
fn a_refused_incremental_check_in_changes_nothing() {
    let mut model = Model::from_json(BASE).unwrap();
    let mut ev = okpi::evaluate(&model, day("2026-02-01"), &Settings::default()).unwrap();
    let before = ev.clone();
    let ci = |kr: &str, date: &str, value: Option<f64>, confidence: Option<f64>| CheckIn {
        key_result: kr.into(),
        date: day(date),
        value,
        confidence,
        note: None,
    };
    let cases = [
        (
            ci("nope", "2026-01-10", Some(1.0), None),
            "E_UNKNOWN_ID",
            "$.check_in.key_result",
        ),
        (
            ci("k2", "2026-01-10", Some(1.0), None),
            "E_CHECK_IN_REFUSED",
            "$.check_in.key_result",
        ),
        (
            ci("k1", "2026-04-10", Some(1.0), None),
            "E_DATE_OUTSIDE_CYCLE",
            "$.check_in.date",
        ),
        (
            ci("k1", "2026-01-10", None, None),
            "E_MISSING_FIELD",
            "$.check_in.value",
        ),
        (
            ci("k1", "2026-01-10", Some(f64::INFINITY), None),
            "E_NOT_FINITE",
            "$.check_in.value",
        ),
        (
            ci("k1", "2026-01-10", Some(1.0), Some(-1.0)),
            "E_CONFIDENCE_RANGE",
            "$.check_in.confidence",
        ),
    ];
    for (c, code, path) in cases {
        let e = ev.apply_check_in(&mut model, c).unwrap_err();
        assert_eq!(codes(&e), [(code, path.to_owned())]);
    }
    assert_eq!(ev, before);
    let changed = ev
        .apply_check_in(&mut model, ci("k1", "2026-01-10", Some(5.0), Some(8.0)))
        .unwrap();
    assert_eq!(changed, ["a"]);
    assert_eq!(ev.key_result("k1").unwrap().progress, 0.5);
}

#[test]
fn explanations_name_inputs_formula_and_settings() {
    let model = Model::from_json(BASE).unwrap();
    let ev = okpi::evaluate(&model, day("2026-02-01"), &Settings::default()).unwrap();
    let why = ev.explain(&model, "a", okpi::okr::Quantity::Progress).unwrap();
    assert!(why.formula.contains("Σ wᵢ·pᵢ"));
    assert_eq!(
        serde_json::to_value(&why.inputs).unwrap()["sources"][0]["id"],
        "k1"
    );
    assert_eq!(why.settings["rollup"], "weighted");
    let why = ev.explain(&model, "k1", okpi::okr::Quantity::Status).unwrap();
    assert_eq!(why.value, "off_track");
    assert_eq!(why.settings["on_track_tolerance"], 0.1);
    assert!(ev
        .explain(&model, "missing", okpi::okr::Quantity::Score)
        .is_none());
}

#[test]
fn the_model_round_trips_to_a_normalised_document() {
    let model = Model::from_json(BASE).unwrap();
    let again = Model::new(model.to_document()).unwrap();
    assert_eq!(again.to_document(), model.to_document());
    assert_eq!(
        Document::from_json(&model.to_document().to_json()).unwrap(),
        model.to_document()
    );
}

#[test]
fn cycle_builders_nest_quarters_in_their_year() {
    let cycles = okpi::cycle::year_with_quarters(2026, 10).unwrap();
    let ids: Vec<&str> = cycles.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["FY2026", "FY2026Q1", "FY2026Q2", "FY2026Q3", "FY2026Q4"]);
    assert_eq!(cycles[0].start, day("2026-10-01"));
    assert_eq!(cycles[0].end, day("2027-09-30"));
    assert_eq!(cycles[2].start, day("2027-01-01"));
    let mut doc = Document::new();
    doc.cycles = cycles;
    Model::new(doc.clone()).unwrap(); // quarters lie inside their year
    assert_eq!(
        okpi::cycle::calendar_quarter(2024, 1).unwrap().end,
        day("2024-03-31")
    );
    assert_eq!(
        okpi::cycle::fiscal(2026, okpi::cycle::Period::Half(2), 1)
            .unwrap()
            .start,
        day("2026-07-01")
    );
    assert_eq!(
        okpi::cycle::calendar_quarter(2026, 5).unwrap_err().code(),
        Code::E_INVALID_VALUE
    );
    assert!(okpi::cycle::fiscal(2026, okpi::cycle::Period::Year, 13).is_err());
}

const LINKED: &str = r#"{"schema_version": 1,
  "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
  "org_units": [{"id": "svc"}],
  "measures": [{"id": "tickets"}],
  "metrics": [{"id": "resolved", "kind": "simple", "measure": "tickets"}],
  "objectives": [{"id": "a", "cycle": "q1"}],
  "key_results": [
    {"id": "k1", "objective": "a", "kind": "increase", "start": 0, "target": 10,
     "link": {"metric": "resolved", "scope": {"unit": "svc"}, "lag_days": 2}},
    {"id": "k2", "objective": "a", "kind": "milestone",
     "link": {"metric": "nope", "scope": {"unit": "ghost"}}}],
  "targets": [{"id": "t", "metric": "resolved", "scope": {"unit": "svc"}, "cycle": "q1", "target": 5,
               "supports": ["k1", "k9"]}],
  "check_ins": [{"key_result": "k1", "date": "2026-01-05", "value": 3}]}"#;

#[test]
fn links_and_supports_are_checked_and_a_linked_kr_refuses_manual_check_ins() {
    let e = Model::from_json(LINKED).unwrap_err();
    let mut got = codes(&e);
    got.sort();
    let mut want = vec![
        ("E_CHECK_IN_REFUSED", "$.check_ins[0].key_result".to_owned()),
        ("E_FIELD_NOT_ALLOWED", "$.key_results[1].link".to_owned()),
        ("E_UNKNOWN_ID", "$.key_results[1].link.metric".to_owned()),
        ("E_UNKNOWN_ID", "$.key_results[1].link.scope".to_owned()),
        ("E_UNKNOWN_ID", "$.targets[0].supports[1]".to_owned()),
    ];
    want.sort();
    assert_eq!(got, want);
    assert!(e
        .problems()
        .iter()
        .any(|p| p.id.as_deref() == Some("k9") || p.message.contains("k9")));

    let mut doc = Document::from_json(LINKED).unwrap();
    doc.key_results.truncate(1);
    doc.targets[0].supports.truncate(1);
    doc.check_ins.clear();
    let mut model = Model::new(doc.clone()).unwrap();
    let ci = CheckIn {
        key_result: "k1".into(),
        date: day("2026-01-05"),
        value: Some(3.0),
        confidence: None,
        note: None,
    };
    let e = model.apply_check_in(ci).unwrap_err();
    assert_eq!(
        codes(&e),
        [("E_CHECK_IN_REFUSED", "$.check_in.key_result".to_owned())]
    );
    assert!(e.to_string().contains("resolved"), "{e}");
}
