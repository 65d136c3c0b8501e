//! The evaluation in columns (Python's `evaluate_arrays`): the numbers [`super::evaluate`] gives, computed from
//! the store's columns ([`crate::store::okr_columns`]) straight into one array per quantity, with no record per
//! item. The same pure functions do the arithmetic (progress and its bounds, pace, status, score, means, the
//! by-value sums), in the same order, so every number equals the record path's bit for bit (the tests in
//! `tests/tests/okr_columns.rs` hold the two together).
//!
//! Two passes, each objective with its key results at once (their numbers go straight into its roll-up, no
//! second read): every objective that reads no other objective, in id order (key results are sorted by id and
//! usually named after their objective, so this walks the key-result columns and check-in runs in order); then
//! the others in dependency order, each after the objectives it reads.

use super::kr::{bound_progress, complies, raw_progress};
use super::mean::weighted_mean;
use super::objective::by_value_of;
use super::pace::expected;
use super::score::{confidence_band, mean_confidence_band, score_value};
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
    OBJ_DEFERRED,
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
    let pass = Pass {
        model,
        c,
        as_of,
        settings,
        derived: crate::link::derive_listed(model, &c.kpi_linked, as_of),
        elapsed: model.cycles.iter().map(|cy| expected(cy, &[], as_of)).collect(),
    };
    let mut out = Out {
        cols: EvaluationColumns {
            kr_progress: vec![0.0; n],
            kr_current: vec![0.0; n],
            kr_expected: vec![0.0; n],
            kr_score: vec![0.0; n],
            kr_weight: vec![0.0; n],
            kr_status: vec![Status::NotStarted; n],
            objective_progress: vec![0.0; m],
            objective_expected: vec![0.0; m],
            objective_score: vec![0.0; m],
            objective_confidence: vec![0.0; m],
            objective_status: vec![Status::NotStarted; m],
        },
        active: vec![false; m],
    };
    let mut scratch = Scratch::default();
    for i in 0..m {
        let deferred = c.objectives.get(i).is_some_and(|f| f.flags & OBJ_DEFERRED != 0);
        if !deferred {
            pass.objective(ObjIx::new(i), &mut out, &mut scratch);
        }
    }
    for &o in &c.deferred {
        pass.objective(o, &mut out, &mut scratch);
    }
    Ok(out.cols)
}

/// What a pass reads: the model, its columns, the date and settings, the derived check-ins of the key results
/// linked to a KPI metric (in the order of [`OkrColumns::kpi_linked`]) and each cycle's elapsed share (the
/// expected progress of a linear pace).
struct Pass<'a> {
    model: &'a Model,
    c: &'a OkrColumns,
    as_of: NaiveDate,
    settings: &'a Settings,
    derived: Vec<Option<Derived>>,
    elapsed: Vec<f64>,
}

/// The columns being filled, and whether each objective had a source with data (what its readers take).
struct Out {
    cols: EvaluationColumns,
    active: Vec<bool>,
}

