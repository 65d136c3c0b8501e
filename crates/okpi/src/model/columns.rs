//! What the two column types ([`super::Observations`], [`super::CheckIns`]) share: the [`Table`] trait their
//! standard traits (`Debug`, `PartialEq`, `FromIterator`, `Extend`, `Serialize`, `Deserialize`, the schema) are
//! written once over, serde's reading of their rows straight into the columns, and a quick reader of those rows
//! from the text.
//!
//! Most of a large document's bytes are observation and check-in rows of one plain shape (no escapes, numbers
//! without exponents). [`Cursor`] reads that shape by hand, several times faster than serde's visitors, and gives
//! up (`None`) at anything else; the caller then reads the whole text through serde, so a text means the same and
//! fails with the same error either way. Only what the hand reading surely reads as serde_json does is taken: a
//! string without an escape or control character, a number in JSON's grammar without an exponent (converted by the
//! standard library, correctly rounded, as serde_json's `float_roundtrip` does), `null`, and JSON white space.

use super::date::LastDate;
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::fmt;
use std::marker::PhantomData;

/// Rows kept in columns: each row pushed as an owned row and read back borrowed; its JSON is the array of row
/// objects, which serde reads straight into the columns through [`Table::field`].
pub(crate) trait Table: Default {
    /// A row as the host writes it ([`super::Observation`], [`super::CheckIn`]).
    type Row;
    /// A row borrowed from the columns; it serialises as a [`Table::Row`].
    type Ref<'a>: Serialize + PartialEq + fmt::Debug
    where
        Self: 'a;
    /// The fields of a row read so far.
    type Partial: Default;
    /// The row type's name and fields, as serde names them in errors.
    const NAME: &'static str;
    const FIELDS: &'static [&'static str];
    /// How many leading fields a row must have.
    const REQUIRED: usize;

    /// Number of rows.
    fn count(&self) -> usize;
    /// The row at `i`.
    fn row(&self, i: usize) -> Option<Self::Ref<'_>>;
    /// Appends a row.
    fn add(&mut self, row: Self::Row);
    /// Reads field `FIELDS[i]` of a row into `part`.
    fn field<'de, D: Deserializer<'de>>(
        &mut self,
        i: usize,
        part: &mut Self::Partial,
        dates: &mut LastDate,
        d: D,
    ) -> Result<(), D::Error>;
    /// Appends the row read into `part` (its required fields are there).
    fn finish(&mut self, part: Self::Partial);
}

/// `Debug` of a table: the list of its rows.
pub(crate) fn debug<T: Table>(t: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.debug_list()
        .entries((0..t.count()).filter_map(|i| t.row(i)))
        .finish()
}

/// Tables are equal when their rows are equal, in order (however each side coded them).
pub(crate) fn eq<T: Table>(a: &T, b: &T) -> bool {
    a.count() == b.count() && (0..a.count()).all(|i| a.row(i) == b.row(i))
}

/// A table of `rows`, in order.
pub(crate) fn collect<T: Table>(rows: impl IntoIterator<Item = T::Row>) -> T {
    let mut out = T::default();
    rows.into_iter().for_each(|r| out.add(r));
    out
}

/// A table's JSON: the array of its rows.
pub(crate) fn serialize<T: Table, S: Serializer>(t: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut seq = s.serialize_seq(Some(t.count()))?;
    for row in (0..t.count()).filter_map(|i| t.row(i)) {
        seq.serialize_element(&row)?;
    }
    seq.end()
}

/// A table read from the JSON array of its rows, each row straight into the columns.
pub(crate) fn deserialize<'de, T: Table, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_seq(List(PhantomData))
}

struct List<T>(PhantomData<T>);

impl<'de, T: Table> Visitor<'de> for List<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut dates = LastDate::default();
        while seq
            .next_element_seed(Row {
                out: &mut out,
                dates: &mut dates,
            })?
            .is_some()
        {}
        Ok(out)
    }
}

/// One row object, read straight into the columns.
struct Row<'o, T> {
    out: &'o mut T,
    /// The date read last (rows repeat dates).
    dates: &'o mut LastDate,
}

impl<'de, T: Table> DeserializeSeed<'de> for Row<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_struct(T::NAME, T::FIELDS, self)
    }
}

