//! The evaluation in columns (Python's `evaluate_arrays`): the numbers [`super::evaluate`] gives, computed from
//! the store's columns ([`crate::store::okr_columns`]) straight into one array per quantity, with no record per
//! item. The same pure functions do the arithmetic (progress and its bounds, pace, status, score, means, the
//! by-value sums), in the same order, so every number equals the record path's bit for bit (the property test
//! `columns_equal_the_full_evaluation` holds the two together).
//!
//! Three passes: every key result that reads no objective, in key-result order (one walk through the columns
//! and the check-in runs, which lie in that order); every objective that reads no other objective, in id order;
//! then the others in dependency order, each after the key results that take a linked objective's progress.

use super::kr::{bound_progress, complies, raw_progress};
use super::mean::weighted_mean;
use super::objective::by_value_of;
use super::pace::expected;
use super::score::{confidence_band, mean_confidence_band, score};
use super::status::{status, StatusInput};
use crate::error::Error;
use crate::idx::{Idx, KrIx, ObjIx};
use crate::link::Derived;
use crate::model::{Cycle, KrKind, ProgressFrom, Rollup};
use crate::report::Status;
use crate::settings::{ObjectiveStatusRule, Settings};
use crate::store::check_ins::Slice;
use crate::store::okr_columns::{
    ObjFacts, OkrColumns, KR_INCLUSIVE, KR_KPI, KR_LINKED, KR_OWN_PACE, KR_STEPS, KR_VERSIONS, OBJ_BY_VALUE,
    OBJ_DEFERRED, OBJ_OWN_PACE,
};
use crate::store::{Definition, Model};
use chrono::NaiveDate;

/// The numbers of an evaluation in columns, in id order (the order of [`Model::key_results`] and
/// [`Model::objectives`]), for hosts that want arrays rather than records (Python's `evaluate_arrays`). Every
/// number equals the one [`super::evaluate`] gives, bit for bit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct EvaluationColumns {
    /// Each key result's progress.
    pub kr_progress: Vec<f64>,
    /// Each key result's current value (NaN where it has none).
    pub kr_current: Vec<f64>,
    /// Each key result's expected progress.
    pub kr_expected: Vec<f64>,
    /// Each key result's score.
    pub kr_score: Vec<f64>,
    /// Each key result's weight in force.
    pub kr_weight: Vec<f64>,
    /// Each key result's status.
    pub kr_status: Vec<Status>,
    /// Each objective's progress.
    pub objective_progress: Vec<f64>,
    /// Each objective's expected progress.
    pub objective_expected: Vec<f64>,
    /// Each objective's score.
    pub objective_score: Vec<f64>,
    /// Each objective's confidence (NaN where it has none).
    pub objective_confidence: Vec<f64>,
    /// Each objective's status.
    pub objective_status: Vec<Status>,
}

