//! Settings of the strategy view: the OKR evaluation's settings and the support lights' thresholds.

use crate::error::{Code, Error, Problem};
use crate::settings::Settings;
use serde::{Deserialize, Serialize};

/// Everything the strategy view may be tuned by; `{}` gives the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct StrategySettings {
    /// Settings of the OKR evaluation behind the objectives' and key results' progress and status.
    pub evaluation: Settings,
    /// A supporting KPI whose achievement is below this is red (0.9); below 1 it is amber.
    pub support_red_below: f64,
    /// A support health at or above this is green (0.8) …
    pub health_green: f64,
    /// … at or above this amber (0.5), below it red.
    pub health_amber: f64,
}

impl Default for StrategySettings {
    fn default() -> Self {
        StrategySettings {
            evaluation: Settings::default(),
            support_red_below: 0.9,
            health_green: 0.8,
            health_amber: 0.5,
        }
    }
}

impl StrategySettings {
    /// Parses settings from JSON (missing fields take their defaults) and checks them.
    pub fn from_json(text: &str) -> Result<StrategySettings, Error> {
        let s: StrategySettings = crate::text::parse_json(text).map_err(|e| e.parse_under("$.settings"))?;
        s.check()?;
        Ok(s)
    }

    /// Checks every setting is in range; all problems at once, with paths under `$.settings` (the evaluation's
    /// under `$.settings.evaluation`).
    pub fn check(&self) -> Result<(), Error> {
        let mut problems: Vec<Problem> = match self.evaluation.check() {
            Ok(()) => Vec::new(),
            Err(e) => e
                .problems()
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    p.path = p.path.replacen("$.settings", "$.settings.evaluation", 1);
                    p
                })
                .collect(),
        };
        let share = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        let mut bad = |field: &str, msg: String| {
            problems.push(Problem::new(
                Code::E_SETTINGS,
                format!("$.settings.{field}"),
                None,
                msg,
            ));
        };
        if !share(self.support_red_below) {
            bad(
                "support_red_below",
                format!("support_red_below must be in 0–1, not {}", self.support_red_below),
            );
        }
        if !share(self.health_green) {
            bad(
                "health_green",
                format!("health_green must be in 0–1, not {}", self.health_green),
            );
        }
        if !share(self.health_amber) || self.health_amber > self.health_green {
            bad(
                "health_amber",
                format!(
                    "health_amber must be in 0–1 and ≤ health_green ({}), not {}",
                    self.health_green, self.health_amber
                ),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(problems))
        }
    }
}
