//! The document model: plain serde structs, exactly what a host hands in.
//!
//! Field names and enum values are `snake_case` as DOMAIN.md names them. Nothing here is checked;
//! [`crate::validate`] turns a [`Document`] into a typed [`crate::Model`] or reports every problem at once.

pub(crate) mod alert;
pub(crate) mod check_ins;
mod columns;
pub(crate) mod date;
mod kpi;
mod observations;
mod okr;
mod org;
mod read;

pub use check_ins::{CheckInRef, CheckIns};
pub use date::parse_date;
pub use kpi::*;
pub use observations::{ObservationRef, Observations};
pub use okr::*;
pub use org::*;
#[cfg(feature = "tables")]
pub(crate) use read::quick;

use serde::{Deserialize, Serialize};

/// The newest document format this build understands.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a host hands in: the organisation, its cycles, goals and check-ins.
///
/// `schema_version` is required so that later formats can migrate old documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Format version of this document; must be [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Time boxes (quarters, years) that objectives belong to.
    #[serde(default)]
    pub cycles: Vec<Cycle>,
    /// The org tree's units.
    #[serde(default)]
    pub org_units: Vec<OrgUnit>,
    /// People, each in one unit.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Objectives (the O of OKR).
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// Key results, each under one objective.
    #[serde(default)]
    pub key_results: Vec<KeyResult>,
    /// Dated measurements of key results.
    #[serde(default)]
    pub check_ins: CheckIns,
    /// Weighted child → parent edges between objectives.
    #[serde(default)]
    pub alignments: Vec<Alignment>,
    /// KPI measures.
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// KPI metric definitions.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Raw measure observations, in columns (their JSON is the array of observation objects).
    #[serde(default)]
    pub observations: Observations,
    /// KPI targets.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// Scorecards.
    #[serde(default)]
    pub scorecards: Vec<Scorecard>,
    /// Alert rules over the metrics (DOMAIN.md §7).
    #[serde(default)]
    pub alert_rules: Vec<alert::Rule>,
}

impl Document {
    /// An empty document of the current schema version.
    pub fn new() -> Self {
        Document {
            schema_version: SCHEMA_VERSION,
            cycles: Vec::new(),
            org_units: Vec::new(),
            people: Vec::new(),
            objectives: Vec::new(),
            key_results: Vec::new(),
            check_ins: CheckIns::new(),
            alignments: Vec::new(),
            measures: Vec::new(),
            metrics: Vec::new(),
            observations: Observations::new(),
            targets: Vec::new(),
            alert_rules: Vec::new(),
            scorecards: Vec::new(),
        }
    }

    /// Parses a JSON document under the default [`crate::Limits`], as [`Document::from_json_with_limits`] does;
    /// a type error names the JSON path where it happened.
    pub fn from_json(text: &str) -> Result<Document, crate::Error> {
        read::from_str(text, &crate::Limits::default())
    }

    /// Parses a JSON document after checking its text against `limits` (size, nesting depth, string length).
    pub fn from_json_with_limits(text: &str, limits: &crate::Limits) -> Result<Document, crate::Error> {
        read::from_str(text, limits)
    }

    /// Parses a JSON document from bytes, as read from a file or a socket: text that is not UTF-8 is `E_PARSE`
    /// at `$`, naming the offset of the first bad byte. The size limit is checked before anything else.
    ///
    /// ```
    /// let err = okpi::Document::from_slice_with_limits(b"{\"schema_version\": \xff}", &okpi::Limits::default())
    ///     .unwrap_err();
    /// assert_eq!((err.code().as_str(), err.problems()[0].path.as_str()), ("E_PARSE", "$"));
    /// ```
    pub fn from_slice_with_limits(bytes: &[u8], limits: &crate::Limits) -> Result<Document, crate::Error> {
        read::from_slice(bytes, limits)
    }

    /// Serialises the document to JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings, numbers and dates cannot fail; fall back to "null" rather than panic.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("null"))
    }
}

impl Default for Document {
    fn default() -> Self {
        Document::new()
    }
}
