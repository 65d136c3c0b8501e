//! The pure transition: one observation in, the next state and its events out.

use super::condition::{achievement, anomaly, read, severity, Measure, Reading};
use super::explanation::{Explanation, RuleWords};
use super::state::{AlertObservation, AlertStatus, Event, EventKind, State};
use super::window::SortedWindow;
use crate::model::alert::{AlertSeverity, Condition, NoDataPolicy, Rule};
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
    evaluate_series(rule, state, std::slice::from_ref(obs))
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
    let mut events = Vec::new();
    // The rule's part of every explanation, written at the series' first event (if any).
    let mut words = None;
    let state = run(
        rule,
        state,
        series.iter().map(|o| o.value),
        |at, kind, severity, measure| {
            if let Some(obs) = series.get(at) {
                events.push(event(rule, &mut words, obs, measure, kind, severity));
            }
        },
    );
    (state, events)
}

/// [`evaluate_series`] over bare values (NaN or infinite: missing), one per evaluation, for callers that want the
/// events as columns: each event is handed to `emit` as (position in `values`, kind, severity, measure) without an
/// [`Event`] (no id, date or explanation per event). The events and the state are those of `evaluate_series`.
///
/// ```
/// use okpi::alert::{evaluate_values, EventKind, Rule, State};
/// let rule = Rule::from_json(r#"{"id": "r", "metric": "m", "scope": "s", "grain": "day",
///     "condition": "above", "critical": {"value": 10}}"#)?;
/// let mut seen = Vec::new();
/// let state = evaluate_values(&rule, State::default(), &[5.0, 11.0, f64::NAN], |at, kind, _, _| seen.push((at, kind)));
/// assert_eq!(seen, [(1, EventKind::Firing), (2, EventKind::Resolved), (2, EventKind::NoData)]);
/// assert_eq!(state.status, okpi::alert::AlertStatus::NoData);
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn evaluate_values(
    rule: &Rule,
    state: State,
    values: &[f64],
    emit: impl FnMut(usize, EventKind, Option<AlertSeverity>, Option<f64>),
) -> State {
    run(rule, state, values.iter().map(|&v| Some(v)), emit)
}

/// The fold behind [`evaluate_series`] and [`evaluate_values`]: every event goes to `emit` with the position of
/// its evaluation. A condition that reads the value alone (`above`, `below`, `outside`, `inside`,
/// `below_target`) keeps no history and takes [`plain`]; `anomaly` keeps its window sorted as it moves
/// ([`windowed`]); the others go through [`advance`] with one scratch buffer for the whole series.
fn run(
    rule: &Rule,
    state: State,
    values: impl Iterator<Item = Option<f64>>,
    mut emit: impl FnMut(usize, EventKind, Option<AlertSeverity>, Option<f64>),
) -> State {
    let mut state = state;
    finite_history(&mut state);
    let keep = rule.history_len();
    if keep == 0 && plain_reading(rule, 0.0).is_some() {
        plain(rule, &mut state, values, &mut emit);
        return state;
    }
    // The history runs up to twice its length before it is cut back (see [`advance`]): room for that, once.
    state
        .history
        .reserve((2 * keep).saturating_sub(state.history.len()));
    if keep > 0 && matches!(rule.condition, Condition::Anomaly { .. }) {
        windowed(rule, keep, &mut state, values, &mut emit);
        return state;
    }
    let mut scratch = Vec::new();
    let mut any = false;
    for (at, value) in values.enumerate() {
        any = true;
        let mut at_here = |kind, severity, measure| emit(at, kind, severity, measure);
        advance(rule, keep, &mut state, value, &mut scratch, &mut at_here);
    }
    if any {
        trim(&mut state.history, keep);
    }
    state
}

/// Keeps the last `keep` values of a history.
fn trim(history: &mut Vec<Option<f64>>, keep: usize) {
    if history.len() > keep {
        let extra = history.len() - keep;
        history.drain(..extra);
    }
}

/// What a condition that reads the value alone measures for value `x` (`None` for the other conditions).
#[inline]
fn plain_reading(rule: &Rule, x: f64) -> Option<f64> {
    match &rule.condition {
        Condition::Above | Condition::Below | Condition::Outside | Condition::Inside => Some(x),
        Condition::BelowTarget { target, direction } => Some(achievement(x, *target, *direction)),
        _ => None,
    }
}

