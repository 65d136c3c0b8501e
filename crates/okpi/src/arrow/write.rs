//! Results as record batches: one row per cell, event, target, key result or objective; the columns are the JSON
//! form's fields with the same names (nested ones flattened: a cell's group as one column per dim, a scope as
//! `scope_kind` and `scope`), dates as `Date32`, enums as their JSON names, a missing number as null.

use super::columns::day_of_date;
use crate::alert::Event;
use crate::kpi::{QueryResult, ScoreReport, ScorecardReport};
use crate::model::Scope;
use crate::report::Evaluation;
use arrow_array::builder::{BooleanBuilder, Date32Builder, Float64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::ArrowError;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The JSON name of an enum value (`on_track`, `critical` …).
fn name<T: Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Columns in the making, each a name and a builder finished in order.
#[derive(Default)]
struct Table {
    columns: Vec<(String, ArrayRef)>,
}

impl Table {
    fn text<'a>(&mut self, name: &str, values: impl Iterator<Item = Option<&'a str>>) {
        let mut b = StringBuilder::new();
        values.for_each(|v| b.append_option(v));
        self.columns.push((name.to_owned(), Arc::new(b.finish())));
    }
    fn owned(&mut self, name: &str, values: impl Iterator<Item = Option<String>>) {
        let mut b = StringBuilder::new();
        values.for_each(|v| b.append_option(v));
        self.columns.push((name.to_owned(), Arc::new(b.finish())));
    }
    fn number(&mut self, name: &str, values: impl Iterator<Item = Option<f64>>) {
        let mut b = Float64Builder::new();
        values.for_each(|v| b.append_option(v));
        self.columns.push((name.to_owned(), Arc::new(b.finish())));
    }
    fn date(&mut self, name: &str, values: impl Iterator<Item = Option<chrono::NaiveDate>>) {
        let mut b = Date32Builder::new();
        values.for_each(|v| b.append_option(v.map(day_of_date)));
        self.columns.push((name.to_owned(), Arc::new(b.finish())));
    }
    fn flag(&mut self, name: &str, values: impl Iterator<Item = bool>) {
        let mut b = BooleanBuilder::new();
        values.for_each(|v| b.append_value(v));
        self.columns.push((name.to_owned(), Arc::new(b.finish())));
    }
    fn finish(self) -> Result<RecordBatch, ArrowError> {
        RecordBatch::try_from_iter_with_nullable(self.columns.into_iter().map(|(n, a)| (n, a, true)))
    }
}

/// A query's cells: `period_start`, `period_end`, one text column per group-by dim, `value` (null when
/// undefined or withheld), `undefined`, `withheld`, `version`.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1, "measures": [{"id": "orders"}],
///   "metrics": [{"id": "o", "kind": "simple", "measure": "orders"}],
///   "observations": [{"measure": "orders", "date": "2026-03-02", "value": 3, "dims": {"ch": "app"}}]}"#)?;
/// let q: okpi::kpi::Query = serde_json::from_str(
///     r#"{"metric": "o", "grain": "month", "from": "2026-03-01", "to": "2026-03-31", "group_by": ["ch"]}"#).unwrap();
/// let batch = okpi::arrow::cells(&okpi::kpi::query(&model, &q)?).unwrap();
/// assert_eq!(batch.num_rows(), 1);
/// assert_eq!(batch.schema().field(2).name(), "ch");
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn cells(r: &QueryResult) -> Result<RecordBatch, ArrowError> {
    let c = &r.cells;
    let dims: BTreeSet<&str> = c
        .iter()
        .flat_map(|c| c.group.keys().map(crate::Id::as_str))
        .collect();
    // The group-by order is the order of the first cell's keys only when sorted; dims are sorted here too.
    let mut t = Table::default();
    t.date("period_start", c.iter().map(|c| Some(c.period_start)));
    t.date("period_end", c.iter().map(|c| Some(c.period_end)));
    for d in dims {
        t.text(d, c.iter().map(|c| c.group.get(d).map(crate::Id::as_str)));
    }
    t.number("value", c.iter().map(|c| c.value));
    t.text("undefined", c.iter().map(|c| c.undefined.as_deref()));
    t.text("withheld", c.iter().map(|c| c.withheld.as_deref()));
    t.text("version", c.iter().map(|c| Some(c.version.as_str())));
    t.finish()
}

/// Alert events: `type`, `rule`, `date`, `value`, `measure`, `threshold`, `band_lo`, `band_hi`, `severity`,
/// `explanation`.
pub fn alert_events(events: &[Event]) -> Result<RecordBatch, ArrowError> {
    let e = events;
    let mut t = Table::default();
    t.owned("type", e.iter().map(|e| name(&e.kind)));
    t.text("rule", e.iter().map(|e| Some(e.rule.as_str())));
    t.date("date", e.iter().map(|e| Some(e.date)));
    t.number("value", e.iter().map(|e| e.value));
    t.number("measure", e.iter().map(|e| e.measure));
    t.number("threshold", e.iter().map(|e| e.threshold));
    t.number("band_lo", e.iter().map(|e| e.band.map(|b| b[0])));
    t.number("band_hi", e.iter().map(|e| e.band.map(|b| b[1])));
    t.owned("severity", e.iter().map(|e| e.severity.as_ref().and_then(name)));
    t.owned("explanation", e.iter().map(|e| Some(e.explanation.to_string())));
    t.finish()
}

