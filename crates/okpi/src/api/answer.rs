//! The answers: one typed result per call, whose JSON is exactly the result's JSON as the bindings have always
//! written it.

use crate::access::{Filter, View};
use crate::alert::{AlertReport, Event, State};
use crate::decide::{Advice, Portfolio};
use crate::diagnose::Diagnosis;
use crate::hybrid::StrategyView;
use crate::kpi::{QueryResult, ScoreReport, ScorecardReport};
use crate::okr::Explanation;
use crate::{CheckInRecord, Document, Evaluation};
use serde::Serialize;

/// What a [`crate::api::Call`] answers. Its JSON form is the result's own (untagged).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[non_exhaustive]
pub enum Answer {
    /// `evaluate`.
    Evaluation(Evaluation),
    /// `explain`.
    Explanation(Explanation),
    /// `check_ins`.
    CheckIns(Vec<CheckInRecord>),
    /// `query` and `query_units`.
    Query(QueryResult),
    /// `score`.
    Score(ScoreReport),
    /// `scorecards`.
    Scorecards(ScorecardReport),
    /// `alerts`.
    Alerts(AlertReport),
    /// `alert_series`.
    AlertSeries(SeriesAnswer),
    /// `diagnose`.
    Diagnosis(Diagnosis),
    /// `strategy_view`.
    StrategyView(StrategyView),
    /// `advise` with one `profile`.
    Advice(Advice),
    /// `advise` with `profiles`.
    Portfolio(Portfolio),
    /// `filter`: the filtered report, typed (its dates are dates), written as the report's own JSON.
    Filtered(Box<crate::access::FilteredReport>),
    /// `document`.
    Document(Box<Document>),
    /// `apply_check_in`: `null`.
    Applied,
}

/// One rule over one series: the state to store and the events, in date order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SeriesAnswer {
    /// The state after the last observation; pass it back to resume.
    pub state: State,
    /// The events.
    pub events: Vec<Event>,
}

impl Answer {
    /// The answer's JSON (the result's own JSON).
    pub fn to_json(&self) -> String {
        // Plain structs of strings, numbers and dates cannot fail to serialise; fall back to "null" rather than
        // panic.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("null"))
    }
}

impl Filter for Answer {
    fn filter(self, view: &View<'_>) -> Self {
        match self {
            Answer::Evaluation(r) => Answer::Evaluation(view.apply(r)),
            Answer::Query(r) => Answer::Query(view.apply(r)),
            Answer::Score(r) => Answer::Score(view.apply(r)),
            Answer::Scorecards(r) => Answer::Scorecards(view.apply(r)),
            Answer::Alerts(r) => Answer::Alerts(view.apply(r)),
            Answer::Diagnosis(r) => Answer::Diagnosis(view.apply(r)),
            Answer::StrategyView(r) => Answer::StrategyView(view.apply(r)),
            Answer::Advice(r) => Answer::Advice(view.apply(r)),
            Answer::Portfolio(r) => Answer::Portfolio(view.apply(r)),
            // An explanation is filtered where it is made (a hidden id is unknown); the rest name no one the
            // calls with a viewer could hide.
            other => other,
        }
    }
}