impl<'de, T: Table> Visitor<'de> for Row<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut part = T::Partial::default();
        let mut seen = 0u32;
        while let Some(i) = map.next_key_seed(FieldOf(T::FIELDS))? {
            if seen & 1 << i != 0 {
                return Err(de::Error::duplicate_field(name(T::FIELDS, i)));
            }
            seen |= 1 << i;
            map.next_value_seed(Field {
                out: &mut *self.out,
                i,
                part: &mut part,
                dates: &mut *self.dates,
            })?;
        }
        if let Some(i) = (0..T::REQUIRED).find(|i| seen & 1 << i == 0) {
            return Err(de::Error::missing_field(name(T::FIELDS, i)));
        }
        self.out.finish(part);
        Ok(())
    }

    /// The positional form serde also reads for a struct: the fields in order, the optional ones may be left out.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut part = T::Partial::default();
        for i in 0..T::FIELDS.len() {
            let field = Field {
                out: &mut *self.out,
                i,
                part: &mut part,
                dates: &mut *self.dates,
            };
            if seq.next_element_seed(field)?.is_none() {
                if i < T::REQUIRED {
                    let expected = format!("struct {} with {} elements", T::NAME, T::FIELDS.len());
                    return Err(de::Error::invalid_length(i, &expected.as_str()));
                }
                break;
            }
        }
        self.out.finish(part);
        Ok(())
    }
}

/// `fields[i]`, or `""`.
fn name(fields: &'static [&'static str], i: usize) -> &'static str {
    fields.get(i).copied().unwrap_or_default()
}

/// A field name, read as its position in the list of fields.
struct FieldOf(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldOf {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldOf {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|f| *f == s)
            .ok_or_else(|| E::unknown_field(s, self.0))
    }
}

/// The value of field `i` of a row.
struct Field<'o, T: Table> {
    out: &'o mut T,
    i: usize,
    part: &'o mut T::Partial,
    dates: &'o mut LastDate,
}

impl<'de, T: Table> DeserializeSeed<'de> for Field<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.out.field(self.i, self.part, self.dates, d)
    }
}

/// A date field, read as every document date is ([`super::date::parse_date`]), the row before's date reused.
pub(crate) fn date<'de, D: Deserializer<'de>>(dates: &mut LastDate, d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(Day(dates))
}

struct Day<'o>(&'o mut LastDate);

impl Visitor<'_> for Day<'_> {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YYYY-MM-DD date string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<NaiveDate, E> {
        self.0.parse(s).map_err(E::custom)
    }
}

/// A string, coded by `code` as it is read.
pub(crate) fn word<'de, D: Deserializer<'de>>(d: D, code: impl FnOnce(&str) -> u32) -> Result<u32, D::Error> {
    d.deserialize_str(Word(code))
}

/// An optional string (`null`: `none`), coded by `code` as it is read.
pub(crate) fn optional_word<'de, D: Deserializer<'de>>(
    d: D,
    none: u32,
    code: impl FnOnce(&str) -> u32,
) -> Result<u32, D::Error> {
    d.deserialize_option(Optional(none, Word(code)))
}

struct Word<F>(F);

impl<F: FnOnce(&str) -> u32> Visitor<'_> for Word<F> {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<u32, E> {
        Ok((self.0)(s))
    }
}

struct Optional<F>(u32, Word<F>);

impl<'de, F: FnOnce(&str) -> u32> Visitor<'de> for Optional<F> {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<u32, E> {
        Ok(self.0)
    }

    fn visit_unit<E: de::Error>(self) -> Result<u32, E> {
        Ok(self.0)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_str(self.1)
    }
}

