//! Builders of calendar and fiscal cycles (DOMAIN.md §1).
//!
//! A fiscal year is named by the calendar year it starts in: with `fiscal_start_month = 4`, FY2026 runs from
//! 2026-04-01 to 2027-03-31 (the Japanese and Indian convention). Month 1 makes fiscal and calendar years equal.

use crate::error::{Code, Error, Problem};
use crate::model::Cycle;
use chrono::{Months, NaiveDate};

/// A span of a fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The whole year.
    Year,
    /// Half 1 or 2.
    Half(u8),
    /// Quarter 1 to 4.
    Quarter(u8),
}

/// The cycle for `period` of fiscal year `year` whose first month is `fiscal_start_month` (1–12).
/// Its id reads `FY2026`, `FY2026H1` or `FY2026Q3` (calendar years, start month 1: `2026`, `2026H1`, `2026Q3`).
///
/// ```
/// use okpi::cycle::{fiscal, Period};
/// let q = fiscal(2026, Period::Quarter(4), 4).unwrap();
/// assert_eq!((q.id.as_str(), q.start.to_string(), q.end.to_string()), ("FY2026Q4", "2027-01-01".into(), "2027-03-31".into()));
/// let h = fiscal(2026, Period::Half(1), 1).unwrap();
/// assert_eq!((h.id.as_str(), h.end.to_string()), ("2026H1", "2026-06-30".into()));
/// ```
pub fn fiscal(year: i32, period: Period, fiscal_start_month: u32) -> Result<Cycle, Error> {
    let bad = |msg: String| Error::invalid(vec![Problem::new(Code::E_INVALID_VALUE, "$", None, msg)]);
    if !(1..=12).contains(&fiscal_start_month) {
        return Err(bad(format!(
            "fiscal_start_month must be 1–12, not {fiscal_start_month}"
        )));
    }
    let (offset, months, suffix) = match period {
        Period::Year => (0, 12, String::new()),
        Period::Half(h @ 1..=2) => (6 * (u32::from(h) - 1), 6, format!("H{h}")),
        Period::Quarter(q @ 1..=4) => (3 * (u32::from(q) - 1), 3, format!("Q{q}")),
        other => return Err(bad(format!("{other:?} is not a half 1–2 or quarter 1–4"))),
    };
    let year_start = NaiveDate::from_ymd_opt(year, fiscal_start_month, 1)
        .ok_or_else(|| bad(format!("year {year} is out of range")))?;
    let start = year_start + Months::new(offset);
    let end = (start + Months::new(months))
        .pred_opt()
        .ok_or_else(|| bad(format!("year {year} is out of range")))?;
    let prefix = if fiscal_start_month == 1 { "" } else { "FY" };
    Ok(Cycle {
        id: format!("{prefix}{year}{suffix}"),
        start,
        end,
        parent: None,
    })
}

/// The calendar quarter `q` (1–4) of `year`, e.g. `2026Q1` = 2026-01-01..2026-03-31.
pub fn calendar_quarter(year: i32, q: u8) -> Result<Cycle, Error> {
    fiscal(year, Period::Quarter(q), 1)
}

/// The year `year` and its four quarters as children (fiscal year start month as given).
pub fn year_with_quarters(year: i32, fiscal_start_month: u32) -> Result<Vec<Cycle>, Error> {
    let whole = fiscal(year, Period::Year, fiscal_start_month)?;
    let mut out = vec![whole.clone()];
    for q in 1..=4 {
        let mut c = fiscal(year, Period::Quarter(q), fiscal_start_month)?;
        c.parent = Some(whole.id.clone());
        out.push(c);
    }
    Ok(out)
}
