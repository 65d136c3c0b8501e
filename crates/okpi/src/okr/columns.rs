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
use crate::report::{ConfidenceBand, Status};
use crate::settings::{ObjectiveStatusRule, Settings};
use crate::store::check_ins::Slice;
use crate::store::okr_columns::{
    ObjFacts, OkrColumns, KR_INCLUSIVE, KR_KPI, KR_LINKED, KR_OWN_PACE, KR_STEPS, KR_VERSIONS, OBJ_BY_VALUE,
    OBJ_DEFERRED, OBJ_LINKS,
};
use crate::store::{Definition, Model};
use chrono::NaiveDate;
use std::ops::Range;

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

/// One column of [`EvaluationColumns`], named as its field (and as Python's `evaluate_arrays` names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Column {
    /// `kr_progress`.
    KrProgress,
    /// `kr_current`.
    KrCurrent,
    /// `kr_expected`.
    KrExpected,
    /// `kr_score`.
    KrScore,
    /// `kr_weight`.
    KrWeight,
    /// `kr_status`.
    KrStatus,
    /// `objective_progress`.
    ObjectiveProgress,
    /// `objective_expected`.
    ObjectiveExpected,
    /// `objective_score`.
    ObjectiveScore,
    /// `objective_confidence`.
    ObjectiveConfidence,
    /// `objective_status`.
    ObjectiveStatus,
}

impl Column {
    /// Every column, in the order of [`EvaluationColumns`]'s fields.
    pub const ALL: [Column; 11] = [
        Column::KrProgress,
        Column::KrCurrent,
        Column::KrExpected,
        Column::KrScore,
        Column::KrWeight,
        Column::KrStatus,
        Column::ObjectiveProgress,
        Column::ObjectiveExpected,
        Column::ObjectiveScore,
        Column::ObjectiveConfidence,
        Column::ObjectiveStatus,
    ];

    /// The column's name: its field's.
    pub fn name(self) -> &'static str {
        match self {
            Column::KrProgress => "kr_progress",
            Column::KrCurrent => "kr_current",
            Column::KrExpected => "kr_expected",
            Column::KrScore => "kr_score",
            Column::KrWeight => "kr_weight",
            Column::KrStatus => "kr_status",
            Column::ObjectiveProgress => "objective_progress",
            Column::ObjectiveExpected => "objective_expected",
            Column::ObjectiveScore => "objective_score",
            Column::ObjectiveConfidence => "objective_confidence",
            Column::ObjectiveStatus => "objective_status",
        }
    }

    /// The column named `name`; `None` when there is none.
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether the column is one of the roll-up's own numbers (progress, current value, weight), which a pass that
    /// works out no status, pace, confidence or score still gives.
    fn in_roll_up(self) -> bool {
        matches!(
            self,
            Column::KrProgress | Column::KrCurrent | Column::KrWeight | Column::ObjectiveProgress
        )
    }
}

/// [`evaluate_columns`] for the columns `asked` only: the others are empty. When every column asked is one of the
/// roll-up's own numbers (`kr_progress`, `kr_current`, `kr_weight`, `objective_progress`), no status, expected
/// progress, confidence or score is worked out and no confidence read, about a quarter less time at org-100k. Every
/// column asked equals [`evaluate_columns`]'s bit for bit.
pub fn evaluate_columns_of(
    model: &Model,
    as_of: NaiveDate,
    settings: &Settings,
    asked: &[Column],
) -> Result<EvaluationColumns, Error> {
    let lean = asked.iter().all(|c| c.in_roll_up());
    let mut columns = columns_in(model, as_of, settings, LEAF, lean)?;
    columns.keep(asked);
    Ok(columns)
}

impl EvaluationColumns {
    /// Empties every column but those `asked`.
    fn keep(&mut self, asked: &[Column]) {
        fn keep<T>(v: &mut Vec<T>, asked: &[Column], c: Column) {
            if !asked.contains(&c) {
                *v = Vec::new();
            }
        }
        keep(&mut self.kr_progress, asked, Column::KrProgress);
        keep(&mut self.kr_current, asked, Column::KrCurrent);
        keep(&mut self.kr_expected, asked, Column::KrExpected);
        keep(&mut self.kr_score, asked, Column::KrScore);
        keep(&mut self.kr_weight, asked, Column::KrWeight);
        keep(&mut self.kr_status, asked, Column::KrStatus);
        keep(&mut self.objective_progress, asked, Column::ObjectiveProgress);
        keep(&mut self.objective_expected, asked, Column::ObjectiveExpected);
        keep(&mut self.objective_score, asked, Column::ObjectiveScore);
        keep(&mut self.objective_confidence, asked, Column::ObjectiveConfidence);
        keep(&mut self.objective_status, asked, Column::ObjectiveStatus);
    }
}

/// [`super::evaluate`]'s numbers in columns (see [`EvaluationColumns`]); settings are checked the same way.
///
/// With the `parallel` feature the objectives that read no other objective are evaluated on rayon's thread pool,
/// a range of objectives per task; the numbers are the same (each item's arithmetic is unchanged, only which
/// thread does it).
pub fn evaluate_columns(
    model: &Model,
    as_of: NaiveDate,
    settings: &Settings,
) -> Result<EvaluationColumns, Error> {
    columns_in(model, as_of, settings, LEAF, false)
}

/// Objectives per task of the first pass (about 7,000 key results): a task's cost dwarfs its scheduling, and
/// org-100k's 200,000 objectives still make ~100 tasks to share among the threads.
const LEAF: usize = 2048;

/// Objectives per task of a level of the second pass: they read children scattered across the model, so tasks
/// are smaller; a level of org-100k holds a few thousand.
const DEFERRED_LEAF: usize = 256;

