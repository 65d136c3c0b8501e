//! The calls: one typed request per operation, with the JSON form `{"op": "<name>", …fields}`.
//!
//! Dates are `YYYY-MM-DD` text, read strictly by [`crate::model::parse_date`] when the call runs, so that a bad
//! one is reported as the bindings always have (`E_PARSE` at `$.<field>`). Every call that computes a report
//! takes an optional `viewer` (`{"person", "roles", "settings"}`): the report, or the error, is then filtered for
//! them (DOMAIN.md §9).
//!
//! In Rust a call is built with its payload's `new` and `with_*` setters (the payloads are `#[non_exhaustive]`, so
//! that a field can be added without a break); it equals the call its JSON form reads as:
//!
//! ```
//! use okpi::api::{call, read_call, Call};
//! use okpi::access::ViewRequest;
//! let built = Call::Diagnose(call::Diagnose::new("2026-02-01").with_viewer(ViewRequest::new("ann")));
//! let read = read_call(r#"{"op": "diagnose", "as_of": "2026-02-01", "viewer": {"person": "ann"}}"#,
//!     &okpi::Limits::default())?;
//! assert_eq!(built, read);
//! let alerts = call::Alerts::new("2026-01-01", "2026-01-31").with_states(Default::default());
//! assert_eq!(Call::Alerts(alerts), read_call(r#"{"op": "alerts", "from": "2026-01-01", "to": "2026-01-31"}"#,
//!     &okpi::Limits::default())?);
//! # Ok::<(), okpi::Error>(())
//! ```

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
#[non_exhaustive]
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

/// `{"op": "explain", "as_of", "id", "quantity", "settings", "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct ApplyCheckIn {
    /// The check-in to add.
    pub check_in: CheckIn,
}

/// `{"op": "query", "query": {…}, "viewer"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct DocumentCall {}

// Constructors: the payloads are `#[non_exhaustive]` so that a field can be added without a break; a host builds
// one with `new` (the required fields) and the `with_*` setters (the optional ones, absent by default).

impl Evaluate {
    /// An evaluation as of `as_of` (`YYYY-MM-DD`) with the default settings, for everyone.
    pub fn new(as_of: impl Into<String>) -> Self {
        Evaluate {
            as_of: as_of.into(),
            settings: None,
            viewer: None,
        }
    }
}

impl Explain {
    /// Explains `quantity` (progress, expected, status, confidence or score) of the key result or objective `id`
    /// as of `as_of`, with the default settings, for everyone.
    pub fn new(as_of: impl Into<String>, id: impl Into<String>, quantity: impl Into<String>) -> Self {
        Explain {
            as_of: as_of.into(),
            id: id.into(),
            quantity: quantity.into(),
            settings: None,
            viewer: None,
        }
    }
}

impl CheckIns {
    /// The check-ins of `key_result` up to `as_of`, for everyone.
    pub fn new(as_of: impl Into<String>, key_result: impl Into<String>) -> Self {
        CheckIns {
            as_of: as_of.into(),
            key_result: key_result.into(),
            viewer: None,
        }
    }
}

impl ApplyCheckIn {
    /// Adds `check_in`.
    pub fn new(check_in: CheckIn) -> Self {
        ApplyCheckIn { check_in }
    }
}

impl QueryCall {
    /// Runs `query`, for everyone.
    pub fn new(query: Query) -> Self {
        QueryCall { query, viewer: None }
    }
}

impl QueryUnits {
    /// Runs `query_units` for every org unit, for everyone.
    pub fn new(query_units: Query) -> Self {
        QueryUnits {
            query_units,
            viewer: None,
        }
    }
}

impl Score {
    /// Scores the targets as of `as_of`, for everyone.
    pub fn new(as_of: impl Into<String>) -> Self {
        Score {
            as_of: as_of.into(),
            viewer: None,
        }
    }
}

