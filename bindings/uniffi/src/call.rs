//! How an exported call runs: the core's futures driven to completion on the calling thread, a
//! panic caught before it reaches the FFI boundary, and a count of live exported objects.

use crate::error::BookingError;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

/// Exported objects (engines, layouts, policies) alive now.
static LIVE_OBJECTS: AtomicU64 = AtomicU64::new(0);

/// How many exported objects (engines, layouts, policies) are alive in this process.
///
/// Each is counted when made and uncounted when its last reference is dropped: when Kotlin calls
/// `close()` / `destroy()` (or its cleaner runs) and Swift releases it. A number that grows
/// without bound tells of a leak; the JVM tests check it.
#[uniffi::export]
pub fn live_object_count() -> u64 {
    LIVE_OBJECTS.load(Ordering::Relaxed)
}

/// A token held by every exported object: counts it while it lives.
#[derive(Debug)]
pub(crate) struct Live(());

impl Live {
    pub(crate) fn new() -> Self {
        LIVE_OBJECTS.fetch_add(1, Ordering::Relaxed);
        Live(())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        LIVE_OBJECTS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs `f`, turning a panic into `StoreFailure` (booking-front's guard) so that it never
/// unwinds into the host.
pub(crate) fn guard<T>(
    op: &str,
    f: impl FnOnce() -> Result<T, booking_core::BookingError>,
) -> Result<T, BookingError> {
    booking_front::guard(op, f).map_err(BookingError::from)
}

/// Runs a core future to completion on this thread (booking-front's `block_on`: the in-memory
/// store answers at the first poll; a future that waits parks the thread), under [`guard`].
pub(crate) fn block_on<T>(
    op: &str,
    future: impl Future<Output = Result<T, booking_core::BookingError>>,
) -> Result<T, BookingError> {
    guard(op, || booking_front::block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_store_failure() {
        let out: Result<(), BookingError> = guard("op", || panic!("boom"));
        assert!(matches!(out, Err(BookingError::StoreFailure { reason }) if reason.contains("boom")));
    }
}
