//! The metric catalog: evaluating a metric over a span and a filter, and each metric's content-hash version.

use super::expr::{parse_expression_with, Expr};
use super::grain::{bucket, bucket_start, to_date_grain, Span};
use crate::idx::UnitIx;
use crate::model::{Agg, Document, Grain, Measure, Metric, MetricKind, Observation, Scorecard, Target};
use crate::validated::Model;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The KPI part of a validated document.
#[derive(Debug, Clone, Default)]
pub(crate) struct KpiParts {
    pub measures: Vec<Measure>,
    pub metrics: Vec<Metric>,
    pub observations: Vec<Observation>,
    pub targets: Vec<Target>,
    pub scorecards: Vec<Scorecard>,
}

impl KpiParts {
    /// The KPI part of a validated document in a canonical order, so that nothing computed from it (a float sum
    /// over observations, the normalised document) depends on input order: items by id, observations by
    /// measure, date, dims and source (unique after validation).
    pub fn from_doc(doc: &Document) -> Self {
        fn by_id<T: Clone>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<T> {
            let mut v = items.to_vec();
            v.sort_by(|a, b| id(a).cmp(id(b)));
            v
        }
        let mut observations = doc.observations.clone();
        observations.sort_by(|a, b| {
            (&a.measure, a.date, &a.dims, &a.source).cmp(&(&b.measure, b.date, &b.dims, &b.source))
        });
        KpiParts {
            measures: by_id(&doc.measures, |m| &m.id),
            metrics: by_id(&doc.metrics, |m| &m.id),
            observations,
            targets: by_id(&doc.targets, |t| &t.id),
            scorecards: by_id(&doc.scorecards, |s| &s.id),
        }
    }
}

/// A metric's value, or why it has none.
pub(crate) type Value = Result<f64, String>;

/// FNV-1a 64 of bytes, as 16 hex digits.
///
/// ```
/// assert_eq!(okpi::kpi::fnv1a64_hex(b""), "cbf29ce484222325");
/// assert_eq!(okpi::kpi::fnv1a64_hex(b"a"), "af63dc4c8601ec8c");
/// ```
pub fn fnv1a64_hex(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Observations must match every condition: the dim's value is one of the set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub conds: Vec<(String, HashSet<String>)>,
}

impl Filter {
    /// Builds a filter from `dim = value` pairs; `unit` expands to the unit's whole subtree.
    pub fn new<'a>(model: &Model, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Filter {
        let conds = pairs
            .into_iter()
            .map(|(dim, value)| {
                let set = if dim == "unit" {
                    subtree(model, value)
                } else {
                    HashSet::from([value.to_owned()])
                };
                (dim.to_owned(), set)
            })
            .collect();
        Filter { conds }
    }

    pub fn matches_pub(&self, o: &Observation) -> bool {
        self.matches(o)
    }

    fn matches(&self, o: &Observation) -> bool {
        self.conds
            .iter()
            .all(|(dim, set)| o.dims.get(dim).is_some_and(|v| set.contains(v)))
    }
}

/// The unit and every unit below it.
pub(crate) fn subtree(model: &Model, unit: &str) -> HashSet<String> {
    let mut children: HashMap<UnitIx, Vec<UnitIx>> = HashMap::new();
    for (i, u) in model.units.iter_enumerated() {
        if let Some(p) = u.parent {
            children.entry(p).or_default().push(i);
        }
    }
    let mut out = HashSet::new();
    let mut stack: Vec<UnitIx> = model.ids.units.get(unit).copied().into_iter().collect();
    while let Some(u) = stack.pop() {
        // Validation rejects loops in the org tree; the set keeps the walk finite regardless.
        if out.insert(model.units.at(u).def.id.clone()) {
            stack.extend(children.get(&u).into_iter().flatten().copied());
        }
    }
    out.insert(unit.to_owned());
    out
}

/// Evaluates metrics of one model.
pub(crate) struct Catalog<'m> {
    pub model: &'m Model,
    pub metrics: HashMap<&'m str, &'m Metric>,
    exprs: HashMap<&'m str, Expr>,
    /// Observations by measure, sorted by date.
    by_measure: HashMap<&'m str, Vec<&'m Observation>>,
    /// Every metric's version, computed once.
    versions: HashMap<&'m str, String>,
}

/// How many metrics deep one evaluation may read (a metric reading a metric … reading a measure).
const MAX_EVAL_DEPTH: usize = 64;

/// Values already computed during one evaluation: the same metric over the same span (and filter) is computed
/// once, so metrics that read one input several times (`m + m(offset 1)`) stay polynomial, not exponential.
type Memo<'m> = HashMap<(&'m str, NaiveDate, NaiveDate, Grain), Value>;

impl<'m> Catalog<'m> {
    pub fn new(model: &'m Model) -> Self {
        let metrics: HashMap<&str, &Metric> = model.kpi.metrics.iter().map(|m| (m.id.as_str(), m)).collect();
        let exprs = model
            .kpi
            .metrics
            .iter()
            .filter_map(|m| {
                let e = parse_expression_with(m.expression.as_deref()?, &model.limits).ok()?;
                Some((m.id.as_str(), e))
            })
            .collect();
        let mut by_measure: HashMap<&str, Vec<&Observation>> = HashMap::new();
        for o in &model.kpi.observations {
            by_measure.entry(o.measure.as_str()).or_default().push(o);
        }
        for v in by_measure.values_mut() {
            v.sort_by_key(|o| o.date);
        }
        let mut cat = Catalog {
            model,
            metrics,
            exprs,
            by_measure,
            versions: HashMap::new(),
        };
        cat.versions = cat.all_versions();
        cat
    }

