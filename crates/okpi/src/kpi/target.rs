//! Targets: their values at a day (changes after lock are audit entries), actuals and scores.

use super::catalog::{Catalog, Filter};
use super::curve::{achievement, cap, curve_score, round_half_up, tts_score, Levels};
use super::grain::Span;
use crate::model::{Curve, Direction, Formula, Scope, Target, TargetChange};
use crate::store::Model;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One target's score at an as-of date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TargetResult {
    /// Target id.
    pub id: String,
    /// Metric id.
    pub metric: String,
    /// Version of the metric definition that computed the actual.
    pub version: String,
    /// Unit or person.
    pub scope: Scope,
    /// Cycle id.
    pub cycle: String,
    /// Threshold in force at as-of.
    pub threshold: Option<f64>,
    /// Target in force at as-of.
    pub target: f64,
    /// Stretch in force at as-of.
    pub stretch: Option<f64>,
    /// The metric over the cycle up to as-of, in the scope.
    pub actual: Option<f64>,
    /// Achievement (not computed for `threshold_target_stretch`, which works on raw values).
    pub achievement: Option<f64>,
    /// Score in percent, rounded once at the end when the target declares decimals.
    pub score: Option<f64>,
    /// The curve's cap.
    pub cap: f64,
    /// Why there is no score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// Set by access filtering (DOMAIN.md §9) when the actual, achievement and score are withheld from the
    /// viewer (`small_group` or `differencing`); they are then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
    /// Changes made after the lock (each with its reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<TargetChange>,
}

/// Every target's score at `as_of`, sorted by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScoreReport {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// One result per target.
    pub targets: Vec<TargetResult>,
}

impl ScoreReport {
    /// The result of one target.
    pub fn target(&self, id: &str) -> Option<&TargetResult> {
        self.targets.iter().find(|t| t.id == id)
    }
}

/// The target's levels in force on `day`: its own values overridden by every change dated on or before.
pub fn levels_on(t: &Target, day: NaiveDate) -> Levels {
    let mut changes: Vec<&TargetChange> = t.changes.iter().filter(|c| c.on <= day).collect();
    changes.sort_by_key(|c| c.on);
    let mut l = Levels {
        threshold: t.threshold,
        target: t.target,
        stretch: t.stretch,
    };
    for c in changes {
        l.threshold = c.threshold.or(l.threshold);
        l.target = c.target.unwrap_or(l.target);
        l.stretch = c.stretch.or(l.stretch);
    }
    l
}

/// Scores every target at `as_of`.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}],
///   "org_units": [{"id": "sales"}],
///   "measures": [{"id": "revenue"}],
///   "metrics": [{"id": "rev", "kind": "simple", "measure": "revenue"}],
///   "observations": [{"measure": "revenue", "date": "2026-02-01", "value": 90, "dims": {"unit": "sales"}}],
///   "targets": [{"id": "t", "metric": "rev", "scope": {"unit": "sales"}, "cycle": "Q1", "target": 120}]}"#)?;
/// let r = okpi::kpi::score(&model, chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())?;
/// assert_eq!(r.target("t").unwrap().score, Some(75.0)); // 90 / 120 on the linear curve
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn score(model: &Model, as_of: NaiveDate) -> Result<ScoreReport, crate::Error> {
    // Unit scopes are subtrees: each measure and span is aggregated once for every unit.
    let cat = Catalog::for_tree(model, Vec::new());
    let mut targets: Vec<TargetResult> = model
        .kpi
        .targets
        .iter()
        .map(|t| score_target(&cat, t, as_of))
        .collect();
    targets.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(ScoreReport { as_of, targets })
}

