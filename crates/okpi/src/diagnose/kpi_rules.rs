//! The `kpi.*` rules: the article's KPI risks (gaming, 唯数字论, data islands) as checks over the KPI part of a
//! model.

use super::{finding, DiagnoseSettings, Finding, Severity};
use crate::error::Error;
use crate::kpi::Catalog;
use crate::report::Evidence;
use crate::store::Model;
use crate::Id;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn run(model: &Model, as_of: NaiveDate, s: &DiagnoseSettings) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    single_metric(model, s, &mut out);
    changed_after_lock(model, as_of, &mut out);
    definition_changed_mid_cycle(model, as_of, &mut out);
    source_discrepancy(model, s, &mut out);
    stale_data(model, as_of, s, &mut out);
    pull_forward(model, as_of, s, &mut out);
    if !model.kpi.targets.is_empty() {
        threshold_bunching(model, as_of, s, &mut out)?;
    }
    Ok(out)
}

/// `kpi.single_metric`: a scorecard with one item, or one item over `single_metric_share` (50) % of the weight.
fn single_metric(model: &Model, s: &DiagnoseSettings, out: &mut Vec<Finding>) {
    for sc in &model.kpi.scorecards {
        let okr = sc.okr.as_ref().filter(|o| o.weight > 0.0).map(|o| o.weight);
        let weights: Vec<f64> = sc.items.iter().map(|i| i.weight).chain(okr).collect();
        let max = weights.iter().copied().fold(0.0, f64::max);
        if weights.len() == 1 || max > s.single_metric_share {
            out.push(finding(
                "kpi.single_metric",
                Severity::Warning,
                vec![Id::from(&sc.id)],
                [
                    ("items", Evidence::of(&weights.len())),
                    ("max_weight", Evidence::of(&max)),
                ],
            ));
        }
    }
}

/// `kpi.target_changed_after_lock`: every accepted change dated after its target's lock, up to as_of (audit).
fn changed_after_lock(model: &Model, as_of: NaiveDate, out: &mut Vec<Finding>) {
    for t in &model.kpi.targets {
        let Some(locked) = t.locked_at else { continue };
        for c in t.changes.iter().filter(|c| c.on > locked && c.on <= as_of) {
            out.push(finding(
                "kpi.target_changed_after_lock",
                Severity::Info,
                vec![Id::from(&t.id)],
                [
                    ("locked_at", Evidence::of(&locked)),
                    ("on", Evidence::of(&c.on)),
                    ("reason", Evidence::of(&c.reason)),
                    ("target", Evidence::of(&c.target)),
                ],
            ));
        }
    }
}

/// `kpi.definition_changed_mid_cycle`: a change of the target's metric, or of a metric it reads, that took effect
/// after the first day of the target's cycle and by as_of (a change on the first day restates nothing).
fn definition_changed_mid_cycle(model: &Model, as_of: NaiveDate, out: &mut Vec<Finding>) {
    let catalog = Catalog::new(model);
    for t in &model.kpi.targets {
        let Some(cycle) = model.cycle(&t.cycle) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let mut stack = vec![t.metric.as_str()];
        while let Some(id) = stack.pop() {
            let Some(m) = catalog.metric(id) else {
                continue;
            };
            if !seen.insert(id) {
                continue;
            }
            stack.extend(catalog.deps(m));
            let inside = |on: NaiveDate| on > cycle.start && on <= cycle.end.min(as_of);
            for c in m.changes.iter().filter(|c| inside(c.on)) {
                out.push(finding(
                    "kpi.definition_changed_mid_cycle",
                    Severity::Warning,
                    vec![Id::from(&t.id), Id::from(&m.id)],
                    [
                        ("metric", Evidence::of(&m.id)),
                        ("on", Evidence::of(&c.on)),
                        ("reason", Evidence::of(&c.reason)),
                        ("previous_version", Evidence::of(&c.previous_version)),
                        ("version", Evidence::of(&catalog.version(&m.id))),
                        ("cycle", Evidence::of(&cycle.id)),
                        ("cycle_start", Evidence::of(&cycle.start)),
                    ],
                ));
            }
        }
    }
}

