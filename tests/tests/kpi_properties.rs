//! Property tests of the KPI engine: curves are monotone, scorecard totals are bounded by their curves' caps,
//! and sub-unit sums add up to the parent.

// Test helpers may unwrap and index: a failing test is supposed to panic (clippy.toml allows it only
// inside #[test] functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use chrono::NaiveDate;
use okpi::kpi::{cap, curve_score, tts_score, Levels, Query, ScorecardRequest};
use okpi::model::*;
use okpi::{Document, Model};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn curve_strategy() -> impl Strategy<Value = Curve> {
    prop_oneof![
        (-50.0..50.0f64, 50.0..200.0f64).prop_map(|(floor, cap)| Curve::Linear { floor, cap }),
        (0.0..60.0f64, 60.0..110.0f64, 110.0..200.0f64).prop_map(|(a, b, c)| Curve::ThresholdTargetStretch {
            at_threshold: a,
            at_target: b,
            at_stretch: c
        }),
        prop::collection::vec((0.0..2.0f64, 0.0..150.0f64), 0..5).prop_map(|v| {
            // Scores must not fall as min_a rises for a bands curve to be monotone: sort both.
            let mut mins: Vec<f64> = v.iter().map(|x| x.0).collect();
            let mut scores: Vec<f64> = v.iter().map(|x| x.1).collect();
            mins.sort_by(f64::total_cmp);
            scores.sort_by(f64::total_cmp);
            Curve::Bands(
                mins.into_iter()
                    .zip(scores)
                    .map(|(min_a, score)| Band { min_a, score })
                    .collect(),
            )
        }),
        Just(Curve::Binary),
    ]
}

