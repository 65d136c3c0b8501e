//! The one rule every KPI number over people's data passes before a viewer sees it (DOMAIN.md §9: "no number
//! gives away what it hides"), and the blocks that make it hold against differencing.
//!
//! A number reads observations (a metric's measures over the windows it reads, [`crate::kpi::Catalog::reads`]).
//! An observation is **hidden** from the viewer when it is about someone whose results they may not see: its
//! `person` dim, or else the members of its `unit`'s subtree (an untagged one: everyone).
//!
//! **Blocks.** For one set of windows, the hidden observations are grouped bottom-up along the org tree, by
//! the unit each is tagged with: a unit's pool is its own hidden observations plus the pools its sub-units passed
//! up; a pool covering at least `min_group_size` distinct hidden people becomes a block, a smaller one passes up
//! to the parent unit; what is left at the top, if it is too small, is a residue. The blocks depend only on the
//! org tree, the data and the viewer — never on which numbers were asked for before.
//!
//! **The rule.** A number is shown whole only when its hidden observations are whole blocks (none at all
//! included); else it is withheld: `small_group` when they cover fewer than `min_group_size` hidden people,
//! `differencing` otherwise (a part of a block: a wider or narrower number would differ from it by fewer than
//! `min_group_size` hidden people). Any two numbers shown then differ by whole blocks, each covering at least
//! `min_group_size` hidden people, so no difference, sum or subtraction of shown numbers singles out fewer.

use super::org::Org;
use crate::kpi::{Catalog, Filter as Rows, Span};
use crate::store::Model;
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Why a number is withheld: the hidden part covers fewer than `min_group_size` people.
pub const SMALL_GROUP: &str = "small_group";
/// Why a number is withheld: it holds part of a block, so it would differ from a nested number by fewer than
/// `min_group_size` hidden people.
pub const DIFFERENCING: &str = "differencing";
/// Why a scorecard total is withheld: it reads items the viewer may not see.
pub const HIDDEN_ITEMS: &str = "hidden_items";

/// The windows one number reads: (measure, first day, last day).
pub(crate) type Reads = BTreeSet<(String, NaiveDate, NaiveDate)>;

/// The windows metric `id` reads over `span`.
pub(crate) fn reads(model: &Model, id: &str, span: Span) -> Reads {
    Catalog::new(model)
        .reads(id, span)
        .into_iter()
        .map(|(m, a, b)| (m.to_owned(), a, b))
        .collect()
}

/// The block of a hidden row that belongs to none: the residue at the top of the tree.
const RESIDUE: usize = usize::MAX;

/// The hidden observations of one set of windows, grouped into blocks.
#[derive(Debug, Default)]
pub(crate) struct Blocks {
    /// The block of each hidden row (its store row), or [`RESIDUE`].
    block_of: HashMap<usize, usize>,
    /// How many hidden rows each block holds.
    size: Vec<usize>,
    /// Units whose subtree's pool was too small and passed up: their subtree numbers hold part of a block.
    passed_up: HashSet<String>,
}

/// The people an observation is about, and whose results the viewer may not see.
pub(crate) fn hidden_people<'o>(
    org: &Org<'o>,
    dims: Option<&'o std::collections::BTreeMap<String, String>>,
    hidden: &impl Fn(&str) -> bool,
) -> Vec<&'o str> {
    let person = dims.and_then(|d| d.get("person"));
    let unit = dims.and_then(|d| d.get("unit"));
    match (person, unit) {
        (Some(p), _) => {
            if hidden(p) {
                vec![p.as_str()]
            } else {
                Vec::new()
            }
        }
        (None, Some(u)) if org.is_unit(u) => org.members(u).iter().copied().filter(|p| hidden(p)).collect(),
        _ => org.people().iter().copied().filter(|p| hidden(p)).collect(),
    }
}

impl Blocks {
    /// Groups the hidden rows of `reads` (see the module's doc).
    pub fn new(
        org: &Org<'_>,
        store: &Store,
        reads: &Reads,
        min: usize,
        hidden: &impl Fn(&str) -> bool,
    ) -> Self {
        #[derive(Default)]
        struct Pool {
            rows: Vec<usize>,
            people: HashSet<String>,
        }
        let mut pools: HashMap<String, Pool> = HashMap::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for (measure, from, to) in reads {
            for row in store.dated(store.rows_of(measure), *from, *to) {
                if !seen.insert(row) {
                    continue;
                }
                let dims = store.dims_of(row);
                let people = hidden_people(org, dims, hidden);
                if people.is_empty() {
                    continue;
                }
                let unit = dims
                    .and_then(|d| d.get("unit"))
                    .filter(|u| org.is_unit(u))
                    .cloned()
                    .unwrap_or_default();
                let pool = pools.entry(unit).or_default();
                pool.rows.push(row);
                pool.people.extend(people.into_iter().map(str::to_owned));
            }
        }
        let mut out = Blocks::default();
        if pools.is_empty() {
            return out;
        }
        // Deepest units first, so that every unit's sub-units have passed their pools up before it is looked at.
        let mut units: Vec<(usize, &str)> = org.units().map(|u| (org.chain(u).len(), u)).collect();
        units.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        for (_, u) in units {
            let Some(pool) = pools.remove(u) else { continue };
            if pool.people.len() >= min {
                out.block(pool.rows);
                continue;
            }
            out.passed_up.insert(u.to_owned());
            let parent = org.chain(u).get(1).map(|p| (*p).to_owned()).unwrap_or_default();
            let up = pools.entry(parent).or_default();
            up.rows.extend(pool.rows);
            up.people.extend(pool.people);
        }
        if let Some(top) = pools.remove("") {
            if top.people.len() >= min {
                out.block(top.rows);
            } else {
                for r in top.rows {
                    out.block_of.insert(r, RESIDUE);
                }
            }
        }
        out
    }

