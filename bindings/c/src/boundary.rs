//! The one panic boundary every entry point goes through, and the per-thread last error.

use crate::result::okpi_result;
use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static LAST_ERROR: RefCell<LastError> = const { RefCell::new(LastError { message: String::new(), json: String::new() }) };
}

/// The calling thread's last error, as text and as a JSON array of problems.
struct LastError {
    message: String,
    json: String,
}

/// A failure: its result code, its message and its problems (code, path, id, message).
pub(crate) struct Failure {
    code: okpi_result,
    message: String,
    problems: Vec<okpi::Problem>,
}

/// What the body of an entry point returns.
pub(crate) type Outcome<T> = Result<T, Failure>;

/// A failure of the C layer itself (not of a document).
pub(crate) fn fail(code: okpi_result, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
        problems: Vec::new(),
    }
}

impl Failure {
    /// The message.
    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// The same failure reported with another result code.
    pub(crate) fn with_code(self, code: okpi_result) -> Failure {
        Failure { code, ..self }
    }

    /// The problems as a JSON array; a C-layer failure is one problem named by its result code.
    fn json(&self) -> String {
        let problems = if self.problems.is_empty() {
            serde_json::json!([{ "code": self.code.name(), "path": "", "message": self.message }])
        } else {
            serde_json::to_value(&self.problems).unwrap_or(serde_json::Value::Null)
        };
        problems.to_string()
    }
}

pub(crate) fn null(name: &str) -> Failure {
    fail(
        okpi_result::OKPI_NULL_ARGUMENT,
        format!("argument {name} is NULL"),
    )
}

impl From<okpi::Error> for Failure {
    fn from(e: okpi::Error) -> Self {
        let message = e
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        Failure {
            code: okpi_result::from(&e),
            message,
            problems: e.problems().to_vec(),
        }
    }
}

/// An okpi error about a plain argument (such as the viewer), with its problems: `OKPI_INVALID_ARGUMENT`.
pub(crate) fn argument(e: okpi::Error) -> Failure {
    Failure {
        code: okpi_result::OKPI_INVALID_ARGUMENT,
        ..Failure::from(e)
    }
}

/// A non-null output pointer named `name` as the header names it, or `OKPI_NULL_ARGUMENT`.
pub(crate) fn out_ptr<T>(p: *mut T, name: &str) -> Outcome<*mut T> {
    if p.is_null() {
        Err(null(name))
    } else {
        Ok(p)
    }
}

/// Runs an entry point's body: a panic becomes `OKPI_PANIC`, an error is stored as the thread's last error.
///
/// Everything, the last error's update included, happens inside `catch_unwind`, and the thread-local is reached
/// with `try_with`: after the thread's locals are destroyed (a call from an `atexit` handler, a pthread key
/// destructor or a C++ global destructor) the call still runs and returns its code, it just keeps no last error.
pub(crate) fn run(body: impl FnOnce() -> Outcome<()>) -> okpi_result {
    catch_unwind(AssertUnwindSafe(|| {
        let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
            Err(fail(
                okpi_result::OKPI_PANIC,
                "okpi panicked; this is a bug, please report it",
            ))
        });
        match outcome {
            Ok(()) => {
                set_last_error(String::new(), String::new());
                okpi_result::OKPI_OK
            }
            Err(f) => {
                let json = f.json();
                set_last_error(f.message, json);
                f.code
            }
        }
    }))
    .unwrap_or(okpi_result::OKPI_PANIC)
}

/// Runs the body of a freeing function: a panic is swallowed, and the last error is left alone, so that
/// `r = call(); okpi_model_free(m); report(r)` still reports the call.
pub(crate) fn release(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
}

/// Replaces the calling thread's last error; a no-op once the thread's locals are gone (or while borrowed).
fn set_last_error(message: String, json: String) {
    let _ = LAST_ERROR.try_with(|e| {
        if let Ok(mut e) = e.try_borrow_mut() {
            *e = LastError { message, json };
        }
    });
}

/// A copy of the calling thread's last error (message, problems JSON); empty once the thread's locals are gone.
fn last_error() -> (String, String) {
    LAST_ERROR
        .try_with(|e| {
            e.try_borrow()
                .map(|e| (e.message.clone(), e.json.clone()))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Copies the calling thread's last error message into `buf` (at most `len` bytes including the NUL; a longer
/// message is cut at a UTF-8 boundary) and writes the full message length, without NUL, to `*out_len` when it is
/// not NULL. With no error the message is empty. As with `snprintf`, `buf` may be NULL when `len` is 0: then only
/// the length is written, so `okpi_error_message(NULL, 0, &n)` sizes a buffer of `n + 1` bytes. A NULL `buf`
/// with `len` > 0 is `OKPI_NULL_ARGUMENT`. This call does not change the last error.
///
/// # Safety
/// `buf` must be NULL or valid for `len` bytes; `out_len` NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_error_message(
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> okpi_result {
    if buf.is_null() && len > 0 {
        return okpi_result::OKPI_NULL_ARGUMENT;
    }
    let result = catch_unwind(|| {
        let (msg, _) = last_error();
        let mut n = msg.len().min(len.saturating_sub(1));
        while n > 0 && !msg.is_char_boundary(n) {
            n -= 1;
        }
        if len > 0 {
            // SAFETY: the caller promised `buf` holds `len` bytes; we write n + 1 ≤ len of them.
            unsafe {
                std::ptr::copy_nonoverlapping(msg.as_ptr().cast::<c_char>(), buf, n);
                buf.add(n).write(0);
            }
        }
        if !out_len.is_null() {
            // SAFETY: non-null and promised valid for a write.
            unsafe { out_len.write(msg.len()) };
        }
    });
    match result {
        Ok(()) => okpi_result::OKPI_OK,
        Err(_) => okpi_result::OKPI_PANIC,
    }
}

/// Writes the calling thread's last error as a JSON array of problems to `*out_json` (free it with
/// `okpi_string_free`): `[{"code": "E_UNKNOWN_ID", "path": "$.key_results[0].objective", "id": "k", "message": …}]`.
/// Failures of the C layer itself carry the result's name as code (`"OKPI_NULL_ARGUMENT"`) and an empty path.
/// With no error it writes `[]`. This call does not change the last error.
///
/// # Safety
/// `out_json` must be NULL or valid for a write.
#[no_mangle]
pub unsafe extern "C" fn okpi_last_error_json(out_json: *mut *mut c_char) -> okpi_result {
    if out_json.is_null() {
        return okpi_result::OKPI_NULL_ARGUMENT;
    }
    let result = catch_unwind(|| {
        let (_, json) = last_error();
        let text = if json.is_empty() { String::from("[]") } else { json };
        crate::strings::write(out_json, &text)
    });
    match result {
        Ok(Ok(())) => okpi_result::OKPI_OK,
        Ok(Err(_)) => okpi_result::OKPI_INTERNAL,
        Err(_) => okpi_result::OKPI_PANIC,
    }
}
