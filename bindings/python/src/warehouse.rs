//! The warehouse helpers: a KPI query compiled to SQL, and the model's org closure and observations as columns.

use okpi::Code;
use pyo3::prelude::*;

use crate::convert::parse_under;
use crate::errors::{detached, Failure, Kind};
use crate::model::Model;

/// Compiles a KPI query (JSON) over the model's catalog into one SQL statement in `dialect` (`duckdb` or `spark`)
/// over the warehouse layout `observations` / `org_closure` (README "Warehouse").
#[pyfunction]
#[pyo3(signature = (model, query, dialect="duckdb"))]
pub(crate) fn sql(py: Python<'_>, model: PyRef<'_, Model>, query: &str, dialect: &str) -> PyResult<String> {
    let model = &model.read();
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
pub(crate) fn org_closure(model: PyRef<'_, Model>) -> Vec<(String, String)> {
    okpi::kpi::sql::org_closure(&model.read())
}

/// The model's observations in the `observations` layout: `(dims, columns)` with the columns `date`
/// ("YYYY-MM-DD"), `measure`, `value`, `source` and one per dim, in that order.
#[pyfunction]
pub(crate) fn observation_table(model: PyRef<'_, Model>) -> ObservationColumns {
    let t = okpi::kpi::sql::observation_table(&model.read());
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
pub(crate) type ObservationColumns = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<f64>,
    Vec<Option<String>>,
    Vec<Vec<Option<String>>>,
);
