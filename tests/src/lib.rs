//! okpi-conformance: the runner for the shared vectors in `tests/vectors/<area>/*.json`, and the bodies of the
//! fuzz targets ([`fuzz`]).
//!
//! One file is one case: `name`, `why` (the hand arithmetic), `document`, `as_of`, optional `settings`, and
//! either `expect` (only the fields the case checks) or `expect_error` (every problem's code and path).
//! Python and C run the same files with the same logic: load, call, compare.

pub mod api;
pub mod fuzz;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Floats in `expect` match within this.
pub const TOLERANCE: f64 = 1e-9;

/// The folder that holds the shared vectors.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// The areas of the vectors (their folders), sorted.
pub fn areas() -> Vec<String> {
    let mut areas: Vec<String> = std::fs::read_dir(vectors_dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    areas.sort();
    areas
}

/// Every case of one area, as `(file name, parsed JSON)`, sorted by file name.
pub fn cases(area: &str) -> Result<Vec<(String, Value)>, String> {
    let dir = vectors_dir().join(area);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{name}: {e}"))?;
            let json = serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
            Ok((name, json))
        })
        .collect()
}

/// Checks that every field of `expect` is present in `actual` with an equal value (floats within
/// [`TOLERANCE`]). An object in `expect` matched against an array of objects selects elements by their `id`.
/// Returns one line per mismatch.
pub fn subset_mismatches(expect: &Value, actual: &Value, path: &str) -> Vec<String> {
    match (expect, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .flat_map(|(k, ev)| match a.get(k) {
                Some(av) => subset_mismatches(ev, av, &format!("{path}.{k}")),
                None if ev.is_null() => Vec::new(),
                None => vec![format!("{path}.{k}: missing, expected {ev}")],
            })
            .collect(),
        (Value::Object(e), Value::Array(items)) => {
            let mut out: Vec<String> = e
                .iter()
                .flat_map(|(id, ev)| {
                    match items
                        .iter()
                        .find(|it| it.get("id").and_then(Value::as_str) == Some(id.as_str()))
                    {
                        Some(av) => subset_mismatches(ev, av, &format!("{path}[id={id}]")),
                        None => vec![format!("{path}: no item with id {id}")],
                    }
                })
                .collect();
            // Every item of the result is one the case lists: an extra item is a mismatch.
            out.extend(items.iter().filter_map(|it| {
                let id = it.get("id").and_then(Value::as_str).unwrap_or_default();
                (!e.contains_key(id)).then(|| format!("{path}: unexpected item with id {id:?}"))
            }));
            out
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return vec![format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                )];
            }
            e.iter()
                .zip(a)
                .enumerate()
                .flat_map(|(i, (ev, av))| subset_mismatches(ev, av, &format!("{path}[{i}]")))
                .collect()
        }
        (Value::Number(e), Value::Number(a)) => {
            let (x, y) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            if y == 0.0 && y.is_sign_negative() {
                // DOMAIN.md §0: a zero is written as 0, never −0.
                vec![format!("{path}: expected {x}, got -0")]
            } else if (x - y).abs() <= TOLERANCE {
                Vec::new()
            } else {
                vec![format!("{path}: expected {x}, got {y}")]
            }
        }
        (e, a) if e == a => Vec::new(),
        (e, a) => vec![format!("{path}: expected {e}, got {a}")],
    }
}

/// Compares the problems of an error with `expect_error` (a list of `{code, path}`), as multisets.
pub fn error_mismatches(expect: &Value, err: &okpi::Error) -> Vec<String> {
    let mut want: Vec<(String, String)> = expect
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    let f = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                    (f("code"), f("path"))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut got: Vec<(String, String)> = err
        .problems()
        .iter()
        .map(|p| (p.code.as_str().to_owned(), p.path.clone()))
        .collect();
    want.sort();
    got.sort();
    if want == got {
        Vec::new()
    } else {
        let msgs: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
        vec![format!(
            "expected problems {want:?}\n   got {got:?}\n   messages: {msgs:#?}"
        )]
    }
}

/// The date at `key` of `obj` (`path` names it in the error): a missing or unreadable date is an `E_PARSE`
/// error, never a default day.
pub fn case_date(obj: &Value, key: &str, path: &str) -> Result<chrono::NaiveDate, okpi::Error> {
    let text = obj.get(key).and_then(Value::as_str);
    text.and_then(|d| okpi::model::parse_date(d).ok()).ok_or_else(|| {
        okpi::Error::parse(okpi::Problem::new(
            okpi::Code::E_PARSE,
            path,
            None,
            format!("the case's {key} {text:?} is not a YYYY-MM-DD date"),
        ))
    })
}

