//! The metric catalog: evaluating a metric over a span and a filter, and each metric's content-hash version.

use super::grain::{bucket, bucket_start, to_date_grain, Span};
use crate::idx::{Idx, UnitIx};
use crate::model::{Agg, Grain, Metric, MetricKind, Scope};
use crate::num::{unsigned_zero, zero_sum};
use crate::store::{MetricBook, Model, Store, NO_SLOT};
use crate::text::expr::Expr;
use chrono::NaiveDate;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// A metric's value, or why it has none.
pub(crate) type Value = Result<f64, String>;

/// Which observations count: those whose unit lies in `units` (a range of pre-order positions; `None`: any unit
/// or none) and whose dims match every other condition (the dim's value is one of the set).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub units: Option<Range<u32>>,
    /// The unit whose whole subtree `units` is, when it is exactly one subtree.
    pub subtree_of: Option<UnitIx>,
    pub conds: Vec<(String, HashSet<String>)>,
}

impl Filter {
    /// Builds a filter from `dim = value` pairs; `unit` takes the unit's whole subtree.
    pub fn new<'a>(model: &Model, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Filter {
        let mut f = Filter::default();
        for (dim, value) in pairs {
            if dim == "unit" {
                let unit = model.ids.units.get(value).copied();
                let range = unit.map_or(0..0, |u| model.kpi.store.tree.subtree(u));
                f.subtree_of = if f.units.is_none() { unit } else { None };
                f.restrict(range);
            } else {
                f.conds.push((dim.to_owned(), HashSet::from([value.to_owned()])));
            }
        }
        f
    }

    /// The observations of a target's or link's scope: a unit's whole subtree, or a person's own.
    pub fn scope(model: &Model, scope: &Scope) -> Filter {
        match scope {
            Scope::Unit(u) => Filter::new(model, [("unit", u.as_str())]),
            Scope::Person(p) => Filter::new(model, [("person", p.as_str())]),
        }
    }

    /// Adds an exact-match condition (a group of a group-by): for `unit`, that unit alone, not its subtree.
    pub fn add_exact(&mut self, model: &Model, dim: &str, value: &str) {
        if dim == "unit" {
            let range = match model.ids.units.get(value) {
                Some(u) => {
                    let r = model.kpi.store.tree.subtree(*u);
                    r.start..r.start.saturating_add(1).min(r.end)
                }
                None => 0..0,
            };
            self.subtree_of = None;
            self.restrict(range);
        } else {
            self.conds
                .push((dim.to_owned(), HashSet::from([value.to_owned()])));
        }
    }

    fn restrict(&mut self, range: Range<u32>) {
        self.units = Some(match self.units.take() {
            Some(r) => r.start.max(range.start)..r.end.min(range.end),
            None => range,
        });
    }

    /// Whether row `row` of the store counts.
    pub fn matches(&self, store: &Store, row: usize) -> bool {
        if let Some(r) = &self.units {
            if !store.slot.get(row).is_some_and(|s| r.contains(s)) {
                return false;
            }
        }
        self.conds.is_empty() || self.dims_match(store, row)
    }

    /// Whether the row's dims match the non-unit conditions.
    fn dims_match(&self, store: &Store, row: usize) -> bool {
        let dims = store.dims_of(row);
        self.conds
            .iter()
            .all(|(dim, set)| dims.and_then(|d| d.get(dim)).is_some_and(|v| set.contains(v)))
    }
}

/// The unit and every unit below it, as ids.
pub(crate) fn subtree(model: &Model, unit: &str) -> HashSet<String> {
    let mut out: HashSet<String> = match model.ids.units.get(unit) {
        Some(&u) => {
            let order = &model.kpi.store.tree;
            let r = order.subtree(u);
            order
                .unit_at
                .get(r.start as usize..r.end as usize)
                .unwrap_or(&[])
                .iter()
                .map(|&v| model.units.at(v).def.id.clone())
                .collect()
        }
        None => HashSet::new(),
    };
    out.insert(unit.to_owned());
    out
}

