//! One quarter of OKRs: two objectives per unit aligned up the tree, the rest owned by people and aligned to their
//! unit's; 3.5 key results per objective of every kind; check-ins spread over the quarter.

use crate::org::{person_id, person_units, unit_id, Tree};
use crate::rng::Rng;
use crate::{day, Shape, QUARTER};
use okpi::model::{
    Alignment, AlignmentMode, CheckIn, Checkpoint, Cycle, KeyResult, KrKind, KrVersion, ManualUpdate,
    Objective, ObjectiveKind, Owner, ProgressFrom, Rollup, Step, Visibility,
};
use okpi::Document;

/// The id of unit `u`'s objective `k` (1 committed, 2 aspirational).
pub fn unit_objective_id(u: usize, k: usize) -> String {
    format!("ou{u:05}-{k}")
}

fn person_objective_id(i: usize) -> String {
    format!("op{i:07}")
}

/// What the generator decided about one objective before writing its key results.
struct Plan {
    id: String,
    /// The objectives aligned to it as contributing children (for linked key results).
    children: Vec<usize>,
    by_value: bool,
    public: bool,
}

/// Fills cycles, objectives, key results, alignments and check-ins.
pub fn fill(doc: &mut Document, tree: &Tree, shape: &Shape, seed: u64) {
    let mut rng = Rng::new(seed ^ 0x0b1e_c71e);
    doc.cycles = vec![
        Cycle {
            id: "2026".into(),
            start: day(0),
            end: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
            parent: None,
        },
        Cycle {
            id: QUARTER.into(),
            start: day(0),
            end: day(89),
            parent: Some("2026".into()),
        },
    ];
    let units = tree.len();
    let person_unit = person_units(tree, shape.people, seed);
    let mut plans: Vec<Plan> = Vec::with_capacity(shape.objectives);
    // Unit objectives: index 2u + k − 1.
    for u in 0..units {
        for k in 1..=2 {
            let id = unit_objective_id(u, k);
            doc.objectives.push(Objective {
                id: id.clone(),
                title: format!(
                    "Unit {u}: {}",
                    if k == 1 {
                        "grow revenue"
                    } else {
                        "delight customers"
                    }
                ),
                owner: Some(Owner::Unit(unit_id(u))),
                cycle: QUARTER.into(),
                kind: if k == 1 {
                    ObjectiveKind::Committed
                } else {
                    ObjectiveKind::Aspirational
                },
                visibility: Visibility::Public,
                progress_from: ProgressFrom::Both,
                rollup: None,
                pace: Vec::new(),
                manual_updates: Vec::new(),
            });
            if let Some(p) = tree.parent.get(u).copied().flatten() {
                doc.alignments.push(Alignment {
                    child: id.clone(),
                    parent: unit_objective_id(p, k),
                    weight: if rng.chance(0.2) { 2.0 } else { 1.0 },
                    mode: AlignmentMode::Contributes,
                });
                if let Some(parent) = plans.get_mut(2 * p + k - 1) {
                    parent.children.push(2 * u + k - 1);
                }
            }
            plans.push(Plan {
                id,
                children: Vec::new(),
                by_value: false,
                public: true,
            });
        }
    }
    // People's objectives, round-robin over people.
    for i in 0..shape.objectives.saturating_sub(2 * units) {
        let p = i % shape.people.max(1);
        let u = person_unit.get(p).copied().unwrap_or(0);
        let id = person_objective_id(i);
        let manual = rng.chance(0.01);
        let by_value = !manual && rng.chance(0.01);
        let visibility = match rng.unit() {
            x if x < 0.05 => Visibility::Private,
            x if x < 0.15 => Visibility::Team,
            _ => Visibility::Public,
        };
        let pace = if rng.chance(0.03) {
            vec![
                Checkpoint {
                    date: day(31),
                    expected: 0.2,
                },
                Checkpoint {
                    date: day(59),
                    expected: 0.6,
                },
            ]
        } else {
            Vec::new()
        };
        doc.objectives.push(Objective {
            id: id.clone(),
            title: format!("Person {p}: objective {i}"),
            owner: Some(Owner::Person(person_id(p))),
            cycle: QUARTER.into(),
            kind: if rng.chance(0.2) {
                ObjectiveKind::Aspirational
            } else {
                ObjectiveKind::Committed
            },
            visibility,
            progress_from: if manual {
                ProgressFrom::Manual
            } else {
                ProgressFrom::KeyResults
            },
            rollup: by_value.then_some(Rollup::ByValue),
            pace,
            manual_updates: if manual {
                vec![
                    ManualUpdate {
                        date: day(30),
                        progress: 0.3,
                        note: None,
                    },
                    ManualUpdate {
                        date: day(60),
                        progress: rng.range(0.4, 0.9),
                        note: Some("on plan".into()),
                    },
                ]
            } else {
                Vec::new()
            },
        });
        let k = 1 + rng.below(2);
        let aligned = rng.unit();
        if aligned < 0.97 {
            let contributes = aligned < 0.85;
            doc.alignments.push(Alignment {
                child: id.clone(),
                parent: unit_objective_id(u, k),
                weight: 1.0,
                mode: if contributes {
                    AlignmentMode::Contributes
                } else {
                    AlignmentMode::Supports
                },
            });
            if contributes && visibility == Visibility::Public {
                let me = plans.len();
                if let Some(parent) = plans.get_mut(2 * u + k - 1) {
                    parent.children.push(me);
                }
            }
        }
        plans.push(Plan {
            id,
            children: Vec::new(),
            by_value,
            public: visibility == Visibility::Public,
        });
    }
    key_results(doc, &plans, &mut rng);
    check_ins(doc, shape.check_ins, &mut rng);
}

