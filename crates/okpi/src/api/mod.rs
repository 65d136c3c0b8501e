//! The call layer: one typed [`Call`] and [`Answer`] per operation, with a JSON form (after cedar-policy's
//! `ffi`). Dispatch, date parsing, limits, viewer filtering and error classification live here once; the Python
//! module, the C ABI and the CLI sit on it and add only their language's conventions.
//!
//! ```
//! let model = okpi::Model::from_json(r#"{"schema_version": 1,
//!   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
//!   "objectives": [{"id": "o1", "cycle": "q1"}],
//!   "key_results": [{"id": "kr1", "objective": "o1", "kind": "increase", "start": 0, "target": 200}],
//!   "check_ins": [{"key_result": "kr1", "date": "2026-02-01", "value": 50}]}"#)?;
//! let out = okpi::api::call_json(&model, r#"{"op": "evaluate", "as_of": "2026-02-01"}"#);
//! let v: serde_json::Value = serde_json::from_str(&out).unwrap();
//! assert_eq!(v["ok"]["key_results"][0]["progress"], 0.25);
//! let out = okpi::api::call_json(&model, r#"{"op": "evaluate", "as_of": "2026-02-30"}"#);
//! let v: serde_json::Value = serde_json::from_str(&out).unwrap();
//! assert_eq!(v["error"]["kind"], "argument");
//! assert_eq!(v["error"]["problems"][0]["path"], "$.as_of");
//! # Ok::<(), okpi::Error>(())
//! ```
//!
//! The JSON Schema of every call and answer is `schema/okpi.schema.json` (the `schema` feature generates it).

mod answer;
pub mod call;
mod json;
#[cfg(feature = "schema")]
pub mod schema;

pub use crate::error::{Error, ErrorKind};
pub use answer::{Answer, SeriesAnswer};
pub use call::{Call, OPS};

use crate::access::{View, ViewRequest};
use crate::error::Code;
use crate::{Document, Limits, Model};
use chrono::NaiveDate;

/// Runs a call on a model. `apply_check_in` changes the model, so it is refused here (`E_INVALID_VALUE` at
/// `$.op`): use [`call_mut`].
pub fn call(model: &Model, call: Call) -> Result<Answer, Error> {
    if matches!(call, Call::ApplyCheckIn(_)) {
        return Err(Error::bad_argument(
            Code::E_INVALID_VALUE,
            "$.op",
            String::from("apply_check_in changes the model: it needs a mutable one"),
        ));
    }
    run(model, call)
}

/// Runs a call on a model that it may change (`apply_check_in`: a refused check-in leaves it unchanged).
pub fn call_mut(model: &mut Model, call: Call) -> Result<Answer, Error> {
    match call {
        Call::ApplyCheckIn(c) => {
            model.apply_check_in(c.check_in)?;
            Ok(Answer::Applied)
        }
        other => run(model, other),
    }
}

/// Runs a call given as JSON, read under the model's limits; answers `{"ok": <the result's JSON>}` or
/// `{"error": {"kind", "message", "problems": [{"code", "path", "id", "message"}]}}`.
pub fn call_json(model: &Model, text: &str) -> String {
    envelope(json::read(text, model.limits()).and_then(|c| call(model, c)))
}

/// [`call_json`] on a model the call may change.
pub fn call_json_mut(model: &mut Model, text: &str) -> String {
    let outcome = json::read(text, model.limits()).and_then(|c| call_mut(model, c));
    envelope(outcome)
}

/// Reads a call's JSON form under `limits`, every problem with its JSON path.
pub fn read_call(text: &str, limits: &Limits) -> Result<Call, Error> {
    json::read(text, limits)
}

/// Validates `doc` under `limits` (the model takes it over) and runs a read-only call on it. With a viewer, the
/// viewer is resolved first (an unknown one learns nothing about the document) and the problems of a document that
/// does not validate are filtered for them too, as [`crate::access::run_as`] does.
pub fn call_document(doc: Document, limits: &Limits, c: Call) -> Result<Answer, Error> {
    let Some(request) = viewer_of(&c) else {
        return call(&Model::new_with_limits(doc, limits)?, c);
    };
    let model = crate::access::model_for(doc, limits, request, Error::argument)?;
    call(&model, c)
}

