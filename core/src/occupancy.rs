//! Who occupies a seat of a show, and what that means for a customer at a given instant.

use crate::ids::{BookingId, HoldId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The raw occupant of one seat, as a store keeps it (expired leases included until swept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SeatOccupant {
    /// Nobody.
    Free,
    /// A hold, live until `until`.
    Held {
        /// The hold.
        hold: HoldId,
        /// Expiry of the hold.
        until: Timestamp,
    },
    /// A pending booking, awaiting payment until `until`.
    Pending {
        /// The booking.
        booking: BookingId,
        /// Payment deadline.
        until: Timestamp,
    },
    /// A confirmed (paid) booking.
    Sold {
        /// The booking.
        booking: BookingId,
    },
}

/// What a seat looks like to a customer at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatStatus {
    /// Can be held.
    Available,
    /// Held by a live hold.
    Held,
    /// Booked, awaiting payment until its deadline.
    Pending,
    /// Booked and paid.
    Booked,
    /// Not for sale.
    Blocked,
}

impl SeatOccupant {
    /// Whether the seat is taken at `now`: an expired lease is as good as free the instant it
    /// expires, whether or not a sweeper has run.
    #[inline]
    pub fn is_taken(&self, now: Timestamp) -> bool {
        match *self {
            SeatOccupant::Free => false,
            SeatOccupant::Held { until, .. } | SeatOccupant::Pending { until, .. } => now < until,
            SeatOccupant::Sold { .. } => true,
        }
    }

    /// The customer-facing status at `now` (`blocked` comes from the layout).
    pub fn status(&self, now: Timestamp, blocked: bool) -> SeatStatus {
        if blocked {
            return SeatStatus::Blocked;
        }
        match self {
            _ if !self.is_taken(now) => SeatStatus::Available,
            SeatOccupant::Held { .. } => SeatStatus::Held,
            SeatOccupant::Pending { .. } => SeatStatus::Pending,
            _ => SeatStatus::Booked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_leases_are_free_at_the_instant_they_expire() {
        let held = SeatOccupant::Held { hold: HoldId(1), until: Timestamp(100) };
        assert!(held.is_taken(Timestamp(99)));
        assert!(!held.is_taken(Timestamp(100)));
        assert_eq!(held.status(Timestamp(100), false), SeatStatus::Available);
        let pending = SeatOccupant::Pending { booking: BookingId(1), until: Timestamp(100) };
        assert_eq!(pending.status(Timestamp(50), false), SeatStatus::Pending);
        let sold = SeatOccupant::Sold { booking: BookingId(2) };
        assert!(sold.is_taken(Timestamp::MAX));
        assert_eq!(SeatOccupant::Free.status(Timestamp(0), true), SeatStatus::Blocked);
    }
}
