//! Reading a document: JSON or YAML text, plus the files it references (CSV tables of observations and check-ins,
//! the advisor's business-line profiles), into an `okpi::Document` and a validated `okpi::Model`.
//!
//! The CLI accepts three top-level keys that the library's document does not have; it reads and removes them before
//! the library sees the document:
//!
//! - `csv`: `{"observations": "observations.csv", "check_ins": ["a.csv", "b.csv"]}` (a name or a list of names,
//!   relative to the document); the rows are appended after the document's own `observations` / `check_ins`.
//! - `profiles`: the name of a JSON or YAML file holding business-line profiles for the advisor (one or a list).
//! - `metric_names`: `{"metric id": "display name"}` for dashboards and reports (metrics have no title of their own).

use crate::fail::{Failure, Located};
use crate::tables::{self, Table};
use okpi::decide::BusinessProfile;
use okpi::Code;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the files a document names are read from.
pub trait Files {
    /// The text of the file `name` (as written in the document), or why it cannot be read.
    fn read(&self, name: &str) -> Result<String, String>;
}

/// Files on disk, relative to the document's folder.
pub struct Disk {
    /// The folder names are relative to.
    pub base: PathBuf,
}

impl Files for Disk {
    fn read(&self, name: &str) -> Result<String, String> {
        let path = self.base.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// A document read from a file or standard input (`-`), with its referenced files on disk.
pub fn read_file(path: &str) -> Result<Input, Failure> {
    let (text, base) = read_text(path)?;
    load(&text, path, &Disk { base })
}

/// The text of `path` (`-`: standard input) and the folder its references are relative to.
pub fn read_text(path: &str) -> Result<(String, PathBuf), Failure> {
    if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Failure::one(Code::E_PARSE, "$", Some("stdin".into()), e.to_string()))?;
        return Ok((text, PathBuf::from(".")));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::one(
            Code::E_PARSE,
            "$",
            Some(path.to_owned()),
            format!("cannot read: {e}"),
        )
    })?;
    let base = Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok((text, base))
}

/// A document ready for validation, with what the CLI keys brought.
#[derive(Debug)]
pub struct Input {
    /// The library's document (CSV rows merged in).
    pub document: okpi::Document,
    /// Where CSV-born observations and check-ins came from, to point problems at their rows.
    pub origins: Origins,
    /// Display names of metrics (`metric_names`).
    pub metric_names: BTreeMap<String, String>,
    /// The advisor's business lines (`profiles`), if the document names them.
    pub profiles: Option<Vec<BusinessProfile>>,
}

impl Input {
    /// Validates the document; every problem keeps its JSON path and gains the CSV row it came from.
    pub fn model(&self) -> Result<okpi::Model, Failure> {
        okpi::Model::new(&self.document).map_err(|e| self.origins.locate(&e))
    }
}

/// Where the rows of each table came from: the first `inline` rows are the document's own, then one origin per
/// CSV row.
#[derive(Debug, Default)]
pub struct Origins {
    observations: (usize, Vec<String>),
    check_ins: (usize, Vec<String>),
}

impl Origins {
    /// The library's problems, each with the CSV row of the item its path names.
    pub fn locate(&self, e: &okpi::Error) -> Failure {
        Failure::Invalid(
            e.problems()
                .iter()
                .map(|p| Located {
                    origin: self.origin(&p.path),
                    problem: p.clone(),
                })
                .collect(),
        )
    }

    fn origin(&self, path: &str) -> Option<String> {
        for (key, (inline, rows)) in [
            ("observations", &self.observations),
            ("check_ins", &self.check_ins),
        ] {
            let Some(rest) = path.strip_prefix(&format!("$.{key}[")) else {
                continue;
            };
            let index: usize = rest.split(']').next()?.parse().ok()?;
            return index.checked_sub(*inline).and_then(|i| rows.get(i)).cloned();
        }
        None
    }
}

/// Whether text is JSON or YAML: by the name's extension, else by its first character.
fn is_yaml(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    !matches!(text.trim_start().chars().next(), Some('{' | '['))
}

/// Parses JSON or YAML text into a JSON value; a syntax error is `E_PARSE` at `$` naming the line.
pub fn parse_tree(text: &str, name: &str) -> Result<Value, Failure> {
    if is_yaml(name, text) {
        serde_norway::from_str(text)
            .map_err(|e| Failure::one(Code::E_PARSE, "$", Some(name.to_owned()), format!("YAML: {e}")))
    } else {
        serde_json::from_str(text)
            .map_err(|e| Failure::one(Code::E_PARSE, "$", Some(name.to_owned()), format!("JSON: {e}")))
    }
}