/// [`super::evaluate`]'s numbers in columns (see [`EvaluationColumns`]); settings are checked the same way.
pub fn evaluate_columns(
    model: &Model,
    as_of: NaiveDate,
    settings: &Settings,
) -> Result<EvaluationColumns, Error> {
    settings.check()?;
    let c = &model.okr;
    let (n, m) = (c.kr_kind.len(), c.objectives.len());
    let elapsed: Vec<f64> = model.cycles.iter().map(|cy| expected(cy, &[], as_of)).collect();
    let objective_expected: Vec<f64> = c
        .objectives
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if f.flags & OBJ_OWN_PACE != 0 {
                let pace = &model.objectives.at(ObjIx::new(i)).def.pace;
                expected(model.cycles.at(f.cycle), pace, as_of)
            } else {
                elapsed.get(f.cycle.index()).copied().unwrap_or(0.0)
            }
        })
        .collect();
    let pass = Pass {
        model,
        c,
        as_of,
        settings,
        derived: crate::link::derive_listed(model, &c.kpi_linked, as_of),
        objective_expected: &objective_expected,
    };
    let mut scratch = Vec::new();
    let mut krs = KrOut::with_capacity(n);
    for i in 0..n {
        let k = KrIx::new(i);
        let linked = c.kr_flags.get(i).is_some_and(|f| f & KR_LINKED != 0);
        // A key result that takes a linked objective's progress waits for that objective (third pass).
        krs.push(if linked {
            KrNumbers::PENDING
        } else {
            pass.key_result(k, None, &mut scratch)
        });
    }
    let mut objectives = ObjOut::with_capacity(m);
    for i in 0..m {
        let o = ObjIx::new(i);
        let deferred = c.objectives.get(i).is_some_and(|f| f.flags & OBJ_DEFERRED != 0);
        objectives.push(if deferred {
            ObjNumbers::PENDING
        } else {
            pass.objective(o, &krs, &objectives, &mut scratch)
        });
    }
    for &o in &c.deferred {
        for &k in c.krs_of(o) {
            if c.kr_flags.get(k.index()).is_some_and(|f| f & KR_LINKED != 0) {
                let linked = model.key_results.at(k).linked.map(|l| Linked {
                    progress: objectives.progress.get(l.index()).copied().unwrap_or(0.0),
                    active: objectives.active.get(l.index()).copied().unwrap_or(false),
                });
                let r = pass.key_result(k, linked, &mut scratch);
                krs.set(k.index(), r);
            }
        }
        let r = pass.objective(o, &krs, &objectives, &mut scratch);
        objectives.set(o.index(), r);
    }
    Ok(EvaluationColumns {
        kr_progress: krs.progress,
        kr_current: krs.current,
        kr_expected: krs.expected,
        kr_score: krs.score,
        kr_weight: krs.weight,
        kr_status: krs.status,
        objective_progress: objectives.progress,
        objective_expected,
        objective_score: objectives.score,
        objective_confidence: objectives.confidence,
        objective_status: objectives.status,
    })
}

/// What a pass reads: the model, its columns, the date and settings, the derived check-ins of the key results
/// linked to a KPI metric (in the order of [`OkrColumns::kpi_linked`]) and each objective's expected progress.
struct Pass<'a> {
    model: &'a Model,
    c: &'a OkrColumns,
    as_of: NaiveDate,
    settings: &'a Settings,
    derived: Vec<Option<Derived>>,
    objective_expected: &'a [f64],
}

/// The result of the objective a key result links: its progress and whether it had a source with data.
#[derive(Debug, Clone, Copy)]
struct Linked {
    progress: f64,
    active: bool,
}

/// One key result's numbers, and what its objective's roll-up reads besides.
#[derive(Debug, Clone, Copy)]
struct KrNumbers {
    current: f64,
    progress: f64,
    expected: f64,
    score: f64,
    weight: f64,
    status: Status,
    /// Whether it counts as a source with data in its objective's roll-up (no `no_check_in` flag).
    counted_active: bool,
    confidence: f64,
}

impl KrNumbers {
    /// The slot of a key result evaluated later in the pass.
    const PENDING: KrNumbers = KrNumbers {
        current: f64::NAN,
        progress: 0.0,
        expected: 0.0,
        score: 0.0,
        weight: 0.0,
        status: Status::NotStarted,
        counted_active: false,
        confidence: f64::NAN,
    };
}

/// One objective's numbers, and whether it had a source with data (what its readers take).
#[derive(Debug, Clone, Copy)]
struct ObjNumbers {
    progress: f64,
    score: f64,
    confidence: f64,
    status: Status,
    active: bool,
}

impl ObjNumbers {
    /// The slot of an objective evaluated later in the pass.
    const PENDING: ObjNumbers = ObjNumbers {
        progress: 0.0,
        score: 0.0,
        confidence: f64::NAN,
        status: Status::NotStarted,
        active: false,
    };
}

/// The key-result columns being filled.
struct KrOut {
    current: Vec<f64>,
    progress: Vec<f64>,
    expected: Vec<f64>,
    score: Vec<f64>,
    weight: Vec<f64>,
    status: Vec<Status>,
    counted_active: Vec<bool>,
    confidence: Vec<f64>,
}

