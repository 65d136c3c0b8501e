//! Result codes. Numbers are part of the ABI: never renumbered, never reused.

use std::ffi::c_char;

/// What an okpi call did. `OKPI_OK` is success; the rest say why it failed.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum okpi_result {
    /// Success; outputs were written.
    OKPI_OK = 0,
    /// A required pointer argument was NULL.
    OKPI_NULL_ARGUMENT = 1,
    /// A string argument was not valid UTF-8.
    OKPI_INVALID_UTF8 = 2,
    /// The JSON could not be read (syntax, types, unknown fields).
    OKPI_PARSE_ERROR = 3,
    /// The document breaks a rule of validation; the error message lists every problem.
    OKPI_INVALID_DOCUMENT = 4,
    /// A setting is out of range.
    OKPI_INVALID_SETTINGS = 5,
    /// A plain argument (such as a date) is malformed.
    OKPI_INVALID_ARGUMENT = 6,
    /// okpi panicked; the panic was caught at the boundary. Please report it.
    OKPI_PANIC = 7,
    /// An internal error that should not happen (a result could not be serialised).
    OKPI_INTERNAL = 8,
    /// An input exceeds one of the limits (`okpi_set_limits`): the problem `E_LIMIT` names the limit, its value
    /// and the JSON path where it was crossed.
    OKPI_LIMIT = 9,
}

impl From<&okpi::Error> for okpi_result {
    fn from(e: &okpi::Error) -> Self {
        okpi_result::from(e.kind())
    }
}

impl From<okpi::ErrorKind> for okpi_result {
    fn from(kind: okpi::ErrorKind) -> Self {
        use okpi::ErrorKind;
        match kind {
            ErrorKind::Parse => okpi_result::OKPI_PARSE_ERROR,
            ErrorKind::Settings => okpi_result::OKPI_INVALID_SETTINGS,
            ErrorKind::Argument => okpi_result::OKPI_INVALID_ARGUMENT,
            ErrorKind::Limit => okpi_result::OKPI_LIMIT,
            // `ErrorKind` may grow: anything else is a document the call could not use.
            _ => okpi_result::OKPI_INVALID_DOCUMENT,
        }
    }
}

/// Every result with its name, in number order: the one list `okpi_result_name` and the C-layer problems read.
const NAMES: [(okpi_result, &str); 10] = [
    (okpi_result::OKPI_OK, "OKPI_OK\0"),
    (okpi_result::OKPI_NULL_ARGUMENT, "OKPI_NULL_ARGUMENT\0"),
    (okpi_result::OKPI_INVALID_UTF8, "OKPI_INVALID_UTF8\0"),
    (okpi_result::OKPI_PARSE_ERROR, "OKPI_PARSE_ERROR\0"),
    (okpi_result::OKPI_INVALID_DOCUMENT, "OKPI_INVALID_DOCUMENT\0"),
    (okpi_result::OKPI_INVALID_SETTINGS, "OKPI_INVALID_SETTINGS\0"),
    (okpi_result::OKPI_INVALID_ARGUMENT, "OKPI_INVALID_ARGUMENT\0"),
    (okpi_result::OKPI_PANIC, "OKPI_PANIC\0"),
    (okpi_result::OKPI_INTERNAL, "OKPI_INTERNAL\0"),
    (okpi_result::OKPI_LIMIT, "OKPI_LIMIT\0"),
];

/// The name given to a number no result has.
const UNKNOWN: &str = "OKPI_UNKNOWN_RESULT\0";

impl okpi_result {
    /// The result's name, as the header spells it (`"OKPI_NULL_ARGUMENT"`).
    pub(crate) fn name(self) -> &'static str {
        let with_nul = NAMES.iter().find(|(r, _)| *r == self).map_or(UNKNOWN, |(_, n)| n);
        with_nul.trim_end_matches('\0')
    }
}

/// The name of a result code as the header spells it (`okpi_result_name(1)` is `"OKPI_NULL_ARGUMENT"`), for logs;
/// a number no result has gives `"OKPI_UNKNOWN_RESULT"`. A static string, never NULL, never freed; the last error
/// is left alone. The argument is a plain integer so that any number, known or not, may be passed.
#[no_mangle]
pub extern "C" fn okpi_result_name(code: u32) -> *const c_char {
    NAMES
        .iter()
        .find(|(r, _)| *r as u32 == code)
        .map_or(UNKNOWN, |(_, n)| n)
        .as_ptr()
        .cast()
}
