//! Arithmetic that stays finite for every finite input: weighted means whose weights may be as large as
//! `f64::MAX`, and ratios of differences whose differences overflow. Ordinary inputs take the plain formula, so
//! their results are bit for bit those of the textbook arithmetic; only inputs that would overflow take the
//! scaled path. A quotient too large for a float saturates at ±`f64::MAX` rather than becoming an infinity,
//! which JSON cannot carry.

/// A weighted mean, and how to normalise its weights (each wᵢ / Σ w, summing to 1) without a list of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weighted {
    pub mean: f64,
    /// Σ w, or for weights whose sum overflows, the largest weight and Σ w / max.
    scale: Scale,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    Plain { total: f64 },
    Scaled { max: f64, scaled_total: f64 },
}

impl Weighted {
    /// The normalised weight of a term weighing `w`: w / Σ w, or (w / max) / Σ(w / max) when Σ w overflows.
    pub(crate) fn normalized(&self, w: f64) -> f64 {
        match self.scale {
            Scale::Plain { total } => w / total,
            Scale::Scaled { max, scaled_total } => (w / max) / scaled_total,
        }
    }
}

/// Σ wᵢ·xᵢ / Σ wᵢ over `(w, x)` with finite weights ≥ 0 and finite values; `None` when every weight is 0 (or
/// there are none). The terms are walked a few times rather than collected: callers pass an iterator over what
/// they hold.
pub(crate) fn weighted<I: Iterator<Item = (f64, f64)> + Clone>(terms: I) -> Option<Weighted> {
    let total: f64 = terms.clone().map(|t| t.0).sum();
    if total.is_finite() {
        if total <= 0.0 {
            return None;
        }
        let sum: f64 = terms.clone().map(|(w, x)| w * x).sum();
        if sum.is_finite() {
            return Some(Weighted {
                mean: sum / total,
                scale: Scale::Plain { total },
            });
        }
    }
    // Scaled: ŵ = w / max w lies in [0, 1], so Σ ŵ ≤ n, and the mean is a convex combination of the values.
    let max = terms.clone().map(|t| t.0).fold(0.0, f64::max);
    if max <= 0.0 {
        return None;
    }
    let scaled_total: f64 = terms.clone().map(|t| t.0 / max).sum();
    let w = Weighted {
        mean: 0.0,
        scale: Scale::Scaled { max, scaled_total },
    };
    let mean = terms.map(|(wi, x)| w.normalized(wi) * x).sum();
    Some(Weighted {
        mean: saturate(mean),
        ..w
    })
}

/// [`weighted`]'s mean alone, over a slice (the columnar evaluation's scratch lists).
pub(crate) fn weighted_mean(terms: &[(f64, f64)]) -> Option<f64> {
    weighted(terms.iter().copied()).map(|w| w.mean)
}

/// (a − b) / (c − d) for finite numbers with c ≠ d, computed from halves when a difference overflows; a
/// quotient beyond the floats saturates at ±`f64::MAX`.
pub(crate) fn ratio_of_differences(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let (num, den) = (a - b, c - d);
    if num.is_finite() && den.is_finite() {
        return saturate(num / den);
    }
    saturate((a / 2.0 - b / 2.0) / (c / 2.0 - d / 2.0))
}

/// ±∞ becomes ±`f64::MAX`; finite numbers (and NaN) pass unchanged.
pub(crate) fn saturate(x: f64) -> f64 {
    x.clamp(-f64::MAX, f64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_inputs_take_the_textbook_formula() {
        let w = weighted([(2.0, 0.5), (1.0, 0.2)].into_iter()).unwrap();
        assert_eq!(w.mean, (2.0 * 0.5 + 0.2) / 3.0);
        assert_eq!((w.normalized(2.0), w.normalized(1.0)), (2.0 / 3.0, 1.0 / 3.0));
        assert_eq!(weighted([(0.0, 1.0)].into_iter()), None);
        assert_eq!(ratio_of_differences(180.0, 100.0, 300.0, 100.0), 0.4);
    }

    #[test]
    fn huge_weights_and_differences_stay_finite() {
        let w = weighted([(f64::MAX, 1.0), (f64::MAX, 0.0)].into_iter()).unwrap();
        assert_eq!((w.mean, w.normalized(f64::MAX)), (0.5, 0.5));
        let w = weighted([(1.0, f64::MAX), (1.0, f64::MAX)].into_iter()).unwrap();
        assert_eq!(w.mean, f64::MAX);
        assert_eq!(ratio_of_differences(1e308, -1e308, 1e308, 0.0), 2.0);
        assert_eq!(ratio_of_differences(-1.0, 0.0, 5e-324, 0.0), -f64::MAX);
    }
}
