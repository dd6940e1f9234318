#![doc = include_str!("../README.md")]
// Unsafe code only where napi-rs's conversion traits demand it (`instant.rs`, feature `napi`).
#![cfg_attr(not(feature = "napi"), forbid(unsafe_code))]
#![warn(missing_docs)]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("booking_front");

mod booking;
pub mod by_name;
mod call;
mod catalogue;
mod error;
mod event;
mod hold;
mod instant;
mod money;
pub mod parity;
mod quote;
#[cfg(feature = "openapi")]
mod schemas;
mod seat_map;
#[cfg(feature = "stores")]
mod stores;
mod ticket;

pub use booking::{Booking, BookingStatus};
pub use call::{block_on, guard, panicked, poll_once};
pub use catalogue::{Screen, Show, ShowCancellation, ShowStatus, SweepReport, Theatre};
pub use error::ErrorView;
pub use event::{Event, EventKind};
pub use hold::Hold;
pub use instant::Instant;
pub use money::Money;
pub use quote::{Quote, QuoteAdjustment, QuoteLine, TaxMode};
#[cfg(feature = "openapi")]
pub use schemas::schemas;
pub use seat_map::{Category, SeatMap, SeatMapSeat, SeatMapZone, SeatStatus, flag_names};
#[cfg(feature = "stores")]
pub use stores::{OpenedStore, StoreConfig, StoreKind, open_store};
pub use ticket::{CheckIn, Confirmation, Ticket, TicketClaims, TicketKey, TicketKeys, verify_ticket};

use booking_core::{SeatIdx, SeatLayout};

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
pub(crate) fn quoted_labels(seats: &[SeatIdx], quote: &booking_core::Quote) -> Vec<String> {
    seats
        .iter()
        .enumerate()
        .map(|(i, s)| quote.lines.get(i).map_or_else(|| format!("#{}", s.0), |l| l.seat.to_string()))
        .collect()
}

/// The views' names while the fronts move to the short ones (`booking_front::Hold`).
#[doc(hidden)]
pub use self::{
    booking::Booking as BookingView, catalogue::Screen as ScreenView, catalogue::Show as ShowView,
    catalogue::ShowCancellation as ShowCancellationView, catalogue::SweepReport as SweepReportView,
    catalogue::Theatre as TheatreView, event::Event as EventView, hold::Hold as HoldView,
    money::Money as MoneyView, quote::Quote as QuoteView, quote::QuoteAdjustment as AdjustmentView,
    quote::QuoteLine as QuoteLineView, seat_map::Category as CategoryView, seat_map::SeatMap as SeatMapView,
    ticket::CheckIn as CheckInView, ticket::Confirmation as ConfirmationView, ticket::Ticket as TicketView,
};
