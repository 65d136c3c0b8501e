//! Typed errors with stable codes. Every problem names the offending id (when there is one) and its JSON path.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable machine codes. They are part of the public API: never renamed, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
#[allow(non_camel_case_types)]
pub enum Code {
    /// The input is not well-formed JSON, or a field has the wrong type or an unknown name.
    E_PARSE,
    /// `schema_version` is not one this build understands.
    E_SCHEMA_VERSION,
    /// Two items of one kind share an id.
    E_DUPLICATE_ID,
    /// A reference names an id that does not exist.
    E_UNKNOWN_ID,
    /// A field this kind of item needs is missing.
    E_MISSING_FIELD,
    /// A field is present that this kind of item does not use.
    E_FIELD_NOT_ALLOWED,
    /// A number is NaN or infinite.
    E_NOT_FINITE,
    /// A key result's start equals its target.
    E_START_EQUALS_TARGET,
    /// An `increase` target is not above its start, or a `decrease` target not below it.
    E_DIRECTION,
    /// A weight is negative.
    E_NEGATIVE_WEIGHT,
    /// Every weight among an objective's sources (or a checklist's steps) is zero.
    E_ALL_ZERO_WEIGHTS,
    /// A confidence is outside 0–10.
    E_CONFIDENCE_RANGE,
    /// A date lies outside the cycle it belongs to.
    E_DATE_OUTSIDE_CYCLE,
    /// A cycle ends before it starts, or lies outside its parent.
    E_CYCLE_DATES,
    /// The alignment graph (or the org or cycle tree) has a cycle; the message names its path.
    E_CYCLE,
    /// A `linked` key result points at its own objective or one of its ancestors.
    E_LINKED_ANCESTOR,
    /// `by_value` roll-up asked for on key results of mixed kinds or units.
    E_BY_VALUE_MIXED,
    /// A value is out of its allowed range or set.
    E_INVALID_VALUE,
    /// A definition version has no reason or repeats an effective date.
    E_VERSION,
    /// A check-in was given for a key result that takes no manual check-ins.
    E_CHECK_IN_REFUSED,
    /// An evaluation setting is out of range.
    E_SETTINGS,
    /// An alert rule breaks a rule of DOMAIN.md §7 (a count out of range, a recovery threshold on the
    /// breaching side, a warning threshold beyond the critical one, …).
    E_ALERT_RULE,
    /// A derived metric's expression does not parse; the message names the column.
    E_EXPRESSION,
    /// Weights (of a scorecard, or shares of a distribution) do not sum to 100.
    E_WEIGHTS_SUM,
    /// A target was changed after its lock without a reason.
    E_TARGET_LOCKED,
    /// Two observations from one source share measure, date and dims.
    E_DUPLICATE_OBSERVATION,
    /// A target ≤ 0 with a ratio achievement formula (use `threshold_target_stretch`).
    E_TARGET_NOT_POSITIVE,
    /// An objective is aligned to a private objective of another owner (DOMAIN.md §9: private objectives cannot
    /// be aligned to by others).
    E_PRIVATE_ALIGNMENT,
    /// An input exceeds one of the [`crate::Limits`]; the message names the limit, its value and what exceeded it.
    E_LIMIT,
}

