//! The numpy-facing calls: evaluations, unit tables, KPI scores, key-result progress and alert runs as arrays (no
//! JSON, no dicts per row).

use chrono::NaiveDate;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use okpi::settings::Overshoot;
use okpi::{Code, Error, Settings};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};

use crate::convert::{evaluation, evaluation_columns, parse_date_at, parse_under, seen, view_of};
use crate::errors::{detached, Failure, Kind, Outcome};
use crate::topy::to_py;

/// `Model.evaluate_arrays`: the evaluation's numbers as float64/int8 arrays in id order.
pub(crate) fn evaluate_arrays<'py>(
    py: Python<'py>,
    model: &okpi::Model,
    as_of: &str,
    settings: Option<&str>,
    viewer: Option<&str>,
    asked: Option<Vec<String>>,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    use okpi::okr::Column;
    let pool = crate::pool::current(py);
    let (asked, columns) = detached(py, || {
        let view = view_of(model, viewer)?;
        let asked = asked_columns(asked.as_deref())?;
        if view.is_none() {
            // Nothing to withhold: the numbers straight into columns, no record per item (only those asked).
            let c = crate::pool::run(pool.as_deref(), || {
                evaluation_columns(model, as_of, settings, &asked)
            })?;
            let codes = |v: &[okpi::Status]| v.iter().map(|s| status_code(*s)).collect::<Vec<i8>>();
            return Ok((
                asked,
                (
                    [
                        (Column::KrProgress.name(), c.kr_progress),
                        (Column::KrCurrent.name(), c.kr_current),
                        (Column::KrExpected.name(), c.kr_expected),
                        (Column::KrScore.name(), c.kr_score),
                        (Column::KrWeight.name(), c.kr_weight),
                        (Column::ObjectiveProgress.name(), c.objective_progress),
                        (Column::ObjectiveExpected.name(), c.objective_expected),
                        (Column::ObjectiveScore.name(), c.objective_score),
                        (Column::ObjectiveConfidence.name(), c.objective_confidence),
                    ],
                    [
                        (Column::KrStatus.name(), codes(&c.kr_status)),
                        (Column::ObjectiveStatus.name(), codes(&c.objective_status)),
                    ],
                ),
            ));
        }
        let ev = seen(&view, evaluation(model, as_of, settings, pool.as_deref())?);
        let k = &ev.key_results;
        let o = &ev.objectives;
        let f = |v: Vec<f64>| v;
        Ok((
            asked,
            (
                [
                    (
                        Column::KrProgress.name(),
                        f(k.iter().map(|r| r.progress).collect()),
                    ),
                    (
                        Column::KrCurrent.name(),
                        k.iter().map(|r| r.current.unwrap_or(f64::NAN)).collect(),
                    ),
                    (Column::KrExpected.name(), k.iter().map(|r| r.expected).collect()),
                    (Column::KrScore.name(), k.iter().map(|r| r.score).collect()),
                    (Column::KrWeight.name(), k.iter().map(|r| r.weight).collect()),
                    (
                        Column::ObjectiveProgress.name(),
                        o.iter().map(|r| r.progress).collect(),
                    ),
                    (
                        Column::ObjectiveExpected.name(),
                        o.iter().map(|r| r.expected).collect(),
                    ),
                    (Column::ObjectiveScore.name(), o.iter().map(|r| r.score).collect()),
                    (
                        Column::ObjectiveConfidence.name(),
                        o.iter().map(|r| r.confidence.unwrap_or(f64::NAN)).collect(),
                    ),
                ],
                [
                    (
                        Column::KrStatus.name(),
                        k.iter().map(|r| status_code(r.status)).collect::<Vec<i8>>(),
                    ),
                    (
                        Column::ObjectiveStatus.name(),
                        o.iter().map(|r| status_code(r.status)).collect(),
                    ),
                ],
            ),
        ))
    })?;
    let wanted = |name: &str| asked.iter().any(|c| c.name() == name);
    let out = pyo3::types::PyDict::new(py);
    for (name, v) in columns.0.into_iter().filter(|(n, _)| wanted(n)) {
        out.set_item(name, PyArray1::from_vec(py, v))?;
    }
    for (name, v) in columns.1.into_iter().filter(|(n, _)| wanted(n)) {
        out.set_item(name, PyArray1::from_vec(py, v))?;
    }
    Ok(out)
}

