//! Best-available: the best `n` free seats, centre-weighted, side by side where possible.

use crate::ids::SeatIdx;
use crate::layout::{Seat, SeatLayout};

/// What best-available may pick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BestFilter {
    /// Only seats of this category id.
    pub category: Option<u16>,
    /// Only places of this general-admission zone id (any free places, lowest first).
    pub zone: Option<u32>,
    /// Include wheelchair and companion places (excluded by default: they are for those who ask).
    pub accessible: bool,
    /// With `accessible`, leave companion seats out all the same.
    pub no_companions: bool,
}

/// Cost added to a block that would strand a single seat, so such blocks lose to any other.
const ORPHAN_PENALTY: u64 = 1 << 40;

/// The best `n` free seats, or `None` if there are not enough.
///
/// Prefers one block of `n` adjacent seats in one row with the lowest total [`Seat::score`]
/// (centre of the section, two thirds back), never splitting a pair group, and any block that
/// strands no single seat over one that does. Without such a block, takes the `n` best seats
/// one by one (whole pair groups only). With `accessible`, never a companion seat without the
/// wheelchair place beside it ([`crate::check_accessible`]): such a pick is made again without
/// companion seats. Deterministic: ties go to the lower index.
pub fn best_available(
    layout: &SeatLayout,
    n: usize,
    filter: &BestFilter,
    is_free: impl Fn(SeatIdx) -> bool,
) -> Option<Vec<SeatIdx>> {
    let picked = pick(layout, n, filter, &is_free);
    let lonely = |p: &Vec<SeatIdx>| crate::check_accessible(layout, p, true, |_| false).is_err();
    if filter.accessible && !filter.no_companions && picked.as_ref().is_some_and(lonely) {
        return pick(layout, n, &BestFilter { no_companions: true, ..*filter }, &is_free);
    }
    picked
}

fn pick(
    layout: &SeatLayout,
    n: usize,
    filter: &BestFilter,
    is_free: impl Fn(SeatIdx) -> bool,
) -> Option<Vec<SeatIdx>> {
    if n == 0 {
        return None;
    }
    if let Some(zone) = filter.zone {
        let z = layout.zones().get(zone as usize)?;
        let picked: Vec<SeatIdx> = z.seats.clone().map(SeatIdx).filter(|s| is_free(*s)).take(n).collect();
        return (picked.len() == n).then_some(picked);
    }
    let seats = layout.seats();
    let eligible = |i: u32| {
        let s = &seats[i as usize];
        !s.flags.is_blocked()
            && !s.flags.is_general_admission()
            && filter.category.is_none_or(|c| c == s.category)
            && (filter.accessible || !(s.flags.is_wheelchair() || s.flags.is_companion()))
            && !(filter.no_companions && s.flags.is_companion())
            && is_free(SeatIdx(i))
    };
    let mut best: Option<(u64, u32)> = None;
    for row in layout.rows() {
        layout
            .adjacent_runs(row, &eligible, |run| best_in_run(seats, run.start, run.end, n as u32, &mut best));
    }
    match best {
        Some((_, start)) => Some((start..start + n as u32).map(SeatIdx).collect()),
        None => one_by_one(layout, n, &eligible),
    }
}

/// Slides a window of `n` over the run `[start, end)` keeping the cheapest valid block.
fn best_in_run(seats: &[Seat], start: u32, end: u32, n: u32, best: &mut Option<(u64, u32)>) {
    if end - start < n {
        return;
    }
    let score = |i: u32| u64::from(seats[i as usize].score);
    let mut sum: u64 = (start..start + n).map(score).sum();
    for w in start..=end - n {
        if w > start {
            sum = sum - score(w - 1) + score(w + n - 1);
        }
        if splits_pair(seats, w, w + n) {
            continue;
        }
        let (left, right) = (w - start, end - (w + n));
        let strands = (left == 1 || right == 1) && (end - start - n) != 1;
        let cost = sum + if strands { ORPHAN_PENALTY } else { 0 };
        if best.is_none_or(|(c, _)| cost < c) {
            *best = Some((cost, w));
        }
    }
}

