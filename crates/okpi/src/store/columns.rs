//! A model's KPI data handed out for analysis: its metric and measure definitions, and its observations as
//! columns (what Python's `Model.observations_arrays` turns into numpy arrays), so that a host never re-reads the
//! document to get at them.

use super::{Model, NO_SLOT};
use crate::idx::Idx;
use crate::model::{Measure, Metric};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A model's observations as columns, one entry per row in every per-row column.
///
/// Rows come grouped by measure (measures in id order), then by date, then in the model's canonical order within
/// a day: the order of `Model::to_document().observations`, whatever order the document gave them in. Strings are
/// coded: a row's measure, dims and source are positions in `measure_ids`, `dim_sets` and `sources`.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "org_units": [{"id": "east", "name": "East"}],
///   "measures": [{"id": "orders"}],
///   "observations": [{"measure": "orders", "date": "2026-01-02", "value": 3, "dims": {"unit": "east"}}]}"#)?;
/// let cols = model.observation_columns();
/// assert_eq!((cols.measure_ids.as_slice(), cols.value.as_slice()), (["orders".to_owned()].as_slice(), [3.0].as_slice()));
/// assert_eq!(cols.unit, [Some(0)]); // the first of `model.org_units()`
/// # Ok::<(), okpi::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ObservationColumns {
    /// The measures observed, in id order (every measure of the model, observed or not).
    pub measure_ids: Vec<String>,
    /// Each row's measure: a position in `measure_ids`.
    pub measure: Vec<u32>,
    /// Each row's day.
    pub date: Vec<NaiveDate>,
    /// Each row's value.
    pub value: Vec<f64>,
    /// Each row's `unit` dim as a position in [`Model::org_units`] (id order), `None` for a row without one.
    pub unit: Vec<Option<u32>>,
    /// Each row's dims (the `unit` dim included): a position in `dim_sets`.
    pub dims: Vec<u32>,
    /// The distinct sets of dims.
    pub dim_sets: Vec<BTreeMap<String, String>>,
    /// Each row's source: a position in `sources`, whose first entry is `None` (no source).
    pub source: Vec<u32>,
    /// `None`, then each distinct source.
    pub sources: Vec<Option<String>>,
}

impl Model {
    /// The metric definitions, sorted by id.
    pub fn metrics(&self) -> impl Iterator<Item = &Metric> {
        self.kpi.metrics.iter()
    }

    /// The measure definitions, sorted by id.
    pub fn measures(&self) -> impl Iterator<Item = &Measure> {
        self.kpi.measures.iter()
    }

    /// The observations as columns (see [`ObservationColumns`] for the order). One pass over the rows; the
    /// dictionaries are copied once, not per row.
    pub fn observation_columns(&self) -> ObservationColumns {
        let store = &self.kpi.store;
        let mut by_id: Vec<usize> = (0..store.measure_ids.len()).collect();
        by_id.sort_by(|&a, &b| store.measure_ids.get(a).cmp(&store.measure_ids.get(b)));
        let n = store.date.len();
        let mut out = ObservationColumns {
            measure_ids: by_id
                .iter()
                .filter_map(|&m| store.measure_ids.get(m).cloned())
                .collect(),
            measure: Vec::with_capacity(n),
            date: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            unit: Vec::with_capacity(n),
            dims: Vec::with_capacity(n),
            dim_sets: store.dim_sets.clone(),
            source: Vec::with_capacity(n),
            sources: store.sources.clone(),
        };
        for (code, &m) in by_id.iter().enumerate() {
            let lo = store.start.get(m).copied().unwrap_or(0);
            let hi = store.start.get(m + 1).copied().unwrap_or(lo).max(lo);
            out.measure.extend(std::iter::repeat_n(code as u32, hi - lo));
            out.date
                .extend_from_slice(store.date.get(lo..hi).unwrap_or_default());
            out.value
                .extend_from_slice(store.value.get(lo..hi).unwrap_or_default());
            out.dims
                .extend_from_slice(store.dims.get(lo..hi).unwrap_or_default());
            out.source
                .extend_from_slice(store.source.get(lo..hi).unwrap_or_default());
            out.unit
                .extend(store.slot.get(lo..hi).unwrap_or_default().iter().map(|&s| {
                    let unit = store.tree.unit_at.get(s as usize).filter(|_| s != NO_SLOT);
                    unit.map(|u| u.index() as u32)
                }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use crate::Model;

    /// Measures, units and rows given out of id order, with extra dims, sources and a row without a unit.
    const DOC: &str = r#"{"schema_version": 1,
      "org_units": [{"id": "west", "name": "W", "parent": "hq"}, {"id": "hq", "name": "HQ"}],
      "measures": [{"id": "visits"}, {"id": "orders"}],
      "metrics": [{"id": "v", "kind": "simple", "measure": "visits", "agg": "max"},
                  {"id": "o", "kind": "simple", "measure": "orders"}],
      "observations": [
        {"measure": "visits", "date": "2026-01-03", "value": 7, "dims": {"unit": "hq", "channel": "web"}, "source": "crm"},
        {"measure": "orders", "date": "2026-01-02", "value": 2, "dims": {"unit": "west"}},
        {"measure": "visits", "date": "2026-01-01", "value": 5},
        {"measure": "orders", "date": "2026-01-01", "value": 1, "dims": {"unit": "hq"}}]}"#;

    #[test]
    fn the_columns_are_the_normalised_documents_rows() {
        let model = Model::from_json(DOC).unwrap();
        let cols = model.observation_columns();
        let units: Vec<&str> = model.org_units().map(|u| u.id.as_str()).collect();
        assert_eq!(units, ["hq", "west"]);
        assert_eq!(cols.measure_ids, ["orders", "visits"]);
        let doc = model.to_document();
        assert_eq!(cols.value.len(), doc.observations.len());
        for (i, o) in doc.observations.iter().enumerate() {
            assert_eq!(cols.measure_ids[cols.measure[i] as usize], o.measure, "row {i}");
            assert_eq!((cols.date[i], cols.value[i]), (o.date, o.value), "row {i}");
            assert_eq!(&cols.dim_sets[cols.dims[i] as usize], o.dims, "row {i}");
            assert_eq!(
                cols.sources[cols.source[i] as usize].as_deref(),
                o.source,
                "row {i}"
            );
            let unit = cols.unit[i].map(|u| units[u as usize]);
            assert_eq!(unit, o.dims.get("unit").map(String::as_str), "row {i}");
        }
        // Measures by id, then dates: orders 01-01 (hq), 01-02 (west); visits 01-01 (no unit), 01-03 (hq, crm).
        assert_eq!(cols.value, [1.0, 2.0, 5.0, 7.0]);
        assert_eq!(cols.unit, [Some(0), Some(1), None, Some(0)]);
        assert_eq!(cols.sources[cols.source[3] as usize].as_deref(), Some("crm"));
        assert_eq!(cols.source[0], 0);
        let metrics: Vec<&str> = model.metrics().map(|m| m.id.as_str()).collect();
        assert_eq!(metrics, ["o", "v"]);
        let measures: Vec<&str> = model.measures().map(|m| m.id.as_str()).collect();
        assert_eq!(measures, ["orders", "visits"]);
    }

    #[test]
    fn a_model_without_observations_has_empty_columns() {
        let model = Model::from_json(r#"{"schema_version": 1, "measures": [{"id": "m"}]}"#).unwrap();
        let cols = model.observation_columns();
        assert_eq!(cols.measure_ids, ["m"]);
        assert!(cols.value.is_empty() && cols.unit.is_empty() && cols.measure.is_empty());
    }
}
