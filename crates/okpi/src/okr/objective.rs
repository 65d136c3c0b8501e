//! One objective: its roll-up, pace, status, confidence and score (DOMAIN.md §3–4).

use super::kr::{bound_progress, Parent};
use super::mean::{saturate, weighted, Weighted};
use super::score::{expected_score, mean_confidence_band, score};
use super::status::{status, StatusInput};
use super::Slots;
use crate::idx::{Idx, ObjIx};
use crate::model::{KrKind, ProgressFrom, Rollup};
use crate::report::{Flag, Flags, KrResult, ObjectiveResult, Source, SourceKind, Status};
use crate::settings::{ObjectiveStatusRule, Settings};
use crate::store::okr_columns::{ObjFacts, OBJ_BY_VALUE};
use crate::store::Model;

/// One term of a roll-up while it is computed. No reference: the buffer holding the terms is reused from one
/// objective to the next. A key-result term's id is read again from the key result (they come first, in the
/// objective's KR order); an objective term names the child.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Term {
    kind: SourceKind,
    child: ObjIx,
    weight: f64,
    progress: f64,
    status: Status,
    active: bool,
}

/// Evaluates objective `ix`, whose key results (`krs`, in the objective's KR order) and contributing children
/// (looked up in `objectives`) are already evaluated; `parent` holds its id, cycle and expected progress. `terms`
/// is a buffer the caller keeps between objectives, so a roll-up allocates nothing but its `sources`. It reads
/// the store's columns rather than the objective's record, but for its kind.
pub(crate) fn evaluate_objective<'k>(
    model: &Model,
    ix: ObjIx,
    parent: &Parent<'_>,
    krs: impl Iterator<Item = &'k KrResult> + Clone,
    objectives: &impl Slots<ObjectiveResult>,
    terms: &mut Vec<Term>,
    at: super::At<'_>,
) -> ObjectiveResult {
    let super::At { as_of, settings, .. } = at;
    let c = &model.okr;
    let node = model.objectives.at(ix);
    let facts = c.objectives.get(ix.index()).copied().unwrap_or(ObjFacts {
        cycle: node.cycle,
        from: node.def.progress_from,
        rollup: node.def.rollup,
        visibility: node.def.visibility,
        flags: 0,
    });
    let (use_krs, use_children) = match facts.from {
        ProgressFrom::KeyResults => (true, false),
        ProgressFrom::Children => (false, true),
        ProgressFrom::Both => (true, true),
        ProgressFrom::Manual => (false, false),
    };

    terms.clear();
    if use_krs {
        terms.extend(krs.clone().map(|k| Term {
            kind: SourceKind::KeyResult,
            child: ix,
            weight: k.weight,
            progress: k.progress,
            status: k.status,
            active: !k.flags.contains(Flag::NoCheckIn),
        }));
    }
    if use_children {
        let counts = |child: ObjIx| {
            c.objectives
                .get(child.index())
                .is_some_and(|f| settings.private_rollup.counts(f.visibility))
        };
        for &(child, weight) in c.children_of(ix).iter().filter(|(child, _)| counts(*child)) {
            if let Some(r) = objectives.slot(child.index()) {
                terms.push(Term {
                    kind: SourceKind::Objective,
                    child,
                    weight,
                    progress: r.progress,
                    status: r.status,
                    active: !r.flags.contains(Flag::NoCheckIn) && !r.flags.contains(Flag::NoSources),
                });
            }
        }
    }
    let terms = &*terms;
    let mean = weighted(terms.iter().map(|t| (t.weight, t.progress)));
    let sources = sources_of(terms, krs.clone(), objectives, mean.as_ref());

    let mut flags = Flags::default();
    let asked = facts.rollup.unwrap_or(settings.rollup);
    // `OBJ_BY_VALUE`: key results only, at least one, all of one increase/decrease kind and unit, each with a
    // start.
    let by_value_sum = (asked == Rollup::ByValue && facts.flags & OBJ_BY_VALUE != 0)
        .then(|| by_value(krs.clone(), settings))
        .flatten();
    let rollup = if asked == Rollup::ByValue && by_value_sum.is_none() {
        flags.insert(Flag::ByValueFallback);
        Rollup::Weighted
    } else {
        asked
    };

    let manual = c
        .manual_of(ix)
        .iter()
        .filter(|u| u.0 <= as_of)
        .max_by_key(|u| u.0);
    let (progress, active) = if facts.from == ProgressFrom::Manual {
        (manual.map_or(0.0, |u| u.1), manual.is_some())
    } else if terms.is_empty() {
        flags.insert(Flag::NoSources);
        (0.0, false)
    } else if let Some(p) = by_value_sum.filter(|_| rollup == Rollup::ByValue) {
        (p, terms.iter().any(|t| t.active))
    } else {
        // Validation refuses an objective whose counted sources all weigh 0.
        (mean.map_or(0.0, |m| m.mean), terms.iter().any(|t| t.active))
    };
    if !active && !flags.contains(Flag::NoSources) {
        flags.insert(Flag::NoCheckIn);
    }

    let confidence = weighted(krs.filter_map(|k| k.confidence.get().map(|c| (k.weight, c)))).map(|w| w.mean);
    let band = confidence.map(|c| mean_confidence_band(c, settings));
    let exp = parent.expected;
    let cycle = parent.cycle;
    let from_progress = || {
        status(
            &StatusInput {
                progress,
                expected: exp,
                active,
                confidence: band,
                cycle,
                as_of,
            },
            settings,
        )
    };
    let st = match settings.objective_status {
        ObjectiveStatusRule::WorstKr => terms.iter().map(|t| t.status).min().unwrap_or_else(from_progress),
        ObjectiveStatusRule::FromProgress => from_progress(),
    };
    let (score, score_band) = score(progress);
    ObjectiveResult {
        id: parent.id.clone(),
        cycle: model.cycle_ids.at(facts.cycle).clone(),
        kind: node.def.kind,
        progress,
        expected: exp,
        status: st,
        confidence: confidence.into(),
        confidence_band: band,
        score,
        score_band,
        expected_score: expected_score(node.def.kind),
        score_final: as_of >= cycle.end,
        rollup,
        sources,
        flags,
    }
}