/// The columns named in `names` (`$.columns[i]`: an unknown name is a `ParseError`), every column when `None`.
fn asked_columns(names: Option<&[String]>) -> Outcome<Vec<okpi::okr::Column>> {
    use okpi::okr::Column;
    let Some(names) = names else {
        return Ok(Column::ALL.to_vec());
    };
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Column::from_name(name).ok_or_else(|| {
                let all: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
                Failure::one(
                    Kind::Parse,
                    Code::E_INVALID_VALUE,
                    &format!("$.columns[{i}]"),
                    format!("unknown column `{name}`, expected one of {}", all.join(", ")),
                )
            })
        })
        .collect()
}

/// `Model.query_units_arrays`: unit ids, period starts and the periods × units matrix of values.
pub(crate) fn query_units_arrays<'py>(
    py: Python<'py>,
    model: &okpi::Model,
    query: &str,
    viewer: Option<&str>,
) -> PyResult<UnitTable<'py>> {
    let (units, periods, values) = detached(py, || {
        let view = view_of(model, viewer)?;
        let q: okpi::kpi::Query = parse_under(query, "$.query")?;
        if view.is_none() {
            // Nothing to withhold: the matrix straight from the core, no cell per value.
            let m = okpi::kpi::query_units_matrix(model, &q)?;
            let periods = m.periods.iter().map(|d| d.to_string()).collect();
            let values = m.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            return Ok((m.units, periods, values));
        }
        let table = seen(&view, okpi::kpi::query_units(model, &q)?);
        let mut units: Vec<okpi::Id> = Vec::new();
        let mut periods: Vec<String> = Vec::new();
        for c in &table.cells {
            let p = c.period_start.to_string();
            if periods.last() != Some(&p) {
                periods.push(p);
            }
            if periods.len() == 1 {
                units.push(c.group.get("unit").cloned().unwrap_or_default());
            }
        }
        let values: Vec<f64> = table.cells.iter().map(|c| c.value.unwrap_or(f64::NAN)).collect();
        Ok((units, periods, values))
    })?;
    let shape = [periods.len(), units.len()];
    let matrix = PyArray1::from_vec(py, values).reshape(shape)?;
    // Each id straight into a Python str (the core's ids are shared, not copied per call).
    let units = pyo3::types::PyList::new(py, units.iter().map(|u| u.as_str()))?;
    Ok((units, periods, matrix))
}

/// The code of an event kind: its position in `okpi.EVENT_KINDS` (-1 for a kind added to the core after it).
pub(crate) fn event_code(k: okpi::alert::EventKind) -> i8 {
    use okpi::alert::EventKind::*;
    match k {
        Pending => 0,
        Firing => 1,
        SeverityChanged => 2,
        Resolved => 3,
        NoData => 4,
        _ => -1,
    }
}

