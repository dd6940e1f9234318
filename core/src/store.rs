//! The store contract: traits that every store (memory, PostgreSQL, Redis, hybrid) implements.
//!
//! Every operation that changes seat state is **one atomic step in the store**: it checks and
//! changes all the seats it names, or none, and appends its events in the same step. Stores are
//! given `now` by the engine and never read a clock of their own. Stores keep no business rules
//! beyond what must be decided atomically (seat availability, ownership, expiry, limits per owner,
//! idempotency, state transitions).
//!
//! Hosts hold a store as [`DynStore`] (`Arc<dyn Store>`), chosen at run time.

use crate::Quote;
use crate::booking::Booking;
use crate::booking_status::BookingAction;
use crate::event::{EVENTS_PAGE_MAX, Event};
use crate::hold::Hold;
use crate::ids::{BookingId, HoldId, OwnerId, ScreenId, SeatIdx, ShowId, TheatreId};
use crate::layout::SeatLayout;
use crate::occupancy::SeatOccupant;
use crate::places::ZonePick;
use crate::seat_witness::SeatWitness;
use crate::show::{NewShow, Show, ShowFilter};
use crate::store_error::StoreError;
use crate::time::Timestamp;
use crate::venue::{NewScreen, NewTheatre, Screen, Theatre};
use async_trait::async_trait;
use std::sync::Arc;

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// Who acts on a hold or booking: its owner, or staff acting for the venue (no ownership check).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The owner named here must be the hold's or booking's owner.
    Owner(OwnerId),
    /// Venue staff or an administrator.
    Staff,
}

impl Actor {
    /// Whether this actor may act on something owned by `owner`.
    pub fn may_act_for(&self, owner: &OwnerId) -> bool {
        match self {
            Actor::Owner(o) => o == owner,
            Actor::Staff => true,
        }
    }
}

/// Place a hold: take every seat or none.
#[derive(Debug, Clone)]
pub struct PlaceHold {
    /// The show.
    pub show: ShowId,
    /// The owner.
    pub owner: OwnerId,
    /// Distinct seats, validated against the layout by the engine.
    pub seats: Vec<SeatIdx>,
    /// Places of general-admission zones to pick, each zone once: the store picks free places
    /// in the same atomic step, appends them to the hold's seats in this order, and labels the
    /// quote's placeholders after them ([`crate::places`]). None free enough: nothing is placed
    /// ([`StoreError::PlacesUnavailable`]).
    pub places: Vec<ZonePick>,
    /// The engine's now.
    pub now: Timestamp,
    /// Expiry.
    pub expires_at: Timestamp,
    /// Latest expiry any extension may reach.
    pub max_expires_at: Timestamp,
    /// The owner may have at most this many live holds on the show (this one included).
    pub holds_per_owner_max: u32,
    /// The owner may have at most this many tickets on the show, held, pending and paid, this
    /// hold's seats included (the show's [`crate::Show::tickets_per_owner_max`]); `None`: no cap.
    pub tickets_per_owner_max: Option<u32>,
    /// The fixed price.
    pub quote: Arc<Quote>,
    /// For a store that counts the seats taken as it places
    /// ([`InventoryStore::counts_taken_at_place`]): the counts of seats taken at `now`, before
    /// this hold, for which `quote` is right, `lo..=hi`. Outside them the store places nothing
    /// and answers [`StoreError::Repriced`] with the count, for the engine to price again.
    /// `None`: the quote holds whatever the count.
    pub taken_band: Option<(u32, u32)>,
    /// The seats around `seats` as the engine saw them when it checked the no-orphan rule: the
    /// store places the hold only if each is still so at `now`, in the same atomic step, and
    /// otherwise places nothing and answers [`StoreError::SeatsChanged`], for the engine to
    /// check the rule again. Empty: nothing to check.
    pub witness: SeatWitness,
}

impl PlaceHold {
    /// Makes the places a store picked part of the request: appended to its seats, and named in
    /// its quote ([`crate::label_places`]). `picked` follows `places`: each zone's places in turn.
    pub fn take_places(&mut self, picked: &[SeatIdx]) {
        if picked.is_empty() {
            return;
        }
        self.quote = Arc::new(crate::places::label_places(&self.quote, &self.places, picked));
        self.seats.extend_from_slice(picked);
    }

