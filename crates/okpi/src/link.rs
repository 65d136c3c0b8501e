//! KR ← KPI links: the check-ins a linked key result derives from its metric's observations (DOMAIN.md §8).

use crate::idx::KrIx;
use crate::kpi::{bucket, bucket_end, bucket_start, Catalog, Filter, Span};
use crate::model::{KpiLink, LinkWindow};
use crate::report::{CheckInRecord, Evaluation, LinkResult};
use crate::store::check_ins::Slice;
use crate::store::{KrNode, Model};
use chrono::{Days, NaiveDate};

/// The check-ins derived for one linked key result, and the facts its result reports.
#[derive(Debug, Clone)]
pub(crate) struct Derived {
    /// The check-ins' dates, sorted, all on or before the cut-off.
    pub dates: Vec<NaiveDate>,
    /// Their values (each has one; derived check-ins have no confidence).
    pub values: Vec<f64>,
    /// The `link` block of the key result's result.
    pub link: LinkResult,
}

impl Derived {
    /// The derived check-ins, oldest first.
    pub(crate) fn check_ins(&self) -> Slice<'_> {
        Slice::derived(&self.dates, &self.values)
    }
}

/// The derived check-ins of the key results linked to a KPI metric, in key-result order. Only those are held:
/// most key results have no link, and a slot for each would be written and freed on every evaluation.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllDerived(Vec<(KrIx, Derived)>);

/// The derived check-ins of every key result linked to a KPI metric (listed in the store's columns, so no key
/// result's record is read to find them). The metric catalog is built once, and only when some key result has a
/// link.
pub(crate) fn derive_all(model: &Model, as_of: NaiveDate) -> AllDerived {
    let linked = &model.okr.kpi_linked;
    if linked.is_empty() {
        return AllDerived::default();
    }
    let cat = Catalog::new(model);
    AllDerived(
        linked
            .iter()
            .filter_map(|&ix| {
                let k = model.key_results.get(ix)?;
                Some((ix, derive(&cat, k, k.def.link.as_ref()?, as_of)))
            })
            .collect(),
    )
}

