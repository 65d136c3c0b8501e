//! [`Flags`]: the flags of one result as a set of bits, so a result carries them in two bytes instead of a
//! `Vec` (24 bytes, and an allocation for every flagged result). It serialises as the sorted JSON list the `Vec`
//! wrote.

use super::Flag;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every flag, in their order (the order [`Flags`] lists them in).
const ALL: [Flag; 6] = [
    Flag::NoCheckIn,
    Flag::NoSources,
    Flag::DefinitionChanged,
    Flag::ByValueFallback,
    Flag::BaselineFromCheckIn,
    Flag::NoData,
];

/// The flags of a result: a set, listed (and written as JSON) sorted.
///
/// ```
/// use okpi::report::{Flag, Flags};
/// let mut flags = Flags::default();
/// flags.insert(Flag::NoData);
/// flags.insert(Flag::NoCheckIn);
/// assert!(flags.contains(Flag::NoData) && !flags.contains(Flag::NoSources));
/// assert_eq!(flags.iter().collect::<Vec<_>>(), [Flag::NoCheckIn, Flag::NoData]);
/// assert_eq!(serde_json::to_string(&flags).unwrap(), r#"["no_check_in","no_data"]"#);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(u16);

impl Flags {
    /// Whether `flag` is set.
    pub fn contains(self, flag: Flag) -> bool {
        self.0 & bit(flag) != 0
    }

    /// Sets `flag`.
    pub fn insert(&mut self, flag: Flag) {
        self.0 |= bit(flag);
    }

    /// Whether no flag is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many flags are set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The flags set, sorted.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        ALL.into_iter().filter(move |f| self.contains(*f))
    }
}

/// The bit of `flag`: its position in [`ALL`].
fn bit(flag: Flag) -> u16 {
    let i = match flag {
        Flag::NoCheckIn => 0,
        Flag::NoSources => 1,
        Flag::DefinitionChanged => 2,
        Flag::ByValueFallback => 3,
        Flag::BaselineFromCheckIn => 4,
        Flag::NoData => 5,
    };
    1 << i
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Flags {
        let mut flags = Flags::default();
        for f in iter {
            flags.insert(f);
        }
        flags
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for f in self.iter() {
            seq.serialize_element(&f)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Flags {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flags, D::Error> {
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Flags;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of flags")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Flags, A::Error> {
                let mut flags = Flags::default();
                while let Some(f) = seq.next_element::<Flag>()? {
                    flags.insert(f);
                }
                Ok(flags)
            }
        }
        d.deserialize_seq(List)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Flags {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Vec<Flag>>::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Flag>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_has_its_own_bit_in_sorted_order() {
        let all: Flags = ALL.into_iter().collect();
        assert_eq!(all.len(), ALL.len());
        let listed: Vec<Flag> = all.iter().collect();
        let mut sorted = ALL.to_vec();
        sorted.sort();
        assert_eq!(listed, sorted);
    }

    #[test]
    fn reads_back_what_it_writes_in_any_order() {
        let flags: Flags = serde_json::from_str(r#"["no_data","no_check_in","no_data"]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&flags).unwrap(),
            r#"["no_check_in","no_data"]"#
        );
        assert_eq!(serde_json::to_string(&Flags::default()).unwrap(), "[]");
    }
}
