//! The OKR engine (DOMAIN.md §1–4): key-result progress, roll-up over the alignment DAG, pace, status,
//! confidence and scores, with incremental re-evaluation and explanations.

mod columns;
mod explain;
mod incremental;
mod kr;
mod mean;
mod objective;
mod pace;
#[cfg(feature = "parallel")]
mod parallel;
mod score;
mod status;

pub use columns::{evaluate_columns, EvaluationColumns};
pub use explain::{Explanation, Quantity};
pub(crate) use kr::raw_progress;
pub use kr::{bound_progress, kr_progress};
pub use pace::{elapsed, expected};
#[cfg(feature = "parallel")]
pub use parallel::evaluate_parallel;
pub use score::{confidence_band, expected_score, mean_confidence_band, score};
pub use status::{status, StatusInput};

use crate::error::Error;
use crate::id::Id;
use crate::idx::{CycleIx, Idx, KrIx, ObjIx};
use crate::link::AllDerived;
use crate::model::KrKind;
use crate::report::{Evaluation, KrResult, MaybeF64, ObjectiveResult};
use crate::settings::Settings;
use crate::store::okr_columns::{KR_KPI, KR_LINKED, OBJ_DEFERRED};
use crate::store::Model;
use chrono::NaiveDate;
use kr::Parent;

/// Evaluates every key result and objective of `model` as of `as_of`.
///
/// Settings are checked first; a setting out of range is an [`Error`] of kind `Settings` with paths under `$.settings`.
pub fn evaluate(model: &Model, as_of: NaiveDate, settings: &Settings) -> Result<Evaluation, Error> {
    evaluate_with(model, as_of, settings)
}

fn evaluate_with(model: &Model, as_of: NaiveDate, settings: &Settings) -> Result<Evaluation, Error> {
    settings.check()?;
    let derived = crate::link::derive_all(model, as_of);
    let elapsed = pace::elapsed_by_cycle(model, as_of);
    let at = At {
        as_of,
        settings,
        elapsed: &elapsed,
    };
    let c = &model.okr;
    // A key result reads only the model, its check-ins and, when it takes an objective's progress, that
    // objective's result. So every key result that links no objective is evaluated first, in key-result order:
    // one walk through the key results and their check-in runs, which lie in that order. Key results sorted by
    // id usually come in runs of one objective's: what they read of it is worked out once per run, and when a
    // run holds all of an objective's key results and the objective reads no other objective, it is rolled up
    // at the end of the run, while its key results' records are still in the cache.
    //
    // Every objective slot is overwritten: the dependency order holds every objective once, and each objective
    // not rolled up in the walk is evaluated there, writing its linked key results (empty placeholders until
    // then); a slot is read only after it is written (children and linked objectives come first). Placeholders
    // (no allocation) spare an `Option` per slot and a final copy of every result.
    let mut krs: Vec<KrResult> = Vec::with_capacity(model.key_results.len());
    let mut objectives: Vec<ObjectiveResult> = vec![placeholder_objective(); model.objectives.len()];
    let mut rolled_up = vec![false; model.objectives.len()];
    let mut terms = Vec::new();
    let mut run: Option<Run<'_>> = None;
    for i in 0..model.key_results.len() {
        let k = KrIx::new(i);
        let o = c
            .kr_objective
            .get(i)
            .copied()
            .unwrap_or_else(|| model.key_results.at(k).objective);
        let parent = match run {
            Some(r) if r.objective == o => r.parent,
            _ => {
                if let Some(r) = run {
                    r.roll_up(model, &krs, &mut objectives, &mut rolled_up, &mut terms, at);
                }
                run.insert(Run {
                    objective: o,
                    parent: Parent::of(model, o, &at),
                    start: krs.len(),
                })
                .parent
            }
        };
        let flags = c.kr_flags.get(i).copied().unwrap_or(0);
        krs.push(if flags & KR_LINKED != 0 {
            placeholder_kr()
        } else {
            let from_kpi = (flags & KR_KPI != 0)
                .then(|| crate::link::slot(&derived, k))
                .flatten();
            kr::evaluate_kr(model, k, &parent, None, from_kpi, at)
        });
    }
    if let Some(r) = run {
        r.roll_up(model, &krs, &mut objectives, &mut rolled_up, &mut terms, at);
    }
    for &ix in &model.order {
        if !rolled_up.get(ix.index()).copied().unwrap_or(false) {
            evaluate_in_place(
                model,
                ix,
                &mut krs,
                &mut objectives,
                Some(&derived),
                at,
                true,
                &mut terms,
            );
        }
    }
    Ok(Evaluation {
        as_of,
        settings: settings.clone(),
        key_results: krs,
        objectives,
    })
}

/// A run of consecutive key results (in key-result order) of one objective, from `start` in the results.
#[derive(Clone, Copy)]
struct Run<'a> {
    objective: ObjIx,
    parent: Parent<'a>,
    start: usize,
}

