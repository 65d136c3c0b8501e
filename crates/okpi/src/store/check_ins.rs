//! Check-ins in columns: one date, value, confidence and note column for the whole model, each key result's
//! check-ins one run of rows sorted by date. Evaluation reads a key result's latest value with a binary search
//! over 4-byte dates instead of over whole check-in records (a `String` key result and an optional note each),
//! and 5 M check-ins take 24 bytes each instead of about 120.

use crate::idx::{Idx, KrIx};
use crate::model::{CheckIn, CheckIns};
use chrono::NaiveDate;
use std::ops::Range;

/// "No value" and "no confidence" in the float columns. Validation refuses a non-finite value or confidence, so
/// NaN never stands for a number.
const NONE: f64 = f64::NAN;
use crate::model::check_ins::NO_NOTE;

fn code(v: Option<f64>) -> f64 {
    v.unwrap_or(NONE)
}

fn decode(v: f64) -> Option<f64> {
    (!v.is_nan()).then_some(v)
}

/// The most rows [`Columns::back`] counts; from there a reader scans back.
const FAR: u8 = u8::MAX;

/// The latest number of `col`, the rows of a run up to the one whose [`Columns::back`] is `back` (NaN where none).
fn latest_of(col: &[f64], back: u8) -> f64 {
    let Some(last) = col.len().checked_sub(1) else {
        return NONE;
    };
    let Some(at) = last.checked_sub(usize::from(back)) else {
        return NONE; // fewer rows than `back`: none
    };
    if back < FAR {
        return col.get(at).copied().unwrap_or(NONE);
    }
    scan_back(col.get(..=at).unwrap_or(&[]))
}

/// The last number of `col` (NaN where none), found by a scan back.
fn scan_back(col: &[f64]) -> f64 {
    col.iter().rev().copied().find(|v| !v.is_nan()).unwrap_or(NONE)
}

/// Where a key result's run of rows lies in the columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Run {
    start: usize,
    len: usize,
}

/// The columns. Rows belong to runs; a run moved by [`Columns::insert`] leaves its old rows unused.
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    dates: Vec<NaiveDate>,
    values: Vec<f64>,
    confidences: Vec<f64>,
    notes: Vec<u32>,
    /// The distinct note texts (notes repeat: "weekly update").
    texts: Vec<Box<str>>,
    /// How many rows back from each row the latest with a value (`[0]`) and the latest with a confidence (`[1]`)
    /// lie in its run, up to [`FAR`]: the latest as of a day is then read straight from the last row on or before
    /// it, not found by a scan back over rows without one.
    back: Vec<[u8; 2]>,
}

/// One check-in read from the columns (its key result is the caller's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Row<'a> {
    pub date: NaiveDate,
    pub value: Option<f64>,
    pub confidence: Option<f64>,
    pub note: Option<&'a str>,
}

/// The check-ins of one key result, oldest first: a view of the columns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slice<'a> {
    dates: &'a [NaiveDate],
    values: &'a [f64],
    confidences: &'a [f64],
    notes: &'a [u32],
    texts: &'a [Box<str>],
    /// [`Columns::back`] of these rows; empty for derived check-ins.
    back: &'a [[u8; 2]],
}

impl Columns {
    /// The document's check-in columns taken over as one run per key result (`kr_of` gives the key result of each
    /// key result id code, `None` skips its rows), each run sorted by date; same-day check-ins keep input order (a
    /// stable sort), so the later one wins ties. When each key result's check-ins already lie together (as exports
    /// and [`crate::Model::to_document`] write them) the columns are kept where they are, a run's rows sorted in
    /// place if need be; otherwise the rows are gathered by key result.
    pub(crate) fn build(
        check_ins: CheckIns,
        kr_of: &[Option<KrIx>],
        key_results: usize,
    ) -> (Columns, Vec<Run>) {
        let CheckIns {
            key_result,
            date,
            value,
            confidence,
            note,
            notes,
            ..
        } = check_ins;
        let mut cols = Columns {
            dates: date,
            values: value,
            confidences: confidence,
            notes: note,
            texts: notes,
            back: Vec::new(),
        };
        let kr_at = |code: u32| kr_of.get(code as usize).copied().flatten();
        let (mut cols, runs) = match runs_in_place(&key_result, kr_at, key_results) {
            Some(runs) => {
                for r in &runs {
                    cols.sort_run(*r);
                }
                (cols, runs)
            }
            None => cols.gather(&key_result, kr_at, key_results),
        };
        cols.back = vec![[FAR; 2]; cols.dates.len()];
        for r in &runs {
            cols.look_back(*r);
        }
        (cols, runs)
    }

