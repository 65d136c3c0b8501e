//! The store: the validated [`Model`], the fast form of a document. Ids are resolved into indexes once, items
//! sorted by id, check-ins grouped by key result, observations in columns with dictionary-coded dims, and the
//! metric book (parsed expressions, versions) computed once. It takes the [`Document`] by value: nothing is
//! copied item by item.

mod build;
pub(crate) mod check_ins;
mod columns;
mod metrics;
mod observations;
pub(crate) mod okr_columns;

pub use crate::validate::{Definition, Edge};
pub(crate) use build::validate_or;
pub use build::{validate, validate_with_limits};
pub use columns::ObservationColumns;
pub use metrics::fnv1a64_hex;
pub(crate) use metrics::{KpiDoc, KpiParts, MetricBook};
pub(crate) use observations::{Store, NO_SLOT};

use crate::id::Id;
use crate::idx::{CycleIx, Idx, IdxVec, KrIx, ObjIx, PersonIx, UnitIx};
use crate::model::{CheckInRef, CheckIns, Cycle, Document, KeyResult, Objective, OrgUnit, Person};
use chrono::NaiveDate;

/// A validated document. Build it with [`Model::new`] (or [`crate::validate`]); it is immutable except
/// for [`Model::apply_check_in`], which keeps every invariant.
///
/// Items are held sorted by id, so everything computed from a model is independent of input order.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) schema_version: u32,
    pub(crate) cycles: IdxVec<CycleIx, Cycle>,
    /// Each cycle's id, interned.
    pub(crate) cycle_ids: IdxVec<CycleIx, Id>,
    pub(crate) units: IdxVec<UnitIx, UnitNode>,
    /// Each unit's id, interned (unit tables share them).
    pub(crate) unit_ids: IdxVec<UnitIx, Id>,
    pub(crate) people: IdxVec<PersonIx, PersonNode>,
    pub(crate) objectives: IdxVec<ObjIx, ObjectiveNode>,
    pub(crate) key_results: KeyResults,
    /// Every key result's check-ins, in columns (see [`KrNode::check_ins`]).
    pub(crate) check_ins: check_ins::Columns,
    /// Key results and objectives in columns, for the columnar evaluation.
    pub(crate) okr: okr_columns::OkrColumns,
    /// Position of each objective in the dependency order (every objective after all that its progress reads).
    pub(crate) rank: Vec<usize>,
    pub(crate) ids: Ids,
    /// The KPI part of the document, as given (validated).
    pub(crate) kpi: KpiParts,
    /// Alert rules, sorted by id.
    pub(crate) alert_rules: Vec<crate::model::alert::Rule>,
    /// Whether each alert rule's scope is a person (else an org unit), resolved once.
    pub(crate) alert_person: Vec<bool>,
    /// The limits the model was validated under; queries and alert ranges keep to them too.
    pub(crate) limits: crate::Limits,
}

/// Id → index maps, one per kind of item.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    pub cycles: crate::id::IdIndex<CycleIx>,
    pub units: crate::id::IdIndex<UnitIx>,
    pub people: crate::id::IdIndex<PersonIx>,
    pub key_results: crate::id::IdIndex<KrIx>,
}

/// An org unit and its resolved parent.
#[derive(Debug, Clone)]
pub(crate) struct UnitNode {
    pub def: OrgUnit,
    pub parent: Option<UnitIx>,
}

/// A person and their resolved unit.
#[derive(Debug, Clone)]
pub(crate) struct PersonNode {
    pub def: Person,
    pub unit: Option<UnitIx>,
}

/// An objective with its resolved cycle, key results and alignment neighbours.
#[derive(Debug, Clone)]
pub(crate) struct ObjectiveNode {
    pub def: Objective,
    /// Its id, interned: results share it.
    pub id: Id,
    pub cycle: CycleIx,
    /// Its key results, sorted by id.
    pub krs: Vec<KrIx>,
    /// `(child, edge)` for every objective aligned to this one, sorted by child id.
    pub children: Vec<(ObjIx, Edge)>,
    /// `(parent, edge)` for every objective this one aligns to, sorted by parent id.
    pub parents: Vec<(ObjIx, Edge)>,
    /// Key results (of other objectives) that take this objective's progress.
    pub linked_by: Vec<KrIx>,
}

