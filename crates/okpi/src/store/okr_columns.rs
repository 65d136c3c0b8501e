//! Key results and objectives in columns, built once with the model: what the columnar evaluation
//! ([`crate::okr::evaluate_columns`]) reads per item, as flat arrays of small numbers in id order instead of
//! records (a key result's record is about 400 bytes with its strings and a read of it a cache miss; its columns
//! here are about 60). Checklists, definition versions, objectives' paces and manual updates and contributing
//! children are flat lists, each item's a range of them. The rarest parts (a key result's own pace, the
//! objective it links) stay in the records: a flag says when to read them.

use super::check_ins::Run;
use super::{KeyResults, ObjectiveNode};
use crate::id::Id;
use crate::idx::{CycleIx, Idx, IdxVec, KrIx, ObjIx};
use crate::model::{AlignmentMode, Checkpoint, KrKind, ProgressFrom, Rollup, Visibility};
use crate::validate::Definition;
use chrono::NaiveDate;

/// A key result has later definitions ([`OkrColumns::versions_of`]).
pub(crate) const KR_VERSIONS: u8 = 1;
/// A milestone with a checklist ([`OkrColumns::steps_of`]).
pub(crate) const KR_STEPS: u8 = 1 << 1;
/// A pace of its own: read it from its record (else the objective's expected progress holds).
pub(crate) const KR_OWN_PACE: u8 = 1 << 2;
/// Linked to a KPI metric: its check-ins are derived from observations.
pub(crate) const KR_KPI: u8 = 1 << 3;
/// Takes a linked objective's progress (read from its record): evaluated after that objective.
pub(crate) const KR_LINKED: u8 = 1 << 4;
/// A control key result that complies when its value equals the bound (`inclusive`, default true).
pub(crate) const KR_INCLUSIVE: u8 = 1 << 5;

/// A `by_value` roll-up applies (key results only, all of one increase/decrease kind and unit, each with a start).
pub(crate) const OBJ_BY_VALUE: u8 = 1 << 1;
/// Reads other objectives (counted children or linked key results): evaluated in dependency order.
pub(crate) const OBJ_DEFERRED: u8 = 1 << 2;
/// One of its key results links an objective ([`KR_LINKED`]): its key results wait for the objectives they read
/// (those of a deferred objective without it are evaluated with the objectives that read none).
pub(crate) const OBJ_LINKS: u8 = 1 << 3;

/// "None" in the definition columns: validation refuses non-finite starts, targets and bounds.
const NONE: f64 = f64::NAN;

/// A key result's definition: start, target and bound (NaN where absent) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Def {
    pub start: f64,
    pub target: f64,
    pub bound: f64,
    pub weight: f64,
}

impl Def {
    fn of(d: &Definition) -> Def {
        Def {
            start: d.start.unwrap_or(NONE),
            target: d.target.unwrap_or(NONE),
            bound: d.bound.unwrap_or(NONE),
            weight: d.weight,
        }
    }

    /// The definition as the record holds it, in force from `effective`.
    pub(crate) fn definition(self, effective: Option<NaiveDate>) -> Definition {
        let some = |v: f64| (!v.is_nan()).then_some(v);
        Definition {
            effective,
            start: some(self.start),
            target: some(self.target),
            bound: some(self.bound),
            weight: self.weight,
        }
    }
}

/// What an objective's evaluation reads besides its key results and children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjFacts {
    pub cycle: CycleIx,
    pub from: ProgressFrom,
    pub rollup: Option<Rollup>,
    pub visibility: Visibility,
    /// `OBJ_*` flags.
    pub flags: u8,
}

