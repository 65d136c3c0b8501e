//! Grade bands and forced distribution by the largest-remainder method.

use crate::model::GradeBand;
use serde::{Deserialize, Serialize};

/// The default bands: S ≥ 120, A ≥ 105, B ≥ 90, C ≥ 70, else D.
pub fn default_grades() -> Vec<GradeBand> {
    [
        ("S", 120.0),
        ("A", 105.0),
        ("B", 90.0),
        ("C", 70.0),
        ("D", f64::MIN),
    ]
    .into_iter()
    .map(|(g, min)| GradeBand {
        grade: g.to_owned(),
        min,
    })
    .collect()
}

/// The grade of `total`: the band with the highest `min ≤ total`; below all bands, the lowest band's grade. A
/// total is a computed quantity and reaches a band's minimum within ε (DOMAIN.md §0).
///
/// ```
/// let g = okpi::kpi::default_grades();
/// assert_eq!(okpi::kpi::grade(&g, 105.0), "A");
/// assert_eq!(okpi::kpi::grade(&g, 104.99), "B");
/// assert_eq!(okpi::kpi::grade(&g, 0.1 * 89.1 + 0.9 * 90.1), "B"); // 89.99999999999999 is 90
/// assert_eq!(okpi::kpi::grade(&g, 12.0), "D");
/// ```
pub fn grade(bands: &[GradeBand], total: f64) -> String {
    let best = bands
        .iter()
        .filter(|b| crate::num::ge(total, b.min))
        .max_by(|x, y| x.min.total_cmp(&y.min))
        .or_else(|| bands.iter().min_by(|x, y| x.min.total_cmp(&y.min)));
    best.map(|b| b.grade.clone()).unwrap_or_default()
}

/// One grade's share of a forced distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Share {
    /// Grade given.
    pub grade: String,
    /// Percent of the group (shares sum to 100), best grade first.
    pub percent: f64,
}

fn default_min_group() -> usize {
    25
}

/// A forced distribution (e.g. 20/70/10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// Shares, best grade first; they sum to 100.
    pub shares: Vec<Share>,
    /// Groups smaller than this are not forced and get a warning (default 25).
    #[serde(default = "default_min_group")]
    pub min_group_size: usize,
}

/// Seats per share for a group of `n`, by the largest-remainder method computed exactly (ties: the earlier
/// share); see [`crate::num::largest_remainder`].
///
/// ```
/// let shares: Vec<f64> = vec![20.0, 70.0, 10.0];
/// assert_eq!(okpi::kpi::seats(&shares, 27), vec![5, 19, 3]); // 5.4, 18.9, 2.7 → 5+18+2 = 25; .9 and .7 win
/// assert_eq!(okpi::kpi::seats(&shares, 28), vec![6, 19, 3]); // 5.6, 19.6, 2.8 → 5+19+2 = 26; .8 and .6 win
/// ```
pub fn seats(percents: &[f64], n: usize) -> Vec<usize> {
    crate::num::largest_remainder(percents, n)
}
