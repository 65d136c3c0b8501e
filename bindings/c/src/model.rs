//! Model handles: a document validated once, then every operation run on it without reading it again. Each entry
//! point is the document-taking one's body on the handle's model, under the limits the handle was made with.

use crate::boundary::{self, null, out_ptr, release, run, Outcome};
use crate::result::okpi_result;
use crate::{limits, ops, strings};
use std::ffi::c_char;

/// An opaque validated document, for repeated operations. It keeps the limits it was made with: every later call
/// on it reads its JSON arguments under them.
#[allow(non_camel_case_types)]
pub struct okpi_model {
    model: okpi::Model,
}

/// The model behind a handle argument; NULL is `OKPI_NULL_ARGUMENT` (argument `model`).
fn get<'a>(model: *const okpi_model) -> Outcome<&'a okpi::Model> {
    // SAFETY: the caller passes NULL or a live handle; NULL is refused here.
    unsafe { model.as_ref() }
        .map(|m| &m.model)
        .ok_or_else(|| null("model"))
}

/// Runs `body` on the handle's model and hands the JSON it makes to the caller through `out_json`.
fn json_call(
    model: *const okpi_model,
    out_json: *mut *mut c_char,
    body: impl FnOnce(&okpi::Model, &okpi::Limits) -> Outcome<String>,
) -> okpi_result {
    run(|| {
        let out = out_ptr(out_json, "out_json")?;
        let m = get(model)?;
        strings::write(out, &body(m, m.limits())?)
    })
}

/// Validates a document into a model handle, written to `*out_model` on success; free it with
/// `okpi_model_free`. The document and every later call on the handle are read under the process-wide limits
/// in force now (`okpi_set_limits`); `okpi_model_new_with_limits` gives a handle its own.
///
/// # Safety
/// `doc_json` must be NULL or NUL-terminated; `out_model` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_new(
    doc_json: *const c_char,
    out_model: *mut *mut okpi_model,
) -> okpi_result {
    // SAFETY: the same contract, with no limits argument.
    unsafe { okpi_model_new_with_limits(doc_json, std::ptr::null(), out_model) }
}

/// `okpi_model_new` under limits of its own: `limits_json` in the form `okpi_set_limits` takes (a missing field
/// takes its default; NULL: the process-wide limits in force now). The handle keeps them: the document and every
/// later call on the handle are read under them, whatever `okpi_set_limits` does meanwhile. Limits out of range
/// are `OKPI_INVALID_SETTINGS` with paths under `$.limits`.
///
/// # Safety
/// `doc_json` and `limits_json` must be NULL or NUL-terminated; `out_model` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_new_with_limits(
    doc_json: *const c_char,
    limits_json: *const c_char,
    out_model: *mut *mut okpi_model,
) -> okpi_result {
    run(|| {
        let out = out_ptr(out_model, "out_model")?;
        let limits = match strings::json_optional(limits_json, "limits_json", "$.limits")? {
            Some(text) => okpi::Limits::from_json(text)?,
            None => limits::current(),
        };
        let model = ops::model(doc_json, &limits)?;
        // SAFETY: `out` is non-null and the caller promised it is valid for a write.
        unsafe { out.write(Box::into_raw(Box::new(okpi_model { model }))) };
        Ok(())
    })
}

/// Writes the handle's document as JSON to `*out_json`, normalised as `okpi_validate` writes it (items sorted by
/// id) and with every check-in applied since: feed it to `okpi_model_new` to get the same model back.
///
/// # Safety
/// `model` must be NULL or a live handle; `out_json` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_document(
    model: *const okpi_model,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, _| {
        ops::answer(m, okpi::api::Call::Document(okpi::api::call::DocumentCall::new()))
    })
}

