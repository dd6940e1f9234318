//! A fresh schema of the test database for every store, so tests and runs never see each other.
//!
//! The database comes from `BOOKING_TEST_DATABASE_URL` (`./scripts/services` starts a throwaway
//! server when none is running). A test that cannot reach it fails: it is never skipped.

#![allow(dead_code)]

use booking_core::DynStore;
use booking_postgres::{PgStore, PgStoreOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// The test database's URL.
pub fn database_url() -> String {
    std::env::var("BOOKING_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A schema name no other test or run uses.
pub fn fresh_schema() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("bc_test_{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), nanos)
}

/// Creates `schema` in the test database.
pub async fn create_schema(schema: &str) {
    let url = database_url();
    let pool = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| {
        panic!("cannot reach the test database at {url} (BOOKING_TEST_DATABASE_URL): {e}")
    });
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("create schema {schema}: {e}"));
    pool.close().await;
}

/// A migrated store on a fresh schema.
pub async fn pg_store_with(max_connections: u32) -> PgStore {
    let schema = fresh_schema();
    create_schema(&schema).await;
    let options = PgStoreOptions {
        max_connections,
        migrate_on_connect: true,
        schema: Some(schema),
        ..PgStoreOptions::default()
    };
    PgStore::connect(&database_url(), options).await.unwrap_or_else(|e| panic!("connect: {e}"))
}

/// A migrated store on a fresh schema that sends every request alone, on its own connection.
pub async fn pg_store_unbatched(max_connections: u32) -> PgStore {
    let schema = fresh_schema();
    create_schema(&schema).await;
    let options = PgStoreOptions {
        max_connections,
        migrate_on_connect: true,
        schema: Some(schema),
        batch_lanes: 0,
        ..PgStoreOptions::default()
    };
    PgStore::connect(&database_url(), options).await.unwrap_or_else(|e| panic!("connect: {e}"))
}

/// A migrated store on a fresh schema, as the conformance suite takes it.
pub async fn store() -> DynStore {
    Arc::new(pg_store_with(8).await)
}
