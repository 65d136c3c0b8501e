//! Objectives, key results, check-ins and alignment edges.

use super::org::Org;
use super::{index_ids, Checker, Resolver};
use crate::error::Code;
use crate::id::IdIndex;
use crate::idx::{Idx, KrIx, ObjIx};
use crate::model::{
    CheckInRef, Checkpoint, Cycle, Document, KeyResult, KrKind, Owner, ProgressFrom, Rollup, Visibility,
};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt;

/// Id → index maps for objectives and key results, and their input positions in id order.
pub(crate) struct Okr {
    pub objectives: IdIndex<ObjIx>,
    pub objective_order: Vec<usize>,
    pub key_results: IdIndex<KrIx>,
    pub kr_order: Vec<usize>,
    /// The objective of each key result, by input position (`None`: unknown).
    pub kr_objective: Vec<Option<ObjIx>>,
    /// The key result of each distinct key result id of the check-ins, by its code in
    /// [`crate::model::CheckIns`] (`None`: unknown).
    pub check_in_kr: Vec<Option<KrIx>>,
    /// The `(child, parent)` objectives of each alignment, by input position (`None`: either is unknown).
    pub alignments: Vec<Option<(ObjIx, ObjIx)>>,
}

pub(crate) fn check(doc: &Document, org: &Org, c: &mut Checker) -> Okr {
    let (objective_order, objectives) = index_ids(&doc.objectives, "objectives", |x| x.id.as_str(), c);
    let (kr_order, key_results) = index_ids(&doc.key_results, "key_results", |x| x.id.as_str(), c);
    let mut okr = Okr {
        objectives,
        objective_order,
        key_results,
        kr_order,
        kr_objective: Vec::new(),
        check_in_kr: Vec::new(),
        alignments: Vec::new(),
    };
    let objective_of = || {
        Resolver::new(
            &doc.objectives,
            |o| o.id.as_str(),
            &okr.objective_order,
            &okr.objectives,
        )
    };
    let mut by_id = objective_of();
    okr.kr_objective = doc.key_results.iter().map(|k| by_id.get(&k.objective)).collect();
    // Each objective's cycle, resolved once.
    let objective_cycle: Vec<Option<&Cycle>> = okr
        .objective_order
        .iter()
        .map(|&p| doc.objectives.get(p).and_then(|o| org.cycle(doc, &o.cycle)))
        .collect();
    let cycle_of_kr = |i: usize| -> Option<&Cycle> {
        okr.kr_objective
            .get(i)
            .copied()
            .flatten()
            .and_then(|o| objective_cycle.get(o.index()).copied().flatten())
    };

    for (i, o) in doc.objectives.iter().enumerate() {
        let path: &dyn fmt::Display = &At("objectives", i);
        let id = o.id.as_str();
        let cycle = org.cycle(doc, &o.cycle);
        if cycle.is_none() {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.cycle"),
                Some(id),
                format!("objective {id} is in unknown cycle {}", o.cycle),
            );
        }
        match &o.owner {
            Some(Owner::Unit(u)) if !org.units.contains_key(u.as_str()) => c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.owner.unit"),
                Some(id),
                format!("objective {id} is owned by unknown org unit {u}"),
            ),
            Some(Owner::Person(p)) if !org.people.contains_key(p.as_str()) => c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.owner.person"),
                Some(id),
                format!("objective {id} is owned by unknown person {p}"),
            ),
            _ => {}
        }
        if let Some(cy) = cycle {
            check_pace(c, path, id, &o.pace, cy);
        }
        if o.progress_from != ProgressFrom::Manual && !o.manual_updates.is_empty() {
            c.push(
                Code::E_FIELD_NOT_ALLOWED,
                format!("{path}.manual_updates"),
                Some(id),
                format!(
                    "objective {id} has manual updates but takes its progress from {:?}",
                    o.progress_from
                ),
            );
        }
        for (j, u) in o.manual_updates.iter().enumerate() {
            let p = format!("{path}.manual_updates[{j}]");
            if c.finite(&p, id, "progress", u.progress) && !(0.0..=1.0).contains(&u.progress) {
                c.push(
                    Code::E_INVALID_VALUE,
                    format!("{p}.progress"),
                    Some(id),
                    format!("manual progress {} of {id} is outside 0–1", u.progress),
                );
            }
            if let Some(cy) = cycle {
                outside_cycle(c, &format!("{p}.date"), id, u.date, cy);
            }
        }
    }

    for (i, kr) in doc.key_results.iter().enumerate() {
        let path: &dyn fmt::Display = &At("key_results", i);
        if okr.kr_objective.get(i).copied().flatten().is_none() {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.objective"),
                Some(&kr.id),
                format!(
                    "key result {} belongs to unknown objective {}",
                    kr.id, kr.objective
                ),
            );
        }
        check_kr_fields(c, path, kr, &okr);
        if let Some(cy) = cycle_of_kr(i) {
            check_pace(c, path, &kr.id, &kr.pace, cy);
            for (j, v) in kr.versions.iter().enumerate() {
                outside_cycle(
                    c,
                    &format!("{path}.versions[{j}].effective"),
                    &kr.id,
                    v.effective,
                    cy,
                );
            }
        }
        check_versions(c, path, kr);
    }

    // Each distinct key result id of the check-ins is resolved once, with its definition and cycle; a check-in
    // then costs two array reads.
    let check_ins = &doc.check_ins;
    let mut by_id = Resolver::new(
        &doc.key_results,
        |k| k.id.as_str(),
        &okr.kr_order,
        &okr.key_results,
    );
    okr.check_in_kr = check_ins
        .key_result_ids()
        .iter()
        .map(|id| by_id.get(id))
        .collect();
    let targets: Vec<Option<(&KeyResult, Option<&Cycle>)>> = okr
        .check_in_kr
        .iter()
        .map(|ix| {
            let pos = ix.and_then(|ix| okr.kr_order.get(ix.index()).copied())?;
            let kr = doc.key_results.get(pos)?;
            Some((kr, cycle_of_kr(pos)))
        })
        .collect();
    // A key result that takes plain numbers (no link, not a milestone or linked) passes a check-in whose date lies
    // in its cycle, whose value is a finite number and whose confidence is absent or in 0–10: read from the
    // columns, without building the row. Anything else goes through every check.
    let plain: Vec<Option<(NaiveDate, NaiveDate)>> = targets
        .iter()
        .map(|t| match t {
            Some((kr, Some(cy)))
                if kr.link.is_none()
                    && matches!(
                        kr.kind,
                        KrKind::Increase | KrKind::Decrease | KrKind::StayAbove | KrKind::StayBelow
                    ) =>
            {
                Some((cy.start, cy.end))
            }
            _ => None,
        })
        .collect();
    let rows = check_ins
        .key_result_codes()
        .iter()
        .zip(&check_ins.date)
        .zip(&check_ins.value)
        .zip(&check_ins.confidence);
    // How the columns code an absent number (a NaN of its own, so that a given NaN is still reported).
    let none = crate::model::check_ins::code_number(None).to_bits();
    for (i, (((&code, &date), &value), &confidence)) in rows.enumerate() {
        if let Some(Some((start, end))) = plain.get(code as usize) {
            let confidence_ok = confidence.to_bits() == none || (0.0..=10.0).contains(&confidence);
            if *start <= date && date <= *end && value.is_finite() && confidence_ok {
                continue;
            }
        }
        let (Some(Some((kr, cycle))), Some(ci)) = (targets.get(code as usize), check_ins.get(i)) else {
            let id = check_ins.get(i).map_or("", |ci| ci.key_result);
            c.push(
                Code::E_UNKNOWN_ID,
                format!("$.check_ins[{i}].key_result"),
                Some(id),
                format!("check-in #{i} is for unknown key result {id}"),
            );
            continue;
        };
        check_one_check_in(c, i, &ci, kr, *cycle);
    }

    let mut alignments = Vec::with_capacity(doc.alignments.len());
    let mut alignment_parents = Vec::with_capacity(doc.alignments.len());
    let (mut child_of, mut parent_of) = (objective_of(), objective_of());
    for (i, a) in doc.alignments.iter().enumerate() {
        let (child, parent) = (child_of.get(&a.child), parent_of.get(&a.parent));
        alignments.push(child.zip(parent));
        alignment_parents.push(parent);
        // Paths and names are written only for problems.
        let path = || format!("$.alignments[{i}]");
        let edge = || format!("{}→{}", a.child, a.parent);
        for (field, target, ix) in [("child", &a.child, child), ("parent", &a.parent, parent)] {
            if ix.is_none() {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{}.{field}", path()),
                    Some(target),
                    format!("alignment {} names unknown objective {target}", edge()),
                );
            }
        }
        if !(a.weight.is_finite() && a.weight >= 0.0) {
            c.weight(&path(), &edge(), a.weight);
        }
        let objective = |ix: Option<ObjIx>| {
            ix.and_then(|ix| okr.objective_order.get(ix.index()))
                .and_then(|&p| doc.objectives.get(p))
        };
        if let (Some(child), Some(parent)) = (objective(child), objective(parent)) {
            if parent.visibility == Visibility::Private && child.owner != parent.owner {
                c.push(
                    Code::E_PRIVATE_ALIGNMENT,
                    format!("{}.parent", path()),
                    Some(&edge()),
                    format!(
                        "{} is aligned to {}, a private objective of another owner",
                        a.child, a.parent
                    ),
                );
            }
        }
    }
    drop((child_of, parent_of));
    okr.alignments = alignments;
    check_zero_weights(doc, &okr, &alignment_parents, c);
    check_by_value(doc, &okr, c);
    okr
}

