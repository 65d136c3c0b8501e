//! One objective: its roll-up, pace, status, confidence and score (DOMAIN.md §3–4).

use super::kr::bound_progress;
use super::pace::expected;
use super::score::{confidence_band, expected_score, score};
use super::status::{status, StatusInput};
use super::Slots;
use crate::idx::{Idx, ObjIx};
use crate::model::{AlignmentMode, KrKind, ProgressFrom, Rollup};
use crate::report::{Flag, KrResult, ObjectiveResult, Source, SourceKind, Status};
use crate::settings::{ObjectiveStatusRule, Settings};
use crate::validated::Model;
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
) -> ObjectiveResult {
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
    let mut terms: Vec<(SourceKind, &str, f64, f64, Status, bool)> = Vec::new();
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
    let total_weight: f64 = terms.iter().map(|t| t.2).sum();
    let sources: Vec<Source> = terms
        .iter()
        .map(|&(kind, id, weight, progress, _, _)| Source {
            kind,
            id: id.to_owned(),
            weight,
            normalized_weight: if total_weight > 0.0 {
                weight / total_weight
            } else {
                0.0
            },
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
    let rollup = if asked == Rollup::ByValue && !eligible {
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
    } else if rollup == Rollup::ByValue {
        (by_value(krs, settings), terms.iter().any(|t| t.5))
    } else {
        let p = if total_weight > 0.0 {
            terms.iter().map(|t| t.2 * t.3).sum::<f64>() / total_weight
        } else {
            0.0
        };
        (p, terms.iter().any(|t| t.5))
    };
    if !active && !flags.contains(&Flag::NoSources) {
        flags.push(Flag::NoCheckIn);
    }

    let (conf_sum, conf_weight) = krs
        .iter()
        .filter_map(|k| k.confidence.map(|c| (c * k.weight, k.weight)))
        .fold((0.0, 0.0), |(s, w), (cs, cw)| (s + cs, w + cw));
    let confidence = (conf_weight > 0.0).then(|| conf_sum / conf_weight);
    let band = confidence.map(|c| confidence_band(c, settings));
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
        id: o.id.clone(),
        cycle: cycle.id.clone(),
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
fn by_value(krs: &[&KrResult], settings: &Settings) -> f64 {
    let (mut cur, mut start, mut target) = (0.0, 0.0, 0.0);
    for k in krs {
        let s = k.definition.start.unwrap_or(0.0);
        cur += k.current.unwrap_or(s);
        start += s;
        target += k.definition.target.unwrap_or(s);
    }
    let decreasing = krs.first().is_some_and(|k| k.kind == KrKind::Decrease);
    let raw = if decreasing {
        (start - cur) / (start - target)
    } else {
        (cur - start) / (target - start)
    };
    if raw.is_finite() {
        bound_progress(raw, settings)
    } else {
        0.0
    }
}