/// [`evaluate_columns`] with tasks of at most `leaf` objectives (the tests split down to one); when `lean`, only
/// the roll-up's own numbers are worked out ([`evaluate_columns_of`]; the other columns hold placeholders).
fn columns_in(
    model: &Model,
    as_of: NaiveDate,
    settings: &Settings,
    leaf: usize,
    lean: bool,
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
        lean,
        linear: model
            .cycles
            .iter()
            .map(|cy| Bounds::new(expected(cy, &[], as_of), in_grace(cy, as_of, settings), settings))
            .collect(),
    };
    // Key results' numbers are written by position (each objective's key results together, see
    // `OkrColumns::positions`): straight into the columns when that is id order, else permuted after.
    let mut krs = KrColumns::new(n, lean);
    let mut objs = ObjColumns::new(m, lean);
    pass.first(0..m, krs.cols(), objs.cols(), leaf.max(1));
    for level in c.deferred_levels() {
        for part in pass.level(level, &objs, &krs, leaf.clamp(1, DEFERRED_LEAF)) {
            part.put(c, &mut krs, &mut objs);
        }
    }
    if !c.krs_in_order {
        krs = krs.to_id_order(c.positions(), lean);
    }
    Ok(EvaluationColumns {
        kr_progress: krs.progress,
        kr_current: krs.current,
        kr_expected: krs.expected,
        kr_score: krs.score,
        kr_weight: krs.weight,
        kr_status: krs.status,
        objective_progress: objs.progress,
        objective_expected: objs.expected,
        objective_score: objs.score,
        objective_confidence: objs.confidence,
        objective_status: objs.status,
    })
}

/// Runs `a` and `b`, on two threads of rayon's pool when there is one to take them.
#[cfg(feature = "parallel")]
fn join(a: impl FnOnce() + Send, b: impl FnOnce() + Send) {
    rayon::join(a, b);
}

/// Runs `a`, then `b`.
#[cfg(not(feature = "parallel"))]
fn join(a: impl FnOnce(), b: impl FnOnce()) {
    a();
    b();
}

/// `n` copies of `x`. With the `parallel` feature a long column is written by the pool's threads, each its own part:
/// these columns are tens of megabytes, and memory handed back by the previous evaluation must be written (or fresh
/// memory faulted in) before the pass starts, which on one thread would hold up every other.
#[cfg(feature = "parallel")]
fn filled<T: Copy + Send + Sync>(n: usize, x: T) -> Vec<T> {
    if n < PARALLEL_FILL {
        return vec![x; n];
    }
    use rayon::iter::IndexedParallelIterator as _;
    let mut v = Vec::new();
    rayon::iter::repeat_n(x, n).collect_into_vec(&mut v);
    v
}

/// `n` copies of `x`.
#[cfg(not(feature = "parallel"))]
fn filled<T: Copy>(n: usize, x: T) -> Vec<T> {
    vec![x; n]
}

/// Items from which [`filled`] shares the writing among threads (a level's small parts are filled where they run).
#[cfg(feature = "parallel")]
const PARALLEL_FILL: usize = 1 << 16;

/// The key-result columns being filled.
struct KrColumns {
    current: Vec<f64>,
    progress: Vec<f64>,
    expected: Vec<f64>,
    score: Vec<f64>,
    weight: Vec<f64>,
    status: Vec<Status>,
}

impl KrColumns {
    /// Room for `n` key results; a `lean` pass has none for the columns it does not work out (expected progress,
    /// score, status), which stay empty.
    fn new(n: usize, lean: bool) -> KrColumns {
        let full = if lean { 0 } else { n };
        KrColumns {
            current: filled(n, 0.0),
            progress: filled(n, 0.0),
            expected: filled(full, 0.0),
            score: filled(full, 0.0),
            weight: filled(n, 0.0),
            status: filled(full, Status::NotStarted),
        }
    }

    fn cols(&mut self) -> KrCols<'_> {
        KrCols {
            current: &mut self.current,
            progress: &mut self.progress,
            expected: &mut self.expected,
            score: &mut self.score,
            weight: &mut self.weight,
            status: &mut self.status,
        }
    }

    /// The columns in id order from columns in position order (`positions[p]` is the key result at `p`), with room
    /// as [`KrColumns::new`] gives for `lean`.
    fn to_id_order(&self, positions: &[KrIx], lean: bool) -> KrColumns {
        fn permute<T: Copy>(to: &mut [T], from: &[T], positions: &[KrIx]) {
            for (&x, k) in from.iter().zip(positions) {
                put(to, k.index(), x);
            }
        }
        let mut out = KrColumns::new(self.current.len(), lean);
        permute(&mut out.current, &self.current, positions);
        permute(&mut out.progress, &self.progress, positions);
        permute(&mut out.expected, &self.expected, positions);
        permute(&mut out.score, &self.score, positions);
        permute(&mut out.weight, &self.weight, positions);
        permute(&mut out.status, &self.status, positions);
        out
    }
}

/// A range of the key-result columns, by position.
struct KrCols<'a> {
    current: &'a mut [f64],
    progress: &'a mut [f64],
    expected: &'a mut [f64],
    score: &'a mut [f64],
    weight: &'a mut [f64],
    status: &'a mut [Status],
}

impl<'a> KrCols<'a> {
    /// The positions before `mid` and from it (`None` past the end).
    fn split_at(self, mid: usize) -> Option<(KrCols<'a>, KrCols<'a>)> {
        let (c0, c1) = self.current.split_at_mut_checked(mid)?;
        let (p0, p1) = self.progress.split_at_mut_checked(mid)?;
        let (e0, e1) = split(self.expected, mid)?;
        let (s0, s1) = split(self.score, mid)?;
        let (w0, w1) = self.weight.split_at_mut_checked(mid)?;
        let (t0, t1) = split(self.status, mid)?;
        Some((
            KrCols {
                current: c0,
                progress: p0,
                expected: e0,
                score: s0,
                weight: w0,
                status: t0,
            },
            KrCols {
                current: c1,
                progress: p1,
                expected: e1,
                score: s1,
                weight: w1,
                status: t1,
            },
        ))
    }

    /// Every score from its progress, in one tight loop after the rest: a score is a chain of dependent steps,
    /// which overlap from one key result to the next here where inside each key result's evaluation they would
    /// wait one after another. (A lean pass has no score column: nothing to do.)
    fn scores(&mut self) {
        for (s, &p) in self.score.iter_mut().zip(self.progress.iter()) {
            *s = score_value(p);
        }
    }

    fn set(&mut self, i: usize, r: &KrNumbers) {
        put(self.current, i, r.current.unwrap_or(f64::NAN));
        put(self.progress, i, r.progress);
        put(self.expected, i, r.expected);
        put(self.weight, i, r.weight);
        put(self.status, i, r.status);
    }
}

/// Some objectives of a level of the second pass, evaluated apart: the numbers of the key results of those that
/// link an objective ([`OBJ_LINKS`]) one after another (each objective's, in its order), and their own.
struct Part<'a> {
    objs: &'a [ObjIx],
    krs: KrColumns,
    results: Vec<Option<ObjNumbers>>,
}

