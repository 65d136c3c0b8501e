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
    check_apart(doc, limits, doc.observations.len() >= ALONGSIDE_ROWS)
}

/// [`check`], with the checks of measures, metrics and observations on a second thread if `apart`: they need
/// only the org, so they run while the OKR checks run on this one. Their problems come where one thread puts
/// them.
fn check_apart(doc: &Document, limits: &Limits, apart: bool) -> Result<Checked, Error> {
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
    let (measured, (okr, graph)) = crate::limits::alongside(
        apart,
        "okpi-validate",
        || kpi::measured(doc, &org, limits),
        || {
            let okr = okr::check(doc, &org, &mut c);
            let graph = graph::check(doc, &okr, limits, &mut c);
            (okr, graph)
        },
    );
    let obs = kpi::check(doc, &org, measured, &okr.objectives, &okr.key_results, &mut c);
    alerts::check(doc, &org, limits, &mut c);
    if !c.problems.is_empty() {
        return Err(Error::invalid(c.problems));
    }
    Ok(Checked { org, okr, graph, obs })
}

/// Observations from which [`check`] runs the checks of measures, metrics and observations on a second thread
/// (about a fifth of the checks of a document that big, where a thread costs tens of microseconds).
const ALONGSIDE_ROWS: usize = 100_000;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idx::{Idx, KrIx};

    /// A document with problems in every group of checks: a cycle too long, the org, objectives, key results and
    /// check-ins, the alignment graph, measures, metrics and observations (the checks that may run on a second
    /// thread), targets and scorecards after them, and alert rules last.
    const BROKEN: &str = r#"{"schema_version": 1,
        "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"},
                   {"id": "long", "start": "2020-01-01", "end": "2029-12-31"}],
        "org_units": [{"id": "u", "parent": "ghost-unit"}],
        "people": [{"id": "p", "unit": "u"}, {"id": "p", "unit": "u"}],
        "objectives": [{"id": "o1", "cycle": "q", "owner": {"unit": "u"}},
                       {"id": "o2", "cycle": "q", "owner": {"person": "p"}},
                       {"id": "o3", "cycle": "nope"}],
        "key_results": [{"id": "k1", "objective": "o1", "kind": "increase", "start": 0, "target": 10},
                        {"id": "k2", "objective": "ghost", "kind": "milestone"},
                        {"id": "k1", "objective": "o2", "kind": "decrease", "start": 5, "target": 5}],
        "check_ins": [{"key_result": "k1", "date": "2026-02-01", "value": 3, "confidence": 12},
                      {"key_result": "k2", "date": "2026-02-01", "value": 0.5},
                      {"key_result": "ghost", "date": "2026-02-01", "value": 1}],
        "alignments": [{"child": "o1", "parent": "o2"}, {"child": "o2", "parent": "o1"},
                       {"child": "o1", "parent": "o2"}],
        "measures": [{"id": "m"}, {"id": "m"}],
        "metrics": [{"id": "x", "kind": "simple", "measure": "ghost"}],
        "observations": [{"measure": "m", "date": "2026-01-05", "value": 1, "dims": {"unit": "u"}},
                         {"measure": "m", "date": "2026-01-05", "value": 2, "dims": {"unit": "u"}},
                         {"measure": "ghost", "date": "2026-01-05", "value": 1}],
        "targets": [{"id": "t", "metric": "nope", "scope": {"unit": "u"}, "cycle": "q", "target": 5}],
        "scorecards": [{"id": "s", "subject": {"unit": "u"}, "items": [{"target": "t", "weight": 60}]}],
        "alert_rules": [{"id": "r", "metric": "nope", "scope": "u", "grain": "day", "condition": "above",
                         "critical": {"value": 1}}]}"#;

    fn problems(doc: &Document, apart: bool) -> Vec<Problem> {
        match check_apart(doc, &Limits::default(), apart) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems().to_vec(),
        }
    }

    /// The checks of measures, metrics and observations on a second thread give every problem, in the order one
    /// thread gives them: after the alignment graph's, before the targets'.
    #[test]
    fn problems_come_in_one_order_with_or_without_a_second_thread() {
        let doc = Document::from_json(BROKEN).unwrap();
        let one = problems(&doc, false);
        assert_eq!(problems(&doc, true), one);
        let codes: Vec<(&str, &str)> = one.iter().map(|p| (p.code.as_str(), p.path.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("E_LIMIT", "$.cycles[1]"),
                ("E_DUPLICATE_ID", "$.people[1].id"),
                ("E_UNKNOWN_ID", "$.org_units[0].parent"),
                ("E_DUPLICATE_ID", "$.key_results[2].id"),
                ("E_UNKNOWN_ID", "$.objectives[2].cycle"),
                ("E_UNKNOWN_ID", "$.key_results[1].objective"),
                ("E_START_EQUALS_TARGET", "$.key_results[2].target"),
                ("E_CONFIDENCE_RANGE", "$.check_ins[0].confidence"),
                ("E_INVALID_VALUE", "$.check_ins[1].value"),
                ("E_UNKNOWN_ID", "$.check_ins[2].key_result"),
                ("E_DUPLICATE_ID", "$.alignments[2]"),
                ("E_CYCLE", "$.alignments[0]"),
                ("E_DUPLICATE_ID", "$.measures[1].id"),
                ("E_UNKNOWN_ID", "$.metrics[0].measure"),
                ("E_DUPLICATE_OBSERVATION", "$.observations[1]"),
                ("E_UNKNOWN_ID", "$.observations[2].measure"),
                ("E_UNKNOWN_ID", "$.targets[0].metric"),
                ("E_WEIGHTS_SUM", "$.scorecards[0].items"),
                ("E_UNKNOWN_ID", "$.alert_rules[0].metric"),
            ]
        );
    }

    /// A valid document checks the same with or without a second thread.
    #[test]
    fn a_valid_document_passes_with_or_without_a_second_thread() {
        let doc = Document::from_json(
            r#"{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
                "measures": [{"id": "m"}],
                "observations": [{"measure": "m", "date": "2026-01-06", "value": 2},
                                 {"measure": "m", "date": "2026-01-05", "value": 1}]}"#,
        )
        .unwrap();
        for apart in [false, true] {
            let checked = check_apart(&doc, &Limits::default(), apart).unwrap();
            assert_eq!(checked.obs.order, [1, 0]);
        }
    }

    /// Ids whose first 16 bytes tie (a NUL after an id, ids longer than 16 bytes, multi-byte text cut inside a
    /// character), repeated ids, in shuffled orders: the order, the index, each item's resolved index and the
    /// repeats reported are those of a plain sort of `(id, position)` and a map to each id's last rank.
    #[test]
    fn index_ids_orders_and_resolves_as_a_plain_sort() {
        let base = [
            "a",
            "a\0",
            "a\0\0",
            "abcdefghijklmnop",
            "abcdefghijklmno",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "abcdefghijklmnop\0",
            "ééééééééé",
            "éééééééé",
            "ééééééééx",
            "",
            "k10",
            "k2",
            "abcdefghijklmnopq",
            "a",
        ];
        let mut seed = 7u64;
        for round in 0..200 {
            let mut ids: Vec<String> = base.iter().map(|s| s.to_string()).collect();
            // A shuffle (and from round 100 on, every id once only).
            for i in (1..ids.len()).rev() {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ids.swap(i, (seed >> 33) as usize % (i + 1));
            }
            if round >= 100 {
                let mut seen = std::collections::HashSet::new();
                ids.retain(|s| seen.insert(s.clone()));
            }
            let mut c = Checker::default();
            let (order, index, rank) = index_ids::<KrIx, String>(&ids, "key_results", |s| s.as_str(), &mut c);
            let mut want: Vec<usize> = (0..ids.len()).collect();
            want.sort_by(|&a, &b| (ids[a].as_str(), a).cmp(&(ids[b].as_str(), b)));
            assert_eq!(order, want, "{ids:?}");
            let sorted: Vec<&str> = want.iter().map(|&p| ids[p].as_str()).collect();
            assert_eq!(index.ids().iter().map(|i| i.as_str()).collect::<Vec<_>>(), sorted);
            for (p, id) in ids.iter().enumerate() {
                let last = sorted.iter().rposition(|s| s == id).unwrap();
                assert_eq!(index.get(id).map(|i| i.index()), Some(last));
                assert_eq!(rank[p].index(), last);
                let mut resolver = Resolver::new(&index);
                assert_eq!(resolver.get(id).map(|i| i.index()), Some(last));
            }
            let mut repeats = Vec::new();
            for (p, id) in ids.iter().enumerate() {
                let run: Vec<usize> = want.iter().copied().filter(|&q| ids[q] == *id).collect();
                if run.iter().position(|&q| q == p).is_some_and(|i| i > 0) {
                    repeats.push(format!("$.key_results[{p}].id first {}", run[0]));
                }
            }
            let got: Vec<String> = c
                .problems
                .iter()
                .map(|pr| {
                    let first = pr
                        .message
                        .rsplit('[')
                        .next()
                        .unwrap()
                        .trim_end_matches(')')
                        .trim_end_matches(']');
                    format!("{} first {first}", pr.path)
                })
                .collect();
            assert_eq!(got, repeats, "{ids:?}");
        }
    }

    /// A resolver guessing next to the last answer gives the map's answer for every id, known or not, in any
    /// order.
    #[test]
    fn a_resolver_answers_as_the_map() {
        let ids: Vec<String> = (0..50).map(|i| format!("o{i:03}")).collect();
        let mut c = Checker::default();
        let (_, index, _) = index_ids::<KrIx, String>(&ids, "objectives", |s| s.as_str(), &mut c);
        let mut resolver = Resolver::new(&index);
        let mut asks: Vec<String> = ids.clone();
        asks.extend(["o050", "", "o0001", "o049"].map(String::from));
        asks.extend(ids.iter().rev().cloned());
        for ask in &asks {
            assert_eq!(resolver.get(ask), index.get(ask).copied(), "{ask}");
        }
    }
}
