//! [`CheckIns`]: a document's check-ins in columns. A check-in is a key result id repeated across its key result's
//! check-ins, a day, two optional numbers and a rare note, so the ids and notes are coded once each and every row
//! holds codes and numbers: 28 bytes a row instead of a record with two `String`s (about 120 bytes and one or two
//! allocations). Validation resolves each distinct key result id once, and the store takes the columns over as
//! they are. Its JSON is exactly the array of [`CheckIn`] objects, both ways; JSON is read straight into the
//! columns.

use super::columns::{self, once, Cursor, Table};
use super::date::LastDate;
use super::CheckIn;
use crate::id::{FastMap, Id};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// "No value" (or "no confidence") in a number column: a NaN whose bits no arithmetic produces. A number pushed
/// with these bits is kept as the ordinary NaN, so `Some(NaN)` stays `Some(NaN)` (and validation reports it).
const NONE_BITS: u64 = 0x7ff4_0000_0000_0b1e;
/// "No note" in the note column; any other entry is a position in the note dictionary.
pub(crate) const NO_NOTE: u32 = u32::MAX;

/// A number for a number column.
pub(crate) fn code_number(v: Option<f64>) -> f64 {
    match v {
        None => f64::from_bits(NONE_BITS),
        Some(v) if v.to_bits() == NONE_BITS => f64::NAN,
        Some(v) => v,
    }
}

/// The number of a number column's entry.
fn number(v: f64) -> Option<f64> {
    (v.to_bits() != NONE_BITS).then_some(v)
}

/// A document's check-ins, in columns with dictionary-coded key result ids and notes.
///
/// Build it with [`CheckIns::push`] (or collect [`CheckIn`]s into it); read it with [`CheckIns::iter`], whose
/// rows borrow their strings. Its JSON is the array of check-in objects.
///
/// ```
/// use okpi::model::{CheckIn, CheckIns};
/// let mut cis = CheckIns::new();
/// cis.push(CheckIn {
///     key_result: "kr1".into(),
///     date: okpi::model::parse_date("2026-01-05").unwrap(),
///     value: Some(3.0),
///     confidence: None,
///     note: Some("on track".into()),
/// });
/// let json = serde_json::to_string(&cis).unwrap();
/// assert_eq!(json, r#"[{"key_result":"kr1","date":"2026-01-05","value":3.0,"note":"on track"}]"#);
/// let back: CheckIns = serde_json::from_str(&json).unwrap();
/// assert_eq!((back.len(), back.get(0).unwrap().note), (1, Some("on track")));
/// ```
#[derive(Default)]
pub struct CheckIns {
    /// Each row's key result: a position in `key_results`.
    pub(crate) key_result: Vec<u32>,
    pub(crate) date: Vec<NaiveDate>,
    /// Each row's value ([`NONE_BITS`]: none).
    pub(crate) value: Vec<f64>,
    /// Each row's confidence ([`NONE_BITS`]: none).
    pub(crate) confidence: Vec<f64>,
    /// Each row's note: a position in `notes` ([`NO_NOTE`]: none).
    pub(crate) note: Vec<u32>,
    /// Key result ids, in the order first met: ids, so that most (up to 14 bytes) are held inline and neither
    /// reading nor dropping a document allocates or frees one per key result.
    pub(crate) key_results: Vec<Id>,
    /// Distinct notes, in the order first met.
    pub(crate) notes: Vec<Box<str>>,
    codes: Codes,
}

/// The dictionaries' look-ups, so that a row is coded without allocating. They index a prefix of the
/// dictionaries and catch up before a look-up: a clone leaves them empty instead of copying them.
#[derive(Default)]
struct Codes {
    key_results: FastMap<Id, u32>,
    notes: FastMap<Box<str>, u32>,
    /// The key result of the row pushed last (a key result's check-ins come together).
    last_key_result: Option<u32>,
}

/// One check-in of [`CheckIns`], its strings borrowed; it serialises as a [`CheckIn`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename = "CheckIn")]
pub struct CheckInRef<'a> {
    /// The key result measured.
    pub key_result: &'a str,
    /// Day of the measurement.
    pub date: NaiveDate,
    /// The measured value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Confidence 0–10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

