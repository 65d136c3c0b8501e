//! [`Observations`]: a document's observations in columns. An observation is a few numbers and a few repeated
//! strings (its measure, its dims, its source), so the strings are coded once each and every row holds codes:
//! 24 bytes a row instead of a `String` and a `BTreeMap` of dims (hundreds of bytes and four allocations) each.
//! Its JSON is exactly the array of [`Observation`] objects, both ways; JSON is read straight into the columns.

use super::columns::{self, once, Cursor, Table};
use super::date::LastDate;
use super::Observation;
use crate::id::FastMap;
use chrono::NaiveDate;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A document's observations, in columns with dictionary-coded measures, dims and sources.
///
/// Build it with [`Observations::push`] (or collect [`Observation`]s into it); read it with
/// [`Observations::iter`], whose rows borrow their strings. Its JSON is the array of observation objects.
///
/// ```
/// use okpi::model::{Observation, Observations};
/// let mut obs = Observations::new();
/// obs.push(Observation {
///     measure: "orders".into(),
///     date: okpi::model::parse_date("2026-01-05").unwrap(),
///     value: 3.0,
///     dims: [("unit".to_owned(), "east".to_owned())].into(),
///     source: None,
/// });
/// let json = serde_json::to_string(&obs).unwrap();
/// assert_eq!(json, r#"[{"measure":"orders","date":"2026-01-05","value":3.0,"dims":{"unit":"east"}}]"#);
/// let back: Observations = serde_json::from_str(&json).unwrap();
/// assert_eq!((back.len(), back.get(0).unwrap().dims.get("unit").map(String::as_str)), (1, Some("east")));
/// ```
#[derive(Clone, Default)]
pub struct Observations {
    /// Each row's measure: a position in `measures`.
    pub(crate) measure: Vec<u32>,
    pub(crate) date: Vec<NaiveDate>,
    pub(crate) value: Vec<f64>,
    /// Each row's dims: a position in `dim_sets`.
    pub(crate) dims: Vec<u32>,
    /// Each row's source: a position in `sources` (0: none).
    pub(crate) source: Vec<u32>,
    /// Measure ids, in the order first met.
    pub(crate) measures: Vec<String>,
    /// Distinct sets of dims, in the order first met.
    pub(crate) dim_sets: Vec<BTreeMap<String, String>>,
    /// `None` first, then each distinct source in the order first met.
    pub(crate) sources: Vec<Option<String>>,
    codes: Codes,
}

/// The dictionaries' look-ups, so that a row is coded without allocating.
#[derive(Clone, Default)]
struct Codes {
    measures: FastMap<Box<str>, u32>,
    sources: FastMap<Box<str>, u32>,
    /// Dim keys and values, and each one by its code.
    words: FastMap<Box<str>, u32>,
    word_list: Vec<Box<str>>,
    /// A dim set as its sorted `(key, value)` word codes.
    sets: FastMap<Box<[(u32, u32)]>, u32>,
    /// A dim set of one `(key, value)` pair, by the pair's codes (`key << 32 | value`): the common set, found
    /// without hashing a slice.
    singles: FastMap<u64, u32>,
    /// The measure of the row pushed last (feeds repeat one measure for many rows).
    last_measure: Option<u32>,
    /// The dim key read last (rows repeat the same keys).
    last_key: Option<u32>,
    /// Scratch for a row's dims, reused from row to row.
    pairs: Vec<(u32, u32)>,
}

/// One observation of [`Observations`], its strings borrowed; it serialises as an [`Observation`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename = "Observation")]
pub struct ObservationRef<'a> {
    /// The measure observed.
    pub measure: &'a str,
    /// The day it belongs to.
    pub date: NaiveDate,
    /// The value.
    pub value: f64,
    /// Categorical dimensions (empty when the observation has none).
    #[serde(skip_serializing_if = "no_dims")]
    pub dims: &'a BTreeMap<String, String>,
    /// The system the value came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
}

fn no_dims(dims: &&BTreeMap<String, String>) -> bool {
    dims.is_empty()
}

impl ObservationRef<'_> {
    /// The observation as an owned [`Observation`].
    pub fn to_observation(&self) -> Observation {
        Observation {
            measure: self.measure.to_owned(),
            date: self.date,
            value: self.value,
            dims: self.dims.clone(),
            source: self.source.map(str::to_owned),
        }
    }
}

