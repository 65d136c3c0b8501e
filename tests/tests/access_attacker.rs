//! The attacker property (DOMAIN.md §9, "no number gives away what it hides"): over generated organisations,
//! observations and viewers, the test asks every KPI cell a viewer may request — every unit (as a filter, as a
//! group, as a drill-down), each dim filter and group-by over a small dim set — plus every scorecard, target score
//! and strategy view, keeps the numbers the filtered reports show, and tries to solve for a hidden person's data:
//!
//! - a shown cell whose hidden part covers 1 to `min_group_size − 1` people gives that part away (the attacker
//!   subtracts what they may see themselves);
//! - two shown cells whose hidden parts nest give away their difference;
//! - a scorecard total minus its visible items, and a support health beside its visible lights, give away the
//!   hidden items.
//!
//! The attacker knows the ground truth of which observations each cell reads (the test built them), which is more
//! than a real viewer knows; it must still find nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

use chrono::NaiveDate;
use okpi::access::{AccessSettings, View, Viewer};
use okpi::model::Role;
use okpi::{Document, Model};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
struct Case {
    /// Per unit: parent selector, manager selector.
    units: Vec<(u8, u8)>,
    /// Per person: unit selector, roles selector.
    people: Vec<(u8, u8)>,
    /// Per observation: person selector, channel, value, tagged with the unit alone (no person), measure.
    observations: Vec<(u8, u8, u8, bool, u8)>,
    /// Per target: scope selector, target value.
    targets: Vec<(u8, u8)>,
    viewer: u8,
    roles: Option<u8>,
    min_group_size: u8,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(any::<(u8, u8)>(), 1..6),
        prop::collection::vec(any::<(u8, u8)>(), 2..14),
        prop::collection::vec(
            (any::<u8>(), 0u8..2, 1u8..50, prop::bool::weighted(0.1), 0u8..2),
            1..30,
        ),
        prop::collection::vec((any::<u8>(), 1u8..200), 0..6),
        (any::<u8>(), prop::option::of(any::<u8>()), 2u8..6),
    )
        .prop_map(
            |(units, people, observations, targets, (viewer, roles, min))| Case {
                units,
                people,
                observations,
                targets,
                viewer,
                roles,
                min_group_size: min,
            },
        )
}

fn unit(i: usize) -> String {
    format!("u{i}")
}
fn person(i: usize) -> String {
    format!("p{i}")
}
const CHANNELS: [&str; 2] = ["phone", "chat"];
const MEASURES: [&str; 2] = ["calls", "minutes"];
/// Each metric with the measures it sums: `both_m` is the derived `calls_m + minutes_m`, so subtracting a
/// `calls_m` cell from a `both_m` cell gives a sum of minutes.
const METRICS: [(&str, &[usize]); 3] = [("calls_m", &[0]), ("minutes_m", &[1]), ("both_m", &[0, 1])];

/// Roles from a selector: manager on odd numbers, executive on multiples of 5.
fn roles(sel: u8) -> Vec<Role> {
    let mut r = vec![Role::Employee];
    if sel % 2 == 1 {
        r.push(Role::Manager);
    }
    if sel % 5 == 0 {
        r.push(Role::Executive);
    }
    r
}

/// One observation as the test knows it.
#[derive(Debug, Clone)]
struct Obs {
    person: Option<usize>,
    unit: Option<usize>,
    channel: usize,
    /// 0: calls, 1: minutes.
    measure: usize,
}

#[derive(Debug, Clone, Copy)]
enum Scope {
    Unit(usize),
    Person(usize),
}

/// The generated organisation, in index form.
struct World {
    parent: Vec<Option<usize>>,
    person_unit: Vec<Option<usize>>,
    obs: Vec<Obs>,
    targets: Vec<Scope>,
}

