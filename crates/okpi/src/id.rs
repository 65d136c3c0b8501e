//! [`Id`]: an item's id, interned once when the model is built and shared by every result that names the item.
//! A short id (up to 14 bytes, as most are) is held inline, so copying it into a result and dropping that result
//! touch no shared memory; a longer one is a reference count on one copy of the text. It serialises as the plain
//! string, so JSON does not change.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// An id: cheap to clone, compared, hashed and ordered as its text, written as a JSON string.
///
/// ```
/// let id = okpi::Id::from("kr-1");
/// assert_eq!(id, "kr-1");
/// assert_eq!(id.as_str().len(), 4);
/// assert_eq!(serde_json::to_string(&id).unwrap(), r#""kr-1""#);
/// ```
#[derive(Clone)]
pub struct Id(Repr);

/// Bytes an id may have to be held inline: what fits in the 16 bytes of an `Id` beside the tag and length.
const INLINE: usize = 14;

#[derive(Clone)]
enum Repr {
    /// The text's bytes, then zeros; `len` of them are the text.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// A longer text, shared (a thin pointer keeps `Id` at 16 bytes).
    Shared(Arc<Box<str>>),
}

const _: () = assert!(std::mem::size_of::<Id>() == 16);

impl Id {
    /// The id's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were copied from a `str` whole, so they are UTF-8; the fallback is never taken.
            Repr::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Repr::Shared(s) => s,
        }
    }

    /// The text's bytes, without checking them again: comparisons and order read these.
    fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Shared(s) => s.as_bytes(),
        }
    }
}

