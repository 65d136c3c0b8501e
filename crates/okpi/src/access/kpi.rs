//! Filtering KPI reports: query tables, target scores, scorecards and alert reports.

use super::{Filter, View};
use crate::alert::AlertReport;
use crate::kpi::{QueryResult, ScoreReport, ScorecardReport};
use std::collections::HashSet;

impl Filter for QueryResult {
    /// Keeps the cells the viewer may see, judged by the query's filters and each cell's group
    /// ([`View::sees_cell`]).
    fn filter(mut self, view: &View<'_>) -> Self {
        let filters = &self.filters;
        self.cells.retain(|c| view.sees_cell(filters, &c.group));
        for c in &mut self.cells {
            c.undefined = c.undefined.as_deref().map(|u| view.scrub(u));
        }
        self
    }
}

impl Filter for ScoreReport {
    /// Keeps the targets whose scope's results the viewer may see.
    fn filter(mut self, view: &View<'_>) -> Self {
        self.targets
            .retain(|t| view.sees_target(&t.id) && view.sees_scope(&t.scope));
        for t in &mut self.targets {
            t.undefined = t.undefined.as_deref().map(|u| view.scrub(u));
            for a in &mut t.audit {
                a.reason = a.reason.as_deref().map(|r| view.scrub(r));
            }
        }
        self
    }
}

impl Filter for ScorecardReport {
    /// Keeps the scorecards whose subject's results the viewer may see. Inside one, items on a target the viewer
    /// may not see are removed and the OKR component's score is dropped when its objective is hidden; totals,
    /// grades and ranks keep their true values. A report warning about a forced-distribution group is dropped
    /// when the group holds a hidden scorecard (it counts them).
    fn filter(mut self, view: &View<'_>) -> Self {
        let groups_with_hidden: Vec<String> = view
            .facts
            .scorecards
            .iter()
            .filter(|s| !view.sees_scorecard(&s.id))
            .map(|s| format!("group {} has ", s.group.as_deref().unwrap_or("(all)")))
            .collect();
        self.warnings
            .retain(|w| !groups_with_hidden.iter().any(|g| w.starts_with(g)));
        self.warnings = self.warnings.iter().map(|w| view.scrub(w)).collect();
        let okr_hidden: HashSet<&str> = view
            .facts
            .scorecards
            .iter()
            .filter(|d| d.okr.as_ref().is_some_and(|o| !view.sees_objective(&o.objective)))
            .map(|d| d.id.as_str())
            .collect();
        self.scorecards
            .retain(|s| view.sees_scorecard(&s.id) && view.sees_scope(&s.subject));
        for s in &mut self.scorecards {
            s.items.retain(|i| view.sees_target(&i.target));
            if okr_hidden.contains(s.id.as_str()) {
                s.okr_score = None;
            }
            s.undefined = s.undefined.as_deref().map(|u| view.scrub(u));
            s.warnings = s.warnings.iter().map(|w| view.scrub(w)).collect();
        }
        self
    }
}

impl Filter for AlertReport {
    /// Keeps the rules whose scope's results the viewer may see (a person's, or a unit's aggregate with the
    /// small-group rule), with their series, events and states.
    fn filter(mut self, view: &View<'_>) -> Self {
        self.alerts.retain(|a| view.sees_alert_rule(&a.rule));
        for a in &mut self.alerts {
            for e in &mut a.events {
                e.explanation = view.scrub(&e.explanation);
            }
        }
        self
    }
}
