//! The pure transition: one observation in, the next state and its events out.

use super::condition::{read, severity, Reading};
use super::rule::{Condition, NoDataPolicy, Rule, Severity};
use super::state::{Event, EventKind, Observation, State, Status};

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
/// use okpi::alert::{step, Observation, Rule, State, Status};
/// let rule = Rule::from_json(r#"{"id": "gmv", "metric": "gmv", "scope": "east", "grain": "day",
///     "condition": "above", "critical": {"value": 1000, "recovery": 900}}"#)?;
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// let (state, events) = step(&rule, State::default(), &Observation { date, value: Some(1200.0) });
/// assert_eq!(state.status, Status::Firing);
/// assert_eq!(events.len(), 1);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn step(rule: &Rule, mut state: State, obs: &Observation) -> (State, Vec<Event>) {
    // A stored value that is NaN or infinite (a state built in memory; JSON cannot carry one) is missing, like
    // such an observation.
    for v in &mut state.history {
        if v.is_some_and(|x| !x.is_finite()) {
            *v = None;
        }
    }
    let reading = read(rule, obs.value, &state.history);
    let mut history = std::mem::take(&mut state.history);
    let (mut next, events) = transition(rule, state, obs, reading);
    history.push(obs.value.filter(|v| v.is_finite()));
    let keep = rule.history_len();
    if history.len() > keep {
        history.drain(..history.len() - keep);
    }
    next.history = history;
    (next, events)
}

/// Evaluates a whole series: literally a fold of [`step`] over it.
///
/// ```
/// use okpi::alert::{evaluate_series, EventKind, Observation, Rule, State};
/// let rule = Rule::from_json(r#"{"id": "r", "metric": "m", "scope": "s", "grain": "day",
///     "condition": "above", "critical": {"value": 10}, "for": 1}"#)?;
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
/// let series: Vec<Observation> = [5.0, 11.0, 12.0, 3.0].iter().zip(1..)
///     .map(|(v, d)| Observation { date: day(d), value: Some(*v) }).collect();
/// let (_, events) = evaluate_series(&rule, State::default(), &series);
/// let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
/// assert_eq!(kinds, [EventKind::Pending, EventKind::Firing, EventKind::Resolved]);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn evaluate_series(rule: &Rule, state: State, series: &[Observation]) -> (State, Vec<Event>) {
    series.iter().fold((state, Vec::new()), |(s, mut all), obs| {
        let (next, events) = step(rule, s, obs);
        all.extend(events);
        (next, all)
    })
}

fn transition(rule: &Rule, state: State, obs: &Observation, reading: Reading) -> (State, Vec<Event>) {
    let active = match state.status {
        Status::Pending | Status::Firing => state.severity,
        Status::Normal | Status::NoData => None,
    };
    let (sev, measure) = match reading {
        Reading::NotEvaluated => return (state, Vec::new()),
        Reading::Measure(m) => (severity(rule, m, active), Some(m)),
        Reading::NoData => match rule.no_data {
            NoDataPolicy::KeepLast => return (state, Vec::new()),
            NoDataPolicy::Alerting => (rule.highest_severity(), None),
            NoDataPolicy::Ok => (None, None),
            NoDataPolicy::NoData => return enter_no_data(rule, state, obs),
        },
    };
    let ev = |kind, severity| event(rule, obs, measure, kind, severity);
    let mut next = State {
        history: Vec::new(),
        ..state.clone()
    };
    let mut events = Vec::new();
    match (state.status, sev) {
        (Status::Normal | Status::NoData, None) => {
            next = State::default();
        }
        (Status::Normal | Status::NoData, Some(s)) => {
            next.severity = Some(s);
            next.breaches = 1;
            next.quiet = 0;
            if rule.for_count() == 0 {
                next.status = Status::Firing;
                events.push(ev(EventKind::Firing, Some(s)));
            } else {
                next.status = Status::Pending;
                events.push(ev(EventKind::Pending, Some(s)));
            }
        }
        (Status::Pending, None) => {
            next = State::default();
        }
        (Status::Pending, Some(s)) => {
            next.severity = Some(s);
            next.breaches = state.breaches.saturating_add(1);
            if next.breaches > rule.for_count() {
                next.status = Status::Firing;
                events.push(ev(EventKind::Firing, Some(s)));
            }
        }
        (Status::Firing, Some(s)) => {
            next.breaches = state.breaches.saturating_add(1);
            next.quiet = 0;
            next.severity = Some(s);
            if state.severity != Some(s) {
                events.push(ev(EventKind::SeverityChanged, Some(s)));
            }
        }
        (Status::Firing, None) => {
            next.quiet = state.quiet.saturating_add(1);
            if next.quiet > rule.keep_count() {
                events.push(ev(EventKind::Resolved, state.severity));
                next = State::default();
            }
        }
    }
    (next, events)
}

