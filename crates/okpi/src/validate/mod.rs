//! Every rule of DOMAIN.md §1–9 checked at once, each problem with its code, id and path; what the checks resolve
//! (ids to indexes, the alignment graph) goes on to the store, which builds the model.

pub(crate) mod alert_rule;
mod alerts;
mod graph;
mod kpi;
pub(crate) use kpi::ObsRefs;
mod okr;
pub use graph::Edge;
pub(crate) use kpi::check_curve;
pub use okr::Definition;
pub(crate) use okr::{by_value_eligible, definitions};
mod org;

use crate::error::{Code, Error, Problem};
use crate::id::Id;
use crate::limits::Limits;
use crate::model::{Document, SCHEMA_VERSION};
use std::collections::HashMap;

/// What validation resolved on the way, handed to the store so that it resolves nothing again.
pub(crate) struct Checked {
    pub org: org::Org,
    pub okr: okr::Okr,
    pub graph: graph::Graph,
    pub obs: ObsRefs,
}

/// Checks a document under `limits` (checked first: `E_SETTINGS` under `$.limits`): every problem found, or what
/// the store needs to build the model. A document with more objectives than `limits.objectives` is refused at
/// once (`E_LIMIT` at `$.objectives`), before any other check.
pub(crate) fn check(doc: &Document, limits: &Limits) -> Result<Checked, Error> {
    limits.check()?;
    if doc.objectives.len() > limits.objectives {
        return Err(Error::invalid(vec![crate::limits::exceeded(
            "objectives",
            limits.objectives,
            "$.objectives",
            None,
            format!("the document has {} objectives", doc.objectives.len()),
        )]));
    }
    if doc.schema_version != SCHEMA_VERSION {
        return Err(Error::invalid(vec![Problem::new(
            Code::E_SCHEMA_VERSION,
            "$.schema_version",
            None,
            format!(
                "schema_version {} is not supported; this build reads {SCHEMA_VERSION}",
                doc.schema_version
            ),
        )]));
    }
    let mut c = Checker::default();
    c.problems.extend(check_cycles(doc, limits));
    let org = org::check(doc, &mut c);
    let okr = okr::check(doc, &org, &mut c);
    let graph = graph::check(doc, &okr, limits, &mut c);
    let obs = kpi::check(doc, &org, &okr.objectives, &okr.key_results, limits, &mut c);
    alerts::check(doc, &org, limits, &mut c);
    if !c.problems.is_empty() {
        return Err(Error::invalid(c.problems));
    }
    Ok(Checked { org, okr, graph, obs })
}

/// Collects problems as validation walks the document.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    pub problems: Vec<Problem>,
}

impl Checker {
    pub fn push(
        &mut self,
        code: Code,
        path: impl Into<String>,
        id: Option<&str>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem::new(code, path, id, message));
    }

    /// Reports a NaN or infinite number; returns whether the number is finite.
    pub fn finite(
        &mut self,
        path: &(impl std::fmt::Display + ?Sized),
        id: &str,
        field: &str,
        value: f64,
    ) -> bool {
        if value.is_finite() {
            return true;
        }
        self.push(
            Code::E_NOT_FINITE,
            format!("{path}.{field}"),
            Some(id),
            format!("{field} of {id} is {value}"),
        );
        false
    }

    /// Reports a weight that is NaN, infinite or negative; returns whether it is usable.
    pub fn weight(&mut self, path: &(impl std::fmt::Display + ?Sized), id: &str, value: f64) -> bool {
        if !self.finite(path, id, "weight", value) {
            return false;
        }
        if value < 0.0 {
            self.push(
                Code::E_NEGATIVE_WEIGHT,
                format!("{path}.weight"),
                Some(id),
                format!("weight of {id} is {value}"),
            );
            return false;
        }
        true
    }
}

