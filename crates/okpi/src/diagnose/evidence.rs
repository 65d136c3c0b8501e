//! A finding's evidence: a handful of named values kept as a short list sorted by name, written as a JSON object
//! in that order (as the map it replaces was). A rule names its values with its own static texts, so a finding
//! costs one list, not a tree node and an owned key per value; evidence read back from JSON owns its names.

use crate::report::Evidence;
use chrono::{Datelike, NaiveDate};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The numbers that triggered a finding, by name (names sorted, each once).
///
/// ```
/// use okpi::diagnose::EvidenceMap;
/// use okpi::report::Evidence;
/// let e: EvidenceMap = serde_json::from_str(r#"{"limit": 14, "days": 20}"#).unwrap();
/// assert_eq!(e.get("days"), Some(&Evidence::Int(20)));
/// assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["days", "limit"]);
/// assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"days":20,"limit":14}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceMap(Vec<(Cow<'static, str>, Evidence)>);

/// An entry of an [`EvidenceMap`].
type Entry = (Cow<'static, str>, Evidence);

impl EvidenceMap {
    /// The evidence of a rule: its named values in any order (a name given twice keeps its last value, as a map
    /// collected from them would).
    pub(crate) fn of<const N: usize>(values: [(&'static str, Evidence); N]) -> EvidenceMap {
        let mut list: Vec<Entry> = Vec::with_capacity(N);
        // Reversed, so that after the stable sort the first of equal names is the last given.
        list.extend(values.into_iter().rev().map(|(k, v)| (Cow::Borrowed(k), v)));
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list.dedup_by(|a, b| a.0 == b.0);
        EvidenceMap(list)
    }

    /// The value named `name`.
    pub fn get(&self, name: &str) -> Option<&Evidence> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    /// The values with their names, by name.
    pub fn iter(&self) -> Iter<'_> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The values, by name, to change in place.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Evidence> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The iterator of [`EvidenceMap::iter`].
pub type Iter<'a> = std::iter::Map<std::slice::Iter<'a, Entry>, fn(&'a Entry) -> (&'a str, &'a Evidence)>;

impl<'a> IntoIterator for &'a EvidenceMap {
    type Item = (&'a str, &'a Evidence);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl From<BTreeMap<String, Evidence>> for EvidenceMap {
    fn from(map: BTreeMap<String, Evidence>) -> EvidenceMap {
        EvidenceMap(map.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect())
    }
}

impl Serialize for EvidenceMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for EvidenceMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<EvidenceMap, D::Error> {
        BTreeMap::<String, Evidence>::deserialize(d).map(EvidenceMap::from)
    }
}

/// A day as evidence: what [`Evidence::of`] makes of it (a date), without writing it out and reading it back; a
/// year that is not written `YYYY-MM-DD` goes the long way, as before.
pub(crate) fn day(d: NaiveDate) -> Evidence {
    if (1..=9999).contains(&d.year()) {
        Evidence::Date(d)
    } else {
        Evidence::of(&d)
    }
}

/// [`day`] of a day that may be missing (`null`).
pub(crate) fn maybe_day(d: Option<NaiveDate>) -> Evidence {
    d.map_or(Evidence::Null, day)
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for EvidenceMap {
    fn schema_name() -> Cow<'static, str> {
        <BTreeMap<String, Evidence>>::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <BTreeMap<String, Evidence>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::EvidenceMap;
    use crate::report::Evidence;
    use std::collections::BTreeMap;

    #[test]
    fn a_day_is_what_evidence_of_makes_of_it() {
        for (y, m, d) in [
            (2026, 3, 1),
            (1, 1, 1),
            (9999, 12, 31),
            (0, 6, 1),
            (-5, 1, 1),
            (10000, 1, 1),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(super::day(date), Evidence::of(&date), "{date}");
            assert_eq!(super::maybe_day(Some(date)), Evidence::of(&Some(date)));
        }
        assert_eq!(super::maybe_day(None), Evidence::of(&None::<chrono::NaiveDate>));
    }

    #[test]
    fn it_writes_and_reads_as_the_map_did() {
        let e = EvidenceMap::of([
            ("status", Evidence::of(&"at_risk")),
            ("check_ins", Evidence::of(&4)),
            ("confidence", Evidence::of(&7.0)),
            ("check_ins", Evidence::of(&5)),
        ]);
        let map: BTreeMap<String, Evidence> = [
            ("status", Evidence::of(&"at_risk")),
            ("check_ins", Evidence::of(&4)),
            ("confidence", Evidence::of(&7.0)),
            ("check_ins", Evidence::of(&5)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, serde_json::to_string(&map).unwrap());
        assert_eq!(json, r#"{"check_ins":5,"confidence":7.0,"status":"at_risk"}"#);
        let back: EvidenceMap = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        assert_eq!(back, EvidenceMap::from(map));
        assert_eq!(e.get("check_ins"), Some(&Evidence::Int(5)));
        assert_eq!(e.get("missing"), None);
        assert_eq!(e.len(), 3);
    }
}
