//! Bookings: the hold is checked and locked on Redis, the booking is written to PostgreSQL under
//! its seat-claim constraint (the final arbiter), then Redis hands the seats to the booking.

use crate::HybridStore;
use crate::holds::{actor_arg, fence_arg};
use crate::keys::split_id;
use crate::outbox::decode_all;
use crate::reply::{hold_number, seat_csv};
use crate::scripts::scripts;
use async_trait::async_trait;
use booking_core::{
    Booking, BookingId, BookingStatus, BookingStore, CatalogueStore, ConfirmBooking, CreateBooking,
    EndBooking, Event, EventLog, OwnerId, Quote, SeatIdx, ShowId, StoreError, StoreResult, Timestamp,
};
use booking_postgres::LedgerBooking;

/// Errors after which PostgreSQL may or may not have written: the hold stays locked until the
/// sweeper asks PostgreSQL, rather than be handed back and maybe offered twice.
fn outcome_unknown(e: &StoreError) -> bool {
    matches!(e, StoreError::Unavailable { .. } | StoreError::Backend { .. })
}

impl HybridStore {
    /// Tells Redis what became of a booking's seats once PostgreSQL has changed it; a
    /// confirmation also drops the queued events up to `flushed` (they are in the log now).
    pub(crate) async fn after_booking_change(&self, b: &Booking, flushed: Option<u64>) -> StoreResult<()> {
        let (show, number) = split_id(b.id.0);
        let script = match b.status {
            BookingStatus::Pending => return Ok(()),
            BookingStatus::Confirmed | BookingStatus::CheckedIn => &scripts().confirmed,
            BookingStatus::Expired | BookingStatus::Cancelled | BookingStatus::Refunded => &scripts().free,
        };
        let mut inv = self.call(script, show);
        // Only `confirmed` reads the flushed tick; both keep the owner's bookings list.
        inv.arg(number).arg(seat_csv(&b.seats)).arg(flushed.map(|t| t.to_string()).unwrap_or_default());
        inv.arg(b.owner.as_str());
        self.invoke(&inv).await.map(drop)
    }

    /// The redemption limit of a consumed hold's promo code, from its show's pricing (cached by
    /// the PostgreSQL store, and read only for a quote with a code): found here, since the hold
    /// comes back with the consume.
    async fn promo_limit<'q>(&self, show: ShowId, quote: &'q Quote) -> StoreResult<Option<(&'q str, u32)>> {
        if quote.promo_code.is_none() {
            return Ok(None);
        }
        Ok(self.pg.show(show).await?.pricing.promo_cap(quote))
    }

    /// A failure to update Redis after PostgreSQL answered: the seats stay taken on Redis (never
    /// shown free while booked) until the next seeding or sweep, and the caller gets its answer.
    fn redis_lagging(&self, show: ShowId, r: StoreResult<()>) {
        if let Err(e) = r {
            tracing::warn!(%show, error = %e, "redis could not follow a booking change postgresql made");
        }
    }
}

/// What a `confirm` script marked sold (cells `s<booking>:m`): the seeding it was made on, and
/// the booking's seats and deadline (for `unconfirm`, which takes back only such marks).
struct Mark<'r> {
    epoch: Option<u64>,
    seats: &'r str,
    deadline: &'r str,
    owner: &'r str,
}

#[async_trait]
impl BookingStore for HybridStore {
    async fn create_booking(&self, req: CreateBooking) -> StoreResult<Booking> {
        let (show, number) = hold_number(req.hold);
        let mut inv = self.call(&scripts().consume, show);
        inv.arg(number).arg(actor_arg(&req.actor)).arg(req.now.millis()).arg(fence_arg(req.expected_fence));
        inv.arg(req.hold.0);
        let reply = self.run(show, req.now, &inv).await?;
        if reply.code() == "not_found" {
            // Booked already? Then this is a retry, and it gets the first answer.
            return match self.pg.ledger_created_with(show, &req.idempotency_key, req.hold, &req.actor).await?
            {
                Some(b) => Ok(b),
                None => Err(reply.error()),
            };
        }
        if !reply.is_ok() {
            return Err(reply.error());
        }
        let hold = reply.hold(show)?;
        let epoch = reply.int(9)? as u64;
        let events = decode_all(show, reply.rest(10))?;
        let promo = match self.promo_limit(show, &hold.quote).await {
            Ok(p) => p,
            Err(e) => {
                self.redis_lagging(show, self.unconsume(show, number).await);
                return Err(e);
            }
        };
        let ledger = LedgerBooking {
            show,
            hold: req.hold,
            owner: &hold.owner,
            seats: &hold.seats,
            quote: &hold.quote,
            hold_expires_at: hold.expires_at,
            max_expires_at: hold.max_expires_at,
            now: req.now,
            idempotency_key: &req.idempotency_key,
            payment_window_ms: req.payment_window_ms,
            promo,
            epoch,
            events: &events,
        };
        match self.pg.ledger_book(ledger).await {
            Ok(b) => {
                let flushed = events.last().map_or(0, |e| e.tick);
                let settled =
                    self.settle(show, number, split_id(b.id.0).1, b.payment_deadline, flushed).await;
                self.redis_lagging(show, settled);
                Ok(b)
            }
            Err(e) if outcome_unknown(&e) => Err(e),
            Err(e) => {
                self.redis_lagging(show, self.unconsume(show, number).await);
                Err(e)
            }
        }
    }