static NO_DIMS: BTreeMap<String, String> = BTreeMap::new();

impl Observations {
    /// No observations.
    pub fn new() -> Observations {
        Observations::default()
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.date.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }

    /// Room for `n` more observations.
    pub fn reserve(&mut self, n: usize) {
        self.measure.reserve(n);
        self.date.reserve(n);
        self.value.reserve(n);
        self.dims.reserve(n);
        self.source.reserve(n);
    }

    /// Appends an observation.
    pub fn push(&mut self, o: Observation) {
        self.push_ref(ObservationRef {
            measure: &o.measure,
            date: o.date,
            value: o.value,
            dims: &o.dims,
            source: o.source.as_deref(),
        });
    }

    /// Appends an observation given by reference (its strings are coded, not kept).
    pub fn push_ref(&mut self, o: ObservationRef<'_>) {
        let measure = self.measure_code(o.measure);
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(o.dims.len());
        for (k, v) in o.dims {
            let k = self.word_code(k);
            let v = self.word_code(v);
            pairs.push((k, v));
        }
        let dims = self.set_code(&mut pairs);
        let source = o.source.map_or(0, |s| self.source_code(s));
        self.push_codes(measure, o.date, o.value, dims, source);
    }

    /// The observation at `i`.
    pub fn get(&self, i: usize) -> Option<ObservationRef<'_>> {
        let measure = self.measures.get(*self.measure.get(i)? as usize)?;
        Some(ObservationRef {
            measure,
            date: *self.date.get(i)?,
            value: *self.value.get(i)?,
            dims: self.dim_sets.get(*self.dims.get(i)? as usize).unwrap_or(&NO_DIMS),
            source: self
                .sources
                .get(*self.source.get(i)? as usize)
                .and_then(Option::as_deref),
        })
    }

    /// The first observation.
    pub fn first(&self) -> Option<ObservationRef<'_>> {
        self.get(0)
    }

    /// The observations in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ObservationRef<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(EMPTY_ROW))
    }

    /// Keeps the observations for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(ObservationRef<'_>) -> bool) {
        let kept: Vec<bool> = self.iter().map(&mut keep).collect();
        fn filter<T: Copy>(col: &mut Vec<T>, kept: &[bool]) {
            let mut flags = kept.iter();
            col.retain(|_| flags.next().copied().unwrap_or(false));
        }
        filter(&mut self.measure, &kept);
        filter(&mut self.date, &kept);
        filter(&mut self.value, &kept);
        filter(&mut self.dims, &kept);
        filter(&mut self.source, &kept);
    }

    /// The observations as owned values.
    pub fn to_vec(&self) -> Vec<Observation> {
        self.iter().map(|o| o.to_observation()).collect()
    }

    /// Observations made of columns already coded against these dictionaries (the store gives its rows back).
    /// `sources[0]` must be `None`.
    pub(crate) fn from_columns(
        measures: Vec<String>,
        dim_sets: Vec<BTreeMap<String, String>>,
        sources: Vec<Option<String>>,
        rows: impl Iterator<Item = (u32, NaiveDate, f64, u32, u32)>,
    ) -> Observations {
        let mut out = Observations {
            measures,
            sources,
            ..Observations::default()
        };
        for (i, m) in out.measures.iter().enumerate() {
            out.codes.measures.insert(m.as_str().into(), i as u32);
        }
        for (i, s) in out.sources.iter().enumerate() {
            if let Some(s) = s {
                out.codes.sources.insert(s.as_str().into(), i as u32);
            }
        }
        for set in &dim_sets {
            let mut pairs: Vec<(u32, u32)> = set
                .iter()
                .map(|(k, v)| (out.word_code(k), out.word_code(v)))
                .collect();
            out.set_code(&mut pairs);
        }
        for (m, date, value, dims, source) in rows {
            out.push_codes(m, date, value, dims, source);
        }
        out
    }

    fn push_codes(&mut self, measure: u32, date: NaiveDate, value: f64, dims: u32, source: u32) {
        self.measure.push(measure);
        self.date.push(date);
        self.value.push(value);
        self.dims.push(dims);
        self.source.push(source);
    }

    fn measure_code(&mut self, m: &str) -> u32 {
        if let Some(last) = self.codes.last_measure {
            if self.measures.get(last as usize).is_some_and(|s| s == m) {
                return last;
            }
        }
        let code = match self.codes.measures.get(m) {
            Some(&c) => c,
            None => {
                let c = self.measures.len() as u32;
                self.measures.push(m.to_owned());
                self.codes.measures.insert(m.into(), c);
                c
            }
        };
        self.codes.last_measure = Some(code);
        code
    }

    fn source_code(&mut self, s: &str) -> u32 {
        if self.sources.is_empty() {
            self.sources.push(None);
        }
        if let Some(&c) = self.codes.sources.get(s) {
            return c;
        }
        let c = self.sources.len() as u32;
        self.sources.push(Some(s.to_owned()));
        self.codes.sources.insert(s.into(), c);
        c
    }

    /// The code of a dim key: the key read last is compared before anything is hashed.
    fn key_code(&mut self, k: &str) -> u32 {
        if let Some(last) = self.codes.last_key {
            if self.codes.word_list.get(last as usize).is_some_and(|w| &**w == k) {
                return last;
            }
        }
        let c = self.word_code(k);
        self.codes.last_key = Some(c);
        c
    }

    fn word_code(&mut self, w: &str) -> u32 {
        if let Some(&c) = self.codes.words.get(w) {
            return c;
        }
        let c = self.codes.word_list.len() as u32;
        self.codes.word_list.push(w.into());
        self.codes.words.insert(w.into(), c);
        c
    }

    /// The code of the dim set written as `pairs` (word codes, in any order; a key written twice keeps its last
    /// value, as a map read from JSON does).
    fn set_code(&mut self, pairs: &mut Vec<(u32, u32)>) -> u32 {
        if pairs.len() > 1 {
            pairs.sort_by_key(|p| p.0); // stable: the later of a repeated key stays last
            let mut w = 0;
            for r in 0..pairs.len() {
                let next_same = matches!((pairs.get(r), pairs.get(r + 1)), (Some(a), Some(b)) if a.0 == b.0);
                if !next_same {
                    pairs.swap(w, r);
                    w += 1;
                }
            }
            pairs.truncate(w);
        }
        if let [(k, v)] = pairs.as_slice() {
            let single = u64::from(*k) << 32 | u64::from(*v);
            if let Some(&c) = self.codes.singles.get(&single) {
                return c;
            }
            let c = self.new_set(pairs);
            self.codes.singles.insert(single, c);
            return c;
        }
        match self.codes.sets.get(pairs.as_slice()) {
            Some(&c) => c,
            None => self.new_set(pairs),
        }
    }

    /// Adds the dim set written as `pairs` (sorted by key, each key once).
    fn new_set(&mut self, pairs: &[(u32, u32)]) -> u32 {
        let list = &self.codes.word_list;
        let word = |c: u32| list.get(c as usize).map_or_else(String::new, |w| w.to_string());
        let set: BTreeMap<String, String> = pairs.iter().map(|&(k, v)| (word(k), word(v))).collect();
        let c = self.dim_sets.len() as u32;
        self.dim_sets.push(set);
        self.codes.sets.insert(pairs.into(), c);
        c
    }
}

