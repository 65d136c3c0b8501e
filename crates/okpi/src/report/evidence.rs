//! Evidence: the values a diagnostics finding quotes and an explanation names as its inputs.
//!
//! They were free-form JSON values, so a date in them reached Python as text while every other date of a result
//! became a `datetime.date`. [`Evidence`] keeps a date a [`NaiveDate`] (the JSON Schema says `format: date`), and
//! writes exactly the JSON the free-form values wrote: [`Evidence::of`] builds one from any serialisable value as
//! `serde_json::json!` did (records with sorted keys, non-finite numbers as `null`), only keeping chrono's dates
//! typed.

use crate::model::parse_date;
use chrono::NaiveDate;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{ser, Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One value quoted as evidence: a number, a text, a date, a list or a record of them, or null.
///
/// Read back from JSON (a report handed to [`crate::access::filter_json`]), a text that is exactly a
/// `YYYY-MM-DD` day is a [`Evidence::Date`]: the JSON is the same either way.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[non_exhaustive]
pub enum Evidence {
    /// No value (JSON `null`).
    Null,
    /// A yes or no.
    Bool(bool),
    /// A whole number (a count, a number of days).
    Int(i64),
    /// A whole number above `i64::MAX`.
    UInt(u64),
    /// A finite number.
    Float(f64),
    /// A day.
    Date(NaiveDate),
    /// A text (an id, a name, a reason).
    Text(String),
    /// A list.
    List(Vec<Evidence>),
    /// A record, by key.
    Record(BTreeMap<String, Evidence>),
}

impl Evidence {
    /// `value` as evidence, as `serde_json::to_value` would make it but with chrono's dates kept as dates (chrono
    /// writes a date through `collect_str`, which a `YYYY-MM-DD` text marks). okpi's results are plain data, which
    /// cannot fail to serialise; a value that does (a map with keys that are not texts) becomes `Null` rather than
    /// a panic (`json!` panicked).
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Evidence {
        value.serialize(ToEvidence).unwrap_or(Evidence::Null)
    }

    /// The text, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Evidence::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl From<f64> for Evidence {
    /// A non-finite number is `Null`, as JSON has no such numbers.
    fn from(x: f64) -> Self {
        if x.is_finite() {
            Evidence::Float(x)
        } else {
            Evidence::Null
        }
    }
}

impl From<NaiveDate> for Evidence {
    fn from(d: NaiveDate) -> Self {
        Evidence::Date(d)
    }
}

impl From<&str> for Evidence {
    fn from(s: &str) -> Self {
        Evidence::Text(s.to_owned())
    }
}

impl From<String> for Evidence {
    fn from(s: String) -> Self {
        Evidence::Text(s)
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EvidenceVisitor)
    }
}

struct EvidenceVisitor;

