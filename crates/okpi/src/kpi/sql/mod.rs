//! Metric queries compiled to one SQL statement over a warehouse's tables, giving the cells [`super::query`]
//! gives (DOMAIN.md §5, README "Warehouse").
//!
//! The layout read: `observations(date DATE, measure VARCHAR, value DOUBLE, source VARCHAR, <one column per
//! dim>)` and `org_closure(ancestor VARCHAR, unit VARCHAR)` (each unit with itself and each unit below it; see
//! [`org_closure`]).
//!
//! The calendar is okpi's, the data the warehouse's: the periods and every span a metric reads in each period
//! (offsets, windows, grain-to-date) are computed here with the same code as [`super::query`] and written into
//! the statement as a small inline table `calendar`, so ISO weeks and month-end offsets are the same by
//! construction and no dialect's date functions are needed. The SQL joins observations to those spans, aggregates
//! each (period, span, group) once, and evaluates the metric as a chain of CTEs, one step per metric node, each
//! with a value `v_k` and the reason `r_k` it is undefined, in the order [`super::query`] checks them.

mod ast;
mod tables;

pub use ast::Dialect;
pub use tables::{observation_table, org_closure, ObservationRow, ObservationTable};

use super::catalog::Catalog;
use super::grain::{bucket, bucket_start, to_date_grain, Span};
use super::query::{checked_grain, limit_error, query_periods, Query};
use crate::error::{Code, Error, Problem};
use crate::model::{Agg, Grain, MetricKind};
use crate::num::REL;
use crate::store::Model;
use crate::text::expr::{parse_expression_with, Expr};
use ast::{and_all, call, case1, col, op, From, Select, Statement, E};
use chrono::NaiveDate;
use std::collections::HashMap;

/// How many metrics deep one evaluation may read, as in the catalog.
const MAX_EVAL_DEPTH: usize = 64;

/// Columns of the layout a dim may not be named (they would be read as the dim).
const RESERVED: [&str; 4] = ["date", "measure", "value", "source"];

/// Compiles `q` over `model`'s catalog into one SQL statement in `dialect`. The statement returns the columns
/// `period_start`, `period_end`, one per `group_by` dim (named as the dim), `value` (NULL when undefined) and
/// `undefined` (the reason), ordered by period, then the group-by values — the cells of [`super::query`].
///
/// Errors as [`super::query`]: an unknown metric, a reversed range, more periods than `series_length`
/// (`E_LIMIT`); also `E_LIMIT` when periods × metric nodes exceed it, and `E_INVALID_VALUE` for a dim named like
/// a layout column (`date`, `measure`, `value`, `source`) or named twice in `group_by`. The number of groups is
/// the warehouse's to bound: the statement does not cap it.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1, "measures": [{"id": "orders"}],
///   "metrics": [{"id": "o", "kind": "simple", "measure": "orders"}]}"#)?;
/// let q: okpi::kpi::Query = serde_json::from_str(
///     r#"{"metric": "o", "grain": "month", "from": "2026-01-01", "to": "2026-02-28"}"#).unwrap();
/// let text = okpi::kpi::sql::sql(&model, &q, okpi::kpi::sql::Dialect::DuckDb)?;
/// assert!(text.contains("FROM observations"));
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn sql(model: &Model, q: &Query, dialect: Dialect) -> Result<String, Error> {
    let cat = Catalog::new(model);
    let grain = checked_grain(&cat, q)?;
    check_dims(q)?;
    let limits = model.limits();
    let periods = query_periods(grain, q, limits.series_length)?;
    let mut plan = Plan {
        model,
        cat: &cat,
        grain,
        periods: &periods,
        seqs: Vec::new(),
        seq_ix: HashMap::new(),
        nodes: Vec::new(),
        node_ix: HashMap::new(),
        leaves: Vec::new(),
        leaf_ix: HashMap::new(),
        max_cells: limits.series_length,
    };
    let all = plan.seq(periods.iter().map(|s| Ok((s.start, s.end))).collect());
    let root = plan.metric(&q.metric, all, 0)?;
    plan.check_calendar()?;
    let measures: Vec<&str> = cat.measures(&q.metric).into_iter().collect();
    Ok(plan.statement(q, root, &measures).render(dialect))
}

