//! The strategy view: each top objective, its key results, and the back-office KPIs that support them.

use super::settings::StrategySettings;
use super::support::{light, roll_up, AlertLevel, Light, Support};
use crate::alert::{evaluate_rules_with, AlertStatus};
use crate::error::Error;
use crate::kpi::{achievement, Catalog, TargetResult};
use crate::model::{Direction, Scope, Target};
use crate::report::Status;
use crate::store::Model;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One KPI target supporting a key result, as the KPI scoring code sees it at as_of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SupportingKpi {
    /// The target's id.
    pub id: String,
    /// The metric scored.
    pub metric: String,
    /// Version of the metric definition that computed the actual.
    pub metric_version: String,
    /// The unit (with its subtree) or person scored.
    pub scope: Scope,
    /// The target's cycle.
    pub cycle: String,
    /// The metric over the target's cycle up to as_of.
    pub actual: Option<f64>,
    /// Actual against target (DOMAIN.md §6); for a `threshold_target_stretch` curve, which scores raw values,
    /// the same formula computed for the light.
    pub achievement: Option<f64>,
    /// The target's score in percent.
    pub score: Option<f64>,
    /// The worst state at as_of of the alert rules on this metric × scope; `None` when no rule watches it.
    pub alert: Option<AlertLevel>,
    /// Its light.
    pub light: Light,
    /// Why there is no actual or score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// One key result of a top objective and the KPIs that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct StrategyKr {
    /// Key result id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its progress.
    pub progress: f64,
    /// Its status.
    pub status: Status,
    /// The KPI targets that list it in `supports`, sorted by id (empty when none does).
    pub supports: Vec<SupportingKpi>,
    /// Their roll-up.
    pub support: Support,
}

/// One top objective (aligned to no parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct StrategyObjective {
    /// Objective id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its cycle.
    pub cycle: String,
    /// Its rolled-up progress.
    pub progress: f64,
    /// Its status.
    pub status: Status,
    /// Its score.
    pub score: f64,
    /// Its own key results, sorted by id.
    pub key_results: Vec<StrategyKr>,
    /// The roll-up of the distinct KPIs supporting any of its key results (a target supporting two of them
    /// counts once).
    pub support: Support,
}

/// The front office and the back office in one view: "is the back office carrying the front office?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct StrategyView {
    /// The date viewed.
    pub as_of: NaiveDate,
    /// The settings used.
    pub settings: StrategySettings,
    /// Every top objective, sorted by id.
    pub objectives: Vec<StrategyObjective>,
}

impl StrategyView {
    /// The view as JSON (the format every binding returns).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("null"))
    }
}

/// The strategy view of `model` as of `as_of` (DOMAIN.md §8).
///
/// For each top objective (one with no `contributes` or `supports` parent), sorted by id: its progress, status and
/// score from [`crate::evaluate`] with `settings.evaluation`, and its key results; for each key result the KPI
/// targets listing it in `supports`, scored by [`crate::kpi::score`] as of `as_of`, each with the worst state of the
/// document's alert rules on its metric × scope ([`crate::alert::evaluate_rules`] from the target's cycle start to
/// `as_of`, over observations dated up to `as_of`) and a light; and the support roll-ups.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
///   "org_units": [{"id": "ops"}], "measures": [{"id": "shipped"}],
///   "metrics": [{"id": "on_time", "kind": "simple", "measure": "shipped"}],
///   "observations": [{"measure": "shipped", "date": "2026-01-15", "value": 95, "dims": {"unit": "ops"}}],
///   "targets": [{"id": "t", "metric": "on_time", "scope": {"unit": "ops"}, "cycle": "q1", "target": 100,
///                "supports": ["k"]}],
///   "objectives": [{"id": "grow", "cycle": "q1"}],
///   "key_results": [{"id": "k", "objective": "grow", "kind": "increase", "start": 0, "target": 10}]}"#)?;
/// let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
/// let view = okpi::strategy_view(&model, as_of, &okpi::hybrid::StrategySettings::default())?;
/// let kpi = &view.objectives[0].key_results[0].supports[0];
/// assert_eq!((kpi.achievement, kpi.light), (Some(0.95), okpi::hybrid::Light::Amber)); // 0.9 ≤ 0.95 < 1
/// assert_eq!(view.objectives[0].support.health, Some(0.5));
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn strategy_view(
    model: &Model,
    as_of: NaiveDate,
    settings: &StrategySettings,
) -> Result<StrategyView, Error> {
    settings.check()?;
    let ev = crate::okr::evaluate(model, as_of, &settings.evaluation)?;
    let scores = crate::kpi::score(model, as_of)?;
    let mut by_kr: BTreeMap<&str, Vec<&Target>> = BTreeMap::new();
    for t in &model.kpi.targets {
        for kr in &t.supports {
            by_kr.entry(kr.as_str()).or_default().push(t);
        }
    }
    let alerts = alert_levels(model, as_of, by_kr.values().flatten().copied())?;
    let mut kpis: BTreeMap<&str, SupportingKpi> = BTreeMap::new();
    for t in by_kr.values().flatten() {
        if let Some(r) = scores.target(&t.id) {
            let alert = alerts.get(t.id.as_str()).copied().flatten();
            kpis.insert(t.id.as_str(), supporting(model, t, r, alert, settings));
        }
    }

    let mut objectives = Vec::new();
    for node in model.objectives.iter().filter(|o| o.parents.is_empty()) {
        let Some(o) = ev.objective(&node.def.id) else {
            continue;
        };
        let mut key_results = Vec::new();
        let mut seen: BTreeMap<String, Light> = BTreeMap::new();
        for &k in &node.krs {
            let kr = model.key_results.at(k);
            let Some(r) = ev.key_result(&kr.def.id) else {
                continue;
            };
            let mut supports: Vec<SupportingKpi> = by_kr
                .get(kr.def.id.as_str())
                .into_iter()
                .flatten()
                .filter_map(|t| kpis.get(t.id.as_str()).cloned())
                .collect();
            supports.sort_by(|a, b| a.id.cmp(&b.id));
            supports.dedup_by(|a, b| a.id == b.id);
            seen.extend(supports.iter().map(|s| (s.id.clone(), s.light)));
            key_results.push(StrategyKr {
                id: r.id.to_string(),
                title: kr.def.title.clone(),
                progress: r.progress,
                status: r.status,
                support: roll_up(supports.iter().map(|s| s.light), settings),
                supports,
            });
        }
        objectives.push(StrategyObjective {
            id: o.id.to_string(),
            title: node.def.title.clone(),
            cycle: o.cycle.to_string(),
            progress: o.progress,
            status: o.status,
            score: o.score,
            support: roll_up(seen.into_values(), settings),
            key_results,
        });
    }
    Ok(StrategyView {
        as_of,
        settings: settings.clone(),
        objectives,
    })
}

