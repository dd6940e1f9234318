//! The engine: one entry point whose operations are named after what a user does.
//!
//! A front (HTTP handler, Python, JS or Kotlin call) parses a request into core types; the engine
//! validates it against the rules (layout, selection, limits, pricing) and asks the store for one
//! atomic state change. The engine never reads and then writes in two steps for a seat decision:
//! reads it makes (for the no-orphan rule, demand pricing, best-available) only shape the request
//! that the store then checks and applies atomically.

use crate::clock_tz::TimeZoneCache;
use crate::engine_config::EngineConfig;
use crate::error::BookingError;
use crate::ids::{ScreenId, ShowId, TheatreId};
use crate::show::{NewShow, Show, ShowFilter};
use crate::store::{DynStore, ShowCancellation};
use crate::ticket::TicketSigner;
use crate::time::{Clock, Timestamp};
use crate::venue::{NewScreen, NewTheatre, Screen, Theatre, check_name};
use crate::{PricingPolicy, SeatLayout};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Longest show accepted: 24 hours.
pub const SHOW_DURATION_MS_MAX: i64 = 24 * 3_600_000;

/// The booking engine over a store chosen at run time.
///
/// ```
/// # use booking_core::*;
/// # use std::sync::Arc;
/// let engine = BookingEngine::new(
///     Arc::new(MemoryStore::new()),
///     Arc::new(SystemClock),
///     TicketSigner::new(&[42u8; 32]).unwrap(),
///     EngineConfig::default(),
/// ).unwrap();
/// # let _ = engine;
/// ```
#[derive(Clone)]
pub struct BookingEngine {
    pub(crate) store: DynStore,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) signer: TicketSigner,
    pub(crate) config: EngineConfig,
    pub(crate) zones: TimeZoneCache,
    pub(crate) demand: crate::engine_demand::DemandHints,
    /// Shared by the engine's clones: a booking created through one is paid through another.
    pub(crate) payables: Arc<crate::engine_payables::Payables>,
}

impl std::fmt::Debug for BookingEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookingEngine").field("config", &self.config).finish_non_exhaustive()
    }
}

/// What is needed to schedule a show.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScheduleShow {
    /// The screen.
    pub screen: ScreenId,
    /// What plays.
    pub title: String,
    /// Start.
    pub starts_at: Timestamp,
    /// End (after the start, at most 24 hours later).
    pub ends_at: Timestamp,
    /// Sales open; defaults to now.
    #[serde(default)]
    pub sales_open_at: Option<Timestamp>,
    /// Sales close; defaults to the start of the show.
    #[serde(default)]
    pub sales_close_at: Option<Timestamp>,
    /// Whether the no-orphan rule applies (default true).
    #[serde(default = "yes")]
    pub no_orphan: bool,
    /// Most tickets one owner may have on the show, held, pending and paid together; absent: the
    /// engine's [`EngineConfig::tickets_per_owner_max`].
    #[serde(default)]
    pub tickets_per_owner_max: Option<u32>,
    /// How long before the start the show stops keeping its unsold wheelchair places and
    /// companion seats for buyers who ask for an accessible place (0 to 30 days; absent:
    /// [`crate::ACCESSIBLE_RELEASE_BEFORE_MS_DEFAULT`], 48 hours).
    #[serde(default)]
    pub accessible_release_before_ms: Option<i64>,
    /// Prices; every seat category of the layout must have a base price. Shows that sell on the
    /// same tariff can share one policy (`Arc::clone`), which then costs its memory once.
    pub pricing: Arc<PricingPolicy>,
}

fn yes() -> bool {
    true
}

impl BookingEngine {
    /// An engine over `store`, reading time from `clock` and signing tickets with `signer`.
    pub fn new(
        store: DynStore,
        clock: Arc<dyn Clock>,
        signer: TicketSigner,
        config: EngineConfig,
    ) -> Result<Self, BookingError> {
        config.validate()?;
        Ok(BookingEngine {
            store,
            clock,
            signer,
            config,
            zones: TimeZoneCache::default(),
            demand: Default::default(),
            payables: Arc::default(),
        })
    }

    /// The store this engine runs on.
    pub fn store(&self) -> &DynStore {
        &self.store
    }

    /// The engine's limits.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Creates a theatre; the time zone must be a known IANA name.
    pub async fn create_theatre(&self, theatre: NewTheatre) -> Result<Theatre, BookingError> {
        check_name("name", &theatre.name)?;
        check_name("city", &theatre.city)?;
        self.zones.get("time_zone", &theatre.time_zone)?;
        Ok(self.store.create_theatre(theatre).await?)
    }

    /// Adds a screen with a validated layout to a theatre.
    pub async fn add_screen(
        &self,
        theatre: TheatreId,
        name: &str,
        layout: SeatLayout,
    ) -> Result<Screen, BookingError> {
        check_name("name", name)?;
        let new = NewScreen { theatre, name: name.to_string(), layout: Arc::new(layout) };
        Ok(self.store.add_screen(new).await?)
    }

    /// Changes a theatre's name, city and time zone, checked as when it was created. Shows
    /// already scheduled keep the time zone they were scheduled in.
    pub async fn update_theatre(&self, id: TheatreId, theatre: NewTheatre) -> Result<Theatre, BookingError> {
        check_name("name", &theatre.name)?;
        check_name("city", &theatre.city)?;
        self.zones.get("time_zone", &theatre.time_zone)?;
        Ok(self.store.update_theatre(id, theatre).await?)
    }

