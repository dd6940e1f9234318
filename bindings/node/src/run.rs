//! How an engine call becomes a Promise without blocking the event loop.
//!
//! The call is polled once on the JavaScript thread, inside napi-rs's tokio runtime context
//! (booking-front's `poll_once`). The memory store never waits, so that one poll finishes the
//! call and the Promise is created already settled: no thread hop, which is what makes a hold
//! cost microseconds from Node. A call that has to wait (a PostgreSQL round trip) is handed, as
//! it stands, to the tokio runtime, and its Promise settles on the JavaScript thread when it is
//! done; meanwhile the event loop runs free. A panic in the call, on either path, rejects the
//! Promise with a `STORE_FAILURE` error (booking-front's `panicked`).

use crate::errors;
use booking_core::BookingError;
use booking_front::{panicked, poll_once};
use napi::Env;
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::Poll;

/// What an engine call answers.
pub(crate) type Outcome<T> = Result<T, BookingError>;

/// Runs `call` and settles a Promise with `convert` of its answer, or with its error.
pub(crate) fn promise<'env, T, V, F, C>(
    env: &'env Env,
    op: &'static str,
    call: F,
    convert: C,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
    F: Future<Output = Outcome<T>> + Send + 'static,
    C: FnOnce(T) -> V + Send + 'static,
{
    let mut call: Pin<Box<dyn Future<Output = Outcome<T>> + Send>> = Box::pin(call);
    let first = catch_unwind(AssertUnwindSafe(|| {
        napi::bindgen_prelude::within_runtime_if_available(|| poll_once(call.as_mut()))
    }));
    match first {
        Ok(Poll::Ready(outcome)) => settle_now(env, op, outcome, convert),
        Err(payload) => PromiseRaw::reject(env, errors::to_js(env, &panicked(op, &*payload))?),
        Ok(Poll::Pending) => {
            // The call runs as a task of its own so that a panic in it comes back as a `JoinError`.
            let waiting = async move {
                let joined = tokio::spawn(call).await;
                Ok(joined.map_err(|e| e.try_into_panic().unwrap_or_else(|e| Box::new(e.to_string()))))
            };
            env.spawn_future_with_callback(waiting, move |env, joined| match joined {
                Ok(Ok(v)) => guarded(op, move || convert(v)).map_err(|e| errors::to_napi(env, &e)),
                Ok(Err(e)) => Err(errors::to_napi(env, &e)),
                Err(payload) => Err(errors::to_napi(env, &panicked(op, &*payload))),
            })
        }
    }
}

/// Settles a Promise at once with an answer that is already there.
fn settle_now<'env, T, V: ToNapiValue>(
    env: &'env Env,
    op: &'static str,
    outcome: Outcome<T>,
    convert: impl FnOnce(T) -> V,
) -> napi::Result<PromiseRaw<'env, V>> {
    match outcome.and_then(|v| guarded(op, move || convert(v))) {
        Ok(v) => PromiseRaw::resolve(env, v),
        Err(e) => PromiseRaw::reject(env, errors::to_js(env, &e)?),
    }
}

/// Runs a synchronous step, turning a panic into a `STORE_FAILURE`.
pub(crate) fn guarded<V>(op: &'static str, f: impl FnOnce() -> V) -> Outcome<V> {
    booking_front::guard(op, || Ok(f()))
}
