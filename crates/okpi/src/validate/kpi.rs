//! DOMAIN.md §5–6: measures, metrics, observations, targets and scorecards.

use super::org::Org;
use super::{unique_ids, Checker};
use crate::error::{Code, Problem};
use crate::idx::Idx;
use crate::idx::ObjIx;
use crate::model::{Curve, Direction, Document, KrKind, Metric, MetricKind, Scope};
use crate::text::expr::parse_expression_with;
use chrono::Datelike;
use std::collections::{HashMap, HashSet};

/// Each observation's measure (position in `measures`) and `unit` dim, resolved once by validation for the
/// model's store (`u32::MAX`: none or unknown).
#[derive(Debug, Default)]
pub(crate) struct ObsRefs {
    pub measure: Vec<u32>,
    pub unit: Vec<u32>,
}

pub(crate) fn check(
    doc: &Document,
    org: &Org,
    objectives: &HashMap<String, ObjIx>,
    limits: &crate::Limits,
    c: &mut Checker,
) -> ObsRefs {
    let measures = unique_ids(&doc.measures, "measures", |m| m.id.as_str(), c);
    let metrics = unique_ids(&doc.metrics, "metrics", |m| m.id.as_str(), c);
    let deps = check_metrics(doc, &measures, &metrics, limits, c);
    check_metric_cycles(doc, &metrics, &deps, c);
    check_cumulative_of_cumulative(doc, &deps, c);
    let refs = check_observations(doc, org, &measures, c);
    check_targets(doc, org, &metrics, c);
    check_scorecards(doc, org, objectives, c);
    check_links(doc, org, &metrics, c);
    refs
}

/// KR ← KPI links (a numeric KR, a known metric and scope) and the support map (known key results).
fn check_links(doc: &Document, org: &Org, metrics: &HashMap<&str, usize>, c: &mut Checker) {
    for (i, kr) in doc.key_results.iter().enumerate() {
        let Some(link) = &kr.link else { continue };
        let path = format!("$.key_results[{i}].link");
        let id = kr.id.as_str();
        if matches!(kr.kind, KrKind::Milestone | KrKind::Linked) {
            c.push(
                Code::E_FIELD_NOT_ALLOWED,
                path.clone(),
                Some(id),
                format!("{:?} key result {id} cannot read a metric", kr.kind),
            );
        }
        if !metrics.contains_key(link.metric.as_str()) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.metric"),
                Some(id),
                format!("key result {id} reads unknown metric {}", link.metric),
            );
        }
        if !scope_known(org, &link.scope) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.scope"),
                Some(id),
                format!(
                    "key result {id} reads a metric for unknown scope {:?}",
                    link.scope
                ),
            );
        }
    }
    let krs: HashSet<&str> = doc.key_results.iter().map(|k| k.id.as_str()).collect();
    for (i, t) in doc.targets.iter().enumerate() {
        for (j, kr) in t.supports.iter().enumerate() {
            if !krs.contains(kr.as_str()) {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("$.targets[{i}].supports[{j}]"),
                    Some(&t.id),
                    format!("target {} supports unknown key result {kr}", t.id),
                );
            }
        }
    }
}

fn scope_known(org: &Org, s: &Scope) -> bool {
    match s {
        Scope::Unit(u) => org.units.contains_key(u),
        Scope::Person(p) => org.people.contains_key(p),
    }
}