    /// How many places `places` asks for in all.
    pub fn places_wanted(&self) -> usize {
        self.places.iter().map(|p| p.quantity as usize).sum()
    }

    /// The hold this request places, once the store has given it an id and a fence.
    pub fn into_hold(self, id: HoldId, fence: u64) -> Hold {
        Hold {
            id,
            show: self.show,
            owner: self.owner,
            seats: self.seats.into(),
            placed_at: self.now,
            expires_at: self.expires_at,
            max_expires_at: self.max_expires_at,
            fence,
            quote: self.quote,
        }
    }
}

/// Extend a live hold to `min(now + extend_by_ms, max_expires_at)`.
#[derive(Debug, Clone)]
pub struct ExtendHold {
    /// The hold.
    pub hold: HoldId,
    /// Who asks.
    pub actor: Actor,
    /// The engine's now.
    pub now: Timestamp,
    /// New time to live from now.
    pub extend_by_ms: i64,
    /// If set, the hold's current fence must equal it.
    pub expected_fence: Option<u64>,
}

/// Release a live hold.
#[derive(Debug, Clone)]
pub struct ReleaseHold {
    /// The hold.
    pub hold: HoldId,
    /// Who asks.
    pub actor: Actor,
    /// The engine's now.
    pub now: Timestamp,
    /// If set, the hold's current fence must equal it.
    pub expected_fence: Option<u64>,
}

/// Turn a live hold into a pending booking (idempotent by key).
#[derive(Debug, Clone)]
pub struct CreateBooking {
    /// The hold to consume.
    pub hold: HoldId,
    /// Who asks.
    pub actor: Actor,
    /// The engine's now.
    pub now: Timestamp,
    /// The same key with the same hold returns the first answer; with another hold, a conflict.
    pub idempotency_key: String,
    /// The payment deadline is `max(hold expiry, min(now + payment_window_ms, hold max expiry))`.
    pub payment_window_ms: i64,
    /// If set, the hold's current fence must equal it.
    pub expected_fence: Option<u64>,
}

/// Confirm a pending booking (idempotent by key).
#[derive(Debug, Clone)]
pub struct ConfirmBooking {
    /// The booking.
    pub booking: BookingId,
    /// Who asks.
    pub actor: Actor,
    /// The engine's now.
    pub now: Timestamp,
    /// The payment's reference.
    pub payment_ref: String,
    /// The same key on the same booking returns the first answer; on another booking, a conflict.
    pub idempotency_key: String,
}

/// Cancel or refund a booking.
#[derive(Debug, Clone)]
pub struct EndBooking {
    /// The booking.
    pub booking: BookingId,
    /// Who asks.
    pub actor: Actor,
    /// The engine's now.
    pub now: Timestamp,
    /// `Cancel` or `Refund`.
    pub action: BookingAction,
}

/// What a sweep tidied up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Expired holds removed (one `HoldExpired` event each).
    pub holds_expired: u32,
    /// Pending bookings past their deadline (one `BookingExpired` event each).
    pub bookings_expired: u32,
}

impl SweepReport {
    /// Total items tidied.
    pub fn total(&self) -> u32 {
        self.holds_expired + self.bookings_expired
    }
}

/// What cancelling a show released.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShowCancellation {
    /// Holds released.
    pub holds: Vec<HoldId>,
    /// Bookings cancelled (their owners should be told).
    pub bookings: Vec<BookingId>,
}

