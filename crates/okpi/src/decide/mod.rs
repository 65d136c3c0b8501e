//! The adaptation advisor (DOMAIN.md §8): which management model fits a business line, traced rule by rule to the
//! source article's matrix (业务适配矩阵), its three layers (业务形态、组织文化、人才与管理) and its three readiness
//! questions (目标设计、数据基础、沟通机制).
//!
//! The rules, in the order they apply:
//!
//! 1. **Readiness** — all three answers below `weak` (0.4) → `build_foundations_first`, whatever the matrix says
//!    (`readiness.all_weak`), and no layer applies: the reasons are that one and the matrix's, the steps the three
//!    readiness steps and `step.foundations`. Otherwise each weak answer adds a next step and changes nothing else.
//! 2. **Matrix** — uncertainty and standardization split at `split` (0.5; a value equal to the split counts as
//!    high): low U + high S → `kpi` (稳定运营区); high U + low S → `okr` (探索创新区); high U + high S → `hybrid`
//!    (精益试验区); low U + low S → `fix_process_first` (转型整顿区).
//! 3. **Lifecycle** — `incubation` turns `kpi` into `hybrid` (new business needs a navigator); `mature` turns `okr`
//!    into `hybrid` (a stable core needs a dashboard); `transformation` turns `kpi` or `okr` into `hybrid` (both
//!    innovation and steady state are present); `growth` changes nothing. `fix_process_first` is never changed here:
//!    a broken process is not fixed by a goal model.
//! 4. **Culture** — failure tolerance or transparency below `low` (0.4): `okr` becomes `kpi` with an OKR pilot in one
//!    team; `hybrid` stays, with the OKR front office piloted in one team. Both at or above `high` (0.7) with a
//!    `hybrid` answer: OKR may lead in the breakthrough areas (a reason, no change).
//! 5. **Talent and management** — self drive or manager coaching below `low`: `okr` becomes `hybrid` (a KPI base
//!    while OKR skills grow) with a pilot, and a coaching next step; a `hybrid` answer gets the pilot and the step.

mod text;

use crate::error::{Code, Error, Problem};
use serde::{Deserialize, Serialize};
use text::text;

/// Where a business line is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// A new product or business being incubated.
    Incubation,
    /// Growing fast on a found model.
    Growth,
    /// A stable, mature operation.
    Mature,
    /// Being reshaped: old and new at once.
    Transformation,
}

/// The article's three readiness questions, each answered in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    /// Can strategy be turned into manageable goals and metrics? (目标设计能力)
    pub goal_design: f64,
    /// Is the key business data trustworthy and traceable? (数据基础)
    pub data_reliability: f64,
    /// Is there a fixed rhythm of reviews and 1:1s? (沟通机制)
    pub communication_cadence: f64,
}

/// A business line as the advisor sees it. Every score is in [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BusinessProfile {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// How uncertain the business is (业务不确定性).
    pub uncertainty: f64,
    /// How standardised its processes are (流程标准化程度).
    pub standardization: f64,
    /// Where it is in its life.
    pub lifecycle: Lifecycle,
    /// Tolerance of failed experiments (容错).
    pub failure_tolerance: f64,
    /// Openness of goals and progress (透明).
    pub transparency: f64,
    /// Self drive of key people (自驱).
    pub self_drive: f64,
    /// Managers' will and skill to coach (教练式管理).
    pub manager_coaching: f64,
    /// The three readiness answers.
    pub readiness: Readiness,
    /// People in the line, to weight the company-wide mix (default 1).
    #[serde(default = "one")]
    pub headcount: f64,
}

fn one() -> f64 {
    1.0
}

/// The advisor's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct AdvisorSettings {
    /// Where the matrix splits uncertainty and standardization (values equal to it count as high).
    pub split: f64,
    /// A readiness answer below this is weak.
    pub weak: f64,
    /// A culture or talent score below this is low.
    pub low: f64,
    /// A culture score at or above this is high.
    pub high: f64,
}

