//! The state an alert carries between evaluations, and the events it emits.

use super::explanation::Explanation;
use crate::model::alert::AlertSeverity;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One evaluation's input: the metric's value at a date; `None` is missing data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertObservation {
    /// The date of the evaluation.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub date: NaiveDate,
    /// The value, or `None` (JSON `null`) when missing. A NaN or infinite value also counts as missing.
    pub value: Option<f64>,
}

/// Where an alert is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Not breaching.
    #[default]
    Normal,
    /// Breaching, for not yet more than `for` evaluations.
    Pending,
    /// Firing.
    Firing,
    /// Data is missing (the `no_data` policy).
    NoData,
}

/// Everything an alert carries between evaluations. It serialises, so a host can store it and resume:
/// folding [`step`](super::step) from a stored state gives the same events as one unbroken run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Where the alert is.
    pub status: AlertStatus,
    /// The active severity while pending or firing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<AlertSeverity>,
    /// Consecutive breaching evaluations (while pending or firing).
    #[serde(default)]
    pub breaches: u64,
    /// Consecutive evaluations without a breach while firing (for `keep_firing_for`).
    #[serde(default)]
    pub quiet: u64,
    /// The latest earlier observations' values, oldest first, at most [`Rule::history_len`](super::Rule::history_len)
    /// of them (missing ones as `null`).
    #[serde(default)]
    pub history: Vec<Option<f64>>,
}

/// The kind of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// The condition breached for the first time (only when `for` > 0).
    Pending,
    /// The alert fired.
    Firing,
    /// A firing alert's severity changed.
    SeverityChanged,
    /// A firing alert stopped firing.
    Resolved,
    /// Data went missing under the `no_data` policy.
    NoData,
}

/// Something that happened at an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Event {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The rule's id.
    pub rule: String,
    /// The evaluation's date.
    pub date: NaiveDate,
    /// The observed value (`None` when missing).
    pub value: Option<f64>,
    /// The number compared with the threshold: the value, achievement, change %, slope or robust z-score
    /// (`None` when missing or infinite, e.g. an anomaly over a constant window).
    pub measure: Option<f64>,
    /// The threshold of the event's severity (`None` for a band or without severity).
    pub threshold: Option<f64>,
    /// The band `[lo, hi]` of the event's severity for `outside` / `inside`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<[f64; 2]>,
    /// The severity: the new one for `pending`, `firing` and `severity_changed`, the one that ends for
    /// `resolved`, none for `no_data`.
    pub severity: Option<AlertSeverity>,
    /// A sentence naming the value, the threshold and the rule's relevant settings, written out when serialised
    /// or asked for (`to_string()`).
    pub explanation: Explanation,
}
