//! The hybrid store: holds on Redis; catalogue, bookings, tickets and the log on PostgreSQL.

use crate::connection::{Conn, connect};
use crate::keys::{registry_key, state_key};
use crate::options::RedisOptions;
use crate::outbox::decode_all;
use crate::reply::Reply;
use crate::scripts::scripts;
use crate::scripts::{Call, Function};
use booking_core::{ShowId, StoreError, StoreResult, Timestamp};
use booking_postgres::{LedgerSeed, PgStore};
use dashmap::{DashMap, DashSet};
use std::future::Future;
use std::sync::Arc;

/// Milliseconds of a day: how long a show's keys outlive its end.
const DAY_MS: i64 = 86_400_000;

/// Times a call may find the show's state missing or its ticks used up before it gives up.
const ATTEMPTS: usize = 4;

/// A complete store with holds on Redis and everything durable on PostgreSQL.
///
/// A hold is one Lua script on Redis: atomic, all seats or none, fenced. A booking locks the
/// hold on Redis, then writes the booking and its seat claims to PostgreSQL under the claim
/// constraint (the final arbiter), then hands the seats to the booking on Redis. Events of holds
/// queue in a per-show outbox on Redis and are appended to the PostgreSQL log, in order, before
/// any other event of the show. A Redis that loses its memory loses holds, never a booking: the
/// next call on a show seeds Redis again from PostgreSQL (live bookings, blocked seats, status)
/// and appends `HoldExpired` for every hold the log knew and Redis lost.
///
/// ```no_run
/// # async fn run() -> Result<(), booking_core::StoreError> {
/// use booking_postgres::{PgStore, PgStoreOptions};
/// use booking_redis::{HybridStore, RedisOptions};
/// let pg = PgStore::connect("postgres://booking@127.0.0.1/booking", PgStoreOptions::default()).await?;
/// let store = HybridStore::connect(pg, "redis://127.0.0.1:6379", RedisOptions::default()).await?;
/// let store: booking_core::DynStore = std::sync::Arc::new(store);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HybridStore {
    pub(crate) pg: PgStore,
    pub(crate) redis: Conn,
    pub(crate) options: Arc<RedisOptions>,
    /// Shows whose outbox a background task of this process is appending to the log.
    flushing: Arc<DashSet<ShowId>>,
    /// One lock per show that a call of this process is seeding or adding ticks to: the calls
    /// that find the same show missing, or its ticks used up, wait for the first one's answer
    /// instead of each asking PostgreSQL (in a stadium rush, 198 blocks of ticks were asked for
    /// where 35 were used). An entry lives only while some call holds or awaits it.
    refills: Arc<DashMap<ShowId, Arc<tokio::sync::Mutex<()>>>>,
}

/// Takes a show out of [`HybridStore::flushing`] when its flush ends, however it ends.
struct Flushing {
    set: Arc<DashSet<ShowId>>,
    show: ShowId,
}

impl Drop for Flushing {
    fn drop(&mut self) {
        self.set.remove(&self.show);
    }
}

impl std::fmt::Debug for HybridStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HybridStore").field("pg", &self.pg).field("options", &self.options).finish()
    }
}

impl HybridStore {
    /// Connects to Redis at `url` (`redis://host:port[/db]`, or `redis+cluster://h1:p1,h2:p2,...`
    /// for a cluster) and puts the holds of `pg`'s shows there. PostgreSQL's schema must be
    /// migrated (see `booking_postgres::PgStore::migrate`).
    ///
    /// Keys start with `options.key_prefix` followed by the database's own name (see
    /// `PgStore::ledger_instance`), so databases sharing one Redis never share keys.
    pub async fn connect(pg: PgStore, url: &str, mut options: RedisOptions) -> StoreResult<HybridStore> {
        let redis = connect(url, &options).await?;
        redis.load_library(options.connect_timeout * 3).await?;
        options.key_prefix = format!("{}{}:", options.key_prefix, pg.ledger_instance().await?);
        Ok(HybridStore {
            pg,
            redis,
            options: Arc::new(options),
            flushing: Arc::default(),
            refills: Arc::default(),
        })
    }

    /// The Redis options in use (the key prefix with the database's name).
    pub fn options(&self) -> &RedisOptions {
        &self.options
    }

