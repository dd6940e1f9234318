//! Rebuilds seat states from a show's event log (invariant 6: the log replayed from empty gives
//! the same seat states as the store).

use crate::event::{Event, EventKind};
use crate::ids::{BookingId, HoldId, SeatIdx};
use crate::occupancy::SeatOccupant;
use std::collections::HashMap;
use std::sync::Arc;

/// Why a log could not be replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The sequence numbers are not 1, 2, 3... without gaps.
    #[error("sequence gap: expected {expected}, found {found}")]
    Gap {
        /// The next number expected.
        expected: u64,
        /// What was there.
        found: u64,
    },
    /// An event names a seat outside the layout.
    #[error("event {seq} names seat {seat} outside the layout")]
    SeatOutOfRange {
        /// The event.
        seq: u64,
        /// The seat index.
        seat: u32,
    },
    /// An event takes a seat that the log says is taken by someone else.
    #[error("event {seq} takes seat {seat} which is still occupied")]
    DoubleTake {
        /// The event.
        seq: u64,
        /// The seat index.
        seat: u32,
    },
}

/// Replays `events` (the whole log of one show, from seq 1) over `seat_count` free seats.
///
/// A lease that is replaced or freed only affects seats it still occupies, exactly as stores do.
/// Taking a seat whose previous lease has not expired at the event's time is reported as
/// [`ReplayError::DoubleTake`]: it would mean the store sold or held a seat twice.
pub fn replay(seat_count: usize, events: &[Event]) -> Result<Vec<SeatOccupant>, ReplayError> {
    let mut seats = vec![SeatOccupant::Free; seat_count];
    let mut hold_seats: HashMap<HoldId, Arc<[SeatIdx]>> = HashMap::new();
    let mut booking_seats: HashMap<BookingId, Arc<[SeatIdx]>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let expected = i as u64 + 1;
        if e.seq != expected {
            return Err(ReplayError::Gap { expected, found: e.seq });
        }
        let mut set = |list: &[SeatIdx], occ: SeatOccupant, only_if: Option<SeatOccupantKey>| {
            for s in list {
                let cell =
                    seats.get_mut(s.index()).ok_or(ReplayError::SeatOutOfRange { seq: e.seq, seat: s.0 })?;
                match only_if {
                    Some(key) if key.matches(cell) => *cell = occ,
                    Some(_) => {}
                    None => {
                        if cell.is_taken(e.at) {
                            return Err(ReplayError::DoubleTake { seq: e.seq, seat: s.0 });
                        }
                        *cell = occ;
                    }
                }
            }
            Ok(())
        };
        match &e.kind {
            EventKind::ShowScheduled | EventKind::ShowCancelled | EventKind::TicketCheckedIn { .. } => {}
            EventKind::HoldPlaced { hold, seats: list, expires_at, .. } => {
                set(list, SeatOccupant::Held { hold: *hold, until: *expires_at }, None)?;
                hold_seats.insert(*hold, list.clone());
            }
            EventKind::HoldExtended { hold, expires_at } => {
                let list = hold_seats.get(hold).cloned().unwrap_or_default();
                let occ = SeatOccupant::Held { hold: *hold, until: *expires_at };
                set(&list, occ, Some(SeatOccupantKey::Hold(*hold)))?;
            }
            EventKind::HoldReleased { hold, seats: list } | EventKind::HoldExpired { hold, seats: list } => {
                set(list, SeatOccupant::Free, Some(SeatOccupantKey::Hold(*hold)))?;
                hold_seats.remove(hold);
            }
            EventKind::BookingCreated { booking, hold, seats: list, payment_deadline, .. } => {
                let occ = SeatOccupant::Pending { booking: *booking, until: *payment_deadline };
                set(list, occ, Some(SeatOccupantKey::Hold(*hold)))?;
                hold_seats.remove(hold);
                booking_seats.insert(*booking, list.clone());
            }
            EventKind::BookingConfirmed { booking, .. } => {
                let list = booking_seats.get(booking).cloned().unwrap_or_default();
                let occ = SeatOccupant::Sold { booking: *booking };
                set(&list, occ, Some(SeatOccupantKey::Booking(*booking)))?;
            }
            EventKind::BookingExpired { booking, seats: list }
            | EventKind::BookingCancelled { booking, seats: list, .. }
            | EventKind::BookingRefunded { booking, seats: list, .. } => {
                set(list, SeatOccupant::Free, Some(SeatOccupantKey::Booking(*booking)))?;
            }
        }
    }
    Ok(seats)
}

/// Whose lease a conditional change applies to.
#[derive(Clone, Copy)]
enum SeatOccupantKey {
    Hold(HoldId),
    Booking(BookingId),
}

impl SeatOccupantKey {
    fn matches(self, occ: &SeatOccupant) -> bool {
        match (self, occ) {
            (SeatOccupantKey::Hold(h), SeatOccupant::Held { hold, .. }) => h == *hold,
            (SeatOccupantKey::Booking(b), SeatOccupant::Pending { booking, .. })
            | (SeatOccupantKey::Booking(b), SeatOccupant::Sold { booking }) => b == *booking,
            _ => false,
        }
    }
}