/// Checks each metric; returns each metric's input metrics (by position).
fn check_metrics(
    doc: &Document,
    measures: &HashMap<&str, usize>,
    metrics: &HashMap<&str, usize>,
    limits: &crate::Limits,
    c: &mut Checker,
) -> Vec<Vec<usize>> {
    let mut deps = Vec::with_capacity(doc.metrics.len());
    for (i, m) in doc.metrics.iter().enumerate() {
        let path = format!("$.metrics[{i}]");
        let id = m.id.as_str();
        let mut mine = Vec::new();
        let mut need_metric = |c: &mut Checker, field: &str, v: Option<&str>| match v {
            None => c.push(
                Code::E_MISSING_FIELD,
                format!("{path}.{field}"),
                Some(id),
                format!("{:?} metric {id} needs {field}", m.kind),
            ),
            Some(name) => match metrics.get(name) {
                Some(&p) => mine.push(p),
                None => c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{path}.{field}"),
                    Some(id),
                    format!("metric {id} reads unknown metric {name}"),
                ),
            },
        };
        match m.kind {
            MetricKind::Simple => match m.measure.as_deref() {
                None => c.push(
                    Code::E_MISSING_FIELD,
                    format!("{path}.measure"),
                    Some(id),
                    format!("simple metric {id} needs a measure"),
                ),
                Some(ms) if !measures.contains_key(ms) => c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{path}.measure"),
                    Some(id),
                    format!("metric {id} aggregates unknown measure {ms}"),
                ),
                Some(_) => {}
            },
            MetricKind::Ratio => {
                need_metric(c, "numerator", m.numerator.as_deref());
                need_metric(c, "denominator", m.denominator.as_deref());
            }
            MetricKind::Cumulative => {
                need_metric(c, "metric", m.metric.as_deref());
                if m.window.is_none() && m.to_date.is_none() {
                    c.push(
                        Code::E_MISSING_FIELD,
                        format!("{path}.window"),
                        Some(id),
                        format!("cumulative metric {id} needs a window or to_date"),
                    );
                }
                if m.window == Some(0) {
                    c.push(
                        Code::E_INVALID_VALUE,
                        format!("{path}.window"),
                        Some(id),
                        format!("cumulative metric {id} has a window of 0 grains"),
                    );
                }
            }
            MetricKind::Derived => match m.expression.as_deref() {
                None => need_metric(c, "expression", None),
                Some(text) => match parse_expression_with(text, limits) {
                    Err(e) if e.limit.is_some() => c.push(
                        Code::E_LIMIT,
                        format!("{path}.expression"),
                        Some(id),
                        format!("{} (expression of {id}, column {})", e.message, e.column),
                    ),
                    Err(e) => c.push(
                        Code::E_EXPRESSION,
                        format!("{path}.expression"),
                        Some(id),
                        format!("expression of {id}, column {}: {}", e.column, e.message),
                    ),
                    Ok(e) => {
                        for (name, _) in e.inputs() {
                            need_metric(c, "expression", Some(name));
                        }
                    }
                },
            },
        }
        let present = [
            ("measure", m.measure.is_some()),
            ("agg", m.agg.is_some()),
            ("numerator", m.numerator.is_some()),
            ("denominator", m.denominator.is_some()),
            ("expression", m.expression.is_some()),
            ("metric", m.metric.is_some()),
            ("window", m.window.is_some()),
            ("to_date", m.to_date.is_some()),
        ];
        let allowed: &[&str] = match m.kind {
            MetricKind::Simple => &["measure", "agg"],
            MetricKind::Ratio => &["numerator", "denominator"],
            MetricKind::Derived => &["expression"],
            MetricKind::Cumulative => &["metric", "window", "to_date"],
        };
        for (field, set) in present {
            if set && !allowed.contains(&field) {
                c.push(
                    Code::E_FIELD_NOT_ALLOWED,
                    format!("{path}.{field}"),
                    Some(id),
                    format!("{field} is not used by {:?} metric {id}", m.kind),
                );
            }
        }
        if m.window.is_some() && m.to_date.is_some() {
            c.push(
                Code::E_INVALID_VALUE,
                format!("{path}.to_date"),
                Some(id),
                format!("cumulative metric {id} has both a window and to_date; choose one"),
            );
        }
        if let Direction::Band { lo, hi } = m.direction {
            if !lo.is_finite() || !hi.is_finite() || lo > hi {
                c.push(
                    Code::E_INVALID_VALUE,
                    format!("{path}.direction"),
                    Some(id),
                    format!("band of {id} is ({lo}, {hi}); it needs finite lo ≤ hi"),
                );
            }
        }
        mine.sort_unstable();
        mine.dedup();
        deps.push(mine);
    }
    deps
}

