//! Cycles, org units and people.

use super::{index_ids, Checker};
use crate::error::Code;
use crate::id::IdIndex;
use crate::idx::{CycleIx, Idx, PersonIx, UnitIx};
use crate::model::{Cycle, Document};
use std::collections::HashMap;

/// Id → typed index maps (indexes are ranks in id order) and the input positions in that order.
pub(crate) struct Org {
    pub cycles: IdIndex<CycleIx>,
    pub cycle_order: Vec<usize>,
    pub units: IdIndex<UnitIx>,
    pub unit_order: Vec<usize>,
    pub people: IdIndex<PersonIx>,
    pub person_order: Vec<usize>,
}

impl Org {
    /// The cycle with this id, as the document gives it.
    pub fn cycle<'d>(&self, doc: &'d Document, id: &str) -> Option<&'d Cycle> {
        let ix = self.cycles.get(id)?;
        self.cycle_order.get(ix.index()).and_then(|&p| doc.cycles.get(p))
    }
}

pub(crate) fn check(doc: &Document, c: &mut Checker) -> Org {
    let (cycle_order, cycles, _) = index_ids(&doc.cycles, "cycles", |x| x.id.as_str(), c);
    let (unit_order, units, _) = index_ids(&doc.org_units, "org_units", |x| x.id.as_str(), c);
    let (person_order, people, _) = index_ids(&doc.people, "people", |x| x.id.as_str(), c);
    let org = Org {
        cycles,
        cycle_order,
        units,
        unit_order,
        people,
        person_order,
    };

    for (i, cy) in doc.cycles.iter().enumerate() {
        let path = format!("$.cycles[{i}]");
        if cy.end < cy.start {
            c.push(
                Code::E_CYCLE_DATES,
                format!("{path}.end"),
                Some(&cy.id),
                format!(
                    "cycle {} ends on {} before it starts on {}",
                    cy.id, cy.end, cy.start
                ),
            );
        }
        let Some(parent_id) = &cy.parent else { continue };
        match org.cycle(doc, parent_id) {
            None => c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.parent"),
                Some(&cy.id),
                format!("cycle {} has unknown parent cycle {parent_id}", cy.id),
            ),
            Some(parent) if cy.start < parent.start || cy.end > parent.end => c.push(
                Code::E_CYCLE_DATES,
                format!("{path}.parent"),
                Some(&cy.id),
                format!(
                    "cycle {} ({}..{}) lies outside its parent {} ({}..{})",
                    cy.id, cy.start, cy.end, parent.id, parent.start, parent.end
                ),
            ),
            Some(_) => {}
        }
    }
    tree_cycles(
        c,
        "cycles",
        doc.cycles
            .iter()
            .map(|x| (x.id.as_str(), x.parent.as_deref()))
            .collect(),
    );

    for (i, u) in doc.org_units.iter().enumerate() {
        let path = format!("$.org_units[{i}]");
        if let Some(p) = &u.parent {
            if !org.units.contains_key(p.as_str()) {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{path}.parent"),
                    Some(&u.id),
                    format!("org unit {} has unknown parent unit {p}", u.id),
                );
            }
        }
        if let Some(m) = &u.manager {
            if !org.people.contains_key(m.as_str()) {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{path}.manager"),
                    Some(&u.id),
                    format!("org unit {} has unknown manager {m}", u.id),
                );
            }
        }
    }
    tree_cycles(
        c,
        "org_units",
        doc.org_units
            .iter()
            .map(|x| (x.id.as_str(), x.parent.as_deref()))
            .collect(),
    );

    for (i, p) in doc.people.iter().enumerate() {
        if let Some(u) = &p.unit {
            if !org.units.contains_key(u.as_str()) {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("$.people[{i}].unit"),
                    Some(&p.id),
                    format!("person {} is in unknown org unit {u}", p.id),
                );
            }
        }
    }
    org
}

/// Reports each loop in a parent-pointer tree once, naming its path (`a → b → a`).
fn tree_cycles(c: &mut Checker, what: &str, items: Vec<(&str, Option<&str>)>) {
    let parent: HashMap<&str, (usize, &str)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, (id, p))| p.map(|p| (*id, (i, p))))
        .collect();
    let mut reported: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (start, _) in &items {
        let mut path = vec![*start];
        let mut at = *start;
        while let Some(&(_, next)) = parent.get(at) {
            if let Some(pos) = path.iter().position(|x| *x == next) {
                let mut cycle: Vec<&str> = path.get(pos..).map(<[&str]>::to_vec).unwrap_or_default();
                let Some(min) = cycle.iter().min().copied() else {
                    break;
                };
                if reported.insert(min) {
                    let rot = cycle.iter().position(|x| *x == min).unwrap_or(0);
                    cycle.rotate_left(rot);
                    cycle.push(min);
                    let i = parent.get(min).map(|(i, _)| *i).unwrap_or(0);
                    c.push(
                        Code::E_CYCLE,
                        format!("$.{what}[{i}].parent"),
                        Some(min),
                        format!("{what} form a cycle: {}", cycle.join(" → ")),
                    );
                }
                break;
            }
            path.push(next);
            at = next;
        }
    }
}
