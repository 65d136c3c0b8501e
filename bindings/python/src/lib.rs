//! `okpi._okpi`: the private native module behind the Python package `okpi` (house rule 8).
//!
//! JSON text in, JSON text out: the front package (`python/okpi/__init__.py`) turns Python data into JSON and back
//! (with `datetime.date` for date fields). Every heavy call releases the GIL. Errors are raised as the exception
//! classes of `okpi._errors`: one subclass of `okpi.OkpiError` (a `ValueError`) per error kind, each carrying every
//! problem as `(code, path, message)`.

use chrono::NaiveDate;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use okpi::access::{Filter, ViewRequest};
use okpi::decide::{AdvisorSettings, BusinessProfile};
use okpi::settings::Overshoot;
use okpi::{Code, Error, Limits, Problem, Settings};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyList, PyString, PyTuple};

/// Which Python exception class an error becomes.
#[derive(Clone, Copy)]
enum Kind {
    Parse,
    Validation,
    Settings,
    Expression,
    Limit,
}

impl Kind {
    fn class_name(self) -> &'static str {
        match self {
            Kind::Parse => "ParseError",
            Kind::Validation => "ValidationError",
            Kind::Settings => "SettingsError",
            Kind::Expression => "ExpressionError",
            Kind::Limit => "LimitError",
        }
    }
}

/// An okpi error tagged with the kind it is raised as.
struct Failure {
    kind: Kind,
    error: Error,
}

impl From<Error> for Failure {
    /// okpi's error kinds as Python's exception classes: a malformed argument (a date, an op, a quantity) is a
    /// `ParseError`, an unknown id (a key result, the viewer) a `ValidationError`, and an invalid input whose every
    /// problem is `E_EXPRESSION` an `ExpressionError` (a subclass of `ValidationError`).
    fn from(error: Error) -> Self {
        use okpi::ErrorKind;
        let all = |code| !error.problems().is_empty() && error.problems().iter().all(|p| p.code == code);
        let kind = match error.kind() {
            ErrorKind::Limit => Kind::Limit,
            ErrorKind::Argument if error.problems().iter().any(|p| p.code == Code::E_UNKNOWN_ID) => {
                Kind::Validation
            }
            ErrorKind::Argument | ErrorKind::Parse => Kind::Parse,
            ErrorKind::Settings => Kind::Settings,
            _ if all(Code::E_EXPRESSION) => Kind::Expression,
            _ => Kind::Validation,
        };
        Failure { kind, error }
    }
}

/// Runs a call of the call layer on a model; returns the answer's JSON.
fn answer(model: &okpi::Model, c: okpi::api::Call) -> Outcome<String> {
    Ok(okpi::api::call(model, c)?.to_json())
}

impl Failure {
    /// A failure of settings (or limits) JSON: `SettingsError`, unless the text itself broke a limit.
    fn settings(error: Error) -> Self {
        if error.problems().iter().any(|p| p.code == Code::E_LIMIT) {
            return Failure::from(error);
        }
        Failure {
            kind: Kind::Settings,
            error,
        }
    }

    fn one(kind: Kind, code: Code, path: &str, message: String) -> Self {
        let p = Problem::new(code, path, None, message);
        let error = match kind {
            Kind::Parse => Error::parse(p),
            Kind::Validation | Kind::Settings | Kind::Expression | Kind::Limit => Error::invalid(vec![p]),
        };
        Failure { kind, error }
    }

    /// Builds the Python exception: `okpi._errors.<Kind>(message, [(code, path, message), ...])`.
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let message = self.error.to_string();
        let build = || -> PyResult<PyErr> {
            let problems: Vec<(String, String, String)> = self
                .error
                .problems()
                .iter()
                .map(|p| (p.code.as_str().to_owned(), p.path.clone(), p.message.clone()))
                .collect();
            let class = py.import("okpi._errors")?.getattr(self.kind.class_name())?;
            let exc = class.call1((message.clone(), problems))?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| {
            // The front package is missing (the native module imported on its own): still a ValueError.
            PyValueError::new_err(format!("{message} (okpi._errors unavailable: {e})"))
        })
    }
}

type Outcome<T> = Result<T, Failure>;

/// Runs `f` without the GIL and raises its failure as the matching okpi exception.
fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Outcome<T> + Send) -> PyResult<T> {
    py.detach(f).map_err(|e| e.into_pyerr(py))
}

fn parse_date(text: &str) -> Outcome<NaiveDate> {
    parse_date_at(text, "$.as_of")
}

fn parse_date_at(text: &str, path: &str) -> Outcome<NaiveDate> {
    okpi::model::parse_date(text).map_err(|e| {
        let what = path.trim_start_matches("$.");
        Failure::one(Kind::Parse, Code::E_PARSE, path, format!("{what}: {e}"))
    })
}

fn parse_settings(text: Option<&str>) -> Outcome<Settings> {
    match text {
        Some(s) => Settings::from_json(s).map_err(Failure::settings),
        None => Ok(Settings::default()),
    }
}

/// Parses JSON into a serde type; a type error names its JSON path under `root`.
fn parse_under<T: serde::de::DeserializeOwned>(text: &str, root: &str) -> Result<T, Error> {
    parse_under_with(text, root, &Limits::default())
}

/// Parses JSON into a serde type under `limits`; a problem names its JSON path under `root`.
fn parse_under_with<T: serde::de::DeserializeOwned>(
    text: &str,
    root: &str,
    limits: &Limits,
) -> Result<T, Error> {
    okpi::text::parse_json_with(text, limits).map_err(|e| e.under(root))
}

