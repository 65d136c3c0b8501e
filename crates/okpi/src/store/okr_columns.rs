//! Key results and objectives in columns, built once with the model: what the columnar evaluation
//! ([`crate::okr::evaluate_columns`]) reads per item, as flat arrays of small numbers in id order instead of
//! records (a key result's record is about 400 bytes with its strings; its columns here are 54). The rare parts
//! (definition versions, checklists, own pace, manual updates, alignment edges, linked objectives) stay in the
//! records: a flag says when to read them.

use super::check_ins::Run;
use super::{KrNode, ObjectiveNode};
use crate::idx::{CycleIx, Idx, IdxVec, KrIx, ObjIx};
use crate::model::{AlignmentMode, KrKind, ObjectiveKind, ProgressFrom, Rollup, Visibility};
use crate::validate::Definition;

/// A key result has later definitions: read the one in force from its record.
pub(crate) const KR_VERSIONS: u8 = 1;
/// A milestone with a checklist: read the steps from its record.
pub(crate) const KR_STEPS: u8 = 1 << 1;
/// A pace of its own: read it from its record (else the objective's expected progress holds).
pub(crate) const KR_OWN_PACE: u8 = 1 << 2;
/// Linked to a KPI metric: its check-ins are derived from observations.
pub(crate) const KR_KPI: u8 = 1 << 3;
/// Takes a linked objective's progress: evaluated after that objective.
pub(crate) const KR_LINKED: u8 = 1 << 4;
/// A control key result that complies when its value equals the bound (`inclusive`, default true).
pub(crate) const KR_INCLUSIVE: u8 = 1 << 5;

/// An objective has a phased pace: read it from its record.
pub(crate) const OBJ_OWN_PACE: u8 = 1;
/// A `by_value` roll-up applies (key results only, all of one increase/decrease kind and unit, each with a start).
pub(crate) const OBJ_BY_VALUE: u8 = 1 << 1;
/// Reads other objectives (counted children or linked key results): evaluated in dependency order.
pub(crate) const OBJ_DEFERRED: u8 = 1 << 2;

/// "None" in the definition columns: validation refuses non-finite starts, targets and bounds.
const NONE: f64 = f64::NAN;

/// A key result's original definition: start, target and bound (NaN where absent) and weight.
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

    /// The definition as the record holds it.
    pub(crate) fn definition(self) -> Definition {
        let some = |v: f64| (!v.is_nan()).then_some(v);
        Definition {
            effective: None,
            start: some(self.start),
            target: some(self.target),
            bound: some(self.bound),
            weight: self.weight,
        }
    }
}

/// What an objective's evaluation reads besides its key results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjFacts {
    pub cycle: CycleIx,
    pub from: ProgressFrom,
    pub rollup: Option<Rollup>,
    pub kind: ObjectiveKind,
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
    pub kr_def: Vec<Def>,
    /// Where each key result's check-ins lie: [`KrNode::check_ins`], kept in step by
    /// [`crate::Model::apply_check_in`].
    pub kr_run: Vec<Run>,
    /// The key results linked to a KPI metric, ascending.
    pub kpi_linked: Vec<KrIx>,
    pub objectives: Vec<ObjFacts>,
    /// Objective `o`'s key results are `obj_krs[obj_kr_at[o]..obj_kr_at[o + 1]]`, in the record's order.
    pub obj_kr_at: Vec<u32>,
    pub obj_krs: Vec<KrIx>,
    /// The objectives flagged [`OBJ_DEFERRED`], in dependency order.
    pub deferred: Vec<ObjIx>,
}

