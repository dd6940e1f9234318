//! Selection rules: loveseat pairs all or none, and no orphan seat.

use crate::ids::SeatIdx;
use crate::layout::{Row, SeatLayout};

/// Which rule a selection breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectionViolationKind {
    /// A single free seat would be stranded where a better choice exists.
    OrphanSeat,
    /// Part of a pair group is selected without the rest.
    PairSplit,
    /// A wheelchair place or companion seat, kept for buyers who ask for an accessible place.
    AccessibleOnly,
    /// A companion seat without an adjacent wheelchair place in the selection or the buyer's.
    CompanionAlone,
}

/// A selection that breaks a rule; `seats` are the stranded seats, the missing partners or the
/// accessible places the rule keeps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: seats {seats:?}")]
pub struct SelectionViolation {
    /// The rule.
    pub kind: SelectionViolationKind,
    /// Stranded seats (orphan) or missing partners (pair), by index, sorted.
    pub seats: Vec<SeatIdx>,
}

/// A selection that takes part of a pair group must take all of it.
pub fn check_pairs(layout: &SeatLayout, selected: &[SeatIdx]) -> Result<(), SelectionViolation> {
    let mut missing: Vec<SeatIdx> = selected
        .iter()
        .flat_map(|s| layout.pair_partners(*s))
        .filter(|p| !selected.contains(p))
        .copied()
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(SelectionViolation { kind: SelectionViolationKind::PairSplit, seats: missing })
    }
}

/// The no-orphan rule.
///
/// `is_taken` tells the state *before* the selection (held or booked); blocked seats count as
/// taken. A *run* is a maximal stretch of free, adjacent seats of one row (bounded by taken
/// seats, aisles and row ends). For each run that the selection takes `k` seats from, the free
/// seats it leaves must not include a stretch of exactly one seat, unless every placement of `k`
/// seats in that run would leave one (that is, `run length - k == 1`). General-admission places
/// are exempt. The violation lists the stranded seats.
pub fn check_orphans(
    layout: &SeatLayout,
    selected: &[SeatIdx],
    is_taken: impl Fn(SeatIdx) -> bool,
) -> Result<(), SelectionViolation> {
    let mut stranded = Vec::new();
    runs_before(layout, selected, is_taken, |_, run| check_run(run, selected, &mut stranded));
    if stranded.is_empty() {
        Ok(())
    } else {
        stranded.sort_unstable();
        Err(SelectionViolation { kind: SelectionViolationKind::OrphanSeat, seats: stranded })
    }
}

/// Each run of seats free before the selection (`is_taken` as [`check_orphans`] takes it, the
/// selected seats free, blocked seats taken) in the rows the selection touches, with its row:
/// what the no-orphan verdict and its witness ([`crate::SeatWitness`]) are made of.
pub(crate) fn runs_before(
    layout: &SeatLayout,
    selected: &[SeatIdx],
    is_taken: impl Fn(SeatIdx) -> bool,
    mut f: impl FnMut(&Row, std::ops::Range<u32>),
) {
    let mut rows: Vec<u32> = selected.iter().filter_map(|s| layout.seat(*s)).map(|s| s.row).collect();
    rows.sort_unstable();
    rows.dedup();
    let seats = layout.seats();
    let free_before = |i: u32| {
        let idx = SeatIdx(i);
        !seats[i as usize].flags.is_blocked() && (selected.contains(&idx) || !is_taken(idx))
    };
    for row in rows.iter().filter_map(|r| layout.rows().get(*r as usize)) {
        layout.adjacent_runs(row, &free_before, |run| f(row, run));
    }
}