/// The columns. Key-result columns are in key-result order, objective columns in objective order.
#[derive(Debug, Clone, Default)]
pub(crate) struct OkrColumns {
    pub kr_kind: Vec<KrKind>,
    /// `KR_*` flags.
    pub kr_flags: Vec<u8>,
    pub kr_objective: Vec<ObjIx>,
    /// Each key result's id (its record's, shared): the record evaluation copies it into every result.
    pub kr_id: Vec<Id>,
    /// Each key result's original definition.
    pub kr_def: Vec<Def>,
    /// Where each key result's check-ins lie: [`KrNode::check_ins`], kept in step by
    /// [`crate::Model::apply_check_in`].
    pub kr_run: Vec<Run>,
    /// The key results linked to a KPI metric, ascending.
    pub kpi_linked: Vec<KrIx>,
    /// Key result `k`'s later definitions (each with every field resolved, in effective order) are
    /// `versions[kr_version_at[k]..kr_version_at[k + 1]]`.
    kr_version_at: Vec<u32>,
    versions: Vec<(NaiveDate, Def)>,
    /// Key result `k`'s checklist steps (weight, day done) are `steps[kr_step_at[k]..kr_step_at[k + 1]]`.
    kr_step_at: Vec<u32>,
    steps: Vec<(f64, Option<NaiveDate>)>,
    pub objectives: Vec<ObjFacts>,
    /// Objective `o`'s key results, in the record's order, are `obj_krs[obj_kr_at[o]..obj_kr_at[o + 1]]`.
    obj_kr_at: Vec<u32>,
    obj_krs: Vec<KrIx>,
    /// Whether `obj_krs` is every key result in id order (key results listed objective by objective, as ids named
    /// after their objective sort): then a key result's position in `obj_krs` is its index.
    pub krs_in_order: bool,
    /// Objective `o`'s contributing children (child, weight), in the record's order, are
    /// `children[obj_child_at[o]..obj_child_at[o + 1]]`.
    obj_child_at: Vec<u32>,
    children: Vec<(ObjIx, f64)>,
    /// Objective `o`'s phased pace is `paces[obj_pace_at[o]..obj_pace_at[o + 1]]` (empty: linear).
    obj_pace_at: Vec<u32>,
    paces: Vec<Checkpoint>,
    /// Objective `o`'s manual updates (day, progress), in the record's order, are
    /// `manual[obj_manual_at[o]..obj_manual_at[o + 1]]`.
    obj_manual_at: Vec<u32>,
    manual: Vec<(NaiveDate, f64)>,
    /// The objectives flagged [`OBJ_DEFERRED`], in dependency order.
    pub deferred: Vec<ObjIx>,
    /// The deferred objectives by level, so that a level's objectives can be evaluated at once (on several
    /// threads): level 0 reads no deferred objective, level `l + 1` reads some of level `l` and none above. Level
    /// `l` is `by_level[level_at[l]..level_at[l + 1]]`, in dependency order.
    by_level: Vec<ObjIx>,
    level_at: Vec<u32>,
}

