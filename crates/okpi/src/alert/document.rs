//! Every alert rule of a document, run over its metric for a date range (DOMAIN.md §7 on top of §5).

use super::state::{AlertObservation, Event, State};
use super::step::evaluate_series;
use crate::error::Error;
use crate::kpi::{query_with, Catalog, Query};
use crate::model::alert::Rule;
use crate::store::Model;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One rule's outcome over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AlertResult {
    /// The rule's id.
    pub rule: String,
    /// The metric watched, and the version of its definition that computed the values.
    pub metric: String,
    /// See `metric`.
    pub metric_version: String,
    /// The series the rule saw: one observation per grain period (`value: null` where the metric is undefined).
    pub series: Vec<AlertObservation>,
    /// The events, in order.
    pub events: Vec<Event>,
    /// The state after the last period: store it and pass it back to resume.
    pub state: State,
}

/// All rules' outcomes, sorted by rule id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AlertReport {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range.
    pub to: NaiveDate,
    /// One result per rule.
    pub alerts: Vec<AlertResult>,
}

impl AlertReport {
    /// The report of no rule over `from..=to` (for a host that runs no rules, or a range before any data).
    pub fn empty(from: NaiveDate, to: NaiveDate) -> AlertReport {
        AlertReport {
            from,
            to,
            alerts: Vec::new(),
        }
    }
}

/// Runs every alert rule of `model` over its metric × scope at its grain, one evaluation per period of
/// `from..=to` (each observation dated at its period's first day), starting from the stored `states` by rule id
/// (a rule without one starts fresh).
///
/// The scope is an org unit (its whole subtree, as every KPI query) or a person (observations whose `person`
/// dim is that person). A period whose metric value is undefined — no observations for an average, a zero
/// denominator — is missing data under the rule's `no_data` policy. A `sum` or `count` over no observations is 0
/// by the KPI catalog's rule, so a rule that must notice silence should watch an average, a ratio or a count.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1, "org_units": [{"id": "ops"}],
///   "measures": [{"id": "backlog"}], "metrics": [{"id": "b", "kind": "simple", "measure": "backlog", "agg": "max"}],
///   "observations": [{"measure": "backlog", "date": "2026-03-01", "value": 80, "dims": {"unit": "ops"}},
///                    {"measure": "backlog", "date": "2026-03-02", "value": 130, "dims": {"unit": "ops"}}],
///   "alert_rules": [{"id": "backlog_high", "metric": "b", "scope": "ops", "grain": "day",
///                    "condition": "above", "critical": {"value": 100}}]}"#)?;
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// let report = okpi::alert::evaluate_rules(&model, day(1), day(3), &Default::default())?;
/// let kinds: Vec<_> = report.alerts[0].events.iter().map(|e| e.kind).collect();
/// // 80 is fine, 130 fires, 3 March has no observation: no data (the firing alert resolves first).
/// use okpi::alert::EventKind::*;
/// assert_eq!(kinds, [Firing, Resolved, NoData]);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn evaluate_rules(
    model: &Model,
    from: NaiveDate,
    to: NaiveDate,
    states: &BTreeMap<String, State>,
) -> Result<AlertReport, Error> {
    let alerts = evaluate_rules_with(&Catalog::new(model), 0..model.alert_rules.len(), from, to, states)?;
    Ok(AlertReport { from, to, alerts })
}

/// The outcomes of the model's alert rules at positions `rules`, computed with `cat` (one bounded by
/// [`Catalog::until`] sees the observations as they stood on that day).
pub(crate) fn evaluate_rules_with(
    cat: &Catalog<'_>,
    rules: impl IntoIterator<Item = usize>,
    from: NaiveDate,
    to: NaiveDate,
    states: &BTreeMap<String, State>,
) -> Result<Vec<AlertResult>, Error> {
    let model = cat.model;
    let mut alerts = Vec::new();
    for ix in rules {
        let Some(rule) = model.alert_rules.get(ix) else {
            continue;
        };
        let person = model.alert_person.get(ix).copied().unwrap_or(false);
        let state = states.get(&rule.id).cloned().unwrap_or_default();
        alerts.push(evaluate_rule(cat, rule, person, from, to, state)?);
    }
    Ok(alerts)
}

fn evaluate_rule(
    cat: &Catalog<'_>,
    rule: &Rule,
    person: bool,
    from: NaiveDate,
    to: NaiveDate,
    state: State,
) -> Result<AlertResult, Error> {
    let model = cat.model;
    let dim = if person { "person" } else { "unit" };
    let limits = model.limits();
    if crate::kpi::periods_within(rule.grain, from, to, limits.series_length).is_none() {
        return Err(Error::invalid(vec![crate::limits::exceeded(
            "series_length",
            limits.series_length,
            "$.to",
            Some(&rule.id),
            format!(
                "{from}..{to} has more {:?} periods for rule {}",
                rule.grain, rule.id
            ),
        )]));
    }
    let q = Query {
        metric: rule.metric.clone(),
        grain: Some(rule.grain),
        from,
        to,
        filters: BTreeMap::from([(dim.to_owned(), rule.scope.clone())]),
        group_by: Vec::new(),
    };
    let table = query_with(cat, &q)?;
    let series: Vec<AlertObservation> = table
        .cells
        .iter()
        .map(|c| AlertObservation {
            date: c.period_start,
            value: c.value,
        })
        .collect();
    let (state, events) = evaluate_series(rule, state, &series);
    Ok(AlertResult {
        rule: rule.id.clone(),
        metric: rule.metric.clone(),
        metric_version: table.version,
        series,
        events,
        state,
    })
}