    /// Removes a theatre that has no screen left.
    pub async fn remove_theatre(&self, id: TheatreId) -> Result<(), BookingError> {
        Ok(self.store.remove_theatre(id).await?)
    }

    /// Renames a screen and gives it a new, validated layout. Shows already scheduled keep the
    /// layout (and seat inventory) they were scheduled with; shows scheduled after take the new.
    pub async fn update_screen(
        &self,
        id: ScreenId,
        name: &str,
        layout: SeatLayout,
    ) -> Result<Screen, BookingError> {
        check_name("name", name)?;
        Ok(self.store.update_screen(id, name.to_string(), Arc::new(layout)).await?)
    }

    /// Removes a screen no show was ever scheduled on.
    pub async fn remove_screen(&self, id: ScreenId) -> Result<(), BookingError> {
        Ok(self.store.remove_screen(id).await?)
    }

    /// Schedules a show, refusing an overlap with another show on the same screen.
    pub async fn schedule_show(&self, req: ScheduleShow) -> Result<Arc<Show>, BookingError> {
        check_name("title", &req.title)?;
        let now = self.now();
        let duration = req.ends_at.millis_since(req.starts_at);
        if duration <= 0 {
            return Err(BookingError::invalid("ends_at", "must be after starts_at"));
        }
        if duration > SHOW_DURATION_MS_MAX {
            return Err(BookingError::invalid("ends_at", "a show may last at most 24 hours"));
        }
        let open = req.sales_open_at.unwrap_or(now);
        let close = req.sales_close_at.unwrap_or(req.starts_at);
        if close <= open {
            return Err(BookingError::invalid("sales_close_at", "must be after sales_open_at"));
        }
        if close > req.ends_at {
            return Err(BookingError::invalid("sales_close_at", "must not be after the end of the show"));
        }
        crate::engine_config::check_tickets_per_owner("tickets_per_owner_max", req.tickets_per_owner_max)?;
        let release_before =
            req.accessible_release_before_ms.unwrap_or(crate::ACCESSIBLE_RELEASE_BEFORE_MS_DEFAULT);
        if !(0..=crate::ACCESSIBLE_RELEASE_BEFORE_MS_MAX).contains(&release_before) {
            return Err(BookingError::invalid(
                "accessible_release_before_ms",
                "must be between 0 and 30 days",
            ));
        }
        req.pricing.validate()?;
        let screen = self.store.screen(req.screen).await?;
        for category in screen.layout.categories() {
            if req.pricing.base_price(category).is_none() {
                return Err(BookingError::invalid(
                    "pricing.category_prices",
                    format!("no price for seat category {category:?} of the layout"),
                ));
            }
        }
        let theatre = self.store.theatre(screen.theatre).await?;
        let new = NewShow {
            screen: screen.id,
            theatre: theatre.id,
            title: req.title,
            starts_at: req.starts_at,
            ends_at: req.ends_at,
            sales_open_at: open,
            sales_close_at: close,
            no_orphan: req.no_orphan,
            tickets_per_owner_max: req.tickets_per_owner_max.or(self.config.tickets_per_owner_max),
            accessible_until: Some(Timestamp(req.starts_at.millis().saturating_sub(release_before))),
            time_zone: theatre.time_zone,
            layout: screen.layout,
            pricing: req.pricing,
        };
        Ok(self.store.schedule_show(new, now).await?)
    }

    /// Cancels a show: releases its holds and cancels its bookings (owners are told through the
    /// event log).
    pub async fn cancel_show(&self, show: ShowId) -> Result<ShowCancellation, BookingError> {
        Ok(self.store.cancel_show(show, self.now()).await?)
    }

    /// One show.
    pub async fn show(&self, show: ShowId) -> Result<Arc<Show>, BookingError> {
        Ok(self.store.show(show).await?)
    }

    /// Shows matching a filter, by start time.
    pub async fn shows(&self, filter: &ShowFilter) -> Result<Vec<Arc<Show>>, BookingError> {
        Ok(self.store.shows(filter).await?)
    }

    /// Every theatre.
    pub async fn theatres(&self) -> Result<Vec<Theatre>, BookingError> {
        Ok(self.store.theatres().await?)
    }

    /// The screens of a theatre.
    pub async fn screens(&self, theatre: TheatreId) -> Result<Vec<Screen>, BookingError> {
        Ok(self.store.screens(theatre).await?)
    }

    /// One theatre.
    pub async fn theatre(&self, id: TheatreId) -> Result<Theatre, BookingError> {
        Ok(self.store.theatre(id).await?)
    }

    /// One screen, with the layout shows scheduled on it from now on take.
    pub async fn screen(&self, id: ScreenId) -> Result<Screen, BookingError> {
        Ok(self.store.screen(id).await?)
    }

    /// The public keys that verify this engine's tickets, the signing one first: what door
    /// scanners and apps need to verify tickets offline ([`crate::TicketVerifier`]). The secret
    /// never leaves the engine.
    pub fn ticket_keys(&self) -> Vec<crate::TicketKey> {
        self.signer.verifier().keys().copied().collect()
    }

    /// The seq of the last event of a show's log (0 while empty): a reader that wants what
    /// happens from now on (a live seat map) starts after it. See [`crate::EventLog::head`].
    pub async fn log_head(&self, show: ShowId) -> Result<u64, BookingError> {
        Ok(self.store.head(show).await?)
    }
}