/// Reads a JSON value into a serde type through the library's parser, so a type error names its path.
pub fn typed<T: serde::de::DeserializeOwned>(value: &Value, origin: &str) -> Result<T, Failure> {
    okpi::error::parse_json(&value.to_string()).map_err(|e| {
        Failure::Invalid(
            e.problems()
                .iter()
                .map(|p| Located {
                    problem: p.clone(),
                    origin: Some(origin.to_owned()),
                })
                .collect(),
        )
    })
}

/// Business-line profiles: one object or a list.
pub fn profiles(value: &Value, origin: &str) -> Result<Vec<BusinessProfile>, Failure> {
    match value {
        Value::Array(_) => typed(value, origin),
        _ => Ok(vec![typed(value, origin)?]),
    }
}

/// Reads document text (`name` tells JSON from YAML and names it in errors), resolving its references through
/// `files`. Every problem of the CLI keys and CSV rows is reported at once.
pub fn load(text: &str, name: &str, files: &dyn Files) -> Result<Input, Failure> {
    let mut tree = parse_tree(text, name)?;
    let Value::Object(root) = &mut tree else {
        return Err(Failure::one(
            Code::E_PARSE,
            "$",
            Some(name.to_owned()),
            "a document is an object",
        ));
    };
    let mut problems = Vec::new();
    let mut origins = Origins::default();
    if let Some(csv) = root.remove("csv") {
        merge_csv(root, &csv, files, &mut origins, &mut problems);
    }
    let metric_names = match root.remove("metric_names") {
        Some(v) => typed(&v, name).map_err(|f| rebase(f, "$.metric_names"))?,
        None => BTreeMap::new(),
    };
    let profiles = match root.remove("profiles") {
        Some(Value::String(file)) => match files.read(&file) {
            Ok(text) => Some(profiles(&parse_tree(&text, &file)?, &file)?),
            Err(e) => {
                problems.push(Located::at(Code::E_PARSE, "$.profiles", None, e));
                None
            }
        },
        Some(_) => {
            let msg = "profiles names a JSON or YAML file of business-line profiles";
            problems.push(Located::at(Code::E_PARSE, "$.profiles", None, msg));
            None
        }
        None => None,
    };
    if !problems.is_empty() {
        return Err(Failure::Invalid(problems));
    }
    let document = okpi::Document::from_json(&tree.to_string()).map_err(|e| origins.locate(&e))?;
    Ok(Input {
        document,
        origins,
        metric_names,
        profiles,
    })
}

/// Moves a failure's `$`-rooted paths under `root`.
fn rebase(f: Failure, root: &str) -> Failure {
    match f {
        Failure::Invalid(ps) => Failure::Invalid(
            ps.into_iter()
                .map(|mut l| {
                    l.problem.path = l.problem.path.replacen('$', root, 1);
                    l
                })
                .collect(),
        ),
        other => other,
    }
}

/// Appends the rows of every CSV file `csv` names to the document's arrays.
fn merge_csv(
    root: &mut Map<String, Value>,
    csv: &Value,
    files: &dyn Files,
    origins: &mut Origins,
    problems: &mut Vec<Located>,
) {
    let Value::Object(tables) = csv else {
        let msg = "csv is an object: {\"observations\": FILE(S), \"check_ins\": FILE(S)}";
        problems.push(Located::at(Code::E_PARSE, "$.csv", None, msg));
        return;
    };
    for (key, names) in tables {
        let table = match key.as_str() {
            "observations" => Table::Observations,
            "check_ins" => Table::CheckIns,
            other => {
                let msg = format!("csv names observations and check_ins tables, not {other:?}");
                problems.push(Located::at(
                    Code::E_FIELD_NOT_ALLOWED,
                    format!("$.csv.{key}"),
                    None,
                    msg,
                ));
                continue;
            }
        };
        let names: Vec<&str> = match names {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).collect()
            }
            _ => {
                let msg = "a CSV reference is a file name or a list of file names";
                problems.push(Located::at(Code::E_PARSE, format!("$.csv.{key}"), None, msg));
                continue;
            }
        };
        let rows = match root
            .entry(key.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(rows) => rows,
            _ => {
                let msg = format!("{key} is a list");
                problems.push(Located::at(Code::E_PARSE, format!("$.{key}"), None, msg));
                continue;
            }
        };
        let (inline, row_origins) = match table {
            Table::Observations => &mut origins.observations,
            Table::CheckIns => &mut origins.check_ins,
        };
        if row_origins.is_empty() {
            *inline = rows.len();
        }
        for name in names {
            match files.read(name) {
                Ok(text) => {
                    let read = tables::read(table, &text, name, rows.len());
                    problems.extend(read.problems);
                    for (row, origin) in read.rows {
                        rows.push(row);
                        row_origins.push(origin);
                    }
                }
                Err(e) => problems.push(Located::at(Code::E_PARSE, format!("$.csv.{key}"), None, e)),
            }
        }
    }
}
