//! The alert workload: one daily series per measure and unit (the observed values, with a rare gap) and one rule
//! watching it, of every condition kind.

use crate::kpi::{value, MEASURES};
use crate::org::unit_id;
use crate::rng::{hash_unit, Rng};
use crate::{day, Size};
use okpi::alert::{AlertDirection, AlertObservation, Condition, NoDataPolicy, Rule, Threshold};
use okpi::model::Grain;

/// One alert rule and the series it watches.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The rule.
    pub rule: Rule,
    /// One observation a day over the quarter (`None` where the feed had a gap).
    pub observations: Vec<AlertObservation>,
}

fn threshold(value: f64, recovery: Option<f64>) -> Threshold {
    Threshold {
        value: Some(value),
        recovery,
        lo: None,
        hi: None,
    }
}

/// Every measure × unit series of `size` with its rule. The mix of conditions: 30 % `above` with recovery and
/// `for`, 20 % `below`, 10 % `outside`, 10 % `below_target`, 10 % `change_pct`, 10 % `trend`, 10 % `anomaly`.
pub fn alert_series(size: Size, seed: u64) -> Vec<Series> {
    let shape = size.shape();
    let mut rng = Rng::new(seed ^ 0xa1e7_5e71);
    let mut out = Vec::with_capacity(shape.alert_series());
    for (m, (measure, _, _)) in MEASURES.iter().enumerate().take(shape.measures) {
        for u in 0..shape.units {
            let observations: Vec<AlertObservation> = (0..shape.days)
                .map(|d| AlertObservation {
                    date: day(d as u64),
                    value: (hash_unit(seed ^ 0x9a9, m as u64, u as u64, d as u64) >= 0.005)
                        .then(|| value(seed, m, u, d)),
                })
                .collect();
            let level = (0..7).map(|d| value(seed, m, u, d)).sum::<f64>() / 7.0;
            let mut rule = Rule {
                id: format!("a-{measure}-{}", unit_id(u)),
                metric: (*measure).into(),
                scope: unit_id(u),
                grain: Grain::Day,
                condition: Condition::Above,
                warning: None,
                critical: None,
                for_: 0,
                keep_firing_for: 0,
                no_data: NoDataPolicy::NoData,
                direction: None,
            };
            match rng.below(10) {
                0..=2 => {
                    rule.warning = Some(threshold(level * 1.35, Some(level * 1.25)));
                    rule.critical = Some(threshold(level * 1.6, Some(level * 1.45)));
                    rule.for_ = 1;
                    rule.keep_firing_for = 1;
                }
                3 | 4 => {
                    rule.condition = Condition::Below;
                    rule.critical = Some(threshold(level * 0.7, Some(level * 0.75)));
                    rule.no_data = NoDataPolicy::KeepLast;
                }
                5 => {
                    rule.condition = Condition::Outside;
                    rule.warning = Some(Threshold {
                        lo: Some(level * 0.7),
                        hi: Some(level * 1.35),
                        ..Default::default()
                    });
                    rule.critical = Some(Threshold {
                        lo: Some(level * 0.6),
                        hi: Some(level * 1.6),
                        ..Default::default()
                    });
                }
                6 => {
                    rule.condition = Condition::BelowTarget {
                        target: level,
                        direction: AlertDirection::HigherIsBetter,
                    };
                    rule.warning = Some(threshold(0.75, Some(0.8)));
                    rule.for_ = 2;
                }
                7 => {
                    rule.condition = Condition::ChangePct { offset: 7 };
                    rule.warning = Some(threshold(40.0, None));
                    rule.critical = Some(threshold(60.0, None));
                }
                8 => {
                    rule.condition = Condition::Trend { n: 7 };
                    rule.warning = Some(threshold(level * 0.08, None));
                    rule.direction = Some(AlertDirection::HigherIsBetter);
                }
                _ => {
                    rule.condition = Condition::Anomaly { window: 14 };
                    rule.warning = Some(threshold(3.0, None));
                    rule.critical = Some(threshold(5.0, None));
                    rule.no_data = NoDataPolicy::Ok;
                }
            }
            out.push(Series { rule, observations });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_valid_rule_per_measure_and_unit() {
        let all = alert_series(Size::Org1k, 3);
        let shape = Size::Org1k.shape();
        assert_eq!(all.len(), shape.alert_series());
        for s in &all {
            assert_eq!(s.observations.len(), shape.days);
            let problems = okpi::alert::validate_rule(&s.rule, "$");
            assert!(problems.is_empty(), "{:?}: {problems:?}", s.rule);
        }
        let events: usize = all
            .iter()
            .map(|s| {
                okpi::alert::evaluate_series(&s.rule, Default::default(), &s.observations)
                    .1
                    .len()
            })
            .sum();
        assert!(events > 0, "the workload must make alerts fire");
    }
}