    /// Works out [`Columns::back`] over the rows of `run`.
    fn look_back(&mut self, run: Run) {
        let r = run.start..run.start + run.len;
        let (Some(values), Some(confidences), Some(back)) = (
            self.values.get(r.clone()),
            self.confidences.get(r.clone()),
            self.back.get_mut(r),
        ) else {
            return;
        };
        let since = |b: u8, v: f64| if v.is_nan() { b.saturating_add(1) } else { 0 };
        let mut now = [FAR; 2];
        for ((&v, &c), b) in values.iter().zip(confidences).zip(back) {
            now = [since(now[0], v), since(now[1], c)];
            *b = now;
        }
    }

    /// Sorts the rows of `run` by date, same-day rows in their order.
    fn sort_run(&mut self, run: Run) {
        let Some(dates) = self.dates.get(run.start..run.start + run.len) else {
            return;
        };
        if dates.is_sorted() {
            return;
        }
        let mut order: Vec<usize> = (run.start..run.start + run.len).collect();
        order.sort_by_key(|&i| self.dates.get(i).copied());
        fn permute<T: Copy>(col: &mut [T], start: usize, order: &[usize]) {
            let taken: Vec<T> = order.iter().filter_map(|&i| col.get(i).copied()).collect();
            if let Some(run) = col.get_mut(start..start + taken.len()) {
                run.copy_from_slice(&taken);
            }
        }
        permute(&mut self.dates, run.start, &order);
        permute(&mut self.values, run.start, &order);
        permute(&mut self.confidences, run.start, &order);
        permute(&mut self.notes, run.start, &order);
    }

    /// The rows grouped into one run per key result (a counting sort), each run sorted by date.
    fn gather(
        self,
        codes: &[u32],
        kr_at: impl Fn(u32) -> Option<KrIx>,
        key_results: usize,
    ) -> (Columns, Vec<Run>) {
        let mut runs = vec![Run::default(); key_results];
        for &c in codes {
            if let Some(r) = kr_at(c).and_then(|ix| runs.get_mut(ix.index())) {
                r.len += 1;
            }
        }
        let mut at = 0;
        for r in &mut runs {
            r.start = at;
            at += r.len;
        }
        let mut order = vec![0usize; at];
        let mut next: Vec<usize> = runs.iter().map(|r| r.start).collect();
        for (i, &c) in codes.iter().enumerate() {
            if let Some(n) = kr_at(c).and_then(|ix| next.get_mut(ix.index())) {
                if let Some(slot) = order.get_mut(*n) {
                    *slot = i;
                }
                *n += 1;
            }
        }
        for r in &runs {
            if let Some(run) = order.get_mut(r.start..r.start + r.len) {
                run.sort_by_key(|&i| self.dates.get(i).copied());
            }
        }
        fn take<T: Copy>(col: &[T], order: &[usize]) -> Vec<T> {
            order.iter().filter_map(|&i| col.get(i).copied()).collect()
        }
        let cols = Columns {
            dates: take(&self.dates, &order),
            values: take(&self.values, &order),
            confidences: take(&self.confidences, &order),
            notes: take(&self.notes, &order),
            texts: self.texts,
            back: Vec::new(),
        };
        (cols, runs)
    }

    fn push(&mut self, date: NaiveDate, value: Option<f64>, confidence: Option<f64>, note: Option<u32>) {
        self.dates.push(date);
        self.values.push(code(value));
        self.confidences.push(code(confidence));
        self.notes.push(note.unwrap_or(NO_NOTE));
        self.back.push([FAR; 2]);
    }

