//! DOMAIN.md §0 against an exact reference: for every comparison of a computed quantity with a boundary, cases
//! whose decimal arithmetic lands exactly on the boundary, and one unit in the last decimal place either side
//! (10,000 generated boundaries per comparison, three cases each), checked against rationals; forced
//! distribution against an exact largest remainder for every group size 1–500 and several share sets.

// Test helpers may unwrap and index: a failing test is supposed to panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod exact;

use chrono::{Duration, NaiveDate};
use exact::{Dec, Q};
use okpi::alert::{evaluate_series, AlertObservation, Rule, State};
use okpi::kpi::{achievement, curve_score, grade, seats, Query, Scoring};
use okpi::model::{Band, Curve, Cycle, Direction, Formula, GradeBand, KrKind};
use okpi::okr::{expected, kr_progress, mean_confidence_band, status, StatusInput};
use okpi::report::{ConfidenceBand, Status};
use okpi::Settings;
use proptest::prelude::*;

const CASES: u32 = 10_000;

/// A decimal with 0–`max_scale` places and a mantissa in `lo..hi` (scaled to the places).
fn dec(lo: i64, hi: i64, max_scale: u32) -> impl Strategy<Value = Dec> {
    (0..=max_scale).prop_flat_map(move |scale| {
        let p = 10i64.pow(scale);
        (lo * p..hi * p).prop_map(move |mantissa| Dec { mantissa, scale })
    })
}

/// The exact decimal of `q` at the smallest scale ≤ 12 that holds it.
fn exact_dec(q: Q) -> Dec {
    (0..=12)
        .find_map(|s| Dec::of(q, s))
        .unwrap_or_else(|| panic!("{q:?} has no short decimal"))
}

/// The boundary decimal and its two neighbours one unit in the last place away (at one place more than it needs
/// when it has none, so that 3 is nudged to 2.9 and 3.1); `None` when the decimal needs more than `max_scale`
/// places (a unit there could lie within ε of the boundary, where §0 calls it a tie).
fn three(d: Dec, max_scale: u32) -> Option<[(Dec, i64); 3]> {
    let d = if d.scale == 0 {
        Dec {
            mantissa: d.mantissa * 10,
            scale: 1,
        }
    } else {
        d
    };
    (d.scale <= max_scale).then(|| [(d, 0), (d.nudge(1), 1), (d.nudge(-1), -1)])
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        max_global_rejects: 1_000_000,
        ..ProptestConfig::default()
    }
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn events(rule: &str, values: &[f64]) -> usize {
    let rule = Rule::from_json(rule).unwrap();
    let series: Vec<AlertObservation> = values
        .iter()
        .enumerate()
        .map(|(i, v)| AlertObservation {
            date: day0() + Duration::days(i as i64),
            value: Some(*v),
        })
        .collect();
    evaluate_series(&rule, State::default(), &series).1.len()
}

