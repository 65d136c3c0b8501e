//! Reading a document with the files it references: JSON or YAML text plus CSV tables of observations and check-ins
//! and the advisor's business-line profiles (the `tables` feature). The CLI's `okpi report company.json` and
//! Python's `okpi.load(path)` read through here, so the demo company means the same to both.
//!
//! Three top-level keys that the library's document does not have are read and removed before the document is:
//!
//! - `csv`: `{"observations": "observations.csv", "check_ins": ["a.csv", "b.csv"]}` (a name or a list of names,
//!   relative to the document); the rows are appended after the document's own `observations` / `check_ins`.
//! - `profiles`: the name of a JSON or YAML file holding business-line profiles for the advisor (one or a list).
//! - `metric_names`: `{"metric id": "display name"}` for dashboards and reports (metrics have no title of their own).
//!
//! The files come through [`Files`], so this stays free of I/O; [`disk::Disk`] (the `fs` feature) reads them
//! from disk with the safety rules a document written by someone else needs. Every problem names its JSON path and
//! the file, line and column it was written at.

#[cfg(feature = "fs")]
pub mod disk;
mod tables;

use crate::decide::BusinessProfile;
use crate::error::{Code, Problem};
use crate::text::{Format, Node};
use crate::Limits;
use std::collections::BTreeMap;
use tables::Table;

/// Where the files a document names are read from.
pub trait Files {
    /// The text of the file `name` (as written in the document), or why it cannot be read (naming the file,
    /// quoting nothing of it).
    fn read(&self, name: &str) -> Result<String, String>;
}

/// A problem in the input, with where it came from when the document's path alone would not find it (a CSV row, a
/// line and column of a text).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The library's problem (code, JSON path, id, message).
    pub problem: Problem,
    /// The file and line the offending item was read from, e.g. `observations.csv line 12`.
    pub origin: Option<String>,
}

impl Located {
    /// A new problem at `path`, read from `origin`.
    pub fn at(
        code: Code,
        path: impl Into<String>,
        origin: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Located {
            problem: Problem::new(code, path, None, message),
            origin,
        }
    }
}

/// A document ready for validation, with what the extra keys brought.
#[derive(Debug)]
pub struct Loaded {
    /// The library's document (CSV rows merged in).
    pub document: crate::Document,
    /// Where each item came from, to point problems at their file, line and column.
    pub origins: Origins,
    /// Display names of metrics (`metric_names`).
    pub metric_names: BTreeMap<String, String>,
    /// The advisor's business lines (`profiles`), if the document names them.
    pub profiles: Option<Vec<BusinessProfile>>,
}

impl Loaded {
    /// Validates the document under `limits`; every problem keeps its JSON path and gains the file, line and column
    /// it came from.
    pub fn model(&self, limits: &Limits) -> Result<crate::Model, Vec<Located>> {
        crate::Model::new_with_limits(self.document.clone(), limits).map_err(|e| self.origins.locate(&e))
    }
}

