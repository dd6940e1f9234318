//! The core's deterministic simulation on PostgreSQL, through the batchers: a few seeds, up to
//! three customers' calls in flight at once with their store calls interleaved by the seed, every
//! invariant after every step. `BOOKING_SIM_SEEDS`, `BOOKING_SIM_SEED` and `BOOKING_SIM_STEPS`
//! run more, or one. And the core's model-based property test.

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

/// The core's model test on PostgreSQL: fewer cases than on memory, each on a fresh schema.
mod model {
    use super::common;
    use std::sync::Arc;

    booking_core::model_tests!(12, Arc::new(common::pg_store_with(4).await) as booking_core::DynStore);
}