/// Key-result progress over float64 arrays of equal length: `(current − start) / (target − start)`, bounded by
/// `overshoot` ("clamp" or a cap ≥ 1) and `allow_negative`. A NaN current gives NaN ("no data", never 0).
#[pyfunction]
#[pyo3(signature = (start, target, current, kind="increase", overshoot=None, allow_negative=false))]
pub(crate) fn kr_progress<'py>(
    py: Python<'py>,
    start: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    current: PyReadonlyArray1<'py, f64>,
    kind: &str,
    overshoot: Option<&Bound<'py, PyAny>>,
    allow_negative: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let overshoot = match overshoot {
        None => Overshoot::Clamp,
        Some(o) if o.is_instance_of::<PyString>() && o.extract::<String>()? == "clamp" => Overshoot::Clamp,
        Some(o) if o.is_instance_of::<PyFloat>() || o.extract::<i64>().is_ok() => {
            Overshoot::Cap(o.extract()?)
        }
        Some(o) => {
            return Err(PyTypeError::new_err(format!(
                "overshoot must be \"clamp\" or a cap (a float ≥ 1), not {}",
                o.repr()?
            )))
        }
    };
    let (s, t, c) = (start.as_slice()?, target.as_slice()?, current.as_slice()?);
    let out = detached(py, || {
        let mut settings = Settings::default();
        settings.overshoot = overshoot;
        settings.allow_negative = allow_negative;
        settings.check().map_err(Failure::settings)?;
        let increase = match kind {
            "increase" => true,
            "decrease" => false,
            other => {
                return Err(Failure::one(
                    Kind::Validation,
                    Code::E_INVALID_VALUE,
                    "$.kind",
                    format!("kind {other:?} is not increase or decrease"),
                ))
            }
        };
        if s.len() != t.len() || s.len() != c.len() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$",
                format!(
                    "start, target and current must have equal lengths, not {}, {} and {}",
                    s.len(),
                    t.len(),
                    c.len()
                ),
            ));
        }
        s.iter()
            .zip(t)
            .zip(c)
            .enumerate()
            .map(|(i, ((&s, &t), &c))| {
                if !(s.is_finite() && t.is_finite()) {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_NOT_FINITE,
                        &format!("$[{i}]"),
                        format!("start {s} and target {t} must be finite"),
                    ));
                }
                if s == t {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_START_EQUALS_TARGET,
                        &format!("$[{i}]"),
                        format!("start equals target ({s})"),
                    ));
                }
                if (t > s) != increase {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_DIRECTION,
                        &format!("$[{i}]"),
                        format!("target {t} is on the wrong side of start {s} for {kind}"),
                    ));
                }
                let kind = if increase {
                    okpi::model::KrKind::Increase
                } else {
                    okpi::model::KrKind::Decrease
                };
                Ok(if c.is_nan() {
                    f64::NAN
                } else {
                    // The core's formula (no arithmetic of its own here).
                    okpi::okr::kr_progress(kind, s, t, c, &settings).unwrap_or(f64::NAN)
                })
            })
            .collect::<Outcome<Vec<f64>>>()
    })?;
    Ok(PyArray1::from_vec(py, out))
}

/// `query_units_arrays`' answer: unit ids, period starts and the periods × units matrix of values.
pub(crate) type UnitTable<'py> = (
    Bound<'py, pyo3::types::PyList>,
    Vec<String>,
    Bound<'py, numpy::PyArray2<f64>>,
);

/// The code of a status in `evaluate_arrays`: its position in `okpi.STATUSES` (worst first).
pub(crate) fn status_code(s: okpi::Status) -> i8 {
    match s {
        okpi::Status::OffTrack => 0,
        okpi::Status::AtRisk => 1,
        okpi::Status::NotStarted => 2,
        okpi::Status::OnTrack => 3,
        okpi::Status::Done => 4,
    }
}

/// The element `i` of an optional per-row array, or `None` when the array is absent or holds NaN there.
pub(crate) fn optional_at(values: Option<&[f64]>, i: usize) -> Option<f64> {
    values.and_then(|v| v.get(i)).copied().filter(|x| !x.is_nan())
}

/// Fails unless every given array has `n` elements.
pub(crate) fn same_lengths(n: usize, arrays: &[(&str, Option<usize>)]) -> Outcome<()> {
    match arrays.iter().find(|(_, len)| len.is_some_and(|l| l != n)) {
        None => Ok(()),
        Some((name, len)) => Err(Failure::one(
            Kind::Validation,
            Code::E_INVALID_VALUE,
            &format!("$.{name}"),
            format!("{name} has {} elements, actual has {n}", len.unwrap_or(0)),
        )),
    }
}