impl CheckInRef<'_> {
    /// The check-in as an owned [`CheckIn`].
    pub fn to_check_in(&self) -> CheckIn {
        CheckIn {
            key_result: self.key_result.to_owned(),
            date: self.date,
            value: self.value,
            confidence: self.confidence,
            note: self.note.map(str::to_owned),
        }
    }
}

impl CheckIns {
    /// No check-ins.
    pub fn new() -> CheckIns {
        CheckIns::default()
    }

    /// Number of check-ins.
    pub fn len(&self) -> usize {
        self.date.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }

    /// Room for `n` more check-ins.
    pub fn reserve(&mut self, n: usize) {
        self.key_result.reserve(n);
        self.date.reserve(n);
        self.value.reserve(n);
        self.confidence.reserve(n);
        self.note.reserve(n);
    }

    /// Appends a check-in.
    pub fn push(&mut self, c: CheckIn) {
        self.push_ref(CheckInRef {
            key_result: &c.key_result,
            date: c.date,
            value: c.value,
            confidence: c.confidence,
            note: c.note.as_deref(),
        });
    }

    /// Appends a check-in given by reference (its strings are coded, not kept).
    pub fn push_ref(&mut self, c: CheckInRef<'_>) {
        let kr = self.key_result_code(c.key_result);
        let note = c.note.map_or(NO_NOTE, |n| self.note_code(n));
        self.push_codes(kr, c.date, code_number(c.value), code_number(c.confidence), note);
    }

    /// The check-in at `i`.
    pub fn get(&self, i: usize) -> Option<CheckInRef<'_>> {
        let key_result = self.key_results.get(*self.key_result.get(i)? as usize)?.as_str();
        let note = *self.note.get(i)?;
        Some(CheckInRef {
            key_result,
            date: *self.date.get(i)?,
            value: number(*self.value.get(i)?),
            confidence: number(*self.confidence.get(i)?),
            note: self.notes.get(note as usize).map(|n| &**n),
        })
    }

    /// The first check-in.
    pub fn first(&self) -> Option<CheckInRef<'_>> {
        self.get(0)
    }

    /// The last check-in.
    pub fn last(&self) -> Option<CheckInRef<'_>> {
        self.get(self.len().checked_sub(1)?)
    }

    /// The check-ins in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = CheckInRef<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(EMPTY_ROW))
    }

    /// Keeps the check-ins for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(CheckInRef<'_>) -> bool) {
        let kept: Vec<bool> = self.iter().map(&mut keep).collect();
        fn filter<T: Copy>(col: &mut Vec<T>, kept: &[bool]) {
            let mut flags = kept.iter();
            col.retain(|_| flags.next().copied().unwrap_or(false));
        }
        filter(&mut self.key_result, &kept);
        filter(&mut self.date, &kept);
        filter(&mut self.value, &kept);
        filter(&mut self.confidence, &kept);
        filter(&mut self.note, &kept);
    }

    /// Keeps the first `n` check-ins.
    pub fn truncate(&mut self, n: usize) {
        self.key_result.truncate(n);
        self.date.truncate(n);
        self.value.truncate(n);
        self.confidence.truncate(n);
        self.note.truncate(n);
    }

    /// Removes the last check-in and returns it.
    pub fn pop(&mut self) -> Option<CheckIn> {
        let last = self.last()?.to_check_in();
        self.truncate(self.len() - 1);
        Some(last)
    }

    /// Removes every check-in.
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// The check-ins as owned values.
    pub fn to_vec(&self) -> Vec<CheckIn> {
        self.iter().map(|c| c.to_check_in()).collect()
    }

    /// The distinct key result ids the rows name, each once, in the order first met: row `i` names
    /// `key_result_ids()[key_result_codes()[i]]`.
    pub(crate) fn key_result_ids(&self) -> &[Id] {
        &self.key_results
    }

    /// Each row's key result, as a position in [`CheckIns::key_result_ids`].
    pub(crate) fn key_result_codes(&self) -> &[u32] {
        &self.key_result
    }

    /// Appends a row whose key result is `key_results[kr]` and whose note is `notes[note]` (or [`NO_NOTE`]);
    /// `value` and `confidence` as [`code_number`] writes them.
    pub(crate) fn push_codes(&mut self, kr: u32, date: NaiveDate, value: f64, confidence: f64, note: u32) {
        self.key_result.push(kr);
        self.date.push(date);
        self.value.push(value);
        self.confidence.push(confidence);
        self.note.push(note);
    }

    /// The code of key result id `kr`: the id pushed last is compared before anything is hashed.
    pub(crate) fn key_result_code(&mut self, kr: &str) -> u32 {
        if let Some(last) = self.codes.last_key_result {
            if self
                .key_results
                .get(last as usize)
                .is_some_and(|s| s.as_str() == kr)
            {
                return last;
            }
        }
        let code = code_in(&mut self.key_results, &mut self.codes.key_results, kr);
        self.codes.last_key_result = Some(code);
        code
    }

    fn note_code(&mut self, note: &str) -> u32 {
        code_in(&mut self.notes, &mut self.codes.notes, note)
    }
}

