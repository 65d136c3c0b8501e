//! Scorecards: weighted target scores plus an optional OKR component, grades and forced distribution.

use super::curve::round_half_up;
use super::grade::{default_grades, grade, seats, Distribution};
use super::target::score;
use crate::error::{Code, Error, Problem};
use crate::model::Scope;
use crate::store::Model;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What to compute for the scorecards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ScorecardRequest {
    /// The as-of date.
    #[serde(deserialize_with = "crate::model::date::de")]
    pub as_of: NaiveDate,
    /// Optional forced distribution, applied per scorecard `group`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
}

impl ScorecardRequest {
    /// Scorecards at `as_of` without a forced distribution.
    pub fn new(as_of: NaiveDate) -> ScorecardRequest {
        ScorecardRequest {
            as_of,
            distribution: None,
        }
    }
}

/// One scored item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ItemResult {
    /// Target id.
    pub target: String,
    /// Weight in percent.
    pub weight: f64,
    /// The target's score; `None` when it is undefined (no data, zero denominator …), which makes the
    /// scorecard's total undefined too: a missing score is never counted as 0.
    pub score: Option<f64>,
    /// Version of the metric that computed it.
    pub version: String,
}

/// One scorecard's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScorecardResult {
    /// Scorecard id.
    pub id: String,
    /// Who is scored.
    pub subject: Scope,
    /// Σ weight · score / 100, rounded once at the end when the scorecard declares decimals; `None` when an
    /// item's score (or the OKR component) is undefined — see `undefined`.
    pub total: Option<f64>,
    /// Why the total is undefined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
    /// Set by access filtering (DOMAIN.md §9) when the total, grades and rank are withheld from the viewer
    /// (`hidden_items`, `small_group` or `differencing`); they are then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
    /// Grade by bands (none without a total).
    pub grade: Option<String>,
    /// Grade by forced distribution, when the group was forced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forced_grade: Option<String>,
    /// Rank in its group (1 = best; total desc, then id); scorecards without a total are not ranked.
    pub rank: Option<usize>,
    /// Items scored.
    pub items: Vec<ItemResult>,
    /// The OKR component's score (objective score × 100), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okr_score: Option<f64>,
    /// Warnings (undefined item scores).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// All scorecards, sorted by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScorecardReport {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// One result per scorecard.
    pub scorecards: Vec<ScorecardResult>,
    /// Warnings (groups too small to force).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Scores every scorecard at `req.as_of`; `okr` evaluates the OKRs, called once and only when a scorecard weighs
