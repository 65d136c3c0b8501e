//! The vectors a first evaluation writes its records into, with their memory mapped in on two threads.
//!
//! A first [`super::evaluate`] at org-100k writes 700,000 key-result and 200,000 objective records, about 125 MB
//! of memory the process has never touched. The kernel maps and zeroes each 4 KiB page on its first write, and on
//! the development machine that took 55–60 ms of a 170 ms evaluation, on the one thread that also does the
//! work. Here the pages are touched before the records are written, by this thread and a second (scoped) one at
//! the same time, as a large text's limits scan and KPI checks use a second core ([`crate::limits::alongside`]).
//! The records written afterwards are the same; only who first touches the memory changes. `evaluate_into` needs
//! none of this: it writes over memory already touched.

use std::mem::{size_of, MaybeUninit};
use std::slice::ChunksMut;
use std::sync::{Mutex, PoisonError};

/// Record bytes from which the pages are touched on two threads: below it, starting a thread costs more than it
/// spares (about 2 µs per page here, so 8 MiB is some 4 ms of faults).
const TWO_THREADS_BYTES: usize = 8 << 20;

/// Bytes a thread takes at a time: few enough turns at the lock, small enough that a thread whose core is busy
/// with another process leaves most of the work to the other.
const CHUNK_BYTES: usize = 2 << 20;

/// Bytes between two touched values: less than the smallest page, so every page gets at least one write.
const STRIDE_BYTES: usize = 4000;

/// Empty vectors with room for `a` and `b` values. When they are large, their memory is already mapped: this
/// thread and a second one take 2 MiB parts of it in turn until none is left, so each touches about half when both
/// have a core, and this one the rest when the other is slow to start or refused.
pub(crate) fn with_room<A: Send, B: Send>(a: usize, b: usize) -> (Vec<A>, Vec<B>) {
    let mut va: Vec<A> = Vec::with_capacity(a);
    let mut vb: Vec<B> = Vec::with_capacity(b);
    let bytes = a
        .saturating_mul(size_of::<A>())
        .saturating_add(b.saturating_mul(size_of::<B>()));
    if bytes < TWO_THREADS_BYTES {
        return (va, vb);
    }
    let parts = Mutex::new(Parts {
        a: chunks(va.spare_capacity_mut()),
        b: chunks(vb.spare_capacity_mut()),
    });
    let work = || {
        loop {
            // The lock is let go before the part is touched (a `while let` would hold it through the body). A lock
            // poisoned by a panic still hands out parts: touching cannot panic, and a part is only memory.
            let part = parts.lock().unwrap_or_else(PoisonError::into_inner).next();
            match part {
                Some(Part::A(slots)) => touch(slots),
                Some(Part::B(slots)) => touch(slots),
                None => break,
            }
        }
    };
    std::thread::scope(|s| {
        // A refused thread leaves every part to this one.
        let _second = std::thread::Builder::new()
            .name("okpi-pages".into())
            .spawn_scoped(s, work);
        work();
    });
    (va, vb)
}

/// The parts of both vectors' room still to touch.
struct Parts<'v, A, B> {
    a: ChunksMut<'v, MaybeUninit<A>>,
    b: ChunksMut<'v, MaybeUninit<B>>,
}

enum Part<'v, A, B> {
    A(&'v mut [MaybeUninit<A>]),
    B(&'v mut [MaybeUninit<B>]),
}

impl<'v, A, B> Parts<'v, A, B> {
    fn next(&mut self) -> Option<Part<'v, A, B>> {
        self.a.next().map(Part::A).or_else(|| self.b.next().map(Part::B))
    }
}

/// `slots` in parts of about [`CHUNK_BYTES`].
fn chunks<T>(slots: &mut [MaybeUninit<T>]) -> ChunksMut<'_, MaybeUninit<T>> {
    slots.chunks_mut((CHUNK_BYTES / size_of::<T>().max(1)).max(1))
}

/// Writes zero bytes into one value in every [`STRIDE_BYTES`], so each page under `slots` is mapped. The slots stay
/// uninitialised as far as the vector knows: nothing is read or dropped from them, and the records are written over
/// them.
fn touch<T>(slots: &mut [MaybeUninit<T>]) {
    let step = (STRIDE_BYTES / size_of::<T>().max(1)).max(1);
    for slot in slots.iter_mut().step_by(step) {
        *slot = MaybeUninit::zeroed();
    }
    // Keep the writes: nothing reads them before the records overwrite them, which the compiler could see.
    std::hint::black_box(slots);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small vectors and large ones come back empty, with their room; what the second thread touched does not
    /// show, and records pushed afterwards read back as written.
    #[test]
    fn the_vectors_are_empty_with_their_room() {
        for (a, b) in [(0, 0), (3, 5), (200_000, 60_000), (1, 2_000_000), (2_000_000, 0)] {
            let (mut va, vb): (Vec<[u64; 18]>, Vec<[u8; 120]>) = with_room(a, b);
            assert!(va.is_empty() && vb.is_empty());
            assert!(va.capacity() >= a && vb.capacity() >= b, "{a} {b}");
            let ptr = va.as_ptr();
            va.extend((0..a).map(|i| [i as u64; 18]));
            assert_eq!(va.as_ptr(), ptr, "no reallocation: the room was kept");
            assert!(va
                .iter()
                .enumerate()
                .all(|(i, r)| r.iter().all(|&x| x == i as u64)));
        }
    }
}