    /// The PostgreSQL half.
    pub fn postgres(&self) -> &PgStore {
        &self.pg
    }

    /// A script call on `show`'s keys.
    pub(crate) fn call(&self, function: &Function, show: ShowId) -> Call {
        function.call(&state_key(&self.options.key_prefix, show))
    }

    /// Runs a call once, as it is.
    pub(crate) async fn invoke(&self, inv: &Call) -> StoreResult<Reply> {
        self.redis.fcall(inv, self.options.response_timeout).await.map(Reply)
    }

    /// Runs a call on `show`, first seeding the show when Redis does not have it and adding
    /// ticks when its block is used up. Readers that do not know the time pass `Timestamp(0)`.
    pub(crate) async fn run(&self, show: ShowId, now: Timestamp, inv: &Call) -> StoreResult<Reply> {
        for _ in 0..ATTEMPTS {
            let reply = self.invoke(inv).await?;
            if !matches!(reply.code(), "not_ready" | "ticks") {
                return Ok(reply);
            }
            // A refusal for want of state or ticks wrote nothing, so the call may run again.
            // Under the show's lock, another call of this process may have refilled it already.
            let refilled = self
                .refilling(show, async {
                    let reply = self.invoke(inv).await?;
                    match reply.code() {
                        "not_ready" => self.seed(show, now).await.map(|()| None),
                        "ticks" => self.more_ticks(show, reply.text(1)?).await.map(|()| None),
                        _ => Ok(Some(reply)),
                    }
                })
                .await?;
            if let Some(reply) = refilled {
                return Ok(reply);
            }
        }
        Err(StoreError::Unavailable { message: format!("redis: the state of {show} keeps changing; retry") })
    }

    /// Every field and value of `show`'s state hash, cells among them, seeding the show first
    /// when Redis lacks it. Read with a plain `HGETALL`: inside a script the same read builds a
    /// Lua table of every field, five times the cost (115 ms against 23 ms on 100,000 cells).
    pub(crate) async fn state_fields(&self, show: ShowId, now: Timestamp) -> StoreResult<Vec<String>> {
        let cmd = redis::cmd("HGETALL").arg(state_key(&self.options.key_prefix, show)).to_owned();
        let read = || self.redis.query::<Vec<String>>(&cmd, self.options.response_timeout);
        for _ in 0..ATTEMPTS {
            // A seeded show's hash is never empty: its state fields come with it.
            let fields = read().await?;
            if !fields.is_empty() {
                return Ok(fields);
            }
            let seeded = self
                .refilling(show, async {
                    let fields = read().await?;
                    if fields.is_empty() {
                        self.seed(show, now).await.map(|()| None)
                    } else {
                        Ok(Some(fields))
                    }
                })
                .await?;
            if let Some(fields) = seeded {
                return Ok(fields);
            }
        }
        Err(StoreError::Unavailable { message: format!("redis: the state of {show} keeps changing; retry") })
    }

    /// Runs `refill` under `show`'s lock of [`HybridStore::refills`], and forgets the lock when
    /// no other call holds or awaits it.
    async fn refilling<T>(
        &self,
        show: ShowId,
        refill: impl Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let lock = self.refills.entry(show).or_default().clone();
        let out = {
            let _refilling = lock.lock().await;
            refill.await
        };
        drop(lock);
        self.refills.remove_if(&show, |_, lock| Arc::strong_count(lock) == 1);
        out
    }

