//! `kpi::query_units` gives, cell for cell, what `kpi::query` gives with the `unit` filter set to each unit in
//! turn: for every metric kind, grain and filter, on random trees and observations (with and without a unit).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;
use okpi::kpi::{query, query_units, query_units_matrix, Query};
use okpi::model::*;
use okpi::{Document, Model};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn metric(id: &str, kind: MetricKind) -> Metric {
    Metric {
        id: id.into(),
        kind,
        measure: None,
        agg: None,
        numerator: None,
        denominator: None,
        expression: None,
        metric: None,
        window: None,
        to_date: None,
        unit: None,
        direction: Direction::HigherIsBetter,
        grain: Grain::Month,
        changes: Vec::new(),
    }
}

fn document(parents: &[usize], obs: &[(usize, usize, u8, i32, bool)]) -> Document {
    let mut doc = Document::new();
    for (i, p) in parents.iter().enumerate() {
        // Unit i + 1's parent is one of the units before it: a tree rooted at u0.
        let parent = if i == 0 { None } else { Some(format!("u{}", p % i)) };
        doc.org_units.push(OrgUnit {
            id: format!("u{i}"),
            name: String::new(),
            parent,
            manager: None,
        });
    }
    for m in ["a", "b"] {
        doc.measures.push(Measure {
            id: m.into(),
            name: String::new(),
            unit: None,
        });
    }
    for (id, measure, agg) in [
        ("sa", "a", Agg::Sum),
        ("sb", "b", Agg::Sum),
        ("avg", "a", Agg::Avg),
        ("mn", "a", Agg::Min),
        ("mx", "b", Agg::Max),
        ("ls", "a", Agg::Last),
        ("ct", "b", Agg::Count),
    ] {
        doc.metrics.push(Metric {
            measure: Some(measure.into()),
            agg: Some(agg),
            ..metric(id, MetricKind::Simple)
        });
    }
    doc.metrics.push(Metric {
        numerator: Some("sa".into()),
        denominator: Some("sb".into()),
        ..metric("r", MetricKind::Ratio)
    });
    doc.metrics.push(Metric {
        expression: Some("sa / sa(offset 1) - ct".into()),
        ..metric("d", MetricKind::Derived)
    });
    doc.metrics.push(Metric {
        metric: Some("sa".into()),
        window: Some(2),
        ..metric("cw", MetricKind::Cumulative)
    });
    doc.metrics.push(Metric {
        metric: Some("avg".into()),
        to_date: Some(ToDate::QuarterToDate),
        ..metric("ct2", MetricKind::Cumulative)
    });
    for (i, &(u, m, d, v, region)) in obs.iter().enumerate() {
        let mut dims = BTreeMap::new();
        if u < parents.len() {
            dims.insert("unit".to_owned(), format!("u{u}"));
        }
        dims.insert(
            "region".to_owned(),
            if region { "east".into() } else { "west".into() },
        );
        doc.observations.push(Observation {
            measure: ["a", "b"][m % 2].into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i64::from(d)),
            // Decimals (not binary fractions), so the test sees the order in which sums add: a unit filter and
            // the tree pass must add a subtree in the same order to agree to the bit.
            value: f64::from(v) / 10.0,
            dims,
            source: Some(format!("s{i}")),
        });
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_unit_cell_equals_its_own_query(
        parents in prop::collection::vec(0usize..100, 1..9),
        obs in prop::collection::vec((0usize..10, 0usize..2, 0u8..120, -40i32..400, any::<bool>()), 0..60),
        metric in prop::sample::select(vec!["sa", "avg", "mn", "mx", "ls", "ct", "r", "d", "cw", "ct2"]),
        grain in prop::sample::select(vec![Grain::Day, Grain::Week, Grain::Month, Grain::Quarter]),
        region in any::<Option<bool>>(),
        under in prop::option::of(0usize..9),
    ) {
        let doc = document(&parents, &obs);
        let model = Model::new(doc.clone()).unwrap();
        let mut filters = BTreeMap::new();
        if let Some(r) = region {
            filters.insert("region".to_owned(), if r { "east".to_owned() } else { "west".to_owned() });
        }
        if let Some(u) = under {
            filters.insert("unit".to_owned(), format!("u{u}"));
        }
        let from = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, if grain == Grain::Day { 2 } else { 4 }, 10).unwrap();
        let q = {
            let mut v = Query::new(metric, from, to);
            v.grain = Some(grain);
            v.filters = filters;
            v.group_by = Vec::new();
            v
        };
        let all = query_units(&model, &q).unwrap();
        let listed: Vec<String> = match under {
            Some(u) if u < parents.len() => {
                model.org_units().map(|x| x.id.clone()).filter(|x| model.unit_chain(x).contains(&format!("u{u}").as_str())).collect()
            }
            Some(_) => Vec::new(),
            None => model.org_units().map(|x| x.id.clone()).collect(),
        };
        let mut expected = Vec::new();
        for u in &listed {
            let mut one = q.clone();
            one.filters.insert("unit".into(), u.clone());
            let r = query(&model, &one).unwrap();
            prop_assert_eq!(&r.version, &all.version);
            expected.push((u.clone(), r.cells));
        }
        let periods = expected.first().map_or(0, |(_, c)| c.len());
        prop_assert_eq!(all.cells.len(), periods * listed.len());
        for (i, cell) in all.cells.iter().enumerate() {
            let (u, cells) = &expected[i % listed.len()];
            let want = &cells[i / listed.len()];
            prop_assert_eq!(cell.group.get("unit").map(|x| x.as_str()), Some(u.as_str()));
            prop_assert_eq!((cell.period_start, cell.value, &cell.undefined), (want.period_start, want.value, &want.undefined));
        }
        // The matrix form holds the same values, units and periods.
        let m = query_units_matrix(&model, &q).unwrap();
        prop_assert_eq!(&m.version, &all.version);
        prop_assert_eq!(&m.units, &listed);
        prop_assert_eq!(m.values.len(), all.cells.len());
        for (v, cell) in m.values.iter().zip(&all.cells) {
            prop_assert_eq!(*v, cell.value);
        }
        let starts: Vec<NaiveDate> = all.cells.iter().step_by(listed.len().max(1)).map(|c| c.period_start).collect();
        if !listed.is_empty() {
            prop_assert_eq!(&m.periods, &starts);
        }
    }
}

