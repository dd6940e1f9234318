//! The core's store conformance suite on PostgreSQL with batching off: every request alone.

mod common;

use booking_postgres::{PgStore, PgStoreOptions};
use std::sync::Arc;

async fn store() -> booking_core::DynStore {
    let schema = common::fresh_schema();
    common::create_schema(&schema).await;
    let options = PgStoreOptions {
        migrate_on_connect: true,
        schema: Some(schema),
        batch_lanes: 0,
        async_hold_commits: false,
        ..PgStoreOptions::default()
    };
    Arc::new(PgStore::connect(&common::database_url(), options).await.unwrap_or_else(|e| panic!("{e}")))
}

booking_core::store_conformance_tests!(store().await);
