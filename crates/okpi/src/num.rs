//! Numbers at boundaries (DOMAIN.md §0), in one place that every engine uses.
//!
//! People check okpi's numbers with a calculator, so a boundary met in decimal arithmetic is met in okpi:
//! - a **computed** quantity (a progress, a mean, an achievement, a score, a total, a change, a slope, a
//!   deviation, a health) is compared with a boundary `b` with the tolerance ε = 1e-9 · max(1, |b|)
//!   ([`ge`], [`gt`], [`lt`], [`le`], [`ties`], [`rank_desc`]);
//! - a **raw** value as observed or typed (an observation against `above`/`below`, a check-in against a bound)
//!   is compared exactly, with Rust's own operators, by its callers;
//! - a sum that is zero in decimal arithmetic is zero ([`zero_sum`]), and zero is never written −0
//!   ([`unsigned_zero`]);
//! - rounding half-up applies ε once, at the end ([`round_half_up`]);
//! - largest remainders are exact: shares are decimals, scaled to integers ([`largest_remainder`]).

/// The relative size of the tolerance: ε = `REL` · max(1, |b|).
pub const REL: f64 = 1e-9;

/// ε for boundary `b`: 1e-9 · max(1, |b|) (infinite for an infinite boundary, which is then compared exactly).
///
/// ```
/// assert_eq!(okpi::num::tolerance(0.5), 1e-9);
/// assert_eq!(okpi::num::tolerance(-2048.0), 2048.0 * 1e-9);
/// ```
pub fn tolerance(b: f64) -> f64 {
    REL * b.abs().max(1.0)
}

/// `x ≥ b` for a computed `x`: x ≥ b − ε.
///
/// ```
/// assert!(okpi::num::ge(3.3 / 3.0, 1.1)); // 1.0999999999999999 reaches a band at 1.1
/// assert!(!okpi::num::ge(1.0999, 1.1));
/// ```
pub fn ge(x: f64, b: f64) -> bool {
    x >= ge_bound(b)
}

/// The bound [`ge`] compares with: `b − ε` for a finite `b`, else `b`. A loop that tests many numbers against one
/// `b` works it out once and compares with `>=`, answering as [`ge`] does.
pub(crate) fn ge_bound(b: f64) -> f64 {
    if b.is_finite() {
        b - tolerance(b)
    } else {
        b
    }
}

/// `x > b` for a computed `x`: x > b + ε.
///
/// ```
/// let (median, mad) = (10.5, 0.5);
/// assert!(!okpi::num::gt((12.7239f64 - median).abs(), 3.0 * 1.4826 * mad)); // exactly on the boundary
/// ```
pub fn gt(x: f64, b: f64) -> bool {
    if b.is_finite() {
        x > b + tolerance(b)
    } else {
        x > b
    }
}

/// `x < b` for a computed `x`: x < b − ε (the negation of [`ge`]).
///
/// ```
/// assert!(!okpi::num::lt(3.51 / 3.9, 0.9)); // an achievement of exactly 0.9 is not below 0.9
/// ```
pub fn lt(x: f64, b: f64) -> bool {
    !ge(x, b)
}

/// `x ≤ b` for a computed `x`: x ≤ b + ε (the negation of [`gt`]).
pub fn le(x: f64, b: f64) -> bool {
    !gt(x, b)
}

/// Whether computed `x` ties `b`: |x − b| ≤ ε.
///
/// ```
/// assert!(okpi::num::ties(0.1 * 89.1 + 0.9 * 90.1, 90.0));
/// ```
pub fn ties(x: f64, b: f64) -> bool {
    ge(x, b) && le(x, b)
}