/// The limits a call reads its inputs under: the defaults, or the `limits` JSON (`E_SETTINGS` under `$.limits`).
fn parse_limits(text: Option<&str>) -> Outcome<Limits> {
    match text {
        Some(s) => Limits::from_json(s).map_err(Failure::settings),
        None => Ok(Limits::default()),
    }
}

fn evaluation(model: &okpi::Model, as_of: &str, settings: Option<&str>) -> Outcome<okpi::Evaluation> {
    let day = parse_date(as_of)?;
    let settings = parse_settings(settings)?;
    Ok(okpi::evaluate(model, day, &settings)?)
}

/// A document and an optional viewer (`{"person", "roles", "settings"}` JSON), read before the call's other
/// arguments.
struct ForViewer {
    doc: okpi::Document,
    viewer: Option<ViewRequest>,
    limits: Limits,
}

impl ForViewer {
    /// Reads the limits (`limits` JSON, None: the defaults), then the document under them, then the viewer. With
    /// a viewer, a parse error quotes no document text (`okpi::access::quiet_parse_error`).
    fn read(doc: &str, viewer: Option<&str>, limits: Option<&str>) -> Outcome<Self> {
        let limits = parse_limits(limits)?;
        let doc = okpi::Document::from_json_with_limits(doc, &limits).map_err(|e| match viewer {
            Some(_) => okpi::access::quiet_parse_error(e),
            None => e,
        });
        Ok(ForViewer {
            doc: doc?,
            viewer: viewer.map(ViewRequest::from_json).transpose()?,
            limits,
        })
    }

    /// Validates the document under the limits and runs the call through the call layer for the viewer, if
    /// any: the result or the error (an invalid document's problems included) is filtered for them, as
    /// `okpi::access::run_as` does. Returns the answer's JSON.
    fn call(&self, c: okpi::api::Call) -> Outcome<String> {
        Ok(okpi::api::call_document(&self.doc, &self.limits, c)?.to_json())
    }
}

/// The viewer (`{"person", "roles", "settings"}` JSON) resolved against a model, read before anything else is
/// computed so that an unknown person learns nothing; `None` without one.
fn view_of<'m>(model: &'m okpi::Model, viewer: Option<&str>) -> Outcome<Option<okpi::access::View<'m>>> {
    let Some(v) = viewer else { return Ok(None) };
    let request = ViewRequest::from_json(v)?;
    Ok(Some(okpi::access::View::new(
        model,
        &request.viewer(),
        &request.settings,
    )?))
}

/// `report` as the view's viewer may see it (unchanged without a view).
fn seen<T: Filter>(view: &Option<okpi::access::View<'_>>, report: T) -> T {
    match view {
        Some(v) => v.apply(report),
        None => report,
    }
}

/// Validates a document (JSON text) under `limits` (JSON, None: the defaults); returns its normalised JSON (items
/// sorted by id).
#[pyfunction]
#[pyo3(signature = (doc, limits=None))]
fn validate(py: Python<'_>, doc: &str, limits: Option<&str>) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        Ok(okpi::Model::from_json_with_limits(doc, &limits)?
            .to_document()
            .to_json())
    })
}

/// Validates and evaluates a document as of `as_of` ("YYYY-MM-DD"); returns the evaluation's JSON, filtered for
/// `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, as_of, settings=None, viewer=None, limits=None))]
fn evaluate(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let settings = Some(parse_settings(settings)?);
        let (as_of, viewer) = (as_of.to_owned(), call.viewer.clone());
        call.call(okpi::api::Call::Evaluate(okpi::api::call::Evaluate {
            as_of,
            settings,
            viewer,
        }))
    })
}

/// Explains one number (`quantity`: progress, expected, status, confidence or score) of the key result or objective
/// `id`; returns the explanation's JSON. For a `viewer` who may not see `id`, it is unknown.
#[pyfunction]
#[pyo3(signature = (doc, as_of, id, quantity, settings=None, viewer=None, limits=None))]
#[allow(clippy::too_many_arguments)] // the Python signature: each argument is a keyword there
fn explain(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    id: &str,
    quantity: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let c = okpi::api::call::Explain {
            as_of: as_of.to_owned(),
            id: id.to_owned(),
            quantity: quantity.to_owned(),
            settings: Some(parse_settings(settings)?),
            viewer: call.viewer.clone(),
        };
        call.call(okpi::api::Call::Explain(c))
    })
}

/// Advises one business line (a JSON object) or many (a JSON array: the company-wide portfolio); returns JSON.
#[pyfunction]
#[pyo3(signature = (profiles, settings=None, limits=None))]
fn advise(py: Python<'_>, profiles: &str, settings: Option<&str>, limits: Option<&str>) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let settings: AdvisorSettings = match settings {
            Some(s) => parse_under_with(s, "$.settings", &limits).map_err(Failure::settings)?,
            None => AdvisorSettings::default(),
        };
        let json = if profiles.trim_start().starts_with('[') {
            let lines: Vec<BusinessProfile> = parse_under_with(profiles, "$", &limits)?;
            serde_json::to_string(&okpi::decide::advise_all(&lines, &settings)?)
        } else {
            let line: BusinessProfile = parse_under_with(profiles, "$", &limits)?;
            serde_json::to_string(&okpi::decide::advise(&line, &settings)?)
        };
        json.map_err(|e| Failure::one(Kind::Parse, Code::E_PARSE, "$", e.to_string()))
    })
}

/// Serialises a result (cannot fail for okpi's plain result types; reported as a parse error if it ever did).
fn to_json<T: serde::Serialize>(value: &T) -> Outcome<String> {
    serde_json::to_string(value).map_err(|e| Failure::one(Kind::Parse, Code::E_PARSE, "$", e.to_string()))
}