impl Part<'_> {
    /// Puts the numbers in their places in the columns.
    fn put(&self, c: &OkrColumns, krs: &mut KrColumns, objs: &mut ObjColumns) {
        fn copy<T: Copy>(to: &mut [T], span: &Range<usize>, from: &[T], at: usize) {
            let from = from.get(at..at + span.len()).unwrap_or_default();
            if let Some(to) = to.get_mut(span.clone()) {
                to.copy_from_slice(from);
            }
        }
        let mut at = 0;
        for (&o, r) in self.objs.iter().zip(&self.results) {
            if let Some(r) = r {
                objs.cols().set(o.index(), r);
            }
            let links = c
                .objectives
                .get(o.index())
                .is_some_and(|f| f.flags & OBJ_LINKS != 0);
            if !links {
                continue;
            }
            let span = c.kr_span(o.index());
            copy(&mut krs.current, &span, &self.krs.current, at);
            copy(&mut krs.progress, &span, &self.krs.progress, at);
            copy(&mut krs.expected, &span, &self.krs.expected, at);
            copy(&mut krs.score, &span, &self.krs.score, at);
            copy(&mut krs.weight, &span, &self.krs.weight, at);
            copy(&mut krs.status, &span, &self.krs.status, at);
            at += span.len();
        }
    }
}

/// The objective columns being filled, and what each objective's readers take of it.
struct ObjColumns {
    progress: Vec<f64>,
    expected: Vec<f64>,
    score: Vec<f64>,
    confidence: Vec<f64>,
    status: Vec<Status>,
    /// What readers take of each objective, side by side: a parent reads each child with one cache miss, not three.
    priors: Vec<Prior>,
    /// Whether one of a deferred objective's key results counts as active in its roll-up, from the first pass to
    /// the second ([`Pass::kr_part`]; its confidence waits in `confidence`).
    kr_active: Vec<bool>,
}

impl ObjColumns {
    /// Room for `m` objectives; as [`KrColumns::new`], a `lean` pass has none for expected progress, score,
    /// confidence and status.
    fn new(m: usize, lean: bool) -> ObjColumns {
        let full = if lean { 0 } else { m };
        ObjColumns {
            progress: filled(m, 0.0),
            expected: filled(full, 0.0),
            score: filled(full, 0.0),
            confidence: filled(full, 0.0),
            status: filled(full, Status::NotStarted),
            priors: filled(m, Prior::NONE),
            kr_active: filled(m, false),
        }
    }

    fn cols(&mut self) -> ObjCols<'_> {
        ObjCols {
            progress: &mut self.progress,
            expected: &mut self.expected,
            score: &mut self.score,
            confidence: &mut self.confidence,
            status: &mut self.status,
            priors: &mut self.priors,
            kr_active: &mut self.kr_active,
        }
    }

    /// What readers of objective `o` take from it.
    fn result(&self, o: usize) -> Option<Prior> {
        self.priors.get(o).copied()
    }
}

/// A range of the objective columns.
struct ObjCols<'a> {
    progress: &'a mut [f64],
    expected: &'a mut [f64],
    score: &'a mut [f64],
    confidence: &'a mut [f64],
    status: &'a mut [Status],
    priors: &'a mut [Prior],
    kr_active: &'a mut [bool],
}

impl<'a> ObjCols<'a> {
    /// The objectives before `mid` and from it (`None` past the end).
    fn split_at(self, mid: usize) -> Option<(ObjCols<'a>, ObjCols<'a>)> {
        let (p0, p1) = self.progress.split_at_mut_checked(mid)?;
        let (e0, e1) = split(self.expected, mid)?;
        let (s0, s1) = split(self.score, mid)?;
        let (c0, c1) = split(self.confidence, mid)?;
        let (t0, t1) = split(self.status, mid)?;
        let (r0, r1) = self.priors.split_at_mut_checked(mid)?;
        let (a0, a1) = self.kr_active.split_at_mut_checked(mid)?;
        Some((
            ObjCols {
                progress: p0,
                expected: e0,
                score: s0,
                confidence: c0,
                status: t0,
                priors: r0,
                kr_active: a0,
            },
            ObjCols {
                progress: p1,
                expected: e1,
                score: s1,
                confidence: c1,
                status: t1,
                priors: r1,
                kr_active: a1,
            },
        ))
    }

    fn set(&mut self, i: usize, r: &ObjNumbers) {
        put(self.progress, i, r.progress);
        put(self.expected, i, r.expected);
        put(self.score, i, r.score);
        put(self.confidence, i, r.confidence.unwrap_or(f64::NAN));
        put(self.status, i, r.status);
        let prior = Prior {
            progress: r.progress,
            status: r.status,
            active: r.active,
            counts: r.counts,
        };
        put(self.priors, i, prior);
    }
}

/// One objective's numbers.
#[derive(Debug, Clone, Copy)]
struct ObjNumbers {
    progress: f64,
    expected: f64,
    score: f64,
    confidence: Option<f64>,
    status: Status,
    active: bool,
    /// Whether it counts in its parents' roll-ups.
    counts: bool,
}

/// What an objective's key results give its roll-up besides their terms: whether one counts as active and the
/// worst status among them (both only when it rolls them up).
#[derive(Debug, Clone, Copy)]
struct Side {
    active: bool,
    worst: Option<Status>,
}

impl Side {
    fn add(&mut self, active: bool, status: Status) {
        self.active |= active;
        self.worst = Some(self.worst.map_or(status, |w| w.min(status)));
    }
}

/// What a deferred objective's roll-up takes of its key results, evaluated in the first pass, besides their
/// columns.
#[derive(Debug, Clone, Copy)]
struct KrPart {
    active: bool,
    confidence: Option<f64>,
}

/// What an objective's readers (its parents, key results linking it) take from it.
#[derive(Debug, Clone, Copy)]
struct Prior {
    progress: f64,
    status: Status,
    active: bool,
    /// Whether it counts in its parents' roll-ups (its visibility under the settings): read with the rest, so a
    /// parent reads each child with one cache miss.
    counts: bool,
}

impl Prior {
    /// Before evaluation (never read: an objective is read only after it is evaluated).
    const NONE: Prior = Prior {
        progress: 0.0,
        status: Status::NotStarted,
        active: false,
        counts: false,
    };
}