/// The success or error envelope of [`call_json`].
fn envelope(outcome: Result<Answer, Error>) -> String {
    match outcome {
        Ok(a) => format!("{{\"ok\":{}}}", a.to_json()),
        Err(e) => e.to_json(),
    }
}

/// The viewer a call is run for.
fn viewer_of(c: &Call) -> Option<&ViewRequest> {
    match c {
        Call::Evaluate(c) => c.viewer.as_ref(),
        Call::Explain(c) => c.viewer.as_ref(),
        Call::CheckIns(c) => c.viewer.as_ref(),
        Call::Query(c) => c.viewer.as_ref(),
        Call::QueryUnits(c) => c.viewer.as_ref(),
        Call::Score(c) => c.viewer.as_ref(),
        Call::Scorecards(c) => c.viewer.as_ref(),
        Call::Alerts(c) => c.viewer.as_ref(),
        Call::Diagnose(c) => c.viewer.as_ref(),
        Call::StrategyView(c) => c.viewer.as_ref(),
        _ => None,
    }
}

/// Runs a call; with a viewer, the answer or the error is filtered for them.
fn run(model: &Model, c: Call) -> Result<Answer, Error> {
    let Some(request) = viewer_of(&c) else {
        return compute(model, c, None);
    };
    let view = View::new(model, &request.viewer(), &request.settings).map_err(Error::argument)?;
    match compute(model, c, Some(&view)) {
        Ok(a) => Ok(view.apply(a)),
        Err(e) => Err(view.apply(e)),
    }
}

/// A `YYYY-MM-DD` field of a call, read strictly: a malformed one is `E_PARSE` at `$.<name>` (an argument error).
pub fn date(text: &str, name: &str) -> Result<NaiveDate, Error> {
    crate::model::parse_date(text)
        .map_err(|e| Error::bad_argument(Code::E_PARSE, &format!("$.{name}"), format!("{name}: {e}")))
}

/// Checked evaluation settings (absent: the defaults).
fn settings(s: Option<crate::Settings>) -> Result<crate::Settings, Error> {
    let s = s.unwrap_or_default();
    s.check()?;
    Ok(s)
}

