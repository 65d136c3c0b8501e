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
mod records;
mod score;
mod status;

pub use columns::{evaluate_columns, evaluate_columns_of, Column, EvaluationColumns};
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
/// The evaluation is worked out on the calling thread. When its records take 8 MiB or more (about 50,000 key
/// results), their memory is mapped in first by this thread and a second, scoped one, joined before the work
/// starts: at org-100k that is 125 MB of fresh pages, whose mapping took a third of the evaluation's time on one
/// thread. [`evaluate_into`] writes over memory already mapped instead.
///
/// Settings are checked first; a setting out of range is an [`Error`] of kind `Settings` with paths under `$.settings`.
pub fn evaluate(model: &Model, as_of: NaiveDate, settings: &Settings) -> Result<Evaluation, Error> {
    settings.check()?;
    let (krs, objectives) = records::with_room(model.key_results.len(), model.objectives.len());
    Ok(evaluate_over(model, as_of, settings, krs, objectives))
}

/// [`evaluate`] written over `out`, an earlier evaluation (of any model, date and settings) whose memory it reuses:
/// the result equals [`evaluate`]'s. A service that evaluates the same model again (each day, after a batch of
/// check-ins, for each date of a trend) keeps one [`Evaluation`]: this writes over memory already mapped, on one
/// thread, where [`evaluate`] maps in fresh pages on every call (about 125 MB at org-100k, with a second thread).
///
/// Settings are checked first, as [`evaluate`] checks them; on an error `out` is left as it was.
///
/// ```
/// # let doc = okpi::Document::from_json(r#"{"schema_version": 1,
/// #   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
/// #   "objectives": [{"id": "o", "cycle": "q1", "title": "Grow"}],
/// #   "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 10}],
/// #   "check_ins": [{"key_result": "k", "date": "2026-02-01", "value": 4}]}"#)?;
/// let model = okpi::Model::new(doc)?;
/// let settings = okpi::Settings::default();
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
/// let mut ev = okpi::evaluate(&model, day(15), &settings)?;
/// okpi::evaluate_into(&model, day(31), &settings, &mut ev)?;
/// assert_eq!(ev, okpi::evaluate(&model, day(31), &settings)?);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn evaluate_into(
    model: &Model,
    as_of: NaiveDate,
    settings: &Settings,
    out: &mut Evaluation,
) -> Result<(), Error> {
    settings.check()?;
    let krs = std::mem::take(&mut out.key_results);
    let objectives = std::mem::take(&mut out.objectives);
    *out = evaluate_over(model, as_of, settings, krs, objectives);
    Ok(())
}

/// The evaluation, its records written into `krs` and `objectives` (emptied first, their capacity kept), under
/// settings already checked.
fn evaluate_over(
    model: &Model,
    as_of: NaiveDate,
    settings: &Settings,
    mut krs: Vec<KrResult>,
    mut objectives: Vec<ObjectiveResult>,
) -> Evaluation {
    let derived = crate::link::derive_all(model, as_of);
    let elapsed = pace::elapsed_by_cycle(model, as_of);
    let pass = Full::new(model, &derived, as_of, settings, &elapsed);
    let mut last = None;
    krs.clear();
    krs.extend((0..model.key_results.len()).map(|i| pass.key_result(i, &mut last)));
    let mut terms = Vec::new();
    objectives.clear();
    objectives.extend((0..model.objectives.len()).map(|i| pass.objective(i, &krs, &mut terms)));
    pass.deferred(&mut krs, &mut objectives, &mut terms);
    pass.evaluation(krs, objectives)
}

