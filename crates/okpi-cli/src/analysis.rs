//! Everything a dashboard or report shows, computed by the library: the evaluation, KPI scores and scorecards, the
//! alert rules over the report cycle, the diagnostics, the advisor and, for reports, weekly snapshots and trend
//! series. The CLI computes nothing itself; it only picks dates and calls `okpi`.

use crate::fail::{Failure, Located};
use crate::input::Loaded;
use crate::progress::Progress;
use chrono::{Duration, NaiveDate};
use okpi::alert::{AlertReport, AlertResult, Rule};
use okpi::decide::{AdvisorSettings, Portfolio};
use okpi::diagnose::{DiagnoseSettings, Diagnosis};
use okpi::kpi::{Query, QueryResult, ScoreReport, ScorecardReport, ScorecardRequest, TargetResult};
use okpi::model::{Cycle, Grain, Scope};
use okpi::{Evaluation, Model, Settings};
use std::collections::BTreeMap;

/// How much to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// What the terminal dashboard shows.
    Dashboard,
    /// Everything, for the HTML report (weekly snapshots and trend series too).
    Report,
}

/// What to analyse.
#[derive(Debug, Clone)]
pub struct Request {
    /// The as-of date.
    pub as_of: NaiveDate,
    /// Evaluation settings.
    pub settings: Settings,
    /// The report cycle by id; `None` picks one (see [`report_cycle`]).
    pub cycle: Option<String>,
    /// How much to compute.
    pub depth: Depth,
    /// The language of the CLI's own messages.
    pub lang: crate::i18n::Lang,
}

/// The progress of every objective at one day of the cycle.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The day.
    pub date: NaiveDate,
    /// The evaluation on that day.
    pub evaluation: Evaluation,
}

/// One metric × scope watched by a target or an alert rule, with its series over the report cycle.
#[derive(Debug, Clone)]
pub struct Trend {
    /// The metric.
    pub metric: String,
    /// The unit or person.
    pub scope: Scope,
    /// The series: at the coarsest grain of the rules watching it, else daily for cycles up to 120 days, else
    /// weekly.
    pub table: QueryResult,
    /// The target on this metric × scope in the report cycle, scored as of the date.
    pub target: Option<TargetResult>,
    /// The alert rules on this metric × scope, with their outcome over the cycle.
    pub alerts: Vec<(Rule, AlertResult)>,
}

/// Everything computed for one document and date.
#[derive(Debug)]
pub struct Analysis {
    /// The document as validated.
    pub model: Model,
    /// The document (definitions for labels).
    pub document: okpi::Document,
    /// Display names of metrics.
    pub metric_names: BTreeMap<String, String>,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The report cycle.
    pub cycle: Cycle,
    /// The last day shown: the earlier of as-of and the cycle's end.
    pub until: NaiveDate,
    /// The OKR evaluation.
    pub evaluation: Evaluation,
    /// KPI target scores as of the date.
    pub scores: ScoreReport,
    /// Scorecards as of the date.
    pub scorecards: ScorecardReport,
    /// The alert rules over the cycle up to `until`.
    pub alerts: AlertReport,
    /// Findings and health.
    pub diagnosis: Diagnosis,
    /// The advisor's portfolio, when the document names profiles.
    pub portfolio: Option<Portfolio>,
    /// The business-line profiles the portfolio was made from.
    pub profiles: Vec<okpi::decide::BusinessProfile>,
    /// Weekly snapshots (reports only): the last [`MAX_WEEKS`] weeks of the cycle up to `until`.
    pub weeks: Vec<Snapshot>,
    /// How many weeks the cycle has up to `until` (more than `weeks.len()` when a long cycle was cut).
    pub weeks_total: usize,
    /// The evaluation a week before as-of, for "what changed since last week"; `None` when that day is before the
    /// report cycle.
    pub previous: Option<Evaluation>,
    /// Trend series (reports only).
    pub trends: Vec<Trend>,
    /// The library's strategy view.
    pub strategy: okpi::hybrid::StrategyView,
}

