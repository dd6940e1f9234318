//! Demand-priced holds on a store that counts the seats taken as it places
//! ([`InventoryStore::counts_taken_at_place`]). The engine prices from the count it last saw on
//! the show and sends the range of counts for which that price is right; the store checks the
//! count in the same atomic step as it places, and answers with the count when it is out of the
//! range, for the engine to price again. A hold then costs one call to the store, not a count
//! and then a placement, and its price is still the one the count at placement gives.
//!
//! [`InventoryStore::counts_taken_at_place`]: crate::InventoryStore::counts_taken_at_place

use crate::PricingPolicy;
use crate::engine::BookingEngine;
use crate::engine_sell::{HoldRequest, Selection, store_error};
use crate::error::BookingError;
use crate::hold::Hold;
use crate::ids::{SeatIdx, ShowId};
use crate::places::ZonePick;
use crate::show::Show;
use crate::store_error::StoreError;
use crate::time::Timestamp;
use dashmap::DashMap;
use std::sync::Arc;

/// Shows whose last count is remembered, at most; past that the memory starts again empty.
const SHOWS_MAX: usize = 10_000;
/// Placements tried in all, each priced with the count the store gave back, before giving up.
const ATTEMPTS: usize = 3;

/// The count of seats taken last seen on each show: a guess, which the store checks. Clones of
/// an engine share it.
#[derive(Debug, Default, Clone)]
pub(crate) struct DemandHints(Arc<DashMap<ShowId, u32>>);

impl DemandHints {
    fn get(&self, show: ShowId) -> Option<u32> {
        self.0.get(&show).map(|t| *t)
    }

    fn remember(&self, show: ShowId, taken: u32) {
        if self.0.len() >= SHOWS_MAX && !self.0.contains_key(&show) {
            self.0.clear();
        }
        self.0.insert(show, taken);
    }
}

impl BookingEngine {
    /// Places a demand-priced hold of `seats` (resolved from `req`) on a store that counts the
    /// seats taken as it places.
    pub(crate) async fn place_at_demand(
        &self,
        show: &Show,
        req: HoldRequest,
        seats: Vec<SeatIdx>,
        picks: Vec<ZonePick>,
        now: Timestamp,
    ) -> Result<Hold, BookingError> {
        let sellable = sellable(show);
        let mut taken = match self.demand.get(show.id) {
            Some(t) => t,
            None => self.store.seats_taken(show.id, now).await?,
        };
        let places = picks.iter().map(|p| p.quantity as usize).sum();
        let mut seats = Some(seats);
        for _ in 0..ATTEMPTS {
            // Resolved again only after a refusal took them with its request.
            let seats = match seats.take() {
                Some(s) => s,
                None => self.resolve_seats(show, &req.seats, places)?,
            };
            let promo = req.promo_code.as_deref();
            let occupancy = share_of(u64::from(taken), sellable);
            let sel = Selection { choices: &req.seats, seats: &seats, places: &req.places, picks: &picks };
            let quote = self.quote_at(show, &sel, promo, now, occupancy)?;
            let band = Some(taken_band(&show.pricing, taken, sellable));
            let place = self.place_request(show, req.owner.clone(), (seats, picks.clone()), now, quote, band);
            match self.store.place_hold(place).await {
                Err(StoreError::Repriced { taken: counted }) => {
                    taken = counted;
                    self.demand.remember(show.id, taken);
                }
                Ok(hold) => {
                    // The count this engine will see next, unless others change the show first.
                    let after = u32::try_from(hold.seats.len()).map_or(u32::MAX, |n| taken.saturating_add(n));
                    self.demand.remember(show.id, after);
                    return Ok(hold);
                }
                Err(e) => return Err(store_error(show, e)),
            }
        }
        Err(StoreError::Repriced { taken }.into())
    }
}

/// Seats of the show that may be sold: those its layout does not block.
pub(crate) fn sellable(show: &Show) -> u64 {
    show.layout.seats().iter().filter(|s| !s.flags.is_blocked()).count() as u64
}

/// `taken` seats as a share of `sellable` ones, in basis points. A blocked seat is never held,
/// so a store's count of taken seats is a count of sellable ones.
pub(crate) fn share_of(taken: u64, sellable: u64) -> u32 {
    (taken.min(sellable) * 10_000).checked_div(sellable).map_or(0, |bp| u32::try_from(bp).unwrap_or(10_000))
}

/// The counts of seats taken, `lo..=hi`, that price as `taken` does under `policy`.
pub(crate) fn taken_band(policy: &PricingPolicy, taken: u32, sellable: u64) -> (u32, u32) {
    let (lo_bp, hi_bp) = policy.demand_band(share_of(u64::from(taken), sellable));
    // The share grows with the count: the first count at `bp` or above, by halving; one past
    // the sellable seats when no count reaches it.
    let first_at = |bp: u32| {
        let (mut a, mut b) = (0u64, sellable + 1);
        while a < b {
            let m = (a + b) / 2;
            if share_of(m, sellable) >= bp { b = m } else { a = m + 1 }
        }
        a
    };
    let lo = u32::try_from(first_at(lo_bp)).unwrap_or(u32::MAX);
    let hi = match hi_bp {
        u32::MAX => u32::MAX,
        bp => match first_at(bp) {
            past if past > sellable => u32::MAX,
            first => u32::try_from(first - 1).unwrap_or(u32::MAX),
        },
    };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Adjustment, Currency, DemandTier};

    fn tiered(thresholds: &[u32]) -> PricingPolicy {
        let mut rules = PricingPolicy::simple(Currency::EUR, &[("standard", 1_000)]).rules().clone();
        rules.demand_tiers = thresholds
            .iter()
            .map(|&bp| DemandTier {
                min_occupancy_bp: bp,
                categories: Vec::new(),
                adjustment: Adjustment::Percent { bp: 1_000 },
            })
            .collect();
        PricingPolicy::new(rules).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_band_holds_every_count_that_prices_alike_and_no_other() {
        let policy = tiered(&[5_000, 8_000]);
        for sellable in [0u64, 1, 3, 7, 100, 299, 300, 1_001] {
            for taken in 0..=(sellable as u32 + 2) {
                let (lo, hi) = taken_band(&policy, taken, sellable);
                assert!(lo <= taken && taken <= hi, "{taken} of {sellable}: band {lo}..={hi}");
                let tier = |t: u32| policy.demand_band(share_of(u64::from(t), sellable));
                for t in 0..=(sellable as u32 + 2) {
                    let inside = lo <= t && t <= hi;
                    assert_eq!(
                        inside,
                        tier(t) == tier(taken),
                        "{t} against {taken} of {sellable}: {lo}..={hi}"
                    );
                }
            }
        }
    }

    #[test]
    fn without_tiers_every_count_prices_alike() {
        assert_eq!(taken_band(&tiered(&[]), 42, 300), (0, u32::MAX));
        assert_eq!(taken_band(&tiered(&[0]), 0, 300), (0, u32::MAX));
    }

    #[test]
    fn hints_stay_bounded() {
        let hints = DemandHints::default();
        for show in 0..(SHOWS_MAX as u64 + 10) {
            hints.remember(ShowId(show), 1);
        }
        assert!(hints.0.len() <= SHOWS_MAX);
        assert_eq!(hints.get(ShowId(SHOWS_MAX as u64 + 9)), Some(1));
    }
}
