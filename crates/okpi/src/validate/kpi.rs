//! DOMAIN.md §5–6: measures, metrics, observations, targets and scorecards.

use super::org::Org;
use super::{unique_ids, Checker};
use crate::error::{Code, Problem};
use crate::idx::Idx;
use crate::idx::ObjIx;
use crate::model::{Curve, Direction, Document, KrKind, Metric, MetricKind, Scope};
use crate::text::expr::parse_expression_with;
use std::collections::{HashMap, HashSet};

/// What validation resolved about the observations, for the model's store: each dim set's `unit` (`u32::MAX`: none or unknown), and the rows in the store's order.
#[derive(Debug, Default)]
pub(crate) struct ObsRefs {
    /// Per dim set of the observations: the index of its `unit`.
    pub unit: Vec<u32>,
    /// The rows grouped by measure position, then by date, dims and source (the canonical order; see
    /// [`canonical_order`]).
    pub order: Vec<u32>,
    /// The rows of measure position `m` are `order[start[m]..start[m + 1]]`.
    pub start: Vec<usize>,
}

/// What the checks of measures, metrics and observations found: they need only the org, so they may run beside
/// the OKR checks ([`super::check`]); their problems come after the OKR checks' all the same.
pub(crate) struct Measured<'d> {
    metrics: HashMap<&'d str, usize>,
    refs: ObsRefs,
    problems: Vec<Problem>,
}

/// Checks measures, metrics and observations.
pub(crate) fn measured<'d>(doc: &'d Document, org: &Org, limits: &crate::Limits) -> Measured<'d> {
    let mut c = Checker::default();
    let c = &mut c;
    let measures = unique_ids(&doc.measures, "measures", |m| m.id.as_str(), c);
    let metrics = unique_ids(&doc.metrics, "metrics", |m| m.id.as_str(), c);
    let deps = check_metrics(doc, &measures, &metrics, limits, c);
    check_metric_cycles(doc, &metrics, &deps, c);
    check_cumulative_of_cumulative(doc, &deps, c);
    let refs = check_observations(doc, org, &measures, c);
    Measured {
        metrics,
        refs,
        problems: std::mem::take(&mut c.problems),
    }
}

/// Adds what [`measured`] found to `c`, then checks targets, scorecards and the links between KPIs and OKRs.
pub(crate) fn check(
    doc: &Document,
    org: &Org,
    measured: Measured<'_>,
    objectives: &crate::id::IdIndex<ObjIx>,
    key_results: &crate::id::IdIndex<crate::idx::KrIx>,
    c: &mut Checker,
) -> ObsRefs {
    let Measured {
        metrics,
        refs,
        problems,
    } = measured;
    c.problems.extend(problems);
    check_targets(doc, org, &metrics, c);
    check_scorecards(doc, org, objectives, c);
    check_links(doc, org, &metrics, key_results, c);
    refs
}

