//! The OKR engine (DOMAIN.md §1–4): key-result progress, roll-up over the alignment DAG, pace, status,
//! confidence and scores, with incremental re-evaluation and explanations.

mod explain;
mod incremental;
mod kr;
mod mean;
mod objective;
mod pace;
mod score;
mod status;

pub use explain::{Explanation, Quantity};
pub use kr::bound_progress;
pub(crate) use kr::raw_progress;
pub use pace::{elapsed, expected, EPS};
pub use score::{confidence_band, expected_score, score};
pub use status::{status, StatusInput};

use crate::error::Error;
use crate::idx::{Idx, ObjIx};
use crate::report::{Evaluation, KrResult, ObjectiveResult};
use crate::settings::Settings;
use crate::validated::Model;
use chrono::NaiveDate;

/// Evaluates every key result and objective of `model` as of `as_of`.
///
/// Settings are checked first; a setting out of range is an [`Error::Invalid`] with paths under `$.settings`.
pub fn evaluate(model: &Model, as_of: NaiveDate, settings: &Settings) -> Result<Evaluation, Error> {
    settings.check()?;
    let mut krs: Vec<Option<KrResult>> = vec![None; model.key_results.len()];
    let mut objectives: Vec<Option<ObjectiveResult>> = vec![None; model.objectives.len()];
    for &ix in &model.order {
        evaluate_in_place(model, ix, &mut krs, &mut objectives, as_of, settings);
    }
    Ok(Evaluation {
        as_of,
        settings: settings.clone(),
        key_results: krs.into_iter().flatten().collect(),
        objectives: objectives.into_iter().flatten().collect(),
    })
}

/// Evaluates objective `ix` and its key results into the slots, reading children and linked objectives that
/// the dependency order has already filled.
pub(crate) fn evaluate_in_place<K: Slots<KrResult>, O: Slots<ObjectiveResult>>(
    model: &Model,
    ix: ObjIx,
    krs: &mut K,
    objectives: &mut O,
    as_of: NaiveDate,
    settings: &Settings,
) {
    let node = model.objectives.at(ix);
    for &k in &node.krs {
        let linked = model
            .key_results
            .at(k)
            .linked
            .and_then(|l| objectives.slot(l.index()));
        let result = kr::evaluate_kr(model, k, &node.def, linked, as_of, settings);
        krs.put(k.index(), result);
    }
    let own: Vec<&KrResult> = node.krs.iter().filter_map(|k| krs.slot(k.index())).collect();
    let result = objective::evaluate_objective(model, ix, &own, &*objectives, as_of, settings);
    objectives.put(ix.index(), result);
}

/// Where results are kept while evaluating: a full pass fills empty slots, an incremental one overwrites
/// the results of an earlier evaluation in place.
pub(crate) trait Slots<T> {
    fn slot(&self, i: usize) -> Option<&T>;
    fn put(&mut self, i: usize, value: T);
}

impl<T> Slots<T> for Vec<Option<T>> {
    fn slot(&self, i: usize) -> Option<&T> {
        self.get(i).and_then(Option::as_ref)
    }
    fn put(&mut self, i: usize, value: T) {
        if let Some(s) = self.get_mut(i) {
            *s = Some(value);
        }
    }
}

impl<T> Slots<T> for Vec<T> {
    fn slot(&self, i: usize) -> Option<&T> {
        self.get(i)
    }
    fn put(&mut self, i: usize, value: T) {
        if let Some(s) = self.get_mut(i) {
            *s = value;
        }
    }
}
