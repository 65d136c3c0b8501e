//! Diagnostics (DOMAIN.md §10): the article's risks as lint rules over a model and its evaluation, and an
//! organisation health score. Each rule is a function returning findings; each threshold is a setting with the
//! default named in its doc comment; any rule can be switched off by code.
//!

mod access_rules;
mod advice;
mod evidence;
mod kpi_rules;
mod lexicon;
mod okr_rules;

pub use evidence::EvidenceMap;
pub use lexicon::is_task_like;

use crate::error::Error;
use crate::report::{Evaluation, Evidence};
use crate::store::Model;
use crate::Id;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth fixing.
    Warning,
    /// Undermines the numbers.
    Error,
}

/// Advice in English and Chinese.
// The texts are the rule's own (borrowed, never copied per finding); one read back from JSON owns its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AdviceText {
    /// English.
    pub en: Cow<'static, str>,
    /// Chinese.
    pub zh: Cow<'static, str>,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Finding {
    /// Stable rule code, e.g. `okr.stale`.
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// The ids it is about (objectives, key results, people).
    pub subjects: Vec<Id>,
    /// The numbers that triggered it (dates as dates).
    pub evidence: EvidenceMap,
    /// What to do about it.
    pub advice: AdviceText,
}

/// A finding of the rule `code` about `subjects`, with its evidence and the rule's advice.
fn finding<const N: usize>(
    code: &str,
    severity: Severity,
    subjects: Vec<Id>,
    evidence: [(&'static str, Evidence); N],
) -> Finding {
    Finding {
        code: code.to_owned(),
        severity,
        subjects,
        evidence: EvidenceMap::of(evidence),
        advice: advice::advice(code),
    }
}

/// Thresholds of the rules (defaults from DOMAIN.md §10) and the rules switched off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct DiagnoseSettings {
    /// Codes of rules not to run.
    pub disabled: Vec<String>,
    /// `okr.too_many_key_results` above this many (5).
    pub max_key_results: usize,
    /// `okr.stale` after this many days without a check-in (14).
    pub stale_days: i64,
    /// `okr.flat_confidence`: this many check-ins in a row with one confidence (4).
    pub flat_confidence_check_ins: usize,
    /// `okr.end_of_cycle_surge`: the last share of the cycle watched (0.15).
    pub surge_window: f64,
    /// `okr.end_of_cycle_surge`: a confidence rise at least this large inside the window (3 points) …
    pub surge_confidence_rise: f64,
    /// … or a progress rise at least this large (0.3) …
    pub surge_progress_rise: f64,
    /// … after a flat stretch: no earlier step larger than this share of the rise (0.2).
    pub surge_flat_share: f64,
    /// `okr.mechanical_updates`: at least this many check-ins (4) …
    pub mechanical_check_ins: usize,
    /// … whose progress steps vary by at most this coefficient of variation (0.1) …
    pub mechanical_step_cv: f64,
    /// … and each lie within this distance of the pace line (0.05).
    pub mechanical_pace_distance: f64,
    /// `okr.sandbagging`: a KR done within this first share of its cycle (1/3).
    pub sandbag_done_share: f64,
    /// `okr.sandbagging`: aspirational scores at or above this (0.9) in `sandbag_cycles` ended cycles in a row (2).
    pub sandbag_score: f64,
    /// See `sandbag_score`.
    pub sandbag_cycles: usize,
    /// `kpi.single_metric`: one scorecard item above this share of the weight, in percent (50).
    pub single_metric_share: f64,
    /// `kpi.source_discrepancy`: two sources differing by more than this share of the larger value (0.05).
    pub source_tolerance: f64,
    /// `kpi.stale_data`: a measure's newest observation older than this many days (7).
    pub freshness_days: i64,
    /// `kpi.pull_forward`: the days at a month's end and start compared (5) …
    pub pull_forward_days: i64,
    /// … an end share at least this multiple of the usual one (1.5) …
    pub pull_forward_ratio: f64,
    /// … followed by a next-month start share at most this multiple of the usual one (0.7).
    pub pull_forward_dip: f64,
    /// `kpi.threshold_bunching`: the width of the bins just above and just below achievement 1 (0.05) …
    pub bunching_width: f64,
    /// … at least this many achievements in the two bins (5) …
    pub bunching_min: u64,
    /// … and a one-sided binomial p-value below this (0.05).
    pub bunching_p: f64,
}

impl Default for DiagnoseSettings {
    fn default() -> Self {
        DiagnoseSettings {
            disabled: Vec::new(),
            max_key_results: 5,
            stale_days: 14,
            flat_confidence_check_ins: 4,
            surge_window: 0.15,
            surge_confidence_rise: 3.0,
            surge_progress_rise: 0.3,
            surge_flat_share: 0.2,
            mechanical_check_ins: 4,
            mechanical_step_cv: 0.1,
            mechanical_pace_distance: 0.05,
            sandbag_done_share: 1.0 / 3.0,
            sandbag_score: 0.9,
            sandbag_cycles: 2,
            single_metric_share: 50.0,
            source_tolerance: 0.05,
            freshness_days: 7,
            pull_forward_days: 5,
            pull_forward_ratio: 1.5,
            pull_forward_dip: 0.7,
            bunching_width: 0.05,
            bunching_min: 5,
            bunching_p: 0.05,
        }
    }
}

/// The organisation's health: 0–100 and its band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Health {
    /// 0–100 (see [`health`]).
    pub score: f64,
    /// `poor` (0–39), `fair` (40–59), `good` (60–79) or `excellent` (80–100), as Perdoo's bands.
    pub band: HealthBand,
    /// The penalty points each severity cost.
    pub penalty: f64,
    /// Set by access filtering (DOMAIN.md §9) when findings or objectives the viewer may not see were left out:
    /// the score is then recomputed over the findings and objectives they may see.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

/// Perdoo's health bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthBand {
    /// 0–39.
    Poor,
    /// 40–59.
    Fair,
    /// 60–79.
    Good,
    /// 80–100.
    Excellent,
}