/// What a pass reads: the model, its columns, the date and settings, the derived check-ins of the key results
/// linked to a KPI metric (in the order of [`OkrColumns::kpi_linked`]), whether it is lean and each cycle's
/// status bounds under a linear pace.
struct Pass<'a> {
    model: &'a Model,
    c: &'a OkrColumns,
    as_of: NaiveDate,
    settings: &'a Settings,
    derived: Vec<Option<Derived>>,
    /// Whether only the roll-up's own numbers are asked for: no status, confidence or score is worked out.
    lean: bool,
    /// Each cycle's status bounds for the expected progress of a linear pace (its elapsed share), with whether
    /// the pass's date lies in its first `not_started_days` ([`in_grace`]): most objectives' bounds, worked out
    /// once.
    linear: Vec<Bounds>,
}

/// Whether `as_of` lies in the first `not_started_days` of `cycle`, as [`status`] works it out (a grace period
/// reaching past the last representable day holds every day).
fn in_grace(cycle: &Cycle, as_of: NaiveDate, s: &Settings) -> bool {
    let days = chrono::Duration::days(i64::from(s.not_started_days));
    cycle.start.checked_add_signed(days).is_none_or(|end| as_of < end)
}

/// [`status`]'s rule with its bounds worked out once for an expected progress, a cycle and a date (an objective's
/// key results share them unless they have a pace of their own): each key result then only compares numbers.
/// Each bound is [`crate::num::ge_bound`], the one `ge` compares with, so `>=` answers as `ge` does.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    /// The expected progress they are worked out for.
    expected: f64,
    done: f64,
    on_track: f64,
    at_risk: f64,
    grace: bool,
}

impl Bounds {
    fn new(expected: f64, grace: bool, s: &Settings) -> Bounds {
        use crate::num::ge_bound as bound;
        Bounds {
            expected,
            done: bound(1.0),
            on_track: bound(expected - s.on_track_tolerance),
            at_risk: bound(expected - s.at_risk_tolerance),
            grace,
        }
    }

    /// The status of an item with `progress`, any activity (`active`) and a low confidence band (`low`): the rule's
    /// five tests taken at once and the answer read from [`STATUS_OF`], with no branch to mispredict (statuses vary
    /// from one key result to the next).
    fn status(&self, progress: f64, active: bool, low: bool) -> Status {
        let test = |passed: bool, bit: usize| usize::from(passed) * bit;
        let tests = test(progress >= self.done, DONE)
            | test(!active & self.grace, NOT_STARTED)
            | test(progress >= self.on_track, ON_TRACK)
            | test(progress >= self.at_risk, AT_RISK)
            | test(low, LOW);
        STATUS_OF.get(tests).copied().unwrap_or(Status::OffTrack)
    }
}

/// [`Bounds::status`]'s answer for each outcome of its tests ([`DONE`] … [`LOW`]), worked out by [`status_rule`].
const STATUS_OF: [Status; 32] = {
    let mut table = [Status::OffTrack; 32];
    let (mut rest, mut tests): (&mut [Status], usize) = (&mut table, 0);
    while let [slot, tail @ ..] = rest {
        *slot = status_rule(tests);
        (rest, tests) = (tail, tests + 1);
    }
    table
};

