//! The engine on the in-memory store, as one object: every operation that makes sense on a device.
//!
//! Each method blocks until the core answers (the memory store answers at once), so the generated
//! Kotlin and Swift need no coroutines or async: call it from a background thread. The object is
//! shared across threads freely; the store makes every seat decision atomic.

use crate::call::{Live, block_on, guard};
use crate::convert::{id, instant, millis, timestamp};
use crate::error::BookingError;
use crate::layout::{BestSeatsRequest, SeatLayout};
use crate::pricing::PricingPolicy;
use crate::records::*;
use booking_core as bc;
use booking_core::{BookingId, HoldId, ScreenId, ShowId, TheatreId};
use booking_front as front;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Who acts on a hold or booking: its owner, or venue staff (no ownership check).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Actor {
    /// The owner named here must own the hold or booking.
    Owner {
        /// The owner id, as given to `hold`.
        id: String,
    },
    /// Venue staff or an administrator.
    Staff,
}

fn owner(id: &str) -> Result<bc::OwnerId, bc::BookingError> {
    bc::OwnerId::new(id)
}

/// A fencing token from Kotlin or Swift.
fn fence(v: Option<i64>) -> Result<Option<u64>, bc::BookingError> {
    v.map(|f| id("fence", f)).transpose()
}

fn actor(a: &Actor) -> Result<bc::Actor, bc::BookingError> {
    Ok(match a {
        Actor::Owner { id } => bc::Actor::Owner(owner(id)?),
        Actor::Staff => bc::Actor::Staff,
    })
}

/// The booking engine on an in-memory store, with its own clock and ticket-signing key.
#[derive(uniffi::Object)]
pub struct BookingEngine {
    engine: bc::BookingEngine,
    signer: bc::TicketSigner,
    manual: Option<bc::ManualClock>,
    _live: Live,
}

impl std::fmt::Debug for BookingEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookingEngine").field("manual_clock", &self.manual.is_some()).finish_non_exhaustive()
    }
}

impl BookingEngine {
    fn build(
        signing_key: &[u8],
        manual: Option<bc::ManualClock>,
        config: Option<EngineConfig>,
    ) -> Result<Arc<Self>, BookingError> {
        guard("BookingEngine", || {
            let signer = bc::TicketSigner::new(signing_key)?;
            let clock: Arc<dyn bc::Clock> = match &manual {
                Some(m) => Arc::new(m.clone()),
                None => Arc::new(bc::SystemClock),
            };
            let config = config.map_or_else(bc::EngineConfig::default, Into::into);
            let store = Arc::new(bc::MemoryStore::new());
            let engine = bc::BookingEngine::new(store, clock, signer.clone(), config)?;
            Ok(Arc::new(BookingEngine { engine, signer, manual, _live: Live::new() }))
        })
    }

    /// The layout of a show, to name its seats.
    async fn layout(&self, show: ShowId) -> Result<Arc<bc::SeatLayout>, bc::BookingError> {
        Ok(self.engine.show(show).await?.layout.clone())
    }

    fn hold_view(&self, h: &bc::Hold) -> front::Hold {
        front::Hold::new(h, self.engine.now())
    }

    async fn booking_view(&self, b: &bc::Booking) -> Result<front::Booking, bc::BookingError> {
        Ok(front::Booking::new(b, &*self.engine.show(b.show).await?, self.engine.now()))
    }
}

#[uniffi::export]
impl BookingEngine {
    /// An engine on a fresh in-memory store, on the system clock. `signing_key` (at least 32
    /// bytes) signs the tickets; `config` defaults to `defaultEngineConfig()`.
    #[uniffi::constructor(default(config = None))]
    pub fn new(signing_key: Vec<u8>, config: Option<EngineConfig>) -> Result<Arc<Self>, BookingError> {
        Self::build(&signing_key, None, config)
    }

