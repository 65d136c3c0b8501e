//! Observations as the model holds them: compact columns (no allocation per observation), grouped by measure
//! and sorted by date, each with its unit as a position in the org tree's pre-order so that a unit's whole subtree
//! is one range of positions (house rule 3: ids resolved once, hot loops on indexes).

use super::UnitNode;
use crate::idx::{Idx, IdxVec, UnitIx};
use crate::model::Observation;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// The pre-order position of "no unit" (an observation without a `unit` dim).
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// The org tree in pre-order: unit `u`'s subtree is the positions `pre[u]..end[u]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnitOrder {
    pub pre: Vec<u32>,
    pub end: Vec<u32>,
    /// The parent's position of the unit at each position (`NO_SLOT` for roots).
    pub parent_slot: Vec<u32>,
    /// The unit at each position.
    pub unit_at: Vec<UnitIx>,
}

impl UnitOrder {
    pub fn new(units: &IdxVec<UnitIx, UnitNode>) -> UnitOrder {
        let n = units.len();
        let mut children: Vec<Vec<UnitIx>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, u) in units.iter_enumerated() {
            match u.parent.and_then(|p| children.get_mut(p.index())) {
                Some(list) => list.push(i),
                None => roots.push(i),
            }
        }
        let mut order = UnitOrder {
            pre: vec![NO_SLOT; n],
            end: vec![NO_SLOT; n],
            parent_slot: Vec::with_capacity(n),
            unit_at: Vec::with_capacity(n),
        };
        // Iterative depth-first walk, children in id order; `(unit, entered)`. Validation refuses loops, and a unit
        // is entered once at most, so the walk ends whatever the tree.
        let mut stack: Vec<(UnitIx, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((u, done)) = stack.pop() {
            let slot = order.unit_at.len() as u32;
            if done {
                if let Some(e) = order.end.get_mut(u.index()) {
                    *e = slot;
                }
                continue;
            }
            if order.pre.get(u.index()) != Some(&NO_SLOT) {
                continue;
            }
            if let Some(p) = order.pre.get_mut(u.index()) {
                *p = slot;
            }
            let parent = units
                .at(u)
                .parent
                .and_then(|p| order.pre.get(p.index()).copied())
                .unwrap_or(NO_SLOT);
            order.parent_slot.push(parent);
            order.unit_at.push(u);
            stack.push((u, true));
            if let Some(kids) = children.get(u.index()) {
                stack.extend(kids.iter().rev().map(|&k| (k, false)));
            }
        }
        order
    }

    /// The positions of `u`'s whole subtree.
    pub fn subtree(&self, u: UnitIx) -> std::ops::Range<u32> {
        let lo = self.pre.get(u.index()).copied().unwrap_or(NO_SLOT);
        let hi = self.end.get(u.index()).copied().unwrap_or(NO_SLOT);
        if lo == NO_SLOT || hi == NO_SLOT {
            0..0
        } else {
            lo..hi
        }
    }
}

/// The observations of a model in columns. Rows of measure `m` are `start[m]..start[m + 1]`, sorted by date and,
/// within a day, by dims, source and value (a canonical order, whatever the input order).
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    /// Measure ids, in document order; a measure's position is its index.
    pub measures: HashMap<String, usize>,
    pub start: Vec<usize>,
    pub date: Vec<NaiveDate>,
    pub value: Vec<f64>,
    /// Pre-order position of the row's `unit` dim (`NO_SLOT` without one).
    pub slot: Vec<u32>,
    /// Index of the row's dims in `dim_sets`.
    pub dims: Vec<u32>,
    /// Index of the row's source in `sources` (0: none).
    pub source: Vec<u32>,
    pub dim_sets: Vec<BTreeMap<String, String>>,
    pub sources: Vec<Option<String>>,
    pub tree: UnitOrder,
    /// Measure ids in document order.
    pub measure_ids: Vec<String>,
}