impl Default for AdvisorSettings {
    fn default() -> Self {
        AdvisorSettings {
            split: 0.5,
            weak: 0.4,
            low: 0.4,
            high: 0.7,
        }
    }
}

/// The management model recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Recommendation {
    /// KPI software as the dashboard.
    Kpi,
    /// OKR software as the navigator.
    Okr,
    /// Front-office OKR + back-office KPI.
    Hybrid,
    /// Reshape the process first; use tools lightly.
    FixProcessFirst,
    /// No tool works yet: build goal design, data and cadence first.
    BuildFoundationsFirst,
}

/// The article's four quadrants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Low uncertainty, high standardization (稳定运营区).
    StableOperations,
    /// High uncertainty, low standardization (探索创新区).
    Exploration,
    /// High uncertainty, high standardization (精益试验区).
    LeanExperiment,
    /// Low uncertainty, low standardization (转型整顿区).
    Restructuring,
}

/// A reason or next step: a stable code and its English and Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Note {
    /// Stable code, e.g. `matrix.exploration`.
    pub code: String,
    /// English text.
    pub en: String,
    /// Chinese text.
    pub zh: String,
}

/// A pilot: try `model` in one team before the whole line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Pilot {
    /// The model to pilot.
    pub model: Recommendation,
    /// Where: always one team first.
    pub scope: String,
}

/// The advice for one business line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Advice {
    /// The business line.
    pub id: String,
    /// Its quadrant in the matrix.
    pub quadrant: Quadrant,
    /// What the matrix alone says.
    pub matrix: Recommendation,
    /// The answer after the layers and readiness.
    pub recommendation: Recommendation,
    /// A pilot to run first, if any.
    pub pilot: Option<Pilot>,
    /// Why, rule by rule, in the order applied.
    pub reasons: Vec<Note>,
    /// What to do next.
    pub next_steps: Vec<Note>,
}

/// The company-wide mix of many business lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Portfolio {
    /// The advice per line, sorted by id.
    pub lines: Vec<Advice>,
    /// Per recommendation: lines, headcount and headcount share, sorted by recommendation.
    pub mix: Vec<MixEntry>,
}

/// One recommendation's share of the company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MixEntry {
    /// The recommendation.
    pub recommendation: Recommendation,
    /// How many lines got it.
    pub lines: usize,
    /// Their headcount.
    pub headcount: f64,
    /// Their share of all headcount.
    pub share: f64,
}

/// Checks a profile's scores are finite and in [0, 1]; problems carry the path `{path}.field`.
fn check(p: &BusinessProfile, path: &str, out: &mut Vec<Problem>) {
    let r = &p.readiness;
    let scores = [
        ("uncertainty", p.uncertainty),
        ("standardization", p.standardization),
        ("failure_tolerance", p.failure_tolerance),
        ("transparency", p.transparency),
        ("self_drive", p.self_drive),
        ("manager_coaching", p.manager_coaching),
        ("readiness.goal_design", r.goal_design),
        ("readiness.data_reliability", r.data_reliability),
        ("readiness.communication_cadence", r.communication_cadence),
    ];
    for (field, v) in scores {
        if !v.is_finite() {
            out.push(Problem::new(
                Code::E_NOT_FINITE,
                format!("{path}.{field}"),
                Some(&p.id),
                format!("{field} of {} is {v}", p.id),
            ));
        } else if !(0.0..=1.0).contains(&v) {
            out.push(Problem::new(
                Code::E_INVALID_VALUE,
                format!("{path}.{field}"),
                Some(&p.id),
                format!("{field} of {} is {v}, outside 0–1", p.id),
            ));
        }
    }
    if !(p.headcount.is_finite() && p.headcount >= 0.0) {
        out.push(Problem::new(
            Code::E_INVALID_VALUE,
            format!("{path}.headcount"),
            Some(&p.id),
            format!("headcount of {} is {}", p.id, p.headcount),
        ));
    }
}

