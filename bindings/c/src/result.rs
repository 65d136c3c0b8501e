//! Result codes. Numbers are part of the ABI: never renumbered, never reused.

use okpi::Code;

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
        match e {
            e if e.problems().iter().any(|p| p.code == Code::E_LIMIT) => okpi_result::OKPI_LIMIT,
            okpi::Error::Parse(_) => okpi_result::OKPI_PARSE_ERROR,
            e if e.problems().iter().all(|p| p.code == Code::E_SETTINGS) => {
                okpi_result::OKPI_INVALID_SETTINGS
            }
            _ => okpi_result::OKPI_INVALID_DOCUMENT,
        }
    }
}
