//! `okpi._okpi.Model`: a validated document kept for repeated calls.

use okpi::Code;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::arrays;
use crate::convert::{
    answer, evaluation, parse_date, parse_limits, parse_under, parse_under_with, seen, to_json, view_of,
};
use crate::errors::{detached, Failure, Kind};
use crate::ops;

/// A validated document, built once for repeated evaluations.
#[pyclass(module = "okpi._okpi", name = "Model")]
pub(crate) struct Model {
    pub(crate) inner: okpi::Model,
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
        ops::explain(py, &doc, as_of, id, quantity, settings, viewer, Some(&limits))
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
        arrays::evaluate_arrays(py, &self.inner, as_of, settings, viewer)
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
        arrays::query_units_arrays(py, &self.inner, query, viewer)
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
