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

/// Puts the rows of four columns in `order` (row `i` receives the row at `order[i]`) where they lie, one cycle of
/// the permutation after another: no second set of columns is allocated (at 9 M rows, fresh pages cost more than
/// the moves), and rows already in order (as a model's own document writes them) are not moved. `order` is used
/// up: each position is marked done by pointing at itself.
fn permute<A: Copy, B: Copy, C: Copy, D: Copy>(
    order: &mut [u32],
    a: &mut [A],
    b: &mut [B],
    c: &mut [C],
    d: &mut [D],
) {
    let row =
        |a: &[A], b: &[B], c: &[C], d: &[D], i: usize| Some((*a.get(i)?, *b.get(i)?, *c.get(i)?, *d.get(i)?));
    for start in 0..order.len() {
        if order.get(start).is_none_or(|&o| o as usize == start) {
            continue;
        }
        let Some(first) = row(a, b, c, d, start) else {
            break;
        };
        let mut at = start;
        while let Some(slot) = order.get_mut(at) {
            let from = std::mem::replace(slot, at as u32) as usize;
            // A position already done (not a permutation: never from validation) ends the cycle too.
            let done = from == start || order.get(from).is_none_or(|&o| o as usize == from);
            let (va, vb, vc, vd) = if done {
                first
            } else {
                row(a, b, c, d, from).unwrap_or(first)
            };
            if let (Some(x), Some(y), Some(z), Some(w)) =
                (a.get_mut(at), b.get_mut(at), c.get_mut(at), d.get_mut(at))
            {
                (*x, *y, *z, *w) = (va, vb, vc, vd);
            }
            if done {
                break;
            }
            at = from;
        }
    }
}

/// Blocks smaller than this are moved row by row by [`permute`].
const MIN_BLOCK: usize = 64;

/// The largest `g` such that `order` moves whole blocks of `g` rows: every run of consecutive sources starts
/// and ends on a multiple of `g`, at both ends. A feed that arrives day by day, each day every measure for every
/// unit, is in the store's order a block of all units at a time (`g` = the number of units). Once under
/// [`MIN_BLOCK`], some size under it is returned at once.
fn block_size(order: &[u32]) -> usize {
    fn gcd(mut a: usize, mut b: usize) -> usize {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }
    let mut g = order.len();
    let mut prev: Option<u32> = None;
    for (i, &o) in order.iter().enumerate() {
        if prev.is_none_or(|p| p.wrapping_add(1) != o) {
            g = gcd(gcd(g, i), o as usize);
            if g < MIN_BLOCK {
                return g;
            }
        }
        prev = Some(o);
    }
    g
}

/// Puts the rows of `col` in the order of the blocks of `g` rows: block `k` receives the block at `from[k]`. One
/// cycle of blocks after another, through one block's room: whole blocks are copied, no second column is made.
fn permute_blocks<T: Copy>(col: &mut [T], from: &[u32], g: usize, room: &mut Vec<T>) {
    let mut done = vec![false; from.len()];
    for start in 0..from.len() {
        if done.get(start).is_none_or(|&d| d) || from.get(start).is_none_or(|&f| f as usize == start) {
            continue;
        }
        room.clear();
        room.extend_from_slice(col.get(start * g..start * g + g).unwrap_or(&[]));
        let mut at = start;
        loop {
            if let Some(d) = done.get_mut(at) {
                *d = true;
            }
            let src = from.get(at).map_or(start, |&f| f as usize);
            if src == start || done.get(src).is_none_or(|&d| d) {
                if let Some(dst) = col.get_mut(at * g..at * g + g) {
                    dst.copy_from_slice(room.get(..g).unwrap_or(&[]));
                }
                break;
            }
            if src * g + g <= col.len() && at * g + g <= col.len() {
                col.copy_within(src * g..src * g + g, at * g);
            }
            at = src;
        }
    }
}