/// Two float arrays: achievement and score.
pub(crate) type Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Achievement and score of each actual against its target, exactly as a KPI target with the `spec` (JSON:
/// `direction`, `formula`, `curve`, `decimals`, each with the target's default) would score it. A NaN actual gives
/// NaN for both (no data, never 0); an undefined achievement (raw-value curve, `inverse` at 0) is NaN.
#[pyfunction]
#[pyo3(signature = (actual, target, threshold=None, stretch=None, spec=None))]
pub(crate) fn kpi_scores<'py>(
    py: Python<'py>,
    actual: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    threshold: Option<PyReadonlyArray1<'py, f64>>,
    stretch: Option<PyReadonlyArray1<'py, f64>>,
    spec: Option<&str>,
) -> PyResult<Pair<'py>> {
    let (a, t) = (actual.as_slice()?, target.as_slice()?);
    let th = threshold.as_ref().map(|x| x.as_slice()).transpose()?;
    let st = stretch.as_ref().map(|x| x.as_slice()).transpose()?;
    let (ach, score) = detached(py, || {
        let scoring: okpi::kpi::Scoring = match spec {
            Some(text) => parse_under(text, "$.spec")?,
            None => okpi::kpi::Scoring::default(),
        };
        scoring.check("$.spec")?;
        let lens = [
            ("target", Some(t.len())),
            ("threshold", th.map(<[f64]>::len)),
            ("stretch", st.map(<[f64]>::len)),
        ];
        same_lengths(a.len(), &lens)?;
        let tts = matches!(scoring.curve, okpi::model::Curve::ThresholdTargetStretch { .. });
        let (mut ach, mut score) = (Vec::with_capacity(a.len()), Vec::with_capacity(a.len()));
        for (i, (&x, &target)) in a.iter().zip(t).enumerate() {
            let bad =
                |code, msg: String| Failure::one(Kind::Validation, code, &format!("$.target[{i}]"), msg);
            if !target.is_finite() {
                return Err(bad(Code::E_NOT_FINITE, format!("target is {target}")));
            }
            if scoring.is_ratio() && target <= 0.0 {
                return Err(bad(
                    Code::E_TARGET_NOT_POSITIVE,
                    format!("target {target} ≤ 0 with a ratio formula; use threshold_target_stretch"),
                ));
            }
            let levels = okpi::kpi::Levels {
                threshold: optional_at(th, i),
                target,
                stretch: optional_at(st, i),
            };
            if tts && levels.threshold.is_none() {
                return Err(Failure::one(
                    Kind::Validation,
                    Code::E_MISSING_FIELD,
                    &format!("$.threshold[{i}]"),
                    String::from("threshold_target_stretch needs a threshold"),
                ));
            }
            if x.is_nan() {
                ach.push(f64::NAN);
                score.push(f64::NAN);
                continue;
            }
            let (a, s) = scoring.score(x, levels);
            ach.push(a.unwrap_or(f64::NAN));
            score.push(s);
        }
        Ok((ach, score))
    })?;
    Ok((PyArray1::from_vec(py, ach), PyArray1::from_vec(py, score)))
}

