//! The `okr.*` rules.

use super::evidence::{day, maybe_day};
use super::{finding, DiagnoseSettings, Findings, Severity};
use crate::idx::{Idx, KrIx};
use crate::model::{KrKind, ObjectiveKind, Owner, ProgressFrom};
use crate::okr::expected;
use crate::report::Evidence;
use crate::report::{ConfidenceBand, Evaluation, Status};
use crate::store::check_ins::{Row, Slice};
use crate::store::{KrNode, Model};
use crate::Id;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub(super) fn run(model: &Model, ev: &Evaluation, s: &DiagnoseSettings, out: &mut Findings) {
    objective_shape(model, out, s);
    let derive = crate::link::deriver(model, ev.as_of);
    let mut scratch = Scratch::default();
    for (ix, kr) in model.key_results.iter_enumerated() {
        let derived = derive(kr);
        let from_kpi = derived.as_ref().map(|d| d.check_ins());
        kr_rules(model, ev, (ix, kr), from_kpi, s, &mut scratch, out);
    }
    aspirational_streaks(model, ev, s, out);
}

/// `okr.no_key_results`, `okr.too_many_key_results`, milestone-only `okr.task_like_kr`, `okr.unaligned`.
fn objective_shape(model: &Model, out: &mut Findings, s: &DiagnoseSettings) {
    for o in model.objectives.iter() {
        let id = || vec![o.id.clone()];
        let n = o.krs.len();
        let wants_krs = matches!(o.def.progress_from, ProgressFrom::KeyResults | ProgressFrom::Both);
        if n == 0 && wants_krs {
            out.push(finding(
                "okr.no_key_results",
                Severity::Warning,
                id(),
                [("key_results", Evidence::of(&0))],
            ));
        }
        if n > s.max_key_results {
            out.push(finding(
                "okr.too_many_key_results",
                Severity::Warning,
                id(),
                [
                    ("key_results", Evidence::of(&n)),
                    ("max", Evidence::of(&s.max_key_results)),
                ],
            ));
        }
        if n > 0
            && o.krs
                .iter()
                .all(|k| model.key_results.at(*k).def.kind == KrKind::Milestone)
        {
            out.push(finding(
                "okr.task_like_kr",
                Severity::Warning,
                id(),
                [
                    ("reason", Evidence::of(&"milestone_only")),
                    ("key_results", Evidence::of(&n)),
                ],
            ));
        }
        let non_top = match &o.def.owner {
            Some(Owner::Person(_)) => true,
            Some(Owner::Unit(u)) => model
                .ids
                .units
                .get(u.as_str())
                .is_some_and(|&ix| model.units.at(ix).parent.is_some()),
            None => false,
        };
        if non_top && o.parents.is_empty() {
            out.push(finding(
                "okr.unaligned",
                Severity::Info,
                id(),
                [("parents", Evidence::of(&0))],
            ));
        }
    }
}

/// Progress of a check-in's value under the definition in force on its date (increase/decrease only).
fn progress_at(kr: KrNode<'_>, c: &Row<'_>) -> Option<f64> {
    crate::okr::raw_progress(kr.def.kind, kr.definition_on(c.date), c.value?)
}

