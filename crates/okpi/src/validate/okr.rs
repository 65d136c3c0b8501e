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
    let (objective_order, objectives, objective_rank) =
        index_ids(&doc.objectives, "objectives", |x| x.id.as_str(), c);
    let (kr_order, key_results, kr_rank) = index_ids(&doc.key_results, "key_results", |x| x.id.as_str(), c);
    let mut okr = Okr {
        objectives,
        objective_order,
        key_results,
        kr_order,
        kr_objective: Vec::with_capacity(doc.key_results.len()),
        check_in_kr: Vec::new(),
        alignments: Vec::new(),
    };
    // What later checks need of each objective, by index, gathered as the objectives and key results are checked
    // (each read once, in order; a repeated id's last item fills the slot its index names).
    let mut about = vec![About::default(); okr.objectives.ids().len()];
    // The key results of each objective that asks for a `by_value` roll-up, in input order.
    let mut by_value: Vec<Vec<&KeyResult>> = Vec::new();
    let mut asked: Vec<(usize, ObjIx)> = Vec::new();
    let mut last_cycle: Option<(&str, Option<&Cycle>)> = None;

    for (i, o) in doc.objectives.iter().enumerate() {
        let path: &dyn fmt::Display = &At("objectives", i);
        let id = o.id.as_str();
        // Objectives of one cycle come together: its id is compared, not hashed again.
        let cycle = match last_cycle {
            Some((name, cy)) if name == o.cycle.as_str() => cy,
            _ => {
                let cy = org.cycle(doc, &o.cycle);
                last_cycle = Some((o.cycle.as_str(), cy));
                cy
            }
        };
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
            let p = Sub(path, "manual_updates", j);
            if c.finite(&p, id, "progress", u.progress) && !(0.0..=1.0).contains(&u.progress) {
                c.push(
                    Code::E_INVALID_VALUE,
                    format!("{p}.progress"),
                    Some(id),
                    format!("manual progress {} of {id} is outside 0–1", u.progress),
                );
            }
            if let Some(cy) = cycle {
                outside_cycle(c, &Field(&p, "date"), id, u.date, cy);
            }
        }
        let Some(&ix) = objective_rank.get(i) else {
            continue;
        };
        let Some(slot) = about.get_mut(ix.index()) else {
            continue;
        };
        slot.cycle = cycle;
        slot.private = o.visibility == Visibility::Private;
        if o.rollup == Some(Rollup::ByValue) {
            if slot.by_value == NO_LIST {
                slot.by_value = u32::try_from(by_value.len()).unwrap_or(NO_LIST);
                by_value.push(Vec::new());
            }
            asked.push((i, ix));
        }
    }

    // How the check-ins of each key result (by index) may be passed without building their rows.
    let mut takes = vec![Takes::ROWS; okr.key_results.ids().len()];
    let mut objective_of = Resolver::new(&okr.objectives);
    for (i, kr) in doc.key_results.iter().enumerate() {
        let path: &dyn fmt::Display = &At("key_results", i);
        let objective = objective_of.get(&kr.objective);
        okr.kr_objective.push(objective);
        let mine = objective.and_then(|o| about.get_mut(o.index()));
        if mine.is_none() {
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
        check_kr_fields(c, path, kr, &okr.objectives);
        let cycle = mine.as_ref().and_then(|a| a.cycle);
        if let Some(cy) = cycle {
            check_pace(c, path, &kr.id, &kr.pace, cy);
            for (j, v) in kr.versions.iter().enumerate() {
                outside_cycle(
                    c,
                    &Field(&Sub(path, "versions", j), "effective"),
                    &kr.id,
                    v.effective,
                    cy,
                );
            }
        }
        check_versions(c, path, kr);
        if let Some(mine) = mine {
            mine.krs += 1;
            mine.steady |= kr.versions.is_empty() && kr.weight != 0.0;
            if let Some(list) = by_value.get_mut(mine.by_value as usize) {
                list.push(kr);
            }
        }
        if let Some(slot) = kr_rank.get(i).and_then(|r| takes.get_mut(r.index())) {
            *slot = cycle.map_or(Takes::ROWS, |cy| Takes::of(kr, cy));
        }
    }

    // Each distinct key result id of the check-ins is resolved once; a run of one key result's check-ins (they
    // come together) looks its key result up once.
    let check_ins = &doc.check_ins;
    let mut kr_of = Resolver::new(&okr.key_results);
    okr.check_in_kr = check_ins
        .key_result_ids()
        .iter()
        .map(|id| kr_of.get(id))
        .collect();
    let rows = check_ins
        .key_result_codes()
        .iter()
        .zip(&check_ins.date)
        .zip(&check_ins.value)
        .zip(&check_ins.confidence);
    let mut run: Option<(u32, Takes)> = None;
    for (i, (((&code, &date), &value), &confidence)) in rows.enumerate() {
        let rule = match run {
            Some((at, rule)) if at == code => rule,
            _ => {
                let kr = okr.check_in_kr.get(code as usize).copied().flatten();
                let rule = kr
                    .and_then(|k| takes.get(k.index()))
                    .copied()
                    .unwrap_or(Takes::ROWS);
                run = Some((code, rule));
                rule
            }
        };
        if rule.passes(date, value, confidence) {
            continue;
        }
        // Anything else goes through every check, with the key result and its cycle found again.
        let kr = okr
            .check_in_kr
            .get(code as usize)
            .copied()
            .flatten()
            .and_then(|k| okr.kr_order.get(k.index()))
            .and_then(|&p| Some((doc.key_results.get(p)?, p)));
        let (Some((kr, pos)), Some(ci)) = (kr, check_ins.get(i)) else {
            let id = check_ins.get(i).map_or("", |ci| ci.key_result);
            c.push(
                Code::E_UNKNOWN_ID,
                format!("$.check_ins[{i}].key_result"),
                Some(id),
                format!("check-in #{i} is for unknown key result {id}"),
            );
            continue;
        };
        let cycle = okr
            .kr_objective
            .get(pos)
            .copied()
            .flatten()
            .and_then(|o| about.get(o.index()))
            .and_then(|a| a.cycle);
        check_one_check_in(c, i, &ci, kr, cycle);
    }

    let mut alignments = Vec::with_capacity(doc.alignments.len());
    let mut alignment_parents = Vec::with_capacity(doc.alignments.len());
    let (mut child_of, mut parent_of) = (Resolver::new(&okr.objectives), Resolver::new(&okr.objectives));
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
        // Only a private parent is read again.
        let private = |ix: ObjIx| about.get(ix.index()).is_some_and(|a| a.private);
        let objective = |ix: ObjIx| {
            okr.objective_order
                .get(ix.index())
                .and_then(|&p| doc.objectives.get(p))
        };
        if let (Some(child), Some(parent)) = (child, parent.filter(|&p| private(p))) {
            if let (Some(child), Some(parent)) = (objective(child), objective(parent)) {
                if child.owner != parent.owner {
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
    }
    okr.alignments = alignments;
    check_zero_weights(doc, &okr, &objective_rank, &about, &alignment_parents, c);
    check_by_value(doc, &about, &by_value, &asked, c);
    okr
}

/// What the checks after the objectives' own need of one objective.
#[derive(Clone, Copy)]
struct About<'d> {
    cycle: Option<&'d Cycle>,
    /// Its key results (by their `objective`).
    krs: u32,
    /// Whether one of its key results has a non-zero weight it never changes.
    steady: bool,
    private: bool,
    /// Its list of key results for the `by_value` check ([`NO_LIST`]: it does not ask).
    by_value: u32,
}

const NO_LIST: u32 = u32::MAX;

impl Default for About<'_> {
    fn default() -> Self {
        About {
            cycle: None,
            krs: 0,
            steady: false,
            private: false,
            by_value: NO_LIST,
        }
    }
}