    /// The metric's version: FNV-1a 64 over its canonical JSON and the versions of the metrics it reads.
    pub fn version(&self, id: &str) -> String {
        self.versions.get(id).cloned().unwrap_or_default()
    }

    /// Every metric's version, inputs before readers (an iterative depth-first walk: validation rejects cycles,
    /// and a metric met again on the current path is skipped rather than followed).
    fn all_versions(&self) -> HashMap<&'m str, String> {
        let mut done: HashMap<&'m str, String> = HashMap::new();
        let mut ids: Vec<&'m str> = self.metrics.keys().copied().collect();
        ids.sort_unstable();
        for root in ids {
            let mut on_path: HashSet<&'m str> = HashSet::from([root]);
            let mut stack: Vec<(&'m str, Vec<&'m str>)> = vec![(root, self.deps_of(root))];
            while let Some((id, pending)) = stack.last_mut() {
                let id = *id;
                match pending.pop() {
                    Some(dep) if done.contains_key(dep) || on_path.contains(dep) => {}
                    Some(dep) => {
                        on_path.insert(dep);
                        stack.push((dep, self.deps_of(dep)));
                    }
                    None => {
                        stack.pop();
                        on_path.remove(id);
                        let Some(m) = self.metrics.get(id) else { continue };
                        // Normalise defaults, then serialise: serde_json's map keeps keys sorted, so this JSON is
                        // canonical.
                        let mut norm = (*m).clone();
                        if norm.kind == MetricKind::Simple && norm.agg.is_none() {
                            norm.agg = Some(Agg::Sum);
                        }
                        let mut text = serde_json::to_value(&norm)
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        for dep in self.deps(m) {
                            text.push('|');
                            text.push_str(done.get(dep).map_or("", String::as_str));
                        }
                        done.insert(id, fnv1a64_hex(text.as_bytes()));
                    }
                }
            }
        }
        done
    }

    fn deps_of(&self, id: &str) -> Vec<&'m str> {
        self.metrics.get(id).map(|m| self.deps(m)).unwrap_or_default()
    }

    /// The metrics `m` reads, sorted and deduplicated.
    pub fn deps(&self, m: &'m Metric) -> Vec<&'m str> {
        let mut out: BTreeSet<&str> = BTreeSet::new();
        match m.kind {
            MetricKind::Simple => {}
            MetricKind::Ratio => {
                out.extend(m.numerator.as_deref());
                out.extend(m.denominator.as_deref());
            }
            MetricKind::Cumulative => out.extend(m.metric.as_deref()),
            MetricKind::Derived => {
                if let Some(e) = self.exprs.get(m.id.as_str()) {
                    for (name, _) in e.inputs() {
                        if let Some((k, _)) = self.metrics.get_key_value(name) {
                            out.insert(k);
                        }
                    }
                }
            }
        }
        out.into_iter().collect()
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
            if let Some(m) = self.metrics.get(id.as_str()) {
                out.extend(m.measure.as_deref());
                stack.extend(self.deps(m).into_iter().map(str::to_owned));
            }
        }
        out
    }

    /// The value of metric `id` over `span`, counting observations that pass `filter`.
    pub fn eval(&self, id: &str, span: Span, filter: &Filter) -> Value {
        self.eval_at(id, span, filter, 0, &mut Memo::new())
    }

    fn eval_at(&self, id: &str, span: Span, filter: &Filter, depth: usize, memo: &mut Memo<'m>) -> Value {
        if depth > MAX_EVAL_DEPTH {
            return Err(format!("metric {id} nests too deeply"));
        }
        let Some((&key, &m)) = self.metrics.get_key_value(id) else {
            return Err(format!("unknown metric {id}"));
        };
        let slot = (key, span.start, span.end, span.grain);
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
            MetricKind::Simple => self.simple(m, span, filter),
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
            MetricKind::Derived => match self.exprs.get(id) {
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
                match op {
                    '+' => Ok(x + y),
                    '-' => Ok(x - y),
                    '*' => Ok(x * y),
                    _ if y == 0.0 => Err(format!("division by zero in {}..{}", span.start, span.end)),
                    _ => Ok(x / y),
                }
            }
        }
    }

    fn simple(&self, m: &Metric, span: Span, filter: &Filter) -> Value {
        let measure = m.measure.as_deref().unwrap_or_default();
        let all = self.by_measure.get(measure).map_or(&[][..], Vec::as_slice);
        let from = all.partition_point(|o| o.date < span.start);
        let to = all.partition_point(|o| o.date <= span.end);
        let obs: Vec<&Observation> = all
            .get(from..to.max(from))
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|o| filter.matches(o))
            .collect();
        let none = || format!("no observations of {measure} in {}..{}", span.start, span.end);
        let values = obs.iter().map(|o| o.value);
        let v = match m.agg.unwrap_or_default() {
            Agg::Sum => Ok(values.sum()),
            Agg::Count => Ok(obs.len() as f64),
            Agg::Avg if obs.is_empty() => Err(none()),
            Agg::Avg => Ok(values.sum::<f64>() / obs.len() as f64),
            Agg::Min => values.reduce(f64::min).ok_or_else(none),
            Agg::Max => values.reduce(f64::max).ok_or_else(none),
            Agg::Last => {
                let last = obs.iter().map(|o| o.date).max().ok_or_else(none)?;
                Ok(obs.iter().filter(|o| o.date == last).map(|o| o.value).sum())
            }
        };
        v.and_then(|v| finite(v, &m.id, span))
    }
}

/// A computed value, or undefined when the arithmetic left the finite numbers (a sum of huge values, a ratio
/// or product that overflows): an overflow is never reported as a number.
fn finite(v: f64, id: &str, span: Span) -> Value {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!(
            "metric {id} overflows the range of numbers in {}..{}",
            span.start, span.end
        ))
    }
}
