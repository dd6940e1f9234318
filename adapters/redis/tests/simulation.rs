//! The core's deterministic simulation on the hybrid store (holds on Redis, bookings and the log
//! on PostgreSQL), on one Redis server and on the Redis Cluster: up to three customers' calls in
//! flight at once with their store calls interleaved by the seed, every invariant after every
//! step. `BOOKING_SIM_SEEDS`, `BOOKING_SIM_SEED` and `BOOKING_SIM_STEPS` run more, or one. And the
//! core's model-based property test on both.

mod common;

use booking_core::simulation::simulate_seeds;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_keep_every_invariant_on_the_hybrid_store() {
    let replay =
        "cargo test -p booking-redis --test simulation seeds_keep_every_invariant_on_the_hybrid_store";
    simulate_seeds(replay, 12, 120, common::store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_keep_every_invariant_on_the_redis_cluster() {
    let replay =
        "cargo test -p booking-redis --test simulation seeds_keep_every_invariant_on_the_redis_cluster";
    simulate_seeds(replay, 12, 120, common::cluster_store).await;
}

/// The core's model test on the hybrid store, on one Redis server.
mod model_on_redis {
    booking_core::model_tests!(8, super::common::store().await);
}

/// The core's model test on the hybrid store, on the Redis Cluster.
mod model_on_the_cluster {
    booking_core::model_tests!(8, super::common::cluster_store().await);
}
