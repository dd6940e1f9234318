//! The store a host picks at run time from its configuration: memory, PostgreSQL, or PostgreSQL
//! with the holds on Redis. Every front opens its store here and nowhere else.
//!
//! Which stores a build can open follows the features: `stores` alone opens memory, `postgres`
//! adds PostgreSQL and `redis` the holds on Redis. A URL for a store the build lacks is refused
//! as `INVALID_INPUT` on its field, naming the feature.

use booking_core::{BookingError, DynStore, MemoryStore};
#[cfg(feature = "postgres")]
use booking_postgres::{PgStore, PgStoreOptions};
#[cfg(feature = "redis")]
use booking_redis::{HybridStore, RedisOptions};
use std::sync::Arc;

/// Longest PostgreSQL identifier, in bytes.
const PG_IDENTIFIER_BYTES_MAX: usize = 63;

/// Which store to open, and how. Every field is optional; the default is the memory store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreConfig {
    /// `memory:` (or none) for the in-memory store; `postgres://` or `postgresql://` for
    /// PostgreSQL, migrated on connect.
    pub database_url: Option<String>,
    /// `redis://` or `redis+cluster://`: the holds live on Redis (PostgreSQL is needed too).
    pub redis_url: Option<String>,
    /// PostgreSQL only: the schema of its tables and functions, created when missing.
    pub schema: Option<String>,
    /// PostgreSQL only: most connections in the pool (default: the adapter's).
    pub max_connections: Option<u32>,
    /// PostgreSQL only: batch lanes per operation (default: the adapter's; 0 sends each call
    /// alone).
    pub batch_lanes: Option<usize>,
    /// PostgreSQL only: the connections' `application_name`.
    pub application_name: Option<String>,
}

/// Which kind of store a [`StoreConfig`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// In memory, in this process.
    Memory,
    /// PostgreSQL.
    Postgres,
    /// PostgreSQL, with the holds on Redis.
    PostgresRedis,
}

impl StoreKind {
    /// `memory`, `postgres` or `postgres+redis`.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::Memory => "memory",
            StoreKind::Postgres => "postgres",
            StoreKind::PostgresRedis => "postgres+redis",
        }
    }
}

impl StoreConfig {
    /// The kind of store this names, or an `INVALID_INPUT` naming the field at fault.
    ///
    /// ```
    /// use booking_front::{StoreConfig, StoreKind};
    /// assert_eq!(StoreConfig::default().kind().unwrap(), StoreKind::Memory);
    /// let redis_alone = StoreConfig { redis_url: Some("redis://127.0.0.1".into()), ..Default::default() };
    /// assert_eq!(redis_alone.kind().unwrap_err().details()["field"], "redis_url");
    /// ```
    pub fn kind(&self) -> Result<StoreKind, BookingError> {
        let scheme = self.database_url.as_deref().map(|u| u.split_once(':').map_or(u, |(s, _)| s));
        let kind = match scheme {
            None | Some("memory") => StoreKind::Memory,
            Some("postgres" | "postgresql") if self.redis_url.is_some() => StoreKind::PostgresRedis,
            Some("postgres" | "postgresql") => StoreKind::Postgres,
            Some(_) => {
                return Err(BookingError::invalid(
                    "database_url",
                    "unsupported store: give none (memory), memory: or postgres://",
                ));
            }
        };
        if kind == StoreKind::Memory {
            if self.redis_url.is_some() {
                return Err(BookingError::invalid(
                    "redis_url",
                    "holds on Redis need a postgres:// database_url too (bookings and the log live there)",
                ));
            }
            if self.schema.is_some() {
                return Err(BookingError::invalid("schema", "only a PostgreSQL store has a schema"));
            }
        }
        if let Some(name) = &self.schema {
            check_schema(name)?;
        }
        Ok(kind)
    }
}

/// An open store, with the PostgreSQL pool when it has one (to close it, or to keep a host's
/// own tables beside the store's).
#[derive(Clone)]
pub struct OpenedStore {
    /// The store.
    pub store: DynStore,
    /// What kind it is.
    pub kind: StoreKind,
    /// PostgreSQL's connection pool.
    #[cfg(feature = "postgres")]
    pub pool: Option<sqlx::PgPool>,
}

impl std::fmt::Debug for OpenedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedStore").field("kind", &self.kind).finish_non_exhaustive()
    }
}

/// Opens the store `config` names: for PostgreSQL this connects, creates the schema when one is
/// named and missing, and migrates.
///
/// ```
/// # async fn run() -> Result<(), booking_core::BookingError> {
/// use booking_front::{StoreConfig, StoreKind, open_store};
/// let opened = open_store(&StoreConfig::default()).await?;
/// assert_eq!(opened.kind, StoreKind::Memory);
/// # Ok(()) }
/// ```
pub async fn open_store(config: &StoreConfig) -> Result<OpenedStore, BookingError> {
    let kind = config.kind()?;
    let Some(url) = config.database_url.as_deref().filter(|_| kind != StoreKind::Memory) else {
        return Ok(OpenedStore {
            store: Arc::new(MemoryStore::new()),
            kind,
            #[cfg(feature = "postgres")]
            pool: None,
        });
    };
    open_durable(url, kind, config).await
}

