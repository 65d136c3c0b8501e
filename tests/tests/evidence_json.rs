//! Typed evidence writes the JSON free-form values wrote: the diagnosis of every diagnose vector and the
//! explanation of every number of the demo quarter and of the hybrid vectors, byte for byte, against
//! `tests/golden/evidence/*.json`, written by okpi 0.2.0's free-form `serde_json::Value`s before evidence was typed
//! (`OKPI_BLESS_EVIDENCE=1` rewrites them; a change to them is a change to the JSON contract).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;
use okpi::okr::Quantity;
use okpi_conformance::cases;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const QUANTITIES: [Quantity; 5] = [
    Quantity::Progress,
    Quantity::Expected,
    Quantity::Status,
    Quantity::Confidence,
    Quantity::Score,
];

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("golden/evidence")
        .join(name)
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A case's model and evaluation (`document`, `as_of`, optional `settings`), or `None` for an error case.
fn evaluated(case: &Value) -> Option<(okpi::Model, okpi::Evaluation)> {
    let model = okpi::Model::from_json(&case.get("document")?.to_string()).ok()?;
    let settings: okpi::Settings = match case.get("settings") {
        Some(s) => okpi::text::parse_json(&s.to_string()).ok()?,
        None => okpi::Settings::default(),
    };
    let ev = okpi::evaluate(&model, day(case.get("as_of")?.as_str()?), &settings).ok()?;
    Some((model, ev))
}

/// Every explanation of every key result and objective, by `id/quantity`, as JSON text.
fn explanations(
    model: &okpi::Model,
    ev: &okpi::Evaluation,
    into: &mut BTreeMap<String, String>,
    prefix: &str,
) {
    let ids = ev
        .key_results
        .iter()
        .map(|k| k.id.to_string())
        .chain(ev.objectives.iter().map(|o| o.id.to_string()));
    for id in ids {
        for q in QUANTITIES {
            let why = ev.explain(model, &id, q).unwrap();
            into.insert(
                format!("{prefix}{id}/{q:?}"),
                serde_json::to_string(&why).unwrap(),
            );
        }
    }
}

fn outputs() -> BTreeMap<&'static str, BTreeMap<String, String>> {
    let mut diagnoses = BTreeMap::new();
    for (file, case) in cases("diagnose").unwrap() {
        let Some((model, ev)) = evaluated(&case) else {
            continue;
        };
        let settings: okpi::diagnose::DiagnoseSettings = match case.get("diagnose_settings") {
            Some(s) => okpi::text::parse_json(&s.to_string()).unwrap(),
            None => Default::default(),
        };
        let Ok(d) = okpi::diagnose::diagnose(&model, &ev, &settings) else {
            continue;
        };
        diagnoses.insert(file, serde_json::to_string(&d).unwrap());
    }
    let mut explained = BTreeMap::new();
    let quarter = okpi::Model::from_json(include_str!("../../examples/data/quarter.json")).unwrap();
    let ev = okpi::evaluate(&quarter, day("2026-03-10"), &okpi::Settings::default()).unwrap();
    explanations(&quarter, &ev, &mut explained, "quarter/");
    for (file, case) in cases("hybrid").unwrap() {
        if let Some((model, ev)) = evaluated(&case) {
            explanations(&model, &ev, &mut explained, &format!("{file}/"));
        }
    }
    BTreeMap::from([("diagnose.json", diagnoses), ("explain.json", explained)])
}

#[test]
fn typed_evidence_writes_the_json_free_form_values_wrote() {
    for (name, found) in outputs() {
        let path = golden(name);
        if std::env::var_os("OKPI_BLESS_EVIDENCE").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, serde_json::to_string_pretty(&found).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: BTreeMap<String, String> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(expected.len() >= 20, "{name}: only {} outputs", expected.len());
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{name}: the cases differ"
        );
        for (case, text) in &expected {
            assert_eq!(&found[case], text, "{name}: {case}");
        }
    }
}