/// The path `$.{list}[{i}]` of an item, written only when a problem names it.
struct At(&'static str, usize);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$.{}[{}]", self.0, self.1)
    }
}

/// One check-in of key result `kr` (in cycle `cycle`). Paths are written only for problems.
fn check_one_check_in(c: &mut Checker, i: usize, ci: &CheckInRef<'_>, kr: &KeyResult, cycle: Option<&Cycle>) {
    let path = || format!("$.check_ins[{i}]");
    let id = kr.id.as_str();
    if let Some(cy) = cycle {
        if ci.date < cy.start || ci.date > cy.end {
            outside_cycle(c, &format!("{}.date", path()), id, ci.date, cy);
        }
    }
    if let Some(conf) = ci.confidence {
        if !conf.is_finite() {
            c.finite(&path(), id, "confidence", conf);
        } else if !(0.0..=10.0).contains(&conf) {
            c.push(
                Code::E_CONFIDENCE_RANGE,
                format!("{}.confidence", path()),
                Some(id),
                format!("confidence {conf} of a check-in of {id} is outside 0–10"),
            );
        }
    }
    if let Some(link) = &kr.link {
        c.push(
            Code::E_CHECK_IN_REFUSED,
            format!("{}.key_result", path()),
            Some(id),
            format!(
                "key result {id} reads metric {} and takes no manual check-ins",
                link.metric
            ),
        );
        return;
    }
    match (kr.kind, ci.value) {
        (KrKind::Linked, _) => c.push(
            Code::E_CHECK_IN_REFUSED,
            format!("{}.key_result", path()),
            Some(id),
            format!("key result {id} is linked to an objective and takes no manual check-ins"),
        ),
        (KrKind::Milestone, None) if !kr.steps.is_empty() => {}
        (_, None) => c.push(
            Code::E_MISSING_FIELD,
            format!("{}.value", path()),
            Some(id),
            format!("check-in of {id} has no value"),
        ),
        (_, Some(v)) if !v.is_finite() => {
            c.finite(&path(), id, "value", v);
        }
        (kind, Some(v)) => {
            if kind == KrKind::Milestone && kr.steps.is_empty() && v != 0.0 && v != 1.0 {
                c.push(
                    Code::E_INVALID_VALUE,
                    format!("{}.value", path()),
                    Some(id),
                    format!("milestone {id} takes 0 or 1, not {v}"),
                );
            }
        }
    }
}

