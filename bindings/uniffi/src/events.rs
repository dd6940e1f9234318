//! The show's event log as the device reads it (live seat maps, notifications). Seats by label.

use crate::convert::{instant, labels};
use crate::records::{BookingStatus, Money};
use booking_core as bc;
use std::time::SystemTime;

/// One entry of a show's ordered log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Event {
    /// The show whose log this is.
    pub show_id: u64,
    /// Position in the log: 1, 2, 3... without gaps.
    pub seq: u64,
    /// When the change happened.
    pub at: SystemTime,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum EventKind {
    /// The show was scheduled.
    ShowScheduled,
    /// The show was cancelled.
    ShowCancelled,
    /// Seats were held.
    HoldPlaced {
        /// The hold.
        hold_id: u64,
        /// Its owner.
        owner: String,
        /// Its seats.
        seats: Vec<String>,
        /// Its expiry.
        expires_at: SystemTime,
    },
    /// A hold got a later expiry.
    HoldExtended {
        /// The hold.
        hold_id: u64,
        /// Its new expiry.
        expires_at: SystemTime,
    },
    /// The owner released a hold.
    HoldReleased {
        /// The hold.
        hold_id: u64,
        /// Seats freed.
        seats: Vec<String>,
    },
    /// A hold expired.
    HoldExpired {
        /// The hold.
        hold_id: u64,
        /// Seats it had.
        seats: Vec<String>,
    },
    /// A hold became a pending booking.
    BookingCreated {
        /// The booking.
        booking_id: u64,
        /// The hold it consumed.
        hold_id: u64,
        /// Its owner.
        owner: String,
        /// Its seats.
        seats: Vec<String>,
        /// Payment deadline.
        payment_deadline: SystemTime,
        /// Quote total.
        total: Money,
    },
    /// Payment arrived; tickets issued.
    BookingConfirmed {
        /// The booking.
        booking_id: u64,
        /// Payment reference.
        payment_ref: String,
        /// Amount paid.
        total: Money,
    },
    /// A pending booking missed its payment deadline.
    BookingExpired {
        /// The booking.
        booking_id: u64,
        /// Seats freed.
        seats: Vec<String>,
    },
    /// A booking was cancelled.
    BookingCancelled {
        /// The booking.
        booking_id: u64,
        /// Seats freed.
        seats: Vec<String>,
        /// State it was cancelled from.
        from: BookingStatus,
    },
    /// A confirmed booking was refunded.
    BookingRefunded {
        /// The booking.
        booking_id: u64,
        /// Seats freed.
        seats: Vec<String>,
        /// Amount refunded.
        total: Money,
    },
    /// One ticket was checked in.
    TicketCheckedIn {
        /// The booking.
        booking_id: u64,
        /// The ticket's seat.
        seat: String,
    },
}

impl Event {
    /// The event, its seats named with `layout` (the show's).
    pub(crate) fn new(e: &bc::Event, layout: &bc::SeatLayout) -> Self {
        Event { show_id: e.show.0, seq: e.seq, at: instant(e.at), kind: kind(&e.kind, layout) }
    }
}

fn kind(k: &bc::EventKind, layout: &bc::SeatLayout) -> EventKind {
    use bc::EventKind as K;
    let seats = |s: &[bc::SeatIdx]| labels(layout, s);
    match k {
        K::ShowScheduled => EventKind::ShowScheduled,
        K::ShowCancelled => EventKind::ShowCancelled,
        K::HoldPlaced { hold, owner, seats: s, expires_at } => EventKind::HoldPlaced {
            hold_id: hold.0,
            owner: owner.to_string(),
            seats: seats(s),
            expires_at: instant(*expires_at),
        },
        K::HoldExtended { hold, expires_at } => {
            EventKind::HoldExtended { hold_id: hold.0, expires_at: instant(*expires_at) }
        }
        K::HoldReleased { hold, seats: s } => EventKind::HoldReleased { hold_id: hold.0, seats: seats(s) },
        K::HoldExpired { hold, seats: s } => EventKind::HoldExpired { hold_id: hold.0, seats: seats(s) },
        K::BookingCreated { booking, hold, owner, seats: s, payment_deadline, total } => {
            EventKind::BookingCreated {
                booking_id: booking.0,
                hold_id: hold.0,
                owner: owner.to_string(),
                seats: seats(s),
                payment_deadline: instant(*payment_deadline),
                total: (*total).into(),
            }
        }
        K::BookingConfirmed { booking, payment_ref, total } => EventKind::BookingConfirmed {
            booking_id: booking.0,
            payment_ref: payment_ref.clone(),
            total: (*total).into(),
        },
        K::BookingExpired { booking, seats: s } => {
            EventKind::BookingExpired { booking_id: booking.0, seats: seats(s) }
        }
        K::BookingCancelled { booking, seats: s, from } => {
            EventKind::BookingCancelled { booking_id: booking.0, seats: seats(s), from: (*from).into() }
        }
        K::BookingRefunded { booking, seats: s, total } => {
            EventKind::BookingRefunded { booking_id: booking.0, seats: seats(s), total: (*total).into() }
        }
        K::TicketCheckedIn { booking, seat } => EventKind::TicketCheckedIn {
            booking_id: booking.0,
            seat: labels(layout, &[*seat]).pop().unwrap_or_default(),
        },
    }
}