    /// An engine whose clock stands at `start` and moves only with `advanceClock`: for tests,
    /// demos and simulations.
    #[uniffi::constructor(default(config = None))]
    pub fn with_manual_clock(
        signing_key: Vec<u8>,
        start: SystemTime,
        config: Option<EngineConfig>,
    ) -> Result<Arc<Self>, BookingError> {
        Self::build(&signing_key, Some(bc::ManualClock::new(timestamp(start))), config)
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> SystemTime {
        instant(self.engine.now())
    }

    /// Moves a manual clock forward; `InvalidInput` on the system clock.
    pub fn advance_clock(&self, by: Duration) -> Result<(), BookingError> {
        match &self.manual {
            Some(clock) => {
                clock.advance_millis(millis(by));
                Ok(())
            }
            None => Err(BookingError::invalid("clock", "only a manual clock can be moved")),
        }
    }

    /// The engine's limits.
    pub fn config(&self) -> EngineConfig {
        self.engine.config().clone().into()
    }

    /// Creates a theatre; `time_zone` is an IANA name such as `Europe/Paris`.
    pub fn create_theatre(
        &self,
        name: String,
        city: String,
        time_zone: String,
    ) -> Result<front::Theatre, BookingError> {
        let new = bc::NewTheatre { name, city, time_zone };
        block_on("createTheatre", async { Ok((&self.engine.create_theatre(new).await?).into()) })
    }

    /// Every theatre.
    pub fn theatres(&self) -> Result<Vec<front::Theatre>, BookingError> {
        block_on("theatres", async { Ok(self.engine.theatres().await?.iter().map(Into::into).collect()) })
    }

    /// One theatre.
    pub fn theatre(&self, theatre: i64) -> Result<front::Theatre, BookingError> {
        block_on("theatre", async {
            Ok((&self.engine.theatre(TheatreId(id("theatre", theatre)?)).await?).into())
        })
    }

    /// One screen, with the layout shows scheduled on it from now on take.
    pub fn screen(&self, screen: i64) -> Result<front::Screen, BookingError> {
        block_on("screen", async { Ok((&self.engine.screen(ScreenId(id("screen", screen)?)).await?).into()) })
    }

    /// The sequence number of the last event of a show's log (0 while empty).
    pub fn log_head(&self, show: i64) -> Result<i64, BookingError> {
        block_on("logHead", async {
            let seq = self.engine.log_head(ShowId(id("show", show)?)).await?;
            Ok(i64::try_from(seq).unwrap_or(i64::MAX))
        })
    }

    /// Adds a screen with its seat layout to a theatre.
    pub fn add_screen(
        &self,
        theatre: i64,
        name: String,
        layout: Arc<SeatLayout>,
    ) -> Result<front::Screen, BookingError> {
        let layout = (*layout.inner).clone();
        block_on("addScreen", async {
            let theatre = TheatreId(id("theatre", theatre)?);
            Ok((&self.engine.add_screen(theatre, &name, layout).await?).into())
        })
    }

    /// The screens of a theatre.
    pub fn screens(&self, theatre: i64) -> Result<Vec<front::Screen>, BookingError> {
        block_on("screens", async {
            let screens = self.engine.screens(TheatreId(id("theatre", theatre)?)).await?;
            Ok(screens.iter().map(Into::into).collect())
        })
    }

    /// Changes a theatre's name, city and time zone, checked as in `createTheatre`; shows already
    /// scheduled keep the time zone they were scheduled in.
    pub fn update_theatre(
        &self,
        theatre: i64,
        name: String,
        city: String,
        time_zone: String,
    ) -> Result<front::Theatre, BookingError> {
        let new = bc::NewTheatre { name, city, time_zone };
        block_on("updateTheatre", async {
            Ok((&self.engine.update_theatre(TheatreId(id("theatre", theatre)?), new).await?).into())
        })
    }

    /// Removes a theatre; `InvalidInput` on field `theatre` while it has screens.
    pub fn remove_theatre(&self, theatre: i64) -> Result<(), BookingError> {
        block_on("removeTheatre", async {
            self.engine.remove_theatre(TheatreId(id("theatre", theatre)?)).await
        })
    }

    /// Renames a screen and gives it a new seat layout; shows already scheduled keep the layout
    /// they were scheduled with, shows scheduled later take the new one.
    pub fn update_screen(
        &self,
        screen: i64,
        name: String,
        layout: Arc<SeatLayout>,
    ) -> Result<front::Screen, BookingError> {
        let layout = (*layout.inner).clone();
        block_on("updateScreen", async {
            let screen = ScreenId(id("screen", screen)?);
            Ok((&self.engine.update_screen(screen, &name, layout).await?).into())
        })
    }

    /// Removes a screen; `InvalidInput` on field `screen` once a show was scheduled on it.
    pub fn remove_screen(&self, screen: i64) -> Result<(), BookingError> {
        block_on("removeScreen", async { self.engine.remove_screen(ScreenId(id("screen", screen)?)).await })
    }

    /// Schedules a show at `pricing`, refusing an overlap with another show on the same screen.
    pub fn schedule_show(
        &self,
        show: ScheduleShow,
        pricing: Arc<PricingPolicy>,
    ) -> Result<front::Show, BookingError> {
        block_on("scheduleShow", async {
            let req = bc::ScheduleShow {
                screen: ScreenId(id("screen", show.screen)?),
                title: show.title,
                starts_at: timestamp(show.starts_at),
                ends_at: timestamp(show.ends_at),
                sales_open_at: show.sales_open_at.map(timestamp),
                sales_close_at: show.sales_close_at.map(timestamp),
                no_orphan: show.no_orphan,
                tickets_per_owner_max: show.tickets_per_owner_max,
                pricing: pricing.inner.clone(),
                accessible_release_before_ms: show.accessible_release_before.map(crate::convert::millis),
            };
            Ok(front::Show::from(&*self.engine.schedule_show(req).await?))
        })
    }

    /// One show.
    pub fn show(&self, show: i64) -> Result<front::Show, BookingError> {
        block_on("show", async {
            Ok(front::Show::from(&*self.engine.show(ShowId(id("show", show)?)).await?))
        })
    }

    /// Shows matching a filter, by start time.
    pub fn shows(&self, filter: ShowFilter) -> Result<Vec<front::Show>, BookingError> {
        block_on("shows", async {
            let filter = bc::ShowFilter::try_from(filter)?;
            Ok(self.engine.shows(&filter).await?.iter().map(|s| front::Show::from(&**s)).collect())
        })
    }

    /// Cancels a show: releases its holds and cancels its bookings.
    pub fn cancel_show(&self, show: i64) -> Result<front::ShowCancellation, BookingError> {
        block_on("cancelShow", async {
            Ok((&self.engine.cancel_show(ShowId(id("show", show)?)).await?).into())
        })
    }

    /// The seat layout of a show, to draw it and to check selections offline.
    pub fn seat_layout(&self, show: i64) -> Result<Arc<SeatLayout>, BookingError> {
        block_on("seatLayout", async { Ok(SeatLayout::wrap(self.layout(ShowId(id("show", show)?)).await?)) })
    }

    /// Every seat of a show with its status and current price.
    pub fn seat_map(&self, show: i64) -> Result<front::SeatMap, BookingError> {
        block_on("seatMap", async {
            let show = self.engine.show(ShowId(id("show", show)?)).await?;
            let states = self.engine.seat_states(&show).await?;
            Ok(front::SeatMap::new(&show, &states, 0))
        })
    }

    /// The price of seats and general-admission places now, without holding them (a place's
    /// line names its zone).
    #[uniffi::method(default(promo_code = None, places = []))]
    pub fn quote(
        &self,
        show: i64,
        seats: Vec<SeatChoice>,
        promo_code: Option<String>,
        places: Vec<PlaceChoice>,
    ) -> Result<front::Quote, BookingError> {
        let seats: Vec<bc::SeatChoice> = seats.into_iter().map(Into::into).collect();
        let places: Vec<bc::PlaceChoice> = places.into_iter().map(Into::into).collect();
        block_on("quote", async {
            let quote =
                self.engine.quote(ShowId(id("show", show)?), &seats, &places, promo_code.as_deref()).await?;
            Ok(front::Quote::from(&quote))
        })
    }

    /// The best free seats of a show now (centre-weighted, together where possible), by label.
    pub fn best_available(&self, show: i64, request: BestSeatsRequest) -> Result<Vec<String>, BookingError> {
        let req = request.into();
        block_on("bestAvailable", async { self.engine.best_available(ShowId(id("show", show)?), &req).await })
    }

    /// Holds seats: all of them or none, priced now, for the configured time to live.
    pub fn hold(&self, request: HoldRequest) -> Result<front::Hold, BookingError> {
        block_on("hold", async {
            let req = bc::HoldRequest {
                places: request.places.into_iter().map(Into::into).collect(),
                show: ShowId(id("show", request.show)?),
                owner: owner(&request.owner)?,
                seats: request.seats.into_iter().map(Into::into).collect(),
                promo_code: request.promo_code,
                accessible: request.accessible,
            };
            let hold = self.engine.hold(req).await?;
            Ok(self.hold_view(&hold))
        })
    }

    /// Extends a live hold by the time to live, never past its maximum lifetime.
    #[uniffi::method(default(expected_fence = None))]
    pub fn extend_hold(
        &self,
        hold: i64,
        actor: Actor,
        expected_fence: Option<i64>,
    ) -> Result<front::Hold, BookingError> {
        block_on("extendHold", async {
            let (hold, fence) = (HoldId(id("hold", hold)?), fence(expected_fence)?);
            let hold = self.engine.extend_hold(hold, self::actor(&actor)?, fence).await?;
            Ok(self.hold_view(&hold))
        })
    }

    /// Releases a live hold; its seats are free at once.
    #[uniffi::method(default(expected_fence = None))]
    pub fn release_hold(
        &self,
        hold: i64,
        actor: Actor,
        expected_fence: Option<i64>,
    ) -> Result<front::Hold, BookingError> {
        block_on("releaseHold", async {
            let (hold, fence) = (HoldId(id("hold", hold)?), fence(expected_fence)?);
            let hold = self.engine.release_hold(hold, self::actor(&actor)?, fence).await?;
            Ok(self.hold_view(&hold))
        })
    }

    /// A hold that is live, or expired but not yet swept.
    pub fn hold_info(&self, hold: i64) -> Result<front::Hold, BookingError> {
        block_on("holdInfo", async {
            let hold = self.engine.hold_info(HoldId(id("hold", hold)?)).await?;
            Ok(self.hold_view(&hold))
        })
    }

    /// Turns a live hold into a pending booking; the same `idempotency_key` gives the same answer.
    #[uniffi::method(default(expected_fence = None))]
    pub fn create_booking(
        &self,
        hold: i64,
        actor: Actor,
        idempotency_key: String,
        expected_fence: Option<i64>,
    ) -> Result<front::Booking, BookingError> {
        block_on("createBooking", async {
            let (hold, actor, fence) =
                (HoldId(id("hold", hold)?), self::actor(&actor)?, fence(expected_fence)?);
            let b = self.engine.create_booking(hold, actor, &idempotency_key, fence).await?;
            self.booking_view(&b).await
        })
    }

    /// Confirms a pending booking with a payment reference and issues its tickets.
    pub fn confirm_booking(
        &self,
        booking: i64,
        actor: Actor,
        payment_ref: String,
        idempotency_key: String,
    ) -> Result<front::Confirmation, BookingError> {
        block_on("confirmBooking", async {
            let (booking, actor) = (BookingId(id("booking", booking)?), self::actor(&actor)?);
            let c = self.engine.confirm_booking(booking, actor, &payment_ref, &idempotency_key).await?;
            let show = self.engine.show(c.booking.show).await?;
            Ok(front::Confirmation::new(&c, &show, self.engine.now()))
        })
    }

    /// Cancels a pending or confirmed booking; its seats are free at once.
    pub fn cancel_booking(&self, booking: i64, actor: Actor) -> Result<front::Booking, BookingError> {
        block_on("cancelBooking", async {
            let b =
                self.engine.cancel_booking(BookingId(id("booking", booking)?), self::actor(&actor)?).await?;
            self.booking_view(&b).await
        })
    }

    /// Refunds a confirmed booking; its seats are free at once.
    pub fn refund_booking(&self, booking: i64, actor: Actor) -> Result<front::Booking, BookingError> {
        block_on("refundBooking", async {
            let b =
                self.engine.refund_booking(BookingId(id("booking", booking)?), self::actor(&actor)?).await?;
            self.booking_view(&b).await
        })
    }

    /// One booking, if `actor` may see it.
    pub fn booking(&self, booking: i64, actor: Actor) -> Result<front::Booking, BookingError> {
        block_on("booking", async {
            let b = self.engine.booking(BookingId(id("booking", booking)?), &self::actor(&actor)?).await?;
            self.booking_view(&b).await
        })
    }

    /// An owner's bookings, newest first.
    pub fn bookings_of(&self, owner: String) -> Result<Vec<front::Booking>, BookingError> {
        block_on("bookingsOf", async {
            let mut out = Vec::new();
            for b in self.engine.bookings_of(&self::owner(&owner)?).await? {
                out.push(self.booking_view(&b).await?);
            }
            Ok(out)
        })
    }

    /// The tickets of a confirmed (or checked-in) booking.
    pub fn tickets(&self, booking: i64, actor: Actor) -> Result<Vec<front::Ticket>, BookingError> {
        block_on("tickets", async {
            let tickets =
                self.engine.tickets(BookingId(id("booking", booking)?), &self::actor(&actor)?).await?;
            Ok(tickets.iter().map(Into::into).collect())
        })
    }

    /// Verifies a ticket code offline with the engine's keys, without recording anything.
    pub fn verify_ticket(&self, code: String) -> Result<front::TicketClaims, BookingError> {
        guard("verifyTicket", || Ok(self.signer.verify(&code)?.into()))
    }

    /// The public keys that verify this engine's tickets, the signing one first (a JSON Web Key
    /// Set): give their `x` to door scanners and apps, for the top-level `verifyTicket`.
    pub fn ticket_keys(&self) -> Result<front::TicketKeys, BookingError> {
        guard("ticketKeys", || Ok(front::TicketKeys::new(&self.engine.ticket_keys())))
    }

    /// Checks in a ticket by its code: verified offline first, then recorded once.
    pub fn check_in(&self, code: String) -> Result<front::CheckIn, BookingError> {
        block_on("checkIn", async {
            let c = self.engine.check_in(&code).await?;
            let show = self.engine.show(c.booking.show).await?;
            Ok(front::CheckIn::new(&c, &show, self.engine.now()))
        })
    }

    /// Tidies expired holds and overdue pending bookings, emitting their events. Correctness never
    /// waits for it: an expired hold frees its seats the instant it expires.
    pub fn sweep_expired(&self) -> Result<front::SweepReport, BookingError> {
        block_on("sweepExpired", async { Ok((&self.engine.sweep_expired().await?).into()) })
    }

    /// Events of a show after sequence number `after`, in order, at most `limit` (capped at 10,000).
    pub fn events_since(&self, show: i64, after: i64, limit: u32) -> Result<Vec<front::Event>, BookingError> {
        block_on("eventsSince", async {
            let (show, after) = (ShowId(id("show", show)?), id("after", after)?);
            let events = self.engine.events_since(show, after, limit as usize).await?;
            let layout = self.layout(show).await?;
            Ok(events.iter().map(|e| front::Event::new(e, &layout)).collect())
        })
    }

    /// The logs of several shows in one read: for each cursor, in order, the show's events after
    /// its `after`, at most `limit` of each (capped at 10,000).
    pub fn events_since_each(
        &self,
        from: Vec<EventCursor>,
        limit: u32,
    ) -> Result<Vec<front::Event>, BookingError> {
        block_on("eventsSinceEach", async {
            let mut cursors = Vec::with_capacity(from.len());
            for (i, c) in from.iter().enumerate() {
                cursors.push((
                    ShowId(id(&format!("from[{i}].show"), c.show)?),
                    id(&format!("from[{i}].after"), c.after)?,
                ));
            }
            let events = self.engine.events_since_each(&cursors, limit as usize).await?;
            front::Event::all_of(&self.engine, &events).await
        })
    }
}
