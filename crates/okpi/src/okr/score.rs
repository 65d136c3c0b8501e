//! End-of-cycle scores and confidence bands (DOMAIN.md §4).

use crate::model::ObjectiveKind;
use crate::num::{lt, round_half_up};
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
    let rounded = round_half_up(progress.clamp(0.0, 1.0), 1);
    let tenths = (rounded * 10.0).round();
    let band = match tenths as u8 {
        0..=3 => ScoreBand::Red,
        4..=6 => ScoreBand::Yellow,
        _ => ScoreBand::Green,
    };
    (rounded, band)
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