/// Validates a case's `document` and evaluates it as of `as_of` with its `settings`.
fn evaluate_case(case: &Value) -> Result<(okpi::Model, okpi::Evaluation), okpi::Error> {
    let doc = okpi::Document::from_json(&case.get("document").cloned().unwrap_or(Value::Null).to_string())?;
    let model = okpi::Model::new(doc.clone())?;
    let settings = match case.get("settings") {
        Some(s) => okpi::Settings::from_json(&s.to_string())?,
        None => okpi::Settings::default(),
    };
    let as_of = case_date(case, "as_of", "$.as_of")?;
    let ev = okpi::evaluate(&model, as_of, &settings)?;
    Ok((model, ev))
}

/// Compares an outcome with the case's `expect` (as a subset) or `expect_error`.
fn compare<T: serde::Serialize>(case: &Value, outcome: Result<T, okpi::Error>) -> Vec<String> {
    match (outcome, case.get("expect"), case.get("expect_error")) {
        (Ok(v), Some(expect), None) => {
            let actual = serde_json::to_value(&v).unwrap_or(Value::Null);
            subset_mismatches(expect, &actual, "$")
        }
        (Err(e), None, Some(expect)) => error_mismatches(expect, &e),
        (Ok(_), _, Some(_)) => vec![String::from("expected an error, got a result")],
        (Err(e), _, _) => vec![format!("unexpected error: {e}\n{:#?}", e.problems())],
        (Ok(_), None, None) => vec![String::from("case has neither expect nor expect_error")],
    }
}

/// Runs one OKR case; returns the mismatches (empty when it passes).
pub fn run_okr_case(case: &Value) -> Vec<String> {
    compare(case, evaluate_case(case).map(|(_, ev)| ev))
}

/// Runs one diagnostics case: the OKR evaluation, then the rules with `diagnose_settings`.
pub fn run_diagnose_case(case: &Value) -> Vec<String> {
    let outcome = evaluate_case(case).and_then(|(model, ev)| {
        let settings: okpi::diagnose::DiagnoseSettings = match case.get("diagnose_settings") {
            Some(s) => okpi::text::parse_json(&s.to_string())?,
            None => okpi::diagnose::DiagnoseSettings::default(),
        };
        okpi::diagnose::diagnose(&model, &ev, &settings)
    });
    compare(case, outcome)
}

/// Runs one advisor case (`profile` or `profiles`, optional `settings`); returns the mismatches.
pub fn run_advisor_case(case: &Value) -> Vec<String> {
    use okpi::decide::{advise, advise_all, AdvisorSettings};
    let json = |key: &str| case.get(key).map(ToString::to_string);
    let settings: Result<AdvisorSettings, okpi::Error> =
        json("settings").map_or(Ok(AdvisorSettings::default()), |s| okpi::text::parse_json(&s));
    let outcome = settings.and_then(|settings| match json("profile") {
        Some(p) => advise(&okpi::text::parse_json(&p)?, &settings)
            .map(|a| serde_json::to_value(a).unwrap_or_default()),
        None => {
            let lines = okpi::text::parse_json::<Vec<_>>(&json("profiles").unwrap_or_default())?;
            advise_all(&lines, &settings).map(|a| serde_json::to_value(a).unwrap_or_default())
        }
    });
    compare(case, outcome)
}

/// Runs one alert case (`tests/vectors/alerts/`): `rule`, `series` of `{date, value|null}`, optional `state`,
/// then `expect_events` (every event, in order, only the listed fields compared) and optional `expect_state`,
/// or `expect_error`. Returns the mismatches (empty when it passes).
pub fn run_alert_case(case: &Value) -> Vec<String> {
    let field = |k: &str| case.get(k).cloned().unwrap_or(Value::Null);
    let rule = match okpi::alert::Rule::from_json(&field("rule").to_string()) {
        Ok(rule) => rule,
        Err(e) => {
            return match case.get("expect_error") {
                Some(expect) => error_mismatches(expect, &e),
                None => vec![format!("unexpected error: {e}\n{:#?}", e.problems())],
            }
        }
    };
    if case.get("expect_error").is_some() {
        return vec![String::from("expected an error, the rule was accepted")];
    }
    let state: okpi::alert::State = match case.get("state") {
        Some(s) => match serde_json::from_value(s.clone()) {
            Ok(s) => s,
            Err(e) => return vec![format!("bad state: {e}")],
        },
        None => okpi::alert::State::default(),
    };
    let series: Vec<okpi::alert::AlertObservation> = match serde_json::from_value(field("series")) {
        Ok(s) => s,
        Err(e) => return vec![format!("bad series: {e}")],
    };
    let (state, events) = okpi::alert::evaluate_series(&rule, state, &series);
    let mut out = Vec::new();
    match case.get("expect_events") {
        Some(expect) => {
            let actual = serde_json::to_value(&events).unwrap_or(Value::Null);
            out.extend(subset_mismatches(expect, &actual, "$.events"));
        }
        None => out.push(String::from("case has neither expect_events nor expect_error")),
    }
    if let Some(expect) = case.get("expect_state") {
        let actual = serde_json::to_value(&state).unwrap_or(Value::Null);
        out.extend(subset_mismatches(expect, &actual, "$.state"));
    }
    out
}

