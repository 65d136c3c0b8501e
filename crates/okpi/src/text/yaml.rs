//! YAML text into a [`Node`] tree with positions (YAML 1.2, core schema), read event by event so that every limit
//! is checked before the work it bounds:
//!
//! - nesting deeper than `json_depth` stops the reading at the node that crosses it (`E_LIMIT` at its path);
//! - aliases may add at most `yaml_expansion` times the text's size to the tree (a billion laughs, or one long
//!   string aliased thousands of times, is `E_LIMIT` at the alias that crosses it);
//! - a plain scalar is typed by the core schema: `null`/`~`/empty, `true`/`false`, integers, floats (`.nan` and
//!   `.inf` are kept, to be refused as `E_NOT_FINITE` where a field reads them); quoted scalars are strings;
//! - duplicate keys are refused at their path; a key is a scalar (written as text); tags other than the core
//!   schema's (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`) and local ones are refused; a
//!   local tag names an enum variant as serde's YAML writers write it (`!below_target {value: 3}` is read as
//!   `{below_target: {value: 3}}`); merge keys (`<<`) are ordinary keys; one document per text.

use super::node::{Entry, Kind, Node};
use super::{Path, Position};
use crate::error::{Code, Problem};
use crate::Limits;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;

/// Parses YAML `text` into a tree. A syntax error or a limit stops the reading (one problem, after any duplicate
/// keys found before it).
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        path: Path::default(),
        limits,
        budget: limits.yaml_expansion.saturating_mul(text.len().max(1)),
        problems: Vec::new(),
        root: None,
        documents: 0,
    };
    match b.run(text) {
        Ok(()) if b.problems.is_empty() => match b.root {
            Some(root) => Ok(root),
            None => Ok(Node {
                kind: Kind::Null,
                at: Position { line: 1, column: 1 },
            }),
        },
        Ok(()) => Err(b.problems),
        Err(p) => {
            b.problems.push(p);
            Err(b.problems)
        }
    }
}

/// A sequence or map being read.
struct Open {
    node: Node,
    anchor: usize,
    /// A map's key read, waiting for its value: the key, where it was written.
    key: Option<(String, Position)>,
    /// A local tag (`!variant`) to wrap the finished node in.
    variant: Option<String>,
}

struct Builder<'l> {
    stack: Vec<Open>,
    /// Finished anchored nodes and the size each adds when an alias repeats it.
    anchors: HashMap<usize, (Node, usize)>,
    path: Path,
    limits: &'l Limits,
    /// What aliases may still add, in bytes of the tree (see [`weight`]).
    budget: usize,
    problems: Vec<Problem>,
    root: Option<Node>,
    documents: usize,
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// What a node costs to hold, roughly in bytes: its strings' lengths plus a few bytes per node.
fn weight(node: &Node) -> usize {
    let mut total = 0usize;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        total = total.saturating_add(8);
        match &n.kind {
            Kind::Str(s) | Kind::OutOfRange(s) => total = total.saturating_add(s.len()),
            Kind::Seq(items) => todo.extend(items.iter()),
            Kind::Map(entries) => {
                for e in entries {
                    total = total.saturating_add(e.key.len());
                    todo.push(&e.value);
                }
            }
            _ => {}
        }
    }
    total
}

