//! Limits against hostile input. Every limit is a setting with a documented default and is on unless a host
//! raises it; exceeding one is an `E_LIMIT` problem whose message names the limit, its value and what exceeded
//! it, at the JSON path where it was found.
//!
//! The text limits (`document_bytes`, `json_depth`, `text_bytes`) guard every JSON input read through
//! [`crate::text::parse_json_with`] (documents, settings, queries, rules, series); the model limits
//! (`objectives`, `expression_length`, `expression_depth`, `alignment_depth`, `alert_lookback`) are checked by
//! validation; `series_length` bounds every series okpi is handed or builds (an alert series, the periods of an
//! alert range, the cells of a KPI query).
//!
//! ```
//! let mut limits = okpi::Limits::default();
//! limits.objectives = 1;
//! let text = r#"{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
//!   "objectives": [{"id": "a", "cycle": "q"}, {"id": "b", "cycle": "q"}]}"#;
//! let err = okpi::Model::from_json_with_limits(text, &limits).unwrap_err();
//! assert_eq!((err.code().as_str(), err.problems()[0].path.as_str()), ("E_LIMIT", "$.objectives"));
//! assert!(okpi::Model::from_json(text).is_ok()); // the default allows 100,000
//! ```

use crate::error::{Code, Error, Problem};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// serde_json refuses JSON nested deeper than this whatever `json_depth` says, so it is `json_depth`'s maximum.
pub const MAX_JSON_DEPTH: usize = 128;

/// The limits okpi applies to its inputs. Every field has a default (below); `{}` is valid JSON for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// Largest JSON input in bytes (a document, a series, settings). Default 4 GiB (or `usize::MAX` if smaller).
    pub document_bytes: usize,
    /// Deepest nesting of JSON arrays and objects. Default 32; at most [`MAX_JSON_DEPTH`].
    pub json_depth: usize,
    /// Longest JSON string (a key or a value, as written, escapes included) in bytes. Default 65,536.
    pub text_bytes: usize,
    /// Longest derived-metric expression in bytes. Default 1,024.
    pub expression_length: usize,
    /// Deepest derived-metric expression: the height of its syntax tree, where each parenthesis, unary minus
    /// and binary operator adds a level (`a + b + c` is 3 deep). Default 64.
    pub expression_depth: usize,
    /// Most objectives in one document. Default 1,000,000.
    pub objectives: usize,
    /// Longest chain of alignments (child → parent edges) from any objective up to a top one. Default 64.
    pub alignment_depth: usize,
    /// Longest series: an alert series handed in, the grain periods of an alert range, the cells (periods ×
    /// groups) of a KPI query. Default 100,000.
    pub series_length: usize,
    /// Longest look-back of an alert condition: `change_pct` offset, `trend` n, `anomaly` window. Default 1,000.
    pub alert_lookback: usize,
    /// Longest cycle in days, first and last day included. Cycles are quarters and years (DOMAIN.md §1); the
    /// default 1,827 (five years) is generous for those and keeps every per-day or per-week walk over a cycle
    /// (paces, heatmaps, alert ranges) small. A longer cycle is `E_LIMIT` at `$.cycles[i]`.
    pub cycle_days: usize,
    /// How much YAML aliases may add to a text's tree, as a multiple of the text's size. Default 10: one long
    /// string aliased thousands of times (or a "billion laughs") is `E_LIMIT` at the alias that crosses it.
    pub yaml_expansion: usize,
    /// Largest file a document names (the CLI's `csv` tables and `profiles`) in bytes; okpi reads no files itself,
    /// the limit is for hosts that do. Default 256 MiB.
    pub file_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Large enough for the org-100k benchmark organisation (a few GB of JSON) on a 64-bit host.
            document_bytes: usize::try_from(4u64 << 30).unwrap_or(usize::MAX),
            json_depth: 32,
            text_bytes: 64 * 1024,
            expression_length: 1024,
            expression_depth: 64,
            objectives: 1_000_000,
            alignment_depth: 64,
            series_length: 100_000,
            alert_lookback: 1000,
            cycle_days: 1827,
            yaml_expansion: 10,
            file_bytes: 256 << 20,
        }
    }
}

