//! The rows of the warehouse layout okpi's SQL reads, from a model: `org_closure(ancestor, unit)` and
//! `observations(date, measure, value, source, <dims>)`, so that tests and users can load them.

use crate::store::Model;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Every `(ancestor, unit)` pair of the org tree: each unit with itself and with each unit above it, sorted.
///
/// ```
/// let m = okpi::Model::from_json(r#"{"schema_version": 1,
///   "org_units": [{"id": "co"}, {"id": "eng", "parent": "co"}]}"#)?;
/// let rows = okpi::kpi::sql::org_closure(&m);
/// assert_eq!(rows, [("co".into(), "co".into()), ("co".into(), "eng".into()), ("eng".into(), "eng".into())]);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn org_closure(model: &Model) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (_, node) in model.units.iter_enumerated() {
        let unit = &node.def.id;
        out.push((unit.clone(), unit.clone()));
        let mut up = node.parent;
        // Validation refuses loops; the walk is bounded by the number of units all the same.
        for _ in 0..model.units.len() {
            let Some(p) = up else { break };
            let parent = model.units.at(p);
            out.push((parent.def.id.clone(), unit.clone()));
            up = parent.parent;
        }
    }
    out.sort();
    out
}

/// The model's observations in the `observations` layout: one column per dim any observation has.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationTable {
    /// The dim columns, sorted.
    pub dims: Vec<String>,
    /// The rows, in the model's canonical order (by measure id, then date).
    pub rows: Vec<ObservationRow>,
}

/// One row of [`ObservationTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRow {
    /// The day.
    pub date: NaiveDate,
    /// The measure id.
    pub measure: String,
    /// The value.
    pub value: f64,
    /// The source system, if any.
    pub source: Option<String>,
    /// The value of each dim of [`ObservationTable::dims`], `None` where the observation lacks it.
    pub dims: Vec<Option<String>>,
}

/// The model's observations as rows of the `observations` table.
pub fn observation_table(model: &Model) -> ObservationTable {
    let obs = model.kpi.store.to_observations();
    let dims: Vec<String> = obs
        .dim_sets
        .iter()
        .flat_map(|d| d.keys().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rows = obs
        .iter()
        .map(|o| ObservationRow {
            dims: dims.iter().map(|d| o.dims.get(d).cloned()).collect(),
            date: o.date,
            measure: o.measure.to_owned(),
            value: o.value,
            source: o.source.map(str::to_owned),
        })
        .collect();
    ObservationTable { dims, rows }
}