/// A cumulative metric may not read a cumulative metric, directly or through its inputs (DOMAIN.md §5: a window
/// of a window has no single meaning, and the inner window would ignore the outer one).
fn check_cumulative_of_cumulative(doc: &Document, deps: &[Vec<usize>], c: &mut Checker) {
    for (i, m) in doc.metrics.iter().enumerate() {
        if m.kind != MetricKind::Cumulative {
            continue;
        }
        let mut seen = vec![false; doc.metrics.len()];
        let mut stack: Vec<usize> = deps.get(i).cloned().unwrap_or_default();
        while let Some(at) = stack.pop() {
            if seen.get(at).is_none_or(|s| *s) {
                continue;
            }
            if let Some(s) = seen.get_mut(at) {
                *s = true;
            }
            let Some(inner) = doc.metrics.get(at) else {
                continue;
            };
            if inner.kind == MetricKind::Cumulative {
                c.push(
                    Code::E_INVALID_VALUE,
                    format!("$.metrics[{i}].metric"),
                    Some(&m.id),
                    format!(
                        "cumulative metric {} reads cumulative metric {}: a window of a window has no single meaning",
                        m.id, inner.id
                    ),
                );
                break;
            }
            stack.extend(deps.get(at).into_iter().flatten().copied());
        }
    }
}

fn check_metric_cycles(doc: &Document, metrics: &HashMap<&str, usize>, deps: &[Vec<usize>], c: &mut Checker) {
    // Colour DFS: 0 new, 1 on the stack, 2 done. Each cycle is reported once, at its first metric.
    let n = doc.metrics.len();
    let mut colour = vec![0u8; n];
    for root in 0..n {
        if metrics.get(doc.metrics.get(root).map_or("", |m| m.id.as_str())) != Some(&root) {
            continue; // duplicates are already reported
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (at, ref mut next)) = stack.last_mut() {
            if let Some(col) = colour.get_mut(at) {
                if *col == 0 {
                    *col = 1;
                }
            }
            let child = deps.get(at).and_then(|d| d.get(*next)).copied();
            *next += 1;
            match child {
                Some(ch) => match colour.get(ch).copied() {
                    Some(0) => stack.push((ch, 0)),
                    Some(1) => {
                        let names: Vec<&str> = stack
                            .iter()
                            .skip_while(|(p, _)| *p != ch)
                            .filter_map(|(p, _)| doc.metrics.get(*p).map(|m: &Metric| m.id.as_str()))
                            .chain(doc.metrics.get(ch).map(|m| m.id.as_str()))
                            .collect();
                        let id = doc.metrics.get(ch).map(|m| m.id.as_str());
                        c.push(
                            Code::E_CYCLE,
                            format!("$.metrics[{ch}]"),
                            id,
                            format!("metrics read each other in a cycle: {}", names.join(" → ")),
                        );
                    }
                    _ => {}
                },
                None => {
                    if let Some(col) = colour.get_mut(at) {
                        *col = 2;
                    }
                    stack.pop();
                }
            }
        }
    }
}

