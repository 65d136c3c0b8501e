//! Filtering the strategy view.

use super::{Filter, View};
use crate::hybrid::{Light, StrategyView, Support, SupportingKpi};
use std::collections::BTreeMap;

impl Filter for StrategyView {
    /// Keeps the objectives and key results the viewer may see, and the supporting KPIs whose target and scope's
    /// results they may see. The health and light of each support roll-up keep their true values (like an
    /// objective's progress); its per-light counts are recounted over the KPIs left, so they do not reveal how many
    /// were hidden.
    fn filter(mut self, view: &View<'_>) -> Self {
        self.objectives.retain(|o| view.sees_objective(&o.id));
        for o in &mut self.objectives {
            o.key_results.retain(|k| view.sees_key_result(&k.id));
            let mut distinct: BTreeMap<String, Light> = BTreeMap::new();
            for k in &mut o.key_results {
                k.supports
                    .retain(|t| view.sees_target(&t.id) && view.sees_scope(&t.scope));
                for t in &mut k.supports {
                    t.undefined = t.undefined.as_deref().map(|u| view.scrub(u));
                    distinct.insert(t.id.clone(), t.light);
                }
                recount(&mut k.support, k.supports.iter().map(|t: &SupportingKpi| t.light));
            }
            recount(&mut o.support, distinct.into_values());
        }
        self
    }
}

/// Sets the per-light counts of `support` to those of `lights`.
fn recount(support: &mut Support, lights: impl Iterator<Item = Light>) {
    let (mut green, mut amber, mut red, mut grey) = (0, 0, 0, 0);
    for l in lights {
        match l {
            Light::Green => green += 1,
            Light::Amber => amber += 1,
            Light::Red => red += 1,
            Light::Grey => grey += 1,
        }
    }
    (support.green, support.amber, support.red, support.grey) = (green, amber, red, grey);
}
