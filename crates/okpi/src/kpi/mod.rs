//! KPI (DOMAIN.md §5–6): the metric catalog, expressions, queries by grain and dims, targets, curves,
//! scorecards and grades.

mod catalog;
mod curve;
mod grade;
mod grain;
mod group;
mod query;
pub(crate) mod scorecard;
pub mod sql;
mod target;
mod units;

pub use crate::store::fnv1a64_hex;
pub use crate::text::expr::{parse_expression, parse_expression_with, Expr, ParseError};
pub(crate) use catalog::{Catalog, Filter};
pub use curve::{achievement, cap, curve_score, round_half_up, tts_score, Levels};
pub use grade::{default_grades, grade, seats, Distribution, Share};
pub use grain::{
    bucket, bucket_end, bucket_start, checked_shift_day, checked_shift_start, shift_start, to_date_grain,
    Span,
};
pub use group::{Group, GroupIter};
pub(crate) use query::{periods_within, query_with};
pub use query::{query, Cell, Query, QueryResult};
pub use scorecard::{ItemResult, ScorecardReport, ScorecardRequest, ScorecardResult};
pub use target::{levels_on, score, ScoreReport, Scoring, TargetResult};
pub use units::{query_units, query_units_matrix, UnitMatrix};

/// The version of metric `id` in `model`: FNV-1a 64 (hex) over the canonical JSON of its definition and
/// the versions of the metrics it reads. `None` for an unknown metric.
///
/// ```
/// let m = okpi::Model::from_json(r#"{"schema_version": 1, "measures": [{"id": "x"}],
///   "metrics": [{"id": "s", "kind": "simple", "measure": "x"}]}"#)?;
/// assert_eq!(okpi::kpi::metric_version(&m, "s").map(|v| v.len()), Some(16));
/// # Ok::<(), okpi::Error>(())
/// ```
pub fn metric_version(model: &crate::Model, id: &str) -> Option<String> {
    let cat = Catalog::new(model);
    cat.metric(id).map(|_| cat.version(id))
}