/// Checks one run of free seats `run` against the selection.
fn check_run(run: std::ops::Range<u32>, selected: &[SeatIdx], stranded: &mut Vec<SeatIdx>) {
    let taken = |i: u32| selected.contains(&SeatIdx(i));
    let k = run.clone().filter(|i| taken(*i)).count() as u32;
    if k == 0 || run.len() as u32 - k == 1 {
        return;
    }
    let mut left = 0u32;
    for i in run.clone() {
        if taken(i) {
            if left == 1 {
                stranded.push(SeatIdx(i - 1));
            }
            left = 0;
        } else {
            left += 1;
        }
    }
    if left == 1 {
        stranded.push(SeatIdx(run.end - 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout_fixtures::{idx, layout};

    #[test]
    fn pairs_are_all_or_none() {
        let l = layout("row A: 1 (2 3) 4");
        assert_eq!(check_pairs(&l, &idx(&l, &["A2"])).map_err(|v| v.seats), Err(idx(&l, &["A3"])));
        assert!(check_pairs(&l, &idx(&l, &["A2", "A3"])).is_ok());
        assert!(check_pairs(&l, &idx(&l, &["A1", "A4"])).is_ok());
    }

    #[test]
    fn orphans_are_refused_only_when_avoidable() {
        let l = layout("row A: 1-6 _ 7-9");
        let none = |_: SeatIdx| false;
        let err = check_orphans(&l, &idx(&l, &["A2"]), none).map_err(|v| v.seats);
        assert_eq!(err, Err(idx(&l, &["A1"])));
        assert!(check_orphans(&l, &idx(&l, &["A1", "A2"]), none).is_ok());
        // A8 against the aisle: run 7-9 leaves A7 and A9 alone.
        assert!(check_orphans(&l, &idx(&l, &["A8"]), none).is_err());
        // A run of 3 taking 2 always leaves one: allowed.
        assert!(check_orphans(&l, &idx(&l, &["A7", "A8"]), none).is_ok());
        // Taken seats bound runs: with A1 taken, A3 strands A2.
        let a1 = idx(&l, &["A1"])[0];
        let taken = |s: SeatIdx| s == a1;
        assert!(check_orphans(&l, &idx(&l, &["A3"]), taken).is_err());
        assert!(check_orphans(&l, &idx(&l, &["A2"]), taken).is_ok());
    }

    /// Brute force: orphan iff the selection leaves a lone free seat in some run where another
    /// placement of the same count would not.
    #[test]
    fn agrees_with_brute_force_on_every_small_row() {
        let l = layout("row A: 1-7");
        for taken_mask in 0u32..128 {
            for sel_mask in 1u32..128 {
                if taken_mask & sel_mask != 0 {
                    continue;
                }
                let taken = |s: SeatIdx| taken_mask & (1 << s.0) != 0;
                let sel: Vec<SeatIdx> = (0..7).filter(|i| sel_mask & (1 << i) != 0).map(SeatIdx).collect();
                let expected = brute(taken_mask, sel_mask);
                assert_eq!(
                    check_orphans(&l, &sel, taken).is_ok(),
                    expected,
                    "taken {taken_mask:07b} sel {sel_mask:07b}"
                );
            }
        }
    }

    fn brute(taken: u32, sel: u32) -> bool {
        let runs = runs(taken);
        runs.iter().all(|&(a, b)| {
            let k = (a..b).filter(|i| sel & (1 << i) != 0).count() as u32;
            let len = b - a;
            k == 0 || len - k == 1 || !has_lone(a, b, taken | sel)
        })
    }

    fn runs(taken: u32) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < 7 {
            if taken & (1 << i) != 0 {
                i += 1;
                continue;
            }
            let a = i;
            while i < 7 && taken & (1 << i) == 0 {
                i += 1;
            }
            out.push((a, i));
        }
        out
    }

    fn has_lone(a: u32, b: u32, occupied: u32) -> bool {
        (a..b).any(|i| {
            occupied & (1 << i) == 0
                && (i == a || occupied & (1 << (i - 1)) != 0)
                && (i + 1 == b || occupied & (1 << (i + 1)) != 0)
        })
    }
}