    fn block(&mut self, rows: Vec<usize>) {
        let id = self.size.len();
        self.size.push(rows.len());
        for r in rows {
            self.block_of.insert(r, id);
        }
    }

    /// Whether no row is hidden at all.
    pub fn is_empty(&self) -> bool {
        self.block_of.is_empty()
    }

    /// Whether the subtree of `unit`, read with no other condition, holds whole blocks only.
    pub fn subtree_whole(&self, unit: &str) -> bool {
        !self.passed_up.contains(unit)
    }

    /// Why a number reading the rows `rows` (of these windows) is withheld, or `None` when it may be shown whole.
    pub fn judge<'o>(
        &self,
        rows: impl Iterator<Item = usize>,
        people_of: impl Fn(usize) -> Vec<&'o str>,
        min: usize,
    ) -> Option<&'static str> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        let mut people: HashSet<&str> = HashSet::new();
        for r in rows {
            if let Some(&b) = self.block_of.get(&r) {
                *counts.entry(b).or_default() += 1;
                people.extend(people_of(r));
            }
        }
        let whole = counts
            .iter()
            .all(|(b, n)| *b != RESIDUE && self.size.get(*b) == Some(n));
        if whole {
            None
        } else if people.len() < min {
            Some(SMALL_GROUP)
        } else {
            Some(DIFFERENCING)
        }
    }
}

/// The store rows a number reads: every row of its windows that passes `filter`.
pub(crate) fn rows<'s>(
    store: &'s Store,
    reads: &'s Reads,
    filter: &'s Rows,
) -> impl Iterator<Item = usize> + 's {
    let mut seen: HashSet<usize> = HashSet::new();
    reads
        .iter()
        .flat_map(move |(m, from, to)| store.dated(store.rows_of(m), *from, *to))
        .filter(move |r| filter.matches(store, *r))
        .filter(move |r| seen.insert(*r))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::access::org::Facts;

    /// co ⊃ eng ⊃ {a, b}: a has 3 hidden reporters, b 1, eng 1; min 5.
    #[test]
    fn pools_pass_up_until_they_cover_enough_people() {
        let obs = |p: &str, u: &str| serde_json::json!({"measure": "m", "date": "2026-01-05", "value": 1, "dims": {"person": p, "unit": u}});
        let model = Model::from_json(
            &serde_json::json!({"schema_version": 1,
                "org_units": [{"id": "co"}, {"id": "eng", "parent": "co"}, {"id": "a", "parent": "eng"},
                              {"id": "b", "parent": "eng"}, {"id": "ops", "parent": "co"}],
                "people": [{"id": "p1", "unit": "a"}, {"id": "p2", "unit": "a"}, {"id": "p3", "unit": "a"},
                           {"id": "p4", "unit": "b"}, {"id": "p5", "unit": "eng"}, {"id": "p6", "unit": "ops"}],
                "measures": [{"id": "m"}],
                "observations": [obs("p1", "a"), obs("p2", "a"), obs("p3", "a"), obs("p4", "b"), obs("p5", "eng"),
                                 obs("p6", "ops")]})
            .to_string(),
        )
        .unwrap();
        let facts = Facts::of_model(&model);
        let org = Org::new(&facts);
        let reads: Reads = BTreeSet::from([("m".to_owned(), NaiveDate::MIN, NaiveDate::MAX)]);
        let hidden = |_: &str| true;
        let blocks = Blocks::new(&org, &model.kpi.store, &reads, 5, &hidden);
        // a (3) and b (1) pass up; eng's pool then holds p1–p5: a block. ops (1) passes up through co (1 < 5) and
        // stays a residue at the top, so co's subtree holds it too.
        assert!(!blocks.subtree_whole("a") && !blocks.subtree_whole("b") && blocks.subtree_whole("eng"));
        assert!(!blocks.subtree_whole("ops") && !blocks.subtree_whole("co"));
        assert_eq!(blocks.size, vec![5]);
        let people = |r: usize| hidden_people(&org, model.kpi.store.dims_of(r), &hidden);
        let rows_of = |unit: &str| {
            let f = Rows::new(&model, [("unit", unit)]);
            rows(&model.kpi.store, &reads, &f).collect::<Vec<_>>()
        };
        assert_eq!(blocks.judge(rows_of("eng").into_iter(), people, 5), None);
        assert_eq!(
            blocks.judge(rows_of("a").into_iter(), people, 5),
            Some(SMALL_GROUP)
        );
        // co holds the eng block and ops's residue: withheld; it covers 6 people, so the reason is differencing.
        assert_eq!(
            blocks.judge(rows_of("co").into_iter(), people, 5),
            Some(DIFFERENCING)
        );
        // Nobody hidden: no blocks at all, everything whole.
        let none = Blocks::new(&org, &model.kpi.store, &reads, 5, &|_: &str| false);
        assert!(none.is_empty());
    }
}