fn check_observations(
    doc: &Document,
    org: &Org,
    measures: &HashMap<&str, usize>,
    c: &mut Checker,
) -> ObsRefs {
    let mut refs = ObsRefs {
        measure: Vec::with_capacity(doc.observations.len()),
        unit: Vec::with_capacity(doc.observations.len()),
    };
    // Problems by observation, in the order each observation's checks run; duplicates are found afterwards.
    let mut found: Vec<(usize, Problem)> = Vec::new();
    let problem = |code, path: String, id: &str, msg: String| Problem::new(code, path, Some(id), msg);
    // The common observation (a known measure, dims exactly {unit: a known unit}, no source) is keyed by numbers:
    // (measure, unit) here, the day below.
    let mut keyed: Vec<Option<(usize, u32)>> = Vec::with_capacity(doc.observations.len());
    let mut last: Option<(&str, Option<usize>)> = None;
    for (i, o) in doc.observations.iter().enumerate() {
        let path = || format!("$.observations[{i}]");
        let m = match last {
            Some((name, m)) if name == o.measure => m,
            _ => {
                let m = measures.get(o.measure.as_str()).copied();
                last = Some((o.measure.as_str(), m));
                m
            }
        };
        if m.is_none() {
            found.push((
                i,
                problem(
                    Code::E_UNKNOWN_ID,
                    format!("{}.measure", path()),
                    &o.measure,
                    format!("observation of unknown measure {}", o.measure),
                ),
            ));
        }
        if !o.value.is_finite() {
            found.push((
                i,
                problem(
                    Code::E_NOT_FINITE,
                    format!("{}.value", path()),
                    &o.measure,
                    format!("value of {} is {}", o.measure, o.value),
                ),
            ));
        }
        let mut unit = None;
        if let Some(u) = o.dims.get("unit") {
            unit = org.units.get(u).copied();
            if unit.is_none() {
                found.push((
                    i,
                    problem(
                        Code::E_UNKNOWN_ID,
                        format!("{}.dims.unit", path()),
                        u,
                        format!("observation names unknown org unit {u}"),
                    ),
                ));
            }
        }
        refs.measure.push(m.map_or(u32::MAX, |m| m as u32));
        refs.unit.push(unit.map_or(u32::MAX, |u| u.index() as u32));
        keyed.push(match (m, unit) {
            (Some(m), Some(u)) if o.dims.len() == 1 && o.source.is_none() => Some((m, u.index() as u32)),
            _ => None,
        });
    }
    duplicates(doc, &keyed, &mut found);
    found.sort_by_key(|(i, _)| *i);
    c.problems.extend(found.into_iter().map(|(_, p)| p));
    refs
}

/// Reports every observation that repeats an earlier one (same measure, date, dims and source), naming the first.
/// Keyed observations are marked in a bitmap over (measure, day, unit); the rest are compared by their JSON.
fn duplicates(doc: &Document, keyed: &[Option<(usize, u32)>], found: &mut Vec<(usize, Problem)>) {
    let days = |d: chrono::NaiveDate| i64::from(d.num_days_from_ce());
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    let (mut measures, mut units) = (0usize, 0usize);
    for (o, k) in doc.observations.iter().zip(keyed) {
        if let Some((m, u)) = k {
            lo = lo.min(days(o.date));
            hi = hi.max(days(o.date));
            measures = measures.max(m + 1);
            units = units.max(*u as usize + 1);
        }
    }
    let span = usize::try_from(hi.saturating_sub(lo).saturating_add(1)).unwrap_or(0);
    let bits = measures.saturating_mul(span).saturating_mul(units);
    // A bitmap up to 64 MiB; beyond that (years of daily data in many units) keyed observations use the map too.
    let use_bitmap = bits > 0 && bits <= 1 << 29;
    let mut bitmap = vec![0u64; if use_bitmap { bits.div_ceil(64) } else { 0 }];
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut repeats: Vec<(usize, usize)> = Vec::new(); // (observation, bit) of keyed repeats
    for (i, (o, k)) in doc.observations.iter().zip(keyed).enumerate() {
        if let (true, Some((m, u))) = (use_bitmap, k) {
            let d = usize::try_from(days(o.date) - lo).unwrap_or(0);
            let bit = (m * span + d) * units + *u as usize;
            if let Some(word) = bitmap.get_mut(bit / 64) {
                if *word & (1 << (bit % 64)) != 0 {
                    repeats.push((i, bit));
                } else {
                    *word |= 1 << (bit % 64);
                }
            }
            continue;
        }
        let key = serde_json::to_string(&(&o.measure, o.date, &o.dims, &o.source)).unwrap_or_default();
        match seen.get(&key) {
            Some(&first) => found.push((i, repeat(o, i, first))),
            None => {
                seen.insert(key, i);
            }
        }
    }
    if repeats.is_empty() {
        return;
    }
    // The first observation of each repeated key, found in one more pass.
    let wanted: HashMap<usize, usize> = repeats.iter().map(|&(_, bit)| (bit, usize::MAX)).collect();
    let mut first = wanted;
    for (i, (o, k)) in doc.observations.iter().zip(keyed).enumerate() {
        if let Some((m, u)) = k {
            let d = usize::try_from(days(o.date) - lo).unwrap_or(0);
            if let Some(f) = first.get_mut(&((m * span + d) * units + *u as usize)) {
                if *f == usize::MAX {
                    *f = i;
                }
            }
        }
    }
    for (i, bit) in repeats {
        if let (Some(o), Some(&f)) = (doc.observations.get(i), first.get(&bit)) {
            found.push((i, repeat(o, i, f)));
        }
    }
}