impl Limits {
    /// Checks every limit is usable: each at least 1, `json_depth` at most [`MAX_JSON_DEPTH`]. Problems are
    /// `E_SETTINGS` at `$.limits.<field>`.
    pub fn check(&self) -> Result<(), Error> {
        let mut problems = Vec::new();
        for (field, value) in self.fields() {
            if value == 0 {
                problems.push(Problem::new(
                    Code::E_SETTINGS,
                    format!("$.limits.{field}"),
                    None,
                    format!("limit {field} must be at least 1"),
                ));
            }
        }
        if self.json_depth > MAX_JSON_DEPTH {
            problems.push(Problem::new(
                Code::E_SETTINGS,
                "$.limits.json_depth",
                None,
                format!(
                    "limit json_depth is {}; the JSON reader allows at most {MAX_JSON_DEPTH}",
                    self.json_depth
                ),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(problems))
        }
    }

    fn fields(&self) -> [(&'static str, usize); 12] {
        [
            ("document_bytes", self.document_bytes),
            ("json_depth", self.json_depth),
            ("text_bytes", self.text_bytes),
            ("expression_length", self.expression_length),
            ("expression_depth", self.expression_depth),
            ("objectives", self.objectives),
            ("alignment_depth", self.alignment_depth),
            ("series_length", self.series_length),
            ("alert_lookback", self.alert_lookback),
            ("cycle_days", self.cycle_days),
            ("yaml_expansion", self.yaml_expansion),
            ("file_bytes", self.file_bytes),
        ]
    }

    /// `E_LIMIT` at `path` when a series of `len` points is longer than `series_length`.
    ///
    /// ```
    /// let mut l = okpi::Limits::default();
    /// l.series_length = 2;
    /// assert!(l.check_series(2, "$.series").is_ok());
    /// assert_eq!(l.check_series(3, "$.series").unwrap_err().code(), okpi::Code::E_LIMIT);
    /// ```
    pub fn check_series(&self, len: usize, path: &str) -> Result<(), Error> {
        if len > self.series_length {
            return Err(Error::invalid(vec![exceeded(
                "series_length",
                self.series_length,
                path,
                None,
                format!("the series has {len} points"),
            )]));
        }
        Ok(())
    }
}

/// The problem of a limit exceeded: `E_LIMIT` at `path`, with a message naming the limit, its value and what
/// exceeded it (`limit objectives is 10: the document has 11 objectives`).
pub(crate) fn exceeded(
    limit: &str,
    max: usize,
    path: impl Into<String>,
    id: Option<&str>,
    what: String,
) -> Problem {
    Problem::new(Code::E_LIMIT, path, id, format!("limit {limit} is {max}: {what}"))
}

/// Checks a JSON text against the text limits before it is parsed: its size, the nesting depth of its arrays and
/// objects, and the length of its strings. One pass over the bytes; it never fails on malformed JSON (the parser
/// reports that), only on a limit, at the JSON path where the limit was crossed.
pub(crate) fn check_text(text: &[u8], limits: &Limits) -> Result<(), Error> {
    #[cfg(test)]
    tests::SCANS.with(|n| n.set(n.get() + 1));
    if text.len() > limits.document_bytes {
        return Err(Error::invalid(vec![exceeded(
            "document_bytes",
            limits.document_bytes,
            "$",
            None,
            format!("the input is {} bytes", text.len()),
        )]));
    }
    let mut scanner = Scanner {
        text,
        limits,
        stack: Vec::new(),
        keys: Vec::new(),
        at: 0,
    };
    scanner.run().map_err(|mut p| {
        let (line, column) = position_at(text, scanner.at);
        (p.line, p.column) = (Some(line), Some(column));
        if p.code == Code::E_PARSE {
            Error::parse(p)
        } else {
            Error::invalid(vec![p])
        }
    })
}

/// Texts of at least this many bytes are scanned on a second thread while they are parsed: below it, starting a
/// thread costs more than the scan.
const ALONGSIDE_BYTES: usize = 1 << 20;

/// What `parse` makes of `text`, once [`check_text`] has found `text` within `limits`; a crossed limit is the
/// error whatever `parse` found, so the outcome is that of a scan first and a parse after. A large text is scanned
/// on a second thread while `parse` runs on this one (the scan takes about a third of a parse, off the critical
/// path on two cores). A parse of an unscanned text is safe: serde_json nests at most [`MAX_JSON_DEPTH`] deep, and
/// time and memory stay proportional to the text's size, which is checked first.
pub(crate) fn check_alongside<T>(
    text: &[u8],
    limits: &Limits,
    parse: impl FnOnce() -> T,
) -> Result<T, Error> {
    if text.len() < ALONGSIDE_BYTES || text.len() > limits.document_bytes {
        check_text(text, limits)?;
        return Ok(parse());
    }
    let (scanned, parsed) = alongside(true, "okpi-limits", || check_text(text, limits), parse);
    scanned?;
    Ok(parsed)
}

/// `side()` on a second (scoped) thread while `main()` runs on this one when `apart`, else both on this one: how a
/// large text's limits scan and a large document's KPI checks use a second core without the `parallel` feature.
/// (A large document's observations, a large file's second half and a first evaluation's fresh memory have
/// threads of their own, which hold a `&mut` or join midway.) If the OS refuses the thread (wasm), or `side` fails
/// on it (it cannot panic), `side` runs here; the answers are the same either way. The thread is joined before
/// this returns.
pub(crate) fn alongside<A: Send, B>(
    apart: bool,
    name: &str,
    side: impl Fn() -> A + Sync,
    main: impl FnOnce() -> B,
) -> (A, B) {
    if !apart {
        let b = main();
        return (side(), b);
    }
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name(name.into())
            .spawn_scoped(s, &side);
        let b = main();
        let a = match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| side()),
            Err(_) => side(),
        };
        (a, b)
    })
}

