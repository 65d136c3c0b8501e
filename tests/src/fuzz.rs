//! The bodies of the fuzz targets in `fuzz/` (document, expression, alert step). The fuzz binaries only call
//! these, so that the stable toolchain compiles them and runs them over the seed corpora and the kept crash
//! inputs as ordinary tests (`tests/tests/fuzz_seeds.rs`); the C ABI target's body lives in `bindings/c`.
//!
//! A body returns normally for any input the library handles correctly, whether it is accepted or refused, and
//! panics when an invariant breaks: a panic inside okpi, an error without a code or path, a result that does not
//! survive a JSON round trip (a NaN or an infinity would not), an incremental result that differs from a full
//! one, an alert that resumes differently from a stored state, or events out of their lawful order.

// A fuzz body reports a broken invariant by panicking: that is what the fuzzer (and the seed test) looks for.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use chrono::{Days, NaiveDate};
use okpi::alert::{
    self, AlertObservation, AlertSeverity, Condition, EventKind, NoDataPolicy, Rule, State, Threshold,
};
use okpi::{Document, Error, Evaluation, Limits, Model, Settings};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;

/// The limits the bodies run under: the defaults, with shorter series so that one input stays fast.
pub fn limits() -> Limits {
    {
        let mut v = Limits::default();
        v.series_length = 2000;
        v
    }
}

/// Every refusal names a code and a JSON path.
fn check_error(e: &Error) {
    assert!(!e.problems().is_empty(), "an error without problems: {e:?}");
    for p in e.problems() {
        assert!(p.path.starts_with('$'), "a problem without a JSON path: {p:?}");
        assert!(!p.message.is_empty(), "a problem without a message: {p:?}");
    }
}