impl World {
    /// `u` and its ancestors.
    fn chain(&self, u: usize) -> Vec<usize> {
        let mut out = vec![u];
        while let Some(p) = self.parent[*out.last().unwrap()] {
            out.push(p);
        }
        out
    }
    fn in_subtree(&self, u: usize, root: usize) -> bool {
        self.chain(u).contains(&root)
    }
    /// The people an observation is about: its person, else the members of its unit's subtree.
    fn people_of(&self, o: &Obs) -> BTreeSet<usize> {
        match (o.person, o.unit) {
            (Some(p), _) => BTreeSet::from([p]),
            (None, Some(u)) => (0..self.person_unit.len())
                .filter(|&p| self.person_unit[p].is_some_and(|pu| self.in_subtree(pu, u)))
                .collect(),
            (None, None) => (0..self.person_unit.len()).collect(),
        }
    }
}

fn build(c: &Case) -> (Document, World) {
    let (nu, np) = (c.units.len(), c.people.len());
    let parent: Vec<Option<usize>> = c
        .units
        .iter()
        .enumerate()
        .map(|(i, (p, _))| {
            let r = *p as usize % (i + 1);
            (r < i).then_some(r)
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
    let units: Vec<Value> = (0..nu)
        .map(|i| {
            let mut u = json!({ "id": unit(i) });
            if let Some(p) = parent[i] {
                u["parent"] = json!(unit(p));
            }
            let m = c.units[i].1 as usize % (np + 1);
            if m < np {
                u["manager"] = json!(person(m));
            }
            u
        })
        .collect();
    let people: Vec<Value> = (0..np)
        .map(|i| {
            let mut p = json!({ "id": person(i), "roles": roles(c.people[i].1) });
            if let Some(u) = person_unit[i] {
                p["unit"] = json!(unit(u));
            }
            p
        })
        .collect();
    let mut obs = Vec::new();
    let observations: Vec<Value> = c
        .observations
        .iter()
        .enumerate()
        .map(|(i, (p, ch, v, unit_only, m))| {
            let p = *p as usize % np;
            let u = person_unit[p];
            let o = Obs {
                person: (!unit_only || u.is_none()).then_some(p),
                unit: u,
                channel: *ch as usize,
                measure: *m as usize,
            };
            let mut dims = json!({ "channel": CHANNELS[o.channel], "n": i.to_string() });
            if let Some(p) = o.person {
                dims["person"] = json!(person(p));
            }
            if let Some(u) = o.unit {
                dims["unit"] = json!(unit(u));
            }
            let measure = MEASURES[o.measure];
            obs.push(o);
            let date = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap() + chrono::Duration::days(i as i64 % 28);
            json!({"measure": measure, "date": date, "value": v, "dims": dims})
        })
        .collect();
    let mut targets = Vec::new();
    let mut scopes = Vec::new();
    let mut scorecards = Vec::new();
    for (i, (s, t)) in c.targets.iter().enumerate() {
        let sel = *s as usize % (nu + np);
        let scope = if sel < nu {
            Scope::Unit(sel)
        } else {
            Scope::Person(sel - nu)
        };
        scopes.push(scope);
        let scope_json = match scope {
            Scope::Unit(u) => json!({ "unit": unit(u) }),
            Scope::Person(p) => json!({ "person": person(p) }),
        };
        targets.push(
            json!({"id": format!("t{i}"), "metric": "calls_m", "scope": scope_json.clone(),
            "cycle": "q1", "target": t, "supports": [format!("k{}", i % 2)]}),
        );
        scorecards.push(json!({"id": format!("s{i}"), "subject": scope_json.clone(),
            "items": [{"target": format!("t{i}"), "weight": 100}]}));
        if i > 0 {
            // A two-item scorecard: its total minus a visible item is the other item.
            scorecards.push(json!({"id": format!("s{}_{i}", i - 1), "subject": scope_json,
                "items": [{"target": format!("t{}", i - 1), "weight": 50}, {"target": format!("t{i}"), "weight": 50}]}));
        }
    }
    let doc = json!({
        "schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": units, "people": people,
        "objectives": [{"id": "top", "cycle": "q1"}],
        "key_results": [{"id": "k0", "objective": "top", "kind": "increase", "start": 0, "target": 10},
                        {"id": "k1", "objective": "top", "kind": "increase", "start": 0, "target": 10}],
        "measures": [{"id": "calls"}, {"id": "minutes"}],
        "metrics": [{"id": "calls_m", "kind": "simple", "measure": "calls", "agg": "sum", "grain": "month"},
                    {"id": "minutes_m", "kind": "simple", "measure": "minutes", "agg": "sum", "grain": "month"},
                    {"id": "both_m", "kind": "derived", "expression": "calls_m + minutes_m", "grain": "month"}],
        "observations": observations, "targets": targets, "scorecards": scorecards,
    });
    let world = World {
        parent,
        person_unit,
        obs,
        targets: scopes,
    };
    (Document::from_json(&doc.to_string()).unwrap(), world)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Which observations a query's cell reads: `filters` as the query takes them (`unit`: a subtree), `group` exactly
/// (`unit`: that unit alone, or with `drill_down` its subtree, as `query_units` reads it).
fn reads(
    w: &World,
    measures: &[usize],
    filters: &BTreeMap<String, String>,
    group: &BTreeMap<String, String>,
    drill_down: bool,
) -> BTreeSet<usize> {
    let idx = |s: &str, prefix: char| s.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok());
    (0..w.obs.len())
        .filter(|&i| measures.contains(&w.obs[i].measure))
        .filter(|&i| {
            let o = &w.obs[i];
            let unit_ok = |u: &str, subtree: bool| {
                let Some(u) = idx(u, 'u') else { return false };
                o.unit
                    .is_some_and(|ou| if subtree { w.in_subtree(ou, u) } else { ou == u })
            };
            let ok = |k: &str, v: &str, subtree: bool| match k {
                "unit" => unit_ok(v, subtree),
                "person" => o.person.is_some() && o.person == idx(v, 'p'),
                "channel" => CHANNELS[o.channel] == v,
                _ => false,
            };
            filters.iter().all(|(k, v)| ok(k, v, true)) && group.iter().all(|(k, v)| ok(k, v, drill_down))
        })
        .collect()
}

/// The attacker's knowledge: for each shown number, the hidden observations whose sum it gives away (the viewer
/// subtracts the parts they may see).
struct Attacker<'w> {
    w: &'w World,
    hidden_people: BTreeSet<usize>,
    min: usize,
    /// (what the number is, the hidden observations it sums).
    known: Vec<(String, BTreeSet<usize>)>,
    /// Numbers that combine hidden items in a way that is not a sum of observations (a total over scores, a
    /// health over lights), with the hidden people they read.
    opaque: Vec<(String, BTreeSet<usize>)>,
}

impl Attacker<'_> {
    fn hidden_obs(&self, obs: &BTreeSet<usize>) -> BTreeSet<usize> {
        obs.iter()
            .copied()
            .filter(|&i| !self.w.people_of(&self.w.obs[i]).is_disjoint(&self.hidden_people))
            .collect()
    }
    fn hidden_people_of(&self, obs: &BTreeSet<usize>) -> BTreeSet<usize> {
        obs.iter()
            .flat_map(|&i| self.w.people_of(&self.w.obs[i]))
            .filter(|p| self.hidden_people.contains(p))
            .collect()
    }
    fn too_few(&self, people: &BTreeSet<usize>) -> bool {
        !people.is_empty() && people.len() < self.min
    }
    fn scope_obs(&self, s: Scope) -> BTreeSet<usize> {
        (0..self.w.obs.len())
            .filter(|&i| self.w.obs[i].measure == 0)
            .filter(|&i| {
                let o = &self.w.obs[i];
                match s {
                    Scope::Unit(u) => o.unit.is_some_and(|ou| self.w.in_subtree(ou, u)),
                    Scope::Person(p) => o.person == Some(p),
                }
            })
            .collect()
    }
    /// Every way found to single out fewer than `min` hidden people.
    fn leaks(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (what, h) in self.known.iter().chain(&self.opaque) {
            let people = if self.known.iter().any(|(w, _)| w == what) {
                self.hidden_people_of(h)
            } else {
                h.clone()
            };
            if self.too_few(&people) {
                out.push(format!("{what} reads hidden people {people:?} alone"));
            }
        }
        // Each distinct hidden part once (many cells share one); an empty one subtracts nothing.
        let mut distinct: BTreeMap<&BTreeSet<usize>, &str> = BTreeMap::new();
        for (what, h) in &self.known {
            if !h.is_empty() {
                distinct.entry(h).or_insert(what);
            }
        }
        for (ha, a) in &distinct {
            for (hb, b) in &distinct {
                if ha.len() < hb.len() && ha.is_subset(hb) {
                    let diff: BTreeSet<usize> = hb.difference(ha).copied().collect();
                    let people = self.hidden_people_of(&diff);
                    if self.too_few(&people) {
                        out.push(format!("{b} minus {a} reads hidden people {people:?} alone"));
                    }
                }
            }
        }
        out
    }
}

