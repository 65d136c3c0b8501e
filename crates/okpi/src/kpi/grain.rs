//! Time grains: the bucket a day falls in, and shifting buckets by whole grains (ISO weeks via chrono).

use crate::model::{Grain, ToDate};
use chrono::{Datelike, Days, Months, NaiveDate};

/// A span of days, both ends inclusive, measured at a grain (offsets shift it by whole grains).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// The grain offsets move by.
    pub grain: Grain,
}

/// First day of the bucket of `grain` holding `day`.
///
/// ```
/// use okpi::model::Grain;
/// let d = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
/// // 2027-01-01 is a Friday of ISO week 2026-W53, which began on Monday 2026-12-28.
/// assert_eq!(okpi::kpi::bucket_start(Grain::Week, d).to_string(), "2026-12-28");
/// ```
pub fn bucket_start(grain: Grain, day: NaiveDate) -> NaiveDate {
    let ymd = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day);
    match grain {
        Grain::Day => day,
        Grain::Week => day
            .checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
            .unwrap_or(day),
        Grain::Month => ymd(day.year(), day.month()),
        Grain::Quarter => ymd(day.year(), (day.month0() / 3) * 3 + 1),
        Grain::Year => ymd(day.year(), 1),
    }
}

/// Moves a bucket start by `n` grains (negative: back); `start` itself when that leaves the calendar (see
/// [`checked_shift_start`]).
pub fn shift_start(grain: Grain, start: NaiveDate, n: i64) -> NaiveDate {
    checked_shift_start(grain, start, n).unwrap_or(start)
}

/// Moves a bucket start by `n` grains (negative: back); `None` when that leaves chrono's calendar.
///
/// ```
/// use okpi::model::Grain;
/// let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// assert_eq!(okpi::kpi::checked_shift_start(Grain::Month, d, -1).map(|d| d.to_string()), Some("2025-12-01".into()));
/// assert_eq!(okpi::kpi::checked_shift_start(Grain::Day, d, -4_000_000_000), None);
/// ```
pub fn checked_shift_start(grain: Grain, start: NaiveDate, n: i64) -> Option<NaiveDate> {
    let days = |k: i64| {
        if k >= 0 {
            start.checked_add_days(Days::new(k.unsigned_abs()))
        } else {
            start.checked_sub_days(Days::new(k.unsigned_abs()))
        }
    };
    let months = |k: i64| {
        let m = u32::try_from(k.unsigned_abs()).unwrap_or(u32::MAX);
        if k >= 0 {
            start.checked_add_months(Months::new(m))
        } else {
            start.checked_sub_months(Months::new(m))
        }
    };
    match grain {
        Grain::Day => days(n),
        Grain::Week => days(n.saturating_mul(7)),
        Grain::Month => months(n),
        Grain::Quarter => months(n.saturating_mul(3)),
        Grain::Year => months(n.saturating_mul(12)),
    }
}

/// Last day of the bucket of `grain` holding `day` (the calendar's last day for a bucket that reaches it).
pub fn bucket_end(grain: Grain, day: NaiveDate) -> NaiveDate {
    checked_shift_start(grain, bucket_start(grain, day), 1)
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The bucket holding `day`, as a span.
pub fn bucket(grain: Grain, day: NaiveDate) -> Span {
    Span {
        start: bucket_start(grain, day),
        end: bucket_end(grain, day),
        grain,
    }
}

impl Span {
    /// The span moved by `n` grains: each end moves with its bucket. A move that would leave the calendar leaves
    /// the span where it is (see [`Span::checked_shift`]).
    pub fn shift(self, n: i64) -> Span {
        self.checked_shift(n).unwrap_or(self)
    }

    /// The span moved by `n` grains, or `None` when either end would leave chrono's calendar.
    pub fn checked_shift(self, n: i64) -> Option<Span> {
        if n == 0 {
            return Some(self);
        }
        let start = checked_shift_start(self.grain, bucket_start(self.grain, self.start), n)?;
        let end_bucket = checked_shift_start(self.grain, bucket_start(self.grain, self.end), n)?;
        Some(Span {
            start,
            end: bucket_end(self.grain, end_bucket),
            grain: self.grain,
        })
    }
}

/// The grain of a grain-to-date accumulation.
pub fn to_date_grain(t: ToDate) -> Grain {
    match t {
        ToDate::WeekToDate => Grain::Week,
        ToDate::MonthToDate => Grain::Month,
        ToDate::QuarterToDate => Grain::Quarter,
        ToDate::YearToDate => Grain::Year,
    }
}