/// [`status`]'s rule on the outcomes of its tests.
const fn status_rule(tests: usize) -> Status {
    if tests & DONE != 0 {
        Status::Done
    } else if tests & NOT_STARTED != 0 {
        Status::NotStarted
    } else if tests & ON_TRACK != 0 {
        if tests & LOW != 0 {
            Status::AtRisk
        } else {
            Status::OnTrack
        }
    } else if tests & AT_RISK != 0 {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// The tests of the status rule, as bits: progress reached 1; no activity in the grace days; progress within the
/// on-track tolerance; within the at-risk tolerance; a low confidence.
const DONE: usize = 1;
const NOT_STARTED: usize = 1 << 1;
const ON_TRACK: usize = 1 << 2;
const AT_RISK: usize = 1 << 3;
const LOW: usize = 1 << 4;

/// Buffers reused from one objective to the next: its roll-up's terms, its confidence's terms and a checklist's
/// steps.
#[derive(Default)]
struct Scratch {
    terms: Vec<(f64, f64)>,
    confident: Vec<(f64, f64)>,
    steps: Vec<(f64, f64)>,
    /// The check-in facts of a task's key results, by position from the task's first.
    facts: Vec<Facts>,
    /// Where each of those key results' rows as of the date lie ([`Pass::gather_ids`]).
    ends: Vec<Range<usize>>,
}

/// What a key result's evaluation reads of its check-ins as of the pass's date: its latest value and confidence
/// (NaN where none) and whether it has any. Gathered for a whole task's key results in one tight loop before they
/// are evaluated ([`Pass::gather`]): the loads of many key results' check-ins are then in flight at once, where
/// inside the evaluation of each they would wait one after another.
#[derive(Debug, Clone, Copy)]
struct Facts {
    latest: f64,
    confidence: f64,
    any: bool,
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
    weight: f64,
    status: Status,
    /// Whether it counts as a source with data in its objective's roll-up (no `no_check_in` flag).
    counted_active: bool,
    /// NaN where it has none.
    confidence: f64,
}

/// `v` split at `mid`; an empty column (one a lean pass has no room for) into two empty ones.
fn split<T>(v: &mut [T], mid: usize) -> Option<(&mut [T], &mut [T])> {
    if v.is_empty() {
        return Some(v.split_at_mut(0));
    }
    v.split_at_mut_checked(mid)
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

impl<'a> Pass<'a> {
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

    /// Key result `k`'s check-in facts.
    #[inline]
    fn facts(&self, k: KrIx) -> Facts {
        let flags = self.c.kr_flags.get(k.index()).copied().unwrap_or(0);
        let s = self.check_ins(k, flags);
        Facts {
            latest: s.latest_value().unwrap_or(f64::NAN),
            confidence: s.latest_confidence().unwrap_or(f64::NAN),
            any: !s.is_empty(),
        }
    }

    /// The check-in facts of the key results `ids`, into `out`. Two tight loops over them, not one loop doing all
    /// of each: where each key result's rows as of the date end (a binary search over its dates), then its latest
    /// value and confidence. Each key result's rows are a cache miss, and short loops keep many in flight.
    fn gather_ids(&self, ids: &[KrIx], ends: &mut Vec<Range<usize>>, out: &mut Vec<Facts>) {
        let check_ins = &self.model.check_ins;
        ends.clear();
        ends.extend(ids.iter().map(|&k| {
            let flags = self.c.kr_flags.get(k.index()).copied().unwrap_or(0);
            match self.c.kr_run.get(k.index()) {
                // (A key result linked to a KPI metric reads derived check-ins: `Pass::facts`.)
                Some(&run) if flags & KR_KPI == 0 => check_ins.until(run, self.as_of),
                _ => usize::MAX..usize::MAX,
            }
        }));
        out.extend(ids.iter().zip(ends.iter()).map(|(&k, rows)| {
            if rows.start == usize::MAX {
                return self.facts(k);
            }
            let (latest, confidence) = if self.lean {
                (check_ins.latest_value_in(rows.clone()), f64::NAN)
            } else {
                check_ins.latest_in(rows.clone())
            };
            Facts {
                latest,
                confidence,
                any: !rows.is_empty(),
            }
        }));
    }

    /// The check-in facts of the key results at `positions`, into `scratch.facts`.
    fn gather(&self, positions: Range<usize>, scratch: &mut Scratch) {
        scratch.facts.clear();
        let ids = self.c.positions().get(positions).unwrap_or_default();
        let Scratch { facts, ends, .. } = scratch;
        self.gather_ids(ids, ends, facts);
    }

    /// Key result `k`'s definition in force, with the first check-in's value as its start when it has none
    /// (as the record path's `with_baseline`).
    #[inline]
    fn in_force(&self, k: KrIx, flags: u8) -> Definition {
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
                start: self.check_ins(k, flags).first_value(),
                ..def
            },
            _ => def,
        }
    }

    /// One key result, as `kr::evaluate_kr` computes it: `cycle` is its objective's cycle and `bounds` its
    /// objective's status bounds (with its expected progress); `linked` is the result of the objective it links.
    #[inline]
    fn key_result(
        &self,
        k: KrIx,
        cycle: &Cycle,
        linked: Option<Linked>,
        facts: Facts,
        bounds: Bounds,
        steps: &mut Vec<(f64, f64)>,
    ) -> KrNumbers {
        let (settings, as_of) = (self.settings, self.as_of);
        let i = k.index();
        let kind = self.c.kr_kind.get(i).copied().unwrap_or(KrKind::Milestone);
        let flags = self.c.kr_flags.get(i).copied().unwrap_or(0);
        let def = self.in_force(k, flags);
        let latest = some(facts.latest);
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
                facts.any || (flags & KR_STEPS != 0 && self.c.steps_of(k).iter().any(|s| is_done(s.1, as_of)))
            }
            _ => facts.any,
        };
        let exp = if flags & KR_OWN_PACE != 0 {
            expected(cycle, &self.model.key_results.at(k).def.pace, as_of)
        } else {
            bounds.expected
        };
        let bounds = if flags & KR_OWN_PACE != 0 {
            Bounds::new(exp, bounds.grace, settings)
        } else {
            bounds
        };
        // No confidence (NaN) compares below no band's bound, so it is not low.
        let low = || confidence_band(facts.confidence, settings) == ConfidenceBand::Low;
        let st = if self.lean {
            Status::NotStarted
        } else {
            bounds.status(progress, active, low())
        };
        KrNumbers {
            current,
            progress,
            expected: exp,
            weight: def.weight,
            status: st,
            counted_active: active || kind == KrKind::Linked,
            confidence: facts.confidence,
        }
    }

    /// The objectives in `objs` that read no other objective, with their key results, into `krs` (their key
    /// results' positions, from the first objective's) and `out` (from `objs.start`): halves on two threads down to
    /// `leaf` objectives. The key results of a deferred objective that links none are evaluated here too (they
    /// read no objective, and their check-in facts are gathered with the rest): their part of its roll-up waits in
    /// `out` for the second pass ([`Pass::kr_part`]).
    fn first(&self, objs: Range<usize>, mut krs: KrCols<'_>, mut out: ObjCols<'_>, leaf: usize) {
        let base = self.c.kr_span(objs.start).start;
        if objs.len() > leaf {
            let mid = objs.start + objs.len() / 2;
            let halves = krs
                .split_at(self.c.kr_span(mid).start.saturating_sub(base))
                .zip(out.split_at(mid - objs.start));
            if let Some(((k0, k1), (o0, o1))) = halves {
                join(
                    || self.first(objs.start..mid, k0, o0, leaf),
                    || self.first(mid..objs.end, k1, o1, leaf),
                );
            }
            return;
        }
        let mut scratch = Scratch::default();
        let none = |_: ObjIx| None;
        self.gather(base..self.c.kr_span(objs.end).start, &mut scratch);
        for o in objs.clone() {
            let flags = self.c.objectives.get(o).map_or(0, |f| f.flags);
            let at = self.c.kr_span(o).start - base;
            if flags & OBJ_DEFERRED == 0 {
                if let Some(r) = self.objective(ObjIx::new(o), &mut krs, at, &none, &[], &mut scratch) {
                    out.set(o - objs.start, &r);
                }
            } else if flags & OBJ_LINKS == 0 {
                if let Some(part) = self.kr_part(ObjIx::new(o), &mut krs, at, &mut scratch) {
                    put(
                        out.confidence,
                        o - objs.start,
                        part.confidence.unwrap_or(f64::NAN),
                    );
                    put(out.kr_active, o - objs.start, part.active);
                }
            }
        }
        // (The key results of objectives that link one are evaluated again in the second pass, scores included.)
        krs.scores();
    }

    /// The key results of deferred objective `o` (which links no objective) into `krs` from position `at`, and
    /// what its roll-up takes of them besides their columns: whether one counts as active and its confidence.
    fn kr_part(&self, o: ObjIx, krs: &mut KrCols<'_>, at: usize, scratch: &mut Scratch) -> Option<KrPart> {
        let facts = *self.c.objectives.get(o.index())?;
        let (cycle, _, bounds) = self.timing(o, facts);
        let side = self.own(o, facts, cycle, bounds, krs, at, &|_| None, scratch);
        Some(KrPart {
            active: side.active,
            confidence: weighted_mean(&scratch.confident),
        })
    }

    /// The objectives `objs` of one level of the second pass, reading the objectives evaluated before from `done`
    /// and the key results evaluated before from `krs`: halves on two threads down to `leaf` objectives, each part's
    /// numbers apart (its objectives' key results lie scattered in the columns), to be put in place after.
    fn level<'o>(&self, objs: &'o [ObjIx], done: &ObjColumns, krs: &KrColumns, leaf: usize) -> Vec<Part<'o>> {
        if objs.len() > leaf {
            let (a, b) = objs.split_at(objs.len() / 2);
            let (mut first, mut second) = (Vec::new(), Vec::new());
            join(
                || first = self.level(a, done, krs, leaf),
                || second = self.level(b, done, krs, leaf),
            );
            first.append(&mut second);
            return first;
        }
        // Only the key results of objectives that link one are evaluated here (`Pass::first` did the others).
        let links = |o: ObjIx| {
            self.c
                .objectives
                .get(o.index())
                .is_some_and(|f| f.flags & OBJ_LINKS != 0)
        };
        let total = objs
            .iter()
            .filter(|&&o| links(o))
            .map(|o| self.c.kr_span(o.index()).len())
            .sum();
        let mut part_krs = KrColumns::new(total, self.lean);
        let mut results = Vec::with_capacity(objs.len());
        let mut scratch = Scratch::default();
        // The check-in facts of all those key results first (scattered rows: their loads overlap).
        for &o in objs.iter().filter(|&&o| links(o)) {
            let ids = self
                .c
                .positions()
                .get(self.c.kr_span(o.index()))
                .unwrap_or_default();
            let Scratch { facts, ends, .. } = &mut scratch;
            self.gather_ids(ids, ends, facts);
        }
        // The contributing children's results likewise: scattered over the model, read in one tight loop so that
        // the reads overlap instead of waiting one by one inside each roll-up.
        let mut kids = Vec::new();
        for &o in objs {
            let children = self.c.children_of(o).iter();
            kids.extend(children.map(|&(child, _)| done.result(child.index())));
        }
        let read = |l: ObjIx| done.result(l.index());
        let (mut at, mut kid) = (0, 0);
        let mut all = part_krs.cols();
        for &o in objs {
            let n = self.c.children_of(o).len();
            let own = kids.get(kid..kid + n).unwrap_or_default();
            kid += n;
            results.push(if links(o) {
                let r = self.objective(o, &mut all, at, &read, own, &mut scratch);
                at += self.c.kr_span(o.index()).len();
                r
            } else {
                self.roll_up_evaluated(o, krs, done, own, &read, &mut scratch)
            });
        }
        all.scores();
        vec![Part {
            objs,
            krs: part_krs,
            results,
        }]
    }

    /// Objective `o`'s cycle, expected progress and status bounds.
    fn timing(&self, o: ObjIx, facts: ObjFacts) -> (&'a Cycle, f64, Bounds) {
        let cycle = self.model.cycles.at(facts.cycle);
        let pace = self.c.pace_of(o);
        let linear = self.linear.get(facts.cycle.index()).copied();
        let linear = linear.unwrap_or_else(|| Bounds::new(0.0, false, self.settings));
        let bounds = if pace.is_empty() {
            linear
        } else {
            Bounds::new(expected(cycle, pace, self.as_of), linear.grace, self.settings)
        };
        (cycle, bounds.expected, bounds)
    }

    /// Objective `o`'s key results into `krs` from position `at` (their check-in facts are `scratch.facts` from
    /// `at`, [`Pass::gather`]); their roll-up terms into `scratch.terms` when it rolls them up, their confidences
    /// into `scratch.confident`. `read` gives the objectives they link, already evaluated.
    #[allow(clippy::too_many_arguments)]
    fn own(
        &self,
        o: ObjIx,
        facts: ObjFacts,
        cycle: &Cycle,
        bounds: Bounds,
        krs: &mut KrCols<'_>,
        at: usize,
        read: &impl Fn(ObjIx) -> Option<Prior>,
        scratch: &mut Scratch,
    ) -> Side {
        let model = self.model;
        let own = self.c.krs_of(o);
        let use_krs = matches!(facts.from, ProgressFrom::KeyResults | ProgressFrom::Both);
        let Scratch {
            terms,
            confident,
            steps,
            facts: all_facts,
            ..
        } = scratch;
        let gathered = all_facts.get(at..at + own.len());
        terms.clear();
        // A slot per key result, kept when it has a confidence: no branch on whether it has one (about a third of
        // key results have none, at random).
        confident.clear();
        confident.resize(own.len(), (0.0, 0.0));
        let mut confidences = 0;
        let mut side = Side {
            active: false,
            worst: None,
        };
        for (j, &k) in own.iter().enumerate() {
            let linked = self.c.kr_flags.get(k.index()).is_some_and(|f| f & KR_LINKED != 0);
            let linked = linked
                .then(|| model.key_results.at(k).linked)
                .flatten()
                .and_then(read)
                .map(|l| Linked {
                    progress: l.progress,
                    active: l.active,
                });
            let f = match gathered.and_then(|g| g.get(j)) {
                Some(&f) => f,
                None => self.facts(k),
            };
            let r = self.key_result(k, cycle, linked, f, bounds, steps);
            krs.set(at + j, &r);
            if use_krs {
                terms.push((r.weight, r.progress));
                side.add(r.counted_active, r.status);
            }
            if let Some(slot) = confident.get_mut(confidences) {
                *slot = (r.weight, r.confidence);
            }
            // (A lean pass reads no confidence: every one is NaN.)
            confidences += usize::from(!r.confidence.is_nan());
        }
        confident.truncate(confidences);
        side
    }

    /// Objective `o` with its key results, as `evaluate_in_place` and `objective::evaluate_objective` compute
    /// them: its key results' numbers into `krs` from position `at`, its own returned; their check-in facts are
    /// `scratch.facts` from `at` ([`Pass::gather`]). `read` gives the objectives it reads (contributing children,
    /// linked objectives), already evaluated; `kids` its contributing children's results if gathered before (a
    /// child beyond it is read with `read`).
    fn objective(
        &self,
        o: ObjIx,
        krs: &mut KrCols<'_>,
        at: usize,
        read: &impl Fn(ObjIx) -> Option<Prior>,
        kids: &[Option<Prior>],
        scratch: &mut Scratch,
    ) -> Option<ObjNumbers> {
        let facts = *self.c.objectives.get(o.index())?;
        let (cycle, exp, bounds) = self.timing(o, facts);
        let side = self.own(o, facts, cycle, bounds, krs, at, read, scratch);
        let confidence = weighted_mean(&scratch.confident);
        let current = krs.current.get(at..).unwrap_or_default();
        Some(self.roll_up(
            o,
            facts,
            (cycle, exp),
            side,
            confidence,
            current,
            kids,
            read,
            scratch,
        ))
    }

    /// Deferred objective `o`, whose key results `Pass::first` evaluated into `krs` (by position) and whose part
    /// of the roll-up it left in `done` ([`Pass::kr_part`]).
    fn roll_up_evaluated(
        &self,
        o: ObjIx,
        krs: &KrColumns,
        done: &ObjColumns,
        kids: &[Option<Prior>],
        read: &impl Fn(ObjIx) -> Option<Prior>,
        scratch: &mut Scratch,
    ) -> Option<ObjNumbers> {
        let facts = *self.c.objectives.get(o.index())?;
        let (cycle, exp, _) = self.timing(o, facts);
        let span = self.c.kr_span(o.index());
        let mut side = Side {
            active: done.kr_active.get(o.index()).copied().unwrap_or(false),
            worst: None,
        };
        scratch.terms.clear();
        if matches!(facts.from, ProgressFrom::KeyResults | ProgressFrom::Both) {
            let weight = krs.weight.get(span.clone()).unwrap_or_default();
            let progress = krs.progress.get(span.clone()).unwrap_or_default();
            scratch
                .terms
                .extend(weight.iter().copied().zip(progress.iter().copied()));
            let status = krs.status.get(span.clone()).unwrap_or_default();
            side.worst = status.iter().copied().min();
        }
        let confidence = done.confidence.get(o.index()).copied().and_then(some);
        let current = krs.current.get(span.start..).unwrap_or_default();
        Some(self.roll_up(
            o,
            facts,
            (cycle, exp),
            side,
            confidence,
            current,
            kids,
            read,
            scratch,
        ))
    }

    /// Objective `o`'s numbers from its key results' part of its roll-up (`side`, their terms in `scratch.terms`,
    /// their current values `current`, their confidence) and its contributing children (`kids`, then `read`).
    #[allow(clippy::too_many_arguments)]
    fn roll_up(
        &self,
        o: ObjIx,
        facts: ObjFacts,
        (cycle, exp): (&Cycle, f64),
        side: Side,
        confidence: Option<f64>,
        current: &[f64],
        kids: &[Option<Prior>],
        read: &impl Fn(ObjIx) -> Option<Prior>,
        scratch: &mut Scratch,
    ) -> ObjNumbers {
        let (settings, as_of) = (self.settings, self.as_of);
        let terms = &mut scratch.terms;
        let Side {
            active: mut any_active,
            mut worst,
        } = side;
        if matches!(facts.from, ProgressFrom::Children | ProgressFrom::Both) {
            for (i, &(child, weight)) in self.c.children_of(o).iter().enumerate() {
                let prior = kids.get(i).copied().unwrap_or_else(|| read(child));
                if let Some(p) = prior.filter(|p| p.counts) {
                    terms.push((weight, p.progress));
                    any_active |= p.active;
                    worst = Some(worst.map_or(p.status, |w| w.min(p.status)));
                }
            }
        }
        let own = self.c.krs_of(o);
        let asked = facts.rollup.unwrap_or(settings.rollup);
        let by_value_sum = (asked == Rollup::ByValue && facts.flags & OBJ_BY_VALUE != 0)
            .then(|| self.by_value(own, current))
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
            _ if self.lean => Status::NotStarted,
            ObjectiveStatusRule::WorstKr => worst.unwrap_or_else(from_progress),
            ObjectiveStatusRule::FromProgress => from_progress(),
        };
        ObjNumbers {
            progress,
            expected: exp,
            score: if self.lean { 0.0 } else { score_value(progress) },
            confidence,
            status: st,
            active,
            counts: settings.private_rollup.counts(facts.visibility),
        }
    }

    /// The by-value roll-up of key results `own`: current values from `current` (theirs, in the same order), start
    /// and target in force recomputed.
    fn by_value(&self, own: &[KrIx], current: &[f64]) -> Option<f64> {
        let decreasing = own
            .first()
            .and_then(|k| self.c.kr_kind.get(k.index()))
            .is_some_and(|&kind| kind == KrKind::Decrease);
        let values = own.iter().zip(current).map(|(&k, &current)| {
            let flags = self.c.kr_flags.get(k.index()).copied().unwrap_or(0);
            let def = self.in_force(k, flags);
            (some(current), def.start, def.target)
        });
        by_value_of(values, decreasing, self.settings)
    }
}

