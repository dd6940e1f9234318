//! `Engine`: opening and closing, the clock, and the catalogue (theatres, screens, shows).
//!
//! Selling is in `engine_sell.rs`, bookings and the event log in `engine_booking.rs`.

use crate::errors;
use crate::inputs::{EngineOptions, NewShow, ShowFilter, id, instant};
use crate::layout::{self, LayoutSpec};
use crate::pricing::PricingPolicy;
use crate::run::{self, Outcome};
use booking_core::{
    BookingEngine, BookingError, Clock, ManualClock, NewTheatre, ScheduleShow, ScreenId, ShowId, SystemClock,
    TheatreId, TicketSigner,
};
use booking_front as front;
use booking_front::{Instant, StoreConfig, open_store};
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::PromiseRaw;
use napi::{Either, Env};
use napi_derive::napi;
use std::sync::{Arc, RwLock};

/// The booking engine on the store its options name (in memory by default).
///
/// Open one with `Engine.open(options)`. Every store operation returns a Promise; refusals reject
/// it with a `BookingError` whose `code` says why.
#[napi]
pub struct Engine {
    /// `None` once closed.
    inner: RwLock<Option<Arc<BookingEngine>>>,
    /// The PostgreSQL pool, closed with the engine.
    pool: Option<sqlx::PgPool>,
    /// Set when the engine runs on a manual clock.
    manual: Option<ManualClock>,
    kind: booking_front::StoreKind,
}

impl Engine {
    /// The engine, or `STORE_FAILURE` once it is closed.
    pub(crate) fn engine(&self) -> Outcome<Arc<BookingEngine>> {
        let closed = || BookingError::StoreFailure { message: "the engine is closed".into() };
        match self.inner.read() {
            Ok(guard) => guard.clone().ok_or_else(closed),
            Err(_) => Err(closed()),
        }
    }

    async fn open_engine(key: Vec<u8>, choice: StoreConfig, options: OpenParts) -> Outcome<Engine> {
        choice.kind()?;
        let signer = TicketSigner::new(&key)?;
        options.config.validate()?;
        let opened = open_store(&choice).await?;
        let manual = options.clock.map(|t| ManualClock::new(instant(t)));
        let clock: Arc<dyn Clock> = match &manual {
            Some(m) => Arc::new(m.clone()),
            None => Arc::new(SystemClock),
        };
        let engine = BookingEngine::new(opened.store, clock, signer, options.config)?;
        Ok(Engine {
            inner: RwLock::new(Some(Arc::new(engine))),
            pool: opened.pool,
            manual,
            kind: opened.kind,
        })
    }
}

/// The parts of the options the engine keeps.
struct OpenParts {
    config: booking_core::EngineConfig,
    clock: Option<DateTime<Utc>>,
}

