//! Property tests of access filtering over generated organisations, objectives, KPI results and viewers:
//! no report leaks an id the viewer may not see, anywhere in its serialised form; exactly the items an
//! independent restatement of the rules allows survive; `hr_admin` sees everything; filtering is idempotent.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::NaiveDate;
use okpi::access::{run_as, AccessSettings, View, ViewRequest, Viewer};
use okpi::model::Role;
use okpi::{Document, Model};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One generated case. Raw numbers are reduced modulo the sizes when the document is built.
#[derive(Debug, Clone)]
struct Case {
    /// Per unit: parent selector (a lower-numbered unit or none), manager selector.
    units: Vec<(u8, u8)>,
    /// Per person: unit selector, roles selector.
    people: Vec<(u8, u8)>,
    /// Per objective: owner selector, visibility, progress_from, key results' check-in values.
    objectives: Vec<(u8, u8, u8, Vec<u8>)>,
    /// (child, parent, weight) selectors; kept only from a higher- to a lower-numbered objective.
    alignments: Vec<(u8, u8, u8)>,
    /// Per target: scope selector, target value.
    targets: Vec<(u8, u8)>,
    /// Per alert rule: scope selector.
    rules: Vec<u8>,
    /// Per observation: person selector, value.
    observations: Vec<(u8, u8)>,
    viewer: u8,
    roles_override: Option<u8>,
    min_group_size: u8,
    /// Keep alignments to another owner's private objective (the document then does not validate).
    allow_private_alignment: bool,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(any::<(u8, u8)>(), 1..6),
        prop::collection::vec(any::<(u8, u8)>(), 1..10),
        prop::collection::vec(
            (any::<u8>(), 0u8..3, 0u8..3, prop::collection::vec(0u8..=10, 0..3)),
            1..9,
        ),
        prop::collection::vec((any::<u8>(), any::<u8>(), 1u8..4), 0..10),
        prop::collection::vec((any::<u8>(), 1u8..50), 0..6),
        prop::collection::vec(any::<u8>(), 0..4),
        prop::collection::vec((any::<u8>(), 0u8..40), 0..12),
        (
            any::<u8>(),
            prop::option::of(any::<u8>()),
            0u8..7,
            prop::bool::weighted(0.1),
        ),
    )
        .prop_map(
            |(
                units,
                people,
                objectives,
                alignments,
                targets,
                rules,
                observations,
                (viewer, ro, min, bad),
            )| Case {
                units,
                people,
                objectives,
                alignments,
                targets,
                rules,
                observations,
                viewer,
                roles_override: ro,
                min_group_size: min,
                allow_private_alignment: bad,
            },
        )
}

// Ids: a letter, two digits and `x`, so no id is a substring of another, of a version hash, a date or a number.
fn unit(i: usize) -> String {
    format!("u{i:02}x")
}
fn person(i: usize) -> String {
    format!("p{i:02}x")
}
fn objective(i: usize) -> String {
    format!("o{i:02}x")
}
fn kr(i: usize, j: usize) -> String {
    format!("k{i:01}{j:01}x")
}
fn target(i: usize) -> String {
    format!("t{i:02}x")
}
fn scorecard(i: usize) -> String {
    format!("s{i:02}x")
}
fn rule(i: usize) -> String {
    format!("r{i:02}x")
}

