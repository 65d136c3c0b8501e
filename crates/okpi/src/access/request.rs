//! What the bindings call: a viewer as JSON, a computation run for a viewer, and a report filtered as JSON.

use super::{AccessSettings, Filter, View, Viewer};
use crate::error::{Code, Error, Problem};
use crate::model::{Document, Role};
use crate::store::Model;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A viewer and the access settings as one JSON object, the form the Python and C bindings take:
/// `{"person": "ann", "roles": ["manager"], "settings": {"min_group_size": 5}}` (`roles` and `settings`
/// optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ViewRequest {
    /// The person viewing.
    pub person: String,
    /// Roles to view with; absent: the person's roles in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
    /// The access settings.
    #[serde(default)]
    pub settings: AccessSettings,
}

impl ViewRequest {
    /// `person` viewing with their roles in the document and the default access settings.
    pub fn new(person: impl Into<String>) -> ViewRequest {
        ViewRequest {
            person: person.into(),
            roles: None,
            settings: AccessSettings::default(),
        }
    }

    /// Reads the JSON form; a type error names its path under `$.viewer`.
    pub fn from_json(text: &str) -> Result<ViewRequest, Error> {
        crate::text::parse_json(text).map_err(|e| e.parse_under("$.viewer"))
    }

    /// The viewer part.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            person: self.person.clone(),
            roles: self.roles.clone(),
        }
    }
}

/// Validates `doc` (the model takes it over) and runs `compute` on the model; with a viewer, the result — or the error, including the
/// problems of a document that does not validate — is filtered for them. The viewer is checked first, so an
/// unknown person learns nothing about the document.
///
/// ```
/// use okpi::access::{run_as, ViewRequest};
/// let doc = okpi::Document::from_json(r#"{"schema_version": 1,
///   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
///   "people": [{"id": "ann"}, {"id": "bob"}],
///   "objectives": [{"id": "bobs_secret", "cycle": "q1", "owner": {"person": "bob"}, "visibility": "private"},
///                  {"id": "ours", "cycle": "nope"}]}"#)?;
/// let ann = ViewRequest::from_json(r#"{"person": "ann"}"#)?;
/// let err = run_as(doc, Some(&ann), |m| okpi::evaluate(m, Default::default(), &Default::default())).unwrap_err();
/// assert_eq!(err.problems()[0].code, okpi::Code::E_UNKNOWN_ID); // ours is in an unknown cycle
/// assert!(!format!("{err:?}").contains("bobs_secret"));
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn run_as<T: Filter>(
    doc: Document,
    request: Option<&ViewRequest>,
    compute: impl FnOnce(&Model) -> Result<T, Error>,
) -> Result<T, Error> {
    let Some(request) = request else {
        return compute(&Model::new(doc)?);
    };
    let m = validate_for(doc, &crate::Limits::default(), request)?;
    // Judged against the model just validated (a document view would validate it again for KPI numbers).
    let view = View::new(&m, &request.viewer(), &request.settings)?;
    compute(&m).map(|r| view.apply(r)).map_err(|e| view.apply(e))
}

/// Validates `doc` under `limits` into a model (which takes the document over, no copy) for the viewer of
/// `request`, resolved first so that an unknown one learns nothing; the problems of a document that does not
/// validate are judged against the document and filtered for them, as [`run_as`] does.
pub fn validate_for(doc: Document, limits: &crate::Limits, request: &ViewRequest) -> Result<Model, Error> {
    model_for(doc, limits, request, |e| e)
}

/// [`validate_for`], an error of the viewer itself passed through `viewer_error`.
pub(crate) fn model_for(
    doc: Document,
    limits: &crate::Limits,
    request: &ViewRequest,
    viewer_error: fn(Error) -> Error,
) -> Result<Model, Error> {
    fn view<'d>(doc: &'d Document, request: &ViewRequest) -> Result<View<'d>, Error> {
        View::from_document(doc, &request.viewer(), &request.settings)
    }
    view(&doc, request).map_err(viewer_error)?;
    crate::store::validate_or(doc, limits, |doc, e| match view(doc, request) {
        Ok(view) => view.apply(e),
        Err(v) => viewer_error(v),
    })
}

/// The report kinds [`filter_json`] reads, named as the bindings name their calls.
pub const KINDS: &[&str] = &[
    "evaluation",
    "explanation",
    "query",
    "score",
    "scorecards",
    "alerts",
    "diagnosis",
    "advice",
    "strategy_view",
    "problems",
    "check_ins",
];

