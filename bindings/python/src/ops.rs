//! The module-level operations on a document (JSON text): each reads its arguments, runs through the call layer
//! (or the core for stand-alone rules and profiles) without the GIL and returns JSON.

use okpi::access::ViewRequest;
use okpi::decide::{AdvisorSettings, BusinessProfile};
use okpi::Code;
use pyo3::prelude::*;

use okpi::api::Answer;
use serde::Serialize;

use crate::convert::{parse_limits, parse_settings, parse_under, parse_under_with, ForViewer};
use crate::errors::{detached, Failure, Kind, Outcome};
use crate::topy::to_py;

/// Runs `f` without the GIL and hands its result to Python as objects.
fn answered<'py, T: Serialize + Send>(
    py: Python<'py>,
    f: impl FnOnce() -> Outcome<T> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    let value = detached(py, f)?;
    to_py(py, &value)
}

/// `alert_evaluate`'s answer: the state to store and the events.
#[derive(Serialize)]
struct Series {
    state: okpi::alert::State,
    events: Vec<okpi::alert::Event>,
}

/// Validates a document (JSON text) under `limits` (JSON, None: the defaults); returns its normalised JSON (items
/// sorted by id).
#[pyfunction]
#[pyo3(signature = (doc, limits=None))]
pub(crate) fn validate<'py>(py: Python<'py>, doc: &str, limits: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let limits = parse_limits(limits)?;
        Ok(okpi::Model::from_json_with_limits(doc, &limits)?.to_document())
    })
}

/// Validates and evaluates a document as of `as_of` ("YYYY-MM-DD"); returns the evaluation's JSON, filtered for
/// `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, as_of, settings=None, viewer=None, limits=None))]
pub(crate) fn evaluate<'py>(
    py: Python<'py>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let settings = Some(parse_settings(settings)?);
        let c = okpi::api::call::Evaluate::new(as_of)
            .with_settings(settings)
            .with_viewer(call.viewer.clone());
        call.call(okpi::api::Call::Evaluate(c))
    })
}

/// Explains one number (`quantity`: progress, expected, status, confidence or score) of the key result or objective
/// `id`; returns the explanation's JSON. For a `viewer` who may not see `id`, it is unknown.
#[pyfunction]
#[pyo3(signature = (doc, as_of, id, quantity, settings=None, viewer=None, limits=None))]
#[allow(clippy::too_many_arguments)] // the Python signature: each argument is a keyword there
pub(crate) fn explain<'py>(
    py: Python<'py>,
    doc: &str,
    as_of: &str,
    id: &str,
    quantity: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let c = okpi::api::call::Explain::new(as_of, id, quantity)
            .with_settings(parse_settings(settings)?)
            .with_viewer(call.viewer.clone());
        call.call(okpi::api::Call::Explain(c))
    })
}

/// Advises one business line (a JSON object) or many (a JSON array: the company-wide portfolio); returns JSON.
#[pyfunction]
#[pyo3(signature = (profiles, settings=None, limits=None))]
pub(crate) fn advise<'py>(
    py: Python<'py>,
    profiles: &str,
    settings: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let limits = parse_limits(limits)?;
        let settings: AdvisorSettings = match settings {
            Some(s) => parse_under_with(s, "$.settings", &limits).map_err(Failure::settings)?,
            None => AdvisorSettings::default(),
        };
        if profiles.trim_start().starts_with('[') {
            let lines: Vec<BusinessProfile> = parse_under_with(profiles, "$", &limits)?;
            Ok(Answer::Portfolio(okpi::decide::advise_all(&lines, &settings)?))
        } else {
            let line: BusinessProfile = parse_under_with(profiles, "$", &limits)?;
            Ok(Answer::Advice(okpi::decide::advise(&line, &settings)?))
        }
    })
}

/// Evaluates a document as of `as_of` and runs the diagnostics rules (`rules`: a `DiagnoseSettings` JSON, None for
/// the defaults); returns the findings and health as JSON.
#[pyfunction]
#[pyo3(signature = (doc, as_of, settings=None, rules=None, viewer=None, limits=None))]
pub(crate) fn diagnose<'py>(
    py: Python<'py>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    rules: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let settings = Some(parse_settings(settings)?);
        let rules: okpi::diagnose::DiagnoseSettings = match rules {
            Some(r) => parse_under(r, "$.settings").map_err(|e| match e {
                e if e.kind() == okpi::ErrorKind::Parse => Failure::from(e),
                other => Failure::settings(other),
            })?,
            None => okpi::diagnose::DiagnoseSettings::default(),
        };
        let c = okpi::api::call::Diagnose::new(as_of)
            .with_settings(settings)
            .with_diagnose_settings(rules)
            .with_viewer(call.viewer.clone());
        call.call(okpi::api::Call::Diagnose(c))
    })
}

