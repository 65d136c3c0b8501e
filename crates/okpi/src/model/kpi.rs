//! KPI document types (DOMAIN.md §5–6): measures, observations, metrics, targets and scorecards.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A raw quantity that observations measure (orders, revenue, tickets …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Unit of measurement (e.g. `CNY`, `orders`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// One raw observation `(measure, date, value, dims, source)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The measure observed.
    pub measure: String,
    /// The day it belongs to.
    #[serde(deserialize_with = "super::date::de")]
    pub date: NaiveDate,
    /// The value.
    pub value: f64,
    /// Categorical dimensions; `unit` names an org unit (org units aggregate their whole subtree).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dims: BTreeMap<String, String>,
    /// The system the value came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How a simple metric aggregates its measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Agg {
    /// Sum of values (0 when there are none).
    #[default]
    Sum,
    /// Number of observations.
    Count,
    /// Mean of values.
    Avg,
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
    /// Sum of the values on the latest observed day (a semi-additive snapshot, additive across units).
    Last,
}

/// The kind of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MetricKind {
    /// Aggregates one measure (`measure`, `agg`).
    Simple,
    /// `numerator` / `denominator`, each aggregated first.
    Ratio,
    /// An arithmetic `expression` over other metrics.
    Derived,
    /// `metric` accumulated over a `window` of grains or `to_date`.
    Cumulative,
}

/// Time grains (weeks are ISO weeks, starting on Monday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// One day.
    Day,
    /// One ISO week, Monday to Sunday.
    Week,
    /// One calendar month.
    #[default]
    Month,
    /// One calendar quarter.
    Quarter,
    /// One calendar year.
    Year,
}

/// Grain-to-date accumulation of a cumulative metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ToDate {
    /// From the Monday of the ISO week.
    WeekToDate,
    /// From the first of the month.
    MonthToDate,
    /// From the first of the quarter.
    QuarterToDate,
    /// From 1 January.
    YearToDate,
}

/// Which way is good.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better; achievement = actual / target.
    #[default]
    HigherIsBetter,
    /// Less is better; achievement by the target's `formula`.
    LowerIsBetter,
    /// Good inside `[lo, hi]`.
    Band {
        /// Lower edge (inclusive).
        lo: f64,
        /// Upper edge (inclusive).
        hi: f64,
    },
}

/// A metric definition: one definition, one number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Unique id; derived expressions refer to metrics by it.
    pub id: String,
    /// Kind of metric.
    pub kind: MetricKind,
    /// `simple`: the measure aggregated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// `simple`: the aggregation (default `sum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agg: Option<Agg>,
    /// `ratio`: the numerator metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<String>,
    /// `ratio`: the denominator metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// `derived`: e.g. `revenue / revenue(offset 1) - 1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// `cumulative`: the metric accumulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// `cumulative`: number of grains in the trailing window (including the current one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<u32>,
    /// `cumulative`: grain-to-date instead of a window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_date: Option<ToDate>,
    /// Unit of the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which way is good (default `higher_is_better`).
    #[serde(default)]
    pub direction: Direction,
    /// Default grain of queries (default `month`).
    #[serde(default)]
    pub grain: Grain,
    /// Past changes of this definition, oldest first: an audit trail, not part of the definition (its version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<MetricChange>,
}

/// One past change of a metric's definition. okpi computes every period with the current definition (as dbt
/// MetricFlow recomputes history), so a change inside a target's cycle silently restates numbers already reported
/// in it: `kpi.definition_changed_mid_cycle` finds those.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricChange {
    /// First day the new definition was in force.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub on: NaiveDate,
    /// Why it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The version (content hash) of the definition it replaced, when the host kept it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
}

/// The scope of a target or scorecard: an org unit (with its subtree) or a person.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// An org unit id; observations of its whole subtree count.
    Unit(String),
    /// A person id; observations with dim `person` equal to it count.
    Person(String),
}

/// How lower-is-better achievement is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Formula {
    /// target / actual.
    #[default]
    Inverse,
    /// 2 − actual / target.
    Complement,
}