/// The key results as the model holds them: the document's own items, put in id order where they lay (no copy
/// of any), and beside each what validation resolved about it. [`KeyResults::at`] joins the two into a
/// [`KrNode`].
#[derive(Debug, Clone)]
pub(crate) struct KeyResults {
    defs: IdxVec<KrIx, KeyResult>,
    nodes: IdxVec<KrIx, KrMeta>,
}

/// What the model resolved about one key result.
#[derive(Debug, Clone)]
pub(crate) struct KrMeta {
    /// Its id, interned: results share it.
    pub id: Id,
    pub objective: ObjIx,
    pub linked: Option<ObjIx>,
    /// The original definition first, then each version in effective order, each with all fields resolved.
    pub definitions: Definitions,
    /// Where its check-ins lie in [`Model::check_ins`], sorted by date; same-day check-ins keep input order.
    pub check_ins: check_ins::Run,
}

/// A key result's definitions: most key results have no version, so their one definition is held inline (no
/// allocation per key result); it reads as a slice either way.
#[derive(Debug, Clone)]
pub(crate) enum Definitions {
    /// The original definition alone.
    One(Definition),
    /// The original, then each version.
    Many(Box<[Definition]>),
}

impl Definitions {
    /// The definitions of `kr`: its own fields, then each version applied on top of the one before.
    pub fn of(kr: &KeyResult) -> Definitions {
        if kr.versions.is_empty() {
            Definitions::One(Definition {
                effective: None,
                start: kr.start,
                target: kr.target,
                bound: kr.bound,
                weight: kr.weight,
            })
        } else {
            Definitions::Many(crate::validate::definitions(kr).into_boxed_slice())
        }
    }
}

impl std::ops::Deref for Definitions {
    type Target = [Definition];
    fn deref(&self) -> &[Definition] {
        match self {
            Definitions::One(d) => std::slice::from_ref(d),
            Definitions::Many(v) => v,
        }
    }
}

/// A key result with its resolved objective, definitions and check-ins: a view of [`KeyResults`], copied freely.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KrNode<'a> {
    pub def: &'a KeyResult,
    /// Its id, interned: results share it.
    pub id: &'a Id,
    pub objective: ObjIx,
    pub linked: Option<ObjIx>,
    /// The original definition first, then each version in effective order, each with all fields resolved.
    pub definitions: &'a [Definition],
    /// Where its check-ins lie in [`Model::check_ins`], sorted by date; same-day check-ins keep input order.
    pub check_ins: check_ins::Run,
}

impl KeyResults {
    /// Joins the document's key results (in id order) and what was resolved about each (same order).
    pub fn new(defs: Vec<KeyResult>, nodes: Vec<KrMeta>) -> KeyResults {
        KeyResults {
            defs: IdxVec::from_vec(defs),
            nodes: IdxVec::from_vec(nodes),
        }
    }

    fn join<'a>(def: &'a KeyResult, meta: &'a KrMeta) -> KrNode<'a> {
        KrNode {
            def,
            id: &meta.id,
            objective: meta.objective,
            linked: meta.linked,
            definitions: &meta.definitions,
            check_ins: meta.check_ins,
        }
    }

