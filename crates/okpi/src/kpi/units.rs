//! A query drilled down the org tree: one group per unit, each holding its whole subtree.

use super::query::{query, Cell, Query, QueryResult};
use crate::error::{Code, Error, Problem};
use crate::validated::Model;
use std::collections::BTreeMap;

/// Runs `q` once per org unit, each unit taking its whole subtree (as a `unit` filter does), and returns the
/// cells by period, then unit id, each with the group `{"unit": id}`. With a `unit` filter, only the units of
/// that subtree are listed; other filters apply as in [`query`]. `group_by` must be empty.
///
/// Every cell equals the cell of [`query`] with the filter `unit` set to its unit.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}, {"id": "west", "parent": "co"}],
///   "measures": [{"id": "orders"}], "metrics": [{"id": "o", "kind": "simple", "measure": "orders"}],
///   "observations": [{"measure": "orders", "date": "2026-03-02", "value": 3, "dims": {"unit": "east"}},
///                    {"measure": "orders", "date": "2026-03-09", "value": 4, "dims": {"unit": "west"}}]}"#)?;
/// let q: okpi::kpi::Query = serde_json::from_str(
///     r#"{"metric": "o", "grain": "month", "from": "2026-03-01", "to": "2026-03-31"}"#).unwrap();
/// let r = okpi::kpi::query_units(&model, &q)?;
/// let values: Vec<_> = r.cells.iter().map(|c| (c.group["unit"].as_str(), c.value)).collect();
/// assert_eq!(values, [("co", Some(7.0)), ("east", Some(3.0)), ("west", Some(4.0))]);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn query_units(model: &Model, q: &Query) -> Result<QueryResult, Error> {
    if !q.group_by.is_empty() {
        return Err(Error::Invalid(vec![Problem::new(
            Code::E_INVALID_VALUE,
            "$.query.group_by",
            None,
            "query_units groups by unit itself; group_by must be empty",
        )]));
    }
    let units: Vec<&str> = match q.filters.get("unit") {
        Some(root) => {
            let set = super::catalog::subtree(model, root);
            model.org_units().map(|u| u.id.as_str()).filter(|u| set.contains(*u)).collect()
        }
        None => model.org_units().map(|u| u.id.as_str()).collect(),
    };
    let mut per_unit = Vec::with_capacity(units.len());
    for u in &units {
        let mut one = q.clone();
        one.filters.insert("unit".to_owned(), (*u).to_owned());
        per_unit.push(query(model, &one)?);
    }
    let periods = per_unit.first().map_or(0, |r| r.cells.len());
    let mut cells = Vec::with_capacity(periods * units.len());
    for p in 0..periods {
        for (u, r) in units.iter().zip(&per_unit) {
            if let Some(c) = r.cells.get(p) {
                cells.push(Cell { group: BTreeMap::from([("unit".to_owned(), (*u).to_owned())]), ..c.clone() });
            }
        }
    }
    let metric = super::query::query(model, &Query { filters: BTreeMap::new(), ..q.clone() })?;
    Ok(QueryResult { metric: metric.metric, grain: metric.grain, version: metric.version, cells })
}
