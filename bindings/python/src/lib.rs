//! `okpi._okpi`: the private native module behind the Python package `okpi` (house rule 8).
//!
//! JSON text in, JSON text out: the front package (`python/okpi/__init__.py`) turns Python data into JSON and back
//! (with `datetime.date` for date fields). Every heavy call releases the GIL. Errors are raised as the exception
//! classes of `okpi._errors`: one subclass of `okpi.OkpiError` (a `ValueError`) per error kind, each carrying every
//! problem as `(code, path, message)`.

mod arrays;
mod arrow;
mod columns;
mod convert;
mod errors;
mod model;
mod ops;
mod pool;
mod topy;
mod warehouse;

use okpi::{Code, Limits};
use pyo3::prelude::*;
use pyo3::types::PyList;

use arrays::{alert_matrix, kpi_scores, kr_progress};
use ops::{
    advise, alert_evaluate, alerts, diagnose, evaluate, explain, filter, kpi, strategy_view, validate,
};
use warehouse::{observation_table, org_closure, sql};

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
    m.add_function(wrap_pyfunction!(kpi_scores, m)?)?;
    m.add_function(wrap_pyfunction!(alert_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(sql, m)?)?;
    m.add_function(wrap_pyfunction!(org_closure, m)?)?;
    m.add_function(wrap_pyfunction!(observation_table, m)?)?;
    m.add_class::<model::Model>()?;
    m.add_class::<arrays::AlertStates>()?;
    arrow::register(m)?;
    Ok(())
}