/// A result that serialises to JSON and reads back equal: no NaN, no infinity, nothing lost.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).expect("a result serialises");
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(&back, value, "changed by a JSON round trip: {text}");
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Fuzz target `document`: the bytes as a JSON document, read, validated, evaluated (OKR, KPI, alerts,
/// diagnostics) at a few dates with two sets of settings.
pub fn document(data: &[u8]) {
    let limits = limits();
    let doc = match Document::from_slice_with_limits(data, &limits) {
        Ok(d) => d,
        Err(e) => return check_error(&e),
    };
    let back: Document = serde_json::from_str(&doc.to_json()).expect("a document reads back");
    assert_eq!(back, doc, "document changed by a JSON round trip");
    let model = match Model::new_with_limits(doc.clone(), &limits) {
        Ok(m) => m,
        Err(e) => return check_error(&e),
    };
    let normal = model.to_document();
    let again = Model::new_with_limits(normal.clone(), &limits).expect("a normalised document validates");
    assert_eq!(again.to_document(), normal, "normalising is not idempotent");

    let mut dates: Vec<NaiveDate> = model
        .cycles()
        .take(2)
        .flat_map(|c| [c.start, c.end, c.start + (c.end - c.start) / 2])
        .collect();
    dates.extend(doc.check_ins.iter().map(|c| c.date).min());
    dates.push(day(2026, 3, 10));
    dates.sort();
    dates.dedup();
    let variants = [Settings::default(), {
        let mut v = Settings::default();
        v.overshoot = okpi::settings::Overshoot::Cap(1.25);
        v.allow_negative = true;
        v.rollup = okpi::model::Rollup::ByValue;
        v.objective_status = okpi::settings::ObjectiveStatusRule::FromProgress;
        v
    }];
    for &as_of in dates.iter().take(4) {
        for settings in &variants {
            let ev = okpi::evaluate(&model, as_of, settings).expect("valid settings evaluate");
            round_trip(&ev);
            explain_some(&model, &ev);
            incremental_equals_full(&doc, &limits, &ev);
        }
        kpi(&model, as_of);
        let ev = okpi::evaluate(&model, as_of, &Settings::default()).expect("defaults evaluate");
        match okpi::diagnose::diagnose(&model, &ev, &Default::default()) {
            Ok(d) => round_trip(&d),
            Err(e) => check_error(&e),
        }
    }
}

fn explain_some(model: &Model, ev: &Evaluation) {
    use okpi::okr::Quantity::*;
    let ids = ev
        .key_results
        .iter()
        .map(|k| k.id.as_str())
        .take(3)
        .chain(ev.objectives.iter().map(|o| o.id.as_str()).take(3));
    for id in ids {
        for q in [Progress, Expected, Status, Confidence, Score] {
            let why = ev.explain(model, id, q).expect("every id explains");
            serde_json::to_string(&why).expect("an explanation serialises");
        }
    }
}

/// The last check-in applied to a model built without it gives the full evaluation, and so does re-rolling an
/// evaluation incrementally.
fn incremental_equals_full(doc: &Document, limits: &Limits, full: &Evaluation) {
    let mut without = doc.clone();
    let Some(last) = without.check_ins.pop() else {
        return;
    };
    let Ok(mut model) = Model::new_with_limits(without.clone(), limits) else {
        return;
    };
    let mut ev = okpi::evaluate(&model, full.as_of, &full.settings).expect("evaluates");
    ev.apply_check_in(&mut model, last)
        .expect("a check-in of a valid document applies");
    assert_eq!(&ev, full, "incremental evaluation differs from a full one");
}

fn kpi(model: &Model, as_of: NaiveDate) {
    match okpi::kpi::score(model, as_of) {
        Ok(r) => round_trip(&r),
        Err(e) => check_error(&e),
    }
    let req = okpi::kpi::ScorecardRequest::new(as_of);
    match okpi::hybrid::scorecards(model, &req) {
        Ok(r) => round_trip(&r),
        Err(e) => check_error(&e),
    }
    let doc = model.to_document();
    let from = doc.observations.iter().map(|o| o.date).min().unwrap_or(as_of);
    let to = from.checked_add_days(Days::new(62)).unwrap_or(from);
    let group_by: Vec<String> = doc
        .observations
        .first()
        .map(|o| o.dims.keys().take(1).cloned().collect())
        .unwrap_or_default();
    for m in doc.metrics.iter().take(4) {
        for grain in [None, Some(okpi::model::Grain::Week)] {
            let q = {
                let mut v = okpi::kpi::Query::new(m.id.clone(), from, to);
                v.grain = grain;
                v.filters = BTreeMap::new();
                v.group_by = group_by.clone();
                v
            };
            match okpi::kpi::query(model, &q) {
                Ok(r) => {
                    for c in &r.cells {
                        assert_eq!(
                            c.value.is_none(),
                            c.undefined.is_some(),
                            "a cell is a value or a reason: {c:?}"
                        );
                    }
                    round_trip(&r);
                }
                Err(e) => check_error(&e),
            }
        }
    }
    match alert::evaluate_rules(model, from, to, &BTreeMap::new()) {
        Ok(r) => {
            for a in &r.alerts {
                check_events(&a.events, false);
            }
            round_trip(&r);
        }
        Err(e) => check_error(&e),
    }
}

/// Fuzz target `expression`: the bytes as a derived-metric expression, parsed, then evaluated in a small
/// document where every name it reads is a simple metric.
pub fn expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    let expr = match okpi::kpi::parse_expression_with(text, &limits) {
        Ok(e) => e,
        Err(e) => {
            assert!(
                e.column >= 1 && e.column <= text.chars().count() + 1,
                "column {e:?} outside {text:?}"
            );
            if e.limit == Some("expression_length") {
                assert!(text.len() > limits.expression_length);
            }
            return;
        }
    };
    assert!(text.len() <= limits.expression_length);
    assert!(
        height(&expr) <= limits.expression_depth,
        "{text:?} parsed deeper than the limit"
    );
    let mut names: Vec<&str> = expr.inputs().into_iter().map(|(n, _)| n).collect();
    names.sort_unstable();
    names.dedup();
    let mut metrics: Vec<serde_json::Value> = names
        .iter()
        .filter(|n| **n != "derived")
        .map(|n| serde_json::json!({"id": n, "kind": "simple", "measure": "x", "agg": "sum"}))
        .collect();
    metrics.push(serde_json::json!({"id": "derived", "kind": "derived", "expression": text}));
    let observations: Vec<serde_json::Value> = (1..=12)
        .map(|d| serde_json::json!({"measure": "x", "date": format!("2026-01-{d:02}"), "value": f64::from(d % 4) - 1.0}))
        .collect();
    let doc = serde_json::json!({"schema_version": 1, "measures": [{"id": "x"}], "metrics": metrics,
        "observations": observations});
    let model = match Model::from_json(&doc.to_string()) {
        Ok(m) => m,
        Err(e) => return check_error(&e),
    };
    for grain in [okpi::model::Grain::Day, okpi::model::Grain::Month] {
        let q = {
            let mut v = okpi::kpi::Query::new("derived", day(2026, 1, 1), day(2026, 1, 12));
            v.grain = Some(grain);
            v.filters = BTreeMap::new();
            v.group_by = Vec::new();
            v
        };
        let r = okpi::kpi::query(&model, &q).expect("a valid derived metric queries");
        for c in &r.cells {
            assert_eq!(c.value.is_none(), c.undefined.is_some(), "{c:?}");
        }
        round_trip(&r);
    }
}

