//! A query drilled down the org tree: one group per unit, each holding its whole subtree.

use super::catalog::Value;
use super::catalog::{subtree, Catalog, Filter};
use super::grain::Span;
use super::query::{checked_grain, limit_error, periods_within, Cell, Query, QueryResult};
use crate::error::{Code, Error, Problem};
use crate::model::Grain;
use crate::store::Model;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

/// Runs `q` for every org unit, each unit taking its whole subtree (as a `unit` filter does), and returns the
/// cells by period, then unit id, each with the group `{"unit": id}`. With a `unit` filter only the units of that
/// subtree are listed; other filters apply as in [`super::query`]. `group_by` must be empty.
///
/// Every cell equals the cell of [`super::query`] with the filter `unit` set to its unit, but the work is one
/// pass over the observations of each measure and period, each counted in its unit and every unit above it,
/// instead of one pass per unit.
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
    let mut cells = Vec::new();
    let run = run(model, q, |span, unit, v, version| {
        cells.push(Cell {
            period_start: span.start,
            period_end: span.end,
            group: BTreeMap::from([("unit".to_owned(), unit.to_owned())]),
            value: v.as_ref().ok().copied(),
            undefined: v.err(),
            withheld: None,
            version: version.to_owned(),
        })
    })?;
    Ok(QueryResult {
        metric: q.metric.clone(),
        grain: run.grain,
        version: run.version,
        filters: q.filters.clone(),
        cells,
        unit_subtrees: true,
    })
}

/// The numbers of [`query_units`] alone, as a periods × units matrix: no cell, group map or reason per value
/// (what array consumers read). `values[p * units.len() + u]` is period `p` of unit `u`, `None` where undefined.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitMatrix {
    /// Version of the metric definition.
    pub version: String,
    /// The units, in id order (the columns).
    pub units: Vec<String>,
    /// The first day of each period (the rows).
    pub periods: Vec<NaiveDate>,
    /// The values, row by row.
    pub values: Vec<Option<f64>>,
}

/// [`query_units`] as a [`UnitMatrix`]: the same values, checks and limits.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}],
///   "measures": [{"id": "orders"}], "metrics": [{"id": "o", "kind": "simple", "measure": "orders", "agg": "avg"}],
///   "observations": [{"measure": "orders", "date": "2026-03-02", "value": 3, "dims": {"unit": "east"}}]}"#)?;
/// let q: okpi::kpi::Query = serde_json::from_str(
///     r#"{"metric": "o", "grain": "month", "from": "2026-03-01", "to": "2026-04-30"}"#).unwrap();
/// let m = okpi::kpi::query_units_matrix(&model, &q)?;
/// assert_eq!((m.units.len(), m.periods.len()), (2, 2));
/// assert_eq!(m.values, [Some(3.0), Some(3.0), None, None]); // April has no observations: undefined
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn query_units_matrix(model: &Model, q: &Query) -> Result<UnitMatrix, Error> {
    let mut values = Vec::new();
    let mut periods: Vec<NaiveDate> = Vec::new();
    let run = run(model, q, |span, _, v, _| {
        if periods.last() != Some(&span.start) {
            periods.push(span.start);
        }
        values.push(v.ok());
    })?;
    Ok(UnitMatrix {
        version: run.version,
        units: run.units,
        periods,
        values,
    })
}

/// What [`run`] found besides the cells.
struct Run {
    grain: Grain,
    version: String,
    units: Vec<String>,
}

/// Checks `q` and evaluates it for every listed unit and period, handing each value to `cell` (period by period,
/// units in id order).
fn run(model: &Model, q: &Query, mut cell: impl FnMut(Span, &str, Value, &str)) -> Result<Run, Error> {
    if !q.group_by.is_empty() {
        return Err(Error::invalid(vec![Problem::new(
            Code::E_INVALID_VALUE,
            "$.query.group_by",
            None,
            "query_units groups by unit itself; group_by must be empty",
        )]));
    }
    let others: Vec<(String, HashSet<String>)> = q
        .filters
        .iter()
        .filter(|(k, _)| k.as_str() != "unit")
        .map(|(k, v)| (k.clone(), HashSet::from([v.clone()])))
        .collect();
    let cat = Catalog::for_tree(model, others);
    let grain = checked_grain(&cat, q)?;
    let version = cat.version(&q.metric);
    let listed: Option<HashSet<String>> = q.filters.get("unit").map(|root| subtree(model, root));
    let units: Vec<&str> = model
        .org_units()
        .map(|u| u.id.as_str())
        .filter(|u| listed.as_ref().is_none_or(|set| set.contains(*u)))
        .collect();
    let filters: Vec<Filter> = units
        .iter()
        .map(|u| {
            let pairs = q
                .filters
                .iter()
                .filter(|(k, _)| k.as_str() != "unit")
                .map(|(k, v)| (k.as_str(), v.as_str()));
            Filter::new(model, std::iter::once(("unit", *u)).chain(pairs))
        })
        .collect();
    // The same limits as `query`: what exceeds one is refused, never cut short.
    let limits = model.limits();
    let spans = periods_within(grain, q.from, q.to, limits.series_length).ok_or_else(|| {
        limit_error(
            limits.series_length,
            "$.query.to",
            format!("{}..{} has more periods of a {grain:?}", q.from, q.to),
        )
    })?;
    let cells_wanted = spans.len().saturating_mul(units.len());
    if cells_wanted > limits.series_length {
        return Err(limit_error(
            limits.series_length,
            "$.query.to",
            format!(
                "{} periods × {} units make {cells_wanted} cells",
                spans.len(),
                units.len()
            ),
        ));
    }
    for span in spans {
        for (u, f) in units.iter().zip(&filters) {
            cell(span, u, cat.eval(&q.metric, span, f), &version);
        }
    }
    Ok(Run {
        grain,
        version,
        units: units.iter().map(|u| (*u).to_owned()).collect(),
    })
}