/// Evaluates a document as of `as_of` and runs the diagnostics rules (`rules`: a `DiagnoseSettings` JSON, None for
/// the defaults); returns the findings and health as JSON.
#[pyfunction]
#[pyo3(signature = (doc, as_of, settings=None, rules=None, viewer=None, limits=None))]
fn diagnose(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    rules: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let settings = Some(parse_settings(settings)?);
        let rules: okpi::diagnose::DiagnoseSettings = match rules {
            Some(r) => parse_under(r, "$.settings").map_err(|e| match e {
                e if e.kind() == okpi::ErrorKind::Parse => Failure::from(e),
                other => Failure::settings(other),
            })?,
            None => okpi::diagnose::DiagnoseSettings::default(),
        };
        let c = okpi::api::call::Diagnose {
            as_of: as_of.to_owned(),
            settings,
            diagnose_settings: Some(rules),
            viewer: call.viewer.clone(),
        };
        call.call(okpi::api::Call::Diagnose(c))
    })
}

/// A KPI request over a document: `kind` is "query" (request: a Query), "score" (request: `{"as_of"}`) or
/// "scorecards" (request: a ScorecardRequest); returns the result as JSON, filtered for `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, kind, request, viewer=None, limits=None))]
fn kpi(
    py: Python<'_>,
    doc: &str,
    kind: &str,
    request: &str,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let viewer = call.viewer.clone();
        use okpi::api::{call as c, Call};
        match kind {
            "query" => {
                let query = parse_under(request, "$.query")?;
                call.call(Call::Query(c::QueryCall { query, viewer }))
            }
            "score" => {
                // `{"as_of": "YYYY-MM-DD"}`; a missing or malformed day is `E_PARSE` at `$.as_of`.
                let r: serde_json::Value = parse_under(request, "$.score")?;
                let as_of = r
                    .get("as_of")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                call.call(Call::Score(c::Score {
                    as_of: as_of.to_owned(),
                    viewer,
                }))
            }
            "scorecards" => {
                let scorecards = parse_under(request, "$.scorecards")?;
                call.call(Call::Scorecards(c::Scorecards { scorecards, viewer }))
            }
            "query_units" => {
                let query_units = parse_under(request, "$.query")?;
                call.call(Call::QueryUnits(c::QueryUnits { query_units, viewer }))
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
fn strategy_view(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let settings = match settings {
            Some(s) => Some(okpi::hybrid::StrategySettings::from_json(s).map_err(Failure::settings)?),
            None => None,
        };
        let c = okpi::api::call::StrategyViewCall {
            as_of: as_of.to_owned(),
            settings,
            viewer: call.viewer.clone(),
        };
        call.call(okpi::api::Call::StrategyView(c))
    })
}

/// Runs every alert rule of a document over its metric per grain period of `from..=to`, from stored states
/// (`{"rule id": state}` JSON, None: fresh); returns the report as JSON, filtered for `viewer` when one is given.
#[pyfunction]
#[pyo3(signature = (doc, from, to, states=None, viewer=None, limits=None))]
fn alerts(
    py: Python<'_>,
    doc: &str,
    from: &str,
    to: &str,
    states: Option<&str>,
    viewer: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let call = ForViewer::read(doc, viewer, limits)?;
        let states = match states {
            Some(s) => parse_under(s, "$.states")?,
            None => Default::default(),
        };
        let (from, to) = (from.to_owned(), to.to_owned());
        call.call(okpi::api::Call::Alerts(okpi::api::call::Alerts {
            from,
            to,
            states,
            viewer: call.viewer.clone(),
        }))
    })
}

/// Filters a report for a viewer (`{"person", "roles", "settings"}` JSON): `kind` names the report (one of
/// `okpi::access::KINDS`: evaluation, explanation, query, score, scorecards, alerts, diagnosis, advice, problems).
/// The document is read, not validated, so the problems of an invalid one can be filtered too.
#[pyfunction]
fn filter(py: Python<'_>, doc: &str, kind: &str, report: &str, viewer: &str) -> PyResult<String> {
    detached(py, || {
        let doc = okpi::Document::from_json(doc)?;
        let request = ViewRequest::from_json(viewer)?;
        let view = okpi::access::View::from_document(&doc, &request.viewer(), &request.settings)?;
        Ok(okpi::access::filter_json(&view, kind, report)?)
    })
}

/// Runs an alert rule over a series (`[{"date", "value"}]`, null = missing) from a stored state (None: fresh);
/// returns `{"state", "events"}` as JSON.
#[pyfunction]
#[pyo3(signature = (rule, series, state=None, limits=None))]
fn alert_evaluate(
    py: Python<'_>,
    rule: &str,
    series: &str,
    state: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let rule = okpi::alert::Rule::from_json_with_limits(rule, &limits)?;
        let state: okpi::alert::State = match state {
            Some(s) => parse_under_with(s, "$.state", &limits)?,
            None => okpi::alert::State::default(),
        };
        let series: Vec<okpi::alert::AlertObservation> = parse_under_with(series, "$.series", &limits)?;
        limits.check_series(series.len(), "$.series")?;
        let (state, events) = okpi::alert::evaluate_series(&rule, state, &series);
        to_json(&serde_json::json!({ "state": state, "events": events }))
    })
}

