//! `Engine`, bookings: create, confirm, cancel, refund, tickets and check-in, plus the sweeper
//! and the event log.

use crate::engine::Engine;
use crate::inputs::{actor_of, fence_of, id, owner_id};
use crate::run;
use booking_core::{Booking, BookingAction, BookingEngine, BookingError, BookingId, HoldId, ShowId};
use booking_front as front;

use napi::Env;
use napi::bindgen_prelude::PromiseRaw;
use napi_derive::napi;

/// Events one `eventsSince` call returns when no limit is given.
const EVENTS_PAGE_DEFAULT: u32 = 1_000;

#[napi]
impl Engine {
    /// Turns a live hold into a pending booking; the same `idempotencyKey` with the same hold
    /// answers the first booking again. `owner` null or undefined acts as staff.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn create_booking<'env>(
        &self,
        env: &'env Env,
        hold: i64,
        owner: Option<String>,
        idempotency_key: String,
        fence: Option<i64>,
    ) -> napi::Result<PromiseRaw<'env, front::Booking>> {
        let engine = self.engine();
        let call = async move {
            let (engine, hold) = (engine?, HoldId(id("hold", hold)?));
            let b = engine.create_booking(hold, actor_of(owner)?, &idempotency_key, fence_of(fence)?).await?;
            view(&engine, &b).await
        };
        run::promise(env, "createBooking", call, |b| b)
    }

    /// Confirms a pending booking with a payment reference and issues its tickets; after the
    /// payment deadline, `HOLD_EXPIRED`.
    #[napi(catch_unwind, ts_return_type = "Promise<Confirmation>")]
    pub fn confirm_booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
        payment_ref: String,
        idempotency_key: String,
    ) -> napi::Result<PromiseRaw<'env, front::Confirmation>> {
        let engine = self.engine();
        let call = async move {
            let (engine, booking) = (engine?, BookingId(id("booking", booking)?));
            let c = engine.confirm_booking(booking, actor_of(owner)?, &payment_ref, &idempotency_key).await?;
            let show = engine.show(c.booking.show).await?;
            Ok(front::Confirmation::new(&c, &show, engine.now()))
        };
        run::promise(env, "confirmBooking", call, |c| c)
    }

    /// Cancels a pending or confirmed booking; its seats are free at once.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn cancel_booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, front::Booking>> {
        self.end_booking(env, BookingAction::Cancel, booking, owner)
    }

    /// Refunds a confirmed booking; its seats are free at once.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn refund_booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, front::Booking>> {
        self.end_booking(env, BookingAction::Refund, booking, owner)
    }

    /// One booking: its owner's, or any for staff (no `owner`).
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, front::Booking>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let b = engine.booking(BookingId(id("booking", booking)?), &actor_of(owner)?).await?;
            view(&engine, &b).await
        };
        run::promise(env, "booking", call, |b| b)
    }

    /// An owner's bookings, newest first.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking[]>")]
    pub fn bookings_of<'env>(
        &self,
        env: &'env Env,
        owner: String,
    ) -> napi::Result<PromiseRaw<'env, Vec<front::Booking>>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let mut views = Vec::new();
            for b in engine.bookings_of(&owner_id(&owner)?).await? {
                views.push(view(&engine, &b).await?);
            }
            Ok(views)
        };
        run::promise(env, "bookingsOf", call, |v| v)
    }

    /// The tickets of a confirmed (or checked-in) booking.
    #[napi(catch_unwind, ts_return_type = "Promise<Ticket[]>")]
    pub fn tickets<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Vec<front::Ticket>>> {
        let engine = self.engine();
        let call =
            async move { engine?.tickets(BookingId(id("booking", booking)?), &actor_of(owner)?).await };
        run::promise(env, "tickets", call, |v| v.iter().map(front::Ticket::from).collect())
    }

    /// Checks in a ticket by its code at the door: verified offline, then recorded once
    /// (`ALREADY_CHECKED_IN` the second time, `INVALID_TICKET` for a forged code).
    #[napi(catch_unwind, ts_return_type = "Promise<CheckIn>")]
    pub fn check_in<'env>(
        &self,
        env: &'env Env,
        code: String,
    ) -> napi::Result<PromiseRaw<'env, front::CheckIn>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let c = engine.check_in(&code).await?;
            let show = engine.show(c.booking.show).await?;
            Ok(front::CheckIn::new(&c, &show, engine.now()))
        };
        run::promise(env, "checkIn", call, |c| c)
    }

    /// Tidies expired holds and overdue pending bookings, appending their events (correctness
    /// never waits for it: an expired hold is free the instant it expires).
    #[napi(catch_unwind, ts_return_type = "Promise<SweepReport>")]
    pub fn sweep_expired<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, front::SweepReport>> {
        let engine = self.engine();
        let call = async move { engine?.sweep_expired().await };
        run::promise(env, "sweepExpired", call, |r| front::SweepReport::from(&r))
    }

    /// The show's events after sequence number `after` (default 0), in order, at most `limit`
    /// (default 1,000, capped at 10,000).
    #[napi(catch_unwind, ts_return_type = "Promise<Event[]>")]
    pub fn events_since<'env>(
        &self,
        env: &'env Env,
        show: i64,
        after: Option<i64>,
        limit: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, Vec<front::Event>>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let show = ShowId(id("show", show)?);
            let after = id("after", after.unwrap_or(0))?;
            let limit = limit.unwrap_or(EVENTS_PAGE_DEFAULT) as usize;
            let events = engine.events_since(show, after, limit).await?;
            Ok((events, engine.show(show).await?))
        };
        run::promise(env, "eventsSince", call, |(events, show)| {
            events.iter().map(|e| front::Event::new(e, &show.layout)).collect()
        })
    }

    /// The sequence number of the last event of the show's log (0 while empty).
    #[napi(catch_unwind, ts_return_type = "Promise<number>")]
    pub fn log_head<'env>(&self, env: &'env Env, show: i64) -> napi::Result<PromiseRaw<'env, i64>> {
        let engine = self.engine();
        let call = async move { engine?.log_head(ShowId(id("show", show)?)).await };
        run::promise(env, "logHead", call, |seq| i64::try_from(seq).unwrap_or(i64::MAX))
    }

    /// The logs of several shows in one read: for each `{ show, after }` of `from`, in that
    /// order, the show's events after `after`, at most `limit` of each (default 1,000).
    #[napi(catch_unwind, ts_return_type = "Promise<Event[]>")]
    pub fn events_since_each<'env>(
        &self,
        env: &'env Env,
        from: Vec<Cursor>,
        limit: Option<u32>,
    ) -> napi::Result<PromiseRaw<'env, Vec<front::Event>>> {
        let engine = self.engine();
        let call = async move {
            let engine = engine?;
            let cursors = from
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    Ok((
                        ShowId(id(&format!("from[{i}].show"), c.show)?),
                        id(&format!("from[{i}].after"), c.after)?,
                    ))
                })
                .collect::<Result<Vec<_>, BookingError>>()?;
            let limit = limit.unwrap_or(EVENTS_PAGE_DEFAULT) as usize;
            let events = engine.events_since_each(&cursors, limit).await?;
            front::Event::all_of(&engine, &events).await
        };
        run::promise(env, "eventsSinceEach", call, |v| v)
    }
}

/// Where to read one show's log from.
#[napi(object)]
#[derive(Debug, Clone, Copy)]
pub struct Cursor {
    /// The show.
    pub show: i64,
    /// The last sequence number already read (0 for the whole log).
    pub after: i64,
}

impl Engine {
    /// Cancels or refunds a booking, as `owner` (staff when absent).
    fn end_booking<'env>(
        &self,
        env: &'env Env,
        action: BookingAction,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, front::Booking>> {
        let engine = self.engine();
        let call = async move {
            let (engine, booking) = (engine?, BookingId(id("booking", booking)?));
            let b = match action {
                BookingAction::Refund => engine.refund_booking(booking, actor_of(owner)?).await?,
                _ => engine.cancel_booking(booking, actor_of(owner)?).await?,
            };
            view(&engine, &b).await
        };
        let op = if action == BookingAction::Refund { "refundBooking" } else { "cancelBooking" };
        run::promise(env, op, call, |b| b)
    }
}

/// The view of a booking, with its show read (from the store's cache on PostgreSQL).
async fn view(engine: &BookingEngine, b: &Booking) -> Result<front::Booking, BookingError> {
    let show = engine.show(b.show).await?;
    Ok(front::Booking::new(b, &show, engine.now()))
}