impl OkrColumns {
    /// The columns of a model's key results and objectives; `order` is the objectives' dependency order.
    pub(crate) fn build(
        objectives: &IdxVec<ObjIx, ObjectiveNode>,
        key_results: &KeyResults,
        order: &[ObjIx],
    ) -> OkrColumns {
        let (n, m) = (key_results.len(), objectives.len());
        let mut c = OkrColumns {
            kr_kind: Vec::with_capacity(n),
            kr_flags: Vec::with_capacity(n),
            kr_objective: Vec::with_capacity(n),
            kr_id: Vec::with_capacity(n),
            kr_def: Vec::with_capacity(n),
            kr_run: Vec::with_capacity(n),
            kpi_linked: Vec::new(),
            kr_version_at: Vec::with_capacity(n + 1),
            versions: Vec::new(),
            kr_step_at: Vec::with_capacity(n + 1),
            steps: Vec::new(),
            objectives: Vec::with_capacity(m),
            obj_kr_at: Vec::with_capacity(m + 1),
            obj_krs: Vec::with_capacity(n),
            krs_in_order: false,
            obj_child_at: Vec::with_capacity(m + 1),
            children: Vec::new(),
            obj_pace_at: Vec::with_capacity(m + 1),
            paces: Vec::new(),
            obj_manual_at: Vec::with_capacity(m + 1),
            manual: Vec::new(),
            deferred: Vec::new(),
            by_level: Vec::new(),
            level_at: Vec::new(),
        };
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        let at = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        c.kr_version_at.push(0);
        c.kr_step_at.push(0);
        for (ix, k) in key_results.iter_enumerated() {
            let d = &k.def;
            c.kr_kind.push(d.kind);
            c.kr_flags.push(
                flag(k.definitions.len() > 1, KR_VERSIONS)
                    | flag(!d.steps.is_empty(), KR_STEPS)
                    | flag(!d.pace.is_empty(), KR_OWN_PACE)
                    | flag(d.link.is_some(), KR_KPI)
                    | flag(k.linked.is_some(), KR_LINKED)
                    | flag(d.inclusive.unwrap_or(true), KR_INCLUSIVE),
            );
            c.kr_objective.push(k.objective);
            c.kr_id.push(k.id.clone());
            c.kr_def.push(Def::of(k.original()));
            c.kr_run.push(k.check_ins);
            if d.link.is_some() {
                c.kpi_linked.push(ix);
            }
            let later = k.definitions.iter().skip(1);
            c.versions
                .extend(later.filter_map(|v| Some((v.effective?, Def::of(v)))));
            c.kr_version_at.push(at(c.versions.len()));
            c.steps.extend(d.steps.iter().map(|s| (s.weight, s.done_on)));
            c.kr_step_at.push(at(c.steps.len()));
        }
        c.obj_kr_at.push(0);
        c.obj_child_at.push(0);
        c.obj_pace_at.push(0);
        c.obj_manual_at.push(0);
        for o in objectives.iter() {
            let contributing = o
                .children
                .iter()
                .filter(|(_, e)| e.mode == AlignmentMode::Contributes);
            let start = c.children.len();
            c.children
                .extend(contributing.map(|(child, e)| (*child, e.weight)));
            c.obj_child_at.push(at(c.children.len()));
            let uses_children = matches!(o.def.progress_from, ProgressFrom::Children | ProgressFrom::Both)
                && c.children.len() > start;
            let links = o.krs.iter().any(|k| key_results.at(*k).linked.is_some());
            let by_value = o.def.progress_from == ProgressFrom::KeyResults
                && !o.krs.is_empty()
                && crate::by_value_eligible(o.krs.iter().map(|k| {
                    let def = &key_results.at(*k).def;
                    (def.kind, def.unit.as_deref(), def.start.is_some())
                }));
            c.objectives.push(ObjFacts {
                cycle: o.cycle,
                from: o.def.progress_from,
                rollup: o.def.rollup,
                visibility: o.def.visibility,
                flags: flag(by_value, OBJ_BY_VALUE)
                    | flag(uses_children || links, OBJ_DEFERRED)
                    | flag(links, OBJ_LINKS),
            });
            c.obj_krs.extend_from_slice(&o.krs);
            c.obj_kr_at.push(at(c.obj_krs.len()));
            c.paces.extend_from_slice(&o.def.pace);
            c.obj_pace_at.push(at(c.paces.len()));
            let updates = o.def.manual_updates.iter().map(|u| (u.date, u.progress));
            c.manual.extend(updates);
            c.obj_manual_at.push(at(c.manual.len()));
        }
        c.krs_in_order = c.obj_krs.len() == n && c.obj_krs.iter().enumerate().all(|(i, k)| k.index() == i);
        c.deferred = order
            .iter()
            .copied()
            .filter(|o| {
                c.objectives
                    .get(o.index())
                    .is_some_and(|f| f.flags & OBJ_DEFERRED != 0)
            })
            .collect();
        c.levels(key_results);
        c
    }