impl Run<'_> {
    /// Rolls the objective up from the run's results when the run holds all its key results and the objective
    /// reads no other objective (no counted children, no linked key result), and marks it rolled up.
    fn roll_up(
        &self,
        model: &Model,
        krs: &[KrResult],
        objectives: &mut Vec<ObjectiveResult>,
        rolled_up: &mut [bool],
        terms: &mut Vec<objective::Term>,
        at: At<'_>,
    ) {
        let c = &model.okr;
        let o = self.objective;
        let independent = c
            .objectives
            .get(o.index())
            .is_some_and(|f| f.flags & OBJ_DEFERRED == 0);
        let own = krs.get(self.start..).unwrap_or_default();
        if !independent || own.len() != c.krs_of(o).len() {
            return;
        }
        let result =
            objective::evaluate_objective(model, o, &self.parent, own.iter(), &*objectives, terms, at);
        if let (Some(slot), Some(done)) = (objectives.get_mut(o.index()), rolled_up.get_mut(o.index())) {
            *slot = result;
            *done = true;
        }
    }
}

/// An empty key-result slot. Its kind is `linked`: after a full pass's first walk only the key results that link
/// an objective still hold one, and [`evaluate_in_place`] reads that kind as "still to fill".
fn placeholder_kr() -> KrResult {
    KrResult {
        id: Id::default(),
        objective: Id::default(),
        kind: KrKind::Linked,
        current: MaybeF64::NONE,
        progress: 0.0,
        progress_original: MaybeF64::NONE,
        expected: 0.0,
        status: crate::report::Status::NotStarted,
        confidence: MaybeF64::NONE,
        confidence_band: None,
        compliance: MaybeF64::NONE,
        score: 0.0,
        score_band: crate::report::ScoreBand::Red,
        weight: 0.0,
        definition: crate::report::DefinitionInForce {
            effective: None,
            start: MaybeF64::NONE,
            target: MaybeF64::NONE,
            bound: MaybeF64::NONE,
        },
        flags: crate::report::Flags::default(),
        link: None,
    }
}

fn placeholder_objective() -> ObjectiveResult {
    ObjectiveResult {
        id: Id::default(),
        cycle: Id::default(),
        kind: crate::model::ObjectiveKind::Committed,
        progress: 0.0,
        expected: 0.0,
        status: crate::report::Status::NotStarted,
        confidence: MaybeF64::NONE,
        confidence_band: None,
        score: 0.0,
        score_band: crate::report::ScoreBand::Red,
        expected_score: 0.0,
        score_final: false,
        rollup: crate::model::Rollup::Weighted,
        sources: Vec::new(),
        flags: crate::report::Flags::default(),
    }
}

/// Evaluates objective `ix` and its key results into the slots, reading children and linked objectives that
/// the dependency order has already filled.
///
/// `derived` holds the check-ins of key results linked to a KPI metric. Without it (an incremental pass) those
/// key results keep the result already in their slot: it depends only on the observations and as_of, which a
/// new check-in does not change (a linked key result refuses manual check-ins). `terms` is the roll-up's buffer,
/// kept by the caller from one objective to the next.
#[allow(clippy::too_many_arguments)]
pub(crate) fn evaluate_in_place<K: Slots<KrResult>, O: Slots<ObjectiveResult>>(
    model: &Model,
    ix: ObjIx,
    krs: &mut K,
    objectives: &mut O,
    derived: Option<&AllDerived>,
    at: At<'_>,
    unlinked_done: bool,
    terms: &mut Vec<objective::Term>,
) {
    let c = &model.okr;
    let parent = Parent::of(model, ix, &at);
    let own = c.krs_of(ix);
    for &k in own {
        let flags = c.kr_flags.get(k.index()).copied().unwrap_or(0);
        // After the first pass only the key results that link an objective are left to fill.
        if unlinked_done && flags & KR_LINKED == 0 {
            continue;
        }
        let from_kpi = match (derived, flags & KR_KPI != 0) {
            (Some(all), true) => crate::link::slot(all, k),
            (None, true) if krs.slot(k.index()).is_some() => continue,
            _ => None,
        };
        let linked = (flags & KR_LINKED != 0)
            .then(|| model.key_results.at(k).linked)
            .flatten()
            .and_then(|l| objectives.slot(l.index()));
        let result = kr::evaluate_kr(model, k, &parent, linked, from_kpi, at);
        krs.put(k.index(), result);
    }
    let krs = &*krs;
    let own = own.iter().filter_map(|k| krs.slot(k.index()));
    let result = objective::evaluate_objective(model, ix, &parent, own, &*objectives, terms, at);
    objectives.put(ix.index(), result);
}

/// The date and settings of a pass, and each cycle's elapsed share at the date (by cycle position).
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub as_of: NaiveDate,
    pub settings: &'a Settings,
    pub elapsed: &'a [f64],
}

impl At<'_> {
    /// [`expected`] progress in `cycle` (at position `ix`) under `pace`: without checkpoints, the elapsed share
    /// worked out once per cycle rather than once per item (two date differences each).
    pub(crate) fn expected(
        &self,
        ix: CycleIx,
        cycle: &crate::model::Cycle,
        pace: &[crate::model::Checkpoint],
    ) -> f64 {
        match self.elapsed.get(ix.index()) {
            Some(&e) if pace.is_empty() => e,
            _ => expected(cycle, pace, self.as_of),
        }
    }
}

/// Where results are kept while evaluating: a full pass overwrites placeholders, an incremental one the results
/// of an earlier evaluation, in place.
pub(crate) trait Slots<T> {
    fn slot(&self, i: usize) -> Option<&T>;
    fn put(&mut self, i: usize, value: T);
}

impl<T> Slots<T> for Vec<T> {
    fn slot(&self, i: usize) -> Option<&T> {
        self.get(i)
    }
    fn put(&mut self, i: usize, value: T) {
        if let Some(s) = self.get_mut(i) {
            *s = value;
        }
    }
}