fn repeat(o: &crate::model::Observation, i: usize, first: usize) -> Problem {
    Problem::new(
        Code::E_DUPLICATE_OBSERVATION,
        format!("$.observations[{i}]"),
        Some(&o.measure),
        format!(
            "observation repeats $.observations[{first}] (measure {}, {}, same dims and source)",
            o.measure, o.date
        ),
    )
}

fn check_targets(doc: &Document, org: &Org, metrics: &HashMap<&str, usize>, c: &mut Checker) {
    unique_ids(&doc.targets, "targets", |t| t.id.as_str(), c);
    for (i, t) in doc.targets.iter().enumerate() {
        let path = format!("$.targets[{i}]");
        let id = t.id.as_str();
        let metric = metrics.get(t.metric.as_str()).and_then(|&p| doc.metrics.get(p));
        if metric.is_none() {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.metric"),
                Some(id),
                format!("target {id} names unknown metric {}", t.metric),
            );
        }
        if !scope_known(org, &t.scope) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.scope"),
                Some(id),
                format!("target {id} has unknown scope {:?}", t.scope),
            );
        }
        if !org.cycles.contains_key(&t.cycle) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.cycle"),
                Some(id),
                format!("target {id} names unknown cycle {}", t.cycle),
            );
        }
        let tts = matches!(t.curve, Curve::ThresholdTargetStretch { .. });
        let band = metric.is_some_and(|m| matches!(m.direction, Direction::Band { .. }));
        let value = |c: &mut Checker, p: &str, field: &str, v: f64, ratio: bool| {
            if c.finite(p, id, field, v) && ratio && v <= 0.0 {
                c.push(
                    Code::E_TARGET_NOT_POSITIVE,
                    format!("{p}.{field}"),
                    Some(id),
                    format!(
                        "target {id} has {field} {v} ≤ 0 with a ratio formula; use threshold_target_stretch"
                    ),
                );
            }
        };
        value(c, &path, "target", t.target, !tts && !band);
        for (f, v) in [("threshold", t.threshold), ("stretch", t.stretch)] {
            if let Some(v) = v {
                value(c, &path, f, v, false);
            }
        }
        c.weight(&path, id, t.weight);
        if tts && t.threshold.is_none() {
            c.push(
                Code::E_MISSING_FIELD,
                format!("{path}.threshold"),
                Some(id),
                format!("target {id} uses threshold_target_stretch and needs a threshold"),
            );
        }
        check_curve(&t.curve, &path, id, c);
        for (j, ch) in t.changes.iter().enumerate() {
            let cp = format!("{path}.changes[{j}]");
            if let Some(v) = ch.target {
                value(c, &cp, "target", v, !tts && !band);
            }
            for (f, v) in [("threshold", ch.threshold), ("stretch", ch.stretch)] {
                if let Some(v) = v {
                    value(c, &cp, f, v, false);
                }
            }
            let reasoned = ch.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
            if let Some(lock) = t.locked_at {
                if ch.on > lock && !reasoned {
                    c.push(
                        Code::E_TARGET_LOCKED,
                        format!("{cp}.reason"),
                        Some(id),
                        format!(
                            "target {id} was locked on {lock}; the change of {} needs a reason",
                            ch.on
                        ),
                    );
                }
            }
        }
    }
}