impl Analysis {
    /// Everything computed, as `person` may see it (with their roles in the document): each report is filtered
    /// by the library (`okpi::access`, judged against the model), and a trend chart stays only while the viewer
    /// may see some of its cells.
    pub fn restrict(&mut self, person: &str) -> Result<(), Failure> {
        let viewer = okpi::access::Viewer::new(person);
        let view = okpi::access::View::new(&self.model, &viewer, &Default::default())?;
        self.evaluation = view.apply(self.evaluation.clone());
        self.scores = view.apply(self.scores.clone());
        self.scorecards = view.apply(self.scorecards.clone());
        self.alerts = view.apply(self.alerts.clone());
        self.diagnosis = view.apply(self.diagnosis.clone());
        self.strategy = view.apply(self.strategy.clone());
        self.previous = self.previous.take().map(|e| view.apply(e));
        for w in &mut self.weeks {
            w.evaluation = view.apply(w.evaluation.clone());
        }
        let (scores, alerts) = (&self.scores, &self.alerts);
        self.trends.retain_mut(|t| {
            t.table = view.apply(t.table.clone());
            t.target = t.target.take().filter(|x| scores.target(&x.id).is_some());
            t.alerts
                .retain(|(rule, _)| alerts.alerts.iter().any(|r| r.rule == rule.id));
            !t.table.cells.is_empty()
        });
        Ok(())
    }
}

/// The cycle a report covers: the one named, else the shortest cycle holding as-of (ties: the first by id), else
/// the last to end before it, else the first to start. A document without cycles gets the 91 days up to as-of.
pub fn report_cycle(
    model: &Model,
    as_of: NaiveDate,
    named: Option<&str>,
    lang: crate::i18n::Lang,
) -> Result<Cycle, Failure> {
    if let Some(id) = named {
        return model.cycle(id).cloned().ok_or_else(|| {
            // The cycles the document has, so that the next try can succeed (the first 20).
            let mut ids: Vec<&str> = model.cycles().map(|c| c.id.as_str()).collect();
            ids.sort_unstable();
            let more = ids.len().saturating_sub(20);
            ids.truncate(20);
            let mut list = ids.join(", ");
            if more > 0 {
                list.push_str(&format!(" … (+{more})"));
            }
            let message = match lang {
                crate::i18n::Lang::En if list.is_empty() => {
                    format!("no cycle has the id {id:?}; the document has no cycles")
                }
                crate::i18n::Lang::En => format!("no cycle has the id {id:?}; the document's cycles: {list}"),
                crate::i18n::Lang::Zh if list.is_empty() => {
                    format!("没有 id 为 {id:?} 的周期；文档中没有周期")
                }
                crate::i18n::Lang::Zh => format!("没有 id 为 {id:?} 的周期；文档中的周期：{list}"),
            };
            Failure::one(okpi::Code::E_UNKNOWN_ID, "$.cycle", None, message)
        });
    }
    let mut cycles: Vec<&Cycle> = model.cycles().collect();
    cycles.sort_by_key(|c| (c.end - c.start, c.id.clone()));
    let holding = cycles.iter().find(|c| c.start <= as_of && as_of <= c.end);
    let before = cycles.iter().filter(|c| c.end < as_of).max_by_key(|c| c.end);
    let first = cycles.iter().min_by_key(|c| c.start);
    Ok(match holding.or(before).or(first) {
        Some(c) => (*c).clone(),
        None => Cycle {
            id: String::from("as_of"),
            start: as_of - Duration::days(90),
            end: as_of,
            parent: None,
        },
    })
}

/// The most weekly snapshots a report computes and shows: half a year of weeks. A longer cycle shows its last
/// weeks and says how many it left out, so the work and the page grow with the document, not with its cycle's
/// length.
pub const MAX_WEEKS: usize = 26;

