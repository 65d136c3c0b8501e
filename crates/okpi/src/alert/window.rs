//! The window `anomaly` reads, kept sorted as the series advances: each evaluation removes the point that leaves
//! the window and inserts the one that enters it (a binary search and a shift in a short array) instead of copying
//! and sorting the whole window again. `f64::total_cmp` orders a multiset of numbers one way only, so the window
//! holds exactly what sorting the history's last `k` values gives, and the median and MAD read from it are the
//! same numbers, bit for bit (a property test holds it against the sort).

/// The finite values among a history's last `k` points, ascending by `total_cmp`, and how many of those points
/// are missing. The caller owns the history and says which point leaves at each push.
#[derive(Debug, Default)]
pub(crate) struct SortedWindow {
    sorted: Vec<f64>,
    missing: usize,
}

impl SortedWindow {
    /// The window over `last`, the history's last `k` points (or all of them when it is shorter).
    pub(crate) fn new(last: &[Option<f64>]) -> SortedWindow {
        let mut sorted: Vec<f64> = last.iter().flatten().copied().collect();
        sorted.sort_by(f64::total_cmp);
        SortedWindow {
            missing: last.len() - sorted.len(),
            sorted,
        }
    }

    /// The values, ascending, when no point of the window is missing.
    pub(crate) fn complete(&self) -> Option<&[f64]> {
        (self.missing == 0).then_some(self.sorted.as_slice())
    }

    /// Moves the window on by one point: `leaving` is the point that drops out (`None` while the history is
    /// shorter than the window), `entering` the one recorded (`None`: missing).
    pub(crate) fn push(&mut self, leaving: Option<Option<f64>>, entering: Option<f64>) {
        match (leaving, entering) {
            (Some(Some(y)), Some(v)) => self.replace(y, v),
            (leaving, entering) => {
                match leaving {
                    Some(Some(y)) => {
                        if let Some(at) = self.position(y) {
                            self.sorted.remove(at);
                        }
                    }
                    Some(None) => self.missing = self.missing.saturating_sub(1),
                    None => {}
                }
                match entering {
                    Some(v) => {
                        let at = self.sorted.partition_point(|a| a.total_cmp(&v).is_le());
                        self.sorted.insert(at, v);
                    }
                    None => self.missing += 1,
                }
            }
        }
    }

    /// Where `y` is (equal under `total_cmp` is equal bit for bit, so any equal one is it).
    fn position(&self, y: f64) -> Option<usize> {
        let at = below(&self.sorted, y);
        self.sorted
            .get(at)
            .is_some_and(|a| a.to_bits() == y.to_bits())
            .then_some(at)
    }

    /// The common move, a value out and a value in: `v` takes `y`'s place and the values between the two places
    /// move up or down by one (a short copy; the places are counted, not searched for, so no branch waits on a
    /// comparison of two days' values).
    fn replace(&mut self, y: f64, v: f64) {
        let Some(at) = self.position(y) else {
            return self.push(None, Some(v)); // not there (cannot happen): insert only
        };
        // `v`'s place once `y` is out: the values below it, `y` not counted.
        let to = below(&self.sorted, v) - usize::from(y.total_cmp(&v).is_lt());
        let xs = self.sorted.as_mut_slice();
        if to < at {
            xs.copy_within(to..at, to + 1);
        } else if to > at {
            xs.copy_within(at + 1..=to, at);
        }
        if let Some(slot) = xs.get_mut(to) {
            *slot = v;
        }
    }
}

/// How many of `xs` (sorted ascending by `total_cmp`) come before `y`: where `y` goes. A short window is counted,
/// with no branch on the values (a binary search's branches on two days' values are a coin toss); a long one is
/// searched.
fn below(xs: &[f64], y: f64) -> usize {
    if xs.len() > COUNTED {
        return xs.partition_point(|a| a.total_cmp(&y).is_lt());
    }
    xs.iter().map(|a| usize::from(a.total_cmp(&y).is_lt())).sum()
}

/// Windows up to this long are counted by [`below`] (and by `anomaly`'s MAD, where its runs turn), longer ones
/// searched.
pub(crate) const COUNTED: usize = 64;

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::SortedWindow;
    use proptest::prelude::*;

    fn point() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            6 => (-20i32..20).prop_map(|v| Some(f64::from(v) / 4.0)),
            1 => Just(Some(-0.0)),
            1 => (-1e300..1e300f64).prop_map(Some),
            1 => Just(None),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// After every push the window holds, bit for bit, the sorted finite values of the history's last `k`
        /// points and counts its missing ones, as copying and sorting them gives (windows short enough to be
        /// counted, and long ones, searched).
        #[test]
        fn the_window_is_the_sorted_last_k_points(
            k in prop_oneof![1usize..20, 60usize..80],
            start in prop::collection::vec(point(), 0..100),
            pushes in prop::collection::vec(point(), 0..60),
        ) {
            let mut history = start;
            let last = |h: &[Option<f64>]| h[h.len().saturating_sub(k)..].to_vec();
            let mut w = SortedWindow::new(&last(&history));
            for p in pushes {
                let leaving = (history.len() >= k).then(|| history[history.len() - k]);
                w.push(leaving, p);
                history.push(p);
                let tail = last(&history);
                let mut want: Vec<f64> = tail.iter().flatten().copied().collect();
                want.sort_by(f64::total_cmp);
                let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                prop_assert_eq!(bits(&w.sorted), bits(&want));
                prop_assert_eq!(w.missing, tail.len() - want.len());
                prop_assert_eq!(w.complete().is_some(), tail.iter().all(Option::is_some));
            }
        }
    }
}
