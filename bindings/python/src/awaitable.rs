//! asyncio's side of the engine: calls that never hold a thread while they wait.
//!
//! A call is polled once on the caller's thread, inside the engine runtime's context (with the
//! GIL released): the memory store answers there and then, with no thread hop and no future to
//! settle. A call that waits on I/O goes on as a task on the engine's tokio runtime; when it
//! ends, the runtime thread hands the answer to the event loop with
//! `loop.call_soon_threadsafe(settle, error, value)`, and `settle` (Python) completes the
//! asyncio future on the loop's own thread. However many calls are in flight, no thread waits
//! for any of them.

use crate::errors;
use booking_core::BookingError;
use pyo3::prelude::*;
use pyo3::{IntoPyObjectExt, intern};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Starts `call` for asyncio: answers `Some(value)` when it is done at once (or raises its
/// error), else `None`, and the answer goes to `settle(error, value)` on `event_loop` later.
///
/// A panic in the call is booking-front's `STORE_FAILURE`, as for the blocking calls.
pub(crate) fn submit<T, F>(
    py: Python<'_>,
    runtime: &tokio::runtime::Handle,
    op: &str,
    call: F,
    event_loop: Py<PyAny>,
    settle: Py<PyAny>,
) -> PyResult<Option<Py<PyAny>>>
where
    F: Future<Output = Result<T, BookingError>> + Send + 'static,
    T: for<'py> IntoPyObject<'py> + Send + 'static,
{
    // Boxed so that a call still waiting after its first poll can move into a task.
    let mut call = Box::pin(call);
    let first = py.detach(|| {
        let _context = runtime.enter();
        poll_guarded(op, call.as_mut(), &mut Context::from_waker(Waker::noop()))
    });
    match first {
        Poll::Ready(answer) => answer.map_err(|e| errors::to_py(&e))?.into_py_any(py).map(Some),
        Poll::Pending => {
            let op = op.to_owned();
            runtime.spawn(async move {
                let answer = std::future::poll_fn(|cx| poll_guarded(&op, call.as_mut(), cx)).await;
                hand_over(event_loop, settle, answer);
            });
            Ok(None)
        }
    }
}

/// Polls `call`, a panic becoming its `STORE_FAILURE` answer (the call is not polled again).
fn poll_guarded<T, F: Future<Output = Result<T, BookingError>> + ?Sized>(
    op: &str,
    call: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<Result<T, BookingError>> {
    catch_unwind(AssertUnwindSafe(|| call.poll(cx)))
        .unwrap_or_else(|payload| Poll::Ready(Err(booking_front::panicked(op, &*payload))))
}

/// Hands a finished call's answer to the event loop, from a runtime thread.
fn hand_over<T>(event_loop: Py<PyAny>, settle: Py<PyAny>, answer: Result<T, BookingError>)
where
    T: for<'py> IntoPyObject<'py>,
{
    // `try_attach` declines while the interpreter shuts down: nobody awaits any more, and pyo3
    // lets go of the references later.
    let _ = Python::try_attach(move |py| {
        let (error, value) = match answer.map_err(|e| errors::to_py(&e)).and_then(|v| v.into_py_any(py)) {
            Ok(value) => (py.None(), value),
            Err(e) => (e.into_value(py).into_any(), py.None()),
        };
        // A closed loop refuses (RuntimeError): whoever awaited it is gone.
        let _ = event_loop.call_method1(py, intern!(py, "call_soon_threadsafe"), (settle, error, value));
    });
}