/// One supporting target with its achievement (computed for `threshold_target_stretch` too) and light.
fn supporting(
    model: &Model,
    t: &Target,
    r: &TargetResult,
    alert: Option<AlertLevel>,
    s: &StrategySettings,
) -> SupportingKpi {
    let direction = model
        .kpi
        .book
        .get(&model.kpi.metrics, &t.metric)
        .map(|(_, m)| m.direction)
        .unwrap_or_default();
    let (a, best) = match (r.achievement, r.actual) {
        (Some(a), _) => (Some(a), false),
        (None, Some(actual)) => {
            let ratio_ok = r.target > 0.0 || matches!(direction, Direction::Band { .. });
            match achievement(direction, t.formula, actual, r.target) {
                Some(a) if ratio_ok && a.is_finite() => (Some(a), false),
                // `inverse` over an actual of 0: the best achievement, scored at the curve's cap.
                None if ratio_ok => (None, true),
                _ => (None, false),
            }
        }
        (None, None) => (None, false),
    };
    SupportingKpi {
        id: t.id.clone(),
        metric: t.metric.clone(),
        metric_version: r.version.clone(),
        scope: t.scope.clone(),
        cycle: t.cycle.clone(),
        actual: r.actual,
        achievement: a,
        score: r.score,
        alert,
        light: light(a, best, alert, s),
        undefined: r.undefined.clone(),
    }
}

/// The worst alert level per supporting target: `None` when no rule of the document watches its metric × scope.
/// Rules run from the target's cycle start to `as_of` over the observations dated up to `as_of`, so a past as-of
/// date sees what it would have seen then.
fn alert_levels<'t>(
    model: &Model,
    as_of: NaiveDate,
    targets: impl Iterator<Item = &'t Target>,
) -> Result<BTreeMap<&'t str, Option<AlertLevel>>, Error> {
    // The rules watching each metric × scope (a unit, or a person), indexed once.
    let mut watchers: HashMap<(&str, &str, bool), Vec<usize>> = HashMap::new();
    for (i, r) in model.alert_rules.iter().enumerate() {
        let person = model.alert_person.get(i).copied().unwrap_or(false);
        watchers
            .entry((r.metric.as_str(), r.scope.as_str(), person))
            .or_default()
            .push(i);
    }
    fn watching<'w>(
        watchers: &'w HashMap<(&'w str, &'w str, bool), Vec<usize>>,
        t: &'w Target,
    ) -> &'w [usize] {
        let key = match &t.scope {
            Scope::Unit(u) => (t.metric.as_str(), u.as_str(), false),
            Scope::Person(p) => (t.metric.as_str(), p.as_str(), true),
        };
        watchers.get(&key).map_or(&[], Vec::as_slice)
    }
    let mut out: BTreeMap<&str, Option<AlertLevel>> = BTreeMap::new();
    let mut starts: BTreeMap<NaiveDate, Vec<&Target>> = BTreeMap::new();
    let mut wanted: BTreeSet<usize> = BTreeSet::new();
    for t in targets {
        if out.contains_key(t.id.as_str()) {
            continue; // a target supporting several key results is judged once
        }
        let rules = watching(&watchers, t);
        out.insert(t.id.as_str(), (!rules.is_empty()).then_some(AlertLevel::Ok));
        wanted.extend(rules.iter().copied());
        if let (false, Some(c)) = (rules.is_empty(), model.cycle(&t.cycle)) {
            if c.start <= as_of {
                starts.entry(c.start).or_default().push(t);
            }
        }
    }
    // The store as it stood on as_of, without copying it.
    let cat = Catalog::new(model).until(as_of);
    for (start, ts) in starts {
        let results = evaluate_rules_with(&cat, wanted.iter().copied(), start, as_of, &BTreeMap::new())?;
        let level: HashMap<usize, AlertLevel> = wanted
            .iter()
            .zip(&results)
            .map(|(&i, a)| {
                let l = match a.state.status {
                    AlertStatus::Normal => AlertLevel::Ok,
                    AlertStatus::NoData => AlertLevel::NoData,
                    AlertStatus::Pending => AlertLevel::Pending,
                    AlertStatus::Firing => AlertLevel::Firing,
                };
                (i, l)
            })
            .collect();
        for t in ts {
            if let Some(worst) = watching(&watchers, t).iter().filter_map(|i| level.get(i)).max() {
                out.insert(t.id.as_str(), Some(*worst));
            }
        }
    }
    Ok(out)
}