    /// Groups the deferred objectives by level ([`OkrColumns::levels`]): an objective's level is one above the
    /// highest of the deferred objectives it may read (its contributing children when it rolls them up, the
    /// objectives its key results link).
    fn levels(&mut self, key_results: &KeyResults) {
        let mut level: Vec<u32> = vec![0; self.objectives.len()];
        let mut top = 0;
        for &o in &self.deferred {
            let from = self.objectives.get(o.index()).map(|f| f.from);
            let rolls_up = matches!(from, Some(ProgressFrom::Children | ProgressFrom::Both));
            let children = self.children_of(o).iter().filter(|_| rolls_up).map(|c| c.0);
            let linked = self.krs_of(o).iter().filter_map(|k| key_results.at(*k).linked);
            let deferred = |r: &ObjIx| {
                self.objectives
                    .get(r.index())
                    .is_some_and(|f| f.flags & OBJ_DEFERRED != 0)
            };
            let l = children
                .chain(linked)
                .filter(deferred)
                .map(|r| level.get(r.index()).map_or(0, |&l| l + 1))
                .max()
                .unwrap_or(0);
            if let Some(slot) = level.get_mut(o.index()) {
                *slot = l;
            }
            top = top.max(l + 1);
        }
        let mut counts = vec![0u32; top as usize + 1];
        for &o in &self.deferred {
            if let Some(n) = level.get(o.index()).and_then(|&l| counts.get_mut(l as usize + 1)) {
                *n += 1;
            }
        }
        let mut sum = 0;
        self.level_at = counts
            .iter()
            .map(|&n| {
                sum += n;
                sum
            })
            .collect();
        let mut next = self.level_at.clone();
        self.by_level = vec![ObjIx::new(0); self.deferred.len()];
        for &o in &self.deferred {
            let at = level.get(o.index()).and_then(|&l| next.get_mut(l as usize));
            if let Some(at) = at {
                if let Some(slot) = self.by_level.get_mut(*at as usize) {
                    *slot = o;
                }
                *at += 1;
            }
        }
    }

    /// The deferred objectives level by level (see [`OkrColumns::levels`]): each level reads only objectives that
    /// are not deferred or of an earlier level.
    pub(crate) fn deferred_levels(&self) -> impl Iterator<Item = &[ObjIx]> {
        self.level_at.windows(2).filter_map(|w| {
            self.by_level
                .get(w.first().copied()? as usize..w.get(1).copied()? as usize)
        })
    }

    /// Objective `o`'s key results.
    pub(crate) fn krs_of(&self, o: ObjIx) -> &[KrIx] {
        range(&self.obj_krs, &self.obj_kr_at, o.index())
    }

    /// Where objective `o`'s key results lie in [`OkrColumns::positions`]: `o`'s key results are
    /// `positions()[kr_span(o)]`.
    pub(crate) fn kr_span(&self, o: usize) -> std::ops::Range<usize> {
        let bound = |i: usize| self.obj_kr_at.get(i).map_or(0, |&x| x as usize);
        bound(o)..bound(o + 1)
    }

    /// Every objective's key results, objective by objective (each key result once).
    pub(crate) fn positions(&self) -> &[KrIx] {
        &self.obj_krs
    }

    /// Objective `o`'s contributing children and their weights.
    pub(crate) fn children_of(&self, o: ObjIx) -> &[(ObjIx, f64)] {
        range(&self.children, &self.obj_child_at, o.index())
    }

    /// Objective `o`'s phased pace (empty: linear).
    pub(crate) fn pace_of(&self, o: ObjIx) -> &[Checkpoint] {
        range(&self.paces, &self.obj_pace_at, o.index())
    }

    /// Objective `o`'s manual updates: day and progress.
    pub(crate) fn manual_of(&self, o: ObjIx) -> &[(NaiveDate, f64)] {
        range(&self.manual, &self.obj_manual_at, o.index())
    }

    /// Key result `k`'s later definitions and the days they take effect, in effective order.
    pub(crate) fn versions_of(&self, k: KrIx) -> &[(NaiveDate, Def)] {
        range(&self.versions, &self.kr_version_at, k.index())
    }

