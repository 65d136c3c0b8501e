use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who owns an objective: an org unit or a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Owner {
    /// An org unit id.
    Unit(String),
    /// A person id.
    Person(String),
}

/// Google's two kinds of objective: committed ones are expected at 1.0, aspirational ones at about 0.7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// Expected to be met in full.
    #[default]
    Committed,
    /// A stretch goal; 0.6–0.7 is the sweet spot.
    Aspirational,
}

/// Who may see an objective (DOMAIN.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone.
    #[default]
    Public,
    /// The owning unit's subtree and its manager chain.
    Team,
    /// The owner, the owner's manager chain and hr_admin.
    Private,
}

/// Where an objective's progress comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgressFrom {
    /// The weighted mean of its key results.
    #[default]
    KeyResults,
    /// The weighted mean of its `contributes` children.
    Children,
    /// Both, as one weighted mean.
    Both,
    /// The owner's latest manual update.
    Manual,
}

/// How an objective rolls up its key results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    /// Σ wᵢ·pᵢ / Σ wᵢ.
    #[default]
    Weighted,
    /// (Σcurrent − Σstart) / (Σtarget − Σstart), for KRs of one kind and one unit.
    ByValue,
}

/// A point of a phased pace: by `date` the expected progress is `expected`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// The day the checkpoint falls on (inside the cycle).
    #[serde(deserialize_with = "crate::model::date::de")]
    pub date: NaiveDate,
    /// Expected progress on that day, in [0, 1].
    pub expected: f64,
}

/// A manual progress update of an objective whose `progress_from` is `manual`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ManualUpdate {
    /// Day of the update.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub date: NaiveDate,
    /// Progress in [0, 1].
    pub progress: f64,
    /// Optional free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An objective: a qualitative direction, measured by its key results or its children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Unique id among objectives.
    pub id: String,
    /// Title (any language).
    #[serde(default)]
    pub title: String,
    /// Owning unit or person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// The cycle it belongs to.
    pub cycle: String,
    /// Committed or aspirational.
    #[serde(default)]
    pub kind: ObjectiveKind,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
    /// Where its progress comes from.
    #[serde(default)]
    pub progress_from: ProgressFrom,
    /// Roll-up rule for its key results; `None` takes the evaluation setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<Rollup>,
    /// Phased pace checkpoints; empty means linear pace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pace: Vec<Checkpoint>,
    /// Manual progress updates (only with `progress_from = manual`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manual_updates: Vec<ManualUpdate>,
}

/// The six kinds of key result (names as in Viva Goals / Quantive / Tability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KrKind {
    /// Move a number up from `start` to `target`.
    Increase,
    /// Move a number down from `start` to `target`.
    Decrease,
    /// Keep a number at or above `bound`.
    StayAbove,
    /// Keep a number at or below `bound`.
    StayBelow,
    /// Done or not, optionally by a weighted checklist.
    Milestone,
    /// Progress of a child objective.
    Linked,
}

/// One step of a milestone's checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What the step is.
    #[serde(default)]
    pub title: String,
    /// Share of the milestone (default 1).
    #[serde(default = "one")]
    pub weight: f64,
    /// The day it was done; `None` while open.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::model::date::de_opt"
    )]
    pub done_on: Option<NaiveDate>,
}

/// A change of a key result's definition, in force from `effective` on. Nothing is overwritten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KrVersion {
    /// First day the change is in force.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub effective: NaiveDate,
    /// Why it changed (required).
    #[serde(default)]
    pub reason: String,
    /// New start, if changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// New target, if changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// New bound, if changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
    /// New weight, if changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A key result: the measurable part of an objective. Which fields apply depends on `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyResult {
    /// Unique id among key results.
    pub id: String,
    /// The objective it measures.
    pub objective: String,
    /// Title (any language).
    #[serde(default)]
    pub title: String,
    /// Which formula turns its current value into progress.
    pub kind: KrKind,
    /// Baseline (`increase`, `decrease`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    /// Goal (`increase`, `decrease`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Limit (`stay_above`, `stay_below`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
    /// Whether reaching the bound exactly complies (`stay_*`, default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusive: Option<bool>,
    /// Weighted checklist (`milestone`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// The child objective whose progress this KR takes (`linked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_objective: Option<String>,
    /// Weight within its objective (default 1; 0 allowed).
    #[serde(default = "one")]
    pub weight: f64,
    /// Unit of measure ("%", "USD", "users"); needed for `by_value` roll-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Phased pace checkpoints; empty means the objective's pace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pace: Vec<Checkpoint>,
    /// Later definitions, each with an effective date and a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<KrVersion>,
    /// The KPI metric this KR reads its value from (DOMAIN.md §8); it then takes no manual check-ins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<KpiLink>,
}

/// Which slice of a metric a linked key result reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkWindow {
    /// The metric over the KR's cycle from its first day to the data cut-off.
    #[default]
    CycleToDate,
    /// The metric over its own grain period that holds the data cut-off.
    LatestGrain,
}

/// A key result's link to a KPI metric × scope: its check-ins are derived from observations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KpiLink {
    /// The metric read.
    pub metric: String,
    /// The org unit (with its subtree) or person whose observations count.
    pub scope: crate::model::Scope,
    /// Cycle-to-date (default) or latest grain.
    #[serde(default)]
    pub window: LinkWindow,
    /// Days data takes to close: as of day d the KR sees data up to d − lag_days.
    #[serde(default)]
    pub lag_days: u32,
}

/// A dated measurement of a key result, with the owner's confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The key result measured.
    pub key_result: String,
    /// Day of the measurement (inside the objective's cycle).
    #[serde(deserialize_with = "super::date::de")]
    pub date: NaiveDate,
    /// The measured value (required except on checklist milestones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Confidence 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whether an alignment counts in the parent's roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlignmentMode {
    /// The child's progress counts in the parent's roll-up.
    #[default]
    Contributes,
    /// Shown in the tree, never counted.
    Supports,
}

/// A child → parent edge of the alignment graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Alignment {
    /// The aligned (lower) objective.
    pub child: String,
    /// The objective it aligns to.
    pub parent: String,
    /// Weight of the child in the parent's roll-up (default 1; 0 allowed).
    #[serde(default = "one")]
    pub weight: f64,
    /// Counted or only shown.
    #[serde(default)]
    pub mode: AlignmentMode,
}

fn one() -> f64 {
    1.0
}
