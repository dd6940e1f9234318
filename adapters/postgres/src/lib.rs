//! booking-core on PostgreSQL: a durable store on which a double booking is impossible.
//!
//! [`PgStore`] implements every store trait of booking-core. Each operation that changes seats is
//! one call of a PL/pgSQL function (`functions/`, one file per concept, each function's one
//! current body; see [`PgStore::migrate`]): one statement, one round trip, one transaction, all
//! checks and writes inside the database under the show's row lock. The rules it applies there
//! are core's: passed in as values core computed where they can be (a transition's edges, limits,
//! a deadline), and otherwise held to core's definitions by tests (`tests/rules.rs`). The schema
//! backs it up: one claim row per (show, seat), and a sold seat's claim (its ticket) that no write
//! can take or end while its booking stands, whatever the code above it does. Events are appended
//! in the same transaction, each built by one SQL constructor of its kind.
//!
//! ```no_run
//! # async fn run() -> Result<(), booking_core::StoreError> {
//! use booking_postgres::{PgStore, PgStoreOptions};
//! let store = PgStore::connect("postgres://booking@127.0.0.1/booking", PgStoreOptions::default()).await?;
//! store.migrate().await?;
//! let store: booking_core::DynStore = std::sync::Arc::new(store);
//! # Ok(()) }
//! ```

mod batch;
mod booking_batch;
mod bookings;
mod catalogue;
mod errors;
mod ids;
mod inventory;
mod ledger;
mod rows;
mod schema;
mod show_cache;
mod transition;

pub use ids::LEASE_BITS;
pub use ledger::{LedgerBooking, LedgerEvent, LedgerSeed};
pub use schema::migrator;

use booking_core::{Show, ShowId, StoreError, StoreResult};
use show_cache::ShowCache;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// How a [`PgStore`] connects.
#[derive(Debug, Clone)]
pub struct PgStoreOptions {
    /// Connections in the pool, at most.
    pub max_connections: u32,
    /// How long a call waits for a free connection before it fails with `STORE_UNAVAILABLE`.
    pub acquire_timeout: Duration,
    /// Run the migrations when connecting.
    pub migrate_on_connect: bool,
    /// Schema for every table and function (`search_path`); `None` keeps the server's default.
    pub schema: Option<String>,
    /// The connections' `application_name`, as `pg_stat_activity` shows it.
    pub application_name: String,
    /// How many shows to keep decoded in memory (a show is read on every hold).
    pub show_cache_capacity: usize,
    /// How long a cached show is trusted; a show cancelled by another process is seen as
    /// scheduled for at most this long by reads (every write checks the database itself).
    pub show_cache_ttl: Duration,
    /// Commit the operations on leases (place, extend and release a hold; create a pending
    /// booking) without waiting for the WAL flush. A crash of the database server may then forget
    /// the last few milliseconds of them, each with its seat claims and events, all together:
    /// holds and unpaid bookings are short-lived leases, and a lost one frees its seats, it never
    /// sells one twice (its owner's next call gets `NOT_FOUND`; a payment taken for a booking
    /// that is gone is refused at confirm and must be voided). Confirmations, check-ins,
    /// cancellations and refunds always wait for the flush, and so does booking the hold of a
    /// hold store (`ledger_book`: the hybrid store's pending bookings), which another store acts
    /// on once it is acknowledged. Default: true.
    pub async_hold_commits: bool,
    /// Lanes that run requests in batches, for each of: placing holds, releasing holds, creating
    /// bookings, confirming bookings, booking the holds of a hold store (`ledger_book`); 0 sends
    /// every request alone. A lane uses one connection
    /// while its batch runs, and a show's requests always take the same lane. Default 2 (best
    /// on the 2-core machine of `benches/README.md`; about the server's cores is a fair start).
    pub batch_lanes: usize,
    /// Most requests in one batch.
    pub batch_max: usize,
}

impl Default for PgStoreOptions {
    fn default() -> Self {
        PgStoreOptions {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(3),
            migrate_on_connect: false,
            schema: None,
            application_name: "booking-core".into(),
            show_cache_capacity: 4_096,
            show_cache_ttl: Duration::from_secs(5),
            async_hold_commits: true,
            batch_lanes: 2,
            batch_max: 64,
        }
    }
}

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    shows: Arc<ShowCache>,
    async_holds: bool,
    batches: Arc<inventory::HoldBatches>,
    booking_batches: Arc<booking_batch::BookingBatches>,
}

/// Serialization failures and deadlocks are retried this many times in all.
const ATTEMPTS: u32 = 4;

