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

/// Observations handed in out of order: every repeat is found (naming the first of its kind in input order),
/// unknown measures and units are reported once per row, and problems come in row order.
#[test]
fn repeated_observations_are_found_in_any_order() {
    let row = |m: &str, d: &str, unit: &str, source: Option<&str>| {
        let mut o = format!(r#"{{"measure": "{m}", "date": "{d}", "value": 1, "dims": {{"unit": "{unit}"}}"#);
        if let Some(s) = source {
            o.push_str(&format!(r#", "source": "{s}""#));
        }
        o.push('}');
        o
    };
    let rows = [
        row("x", "2026-01-03", "a", None),        // 0
        row("x", "2026-01-01", "b", None),        // 1
        row("y", "2026-01-01", "a", None),        // 2: unknown measure
        row("x", "2026-01-03", "a", None),        // 3: repeats 0
        row("x", "2026-01-01", "b", Some("crm")), // 4: another source, fine
        row("y", "2026-01-01", "a", None),        // 5: unknown measure, repeats 2
        row("x", "2026-01-03", "a", None),        // 6: repeats 0
        row("x", "2026-01-02", "zz", None),       // 7: unknown unit
    ];
    let text = format!(
        r#"{{"schema_version": 1, "org_units": [{{"id": "a"}}, {{"id": "b"}}], "measures": [{{"id": "x"}}],
        "observations": [{}]}}"#,
        rows.join(",")
    );
    let err = Model::from_json(&text).unwrap_err();
    let got: Vec<(Code, &str, &str)> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.path.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Code::E_UNKNOWN_ID,
                "$.observations[2].measure",
                "observation of unknown measure y"
            ),
            (
                Code::E_DUPLICATE_OBSERVATION,
                "$.observations[3]",
                "observation repeats $.observations[0] (measure x, 2026-01-03, same dims and source)"
            ),
            (
                Code::E_UNKNOWN_ID,
                "$.observations[5].measure",
                "observation of unknown measure y"
            ),
            (
                Code::E_DUPLICATE_OBSERVATION,
                "$.observations[5]",
                "observation repeats $.observations[2] (measure y, 2026-01-01, same dims and source)"
            ),
            (
                Code::E_DUPLICATE_OBSERVATION,
                "$.observations[6]",
                "observation repeats $.observations[0] (measure x, 2026-01-03, same dims and source)"
            ),
            (
                Code::E_UNKNOWN_ID,
                "$.observations[7].dims.unit",
                "observation names unknown org unit zz"
            ),
        ]
    );
}

/// A bad observation row is refused at its path (with line and column), as any other item.
#[test]
fn a_bad_observation_row_names_its_path() {
    let good = r#"{"measure": "x", "date": "2026-01-01", "value": 1}"#;
    for (bad, path) in [
        (
            r#"{"measure": "x", "date": "2026-01-01", "value": 1, "dims": {"unit": 5}}"#,
            "$.observations[2].dims.unit",
        ),
        (
            r#"{"measure": "x", "date": "2026-02-30", "value": 1}"#,
            "$.observations[2].date",
        ),
        (
            r#"{"measure": "x", "date": "2026-01-01", "value": 1, "unit": "a"}"#,
            "$.observations[2].unit",
        ),
        (r#"{"measure": "x", "date": "2026-01-01"}"#, "$.observations[2]"),
        (
            r#"{"measure": "x", "date": "2026-01-01", "value": 1, "source": 7}"#,
            "$.observations[2].source",
        ),
    ] {
        let text = format!(
            r#"{{"schema_version": 1, "measures": [{{"id": "x"}}],
  "observations": [{good}, {good},
    {bad}]}}"#
        );
        let err = Document::from_json(&text).unwrap_err();
        let p = &err.problems()[0];
        assert_eq!(
            (p.code, p.path.as_str(), p.line),
            (Code::E_PARSE, path, Some(3)),
            "{bad}"
        );
    }
}

/// The model holds observations in one order whatever the input order: its document and its numbers agree.
#[test]
fn observation_order_does_not_matter() {
    let rows: Vec<String> = (0..40)
        .map(|i| {
            format!(
                r#"{{"measure": "{}", "date": "2026-01-{:02}", "value": {}.{}, "dims": {{"unit": "{}"}}{}}}"#,
                ["x", "y"][i % 2],
                1 + i % 28,
                i * 13 % 17,
                i % 10,
                ["a", "b", "c"][i % 3],
                if i % 5 == 0 { r#", "source": "crm""# } else { "" }
            )
        })
        .collect();
    let doc = |rows: &[String]| {
        format!(
            r#"{{"schema_version": 1, "org_units": [{{"id": "a"}}, {{"id": "b", "parent": "a"}}, {{"id": "c", "parent": "a"}}],
            "measures": [{{"id": "y"}}, {{"id": "x"}}], "observations": [{}]}}"#,
            rows.join(",")
        )
    };
    let mut reversed = rows.clone();
    reversed.reverse();
    let one = Model::from_json(&doc(&rows)).unwrap().to_document();
    let two = Model::from_json(&doc(&reversed)).unwrap().to_document();
    assert_eq!(one.to_json(), two.to_json());
    let listed: Vec<(String, chrono::NaiveDate)> = one
        .observations
        .iter()
        .map(|o| (o.measure.to_owned(), o.date))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "by measure id, then date");
}
