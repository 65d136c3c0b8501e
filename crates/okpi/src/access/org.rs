//! The facts access decisions read (org tree, owners, scopes), taken from a validated model or from a document
//! that may not validate (so that the problems of an invalid document can be filtered too).

use crate::alert::Rule;
use crate::model::{Document, KeyResult, Objective, Observations, OrgUnit, Person, Scorecard, Target};
use crate::store::Model;
use std::collections::{HashMap, HashSet};

/// Borrowed views of the items access decisions read.
pub(crate) struct Facts<'a> {
    pub units: Vec<&'a OrgUnit>,
    pub people: Vec<&'a Person>,
    pub objectives: Vec<&'a Objective>,
    pub key_results: Vec<&'a KeyResult>,
    pub targets: &'a [Target],
    pub scorecards: &'a [Scorecard],
    pub rules: &'a [Rule],
    pub observations: Option<&'a Observations>,
    /// A validated model's observations (then `observations` is `None`).
    pub store: Option<&'a crate::store::Store>,
    /// The validated model, when the facts are a model's.
    pub model: Option<&'a Model>,
    /// The document, when the facts are a document's (a model is validated from it when a KPI number needs
    /// judging).
    pub document: Option<&'a Document>,
}

impl<'a> Facts<'a> {
    /// The facts of a validated model.
    pub fn of_model(m: &'a Model) -> Self {
        Facts {
            units: m.org_units().collect(),
            people: m.people().collect(),
            objectives: m.objectives().collect(),
            key_results: m.key_results().collect(),
            targets: &m.kpi.targets,
            scorecards: &m.kpi.scorecards,
            rules: &m.alert_rules,
            observations: None,
            store: Some(&m.kpi.store),
            model: Some(m),
            document: None,
        }
    }

    /// The facts of a document as given (it may break rules: duplicates, unknown ids, loops).
    pub fn of_document(d: &'a Document) -> Self {
        Facts {
            units: d.org_units.iter().collect(),
            people: d.people.iter().collect(),
            objectives: d.objectives.iter().collect(),
            key_results: d.key_results.iter().collect(),
            targets: &d.targets,
            scorecards: &d.scorecards,
            rules: &d.alert_rules,
            observations: Some(&d.observations),
            store: None,
            model: None,
            document: Some(d),
        }
    }
}

impl<'a> Facts<'a> {
    /// The dims of every observation of `measure`.
    pub fn observation_dims(&self, measure: &str) -> Vec<&'a std::collections::BTreeMap<String, String>> {
        match self.store {
            Some(st) => st.rows_of(measure).filter_map(|r| st.dims_of(r)).collect(),
            None => self
                .observations
                .into_iter()
                .flat_map(|obs| obs.iter())
                .filter(|o| o.measure == measure)
                .map(|o| o.dims)
                .collect(),
        }
    }
}

/// The org tree: parents, managers, each person's unit, and who is in each subtree. Built to stay
/// finite and total on documents that break the rules (the first of duplicated ids counts; loops stop a walk).
pub(crate) struct Org<'a> {
    parent: HashMap<&'a str, Option<&'a str>>,
    manager: HashMap<&'a str, &'a str>,
    unit_of: HashMap<&'a str, Option<&'a str>>,
    /// The people of each unit's subtree.
    in_subtree: HashMap<&'a str, Vec<&'a str>>,
    /// Every person id, once.
    people: Vec<&'a str>,
}

impl<'a> Org<'a> {
    pub fn new(facts: &Facts<'a>) -> Self {
        let mut parent = HashMap::new();
        let mut manager = HashMap::new();
        for u in &facts.units {
            if parent.contains_key(u.id.as_str()) {
                continue;
            }
            parent.insert(u.id.as_str(), u.parent.as_deref());
            if let Some(m) = u.manager.as_deref() {
                manager.insert(u.id.as_str(), m);
            }
        }
        let mut unit_of = HashMap::new();
        let mut people = Vec::new();
        for p in &facts.people {
            if !unit_of.contains_key(p.id.as_str()) {
                unit_of.insert(p.id.as_str(), p.unit.as_deref());
                people.push(p.id.as_str());
            }
        }
        let mut org = Org {
            parent,
            manager,
            unit_of,
            in_subtree: HashMap::new(),
            people,
        };
        for &p in &org.people {
            let Some(u) = org.unit_of.get(p).copied().flatten() else {
                continue;
            };
            for a in org.chain(u) {
                org.in_subtree.entry(a).or_default().push(p);
            }
        }
        org
    }

    /// Whether `unit` is a unit of the tree.
    pub fn is_unit(&self, unit: &str) -> bool {
        self.parent.contains_key(unit)
    }

    /// Whether `person` is a person of the document.
    pub fn is_person(&self, person: &str) -> bool {
        self.unit_of.contains_key(person)
    }

    /// `unit` and its ancestors, nearest first (empty for an unknown unit; a loop ends the walk).
    pub fn chain(&self, unit: &str) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        let mut seen: HashSet<&'a str> = HashSet::new();
        let mut at = self.parent.get_key_value(unit).map(|(k, _)| *k);
        while let Some(u) = at {
            if !seen.insert(u) {
                break;
            }
            out.push(u);
            at = self
                .parent
                .get(u)
                .copied()
                .flatten()
                .and_then(|p| self.parent.get_key_value(p).map(|(k, _)| *k));
        }
        out
    }

    /// The person who manages `unit`.
    pub fn manager(&self, unit: &str) -> Option<&'a str> {
        self.manager.get(unit).copied()
    }

    /// The known unit a person belongs to.
    pub fn unit_of(&self, person: &str) -> Option<&'a str> {
        let u = self.unit_of.get(person).copied().flatten()?;
        self.parent.get_key_value(u).map(|(k, _)| *k)
    }

    /// The people of `unit`'s subtree.
    pub fn members(&self, unit: &str) -> &[&'a str] {
        self.in_subtree.get(unit).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every unit id, once.
    pub fn units(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.parent.keys().copied()
    }

    /// Every person, once.
    pub fn people(&self) -> &[&'a str] {
        &self.people
    }

    /// The units a person manages.
    pub fn managed_by(&self, person: &str) -> HashSet<&'a str> {
        self.manager
            .iter()
            .filter(|(_, m)| **m == person)
            .map(|(u, _)| *u)
            .collect()
    }
}