/// Roles from a selector: manager on odd numbers, executive on multiples of 7, hr_admin above 240 (rare).
fn roles(sel: u8) -> Vec<Role> {
    let mut r = vec![Role::Employee];
    if sel % 2 == 1 {
        r.push(Role::Manager);
    }
    if sel % 7 == 0 {
        r.push(Role::Executive);
    }
    if sel > 240 {
        r.push(Role::HrAdmin);
    }
    r
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Owner {
    Unit(usize),
    Person(usize),
    None,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    Unit(usize),
    Person(usize),
}

/// The generated organisation in index form, for the oracle.
struct Org {
    unit_parent: Vec<Option<usize>>,
    unit_manager: Vec<Option<usize>>,
    person_unit: Vec<Option<usize>>,
    person_roles: Vec<Vec<Role>>,
    objectives: Vec<(Owner, usize)>, // owner, visibility 0 public / 1 team / 2 private
    krs: Vec<(usize, String)>,       // objective, id
    targets: Vec<Scope>,
    rules: Vec<Scope>,
}

fn owner(sel: u8, units: usize, people: usize) -> Owner {
    let s = sel as usize % (units + people + 1);
    if s < units {
        Owner::Unit(s)
    } else if s < units + people {
        Owner::Person(s - units)
    } else {
        Owner::None
    }
}

fn scope(sel: u8, units: usize, people: usize) -> Scope {
    let s = sel as usize % (units + people);
    if s < units {
        Scope::Unit(s)
    } else {
        Scope::Person(s - units)
    }
}

fn scope_json(s: Scope) -> Value {
    match s {
        Scope::Unit(u) => json!({ "unit": unit(u) }),
        Scope::Person(p) => json!({ "person": person(p) }),
    }
}

fn build(c: &Case) -> (Document, Org) {
    let (nu, np) = (c.units.len(), c.people.len());
    let unit_parent: Vec<Option<usize>> = c
        .units
        .iter()
        .enumerate()
        .map(|(i, (p, _))| {
            let r = *p as usize % (i + 1);
            (r < i).then_some(r)
        })
        .collect();
    let unit_manager: Vec<Option<usize>> = c
        .units
        .iter()
        .map(|(_, m)| {
            let r = *m as usize % (np + 1);
            (r < np).then_some(r)
        })
        .collect();
    let person_unit: Vec<Option<usize>> = c
        .people
        .iter()
        .map(|(u, _)| {
            let r = *u as usize % (nu + 1);
            (r < nu).then_some(r)
        })
        .collect();
    let person_roles: Vec<Vec<Role>> = c.people.iter().map(|(_, r)| roles(*r)).collect();
    let mut org = Org {
        unit_parent,
        unit_manager,
        person_unit,
        person_roles,
        objectives: Vec::new(),
        krs: Vec::new(),
        targets: Vec::new(),
        rules: Vec::new(),
    };
    let units: Vec<Value> = (0..nu)
        .map(|i| {
            let mut u = json!({ "id": unit(i) });
            if let Some(p) = org.unit_parent[i] {
                u["parent"] = json!(unit(p));
            }
            if let Some(m) = org.unit_manager[i] {
                u["manager"] = json!(person(m));
            }
            u
        })
        .collect();
    let people: Vec<Value> = (0..np)
        .map(|i| {
            let mut p = json!({ "id": person(i), "roles": org.person_roles[i] });
            if let Some(u) = org.person_unit[i] {
                p["unit"] = json!(unit(u));
            }
            p
        })
        .collect();
    let mut objectives = Vec::new();
    let mut key_results = Vec::new();
    let mut check_ins = Vec::new();
    for (i, (o, vis, from, values)) in c.objectives.iter().enumerate() {
        let own = owner(*o, nu, np);
        let vis = *vis as usize;
        org.objectives.push((own, vis));
        let visibility = ["public", "team", "private"][vis];
        let progress_from = ["key_results", "children", "both"][*from as usize];
        let mut obj = json!({
            "id": objective(i), "cycle": "q1", "visibility": visibility, "progress_from": progress_from,
        });
        match own {
            Owner::Unit(u) => obj["owner"] = json!({ "unit": unit(u) }),
            Owner::Person(p) => obj["owner"] = json!({ "person": person(p) }),
            Owner::None => {}
        }
        objectives.push(obj);
        for (j, v) in values.iter().enumerate() {
            let id = kr(i, j);
            org.krs.push((i, id.clone()));
            key_results.push(
                json!({"id": id, "objective": objective(i), "kind": "increase", "start": 0, "target": 10}),
            );
            check_ins.push(json!({"key_result": id, "date": "2026-02-01", "value": v}));
        }
    }
    let n = c.objectives.len();
    let mut seen = BTreeSet::new();
    let mut alignments = Vec::new();
    for (a, b, w) in &c.alignments {
        let (child, parent) = (*a as usize % n, *b as usize % n);
        if child <= parent || !seen.insert((child, parent)) {
            continue;
        }
        let (parent_owner, parent_vis) = org.objectives[parent];
        if parent_vis == 2 && org.objectives[child].0 != parent_owner && !c.allow_private_alignment {
            continue;
        }
        alignments.push(json!({"child": objective(child), "parent": objective(parent), "weight": w}));
    }
    let observations: Vec<Value> = c
        .observations
        .iter()
        .enumerate()
        .map(|(i, (p, v))| {
            let p = *p as usize % np;
            let mut dims = json!({ "person": person(p) });
            if let Some(u) = org.person_unit[p] {
                dims["unit"] = json!(unit(u));
            }
            let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i as i64);
            json!({"measure": "calls", "date": date, "value": v, "dims": dims})
        })
        .collect();
    let mut targets = Vec::new();
    let mut scorecards = Vec::new();
    for (i, (s, t)) in c.targets.iter().enumerate() {
        let s = scope(*s, nu, np);
        org.targets.push(s);
        // Each target supports one key result (when there is any), so the strategy view has KPIs to hide.
        let supports: Vec<&String> = org
            .krs
            .get((i * 7 + *t as usize) % org.krs.len().max(1))
            .map(|(_, k)| k)
            .into_iter()
            .collect();
        targets.push(
            json!({"id": target(i), "metric": "calls_m", "scope": scope_json(s), "cycle": "q1",
                            "target": t, "supports": supports}),
        );
        scorecards.push(json!({"id": scorecard(i), "subject": scope_json(s), "items": [{"target": target(i), "weight": 100}]}));
    }
    let rules: Vec<Value> = c
        .rules
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = scope(*s, nu, np);
            org.rules.push(s);
            let id = match s {
                Scope::Unit(u) => unit(u),
                Scope::Person(p) => person(p),
            };
            json!({"id": rule(i), "metric": "calls_m", "scope": id, "grain": "month", "condition": "below",
                   "critical": {"value": 15}})
        })
        .collect();
    let doc = json!({
        "schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": units, "people": people, "objectives": objectives, "key_results": key_results,
        "check_ins": check_ins, "alignments": alignments,
        "measures": [{"id": "calls"}],
        "metrics": [{"id": "calls_m", "kind": "simple", "measure": "calls"}],
        "observations": observations, "targets": targets, "scorecards": scorecards, "alert_rules": rules,
    });
    (Document::from_json(&doc.to_string()).unwrap(), org)
}