impl Observations {
    /// The JSON array of observation objects at `c`, read by hand (see [`super::columns`]); `None` where serde
    /// must read the text.
    pub(crate) fn read_quick(c: &mut Cursor<'_>) -> Option<Observations> {
        let mut out = Observations::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut last_date = LastDate::default();
        c.list(|c| {
            let (mut measure, mut date, mut value, mut dims, mut source) = (None, None, None, None, None);
            c.object(|c, key| match key {
                "measure" => {
                    let m = out.measure_code(c.string()?);
                    once(&mut measure, m)
                }
                "date" => once(&mut date, last_date.parse(c.string()?).ok()?),
                "value" => once(&mut value, c.number()?),
                "dims" => {
                    pairs.clear();
                    c.object(|c, k| {
                        let k = out.key_code(k);
                        let v = out.word_code(c.string()?);
                        pairs.push((k, v));
                        Some(())
                    })?;
                    let set = out.set_code(&mut pairs);
                    once(&mut dims, set)
                }
                "source" => {
                    let s = c.string_or_null()?.map_or(0, |s| out.source_code(s));
                    once(&mut source, s)
                }
                _ => None,
            })?;
            let dims = match dims {
                Some(d) => d,
                None => {
                    pairs.clear();
                    out.set_code(&mut pairs)
                }
            };
            out.push_codes(measure?, date?, value?, dims, source.unwrap_or(0));
            Some(())
        })?;
        Some(out)
    }
}