fn compute(model: &Model, c: Call, view: Option<&View<'_>>) -> Result<Answer, Error> {
    Ok(match c {
        Call::Evaluate(c) => {
            let (day, s) = (date(&c.as_of, "as_of")?, settings(c.settings)?);
            Answer::Evaluation(crate::evaluate(model, day, &s)?)
        }
        Call::Explain(c) => {
            let quantity: crate::okr::Quantity =
                serde_json::from_value(serde_json::Value::String(c.quantity.clone())).map_err(|_| {
                    Error::bad_argument(
                        Code::E_INVALID_VALUE,
                        "$.quantity",
                        format!(
                            "quantity {:?} is not one of progress, expected, status, confidence, score",
                            c.quantity
                        ),
                    )
                })?;
            let (day, s) = (date(&c.as_of, "as_of")?, settings(c.settings)?);
            let why = crate::evaluate(model, day, &s)?.explain(model, &c.id, quantity);
            let why = match view {
                Some(v) => v.apply(why),
                None => why,
            };
            Answer::Explanation(why.ok_or_else(|| {
                Error::bad_argument(
                    Code::E_UNKNOWN_ID,
                    "$.id",
                    format!("no key result or objective has the id {:?}", c.id),
                )
            })?)
        }
        Call::CheckIns(c) => {
            let day = date(&c.as_of, "as_of")?;
            let hidden = view.is_some_and(|v| !v.sees_key_result(&c.key_result));
            let list = model.check_ins(&c.key_result, day).filter(|_| !hidden);
            Answer::CheckIns(list.ok_or_else(|| {
                Error::bad_argument(
                    Code::E_UNKNOWN_ID,
                    "$.key_result",
                    format!("no key result has the id {:?}", c.key_result),
                )
            })?)
        }
        Call::ApplyCheckIn(_) => {
            return Err(Error::bad_argument(
                Code::E_INVALID_VALUE,
                "$.op",
                String::from("apply_check_in changes the model: it needs a mutable one"),
            ))
        }
        Call::Query(c) => Answer::Query(crate::kpi::query(model, &c.query)?),
        Call::QueryUnits(c) => Answer::Query(crate::kpi::query_units(model, &c.query_units)?),
        Call::Score(c) => Answer::Score(crate::kpi::score(model, date(&c.as_of, "as_of")?)?),
        Call::Scorecards(c) => Answer::Scorecards(crate::hybrid::scorecards(model, &c.scorecards)?),
        Call::Alerts(c) => {
            let (from, to) = (date(&c.from, "from")?, date(&c.to, "to")?);
            Answer::Alerts(crate::alert::evaluate_rules(model, from, to, &c.states)?)
        }
        Call::AlertSeries(c) => {
            let problems = crate::alert::validate_rule_with_limits(&c.rule, "$.rule", model.limits());
            if !problems.is_empty() {
                return Err(crate::Error::invalid(problems));
            }
            model.limits().check_series(c.series.len(), "$.series")?;
            let (state, events) = crate::alert::evaluate_series(&c.rule, c.state, &c.series);
            Answer::AlertSeries(SeriesAnswer { state, events })
        }
        Call::Diagnose(c) => {
            let (day, s) = (date(&c.as_of, "as_of")?, settings(c.settings)?);
            let ev = crate::evaluate(model, day, &s)?;
            let rules = c.diagnose_settings.unwrap_or_default();
            Answer::Diagnosis(crate::diagnose::diagnose(model, &ev, &rules)?)
        }
        Call::StrategyView(c) => {
            let day = date(&c.as_of, "as_of")?;
            let s = c.settings.unwrap_or_default();
            s.check()?;
            Answer::StrategyView(crate::strategy_view(model, day, &s)?)
        }
        Call::Advise(c) => {
            let s = c.settings.unwrap_or_default();
            match (c.profile, c.profiles) {
                (Some(p), None) => Answer::Advice(crate::decide::advise(&p, &s)?),
                (None, Some(ps)) => Answer::Portfolio(crate::decide::advise_all(&ps, &s)?),
                _ => {
                    return Err(Error::bad_argument(
                        Code::E_INVALID_VALUE,
                        "$.profile",
                        String::from("advise needs exactly one of profile and profiles"),
                    ))
                }
            }
        }
        Call::Filter(c) => {
            let view = View::new(model, &c.viewer.viewer(), &c.viewer.settings).map_err(Error::argument)?;
            let report = crate::access::filter_report(&view, &c.kind, c.report.get()).map_err(|e| {
                let kind = e.problems().iter().any(|p| p.path == "$.kind");
                if kind {
                    Error::argument(e)
                } else {
                    e
                }
            })?;
            Answer::Filtered(Box::new(report))
        }
        Call::Document(_) => Answer::Document(Box::new(model.to_document())),
    })
}

#[cfg(test)]
mod tests {
    use super::{call, call_json, call_json_mut, read_call, Call, ErrorKind, OPS};
    use crate::{Limits, Model};
    use serde_json::Value;

