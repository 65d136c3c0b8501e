//! Filtering OKR reports: evaluations and explanations.

use super::{Filter, View};
use crate::okr::Explanation;
use crate::report::{Evaluation, Evidence, Source, SourceKind};

impl Filter for Evaluation {
    /// Keeps the objectives the viewer may see and the key results of those; each objective keeps its true
    /// progress, status and score, but lists only visible sources, with weights renormalised over them so the
    /// share of a hidden source cannot be read off.
    fn filter(mut self, view: &View<'_>) -> Self {
        self.key_results
            .retain(|k| view.sees_key_result(&k.id) && view.sees_objective(&k.objective));
        self.objectives.retain(|o| view.sees_objective(&o.id));
        for o in &mut self.objectives {
            visible_sources(&mut o.sources, view);
        }
        self
    }
}

/// Removes the sources the viewer may not see; when any was removed, the rest's normalised weights are
/// recomputed over the visible weights (0 when those sum to 0), as the evaluation computes them.
pub(crate) fn visible_sources(sources: &mut Vec<Source>, view: &View<'_>) {
    let before = sources.len();
    sources.retain(|s| match s.kind {
        SourceKind::KeyResult => view.sees_key_result(&s.id),
        SourceKind::Objective => view.sees_objective(&s.id),
    });
    if sources.len() == before {
        return;
    }
    let total: f64 = sources.iter().map(|s| s.weight).sum();
    for s in sources.iter_mut() {
        s.normalized_weight = if total > 0.0 { s.weight / total } else { 0.0 };
    }
}

impl Filter for Vec<crate::CheckInRecord> {
    /// Keeps the check-ins of key results the viewer may see (a check-in follows its key result, DOMAIN.md §9).
    fn filter(mut self, view: &View<'_>) -> Self {
        self.retain(|c| view.sees_key_result(&c.key_result));
        self
    }
}

impl Filter for Option<Explanation> {
    /// `None` when the viewer may not see the key result or objective explained (so a hidden id and an unknown
    /// one look alike); otherwise the sources and the linked objective it names are filtered like the
    /// evaluation's.
    fn filter(self, view: &View<'_>) -> Self {
        let mut e = self?;
        let visible = if view.knows_key_result(&e.id) {
            view.sees_key_result(&e.id)
        } else {
            view.sees_objective(&e.id)
        };
        if !visible {
            return None;
        }
        if let Some(v) = e.inputs.get_mut("sources") {
            let read = serde_json::to_value(&*v).and_then(serde_json::from_value::<Vec<Source>>);
            match read {
                Ok(mut sources) => {
                    visible_sources(&mut sources, view);
                    *v = Evidence::of(&sources);
                }
                Err(_) => *v = Evidence::Null,
            }
        }
        let hidden_link = match e.inputs.get("linked_objective") {
            Some(Evidence::Text(l)) => !view.sees_objective(l),
            // An id that reads as a day comes back from JSON as one.
            Some(Evidence::Date(d)) => !view.sees_objective(&d.to_string()),
            Some(_) => true,
            None => false,
        };
        if hidden_link {
            e.inputs.remove("linked_objective");
        }
        Some(e)
    }
}