/// Checks the advisor's thresholds: each in [0, 1], and `low` ≤ `high`.
fn check_settings(s: &AdvisorSettings, out: &mut Vec<Problem>) {
    let settings = [
        ("split", s.split),
        ("weak", s.weak),
        ("low", s.low),
        ("high", s.high),
    ];
    for (field, v) in settings {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            let msg = format!("{field} must be in 0–1, not {v}");
            out.push(Problem::new(
                Code::E_SETTINGS,
                format!("$.settings.{field}"),
                None,
                msg,
            ));
        }
    }
    if s.low > s.high {
        let msg = format!("high ({}) must not be below low ({})", s.high, s.low);
        out.push(Problem::new(Code::E_SETTINGS, "$.settings.high", None, msg));
    }
}

/// Advises one business line.
///
/// ```
/// use okpi::decide::*;
/// let line = BusinessProfile {
///     id: "live".into(), name: "直播带货 Live commerce".into(), uncertainty: 0.8, standardization: 0.2,
///     lifecycle: Lifecycle::Incubation, failure_tolerance: 0.3, transparency: 0.6, self_drive: 0.7,
///     manager_coaching: 0.6, headcount: 12.0,
///     readiness: Readiness { goal_design: 0.6, data_reliability: 0.5, communication_cadence: 0.7 },
/// };
/// let advice = advise(&line, &AdvisorSettings::default()).unwrap();
/// assert_eq!(advice.matrix, Recommendation::Okr); // high uncertainty, low standardization
/// assert_eq!(advice.recommendation, Recommendation::Kpi); // failure tolerance 0.3 < 0.4
/// assert_eq!(advice.pilot.unwrap().model, Recommendation::Okr); // …with an OKR pilot in one team
/// ```
pub fn advise(p: &BusinessProfile, s: &AdvisorSettings) -> Result<Advice, Error> {
    let mut problems = Vec::new();
    check_settings(s, &mut problems);
    check(p, "$", &mut problems);
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    Ok(decide(p, s))
}

