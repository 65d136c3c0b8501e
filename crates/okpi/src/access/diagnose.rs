//! Filtering diagnostics findings and the advisor's output.

use super::{Filter, View};
use crate::decide::{Advice, Portfolio};
use crate::diagnose::{Diagnosis, Finding};
use crate::report::Evidence;

impl Filter for Diagnosis {
    /// Keeps the findings whose every subject (and the data their evidence quotes) the viewer may see
    /// ([`sees_finding`]). When a finding or an objective was left out, the health score is **recomputed** over
    /// the findings and objectives the viewer may see and marked `partial` (DOMAIN.md §9): it then says nothing
    /// about hidden ones.
    fn filter(mut self, view: &View<'_>) -> Self {
        let before = self.findings.len();
        self.findings.retain(|f| sees_finding(view, f));
        for f in &mut self.findings {
            for v in f.evidence.values_mut() {
                scrub_value(view, v);
            }
        }
        let objectives: std::collections::BTreeSet<&str> = view
            .facts
            .objectives
            .iter()
            .map(|o| o.id.as_str())
            .filter(|id| view.sees_objective(id))
            .collect();
        let all_objectives: std::collections::BTreeSet<&str> =
            view.facts.objectives.iter().map(|o| o.id.as_str()).collect();
        if self.findings.len() < before || objectives.len() < all_objectives.len() || self.health.partial {
            let severities: Vec<_> = self.findings.iter().map(|f| f.severity).collect();
            self.health = crate::diagnose::health(&severities, objectives.len());
            self.health.partial = true;
        }
        self
    }
}

/// Whether the viewer may see a finding, by what its code says its subjects are:
///
/// - `okr.*`: objectives or key results;
/// - `kpi.single_metric`: a scorecard; `kpi.target_changed_after_lock`: a target;
///   `kpi.definition_changed_mid_cycle`: a target and a metric (metrics are no one's: the target decides);
/// - `kpi.stale_data`: a measure (only dates: everyone);
/// - `kpi.source_discrepancy`: a measure whose evidence quotes observations, so none of them may be about a
///   person whose results the viewer may not see (a `person` dim, else the members of its `unit`);
/// - `kpi.pull_forward`: a measure and a unit: that unit's aggregate, which the rule of DOMAIN.md §9 must let
///   the viewer see whole;
/// - `access.private_progress_shared`: a private objective and the parent it shares progress with;
/// - `kpi.threshold_bunching`: a metric and a cycle: it counts every target of them, all of which must be visible
///   (a unit's target: its metric's aggregate over the unit, which the rule of DOMAIN.md §9 must let them see whole);
/// - any other code: only `hr_admin` (a new rule stays hidden until its subjects are described here).
pub(crate) fn sees_finding(view: &View<'_>, f: &Finding) -> bool {
    let s = |i: usize| f.subjects.get(i).map(crate::Id::as_str).unwrap_or_default();
    match f.code.as_str() {
        c if c.starts_with("okr.") => f.subjects.iter().all(|id| sees_okr_item(view, id)),
        "kpi.single_metric" => f.subjects.iter().all(|id| view.sees_scorecard(id)),
        "kpi.target_changed_after_lock" => f.subjects.iter().all(|id| view.sees_target(id)),
        "kpi.definition_changed_mid_cycle" => view.sees_target(s(0)),
        "kpi.stale_data" => true,
        "kpi.source_discrepancy" => f
            .subjects
            .iter()
            .flat_map(|m| view.facts.observation_dims(m))
            .all(|dims| view.hidden_people_of(Some(dims)) == 0),
        "kpi.pull_forward" => {
            view.sees_aggregate(Some(s(1))) && view.judge_measure(s(0), Some(s(1))).is_none()
        }
        "access.private_progress_shared" => f.subjects.iter().all(|id| sees_okr_item(view, id)),
        "kpi.threshold_bunching" => view
            .facts
            .targets
            .iter()
            .filter(|t| t.metric == s(0) && t.cycle == s(1))
            .all(|t| {
                view.sees_target(&t.id)
                    && match &t.scope {
                        crate::model::Scope::Unit(u) => view.judge_metric(&t.metric, u).is_none(),
                        crate::model::Scope::Person(_) => true,
                    }
            }),
        _ => view.sees_everything(),
    }
}

/// An `okr.*` subject: a key result or an objective (an id of both must be visible as both).
fn sees_okr_item(view: &View<'_>, id: &str) -> bool {
    let (kr, objective) = (view.knows_key_result(id), view.knows_objective(id));
    if !kr && !objective {
        return view.sees_everything();
    }
    (!kr || view.sees_key_result(id)) && (!objective || view.sees_objective(id))
}

/// Masks hidden ids in every text of a piece of evidence.
fn scrub_value(view: &View<'_>, v: &mut Evidence) {
    match v {
        Evidence::Text(s) => *s = view.scrub(s),
        // As its text was before dates were typed: an id that reads as this day is masked in it too.
        Evidence::Date(d) => {
            let (text, masked) = (d.to_string(), view.scrub(&d.to_string()));
            if masked != text {
                *v = Evidence::Text(masked);
            }
        }
        Evidence::List(items) => items.iter_mut().for_each(|i| scrub_value(view, i)),
        Evidence::Record(map) => map.values_mut().for_each(|i| scrub_value(view, i)),
        _ => {}
    }
}

impl Filter for Advice {
    /// The advisor reads business-line profiles, no people data: unchanged.
    fn filter(self, _view: &View<'_>) -> Self {
        self
    }
}

impl Filter for Portfolio {
    /// The advisor reads business-line profiles, no people data: unchanged.
    fn filter(self, _view: &View<'_>) -> Self {
        self
    }
}