    /// The rows of `run`.
    pub(crate) fn slice(&self, run: Run) -> Slice<'_> {
        let r = run.start..run.start + run.len;
        Slice {
            dates: self.dates.get(r.clone()).unwrap_or(&[]),
            values: self.values.get(r.clone()).unwrap_or(&[]),
            confidences: self.confidences.get(r.clone()).unwrap_or(&[]),
            notes: self.notes.get(r.clone()).unwrap_or(&[]),
            texts: &self.texts,
            back: self.back.get(r).unwrap_or(&[]),
        }
    }

    /// The rows of `run` dated on or before `day`, as a range of the columns (for [`Columns::latest_in`]).
    #[inline]
    pub(crate) fn until(&self, run: Run, day: NaiveDate) -> Range<usize> {
        let dates = self.dates.get(run.start..run.start + run.len).unwrap_or(&[]);
        run.start..run.start + dates.partition_point(|d| *d <= day)
    }

    /// The latest value and the latest confidence (NaN where none) of the rows `rows` of one run: what the
    /// columnar evaluation reads of a key result's check-ins, from the columns straight (no view of each), so that
    /// a loop over many key results keeps many of their loads in flight.
    #[inline]
    pub(crate) fn latest_in(&self, rows: Range<usize>) -> (f64, f64) {
        let [_, confidence] = self.back_of(&rows);
        let confidences = self.confidences.get(rows.clone()).unwrap_or(&[]);
        (self.latest_value_in(rows), latest_of(confidences, confidence))
    }

    /// [`Columns::latest_in`]'s latest value alone (its confidence not read).
    #[inline]
    pub(crate) fn latest_value_in(&self, rows: Range<usize>) -> f64 {
        let [value, _] = self.back_of(&rows);
        latest_of(self.values.get(rows).unwrap_or(&[]), value)
    }

    /// The last row's counts back to the latest value and confidence of `rows` ([`FAR`] for none: scan).
    #[inline]
    fn back_of(&self, rows: &Range<usize>) -> [u8; 2] {
        let back = rows.end.checked_sub(1).and_then(|i| self.back.get(i));
        back.copied().unwrap_or([FAR; 2])
    }

    /// Adds `check_in` to `run` after any same-day check-in: the run's rows move to the end of the columns with
    /// the new row in place (the old rows stay unused), so one key result's check-ins stay one sorted run and an
    /// insert costs that key result's rows, not the model's.
    pub(crate) fn insert(&mut self, run: &mut Run, check_in: CheckIn) {
        let old = *run;
        let at = self.slice(old).until(check_in.date).len();
        let start = self.dates.len();
        for i in old.start..old.start + at {
            self.copy_row(i);
        }
        let note = check_in.note.map(|n| {
            let c = u32::try_from(self.texts.len()).unwrap_or(NO_NOTE);
            if c != NO_NOTE {
                self.texts.push(n.into());
            }
            c
        });
        self.push(check_in.date, check_in.value, check_in.confidence, note);
        for i in old.start + at..old.start + old.len {
            self.copy_row(i);
        }
        *run = Run {
            start,
            len: old.len + 1,
        };
        self.look_back(*run);
    }

    fn copy_row(&mut self, i: usize) {
        if let (Some(&d), Some(&v), Some(&c), Some(&n)) = (
            self.dates.get(i),
            self.values.get(i),
            self.confidences.get(i),
            self.notes.get(i),
        ) {
            self.dates.push(d);
            self.values.push(v);
            self.confidences.push(c);
            self.notes.push(n);
            self.back.push([FAR; 2]);
        }
    }
}

/// One run per key result over the rows where they lie, if each key result's rows (by id code) lie together
/// and every row's key result is known; `None` otherwise.
fn runs_in_place(codes: &[u32], kr_at: impl Fn(u32) -> Option<KrIx>, key_results: usize) -> Option<Vec<Run>> {
    let mut runs = vec![Run::default(); key_results];
    let mut start = 0;
    while let Some(&code) = codes.get(start) {
        let len = codes.get(start..)?.iter().take_while(|&&c| c == code).count();
        let run = runs.get_mut(kr_at(code)?.index())?;
        if run.len > 0 {
            return None; // this key result's rows lie apart
        }
        *run = Run { start, len };
        start += len;
    }
    Some(runs)
}