fn check_dims(q: &Query) -> Result<(), Error> {
    let bad = |path: &str, dim: &str, why: &str| {
        Err(Error::invalid(vec![Problem::new(
            Code::E_INVALID_VALUE,
            path,
            Some(dim),
            format!("dim {dim} {why}"),
        )]))
    };
    for dim in q.filters.keys() {
        if RESERVED.contains(&dim.as_str()) {
            return bad("$.query.filters", dim, "is a column of the observations layout");
        }
    }
    for (i, dim) in q.group_by.iter().enumerate() {
        if RESERVED.contains(&dim.as_str()) {
            return bad(
                &format!("$.query.group_by[{i}]"),
                dim,
                "is a column of the observations layout",
            );
        }
        if q.group_by.iter().take(i).any(|d| d == dim) {
            return bad(&format!("$.query.group_by[{i}]"), dim, "is named twice");
        }
    }
    Ok(())
}

/// Per period: the span `[start, end]` a node reads, or the reason it is undefined before any data is read (an
/// offset reaching before the calendar, a metric nested too deeply).
type Seq = Vec<Result<(NaiveDate, NaiveDate), String>>;

/// A value inside a derived expression.
#[derive(Debug, Clone)]
enum Operand {
    Node(usize),
    Num(f64),
    Neg(Box<Operand>),
}

/// One step of the evaluation; `seq` indexes the spans it reads (its period-dependent columns `lo_j`, `hi_j`,
/// `e_j` in the calendar).
#[derive(Debug, Clone)]
enum Node {
    Simple {
        id: String,
        measure: String,
        agg: Agg,
        leaf: usize,
        seq: usize,
    },
    Ratio {
        id: String,
        num: usize,
        den: usize,
        den_name: String,
        seq: usize,
    },
    /// One operator of a derived expression (its span is the derived metric's).
    Bin {
        op: char,
        a: Operand,
        b: Operand,
        seq: usize,
    },
    Derived {
        id: String,
        inner: Operand,
        seq: usize,
    },
    /// Undefined in every period for the reasons in `seq`.
    Fail {
        seq: usize,
    },
}

struct Plan<'a, 'm> {
    model: &'m Model,
    cat: &'a Catalog<'m>,
    grain: Grain,
    periods: &'a [Span],
    seqs: Vec<Seq>,
    seq_ix: HashMap<Seq, usize>,
    nodes: Vec<Node>,
    /// The node of a metric over a seq (the catalog's memo: a metric over the same spans is computed once).
    node_ix: HashMap<(String, usize), usize>,
    /// Leaves: a measure over a seq, aggregated once; `(measure, seq, needs min/max, needs last)`.
    leaves: Vec<(String, usize, bool, bool)>,
    leaf_ix: HashMap<(String, usize), usize>,
    max_cells: usize,
}

impl Plan<'_, '_> {
    fn seq(&mut self, s: Seq) -> usize {
        if let Some(&i) = self.seq_ix.get(&s) {
            return i;
        }
        self.seqs.push(s.clone());
        self.seq_ix.insert(s, self.seqs.len() - 1);
        self.seqs.len() - 1
    }

    /// `seq` with every defined span replaced by `f(span)`.
    fn map_seq(&mut self, seq: usize, f: impl Fn(Span) -> Result<(NaiveDate, NaiveDate), String>) -> usize {
        let grain = self.grain;
        let s: Seq = self.seqs.get(seq).cloned().unwrap_or_default();
        let mapped = s
            .into_iter()
            .map(|r| r.and_then(|(start, end)| f(Span { start, end, grain })))
            .collect();
        self.seq(mapped)
    }