/// `kpi.source_discrepancy`: one measure, date and dims reported by two sources whose values differ by more than
/// `source_tolerance` (5 %) of the larger. One finding per measure: the count and the largest gap.
fn source_discrepancy(model: &Model, s: &DiagnoseSettings, out: &mut Vec<Finding>) {
    // (measure, date, dims as JSON) → (source, value) reports
    type Reports<'a> = BTreeMap<(&'a str, NaiveDate, String), Vec<(&'a str, f64)>>;
    let mut by_key: Reports = BTreeMap::new();
    let store = &model.kpi.store;
    // In the store's canonical row order, so the evidence does not depend on the input order.
    for (m, measure) in store.measure_ids.iter().enumerate() {
        let range = store.start.get(m).copied().unwrap_or(0)..store.start.get(m + 1).copied().unwrap_or(0);
        for row in range {
            let source = store
                .source
                .get(row)
                .and_then(|&s| store.sources.get(s as usize))
                .and_then(Option::as_deref);
            let (Some(src), Some(&date), Some(&value)) = (source, store.date.get(row), store.value.get(row))
            else {
                continue;
            };
            let dims = serde_json::to_string(&store.dims_of(row)).unwrap_or_default();
            by_key
                .entry((measure.as_str(), date, dims))
                .or_default()
                .push((src, value));
        }
    }
    let mut per_measure: BTreeMap<&str, (usize, f64, Evidence)> = BTreeMap::new();
    for ((measure, date, _), values) in &by_key {
        for (i, (sa, a)) in values.iter().enumerate() {
            for (sb, b) in values.iter().skip(i + 1) {
                let scale = a.abs().max(b.abs());
                let gap = if scale > 0.0 { (a - b).abs() / scale } else { 0.0 };
                if sa != sb && gap > s.source_tolerance {
                    let e = per_measure.entry(measure).or_insert((0, 0.0, Evidence::Null));
                    e.0 += 1;
                    if gap > e.1 {
                        e.1 = gap;
                        e.2 = Evidence::Record(BTreeMap::from([
                            ("date".to_owned(), Evidence::of(date)),
                            ("sources".to_owned(), Evidence::of(&[sa, sb])),
                            ("values".to_owned(), Evidence::of(&[a, b])),
                        ]));
                    }
                }
            }
        }
    }
    for (measure, (count, gap, worst)) in per_measure {
        out.push(finding(
            "kpi.source_discrepancy",
            Severity::Warning,
            vec![Id::from(measure)],
            [
                ("disagreements", Evidence::of(&count)),
                ("largest_gap", Evidence::of(&gap)),
                ("worst", worst),
            ],
        ));
    }
}

/// `kpi.stale_data`: a measure some metric reads whose newest observation on or before as_of is more than
/// `freshness_days` (7) old, or that has none.
fn stale_data(model: &Model, as_of: NaiveDate, s: &DiagnoseSettings, out: &mut Vec<Finding>) {
    let used: std::collections::BTreeSet<&str> = model
        .kpi
        .metrics
        .iter()
        .filter_map(|m| m.measure.as_deref())
        .collect();
    for measure in used {
        let store = &model.kpi.store;
        let rows = store.rows_of(measure);
        let upto = store
            .date
            .get(rows.clone())
            .map_or(0, |d| d.partition_point(|d| *d <= as_of));
        // Rows are sorted by date: the newest on or before as_of is the last of those.
        let newest = upto
            .checked_sub(1)
            .and_then(|i| store.date.get(rows.start + i))
            .copied();
        let age = newest.map(|d| (as_of - d).num_days());
        if age.is_none_or(|a| a > s.freshness_days) {
            out.push(finding(
                "kpi.stale_data",
                Severity::Warning,
                vec![Id::from(measure)],
                [
                    ("newest", Evidence::of(&newest)),
                    ("age_days", Evidence::of(&age)),
                    ("limit", Evidence::of(&s.freshness_days)),
                ],
            ));
        }
    }
}

fn month_key(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => xs.get(n / 2).copied(),
        _ => Some((xs.get(n / 2 - 1)? + xs.get(n / 2)?) / 2.0),
    }
}

/// `kpi.pull_forward`: per measure and unit, by calendar month: the share of a month's total in its last
/// `pull_forward_days` (5) days against the unit's usual share (the median over its other complete months), and
/// the share of the next month's first days against their usual share. A month whose end share is at least
/// `pull_forward_ratio` (1.5) × usual, followed by a start share at most `pull_forward_dip` (0.7) × usual, fires.
/// Months after as_of, and measures with fewer than three complete months, are not judged.
fn pull_forward(model: &Model, as_of: NaiveDate, s: &DiagnoseSettings, out: &mut Vec<Finding>) {
    let k = s.pull_forward_days;
    let store = &model.kpi.store;
    // Summed per unit position, one measure at a time (store order: by measure, then date), so each row costs an
    // index and a look at its slot's latest month rather than a hash and a tree look-up; a day's month bounds are
    // worked out once per distinct date.
    let slots = store.tree.unit_at.len();
    let mut by_slot: Vec<Vec<Month>> = vec![Vec::new(); slots];
    let complete = month_key(as_of);
    for m in 0..store.measure_ids.len() {
        let range = store.start.get(m).copied().unwrap_or(0)..store.start.get(m + 1).copied().unwrap_or(0);
        let mut day: Option<(NaiveDate, (i32, u32), bool, bool)> = None;
        for row in store.dated(range, chrono::NaiveDate::MIN, as_of) {
            let (Some(&slot), Some(&date), Some(&value)) =
                (store.slot.get(row), store.date.get(row), store.value.get(row))
            else {
                continue;
            };
            let Some(months) = by_slot.get_mut(slot as usize) else {
                continue; // NO_SLOT and anything else outside the tree
            };
            let (key, at_end, at_start) = match day {
                Some((d, key, e, b)) if d == date => (key, e, b),
                _ => {
                    let last_day = crate::kpi::bucket_end(crate::model::Grain::Month, date);
                    let e = (last_day - date).num_days() < k;
                    let b = i64::from(date.day()) <= k;
                    day = Some((date, month_key(date), e, b));
                    (month_key(date), e, b)
                }
            };
            let i = match months.iter().rposition(|(mk, _)| *mk == key) {
                Some(i) => i,
                None => {
                    months.push((key, (0.0, 0.0, 0.0)));
                    months.len() - 1
                }
            };
            if let Some((_, e)) = months.get_mut(i) {
                e.0 += value;
                if at_end {
                    e.1 += value;
                }
                if at_start {
                    e.2 += value;
                }
            }
        }
        for (slot, months) in by_slot.iter_mut().enumerate() {
            if months.is_empty() {
                continue;
            }
            let unit = store
                .tree
                .unit_at
                .get(slot)
                .map(|&u| model.units.at(u).def.id.as_str());
            if let (Some(measure), Some(unit)) = (store.measure_ids.get(m), unit) {
                // Judged here, series by series: the findings are sorted by subjects (measure, unit) at the end,
                // and each series' months are in order.
                months.retain(|(m, t)| *m < complete && t.0 > 0.0);
                judge_months(measure, unit, months, s, out);
            }
            months.clear();
        }
    }
}