/// Runs one rule per row of `values` (series × evaluations, NaN = missing) dated `dates` (one "YYYY-MM-DD" per
/// column), each from a fresh state. `rules` is a JSON array with one rule per row. Returns the events as columns:
/// `series` and `step` (int64 positions), `kind` (int8 code into `okpi.EVENT_KINDS`), `severity` (int8: -1 none,
/// 0 warning, 1 critical) and `measure` (float64, NaN where none).
#[pyfunction]
fn alert_evaluate_many<'py>(
    py: Python<'py>,
    rules: &str,
    dates: Vec<String>,
    values: numpy::PyReadonlyArray2<'py, f64>,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let shape = values.shape().to_vec();
    let flat = values.as_slice()?;
    let cols = detached(py, || {
        let rules: Vec<okpi::alert::Rule> = parse_under(rules, "$.rules")?;
        let rows = shape.first().copied().unwrap_or(0);
        let steps = shape.get(1).copied().unwrap_or(0);
        if rules.len() != rows || dates.len() != steps {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$",
                format!(
                    "{} rules and {} dates for a {rows} × {steps} matrix",
                    rules.len(),
                    dates.len()
                ),
            ));
        }
        let mut problems = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            problems.extend(okpi::alert::validate_rule(r, &format!("$.rules[{i}]")));
        }
        if !problems.is_empty() {
            return Err(Failure::from(Error::invalid(problems)));
        }
        let days: Vec<NaiveDate> = dates.iter().map(|d| parse_date(d)).collect::<Outcome<_>>()?;
        let (mut series, mut step, mut kind, mut severity, mut measure) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, rule) in rules.iter().enumerate() {
            let row = flat.get(i * steps..(i + 1) * steps).unwrap_or(&[]);
            let obs: Vec<okpi::alert::AlertObservation> = days
                .iter()
                .zip(row)
                .map(|(d, v)| okpi::alert::AlertObservation {
                    date: *d,
                    value: Some(*v).filter(|v| !v.is_nan()),
                })
                .collect();
            let (_, events) = okpi::alert::evaluate_series(rule, okpi::alert::State::default(), &obs);
            let mut at = 0;
            for e in events {
                // Events come in date order: move along the columns to the event's date.
                while days.get(at).is_some_and(|d| *d < e.date) {
                    at += 1;
                }
                series.push(i as i64);
                step.push(at as i64);
                kind.push(event_code(e.kind));
                severity.push(match e.severity {
                    None => -1i8,
                    Some(okpi::alert::AlertSeverity::Warning) => 0,
                    Some(okpi::alert::AlertSeverity::Critical) => 1,
                });
                measure.push(e.measure.unwrap_or(f64::NAN));
            }
        }
        Ok((series, step, kind, severity, measure))
    })?;
    let out = pyo3::types::PyDict::new(py);
    out.set_item("series", PyArray1::from_vec(py, cols.0))?;
    out.set_item("step", PyArray1::from_vec(py, cols.1))?;
    out.set_item("kind", PyArray1::from_vec(py, cols.2))?;
    out.set_item("severity", PyArray1::from_vec(py, cols.3))?;
    out.set_item("measure", PyArray1::from_vec(py, cols.4))?;
    Ok(out)
}

/// The code of an event kind: its position in `okpi.EVENT_KINDS` (-1 for a kind added to the core after it).
fn event_code(k: okpi::alert::EventKind) -> i8 {
    use okpi::alert::EventKind::*;
    match k {
        Pending => 0,
        Firing => 1,
        SeverityChanged => 2,
        Resolved => 3,
        NoData => 4,
        _ => -1,
    }
}

/// Key-result progress over float64 arrays of equal length: `(current − start) / (target − start)`, bounded by
/// `overshoot` ("clamp" or a cap ≥ 1) and `allow_negative`. A NaN current gives NaN ("no data", never 0).
#[pyfunction]
#[pyo3(signature = (start, target, current, kind="increase", overshoot=None, allow_negative=false))]
fn kr_progress<'py>(
    py: Python<'py>,
    start: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    current: PyReadonlyArray1<'py, f64>,
    kind: &str,
    overshoot: Option<&Bound<'py, PyAny>>,
    allow_negative: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let overshoot = match overshoot {
        None => Overshoot::Clamp,
        Some(o) if o.is_instance_of::<PyString>() && o.extract::<String>()? == "clamp" => Overshoot::Clamp,
        Some(o) if o.is_instance_of::<PyFloat>() || o.extract::<i64>().is_ok() => {
            Overshoot::Cap(o.extract()?)
        }
        Some(o) => {
            return Err(PyTypeError::new_err(format!(
                "overshoot must be \"clamp\" or a cap (a float ≥ 1), not {}",
                o.repr()?
            )))
        }
    };
    let (s, t, c) = (start.as_slice()?, target.as_slice()?, current.as_slice()?);
    let out = detached(py, || {
        let settings = {
            let mut v = Settings::default();
            v.overshoot = overshoot;
            v.allow_negative = allow_negative;
            v
        };
        settings.check().map_err(Failure::settings)?;
        let increase = match kind {
            "increase" => true,
            "decrease" => false,
            other => {
                return Err(Failure::one(
                    Kind::Validation,
                    Code::E_INVALID_VALUE,
                    "$.kind",
                    format!("kind {other:?} is not increase or decrease"),
                ))
            }
        };
        if s.len() != t.len() || s.len() != c.len() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$",
                format!(
                    "start, target and current must have equal lengths, not {}, {} and {}",
                    s.len(),
                    t.len(),
                    c.len()
                ),
            ));
        }
        s.iter()
            .zip(t)
            .zip(c)
            .enumerate()
            .map(|(i, ((&s, &t), &c))| {
                if !(s.is_finite() && t.is_finite()) {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_NOT_FINITE,
                        &format!("$[{i}]"),
                        format!("start {s} and target {t} must be finite"),
                    ));
                }
                if s == t {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_START_EQUALS_TARGET,
                        &format!("$[{i}]"),
                        format!("start equals target ({s})"),
                    ));
                }
                if (t > s) != increase {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_DIRECTION,
                        &format!("$[{i}]"),
                        format!("target {t} is on the wrong side of start {s} for {kind}"),
                    ));
                }
                let kind = if increase {
                    okpi::model::KrKind::Increase
                } else {
                    okpi::model::KrKind::Decrease
                };
                Ok(if c.is_nan() {
                    f64::NAN
                } else {
                    // The core's formula (no arithmetic of its own here).
                    okpi::okr::kr_progress(kind, s, t, c, &settings).unwrap_or(f64::NAN)
                })
            })
            .collect::<Outcome<Vec<f64>>>()
    })?;
    Ok(PyArray1::from_vec(py, out))
}