    /// Key result `k`'s checklist steps: weight and the day done.
    pub(crate) fn steps_of(&self, k: KrIx) -> &[(f64, Option<NaiveDate>)] {
        range(&self.steps, &self.kr_step_at, k.index())
    }
}

/// Item `i`'s range of `items`, which starts at `at[i]` and ends at `at[i + 1]`.
fn range<'a, T>(items: &'a [T], at: &[u32], i: usize) -> &'a [T] {
    let bound = |i: usize| at.get(i).map_or(0, |&x| x as usize);
    items.get(bound(i)..bound(i + 1)).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use crate::idx::{Idx, ObjIx};
    use crate::model::AlignmentMode;

    #[test]
    fn columns_mirror_the_records() {
        let model = crate::Model::from_json(
            r#"{"schema_version": 1,
            "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
            "objectives": [{"id": "a", "cycle": "q", "progress_from": "both",
                            "pace": [{"date": "2026-02-01", "expected": 0.3}]},
                           {"id": "b", "cycle": "q", "progress_from": "manual",
                            "manual_updates": [{"date": "2026-01-10", "progress": 0.2}]},
                           {"id": "c", "cycle": "q"}],
            "alignments": [{"child": "b", "parent": "a", "weight": 2},
                           {"child": "c", "parent": "a", "mode": "supports"}],
            "key_results": [
              {"id": "k1", "objective": "a", "kind": "increase", "start": 0, "target": 10,
               "versions": [{"effective": "2026-02-01", "reason": "r", "target": 20}]},
              {"id": "k2", "objective": "c", "kind": "milestone",
               "steps": [{"title": "s", "weight": 2, "done_on": "2026-01-05"}, {"title": "t"}]},
              {"id": "k3", "objective": "b", "kind": "linked", "linked_objective": "c"}],
            "check_ins": [{"key_result": "k1", "date": "2026-01-03", "value": 4}]}"#,
        )
        .unwrap();
        let c = &model.okr;
        assert_eq!(c.kr_kind.len(), model.key_results.len());
        for (ix, k) in model.key_results.iter_enumerated() {
            let i = ix.index();
            assert_eq!(c.kr_kind[i], k.def.kind);
            assert_eq!(c.kr_objective[i], k.objective);
            assert_eq!(c.kr_id[i], k.id);
            assert_eq!(c.kr_def[i].definition(None), *k.original());
            assert_eq!(c.kr_run[i], k.check_ins);
            let versions: Vec<_> = c
                .versions_of(ix)
                .iter()
                .map(|&(e, d)| d.definition(Some(e)))
                .collect();
            assert_eq!(versions, k.definitions[1..]);
            let steps: Vec<_> = k.def.steps.iter().map(|s| (s.weight, s.done_on)).collect();
            assert_eq!(c.steps_of(ix), steps);
        }
        assert!(
            !c.versions.is_empty() && !c.steps.is_empty(),
            "the example has both"
        );
        for (ix, o) in model.objectives.iter_enumerated() {
            assert_eq!(c.krs_of(ix), &o.krs[..]);
            let children: Vec<_> = o
                .children
                .iter()
                .filter(|(_, e)| e.mode == AlignmentMode::Contributes)
                .map(|(c, e)| (*c, e.weight))
                .collect();
            assert_eq!(c.children_of(ix), children);
            assert_eq!(c.pace_of(ix), o.def.pace);
            let manual: Vec<_> = o
                .def
                .manual_updates
                .iter()
                .map(|u| (u.date, u.progress))
                .collect();
            assert_eq!(c.manual_of(ix), manual);
            assert_eq!(c.objectives[ix.index()].cycle, o.cycle);
        }
        // Deferred objectives keep the dependency order.
        let rank = |o: ObjIx| model.rank[o.index()];
        assert!(c.deferred.windows(2).all(|w| rank(w[0]) < rank(w[1])));
    }
}
