//! Reading a document: JSON or YAML text, plus the files it references (CSV tables of observations and check-ins,
//! the advisor's business-line profiles), into an `okpi::Document` and a validated `okpi::Model`.
//!
//! The reading is the library's (`okpi::load`, and `okpi::load::disk` for the files on disk, with their
//! safety rules: only inside the document's folder, regular files, size-checked), so a document means here what it
//! means to the Python module's `okpi.load`. This module adds standard input (`-`) and the CLI's failure type.

use crate::fail::{Failure, Located};
use okpi::decide::BusinessProfile;
use okpi::load as core;
use okpi::text::Node;
use okpi::{Code, Limits};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use okpi::load::disk::Disk;
pub use okpi::load::Files;

/// The library's located problems as the CLI's failure.
fn invalid(problems: Vec<core::Located>) -> Failure {
    Failure::Invalid(problems.into_iter().map(Located).collect())
}

/// A document read from a file or standard input (`-`), with its referenced files on disk.
pub fn read_file(path: &str) -> Result<Input, Failure> {
    let (text, base) = read_text(path)?;
    let limits = Limits::default();
    load(
        &text,
        path,
        &Disk {
            base,
            max_bytes: limits.file_bytes,
        },
    )
}

/// The text of `path` (`-`: standard input) and the folder its references are relative to.
pub fn read_text(path: &str) -> Result<(String, PathBuf), Failure> {
    let max = Limits::default().document_bytes;
    let fail = |message: String| Failure::one(Code::E_PARSE, "$", Some(path.to_owned()), message);
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| fail(format!("cannot read: {}", e.kind())))?;
        if bytes.len() > max {
            return Err(fail(format!("more than the limit document_bytes ({max} bytes)")));
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| fail(format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))?;
        return Ok((text, PathBuf::from(".")));
    }
    let text = okpi::load::disk::read_regular(Path::new(path), max)
        .map_err(|e| fail(format!("cannot read: {e}")))?;
    let base = match Path::new(path).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((text, base))
}

/// A document ready for validation, with what the CLI keys brought.
#[derive(Debug)]
pub struct Input {
    /// The library's document (CSV rows merged in).
    pub document: okpi::Document,
    /// Where each item came from, to point problems at their file, line and column.
    pub origins: Origins,
    /// Display names of metrics (`metric_names`).
    pub metric_names: BTreeMap<String, String>,
    /// The advisor's business lines (`profiles`), if the document names them.
    pub profiles: Option<Vec<BusinessProfile>>,
}

impl Input {
    /// Validates the document with `validate` (`okpi::Model::new`, or `okpi::access::validate_for` for a viewer):
    /// the model takes it over, no copy. Every problem keeps its JSON path and gains the file, line and column it
    /// came from. What the commands still read of the input and the document comes back as [`Loaded`].
    pub fn into_model(
        self,
        validate: impl FnOnce(okpi::Document) -> Result<okpi::Model, okpi::Error>,
    ) -> Result<(Loaded, okpi::Model), Failure> {
        let d = &self.document;
        let check_ins = d.check_ins.iter().map(|c| c.date);
        let loaded = Loaded {
            metric_names: self.metric_names,
            profiles: self.profiles,
            latest: check_ins.chain(d.observations.iter().map(|o| o.date)).max(),
            counts: Counts {
                check_ins: d.check_ins.len(),
                metrics: d.metrics.len(),
                observations: d.observations.len(),
                targets: d.targets.len(),
                scorecards: d.scorecards.len(),
                alert_rules: d.alert_rules.len(),
            },
        };
        let model = validate(self.document).map_err(|e| self.origins.locate(&e))?;
        Ok((loaded, model))
    }
}

/// What the commands read of an input once its model has taken the document over: the CLI keys, and the few
/// facts of the document they print.
#[derive(Debug)]
pub struct Loaded {
    /// Display names of metrics (`metric_names`).
    pub metric_names: BTreeMap<String, String>,
    /// The advisor's business lines (`profiles`), if the document names them.
    pub profiles: Option<Vec<BusinessProfile>>,
    /// The latest check-in or observation day (`okpi diagnose`'s default as-of).
    pub latest: Option<chrono::NaiveDate>,
    /// How many items of each kind the document holds (`okpi validate`).
    pub counts: Counts,
}

/// How many check-ins, metrics, observations, targets, scorecards and alert rules a document holds.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    /// Check-ins.
    pub check_ins: usize,
    /// Metrics.
    pub metrics: usize,
    /// Observations.
    pub observations: usize,
    /// KPI targets.
    pub targets: usize,
    /// Scorecards.
    pub scorecards: usize,
    /// Alert rules.
    pub alert_rules: usize,
}

/// Where items came from (the library's `okpi::load::Origins`).
#[derive(Debug)]
pub struct Origins(core::Origins);

impl Origins {
    /// The library's problems, each with the file, line and column of the item its path names.
    pub fn locate(&self, e: &okpi::Error) -> Failure {
        invalid(self.0.locate(e))
    }
}

/// Parses JSON or YAML text (`name` tells which, and names it in errors) into the library's tree.
pub fn parse_tree(text: &str, name: &str) -> Result<Node, Failure> {
    core::parse_tree(text, name, &Limits::default()).map_err(invalid)
}

/// Reads (a part of) a tree found at JSON path `root` of `file` into a serde type.
pub fn typed<T: serde::de::DeserializeOwned>(node: &Node, root: &str, file: &str) -> Result<T, Failure> {
    core::typed(node, root, file).map_err(invalid)
}

/// Business-line profiles: one object or a list.
pub fn profiles(node: &Node, file: &str) -> Result<Vec<BusinessProfile>, Failure> {
    core::profiles(node, file).map_err(invalid)
}

/// Reads document text (`name` tells JSON from YAML and names it in errors), resolving its references through
/// `files`. Every problem of the document's items, the CLI keys and CSV rows is reported at once.
pub fn load(text: &str, name: &str, files: &dyn Files) -> Result<Input, Failure> {
    let l = core::load(text, name, files, &Limits::default()).map_err(invalid)?;
    Ok(Input {
        document: l.document,
        origins: Origins(l.origins),
        metric_names: l.metric_names,
        profiles: l.profiles,
    })
}
