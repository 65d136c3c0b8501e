//! Reading a document: JSON or YAML text, plus the files it references (CSV tables of observations and check-ins,
//! the advisor's business-line profiles), into an `okpi::Document` and a validated `okpi::Model`.
//!
//! Texts are read by the library's one reader (`okpi::text`), so a document means here what it means to the
//! library and the bindings; every problem names its JSON path and the file, line and column it was written at.
//!
//! The CLI accepts three top-level keys that the library's document does not have; it reads and removes them before
//! the library sees the document:
//!
//! - `csv`: `{"observations": "observations.csv", "check_ins": ["a.csv", "b.csv"]}` (a name or a list of names,
//!   relative to the document); the rows are appended after the document's own `observations` / `check_ins`.
//! - `profiles`: the name of a JSON or YAML file holding business-line profiles for the advisor (one or a list).
//! - `metric_names`: `{"metric id": "display name"}` for dashboards and reports (metrics have no title of their own).
//!
//! A document may be written by someone else, so the files it names are read only inside its own folder: a
//! relative name without `..`, no symbolic link leading out, a regular file (no FIFO, device or folder) of at most
//! `Limits::file_bytes`. An error about such a file names it and never quotes what it holds.

use crate::fail::{Failure, Located};
use crate::tables::{self, Table};
use okpi::decide::BusinessProfile;
use okpi::text::{self, Format, Node};
use okpi::{Code, Limits, Problem};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Where the files a document names are read from.
pub trait Files {
    /// The text of the file `name` (as written in the document), or why it cannot be read (naming the file,
    /// quoting nothing of it).
    fn read(&self, name: &str) -> Result<String, String>;
}

/// Files on disk inside the document's folder.
pub struct Disk {
    /// The folder names are relative to.
    pub base: PathBuf,
    /// The largest file read.
    pub max_bytes: usize,
}

impl Files for Disk {
    fn read(&self, name: &str) -> Result<String, String> {
        let path = Path::new(name);
        let inside = path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if name.is_empty() || !inside {
            return Err(format!(
                "{name:?} is not a file name inside the document's folder (no absolute path, no `..`)"
            ));
        }
        let base = std::fs::canonicalize(&self.base).map_err(|e| format!("cannot read {name:?}: {e}"))?;
        let full = std::fs::canonicalize(base.join(path))
            .map_err(|e| format!("cannot read {name:?}: {}", e.kind()))?;
        if !full.starts_with(&base) {
            return Err(format!(
                "{name:?} leads out of the document's folder (a symbolic link)"
            ));
        }
        read_regular(&full, self.max_bytes).map_err(|e| format!("cannot read {name:?}: {e}"))
    }
}

