//! `okpi._okpi`: the private native module behind the Python package `okpi` (house rule 8).
//!
//! JSON text in, JSON text out: the front package (`python/okpi/__init__.py`) turns Python data into JSON and back
//! (with `datetime.date` for date fields). Every heavy call releases the GIL. Errors are raised as the exception
//! classes of `okpi._errors`: one subclass of `okpi.OkpiError` (a `ValueError`) per error kind, each carrying every
//! problem as `(code, path, message)`.

use chrono::NaiveDate;
use numpy::{PyArray1, PyReadonlyArray1};
use okpi::decide::{AdvisorSettings, BusinessProfile};
use okpi::okr::Quantity;
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
    Limit,
}

impl Kind {
    fn class_name(self) -> &'static str {
        match self {
            Kind::Parse => "ParseError",
            Kind::Validation => "ValidationError",
            Kind::Settings => "SettingsError",
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
    fn from(error: Error) -> Self {
        let settings =
            !error.problems().is_empty() && error.problems().iter().all(|p| p.code == Code::E_SETTINGS);
        let limit = error.problems().iter().any(|p| p.code == Code::E_LIMIT);
        let kind = match &error {
            _ if limit => Kind::Limit,
            _ if settings => Kind::Settings,
            Error::Parse(_) => Kind::Parse,
            _ => Kind::Validation,
        };
        Failure { kind, error }
    }
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
            Kind::Parse => Error::Parse(p),
            Kind::Validation | Kind::Settings | Kind::Limit => Error::Invalid(vec![p]),
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

/// A `YYYY-MM-DD` argument; a malformed one is `E_PARSE` at `$.<name>`.
fn parse_date(text: &str, name: &str) -> Outcome<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        Failure::one(
            Kind::Parse,
            Code::E_PARSE,
            &format!("$.{name}"),
            format!("{name} {text:?} is not a YYYY-MM-DD date: {e}"),
        )
    })
}

/// The limits a call reads its inputs under: the defaults, or the `limits` JSON (`E_SETTINGS` under `$.limits`).
fn parse_limits(text: Option<&str>) -> Outcome<Limits> {
    match text {
        Some(s) => Limits::from_json(s).map_err(Failure::settings),
        None => Ok(Limits::default()),
    }
}

/// Validates a JSON document under `limits`.
fn model(doc: &str, limits: &Limits) -> Outcome<okpi::Model> {
    Ok(okpi::Model::from_json_with_limits(doc, limits)?)
}

fn parse_settings(text: Option<&str>, limits: &Limits) -> Outcome<Settings> {
    match text {
        Some(s) => {
            let settings: Settings = parse_under(s, "$.settings", limits).map_err(Failure::settings)?;
            settings.check().map_err(Failure::settings)?;
            Ok(settings)
        }
        None => Ok(Settings::default()),
    }
}

/// Parses JSON into a serde type under `limits`; a problem names its JSON path under `root`.
fn parse_under<T: serde::de::DeserializeOwned>(text: &str, root: &str, limits: &Limits) -> Result<T, Error> {
    okpi::error::parse_json_with(text, limits).map_err(|e| e.under(root))
}

fn evaluation(
    model: &okpi::Model,
    as_of: &str,
    settings: Option<&str>,
    limits: &Limits,
) -> Outcome<okpi::Evaluation> {
    let day = parse_date(as_of, "as_of")?;
    let settings = parse_settings(settings, limits)?;
    Ok(okpi::evaluate(model, day, &settings)?)
}

/// Validates a document (JSON text) under `limits` (JSON, None: the defaults); returns its normalised JSON.
#[pyfunction]
#[pyo3(signature = (doc, limits=None))]
fn validate(py: Python<'_>, doc: &str, limits: Option<&str>) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        Ok(model(doc, &limits)?.to_document().to_json())
    })
}

/// Validates and evaluates a document as of `as_of` ("YYYY-MM-DD"); returns the evaluation's JSON.
#[pyfunction]
#[pyo3(signature = (doc, as_of, settings=None, limits=None))]
fn evaluate(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let model = model(doc, &limits)?;
        Ok(evaluation(&model, as_of, settings, &limits)?.to_json())
    })
}

/// Explains one number (`quantity`: progress, expected, status, confidence or score) of the key result or objective
/// `id`; returns the explanation's JSON.
#[pyfunction]
#[pyo3(signature = (doc, as_of, id, quantity, settings=None, limits=None))]
fn explain(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    id: &str,
    quantity: &str,
    settings: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let quantity: Quantity = serde_json::from_value(serde_json::Value::String(quantity.to_owned()))
            .map_err(|_| {
                Failure::one(
                    Kind::Parse,
                    Code::E_INVALID_VALUE,
                    "$.quantity",
                    format!(
                        "quantity {quantity:?} is not one of progress, expected, status, confidence, score"
                    ),
                )
            })?;
        let model = model(doc, &limits)?;
        let ev = evaluation(&model, as_of, settings, &limits)?;
        let why = ev.explain(&model, id, quantity).ok_or_else(|| {
            Failure::one(
                Kind::Validation,
                Code::E_UNKNOWN_ID,
                "$.id",
                format!("no key result or objective has the id {id:?}"),
            )
        })?;
        serde_json::to_string(&why).map_err(|e| Failure::one(Kind::Parse, Code::E_PARSE, "$", e.to_string()))
    })
}

