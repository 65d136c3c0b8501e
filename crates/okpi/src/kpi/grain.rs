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

/// Moves one day by `n` grains (negative: back): days and weeks by 1 and 7 days; months, quarters and years by
/// 1, 3 and 12 months keeping month boundaries (the last day of a month moves to the last day of the target
/// month; any other day keeps its day of the month, or the target month's last day when it has fewer days).
/// `None` when that leaves chrono's calendar.
///
/// ```
/// use okpi::model::Grain;
/// let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(okpi::kpi::checked_shift_day(Grain::Month, d(2026, 2, 28), 1), Some(d(2026, 3, 31)));
/// assert_eq!(okpi::kpi::checked_shift_day(Grain::Quarter, d(2026, 5, 31), -1), Some(d(2026, 2, 28)));
/// assert_eq!(okpi::kpi::checked_shift_day(Grain::Week, d(2026, 3, 8), -1), Some(d(2026, 3, 1)));
/// ```
pub fn checked_shift_day(grain: Grain, day: NaiveDate, n: i64) -> Option<NaiveDate> {
    let month_end = day.succ_opt().is_none_or(|next| next.month() != day.month());
    if matches!(grain, Grain::Day | Grain::Week) || !month_end {
        return checked_shift_start(grain, day, n);
    }
    let first = checked_shift_start(grain, bucket_start(Grain::Month, day), n)?;
    Some(bucket_end(Grain::Month, first))
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
    ///
    /// Each end moves by whole grains on its own (see [`checked_shift_day`]); the span is not widened to whole
    /// buckets first, so a month-to-date span [Mar 1, Mar 8] one week back is [Feb 22, Mar 1].
    ///
    /// ```
    /// use okpi::model::Grain;
    /// let d = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// let s = okpi::kpi::Span { start: d(3, 1), end: d(3, 8), grain: Grain::Week }.checked_shift(-1).unwrap();
    /// assert_eq!((s.start, s.end), (d(2, 22), d(3, 1)));
    /// let s = okpi::kpi::Span { start: d(6, 1), end: d(6, 30), grain: Grain::Quarter }.checked_shift(-1).unwrap();
    /// assert_eq!((s.start, s.end), (d(3, 1), d(3, 31)));
    /// ```
    pub fn checked_shift(self, n: i64) -> Option<Span> {
        if n == 0 {
            return Some(self);
        }
        Some(Span {
            start: checked_shift_day(self.grain, self.start, n)?,
            end: checked_shift_day(self.grain, self.end, n)?,
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
