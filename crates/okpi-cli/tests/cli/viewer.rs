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

/// A key result whose only supporting KPI the viewer may not see: the dashboard and the report say "no KPI you can
/// see", and the health beside the objective is the one recomputed over the KPIs they may see, said to be so.
#[test]
fn hidden_support_reads_as_no_kpi_you_can_see() {
    let doc = serde_json::json!({
        "schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": [{"id": "eng", "manager": "mia"}],
        "people": [{"id": "mia", "unit": "eng", "roles": ["manager"]}, {"id": "ann", "unit": "eng"},
                   {"id": "bob", "unit": "eng"}],
        "objectives": [{"id": "top", "title": "Serve customers", "cycle": "q1"}],
        "key_results": [
            {"id": "k_ann", "objective": "top", "title": "Calls answered", "kind": "increase", "start": 0, "target": 10},
            {"id": "k_bob", "objective": "top", "title": "Tickets closed", "kind": "increase", "start": 0, "target": 10}],
        "measures": [{"id": "calls"}],
        "metrics": [{"id": "calls", "kind": "simple", "measure": "calls"}],
        "observations": [
            {"measure": "calls", "date": "2026-02-01", "value": 50, "dims": {"person": "ann", "unit": "eng"}},
            {"measure": "calls", "date": "2026-02-01", "value": 100, "dims": {"person": "bob", "unit": "eng"}}],
        "targets": [
            {"id": "t_ann", "metric": "calls", "scope": {"person": "ann"}, "cycle": "q1", "target": 100, "supports": ["k_ann"]},
            {"id": "t_bob", "metric": "calls", "scope": {"person": "bob"}, "cycle": "q1", "target": 100, "supports": ["k_bob"]}]
    });
    let dir = TempDir::new("hidden-support");
    let file = dir.write("doc.json", &doc.to_string());
    // Unfiltered: t_ann is red (0.5), t_bob green (1.0): support health (1 + 0) / 2 = 50 %.
    let all = okpi(&["evaluate", &file, "--as-of", "2026-03-31"]).stdout;
    assert!(all.contains("support health 50%"), "{all}");
    let bob = okpi(&["evaluate", &file, "--as-of", "2026-03-31", "--viewer", "bob"]);
    assert_eq!(bob.code, 0, "{}", bob.stderr);
    // bob may see t_bob only: recomputed over it, 1 / 1 = 100 %, and said to be over what he can see.
    assert!(
        bob.stdout.contains("no KPI you can see supports this key result"),
        "{}",
        bob.stdout
    );
    assert!(
        bob.stdout
            .contains("support health 100% (of the KPIs you can see)"),
        "{}",
        bob.stdout
    );
    assert!(
        !bob.stdout.contains("50%") && !bob.stdout.contains("no KPI target supports"),
        "{}",
        bob.stdout
    );
    let out = dir.path("bob.html");
    let r = okpi(&[
        "report",
        &file,
        "--as-of",
        "2026-03-31",
        "--html",
        out.to_str().unwrap(),
        "--viewer",
        "bob",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out).unwrap();
    assert!(html.contains("no KPI you can see supports this key result"));
    assert!(!html.contains("no KPI target supports") && !html.contains("support health 50%"));
}
