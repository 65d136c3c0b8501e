//! Evaluation settings (DOMAIN.md §2–4). Every field has the documented default, so `{}` is a valid setting.

use crate::error::{Code, Error, Problem};
use crate::model::Rollup;
use serde::{Deserialize, Serialize};

/// How far progress may go past the target.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Overshoot {
    /// Progress stays in [0, 1] (okr-tracker, Perdoo).
    #[default]
    Clamp,
    /// Progress stays in [0, x], x ≥ 1 (Quantive keeps 1.25).
    Cap(f64),
}

/// How an objective's status is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveStatusRule {
    /// The worst status among its sources (Perdoo).
    #[default]
    WorstKr,
    /// The key-result rule applied to the objective's own progress and pace.
    FromProgress,
}

/// Whether private objectives count in their parents' roll-ups (DOMAIN.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrivateRollup {
    /// A private objective's progress counts in its parents' roll-ups, which share it (never its title, key
    /// results, check-ins or notes) with whoever sees the parent; diagnostics tell the owner
    /// (`access.private_progress_shared`).
    #[default]
    Share,
    /// Private objectives count in no roll-up: every viewer reads the same parent progress, which reads nothing
    /// private.
    Exclude,
}

impl PrivateRollup {
    fn is_share(&self) -> bool {
        *self == PrivateRollup::Share
    }

    /// Whether a child objective of `visibility` counts in its parents' roll-ups.
    pub fn counts(self, visibility: crate::model::Visibility) -> bool {
        self == PrivateRollup::Share || visibility != crate::model::Visibility::Private
    }
}

/// Everything an evaluation may be tuned by. Defaults are DOMAIN.md's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Settings {
    /// Upper bound of progress.
    pub overshoot: Overshoot,
    /// Whether progress may go below 0 when the current value is on the wrong side of the start.
    pub allow_negative: bool,
    /// `on_track` while progress ≥ expected − this (Planview's 0.10).
    pub on_track_tolerance: f64,
    /// `at_risk` while progress ≥ expected − this (Ally.io's 0.25); below it, `off_track`.
    pub at_risk_tolerance: f64,
    /// A key result with no check-in is `not_started` until this many days after its cycle starts.
    pub not_started_days: u32,
    /// Default roll-up of objectives that do not name one.
    pub rollup: Rollup,
    /// How an objective's status is found.
    pub objective_status: ObjectiveStatusRule,
    /// Confidence below this is low (0–10 scale).
    pub confidence_low: f64,
    /// Confidence at or above this is high.
    pub confidence_high: f64,
    /// Whether private objectives count in their parents' roll-ups (`share`, the default, or `exclude`; the
    /// default is not written, so reports that echo their settings read as before).
    #[serde(skip_serializing_if = "PrivateRollup::is_share")]
    pub private_rollup: PrivateRollup,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            overshoot: Overshoot::Clamp,
            allow_negative: false,
            on_track_tolerance: 0.10,
            at_risk_tolerance: 0.25,
            not_started_days: 7,
            rollup: Rollup::Weighted,
            objective_status: ObjectiveStatusRule::WorstKr,
            confidence_low: 4.0,
            confidence_high: 7.0,
            private_rollup: PrivateRollup::Share,
        }
    }
}

impl Settings {
    /// Parses settings from JSON; missing fields take their defaults.
    pub fn from_json(text: &str) -> Result<Settings, Error> {
        let s: Settings = crate::text::parse_json(text).map_err(|e| e.under("$.settings"))?;
        s.check()?;
        Ok(s)
    }

    /// Checks every setting is in range; all problems are reported at once with paths under `$.settings`.
    pub fn check(&self) -> Result<(), Error> {
        let mut problems = Vec::new();
        let mut bad = |field: &str, msg: String| {
            problems.push(Problem::new(
                Code::E_SETTINGS,
                format!("$.settings.{field}"),
                None,
                msg,
            ));
        };
        if let Overshoot::Cap(x) = self.overshoot {
            if !(x.is_finite() && x >= 1.0) {
                bad(
                    "overshoot.cap",
                    format!("overshoot cap must be a number ≥ 1, not {x}"),
                );
            }
        }
        let tol_ok = |t: f64| t.is_finite() && (0.0..=1.0).contains(&t);
        if !tol_ok(self.on_track_tolerance) {
            bad(
                "on_track_tolerance",
                format!(
                    "on_track_tolerance must be in 0–1, not {}",
                    self.on_track_tolerance
                ),
            );
        }
        if !tol_ok(self.at_risk_tolerance) || self.at_risk_tolerance < self.on_track_tolerance {
            bad(
                "at_risk_tolerance",
                format!(
                    "at_risk_tolerance must be in 0–1 and ≥ on_track_tolerance ({}), not {}",
                    self.on_track_tolerance, self.at_risk_tolerance
                ),
            );
        }
        let conf_ok = |c: f64| c.is_finite() && (0.0..=10.0).contains(&c);
        if !conf_ok(self.confidence_low) {
            bad(
                "confidence_low",
                format!("confidence_low must be in 0–10, not {}", self.confidence_low),
            );
        }
        if !conf_ok(self.confidence_high) || self.confidence_high < self.confidence_low {
            bad(
                "confidence_high",
                format!(
                    "confidence_high must be in 0–10 and ≥ confidence_low, not {}",
                    self.confidence_high
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