impl KrOut {
    fn with_capacity(n: usize) -> KrOut {
        KrOut {
            current: Vec::with_capacity(n),
            progress: Vec::with_capacity(n),
            expected: Vec::with_capacity(n),
            score: Vec::with_capacity(n),
            weight: Vec::with_capacity(n),
            status: Vec::with_capacity(n),
            counted_active: Vec::with_capacity(n),
            confidence: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, r: KrNumbers) {
        self.current.push(r.current);
        self.progress.push(r.progress);
        self.expected.push(r.expected);
        self.score.push(r.score);
        self.weight.push(r.weight);
        self.status.push(r.status);
        self.counted_active.push(r.counted_active);
        self.confidence.push(r.confidence);
    }

    fn set(&mut self, i: usize, r: KrNumbers) {
        put(&mut self.current, i, r.current);
        put(&mut self.progress, i, r.progress);
        put(&mut self.expected, i, r.expected);
        put(&mut self.score, i, r.score);
        put(&mut self.weight, i, r.weight);
        put(&mut self.status, i, r.status);
        put(&mut self.counted_active, i, r.counted_active);
        put(&mut self.confidence, i, r.confidence);
    }
}

/// The objective columns being filled (expected progress is computed before the passes).
struct ObjOut {
    progress: Vec<f64>,
    score: Vec<f64>,
    confidence: Vec<f64>,
    status: Vec<Status>,
    active: Vec<bool>,
}

impl ObjOut {
    fn with_capacity(m: usize) -> ObjOut {
        ObjOut {
            progress: Vec::with_capacity(m),
            score: Vec::with_capacity(m),
            confidence: Vec::with_capacity(m),
            status: Vec::with_capacity(m),
            active: Vec::with_capacity(m),
        }
    }

    fn push(&mut self, r: ObjNumbers) {
        self.progress.push(r.progress);
        self.score.push(r.score);
        self.confidence.push(r.confidence);
        self.status.push(r.status);
        self.active.push(r.active);
    }

    fn set(&mut self, i: usize, r: ObjNumbers) {
        put(&mut self.progress, i, r.progress);
        put(&mut self.score, i, r.score);
        put(&mut self.confidence, i, r.confidence);
        put(&mut self.status, i, r.status);
        put(&mut self.active, i, r.active);
    }
}

fn put<T>(v: &mut [T], i: usize, x: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = x;
    }
}