/// One key result's derived check-ins at a time (`None` when it has no link), the metric catalog built once and
/// only when some key result has a link: for a caller that reads each once and need not hold them all, as
/// [`derive_all`]'s list (one slot per key result) does.
pub(crate) fn deriver(model: &Model, as_of: NaiveDate) -> impl Fn(KrNode<'_>) -> Option<Derived> + '_ {
    let cat = model
        .key_results
        .iter()
        .any(|k| k.def.link.is_some())
        .then(|| Catalog::new(model));
    move |k| Some(derive(cat.as_ref()?, k, k.def.link.as_ref()?, as_of))
}

/// The derived check-ins of the key results `krs`, in that order (`None` for one not linked to a KPI metric).
/// The metric catalog is built once, and only when there is a key result to derive.
pub(crate) fn derive_listed(model: &Model, krs: &[KrIx], as_of: NaiveDate) -> Vec<Option<Derived>> {
    if krs.is_empty() {
        return Vec::new();
    }
    let cat = Catalog::new(model);
    krs.iter()
        .map(|&k| {
            let node = model.key_results.get(k)?;
            Some(derive(&cat, node, node.def.link.as_ref()?, as_of))
        })
        .collect()
}

/// The derived check-ins of one key result, when it is linked to a KPI metric.
pub(crate) fn derive_one(model: &Model, kr: KrIx, as_of: NaiveDate) -> Option<Derived> {
    let node = model.key_results.get(kr)?;
    let link = node.def.link.as_ref()?;
    Some(derive(&Catalog::new(model), node, link, as_of))
}

/// Dates of the derived check-ins: each grain period end in `[cycle.start, last]`, then `last` itself when it is
/// not a period end. `last` is the cut-off, or the cycle's end once the cut-off has passed it.
fn check_in_dates(grain: crate::model::Grain, start: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    if last < start {
        return out;
    }
    let mut period = bucket(grain, start);
    // A cycle holds at most a few thousand days; the guard only keeps a malformed calendar finite.
    for _ in 0..100_000 {
        if period.end > last {
            break;
        }
        out.push(period.end);
        let next = period.shift(1);
        if next.start <= period.start {
            break;
        }
        period = next;
    }
    if bucket_end(grain, last) != last {
        out.push(last);
    }
    out
}

fn derive(cat: &Catalog<'_>, kr: KrNode<'_>, link: &KpiLink, as_of: NaiveDate) -> Derived {
    let model = cat.model;
    let cycle = model.cycles.at(model.objectives.at(kr.objective).cycle);
    let cut_off = as_of
        .checked_sub_days(Days::new(u64::from(link.lag_days)))
        .unwrap_or(NaiveDate::MIN);
    let grain = cat.metric(&link.metric).map(|m| m.grain).unwrap_or_default();
    let filter = Filter::scope(model, &link.scope);
    let measures = cat.measures(&link.metric);
    let (mut dates, mut values) = (Vec::new(), Vec::new());
    for day in check_in_dates(grain, cycle.start, cut_off.min(cycle.end)) {
        let from = match link.window {
            LinkWindow::CycleToDate => cycle.start,
            LinkWindow::LatestGrain => bucket_start(grain, day).max(cycle.start),
        };
        let span = Span {
            start: from,
            end: day,
            grain,
        };
        if !cat.observed(&measures, span, &filter) {
            continue;
        }
        if let Ok(value) = cat.eval(&link.metric, span, &filter) {
            if value.is_finite() {
                dates.push(day);
                values.push(value);
            }
        }
    }
    Derived {
        link: LinkResult {
            metric: link.metric.clone(),
            metric_version: cat.version(&link.metric),
            scope: link.scope.clone(),
            window: link.window,
            lag_days: link.lag_days,
            cut_off,
            check_ins: dates.len(),
            last_check_in: dates.last().copied(),
        },
        dates,
        values,
    }
}

impl Evaluation {
    /// The check-ins of key result `id` up to this evaluation's as-of date, oldest first: the ones people
    /// entered, or for a key result linked to a KPI metric the ones derived from observations (each marked
    /// `derived`, with the metric and its version). `None` for an unknown id.
    ///
    /// ```
    /// let model = okpi::Model::from_json(r#"{"schema_version": 1,
    ///   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
    ///   "org_units": [{"id": "svc"}], "measures": [{"id": "tickets"}],
    ///   "metrics": [{"id": "resolved", "kind": "simple", "measure": "tickets"}],
    ///   "observations": [{"measure": "tickets", "date": "2026-01-20", "value": 40, "dims": {"unit": "svc"}},
    ///                    {"measure": "tickets", "date": "2026-02-03", "value": 25, "dims": {"unit": "svc"}}],
    ///   "objectives": [{"id": "o", "cycle": "q1"}],
    ///   "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 200,
    ///     "link": {"metric": "resolved", "scope": {"unit": "svc"}, "lag_days": 3}}]}"#)?;
    /// let as_of = chrono::NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
    /// let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default())?;
    /// let cis = ev.check_ins(&model, "k").unwrap();
    /// // Cut-off 02-07: the January month end, then the cut-off itself (cycle to date).
    /// let got: Vec<_> = cis.iter().map(|c| (c.date.to_string(), c.value, c.derived)).collect();
    /// assert_eq!(got, [("2026-01-31".into(), Some(40.0), true), ("2026-02-07".into(), Some(65.0), true)]);
    /// assert_eq!(ev.key_result("k").unwrap().progress, 65.0 / 200.0);
    /// # Ok::<(), okpi::Error>(())
    /// ```
    pub fn check_ins(&self, model: &Model, id: &str) -> Option<Vec<CheckInRecord>> {
        model.check_ins(id, self.as_of)
    }
}

impl Model {
    /// The check-ins of key result `id` up to `as_of`, oldest first: the ones people entered, or for a key result
    /// linked to a KPI metric the ones derived from observations with data up to its cut-off (each marked
    /// `derived`, with the metric and its version). `None` for an unknown id. See [`Evaluation::check_ins`].
    pub fn check_ins(&self, id: &str, as_of: NaiveDate) -> Option<Vec<CheckInRecord>> {
        let ix = self.key_result_index(id)?;
        if let Some(d) = derive_one(self, ix, as_of) {
            let version = Some(d.link.metric_version.clone());
            let metric = Some(d.link.metric.clone());
            return Some(
                d.check_ins()
                    .rows()
                    .map(|c| CheckInRecord {
                        key_result: id.to_owned(),
                        date: c.date,
                        value: c.value,
                        confidence: None,
                        note: None,
                        derived: true,
                        metric: metric.clone(),
                        metric_version: version.clone(),
                    })
                    .collect(),
            );
        }
        let node = self.key_results.get(ix)?;
        Some(
            self.check_ins_until(node, as_of)
                .rows()
                .map(|c| CheckInRecord {
                    key_result: node.def.id.clone(),
                    date: c.date,
                    value: c.value,
                    confidence: c.confidence,
                    note: c.note.map(String::from),
                    derived: false,
                    metric: None,
                    metric_version: None,
                })
                .collect(),
        )
    }
}

/// The derived check-ins of key result `kr`, when it is linked to a KPI metric.
pub(crate) fn slot(derived: &AllDerived, kr: KrIx) -> Option<&Derived> {
    let i = derived.0.binary_search_by_key(&kr, |(k, _)| *k).ok()?;
    derived.0.get(i).map(|(_, d)| d)
}
