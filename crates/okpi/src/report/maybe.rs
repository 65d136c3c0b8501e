//! [`MaybeF64`]: a number or none in the 8 bytes of an `f64`, NaN standing for none. An `Option<f64>` takes 16
//! (its tag is padded to the float's alignment); a key result carries seven of them, and an evaluation of 700,000
//! key results writes (and the system zeroes and maps) every byte of its records fresh. Results never hold a NaN:
//! every number okpi computes is finite (DOMAIN.md §0), so NaN is free to mean "none". It serialises exactly as
//! the `Option<f64>` did: `null`, or absent where the field skips none.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A number or none: an `Option<f64>` in 8 bytes. [`MaybeF64::get`] gives the `Option`.
///
/// ```
/// use okpi::report::MaybeF64;
/// let some = MaybeF64::from(Some(0.4));
/// assert_eq!(some.get(), Some(0.4));
/// assert_eq!(MaybeF64::NONE.get(), None);
/// assert_eq!(some, Some(0.4)); // compares with an `Option<f64>`
/// assert_eq!(serde_json::to_string(&MaybeF64::NONE).unwrap(), "null");
/// // NaN has no place in a result: it reads as none.
/// assert!(MaybeF64::from(f64::NAN).is_none());
/// ```
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct MaybeF64(f64);

const _: () = assert!(std::mem::size_of::<MaybeF64>() == 8);

impl MaybeF64 {
    /// None.
    pub const NONE: MaybeF64 = MaybeF64(f64::NAN);

    /// The number, or `None`.
    #[inline]
    pub fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }

    /// The number, or `default` (as `Option::unwrap_or`: `unwrap_or(f64::NAN)` is the column form).
    #[inline]
    pub fn unwrap_or(self, default: f64) -> f64 {
        self.get().unwrap_or(default)
    }

    /// Whether there is a number.
    #[inline]
    pub fn is_some(self) -> bool {
        !self.0.is_nan()
    }

    /// Whether there is none.
    #[inline]
    pub fn is_none(self) -> bool {
        self.0.is_nan()
    }

    /// Skips a field that holds none (serde's `skip_serializing_if` passes a reference).
    pub(crate) fn is_none_ref(&self) -> bool {
        self.is_none()
    }
}

impl Default for MaybeF64 {
    /// None, as `Option`'s default.
    fn default() -> MaybeF64 {
        MaybeF64::NONE
    }
}

impl From<Option<f64>> for MaybeF64 {
    /// The number, or none; `Some(NaN)` is none too.
    #[inline]
    fn from(v: Option<f64>) -> MaybeF64 {
        v.map_or(MaybeF64::NONE, MaybeF64)
    }
}

impl From<f64> for MaybeF64 {
    /// The number (NaN is none).
    #[inline]
    fn from(v: f64) -> MaybeF64 {
        MaybeF64(v)
    }
}

impl From<MaybeF64> for Option<f64> {
    fn from(v: MaybeF64) -> Option<f64> {
        v.get()
    }
}

impl PartialEq for MaybeF64 {
    /// As the `Option`s compare: none equals none, numbers compare as floats.
    fn eq(&self, other: &MaybeF64) -> bool {
        self.get() == other.get()
    }
}

impl PartialEq<Option<f64>> for MaybeF64 {
    fn eq(&self, other: &Option<f64>) -> bool {
        self.get() == *other
    }
}

impl fmt::Debug for MaybeF64 {
    /// As the `Option` prints (`Some(0.4)`, `None`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for MaybeF64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for MaybeF64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MaybeF64, D::Error> {
        Option::<f64>::deserialize(d).map(MaybeF64::from)
    }
}

#[cfg(test)]
mod tests {
    use super::MaybeF64;

    #[test]
    fn it_reads_and_writes_as_the_option() {
        for v in [
            None,
            Some(0.0),
            Some(-0.0),
            Some(0.1),
            Some(f64::MAX),
            Some(-5e-324),
        ] {
            let m = MaybeF64::from(v);
            assert_eq!(m.get().map(f64::to_bits), v.map(f64::to_bits));
            assert_eq!(m.is_some(), v.is_some());
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, serde_json::to_string(&v).unwrap());
            let back: MaybeF64 = serde_json::from_str(&json).unwrap();
            assert_eq!(back.get().map(f64::to_bits), v.map(f64::to_bits));
            assert_eq!(format!("{m:?}"), format!("{v:?}"));
        }
        assert_eq!(MaybeF64::default(), MaybeF64::NONE);
        assert_eq!(MaybeF64::NONE, None);
        assert_ne!(MaybeF64::from(0.0), MaybeF64::NONE);
    }
}