/// Orders items by a computed total, highest first, totals that tie (|x − b| ≤ ε) by `key`, ascending.
///
/// Tying is not transitive, so the classes are made once, deterministically: sorted exactly by total (then key),
/// each class starts at its highest total and takes every next total that ties with that one; within a class
/// items are ordered by key. A sort with an intransitive comparator would be undefined.
///
/// ```
/// let mut v = vec![("b", 60.0 + 40.0 * 6.2 / 12.4), ("a", 80.0), ("c", 80.5)];
/// okpi::num::rank_desc(&mut v, |x| x.1, |x| x.0);
/// assert_eq!(v.iter().map(|x| x.0).collect::<String>(), "cab");
/// ```
pub fn rank_desc<T, K: Ord>(items: &mut [T], total: impl Fn(&T) -> f64, key: impl Fn(&T) -> K) {
    items.sort_by(|a, b| total(b).total_cmp(&total(a)).then_with(|| key(a).cmp(&key(b))));
    let mut start = 0;
    while start < items.len() {
        let lead = items.get(start).map_or(f64::NAN, &total);
        let mut end = start + 1;
        while items.get(end).is_some_and(|x| ties(total(x), lead)) {
            end += 1;
        }
        if let Some(class) = items.get_mut(start..end) {
            class.sort_by_key(&key);
        }
        start = end;
    }
}

/// The zero-sum rule: a sum whose magnitude is within 1e-9 of the sum of its terms' magnitudes is 0 (so
/// 0.1 + 0.2 − 0.3 is 0, and dividing by it is a zero denominator); −0 becomes 0.
///
/// ```
/// assert_eq!(okpi::num::zero_sum(0.1 + 0.2 - 0.3, 0.6), 0.0);
/// assert_eq!(okpi::num::zero_sum(1e-3, 0.6), 1e-3);
/// assert!(okpi::num::zero_sum(-0.0, 0.0).is_sign_positive());
/// ```
pub fn zero_sum(sum: f64, magnitudes: f64) -> f64 {
    if sum.abs() <= REL * magnitudes {
        0.0
    } else {
        sum
    }
}

/// −0 becomes 0; every other number passes unchanged.
pub fn unsigned_zero(x: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x
    }
}

/// Rounds half away from zero to `decimals` places (at most 15), with ε applied once: a number within ε of
/// a half (ε taken at the half, as for any boundary) rounds away from zero, so 1.005 → 1.01 and 0.15 → 0.2.
///
/// ```
/// assert_eq!(okpi::num::round_half_up(1.005, 2), 1.01);
/// assert_eq!(okpi::num::round_half_up(87.45, 1), 87.5);
/// assert_eq!(okpi::num::round_half_up(87.44, 1), 87.4);
/// assert_eq!(okpi::num::round_half_up(-0.04, 1), 0.0);
/// ```
pub fn round_half_up(x: f64, decimals: u32) -> f64 {
    let p = 10f64.powi(i32::try_from(decimals.min(15)).unwrap_or(15));
    let s = x.abs() * p;
    if !s.is_finite() || !x.is_finite() {
        return x; // so large that it has no digits after the point at this precision
    }
    let f = s.floor();
    let half = (f + 0.5) / p;
    let r = if ge(x.abs(), half) { f + 1.0 } else { f };
    unsigned_zero((r / p).copysign(x))
}

/// Decimal places a share is read to by [`largest_remainder`] (shares with more are cut there).
pub const SHARE_DECIMALS: u32 = 20;

