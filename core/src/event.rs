//! Domain events: every state change of a show appends exactly one, in order, without gaps.
//!
//! The per-show log is the outbox: notifications, analytics and live seat maps read it.

use crate::booking_status::BookingStatus;
use crate::ids::{BookingId, HoldId, OwnerId, SeatIdx, ShowId};
use crate::money::Money;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Most events returned by one `events_since` call.
pub const EVENTS_PAGE_MAX: usize = 10_000;

/// Most shows one `events_since_each` call reads.
pub const EVENTS_SHOWS_MAX: usize = 1_000;

/// Most events one `events_since_each` call may return: its shows times its limit per show.
pub const EVENTS_EACH_MAX: usize = 100_000;

/// One entry of a show's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The show whose log this is.
    pub show: ShowId,
    /// Position in the log: 1, 2, 3... without gaps.
    pub seq: u64,
    /// When the change happened (the engine's clock).
    pub at: Timestamp,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The show was scheduled; its inventory exists from here on.
    ShowScheduled,
    /// The show was cancelled (its holds and bookings were released just before, each with its event).
    ShowCancelled,
    /// Seats were held.
    HoldPlaced {
        /// The hold.
        hold: HoldId,
        /// Its owner.
        owner: OwnerId,
        /// Its seats.
        seats: Arc<[SeatIdx]>,
        /// Its expiry.
        expires_at: Timestamp,
    },
    /// A hold got a later expiry.
    HoldExtended {
        /// The hold.
        hold: HoldId,
        /// Its new expiry.
        expires_at: Timestamp,
    },
    /// The owner released a hold.
    HoldReleased {
        /// The hold.
        hold: HoldId,
        /// Seats freed.
        seats: Arc<[SeatIdx]>,
    },
    /// A hold expired (emitted by the sweeper or when its show was cancelled).
    HoldExpired {
        /// The hold.
        hold: HoldId,
        /// Seats it had.
        seats: Arc<[SeatIdx]>,
    },
    /// A hold became a pending booking.
    BookingCreated {
        /// The booking.
        booking: BookingId,
        /// The hold it consumed.
        hold: HoldId,
        /// Its owner.
        owner: OwnerId,
        /// Its seats.
        seats: Arc<[SeatIdx]>,
        /// Payment deadline.
        payment_deadline: Timestamp,
        /// Quote total.
        total: Money,
    },
    /// Payment arrived; tickets issued.
    BookingConfirmed {
        /// The booking.
        booking: BookingId,
        /// Its seats, sold now (empty in logs written before seats were recorded here).
        #[serde(default)]
        seats: Arc<[SeatIdx]>,
        /// Payment reference.
        payment_ref: String,
        /// Amount paid.
        total: Money,
    },
    /// A pending booking missed its payment deadline.
    BookingExpired {
        /// The booking.
        booking: BookingId,
        /// Seats freed.
        seats: Arc<[SeatIdx]>,
    },
    /// A booking was cancelled.
    BookingCancelled {
        /// The booking.
        booking: BookingId,
        /// Seats freed.
        seats: Arc<[SeatIdx]>,
        /// State it was cancelled from.
        from: BookingStatus,
    },
    /// A confirmed booking was refunded.
    BookingRefunded {
        /// The booking.
        booking: BookingId,
        /// Seats freed.
        seats: Arc<[SeatIdx]>,
        /// Amount refunded.
        total: Money,
    },
    /// One ticket was checked in at the door.
    TicketCheckedIn {
        /// The booking.
        booking: BookingId,
        /// The ticket's seat.
        seat: SeatIdx,
    },
}

impl EventKind {
    /// Snake-case name, e.g. `hold_placed` (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ShowScheduled => "show_scheduled",
            EventKind::ShowCancelled => "show_cancelled",
            EventKind::HoldPlaced { .. } => "hold_placed",
            EventKind::HoldExtended { .. } => "hold_extended",
            EventKind::HoldReleased { .. } => "hold_released",
            EventKind::HoldExpired { .. } => "hold_expired",
            EventKind::BookingCreated { .. } => "booking_created",
            EventKind::BookingConfirmed { .. } => "booking_confirmed",
            EventKind::BookingExpired { .. } => "booking_expired",
            EventKind::BookingCancelled { .. } => "booking_cancelled",
            EventKind::BookingRefunded { .. } => "booking_refunded",
            EventKind::TicketCheckedIn { .. } => "ticket_checked_in",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    #[test]
    fn events_serialize_with_a_type_tag() {
        let e = Event {
            show: ShowId(3),
            seq: 7,
            at: Timestamp(1_000),
            kind: EventKind::BookingCreated {
                booking: BookingId(9),
                hold: HoldId(4),
                owner: OwnerId::new("ann").unwrap_or_else(|_| unreachable!()),
                seats: vec![SeatIdx(1), SeatIdx(2)].into(),
                payment_deadline: Timestamp(5_000),
                total: Money::new(2_400, Currency::EUR),
            },
        };
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"show":3,"seq":7,"at":1000,"kind":{"type":"booking_created","booking":9,"hold":4,"owner":"ann","seats":[1,2],"payment_deadline":5000,"total":{"minor":2400,"currency":"EUR"}}}"#
        );
        let back: Event = serde_json::from_str(&json).unwrap_or_else(|_| e.clone());
        assert_eq!(back, e);
        assert_eq!(e.kind.name(), "booking_created");
    }
}
