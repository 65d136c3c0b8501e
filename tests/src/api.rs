//! The shared vectors run through the call layer: each case's call built as the JSON form of an
//! [`okpi::api::Call`], run by [`okpi::api::call_json`] on the case's model, the answer (`{"ok": …}`) or the error
//! (`{"error": {"problems": […]}}`) checked against the same `expect` and `expect_error` as [`crate`]'s runners.
//!
//! Paths differ only where the call's JSON form nests an input the direct runners read on its own: an alert rule
//! sits under `$.rule`, so its problems' paths are compared with `$` read as `$.rule`.

use crate::{document_bytes, error_mismatches, subset_mismatches};
use serde_json::{json, Map, Value};

/// What a case's call came to: the answer's JSON, or the error's problems as a core error.
type Outcome = Result<Value, okpi::Error>;

/// Reads `call_json`'s envelope back.
fn envelope(text: &str) -> Outcome {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        okpi::Error::parse(okpi::Problem::new(
            okpi::Code::E_PARSE,
            "$",
            None,
            format!("envelope: {e}"),
        ))
    })?;
    if let Some(ok) = v.get("ok") {
        return Ok(ok.clone());
    }
    let problems = v
        .pointer("/error/problems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            let code = okpi::Code::ALL
                .iter()
                .copied()
                .find(|c| c.as_str() == s("code"))
                .unwrap_or(okpi::Code::E_PARSE);
            okpi::Problem::new(code, s("path"), p.get("id").and_then(Value::as_str), s("message"))
        })
        .collect();
    Err(okpi::Error::invalid(problems))
}

/// The call's JSON: `op` and the fields of `fields` that are present.
fn call(op: &str, fields: &[(&str, Option<Value>)]) -> String {
    let mut m = Map::new();
    m.insert("op".into(), op.into());
    for (k, v) in fields {
        if let Some(v) = v {
            m.insert((*k).into(), v.clone());
        }
    }
    Value::Object(m).to_string()
}

/// The case's model, read under `limits`.
fn model(case: &Value, limits: &okpi::Limits) -> Result<okpi::Model, okpi::Error> {
    let doc = okpi::Document::from_slice_with_limits(&document_bytes(case), limits)?;
    okpi::Model::new_with_limits(doc.clone(), limits)
}

/// Runs the call `text` on the case's model.
fn on_model(case: &Value, text: &str) -> Outcome {
    envelope(&okpi::api::call_json(
        &model(case, &okpi::Limits::default())?,
        text,
    ))
}

/// Compares as [`crate`]'s runners do.
fn compare(case: &Value, outcome: Outcome) -> Vec<String> {
    match (outcome, case.get("expect"), case.get("expect_error")) {
        (Ok(v), Some(expect), None) => subset_mismatches(expect, &v, "$"),
        (Err(e), None, Some(expect)) => error_mismatches(expect, &e),
        (Ok(_), _, Some(_)) => vec![String::from("expected an error, got a result")],
        (Err(e), _, _) => vec![format!("unexpected error: {e}\n{:#?}", e.problems())],
        (Ok(_), None, None) => vec![String::from("case has neither expect nor expect_error")],
    }
}

fn field(case: &Value, k: &str) -> Option<Value> {
    case.get(k).cloned()
}

/// An OKR case: `evaluate`.
pub fn run_okr_case(case: &Value) -> Vec<String> {
    let text = call(
        "evaluate",
        &[
            ("as_of", field(case, "as_of")),
            ("settings", field(case, "settings")),
        ],
    );
    compare(case, on_model(case, &text))
}

/// A diagnostics case: `diagnose`.
pub fn run_diagnose_case(case: &Value) -> Vec<String> {
    let text = call(
        "diagnose",
        &[
            ("as_of", field(case, "as_of")),
            ("settings", field(case, "settings")),
            ("diagnose_settings", field(case, "diagnose_settings")),
        ],
    );
    compare(case, on_model(case, &text))
}