/// The days of the weekly snapshots: the last day of each 7-day week from the cycle's start, up to `until`, and
/// `until` itself; only the last [`MAX_WEEKS`] of them, with the count of all.
pub fn week_ends(cycle: &Cycle, until: NaiveDate) -> (Vec<NaiveDate>, usize) {
    if until < cycle.start {
        return (Vec::new(), 0);
    }
    let first = cycle.start + Duration::days(6);
    // Whole weeks ending before `until`, then `until` itself.
    let full = if first < until {
        ((until - first).num_days() - 1) / 7 + 1
    } else {
        0
    };
    let total = usize::try_from(full).unwrap_or(usize::MAX).saturating_add(1);
    let skip = full.saturating_sub(MAX_WEEKS as i64 - 1).max(0);
    let mut days: Vec<NaiveDate> = (skip..full).map(|i| first + Duration::days(7 * i)).collect();
    days.push(until);
    (days, total)
}

/// Runs every computation for `req` over `input`, telling `progress` as it goes.
pub fn analyse(
    input: &Loaded,
    model: Model,
    req: &Request,
    progress: &mut Progress,
) -> Result<Analysis, Failure> {
    let as_of = req.as_of;
    let cycle = report_cycle(&model, as_of, req.cycle.as_deref(), req.lang)?;
    let until = as_of.min(cycle.end);
    progress.step("evaluating objectives");
    let evaluation = okpi::evaluate(&model, as_of, &req.settings)?;
    progress.step("scoring KPI targets");
    let scores = okpi::kpi::score(&model, as_of)?;
    let scorecards = okpi::hybrid::scorecards(&model, &ScorecardRequest::new(as_of))?;
    progress.step("running alert rules");
    let alerts = if until >= cycle.start {
        okpi::alert::evaluate_rules(&model, cycle.start, until, &BTreeMap::new())?
    } else {
        AlertReport::empty(cycle.start, until)
    };
    progress.step("diagnosing");
    let diagnosis = okpi::diagnose::diagnose(&model, &evaluation, &DiagnoseSettings::default())?;
    let portfolio = match &input.profiles {
        Some(lines) => Some(
            okpi::decide::advise_all(lines, &AdvisorSettings::default()).map_err(|e| {
                Failure::Invalid(
                    e.problems()
                        .iter()
                        .map(|p| Located::new(p.clone(), Some(String::from("profiles"))))
                        .collect(),
                )
            })?,
        ),
        None => None,
    };
    progress.step("building the strategy view");
    let strategy = strategy_view(&model, as_of, &req.settings)?;
    let mut analysis = Analysis {
        document: model.to_document(),
        model,
        metric_names: input.metric_names.clone(),
        as_of,
        cycle,
        until,
        evaluation,
        scores,
        scorecards,
        alerts,
        diagnosis,
        portfolio,
        profiles: input.profiles.clone().unwrap_or_default(),
        weeks: Vec::new(),
        weeks_total: 0,
        previous: None,
        trends: Vec::new(),
        strategy,
    };
    if let Some(week_before) = as_of.checked_sub_days(chrono::Days::new(7)) {
        if week_before >= analysis.cycle.start {
            analysis.previous = Some(okpi::evaluate(&analysis.model, week_before, &req.settings)?);
        }
    }
    if req.depth == Depth::Report {
        (analysis.weeks, analysis.weeks_total) = snapshots(&analysis, &req.settings, progress)?;
        progress.step("computing KPI trends");
        analysis.trends = trends(&analysis)?;
    }
    Ok(analysis)
}

/// Weekly evaluations for the heatmap, with the same settings (and so the same status rule) as the rest of the
/// page: the last column is what the tree shows.
fn snapshots(
    a: &Analysis,
    settings: &Settings,
    progress: &mut Progress,
) -> Result<(Vec<Snapshot>, usize), Failure> {
    let (days, total) = week_ends(&a.cycle, a.until);
    progress.grow(days.len());
    let weeks = days
        .into_iter()
        .map(|date| {
            progress.step("evaluating weekly snapshots");
            Ok(Snapshot {
                date,
                evaluation: okpi::evaluate(&a.model, date, settings)?,
            })
        })
        .collect::<Result<_, Failure>>()?;
    Ok((weeks, total))
}