/// Which check-ins of one key result pass every check on their columns alone: a date in its cycle, a confidence
/// absent or in 0–10, and a value as its kind takes them. Anything else goes through every check.
#[derive(Clone, Copy)]
struct Takes {
    values: Values,
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Clone, Copy, PartialEq)]
enum Values {
    /// None pass here (a key result that reads a metric or an objective, or one out of a cycle).
    Rows,
    /// A finite number (increase, decrease, stay above or below).
    Number,
    /// A finite number or none (a milestone with steps).
    NumberOrNone,
    /// 0 or 1 (a milestone without steps).
    ZeroOrOne,
}

impl Takes {
    const ROWS: Takes = Takes {
        values: Values::Rows,
        start: NaiveDate::MAX,
        end: NaiveDate::MIN,
    };

    /// The rule of key result `kr` in cycle `cy`, as [`check_one_check_in`] would judge its check-ins.
    fn of(kr: &KeyResult, cy: &Cycle) -> Takes {
        let values = match kr.kind {
            _ if kr.link.is_some() => Values::Rows,
            KrKind::Increase | KrKind::Decrease | KrKind::StayAbove | KrKind::StayBelow => Values::Number,
            KrKind::Milestone if kr.steps.is_empty() => Values::ZeroOrOne,
            KrKind::Milestone => Values::NumberOrNone,
            KrKind::Linked => Values::Rows,
        };
        Takes {
            values,
            start: cy.start,
            end: cy.end,
        }
    }