/// An advisor case: `advise` on an empty model.
pub fn run_advisor_case(case: &Value) -> Vec<String> {
    let text = call(
        "advise",
        &[
            ("profile", field(case, "profile")),
            ("profiles", field(case, "profiles")),
            ("settings", field(case, "settings")),
        ],
    );
    let model = okpi::Model::new(okpi::Document::new());
    compare(
        case,
        model.and_then(|m| envelope(&okpi::api::call_json(&m, &text))),
    )
}

/// A rule's problems read with `$` as `$.rule`, as the call nests it (other inputs keep their paths).
fn under_rule(expect: &Value) -> Value {
    let moved = expect.as_array().map(|a| {
        a.iter()
            .map(|p| {
                let mut p = p.clone();
                if let Some(path) = p.get("path").and_then(Value::as_str) {
                    if !path.starts_with("$.series") && !path.starts_with("$.state") {
                        let path = path.replacen('$', "$.rule", 1);
                        if let Some(o) = p.as_object_mut() {
                            o.insert("path".into(), path.into());
                        }
                    }
                }
                p
            })
            .collect::<Vec<_>>()
    });
    moved.map_or(Value::Null, Value::Array)
}

/// An alert case: `alert_series` on an empty model.
pub fn run_alert_case(case: &Value) -> Vec<String> {
    let text = call(
        "alert_series",
        &[
            ("rule", field(case, "rule")),
            ("state", field(case, "state")),
            ("series", field(case, "series")),
        ],
    );
    let outcome =
        okpi::Model::new(okpi::Document::new()).and_then(|m| envelope(&okpi::api::call_json(&m, &text)));
    match (outcome, case.get("expect_error")) {
        (Err(e), Some(expect)) => error_mismatches(&under_rule(expect), &e),
        (Err(e), None) => vec![format!("unexpected error: {e}")],
        (Ok(_), Some(_)) => vec![String::from("expected an error, the rule was accepted")],
        (Ok(v), None) => {
            let mut out = match case.get("expect_events") {
                Some(expect) => {
                    subset_mismatches(expect, v.get("events").unwrap_or(&Value::Null), "$.events")
                }
                None => vec![String::from("case has neither expect_events nor expect_error")],
            };
            if let Some(expect) = case.get("expect_state") {
                out.extend(subset_mismatches(
                    expect,
                    v.get("state").unwrap_or(&Value::Null),
                    "$.state",
                ));
            }
            out
        }
    }
}

/// A KPI case: `query`, `score` or `scorecards`, or `document` (validation only).
pub fn run_kpi_case(case: &Value) -> Vec<String> {
    let text = if let Some(q) = field(case, "query") {
        call("query", &[("query", Some(q))])
    } else if let Some(s) = case.get("score") {
        call("score", &[("as_of", s.get("as_of").cloned())])
    } else if let Some(r) = field(case, "scorecards") {
        call("scorecards", &[("scorecards", Some(r))])
    } else {
        call("document", &[])
    };
    let outcome = on_model(case, &text);
    if text.contains("\"document\"") {
        return compare(case, outcome.map(|_| Value::Null));
    }
    compare(case, outcome)
}

/// A hybrid case: `strategy_view` and `evaluate` with the strategy settings' evaluation settings.
pub fn run_hybrid_case(case: &Value) -> Vec<String> {
    let outcome = (|| -> Outcome {
        let m = model(case, &okpi::Limits::default())?;
        let settings = field(case, "settings");
        let evaluation = settings.as_ref().and_then(|s| s.get("evaluation").cloned());
        let view = call(
            "strategy_view",
            &[("as_of", field(case, "as_of")), ("settings", settings)],
        );
        let view = envelope(&okpi::api::call_json(&m, &view))?;
        let ev = call(
            "evaluate",
            &[("as_of", field(case, "as_of")), ("settings", evaluation)],
        );
        let ev = envelope(&okpi::api::call_json(&m, &ev))?;
        Ok(json!({ "evaluation": ev, "strategy_view": view }))
    })();
    compare(case, outcome)
}

