//! Filtering problems: validation errors and every other error a call returns.

use super::{Filter, View};
use crate::error::{Error, Problem};

/// The message of a problem about an item the viewer may not see: its code and path say what kind of problem
/// it is, and nothing else is kept (no id, value or date of the hidden item).
pub const HIDDEN_PROBLEM: &str = "a problem with an item you may not see";

impl Filter for Problem {
    /// Keeps the code and path; a problem whose id or message names an id the viewer may not see (an alignment
    /// `a→b` included) keeps nothing else: no id, and the message [`HIDDEN_PROBLEM`] (it could quote the hidden
    /// item's values or dates).
    fn filter(mut self, view: &View<'_>) -> Self {
        if self.id.as_deref().is_some_and(|id| view.hides(id)) || view.hides(&self.message) {
            self.id = None;
            self.message = HIDDEN_PROBLEM.to_owned();
        }
        self
    }
}

impl Filter for Vec<Problem> {
    /// Filters each problem; none is removed, so the count and the paths stay as they were.
    fn filter(self, view: &View<'_>) -> Self {
        self.into_iter().map(|p| p.filter(view)).collect()
    }
}

impl Filter for Error {
    /// Filters every problem of the error.
    fn filter(self, view: &View<'_>) -> Self {
        self.map_problems(|ps| ps.filter(view))
    }
}

/// A document's parse error as a caller who named a viewer gets it: the code, the path and where in the text
/// (line and column) only — a parser's message can quote the document's text, which may be a hidden item's.
///
/// ```
/// let err = okpi::Document::from_json(r#"{"schema_version": 1, "cycles": "Ann's secret"}"#).unwrap_err();
/// let quiet = okpi::access::quiet_parse_error(err);
/// assert!(!format!("{quiet:?}").contains("secret"));
/// assert_eq!(quiet.problems()[0].code, okpi::Code::E_PARSE);
/// ```
pub fn quiet_parse_error(e: Error) -> Error {
    if !e.is_parse() {
        return e;
    }
    e.map_problems(|ps| {
        ps.into_iter()
            .map(|mut p| {
                let at = p
                    .message
                    .rfind(" at line ")
                    .and_then(|i| p.message.get(i..))
                    .filter(|tail| {
                        tail.chars().all(|c| {
                            c.is_ascii_digit() || c.is_ascii_whitespace() || "atlinecolum".contains(c)
                        })
                    })
                    .unwrap_or_default()
                    .to_owned();
                p.message = format!("the document does not parse{at}");
                p.id = None;
                p
            })
            .collect()
    })
}
