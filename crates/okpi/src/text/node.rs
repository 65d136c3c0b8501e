//! The value tree both readers build: JSON's values, each with the line and column where it was written, and a
//! serde `Deserializer` over it that reads any okpi type and tells a non-finite number (`E_NOT_FINITE`) from a
//! type error (`E_PARSE`).

use super::Position;
use crate::error::Code;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;

/// One value of a JSON or YAML text, with where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub(crate) kind: Kind,
    pub(crate) at: Position,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// A float; YAML's `.nan` and `.inf` are kept to be refused where they are read.
    Float(f64),
    /// A number beyond the largest float (`1e400`), kept as written to be refused where it is read.
    OutOfRange(String),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in the order written; each key with where it was written. Keys are unique (the readers refuse
    /// duplicates).
    Map(Vec<Entry>),
}

/// One key of a map, where it was written, and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub at: Position,
    pub value: Node,
}

impl Node {
    /// Where the value starts in the text.
    pub fn position(&self) -> Position {
        self.at
    }

    /// Removes the entry `key` of a map (nothing for other values).
    pub fn remove(&mut self, key: &str) -> Option<Node> {
        let Kind::Map(entries) = &mut self.kind else {
            return None;
        };
        let i = entries.iter().position(|e| e.key == key)?;
        Some(entries.remove(i).value)
    }

    /// The text of a string node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence node.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The `(key, value)` pairs of a map node, in the order written.
    pub fn entries(&self) -> Option<impl Iterator<Item = (&str, &Node)>> {
        match &self.kind {
            Kind::Map(entries) => Some(entries.iter().map(|e| (e.key.as_str(), &e.value))),
            _ => None,
        }
    }

    /// Where the value at JSON `path` (`$.a[2].b`, as problems name it) was written: the deepest node the path
    /// reaches.
    pub fn find(&self, path: &str) -> Option<Position> {
        let mut rest = path.strip_prefix('$')?;
        let mut node = self;
        let mut at = self.at;
        loop {
            if let Some(r) = rest.strip_prefix('[') {
                let (index, after) = r.split_once(']')?;
                let Kind::Seq(items) = &node.kind else {
                    return Some(at);
                };
                let Some(item) = index.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    return Some(at);
                };
                node = item;
                at = item.at;
                rest = after;
            } else if let Some(r) = rest.strip_prefix('.') {
                let Kind::Map(entries) = &node.kind else {
                    return Some(at);
                };
                // The longest key the path continues with (keys may hold dots or brackets).
                let entry = entries
                    .iter()
                    .filter(|e| {
                        r.strip_prefix(e.key.as_str())
                            .is_some_and(|t| t.is_empty() || t.starts_with(['.', '[']))
                    })
                    .max_by_key(|e| e.key.len());
                let Some(entry) = entry else { return Some(at) };
                rest = r.get(entry.key.len()..).unwrap_or_default();
                node = &entry.value;
                at = entry.value.at;
            } else {
                return Some(at);
            }
        }
    }
}

/// An error while reading a node into a type: its code and message (the path is tracked around it).
#[derive(Debug)]
pub(crate) struct DeError {
    pub code: Code,
    pub message: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            code: Code::E_PARSE,
            message: msg.to_string(),
        }
    }
}

/// A node read by serde (private, so that its error type stays private).
#[derive(Clone, Copy)]
pub(crate) struct Read<'de>(pub &'de Node);

impl<'de> IntoDeserializer<'de, DeError> for Read<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Read<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.kind {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(b) => visitor.visit_bool(*b),
            Kind::Int(i) => visitor.visit_i64(*i),
            Kind::UInt(u) => visitor.visit_u64(*u),
            Kind::Float(f) if f.is_finite() => visitor.visit_f64(*f),
            Kind::Float(f) => Err(DeError {
                code: Code::E_NOT_FINITE,
                message: format!("{f} is not a finite number"),
            }),
            Kind::OutOfRange(text) => Err(DeError {
                code: Code::E_PARSE,
                message: format!("number out of range: {text} is beyond the largest float"),
            }),
            Kind::Str(s) => visitor.visit_borrowed_str(s),
            Kind::Seq(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.iter().map(Read));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Kind::Map(entries) => visitor.visit_map(Entries {
                iter: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.kind {
            Kind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.0.kind {
            Kind::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Kind::Map(entries) => match entries.as_slice() {
                [entry] => visitor.visit_enum(Variant { entry }),
                _ => Err(de::Error::invalid_value(
                    de::Unexpected::Map,
                    &"a map with a single key (the variant)",
                )),
            },
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// A map's entries as serde reads them.
struct Entries<'de> {
    iter: std::slice::Iter<'de, Entry>,
    value: Option<&'de Node>,
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some(entry) => {
                self.value = Some(&entry.value);
                seed.deserialize(BorrowedStrDeserializer::new(&entry.key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(node) => seed.deserialize(Read(node)),
            None => Err(de::Error::custom("a value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An enum written as `{"variant": content}`.
struct Variant<'de> {
    entry: &'de Entry,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = DeError;
    type Variant = Read<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Read<'de>), DeError> {
        let key = seed.deserialize(BorrowedStrDeserializer::new(&self.entry.key))?;
        Ok((key, Read(&self.entry.value)))
    }
}

impl<'de> de::VariantAccess<'de> for Read<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.0.kind {
            Kind::Null => Ok(()),
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &"a unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}
