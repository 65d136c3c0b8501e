//! The C ABI of okpi (house rules 5–7, after rustls-ffi): JSON in, JSON out, opaque model handles, numbered
//! result codes, one panic boundary around every entry point, outputs written only on success.

mod boundary;
#[doc(hidden)]
pub mod fuzz;
mod limits;
mod model;
mod ops;
mod people;
mod result;
mod strings;

pub use boundary::{okpi_error_message, okpi_last_error_json};
pub use limits::{okpi_limits, okpi_set_limits};
pub use model::*;
pub use people::okpi_check_ins;
pub use result::{okpi_result, okpi_result_name};
pub use strings::okpi_string_free;

// Tests call the C functions from Rust too.

use ops::{optional_json, parse, to_json};
use std::ffi::c_char;

/// The library version as "MAJOR.MINOR.PATCH"; a static string, never freed.
#[no_mangle]
pub extern "C" fn okpi_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Validates a document (`doc_json`: the document of README "Rust" and `tests/vectors/okr/` "document":
/// `{"schema_version": 1, "cycles", "people", "org_units", "objectives", "key_results", "check_ins", …}`). On
/// success writes its normalised JSON (items sorted by id, defaults written out) to `*out_json`.
///
/// # Safety
/// `doc_json` must be NULL or a NUL-terminated string; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_validate(doc_json: *const c_char, out_json: *mut *mut c_char) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let model = ops::model(doc_json, &limits::current())?;
        strings::write(out, &model.to_document().to_json())
    })
}

/// Validates and evaluates a document as of `as_of` ("YYYY-MM-DD") with `settings_json` (NULL for the defaults:
/// `{"overshoot": "clamp"|{"cap": 1.25}, "allow_negative", "on_track_tolerance", "at_risk_tolerance",
/// "not_started_days", "rollup": "weighted"|"by_value", "objective_status": "worst_kr"|"from_progress",
/// "confidence_low", "confidence_high"}`, a missing field
/// taking its default; README "Choices"). On success writes the evaluation to `*out_json`: `{"as_of", "settings",
/// "key_results": [{"id", "objective", "kind", "current", "progress", "progress_original", "expected", "status",
/// "confidence", "confidence_band", "compliance", "score", "score_band", "weight", "definition", "flags",
/// "link"}], "objectives": [{"id", "cycle", "kind", "progress", "expected", "status", "confidence",
/// "confidence_band", "score", "score_band", "expected_score", "score_final", "rollup", "sources", "flags"}]}`
/// (every field: `tests/vectors/okr/` "expect"; status is "not_started", "on_track", "at_risk",
/// "off_track" or "done").
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_evaluate(
    doc_json: *const c_char,
    as_of: *const c_char,
    settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let model = ops::model(doc_json, &limits)?;
        strings::write(out, &ops::evaluate(&model, as_of, settings_json, &limits)?)
    })
}

/// Advises one business line, or many when `profile_json` is an array (then the result is the company-wide
/// portfolio). A profile is `{"id", "name", "uncertainty", "standardization", "lifecycle", "failure_tolerance",
/// "transparency", "self_drive", "manager_coaching", "readiness", "headcount"}` (README "Diagnostics and the
/// advisor", `tests/vectors/advisor/` "profile"); `settings_json` (NULL: defaults) is `{"split", "weak",
/// "low", "high"}`. Writes `{"id", "quadrant", "matrix", "recommendation", "pilot", "reasons", "next_steps"}`
/// for one line, `{"lines": [advice…], "mix": [{"recommendation", "lines", "headcount", "share"}]}` for many.
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_advise(
    profile_json: *const c_char,
    settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let text = strings::json_input(profile_json, "profile_json", "$")?;
        let settings: okpi::decide::AdvisorSettings =
            optional_json(settings_json, "settings_json", "$.settings", &limits)?;
        let json = if text.trim_start().starts_with('[') {
            let lines: Vec<okpi::decide::BusinessProfile> = parse(text, "$", &limits)?;
            to_json(&okpi::decide::advise_all(&lines, &settings)?)
        } else {
            to_json(&okpi::decide::advise(&parse(text, "$", &limits)?, &settings)?)
        };
        strings::write(out, &json?)
    })
}