/// Runs one KPI case: validates `document`, then performs the call the case names — `query` (a
/// [`okpi::kpi::Query`]), `score` (`{as_of}`) or `scorecards` (a [`okpi::kpi::ScorecardRequest`]) — or only
/// validation when it names none; returns the mismatches (empty when it passes).
pub fn run_kpi_case(case: &Value) -> Vec<String> {
    let outcome = (|| -> Result<Value, okpi::Error> {
        let doc =
            okpi::Document::from_json(&case.get("document").cloned().unwrap_or(Value::Null).to_string())?;
        let model = okpi::Model::new(doc.clone())?;
        let to_value = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
        if let Some(q) = case.get("query") {
            let q: okpi::kpi::Query = okpi::text::parse_json(&q.to_string())?;
            return Ok(to_value(serde_json::to_value(okpi::kpi::query(&model, &q)?)));
        }
        if let Some(s) = case.get("score") {
            let as_of = case_date(s, "as_of", "$.score.as_of")?;
            return Ok(to_value(serde_json::to_value(okpi::kpi::score(&model, as_of)?)));
        }
        if let Some(r) = case.get("scorecards") {
            let r: okpi::kpi::ScorecardRequest = okpi::text::parse_json(&r.to_string())?;
            return Ok(to_value(serde_json::to_value(okpi::hybrid::scorecards(
                &model, &r,
            )?)));
        }
        Ok(Value::Null)
    })();
    compare(case, outcome)
}

/// Runs one hybrid case (`tests/vectors/hybrid/`): validates `document`, then computes the strategy view as of
/// `as_of` with the strategy `settings` (the OKR evaluation's under `settings.evaluation`) and the evaluation with
/// those evaluation settings; compares `{"evaluation", "strategy_view"}` with `expect`, or the error with
/// `expect_error`. Returns the mismatches (empty when it passes).
pub fn run_hybrid_case(case: &Value) -> Vec<String> {
    let outcome = (|| -> Result<Value, okpi::Error> {
        let doc =
            okpi::Document::from_json(&case.get("document").cloned().unwrap_or(Value::Null).to_string())?;
        let model = okpi::Model::new(doc.clone())?;
        let settings = match case.get("settings") {
            Some(s) => okpi::hybrid::StrategySettings::from_json(&s.to_string())?,
            None => okpi::hybrid::StrategySettings::default(),
        };
        let as_of = case_date(case, "as_of", "$.as_of")?;
        let view = okpi::strategy_view(&model, as_of, &settings)?;
        let ev = okpi::evaluate(&model, as_of, &settings.evaluation)?;
        Ok(serde_json::json!({ "evaluation": ev, "strategy_view": view }))
    })();
    compare(case, outcome)
}

/// Runs one bad-input case (`tests/vectors/errors/`): the input — `document` (JSON), `document_text` (raw
/// text), `document_hex` (raw bytes) or `generate` (see [`generate`]), or for `call: "alert_evaluate"` a
/// `rule`, `state` and `series` — read under the case's `limits`, then validated and, for `call` `evaluate`
/// (`as_of`, `settings`) or `kpi_query` (`query`), run. The call must fail with exactly the problems of
/// `expect_error` (`c_result` is the C runner's business). Returns the mismatches (empty when it passes).
pub fn run_error_case(case: &Value) -> Vec<String> {
    let Some(expect) = case.get("expect_error") else {
        return vec![String::from("case has no expect_error")];
    };
    match error_outcome(case) {
        Ok(()) => vec![String::from("expected an error, the call succeeded")],
        Err(e) => error_mismatches(expect, &e),
    }
}