impl Builder<'_> {
    fn run(&mut self, text: &str) -> Result<(), Problem> {
        let mut parser = Parser::new_from_str(text);
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| {
                let at = Position {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                };
                if e.info().contains("recursion limit") {
                    self.too_deep(at)
                } else {
                    super::problem(
                        Code::E_PARSE,
                        self.path.to_string(),
                        at,
                        format!("YAML: {}", e.info()),
                    )
                }
            })?;
            let at = position(&span);
            match event {
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        let msg = "YAML: a document file holds one document (a second `---` was found)";
                        return Err(super::problem(Code::E_PARSE, "$".into(), at, msg.into()));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let node = self.scalar(&value, style, tag.as_deref(), at)?;
                    self.finish(node, anchor, at)?;
                }
                Event::Alias(id) => {
                    let Some((node, cost)) = self.anchors.get(&id) else {
                        let msg = "YAML: an alias refers to a node that is not finished (a recursive alias)";
                        return Err(super::problem(Code::E_PARSE, self.value_path(), at, msg.into()));
                    };
                    if *cost > self.budget {
                        let limit = self.limits.yaml_expansion;
                        let mut p = crate::limits::exceeded(
                            "yaml_expansion",
                            limit,
                            self.value_path(),
                            None,
                            format!(
                                "aliases expand the text past {limit} times its {} bytes",
                                text.len()
                            ),
                        );
                        (p.line, p.column) = (Some(at.line), Some(at.column));
                        return Err(p);
                    }
                    self.budget -= cost;
                    let mut node = node.clone();
                    node.at = at;
                    self.finish(node, 0, at)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(Kind::Seq(Vec::new()), anchor, tag.as_deref(), at)?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.open(Kind::Map(Vec::new()), anchor, tag.as_deref(), at)?;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    if let Some(open) = self.stack.pop() {
                        if !self.stack.is_empty() {
                            self.path.pop();
                        }
                        let at = open.node.at;
                        let node = match open.variant {
                            Some(name) => wrap(name, open.node),
                            None => open.node,
                        };
                        self.finish(node, open.anchor, at)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn too_deep(&self, at: Position) -> Problem {
        let limit = self.limits.json_depth;
        let mut p = crate::limits::exceeded(
            "json_depth",
            limit,
            self.value_path(),
            None,
            format!("sequences and maps nest deeper than {limit}"),
        );
        (p.line, p.column) = (Some(at.line), Some(at.column));
        p
    }

    /// The path of the value being read next (a map's pending key, or the next index of a sequence).
    fn value_path(&self) -> String {
        let mut path = self.path.clone();
        match self.stack.last() {
            Some(Open {
                node:
                    Node {
                        kind: Kind::Seq(items),
                        ..
                    },
                ..
            }) => path.push_index(items.len()),
            Some(Open {
                key: Some((key, _)), ..
            }) => path.push_key(key),
            _ => {}
        }
        path.to_string()
    }

    fn open(&mut self, kind: Kind, anchor: usize, tag: Option<&Tag>, at: Position) -> Result<(), Problem> {
        let want = if matches!(kind, Kind::Map(_)) {
            "map"
        } else {
            "seq"
        };
        let mut variant = None;
        if let Some(tag) = tag {
            match local(tag) {
                Some(name) => variant = Some(name.to_owned()),
                None if core(tag) == Some(want) => {}
                None => return Err(self.bad_tag(tag, at)),
            }
        }
        if self.stack.len() >= self.limits.json_depth {
            return Err(self.too_deep(at));
        }
        if matches!(
            self.stack.last(),
            Some(Open {
                node: Node {
                    kind: Kind::Map(_),
                    ..
                },
                key: None,
                ..
            })
        ) {
            let msg = "YAML: a key is a text, not a sequence or a map";
            return Err(super::problem(
                Code::E_PARSE,
                self.path.to_string(),
                at,
                msg.into(),
            ));
        }
        match self.stack.last() {
            Some(Open {
                node:
                    Node {
                        kind: Kind::Seq(items),
                        ..
                    },
                ..
            }) => self.path.push_index(items.len()),
            Some(Open {
                key: Some((key, _)), ..
            }) => self.path.push_key(key),
            _ => {}
        }
        self.stack.push(Open {
            node: Node { kind, at },
            anchor,
            key: None,
            variant,
        });
        Ok(())
    }

    fn bad_tag(&self, tag: &Tag, at: Position) -> Problem {
        let msg = format!("YAML: the tag {tag} is not supported (only the core schema's: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)");
        super::problem(Code::E_PARSE, self.value_path(), at, msg)
    }

    /// A scalar typed by the core schema (plain style) or as a string (quoted or block style, or tagged `!!str`).
    fn scalar(
        &self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: Position,
    ) -> Result<Node, Problem> {
        let len = value.len();
        if len > self.limits.text_bytes {
            let limit = self.limits.text_bytes;
            let mut p = crate::limits::exceeded(
                "text_bytes",
                limit,
                self.value_path(),
                None,
                format!("the string is {len} bytes"),
            );
            (p.line, p.column) = (Some(at.line), Some(at.column));
            return Err(p);
        }
        let plain = matches!(style, ScalarStyle::Plain);
        let kind = match tag.map(|t| (core(t), t)) {
            None if plain => resolve(value),
            None => Kind::Str(value.to_owned()),
            Some((Some("str"), _)) => Kind::Str(value.to_owned()),
            Some((Some(want @ ("int" | "float" | "bool" | "null")), t)) => {
                let kind = resolve(value);
                let fits = match (want, &kind) {
                    ("int", Kind::Int(_) | Kind::UInt(_)) => true,
                    ("float", Kind::Int(i)) => {
                        return Ok(Node {
                            kind: Kind::Float(*i as f64),
                            at,
                        })
                    }
                    ("float", Kind::UInt(u)) => {
                        return Ok(Node {
                            kind: Kind::Float(*u as f64),
                            at,
                        })
                    }
                    ("float", Kind::Float(_) | Kind::OutOfRange(_)) => true,
                    ("bool", Kind::Bool(_)) | ("null", Kind::Null) => true,
                    _ => false,
                };
                if !fits {
                    let msg = format!("YAML: {value:?} is not a {t}");
                    return Err(super::problem(Code::E_PARSE, self.value_path(), at, msg));
                }
                kind
            }
            Some((None, t)) if local(t).is_some() => {
                let name = local(t).unwrap_or_default().to_owned();
                let value = if plain {
                    resolve(value)
                } else {
                    Kind::Str(value.to_owned())
                };
                return Ok(wrap(name, Node { kind: value, at }));
            }
            Some((_, t)) => return Err(self.bad_tag(t, at)),
        };
        Ok(Node { kind, at })
    }

    /// Places a finished node: as the root, a sequence's item, a map's key or a map's value.
    fn finish(&mut self, node: Node, anchor: usize, at: Position) -> Result<(), Problem> {
        if anchor != 0 {
            let cost = weight(&node);
            self.anchors.insert(anchor, (node.clone(), cost));
        }
        let Some(top) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match (&mut top.node.kind, top.key.take()) {
            (Kind::Seq(items), _) => items.push(node),
            (Kind::Map(_), None) => {
                let key = match node.kind {
                    Kind::Str(s) => s,
                    Kind::Null => String::new(),
                    Kind::Bool(b) => b.to_string(),
                    Kind::Int(i) => i.to_string(),
                    Kind::UInt(u) => u.to_string(),
                    Kind::Float(f) => f.to_string(),
                    Kind::OutOfRange(s) => s,
                    Kind::Seq(_) | Kind::Map(_) => {
                        let msg = "YAML: a key is a text, not a sequence or a map";
                        return Err(super::problem(
                            Code::E_PARSE,
                            self.path.to_string(),
                            at,
                            msg.into(),
                        ));
                    }
                };
                top.key = Some((key, at));
            }
            (Kind::Map(entries), Some((key, key_at))) => {
                if let Some(first) = entries.iter().find(|e| e.key == key) {
                    let first = first.at;
                    let mut path = self.path.clone();
                    path.push_key(&key);
                    self.problems.push(super::duplicate(&path, key_at, Some(first)));
                } else {
                    entries.push(Entry {
                        key,
                        at: key_at,
                        value: node,
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The name of a local tag (`!below_target`): an enum variant, as serde's YAML writers write one.
fn local(tag: &Tag) -> Option<&str> {
    (tag.handle == "!" && !tag.suffix.is_empty()).then_some(tag.suffix.as_str())
}

/// `!variant value` read as the map `{variant: value}`, as JSON writes an enum.
fn wrap(name: String, value: Node) -> Node {
    let at = value.at;
    Node {
        kind: Kind::Map(vec![Entry { key: name, at, value }]),
        at,
    }
}

/// The core-schema name of a tag (`!!str` → `str`), if it is one.
fn core(tag: &Tag) -> Option<&str> {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" | "!!" => Some(tag.suffix.as_str()),
        _ => None,
    }
}

/// A plain scalar by the YAML 1.2 core schema.
fn resolve(v: &str) -> Kind {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Kind::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Kind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Kind::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let (sign, body) = match v.as_bytes().first() {
        Some(b'-') => (-1i8, v.get(1..).unwrap_or_default()),
        Some(b'+') => (1, v.get(1..).unwrap_or_default()),
        _ => (0, v),
    };
    if sign == 0 {
        if let Some(hex) = v.strip_prefix("0x") {
            if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return u64::from_str_radix(hex, 16).map_or_else(|_| Kind::Str(v.to_owned()), Kind::UInt);
            }
        }
        if let Some(oct) = v.strip_prefix("0o") {
            if !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return u64::from_str_radix(oct, 8).map_or_else(|_| Kind::Str(v.to_owned()), Kind::UInt);
            }
        }
    }
    if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        let text = if sign == 1 { body } else { v };
        return super::number(text, true);
    }
    if is_float(body) {
        let text = if sign == 1 { body } else { v };
        return super::number(text, false);
    }
    Kind::Str(v.to_owned())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac = b.iter().skip(i).take_while(|c| c.is_ascii_digit()).count();
        i += frac;
    }
    if int == 0 && frac == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b.iter().skip(i).take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}