impl Code {
    /// Every code, in the order they were added (bindings publish this list).
    pub const ALL: &'static [Code] = &[
        Code::E_PARSE,
        Code::E_SCHEMA_VERSION,
        Code::E_DUPLICATE_ID,
        Code::E_UNKNOWN_ID,
        Code::E_MISSING_FIELD,
        Code::E_FIELD_NOT_ALLOWED,
        Code::E_NOT_FINITE,
        Code::E_START_EQUALS_TARGET,
        Code::E_DIRECTION,
        Code::E_NEGATIVE_WEIGHT,
        Code::E_ALL_ZERO_WEIGHTS,
        Code::E_CONFIDENCE_RANGE,
        Code::E_DATE_OUTSIDE_CYCLE,
        Code::E_CYCLE_DATES,
        Code::E_CYCLE,
        Code::E_LINKED_ANCESTOR,
        Code::E_BY_VALUE_MIXED,
        Code::E_INVALID_VALUE,
        Code::E_VERSION,
        Code::E_CHECK_IN_REFUSED,
        Code::E_SETTINGS,
        Code::E_ALERT_RULE,
        Code::E_EXPRESSION,
        Code::E_WEIGHTS_SUM,
        Code::E_TARGET_LOCKED,
        Code::E_DUPLICATE_OBSERVATION,
        Code::E_TARGET_NOT_POSITIVE,
        Code::E_PRIVATE_ALIGNMENT,
        Code::E_LIMIT,
    ];

    /// The code as text, e.g. `"E_UNKNOWN_ID"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::E_PARSE => "E_PARSE",
            Code::E_SCHEMA_VERSION => "E_SCHEMA_VERSION",
            Code::E_DUPLICATE_ID => "E_DUPLICATE_ID",
            Code::E_UNKNOWN_ID => "E_UNKNOWN_ID",
            Code::E_MISSING_FIELD => "E_MISSING_FIELD",
            Code::E_FIELD_NOT_ALLOWED => "E_FIELD_NOT_ALLOWED",
            Code::E_NOT_FINITE => "E_NOT_FINITE",
            Code::E_START_EQUALS_TARGET => "E_START_EQUALS_TARGET",
            Code::E_DIRECTION => "E_DIRECTION",
            Code::E_NEGATIVE_WEIGHT => "E_NEGATIVE_WEIGHT",
            Code::E_ALL_ZERO_WEIGHTS => "E_ALL_ZERO_WEIGHTS",
            Code::E_CONFIDENCE_RANGE => "E_CONFIDENCE_RANGE",
            Code::E_DATE_OUTSIDE_CYCLE => "E_DATE_OUTSIDE_CYCLE",
            Code::E_CYCLE_DATES => "E_CYCLE_DATES",
            Code::E_CYCLE => "E_CYCLE",
            Code::E_LINKED_ANCESTOR => "E_LINKED_ANCESTOR",
            Code::E_BY_VALUE_MIXED => "E_BY_VALUE_MIXED",
            Code::E_INVALID_VALUE => "E_INVALID_VALUE",
            Code::E_VERSION => "E_VERSION",
            Code::E_CHECK_IN_REFUSED => "E_CHECK_IN_REFUSED",
            Code::E_SETTINGS => "E_SETTINGS",
            Code::E_ALERT_RULE => "E_ALERT_RULE",
            Code::E_EXPRESSION => "E_EXPRESSION",
            Code::E_WEIGHTS_SUM => "E_WEIGHTS_SUM",
            Code::E_TARGET_LOCKED => "E_TARGET_LOCKED",
            Code::E_DUPLICATE_OBSERVATION => "E_DUPLICATE_OBSERVATION",
            Code::E_TARGET_NOT_POSITIVE => "E_TARGET_NOT_POSITIVE",
            Code::E_PRIVATE_ALIGNMENT => "E_PRIVATE_ALIGNMENT",
            Code::E_LIMIT => "E_LIMIT",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in an input: what (code), where (JSON path), which item (id) and why (message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Problem {
    /// Stable machine code.
    pub code: Code,
    /// JSON path of the offending value, e.g. `$.key_results[3].target`.
    pub path: String,
    /// Id of the item the problem is about, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Human-readable explanation naming the id and the values involved.
    pub message: String,
    /// The line (from 1) of the text where the offending value was written, when the problem was found while
    /// reading a text (see [`crate::text`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column (from 1, in characters) that goes with `line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Problem {
    /// A problem at `path` about item `id`.
    pub fn new(code: Code, path: impl Into<String>, id: Option<&str>, message: impl Into<String>) -> Self {
        Problem {
            code,
            path: path.into(),
            id: id.map(str::to_owned),
            message: message.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{} at {} ({}): {}", self.code, self.path, id, self.message)?,
            None => write!(f, "{} at {}: {}", self.code, self.path, self.message)?,
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line} column {column})")?;
        }
        Ok(())
    }
}

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