/// A position in a JSON text, read forward.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at byte `at` of `text`.
    pub(crate) fn new(text: &'a str, at: usize) -> Cursor<'a> {
        Cursor { text, at }
    }

    /// The text from the position reached.
    pub(crate) fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or_default()
    }

    /// Moves on by `n` bytes.
    pub(crate) fn advance(&mut self, n: usize) {
        self.at += n;
    }

    /// The byte reached.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    /// Moves past one JSON value (after white space) without reading it: a string skipped whole (escapes
    /// included), an array or object by counting its brackets outside strings, anything else up to the next comma,
    /// bracket or white space. It checks nothing: a caller trusts where it ends only when a real reading of the same
    /// value ends there too.
    pub(crate) fn skip_value(&mut self) -> Option<()> {
        self.space();
        match self.byte()? {
            b'"' => return self.skip_string(),
            b'[' | b'{' => {}
            _ => {
                while self
                    .byte()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                {
                    self.at += 1;
                }
                return Some(());
            }
        }
        let mut depth = 0usize;
        loop {
            match self.byte()? {
                b'"' => {
                    self.skip_string()?;
                    continue;
                }
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        self.at += 1;
                        return Some(());
                    }
                }
                _ => {}
            }
            self.at += 1;
        }
    }

    /// Moves past the string that starts at the cursor (its opening quote), eight bytes at a time up to each quote
    /// or backslash; a backslash takes the byte after it along.
    fn skip_string(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        self.at += 1;
        loop {
            self.at = crate::limits::to_marked(bytes, self.at, crate::limits::quote_or_backslash);
            match *bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips JSON white space.
    pub(crate) fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.byte() {
            self.at += 1;
        }
    }

    /// The next byte after white space, taken if it is `b`.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        self.space();
        if self.byte() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Whether only white space is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.space();
        self.at == self.text.len()
    }

    /// A string without escapes or control characters (after white space), its content borrowed.
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        let bytes = self.text.as_bytes();
        loop {
            // Up to the first quote, backslash or control character.
            self.at = crate::limits::to_marked(bytes, self.at, crate::limits::quote_backslash_or_control);
            match *bytes.get(self.at)? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let s = self.text.get(start..self.at)?;
        self.at += 1;
        Some(s)
    }

    /// `null` (after white space), taken if it is there.
    pub(crate) fn null(&mut self) -> bool {
        self.space();
        if self.rest().starts_with("null") {
            self.at += 4;
            true
        } else {
            false
        }
    }

    /// A string, or `null` (`None` inside); `None` for anything else.
    pub(crate) fn string_or_null(&mut self) -> Option<Option<&'a str>> {
        if self.null() {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A number written `-?(0|[1-9][0-9]*)(\.[0-9]+)?` (after white space), as a finite float.
    pub(crate) fn number(&mut self) -> Option<f64> {
        self.space();
        let start = self.at;
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let mut at = self.at;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let lead = bytes.get(at).copied();
        let whole = digits(&mut at);
        if whole == 0 || (whole > 1 && lead == Some(b'0')) {
            return None;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                return None;
            }
        }
        // An exponent, or anything else glued on, is left to serde_json.
        if bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        {
            return None;
        }
        let value: f64 = self.text.get(start..at)?.parse().ok()?;
        self.at = at;
        value.is_finite().then_some(value)
    }

    /// A number or `null` (`None` inside); `None` for anything else.
    pub(crate) fn number_or_null(&mut self) -> Option<Option<f64>> {
        if self.null() {
            return Some(None);
        }
        self.number().map(Some)
    }

    /// An array whose items `item` reads: `[`, items separated by commas, `]`.
    pub(crate) fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        if self.eat(b']') {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(b',') {
                continue;
            }
            return self.eat(b']').then_some(());
        }
    }

    /// An object whose values `field` reads, given each key (a plain string): `{`, `"key": value` separated by
    /// commas, `}`.
    pub(crate) fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            field(self, key)?;
            if self.eat(b',') {
                continue;
            }
            return self.eat(b'}').then_some(());
        }
    }
}

