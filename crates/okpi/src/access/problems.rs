//! Filtering problems: validation errors and every other error a call returns.

use super::{Filter, View};
use crate::error::{Error, Problem};

impl Filter for Problem {
    /// Keeps the code and path; drops the id when it names (or, like an alignment `a→b`, contains) an id the
    /// viewer may not see, and masks such ids in the message.
    fn filter(mut self, view: &View<'_>) -> Self {
        if self.id.as_deref().is_some_and(|id| view.hides(id)) {
            self.id = None;
        }
        self.message = view.scrub(&self.message);
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
        match self {
            Error::Parse(p) => Error::Parse(p.filter(view)),
            Error::Invalid(ps) => Error::Invalid(ps.filter(view)),
        }
    }
}