impl<'a> Slice<'a> {
    /// The derived check-ins of a key result linked to a KPI metric: dates and values, no confidence or note.
    pub(crate) fn derived(dates: &'a [NaiveDate], values: &'a [f64]) -> Slice<'a> {
        Slice {
            dates,
            values,
            confidences: &[],
            notes: &[],
            texts: &[],
            back: &[],
        }
    }

    /// How many check-ins.
    pub(crate) fn len(&self) -> usize {
        self.dates.len()
    }

    /// Whether there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// The check-ins dated on or before `day`.
    pub(crate) fn until(&self, day: NaiveDate) -> Slice<'a> {
        let n = self.dates.partition_point(|d| *d <= day);
        Slice {
            dates: self.dates.get(..n).unwrap_or(&[]),
            values: self.values.get(..n).unwrap_or(self.values),
            confidences: self.confidences.get(..n).unwrap_or(self.confidences),
            notes: self.notes.get(..n).unwrap_or(self.notes),
            texts: self.texts,
            back: self.back.get(..n).unwrap_or(self.back),
        }
    }

    /// The first value (the baseline of a key result without a start).
    pub(crate) fn first_value(&self) -> Option<f64> {
        self.values.iter().copied().find_map(decode)
    }

    /// The latest value.
    pub(crate) fn latest_value(&self) -> Option<f64> {
        match self.last_back() {
            Some([back, _]) => decode(latest_of(self.values, back)),
            None => decode(scan_back(self.values)),
        }
    }

    /// The latest confidence.
    pub(crate) fn latest_confidence(&self) -> Option<f64> {
        match self.last_back() {
            Some([_, back]) => decode(latest_of(self.confidences, back)),
            None => decode(scan_back(self.confidences)),
        }
    }

    /// [`Columns::back`] of the last row; `None` for no rows, or for derived check-ins, which have none (a reader
    /// scans them).
    fn last_back(&self) -> Option<[u8; 2]> {
        self.back
            .last()
            .copied()
            .filter(|_| self.back.len() == self.dates.len())
    }

    /// Row `i`.
    pub(crate) fn row(&self, i: usize) -> Option<Row<'a>> {
        let date = *self.dates.get(i)?;
        let note = self.notes.get(i).and_then(|&n| self.texts.get(n as usize));
        Some(Row {
            date,
            value: self.values.get(i).copied().and_then(decode),
            confidence: self.confidences.get(i).copied().and_then(decode),
            note: note.map(|t| &**t),
        })
    }

    /// The rows, oldest first.
    pub(crate) fn rows(&self) -> Rows<'a> {
        Rows {
            slice: *self,
            front: 0,
            back: self.len(),
        }
    }

    /// The latest row.
    pub(crate) fn last(&self) -> Option<Row<'a>> {
        self.row(self.len().checked_sub(1)?)
    }
}

/// The rows of a [`Slice`], oldest first.
#[derive(Debug, Clone)]
pub(crate) struct Rows<'a> {
    slice: Slice<'a>,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Rows<'a> {
    type Item = Row<'a>;
    fn next(&mut self) -> Option<Row<'a>> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.slice.row(self.front - 1)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Rows<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.slice.row(self.back)
    }
}

