//! Observations as the model holds them: compact columns (no allocation per observation), grouped by measure
//! and sorted by date, each with its unit as a position in the org tree's pre-order so that a unit's whole subtree
//! is one range of positions (house rule 3: ids resolved once, hot loops on indexes).

use super::UnitNode;
use crate::idx::{Idx, IdxVec, UnitIx};
use crate::model::Observations;
use crate::validate::ObsRefs;
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
/// within a day, by dims and source (a canonical order, whatever the input order). The columns are the document's
/// [`Observations`], taken over and put in that order; the dictionaries are its own.
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
    /// Builds the store from validated observations and what validation resolved about them: each dim set's unit
    /// index (`u32::MAX`: none) and the rows in canonical order, grouped by measure position.
    pub fn new(
        observations: Observations,
        measure_ids: &[String],
        units: &IdxVec<UnitIx, UnitNode>,
        refs: ObsRefs,
    ) -> Store {
        let tree = UnitOrder::new(units);
        let measures: HashMap<String, usize> = measure_ids
            .iter()
            .enumerate()
            .map(|(i, m)| (m.clone(), i))
            .collect();
        let set_slot: Vec<u32> = refs
            .unit
            .iter()
            .map(|&u| {
                tree.pre
                    .get(u as usize)
                    .copied()
                    .filter(|_| u != u32::MAX)
                    .unwrap_or(NO_SLOT)
            })
            .collect();
        let Observations {
            date,
            value,
            dims,
            source,
            dim_sets,
            mut sources,
            ..
        } = observations;
        if sources.is_empty() {
            sources.push(None);
        }
        let order = refs.order;
        // Rows already in canonical order (as a model's own document writes them) are taken over as they are;
        // others are gathered in one pass over the order, every column at once.
        let in_order = order.len() == date.len() && order.iter().enumerate().all(|(i, &o)| i == o as usize);
        let slot_of = |d: u32| set_slot.get(d as usize).copied().unwrap_or(NO_SLOT);
        let (date, value, dims, source, slot) = if in_order {
            let slot = dims.iter().map(|&d| slot_of(d)).collect();
            (date, value, dims, source, slot)
        } else {
            let n = order.len();
            let mut out = (
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
                Vec::with_capacity(n),
            );
            for &i in &order {
                let i = i as usize;
                let d = dims.get(i).copied().unwrap_or_default();
                out.0.push(date.get(i).copied().unwrap_or_default());
                out.1.push(value.get(i).copied().unwrap_or_default());
                out.2.push(d);
                out.3.push(source.get(i).copied().unwrap_or_default());
                out.4.push(slot_of(d));
            }
            out
        };
        Store {
            measures,
            start: refs.start,
            date,
            value,
            slot,
            source,
            dims,
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

    /// The observations again, in canonical order (measures by id).
    pub fn to_observations(&self) -> Observations {
        let mut by_id: Vec<usize> = (0..self.measure_ids.len()).collect();
        by_id.sort_by(|&a, &b| self.measure_ids.get(a).cmp(&self.measure_ids.get(b)));
        let rows = by_id.into_iter().flat_map(|m| {
            let lo = self.start.get(m).copied().unwrap_or(0);
            let hi = self.start.get(m + 1).copied().unwrap_or(lo);
            (lo..hi).map(move |row| {
                (
                    m as u32,
                    self.date.get(row).copied().unwrap_or_default(),
                    self.value.get(row).copied().unwrap_or(0.0),
                    self.dims.get(row).copied().unwrap_or(0),
                    self.source.get(row).copied().unwrap_or(0),
                )
            })
        });
        Observations::from_columns(
            self.measure_ids.clone(),
            self.dim_sets.clone(),
            self.sources.clone(),
            rows,
        )
    }
}