proptest! {
    #![proptest_config(config())]

    /// KR status: p ≥ 1 (done), p ≥ expected − 0.10 (on_track), p ≥ expected − 0.25 (at_risk).
    #[test]
    fn status_tolerances(
        n in prop::sample::select(vec![10i64, 20, 25, 50, 100]),
        k_share in 0.0..1.0f64,
        which in 0..3usize,
        start in dec(-50, 50, 2),
        span in dec(1, 80, 2),
    ) {
        let k = 1 + ((n - 1) as f64 * k_share) as i64; // as_of is day k of n
        let e = Q::new(i128::from(k), i128::from(n));
        let b = [Q::int(1), e - Q::new(1, 10), e - Q::new(1, 4)][which];
        prop_assume!(b > Q::int(0));
        let (s, delta) = (start.q(), span.q());
        let target = exact_dec(s + delta);
        let cycle = Cycle { id: "c".into(), start: day0(), end: day0() + Duration::days(n - 1), parent: None };
        let as_of = day0() + Duration::days(k - 1);
        let settings = Settings::default();
        let cases = three(exact_dec(s + b * delta), 4);
        prop_assume!(cases.is_some());
        for (c, _) in cases.unwrap() {
            let p = kr_progress(KrKind::Increase, start.f(), target.f(), c.f(), &settings).unwrap();
            let got = status(
                &StatusInput { progress: p, expected: expected(&cycle, &[], as_of), active: true,
                    confidence: None, cycle: &cycle, as_of },
                &settings,
            );
            let pe = ((c.q() - s) / delta).max(Q::int(0)).min(Q::int(1));
            let want = if pe >= Q::int(1) {
                Status::Done
            } else if pe >= e - Q::new(1, 10) {
                Status::OnTrack
            } else if pe >= e - Q::new(1, 4) {
                Status::AtRisk
            } else {
                Status::OffTrack
            };
            prop_assert_eq!(got, want, "start {:?} target {:?} current {:?} day {}/{}", start, target, c, k, n);
        }
    }

    /// A band's min_a (and `binary`'s 1) against actual / target, or 2 − actual / target (`complement`).
    #[test]
    fn band_and_binary_min_a(
        t in dec(1, 500, 2),
        m in dec(0, 3, 2),
        complement in any::<bool>(),
        binary in any::<bool>(),
    ) {
        let m = if binary { Dec { mantissa: 1, scale: 0 } } else { m };
        prop_assume!(m.q() > Q::int(0) && (!complement || m.q() < Q::int(2)));
        let curve = if binary { Curve::Binary } else { Curve::Bands(vec![Band { min_a: m.f(), score: 100.0 }]) };
        let actual = if complement { (Q::int(2) - m.q()) * t.q() } else { m.q() * t.q() };
        let cases = three(exact_dec(actual), 4);
        prop_assume!(cases.is_some());
        for (x, _) in cases.unwrap() {
            let (dir, formula) = if complement {
                (Direction::LowerIsBetter, Formula::Complement)
            } else {
                (Direction::HigherIsBetter, Formula::Inverse)
            };
            let a = achievement(dir, formula, x.f(), t.f()).unwrap();
            let ae = if complement { Q::int(2) - x.q() / t.q() } else { x.q() / t.q() };
            let want = if ae >= m.q() { 100.0 } else { 0.0 };
            prop_assert_eq!(curve_score(&curve, a), want, "actual {:?} target {:?} min_a {:?}", x, t, m);
        }
    }

    /// A grade's minimum against a scorecard total Σ weight · score / 100 (and a tie in a ranking).
    #[test]
    fn grade_minimum_and_ranking_ties(
        w2 in prop::sample::select(vec![10i64, 20, 25, 40, 50, 80]),
        s1 in dec(0, 150, 2),
        min in dec(50, 130, 1),
    ) {
        let w1 = 100 - w2;
        let s2 = (min.q() * Q::int(100) - Q::int(i128::from(w1)) * s1.q()) / Q::int(i128::from(w2));
        prop_assume!(s2 >= Q::int(0));
        let bands = [GradeBand { grade: "A".into(), min: min.f() }, GradeBand { grade: "D".into(), min: f64::MIN }];
        let cases = three(exact_dec(s2), 4);
        prop_assume!(cases.is_some());
        for (x, nudge) in cases.unwrap() {
            // The scorecard's arithmetic: total + weight · score / 100, item by item.
            let total = 0.0 + w1 as f64 * s1.f() / 100.0 + w2 as f64 * x.f() / 100.0;
            let te = (Q::int(i128::from(w1)) * s1.q() + Q::int(i128::from(w2)) * x.q()) / Q::int(100);
            let want = if te >= min.q() { "A" } else { "D" };
            prop_assert_eq!(grade(&bands, total), want, "w1 {} s1 {:?} s2 {:?} min {:?}", w1, s1, x, min);
            // Ranking: the computed total against the typed minimum; a tie goes by id ("a" is the typed one).
            let mut v = vec![("b", total), ("a", min.f())];
            okpi::num::rank_desc(&mut v, |x| x.1, |x| x.0);
            let first = match nudge { 0 => "a", 1 => "b", _ => "a" };
            prop_assert_eq!(v[0].0, first);
        }
    }

    /// Confidence bands 4 and 7 against a weighted mean of confidences.
    #[test]
    fn confidence_mean_bands(
        w1 in dec(1, 3, 2),
        w2 in prop::sample::select(vec![(1i64, 1u32), (2, 1), (25, 2), (4, 1), (5, 1), (8, 1), (1, 0), (2, 0), (4, 0), (5, 0)]),
        c1 in dec(0, 10, 1),
        high in any::<bool>(),
    ) {
        let w2 = Dec { mantissa: w2.0, scale: w2.1 };
        let b = Q::int(if high { 7 } else { 4 });
        prop_assume!(w1.q() > Q::int(0));
        let c2 = (b * (w1.q() + w2.q()) - w1.q() * c1.q()) / w2.q();
        prop_assume!(c2 > Q::int(0) && c2 < Q::int(10));
        let s = Settings::default();
        let cases = three(exact_dec(c2), 4);
        prop_assume!(cases.is_some());
        for (x, _) in cases.unwrap() {
            // okr's weighted mean: Σ w·x / Σ w.
            let mean = (w1.f() * c1.f() + w2.f() * x.f()) / (w1.f() + w2.f());
            let me = (w1.q() * c1.q() + w2.q() * x.q()) / (w1.q() + w2.q());
            let want = if me < Q::int(4) {
                ConfidenceBand::Low
            } else if me < Q::int(7) {
                ConfidenceBand::Medium
            } else {
                ConfidenceBand::High
            };
            prop_assert_eq!(mean_confidence_band(mean, &s), want, "w {:?} {:?} c {:?} {:?}", w1, w2, c1, x);
        }
    }

    /// `below_target`: achievement actual / target < t.
    #[test]
    fn below_target_threshold(t in dec(1, 100, 1), th in dec(0, 2, 2)) {
        prop_assume!(th.q() > Q::int(0));
        let rule = format!(
            r#"{{"id": "r", "metric": "m", "scope": "s", "grain": "day",
                "condition": {{"below_target": {{"target": {}, "direction": "higher_is_better"}}}},
                "warning": {{"value": {}}}}}"#,
            t.f(), th.f()
        );
        let cases = three(exact_dec(th.q() * t.q()), 4);
        prop_assume!(cases.is_some());
        for (x, _) in cases.unwrap() {
            let fires = x.q() / t.q() < th.q();
            prop_assert_eq!(events(&rule, &[x.f()]) > 0, fires, "value {:?} target {:?} t {:?}", x, t, th);
        }
    }

    /// `change_pct`: the change against the base, in the bad direction, ≥ t %.
    #[test]
    fn change_pct_threshold(base in dec(1, 1000, 2), th in dec(1, 90, 1), higher in any::<bool>()) {
        let dir = if higher { "higher_is_better" } else { "lower_is_better" };
        let rule = format!(
            r#"{{"id": "r", "metric": "m", "scope": "s", "grain": "day", "direction": "{dir}",
                "condition": {{"change_pct": {{"offset": 1}}}}, "warning": {{"value": {}}}}}"#,
            th.f()
        );
        let pct = th.q() / Q::int(100);
        let x = if higher { base.q() * (Q::int(1) - pct) } else { base.q() * (Q::int(1) + pct) };
        let cases = three(exact_dec(x), 4);
        prop_assume!(cases.is_some());
        for (x, _) in cases.unwrap() {
            let bad = if higher { base.q() - x.q() } else { x.q() - base.q() };
            let change = bad * Q::int(100) / base.q();
            let fires = change > Q::int(0) && change >= th.q();
            prop_assert_eq!(events(&rule, &[base.f(), x.f()]) > 0, fires, "{:?} → {:?} t {:?}", base, x, th);
        }
    }

    /// `trend`: the least-squares slope of the last n points with the bad sign and magnitude ≥ t.
    #[test]
    fn trend_slope(
        n in prop::sample::select(vec![2usize, 3, 5]),
        ys in prop::collection::vec(dec(-100, 100, 2), 5),
        th in dec(0, 20, 2),
    ) {
        prop_assume!(th.q() > Q::int(0));
        let rule = format!(
            r#"{{"id": "r", "metric": "m", "scope": "s", "grain": "day",
                "condition": {{"trend": {{"n": {n}}}}}, "critical": {{"value": {}}}}}"#,
            th.f()
        );
        // x = 0 … n−1 centred: dx_i = i − (n − 1)/2; slope = Σ dx_i · y_i / Σ dx_i².
        let dx = |i: usize| Q::new(2 * i as i128 - (n as i128 - 1), 2);
        let sxx = (0..n).fold(Q::int(0), |a, i| a + dx(i) * dx(i));
        let rest = (0..n - 1).fold(Q::int(0), |a, i| a + dx(i) * ys[i].q());
        // The last point that makes the slope exactly −t (a fall: bad for higher is better).
        let last = (-th.q() * sxx - rest) / dx(n - 1);
        let cases = three(exact_dec(last), 4);
        prop_assume!(cases.is_some());
        for (y, _) in cases.unwrap() {
            let mut values: Vec<f64> = ys[..n - 1].iter().map(|d| d.f()).collect();
            values.push(y.f());
            let slope = (rest + dx(n - 1) * y.q()) / sxx;
            let fires = -slope > Q::int(0) && -slope >= th.q();
            prop_assert_eq!(events(&rule, &values) > 0, fires, "{:?} then {:?}, t {:?}", &ys[..n - 1], y, th);
        }
    }

    /// `anomaly`: |x − median| > t · 1.4826 · MAD over the previous 3 points.
    #[test]
    fn anomaly_deviation(ys in prop::collection::vec(dec(0, 10, 2), 3), th in 1i64..=5, up in any::<bool>()) {
        let th = Dec { mantissa: th, scale: 0 };
        let mut sorted: Vec<Q> = ys.iter().map(|d| d.q()).collect();
        sorted.sort();
        let med = sorted[1];
        let mut devs: Vec<Q> = sorted.iter().map(|y| (*y - med).abs()).collect();
        devs.sort();
        let mad = devs[1];
        prop_assume!(mad > Q::int(0));
        let rule = format!(
            r#"{{"id": "r", "metric": "m", "scope": "s", "grain": "day",
                "condition": {{"anomaly": {{"window": 3}}}}, "critical": {{"value": {}}}}}"#,
            th.f()
        );
        let bound = th.q() * Q::dec(14826, 4) * mad;
        let x = if up { med + bound } else { med - bound };
        let cases = three(exact_dec(x), 6);
        prop_assume!(cases.is_some());
        for (x, _) in cases.unwrap() {
            let mut values: Vec<f64> = ys.iter().map(|d| d.f()).collect();
            values.push(x.f());
            let fires = (x.q() - med).abs() > bound;
            prop_assert_eq!(events(&rule, &values) > 0, fires, "{:?} then {:?}, t {:?}", ys, x, th);
        }
    }

    /// Half-up rounding of a computed score (100 · actual / target) to a target's decimals.
    #[test]
    fn rounding_half_up(t in dec(1, 200, 2), k in 0i64..1_200, decimals in 0u32..3) {
        let half = Q::new(2 * i128::from(k) + 1, 2 * 10i128.pow(decimals)); // (k + ½) / 10^decimals
        let scoring = Scoring {
            direction: Direction::HigherIsBetter,
            formula: Formula::Inverse,
            curve: Curve::Linear { floor: 0.0, cap: 1e9 },
            decimals: Some(decimals),
        };
        let levels = okpi::kpi::Levels { threshold: None, target: t.f(), stretch: None };
        let cases = three(exact_dec(half * t.q() / Q::int(100)), 4);
        prop_assume!(cases.is_some());
        for (x, _) in cases.unwrap() {
            let want = (Q::int(100) * x.q() / t.q()).round_half_up(decimals).to_f64();
            let got = scoring.score(x.f(), levels).1;
            prop_assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "actual {:?} target {:?}: {} vs {}", x, t, got, want);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES / 10, ..config() })]

    /// A denominator that is zero in decimal arithmetic is a zero denominator; one unit away it is not. Each case
    /// is a document of ten months, each month one sum of visits: 10,000 sums in all.
    #[test]
    fn zero_denominators(
        months in prop::collection::vec((prop::collection::vec(dec(-20, 20, 3), 1..4), -1i64..=1), 10),
    ) {
        let mut obs = Vec::new();
        let mut sums = Vec::new();
        for (m, (terms, nudge)) in months.iter().enumerate() {
            let sum = terms.iter().fold(Q::int(0), |a, d| a + d.q());
            let close = exact_dec(-sum);
            let close = Dec { mantissa: close.mantissa * 10i64.pow(3 - close.scale.min(3)), scale: 3 }.nudge(*nudge);
            let mut values: Vec<f64> = terms.iter().map(|d| d.f()).collect();
            values.push(close.f());
            obs.push(format!(r#"{{"measure": "orders", "date": "2026-{:02}-01", "value": 3}}"#, m + 1));
            for (i, v) in values.iter().enumerate() {
                obs.push(format!(
                    r#"{{"measure": "visits", "date": "2026-{:02}-{:02}", "value": {v:?}}}"#, m + 1, i + 2
                ));
            }
            sums.push((sum + close.q(), values));
        }
        let doc = format!(
            r#"{{"schema_version": 1, "measures": [{{"id": "orders"}}, {{"id": "visits"}}],
              "metrics": [{{"id": "o", "kind": "simple", "measure": "orders"}},
                          {{"id": "v", "kind": "simple", "measure": "visits"}},
                          {{"id": "c", "kind": "ratio", "numerator": "o", "denominator": "v"}}],
              "observations": [{}]}}"#,
            obs.join(", ")
        );
        let model = okpi::Model::from_json(&doc).unwrap();
        let q = |metric: &str| {
            let mut v = Query::new(metric, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
            v.grain = Some(okpi::model::Grain::Month);
            v.filters = Default::default();
            v.group_by = vec![];
            v
        };
        let ratios = okpi::kpi::query(&model, &q("c")).unwrap().cells;
        let visits = okpi::kpi::query(&model, &q("v")).unwrap().cells;
        for ((exact_sum, values), (ratio, visits)) in sums.iter().zip(ratios.iter().zip(&visits)) {
            let visits = visits.value.unwrap();
            if exact_sum.is_zero() {
                prop_assert_eq!(ratio.value, None, "{:?}", values);
                prop_assert!(visits == 0.0 && visits.is_sign_positive(), "{:?} → {}", values, visits);
            } else {
                let want = (Q::int(3) / *exact_sum).to_f64();
                let got = ratio.value.unwrap();
                prop_assert!((got - want).abs() <= 1e-6 * want.abs(), "{:?}: {} vs {}", values, got, want);
            }
        }
    }
}

