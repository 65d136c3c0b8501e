//! A query drilled down the org tree: one group per unit, each holding its whole subtree.

use super::catalog::Value;
use super::catalog::{Catalog, Filter};
use super::grain::Span;
use super::query::{checked_grain, limit_error, query_periods, Cell, Query, QueryResult};
use super::Group;
use crate::error::{Code, Error, Problem};
use crate::id::Id;
use crate::idx::{Idx, UnitIx};
use crate::model::Grain;
use crate::store::{Model, NO_SLOT};
use chrono::NaiveDate;
use std::collections::HashSet;

/// Runs `q` for every org unit, each unit taking its whole subtree (as a `unit` filter does), and returns the
/// cells by period, then unit id, each with the group `{"unit": id}`. With a `unit` filter only the units of that
/// subtree are listed; other filters apply as in [`super::query`]. `group_by` must be empty.
///
/// Every cell equals the cell of [`super::query`] with the filter `unit` set to its unit, but the work is one
/// pass over the observations of each measure and period, each counted in its own unit, then each unit's subtree
/// folded from its children's (as a `unit` filter adds them), instead of one pass per unit.
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
/// let values: Vec<_> = r.cells.iter().map(|c| (c.group.get("unit").map(|u| u.as_str()), c.value)).collect();
/// assert_eq!(values, [(Some("co"), Some(7.0)), (Some("east"), Some(3.0)), (Some("west"), Some(4.0))]);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn query_units(model: &Model, q: &Query) -> Result<QueryResult, Error> {
    let plan = Plan::new(model, q)?;
    // The model's interned unit ids and one version, shared by every cell (no string per cell).
    let version = Id::from(&plan.version);
    let mut cells = Vec::with_capacity(plan.cells());
    plan.each(true, |span, i, v| {
        cells.push(Cell {
            period_start: span.start,
            period_end: span.end,
            group: Group::unit(plan.unit_id(i)),
            value: v.as_ref().ok().copied(),
            undefined: v.err(),
            withheld: None,
            version: version.clone(),
        })
    });
    Ok(QueryResult {
        metric: q.metric.clone(),
        grain: plan.grain,
        version: plan.version,
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
    pub units: Vec<Id>,
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
    let plan = Plan::new(model, q)?;
    let mut values = Vec::with_capacity(plan.cells());
    plan.each(false, |_, _, v| values.push(v.ok()));
    Ok(UnitMatrix {
        periods: plan.spans.iter().map(|s| s.start).collect(),
        units: (0..plan.units.len()).map(|i| plan.unit_id(i)).collect(),
        version: plan.version,
        values,
    })
}

/// A checked [`query_units`]: what to evaluate for which units and periods.
struct Plan<'m> {
    model: &'m Model,
    q: &'m Query,
    cat: Catalog<'m>,
    grain: Grain,
    version: String,
    /// (index, pre-order position) of each listed unit, in id order.
    units: Vec<(UnitIx, u32)>,
    spans: Vec<Span>,
}

impl<'m> Plan<'m> {
    /// Checks `q` (its metric, range, `group_by` and limits) and lists its units and periods.
    fn new(model: &'m Model, q: &'m Query) -> Result<Plan<'m>, Error> {
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
        let tree = &model.kpi.store.tree;
        // With a `unit` filter, the units of its subtree (none for an unknown unit): a range of positions.
        let listed = q.filters.get("unit").map(|root| {
            model
                .ids
                .units
                .get(root.as_str())
                .map_or(0..0, |&u| tree.subtree(u))
        });
        let units: Vec<(UnitIx, u32)> = model
            .units
            .iter_enumerated()
            .map(|(u, _)| (u, tree.pre.get(u.index()).copied().unwrap_or(NO_SLOT)))
            .filter(|(_, slot)| listed.as_ref().is_none_or(|r| r.contains(slot)))
            .collect();
        // The same limits as `query`: what exceeds one is refused, never cut short.
        let limits = model.limits();
        let spans = query_periods(grain, q, limits.series_length)?;
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
        Ok(Plan {
            model,
            q,
            cat,
            grain,
            version,
            units,
            spans,
        })
    }

    /// The interned id of the `i`-th listed unit.
    fn unit_id(&self, i: usize) -> Id {
        self.units
            .get(i)
            .and_then(|&(u, _)| self.model.unit_ids.get(u))
            .cloned()
            .unwrap_or_default()
    }

    /// The number of cells (periods × units).
    fn cells(&self) -> usize {
        self.spans.len() * self.units.len()
    }

    /// Evaluates every cell, handing each to `cell` with its period and its unit's position in `units`, period by
    /// period, units in id order. With `reasons` false an undefined value's reason may be left empty.
    fn each(&self, reasons: bool, mut cell: impl FnMut(Span, usize, Value)) {
        let mut filters: Vec<Filter> = Vec::new();
        let mut buffer = Vec::new();
        for &span in &self.spans {
            // A simple metric: every unit's subtree aggregated at once, read by position.
            if let Some(tv) = self
                .cat
                .tree_values(&self.q.metric, span, std::mem::take(&mut buffer))
            {
                for (i, &(_, slot)) in self.units.iter().enumerate() {
                    let v = if reasons {
                        tv.value(slot)
                    } else {
                        tv.number(slot).ok_or_else(String::new)
                    };
                    cell(span, i, v);
                }
                buffer = tv.into_buffer();
                continue;
            }
            // Other metrics read their inputs through the catalog's tree memo, one unit's filter at a time.
            if filters.is_empty() {
                filters = self
                    .units
                    .iter()
                    .map(|&(u, _)| {
                        let pairs = self
                            .q
                            .filters
                            .iter()
                            .filter(|(k, _)| k.as_str() != "unit")
                            .map(|(k, v)| (k.as_str(), v.as_str()));
                        let id = self.model.units.at(u).def.id.as_str();
                        Filter::new(self.model, std::iter::once(("unit", id)).chain(pairs))
                    })
                    .collect();
            }
            for (i, f) in filters.iter().enumerate() {
                cell(span, i, self.cat.eval(&self.q.metric, span, f));
            }
        }
    }
}
