//! The computations the benches time, shared by the criterion benches and the `pipeline` command so both measure
//! the same thing.

use crate::kpi::MEASURES;
use crate::{as_of, day};
use okpi::kpi::{Distribution, Query, ScorecardRequest, Share};
use okpi::model::Grain;
use okpi::{Error, Model};

/// The month-by-month query of one simple metric over the whole quarter.
pub fn monthly_query(metric: &str) -> Query {
    {
        let mut v = Query::new(metric.to_owned(), day(0), day(89));
        v.grain = Some(Grain::Month);
        v.filters = Default::default();
        v.group_by = Vec::new();
        v
    }
}

/// Monthly KPI aggregation over the unit tree: every simple metric, every month of the quarter, every unit with
/// its whole subtree ([`okpi::kpi::query_units`]). Returns the number of cells.
pub fn monthly_tree(model: &Model) -> Result<usize, Error> {
    let mut cells = 0;
    for (measure, _, _) in MEASURES {
        cells += okpi::kpi::query_units(model, &monthly_query(measure))?
            .cells
            .len();
    }
    Ok(cells)
}

/// Scorecards as of the bench date with a 20/70/10 forced distribution per tree level.
pub fn scorecard_request() -> ScorecardRequest {
    let share = |grade: &str, percent| Share {
        grade: grade.into(),
        percent,
    };
    {
        let mut v = ScorecardRequest::new(as_of());
        v.distribution = Some(Distribution {
            shares: vec![share("A", 20.0), share("B", 70.0), share("C", 10.0)],
            min_group_size: 25,
        });
        v
    }
}
