//! The result types every binding returns. They serialise to the JSON that the shared vectors check.

use crate::id::Id;
use crate::model::{KrKind, LinkWindow, ObjectiveKind, Rollup, Scope};
use crate::settings::Settings;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod evidence;
mod flags;
mod maybe;
pub use evidence::Evidence;
pub use flags::Flags;
pub use maybe::MaybeF64;

/// Status of a key result or objective, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// More than the at-risk tolerance behind pace.
    OffTrack,
    /// Behind pace by more than the on-track tolerance, or on track with low confidence.
    AtRisk,
    /// No check-in yet, early in the cycle.
    NotStarted,
    /// Within the on-track tolerance of pace.
    OnTrack,
    /// Progress reached 1.
    Done,
}

/// Confidence band (WorkBoard's 40/70 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceBand {
    /// Below `confidence_low`.
    Low,
    /// Between the two.
    Medium,
    /// At or above `confidence_high`.
    High,
}

/// Colour of a score (Google re:Work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScoreBand {
    /// 0.0–0.3.
    Red,
    /// 0.4–0.6.
    Yellow,
    /// 0.7–1.0.
    Green,
}

/// Facts about a result worth a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Flag {
    /// No check-in on or before as_of: current = start, progress 0.
    NoCheckIn,
    /// An objective with nothing to roll up: progress 0.
    NoSources,
    /// The definition in force differs from the original; see `progress_original`.
    DefinitionChanged,
    /// `by_value` roll-up was asked for by the settings but the key results are mixed; weighted mean used.
    ByValueFallback,
    /// The key result has no start; its first check-in's value serves as the baseline.
    BaselineFromCheckIn,
    /// A key result linked to a KPI metric found no data up to its cut-off: no check-in was derived, so it
    /// also carries `no_check_in` (current = start, progress 0), never a 0 read from the metric.
    NoData,
}

/// The definition of a key result in force at as_of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DefinitionInForce {
    /// First day of this version; absent for the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// Baseline.
    #[serde(default, skip_serializing_if = "MaybeF64::is_none_ref")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub start: MaybeF64,
    /// Goal.
    #[serde(default, skip_serializing_if = "MaybeF64::is_none_ref")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub target: MaybeF64,
    /// Bound of a control KR.
    #[serde(default, skip_serializing_if = "MaybeF64::is_none_ref")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub bound: MaybeF64,
}

/// One evaluated key result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct KrResult {
    /// Key result id.
    pub id: Id,
    /// Its objective's id.
    pub objective: Id,
    /// Its kind.
    pub kind: KrKind,
    /// Value of the latest check-in on or before as_of (start when there is none; the linked objective's
    /// progress for `linked`; absent where no value applies).
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub current: MaybeF64,
    /// Progress after the overshoot setting.
    pub progress: f64,
    /// Progress against the original definition, when a later version is in force.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub progress_original: MaybeF64,
    /// Expected progress at as_of (linear or phased pace).
    pub expected: f64,
    /// Status at as_of.
    pub status: Status,
    /// Confidence of the latest check-in that carries one.
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub confidence: MaybeF64,
    /// Band of that confidence.
    pub confidence_band: Option<ConfidenceBand>,
    /// Control KRs: share of check-ins up to as_of that kept the bound.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub compliance: MaybeF64,
    /// clamp(progress, 0, 1) rounded half-up to one decimal.
    pub score: f64,
    /// Colour of the score.
    pub score_band: ScoreBand,
    /// Weight in force at as_of.
    pub weight: f64,
    /// The definition in force.
    pub definition: DefinitionInForce,
    /// Flags, sorted.
    #[serde(default)]
    pub flags: Flags,
    /// For a key result linked to a KPI metric: where its derived check-ins came from.
    // Boxed: few key results have one, and every result would otherwise carry its size.
    #[serde(default)]
    pub link: Option<Box<LinkResult>>,
}