/// The fast path of [`run`] for conditions that read the value alone: the same transitions as [`advance`] (the
/// reading made here, not through the general [`read`]), and the history, which such a rule never keeps, cleared
/// once instead of at every evaluation. A property test holds the two paths equal on random series.
fn plain(
    rule: &Rule,
    state: &mut State,
    values: impl Iterator<Item = Option<f64>>,
    emit: &mut impl FnMut(usize, EventKind, Option<AlertSeverity>, Option<f64>),
) {
    match Rest::of(rule) {
        Rest::Above(t) => plain_with(rule, state, values, emit, |x| x > t),
        Rest::Below(t) => plain_with(rule, state, values, emit, |x| x < t),
        Rest::Outside(lo, hi) => plain_with(rule, state, values, emit, |x| x < lo || x > hi),
        Rest::Any => plain_with(rule, state, values, emit, |x| {
            severity(rule, Measure::Plain(plain_reading(rule, x).unwrap_or(x)), None).is_some()
        }),
    }
}

/// Whether a finite value breaches any threshold of a rule at rest (no severity active), as one comparison where
/// the condition allows: for `above` the value against the lowest threshold, for `below` against the highest, for
/// `outside` against the narrowest band (the highest `lo`, the lowest `hi`). A threshold without a number (or
/// with NaN, which never compares true) drops out, as it never breaches; none left gives a bound no value passes.
#[derive(Clone, Copy)]
enum Rest {
    Above(f64),
    Below(f64),
    Outside(f64, f64),
    /// `inside` and `below_target`: through [`severity`].
    Any,
}

impl Rest {
    fn of(rule: &Rule) -> Rest {
        let set = || {
            [rule.warning.as_ref(), rule.critical.as_ref()]
                .into_iter()
                .flatten()
        };
        let values = || set().filter_map(|t| t.value);
        match rule.condition {
            Condition::Above => Rest::Above(values().fold(f64::INFINITY, f64::min)),
            Condition::Below => Rest::Below(values().fold(f64::NEG_INFINITY, f64::max)),
            Condition::Outside => {
                let bands = || set().filter_map(|t| t.lo.zip(t.hi));
                Rest::Outside(
                    bands().map(|b| b.0).fold(f64::NEG_INFINITY, f64::max),
                    bands().map(|b| b.1).fold(f64::INFINITY, f64::min),
                )
            }
            _ => Rest::Any,
        }
    }
}

/// [`plain`] with the rule's test at rest `breaches_at_rest` (see [`Rest`]).
#[inline(always)]
fn plain_with(
    rule: &Rule,
    state: &mut State,
    values: impl Iterator<Item = Option<f64>>,
    emit: &mut impl FnMut(usize, EventKind, Option<AlertSeverity>, Option<f64>),
    breaches_at_rest: impl Fn(f64) -> bool,
) {
    let mut any = false;
    for (at, value) in values.enumerate() {
        any = true;
        let value = value.filter(|v| v.is_finite());
        // The common case, an alert at rest that does not breach: back to (or staying at) rest, no event.
        if let (AlertStatus::Normal, Some(x)) = (state.status, value) {
            if !breaches_at_rest(x) {
                reset(state);
                continue;
            }
        }
        let reading = match value {
            Some(x) => Reading::Measure(Measure::Plain(plain_reading(rule, x).unwrap_or(x))),
            None => Reading::NoData,
        };
        transition(rule, state, reading, &mut |kind, severity, measure| {
            emit(at, kind, severity, measure)
        });
    }
    if any {
        state.history.clear();
    }
}