    /// Every day the calendar holds must be one both dialects write as `DATE 'YYYY-MM-DD'` (years 1 to 9999).
    fn check_calendar(&self) -> Result<(), Error> {
        let (lo, hi) = (
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX),
        );
        let days = self.periods.iter().flat_map(|s| [s.start, s.end]).chain(
            self.seqs
                .iter()
                .flatten()
                .filter_map(|r| r.as_ref().ok())
                .flat_map(|&(a, b)| [a, b]),
        );
        for day in days {
            if day < lo || day > hi {
                let path = if day < lo { "$.query.from" } else { "$.query.to" };
                return Err(Error::invalid(vec![Problem::new(
                    Code::E_INVALID_VALUE,
                    path,
                    None,
                    format!("the query reads {day}: SQL dates run from {lo} to {hi}"),
                )]));
            }
        }
        Ok(())
    }

    fn push(&mut self, n: Node) -> Result<usize, Error> {
        self.nodes.push(n);
        let cells = self.nodes.len().saturating_mul(self.periods.len());
        if cells > self.max_cells {
            return Err(limit_error(
                self.max_cells,
                "$.query.metric",
                format!(
                    "{} metric steps × {} periods make {cells} cells",
                    self.nodes.len(),
                    self.periods.len()
                ),
            ));
        }
        Ok(self.nodes.len() - 1)
    }

    /// The node computing metric `id` over `seq`, as the catalog's `eval_at` at `depth`.
    fn metric(&mut self, id: &str, seq: usize, depth: usize) -> Result<usize, Error> {
        if depth > MAX_EVAL_DEPTH {
            let msg = format!("metric {id} nests too deeply");
            let failed = self.map_seq(seq, |_| Err(msg.clone()));
            return self.push(Node::Fail { seq: failed });
        }
        let key = (id.to_owned(), seq);
        if let Some(&n) = self.node_ix.get(&key) {
            return Ok(n);
        }
        let n = self.compute(id, seq, depth)?;
        self.node_ix.insert(key, n);
        Ok(n)
    }

    fn compute(&mut self, id: &str, seq: usize, depth: usize) -> Result<usize, Error> {
        let Some(m) = self.cat.metric(id) else {
            let msg = format!("unknown metric {id}");
            let failed = self.map_seq(seq, |_| Err(msg.clone()));
            return self.push(Node::Fail { seq: failed });
        };
        match m.kind {
            MetricKind::Simple => {
                let measure = m.measure.clone().unwrap_or_default();
                let agg = m.agg.unwrap_or_default();
                let leaf = self.leaf(&measure, seq, agg);
                self.push(Node::Simple {
                    id: id.to_owned(),
                    measure,
                    agg,
                    leaf,
                    seq,
                })
            }
            MetricKind::Ratio => {
                let num = self.metric(m.numerator.as_deref().unwrap_or_default(), seq, depth + 1)?;
                let den_name = m.denominator.clone().unwrap_or_default();
                let den = self.metric(&den_name, seq, depth + 1)?;
                self.push(Node::Ratio {
                    id: id.to_owned(),
                    num,
                    den,
                    den_name,
                    seq,
                })
            }
            MetricKind::Derived => {
                let parsed = m
                    .expression
                    .as_deref()
                    .and_then(|text| parse_expression_with(text, &self.model.limits).ok());
                let Some(e) = parsed else {
                    let msg = format!("metric {id} has no valid expression");
                    let failed = self.map_seq(seq, |_| Err(msg.clone()));
                    return self.push(Node::Fail { seq: failed });
                };
                let inner = self.operand(&e, seq, depth + 1)?;
                self.push(Node::Derived {
                    id: id.to_owned(),
                    inner,
                    seq,
                })
            }
            MetricKind::Cumulative => {
                let (to_date, window) = (m.to_date, m.window);
                let wide = self.map_seq(seq, |span| {
                    let start = match (to_date, window) {
                        (Some(t), _) => bucket_start(to_date_grain(t), span.end),
                        (None, Some(n)) => bucket(span.grain, span.end)
                            .checked_shift(-i64::from(n.saturating_sub(1)))
                            .map_or(NaiveDate::MIN, |s| s.start),
                        (None, None) => span.start,
                    };
                    Ok((start.min(span.end), span.end))
                });
                self.metric(m.metric.as_deref().unwrap_or_default(), wide, depth + 1)
            }
        }
    }

    fn operand(&mut self, e: &Expr, seq: usize, depth: usize) -> Result<Operand, Error> {
        Ok(match e {
            Expr::Num(v) => Operand::Num(*v),
            Expr::Neg(x) => Operand::Neg(Box::new(self.operand(x, seq, depth)?)),
            Expr::Metric { name, offset } => {
                let back = self.map_seq(seq, |span| {
                    span.checked_shift(-i64::from(*offset))
                        .map(|s| (s.start, s.end))
                        .ok_or_else(|| {
                            format!(
                                "{name}(offset {offset}) reaches before the calendar's first day from {}",
                                span.start
                            )
                        })
                });
                Operand::Node(self.metric(name, back, depth + 1)?)
            }
            Expr::Bin(o, a, b) => {
                let a = self.operand(a, seq, depth)?;
                let b = self.operand(b, seq, depth)?;
                Operand::Node(self.push(Node::Bin { op: *o, a, b, seq })?)
            }
        })
    }

    fn leaf(&mut self, measure: &str, seq: usize, agg: Agg) -> usize {
        let key = (measure.to_owned(), seq);
        let i = match self.leaf_ix.get(&key) {
            Some(&i) => i,
            None => {
                self.leaves.push((measure.to_owned(), seq, false, false));
                self.leaf_ix.insert(key, self.leaves.len() - 1);
                self.leaves.len() - 1
            }
        };
        if let Some(l) = self.leaves.get_mut(i) {
            l.2 |= matches!(agg, Agg::Min | Agg::Max);
            l.3 |= agg == Agg::Last;
        }
        i
    }

    fn statement(&self, q: &Query, root: usize, measures: &[&str]) -> Statement {
        let groups: Vec<String> = (0..q.group_by.len()).map(|i| format!("g_{i}")).collect();
        let mut ctes = vec![("calendar".to_owned(), vec![self.calendar()])];
        ctes.push(("obs".to_owned(), vec![observations(q, measures, &groups)]));
        if !groups.is_empty() {
            ctes.push((
                "groups".to_owned(),
                vec![Select {
                    distinct: true,
                    items: groups.iter().map(|g| (col(g), None)).collect(),
                    from: Some(From::Table("obs".into(), None)),
                    filter: and_all(groups.iter().map(|g| E::IsNotNull(Box::new(col(g)))).collect()),
                    ..Select::default()
                }],
            ));
        }
        if !self.leaves.is_empty() {
            ctes.push(("spans".to_owned(), self.spans()));
            ctes.push(("hits".to_owned(), vec![self.hits(&groups)]));
            ctes.push(("agg".to_owned(), vec![self.agg(&groups)]));
        }
        ctes.push(("cells".to_owned(), vec![self.cells(&groups)]));
        let mut prev = "cells".to_owned();
        for (k, node) in self.nodes.iter().enumerate() {
            let (x, r) = self.node_sql(k, node);
            let raw = format!("n{k}x");
            ctes.push((raw.clone(), vec![star_plus(&prev, vec![(x, format!("x_{k}"))])]));
            let v = match node {
                Node::Bin { .. } => col(format!("x_{k}")),
                _ => clean(col(format!("x_{k}"))),
            };
            let v = case1(E::IsNull(Box::new(r.clone())), v);
            let done = format!("n{k}");
            ctes.push((
                done.clone(),
                vec![star_plus(
                    &raw,
                    vec![(r, format!("r_{k}")), (v, format!("v_{k}"))],
                )],
            ));
            prev = done;
        }
        let items = vec![(col("period_start"), None), (col("period_end"), None)];
        let mut named = Vec::new();
        for (g, dim) in groups.iter().zip(&q.group_by) {
            named.push((col(g), dim.clone()));
        }
        named.push((col(format!("v_{root}")), "value".to_owned()));
        named.push((col(format!("r_{root}")), "undefined".to_owned()));
        let mut order_by = vec![col("p")];
        order_by.extend(groups.iter().map(col));
        Statement {
            ctes,
            main: Select {
                items,
                named,
                from: Some(From::Table(prev, None)),
                order_by,
                ..Select::default()
            },
        }
    }

    /// `calendar(p, period_start, period_end, lo_j, hi_j[, e_j] …)`: each period and every seq's span in it.
    fn calendar(&self) -> Select {
        let mut cols = vec!["p".to_owned(), "period_start".to_owned(), "period_end".to_owned()];
        for (j, s) in self.seqs.iter().enumerate() {
            cols.push(format!("lo_{j}"));
            cols.push(format!("hi_{j}"));
            if s.iter().any(Result::is_err) {
                cols.push(format!("e_{j}"));
            }
        }
        let rows = self
            .periods
            .iter()
            .enumerate()
            .map(|(p, span)| {
                let mut row = vec![E::Int(p), E::Date(span.start), E::Date(span.end)];
                for s in &self.seqs {
                    match s.get(p) {
                        Some(Ok((lo, hi))) => row.extend([E::Date(*lo), E::Date(*hi)]),
                        _ => row.extend([E::Null, E::Null]),
                    }
                    if s.iter().any(Result::is_err) {
                        row.push(match s.get(p) {
                            Some(Err(why)) => E::Str(why.clone()),
                            _ => E::Null,
                        });
                    }
                }
                row
            })
            .collect();
        Select {
            star: true,
            from: Some(From::Values {
                alias: "c",
                cols,
                rows,
            }),
            ..Select::default()
        }
    }

    /// One row per (period, leaf) with a span: the measure and the span's days.
    fn spans(&self) -> Vec<Select> {
        self.leaves
            .iter()
            .enumerate()
            .map(|(l, (measure, seq, _, _))| Select {
                items: vec![
                    (col("p"), None),
                    (E::Int(l), Some("leaf".into())),
                    (E::Str(measure.clone()), Some("measure".into())),
                    (col(format!("lo_{seq}")), Some("lo".into())),
                    (col(format!("hi_{seq}")), Some("hi".into())),
                ],
                from: Some(From::Table("calendar".into(), None)),
                filter: Some(E::IsNotNull(Box::new(col(format!("lo_{seq}"))))),
                ..Select::default()
            })
            .collect()
    }

    /// Observations joined to the spans that hold them; with a `last` leaf, the latest day of each
    /// (period, leaf, group).
    fn hits(&self, groups: &[String]) -> Select {
        let mut items = vec![(col("s.p"), None), (col("s.leaf"), None)];
        items.extend(groups.iter().map(|g| (col(format!("o.{g}")), None)));
        items.push((E::Ident(Some("o"), "date".into()), Some("d".into())));
        items.push((E::Ident(Some("o"), "value".into()), Some("v".into())));
        if self.leaves.iter().any(|l| l.3) {
            let mut parts = vec![col("s.p"), col("s.leaf")];
            parts.extend(groups.iter().map(|g| col(format!("o.{g}"))));
            items.push((
                E::MaxOver(Box::new(E::Ident(Some("o"), "date".into())), parts),
                Some("last_d".into()),
            ));
        }
        let od = || E::Ident(Some("o"), "date".into());
        let on = and_all(vec![
            op("=", E::Ident(Some("o"), "measure".into()), col("s.measure")),
            op(">=", od(), col("s.lo")),
            op("<=", od(), col("s.hi")),
        ]);
        // The days any leaf reads, as literals, so the engine can skip the rest of a date-partitioned table
        // before the join (the `groups` CTE still reads every date, as `kpi::query` does).
        let leaf_days = self.leaves.iter().filter_map(|l| self.seqs.get(l.1)).flatten();
        let days: Vec<(NaiveDate, NaiveDate)> = leaf_days.filter_map(|r| r.as_ref().ok().copied()).collect();
        let first = days.iter().map(|d| d.0).min();
        let last = days.iter().map(|d| d.1).max();
        let filter = first
            .zip(last)
            .and_then(|(a, b)| and_all(vec![op(">=", od(), E::Date(a)), op("<=", od(), E::Date(b))]));
        Select {
            items,
            from: Some(From::Join {
                left: Box::new(From::Table("spans".into(), Some("s"))),
                right: Box::new(From::Table("obs".into(), Some("o"))),
                on,
                left_outer: false,
            }),
            filter,
            ..Select::default()
        }
    }

    /// Per (period, group): each leaf's count `n_l`, sum `s_l`, sum of magnitudes `m_l` (the zero-sum rule), and
    /// where read, `mn_l`, `mx_l` and the latest day's sum and magnitudes `ls_l`, `lm_l`.
    fn agg(&self, groups: &[String]) -> Select {
        let mut items = vec![(col("p"), None)];
        items.extend(groups.iter().map(|g| (col(g), None)));
        for (l, (_, _, minmax, last)) in self.leaves.iter().enumerate() {
            let is = || op("=", col("leaf"), E::Int(l));
            let when = |v: E| case1(is(), v);
            items.push((
                E::Double(Box::new(call("count", vec![when(E::Int(1))]))),
                Some(format!("n_{l}")),
            ));
            items.push((call("sum", vec![when(col("v"))]), Some(format!("s_{l}"))));
            items.push((
                call("sum", vec![when(call("abs", vec![col("v")]))]),
                Some(format!("m_{l}")),
            ));
            if *minmax {
                items.push((call("min", vec![when(col("v"))]), Some(format!("mn_{l}"))));
                items.push((call("max", vec![when(col("v"))]), Some(format!("mx_{l}"))));
            }
            if *last {
                let on_last = |v: E| case1(op("AND", is(), op("=", col("d"), col("last_d"))), v);
                items.push((call("sum", vec![on_last(col("v"))]), Some(format!("ls_{l}"))));
                items.push((
                    call("sum", vec![on_last(call("abs", vec![col("v")]))]),
                    Some(format!("lm_{l}")),
                ));
            }
        }
        let mut group_by = vec![col("p")];
        group_by.extend(groups.iter().map(col));
        Select {
            items,
            from: Some(From::Table("hits".into(), None)),
            group_by,
            ..Select::default()
        }
    }

    /// Every period × group with its leaves' aggregates (none when no observation falls there).
    fn cells(&self, groups: &[String]) -> Select {
        let mut items = vec![(col("c.*"), None)];
        items.extend(groups.iter().map(|g| (col(format!("g.{g}")), None)));
        let mut from = From::Table("calendar".into(), Some("c"));
        if !groups.is_empty() {
            from = From::Join {
                left: Box::new(from),
                right: Box::new(From::Table("groups".into(), Some("g"))),
                on: None,
                left_outer: false,
            };
        }
        if !self.leaves.is_empty() {
            for (l, (_, _, minmax, last)) in self.leaves.iter().enumerate() {
                let mut names = vec!["n", "s", "m"];
                if *minmax {
                    names.extend(["mn", "mx"]);
                }
                if *last {
                    names.extend(["ls", "lm"]);
                }
                items.extend(names.into_iter().map(|n| (col(format!("a.{n}_{l}")), None)));
            }
            let mut on = vec![op("=", col("a.p"), col("c.p"))];
            on.extend(
                groups
                    .iter()
                    .map(|g| op("=", col(format!("a.{g}")), col(format!("g.{g}")))),
            );
            from = From::Join {
                left: Box::new(from),
                right: Box::new(From::Table("agg".into(), Some("a"))),
                on: and_all(on),
                left_outer: true,
            };
        }
        Select {
            items,
            from: Some(from),
            ..Select::default()
        }
    }

    /// Node `k`'s raw value `x_k` and its reason `r_k`, the reasons in the order the catalog meets them.
    fn node_sql(&self, k: usize, node: &Node) -> (E, E) {
        let x = || col(format!("x_{k}"));
        let mut why: Vec<E> = Vec::new();
        let raw = match node {
            Node::Simple {
                id,
                measure,
                agg,
                leaf,
                seq,
            } => {
                why.extend(self.pre(*seq));
                let c = |n: &str| col(format!("{n}_{leaf}"));
                let z = |c: E| call("coalesce", vec![c, E::Num(0.0)]);
                let n = z(c("n"));
                if !matches!(agg, Agg::Sum | Agg::Count) {
                    let text = format!("no observations of {measure} in ");
                    why.push(case1(op("=", n.clone(), E::Num(0.0)), self.about(&text, *seq)));
                }
                why.push(overflow(
                    x(),
                    self.about(&format!("metric {id} overflows the range of numbers in "), *seq),
                ));
                match agg {
                    Agg::Sum => zero_sum(z(c("s")), z(c("m"))),
                    Agg::Count => n,
                    Agg::Avg => case1(
                        op(">", n.clone(), E::Num(0.0)),
                        op("/", zero_sum(c("s"), c("m")), n),
                    ),
                    Agg::Min => c("mn"),
                    Agg::Max => c("mx"),
                    Agg::Last => zero_sum(c("ls"), c("lm")),
                }
            }
            Node::Ratio {
                id,
                num,
                den,
                den_name,
                seq,
            } => {
                why.extend(self.pre(*seq));
                why.push(col(format!("r_{num}")));
                why.push(col(format!("r_{den}")));
                let dv = || col(format!("v_{den}"));
                why.push(case1(
                    op("=", dv(), E::Num(0.0)),
                    self.about(&format!("denominator {den_name} is 0 in "), *seq),
                ));
                why.push(overflow(
                    x(),
                    self.about(&format!("metric {id} overflows the range of numbers in "), *seq),
                ));
                case1(
                    op("<>", dv(), E::Num(0.0)),
                    op("/", col(format!("v_{num}")), dv()),
                )
            }
            Node::Bin { op: o, a, b, seq } => {
                why.extend(reason(a));
                why.extend(reason(b));
                let (va, vb) = (value(a), value(b));
                let mag = || op("+", call("abs", vec![va.clone()]), call("abs", vec![vb.clone()]));
                match o {
                    '+' => zero_sum(op("+", va.clone(), vb.clone()), mag()),
                    '-' => zero_sum(op("-", va.clone(), vb.clone()), mag()),
                    '*' => op("*", va, vb),
                    _ => {
                        why.push(case1(
                            op("=", vb.clone(), E::Num(0.0)),
                            self.about("division by zero in ", *seq),
                        ));
                        case1(op("<>", vb.clone(), E::Num(0.0)), op("/", va, vb))
                    }
                }
            }
            Node::Derived { id, inner, seq } => {
                why.extend(self.pre(*seq));
                why.extend(reason(inner));
                why.push(overflow(
                    x(),
                    self.about(&format!("metric {id} overflows the range of numbers in "), *seq),
                ));
                value(inner)
            }
            Node::Fail { seq } => {
                why.extend(self.pre(*seq));
                E::Double(Box::new(E::Null))
            }
        };
        let r = match why.len() {
            0 => E::Text(Box::new(E::Null)),
            1 => why.remove(0),
            _ => call("coalesce", why),
        };
        (raw, r)
    }

    /// The reason a seq gives before any data is read, if it has one in some period.
    fn pre(&self, seq: usize) -> Option<E> {
        let s = self.seqs.get(seq)?;
        s.iter().any(Result::is_err).then(|| col(format!("e_{seq}")))
    }

    /// `text` followed by the seq's span as `start..end`.
    fn about(&self, text: &str, seq: usize) -> E {
        call(
            "concat",
            vec![
                E::Str(text.to_owned()),
                E::Text(Box::new(col(format!("lo_{seq}")))),
                E::Str("..".into()),
                E::Text(Box::new(col(format!("hi_{seq}")))),
            ],
        )
    }
}