/// `query_units_arrays`' answer: unit ids, period starts and the periods × units matrix of values.
type UnitTable<'py> = (Vec<String>, Vec<String>, Bound<'py, numpy::PyArray2<f64>>);

/// The code of a status in `evaluate_arrays`: its position in `okpi.STATUSES` (worst first).
fn status_code(s: okpi::Status) -> i8 {
    match s {
        okpi::Status::OffTrack => 0,
        okpi::Status::AtRisk => 1,
        okpi::Status::NotStarted => 2,
        okpi::Status::OnTrack => 3,
        okpi::Status::Done => 4,
    }
}

/// The element `i` of an optional per-row array, or `None` when the array is absent or holds NaN there.
fn optional_at(values: Option<&[f64]>, i: usize) -> Option<f64> {
    values.and_then(|v| v.get(i)).copied().filter(|x| !x.is_nan())
}

/// Fails unless every given array has `n` elements.
fn same_lengths(n: usize, arrays: &[(&str, Option<usize>)]) -> Outcome<()> {
    match arrays.iter().find(|(_, len)| len.is_some_and(|l| l != n)) {
        None => Ok(()),
        Some((name, len)) => Err(Failure::one(
            Kind::Validation,
            Code::E_INVALID_VALUE,
            &format!("$.{name}"),
            format!("{name} has {} elements, actual has {n}", len.unwrap_or(0)),
        )),
    }
}

/// Two float arrays: achievement and score.
type Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Achievement and score of each actual against its target, exactly as a KPI target with the `spec` (JSON:
/// `direction`, `formula`, `curve`, `decimals`, each with the target's default) would score it. A NaN actual gives
/// NaN for both (no data, never 0); an undefined achievement (raw-value curve, `inverse` at 0) is NaN.
#[pyfunction]
#[pyo3(signature = (actual, target, threshold=None, stretch=None, spec=None))]
fn kpi_scores<'py>(
    py: Python<'py>,
    actual: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    threshold: Option<PyReadonlyArray1<'py, f64>>,
    stretch: Option<PyReadonlyArray1<'py, f64>>,
    spec: Option<&str>,
) -> PyResult<Pair<'py>> {
    let (a, t) = (actual.as_slice()?, target.as_slice()?);
    let th = threshold.as_ref().map(|x| x.as_slice()).transpose()?;
    let st = stretch.as_ref().map(|x| x.as_slice()).transpose()?;
    let (ach, score) = detached(py, || {
        let scoring: okpi::kpi::Scoring = match spec {
            Some(text) => parse_under(text, "$.spec")?,
            None => okpi::kpi::Scoring::default(),
        };
        scoring.check("$.spec")?;
        let lens = [
            ("target", Some(t.len())),
            ("threshold", th.map(<[f64]>::len)),
            ("stretch", st.map(<[f64]>::len)),
        ];
        same_lengths(a.len(), &lens)?;
        let tts = matches!(scoring.curve, okpi::model::Curve::ThresholdTargetStretch { .. });
        let (mut ach, mut score) = (Vec::with_capacity(a.len()), Vec::with_capacity(a.len()));
        for (i, (&x, &target)) in a.iter().zip(t).enumerate() {
            let bad =
                |code, msg: String| Failure::one(Kind::Validation, code, &format!("$.target[{i}]"), msg);
            if !target.is_finite() {
                return Err(bad(Code::E_NOT_FINITE, format!("target is {target}")));
            }
            if scoring.is_ratio() && target <= 0.0 {
                return Err(bad(
                    Code::E_TARGET_NOT_POSITIVE,
                    format!("target {target} ≤ 0 with a ratio formula; use threshold_target_stretch"),
                ));
            }
            let levels = okpi::kpi::Levels {
                threshold: optional_at(th, i),
                target,
                stretch: optional_at(st, i),
            };
            if tts && levels.threshold.is_none() {
                return Err(Failure::one(
                    Kind::Validation,
                    Code::E_MISSING_FIELD,
                    &format!("$.threshold[{i}]"),
                    String::from("threshold_target_stretch needs a threshold"),
                ));
            }
            if x.is_nan() {
                ach.push(f64::NAN);
                score.push(f64::NAN);
                continue;
            }
            let (a, s) = scoring.score(x, levels);
            ach.push(a.unwrap_or(f64::NAN));
            score.push(s);
        }
        Ok((ach, score))
    })?;
    Ok((PyArray1::from_vec(py, ach), PyArray1::from_vec(py, score)))
}

