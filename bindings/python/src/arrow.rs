//! Arrow through the PyCapsule interface (README "Warehouse"): any object with `__arrow_c_stream__` (pyarrow,
//! polars, pandas ≥ 2.2, DuckDB relations) or `__arrow_c_array__` is read without a copy into Python objects or
//! JSON, and results come back as [`ArrowTable`], which exposes `__arrow_c_stream__` so pyarrow, polars and DuckDB
//! take it without copying.
//!
//! The capsules carry arrow-rs's C data interface structs; the `unsafe` here is confined to moving them across the
//! capsule boundary, as the Arrow C stream interface specifies (the consumer moves the struct out and marks the
//! source released).
#![allow(unsafe_code)]

use crate::convert::{parse_date, parse_under};
use crate::errors::{detached, Failure, Kind, Outcome};
use crate::model::Model;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{RecordBatch, RecordBatchIterator, StructArray};
use arrow_schema::{ArrowError, SchemaRef};
use okpi::{Code, Error};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyTuple};
use std::ffi::CString;

/// A table of record batches, handed to Python consumers through `__arrow_c_stream__`.
#[pyclass(module = "okpi._okpi", name = "ArrowTable", frozen)]
pub(crate) struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    fn one(batch: RecordBatch) -> Self {
        ArrowTable {
            schema: batch.schema(),
            batches: vec![batch],
        }
    }
}

#[pymethods]
impl ArrowTable {
    /// The Arrow C stream of the table, in a capsule named `arrow_array_stream`. A `requested_schema` is ignored:
    /// the table has one schema (consumers cast if they need another).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader = RecordBatchIterator::new(self.batches.clone().into_iter().map(Ok), self.schema.clone());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        // Dropping the struct releases it unless a consumer moved it out (then its release is null).
        PyCapsule::new(py, stream, Some(name("arrow_array_stream")?))
    }

    /// The table's schema as an Arrow C schema, in a capsule named `arrow_schema`.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.schema.as_ref()).map_err(arrow_err)?;
        PyCapsule::new(py, schema, Some(name("arrow_schema")?))
    }

    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema.fields().iter().map(|f| f.name().clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "okpi.ArrowTable({} rows: {})",
            self.num_rows(),
            self.column_names().join(", ")
        )
    }
}

fn name(n: &str) -> PyResult<CString> {
    CString::new(n).map_err(|e| PyValueError::new_err(e.to_string()))
}

fn arrow_err(e: ArrowError) -> PyErr {
    PyValueError::new_err(format!("Arrow: {e}"))
}