fn height(e: &okpi::kpi::Expr) -> usize {
    use okpi::kpi::Expr::*;
    match e {
        Num(_) | Metric { .. } => 1,
        Neg(x) => 1 + height(x),
        Bin(_, a, b) => 1 + height(a).max(height(b)),
        // A node kind added later counts as a leaf here.
        _ => 1,
    }
}

/// Reads fuzz bytes as small structured values; past the end every read gives 0.
struct Bytes<'a> {
    data: &'a [u8],
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (b, rest) = self.data.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.data = rest;
        b
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// A number: mostly small steps (so thresholds and values meet), sometimes any bit pattern (NaN, ±∞,
    /// subnormals, ±1e308).
    fn number(&mut self) -> f64 {
        let tag = self.byte();
        if tag % 8 == 0 {
            let mut bits = [0u8; 8];
            for b in &mut bits {
                *b = self.byte();
            }
            f64::from_le_bytes(bits)
        } else {
            f64::from(self.byte() as i8) / f64::from(tag % 4 + 1)
        }
    }

    fn maybe_number(&mut self) -> Option<f64> {
        (self.byte() % 3 != 0).then(|| self.number())
    }

    /// A count: mostly small (negative ones too, which validation refuses), sometimes extreme.
    fn count(&mut self) -> i64 {
        match self.byte() {
            255 => i64::MAX,
            254 => i64::MIN,
            b => i64::from(b % 16) - 2,
        }
    }
}

/// Fuzz target `alert_step`: a rule, a starting state and a series, built from the bytes (or read as JSON
/// `{"rule", "state", "series"}` when the input starts with `{`), stepped through.
pub fn alert_step(data: &[u8]) {
    let (rule, state, series, split) = if data.first() == Some(&b'{') {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
            return;
        };
        let field = |k: &str| v.get(k).cloned().unwrap_or(serde_json::Value::Null);
        let rule = match Rule::from_json(&field("rule").to_string()) {
            Ok(r) => r,
            Err(e) => return check_error(&e),
        };
        let state: State = serde_json::from_value(field("state")).unwrap_or_default();
        let Ok(series) = serde_json::from_value::<Vec<AlertObservation>>(field("series")) else {
            return;
        };
        let split = series.len() / 2;
        (rule, state, series, split)
    } else {
        built_case(data)
    };
    let valid = alert::validate_rule_with_limits(&rule, "$", &limits()).is_empty();
    let fresh = state == State::default();
    let (end, events) = alert::evaluate_series(&rule, state.clone(), &series);
    if !valid {
        return; // an invalid rule gives defined but meaningless results; it only must not panic
    }
    // A stored state may carry a longer history than the rule needs; the first step trims it.
    if !series.is_empty() {
        assert!(
            end.history.len() <= rule.history_len(),
            "history grew past its bound"
        );
    }
    // Resuming from a stored state gives the same events as one unbroken run.
    let (first, rest) = series.split_at(split.min(series.len()));
    let (mid, mut resumed) = alert::evaluate_series(&rule, state, first);
    let stored: State =
        serde_json::from_str(&serde_json::to_string(&mid).unwrap()).expect("state reads back");
    assert_eq!(stored, mid, "state changed by a JSON round trip");
    let (end2, more) = alert::evaluate_series(&rule, stored, rest);
    resumed.extend(more);
    assert_eq!(resumed, events, "resumed run differs");
    assert_eq!(end2, end, "resumed state differs");
    round_trip(&events);
    round_trip(&end);
    check_events(&events, !fresh);
}

