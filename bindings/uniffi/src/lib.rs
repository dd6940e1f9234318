//! # booking-ffi
//!
//! The mobile binding of [booking-core](booking_core) for Kotlin and Swift, made with uniffi
//! (proc-macros, bindings generated in library mode: see the README).
//!
//! An adapter with no business logic: it converts types and errors and drives the core's futures.
//! It exports
//! - [`BookingEngine`]: the engine on the in-memory store (a box-office tablet, a demo, an offline
//!   simulation), every operation that makes sense on a device;
//! - [`SeatLayout`] and [`PricingPolicy`]: parse a layout and a policy, and work offline: draw a
//!   seat map, suggest the best seats, check a selection against the no-orphan and pair rules
//!   before asking the server;
//! - [`BookingError`]: one error enum whose variants follow the core's stable error codes.
//!
//! The API is blocking (no async functions), so the generated Kotlin needs no coroutines: a mobile
//! app calls it from a background thread. No panic crosses the FFI boundary: every fallible
//! exported call runs under `catch_unwind` and a panic becomes `BookingError::StoreFailure`; the
//! infallible accessors are covered by uniffi's own scaffolding, which catches a panic too and
//! reports it to the host as an internal error instead of unwinding into it.

// No lint is relaxed: the workspace's `unsafe_code = "deny"` holds, since the unsafe code of
// uniffi's scaffolding comes from the expansion of its proc-macros, which rustc does not lint.
#![warn(missing_docs)]

mod call;
mod convert;
mod engine;
mod error;
mod layout;
mod pricing;
mod records;
mod tickets;

pub use call::live_object_count;
pub use engine::{Actor, BookingEngine};
pub use error::BookingError;
pub use layout::{BestSeatsRequest, LayoutSeat, SeatLayout};
pub use pricing::PricingPolicy;
pub use records::*;
pub use tickets::verify_ticket;

uniffi::setup_scaffolding!("booking");