/// Filters a report given as JSON: `kind` is one of [`KINDS`] — an [`crate::Evaluation`], an
/// [`crate::okr::Explanation`] (or `null`; a hidden one becomes `null`), a [`crate::kpi::QueryResult`], a
/// [`crate::kpi::ScoreReport`], a [`crate::kpi::ScorecardReport`], an [`crate::alert::AlertReport`], a
/// [`crate::diagnose::Diagnosis`], a [`crate::hybrid::StrategyView`], the advisor's [`crate::decide::Advice`] or
/// [`crate::decide::Portfolio`] (unchanged), a list of problems (objects with `code`, `path`, `id`, `message`,
/// any codes), or a list of check-ins ([`crate::CheckInRecord`]: those of key results the viewer may not see are
/// removed). An unknown kind is `E_INVALID_VALUE` at `$.kind`; a report that does not read is `E_PARSE` under
/// `$.report`.
pub fn filter_json(view: &View<'_>, kind: &str, report: &str) -> Result<String, Error> {
    to_json(&filter_report(view, kind, report)?)
}

/// [`filter_json`]'s report, typed: its dates are dates (a binding hands them on as its language's dates).
pub fn filter_report(view: &View<'_>, kind: &str, report: &str) -> Result<FilteredReport, Error> {
    Ok(match kind {
        "evaluation" => FilteredReport::Evaluation(typed(view, report)?),
        "explanation" => FilteredReport::Explanation(typed(view, report)?),
        "query" => FilteredReport::Query(typed(view, report)?),
        "score" => FilteredReport::Score(typed(view, report)?),
        "scorecards" => FilteredReport::Scorecards(typed(view, report)?),
        "alerts" => FilteredReport::Alerts(typed(view, report)?),
        "diagnosis" => FilteredReport::Diagnosis(typed(view, report)?),
        "strategy_view" => FilteredReport::StrategyView(typed(view, report)?),
        "check_ins" => FilteredReport::CheckIns(typed(view, report)?),
        "advice" => match parse::<crate::decide::Advice>(report) {
            Ok(a) => FilteredReport::Advice(view.apply(a)),
            Err(_) => FilteredReport::Portfolio(typed(view, report)?),
        },
        "problems" => {
            let problems: Vec<serde_json::Map<String, Value>> = parse(report)?;
            FilteredReport::Problems(problems.into_iter().map(|p| problem(view, p)).collect())
        }
        other => {
            return Err(Error::invalid(vec![Problem::new(
                Code::E_INVALID_VALUE,
                "$.kind",
                None,
                format!("kind {other:?} is not one of {}", KINDS.join(", ")),
            )]))
        }
    })
}

/// A report filtered by [`filter_report`], one variant per kind; its JSON is the report's own.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[non_exhaustive]
pub enum FilteredReport {
    /// `evaluation`.
    Evaluation(crate::Evaluation),
    /// `explanation` (`None`: hidden).
    Explanation(Option<crate::okr::Explanation>),
    /// `query`.
    Query(crate::kpi::QueryResult),
    /// `score`.
    Score(crate::kpi::ScoreReport),
    /// `scorecards`.
    Scorecards(crate::kpi::ScorecardReport),
    /// `alerts`.
    Alerts(crate::alert::AlertReport),
    /// `diagnosis`.
    Diagnosis(crate::diagnose::Diagnosis),
    /// `strategy_view`.
    StrategyView(crate::hybrid::StrategyView),
    /// `check_ins`.
    CheckIns(Vec<crate::CheckInRecord>),
    /// `advice`, one business line.
    Advice(crate::decide::Advice),
    /// `advice`, the portfolio.
    Portfolio(crate::decide::Portfolio),
    /// `problems`.
    Problems(Vec<serde_json::Map<String, Value>>),
}

/// A problem as JSON, filtered like [`Problem`] whatever its code (the C layer's own codes included).
fn problem(view: &View<'_>, mut p: serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
    let hidden_id = p
        .get("id")
        .is_some_and(|id| id.as_str().is_none_or(|id| view.hides(id)));
    let hidden_message = p
        .get("message")
        .is_some_and(|m| m.as_str().is_none_or(|m| view.hides(m)));
    if hidden_id || hidden_message {
        p.remove("id");
        p.insert(
            "message".to_owned(),
            Value::String(super::HIDDEN_PROBLEM.to_owned()),
        );
    }
    p
}

fn parse<T: serde::de::DeserializeOwned>(report: &str) -> Result<T, Error> {
    crate::text::parse_json(report).map_err(|e| e.parse_under("$.report"))
}

fn typed<T: serde::de::DeserializeOwned + Filter>(view: &View<'_>, report: &str) -> Result<T, Error> {
    Ok(view.apply(parse::<T>(report)?))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| Error::parse(Problem::new(Code::E_PARSE, "$.report", None, e.to_string())))
}
