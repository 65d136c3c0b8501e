//! The limits every entry point applies to its inputs: one process-wide setting, defaults until a host sets it.

use crate::boundary::{run, Outcome};
use crate::result::okpi_result;
use crate::strings;
use std::ffi::c_char;
use std::sync::RwLock;

/// The limits in force; `None` means the defaults.
static LIMITS: RwLock<Option<okpi::Limits>> = RwLock::new(None);

/// The limits in force now. A call reads them once, when it starts.
pub(crate) fn current() -> okpi::Limits {
    let guard = LIMITS.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    guard.clone().unwrap_or_default()
}

/// Sets the limits that every later call applies to its inputs, for the whole process: `limits_json` as
/// `{"document_bytes": …, "json_depth": …, "text_bytes": …, "expression_length": …, "expression_depth": …,
/// "objectives": …, "alignment_depth": …, "series_length": …, "alert_lookback": …}`, a missing field taking its
/// default; NULL restores every default. Limits out of range are `OKPI_INVALID_SETTINGS` (paths under
/// `$.limits`) and leave the limits in force unchanged. Calls already running keep the limits they started
/// with.
///
/// # Safety
/// `limits_json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn okpi_set_limits(limits_json: *const c_char) -> okpi_result {
    run(|| {
        let limits = match strings::json_optional(limits_json, "limits_json", "$.limits")? {
            Some(text) => Some(okpi::Limits::from_json(text)?),
            None => None,
        };
        *LIMITS.write().unwrap_or_else(std::sync::PoisonError::into_inner) = limits;
        Ok(())
    })
}

/// Writes the limits in force, every field included, as JSON to `*out_json` (free it with `okpi_string_free`).
///
/// # Safety
/// `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_limits(out_json: *mut *mut c_char) -> okpi_result {
    run(|| -> Outcome<()> {
        let out = crate::boundary::out_ptr(out_json, "out_json")?;
        strings::write(out, &crate::to_json(&current())?)
    })
}
