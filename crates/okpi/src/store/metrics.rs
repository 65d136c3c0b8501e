//! The KPI part of the store: definitions sorted by id, observations in columns, and the metric book — every
//! metric's parsed expression and version, computed once when the model is built rather than on every query.

use super::observations::Store;
use super::UnitNode;
use crate::idx::{IdxVec, UnitIx};
use crate::model::{Agg, Measure, Metric, MetricKind, Observations, Scorecard, Target};
use crate::text::expr::{parse_expression_with, Expr};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The KPI part of a validated document: definitions as given (sorted by id), observations in a [`Store`].
#[derive(Debug, Clone, Default)]
pub(crate) struct KpiParts {
    pub measures: Vec<Measure>,
    pub metrics: Vec<Metric>,
    /// What every query reads about the metrics, computed once.
    pub book: MetricBook,
    pub store: Store,
    pub targets: Vec<Target>,
    pub scorecards: Vec<Scorecard>,
}

/// Per metric (at its position in [`KpiParts::metrics`]): its parsed expression and its version.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetricBook {
    /// Position of each metric id.
    pub index: HashMap<String, usize>,
    /// The parsed expression of a derived metric (`None` for other kinds).
    pub exprs: Vec<Option<Expr>>,
    /// FNV-1a 64 (hex) over the canonical JSON of the definition and the versions of the metrics it reads.
    pub versions: Vec<String>,
}

/// The parts of a document that [`KpiParts::new`] takes over.
pub(crate) struct KpiDoc {
    pub measures: Vec<Measure>,
    pub metrics: Vec<Metric>,
    pub observations: Observations,
    pub targets: Vec<Target>,
    pub scorecards: Vec<Scorecard>,
}

impl KpiParts {
    /// `refs`: what validation resolved about the observations (units, canonical order).
    pub fn new(
        doc: KpiDoc,
        units: &IdxVec<UnitIx, UnitNode>,
        refs: crate::validate::ObsRefs,
        limits: &crate::Limits,
    ) -> Self {
        // Items by id, so that nothing derived from them (the normalised document, report order) depends on the
        // order they were handed in; the store indexes measures by their input position, resolved before this.
        fn by_id<T>(mut v: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
            v.sort_by(|a, b| id(a).cmp(id(b)));
            v
        }
        let measure_ids: Vec<String> = doc.measures.iter().map(|m| m.id.clone()).collect();
        let store = Store::new(doc.observations, &measure_ids, units, refs);
        let metrics = by_id(doc.metrics, |m| &m.id);
        KpiParts {
            book: MetricBook::new(&metrics, limits),
            measures: by_id(doc.measures, |m| &m.id),
            metrics,
            store,
            targets: by_id(doc.targets, |t| &t.id),
            scorecards: by_id(doc.scorecards, |s| &s.id),
        }
    }
}

impl MetricBook {
    fn new(metrics: &[Metric], limits: &crate::Limits) -> MetricBook {
        let index = metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let exprs = metrics
            .iter()
            .map(|m| match m.kind {
                MetricKind::Derived => parse_expression_with(m.expression.as_deref()?, limits).ok(),
                _ => None,
            })
            .collect();
        let mut book = MetricBook {
            index,
            exprs,
            versions: Vec::new(),
        };
        book.versions = book.all_versions(metrics);
        book
    }

    /// The metric with this id and its position.
    pub fn get<'m>(&self, metrics: &'m [Metric], id: &str) -> Option<(usize, &'m Metric)> {
        let i = *self.index.get(id)?;
        metrics.get(i).map(|m| (i, m))
    }

    /// The metrics `m` (at position `i`) reads, sorted and deduplicated.
    pub fn deps<'m>(&self, metrics: &'m [Metric], i: usize) -> Vec<&'m str> {
        let Some(m) = metrics.get(i) else {
            return Vec::new();
        };
        let mut out: BTreeSet<&str> = BTreeSet::new();
        match m.kind {
            MetricKind::Simple => {}
            MetricKind::Ratio => {
                out.extend(m.numerator.as_deref());
                out.extend(m.denominator.as_deref());
            }
            MetricKind::Cumulative => out.extend(m.metric.as_deref()),
            MetricKind::Derived => {
                if let Some(e) = self.exprs.get(i).and_then(Option::as_ref) {
                    for (name, _) in e.inputs() {
                        if let Some((_, k)) = self.get(metrics, name) {
                            out.insert(k.id.as_str());
                        }
                    }
                }
            }
        }
        out.into_iter().collect()
    }

    /// Every metric's version, inputs before readers (an iterative depth-first walk: validation rejects cycles,
    /// and a metric met again on the current path is skipped rather than followed).
    fn all_versions(&self, metrics: &[Metric]) -> Vec<String> {
        let mut done: Vec<Option<String>> = vec![None; metrics.len()];
        let deps_of = |id: &str| -> Vec<usize> {
            self.index
                .get(id)
                .map(|&i| {
                    self.deps(metrics, i)
                        .into_iter()
                        .filter_map(|d| self.index.get(d).copied())
                        .collect()
                })
                .unwrap_or_default()
        };
        // `metrics` is sorted by id, so roots are walked in id order.
        for (root, m) in metrics.iter().enumerate() {
            let mut on_path: HashSet<usize> = HashSet::from([root]);
            let mut stack: Vec<(usize, Vec<usize>)> = vec![(root, deps_of(&m.id))];
            while let Some((id, pending)) = stack.last_mut() {
                let id = *id;
                match pending.pop() {
                    Some(dep) if done.get(dep).is_some_and(Option::is_some) || on_path.contains(&dep) => {}
                    Some(dep) => {
                        on_path.insert(dep);
                        let next = metrics.get(dep).map(|d| deps_of(&d.id)).unwrap_or_default();
                        stack.push((dep, next));
                    }
                    None => {
                        stack.pop();
                        on_path.remove(&id);
                        let Some(m) = metrics.get(id) else { continue };
                        // Normalise defaults, then serialise: serde_json's map keeps keys sorted, so this JSON is
                        // canonical. The audit trail of past changes is not part of the definition.
                        let mut norm = m.clone();
                        if norm.kind == MetricKind::Simple && norm.agg.is_none() {
                            norm.agg = Some(Agg::Sum);
                        }
                        norm.changes.clear();
                        let mut text = serde_json::to_value(&norm)
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        for dep in self.deps(metrics, id) {
                            text.push('|');
                            let v = self
                                .index
                                .get(dep)
                                .and_then(|&d| done.get(d))
                                .and_then(Option::as_deref);
                            text.push_str(v.unwrap_or(""));
                        }
                        if let Some(slot) = done.get_mut(id) {
                            *slot = Some(fnv1a64_hex(text.as_bytes()));
                        }
                    }
                }
            }
        }
        done.into_iter().map(Option::unwrap_or_default).collect()
    }
}

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