fn key_results(doc: &mut Document, plans: &[Plan], rng: &mut Rng) {
    for (i, plan) in plans.iter().enumerate() {
        for j in 0..3 + i % 2 {
            let kind = if plan.by_value {
                KrKind::Increase
            } else {
                match rng.unit() {
                    x if x < 0.55 => KrKind::Increase,
                    x if x < 0.70 => KrKind::Decrease,
                    x if x < 0.77 => KrKind::StayAbove,
                    x if x < 0.84 => KrKind::StayBelow,
                    x if x < 0.96 => KrKind::Milestone,
                    _ => KrKind::Linked,
                }
            };
            // A linked key result reads a public contributing child; without one it becomes an increase.
            let linked = match kind {
                KrKind::Linked => plan
                    .children
                    .get(rng.below(plan.children.len()))
                    .and_then(|&c| plans.get(c))
                    .filter(|c| c.public)
                    .map(|c| c.id.clone()),
                _ => None,
            };
            let kind = if kind == KrKind::Linked && linked.is_none() {
                KrKind::Increase
            } else {
                kind
            };
            doc.key_results.push(key_result(
                format!("{}-k{j}", plan.id),
                &plan.id,
                kind,
                linked,
                plan,
                rng,
            ));
        }
    }
}

fn key_result(
    id: String,
    objective: &str,
    kind: KrKind,
    linked_objective: Option<String>,
    plan: &Plan,
    rng: &mut Rng,
) -> KeyResult {
    let mut kr = KeyResult {
        id,
        objective: objective.to_owned(),
        title: String::new(),
        kind,
        start: None,
        target: None,
        bound: None,
        inclusive: None,
        steps: Vec::new(),
        linked_objective,
        weight: if rng.chance(0.2) { 2.0 } else { 1.0 },
        unit: None,
        pace: Vec::new(),
        versions: Vec::new(),
        link: None,
    };
    const UNITS: [&str; 4] = ["%", "users", "CNY", "tickets"];
    match kind {
        KrKind::Increase => {
            let s = (rng.range(0.0, 1000.0)).round();
            kr.start = Some(s);
            kr.target = Some(s + rng.range(10.0, 500.0).round());
            kr.title = format!("Raise {} to {}", kr.id, kr.target.unwrap_or_default());
        }
        KrKind::Decrease => {
            let s = rng.range(50.0, 500.0).round();
            kr.start = Some(s);
            kr.target = Some((s * rng.range(0.3, 0.8)).round());
            kr.title = format!("Cut {} to {}", kr.id, kr.target.unwrap_or_default());
        }
        KrKind::StayAbove | KrKind::StayBelow => {
            kr.bound = Some(rng.range(80.0, 99.0).round());
            kr.inclusive = rng.chance(0.2).then_some(false);
            kr.title = format!("Keep {} within {}", kr.id, kr.bound.unwrap_or_default());
        }
        KrKind::Milestone => {
            kr.title = format!("Launch the {} milestone", kr.id);
            if rng.chance(0.5) {
                kr.steps = (0..3 + rng.below(3))
                    .map(|n| Step {
                        title: format!("step {n}"),
                        weight: 1.0 + rng.below(3) as f64,
                        done_on: rng.chance(0.5).then(|| day(5 + rng.below(80) as u64)),
                    })
                    .collect();
            }
        }
        KrKind::Linked => kr.title = "Carry the child objective".into(),
        // A kind the generator does not know yet keeps its defaults.
        _ => {}
    }
    if matches!(kind, KrKind::Increase | KrKind::Decrease) {
        kr.unit = Some(
            if plan.by_value {
                "CNY"
            } else {
                UNITS.get(rng.below(UNITS.len())).copied().unwrap_or("%")
            }
            .into(),
        );
        if rng.chance(0.02) {
            let target = kr.target.unwrap_or_default();
            let start = kr.start.unwrap_or_default();
            kr.versions.push(KrVersion {
                effective: day(45),
                reason: "re-planned at mid-quarter".into(),
                start: None,
                target: Some((start + (target - start) * 0.9).round()),
                bound: None,
                weight: None,
            });
        }
    }
    kr
}

