//! Conformance checks at the level of the store traits: requests built by hand, as only a caller
//! that bypasses the engine (which refuses them first) can send them, and the answer every store
//! must give them.

use crate::testkit::{fixture, owner};
use crate::*;
use std::sync::Arc;

/// The store's request to place a hold of `seats` (by index) on `show` for `who` at `now`,
/// priced `quote`: for ten minutes, thirty at most, 100 live holds per owner, no demand band and
/// no witness.
pub fn place(show: ShowId, who: &str, seats: &[u32], now: Timestamp, quote: &Arc<Quote>) -> PlaceHold {
    PlaceHold {
        places: Vec::new(),
        show,
        owner: owner(who),
        seats: seats.iter().map(|&s| SeatIdx(s)).collect(),
        now,
        expires_at: now.plus_millis(600_000),
        max_expires_at: now.plus_millis(1_800_000),
        holds_per_owner_max: 100,
        tickets_per_owner_max: None,
        quote: quote.clone(),
        taken_band: None,
        witness: SeatWitness::default(),
    }
}

/// A seat list that names a seat twice is refused by the store itself, whoever calls: the
/// contract's "distinct seats" is enforced in the store's atomic step, with the same
/// `InvalidRequest` from every store, naming the first seat named again (before any seat's
/// availability is looked at), and nothing changes.
pub async fn store_refuses_a_seat_named_twice(store: DynStore) {
    let f = fixture(store).await;
    let seat = |label: &str| {
        let i = f.show.layout.seats().iter().position(|s| s.label.to_string() == label);
        SeatIdx(i.and_then(|i| u32::try_from(i).ok()).unwrap_or_else(|| panic!("no seat {label}")))
    };
    let held = f.hold("bob", &["A1"]).await.unwrap_or_else(|e| panic!("hold: {e}"));
    let before = f.event_count().await;
    let now = f.clock.now();
    let outside = u32::try_from(f.show.layout.seat_count()).unwrap_or(u32::MAX);
    let (a1, a5, a6) = (seat("A1"), seat("A5"), seat("A6"));
    for (seats, twice) in
        [(vec![a5, a5], a5), (vec![a5, a6, a5, SeatIdx(outside)], a5), (vec![a1, a6, a1], a1)]
    {
        let seats: Vec<u32> = seats.iter().map(|s| s.0).collect();
        let req = place(f.show.id, "ann", &seats, now, &held.quote);
        let reason = format!("seat index {} is named twice", twice.0);
        assert_eq!(
            f.engine.store().place_hold(req).await.err(),
            Some(StoreError::InvalidRequest { field: "seats".into(), reason }),
            "{seats:?}"
        );
    }
    assert_eq!(f.event_count().await, before, "a refused hold appended an event");
    for label in ["A5", "A6"] {
        assert_eq!(f.status(label).await, SeatStatus::Available, "a refused hold took {label}");
    }
}
