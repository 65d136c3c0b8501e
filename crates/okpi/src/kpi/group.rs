//! A cell's group: the group-by dims and their values, as shared ids. A table of 300,000 cells of one unit each
//! holds no map and no string of its own per cell (a `BTreeMap<String, String>` cost four allocations a cell).

use crate::id::Id;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

/// The group-by dims of a cell and their values, sorted by dim: a map from dim to value, written as a JSON object
/// (`{"unit": "east"}`), as a `BTreeMap<String, String>` was.
///
/// ```
/// let g = okpi::kpi::Group::one("unit", "east");
/// assert_eq!(g.get("unit").map(|v| v.as_str()), Some("east"));
/// assert_eq!(serde_json::to_string(&g).unwrap(), r#"{"unit":"east"}"#);
/// let back: okpi::kpi::Group = serde_json::from_str(r#"{"unit":"east"}"#).unwrap();
/// assert_eq!(back, g);
/// ```
#[derive(Clone, Default)]
pub struct Group(Pairs);

/// The dim `unit`, shared by every group of a unit table.
static UNIT: LazyLock<Id> = LazyLock::new(|| Id::from("unit"));

/// `unit` alone (the group of a unit table: one shared id, nothing else per cell), else pairs sorted by dim
/// (empty: no allocation).
#[derive(Clone)]
enum Pairs {
    Unit(Id),
    Many(Vec<(Id, Id)>),
}

impl Default for Pairs {
    fn default() -> Pairs {
        Pairs::Many(Vec::new())
    }
}

/// The iterator over a group's (dim, value) pairs.
pub type GroupIter<'a> = std::iter::Chain<
    std::option::IntoIter<(&'a Id, &'a Id)>,
    std::iter::Map<std::slice::Iter<'a, (Id, Id)>, fn(&'a (Id, Id)) -> (&'a Id, &'a Id)>,
>;

impl Group {
    /// The group of one dim (no allocation: both ids are shared).
    pub fn one(dim: impl Into<Id>, value: impl Into<Id>) -> Group {
        let (dim, value) = (dim.into(), value.into());
        if dim == "unit" {
            Group(Pairs::Unit(value))
        } else {
            Group(Pairs::Many(vec![(dim, value)]))
        }
    }

    /// The group `{"unit": unit}` (nothing allocated: the dim and the id are shared).
    pub fn unit(unit: Id) -> Group {
        Group(Pairs::Unit(unit))
    }

    /// The value of `dim`.
    pub fn get(&self, dim: &str) -> Option<&Id> {
        self.iter().find(|(k, _)| k.as_str() == dim).map(|(_, v)| v)
    }

    /// Whether the group has `dim`.
    pub fn contains_key(&self, dim: &str) -> bool {
        self.get(dim).is_some()
    }

    /// The (dim, value) pairs, sorted by dim.
    pub fn iter(&self) -> GroupIter<'_> {
        let (unit, rest): (Option<&Id>, &[(Id, Id)]) = match &self.0 {
            Pairs::Unit(v) => (Some(v), &[]),
            Pairs::Many(pairs) => (None, pairs),
        };
        let pair: fn(&(Id, Id)) -> (&Id, &Id) = |(k, v)| (k, v);
        unit.map(|v| (&*UNIT, v)).into_iter().chain(rest.iter().map(pair))
    }

    /// The dims, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &Id> {
        self.iter().map(|(k, _)| k)
    }

    /// The number of dims.
    pub fn len(&self) -> usize {
        match &self.0 {
            Pairs::Unit(_) => 1,
            Pairs::Many(pairs) => pairs.len(),
        }
    }

    /// Whether the group has no dim (a query without `group_by`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The group as a map of strings.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
}

impl<K: Into<Id>, V: Into<Id>> FromIterator<(K, V)> for Group {
    /// Pairs in any order; a dim given twice keeps its last value (as a map's `collect` does).
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Group {
        let map: BTreeMap<Id, Id> = iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        match map.first_key_value() {
            Some((dim, value)) if map.len() == 1 && dim == "unit" => Group(Pairs::Unit(value.clone())),
            _ => Group(Pairs::Many(map.into_iter().collect())),
        }
    }
}

impl From<BTreeMap<String, String>> for Group {
    fn from(map: BTreeMap<String, String>) -> Group {
        map.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Group {
    type Item = (&'a Id, &'a Id);
    type IntoIter = GroupIter<'a>;
    fn into_iter(self) -> GroupIter<'a> {
        self.iter()
    }
}

impl PartialEq for Group {
    fn eq(&self, other: &Group) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Group {}

impl PartialEq<BTreeMap<String, String>> for Group {
    fn eq(&self, other: &BTreeMap<String, String>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|((a, b), (c, d))| a == c && b == d)
    }
}

impl fmt::Debug for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Group {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Group, D::Error> {
        BTreeMap::<String, String>::deserialize(d).map(Group::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_the_map_it_was() {
        let map = BTreeMap::from([
            ("unit".to_owned(), "east".to_owned()),
            ("region".to_owned(), "n".to_owned()),
        ]);
        let g = Group::from(map.clone());
        assert_eq!(g, map);
        assert_eq!(serde_json::to_string(&g).ok(), serde_json::to_string(&map).ok());
        assert_eq!(g.keys().map(Id::as_str).collect::<Vec<_>>(), ["region", "unit"]);
        assert_eq!(format!("{g:?}"), format!("{map:?}"));
        assert!(Group::default().is_empty());
        assert_eq!(
            Group::one("unit", "east"),
            [("unit", "east")].into_iter().collect::<Group>()
        );
        assert_ne!(Group::one("unit", "east"), Group::one("unit", "west"));
        assert_eq!(Group::one("region", "n").get("region").map(Id::as_str), Some("n"));
        assert_eq!(
            Group::one("unit", "e").to_map(),
            BTreeMap::from([("unit".to_owned(), "e".to_owned())])
        );
    }
}