/// Where the check-ins of a key result linked to a KPI metric came from (DOMAIN.md §8), so a reader can tell
/// which definition of the metric and which data produced its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct LinkResult {
    /// The metric read.
    pub metric: String,
    /// Version of the metric definition that computed every derived check-in.
    pub metric_version: String,
    /// The org unit (with its subtree) or person whose observations count.
    pub scope: Scope,
    /// Cycle-to-date or latest grain.
    pub window: LinkWindow,
    /// Days data takes to close.
    pub lag_days: u32,
    /// The data cut-off: as_of − lag_days. No observation after it was read.
    pub cut_off: NaiveDate,
    /// How many check-ins were derived (one per grain period end in the cycle up to the cut-off, plus the
    /// cut-off itself, each only where the metric had data).
    pub check_ins: usize,
    /// Date of the latest derived check-in, the one `current` comes from.
    pub last_check_in: Option<NaiveDate>,
}

/// One check-in as okpi sees it: entered by a person, or derived from a KPI metric's observations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CheckInRecord {
    /// The key result measured.
    pub key_result: String,
    /// Day of the measurement; for a derived check-in, the last day of data its value reads.
    pub date: NaiveDate,
    /// The value.
    pub value: Option<f64>,
    /// Confidence 0–10 (a derived check-in has none).
    #[serde(default)]
    pub confidence: Option<f64>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether okpi derived it from a KPI metric rather than a person entering it.
    pub derived: bool,
    /// For a derived check-in, the metric read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// For a derived check-in, the version of the metric definition that computed the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_version: Option<String>,
}

/// What an objective's progress was averaged from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SourceKind {
    /// One of its key results.
    KeyResult,
    /// A contributing child objective.
    Objective,
}

/// One term of an objective's roll-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Source {
    /// Key result or child objective.
    pub kind: SourceKind,
    /// Its id.
    pub id: Id,
    /// Its weight as given.
    pub weight: f64,
    /// Weight / Σ weights (sums to 1, as Feishu shows).
    pub normalized_weight: f64,
    /// Its progress.
    pub progress: f64,
}

/// One evaluated objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ObjectiveResult {
    /// Objective id.
    pub id: Id,
    /// Its cycle.
    pub cycle: Id,
    /// Committed or aspirational.
    pub kind: ObjectiveKind,
    /// Rolled-up progress.
    pub progress: f64,
    /// Expected progress at as_of.
    pub expected: f64,
    /// Status at as_of.
    pub status: Status,
    /// Weighted mean confidence of its key results that have one.
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    pub confidence: MaybeF64,
    /// Band of that confidence.
    pub confidence_band: Option<ConfidenceBand>,
    /// clamp(progress, 0, 1) rounded half-up to one decimal.
    pub score: f64,
    /// Colour of the score.
    pub score_band: ScoreBand,
    /// The score this kind of objective is expected to reach: 1.0 committed, 0.7 aspirational.
    pub expected_score: f64,
    /// Whether as_of is on or after the cycle's last day, so the score is final.
    pub score_final: bool,
    /// Roll-up rule used.
    pub rollup: Rollup,
    /// The terms of the roll-up with their weights (empty for `manual`; listed for `by_value` too).
    pub sources: Vec<Source>,
    /// Flags, sorted.
    #[serde(default)]
    pub flags: Flags,
}

/// Everything [`crate::evaluate`] computes for one as-of date. Lists are sorted by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Evaluation {
    /// The date evaluated.
    pub as_of: NaiveDate,
    /// The settings used.
    pub settings: Settings,
    /// Every key result, sorted by id.
    pub key_results: Vec<KrResult>,
    /// Every objective, sorted by id.
    pub objectives: Vec<ObjectiveResult>,
}

impl Evaluation {
    /// The result of one key result.
    pub fn key_result(&self, id: &str) -> Option<&KrResult> {
        let i = self
            .key_results
            .binary_search_by(|k| k.id.as_str().cmp(id))
            .ok()?;
        self.key_results.get(i)
    }

    /// The result of one objective.
    pub fn objective(&self, id: &str) -> Option<&ObjectiveResult> {
        let i = self.objectives.binary_search_by(|o| o.id.as_str().cmp(id)).ok()?;
        self.objectives.get(i)
    }

    /// The evaluation as JSON (the format every binding returns).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("null"))
    }
}