#[cfg(feature = "postgres")]
async fn open_durable(url: &str, kind: StoreKind, config: &StoreConfig) -> Result<OpenedStore, BookingError> {
    let pg = postgres(url, config).await?;
    let pool = Some(pg.pool().clone());
    let store: DynStore = match &config.redis_url {
        #[cfg(feature = "redis")]
        Some(redis) => Arc::new(HybridStore::connect(pg, redis, RedisOptions::default()).await?),
        #[cfg(not(feature = "redis"))]
        Some(_) => return Err(missing_feature("redis_url", "redis")),
        None => Arc::new(pg),
    };
    Ok(OpenedStore { store, kind, pool })
}

#[cfg(not(feature = "postgres"))]
async fn open_durable(_: &str, _: StoreKind, config: &StoreConfig) -> Result<OpenedStore, BookingError> {
    let field =
        if config.redis_url.is_some() { ("redis_url", "redis") } else { ("database_url", "postgres") };
    Err(missing_feature(field.0, field.1))
}

/// The refusal of a URL naming a store this build was compiled without.
#[cfg(not(feature = "redis"))]
fn missing_feature(field: &'static str, feature: &str) -> BookingError {
    BookingError::invalid(
        field,
        format!("this build cannot open that store: it needs booking-front's `{feature}` feature"),
    )
}

#[cfg(feature = "postgres")]
async fn postgres(url: &str, config: &StoreConfig) -> Result<PgStore, BookingError> {
    let defaults = PgStoreOptions::default();
    if let Some(name) = &config.schema {
        let admin = PgStore::connect(url, PgStoreOptions { max_connections: 1, ..defaults.clone() }).await?;
        // `check_schema` made it a plain identifier, safe to splice.
        let created = sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {name}")).execute(admin.pool()).await;
        admin.pool().close().await;
        created.map_err(|e| BookingError::StoreUnavailable { message: format!("create schema: {e}") })?;
    }
    let options = PgStoreOptions {
        migrate_on_connect: true,
        schema: config.schema.clone(),
        max_connections: config.max_connections.unwrap_or(defaults.max_connections),
        batch_lanes: config.batch_lanes.unwrap_or(defaults.batch_lanes),
        application_name: config.application_name.clone().unwrap_or(defaults.application_name.clone()),
        ..defaults
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(db: Option<&str>, redis: Option<&str>, schema: Option<&str>) -> StoreConfig {
        StoreConfig {
            database_url: db.map(str::to_string),
            redis_url: redis.map(str::to_string),
            schema: schema.map(str::to_string),
            ..StoreConfig::default()
        }
    }

    #[test]
    fn every_refusal_names_its_field() {
        let field = |c: StoreConfig| c.kind().err().map(|e| e.details()["field"].clone());
        assert_eq!(field(config(None, Some("redis://h"), None)), Some("redis_url".into()));
        assert_eq!(field(config(Some("memory:"), Some("redis://h"), None)), Some("redis_url".into()));
        assert_eq!(field(config(Some("mysql://h"), None, None)), Some("database_url".into()));
        assert_eq!(field(config(None, None, Some("s"))), Some("schema".into()));
        for bad in ["", "1abc", "Has_Upper", "semi;colon", &"a".repeat(64)] {
            assert_eq!(field(config(Some("postgres://h"), None, Some(bad))), Some("schema".into()), "{bad}");
        }
    }

    /// Runs only where the build lacks the stores (`cargo test -p booking-front --lib --features
    /// stores`, as `./scripts/test` does): a workspace build unifies them in.
    #[cfg(not(feature = "postgres"))]
    #[test]
    fn a_store_the_build_lacks_is_refused_naming_its_feature() {
        let refusal = |c: StoreConfig| {
            let e = crate::block_on(open_store(&c)).err().map(|e| e.details());
            e.map(|d| (d["field"].as_str().map(str::to_string), d["reason"].as_str().map(str::to_string)))
        };
        let (field, reason) = refusal(config(Some("postgres://h/db"), None, None)).unwrap_or_default();
        assert_eq!(field.as_deref(), Some("database_url"));
        assert!(reason.unwrap_or_default().contains("`postgres` feature"));
        let (field, reason) =
            refusal(config(Some("postgres://h/db"), Some("redis://h"), None)).unwrap_or_default();
        assert_eq!(field.as_deref(), Some("redis_url"));
        assert!(reason.unwrap_or_default().contains("`redis` feature"));
        assert_eq!(
            crate::block_on(open_store(&StoreConfig::default())).map(|o| o.kind).ok(),
            Some(StoreKind::Memory)
        );
    }

    #[test]
    fn kinds_follow_the_urls() {
        let kind = |c: StoreConfig| c.kind().ok();
        assert_eq!(kind(config(None, None, None)), Some(StoreKind::Memory));
        assert_eq!(kind(config(Some("memory:"), None, None)), Some(StoreKind::Memory));
        assert_eq!(kind(config(Some("postgresql://h/db"), None, Some("a_1"))), Some(StoreKind::Postgres));
        assert_eq!(
            kind(config(Some("postgres://h"), Some("redis://h"), None)),
            Some(StoreKind::PostgresRedis)
        );
    }
}