/// Theatres, screens and shows.
#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Creates a theatre.
    async fn create_theatre(&self, theatre: NewTheatre) -> StoreResult<Theatre>;
    /// One theatre, or `NotFound`.
    async fn theatre(&self, id: TheatreId) -> StoreResult<Theatre>;
    /// Every theatre, by id.
    async fn theatres(&self) -> StoreResult<Vec<Theatre>>;
    /// Adds a screen to a theatre (`NotFound` if the theatre does not exist).
    async fn add_screen(&self, screen: NewScreen) -> StoreResult<Screen>;
    /// One screen, or `NotFound`.
    async fn screen(&self, id: ScreenId) -> StoreResult<Screen>;
    /// The screens of a theatre, by id.
    async fn screens(&self, theatre: TheatreId) -> StoreResult<Vec<Screen>>;
    /// Changes a theatre's name, city and time zone (`NotFound` if there is none). Its shows
    /// keep the time zone they were scheduled in.
    async fn update_theatre(&self, id: TheatreId, theatre: NewTheatre) -> StoreResult<Theatre>;
    /// Removes a theatre that has no screen (`InvalidRequest` on `theatre` otherwise).
    async fn remove_theatre(&self, id: TheatreId) -> StoreResult<()>;
    /// Renames a screen and gives it a new layout (`NotFound` if there is none). Its shows keep
    /// the layout they were scheduled with: only shows scheduled from now on take the new one.
    async fn update_screen(&self, id: ScreenId, name: String, layout: Arc<SeatLayout>)
    -> StoreResult<Screen>;
    /// Removes a screen no show was ever scheduled on, cancelled or not (`InvalidRequest` on
    /// `screen` otherwise: the shows' history keeps its screen), atomically with scheduling.
    async fn remove_screen(&self, id: ScreenId) -> StoreResult<()>;
    /// Schedules a show and creates its inventory, atomically refusing an overlap with another
    /// scheduled show on the same screen (`ShowOverlap`). Appends `ShowScheduled` as event 1.
    async fn schedule_show(&self, show: NewShow, now: Timestamp) -> StoreResult<Arc<Show>>;
    /// One show, or `NotFound`.
    async fn show(&self, id: ShowId) -> StoreResult<Arc<Show>>;
    /// Shows matching the filter, by start time then id.
    async fn shows(&self, filter: &ShowFilter) -> StoreResult<Vec<Arc<Show>>>;
    /// Cancels a show in one step: releases its holds, cancels its pending and confirmed bookings
    /// (one event each), then appends `ShowCancelled`. Cancelling twice is an `InvalidRequest`.
    async fn cancel_show(&self, id: ShowId, now: Timestamp) -> StoreResult<ShowCancellation>;
}

/// Seat state and holds.
#[async_trait]
pub trait InventoryStore: Send + Sync {
    /// Takes every seat or none: `SeatUnavailable` lists every seat taken at `now` or blocked;
    /// `SeatsChanged` lists the seats of [`PlaceHold::witness`] no longer as it says;
    /// `LimitExceeded` when the owner already has `holds_per_owner_max` live holds on the show,
    /// or when this hold's seats would take the owner past `tickets_per_owner_max` tickets
    /// (seats of live holds, pending bookings and paid ones), checked in the same atomic step;
    /// `ShowCancelled`; `NotFound`. Appends `HoldPlaced`; the hold's fence is that event's seq.
    async fn place_hold(&self, req: PlaceHold) -> StoreResult<Hold>;
    /// Extends a live hold; `HoldExpired`, `NotOwner`, `StaleFence`, `LimitExceeded`
    /// (`hold_lifetime` when the expiry cannot grow). Appends `HoldExtended`; the fence grows.
    async fn extend_hold(&self, req: ExtendHold) -> StoreResult<Hold>;
    /// Releases a live hold; `HoldExpired`, `NotOwner`, `StaleFence`, `NotFound`. Appends `HoldReleased`.
    async fn release_hold(&self, req: ReleaseHold) -> StoreResult<Hold>;
    /// A hold that is live or expired but not yet swept; `NotFound` once released, consumed or swept.
    async fn hold(&self, id: HoldId) -> StoreResult<Hold>;
    /// The raw occupant of every seat of the show, by seat index.
    async fn seat_occupancy(&self, show: ShowId) -> StoreResult<Vec<SeatOccupant>>;
    /// How many seats of the show are taken at `now` (held, being booked, pending or sold): what
    /// demand pricing reads on every hold. The default counts [`seat_occupancy`]; a store that
    /// can count where the seats are (without sending every seat's state) should override it.
    ///
    /// [`seat_occupancy`]: InventoryStore::seat_occupancy
    async fn seats_taken(&self, show: ShowId, now: Timestamp) -> StoreResult<u32> {
        let occupancy = self.seat_occupancy(show).await?;
        Ok(u32::try_from(occupancy.iter().filter(|o| o.is_taken(now)).count()).unwrap_or(u32::MAX))
    }
    /// Whether [`InventoryStore::place_hold`] honours [`PlaceHold::taken_band`], counting the
    /// seats taken in the same atomic step as it places. The engine then prices a demand-priced
    /// hold from the count it last saw and lets the store check it, instead of asking for the
    /// count first: one call to the store instead of two. Default: false.
    fn counts_taken_at_place(&self) -> bool {
        false
    }
    /// Removes up to `limit` expired holds and expires up to `limit` overdue pending bookings,
    /// appending one event each. Correctness never depends on it: expired leases are already free.
    async fn sweep_expired(&self, now: Timestamp, limit: u32) -> StoreResult<SweepReport>;
}