/// The KPI grain of an alert rule's grain.
fn model_grain(g: okpi::model::Grain) -> Grain {
    match g {
        okpi::model::Grain::Day => Grain::Day,
        okpi::model::Grain::Week => Grain::Week,
        okpi::model::Grain::Month => Grain::Month,
        okpi::model::Grain::Quarter => Grain::Quarter,
        okpi::model::Grain::Year => Grain::Year,
    }
}

/// The scope an alert rule watches: a person when a person has its id, else a unit.
pub fn rule_scope(doc: &okpi::Document, rule: &Rule) -> Scope {
    if doc.people.iter().any(|p| p.id == rule.scope) {
        Scope::Person(rule.scope.clone())
    } else {
        Scope::Unit(rule.scope.clone())
    }
}

fn trends(a: &Analysis) -> Result<Vec<Trend>, Failure> {
    let mut keys: Vec<(String, Scope)> = Vec::new();
    let mut add = |k: (String, Scope)| {
        if !keys.contains(&k) {
            keys.push(k);
        }
    };
    for t in a.scores.targets.iter().filter(|t| t.cycle == a.cycle.id) {
        if matches!(t.scope, Scope::Unit(_)) {
            add((t.metric.clone(), t.scope.clone()));
        }
    }
    for r in &a.document.alert_rules {
        add((r.metric.clone(), rule_scope(&a.document, r)));
    }
    let default_grain = if (a.cycle.end - a.cycle.start).num_days() < 120 {
        Grain::Day
    } else {
        Grain::Week
    };
    let mut out = Vec::new();
    for (metric, scope) in keys {
        let rules: Vec<&Rule> = a
            .document
            .alert_rules
            .iter()
            .filter(|r| r.metric == metric && rule_scope(&a.document, r) == scope)
            .collect();
        // Charted at the coarsest grain of the rules that watch it, so that their episodes line up with its points.
        let grain = rules
            .iter()
            .map(|r| model_grain(r.grain))
            .max()
            .unwrap_or(default_grain);
        let filter = match &scope {
            Scope::Unit(u) => ("unit".to_owned(), u.clone()),
            Scope::Person(p) => ("person".to_owned(), p.clone()),
        };
        let q = {
            let mut v = Query::new(metric.clone(), a.cycle.start, a.until.max(a.cycle.start));
            v.grain = Some(grain);
            v.filters = BTreeMap::from([filter]);
            v.group_by = Vec::new();
            v
        };
        let mut table = okpi::kpi::query(&a.model, &q)?;
        if a.until < a.cycle.start {
            table.cells.clear();
        }
        let target = a
            .scores
            .targets
            .iter()
            .find(|t| t.metric == metric && t.scope == scope && t.cycle == a.cycle.id)
            .cloned();
        let alerts = rules
            .into_iter()
            .filter_map(|r| {
                let result = a.alerts.alerts.iter().find(|x| x.rule == r.id)?;
                Some((r.clone(), result.clone()))
            })
            .collect();
        out.push(Trend {
            metric,
            scope,
            table,
            target,
            alerts,
        });
    }
    Ok(out)
}

/// The library's strategy view of `model` as of `as_of`, its objectives evaluated with `settings`.
fn strategy_view(
    model: &okpi::Model,
    as_of: NaiveDate,
    settings: &okpi::Settings,
) -> Result<okpi::hybrid::StrategyView, Failure> {
    let s = {
        let mut v = okpi::hybrid::StrategySettings::default();
        v.evaluation = settings.clone();
        v
    };
    Ok(okpi::strategy_view(model, as_of, &s)?)
}
