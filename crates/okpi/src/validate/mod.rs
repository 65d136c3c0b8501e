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
/// order), and each id's rank in that order (a repeated id: its last) with the ids interned in that order (the
/// model and its results share them). Every repeated id is reported as [`unique_ids`] reports it, in input order. One
/// sort of `(id, position)` pairs does both: no hashing to find repeats, and an id list already in order (as
/// exports write them) is only checked. The sort compares the ids' first 16 bytes as one number before it reads
/// the rest of an id.
pub(crate) fn index_ids<I: crate::idx::Idx, T>(
    items: &[T],
    what: &str,
    id: impl Fn(&T) -> &str,
    c: &mut Checker,
) -> (Vec<usize>, crate::id::IdIndex<I>) {
    let mut pairs: Vec<(u128, &str, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let key = id(t);
            (prefix(key), key, i)
        })
        .collect();
    // A stable sort finds the sorted runs a document is made of (units' objectives, then people's) and merges
    // them; every pair differs in its position, so the order is the one an unstable sort gives.
    if !pairs.is_sorted() {
        pairs.sort();
    }
    // Runs of one id: the first of each run has the lowest position.
    let mut repeats: Vec<(usize, usize, &str)> = Vec::new();
    let mut first = pairs.first().map_or(0, |p| p.2);
    for w in pairs.windows(2) {
        if let [a, b] = w {
            if a.0 == b.0 && a.1 == b.1 {
                repeats.push((b.2, first, b.1));
            } else {
                first = b.2;
            }
        }
    }
    repeats.sort_unstable();
    for (i, first, key) in repeats {
        c.push(
            Code::E_DUPLICATE_ID,
            format!("$.{what}[{i}].id"),
            Some(key),
            format!("id {key} is used again (first at $.{what}[{first}])"),
        );
    }
    let ids: Vec<Id> = pairs.iter().map(|p| Id::from(p.1)).collect();
    (
        pairs.into_iter().map(|p| p.2).collect(),
        crate::id::IdIndex::new(ids),
    )
}

/// Resolves ids to typed indexes as an id map does, trying first the item resolved last and the one after it:
/// documents list references in the order of what they name (an objective's key results together, a key
/// result's check-ins together, key results in the order of their objectives), so most ids are found by comparing
/// two strings that lie next to the last ones instead of hashing. The guess is made only when no id repeats, so
/// every answer is the map's.
pub(crate) struct Resolver<'a, I> {
    map: &'a crate::id::IdIndex<I>,
    /// The items' ids by input position, each position's index, and the input position of each index; empty
    /// when ids repeat (the map alone answers).
    ids: Vec<&'a str>,
    index: Vec<I>,
    order: &'a [usize],
    /// The input position resolved last.
    last: usize,
}

impl<'a, I: crate::idx::Idx + Copy> Resolver<'a, I> {
    /// A resolver over `items` indexed by [`index_ids`] as `order` and `map`.
    pub fn new<T>(
        items: &'a [T],
        id: impl Fn(&'a T) -> &'a str,
        order: &'a [usize],
        map: &'a crate::id::IdIndex<I>,
    ) -> Resolver<'a, I> {
        let unique = map.len() == items.len() && order.len() == items.len();
        let (mut ids, mut index) = (Vec::new(), Vec::new());
        if unique {
            ids = items.iter().map(id).collect();
            index = vec![I::new(0); items.len()];
            for (rank, &p) in order.iter().enumerate() {
                if let Some(slot) = index.get_mut(p) {
                    *slot = I::new(rank);
                }
            }
        }
        Resolver {
            map,
            ids,
            index,
            order,
            last: 0,
        }
    }

    /// The index of `id`, `None` if no item has it.
    pub fn get(&mut self, id: &str) -> Option<I> {
        if !self.index.is_empty() {
            for p in [self.last, self.last + 1] {
                if self.ids.get(p).is_some_and(|&s| s == id) {
                    self.last = p;
                    return self.index.get(p).copied();
                }
            }
        }
        let ix = self.map.get(id).copied()?;
        if let Some(&p) = self.order.get(ix.index()) {
            self.last = p;
        }
        Some(ix)
    }
}

/// The first 16 bytes of `id` as a number that orders as the bytes do (shorter ids padded with zeros): ids that
/// differ there are ordered without reading them again.
fn prefix(id: &str) -> u128 {
    let mut b = [0u8; 16];
    let n = id.len().min(16);
    if let (Some(dst), Some(src)) = (b.get_mut(..n), id.as_bytes().get(..n)) {
        dst.copy_from_slice(src);
    }
    u128::from_be_bytes(b)
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