const EMPTY_ROW: ObservationRef<'static> = ObservationRef {
    measure: "",
    date: NaiveDate::MIN,
    value: 0.0,
    dims: &NO_DIMS,
    source: None,
};

impl fmt::Debug for Observations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        columns::debug(self, f)
    }
}

/// Equal when the rows are equal, in order (however each side coded them).
impl PartialEq for Observations {
    fn eq(&self, other: &Observations) -> bool {
        columns::eq(self, other)
    }
}

impl From<Vec<Observation>> for Observations {
    fn from(rows: Vec<Observation>) -> Observations {
        columns::collect(rows)
    }
}

impl FromIterator<Observation> for Observations {
    fn from_iter<I: IntoIterator<Item = Observation>>(rows: I) -> Observations {
        columns::collect(rows)
    }
}

impl Extend<Observation> for Observations {
    fn extend<I: IntoIterator<Item = Observation>>(&mut self, rows: I) {
        rows.into_iter().for_each(|o| self.push(o));
    }
}

impl Serialize for Observations {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        columns::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for Observations {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Observations, D::Error> {
        columns::deserialize(d)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Observations {
    fn inline_schema() -> bool {
        <Vec<Observation>>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<Observation>>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Observation>>::json_schema(generator)
    }
}

/// The fields of an observation read so far: codes, and the date and value.
#[derive(Default)]
pub(crate) struct Partial {
    measure: u32,
    date: NaiveDate,
    value: f64,
    dims: Option<u32>,
    source: u32,
}

impl Table for Observations {
    type Row = Observation;
    type Ref<'a> = ObservationRef<'a>;
    type Partial = Partial;
    const NAME: &'static str = "Observation";
    const FIELDS: &'static [&'static str] = &["measure", "date", "value", "dims", "source"];
    const REQUIRED: usize = 3;

    fn count(&self) -> usize {
        self.len()
    }

    fn row(&self, i: usize) -> Option<ObservationRef<'_>> {
        self.get(i)
    }

    fn add(&mut self, row: Observation) {
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
            0 => part.measure = columns::word(d, |m| self.measure_code(m))?,
            1 => part.date = columns::date(dates, d)?,
            2 => part.value = f64::deserialize(d)?,
            3 => part.dims = Some(d.deserialize_map(Dims { out: self })?),
            _ => part.source = columns::optional_word(d, 0, |s| self.source_code(s))?,
        }
        Ok(())
    }

    fn finish(&mut self, part: Partial) {
        let dims = match part.dims {
            Some(d) => d,
            None => self.set_code(&mut Vec::new()),
        };
        self.push_codes(part.measure, part.date, part.value, dims, part.source);
    }
}

/// A map of dims, coded as a set.
struct Dims<'o> {
    out: &'o mut Observations,
}

impl<'de> Visitor<'de> for Dims<'_> {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        let out = self.out;
        let mut pairs = std::mem::take(&mut out.codes.pairs);
        pairs.clear();
        while let Some(k) = map.next_key_seed(Key(&mut *out))? {
            let v = map.next_value_seed(Key(&mut *out))?;
            pairs.push((k, v));
        }
        let set = out.set_code(&mut pairs);
        out.codes.pairs = pairs;
        Ok(set)
    }
}