#[test]
fn group_by_is_refused() {
    let model = Model::new(document(&[0, 0], &[])).unwrap();
    let q = {
        let mut v = Query::new(
            "sa",
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        );
        v.filters = BTreeMap::new();
        v.group_by = vec!["region".into()];
        v
    };
    let err = query_units(&model, &q).unwrap_err();
    assert_eq!(err.problems()[0].code.as_str(), "E_INVALID_VALUE");
}

/// `query_units` refuses what exceeds `series_length` (periods, or periods × units), as `query` does; it never
/// stops short with a partial table.
#[test]
fn query_units_refuses_what_exceeds_a_limit() {
    let text = r#"{"schema_version": 1,
        "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}, {"id": "west", "parent": "co"}],
        "measures": [{"id": "m"}], "metrics": [{"id": "s", "kind": "simple", "measure": "m"}],
        "observations": [{"measure": "m", "date": "2026-01-05", "value": 1, "dims": {"unit": "east"}}]}"#;
    let ask = |grain: Grain, from: (i32, u32, u32), to: (i32, u32, u32)| {
        let mut v = Query::new(
            "s",
            NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap(),
            NaiveDate::from_ymd_opt(to.0, to.1, to.2).unwrap(),
        );
        v.grain = Some(grain);
        v.filters = BTreeMap::new();
        v.group_by = Vec::new();
        v
    };
    // A daily table over 1800–2200 has ~146,000 periods: more than the default 100,000.
    let model = Model::from_json(text).unwrap();
    let err = query_units(&model, &ask(Grain::Day, (1800, 1, 1), (2200, 12, 31))).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.problems()[0].path.as_str()),
        ("E_LIMIT", "$.query.to")
    );
    let err = query(&model, &ask(Grain::Day, (1800, 1, 1), (2200, 12, 31))).unwrap_err();
    assert_eq!(err.code().as_str(), "E_LIMIT");
    // Under series_length 10: 3 months × 3 units = 9 cells pass, 4 months × 3 units = 12 are refused.
    let limits = {
        let mut v = okpi::Limits::default();
        v.series_length = 10;
        v
    };
    let model = Model::from_json_with_limits(text, &limits).unwrap();
    let r = query_units(&model, &ask(Grain::Month, (2026, 1, 1), (2026, 3, 31))).unwrap();
    assert_eq!(r.cells.len(), 9);
    let err = query_units(&model, &ask(Grain::Month, (2026, 1, 1), (2026, 4, 30))).unwrap_err();
    assert_eq!(err.code().as_str(), "E_LIMIT");
}

/// The zero-sum rule holds in the tree pass too: visits of 0.1 + 0.2 − 0.3 in a unit's subtree are 0 (written 0,
/// not −0, and 0 in a unit with none), so a conversion over them is undefined, not 5.4e16.
#[test]
fn query_units_sums_zero_in_decimals_to_zero() {
    let text = r#"{"schema_version": 1,
        "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}, {"id": "west", "parent": "co"}],
        "measures": [{"id": "orders"}, {"id": "visits"}],
        "metrics": [{"id": "o", "kind": "simple", "measure": "orders"},
                    {"id": "v", "kind": "simple", "measure": "visits"},
                    {"id": "conv", "kind": "ratio", "numerator": "o", "denominator": "v"}],
        "observations": [
            {"measure": "orders", "date": "2026-03-01", "value": 3, "dims": {"unit": "east"}},
            {"measure": "visits", "date": "2026-03-01", "value": 0.1, "dims": {"unit": "east"}},
            {"measure": "visits", "date": "2026-03-02", "value": 0.2, "dims": {"unit": "east"}},
            {"measure": "visits", "date": "2026-03-03", "value": -0.3, "dims": {"unit": "east"}}]}"#;
    let model = Model::from_json(text).unwrap();
    let ask = |metric: &str| {
        let mut v = Query::new(
            metric,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        );
        v.grain = Some(Grain::Month);
        v.filters = BTreeMap::new();
        v.group_by = Vec::new();
        v
    };
    let conv = query_units(&model, &ask("conv")).unwrap();
    assert!(conv.cells.iter().all(|c| c.value.is_none()), "{:?}", conv.cells);
    let visits = query_units(&model, &ask("v")).unwrap();
    for c in &visits.cells {
        let v = c.value.unwrap();
        assert!(v == 0.0 && v.is_sign_positive(), "{c:?}");
    }
}