/// Maps each id to its first position, reporting later duplicates. `what` is the JSON array name.
pub(crate) fn unique_ids<'a, T>(
    items: &'a [T],
    what: &str,
    id: impl Fn(&'a T) -> &'a str,
    c: &mut Checker,
) -> HashMap<&'a str, usize> {
    let mut seen = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let key = id(item);
        if let Some(first) = seen.get(key) {
            c.push(
                Code::E_DUPLICATE_ID,
                format!("$.{what}[{i}].id"),
                Some(key),
                format!("id {key} is used again (first at $.{what}[{first}])"),
            );
        } else {
            seen.insert(key, i);
        }
    }
    seen
}

/// Indexes items by id: their positions sorted by id (the model holds items in this order; repeated ids in input
/// order), the index of ids (each id's rank in that order, a repeated id's its last, with the ids interned in that
/// order: the model and its results share them), and what that index gives for each item's own id, by input
/// position. Every repeated id is reported as [`unique_ids`] reports it, in input order.
///
/// One sort of small keys does it all: an id's first 16 bytes as two numbers that order as the bytes do, its
/// length and its position. No hashing finds repeats, an id list already in order (as exports write them) is only
/// checked, and an id of up to 16 bytes is read once (its key holds it whole: the interned id is made from the
/// key, not from the item's text again, which lies elsewhere in memory).
pub(crate) fn index_ids<I: crate::idx::Idx, T>(
    items: &[T],
    what: &str,
    id: impl Fn(&T) -> &str,
    c: &mut Checker,
) -> (Vec<usize>, crate::id::IdIndex<I>, Vec<I>) {
    let mut keys: Vec<Key> = items
        .iter()
        .enumerate()
        .map(|(i, t)| Key::new(id(t), i))
        .collect();
    let text = |k: &Key| items.get(k.pos()).map_or("", &id);
    let cmp = |a: &Key, b: &Key| {
        (a.hi, a.lo)
            .cmp(&(b.hi, b.lo))
            .then_with(|| match (a.whole(), b.whole()) {
                // Both ids are their keys' bytes: the shorter is a prefix of the longer (or they are equal).
                (true, true) => a.len.cmp(&b.len),
                _ => text(a).cmp(text(b)),
            })
            .then(a.pos.cmp(&b.pos))
    };
    // A stable sort finds the sorted runs a document is made of (units' objectives, then people's) and merges
    // them; every key differs in its position, so the order is the one an unstable sort gives.
    if !keys.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        keys.sort_by(cmp);
    }
    let same = |a: &Key, b: &Key| {
        a.hi == b.hi && a.lo == b.lo && a.len == b.len && (a.whole() || text(a) == text(b))
    };
    // Runs of one id: the first of each run has the lowest position, the last the rank the index gives.
    let mut rank = vec![I::new(0); items.len()];
    let mut repeats: Vec<(usize, usize)> = Vec::new();
    let mut run = 0;
    while let Some(first) = keys.get(run) {
        let mut end = run + 1;
        while keys.get(end).is_some_and(|k| same(first, k)) {
            repeats.push((keys.get(end).map_or(0, Key::pos), first.pos()));
            end += 1;
        }
        for k in keys.get(run..end).unwrap_or_default() {
            if let Some(slot) = rank.get_mut(k.pos()) {
                *slot = I::new(end - 1);
            }
        }
        run = end;
    }
    repeats.sort_unstable();
    for (i, first) in repeats {
        let key = items.get(i).map_or("", &id);
        c.push(
            Code::E_DUPLICATE_ID,
            format!("$.{what}[{i}].id"),
            Some(key),
            format!("id {key} is used again (first at $.{what}[{first}])"),
        );
    }
    let ids: Vec<Id> = keys
        .iter()
        .map(|k| k.whole_id().unwrap_or_else(|| Id::from(text(k))))
        .collect();
    (
        keys.iter().map(Key::pos).collect(),
        crate::id::IdIndex::new(ids),
        rank,
    )
}