/// Evaluates a document as of `as_of` (with `settings_json`, as `okpi_evaluate`) and runs the diagnostics rules
/// over it with `diagnose_settings_json` (NULL for the defaults: every rule on, DOMAIN.md's thresholds;
/// `{"disabled": ["rule code"…], "max_key_results", "stale_days", "flat_confidence_check_ins", "surge_window",
/// "surge_confidence_rise", "surge_progress_rise", "surge_flat_share", "mechanical_check_ins",
/// "mechanical_step_cv", "mechanical_pace_distance", "sandbag_done_share"}`). Writes `{"findings": [{"code",
/// "severity", "subjects", "evidence", "advice"}], "health": {…}}` (`tests/vectors/diagnose/`).
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_diagnose(
    doc_json: *const c_char,
    as_of: *const c_char,
    settings_json: *const c_char,
    diagnose_settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let model = ops::model(doc_json, &limits)?;
        let json = ops::diagnose(&model, as_of, settings_json, diagnose_settings_json, &limits)?;
        strings::write(out, &json)
    })
}

/// Runs a KPI request over a document. `kind` is one of: query query_units score scorecards
/// (another is `OKPI_INVALID_ARGUMENT`, `E_INVALID_VALUE` at `$.kind`); `request_json` is its request:
/// - `"query"`: `{"metric", "grain": "day"|"week"|"month"|"quarter"|"year" (default: the metric's), "from",
///   "to", "filters": {"dimension": "value"}, "group_by": ["dimension"…]}`; writes `{"metric", "grain",
///   "version", "filters", "cells": [{"period_start", "period_end", "group", "value", "undefined", "version"}]}`
///   (a cell's `value` is `null` with the reason in `undefined`).
/// - `"query_units"`: a query without `group_by`, run for every org unit over its subtree; the same result with
///   one cell per period and unit, `group` `{"unit": id}`.
/// - `"score"`: `{"as_of": "YYYY-MM-DD"}`; writes `{"as_of", "targets": [{"id", "metric", "version", "scope",
///   "cycle", "threshold", "target", "stretch", "actual", "achievement", "score", "cap", …}]}`.
/// - `"scorecards"`: `{"as_of", "distribution"}`; writes `{"as_of", "scorecards": [{"id", "subject", "total",
///   "undefined", "grade", "forced_grade", "rank", "items", "okr_score", "warnings"}], "warnings"}`.
///
/// README "KPI" and `tests/vectors/kpi/` show every field. Request errors have paths under `$.<kind>`.
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_kpi(
    doc_json: *const c_char,
    kind: *const c_char,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let model = ops::model(doc_json, &limits)?;
        strings::write(out, &ops::kpi(&model, kind, request_json, &limits)?)
    })
}

/// The strategy view of a document as of `as_of` ("YYYY-MM-DD") with `settings_json` (strategy settings:
/// `{"support_red_below", "health_green", "health_amber", "evaluation": {…}}`, NULL for the defaults). On success
/// writes `{"as_of", "settings", "objectives": [{"id", "progress", "status", "score", "key_results": [{"id",
/// "progress", "status", "supports": [{"id", "metric", "scope", "actual", "achievement", "score", "alert",
/// "light"}], "support"}], "support": {"green", "amber", "red", "grey", "health", "light"}}]}` to `*out_json`
/// (README "OKR and KPI together", `tests/vectors/hybrid/`).
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_strategy_view(
    doc_json: *const c_char,
    as_of: *const c_char,
    settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let model = ops::model(doc_json, &limits)?;
        strings::write(out, &ops::strategy_view(&model, as_of, settings_json, &limits)?)
    })
}

