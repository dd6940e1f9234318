//! Holds: time-limited lock leases on a set of seats of one show.

use crate::Quote;
use crate::ids::{HoldId, OwnerId, SeatIdx, ShowId};
use crate::store_error::StoreError;
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

    /// What extending a hold placed at `placed_at`, expiring at `expires_at` and at the latest at
    /// `max_expires_at`, by `extend_by_ms` at `now` does: `Ok(Some(t))`, its expiry grows to
    /// `t = min(now + extend_by_ms, max_expires_at)`; `Ok(None)`, that would make it no later, so
    /// the hold stays as it is; `LIMIT_EXCEEDED` (`hold_lifetime_ms`, with its whole lifetime
    /// `max_expires_at - placed_at`) when it is at its maximum already. Liveness, ownership and
    /// the fence are checked before.
    ///
    /// The one definition of the rule: the memory store calls it, and the stores that apply it
    /// inside their backend are tested against it.
    ///
    /// ```
    /// # use booking_core::{Hold, StoreError, Timestamp};
    /// let t = Timestamp;
    /// // Placed at 0, expiring at 1,000, never past 3,000: extended by 1,000 at 500, until 1,500.
    /// assert_eq!(Hold::extension_of(t(0), t(1_000), t(3_000), t(500), 1_000), Ok(Some(t(1_500))));
    /// // Never past its maximum.
    /// assert_eq!(Hold::extension_of(t(0), t(1_000), t(3_000), t(2_500), 1_000), Ok(Some(t(3_000))));
    /// // No later than it is: unchanged.
    /// assert_eq!(Hold::extension_of(t(0), t(2_000), t(3_000), t(500), 1_000), Ok(None));
    /// // At its maximum: refused, naming its lifetime.
    /// assert_eq!(
    ///     Hold::extension_of(t(0), t(3_000), t(3_000), t(2_500), 1_000),
    ///     Err(StoreError::LimitExceeded { limit: "hold_lifetime_ms", max: 3_000 })
    /// );
    /// ```
    pub fn extension_of(
        placed_at: Timestamp,
        expires_at: Timestamp,
        max_expires_at: Timestamp,
        now: Timestamp,
        extend_by_ms: i64,
    ) -> Result<Option<Timestamp>, StoreError> {
        let wanted = now.plus_millis(extend_by_ms).min(max_expires_at);
        if wanted > expires_at {
            return Ok(Some(wanted));
        }
        if expires_at >= max_expires_at {
            let max = max_expires_at.millis_since(placed_at).max(0).unsigned_abs();
            return Err(StoreError::LimitExceeded { limit: "hold_lifetime_ms", max });
        }
        Ok(None)
    }

    /// [`Hold::extension_of`] this hold.
    pub fn extended_until(&self, now: Timestamp, extend_by_ms: i64) -> Result<Option<Timestamp>, StoreError> {
        Hold::extension_of(self.placed_at, self.expires_at, self.max_expires_at, now, extend_by_ms)
    }

    /// Milliseconds left at `now` (0 once expired).
    pub fn remaining_millis(&self, now: Timestamp) -> i64 {
        self.expires_at.millis_since(now).max(0)
    }
}