/// A KPI request over a document: `kind` is "query" (request: a Query), "score" (request: `{"as_of"}`) or
/// "scorecards" (request: a ScorecardRequest); returns the result as JSON, filtered for `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, kind, request, viewer=None, limits=None))]
pub(crate) fn kpi<'py>(
    py: Python<'py>,
    doc: &str,
    kind: &str,
    request: &str,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let viewer = call.viewer.clone();
        use okpi::api::{call as c, Call};
        match kind {
            "query" => {
                let query = parse_under(request, "$.query")?;
                call.call(Call::Query(c::QueryCall::new(query).with_viewer(viewer)))
            }
            "score" => {
                // `{"as_of": "YYYY-MM-DD"}`; a missing or malformed day is `E_PARSE` at `$.as_of`.
                let r: serde_json::Value = parse_under(request, "$.score")?;
                let as_of = r
                    .get("as_of")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                call.call(Call::Score(c::Score::new(as_of).with_viewer(viewer)))
            }
            "scorecards" => {
                let scorecards = parse_under(request, "$.scorecards")?;
                call.call(Call::Scorecards(
                    c::Scorecards::new(scorecards).with_viewer(viewer),
                ))
            }
            "query_units" => {
                let query_units = parse_under(request, "$.query")?;
                call.call(Call::QueryUnits(
                    c::QueryUnits::new(query_units).with_viewer(viewer),
                ))
            }
            other => Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.kind",
                format!("kind {other:?} is not one of query, score, scorecards, query_units"),
            )),
        }
    })
}

/// The strategy view of a document as of `as_of` ("YYYY-MM-DD") with strategy settings (`StrategySettings` JSON,
/// None for the defaults); returns the view's JSON, filtered for `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, as_of, settings=None, viewer=None, limits=None))]
pub(crate) fn strategy_view<'py>(
    py: Python<'py>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let settings = match settings {
            Some(s) => Some(okpi::hybrid::StrategySettings::from_json(s).map_err(Failure::settings)?),
            None => None,
        };
        let c = okpi::api::call::StrategyViewCall::new(as_of)
            .with_settings(settings)
            .with_viewer(call.viewer.clone());
        call.call(okpi::api::Call::StrategyView(c))
    })
}

/// Runs every alert rule of a document over its metric per grain period of `from..=to`, from stored states
/// (`{"rule id": state}` JSON, None: fresh); returns the report as JSON, filtered for `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, from, to, states=None, viewer=None, limits=None))]
pub(crate) fn alerts<'py>(
    py: Python<'py>,
    doc: &str,
    from: &str,
    to: &str,
    states: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let states = match states {
            Some(s) => parse_under(s, "$.states")?,
            None => Default::default(),
        };
        let c = okpi::api::call::Alerts::new(from, to)
            .with_states(states)
            .with_viewer(call.viewer.clone());
        call.call(okpi::api::Call::Alerts(c))
    })
}

/// Filters a report for a viewer (`{"person", "roles", "settings"}` JSON): `kind` names the report (one of
/// `okpi::access::KINDS`: evaluation, explanation, query, score, scorecards, alerts, diagnosis, advice, problems).
/// The document is read, not validated, so the problems of an invalid one can be filtered too.
#[pyfunction]
pub(crate) fn filter<'py>(
    py: Python<'py>,
    doc: &str,
    kind: &str,
    report: &str,
    viewer: &str,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let doc = okpi::Document::from_json(doc)?;
        let request = ViewRequest::from_json(viewer)?;
        let view = okpi::access::View::from_document(&doc, &request.viewer(), &request.settings)?;
        // Typed, so its dates reach Python as `datetime.date` (a free-form text stays a `str`).
        Ok(okpi::access::filter_report(&view, kind, report)?)
    })
}

/// Runs an alert rule over a series (`[{"date", "value"}]`, null = missing) from a stored state (None: fresh);
/// returns `{"state", "events"}` as JSON.
#[pyfunction]
#[pyo3(signature = (rule, series, state=None, limits=None))]
pub(crate) fn alert_evaluate<'py>(
    py: Python<'py>,
    rule: &str,
    series: &str,
    state: Option<&str>,
    limits: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    answered(py, || {
        let limits = parse_limits(limits)?;
        let rule = okpi::alert::Rule::from_json_with_limits(rule, &limits)?;
        let state: okpi::alert::State = match state {
            Some(s) => parse_under_with(s, "$.state", &limits)?,
            None => okpi::alert::State::default(),
        };
        let series: Vec<okpi::alert::AlertObservation> = parse_under_with(series, "$.series", &limits)?;
        limits.check_series(series.len(), "$.series")?;
        let (state, events) = okpi::alert::evaluate_series(&rule, state, &series);
        Ok(Series { state, events })
    })
}