proptest! {
    #[test]
    fn curves_are_monotone_in_achievement(curve in curve_strategy(), a in -1.0..3.0f64, d in 0.0..2.0f64) {
        let lo = curve_score(&curve, a);
        let hi = curve_score(&curve, a + d);
        prop_assert!(hi >= lo - 1e-9, "{curve:?}: score({a}) = {lo} > score({}) = {hi}", a + d);
        prop_assert!(hi <= cap(&curve, false).max(cap(&curve, true)) + 1e-9);
    }

    #[test]
    fn tts_is_monotone_in_the_good_direction(
        curve in curve_strategy().prop_filter("tts", |c| matches!(c, Curve::ThresholdTargetStretch { .. })),
        t0 in -100.0..0.0f64, gap1 in 0.1..100.0f64, gap2 in prop::option::of(0.1..100.0f64),
        x in -300.0..300.0f64, d in 0.0..50.0f64, lower: bool,
    ) {
        let s = if lower { -1.0 } else { 1.0 };
        let l = Levels { threshold: Some(s * t0), target: s * (t0 + gap1), stretch: gap2.map(|g| s * (t0 + gap1 + g)) };
        // Moving the actual in the good direction never lowers the score.
        let a = tts_score(&curve, lower, s * x, l);
        let b = tts_score(&curve, lower, s * (x + d), l);
        prop_assert!(b >= a - 1e-9, "score {a} then {b}");
        prop_assert!(b <= cap(&curve, l.stretch.is_some()) + 1e-9);
    }

    #[test]
    fn scorecard_totals_are_bounded_by_caps(
        items in prop::collection::vec((0.0..500.0f64, 1.0..300.0f64, 1u32..10, curve_strategy()), 1..5),
    ) {
        let mut doc = Document::new();
        doc.cycles.push(Cycle { id: "q1".into(), start: day(2026, 1, 1), end: day(2026, 3, 31), parent: None });
        doc.org_units.push(OrgUnit { id: "u".into(), name: String::new(), parent: None, manager: None });
        let mut weights: Vec<f64> = items.iter().map(|(_, _, w, _)| f64::from(*w)).collect();
        let sum: f64 = weights.iter().sum();
        // Integer percentages summing exactly to 100: scale, floor, give the rest to the first item.
        weights = weights.iter().map(|w| (w * 100.0 / sum).floor()).collect();
        let rest = 100.0 - weights.iter().sum::<f64>();
        weights[0] += rest;
        let mut max_cap: f64 = 0.0;
        let mut sc_items = Vec::new();
        for (i, ((actual, target, _, curve), w)) in items.iter().zip(&weights).enumerate() {
            doc.measures.push(Measure { id: format!("m{i}"), name: String::new(), unit: None });
            doc.metrics.push(Metric {
                id: format!("k{i}"), kind: MetricKind::Simple, measure: Some(format!("m{i}")), agg: None,
                numerator: None, denominator: None, expression: None, metric: None, window: None, to_date: None,
                unit: None, direction: Direction::HigherIsBetter, grain: Grain::Month, changes: Vec::new(),
            });
            doc.observations.push(Observation {
                measure: format!("m{i}"), date: day(2026, 2, 1), value: *actual,
                dims: BTreeMap::from([("unit".to_owned(), "u".to_owned())]), source: None,
            });
            doc.targets.push(Target {
                id: format!("t{i}"), metric: format!("k{i}"), scope: Scope::Unit("u".into()), cycle: "q1".into(),
                threshold: Some(target * 0.8), target: *target, stretch: Some(target * 1.2), weight: 1.0,
                curve: curve.clone(), formula: Formula::Inverse, decimals: None, locked_at: None, changes: Vec::new(),
                supports: Vec::new(),
            });
            max_cap = max_cap.max(cap(curve, true));
            sc_items.push(ScorecardItem { target: format!("t{i}"), weight: *w });
        }
        doc.scorecards.push(Scorecard {
            id: "s".into(), subject: Scope::Unit("u".into()), items: sc_items, okr: None, grades: None, group: None,
            decimals: None,
        });
        let model = Model::new(doc.clone()).unwrap();
        let r = okpi::hybrid::scorecards(&model, &ScorecardRequest::new(day(2026, 3, 31))).unwrap();
        let total = r.scorecards[0].total.expect("every item has observations, so the total is defined");
        let min_floor = items.iter().map(|(_, _, _, c)| match c { Curve::Linear { floor, .. } => floor.min(0.0), _ => 0.0 })
            .fold(0.0, f64::min);
        prop_assert!(total <= max_cap + 1e-9, "total {total} above the largest cap {max_cap}");
        prop_assert!(total >= min_floor - 1e-9, "total {total} below the lowest floor {min_floor}");
    }

    #[test]
    fn sub_unit_sums_add_up_to_the_parent(
        obs in prop::collection::vec((0usize..4, 1u32..=90, -1000.0..1000.0f64), 0..40),
        grain in prop::sample::select(vec![Grain::Day, Grain::Week, Grain::Month, Grain::Quarter]),
    ) {
        // root → {a, b}; a → {a1}. The root's value = its own + a's subtree + b's subtree.
        let units = [("root", None), ("a", Some("root")), ("b", Some("root")), ("a1", Some("a"))];
        let mut doc = Document::new();
        for (id, parent) in units {
            doc.org_units.push(OrgUnit { id: id.into(), name: String::new(), parent: parent.map(Into::into), manager: None });
        }
        doc.measures.push(Measure { id: "m".into(), name: String::new(), unit: None });
        doc.metrics.push(Metric {
            id: "s".into(), kind: MetricKind::Simple, measure: Some("m".into()), agg: Some(Agg::Sum),
            numerator: None, denominator: None, expression: None, metric: None, window: None, to_date: None,
            unit: None, direction: Direction::HigherIsBetter, grain: Grain::Month, changes: Vec::new(),
        });
        for (i, (u, d, v)) in obs.iter().enumerate() {
            doc.observations.push(Observation {
                measure: "m".into(), date: day(2026, 1, 1) + chrono::Duration::days(i64::from(*d) - 1), value: *v,
                dims: BTreeMap::from([("unit".to_owned(), units[*u].0.to_owned())]), source: Some(format!("s{i}")),
            });
        }
        let model = Model::new(doc.clone()).unwrap();
        let run = |unit: &str| {
            let q = {
                let mut v = Query::new("s", day(2026, 1, 1), day(2026, 3, 31));
                v.grain = Some(grain);
                v.filters = BTreeMap::from([("unit".to_owned(), unit.to_owned())]);
                v.group_by = Vec::new();
                v
            };
            okpi::kpi::query(&model, &q).unwrap().cells.into_iter().map(|c| c.value.unwrap()).collect::<Vec<f64>>()
        };
        let own: Vec<f64> = {
            let mut doc2 = doc.clone();
            doc2.observations.retain(|o| o.dims.get("unit").map(String::as_str) == Some("root"));
            let m2 = Model::new(doc2.clone()).unwrap();
            let q = {
                let mut v = Query::new("s", day(2026, 1, 1), day(2026, 3, 31));
                v.grain = Some(grain);
                v.filters = BTreeMap::new();
                v.group_by = Vec::new();
                v
            };
            okpi::kpi::query(&m2, &q).unwrap().cells.into_iter().map(|c| c.value.unwrap()).collect()
        };
        let (root, a, b) = (run("root"), run("a"), run("b"));
        prop_assert_eq!(root.len(), a.len());
        for i in 0..root.len() {
            prop_assert!((root[i] - (own[i] + a[i] + b[i])).abs() < 1e-6, "period {i}: {} vs {} + {} + {}", root[i], own[i], a[i], b[i]);
        }
    }
}
