//! One key result at an as-of date (DOMAIN.md §2).

use super::mean::{ratio_of_differences, weighted};
use super::pace::expected;
use super::score::{confidence_band, score};
use super::status::{status, StatusInput};
use crate::id::Id;
use crate::idx::{Idx, KrIx, ObjIx};
use crate::link::Derived;
use crate::model::{Cycle, KrKind};
use crate::report::{DefinitionInForce, Flag, Flags, KrResult, ObjectiveResult};
use crate::settings::{Overshoot, Settings};
use crate::store::check_ins::Slice;
use crate::store::okr_columns::{OkrColumns, KR_INCLUSIVE, KR_OWN_PACE, KR_STEPS, KR_VERSIONS};
use crate::store::{Definition, Model};
use chrono::NaiveDate;

/// Progress of an `increase`/`decrease` value against one definition, before bounds. Finite for every finite
/// input: an overflowing difference is computed from halves, a quotient beyond the floats (a start and target
/// 5e-324 apart) saturates at ±`f64::MAX`.
///
/// Validation refuses start == target and the wrong direction, so the only way to meet a span that is empty or
/// points backwards is a baseline taken from the first check-in (see [`with_baseline`]): then the KR is 1 when the
/// current value reaches the target and 0 otherwise, never a division by zero.
pub(crate) fn raw_progress(kind: KrKind, def: &Definition, current: f64) -> Option<f64> {
    let (s, t) = (def.start?, def.target?);
    let reached = |ok: bool| Some(f64::from(u8::from(ok)));
    match kind {
        KrKind::Increase if t <= s => reached(current >= t),
        KrKind::Decrease if t >= s => reached(current <= t),
        KrKind::Increase | KrKind::Decrease => unbounded(kind, s, t, current),
        _ => None,
    }
}

/// (current − start) / (target − start) for `increase`, (start − current) / (start − target) for `decrease`
/// (kept finite when a difference overflows); `None` for other kinds.
fn unbounded(kind: KrKind, s: f64, t: f64, current: f64) -> Option<f64> {
    match kind {
        KrKind::Increase => Some(ratio_of_differences(current, s, t, s)),
        KrKind::Decrease => Some(ratio_of_differences(s, current, s, t)),
        _ => None,
    }
}

/// The progress of an `increase` or `decrease` key result with `start` and `target` at `current`, bounded by the
/// overshoot and negative-progress settings: the formula [`crate::evaluate`] uses (bindings call this rather
/// than computing it themselves). `None` for other kinds. Start and target are assumed valid (finite, apart,
/// in the kind's direction).
///
/// ```
/// use okpi::model::KrKind;
/// let s = okpi::Settings::default();
/// assert_eq!(okpi::okr::kr_progress(KrKind::Increase, 100.0, 300.0, 180.0, &s), Some(0.4));
/// assert_eq!(okpi::okr::kr_progress(KrKind::Increase, -1e308, 1e308, 0.0, &s), Some(0.5));
/// ```
pub fn kr_progress(kind: KrKind, start: f64, target: f64, current: f64, settings: &Settings) -> Option<f64> {
    unbounded(kind, start, target, current).map(|p| bound_progress(p, settings))
}

/// A definition without a start takes the first check-in's value as its baseline, as a team that forgot to write
/// the baseline down would measure it (the `okr.missing_baseline` finding and the `baseline_from_check_in` flag
/// say so). With no check-in there is no baseline and no progress, never a made-up 0.
fn with_baseline(def: Definition, first: Option<f64>) -> Definition {
    match (def.start, first) {
        (None, Some(v)) => Definition {
            start: Some(v),
            ..def
        },
        _ => def,
    }
}

/// Key result `k`'s definition in force on `day`, read from the store's columns: the latest version effective
/// by then, else the original (as [`crate::store::KrNode::definition_on`]).
pub(crate) fn definition_on(c: &OkrColumns, k: KrIx, flags: u8, day: NaiveDate) -> Definition {
    let version = (flags & KR_VERSIONS != 0)
        .then(|| c.versions_of(k).iter().take_while(|(e, _)| *e <= day).last())
        .flatten();
    match (version, c.kr_def.get(k.index())) {
        (Some(&(effective, d)), _) => d.definition(Some(effective)),
        (None, Some(d)) => d.definition(None),
        // Every key result has columns; an index past them reads as a definition of nothing.
        (None, None) => Definition {
            effective: None,
            start: None,
            target: None,
            bound: None,
            weight: 1.0,
        },
    }
}

