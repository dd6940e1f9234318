//! booking-core with its holds on Redis: fast holds that Redis can lose without harm.
//!
//! [`HybridStore`] is a complete store: holds are Lua scripts on Redis (atomic, all seats or
//! none, fenced, expiring by the engine's clock), and everything durable (catalogue, bookings,
//! tickets, the per-show event log) is on PostgreSQL through `booking_postgres::PgStore`, whose
//! seat-claim constraint decides every booking. If Redis restarts empty in the middle of a rush,
//! holds are lost but no seat is ever sold twice, and seats booked in PostgreSQL are never shown
//! or offered as free: the next call on a show seeds it again from PostgreSQL.
//!
//! Every key of a show shares the hash tag `{<show>}`, so the scripts run unchanged on Redis
//! Cluster (`redis+cluster://host:port,host:port,...`). The key layout and the protocol between
//! the two halves are in the crate README.

mod bookings;
mod catalogue;
// The integration tests' helpers, for the unit tests that need real servers.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod common;
#[cfg(test)]
mod confirm_race_tests;
// The integration tests' helpers, shared with the unit tests, name the crate.
#[cfg(test)]
extern crate self as booking_redis;
mod connection;
mod holds;
mod hybrid;
mod keys;
mod options;
mod outbox;
#[cfg(test)]
mod outbox_tests;
mod reply;
mod scripts;

pub use connection::CLUSTER_SCHEME;
pub use hybrid::HybridStore;
pub use options::RedisOptions;

/// The crate README's examples, compiled as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