/// A full pass, in three steps that [`evaluate`] and `evaluate_parallel` share. (1) Every key result in key-result
/// order ([`Full::key_result`]): a key result reads only the model, its check-ins and, when it takes an objective's
/// progress, that objective's result, so all but those (left as placeholders) are evaluated, in one walk through
/// the key results and their check-in runs, which lie in that order. (2) Every objective that reads no other
/// objective ([`Full::objective`]), from its key results' results; the others are placeholders. (3) The deferred
/// objectives (contributing children, linked key results) in dependency order, with their linked key results
/// ([`Full::deferred`]). Writing each result once where it belongs spares an `Option` per slot and a final copy.
#[derive(Clone, Copy)]
pub(crate) struct Full<'a> {
    model: &'a Model,
    derived: &'a AllDerived,
    at: At<'a>,
}

impl<'a> Full<'a> {
    pub(crate) fn new(
        model: &'a Model,
        derived: &'a AllDerived,
        as_of: NaiveDate,
        settings: &'a Settings,
        elapsed: &'a [f64],
    ) -> Full<'a> {
        Full {
            model,
            derived,
            at: At {
                as_of,
                settings,
                elapsed,
            },
        }
    }

    /// Key result `i`, or a placeholder when it links an objective. `last` holds what the previous key result read
    /// of its objective: key results sorted by id usually come in runs of one objective's, so that is worked out
    /// once per run.
    pub(crate) fn key_result(&self, i: usize, last: &mut Option<(ObjIx, Parent<'a>)>) -> KrResult {
        let (model, c) = (self.model, &self.model.okr);
        let k = KrIx::new(i);
        let flags = c.kr_flags.get(i).copied().unwrap_or(0);
        if flags & KR_LINKED != 0 {
            return placeholder_kr();
        }
        let o = c
            .kr_objective
            .get(i)
            .copied()
            .unwrap_or_else(|| model.key_results.at(k).objective);
        let parent = match *last {
            Some((of, p)) if of == o => p,
            _ => {
                let p = Parent::of(model, o, &self.at);
                *last = Some((o, p));
                p
            }
        };
        let from_kpi = (flags & KR_KPI != 0)
            .then(|| crate::link::slot(self.derived, k))
            .flatten();
        kr::evaluate_kr(model, k, &parent, None, from_kpi, self.at)
    }

    /// Objective `i` rolled up from its key results' results in `krs`, or a placeholder when it reads another
    /// objective (it is evaluated in [`Full::deferred`]). `terms` is the roll-up's buffer, kept between calls.
    pub(crate) fn objective(
        &self,
        i: usize,
        krs: &[KrResult],
        terms: &mut Vec<objective::Term>,
    ) -> ObjectiveResult {
        let (model, c) = (self.model, &self.model.okr);
        if c.objectives.get(i).is_none_or(|f| f.flags & OBJ_DEFERRED != 0) {
            return placeholder_objective();
        }
        let o = ObjIx::new(i);
        let parent = Parent::of(model, o, &self.at);
        let own = c.krs_of(o).iter().filter_map(|k| krs.get(k.index()));
        objective::evaluate_objective(model, o, &parent, own, &NO_OBJECTIVES, terms, self.at)
    }

    /// The deferred objectives and their linked key results, in dependency order, over the first two steps' results.
    pub(crate) fn deferred(
        &self,
        krs: &mut Vec<KrResult>,
        objectives: &mut Vec<ObjectiveResult>,
        terms: &mut Vec<objective::Term>,
    ) {
        for &ix in &self.model.okr.deferred {
            evaluate_in_place(
                self.model,
                ix,
                krs,
                objectives,
                Some(self.derived),
                self.at,
                true,
                terms,
            );
        }
    }

    /// The evaluation the pass made.
    pub(crate) fn evaluation(
        &self,
        key_results: Vec<KrResult>,
        objectives: Vec<ObjectiveResult>,
    ) -> Evaluation {
        Evaluation {
            as_of: self.at.as_of,
            settings: self.at.settings.clone(),
            key_results,
            objectives,
        }
    }
}

/// The objectives an objective that reads none may look up.
const NO_OBJECTIVES: Vec<ObjectiveResult> = Vec::new();

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