impl<'de> Visitor<'de> for EvidenceVisitor {
    type Value = Evidence;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Evidence, E> {
        Ok(Evidence::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Evidence, E> {
        Ok(Evidence::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Evidence, E> {
        Ok(i64::try_from(v).map_or(Evidence::UInt(v), Evidence::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Evidence, E> {
        Ok(Evidence::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Evidence, E> {
        Ok(text(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Evidence, E> {
        Ok(Evidence::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Evidence, E> {
        Ok(Evidence::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Evidence, D::Error> {
        Evidence::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Evidence, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Evidence::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Evidence, A::Error> {
        let mut record = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Evidence>()? {
            record.insert(k, v);
        }
        Ok(Evidence::Record(record))
    }
}

/// A text, or the day it is when it is exactly `YYYY-MM-DD`.
fn text(s: &str) -> Evidence {
    match parse_date(s) {
        Ok(d) => Evidence::Date(d),
        Err(_) => Evidence::Text(s.to_owned()),
    }
}

/// Why a value could not become evidence (never for okpi's own values).
#[derive(Debug)]
struct Unrepresentable(String);

impl fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unrepresentable {}

impl ser::Error for Unrepresentable {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unrepresentable(msg.to_string())
    }
}

type Made = Result<Evidence, Unrepresentable>;

/// The serializer methods of the integers that fit an `i64`.
macro_rules! small_ints {
    ($($method:ident: $int:ty),*) => {$(
        fn $method(self, v: $int) -> Made {
            Ok(Evidence::Int(v.into()))
        }
    )*};
}

/// The serializer behind [`Evidence::of`]: `serde_json::value::Serializer`'s rules, with `collect_str` a date
/// when it writes one.
#[derive(Clone, Copy)]
struct ToEvidence;

impl ser::Serializer for ToEvidence {
    type Ok = Evidence;
    type Error = Unrepresentable;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = List;
    type SerializeTupleVariant = Variant<List>;
    type SerializeMap = Record;
    type SerializeStruct = Record;
    type SerializeStructVariant = Variant<Record>;

    fn serialize_bool(self, v: bool) -> Made {
        Ok(Evidence::Bool(v))
    }
    small_ints!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32);
    fn serialize_u64(self, v: u64) -> Made {
        Ok(i64::try_from(v).map_or(Evidence::UInt(v), Evidence::Int))
    }
    fn serialize_f32(self, v: f32) -> Made {
        Ok(Evidence::from(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Made {
        Ok(Evidence::from(v))
    }
    fn serialize_char(self, v: char) -> Made {
        Ok(Evidence::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Made {
        Ok(Evidence::Text(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Made {
        Ok(Evidence::List(
            v.iter().map(|b| Evidence::Int((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> Made {
        Ok(Evidence::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Made {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Made {
        Ok(Evidence::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Made {
        Ok(Evidence::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Made {
        Ok(Evidence::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Made {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Made {
        Ok(tagged(variant, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, Unrepresentable> {
        Ok(List(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<List, Unrepresentable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List, Unrepresentable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<List>, Unrepresentable> {
        Ok(Variant(variant, self.serialize_seq(Some(len))?))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Record, Unrepresentable> {
        Ok(Record::default())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Record, Unrepresentable> {
        Ok(Record::default())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Variant<Record>, Unrepresentable> {
        Ok(Variant(variant, Record::default()))
    }
    /// Only chrono's dates come this way in okpi's results: a `YYYY-MM-DD` text is a date.
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Made {
        Ok(text(&value.to_string()))
    }
}

/// A list being built.
struct List(Vec<Evidence>);

impl List {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unrepresentable> {
        self.0.push(value.serialize(ToEvidence)?);
        Ok(())
    }
}

/// A list, a tuple and a tuple struct are all written as a list.
macro_rules! list_like {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for List {
            type Ok = Evidence;
            type Error = Unrepresentable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unrepresentable> {
                self.push(value)
            }
            fn end(self) -> Made {
                Ok(Evidence::List(self.0))
            }
        }
    )*};
}

list_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A record being built; `key` holds a map key until its value comes.
#[derive(Default)]
struct Record {
    fields: BTreeMap<String, Evidence>,
    key: Option<String>,
}

impl ser::SerializeMap for Record {
    type Ok = Evidence;
    type Error = Unrepresentable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unrepresentable> {
        self.key = Some(match key.serialize(ToEvidence)? {
            Evidence::Text(s) => s,
            Evidence::Date(d) => d.to_string(),
            Evidence::Int(n) => n.to_string(),
            Evidence::UInt(n) => n.to_string(),
            Evidence::Bool(b) => b.to_string(),
            _ => return Err(Unrepresentable("a map key that is not a text".to_owned())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unrepresentable> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Unrepresentable("a map value without its key".to_owned()))?;
        self.fields.insert(key, value.serialize(ToEvidence)?);
        Ok(())
    }
    fn end(self) -> Made {
        Ok(Evidence::Record(self.fields))
    }
}

impl ser::SerializeStruct for Record {
    type Ok = Evidence;
    type Error = Unrepresentable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unrepresentable> {
        self.fields.insert(key.to_owned(), value.serialize(ToEvidence)?);
        Ok(())
    }
    fn end(self) -> Made {
        Ok(Evidence::Record(self.fields))
    }
}

/// An enum variant with data: `{variant: data}`, as serde_json writes it.
struct Variant<I>(&'static str, I);

/// `{variant: data}`.
fn tagged(variant: &str, data: Evidence) -> Evidence {
    Evidence::Record(BTreeMap::from([(variant.to_owned(), data)]))
}

impl ser::SerializeTupleVariant for Variant<List> {
    type Ok = Evidence;
    type Error = Unrepresentable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unrepresentable> {
        self.1.push(value)
    }
    fn end(self) -> Made {
        Ok(tagged(self.0, Evidence::List(self.1 .0)))
    }
}

impl ser::SerializeStructVariant for Variant<Record> {
    type Ok = Evidence;
    type Error = Unrepresentable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unrepresentable> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }
    fn end(self) -> Made {
        Ok(tagged(self.0, Evidence::Record(self.1.fields)))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    enum Shapes {
        Newtype(u8),
        Tuple(i32, f64),
        Struct { b: bool, a: Option<NaiveDate> },
    }

    #[derive(Serialize)]
    struct Sample {
        zeta: Option<f64>,
        day: NaiveDate,
        alpha: Vec<u32>,
        kind: crate::Status,
        nan: f64,
        note: &'static str,
    }

    /// The JSON of [`Evidence::of`] is byte for byte what `json!` wrote, dates included; only the type differs.
    #[test]
    fn writes_what_json_wrote() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 13).unwrap();
        let samples = [
            json!(Sample {
                zeta: None,
                day,
                alpha: vec![1, 2],
                kind: crate::Status::AtRisk,
                nan: f64::NAN,
                note: "2026-02-13"
            }),
            json!([1.5, -3, u64::MAX, 0.1 + 0.2, "x", true, null]),
            json!({"b": {"d": day, "c": [day]}, "a": 2.0}),
            json!([
                Shapes::Newtype(7),
                Shapes::Tuple(-1, 0.5),
                Shapes::Struct {
                    b: true,
                    a: Some(day)
                }
            ]),
            json!(BTreeMap::from([(3, 'x'), (-1, 'y')])),
        ];
        let typed = [
            Evidence::of(&Sample {
                zeta: None,
                day,
                alpha: vec![1, 2],
                kind: crate::Status::AtRisk,
                nan: f64::NAN,
                note: "2026-02-13",
            }),
            Evidence::of(&(1.5, -3, u64::MAX, 0.1 + 0.2, "x", true, ())),
            Evidence::of(&BTreeMap::from([
                (
                    "b",
                    Evidence::of(&BTreeMap::from([
                        ("d", Evidence::of(&day)),
                        ("c", Evidence::of(&[day])),
                    ])),
                ),
                ("a", Evidence::of(&2.0)),
            ])),
            Evidence::of(&[
                Shapes::Newtype(7),
                Shapes::Tuple(-1, 0.5),
                Shapes::Struct {
                    b: true,
                    a: Some(day),
                },
            ]),
            Evidence::of(&BTreeMap::from([(3, 'x'), (-1, 'y')])),
        ];
        for (old, new) in samples.iter().zip(&typed) {
            assert_eq!(
                serde_json::to_string(new).unwrap(),
                serde_json::to_string(old).unwrap()
            );
        }
        let Evidence::Record(r) = &typed[0] else {
            panic!("a record")
        };
        assert_eq!(r["day"], Evidence::Date(day));
        // A `&str` is a text even when it reads as a date: only chrono's dates become dates.
        assert_eq!(r["note"], Evidence::Text("2026-02-13".into()));
        assert_eq!(r["nan"], Evidence::Null);
    }

    /// Read back from JSON, evidence writes the same JSON; a strict `YYYY-MM-DD` text is a date, nothing looser.
    #[test]
    fn reads_back_to_the_same_json() {
        let text = r#"{"a":[1,-2,18446744073709551615,2.0,0.30000000000000004],"d":"2026-02-13","m":"2026-2-13","n":null,"t":true}"#;
        let e: Evidence = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), text);
        let Evidence::Record(r) = &e else {
            panic!("a record")
        };
        assert_eq!(
            r["d"],
            Evidence::Date(NaiveDate::from_ymd_opt(2026, 2, 13).unwrap())
        );
        assert_eq!(r["m"], Evidence::Text("2026-2-13".into()));
    }
}