impl Store {
    /// Builds the store from validated observations, given each one's measure position in `measure_ids` and
    /// unit index (`u32::MAX`: none), as validation resolved them.
    pub fn new(
        observations: &[Observation],
        measure_ids: &[String],
        units: &IdxVec<UnitIx, UnitNode>,
        measure_of: &[u32],
        unit_of: &[u32],
    ) -> Store {
        let tree = UnitOrder::new(units);
        let measures: HashMap<String, usize> = measure_ids
            .iter()
            .enumerate()
            .map(|(i, m)| (m.clone(), i))
            .collect();
        let n = observations.len();
        let mut dim_sets: Vec<BTreeMap<String, String>> = Vec::new();
        let mut dims_by_value: HashMap<&BTreeMap<String, String>, u32> = HashMap::new();
        let mut unit_only: Vec<u32> = vec![u32::MAX; units.len()];
        let mut sources: Vec<Option<String>> = vec![None];
        let mut source_ix: HashMap<&str, u32> = HashMap::new();
        // Per row, in document order: (measure, slot, dims, source, date, value). Later passes read these compact
        // rows, not the documents' observations (each a scatter of allocations).
        let mut rows: Vec<(u32, u32, u32, u32, NaiveDate, f64)> = Vec::with_capacity(n);
        for (i, o) in observations.iter().enumerate() {
            let m = measure_of.get(i).copied().unwrap_or(u32::MAX);
            let unit = unit_of
                .get(i)
                .copied()
                .filter(|&u| u != u32::MAX)
                .map(|u| UnitIx::new(u as usize));
            let slot = unit
                .and_then(|u| tree.pre.get(u.index()).copied())
                .unwrap_or(NO_SLOT);
            let fresh = dim_sets.len() as u32;
            let dims = match unit {
                Some(u) if o.dims.len() == 1 => match unit_only.get_mut(u.index()) {
                    Some(slot) if *slot != u32::MAX => *slot,
                    Some(slot) => {
                        *slot = fresh;
                        dim_sets.push(o.dims.clone());
                        fresh
                    }
                    None => fresh,
                },
                _ => *dims_by_value.entry(&o.dims).or_insert_with(|| {
                    dim_sets.push(o.dims.clone());
                    fresh
                }),
            };
            let source = match o.source.as_deref() {
                None => 0,
                Some(s) => {
                    let next = sources.len() as u32;
                    *source_ix.entry(s).or_insert_with(|| {
                        sources.push(Some(s.to_owned()));
                        next
                    })
                }
            };
            rows.push((m, slot, dims, source, o.date, o.value));
        }
        // Counting sort by measure, then a sort inside each measure (linear on a feed already in that order).
        let mut count = vec![0usize; measure_ids.len() + 1];
        for r in &rows {
            if let Some(c) = count.get_mut(r.0 as usize) {
                *c += 1;
            }
        }
        let mut start = Vec::with_capacity(count.len());
        let mut acc = 0;
        for c in &count {
            start.push(acc);
            acc += c;
        }
        let mut next = start.clone();
        let mut order = vec![0u32; acc];
        for (i, r) in rows.iter().enumerate() {
            if let Some(at) = next.get_mut(r.0 as usize) {
                if let Some(slot) = order.get_mut(*at) {
                    *slot = i as u32;
                }
                *at += 1;
            }
        }
        for m in 0..measure_ids.len() {
            let (lo, hi) = (
                start.get(m).copied().unwrap_or(0),
                start.get(m + 1).copied().unwrap_or(0),
            );
            // By date, then by the observation's dims, source and value: a canonical order, so that float sums
            // do not depend on the order observations were handed in.
            let canonical =
                |a: &u32, b: &u32| match (observations.get(*a as usize), observations.get(*b as usize)) {
                    (Some(x), Some(y)) => (x.date, &x.dims, &x.source)
                        .cmp(&(y.date, &y.dims, &y.source))
                        .then(x.value.total_cmp(&y.value)),
                    _ => std::cmp::Ordering::Equal,
                };
            if let Some(run) = order.get_mut(lo..hi) {
                // A feed in canonical order is already sorted: check before sorting.
                if !run.is_sorted_by(|a, b| canonical(a, b) != std::cmp::Ordering::Greater) {
                    run.sort_by(canonical);
                }
            }
        }
        start.truncate(measure_ids.len() + 1);
        let pick = |i: &u32| {
            rows.get(*i as usize)
                .copied()
                .unwrap_or((0, NO_SLOT, 0, 0, NaiveDate::MIN, 0.0))
        };
        Store {
            measures,
            start,
            date: order.iter().map(|i| pick(i).4).collect(),
            value: order.iter().map(|i| pick(i).5).collect(),
            slot: order.iter().map(|i| pick(i).1).collect(),
            dims: order.iter().map(|i| pick(i).2).collect(),
            source: order.iter().map(|i| pick(i).3).collect(),
            dim_sets,
            sources,
            tree,
            measure_ids: measure_ids.to_vec(),
        }
    }

    /// The rows of a measure (empty for an unknown one).
    pub fn rows_of(&self, measure: &str) -> std::ops::Range<usize> {
        match self.measures.get(measure) {
            Some(&m) => self.start.get(m).copied().unwrap_or(0)..self.start.get(m + 1).copied().unwrap_or(0),
            None => 0..0,
        }
    }

    /// The rows of `rows` dated `from..=to` (rows are sorted by date).
    pub fn dated(
        &self,
        rows: std::ops::Range<usize>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> std::ops::Range<usize> {
        let dates = self.date.get(rows.clone()).unwrap_or(&[]);
        let lo = rows.start + dates.partition_point(|d| *d < from);
        let hi = rows.start + dates.partition_point(|d| *d <= to);
        lo..hi.max(lo)
    }

    /// The dims of a row.
    pub fn dims_of(&self, row: usize) -> Option<&BTreeMap<String, String>> {
        self.dims.get(row).and_then(|&d| self.dim_sets.get(d as usize))
    }

    /// The observations again, in canonical order.
    pub fn to_observations(&self) -> Vec<Observation> {
        let mut out: Vec<Observation> = Vec::with_capacity(self.date.len());
        for (m, id) in self.measure_ids.iter().enumerate() {
            let rows = self.start.get(m).copied().unwrap_or(0)..self.start.get(m + 1).copied().unwrap_or(0);
            for row in rows {
                out.push(Observation {
                    measure: id.clone(),
                    date: self.date.get(row).copied().unwrap_or_default(),
                    value: self.value.get(row).copied().unwrap_or(0.0),
                    dims: self.dims_of(row).cloned().unwrap_or_default(),
                    source: self
                        .source
                        .get(row)
                        .and_then(|&s| self.sources.get(s as usize))
                        .cloned()
                        .flatten(),
                });
            }
        }
        // Rows are canonical within a measure; measures are held in input order, so order by measure id (stable).
        out.sort_by(|a, b| a.measure.cmp(&b.measure));
        out
    }
}