/// An id's sort key in [`index_ids`]: its first 16 bytes (zero-padded) as two numbers that order as the bytes do,
/// its length and its input position (documents beyond `u32::MAX` items are refused by the size limits long
/// before this, as the typed indexes say). 24 bytes, where a key holding the id's `&str` takes 40.
#[derive(Clone, Copy)]
struct Key {
    hi: u64,
    lo: u64,
    len: u32,
    pos: u32,
}

impl Key {
    fn new(id: &str, pos: usize) -> Key {
        let mut b = [0u8; 16];
        let n = id.len().min(16);
        if let (Some(dst), Some(src)) = (b.get_mut(..n), id.as_bytes().get(..n)) {
            dst.copy_from_slice(src);
        }
        let [h0, h1, h2, h3, h4, h5, h6, h7, l0, l1, l2, l3, l4, l5, l6, l7] = b;
        Key {
            hi: u64::from_be_bytes([h0, h1, h2, h3, h4, h5, h6, h7]),
            lo: u64::from_be_bytes([l0, l1, l2, l3, l4, l5, l6, l7]),
            len: u32::try_from(id.len()).unwrap_or(u32::MAX),
            pos: u32::try_from(pos).unwrap_or(u32::MAX),
        }
    }

    fn pos(&self) -> usize {
        self.pos as usize
    }

    /// Whether the key's bytes are the whole id.
    fn whole(&self) -> bool {
        self.len <= 16
    }

    /// The id interned, when the key holds it whole (the bytes of a `str` cut where it ends, so UTF-8).
    fn whole_id(&self) -> Option<Id> {
        let mut bytes = [0u8; 16];
        let (hi, lo) = bytes.split_at_mut(8);
        hi.copy_from_slice(&self.hi.to_be_bytes());
        lo.copy_from_slice(&self.lo.to_be_bytes());
        let text = bytes.get(..self.len as usize)?;
        std::str::from_utf8(text).ok().map(Id::from)
    }
}
/// Resolves ids to typed indexes as an id map does, trying first the id resolved last and the one after it in id
/// order: documents list references in the order of what they name (an objective's key results together, a key
/// result's check-ins together, key results in the order of their objectives), so most ids are found by comparing
/// two strings instead of hashing, and the ids compared lie side by side in the map's own array. The guess is made
/// only when no id repeats, so every answer is the map's.
pub(crate) struct Resolver<'a, I> {
    map: &'a crate::id::IdIndex<I>,
    /// Whether ids are unique (otherwise the map alone answers).
    guess: bool,
    /// The rank resolved last.
    last: usize,
}

impl<'a, I: crate::idx::Idx + Copy> Resolver<'a, I> {
    /// A resolver over the id index `map`.
    pub fn new(map: &'a crate::id::IdIndex<I>) -> Resolver<'a, I> {
        Resolver {
            map,
            guess: map.len() == map.ids().len(),
            last: 0,
        }
    }

    /// The index of `id`, `None` if no item has it.
    pub fn get(&mut self, id: &str) -> Option<I> {
        if self.guess {
            let ids = self.map.ids();
            for r in [self.last, self.last + 1] {
                if ids.get(r).is_some_and(|have| *have == id) {
                    self.last = r;
                    return Some(I::new(r));
                }
            }
        }
        let ix = self.map.get(id).copied()?;
        self.last = ix.index();
        Some(ix)
    }
}

/// `E_LIMIT` at `$.cycles[i]` for every cycle longer than `cycle_days` (first and last day included).
fn check_cycles(doc: &Document, limits: &Limits) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, cy) in doc.cycles.iter().enumerate() {
        let days = (cy.end - cy.start).num_days().saturating_add(1);
        if usize::try_from(days).is_ok_and(|d| d > limits.cycle_days) {
            out.push(crate::limits::exceeded(
                "cycle_days",
                limits.cycle_days,
                format!("$.cycles[{i}]"),
                Some(&cy.id),
                format!(
                    "cycle {} runs {days} days, from {} to {}",
                    cy.id, cy.start, cy.end
                ),
            ));
        }
    }
    out
}
