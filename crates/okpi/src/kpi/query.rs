//! Queries: metric × grain × time range × filters × group-by dims → a table of cells.

use super::catalog::{Catalog, Filter};
use super::grain::{bucket, Span};
use super::Group;
use crate::error::{Code, Error, Problem};
use crate::id::Id;
use crate::model::Grain;
use crate::store::Model;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Query {
    /// The metric id.
    pub metric: String,
    /// The grain (default: the metric's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grain: Option<Grain>,
    /// First day of the range: the first cell is the bucket holding it.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub from: NaiveDate,
    /// Last day of the range: the last cell is the bucket holding it.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub to: NaiveDate,
    /// `dim = value` filters; `unit` takes the unit's whole subtree.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, String>,
    /// Dims to group by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
}

impl Query {
    /// A query of `metric` from `from` to `to` at the metric's own grain, unfiltered and ungrouped; set the other
    /// fields after.
    pub fn new(metric: impl Into<String>, from: NaiveDate, to: NaiveDate) -> Query {
        Query {
            metric: metric.into(),
            grain: None,
            from,
            to,
            filters: BTreeMap::new(),
            group_by: Vec::new(),
        }
    }
}

/// One cell: a period and a group, with a value or the reason it is undefined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Cell {
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// The group-by dims' values.
    #[serde(default, skip_serializing_if = "Group::is_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "BTreeMap<String, String>"))]
    pub group: Group,
    /// The value; `None` when undefined.
    pub value: Option<f64>,
    /// Why the value is undefined (e.g. a zero denominator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// Set by access filtering (DOMAIN.md §9) when the value is withheld from the viewer: `small_group` or
    /// `differencing` (see the README's access section); the value is then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
    /// Version of the metric definition that computed it.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub version: Id,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct QueryResult {
    /// The metric id.
    pub metric: String,
    /// The grain used.
    pub grain: Grain,
    /// Version of the metric definition.
    pub version: String,
    /// The query's filters, echoed so that the table says whose data it holds (access filtering reads the
    /// `unit` and `person` filters).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, String>,
    /// Cells by period, then group.
    pub cells: Vec<Cell>,
    /// True for [`super::query_units`]: each `unit` group holds the unit's whole subtree, where a query's
    /// `group_by: ["unit"]` holds that unit alone (access filtering reads it to know whose data a cell holds).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unit_subtrees: bool,
}

/// Runs a query.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "measures": [{"id": "orders"}, {"id": "visits"}],
///   "metrics": [{"id": "o", "kind": "simple", "measure": "orders"},
///               {"id": "v", "kind": "simple", "measure": "visits"},
///               {"id": "conv", "kind": "ratio", "numerator": "o", "denominator": "v"}],
///   "observations": [{"measure": "orders", "date": "2026-03-02", "value": 3},
///                    {"measure": "visits", "date": "2026-03-02", "value": 60}]}"#)?;
/// let q: okpi::kpi::Query = serde_json::from_str(
///     r#"{"metric": "conv", "grain": "month", "from": "2026-03-01", "to": "2026-04-30"}"#).unwrap();
/// let r = okpi::kpi::query(&model, &q)?;
/// assert_eq!(r.cells[0].value, Some(0.05));
/// assert_eq!(r.cells[1].value, None); // April: 0 visits, an explicit undefined, never 0
/// assert!(r.cells[1].undefined.is_some());
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn query(model: &Model, q: &Query) -> Result<QueryResult, Error> {
    query_with(&Catalog::new(model), q)
}

