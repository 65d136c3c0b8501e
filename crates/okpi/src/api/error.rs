//! The call layer's error: the core's problems plus the one classification every binding maps to its own
//! convention (a C result code, a Python exception class).

use crate::error::{Code, Problem};
use serde::Serialize;

/// Why a call failed, in the words every binding uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// JSON that could not be read (syntax, types, unknown fields).
    Parse,
    /// The document, or an item the call adds to it, breaks a rule of validation.
    Invalid,
    /// A setting is out of range.
    Settings,
    /// A plain argument of the call (a date, an `op`, a `kind`, the viewer, an id) is malformed or unknown.
    Argument,
    /// An input exceeds one of the [`crate::Limits`].
    Limit,
}

/// A failed call: its kind and every problem (code, JSON path, id, message).
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    error: crate::Error,
}

impl Error {
    /// Classifies a core error as the bindings always have: a crossed limit is `Limit`, else unreadable JSON is
    /// `Parse`, problems all of `E_SETTINGS` are `Settings`, the rest `Invalid`.
    pub fn from_core(error: crate::Error) -> Self {
        let problems = error.problems();
        let kind = if problems.iter().any(|p| p.code == Code::E_LIMIT) {
            ErrorKind::Limit
        } else if matches!(error, crate::Error::Parse(_)) {
            ErrorKind::Parse
        } else if !problems.is_empty() && problems.iter().all(|p| p.code == Code::E_SETTINGS) {
            ErrorKind::Settings
        } else {
            ErrorKind::Invalid
        };
        Error { kind, error }
    }

    /// A core error about a plain argument: `Argument` (a crossed limit stays `Limit`).
    pub fn argument(error: crate::Error) -> Self {
        let e = Error::from_core(error);
        if e.kind == ErrorKind::Limit {
            return e;
        }
        Error {
            kind: ErrorKind::Argument,
            ..e
        }
    }

    /// One problem about the plain argument at `path`.
    pub(crate) fn bad_argument(code: Code, path: &str, message: String) -> Self {
        let p = Problem::new(code, path, None, message);
        let error = if code == Code::E_PARSE {
            crate::Error::Parse(p)
        } else {
            crate::Error::Invalid(vec![p])
        };
        Error {
            kind: ErrorKind::Argument,
            error,
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Every problem.
    pub fn problems(&self) -> &[Problem] {
        self.error.problems()
    }

    /// The core error.
    pub fn into_core(self) -> crate::Error {
        self.error
    }

    /// The same error with its problems filtered for a viewer.
    pub(crate) fn map_core(self, f: impl FnOnce(crate::Error) -> crate::Error) -> Self {
        Error {
            kind: self.kind,
            error: f(self.error),
        }
    }

    /// The JSON form: `{"error": {"kind", "message", "problems": [{"code", "path", "id", "message"}]}}`.
    pub fn to_json(&self) -> String {
        let body = serde_json::json!({
            "error": {
                "kind": self.kind,
                "message": self.error.to_string(),
                "problems": self.problems(),
            }
        });
        body.to_string()
    }
}

impl From<crate::Error> for Error {
    fn from(e: crate::Error) -> Self {
        Error::from_core(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for Error {}