fn score_target(cat: &Catalog<'_>, t: &Target, as_of: NaiveDate) -> TargetResult {
    let l = levels_on(t, as_of);
    let metric = cat.metric(&t.metric);
    let direction = metric.map(|m| m.direction).unwrap_or_default();
    let grain = metric.map(|m| m.grain).unwrap_or_default();
    let audit: Vec<TargetChange> = t
        .changes
        .iter()
        .filter(|c| t.locked_at.is_some_and(|l| c.on > l))
        .cloned()
        .collect();
    let mut out = TargetResult {
        id: t.id.clone(),
        metric: t.metric.clone(),
        version: cat.version(&t.metric),
        scope: t.scope.clone(),
        cycle: t.cycle.clone(),
        threshold: l.threshold,
        target: l.target,
        stretch: l.stretch,
        actual: None,
        achievement: None,
        score: None,
        cap: cap(&t.curve, l.stretch.is_some()),
        undefined: None,
        withheld: None,
        audit,
    };
    let Some(cycle) = cat.model.cycle(&t.cycle) else {
        out.undefined = Some(format!("unknown cycle {}", t.cycle));
        return out;
    };
    if as_of < cycle.start {
        out.undefined = Some(format!(
            "cycle {} starts on {}, after {as_of}",
            cycle.id, cycle.start
        ));
        return out;
    }
    let span = Span {
        start: cycle.start,
        end: cycle.end.min(as_of),
        grain,
    };
    let filter = Filter::scope(cat.model, &t.scope);
    let actual = match cat.eval(&t.metric, span, &filter) {
        Ok(v) => v,
        Err(reason) => {
            out.undefined = Some(reason);
            return out;
        }
    };
    out.actual = Some(actual);
    let scoring = Scoring {
        direction,
        formula: t.formula,
        curve: t.curve.clone(),
        decimals: t.decimals,
    };
    let (a, score) = scoring.score(actual, l);
    out.achievement = a;
    out.score = Some(score);
    out
}

/// How a target turns an actual into an achievement and a score: the pure part of target scoring, shared with
/// callers that score many actuals at once (the Python module's vectorised functions). As JSON it takes the
/// target's own field names, each with the target's default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// The metric's good direction.
    #[serde(default)]
    pub direction: Direction,
    /// The lower-is-better formula.
    #[serde(default)]
    pub formula: Formula,
    /// The curve.
    #[serde(default)]
    pub curve: Curve,
    /// Decimals of the score (half-up), if rounded.
    #[serde(default)]
    pub decimals: Option<u32>,
}

impl Scoring {
    /// The problems of the curve (non-finite numbers, a floor above the cap), at `path`.
    pub fn check(&self, path: &str) -> Result<(), crate::Error> {
        let mut c = crate::validate::Checker::default();
        crate::validate::check_curve(&self.curve, path, "", &mut c);
        if c.problems.is_empty() {
            return Ok(());
        }
        for p in &mut c.problems {
            p.id = None; // a scoring spec has no id of its own
        }
        Err(crate::Error::invalid(c.problems))
    }

    /// Whether the target is divided into the actual (or the actual into it): then a target ≤ 0 is an error.
    pub fn is_ratio(&self) -> bool {
        !matches!(self.curve, Curve::ThresholdTargetStretch { .. })
            && !matches!(self.direction, Direction::Band { .. })
    }

    /// `(achievement, score)` of `actual` against `levels`. The achievement is the direction's and formula's ratio
    /// against the target on every curve, `threshold_target_stretch` included (it scores the raw value, but its
    /// achievement is the one the strategy view shows: one achievement everywhere); it is `None` when `inverse` meets
    /// an actual of 0 (which scores the curve's cap) and, on `threshold_target_stretch`, for a target ≤ 0 outside a
    /// band (no ratio means anything there).
    ///
    /// ```
    /// use okpi::model::{Curve, Direction, Formula};
    /// let s = okpi::kpi::Scoring { direction: Direction::LowerIsBetter, formula: Formula::Inverse,
    ///                              curve: Curve::default(), decimals: Some(1) };
    /// let l = okpi::kpi::Levels { threshold: None, target: 30.0, stretch: None };
    /// assert_eq!(s.score(40.0, l), (Some(0.75), 75.0)); // 30 / 40
    /// assert_eq!(s.score(0.0, l), (None, 120.0)); // the linear curve's cap
    /// ```
    pub fn score(&self, actual: f64, levels: Levels) -> (Option<f64>, f64) {
        let (a, raw) = if matches!(self.curve, Curve::ThresholdTargetStretch { .. }) {
            let lower = matches!(self.direction, Direction::LowerIsBetter);
            let ratio_ok = levels.target > 0.0 || matches!(self.direction, Direction::Band { .. });
            let a = achievement(self.direction, self.formula, actual, levels.target)
                .filter(|a| ratio_ok && a.is_finite());
            (a, tts_score(&self.curve, lower, actual, levels))
        } else {
            match achievement(self.direction, self.formula, actual, levels.target) {
                Some(a) => (Some(a), curve_score(&self.curve, a)),
                None => (None, cap(&self.curve, levels.stretch.is_some())),
            }
        };
        let score = match self.decimals {
            Some(d) => round_half_up(raw, d),
            None => raw,
        };
        (a, score)
    }
}
