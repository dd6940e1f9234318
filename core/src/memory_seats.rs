//! One show's seat states in the memory store: four bytes per seat plus one small lease per hold
//! or booking.
//!
//! A seat's cell is 0 when free, [`BLOCKED`] when the layout blocks it, or `1 + slot` of the lease
//! that occupies it. A lease (a hold or a booking) lives in one slot of a slab for as long as the
//! hold or booking occupies seats, so extending a hold, turning it into a booking or confirming a
//! booking rewrites one slot instead of every seat, and a seat costs 4 bytes rather than the 16 of
//! a lease copied into every cell.

use crate::ids::{BookingId, HoldId, SeatIdx};
use crate::layout::Zone;
use crate::memory_places::PlacePools;
use crate::occupancy::SeatOccupant;
use crate::places::ZonePick;
use crate::store_error::StoreError;
use crate::time::Timestamp;

/// The cell of a seat that no one may take.
const BLOCKED: u32 = u32::MAX;
/// Marks a booking in [`Lease::id`]; holds have it clear.
const BOOKING_TAG: u64 = 1 << 63;

/// The lease of a free slot (store ids start at 1).
const VACANT: Lease = Lease { id: 0, until: 0 };

/// Who occupies a set of seats, and until when (exclusive).
///
/// A sold seat has `until == i64::MAX`; a pending booking has its payment deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lease {
    id: u64,
    until: i64,
}

impl Lease {
    pub(crate) fn hold(hold: HoldId, until: Timestamp) -> Self {
        Lease { id: hold.0, until: until.millis() }
    }

    pub(crate) fn booking(booking: BookingId, until: Timestamp) -> Self {
        Lease { id: booking.0 | BOOKING_TAG, until: until.millis() }
    }

    #[inline]
    fn live(self, now: Timestamp) -> bool {
        now.millis() < self.until
    }

    fn occupant(self) -> SeatOccupant {
        let until = Timestamp(self.until);
        match self.id {
            l if l & BOOKING_TAG == 0 => SeatOccupant::Held { hold: HoldId(l), until },
            l if self.until == i64::MAX => SeatOccupant::Sold { booking: BookingId(l & !BOOKING_TAG) },
            l => SeatOccupant::Pending { booking: BookingId(l & !BOOKING_TAG), until },
        }
    }
}

#[inline]
fn unavailable(cells: &[u32], leases: &[Lease], seat: SeatIdx, now: Timestamp) -> bool {
    match cells.get(seat.index()) {
        Some(0) => false,
        Some(&c) if c != BLOCKED => leases.get(c as usize - 1).is_none_or(|l| l.live(now)),
        _ => true,
    }
}

/// Where a lease lives in the slab; kept by the hold or booking that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot(u32);

/// The seats of one show.
#[derive(Debug)]
pub(crate) struct SeatTable {
    cells: Vec<u32>,
    leases: Vec<Lease>,
    free_slots: Vec<u32>,
    /// Where free places of general-admission zones are found.
    pub(crate) places: PlacePools,
}

impl SeatTable {
    /// A table of free seats, blocked where `blocked` says so, with the layout's `zones`.
    pub(crate) fn new(blocked: impl ExactSizeIterator<Item = bool>, zones: &[Zone]) -> Self {
        SeatTable {
            cells: blocked.map(|b| if b { BLOCKED } else { 0 }).collect(),
            leases: Vec::new(),
            free_slots: Vec::new(),
            places: PlacePools::new(zones),
        }
    }

    /// Number of seats.
    pub(crate) fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether `seat` is blocked or occupied by a lease still live at `now`. Out of range is taken.
    #[inline]
    pub(crate) fn unavailable(&self, seat: SeatIdx, now: Timestamp) -> bool {
        unavailable(&self.cells, &self.leases, seat, now)
    }

    /// Picks places of `pick` free at `now` and not in `besides` ([`PlacePools::pick`]).
    pub(crate) fn pick(
        &mut self,
        pick: &ZonePick,
        now: Timestamp,
        besides: &[SeatIdx],
        lapsed: impl FnOnce() -> Vec<SeatIdx>,
        out: &mut Vec<SeatIdx>,
    ) -> bool {
        let (cells, leases) = (&self.cells, &self.leases);
        let free = |s: SeatIdx| !unavailable(cells, leases, s, now) && !besides.contains(&s);
        self.places.pick(pick, free, lapsed, out)
    }

    /// Who occupies `seat` (a blocked seat reads as free: the layout says it is blocked).
    pub(crate) fn occupant(&self, seat: usize) -> SeatOccupant {
        match self.cells.get(seat) {
            Some(&c) if c != 0 && c != BLOCKED => {
                self.leases.get(c as usize - 1).map_or(SeatOccupant::Free, |l| l.occupant())
            }
            _ => SeatOccupant::Free,
        }
    }

