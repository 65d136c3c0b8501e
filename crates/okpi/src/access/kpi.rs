//! Filtering KPI reports: query tables, target scores, scorecards and alert reports. Each withholds a number the
//! rule of DOMAIN.md §9 does not let the viewer see whole (none is recomputed over a part: a partial KPI value
//! would read as the real one), and says why in `withheld`.

use super::disclose::HIDDEN_ITEMS;
use super::{Filter, View};
use crate::alert::AlertReport;
use crate::kpi::{QueryResult, ScoreReport, ScorecardReport};
use std::collections::{BTreeSet, HashMap, HashSet};

impl Filter for QueryResult {
    /// Keeps the cells whose audience the viewer is in ([`View::sees_cell`]: a hidden person's cell is removed,
    /// with its id); a kept cell whose number the rule withholds ([`View::judge_cell`]) has no value and says why.
    fn filter(mut self, view: &View<'_>) -> Self {
        let filters = &self.filters;
        self.cells.retain(|c| view.sees_cell(filters, &c.group));
        let verdicts: Vec<Option<&str>> = self.cells.iter().map(|c| view.judge_cell(&self, c)).collect();
        for (c, why) in self.cells.iter_mut().zip(verdicts) {
            if let Some(why) = why {
                c.value = None;
                c.undefined = None;
                c.withheld = Some(why.to_owned());
            }
            c.undefined = c.undefined.as_deref().map(|u| view.scrub(u));
        }
        self
    }
}

impl Filter for ScoreReport {
    /// Keeps the targets whose scope's results the viewer may see; a unit target whose actual the rule
    /// withholds keeps its levels but not its actual, achievement or score.
    fn filter(mut self, view: &View<'_>) -> Self {
        self.targets
            .retain(|t| view.sees_target(&t.id) && view.sees_scope(&t.scope));
        let as_of = self.as_of;
        for t in &mut self.targets {
            if let Some(why) = view.judge_target(&t.metric, &t.scope, &t.cycle, as_of) {
                (t.actual, t.achievement, t.score, t.undefined) = (None, None, None, None);
                t.withheld = Some(why.to_owned());
            }
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
    /// may not see are removed, and the score of a unit item the rule withholds is dropped; the OKR component's
    /// score is dropped when its objective is hidden. A total that reads anything so removed is withheld with its
    /// grades and rank (`hidden_items`), and so are the rank and forced grade of every scorecard whose group holds
    /// a withheld or hidden scorecard (a rank orders it against them). A report warning about a forced-distribution
    /// group is dropped when the group holds a hidden scorecard (it counts them).
    fn filter(mut self, view: &View<'_>) -> Self {
        let hidden_cards: Vec<&crate::model::Scorecard> = view
            .facts
            .scorecards
            .iter()
            .filter(|s| !view.sees_scorecard(&s.id))
            .collect();
        let groups_with_hidden: Vec<String> = hidden_cards
            .iter()
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
        let groups: HashMap<&str, Option<&str>> = view
            .facts
            .scorecards
            .iter()
            .map(|d| (d.id.as_str(), d.group.as_deref()))
            .collect();
        let group_of = |id: &str| groups.get(id).copied().flatten().map(str::to_owned);
        let targets: HashMap<&str, &crate::model::Target> =
            view.facts.targets.iter().map(|t| (t.id.as_str(), t)).collect();
        let mut unranked: BTreeSet<Option<String>> = hidden_cards.iter().map(|s| s.group.clone()).collect();
        self.scorecards
            .retain(|s| view.sees_scorecard(&s.id) && view.sees_scope(&s.subject));
        let as_of = self.as_of;
        for s in &mut self.scorecards {
            let before = s.items.len();
            s.items.retain(|i| view.sees_target(&i.target));
            let mut hidden = s.items.len() < before;
            for i in &mut s.items {
                let def = targets.get(i.target.as_str());
                if def.is_some_and(|t| view.judge_target(&t.metric, &t.scope, &t.cycle, as_of).is_some()) {
                    i.score = None;
                    hidden = true;
                }
            }
            if okr_hidden.contains(s.id.as_str()) {
                s.okr_score = None;
                hidden = true;
            }
            if hidden && s.withheld.is_none() {
                (s.total, s.grade, s.forced_grade, s.rank, s.undefined) = (None, None, None, None, None);
                s.withheld = Some(HIDDEN_ITEMS.to_owned());
            }
            if s.withheld.is_some() {
                unranked.insert(group_of(&s.id));
            }
            s.undefined = s.undefined.as_deref().map(|u| view.scrub(u));
            s.warnings = s.warnings.iter().map(|w| view.scrub(w)).collect();
        }
        for s in &mut self.scorecards {
            if unranked.contains(&group_of(&s.id)) {
                (s.rank, s.forced_grade) = (None, None);
            }
        }
        self
    }
}

impl Filter for AlertReport {
    /// Keeps the rules whose scope's results the viewer may see (a person's, or a unit's aggregate whose every
    /// period's value the rule of DOMAIN.md §9 lets them see whole), with their series, events and states.
    fn filter(mut self, view: &View<'_>) -> Self {
        let mut rules: HashMap<&str, Vec<&crate::alert::Rule>> = HashMap::new();
        for r in view.facts.rules {
            rules.entry(r.id.as_str()).or_default().push(r);
        }
        self.alerts.retain(|a| {
            view.sees_alert_rule(&a.rule)
                && rules.get(a.rule.as_str()).into_iter().flatten().all(|r| {
                    let grain = r.grain;
                    a.series.iter().all(|o| {
                        view.judge_unit_period(&a.metric, &r.scope, crate::kpi::bucket(grain, o.date))
                            .is_none()
                    })
                })
        });
        for a in &mut self.alerts {
            for e in &mut a.events {
                e.explanation = view.scrub(&e.explanation.to_string()).into();
            }
        }
        self
    }
}