/// Applies the overshoot and negative-progress settings.
pub fn bound_progress(p: f64, settings: &Settings) -> f64 {
    let hi = match settings.overshoot {
        Overshoot::Clamp => 1.0,
        Overshoot::Cap(x) => x,
    };
    let p = p.min(hi);
    if settings.allow_negative {
        p
    } else {
        p.max(0.0)
    }
}

/// Whether a control KR's value keeps its bound.
pub(crate) fn complies(kind: KrKind, inclusive: bool, bound: f64, v: f64) -> bool {
    match (kind, inclusive) {
        (KrKind::StayAbove, true) => v >= bound,
        (KrKind::StayAbove, false) => v > bound,
        (KrKind::StayBelow, true) => v <= bound,
        (KrKind::StayBelow, false) => v < bound,
        _ => false,
    }
}

/// What [`progress_under`] reads of a key result besides its definition.
#[derive(Clone, Copy)]
struct Shape<'a> {
    kind: KrKind,
    /// A control key result complies when its value equals the bound.
    inclusive: bool,
    /// A checklist's steps: weight and day done.
    steps: &'a [(f64, Option<NaiveDate>)],
}

fn is_done(done_on: Option<NaiveDate>, as_of: NaiveDate) -> bool {
    done_on.is_some_and(|d| d <= as_of)
}

/// Progress and current value of a key result under `def`, given the linked objective's result if it has one.
fn progress_under(
    kr: Shape<'_>,
    def: &Definition,
    latest: Option<f64>,
    as_of: NaiveDate,
    linked: Option<&ObjectiveResult>,
    settings: &Settings,
) -> (Option<f64>, f64) {
    match kr.kind {
        KrKind::Increase | KrKind::Decrease => {
            let current = latest.or(def.start);
            let p = current
                .and_then(|c| raw_progress(kr.kind, def, c))
                .map_or(0.0, |p| bound_progress(p, settings));
            (current, p)
        }
        KrKind::StayAbove | KrKind::StayBelow => {
            let p = match (latest, def.bound) {
                (Some(v), Some(b)) if complies(kr.kind, kr.inclusive, b, v) => 1.0,
                _ => 0.0,
            };
            (latest, p)
        }
        KrKind::Milestone if !kr.steps.is_empty() => {
            // Σ weight of steps done / Σ weight: the weighted mean of 1 (done) and 0 (open).
            let steps = kr
                .steps
                .iter()
                .map(|&(w, d)| (w, f64::from(u8::from(is_done(d, as_of)))));
            (latest, weighted(steps).map_or(0.0, |w| w.mean))
        }
        KrKind::Milestone => (latest, latest.unwrap_or(0.0)),
        KrKind::Linked => {
            let p = linked.map(|o| o.progress);
            (p, p.unwrap_or(0.0))
        }
    }
}

/// What a key result reads of its objective, worked out once per objective: the objective's id, its cycle and
/// its expected progress (the key result's own unless it has a pace of its own).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parent<'a> {
    pub id: &'a Id,
    pub cycle: &'a Cycle,
    pub expected: f64,
}

impl<'a> Parent<'a> {
    /// Objective `o`'s facts at the pass's date.
    pub(crate) fn of(model: &'a Model, o: ObjIx, at: &super::At<'_>) -> Parent<'a> {
        let node = model.objectives.at(o);
        let cycle = model.cycles.at(node.cycle);
        Parent {
            id: &node.id,
            cycle,
            expected: at.expected(node.cycle, cycle, model.okr.pace_of(o)),
        }
    }
}

