//! OKR and KPI together (DOMAIN.md §8): key results that read a KPI metric, and the strategy view of the
//! front office's objectives with the back-office KPIs that support them.
//!
//! **KR ← KPI links.** A key result with a `link {metric, scope, window, lag_days}` takes no manual check-ins;
//! evaluated as of day `as_of` it sees data up to the cut-off `c = as_of − lag_days`. Its check-ins are derived,
//! dated at the last day of each of the metric's grain periods (ISO weeks for `week`) in
//! `[cycle.start, min(c, cycle.end)]`, plus that last day itself when it is not a period end. The check-in dated
//! `d` reads only data up to `d`: `cycle_to_date` is the metric over `[cycle.start, d]`, `latest_grain` over
//! `[max(cycle.start, first day of d's period), d]`, computed by the KPI catalog exactly as a KPI query would, with
//! the metric's version. Where the metric is undefined, or no observation of its measures for the scope falls in
//! the window, there is no check-in for that date (never a 0); a key result without any then keeps the OKR rule
//! (current = start, progress 0, `no_check_in`) and the flag `no_data`. Progress, status, pace, compliance,
//! versions and roll-up then follow the OKR rules unchanged; [`crate::KrResult::link`] says where the numbers came
//! from and [`crate::Evaluation::check_ins`] lists the derived check-ins.
//!
//! **Strategy view.** [`strategy_view`] shows per top objective its progress, status, score and key results, and per
//! key result the KPI targets that `support` it with their achievement, score, worst alert and a [`Light`], rolled
//! up into a support health per key result and per objective.

mod settings;
mod strategy;
mod support;

pub use settings::StrategySettings;
pub use strategy::{strategy_view, StrategyKr, StrategyObjective, StrategyView, SupportingKpi};
pub(crate) use support::roll_up;
pub use support::{AlertLevel, Light, Support};

/// Scores every scorecard at `req.as_of`.
///
/// ```
/// let model = okpi::Model::from_json(r#"{"schema_version": 1,
///   "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}],
///   "people": [{"id": "ann"}],
///   "measures": [{"id": "calls"}],
///   "metrics": [{"id": "c", "kind": "simple", "measure": "calls"}],
///   "observations": [{"measure": "calls", "date": "2026-02-01", "value": 110, "dims": {"person": "ann"}}],
///   "targets": [{"id": "t", "metric": "c", "scope": {"person": "ann"}, "cycle": "Q1", "target": 100}],
///   "scorecards": [{"id": "ann", "subject": {"person": "ann"}, "items": [{"target": "t", "weight": 100}]}]}"#)?;
/// let req = okpi::kpi::ScorecardRequest::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
/// let r = okpi::hybrid::scorecards(&model, &req)?;
/// assert!((r.scorecards[0].total.unwrap() - 110.0).abs() < 1e-9);
/// assert_eq!(r.scorecards[0].grade.as_deref(), Some("A"));
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn scorecards(
    model: &crate::Model,
    req: &crate::kpi::ScorecardRequest,
) -> Result<crate::kpi::ScorecardReport, crate::Error> {
    crate::kpi::scorecard::scorecards_with(model, req, || {
        crate::okr::evaluate(model, req.as_of, &crate::Settings::default())
    })
}