/// Runs every alert rule of a document over its metric, one evaluation per grain period of `from..=to`
/// ("YYYY-MM-DD"), from stored states (`states_json`: `{"rule id": state}` as a previous call wrote them, NULL to
/// start fresh). Writes `{"from", "to", "alerts": [{"rule", "metric", "metric_version", "series", "events",
/// "state"}]}`; a state is `{"status", "severity", "breaches", "quiet", "history"}` and an event `{"kind",
/// "rule", "date", …}` (README "Alerts", `tests/vectors/alerts/`).
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_alerts(
    doc_json: *const c_char,
    from: *const c_char,
    to: *const c_char,
    states_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let model = ops::model(doc_json, &limits)?;
        strings::write(out, &ops::alerts(&model, from, to, states_json, &limits)?)
    })
}

/// Runs an alert rule over a series from a stored state (`state_json`, NULL to start fresh). The rule is
/// `{"id", "metric", "scope", "grain", "condition": {…}, "warning": {…}, "critical": {…}, "for", "keep_firing_for",
/// "no_data", "direction"}` (README "Alerts"), the series `[{"date", "value"}]` (`null` = missing). Writes
/// `{"state": …, "events": […]}`; store the state and pass it back to resume exactly where the series stopped.
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_alert_evaluate(
    rule_json: *const c_char,
    state_json: *const c_char,
    series_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let rule_text = strings::json_input(rule_json, "rule_json", "$")?;
        let rule = okpi::alert::Rule::from_json_with_limits(rule_text, &limits)?;
        let state: okpi::alert::State = optional_json(state_json, "state_json", "$.state", &limits)?;
        let series: Vec<okpi::alert::AlertObservation> = parse(
            strings::json_input(series_json, "series_json", "$.series")?,
            "$.series",
            &limits,
        )?;
        limits.check_series(series.len(), "$.series")?;
        let (state, events) = okpi::alert::evaluate_series(&rule, state, &series);
        let json = serde_json::json!({ "state": state, "events": events }).to_string();
        strings::write(out, &json)
    })
}

/// Filters a report for a viewer (DOMAIN.md §9): what the viewer may not see is removed and named nowhere in the
/// result, and no number gives away what it hides (a KPI number over a small hidden group is withheld, with the
/// reason in `withheld`; support and health roll-ups are recomputed and marked `partial`). `kind` names the report
/// `report_json` holds, one of:
/// evaluation query score scorecards alerts diagnosis advice strategy_view problems check_ins
/// (`okpi_evaluate`; `okpi_kpi`'s query and query_units, score, scorecards; `okpi_alerts`; `okpi_diagnose`;
/// `okpi_advise`, unchanged; `okpi_strategy_view`; the array `okpi_last_error_json` writes, where a problem about an
/// item the viewer may not see keeps its code and path only; `okpi_check_ins`). The document is parsed quietly: a
/// parse error quotes no document text. `viewer_json` is `{"person": "ann", "roles":
/// ["manager"], "settings": {"min_group_size": 5}}` (roles default to the person's own; settings optional). The
/// document is read, not validated, so the problems of an invalid one can be filtered too. An unknown kind
/// (`E_INVALID_VALUE` at `$.kind`) or an unknown viewer person (`E_UNKNOWN_ID` at `$.viewer.person`, revealing
/// nothing else) is `OKPI_INVALID_ARGUMENT`. Writes the filtered report's JSON (README "Who may see what").
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_filter(
    doc_json: *const c_char,
    kind: *const c_char,
    report_json: *const c_char,
    viewer_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let doc = ops::quiet_document(doc_json, &limits)?;
        let json = ops::filter(kind, report_json, viewer_json, &limits, |r| {
            okpi::access::View::from_document(&doc, &r.viewer(), &r.settings)
        })?;
        strings::write(out, &json)
    })
}
