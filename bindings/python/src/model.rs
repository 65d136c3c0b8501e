//! `okpi._okpi.Model`: a validated document kept for repeated calls, safe to share between threads.
//!
//! The model sits behind a read-write lock: every read (every call but `apply_check_in`) takes it shared, so
//! concurrent reads never wait for each other nor fail; `apply_check_in` takes it exclusively, waiting with the
//! GIL released, so writes serialise. The class is `frozen`: Python never borrows it mutably, so "Already borrowed"
//! cannot happen.

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use okpi::decide::BusinessProfile;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::arrays;
use crate::columns;
use crate::convert::{parse_limits, view_of};
use crate::errors::{detached, Failure, Outcome};
use crate::topy::to_py;

/// A validated document, built once for repeated calls.
#[pyclass(module = "okpi._okpi", name = "Model", frozen)]
pub(crate) struct Model {
    inner: RwLock<okpi::Model>,
    /// Display names of metrics (`metric_names` of a document read by `load`).
    metric_names: BTreeMap<String, String>,
    /// The advisor's business lines (`profiles` of a document read by `load`).
    profiles: Option<Vec<BusinessProfile>>,
}

impl Model {
    /// A model without the `load` extras.
    pub(crate) fn plain(model: okpi::Model) -> Self {
        Model {
            inner: RwLock::new(model),
            metric_names: BTreeMap::new(),
            profiles: None,
        }
    }

    /// Another model with this one's `load` extras (metric names, profiles): a model derived from a loaded one
    /// keeps what `load` read.
    pub(crate) fn derived(&self, model: okpi::Model) -> Self {
        Model::loaded(model, self.metric_names.clone(), self.profiles.clone())
    }

    /// A model with what `load` read besides the document.
    pub(crate) fn loaded(
        model: okpi::Model,
        metric_names: BTreeMap<String, String>,
        profiles: Option<Vec<BusinessProfile>>,
    ) -> Self {
        Model {
            inner: RwLock::new(model),
            metric_names,
            profiles,
        }
    }

    /// The model for reading. A panic while a write held the lock cannot have left a half-applied check-in (the
    /// core applies one only once it is valid), so a poisoned lock is read as it is.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, okpi::Model> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the shared model without the GIL (waiting for a write, if one runs, without it too).
    pub(crate) fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&okpi::Model) -> Outcome<T> + Send,
    ) -> PyResult<T> {
        detached(py, || f(&self.read()))
    }
}