pub(crate) fn check_curve(curve: &Curve, path: &str, id: &str, c: &mut Checker) {
    let nums: Vec<(&str, f64)> = match curve {
        Curve::Linear { floor, cap } => vec![("floor", *floor), ("cap", *cap)],
        Curve::ThresholdTargetStretch {
            at_threshold,
            at_target,
            at_stretch,
        } => vec![
            ("at_threshold", *at_threshold),
            ("at_target", *at_target),
            ("at_stretch", *at_stretch),
        ],
        Curve::Bands(b) => b
            .iter()
            .flat_map(|b| [("min_a", b.min_a), ("score", b.score)])
            .collect(),
        Curve::Binary => Vec::new(),
    };
    let cpath = format!("{path}.curve");
    let finite = nums.iter().all(|(f, v)| c.finite(&cpath, id, f, *v));
    if let Curve::Linear { floor, cap } = curve {
        if finite && floor > cap {
            c.push(
                Code::E_INVALID_VALUE,
                cpath,
                Some(id),
                format!("linear curve of {id} has floor {floor} above cap {cap}"),
            );
        }
    }
}

fn check_scorecards(doc: &Document, org: &Org, objectives: &HashMap<String, ObjIx>, c: &mut Checker) {
    unique_ids(&doc.scorecards, "scorecards", |s| s.id.as_str(), c);
    let targets: HashSet<&str> = doc.targets.iter().map(|t| t.id.as_str()).collect();
    for (i, s) in doc.scorecards.iter().enumerate() {
        let path = format!("$.scorecards[{i}]");
        let id = s.id.as_str();
        if !scope_known(org, &s.subject) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.subject"),
                Some(id),
                format!("scorecard {id} has unknown subject {:?}", s.subject),
            );
        }
        let mut sum = 0.0;
        let mut ok = true;
        for (j, it) in s.items.iter().enumerate() {
            let ip = format!("{path}.items[{j}]");
            if !targets.contains(it.target.as_str()) {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{ip}.target"),
                    Some(id),
                    format!("scorecard {id} names unknown target {}", it.target),
                );
            }
            ok &= c.weight(&ip, id, it.weight);
            sum += it.weight;
        }
        if let Some(o) = &s.okr {
            if !objectives.contains_key(&o.objective) {
                c.push(
                    Code::E_UNKNOWN_ID,
                    format!("{path}.okr.objective"),
                    Some(id),
                    format!("scorecard {id} names unknown objective {}", o.objective),
                );
            }
            ok &= c.weight(&format!("{path}.okr"), id, o.weight);
            sum += o.weight;
        }
        if ok && (sum - 100.0).abs() > 1e-9 {
            c.push(
                Code::E_WEIGHTS_SUM,
                format!("{path}.items"),
                Some(id),
                format!("weights of scorecard {id} sum to {sum}, not 100"),
            );
        }
        if let Some(g) = &s.grades {
            if g.is_empty() {
                c.push(
                    Code::E_INVALID_VALUE,
                    format!("{path}.grades"),
                    Some(id),
                    format!("scorecard {id} has no grade bands"),
                );
            }
            for (j, b) in g.iter().enumerate() {
                c.finite(&format!("{path}.grades[{j}]"), id, "min", b.min);
            }
        }
    }
}