/// Everything that can go wrong in okpi: a kind and every problem found (code, JSON path, id, line and column,
/// message). Opaque, so that it can grow without breaking hosts.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    /// Written as its one problem (a text that could not be read) rather than as a count and the first.
    one: bool,
    problems: Vec<Problem>,
}

impl Error {
    /// The input could not be read (syntax, types, unknown fields): one problem, kind `Parse` (`Limit` for an
    /// `E_LIMIT` problem).
    pub fn parse(problem: Problem) -> Error {
        let kind = if problem.code == Code::E_LIMIT {
            ErrorKind::Limit
        } else {
            ErrorKind::Parse
        };
        Error {
            kind,
            one: true,
            problems: vec![problem],
        }
    }

    /// The input was read but breaks the rules; every problem found, in order. The kind is `Limit` when any
    /// problem is `E_LIMIT`, else `Settings` when all are `E_SETTINGS`, else `Invalid`.
    pub fn invalid(problems: Vec<Problem>) -> Error {
        let kind = if problems.iter().any(|p| p.code == Code::E_LIMIT) {
            ErrorKind::Limit
        } else if !problems.is_empty() && problems.iter().all(|p| p.code == Code::E_SETTINGS) {
            ErrorKind::Settings
        } else {
            ErrorKind::Invalid
        };
        Error {
            kind,
            one: false,
            problems,
        }
    }

    /// The same error about a plain argument of a call: kind `Argument` (a crossed limit stays `Limit`).
    pub(crate) fn argument(self) -> Error {
        if self.kind == ErrorKind::Limit {
            return self;
        }
        Error {
            kind: ErrorKind::Argument,
            ..self
        }
    }

    /// One problem about the plain argument at `path`: kind `Argument`.
    pub(crate) fn bad_argument(code: Code, path: &str, message: String) -> Error {
        let p = Problem::new(code, path, None, message);
        let error = if code == Code::E_PARSE {
            Error::parse(p)
        } else {
            Error::invalid(vec![p])
        };
        error.argument()
    }

    /// Whether this is an error of a text that could not be read (one problem), as [`Error::parse`] makes them.
    pub(crate) fn is_parse(&self) -> bool {
        self.one
    }