impl OkrColumns {
    /// The columns of a model's key results and objectives; `order` is the objectives' dependency order.
    pub(crate) fn build(
        objectives: &IdxVec<ObjIx, ObjectiveNode>,
        key_results: &IdxVec<KrIx, KrNode>,
        order: &[ObjIx],
    ) -> OkrColumns {
        let n = key_results.len();
        let mut c = OkrColumns {
            kr_kind: Vec::with_capacity(n),
            kr_flags: Vec::with_capacity(n),
            kr_objective: Vec::with_capacity(n),
            kr_def: Vec::with_capacity(n),
            kr_run: Vec::with_capacity(n),
            kpi_linked: Vec::new(),
            objectives: Vec::with_capacity(objectives.len()),
            obj_kr_at: Vec::with_capacity(objectives.len() + 1),
            obj_krs: Vec::with_capacity(n),
            deferred: Vec::new(),
        };
        for (ix, k) in key_results.iter_enumerated() {
            let d = &k.def;
            let flag = |on: bool, f: u8| if on { f } else { 0 };
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
            c.kr_def.push(Def::of(k.original()));
            c.kr_run.push(k.check_ins);
            if d.link.is_some() {
                c.kpi_linked.push(ix);
            }
        }
        c.obj_kr_at.push(0);
        for o in objectives.iter() {
            let uses_children = matches!(o.def.progress_from, ProgressFrom::Children | ProgressFrom::Both)
                && o.children
                    .iter()
                    .any(|(_, e)| e.mode == AlignmentMode::Contributes);
            let links = o.krs.iter().any(|k| key_results.at(*k).linked.is_some());
            let by_value = o.def.progress_from == ProgressFrom::KeyResults
                && !o.krs.is_empty()
                && crate::by_value_eligible(o.krs.iter().map(|k| {
                    let def = &key_results.at(*k).def;
                    (def.kind, def.unit.as_deref(), def.start.is_some())
                }));
            let flag = |on: bool, f: u8| if on { f } else { 0 };
            c.objectives.push(ObjFacts {
                cycle: o.cycle,
                from: o.def.progress_from,
                rollup: o.def.rollup,
                kind: o.def.kind,
                visibility: o.def.visibility,
                flags: flag(!o.def.pace.is_empty(), OBJ_OWN_PACE)
                    | flag(by_value, OBJ_BY_VALUE)
                    | flag(uses_children || links, OBJ_DEFERRED),
            });
            c.obj_krs.extend_from_slice(&o.krs);
            c.obj_kr_at
                .push(u32::try_from(c.obj_krs.len()).unwrap_or(u32::MAX));
        }
        c.deferred = order
            .iter()
            .copied()
            .filter(|o| {
                c.objectives
                    .get(o.index())
                    .is_some_and(|f| f.flags & OBJ_DEFERRED != 0)
            })
            .collect();
        c
    }

    /// Objective `o`'s key results.
    pub(crate) fn krs_of(&self, o: ObjIx) -> &[KrIx] {
        let at = |i: usize| self.obj_kr_at.get(i).map_or(0, |&x| x as usize);
        self.obj_krs.get(at(o.index())..at(o.index() + 1)).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use crate::idx::{Idx, KrIx, ObjIx};

    #[test]
    fn columns_mirror_the_records() {
        let model = crate::Model::from_json(include_str!("../../../../examples/data/quarter.json")).unwrap();
        let c = &model.okr;
        assert_eq!(c.kr_kind.len(), model.key_results.len());
        for (ix, k) in model.key_results.iter_enumerated() {
            let i = ix.index();
            assert_eq!(c.kr_kind[i], k.def.kind);
            assert_eq!(c.kr_objective[i], k.objective);
            assert_eq!(c.kr_def[i].definition(), *k.original());
            assert_eq!(c.kr_run[i], k.check_ins);
            assert!(model.okr.krs_of(k.objective).contains(&KrIx::new(i)));
        }
        for (ix, o) in model.objectives.iter_enumerated() {
            assert_eq!(c.krs_of(ix), &o.krs[..]);
            assert_eq!(c.objectives[ix.index()].cycle, o.cycle);
        }
        // Deferred objectives keep the dependency order.
        let rank = |o: ObjIx| model.rank[o.index()];
        assert!(c.deferred.windows(2).all(|w| rank(w[0]) < rank(w[1])));
    }
}
