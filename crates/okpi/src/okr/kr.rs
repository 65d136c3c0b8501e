//! One key result at an as-of date (DOMAIN.md §2).

use super::mean::{ratio_of_differences, weighted};
use super::score::{confidence_band, score};
use super::status::{status, StatusInput};
use crate::idx::KrIx;
use crate::link::Derived;
use crate::model::{KrKind, Objective};
use crate::report::{DefinitionInForce, Flag, Flags, KrResult, ObjectiveResult};
use crate::settings::{Overshoot, Settings};
use crate::store::{Definition, KrNode, Model};
use chrono::NaiveDate;
use std::borrow::Cow;

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
fn with_baseline(def: &Definition, first: Option<f64>) -> Cow<'_, Definition> {
    match (def.start, first) {
        (None, Some(v)) => Cow::Owned(Definition {
            start: Some(v),
            ..def.clone()
        }),
        _ => Cow::Borrowed(def),
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

/// Progress and current value of `kr` under `def`, given the linked objective's result if it has one.
fn progress_under(
    kr: KrNode<'_>,
    def: &Definition,
    latest: Option<f64>,
    as_of: NaiveDate,
    linked: Option<&ObjectiveResult>,
    settings: &Settings,
) -> (Option<f64>, f64) {
    let inclusive = kr.def.inclusive.unwrap_or(true);
    match kr.def.kind {
        KrKind::Increase | KrKind::Decrease => {
            let current = latest.or(def.start);
            let p = current
                .and_then(|c| raw_progress(kr.def.kind, def, c))
                .map_or(0.0, |p| bound_progress(p, settings));
            (current, p)
        }
        KrKind::StayAbove | KrKind::StayBelow => {
            let p = match (latest, def.bound) {
                (Some(v), Some(b)) if complies(kr.def.kind, inclusive, b, v) => 1.0,
                _ => 0.0,
            };
            (latest, p)
        }
        KrKind::Milestone if !kr.def.steps.is_empty() => {
            // Σ weight of steps done / Σ weight: the weighted mean of 1 (done) and 0 (open).
            let steps = kr.def.steps.iter().map(|s| {
                (
                    s.weight,
                    f64::from(u8::from(s.done_on.is_some_and(|d| d <= as_of))),
                )
            });
            (latest, weighted(steps).map_or(0.0, |w| w.mean))
        }
        KrKind::Milestone => (latest, latest.unwrap_or(0.0)),
        KrKind::Linked => {
            let p = linked.map(|o| o.progress);
            (p, p.unwrap_or(0.0))
        }
    }
}

/// Evaluates one key result. `linked` is the result of the objective it links, already evaluated; `derived`
/// holds the check-ins of a key result linked to a KPI metric, which take the place of manual ones.
pub(crate) fn evaluate_kr(
    model: &Model,
    ix: KrIx,
    objective: &Objective,
    linked: Option<&ObjectiveResult>,
    derived: Option<&Derived>,
    at: super::At<'_>,
) -> KrResult {
    let super::At { as_of, settings, .. } = at;
    let kr = model.key_results.at(ix);
    let cycle_ix = model.objectives.at(kr.objective).cycle;
    let cycle = model.cycles.at(cycle_ix);
    let check_ins = match derived {
        Some(d) => d.check_ins(),
        None => model.check_ins_until(kr, as_of),
    };
    let first = check_ins.first_value();
    let baseline_from_check_in = matches!(kr.def.kind, KrKind::Increase | KrKind::Decrease)
        && kr.definition_on(as_of).start.is_none()
        && first.is_some();
    let def = &*with_baseline(kr.definition_on(as_of), first);
    let original = &*with_baseline(kr.original(), first);
    let latest = check_ins.latest_value();
    let (current, progress) = progress_under(kr, def, latest, as_of, linked, settings);

    let changed = def.start != original.start || def.target != original.target || def.bound != original.bound;
    let progress_original = changed.then(|| progress_under(kr, original, latest, as_of, linked, settings).1);

    let compliance = match (kr.def.kind, check_ins.is_empty()) {
        (KrKind::StayAbove | KrKind::StayBelow, false) => {
            let inclusive = kr.def.inclusive.unwrap_or(true);
            let kept = check_ins
                .rows()
                .filter(|c| {
                    let b = kr.definition_on(c.date).bound;
                    matches!((c.value, b), (Some(v), Some(b)) if complies(kr.def.kind, inclusive, b, v))
                })
                .count();
            Some(kept as f64 / check_ins.len() as f64)
        }
        _ => None,
    };

    let confidence = check_ins.latest_confidence();
    let band = confidence.map(|c| confidence_band(c, settings));
    let pace = if kr.def.pace.is_empty() {
        &objective.pace
    } else {
        &kr.def.pace
    };
    let exp = at.expected(cycle_ix, cycle, pace);
    let active = match kr.def.kind {
        KrKind::Linked => {
            linked.is_some_and(|o| !o.flags.contains(Flag::NoCheckIn) && !o.flags.contains(Flag::NoSources))
        }
        KrKind::Milestone => {
            !check_ins.is_empty() || kr.def.steps.iter().any(|s| s.done_on.is_some_and(|d| d <= as_of))
        }
        _ => !check_ins.is_empty(),
    };
    let st = status(
        &StatusInput {
            progress,
            expected: exp,
            active,
            confidence: band,
            cycle,
            as_of,
        },
        settings,
    );
    let (score, score_band) = score(progress);

    let mut flags = Flags::default();
    if !active && kr.def.kind != KrKind::Linked {
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
        id: kr.id.clone(),
        objective: model.objectives.at(kr.objective).id.clone(),
        kind: kr.def.kind,
        current,
        progress,
        progress_original,
        expected: exp,
        status: st,
        confidence,
        confidence_band: band,
        compliance,
        score,
        score_band,
        weight: def.weight,
        definition: DefinitionInForce {
            effective: def.effective,
            start: def.start,
            target: def.target,
            bound: def.bound,
        },
        flags,
        link: derived.map(|d| Box::new(d.link.clone())),
    }
}