/// Advises many business lines and sums up the company-wide mix. Errors name `$[i]` of the offending line.
pub fn advise_all(lines: &[BusinessProfile], s: &AdvisorSettings) -> Result<Portfolio, Error> {
    let mut problems = Vec::new();
    check_settings(s, &mut problems);
    let mut seen = std::collections::HashMap::new();
    for (i, p) in lines.iter().enumerate() {
        check(p, &format!("$[{i}]"), &mut problems);
        if let Some(first) = seen.insert(p.id.as_str(), i) {
            problems.push(Problem::new(
                Code::E_DUPLICATE_ID,
                format!("$[{i}].id"),
                Some(&p.id),
                format!("business line {} is listed again (first at $[{first}])", p.id),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    let mut advice: Vec<(f64, Advice)> = lines.iter().map(|p| (p.headcount, decide(p, s))).collect();
    advice.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    let total: f64 = advice.iter().map(|a| a.0).sum();
    let mut mix: std::collections::BTreeMap<Recommendation, (usize, f64)> = std::collections::BTreeMap::new();
    for (h, a) in &advice {
        let e = mix.entry(a.recommendation).or_default();
        e.0 += 1;
        e.1 += h;
    }
    Ok(Portfolio {
        mix: mix
            .into_iter()
            .map(|(recommendation, (lines, headcount))| MixEntry {
                recommendation,
                lines,
                headcount,
                share: if total > 0.0 { headcount / total } else { 0.0 },
            })
            .collect(),
        lines: advice.into_iter().map(|a| a.1).collect(),
    })
}

fn decide(p: &BusinessProfile, s: &AdvisorSettings) -> Advice {
    use Recommendation::*;
    let mut reasons = Vec::new();
    let mut steps = Vec::new();
    let mut pilot = None;

    let (hi_u, hi_s) = (p.uncertainty >= s.split, p.standardization >= s.split);
    let (quadrant, matrix) = match (hi_u, hi_s) {
        (false, true) => (Quadrant::StableOperations, Kpi),
        (true, false) => (Quadrant::Exploration, Okr),
        (true, true) => (Quadrant::LeanExperiment, Hybrid),
        (false, false) => (Quadrant::Restructuring, FixProcessFirst),
    };
    let matrix_reason = text(match quadrant {
        Quadrant::StableOperations => "matrix.stable_operations",
        Quadrant::Exploration => "matrix.exploration",
        Quadrant::LeanExperiment => "matrix.lean_experiment",
        Quadrant::Restructuring => "matrix.restructuring",
    });
    let r = &p.readiness;
    let weak = [
        (r.goal_design < s.weak, "step.goal_design"),
        (r.data_reliability < s.weak, "step.data_reliability"),
        (r.communication_cadence < s.weak, "step.communication_cadence"),
    ];
    let weak_steps = weak.iter().filter(|w| w.0).map(|w| text(w.1));
    if weak.iter().all(|w| w.0) {
        // Rule 1 comes first and ends the walk: no layer applies to an organisation that cannot run any tool yet.
        let mut next_steps: Vec<Note> = weak_steps.collect();
        next_steps.push(text("step.foundations"));
        return Advice {
            id: p.id.clone(),
            quadrant,
            matrix,
            recommendation: BuildFoundationsFirst,
            pilot: None,
            reasons: vec![text("readiness.all_weak"), matrix_reason],
            next_steps,
        };
    }
    reasons.push(matrix_reason);
    let mut answer = matrix;

    let lifecycle = match (p.lifecycle, answer) {
        (Lifecycle::Incubation, Kpi) => Some(("lifecycle.incubation_needs_navigator", Hybrid)),
        (Lifecycle::Mature, Okr) => Some(("lifecycle.mature_needs_dashboard", Hybrid)),
        (Lifecycle::Transformation, Kpi | Okr) => Some(("lifecycle.transformation_mixed", Hybrid)),
        _ => None,
    };
    if let Some((code, to)) = lifecycle {
        reasons.push(text(code));
        answer = to;
    }

    let culture_low = p.failure_tolerance < s.low || p.transparency < s.low;
    let culture_high = p.failure_tolerance >= s.high && p.transparency >= s.high;
    match answer {
        Okr if culture_low => {
            reasons.push(text("culture.low_tolerance_start_with_kpi"));
            answer = Kpi;
            pilot = Some(Pilot {
                model: Okr,
                scope: "one_team".into(),
            });
        }
        Hybrid if culture_low => {
            reasons.push(text("culture.low_tolerance_pilot_front_office"));
            pilot = Some(Pilot {
                model: Okr,
                scope: "one_team".into(),
            });
        }
        Hybrid if culture_high => reasons.push(text("culture.experiment_culture_okr_leads")),
        _ => {}
    }

    let talent_low = p.self_drive < s.low || p.manager_coaching < s.low;
    if talent_low && matches!(answer, Okr | Hybrid) {
        if answer == Okr {
            reasons.push(text("talent.weak_keep_kpi_base"));
            answer = Hybrid;
        } else {
            reasons.push(text("talent.weak_pilot_first"));
        }
        pilot = Some(Pilot {
            model: Okr,
            scope: "one_team".into(),
        });
        steps.push(text("step.coach_managers"));
    }

    steps.extend(weak_steps);
    steps.push(text(match answer {
        Kpi => "step.kpi_catalog",
        Okr => "step.okr_cadence",
        Hybrid => "step.hybrid_link",
        FixProcessFirst => "step.map_process",
        BuildFoundationsFirst => "step.foundations",
    }));
    if pilot.is_some() {
        steps.push(text("step.pilot_one_team"));
    }
    Advice {
        id: p.id.clone(),
        quadrant,
        matrix,
        recommendation: answer,
        pilot,
        reasons,
        next_steps: steps,
    }
}
