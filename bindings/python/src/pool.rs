//! The module's own rayon pool, made again in a forked child.
//!
//! rayon's global pool does not survive `fork`: the child has none of the parent's worker threads, and a call that
//! hands them work waits forever. Python's `multiprocessing` forks by default on Linux before 3.14, so an analyst's
//! worker process would hang in its first `evaluate_arrays`. The module therefore runs its parallel work on a pool
//! of its own, tagged with the id of the process that made it; a forked child makes a fresh one. The pool's size is
//! rayon's default: `RAYON_NUM_THREADS`, or one thread per core.
//!
//! The slot holding the pool is a lock, and a fork while another thread held it would leave the child's copy held
//! for ever. So the pool is looked up only with the GIL held ([`current`], before a call detaches from Python):
//! `os.fork` (and `multiprocessing`'s fork) runs with the GIL held too, so it never falls inside the lookup.

use std::sync::{Arc, Mutex, PoisonError};

use rayon::{ThreadPool, ThreadPoolBuilder};

/// The pool and the process that made it.
static POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);

/// Runs `f` on `pool` ([`current`]), so the core's `rayon::join`s inside it use that pool. Without one (no thread
/// could be started), `f` runs as the core would run it without the module: on rayon's global pool.
pub(crate) fn run<T: Send>(pool: Option<&ThreadPool>, f: impl FnOnce() -> T + Send) -> T {
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// This process's pool, made on first use and again in a forked child. The GIL token says the caller holds the GIL,
/// which keeps a fork out of the lookup (see the module's note).
pub(crate) fn current(_gil: pyo3::Python<'_>) -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let mut slot = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    match slot.take() {
        Some((owner, pool)) if owner == pid => {
            *slot = Some((owner, Arc::clone(&pool)));
            return Some(pool);
        }
        // A pool made before a fork: its threads live only in the parent. Dropping it would signal them through
        // locks the fork may have copied held, so it is leaked (once per fork).
        Some((_, stale)) => std::mem::forget(stale),
        None => {}
    }
    let pool = Arc::new(
        ThreadPoolBuilder::new()
            .thread_name(|i| format!("okpi-{i}"))
            .build()
            .ok()?,
    );
    *slot = Some((pid, Arc::clone(&pool)));
    Some(pool)
}