/// One band of a `bands` curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest achievement of the band.
    pub min_a: f64,
    /// Score (percent) in the band.
    pub score: f64,
}

fn d0() -> f64 {
    0.0
}
fn d120() -> f64 {
    120.0
}
fn d50() -> f64 {
    50.0
}
fn d100() -> f64 {
    100.0
}
fn d150() -> f64 {
    150.0
}

/// A scoring curve: achievement (or raw value) → score in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Curve {
    /// clamp(100·a, floor, cap).
    Linear {
        /// Lowest score (default 0).
        #[serde(default = "d0")]
        floor: f64,
        /// Highest score (default 120).
        #[serde(default = "d120")]
        cap: f64,
    },
    /// Piecewise linear on raw values: 0 below threshold, threshold → target → stretch, flat above.
    ThresholdTargetStretch {
        /// Score at the threshold (default 50).
        #[serde(default = "d50")]
        at_threshold: f64,
        /// Score at the target (default 100).
        #[serde(default = "d100")]
        at_target: f64,
        /// Score at the stretch (default 150).
        #[serde(default = "d150")]
        at_stretch: f64,
    },
    /// The score of the highest band with `min_a ≤ a`, 0 below all.
    Bands(Vec<Band>),
    /// 100 if a ≥ 1, else 0.
    Binary,
}

impl Default for Curve {
    fn default() -> Self {
        Curve::Linear {
            floor: 0.0,
            cap: 120.0,
        }
    }
}

/// A dated change of a target's values; after `locked_at` it needs a reason and is kept as an audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetChange {
    /// Day the change takes effect.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub on: NaiveDate,
    /// Why (required after lock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// New threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// New target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// New stretch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stretch: Option<f64>,
}

fn one() -> f64 {
    1.0
}

/// A target: metric × scope × cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Unique id.
    pub id: String,
    /// The metric.
    pub metric: String,
    /// Unit or person.
    pub scope: Scope,
    /// The cycle whose days are measured.
    pub cycle: String,
    /// Threshold (needed by `threshold_target_stretch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Target value.
    pub target: f64,
    /// Stretch value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stretch: Option<f64>,
    /// Weight (informational; scorecard items carry their own weights).
    #[serde(default = "one")]
    pub weight: f64,
    /// Scoring curve (default `linear`).
    #[serde(default)]
    pub curve: Curve,
    /// Lower-is-better achievement formula (default `inverse`).
    #[serde(default)]
    pub formula: Formula,
    /// Decimals of the final score (half-up); none: unrounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
    /// Day the target was locked.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::model::date::de_opt"
    )]
    pub locked_at: Option<NaiveDate>,
    /// Dated changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<TargetChange>,
    /// Front-office key results this back-office target supports (the support map of DOMAIN.md §8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supports: Vec<String>,
}

/// One weighted target in a scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScorecardItem {
    /// The target scored.
    pub target: String,
    /// Weight in percent; all weights (with the OKR one) sum to 100.
    pub weight: f64,
}

/// The OKR component of a scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OkrComponent {
    /// The objective whose score × 100 counts.
    pub objective: String,
    /// Weight in percent (default 0).
    #[serde(default)]
    pub weight: f64,
}

/// A grade band: `grade` when total ≥ `min`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// Grade name.
    pub grade: String,
    /// Lowest total of the grade.
    pub min: f64,
}

/// A scorecard for a person or unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// Unique id.
    pub id: String,
    /// Who is scored.
    pub subject: Scope,
    /// Weighted targets.
    #[serde(default)]
    pub items: Vec<ScorecardItem>,
    /// Optional OKR component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okr: Option<OkrComponent>,
    /// Grade bands, highest first (default S ≥ 120, A ≥ 105, B ≥ 90, C ≥ 70, else D).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<Vec<GradeBand>>,
    /// Forced-distribution group (scorecards without one form one group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Decimals of the total (half-up); none: unrounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
}
