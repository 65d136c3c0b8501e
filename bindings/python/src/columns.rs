//! A model read straight from a JSON file, and its KPI data handed to Python: metric definitions and observations
//! as numpy arrays (`Model.read_json`, `Model.metrics`, `Model.observations_arrays`).

use numpy::datetime::{units::Days, Datetime};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::parse_limits;
use crate::errors::{Failure, Outcome};
use crate::topy::to_py;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01, numpy's day 0.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// `Model.read_json`: the JSON document in the file at `path`, read and validated as `Model(text)` reads its text, but
/// with the bytes read, checked and parsed by the core without the GIL (no Python `str` of the file), and freed
/// before validation. A file that cannot be read raises the `OSError` Python's `open` would.
pub(crate) fn read(py: Python<'_>, path: std::path::PathBuf, limits: Option<&str>) -> PyResult<okpi::Model> {
    let read = py.detach(|| -> std::io::Result<Outcome<okpi::Model>> {
        let bytes = okpi::load::disk::read_bytes(&path)?;
        Ok(parse_limits(limits).and_then(|limits| {
            let doc = okpi::Document::from_slice_with_limits(&bytes, &limits)?;
            drop(bytes);
            Ok(okpi::Model::new_with_limits(doc, &limits)?)
        }))
    });
    read?.map_err(|e: Failure| e.into_pyerr(py))
}

/// `Model.metrics`: the metric definitions, sorted by id, as plain data.
pub(crate) fn metrics<'py>(py: Python<'py>, model: &okpi::Model) -> PyResult<Bound<'py, PyAny>> {
    let list: Vec<&okpi::model::Metric> = model.metrics().collect();
    to_py(py, &list)
}

/// `Model.observations_arrays`: the observations as numpy columns (see `okpi::ObservationColumns` for the row
/// order): `measure` (int32 codes into `measure_ids`), `date` (datetime64[D]), `value` (float64), `unit` (int32
/// positions in the model's org units in id order, -1 without a `unit` dim), `dims` (int32 codes into
/// `dim_sets`), `source` (int32 codes into `sources`, whose first entry is None), and the lists `measure_ids`,
/// `unit_ids`, `dim_sets`, `sources`.
pub(crate) fn observations_arrays<'py>(py: Python<'py>, model: &okpi::Model) -> PyResult<Bound<'py, PyDict>> {
    let (cols, unit_ids, measure, date, unit, dims, source) = py.detach(|| {
        let cols = model.observation_columns();
        let unit_ids: Vec<String> = model.org_units().map(|u| u.id.clone()).collect();
        let codes = |v: &[u32]| v.iter().map(|&c| c as i32).collect::<Vec<i32>>();
        let date: Vec<Datetime<Days>> = cols
            .date
            .iter()
            .map(|d| Datetime::from(i64::from(chrono::Datelike::num_days_from_ce(d)) - UNIX_EPOCH_FROM_CE))
            .collect();
        let unit: Vec<i32> = cols.unit.iter().map(|u| u.map_or(-1, |u| u as i32)).collect();
        let (measure, dims, source) = (codes(&cols.measure), codes(&cols.dims), codes(&cols.source));
        (cols, unit_ids, measure, date, unit, dims, source)
    });
    let out = PyDict::new(py);
    out.set_item("measure", PyArray1::from_vec(py, measure))?;
    out.set_item("date", PyArray1::from_vec(py, date))?;
    out.set_item("value", PyArray1::from_vec(py, cols.value))?;
    out.set_item("unit", PyArray1::from_vec(py, unit))?;
    out.set_item("dims", PyArray1::from_vec(py, dims))?;
    out.set_item("source", PyArray1::from_vec(py, source))?;
    out.set_item("measure_ids", cols.measure_ids)?;
    out.set_item("unit_ids", unit_ids)?;
    out.set_item("dim_sets", to_py(py, &cols.dim_sets)?)?;
    out.set_item("sources", cols.sources)?;
    Ok(out)
}
