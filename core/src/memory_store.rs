//! The in-memory store: the embedded default for tests, bindings and the example service.
//!
//! Shows live in a `DashMap`; each show's seat state is a dense array behind its own
//! `parking_lot::Mutex`, so operations on different shows never contend and an operation on one
//! show is a single critical section (never held across an await: no method here awaits).

use crate::booking::Booking;
use crate::event::Event;
use crate::hold::Hold;
use crate::ids::{BookingId, HoldId, OwnerId, ScreenId, SeatIdx, ShowId, TheatreId};
use crate::layout::SeatLayout;
use crate::memory_show::ShowState;
use crate::occupancy::SeatOccupant;
use crate::show::{NewShow, Show, ShowFilter};
use crate::store::{
    BookingStore, CatalogueStore, ConfirmBooking, CreateBooking, EndBooking, EventLog, ExtendHold,
    InventoryStore, PlaceHold, ReleaseHold, ShowCancellation, StoreResult, SweepReport,
};
use crate::store_error::StoreError;
use crate::time::Timestamp;
use crate::venue::{NewScreen, NewTheatre, Screen, Theatre};
use async_trait::async_trait;
use dashmap::DashMap;
use parking_lot::Mutex;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default number of events kept per show before the oldest are dropped.
pub const MEMORY_EVENTS_PER_SHOW_MAX: usize = 1_000_000;

/// Tuning of the memory store.
#[derive(Debug, Clone)]
pub struct MemoryStoreConfig {
    /// Events kept per show; older ones are dropped and `events_since` before them is refused.
    pub events_per_show_max: usize,
}

impl Default for MemoryStoreConfig {
    fn default() -> Self {
        MemoryStoreConfig { events_per_show_max: MEMORY_EVENTS_PER_SHOW_MAX }
    }
}

#[derive(Clone)]
struct ShowSlot {
    show: Arc<Show>,
    state: Arc<Mutex<ShowState>>,
}

/// A complete [`Store`](crate::Store) in memory.
///
/// ```
/// # use booking_core::{MemoryStore, DynStore};
/// let store: DynStore = std::sync::Arc::new(MemoryStore::new());
/// ```
#[derive(Default)]
pub struct MemoryStore {
    config: MemoryStoreConfig,
    next_id: AtomicU64,
    theatres: DashMap<TheatreId, Theatre>,
    screens: DashMap<ScreenId, Screen>,
    /// Held while what exists in the catalogue changes together with what refers to it (a
    /// screen added to a theatre, a show to a screen, either removed): removing one then sees
    /// everything that refers to it.
    catalogue: Mutex<()>,
    schedule: DashMap<ScreenId, Vec<(ShowId, Timestamp, Timestamp)>>,
    shows: DashMap<ShowId, ShowSlot>,
    hold_index: DashMap<HoldId, ShowId>,
    booking_index: DashMap<BookingId, ShowId>,
    owner_bookings: DashMap<OwnerId, Vec<BookingId>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").field("shows", &self.shows.len()).finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// An empty store with default limits.
    pub fn new() -> Self {
        Self::with_config(MemoryStoreConfig::default())
    }

    /// An empty store with the given limits.
    pub fn with_config(config: MemoryStoreConfig) -> Self {
        MemoryStore { config, next_id: AtomicU64::new(1), ..Default::default() }
    }

    /// One id sequence for every kind keeps ids unique across kinds (handy in logs) and under 2^63.
    fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    fn slot(&self, show: ShowId) -> StoreResult<ShowSlot> {
        self.shows.get(&show).map(|s| s.clone()).ok_or_else(|| not_found("show", show))
    }

    fn state_of_hold(&self, hold: HoldId) -> StoreResult<Arc<Mutex<ShowState>>> {
        let show = *self.hold_index.get(&hold).ok_or_else(|| not_found("hold", hold))?;
        Ok(self.slot(show)?.state)
    }

    fn state_of_booking(&self, booking: BookingId) -> StoreResult<Arc<Mutex<ShowState>>> {
        let show = *self.booking_index.get(&booking).ok_or_else(|| not_found("booking", booking))?;
        Ok(self.slot(show)?.state)
    }

    /// Bytes used by the seat states of every show: 4 per seat plus 16 per live hold or booking.
    pub fn seat_state_bytes(&self) -> usize {
        self.shows.iter().map(|s| s.state.lock().seat_bytes()).sum()
    }
}

#[async_trait]
impl CatalogueStore for MemoryStore {
    async fn create_theatre(&self, t: NewTheatre) -> StoreResult<Theatre> {
        let theatre =
            Theatre { id: TheatreId(self.id()), name: t.name, city: t.city, time_zone: t.time_zone };
        self.theatres.insert(theatre.id, theatre.clone());
        Ok(theatre)
    }

