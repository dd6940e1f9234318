//! How a [`crate::HybridStore`] uses Redis: key prefix, time limits and queue bounds.

use std::time::Duration;

/// Options of the Redis half of a [`crate::HybridStore`].
#[derive(Debug, Clone)]
pub struct RedisOptions {
    /// Prefix of every key; the store adds the database's own name after it, so that several
    /// databases (and test runs) share one Redis safely.
    pub key_prefix: String,
    /// How long a call waits for Redis before it fails with the retryable `STORE_UNAVAILABLE`.
    pub response_timeout: Duration,
    /// How long connecting (and each reconnection) may take.
    pub connect_timeout: Duration,
    /// Ticks reserved from PostgreSQL at a time (one tick per change of a show's holds).
    pub tick_block: u64,
    /// A hold that leaves this many events queued in its show's outbox starts appending them to
    /// the PostgreSQL log in the background (bookings, reads of the log and the sweeper append
    /// them too).
    pub outbox_flush_at: u64,
    /// Holds are refused with `STORE_UNAVAILABLE` while this many events wait for PostgreSQL:
    /// the outbox is a bounded queue, never an unbounded one.
    pub outbox_max: u64,
    /// A hold locked for a booking for longer than this is settled by the sweeper from what
    /// PostgreSQL says (the process that was booking it may have stopped).
    pub booking_lock_stale_ms: i64,
    /// How long keys outlive what they describe; TTLs only reclaim memory, they decide nothing.
    pub key_grace_ms: i64,
}

impl RedisOptions {
    /// How long a hold locked for a booking, and a pending booking's seat list, are kept:
    /// a day by default (24 times the grace), far past any payment window.
    pub(crate) fn booking_key_ttl_ms(&self) -> i64 {
        self.key_grace_ms.max(1) * 24
    }
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions {
            key_prefix: "bc:".into(),
            response_timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            tick_block: 4_096,
            outbox_flush_at: 512,
            outbox_max: 8_192,
            booking_lock_stale_ms: 30_000,
            key_grace_ms: 3_600_000,
        }
    }
}
