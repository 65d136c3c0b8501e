//! Filtering the strategy view.

use super::{Filter, View};
use crate::hybrid::{roll_up, Light, StrategyView};
use std::collections::BTreeMap;

impl Filter for StrategyView {
    /// Keeps the objectives and key results the viewer may see, and the supporting KPIs whose target and scope's
    /// results they may see and whose actual the rule of DOMAIN.md §9 lets them see whole. A support roll-up that
    /// read a KPI so left out (of a hidden key result too) is **recomputed** over the KPIs left and marked
    /// `partial`: counts, health and light then say nothing about the hidden ones (with none left, no health).
    fn filter(mut self, view: &View<'_>) -> Self {
        let as_of = self.as_of;
        let settings = self.settings.clone();
        self.objectives.retain(|o| view.sees_objective(&o.id));
        for o in &mut self.objectives {
            let all: usize = distinct(
                o.key_results
                    .iter()
                    .flat_map(|k| k.supports.iter().map(|t| (&t.id, t.light))),
            )
            .len();
            o.key_results.retain(|k| view.sees_key_result(&k.id));
            for k in &mut o.key_results {
                let before = k.supports.len();
                k.supports.retain(|t| {
                    view.sees_target(&t.id)
                        && view.sees_scope(&t.scope)
                        && view.judge_target(&t.metric, &t.scope, &t.cycle, as_of).is_none()
                });
                for t in &mut k.supports {
                    t.undefined = t.undefined.as_deref().map(|u| view.scrub(u));
                }
                if k.supports.len() < before || k.support.partial {
                    k.support = roll_up(k.supports.iter().map(|t| t.light), &settings);
                    k.support.partial = true;
                }
            }
            let seen = distinct(
                o.key_results
                    .iter()
                    .flat_map(|k| k.supports.iter().map(|t| (&t.id, t.light))),
            );
            if seen.len() < all || o.support.partial {
                o.support = roll_up(seen.into_values(), &settings);
                o.support.partial = true;
            }
        }
        self
    }
}

/// Each KPI once, by target id.
fn distinct<'s>(kpis: impl Iterator<Item = (&'s String, Light)>) -> BTreeMap<&'s String, Light> {
    kpis.collect()
}
