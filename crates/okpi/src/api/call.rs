//! The calls: one typed request per operation, with the JSON form `{"op": "<name>", …fields}`.
//!
//! Dates are `YYYY-MM-DD` text, read strictly by [`crate::model::parse_date`] when the call runs, so that a bad
//! one is reported as the bindings always have (`E_PARSE` at `$.<field>`). Every call that computes a report
//! takes an optional `viewer` (`{"person", "roles", "settings"}`): the report, or the error, is then filtered for
//! them (DOMAIN.md §9).

use crate::access::ViewRequest;
use crate::alert::{AlertObservation, Rule, State};
use crate::decide::{AdvisorSettings, BusinessProfile};
use crate::diagnose::DiagnoseSettings;
use crate::hybrid::StrategySettings;
use crate::kpi::{Query, ScorecardRequest};
use crate::model::CheckIn;
use crate::Settings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One operation on a model. Its JSON form is internally tagged by `op`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Call {
    /// Evaluates the OKRs: answers an [`crate::Evaluation`].
    Evaluate(Evaluate),
    /// Explains one number of a key result or objective: answers an [`crate::okr::Explanation`].
    Explain(Explain),
    /// The check-ins of one key result up to a day: answers a list of [`crate::CheckInRecord`].
    CheckIns(CheckIns),
    /// Adds one check-in to the model (only through [`crate::api::call_mut`]): answers `null`.
    ApplyCheckIn(ApplyCheckIn),
    /// Runs a KPI query: answers a [`crate::kpi::QueryResult`].
    Query(QueryCall),
    /// Runs a KPI query for every org unit over its subtree: answers a [`crate::kpi::QueryResult`].
    QueryUnits(QueryUnits),
    /// Scores the KPI targets: answers a [`crate::kpi::ScoreReport`].
    Score(Score),
    /// Totals the scorecards: answers a [`crate::kpi::ScorecardReport`].
    Scorecards(Scorecards),
    /// Runs every alert rule of the document over a range of days: answers an [`crate::alert::AlertReport`].
    Alerts(Alerts),
    /// Runs one alert rule over a series: answers `{"state", "events"}` ([`crate::api::SeriesAnswer`]).
    AlertSeries(AlertSeries),
    /// Runs the diagnostics: answers a [`crate::diagnose::Diagnosis`].
    Diagnose(Diagnose),
    /// The strategy view: answers a [`crate::hybrid::StrategyView`].
    StrategyView(StrategyViewCall),
    /// Advises one business line (`profile`) or many (`profiles`): answers an [`crate::decide::Advice`] or a
    /// [`crate::decide::Portfolio`].
    Advise(Advise),
    /// Filters a report given as JSON for a viewer: answers the filtered report.
    Filter(FilterCall),
    /// The model's document, normalised (items sorted by id) with every check-in applied: answers a
    /// [`crate::Document`].
    Document(DocumentCall),
}

impl Call {
    /// The call's `op` name.
    pub fn op(&self) -> &'static str {
        match self {
            Call::Evaluate(_) => "evaluate",
            Call::Explain(_) => "explain",
            Call::CheckIns(_) => "check_ins",
            Call::ApplyCheckIn(_) => "apply_check_in",
            Call::Query(_) => "query",
            Call::QueryUnits(_) => "query_units",
            Call::Score(_) => "score",
            Call::Scorecards(_) => "scorecards",
            Call::Alerts(_) => "alerts",
            Call::AlertSeries(_) => "alert_series",
            Call::Diagnose(_) => "diagnose",
            Call::StrategyView(_) => "strategy_view",
            Call::Advise(_) => "advise",
            Call::Filter(_) => "filter",
            Call::Document(_) => "document",
        }
    }
}

/// Every `op` name, in the order of [`Call`]'s variants.
pub const OPS: &[&str] = &[
    "evaluate",
    "explain",
    "check_ins",
    "apply_check_in",
    "query",
    "query_units",
    "score",
    "scorecards",
    "alerts",
    "alert_series",
    "diagnose",
    "strategy_view",
    "advise",
    "filter",
    "document",
];