/// The record batches of an Arrow-exporting object: `__arrow_c_stream__` first, else `__arrow_c_array__` (one
/// struct array, a record batch's form).
fn batches(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<RecordBatch>> {
    if obj.hasattr("__arrow_c_stream__")? {
        let capsule = obj.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let ptr = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
        // SAFETY: the capsule named `arrow_array_stream` holds an ArrowArrayStream (the PyCapsule interface);
        // `from_raw` moves it out and marks the capsule's copy released, so the capsule's destructor does not
        // release it again.
        let reader = unsafe { ArrowArrayStreamReader::from_raw(ptr.as_ptr().cast::<FFI_ArrowArrayStream>()) }
            .map_err(arrow_err)?;
        return reader.collect::<Result<Vec<_>, _>>().map_err(arrow_err);
    }
    if obj.hasattr("__arrow_c_array__")? {
        let pair = obj.call_method0("__arrow_c_array__")?;
        let pair = pair.cast::<PyTuple>()?;
        let schema = pair.get_item(0)?;
        let array = pair.get_item(1)?;
        let schema_ptr = schema
            .cast::<PyCapsule>()?
            .pointer_checked(Some(c"arrow_schema"))?;
        let array_ptr = array.cast::<PyCapsule>()?.pointer_checked(Some(c"arrow_array"))?;
        // SAFETY: the capsules hold an ArrowSchema and an ArrowArray (the PyCapsule interface). The array is moved
        // out (its capsule's copy marked released); the schema is borrowed, its capsule releasing it later.
        let data = unsafe {
            let array = FFI_ArrowArray::from_raw(array_ptr.as_ptr().cast::<FFI_ArrowArray>());
            let schema = &*schema_ptr.as_ptr().cast::<FFI_ArrowSchema>();
            from_ffi(array, schema)
        }
        .map_err(arrow_err)?;
        return Ok(vec![RecordBatch::from(StructArray::from(data))]);
    }
    Err(PyTypeError::new_err(format!(
        "{what}: expected an Arrow table (an object with __arrow_c_stream__, e.g. a pyarrow Table, a polars or \
         pandas DataFrame, a DuckDB relation), got {}",
        obj.get_type().name()?
    )))
}

/// A new model: `model`'s document with the rows of `observations` and `check_ins` (Arrow tables) added, validated
/// under the model's limits. Read column by column, with no JSON in between.
#[pyfunction]
#[pyo3(signature = (model, observations=None, check_ins=None))]
pub(crate) fn with_arrow(
    py: Python<'_>,
    model: PyRef<'_, Model>,
    observations: Option<Bound<'_, PyAny>>,
    check_ins: Option<Bound<'_, PyAny>>,
) -> PyResult<Model> {
    let obs = observations.map(|o| batches(&o, "observations")).transpose()?;
    let cis = check_ins.map(|c| batches(&c, "check_ins")).transpose()?;
    let inner = model.with(py, |inner| {
        let mut doc = inner.to_document();
        if let Some(b) = obs {
            doc.observations.extend(okpi::arrow::observations(&b)?);
        }
        if let Some(b) = cis {
            doc.check_ins.extend(okpi::arrow::check_ins(&b)?);
        }
        Ok(okpi::Model::new_with_limits(doc, inner.limits())?)
    })?;
    Ok(model.derived(inner))
}

fn written(r: Result<RecordBatch, ArrowError>) -> Outcome<ArrowTable> {
    r.map(ArrowTable::one).map_err(|e| {
        Failure::one(
            Kind::Validation,
            Code::E_INVALID_VALUE,
            "$",
            format!("Arrow: {e}"),
        )
    })
}

/// The cells of a KPI query (JSON) as an Arrow table (`okpi::arrow::cells`).
#[pyfunction]
pub(crate) fn query_arrow(py: Python<'_>, model: PyRef<'_, Model>, query: &str) -> PyResult<ArrowTable> {
    model.with(py, |model| {
        let q: okpi::kpi::Query = parse_under(query, "$.query")?;
        written(okpi::arrow::cells(&okpi::kpi::query(model, &q)?))
    })
}

/// An evaluation as two Arrow tables: key results and objectives.
#[pyfunction]
#[pyo3(signature = (model, as_of, settings=None))]
pub(crate) fn evaluate_arrow(
    py: Python<'_>,
    model: PyRef<'_, Model>,
    as_of: &str,
    settings: Option<&str>,
) -> PyResult<(ArrowTable, ArrowTable)> {
    let pool = crate::pool::current(py);
    model.with(py, |model| {
        let ev = crate::convert::evaluation(model, as_of, settings, pool.as_deref())?;
        Ok((
            written(okpi::arrow::key_results(&ev))?,
            written(okpi::arrow::objectives(&ev))?,
        ))
    })
}

/// The KPI targets' scores as of `as_of` as an Arrow table.
#[pyfunction]
pub(crate) fn scores_arrow(py: Python<'_>, model: PyRef<'_, Model>, as_of: &str) -> PyResult<ArrowTable> {
    model.with(py, |model| {
        let day = parse_date(as_of)?;
        written(okpi::arrow::targets(&okpi::kpi::score(model, day)?))
    })
}

/// The scorecards as of `as_of` (request JSON: `{"as_of", "distribution"}`) as an Arrow table.
#[pyfunction]
pub(crate) fn scorecards_arrow(
    py: Python<'_>,
    model: PyRef<'_, Model>,
    request: &str,
) -> PyResult<ArrowTable> {
    model.with(py, |model| {
        let req: okpi::kpi::ScorecardRequest = parse_under(request, "$.scorecards")?;
        written(okpi::arrow::scorecards(&okpi::hybrid::scorecards(model, &req)?))
    })
}

/// Runs an alert rule (JSON) over a series (an Arrow table with `date` and `value`, null = missing, in date order)
/// from a stored state (JSON; None: fresh). Returns the events as an Arrow table and the state to store, as JSON.
#[pyfunction]
#[pyo3(signature = (rule, series, state=None))]
pub(crate) fn alert_arrow(
    py: Python<'_>,
    rule: &str,
    series: Bound<'_, PyAny>,
    state: Option<&str>,
) -> PyResult<(ArrowTable, String)> {
    let b = batches(&series, "series")?;
    detached(py, || {
        let rule = okpi::alert::Rule::from_json(rule)?;
        let problems = okpi::alert::validate_rule(&rule, "$.rule");
        if !problems.is_empty() {
            return Err(Failure::from(Error::invalid(problems)));
        }
        let state: okpi::alert::State = match state {
            Some(s) => parse_under(s, "$.state")?,
            None => okpi::alert::State::default(),
        };
        let obs = okpi::arrow::alert_series(&b)?;
        let (state, events) = okpi::alert::evaluate_series(&rule, state, &obs);
        let table = written(okpi::arrow::alert_events(&events))?;
        let state = serde_json::to_string(&state)
            .map_err(|e| Failure::one(Kind::Validation, Code::E_INVALID_VALUE, "$.state", e.to_string()))?;
        Ok((table, state))
    })
}

/// Registers the Arrow functions and class on the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ArrowTable>()?;
    m.add_function(wrap_pyfunction!(with_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(query_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(scores_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(scorecards_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(alert_arrow, m)?)?;
    Ok(())
}