impl Default for Id {
    fn default() -> Id {
        Id(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Id {}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    /// The order of the texts (`str` orders by bytes too).
    fn cmp(&self, other: &Id) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Hash for Id {
    /// As the text hashes (`str` writes its bytes, then `0xff`), so a map keyed by ids can be searched with a
    /// `&str` ([`Borrow`]); the bytes are read without checking them again as UTF-8.
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        let mut bytes = [0; INLINE];
        match (bytes.get_mut(..s.len()), u8::try_from(s.len())) {
            (Some(dst), Ok(len)) => {
                dst.copy_from_slice(s.as_bytes());
                Id(Repr::Inline { len, bytes })
            }
            _ => Id(Repr::Shared(Arc::new(Box::from(s)))),
        }
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        if s.len() <= INLINE {
            Id::from(s.as_str())
        } else {
            Id(Repr::Shared(Arc::new(s.into_boxed_str())))
        }
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id::from(s.as_str())
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.as_str().to_owned()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&Id> for Id {
    fn eq(&self, other: &&Id) -> bool {
        self == *other
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        other == self
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        other == *self
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        other == self
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        String::deserialize(d).map(Id::from)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// A hash map with the [`Fx`] hash: for maps keyed by the document's own ids and strings.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Id → index for the items of one kind, indexes being ranks in id order: the ids are held once, in rank order,
/// and the hash table holds only the indexes (4 bytes a slot beside one control byte, where an `Id`-keyed map
/// holds 24), so building it for 700,000 key results touches a few MB instead of 25. A repeated id maps to its
/// last rank.
#[derive(Clone)]
pub(crate) struct IdIndex<I> {
    ids: Vec<Id>,
    table: hashbrown::HashTable<I>,
}

impl<I: crate::idx::Idx> IdIndex<I> {
    /// Indexes `ids`, sorted (repeats side by side): the id at rank `r` maps to `I::new(r)`.
    pub fn new(ids: Vec<Id>) -> IdIndex<I> {
        let mut table = hashbrown::HashTable::with_capacity(ids.len());
        for (rank, id) in ids.iter().enumerate() {
            if ids.get(rank + 1).is_some_and(|next| next == id) {
                continue; // a repeat: the last of the run is kept
            }
            table.insert_unique(hash(id.as_bytes()), I::new(rank), |&ix: &I| {
                ids.get(ix.index()).map_or(0, |id| hash(id.as_bytes()))
            });
        }
        IdIndex { ids, table }
    }

    /// The index of `id`, if an item has it.
    pub fn get(&self, id: &str) -> Option<&I> {
        self.table.find(hash(id.as_bytes()), |&ix| {
            self.ids
                .get(ix.index())
                .is_some_and(|have| have.as_bytes() == id.as_bytes())
        })
    }

    /// Whether an item has `id`.
    pub fn contains_key(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Number of distinct ids.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The ids in rank order (repeats included).
    pub fn ids(&self) -> &[Id] {
        &self.ids
    }
}

impl<I> Default for IdIndex<I> {
    fn default() -> IdIndex<I> {
        IdIndex {
            ids: Vec::new(),
            table: hashbrown::HashTable::new(),
        }
    }
}

impl<I> fmt::Debug for IdIndex<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdIndex").field("ids", &self.ids.len()).finish()
    }
}

/// The hash of an id's bytes in an [`IdIndex`]: most ids are 8–16 bytes, read as two (overlapping) words and the
/// ones between, each folded in by a 128-bit multiply, with the length (so no copy into a padded buffer, as a
/// byte-stream hasher makes).
fn hash(bytes: &[u8]) -> u64 {
    hash_from(seed(), bytes)
}

/// [`hash`] from the start `start`.
fn hash_from(start: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let fold = |h: u64, w: u64| {
        let m = u128::from(h ^ w) * u128::from(K);
        (m as u64) ^ ((m >> 64) as u64)
    };
    let n = bytes.len();
    let word = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let mut h = fold(n as u64 ^ start, K);
    if n < 8 {
        let short = bytes.iter().rev().fold(0u64, |w, &b| (w << 8) | u64::from(b));
        return fold(h, short);
    }
    let mut at = 0;
    while at + 8 < n {
        h = fold(h, word(at));
        at += 8;
    }
    fold(h, word(n - 8))
}

/// This process's secret start for [`hash`] and [`Fx`], drawn once from the standard library's random keys. The
/// hashes are cheap and not keyed like SipHash, but an id set crafted offline to fall into one bucket group (a
/// document that makes validation quadratic) has to be crafted against a start its author cannot see. Nothing okpi
/// writes depends on hash order, so results are the same in every process.
fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        use std::hash::BuildHasher;
        std::collections::hash_map::RandomState::new().hash_one(0x6f6b_7069_u64)
    })
}

/// The Fx hash (rustc's), started from [`seed`]: ids and dictionaries hash short strings of the document itself,
/// where SipHash costs more than the work around it.
#[derive(Clone, Copy)]
pub(crate) struct Fx(u64);

impl Default for Fx {
    fn default() -> Fx {
        Fx(seed())
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(dst) = last.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiplication carries entropy up only: fold the high bits down, or keys that differ in their last
        // bytes (`u00123`, `u00124`) share the low bits the table indexes by.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    /// Both hashes start from the process's secret seed: with the seed taken out, the values change (so an id set
    /// crafted against the unseeded functions does not collide here), and they are stable within the process.
    #[test]
    fn hashes_start_from_the_process_seed() {
        let fx = |start: u64| {
            let mut h = Fx(start);
            h.write(b"op0000123-k3");
            h.finish()
        };
        assert_eq!(Fx::default().0, seed());
        assert_ne!(fx(seed()), fx(0));
        for id in ["", "a", "kr-1", "op0000123-k3", "a-long-id-0123456789-0123456789"] {
            assert_eq!(hash(id.as_bytes()), hash_from(seed(), id.as_bytes()));
            assert_ne!(hash(id.as_bytes()), hash_from(0, id.as_bytes()), "{id}");
        }
    }

    fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
        let mut h = DefaultHasher::new();
        t.hash(&mut h);
        h.finish()
    }

    #[test]
    fn short_and_long_ids_behave_as_their_text() {
        let texts = [
            "",
            "a",
            "kr-1",
            "op0000123-k3",
            "exactly-14-byt",
            "fifteen-bytes-x",
            "é-ü-ß-ok",
            "a-long-id-0123456789-0123456789",
        ];
        let ids: Vec<Id> = texts.iter().map(|t| Id::from(*t)).collect();
        for (t, id) in texts.iter().zip(&ids) {
            assert_eq!(id.as_str(), *t);
            assert_eq!(id, *t);
            assert_eq!(Id::from(t.to_string()), *id);
            assert_eq!(hash_of(id), hash_of(*t));
            assert_eq!(
                serde_json::to_string(id).unwrap(),
                serde_json::to_string(t).unwrap()
            );
        }
        for (a, ia) in texts.iter().zip(&ids) {
            for (b, ib) in texts.iter().zip(&ids) {
                assert_eq!(ia.cmp(ib), a.cmp(b), "{a} vs {b}");
                assert_eq!(ia == ib, a == b);
            }
        }
        assert!(matches!(Id::from("exactly-14-byt").0, Repr::Inline { .. }));
        let mut sorted: Vec<Id> = ids.clone();
        sorted.sort();
        let index: IdIndex<crate::idx::KrIx> = IdIndex::new(sorted.clone());
        for (rank, id) in sorted.iter().enumerate() {
            assert_eq!(
                index.get(id.as_str()).map(|ix| crate::idx::Idx::index(*ix)),
                Some(rank)
            );
        }
        assert!(!index.contains_key("not-there") && index.len() == texts.len());
        assert!(matches!(Id::from("fifteen-bytes-x").0, Repr::Shared(_)));
        assert_eq!(Id::default(), "");
    }

    /// A repeated id maps to its last rank (as a map filled in rank order would), and counts once.
    #[test]
    fn an_id_index_keeps_the_last_rank_of_a_repeat() {
        let ids: Vec<Id> = ["a", "b", "b", "b", "c"].map(Id::from).into();
        let index: IdIndex<crate::idx::KrIx> = IdIndex::new(ids);
        let rank = |s: &str| index.get(s).map(|ix| crate::idx::Idx::index(*ix));
        assert_eq!(
            (rank("a"), rank("b"), rank("c"), rank("d")),
            (Some(0), Some(3), Some(4), None)
        );
        assert_eq!(index.len(), 3);
        assert_eq!(index.ids().len(), 5);
    }

    /// Ids of every length from 0 to 40 bytes (the hash reads short, two-word and longer ids differently), many
    /// alike but for one byte, each found at its rank; their near neighbours are not found.
    #[test]
    fn an_id_index_finds_ids_of_every_length() {
        // Differing at the front, and differing only at the end.
        let mut texts: Vec<String> = (0..=40usize)
            .flat_map(|n| {
                (0..50).flat_map(move |i| {
                    let front: String = format!("{i:02}{}", "x".repeat(40)).chars().take(n).collect();
                    let end = format!("{}{i:02}", "y".repeat(n.saturating_sub(2)));
                    [front, end]
                })
            })
            .collect();
        texts.sort();
        texts.dedup();
        let index: IdIndex<crate::idx::KrIx> = IdIndex::new(texts.iter().map(Id::from).collect());
        for (rank, t) in texts.iter().enumerate() {
            assert_eq!(
                index.get(t).map(|ix| crate::idx::Idx::index(*ix)),
                Some(rank),
                "{t}"
            );
            let near = format!("{t}\u{1}");
            assert!(!texts.contains(&near) && !index.contains_key(&near));
        }
        assert_eq!(index.len(), texts.len());
    }
}