/// Where items came from: the document's own text (its tree, for line and column), then one origin per CSV row
/// after the first `inline` rows of each table.
#[derive(Debug, Default)]
pub struct Origins {
    file: String,
    tree: std::sync::OnceLock<Option<Node>>,
    /// The text of a document read without its tree, and the limits it was read under: the tree (every value with
    /// its line and column, several times the text's size) is built only when a problem needs a position.
    text: Option<(String, Limits)>,
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
    pub fn locate(&self, e: &crate::Error) -> Vec<Located> {
        e.problems().iter().map(|p| self.at(p.clone())).collect()
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
        let tree = self.tree.get_or_init(|| {
            let (text, limits) = self.text.as_ref()?;
            crate::text::tree(text, Format::Json, limits).ok()
        });
        let at = tree.as_ref()?.find(path)?;
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
pub fn parse_tree(text: &str, name: &str, limits: &Limits) -> Result<Node, Vec<Located>> {
    crate::text::tree(text, Format::of(name, text), limits)
        .map_err(|ps| ps.into_iter().map(|p| in_text(name, p)).collect())
}

/// Reads (a part of) a tree found at JSON path `root` of `file` into a serde type.
pub fn typed<T: serde::de::DeserializeOwned>(node: &Node, root: &str, file: &str) -> Result<T, Vec<Located>> {
    crate::text::read(node, root).map_err(|p| vec![in_text(file, p)])
}

/// Business-line profiles: one object or a list.
pub fn profiles(node: &Node, file: &str) -> Result<Vec<BusinessProfile>, Vec<Located>> {
    match node.as_seq() {
        Some(_) => typed(node, "$", file),
        None => Ok(vec![typed(node, "$", file)?]),
    }
}

/// Reads document text (`name` tells JSON from YAML and names it in errors) under `limits`, resolving its
/// references through `files`. Every problem of the document's items, the extra keys and CSV rows is reported at
/// once. (A plain JSON document keeps a copy of its text: [`load_text`] takes it over instead.)
pub fn load(text: &str, name: &str, files: &dyn Files, limits: &Limits) -> Result<Loaded, Vec<Located>> {
    load_text(text.to_owned(), name, files, limits)
}

/// [`load`] of a text the result takes over. A plain JSON document (none of the extra keys) that serde_json reads
/// is read straight into the [`crate::Document`], without the located tree: the tree is built from the kept text
/// only if validation finds a problem, so a problem names the same path, line and column either way. Any other
/// text (YAML, the extra keys, a text serde_json refuses) is read through the tree, whose problems are the ones
/// reported.
pub fn load_text(
    text: String,
    name: &str,
    files: &dyn Files,
    limits: &Limits,
) -> Result<Loaded, Vec<Located>> {
    if Format::of(name, &text) == Format::Json {
        if let Some(document) = plain_json(&text, limits) {
            return Ok(Loaded {
                document,
                origins: Origins {
                    file: name.to_owned(),
                    text: Some((text, limits.clone())),
                    ..Origins::default()
                },
                metric_names: BTreeMap::new(),
                profiles: None,
            });
        }
    }
    through_tree(&text, name, files, limits)
}

/// A JSON document read by serde_json after the limits scan (which also refuses duplicate keys), or `None` for the
/// tree to name the problems. `Document` refuses unknown fields, so a text with the extra keys goes to the tree.
fn plain_json(text: &str, limits: &Limits) -> Option<crate::Document> {
    let text = crate::text::strip_bom(text);
    crate::limits::check_alongside(text.as_bytes(), limits, || crate::model::quick(text))
        .ok()
        .flatten()
}

/// [`load`] through the located tree, kept for the problems of validation.
fn through_tree(text: &str, name: &str, files: &dyn Files, limits: &Limits) -> Result<Loaded, Vec<Located>> {
    let mut tree = parse_tree(text, name, limits)?;
    let mut problems = Vec::new();
    let csv = tree.remove("csv");
    let metric_names = match tree.remove("metric_names") {
        Some(v) => match crate::text::read(&v, "$.metric_names") {
            Ok(names) => names,
            Err(p) => {
                problems.push(in_text(name, p));
                BTreeMap::new()
            }
        },
        None => BTreeMap::new(),
    };
    let profiles = match tree.remove("profiles") {
        Some(node) => read_profiles(&node, name, files, limits, &mut problems),
        None => None,
    };
    let mut document = match crate::Document::from_tree(&tree) {
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
        let mut empty = crate::Document::new();
        let doc = document.as_mut().unwrap_or(&mut empty);
        merge_csv(doc, csv, name, files, &mut origins, &mut problems);
    }
    origins.tree = std::sync::OnceLock::from(Some(tree));
    match document {
        Some(document) if problems.is_empty() => Ok(Loaded {
            document,
            origins,
            metric_names,
            profiles,
        }),
        _ => Err(problems),
    }
}

/// The profiles file a document names at `$.profiles`.
fn read_profiles(
    node: &Node,
    doc: &str,
    files: &dyn Files,
    limits: &Limits,
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
    match parse_tree(&text, file, limits).and_then(|tree| profiles(&tree, file)) {
        Ok(p) => Some(p),
        Err(ps) => {
            problems.extend(ps);
            None
        }
    }
}

/// `file line L column C` of a node of the document `file`.
fn in_place(file: &str, node: &Node) -> Option<String> {
    let at = node.position();
    Some(format!("{file} line {} column {}", at.line, at.column))
}

/// Appends the rows of every CSV file `csv` names to the document's lists.
fn merge_csv(
    doc: &mut crate::Document,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A document that names no files.
    struct NoFiles;

    impl Files for NoFiles {
        fn read(&self, name: &str) -> Result<String, String> {
            Err(format!("no file {name:?}"))
        }
    }

    /// Reads `text` as `doc.json` and validates it: the problems' paths and origins.
    fn problems(text: &str) -> Vec<(String, Option<String>)> {
        let limits = Limits::default();
        let loaded = match load(text, "doc.json", &NoFiles, &limits) {
            Ok(l) => l,
            Err(ps) => return ps.into_iter().map(|l| (l.problem.path, l.origin)).collect(),
        };
        let e = crate::Model::new_with_limits(loaded.document, &limits).unwrap_err();
        let ps = loaded.origins.locate(&e);
        ps.into_iter().map(|l| (l.problem.path, l.origin)).collect()
    }

    const INVALID: &str = "{\"schema_version\": 1,\n \"cycles\": [{\"id\": \"q\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],\n \"objectives\": [{\"id\": \"o\", \"cycle\": \"nope\", \"title\": \"Grow\"}]";

    #[test]
    fn a_plain_document_skips_the_tree_until_a_problem_needs_it() {
        let text = format!("{INVALID}}}");
        let loaded = load(&text, "doc.json", &NoFiles, &Limits::default()).unwrap();
        assert!(loaded.origins.tree.get().is_none(), "read without the tree");
        // The cycle's value `"nope"` starts at line 3 column 38 (` "objectives": [{"id": "o", "cycle": ` is 37
        // characters).
        let want = vec![(
            "$.objectives[0].cycle".to_owned(),
            Some("doc.json line 3 column 38".to_owned()),
        )];
        let got = problems(&text);
        assert_eq!(
            got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["$.objectives[0].cycle"]
        );
        assert_eq!(got, want);
        assert!(loaded.origins.tree.get().is_none());
    }

    #[test]
    fn the_fast_path_locates_problems_as_the_tree_path_does() {
        // `metric_names` sends the same document (same lines and columns) through the tree.
        let fast = problems(&format!("{INVALID}}}"));
        let slow = problems(&format!("{INVALID}, \"metric_names\": {{}}}}"));
        assert_eq!(fast, slow);
        // A type error: serde_json refuses the text, the tree names where.
        let typed = problems(&(INVALID.replace("\"title\": \"Grow\"", "\"title\": 7") + "}"));
        assert_eq!(typed.len(), 1);
        assert_eq!(typed[0].0, "$.objectives[0].title");
        // 37 characters, then `"nope", ` (8) and `"title": ` (9): the 7 is at column 55.
        assert_eq!(typed[0].1.as_deref(), Some("doc.json line 3 column 55"));
        // A duplicate key, which serde_json alone would take.
        let dup = problems("{\"schema_version\": 1, \"schema_version\": 1}");
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].0, "$.schema_version");
    }
}
