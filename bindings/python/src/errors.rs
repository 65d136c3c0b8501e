//! Errors raised to Python: an okpi error tagged with the `okpi._errors` class it becomes, and the GIL-free runner
//! that raises it.

use okpi::{Code, Error, Problem};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Which Python exception class an error becomes.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Parse,
    Validation,
    Settings,
    Expression,
    Limit,
}

impl Kind {
    pub(crate) fn class_name(self) -> &'static str {
        match self {
            Kind::Parse => "ParseError",
            Kind::Validation => "ValidationError",
            Kind::Settings => "SettingsError",
            Kind::Expression => "ExpressionError",
            Kind::Limit => "LimitError",
        }
    }
}

/// An okpi error tagged with the kind it is raised as.
pub(crate) struct Failure {
    kind: Kind,
    error: Error,
}

impl From<Error> for Failure {
    /// okpi's error kinds as Python's exception classes: a malformed argument (a date, an op, a quantity) is a
    /// `ParseError`, an unknown id (a key result, the viewer) a `ValidationError`, and an invalid input whose every
    /// problem is `E_EXPRESSION` an `ExpressionError` (a subclass of `ValidationError`).
    fn from(error: Error) -> Self {
        use okpi::ErrorKind;
        let all = |code| !error.problems().is_empty() && error.problems().iter().all(|p| p.code == code);
        let kind = match error.kind() {
            ErrorKind::Limit => Kind::Limit,
            ErrorKind::Argument if error.problems().iter().any(|p| p.code == Code::E_UNKNOWN_ID) => {
                Kind::Validation
            }
            ErrorKind::Argument | ErrorKind::Parse => Kind::Parse,
            ErrorKind::Settings => Kind::Settings,
            _ if all(Code::E_EXPRESSION) => Kind::Expression,
            _ => Kind::Validation,
        };
        Failure { kind, error }
    }
}

impl Failure {
    /// A failure of settings (or limits) JSON: `SettingsError`, unless the text itself broke a limit.
    pub(crate) fn settings(error: Error) -> Self {
        if error.problems().iter().any(|p| p.code == Code::E_LIMIT) {
            return Failure::from(error);
        }
        Failure {
            kind: Kind::Settings,
            error,
        }
    }

    pub(crate) fn one(kind: Kind, code: Code, path: &str, message: String) -> Self {
        let p = Problem::new(code, path, None, message);
        let error = match kind {
            Kind::Parse => Error::parse(p),
            Kind::Validation | Kind::Settings | Kind::Expression | Kind::Limit => Error::invalid(vec![p]),
        };
        Failure { kind, error }
    }

    /// Builds the Python exception: `okpi._errors.<Kind>(message, [(code, path, message, id), ...])`.
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let message = self.error.to_string();
        let build = || -> PyResult<PyErr> {
            let problems: Vec<(String, String, String, Option<String>)> = self
                .error
                .problems()
                .iter()
                .map(|p| {
                    (
                        p.code.as_str().to_owned(),
                        p.path.clone(),
                        p.message.clone(),
                        p.id.clone(),
                    )
                })
                .collect();
            let class = py.import("okpi._errors")?.getattr(self.kind.class_name())?;
            let exc = class.call1((message.clone(), problems))?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| {
            // The front package is missing (the native module imported on its own): still a ValueError.
            PyValueError::new_err(format!("{message} (okpi._errors unavailable: {e})"))
        })
    }
}

pub(crate) type Outcome<T> = Result<T, Failure>;

/// Runs `f` without the GIL and raises its failure as the matching okpi exception.
pub(crate) fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> Outcome<T> + Send) -> PyResult<T> {
    py.detach(f).map_err(|e| e.into_pyerr(py))
}
