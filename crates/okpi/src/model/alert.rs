//! The alert rule as a host writes it (DOMAIN.md §7).

use super::Grain;
use serde::{Deserialize, Serialize};

/// Which way a metric is good. For `higher_is_better` a fall is the bad direction, for `lower_is_better` a rise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertDirection {
    /// Higher values are better (the default).
    #[default]
    HigherIsBetter,
    /// Lower values are better.
    LowerIsBetter,
}

/// What is measured and how it breaches (DOMAIN.md §7 table). Written as `"above"` or, with settings,
/// `{"change_pct": {"offset": 1}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Condition {
    /// Breaches when value > threshold.
    Above,
    /// Breaches when value < threshold.
    Below,
    /// Breaches when value < lo or value > hi (each severity has its own band).
    Outside,
    /// Breaches when lo < value < hi (each severity has its own band).
    Inside,
    /// Breaches when the achievement (DOMAIN.md §6) is < the threshold, a ratio such as 0.9.
    BelowTarget {
        /// The target, > 0.
        target: f64,
        /// `higher_is_better`: achievement = actual / target; `lower_is_better`: target / actual
        /// (the `inverse` formula; an actual ≤ 0 counts as the best possible achievement, +∞).
        #[serde(default)]
        direction: AlertDirection,
    },
    /// Breaches when the change in percent against the value `offset` evaluations back is > 0 and ≥ the
    /// threshold in the bad direction. A zero or missing base counts as no data; fewer than `offset` earlier
    /// evaluations: not evaluated.
    ChangePct {
        /// How many evaluations back the base is, ≥ 1.
        offset: i64,
    },
    /// Breaches when the least-squares slope (per evaluation) of the last `n` points has the bad sign and
    /// magnitude ≥ the threshold. Fewer than `n` points, or a missing one among the last `n`: not evaluated.
    Trend {
        /// How many points, ≥ 2.
        n: i64,
    },
    /// Breaches when |x − median| > t · 1.4826 · MAD over the previous `window` points; MAD = 0: any
    /// x ≠ median. Fewer than `window` earlier points, or a missing one among them: not evaluated.
    Anomaly {
        /// How many previous points, ≥ 3.
        window: i64,
    },
}

/// One severity's threshold. Conditions on a number use `value` (and optionally `recovery`); `outside` and
/// `inside` use the band `lo`, `hi` and take no recovery.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The threshold of a number condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The recovery threshold (hysteresis): an active severity stays until the measure passes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<f64>,
    /// Lower edge of a band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lo: Option<f64>,
    /// Upper edge of a band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hi: Option<f64>,
}

/// What a missing observation means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoDataPolicy {
    /// State `no_data` with a `no_data` event (a firing alert first resolves). The default.
    #[default]
    NoData,
    /// A missing point breaches at the highest configured severity.
    Alerting,
    /// A missing point does not breach.
    Ok,
    /// Nothing changes and no event is emitted.
    KeepLast,
}

/// Severity of an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    /// The lower severity.
    Warning,
    /// The higher severity.
    Critical,
}

/// An alert rule: metric × scope × grain, a condition, per-severity thresholds, `for`, `keep_firing_for` and
/// the missing-data policy.
///
/// `for`, `keep_firing_for` and the condition's counts are signed so that a negative number is reported by
/// [`validate_rule`](crate::alert::validate_rule) rather than refused by the parser; [`step`](crate::alert::step) treats a
/// negative count as 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's id, carried by every event.
    pub id: String,
    /// The metric the rule watches (informational: the host supplies the observations).
    pub metric: String,
    /// The unit or person the rule watches (informational).
    pub scope: String,
    /// The grain of one evaluation. okpi does not check that observation dates fall on the grain: the host
    /// hands in one observation per evaluation.
    pub grain: Grain,
    /// What breaches.
    pub condition: Condition,
    /// The warning threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<Threshold>,
    /// The critical threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<Threshold>,
    /// The alert fires on the evaluation where its condition has held for more than `for` consecutive
    /// evaluations; 0 fires on the first, without a `pending` event.
    #[serde(default, rename = "for")]
    pub for_: i64,
    /// A firing alert stays firing for this many evaluations without a breach and resolves on the next.
    #[serde(default)]
    pub keep_firing_for: i64,
    /// What a missing observation means.
    #[serde(default)]
    pub no_data: NoDataPolicy,
    /// The metric's good direction for `change_pct` and `trend` (default `higher_is_better`: a fall is bad).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<AlertDirection>,
}

impl Rule {
    /// The threshold of a severity, when configured.
    pub fn threshold(&self, severity: AlertSeverity) -> Option<&Threshold> {
        match severity {
            AlertSeverity::Warning => self.warning.as_ref(),
            AlertSeverity::Critical => self.critical.as_ref(),
        }
    }

    /// The highest configured severity.
    pub fn highest_severity(&self) -> Option<AlertSeverity> {
        if self.critical.is_some() {
            Some(AlertSeverity::Critical)
        } else if self.warning.is_some() {
            Some(AlertSeverity::Warning)
        } else {
            None
        }
    }

    /// How many earlier observations the condition needs: `offset`, `n − 1` or `window`; 0 for the others.
    pub fn history_len(&self) -> usize {
        let k = match self.condition {
            Condition::ChangePct { offset } => offset,
            Condition::Trend { n } => n.saturating_sub(1),
            Condition::Anomaly { window } => window,
            _ => 0,
        };
        usize::try_from(k.max(0)).unwrap_or(0)
    }

    pub(crate) fn for_count(&self) -> u64 {
        u64::try_from(self.for_.max(0)).unwrap_or(0)
    }

    pub(crate) fn keep_count(&self) -> u64 {
        u64::try_from(self.keep_firing_for.max(0)).unwrap_or(0)
    }
}
