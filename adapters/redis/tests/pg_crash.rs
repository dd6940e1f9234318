//! PostgreSQL itself crashes mid-rush: a throwaway server of the test's own is killed with
//! SIGKILL (the postmaster and every one of its processes at once) while customers hold, book and
//! pay, then started again on the same data. On the PostgreSQL store and on the hybrid store:
//! - every confirmation that was acknowledged is still confirmed, with its seats;
//! - no seat has two live claims, no booking is half made, the log has no gap and replays;
//! - while the server is down, callers get only the retryable `STORE_UNAVAILABLE`, and the same
//!   store object serves again once the server is back, without a restart of the service;
//! - the acknowledged holds and pending bookings that the crash forgot (they commit without
//!   waiting for the WAL flush, `async_hold_commits`) are counted and printed, with their age at
//!   the crash: the window the crate README states.

mod common;

use booking_core::DynStore;
use booking_postgres::{PgStore, PgStoreOptions};
use booking_redis::HybridStore;
use common::pg::throwaway::ThrowawayPg;
use common::rush::Rush;
use std::sync::Arc;
use std::time::Duration;

/// The rush, the crash, the restart and every check, on the store `open` makes over `pg`.
async fn crash_mid_rush<F, Fut>(name: &str, open: F)
where
    F: FnOnce(PgStore) -> Fut,
    Fut: std::future::Future<Output = DynStore>,
{
    let server = ThrowawayPg::start();
    let options = PgStoreOptions {
        max_connections: 8,
        migrate_on_connect: true,
        acquire_timeout: Duration::from_secs(2),
        ..PgStoreOptions::default()
    };
    let pg = PgStore::connect(&server.url(), options).await.unwrap_or_else(|e| panic!("connect: {e}"));
    let pool = pg.pool().clone();
    let mut rush = Rush::start(name, open(pg).await).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let server = Arc::new(server);
    let s = server.clone();
    tokio::task::spawn_blocking(move || s.crash()).await.unwrap_or_else(|e| panic!("{e}"));
    rush.out();
    // Longer than the pool's acquire timeout, so that waiting calls give up while it is down.
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    let s = server.clone();
    tokio::task::spawn_blocking(move || s.restart()).await.unwrap_or_else(|e| panic!("{e}"));
    rush.back();
    rush.finish(&pool).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_store_survives_a_postgres_crash() {
    crash_mid_rush("postgres", |pg| async move { Arc::new(pg) as DynStore }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hybrid_store_survives_a_postgres_crash() {
    crash_mid_rush("hybrid", |pg| async move {
        let url = common::redis_url();
        let store = HybridStore::connect(pg, &url, common::fresh_options())
            .await
            .unwrap_or_else(|e| panic!("cannot reach redis at {url}: {e}"));
        Arc::new(store) as DynStore
    })
    .await;
}