/// Seats by an exact largest remainder: quotas n · shareᵢ / 100 as rationals, whole parts, then the seats left
/// to the largest remainders, ties to the earlier share.
fn reference_seats(shares: &[Dec], n: usize) -> Vec<usize> {
    let quotas: Vec<Q> = shares
        .iter()
        .map(|s| Q::int(n as i128) * s.q() / Q::int(100))
        .collect();
    let mut out: Vec<usize> = quotas.iter().map(|q| (q.n / q.d) as usize).collect();
    let left = n - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    let rem = |i: usize| quotas[i] - Q::int(quotas[i].n / quotas[i].d);
    order.sort_by(|&a, &b| rem(b).cmp(&rem(a)).then(a.cmp(&b)));
    for i in order.into_iter().take(left) {
        out[i] += 1;
    }
    out
}

#[test]
fn forced_distribution_is_an_exact_largest_remainder() {
    let sets: Vec<Vec<Dec>> = [
        vec![(20, 0), (70, 0), (10, 0)],
        vec![(10, 0), (20, 0), (40, 0), (20, 0), (10, 0)],
        vec![(333, 1), (333, 1), (334, 1)],
        vec![(125, 1), (375, 1), (50, 0)],
        vec![(5, 0), (15, 0), (60, 0), (15, 0), (5, 0)],
        vec![(1, 1), (999, 1)],
        vec![(25, 0), (25, 0), (25, 0), (25, 0)],
        vec![(19999, 3), (70001, 3), (10, 0)],
        vec![(15, 0), (85, 0)],
        vec![(100, 0)],
    ]
    .into_iter()
    .map(|s| {
        s.into_iter()
            .map(|(m, k)| Dec {
                mantissa: m,
                scale: k,
            })
            .collect()
    })
    .collect();
    for shares in &sets {
        let floats: Vec<f64> = shares.iter().map(|d| d.f()).collect();
        for n in 1..=500 {
            let want = reference_seats(shares, n);
            assert_eq!(seats(&floats, n), want, "shares {floats:?}, n = {n}");
        }
    }
    assert_eq!(seats(&[20.0, 70.0, 10.0], 28), [6, 19, 3]);
}
