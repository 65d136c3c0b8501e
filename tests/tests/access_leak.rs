//! The privacy repro (`tests/fixtures/privacy/leak.json`, L1–L7 are vectors in `tests/vectors/access/027…039`):
//! `hr_admin` sees every report unchanged, filtering for bob twice equals filtering once, and what bob is shown
//! leaves ann's numbers out of every difference the issue names.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::NaiveDate;
use okpi::access::{View, Viewer};
use okpi::Model;
use serde_json::{json, Value};

fn model() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/privacy/leak.json");
    Model::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Every report of the repro, each filtered by `f`, as JSON.
fn reports(model: &Model, f: &dyn Fn(Value, &str) -> Value) -> Vec<Value> {
    let as_of = day(3, 31);
    let q = |filters: Value, group_by: Value| -> okpi::kpi::Query {
        serde_json::from_value(json!({"metric": "calls", "grain": "month", "from": "2026-02-01",
            "to": "2026-02-28", "filters": filters, "group_by": group_by}))
        .unwrap()
    };
    let ev = okpi::evaluate(model, as_of, &Default::default()).unwrap();
    let to = |v: &dyn erased::Json| v.json();
    let mut out = Vec::new();
    for (filters, group_by) in [
        (json!({}), json!(["unit"])),
        (json!({"unit": "eng"}), json!([])),
        (json!({"unit": "eng.a"}), json!([])),
        (json!({}), json!(["person"])),
    ] {
        out.push(f(
            to(&okpi::kpi::query(model, &q(filters, group_by)).unwrap()),
            "query",
        ));
    }
    out.push(f(
        to(&okpi::kpi::query_units(model, &q(json!({}), json!([]))).unwrap()),
        "query",
    ));
    out.push(f(to(&okpi::kpi::score(model, as_of).unwrap()), "score"));
    let req = okpi::kpi::ScorecardRequest::new(as_of);
    out.push(f(
        to(&okpi::hybrid::scorecards(model, &req).unwrap()),
        "scorecards",
    ));
    out.push(f(
        to(&okpi::strategy_view(model, as_of, &Default::default()).unwrap()),
        "strategy_view",
    ));
    let diagnosis = okpi::diagnose::diagnose(model, &ev, &Default::default()).unwrap();
    out.push(f(to(&diagnosis), "diagnosis"));
    out.push(f(to(&ev), "evaluation"));
    let alerts = okpi::alert::evaluate_rules(model, day(2, 1), day(2, 28), &Default::default()).unwrap();
    out.push(f(to(&alerts), "alerts"));
    out
}

/// Serialisation of any report.
mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}

fn filter(view: &View<'_>, report: Value, kind: &str) -> Value {
    serde_json::from_str(&okpi::access::filter_json(view, kind, &report.to_string()).unwrap()).unwrap()
}

#[test]
fn hr_admin_sees_every_report_of_the_repro_unchanged() {
    let model = model();
    let hr = View::new(&model, &Viewer::new("hra"), &Default::default()).unwrap();
    let all = reports(&model, &|r, _| r);
    let seen = reports(&model, &|r, kind| filter(&hr, r, kind));
    assert_eq!(seen, all);
}

#[test]
fn filtering_the_repro_twice_for_bob_equals_once() {
    let model = model();
    let bob = View::new(&model, &Viewer::new("bob"), &Default::default()).unwrap();
    let once = reports(&model, &|r, kind| filter(&bob, r, kind));
    let twice = reports(&model, &|r, kind| filter(&bob, filter(&bob, r, kind), kind));
    assert_eq!(twice, once);
    let text = serde_json::to_string(&once).unwrap();
    // ann's calls (364), her score (72.8), the eng.a total (1400) that eng's 1764 would be differenced with, the
    // scorecard total 88.28… and the unfiltered support health 0.5 appear nowhere.
    for leak in [
        "364",
        "72.8",
        "1400",
        "88.2",
        "\"health\":0.5",
        "met recruiter",
        "anns_growth",
    ] {
        assert!(!text.contains(leak), "{leak} in what bob sees");
    }
    assert!(text.contains("1764.0"), "bob sees eng's whole number");
}