fn outside_cycle(c: &mut Checker, path: &str, id: &str, day: chrono::NaiveDate, cy: &Cycle) {
    if day < cy.start || day > cy.end {
        c.push(
            Code::E_DATE_OUTSIDE_CYCLE,
            path,
            Some(id),
            format!(
                "{day} for {id} lies outside cycle {} ({}..{})",
                cy.id, cy.start, cy.end
            ),
        );
    }
}

/// Phased pace: checkpoints inside the cycle, in date order without repeats, expected progress in [0, 1].
fn check_pace(c: &mut Checker, path: &dyn fmt::Display, id: &str, pace: &[Checkpoint], cy: &Cycle) {
    let mut last: Option<chrono::NaiveDate> = None;
    for (j, cp) in pace.iter().enumerate() {
        let p = format!("{path}.pace[{j}]");
        outside_cycle(c, &format!("{p}.date"), id, cp.date, cy);
        if last.is_some_and(|d| cp.date <= d) {
            c.push(
                Code::E_INVALID_VALUE,
                format!("{p}.date"),
                Some(id),
                format!("pace checkpoints of {id} must be in increasing date order"),
            );
        }
        last = Some(cp.date);
        if c.finite(&p, id, "expected", cp.expected) && !(0.0..=1.0).contains(&cp.expected) {
            c.push(
                Code::E_INVALID_VALUE,
                format!("{p}.expected"),
                Some(id),
                format!("expected progress {} of {id} is outside 0–1", cp.expected),
            );
        }
    }
}

