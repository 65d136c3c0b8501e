//! The pure transition: one observation in, the next state and its events out.

use super::condition::{read, severity, Reading};
use super::explanation::{Explanation, RuleWords};
use super::state::{AlertObservation, AlertStatus, Event, EventKind, State};
use crate::model::alert::{AlertSeverity, NoDataPolicy, Rule};
use std::sync::Arc;

/// One evaluation: the next state and the events it emits (DOMAIN.md §7).
///
/// - A breach in `normal` (or `no_data`) starts counting: with `for` = 0 the alert fires at once (`firing`, no
///   `pending`), otherwise it emits `pending` and fires on the evaluation where the breach has held for more
///   than `for` consecutive evaluations. A severity change while pending emits nothing; `firing` names the
///   severity of the evaluation it fires on.
/// - A pending alert that stops breaching returns to `normal` silently.
/// - A firing alert whose severity changes emits `severity_changed`; one that stops breaching stays firing for
///   `keep_firing_for` evaluations and emits `resolved` on the next; a breach in between resets the count.
/// - Missing data follows the rule's policy. Under `no_data` the `no_data` event is emitted once, on entering
///   the state; further missing points are silent; the first point with data is evaluated from `normal`.
///   Under `alerting` the breach is at the highest configured severity; under `ok` it is no breach; under
///   `keep_last` the state and counts stay as they are and nothing is emitted.
/// - An evaluation the condition cannot make yet (`trend` or `anomaly` without enough points, `change_pct`
///   without `offset` earlier evaluations) changes nothing but the history and emits nothing.
/// - The history always records the observation, missing or not, so `offset` counts evaluations. A NaN or
///   infinite value in a stored history counts as missing.
///
/// `step` never fails; a rule that [`validate_rule`](super::validate_rule) refuses gives defined but
/// meaningless results.
///
/// ```
/// use okpi::alert::{step, AlertObservation, Rule, State, AlertStatus};
/// let rule = Rule::from_json(r#"{"id": "gmv", "metric": "gmv", "scope": "east", "grain": "day",
///     "condition": "above", "critical": {"value": 1000, "recovery": 900}}"#)?;
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// let (state, events) = step(&rule, State::default(), &AlertObservation { date, value: Some(1200.0) });
/// assert_eq!(state.status, AlertStatus::Firing);
/// assert_eq!(events.len(), 1);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn step(rule: &Rule, state: State, obs: &AlertObservation) -> (State, Vec<Event>) {
    let mut state = state;
    finite_history(&mut state);
    let mut events = Vec::new();
    advance(
        rule,
        rule.history_len(),
        &mut state,
        obs,
        &mut Vec::new(),
        &mut None,
        &mut events,
    );
    (state, events)
}

/// Evaluates a whole series: literally a fold of [`step`] over it.
///
/// ```
/// use okpi::alert::{evaluate_series, EventKind, AlertObservation, Rule, State};
/// let rule = Rule::from_json(r#"{"id": "r", "metric": "m", "scope": "s", "grain": "day",
///     "condition": "above", "critical": {"value": 10}, "for": 1}"#)?;
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
/// let series: Vec<AlertObservation> = [5.0, 11.0, 12.0, 3.0].iter().zip(1..)
///     .map(|(v, d)| AlertObservation { date: day(d), value: Some(*v) }).collect();
/// let (_, events) = evaluate_series(&rule, State::default(), &series);
/// let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
/// assert_eq!(kinds, [EventKind::Pending, EventKind::Firing, EventKind::Resolved]);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn evaluate_series(rule: &Rule, state: State, series: &[AlertObservation]) -> (State, Vec<Event>) {
    // The same transition as `step`, applied in place: one state and one scratch buffer for the whole series
    // instead of a state (and its history) per observation.
    let mut state = state;
    finite_history(&mut state);
    let mut events = Vec::new();
    let mut scratch = Vec::new();
    // The rule's part of every explanation, written at the series' first event (if any).
    let mut words = None;
    let keep = rule.history_len();
    for obs in series {
        advance(rule, keep, &mut state, obs, &mut scratch, &mut words, &mut events);
    }
    (state, events)
}

/// A stored value that is NaN or infinite (a state built in memory; JSON cannot carry one) is missing, like such
/// an observation.
fn finite_history(state: &mut State) {
    for v in &mut state.history {
        if v.is_some_and(|x| !x.is_finite()) {
            *v = None;
        }
    }
}

/// Many series at once on rayon's thread pool (feature `parallel`), each from a fresh state: the results of
/// [`evaluate_series`] for each `(rule, series)`, in order.
#[cfg(feature = "parallel")]
pub fn evaluate_many(batch: &[(&Rule, &[AlertObservation])]) -> Vec<(State, Vec<Event>)> {
    use rayon::prelude::*;
    batch
        .par_iter()
        .map(|(rule, series)| evaluate_series(rule, State::default(), series))
        .collect()
}

