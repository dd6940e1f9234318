//! The seats a selection rule's verdict rests on, so that a store can check, inside the atomic
//! step that places a hold, that they are still as the engine saw them.
//!
//! The no-orphan rule reads the seats around a selection. The engine reads them, then the store
//! places the hold: without a check at the store, two holds checked at the same moment could
//! together strand a seat that neither strands alone. The rule stays in core
//! ([`crate::check_orphans`]); a store only compares seat states with this witness, a generic
//! precondition, and refuses with [`crate::StoreError::SeatsChanged`] when one differs.

use crate::ids::SeatIdx;
use crate::layout::{Row, SeatLayout};
use std::ops::Range;

/// The state, at the engine's `now`, of the seats that the no-orphan verdict on a selection
/// depends on: every free seat of each run of free seats the selection takes from, and the
/// taken seats that end those runs (a run bounded by an aisle, a row end or a blocked seat has
/// no seat there). Empty when no rule needs the seats around the selection.
///
/// ```
/// # use booking_core::{SeatIdx, SeatLayout, SeatWitness};
/// let layout = SeatLayout::parse_text("layout \"L\"\nsection S category=c\nrow A: 1-6\n").unwrap();
/// // A1 and A5 are taken; A3 is selected: its run is A2..A4, ended by A1 and A5.
/// let taken = |s: SeatIdx| s == SeatIdx(0) || s == SeatIdx(4);
/// let w = SeatWitness::around(&layout, &[SeatIdx(2)], taken);
/// assert_eq!(w.free, vec![SeatIdx(1), SeatIdx(3)]);
/// assert_eq!(w.taken, vec![SeatIdx(0), SeatIdx(4)]);
/// assert_eq!(w.changed(|s| taken(s) || s == SeatIdx(1)), vec![SeatIdx(1)]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeatWitness {
    /// Seats that were free (not held, not booked, not blocked), sorted.
    pub free: Vec<SeatIdx>,
    /// Seats that were taken (held or booked), sorted.
    pub taken: Vec<SeatIdx>,
}

impl SeatWitness {
    /// The witness of `selected` when `is_taken` tells each seat's state before the selection
    /// (as [`crate::check_orphans`] takes it). General-admission places have none.
    pub fn around(
        layout: &SeatLayout,
        selected: &[SeatIdx],
        is_taken: impl Fn(SeatIdx) -> bool,
    ) -> SeatWitness {
        let mut out = SeatWitness::default();
        crate::selection::runs_before(layout, selected, is_taken, |row, run| {
            if run.clone().any(|i| selected.contains(&SeatIdx(i))) {
                out.add_run(layout, row, run, selected);
            }
        });
        out.free.sort_unstable();
        out.taken.sort_unstable();
        out.taken.dedup();
        out
    }

    fn add_run(&mut self, layout: &SeatLayout, row: &Row, run: Range<u32>, selected: &[SeatIdx]) {
        self.free.extend(run.clone().map(SeatIdx).filter(|s| !selected.contains(s)));
        let seats = layout.seats();
        let next_to = |a: u32, b: u32| {
            let (sa, sb) = (&seats[a as usize], &seats[b as usize]);
            sb.x - sa.x == 1 && !sb.flags.is_blocked()
        };
        if run.start > row.seats.start && next_to(run.start - 1, run.start) {
            self.taken.push(SeatIdx(run.start - 1));
        }
        if run.end < row.seats.end && next_to(run.end - 1, run.end) {
            self.taken.push(SeatIdx(run.end));
        }
    }

    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.free.is_empty() && self.taken.is_empty()
    }

    /// The seats whose state is no longer what the witness says, by `is_taken` now, sorted.
    pub fn changed(&self, is_taken: impl Fn(SeatIdx) -> bool) -> Vec<SeatIdx> {
        let mut out: Vec<SeatIdx> = self
            .free
            .iter()
            .filter(|s| is_taken(**s))
            .chain(self.taken.iter().filter(|s| !is_taken(**s)))
            .copied()
            .collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check_orphans;
    use crate::layout_fixtures::layout;
    use proptest::prelude::*;

    const ROWS: &str = "layout \"L\"\nsection S category=c\nrow A: 1-8\nrow B: 1-3 _ 4-6 x7 8\n";

    #[test]
    fn a_run_ended_by_an_aisle_or_a_blocked_seat_has_no_taken_seat_there() {
        let l = layout(ROWS);
        let b = |n: u32| SeatIdx(8 + n - 1);
        // B5 selected, nothing taken: its run is B4..B6 (aisle before B4, blocked B7 after B6).
        let w = SeatWitness::around(&l, &[b(5)], |_| false);
        assert_eq!(w, SeatWitness { free: vec![b(4), b(6)], taken: vec![] });
        assert!(SeatWitness::around(&l, &[], |_| false).is_empty());
    }

    #[test]
    fn seats_beyond_the_ending_taken_seat_are_not_witnesses() {
        let l = layout(ROWS);
        let taken = |s: SeatIdx| s == SeatIdx(2);
        let w = SeatWitness::around(&l, &[SeatIdx(0)], taken);
        assert_eq!(w, SeatWitness { free: vec![SeatIdx(1)], taken: vec![SeatIdx(2)] });
    }

    proptest! {
        /// The point of the witness: while every witness seat keeps its state, the no-orphan
        /// verdict on the selection cannot change, whatever happens to the other seats.
        #[test]
        fn the_verdict_rests_on_the_witness_alone(
            before in proptest::collection::vec(any::<bool>(), 16),
            after in proptest::collection::vec(any::<bool>(), 16),
            picks in proptest::collection::vec(0u32..16, 1..4),
        ) {
            let l = layout(ROWS);
            let mut selected: Vec<SeatIdx> = picks.into_iter().map(SeatIdx).collect();
            selected.sort_unstable();
            selected.dedup();
            let taken_before = |s: SeatIdx| before[s.index()] && !selected.contains(&s);
            prop_assume!(selected.iter().all(|s| !before[s.index()] && !l.seats()[s.index()].flags.is_blocked()));
            let w = SeatWitness::around(&l, &selected, taken_before);
            // Any later state that agrees with the witness on its seats.
            let taken_after = |s: SeatIdx| {
                if w.free.contains(&s) { false } else if w.taken.contains(&s) { true } else {
                    after[s.index()] && !selected.contains(&s)
                }
            };
            prop_assert!(w.changed(taken_after).is_empty());
            prop_assert_eq!(
                check_orphans(&l, &selected, taken_before),
                check_orphans(&l, &selected, taken_after)
            );
        }
    }
}