/// Which definition fields each kind uses.
fn uses(kind: KrKind) -> (bool, bool) {
    match kind {
        KrKind::Increase | KrKind::Decrease => (true, false),
        KrKind::StayAbove | KrKind::StayBelow => (false, true),
        KrKind::Milestone | KrKind::Linked => (false, false),
    }
}

fn check_kr_fields(c: &mut Checker, path: &dyn fmt::Display, kr: &KeyResult, okr: &Okr) {
    let id = kr.id.as_str();
    let (start_target, bound) = uses(kr.kind);
    let field = |c: &mut Checker, name: &str, present: bool, wanted: bool| {
        if present && !wanted {
            c.push(
                Code::E_FIELD_NOT_ALLOWED,
                format!("{path}.{name}"),
                Some(id),
                format!("{name} does not apply to a {:?} key result ({id})", kr.kind),
            );
        } else if !present && wanted {
            c.push(
                Code::E_MISSING_FIELD,
                format!("{path}.{name}"),
                Some(id),
                format!("a {:?} key result needs {name} ({id})", kr.kind),
            );
        }
    };
    // A missing start is allowed: the first check-in becomes the baseline (`okr.missing_baseline` reports it).
    field(c, "start", kr.start.is_some(), start_target && kr.start.is_some());
    field(c, "target", kr.target.is_some(), start_target);
    field(c, "bound", kr.bound.is_some(), bound);
    field(
        c,
        "linked_objective",
        kr.linked_objective.is_some(),
        kr.kind == KrKind::Linked,
    );
    if kr.inclusive.is_some() && !bound {
        field(c, "inclusive", true, false);
    }
    if !kr.steps.is_empty() && kr.kind != KrKind::Milestone {
        field(c, "steps", true, false);
    }
    for (name, v) in [("start", kr.start), ("target", kr.target), ("bound", kr.bound)] {
        if let Some(v) = v {
            c.finite(path, id, name, v);
        }
    }
    c.weight(path, id, kr.weight);
    if let (Some(s), Some(t)) = (kr.start, kr.target) {
        direction(c, path, id, kr.kind, s, t);
    }
    let mut usable = Vec::new();
    for (j, st) in kr.steps.iter().enumerate() {
        usable.push(c.weight(&format!("{path}.steps[{j}]"), id, st.weight));
    }
    if usable.iter().all(|u| *u) && !kr.steps.is_empty() && kr.steps.iter().all(|s| s.weight == 0.0) {
        c.push(
            Code::E_ALL_ZERO_WEIGHTS,
            format!("{path}.steps"),
            Some(id),
            format!("every step of milestone {id} has weight 0"),
        );
    }
    if let Some(l) = &kr.linked_objective {
        if !okr.objectives.contains_key(l.as_str()) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.linked_objective"),
                Some(id),
                format!("key result {id} links unknown objective {l}"),
            );
        }
    }
}