    /// Whether a check-in of these columns passes (an absent number has the columns' own NaN bits).
    fn passes(&self, date: NaiveDate, value: f64, confidence: f64) -> bool {
        let none = crate::model::check_ins::code_number(None).to_bits();
        let value_ok = match self.values {
            Values::Rows => return false,
            Values::Number => value.is_finite(),
            Values::NumberOrNone => value.is_finite() || value.to_bits() == none,
            Values::ZeroOrOne => value == 0.0 || value == 1.0,
        };
        value_ok
            && self.start <= date
            && date <= self.end
            && (confidence.to_bits() == none || (0.0..=10.0).contains(&confidence))
    }
}

/// The path `$.{list}[{i}]` of an item, written only when a problem names it.
struct At(&'static str, usize);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$.{}[{}]", self.0, self.1)
    }
}

/// The path `{path}.{list}[{j}]` of an item's part, written only when a problem names it.
struct Sub<'a>(&'a dyn fmt::Display, &'static str, usize);

impl fmt::Display for Sub<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}[{}]", self.0, self.1, self.2)
    }
}

/// The path `{path}.{field}`, written only when a problem names it.
struct Field<'a>(&'a dyn fmt::Display, &'static str);

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
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

fn outside_cycle(c: &mut Checker, path: &dyn fmt::Display, id: &str, day: chrono::NaiveDate, cy: &Cycle) {
    if day < cy.start || day > cy.end {
        c.push(
            Code::E_DATE_OUTSIDE_CYCLE,
            path.to_string(),
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
        let p = Sub(path, "pace", j);
        outside_cycle(c, &Field(&p, "date"), id, cp.date, cy);
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

fn check_kr_fields(c: &mut Checker, path: &dyn fmt::Display, kr: &KeyResult, objectives: &IdIndex<ObjIx>) {
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
    let mut usable = true;
    for (j, st) in kr.steps.iter().enumerate() {
        usable &= c.weight(&Sub(path, "steps", j), id, st.weight);
    }
    if usable && !kr.steps.is_empty() && kr.steps.iter().all(|s| s.weight == 0.0) {
        c.push(
            Code::E_ALL_ZERO_WEIGHTS,
            format!("{path}.steps"),
            Some(id),
            format!("every step of milestone {id} has weight 0"),
        );
    }
    if let Some(l) = &kr.linked_objective {
        if !objectives.contains_key(l.as_str()) {
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
    if kr.versions.is_empty() {
        return; // the original definition alone: checked with the key result's fields
    }
    let id = kr.id.as_str();
    let (start_target, bound) = uses(kr.kind);
    let mut seen = std::collections::HashSet::new();
    for (j, v) in kr.versions.iter().enumerate() {
        let p = Sub(path, "versions", j);
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
fn check_zero_weights(
    doc: &Document,
    okr: &Okr,
    objective_rank: &[ObjIx],
    about: &[About<'_>],
    alignment_parents: &[Option<ObjIx>],
    c: &mut Checker,
) {
    let n = okr.objective_order.len();
    // Whether each objective (in id order) has contributing children, and whether all their weights are 0.
    let mut children_of = vec![(false, true); n];
    for (a, parent) in doc.alignments.iter().zip(alignment_parents) {
        if a.mode == crate::model::AlignmentMode::Contributes {
            if let Some(slot) = parent.and_then(|p| children_of.get_mut(p.index())) {
                *slot = (true, slot.1 && a.weight == 0.0);
            }
        }
    }
    // Key results by objective (in id order), by input position: one list, cut at `starts`; made only if an
    // objective has no key result of steady non-zero weight.
    let mut lists: Option<(Vec<usize>, Vec<usize>)> = None;
    for (i, o) in doc.objectives.iter().enumerate() {
        let (use_krs, use_children) = match o.progress_from {
            ProgressFrom::KeyResults => (true, false),
            ProgressFrom::Children => (false, true),
            ProgressFrom::Both => (true, true),
            ProgressFrom::Manual => (false, false),
        };
        let Some(&ix) = objective_rank.get(i) else {
            continue;
        };
        let (krs, steady) = match about.get(ix.index()) {
            Some(a) if use_krs => (a.krs, a.steady),
            _ => (0, false),
        };
        let (has_children, children_zero) = match children_of.get(ix.index()) {
            Some(&slot) if use_children => slot,
            _ => (false, true),
        };
        if krs == 0 && !has_children {
            continue;
        }
        if !children_zero {
            continue;
        }
        // A key result that never changes its non-zero weight keeps the objective averageable at every moment.
        if steady {
            continue;
        }
        let (starts, list) = lists.get_or_insert_with(|| krs_by_objective(okr, n));
        let mine: &[usize] = match (starts.get(ix.index()), starts.get(ix.index() + 1)) {
            (Some(&a), Some(&b)) if use_krs => list.get(a..b).unwrap_or(&[]),
            _ => &[],
        };
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

/// The key results of each of the `n` objectives (by index), by input position: one list cut at the starts.
fn krs_by_objective(okr: &Okr, n: usize) -> (Vec<usize>, Vec<usize>) {
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
    (starts, krs)
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

/// `rollup: by_value` needs key results of one kind (all increase or all decrease) in one declared unit. `asked`
/// holds the objectives that ask (input position, index), `lists` the key results of each, gathered as the key
/// results were checked.
fn check_by_value(
    doc: &Document,
    about: &[About<'_>],
    lists: &[Vec<&KeyResult>],
    asked: &[(usize, ObjIx)],
    c: &mut Checker,
) {
    for &(i, ix) in asked {
        let Some(o) = doc.objectives.get(i) else { continue };
        let krs = about
            .get(ix.index())
            .and_then(|a| lists.get(a.by_value as usize))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
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

    /// Asserts the code and path of every problem validation finds in `doc`, in order.
    fn problems_are(doc: Document, expected: &[(&str, &str)]) {
        let err = crate::validate(doc).unwrap_err();
        let got: Vec<(&str, &str)> = err
            .problems()
            .iter()
            .map(|p| (p.code.as_str(), p.path.as_str()))
            .collect();
        assert_eq!(got, expected);
    }

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
        problems_are(
            doc,
            &[
                ("E_NOT_FINITE", "$.check_ins[1].confidence"),
                ("E_MISSING_FIELD", "$.check_ins[2].value"),
                ("E_NOT_FINITE", "$.check_ins[3].value"),
                ("E_CONFIDENCE_RANGE", "$.check_ins[4].confidence"),
                ("E_DATE_OUTSIDE_CYCLE", "$.check_ins[5].date"),
            ],
        );
    }

    /// Check-ins of milestones and of key results that take none, read from the columns: a milestone without
    /// steps takes 0 or 1 (a given NaN, none or 0.5 are reported), one with steps takes none or a finite number,
    /// a linked key result and one that reads a metric take none at all, whatever their values.
    #[test]
    fn check_ins_of_milestones_and_refusing_key_results_are_judged_as_every_check_does() {
        let mut doc = Document::from_json(
            r#"{"schema_version": 1,
                "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
                "objectives": [{"id": "o", "cycle": "q"}, {"id": "p", "cycle": "q"}],
                "measures": [{"id": "m"}],
                "metrics": [{"id": "x", "kind": "simple", "measure": "m"}],
                "org_units": [{"id": "u"}],
                "key_results": [
                    {"id": "bare", "objective": "o", "kind": "milestone"},
                    {"id": "steps", "objective": "o", "kind": "milestone", "steps": [{"title": "a", "weight": 1}]},
                    {"id": "linked", "objective": "o", "kind": "linked", "linked_objective": "p"},
                    {"id": "reads", "objective": "o", "kind": "increase", "start": 0, "target": 10,
                     "link": {"metric": "x", "scope": {"unit": "u"}}}]}"#,
        )
        .unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let rows: [(&str, Option<f64>); 12] = [
            ("bare", Some(0.0)),
            ("bare", Some(1.0)),
            ("bare", Some(0.5)),
            ("bare", None),
            ("bare", Some(f64::NAN)),
            ("steps", None),
            ("steps", Some(0.5)),
            ("steps", Some(f64::INFINITY)),
            ("linked", None),
            ("linked", Some(1.0)),
            ("reads", Some(3.0)),
            ("bare", Some(-0.0)),
        ];
        for (kr, value) in rows {
            doc.check_ins.push(CheckIn {
                key_result: kr.into(),
                date: day,
                value,
                confidence: None,
                note: None,
            });
        }
        problems_are(
            doc,
            &[
                ("E_INVALID_VALUE", "$.check_ins[2].value"),
                ("E_MISSING_FIELD", "$.check_ins[3].value"),
                ("E_NOT_FINITE", "$.check_ins[4].value"),
                ("E_NOT_FINITE", "$.check_ins[7].value"),
                ("E_CHECK_IN_REFUSED", "$.check_ins[8].key_result"),
                ("E_CHECK_IN_REFUSED", "$.check_ins[9].key_result"),
                ("E_CHECK_IN_REFUSED", "$.check_ins[10].key_result"),
            ],
        );
    }
}