impl CheckIns {
    /// The JSON array of check-in objects at `c`, read by hand (see [`super::columns`]); `None` where serde must
    /// read the text.
    pub(crate) fn read_quick(c: &mut Cursor<'_>) -> Option<CheckIns> {
        let mut out = CheckIns::new();
        let mut last_date = LastDate::default();
        c.list(|c| {
            let (mut kr, mut date, mut value, mut confidence, mut note) = (None, None, None, None, None);
            c.object(|c, key| match key {
                "key_result" => {
                    let k = out.key_result_code(c.string()?);
                    once(&mut kr, k)
                }
                "date" => once(&mut date, last_date.parse(c.string()?).ok()?),
                "value" => once(&mut value, c.number_or_null()?),
                "confidence" => once(&mut confidence, c.number_or_null()?),
                "note" => {
                    let n = c.string_or_null()?.map_or(NO_NOTE, |n| out.note_code(n));
                    once(&mut note, n)
                }
                _ => None,
            })?;
            out.push_codes(
                kr?,
                date?,
                code_number(value.flatten()),
                code_number(confidence.flatten()),
                note.unwrap_or(NO_NOTE),
            );
            Some(())
        })?;
        Some(out)
    }
}

/// The position of `s` in `list`, added if new; `index` maps a prefix of `list` and catches up first.
fn code_in<W>(list: &mut Vec<W>, index: &mut FastMap<W, u32>, s: &str) -> u32
where
    W: for<'a> From<&'a str> + std::borrow::Borrow<str> + Clone + Eq + std::hash::Hash,
{
    if index.len() < list.len() {
        index.reserve(list.len() - index.len());
        for (i, w) in list.iter().enumerate().skip(index.len()) {
            index.entry(w.clone()).or_insert(i as u32);
        }
    }
    if let Some(&c) = index.get(s) {
        return c;
    }
    let c = list.len() as u32;
    list.push(s.into());
    index.insert(s.into(), c);
    c
}

const EMPTY_ROW: CheckInRef<'static> = CheckInRef {
    key_result: "",
    date: NaiveDate::MIN,
    value: None,
    confidence: None,
    note: None,
};

/// A copy of the columns and dictionaries; the look-ups are rebuilt only if the copy is pushed to.
impl Clone for CheckIns {
    fn clone(&self) -> CheckIns {
        CheckIns {
            key_result: self.key_result.clone(),
            date: self.date.clone(),
            value: self.value.clone(),
            confidence: self.confidence.clone(),
            note: self.note.clone(),
            key_results: self.key_results.clone(),
            notes: self.notes.clone(),
            codes: Codes::default(),
        }
    }
}

impl fmt::Debug for CheckIns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        columns::debug(self, f)
    }
}

/// Equal when the rows are equal, in order (however each side coded them).
impl PartialEq for CheckIns {
    fn eq(&self, other: &CheckIns) -> bool {
        columns::eq(self, other)
    }
}

impl From<Vec<CheckIn>> for CheckIns {
    fn from(rows: Vec<CheckIn>) -> CheckIns {
        columns::collect(rows)
    }
}

impl FromIterator<CheckIn> for CheckIns {
    fn from_iter<I: IntoIterator<Item = CheckIn>>(rows: I) -> CheckIns {
        columns::collect(rows)
    }
}

impl Extend<CheckIn> for CheckIns {
    fn extend<I: IntoIterator<Item = CheckIn>>(&mut self, rows: I) {
        rows.into_iter().for_each(|c| self.push(c));
    }
}

