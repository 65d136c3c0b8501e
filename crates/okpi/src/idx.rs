//! Typed indexes: ids are resolved once by validation, and hot loops index `Vec`s with these.

use std::marker::PhantomData;

/// An index type usable with [`IdxVec`].
pub trait Idx: Copy {
    /// Wraps a position.
    fn new(i: usize) -> Self;
    /// The position.
    fn index(self) -> usize;
}

macro_rules! typed_index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);
        impl Idx for $name {
            fn new(i: usize) -> Self {
                // Documents beyond u32::MAX items are refused by the size limits long before this.
                $name(u32::try_from(i).unwrap_or(u32::MAX))
            }
            fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_index!(
    /// Position of a cycle in a [`crate::Model`].
    CycleIx
);
typed_index!(
    /// Position of an org unit in a [`crate::Model`].
    UnitIx
);
typed_index!(
    /// Position of a person in a [`crate::Model`].
    PersonIx
);
typed_index!(
    /// Position of an objective in a [`crate::Model`].
    ObjIx
);
typed_index!(
    /// Position of a key result in a [`crate::Model`].
    KrIx
);

/// A `Vec` indexed by one index type, so a key-result index cannot index objectives.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxVec<I, T> {
    items: Vec<T>,
    _index: PhantomData<fn(I)>,
}

impl<I: Idx, T> IdxVec<I, T> {
    /// Wraps a vector.
    pub fn from_vec(items: Vec<T>) -> Self {
        IdxVec {
            items,
            _index: PhantomData,
        }
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Items in index order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
    /// Mutable items in index order.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }
    /// `(index, item)` pairs in index order.
    pub fn iter_enumerated(&self) -> impl Iterator<Item = (I, &T)> {
        self.items.iter().enumerate().map(|(i, t)| (I::new(i), t))
    }
    /// The items as a slice, in index order.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
    /// The item at `i`, if any.
    pub fn get(&self, i: I) -> Option<&T> {
        self.items.get(i.index())
    }
}

impl<I: Idx, T> IdxVec<I, T> {
    /// The item at `i`. Typed indexes are minted only by validation, for the vector they index, so they are
    /// always in range; this is the one audited place where the core indexes without `get`.
    #[allow(clippy::indexing_slicing)]
    pub fn at(&self, i: I) -> &T {
        &self.items[i.index()]
    }

    /// The item at `i`, mutably (see [`IdxVec::at`]).
    #[allow(clippy::indexing_slicing)]
    pub fn at_mut(&mut self, i: I) -> &mut T {
        &mut self.items[i.index()]
    }
}

impl<I, T: serde::Serialize> serde::Serialize for IdxVec<I, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}