/// A month and its (total, sum of the last k days, sum of the first k days).
type Month = ((i32, u32), (f64, f64, f64));

/// `kpi.pull_forward` on one measure and unit's complete months (in order).
fn judge_months(measure: &str, unit: &str, months: &[Month], s: &DiagnoseSettings, out: &mut Vec<Finding>) {
    if months.len() < 3 {
        return;
    }
    let end_share: Vec<f64> = months.iter().map(|(_, t)| t.1 / t.0).collect();
    let start_share: Vec<f64> = months.iter().map(|(_, t)| t.2 / t.0).collect();
    for i in 0..months.len().saturating_sub(1) {
        let others = |v: &[f64], skip: &[usize]| {
            v.iter()
                .enumerate()
                .filter(|(j, _)| !skip.contains(j))
                .map(|(_, x)| *x)
                .collect::<Vec<_>>()
        };
        let (Some(usual_end), Some(usual_start)) = (
            median(others(&end_share, &[i, i + 1])),
            median(others(&start_share, &[i, i + 1])),
        ) else {
            continue;
        };
        let (Some(&end), Some(&next_start)) = (end_share.get(i), start_share.get(i + 1)) else {
            continue;
        };
        if usual_end > 0.0
            && end >= s.pull_forward_ratio * usual_end
            && next_start <= s.pull_forward_dip * usual_start
        {
            let Some(((y, m), _)) = months.get(i) else {
                continue;
            };
            out.push(finding(
                "kpi.pull_forward",
                Severity::Warning,
                vec![Id::from(measure), Id::from(unit)],
                [
                    ("month", Evidence::of(&format!("{y:04}-{m:02}"))),
                    ("end_share", Evidence::of(&end)),
                    ("usual_end_share", Evidence::of(&usual_end)),
                    ("index", Evidence::of(&(end / usual_end))),
                    ("next_start_share", Evidence::of(&next_start)),
                    ("usual_start_share", Evidence::of(&usual_start)),
                ],
            ));
        }
    }
}

/// One-sided binomial test: P(X ≥ k) for X ~ Binomial(n, 1/2).
pub(crate) fn binomial_upper_tail(k: u64, n: u64) -> f64 {
    let mut p = 0.0;
    let mut coef = 1.0; // C(n, 0)
    for i in 0..=n {
        if i >= k {
            p += coef;
        }
        coef = coef * (n - i) as f64 / (i + 1) as f64;
    }
    p / 2f64.powi(i32::try_from(n).unwrap_or(i32::MAX))
}

/// `kpi.threshold_bunching`: across the scopes of one metric and cycle, achievements in [1, 1 + w) against
/// [1 − w, 1) with w = `bunching_width` (0.05): with at least `bunching_min` (5) in the two bins, a one-sided
/// binomial test (a smooth distribution puts half on each side) below `bunching_p` (0.05) fires.
fn threshold_bunching(
    model: &Model,
    as_of: NaiveDate,
    s: &DiagnoseSettings,
    out: &mut Vec<Finding>,
) -> Result<(), Error> {
    let report = crate::kpi::score(model, as_of)?;
    let mut groups: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for t in &report.targets {
        let Some(a) = t.achievement else { continue };
        let e = groups.entry((t.metric.clone(), t.cycle.clone())).or_default();
        if (1.0..1.0 + s.bunching_width).contains(&a) {
            e.0 += 1;
        } else if (1.0 - s.bunching_width..1.0).contains(&a) {
            e.1 += 1;
        }
    }
    for ((metric, cycle), (above, below)) in groups {
        let n = above + below;
        if n < s.bunching_min {
            continue;
        }
        let p = binomial_upper_tail(above, n);
        if p < s.bunching_p {
            out.push(finding(
                "kpi.threshold_bunching",
                Severity::Warning,
                vec![Id::from(metric), Id::from(cycle)],
                [
                    ("just_above", Evidence::of(&above)),
                    ("just_below", Evidence::of(&below)),
                    ("p_value", Evidence::of(&p)),
                ],
            ));
        }
    }
    Ok(())
}