    /// Gives `seats` (checked free by the caller) to a new lease.
    pub(crate) fn occupy(&mut self, seats: &[SeatIdx], lease: Lease) -> Result<Slot, StoreError> {
        let slot = match self.free_slots.pop() {
            Some(s) => {
                self.leases[s as usize] = lease;
                s
            }
            None => {
                let s = u32::try_from(self.leases.len()).ok().filter(|s| *s < BLOCKED - 1).ok_or(
                    StoreError::LimitExceeded { limit: "leases_per_show", max: u64::from(BLOCKED - 1) },
                )?;
                self.leases.push(lease);
                s
            }
        };
        for s in seats {
            if let Some(cell) = self.cells.get_mut(s.index()) {
                *cell = slot + 1;
            }
        }
        Ok(Slot(slot))
    }

    /// Gives the seats of `slot` to `lease`: an extension, a hold becoming a booking, a sale.
    pub(crate) fn relabel(&mut self, slot: Slot, lease: Lease) {
        if let Some(l) = self.leases.get_mut(slot.0 as usize) {
            *l = lease;
        }
    }

    /// Frees those of `seats` that `slot` still occupies, and the slot itself.
    pub(crate) fn free(&mut self, slot: Slot, seats: &[SeatIdx]) {
        for s in seats {
            if let Some(cell) = self.cells.get_mut(s.index())
                && *cell == slot.0 + 1
            {
                *cell = 0;
                self.places.give_back(*s);
            }
        }
        // A slot is freed once: a second push would let two leases share it.
        if let Some(l) = self.leases.get_mut(slot.0 as usize)
            && *l != VACANT
        {
            *l = VACANT;
            self.free_slots.push(slot.0);
        }
    }

    /// Bytes held for seat states: the cells and the lease slab (for memory accounting).
    pub(crate) fn bytes(&self) -> usize {
        self.cells.capacity() * size_of::<u32>()
            + self.leases.capacity() * size_of::<Lease>()
            + self.free_slots.capacity() * size_of::<u32>()
            + self.places.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seats(ix: &[u32]) -> Vec<SeatIdx> {
        ix.iter().map(|&i| SeatIdx(i)).collect()
    }

    #[test]
    fn a_seat_costs_four_bytes_and_a_lease_sixteen() {
        assert_eq!(size_of::<Lease>(), 16);
        let table = SeatTable::new([false; 500].into_iter(), &[]);
        assert_eq!(table.bytes(), 2000);
    }

    #[test]
    fn leases_encode_every_occupant() {
        let until = Timestamp(500);
        let mut t = SeatTable::new([false, false, false, true].into_iter(), &[]);
        assert_eq!(t.occupant(0), SeatOccupant::Free);
        assert!(t.unavailable(SeatIdx(3), Timestamp(0)), "blocked");
        assert!(t.unavailable(SeatIdx(4), Timestamp(0)), "outside the layout");
        assert_eq!(t.occupant(3), SeatOccupant::Free);
        let slot = t.occupy(&seats(&[0, 1]), Lease::hold(HoldId(7), until)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.occupant(1), SeatOccupant::Held { hold: HoldId(7), until });
        assert!(t.unavailable(SeatIdx(0), Timestamp(499)));
        assert!(!t.unavailable(SeatIdx(0), Timestamp(500)), "the lease ends at `until`");
        t.relabel(slot, Lease::booking(BookingId(9), until));
        assert_eq!(t.occupant(0), SeatOccupant::Pending { booking: BookingId(9), until });
        t.relabel(slot, Lease::booking(BookingId(9), Timestamp::MAX));
        assert_eq!(t.occupant(1), SeatOccupant::Sold { booking: BookingId(9) });
        assert_eq!(t.occupant(2), SeatOccupant::Free);
    }

    #[test]
    fn freeing_spares_seats_another_lease_took_and_reuses_the_slot() {
        let mut t = SeatTable::new([false; 3].into_iter(), &[]);
        let old = t
            .occupy(&seats(&[0, 1]), Lease::hold(HoldId(1), Timestamp(10)))
            .unwrap_or_else(|e| panic!("{e}"));
        // The old hold expired; seat 1 went to another hold.
        let new =
            t.occupy(&seats(&[1]), Lease::hold(HoldId(2), Timestamp(99))).unwrap_or_else(|e| panic!("{e}"));
        t.free(old, &seats(&[0, 1]));
        assert_eq!(t.occupant(0), SeatOccupant::Free);
        assert_eq!(t.occupant(1), SeatOccupant::Held { hold: HoldId(2), until: Timestamp(99) });
        let again =
            t.occupy(&seats(&[2]), Lease::hold(HoldId(3), Timestamp(50))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, old, "a freed slot is reused");
        assert_ne!(again, new);
        assert_eq!(t.occupant(1), SeatOccupant::Held { hold: HoldId(2), until: Timestamp(99) });
    }
}