/// Advises one business line (a JSON object) or many (a JSON array: the company-wide portfolio); returns JSON.
#[pyfunction]
#[pyo3(signature = (profiles, settings=None, limits=None))]
fn advise(py: Python<'_>, profiles: &str, settings: Option<&str>, limits: Option<&str>) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let settings: AdvisorSettings = match settings {
            Some(s) => parse_under(s, "$.settings", &limits).map_err(Failure::settings)?,
            None => AdvisorSettings::default(),
        };
        let json = if profiles.trim_start().starts_with('[') {
            let lines: Vec<BusinessProfile> = parse_under(profiles, "$", &limits)?;
            serde_json::to_string(&okpi::decide::advise_all(&lines, &settings)?)
        } else {
            let line: BusinessProfile = parse_under(profiles, "$", &limits)?;
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
#[pyo3(signature = (doc, as_of, settings=None, rules=None, limits=None))]
fn diagnose(
    py: Python<'_>,
    doc: &str,
    as_of: &str,
    settings: Option<&str>,
    rules: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let model = model(doc, &limits)?;
        let ev = evaluation(&model, as_of, settings, &limits)?;
        let rules: okpi::diagnose::DiagnoseSettings = match rules {
            Some(r) => parse_under(r, "$.settings", &limits).map_err(|e| match e {
                Error::Parse(_) => Failure::from(e),
                other => Failure::settings(other),
            })?,
            None => okpi::diagnose::DiagnoseSettings::default(),
        };
        to_json(&okpi::diagnose::diagnose(&model, &ev, &rules)?)
    })
}

/// A KPI request over a document: `kind` is "query" (request: a Query), "score" (request: `{"as_of"}`) or
/// "scorecards" (request: a ScorecardRequest); returns the result as JSON.
#[pyfunction]
#[pyo3(signature = (doc, kind, request, limits=None))]
fn kpi(py: Python<'_>, doc: &str, kind: &str, request: &str, limits: Option<&str>) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let model = model(doc, &limits)?;
        match kind {
            "query" => to_json(&okpi::kpi::query(
                &model,
                &parse_under(request, "$.query", &limits)?,
            )?),
            "score" => {
                let r: serde_json::Value = parse_under(request, "$.score", &limits)?;
                let day = parse_date(
                    r.get("as_of")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default(),
                    "as_of",
                )?;
                to_json(&okpi::kpi::score(&model, day)?)
            }
            "scorecards" => to_json(&okpi::kpi::scorecards(
                &model,
                &parse_under(request, "$.scorecards", &limits)?,
            )?),
            other => Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.kind",
                format!("kind {other:?} is not one of query, score, scorecards"),
            )),
        }
    })
}

/// Runs every alert rule of a document over its metric per grain period of `from..=to`, from stored states
/// (`{"rule id": state}` JSON, None: fresh); returns the report as JSON.
#[pyfunction]
#[pyo3(signature = (doc, from, to, states=None, limits=None))]
fn alerts(
    py: Python<'_>,
    doc: &str,
    from: &str,
    to: &str,
    states: Option<&str>,
    limits: Option<&str>,
) -> PyResult<String> {
    detached(py, || {
        let limits = parse_limits(limits)?;
        let model = model(doc, &limits)?;
        let (from, to) = (parse_date(from, "from")?, parse_date(to, "to")?);
        let states = match states {
            Some(s) => parse_under(s, "$.states", &limits)?,
            None => Default::default(),
        };
        to_json(&okpi::alert::evaluate_rules(&model, from, to, &states)?)
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
            Some(s) => parse_under(s, "$.state", &limits)?,
            None => okpi::alert::State::default(),
        };
        let series: Vec<okpi::alert::Observation> = parse_under(series, "$.series", &limits)?;
        limits.check_series(series.len(), "$.series")?;
        let (state, events) = okpi::alert::evaluate_series(&rule, state, &series);
        to_json(&serde_json::json!({ "state": state, "events": events }))
    })
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
        let settings = Settings {
            overshoot,
            allow_negative,
            ..Settings::default()
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
                Ok(if c.is_nan() {
                    f64::NAN
                } else {
                    okpi::okr::bound_progress((c - s) / (t - s), &settings)
                })
            })
            .collect::<Outcome<Vec<f64>>>()
    })?;
    Ok(PyArray1::from_vec(py, out))
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
        let inner = detached(py, || model(doc, &parse_limits(limits)?))?;
        Ok(Model { inner })
    }

    /// Evaluates as of `as_of` ("YYYY-MM-DD"); returns the evaluation's JSON.
    #[pyo3(signature = (as_of, settings=None))]
    fn evaluate(&self, py: Python<'_>, as_of: &str, settings: Option<&str>) -> PyResult<String> {
        let model = &self.inner;
        detached(py, || {
            Ok(evaluation(model, as_of, settings, model.limits())?.to_json())
        })
    }

    /// The limits the model was validated under, as JSON.
    fn limits(&self) -> String {
        serde_json::to_string(self.inner.limits()).unwrap_or_default()
    }

    /// Explains one number of the key result or objective `id`; returns the explanation's JSON.
    #[pyo3(signature = (as_of, id, quantity, settings=None))]
    fn explain(
        &self,
        py: Python<'_>,
        as_of: &str,
        id: &str,
        quantity: &str,
        settings: Option<&str>,
    ) -> PyResult<String> {
        let doc = self.inner.to_document().to_json();
        let limits = self.limits();
        explain(py, &doc, as_of, id, quantity, settings, Some(&limits))
    }

    /// Adds one check-in (JSON: `{"key_result", "date", "value", "confidence", "note"}`) after validating it; a
    /// refused check-in leaves the model unchanged.
    fn apply_check_in(&mut self, py: Python<'_>, check_in: &str) -> PyResult<()> {
        let model = &mut self.inner;
        detached(py, || {
            let ci: okpi::model::CheckIn = parse_under(check_in, "$.check_in", model.limits())?;
            model.apply_check_in(ci)?;
            Ok(())
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
    m.add_function(wrap_pyfunction!(kr_progress, m)?)?;
    m.add_class::<Model>()?;
    Ok(())
}
