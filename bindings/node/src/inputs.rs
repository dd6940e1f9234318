//! What callers pass in: typed objects, and the checks that turn JavaScript values into core ones.

use booking_core::{Actor, BookingError, EngineConfig, OwnerId, SeatChoice as CoreChoice, Timestamp};
use chrono::{DateTime, Utc};
use napi::Either;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

/// How to open an engine.
#[napi(object)]
pub struct EngineOptions {
    /// Secret that signs ticket codes: at least 32 bytes (a string counts its UTF-8 bytes).
    pub signing_key: Either<String, Buffer>,
    /// The store: none (or `memory:`) for the in-memory store, `postgres://...` for PostgreSQL.
    pub database_url: Option<String>,
    /// PostgreSQL only: the schema for the store's tables, created if missing.
    pub schema: Option<String>,
    /// PostgreSQL only: put the holds on Redis (`redis://host:port` or
    /// `redis+cluster://host:port,host:port,...`); bookings and the log stay on PostgreSQL.
    pub redis_url: Option<String>,
    /// Starts a manual clock at this instant (move it with `advance`); the system clock otherwise.
    pub clock: Option<DateTime<Utc>>,
    /// Time to live of a hold and of each extension, in ms (default 10 minutes).
    pub hold_ttl_ms: Option<i64>,
    /// A hold never lives longer than this from its placement, in ms (default 30 minutes).
    pub hold_lifetime_ms_max: Option<i64>,
    /// Time a pending booking has to be paid, in ms (default 10 minutes).
    pub payment_window_ms: Option<i64>,
    /// Most seats in one hold (default 10, at most 100).
    pub hold_seats_max: Option<u32>,
    /// Most live holds of one owner on one show (default 4).
    pub holds_per_owner_max: Option<u32>,
    /// Most tickets of one owner on one show, held, pending and paid, for shows scheduled
    /// without their own cap (default: no cap).
    pub tickets_per_owner_max: Option<u32>,
    /// Most holds and bookings one `sweepExpired` tidies (default 10,000).
    pub sweep_batch_max: Option<u32>,
}

impl EngineOptions {
    /// The engine's limits: the defaults, with what the options set.
    pub(crate) fn config(&self) -> EngineConfig {
        let d = EngineConfig::default();
        EngineConfig {
            hold_ttl_ms: self.hold_ttl_ms.unwrap_or(d.hold_ttl_ms),
            hold_lifetime_ms_max: self.hold_lifetime_ms_max.unwrap_or(d.hold_lifetime_ms_max),
            payment_window_ms: self.payment_window_ms.unwrap_or(d.payment_window_ms),
            hold_seats_max: self.hold_seats_max.unwrap_or(d.hold_seats_max),
            holds_per_owner_max: self.holds_per_owner_max.unwrap_or(d.holds_per_owner_max),
            tickets_per_owner_max: self.tickets_per_owner_max.or(d.tickets_per_owner_max),
            sweep_batch_max: self.sweep_batch_max.unwrap_or(d.sweep_batch_max),
        }
    }
}

/// A seat asked for with a ticket type (a bare label takes the policy's default type).
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SeatChoice {
    /// Seat label, e.g. `F12`.
    pub label: String,
    /// Ticket type, e.g. `child`.
    pub ticket_type: Option<String>,
}

/// A number of places of a general-admission zone, asked for by the zone's name.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct PlaceChoice {
    /// The zone's name, e.g. `Standing`.
    pub zone: String,
    /// How many places.
    pub quantity: u32,
    /// Ticket type of every place (the policy's default otherwise).
    pub ticket_type: Option<String>,
}

/// Places asked for, as core takes them.
pub(crate) fn place_choices(places: Option<Vec<PlaceChoice>>) -> Vec<booking_core::PlaceChoice> {
    places
        .unwrap_or_default()
        .into_iter()
        .map(|p| booking_core::PlaceChoice { zone: p.zone, quantity: p.quantity, ticket_type: p.ticket_type })
        .collect()
}

/// Seats as labels or as choices with a ticket type.
pub(crate) fn seat_choices(seats: Vec<Either<String, SeatChoice>>) -> Vec<CoreChoice> {
    seats
        .into_iter()
        .map(|s| match s {
            Either::A(label) => CoreChoice { label, ticket_type: None },
            Either::B(c) => CoreChoice { label: c.label, ticket_type: c.ticket_type },
        })
        .collect()
}

/// A show to schedule on a screen.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct NewShow {
    /// Screen id.
    pub screen: i64,
    /// What plays.
    pub title: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End: after the start, at most 24 hours later.
    pub ends_at: DateTime<Utc>,
    /// Sales open (default: now).
    pub sales_open_at: Option<DateTime<Utc>>,
    /// Sales close (default: the start).
    pub sales_close_at: Option<DateTime<Utc>>,
    /// Whether the no-orphan rule applies (default true).
    pub no_orphan: Option<bool>,
    /// Most tickets one owner may have on the show, held, pending and paid (default: the
    /// engine's `ticketsPerOwnerMax`).
    pub tickets_per_owner_max: Option<u32>,
    /// How long before the start unsold wheelchair places and companion seats go to general
    /// sale, in ms (0 to 30 days; default 48 hours).
    pub accessible_release_before_ms: Option<i64>,
}

/// Which shows to list.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ShowFilter {
    /// Only this theatre's shows.
    pub theatre: Option<i64>,
    /// Only this screen's shows.
    pub screen: Option<i64>,
    /// Only shows starting at or after this.
    pub starts_from: Option<DateTime<Utc>>,
    /// Only shows starting before this.
    pub starts_before: Option<DateTime<Utc>>,
    /// Include cancelled shows.
    pub include_cancelled: Option<bool>,
}

/// What best-available may pick.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct BestOptions {
    /// Only seats of this category.
    pub category: Option<String>,
    /// Only places of this general-admission zone.
    pub zone: Option<String>,
    /// Include wheelchair and companion places.
    pub accessible: Option<bool>,
}

/// An id from JavaScript: a non-negative integer.
pub(crate) fn id(field: &str, v: i64) -> Result<u64, BookingError> {
    u64::try_from(v).map_err(|_| BookingError::invalid(field, "must be a non-negative integer"))
}

/// A `Date` as a core instant.
pub(crate) fn instant(t: DateTime<Utc>) -> Timestamp {
    Timestamp(t.timestamp_millis())
}

/// An owner id, validated.
pub(crate) fn owner_id(name: &str) -> Result<OwnerId, BookingError> {
    OwnerId::new(name)
}

/// The owner acting, or staff when none is given.
pub(crate) fn actor_of(name: Option<String>) -> Result<Actor, BookingError> {
    match name {
        Some(n) => Ok(Actor::Owner(owner_id(&n)?)),
        None => Ok(Actor::Staff),
    }
}

/// A fencing token from JavaScript.
pub(crate) fn fence_of(v: Option<i64>) -> Result<Option<u64>, BookingError> {
    v.map(|f| id("fence", f)).transpose()
}