    async fn theatre(&self, id: TheatreId) -> StoreResult<Theatre> {
        self.theatres.get(&id).map(|t| t.clone()).ok_or_else(|| not_found("theatre", id))
    }

    async fn theatres(&self) -> StoreResult<Vec<Theatre>> {
        let mut all: Vec<Theatre> = self.theatres.iter().map(|t| t.clone()).collect();
        all.sort_by_key(|t| t.id);
        Ok(all)
    }

    async fn add_screen(&self, s: NewScreen) -> StoreResult<Screen> {
        let _catalogue = self.catalogue.lock();
        if !self.theatres.contains_key(&s.theatre) {
            return Err(not_found("theatre", s.theatre));
        }
        let screen = Screen { id: ScreenId(self.id()), theatre: s.theatre, name: s.name, layout: s.layout };
        self.screens.insert(screen.id, screen.clone());
        Ok(screen)
    }

    async fn screen(&self, id: ScreenId) -> StoreResult<Screen> {
        self.screens.get(&id).map(|s| s.clone()).ok_or_else(|| not_found("screen", id))
    }

    async fn screens(&self, theatre: TheatreId) -> StoreResult<Vec<Screen>> {
        let mut all: Vec<Screen> =
            self.screens.iter().filter(|s| s.theatre == theatre).map(|s| s.clone()).collect();
        all.sort_by_key(|s| s.id);
        Ok(all)
    }

    async fn update_theatre(&self, id: TheatreId, t: NewTheatre) -> StoreResult<Theatre> {
        let mut theatre = self.theatres.get_mut(&id).ok_or_else(|| not_found("theatre", id))?;
        *theatre = Theatre { id, name: t.name, city: t.city, time_zone: t.time_zone };
        Ok(theatre.clone())
    }

    async fn remove_theatre(&self, id: TheatreId) -> StoreResult<()> {
        let _catalogue = self.catalogue.lock();
        if !self.theatres.contains_key(&id) {
            return Err(not_found("theatre", id));
        }
        if self.screens.iter().any(|s| s.theatre == id) {
            return Err(in_use("theatre", "it has screens; remove them first"));
        }
        self.theatres.remove(&id);
        Ok(())
    }

    async fn update_screen(
        &self,
        id: ScreenId,
        name: String,
        layout: Arc<SeatLayout>,
    ) -> StoreResult<Screen> {
        let mut screen = self.screens.get_mut(&id).ok_or_else(|| not_found("screen", id))?;
        screen.name = name;
        screen.layout = layout;
        Ok(screen.clone())
    }

    async fn remove_screen(&self, id: ScreenId) -> StoreResult<()> {
        let _catalogue = self.catalogue.lock();
        if !self.screens.contains_key(&id) {
            return Err(not_found("screen", id));
        }
        if self.shows.iter().any(|s| s.show.screen == id) {
            return Err(in_use("screen", "shows were scheduled on it; it stays for their history"));
        }
        self.screens.remove(&id);
        self.schedule.remove(&id);
        Ok(())
    }

    async fn schedule_show(&self, new: NewShow, now: Timestamp) -> StoreResult<Arc<Show>> {
        let _catalogue = self.catalogue.lock();
        if !self.screens.contains_key(&new.screen) {
            return Err(not_found("screen", new.screen));
        }
        // The entry guard serialises scheduling per screen, making check-and-insert atomic.
        let mut slots = self.schedule.entry(new.screen).or_default();
        if let Some((other, ..)) = slots.iter().find(|(_, s, e)| *s < new.ends_at && new.starts_at < *e) {
            return Err(StoreError::ShowOverlap { other: *other });
        }
        let show = Arc::new(new.into_show(ShowId(self.id())));
        let state = ShowState::new(show.clone(), now, self.config.events_per_show_max);
        self.shows.insert(show.id, ShowSlot { show: show.clone(), state: Arc::new(Mutex::new(state)) });
        slots.push((show.id, show.starts_at, show.ends_at));
        Ok(show)
    }

    async fn show(&self, id: ShowId) -> StoreResult<Arc<Show>> {
        self.shows.get(&id).map(|s| s.show.clone()).ok_or_else(|| not_found("show", id))
    }

    async fn shows(&self, filter: &ShowFilter) -> StoreResult<Vec<Arc<Show>>> {
        let mut all: Vec<Arc<Show>> =
            self.shows.iter().filter(|s| filter.matches(&s.show)).map(|s| s.show.clone()).collect();
        all.sort_by_key(|s| (s.starts_at, s.id));
        Ok(all)
    }