/// Running aggregates of one cell: enough for every `Agg`, filled in row (date, then input) order. Sums keep
/// the sum of their terms' magnitudes for the zero-sum rule (DOMAIN.md §0): 0.1 + 0.2 − 0.3 is 0, and a sum of
/// nothing is 0, never −0.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Acc {
    sum: f64,
    mag: f64,
    count: usize,
    min: f64,
    max: f64,
    last_date: Option<NaiveDate>,
    last_sum: f64,
    last_mag: f64,
}

impl Default for Acc {
    fn default() -> Self {
        Acc {
            sum: 0.0,
            mag: 0.0,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            last_date: None,
            last_sum: 0.0,
            last_mag: 0.0,
        }
    }
}

impl Acc {
    fn add(&mut self, date: NaiveDate, v: f64) {
        self.sum += v;
        self.mag += v.abs();
        self.min = if self.count == 0 { v } else { self.min.min(v) };
        self.max = if self.count == 0 { v } else { self.max.max(v) };
        self.count += 1;
        if self.last_date == Some(date) {
            self.last_sum += v;
            self.last_mag += v.abs();
        } else if self.last_date.is_none_or(|d| date > d) {
            self.last_date = Some(date);
            self.last_sum = v;
            self.last_mag = v.abs();
        }
    }

    fn finish(&self, agg: Agg, none: impl Fn() -> String) -> Value {
        let sum = zero_sum(self.sum, self.mag);
        match agg {
            Agg::Sum => Ok(sum),
            Agg::Count => Ok(self.count as f64),
            _ if self.count == 0 => Err(none()),
            Agg::Avg => Ok(sum / self.count as f64),
            Agg::Min => Ok(unsigned_zero(self.min)),
            Agg::Max => Ok(unsigned_zero(self.max)),
            Agg::Last => Ok(zero_sum(self.last_sum, self.last_mag)),
        }
    }
}

/// Dim conditions other than `unit`: the dim's value is one of the set.
type Conds = Vec<(String, HashSet<String>)>;

/// Per (measure, aggregation, first day, last day): the aggregates of every unit's subtree, by pre-order position.
type TreeMemo = RefCell<HashMap<(usize, Agg, NaiveDate, NaiveDate), Vec<Acc>>>;

/// Evaluates metrics of one model. The metric book (parsed expressions, versions) is the model's, computed once.
pub(crate) struct Catalog<'m> {
    pub model: &'m Model,
    metrics: &'m [Metric],
    book: &'m MetricBook,
    /// With [`Catalog::for_tree`]: the subtree aggregates computed so far, for filters that are one unit's
    /// subtree plus `tree_conds`.
    tree: Option<(TreeMemo, Conds)>,
    /// Observations dated after this day do not count (the store as it stood on that day).
    until: Option<NaiveDate>,
}

/// How many metrics deep one evaluation may read (a metric reading a metric … reading a measure).
const MAX_EVAL_DEPTH: usize = 64;

/// Values already computed during one evaluation: the same metric over the same span (and filter) is computed
/// once, so metrics that read one input several times (`m + m(offset 1)`) stay polynomial, not exponential.
type Memo<'m> = HashMap<(&'m str, NaiveDate, NaiveDate, Grain), Value>;

impl<'m> Catalog<'m> {
    pub fn new(model: &'m Model) -> Self {
        Catalog {
            model,
            metrics: &model.kpi.metrics,
            book: &model.kpi.book,
            tree: None,
            until: None,
        }
    }

    /// A catalog for many evaluations whose filters are each one unit's subtree plus the same other conditions
    /// `conds`: each (measure, span) is aggregated once for every unit of the tree, in one pass over its rows.
    pub fn for_tree(model: &'m Model, conds: Vec<(String, HashSet<String>)>) -> Self {
        Catalog {
            tree: Some((RefCell::new(HashMap::new()), conds)),
            ..Catalog::new(model)
        }
    }

    /// The same catalog counting only observations dated up to `day`.
    pub fn until(self, day: NaiveDate) -> Self {
        Catalog {
            until: Some(day),
            ..self
        }
    }