/// Runs alert rules over many series at once: `values` is series × evaluations (NaN = missing), `dates` the
/// evaluation dates (`YYYY-MM-DD`), `rules` a JSON array of one rule (for every series) or one rule per series,
/// `states` a JSON list of stored states (one per series; None: all fresh). Returns a dict of the events as columns,
/// `series` and `step` (int64 positions), `kind` (int8 code into `okpi.EVENT_KINDS`), `severity` (int8: -1 none,
/// 0 warning, 1 critical) and `measure` (float64, NaN where none); each series' final `status` (uint8: 0 normal,
/// 1 pending, 2 firing, 3 no_data) and `states` (the state per series, to resume from). `thresholds` maps
/// `warning`, `warning_recovery`, `critical` and `critical_recovery` to float64 arrays of one number per series, in
/// place of the rule's (NaN recovery: none), so that 100,000 series need not be 100,000 rules.
#[pyfunction]
#[pyo3(signature = (rules, dates, values, states=None, thresholds=None))]
pub(crate) fn alert_matrix<'py>(
    py: Python<'py>,
    rules: &str,
    dates: Vec<String>,
    values: PyReadonlyArray2<'py, f64>,
    states: Option<&Bound<'py, PyAny>>,
    thresholds: Option<Vec<(String, PyReadonlyArray1<'py, f64>)>>,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let view = values.as_array();
    let columns: Vec<(String, &[f64])> = match &thresholds {
        Some(list) => list
            .iter()
            .map(|(k, a)| Ok((k.clone(), a.as_slice()?)))
            .collect::<PyResult<_>>()?,
        None => Vec::new(),
    };
    // States of an earlier run come back natively (no JSON); others as JSON text.
    let (native, states): (Option<Vec<okpi::alert::State>>, Option<String>) = match states {
        None => (None, None),
        Some(s) => match s.cast::<AlertStates>() {
            Ok(held) => (Some(held.get().states.clone()), None),
            Err(_) => (None, Some(s.extract::<String>()?)),
        },
    };
    let run = detached(py, || {
        let rules: Vec<okpi::alert::Rule> = parse_under(rules, "$.rules")?;
        let mut problems = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            problems.extend(okpi::alert::validate_rule(r, &format!("$.rules[{i}]")));
        }
        if !problems.is_empty() {
            return Err(Failure::from(Error::invalid(problems)));
        }
        if rules.len() != 1 && rules.len() != view.nrows() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.rules",
                format!(
                    "{} rules for {} series: one rule, or one per series",
                    rules.len(),
                    view.nrows()
                ),
            ));
        }
        let days = dates
            .iter()
            .enumerate()
            .map(|(i, d)| parse_date_at(d, &format!("$.dates[{i}]")))
            .collect::<Outcome<Vec<NaiveDate>>>()?;
        if view.ncols() != days.len() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.values",
                format!("values has {} columns for {} dates", view.ncols(), days.len()),
            ));
        }
        let mut stored: Vec<okpi::alert::State> = match (native, states) {
            (Some(held), _) => held,
            (None, Some(text)) => parse_under(&text, "$.states")?,
            (None, None) => vec![okpi::alert::State::default(); view.nrows()],
        };
        if stored.len() != view.nrows() {
            return Err(Failure::one(
                Kind::Validation,
                Code::E_INVALID_VALUE,
                "$.states",
                format!("{} states for {} series", stored.len(), view.nrows()),
            ));
        }
        let overrides = Overrides::new(&columns, view.nrows())?;
        let mut work: Option<okpi::alert::Rule> = None;
        let mut out = Events::default();
        let mut row_values: Vec<f64> = Vec::new();
        for (i, (row, state)) in view.outer_iter().zip(stored.iter_mut()).enumerate() {
            let Some(mut rule) = rules.get(i).or(rules.first()) else {
                break;
            };
            if !overrides.is_empty() {
                // The series' rule with its own numbers, in one working copy (a copy per series only with one rule
                // per series), validated as a rule is.
                if work.is_none() || rules.len() > 1 {
                    work = Some(rule.clone());
                }
                let Some(w) = work.as_mut() else { break };
                overrides.apply(w, i)?;
                if !okpi::alert::validate_rule(w, "$").is_empty() {
                    let path = format!("$.thresholds[{i}]");
                    return Err(Failure::from(Error::invalid(okpi::alert::validate_rule(
                        w, &path,
                    ))));
                }
                rule = w;
            }
            // A row of a C-ordered matrix is read in place; another layout is copied once.
            let values: &[f64] = match row.as_slice() {
                Some(v) => v,
                None => {
                    row_values.clear();
                    row_values.extend(row.iter());
                    &row_values
                }
            };
            let next = okpi::alert::evaluate_values(
                rule,
                std::mem::take(state),
                values,
                |at, kind, sev, measure| {
                    out.series.push(i as i64);
                    out.step.push(at as i64);
                    out.kind.push(event_code(kind));
                    out.severity.push(match sev {
                        None => -1i8,
                        Some(okpi::alert::AlertSeverity::Warning) => 0,
                        Some(okpi::alert::AlertSeverity::Critical) => 1,
                    });
                    out.measure
                        .push(measure.filter(|m| m.is_finite()).unwrap_or(f64::NAN));
                },
            );
            out.status.push(match next.status {
                okpi::alert::AlertStatus::Normal => 0u8,
                okpi::alert::AlertStatus::Pending => 1,
                okpi::alert::AlertStatus::Firing => 2,
                okpi::alert::AlertStatus::NoData => 3,
            });
            *state = next;
        }
        Ok((out, stored))
    })?;
    let (cols, stored) = run;
    let out = pyo3::types::PyDict::new(py);
    out.set_item("series", PyArray1::from_vec(py, cols.series))?;
    out.set_item("step", PyArray1::from_vec(py, cols.step))?;
    out.set_item("kind", PyArray1::from_vec(py, cols.kind))?;
    out.set_item("severity", PyArray1::from_vec(py, cols.severity))?;
    out.set_item("measure", PyArray1::from_vec(py, cols.measure))?;
    out.set_item("status", PyArray1::from_vec(py, cols.status))?;
    out.set_item("states", AlertStates { states: stored })?;
    Ok(out)
}

