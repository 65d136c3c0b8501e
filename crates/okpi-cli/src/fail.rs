//! What can stop a command, and the exit code each outcome maps to.
//!
//! Exit codes: 0 ok; 1 findings or alerts at error level; 2 invalid input or usage (every problem printed with its
//! path); 3 an output file could not be written.

use crate::sanitize::term;
use okpi::{Code, Problem};
use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// The exit code of a run that found findings or alerts at the failing level.
pub const EXIT_FINDINGS: u8 = 1;
/// The exit code of invalid input (and of usage errors, as clap reports them).
pub const EXIT_INVALID: u8 = 2;
/// The exit code of an output that could not be written.
pub const EXIT_OUTPUT: u8 = 3;

/// The most problems printed on stderr: a document of 100,000 bad items gets the first thousand and a count
/// (`validate --format json` lists them all).
pub const MAX_PRINTED: usize = 1000;

/// A problem in the input, with where it came from when the document's path alone would not find it (a CSV row):
/// the library's `okpi::load::Located` (its `problem` and `origin` read through), wrapped only so that the CLI can
/// print it (`Display`, which the orphan rule does not allow on the library's type).
#[derive(Debug, Clone)]
pub struct Located(pub okpi::load::Located);

impl Located {
    /// `problem`, read from `origin` when the document's path alone would not find it.
    pub fn new(problem: Problem, origin: Option<String>) -> Self {
        Located(okpi::load::Located { problem, origin })
    }
}

impl std::ops::Deref for Located {
    type Target = okpi::load::Located;
    fn deref(&self) -> &okpi::load::Located {
        &self.0
    }
}

impl std::ops::DerefMut for Located {
    fn deref_mut(&mut self) -> &mut okpi::load::Located {
        &mut self.0
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.problem;
        write!(f, "error[{}] at {}", p.code, term(&p.path))?;
        if let Some(origin) = &self.origin {
            write!(f, " ({})", term(origin))?;
        }
        if let Some(id) = &p.id {
            write!(f, " [{}]", term(id))?;
        }
        write!(f, ": {}", term(&p.message))
    }
}

/// Why a command did not finish.
#[derive(Debug)]
pub enum Failure {
    /// The input is invalid: every problem found.
    Invalid(Vec<Located>),
    /// An output could not be written.
    Output(String),
}

impl Failure {
    /// One input problem.
    pub fn one(code: Code, path: &str, origin: Option<String>, message: impl Into<String>) -> Self {
        Failure::Invalid(vec![Located(okpi::load::Located::at(
            code, path, origin, message,
        ))])
    }

    /// Prints the failure on stderr and returns its exit code; `zh` gives the CLI's own words in Chinese (the
    /// library's messages stay as it writes them).
    pub fn report(&self, zh: bool) -> ExitCode {
        match self {
            Failure::Invalid(problems) => {
                // A failed write to stderr cannot be reported anywhere; the exit code still tells.
                let mut err = std::io::stderr().lock();
                for p in problems.iter().take(MAX_PRINTED) {
                    let _ = writeln!(err, "{p}");
                }
                let n = problems.len();
                if n > MAX_PRINTED {
                    let more = n - MAX_PRINTED;
                    let _ = if zh {
                        writeln!(err, "okpi: …另有 {more} 个（`validate --format json` 列出全部）")
                    } else {
                        writeln!(
                            err,
                            "okpi: … and {more} more (`validate --format json` lists all)"
                        )
                    };
                }
                let _ = if zh {
                    writeln!(err, "okpi: 输入中有 {n} 个问题")
                } else {
                    writeln!(
                        err,
                        "okpi: {n} problem{} in the input",
                        if n == 1 { "" } else { "s" }
                    )
                };
                ExitCode::from(EXIT_INVALID)
            }
            Failure::Output(message) => {
                let _ = if zh {
                    writeln!(std::io::stderr(), "okpi: 无法写出结果：{}", term(message))
                } else {
                    writeln!(std::io::stderr(), "okpi: {}", term(message))
                };
                ExitCode::from(EXIT_OUTPUT)
            }
        }
    }
}

impl From<okpi::Error> for Failure {
    fn from(e: okpi::Error) -> Self {
        Failure::Invalid(
            e.problems()
                .iter()
                .map(|p| Located::new(p.clone(), None))
                .collect(),
        )
    }
}
