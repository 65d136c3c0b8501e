//! Support lights: how well one back-office KPI is doing, and the health of the KPIs behind a key result or
//! objective.

use super::settings::StrategySettings;
use crate::num::{ge, lt};
use serde::{Deserialize, Serialize};

/// The colour of a supporting KPI or of a support roll-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// At or above target, no alert pending or firing (a roll-up: health ≥ `health_green`).
    Green,
    /// Below target but not below `support_red_below`, or an alert pending (a roll-up: health ≥ `health_amber`).
    Amber,
    /// Below `support_red_below`, or an alert firing (a roll-up: health below `health_amber`).
    Red,
    /// No achievement: the metric has no value for the target, so nothing can be said.
    Grey,
}

/// The worst state of the alert rules watching a KPI's metric × scope at as_of, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    /// Normal.
    Ok,
    /// Data is missing under the rule's `no_data` policy.
    NoData,
    /// Breaching, not yet for long enough to fire.
    Pending,
    /// Firing.
    Firing,
}

/// How the KPIs supporting a key result or objective are doing, by light.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Support {
    /// Green KPIs.
    pub green: usize,
    /// Amber KPIs.
    pub amber: usize,
    /// Red KPIs.
    pub red: usize,
    /// Grey KPIs (no achievement; not counted in the health).
    pub grey: usize,
    /// (green + 0.5 × amber) / (green + amber + red); `None` when no KPI has an achievement (never 0).
    pub health: Option<f64>,
    /// The health's light; `None` with the health.
    pub light: Option<Light>,
    /// Set by access filtering (DOMAIN.md §9) when supporting KPIs the viewer may not see were left out: the
    /// counts, health and light are then recomputed over the KPIs they may see.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// The light of one KPI: grey without an achievement (`best` marks an achievement too good to be a number, an
/// `inverse` one over an actual ≤ 0), then red, amber or green by the achievement and the worst alert.
pub(crate) fn light(
    achievement: Option<f64>,
    best: bool,
    alert: Option<AlertLevel>,
    s: &StrategySettings,
) -> Light {
    let a = match achievement {
        Some(a) => a,
        None if best => f64::INFINITY,
        None => return Light::Grey,
    };
    if alert == Some(AlertLevel::Firing) || lt(a, s.support_red_below) {
        Light::Red
    } else if lt(a, 1.0) || alert == Some(AlertLevel::Pending) {
        Light::Amber
    } else {
        Light::Green
    }
}

/// Counts the lights and rolls them up into a health and its light.
pub(crate) fn roll_up(lights: impl IntoIterator<Item = Light>, s: &StrategySettings) -> Support {
    let mut out = Support {
        green: 0,
        amber: 0,
        red: 0,
        grey: 0,
        health: None,
        light: None,
        partial: false,
    };
    for l in lights {
        match l {
            Light::Green => out.green += 1,
            Light::Amber => out.amber += 1,
            Light::Red => out.red += 1,
            Light::Grey => out.grey += 1,
        }
    }
    let defined = out.green + out.amber + out.red;
    if defined > 0 {
        let h = (out.green as f64 + 0.5 * out.amber as f64) / defined as f64;
        out.health = Some(h);
        out.light = Some(if ge(h, s.health_green) {
            Light::Green
        } else if ge(h, s.health_amber) {
            Light::Amber
        } else {
            Light::Red
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lights_follow_the_order_grey_red_amber_green() {
        let s = StrategySettings::default();
        assert_eq!(light(None, false, Some(AlertLevel::Firing), &s), Light::Grey);
        assert_eq!(light(None, true, None, &s), Light::Green);
        assert_eq!(light(Some(1.2), false, Some(AlertLevel::Firing), &s), Light::Red);
        assert_eq!(light(Some(0.89), false, None, &s), Light::Red);
        assert_eq!(light(Some(0.9), false, None, &s), Light::Amber);
        assert_eq!(
            light(Some(1.0), false, Some(AlertLevel::Pending), &s),
            Light::Amber
        );
        assert_eq!(
            light(Some(1.0), false, Some(AlertLevel::NoData), &s),
            Light::Green
        );
    }

    #[test]
    fn health_is_none_without_a_defined_kpi() {
        let s = StrategySettings::default();
        let r = roll_up([Light::Grey], &s);
        assert_eq!((r.grey, r.health, r.light), (1, None, None));
        let r = roll_up(
            [
                Light::Green,
                Light::Green,
                Light::Green,
                Light::Amber,
                Light::Amber,
            ],
            &s,
        );
        assert_eq!((r.health, r.light), (Some(0.8), Some(Light::Green)));
        let r = roll_up([Light::Amber, Light::Red], &s);
        assert_eq!((r.health, r.light), (Some(0.25), Some(Light::Red)));
    }
}
