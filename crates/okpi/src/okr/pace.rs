//! Elapsed time and expected progress (DOMAIN.md §1, §4).

use crate::model::{Checkpoint, Cycle};
use chrono::NaiveDate;

/// clamp((as_of − start + 1 day) / (end − start + 1 day), 0, 1).
///
/// ```
/// use chrono::NaiveDate;
/// let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
/// let q = okpi::model::Cycle { id: "q1".into(), start: d("2026-01-01"), end: d("2026-01-10"), parent: None };
/// assert_eq!(okpi::okr::elapsed(&q, d("2026-01-05")), 0.5);
/// ```
pub fn elapsed(cycle: &Cycle, as_of: NaiveDate) -> f64 {
    let total = days(cycle.start, cycle.end) + 1;
    let done = days(cycle.start, as_of) + 1;
    (done as f64 / total as f64).clamp(0.0, 1.0)
}

/// Expected progress: linear from (start − 1 day, 0) to (end, 1), or piecewise linear through the checkpoints.
pub fn expected(cycle: &Cycle, pace: &[Checkpoint], as_of: NaiveDate) -> f64 {
    if pace.is_empty() {
        return elapsed(cycle, as_of);
    }
    let total = (days(cycle.start, cycle.end) + 1) as f64;
    let x = ((days(cycle.start, as_of) + 1) as f64).clamp(0.0, total);
    let mut prev = (0.0, 0.0);
    let points = pace
        .iter()
        .map(|c| ((days(cycle.start, c.date) + 1) as f64, c.expected))
        .chain([(total, 1.0)]);
    for (px, py) in points {
        if x <= px {
            let span = px - prev.0;
            return if span <= 0.0 {
                py
            } else {
                prev.1 + (py - prev.1) * (x - prev.0) / span
            };
        }
        prev = (px, py);
    }
    1.0
}

/// [`elapsed`] for every cycle of `model`, by cycle position: a pass reads it for each item instead of working it
/// out again.
pub(crate) fn elapsed_by_cycle(model: &crate::store::Model, as_of: NaiveDate) -> Vec<f64> {
    model.cycles.iter().map(|c| elapsed(c, as_of)).collect()
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}
