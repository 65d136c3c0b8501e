//! C strings in and out.

use crate::boundary::{fail, null, Failure, Outcome};
use crate::result::okpi_result;
use std::ffi::{c_char, CStr, CString};

/// A required NUL-terminated JSON argument whose paths start at `root`: text that is not UTF-8 is
/// `OKPI_INVALID_UTF8` with the problem `E_PARSE` at `root`, like any other JSON that cannot be read.
pub(crate) fn json_input<'a>(p: *const c_char, name: &str, root: &str) -> Outcome<&'a str> {
    json_optional(p, name, root)?.ok_or_else(|| null(name))
}

/// An optional NUL-terminated JSON argument (NULL = absent); see [`json_input`].
pub(crate) fn json_optional<'a>(p: *const c_char, name: &str, root: &str) -> Outcome<Option<&'a str>> {
    let Some(bytes) = optional_bytes(p) else {
        return Ok(None);
    };
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        let message = format!("argument {name} is not valid UTF-8 (byte {})", e.valid_up_to());
        let problem = okpi::Problem::new(okpi::Code::E_PARSE, root, None, message);
        Failure::from(okpi::Error::parse(problem)).with_code(okpi_result::OKPI_INVALID_UTF8)
    })
}

/// The bytes of an optional NUL-terminated argument, without its NUL (NULL = absent).
pub(crate) fn optional_bytes<'a>(p: *const c_char) -> Option<&'a [u8]> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-null, and the caller promised a NUL-terminated string that outlives the call.
    Some(unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// A required NUL-terminated plain argument (a date, a kind): text that is not UTF-8 is `OKPI_INVALID_UTF8` with
/// the problem `E_PARSE` at `$.<name>`, where a malformed value of it is reported too.
pub(crate) fn input<'a>(p: *const c_char, name: &str) -> Outcome<&'a str> {
    json_input(p, name, &format!("$.{name}"))
}

/// Hands a new string to the caller through `out` (freed with `okpi_string_free`).
pub(crate) fn write(out: *mut *mut c_char, text: &str) -> Outcome<()> {
    let s = CString::new(text).map_err(|_| fail(okpi_result::OKPI_INTERNAL, "result contains a NUL byte"))?;
    // SAFETY: `out` was checked non-null by the caller of this function and is promised valid for a write.
    unsafe { out.write(s.into_raw()) };
    Ok(())
}

/// Frees a string okpi returned; NULL is ignored. The last error is left alone, and it is safe at any point of a
/// thread's or the process's life (in an `atexit` handler, a thread-local destructor).
///
/// # Safety
/// `s` must be NULL or a string returned by okpi and not freed before.
#[no_mangle]
pub unsafe extern "C" fn okpi_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the string was made by CString::into_raw in `write` and is handed back once.
        crate::boundary::release(|| drop(unsafe { CString::from_raw(s) }));
    }
}
