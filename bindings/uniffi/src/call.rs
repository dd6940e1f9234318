//! How an exported call runs: the core's futures driven to completion on the calling thread, a
//! panic caught before it reaches the FFI boundary, and a count of live exported objects.

use crate::error::BookingError;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

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

/// Runs `f`, turning a panic into `StoreFailure` so that it never unwinds into the host.
pub(crate) fn guard<T>(op: &str, f: impl FnOnce() -> Result<T, BookingError>) -> Result<T, BookingError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(BookingError::StoreFailure { reason: format!("internal error in {op}: {what}") })
    })
}

/// Runs a core future to completion on this thread, under [`guard`].
///
/// The in-memory store answers without waiting, so the first poll nearly always finishes; a
/// future that does wait parks this thread until its waker is called. No runtime is needed.
pub(crate) fn block_on<T>(
    op: &str,
    future: impl Future<Output = Result<T, booking_core::BookingError>>,
) -> Result<T, BookingError> {
    guard(op, || {
        let mut future = std::pin::pin!(future);
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            match future.as_mut().poll(&mut cx) {
                Poll::Ready(answer) => return answer.map_err(Into::into),
                Poll::Pending => std::thread::park(),
            }
        }
    })
}

/// Wakes the thread blocked in [`block_on`].
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
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