/// `None` for NaN (the columns' "none").
fn some(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

fn is_done(done_on: Option<NaiveDate>, as_of: NaiveDate) -> bool {
    done_on.is_some_and(|d| d <= as_of)
}

impl Pass<'_> {
    /// The check-ins key result `k` reads as of the pass's date: derived from observations when it is linked to
    /// a KPI metric, else its own.
    fn check_ins(&self, k: KrIx, flags: u8) -> Slice<'_> {
        let derived = (flags & KR_KPI != 0)
            .then(|| self.c.kpi_linked.binary_search(&k).ok())
            .flatten()
            .and_then(|p| self.derived.get(p))
            .and_then(Option::as_ref);
        match (derived, self.c.kr_run.get(k.index())) {
            (Some(d), _) => d.check_ins(),
            (None, Some(&run)) => self.model.check_ins.slice(run).until(self.as_of),
            (None, None) => Slice::derived(&[], &[]),
        }
    }

    /// Key result `k`'s definition in force, with the first check-in's value as its start when it has none
    /// (as the record path's `with_baseline`).
    #[inline]
    fn in_force(&self, k: KrIx, flags: u8, check_ins: &Slice<'_>) -> Definition {
        let version = (flags & KR_VERSIONS != 0)
            .then(|| {
                let versions = self.c.versions_of(k).iter();
                versions.take_while(|(e, _)| *e <= self.as_of).last()
            })
            .flatten();
        let def = match (version, self.c.kr_def.get(k.index())) {
            (Some(&(effective, d)), _) => d.definition(Some(effective)),
            (None, Some(d)) => d.definition(None),
            (None, None) => self.model.key_results.at(k).definition_on(self.as_of).clone(),
        };
        match def.start {
            None => Definition {
                start: check_ins.first_value(),
                ..def
            },
            Some(_) => def,
        }
    }

    /// The cycle of objective `o`.
    fn cycle(&self, o: ObjIx) -> &Cycle {
        match self.c.objectives.get(o.index()) {
            Some(f) => self.model.cycles.at(f.cycle),
            None => self.model.cycles.at(self.model.objectives.at(o).cycle),
        }
    }

    /// One key result, as `kr::evaluate_kr` computes it; `linked` is the result of the objective it links.
    fn key_result(&self, k: KrIx, linked: Option<Linked>, scratch: &mut Vec<(f64, f64)>) -> KrNumbers {
        let (model, settings, as_of) = (self.model, self.settings, self.as_of);
        let i = k.index();
        let (Some(&kind), Some(&flags), Some(&o)) = (
            self.c.kr_kind.get(i),
            self.c.kr_flags.get(i),
            self.c.kr_objective.get(i),
        ) else {
            return KrNumbers::PENDING;
        };
        let record = || &model.key_results.at(k).def;
        let check_ins = self.check_ins(k, flags);
        let def = self.in_force(k, flags, &check_ins);
        let latest = check_ins.latest_value();
        let (current, progress) = match kind {
            KrKind::Increase | KrKind::Decrease => {
                let current = latest.or(def.start);
                let p = current
                    .and_then(|c| raw_progress(kind, &def, c))
                    .map_or(0.0, |p| bound_progress(p, settings));
                (current, p)
            }
            KrKind::StayAbove | KrKind::StayBelow => {
                let p = match (latest, def.bound) {
                    (Some(v), Some(b)) if complies(kind, flags & KR_INCLUSIVE != 0, b, v) => 1.0,
                    _ => 0.0,
                };
                (latest, p)
            }
            KrKind::Milestone if flags & KR_STEPS != 0 => {
                scratch.clear();
                let steps = self.c.steps_of(k).iter();
                scratch.extend(steps.map(|&(w, done)| (w, f64::from(u8::from(is_done(done, as_of))))));
                (latest, weighted_mean(scratch).unwrap_or(0.0))
            }
            KrKind::Milestone => (latest, latest.unwrap_or(0.0)),
            KrKind::Linked => {
                let p = linked.map(|l| l.progress);
                (p, p.unwrap_or(0.0))
            }
        };
        let active = match kind {
            KrKind::Linked => linked.is_some_and(|l| l.active),
            KrKind::Milestone => {
                !check_ins.is_empty()
                    || (flags & KR_STEPS != 0 && self.c.steps_of(k).iter().any(|s| is_done(s.1, as_of)))
            }
            _ => !check_ins.is_empty(),
        };
        let confidence = check_ins.latest_confidence();
        let cycle = self.cycle(o);
        let exp = if flags & KR_OWN_PACE != 0 {
            expected(cycle, &record().pace, as_of)
        } else {
            self.objective_expected.get(o.index()).copied().unwrap_or(0.0)
        };
        let st = status(
            &StatusInput {
                progress,
                expected: exp,
                active,
                confidence: confidence.map(|c| confidence_band(c, settings)),
                cycle,
                as_of,
            },
            settings,
        );
        KrNumbers {
            current: current.unwrap_or(f64::NAN),
            progress,
            expected: exp,
            score: score(progress).0,
            weight: def.weight,
            status: st,
            counted_active: active || kind == KrKind::Linked,
            confidence: confidence.unwrap_or(f64::NAN),
        }
    }

    /// One objective, as `objective::evaluate_objective` computes it, from its key results' and counted
    /// children's columns (already filled).
    fn objective(
        &self,
        o: ObjIx,
        krs: &KrOut,
        objectives: &ObjOut,
        scratch: &mut Vec<(f64, f64)>,
    ) -> ObjNumbers {
        let (model, settings, as_of) = (self.model, self.settings, self.as_of);
        let Some(&facts) = self.c.objectives.get(o.index()) else {
            return ObjNumbers::PENDING;
        };
        let own = self.c.krs_of(o);
        let (use_krs, use_children) = match facts.from {
            ProgressFrom::KeyResults => (true, false),
            ProgressFrom::Children => (false, true),
            ProgressFrom::Both => (true, true),
            ProgressFrom::Manual => (false, false),
        };
        // The roll-up's terms (weight, progress), whether any has data, and the worst status among them.
        scratch.clear();
        let mut any_active = false;
        let mut worst: Option<Status> = None;
        let mut term = |w: f64, p: f64, st: Status, active: bool| {
            scratch.push((w, p));
            any_active |= active;
            worst = Some(worst.map_or(st, |x| x.min(st)));
        };
        if use_krs {
            for k in own.iter().map(|k| k.index()) {
                if let (Some(&w), Some(&p), Some(&st), Some(&a)) = (
                    krs.weight.get(k),
                    krs.progress.get(k),
                    krs.status.get(k),
                    krs.counted_active.get(k),
                ) {
                    term(w, p, st, a);
                }
            }
        }
        if use_children {
            for &(child, weight) in self.c.children_of(o) {
                let c = child.index();
                let counts = |f: &ObjFacts| settings.private_rollup.counts(f.visibility);
                if !self.c.objectives.get(c).is_some_and(counts) {
                    continue;
                }
                if let (Some(&p), Some(&st), Some(&a)) = (
                    objectives.progress.get(c),
                    objectives.status.get(c),
                    objectives.active.get(c),
                ) {
                    term(weight, p, st, a);
                }
            }
        }
        let mean = weighted_mean(scratch);
        let has_terms = !scratch.is_empty();
        let asked = facts.rollup.unwrap_or(settings.rollup);
        let by_value_sum = (asked == Rollup::ByValue && facts.flags & OBJ_BY_VALUE != 0)
            .then(|| self.by_value(own, krs))
            .flatten();
        let (progress, active) = if facts.from == ProgressFrom::Manual {
            let manual = model
                .objectives
                .at(o)
                .def
                .manual_updates
                .iter()
                .filter(|u| u.date <= as_of)
                .max_by_key(|u| u.date);
            (manual.map_or(0.0, |u| u.progress), manual.is_some())
        } else if !has_terms {
            (0.0, false)
        } else if let Some(p) = by_value_sum {
            (p, any_active)
        } else {
            (mean.unwrap_or(0.0), any_active)
        };

        scratch.clear();
        scratch.extend(own.iter().filter_map(|k| {
            let c = some(*krs.confidence.get(k.index())?)?;
            Some((*krs.weight.get(k.index())?, c))
        }));
        let confidence = weighted_mean(scratch);
        let exp = self.objective_expected.get(o.index()).copied().unwrap_or(0.0);
        let from_progress = || {
            status(
                &StatusInput {
                    progress,
                    expected: exp,
                    active,
                    confidence: confidence.map(|c| mean_confidence_band(c, settings)),
                    cycle: self.cycle(o),
                    as_of,
                },
                settings,
            )
        };
        let st = match settings.objective_status {
            ObjectiveStatusRule::WorstKr => worst.unwrap_or_else(from_progress),
            ObjectiveStatusRule::FromProgress => from_progress(),
        };
        ObjNumbers {
            progress,
            score: score(progress).0,
            confidence: confidence.unwrap_or(f64::NAN),
            status: st,
            active,
        }
    }

    /// The by-value roll-up of key results `own` (current values from the filled columns, start and target in
    /// force recomputed).
    fn by_value(&self, own: &[KrIx], krs: &KrOut) -> Option<f64> {
        let decreasing = own
            .first()
            .and_then(|k| self.c.kr_kind.get(k.index()))
            .is_some_and(|&kind| kind == KrKind::Decrease);
        let values = own.iter().map(|&k| {
            let flags = self.c.kr_flags.get(k.index()).copied().unwrap_or(0);
            let def = self.in_force(k, flags, &self.check_ins(k, flags));
            let current = krs.current.get(k.index()).copied().and_then(some);
            (current, def.start, def.target)
        });
        by_value_of(values, decreasing, self.settings)
    }
}
