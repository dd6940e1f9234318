//! What every binding does around a call: answer at once what needs no waiting, block on what
//! must wait when the host wants a blocking call, and never let a panic cross the FFI.

use booking_core::BookingError;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

/// Polls `fut` once. A call on the memory store never waits: it is answered here, on the
/// caller's thread, with no runtime and no thread hop. A call that must wait (a PostgreSQL or
/// Redis round trip) is `Pending`, for the binding to go on with: Python releases the GIL and
/// blocks on its runtime, Node hands it to its runtime and returns a `Promise`.
///
/// ```
/// use booking_front::poll_once;
/// let mut fut = std::pin::pin!(async { 7 });
/// assert_eq!(poll_once(fut.as_mut()), std::task::Poll::Ready(7));
/// ```
pub fn poll_once<F: Future + ?Sized>(fut: Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(Waker::noop()))
}

/// Runs `fut` to completion on this thread, parking it while the future waits: what Kotlin and
/// Swift get, a blocking call. The memory store answers at the first poll; no runtime is needed.
///
/// ```
/// assert_eq!(booking_front::block_on(async { 7 }), 7);
/// ```
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            Poll::Pending => std::thread::park(),
        }
    }
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

/// Runs `f`, turning a panic into `STORE_FAILURE` naming the operation and the panic, so that a
/// bug reaches the host as an error instead of unwinding across the FFI.
///
/// ```
/// use booking_front::guard;
/// let e = guard("hold", || -> Result<(), booking_core::BookingError> { panic!("bug") }).unwrap_err();
/// assert_eq!(e.code().as_str(), "STORE_FAILURE");
/// assert!(e.to_string().contains("internal error in hold: bug"));
/// ```
pub fn guard<T>(op: &str, f: impl FnOnce() -> Result<T, BookingError>) -> Result<T, BookingError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panicked(op, &*payload)))
}

/// The `STORE_FAILURE` of a panic in `op`, from its payload.
pub fn panicked(op: &str, payload: &(dyn std::any::Any + Send)) -> BookingError {
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic");
    BookingError::StoreFailure { message: format!("internal error in {op}: {what}") }
}
