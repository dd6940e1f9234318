//! The Node binding of booking-core, on napi-rs: the npm package `booking-core`.
//!
//! `Engine` is the whole engine with camelCase method names. Every store operation returns a
//! Promise and never blocks the event loop: a call is polled once on the JavaScript thread, which
//! finishes it when the store answers at once (the memory store always does, in about a
//! microsecond) and settles an already-resolved Promise; a call that has to wait (PostgreSQL) goes
//! on on napi-rs's tokio runtime and settles its Promise from there (`run.rs`).
//!
//! What the engine answers is booking-front's one front model (the same views HTTP, Python,
//! Kotlin and Swift hand out), as plain objects typed in the generated `index.d.ts`: times as
//! `Date`, money as exact integer minor units with the currency's exponent, ids as `number`
//! (exact: stores count from 1 and never near 2^53). Every refusal is a JavaScript `Error` whose
//! `code` is the core's stable error code, with `details` the object every front gives for it
//! (`errors.rs`, the one error file). A Rust panic in an engine call becomes a `STORE_FAILURE`
//! error (`run.rs`); every exported function also has napi-rs's `catch_unwind`, so a panic
//! anywhere else throws an `Error` rather than aborting the process.
//!
//! The workspace's `unsafe_code = "deny"` holds here: napi-derive's generated glue carries its own
//! allowance, and the code written here has none (`scripts/test-node` checks it).
#![warn(missing_docs)]

mod engine;
mod engine_booking;
mod engine_sell;
mod errors;
mod hold;
mod inputs;
mod layout;
mod pricing;
mod run;

use napi_derive::napi;

pub use engine::Engine;
pub use hold::Hold;
pub use layout::parse_layout;
pub use pricing::PricingPolicy;

/// Every error code the engine can give, as `Error.code` spells it.
#[napi(catch_unwind, ts_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<&'static str> {
    booking_core::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// Verifies a ticket code offline with public keys alone (each the `x` of a key of
/// `engine.ticketKeys()`, or 64 hex digits), as a door scanner does without the store or the
/// secret: `INVALID_TICKET` when it is forged, malformed or signed by a key not given.
#[napi(catch_unwind)]
pub fn verify_ticket(
    env: napi::Env,
    code: String,
    public_keys: Vec<String>,
) -> napi::Result<booking_front::TicketClaims> {
    booking_front::verify_ticket(&code, &public_keys).map_err(|e| errors::to_napi(&env, &e))
}

/// Whether `e` is an error of the engine: an `Error` named `BookingError` with a `code`
/// (narrows it to `BookingError` in TypeScript).
#[napi(catch_unwind, ts_args_type = "e: unknown", ts_return_type = "e is BookingError")]
pub fn is_booking_error(
    e: napi::Either<napi::bindgen_prelude::Object<'_>, napi::bindgen_prelude::Unknown<'_>>,
) -> bool {
    use napi::bindgen_prelude::JsObjectValue;
    let napi::Either::A(object) = e else { return false };
    let name: Option<String> = object.get_named_property::<Option<String>>("name").ok().flatten();
    let code: Option<String> = object.get_named_property::<Option<String>>("code").ok().flatten();
    name.as_deref() == Some("BookingError") && code.is_some()
}

/// For the binding's tests only: a call that panics in its body (`'sync'`), in its future at once
/// (`'now'`) or after it had to wait on the runtime (`'waiting'`), to show that a panic reaches
/// JavaScript as an error and nothing worse (`STORE_FAILURE` from the engine's paths).
#[napi(
    catch_unwind,
    js_name = "__panicForTests",
    ts_args_type = "mode: 'sync' | 'now' | 'waiting'",
    ts_return_type = "Promise<never>"
)]
pub fn panic_for_tests<'env>(
    env: &'env napi::Env,
    mode: String,
) -> napi::Result<napi::bindgen_prelude::PromiseRaw<'env, ()>> {
    if mode == "sync" {
        panic!("a panic on purpose (mode: sync)")
    }
    let call = async move {
        if mode == "waiting" {
            tokio::task::yield_now().await;
        }
        panic!("a panic on purpose (mode: {mode})")
    };
    run::promise(env, "__panicForTests", call, |()| ())
}