/// Runs one alert rule over many series at once: `values` is series × evaluations (NaN = missing), `dates` the
/// evaluation dates (`YYYY-MM-DD`), `states` a JSON list of stored states (one per series; None: all fresh).
/// Returns each series' final status code (0 normal, 1 pending, 2 firing, 3 no_data) and, as JSON,
/// `{"states": [...], "events": [{"series": i, ...event}]}`.
#[pyfunction]
#[pyo3(signature = (rule, dates, values, states=None))]
fn alert_matrix<'py>(
    py: Python<'py>,
    rule: &str,
    dates: Vec<String>,
    values: PyReadonlyArray2<'py, f64>,
    states: Option<&str>,
) -> PyResult<(Bound<'py, PyArray1<u8>>, String)> {
    let view = values.as_array();
    let (status, json) = detached(py, || {
        let rule = okpi::alert::Rule::from_json(rule)?;
        let days = dates
            .iter()
            .enumerate()
            .map(|(i, d)| parse_date_at(d, &format!("$.dates[{i}]")))
            .collect::<Outcome<Vec<NaiveDate>>>()?;
        if view.ncols() != days.len() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.values",
                format!("values has {} columns for {} dates", view.ncols(), days.len()),
            ));
        }
        let mut stored: Vec<okpi::alert::State> = match states {
            Some(text) => parse_under(text, "$.states")?,
            None => vec![okpi::alert::State::default(); view.nrows()],
        };
        if stored.len() != view.nrows() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.states",
                format!("{} states for {} series", stored.len(), view.nrows()),
            ));
        }
        let mut events = Vec::new();
        let mut status = Vec::with_capacity(view.nrows());
        let mut series = Vec::with_capacity(days.len());
        for (i, (row, state)) in view.outer_iter().zip(stored.iter_mut()).enumerate() {
            series.clear();
            series.extend(
                days.iter()
                    .zip(row.iter())
                    .map(|(&date, &v)| okpi::alert::AlertObservation {
                        date,
                        value: v.is_finite().then_some(v),
                    }),
            );
            let (next, evs) = okpi::alert::evaluate_series(&rule, std::mem::take(state), &series);
            status.push(match next.status {
                okpi::alert::AlertStatus::Normal => 0u8,
                okpi::alert::AlertStatus::Pending => 1,
                okpi::alert::AlertStatus::Firing => 2,
                okpi::alert::AlertStatus::NoData => 3,
            });
            *state = next;
            events.extend(evs.into_iter().map(|e| (i, e)));
        }
        let events: Vec<serde_json::Value> = events
            .into_iter()
            .map(|(i, e)| {
                let mut v = serde_json::to_value(e).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("series".into(), i.into());
                }
                v
            })
            .collect();
        let json = to_json(&serde_json::json!({ "states": stored, "events": events }))?;
        Ok((status, json))
    })?;
    Ok((PyArray1::from_vec(py, status), json))
}

/// A validated document, built once for repeated evaluations.
#[pyclass(module = "okpi._okpi", name = "Model")]
struct Model {
    inner: okpi::Model,
}

#[pymethods]
impl Model {
    /// Validates a document (JSON text) under `limits` (JSON, None: the defaults), which the model keeps.
    #[new]
    #[pyo3(signature = (doc, limits=None))]
    fn new(py: Python<'_>, doc: &str, limits: Option<&str>) -> PyResult<Self> {
        let inner = detached(py, || {
            Ok(okpi::Model::from_json_with_limits(doc, &parse_limits(limits)?)?)
        })?;
        Ok(Model { inner })
    }

    /// The limits the model was validated under, as JSON.
    fn limits(&self) -> String {
        serde_json::to_string(self.inner.limits()).unwrap_or_default()
    }