    /// Number of key results.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The key result at `ix` (see [`IdxVec::at`]).
    pub fn at(&self, ix: KrIx) -> KrNode<'_> {
        KeyResults::join(self.defs.at(ix), self.nodes.at(ix))
    }

    /// The key result at `ix`, if any.
    pub fn get(&self, ix: KrIx) -> Option<KrNode<'_>> {
        Some(KeyResults::join(self.defs.get(ix)?, self.nodes.get(ix)?))
    }

    /// What was resolved about the key result at `ix`, to change its check-ins.
    pub fn at_mut(&mut self, ix: KrIx) -> &mut KrMeta {
        self.nodes.at_mut(ix)
    }

    /// The key results in id order.
    pub fn iter(&self) -> impl Iterator<Item = KrNode<'_>> {
        self.defs
            .iter()
            .zip(self.nodes.iter())
            .map(|(d, m)| KeyResults::join(d, m))
    }

    /// `(index, key result)` pairs in id order.
    pub fn iter_enumerated(&self) -> impl Iterator<Item = (KrIx, KrNode<'_>)> {
        self.iter().enumerate().map(|(i, k)| (KrIx::new(i), k))
    }

    /// The document's key results, in id order.
    pub fn defs(&self) -> &[KeyResult] {
        self.defs.as_slice()
    }
}

impl<'a> KrNode<'a> {
    /// The definition in force on `day`.
    pub fn definition_on(&self, day: NaiveDate) -> &'a Definition {
        let n = self
            .definitions
            .iter()
            .take_while(|d| d.effective.is_none_or(|e| e <= day))
            .count();
        self.original_or(n.saturating_sub(1))
    }

    /// The original definition.
    pub fn original(&self) -> &'a Definition {
        self.original_or(0)
    }

    fn original_or(&self, i: usize) -> &'a Definition {
        // `definitions` always holds the original, built by validation.
        match self.definitions.get(i).or_else(|| self.definitions.first()) {
            Some(d) => d,
            None => &EMPTY_DEFINITION,
        }
    }
}

/// A model is shared between threads as is: evaluation only reads it. This fails to compile if a field ever
/// breaks that (a `Cell`, an `Rc`).
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Model>();
};

static EMPTY_DEFINITION: Definition = Definition {
    effective: None,
    start: None,
    target: None,
    bound: None,
    weight: 1.0,
};

impl Model {
    /// Validates `doc` under the default [`crate::Limits`]; on failure every problem is returned at once.
    /// The model takes the document over (clone it first to keep it).
    pub fn new(doc: Document) -> Result<Model, crate::Error> {
        validate(doc)
    }

    /// Validates `doc` under `limits`; on failure every problem is returned at once.
    pub fn new_with_limits(doc: Document, limits: &crate::Limits) -> Result<Model, crate::Error> {
        validate_with_limits(doc, limits)
    }

    /// Parses and validates a JSON document under the default [`crate::Limits`].
    pub fn from_json(text: &str) -> Result<Model, crate::Error> {
        Model::from_json_with_limits(text, &crate::Limits::default())
    }

    /// Parses and validates a JSON document under `limits` (checked first, `E_SETTINGS` under `$.limits`).
    pub fn from_json_with_limits(text: &str, limits: &crate::Limits) -> Result<Model, crate::Error> {
        limits.check()?;
        Model::new_with_limits(Document::from_json_with_limits(text, limits)?, limits)
    }

