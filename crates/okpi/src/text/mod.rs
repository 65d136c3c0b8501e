//! The one reader of JSON and YAML texts: the library's `from_json` functions, both bindings and the CLI read
//! through it, so a text means the same everywhere and fails with the same codes at the same paths.
//!
//! - A text becomes a [`Node`] tree whose values know the line and column where they were written. Limits are
//!   checked as the text is read, before the work they bound (`document_bytes`, `json_depth`, `text_bytes`, and for
//!   YAML `yaml_expansion`).
//! - Duplicate keys are refused, in JSON and YAML, at the path of the second one (`E_PARSE`); a number beyond the
//!   largest float (`1e400`) is `E_PARSE` at its field; YAML's `.nan` and `.inf` are `E_NOT_FINITE` at their field.
//! - A UTF-8 byte order mark at the start of a text is accepted and skipped, whatever the format or file name.
//! - [`Document::from_tree`](crate::Document::from_tree) reads a whole document item by item and reports every type and shape error of every item at
//!   once, each with its JSON path and its line and column.
//!
//! ```
//! use okpi::text::{self, Format};
//! let json = r#"{"schema_version": 1,
//!   "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-13-01"}],
//!   "objectives": [{"id": "o", "cycle": "q", "titel": "Grow"}]}"#;
//! let tree = text::tree(json, Format::Json, &okpi::Limits::default()).unwrap();
//! let problems = okpi::Document::from_tree(&tree).unwrap_err();
//! let found: Vec<_> = problems.iter().map(|p| (p.path.as_str(), p.line, p.column)).collect();
//! assert_eq!(found, [("$.cycles[0].end", Some(2), Some(56)), ("$.objectives[0].titel", Some(3), Some(53))]);
//! ```

pub(crate) mod expr;
mod json;
mod node;
mod parse;
#[cfg(feature = "yaml")]
mod yaml;

pub use node::Node;
pub(crate) use parse::{fast, located, parse_json_checked};
pub use parse::{parse_json, parse_json_with};

use crate::error::{Code, Problem};
use crate::Limits;
pub(crate) use node::Kind;
use std::fmt;

/// Where a value was written: line and column, both from 1, the column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

/// The syntax of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON (RFC 8259).
    Json,
    /// YAML 1.2 (core schema); needs the `yaml` feature.
    Yaml,
}

