//! Property tests of the alert state machine: batch equals folding `step`, resuming from a stored state equals
//! one unbroken run, and a series that never crosses a threshold emits nothing.

// Helpers of a test file may unwrap and index like the tests themselves (clippy.toml only covers `#[test]`).
#![allow(clippy::unwrap_used)]

use chrono::{Duration, NaiveDate};
use okpi::alert::*;
use okpi::model::Grain;
use proptest::prelude::*;

fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(n as i64)
}

/// Values are multiples of 0.5 so that they survive JSON exactly.
fn value() -> impl Strategy<Value = f64> {
    (-40i32..120).prop_map(|k| f64::from(k) * 0.5)
}

fn series(missing: bool) -> impl Strategy<Value = Vec<AlertObservation>> {
    let point = if missing {
        prop::option::weighted(0.85, value()).boxed()
    } else {
        value().prop_map(Some).boxed()
    };
    prop::collection::vec(point, 0..40).prop_map(|vs| {
        vs.into_iter()
            .enumerate()
            .map(|(i, value)| AlertObservation { date: day(i), value })
            .collect()
    })
}

fn base(condition: Condition) -> Rule {
    Rule {
        id: "r".into(),
        metric: "m".into(),
        scope: "s".into(),
        grain: Grain::Day,
        condition,
        warning: None,
        critical: None,
        for_: 0,
        keep_firing_for: 0,
        no_data: NoDataPolicy::NoData,
        direction: None,
    }
}

fn num(value: f64, recovery: Option<f64>) -> Threshold {
    Threshold {
        value: Some(value),
        recovery,
        ..Threshold::default()
    }
}

fn band(lo: f64, hi: f64) -> Threshold {
    Threshold {
        lo: Some(lo),
        hi: Some(hi),
        ..Threshold::default()
    }
}

fn policy() -> impl Strategy<Value = NoDataPolicy> {
    prop::sample::select(vec![
        NoDataPolicy::NoData,
        NoDataPolicy::Alerting,
        NoDataPolicy::Ok,
        NoDataPolicy::KeepLast,
    ])
}