/// The text of a regular file of at most `max` bytes; anything else (a FIFO, a device, a folder, a larger file,
/// text that is not UTF-8) is refused before or while reading, with a reason that quotes nothing of the file.
fn read_regular(path: &Path, max: usize) -> Result<String, String> {
    // Checked before opening: opening a FIFO for reading would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.kind().to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if usize::try_from(meta.len()).map_or(true, |n| n > max) {
        return Err(format!(
            "{} bytes is more than the limit file_bytes ({max})",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| e.kind().to_string())?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.kind().to_string())?;
    if bytes.len() > max {
        return Err(format!("more than the limit file_bytes ({max} bytes)"));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
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
    let text = read_regular(Path::new(path), max).map_err(|e| fail(format!("cannot read: {e}")))?;
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
    /// Validates the document; every problem keeps its JSON path and gains the file, line and column it came from.
    pub fn model(&self) -> Result<okpi::Model, Failure> {
        okpi::Model::new(self.document.clone()).map_err(|e| self.origins.locate(&e))
    }
}

/// Where items came from: the document's own text (its tree, for line and column), then one origin per CSV row
/// after the first `inline` rows of each table.
#[derive(Debug, Default)]
pub struct Origins {
    file: String,
    tree: Option<Node>,
    observations: (usize, Vec<Row>),
    check_ins: (usize, Vec<Row>),
}

/// Where a CSV row came from: `file line N`, and its file's columns (to name the column of a field).
#[derive(Debug)]
struct Row {
    origin: String,
    headers: std::sync::Arc<Vec<String>>,
}

impl Origins {
    /// The library's problems, each with the file, line and column of the item its path names.
    pub fn locate(&self, e: &okpi::Error) -> Failure {
        Failure::Invalid(e.problems().iter().map(|p| self.at(p.clone())).collect())
    }

    /// One problem with its origin.
    fn at(&self, problem: Problem) -> Located {
        let origin = self.origin(&problem.path);
        Located { problem, origin }
    }

    fn origin(&self, path: &str) -> Option<String> {
        for (key, (inline, rows)) in [
            ("observations", &self.observations),
            ("check_ins", &self.check_ins),
        ] {
            let Some(rest) = path.strip_prefix(&format!("$.{key}[")) else {
                continue;
            };
            let (index, field) = rest.split_once(']')?;
            let index: usize = index.parse().ok()?;
            if let Some(row) = index.checked_sub(*inline).and_then(|i| rows.get(i)) {
                let field = field.strip_prefix('.').unwrap_or_default();
                return Some(match row.headers.iter().position(|h| h == field) {
                    Some(c) => format!("{} column {}", row.origin, c + 1),
                    None => row.origin.clone(),
                });
            }
        }
        let at = self.tree.as_ref()?.find(path)?;
        Some(format!("{} line {} column {}", self.file, at.line, at.column))
    }
}

/// `problem` found in the text of `file`, with its line and column as the origin.
fn in_text(file: &str, problem: Problem) -> Located {
    let origin = match (problem.line, problem.column) {
        (Some(line), Some(column)) => format!("{file} line {line} column {column}"),
        _ => file.to_owned(),
    };
    Located {
        problem,
        origin: Some(origin),
    }
}

/// Parses JSON or YAML text (`name` tells which, and names it in errors) into the library's tree.
pub fn parse_tree(text: &str, name: &str) -> Result<Node, Failure> {
    text::tree(text, Format::of(name, text), &Limits::default())
        .map_err(|ps| Failure::Invalid(ps.into_iter().map(|p| in_text(name, p)).collect()))
}

/// Reads (a part of) a tree found at JSON path `root` of `file` into a serde type.
pub fn typed<T: serde::de::DeserializeOwned>(node: &Node, root: &str, file: &str) -> Result<T, Failure> {
    text::read(node, root).map_err(|p| Failure::Invalid(vec![in_text(file, p)]))
}

/// Business-line profiles: one object or a list.
pub fn profiles(node: &Node, file: &str) -> Result<Vec<BusinessProfile>, Failure> {
    match node.as_seq() {
        Some(_) => typed(node, "$", file),
        None => Ok(vec![typed(node, "$", file)?]),
    }
}

/// Reads document text (`name` tells JSON from YAML and names it in errors), resolving its references through
/// `files`. Every problem of the document's items, the CLI keys and CSV rows is reported at once.
pub fn load(text: &str, name: &str, files: &dyn Files) -> Result<Input, Failure> {
    let mut tree = parse_tree(text, name)?;
    let mut problems = Vec::new();
    let csv = tree.remove("csv");
    let metric_names = match tree.remove("metric_names") {
        Some(v) => match text::read(&v, "$.metric_names") {
            Ok(names) => names,
            Err(p) => {
                problems.push(in_text(name, p));
                BTreeMap::new()
            }
        },
        None => BTreeMap::new(),
    };
    let profiles = match tree.remove("profiles") {
        Some(node) => read_profiles(&node, name, files, &mut problems),
        None => None,
    };
    let mut document = match okpi::Document::from_tree(&tree) {
        Ok(doc) => Some(doc),
        Err(ps) => {
            problems.extend(ps.into_iter().map(|p| in_text(name, p)));
            None
        }
    };
    let mut origins = Origins {
        file: name.to_owned(),
        ..Origins::default()
    };
    if let Some(csv) = &csv {
        let mut empty = okpi::Document::new();
        let doc = document.as_mut().unwrap_or(&mut empty);
        merge_csv(doc, csv, name, files, &mut origins, &mut problems);
    }
    origins.tree = Some(tree);
    match document {
        Some(document) if problems.is_empty() => Ok(Input {
            document,
            origins,
            metric_names,
            profiles,
        }),
        _ => Err(Failure::Invalid(problems)),
    }
}

/// The profiles file a document names at `$.profiles`.
fn read_profiles(
    node: &Node,
    doc: &str,
    files: &dyn Files,
    problems: &mut Vec<Located>,
) -> Option<Vec<BusinessProfile>> {
    let reference = in_place(doc, node);
    let Some(file) = node.as_str() else {
        let msg = "profiles names a JSON or YAML file of business-line profiles";
        problems.push(Located::at(Code::E_PARSE, "$.profiles", reference, msg));
        return None;
    };
    let text = match files.read(file) {
        Ok(text) => text,
        Err(e) => {
            problems.push(Located::at(Code::E_PARSE, "$.profiles", reference, e));
            return None;
        }
    };
    match parse_tree(&text, file).and_then(|tree| profiles(&tree, file)) {
        Ok(p) => Some(p),
        Err(Failure::Invalid(ps)) => {
            problems.extend(ps);
            None
        }
        Err(_) => None,
    }
}

/// `file line L column C` of a node of the document `file`.
fn in_place(file: &str, node: &Node) -> Option<String> {
    let at = node.position();
    Some(format!("{file} line {} column {}", at.line, at.column))
}

/// Appends the rows of every CSV file `csv` names to the document's lists.
fn merge_csv(
    doc: &mut okpi::Document,
    csv: &Node,
    name: &str,
    files: &dyn Files,
    origins: &mut Origins,
    problems: &mut Vec<Located>,
) {
    let Some(tables) = csv.entries() else {
        let msg = "csv is an object: {\"observations\": FILE(S), \"check_ins\": FILE(S)}";
        problems.push(Located::at(Code::E_PARSE, "$.csv", in_place(name, csv), msg));
        return;
    };
    for (key, names) in tables {
        let reference = in_place(name, names);
        let table = match key {
            "observations" => Table::Observations,
            "check_ins" => Table::CheckIns,
            other => {
                let msg = format!("csv names observations and check_ins tables, not {other:?}");
                problems.push(Located::at(
                    Code::E_FIELD_NOT_ALLOWED,
                    format!("$.csv.{key}"),
                    reference,
                    msg,
                ));
                continue;
            }
        };
        let list: Vec<&str> = match (names.as_str(), names.as_seq()) {
            (Some(s), _) => vec![s],
            (_, Some(items)) if items.iter().all(|i| i.as_str().is_some()) => {
                items.iter().filter_map(Node::as_str).collect()
            }
            _ => {
                let msg = "a CSV reference is a file name or a list of file names";
                problems.push(Located::at(Code::E_PARSE, format!("$.csv.{key}"), reference, msg));
                continue;
            }
        };
        let (inline, row_origins) = match table {
            Table::Observations => &mut origins.observations,
            Table::CheckIns => &mut origins.check_ins,
        };
        let len = match table {
            Table::Observations => doc.observations.len(),
            Table::CheckIns => doc.check_ins.len(),
        };
        if row_origins.is_empty() {
            *inline = len;
        }
        for file in list {
            let text = match files.read(file) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(Located::at(
                        Code::E_PARSE,
                        format!("$.csv.{key}"),
                        reference.clone(),
                        e,
                    ));
                    continue;
                }
            };
            let first = *inline + row_origins.len();
            let read = tables::read(table, &text, file, first);
            if !read.problems.is_empty() {
                // Rows with bad cells would only add "missing field" noise: the file's problems are enough.
                problems.extend(read.problems);
                continue;
            }
            let headers = std::sync::Arc::new(read.headers);
            for (i, (row, origin)) in read.rows.into_iter().enumerate() {
                let path = format!("$.{key}[{}]", first + i);
                let pushed = match table {
                    Table::Observations => serde_json::from_value(row).map(|o| doc.observations.push(o)),
                    Table::CheckIns => serde_json::from_value(row).map(|c| doc.check_ins.push(c)),
                };
                match pushed {
                    Ok(()) => row_origins.push(Row {
                        origin,
                        headers: headers.clone(),
                    }),
                    Err(e) => problems.push(Located::at(Code::E_PARSE, path, Some(origin), e.to_string())),
                }
            }
        }
    }
}
