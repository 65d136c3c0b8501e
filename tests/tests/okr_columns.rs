//! `okr::evaluate_columns` (Python's `evaluate_arrays`) against `evaluate`: every number bit for bit, on
//! generated documents that use every part of the OKR model (versions, missing starts, checklists, control key
//! results, phased pace, manual, by-value and weighted roll-ups, linked objectives, KPI-linked key results,
//! private children, two cycles), under varied settings, at as-of dates before, in and after the cycles, and after
//! check-ins applied to the model; and on every document of the shared vectors at every day of its cycles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::{Duration, NaiveDate};
use okpi::model::CheckIn;
use okpi::okr::{evaluate_columns, evaluate_columns_of, Column, EvaluationColumns};
use okpi::{evaluate, Model, Settings};
use proptest::prelude::*;
use serde_json::{json, Value};

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(n)
}

fn date(n: i64) -> String {
    day(n).to_string()
}

/// Cycle `c`'s first day, as a day number (q1: 0, q2: 90; each 90 days long).
fn cycle_start(c: usize) -> i64 {
    90 * c as i64
}

/// Asserts that the columns equal the records of `evaluate`, bit for bit.
fn assert_same(model: &Model, as_of: NaiveDate, s: &Settings, what: &str) {
    let ev = evaluate(model, as_of, s).unwrap();
    let c = evaluate_columns(model, as_of, s).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let k = &ev.key_results;
    let o = &ev.objectives;
    let nan = f64::NAN;
    let checks: [(&str, Vec<u64>, Vec<u64>); 9] = [
        (
            "kr_progress",
            bits(&c.kr_progress),
            bits(&k.iter().map(|r| r.progress).collect::<Vec<_>>()),
        ),
        (
            "kr_current",
            bits(&c.kr_current),
            bits(&k.iter().map(|r| r.current.unwrap_or(nan)).collect::<Vec<_>>()),
        ),
        (
            "kr_expected",
            bits(&c.kr_expected),
            bits(&k.iter().map(|r| r.expected).collect::<Vec<_>>()),
        ),
        (
            "kr_score",
            bits(&c.kr_score),
            bits(&k.iter().map(|r| r.score).collect::<Vec<_>>()),
        ),
        (
            "kr_weight",
            bits(&c.kr_weight),
            bits(&k.iter().map(|r| r.weight).collect::<Vec<_>>()),
        ),
        (
            "objective_progress",
            bits(&c.objective_progress),
            bits(&o.iter().map(|r| r.progress).collect::<Vec<_>>()),
        ),
        (
            "objective_expected",
            bits(&c.objective_expected),
            bits(&o.iter().map(|r| r.expected).collect::<Vec<_>>()),
        ),
        (
            "objective_score",
            bits(&c.objective_score),
            bits(&o.iter().map(|r| r.score).collect::<Vec<_>>()),
        ),
        (
            "objective_confidence",
            bits(&c.objective_confidence),
            bits(&o.iter().map(|r| r.confidence.unwrap_or(nan)).collect::<Vec<_>>()),
        ),
    ];
    for (name, got, want) in checks {
        assert_eq!(got, want, "{what}: {name} as of {as_of}");
    }
    let statuses: Vec<_> = k.iter().map(|r| r.status).collect();
    assert_eq!(c.kr_status, statuses, "{what}: kr_status as of {as_of}");
    let statuses: Vec<_> = o.iter().map(|r| r.status).collect();
    assert_eq!(
        c.objective_status, statuses,
        "{what}: objective_status as of {as_of}"
    );
    assert_subsets(model, as_of, s, &c, what);
}

/// The columns asked of `evaluate_columns_of` equal the whole evaluation's `full` bit for bit, the others are
/// empty: the roll-up's own numbers alone (the lean pass, which works out no status, confidence or score), with
/// a status (a full pass), and each column alone.
fn assert_subsets(model: &Model, as_of: NaiveDate, s: &Settings, full: &EvaluationColumns, what: &str) {
    use Column::*;
    let mut subsets: Vec<Vec<Column>> = vec![
        vec![KrCurrent, KrProgress, ObjectiveProgress],
        vec![KrWeight, ObjectiveProgress],
        vec![KrProgress, KrStatus, ObjectiveProgress],
        vec![],
    ];
    // Column names round-trip (Python's `evaluate_arrays` takes them).
    for c in Column::ALL {
        assert_eq!(Column::from_name(c.name()), Some(c));
    }
    subsets.extend(Column::ALL.map(|c| vec![c]));
    for asked in subsets {
        let got = evaluate_columns_of(model, as_of, s, &asked).unwrap();
        for c in Column::ALL {
            let (g, w) = (column_bits(&got, c), column_bits(full, c));
            if asked.contains(&c) {
                assert_eq!(g, w, "{what}: {} asked with {asked:?} as of {as_of}", c.name());
            } else {
                assert!(
                    g.is_empty(),
                    "{what}: {} not asked but given ({asked:?})",
                    c.name()
                );
            }
        }
    }
}