/// Events follow the life of an alert: `pending` and `firing` only while not firing, `severity_changed` only
/// while firing, `resolved` ends a firing alert, `no_data` only after it resolved; firing events carry a
/// severity. With `unknown_start` the alert may be firing before the first event.
fn check_events(events: &[alert::Event], unknown_start: bool) {
    let mut firing: Option<bool> = (!unknown_start).then_some(false);
    for e in events {
        let ok = match e.kind {
            EventKind::Pending | EventKind::Firing | EventKind::NoData => firing != Some(true),
            EventKind::SeverityChanged | EventKind::Resolved => firing != Some(false),
            _ => true,
        };
        assert!(ok, "{:?} while firing = {firing:?}: {events:#?}", e.kind);
        if matches!(
            e.kind,
            EventKind::Pending | EventKind::Firing | EventKind::SeverityChanged
        ) {
            assert!(e.severity.is_some(), "{e:?}");
        }
        firing = match e.kind {
            EventKind::Firing | EventKind::SeverityChanged => Some(true),
            EventKind::Resolved | EventKind::NoData => Some(false),
            _ => firing,
        };
    }
}

fn built_case(data: &[u8]) -> (Rule, State, Vec<AlertObservation>, usize) {
    let mut b = Bytes { data };
    let direction = |x: u8| match x % 3 {
        0 => None,
        1 => Some(alert::AlertDirection::HigherIsBetter),
        _ => Some(alert::AlertDirection::LowerIsBetter),
    };
    let condition = match b.byte() % 8 {
        0 => Condition::Above,
        1 => Condition::Below,
        2 => Condition::Outside,
        3 => Condition::Inside,
        4 => Condition::BelowTarget {
            target: b.number(),
            direction: direction(b.byte()).unwrap_or_default(),
        },
        5 => Condition::ChangePct { offset: b.count() },
        6 => Condition::Trend { n: b.count() },
        _ => Condition::Anomaly { window: b.count() },
    };
    let band = matches!(condition, Condition::Outside | Condition::Inside);
    let threshold = |b: &mut Bytes<'_>| {
        if b.byte() % 4 == 0 {
            return None;
        }
        Some(if band {
            Threshold {
                lo: b.maybe_number(),
                hi: b.maybe_number(),
                ..Threshold::default()
            }
        } else {
            Threshold {
                value: b.maybe_number(),
                recovery: b.maybe_number(),
                ..Threshold::default()
            }
        })
    };
    let warning = threshold(&mut b);
    let critical = threshold(&mut b);
    let rule = Rule {
        id: String::from("r"),
        metric: String::from("m"),
        scope: String::from("s"),
        grain: okpi::model::Grain::Day,
        condition,
        warning,
        critical,
        for_: b.count(),
        keep_firing_for: b.count(),
        no_data: match b.byte() % 4 {
            0 => NoDataPolicy::NoData,
            1 => NoDataPolicy::Alerting,
            2 => NoDataPolicy::Ok,
            _ => NoDataPolicy::KeepLast,
        },
        direction: direction(b.byte()),
    };
    let state = if b.byte() % 8 == 0 {
        State {
            status: match b.byte() % 4 {
                0 => alert::AlertStatus::Normal,
                1 => alert::AlertStatus::Pending,
                2 => alert::AlertStatus::Firing,
                _ => alert::AlertStatus::NoData,
            },
            severity: match b.byte() % 3 {
                0 => None,
                1 => Some(AlertSeverity::Warning),
                _ => Some(AlertSeverity::Critical),
            },
            breaches: u64::from(b.byte()).wrapping_mul(u64::MAX / 255),
            quiet: u64::from(b.byte()).wrapping_mul(u64::MAX / 255),
            // A state a host can store: JSON has no NaN or infinity.
            history: (0..b.byte() % 8)
                .map(|_| b.maybe_number().filter(|v| v.is_finite()))
                .collect(),
        }
    } else {
        State::default()
    };
    let split = usize::from(b.byte());
    let start = day(2026, 1, 1);
    let mut series = Vec::new();
    while !b.is_empty() && series.len() < 512 {
        let date = start
            .checked_add_days(Days::new(series.len() as u64))
            .unwrap_or(start);
        series.push(AlertObservation {
            date,
            value: b.maybe_number(),
        });
    }
    (rule, state, series, split)
}