fn enter_no_data(rule: &Rule, state: State, obs: &Observation) -> (State, Vec<Event>) {
    let mut events = Vec::new();
    if state.status == Status::NoData {
        return (state, events);
    }
    if state.status == Status::Firing {
        events.push(event(rule, obs, None, EventKind::Resolved, state.severity));
    }
    events.push(event(rule, obs, None, EventKind::NoData, None));
    let next = State {
        status: Status::NoData,
        ..State::default()
    };
    (next, events)
}

fn condition_name(c: &Condition) -> String {
    match c {
        Condition::Above => "above".into(),
        Condition::Below => "below".into(),
        Condition::Outside => "outside".into(),
        Condition::Inside => "inside".into(),
        Condition::BelowTarget { target, direction } => {
            format!(
                "below_target(target {target}, {})",
                crate::alert::direction_name(*direction)
            )
        }
        Condition::ChangePct { offset } => format!("change_pct(offset {offset})"),
        Condition::Trend { n } => format!("trend(n {n})"),
        Condition::Anomaly { window } => format!("anomaly(window {window})"),
    }
}

fn event(
    rule: &Rule,
    obs: &Observation,
    measure: Option<f64>,
    kind: EventKind,
    severity: Option<Severity>,
) -> Event {
    let th = severity.and_then(|s| rule.threshold(s));
    let threshold = th.and_then(|t| t.value);
    let band = th.and_then(|t| t.lo.zip(t.hi)).map(|(lo, hi)| [lo, hi]);
    let measure = measure.filter(|m| m.is_finite());
    let value = obs.value.filter(|v| v.is_finite());
    let show = |x: Option<f64>| x.map_or_else(|| String::from("missing"), |v| v.to_string());
    let sev = severity.map_or("none", |s| match s {
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    });
    let limits = match th {
        Some(t) => match (t.value, t.lo.zip(t.hi)) {
            (Some(v), _) => match t.recovery {
                Some(r) => format!("{sev} threshold {v} (recovery {r})"),
                None => format!("{sev} threshold {v} (no recovery threshold)"),
            },
            (None, Some((lo, hi))) => format!("{sev} band [{lo}, {hi}]"),
            _ => format!("{sev} threshold"),
        },
        None => String::from("no threshold"),
    };
    let what = match kind {
        EventKind::Pending => "pending",
        EventKind::Firing => "firing",
        EventKind::SeverityChanged => "severity changed",
        EventKind::Resolved => "resolved",
        EventKind::NoData => "no data",
    };
    let explanation = format!(
        "{what}: rule {} on {} for {} ({}): value {}, measure {}, {limits}; for {}, keep_firing_for {}, no_data {}",
        rule.id,
        rule.metric,
        rule.scope,
        condition_name(&rule.condition),
        show(value),
        show(measure),
        rule.for_,
        rule.keep_firing_for,
        match rule.no_data {
            NoDataPolicy::NoData => "no_data",
            NoDataPolicy::Alerting => "alerting",
            NoDataPolicy::Ok => "ok",
            NoDataPolicy::KeepLast => "keep_last",
        },
    );
    Event {
        kind,
        rule: rule.id.clone(),
        date: obs.date,
        value,
        measure,
        threshold,
        band,
        severity,
        explanation,
    }
}