fn error_outcome(case: &Value) -> Result<(), okpi::Error> {
    use okpi::text::parse_json_with;
    let limits = match case.get("limits") {
        Some(l) => okpi::Limits::from_json(&l.to_string())?,
        None => okpi::Limits::default(),
    };
    let text = |k: &str| case.get(k).map(ToString::to_string);
    let call = case.get("call").and_then(Value::as_str).unwrap_or("validate");
    if call == "alert_evaluate" {
        let rule = okpi::alert::Rule::from_json_with_limits(&text("rule").unwrap_or_default(), &limits)?;
        let state: okpi::alert::State = match text("state") {
            Some(s) => parse_json_with(&s, &limits).map_err(|e| e.under("$.state"))?,
            None => okpi::alert::State::default(),
        };
        let series: Vec<okpi::alert::AlertObservation> =
            parse_json_with(&text("series").unwrap_or_default(), &limits).map_err(|e| e.under("$.series"))?;
        limits.check_series(series.len(), "$.series")?;
        okpi::alert::evaluate_series(&rule, state, &series);
        return Ok(());
    }
    let bytes = document_bytes(case);
    let doc = okpi::Document::from_slice_with_limits(&bytes, &limits)?;
    let model = okpi::Model::new_with_limits(doc.clone(), &limits)?;
    match call {
        "evaluate" => {
            let day = case.get("as_of").and_then(Value::as_str).unwrap_or_default();
            let as_of = okpi::model::parse_date(day).map_err(|e| {
                okpi::Error::parse(okpi::Problem::new(okpi::Code::E_PARSE, "$.as_of", None, e))
            })?;
            let settings: okpi::Settings = match text("settings") {
                Some(s) => parse_json_with(&s, &limits).map_err(|e| e.under("$.settings"))?,
                None => okpi::Settings::default(),
            };
            okpi::evaluate(&model, as_of, &settings).map(drop)
        }
        "kpi_query" => {
            let q: okpi::kpi::Query = parse_json_with(&text("query").unwrap_or_default(), &limits)
                .map_err(|e| e.under("$.query"))?;
            okpi::kpi::query(&model, &q).map(drop)
        }
        _ => Ok(()),
    }
}