/// start ≠ target, and the target lies on the kind's side of the start.
fn direction(c: &mut Checker, path: &dyn fmt::Display, id: &str, kind: KrKind, start: f64, target: f64) {
    if !start.is_finite() || !target.is_finite() {
        return;
    }
    if start == target {
        c.push(
            Code::E_START_EQUALS_TARGET,
            format!("{path}.target"),
            Some(id),
            format!("key result {id} has start = target = {start}"),
        );
    } else if kind == KrKind::Increase && target < start {
        c.push(
            Code::E_DIRECTION,
            format!("{path}.target"),
            Some(id),
            format!("increase key result {id} has target {target} below its start {start}"),
        );
    } else if kind == KrKind::Decrease && target > start {
        c.push(
            Code::E_DIRECTION,
            format!("{path}.target"),
            Some(id),
            format!("decrease key result {id} has target {target} above its start {start}"),
        );
    }
}

/// Each version needs a reason and its own effective date, changes only fields its kind uses, and leaves a
/// definition that is valid on its own.
fn check_versions(c: &mut Checker, path: &dyn fmt::Display, kr: &KeyResult) {
    let id = kr.id.as_str();
    let (start_target, bound) = uses(kr.kind);
    let mut seen = std::collections::HashSet::new();
    for (j, v) in kr.versions.iter().enumerate() {
        let p = format!("{path}.versions[{j}]");
        if v.reason.trim().is_empty() {
            c.push(
                Code::E_VERSION,
                format!("{p}.reason"),
                Some(id),
                format!("a change of {id}'s definition needs a reason"),
            );
        }
        if !seen.insert(v.effective) {
            c.push(
                Code::E_VERSION,
                format!("{p}.effective"),
                Some(id),
                format!("{id} has two versions effective {}", v.effective),
            );
        }
        for (name, val, ok) in [
            ("start", v.start, start_target),
            ("target", v.target, start_target),
            ("bound", v.bound, bound),
        ] {
            let Some(val) = val else { continue };
            if !ok {
                c.push(
                    Code::E_FIELD_NOT_ALLOWED,
                    format!("{p}.{name}"),
                    Some(id),
                    format!("{name} does not apply to a {:?} key result ({id})", kr.kind),
                );
            }
            c.finite(&p, id, name, val);
        }
        if let Some(w) = v.weight {
            c.weight(&p, id, w);
        }
    }
    if kr.versions.is_empty() {
        return; // the original definition alone: checked with the key result's fields
    }
    for d in definitions(kr).iter().skip(1) {
        if let (Some(s), Some(t)) = (d.start, d.target) {
            if let Some(pos) = kr.versions.iter().position(|v| Some(v.effective) == d.effective) {
                direction(c, &format!("{path}.versions[{pos}]"), id, kr.kind, s, t);
            }
        }
    }
}

/// A key result's definition in force from `effective` on (`None`: from the start).
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// First day in force; `None` for the original definition.
    pub effective: Option<NaiveDate>,
    /// Baseline.
    pub start: Option<f64>,
    /// Goal.
    pub target: Option<f64>,
    /// Limit of a control KR.
    pub bound: Option<f64>,
    /// Weight in the objective.
    pub weight: f64,
}

/// The original definition, then each version applied on top of the one before, in effective order.
pub(crate) fn definitions(kr: &KeyResult) -> Vec<Definition> {
    let mut d = Definition {
        effective: None,
        start: kr.start,
        target: kr.target,
        bound: kr.bound,
        weight: kr.weight,
    };
    let mut out = vec![d.clone()];
    let mut versions: Vec<_> = kr.versions.iter().collect();
    versions.sort_by_key(|v| v.effective);
    for v in versions {
        d.effective = Some(v.effective);
        d.start = v.start.or(d.start);
        d.target = v.target.or(d.target);
        d.bound = v.bound.or(d.bound);
        d.weight = v.weight.unwrap_or(d.weight);
        out.push(d.clone());
    }
    out
}

