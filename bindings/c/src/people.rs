//! Calls that return people's data and take a viewer themselves (DOMAIN.md §9: every call that returns people's
//! data takes a viewer); reports the other calls return are filtered with `okpi_filter`.

use crate::boundary;
use crate::ops::{date, model, quiet_document, to_json};
use crate::{limits, okpi_result, strings};
use std::ffi::c_char;

/// The check-ins of key result `key_result` up to `as_of` ("YYYY-MM-DD"), as a JSON list: the ones entered, or
/// for a key result linked to a KPI metric the ones derived from observations (`derived`, with the metric and its
/// version). With `viewer_json` (`{"person", "roles", "settings"}`; NULL: none), a key result the viewer may not see
/// is unknown, as one that does not exist: `OKPI_INVALID_DOCUMENT` with `E_UNKNOWN_ID` at `$.key_result`. An
/// unknown viewer is `OKPI_INVALID_ARGUMENT`.
///
/// # Safety
/// String arguments must be NULL or NUL-terminated; `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_check_ins(
    doc_json: *const c_char,
    as_of: *const c_char,
    key_result: *const c_char,
    viewer_json: *const c_char,
    out_json: *mut *mut c_char,
) -> okpi_result {
    boundary::run(|| {
        let out = boundary::out_ptr(out_json, "out_json")?;
        let limits = limits::current();
        let viewer = strings::json_optional(viewer_json, "viewer_json", "$.viewer")?;
        let model = match viewer {
            None => model(doc_json, &limits)?,
            // With a viewer, a parse error quotes no document text.
            Some(_) => okpi::Model::new_with_limits(quiet_document(doc_json, &limits)?, &limits)?,
        };
        let request = viewer.map(okpi::access::ViewRequest::from_json).transpose()?;
        let view = request
            .as_ref()
            .map(|r| okpi::access::View::new(&model, &r.viewer(), &r.settings))
            .transpose()
            .map_err(boundary::argument)?;
        let day = date(as_of, "as_of")?;
        let id = strings::input(key_result, "key_result")?;
        let unknown = || {
            okpi::Error::invalid(vec![okpi::Problem::new(
                okpi::Code::E_UNKNOWN_ID,
                "$.key_result",
                None,
                "no key result has this id",
            )])
        };
        if view.as_ref().is_some_and(|v| !v.sees_key_result(id)) {
            return Err(unknown().into());
        }
        let list = model.check_ins(id, day).ok_or_else(unknown)?;
        let list = match &view {
            Some(v) => v.apply(list),
            None => list,
        };
        strings::write(out, &to_json(&list)?)
    })
}