/// Column `c` of `cols` as bits (statuses as their positions).
fn column_bits(cols: &EvaluationColumns, c: Column) -> Vec<u64> {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let codes = |v: &[okpi::Status]| v.iter().map(|s| *s as u64).collect::<Vec<_>>();
    match c {
        Column::KrProgress => bits(&cols.kr_progress),
        Column::KrCurrent => bits(&cols.kr_current),
        Column::KrExpected => bits(&cols.kr_expected),
        Column::KrScore => bits(&cols.kr_score),
        Column::KrWeight => bits(&cols.kr_weight),
        Column::KrStatus => codes(&cols.kr_status),
        Column::ObjectiveProgress => bits(&cols.objective_progress),
        Column::ObjectiveExpected => bits(&cols.objective_expected),
        Column::ObjectiveScore => bits(&cols.objective_score),
        Column::ObjectiveConfidence => bits(&cols.objective_confidence),
        Column::ObjectiveStatus => codes(&cols.objective_status),
        _ => unreachable!("a column this test does not know"),
    }
}

/// One generated key result.
#[derive(Debug, Clone)]
struct KrSpec {
    kind: u8,
    weight: f64,
    start: f64,
    span: f64,
    no_start: bool,
    inclusive: u8,
    /// (day in cycle, shift of start or bound, new span, new weight selector)
    versions: Vec<(i64, f64, f64, u8)>,
    /// (weight, done on day in cycle)
    steps: Vec<(f64, Option<i64>)>,
    own_pace: Option<(f64, f64)>,
    /// (day in cycle, value, confidence)
    check_ins: Vec<(i64, f64, Option<u8>)>,
    /// (metric selector, latest grain?, lag days)
    kpi: Option<(bool, bool, u32)>,
}

fn kr_spec() -> impl Strategy<Value = KrSpec> {
    (
        (
            0u8..7,
            prop::sample::select(vec![0.0, 0.5, 1.0, 2.0]),
            -50.0..50.0f64,
            1.0..200.0f64,
        ),
        (any::<bool>(), 0u8..3),
        prop::collection::btree_map(1i64..89, (-30.0..30.0f64, 1.0..150.0f64, 0u8..4), 0..3).prop_map(|m| {
            m.into_iter()
                .map(|(d, (a, b, w))| (d, a, b, w))
                .collect::<Vec<_>>()
        }),
        prop::collection::vec(
            (
                prop::sample::select(vec![0.0, 0.5, 1.0, 2.0]),
                prop::option::of(0i64..90),
            ),
            1..4,
        ),
        prop::option::of((0.0..=1.0f64, 0.0..=1.0f64)),
        // Same-day check-ins allowed: the later one wins.
        prop::collection::vec((0i64..90, -100.0..300.0f64, prop::option::of(0u8..=10)), 0..6),
        prop::option::weighted(0.2, (any::<bool>(), any::<bool>(), 0u32..10)),
    )
        .prop_map(
            |(
                (kind, weight, start, span),
                (no_start, inclusive),
                versions,
                steps,
                own_pace,
                check_ins,
                kpi,
            )| {
                KrSpec {
                    kind,
                    weight,
                    start,
                    span,
                    no_start,
                    inclusive,
                    versions,
                    steps,
                    own_pace,
                    check_ins,
                    kpi,
                }
            },
        )
}

/// One generated objective: parents (selector, supports?, weight), progress source, rollup, visibility,
/// pace, manual updates and key results.
#[derive(Debug, Clone)]
struct ObjSpec {
    parents: Vec<(u8, bool, f64)>,
    from: u8,
    rollup: u8,
    visibility: u8,
    pace: Option<(f64, f64)>,
    manual: Vec<(i64, f64)>,
    krs: Vec<KrSpec>,
}

