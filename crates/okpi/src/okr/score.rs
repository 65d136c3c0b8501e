//! End-of-cycle scores and confidence bands (DOMAIN.md §4).

use super::pace::EPS;
use crate::model::ObjectiveKind;
use crate::report::{ConfidenceBand, ScoreBand};
use crate::settings::Settings;

/// clamp(p, 0, 1) rounded half-up to one decimal, and its colour band.
///
/// Half-up is taken with a 1e-9 tolerance so that decimal halves computed in binary (0.15, 0.45) round up.
///
/// ```
/// use okpi::report::ScoreBand;
/// assert_eq!(okpi::okr::score(0.65), (0.7, ScoreBand::Green));
/// assert_eq!(okpi::okr::score(0.349), (0.3, ScoreBand::Red));
/// ```
pub fn score(progress: f64) -> (f64, ScoreBand) {
    let tenths = (progress.clamp(0.0, 1.0) * 10.0 + 0.5 + EPS).floor();
    let band = match tenths as u8 {
        0..=3 => ScoreBand::Red,
        4..=6 => ScoreBand::Yellow,
        _ => ScoreBand::Green,
    };
    (tenths / 10.0, band)
}

/// The score an objective of this kind is expected to reach (Google: committed 1.0, aspirational about 0.7).
pub fn expected_score(kind: ObjectiveKind) -> f64 {
    match kind {
        ObjectiveKind::Committed => 1.0,
        ObjectiveKind::Aspirational => 0.7,
    }
}

/// low < `confidence_low` ≤ medium < `confidence_high` ≤ high.
pub fn confidence_band(confidence: f64, settings: &Settings) -> ConfidenceBand {
    if confidence < settings.confidence_low {
        ConfidenceBand::Low
    } else if confidence < settings.confidence_high {
        ConfidenceBand::Medium
    } else {
        ConfidenceBand::High
    }
}
