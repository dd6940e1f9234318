//! Which store an engine runs on, chosen at run time by URL.
//!
//! No URL (or `memory:`) is the in-memory store; `postgres://` and `postgresql://` are
//! PostgreSQL, migrated on connect, optionally in a schema of its own (created when missing),
//! with the holds on Redis when a Redis URL is given too (booking-redis's hybrid store).
//! A new kind of store is one more arm in [`open`].

use booking_core::{BookingError, DynStore, MemoryStore};
use booking_postgres::{PgStore, PgStoreOptions};
use booking_redis::{HybridStore, RedisOptions};
use std::sync::Arc;

/// Longest PostgreSQL identifier, in bytes.
const PG_IDENTIFIER_BYTES_MAX: usize = 63;

/// Where the store lives and how to open it.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoreChoice {
    /// The store's URL; `None` is the memory store.
    pub url: Option<String>,
    /// PostgreSQL only: the schema of its tables.
    pub schema: Option<String>,
    /// PostgreSQL only: Redis for the holds.
    pub redis_url: Option<String>,
}

impl StoreChoice {
    /// The store's kind, as `Engine.store` reports it; refuses an unknown scheme at once.
    pub fn kind(&self) -> Result<&'static str, BookingError> {
        let scheme = match &self.url {
            None if self.redis_url.is_some() => {
                return Err(BookingError::invalid("redisUrl", "holds on Redis need a postgres:// storeUrl"));
            }
            None => return Ok("memory"),
            Some(url) => url.split_once(':').map_or(url.as_str(), |(scheme, _)| scheme),
        };
        match scheme {
            "memory" if self.redis_url.is_none() => Ok("memory"),
            "postgres" | "postgresql" if self.redis_url.is_some() => Ok("postgres+redis"),
            "postgres" | "postgresql" => Ok("postgres"),
            "memory" => Err(BookingError::invalid("redisUrl", "holds on Redis need a postgres:// storeUrl")),
            _ => Err(BookingError::invalid(
                "storeUrl",
                "unsupported store: give no URL (memory), memory: or postgres://",
            )),
        }
    }
}

/// An open store, and the connection pool to close with the engine when it has one.
pub(crate) struct Opened {
    /// The store.
    pub store: DynStore,
    /// PostgreSQL's pool.
    pub pool: Option<sqlx::PgPool>,
}

/// Opens the store; for PostgreSQL this connects, creates the schema if asked and migrates.
pub(crate) async fn open(choice: StoreChoice) -> Result<Opened, BookingError> {
    match (choice.kind()?, choice.url) {
        ("postgres", Some(url)) => {
            let pg = postgres(&url, choice.schema).await?;
            Ok(Opened { pool: Some(pg.pool().clone()), store: Arc::new(pg) })
        }
        ("postgres+redis", Some(url)) => {
            let pg = postgres(&url, choice.schema).await?;
            let pool = Some(pg.pool().clone());
            let redis_url = choice.redis_url.unwrap_or_default();
            let store = HybridStore::connect(pg, &redis_url, RedisOptions::default()).await?;
            Ok(Opened { pool, store: Arc::new(store) })
        }
        (_, _) if choice.schema.is_some() => {
            Err(BookingError::invalid("schema", "only a PostgreSQL store has a schema"))
        }
        _ => Ok(Opened { store: Arc::new(MemoryStore::new()), pool: None }),
    }
}

async fn postgres(url: &str, schema: Option<String>) -> Result<PgStore, BookingError> {
    if let Some(name) = &schema {
        check_schema(name)?;
        let admin = PgStore::connect(url, PgStoreOptions { max_connections: 1, ..PgStoreOptions::default() })
            .await
            .map_err(BookingError::from)?;
        let created = sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {name}")).execute(admin.pool()).await;
        admin.pool().close().await;
        created.map_err(|e| BookingError::StoreUnavailable { message: format!("create schema: {e}") })?;
    }
    let options = PgStoreOptions { migrate_on_connect: true, schema, ..PgStoreOptions::default() };
    Ok(PgStore::connect(url, options).await?)
}

/// A schema name is an unquoted identifier: lower-case ASCII letters, digits and `_`, not
/// starting with a digit, at most 63 bytes (it is spliced into `CREATE SCHEMA`).
fn check_schema(name: &str) -> Result<(), BookingError> {
    let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let rest_ok = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if first_ok && rest_ok && name.len() <= PG_IDENTIFIER_BYTES_MAX {
        Ok(())
    } else {
        Err(BookingError::invalid("schema", "must be 1 to 63 of a-z, 0-9 and _, not starting with a digit"))
    }
}
