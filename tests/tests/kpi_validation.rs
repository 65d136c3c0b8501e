//! KPI checks that JSON vectors cannot carry (NaN and infinities) and properties of metric versions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use okpi::model::*;
use okpi::{Code, Document, Model};

fn doc_json(metrics: &str) -> String {
    format!(
        r#"{{"schema_version": 1, "measures": [{{"id": "x"}}, {{"id": "y"}}],
        "metrics": {metrics},
        "observations": [{{"measure": "x", "date": "2026-01-01", "value": 1}}]}}"#
    )
}

#[test]
fn nan_and_infinite_inputs_are_refused() {
    let mut doc =
        Document::from_json(&doc_json(r#"[{"id": "s", "kind": "simple", "measure": "x"}]"#)).unwrap();
    let mut rows = doc.observations.to_vec();
    rows[0].value = f64::NAN;
    doc.observations = rows.into();
    doc.observations.push(Observation {
        measure: "x".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        value: f64::INFINITY,
        dims: Default::default(),
        source: None,
    });
    let err = Model::new(doc.clone()).unwrap_err();
    let got: Vec<(Code, &str)> = err.problems().iter().map(|p| (p.code, p.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (Code::E_NOT_FINITE, "$.observations[0].value"),
            (Code::E_NOT_FINITE, "$.observations[1].value")
        ]
    );
}

#[test]
fn expression_depth_is_limited_and_columns_are_named() {
    let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let e = okpi::kpi::parse_expression(&deep).unwrap_err();
    assert_eq!(e.limit, Some("expression_depth"), "{e:?}");
    assert!(e.message.contains("expression_depth is 64"), "{e:?}");
    let doc = doc_json(
        r#"[{"id": "s", "kind": "simple", "measure": "x"}, {"id": "d", "kind": "derived", "expression": "s * (2 + )"}]"#,
    );
    let err = Model::from_json(&doc).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(
        (p.code, p.path.as_str()),
        (Code::E_EXPRESSION, "$.metrics[1].expression")
    );
    assert!(p.message.contains("column 10"), "{}", p.message);
}

#[test]
fn versions_are_stable_and_follow_inputs() {
    let a = r#"[{"id": "s", "kind": "simple", "measure": "x"}, {"id": "d", "kind": "derived", "expression": "s * 2"}]"#;
    let b = r#"[{"id": "d", "kind": "derived", "expression": "s * 2"}, {"id": "s", "kind": "simple", "measure": "x"}]"#;
    let c = r#"[{"id": "s", "kind": "simple", "measure": "y"}, {"id": "d", "kind": "derived", "expression": "s * 2"}]"#;
    let v =
        |m: &str, id: &str| okpi::kpi::metric_version(&Model::from_json(&doc_json(m)).unwrap(), id).unwrap();
    // Input order does not matter; a changed input changes its dependants' versions.
    assert_eq!(v(a, "d"), v(b, "d"));
    assert_eq!(v(a, "s"), v(b, "s"));
    assert_ne!(v(a, "s"), v(c, "s"));
    assert_ne!(v(a, "d"), v(c, "d"));
    // The query reports the same version on every cell.
    let model = Model::from_json(&doc_json(a)).unwrap();
    let q: okpi::kpi::Query =
        serde_json::from_str(r#"{"metric": "d", "from": "2026-01-01", "to": "2026-03-31"}"#).unwrap();
    let r = okpi::kpi::query(&model, &q).unwrap();
    assert_eq!(r.cells.len(), 3);
    assert!(r
        .cells
        .iter()
        .all(|c| c.version == r.version && c.version == v(a, "d")));
    assert_eq!(r.cells[0].value, Some(2.0));
}

#[test]
fn document_round_trips_with_kpi_parts() {
    let model = Model::from_json(&doc_json(r#"[{"id": "s", "kind": "simple", "measure": "x"}]"#)).unwrap();
    let doc = model.to_document();
    assert_eq!(doc.metrics.len(), 1);
    assert_eq!(doc.observations.len(), 1);
    let again = Document::from_json(&doc.to_json()).unwrap();
    assert_eq!(again, doc);
    assert_eq!(doc.metrics[0].direction, Direction::HigherIsBetter);
}
