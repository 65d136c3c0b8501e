//! The measure of a condition at one evaluation, and whether it breaches a threshold.

use crate::model::alert::{AlertDirection, AlertSeverity, Condition, Rule, Threshold};
use crate::num::{ge, gt, lt};

/// The number a condition compares with its thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Measure {
    /// The value (raw, compared exactly), or the achievement, change % or slope (computed, compared within ε).
    Plain(f64),
    /// `anomaly`: |x − median| against t · `scale` (scale = 1.4826 · MAD), compared within ε of t · scale.
    Deviation {
        /// |x − median|.
        dev: f64,
        /// 1.4826 · MAD.
        scale: f64,
    },
}

impl Measure {
    /// The number an event carries: the value, achievement, change %, slope, or the robust z-score
    /// dev / scale (+∞ for a deviation over a MAD of 0, 0 for none).
    pub(crate) fn shown(self) -> f64 {
        match self {
            Measure::Plain(m) => m,
            Measure::Deviation { dev, scale } => {
                if scale != 0.0 {
                    dev / scale
                } else if gt(dev, 0.0) {
                    f64::INFINITY
                } else {
                    0.0
                }
            }
        }
    }
}

/// What the condition reads at one evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reading {
    /// The number compared with the thresholds.
    Measure(Measure),
    /// Missing data: the observation, or for `change_pct` its base, is missing or zero.
    NoData,
    /// Not enough history yet: the evaluation is skipped.
    NotEvaluated,
}

/// Reads the condition of `rule` for `value` given the earlier observations `history` (oldest first).
/// A non-finite value counts as missing. `scratch` is working space (its contents on entry do not matter).
#[inline]
pub(crate) fn read(
    rule: &Rule,
    value: Option<f64>,
    history: &[Option<f64>],
    scratch: &mut Vec<f64>,
) -> Reading {
    let Some(x) = value.filter(|v| v.is_finite()) else {
        return Reading::NoData;
    };
    let bad_sign = match rule.direction.unwrap_or_default() {
        AlertDirection::HigherIsBetter => -1.0,
        AlertDirection::LowerIsBetter => 1.0,
    };
    match &rule.condition {
        Condition::Above | Condition::Below | Condition::Outside | Condition::Inside => {
            Reading::Measure(Measure::Plain(x))
        }
        Condition::BelowTarget { target, direction } => {
            Reading::Measure(Measure::Plain(achievement(x, *target, *direction)))
        }
        Condition::ChangePct { offset } => {
            let k = usize::try_from((*offset).max(1)).unwrap_or(usize::MAX);
            if history.len() < k {
                return Reading::NotEvaluated;
            }
            match history.get(history.len() - k).copied().flatten() {
                Some(base) if base != 0.0 => {
                    Reading::Measure(Measure::Plain(bad_sign * (x - base) * 100.0 / base.abs()))
                }
                _ => Reading::NoData,
            }
        }
        Condition::Trend { n } => {
            let k = usize::try_from((*n).max(2)).unwrap_or(usize::MAX) - 1;
            if !window(history, k, scratch) {
                return Reading::NotEvaluated;
            }
            scratch.push(x);
            Reading::Measure(Measure::Plain(bad_sign * slope(scratch)))
        }
        Condition::Anomaly { window: w } => {
            let k = usize::try_from((*w).max(1)).unwrap_or(usize::MAX);
            if !window(history, k, scratch) {
                return Reading::NotEvaluated;
            }
            scratch.sort_by(f64::total_cmp);
            anomaly(x, scratch)
        }
    }
}

/// `anomaly`'s reading of value `x` over its window `sorted` (ascending by `f64::total_cmp`): the deviation from
/// the window's median against 1.4826 · its MAD.
#[inline]
pub(crate) fn anomaly(x: f64, sorted: &[f64]) -> Reading {
    let med = median_of_sorted(sorted);
    let mad = median_deviation(sorted, med);
    Reading::Measure(Measure::Deviation {
        dev: (x - med).abs(),
        scale: 1.4826 * mad,
    })
}

