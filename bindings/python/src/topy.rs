//! A serde `Serializer` into Python objects: results reach Python as dicts, lists, floats, ints, strings, `None` and
//! `datetime.date` without a JSON text in between (a JSON round trip cost as much as the evaluation itself).
//!
//! A date is told from a string by its Rust type, not by its key or its look: chrono writes a `NaiveDate` through
//! `collect_str`, which nothing else in okpi's results uses, so `collect_str` makes a `datetime.date` (the schema's
//! `format: date`) and every `String` stays a `str`, even one that looks like a date.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::ser::{self, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// `value` as Python objects. The cyclic garbage collector is paused while they are made: a result is a tree of
/// new dicts and lists with no cycle, and a collection every 700 of them would walk the growing tree again and again
/// (a third of the time on a large evaluation).
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let gc = py.import("gc")?;
    let was_on = gc.call_method0("isenabled")?.is_truthy()?;
    if was_on {
        gc.call_method0("disable")?;
    }
    let out = value.serialize(ToPy { py }).map_err(|e| e.0);
    if was_on {
        gc.call_method0("enable")?;
    }
    out
}

/// A Python error carried through serde.
pub(crate) struct Failed(PyErr);

impl fmt::Debug for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Failed(PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Failed {
    fn from(e: PyErr) -> Self {
        Failed(e)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Failed>;

/// serde_json's marker for a `RawValue` (a JSON text kept as written): its one field holds the text.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

#[derive(Clone, Copy)]
struct ToPy<'py> {
    py: Python<'py>,
}

/// `datetime.date`, imported once.
fn date_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    DATE.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("datetime")?.getattr("date")?.unbind())
    })
    .map(|c| c.bind(py))
}

/// A `YYYY-MM-DD` text as `(year, month, day)`.
fn ymd(text: &str) -> Option<(i32, u32, u32)> {
    let d = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    Some((d.year(), d.month(), d.day()))
}

impl<'py> ser::Serializer for ToPy<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Variant<Seq<'py>>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Struct<'py>;
    type SerializeStructVariant = Variant<Struct<'py>>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        Ok(PyInt::new(self.py, v).into_any())
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        Ok(PyFloat::new(self.py, v).into_any())
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Out<'py> {
        Ok(name(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let d = PyDict::new(self.py);
        d.set_item(variant, value.serialize(self)?)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py>, Failed> {
        Ok(Seq {
            to: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'py>, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<'py>>, Failed> {
        Ok(Variant {
            name: variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'py>, Failed> {
        Ok(Map {
            to: self,
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'py>, Failed> {
        Ok(Struct {
            to: self,
            dict: PyDict::new(self.py),
            raw: (name == RAW_VALUE).then(String::new),
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Struct<'py>>, Failed> {
        Ok(Variant {
            name: variant,
            inner: self.serialize_struct(variant, len)?,
        })
    }
    /// Only chrono's dates come this way: a `YYYY-MM-DD` text becomes a `datetime.date`.
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Out<'py> {
        let text = value.to_string();
        match ymd(&text) {
            Some(d) => Ok(date_class(self.py)?.call1(d)?),
            None => self.serialize_str(&text),
        }
    }
}

pub(crate) struct Seq<'py> {
    to: ToPy<'py>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }
    fn list(self) -> Out<'py> {
        Ok(PyList::new(self.to.py, self.items)?.into_any())
    }
}

impl<'py> ser::SerializeSeq for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.list()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.list()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.list()
    }
}

pub(crate) struct Map<'py> {
    to: ToPy<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        self.key = Some(key.serialize(self.to)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Failed as ser::Error>::custom("a map value without its key"))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(self.dict.into_any())
    }
}

pub(crate) struct Struct<'py> {
    to: ToPy<'py>,
    dict: Bound<'py, PyDict>,
    /// For a `RawValue`: its JSON text.
    raw: Option<String>,
}

/// A static name (a field, an enum variant) as a Python string made once per thread: the results' names are few,
/// and a string Python has seen keeps its hash, so each dict insert skips making and hashing a new key. Names are
/// told apart by address and length (they are `&'static str`s of the binary), which hashes in a few instructions.
fn name<'py>(py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
    thread_local! {
        static NAMES: RefCell<Names> = RefCell::new(HashMap::default());
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        names
            .entry((key.as_ptr() as usize, key.len()))
            .or_insert_with(|| PyString::intern(py, key).unbind())
            .bind(py)
            .clone()
    })
}

/// The names made so far, by address and length.
type Names = HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<AddressHasher>>;

/// Hashes a name's address and length: distinct names of the binary differ in address.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl<'py> Struct<'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Failed> {
        let v = value.serialize(self.to)?;
        match &mut self.raw {
            Some(text) => *text = v.extract()?,
            None => self.dict.set_item(name(self.to.py, key), v)?,
        }
        Ok(())
    }
    fn finish(self) -> Out<'py> {
        match self.raw {
            Some(text) => {
                let value: serde_json::Value =
                    serde_json::from_str(&text).map_err(<Failed as ser::Error>::custom)?;
                value.serialize(self.to)
            }
            None => Ok(self.dict.into_any()),
        }
    }
}

impl<'py> ser::SerializeStruct for Struct<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Failed> {
        self.field(key, value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

/// An enum variant with data: `{variant: data}`, as serde_json writes it.
pub(crate) struct Variant<I> {
    name: &'static str,
    inner: I,
}

impl<I> Variant<I> {
    fn wrap<'py>(name: &'static str, py: Python<'py>, value: Bound<'py, PyAny>) -> Out<'py> {
        let d = PyDict::new(py);
        d.set_item(name, value)?;
        Ok(d.into_any())
    }
}

impl<'py> ser::SerializeTupleVariant for Variant<Seq<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        self.inner.push(value)
    }
    fn end(self) -> Out<'py> {
        let py = self.inner.to.py;
        Self::wrap(self.name, py, self.inner.list()?)
    }
}

impl<'py> ser::SerializeStructVariant for Variant<Struct<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Failed> {
        self.inner.field(key, value)
    }
    fn end(self) -> Out<'py> {
        let py = self.inner.to.py;
        Self::wrap(self.name, py, self.inner.finish()?)
    }
}