/// `SELECT *, items FROM table`.
fn star_plus(table: &str, items: Vec<(E, String)>) -> Select {
    Select {
        star: true,
        items: items.into_iter().map(|(e, a)| (e, Some(a))).collect(),
        from: Some(From::Table(table.to_owned(), None)),
        ..Select::default()
    }
}

/// The observations the metric reads: its measures, the query's filters (`unit`: the unit's subtree), the
/// group-by dims as `g_i`.
fn observations(q: &Query, measures: &[&str], groups: &[String]) -> Select {
    let mut items = vec![
        (E::Ident(None, "date".into()), None),
        (E::Ident(None, "measure".into()), None),
        (E::Ident(None, "value".into()), None),
    ];
    for (g, dim) in groups.iter().zip(&q.group_by) {
        items.push((E::Ident(None, dim.clone()), Some(g.clone())));
    }
    let mut conds = vec![if measures.is_empty() {
        op("=", E::Int(0), E::Int(1))
    } else {
        E::In(
            Box::new(E::Ident(None, "measure".into())),
            measures.iter().map(|m| E::Str((*m).to_owned())).collect(),
        )
    }];
    for (dim, v) in &q.filters {
        conds.push(if dim == "unit" {
            E::InSelect(
                Box::new(E::Ident(None, "unit".into())),
                "unit",
                "org_closure",
                Box::new(op("=", col("ancestor"), E::Str(v.clone()))),
            )
        } else {
            op("=", E::Ident(None, dim.clone()), E::Str(v.clone()))
        });
    }
    Select {
        items,
        from: Some(From::Table("observations".into(), None)),
        filter: and_all(conds),
        ..Select::default()
    }
}