/// Findings and health of one model at one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Diagnosis {
    /// Every finding, sorted by code, then subjects.
    pub findings: Vec<Finding>,
    /// The health score.
    pub health: Health,
}

/// Penalty points of one finding: info 1, warning 4, error 10.
pub fn penalty(severity: Severity) -> f64 {
    match severity {
        Severity::Info => 1.0,
        Severity::Warning => 4.0,
        Severity::Error => 10.0,
    }
}

/// Health = 100 × (1 − min(1, Σ penalty / (10 × objectives))), rounded half-up to a whole number: one
/// error-level finding per objective, or two and a half warnings, empties it; a clean organisation scores 100.
///
/// ```
/// use okpi::diagnose::{health, HealthBand, Severity};
/// let h = health(&[Severity::Warning, Severity::Info], 2);
/// assert_eq!((h.score, h.band), (75.0, HealthBand::Good)); // 100 × (1 − 5 / 20)
/// ```
pub fn health(severities: &[Severity], objectives: usize) -> Health {
    let penalty: f64 = severities.iter().map(|s| penalty(*s)).sum();
    let capacity = 10.0 * objectives.max(1) as f64;
    let score = (100.0 * (1.0 - (penalty / capacity).min(1.0)) + 0.5).floor();
    let band = match score as u32 {
        0..=39 => HealthBand::Poor,
        40..=59 => HealthBand::Fair,
        60..=79 => HealthBand::Good,
        _ => HealthBand::Excellent,
    };
    Health {
        score,
        band,
        penalty,
        partial: false,
    }
}

/// Runs every rule not disabled over `model` and its evaluation `ev`, as of the evaluation's date.
pub fn diagnose(model: &Model, ev: &Evaluation, settings: &DiagnoseSettings) -> Result<Diagnosis, Error> {
    settings_check(settings)?;
    let mut findings = Findings::default();
    okr_rules::run(model, ev, settings, &mut findings);
    findings.extend(access_rules::run(model, ev));
    findings.extend(kpi_rules::run(model, ev.as_of, settings)?);
    let findings = findings.sorted(&settings.disabled);
    let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    Ok(Diagnosis {
        health: health(&severities, model.objective_count()),
        findings,
    })
}

/// The findings of a run, kept by code as the rules emit them (a handful of codes), so that sorting them by code is
/// putting the groups in order, and each group is sorted by subjects on its own (the rules emit a code's findings
/// mostly in subject order already, so that sort finds long runs and moves little).
#[derive(Default)]
struct Findings {
    /// Each group's findings share a code; groups in order of first emission.
    groups: Vec<Vec<Finding>>,
    /// The group the last finding went to (the next one often goes there too).
    last: usize,
}