fn attack(c: &Case) -> Vec<String> {
    let (doc, w) = build(c);
    let model = Model::new(doc.clone()).unwrap();
    let np = w.person_unit.len();
    let me = c.viewer as usize % np;
    let viewer = match c.roles {
        Some(r) => Viewer::with_roles(person(me), &roles(r)),
        None => Viewer::new(person(me)),
    };
    let mut settings = AccessSettings::default();
    settings.min_group_size = c.min_group_size as usize;
    let view = View::new(&model, &viewer, &settings).unwrap();
    let hidden_people: BTreeSet<usize> = (0..np)
        .filter(|&p| !view.sees_person_results(&person(p)))
        .collect();
    let mut att = Attacker {
        w: &w,
        hidden_people,
        min: settings.min_group_size,
        known: Vec::new(),
        opaque: Vec::new(),
    };
    // Every cell the viewer may request.
    let mut unit_filters: Vec<Option<String>> = vec![None];
    unit_filters.extend((0..w.parent.len()).map(|u| Some(unit(u))));
    let mut channel_filters: Vec<Option<&str>> = vec![None];
    channel_filters.extend(CHANNELS.iter().copied().map(Some));
    let group_bys: [&[&str]; 6] = [
        &[],
        &["unit"],
        &["channel"],
        &["person"],
        &["unit", "channel"],
        &["person", "channel"],
    ];
    for u in &unit_filters {
        for ch in &channel_filters {
            let mut filters = BTreeMap::new();
            if let Some(u) = u {
                filters.insert("unit".to_owned(), u.clone());
            }
            if let Some(ch) = ch {
                filters.insert("channel".to_owned(), (*ch).to_owned());
            }
            for (metric, measures) in METRICS {
                // The other metrics are asked by unit only (enough to difference one measure against another).
                let by_unit_only = metric != "calls_m";
                if by_unit_only && ch.is_some() {
                    continue;
                }
                let q = |group_by: &[&str]| {
                    let mut v = okpi::kpi::Query::new(metric, day(2, 1), day(2, 28));
                    v.filters = filters.clone();
                    v.group_by = group_by.iter().map(|g| g.to_string()).collect();
                    v
                };
                let mut tables = Vec::new();
                for g in group_bys
                    .iter()
                    .take(if by_unit_only { 2 } else { group_bys.len() })
                {
                    tables.push((okpi::kpi::query(&model, &q(g)).unwrap(), false));
                }
                tables.push((okpi::kpi::query_units(&model, &q(&[])).unwrap(), true));
                for (table, drill_down) in tables {
                    let shown = view.apply(table);
                    for cell in &shown.cells {
                        if cell.value.is_some() {
                            let obs = reads(&w, measures, &shown.filters, &cell.group.to_map(), drill_down);
                            let name = format!(
                                "{} {metric} cell {:?} of {:?}",
                                if drill_down { "query_units" } else { "query" },
                                cell.group,
                                shown.filters
                            );
                            att.known.push((name, att.hidden_obs(&obs)));
                        }
                    }
                }
            }
        }
    }
    // Target scores: each is a number over its scope's observations.
    let as_of = day(3, 31);
    let score = view.apply(okpi::kpi::score(&model, as_of).unwrap());
    for t in &score.targets {
        let i: usize = t.id[1..].parse().unwrap();
        if t.score.is_some() {
            let hidden = att.hidden_people_of(&att.scope_obs(w.targets[i]));
            att.opaque.push((format!("score of target {}", t.id), hidden));
        }
    }
    // Scorecards: a total minus its visible items is its hidden items.
    let req = okpi::kpi::ScorecardRequest::new(as_of);
    let all = okpi::hybrid::scorecards(&model, &req).unwrap();
    let shown = view.apply(all.clone());
    for s in &shown.scorecards {
        if s.total.is_none() {
            continue;
        }
        let orig = all.scorecards.iter().find(|o| o.id == s.id).unwrap();
        let mut hidden = BTreeSet::new();
        for item in &orig.items {
            if !s.items.iter().any(|v| v.target == item.target) {
                let i: usize = item.target[1..].parse().unwrap();
                hidden.extend(att.hidden_people_of(&att.scope_obs(w.targets[i])));
                if let Scope::Person(p) = w.targets[i] {
                    if att.hidden_people.contains(&p) {
                        hidden.insert(p);
                    }
                }
            }
        }
        att.opaque.push((
            format!("scorecard {} total minus its visible items", s.id),
            hidden,
        ));
    }
    // Strategy view: a support health beside the visible lights gives away the hidden lights.
    let all = okpi::strategy_view(&model, as_of, &Default::default()).unwrap();
    let shown = view.apply(all.clone());
    for o in &shown.objectives {
        let orig = all.objectives.iter().find(|x| x.id == o.id).unwrap();
        for k in &o.key_results {
            let ok = orig.key_results.iter().find(|x| x.id == k.id).unwrap();
            if k.support.health.is_none() {
                continue;
            }
            if k.support.partial {
                // Recomputed over the visible KPIs: it must be their roll-up, and reads no hidden one.
                let lights: Vec<_> = k.supports.iter().map(|t| t.light).collect();
                let (g, a, r) = (
                    lights
                        .iter()
                        .filter(|l| **l == okpi::hybrid::Light::Green)
                        .count() as f64,
                    lights
                        .iter()
                        .filter(|l| **l == okpi::hybrid::Light::Amber)
                        .count() as f64,
                    lights.iter().filter(|l| **l == okpi::hybrid::Light::Red).count() as f64,
                );
                assert_eq!(
                    k.support.health,
                    Some((g + 0.5 * a) / (g + a + r)),
                    "partial health of {}",
                    k.id
                );
                continue;
            }
            let mut hidden = BTreeSet::new();
            for t in &ok.supports {
                if !k.supports.iter().any(|v| v.id == t.id) {
                    let i: usize = t.id[1..].parse().unwrap();
                    hidden.extend(att.hidden_people_of(&att.scope_obs(w.targets[i])));
                    if let Scope::Person(p) = w.targets[i] {
                        if att.hidden_people.contains(&p) {
                            hidden.insert(p);
                        }
                    }
                }
            }
            att.opaque.push((format!("support health of {}", k.id), hidden));
        }
    }
    att.leaks()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// No shown number, nor any difference of two nested ones, singles out fewer than `min_group_size` hidden
    /// people.
    #[test]
    fn attacker_finds_nothing(c in case_strategy()) {
        let leaks = attack(&c);
        prop_assert!(leaks.is_empty(), "{} ways, the first: {}", leaks.len(), leaks[..leaks.len().min(6)].join("\n"));
    }
}