/// Runs a query with a catalog (one bounded by [`Catalog::until`]: the store as it stood on that day).
pub(crate) fn query_with(cat: &Catalog<'_>, q: &Query) -> Result<QueryResult, Error> {
    let model = cat.model;
    let grain = checked_grain(cat, q)?;
    let version = cat.version(&q.metric);
    let base = Filter::new(model, q.filters.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let limits = model.limits();
    let spans = query_periods(grain, q, limits.series_length)?;
    let groups = groups(cat, &q.metric, &base, q);
    let cells_wanted = spans.len().saturating_mul(groups.len());
    if cells_wanted > limits.series_length {
        return Err(limit_error(
            limits.series_length,
            "$.query.group_by",
            format!(
                "{} periods × {} groups make {cells_wanted} cells",
                spans.len(),
                groups.len()
            ),
        ));
    }
    let mut cells = Vec::with_capacity(cells_wanted);
    let shared = Id::from(&version);
    let groups: Vec<Group> = groups.into_iter().map(Group::from).collect();
    for span in spans {
        for g in &groups {
            let mut f = base.clone();
            for (k, v) in g {
                f.add_exact(model, k, v);
            }
            let v = cat.eval(&q.metric, span, &f);
            cells.push(Cell {
                period_start: span.start,
                period_end: span.end,
                group: g.clone(),
                value: v.as_ref().ok().copied(),
                undefined: v.err(),
                withheld: None,
                version: shared.clone(),
            });
        }
    }
    Ok(QueryResult {
        metric: q.metric.clone(),
        grain,
        version,
        filters: q.filters.clone(),
        cells,
        unit_subtrees: false,
    })
}

/// The query's grain, after checking that its metric exists and its range is not reversed.
pub(crate) fn checked_grain(cat: &Catalog<'_>, q: &Query) -> Result<Grain, Error> {
    let Some(metric) = cat.metric(&q.metric) else {
        return Err(Error::invalid(vec![Problem::new(
            Code::E_UNKNOWN_ID,
            "$.query.metric",
            Some(&q.metric),
            format!("unknown metric {}", q.metric),
        )]));
    };
    if q.to < q.from {
        return Err(Error::invalid(vec![Problem::new(
            Code::E_INVALID_VALUE,
            "$.query.to",
            None,
            format!("query range ends on {} before it starts on {}", q.to, q.from),
        )]));
    }
    Ok(q.grain.unwrap_or(metric.grain))
}

/// The buckets of `grain` from the one holding `from` to the one holding `to`; `None` when there are more than
/// `max` of them (counting stops there).
pub(crate) fn periods_within(grain: Grain, from: NaiveDate, to: NaiveDate, max: usize) -> Option<Vec<Span>> {
    let mut out = Vec::new();
    let mut span = bucket(grain, from);
    while span.start <= to {
        if out.len() == max {
            return None;
        }
        out.push(span);
        match span.checked_shift(1) {
            Some(next) if next.start > span.start => span = next,
            _ => break, // the end of the calendar
        }
    }
    Some(out)
}

/// A query's periods (`from`..`to` by `grain`), refused at `$.query.to` when there are more than `max`.
pub(crate) fn query_periods(grain: Grain, q: &Query, max: usize) -> Result<Vec<Span>, Error> {
    periods_within(grain, q.from, q.to, max).ok_or_else(|| {
        limit_error(
            max,
            "$.query.to",
            format!("{}..{} has more periods of a {grain:?}", q.from, q.to),
        )
    })
}

pub(crate) fn limit_error(max: usize, path: &str, what: String) -> Error {
    Error::invalid(vec![crate::limits::exceeded(
        "series_length",
        max,
        path,
        None,
        what,
    )])
}

/// The distinct group-by values among the observations the metric reads (one empty group without group-by),
/// ordered by the dims' values in `group_by` order (DOMAIN.md §5), not by the dims' names.
fn groups(cat: &Catalog<'_>, metric: &str, base: &Filter, q: &Query) -> Vec<BTreeMap<String, String>> {
    if q.group_by.is_empty() {
        return vec![BTreeMap::new()];
    }
    let measures = cat.measures(metric);
    let store = &cat.model.kpi.store;
    let mut out: BTreeSet<Vec<&str>> = BTreeSet::new();
    for measure in measures {
        for row in cat.dated(store, store.rows_of(measure), NaiveDate::MIN, NaiveDate::MAX) {
            if !base.matches(store, row) {
                continue;
            }
            let Some(dims) = store.dims_of(row) else { continue };
            let g: Option<Vec<&str>> = q
                .group_by
                .iter()
                .map(|d| dims.get(d).map(String::as_str))
                .collect();
            if let Some(g) = g {
                out.insert(g);
            }
        }
    }
    out.into_iter()
        .map(|values| {
            q.group_by
                .iter()
                .zip(values)
                .map(|(d, v)| (d.clone(), v.to_owned()))
                .collect()
        })
        .collect()
}