/// The document of a bad-input case as bytes: `document_text`, `document_hex`, `generate` or `document`.
pub fn document_bytes(case: &Value) -> Vec<u8> {
    if let Some(t) = case.get("document_text").and_then(Value::as_str) {
        return t.as_bytes().to_vec();
    }
    if let Some(h) = case.get("document_hex").and_then(Value::as_str) {
        return (0..h.len() / 2)
            .filter_map(|i| {
                h.get(2 * i..2 * i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect();
    }
    if let Some(g) = case.get("generate") {
        return generate(g).into_bytes();
    }
    case.get("document")
        .map(ToString::to_string)
        .unwrap_or_default()
        .into_bytes()
}

/// Builds the document a bad-input case describes instead of holding it (the Python and C runners build the
/// same documents):
/// - `{"chain": n}`: cycle `q` (2026-01-01..2026-03-31), objectives `o0` … `o{n-1}` in it, and alignments
///   `o{i}` → `o{i+1}` (`alignments[i]`), a chain n − 1 edges deep;
/// - `{"title_bytes": n}`: cycle `q` and one objective `o` whose title is n `x`;
/// - `{"nesting": n}`: `{"schema_version": 1, "objectives": ` then n `[`, n `]` and `}`.
pub fn generate(spec: &Value) -> String {
    let n = |k: &str| spec.get(k).and_then(Value::as_u64).map(|n| n as usize);
    const HEAD: &str =
        r#"{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}], "#;
    if let Some(n) = n("chain") {
        let objectives: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id": "o{i}", "cycle": "q"}}"#))
            .collect();
        let alignments: Vec<String> = (1..n)
            .map(|i| format!(r#"{{"child": "o{}", "parent": "o{i}"}}"#, i - 1))
            .collect();
        format!(
            r#"{HEAD}"objectives": [{}], "alignments": [{}]}}"#,
            objectives.join(", "),
            alignments.join(", ")
        )
    } else if let Some(n) = n("title_bytes") {
        format!(
            r#"{HEAD}"objectives": [{{"id": "o", "cycle": "q", "title": "{}"}}]}}"#,
            "x".repeat(n)
        )
    } else if let Some(n) = n("nesting") {
        format!(
            r#"{{"schema_version": 1, "objectives": {}{}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        )
    } else {
        String::new()
    }
}

/// Runs every case of `area` with `run`; fails unless there are at least `min` cases and all pass, listing each
/// failing file with its mismatches.
pub fn check_area(area: &str, min: usize, run: fn(&Value) -> Vec<String>) -> Result<usize, String> {
    let cases = cases(area)?;
    if cases.len() < min {
        return Err(format!(
            "expected at least {min} {area} vectors, found {}",
            cases.len()
        ));
    }
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(file, case)| {
            let problems = run(case);
            (!problems.is_empty()).then(|| format!("{file}:\n  {}", problems.join("\n  ")))
        })
        .collect();
    if failures.is_empty() {
        Ok(cases.len())
    } else {
        Err(format!(
            "{} of {} {area} vectors failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        ))
    }
}

/// Runs one access case (`tests/vectors/access/`): computes the `report` the case names (`evaluation` by default,
/// `query`, `query_units`, `score`, `scorecards`, `alerts`, `strategy_view`, `diagnosis`, `check_ins` of the case's
/// `key_result`) for its `viewer` through [`okpi::access::run_as`], then
/// compares the filtered report with `expect`, or the filtered problems with `expect_error`, and checks that none
/// of the `absent` strings occurs anywhere in the serialised outcome.
pub fn run_access_case(case: &Value) -> Vec<String> {
    use okpi::access::{run_as, ViewRequest};
    let json = |k: &str| case.get(k).cloned().unwrap_or(Value::Null).to_string();
    let outcome = (|| -> Result<Value, okpi::Error> {
        let doc = okpi::Document::from_json(&json("document"))?;
        let viewer = ViewRequest::from_json(&json("viewer"))?;
        // Read where a report needs it: a query or a scorecard request carries its own dates.
        let as_of = || case_date(case, "as_of", "$.as_of");
        let settings = match case.get("settings") {
            Some(s) => okpi::Settings::from_json(&s.to_string())?,
            None => okpi::Settings::default(),
        };
        let v = Some(&viewer);
        let value = |r: Result<Value, serde_json::Error>| r.unwrap_or(Value::Null);
        Ok(
            match case.get("report").and_then(Value::as_str).unwrap_or("evaluation") {
                "query" => {
                    let q: okpi::kpi::Query = okpi::text::parse_json(&json("query"))?;
                    value(serde_json::to_value(run_as(doc, v, |m| okpi::kpi::query(m, &q))?))
                }
                "query_units" => {
                    let q: okpi::kpi::Query = okpi::text::parse_json(&json("query"))?;
                    value(serde_json::to_value(run_as(doc, v, |m| {
                        okpi::kpi::query_units(m, &q)
                    })?))
                }
                "check_ins" => {
                    // A key result the viewer may not see is unknown to them, as in the bindings.
                    let kr = case.get("key_result").and_then(Value::as_str).unwrap_or_default();
                    let view = okpi::access::View::from_document(&doc, &viewer.viewer(), &viewer.settings)?;
                    let kr = if view.sees_key_result(kr) { kr } else { "" };
                    let day = as_of()?;
                    value(serde_json::to_value(run_as(doc, v, |m| {
                        m.check_ins(kr, day).ok_or_else(|| {
                            okpi::Error::invalid(vec![okpi::error::Problem::new(
                                okpi::Code::E_UNKNOWN_ID,
                                "$.key_result",
                                None,
                                "no such key result",
                            )])
                        })
                    })?))
                }
                "score" => value(serde_json::to_value(run_as(doc, v, |m| {
                    okpi::kpi::score(m, as_of()?)
                })?)),
                "scorecards" => {
                    let r: okpi::kpi::ScorecardRequest = okpi::text::parse_json(&json("scorecards"))?;
                    value(serde_json::to_value(run_as(doc, v, |m| {
                        okpi::hybrid::scorecards(m, &r)
                    })?))
                }
                "alerts" => {
                    let range = case.get("alerts");
                    let range = range.cloned().unwrap_or(Value::Null);
                    let (from, to) = (
                        case_date(&range, "from", "$.alerts.from")?,
                        case_date(&range, "to", "$.alerts.to")?,
                    );
                    let states = Default::default();
                    value(serde_json::to_value(run_as(doc, v, |m| {
                        okpi::alert::evaluate_rules(m, from, to, &states)
                    })?))
                }
                "strategy_view" => value(serde_json::to_value(run_as(doc, v, |m| {
                    okpi::strategy_view(m, as_of()?, &Default::default())
                })?)),
                "diagnosis" => {
                    let rules: okpi::diagnose::DiagnoseSettings = match case.get("diagnose_settings") {
                        Some(s) => okpi::text::parse_json(&s.to_string())?,
                        None => Default::default(),
                    };
                    value(serde_json::to_value(run_as(doc, v, |m| {
                        okpi::diagnose::diagnose(m, &okpi::evaluate(m, as_of()?, &settings)?, &rules)
                    })?))
                }
                _ => value(serde_json::to_value(run_as(doc, v, |m| {
                    okpi::evaluate(m, as_of()?, &settings)
                })?)),
            },
        )
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
