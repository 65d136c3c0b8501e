//! KR ← KPI links and the strategy view beyond the shared vectors: derived check-ins against KPI queries, the
//! accessor and explanation, incremental evaluation, and a no-look-ahead property.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::{Duration, NaiveDate};
use okpi::hybrid::{Light, StrategySettings};
use okpi::model::{CheckIn, Document, Observation};
use okpi::okr::Quantity;
use okpi::report::Flag;
use okpi::{evaluate, strategy_view, Model, Settings};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Two objectives: o1 holds a KPI-linked KR (k_rev) and a manual one (k_man); o2 (a child of o1 that
/// contributes) holds a manual KR. A target supports k_rev.
const DOC: &str = r#"{"schema_version": 1,
  "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
  "org_units": [{"id": "co"}, {"id": "shop", "parent": "co"}],
  "measures": [{"id": "revenue"}],
  "metrics": [{"id": "rev", "kind": "simple", "measure": "revenue"}],
  "observations": [
    {"measure": "revenue", "date": "2026-01-05", "value": 10, "dims": {"unit": "shop"}},
    {"measure": "revenue", "date": "2026-01-28", "value": 20, "dims": {"unit": "shop"}},
    {"measure": "revenue", "date": "2026-02-11", "value": 40, "dims": {"unit": "shop"}},
    {"measure": "revenue", "date": "2026-03-03", "value": 5, "dims": {"unit": "shop"}}],
  "objectives": [{"id": "o1", "cycle": "q1", "progress_from": "both"}, {"id": "o2", "cycle": "q1"}],
  "alignments": [{"child": "o2", "parent": "o1"}],
  "key_results": [
    {"id": "k_rev", "objective": "o1", "kind": "increase", "start": 0, "target": 100,
     "link": {"metric": "rev", "scope": {"unit": "co"}, "window": "latest_grain", "lag_days": 1}},
    {"id": "k_man", "objective": "o1", "kind": "increase", "start": 0, "target": 10},
    {"id": "k_child", "objective": "o2", "kind": "increase", "start": 0, "target": 10}],
  "check_ins": [{"key_result": "k_man", "date": "2026-02-01", "value": 3}],
  "targets": [{"id": "t", "metric": "rev", "scope": {"unit": "shop"}, "cycle": "q1", "target": 80,
               "supports": ["k_rev"]}]}"#;

#[test]
fn a_month_end_check_in_is_the_kpi_query_cell_of_that_month() {
    let model = Model::from_json(DOC).unwrap();
    let ev = evaluate(&model, day("2026-03-04"), &Settings::default()).unwrap();
    let cis = ev.check_ins(&model, "k_rev").unwrap();
    // Cut-off 03-03: month ends 01-31 and 02-28, then 03-03, each over its own month (latest_grain).
    let got: Vec<(NaiveDate, Option<f64>)> = cis.iter().map(|c| (c.date, c.value)).collect();
    assert_eq!(
        got,
        [
            (day("2026-01-31"), Some(30.0)),
            (day("2026-02-28"), Some(40.0)),
            (day("2026-03-03"), Some(5.0))
        ]
    );
    let q: okpi::kpi::Query = serde_json::from_str(
        r#"{"metric": "rev", "from": "2026-01-01", "to": "2026-02-28", "filters": {"unit": "co"}}"#,
    )
    .unwrap();
    let table = okpi::kpi::query(&model, &q).unwrap();
    let cells: Vec<Option<f64>> = table.cells.iter().map(|c| c.value).collect();
    assert_eq!(cells, [cis[0].value, cis[1].value]);
    let version = okpi::kpi::metric_version(&model, "rev").unwrap();
    assert_eq!(table.version, version);
    for c in &cis {
        assert!(c.derived);
        assert_eq!(c.metric.as_deref(), Some("rev"));
        assert_eq!(c.metric_version.as_deref(), Some(version.as_str()));
        assert_eq!(c.confidence, None);
    }
    let k = ev.key_result("k_rev").unwrap();
    let link = k.link.as_ref().unwrap();
    assert_eq!(
        (link.cut_off, link.check_ins, link.metric_version.as_str()),
        (day("2026-03-03"), 3, version.as_str())
    );
    assert_eq!(k.current, Some(5.0));

    // Manual check-ins come back as entered, not derived.
    let manual = ev.check_ins(&model, "k_man").unwrap();
    assert_eq!(manual.len(), 1);
    assert!(!manual[0].derived && manual[0].metric_version.is_none());
    assert!(ev.check_ins(&model, "nope").is_none());
    assert!(ev.key_result("k_man").unwrap().link.is_none());
}