impl Serialize for CheckIns {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        columns::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for CheckIns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CheckIns, D::Error> {
        columns::deserialize(d)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for CheckIns {
    fn inline_schema() -> bool {
        <Vec<CheckIn>>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<CheckIn>>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<CheckIn>>::json_schema(generator)
    }
}

/// The fields of a check-in read so far: codes, the date, and the numbers as [`code_number`] writes them.
pub(crate) struct Partial {
    key_result: u32,
    date: NaiveDate,
    value: f64,
    confidence: f64,
    note: u32,
}

impl Default for Partial {
    fn default() -> Partial {
        Partial {
            key_result: 0,
            date: NaiveDate::default(),
            value: code_number(None),
            confidence: code_number(None),
            note: NO_NOTE,
        }
    }
}

impl Table for CheckIns {
    type Row = CheckIn;
    type Ref<'a> = CheckInRef<'a>;
    type Partial = Partial;
    const NAME: &'static str = "CheckIn";
    const FIELDS: &'static [&'static str] = &["key_result", "date", "value", "confidence", "note"];
    const REQUIRED: usize = 2;

    fn count(&self) -> usize {
        self.len()
    }

    fn row(&self, i: usize) -> Option<CheckInRef<'_>> {
        self.get(i)
    }

    fn add(&mut self, row: CheckIn) {
        self.push(row);
    }

    fn field<'de, D: Deserializer<'de>>(
        &mut self,
        i: usize,
        part: &mut Partial,
        dates: &mut LastDate,
        d: D,
    ) -> Result<(), D::Error> {
        match i {
            0 => part.key_result = columns::word(d, |k| self.key_result_code(k))?,
            1 => part.date = columns::date(dates, d)?,
            2 => part.value = code_number(Option::deserialize(d)?),
            3 => part.confidence = code_number(Option::deserialize(d)?),
            _ => part.note = columns::optional_word(d, NO_NOTE, |n| self.note_code(n))?,
        }
        Ok(())
    }

    fn finish(&mut self, p: Partial) {
        self.push_codes(p.key_result, p.date, p.value, p.confidence, p.note);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    /// The rows of `text` read by hand, if the whole text is their list.
    fn quick(text: &str) -> Option<CheckIns> {
        let mut c = Cursor::new(text, 0);
        let out = CheckIns::read_quick(&mut c)?;
        c.at_end().then_some(out)
    }

    fn row() -> impl Strategy<Value = CheckIn> {
        let number = prop_oneof![
            (-1e6f64..1e6),
            Just(0.0),
            Just(-0.0),
            Just(1e300),
            Just(5e-324),
            (0i32..11).prop_map(f64::from)
        ];
        (
            prop::sample::select(vec!["kr1", "kr2", "k\\\"3", "é", ""]),
            0i64..100,
            prop::option::of(number.clone()),
            prop::option::of(number),
            prop::option::of(prop::sample::select(vec!["weekly update", "", "ünïcode \n"])),
        )
            .prop_map(|(kr, d, value, confidence, note)| CheckIn {
                key_result: kr.to_owned(),
                date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(d),
                value,
                confidence,
                note: note.map(str::to_owned),
            })
    }

    proptest! {
        /// Random rows → JSON of the rows → columns → JSON: the same text, and the same rows back.
        #[test]
        fn the_columns_read_and_write_the_rows_json(rows in prop::collection::vec(row(), 0..40)) {
            let text = serde_json::to_string(&rows).unwrap();
            let cols: CheckIns = serde_json::from_str(&text).unwrap();
            let pretty = serde_json::to_string_pretty(&rows).unwrap();
            for t in [&text, &pretty] {
                match quick(t) {
                    Some(q) => prop_assert_eq!(&q, &cols),
                    None => prop_assert!(!super::super::columns::plain(t), "{}", t),
                }
            }
            prop_assert_eq!(serde_json::to_string(&cols).unwrap(), text.clone());
            prop_assert_eq!(cols.to_vec(), rows.clone());
            let pushed = CheckIns::from(rows.clone());
            prop_assert_eq!(serde_json::to_string(&pushed).unwrap(), text.clone());
            prop_assert_eq!(&pushed, &cols);
            // A clone codes the rows pushed to it as the original does.
            let mut copy = cols.clone();
            copy.extend(rows.iter().cloned());
            prop_assert_eq!(copy.key_results.len(), cols.key_results.len());
            prop_assert_eq!(copy.to_vec(), [rows.clone(), rows].concat());
        }
    }

    #[test]
    fn a_nan_pushed_stays_a_number_and_none_stays_none() {
        let ci = |value| CheckIn {
            key_result: "k".into(),
            date: NaiveDate::MIN,
            value,
            confidence: Some(f64::from_bits(NONE_BITS)),
            note: None,
        };
        let cols = CheckIns::from(vec![ci(Some(f64::NAN)), ci(None), ci(Some(f64::INFINITY))]);
        assert!(cols.get(0).unwrap().value.unwrap().is_nan());
        assert!(cols.get(0).unwrap().confidence.unwrap().is_nan());
        assert_eq!(cols.get(1).unwrap().value, None);
        assert_eq!(cols.get(2).unwrap().value, Some(f64::INFINITY));
    }

    #[test]
    fn ids_and_notes_are_coded_once() {
        let cols: CheckIns = serde_json::from_str(
            r#"[{"key_result": "a", "date": "2026-01-01", "value": 1, "note": "n"},
                {"key_result": "b", "date": "2026-01-02", "value": null, "note": null},
                {"key_result": "a", "date": "2026-01-03", "confidence": 4, "note": "n"},
                ["b", "2026-01-04", 3]]"#,
        )
        .unwrap();
        assert_eq!(cols.key_results.len(), 2);
        assert_eq!(cols.key_result, [0, 1, 0, 1]);
        assert_eq!(cols.notes.len(), 1);
        let rows = cols.to_vec();
        assert_eq!((rows[1].value, rows[1].note.as_deref()), (None, None));
        assert_eq!((rows[2].value, rows[2].confidence), (None, Some(4.0)));
        assert_eq!((rows[3].key_result.as_str(), rows[3].value), ("b", Some(3.0)));
    }

