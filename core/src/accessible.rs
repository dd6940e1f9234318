//! Accessible places: a show keeps its wheelchair places and their companion seats for buyers who
//! ask for an accessible place until its release instant ([`crate::Show::accessible_until`]), a
//! set time before the start; then the unsold ones go to general sale. While they are kept, a
//! companion seat goes only with an adjacent wheelchair place, or to a buyer who already has one.

use crate::ids::SeatIdx;
use crate::layout::SeatLayout;
use crate::selection::{SelectionViolation, SelectionViolationKind};

/// How long before its start a show releases its unsold accessible places, unless it says
/// otherwise ([`crate::ScheduleShow::accessible_release_before_ms`]): 48 hours.
pub const ACCESSIBLE_RELEASE_BEFORE_MS_DEFAULT: i64 = 48 * 3_600_000;

/// The longest a show may keep its accessible places before its start: 30 days.
pub const ACCESSIBLE_RELEASE_BEFORE_MS_MAX: i64 = 30 * 86_400_000;

/// Whether a seat is a wheelchair place or a companion seat.
pub(crate) fn is_accessible(layout: &SeatLayout, seat: SeatIdx) -> bool {
    layout.seat(seat).is_some_and(|s| s.flags.is_wheelchair() || s.flags.is_companion())
}

/// The wheelchair places right next to `seat` in its row (no aisle between).
pub fn adjacent_wheelchairs(layout: &SeatLayout, seat: SeatIdx) -> impl Iterator<Item = SeatIdx> + '_ {
    let seats = layout.seats();
    let row = layout.row_of(seat).map(|r| r.seats.clone()).unwrap_or(0..0);
    let at = seats.get(seat.index()).map(|s| s.x);
    [seat.0.checked_sub(1), seat.0.checked_add(1)].into_iter().flatten().filter_map(move |i| {
        let s = seats.get(i as usize)?;
        let beside = row.contains(&i) && at.is_some_and(|x| (s.x - x).abs() == 1);
        (beside && s.flags.is_wheelchair()).then_some(SeatIdx(i))
    })
}

/// The companion seats of a selection without an adjacent wheelchair place in it.
pub(crate) fn lonely_companions<'a>(
    layout: &'a SeatLayout,
    selected: &'a [SeatIdx],
) -> impl Iterator<Item = SeatIdx> + 'a {
    selected.iter().copied().filter(move |c| {
        layout.seat(*c).is_some_and(|s| s.flags.is_companion())
            && !adjacent_wheelchairs(layout, *c).any(|w| selected.contains(&w))
    })
}

/// The accessible places' rules for a selection made while they are kept back.
///
/// `asks`: the buyer asked for an accessible place; without it, a wheelchair place or companion
/// seat in the selection breaks [`SelectionViolationKind::AccessibleOnly`]. With it, each
/// companion seat needs an adjacent wheelchair place in the selection or already the buyer's
/// (`owns`), else [`SelectionViolationKind::CompanionAlone`]. The violation lists the seats.
///
/// ```
/// # use booking_core::{SeatLayout, SelectionViolationKind, check_accessible};
/// let layout = SeatLayout::parse_text("row A: w1 c2 3-4").unwrap();
/// let [w, c] = ["A1", "A2"].map(|l| layout.find(l).unwrap());
/// let mine = |_| false;
/// assert_eq!(check_accessible(&layout, &[w, c], false, mine).unwrap_err().kind, SelectionViolationKind::AccessibleOnly);
/// assert_eq!(check_accessible(&layout, &[c], true, mine).unwrap_err().kind, SelectionViolationKind::CompanionAlone);
/// assert!(check_accessible(&layout, &[w, c], true, mine).is_ok());
/// assert!(check_accessible(&layout, &[c], true, |s| s == w).is_ok());
/// ```
pub fn check_accessible(
    layout: &SeatLayout,
    selected: &[SeatIdx],
    asks: bool,
    owns: impl Fn(SeatIdx) -> bool,
) -> Result<(), SelectionViolation> {
    let mut seats: Vec<SeatIdx> = if asks {
        lonely_companions(layout, selected).filter(|c| !adjacent_wheelchairs(layout, *c).any(&owns)).collect()
    } else {
        selected.iter().copied().filter(|s| is_accessible(layout, *s)).collect()
    };
    if seats.is_empty() {
        return Ok(());
    }
    seats.sort_unstable();
    let kind =
        if asks { SelectionViolationKind::CompanionAlone } else { SelectionViolationKind::AccessibleOnly };
    Err(SelectionViolation { kind, seats })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout_fixtures::{idx, layout};

    #[test]
    fn companions_sit_next_to_a_wheelchair_place_of_their_row_only() {
        let l = layout("row A: c1 w2 c3 _ w4 c5\nrow B: w1 c2");
        let beside = |label: &str| adjacent_wheelchairs(&l, idx(&l, &[label])[0]).collect::<Vec<_>>();
        assert_eq!(beside("A1"), idx(&l, &["A2"]));
        assert_eq!(beside("A3"), idx(&l, &["A2"]), "an aisle parts A3 from A4");
        assert_eq!(beside("A5"), idx(&l, &["A4"]));
        assert_eq!(beside("B1"), Vec::<SeatIdx>::new(), "A5 ends another row; B2 is a companion seat");
        assert_eq!(beside("B2"), idx(&l, &["B1"]));
    }

    #[test]
    fn without_asking_no_accessible_place_and_with_it_no_lonely_companion() {
        let l = layout("row A: c1 w2 c3 _ w4 c5 6-7");
        let nobody = |_| false;
        let Err(refused) = check_accessible(&l, &idx(&l, &["A6", "A3", "A2"]), false, nobody) else {
            panic!("accessible places held without asking");
        };
        assert_eq!(
            (refused.kind, refused.seats),
            (SelectionViolationKind::AccessibleOnly, idx(&l, &["A2", "A3"]))
        );
        assert!(check_accessible(&l, &idx(&l, &["A6", "A7"]), false, nobody).is_ok());
        let Err(alone) = check_accessible(&l, &idx(&l, &["A5", "A3"]), true, nobody) else {
            panic!("companion seats held alone");
        };
        assert_eq!(
            (alone.kind, alone.seats),
            (SelectionViolationKind::CompanionAlone, idx(&l, &["A3", "A5"]))
        );
        assert!(check_accessible(&l, &idx(&l, &["A1", "A2", "A3"]), true, nobody).is_ok());
        let w = idx(&l, &["A2"])[0];
        assert!(
            check_accessible(&l, &idx(&l, &["A3"]), true, |s| s == w).is_ok(),
            "to the wheelchair's holder"
        );
        assert!(check_accessible(&l, &idx(&l, &["A2", "A6"]), true, nobody).is_ok());
    }
}
