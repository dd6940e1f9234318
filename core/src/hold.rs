//! Holds: time-limited lock leases on a set of seats of one show.

use crate::Quote;
use crate::ids::{HoldId, OwnerId, SeatIdx, ShowId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A hold on seats of one show: all its seats or none, owned by one owner, until `expires_at`.
///
/// `fence` is the fencing token: the show's event sequence number of the hold's last change, so
/// it grows with every change to the show and a stale holder can be told apart from the current one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hold {
    /// Assigned by the store.
    pub id: HoldId,
    /// The show.
    pub show: ShowId,
    /// Who holds the seats.
    pub owner: OwnerId,
    /// The seats, in the order asked for.
    pub seats: Arc<[SeatIdx]>,
    /// When it was placed.
    pub placed_at: Timestamp,
    /// When it expires unless extended.
    pub expires_at: Timestamp,
    /// Extensions never go past this instant.
    pub max_expires_at: Timestamp,
    /// Fencing token.
    pub fence: u64,
    /// The price, fixed when the hold was placed.
    pub quote: Arc<Quote>,
}

impl Hold {
    /// Whether the hold still holds its seats at `now`.
    #[inline]
    pub fn is_live(&self, now: Timestamp) -> bool {
        now < self.expires_at
    }

    /// The payment deadline of a booking made from this hold at `now`: the payment window from
    /// `now`, never past the hold's maximum lifetime, and never sooner than the hold would have
    /// expired anyway: `max(expires_at, min(now + payment_window_ms, max_expires_at))`.
    ///
    /// The one definition of the rule: the memory store calls it, and the stores that compute
    /// it inside their backend are tested against it.
    ///
    /// ```
    /// # use booking_core::{Hold, Timestamp};
    /// assert_eq!(Hold::deadline_of(Timestamp(500), Timestamp(9_000), Timestamp(100), 1_000), Timestamp(1_100));
    /// assert_eq!(Hold::deadline_of(Timestamp(500), Timestamp(800), Timestamp(100), 1_000), Timestamp(800));
    /// assert_eq!(Hold::deadline_of(Timestamp(5_000), Timestamp(9_000), Timestamp(100), 1_000), Timestamp(5_000));
    /// ```
    pub fn deadline_of(
        expires_at: Timestamp,
        max_expires_at: Timestamp,
        now: Timestamp,
        payment_window_ms: i64,
    ) -> Timestamp {
        expires_at.max(now.plus_millis(payment_window_ms).min(max_expires_at))
    }

    /// [`Hold::deadline_of`] this hold.
    pub fn payment_deadline(&self, now: Timestamp, payment_window_ms: i64) -> Timestamp {
        Hold::deadline_of(self.expires_at, self.max_expires_at, now, payment_window_ms)
    }

    /// Milliseconds left at `now` (0 once expired).
    pub fn remaining_millis(&self, now: Timestamp) -> i64 {
        self.expires_at.millis_since(now).max(0)
    }
}