fn obj_spec() -> impl Strategy<Value = ObjSpec> {
    (
        prop::collection::vec(
            (
                any::<u8>(),
                any::<bool>(),
                prop::sample::select(vec![0.5, 1.0, 3.0]),
            ),
            0..3,
        ),
        0u8..6,
        0u8..3,
        0u8..4,
        prop::option::weighted(0.3, (0.0..=1.0f64, 0.0..=1.0f64)),
        prop::collection::btree_map(0i64..90, 0.0..=1.0f64, 0..3).prop_map(|m| m.into_iter().collect()),
        prop::collection::vec(kr_spec(), 0..5),
    )
        .prop_map(|(parents, from, rollup, visibility, pace, manual, krs)| ObjSpec {
            parents,
            from,
            rollup,
            visibility,
            pace,
            manual,
            krs,
        })
}

/// Two checkpoints at days 30 and 60 of cycle `c` (sorted expected values).
fn pace(c: usize, (a, b): (f64, f64)) -> Value {
    let s = cycle_start(c);
    json!([{"date": date(s + 30), "expected": a.min(b)}, {"date": date(s + 60), "expected": a.max(b)}])
}

/// Objective `i`'s cycle: every third objective is in q2, the others in q1.
fn cycle_of(i: usize) -> usize {
    usize::from(i % 3 == 2)
}

