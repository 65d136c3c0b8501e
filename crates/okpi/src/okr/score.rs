//! End-of-cycle scores and confidence bands (DOMAIN.md §4).

use crate::model::ObjectiveKind;
use crate::num::lt;
use crate::report::{ConfidenceBand, ScoreBand};
use crate::settings::Settings;

/// clamp(p, 0, 1) rounded half-up to one decimal, and its colour band.
///
/// Half-up is taken with ε ([`crate::num::round_half_up`]) so that decimal halves computed in binary (0.15, 0.45)
/// round up.
///
/// ```
/// use okpi::report::ScoreBand;
/// assert_eq!(okpi::okr::score(0.65), (0.7, ScoreBand::Green));
/// assert_eq!(okpi::okr::score(0.349), (0.3, ScoreBand::Red));
/// ```
pub fn score(progress: f64) -> (f64, ScoreBand) {
    let rounded = score_value(progress);
    // The rounded score is a whole number of tenths: 0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green (NaN red).
    let band = if rounded >= 0.65 {
        ScoreBand::Green
    } else if rounded >= 0.35 {
        ScoreBand::Yellow
    } else {
        ScoreBand::Red
    };
    (rounded, band)
}

/// [`score`]'s number: clamp(p, 0, 1) rounded half-up to one decimal, bit for bit as
/// [`crate::num::round_half_up`] rounds it. A clamped progress has eleven roundings, so the half-tenths it is
/// compared with and the tenths it rounds to are looked up (computed by the same divisions as `round_half_up`)
/// instead of divided, and the floor of a number in [0, 10] is its truncation.
pub(crate) fn score_value(progress: f64) -> f64 {
    const P: f64 = 10.0; // 10^1: one decimal
    const TENTHS: [f64; 12] = [
        0.0 / P,
        1.0 / P,
        2.0 / P,
        3.0 / P,
        4.0 / P,
        5.0 / P,
        6.0 / P,
        7.0 / P,
        8.0 / P,
        9.0 / P,
        10.0 / P,
        11.0 / P,
    ];
    const HALVES: [f64; 12] = [
        0.5 / P,
        1.5 / P,
        2.5 / P,
        3.5 / P,
        4.5 / P,
        5.5 / P,
        6.5 / P,
        7.5 / P,
        8.5 / P,
        9.5 / P,
        10.5 / P,
        11.5 / P,
    ];
    let x = progress.clamp(0.0, 1.0);
    if x.is_nan() {
        return x;
    }
    let f = (x.abs() * 10.0) as usize; // in [0, 10]
    let up = HALVES.get(f).is_some_and(|&half| crate::num::ge(x.abs(), half));
    TENTHS.get(f + usize::from(up)).copied().unwrap_or(x)
}

/// The score an objective of this kind is expected to reach (Google: committed 1.0, aspirational about 0.7).
pub fn expected_score(kind: ObjectiveKind) -> f64 {
    match kind {
        ObjectiveKind::Committed => 1.0,
        ObjectiveKind::Aspirational => 0.7,
    }
}

/// low < `confidence_low` ≤ medium < `confidence_high` ≤ high, for a confidence as typed (compared exactly).
pub fn confidence_band(confidence: f64, settings: &Settings) -> ConfidenceBand {
    if confidence < settings.confidence_low {
        ConfidenceBand::Low
    } else if confidence < settings.confidence_high {
        ConfidenceBand::Medium
    } else {
        ConfidenceBand::High
    }
}

/// The band of a computed confidence (an objective's weighted mean), which meets each band's boundary within ε
/// (DOMAIN.md §0): confidences of 7 weighted 0.1 and 0.2 average 7, high.
///
/// ```
/// let s = okpi::Settings::default();
/// let mean = (0.1 * 7.0 + 0.2 * 7.0) / (0.1 + 0.2);
/// assert_eq!(okpi::okr::mean_confidence_band(mean, &s), okpi::report::ConfidenceBand::High);
/// ```
pub fn mean_confidence_band(confidence: f64, settings: &Settings) -> ConfidenceBand {
    if lt(confidence, settings.confidence_low) {
        ConfidenceBand::Low
    } else if lt(confidence, settings.confidence_high) {
        ConfidenceBand::Medium
    } else {
        ConfidenceBand::High
    }
}

#[cfg(test)]
mod tests {
    use crate::report::ScoreBand;

    #[test]
    fn the_score_value_has_the_bits_of_the_score() {
        let mut xs = vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            1.0,
            -1.0,
            2.0,
            1e300,
            -1e-300,
        ];
        for k in -200..=1200 {
            let x = f64::from(k) / 1000.0;
            xs.extend([x, x + 1e-9, x - 1e-9, x + 2e-9, x - 2e-9]);
            let mut up = x;
            let mut down = x;
            for _ in 0..4 {
                up = up.next_up();
                down = down.next_down();
                xs.extend([up, down]);
            }
        }
        for x in xs {
            // The definition: round_half_up of the clamped progress, banded by its whole tenths.
            let want = crate::num::round_half_up(x.clamp(0.0, 1.0), 1);
            let want_band = match (want * 10.0).round() as u8 {
                0..=3 => ScoreBand::Red,
                4..=6 => ScoreBand::Yellow,
                _ => ScoreBand::Green,
            };
            let (got, band) = super::score(x);
            assert_eq!(got.to_bits(), want.to_bits(), "{x:e}: {got} vs {want}");
            assert_eq!(super::score_value(x).to_bits(), want.to_bits(), "{x:e}");
            assert_eq!(band, want_band, "{x:e}");
        }
    }
}