/// A dim key or value, coded as it is read.
struct Key<'o>(&'o mut Observations);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = u32;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        columns::word(d, |w| self.0.word_code(w))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    /// The rows of `text` read by hand, if the whole text is their list.
    fn quick(text: &str) -> Option<Observations> {
        let mut c = Cursor::new(text, 0);
        let out = Observations::read_quick(&mut c)?;
        c.at_end().then_some(out)
    }

    fn row() -> impl Strategy<Value = Observation> {
        let word = prop::sample::select(vec!["a", "b", "unit", "person", "é\"x", ""]);
        (
            prop::sample::select(vec!["orders", "revenue", "m\\3"]),
            0i64..60,
            prop_oneof![
                (-1e6f64..1e6),
                Just(0.0),
                Just(-0.0),
                Just(1e300),
                (0i32..100).prop_map(f64::from)
            ],
            prop::collection::btree_map(word.clone(), word, 0..3),
            prop::option::of(prop::sample::select(vec!["crm", "erp"])),
        )
            .prop_map(|(m, d, value, dims, source)| Observation {
                measure: m.to_owned(),
                date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(d),
                value,
                dims: dims
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
                source: source.map(str::to_owned),
            })
    }

    proptest! {
        /// Random rows → JSON of the rows → columns → JSON: the same text, and the same rows back.
        #[test]
        fn the_columns_read_and_write_the_rows_json(rows in prop::collection::vec(row(), 0..40)) {
            let text = serde_json::to_string(&rows).unwrap();
            let cols: Observations = serde_json::from_str(&text).unwrap();
            let pretty = serde_json::to_string_pretty(&rows).unwrap();
            for t in [&text, &pretty] {
                match quick(t) {
                    Some(q) => prop_assert_eq!(&q, &cols),
                    None => prop_assert!(!super::super::columns::plain(t), "{}", t),
                }
            }
            prop_assert_eq!(serde_json::to_string(&cols).unwrap(), text.clone());
            prop_assert_eq!(cols.to_vec(), rows.clone());
            let pushed = Observations::from(rows.clone());
            prop_assert_eq!(serde_json::to_string(&pushed).unwrap(), text);
            prop_assert_eq!(&pushed, &cols);
        }
    }

    #[test]
    fn a_repeated_dim_key_keeps_the_last_value_and_sets_are_shared() {
        let cols: Observations = serde_json::from_str(
            r#"[{"measure": "m", "date": "2026-01-01", "value": 1, "dims": {"unit": "a", "unit": "b"}},
                {"measure": "m", "date": "2026-01-02", "value": 2, "dims": {"unit": "b"}, "source": null},
                ["m", "2026-01-03", 3]]"#,
        )
        .unwrap();
        let rows = cols.to_vec();
        assert_eq!(rows[0].dims.get("unit").map(String::as_str), Some("b"));
        assert_eq!(cols.dims[0], cols.dims[1], "one set for the same dims");
        assert_eq!((rows[2].value, rows[2].dims.len()), (3.0, 0));
        assert_eq!(cols.dim_sets.len(), 2);
    }

    #[test]
    fn bad_rows_fail_as_the_row_type_does() {
        for text in [
            r#"[{"measure": "m", "date": "2026-01-01"}]"#,
            r#"[{"measure": "m", "date": "2026-01-01", "value": 1, "unit": "u"}]"#,
            r#"[{"measure": "m", "date": "2026-1-01", "value": 1}]"#,
            r#"[{"measure": "m", "date": "2026-01-01", "value": "1"}]"#,
            r#"[{"measure": "m", "date": "2026-01-01", "value": 1, "dims": {"unit": 5}}]"#,
            r#"[{"measure": "m", "date": "2026-01-01", "value": 1, "dims": null}]"#,
            r#"[{"measure": 7, "date": "2026-01-01", "value": 1}]"#,
            r#"[{"measure": "m", "date": "2026-01-01", "value": 1, "source": 3}]"#,
            r#"{"measure": "m"}"#,
        ] {
            assert!(quick(text).is_none(), "{text}");
            let cols = serde_json::from_str::<Observations>(text).map_err(|e| e.to_string());
            let rows = serde_json::from_str::<Vec<Observation>>(text).map_err(|e| e.to_string());
            assert_eq!(cols.err(), rows.err(), "{text}");
        }
    }

    #[test]
    fn retain_and_get() {
        let mut cols: Observations = serde_json::from_str(
            r#"[{"measure": "m", "date": "2026-01-01", "value": 1, "source": "crm"},
                {"measure": "n", "date": "2026-01-02", "value": 2}]"#,
        )
        .unwrap();
        assert_eq!(cols.get(0).unwrap().source, Some("crm"));
        assert!(cols.get(2).is_none());
        cols.retain(|o| o.measure == "n");
        assert_eq!((cols.len(), cols.get(0).unwrap().value), (1, 2.0));
    }
}
