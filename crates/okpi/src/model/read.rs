//! A document read from a text's tree, item by item (the one reader is [`crate::text`]).

use super::columns::{Cursor, Table};
use super::Document;
use crate::error::{Code, Problem};
use crate::text::{problem, read, Kind, Node};
use std::ops::Range;

impl Document {
    /// Reads a document tree item by item: every type and shape error of every item (a bad date, a string for a
    /// number, an unknown field, a missing one), each with its path, line and column. The ids are not checked here
    /// (that is validation's work).
    pub fn from_tree(root: &Node) -> Result<Document, Vec<Problem>> {
        let mut doc = Document::new();
        let mut problems = Vec::new();
        let Kind::Map(entries) = &root.kind else {
            // Not an object: serde's positional form (an array of the fields in order), or a type error.
            return read::<Document>(root, "$").map_err(|p| vec![p]);
        };
        let mut version = false;
        for e in entries {
            let path = format!("$.{}", e.key);
            let v = &e.value;
            let p = &mut problems;
            match e.key.as_str() {
                "schema_version" => match read(v, &path) {
                    Ok(n) => {
                        doc.schema_version = n;
                        version = true;
                    }
                    Err(x) => {
                        version = true;
                        p.push(x);
                    }
                },
                "cycles" => items(v, &path, &mut doc.cycles, p),
                "org_units" => items(v, &path, &mut doc.org_units, p),
                "people" => items(v, &path, &mut doc.people, p),
                "objectives" => items(v, &path, &mut doc.objectives, p),
                "key_results" => items(v, &path, &mut doc.key_results, p),
                "check_ins" => table(v, &path, &mut doc.check_ins, p),
                "alignments" => items(v, &path, &mut doc.alignments, p),
                "measures" => items(v, &path, &mut doc.measures, p),
                "metrics" => items(v, &path, &mut doc.metrics, p),
                "observations" => table(v, &path, &mut doc.observations, p),
                "targets" => items(v, &path, &mut doc.targets, p),
                "scorecards" => items(v, &path, &mut doc.scorecards, p),
                "alert_rules" => items(v, &path, &mut doc.alert_rules, p),
                other => p.push(problem(
                    Code::E_PARSE,
                    path.clone(),
                    e.at,
                    format!("unknown field `{other}`, expected one of {}", FIELDS.join(", ")),
                )),
            }
        }
        if !version {
            problems.insert(
                0,
                problem(
                    Code::E_PARSE,
                    "$".into(),
                    root.at,
                    "missing field `schema_version`".into(),
                ),
            );
        }
        if problems.is_empty() {
            Ok(doc)
        } else {
            Err(problems)
        }
    }
}

/// The fields of a document, as an unknown one's message lists them.
const FIELDS: [&str; 14] = [
    "`schema_version`",
    "`cycles`",
    "`org_units`",
    "`people`",
    "`objectives`",
    "`key_results`",
    "`check_ins`",
    "`alignments`",
    "`measures`",
    "`metrics`",
    "`observations`",
    "`targets`",
    "`scorecards`",
    "`alert_rules`",
];

/// Reads every item of the list `node` (at `path`) into `out`, each error at its item's path.
fn items<T: serde::de::DeserializeOwned>(
    node: &Node,
    path: &str,
    out: &mut Vec<T>,
    problems: &mut Vec<Problem>,
) {
    let Kind::Seq(list) = &node.kind else {
        match read::<Vec<T>>(node, path) {
            Ok(v) => *out = v,
            Err(p) => problems.push(p),
        }
        return;
    };
    out.reserve(list.len());
    for (i, item) in list.iter().enumerate() {
        match read(item, &format!("{path}[{i}]")) {
            Ok(v) => out.push(v),
            Err(p) => problems.push(p),
        }
    }
}

/// Reads every row of the list `node` (at `path`) into the columns of `out`, each error at its item's path, as
/// [`items`] does for the other lists.
fn table<T>(node: &Node, path: &str, out: &mut T, problems: &mut Vec<Problem>)
where
    T: Table + serde::de::DeserializeOwned,
    T::Row: serde::de::DeserializeOwned,
{
    let Kind::Seq(list) = &node.kind else {
        match read::<T>(node, path) {
            Ok(v) => *out = v,
            Err(p) => problems.push(p),
        }
        return;
    };
    for (i, item) in list.iter().enumerate() {
        match read::<T::Row>(item, &format!("{path}[{i}]")) {
            Ok(v) => out.add(v),
            Err(p) => problems.push(p),
        }
    }
}

