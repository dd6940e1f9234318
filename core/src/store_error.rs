//! The store layer's error: domain conflicts that a store detects atomically, and backend failures.

use crate::booking_status::InvalidTransition;
use crate::ids::{BookingId, SeatIdx, ShowId};

/// What a store operation can refuse or fail with.
///
/// Stores name seats by index; the engine turns them into labels. Backend errors never leak a
/// driver's type: adapters map them to `Unavailable` (retryable) or `Backend`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The entity does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// `show`, `hold`, `booking`...
        entity: &'static str,
        /// Its id.
        id: String,
    },
    /// Seats are taken by someone else (or blocked); lists every one of them.
    #[error("seats unavailable: {seats:?}")]
    SeatUnavailable {
        /// Every seat that could not be taken.
        seats: Vec<SeatIdx>,
    },
    /// A zone has fewer free places than a hold asked for ([`crate::ZonePick`]); nothing was placed.
    #[error("zone {zone} has fewer than {wanted} free places")]
    PlacesUnavailable {
        /// The zone's id in the layout.
        zone: u32,
        /// The places asked for.
        wanted: u32,
    },
    /// The hold or pending booking has expired.
    #[error("{what} has expired")]
    HoldExpired {
        /// What expired.
        what: String,
    },
    /// The caller does not own it.
    #[error("not the owner of {what}")]
    NotOwner {
        /// What was acted on.
        what: String,
    },
    /// The fencing token presented is not current.
    #[error("stale fence: presented {presented}, current {current}")]
    StaleFence {
        /// Presented token.
        presented: u64,
        /// Current token.
        current: u64,
    },
    /// A limit enforced atomically by the store was reached.
    #[error("limit exceeded: {limit} (max {max})")]
    LimitExceeded {
        /// Which limit.
        limit: &'static str,
        /// Its value.
        max: u64,
    },
    /// The booking state machine refuses the transition.
    #[error(transparent)]
    InvalidTransition(#[from] InvalidTransition),
    /// Another show occupies the screen at that time.
    #[error("overlaps {other}")]
    ShowOverlap {
        /// The other show.
        other: ShowId,
    },
    /// The show is cancelled.
    #[error("{show} is cancelled")]
    ShowCancelled {
        /// The show.
        show: ShowId,
    },
    /// The idempotency key was used for a different request.
    #[error("idempotency key reused for a different request")]
    IdempotencyConflict,
    /// The ticket was already checked in.
    #[error("{booking} seat {seat:?} already checked in")]
    AlreadyCheckedIn {
        /// The booking.
        booking: BookingId,
        /// The seat.
        seat: SeatIdx,
    },
    /// The promo code has no redemptions left.
    #[error("promo {code} exhausted")]
    PromoExhausted {
        /// The code.
        code: String,
    },
    /// The request is malformed in a way only the store could see (e.g. a seat index out of range).
    #[error("invalid {field}: {reason}")]
    InvalidRequest {
        /// The field.
        field: String,
        /// Why.
        reason: String,
    },
    /// The hold's quote was made for another count of seats taken ([`crate::PlaceHold::taken_band`]):
    /// nothing was placed; the engine prices again with `taken` and retries.
    #[error("priced for another demand: {taken} seats are taken")]
    Repriced {
        /// Seats taken at the request's `now`, before the hold.
        taken: u32,
    },
    /// Seats of [`crate::PlaceHold::witness`] are no longer as the engine saw them: nothing was
    /// placed; the engine checks its selection rules again and retries.
    #[error("seats around the selection changed: {seats:?}")]
    SeatsChanged {
        /// The seats whose state differs from the witness, sorted.
        seats: Vec<SeatIdx>,
    },
    /// The backend is unreachable, timed out or overloaded: retryable.
    #[error("store unavailable: {message}")]
    Unavailable {
        /// What failed.
        message: String,
    },
    /// The backend failed in a way a retry will not fix.
    #[error("store failure: {message}")]
    Backend {
        /// What failed.
        message: String,
    },
}
