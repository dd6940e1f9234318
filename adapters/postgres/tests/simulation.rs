//! The core's deterministic simulation on PostgreSQL: a few seeds, every invariant after every
//! step, through the batchers. `BOOKING_SIM_SEEDS` and `BOOKING_SIM_STEPS` run more.

mod common;

use booking_core::simulation::simulate;
use std::sync::Arc;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_keep_every_invariant_on_postgres() {
    let steps = env("BOOKING_SIM_STEPS", 120) as usize;
    let mut sold = 0;
    for seed in 0..env("BOOKING_SIM_SEEDS", 20) {
        let store = Arc::new(common::pg_store_with(4).await);
        match simulate(store, seed, 6, steps).await {
            Ok(report) => sold += report.sold,
            Err(e) => panic!(
                "seed {seed} broke an invariant on PostgreSQL: {e}\nreplay: BOOKING_SIM_SEEDS={} \
                 BOOKING_SIM_STEPS={steps} cargo test -p booking-postgres --test simulation",
                seed + 1
            ),
        }
    }
    assert!(sold > 0, "no seed sold a seat");
}