    /// Seeds Redis with `show` from PostgreSQL, under the show's lock there.
    async fn seed(&self, show: ShowId, now: Timestamp) -> StoreResult<()> {
        let prefix = &self.options.key_prefix;
        let applied = self
            .pg
            .ledger_seed(show, self.options.tick_block, now, |seed: LedgerSeed| async move {
                // A reader seeds without knowing the time (now = 0): keys then live a month.
                let ttl = if now.millis() > 0 {
                    seed.ends_at.millis_since(now).max(0) + DAY_MS
                } else {
                    30 * DAY_MS
                };
                let mut inv = self.call(&scripts().seed, show);
                inv.arg(seed.epoch)
                    .arg(&seed.status)
                    .arg(seed.seat_count)
                    .arg(seed.tick_from)
                    .arg(seed.tick_to);
                inv.arg(ttl).arg(seed.blocked.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
                let lists = bookings_lists(&seed);
                inv.arg(lists.len());
                for (owner, list) in &lists {
                    inv.arg(format!("k{owner}")).arg(list);
                }
                for (seat, booking, until) in &seed.claims {
                    let number = crate::keys::split_id(*booking).1;
                    let cell =
                        if *until == i64::MAX { format!("s{number}:") } else { format!("p{number}:{until}") };
                    inv.arg(seat).arg(cell);
                }
                Ok(self.invoke(&inv).await?.is_ok())
            })
            .await?;
        if applied {
            tracing::info!(%show, "seeded the show's holds state on redis from postgresql");
            let cmd = redis::cmd("SADD").arg(registry_key(prefix)).arg(show.0).to_owned();
            if let Err(e) = self.redis.query::<i64>(&cmd, self.options.response_timeout).await {
                tracing::warn!(%show, error = %e, "could not register the show for sweeping");
            }
        }
        Ok(())
    }

    async fn more_ticks(&self, show: ShowId, epoch: &str) -> StoreResult<()> {
        let (from, to) = self.pg.ledger_ticks(show, self.options.tick_block).await?;
        let mut inv = self.call(&scripts().ticks, show);
        inv.arg(epoch).arg(from).arg(to);
        self.invoke(&inv).await.map(drop)
    }

    /// Appends queued events of `show` to the PostgreSQL log and drops them from the outbox.
    pub(crate) async fn flush(&self, show: ShowId, entries: &[String]) -> StoreResult<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let events = decode_all(show, entries)?;
        let flushed = self.pg.ledger_flush(show, &events).await?;
        self.trim(show, flushed).await
    }

    /// Drops the outbox entries at or below `flushed`.
    pub(crate) async fn trim(&self, show: ShowId, flushed: u64) -> StoreResult<()> {
        let mut inv = self.call(&scripts().outbox, show);
        inv.arg(flushed);
        self.invoke(&inv).await.map(drop)
    }

    /// Starts appending `show`'s outbox to the log in the background, unless a task of this
    /// process is at it already: a hold never waits for PostgreSQL, and one flush per show runs
    /// at a time. (The outbox stays bounded: past `outbox_max`, holds wait for a flush.)
    pub(crate) fn flush_in_background(&self, show: ShowId) {
        if !self.flushing.insert(show) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Polled outside a runtime (a binding's first poll): the next call on a runtime flushes.
            self.flushing.remove(&show);
            return;
        };
        let (store, guard) = (self.clone(), Flushing { set: self.flushing.clone(), show });
        runtime.spawn(async move {
            let _guard = guard;
            if let Err(e) = store.flush_show(show).await {
                tracing::warn!(%show, error = %e, "could not append hold events to the log");
            }
        });
    }

    /// Appends whatever `show` has queued to the log (nothing when Redis has no state for it).
    pub(crate) async fn flush_show(&self, show: ShowId) -> StoreResult<()> {
        let mut inv = self.call(&scripts().outbox, show);
        inv.arg("");
        let reply = self.invoke(&inv).await?;
        if reply.is_ok() { self.flush(show, reply.rest(1)).await } else { Ok(()) }
    }
}

/// The owners' bookings lists of a seed (fields `k<owner>` of the show's state; see the Lua
/// prelude): each booking that holds seats, with its end (`i64::MAX` once paid) and its seats.
fn bookings_lists(seed: &LedgerSeed) -> std::collections::BTreeMap<&str, String> {
    let mut bookings: std::collections::BTreeMap<u64, (i64, usize)> = std::collections::BTreeMap::new();
    for (_, booking, until) in &seed.claims {
        bookings.entry(*booking).or_insert((*until, 0)).1 += 1;
    }
    let mut lists: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for (booking, owner) in &seed.owners {
        let Some((until, seats)) = bookings.get(booking) else { continue };
        let list = lists.entry(owner.as_str()).or_default();
        if !list.is_empty() {
            list.push(',');
        }
        list.push_str(&format!("{}:{until}:{seats}", crate::keys::split_id(*booking).1));
    }
    lists
}