/// One open array or object while scanning.
enum Frame {
    /// An object: the byte range of the current key (inside its quotes), and whether a key comes next.
    Object {
        key: Option<(usize, usize)>,
        want_key: bool,
    },
    /// An array: the position of the current element.
    Array { index: usize },
}

/// The keys an object has had so far (as written, or unescaped when written with escapes), to refuse a duplicate.
/// A short list is searched; a long one is hashed.
#[derive(Default)]
struct Keys<'a> {
    /// Each key with its [`tag`], compared first (two keys that differ mostly differ in it).
    few: Vec<(u64, Cow<'a, [u8]>)>,
    many: std::collections::HashSet<Cow<'a, [u8]>>,
}

/// A key's length and first eight bytes in one word: equal keys have equal tags.
fn tag(key: &[u8]) -> u64 {
    let head = match key.get(..8).map(<[u8; 8]>::try_from) {
        Some(Ok(eight)) => u64::from_le_bytes(eight),
        _ => key.iter().rev().fold(0, |word, &b| word << 8 | u64::from(b)),
    };
    head ^ (key.len() as u64).rotate_right(8)
}

impl<'a> Keys<'a> {
    /// Forgets every key, keeping the room (each nesting level reuses one set: no allocation per object).
    fn clear(&mut self) {
        self.few.clear();
        self.many.clear();
    }

    /// Adds `key`; false when it was there.
    fn insert(&mut self, key: Cow<'a, [u8]>) -> bool {
        if !self.many.is_empty() {
            return self.many.insert(key);
        }
        let t = tag(&key);
        if self.few.iter().any(|(u, k)| *u == t && *k == key) {
            return false;
        }
        self.few.push((t, key));
        if self.few.len() > 16 {
            self.many.extend(self.few.drain(..).map(|(_, k)| k));
        }
        true
    }
}

/// A key's bytes as they compare: the raw bytes, or its unescaped text when it holds an escape.
fn key_text(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'\\') {
        return Cow::Borrowed(raw);
    }
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice::<String>(&quoted).map_or(Cow::Borrowed(raw), |k| Cow::Owned(k.into_bytes()))
}

/// The bytes the scan stops at: quotes and the brackets and commas that move the JSON path.
fn is_structural(b: u8) -> bool {
    matches!(b, b'"' | b'{' | b'[' | b'}' | b']' | b',')
}

/// The high bit of each byte of `word` that is a quote or a backslash, exact up to the first such byte (bytes
/// after it may be marked wrongly: a borrow of the subtraction runs on); zero when there is none.
pub(crate) fn quote_or_backslash(word: u64) -> u64 {
    zero_at(word ^ (ONES * u64::from(b'"'))) | zero_at(word ^ (ONES * u64::from(b'\\')))
}

