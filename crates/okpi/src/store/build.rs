//! `Document → Model`: validation checks the document, then the store takes its items over by value (no copy of
//! any objective, key result, check-in or observation) and arranges them as the model holds them.

use super::{
    Definitions, Ids, KeyResults, KpiDoc, KpiParts, KrMeta, Model, ObjectiveNode, PersonNode, UnitNode,
};
use crate::error::Error;
use crate::id::Id;
use crate::idx::{CycleIx, Idx, IdxVec, ObjIx};
use crate::limits::Limits;
use crate::model::Document;
use crate::validate::{check, Checked, Edge};

/// Validates a document into a [`Model`], or returns every problem found. The model takes the document over.
///
/// ```
/// let doc = okpi::Document::from_json(r#"{"schema_version": 1, "key_results": [
///     {"id": "kr1", "objective": "nope", "kind": "increase", "start": 5, "target": 5}]}"#).unwrap();
/// let err = okpi::validate(doc).unwrap_err();
/// let codes: Vec<_> = err.problems().iter().map(|p| p.code.as_str()).collect();
/// assert_eq!(codes, ["E_UNKNOWN_ID", "E_START_EQUALS_TARGET"]);
/// ```
pub fn validate(doc: Document) -> Result<Model, Error> {
    validate_with_limits(doc, &Limits::default())
}

/// Validates a document into a [`Model`] under `limits` (checked first: `E_SETTINGS` under `$.limits`), or
/// returns every problem found. A document with more objectives than `limits.objectives` is refused at once
/// (`E_LIMIT` at `$.objectives`), before any other check.
pub fn validate_with_limits(doc: Document, limits: &Limits) -> Result<Model, Error> {
    let checked = check(&doc, limits)?;
    Ok(assemble(doc, checked, limits))
}

/// [`validate_with_limits`] whose error is first handed to `or` with the document it is about, so that a caller
/// that gave the document away can still judge the error against it (a viewer's filter) without a copy.
pub(crate) fn validate_or(
    doc: Document,
    limits: &Limits,
    or: impl FnOnce(&Document, Error) -> Error,
) -> Result<Model, Error> {
    match check(&doc, limits) {
        Ok(checked) => Ok(assemble(doc, checked, limits)),
        Err(e) => Err(or(&doc, e)),
    }
}

/// Takes the items at `order` (input positions) out of `items`, in that order, each through `f`: see
/// [`reorder`]; no second array of items is made but the one `f` fills.
fn take_in<T, U>(items: Vec<T>, order: &[usize], f: impl FnMut(T) -> U) -> Vec<U> {
    reorder(items, order).into_iter().map(f).collect()
}

/// Past this many runs of consecutive positions, [`reorder`] follows the permutation's cycles instead.
const MAX_RUNS: usize = 32;

/// The items at `order` (input positions), in that order, put there where they lie. Items mostly keep their
/// neighbours (a document lists unit objectives, then personal ones: id order puts the two groups the other way
/// round), so `order` is a few runs of consecutive positions: each run is rotated into place whole (a `memmove`
/// of the items between). Past [`MAX_RUNS`] runs, the permutation is followed one cycle after another (ids out
/// of order are mostly out of order nearby, as `k10` before `k2`).
fn reorder<T>(mut items: Vec<T>, order: &[usize]) -> Vec<T> {
    let n = items.len();
    if order.len() != n {
        return items;
    }
    // The runs of `order`: `(first position, length)`, in output order.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &p in order {
        if let Some((first, len)) = runs.last_mut() {
            if *first + *len == p {
                *len += 1;
                continue;
            }
        }
        if runs.len() == MAX_RUNS {
            return by_cycles(items, order);
        }
        runs.push((p, 1));
    }
    if runs.len() == 1 {
        return items;
    }
    // The runs as they now lie, in input order; the first `k` are in place.
    let mut lying: Vec<(usize, usize)> = runs.clone();
    lying.sort_unstable();
    let mut at = 0;
    for (k, &(first, len)) in runs.iter().enumerate() {
        let Some(j) = lying.iter().skip(k).position(|r| r.0 == first).map(|j| j + k) else {
            return by_cycles(items, order); // not a permutation: never from validation
        };
        let end = at + lying.iter().skip(k).take(j + 1 - k).map(|r| r.1).sum::<usize>();
        if let Some(span) = items.get_mut(at..end) {
            let mid = span.len().saturating_sub(len);
            rotate_left(span, mid);
        }
        let run = lying.remove(j);
        lying.insert(k, run);
        at += len;
    }
    items
}

