//! The store contract's seat list (`PlaceHold::seats`: distinct seats of the layout) is kept by
//! each store itself, whoever calls: requests built by hand (the engine refuses them first) get
//! the same answer from the memory store, the PostgreSQL store and the hybrid store.

mod common;

use booking_core::testkit::fixture;
use booking_core::*;
use std::sync::Arc;

/// Every answer `store` gives to a series of seat lists on one show, in order (a hold placed
/// stays, so later lists meet its seats), then the seats' statuses.
async fn answers(store: DynStore) -> Vec<String> {
    let f = fixture(store).await;
    let seat = |label: &str| {
        let i = f.show.layout.seats().iter().position(|s| s.label.to_string() == label);
        SeatIdx(i.and_then(|i| u32::try_from(i).ok()).unwrap_or_else(|| panic!("no seat {label}")))
    };
    let held = f.hold("bob", &["A1"]).await.unwrap_or_else(|e| panic!("{e}"));
    let outside = SeatIdx(u32::try_from(f.show.layout.seat_count()).unwrap_or(u32::MAX));
    let (a1, a5, a6, c7) = (seat("A1"), seat("A5"), seat("A6"), seat("C7"));
    // Longer than a hold's usual few seats (the scripts look for repeats another way past 16).
    let labels = (1..=10).map(|n| format!("A{n}")).chain((1..=8).map(|n| format!("B{n}")));
    let long: Vec<SeatIdx> = labels.map(|l| seat(&l)).collect();
    let long_twice: Vec<SeatIdx> = long.iter().copied().chain([seat("A3")]).collect();
    let lists = [
        long_twice,
        long,
        vec![a5, a5],
        vec![a5, a6, a5],
        vec![a5, a6, a6, a5],
        vec![a5, outside, a5],
        vec![a5, a5, outside],
        vec![outside, outside],
        vec![a1, a1],
        vec![a1, a5],
        vec![c7, c7],
        vec![c7],
        vec![a5, a6],
        vec![a5, a6],
        vec![a6, a6],
    ];
    let now = f.clock.now();
    let mut out = Vec::new();
    for seats in lists {
        let indices: Vec<u32> = seats.iter().map(|s| s.0).collect();
        let req = testkit::place(f.show.id, "ann", &indices, now, &held.quote);
        out.push(match f.engine.store().place_hold(req).await {
            Ok(h) => format!("{seats:?}: ok {:?}", h.seats),
            Err(e) => format!("{seats:?}: {} {}", e.refusal_code(), e.refusal_details()),
        });
    }
    for label in ["A1", "A5", "A6", "C7"] {
        out.push(format!("{label}: {:?}", f.status(label).await));
    }
    f.assert_log_replays().await;
    out
}

#[tokio::test]
async fn memory_postgresql_and_hybrid_stores_answer_seat_lists_alike() {
    let memory = answers(Arc::new(MemoryStore::new())).await;
    let postgres = answers(Arc::new(common::pg::pg_store_with(4).await)).await;
    let hybrid = answers(common::store().await).await;
    assert_eq!(postgres, memory, "PostgreSQL against memory");
    assert_eq!(hybrid, memory, "hybrid against memory");
    // The lists meet every answer: a seat named twice (the rule this holds the stores to), one
    // outside the layout, one taken, and a hold placed.
    for answer in ["is named twice", "is outside the layout", "seat_unavailable", ": ok "] {
        assert!(memory.iter().any(|a| a.contains(answer)), "no {answer:?} in {memory:#?}");
    }
}