/// Bookings and tickets.
#[async_trait]
pub trait BookingStore: Send + Sync {
    /// Turns a live hold into a pending booking in one step (seats move from the hold to the
    /// booking; `BookingCreated` appended). Idempotent by key; keys are scoped per show and per
    /// owner (the hold's), so two customers who send one key make two bookings, and a retry after
    /// the hold is booked is recognised by the hold it names. When the hold's quote has a promo
    /// code whose show's pricing caps its redemptions
    /// ([`crate::PricingPolicy::promo_redemptions_max`]), the store counts the bookings that use
    /// it and refuses one past the cap with `PromoExhausted`, atomically with the booking.
    async fn create_booking(&self, req: CreateBooking) -> StoreResult<Booking>;
    /// Pending → Confirmed before the deadline (`HoldExpired` after it); seats sold;
    /// `BookingConfirmed` appended. Idempotent by key, scoped per show and per the booking's owner.
    async fn confirm_booking(&self, req: ConfirmBooking) -> StoreResult<Booking>;
    /// Cancel (pending or confirmed) or refund (confirmed): seats freed, one event appended.
    async fn end_booking(&self, req: EndBooking) -> StoreResult<Booking>;
    /// Checks in the ticket of `seat`; `AlreadyCheckedIn` the second time. Appends `TicketCheckedIn`.
    async fn check_in(&self, booking: BookingId, seat: SeatIdx, now: Timestamp) -> StoreResult<Booking>;
    /// One booking, or `NotFound`.
    async fn booking(&self, id: BookingId) -> StoreResult<Booking>;
    /// The bookings of an owner, newest first, at most `limit`.
    async fn bookings_of(&self, owner: &OwnerId, limit: usize) -> StoreResult<Vec<Booking>>;
}

/// The per-show ordered event log (the outbox).
#[async_trait]
pub trait EventLog: Send + Sync {
    /// Events of `show` with `seq > after`, in order, at most `limit`.
    async fn events_since(&self, show: ShowId, after: u64, limit: usize) -> StoreResult<Vec<Event>>;

    /// The logs of several shows in one call: for each `(show, after)` of `from`, what
    /// [`EventLog::events_since`] gives for it, at most `limit` of each show, the shows in the
    /// order of `from`. Every show must exist. A reader following many logs (a notifier) asks
    /// once instead of once per show; the default does ask once per show.
    async fn events_since_each(&self, from: &[(ShowId, u64)], limit: usize) -> StoreResult<Vec<Event>> {
        let mut out = Vec::new();
        for &(show, after) in from {
            out.extend(self.events_since(show, after, limit).await?);
        }
        Ok(out)
    }

    /// The seq of the last event of `show`'s log (0 while it is empty): where a reader that
    /// wants only what happens from now on starts. The default pages through the whole log;
    /// a store that keeps its log's next seq (every store does) should answer with one read.
    async fn head(&self, show: ShowId) -> StoreResult<u64> {
        let mut head = 0;
        loop {
            let page = self.events_since(show, head, EVENTS_PAGE_MAX).await?;
            let Some(last) = page.last() else { break };
            head = last.seq;
            if page.len() < EVENTS_PAGE_MAX {
                break;
            }
        }
        Ok(head)
    }
}

/// A complete store: what the engine runs on.
pub trait Store: CatalogueStore + InventoryStore + BookingStore + EventLog {}

impl<T: CatalogueStore + InventoryStore + BookingStore + EventLog> Store for T {}

/// A store chosen at run time.
pub type DynStore = Arc<dyn Store>;