    const DOC: &str = r#"{"schema_version": 1,
      "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
      "people": [{"id": "ann"}, {"id": "bob"}],
      "objectives": [{"id": "o1", "cycle": "q1", "owner": {"person": "bob"}, "visibility": "private"}],
      "key_results": [{"id": "kr1", "objective": "o1", "kind": "increase", "start": 0, "target": 200}],
      "check_ins": [{"key_result": "kr1", "date": "2026-02-01", "value": 50}]}"#;

    fn out(model: &Model, text: &str) -> Value {
        serde_json::from_str(&call_json(model, text)).unwrap()
    }

    #[test]
    fn an_answer_is_the_results_json_byte_for_byte() {
        let m = Model::from_json(DOC).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let direct = crate::evaluate(&m, day, &crate::Settings::default())
            .unwrap()
            .to_json();
        let text = call_json(&m, r#"{"op": "evaluate", "as_of": "2026-02-01"}"#);
        assert_eq!(text, format!("{{\"ok\":{direct}}}"));
        let doc = call_json(&m, r#"{"op": "document"}"#);
        assert_eq!(doc, format!("{{\"ok\":{}}}", m.to_document().to_json()));
    }

    #[test]
    fn problems_keep_the_json_path_inside_the_call() {
        let m = Model::from_json(DOC).unwrap();
        let v = out(
            &m,
            r#"{"op": "evaluate", "as_of": "2026-02-01", "settings": {"overshoot": 3}}"#,
        );
        assert_eq!(v["error"]["kind"], "parse");
        assert_eq!(v["error"]["problems"][0]["path"], "$.settings.overshoot");
        let v = out(
            &m,
            r#"{"op": "evaluate", "as_of": "2026-02-01", "settings": {"on_track_tolerance": -1}}"#,
        );
        assert_eq!(v["error"]["kind"], "settings");
        assert_eq!(v["error"]["problems"][0]["path"], "$.settings.on_track_tolerance");
        let v = out(&m, r#"{"op": "evaluate", "as_of": "2026-2-1"}"#);
        assert_eq!(
            (
                v["error"]["kind"].as_str(),
                v["error"]["problems"][0]["code"].as_str()
            ),
            (Some("argument"), Some("E_PARSE"))
        );
        let v = out(&m, r#"{"op": "evaluate", "as_of": "2026-02-01", "extra": 1}"#);
        assert_eq!(v["error"]["problems"][0]["path"], "$");
        assert!(v["error"]["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("extra"));
        let v = out(&m, r#"{"op": "nope"}"#);
        assert_eq!(v["error"]["problems"][0]["path"], "$.op");
        let v = out(&m, r#"{"as_of": "2026-02-01"}"#);
        assert_eq!(v["error"]["problems"][0]["code"], "E_MISSING_FIELD");
    }

    #[test]
    fn every_op_reads_back_as_serde_reads_it() {
        let limits = Limits::default();
        for text in [
            r#"{"op": "evaluate", "as_of": "2026-02-01", "settings": {"rollup": "by_value"}}"#,
            r#"{"op": "check_ins", "as_of": "2026-02-01", "key_result": "kr1"}"#,
            r#"{"op": "score", "as_of": "2026-02-01", "viewer": {"person": "ann"}}"#,
            r#"{"op": "document"}"#,
        ] {
            let ours = read_call(text, &limits).unwrap();
            let serdes: Call = serde_json::from_str(text).unwrap();
            assert_eq!(ours, serdes, "{text}");
            assert!(OPS.contains(&ours.op()));
        }
    }

    #[test]
    fn a_viewer_sees_only_what_they_may() {
        let m = Model::from_json(DOC).unwrap();
        let v = out(
            &m,
            r#"{"op": "evaluate", "as_of": "2026-02-01", "viewer": {"person": "ann"}}"#,
        );
        assert_eq!(v["ok"]["key_results"], serde_json::json!([]));
        let v = out(
            &m,
            r#"{"op": "evaluate", "as_of": "2026-02-01", "viewer": {"person": "bob"}}"#,
        );
        assert_eq!(v["ok"]["key_results"][0]["id"], "kr1");
        let v = out(
            &m,
            r#"{"op": "explain", "as_of": "2026-02-01", "id": "kr1", "quantity": "progress", "viewer": {"person": "ann"}}"#,
        );
        assert_eq!(v["error"]["problems"][0]["code"], "E_UNKNOWN_ID");
        let v = out(
            &m,
            r#"{"op": "evaluate", "as_of": "2026-02-01", "viewer": {"person": "zed"}}"#,
        );
        assert_eq!(
            (
                v["error"]["kind"].as_str(),
                v["error"]["problems"][0]["path"].as_str()
            ),
            (Some("argument"), Some("$.viewer.person"))
        );
    }

    #[test]
    fn a_report_is_filtered_as_written() {
        let m = Model::from_json(DOC).unwrap();
        let ev = call_json(&m, r#"{"op": "evaluate", "as_of": "2026-02-01"}"#);
        let report = ev
            .strip_prefix("{\"ok\":")
            .and_then(|r| r.strip_suffix('}'))
            .unwrap();
        let as_bob = format!(
            r#"{{"op": "filter", "kind": "evaluation", "report": {report}, "viewer": {{"person": "bob"}}}}"#
        );
        assert_eq!(call_json(&m, &as_bob), ev);
        let as_ann = as_bob.replace("bob", "ann");
        let v = out(&m, &as_ann);
        assert_eq!(v["ok"]["key_results"], serde_json::json!([]));
        let v = out(&m, &as_bob.replace("\"evaluation\"", "\"poem\""));
        assert_eq!(
            (
                v["error"]["kind"].as_str(),
                v["error"]["problems"][0]["path"].as_str()
            ),
            (Some("argument"), Some("$.kind"))
        );
        let v = out(
            &m,
            r#"{"op": "filter", "kind": "evaluation", "report": {"as_of": 3}, "viewer": {"person": "bob"}}"#,
        );
        assert_eq!(v["error"]["problems"][0]["path"], "$.report.as_of");
    }

    #[test]
    fn query_units_answers_as_the_core_does() {
        let doc = r#"{"schema_version": 1, "org_units": [{"id": "u"}],
          "measures": [{"id": "sales"}],
          "metrics": [{"id": "m", "kind": "simple", "measure": "sales"}],
          "observations": [{"measure": "sales", "date": "2026-01-05", "value": 3, "dims": {"unit": "u"}}]}"#;
        let m = Model::from_json(doc).unwrap();
        let q = r#"{"metric": "m", "grain": "month", "from": "2026-01-01", "to": "2026-01-31"}"#;
        let direct = crate::kpi::query_units(&m, &crate::text::parse_json(q).unwrap()).unwrap();
        let text = call_json(&m, &format!(r#"{{"op": "query_units", "query_units": {q}}}"#));
        assert_eq!(
            text,
            format!("{{\"ok\":{}}}", serde_json::to_string(&direct).unwrap())
        );
    }

    #[test]
    fn a_check_in_needs_a_mutable_model() {
        let mut m = Model::from_json(DOC).unwrap();
        let add = r#"{"op": "apply_check_in", "check_in": {"key_result": "kr1", "date": "2026-02-10", "value": 100}}"#;
        let c = read_call(add, m.limits()).unwrap();
        assert_eq!(call(&m, c).unwrap_err().kind(), ErrorKind::Argument);
        assert_eq!(call_json_mut(&mut m, add), r#"{"ok":null}"#);
        let v = out(&m, r#"{"op": "evaluate", "as_of": "2026-02-10"}"#);
        assert_eq!(v["ok"]["key_results"][0]["progress"], 0.5);
        let bad = r#"{"op": "apply_check_in", "check_in": {"key_result": "nope", "date": "2026-02-10", "value": 1}}"#;
        let v: Value = serde_json::from_str(&call_json_mut(&mut m, bad)).unwrap();
        assert_eq!(v["error"]["kind"], "invalid");
    }

    #[test]
    fn the_calls_text_is_read_under_the_models_limits() {
        let limits = Limits::from_json(r#"{"json_depth": 4}"#).unwrap();
        let m = Model::from_json_with_limits(DOC, &limits).unwrap();
        let v = out(
            &m,
            r#"{"op": "query", "query": {"metric": "m", "filters": {"a": [[[1]]]}}}"#,
        );
        assert_eq!(v["error"]["kind"], "limit");
    }
}