/// Evaluates one key result of the objective `parent` describes. `linked` is the result of the objective it
/// links, already evaluated; `derived` holds the check-ins of a key result linked to a KPI metric, which take the
/// place of manual ones. It reads the store's columns, not the key result's record (a cache miss apiece), except
/// for the rare parts the columns leave there (its own pace).
pub(crate) fn evaluate_kr(
    model: &Model,
    ix: KrIx,
    parent: &Parent<'_>,
    linked: Option<&ObjectiveResult>,
    derived: Option<&Derived>,
    at: super::At<'_>,
) -> KrResult {
    let super::At { as_of, settings, .. } = at;
    let c = &model.okr;
    let i = ix.index();
    let kind = c.kr_kind.get(i).copied().unwrap_or(KrKind::Milestone);
    let flags = c.kr_flags.get(i).copied().unwrap_or(0);
    let steps = if flags & KR_STEPS != 0 {
        c.steps_of(ix)
    } else {
        &[]
    };
    let shape = Shape {
        kind,
        inclusive: flags & KR_INCLUSIVE != 0,
        steps,
    };
    let check_ins = match (derived, c.kr_run.get(i)) {
        (Some(d), _) => d.check_ins(),
        (None, Some(&run)) => model.check_ins.slice(run).until(as_of),
        (None, None) => Slice::derived(&[], &[]),
    };
    let first = check_ins.first_value();
    let in_force = definition_on(c, ix, flags, as_of);
    let baseline_from_check_in =
        matches!(kind, KrKind::Increase | KrKind::Decrease) && in_force.start.is_none() && first.is_some();
    let def = with_baseline(in_force, first);
    let latest = check_ins.latest_value();
    let (current, progress) = progress_under(shape, &def, latest, as_of, linked, settings);

    let progress_original = if flags & KR_VERSIONS != 0 {
        let original = c.kr_def.get(i).map(|d| with_baseline(d.definition(None), first));
        original
            .filter(|o| def.start != o.start || def.target != o.target || def.bound != o.bound)
            .map(|o| progress_under(shape, &o, latest, as_of, linked, settings).1)
    } else {
        // One definition: the one in force is the original.
        None
    };
    let changed = progress_original.is_some();

    let compliance = match (kind, check_ins.is_empty()) {
        (KrKind::StayAbove | KrKind::StayBelow, false) => {
            let kept = check_ins
                .rows()
                .filter(|r| {
                    let b = definition_on(c, ix, flags, r.date).bound;
                    matches!((r.value, b), (Some(v), Some(b)) if complies(kind, shape.inclusive, b, v))
                })
                .count();
            Some(kept as f64 / check_ins.len() as f64)
        }
        _ => None,
    };

    let confidence = check_ins.latest_confidence();
    let band = confidence.map(|c| confidence_band(c, settings));
    let exp = if flags & KR_OWN_PACE != 0 {
        expected(parent.cycle, &model.key_results.at(ix).def.pace, as_of)
    } else {
        parent.expected
    };
    let active = match kind {
        KrKind::Linked => {
            linked.is_some_and(|o| !o.flags.contains(Flag::NoCheckIn) && !o.flags.contains(Flag::NoSources))
        }
        KrKind::Milestone => !check_ins.is_empty() || steps.iter().any(|s| is_done(s.1, as_of)),
        _ => !check_ins.is_empty(),
    };
    let st = status(
        &StatusInput {
            progress,
            expected: exp,
            active,
            confidence: band,
            cycle: parent.cycle,
            as_of,
        },
        settings,
    );
    let (score, score_band) = score(progress);

    let mut flags = Flags::default();
    if !active && kind != KrKind::Linked {
        flags.insert(Flag::NoCheckIn);
    }
    if changed {
        flags.insert(Flag::DefinitionChanged);
    }
    if baseline_from_check_in {
        flags.insert(Flag::BaselineFromCheckIn);
    }
    if derived.is_some() && check_ins.is_empty() {
        flags.insert(Flag::NoData);
    }
    KrResult {
        id: c
            .kr_id
            .get(i)
            .unwrap_or_else(|| model.key_results.at(ix).id)
            .clone(),
        objective: parent.id.clone(),
        kind,
        current: current.into(),
        progress,
        progress_original: progress_original.into(),
        expected: exp,
        status: st,
        confidence: confidence.into(),
        confidence_band: band,
        compliance: compliance.into(),
        score,
        score_band,
        weight: def.weight,
        definition: DefinitionInForce {
            effective: def.effective,
            start: def.start.into(),
            target: def.target.into(),
            bound: def.bound.into(),
        },
        flags,
        link: derived.map(|d| Box::new(d.link.clone())),
    }
}