fn build(objs: &[ObjSpec], observations: &[(bool, i64, f64)]) -> Value {
    let n = objs.len();
    let mut objectives = Vec::new();
    let mut key_results = Vec::new();
    let mut check_ins = Vec::new();
    let mut alignments = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        let cy = cycle_of(i);
        let cs = cycle_start(cy);
        let oid = format!("o{i}");
        // 0 key results, 1 children, 2 both, 3 manual, 4 by value (increase), 5 by value (decrease).
        let from = [
            "key_results",
            "children",
            "both",
            "manual",
            "key_results",
            "key_results",
        ][o.from as usize];
        let by_value = o.from >= 4;
        let mut obj = json!({
            "id": oid, "cycle": if cy == 0 { "q1" } else { "q2" },
            "kind": if i % 2 == 0 { "committed" } else { "aspirational" },
            "visibility": (["public", "team", "private", "public"][o.visibility as usize]),
            "progress_from": from,
        });
        if by_value {
            obj["rollup"] = json!("by_value");
        } else if o.rollup == 1 {
            obj["rollup"] = json!("weighted");
        }
        if let Some(p) = o.pace {
            obj["pace"] = pace(cy, p);
        }
        if from == "manual" {
            obj["manual_updates"] = o
                .manual
                .iter()
                .map(|(d, p)| json!({"date": date(cs + d), "progress": p}))
                .collect();
        }
        objectives.push(obj);
        // Parents: lower numbers in the same cycle; linked objectives: higher numbers in the same cycle. Every
        // edge runs from a higher number to a lower one, so the graph is a DAG.
        let mut seen = std::collections::BTreeSet::new();
        for &(sel, supports, weight) in &o.parents {
            if i == 0 {
                break;
            }
            let p = sel as usize % i;
            if cycle_of(p) == cy && seen.insert(p) {
                alignments.push(json!({
                    "child": oid, "parent": format!("o{p}"), "weight": weight,
                    "mode": if supports { "supports" } else { "contributes" },
                }));
            }
        }
        let linkable: Vec<usize> = (i + 1..n).filter(|&j| cycle_of(j) == cy).collect();
        for (k, kr) in o.krs.iter().enumerate() {
            let id = format!("o{i}k{k}");
            // The first key result always weighs something and keeps its weight, so no objective has all-zero
            // weights at any moment.
            let weight = if k == 0 && kr.weight == 0.0 {
                1.0
            } else {
                kr.weight
            };
            let kind_sel = if by_value { 0 } else { kr.kind };
            let kind = match kind_sel {
                0 => "increase",
                1 => "decrease",
                2 => "stay_above",
                3 => "stay_below",
                4 | 5 => "milestone",
                _ if !linkable.is_empty() => "linked",
                _ => "increase",
            };
            let decreasing = kind == "decrease" || (by_value && o.from == 5);
            let kind = if by_value && decreasing { "decrease" } else { kind };
            let mut v = json!({"id": id, "objective": oid, "kind": kind, "weight": weight});
            let plain = kind == "increase" || kind == "decrease";
            let dir = if decreasing { -1.0 } else { 1.0 };
            if plain {
                if !kr.no_start || by_value {
                    v["start"] = json!(kr.start);
                }
                v["target"] = json!(kr.start + dir * kr.span);
                if by_value || k % 2 == 0 {
                    v["unit"] = json!("u");
                }
            }
            if kind == "stay_above" || kind == "stay_below" {
                v["bound"] = json!(kr.start);
                if kr.inclusive > 0 {
                    v["inclusive"] = json!(kr.inclusive == 1);
                }
            }
            if kind == "milestone" && kind_sel == 5 {
                let steps: Vec<Value> = kr
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(j, (w, done))| {
                        let w = if j == 0 && *w == 0.0 { 1.0 } else { *w };
                        let mut s = json!({"title": format!("step {j}"), "weight": w});
                        if let Some(d) = done {
                            s["done_on"] = json!(date(cs + d));
                        }
                        s
                    })
                    .collect();
                v["steps"] = json!(steps);
            }
            if kind == "linked" {
                v["linked_objective"] = json!(format!("o{}", linkable[k % linkable.len()]));
            }
            if kind != "linked" {
                if let Some(p) = kr.own_pace {
                    v["pace"] = pace(cy, p);
                }
            }
            // Versions: a plain key result moves start (when it has one) and target together (the direction
            // holds), a control one its bound; any may change its weight, the first never to 0.
            let versions: Vec<Value> = kr
                .versions
                .iter()
                .filter(|_| plain || kind.starts_with("stay"))
                .map(|&(d, shift, span, w)| {
                    let mut ver = json!({"effective": date(cs + d), "reason": "re-planned"});
                    if plain {
                        let s = kr.start + shift;
                        if v.get("start").is_some() {
                            ver["start"] = json!(s);
                            ver["target"] = json!(s + dir * span);
                        } else {
                            ver["target"] = json!(kr.start + dir * (kr.span + span));
                        }
                    } else {
                        ver["bound"] = json!(kr.start + shift);
                    }
                    match w {
                        1 => ver["weight"] = json!(2.5),
                        2 if k > 0 => ver["weight"] = json!(0.0),
                        3 => ver["weight"] = json!(0.25),
                        _ => {}
                    }
                    ver
                })
                .collect();
            if !versions.is_empty() {
                v["versions"] = json!(versions);
            }
            let kpi = kr.kpi.filter(|_| plain || kind.starts_with("stay"));
            if let Some((avg, latest, lag)) = kpi {
                v["link"] = json!({
                    "metric": if avg { "csat_avg" } else { "won_sum" },
                    "scope": {"unit": "sales"},
                    "window": if latest { "latest_grain" } else { "cycle_to_date" },
                    "lag_days": lag,
                });
            }
            key_results.push(v);
            if kind == "linked" || kpi.is_some() {
                continue; // these take no manual check-ins
            }
            for &(d, value, conf) in &kr.check_ins {
                let mut ci = json!({"key_result": id, "date": date(cs + d)});
                if kind == "milestone" && kind_sel == 4 {
                    ci["value"] = json!(f64::from(u8::from(value > 100.0)));
                } else if kind_sel != 5 || value > 100.0 {
                    // A checklist milestone's check-in may carry no value.
                    ci["value"] = json!(value);
                }
                if let Some(c) = conf {
                    ci["confidence"] = json!(f64::from(c));
                }
                check_ins.push(ci);
            }
        }
    }
    let observations: Vec<Value> = observations
        .iter()
        .map(|&(csat, d, value)| {
            json!({"measure": if csat { "csat" } else { "won" }, "date": date(d), "value": value,
                   "dims": {"unit": "sales"}})
        })
        .collect();
    json!({
        "schema_version": 1,
        "cycles": [
            {"id": "q1", "start": date(0), "end": date(89)},
            {"id": "q2", "start": date(90), "end": date(179)},
        ],
        "org_units": [{"id": "sales"}],
        "measures": [{"id": "won"}, {"id": "csat"}],
        "metrics": [
            {"id": "won_sum", "kind": "simple", "measure": "won"},
            {"id": "csat_avg", "kind": "simple", "measure": "csat", "agg": "avg"},
        ],
        "observations": observations,
        "objectives": objectives,
        "key_results": key_results,
        "check_ins": check_ins,
        "alignments": alignments,
    })
}

