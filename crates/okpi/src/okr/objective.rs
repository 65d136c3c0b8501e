//! One objective: its roll-up, pace, status, confidence and score (DOMAIN.md §3–4).

use super::kr::bound_progress;
use super::mean::{saturate, weighted};
use super::pace::expected;
use super::score::{expected_score, mean_confidence_band, score};
use super::status::{status, StatusInput};
use super::Slots;
use crate::id::Id;
use crate::idx::{Idx, ObjIx};
use crate::model::{AlignmentMode, KrKind, ProgressFrom, Rollup};
use crate::report::{Flag, KrResult, ObjectiveResult, Source, SourceKind, Status};
use crate::settings::{ObjectiveStatusRule, Settings};
use crate::store::Model;
use chrono::NaiveDate;

/// Evaluates objective `ix`, whose key results (`krs`, in the objective's KR order) and contributing children
/// (looked up in `objectives`) are already evaluated.
pub(crate) fn evaluate_objective(
    model: &Model,
    ix: ObjIx,
    krs: &[&KrResult],
    objectives: &impl Slots<ObjectiveResult>,
    as_of: NaiveDate,
    settings: &Settings,
    detail: super::Detail,
) -> ObjectiveResult {
    let full = detail == super::Detail::Full;
    let node = model.objectives.at(ix);
    let o = &node.def;
    let cycle = model.cycles.at(node.cycle);
    let (use_krs, use_children) = match o.progress_from {
        ProgressFrom::KeyResults => (true, false),
        ProgressFrom::Children => (false, true),
        ProgressFrom::Both => (true, true),
        ProgressFrom::Manual => (false, false),
    };

    // (kind, id, weight, progress, status, active)
    let mut terms: Vec<(SourceKind, &Id, f64, f64, Status, bool)> = Vec::new();
    if use_krs {
        for k in krs {
            terms.push((
                SourceKind::KeyResult,
                &k.id,
                k.weight,
                k.progress,
                k.status,
                !k.flags.contains(&Flag::NoCheckIn),
            ));
        }
    }
    if use_children {
        for (child, edge) in node
            .children
            .iter()
            .filter(|(_, e)| e.mode == AlignmentMode::Contributes)
            .filter(|(c, _)| {
                settings
                    .private_rollup
                    .counts(model.objectives.at(*c).def.visibility)
            })
        {
            if let Some(c) = objectives.slot(child.index()) {
                let active = !c.flags.contains(&Flag::NoCheckIn) && !c.flags.contains(&Flag::NoSources);
                terms.push((
                    SourceKind::Objective,
                    &c.id,
                    edge.weight,
                    c.progress,
                    c.status,
                    active,
                ));
            }
        }
    }
    let mean = weighted(&terms.iter().map(|t| (t.2, t.3)).collect::<Vec<_>>());
    let sources: Vec<Source> = terms
        .iter()
        .filter(|_| full)
        .enumerate()
        .map(|(i, &(kind, id, weight, progress, _, _))| Source {
            kind,
            id: id.clone(),
            weight,
            normalized_weight: mean
                .as_ref()
                .and_then(|m| m.normalized.get(i).copied())
                .unwrap_or(0.0),
            progress,
        })
        .collect();

    let mut flags = Vec::new();
    let asked = o.rollup.unwrap_or(settings.rollup);
    let eligible = o.progress_from == ProgressFrom::KeyResults
        && !krs.is_empty()
        && crate::by_value_eligible(node.krs.iter().map(|k| {
            let def = &model.key_results.at(*k).def;
            (def.kind, def.unit.as_deref(), def.start.is_some())
        }));
    let by_value_sum = (asked == Rollup::ByValue && eligible)
        .then(|| by_value(krs, settings))
        .flatten();
    let rollup = if asked == Rollup::ByValue && by_value_sum.is_none() {
        flags.push(Flag::ByValueFallback);
        Rollup::Weighted
    } else {
        asked
    };

    let manual = o
        .manual_updates
        .iter()
        .filter(|u| u.date <= as_of)
        .max_by_key(|u| u.date);
    let (progress, active) = if o.progress_from == ProgressFrom::Manual {
        (manual.map_or(0.0, |u| u.progress), manual.is_some())
    } else if terms.is_empty() {
        flags.push(Flag::NoSources);
        (0.0, false)
    } else if let Some(p) = by_value_sum.filter(|_| rollup == Rollup::ByValue) {
        (p, terms.iter().any(|t| t.5))
    } else {
        // Validation refuses an objective whose counted sources all weigh 0.
        (mean.as_ref().map_or(0.0, |m| m.mean), terms.iter().any(|t| t.5))
    };
    if !active && !flags.contains(&Flag::NoSources) {
        flags.push(Flag::NoCheckIn);
    }

    let confident: Vec<(f64, f64)> = krs
        .iter()
        .filter_map(|k| k.confidence.map(|c| (k.weight, c)))
        .collect();
    let confidence = weighted(&confident).map(|w| w.mean);
    let band = confidence.map(|c| mean_confidence_band(c, settings));
    let exp = expected(cycle, &o.pace, as_of);
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
        ObjectiveStatusRule::WorstKr => terms.iter().map(|t| t.4).min().unwrap_or_else(from_progress),
        ObjectiveStatusRule::FromProgress => from_progress(),
    };
    let (score, score_band) = score(progress);
    flags.sort();
    ObjectiveResult {
        id: if full { node.id.clone() } else { Id::default() },
        cycle: if full {
            model.cycle_ids.at(node.cycle).clone()
        } else {
            Id::default()
        },
        kind: o.kind,
        progress,
        expected: exp,
        status: st,
        confidence,
        confidence_band: band,
        score,
        score_band,
        expected_score: expected_score(o.kind),
        score_final: as_of >= cycle.end,
        rollup,
        sources,
        flags,
    }
}

/// (Σcurrent − Σstart) / (Σtarget − Σstart) over key results of one kind and unit, bounded like a key result.
/// Sums that would overflow are taken over values scaled by a power of two (exact, and the ratio is
/// unchanged); `None` when even then the sums cannot be told apart (the caller falls back to the weighted mean
/// and flags it).
fn by_value(krs: &[&KrResult], settings: &Settings) -> Option<f64> {
    let decreasing = krs.first().is_some_and(|k| k.kind == KrKind::Decrease);
    let values = krs
        .iter()
        .map(|k| (k.current, k.definition.start, k.definition.target));
    by_value_of(values, decreasing, settings)
}

/// [`by_value`] over each key result's (current, start, target) in force, `decreasing` when the first one is a
/// `decrease` (the columnar evaluation calls it too).
pub(crate) fn by_value_of(
    krs: impl ExactSizeIterator<Item = (Option<f64>, Option<f64>, Option<f64>)> + Clone,
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
        let k = usize::BITS - (2 * krs.len()).leading_zeros();
        saturate(ratio(sums(0.5f64.powi(i32::try_from(k).unwrap_or(64))))?)
    };
    raw.is_finite().then(|| bound_progress(raw, settings))
}