/// Copies the last `k` points of `history` into `out`; false when there are fewer or one is missing.
fn window(history: &[Option<f64>], k: usize, out: &mut Vec<f64>) -> bool {
    out.clear();
    if history.len() < k {
        return false;
    }
    for p in history.get(history.len() - k..).unwrap_or_default() {
        match p {
            Some(v) => out.push(*v),
            None => return false,
        }
    }
    true
}

/// Achievement as DOMAIN.md §6: `higher_is_better` actual / target, `lower_is_better` target / actual
/// (an actual ≤ 0 is +∞, the best).
pub fn achievement(actual: f64, target: f64, direction: AlertDirection) -> f64 {
    match direction {
        AlertDirection::HigherIsBetter => actual / target,
        AlertDirection::LowerIsBetter if actual <= 0.0 => f64::INFINITY,
        AlertDirection::LowerIsBetter => target / actual,
    }
}

/// Least-squares slope of `ys` against x = 0, 1, 2, …; 0 for fewer than 2 points.
pub fn slope(ys: &[f64]) -> f64 {
    let n = ys.len() as f64;
    if ys.len() < 2 {
        return 0.0;
    }
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in ys.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    sxy / sxx
}

/// Median of finite numbers (mean of the middle two for an even count); 0 for none.
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    median_of_sorted(&xs)
}

/// The median of numbers sorted ascending (mean of the middle two for an even count); 0 for none.
fn median_of_sorted(xs: &[f64]) -> f64 {
    let mid = xs.len() / 2;
    match (xs.get(mid.wrapping_sub(1)), xs.get(mid)) {
        (Some(a), Some(b)) if xs.len() % 2 == 0 => (a + b) / 2.0,
        (_, Some(b)) => *b,
        _ => 0.0,
    }
}

/// The median of |x − `med`| over `sorted` (sorted ascending, `med` its median), as [`median`] of those
/// deviations gives it, without sorting them: the deviations of the values at or below `med` ascend leftwards, those
/// above it rightwards, and the middle ones are picked from those two runs by [`kth_deviation`].
fn median_deviation(sorted: &[f64], med: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    // Where the deviations turn: counted, with no branch on the values, for a short window; searched for a long one.
    let split = if n <= super::window::COUNTED {
        sorted.iter().map(|&x| usize::from(x <= med)).sum()
    } else {
        sorted.partition_point(|&x| x <= med)
    };
    let at = kth_deviation(sorted, split, med, n / 2 + 1);
    if n % 2 == 0 {
        (kth_deviation(sorted, split, med, n / 2) + at) / 2.0
    } else {
        at
    }
}

/// The `k`-th smallest (from 1) of the deviations |x − `med`| of `sorted`, whose values below `split` are at or
/// below `med` (deviations ascending leftwards from `split`) and the others above it (ascending rightwards). Taking
/// `i` from the left run and `k − i` from the right, the larger of the last two taken is at least the `k`-th
/// smallest, and is it for the right `i`: so it is the least of those, over every `i`. Each `i` is worked out on
/// its own (no step waits on the one before, as a merge's do), and the answer is one of the deviations, exactly.
fn kth_deviation(sorted: &[f64], split: usize, med: f64, k: usize) -> f64 {
    let dev = |at: usize| sorted.get(at).map_or(f64::INFINITY, |x| (x - med).abs());
    let right = sorted.len() - split;
    (k.saturating_sub(right)..=k.min(split))
        .map(|i| {
            let l = if i == 0 { f64::NEG_INFINITY } else { dev(split - i) };
            let r = if i == k {
                f64::NEG_INFINITY
            } else {
                dev(split + (k - i) - 1)
            };
            l.max(r)
        })
        .fold(f64::INFINITY, f64::min)
}