/// Spreads `total` check-ins over the key results that take them, each with dates across the quarter and values
/// that move towards (or past, or short of) the target.
fn check_ins(doc: &mut Document, total: usize, rng: &mut Rng) {
    let takers: Vec<usize> = doc
        .key_results
        .iter()
        .enumerate()
        .filter(|(_, k)| k.kind != KrKind::Linked)
        .map(|(i, _)| i)
        .collect();
    let n = takers.len().max(1);
    doc.check_ins.reserve(total);
    for (e, &i) in takers.iter().enumerate() {
        let Some(kr) = doc.key_results.get(i) else {
            continue;
        };
        let count = (e + 1) * total / n - e * total / n;
        let pace = rng.range(0.3, 1.25);
        let mut confidence = rng.chance(0.7).then(|| (3 + rng.below(7)) as f64);
        let done_late = rng.chance(0.4);
        for j in 0..count {
            let slot = 84 / count.max(1);
            let d = 3 + (j * 84 / count.max(1) + rng.below(slot.max(1))) as u64;
            let t = d as f64 / 90.0;
            let noise = 1.0 + rng.range(-0.05, 0.05);
            let (s, g) = (kr.start.unwrap_or(0.0), kr.target.unwrap_or(0.0));
            let b = kr.bound.unwrap_or(0.0);
            let value = match kr.kind {
                KrKind::Increase | KrKind::Decrease => {
                    Some(((s + (g - s) * pace * t * noise) * 10.0).round() / 10.0)
                }
                KrKind::StayAbove => Some((b + rng.range(-4.0, 6.0)).round()),
                KrKind::StayBelow => Some((b + rng.range(-6.0, 4.0)).round()),
                KrKind::Milestone if !kr.steps.is_empty() => None,
                KrKind::Milestone => Some(if done_late && j + 1 == count { 1.0 } else { 0.0 }),
                KrKind::Linked => None,
                _ => None,
            };
            if let Some(c) = confidence.as_mut() {
                *c = (*c + rng.below(3) as f64 - 1.0).clamp(0.0, 10.0);
            }
            doc.check_ins.push(CheckIn {
                key_result: kr.id.clone(),
                date: day(d.min(89)),
                value,
                confidence: confidence.filter(|_| rng.chance(0.9)),
                note: rng.chance(0.05).then(|| "weekly update".into()),
            });
        }
    }
}
