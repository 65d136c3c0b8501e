//! Alert rules as a replayable state machine (DOMAIN.md §7).
//!
//! A [`Rule`] watches a series of [`AlertObservation`]s (one per evaluation, `None` for missing data). [`step`] is
//! pure: it takes the rule, a [`State`] and one observation and returns the next state and the [`Event`]s it
//! emits. [`evaluate_series`] is a fold of `step`. The state serialises (it carries the bounded history that
//! `change_pct`, `trend` and `anomaly` need), so a host can store it and resume later.
//!
//! Readings where DOMAIN.md §7 is silent (the rest are on [`step`] and [`Condition`]):
//!
//! - Severity with hysteresis: critical if it breaches, or critical is active and has not passed its recovery;
//!   else warning if it breaches, or an alert is active (warning or critical) and warning has not passed its
//!   recovery; else none. A critical that recovers thus falls back to warning (`severity_changed`) while warning
//!   still holds. Recovery applies while pending too.
//! - "Passed its recovery" is the breach test with the recovery in place of the threshold: for `above` (and
//!   `anomaly`) value ≤ recovery ends it, for `below` (and `below_target`) value ≥ recovery, for `change_pct` and
//!   `trend` a bad-direction measure below the recovery. `outside` / `inside` take no recovery.
//! - `change_pct` and `trend` breach when the bad-direction measure is > 0 and ≥ the threshold, so a flat series
//!   never breaches, even at threshold 0.
//! - Comparisons are exact, without the OKR engine's 1e-9 tolerance.
//! - Events: `resolved` carries the severity that ends; `no_data` carries none; `threshold` is the number of the
//!   event's severity (`band` for `outside` / `inside`); `measure` is the number compared with it.
//!
//! ```
//! use okpi::alert::{evaluate_series, EventKind, AlertObservation, Rule, AlertSeverity, State};
//! // Fire above 1000, resolve only at or below 900.
//! let rule = Rule::from_json(r#"{"id": "latency", "metric": "p99_ms", "scope": "api", "grain": "day",
//!     "condition": "above", "critical": {"value": 1000, "recovery": 900}}"#)?;
//! let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
//! let series: Vec<AlertObservation> = [800.0, 1100.0, 950.0, 900.0].iter().zip(1..)
//!     .map(|(v, d)| AlertObservation { date: day(d), value: Some(*v) }).collect();
//! let (state, events) = evaluate_series(&rule, State::default(), &series);
//! assert_eq!(events.len(), 2);
//! assert_eq!((events[0].kind, events[0].date, events[0].severity), (EventKind::Firing, day(2), Some(AlertSeverity::Critical)));
//! assert_eq!((events[1].kind, events[1].date), (EventKind::Resolved, day(4))); // 950 still holds
//! let stored = serde_json::to_string(&state).unwrap();
//! let resumed: State = serde_json::from_str(&stored).unwrap();
//! assert_eq!(resumed, state);
//! # Ok::<(), okpi::Error>(())
//! ```

mod condition;
mod document;
mod explanation;
mod state;
mod step;
mod window;

pub use crate::model::alert::{AlertDirection, AlertSeverity, Condition, NoDataPolicy, Rule, Threshold};
pub use crate::validate::alert_rule::{validate_rule, validate_rule_with_limits};
pub use condition::{achievement, median, slope};
pub(crate) use document::evaluate_rules_with;
pub use document::{evaluate_rules, AlertReport, AlertResult};
pub use explanation::Explanation;
pub use state::{AlertObservation, AlertStatus, Event, EventKind, State};
#[cfg(feature = "parallel")]
pub use step::evaluate_many;
pub use step::{evaluate_series, evaluate_values, step};

pub(crate) fn direction_name(d: AlertDirection) -> &'static str {
    match d {
        AlertDirection::HigherIsBetter => "higher_is_better",
        AlertDirection::LowerIsBetter => "lower_is_better",
    }
}