    /// The same error with its path moved under `root` when it is a text that could not be read; the problems
    /// of an invalid input (a crossed limit) keep their paths.
    pub(crate) fn parse_under(self, root: &str) -> Error {
        if self.one {
            self.under(root)
        } else {
            self
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code of the (first) problem.
    pub fn code(&self) -> Code {
        self.problems.first().map(|p| p.code).unwrap_or(Code::E_PARSE)
    }

    /// Every problem, in the order found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The same error with its problems replaced (the kind and the way it is written kept): for a viewer's
    /// filtering of what the problems disclose.
    pub(crate) fn map_problems(self, f: impl FnOnce(Vec<Problem>) -> Vec<Problem>) -> Error {
        Error {
            problems: f(self.problems),
            ..self
        }
    }

    /// The same error with every path moved under `root` (`$.a` becomes `$.settings.a` for root `$.settings`),
    /// for a JSON input that is one part of a larger request.
    ///
    /// ```
    /// let e = okpi::text::parse_json::<okpi::Settings>(r#"{"rollup": 3}"#).unwrap_err().under("$.settings");
    /// assert_eq!(e.problems()[0].path, "$.settings.rollup");
    /// ```
    pub fn under(self, root: &str) -> Error {
        self.map_problems(|ps| {
            ps.into_iter()
                .map(|mut p| {
                    p.path = p.path.replacen('$', root, 1);
                    p
                })
                .collect()
        })
    }

    /// The JSON form: `{"error": {"kind", "message", "problems": [{"code", "path", "id", "message"}]}}`.
    pub fn to_json(&self) -> String {
        let body = serde_json::json!({
            "error": {
                "kind": self.kind,
                "message": self.to_string(),
                "problems": self.problems,
            }
        });
        body.to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = self.problems.first().map(ToString::to_string).unwrap_or_default();
        if self.one {
            f.write_str(&first)
        } else {
            write!(
                f,
                "{} problem(s) in the document; first: {first}",
                self.problems.len()
            )
        }
    }
}

impl std::error::Error for Error {}

/// The error of a text's first problem: `Invalid` for a limit (as [`crate::limits`] reports them), else `Parse`.
pub(crate) fn first_of(mut problems: Vec<Problem>) -> Error {
    match problems.first() {
        Some(p) if p.code == Code::E_LIMIT => Error::invalid(problems),
        Some(_) => Error::parse(problems.swap_remove(0)),
        None => Error::parse(Problem::new(
            Code::E_PARSE,
            "$",
            None,
            "the text could not be read",
        )),
    }
}

/// Converts serde_path_to_error's `a.b[2].c` (`[0].c` under an array root, `.` for the root) into `$.a.b[2].c`
/// (`$[0].c`, `$`).
pub(crate) fn json_path(path: &str) -> String {
    if path == "." || path.is_empty() {
        String::from("$")
    } else if path.starts_with('[') {
        format!("${path}")
    } else {
        format!("$.{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::Code;
    use crate::text::parse_json;

    #[test]
    fn paths_name_array_roots_and_nested_fields() {
        let e = parse_json::<Vec<crate::model::Cycle>>(r#"[{"id": "q", "start": 5}]"#).unwrap_err();
        assert!(e.is_parse() && e.problems()[0].path == "$[0].start", "{e:?}");
        let e = parse_json::<crate::Document>(r#"{"schema_version": "one"}"#).unwrap_err();
        assert!(
            e.is_parse() && e.problems()[0].path == "$.schema_version",
            "{e:?}"
        );
    }

    /// A new variant fails to compile here until it is listed, which is the reminder to add it to `Code::ALL`.
    fn position(c: Code) -> usize {
        match c {
            Code::E_PARSE => 0,
            Code::E_SCHEMA_VERSION => 1,
            Code::E_DUPLICATE_ID => 2,
            Code::E_UNKNOWN_ID => 3,
            Code::E_MISSING_FIELD => 4,
            Code::E_FIELD_NOT_ALLOWED => 5,
            Code::E_NOT_FINITE => 6,
            Code::E_START_EQUALS_TARGET => 7,
            Code::E_DIRECTION => 8,
            Code::E_NEGATIVE_WEIGHT => 9,
            Code::E_ALL_ZERO_WEIGHTS => 10,
            Code::E_CONFIDENCE_RANGE => 11,
            Code::E_DATE_OUTSIDE_CYCLE => 12,
            Code::E_CYCLE_DATES => 13,
            Code::E_CYCLE => 14,
            Code::E_LINKED_ANCESTOR => 15,
            Code::E_BY_VALUE_MIXED => 16,
            Code::E_INVALID_VALUE => 17,
            Code::E_VERSION => 18,
            Code::E_CHECK_IN_REFUSED => 19,
            Code::E_SETTINGS => 20,
            Code::E_ALERT_RULE => 21,
            Code::E_EXPRESSION => 22,
            Code::E_WEIGHTS_SUM => 23,
            Code::E_TARGET_LOCKED => 24,
            Code::E_DUPLICATE_OBSERVATION => 25,
            Code::E_TARGET_NOT_POSITIVE => 26,
            Code::E_PRIVATE_ALIGNMENT => 27,
            Code::E_LIMIT => 28,
        }
    }

    #[test]
    fn all_lists_every_code_once_in_order() {
        for (i, c) in Code::ALL.iter().enumerate() {
            assert_eq!(position(*c), i, "{c}");
        }
        let mut texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        texts.dedup();
        assert_eq!(texts.len(), Code::ALL.len());
    }
}