impl Format {
    /// The format of a file: by its name's extension (`.json`; `.yaml`, `.yml`), else JSON when the text's first
    /// character (after a byte order mark and white space) is `{` or `[`, else YAML.
    pub fn of(name: &str, text: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Format::Yaml;
        }
        if lower.ends_with(".json") {
            return Format::Json;
        }
        match strip_bom(text).trim_start().chars().next() {
            Some('{' | '[') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// `text` without a leading UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads a text into a tree, checking `limits` as it goes. A syntax error or a crossed limit stops the reading;
/// duplicate keys found before are reported with it.
pub fn tree(text: &str, format: Format, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let text = strip_bom(text);
    if text.len() > limits.document_bytes {
        return Err(vec![crate::limits::exceeded(
            "document_bytes",
            limits.document_bytes,
            "$",
            None,
            format!("the input is {} bytes", text.len()),
        )]);
    }
    match format {
        Format::Json => {
            crate::limits::check_text(text.as_bytes(), limits).map_err(|e| e.problems().to_vec())?;
            json::parse(text, limits)
        }
        #[cfg(feature = "yaml")]
        Format::Yaml => yaml::parse(text, limits),
        #[cfg(not(feature = "yaml"))]
        Format::Yaml => Err(vec![Problem::new(
            Code::E_PARSE,
            "$",
            None,
            "this build of okpi reads no YAML (the `yaml` feature is off)",
        )]),
    }
}

/// Reads a tree (or a part of it found at JSON path `root`) into any serde type: the first type error, at its
/// path under `root` with its line and column.
pub fn read<T: serde::de::DeserializeOwned>(node: &Node, root: &str) -> Result<T, Problem> {
    serde_path_to_error::deserialize(node::Read(node)).map_err(|e| {
        let rel = crate::error::json_path(&e.path().to_string());
        let at = node.find(&rel).unwrap_or(node.at);
        let path = join(root, &rel);
        let inner = e.into_inner();
        problem(inner.code, path, at, inner.message)
    })
}

/// A problem found in a text, at `path`, written at `at`.
pub(crate) fn problem(code: Code, path: String, at: Position, message: String) -> Problem {
    let mut p = Problem::new(code, path, None, message);
    p.line = Some(at.line);
    p.column = Some(at.column);
    p
}

/// The problem of a key written twice.
pub(crate) fn duplicate(path: &Path, at: Position, first: Option<Position>) -> Problem {
    let key = path.last_key().unwrap_or_default();
    let message = match first {
        Some(f) => format!(
            "duplicate key `{key}` (first written at line {} column {}); a key is written once",
            f.line, f.column
        ),
        None => format!("duplicate key `{key}`; a key is written once"),
    };
    problem(Code::E_PARSE, path.to_string(), at, message)
}

/// A number written as `text` (`integer`: no fraction or exponent): an integer when it fits 64 bits, else a
/// float, else out of range.
pub(crate) fn number(text: &str, integer: bool) -> Kind {
    if integer {
        if let Ok(u) = text.parse::<u64>() {
            return Kind::UInt(u);
        }
        if let Ok(i) = text.parse::<i64>() {
            return Kind::Int(i);
        }
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Kind::Float(f),
        _ => Kind::OutOfRange(text.to_owned()),
    }
}

/// `root` + a `$`-rooted path relative to it.
fn join(root: &str, rel: &str) -> String {
    let rest = rel.strip_prefix('$').unwrap_or(rel);
    format!("{root}{rest}")
}

/// A JSON path being read: keys and indexes from the root.
#[derive(Debug, Clone, Default)]
pub(crate) struct Path(Vec<Segment>);

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Path {
    pub fn push_key(&mut self, key: &str) {
        self.0.push(Segment::Key(key.to_owned()));
    }

    pub fn push_index(&mut self, i: usize) {
        self.0.push(Segment::Index(i));
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }

    fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for s in &self.0 {
            match s {
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn problems(
        text: &str,
        format: Format,
        limits: &Limits,
    ) -> Vec<(Code, String, Option<usize>, Option<usize>)> {
        let found = match tree(text, format, limits) {
            Ok(t) => crate::Document::from_tree(&t).err().unwrap_or_default(),
            Err(ps) => ps,
        };
        found
            .into_iter()
            .map(|p| (p.code, p.path, p.line, p.column))
            .collect()
    }

    #[test]
    fn json_positions_count_characters_across_lines() {
        let text = "{\"schema_version\": 1,\n \"cycles\": [{\"id\": \"增长\", \"start\": 5}]}";
        let found = problems(text, Format::Json, &Limits::default());
        // Line 2: ` "cycles": [{"id": "增长", "start": ` is 34 characters (the two CJK ones count once each).
        assert_eq!(
            found[0],
            (Code::E_PARSE, "$.cycles[0].start".into(), Some(2), Some(35))
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_formats_are_told_apart() {
        assert!(tree("\u{feff}{\"a\": 1}", Format::Json, &Limits::default()).is_ok());
        assert_eq!(Format::of("doc", "\u{feff} {\"a\": 1}"), Format::Json);
        assert_eq!(Format::of("doc.YML", "{}"), Format::Yaml);
        assert_eq!(Format::of("doc", "a: 1"), Format::Yaml);
    }

    #[test]
    fn numbers_beyond_the_floats_and_control_characters() {
        let text = r#"{"schema_version": 1, "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": -1e400}]}"#;
        let found = problems(text, Format::Json, &Limits::default());
        assert_eq!(
            (found[0].0, found[0].1.as_str()),
            (Code::E_PARSE, "$.key_results[0].target")
        );
        let found = problems("{\"a\": \"x\ty\"}", Format::Json, &Limits::default());
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::E_PARSE, "$.a"));
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_scalars_follow_the_core_schema() {
        let text = "schema_version: 0x1\ncycles: []\nkey_results:\n  - {id: '1', objective: o, kind: increase, start: -.INF, target: 0o17}\n";
        let found = problems(text, Format::Yaml, &Limits::default());
        assert_eq!(
            found,
            [(
                Code::E_NOT_FINITE,
                "$.key_results[0].start".into(),
                Some(4),
                Some(52)
            )]
        );
        let t = tree(
            "a: [~, null, '', true, 1.5e3, 12, -7, .5, 2026-01-01, \"3\"]",
            Format::Yaml,
            &Limits::default(),
        );
        let json: serde_json::Value = read(&t.unwrap(), "$").unwrap();
        assert_eq!(
            json,
            serde_json::json!({"a": [null, null, "", true, 1500.0, 12, -7, 0.5, "2026-01-01", "3"]})
        );
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_aliases_are_bounded_by_the_text_size() {
        // The anchored list weighs 8 + 3 × (8 + 3) = 41; the budget is 2 × the text's length.
        let body = "a: &x [abc, abc, abc]\nb: [";
        let limits = Limits {
            yaml_expansion: 2,
            ..Limits::default()
        };
        for n in [1usize, 2, 3, 4, 5] {
            let text = format!("{body}{}]\n", vec!["*x"; n].join(", "));
            let allowed = 2 * text.len() / 41;
            let found = tree(&text, Format::Yaml, &limits);
            if n <= allowed {
                assert!(found.is_ok(), "{n}: {found:?}");
            } else {
                let p = &found.unwrap_err()[0];
                assert_eq!(
                    (p.code, p.path.clone()),
                    (Code::E_LIMIT, format!("$.b[{allowed}]")),
                    "{n}"
                );
            }
        }
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_duplicates_depth_tags_and_variants() {
        let l = Limits {
            json_depth: 3,
            ..Limits::default()
        };
        let p = &tree("a:\n  b: [[1]]\n", Format::Yaml, &l).unwrap_err()[0];
        assert_eq!(
            (p.code, p.path.as_str(), p.line),
            (Code::E_LIMIT, "$.a.b[0]", Some(2))
        );
        let p = &tree("a: {b: 1, b: 2}\n", Format::Yaml, &Limits::default()).unwrap_err()[0];
        assert_eq!(
            (p.code, p.path.as_str(), p.column),
            (Code::E_PARSE, "$.a.b", Some(11))
        );
        let p = &tree("a: !!binary aGk=\n", Format::Yaml, &Limits::default()).unwrap_err()[0];
        assert_eq!((p.code, p.path.as_str()), (Code::E_PARSE, "$.a"));
        let t = tree(
            "c: !above {value: 3}\nd: !!str 12\n",
            Format::Yaml,
            &Limits::default(),
        )
        .unwrap();
        let json: serde_json::Value = read(&t, "$").unwrap();
        assert_eq!(json, serde_json::json!({"c": {"above": {"value": 3}}, "d": "12"}));
    }
}