impl PgStore {
    /// Connects to `url` (a `postgres://` URL) with `options`. Its connections run with
    /// PostgreSQL's `jit` off.
    pub async fn connect(url: &str, options: PgStoreOptions) -> StoreResult<PgStore> {
        let mut connect = PgConnectOptions::from_str(url).map_err(|e| StoreError::InvalidRequest {
            field: "database_url".into(),
            reason: e.to_string(),
        })?;
        // Every statement here is short: PostgreSQL's JIT, which starts by estimated cost, spent
        // 30 ms compiling a read of a hundred logs that runs in 1 ms (benches/README).
        connect = connect.options([("jit", "off")]);
        if let Some(schema) = &options.schema {
            connect = connect.options([("search_path", schema.as_str())]);
        }
        connect = connect.application_name(&options.application_name);
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await
            .map_err(errors::store_error)?;
        let store = PgStore::from_pool(pool, &options);
        if options.migrate_on_connect {
            store.migrate().await?;
        }
        Ok(store)
    }

    /// A store on an existing pool.
    pub fn from_pool(pool: PgPool, options: &PgStoreOptions) -> PgStore {
        PgStore {
            pool,
            shows: Arc::new(ShowCache::new(options.show_cache_capacity, options.show_cache_ttl)),
            async_holds: options.async_hold_commits,
            batches: Arc::new(inventory::HoldBatches::new(options.batch_lanes, options.batch_max)),
            booking_batches: Arc::new(booking_batch::BookingBatches::new()),
        }
    }

    /// Brings the schema up to date, in one transaction under a lock of its schema: the
    /// migrations it lacks ([`migrator`]), then every function, whose bodies it replaces with the
    /// embedded ones. Running it again changes nothing; two processes may run it at once.
    pub async fn migrate(&self) -> StoreResult<()> {
        schema::migrate(&self.pool).await
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Runs `call`, again after a short backoff when PostgreSQL reports a serialization failure or
    /// a deadlock (the operation functions lock one show row first, so they should meet neither).
    async fn retry<T, F, Fut>(&self, call: F) -> StoreResult<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, sqlx::Error>>,
    {
        retry(call).await
    }

    /// The show, from the cache or the database.
    /// `show` with the status the database just gave (`status` of `bc_show_state`), cached
    /// anew: its status is fresh.
    fn with_status(&self, show: Arc<Show>, status: &str) -> Arc<Show> {
        let status = catalogue::show_status(status);
        let show = if show.status == status { show } else { Arc::new(Show { status, ..(*show).clone() }) };
        self.shows.put(show.clone());
        show
    }

    async fn cached_show(&self, id: ShowId) -> StoreResult<Arc<Show>> {
        if let Some(show) = self.shows.get(id) {
            return Ok(show);
        }
        // Past its time only the status may be stale: read that alone, not the layout again.
        if let Some(show) = self.shows.get_any_age(id) {
            let show_id = i64::try_from(id.0).unwrap_or(i64::MAX);
            let status: Option<(String,)> = self
                .retry(|| {
                    sqlx::query_as("SELECT status FROM bc_show_state WHERE show_id = $1")
                        .bind(show_id)
                        .fetch_optional(&self.pool)
                })
                .await?;
            if let Some((status,)) = status {
                return Ok(self.with_status(show, &status));
            }
        }
        let show = self.load_show(id).await?;
        self.shows.put(show.clone());
        Ok(show)
    }
}

/// [`PgStore::retry`] for code that holds a pool but no store.
async fn retry<T, F, Fut>(mut call: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, sqlx::Error>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) if attempt < ATTEMPTS && errors::is_transient(&e) => {
                tracing::warn!(attempt, error = %e, "retrying a transient database failure");
                tokio::time::sleep(Duration::from_millis(2u64 << (2 * attempt))).await;
                attempt += 1;
            }
            Err(e) => return Err(errors::store_error(e)),
        }
    }
}

/// Converts a count or index the core keeps unsigned to PostgreSQL's signed integers.
fn to_i64(v: u64, field: &str) -> StoreResult<i64> {
    i64::try_from(v)
        .map_err(|_| StoreError::InvalidRequest { field: field.into(), reason: "is too large".into() })
}

/// Decodes JSON the database built from rows this crate wrote.
fn decode<T: serde::de::DeserializeOwned>(v: serde_json::Value, what: &str) -> StoreResult<T> {
    serde_json::from_value(v).map_err(|e| StoreError::Backend { message: format!("decoding {what}: {e}") })
}

/// Encodes a value for a jsonb parameter.
fn encode<T: serde::Serialize>(v: &T, what: &str) -> StoreResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| StoreError::Backend { message: format!("encoding {what}: {e}") })
}

/// The crate README's examples, compiled as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