/// The roll-up's terms as sources, with their ids and normalised weights: one allocation, of the exact size.
fn sources_of<'k>(
    terms: &[Term],
    krs: impl Iterator<Item = &'k KrResult>,
    objectives: &impl Slots<ObjectiveResult>,
    mean: Option<&Weighted>,
) -> Vec<Source> {
    let mut krs = krs;
    let mut out = Vec::with_capacity(terms.len());
    for t in terms {
        let id = match t.kind {
            SourceKind::KeyResult => krs.next().map(|k| &k.id),
            SourceKind::Objective => objectives.slot(t.child.index()).map(|c| &c.id),
        };
        out.push(Source {
            kind: t.kind,
            id: id.cloned().unwrap_or_default(),
            weight: t.weight,
            normalized_weight: mean.map_or(0.0, |m| m.normalized(t.weight)),
            progress: t.progress,
        });
    }
    out
}

/// (Σcurrent − Σstart) / (Σtarget − Σstart) over key results of one kind and unit, bounded like a key result.
/// Sums that would overflow are taken over values scaled by a power of two (exact, and the ratio is
/// unchanged); `None` when even then the sums cannot be told apart (the caller falls back to the weighted mean
/// and flags it).
fn by_value<'k>(krs: impl Iterator<Item = &'k KrResult> + Clone, settings: &Settings) -> Option<f64> {
    let decreasing = krs.clone().next().is_some_and(|k| k.kind == KrKind::Decrease);
    let values = krs.map(|k| {
        let d = &k.definition;
        (k.current.get(), d.start.get(), d.target.get())
    });
    by_value_of(values, decreasing, settings)
}

/// [`by_value`] over each key result's (current, start, target) in force, `decreasing` when the first one is a
/// `decrease` (the columnar evaluation calls it too).
pub(crate) fn by_value_of(
    krs: impl Iterator<Item = (Option<f64>, Option<f64>, Option<f64>)> + Clone,
    decreasing: bool,
    settings: &Settings,
) -> Option<f64> {
    let sums = |scale: f64| {
        let (mut cur, mut start, mut target) = (0.0, 0.0, 0.0);
        for (current, s, t) in krs.clone() {
            let s = s.unwrap_or(0.0);
            cur += current.unwrap_or(s) * scale;
            start += s * scale;
            target += t.unwrap_or(s) * scale;
        }
        (cur, start, target)
    };
    // The quotient of the two differences, or `None` when a sum or difference overflowed.
    let ratio = |(cur, start, target): (f64, f64, f64)| {
        let (num, den) = if decreasing {
            (start - cur, start - target)
        } else {
            (cur - start, target - start)
        };
        (num.is_finite() && den.is_finite()).then(|| num / den)
    };
    let raw = if let Some(plain) = ratio(sums(1.0)) {
        saturate(plain)
    } else {
        // 2^-k with 2^k ≥ 2n keeps every sum and difference of n finite values finite.
        let k = usize::BITS - (2 * krs.clone().count()).leading_zeros();
        saturate(ratio(sums(0.5f64.powi(i32::try_from(k).unwrap_or(64))))?)
    };
    raw.is_finite().then(|| bound_progress(raw, settings))
}