/// Any valid rule: every condition, one or both severities, recoveries, counts, policies and directions.
fn rule() -> impl Strategy<Value = Rule> {
    (
        0u8..8,
        1i64..5,
        (0.0..40.0f64, 0.0..20.0f64, 0.0..10.0f64),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        (0i64..3, 0i64..3, policy(), any::<bool>()),
    )
        .prop_map(
            |(kind, k, (t, gap, rec), (warn, crit, with_rec, lower), (f, keep, nd, _))| {
                let direction = if lower {
                    AlertDirection::LowerIsBetter
                } else {
                    AlertDirection::HigherIsBetter
                };
                let condition = match kind {
                    0 => Condition::Above,
                    1 => Condition::Below,
                    2 => Condition::Outside,
                    3 => Condition::Inside,
                    4 => Condition::BelowTarget {
                        target: 10.0 + t,
                        direction,
                    },
                    5 => Condition::ChangePct { offset: k },
                    6 => Condition::Trend { n: k + 1 },
                    _ => Condition::Anomaly { window: k + 2 },
                };
                let mut r = base(condition.clone());
                let r_opt = |x: f64| with_rec.then_some(x);
                let (w, c) = match condition {
                    Condition::Above => (num(t, r_opt(t - rec)), num(t + gap, r_opt(t + gap - rec))),
                    Condition::Below => (num(t + gap, r_opt(t + gap + rec)), num(t, r_opt(t + rec))),
                    Condition::Outside => (band(10.0, 10.0 + t + 1.0), band(10.0 - gap, 11.0 + t + gap)),
                    Condition::Inside => (band(-5.0, t + 1.0), band(0.0, t / 2.0 + 1.0)),
                    Condition::BelowTarget { .. } => {
                        let (a, b) = (t / 40.0, gap / 40.0);
                        (
                            num(a + b, r_opt(a + b + rec / 20.0)),
                            num(a, r_opt(a + rec / 20.0)),
                        )
                    }
                    Condition::ChangePct { .. } => {
                        (num(t, r_opt(t - rec)), num(t + gap, r_opt(t + gap - rec)))
                    }
                    Condition::Trend { .. } => (num(t / 10.0, None), num((t + gap) / 10.0, None)),
                    Condition::Anomaly { .. } => {
                        (num(t / 10.0, r_opt(t / 20.0)), num((t + gap) / 10.0, None))
                    }
                    _ => unreachable!("the strategy builds only the conditions above"),
                };
                r.warning = (warn || !crit).then_some(w);
                r.critical = crit.then_some(c);
                r.for_ = f;
                r.keep_firing_for = keep;
                r.no_data = nd;
                r.direction = Some(direction);
                r
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_rules_are_valid(r in rule()) {
        let problems = validate_rule(&r, "$");
        prop_assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn batch_equals_folding_step(r in rule(), s in series(true)) {
        let (batch_state, batch_events) = evaluate_series(&r, State::default(), &s);
        let mut state = State::default();
        let mut events = Vec::new();
        for obs in &s {
            let (next, evs) = step(&r, state, obs);
            state = next;
            events.extend(evs);
        }
        prop_assert_eq!(batch_state, state);
        prop_assert_eq!(batch_events, events);
    }

    #[test]
    fn resuming_from_stored_state_equals_one_run(r in rule(), s in series(true), cut in any::<prop::sample::Index>()) {
        let at = cut.index(s.len() + 1);
        let (whole_state, whole_events) = evaluate_series(&r, State::default(), &s);
        let (mid, mut events) = evaluate_series(&r, State::default(), &s[..at]);
        let stored = serde_json::to_string(&mid).unwrap();
        let resumed: State = serde_json::from_str(&stored).unwrap();
        prop_assert_eq!(&resumed, &mid);
        let (end, rest) = evaluate_series(&r, resumed, &s[at..]);
        events.extend(rest);
        prop_assert_eq!(end, whole_state);
        prop_assert_eq!(events, whole_events);
    }

    #[test]
    fn history_is_bounded(r in rule(), s in series(true)) {
        let (state, _) = evaluate_series(&r, State::default(), &s);
        prop_assert!(state.history.len() <= r.history_len());
    }

    #[test]
    fn no_crossing_no_event(
        kind in 0u8..3,
        t in 0.0..40.0f64,
        gap in 0.0..10.0f64,
        offsets in prop::collection::vec(0.0..1.0f64, 0..40),
        f in 0i64..3,
        keep in 0i64..3,
        nd in policy(),
    ) {
        // Values stay on the safe side of both thresholds (equality is not a breach).
        let (condition, warning, critical, at): (Condition, Threshold, Threshold, Box<dyn Fn(f64) -> f64>) =
            match kind {
                0 => (Condition::Above, num(t, None), num(t + gap, None), Box::new(move |u| t - 30.0 * u)),
                1 => (Condition::Below, num(t + gap, None), num(t, None), Box::new(move |u| t + gap + 30.0 * u)),
                _ => (
                    Condition::Outside,
                    band(t, t + gap + 1.0),
                    band(t - 5.0, t + gap + 6.0),
                    Box::new(move |u| t + u * (gap + 1.0)),
                ),
            };
        let mut r = base(condition);
        r.warning = Some(warning);
        r.critical = Some(critical);
        r.for_ = f;
        r.keep_firing_for = keep;
        r.no_data = nd;
        let s: Vec<AlertObservation> = offsets
            .iter()
            .enumerate()
            .map(|(i, u)| AlertObservation { date: day(i), value: Some(at(*u)) })
            .collect();
        let (state, events) = evaluate_series(&r, State::default(), &s);
        prop_assert!(events.is_empty(), "{events:?}");
        prop_assert_eq!(state.status, AlertStatus::Normal);
    }

    #[test]
    fn constant_series_never_breaches_change_trend_anomaly(r in rule(), v in 1i32..100, len in 0usize..30) {
        prop_assume!(matches!(r.condition, Condition::ChangePct { .. } | Condition::Trend { .. } | Condition::Anomaly { .. }));
        let s: Vec<AlertObservation> = (0..len)
            .map(|i| AlertObservation { date: day(i), value: Some(f64::from(v)) })
            .collect();
        let (_, events) = evaluate_series(&r, State::default(), &s);
        prop_assert!(events.is_empty(), "{events:?}");
    }
}