/// Seats per share for a group of `n` by the largest-remainder method, exactly: each share (a percent, read as
/// the decimal it was written as, to [`SHARE_DECIMALS`] places) is scaled to an integer, so the quota
/// n · shareᵢ / 100 and its remainder are exact; seats left after the whole parts go to the largest
/// remainders, equal remainders to the earlier share. Negative or non-finite shares count as 0.
///
/// ```
/// assert_eq!(okpi::num::largest_remainder(&[20.0, 70.0, 10.0], 28), vec![6, 19, 3]); // 5.6, 19.6, 2.8
/// assert_eq!(okpi::num::largest_remainder(&[20.0, 70.0, 10.0], 27), vec![5, 19, 3]); // 5.4, 18.9, 2.7
/// ```
pub fn largest_remainder(percents: &[f64], n: usize) -> Vec<usize> {
    let scaled: Vec<u128> = percents.iter().map(|p| scaled_share(*p)).collect();
    let den: u128 = 100 * 10u128.pow(SHARE_DECIMALS);
    let n128 = n as u128;
    // quota = n · s / den, as whole part and remainder without overflow: s < 2^128 / n is not guaranteed, so
    // split s = a · den + b (a ≤ 100 for a share ≤ 100 %, b < den), then n · s = n·a·den + n·b.
    let parts: Vec<(u128, u128)> = scaled
        .iter()
        .map(|&s| {
            let (a, b) = (s / den, s % den);
            let nb = n128.saturating_mul(b);
            (n128.saturating_mul(a).saturating_add(nb / den), nb % den)
        })
        .collect();
    let mut out: Vec<usize> = parts
        .iter()
        .map(|(w, _)| usize::try_from(*w).unwrap_or(usize::MAX))
        .collect();
    let given = out.iter().fold(0usize, |a, b| a.saturating_add(*b));
    let mut order: Vec<usize> = (0..parts.len()).collect();
    let rem = |i: usize| parts.get(i).map_or(0, |p| p.1);
    order.sort_by(|&a, &b| rem(b).cmp(&rem(a)).then(a.cmp(&b)));
    for i in order.into_iter().take(n.saturating_sub(given)) {
        if let Some(s) = out.get_mut(i) {
            *s += 1;
        }
    }
    out
}

/// A share as the integer share · 10^[`SHARE_DECIMALS`], read from its shortest decimal form (the digits it was
/// written with); 0 for a negative or non-finite share, saturating for one beyond 10^18.
fn scaled_share(p: f64) -> u128 {
    if !p.is_finite() || p <= 0.0 {
        return 0;
    }
    if p >= 1e18 {
        return u128::MAX / 2;
    }
    let text = format!("{p}");
    let (whole, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut digits = String::with_capacity(whole.len() + SHARE_DECIMALS as usize);
    digits.push_str(whole);
    let cut = frac.get(..frac.len().min(SHARE_DECIMALS as usize)).unwrap_or("");
    digits.push_str(cut);
    for _ in cut.len()..SHARE_DECIMALS as usize {
        digits.push('0');
    }
    digits.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_take_the_tolerance_of_the_boundary() {
        assert!(ge(1.0 - 1e-9, 1.0) && !ge(1.0 - 2e-9, 1.0));
        assert!(ge(1e6 - 1e-3, 1e6) && !ge(1e6 - 2e-3, 1e6));
        assert!(gt(1.0 + 2e-9, 1.0) && !gt(1.0 + 1e-9, 1.0));
        assert!(ge(f64::INFINITY, f64::INFINITY) && !gt(f64::MAX, f64::INFINITY));
        assert!(ties(89.99999999999999, 90.0) && !ties(89.9999, 90.0));
    }

    #[test]
    fn shares_are_read_as_written() {
        assert_eq!(scaled_share(20.0), 20 * 10u128.pow(SHARE_DECIMALS));
        assert_eq!(scaled_share(33.3), 333 * 10u128.pow(SHARE_DECIMALS - 1));
        assert_eq!(scaled_share(-1.0), 0);
        assert_eq!(largest_remainder(&[50.0, 50.0], 3), vec![2, 1]);
        assert_eq!(largest_remainder(&[], 3), Vec::<usize>::new());
        assert_eq!(largest_remainder(&[100.0], 0), vec![0]);
    }

    #[test]
    fn ranking_ties_go_by_key() {
        let mut v = vec![(2, 80.0), (1, 60.0 + 40.0 * 6.2 / 12.4), (3, 90.0)];
        rank_desc(&mut v, |x| x.1, |x| x.0);
        assert_eq!(v.iter().map(|x| x.0).collect::<Vec<_>>(), [3, 1, 2]);
    }
}
