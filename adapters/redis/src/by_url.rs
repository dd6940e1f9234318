//! The store a host picks at run time from its configuration: memory, PostgreSQL, or PostgreSQL
//! with holds on Redis. Bindings and services call this instead of each choosing for itself.

use crate::{HybridStore, RedisOptions};
use booking_core::{DynStore, MemoryStore, StoreError, StoreResult};
use booking_postgres::{PgStore, PgStoreOptions};
use std::sync::Arc;

/// Opens the store that the URLs name: none gives the in-memory store; a `postgres://` URL the
/// PostgreSQL store (migrated on connect); both, the hybrid store with holds on Redis
/// (`redis://...` or `redis+cluster://...`). A Redis URL alone is refused: holds on Redis need
/// PostgreSQL for bookings and the log.
///
/// ```
/// # async fn run() -> Result<(), booking_core::StoreError> {
/// let memory = booking_redis::open_store(None, None).await?;
/// let refused = booking_redis::open_store(None, Some("redis://127.0.0.1:6379")).await;
/// assert!(refused.is_err());
/// # Ok(()) }
/// ```
pub async fn open_store(database_url: Option<&str>, redis_url: Option<&str>) -> StoreResult<DynStore> {
    let Some(database_url) = database_url else {
        return match redis_url {
            None => Ok(Arc::new(MemoryStore::new())),
            Some(_) => Err(StoreError::InvalidRequest {
                field: "redis_url".into(),
                reason: "holds on Redis need a database_url too (bookings and the log live there)".into(),
            }),
        };
    };
    let options = PgStoreOptions { migrate_on_connect: true, ..PgStoreOptions::default() };
    let pg = PgStore::connect(database_url, options).await?;
    Ok(match redis_url {
        None => Arc::new(pg),
        Some(url) => Arc::new(HybridStore::connect(pg, url, RedisOptions::default()).await?),
    })
}
