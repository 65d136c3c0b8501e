//! The C ABI of okpi (house rules 5–7, after rustls-ffi): JSON in, JSON out, opaque model handles, numbered
//! result codes, one panic boundary around every entry point, outputs written only on success.

mod boundary;
#[doc(hidden)]
pub mod fuzz;
mod limits;
mod people;
mod result;
mod strings;

pub use boundary::{okpi_error_message, okpi_last_error_json};
pub use limits::{okpi_limits, okpi_set_limits};
pub use people::okpi_check_ins;
pub use result::okpi_result;
pub use strings::okpi_string_free;

// Tests call the C functions from Rust too.

use boundary::{fail, Outcome};
use std::ffi::c_char;

/// An opaque validated document, for repeated evaluations.
#[allow(non_camel_case_types)]
pub struct okpi_model {
    model: okpi::Model,
}

/// The library version as "MAJOR.MINOR.PATCH"; a static string, never freed.
#[no_mangle]
pub extern "C" fn okpi_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Validates a document. On success writes its normalised JSON (items sorted by id) to `*out_json`.
///
/// # Safety
/// `doc_json` must be NULL or a NUL-terminated string; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_validate(doc_json: *const c_char, out_json: *mut *mut c_char) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json)?;
        let model = document(doc_json, &limits::current())?;
        strings::write(out, &model.to_document().to_json())
    })
}

/// Validates and evaluates a document as of `as_of` ("YYYY-MM-DD") with `settings_json` (NULL for the defaults).
/// On success writes the evaluation's JSON to `*out_json`.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        let model = document(doc_json, &limits)?;
        let ev = evaluate(&model, as_of, settings_json, &limits)?;
        strings::write(out, &ev.to_json())
    })
}

/// Advises one business line (`profile_json`), or many when the JSON is an array (then the result is the
/// company-wide portfolio). `settings_json` may be NULL.
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
        let out = boundary::out_ptr(out_json)?;
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

/// Evaluates a document as of `as_of` and runs the diagnostics rules over it with `diagnose_settings_json`
/// (NULL for the defaults: every rule on, DOMAIN.md's thresholds). Writes the findings and health score as JSON.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        let model = document(doc_json, &limits)?;
        let ev = evaluate(&model, as_of, settings_json, &limits)?;
        let settings: okpi::diagnose::DiagnoseSettings = optional_json(
            diagnose_settings_json,
            "diagnose_settings_json",
            "$.settings",
            &limits,
        )?;
        strings::write(out, &to_json(&okpi::diagnose::diagnose(&model, &ev, &settings)?)?)
    })
}

/// Runs a KPI request over a document: `kind` is `"query"` (request: an `okpi::kpi::Query`), `"score"`
/// (request: `{"as_of": "YYYY-MM-DD"}`, every target's achievement and score) or `"scorecards"` (request: a
/// `ScorecardRequest`) or `"query_units"` (request: an `okpi::kpi::Query`, one cell per unit's subtree). Writes the
/// result table as JSON.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        let model = document(doc_json, &limits)?;
        let kind = strings::input(kind, "kind")?;
        let request = strings::json_input(request_json, "request_json", &format!("$.{kind}"))?;
        let json = match kind {
            "query" => to_json(&okpi::kpi::query(&model, &parse(request, "$.query", &limits)?)?),
            "score" => {
                let r: serde_json::Value = parse(request, "$.score", &limits)?;
                let day = r
                    .get("as_of")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                to_json(&okpi::kpi::score(&model, date(day, "as_of")?)?)
            }
            "scorecards" => to_json(&okpi::kpi::scorecards(
                &model,
                &parse(request, "$.scorecards", &limits)?,
            )?),
            "query_units" => to_json(&okpi::kpi::query_units(
                &model,
                &parse(request, "$.query", &limits)?,
            )?),
            other => {
                return Err(fail(
                    okpi_result::OKPI_INVALID_ARGUMENT,
                    format!(
                        "kind {other:?} is not one of \"query\", \"score\", \"scorecards\", \"query_units\""
                    ),
                ))
            }
        }?;
        strings::write(out, &json)
    })
}

/// The strategy view of a document as of `as_of` ("YYYY-MM-DD") with `settings_json` (strategy settings:
/// `{"support_red_below", "health_green", "health_amber", "evaluation": {…}}`, NULL for the defaults). On success
/// writes `{"as_of", "settings", "objectives": [{"id", "progress", "status", "score", "key_results": [{"id",
/// "progress", "status", "supports": [{"id", "metric", "scope", "actual", "achievement", "score", "alert",
/// "light"}], "support"}], "support": {"green", "amber", "red", "grey", "health", "light"}}]}` to `*out_json`.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        let model = document(doc_json, &limits)?;
        let as_of = date(strings::input(as_of, "as_of")?, "as_of")?;
        let settings = match strings::optional(settings_json, "settings_json")? {
            Some(s) => okpi::hybrid::StrategySettings::from_json(s)?,
            None => okpi::hybrid::StrategySettings::default(),
        };
        strings::write(out, &okpi::strategy_view(&model, as_of, &settings)?.to_json())
    })
}