/// The final states of an `alert_matrix` run, held natively: a state becomes a dict only when it is read (100,000
/// dicts would cost more than the run). Passed back as `states=`, they are not converted at all.
#[pyclass(module = "okpi._okpi", frozen)]
pub(crate) struct AlertStates {
    states: Vec<okpi::alert::State>,
}

#[pymethods]
impl AlertStates {
    fn __len__(&self) -> usize {
        self.states.len()
    }

    /// The state at `index` (negative: from the end) as a dict.
    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
        let n = self.states.len() as isize;
        let at = if index < 0 { index + n } else { index };
        match usize::try_from(at).ok().and_then(|i| self.states.get(i)) {
            Some(s) => to_py(py, s),
            None => Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "state {index} of {n}"
            ))),
        }
    }

    /// Every state as a list of dicts.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.states)
    }

    /// Whether `other` holds the same states.
    fn same(&self, other: &Bound<'_, AlertStates>) -> bool {
        self.states == other.get().states
    }
}

/// The per-series threshold numbers of `alert_matrix`: (severity, recovery?, one number per series).
struct Overrides<'a>(Vec<(okpi::alert::AlertSeverity, bool, &'a [f64])>);

impl<'a> Overrides<'a> {
    fn new(columns: &[(String, &'a [f64])], series: usize) -> Outcome<Overrides<'a>> {
        use okpi::alert::AlertSeverity::{Critical, Warning};
        let mut out = Vec::new();
        for (key, values) in columns {
            let (severity, recovery) = match key.as_str() {
                "warning" => (Warning, false),
                "warning_recovery" => (Warning, true),
                "critical" => (Critical, false),
                "critical_recovery" => (Critical, true),
                other => {
                    return Err(Failure::one(
                        Kind::Validation,
                        Code::E_INVALID_VALUE,
                        &format!("$.thresholds.{other}"),
                        format!("{other:?} is not warning, warning_recovery, critical or critical_recovery"),
                    ))
                }
            };
            if values.len() != series {
                return Err(Failure::one(
                    Kind::Validation,
                    Code::E_INVALID_VALUE,
                    &format!("$.thresholds.{key}"),
                    format!("{key} has {} numbers for {series} series", values.len()),
                ));
            }
            out.push((severity, recovery, *values));
        }
        Ok(Overrides(out))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets series `i`'s numbers in `rule`; the rule must have each severity given.
    fn apply(&self, rule: &mut okpi::alert::Rule, i: usize) -> Outcome<()> {
        for &(severity, recovery, values) in &self.0 {
            let x = values.get(i).copied().unwrap_or(f64::NAN);
            let slot = match severity {
                okpi::alert::AlertSeverity::Warning => &mut rule.warning,
                _ => &mut rule.critical,
            };
            let Some(th) = slot.as_mut() else {
                return Err(Failure::one(
                    Kind::Validation,
                    Code::E_INVALID_VALUE,
                    "$.thresholds",
                    format!("the rule has no {severity:?} threshold to give numbers to").to_lowercase(),
                ));
            };
            if recovery {
                th.recovery = (!x.is_nan()).then_some(x);
            } else {
                th.value = Some(x);
            }
        }
        Ok(())
    }
}

/// `alert_matrix`'s columns.
#[derive(Default)]
struct Events {
    series: Vec<i64>,
    step: Vec<i64>,
    kind: Vec<i8>,
    severity: Vec<i8>,
    measure: Vec<f64>,
    status: Vec<u8>,
}