/// Problems of a document read from files as a failure: each message ends with where it was written.
fn located(problems: Vec<okpi::load::Located>) -> Failure {
    let problems: Vec<okpi::Problem> = problems
        .into_iter()
        .map(|l| {
            let mut p = l.problem;
            if let Some(origin) = l.origin {
                p.message = format!("{} ({origin})", p.message);
            }
            p
        })
        .collect();
    let parse = problems.iter().all(|p| p.code == okpi::Code::E_PARSE);
    match <[okpi::Problem; 1]>::try_from(problems) {
        Ok([p]) if parse => Failure::from(okpi::Error::parse(p)),
        Ok(one) => Failure::from(okpi::Error::invalid(one.into())),
        Err(many) => Failure::from(okpi::Error::invalid(many)),
    }
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
        Ok(Model::plain(inner))
    }

    /// Reads the document at `path` (JSON or YAML) with the files it names (CSV tables of observations and
    /// check-ins, `profiles`, `metric_names`), read only inside its folder and size-checked, under `limits` (JSON,
    /// None: the defaults); validates it. Every problem names its JSON path, with the file, line and column it came
    /// from in its message.
    #[staticmethod]
    #[pyo3(signature = (path, limits=None))]
    fn load(py: Python<'_>, path: std::path::PathBuf, limits: Option<&str>) -> PyResult<Self> {
        detached(py, || {
            let limits = parse_limits(limits)?;
            let read = okpi::load::disk::load_file(&path, &limits).map_err(located)?;
            // The model takes the document over (`Loaded::model` would validate a copy of it).
            let okpi::load::Loaded {
                document,
                origins,
                metric_names,
                profiles,
            } = read;
            let model =
                okpi::Model::new_with_limits(document, &limits).map_err(|e| located(origins.locate(&e)))?;
            Ok(Model::loaded(model, metric_names, profiles))
        })
    }

    /// Reads and validates the JSON document in the file at `path` under `limits` (JSON, None: the defaults), as
    /// `Model(text)` does its text, with the file read and parsed by the core without the GIL.
    #[staticmethod]
    #[pyo3(signature = (path, limits=None))]
    fn read_json(py: Python<'_>, path: std::path::PathBuf, limits: Option<&str>) -> PyResult<Self> {
        columns::read(py, path, limits).map(Model::plain)
    }

    /// The metric definitions, sorted by id.
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        columns::metrics(py, &self.read())
    }

    /// The observations as numpy columns with their dictionaries (see `columns::observations_arrays`).
    fn observations_arrays<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        columns::observations_arrays(py, &self.read())
    }

    /// The limits the model was validated under, as JSON.
    fn limits(&self) -> String {
        serde_json::to_string(self.read().limits()).unwrap_or_default()
    }

    /// Runs one call of the call layer (its JSON form, `{"op": …}`; `schema/okpi.schema.json` lists every op and
    /// field) under the model's limits; returns the answer as Python objects (dates as `datetime.date`). Every call
    /// but `apply_check_in` shares the model; `apply_check_in` waits for the readers with the GIL released.
    fn call<'py>(&self, py: Python<'py>, call: &str) -> PyResult<Bound<'py, PyAny>> {
        let answer = detached(py, || {
            let c = okpi::api::read_call(call, self.read().limits())?;
            if matches!(c, okpi::api::Call::ApplyCheckIn(_)) {
                let mut model = self.inner.write().unwrap_or_else(PoisonError::into_inner);
                return Ok(okpi::api::call_mut(&mut model, c)?);
            }
            Ok(okpi::api::call(&self.read(), c)?)
        })?;
        to_py(py, &answer)
    }

    /// Evaluates as of `as_of` and returns the numbers as float64/int8 arrays in id order (no JSON, no dicts):
    /// `kr_progress`, `kr_current` (NaN where none), `kr_expected`, `kr_score`, `kr_weight`, `kr_status`,
    /// `objective_progress`, `objective_expected`, `objective_score`, `objective_confidence` (NaN where none),
    /// `objective_status`. Statuses are codes into `okpi.STATUSES`. With a `viewer`, over what they may see (in the
    /// order of `key_result_ids(viewer)` and `objective_ids(viewer)`). With `columns`, only those (the roll-up's
    /// own numbers alone are worked out without statuses, confidences or scores).
    #[pyo3(signature = (as_of, settings=None, viewer=None, columns=None))]
    fn evaluate_arrays<'py>(
        &self,
        py: Python<'py>,
        as_of: &str,
        settings: Option<&str>,
        viewer: Option<&str>,
        columns: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        arrays::evaluate_arrays(py, &self.read(), as_of, settings, viewer, columns)
    }

    /// Runs `query_units` and returns `(units, period starts, values)`: unit ids, period starts ("YYYY-MM-DD") and a
    /// float64 matrix periods × units (NaN where the value is undefined, or withheld from `viewer`).
    #[pyo3(signature = (query, viewer=None))]
    fn query_units_arrays<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        viewer: Option<&str>,
    ) -> PyResult<arrays::UnitTable<'py>> {
        arrays::query_units_arrays(py, &self.read(), query, viewer)
    }

    /// The key result ids in id order (the order of `evaluate_arrays`); with a `viewer`, those they may see.
    #[pyo3(signature = (viewer=None))]
    fn key_result_ids(&self, py: Python<'_>, viewer: Option<&str>) -> PyResult<Vec<String>> {
        self.with(py, |model| {
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
        self.with(py, |model| {
            let view = view_of(model, viewer)?;
            Ok(model
                .objectives()
                .filter(|o| view.as_ref().is_none_or(|v| v.sees_objective(&o.id)))
                .map(|o| o.id.clone())
                .collect())
        })
    }

    /// The normalised document's JSON (items sorted by id), check-ins included.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |model| Ok(model.to_document().to_json()))
    }

    /// Display names of metrics, as the document read by `load` gave them (`metric_names`).
    #[getter]
    fn metric_names(&self) -> BTreeMap<String, String> {
        self.metric_names.clone()
    }

    /// The advisor's business-line profiles the document read by `load` names (`profiles`), or None.
    #[getter]
    fn profiles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.profiles)
    }

    /// How many objectives the model holds.
    #[getter]
    fn objective_count(&self) -> usize {
        self.read().objective_count()
    }

    /// How many key results the model holds.
    #[getter]
    fn key_result_count(&self) -> usize {
        self.read().key_result_count()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let json = slf.get().to_json(py)?;
        let limits = slf.get().limits();
        let class = slf.get_type();
        PyTuple::new(
            py,
            [class.into_any(), PyTuple::new(py, [json, limits])?.into_any()],
        )
    }

    fn __repr__(&self) -> String {
        let model = self.read();
        format!(
            "Model(objectives={}, key_results={})",
            model.objective_count(),
            model.key_result_count()
        )
    }
}
