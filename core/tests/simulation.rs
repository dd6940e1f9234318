//! Deterministic simulation on the memory store: many seeds, up to three customers' calls in
//! flight at once with their store calls interleaved by the seed, every invariant after every
//! step. `BOOKING_SIM_SEEDS=N` runs N seeds (default 1,000), `BOOKING_SIM_SEED=S` replays seed S
//! alone, `BOOKING_SIM_STEPS=K` sets the steps per seed (default 200).

use booking_core::MemoryStore;
use booking_core::simulation::{simulate, simulate_seeds};
use std::sync::Arc;

#[tokio::test]
async fn every_seed_keeps_every_invariant() {
    let replay = "cargo test -p booking-core --test simulation every_seed";
    simulate_seeds(replay, 1_000, 200, || async { Arc::new(MemoryStore::new()) as booking_core::DynStore })
        .await;
}

#[tokio::test]
async fn a_seed_replays_the_same_run() {
    let run = |seed| async move { simulate(Arc::new(MemoryStore::new()), seed, 6, 300).await };
    let (a, b) = (run(42).await, run(42).await);
    assert!(a.is_ok(), "{a:?}");
    assert_eq!(a, b);
    assert_ne!(run(43).await, a, "another seed makes another run");
}