/// One evaluation in place: `state` becomes the next state and the events are appended to `events`.
/// `keep` is `rule.history_len()`; `scratch` is working space for conditions that sort or copy their window.
#[inline]
fn advance(
    rule: &Rule,
    keep: usize,
    state: &mut State,
    obs: &AlertObservation,
    scratch: &mut Vec<f64>,
    words: &mut Option<Arc<RuleWords>>,
    events: &mut Vec<Event>,
) {
    let reading = read(rule, obs.value, &state.history, scratch);
    transition(rule, words, state, obs, reading, events);
    if keep == 0 {
        state.history.clear();
        return;
    }
    state.history.push(obs.value.filter(|v| v.is_finite()));
    if state.history.len() > keep {
        let extra = state.history.len() - keep;
        state.history.drain(..extra);
    }
}

/// Back to `normal` with no counts; the history is kept (the caller records the observation next).
fn reset(state: &mut State) {
    state.status = AlertStatus::Normal;
    state.severity = None;
    state.breaches = 0;
    state.quiet = 0;
}

#[inline]
fn transition(
    rule: &Rule,
    words: &mut Option<Arc<RuleWords>>,
    state: &mut State,
    obs: &AlertObservation,
    reading: Reading,
    events: &mut Vec<Event>,
) {
    let active = match state.status {
        AlertStatus::Pending | AlertStatus::Firing => state.severity,
        AlertStatus::Normal | AlertStatus::NoData => None,
    };
    let (sev, measure) = match reading {
        Reading::NotEvaluated => return,
        Reading::Measure(m) => (severity(rule, m, active), Some(m.shown())),
        Reading::NoData => match rule.no_data {
            NoDataPolicy::KeepLast => return,
            NoDataPolicy::Alerting => (rule.highest_severity(), None),
            NoDataPolicy::Ok => (None, None),
            NoDataPolicy::NoData => return enter_no_data(rule, words, state, obs, events),
        },
    };
    let mut ev = |kind, severity| event(rule, words, obs, measure, kind, severity);
    match (state.status, sev) {
        (AlertStatus::Normal | AlertStatus::NoData | AlertStatus::Pending, None) => reset(state),
        (AlertStatus::Normal | AlertStatus::NoData, Some(s)) => {
            state.severity = Some(s);
            state.breaches = 1;
            state.quiet = 0;
            if rule.for_count() == 0 {
                state.status = AlertStatus::Firing;
                events.push(ev(EventKind::Firing, Some(s)));
            } else {
                state.status = AlertStatus::Pending;
                events.push(ev(EventKind::Pending, Some(s)));
            }
        }
        (AlertStatus::Pending, Some(s)) => {
            state.severity = Some(s);
            state.breaches = state.breaches.saturating_add(1);
            if state.breaches > rule.for_count() {
                state.status = AlertStatus::Firing;
                events.push(ev(EventKind::Firing, Some(s)));
            }
        }
        (AlertStatus::Firing, Some(s)) => {
            let before = state.severity;
            state.breaches = state.breaches.saturating_add(1);
            state.quiet = 0;
            state.severity = Some(s);
            if before != Some(s) {
                events.push(ev(EventKind::SeverityChanged, Some(s)));
            }
        }
        (AlertStatus::Firing, None) => {
            state.quiet = state.quiet.saturating_add(1);
            if state.quiet > rule.keep_count() {
                events.push(ev(EventKind::Resolved, state.severity));
                reset(state);
            }
        }
    }
}

fn enter_no_data(
    rule: &Rule,
    words: &mut Option<Arc<RuleWords>>,
    state: &mut State,
    obs: &AlertObservation,
    events: &mut Vec<Event>,
) {
    if state.status == AlertStatus::NoData {
        return;
    }
    if state.status == AlertStatus::Firing {
        events.push(event(rule, words, obs, None, EventKind::Resolved, state.severity));
    }
    events.push(event(rule, words, obs, None, EventKind::NoData, None));
    reset(state);
    state.status = AlertStatus::NoData;
}

fn event(
    rule: &Rule,
    words: &mut Option<Arc<RuleWords>>,
    obs: &AlertObservation,
    measure: Option<f64>,
    kind: EventKind,
    severity: Option<AlertSeverity>,
) -> Event {
    let th = severity.and_then(|s| rule.threshold(s));
    let threshold = th.and_then(|t| t.value);
    let band = th.and_then(|t| t.lo.zip(t.hi)).map(|(lo, hi)| [lo, hi]);
    let measure = measure.filter(|m| m.is_finite());
    let value = obs.value.filter(|v| v.is_finite());
    Event {
        kind,
        rule: rule.id.clone(),
        date: obs.date,
        value,
        measure,
        threshold,
        band,
        severity,
        explanation: Explanation::of(rule, words, kind, severity, value, measure),
    }
}