    async fn cancel_show(&self, id: ShowId, now: Timestamp) -> StoreResult<ShowCancellation> {
        let slot = self.slot(id)?;
        let (out, show) = {
            let mut state = slot.state.lock();
            let out = state.cancel(now)?;
            (out, state.show.clone())
        };
        for hold in &out.holds {
            self.hold_index.remove(hold);
        }
        if let Some(mut s) = self.shows.get_mut(&id) {
            s.show = show.clone();
        }
        if let Some(mut slots) = self.schedule.get_mut(&show.screen) {
            slots.retain(|(s, ..)| *s != id);
        }
        Ok(out)
    }
}

#[async_trait]
impl InventoryStore for MemoryStore {
    async fn place_hold(&self, req: PlaceHold) -> StoreResult<Hold> {
        let slot = self.slot(req.show)?;
        let id = HoldId(self.id());
        let hold = slot.state.lock().place_hold(id, req)?;
        self.hold_index.insert(id, hold.show);
        Ok(hold)
    }

    async fn extend_hold(&self, req: ExtendHold) -> StoreResult<Hold> {
        self.state_of_hold(req.hold)?.lock().extend_hold(req)
    }

    async fn release_hold(&self, req: ReleaseHold) -> StoreResult<Hold> {
        let id = req.hold;
        let hold = self.state_of_hold(id)?.lock().release_hold(req)?;
        self.hold_index.remove(&id);
        Ok(hold)
    }

    async fn hold(&self, id: HoldId) -> StoreResult<Hold> {
        let state = self.state_of_hold(id)?;
        let guard = state.lock();
        guard.hold(id).cloned().ok_or_else(|| not_found("hold", id))
    }

    async fn seat_occupancy(&self, show: ShowId) -> StoreResult<Vec<SeatOccupant>> {
        Ok(self.slot(show)?.state.lock().occupancy())
    }

    async fn sweep_expired(&self, now: Timestamp, limit: u32) -> StoreResult<SweepReport> {
        let states: Vec<Arc<Mutex<ShowState>>> = self.shows.iter().map(|s| s.state.clone()).collect();
        let mut report = SweepReport::default();
        for state in states {
            let left = limit.saturating_sub(report.holds_expired.max(report.bookings_expired));
            if left == 0 {
                break;
            }
            let (holds, bookings) = state.lock().sweep(now, left);
            for h in &holds {
                self.hold_index.remove(h);
            }
            report.holds_expired += holds.len() as u32;
            report.bookings_expired += bookings;
        }
        Ok(report)
    }
}

#[async_trait]
impl BookingStore for MemoryStore {
    async fn create_booking(&self, req: CreateBooking) -> StoreResult<Booking> {
        // A consumed hold stays in the index so that a retried create finds its show.
        let state = self.state_of_hold(req.hold)?;
        let id = BookingId(self.id());
        let booking = state.lock().create_booking(id, req)?;
        if booking.id == id {
            self.booking_index.insert(id, booking.show);
            self.owner_bookings.entry(booking.owner.clone()).or_default().push(id);
        }
        Ok(booking)
    }

    async fn confirm_booking(&self, req: ConfirmBooking) -> StoreResult<Booking> {
        self.state_of_booking(req.booking)?.lock().confirm_booking(req)
    }

    async fn end_booking(&self, req: EndBooking) -> StoreResult<Booking> {
        self.state_of_booking(req.booking)?.lock().end_booking(req)
    }

    async fn check_in(&self, booking: BookingId, seat: SeatIdx, now: Timestamp) -> StoreResult<Booking> {
        self.state_of_booking(booking)?.lock().check_in(booking, seat, now)
    }

    async fn booking(&self, id: BookingId) -> StoreResult<Booking> {
        let state = self.state_of_booking(id)?;
        let guard = state.lock();
        guard.booking(id).cloned().ok_or_else(|| not_found("booking", id))
    }

    async fn bookings_of(&self, owner: &OwnerId, limit: usize) -> StoreResult<Vec<Booking>> {
        let ids: Vec<BookingId> = self.owner_bookings.get(owner).map(|v| v.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for id in ids.into_iter().rev().take(limit) {
            out.push(self.booking(id).await?);
        }
        Ok(out)
    }
}

#[async_trait]
impl EventLog for MemoryStore {
    async fn events_since(&self, show: ShowId, after: u64, limit: usize) -> StoreResult<Vec<Event>> {
        self.slot(show)?.state.lock().events_since(after, limit)
    }

    async fn head(&self, show: ShowId) -> StoreResult<u64> {
        Ok(self.slot(show)?.state.lock().head())
    }
}

fn not_found(entity: &'static str, id: impl std::fmt::Display) -> StoreError {
    StoreError::NotFound { entity, id: id.to_string() }
}

fn in_use(field: &str, reason: &str) -> StoreError {
    StoreError::InvalidRequest { field: field.into(), reason: reason.into() }
}
