//! `--format json` prints the library's own results: the same text as serialising what `okpi` returns when called
//! directly, for the demo and for the shared vectors (whose hand-computed expectations it must also meet).

use crate::common::*;
use okpi_conformance::{cases, subset_mismatches};
use serde_json::Value;

#[test]
fn the_demo_evaluation_alerts_and_diagnosis_equal_the_library() {
    let model = demo_model();
    let as_of = day(AS_OF);
    let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default()).unwrap();
    let r = okpi(&["evaluate", &demo(), "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, pretty(&ev));

    let alerts = okpi::alert::evaluate_rules(&model, day("2026-01-01"), as_of, &Default::default()).unwrap();
    let r = okpi(&[
        "alerts",
        &demo(),
        "--from",
        "2026-01-01",
        "--to",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(r.stdout, pretty(&alerts));

    let diagnosis = okpi::diagnose::diagnose(&model, &ev, &Default::default()).unwrap();
    let r = okpi(&["diagnose", &demo(), "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(r.stdout, pretty(&diagnosis));
    // The planted risks are all found.
    let codes: Vec<(&str, &str)> = diagnosis
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.subjects.first().map_or("", okpi::Id::as_str)))
        .collect();
    for planted in [
        ("okr.stale", "c2.kr1"),
        ("okr.sandbagging", "i1.kr1"),
        ("okr.end_of_cycle_surge", "i1.kr2"),
        ("kpi.pull_forward", "new_merchants"),
        ("kpi.single_metric", "sc.review"),
    ] {
        assert!(codes.contains(&planted), "{planted:?} not found in {codes:?}");
    }

    let r = okpi(&["validate", &demo(), "--format", "json"]);
    assert_eq!(r.stdout, pretty(&model.to_document()));
}

#[test]
fn advice_equals_the_library() {
    let path = demo_dir().join("profiles.json");
    let lines: Vec<okpi::decide::BusinessProfile> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let portfolio = okpi::decide::advise_all(&lines, &Default::default()).unwrap();
    let r = okpi(&["advise", &path.display().to_string(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, pretty(&portfolio));
    // Every quadrant and both readiness outcomes are in the demo.
    let recs: std::collections::BTreeSet<String> = portfolio
        .lines
        .iter()
        .map(|l| value(&l.recommendation).as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recs.len(), 5, "{recs:?}");
}

/// Runs `okpi` over every case of a vector area whose input the CLI takes as a file; `run` gets the case and the
/// folder, and returns the arguments.
fn each_case(area: &str, mut check: impl FnMut(&str, &Value, &TempDir)) -> usize {
    let dir = TempDir::new(&format!("vectors-{area}"));
    let mut n = 0;
    for (name, case) in cases(area).unwrap() {
        check(&name, &case, &dir);
        n += 1;
    }
    n
}

fn check_errors(name: &str, expect: &Value, r: &Run) {
    assert_eq!(r.code, 2, "{name}: expected exit 2\n{}", r.stderr);
    for p in expect.as_array().unwrap() {
        let line = format!(
            "error[{}] at {}",
            p["code"].as_str().unwrap(),
            p["path"].as_str().unwrap()
        );
        assert!(
            r.stderr.contains(&line),
            "{name}: {line:?} not printed in\n{}",
            r.stderr
        );
    }
}

#[test]
fn okr_vectors_evaluate_like_the_library() {
    let n = each_case("okr", |name, case, dir| {
        let doc = dir.write("doc.json", &case["document"].to_string());
        let as_of = case["as_of"].as_str().unwrap();
        let mut args = vec!["evaluate", doc.as_str(), "--as-of", as_of, "--format", "json"];
        let settings;
        if let Some(s) = case.get("settings") {
            settings = dir.write("settings.json", &s.to_string());
            args.extend(["--settings", settings.as_str()]);
        }
        let r = okpi(&args);
        match (case.get("expect"), case.get("expect_error")) {
            (Some(expect), _) => {
                assert_eq!(r.code, 0, "{name}: {}", r.stderr);
                let settings = match case.get("settings") {
                    Some(s) => okpi::Settings::from_json(&s.to_string()).unwrap(),
                    None => okpi::Settings::default(),
                };
                let model = okpi::Model::from_json(&case["document"].to_string()).unwrap();
                let ev = okpi::evaluate(&model, day(as_of), &settings).unwrap();
                assert_eq!(r.stdout, pretty(&ev), "{name}");
                let mismatches = subset_mismatches(expect, &r.json(), "$");
                assert!(mismatches.is_empty(), "{name}: {mismatches:#?}");
            }
            (None, Some(expect)) => check_errors(name, expect, &r),
            (None, None) => panic!("{name}: no expectation"),
        }
    });
    assert!(n >= 50, "only {n} okr vectors");
}

#[test]
fn diagnose_vectors_diagnose_like_the_library() {
    let mut checked = 0;
    each_case("diagnose", |name, case, dir| {
        // The CLI runs the rules with DOMAIN.md's default thresholds and settings.
        if case.get("diagnose_settings").is_some() || case.get("settings").is_some() {
            return;
        }
        let doc = dir.write("doc.json", &case["document"].to_string());
        let as_of = case["as_of"].as_str().unwrap();
        let r = okpi(&[
            "diagnose",
            &doc,
            "--as-of",
            as_of,
            "--format",
            "json",
            "--fail-on",
            "error",
        ]);
        match (case.get("expect"), case.get("expect_error")) {
            (Some(expect), _) => {
                assert_eq!(r.code, 0, "{name}: {}", r.stderr);
                let model = okpi::Model::from_json(&case["document"].to_string()).unwrap();
                let ev = okpi::evaluate(&model, day(as_of), &Default::default()).unwrap();
                let d = okpi::diagnose::diagnose(&model, &ev, &Default::default()).unwrap();
                assert_eq!(r.stdout, pretty(&d), "{name}");
                let mismatches = subset_mismatches(expect, &r.json(), "$");
                assert!(mismatches.is_empty(), "{name}: {mismatches:#?}");
            }
            (None, Some(expect)) => check_errors(name, expect, &r),
            (None, None) => panic!("{name}: no expectation"),
        }
        checked += 1;
    });
    assert!(checked >= 20, "only {checked} diagnose vectors ran");
}

#[test]
fn advisor_vectors_advise_like_the_library() {
    let mut checked = 0;
    each_case("advisor", |name, case, dir| {
        if case.get("settings").is_some() {
            return;
        }
        let input = case.get("profile").or_else(|| case.get("profiles")).unwrap();
        let file = dir.write("profiles.json", &input.to_string());
        let r = okpi(&["advise", &file, "--format", "json"]);
        match (case.get("expect"), case.get("expect_error")) {
            (Some(expect), _) => {
                assert_eq!(r.code, 0, "{name}: {}", r.stderr);
                let mismatches = subset_mismatches(expect, &r.json(), "$");
                assert!(mismatches.is_empty(), "{name}: {mismatches:#?}");
            }
            (None, Some(expect)) => check_errors(name, expect, &r),
            (None, None) => panic!("{name}: no expectation"),
        }
        checked += 1;
    });
    assert!(checked >= 20, "only {checked} advisor vectors ran");
}

#[test]
fn hybrid_vectors_evaluate_linked_key_results_like_the_library() {
    let mut checked = 0;
    each_case("hybrid", |name, case, dir| {
        // `settings` here are the strategy view's; the CLI's evaluate takes evaluation settings only.
        if case.get("settings").is_some() {
            return;
        }
        let doc = dir.write("doc.json", &case["document"].to_string());
        let as_of = case["as_of"].as_str().unwrap();
        let r = okpi(&["evaluate", &doc, "--as-of", as_of, "--format", "json"]);
        match (case.get("expect"), case.get("expect_error")) {
            (Some(expect), _) => {
                assert_eq!(r.code, 0, "{name}: {}", r.stderr);
                let model = okpi::Model::from_json(&case["document"].to_string()).unwrap();
                let ev = okpi::evaluate(&model, day(as_of), &Default::default()).unwrap();
                assert_eq!(r.stdout, pretty(&ev), "{name}");
                if let Some(expect) = expect.get("evaluation") {
                    let mismatches = subset_mismatches(expect, &r.json(), "$");
                    assert!(mismatches.is_empty(), "{name}: {mismatches:#?}");
                    checked += 1;
                }
            }
            (None, Some(expect)) => {
                check_errors(name, expect, &r);
                checked += 1;
            }
            (None, None) => panic!("{name}: no expectation"),
        }
    });
    assert!(checked >= 10, "only {checked} hybrid vectors ran");
}