/// Whether measure `m` breaches threshold number `t` under `condition` (strict, as DOMAIN.md §7): a raw value
/// exactly, a computed measure within ε (DOMAIN.md §0: an achievement of 0.9 is not below 0.9, a slope of
/// −0.9999999999999998 computed for −1 meets 1, a fall from 1.0 to 0.9 is a 10 % change).
fn beyond(condition: &Condition, m: Measure, t: f64) -> bool {
    match (condition, m) {
        (Condition::Above, Measure::Plain(m)) => m > t,
        (Condition::Below, Measure::Plain(m)) => m < t,
        (Condition::BelowTarget { .. }, Measure::Plain(m)) => lt(m, t),
        (Condition::ChangePct { .. } | Condition::Trend { .. }, Measure::Plain(m)) => gt(m, 0.0) && ge(m, t),
        (Condition::Anomaly { .. }, Measure::Deviation { dev, scale }) => gt(dev, t * scale),
        _ => false,
    }
}

/// Whether measure `m` breaches threshold `th` under `condition`.
#[inline]
pub(crate) fn breaches(condition: &Condition, m: Measure, th: &Threshold) -> bool {
    let Measure::Plain(m) = m else {
        return th.value.is_some_and(|t| beyond(condition, m, t));
    };
    match condition {
        Condition::Outside => match (th.lo, th.hi) {
            (Some(lo), Some(hi)) => m < lo || m > hi,
            _ => false,
        },
        Condition::Inside => match (th.lo, th.hi) {
            (Some(lo), Some(hi)) => lo < m && m < hi,
            _ => false,
        },
        _ => th.value.is_some_and(|t| beyond(condition, Measure::Plain(m), t)),
    }
}

/// Whether an active severity with threshold `th` holds at measure `m`: it breaches, or it has a recovery
/// threshold that `m` has not passed (for `above`: m > recovery; for `below`: m < recovery).
pub(crate) fn holds(condition: &Condition, m: Measure, th: &Threshold) -> bool {
    breaches(condition, m, th) || th.recovery.is_some_and(|r| beyond(condition, m, r))
}

/// The severity at measure `m`, given the severity `active` before it (hysteresis).
///
/// Critical if its condition breaches (or critical is active and has not recovered); else warning if its
/// condition breaches (or warning or critical is active and warning has not recovered); else none. An active
/// critical thus falls back to warning, not to none, while warning still holds.
#[inline(always)]
pub(crate) fn severity(rule: &Rule, m: Measure, active: Option<AlertSeverity>) -> Option<AlertSeverity> {
    let c = &rule.condition;
    if let Some(th) = &rule.critical {
        let keep = active == Some(AlertSeverity::Critical);
        if breaches(c, m, th) || (keep && holds(c, m, th)) {
            return Some(AlertSeverity::Critical);
        }
    }
    if let Some(th) = &rule.warning {
        if breaches(c, m, th) || (active.is_some() && holds(c, m, th)) {
            return Some(AlertSeverity::Warning);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Short windows (their turn counted) and long ones (searched), with ties, ±0 and deviations that overflow.
        #[test]
        fn the_median_deviation_is_the_median_of_the_deviations(xs in prop_oneof![1usize..30, 60usize..90]
            .prop_flat_map(|n| prop::collection::vec(prop_oneof![
                8 => (-40i32..40).prop_map(|x| f64::from(x) / 4.0),
                1 => prop::sample::select(vec![f64::MAX, -f64::MAX, 1e308, -1e308, -0.0]),
            ], n))) {
            let mut sorted: Vec<f64> = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let med = super::median(sorted.clone());
            let want = super::median(sorted.iter().map(|x| (x - med).abs()).collect());
            prop_assert_eq!(super::median_deviation(&sorted, med).to_bits(), want.to_bits());
        }

        #[test]
        fn median_is_the_middle_of_the_sorted_values(xs in prop::collection::vec(-1e6..1e6f64, 0..40)) {
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            let want = match n {
                0 => 0.0,
                _ if n % 2 == 0 => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
                _ => sorted[n / 2],
            };
            prop_assert_eq!(super::median(xs).to_bits(), want.to_bits());
        }
    }
}
