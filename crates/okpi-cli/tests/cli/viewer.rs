//! `--viewer PERSON`: every report shows only what that person may see, filtered by the library (`okpi::access`).

use crate::common::*;
use okpi::access::{filter, Viewer};

/// An agent of customer service: sees the public objectives, the service team's aggregates and their own
/// scorecard, not the incubator's team objective nor other units' or agents' KPI results.
const AGENT: &str = "a3";

#[test]
fn json_reports_equal_the_library_filtered_for_the_viewer() {
    let model = demo_model();
    let as_of = day(AS_OF);
    let viewer = Viewer::new(AGENT);
    let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default()).unwrap();
    let r = okpi(&[
        "evaluate",
        &demo(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--viewer",
        AGENT,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mine = filter(ev.clone(), &model, &viewer).unwrap();
    assert_eq!(r.stdout, pretty(&mine));
    assert!(
        mine.objective("i1").is_none() && ev.objective("i1").is_some(),
        "the team objective is hidden"
    );

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
        "--viewer",
        AGENT,
    ]);
    assert_eq!(r.stdout, pretty(&filter(alerts, &model, &viewer).unwrap()));
    // The agent sees the service desk's response-time alert, critical after the Spring Festival, so it fails …
    assert_eq!(r.code, 1);
    assert!(
        !r.stdout.contains("review.backlog_high"),
        "… and not content review's backlog alert"
    );

    let diagnosis = okpi::diagnose::diagnose(&model, &ev, &Default::default()).unwrap();
    let r = okpi(&[
        "diagnose",
        &demo(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--viewer",
        AGENT,
    ]);
    assert_eq!(r.stdout, pretty(&filter(diagnosis, &model, &viewer).unwrap()));
}

#[test]
fn the_dashboard_and_report_show_only_what_the_viewer_may_see() {
    let all = okpi(&["evaluate", &demo(), "--as-of", AS_OF]).stdout;
    let mine = okpi(&["evaluate", &demo(), "--as-of", AS_OF, "--viewer", AGENT]).stdout;
    for hidden in [
        "Prove demand for the AI product-picking assistant",
        "Availability · Cloud operations",
        "Liu Yang",
    ] {
        assert!(all.contains(hidden), "{hidden}");
        assert!(!mine.contains(hidden), "{hidden} shown to {AGENT}:\n{mine}");
    }
    for shown in [
        "Open a second growth curve with new products",
        "First response time, s · Customer service",
        "Wu Jie",
    ] {
        assert!(mine.contains(shown), "{shown} not shown to {AGENT}:\n{mine}");
    }

    let dir = TempDir::new("viewer-report");
    let out = dir.path("mine.html");
    let r = okpi(&[
        "report",
        &demo(),
        "--as-of",
        AS_OF,
        "--html",
        out.to_str().unwrap(),
        "--viewer",
        AGENT,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    for hidden in [
        "Prove demand",
        "验证 AI 选品助手",
        "Paying pilot merchants",
        "Liu Yang",
        "刘洋",
        "Review backlog",
    ] {
        assert!(!html.contains(hidden), "{hidden:?} in the report for {AGENT}");
    }
    let grades = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("grade"))
        .count();
    assert_eq!(grades, 2, "the agent's own scorecard and the service team's");
}

#[test]
fn an_unknown_viewer_learns_nothing() {
    let r = okpi(&["evaluate", &demo(), "--as-of", AS_OF, "--viewer", "nobody"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error[E_UNKNOWN_ID] at $.viewer.person"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // A valid document tells a viewer only that it is valid.
    let r = okpi(&["validate", &demo(), "--format", "json", "--viewer", AGENT]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json(), serde_json::json!({"valid": true}));
}

#[test]
fn problems_are_filtered_for_the_viewer_too() {
    // bob's private objective is in an unknown cycle: ann learns the problem's code and path, not bob's objective.
    let dir = TempDir::new("viewer-problems");
    let doc = dir.write(
        "doc.json",
        r#"{"schema_version": 1,
            "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
            "people": [{"id": "ann"}, {"id": "bob"}],
            "objectives": [{"id": "bobs_secret", "cycle": "nope", "owner": {"person": "bob"}, "visibility": "private"}]}"#,
    );
    let r = okpi(&["validate", &doc]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bobs_secret"), "{}", r.stderr);
    let r = okpi(&["validate", &doc, "--viewer", "ann"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error[E_UNKNOWN_ID] at $.objectives[0].cycle"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("bobs_secret"), "{}", r.stderr);
}