/// Runs every alert rule of a document over its metric, one evaluation per grain period of `from..=to`
/// ("YYYY-MM-DD"), from stored states (`states_json`: `{"rule id": state}`, NULL to start fresh). Writes
/// `{"from", "to", "alerts": [{"rule", "metric", "metric_version", "series", "events", "state"}]}`.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        let model = document(doc_json, &limits)?;
        let (from, to) = (
            date(strings::input(from, "from")?, "from")?,
            date(strings::input(to, "to")?, "to")?,
        );
        let states = optional_json(states_json, "states_json", "$.states", &limits)?;
        strings::write(
            out,
            &to_json(&okpi::alert::evaluate_rules(&model, from, to, &states)?)?,
        )
    })
}

/// Runs an alert rule (`rule_json`) over a series (`series_json`: `[{"date", "value"}]`, `null` = missing) from
/// a stored state (`state_json`, NULL to start fresh). Writes `{"state": …, "events": […]}`; store the state and
/// pass it back to resume exactly where the series stopped.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        let rule_text = strings::json_input(rule_json, "rule_json", "$")?;
        let rule = okpi::alert::Rule::from_json_with_limits(rule_text, &limits)?;
        let state: okpi::alert::State = optional_json(state_json, "state_json", "$.state", &limits)?;
        let series: Vec<okpi::alert::Observation> = parse(
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
/// `report_json` holds: `"evaluation"` (`okpi_evaluate`), `"explanation"` (or `null`; hidden: `null`), `"query"`
/// (`okpi_kpi` query or query_units), `"score"`, `"scorecards"` (`okpi_kpi`), `"alerts"` (`okpi_alerts`),
/// `"diagnosis"` (`okpi_diagnose`), `"check_ins"` (`okpi_check_ins`), `"advice"` (`okpi_advise`,
/// unchanged) or `"problems"` (the array `okpi_last_error_json` writes: a problem about an item the viewer may not
/// see keeps its code and path only). `viewer_json` is `{"person": "ann", "roles": ["manager"], "settings":
/// {"min_group_size": 5}}` (roles default to the person's own; settings optional). The document is read, not
/// validated, so the problems of an invalid one can be filtered too. An unknown kind or an unknown viewer person
/// (`E_UNKNOWN_ID` at `$.viewer.person`, revealing nothing else) is `OKPI_INVALID_ARGUMENT`. Writes the filtered
/// report's JSON.
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
        let out = boundary::out_ptr(out_json)?;
        let limits = limits::current();
        // A viewer is always given here: a parse error quotes no document text.
        let doc = okpi::Document::from_json_with_limits(strings::input(doc_json, "doc_json")?, &limits)
            .map_err(okpi::access::quiet_parse_error)?;
        let kind = strings::input(kind, "kind")?;
        if !okpi::access::KINDS.contains(&kind) {
            return Err(fail(
                okpi_result::OKPI_INVALID_ARGUMENT,
                format!("kind {kind:?} is not one of {}", okpi::access::KINDS.join(", ")),
            ));
        }
        let report = strings::input(report_json, "report_json")?;
        let request = okpi::access::ViewRequest::from_json(strings::input(viewer_json, "viewer_json")?)?;
        let view = okpi::access::View::from_document(&doc, &request.viewer(), &request.settings)
            .map_err(boundary::argument)?;
        strings::write(out, &okpi::access::filter_json(&view, kind, report)?)
    })
}

/// Validates a document into a model handle, written to `*out_model` on success; free it with
/// `okpi_model_free`.
///
/// # Safety
/// `doc_json` must be NULL or NUL-terminated; `out_model` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_new(
    doc_json: *const c_char,
    out_model: *mut *mut okpi_model,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_model)?;
        let model = document(doc_json, &limits::current())?;
        // SAFETY: `out` is non-null and the caller promised it is valid for a write.
        unsafe { out.write(Box::into_raw(Box::new(okpi_model { model }))) };
        Ok(())
    })
}