#[test]
fn the_explanation_names_metric_window_and_cut_off() {
    let model = Model::from_json(DOC).unwrap();
    let ev = evaluate(&model, day("2026-03-04"), &Settings::default()).unwrap();
    let why = ev.explain(&model, "k_rev", Quantity::Progress).unwrap();
    assert!(why.formula.contains("metric rev"), "{}", why.formula);
    assert!(why.formula.contains("latest_grain"), "{}", why.formula);
    assert!(why.formula.contains("2026-03-03"), "{}", why.formula);
    assert!(why.formula.contains("unit co"), "{}", why.formula);
    // The link's dates are dates (typed evidence), written as the same `YYYY-MM-DD` text.
    let okpi::report::Evidence::Record(link) = &why.inputs["link"] else {
        panic!("the link is a record: {:?}", why.inputs["link"])
    };
    assert_eq!(link["cut_off"], okpi::report::Evidence::Date(day("2026-03-03")));
    let inputs = serde_json::to_value(&why.inputs).unwrap();
    assert_eq!(inputs["link"]["cut_off"], "2026-03-03");
    let cis = inputs["check_ins"].as_array().unwrap();
    assert_eq!(cis.len(), 3);
    assert_eq!(cis[2]["derived"], true);
    let status = ev.explain(&model, "k_rev", Quantity::Status).unwrap();
    assert_eq!(
        serde_json::to_value(&status.inputs).unwrap()["link"]["metric"],
        "rev"
    );
    let manual = ev.explain(&model, "k_man", Quantity::Progress).unwrap();
    assert!(!manual.inputs.contains_key("link"));
}

#[test]
fn incremental_check_ins_keep_linked_results_and_equal_a_full_evaluation() {
    let mut model = Model::from_json(DOC).unwrap();
    let as_of = day("2026-03-04");
    let settings = Settings::default();
    let mut ev = evaluate(&model, as_of, &settings).unwrap();
    for (kr, date, value) in [("k_man", "2026-02-20", 7.0), ("k_child", "2026-03-01", 4.0)] {
        let ci = CheckIn {
            key_result: kr.into(),
            date: day(date),
            value: Some(value),
            confidence: Some(6.0),
            note: None,
        };
        let touched = ev.apply_check_in(&mut model, ci).unwrap();
        assert!(touched.contains(&"o1".to_owned()));
        assert_eq!(ev, evaluate(&model, as_of, &settings).unwrap());
    }
    assert_eq!(ev.key_result("k_rev").unwrap().current, Some(5.0));
    let refused = CheckIn {
        key_result: "k_rev".into(),
        date: day("2026-02-20"),
        value: Some(1.0),
        confidence: None,
        note: None,
    };
    assert!(ev.apply_check_in(&mut model, refused).is_err());
    assert_eq!(ev, evaluate(&model, as_of, &settings).unwrap());
}