fn scope_parts(s: &Scope) -> (&'static str, &str) {
    match s {
        Scope::Unit(u) => ("unit", u.as_str()),
        Scope::Person(p) => ("person", p.as_str()),
    }
}

/// Target scores: `id`, `metric`, `version`, `scope_kind` (`unit` or `person`), `scope`, `cycle`, `threshold`,
/// `target`, `stretch`, `actual`, `achievement`, `score`, `cap`, `undefined`, `withheld`.
pub fn targets(r: &ScoreReport) -> Result<RecordBatch, ArrowError> {
    let x = &r.targets;
    let mut t = Table::default();
    t.text("id", x.iter().map(|x| Some(x.id.as_str())));
    t.text("metric", x.iter().map(|x| Some(x.metric.as_str())));
    t.text("version", x.iter().map(|x| Some(x.version.as_str())));
    t.text("scope_kind", x.iter().map(|x| Some(scope_parts(&x.scope).0)));
    t.text("scope", x.iter().map(|x| Some(scope_parts(&x.scope).1)));
    t.text("cycle", x.iter().map(|x| Some(x.cycle.as_str())));
    t.number("threshold", x.iter().map(|x| x.threshold));
    t.number("target", x.iter().map(|x| Some(x.target)));
    t.number("stretch", x.iter().map(|x| x.stretch));
    t.number("actual", x.iter().map(|x| x.actual));
    t.number("achievement", x.iter().map(|x| x.achievement));
    t.number("score", x.iter().map(|x| x.score));
    t.number("cap", x.iter().map(|x| Some(x.cap)));
    t.text("undefined", x.iter().map(|x| x.undefined.as_deref()));
    t.text("withheld", x.iter().map(|x| x.withheld.as_deref()));
    t.finish()
}

/// Scorecards: `id`, `subject_kind`, `subject`, `total` (null when undefined or withheld), `undefined`,
/// `withheld`, `grade`, `forced_grade`, `rank`, `okr_score`.
pub fn scorecards(r: &ScorecardReport) -> Result<RecordBatch, ArrowError> {
    let x = &r.scorecards;
    let mut t = Table::default();
    t.text("id", x.iter().map(|x| Some(x.id.as_str())));
    t.text("subject_kind", x.iter().map(|x| Some(scope_parts(&x.subject).0)));
    t.text("subject", x.iter().map(|x| Some(scope_parts(&x.subject).1)));
    t.number("total", x.iter().map(|x| x.total));
    t.text("undefined", x.iter().map(|x| x.undefined.as_deref()));
    t.text("withheld", x.iter().map(|x| x.withheld.as_deref()));
    t.text("grade", x.iter().map(|x| x.grade.as_deref()));
    t.text("forced_grade", x.iter().map(|x| x.forced_grade.as_deref()));
    // A rank is at most the number of scorecards, far below 2^53.
    t.number("rank", x.iter().map(|x| x.rank.map(|r| r as f64)));
    t.number("okr_score", x.iter().map(|x| x.okr_score));
    t.finish()
}

/// An evaluation's key results: `id`, `objective`, `kind`, `current`, `progress`, `expected`, `status`,
/// `confidence`, `score`, `score_band`, `weight`, `linked_metric` (null when not linked to a KPI).
pub fn key_results(ev: &Evaluation) -> Result<RecordBatch, ArrowError> {
    let k = &ev.key_results;
    let mut t = Table::default();
    t.text("id", k.iter().map(|k| Some(k.id.as_str())));
    t.text("objective", k.iter().map(|k| Some(k.objective.as_str())));
    t.owned("kind", k.iter().map(|k| name(&k.kind)));
    t.number("current", k.iter().map(|k| k.current.get()));
    t.number("progress", k.iter().map(|k| Some(k.progress)));
    t.number("expected", k.iter().map(|k| Some(k.expected)));
    t.owned("status", k.iter().map(|k| name(&k.status)));
    t.number("confidence", k.iter().map(|k| k.confidence.get()));
    t.number("score", k.iter().map(|k| Some(k.score)));
    t.owned("score_band", k.iter().map(|k| name(&k.score_band)));
    t.number("weight", k.iter().map(|k| Some(k.weight)));
    t.text(
        "linked_metric",
        k.iter().map(|k| k.link.as_ref().map(|l| l.metric.as_str())),
    );
    t.finish()
}

/// An evaluation's objectives: `id`, `cycle`, `kind`, `progress`, `expected`, `status`, `confidence`, `score`,
/// `score_band`, `expected_score`, `score_final`.
pub fn objectives(ev: &Evaluation) -> Result<RecordBatch, ArrowError> {
    let o = &ev.objectives;
    let mut t = Table::default();
    t.text("id", o.iter().map(|o| Some(o.id.as_str())));
    t.text("cycle", o.iter().map(|o| Some(o.cycle.as_str())));
    t.owned("kind", o.iter().map(|o| name(&o.kind)));
    t.number("progress", o.iter().map(|o| Some(o.progress)));
    t.number("expected", o.iter().map(|o| Some(o.expected)));
    t.owned("status", o.iter().map(|o| name(&o.status)));
    t.number("confidence", o.iter().map(|o| o.confidence.get()));
    t.number("score", o.iter().map(|o| Some(o.score)));
    t.owned("score_band", o.iter().map(|o| name(&o.score_band)));
    t.number("expected_score", o.iter().map(|o| Some(o.expected_score)));
    t.flag("score_final", o.iter().map(|o| o.score_final));
    t.finish()
}
