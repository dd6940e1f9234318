//! `Engine`, bookings: create, confirm, cancel, refund, tickets and check-in, plus the sweeper
//! and the event log.

use crate::engine::Engine;
use crate::inputs::{actor_of, fence_of, id, owner_id};
use crate::run;
use crate::types::{self, Booking, CheckIn, Confirmation, Event, SweepReport, Ticket};
use booking_core::{BookingAction, BookingId, HoldId, ShowId};
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
    ) -> napi::Result<PromiseRaw<'env, Booking>> {
        let engine = self.engine();
        let call = async move {
            let hold = HoldId(id("hold", hold)?);
            engine?.create_booking(hold, actor_of(owner)?, &idempotency_key, fence_of(fence)?).await
        };
        run::promise(env, "createBooking", call, Booking::from)
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
    ) -> napi::Result<PromiseRaw<'env, Confirmation>> {
        let engine = self.engine();
        let call = async move {
            let booking = BookingId(id("booking", booking)?);
            engine?.confirm_booking(booking, actor_of(owner)?, &payment_ref, &idempotency_key).await
        };
        run::promise(env, "confirmBooking", call, |c| Confirmation {
            booking: Booking::from(c.booking),
            tickets: c.tickets.into_iter().map(Ticket::from).collect(),
        })
    }

    /// Cancels a pending or confirmed booking; its seats are free at once.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn cancel_booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Booking>> {
        self.end_booking(env, BookingAction::Cancel, booking, owner)
    }

    /// Refunds a confirmed booking; its seats are free at once.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn refund_booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Booking>> {
        self.end_booking(env, BookingAction::Refund, booking, owner)
    }

    /// One booking: its owner's, or any for staff (no `owner`).
    #[napi(catch_unwind, ts_return_type = "Promise<Booking>")]
    pub fn booking<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Booking>> {
        let engine = self.engine();
        let call =
            async move { engine?.booking(BookingId(id("booking", booking)?), &actor_of(owner)?).await };
        run::promise(env, "booking", call, Booking::from)
    }

    /// An owner's bookings, newest first.
    #[napi(catch_unwind, ts_return_type = "Promise<Booking[]>")]
    pub fn bookings_of<'env>(
        &self,
        env: &'env Env,
        owner: String,
    ) -> napi::Result<PromiseRaw<'env, Vec<Booking>>> {
        let engine = self.engine();
        let call = async move { engine?.bookings_of(&owner_id(&owner)?).await };
        run::promise(env, "bookingsOf", call, |v| v.into_iter().map(Booking::from).collect())
    }

    /// The tickets of a confirmed (or checked-in) booking.
    #[napi(catch_unwind, ts_return_type = "Promise<Ticket[]>")]
    pub fn tickets<'env>(
        &self,
        env: &'env Env,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Vec<Ticket>>> {
        let engine = self.engine();
        let call =
            async move { engine?.tickets(BookingId(id("booking", booking)?), &actor_of(owner)?).await };
        run::promise(env, "tickets", call, |v| v.into_iter().map(Ticket::from).collect())
    }

    /// Checks in a ticket by its code at the door: verified offline, then recorded once
    /// (`ALREADY_CHECKED_IN` the second time, `INVALID_TICKET` for a forged code).
    #[napi(catch_unwind, ts_return_type = "Promise<CheckIn>")]
    pub fn check_in<'env>(&self, env: &'env Env, code: String) -> napi::Result<PromiseRaw<'env, CheckIn>> {
        let engine = self.engine();
        let call = async move { engine?.check_in(&code).await };
        run::promise(env, "checkIn", call, |c| CheckIn {
            ticket: Ticket::from(c.ticket),
            booking: Booking::from(c.booking),
        })
    }

    /// Tidies expired holds and overdue pending bookings, appending their events (correctness
    /// never waits for it: an expired hold is free the instant it expires).
    #[napi(catch_unwind, ts_return_type = "Promise<SweepReport>")]
    pub fn sweep_expired<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, SweepReport>> {
        let engine = self.engine();
        let call = async move { engine?.sweep_expired().await };
        run::promise(env, "sweepExpired", call, |r| SweepReport {
            holds_expired: r.holds_expired,
            bookings_expired: r.bookings_expired,
        })
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
    ) -> napi::Result<PromiseRaw<'env, Vec<Event>>> {
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
            events.into_iter().map(|e| types::event(e, &show.layout)).collect()
        })
    }
}

impl Engine {
    /// Cancels or refunds a booking, as `owner` (staff when absent).
    fn end_booking<'env>(
        &self,
        env: &'env Env,
        action: BookingAction,
        booking: i64,
        owner: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, Booking>> {
        let engine = self.engine();
        let call = async move {
            let (engine, booking) = (engine?, BookingId(id("booking", booking)?));
            match action {
                BookingAction::Refund => engine.refund_booking(booking, actor_of(owner)?).await,
                _ => engine.cancel_booking(booking, actor_of(owner)?).await,
            }
        };
        let op = if action == BookingAction::Refund { "refundBooking" } else { "cancelBooking" };
        run::promise(env, op, call, Booking::from)
    }
}