    #[test]
    fn bad_rows_fail_as_the_row_type_does() {
        for text in [
            r#"[{"date": "2026-01-01"}]"#,
            r#"[{"key_result": "k"}]"#,
            r#"[{"key_result": "k", "date": "2026-01-01", "unit": "u"}]"#,
            r#"[{"key_result": "k", "date": "2026-1-01", "value": 1}]"#,
            r#"[{"key_result": "k", "date": "2026-01-01", "value": "1"}]"#,
            r#"[{"key_result": "k", "date": "2026-01-01", "confidence": true}]"#,
            r#"[{"key_result": "k", "date": "2026-01-01", "note": 5}]"#,
            r#"[{"key_result": 7, "date": "2026-01-01"}]"#,
            r#"[{"key_result": null, "date": "2026-01-01"}]"#,
            r#"[{"key_result": "k", "date": "2026-01-01", "value": 1, "value": 2}]"#,
            r#"[{"key_result": "k", "key_result": "j", "date": "2026-01-01"}]"#,
            r#"[["k"]]"#,
            r#"[["k", "2026-01-01", 1, 2, "n", 6]]"#,
            r#"[5]"#,
            r#"{"key_result": "k"}"#,
        ] {
            assert!(quick(text).is_none(), "{text}");
            let cols = serde_json::from_str::<CheckIns>(text).map_err(|e| e.to_string());
            let rows = serde_json::from_str::<Vec<CheckIn>>(text).map_err(|e| e.to_string());
            assert_eq!(cols.err(), rows.err(), "{text}");
        }
    }

    #[test]
    fn retain_truncate_and_get() {
        let mut cols: CheckIns = serde_json::from_str(
            r#"[{"key_result": "a", "date": "2026-01-01", "value": 1, "note": "x"},
                {"key_result": "b", "date": "2026-01-02", "value": 2},
                {"key_result": "c", "date": "2026-01-03", "value": 3}]"#,
        )
        .unwrap();
        assert_eq!(cols.get(0).unwrap().note, Some("x"));
        assert!(cols.get(3).is_none());
        cols.retain(|c| c.key_result != "a");
        assert_eq!((cols.len(), cols.first().unwrap().value), (2, Some(2.0)));
        cols.truncate(1);
        assert_eq!(cols.last().unwrap().key_result, "b");
        cols.clear();
        assert!(cols.is_empty());
    }
}
