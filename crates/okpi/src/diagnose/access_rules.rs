//! `access.private_progress_shared` (DOMAIN.md §9): a private objective whose progress others read through a
//! parent's roll-up.

use super::{finding, Finding, Severity};
use crate::id::FastMap;
use crate::idx::{Idx, ObjIx};
use crate::model::Visibility;
use crate::report::Evidence;
use crate::report::{Evaluation, SourceKind};
use crate::store::Model;
use std::cell::OnceCell;

/// One info finding per parent that is not private and counts exactly one private objective among its sources
/// (with `private_rollup = share`; under `exclude` none counts): whoever sees the parent but not the child can
/// read the child's progress off the parent's. Two or more private sources mix in the parent's number; the
/// finding tells the owner (subjects: the private objective, then the parent) what is shared.
pub(super) fn run(model: &Model, ev: &Evaluation) -> Vec<Finding> {
    // This model's evaluation holds each objective at its position, and its sources name the objective's children
    // in their order: both are found without hashing. Any other evaluation is looked up by id.
    let by_id: OnceCell<FastMap<&str, Visibility>> = OnceCell::new();
    let visibility_of = |id: &str| {
        by_id
            .get_or_init(|| {
                model
                    .objectives()
                    .map(|o| (o.id.as_str(), o.visibility))
                    .collect()
            })
            .get(id)
            .copied()
    };
    let private = |v: Option<Visibility>| v == Some(Visibility::Private);
    let mut out = Vec::new();
    for (i, p) in ev.objectives.iter().enumerate() {
        let node = model.objectives.get(ObjIx::new(i)).filter(|o| o.id == p.id);
        let visibility = node.map_or_else(|| visibility_of(&p.id), |o| Some(o.def.visibility));
        if private(visibility) {
            continue;
        }
        let children = node.map_or(&[][..], |o| o.children.as_slice());
        // The sources list the children in their order: each is looked for from just after the one before.
        let mut cursor = 0;
        let mut hidden = p.sources.iter().filter(|s| {
            if s.kind != SourceKind::Objective {
                return false;
            }
            let ahead = children.get(cursor..).unwrap_or_default();
            let behind = children.get(..cursor).unwrap_or_default();
            let found = ahead
                .iter()
                .chain(behind)
                .position(|(c, _)| model.objectives.at(*c).id == s.id)
                .map(|i| (cursor + i) % children.len());
            private(match found.and_then(|at| Some((at, children.get(at)?))) {
                Some((at, (c, _))) => {
                    cursor = at + 1;
                    Some(model.objectives.at(*c).def.visibility)
                }
                None => visibility_of(&s.id),
            })
        });
        if let (Some(only), None) = (hidden.next(), hidden.next()) {
            out.push(finding(
                "access.private_progress_shared",
                Severity::Info,
                vec![only.id.clone(), p.id.clone()],
                [
                    ("normalized_weight", Evidence::of(&only.normalized_weight)),
                    ("sources", Evidence::of(&p.sources.len())),
                ],
            ));
        }
    }
    out
}