/// An objective whose counted sources all have weight 0 cannot be averaged.
fn check_zero_weights(doc: &Document, okr: &Okr, alignment_parents: &[Option<ObjIx>], c: &mut Checker) {
    // Key results by objective (in id order), by input position: one list, cut at `starts`.
    let n = okr.objective_order.len();
    let mut starts = vec![0usize; n + 1];
    for o in okr.kr_objective.iter().flatten() {
        if let Some(s) = starts.get_mut(o.index() + 1) {
            *s += 1;
        }
    }
    for i in 1..starts.len() {
        let before = starts.get(i - 1).copied().unwrap_or(0);
        if let Some(s) = starts.get_mut(i) {
            *s += before;
        }
    }
    let mut krs = vec![0usize; starts.last().copied().unwrap_or(0)];
    let mut next = starts.clone();
    for (i, o) in okr.kr_objective.iter().enumerate() {
        if let Some(at) = o.and_then(|o| next.get_mut(o.index())) {
            if let Some(slot) = krs.get_mut(*at) {
                *slot = i;
            }
            *at += 1;
        }
    }
    let krs_of = |ix: ObjIx| -> &[usize] {
        match (starts.get(ix.index()), starts.get(ix.index() + 1)) {
            (Some(&a), Some(&b)) => krs.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    };
    // Whether each objective (in id order) has contributing children, and whether all their weights are 0.
    let mut children_of = vec![(false, true); n];
    for (a, parent) in doc.alignments.iter().zip(alignment_parents) {
        if a.mode == crate::model::AlignmentMode::Contributes {
            if let Some(slot) = parent.and_then(|p| children_of.get_mut(p.index())) {
                *slot = (true, slot.1 && a.weight == 0.0);
            }
        }
    }
    let mut by_id = Resolver::new(
        &doc.objectives,
        |o| o.id.as_str(),
        &okr.objective_order,
        &okr.objectives,
    );
    for (i, o) in doc.objectives.iter().enumerate() {
        let (use_krs, use_children) = match o.progress_from {
            ProgressFrom::KeyResults => (true, false),
            ProgressFrom::Children => (false, true),
            ProgressFrom::Both => (true, true),
            ProgressFrom::Manual => (false, false),
        };
        let ix = by_id.get(&o.id);
        let mine: &[usize] = match ix {
            Some(ix) if use_krs => krs_of(ix),
            _ => &[],
        };
        let (has_children, children_zero) = match ix {
            Some(ix) if use_children => children_of.get(ix.index()).copied().unwrap_or((false, true)),
            _ => (false, true),
        };
        if mine.is_empty() && !has_children {
            continue;
        }
        if !children_zero {
            continue;
        }
        // A key result that never changes its non-zero weight keeps the objective averageable at every moment.
        let steady = mine
            .iter()
            .filter_map(|&k| doc.key_results.get(k))
            .any(|k| k.versions.is_empty() && k.weight != 0.0);
        if steady {
            continue;
        }
        let krs: Vec<Vec<Definition>> = mine
            .iter()
            .filter_map(|&k| doc.key_results.get(k))
            .map(definitions)
            .collect();
        let krs_zero_at_some_moment =
            !krs.is_empty() && kr_moments(&krs).any(|ws| ws.iter().all(|w| *w == 0.0));
        if krs.is_empty() || krs_zero_at_some_moment {
            c.push(
                Code::E_ALL_ZERO_WEIGHTS,
                format!("$.objectives[{i}]"),
                Some(&o.id),
                format!("every source of objective {} has weight 0", o.id),
            );
        }
    }
}

/// The weights of an objective's key results at every moment one of their definitions changes.
fn kr_moments(krs: &[Vec<Definition>]) -> impl Iterator<Item = Vec<f64>> + '_ {
    let mut days: Vec<Option<chrono::NaiveDate>> = krs.iter().flatten().map(|d| d.effective).collect();
    days.sort();
    days.dedup();
    days.into_iter().map(move |day| {
        krs.iter()
            .map(|defs| {
                defs.iter()
                    .rev()
                    .find(|d| d.effective <= day)
                    .map_or(0.0, |d| d.weight)
            })
            .collect()
    })
}