/// An access case: the report's call with the case's `viewer`, on the model, or through
/// [`okpi::api::call_document`] when the document does not validate (its problems filtered for the viewer).
pub fn run_access_case(case: &Value) -> Vec<String> {
    let viewer = ("viewer", field(case, "viewer"));
    let as_of = ("as_of", field(case, "as_of"));
    let text = match case.get("report").and_then(Value::as_str).unwrap_or("evaluation") {
        "query" => call("query", &[("query", field(case, "query")), viewer]),
        "query_units" => call("query_units", &[("query_units", field(case, "query")), viewer]),
        "check_ins" => call(
            "check_ins",
            &[as_of, ("key_result", field(case, "key_result")), viewer],
        ),
        "score" => call("score", &[as_of, viewer]),
        "scorecards" => call("scorecards", &[("scorecards", field(case, "scorecards")), viewer]),
        "alerts" => {
            let range = case.get("alerts").cloned().unwrap_or(Value::Null);
            call(
                "alerts",
                &[
                    ("from", range.get("from").cloned()),
                    ("to", range.get("to").cloned()),
                    viewer,
                ],
            )
        }
        "strategy_view" => call("strategy_view", &[as_of, viewer]),
        "diagnosis" => call(
            "diagnose",
            &[
                as_of,
                ("settings", field(case, "settings")),
                ("diagnose_settings", field(case, "diagnose_settings")),
                viewer,
            ],
        ),
        _ => call(
            "evaluate",
            &[as_of, ("settings", field(case, "settings")), viewer],
        ),
    };
    let outcome = (|| -> Outcome {
        let limits = okpi::Limits::default();
        let doc = okpi::Document::from_slice_with_limits(&document_bytes(case), &limits)?;
        let c = okpi::api::read_call(&text, &limits)?;
        let answer = okpi::api::call_document(doc, &limits, c)?;
        serde_json::from_str(&answer.to_json()).map_err(|e| {
            okpi::Error::parse(okpi::Problem::new(okpi::Code::E_PARSE, "$", None, e.to_string()))
        })
    })();
    let text = match &outcome {
        Ok(v) => v.to_string(),
        Err(e) => serde_json::to_string(e.problems()).unwrap_or_default(),
    };
    let mut out = compare(case, outcome);
    for s in case.get("absent").and_then(Value::as_array).into_iter().flatten() {
        let s = s.as_str().unwrap_or_default();
        if !s.is_empty() && text.contains(s) {
            out.push(format!("{s:?} occurs in the filtered outcome: {text}"));
        }
    }
    out
}

/// A bad-input case: the document read and validated under the case's `limits`, then the case's call
/// (`evaluate`, `kpi_query` as `query`, `alert_evaluate` as `alert_series` on an empty model, else `document`)
/// through `call_json` under the same limits.
pub fn run_error_case(case: &Value) -> Vec<String> {
    let Some(expect) = case.get("expect_error") else {
        return vec![String::from("case has no expect_error")];
    };
    let outcome = (|| -> Outcome {
        let limits = match case.get("limits") {
            Some(l) => okpi::Limits::from_json(&l.to_string())?,
            None => okpi::Limits::default(),
        };
        let kind = case.get("call").and_then(Value::as_str).unwrap_or("validate");
        let (m, text) = match kind {
            "alert_evaluate" => (
                okpi::Model::new_with_limits(okpi::Document::new(), &limits)?,
                call(
                    "alert_series",
                    &[
                        ("rule", field(case, "rule")),
                        ("state", field(case, "state")),
                        ("series", field(case, "series")),
                    ],
                ),
            ),
            "evaluate" => (
                model(case, &limits)?,
                call(
                    "evaluate",
                    &[
                        ("as_of", field(case, "as_of")),
                        ("settings", field(case, "settings")),
                    ],
                ),
            ),
            "kpi_query" => (
                model(case, &limits)?,
                call("query", &[("query", field(case, "query"))]),
            ),
            _ => (model(case, &limits)?, call("document", &[])),
        };
        envelope(&okpi::api::call_json(&m, &text))
    })();
    let alert = case.get("call").and_then(Value::as_str) == Some("alert_evaluate");
    match outcome {
        Ok(_) => vec![String::from("expected an error, the call succeeded")],
        Err(e) if alert => error_mismatches(&under_rule(expect), &e),
        Err(e) => error_mismatches(expect, &e),
    }
}