    /// Evaluates as of `as_of` ("YYYY-MM-DD"); returns the evaluation's JSON, filtered for `viewer` when given.
    #[pyo3(signature = (as_of, settings=None, viewer=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        as_of: &str,
        settings: Option<&str>,
        viewer: Option<&str>,
    ) -> PyResult<String> {
        let model = &self.inner;
        detached(py, || {
            let view = view_of(model, viewer)?;
            Ok(seen(&view, evaluation(model, as_of, settings)?).to_json())
        })
    }

    /// Explains one number of the key result or objective `id`; returns the explanation's JSON. For a `viewer` who
    /// may not see `id`, it is unknown.
    #[pyo3(signature = (as_of, id, quantity, settings=None, viewer=None))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn explain(
        &self,
        py: Python<'_>,
        as_of: &str,
        id: &str,
        quantity: &str,
        settings: Option<&str>,
        viewer: Option<&str>,
    ) -> PyResult<String> {
        let doc = self.inner.to_document().to_json();
        let limits = self.limits();
        explain(py, &doc, as_of, id, quantity, settings, viewer, Some(&limits))
    }

    /// The check-ins of key result `key_result` up to `as_of` as JSON: the ones entered, or for a key result linked
    /// to a KPI metric the ones derived from observations (`derived`, with the metric and its version). For a
    /// `viewer` who may not see the key result, it is unknown.
    #[pyo3(signature = (as_of, key_result, viewer=None))]
    fn check_ins(
        &self,
        py: Python<'_>,
        as_of: &str,
        key_result: &str,
        viewer: Option<&str>,
    ) -> PyResult<String> {
        let model = &self.inner;
        detached(py, || {
            let view = view_of(model, viewer)?;
            let day = parse_date(as_of)?;
            let hidden = view.as_ref().is_some_and(|v| !v.sees_key_result(key_result));
            let list = model
                .check_ins(key_result, day)
                .filter(|_| !hidden)
                .ok_or_else(|| {
                    Failure::one(
                        Kind::Validation,
                        Code::E_UNKNOWN_ID,
                        "$.key_result",
                        format!("no key result has the id {key_result:?}"),
                    )
                })?;
            to_json(&seen(&view, list))
        })
    }

    /// Adds one check-in (JSON: `{"key_result", "date", "value", "confidence", "note"}`) after validating it; a
    /// refused check-in leaves the model unchanged.
    fn apply_check_in(&mut self, py: Python<'_>, check_in: &str) -> PyResult<()> {
        let model = &mut self.inner;
        detached(py, || {
            let check_in = parse_under_with(check_in, "$.check_in", model.limits())?;
            let c = okpi::api::Call::ApplyCheckIn(okpi::api::call::ApplyCheckIn { check_in });
            okpi::api::call_mut(model, c)?;
            Ok(())
        })
    }

    /// Runs one call of the call layer (its JSON form, `{"op": …}`; `schema/okpi.schema.json` lists every op
    /// and field) under the model's limits; returns the answer's JSON. Only `apply_check_in`, which changes the
    /// model, borrows it exclusively; every other call shares it with other threads.
    fn call(slf: &Bound<'_, Self>, call: &str) -> PyResult<String> {
        let py = slf.py();
        let c = {
            let this = slf.borrow();
            let limits = this.inner.limits();
            detached(py, || Ok(okpi::api::read_call(call, limits)?))?
        };
        if matches!(c, okpi::api::Call::ApplyCheckIn(_)) {
            let mut this = slf.borrow_mut();
            let model = &mut this.inner;
            return detached(py, || Ok(okpi::api::call_mut(model, c)?.to_json()));
        }
        let this = slf.borrow();
        let model = &this.inner;
        detached(py, || answer(model, c))
    }

    /// Evaluates as of `as_of` and returns the numbers as float64/int8 arrays in id order (no JSON, no dicts):
    /// `kr_progress`, `kr_current` (NaN where none), `kr_expected`, `kr_score`, `kr_weight`, `kr_status`,
    /// `objective_progress`, `objective_expected`, `objective_score`, `objective_confidence` (NaN where none),
    /// `objective_status`. Statuses are codes into `okpi.STATUSES`. With a `viewer`, over what they may see (in the
    /// order of `key_result_ids(viewer)` and `objective_ids(viewer)`).
    #[pyo3(signature = (as_of, settings=None, viewer=None))]
    fn evaluate_arrays<'py>(
        &self,
        py: Python<'py>,
        as_of: &str,
        settings: Option<&str>,
        viewer: Option<&str>,
    ) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let model = &self.inner;
        let columns = detached(py, || {
            let view = view_of(model, viewer)?;
            let ev = seen(&view, evaluation(model, as_of, settings)?);
            let k = &ev.key_results;
            let o = &ev.objectives;
            let f = |v: Vec<f64>| v;
            Ok((
                [
                    ("kr_progress", f(k.iter().map(|r| r.progress).collect())),
                    (
                        "kr_current",
                        k.iter().map(|r| r.current.unwrap_or(f64::NAN)).collect(),
                    ),
                    ("kr_expected", k.iter().map(|r| r.expected).collect()),
                    ("kr_score", k.iter().map(|r| r.score).collect()),
                    ("kr_weight", k.iter().map(|r| r.weight).collect()),
                    ("objective_progress", o.iter().map(|r| r.progress).collect()),
                    ("objective_expected", o.iter().map(|r| r.expected).collect()),
                    ("objective_score", o.iter().map(|r| r.score).collect()),
                    (
                        "objective_confidence",
                        o.iter().map(|r| r.confidence.unwrap_or(f64::NAN)).collect(),
                    ),
                ],
                [
                    (
                        "kr_status",
                        k.iter().map(|r| status_code(r.status)).collect::<Vec<i8>>(),
                    ),
                    (
                        "objective_status",
                        o.iter().map(|r| status_code(r.status)).collect(),
                    ),
                ],
            ))
        })?;
        let out = pyo3::types::PyDict::new(py);
        for (name, v) in columns.0 {
            out.set_item(name, PyArray1::from_vec(py, v))?;
        }
        for (name, v) in columns.1 {
            out.set_item(name, PyArray1::from_vec(py, v))?;
        }
        Ok(out)
    }

    /// Runs `query_units` and returns `(units, period starts, values)`: unit ids, period starts ("YYYY-MM-DD") and a
    /// float64 matrix periods × units (NaN where the value is undefined, or withheld from `viewer`).
    #[pyo3(signature = (query, viewer=None))]
    fn query_units_arrays<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        viewer: Option<&str>,
    ) -> PyResult<UnitTable<'py>> {
        let model = &self.inner;
        let (units, periods, values) = detached(py, || {
            let view = view_of(model, viewer)?;
            let q: okpi::kpi::Query = parse_under(query, "$.query")?;
            let table = seen(&view, okpi::kpi::query_units(model, &q)?);
            let mut units: Vec<String> = Vec::new();
            let mut periods: Vec<String> = Vec::new();
            for c in &table.cells {
                let p = c.period_start.to_string();
                if periods.last() != Some(&p) {
                    periods.push(p);
                }
                if periods.len() == 1 {
                    units.push(c.group.get("unit").cloned().unwrap_or_default());
                }
            }
            let values: Vec<f64> = table.cells.iter().map(|c| c.value.unwrap_or(f64::NAN)).collect();
            Ok((units, periods, values))
        })?;
        let shape = [periods.len(), units.len()];
        let matrix = PyArray1::from_vec(py, values).reshape(shape)?;
        Ok((units, periods, matrix))
    }

    /// The key result ids in id order (the order of `evaluate_arrays`); with a `viewer`, those they may see.
    #[pyo3(signature = (viewer=None))]
    fn key_result_ids(&self, py: Python<'_>, viewer: Option<&str>) -> PyResult<Vec<String>> {
        let model = &self.inner;
        detached(py, || {
            let view = view_of(model, viewer)?;
            Ok(model
                .key_results()
                .filter(|k| view.as_ref().is_none_or(|v| v.sees_key_result(&k.id)))
                .map(|k| k.id.clone())
                .collect())
        })
    }

    /// The objective ids in id order (the order of `evaluate_arrays`); with a `viewer`, those they may see.
    #[pyo3(signature = (viewer=None))]
    fn objective_ids(&self, py: Python<'_>, viewer: Option<&str>) -> PyResult<Vec<String>> {
        let model = &self.inner;
        detached(py, || {
            let view = view_of(model, viewer)?;
            Ok(model
                .objectives()
                .filter(|o| view.as_ref().is_none_or(|v| v.sees_objective(&o.id)))
                .map(|o| o.id.clone())
                .collect())
        })
    }

    /// Runs a KPI query (JSON) for every org unit, each taking its whole subtree; returns the table's JSON,
    /// filtered for `viewer` when given.
    #[pyo3(signature = (query, viewer=None))]
    fn query_units(&self, py: Python<'_>, query: &str, viewer: Option<&str>) -> PyResult<String> {
        let model = &self.inner;
        detached(py, || {
            let view = view_of(model, viewer)?;
            let q: okpi::kpi::Query = parse_under(query, "$.query")?;
            to_json(&seen(&view, okpi::kpi::query_units(model, &q)?))
        })
    }

    /// The normalised document's JSON (items sorted by id), check-ins included.
    fn to_json(&self, py: Python<'_>) -> String {
        let model = &self.inner;
        py.detach(|| model.to_document().to_json())
    }

    /// How many objectives the model holds.
    #[getter]
    fn objective_count(&self) -> usize {
        self.inner.objective_count()
    }

    /// How many key results the model holds.
    #[getter]
    fn key_result_count(&self) -> usize {
        self.inner.key_result_count()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let json = slf.borrow().to_json(py);
        let limits = slf.borrow().limits();
        let class = slf.get_type();
        PyTuple::new(
            py,
            [class.into_any(), PyTuple::new(py, [json, limits])?.into_any()],
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Model(objectives={}, key_results={})",
            self.inner.objective_count(),
            self.inner.key_result_count()
        )
    }
}

