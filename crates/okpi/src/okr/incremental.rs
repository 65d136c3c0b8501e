//! Applying one new check-in: re-roll only the key result's objective and the objectives that read it.

use super::evaluate_in_place;
use crate::error::{Code, Error, Problem};
use crate::idx::{Idx, KrIx, ObjIx};
use crate::model::{AlignmentMode, CheckIn, KrKind};
use crate::report::Evaluation;
use crate::store::Model;

impl Model {
    /// Validates one new check-in and adds it (after any same-day check-in, as if appended to the input).
    /// Returns the key result it belongs to. Errors use the path `$.check_in`.
    pub fn apply_check_in(&mut self, check_in: CheckIn) -> Result<KrIx, Error> {
        let ix = self.check_one(&check_in)?;
        let kr = self.key_results.at_mut(ix);
        self.check_ins.insert(&mut kr.check_ins, check_in);
        if let Some(run) = self.okr.kr_run.get_mut(ix.index()) {
            *run = kr.check_ins;
        }
        Ok(ix)
    }

    fn check_one(&self, ci: &CheckIn) -> Result<KrIx, Error> {
        let bad = |code, field: &str, msg: String| {
            Error::invalid(vec![Problem::new(
                code,
                format!("$.check_in.{field}"),
                Some(&ci.key_result),
                msg,
            )])
        };
        let Some(&ix) = self.ids.key_results.get(ci.key_result.as_str()) else {
            return Err(bad(
                Code::E_UNKNOWN_ID,
                "key_result",
                format!("unknown key result {}", ci.key_result),
            ));
        };
        let kr = self.key_results.at(ix);
        let cycle = self.cycles.at(self.objectives.at(kr.objective).cycle);
        if ci.date < cycle.start || ci.date > cycle.end {
            return Err(bad(
                Code::E_DATE_OUTSIDE_CYCLE,
                "date",
                format!(
                    "{} lies outside cycle {} ({}..{})",
                    ci.date, cycle.id, cycle.start, cycle.end
                ),
            ));
        }
        if let Some(c) = ci.confidence {
            if !c.is_finite() {
                return Err(bad(
                    Code::E_NOT_FINITE,
                    "confidence",
                    format!("confidence is {c}"),
                ));
            }
            if !(0.0..=10.0).contains(&c) {
                return Err(bad(
                    Code::E_CONFIDENCE_RANGE,
                    "confidence",
                    format!("confidence {c} is outside 0–10"),
                ));
            }
        }
        if let Some(link) = &kr.def.link {
            return Err(bad(
                Code::E_CHECK_IN_REFUSED,
                "key_result",
                format!(
                    "key result {} reads metric {} and takes no manual check-ins",
                    ci.key_result, link.metric
                ),
            ));
        }
        let checklist = kr.def.kind == KrKind::Milestone && !kr.def.steps.is_empty();
        match (kr.def.kind, ci.value) {
            (KrKind::Linked, _) => Err(bad(
                Code::E_CHECK_IN_REFUSED,
                "key_result",
                format!(
                    "key result {} is linked to an objective and takes no manual check-ins",
                    ci.key_result
                ),
            )),
            (_, None) if checklist => Ok(ix),
            (_, None) => Err(bad(
                Code::E_MISSING_FIELD,
                "value",
                String::from("check-in has no value"),
            )),
            (_, Some(v)) if !v.is_finite() => Err(bad(Code::E_NOT_FINITE, "value", format!("value is {v}"))),
            (KrKind::Milestone, Some(v)) if !checklist && v != 0.0 && v != 1.0 => Err(bad(
                Code::E_INVALID_VALUE,
                "value",
                format!("milestone takes 0 or 1, not {v}"),
            )),
            _ => Ok(ix),
        }
    }

    /// The objectives whose results can change when key result `kr` changes, in evaluation order: its
    /// objective, then every objective that counts it as a contributing child or reads it through a linked KR.
    pub(crate) fn affected_by(&self, kr: KrIx) -> Vec<ObjIx> {
        // A set of what was reached, not a flag per objective: a check-in reaches a handful of objectives.
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![self.key_results.at(kr).objective];
        let mut out = Vec::new();
        while let Some(o) = stack.pop() {
            if !seen.insert(o) {
                continue;
            }
            out.push(o);
            let node = self.objectives.at(o);
            stack.extend(
                node.parents
                    .iter()
                    .filter(|(_, e)| e.mode == AlignmentMode::Contributes)
                    .map(|(p, _)| *p),
            );
            stack.extend(node.linked_by.iter().map(|k| self.key_results.at(*k).objective));
        }
        out.sort_by_key(|o| self.rank.get(o.index()).copied().unwrap_or(usize::MAX));
        out
    }
}

impl Evaluation {
    /// Adds a check-in to `model` and re-evaluates only what it can change. The result equals a full
    /// [`crate::evaluate`] of the updated model at the same as-of date and settings. Returns the ids of the
    /// objectives re-evaluated.
    pub fn apply_check_in(&mut self, model: &mut Model, check_in: CheckIn) -> Result<Vec<String>, Error> {
        if self.key_results.len() != model.key_results.len()
            || self.objectives.len() != model.objectives.len()
        {
            return Err(Error::invalid(vec![Problem::new(
                Code::E_INVALID_VALUE,
                "$",
                None,
                "this evaluation was not computed from this model",
            )]));
        }
        let kr = model.apply_check_in(check_in)?;
        let affected = model.affected_by(kr);
        let mut terms = Vec::new();
        let elapsed = super::pace::elapsed_by_cycle(model, self.as_of);
        for &o in &affected {
            evaluate_in_place(
                model,
                o,
                &mut self.key_results,
                &mut self.objectives,
                None,
                super::At {
                    as_of: self.as_of,
                    settings: &self.settings,
                    elapsed: &elapsed,
                },
                false,
                &mut terms,
            );
        }
        Ok(affected
            .iter()
            .map(|o| model.objectives.at(*o).def.id.clone())
            .collect())
    }
}