/// `rollup: by_value` needs key results of one kind (all increase or all decrease) in one declared unit.
fn check_by_value(doc: &Document, okr: &Okr, c: &mut Checker) {
    let asked: Vec<(usize, ObjIx)> = doc
        .objectives
        .iter()
        .enumerate()
        .filter(|(_, o)| o.rollup == Some(Rollup::ByValue))
        .filter_map(|(i, o)| okr.objectives.get(o.id.as_str()).map(|&ix| (i, ix)))
        .collect();
    if asked.is_empty() {
        return;
    }
    // Only the key results of the objectives that ask are gathered.
    let mut krs_of: HashMap<ObjIx, Vec<&KeyResult>> = asked.iter().map(|&(_, ix)| (ix, Vec::new())).collect();
    for (k, o) in doc.key_results.iter().zip(&okr.kr_objective) {
        if let Some(list) = o.and_then(|o| krs_of.get_mut(&o)) {
            list.push(k);
        }
    }
    for (i, ix) in asked {
        let Some(o) = doc.objectives.get(i) else { continue };
        let krs = krs_of.get(&ix).map(Vec::as_slice).unwrap_or(&[]);
        if !by_value_eligible(krs.iter().map(|k| (k.kind, k.unit.as_deref(), k.start.is_some()))) {
            c.push(
                Code::E_BY_VALUE_MIXED,
                format!("$.objectives[{i}].rollup"),
                Some(&o.id),
                format!("objective {} asks for by_value roll-up but its key results are not all increase (or all decrease) in one unit with a start", o.id),
            );
        }
    }
}

/// Whether key results of these kinds, units and starts (present or not) can be summed by value.
pub(crate) fn by_value_eligible<'a>(mut krs: impl Iterator<Item = (KrKind, Option<&'a str>, bool)>) -> bool {
    let Some((kind, unit, has_start)) = krs.next() else {
        return true;
    };
    if !matches!(kind, KrKind::Increase | KrKind::Decrease) || unit.is_none() || !has_start {
        return false;
    }
    krs.all(|(k, u, s)| k == kind && u == unit && s)
}

#[cfg(test)]
mod tests {
    use crate::model::{CheckIn, Document};

    /// Check-ins of a plain key result that the column fast path must not pass: a given NaN confidence (coded
    /// apart from an absent one), no value, an infinite value, a confidence above 10, a date outside the cycle.
    /// The good one passes.
    #[test]
    fn check_ins_the_fast_path_must_not_pass_are_reported() {
        let mut doc = Document::from_json(
            r#"{"schema_version": 1,
                "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
                "objectives": [{"id": "o", "cycle": "q"}],
                "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 10}]}"#,
        )
        .unwrap();
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
        let ci = |date, value: Option<f64>, confidence: Option<f64>| CheckIn {
            key_result: "k".into(),
            date,
            value,
            confidence,
            note: None,
        };
        doc.check_ins.push(ci(day(1), Some(1.0), Some(5.0)));
        doc.check_ins.push(ci(day(2), Some(1.0), Some(f64::NAN)));
        doc.check_ins.push(ci(day(3), None, None));
        doc.check_ins.push(ci(day(4), Some(f64::INFINITY), None));
        doc.check_ins.push(ci(day(5), Some(2.0), Some(11.0)));
        doc.check_ins.push(ci(
            chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            Some(3.0),
            None,
        ));
        let err = crate::validate(doc).unwrap_err();
        let got: Vec<(&str, &str)> = err
            .problems()
            .iter()
            .map(|p| (p.code.as_str(), p.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("E_NOT_FINITE", "$.check_ins[1].confidence"),
                ("E_MISSING_FIELD", "$.check_ins[2].value"),
                ("E_NOT_FINITE", "$.check_ins[3].value"),
                ("E_CONFIDENCE_RANGE", "$.check_ins[4].confidence"),
                ("E_DATE_OUTSIDE_CYCLE", "$.check_ins[5].date"),
            ]
        );
    }
}
