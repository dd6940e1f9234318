//! Bookings: made from a hold, then paid, checked in, cancelled or refunded.

use crate::Quote;
use crate::booking_status::BookingStatus;
use crate::ids::{BookingId, HoldId, OwnerId, SeatIdx, ShowId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Longest payment reference accepted, in bytes.
pub const PAYMENT_REF_BYTES_MAX: usize = 200;
/// Longest idempotency key accepted, in bytes.
pub const IDEMPOTENCY_KEY_BYTES_MAX: usize = 128;

/// A booking of the seats of one hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    /// Assigned by the store.
    pub id: BookingId,
    /// The show.
    pub show: ShowId,
    /// Who booked.
    pub owner: OwnerId,
    /// The hold it was made from.
    pub hold: HoldId,
    /// The seats (one ticket each once confirmed).
    pub seats: Arc<[SeatIdx]>,
    /// The price, fixed when the hold was placed.
    pub quote: Arc<Quote>,
    /// Stored state; see [`Booking::status_at`] for the state at an instant.
    pub status: BookingStatus,
    /// When it was created.
    pub created_at: Timestamp,
    /// A pending booking must be confirmed before this instant.
    pub payment_deadline: Timestamp,
    /// The payment reference given at confirmation.
    pub payment_ref: Option<String>,
    /// When the last transition happened.
    pub updated_at: Timestamp,
    /// Seats whose tickets were checked in.
    pub checked_in: Vec<SeatIdx>,
}

impl Booking {
    /// The state at `now`: a pending booking past its deadline is expired, swept or not.
    pub fn status_at(&self, now: Timestamp) -> BookingStatus {
        if self.status == BookingStatus::Pending && now >= self.payment_deadline {
            BookingStatus::Expired
        } else {
            self.status
        }
    }
}

/// Validates an idempotency key: 1 to 128 printable ASCII characters.
pub(crate) fn check_idempotency_key(key: &str) -> Result<(), crate::BookingError> {
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_BYTES_MAX {
        Err(crate::BookingError::invalid("idempotency_key", "must be 1 to 128 characters"))
    } else if !key.bytes().all(|b| b.is_ascii_graphic()) {
        Err(crate::BookingError::invalid("idempotency_key", "must be printable ASCII without spaces"))
    } else {
        Ok(())
    }
}
