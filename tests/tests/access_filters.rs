//! Access filtering, case by case: the corners the shared vectors do not reach (explanations, scorecard warnings,
//! each kind of diagnostics finding, documents that do not validate, JSON by kind).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::NaiveDate;
use okpi::access::{filter, filter_json, filter_with, AccessSettings, View, Viewer, KINDS};
use okpi::diagnose::{Diagnosis, Finding, HealthBand, Severity};
use okpi::model::Role;
use okpi::{Code, Document, Model};
use serde_json::json;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// co ⊃ {eng (manager mia), ops (manager oli)}; ann and bob in eng, ola in ops; ceo an executive in co.
fn org(extra: serde_json::Value) -> Model {
    let mut doc = json!({
        "schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": [{"id": "co"}, {"id": "eng", "parent": "co", "manager": "mia"},
                      {"id": "ops", "parent": "co", "manager": "oli"}],
        "people": [{"id": "mia", "unit": "eng", "roles": ["manager"]}, {"id": "ann", "unit": "eng"},
                   {"id": "bob", "unit": "eng"}, {"id": "oli", "unit": "ops", "roles": ["manager"]},
                   {"id": "ola", "unit": "ops"}, {"id": "ceo", "unit": "co", "roles": ["executive"]}],
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    Model::from_json(&doc.to_string()).unwrap()
}

#[test]
fn explanations_drop_hidden_sources_and_links() {
    let model = org(json!({
        "objectives": [
            {"id": "top", "cycle": "q1", "progress_from": "both"},
            {"id": "secret", "cycle": "q1", "owner": {"person": "ann"}, "visibility": "private"},
            {"id": "open", "cycle": "q1"}],
        "key_results": [
            {"id": "via", "objective": "top", "kind": "linked", "linked_objective": "secret"},
            {"id": "s1", "objective": "secret", "kind": "increase", "start": 0, "target": 10}],
        "check_ins": [{"key_result": "s1", "date": "2026-02-01", "value": 5}],
        "alignments": [{"child": "secret", "parent": "top", "weight": 3}, {"child": "open", "parent": "top"}]
    }));
    let ev = okpi::evaluate(&model, day(2, 1), &Default::default()).unwrap();
    let bob = Viewer::new("bob");
    let why = ev.explain(&model, "via", okpi::okr::Quantity::Progress);
    assert_eq!(
        why.as_ref().unwrap().inputs["linked_objective"].as_str(),
        Some("secret")
    );
    let seen = filter(why, &model, &bob).unwrap().unwrap();
    assert!(!seen.inputs.contains_key("linked_objective"));
    assert_eq!(seen.value, json!(0.5)); // the linked KR's progress is the private objective's, kept true

    let why = ev.explain(&model, "top", okpi::okr::Quantity::Status);
    let seen = filter(why, &model, &bob).unwrap().unwrap();
    let sources = serde_json::to_value(&seen.inputs["sources"]).unwrap();
    let ids: Vec<&str> = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["via", "open"]); // KRs first, then children by id; secret removed
                                      // via (weight 1) and open (1) renormalise to 1/2 each; without filtering they are 1/5, 1/5 and secret 3/5.
    assert_eq!(sources[0]["normalized_weight"], json!(0.5));

    let why = ev.explain(&model, "s1", okpi::okr::Quantity::Progress);
    assert!(filter(why.clone(), &model, &bob).unwrap().is_none());
    assert_eq!(filter(why.clone(), &model, &Viewer::new("mia")).unwrap(), why);
}

#[test]
fn scorecard_items_okr_component_and_group_warnings() {
    let model = org(json!({
        "objectives": [{"id": "anns_goal", "cycle": "q1", "owner": {"person": "ann"}, "visibility": "private"}],
        "key_results": [{"id": "g", "objective": "anns_goal", "kind": "increase", "start": 0, "target": 10}],
        "check_ins": [{"key_result": "g", "date": "2026-02-01", "value": 10}],
        "measures": [{"id": "calls"}],
        "metrics": [{"id": "c", "kind": "simple", "measure": "calls"}],
        "observations": [{"measure": "calls", "date": "2026-01-05", "value": 10, "dims": {"person": "bob", "unit": "eng"}},
                         {"measure": "calls", "date": "2026-01-05", "value": 20, "dims": {"person": "ann", "unit": "eng"}}],
        "targets": [{"id": "t_bob", "metric": "c", "scope": {"person": "bob"}, "cycle": "q1", "target": 10},
                    {"id": "t_ann", "metric": "c", "scope": {"person": "ann"}, "cycle": "q1", "target": 10}],
        "scorecards": [
            {"id": "sc_bob", "subject": {"person": "bob"}, "group": "eng",
             "items": [{"target": "t_bob", "weight": 50}, {"target": "t_ann", "weight": 30}],
             "okr": {"objective": "anns_goal", "weight": 20}},
            {"id": "sc_ann", "subject": {"person": "ann"}, "group": "eng", "items": [{"target": "t_ann", "weight": 100}]}]
    }));
    let req = {
        let mut v = okpi::kpi::ScorecardRequest::new(day(3, 31));
        v.distribution =
            Some(serde_json::from_value(json!({"shares": [{"grade": "A", "percent": 100}]})).unwrap());
        v
    };
    let all = okpi::hybrid::scorecards(&model, &req).unwrap();
    assert!(all.warnings.iter().any(|w| w.starts_with("group eng has 2")));
    let bob = filter(all.clone(), &model, &Viewer::new("bob")).unwrap();
    assert_eq!(bob.scorecards.len(), 1);
    let card = &bob.scorecards[0];
    // The true total 50 · 100 + 30 · 200 (capped at 120) + 20 · 100 = 106 reads ann's item and her objective:
    // minus bob's visible item it would give away her part, so it is withheld with its grades and rank.
    assert_eq!(all.scorecards[1].total, Some(106.0));
    assert_eq!((card.total, card.grade.as_deref(), card.rank), (None, None, None));
    assert_eq!(card.withheld.as_deref(), Some(okpi::access::HIDDEN_ITEMS));
    assert_eq!(
        card.items.iter().map(|i| i.target.as_str()).collect::<Vec<_>>(),
        ["t_bob"]
    );
    assert_eq!(card.okr_score, None);
    assert!(bob.warnings.is_empty()); // the group warning counts sc_ann
    let mia = filter(all.clone(), &model, &Viewer::new("mia")).unwrap();
    assert_eq!(mia, all);
}

/// A finding as the JSON form writes it (results are `#[non_exhaustive]`: hosts read them, never build them).
fn finding(code: &str, subjects: &[&str]) -> Finding {
    serde_json::from_value(json!({
        "code": code,
        "severity": Severity::Warning,
        "subjects": subjects,
        "evidence": {"note": format!("about {}", subjects.join(" and "))},
        "advice": {"en": "", "zh": ""},
    }))
    .unwrap()
}

#[test]
fn findings_follow_what_their_code_says_their_subjects_are() {
    let model = org(json!({
        "objectives": [{"id": "priv", "cycle": "q1", "owner": {"person": "ola"}, "visibility": "private"},
                       {"id": "pub", "cycle": "q1"}],
        "measures": [{"id": "calls"}, {"id": "mixed"}],
        "metrics": [{"id": "c", "kind": "simple", "measure": "calls"}],
        "observations": [
            {"measure": "calls", "date": "2026-01-05", "value": 1, "dims": {"unit": "co"}},
            {"measure": "mixed", "date": "2026-01-05", "value": 1, "dims": {"person": "ann"}}],
        "targets": [{"id": "t1", "metric": "c", "scope": {"person": "bob"}, "cycle": "q1", "target": 1},
                    {"id": "t2", "metric": "c", "scope": {"unit": "co"}, "cycle": "q1", "target": 1}]
    }));
    let findings = vec![
        finding("kpi.pull_forward", &["calls", "co"]),
        finding("kpi.source_discrepancy", &["calls"]),
        finding("kpi.source_discrepancy", &["mixed"]),
        finding("kpi.stale_data", &["mixed"]),
        finding("kpi.target_changed_after_lock", &["t1"]),
        finding("kpi.definition_changed_mid_cycle", &["t1", "c"]),
        finding("kpi.threshold_bunching", &["c", "q1"]),
        finding("kpi.something_new", &["calls"]),
        finding("okr.sandbagging", &["priv", "pub"]),
        finding("okr.unaligned", &["pub"]),
        finding("okr.unaligned", &["nobody"]),
    ];
    let diagnosis: Diagnosis = serde_json::from_value(json!({
        "findings": findings,
        "health": {"score": 50.0, "band": HealthBand::Fair, "penalty": 40.0, "partial": false},
    }))
    .unwrap();
    let kept = |d: &Diagnosis| -> Vec<String> {
        d.findings
            .iter()
            .map(|f| format!("{} {}", f.code, f.subjects.join(",")))
            .collect()
    };
    // bob: co's observation is about its six people, five hidden from bob (≥ 5): co's aggregate is a whole block
    // he may see; but a discrepancy finding quotes single observations, so one about hidden people goes. t1 is
    // his own target, t2 co's aggregate.
    let bob = filter(diagnosis.clone(), &model, &Viewer::new("bob")).unwrap();
    assert_eq!(
        kept(&bob),
        [
            "kpi.pull_forward calls,co",
            "kpi.stale_data mixed",
            "kpi.target_changed_after_lock t1",
            "kpi.definition_changed_mid_cycle t1,c",
            "kpi.threshold_bunching c,q1",
            "okr.unaligned pub"
        ]
    );
    // The health is recomputed over what bob sees: 6 warnings × 4 = 24 points over 1 visible objective (pub):
    // 100 × (1 − min(1, 24 / 10)) = 0, poor.
    let h = &bob.health;
    assert_eq!(
        (h.score, h.band, h.penalty, h.partial),
        (0.0, HealthBand::Poor, 24.0, true)
    );
    // ann: not t1 (bob's), so neither the change audit nor the bunching over t1 and t2; but her own observation.
    let ann = filter(diagnosis.clone(), &model, &Viewer::new("ann")).unwrap();
    assert_eq!(
        kept(&ann),
        [
            "kpi.pull_forward calls,co",
            "kpi.source_discrepancy mixed",
            "kpi.stale_data mixed",
            "okr.unaligned pub"
        ]
    );
    // With a minimum group of 7, co's six people are a small group: its aggregates go for bob.
    let mut small = AccessSettings::default();
    small.min_group_size = 7;
    let bob7 = filter_with(diagnosis.clone(), &model, &Viewer::new("bob"), &small).unwrap();
    assert!(!kept(&bob7).iter().any(|f| f.contains("calls")));
    let hr = Viewer::with_roles("bob", &[Role::HrAdmin]);
    assert_eq!(filter(diagnosis.clone(), &model, &hr).unwrap(), diagnosis);
}

#[test]
fn a_document_that_does_not_validate_can_still_filter_its_problems() {
    // Units in a loop, a duplicated person, an unknown owner, and a private alignment.
    let doc = Document::from_json(
        &json!({
            "schema_version": 1,
            "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
            "org_units": [{"id": "a", "parent": "b", "manager": "mia"}, {"id": "b", "parent": "a"}],
            "people": [{"id": "mia", "unit": "a", "roles": ["manager"]}, {"id": "bob", "unit": "b"},
                       {"id": "bob"}],
            "objectives": [{"id": "hers", "cycle": "q1", "owner": {"person": "mia"}, "visibility": "private"},
                           {"id": "his", "cycle": "q1", "owner": {"person": "bob"}},
                           {"id": "lost", "cycle": "q1", "owner": {"person": "zed"}, "visibility": "private"}],
            "alignments": [{"child": "his", "parent": "hers"}]
        })
        .to_string(),
    )
    .unwrap();
    let err = Model::new(doc.clone()).unwrap_err();
    let codes: Vec<Code> = err.problems().iter().map(|p| p.code).collect();
    assert!(codes.contains(&Code::E_PRIVATE_ALIGNMENT) && codes.contains(&Code::E_CYCLE));
    let bob = View::from_document(&doc, &Viewer::new("bob"), &AccessSettings::default()).unwrap();
    let seen = bob.apply(err.clone());
    assert_eq!(seen.problems().len(), err.problems().len());
    let text = format!("{seen:?}");
    assert!(!text.contains("hers") && !text.contains("lost") && text.contains(okpi::access::HIDDEN_PROBLEM));
    // The alignment his → hers names a hidden objective: it keeps its code and path, and nothing else.
    let align = seen
        .problems()
        .iter()
        .find(|p| p.code == Code::E_PRIVATE_ALIGNMENT)
        .unwrap();
    assert_eq!(
        (align.id.as_deref(), align.message.as_str()),
        (None, okpi::access::HIDDEN_PROBLEM)
    );
    assert!(align.path.starts_with("$.alignments"));
    // The unit loop a ⇄ b ends each walk; mia owns hers; lost's owner is no person, so only hr_admin sees it.
    let mia = View::from_document(&doc, &Viewer::new("mia"), &AccessSettings::default()).unwrap();
    assert!(mia.sees_objective("hers") && !mia.sees_objective("lost"));
    assert_eq!(bob.apply(seen.clone()), seen);
}

#[test]
fn json_by_kind_and_unknown_viewers() {
    let model = org(
        json!({"objectives": [{"id": "o", "cycle": "q1", "owner": {"unit": "ops"}, "visibility": "team"}]}),
    );
    let ev = okpi::evaluate(&model, day(2, 1), &Default::default()).unwrap();
    let view = View::new(&model, &Viewer::new("bob"), &AccessSettings::default()).unwrap();
    let out = filter_json(&view, "evaluation", &ev.to_json()).unwrap();
    assert!(!out.contains("\"o\""));
    let err = filter_json(&view, "strategy", "{}").unwrap_err();
    assert_eq!(
        (err.problems()[0].code, err.problems()[0].path.as_str()),
        (Code::E_INVALID_VALUE, "$.kind")
    );
    let err = filter_json(&view, "evaluation", "[1]").unwrap_err();
    assert!(err.problems()[0].path.starts_with("$.report"));
    assert_eq!(filter_json(&view, "explanation", "null").unwrap(), "null");
    let problems = r#"[{"code": "OKPI_NULL_ARGUMENT", "path": "", "message": "o is gone", "id": "o"}]"#;
    assert_eq!(
        filter_json(&view, "problems", problems).unwrap(),
        r#"[{"code":"OKPI_NULL_ARGUMENT","message":"a problem with an item you may not see","path":""}]"#
    );
    assert!(KINDS.contains(&"advice"));
    let Err(e) = View::new(&model, &Viewer::new("nobody"), &AccessSettings::default()) else {
        panic!("an unknown viewer is an error");
    };
    assert_eq!(e.problems()[0].path, "$.viewer.person");
    assert!(!e.to_string().contains("nobody"));
}