fn settings_strategy() -> impl Strategy<Value = Settings> {
    (0u8..3, any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), 0u8..3).prop_map(
        |(cap, neg, from_progress, exclude, by_value, grace)| {
            let mut text = json!({
                "overshoot": match cap { 0 => json!("clamp"), 1 => json!({"cap": 1.25}), _ => json!({"cap": 3.0}) },
                "allow_negative": neg,
                "objective_status": if from_progress { "from_progress" } else { "worst_kr" },
                "private_rollup": if exclude { "exclude" } else { "share" },
                "rollup": if by_value { "by_value" } else { "weighted" },
                "not_started_days": (grace as u32) * 15,
            });
            if grace == 2 {
                text["on_track_tolerance"] = json!(0.05);
                text["confidence_low"] = json!(5.0);
            }
            Settings::from_json(&text.to_string()).unwrap()
        },
    )
}

/// As-of dates: before both cycles, generated ones across both and after both.
fn dates_strategy() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-10i64..200, 1..6).prop_map(|mut v| {
        v.extend([-3, 0, 45, 89, 90, 179, 185]);
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn columns_equal_the_records_on_rich_documents(
        objs in prop::collection::vec(obj_spec(), 1..8),
        observations in prop::collection::btree_map((any::<bool>(), 0i64..180), 0.0..100.0f64, 0..12)
            .prop_map(|m| m.into_iter().map(|((c, d), v)| (c, d, v)).collect::<Vec<_>>()),
        s in settings_strategy(),
        dates in dates_strategy(),
        later in prop::collection::vec((any::<u8>(), 0i64..180, -100.0..300.0f64, prop::option::of(0u8..=10)), 0..4),
    ) {
        let doc = build(&objs, &observations);
        let mut model = match Model::from_json(&doc.to_string()) {
            Ok(m) => m,
            Err(e) => panic!("generated document is invalid: {e}\n{doc:#}"),
        };
        for &d in &dates {
            assert_same(&model, day(d), &s, "generated");
        }
        // Check-ins applied to the model move its check-in runs; the columns follow them.
        let takers: Vec<&Value> = doc["key_results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k.get("link").is_none() && k["kind"] != "linked" && k.get("steps").is_none())
            .collect();
        let mut applied = 0;
        for (sel, d, value, conf) in later {
            let Some(k) = takers.get(sel as usize % takers.len().max(1)) else { break };
            let value = if k["kind"] == "milestone" { f64::from(u8::from(value > 100.0)) } else { value };
            let ci = CheckIn {
                key_result: k["id"].as_str().unwrap().to_owned(),
                date: day(d),
                value: Some(value),
                confidence: conf.map(f64::from),
                note: None,
            };
            applied += usize::from(model.apply_check_in(ci).is_ok()); // dates outside the cycle are refused
        }
        if applied > 0 {
            for &d in &dates {
                assert_same(&model, day(d), &s, "after check-ins");
            }
        }
    }
}

/// Every document of the shared vectors that validates (every area: OKR cases, KPI links, diagnostics, access,
/// alerts), at every day from a week before its first cycle to a week after its last, under the vector's
/// settings and the defaults.
#[test]
fn columns_equal_the_records_on_every_vector_document() {
    let areas = okpi_conformance::areas();
    assert!(!areas.is_empty(), "no vector areas");
    let mut checked = 0;
    for area in areas {
        for (name, case) in okpi_conformance::cases(&area).unwrap() {
            let Some(doc) = case.get("document") else { continue };
            let Ok(model) = Model::from_json(&doc.to_string()) else {
                continue;
            };
            if model.key_result_count() == 0 && model.objective_count() == 0 {
                continue;
            }
            let mut settings = vec![Settings::default()];
            if let Some(s) = case
                .get("settings")
                .and_then(|s| Settings::from_json(&s.to_string()).ok())
            {
                settings.push(s);
            }
            let first = model.cycles().map(|c| c.start).min().unwrap();
            let last = model.cycles().map(|c| c.end).max().unwrap();
            // Long cycles (a year) are sampled every few days.
            let step = ((last - first).num_days() / 120).max(1);
            for s in &settings {
                let mut at = first - Duration::days(7);
                while at <= last + Duration::days(7) {
                    assert_same(&model, at, s, &format!("{area}/{name}"));
                    at += Duration::days(step);
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} vector documents checked");
}
