//! The demo company, embedded in the binary: the files of `examples/data/demo/` (the document, its CSV tables and
//! the advisor's profiles), read exactly as `okpi report examples/data/demo/company.json` reads them from disk. They
//! are read through the link `crates/okpi-cli/demo`, so the published crate carries them.

use crate::fail::Failure;
use crate::input::{load, Files, Input};
use chrono::NaiveDate;

/// The document.
const DOCUMENT: &str = include_str!("../demo/company.json");

/// The files the document references, by the names it uses.
const FILES: &[(&str, &str)] = &[
    ("observations.csv", include_str!("../demo/observations.csv")),
    ("check_ins.csv", include_str!("../demo/check_ins.csv")),
    ("profiles.json", include_str!("../demo/profiles.json")),
];

/// The embedded files.
struct Embedded;

impl Files for Embedded {
    fn read(&self, name: &str) -> Result<String, String> {
        FILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| format!("the demo has no file {name:?}"))
    }
}

/// The demo's as-of date: Sunday 29 March 2026, the end of the quarter's last full week.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 29).unwrap_or_default()
}

/// The demo document with its tables merged in.
pub fn input() -> Result<Input, Failure> {
    load(DOCUMENT, "company.json", &Embedded)
}
