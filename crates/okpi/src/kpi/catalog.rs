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

    /// Adds the aggregates `o` of later rows (a child's subtree) to these.
    fn merge(&mut self, o: &Acc) {
        if o.count == 0 {
            return;
        }
        self.sum += o.sum;
        self.mag += o.mag;
        self.min = if self.count == 0 {
            o.min
        } else {
            self.min.min(o.min)
        };
        self.max = if self.count == 0 {
            o.max
        } else {
            self.max.max(o.max)
        };
        self.count += o.count;
        match (self.last_date, o.last_date) {
            (Some(a), Some(b)) if a == b => {
                self.last_sum += o.last_sum;
                self.last_mag += o.last_mag;
            }
            (Some(a), Some(b)) if a > b => {}
            (_, None) => {}
            _ => {
                self.last_date = o.last_date;
                self.last_sum = o.last_sum;
                self.last_mag = o.last_mag;
            }
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
        if let (Some((_, conds)), Some(root)) = (&self.tree, filter.subtree_of) {
            if filter.conds.len() == conds.len() {
                let slot = store.tree.pre.get(root.index()).copied().unwrap_or(NO_SLOT);
                return self.tree_acc(m, span, slot).finish(agg, none);
            }
        }
        let rows = self.dated(store, store.rows_of(measure), span.start, span.end);
        match &filter.units {
            // A subtree: each unit's own observations, then its children's subtrees (see `subtree_fold`).
            Some(units) if units.len() > 1 => {
                let mut accs = Vec::new();
                own_aggregates(store, rows, units.clone(), &filter.conds, agg, &mut accs);
                subtree_fold(store, units.clone(), &mut accs);
                accs.first().copied().unwrap_or_default().finish(agg, none)
            }
            _ => {
                let mut acc = Acc::default();
                for row in rows {
                    if filter.matches(store, row) {
                        if let (Some(d), Some(v)) = (store.date.get(row), store.value.get(row)) {
                            acc.add(*d, *v);
                        }
                    }
                }
                acc.finish(agg, none)
            }
        }
    }

    /// The aggregates of simple metric `m` over `span` for the subtree at pre-order position `slot`, from the
    /// tree memo of [`Catalog::for_tree`] (computed on first use for the whole tree); empty without the memo.
    fn tree_acc(&self, m: &Metric, span: Span, slot: u32) -> Acc {
        let Some((memo, conds)) = &self.tree else {
            return Acc::default();
        };
        let store = &self.model.kpi.store;
        let measure = m.measure.as_deref().unwrap_or_default();
        let agg = m.agg.unwrap_or_default();
        let key = (
            store.measures.get(measure).copied().unwrap_or(usize::MAX),
            agg,
            span.start,
            span.end,
        );
        if let Some(accs) = memo.borrow().get(&key) {
            return accs.get(slot as usize).copied().unwrap_or_default();
        }
        let mut accs = Vec::new();
        self.subtree_aggregates(measure, span, conds, agg, &mut accs);
        let acc = accs.get(slot as usize).copied().unwrap_or_default();
        memo.borrow_mut().insert(key, accs);
        acc
    }

    /// For a catalog made by [`Catalog::for_tree`] and a simple metric: the aggregates of every unit's subtree over
    /// `span` (by pre-order position), with how to finish them into values. `None` for other metrics. The
    /// aggregates are written into `buffer`'s memory (take it back with [`TreeValues::into_buffer`]).
    pub fn tree_values(&self, id: &str, span: Span, buffer: Vec<Acc>) -> Option<TreeValues<'m>> {
        let m = self.metric(id).filter(|m| m.kind == MetricKind::Simple)?;
        let (_, conds) = self.tree.as_ref()?;
        let measure = m.measure.as_deref().unwrap_or_default();
        let agg = m.agg.unwrap_or_default();
        let mut accs = buffer;
        self.subtree_aggregates(measure, span, conds, agg, &mut accs);
        Some(TreeValues {
            metric: m,
            span,
            agg,
            accs,
        })
    }

    /// Every unit's subtree aggregates of `measure` over `span` for the rows that pass `conds`, by pre-order
    /// position: one pass over the rows into each row's own unit, then [`subtree_fold`].
    fn subtree_aggregates(
        &self,
        measure: &str,
        span: Span,
        conds: &[(String, HashSet<String>)],
        agg: Agg,
        accs: &mut Vec<Acc>,
    ) {
        let store = &self.model.kpi.store;
        let all = 0..store.tree.unit_at.len() as u32;
        let rows = self.dated(store, store.rows_of(measure), span.start, span.end);
        own_aggregates(store, rows, all.clone(), conds, agg, accs);
        subtree_fold(store, all, accs);
    }
}

/// The subtree aggregates of one simple metric over one span, every unit at once (from [`Catalog::tree_values`]).
pub(crate) struct TreeValues<'m> {
    metric: &'m Metric,
    span: Span,
    agg: Agg,
    accs: Vec<Acc>,
}