/// The fast path of [`run`] for `anomaly` over a window of `k` ≥ 1 points: the window is kept sorted as the series
/// moves ([`SortedWindow`]: one point out, one in) instead of being copied and sorted at every evaluation as
/// [`advance`] does; the reading, transitions and history are the same. A property test holds the two paths equal.
fn windowed(
    rule: &Rule,
    k: usize,
    state: &mut State,
    values: impl Iterator<Item = Option<f64>>,
    emit: &mut impl FnMut(usize, EventKind, Option<AlertSeverity>, Option<f64>),
) {
    let mut window = SortedWindow::new(
        state
            .history
            .get(state.history.len().saturating_sub(k)..)
            .unwrap_or_default(),
    );
    let mut any = false;
    for (at, value) in values.enumerate() {
        any = true;
        let value = value.filter(|v| v.is_finite());
        let full = state.history.len() >= k;
        let reading = match (value, window.complete()) {
            (None, _) => Reading::NoData,
            (Some(x), Some(sorted)) if full => anomaly(x, sorted),
            (Some(_), _) => Reading::NotEvaluated,
        };
        transition(rule, state, reading, &mut |kind, severity, measure| {
            emit(at, kind, severity, measure)
        });
        let leaving = full.then(|| state.history.get(state.history.len() - k).copied().flatten());
        window.push(leaving, value);
        // As in [`advance`]: the history runs up to twice its length and is cut back then.
        if state.history.len() >= 2 * k {
            trim(&mut state.history, k - 1);
        }
        state.history.push(value);
    }
    if any {
        trim(&mut state.history, k);
    }
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

/// One evaluation in place: `state` becomes the next state and its events go to `emit` (kind, severity, measure).
/// `keep` is `rule.history_len()`; `scratch` is working space for conditions that sort or copy their window.
#[inline]
fn advance(
    rule: &Rule,
    keep: usize,
    state: &mut State,
    value: Option<f64>,
    scratch: &mut Vec<f64>,
    emit: &mut impl FnMut(EventKind, Option<AlertSeverity>, Option<f64>),
) {
    let reading = read(rule, value, &state.history, scratch);
    transition(rule, state, reading, emit);
    if keep == 0 {
        state.history.clear();
        return;
    }
    // The history may run up to twice its length (conditions read its last `keep` values) and is cut back then,
    // not at every evaluation; [`run`] cuts it to `keep` at the end.
    if state.history.len() >= 2 * keep {
        trim(&mut state.history, keep - 1);
    }
    state.history.push(value.filter(|v| v.is_finite()));
}

/// Back to `normal` with no counts; the history is kept (the caller records the observation next).
fn reset(state: &mut State) {
    state.status = AlertStatus::Normal;
    state.severity = None;
    state.breaches = 0;
    state.quiet = 0;
}

/// The next state for one reading; events go to `emit` as (kind, severity, measure).
#[inline]
fn transition(
    rule: &Rule,
    state: &mut State,
    reading: Reading,
    emit: &mut impl FnMut(EventKind, Option<AlertSeverity>, Option<f64>),
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
            NoDataPolicy::NoData => return enter_no_data(state, emit),
        },
    };
    let mut ev = |kind, severity| emit(kind, severity, measure);
    match (state.status, sev) {
        (AlertStatus::Normal | AlertStatus::NoData | AlertStatus::Pending, None) => reset(state),
        (AlertStatus::Normal | AlertStatus::NoData, Some(s)) => {
            state.severity = Some(s);
            state.breaches = 1;
            state.quiet = 0;
            if rule.for_count() == 0 {
                state.status = AlertStatus::Firing;
                ev(EventKind::Firing, Some(s));
            } else {
                state.status = AlertStatus::Pending;
                ev(EventKind::Pending, Some(s));
            }
        }
        (AlertStatus::Pending, Some(s)) => {
            state.severity = Some(s);
            state.breaches = state.breaches.saturating_add(1);
            if state.breaches > rule.for_count() {
                state.status = AlertStatus::Firing;
                ev(EventKind::Firing, Some(s));
            }
        }
        (AlertStatus::Firing, Some(s)) => {
            let before = state.severity;
            state.breaches = state.breaches.saturating_add(1);
            state.quiet = 0;
            state.severity = Some(s);
            if before != Some(s) {
                ev(EventKind::SeverityChanged, Some(s));
            }
        }
        (AlertStatus::Firing, None) => {
            state.quiet = state.quiet.saturating_add(1);
            if state.quiet > rule.keep_count() {
                ev(EventKind::Resolved, state.severity);
                reset(state);
            }
        }
    }
}