/// KR ← KPI links (a numeric KR, a known metric and scope) and the support map (known key results).
fn check_links(
    doc: &Document,
    org: &Org,
    metrics: &HashMap<&str, usize>,
    krs: &crate::id::IdIndex<crate::idx::KrIx>,
    c: &mut Checker,
) {
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
    for (i, t) in doc.targets.iter().enumerate() {
        for (j, kr) in t.supports.iter().enumerate() {
            if !krs.contains_key(kr.as_str()) {
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
        Scope::Unit(u) => org.units.contains_key(u.as_str()),
        Scope::Person(p) => org.people.contains_key(p.as_str()),
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
    let obs = &doc.observations;
    // Strings are checked once per distinct value (the columns code them), values once per row.
    let measure: Vec<u32> = obs
        .measures
        .iter()
        .map(|m| measures.get(m.as_str()).map_or(u32::MAX, |&p| p as u32))
        .collect();
    let unit_names: Vec<Option<&str>> = obs
        .dim_sets
        .iter()
        .map(|d| d.get("unit").map(String::as_str))
        .collect();
    let unit: Vec<u32> = unit_names
        .iter()
        .map(|u| {
            u.and_then(|u| org.units.get(u))
                .map_or(u32::MAX, |u| u.index() as u32)
        })
        .collect();
    // Problems by observation, in the order each observation's checks run; duplicates are found afterwards.
    let mut found: Vec<(usize, Problem)> = Vec::new();
    let problem = |code, path: String, id: &str, msg: String| Problem::new(code, path, Some(id), msg);
    let name = |m: u32| obs.measures.get(m as usize).map_or("", String::as_str);
    for (i, ((&m, &value), &d)) in obs.measure.iter().zip(&obs.value).zip(&obs.dims).enumerate() {
        let known = measure.get(m as usize).is_some_and(|&p| p != u32::MAX);
        let unknown_unit = unit.get(d as usize) == Some(&u32::MAX);
        if known && value.is_finite() && !unknown_unit {
            continue;
        }
        let path = || format!("$.observations[{i}]");
        if !known {
            found.push((
                i,
                problem(
                    Code::E_UNKNOWN_ID,
                    format!("{}.measure", path()),
                    name(m),
                    format!("observation of unknown measure {}", name(m)),
                ),
            ));
        }
        if !value.is_finite() {
            found.push((
                i,
                problem(
                    Code::E_NOT_FINITE,
                    format!("{}.value", path()),
                    name(m),
                    format!("value of {} is {value}", name(m)),
                ),
            ));
        }
        if let (true, Some(Some(u))) = (unknown_unit, unit_names.get(d as usize)) {
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
    let (order, start, repeats) = canonical_order(obs, &measure, doc.measures.len());
    for (i, first) in repeats {
        let (m, date) = (
            obs.measure.get(i).copied().unwrap_or(0),
            obs.date.get(i).copied().unwrap_or_default(),
        );
        found.push((
            i,
            Problem::new(
                Code::E_DUPLICATE_OBSERVATION,
                format!("$.observations[{i}]"),
                Some(name(m)),
                format!(
                    "observation repeats $.observations[{first}] (measure {}, {date}, same dims and source)",
                    name(m)
                ),
            ),
        ));
    }
    found.sort_by_key(|(i, _)| *i);
    c.problems.extend(found.into_iter().map(|(_, p)| p));
    ObsRefs {
        unit,
        order,
        start: start.into_iter().take(doc.measures.len() + 1).collect(),
    }
}

/// The rows in the store's order, the start of each measure's rows, and every row that repeats an earlier one
/// (same measure, date, dims and source) with the earlier one's position.
///
/// Rows are grouped by measure (known measures by their position in the document, unknown ones after, by code),
/// then ordered by date, dims and source, each compared as its text would be: a canonical order, so float sums do
/// not depend on the order observations were handed in. That key is unique among rows that are not repeats, so
/// repeats are neighbours once sorted (ties are broken by position, so the first of them comes first). A feed in
/// that order already (a daily feed, unit by unit) is only checked, not sorted.
fn canonical_order(
    obs: &crate::model::Observations,
    measure: &[u32],
    known: usize,
) -> (Vec<u32>, Vec<usize>, Vec<(usize, usize)>) {
    let rank_of = |m: u32| match measure.get(m as usize) {
        Some(&p) if p != u32::MAX => p as usize,
        _ => known + m as usize,
    };
    // Each dim set's and source's rank in text order.
    let ranks = |n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering| {
        let mut by: Vec<usize> = (0..n).collect();
        by.sort_by(|&a, &b| cmp(a, b));
        let mut rank = vec![0u32; n];
        for (r, i) in by.into_iter().enumerate() {
            if let Some(slot) = rank.get_mut(i) {
                *slot = r as u32;
            }
        }
        rank
    };
    let dim_rank = ranks(obs.dim_sets.len(), &|a, b| {
        obs.dim_sets.get(a).cmp(&obs.dim_sets.get(b))
    });
    let source_rank = ranks(obs.sources.len(), &|a, b| {
        obs.sources.get(a).cmp(&obs.sources.get(b))
    });
    // A counting sort by measure rank (stable: input order within a measure).
    let groups = known + obs.measures.len();
    let mut start = vec![0usize; groups + 1];
    for &m in &obs.measure {
        if let Some(c) = start.get_mut(rank_of(m) + 1) {
            *c += 1;
        }
    }
    for g in 0..groups {
        let before = start.get(g).copied().unwrap_or(0);
        if let Some(c) = start.get_mut(g + 1) {
            *c += before;
        }
    }
    let mut next = start.clone();
    let mut order = vec![0u32; obs.len()];
    for (i, &m) in obs.measure.iter().enumerate() {
        if let Some(at) = next.get_mut(rank_of(m)) {
            if let Some(slot) = order.get_mut(*at) {
                *slot = i as u32;
            }
            *at += 1;
        }
    }
    let key = |i: u32| {
        let i = i as usize;
        (
            obs.date.get(i).copied().unwrap_or_default(),
            obs.dims
                .get(i)
                .and_then(|&d| dim_rank.get(d as usize))
                .copied()
                .unwrap_or(0),
            obs.source
                .get(i)
                .and_then(|&s| source_rank.get(s as usize))
                .copied()
                .unwrap_or(0),
        )
    };
    let mut repeats = Vec::new();
    for g in 0..groups {
        let (lo, hi) = (
            start.get(g).copied().unwrap_or(0),
            start.get(g + 1).copied().unwrap_or(0),
        );
        let Some(run) = order.get_mut(lo..hi) else {
            continue;
        };
        // Each row's key is read once: a run already in order costs one pass.
        let mut prev = None;
        if run.iter().all(|&i| {
            let k = key(i);
            prev.replace(k).is_none_or(|p| p < k)
        }) {
            continue;
        }
        run.sort_unstable_by_key(|&i| (key(i), i));
        let mut first = 0;
        for j in 1..run.len() {
            let (Some(&a), Some(&b)) = (run.get(first), run.get(j)) else {
                continue;
            };
            if key(a) == key(b) {
                repeats.push((b as usize, a as usize));
            } else {
                first = j;
            }
        }
    }
    (order, start, repeats)
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
        if !org.cycles.contains_key(t.cycle.as_str()) {
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

fn check_scorecards(doc: &Document, org: &Org, objectives: &crate::id::IdIndex<ObjIx>, c: &mut Checker) {
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
            if !objectives.contains_key(o.objective.as_str()) {
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
