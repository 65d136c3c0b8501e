//! Property tests of the OKR engine over generated organisations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::{Duration, NaiveDate};
use okpi::model::*;
use okpi::settings::Overshoot;
use okpi::{evaluate, Document, Model, Settings};
use proptest::prelude::*;

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(n)
}

/// One generated key result: kind selector, weight, start, span and check-in values by day.
type KrSpec = (u8, f64, f64, f64, Vec<(i64, f64, Option<u8>)>);

/// Objectives are numbered; objective i may align to (and link) only objectives of a lower (parent) or higher
/// (child) number in one direction, so the alignment and linked edges always form a DAG.
fn doc_strategy() -> impl Strategy<Value = Document> {
    let objective = (
        prop::collection::vec(any::<(u8, bool)>(), 0..3), // parents: (index selector, supports?)
        0u8..6, // progress_from (4: manual, 5: key results by value)
        prop::collection::vec(
            (
                0u8..6,
                prop::sample::select(vec![0.0, 0.5, 1.0, 2.0, 3.0]),
                -50.0..50.0f64,
                1.0..200.0f64,
                prop::collection::btree_map(0i64..90, (-100.0..300.0f64, prop::option::of(0u8..=10)), 0..5)
                    .prop_map(|m| m.into_iter().map(|(d, (v, c))| (d, v, c)).collect()),
            ),
            0..4,
        ),
        // Manual updates: day → progress.
        prop::collection::btree_map(0i64..90, 0.0..=1.0f64, 0..3)
            .prop_map(|m| m.into_iter().collect::<Vec<_>>()),
    );
    prop::collection::vec(objective, 1..8).prop_map(build)
}

/// One generated objective: parents (selector, supports?), progress_from selector, key results, manual updates.
type ObjSpec = (Vec<(u8, bool)>, u8, Vec<KrSpec>, Vec<(i64, f64)>);

fn build(objs: Vec<ObjSpec>) -> Document {
    let mut doc = Document::new();
    doc.cycles.push(Cycle {
        id: "q1".into(),
        start: day(0),
        end: day(89),
        parent: None,
    });
    let n = objs.len();
    for (i, (parents, from, krs, manual)) in objs.into_iter().enumerate() {
        let oid = format!("o{i}");
        let progress_from = [
            ProgressFrom::KeyResults,
            ProgressFrom::Children,
            ProgressFrom::Both,
            ProgressFrom::KeyResults,
            ProgressFrom::Manual,
            ProgressFrom::KeyResults,
        ][from as usize];
        // by_value needs increase key results in one unit, each with a start.
        let by_value = from == 5;
        doc.objectives.push(Objective {
            id: oid.clone(),
            title: format!("目标 {i}"),
            owner: None,
            cycle: "q1".into(),
            kind: if i % 2 == 0 {
                ObjectiveKind::Committed
            } else {
                ObjectiveKind::Aspirational
            },
            visibility: Visibility::Public,
            progress_from,
            rollup: by_value.then_some(Rollup::ByValue),
            pace: Vec::new(),
            manual_updates: manual
                .into_iter()
                .filter(|_| progress_from == ProgressFrom::Manual)
                .map(|(d, progress)| ManualUpdate {
                    date: day(d),
                    progress,
                    note: None,
                })
                .collect(),
        });
        if i > 0 {
            let mut seen = std::collections::BTreeSet::new();
            for (sel, supports) in parents {
                let p = sel as usize % i;
                if seen.insert(p) {
                    doc.alignments.push(Alignment {
                        child: oid.clone(),
                        parent: format!("o{p}"),
                        weight: 1.0 + (sel % 3) as f64,
                        mode: if supports {
                            AlignmentMode::Supports
                        } else {
                            AlignmentMode::Contributes
                        },
                    });
                }
            }
        }
        for (k, (kind, weight, start, span, checkins)) in krs.into_iter().enumerate() {
            let id = format!("o{i}k{k}");
            // The first KR always weighs something, so no objective has all-zero weights.
            let weight = if k == 0 && weight == 0.0 { 1.0 } else { weight };
            let kind = if by_value { 0 } else { kind };
            let (kind, start, target, bound, linked) = match kind {
                0 => (KrKind::Increase, Some(start), Some(start + span), None, None),
                1 => (KrKind::Decrease, Some(start), Some(start - span), None, None),
                2 => (KrKind::StayAbove, None, None, Some(start), None),
                3 => (KrKind::StayBelow, None, None, Some(start), None),
                4 => (KrKind::Milestone, None, None, None, None),
                _ if i + 1 < n => (KrKind::Linked, None, None, None, Some(format!("o{}", n - 1))),
                _ => (KrKind::Increase, Some(start), Some(start + span), None, None),
            };
            let is_linked = kind == KrKind::Linked;
            let is_milestone = kind == KrKind::Milestone;
            doc.key_results.push(KeyResult {
                id: id.clone(),
                objective: oid.clone(),
                title: String::new(),
                kind,
                start,
                target,
                bound,
                inclusive: None,
                steps: Vec::new(),
                linked_objective: linked,
                weight,
                unit: by_value.then(|| "u".to_owned()),
                pace: Vec::new(),
                versions: Vec::new(),
                link: None,
            });
            if is_linked {
                continue;
            }
            for (d, v, c) in checkins {
                let value = if is_milestone {
                    f64::from(u8::from(v > 100.0))
                } else {
                    v
                };
                doc.check_ins.push(CheckIn {
                    key_result: id.clone(),
                    date: day(d),
                    value: Some(value),
                    confidence: c.map(f64::from),
                    note: None,
                });
            }
        }
    }
    doc
}