/// `s[mid..]` then `s[..mid]`, by swaps of whole blocks (Gries and Mills): each swap puts one block where it
/// ends, and every swap runs through memory in order. `slice::rotate_left` moves items of a key result's size
/// (320 bytes) one by one along the rotation's cycles, a cache miss each: three times slower at 700,000.
fn rotate_left<T>(mut s: &mut [T], mut mid: usize) {
    while mid > 0 && mid < s.len() {
        let rest = s.len() - mid;
        if mid <= rest {
            // [A B1 B2] with |B2| = |A|: swapping A and B2 puts A at the end; [B2 B1] is rotated by |A| next.
            let Some((head, tail)) = s.split_at_mut_checked(rest) else {
                return;
            };
            if let Some(a) = head.get_mut(..mid) {
                a.swap_with_slice(tail);
            }
            s = head;
        } else {
            // [A1 A2 B] with |A1| = |B|: swapping A1 and B puts B at the front; [A2 A1] is rotated by |A2| next.
            let Some((head, tail)) = s.split_at_mut_checked(rest) else {
                return;
            };
            if let Some(b) = tail.get_mut(mid - rest..) {
                head.swap_with_slice(b);
            }
            s = tail;
            mid -= rest;
        }
    }
}

/// The items at `order`, put in order one cycle of the permutation after another.
fn by_cycles<T>(mut items: Vec<T>, order: &[usize]) -> Vec<T> {
    let n = items.len();
    let mut placed = vec![false; n];
    for start in 0..n {
        if placed.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut at = start;
        loop {
            // `at` receives the item now at `order[at]`; the item it held moves on there.
            let from = order.get(at).copied().unwrap_or(start);
            if let Some(p) = placed.get_mut(at) {
                *p = true;
            }
            if from == start || from >= n || placed.get(from).copied().unwrap_or(true) {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
    items
}

/// Builds the model from a document that passed every check.
fn assemble(doc: Document, checked: Checked, limits: &Limits) -> Model {
    let Checked { org, okr, graph, obs } = checked;
    let Document {
        schema_version,
        cycles,
        org_units,
        people,
        objectives,
        key_results,
        check_ins,
        alignments,
        measures,
        metrics,
        observations,
        targets,
        scorecards,
        mut alert_rules,
    } = doc;
    let cycles = reorder(cycles, &org.cycle_order);
    let units: Vec<UnitNode> = take_in(org_units, &org.unit_order, |u| UnitNode {
        parent: u.parent.as_ref().and_then(|p| org.units.get(p.as_str()).copied()),
        def: u,
    });
    let people = take_in(people, &org.person_order, |p| PersonNode {
        unit: p.unit.as_ref().and_then(|u| org.units.get(u.as_str()).copied()),
        def: p,
    });
    // Each objective's lists are made at their final size: key results and alignment edges are counted first.
    let mut sizes = vec![[0u32; 3]; objectives.len()];
    let mut count = |o: Option<ObjIx>, i: usize| {
        if let Some(n) = o
            .and_then(|o| sizes.get_mut(o.index()))
            .and_then(|s| s.get_mut(i))
        {
            *n += 1;
        }
    };
    okr.kr_objective.iter().for_each(|&o| count(o, 0));
    for &(child, parent) in okr.alignments.iter().flatten() {
        count(Some(parent), 1);
        count(Some(child), 2);
    }
    let mut sizes = sizes.into_iter();
    let mut objective_ids = okr.objectives.ids().iter();
    let mut objectives: IdxVec<ObjIx, ObjectiveNode> =
        IdxVec::from_vec(take_in(objectives, &okr.objective_order, |o| {
            let [krs, children, parents] = sizes.next().unwrap_or_default().map(|n| n as usize);
            ObjectiveNode {
                cycle: org
                    .cycles
                    .get(o.cycle.as_str())
                    .copied()
                    .unwrap_or(CycleIx::new(0)),
                id: objective_ids.next().cloned().unwrap_or_else(|| Id::from(&o.id)),
                def: o,
                krs: Vec::with_capacity(krs),
                children: Vec::with_capacity(children),
                parents: Vec::with_capacity(parents),
                linked_by: Vec::new(),
            }
        }));
    let kr_objective: Vec<Option<ObjIx>> = okr
        .kr_order
        .iter()
        .map(|&p| okr.kr_objective.get(p).copied().flatten())
        .collect();
    let mut kr_objective = kr_objective.into_iter();
    let mut kr_ids = okr.key_results.ids().iter();
    // The key results stay where the document holds them, put in id order there; only what was resolved about
    // each is new.
    let key_results = reorder(key_results, &okr.kr_order);
    let (check_ins, runs) = super::check_ins::Columns::build(check_ins, &okr.check_in_kr, key_results.len());
    let mut runs = runs.into_iter();
    let nodes: Vec<KrMeta> = key_results
        .iter()
        .map(|k| KrMeta {
            objective: kr_objective.next().flatten().unwrap_or(ObjIx::new(0)),
            linked: k
                .linked_objective
                .as_ref()
                .and_then(|l| okr.objectives.get(l.as_str()).copied()),
            definitions: Definitions::of(k),
            id: kr_ids.next().cloned().unwrap_or_else(|| Id::from(&k.id)),
            check_ins: runs.next().unwrap_or_default(),
        })
        .collect();
    let key_results = KeyResults::new(key_results, nodes);
    for (ix, kr) in key_results.iter_enumerated() {
        objectives.at_mut(kr.objective).krs.push(ix);
        if let Some(l) = kr.linked {
            objectives.at_mut(l).linked_by.push(ix);
        }
    }
    for (a, ends) in alignments.iter().zip(&okr.alignments) {
        if let Some((child, parent)) = *ends {
            let edge = Edge {
                weight: a.weight,
                mode: a.mode,
            };
            objectives.at_mut(parent).children.push((child, edge));
            objectives.at_mut(child).parents.push((parent, edge));
        }
    }
    drop(alignments);
    for o in objectives.iter_mut() {
        o.children.sort_by_key(|(c, _)| *c);
        o.parents.sort_by_key(|(p, _)| *p);
    }
    let okr_columns = super::okr_columns::OkrColumns::build(&objectives, &key_results, &graph.order);
    let units = IdxVec::from_vec(units);
    let kpi = KpiParts::new(
        KpiDoc {
            measures,
            metrics,
            observations,
            targets,
            scorecards,
        },
        &units,
        obs,
        limits,
    );
    alert_rules.sort_by(|a, b| a.id.cmp(&b.id));
    let alert_person = alert_rules
        .iter()
        .map(|r| org.people.contains_key(r.scope.as_str()))
        .collect();
    Model {
        kpi,
        alert_rules,
        alert_person,
        schema_version,
        cycle_ids: IdxVec::from_vec(org.cycles.ids().to_vec()),
        cycles: IdxVec::from_vec(cycles),
        unit_ids: IdxVec::from_vec(org.units.ids().to_vec()),
        units,
        people: IdxVec::from_vec(people),
        objectives,
        key_results,
        check_ins,
        okr: okr_columns,
        rank: {
            let mut rank = vec![0; graph.order.len()];
            for (r, o) in graph.order.iter().enumerate() {
                if let Some(slot) = rank.get_mut(o.index()) {
                    *slot = r;
                }
            }
            rank
        },
        ids: Ids {
            cycles: org.cycles,
            units: org.units,
            people: org.people,
            key_results: okr.key_results,
        },
        limits: limits.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::{by_cycles, reorder, rotate_left, take_in, MAX_RUNS};

    /// Every order of five items (one permutation after another, cycles of every length) comes out as a
    /// gather of the items at `order` would.
    #[test]
    fn take_in_puts_every_permutation_in_order() {
        let all = crate::store::every_order(5);
        assert_eq!(all.len(), 120);
        let items: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).into();
        for order in all {
            let want: Vec<String> = order.iter().filter_map(|&p| items.get(p).cloned()).collect();
            assert_eq!(take_in(items.clone(), &order, |s| s), want, "{order:?}");
        }
    }

    /// Runs of every order, of one item and of several, come out of `reorder` as a gather would; so do orders of
    /// too many runs, and the cycle walk alone.
    #[test]
    fn reorder_rotates_runs_into_place() {
        for sizes in [[1, 1, 1, 1, 1], [3, 1, 4, 1, 5], [2, 7, 1, 8, 2]] {
            let n: usize = sizes.iter().sum();
            let starts: Vec<usize> = sizes
                .iter()
                .scan(0, |a, &l| Some(std::mem::replace(a, *a + l)))
                .collect();
            let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            for runs in crate::store::every_order(5) {
                let order: Vec<usize> = runs
                    .iter()
                    .flat_map(|&r| starts[r]..starts[r] + sizes[r])
                    .collect();
                let want: Vec<String> = order.iter().map(|&p| items[p].clone()).collect();
                assert_eq!(reorder(items.clone(), &order), want, "{sizes:?} {runs:?}");
                assert_eq!(by_cycles(items.clone(), &order), want, "{sizes:?} {runs:?}");
            }
        }
        let n = 3 * MAX_RUNS;
        let order: Vec<usize> = (0..n).rev().collect();
        let items: Vec<usize> = (0..n).collect();
        assert_eq!(reorder(items, &order), order);
    }

    /// Every rotation of slices of up to 12 items comes out of the block swaps as `slice::rotate_left` makes it.
    #[test]
    fn rotate_left_by_block_swaps_is_a_rotation() {
        for n in 0..12 {
            for mid in 0..=n + 1 {
                let mut got: Vec<usize> = (0..n).collect();
                rotate_left(&mut got, mid);
                let mut want: Vec<usize> = (0..n).collect();
                want.rotate_left(mid.min(n) % n.max(1));
                assert_eq!(got, want, "{n} {mid}");
            }
        }
    }
}
