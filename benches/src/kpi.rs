//! The KPI side: twenty measures observed daily in every unit, their metrics (simple, ratio, derived,
//! cumulative), three targets and one scorecard per unit, and alert rules on the upper levels of the tree.

use crate::okr::unit_objective_id;
use crate::org::{unit_id, Tree};
use crate::rng::{hash_unit, Rng};
use crate::{day, Shape, QUARTER};
use okpi::alert::Rule;
use okpi::model::{
    Agg, Band, Curve, Direction, Grain, Measure, Metric, MetricKind, ObservationRef, Scope, Scorecard,
    ScorecardItem, Target, TargetChange, ToDate,
};
use okpi::Document;
use std::collections::BTreeMap;

/// The measures, with the aggregation of the simple metric of the same id and a typical daily value per unit.
pub const MEASURES: [(&str, Agg, f64); 20] = [
    ("revenue", Agg::Sum, 5_000.0),
    ("orders", Agg::Sum, 120.0),
    ("visits", Agg::Sum, 4_000.0),
    ("signups", Agg::Sum, 60.0),
    ("active_users", Agg::Last, 2_000.0),
    ("tickets", Agg::Sum, 40.0),
    ("tickets_resolved", Agg::Sum, 36.0),
    ("response_minutes", Agg::Avg, 30.0),
    ("defects", Agg::Sum, 3.0),
    ("deploys", Agg::Sum, 5.0),
    ("cost", Agg::Sum, 3_000.0),
    ("headcount", Agg::Last, 20.0),
    ("hires", Agg::Sum, 0.3),
    ("attrition", Agg::Sum, 0.1),
    ("training_hours", Agg::Sum, 8.0),
    ("leads", Agg::Sum, 90.0),
    ("deals", Agg::Sum, 9.0),
    ("churned", Agg::Sum, 2.0),
    ("uptime_minutes", Agg::Sum, 1_430.0),
    ("backlog", Agg::Max, 150.0),
];

/// The value of measure `m` in unit `u` on day `d` of the quarter: a unit-specific level, a weekly rhythm, noise,
/// and a rare spike. Alert series read the same function, so they see the observed numbers.
pub fn value(seed: u64, m: usize, u: usize, d: usize) -> f64 {
    let (_, _, typical) = MEASURES.get(m).copied().unwrap_or(("", Agg::Sum, 1.0));
    let level = typical * (0.5 + hash_unit(seed, m as u64, u as u64, u64::MAX));
    let week = 1.0 + 0.2 * (std::f64::consts::TAU * d as f64 / 7.0).sin();
    let r = hash_unit(seed, m as u64, u as u64, d as u64);
    let spike = if r > 0.99 { 1.8 } else { 1.0 };
    let v = level * week * (0.9 + 0.2 * r) * spike;
    (v * 100.0).round() / 100.0
}

/// Fills measures, metrics, observations, targets, scorecards and alert rules.
pub fn fill(doc: &mut Document, tree: &Tree, shape: &Shape, seed: u64) {
    let mut rng = Rng::new(seed ^ 0x0c0f_fee5);
    doc.measures = MEASURES
        .iter()
        .map(|(id, _, _)| Measure {
            id: (*id).into(),
            name: id.replace('_', " "),
            unit: None,
        })
        .collect();
    doc.metrics = metrics();
    // Date-major, as a daily feed arrives. Each unit's dims are made once: the columns code them, so a row is
    // pushed without allocating.
    let dims: Vec<BTreeMap<String, String>> = (0..tree.len())
        .map(|u| BTreeMap::from([("unit".to_owned(), unit_id(u))]))
        .collect();
    doc.observations.reserve(shape.observations());
    for d in 0..shape.days {
        for (m, (measure, _, _)) in MEASURES.iter().enumerate().take(shape.measures) {
            for (u, dims) in dims.iter().enumerate() {
                doc.observations.push_ref(ObservationRef {
                    measure,
                    date: day(d as u64),
                    value: value(seed, m, u, d),
                    dims,
                    source: None,
                });
            }
        }
    }
    targets_and_scorecards(doc, tree, seed, &mut rng);
    doc.alert_rules = alert_rules(tree, seed);
}

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

fn metrics() -> Vec<Metric> {
    let lower = [
        "response_minutes",
        "defects",
        "cost",
        "attrition",
        "churned",
        "backlog",
    ];
    let mut out: Vec<Metric> = MEASURES
        .iter()
        .map(|(id, agg, _)| Metric {
            measure: Some((*id).into()),
            agg: (*agg != Agg::Sum).then_some(*agg),
            direction: if lower.contains(id) {
                Direction::LowerIsBetter
            } else {
                Direction::HigherIsBetter
            },
            ..metric(id, MetricKind::Simple)
        })
        .collect();
    out.push(Metric {
        numerator: Some("orders".into()),
        denominator: Some("visits".into()),
        unit: Some("%".into()),
        ..metric("conversion", MetricKind::Ratio)
    });
    out.push(Metric {
        numerator: Some("tickets_resolved".into()),
        denominator: Some("tickets".into()),
        direction: Direction::Band { lo: 0.8, hi: 1.0 },
        ..metric("resolution_rate", MetricKind::Ratio)
    });
    out.push(Metric {
        expression: Some("revenue / revenue(offset 1) - 1".into()),
        ..metric("revenue_mom", MetricKind::Derived)
    });
    out.push(Metric {
        expression: Some("(revenue - cost) / revenue".into()),
        ..metric("margin", MetricKind::Derived)
    });
    out.push(Metric {
        metric: Some("revenue".into()),
        to_date: Some(ToDate::QuarterToDate),
        ..metric("revenue_qtd", MetricKind::Cumulative)
    });
    out.push(Metric {
        metric: Some("signups".into()),
        window: Some(3),
        grain: Grain::Week,
        ..metric("signups_3w", MetricKind::Cumulative)
    });
    out
}