fn settings_strategy() -> impl Strategy<Value = Settings> {
    (any::<bool>(), any::<bool>()).prop_map(|(cap, neg)| {
        let mut v = Settings::default();
        v.overshoot = if cap {
            Overshoot::Cap(1.25)
        } else {
            Overshoot::Clamp
        };
        v.allow_negative = neg;
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn progress_stays_in_bounds(doc in doc_strategy(), s in settings_strategy(), at in 0i64..100) {
        let model = Model::new(doc.clone()).unwrap();
        let ev = evaluate(&model, day(at), &s).unwrap();
        let hi = match s.overshoot { Overshoot::Cap(x) => x, Overshoot::Clamp => 1.0 };
        let lo = if s.allow_negative { f64::NEG_INFINITY } else { 0.0 };
        for k in &ev.key_results {
            prop_assert!(k.progress >= lo && k.progress <= hi + 1e-12, "{} progress {}", k.id, k.progress);
            prop_assert!((0.0..=1.0).contains(&k.score));
        }
        for o in &ev.objectives {
            prop_assert!(o.progress >= lo && o.progress <= hi + 1e-12, "{} progress {}", o.id, o.progress);
        }
    }

    /// Each objective's progress against a roll-up computed here from the document (DOMAIN.md §3): its sources
    /// (key results, contributing children or both, with the document's weights), a manual objective's latest
    /// update, a by-value objective's sums of current, start and target values.
    #[test]
    fn rollup_is_the_weighted_mean_of_its_sources(doc in doc_strategy(), s in settings_strategy(), at in 0i64..100) {
        let model = Model::new(doc.clone()).unwrap();
        let ev = evaluate(&model, day(at), &s).unwrap();
        let as_of = day(at);
        for od in &doc.objectives {
            let o = ev.objective(&od.id).unwrap();
            let krs: Vec<&KeyResult> = doc.key_results.iter().filter(|k| k.objective == od.id).collect();
            let (use_krs, use_children) = match od.progress_from {
                ProgressFrom::KeyResults => (true, false),
                ProgressFrom::Children => (false, true),
                ProgressFrom::Both => (true, true),
                ProgressFrom::Manual => (false, false),
            };
            // (id, weight, progress) of every counted source, from the document.
            let mut terms: Vec<(String, f64, f64)> = Vec::new();
            if use_krs {
                terms.extend(krs.iter().map(|k| (k.id.clone(), k.weight, ev.key_result(&k.id).unwrap().progress)));
            }
            if use_children {
                terms.extend(
                    doc.alignments
                        .iter()
                        .filter(|a| a.parent == od.id && a.mode == AlignmentMode::Contributes)
                        .map(|a| (a.child.clone(), a.weight, ev.objective(&a.child).unwrap().progress)),
                );
            }
            let mut want_ids: Vec<&str> = terms.iter().map(|t| t.0.as_str()).collect();
            let mut got_ids: Vec<&str> = o.sources.iter().map(|x| x.id.as_str()).collect();
            want_ids.sort_unstable();
            got_ids.sort_unstable();
            prop_assert_eq!(got_ids, want_ids, "sources of {}", &od.id);
            let want = if od.progress_from == ProgressFrom::Manual {
                od.manual_updates.iter().filter(|u| u.date <= as_of).max_by_key(|u| u.date).map_or(0.0, |u| u.progress)
            } else if od.rollup == Some(Rollup::ByValue) && !krs.is_empty() {
                // Σ current − Σ start over Σ target − Σ start; current is the latest check-in by as_of, else start.
                let current = |k: &KeyResult| {
                    doc.check_ins
                        .iter()
                        .filter(|c| c.key_result == k.id && c.date <= as_of)
                        .max_by_key(|c| c.date)
                        .and_then(|c| c.value)
                        .unwrap_or(k.start.unwrap())
                };
                let cur: f64 = krs.iter().map(|k| current(k)).sum();
                let start: f64 = krs.iter().map(|k| k.start.unwrap()).sum();
                let target: f64 = krs.iter().map(|k| k.target.unwrap()).sum();
                let p = (cur - start) / (target - start);
                let hi = match s.overshoot { Overshoot::Cap(x) => x, Overshoot::Clamp => 1.0 };
                let p = p.min(hi);
                if s.allow_negative { p } else { p.max(0.0) }
            } else if terms.is_empty() {
                0.0
            } else {
                let total: f64 = terms.iter().map(|t| t.1).sum();
                terms.iter().map(|t| t.1 * t.2).sum::<f64>() / total
            };
            prop_assert!((o.progress - want).abs() < 1e-9, "{}: {} vs {}", &od.id, o.progress, want);
            if !o.sources.is_empty() {
                let norm: f64 = o.sources.iter().map(|x| x.normalized_weight).sum();
                prop_assert!((norm - 1.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn columns_equal_the_full_evaluation(doc in doc_strategy(), s in settings_strategy(), at in 0i64..100) {
        let model = Model::new(doc).unwrap();
        let ev = evaluate(&model, day(at), &s).unwrap();
        let c = okpi::okr::evaluate_columns(&model, day(at), &s).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let k = &ev.key_results;
        let o = &ev.objectives;
        prop_assert_eq!(bits(&c.kr_progress), bits(&k.iter().map(|r| r.progress).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&c.kr_current), bits(&k.iter().map(|r| r.current.unwrap_or(f64::NAN)).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&c.kr_expected), bits(&k.iter().map(|r| r.expected).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&c.kr_score), bits(&k.iter().map(|r| r.score).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&c.kr_weight), bits(&k.iter().map(|r| r.weight).collect::<Vec<_>>()));
        prop_assert_eq!(c.kr_status, k.iter().map(|r| r.status).collect::<Vec<_>>());
        prop_assert_eq!(bits(&c.objective_progress), bits(&o.iter().map(|r| r.progress).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&c.objective_expected), bits(&o.iter().map(|r| r.expected).collect::<Vec<_>>()));
        prop_assert_eq!(bits(&c.objective_score), bits(&o.iter().map(|r| r.score).collect::<Vec<_>>()));
        prop_assert_eq!(
            bits(&c.objective_confidence),
            bits(&o.iter().map(|r| r.confidence.unwrap_or(f64::NAN)).collect::<Vec<_>>())
        );
        prop_assert_eq!(c.objective_status, o.iter().map(|r| r.status).collect::<Vec<_>>());
    }

    #[test]
    fn incremental_equals_full(doc in doc_strategy(), s in settings_strategy(), at in 0i64..100, keep in 0usize..10) {
        let full = evaluate(&Model::new(doc.clone()).unwrap(), day(at), &s).unwrap();
        let mut base = doc.clone();
        let mut rows = base.check_ins.to_vec();
        let later = rows.split_off(keep.min(rows.len()));
        base.check_ins = rows.into();
        let mut model = Model::new(base.clone()).unwrap();
        let mut ev = evaluate(&model, day(at), &s).unwrap();
        for ci in later {
            ev.apply_check_in(&mut model, ci).unwrap();
        }
        prop_assert_eq!(ev, full);
    }

    #[test]
    fn evaluation_is_independent_of_input_order(doc in doc_strategy(), s in settings_strategy(), at in 0i64..100) {
        let ev = evaluate(&Model::new(doc.clone()).unwrap(), day(at), &s).unwrap();
        let mut shuffled = doc.clone();
        shuffled.objectives.reverse();
        shuffled.key_results.reverse();
        shuffled.alignments.reverse();
        shuffled.check_ins = shuffled.check_ins.to_vec().into_iter().rev().collect(); // each KR's check-ins fall on distinct days, so no tie depends on order
        let again = evaluate(&Model::new(shuffled.clone()).unwrap(), day(at), &s).unwrap();
        prop_assert_eq!(ev.to_json(), again.to_json());
    }

    #[test]
    fn damaged_documents_are_refused_without_panic(doc in doc_strategy(), damage in prop::collection::vec((0u8..6, any::<u16>()), 1..4)) {
        let mut doc = doc;
        for (what, at) in damage {
            let at = at as usize;
            let (nk, nc) = (doc.key_results.len().max(1), doc.check_ins.len().max(1));
            match what {
                0 => if let Some(k) = doc.key_results.get_mut(at % nk) { k.weight = f64::NAN },
                1 => { let mut rows = doc.check_ins.to_vec(); if let Some(c) = rows.get_mut(at % nc) { c.confidence = Some(11.0) }; doc.check_ins = rows.into() },
                2 => if let Some(o) = doc.objectives.get(at % doc.objectives.len()).cloned() { doc.objectives.push(o) },
                3 => if let Some(k) = doc.key_results.get_mut(at % nk) { k.objective = "missing".into() },
                4 => { let n = doc.objectives.len(); doc.alignments.push(Alignment { child: "o0".into(), parent: format!("o{}", at % n), weight: 1.0, mode: AlignmentMode::Contributes }) },
                _ => { let mut rows = doc.check_ins.to_vec(); if let Some(c) = rows.get_mut(at % nc) { c.date = day(200) }; doc.check_ins = rows.into() },
            }
        }
        // Either a model or a list of problems, each with a code and a path; never a panic.
        if let Err(e) = Model::new(doc.clone()) {
            prop_assert!(!e.problems().is_empty());
            for p in e.problems() {
                prop_assert!(p.path.starts_with("$"), "{p}");
            }
        }
    }
}