    async fn confirm_booking(&self, req: ConfirmBooking) -> StoreResult<Booking> {
        let (show, number) = split_id(req.booking.0);
        let mut inv = self.call(&scripts().confirm, show);
        inv.arg(number).arg(req.now.millis());
        let reply = self.run(show, req.now, &inv).await?;
        if !reply.is_ok() {
            return Err(reply.error());
        }
        let marked = reply.int(1)?.max(0) as usize;
        let mark = Mark {
            epoch: reply.text(2)?.parse().ok(),
            seats: reply.text(3)?,
            deadline: reply.text(4)?,
            owner: reply.text(5)?,
        };
        // The queued hold events go into the log with the confirmation, ahead of it.
        let events = decode_all(show, reply.rest(6))?;
        match self.pg.ledger_confirm(req, &events).await {
            Ok((b, epoch)) => {
                // The mark stands when it took every seat and no seeding of Redis came between it
                // and PostgreSQL's lock; otherwise Redis is told (the outbox keeps the events just
                // logged until the next call that trims it).
                if marked != b.seats.len() || epoch.is_none() || epoch != mark.epoch {
                    let flushed = events.last().map(|e| e.tick);
                    self.redis_lagging(show, self.after_booking_change(&b, flushed).await);
                }
                Ok(b)
            }
            Err(e) if marked > 0 && !outcome_unknown(&e) => {
                let mut inv = self.call(&scripts().unconfirm, show);
                inv.arg(number).arg(mark.seats).arg(mark.deadline).arg(self.options.booking_key_ttl_ms());
                inv.arg(mark.owner);
                self.redis_lagging(show, self.invoke(&inv).await.map(drop));
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    async fn end_booking(&self, req: EndBooking) -> StoreResult<Booking> {
        let (show, _) = split_id(req.booking.0);
        self.flush_show(show).await?;
        let b = self.pg.end_booking(req).await?;
        self.redis_lagging(show, self.after_booking_change(&b, None).await);
        Ok(b)
    }

    async fn check_in(&self, booking: BookingId, seat: SeatIdx, now: Timestamp) -> StoreResult<Booking> {
        self.flush_show(split_id(booking.0).0).await?;
        self.pg.check_in(booking, seat, now).await
    }

    async fn booking(&self, id: BookingId) -> StoreResult<Booking> {
        self.pg.booking(id).await
    }

    async fn bookings_of(&self, owner: &OwnerId, limit: usize) -> StoreResult<Vec<Booking>> {
        self.pg.bookings_of(owner, limit).await
    }
}

#[async_trait]
impl EventLog for HybridStore {
    async fn events_since(&self, show: ShowId, after: u64, limit: usize) -> StoreResult<Vec<Event>> {
        self.flush_show(show).await?;
        self.pg.events_since(show, after, limit).await
    }

    async fn events_since_each(&self, from: &[(ShowId, u64)], limit: usize) -> StoreResult<Vec<Event>> {
        // Each outbox first (a call on Redis per show, which rarely finds any), then one read.
        for &(show, _) in from {
            self.flush_show(show).await?;
        }
        self.pg.events_since_each(from, limit).await
    }

    async fn head(&self, show: ShowId) -> StoreResult<u64> {
        // The outbox first, so that the head counts the hold events Redis still queues.
        self.flush_show(show).await?;
        self.pg.head(show).await
    }
}