/// The metrics units are scored on, with their curves.
const SCORED: [&str; 6] = [
    "revenue",
    "orders",
    "conversion",
    "resolution_rate",
    "response_minutes",
    "margin",
];

fn targets_and_scorecards(doc: &mut Document, tree: &Tree, seed: u64, rng: &mut Rng) {
    let days_to_as_of = 80.0;
    for u in 0..tree.len() {
        let mut items = Vec::new();
        for k in 0..3 {
            let metric = SCORED
                .get((u + 2 * k) % SCORED.len())
                .copied()
                .unwrap_or("revenue");
            let id = format!("t{u:05}-{metric}");
            // A target near what the unit's subtree will deliver, so achievements bunch around 1.
            let subtree = tree.size.get(u).copied().unwrap_or(1) as f64;
            let daily = MEASURES
                .iter()
                .position(|(m, _, _)| *m == metric)
                .map(|m| (0..7).map(|d| value(seed, m, u, d)).sum::<f64>() / 7.0);
            let (target, curve) = match (metric, daily) {
                ("conversion", _) => (0.03, Curve::Binary),
                ("resolution_rate", _) => (0.9, Curve::default()),
                ("margin", _) => (0.4, Curve::default()),
                ("response_minutes", Some(v)) => (v * rng.range(0.9, 1.2), Curve::default()),
                (_, Some(v)) => (v * subtree * days_to_as_of * rng.range(0.85, 1.15), curve(rng)),
                _ => (1.0, Curve::default()),
            };
            let tts = matches!(curve, Curve::ThresholdTargetStretch { .. });
            doc.targets.push(Target {
                id: id.clone(),
                metric: metric.into(),
                scope: Scope::Unit(unit_id(u)),
                cycle: QUARTER.into(),
                threshold: tts.then_some(target * 0.8),
                target,
                stretch: tts.then_some(target * 1.2),
                weight: 1.0,
                curve,
                formula: Default::default(),
                decimals: Some(1),
                locked_at: Some(day(7)),
                // Targets of the top four levels support a key result of the root's objectives: the strategy
                // view's workload (each with the document's alert rules on its metric × unit).
                supports: if tree.level.get(u).is_some_and(|&l| l <= 3) {
                    vec![format!(
                        "{}-k{}",
                        unit_objective_id(0, 1 + (u + k) % 2),
                        (u + k) % 3
                    )]
                } else {
                    Vec::new()
                },
                changes: if rng.chance(0.02) {
                    vec![TargetChange {
                        on: day(50),
                        reason: Some("market shift".into()),
                        threshold: None,
                        target: Some(target * 0.95),
                        stretch: None,
                    }]
                } else {
                    Vec::new()
                },
            });
            items.push(ScorecardItem {
                target: id,
                weight: [40.0, 30.0, 30.0].get(k).copied().unwrap_or(30.0),
            });
        }
        doc.scorecards.push(Scorecard {
            id: format!("sc{u:05}"),
            subject: Scope::Unit(unit_id(u)),
            items,
            okr: None,
            grades: None,
            group: Some(format!("level-{}", tree.level.get(u).copied().unwrap_or(0))),
            decimals: Some(1),
        });
    }
}

fn curve(rng: &mut Rng) -> Curve {
    match rng.unit() {
        x if x < 0.6 => Curve::Linear {
            floor: 0.0,
            cap: 120.0,
        },
        x if x < 0.85 => Curve::ThresholdTargetStretch {
            at_threshold: 50.0,
            at_target: 100.0,
            at_stretch: 150.0,
        },
        _ => Curve::Bands(vec![
            Band {
                min_a: 0.8,
                score: 60.0,
            },
            Band {
                min_a: 1.0,
                score: 100.0,
            },
            Band {
                min_a: 1.1,
                score: 120.0,
            },
        ]),
    }
}

/// Three daily rules for each unit of the top three levels: revenue falling, backlog high, response time rising.
fn alert_rules(tree: &Tree, seed: u64) -> Vec<Rule> {
    let mut out = Vec::new();
    for u in (0..tree.len()).filter(|&u| tree.level.get(u).is_some_and(|&l| l <= 2)) {
        let scale = tree.size.get(u).copied().unwrap_or(1) as f64;
        let backlog = MEASURES.iter().position(|m| m.0 == "backlog").unwrap_or(0);
        let high = (0..7).map(|d| value(seed, backlog, u, d)).fold(0.0, f64::max) * 1.3;
        let json = serde_json::json!([
            {"id": format!("r{u:05}-revenue"), "metric": "revenue", "scope": unit_id(u), "grain": "day",
             "condition": {"change_pct": {"offset": 7}}, "warning": {"value": 15.0}, "critical": {"value": 30.0}},
            {"id": format!("r{u:05}-backlog"), "metric": "backlog", "scope": unit_id(u), "grain": "day",
             "condition": "above", "critical": {"value": high, "recovery": high * 0.9}, "for": 1},
            {"id": format!("r{u:05}-response"), "metric": "response_minutes", "scope": unit_id(u), "grain": "week",
             "condition": {"trend": {"n": 4}}, "warning": {"value": 0.5 * scale.sqrt()},
             "direction": "lower_is_better"},
        ]);
        if let Ok(rules) = serde_json::from_value::<Vec<Rule>>(json) {
            out.extend(rules);
        }
    }
    out
}