/// [`quote_or_backslash`], and the high bit of each byte below 0x20 (a control character, which a JSON string
/// may not hold as it is), exact up to the first byte marked.
pub(crate) fn quote_backslash_or_control(word: u64) -> u64 {
    quote_or_backslash(word) | (word.wrapping_sub(ONES * 0x20) & !word & (ONES * 0x80))
}

/// From `at`, eight bytes at a time, to the first byte `marked` flags (`marked` sets the high bit of each such byte
/// of a little-endian word, exactly up to the first), or to where fewer than eight bytes are left: the caller looks
/// at the byte there.
#[inline(always)]
pub(crate) fn to_marked(bytes: &[u8], mut at: usize, marked: impl Fn(u64) -> u64) -> usize {
    while let Some(Ok(eight)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) {
        let found = marked(u64::from_le_bytes(eight));
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each zero byte of `v`, exact up to the first zero byte (see [`quote_or_backslash`]).
fn zero_at(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & (ONES * 0x80)
}

struct Scanner<'a> {
    text: &'a [u8],
    limits: &'a Limits,
    stack: Vec<Frame>,
    /// The keys of the object open at each depth (`keys[d]` for `stack[d]`).
    keys: Vec<Keys<'a>>,
    /// Where a crossed limit was found.
    at: usize,
}

impl Scanner<'_> {
    fn run(&mut self) -> Result<(), Problem> {
        let mut i = 0;
        loop {
            i = self.next_structural(i);
            let Some(&b) = self.text.get(i) else {
                break;
            };
            match b {
                b'"' => {
                    let (end, escaped) = self.string_end(i + 1);
                    let len = end.saturating_sub(i + 1);
                    let is_key = matches!(self.stack.last(), Some(Frame::Object { want_key: true, .. }));
                    if len > self.limits.text_bytes {
                        self.at = i;
                        let what = if is_key { "a key" } else { "the string" };
                        return Err(exceeded(
                            "text_bytes",
                            self.limits.text_bytes,
                            self.path(),
                            None,
                            format!("{what} is {len} bytes"),
                        ));
                    }
                    let depth = self.stack.len().saturating_sub(1);
                    if let Some(Frame::Object {
                        key,
                        want_key: want @ true,
                    }) = self.stack.last_mut()
                    {
                        *key = Some((i + 1, end));
                        *want = false;
                        let raw = self.text.get(i + 1..end).unwrap_or_default();
                        let key = if escaped {
                            key_text(raw)
                        } else {
                            Cow::Borrowed(raw)
                        };
                        let fresh = self.keys.get_mut(depth).is_none_or(|k| k.insert(key));
                        if !fresh {
                            self.at = i;
                            let name = String::from_utf8_lossy(&key_text(raw)).into_owned();
                            return Err(Problem::new(
                                Code::E_PARSE,
                                self.path(),
                                None,
                                format!("duplicate key `{name}`; a key is written once"),
                            ));
                        }
                    }
                    i = end + 1;
                    continue;
                }
                b'{' | b'[' => {
                    if self.stack.len() >= self.limits.json_depth {
                        self.at = i;
                        return Err(exceeded(
                            "json_depth",
                            self.limits.json_depth,
                            self.path(),
                            None,
                            format!("arrays and objects nest deeper than {}", self.limits.json_depth),
                        ));
                    }
                    if b == b'{' {
                        let depth = self.stack.len();
                        match self.keys.get_mut(depth) {
                            Some(k) => k.clear(),
                            None => self.keys.resize_with(depth + 1, Keys::default),
                        }
                    }
                    self.stack.push(if b == b'{' {
                        Frame::Object {
                            key: None,
                            want_key: true,
                        }
                    } else {
                        Frame::Array { index: 0 }
                    });
                }
                b'}' | b']' => {
                    self.stack.pop();
                }
                b',' => match self.stack.last_mut() {
                    Some(Frame::Object { key, want_key, .. }) => {
                        *key = None;
                        *want_key = true;
                    }
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                },
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }

    /// The position of the first quote, bracket or comma at or after `from` (the text's length when there is
    /// none). Byte by byte: outside strings they come every few bytes, too close for eight at a time to pay.
    fn next_structural(&self, from: usize) -> usize {
        let mut j = from;
        while let Some(&b) = self.text.get(j) {
            if is_structural(b) {
                return j;
            }
            j += 1;
        }
        self.text.len()
    }

    /// The position of the quote closing the string whose first content byte is at `from` (the text's length
    /// when it is not closed), and whether the string holds an escape. Eight bytes are looked at a time for a quote
    /// or a backslash (most of a document's bytes are in strings).
    fn string_end(&self, from: usize) -> (usize, bool) {
        let mut j = from;
        let mut escaped = false;
        loop {
            j = to_marked(self.text, j, quote_or_backslash);
            match self.text.get(j) {
                Some(b'\\') => {
                    escaped = true;
                    j += 2;
                }
                Some(b'"') => return (j, escaped),
                Some(_) => j += 1,
                None => return (self.text.len(), escaped),
            }
        }
    }

    /// The JSON path of the value being read, as serde_path_to_error writes it (`$.a.b[2]`).
    fn path(&self) -> String {
        let mut out = String::from("$");
        for f in &self.stack {
            match f {
                Frame::Object {
                    key: Some((a, b)), ..
                } => {
                    out.push('.');
                    out.push_str(&String::from_utf8_lossy(&key_text(
                        self.text.get(*a..*b).unwrap_or_default(),
                    )));
                }
                Frame::Object { key: None, .. } => {}
                Frame::Array { index } => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }
}

/// The line and column of byte `offset` of `text`.
fn position_at(text: &[u8], offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many times this thread ran `check_text`.
        pub(super) static SCANS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn a_document_read_from_bytes_is_scanned_once() {
        let before = SCANS.with(std::cell::Cell::get);
        let doc = crate::Document::from_slice_with_limits(br#"{"schema_version": 1}"#, &Limits::default());
        assert!(doc.is_ok());
        assert_eq!(SCANS.with(std::cell::Cell::get) - before, 1);
    }

    fn path_of(text: &str, limits: &Limits) -> Option<String> {
        check_text(text.as_bytes(), limits)
            .err()
            .map(|e| e.problems()[0].path.clone())
    }

    #[test]
    fn depth_is_reported_at_the_container_that_goes_too_deep() {
        let l = Limits {
            json_depth: 3,
            ..Limits::default()
        };
        assert_eq!(path_of(r#"{"a": [{"b": 1}]}"#, &l), None);
        assert_eq!(path_of(r#"{"a": [{"b": [1]}]}"#, &l).as_deref(), Some("$.a[0].b"));
        assert_eq!(
            path_of(r#"[1, [2, [3, [4]]]]"#, &l).as_deref(),
            Some("$[1][1][1]")
        );
    }

    #[test]
    fn long_strings_are_reported_at_their_path_and_escapes_do_not_end_them() {
        let l = Limits {
            text_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(path_of(r#"{"ab": "abcd", "c": ["x", "y"]}"#, &l), None);
        assert_eq!(
            path_of(r#"{"ab": "a", "c": ["x", "yy\"zzz"]}"#, &l).as_deref(),
            Some("$.c[1]")
        );
        assert_eq!(path_of(r#"{"a": {"longkey": 1}}"#, &l).as_deref(), Some("$.a"));
    }

    /// The end of a string as a byte-by-byte reading finds it.
    fn string_end_byte_by_byte(text: &[u8], from: usize) -> (usize, bool) {
        let (mut j, mut escaped) = (from, false);
        while let Some(&b) = text.get(j) {
            match b {
                b'\\' => {
                    escaped = true;
                    j += 2;
                }
                b'"' => return (j, escaped),
                _ => j += 1,
            }
        }
        (text.len(), escaped)
    }

    proptest::proptest! {
        /// Eight bytes at a time find the quote a byte-by-byte reading finds, escapes and multi-byte characters
        /// anywhere (across the eight-byte steps too).
        #[test]
        fn strings_end_where_a_byte_by_byte_reading_ends_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "\\\"", "\\\\", "\"", "é", "\\u00e9", "0123456789", "\\"]),
                0..24,
            ),
            from in 0usize..4,
        ) {
            let text = parts.concat();
            let limits = Limits::default();
            let scanner = Scanner { text: text.as_bytes(), limits: &limits, stack: Vec::new(), keys: Vec::new(), at: 0 };
            let from = from.min(text.len());
            proptest::prop_assert_eq!(scanner.string_end(from), string_end_byte_by_byte(text.as_bytes(), from));
        }
    }

    #[test]
    fn structural_bytes_are_found_at_any_place() {
        let limits = Limits::default();
        // Every byte value at every place of a word, with structural bytes after it.
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut text = vec![b'a'; 20];
                text[at] = b;
                text[15] = b',';
                let scanner = Scanner {
                    text: &text,
                    limits: &limits,
                    stack: Vec::new(),
                    keys: Vec::new(),
                    at: 0,
                };
                let want = text.iter().position(|&c| is_structural(c)).unwrap_or(text.len());
                assert_eq!(scanner.next_structural(0), want, "byte {b} at {at}");
                assert_eq!(
                    scanner.next_structural(at.min(3)),
                    want.max(at.min(3)),
                    "byte {b} at {at}"
                );
            }
        }
        let scanner = Scanner {
            text: b"abc",
            limits: &limits,
            stack: Vec::new(),
            keys: Vec::new(),
            at: 0,
        };
        assert_eq!(scanner.next_structural(0), 3);
    }

    #[test]
    fn duplicate_keys_are_found_written_plainly_or_with_escapes() {
        let dup = |t: &str| {
            check_text(t.as_bytes(), &Limits::default())
                .err()
                .map(|e| e.problems()[0].message.clone())
        };
        assert_eq!(
            dup(r#"{"a": {"long key here": 1, "x": "\"", "long key here": 2}}"#).as_deref(),
            Some("duplicate key `long key here`; a key is written once")
        );
        assert_eq!(
            dup(r#"{"ab": 1, "a\u0062": 2}"#).as_deref(),
            Some("duplicate key `ab`; a key is written once")
        );
        assert_eq!(
            dup(r#"{"a\"b": 1, "a\u0022b": 2}"#).as_deref(),
            Some("duplicate key `a\"b`; a key is written once")
        );
        assert_eq!(dup(r#"[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]"#), None);
    }

    #[test]
    fn a_large_text_scanned_alongside_its_parse_fails_as_a_scan_first_would() {
        let l = Limits {
            text_bytes: 8,
            ..Limits::default()
        };
        let items = "\"short\",".repeat(ALONGSIDE_BYTES / 8);
        let fine = format!("[{items}\"last\"]");
        let long = format!("[{items}\"much too long\"]");
        assert!(fine.len() > ALONGSIDE_BYTES);
        let parses = std::cell::Cell::new(0);
        let parse = || parses.set(parses.get() + 1);
        assert!(check_alongside(fine.as_bytes(), &l, parse).is_ok());
        let alongside = check_alongside(long.as_bytes(), &l, parse).unwrap_err();
        let first = check_text(long.as_bytes(), &l).unwrap_err();
        assert_eq!(alongside.problems(), first.problems());
        assert_eq!(
            alongside.problems()[0].path,
            format!("$[{}]", ALONGSIDE_BYTES / 8)
        );
        // Both texts were parsed, on this thread, while the scan ran on another.
        assert_eq!(parses.get(), 2);
        // A small text is scanned first and not parsed when it crosses a limit.
        assert!(check_alongside(br#"["much too long"]"#, &l, parse).is_err());
        assert_eq!(parses.get(), 2);
    }

    #[test]
    fn size_is_checked_first_and_malformed_text_passes_to_the_parser() {
        let l = Limits {
            document_bytes: 5,
            ..Limits::default()
        };
        assert_eq!(path_of("[1, 2, 3]", &l).as_deref(), Some("$"));
        assert_eq!(path_of(r#"]]]}}"ab\"#, &Limits::default()), None);
    }

    #[test]
    fn zero_and_too_deep_limits_are_settings_errors() {
        let l = Limits {
            objectives: 0,
            json_depth: 500,
            ..Limits::default()
        };
        let paths: Vec<String> = l
            .check()
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.path.clone())
            .collect();
        assert_eq!(paths, ["$.limits.objectives", "$.limits.json_depth"]);
    }
}
