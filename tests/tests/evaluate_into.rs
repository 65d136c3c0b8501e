//! `okpi::evaluate_into` against `okpi::evaluate`: one `Evaluation` carried from each vector document to the next
//! (models of other sizes, other dates, other settings) is rewritten to exactly what a fresh evaluation gives, and
//! settings out of range leave it as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::Duration;
use okpi::{evaluate, evaluate_into, ErrorKind, Evaluation, Model, Settings};

/// Every validating vector document with its settings (the vector's, else the defaults).
fn vector_models() -> Vec<(String, Model, Settings)> {
    let areas = okpi_conformance::areas();
    assert!(!areas.is_empty(), "no vector areas");
    let mut out = Vec::new();
    for area in areas {
        for (name, case) in okpi_conformance::cases(&area).unwrap() {
            let Some(doc) = case.get("document") else { continue };
            let Ok(model) = Model::from_json(&doc.to_string()) else {
                continue;
            };
            if model.cycles().next().is_none() {
                continue;
            }
            let settings = case
                .get("settings")
                .and_then(|s| Settings::from_json(&s.to_string()).ok())
                .unwrap_or_default();
            out.push((format!("{area}/{name}"), model, settings));
        }
    }
    out
}

#[test]
fn one_evaluation_carried_through_every_vector_document_equals_fresh_ones() {
    let models = vector_models();
    assert!(models.len() > 100, "only {} vector documents", models.len());
    // Start from the largest evaluation, so that every later model is smaller than the memory carried.
    let largest = models
        .iter()
        .max_by_key(|(_, m, _)| m.key_result_count() + m.objective_count())
        .unwrap();
    let first = largest.1.cycles().map(|c| c.start).min().unwrap();
    let mut ev: Evaluation = evaluate(&largest.1, first, &largest.2).unwrap();
    let mut checked = 0;
    for (name, model, settings) in &models {
        let start = model.cycles().map(|c| c.start).min().unwrap();
        let end = model.cycles().map(|c| c.end).max().unwrap();
        for as_of in [
            start - Duration::days(3),
            start + (end - start) / 2,
            end + Duration::days(3),
        ] {
            evaluate_into(model, as_of, settings, &mut ev).unwrap();
            let fresh = evaluate(model, as_of, settings).unwrap();
            assert_eq!(ev, fresh, "{name} at {as_of}");
            assert_eq!(ev.to_json(), fresh.to_json(), "{name} at {as_of}");
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} evaluations checked");
}

#[test]
fn settings_out_of_range_leave_the_evaluation_as_it_was() {
    let models = vector_models();
    let (name, model, settings) = models.iter().find(|(_, m, _)| m.key_result_count() > 1).unwrap();
    let as_of = model.cycles().map(|c| c.end).max().unwrap();
    let mut ev = evaluate(model, as_of, settings).unwrap();
    let before = ev.clone();
    let mut bad = settings.clone();
    bad.on_track_tolerance = 2.0;
    let err = evaluate_into(model, as_of - Duration::days(30), &bad, &mut ev).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Settings, "{name}");
    assert_eq!(err.problems()[0].path, "$.settings.on_track_tolerance", "{name}");
    assert_eq!(ev, before, "{name}: the evaluation changed on an error");
    assert!(!ev.key_results.is_empty());
}