/// [`Document::from_slice_with_limits`]: the size checked first, then the limits scan on a second thread while
/// this one checks the UTF-8 and parses (see [`crate::limits::check_alongside`]); a crossed limit comes before bad
/// UTF-8, which comes before a parse error, as when they ran one after the other.
pub(super) fn from_slice(bytes: &[u8], limits: &crate::Limits) -> Result<Document, crate::Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes); // a BOM, as text::strip_bom
    let parsed = crate::limits::check_alongside(bytes, limits, || {
        let text = std::str::from_utf8(bytes)?;
        Ok((text, quick(text)))
    })?;
    let (text, fast) = parsed.map_err(|e: std::str::Utf8Error| {
        crate::Error::parse(Problem::new(
            Code::E_PARSE,
            "$",
            None,
            format!(
                "the document is not valid UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        ))
    })?;
    match fast {
        Some(doc) => Ok(doc),
        None => crate::text::located(text, limits, Document::from_tree),
    }
}

/// [`Document::from_json_with_limits`]: the limits scan on a second thread while this one parses (see
/// [`crate::limits::check_alongside`]).
pub(super) fn from_str(text: &str, limits: &crate::Limits) -> Result<Document, crate::Error> {
    let text = crate::text::strip_bom(text);
    match crate::limits::check_alongside(text.as_bytes(), limits, || quick(text))? {
        Some(doc) => Ok(doc),
        None => crate::text::located(text, limits, Document::from_tree),
    }
}

/// A JSON document as serde_json reads it, or `None` when serde_json refuses it. The observations and check-ins
/// (most of a large document) are read by hand when they have the plain shape [`Cursor`] reads, the other fields
/// by serde_json one after the other; anything else (another shape, an unknown or repeated field, a syntax
/// error) is left to serde_json reading the whole text, which decides.
pub(crate) fn quick(text: &str) -> Option<Document> {
    by_field(text).or_else(|| crate::text::fast(text))
}

/// Texts from which the observations are read on a second thread ([`by_field_apart`]): below it, starting a
/// thread costs more than it spares.
const APART_BYTES: usize = 1 << 22;

/// The document object read field by field.
fn by_field(text: &str) -> Option<Document> {
    by_field_apart(text, text.len() >= APART_BYTES)
}

/// The document object read field by field; when `apart`, its observations (most of a large document's bytes)
/// are read on a second thread, which finds them by skipping the fields before them, while this one reads the
/// fields before them, takes the observations from that thread, and reads on from where they end. The result is
/// the one reading gives. (If the OS refuses the thread, this one reads them itself.)
fn by_field_apart(text: &str, apart: bool) -> Option<Document> {
    if !apart {
        return fields(text, &mut |c: &mut Cursor<'_>| super::Observations::read_quick(c));
    }
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name("okpi-observations".into())
            .spawn_scoped(s, || observations(text));
        let Ok(handle) = spawned else {
            return fields(text, &mut |c: &mut Cursor<'_>| super::Observations::read_quick(c));
        };
        let mut pending = Some(handle);
        let doc = fields(text, &mut |c: &mut Cursor<'_>| {
            // The first `observations` field, where the other thread found it (a second one is refused anyway).
            let (span, read) = pending.take()?.join().ok().flatten().flatten()?;
            c.space();
            (c.at() == span.start).then(|| c.advance(span.len()))?;
            Some(read)
        });
        // Without an `observations` field here, the other thread must not have found one either.
        match pending.map(|h| h.join().ok().flatten()) {
            Some(Some(None)) | None => doc,
            Some(_) => None,
        }
    })
}

/// The first `observations` field of the document object, read by hand, with the byte range of its value; the
/// fields before it skipped. `Some(None)` when the object has none.
fn observations(text: &str) -> Option<Option<(Range<usize>, super::Observations)>> {
    let mut c = Cursor::new(text, 0);
    if !c.eat(b'{') {
        return None;
    }
    if c.eat(b'}') {
        return Some(None);
    }
    loop {
        let key = c.string()?;
        if !c.eat(b':') {
            return None;
        }
        if key == "observations" {
            c.space();
            let start = c.at();
            let read = super::Observations::read_quick(&mut c)?;
            return Some(Some((start..c.at(), read)));
        }
        c.skip_value()?;
        if !c.eat(b',') {
            return c.eat(b'}').then_some(None);
        }
    }
}

/// The document object read field by field, its observations by `observations`.
fn fields<'a>(
    text: &'a str,
    observations: &mut dyn FnMut(&mut Cursor<'a>) -> Option<super::Observations>,
) -> Option<Document> {
    let mut doc = Document::new();
    let mut seen = [false; FIELDS.len()];
    let mut c = Cursor::new(text, 0);
    c.object(|c, key| {
        let i = FIELDS.iter().position(|f| f.get(1..f.len() - 1) == Some(key))?;
        if std::mem::replace(seen.get_mut(i)?, true) {
            return None;
        }
        match key {
            "schema_version" => doc.schema_version = value(c)?,
            "cycles" => doc.cycles = value(c)?,
            "org_units" => doc.org_units = value(c)?,
            "people" => doc.people = value(c)?,
            "objectives" => doc.objectives = value(c)?,
            "key_results" => doc.key_results = value(c)?,
            "check_ins" => doc.check_ins = super::CheckIns::read_quick(c)?,
            "alignments" => doc.alignments = value(c)?,
            "measures" => doc.measures = value(c)?,
            "metrics" => doc.metrics = value(c)?,
            "observations" => doc.observations = observations(c)?,
            "targets" => doc.targets = value(c)?,
            "scorecards" => doc.scorecards = value(c)?,
            "alert_rules" => doc.alert_rules = value(c)?,
            _ => return None,
        }
        Some(())
    })?;
    (c.at_end() && seen.first() == Some(&true)).then_some(doc)
}

/// The JSON value at `c`, read by serde_json, the cursor moved past it.
fn value<T: serde::de::DeserializeOwned>(c: &mut Cursor<'_>) -> Option<T> {
    let mut values = serde_json::Deserializer::from_str(c.rest()).into_iter::<T>();
    let v = values.next()?.ok()?;
    c.advance(values.byte_offset());
    Some(v)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const FULL: &str = r#"{"schema_version": 1,
      "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
      "org_units": [{"id": "u", "name": "Unit"}],
      "people": [{"id": "p", "name": "Pat", "unit": "u"}],
      "objectives": [{"id": "o", "cycle": "q", "title": "Grow"}],
      "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 10}],
      "check_ins": [{"key_result": "k", "date": "2026-01-05", "value": 3, "confidence": null, "note": "n"},
                    {"key_result": "k", "date": "2026-01-12", "value": 4.5}],
      "alignments": [],
      "measures": [{"id": "orders"}],
      "metrics": [],
      "observations": [{"measure": "orders", "date": "2026-01-05", "value": -0, "dims": {"unit": "u"}},
                       {"measure": "orders", "date": "2026-01-06", "value": 2.25, "source": null}],
      "targets": [], "scorecards": [], "alert_rules": []}"#;

    /// The hand-and-serde reading of `text` is serde_json's, and whether it took the hand path. The hand path
    /// gives the same with the observations read on a second thread as on this one.
    fn same(text: &str) -> bool {
        let serde = crate::text::fast::<Document>(text);
        assert_eq!(quick(text), serde, "{text}");
        let here = by_field_apart(text, false);
        assert_eq!(by_field_apart(text, true), here, "{text}");
        here.is_some()
    }

    #[test]
    fn documents_read_field_by_field_as_serde_reads_them() {
        assert!(same(FULL));
        assert!(same(&FULL.replace('\n', "\r\n\t")));
        assert!(same(r#"{"schema_version": 1}"#));
        assert!(same(r#" {"observations": [], "schema_version": 2} "#));
        // What the second thread skips to reach the observations: brackets, quotes and backslashes in strings,
        // numbers with exponents, nested lists, white space.
        let tricky = r#"{"schema_version": 1, "cycles": [{"id": "q]}", "start": "2026-01-01", "end": "2026-03-31"}],
          "org_units": [{"id": "u", "name": "a \"[{\\"}, {"id": "v", "name": "x}]\u005d", "parent": "u"}],
          "objectives": [{"id": "o", "cycle": "q]}", "title": "\\ {[\"]}"}],
          "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 1e3}],
          "observations": [{"measure": "orders", "date": "2026-01-05", "value": 1, "dims": {"unit": "u"}}]}"#;
        let read = quick(tricky).unwrap();
        assert_eq!(read.observations.len(), 1);
        assert!(same(tricky));
        assert!(same(&FULL.replace("\"observations\": [", "\"observations\": [ ")));
        // The observations first, last, or absent.
        let first = format!(
            r#"{{"observations": [{{"measure": "orders", "date": "2026-01-05", "value": 1}}], {}"#,
            FULL.trim_start_matches('{')
                .replace(r#""observations": [{"measure": "orders", "date": "2026-01-05", "value": -0, "dims": {"unit": "u"}},
                       {"measure": "orders", "date": "2026-01-06", "value": 2.25, "source": null}],"#, "")
        );
        assert!(same(&first), "{first}");
        assert!(same(
            r#"{"schema_version": 1, "observations": [{"measure": "m", "date": "2026-01-05", "value": 1}]}"#
        ));
        assert!(same(r#"{"schema_version": 1, "cycles": []}"#));
        assert_eq!(
            quick(FULL).unwrap().observations.get(0).unwrap().value.to_bits(),
            (-0.0f64).to_bits()
        );
    }

    /// The three readers agree: the same document from a good text, the same first problem (code and path) from a
    /// bad one.
    #[test]
    fn every_reader_reads_alike() {
        let limits = crate::Limits::default();
        let read = |text: &str| {
            [
                Document::from_json(text),
                Document::from_json_with_limits(text, &limits),
                Document::from_slice_with_limits(text.as_bytes(), &limits),
            ]
        };
        for doc in read(FULL) {
            assert_eq!(doc.ok().as_ref(), quick(FULL).as_ref());
        }
        let bad = FULL
            .replace("\"value\": 4.5", "\"value\": \"4.5\"")
            .replace("\"value\": 2.25", "\"value\": true");
        for err in read(&bad).map(|r| r.expect_err("a string for a number")) {
            let p = err.problems().first().expect("a problem");
            assert_eq!(
                (p.code.as_str(), p.path.as_str()),
                ("E_PARSE", "$.check_ins[1].value"),
                "{err}"
            );
        }
    }

    /// A document above [`APART_BYTES`] takes the two-thread path (by `by_field`, as `quick` calls it) and reads
    /// as serde_json reads it: every observation, in order, none lost where the threads meet.
    #[test]
    fn a_large_document_is_read_on_two_threads_as_serde_reads_it() {
        let row = |i: usize| {
            format!(
                r#"{{"measure": "orders", "date": "2026-01-{:02}", "value": {i}.5, "dims": {{"unit": "u{}"}}}}"#,
                i % 28 + 1,
                i % 7
            )
        };
        let rows: Vec<String> = (0..60_000).map(row).collect();
        let text = FULL.replace(
            r#""observations": [{"measure": "orders", "date": "2026-01-05", "value": -0, "dims": {"unit": "u"}},"#,
            &format!(r#""observations": [{},"#, rows.join(",\n")),
        );
        assert!(text.len() >= APART_BYTES, "{} bytes", text.len());
        let read = by_field(&text).expect("the hand path reads it");
        assert_eq!(read.observations.len(), 60_001);
        assert_eq!(Some(read), crate::text::fast::<Document>(&text));
    }

    #[test]
    fn anything_else_is_left_to_serde() {
        for text in [
            // Another shape of rows: an escape, an exponent, the positional form, a number for a string.
            FULL.replace("\"n\"", "\"\\u006e\""),
            FULL.replace("2.25", "225e-2"),
            FULL.replace(
                r#"{"measure": "orders", "date": "2026-01-06", "value": 2.25, "source": null}"#,
                r#"["orders", "2026-01-06", 2.25]"#,
            ),
            // Errors serde names: unknown, repeated and missing fields, a bad date, trailing text, not an object.
            FULL.replace("\"metrics\"", "\"metricz\""),
            FULL.replace("\"alignments\": [],", "\"alignments\": [], \"alignments\": [],"),
            r#"{"cycles": []}"#.to_owned(),
            FULL.replace("2026-01-12", "2026-02-30"),
            format!("{FULL} x"),
            format!("{FULL},"),
            "[1, []]".to_owned(),
            FULL.replace("\"value\": 3,", "\"value\": \"3\","),
            FULL.replace("\"schema_version\": 1", "\"schema_version\": 1 1"),
            FULL.replace(", \"scorecards\": []", ", \"scorecards\": [],"),
            // Observations given twice, or cut short where the second thread reads them.
            FULL.replace("\"targets\": []", "\"observations\": [], \"targets\": []"),
            FULL.replace(
                "\"value\": 2.25, \"source\": null}]",
                "\"value\": 2.25, \"source\": null}",
            ),
        ] {
            assert!(!same(&text), "{text}");
        }
    }
}