/// The zero-sum rule (DOMAIN.md §0): a sum within `REL` of the sum of its terms' magnitudes is 0.
fn zero_sum(sum: E, mag: E) -> E {
    E::Case(
        vec![(
            op("<=", call("abs", vec![sum.clone()]), op("*", E::Num(REL), mag)),
            E::Num(0.0),
        )],
        Some(Box::new(sum)),
    )
}

/// −0 written as 0.
fn clean(x: E) -> E {
    E::Case(
        vec![(op("=", x.clone(), E::Num(0.0)), E::Num(0.0))],
        Some(Box::new(x)),
    )
}

/// Undefined when `x` left the finite numbers (NaN compares above every number in both dialects).
fn overflow(x: E, text: E) -> E {
    case1(op(">", call("abs", vec![x]), E::Num(f64::MAX)), text)
}

fn value(o: &Operand) -> E {
    match o {
        Operand::Node(k) => col(format!("v_{k}")),
        Operand::Num(v) => E::Num(*v),
        Operand::Neg(x) => E::Neg(Box::new(value(x))),
    }
}

fn reason(o: &Operand) -> Option<E> {
    match o {
        Operand::Node(k) => Some(col(format!("r_{k}"))),
        Operand::Num(_) => None,
        Operand::Neg(x) => reason(x),
    }
}
