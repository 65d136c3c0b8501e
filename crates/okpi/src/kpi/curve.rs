//! Achievement and scoring curves (DOMAIN.md §6).

use crate::model::{Curve, Direction, Formula};
use crate::num::ge;

/// The raw values a target holds at one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Levels {
    /// Threshold (needed by `threshold_target_stretch`).
    pub threshold: Option<f64>,
    /// Target.
    pub target: f64,
    /// Stretch.
    pub stretch: Option<f64>,
}

/// Achievement of `actual` against `target`; `None` when `inverse` meets an actual ≤ 0 (at or below zero a
/// lower-is-better metric has beaten every positive target: it scores the cap, DOMAIN.md §6). An
/// achievement beyond the floats (an actual of 1e308 against a target of 1e-308) saturates at ±`f64::MAX`.
///
/// ```
/// use okpi::model::{Direction, Formula};
/// assert_eq!(okpi::kpi::achievement(Direction::HigherIsBetter, Formula::Inverse, 90.0, 120.0), Some(0.75));
/// assert_eq!(okpi::kpi::achievement(Direction::LowerIsBetter, Formula::Inverse, 4.0, 5.0), Some(1.25));
/// assert_eq!(okpi::kpi::achievement(Direction::LowerIsBetter, Formula::Complement, 4.0, 5.0), Some(1.2));
/// ```
pub fn achievement(direction: Direction, formula: Formula, actual: f64, target: f64) -> Option<f64> {
    raw_achievement(direction, formula, actual, target).map(|a| a.clamp(-f64::MAX, f64::MAX))
}

fn raw_achievement(direction: Direction, formula: Formula, actual: f64, target: f64) -> Option<f64> {
    match direction {
        Direction::HigherIsBetter => Some(actual / target),
        Direction::LowerIsBetter => match formula {
            Formula::Inverse if actual <= 0.0 => None,
            Formula::Inverse => Some(target / actual),
            Formula::Complement => Some(2.0 - actual / target),
        },
        Direction::Band { lo, hi } => {
            if actual >= lo && actual <= hi {
                return Some(1.0);
            }
            let width = hi - lo;
            if width <= 0.0 {
                return Some(0.0);
            }
            let out = if actual < lo { lo - actual } else { actual - hi };
            Some((1.0 - out / width).max(0.0))
        }
    }
}

/// The highest score the curve gives.
pub fn cap(curve: &Curve, has_stretch: bool) -> f64 {
    match curve {
        Curve::Linear { cap, .. } => *cap,
        Curve::ThresholdTargetStretch {
            at_target,
            at_stretch,
            ..
        } => {
            if has_stretch {
                at_target.max(*at_stretch)
            } else {
                *at_target
            }
        }
        Curve::Bands(bands) => bands.iter().map(|b| b.score).fold(0.0, f64::max),
        Curve::Binary => 100.0,
    }
}

/// Score (percent) of an achievement on an achievement curve (`linear`, `bands`, `binary`). The achievement is a
/// computed quantity: it reaches a band's `min_a` (or 1 for `binary`) within ε (DOMAIN.md §0), so 3.3 / 3.0
/// reaches a band at 1.1.
///
/// ```
/// let c = okpi::model::Curve::default(); // linear, floor 0, cap 120
/// assert_eq!(okpi::kpi::curve_score(&c, 1.3), 120.0);
/// assert_eq!(okpi::kpi::curve_score(&c, 0.5), 50.0);
/// ```
pub fn curve_score(curve: &Curve, a: f64) -> f64 {
    match curve {
        Curve::Linear { floor, cap } => (100.0 * a).max(*floor).min(*cap),
        Curve::Bands(bands) => bands
            .iter()
            .filter(|b| ge(a, b.min_a))
            .max_by(|x, y| x.min_a.total_cmp(&y.min_a))
            .map_or(0.0, |b| b.score),
        Curve::Binary => {
            if ge(a, 1.0) {
                100.0
            } else {
                0.0
            }
        }
        // Raw-value curve: on an achievement axis, threshold 0, target 1, no stretch.
        Curve::ThresholdTargetStretch { .. } => tts_score(
            curve,
            false,
            a,
            Levels {
                threshold: Some(0.0),
                target: 1.0,
                stretch: None,
            },
        ),
    }
}

/// Score of a raw value on `threshold_target_stretch`; `lower` mirrors the axis (threshold > target > stretch).
///
/// ```
/// use okpi::model::Curve;
/// let c = Curve::ThresholdTargetStretch { at_threshold: 50.0, at_target: 100.0, at_stretch: 150.0 };
/// let l = okpi::kpi::Levels { threshold: Some(80.0), target: 100.0, stretch: Some(120.0) };
/// assert_eq!(okpi::kpi::tts_score(&c, false, 90.0, l), 75.0);
/// assert_eq!(okpi::kpi::tts_score(&c, false, 79.0, l), 0.0);
/// ```
pub fn tts_score(curve: &Curve, lower: bool, value: f64, l: Levels) -> f64 {
    let Curve::ThresholdTargetStretch {
        at_threshold,
        at_target,
        at_stretch,
    } = curve
    else {
        return 0.0;
    };
    let s = if lower { -1.0 } else { 1.0 };
    let x = s * value;
    let t0 = s * l.threshold.unwrap_or(l.target);
    let t1 = s * l.target;
    let lerp = |x0: f64, x1: f64, y0: f64, y1: f64, x: f64| {
        if x1 <= x0 {
            return y1;
        }
        let (dx, span, dy) = (x - x0, x1 - x0, y1 - y0);
        let plain = y0 + dx / span * dy;
        if dx.is_finite() && span.is_finite() && dy.is_finite() && plain.is_finite() {
            return plain;
        }
        // Differences of extreme values overflow: the share of the way from x0 to x1 (from halves), then a convex
        // combination of y0 and y1, which stays between them.
        let f = ((x / 2.0 - x0 / 2.0) / (x1 / 2.0 - x0 / 2.0)).clamp(0.0, 1.0);
        y0 * (1.0 - f) + y1 * f
    };
    if x < t0 {
        return 0.0;
    }
    if x < t1 {
        return lerp(t0, t1, *at_threshold, *at_target, x);
    }
    match l.stretch {
        Some(st) if x < s * st => lerp(t1, s * st, *at_target, *at_stretch, x),
        Some(_) => *at_stretch,
        None => *at_target,
    }
}

/// Rounds half away from zero to `decimals` places, with ε applied once (see [`crate::num::round_half_up`]).
///
/// ```
/// assert_eq!(okpi::kpi::round_half_up(1.005, 2), 1.01);
/// assert_eq!(okpi::kpi::round_half_up(87.45, 1), 87.5);
/// assert_eq!(okpi::kpi::round_half_up(87.44, 1), 87.4);
/// ```
pub fn round_half_up(x: f64, decimals: u32) -> f64 {
    crate::num::round_half_up(x, decimals)
}