/// `{"op": "evaluate", "as_of", "settings", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Evaluate {
    /// The day evaluated, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub as_of: String,
    /// The evaluation settings; absent: the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

impl Evaluate {
    /// An evaluation as of `as_of` with the default settings, for everyone.
    pub fn new(as_of: impl Into<String>) -> Self {
        Evaluate {
            as_of: as_of.into(),
            settings: None,
            viewer: None,
        }
    }
}

/// `{"op": "explain", "as_of", "id", "quantity", "settings", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Explain {
    /// The day evaluated, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub as_of: String,
    /// The key result or objective.
    pub id: String,
    /// One of progress, expected, status, confidence, score.
    #[cfg_attr(feature = "schema", schemars(with = "crate::okr::Quantity"))]
    pub quantity: String,
    /// The evaluation settings; absent: the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// Explain for this viewer (an id they may not see is unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "check_ins", "as_of", "key_result"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckIns {
    /// The last day included, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub as_of: String,
    /// The key result.
    pub key_result: String,
    /// List for this viewer: a key result they may not see is unknown to them, as one that does not exist.
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "apply_check_in", "check_in": {"key_result", "date", "value", "confidence", "note"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplyCheckIn {
    /// The check-in to add.
    pub check_in: CheckIn,
}

/// `{"op": "query", "query": {…}, "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QueryCall {
    /// The query.
    pub query: Query,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "query_units", "query_units": {…}, "viewer"}`: a query without `group_by`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QueryUnits {
    /// The query run for every org unit.
    pub query_units: Query,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "score", "as_of", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The day scored, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub as_of: String,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "scorecards", "scorecards": {"as_of", "distribution"}, "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scorecards {
    /// The scorecard request.
    pub scorecards: ScorecardRequest,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "alerts", "from", "to", "states", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Alerts {
    /// The first day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub from: String,
    /// The last day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub to: String,
    /// The stored states by rule id, as a previous call wrote them; absent: fresh.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub states: BTreeMap<String, State>,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "alert_series", "rule", "state", "series": [{"date", "value"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertSeries {
    /// The rule.
    pub rule: Rule,
    /// The stored state; absent: fresh.
    #[serde(default)]
    pub state: State,
    /// The series (`value` null = missing).
    pub series: Vec<AlertObservation>,
}

/// `{"op": "diagnose", "as_of", "settings", "diagnose_settings", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Diagnose {
    /// The day evaluated, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub as_of: String,
    /// The evaluation settings; absent: the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Settings>,
    /// The rules' settings; absent: the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnose_settings: Option<DiagnoseSettings>,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "strategy_view", "as_of", "settings", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StrategyViewCall {
    /// The day viewed, `YYYY-MM-DD`.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date")))]
    pub as_of: String,
    /// The strategy settings; absent: the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<StrategySettings>,
    /// Filter the answer for this viewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer: Option<ViewRequest>,
}

/// `{"op": "advise", "profile" | "profiles", "settings"}`: exactly one of `profile` and `profiles`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Advise {
    /// One business line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<BusinessProfile>,
    /// Many business lines: the company-wide portfolio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles: Option<Vec<BusinessProfile>>,
    /// The advisor's thresholds; absent: the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<AdvisorSettings>,
}

/// `{"op": "filter", "kind", "report", "viewer"}`: `kind` is one of [`crate::access::KINDS`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FilterCall {
    /// What the report is.
    pub kind: String,
    /// The report, as another call answered it.
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub report: Box<serde_json::value::RawValue>,
    /// The viewer.
    pub viewer: ViewRequest,
}

impl PartialEq for FilterCall {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.report.get() == other.report.get() && self.viewer == other.viewer
    }
}

/// `{"op": "document"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentCall {}