#[cfg(test)]
mod tests {
    use super::columns_in;
    use crate::Settings;
    use chrono::NaiveDate;

    /// The columns split down to one objective per task equal the records of `evaluate`, bit for bit.
    fn same_split(model: &crate::Model, day: NaiveDate) {
        let s = Settings::default();
        let ev = crate::okr::evaluate(model, day, &s).unwrap();
        let c = columns_in(model, day, &s, 1, false).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let k = &ev.key_results;
        let o = &ev.objectives;
        let current: Vec<f64> = k.iter().map(|r| r.current.unwrap_or(f64::NAN)).collect();
        assert_eq!(bits(&c.kr_current), bits(&current), "kr_current {day}");
        assert_eq!(c.kr_progress, k.iter().map(|r| r.progress).collect::<Vec<_>>());
        assert_eq!(c.kr_expected, k.iter().map(|r| r.expected).collect::<Vec<_>>());
        assert_eq!(c.kr_weight, k.iter().map(|r| r.weight).collect::<Vec<_>>());
        assert_eq!(c.kr_status, k.iter().map(|r| r.status).collect::<Vec<_>>());
        assert_eq!(
            c.objective_progress,
            o.iter().map(|r| r.progress).collect::<Vec<_>>()
        );
        assert_eq!(c.objective_status, o.iter().map(|r| r.status).collect::<Vec<_>>());
        // Every column of the one-task evaluation too (Debug prints each float's shortest round trip, NaN as NaN).
        let whole = super::evaluate_columns(model, day, &s).unwrap();
        assert_eq!(format!("{c:?}"), format!("{whole:?}"));
        // The lean pass split down to one objective, its empty columns split with it.
        let lean = columns_in(model, day, &s, 1, true).unwrap();
        assert_eq!(
            bits(&lean.kr_current),
            bits(&c.kr_current),
            "lean kr_current {day}"
        );
        assert_eq!(lean.kr_progress, c.kr_progress);
        assert_eq!(lean.kr_weight, c.kr_weight);
        assert_eq!(lean.objective_progress, c.objective_progress);
        assert!(lean.kr_status.is_empty() && lean.objective_confidence.is_empty());
    }