/// The rules on one key result. `from_kpi` holds the derived check-ins of a key result linked to a KPI metric:
/// the rules that judge how people report (`okr.stale`, `okr.end_of_cycle_surge`, `okr.mechanical_updates`) skip
/// it, since data freshness is `kpi.stale_data`'s business and derived check-ins carry no confidence (so
/// `okr.flat_confidence` and `okr.confidence_mismatch` cannot fire either); `okr.sandbagging` reads its derived
/// check-ins, since a target the data reaches in the first third of the cycle was easy whoever reports it.
fn kr_rules(
    model: &Model,
    ev: &Evaluation,
    (ix, kr): (KrIx, KrNode<'_>),
    from_kpi: Option<Slice<'_>>,
    s: &DiagnoseSettings,
    scratch: &mut Scratch,
    out: &mut Findings,
) {
    // The evaluation of this model holds the key result at its position; any other evaluation is searched by id.
    let at = ev.key_results.get(ix.index()).filter(|r| r.id == kr.id);
    let Some(result) = at.or_else(|| ev.key_result(&kr.def.id)) else {
        return;
    };
    let as_of = ev.as_of;
    let cycle = model.cycles.at(model.objectives.at(kr.objective).cycle);
    let pace = if kr.def.pace.is_empty() {
        &model.objectives.at(kr.objective).def.pace
    } else {
        &kr.def.pace
    };
    let id = || vec![kr.id.clone()];
    let check_ins = from_kpi.unwrap_or_else(|| model.check_ins_until(kr, as_of));
    let reported = from_kpi.is_none();

    if kr.def.kind == KrKind::Milestone && super::is_task_like(&kr.def.title) {
        out.push(finding(
            "okr.task_like_kr",
            Severity::Info,
            id(),
            [("title", Evidence::of(&kr.def.title))],
        ));
    }

    missing_baseline(kr, check_ins, as_of, out);

    let active = as_of >= cycle.start && as_of <= cycle.end;
    if active && reported && kr.def.kind != KrKind::Linked {
        let since = check_ins.last().map_or(cycle.start, |c| c.date);
        let days = (as_of - since).num_days();
        if days > s.stale_days {
            out.push(finding(
                "okr.stale",
                Severity::Warning,
                id(),
                [
                    ("days_since_check_in", Evidence::of(&days)),
                    ("limit", Evidence::of(&s.stale_days)),
                    ("last_check_in", maybe_day(check_ins.last().map(|c| c.date))),
                ],
            ));
        }
    }

    let behind = matches!(result.status, Status::AtRisk | Status::OffTrack);
    let n = s.flat_confidence_check_ins;
    let confidences = &mut scratch.confidences;
    confidences.clear();
    if behind && n > 0 {
        confidences.extend(check_ins.rows().filter_map(|c| c.confidence));
    }
    if behind && n > 0 && confidences.len() >= n {
        let tail = confidences.get(confidences.len() - n..).unwrap_or(&[]);
        if tail.windows(2).all(|w| w.first() == w.get(1)) {
            out.push(finding(
                "okr.flat_confidence",
                Severity::Warning,
                id(),
                [
                    ("confidence", Evidence::of(&tail.first())),
                    ("check_ins", Evidence::of(&n)),
                    ("status", Evidence::of(&result.status)),
                ],
            ));
        }
    }

    match (result.confidence_band, result.status) {
        (Some(ConfidenceBand::High), Status::OffTrack) | (Some(ConfidenceBand::Low), Status::Done) => out
            .push(finding(
                "okr.confidence_mismatch",
                Severity::Warning,
                id(),
                [
                    ("confidence", Evidence::of(&result.confidence)),
                    ("status", Evidence::of(&result.status)),
                    ("progress", Evidence::of(&result.progress)),
                ],
            )),
        _ => {}
    }

    // Each check-in's progress under the definition in force on its day, worked out once for the rules that read
    // it (surge, mechanical updates, done early); only increase/decrease key results have one.
    let progress = &mut scratch.progress;
    progress.clear();
    if matches!(kr.def.kind, KrKind::Increase | KrKind::Decrease) {
        progress.extend(
            check_ins
                .rows()
                .filter_map(|c| progress_at(kr, &c).map(|p| (c.date, p))),
        );
    }
    let progress = progress.as_slice();
    if reported {
        surge(cycle, check_ins, progress, kr, s, &mut scratch.confidence, out);
    }

    if reported && progress.len() >= s.mechanical_check_ins.max(2) {
        let steps = || {
            progress
                .windows(2)
                .filter_map(|w| Some(w.get(1)?.1 - w.first()?.1))
        };
        let n = steps().count();
        let mean = steps().sum::<f64>() / n as f64;
        let sd = (steps().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let on_line = || {
            progress
                .iter()
                .all(|(d, p)| (p - expected(cycle, pace, *d)).abs() <= s.mechanical_pace_distance)
        };
        if mean > 0.0 && sd / mean <= s.mechanical_step_cv && on_line() {
            out.push(finding(
                "okr.mechanical_updates",
                Severity::Warning,
                id(),
                [
                    ("check_ins", Evidence::of(&progress.len())),
                    ("mean_step", Evidence::of(&mean)),
                    ("step_cv", Evidence::of(&(sd / mean))),
                ],
            ));
        }
    }

    let length = ((cycle.end - cycle.start).num_days() + 1) as f64;
    let early_done = progress.iter().find(|(_, p)| crate::num::ge(*p, 1.0)); // done as the status rule reads it (§0)
    if let Some(&(date, _)) = early_done {
        let share = ((date - cycle.start).num_days() + 1) as f64 / length;
        if share <= s.sandbag_done_share {
            out.push(finding(
                "okr.sandbagging",
                Severity::Warning,
                id(),
                [
                    ("reason", Evidence::of(&"done_early")),
                    ("done_on", day(date)),
                    ("cycle_share", Evidence::of(&share)),
                ],
            ));
        }
    }
    for pair in kr.definitions.windows(2) {
        let (Some(before), Some(after)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let easier = match (kr.def.kind, before.target, after.target) {
            (KrKind::Increase, Some(b), Some(a)) => a < b,
            (KrKind::Decrease, Some(b), Some(a)) => a > b,
            _ => false,
        };
        if easier && after.effective.is_some_and(|e| e <= as_of) {
            out.push(finding(
                "okr.sandbagging",
                Severity::Warning,
                id(),
                [
                    ("reason", Evidence::of(&"target_lowered")),
                    ("effective", maybe_day(after.effective)),
                    ("from", Evidence::of(&before.target)),
                    ("to", Evidence::of(&after.target)),
                ],
            ));
        }
    }
}

/// Dated values of one measure of a key result.
type Series = Vec<(NaiveDate, f64)>;

/// Working lists of the rules on one key result, kept from one key result to the next (no allocation each).
#[derive(Default)]
struct Scratch {
    /// The check-ins' confidences (`okr.flat_confidence`).
    confidences: Vec<f64>,
    /// Each check-in's progress.
    progress: Series,
    /// The check-ins' dated confidences (`okr.end_of_cycle_surge`).
    confidence: Series,
}

/// `okr.end_of_cycle_surge`: confidence or progress flat before the cycle's last `surge_window`, then raised by at
/// least the rise threshold inside it.
fn surge(
    cycle: &crate::model::Cycle,
    check_ins: Slice<'_>,
    progress: &[(NaiveDate, f64)],
    kr: KrNode<'_>,
    s: &DiagnoseSettings,
    confidence: &mut Series,
    out: &mut Findings,
) {
    let length = ((cycle.end - cycle.start).num_days() + 1) as f64;
    let window_start = cycle.end - chrono::Duration::days((s.surge_window * length).floor() as i64);
    if check_ins.len() < 3 || check_ins.last().is_none_or(|c| c.date <= window_start) {
        return; // a surge needs two check-ins before the window and one inside it
    }
    confidence.clear();
    confidence.extend(check_ins.rows().filter_map(|c| c.confidence.map(|v| (c.date, v))));
    let series = [
        ("confidence", s.surge_confidence_rise, confidence.as_slice()),
        ("progress", s.surge_progress_rise, progress),
    ];
    for (what, min_rise, points) in series {
        // The points are in date order: those on or before the window's start, then those inside it.
        let cut = points.partition_point(|(d, _)| *d <= window_start);
        let (before, inside) = (points.get(..cut).unwrap_or(&[]), points.get(cut..).unwrap_or(&[]));
        let (Some(last_before), Some(peak)) = (before.last(), inside.iter().map(|p| p.1).reduce(f64::max))
        else {
            continue;
        };
        let rise = peak - last_before.1;
        let biggest_earlier = before
            .windows(2)
            .filter_map(|w| Some((w.get(1)?.1 - w.first()?.1).abs()))
            .fold(0.0, f64::max);
        if before.len() >= 2 && rise >= min_rise && biggest_earlier <= s.surge_flat_share * rise {
            out.push(finding(
                "okr.end_of_cycle_surge",
                Severity::Warning,
                vec![kr.id.clone()],
                [
                    ("measure", Evidence::of(&what)),
                    ("rise", Evidence::of(&rise)),
                    ("window_start", day(window_start)),
                    ("largest_earlier_step", Evidence::of(&biggest_earlier)),
                ],
            ));
        }
    }
}

/// `okr.sandbagging` across cycles: one owner's aspirational objectives scoring ≥ `sandbag_score` in
/// `sandbag_cycles` ended cycles in a row.
fn aspirational_streaks(model: &Model, ev: &Evaluation, s: &DiagnoseSettings, out: &mut Findings) {
    let mut by_owner: BTreeMap<String, Vec<(NaiveDate, Id, f64)>> = BTreeMap::new();
    for (ix, o) in model
        .objectives
        .iter_enumerated()
        .filter(|(_, o)| o.def.kind == ObjectiveKind::Aspirational)
    {
        let cycle = model.cycles.at(o.cycle);
        // As for key results: this model's evaluation holds the objective at its position.
        let at = ev.objectives.get(ix.index()).filter(|r| r.id == o.id);
        let (Some(owner), Some(r)) = (o.def.owner.as_ref(), at.or_else(|| ev.objective(&o.def.id))) else {
            continue;
        };
        if cycle.end <= ev.as_of {
            let key = match owner {
                Owner::Unit(u) => format!("unit:{u}"),
                Owner::Person(p) => format!("person:{p}"),
            };
            by_owner
                .entry(key)
                .or_default()
                .push((cycle.end, o.id.clone(), r.score));
        }
    }
    for (owner, mut list) in by_owner {
        list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut run: Vec<&(NaiveDate, Id, f64)> = Vec::new();
        let mut best: Vec<&(NaiveDate, Id, f64)> = Vec::new();
        for item in &list {
            if item.2 >= s.sandbag_score {
                run.push(item);
                if run.len() > best.len() {
                    best = run.clone();
                }
            } else {
                run.clear();
            }
        }
        let cycles = {
            let mut ends: Vec<NaiveDate> = best.iter().map(|i| i.0).collect();
            ends.dedup();
            ends.len()
        };
        if s.sandbag_cycles > 0 && cycles >= s.sandbag_cycles {
            out.push(finding(
                "okr.sandbagging",
                Severity::Warning,
                best.iter().map(|i| i.1.clone()).collect(),
                [
                    ("reason", Evidence::of(&"aspirational_streak")),
                    ("owner", Evidence::of(&owner)),
                    ("cycles", Evidence::of(&cycles)),
                    ("min_score", Evidence::of(&s.sandbag_score)),
                ],
            ));
        }
    }
}

/// `okr.missing_baseline`: an `increase`/`decrease` KR without a start in force; evaluation then measures from the
/// first check-in, which hides whatever moved before it.
fn missing_baseline(kr: KrNode<'_>, check_ins: Slice<'_>, as_of: NaiveDate, out: &mut Findings) {
    let metric = matches!(kr.def.kind, KrKind::Increase | KrKind::Decrease);
    if !metric || kr.definition_on(as_of).start.is_some() {
        return;
    }
    let first = check_ins.rows().find(|c| c.value.is_some());
    out.push(finding(
        "okr.missing_baseline",
        Severity::Warning,
        vec![kr.id.clone()],
        [
            ("baseline_used", Evidence::of(&first.and_then(|c| c.value))),
            ("first_check_in", maybe_day(first.map(|c| c.date))),
        ],
    ));
}
