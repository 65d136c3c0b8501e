//! Evaluation on rayon's thread pool (feature `parallel`): objectives level by level of the dependency order, each
//! level's objectives at once. The same functions on the same inputs, so the result equals [`super::evaluate`].

use super::{kr, objective, placeholder_kr, placeholder_objective, At, Slots};
use crate::error::Error;
use crate::idx::{Idx, KrIx, ObjIx};
use crate::link::AllDerived;
use crate::model::AlignmentMode;
use crate::report::{Evaluation, KrResult, ObjectiveResult};
use crate::settings::Settings;
use crate::store::Model;
use chrono::NaiveDate;
use rayon::prelude::*;

/// [`super::evaluate`] on all cores: objectives whose inputs are ready (their contributing children and linked
/// objectives evaluated) are evaluated together. The result is identical to the single-threaded one.
pub fn evaluate_parallel(model: &Model, as_of: NaiveDate, settings: &Settings) -> Result<Evaluation, Error> {
    settings.check()?;
    let mut krs: Vec<KrResult> = vec![placeholder_kr(); model.key_results.len()];
    let mut objectives: Vec<ObjectiveResult> = vec![placeholder_objective(); model.objectives.len()];
    let derived = crate::link::derive_all(model, as_of);
    let elapsed = super::pace::elapsed_by_cycle(model, as_of);
    let at = At {
        as_of,
        settings,
        elapsed: &elapsed,
    };
    for level in levels(model) {
        let done: Vec<(ObjIx, Done)> = level
            .par_iter()
            .map(|&ix| (ix, evaluate_one(model, ix, &objectives, &derived, at)))
            .collect();
        for (ix, (k, o)) in done {
            for (kx, r) in k {
                krs.put(kx.index(), r);
            }
            objectives.put(ix.index(), o);
        }
    }
    Ok(Evaluation {
        as_of,
        settings: settings.clone(),
        key_results: krs,
        objectives,
    })
}

/// Objectives by depth in the dependency order: level 0 reads no objective, level n reads only lower levels.
fn levels(model: &Model) -> Vec<Vec<ObjIx>> {
    let mut depth = vec![0usize; model.objectives.len()];
    let mut out: Vec<Vec<ObjIx>> = Vec::new();
    for &ix in &model.order {
        let node = model.objectives.at(ix);
        let children = node
            .children
            .iter()
            .filter(|(_, e)| e.mode == AlignmentMode::Contributes)
            .map(|(c, _)| *c);
        let linked = node.krs.iter().filter_map(|k| model.key_results.at(*k).linked);
        let d = children
            .chain(linked)
            .map(|o| depth.get(o.index()).copied().unwrap_or(0) + 1)
            .max()
            .unwrap_or(0);
        if let Some(slot) = depth.get_mut(ix.index()) {
            *slot = d;
        }
        while out.len() <= d {
            out.push(Vec::new());
        }
        if let Some(level) = out.get_mut(d) {
            level.push(ix);
        }
    }
    out
}

/// One objective's key results (with their indexes) and its own result.
type Done = (Vec<(KrIx, KrResult)>, ObjectiveResult);

fn evaluate_one(
    model: &Model,
    ix: ObjIx,
    objectives: &Vec<ObjectiveResult>,
    derived: &AllDerived,
    at: At<'_>,
) -> Done {
    let node = model.objectives.at(ix);
    let parent = kr::Parent::of(model, ix, &at);
    let krs: Vec<KrResult> = node
        .krs
        .iter()
        .map(|&k| {
            let def = &model.key_results.at(k).def;
            let from_kpi = def.link.as_ref().and_then(|_| crate::link::slot(derived, k));
            let linked = model
                .key_results
                .at(k)
                .linked
                .and_then(|l| objectives.slot(l.index()));
            kr::evaluate_kr(model, k, &parent, linked, from_kpi, at)
        })
        .collect();
    let result =
        objective::evaluate_objective(model, ix, &parent, krs.iter(), objectives, &mut Vec::new(), at);
    (node.krs.iter().copied().zip(krs).collect(), result)
}

#[cfg(test)]
mod tests {
    #[test]
    fn equals_the_single_threaded_evaluation() {
        let text = include_str!("../../../../examples/data/quarter.json");
        let model = crate::Model::from_json(text).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let settings = crate::Settings::default();
        assert_eq!(
            super::evaluate_parallel(&model, day, &settings).unwrap(),
            crate::okr::evaluate(&model, day, &settings).unwrap()
        );
    }
}