fn enter_no_data(state: &mut State, emit: &mut impl FnMut(EventKind, Option<AlertSeverity>, Option<f64>)) {
    if state.status == AlertStatus::NoData {
        return;
    }
    if state.status == AlertStatus::Firing {
        emit(EventKind::Resolved, state.severity, None);
    }
    emit(EventKind::NoData, None, None);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::model::alert::{AlertDirection, Threshold};
    use crate::model::Grain;
    use proptest::prelude::*;

    /// An event as (position, kind, severity, measure's bits).
    type Seen = (usize, EventKind, Option<AlertSeverity>, Option<u64>);

    /// The general path alone: [`advance`] at every evaluation, as `run` does for conditions with a history.
    fn general(rule: &Rule, state: State, values: &[Option<f64>]) -> (State, Vec<Seen>) {
        let mut state = state;
        finite_history(&mut state);
        let mut out = Vec::new();
        let mut scratch = Vec::new();
        for (at, v) in values.iter().enumerate() {
            let mut emit = |k, s, m: Option<f64>| out.push((at, k, s, m.map(f64::to_bits)));
            advance(rule, rule.history_len(), &mut state, *v, &mut scratch, &mut emit);
        }
        if !values.is_empty() {
            trim(&mut state.history, rule.history_len());
        }
        (state, out)
    }

    fn threshold(value: f64, recovery: Option<f64>, band: (f64, f64)) -> Threshold {
        Threshold {
            value: Some(value),
            recovery,
            lo: Some(band.0),
            hi: Some(band.0 + band.1),
        }
    }

    /// A state drawn as (status, severity, breaches, quiet, history).
    type Start = (usize, Option<bool>, u64, u64, Vec<Option<f64>>);

    /// The fast path's events and final state equal the general path's, from the state `start` over `values`.
    fn same_as_general(rule: &Rule, start: Start, values: &[Option<f64>]) -> Result<(), TestCaseError> {
        let state = State {
            status: [
                AlertStatus::Normal,
                AlertStatus::Pending,
                AlertStatus::Firing,
                AlertStatus::NoData,
            ][start.0],
            severity: start.1.map(|c| {
                if c {
                    AlertSeverity::Critical
                } else {
                    AlertSeverity::Warning
                }
            }),
            breaches: start.2,
            quiet: start.3,
            history: start.4,
        };
        let (want_state, want) = general(rule, state.clone(), values);
        let mut got = Vec::new();
        let got_state = run(rule, state, values.iter().copied(), |at, k, s, m| {
            got.push((at, k, s, m.map(f64::to_bits)))
        });
        prop_assert_eq!(got, want);
        prop_assert_eq!(got_state, want_state);
        Ok(())
    }

    fn value() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            8 => (0i32..40).prop_map(|v| Some(f64::from(v) / 2.0)),
            1 => Just(None),
            1 => prop::sample::select(vec![Some(f64::NAN), Some(f64::INFINITY), Some(-1.0), Some(0.0)]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The fast path for conditions that read the value alone gives the general path's events and state.
        #[test]
        fn the_plain_path_equals_the_general_one(
            condition in 0usize..6,
            warn in prop::option::of((0i32..40, prop::option::of(0i32..40), (0i32..40, 0i32..20))),
            crit in prop::option::of((0i32..40, prop::option::of(0i32..40), (0i32..40, 0i32..20))),
            for_ in -1i64..4,
            keep in -1i64..3,
            no_data in 0usize..4,
            start in (0usize..4, prop::option::of(any::<bool>()), 0u64..4, 0u64..3, prop::collection::vec(value(), 0..3)),
            values in prop::collection::vec(value(), 0..40),
        ) {
            // The top of the range stands for the thresholds validation refuses but `step` must still follow.
            let half = |x: i32| match x {
                39 => f64::NAN,
                38 => f64::INFINITY,
                37 => f64::NEG_INFINITY,
                _ => f64::from(x) / 2.0,
            };
            let th = |t: Option<(i32, Option<i32>, (i32, i32))>| {
                t.map(|(v, r, (lo, w))| threshold(half(v), r.map(half), (half(lo), half(w))))
            };
            let rule = Rule {
                id: "r".into(),
                metric: "m".into(),
                scope: "s".into(),
                grain: Grain::Day,
                condition: match condition {
                    0 => Condition::Above,
                    1 => Condition::Below,
                    2 => Condition::Outside,
                    3 => Condition::Inside,
                    4 => Condition::BelowTarget { target: 8.0, direction: AlertDirection::HigherIsBetter },
                    _ => Condition::BelowTarget { target: 8.0, direction: AlertDirection::LowerIsBetter },
                },
                warning: th(warn),
                critical: th(crit),
                for_,
                keep_firing_for: keep,
                no_data: [NoDataPolicy::NoData, NoDataPolicy::Alerting, NoDataPolicy::Ok, NoDataPolicy::KeepLast][no_data],
                direction: None,
            };
            same_as_general(&rule, start, &values)?;
        }

        /// `anomaly`'s sorted window gives the events and state of copying and sorting the window at every step
        /// (ties, −0, gaps, a stored history longer or shorter than the window, and windows ≤ 0 included).
        #[test]
        fn the_sorted_window_equals_the_sort(
            window in -1i64..16,
            warn in prop::option::of((0i32..12, prop::option::of(0i32..12))),
            crit in prop::option::of((0i32..12, prop::option::of(0i32..12))),
            for_ in -1i64..3,
            keep in -1i64..3,
            no_data in 0usize..4,
            start in (0usize..4, prop::option::of(any::<bool>()), 0u64..4, 0u64..3, prop::collection::vec(value(), 0..24)),
            values in prop::collection::vec(prop_oneof![8 => value(), 1 => Just(Some(-0.0))], 0..60),
        ) {
            let th = |t: Option<(i32, Option<i32>)>| {
                t.map(|(v, r)| Threshold { value: Some(f64::from(v) / 2.0), recovery: r.map(|r| f64::from(r) / 2.0), lo: None, hi: None })
            };
            let rule = Rule {
                id: "r".into(),
                metric: "m".into(),
                scope: "s".into(),
                grain: Grain::Day,
                condition: Condition::Anomaly { window },
                warning: th(warn),
                critical: th(crit),
                for_,
                keep_firing_for: keep,
                no_data: [NoDataPolicy::NoData, NoDataPolicy::Alerting, NoDataPolicy::Ok, NoDataPolicy::KeepLast][no_data],
                direction: None,
            };
            same_as_general(&rule, start, &values)?;
        }
    }
}