#[napi]
impl Engine {
    /// Opens an engine: connects to its store (and migrates PostgreSQL) and checks the options.
    #[napi(catch_unwind, ts_return_type = "Promise<Engine>")]
    pub fn open<'env>(env: &'env Env, options: EngineOptions) -> napi::Result<PromiseRaw<'env, Engine>> {
        let key = match &options.signing_key {
            Either::A(text) => text.as_bytes().to_vec(),
            Either::B(bytes) => bytes.to_vec(),
        };
        let choice = StoreConfig {
            database_url: options.database_url.clone(),
            schema: options.schema.clone(),
            redis_url: options.redis_url.clone(),
            ..StoreConfig::default()
        };
        let parts = OpenParts { config: options.config(), clock: options.clock };
        run::promise(env, "open", Engine::open_engine(key, choice, parts), |e| e)
    }

    /// The store's kind.
    #[napi(catch_unwind, getter, ts_return_type = "'memory' | 'postgres' | 'postgres+redis'")]
    pub fn store(&self) -> &'static str {
        self.kind.as_str()
    }

    /// Closes the engine: later calls reject with `STORE_FAILURE`; a PostgreSQL pool is closed
    /// once the calls in flight are done.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn close<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        if let Ok(mut guard) = self.inner.write() {
            guard.take();
        }
        let pool = self.pool.clone();
        run::promise(
            env,
            "close",
            async move {
                if let Some(pool) = pool {
                    pool.close().await;
                }
                Ok(())
            },
            |()| (),
        )
    }

    /// Now, by the engine's clock.
    #[napi(catch_unwind)]
    pub fn now(&self, env: Env) -> napi::Result<Instant> {
        let engine = self.engine().map_err(|e| errors::to_napi(&env, &e))?;
        Ok(engine.now().into())
    }

    /// The public keys that verify this engine's tickets, the signing one first (a JSON Web Key
    /// Set): give their `x` to door scanners and apps, for `verifyTicket`.
    #[napi(catch_unwind)]
    pub fn ticket_keys(&self, env: Env) -> napi::Result<booking_front::TicketKeys> {
        let engine = self.engine().map_err(|e| errors::to_napi(&env, &e))?;
        Ok(booking_front::TicketKeys::new(&engine.ticket_keys()))
    }

    /// Moves a manual clock forward by `ms` milliseconds; refused for the system clock.
    #[napi(catch_unwind)]
    pub fn advance(&self, env: Env, ms: i64) -> napi::Result<()> {
        let refused = |reason: &str| errors::to_napi(&env, &BookingError::invalid("ms", reason));
        match (&self.manual, ms >= 0) {
            (Some(clock), true) => {
                clock.advance_millis(ms);
                Ok(())
            }
            (Some(_), false) => Err(refused("must not be negative")),
            (None, _) => Err(refused("only a manual clock (the `clock` option) can be moved")),
        }
    }

    /// Creates a theatre; `timeZone` is an IANA name such as `Europe/Paris`.
    #[napi(catch_unwind, ts_return_type = "Promise<Theatre>")]
    pub fn create_theatre<'env>(
        &self,
        env: &'env Env,
        name: String,
        city: String,
        time_zone: String,
    ) -> napi::Result<PromiseRaw<'env, front::Theatre>> {
        let engine = self.engine();
        let call = async move { engine?.create_theatre(NewTheatre { name, city, time_zone }).await };
        run::promise(env, "createTheatre", call, |t| front::Theatre::from(&t))
    }

    /// Every theatre.
    #[napi(catch_unwind, ts_return_type = "Promise<Theatre[]>")]
    pub fn theatres<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, Vec<front::Theatre>>> {
        let engine = self.engine();
        let call = async move { engine?.theatres().await };
        run::promise(env, "theatres", call, |v| v.iter().map(front::Theatre::from).collect())
    }

    /// One theatre.
    #[napi(catch_unwind, ts_return_type = "Promise<Theatre>")]
    pub fn theatre<'env>(
        &self,
        env: &'env Env,
        theatre: i64,
    ) -> napi::Result<PromiseRaw<'env, front::Theatre>> {
        let engine = self.engine();
        let call = async move { engine?.theatre(TheatreId(id("theatre", theatre)?)).await };
        run::promise(env, "theatre", call, |t| front::Theatre::from(&t))
    }

    /// One screen, with the layout shows scheduled on it from now on take.
    #[napi(catch_unwind, ts_return_type = "Promise<Screen>")]
    pub fn screen<'env>(&self, env: &'env Env, screen: i64) -> napi::Result<PromiseRaw<'env, front::Screen>> {
        let engine = self.engine();
        let call = async move { engine?.screen(ScreenId(id("screen", screen)?)).await };
        run::promise(env, "screen", call, |s| front::Screen::from(&s))
    }

    /// Adds a screen with a layout in its text form (a string) or its JSON form (an object).
    #[napi(catch_unwind, ts_return_type = "Promise<Screen>")]
    pub fn add_screen<'env>(
        &self,
        env: &'env Env,
        theatre: i64,
        name: String,
        layout: Either<String, LayoutSpec>,
    ) -> napi::Result<PromiseRaw<'env, front::Screen>> {
        let engine = self.engine();
        let call = async move {
            let theatre = TheatreId(id("theatre", theatre)?);
            let layout = layout::compile(layout)?;
            engine?.add_screen(theatre, &name, layout).await
        };
        run::promise(env, "addScreen", call, |s| front::Screen::from(&s))
    }

    /// The screens of a theatre.
    #[napi(catch_unwind, ts_return_type = "Promise<Screen[]>")]
    pub fn screens<'env>(
        &self,
        env: &'env Env,
        theatre: i64,
    ) -> napi::Result<PromiseRaw<'env, Vec<front::Screen>>> {
        let engine = self.engine();
        let call = async move { engine?.screens(TheatreId(id("theatre", theatre)?)).await };
        run::promise(env, "screens", call, |v| v.iter().map(front::Screen::from).collect())
    }

    /// Changes a theatre's name, city and time zone, checked as in `createTheatre`; shows already
    /// scheduled keep the time zone they were scheduled in.
    #[napi(catch_unwind, ts_return_type = "Promise<Theatre>")]
    pub fn update_theatre<'env>(
        &self,
        env: &'env Env,
        theatre: i64,
        name: String,
        city: String,
        time_zone: String,
    ) -> napi::Result<PromiseRaw<'env, front::Theatre>> {
        let engine = self.engine();
        let call = async move {
            let theatre = TheatreId(id("theatre", theatre)?);
            engine?.update_theatre(theatre, NewTheatre { name, city, time_zone }).await
        };
        run::promise(env, "updateTheatre", call, |t| front::Theatre::from(&t))
    }

    /// Removes a theatre; `INVALID_INPUT` on field `theatre` while it has screens.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn remove_theatre<'env>(&self, env: &'env Env, theatre: i64) -> napi::Result<PromiseRaw<'env, ()>> {
        let engine = self.engine();
        let call = async move { engine?.remove_theatre(TheatreId(id("theatre", theatre)?)).await };
        run::promise(env, "removeTheatre", call, |()| ())
    }

    /// Renames a screen and gives it a new layout, in its text form (a string) or its JSON form
    /// (an object); shows already scheduled keep the layout they were scheduled with.
    #[napi(catch_unwind, ts_return_type = "Promise<Screen>")]
    pub fn update_screen<'env>(
        &self,
        env: &'env Env,
        screen: i64,
        name: String,
        layout: Either<String, LayoutSpec>,
    ) -> napi::Result<PromiseRaw<'env, front::Screen>> {
        let engine = self.engine();
        let call = async move {
            let screen = ScreenId(id("screen", screen)?);
            let layout = layout::compile(layout)?;
            engine?.update_screen(screen, &name, layout).await
        };
        run::promise(env, "updateScreen", call, |s| front::Screen::from(&s))
    }

    /// Removes a screen; `INVALID_INPUT` on field `screen` once a show was scheduled on it.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn remove_screen<'env>(&self, env: &'env Env, screen: i64) -> napi::Result<PromiseRaw<'env, ()>> {
        let engine = self.engine();
        let call = async move { engine?.remove_screen(ScreenId(id("screen", screen)?)).await };
        run::promise(env, "removeScreen", call, |()| ())
    }

    /// Schedules a show on a screen, priced by `pricing`; `SHOW_OVERLAP` when it overlaps another
    /// show on that screen.
    #[napi(catch_unwind, ts_return_type = "Promise<Show>")]
    pub fn schedule_show<'env>(
        &self,
        env: &'env Env,
        show: NewShow,
        pricing: &PricingPolicy,
    ) -> napi::Result<PromiseRaw<'env, front::Show>> {
        let engine = self.engine();
        let pricing = pricing.inner.clone();
        let call = async move {
            let req = ScheduleShow {
                screen: ScreenId(id("screen", show.screen)?),
                title: show.title,
                starts_at: instant(show.starts_at),
                ends_at: instant(show.ends_at),
                sales_open_at: show.sales_open_at.map(instant),
                sales_close_at: show.sales_close_at.map(instant),
                no_orphan: show.no_orphan.unwrap_or(true),
                tickets_per_owner_max: show.tickets_per_owner_max,
                pricing,
                accessible_release_before_ms: show.accessible_release_before_ms,
            };
            engine?.schedule_show(req).await
        };
        run::promise(env, "scheduleShow", call, |s| front::Show::from(&*s))
    }

    /// One show.
    #[napi(catch_unwind, ts_return_type = "Promise<Show>")]
    pub fn show<'env>(&self, env: &'env Env, show: i64) -> napi::Result<PromiseRaw<'env, front::Show>> {
        let engine = self.engine();
        let call = async move { engine?.show(ShowId(id("show", show)?)).await };
        run::promise(env, "show", call, |s| front::Show::from(&*s))
    }

    /// Shows by start time, filtered.
    #[napi(catch_unwind, ts_return_type = "Promise<Show[]>")]
    pub fn shows<'env>(
        &self,
        env: &'env Env,
        filter: Option<ShowFilter>,
    ) -> napi::Result<PromiseRaw<'env, Vec<front::Show>>> {
        let engine = self.engine();
        let f = filter.unwrap_or_default();
        let call = async move {
            let filter = booking_core::ShowFilter {
                theatre: f.theatre.map(|t| id("theatre", t).map(TheatreId)).transpose()?,
                screen: f.screen.map(|s| id("screen", s).map(ScreenId)).transpose()?,
                starts_from: f.starts_from.map(instant),
                starts_before: f.starts_before.map(instant),
                include_cancelled: f.include_cancelled.unwrap_or(false),
            };
            engine?.shows(&filter).await
        };
        run::promise(env, "shows", call, |v| v.iter().map(|s| front::Show::from(&**s)).collect())
    }

    /// Cancels a show: releases its holds and cancels its bookings.
    #[napi(catch_unwind, ts_return_type = "Promise<ShowCancellation>")]
    pub fn cancel_show<'env>(
        &self,
        env: &'env Env,
        show: i64,
    ) -> napi::Result<PromiseRaw<'env, front::ShowCancellation>> {
        let engine = self.engine();
        let call = async move { engine?.cancel_show(ShowId(id("show", show)?)).await };
        run::promise(env, "cancelShow", call, |c| front::ShowCancellation::from(&c))
    }
}