/// its subject's OKR score ([`crate::hybrid::scorecards`] passes `okr::evaluate`, which kpi cannot call).
pub(crate) fn scorecards_with(
    model: &Model,
    req: &ScorecardRequest,
    okr: impl FnOnce() -> Result<crate::report::Evaluation, Error>,
) -> Result<ScorecardReport, Error> {
    if let Some(d) = &req.distribution {
        let sum: f64 = d.shares.iter().map(|s| s.percent).sum();
        if (sum - 100.0).abs() > 1e-9 || d.shares.iter().any(|s| !s.percent.is_finite() || s.percent < 0.0) {
            return Err(Error::invalid(vec![Problem::new(
                Code::E_WEIGHTS_SUM,
                "$.distribution.shares",
                None,
                format!("distribution shares sum to {sum}, not 100"),
            )]));
        }
    }
    let scores = score(model, req.as_of)?;
    let by_id: std::collections::HashMap<&str, &super::TargetResult> =
        scores.targets.iter().map(|t| (t.id.as_str(), t)).collect();
    let needs_okr = model
        .kpi
        .scorecards
        .iter()
        .any(|s| s.okr.as_ref().is_some_and(|o| o.weight != 0.0));
    let okr = if needs_okr { Some(okr()?) } else { None };
    let mut out: Vec<(Option<String>, ScorecardResult)> = Vec::new();
    for sc in &model.kpi.scorecards {
        let mut warnings = Vec::new();
        let mut total = Some(0.0);
        let mut undefined = Vec::new();
        let mut items = Vec::new();
        for it in &sc.items {
            let r = by_id.get(it.target.as_str()).copied();
            let s = r.and_then(|r| r.score);
            match s {
                Some(s) => total = total.map(|t| weighted_add(t, it.weight, s)),
                None => {
                    let why = r
                        .and_then(|r| r.undefined.clone())
                        .unwrap_or_else(|| String::from("no result"));
                    undefined.push(format!("target {} has no score ({why})", it.target));
                    total = None;
                }
            }
            items.push(ItemResult {
                target: it.target.clone(),
                weight: it.weight,
                score: s,
                version: r.map(|r| r.version.clone()).unwrap_or_default(),
            });
        }
        let mut okr_score = None;
        if let Some(o) = &sc.okr {
            let s = okr
                .as_ref()
                .and_then(|ev| ev.objective(&o.objective))
                .map(|r| r.score * 100.0);
            match s {
                Some(s) => total = total.map(|t| weighted_add(t, o.weight, s)),
                None if o.weight != 0.0 => {
                    undefined.push(format!("objective {} has no score", o.objective));
                    total = None;
                }
                None => {}
            }
            okr_score = s;
        }
        total = total.map(crate::num::unsigned_zero);
        if let Some(d) = sc.decimals {
            total = total.map(|t| round_half_up(t, d));
        }
        warnings.extend(undefined.iter().cloned());
        let bands = sc.grades.clone().unwrap_or_else(default_grades);
        out.push((
            sc.group.clone(),
            ScorecardResult {
                id: sc.id.clone(),
                subject: sc.subject.clone(),
                total,
                undefined: (!undefined.is_empty()).then(|| undefined.join("; ")),
                withheld: None,
                grade: total.map(|t| grade(&bands, t)),
                forced_grade: None,
                rank: None,
                items,
                okr_score,
                warnings,
            },
        ));
    }
    // Rank within groups, and force the distribution where asked.
    let mut groups: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
    for (i, (g, s)) in out.iter().enumerate() {
        if s.total.is_some() {
            groups.entry(g.clone()).or_default().push(i);
        }
    }
    let mut warnings = Vec::new();
    for (g, mut members) in groups {
        // Total descending, totals that tie within ε by id (DOMAIN.md §0).
        {
            let view = &out;
            let total = |i: &usize| {
                view.get(*i)
                    .and_then(|(_, s)| s.total)
                    .unwrap_or(f64::NEG_INFINITY)
            };
            let id = |i: &usize| view.get(*i).map(|(_, s)| s.id.as_str());
            crate::num::rank_desc(&mut members, total, id);
        }
        for (r, &i) in members.iter().enumerate() {
            if let Some((_, s)) = out.get_mut(i) {
                s.rank = Some(r + 1);
            }
        }
        let Some(d) = &req.distribution else { continue };
        let name = g.as_deref().unwrap_or("(all)");
        if members.len() < d.min_group_size {
            warnings.push(format!(
                "group {name} has {} scorecards, under the minimum {}: not forced",
                members.len(),
                d.min_group_size
            ));
            continue;
        }
        let percents: Vec<f64> = d.shares.iter().map(|s| s.percent).collect();
        let counts = seats(&percents, members.len());
        let mut it = members.iter();
        for (share, n) in d.shares.iter().zip(counts) {
            for &i in it.by_ref().take(n) {
                if let Some((_, s)) = out.get_mut(i) {
                    s.forced_grade = Some(share.grade.clone());
                }
            }
        }
    }
    let mut scorecards: Vec<ScorecardResult> = out.into_iter().map(|(_, s)| s).collect();
    scorecards.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(ScorecardReport {
        as_of: req.as_of,
        scorecards,
        warnings,
    })
}

/// `total + weight · score / 100`, kept finite when the product overflows (a score near `f64::MAX`): the weights
/// sum to 100, so the total is a weighted mean of the scores and stays between them.
fn weighted_add(total: f64, weight: f64, score: f64) -> f64 {
    let term = weight * score / 100.0;
    let term = if term.is_finite() {
        term
    } else {
        weight / 100.0 * score
    };
    (total + term).clamp(-f64::MAX, f64::MAX)
}