/// Evaluates a model as of `as_of` with `settings_json` (NULL for the defaults); writes the JSON to `*out_json`.
///
/// # Safety
/// `model` must be NULL or a live handle from `okpi_model_new`; strings NULL or NUL-terminated; `out_json` NULL
/// or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_evaluate(
    model: *const okpi_model,
    as_of: *const c_char,
    settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json)?;
        // SAFETY: the caller passes NULL or a live handle; NULL is refused here.
        let m = unsafe { model.as_ref() }.ok_or_else(|| boundary::null("model"))?;
        let ev = evaluate(&m.model, as_of, settings_json, &limits::current())?;
        strings::write(out, &ev.to_json())
    })
}

/// Adds one check-in (`{"key_result", "date", "value", "confidence", "note"}`) to a model after validating it;
/// a refused check-in leaves the model unchanged.
///
/// # Safety
/// `model` must be NULL or a live handle used by no other thread during the call; `check_in_json` NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_apply_check_in(
    model: *mut okpi_model,
    check_in_json: *const c_char,
) -> okpi_result {
    boundary::run(|| {
        // SAFETY: the caller passes NULL or a live, exclusively used handle; NULL is refused here.
        let m = unsafe { model.as_mut() }.ok_or_else(|| boundary::null("model"))?;
        let text = strings::json_input(check_in_json, "check_in_json", "$.check_in")?;
        let ci: okpi::model::CheckIn = parse(text, "$.check_in", &limits::current())?;
        m.model.apply_check_in(ci)?;
        Ok(())
    })
}

/// Frees a model handle; NULL is ignored.
///
/// # Safety
/// `model` must be NULL or a handle from `okpi_model_new` not freed before.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_free(model: *mut okpi_model) {
    let _ = boundary::run(|| {
        if !model.is_null() {
            // SAFETY: the caller hands back a handle made by Box::into_raw in okpi_model_new, once.
            drop(unsafe { Box::from_raw(model) });
        }
        Ok(())
    });
}

fn evaluate(
    model: &okpi::Model,
    as_of: *const c_char,
    settings: *const c_char,
    limits: &okpi::Limits,
) -> Outcome<okpi::Evaluation> {
    let as_of = date(strings::input(as_of, "as_of")?, "as_of")?;
    let settings = match strings::json_optional(settings, "settings_json", "$.settings")? {
        Some(s) => {
            let settings: okpi::Settings = parse(s, "$.settings", limits)?;
            settings.check()?;
            settings
        }
        None => okpi::Settings::default(),
    };
    Ok(okpi::evaluate(model, as_of, &settings)?)
}

/// The validated model of a required document argument, read under `limits`. A document that is not UTF-8 is
/// `OKPI_INVALID_UTF8` with the problem `E_PARSE` at `$`.
fn document(doc_json: *const c_char, limits: &okpi::Limits) -> Outcome<okpi::Model> {
    let bytes = strings::optional_bytes(doc_json).ok_or_else(|| boundary::null("doc_json"))?;
    let doc = okpi::Document::from_slice_with_limits(bytes, limits).map_err(|e| {
        let utf8 = matches!(e, okpi::Error::Parse(_)) && std::str::from_utf8(bytes).is_err();
        let failure = boundary::Failure::from(e);
        if utf8 {
            failure.with_code(okpi_result::OKPI_INVALID_UTF8)
        } else {
            failure
        }
    })?;
    Ok(okpi::Model::new_with_limits(&doc, limits)?)
}

/// The `YYYY-MM-DD` date argument `name`: a malformed one is `OKPI_INVALID_ARGUMENT` with the problem `E_PARSE` at
/// `$.<name>` (as Python reports it).
fn date(day: &str, name: &str) -> Outcome<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| {
        let message = format!("{name} {day:?} is not a YYYY-MM-DD date: {e}");
        let problem = okpi::Problem::new(okpi::Code::E_PARSE, format!("$.{name}"), None, message);
        boundary::Failure::from(okpi::Error::Parse(problem)).with_code(okpi_result::OKPI_INVALID_ARGUMENT)
    })
}

/// Serialises a result.
fn to_json<T: serde::Serialize>(value: &T) -> Outcome<String> {
    serde_json::to_string(value).map_err(|e| fail(okpi_result::OKPI_INTERNAL, e.to_string()))
}

/// An optional JSON argument: NULL gives the type's default, text is parsed with its paths under `root`.
fn optional_json<T: serde::de::DeserializeOwned + Default>(
    p: *const c_char,
    name: &str,
    root: &str,
    limits: &okpi::Limits,
) -> Outcome<T> {
    strings::json_optional(p, name, root)?.map_or_else(|| Ok(T::default()), |s| parse(s, root, limits))
}

/// Parses JSON into a serde type under `limits`; a problem names its JSON path under `root`.
fn parse<T: serde::de::DeserializeOwned>(text: &str, root: &str, limits: &okpi::Limits) -> Outcome<T> {
    okpi::error::parse_json_with(text, limits).map_err(|e| e.under(root).into())
}
