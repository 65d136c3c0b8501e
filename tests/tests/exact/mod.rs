//! An exact reference for DOMAIN.md §0: rationals over i128 and decimals as people type them.
//!
//! Each test file that uses it includes it with `mod exact;`; not every file uses every helper.
#![allow(dead_code)]

use std::cmp::Ordering;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// An exact rational n / d, d > 0, in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Q {
    pub n: i128,
    pub d: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Q {
    pub fn new(n: i128, d: i128) -> Q {
        assert!(d != 0, "rational with denominator 0");
        let s = if d < 0 { -1 } else { 1 };
        let g = gcd(n, d);
        Q {
            n: s * n / g,
            d: s * d / g,
        }
    }
    pub fn int(n: i128) -> Q {
        Q { n, d: 1 }
    }
    /// mantissa · 10^-scale.
    pub fn dec(mantissa: i64, scale: u32) -> Q {
        Q::new(i128::from(mantissa), 10i128.pow(scale))
    }
    pub fn is_zero(self) -> bool {
        self.n == 0
    }
    pub fn abs(self) -> Q {
        Q {
            n: self.n.abs(),
            d: self.d,
        }
    }
    pub fn to_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }
    /// Half-up (away from zero) to `decimals` places.
    pub fn round_half_up(self, decimals: u32) -> Q {
        let p = 10i128.pow(decimals);
        let scaled = self.abs() * Q::int(p);
        let whole = scaled.n / scaled.d;
        let rest = scaled - Q::int(whole);
        let r = if rest >= Q::new(1, 2) { whole + 1 } else { whole };
        Q::new(if self.n < 0 { -r } else { r }, p)
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        let g = gcd(self.d, o.d);
        let d = (self.d / g).checked_mul(o.d).expect("overflow");
        let n =
            self.n.checked_mul(o.d / g).expect("overflow") + o.n.checked_mul(self.d / g).expect("overflow");
        Q::new(n, d)
    }
}
impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        Q {
            n: -self.n,
            d: self.d,
        }
    }
}
impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        self + (-o)
    }
}
impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        let (g1, g2) = (gcd(self.n, o.d), gcd(o.n, self.d));
        Q::new(
            (self.n / g1).checked_mul(o.n / g2).expect("overflow"),
            (self.d / g2).checked_mul(o.d / g1).expect("overflow"),
        )
    }
}
impl Div for Q {
    type Output = Q;
    fn div(self, o: Q) -> Q {
        assert!(o.n != 0, "division by an exact 0");
        self * Q::new(o.d, o.n)
    }
}
impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        (self.n * o.d).cmp(&(o.n * self.d))
    }
}

/// A decimal as typed: `mantissa` · 10^-`scale`, with the f64 a JSON reader would give for it.
#[derive(Debug, Clone, Copy)]
pub struct Dec {
    pub mantissa: i64,
    pub scale: u32,
}

impl Dec {
    pub fn q(self) -> Q {
        Q::dec(self.mantissa, self.scale)
    }
    /// The nearest f64 to the decimal, as a JSON reader (or a person typing it) gets it.
    pub fn f(self) -> f64 {
        format!("{}e-{}", self.mantissa, self.scale)
            .parse()
            .expect("a decimal")
    }
    /// One unit in the last decimal place up (+1) or down (−1).
    pub fn nudge(self, by: i64) -> Dec {
        Dec {
            mantissa: self.mantissa + by,
            scale: self.scale,
        }
    }
    /// The exact decimal of `q` at `scale` places, when it has one.
    pub fn of(q: Q, scale: u32) -> Option<Dec> {
        let x = q * Q::int(10i128.pow(scale));
        (x.d == 1).then(|| Dec {
            mantissa: i64::try_from(x.n).expect("fits"),
            scale,
        })
    }
}