/// Sets `slot` to `value` if it was empty; `None` (give up) when it was set: a field written twice.
pub(crate) fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// Whether `text` has no escape and no number with an exponent: a text of rows the hand reading must take.
#[cfg(test)]
pub(crate) fn plain(text: &str) -> bool {
    let exponent = text.as_bytes().windows(3).any(|w| {
        matches!(w, [a, b'e' | b'E', c] if a.is_ascii_digit() && (c.is_ascii_digit() || *c == b'-' || *c == b'+'))
    });
    !text.contains('\\') && !exponent
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// What `Cursor::number` makes of `text`, and whether it read all of it.
    fn number(text: &str) -> Option<f64> {
        let mut c = Cursor::new(text, 0);
        let v = c.number()?;
        c.at_end().then_some(v)
    }

    #[test]
    fn numbers_outside_the_plain_grammar_are_left_to_serde() {
        for text in [
            "01", "1.", ".5", "+1", "-", "1e5", "1E5", "1.5e-3", "NaN", "inf", "-inf", "0x10", "1_000",
            "--1", "",
        ] {
            assert_eq!(number(text), None, "{text:?}");
        }
        // serde_json's readings: -0 is negative zero, a long integer is rounded once.
        assert_eq!(number("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(number("-0.0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        for text in [
            "0",
            "-0",
            "12345678901234567890123",
            "18446744073709551617",
            "-9223372036854775809",
            "0.1",
        ] {
            let serde: f64 = serde_json::from_str(text).unwrap();
            assert_eq!(number(text).map(f64::to_bits), Some(serde.to_bits()), "{text}");
        }
    }

    proptest! {
        /// Every number the hand reading takes, serde_json reads as the same float (to the bit).
        #[test]
        fn plain_numbers_read_as_serde_json_reads_them(
            sign in prop::bool::ANY,
            whole in prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,25}"],
            fraction in prop::option::of("[0-9]{1,25}"),
        ) {
            let text = format!("{}{whole}{}", if sign { "-" } else { "" }, fraction.map(|f| format!(".{f}")).unwrap_or_default());
            let serde: f64 = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(number(&text).map(f64::to_bits), Some(serde.to_bits()), "{}", text);
        }

        /// Floats as serde_json writes them read back the same.
        #[test]
        fn written_floats_read_back(v in prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO) {
            let text = serde_json::to_string(&v).unwrap();
            let serde: f64 = serde_json::from_str(&text).unwrap();
            if let Some(hand) = number(&text) {
                prop_assert_eq!(hand.to_bits(), serde.to_bits(), "{}", text);
            } else {
                prop_assert!(text.contains('e'), "{}", text);
            }
        }
    }

    proptest! {
        /// Eight bytes at a time, a string ends (or is given up) where a byte-by-byte reading says.
        #[test]
        fn strings_end_where_a_byte_by_byte_reading_ends_them(
            parts in prop::collection::vec(
                prop::sample::select(vec!["a", "\"", "\\", "\n", "\u{1f}", "\u{7f}", "é", "€", "0123456789", " "]),
                0..24,
            ),
        ) {
            let text = format!("\"{}", parts.concat());
            let mut want = None;
            for (i, b) in text.bytes().enumerate().skip(1) {
                match b {
                    b'"' => {
                        want = Some(&text[1..i]);
                        break;
                    }
                    b'\\' | 0..=0x1f => break,
                    _ => {}
                }
            }
            prop_assert_eq!(Cursor::new(&text, 0).string(), want);
        }
    }

    #[test]
    fn strings_with_escapes_or_control_characters_are_left_to_serde() {
        fn string(t: &str) -> Option<&str> {
            Cursor::new(t, 0).string()
        }
        assert_eq!(string(r#" "abc é" "#), Some("abc é"));
        assert_eq!(string(r#""a\"b""#), None);
        assert_eq!(string("\"a\tb\""), None);
        assert_eq!(string("\"abc"), None);
        assert_eq!(Cursor::new("nul", 0).string_or_null(), None);
        assert_eq!(Cursor::new(" null", 0).number_or_null(), Some(None));
    }

    #[test]
    fn lists_and_objects_need_their_commas_and_brackets() {
        let keys = |t: &str| {
            let mut c = Cursor::new(t, 0);
            let mut out = Vec::new();
            c.object(|c, k| {
                out.push(k.to_owned());
                c.number().map(|_| ())
            })
            .map(|()| out)
        };
        assert_eq!(keys(" { \"a\" : 1 ,\n\"b\":2 } ").unwrap(), ["a", "b"]);
        assert_eq!(keys("{}").unwrap(), Vec::<String>::new());
        for bad in ["{\"a\": 1,}", "{\"a\" 1}", "{\"a\": 1 \"b\": 2}", "{,}", "[]"] {
            assert_eq!(keys(bad), None, "{bad}");
        }
        let items = |t: &str| Cursor::new(t, 0).list(|c| c.number().map(|_| ()));
        assert!(items("[]").is_some() && items("[ 1 , 2 ]").is_some());
        assert!(items("[1,]").is_none() && items("[1 2]").is_none() && items("[,1]").is_none());
    }

    /// Any JSON value, with strings that hold brackets, quotes, backslashes and control characters.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e300..1e300f64).prop_map(Value::from),
            "[a-z\\[\\]{}\"\\\\,: \u{1}\u{7f}é]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z\\]\\\"}]{0,4}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// A skipped value ends where serde_json's reading of it ends, written compact or pretty.
        #[test]
        fn a_skipped_value_ends_where_serde_json_ends_it(v in json_value(), pretty in any::<bool>()) {
            let written = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) };
            let text = format!(" {} , 1]", written.unwrap());
            let mut serde = serde_json::Deserializer::from_str(&text).into_iter::<serde::de::IgnoredAny>();
            prop_assert!(serde.next().is_some_and(|r| r.is_ok()));
            let mut c = Cursor::new(&text, 0);
            prop_assert!(c.skip_value().is_some());
            prop_assert_eq!(c.at(), serde.byte_offset(), "{}", text);
        }
    }
}
