//! Rows of `bc_holds` and `bc_bookings` as the core's [`Hold`] and [`Booking`].

use booking_core::{
    Booking, BookingId, BookingStatus, Hold, HoldId, OwnerId, Quote, SeatIdx, ShowId, StoreError,
    StoreResult, Timestamp,
};
use std::sync::Arc;

/// The columns of a hold row, in [`HoldRow`] order.
pub(crate) const HOLD_COLUMNS: &str =
    "show_id, id, owner, seats, placed_at, expires_at, max_expires_at, fence, quote::text";

/// The columns of a booking row, in [`BookingRow`] order.
pub(crate) const BOOKING_COLUMNS: &str = "show_id, id, owner, hold_id, seats, quote::text, status, created_at, \
     payment_deadline, payment_ref, updated_at, checked_in";

pub(crate) type HoldRow = (i64, i64, String, Vec<i32>, i64, i64, i64, i64, String);

pub(crate) type BookingRow =
    (i64, i64, String, i64, Vec<i32>, String, String, i64, i64, Option<String>, i64, Vec<i32>);

fn backend(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend { message: format!("decoding {what}: {e}") }
}

fn seats(v: Vec<i32>) -> Vec<SeatIdx> {
    v.into_iter().map(|s| SeatIdx(s as u32)).collect()
}

/// A status as `bc_bookings` spells it: core's snake-case name.
fn status(s: &str) -> StoreResult<BookingStatus> {
    BookingStatus::ALL.into_iter().find(|b| b.as_str() == s).ok_or_else(|| backend("status", s))
}

fn quote(text: &str) -> StoreResult<Arc<Quote>> {
    serde_json::from_str(text).map(Arc::new).map_err(|e| backend("quote", e))
}

pub(crate) fn hold(row: HoldRow) -> StoreResult<Hold> {
    let (show, id, owner, seat_list, placed_at, expires_at, max_expires_at, fence, quote_text) = row;
    Ok(Hold {
        id: HoldId(id as u64),
        show: ShowId(show as u64),
        owner: OwnerId::new(&owner).map_err(|e| backend("owner", e))?,
        seats: seats(seat_list).into(),
        placed_at: Timestamp(placed_at),
        expires_at: Timestamp(expires_at),
        max_expires_at: Timestamp(max_expires_at),
        fence: fence as u64,
        quote: quote(&quote_text)?,
    })
}

pub(crate) fn booking(row: BookingRow) -> StoreResult<Booking> {
    let (
        show,
        id,
        owner,
        hold,
        seat_list,
        quote_text,
        state,
        created_at,
        deadline,
        payment_ref,
        updated_at,
        checked,
    ) = row;
    Ok(Booking {
        id: BookingId(id as u64),
        show: ShowId(show as u64),
        owner: OwnerId::new(&owner).map_err(|e| backend("owner", e))?,
        hold: HoldId(hold as u64),
        seats: seats(seat_list).into(),
        quote: quote(&quote_text)?,
        status: status(&state)?,
        created_at: Timestamp(created_at),
        payment_deadline: Timestamp(deadline),
        payment_ref,
        updated_at: Timestamp(updated_at),
        checked_in: seats(checked),
    })
}