/// Whether the block `[a, b)` cuts through a pair group (pairs are adjacent in one row).
fn splits_pair(seats: &[Seat], a: u32, b: u32) -> bool {
    let group = |i: u32| seats.get(i as usize).and_then(|s| s.pair_group);
    let edge = |inside: u32, outside: u32| group(inside).is_some() && group(inside) == group(outside);
    (a > 0 && edge(a, a - 1)) || edge(b - 1, b)
}

/// The `n` best eligible seats taken singly, adding pair groups whole.
fn one_by_one(layout: &SeatLayout, n: usize, eligible: &dyn Fn(u32) -> bool) -> Option<Vec<SeatIdx>> {
    let seats = layout.seats();
    let mut candidates: Vec<u32> = (0..seats.len() as u32).filter(|i| eligible(*i)).collect();
    candidates.sort_by_key(|i| (seats[*i as usize].score, *i));
    let mut picked: Vec<SeatIdx> = Vec::with_capacity(n);
    for i in candidates {
        let idx = SeatIdx(i);
        if picked.contains(&idx) {
            continue;
        }
        let group = layout.pair_partners(idx);
        let unit: &[SeatIdx] = if group.is_empty() { std::slice::from_ref(&idx) } else { group };
        if picked.len() + unit.len() <= n && unit.iter().all(|s| eligible(s.0)) {
            picked.extend_from_slice(unit);
        }
        if picked.len() == n {
            picked.sort_unstable();
            return Some(picked);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout_fixtures::layout;

    fn labels(l: &SeatLayout, picked: Option<Vec<SeatIdx>>) -> Vec<String> {
        picked.unwrap_or_default().iter().map(|s| l.seats()[s.index()].label.to_string()).collect()
    }

    #[test]
    fn picks_a_centred_block_two_thirds_back() {
        let l = layout("row A: 1-9\nrow B: 1-9\nrow C: 1-9\nrow D: 1-9");
        let got = labels(&l, best_available(&l, 3, &BestFilter::default(), |_| true));
        assert_eq!(got, ["C4", "C5", "C6"]);
    }

    #[test]
    fn respects_taken_seats_pairs_orphans_and_filters() {
        let l = layout("row A: 1-3 (4 5) 6-8\nrow B: w1 c2 3-5@vip");
        let a = |s: &str| l.find(s).unwrap_or_else(|| panic!("{s}"));
        let taken = [a("A3")];
        let free = |s: SeatIdx| !taken.contains(&s);
        let got = best_available(&l, 2, &BestFilter::default(), free).unwrap_or_default();
        assert!(got.iter().all(|s| free(*s)));
        for s in &got {
            assert!(l.pair_partners(*s).iter().all(|p| got.contains(p)), "split pair");
        }
        let vip = l.category_id("vip");
        let f = BestFilter { category: vip, ..Default::default() };
        assert_eq!(labels(&l, best_available(&l, 3, &f, |_| true)), ["B3", "B4", "B5"]);
        assert_eq!(best_available(&l, 4, &f, |_| true), None);
        let acc = BestFilter { accessible: true, ..Default::default() };
        assert_eq!(best_available(&l, 13, &acc, |_| true).map(|v| v.len()), Some(13));
        assert_eq!(best_available(&l, 13, &BestFilter::default(), |_| true), None);
        assert_eq!(best_available(&l, 0, &BestFilter::default(), |_| true), None);
    }

    #[test]
    fn falls_back_to_single_seats_and_serves_zones() {
        let l = layout("row A: 1 _ 2 _ 3\nzone Floor capacity=5 category=ga");
        let got = labels(&l, best_available(&l, 2, &BestFilter::default(), |_| true));
        assert_eq!(got.len(), 2);
        let zone = BestFilter { zone: l.zone_id("Floor"), ..Default::default() };
        let first = l.find("Floor-1");
        let got = best_available(&l, 2, &zone, |s| Some(s) != first);
        assert_eq!(labels(&l, got), ["Floor-2", "Floor-3"]);
    }
}
