//! A query drilled down the org tree: one group per unit, each holding its whole subtree.

use super::catalog::{subtree, Catalog, Filter};
use super::query::{checked_grain, limit_error, periods_within, Cell, Query, QueryResult};
use crate::error::{Code, Error, Problem};
use crate::store::Model;
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
    let mut cells = Vec::with_capacity(cells_wanted);
    for span in spans {
        for (u, f) in units.iter().zip(&filters) {
            let v = cat.eval(&q.metric, span, f);
            cells.push(Cell {
                period_start: span.start,
                period_end: span.end,
                group: BTreeMap::from([("unit".to_owned(), (*u).to_owned())]),
                value: v.as_ref().ok().copied(),
                undefined: v.err(),
                withheld: None,
                version: version.clone(),
            });
        }
    }
    Ok(QueryResult {
        metric: q.metric.clone(),
        grain,
        version,
        filters: q.filters.clone(),
        cells,
        unit_subtrees: true,
    })
}
