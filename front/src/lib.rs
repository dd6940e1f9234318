//! # booking-front
//!
//! The one front model of booking-core: what every front (the HTTP service, Python, Node,
//! Kotlin and Swift) hands out, defined once.
//!
//! - **Views** of holds, bookings, quotes, tickets, seat maps, events, theatres, screens and
//!   shows, built from core values with the seats named by label and a booking's status taken at
//!   `now`. Each view is `serde` (HTTP and Python read its JSON) and, behind features, an OpenAPI
//!   schema (`openapi`), a JavaScript object typed in `index.d.ts` (`napi`) and a Kotlin data
//!   class / Swift struct (`uniffi`). A front never writes a mirror of them.
//! - **Errors**: [`ErrorView`], the code, the message and
//!   [`BookingError::details`](booking_core::BookingError::details) of every error.
//! - **Store choice**: [`open_store`] (feature `stores`), memory, PostgreSQL or PostgreSQL with
//!   holds on Redis, from URLs.
//! - **Call plumbing** every binding needs: [`guard`] (a panic becomes `STORE_FAILURE`, never an
//!   unwind across the FFI), [`poll_once`] (answer at once what needs no waiting) and
//!   [`block_on`] (a blocking call for hosts that want one).
//!
//! ```
//! use booking_core::*;
//! use booking_front::HoldView;
//! # async fn tour(engine: BookingEngine, show: ShowId) -> Result<(), BookingError> {
//! let hold = engine.hold(HoldRequest {
//!     show, owner: OwnerId::new("ann")?, seats: vec![SeatChoice::new("A3")], promo_code: None,
//! }).await?;
//! let view = HoldView::new(&hold, engine.now());
//! assert_eq!(view.seats, ["A3"]);
//! # Ok(()) }
//! ```
// Unsafe code only where napi-rs's conversion traits demand it (`instant.rs`, feature `napi`).
#![cfg_attr(not(feature = "napi"), forbid(unsafe_code))]
#![warn(missing_docs)]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("booking_front");

mod booking;
mod call;
mod catalogue;
mod error;
mod event;
mod hold;
mod instant;
mod money;
mod quote;
mod seat_map;
#[cfg(feature = "stores")]
mod stores;
mod ticket;

pub use booking::{BookingStatus, BookingView};
pub use call::{block_on, guard, panicked, poll_once};
pub use catalogue::{ScreenView, ShowStatus, ShowView, TheatreView};
pub use error::ErrorView;
pub use event::{EventKind, EventView};
pub use hold::HoldView;
pub use instant::Instant;
pub use money::MoneyView;
pub use quote::{AdjustmentView, QuoteLineView, QuoteView, TaxMode};
pub use seat_map::{CategoryView, SeatMapSeat, SeatMapView, SeatStatus, flag_names};
#[cfg(feature = "stores")]
pub use stores::{OpenedStore, StoreConfig, StoreKind, open_store};
pub use ticket::TicketView;

use booking_core::{Quote, SeatIdx, SeatLayout};

/// A number the core counts in `u64` (ids, sequence numbers, fencing tokens), as the views
/// carry it: `i64`, which JavaScript, Kotlin and Swift read as an ordinary integer. Stores count
/// from 1 and never come near 2^53.
pub(crate) fn num(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The labels of `seats` in `layout` (`#12` for an index the layout does not have, which a
/// store never gives).
pub fn labels(layout: &SeatLayout, seats: &[SeatIdx]) -> Vec<String> {
    seats
        .iter()
        .map(|i| layout.seat(*i).map_or_else(|| format!("#{}", i.0), |s| s.label.to_string()))
        .collect()
}

/// The labels of the seats of a hold or booking, from its quote: one line per seat, in seat
/// order, so no layout is needed.
pub(crate) fn quoted_labels(seats: &[SeatIdx], quote: &Quote) -> Vec<String> {
    seats
        .iter()
        .enumerate()
        .map(|(i, s)| quote.lines.get(i).map_or_else(|| format!("#{}", s.0), |l| l.seat.to_string()))
        .collect()
}
