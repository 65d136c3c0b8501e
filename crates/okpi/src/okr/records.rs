//! The vectors a first evaluation writes its records into, with their memory mapped in on two threads.
//!
//! A first [`super::evaluate`] at org-100k writes 700,000 key-result and 200,000 objective records, about 125 MB
//! of memory the process has never touched. The kernel maps and zeroes each 4 KiB page on its first write, and on
//! the development machine that took 55–60 ms of a 170 ms evaluation, on the one thread that also does the
//! work. Here the pages are touched before the records are written: this thread touches half, a second (scoped)
//! thread the other half at the same time, as a large text's limits scan and KPI checks use a second core
//! ([`crate::limits::alongside`]). The records written afterwards are the same; only who first touches the
//! memory changes. `evaluate_into` needs none of this: it writes over memory already touched.

use std::mem::{size_of, MaybeUninit};

/// Record bytes from which the pages are touched on two threads: below it, starting a thread costs more than it
/// spares (about 2 µs per page here, so 8 MiB is some 4 ms of faults).
const TWO_THREADS_BYTES: usize = 8 << 20;

/// Bytes between two touched values: less than the smallest page, so every page gets at least one write.
const STRIDE_BYTES: usize = 4000;

/// Empty vectors with room for `a` and `b` values. When they are large, their memory is already mapped: half of
/// it touched here, half on a second thread, both before this returns. If the OS refuses the thread, the second
/// half is left to be touched as it is written.
pub(crate) fn with_room<A: Send, B: Send>(a: usize, b: usize) -> (Vec<A>, Vec<B>) {
    let mut va: Vec<A> = Vec::with_capacity(a);
    let mut vb: Vec<B> = Vec::with_capacity(b);
    let a_bytes = a.saturating_mul(size_of::<A>());
    let b_bytes = b.saturating_mul(size_of::<B>());
    if a_bytes.saturating_add(b_bytes) < TWO_THREADS_BYTES {
        return (va, vb);
    }
    // This thread touches the first part of `va`; the second thread the rest of it and all of `vb`, so each
    // touches about half the bytes.
    let half = (a_bytes.saturating_add(b_bytes) / 2).min(a_bytes);
    let split = half / size_of::<A>().max(1);
    let (here, there) = va.spare_capacity_mut().split_at_mut(split.min(a));
    let rest = vb.spare_capacity_mut();
    std::thread::scope(|s| {
        let spawned = std::thread::Builder::new()
            .name("okpi-pages".into())
            .spawn_scoped(s, move || {
                touch(there);
                touch(rest);
            });
        touch(here);
        // A refused thread took its halves with it: they fault in as the records are written.
        drop(spawned);
    });
    (va, vb)
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