impl Findings {
    fn push(&mut self, f: Finding) {
        let same = |g: &Vec<Finding>| g.first().is_some_and(|x| x.code == f.code);
        if !self.groups.get(self.last).is_some_and(same) {
            match self.groups.iter().position(same) {
                Some(i) => self.last = i,
                None => {
                    self.last = self.groups.len();
                    self.groups.push(Vec::new());
                }
            }
        }
        if let Some(g) = self.groups.get_mut(self.last) {
            g.push(f);
        }
    }

    fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        findings.into_iter().for_each(|f| self.push(f));
    }

    /// The findings whose code is not `disabled`, sorted by code, then subjects, as a stable sort of them in
    /// emission order would.
    fn sorted(mut self, disabled: &[String]) -> Vec<Finding> {
        let code = |g: &Vec<Finding>| g.first().map(|f| f.code.clone()).unwrap_or_default();
        self.groups.retain(|g| !disabled.contains(&code(g)));
        self.groups.sort_by_cached_key(code);
        let mut out = Vec::with_capacity(self.groups.iter().map(Vec::len).sum());
        for mut g in self.groups {
            g.sort_by(|a, b| a.subjects.cmp(&b.subjects));
            out.append(&mut g);
        }
        out
    }
}

fn settings_check(s: &DiagnoseSettings) -> Result<(), Error> {
    let shares = [
        ("surge_window", s.surge_window),
        ("surge_flat_share", s.surge_flat_share),
        ("mechanical_step_cv", s.mechanical_step_cv),
        ("mechanical_pace_distance", s.mechanical_pace_distance),
        ("sandbag_done_share", s.sandbag_done_share),
        ("sandbag_score", s.sandbag_score),
        ("source_tolerance", s.source_tolerance),
        ("pull_forward_dip", s.pull_forward_dip),
        ("bunching_width", s.bunching_width),
        ("bunching_p", s.bunching_p),
    ];
    let mut problems = Vec::new();
    for (name, v) in shares {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            problems.push(crate::Problem::new(
                crate::Code::E_SETTINGS,
                format!("$.settings.{name}"),
                None,
                format!("{name} must be in 0–1, not {v}"),
            ));
        }
    }
    for (name, v) in [
        ("surge_confidence_rise", s.surge_confidence_rise),
        ("surge_progress_rise", s.surge_progress_rise),
    ] {
        if !(v.is_finite() && v > 0.0) {
            problems.push(crate::Problem::new(
                crate::Code::E_SETTINGS,
                format!("$.settings.{name}"),
                None,
                format!("{name} must be a positive number, not {v}"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::{AdviceText, EvidenceMap, Finding, Findings, Severity};
    use proptest::prelude::*;

    proptest! {
        /// The findings come out as a stable sort by code, then subjects, puts them, without the disabled codes.
        #[test]
        fn findings_sort_as_a_stable_sort_by_code_then_subjects(
            items in prop::collection::vec((0usize..4, prop::collection::vec(0usize..3, 0..3)), 0..60),
            disabled in prop::collection::vec(0usize..5, 0..2),
        ) {
            let codes = ["okr.stale", "kpi.stale_data", "okr.missing_baseline", "access.private_progress_shared"];
            let code = |c: usize| codes.get(c).copied().unwrap_or("none").to_owned();
            let findings: Vec<Finding> = items
                .iter()
                .enumerate()
                .map(|(i, (c, subjects))| Finding {
                    code: code(*c),
                    severity: Severity::Info,
                    subjects: subjects.iter().map(|s| crate::Id::from(format!("s{s}"))).collect(),
                    // The emission order, to tell equal findings apart.
                    evidence: EvidenceMap::of([("i", crate::report::Evidence::of(&i))]),
                    advice: AdviceText { en: "".into(), zh: "".into() },
                })
                .collect();
            let disabled: Vec<String> = disabled.into_iter().map(code).collect();
            let mut want = findings.clone();
            want.retain(|f| !disabled.contains(&f.code));
            want.sort_by(|a, b| a.code.cmp(&b.code).then_with(|| a.subjects.cmp(&b.subjects)));
            let mut got = Findings::default();
            got.extend(findings);
            prop_assert_eq!(got.sorted(&disabled), want);
        }
    }
}