/// The rules of the README's access section, restated over indexes: the oracle the filter is held to.
struct Oracle<'o> {
    org: &'o Org,
    me: usize,
    hr: bool,
    exec: bool,
    manages: Vec<usize>,
}

impl<'o> Oracle<'o> {
    fn new(org: &'o Org, me: usize, roles: &[Role]) -> Self {
        let chain_rights = roles.contains(&Role::Manager) || roles.contains(&Role::Executive);
        let manages = (0..org.unit_manager.len())
            .filter(|&u| chain_rights && org.unit_manager[u] == Some(me))
            .collect();
        Oracle {
            org,
            me,
            hr: roles.contains(&Role::HrAdmin),
            exec: roles.contains(&Role::Executive),
            manages,
        }
    }
    fn chain(&self, u: usize) -> Vec<usize> {
        let mut out = vec![u];
        while let Some(p) = self.org.unit_parent[*out.last().unwrap()] {
            out.push(p);
        }
        out
    }
    fn covers(&self, u: usize) -> bool {
        self.chain(u).iter().any(|x| self.manages.contains(x))
    }
    fn member_of(&self, u: usize) -> bool {
        self.org.person_unit[self.me].is_some_and(|mine| self.chain(mine).contains(&u))
    }
    fn person(&self, p: usize) -> bool {
        self.hr || p == self.me || self.org.person_unit[p].is_some_and(|u| self.covers(u))
    }
    fn objective(&self, i: usize) -> bool {
        let (own, vis) = self.org.objectives[i];
        let unit_of = |p: usize| self.org.person_unit[p];
        self.hr
            || vis == 0
            || match (vis, own) {
                (1, _) if self.exec => true,
                (1, Owner::Person(p)) => {
                    p == self.me || unit_of(p).is_some_and(|u| self.member_of(u) || self.covers(u))
                }
                (1, Owner::Unit(u)) => self.member_of(u) || self.covers(u),
                (2, Owner::Person(p)) => p == self.me || unit_of(p).is_some_and(|u| self.covers(u)),
                (2, Owner::Unit(u)) => {
                    let m = self.org.unit_manager[u];
                    m == Some(self.me)
                        || self.covers(u)
                        || m.and_then(unit_of).is_some_and(|mu| self.covers(mu))
                }
                _ => false,
            }
    }
    /// The audience of a unit's aggregates (which of their numbers are shown whole is the attacker test's
    /// business, `access_attacker.rs`).
    fn aggregate(&self, u: usize) -> bool {
        self.hr || self.exec || self.member_of(u) || self.covers(u)
    }
    fn scope(&self, s: Scope) -> bool {
        match s {
            Scope::Unit(u) => self.aggregate(u),
            Scope::Person(p) => self.person(p),
        }
    }
    /// Every id the viewer may not see.
    fn forbidden(&self) -> Vec<String> {
        let mut out = Vec::new();
        for i in 0..self.org.objectives.len() {
            if !self.objective(i) {
                out.push(objective(i));
            }
        }
        for (o, id) in &self.org.krs {
            if !self.objective(*o) {
                out.push(id.clone());
            }
        }
        for p in 0..self.org.person_unit.len() {
            if !self.person(p) {
                out.push(person(p));
            }
        }
        for (i, s) in self.org.targets.iter().enumerate() {
            if !self.scope(*s) {
                out.push(target(i));
                out.push(scorecard(i));
            }
        }
        for (i, s) in self.org.rules.iter().enumerate() {
            if !self.scope(*s) {
                out.push(rule(i));
            }
        }
        out
    }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Every report of a valid document, unfiltered.
struct Reports {
    evaluation: okpi::Evaluation,
    explanations: Vec<Option<okpi::okr::Explanation>>,
    score: okpi::kpi::ScoreReport,
    scorecards: okpi::kpi::ScorecardReport,
    queries: Vec<okpi::kpi::QueryResult>,
    alerts: okpi::alert::AlertReport,
    diagnosis: okpi::diagnose::Diagnosis,
    strategy: okpi::hybrid::StrategyView,
}

fn reports(model: &Model) -> Reports {
    let as_of = day(2, 15);
    let evaluation = okpi::evaluate(model, as_of, &okpi::Settings::default()).unwrap();
    let explanations = model
        .objectives()
        .map(|o| o.id.clone())
        .chain(model.key_results().map(|k| k.id.clone()))
        .map(|id| evaluation.explain(model, &id, okpi::okr::Quantity::Progress))
        .collect();
    let query = |filters: &[(&str, &str)], group_by: &[&str]| {
        let q = {
            let mut v = okpi::kpi::Query::new("calls_m", day(1, 1), day(2, 28));
            v.filters = filters
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            v.group_by = group_by.iter().map(|g| g.to_string()).collect();
            v
        };
        okpi::kpi::query(model, &q).unwrap()
    };
    let queries = vec![
        query(&[], &[]),
        query(&[], &["person"]),
        query(&[], &["unit"]),
        query(&[("unit", &unit(0))], &[]),
        query(&[("unit", &unit(0))], &["person"]),
    ];
    let scorecards = okpi::hybrid::scorecards(model, &okpi::kpi::ScorecardRequest::new(as_of)).unwrap();
    Reports {
        diagnosis: okpi::diagnose::diagnose(model, &evaluation, &Default::default()).unwrap(),
        evaluation,
        explanations,
        score: okpi::kpi::score(model, as_of).unwrap(),
        scorecards,
        queries,
        alerts: okpi::alert::evaluate_rules(model, day(1, 1), day(2, 28), &BTreeMap::new()).unwrap(),
        strategy: okpi::strategy_view(model, as_of, &Default::default()).unwrap(),
    }
}

impl Reports {
    fn filtered(&self, view: &View<'_>) -> Reports {
        Reports {
            evaluation: view.apply(self.evaluation.clone()),
            explanations: self.explanations.iter().map(|e| view.apply(e.clone())).collect(),
            score: view.apply(self.score.clone()),
            scorecards: view.apply(self.scorecards.clone()),
            queries: self.queries.iter().map(|q| view.apply(q.clone())).collect(),
            alerts: view.apply(self.alerts.clone()),
            diagnosis: view.apply(self.diagnosis.clone()),
            strategy: view.apply(self.strategy.clone()),
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(&json!([
            self.evaluation,
            self.explanations,
            self.score,
            self.scorecards,
            self.queries,
            self.alerts,
            self.diagnosis,
            self.strategy
        ]))
        .unwrap()
    }
}

fn viewer_of(c: &Case, org: &Org) -> (Viewer, Vec<Role>) {
    let me = c.viewer as usize % org.person_unit.len();
    match c.roles_override {
        Some(r) => (Viewer::with_roles(person(me), &roles(r)), roles(r)),
        None => (Viewer::new(person(me)), org.person_roles[me].clone()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// No filtered report (nor the filtered error of a document that does not validate) holds an id the viewer may
    /// not see, anywhere in its JSON; and exactly the objectives, key results, targets, scorecards and alert
    /// rules the oracle allows remain.
    #[test]
    fn filtered_reports_leak_no_hidden_id(c in case_strategy()) {
        let (doc, org) = build(&c);
        let (viewer, roles) = viewer_of(&c, &org);
        let settings = { let mut s = AccessSettings::default(); s.min_group_size = c.min_group_size as usize; s };
        let oracle = Oracle::new(&org, c.viewer as usize % org.person_unit.len(), &roles);
        let forbidden = oracle.forbidden();
        let text = match Model::new(doc.clone()) {
            Ok(model) => {
                let view = View::new(&model, &viewer, &settings).unwrap();
                let filtered = reports(&model).filtered(&view);
                let objectives: BTreeSet<String> = filtered.evaluation.objectives.iter().map(|o| o.id.to_string()).collect();
                let want: BTreeSet<String> = (0..org.objectives.len()).filter(|&i| oracle.objective(i)).map(objective).collect();
                prop_assert_eq!(objectives, want);
                let krs: BTreeSet<String> = filtered.evaluation.key_results.iter().map(|k| k.id.to_string()).collect();
                let want: BTreeSet<String> = org.krs.iter().filter(|(o, _)| oracle.objective(*o)).map(|(_, k)| k.clone()).collect();
                prop_assert_eq!(krs, want);
                let targets: BTreeSet<String> = filtered.score.targets.iter().map(|t| t.id.clone()).collect();
                let want: BTreeSet<String> = (0..org.targets.len()).filter(|&i| oracle.scope(org.targets[i])).map(target).collect();
                prop_assert_eq!(targets, want);
                let cards: BTreeSet<String> = filtered.scorecards.scorecards.iter().map(|s| s.id.clone()).collect();
                let want: BTreeSet<String> = (0..org.targets.len()).filter(|&i| oracle.scope(org.targets[i])).map(scorecard).collect();
                prop_assert_eq!(cards, want);
                // A unit's alert rule also goes when a period's value is withheld (its events would tell it).
                let rules: BTreeSet<String> = filtered.alerts.alerts.iter().map(|a| a.rule.clone()).collect();
                let want: BTreeSet<String> = (0..org.rules.len()).filter(|&i| oracle.scope(org.rules[i])).map(rule).collect();
                prop_assert!(rules.is_subset(&want));
                let people_rules: BTreeSet<String> = (0..org.rules.len())
                    .filter(|&i| matches!(org.rules[i], Scope::Person(_)) && oracle.scope(org.rules[i]))
                    .map(rule)
                    .collect();
                prop_assert!(people_rules.is_subset(&rules));
                // Roll-ups keep their true values.
                let all = reports(&model);
                for o in &filtered.evaluation.objectives {
                    prop_assert_eq!(Some(o.progress), all.evaluation.objective(&o.id).map(|x| x.progress));
                }
                filtered.json()
            }
            Err(_) => {
                let request = {
                    let mut v = ViewRequest::new(viewer.person.clone());
                    v.roles = viewer.roles.clone();
                    v.settings = settings;
                    v
                };
                let err = run_as(doc, Some(&request), |m| okpi::evaluate(m, day(2, 15), &Default::default()))
                    .unwrap_err();
                prop_assert!(err.problems().iter().any(|p| p.code == okpi::Code::E_PRIVATE_ALIGNMENT));
                serde_json::to_string(err.problems()).unwrap()
            }
        };
        for id in &forbidden {
            prop_assert!(!text.contains(id.as_str()), "{} leaks into {}", id, text);
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// An hr_admin sees everything: filtering changes no report.
    #[test]
    fn hr_admin_filter_is_identity(c in case_strategy()) {
        let (doc, _) = build(&c);
        let Ok(model) = Model::new(doc.clone()) else { return Ok(()) };
        let hr = Viewer::with_roles(person(0), &[Role::HrAdmin]);
        let view = View::new(&model, &hr, &AccessSettings::default()).unwrap();
        let all = reports(&model);
        prop_assert_eq!(all.filtered(&view).json(), all.json());
    }

    /// Filtering twice equals filtering once, for every viewer and report.
    #[test]
    fn filtering_is_idempotent(c in case_strategy()) {
        let (doc, org) = build(&c);
        let (viewer, _) = viewer_of(&c, &org);
        let settings = { let mut s = AccessSettings::default(); s.min_group_size = c.min_group_size as usize; s };
        match Model::new(doc.clone()) {
            Ok(model) => {
                let view = View::new(&model, &viewer, &settings).unwrap();
                let once = reports(&model).filtered(&view);
                prop_assert_eq!(once.filtered(&view).json(), once.json());
            }
            Err(e) => {
                let view = View::from_document(&doc, &viewer, &settings).unwrap();
                let once = view.apply(e);
                prop_assert_eq!(view.apply(once.clone()), once);
            }
        }
    }
}
