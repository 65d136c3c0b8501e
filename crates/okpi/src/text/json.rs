//! JSON text into a [`Node`] tree with positions: RFC 8259 as serde_json reads it (no comments, no trailing
//! commas, no NaN), duplicate keys refused at their path, nesting bounded by `json_depth` as it is read.

use super::node::{Entry, Kind, Node};
use super::{Path, Position};
use crate::error::{Code, Problem};
use crate::Limits;
use std::collections::HashSet;

/// Parses JSON `text` (a leading UTF-8 BOM already removed) into a tree. A syntax error stops the reading (one
/// problem); duplicate keys are collected (each at its path) and the first of each kept.
pub(crate) fn parse(text: &str, limits: &Limits) -> Result<Node, Vec<Problem>> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        line: 1,
        line_start: 0,
        mark: (0, 1),
        path: Path::default(),
        depth_limit: limits.json_depth,
        duplicates: Vec::new(),
    };
    let result = p.document();
    match result {
        Ok(node) if p.duplicates.is_empty() => Ok(node),
        Ok(_) => Err(p.duplicates),
        Err(e) => {
            let mut all = p.duplicates;
            all.push(e);
            Err(all)
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    line: usize,
    line_start: usize,
    /// The last byte whose column is known, and that column: columns are counted in characters, onwards from
    /// here, so a long single-line text is counted once.
    mark: (usize, usize),
    path: Path,
    depth_limit: usize,
    duplicates: Vec<Problem>,
}

impl Parser<'_> {
    fn document(&mut self) -> Result<Node, Problem> {
        self.ws();
        if self.i >= self.s.len() {
            return Err(self.error("EOF while parsing a value: the text is empty"));
        }
        let node = self.value(0)?;
        self.ws();
        if self.i < self.s.len() {
            let at = self.pos();
            return Err(super::problem(
                Code::E_PARSE,
                "$".into(),
                at,
                "trailing characters after the document".into(),
            ));
        }
        Ok(node)
    }

    fn pos(&mut self) -> Position {
        let (from, col) = if self.mark.0 >= self.line_start && self.mark.0 <= self.i {
            self.mark
        } else {
            (self.line_start, 1)
        };
        let add = self.text.get(from..self.i).map_or(0, |t| t.chars().count());
        self.mark = (self.i, col + add);
        Position {
            line: self.line,
            column: col + add,
        }
    }

    fn error(&mut self, message: &str) -> Problem {
        let at = self.pos();
        super::problem(Code::E_PARSE, self.path.to_string(), at, message.into())
    }

    fn ws(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            match b {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, Problem> {
        let at = self.pos();
        let kind = match self.s.get(self.i) {
            Some(b'{') => self.object(depth, at)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Kind::Str(self.string()?),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected a value")),
            None => return Err(self.error("EOF while parsing a value")),
        };
        Ok(Node { kind, at })
    }

    fn literal(&mut self, word: &str, kind: Kind) -> Result<Kind, Problem> {
        if self.s.get(self.i..self.i + word.len()) == Some(word.as_bytes()) {
            self.i += word.len();
            Ok(kind)
        } else {
            Err(self.error(&format!("expected `{word}`")))
        }
    }

    fn open(&mut self, depth: usize) -> Result<(), Problem> {
        if depth >= self.depth_limit {
            let at = self.pos();
            let limit = self.depth_limit;
            let mut p = crate::limits::exceeded(
                "json_depth",
                limit,
                self.path.to_string(),
                None,
                format!("arrays and objects nest deeper than {limit}"),
            );
            (p.line, p.column) = (Some(at.line), Some(at.column));
            return Err(p);
        }
        self.i += 1;
        self.ws();
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Kind, Problem> {
        self.open(depth)?;
        let mut items = Vec::new();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Kind::Seq(items));
        }
        loop {
            if self.i >= self.s.len() {
                return Err(self.error("EOF while parsing a list"));
            }
            self.path.push_index(items.len());
            let item = self.value(depth + 1);
            self.path.pop();
            items.push(item?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(Kind::Seq(items));
                }
                Some(_) => return Err(self.error("expected `,` or `]`")),
                None => return Err(self.error("EOF while parsing a list")),
            }
        }
    }

    fn object(&mut self, depth: usize, _at: Position) -> Result<Kind, Problem> {
        self.open(depth)?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Kind::Map(entries));
        }
        loop {
            let key_at = self.pos();
            match self.s.get(self.i) {
                Some(b'"') => {}
                Some(_) => return Err(self.error("expected a key in quotes")),
                None => return Err(self.error("EOF while parsing an object")),
            }
            let key = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.error("expected `:` after a key"));
            }
            self.i += 1;
            self.ws();
            self.path.push_key(&key);
            let value = self.value(depth + 1);
            let duplicate = !seen.insert(key.clone());
            if duplicate {
                let first = entries.iter().find(|e| e.key == key).map(|e| e.at);
                self.duplicates.push(super::duplicate(&self.path, key_at, first));
            }
            self.path.pop();
            let value = value?;
            if !duplicate {
                entries.push(Entry {
                    key,
                    at: key_at,
                    value,
                });
            }
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Kind::Map(entries));
                }
                Some(_) => return Err(self.error("expected `,` or `}`")),
                None => return Err(self.error("EOF while parsing an object")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - from
    }

    fn number(&mut self) -> Result<Kind, Problem> {
        let from = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let lead_zero = self.s.get(self.i) == Some(&b'0');
        let n = self.digits();
        if n == 0 || (lead_zero && n > 1) {
            return Err(self.error("invalid number"));
        }
        let mut integer = true;
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(self.error("invalid number: a digit must follow the decimal point"));
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            integer = false;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number: a digit must follow the exponent"));
            }
        }
        let text = self.text.get(from..self.i).unwrap_or_default();
        Ok(super::number(text, integer))
    }

    /// A string starting at the opening quote; the position moves past the closing one.
    fn string(&mut self) -> Result<String, Problem> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.text.get(start..self.i).unwrap_or_default());
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.error("control character in a string (escape it)")),
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, Problem> {
        let Some(&b) = self.s.get(self.i) else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.i += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xDC00..0xE000).contains(&hi) {
                    return Err(self.error("lone trailing surrogate in a string"));
                }
                if (0xD800..0xDC00).contains(&hi) {
                    if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                        return Err(self.error("lone leading surrogate in a string"));
                    }
                    self.i += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.error("lone leading surrogate in a string"));
                    }
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(c).ok_or_else(|| self.error("invalid escape"));
                }
                return char::from_u32(hi).ok_or_else(|| self.error("invalid escape"));
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, Problem> {
        let digits = self.text.get(self.i..self.i + 4);
        match digits.and_then(|d| {
            u32::from_str_radix(d, 16)
                .ok()
                .filter(|_| d.bytes().all(|b| b.is_ascii_hexdigit()))
        }) {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => Err(self.error("invalid \\u escape")),
        }
    }
}