impl TreeValues<'_> {
    /// The value of the subtree at pre-order position `slot`, as [`Catalog::eval`] gives it.
    pub fn value(&self, slot: u32) -> Value {
        let measure = self.metric.measure.as_deref().unwrap_or_default();
        let none = || {
            format!(
                "no observations of {measure} in {}..{}",
                self.span.start, self.span.end
            )
        };
        self.acc(slot)
            .finish(self.agg, none)
            .and_then(|v| finite(v, &self.metric.id, self.span))
    }

    /// The value alone (`None` where undefined), without writing the reason.
    pub fn number(&self, slot: u32) -> Option<f64> {
        let v = self.acc(slot).finish(self.agg, String::new).ok()?;
        v.is_finite().then(|| unsigned_zero(v))
    }

    fn acc(&self, slot: u32) -> Acc {
        self.accs.get(slot as usize).copied().unwrap_or_default()
    }

    /// The memory of the aggregates, for the next [`Catalog::tree_values`].
    pub fn into_buffer(self) -> Vec<Acc> {
        self.accs
    }
}

/// Per pre-order position in `slots` (index `slot − slots.start`): the aggregates of the rows of `rows` at that
/// position whose dims match `conds`, added in row (date) order. `accs` is filled afresh (its memory reused).
fn own_aggregates(
    store: &Store,
    rows: Range<usize>,
    slots: Range<u32>,
    conds: &[(String, HashSet<String>)],
    agg: Agg,
    accs: &mut Vec<Acc>,
) {
    accs.clear();
    accs.resize(slots.len(), Acc::default());
    let lo = slots.start;
    let (Some(slot_of), Some(dates), Some(values)) = (
        store.slot.get(rows.clone()),
        store.date.get(rows.clone()),
        store.value.get(rows.clone()),
    ) else {
        return;
    };
    if !conds.is_empty() {
        let others = Filter {
            units: None,
            subtree_of: None,
            conds: conds.to_vec(),
        };
        let keep = |i: usize| others.matches(store, rows.start + i);
        return match agg {
            Agg::Sum | Agg::Avg => scan(accs, lo, slot_of, dates, values, keep, add_sum),
            Agg::Count => scan(accs, lo, slot_of, dates, values, keep, add_count),
            Agg::Min | Agg::Max | Agg::Last => scan(accs, lo, slot_of, dates, values, keep, Acc::add),
        };
    }
    let all = |_: usize| true;
    match agg {
        Agg::Sum | Agg::Avg => {
            // The hot case (sums over the whole tree): no date read.
            for (&slot, &v) in slot_of.iter().zip(values) {
                if let Some(a) = accs.get_mut(slot.wrapping_sub(lo) as usize) {
                    add_sum(a, NaiveDate::MIN, v);
                }
            }
        }
        Agg::Count => scan(accs, lo, slot_of, dates, values, all, add_count),
        Agg::Min | Agg::Max | Agg::Last => scan(accs, lo, slot_of, dates, values, all, Acc::add),
    }
}

/// Adds a row to a sum (or mean): its value and magnitude (for the zero-sum rule) and the count.
#[inline]
fn add_sum(a: &mut Acc, _: NaiveDate, v: f64) {
    a.sum += v;
    a.mag += v.abs();
    a.count += 1;
}

#[inline]
fn add_count(a: &mut Acc, _: NaiveDate, _: f64) {
    a.count += 1;
}

/// The loop of [`own_aggregates`]: `add` applied to each kept row's own position. A row outside the positions
/// (or without a unit: `NO_SLOT`) wraps to an index past the end and is skipped.
#[inline]
fn scan(
    accs: &mut [Acc],
    lo: u32,
    slot_of: &[u32],
    dates: &[NaiveDate],
    values: &[f64],
    keep: impl Fn(usize) -> bool,
    add: impl Fn(&mut Acc, NaiveDate, f64),
) {
    for (i, ((&slot, &d), &v)) in slot_of.iter().zip(dates).zip(values).enumerate() {
        if let Some(acc) = accs.get_mut(slot.wrapping_sub(lo) as usize) {
            if keep(i) {
                add(acc, d, v);
            }
        }
    }
}

/// Turns the own aggregates of the positions in `slots` (as [`own_aggregates`] gives them) into subtree
/// aggregates, counting only positions in `slots`: a unit's own observations, then each child's subtree, children
/// in id order. This fixes the order in which a subtree's sum adds, the same for [`super::query`] with a `unit`
/// filter and for [`super::query_units`]; each position is visited once (reverse pre-order: children first).
fn subtree_fold(store: &Store, slots: Range<u32>, accs: &mut [Acc]) {
    let tree = &store.tree;
    let lo = slots.start;
    let end_of = |s: u32| {
        tree.unit_at
            .get(s as usize)
            .and_then(|u| tree.end.get(u.index()))
            .copied()
            .unwrap_or(s)
    };
    for p in slots.clone().rev() {
        let stop = end_of(p).min(slots.end);
        let mut child = p + 1;
        let mut acc = accs.get((p - lo) as usize).copied().unwrap_or_default();
        while child < stop {
            if let Some(c) = accs.get((child - lo) as usize) {
                acc.merge(c);
            }
            let next = end_of(child);
            if next <= child {
                break; // a malformed order: never loop
            }
            child = next;
        }
        if let Some(slot) = accs.get_mut((p - lo) as usize) {
            *slot = acc;
        }
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
