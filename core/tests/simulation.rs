//! Deterministic simulation on the memory store: many seeds, every invariant after every step.
//!
//! `BOOKING_SIM_SEEDS=N` runs N seeds (default 3,000), `BOOKING_SIM_SEED=S` replays seed S alone,
//! `BOOKING_SIM_STEPS=K` sets the steps per seed (default 200).

use booking_core::simulation::simulate;
use booking_core::{DynStore, MemoryStore};
use std::sync::Arc;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test]
async fn every_seed_keeps_every_invariant() {
    let steps = env("BOOKING_SIM_STEPS", 200) as usize;
    let seeds: Vec<u64> = match std::env::var("BOOKING_SIM_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => (0..env("BOOKING_SIM_SEEDS", 3_000)).collect(),
    };
    let (mut sold, mut refused) = (0, 0);
    for seed in seeds {
        let store: DynStore = Arc::new(MemoryStore::new());
        match simulate(store, seed, 6, steps).await {
            Ok(report) => {
                sold += report.sold;
                refused += report.refused;
            }
            Err(e) => panic!(
                "seed {seed} broke an invariant: {e}\nreplay: BOOKING_SIM_SEED={seed} BOOKING_SIM_STEPS={steps} \
                 cargo test -p booking-core --test simulation"
            ),
        }
    }
    // The runs did sell seats and did meet refusals: they exercised the paths they claim to.
    assert!(sold > 0 && refused > 0, "sold {sold}, refused {refused}");
}

#[tokio::test]
async fn a_seed_replays_the_same_run() {
    let run = |seed| async move { simulate(Arc::new(MemoryStore::new()), seed, 6, 300).await };
    let (a, b) = (run(42).await, run(42).await);
    assert!(a.is_ok(), "{a:?}");
    assert_eq!(a, b);
    assert_ne!(run(43).await, a, "another seed makes another run");
}