/// Puts the rows of the four columns in `order` (row `i` receives the row at `order[i]`) where they lie: block by
/// block where `order` moves whole blocks of rows ([`block_size`]: a day's feed of every unit stays together),
/// else row by row ([`permute`]). Returns `order`'s room, no longer needed, for a column of the caller's.
fn put_in_order<A: Copy, B: Copy, C: Copy, D: Copy>(
    mut order: Vec<u32>,
    a: &mut [A],
    b: &mut [B],
    c: &mut [C],
    d: &mut [D],
) -> Vec<u32> {
    let n = order.len();
    if [a.len(), b.len(), c.len(), d.len()].iter().any(|&l| l != n) {
        return order;
    }
    let g = block_size(&order);
    if g < MIN_BLOCK || g == 0 || n % g != 0 {
        permute(&mut order, a, b, c, d);
        return order;
    }
    let from: Vec<u32> = order.iter().step_by(g).map(|&o| o / g as u32).collect();
    permute_blocks(a, &from, g, &mut Vec::with_capacity(g));
    permute_blocks(b, &from, g, &mut Vec::with_capacity(g));
    permute_blocks(c, &from, g, &mut Vec::with_capacity(g));
    permute_blocks(d, &from, g, &mut Vec::with_capacity(g));
    order
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
        let (mut date, mut value, mut dims, mut source) = (date, value, dims, source);
        // The order's room, used up, takes the slot column: no fresh pages for it.
        let mut slot = put_in_order(refs.order, &mut date, &mut value, &mut dims, &mut source);
        slot.clear();
        slot.extend(
            dims.iter()
                .map(|&d| set_slot.get(d as usize).copied().unwrap_or(NO_SLOT)),
        );
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

#[cfg(test)]
mod tests {
    use super::{block_size, permute, put_in_order, MIN_BLOCK};

    /// Every order of five rows (cycles of every length, the identity too) comes out as a gather of the rows at
    /// `order` would.
    #[test]
    fn permute_puts_every_order_in_place() {
        let all: Vec<Vec<u32>> = crate::store::every_order(5)
            .into_iter()
            .map(|o| o.into_iter().map(|i| i as u32).collect())
            .collect();
        assert_eq!(all.len(), 120);
        let a: Vec<u8> = vec![10, 11, 12, 13, 14];
        let b: Vec<f64> = vec![0.5, 1.5, 2.5, 3.5, 4.5];
        for order in all {
            let gather = |col: &[u8]| order.iter().map(|&i| col[i as usize]).collect::<Vec<_>>();
            let (mut pa, mut pb, mut pc, mut pd) = (a.clone(), b.clone(), a.clone(), a.clone());
            let mut o = order.clone();
            permute(&mut o, &mut pa, &mut pb, &mut pc, &mut pd);
            assert_eq!(pa, gather(&a), "{order:?}");
            let want_b: Vec<f64> = order.iter().map(|&i| b[i as usize]).collect();
            assert_eq!((pb, pc, pd), (want_b, gather(&a), gather(&a)), "{order:?}");
        }
    }

    /// Every order of five blocks of rows (whole blocks of `MIN_BLOCK` rows, and blocks one row short of moving
    /// as blocks) comes out of `put_in_order` as a gather of the rows at `order` would, and the order's room
    /// comes back.
    #[test]
    fn put_in_order_moves_whole_blocks_as_a_gather_would() {
        for g in [MIN_BLOCK, MIN_BLOCK + 3, MIN_BLOCK - 1, 1] {
            for blocks in crate::store::every_order(5) {
                let order: Vec<u32> = blocks
                    .iter()
                    .flat_map(|&b| (b * g..b * g + g).map(|i| i as u32))
                    .collect();
                let n = order.len();
                let a: Vec<u32> = (0..n as u32).collect();
                let b: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
                let gather = |col: &[u32]| order.iter().map(|&i| col[i as usize]).collect::<Vec<_>>();
                let (mut pa, mut pb, mut pc, mut pd) = (a.clone(), b.clone(), a.clone(), a.clone());
                let room = put_in_order(order.clone(), &mut pa, &mut pb, &mut pc, &mut pd);
                assert_eq!(room.len(), n);
                assert_eq!(pa, gather(&a), "{g} {blocks:?}");
                let want_b: Vec<f64> = order.iter().map(|&i| b[i as usize]).collect();
                assert_eq!((pb, pc, pd), (want_b, gather(&a), gather(&a)), "{g} {blocks:?}");
            }
        }
    }

    /// The block size is the largest that every run of consecutive sources starts and ends on, at both ends (or
    /// one under `MIN_BLOCK`).
    #[test]
    fn block_size_is_the_common_measure_of_the_runs() {
        let run = |from: u32, len: u32| from..from + len;
        let order: Vec<u32> = [run(128, 128), run(0, 128), run(256, 64)]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(block_size(&order), 64);
        let order: Vec<u32> = [run(130, 126), run(0, 130), run(256, 64)]
            .into_iter()
            .flatten()
            .collect();
        assert!(block_size(&order) < MIN_BLOCK);
        assert_eq!(block_size(&(0..1000).collect::<Vec<u32>>()), 1000);
        assert_eq!(block_size(&[]), 0);
    }
}