/// Runs one call of the call layer on a model: `call_json` is the JSON form of a call, `{"op": "<name>", …}`,
/// whose every op and field the JSON Schema `schema/okpi.schema.json` lists (`"$defs"/"Call"`): evaluate,
/// explain, check_ins, query, query_units, score, scorecards, alerts, alert_series, diagnose, strategy_view,
/// advise, filter, document (README "0.2 call layer"). Most take an optional `"viewer"`: the answer, or the
/// error, is then filtered for them. On success writes the answer's JSON (the same JSON the matching entry point
/// writes) to `*out_json`. The call is read under the handle's limits; a malformed one is
/// `OKPI_PARSE_ERROR` with the JSON path inside the call (`$.settings.overshoot`), a bad date, op, kind, viewer
/// or id `OKPI_INVALID_ARGUMENT`, and `apply_check_in`, which changes the model, is refused here
/// (`OKPI_INVALID_ARGUMENT`: use `okpi_model_apply_check_in`).
///
/// # Safety
/// `model` must be NULL or a live handle; `call_json` NULL or NUL-terminated; `out_json` NULL or valid for a
/// write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_call(
    model: *const okpi_model,
    call_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, limits| {
        let text = strings::json_input(call_json, "call_json", "$")?;
        let c = okpi::api::read_call(text, limits)?;
        ops::answer(m, c)
    })
}

/// Evaluates a model as of `as_of` with `settings_json` (NULL for the defaults), as `okpi_evaluate` does; writes
/// the JSON to `*out_json`.
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
    json_call(model, out_json, |m, limits| {
        ops::evaluate(m, as_of, settings_json, limits)
    })
}

/// `okpi_kpi` on a model: `kind` and `request_json` as there.
///
/// # Safety
/// `model` must be NULL or a live handle; strings NULL or NUL-terminated; `out_json` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_kpi(
    model: *const okpi_model,
    kind: *const c_char,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, limits| {
        ops::kpi(m, kind, request_json, limits)
    })
}

/// `okpi_alerts` on a model: every alert rule over `from..=to` from the stored `states_json` (NULL: fresh).
///
/// # Safety
/// `model` must be NULL or a live handle; strings NULL or NUL-terminated; `out_json` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_alerts(
    model: *const okpi_model,
    from: *const c_char,
    to: *const c_char,
    states_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, limits| {
        ops::alerts(m, from, to, states_json, limits)
    })
}

/// `okpi_diagnose` on a model.
///
/// # Safety
/// `model` must be NULL or a live handle; strings NULL or NUL-terminated; `out_json` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_diagnose(
    model: *const okpi_model,
    as_of: *const c_char,
    settings_json: *const c_char,
    diagnose_settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, limits| {
        ops::diagnose(m, as_of, settings_json, diagnose_settings_json, limits)
    })
}

/// `okpi_strategy_view` on a model.
///
/// # Safety
/// `model` must be NULL or a live handle; strings NULL or NUL-terminated; `out_json` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_strategy_view(
    model: *const okpi_model,
    as_of: *const c_char,
    settings_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, limits| {
        ops::strategy_view(m, as_of, settings_json, limits)
    })
}

/// `okpi_filter` on a model: filters `report_json` (of kind `kind`, as there) for the viewer of `viewer_json`,
/// resolved against the model's people and org units.
///
/// # Safety
/// `model` must be NULL or a live handle; strings NULL or NUL-terminated; `out_json` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_filter(
    model: *const okpi_model,
    kind: *const c_char,
    report_json: *const c_char,
    viewer_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    json_call(model, out_json, |m, limits| {
        ops::filter(kind, report_json, viewer_json, limits, |r| {
            okpi::access::View::new(m, &r.viewer(), &r.settings)
        })
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
    run(|| {
        // SAFETY: the caller passes NULL or a live, exclusively used handle; NULL is refused here.
        let m = unsafe { model.as_mut() }.ok_or_else(|| boundary::null("model"))?;
        let text = strings::json_input(check_in_json, "check_in_json", "$.check_in")?;
        let check_in = ops::parse(text, "$.check_in", m.model.limits())?;
        let c = okpi::api::Call::ApplyCheckIn(okpi::api::call::ApplyCheckIn::new(check_in));
        okpi::api::call_mut(&mut m.model, c)?;
        Ok(())
    })
}

/// Frees a model handle; NULL is ignored. The last error is left alone, and it is safe at any point of a thread's
/// or the process's life (in an `atexit` handler, a pthread key destructor, a C++ global destructor).
///
/// # Safety
/// `model` must be NULL or a handle from `okpi_model_new` not freed before.
#[no_mangle]
pub unsafe extern "C" fn okpi_model_free(model: *mut okpi_model) {
    if !model.is_null() {
        // SAFETY: the caller hands back a handle made by Box::into_raw in okpi_model_new, once.
        release(|| drop(unsafe { Box::from_raw(model) }));
    }
}