#[test]
fn strategy_view_lists_top_objectives_with_their_supports() {
    let model = Model::from_json(DOC).unwrap();
    let view = strategy_view(&model, day("2026-03-04"), &StrategySettings::default()).unwrap();
    let ids: Vec<&str> = view.objectives.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["o1"]); // o2 aligns to o1
    let krs: Vec<&str> = view.objectives[0]
        .key_results
        .iter()
        .map(|k| k.id.as_str())
        .collect();
    assert_eq!(krs, ["k_man", "k_rev"]);
    let k_rev = &view.objectives[0].key_results[1];
    // t: shop's revenue over 01-01..03-04 = 75 against 80 → 0.9375 → amber.
    assert_eq!(k_rev.supports[0].actual, Some(75.0));
    assert_eq!(k_rev.supports[0].light, Light::Amber);
    assert_eq!(k_rev.support.health, Some(0.5));
    assert!(view.objectives[0].key_results[0].supports.is_empty());
    assert_eq!(view.objectives[0].key_results[0].support.health, None);
    let json: serde_json::Value = serde_json::from_str(&view.to_json()).unwrap();
    assert_eq!(
        json["objectives"][0]["key_results"][0]["support"]["health"],
        serde_json::Value::Null
    );

    let bad = {
        let mut v = StrategySettings::default();
        v.support_red_below = f64::NAN;
        v
    };
    let e = strategy_view(&model, day("2026-03-04"), &bad).unwrap_err();
    assert_eq!(e.problems()[0].path, "$.settings.support_red_below");
    let e = StrategySettings::from_json(r#"{"health_green": "high"}"#).unwrap_err();
    assert_eq!(e.problems()[0].path, "$.settings.health_green");
}

#[test]
fn diagnostics_do_not_call_a_linked_kr_stale() {
    let model = Model::from_json(DOC).unwrap();
    let as_of = day("2026-03-25");
    let ev = evaluate(&model, as_of, &Settings::default()).unwrap();
    let d = okpi::diagnose::diagnose(&model, &ev, &Default::default()).unwrap();
    let stale: Vec<&[okpi::Id]> = d
        .findings
        .iter()
        .filter(|f| f.code == "okr.stale")
        .map(|f| f.subjects.as_slice())
        .collect();
    // k_man (last check-in 02-01) and k_child (none) are stale; k_rev, fed by data, is not.
    assert_eq!(stale, [["k_child"], ["k_man"]]);
}

fn obs(date: NaiveDate, value: f64, source: &str) -> Observation {
    Observation {
        measure: "revenue".into(),
        date,
        value,
        dims: BTreeMap::from([("unit".to_owned(), "shop".to_owned())]),
        source: Some(source.to_owned()),
    }
}

proptest! {
    /// Observations dated after a linked KR's cut-off never change its result (no look-ahead), whatever the window,
    /// lag and as-of date; and a KR whose window holds no observation has no check-in, flagged no_data.
    #[test]
    fn derived_check_ins_never_read_past_the_cut_off(
        values in prop::collection::btree_map(0i64..100, 0.0..50.0f64, 0..12),
        late in prop::collection::btree_map(0i64..30, 0.0..50.0f64, 1..5),
        as_of in 0i64..100,
        lag in 0u32..20,
        latest in any::<bool>(),
        weekly in any::<bool>(),
    ) {
        let start = day("2026-01-01");
        let mut doc = Document::from_json(DOC).unwrap();
        doc.observations = values.iter().map(|(d, v)| obs(start + Duration::days(*d), *v, "ledger")).collect();
        doc.metrics[0].grain = if weekly { okpi::model::Grain::Week } else { okpi::model::Grain::Month };
        let link = doc.key_results[0].link.as_mut().unwrap();
        link.lag_days = lag;
        link.window = if latest { okpi::model::LinkWindow::LatestGrain } else { okpi::model::LinkWindow::CycleToDate };
        let as_of = start + Duration::days(as_of);
        let cut_off = as_of - Duration::days(i64::from(lag));
        let before = evaluate(&Model::new(doc.clone()).unwrap(), as_of, &Settings::default()).unwrap();
        doc.observations.extend(late.iter().map(|(d, v)| obs(cut_off + Duration::days(1 + d), *v, "late")));
        let model = Model::new(doc.clone()).unwrap();
        let after = evaluate(&model, as_of, &Settings::default()).unwrap();
        let (b, a) = (before.key_result("k_rev").unwrap(), after.key_result("k_rev").unwrap());
        prop_assert_eq!(b, a);
        let cis = after.check_ins(&model, "k_rev").unwrap();
        prop_assert!(cis.iter().all(|c| c.date <= cut_off && c.date >= start));
        prop_assert_eq!(cis.is_empty(), a.flags.contains(Flag::NoData));
        prop_assert_eq!(cis.len(), a.link.as_ref().unwrap().check_ins);
    }
}
