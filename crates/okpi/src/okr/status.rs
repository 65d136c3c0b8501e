//! The status rule (DOMAIN.md §4), shared by key results and `from_progress` objectives.

use crate::model::Cycle;
use crate::num::ge;
use crate::report::{ConfidenceBand, Status};
use crate::settings::Settings;
use chrono::NaiveDate;

/// What the status of one item depends on.
pub struct StatusInput<'a> {
    /// Its progress.
    pub progress: f64,
    /// Expected progress at as_of.
    pub expected: f64,
    /// Whether it has had any check-in (or done step, or manual update) by as_of.
    pub active: bool,
    /// Band of its confidence, if any.
    pub confidence: Option<ConfidenceBand>,
    /// Its cycle.
    pub cycle: &'a Cycle,
    /// The evaluated day.
    pub as_of: NaiveDate,
}

/// `done` at p ≥ 1; `not_started` with no activity in the first `not_started_days`; then `on_track`,
/// `at_risk` or `off_track` by the distance behind pace; low confidence turns `on_track` into `at_risk`.
/// Progress is a computed quantity: it meets each boundary within ε ([`crate::num`], DOMAIN.md §0).
pub fn status(i: &StatusInput<'_>, s: &Settings) -> Status {
    if ge(i.progress, 1.0) {
        return Status::Done;
    }
    let in_grace = || i.as_of < i.cycle.start + chrono::Duration::days(i64::from(s.not_started_days));
    if !i.active && in_grace() {
        return Status::NotStarted;
    }
    if ge(i.progress, i.expected - s.on_track_tolerance) {
        if i.confidence == Some(ConfidenceBand::Low) {
            Status::AtRisk
        } else {
            Status::OnTrack
        }
    } else if ge(i.progress, i.expected - s.at_risk_tolerance) {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}
