//! Where the memory store finds free places of a general-admission zone without reading the
//! zone: the places it never gave out (a cursor per zone) and the places given back (a pool per
//! zone, filled as leases free their seats). Places of leases that ended by themselves and were
//! not swept yet are neither: the show finds them through its expired holds and bookings.

use crate::ids::SeatIdx;
use crate::layout::Zone;
use crate::places::ZonePick;

/// One zone's sources of free places.
#[derive(Debug, Default)]
struct Pool {
    /// First place (from the zone's start) never given out.
    next: u32,
    /// Places given back, each perhaps taken again since (checked when picked).
    freed: Vec<u32>,
}

/// The place pools of one show's zones.
#[derive(Debug, Default)]
pub(crate) struct PlacePools {
    /// Each zone's first place, ascending (zones follow the seats in the dense index).
    starts: Vec<u32>,
    pools: Vec<Pool>,
}

impl PlacePools {
    pub(crate) fn new(zones: &[Zone]) -> Self {
        PlacePools {
            starts: zones.iter().map(|z| z.seats.start).collect(),
            pools: zones.iter().map(|_| Pool::default()).collect(),
        }
    }

    /// Notes that `seat` is free again, if it is a place.
    pub(crate) fn give_back(&mut self, seat: SeatIdx) {
        if self.starts.first().is_none_or(|first| seat.0 < *first) {
            return;
        }
        let zone = self.starts.partition_point(|s| *s <= seat.0) - 1;
        if let Some(p) = self.pools.get_mut(zone) {
            p.freed.push(seat.0);
        }
    }

    /// Picks `pick.quantity` places for which `free` holds, first from those given back, then
    /// from those never given out, then from `lapsed` (places of leases ended but not swept),
    /// skipping any already in `out`; appends them to `out`. Fewer found: `false`, and the
    /// caller gives back ([`PlacePools::undo`]) what it will not use.
    pub(crate) fn pick(
        &mut self,
        pick: &ZonePick,
        free: impl Fn(SeatIdx) -> bool,
        lapsed: impl FnOnce() -> Vec<SeatIdx>,
        out: &mut Vec<SeatIdx>,
    ) -> bool {
        let Some(pool) = self.pools.get_mut(pick.zone as usize) else { return false };
        let want = out.len() + pick.quantity as usize;
        // Each candidate of the pool leaves it: a taken one comes back when it is freed.
        while out.len() < want {
            let Some(p) = pool.freed.pop() else { break };
            let seat = SeatIdx(p);
            if pick.contains(seat) && free(seat) && !out.contains(&seat) {
                out.push(seat);
            }
        }
        while out.len() < want && pool.next < pick.capacity {
            let seat = SeatIdx(pick.first.0 + pool.next);
            pool.next += 1;
            if free(seat) {
                out.push(seat);
            }
        }
        if out.len() < want {
            for seat in lapsed() {
                if out.len() == want {
                    break;
                }
                if pick.contains(seat) && free(seat) && !out.contains(&seat) {
                    out.push(seat);
                }
            }
        }
        out.len() == want
    }

    /// Gives back places picked for a hold that was not placed.
    pub(crate) fn undo(&mut self, picked: &[SeatIdx]) {
        for seat in picked {
            self.give_back(*seat);
        }
    }

    /// Bytes held (for memory accounting).
    pub(crate) fn bytes(&self) -> usize {
        self.starts.capacity() * size_of::<u32>()
            + self.pools.iter().map(|p| p.freed.capacity() * size_of::<u32>()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(start: u32, capacity: u32) -> Zone {
        Zone { name: "Floor".into(), category: 0, capacity, seats: start..start + capacity }
    }

    fn pick(quantity: u32) -> ZonePick {
        ZonePick { zone: 0, first: SeatIdx(10), capacity: 5, quantity }
    }

    #[test]
    fn places_come_from_the_pool_then_the_cursor_then_the_lapsed() {
        let mut p = PlacePools::new(&[zone(10, 5)]);
        let mut out = Vec::new();
        assert!(p.pick(&pick(3), |_| true, Vec::new, &mut out));
        assert_eq!(out, [SeatIdx(10), SeatIdx(11), SeatIdx(12)]);
        p.give_back(SeatIdx(11));
        p.give_back(SeatIdx(3)); // not a place: ignored
        let mut out = Vec::new();
        assert!(p.pick(&pick(2), |_| true, Vec::new, &mut out));
        assert_eq!(out, [SeatIdx(11), SeatIdx(13)]);
        let mut out = Vec::new();
        assert!(p.pick(&pick(2), |s| s != SeatIdx(12), || vec![SeatIdx(12), SeatIdx(10)], &mut out));
        assert_eq!(out, [SeatIdx(14), SeatIdx(10)], "a lapsed place is checked free like any other");
        let mut out = Vec::new();
        assert!(!p.pick(&pick(1), |_| true, Vec::new, &mut out), "every place was given out");
    }

    #[test]
    fn a_failed_pick_takes_nothing() {
        let mut p = PlacePools::new(&[zone(10, 5)]);
        let mut out = Vec::new();
        assert!(!p.pick(&pick(3), |s| s.0 < 12, Vec::new, &mut out));
        p.undo(&out);
        let mut again = Vec::new();
        assert!(p.pick(&pick(2), |_| true, Vec::new, &mut again));
        assert_eq!(again.len(), 2);
        assert!(again.iter().all(|s| out.contains(s)), "the places given back are found again");
    }
}