impl ExactSizeIterator for Rows<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(kr: &str, day: u32, value: f64, note: Option<&str>) -> CheckIn {
        CheckIn {
            key_result: String::from(kr),
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap_or_default(),
            value: Some(value),
            confidence: None,
            note: note.map(String::from),
        }
    }

    fn values(s: Slice<'_>) -> Vec<(u32, Option<f64>, Option<String>)> {
        use chrono::Datelike;
        s.rows()
            .map(|r| (r.date.day(), r.value, r.note.map(String::from)))
            .collect()
    }

    fn kr(i: usize) -> Option<KrIx> {
        Some(KrIx::new(i))
    }

    #[test]
    fn runs_group_by_key_result_sort_by_date_and_keep_same_day_input_order() {
        let input = vec![
            ci("a", 5, 1.0, Some("a")),
            ci("a", 2, 2.0, None),
            ci("x", 9, 0.0, None),
            ci("a", 5, 3.0, Some("a")),
            ci("a", 1, 4.0, Some("b")),
        ];
        // "a" is key result 1, "x" unknown (skipped), and "a"'s rows lie apart: they are gathered.
        let (cols, runs) = Columns::build(CheckIns::from(input), &[kr(1), None], 2);
        assert!(cols.slice(runs[0]).is_empty());
        let got = values(cols.slice(runs[1]));
        let (a, b) = (Some(String::from("a")), Some(String::from("b")));
        assert_eq!(
            got,
            [
                (1, Some(4.0), b),
                (2, Some(2.0), None),
                (5, Some(1.0), a.clone()),
                (5, Some(3.0), a)
            ]
        );
        assert_eq!(cols.dates.len(), 4, "the unknown key result's row is left out");
        assert_eq!(cols.texts.len(), 2, "repeated notes are stored once");
        assert_eq!(
            cols.slice(runs[1])
                .until(NaiveDate::from_ymd_opt(2026, 1, 4).unwrap_or_default())
                .len(),
            2
        );
    }

    #[test]
    fn rows_that_lie_together_stay_where_they_are() {
        let input = vec![
            ci("b", 3, 1.0, None),
            ci("b", 7, 2.0, None),
            ci("a", 6, 3.0, None),
            ci("a", 4, 4.0, Some("n")),
            ci("a", 6, 5.0, None),
        ];
        let cis = CheckIns::from(input);
        let dates = cis.date.as_ptr();
        let (cols, runs) = Columns::build(cis, &[kr(1), kr(0)], 2);
        assert_eq!(
            cols.dates.as_ptr(),
            dates,
            "the columns were taken over, not copied"
        );
        assert_eq!((runs[1].start, runs[0].start), (0, 2));
        assert_eq!(
            values(cols.slice(runs[1])),
            [(3, Some(1.0), None), (7, Some(2.0), None)]
        );
        assert_eq!(
            values(cols.slice(runs[0])),
            [
                (4, Some(4.0), Some("n".into())),
                (6, Some(3.0), None),
                (6, Some(5.0), None)
            ]
        );
    }

    #[test]
    fn insert_goes_after_same_day_rows_and_leaves_other_runs_alone() {
        let input = vec![
            ci("a", 3, 1.0, None),
            ci("a", 7, 2.0, None),
            ci("b", 4, 9.0, None),
        ];
        let (mut cols, mut runs) = Columns::build(CheckIns::from(input), &[kr(0), kr(1)], 2);
        cols.insert(&mut runs[0], ci("a", 3, 5.0, Some("late")));
        let got: Vec<_> = values(cols.slice(runs[0]))
            .into_iter()
            .map(|r| (r.0, r.1))
            .collect();
        assert_eq!(got, [(3, Some(1.0)), (3, Some(5.0)), (7, Some(2.0))]);
        assert_eq!(cols.slice(runs[0]).row(1).and_then(|r| r.note), Some("late"));
        assert_eq!(values(cols.slice(runs[1])), [(4, Some(9.0), None)]);
        assert_eq!(cols.slice(runs[0]).latest_value(), Some(2.0));
    }

    /// The latest value and confidence as of a day are carried past rows without them, within a key result's run
    /// only, and again after an insert; they equal a scan back over the rows.
    #[test]
    fn the_latest_value_and_confidence_are_carried_within_a_run() {
        let with = |kr: &str, day: u32, value: Option<f64>, confidence: Option<f64>| CheckIn {
            value,
            confidence,
            ..ci(kr, day, 0.0, None)
        };
        let input = vec![
            with("a", 1, Some(1.0), Some(5.0)),
            with("a", 2, None, None),
            with("a", 4, None, Some(7.0)),
            with("b", 1, None, None),
        ];
        let (mut cols, mut runs) = Columns::build(CheckIns::from(input), &[kr(0), kr(1)], 2);
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default();
        let latest = |cols: &Columns, run: Run, d: u32| {
            let s = cols.slice(run).until(day(d));
            let got = cols.latest_in(cols.until(run, day(d)));
            let scanned = (
                s.values.iter().rev().copied().find_map(decode),
                s.confidences.iter().rev().copied().find_map(decode),
            );
            assert_eq!((s.latest_value(), s.latest_confidence()), scanned);
            (decode(got.0), decode(got.1))
        };
        assert_eq!(latest(&cols, runs[0], 3), (Some(1.0), Some(5.0)));
        assert_eq!(latest(&cols, runs[0], 9), (Some(1.0), Some(7.0)));
        assert_eq!(
            latest(&cols, runs[1], 9),
            (None, None),
            "nothing carried from key result a"
        );
        cols.insert(&mut runs[0], with("a", 2, Some(4.0), None));
        assert_eq!(latest(&cols, runs[0], 3), (Some(4.0), Some(5.0)));
        assert_eq!(latest(&cols, runs[0], 9), (Some(4.0), Some(7.0)));
        assert_eq!(latest(&cols, runs[0], 1), (Some(1.0), Some(5.0)));
    }

    /// A value more rows back than the offsets count is found by the scan from there, and none at all is none.
    #[test]
    fn the_latest_value_far_back_is_found() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let row = |i: u32, value: Option<f64>| CheckIn {
            date: start + chrono::Duration::days(i64::from(i)),
            value,
            confidence: None,
            ..ci("a", 1, 0.0, None)
        };
        let input: Vec<CheckIn> = (0..600).map(|i| row(i, (i == 0).then_some(3.0))).collect();
        let (cols, runs) = Columns::build(CheckIns::from(input), &[kr(0)], 1);
        for days in [0, 254, 255, 256, 599] {
            let rows = cols.until(runs[0], start + chrono::Duration::days(days));
            assert_eq!(cols.latest_in(rows.clone()).0, 3.0, "{days} days on");
            assert!(cols.latest_in(rows).1.is_nan(), "no confidence anywhere");
        }
        assert_eq!(cols.slice(runs[0]).latest_value(), Some(3.0));
        assert_eq!(cols.slice(runs[0]).latest_confidence(), None);
    }

    /// Derived check-ins (a KPI metric's) count no rows back: their latest value is found by a scan.
    #[test]
    fn the_latest_derived_value_is_scanned_for() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        let (dates, values) = ([day; 3], [4.0, 5.0, NONE]);
        let derived = Slice::derived(&dates, &values);
        assert_eq!(derived.latest_value(), Some(5.0));
        assert_eq!(Slice::derived(&[], &[]).latest_value(), None);
    }
}