/// Compiles a KPI query (JSON) over the model's catalog into one SQL statement in `dialect` (`duckdb` or `spark`)
/// over the warehouse layout `observations` / `org_closure` (README "Warehouse").
#[pyfunction]
#[pyo3(signature = (model, query, dialect="duckdb"))]
fn sql(py: Python<'_>, model: PyRef<'_, Model>, query: &str, dialect: &str) -> PyResult<String> {
    let model = &model.inner;
    detached(py, || {
        let q: okpi::kpi::Query = parse_under(query, "$.query")?;
        let Some(d) = okpi::kpi::sql::Dialect::parse(dialect) else {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.dialect",
                format!("unknown SQL dialect {dialect}: duckdb or spark"),
            ));
        };
        Ok(okpi::kpi::sql::sql(model, &q, d)?)
    })
}

/// The rows of `org_closure(ancestor, unit)` for the model's org tree.
#[pyfunction]
fn org_closure(model: PyRef<'_, Model>) -> Vec<(String, String)> {
    okpi::kpi::sql::org_closure(&model.inner)
}

/// The model's observations in the `observations` layout: `(dims, columns)` with the columns `date`
/// ("YYYY-MM-DD"), `measure`, `value`, `source` and one per dim, in that order.
#[pyfunction]
fn observation_table(model: PyRef<'_, Model>) -> ObservationColumns {
    let t = okpi::kpi::sql::observation_table(&model.inner);
    let date = t.rows.iter().map(|r| r.date.to_string()).collect();
    let measure = t.rows.iter().map(|r| r.measure.clone()).collect();
    let value = t.rows.iter().map(|r| r.value).collect();
    let source = t.rows.iter().map(|r| r.source.clone()).collect();
    let dims = (0..t.dims.len())
        .map(|i| t.rows.iter().map(|r| r.dims.get(i).cloned().flatten()).collect())
        .collect();
    (t.dims, date, measure, value, source, dims)
}

/// `observation_table`'s answer: dim names, then the columns.
type ObservationColumns = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<f64>,
    Vec<Option<String>>,
    Vec<Vec<Option<String>>>,
);

/// The private native module of okpi.
#[pymodule]
fn _okpi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "ERROR_CODES",
        PyList::new(m.py(), Code::ALL.iter().map(|c| c.as_str()))?,
    )?;
    m.add(
        "DEFAULT_LIMITS",
        serde_json::to_string(&Limits::default()).unwrap_or_default(),
    )?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(advise, m)?)?;
    m.add_function(wrap_pyfunction!(diagnose, m)?)?;
    m.add_function(wrap_pyfunction!(kpi, m)?)?;
    m.add_function(wrap_pyfunction!(alert_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(alerts, m)?)?;
    m.add_function(wrap_pyfunction!(strategy_view, m)?)?;
    m.add_function(wrap_pyfunction!(filter, m)?)?;
    m.add_function(wrap_pyfunction!(kr_progress, m)?)?;
    m.add_function(wrap_pyfunction!(alert_evaluate_many, m)?)?;
    m.add_function(wrap_pyfunction!(kpi_scores, m)?)?;
    m.add_function(wrap_pyfunction!(alert_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(sql, m)?)?;
    m.add_function(wrap_pyfunction!(org_closure, m)?)?;
    m.add_function(wrap_pyfunction!(observation_table, m)?)?;
    m.add_class::<Model>()?;
    Ok(())
}