    /// The metric with this id.
    pub fn metric(&self, id: &str) -> Option<&'m Metric> {
        self.book.get(self.metrics, id).map(|(_, m)| m)
    }

    /// The parsed expression of a derived metric.
    fn expr_of(&self, id: &str) -> Option<&'m Expr> {
        let (i, _) = self.book.get(self.metrics, id)?;
        self.book.exprs.get(i).and_then(Option::as_ref)
    }

    /// The metric's version: FNV-1a 64 over its canonical JSON and the versions of the metrics it reads.
    pub fn version(&self, id: &str) -> String {
        self.book
            .get(self.metrics, id)
            .and_then(|(i, _)| self.book.versions.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// The rows of `rows` dated `from..=to`, and not after the catalog's `until`.
    pub fn dated(&self, store: &Store, rows: Range<usize>, from: NaiveDate, to: NaiveDate) -> Range<usize> {
        store.dated(rows, from, self.until.map_or(to, |u| to.min(u)))
    }

    /// The metrics `m` reads, sorted and deduplicated.
    pub fn deps(&self, m: &'m Metric) -> Vec<&'m str> {
        match self.book.get(self.metrics, &m.id) {
            Some((i, _)) => self.book.deps(self.metrics, i),
            None => Vec::new(),
        }
    }

    /// The measures a metric reads, through all its inputs.
    pub fn measures(&self, id: &str) -> BTreeSet<&'m str> {
        let mut out = BTreeSet::new();
        let mut stack = vec![id.to_owned()];
        let mut seen = HashSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(m) = self.metric(&id) {
                out.extend(m.measure.as_deref());
                stack.extend(self.deps(m).into_iter().map(str::to_owned));
            }
        }
        out
    }

    /// The (measure, first day, last day) windows that evaluating metric `id` over `span` reads, deduplicated:
    /// what access decisions count the people of a cell over (DOMAIN.md §9). It follows [`Catalog::eval`]: a
    /// ratio reads both sides, a derived metric each input at its offset, a cumulative one its whole window.
    pub fn reads(&self, id: &str, span: Span) -> BTreeSet<(&'m str, NaiveDate, NaiveDate)> {
        let mut out = BTreeSet::new();
        let mut seen = HashSet::new();
        let mut stack: Vec<(&str, Span, usize)> = vec![(id, span, 0)];
        while let Some((id, span, depth)) = stack.pop() {
            let Some(m) = self.metric(id) else { continue };
            if depth > MAX_EVAL_DEPTH || !seen.insert((m.id.as_str(), span.start, span.end, span.grain)) {
                continue;
            }
            match m.kind {
                MetricKind::Simple => {
                    out.insert((m.measure.as_deref().unwrap_or_default(), span.start, span.end));
                }
                MetricKind::Ratio => {
                    for side in [&m.numerator, &m.denominator] {
                        stack.push((side.as_deref().unwrap_or_default(), span, depth + 1));
                    }
                }
                MetricKind::Derived => {
                    for (name, offset) in self.expr_of(&m.id).map(Expr::inputs).unwrap_or_default() {
                        if let Some(back) = span.checked_shift(-i64::from(offset)) {
                            stack.push((name, back, depth + 1));
                        }
                    }
                }
                MetricKind::Cumulative => {
                    let start = match (m.to_date, m.window) {
                        (Some(t), _) => bucket_start(to_date_grain(t), span.end),
                        (None, Some(n)) => bucket(span.grain, span.end)
                            .checked_shift(-i64::from(n.saturating_sub(1)))
                            .map_or(NaiveDate::MIN, |s| s.start),
                        (None, None) => span.start,
                    };
                    let wide = Span {
                        start: start.min(span.end),
                        end: span.end,
                        grain: span.grain,
                    };
                    stack.push((m.metric.as_deref().unwrap_or_default(), wide, depth + 1));
                }
            }
        }
        out
    }

    /// Whether any observation of one of `measures` dated in `span` passes `filter`.
    pub fn observed(&self, measures: &BTreeSet<&str>, span: Span, filter: &Filter) -> bool {
        let store = &self.model.kpi.store;
        measures.iter().any(|m| {
            self.dated(store, store.rows_of(m), span.start, span.end)
                .any(|row| filter.matches(store, row))
        })
    }

    /// The value of metric `id` over `span`, counting observations that pass `filter`.
    pub fn eval(&self, id: &str, span: Span, filter: &Filter) -> Value {
        // A simple metric reads no other metric: nothing to remember (and no memo to allocate).
        if let Some(m) = self.metric(id).filter(|m| m.kind == MetricKind::Simple) {
            return self.compute(m, span, filter, 0, &mut Memo::new());
        }
        self.eval_at(id, span, filter, 0, &mut Memo::new())
    }

    fn eval_at(&self, id: &str, span: Span, filter: &Filter, depth: usize, memo: &mut Memo<'m>) -> Value {
        if depth > MAX_EVAL_DEPTH {
            return Err(format!("metric {id} nests too deeply"));
        }
        let Some(m) = self.metric(id) else {
            return Err(format!("unknown metric {id}"));
        };
        let slot = (m.id.as_str(), span.start, span.end, span.grain);
        if let Some(v) = memo.get(&slot) {
            return v.clone();
        }
        let v = self.compute(m, span, filter, depth, memo);
        memo.insert(slot, v.clone());
        v
    }

    fn compute(
        &self,
        m: &'m Metric,
        span: Span,
        filter: &Filter,
        depth: usize,
        memo: &mut Memo<'m>,
    ) -> Value {
        let id = m.id.as_str();
        match m.kind {
            MetricKind::Simple => self.simple(m, span, filter).and_then(|v| finite(v, id, span)),
            MetricKind::Ratio => {
                let num = self.eval_at(
                    m.numerator.as_deref().unwrap_or_default(),
                    span,
                    filter,
                    depth + 1,
                    memo,
                )?;
                let den = self.eval_at(
                    m.denominator.as_deref().unwrap_or_default(),
                    span,
                    filter,
                    depth + 1,
                    memo,
                )?;
                if den == 0.0 {
                    return Err(format!(
                        "denominator {} is 0 in {}..{}",
                        m.denominator.as_deref().unwrap_or_default(),
                        span.start,
                        span.end
                    ));
                }
                finite(num / den, id, span)
            }
            MetricKind::Derived => match self.expr_of(id) {
                Some(e) => self
                    .expr(e, span, filter, depth + 1, memo)
                    .and_then(|v| finite(v, id, span)),
                None => Err(format!("metric {id} has no valid expression")),
            },
            MetricKind::Cumulative => {
                let start = match (m.to_date, m.window) {
                    (Some(t), _) => bucket_start(to_date_grain(t), span.end),
                    // A window reaching back past the calendar's first day starts there.
                    (None, Some(n)) => bucket(span.grain, span.end)
                        .checked_shift(-i64::from(n.saturating_sub(1)))
                        .map_or(NaiveDate::MIN, |s| s.start),
                    (None, None) => span.start,
                };
                let wide = Span {
                    start: start.min(span.end),
                    end: span.end,
                    grain: span.grain,
                };
                self.eval_at(
                    m.metric.as_deref().unwrap_or_default(),
                    wide,
                    filter,
                    depth + 1,
                    memo,
                )
            }
        }
    }

    fn expr(&self, e: &Expr, span: Span, filter: &Filter, depth: usize, memo: &mut Memo<'m>) -> Value {
        match e {
            Expr::Num(v) => Ok(*v),
            Expr::Metric { name, offset } => {
                let back = span.checked_shift(-i64::from(*offset)).ok_or_else(|| {
                    format!(
                        "{name}(offset {offset}) reaches before the calendar's first day from {}",
                        span.start
                    )
                })?;
                self.eval_at(name, back, filter, depth + 1, memo)
            }
            Expr::Neg(x) => Ok(-self.expr(x, span, filter, depth, memo)?),
            Expr::Bin(op, a, b) => {
                let x = self.expr(a, span, filter, depth, memo)?;
                let y = self.expr(b, span, filter, depth, memo)?;
                // A sum or difference that is zero in decimal arithmetic is zero (DOMAIN.md §0), so dividing
                // by it is a zero denominator.
                match op {
                    '+' => Ok(zero_sum(x + y, x.abs() + y.abs())),
                    '-' => Ok(zero_sum(x - y, x.abs() + y.abs())),
                    '*' => Ok(x * y),
                    _ if y == 0.0 => Err(format!("division by zero in {}..{}", span.start, span.end)),
                    _ => Ok(x / y),
                }
            }
        }
    }

    fn simple(&self, m: &Metric, span: Span, filter: &Filter) -> Value {
        let measure = m.measure.as_deref().unwrap_or_default();
        let none = || format!("no observations of {measure} in {}..{}", span.start, span.end);
        let agg = m.agg.unwrap_or_default();
        let store = &self.model.kpi.store;
        if let (Some((memo, conds)), Some(root)) = (&self.tree, filter.subtree_of) {
            if filter.conds.len() == conds.len() {
                let slot = store.tree.pre.get(root.index()).copied().unwrap_or(NO_SLOT) as usize;
                let m = store.measures.get(measure).copied().unwrap_or(usize::MAX);
                let key = (m, agg, span.start, span.end);
                if let Some(accs) = memo.borrow().get(&key) {
                    return accs.get(slot).copied().unwrap_or_default().finish(agg, none);
                }
                let accs = self.subtree_aggregates(measure, span, conds, agg);
                let acc = accs.get(slot).copied().unwrap_or_default();
                memo.borrow_mut().insert(key, accs);
                return acc.finish(agg, none);
            }
        }
        let mut acc = Acc::default();
        for row in self.dated(store, store.rows_of(measure), span.start, span.end) {
            if filter.matches(store, row) {
                if let (Some(d), Some(v)) = (store.date.get(row), store.value.get(row)) {
                    acc.add(*d, *v);
                }
            }
        }
        acc.finish(agg, none)
    }

    /// One pass over the measure's rows in `span` that pass `conds`: each row counts in its unit and every unit
    /// above it. The result holds each unit's subtree aggregates at the unit's pre-order position.
    fn subtree_aggregates(
        &self,
        measure: &str,
        span: Span,
        conds: &[(String, HashSet<String>)],
        agg: Agg,
    ) -> Vec<Acc> {
        // One loop per aggregation, so each inner walk does only what its aggregation reads.
        match agg {
            Agg::Sum | Agg::Avg => self.tree_pass(measure, span, conds, |a: &mut Acc, _, v| {
                a.sum += v;
                a.mag += v.abs();
                a.count += 1;
            }),
            Agg::Count => self.tree_pass(measure, span, conds, |a: &mut Acc, _, _| a.count += 1),
            Agg::Min | Agg::Max | Agg::Last => self.tree_pass(measure, span, conds, Acc::add),
        }
    }

    /// The pass of [`Catalog::subtree_aggregates`] with `add` applied to the row's unit and every unit above it.
    fn tree_pass(
        &self,
        measure: &str,
        span: Span,
        conds: &[(String, HashSet<String>)],
        add: impl Fn(&mut Acc, NaiveDate, f64),
    ) -> Vec<Acc> {
        let store = &self.model.kpi.store;
        let tree = &store.tree;
        let mut accs = vec![Acc::default(); tree.unit_at.len()];
        let others = Filter {
            units: None,
            subtree_of: None,
            conds: conds.to_vec(),
        };
        let rows = self.dated(store, store.rows_of(measure), span.start, span.end);
        let (Some(slots), Some(dates), Some(values)) = (
            store.slot.get(rows.clone()),
            store.date.get(rows.clone()),
            store.value.get(rows.clone()),
        ) else {
            return accs;
        };
        for (i, ((&slot, &d), &v)) in slots.iter().zip(dates).zip(values).enumerate() {
            if slot == NO_SLOT || (!others.conds.is_empty() && !others.matches(store, rows.start + i)) {
                continue;
            }
            for &at in tree.lineage_of(slot) {
                if let Some(acc) = accs.get_mut(at as usize) {
                    add(acc, d, v);
                }
            }
        }
        accs
    }
}

/// A computed value, or undefined when the arithmetic left the finite numbers (a sum of huge values, a ratio
/// or product that overflows): an overflow is never reported as a number.
fn finite(v: f64, id: &str, span: Span) -> Value {
    if v.is_finite() {
        Ok(unsigned_zero(v))
    } else {
        Err(format!(
            "metric {id} overflows the range of numbers in {}..{}",
            span.start, span.end
        ))
    }
}