    /// The bounds worked out once give `status`'s answer for every input, boundaries, NaN and infinities included.
    #[test]
    fn bounds_give_the_status_rule() {
        use super::super::status::{status, StatusInput};
        use crate::model::Cycle;
        use crate::report::ConfidenceBand;
        let cycle: Cycle =
            serde_json::from_str(r#"{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}"#).unwrap();
        let mut s = Settings::default();
        let values = [
            f64::NAN,
            f64::NEG_INFINITY,
            -1.0,
            0.0,
            1e-12,
            0.1,
            0.3,
            0.45,
            0.5,
            0.55,
            0.7,
            0.9,
            1.0 - 2e-9,
            1.0 - 1e-9,
            1.0 - 5e-10,
            1.0,
            1.5,
            f64::INFINITY,
        ];
        for tolerances in [(0.1, 0.25), (0.0, 0.0), (0.05, 0.5)] {
            (s.on_track_tolerance, s.at_risk_tolerance) = tolerances;
            for day in [0, 5, 20, 200] {
                let as_of = cycle.start + chrono::Duration::days(day);
                let grace = super::in_grace(&cycle, as_of, &s);
                for &expected in &values {
                    let b = super::Bounds::new(expected, grace, &s);
                    for &progress in &values {
                        // Progress just around each bound too.
                        let near = [
                            progress,
                            expected - 0.1,
                            expected - 0.1 - 1e-10,
                            expected - 0.25 + 1e-10,
                        ];
                        for p in near {
                            for active in [false, true] {
                                for band in [None, Some(ConfidenceBand::Low), Some(ConfidenceBand::High)] {
                                    let want = status(
                                        &StatusInput {
                                            progress: p,
                                            expected,
                                            active,
                                            confidence: band,
                                            cycle: &cycle,
                                            as_of,
                                        },
                                        &s,
                                    );
                                    let low = band == Some(ConfidenceBand::Low);
                                    assert_eq!(
                                        b.status(p, active, low),
                                        want,
                                        "{p} {expected} {active} {band:?}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn split_tasks_give_the_same_numbers() {
        // examples/data/quarter.json without its texts (the packaged crate has no examples/): three objectives,
        // a weighted alignment, increase, stay_below, a version and a checklist.
        let model = crate::Model::from_json(
            r#"{"schema_version": 1,
             "cycles": [{"id": "2026Q1", "start": "2026-01-01", "end": "2026-03-31"}],
             "objectives": [
               {"id": "c1", "cycle": "2026Q1", "progress_from": "both", "kind": "aspirational"},
               {"id": "g1", "cycle": "2026Q1", "kind": "aspirational"},
               {"id": "i1", "cycle": "2026Q1", "kind": "aspirational"}
             ],
             "key_results": [
               {"id": "c1.kr1", "objective": "c1", "kind": "increase", "start": 3.6, "target": 4.5},
               {"id": "g1.kr1", "objective": "g1", "kind": "increase", "start": 40, "target": 55, "weight": 2},
               {"id": "g1.kr2", "objective": "g1", "kind": "increase", "start": 50, "target": 80},
               {"id": "g1.kr3", "objective": "g1", "kind": "stay_below", "bound": 30},
               {"id": "i1.kr1", "objective": "i1", "kind": "increase", "start": 0, "target": 20, "versions": [{"effective": "2026-02-15", "reason": "market shift", "target": 12}]},
               {"id": "i1.kr2", "objective": "i1", "kind": "milestone", "steps": [{"weight": 1, "done_on": "2026-01-20"}, {"weight": 2, "done_on": "2026-02-25"}, {"weight": 1}]}
             ],
             "alignments": [
               {"child": "g1", "parent": "c1", "weight": 2},
               {"child": "i1", "parent": "c1"}
             ],
             "check_ins": [
               {"key_result": "c1.kr1", "date": "2026-01-31", "value": 3.8, "confidence": 7},
               {"key_result": "c1.kr1", "date": "2026-02-28", "value": 4.0, "confidence": 6},
               {"key_result": "g1.kr1", "date": "2026-01-15", "value": 42, "confidence": 7},
               {"key_result": "g1.kr1", "date": "2026-02-12", "value": 46, "confidence": 6},
               {"key_result": "g1.kr1", "date": "2026-03-05", "value": 48, "confidence": 5},
               {"key_result": "g1.kr2", "date": "2026-02-12", "value": 71, "confidence": 8},
               {"key_result": "g1.kr3", "date": "2026-01-15", "value": 28},
               {"key_result": "g1.kr3", "date": "2026-02-12", "value": 33},
               {"key_result": "g1.kr3", "date": "2026-03-05", "value": 29},
               {"key_result": "i1.kr1", "date": "2026-02-01", "value": 3, "confidence": 4},
               {"key_result": "i1.kr1", "date": "2026-03-01", "value": 5, "confidence": 3}
             ]
            }"#,
        )
        .unwrap();
        for d in [1, 10, 40, 70, 100] {
            same_split(
                &model,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(d),
            );
        }
    }

    #[test]
    fn key_results_out_of_their_objectives_order_are_put_back_in_id_order() {
        // Key result "a1" belongs to objective "b" and "z1" to "a": by position (objective by objective) they come
        // z1, a1; by id a1, z1. "p" reads "a" (a contributing child) and "b" (a linked key result).
        let model = crate::Model::from_json(
            r#"{"schema_version": 1,
            "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
            "objectives": [{"id": "a", "cycle": "q"}, {"id": "b", "cycle": "q"},
                           {"id": "p", "cycle": "q", "progress_from": "both"}],
            "alignments": [{"child": "a", "parent": "p"}],
            "key_results": [
              {"id": "z1", "objective": "a", "kind": "increase", "start": 0, "target": 10},
              {"id": "a1", "objective": "b", "kind": "decrease", "start": 10, "target": 0},
              {"id": "m1", "objective": "p", "kind": "linked", "linked_objective": "b"}],
            "check_ins": [{"key_result": "z1", "date": "2026-01-03", "value": 4, "confidence": 3},
                          {"key_result": "a1", "date": "2026-02-03", "value": 8}]}"#,
        )
        .unwrap();
        assert!(!model.okr.krs_in_order);
        for d in [5, 40] {
            same_split(
                &model,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(d),
            );
        }
    }
}
