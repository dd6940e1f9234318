//! Hybrid stores for the tests: a fresh PostgreSQL schema (the PostgreSQL tests' helpers) and a
//! fresh Redis key prefix per store, so tests and runs never see each other's keys.
//!
//! Redis comes from `BOOKING_TEST_REDIS_URL`, the cluster from `BOOKING_TEST_REDIS_CLUSTER_URL`
//! (`./scripts/services up` provides both). A test that cannot reach them fails: never skipped.

#![allow(dead_code)]

#[path = "../../../postgres/tests/common/mod.rs"]
pub mod pg;
pub mod rush;
pub mod throwaway_cluster;

use booking_core::DynStore;
use booking_redis::{HybridStore, RedisOptions};
use std::sync::Arc;

/// The test Redis server's URL.
pub fn redis_url() -> String {
    std::env::var("BOOKING_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_string())
}

/// The test Redis Cluster (`redis+cluster://host:port,...`).
pub fn cluster_url() -> String {
    std::env::var("BOOKING_TEST_REDIS_CLUSTER_URL").unwrap_or_else(|_| {
        panic!("BOOKING_TEST_REDIS_CLUSTER_URL is not set: start a cluster with ./scripts/services up")
    })
}

/// Options with a key prefix no other store uses.
pub fn fresh_options() -> RedisOptions {
    RedisOptions { key_prefix: format!("bct:{}:", pg::fresh_schema()), ..RedisOptions::default() }
}

/// A hybrid store on Redis at `url` and a fresh PostgreSQL schema.
pub async fn hybrid(url: &str, max_connections: u32) -> HybridStore {
    let pg = pg::pg_store_with(max_connections).await;
    HybridStore::connect(pg, url, fresh_options())
        .await
        .unwrap_or_else(|e| panic!("cannot reach redis at {url}: {e}"))
}

/// A hybrid store on the test Redis server with fresh options, and its key prefix (under which
/// the store adds its database's name).
pub async fn hybrid_with_prefix() -> (DynStore, String) {
    let options = fresh_options();
    let prefix = options.key_prefix.clone();
    let pg = pg::pg_store_with(8).await;
    let store = HybridStore::connect(pg, &redis_url(), options)
        .await
        .unwrap_or_else(|e| panic!("cannot reach redis: {e}"));
    (Arc::new(store), prefix)
}

/// A hybrid store on the test Redis server, as the conformance suite takes it.
pub async fn store() -> DynStore {
    Arc::new(hybrid(&redis_url(), 8).await)
}

/// A hybrid store on the test Redis Cluster.
pub async fn cluster_store() -> DynStore {
    Arc::new(hybrid(&cluster_url(), 8).await)
}
