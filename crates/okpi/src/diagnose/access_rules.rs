//! `access.private_progress_shared` (DOMAIN.md §9): a private objective whose progress others read through a
//! parent's roll-up.

use super::advice::advice;
use super::{Finding, Severity};
use crate::model::Visibility;
use crate::report::Evidence;
use crate::report::{Evaluation, SourceKind};
use crate::store::Model;
use std::collections::HashMap;

/// One info finding per parent that is not private and counts exactly one private objective among its sources
/// (with `private_rollup = share`; under `exclude` none counts): whoever sees the parent but not the child can
/// read the child's progress off the parent's. Two or more private sources mix in the parent's number; the
/// finding tells the owner (subjects: the private objective, then the parent) what is shared.
pub(super) fn run(model: &Model, ev: &Evaluation) -> Vec<Finding> {
    let visibility: HashMap<&str, Visibility> = model
        .objectives()
        .map(|o| (o.id.as_str(), o.visibility))
        .collect();
    let private = |id: &str| visibility.get(id) == Some(&Visibility::Private);
    let mut out = Vec::new();
    for p in &ev.objectives {
        if private(&p.id) {
            continue;
        }
        let hidden: Vec<_> = p
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Objective && private(&s.id))
            .collect();
        if let [only] = hidden.as_slice() {
            let code = "access.private_progress_shared";
            out.push(Finding {
                code: code.to_owned(),
                severity: Severity::Info,
                subjects: vec![only.id.to_string(), p.id.to_string()],
                evidence: [
                    (
                        "normalized_weight".to_owned(),
                        Evidence::of(&only.normalized_weight),
                    ),
                    ("sources".to_owned(), Evidence::of(&p.sources.len())),
                ]
                .into(),
                advice: advice(code),
            });
        }
    }
    out
}