/// Buffers reused from one objective to the next: its roll-up's terms, its confidence's terms and a checklist's
/// steps.
#[derive(Default)]
struct Scratch {
    terms: Vec<(f64, f64)>,
    confident: Vec<(f64, f64)>,
    steps: Vec<(f64, f64)>,
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
    current: Option<f64>,
    progress: f64,
    expected: f64,
    score: f64,
    weight: f64,
    status: Status,
    /// Whether it counts as a source with data in its objective's roll-up (no `no_check_in` flag).
    counted_active: bool,
    confidence: Option<f64>,
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
    #[inline]
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
        // Only increase and decrease key results read a start: the others skip the scan for a first value.
        let plain = self
            .c
            .kr_kind
            .get(k.index())
            .is_some_and(|kind| matches!(kind, KrKind::Increase | KrKind::Decrease));
        match def.start {
            None if plain => Definition {
                start: check_ins.first_value(),
                ..def
            },
            _ => def,
        }
    }

    /// One key result, as `kr::evaluate_kr` computes it: `cycle` and `objective_expected` are its objective's
    /// cycle and expected progress; `linked` is the result of the objective it links.
    fn key_result(
        &self,
        k: KrIx,
        cycle: &Cycle,
        objective_expected: f64,
        linked: Option<Linked>,
        steps: &mut Vec<(f64, f64)>,
    ) -> KrNumbers {
        let (settings, as_of) = (self.settings, self.as_of);
        let i = k.index();
        let kind = self.c.kr_kind.get(i).copied().unwrap_or(KrKind::Milestone);
        let flags = self.c.kr_flags.get(i).copied().unwrap_or(0);
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
                steps.clear();
                let done = |d: Option<NaiveDate>| f64::from(u8::from(is_done(d, as_of)));
                steps.extend(self.c.steps_of(k).iter().map(|&(w, d)| (w, done(d))));
                (latest, weighted_mean(steps).unwrap_or(0.0))
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
        let exp = if flags & KR_OWN_PACE != 0 {
            expected(cycle, &self.model.key_results.at(k).def.pace, as_of)
        } else {
            objective_expected
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
            current,
            progress,
            expected: exp,
            score: score_value(progress),
            weight: def.weight,
            status: st,
            counted_active: active || kind == KrKind::Linked,
            confidence,
        }
    }

    /// Objective `o` with its key results, as `evaluate_in_place` and `objective::evaluate_objective` compute
    /// them, into `out`. The objectives it reads (contributing children, linked objectives) are already there.
    fn objective(&self, o: ObjIx, out: &mut Out, scratch: &mut Scratch) {
        let (model, settings, as_of) = (self.model, self.settings, self.as_of);
        let Some(&facts) = self.c.objectives.get(o.index()) else {
            return;
        };
        let cycle = self.model.cycles.at(facts.cycle);
        let pace = self.c.pace_of(o);
        let exp = if pace.is_empty() {
            self.elapsed.get(facts.cycle.index()).copied().unwrap_or(0.0)
        } else {
            expected(cycle, pace, as_of)
        };
        let own = self.c.krs_of(o);
        let (use_krs, use_children) = match facts.from {
            ProgressFrom::KeyResults => (true, false),
            ProgressFrom::Children => (false, true),
            ProgressFrom::Both => (true, true),
            ProgressFrom::Manual => (false, false),
        };
        // The roll-up's terms (weight, progress), whether any has data, and the worst status among them.
        let Scratch {
            terms,
            confident,
            steps,
        } = scratch;
        terms.clear();
        confident.clear();
        let mut any_active = false;
        let mut worst: Option<Status> = None;
        for &k in own {
            let linked = self.c.kr_flags.get(k.index()).is_some_and(|f| f & KR_LINKED != 0);
            let linked = linked
                .then(|| model.key_results.at(k).linked)
                .flatten()
                .map(|l| Linked {
                    progress: out.cols.objective_progress.get(l.index()).copied().unwrap_or(0.0),
                    active: out.active.get(l.index()).copied().unwrap_or(false),
                });
            let r = self.key_result(k, cycle, exp, linked, steps);
            let c = &mut out.cols;
            let i = k.index();
            put(&mut c.kr_current, i, r.current.unwrap_or(f64::NAN));
            put(&mut c.kr_progress, i, r.progress);
            put(&mut c.kr_expected, i, r.expected);
            put(&mut c.kr_score, i, r.score);
            put(&mut c.kr_weight, i, r.weight);
            put(&mut c.kr_status, i, r.status);
            if use_krs {
                terms.push((r.weight, r.progress));
                any_active |= r.counted_active;
                worst = Some(worst.map_or(r.status, |w| w.min(r.status)));
            }
            if let Some(conf) = r.confidence {
                confident.push((r.weight, conf));
            }
        }
        if use_children {
            let counts = |f: &ObjFacts| settings.private_rollup.counts(f.visibility);
            for &(child, weight) in self.c.children_of(o) {
                let c = child.index();
                if !self.c.objectives.get(c).is_some_and(counts) {
                    continue;
                }
                if let (Some(&p), Some(&st), Some(&a)) = (
                    out.cols.objective_progress.get(c),
                    out.cols.objective_status.get(c),
                    out.active.get(c),
                ) {
                    terms.push((weight, p));
                    any_active |= a;
                    worst = Some(worst.map_or(st, |w| w.min(st)));
                }
            }
        }
        let asked = facts.rollup.unwrap_or(settings.rollup);
        let by_value_sum = (asked == Rollup::ByValue && facts.flags & OBJ_BY_VALUE != 0)
            .then(|| self.by_value(own, &out.cols.kr_current))
            .flatten();
        let (progress, active) = if facts.from == ProgressFrom::Manual {
            let updates = self.c.manual_of(o).iter();
            let manual = updates.filter(|u| u.0 <= as_of).max_by_key(|u| u.0);
            (manual.map_or(0.0, |u| u.1), manual.is_some())
        } else if terms.is_empty() {
            (0.0, false)
        } else if let Some(p) = by_value_sum {
            (p, any_active)
        } else {
            // Validation refuses an objective whose counted sources all weigh 0.
            (weighted_mean(terms).unwrap_or(0.0), any_active)
        };
        let confidence = weighted_mean(confident);
        let from_progress = || {
            status(
                &StatusInput {
                    progress,
                    expected: exp,
                    active,
                    confidence: confidence.map(|c| mean_confidence_band(c, settings)),
                    cycle,
                    as_of,
                },
                settings,
            )
        };
        let st = match settings.objective_status {
            ObjectiveStatusRule::WorstKr => worst.unwrap_or_else(from_progress),
            ObjectiveStatusRule::FromProgress => from_progress(),
        };
        let c = &mut out.cols;
        let i = o.index();
        put(&mut c.objective_progress, i, progress);
        put(&mut c.objective_expected, i, exp);
        put(&mut c.objective_score, i, score_value(progress));
        put(&mut c.objective_confidence, i, confidence.unwrap_or(f64::NAN));
        put(&mut c.objective_status, i, st);
        put(&mut out.active, i, active);
    }

    /// The by-value roll-up of key results `own`: current values from the filled column, start and target in
    /// force recomputed.
    fn by_value(&self, own: &[KrIx], current: &[f64]) -> Option<f64> {
        let decreasing = own
            .first()
            .and_then(|k| self.c.kr_kind.get(k.index()))
            .is_some_and(|&kind| kind == KrKind::Decrease);
        let values = own.iter().map(|&k| {
            let flags = self.c.kr_flags.get(k.index()).copied().unwrap_or(0);
            let def = self.in_force(k, flags, &self.check_ins(k, flags));
            let current = current.get(k.index()).copied().and_then(some);
            (current, def.start, def.target)
        });
        by_value_of(values, decreasing, self.settings)
    }
}
