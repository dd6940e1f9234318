//! The core's deterministic simulation on PostgreSQL, through the batchers: a few seeds, up to
//! three customers' calls in flight at once with their store calls interleaved by the seed, every
//! invariant after every step. `BOOKING_SIM_SEEDS`, `BOOKING_SIM_SEED` and `BOOKING_SIM_STEPS`
//! run more, or one.

mod common;

use booking_core::simulation::simulate_seeds;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_keep_every_invariant_on_postgres() {
    let replay = "cargo test -p booking-postgres --test simulation";
    simulate_seeds(replay, 20, 120, || async {
        Arc::new(common::pg_store_with(4).await) as booking_core::DynStore
    })
    .await;
}
