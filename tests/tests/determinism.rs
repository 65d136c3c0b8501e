//! The same inputs give byte-identical JSON across runs and across input orders, and the demo quarter's results
//! are written as the golden files that the Python and C determinism tests compare their own output with
//! (`<target>/tmp/determinism/{validate,evaluate,diagnose}.json`; `make test` runs Rust first and hands the
//! folder to the others in `OKPI_DETERMINISM_DIR`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;
use serde_json::{json, Value};
use std::path::PathBuf;

const QUARTER: &str = include_str!("../../examples/data/quarter.json");
const AS_OF: &str = "2026-03-10";

/// The three outputs every language compares: the normalised document, the evaluation and the diagnosis.
fn outputs(doc: &str) -> [(&'static str, String); 3] {
    let model = okpi::Model::from_json(doc).unwrap();
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap();
    let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default()).unwrap();
    let diagnosis = okpi::diagnose::diagnose(&model, &ev, &Default::default()).unwrap();
    [
        ("validate", model.to_document().to_json()),
        ("evaluate", ev.to_json()),
        ("diagnose", serde_json::to_string(&diagnosis).unwrap()),
    ]
}

/// A small deterministic generator (xorshift), so that the shuffles are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The document with each of its top-level arrays shuffled. Check-ins of one key result on one day keep their
/// relative order: DOMAIN.md §2 makes the later one in input order win, so their order is meaning, not noise.
fn shuffled(doc: &Value, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut doc = doc.clone();
    for (key, items) in doc.as_object_mut().unwrap() {
        let Value::Array(items) = items else { continue };
        for i in (1..items.len()).rev() {
            items.swap(i, rng.below(i + 1));
        }
        if key == "check_ins" {
            let same_day = |c: &Value| (c["key_result"].to_string(), c["date"].to_string());
            let mut groups: Vec<(String, String)> = items.iter().map(same_day).collect();
            groups.dedup();
            // Restore input order inside each (key result, day) group, keeping the groups where they landed.
            let original = serde_json::from_str::<Value>(QUARTER)
                .map(|q| q["check_ins"].clone())
                .ok();
            if let Some(Value::Array(original)) = original {
                for g in &groups {
                    let mut ordered = original.iter().filter(|c| &same_day(c) == g).cloned();
                    for slot in items.iter_mut().filter(|c| &same_day(c) == g) {
                        *slot = ordered.next().unwrap();
                    }
                }
            }
        }
    }
    doc.to_string()
}

#[test]
fn demo_quarter_is_byte_identical_across_runs_and_input_orders_and_writes_the_golden_files() {
    let golden = outputs(QUARTER);
    assert_eq!(outputs(QUARTER), golden, "two runs differ");
    let doc: Value = serde_json::from_str(QUARTER).unwrap();
    for seed in 1..=8 {
        let text = shuffled(&doc, seed);
        for ((name, want), (_, got)) in golden.iter().zip(outputs(&text)) {
            assert_eq!(&got, want, "{name} differs with input order (seed {seed})");
        }
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("determinism");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in &golden {
        std::fs::write(dir.join(format!("{name}.json")), text).unwrap();
    }
}

/// A KPI document whose sums depend on the order they are added in (0.1 + 0.2 + 0.3 ≠ 0.3 + 0.2 + 0.1 in
/// floating point), so that an order-dependent sum would show up.
fn kpi_document() -> Value {
    let values = [0.1, 0.2, 0.3, 1e-9, 7.7, 1e16, -1e16, 3.3];
    let mut observations = Vec::new();
    for day in 1..=28 {
        for (u, unit) in ["east", "west", "hq"].iter().enumerate() {
            let v = values[(day + u) % values.len()];
            observations.push(
                json!({"measure": "rev", "date": format!("2026-02-{day:02}"), "value": v,
                "dims": {"unit": unit, "channel": if day % 2 == 0 { "web" } else { "shop" }}}),
            );
            observations.push(
                json!({"measure": "orders", "date": format!("2026-02-{day:02}"), "value": (day % 5) as f64,
                "dims": {"unit": unit}}),
            );
        }
    }
    json!({"schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": [{"id": "hq"}, {"id": "east", "parent": "hq"}, {"id": "west", "parent": "hq"}],
        "measures": [{"id": "rev"}, {"id": "orders"}],
        "metrics": [{"id": "r", "kind": "simple", "measure": "rev"},
                    {"id": "o", "kind": "simple", "measure": "orders"},
                    {"id": "aov", "kind": "ratio", "numerator": "r", "denominator": "o"},
                    {"id": "growth", "kind": "derived", "expression": "r / r(offset 1) - 1", "grain": "week"}],
        "targets": [{"id": "t_east", "metric": "r", "scope": {"unit": "east"}, "cycle": "q1", "target": 50},
                    {"id": "t_all", "metric": "aov", "scope": {"unit": "hq"}, "cycle": "q1", "target": 3}],
        "scorecards": [{"id": "east", "subject": {"unit": "east"}, "items": [{"target": "t_east", "weight": 60},
                        {"target": "t_all", "weight": 40}]}],
        "observations": observations})
}

fn kpi_outputs(doc: &str) -> Vec<String> {
    let model = okpi::Model::from_json(doc).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut out = vec![
        model.to_document().to_json(),
        serde_json::to_string(&okpi::kpi::score(&model, as_of).unwrap()).unwrap(),
        serde_json::to_string(
            &okpi::hybrid::scorecards(&model, &okpi::kpi::ScorecardRequest::new(as_of)).unwrap(),
        )
        .unwrap(),
    ];
    for metric in ["r", "aov", "growth"] {
        let q: okpi::kpi::Query = serde_json::from_value(json!({"metric": metric, "grain": "week",
            "from": "2026-02-01", "to": "2026-02-28", "group_by": ["channel"]}))
        .unwrap();
        out.push(serde_json::to_string(&okpi::kpi::query(&model, &q).unwrap()).unwrap());
    }
    out
}

#[test]
fn kpi_results_do_not_depend_on_the_order_of_observations() {
    let doc = kpi_document();
    let golden = kpi_outputs(&doc.to_string());
    for seed in 1..=6 {
        assert_eq!(kpi_outputs(&shuffled(&doc, seed)), golden, "seed {seed}");
    }
}