    /// The check-ins of key result `kr`, oldest first.
    pub(crate) fn check_ins_of(&self, kr: KrNode<'_>) -> check_ins::Slice<'_> {
        self.check_ins.slice(kr.check_ins)
    }

    /// The check-ins of key result `kr` dated on or before `day`.
    pub(crate) fn check_ins_until(&self, kr: KrNode<'_>, day: NaiveDate) -> check_ins::Slice<'_> {
        self.check_ins_of(kr).until(day)
    }

    /// The limits this model was validated under; its KPI queries and alert ranges keep to them.
    pub fn limits(&self) -> &crate::Limits {
        &self.limits
    }

    /// Number of objectives.
    pub fn objective_count(&self) -> usize {
        self.objectives.len()
    }

    /// Number of key results.
    pub fn key_result_count(&self) -> usize {
        self.key_results.len()
    }

    /// The cycles, sorted by id.
    pub fn cycles(&self) -> impl Iterator<Item = &Cycle> {
        self.cycles.iter()
    }

    /// The objectives, sorted by id.
    pub fn objectives(&self) -> impl Iterator<Item = &Objective> {
        self.objectives.iter().map(|o| &o.def)
    }

    /// The key results, sorted by id.
    pub fn key_results(&self) -> impl Iterator<Item = &KeyResult> {
        self.key_results.defs().iter()
    }

    /// The org units, sorted by id.
    pub fn org_units(&self) -> impl Iterator<Item = &OrgUnit> {
        self.units.iter().map(|u| &u.def)
    }

    /// The people, sorted by id.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().map(|p| &p.def)
    }

    /// Typed index of a key result id.
    pub(crate) fn key_result_index(&self, id: &str) -> Option<KrIx> {
        self.ids.key_results.get(id).copied()
    }

    /// The cycle with this id.
    pub fn cycle(&self, id: &str) -> Option<&Cycle> {
        self.ids.cycles.get(id).map(|&i| self.cycles.at(i))
    }

    /// The unit `id` and its ancestors, nearest first (the unit's chain up to the root).
    pub fn unit_chain(&self, id: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = self.ids.units.get(id).copied();
        while let Some(u) = at {
            if out.len() > self.units.len() {
                break; // validation rejects loops; this guard only keeps the walk finite
            }
            out.push(self.units.at(u).def.id.as_str());
            at = self.units.at(u).parent;
        }
        out
    }

    /// The unit a person belongs to.
    pub fn person_unit(&self, person: &str) -> Option<&str> {
        let p = self.ids.people.get(person)?;
        self.people.at(*p).unit.map(|u| self.units.at(u).def.id.as_str())
    }

    /// The document this model holds, normalised: items sorted by id, check-ins by key result and date.
    pub fn to_document(&self) -> Document {
        Document {
            schema_version: self.schema_version,
            cycles: self.cycles.iter().cloned().collect(),
            org_units: self.units.iter().map(|u| u.def.clone()).collect(),
            people: self.people.iter().map(|p| p.def.clone()).collect(),
            objectives: self.objectives.iter().map(|o| o.def.clone()).collect(),
            key_results: self.key_results.defs().to_vec(),
            check_ins: {
                let mut out = CheckIns::new();
                for k in self.key_results.iter() {
                    for c in self.check_ins_of(k).rows() {
                        out.push_ref(CheckInRef {
                            key_result: k.def.id.as_str(),
                            date: c.date,
                            value: c.value,
                            confidence: c.confidence,
                            note: c.note,
                        });
                    }
                }
                out
            },
            alignments: self
                .objectives
                .iter()
                .flat_map(|o| {
                    o.parents.iter().map(move |(p, e)| crate::model::Alignment {
                        child: o.def.id.clone(),
                        parent: self.objectives.at(*p).def.id.clone(),
                        weight: e.weight,
                        mode: e.mode,
                    })
                })
                .collect(),
            measures: self.kpi.measures.clone(),
            metrics: self.kpi.metrics.clone(),
            observations: self.kpi.store.to_observations(),
            targets: self.kpi.targets.clone(),
            scorecards: self.kpi.scorecards.clone(),
            alert_rules: self.alert_rules.clone(),
        }
    }
}

/// Every order of `0..n` (n! of them), for the tests of the in-place reorders (`build::take_in`,
/// `observations::permute`): cycles of every length, the identity too.
#[cfg(test)]
fn every_order(n: usize) -> Vec<Vec<usize>> {
    fn orders(rest: Vec<usize>, done: Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if rest.is_empty() {
            out.push(done);
            return;
        }
        for (i, &x) in rest.iter().enumerate() {
            let mut r = rest.clone();
            r.remove(i);
            let mut d = done.clone();
            d.push(x);
            orders(r, d, out);
        }
    }
    let mut all = Vec::new();
    orders((0..n).collect(), Vec::new(), &mut all);
    all
}