impl Scorecards {
    /// Totals the scorecards of `scorecards`, for everyone.
    pub fn new(scorecards: ScorecardRequest) -> Self {
        Scorecards {
            scorecards,
            viewer: None,
        }
    }
}

impl Alerts {
    /// Runs the document's alert rules over `from..=to`, fresh, for everyone.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Alerts {
            from: from.into(),
            to: to.into(),
            states: BTreeMap::new(),
            viewer: None,
        }
    }

    /// Resumes from the stored states, by rule id.
    pub fn with_states(mut self, states: BTreeMap<String, State>) -> Self {
        self.states = states;
        self
    }
}

impl AlertSeries {
    /// Runs `rule` over `series` from a fresh state.
    pub fn new(rule: Rule, series: Vec<AlertObservation>) -> Self {
        AlertSeries {
            rule,
            state: State::default(),
            series,
        }
    }

    /// Resumes from a stored state.
    pub fn with_state(mut self, state: State) -> Self {
        self.state = state;
        self
    }
}

impl Diagnose {
    /// Runs the diagnostics as of `as_of` with the default settings and rules, for everyone.
    pub fn new(as_of: impl Into<String>) -> Self {
        Diagnose {
            as_of: as_of.into(),
            settings: None,
            diagnose_settings: None,
            viewer: None,
        }
    }

    /// The rules' settings (`None`: the defaults).
    pub fn with_diagnose_settings(mut self, rules: impl Into<Option<DiagnoseSettings>>) -> Self {
        self.diagnose_settings = rules.into();
        self
    }
}

impl StrategyViewCall {
    /// The strategy view as of `as_of` with the default settings, for everyone.
    pub fn new(as_of: impl Into<String>) -> Self {
        StrategyViewCall {
            as_of: as_of.into(),
            settings: None,
            viewer: None,
        }
    }
}

impl Advise {
    /// Advises one business line.
    pub fn one(profile: BusinessProfile) -> Self {
        Advise {
            profile: Some(profile),
            profiles: None,
            settings: None,
        }
    }

    /// Advises many business lines: the company-wide portfolio.
    pub fn many(profiles: Vec<BusinessProfile>) -> Self {
        Advise {
            profile: None,
            profiles: Some(profiles),
            settings: None,
        }
    }
}

impl FilterCall {
    /// Filters `report` (JSON another call answered) of kind `kind` for `viewer`.
    pub fn new(
        kind: impl Into<String>,
        report: Box<serde_json::value::RawValue>,
        viewer: ViewRequest,
    ) -> Self {
        FilterCall {
            kind: kind.into(),
            report,
            viewer,
        }
    }
}

impl DocumentCall {
    /// The model's document.
    pub fn new() -> Self {
        DocumentCall {}
    }
}

/// `with_viewer` for the calls that filter their answer for a viewer.
macro_rules! with_viewer {
    ($($call:ty),*) => {$(
        impl $call {
            /// Filters the answer for `viewer` (`None`: for everyone).
            pub fn with_viewer(mut self, viewer: impl Into<Option<ViewRequest>>) -> Self {
                self.viewer = viewer.into();
                self
            }
        }
    )*};
}

with_viewer!(
    Evaluate,
    Explain,
    CheckIns,
    QueryCall,
    QueryUnits,
    Score,
    Scorecards,
    Alerts,
    Diagnose,
    StrategyViewCall
);

/// `with_settings` for the calls that take settings of type `$settings`.
macro_rules! with_settings {
    ($settings:ty: $($call:ty),*) => {$(
        impl $call {
            /// The settings (`None`: the defaults).
            pub fn with_settings(mut self, settings: impl Into<Option<$settings>>) -> Self {
                self.settings = settings.into();
                self
            }
        }
    )*};
}

with_settings!(Settings: Evaluate, Explain, Diagnose);
with_settings!(StrategySettings: StrategyViewCall);
with_settings!(AdvisorSettings: Advise);
