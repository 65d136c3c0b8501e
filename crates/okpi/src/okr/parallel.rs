//! Evaluation on rayon's thread pool (feature `parallel`): [`super::evaluate`]'s three steps, each spread over the
//! pool. The same functions on the same inputs, so the result equals the single-threaded one.

use super::{evaluate_in_place, objective, Full, Slots};
use crate::error::Error;
use crate::idx::{Idx, KrIx, ObjIx};
use crate::report::{Evaluation, KrResult, ObjectiveResult};
use crate::settings::Settings;
use crate::store::Model;
use chrono::NaiveDate;
use rayon::prelude::*;

/// [`super::evaluate`] on all cores. The key results, then the objectives that read no other, are collected in
/// parallel straight into their vectors (each thread writes, and so first touches, its own part); the deferred
/// objectives follow level by level, each level's objectives at once. The result is identical to the
/// single-threaded one.
pub fn evaluate_parallel(model: &Model, as_of: NaiveDate, settings: &Settings) -> Result<Evaluation, Error> {
    settings.check()?;
    let derived = crate::link::derive_all(model, as_of);
    let elapsed = super::pace::elapsed_by_cycle(model, as_of);
    let pass = Full::new(model, &derived, as_of, settings, &elapsed);
    let mut krs: Vec<KrResult> = (0..model.key_results.len())
        .into_par_iter()
        .map_init(|| None, |last, i| pass.key_result(i, last))
        .collect();
    let mut objectives: Vec<ObjectiveResult> = (0..model.objectives.len())
        .into_par_iter()
        .map_init(Vec::new, |terms, i| pass.objective(i, &krs, terms))
        .collect();
    for level in model.okr.deferred_levels() {
        let done: Vec<Done> = level
            .par_iter()
            .map_init(Vec::new, |terms, &ix| {
                deferred(&pass, ix, &krs, &objectives, terms)
            })
            .collect();
        for (ix, own, result) in done {
            for (k, r) in own {
                krs.put(k.index(), r);
            }
            objectives.put(ix.index(), result);
        }
    }
    Ok(pass.evaluation(krs, objectives))
}

/// A deferred objective, its linked key results (with their indexes) and its own result.
type Done = (ObjIx, Vec<(KrIx, KrResult)>, ObjectiveResult);

/// Deferred objective `ix` over the results so far, which hold every objective it reads (of an earlier level, or
/// one that reads none): `evaluate_in_place`, the serial pass's own step, with its writes kept aside.
fn deferred(
    pass: &Full<'_>,
    ix: ObjIx,
    krs: &[KrResult],
    objectives: &[ObjectiveResult],
    terms: &mut Vec<objective::Term>,
) -> Done {
    let mut own = Aside {
        base: krs,
        put: Vec::new(),
    };
    let mut result = Aside {
        base: objectives,
        put: Vec::new(),
    };
    evaluate_in_place(
        pass.model,
        ix,
        &mut own,
        &mut result,
        Some(pass.derived),
        pass.at,
        true,
        terms,
    );
    let result = result
        .put
        .pop()
        .map_or_else(super::placeholder_objective, |(_, r)| r);
    let linked = own.put.into_iter().map(|(k, r)| (KrIx::new(k), r)).collect();
    (ix, linked, result)
}

/// Results read from the shared vector, written aside (by index) for the calling thread to put in place.
struct Aside<'a, T> {
    base: &'a [T],
    put: Vec<(usize, T)>,
}

impl<T> Slots<T> for Aside<'_, T> {
    fn slot(&self, i: usize) -> Option<&T> {
        match self.put.iter().rev().find(|(at, _)| *at == i) {
            Some((_, value)) => Some(value),
            None => self.base.get(i),
        }
    }
    fn put(&mut self, i: usize, value: T) {
        self.put.push((i, value));
    }
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
